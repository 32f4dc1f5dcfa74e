//! The unit tree: listing, search without diacritics, history, creating platform units with
//! idempotency.

use bvantq_shared::Role;
use bvantq_tests::OrFail;
use bvantq_tests::{TestApp, both, json, problem};
use serde_json::json;

async fn lists_provinces_and_children(app: TestApp) {
    let top = json(app.get("/api/v1/units", None).await).await;
    let codes: Vec<&str> = top["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|u| u["code"].as_str())
        .collect();
    assert_eq!(
        codes,
        ["01", "56", "75"],
        "current provinces only; 58 is history"
    );
    // With history: Ninh Thuận (58, the demo's) and Bình Phước (70, which the official list's
    // import adds as Đồng Nai's predecessor under Nghị quyết 202/2025/QH15).
    let with_history = json(app.get("/api/v1/units?include_history=true", None).await).await;
    let mut all: Vec<&str> = with_history["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|u| u["code"].as_str())
        .collect();
    all.sort();
    assert_eq!(all, ["01", "56", "58", "70", "75"]);

    let kids = json(app.get("/api/v1/units?parent=01", None).await).await;
    let names: Vec<&str> = kids["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|u| u["name"].as_str())
        .collect();
    assert_eq!(names, ["Ba Đình", "Ngọc Hà", "Hoàn Kiếm"]);
}

async fn search_ignores_diacritics(app: TestApp) {
    for q in ["ba dinh", "Ba Đình", "BA DINH", "ba%20dinh", "ba   dinh"] {
        let r = json(app.get(&format!("/api/v1/units?q={q}"), None).await).await;
        let names: Vec<&str> = r["items"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|u| u["full_name"].as_str())
            .collect();
        assert_eq!(names, ["Phường Ba Đình"], "q={q}");
    }
    let r = json(app.get("/api/v1/units?q=khanh%20hoa", None).await).await;
    assert_eq!(r["items"][0]["code"], "56");
    // Searching within a parent.
    let r = json(
        app.get("/api/v1/units?parent=22759&q=khu%20pho%202", None)
            .await,
    )
    .await;
    assert_eq!(r["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(r["items"][0]["code"], "KD-22759-0002");
    // Wildcards in the query are text, not patterns.
    let r = json(app.get("/api/v1/units?q=%25", None).await).await;
    assert_eq!(r["items"].as_array().map(Vec::len), Some(0));
}

async fn pages_with_cursors(app: TestApp) {
    let mut seen = Vec::new();
    let mut url = "/api/v1/units?parent=22759&limit=2".to_string();
    loop {
        let page = json(app.get(&url, None).await).await;
        for u in page["items"].as_array().into_iter().flatten() {
            seen.push(bvantq_tests::text(u, "code").to_string());
        }
        match page["next_cursor"].as_str() {
            Some(c) => url = format!("/api/v1/units?parent=22759&limit=2&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(
        seen,
        [
            "DN-22759-0001",
            "KD-22759-0001",
            "KD-22759-0002",
            "KD-22759-0003",
            "TH-22759-0001"
        ]
    );
    let p = problem(app.get("/api/v1/units?limit=5000", None).await, 422).await;
    assert_eq!(p["field"], "limit");
}

async fn history_of_merged_province(app: TestApp) {
    let nt = json(app.get("/api/v1/units/58", None).await).await;
    assert_eq!(nt["current"], false);
    assert_eq!(nt["replaced_by"], "56");
    assert_eq!(nt["successors"][0]["code"], "56");
    let kh = json(app.get("/api/v1/units/56", None).await).await;
    assert_eq!(kh["current"], true);
    assert_eq!(kh["predecessors"][0]["code"], "58");
    let class = json(app.get("/api/v1/units/LH-22759-0001", None).await).await;
    let anc: Vec<&str> = class["ancestors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|u| u["code"].as_str())
        .collect();
    assert_eq!(anc, ["56", "22759", "TH-22759-0001"]);
    problem(app.get("/api/v1/units/99999", None).await, 404).await;
    let p = problem(app.get("/api/v1/units/not-a-code", None).await, 422).await;
    assert_eq!(p["field"], "code");
}

async fn ward_officer_creates_residential_area_idempotently(app: TestApp) {
    let ward = app.login_as(Role::WardOfficer, "22759").await;
    let body = json!({"parent_code": "22759", "kind": "residential_area", "name": "Khu phố 4"});
    let before = app.count("units");
    let first = app
        .post("/api/v1/units", &body, Some(&ward), Some("create-kp4"))
        .await;
    assert_eq!(first.status(), 201);
    let first = json(first).await;
    assert_eq!(first["code"], "KD-22759-0004");
    assert_eq!(first["ancestors"][1]["code"], "22759");

    // Same key, same body (spacing and key order do not matter): the same answer, no new row.
    let again = app
        .client
        .post(app.url("/api/v1/units"))
        .bearer_auth(&ward)
        .header("Idempotency-Key", "create-kp4")
        .header("content-type", "application/json")
        .body(r#"{ "name": "Khu phố 4", "kind": "residential_area", "parent_code": "22759" }"#)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again.status(), 201);
    assert_eq!(
        again
            .headers()
            .get("idempotent-replayed")
            .and_then(|v| v.to_str().ok()),
        Some("true")
    );
    assert_eq!(json(again).await, first);
    assert_eq!(app.count("units"), before + 1);

    // Same key, another body: 422, nothing written.
    let other = json!({"parent_code": "22759", "kind": "residential_area", "name": "Khu phố 5"});
    let p = problem(
        app.post("/api/v1/units", &other, Some(&ward), Some("create-kp4"))
            .await,
        422,
    )
    .await;
    assert_eq!(p["code"], "idempotency_key_reused");
    assert_eq!(app.count("units"), before + 1);

    // No key: 422 naming the header.
    let p = problem(
        app.post("/api/v1/units", &other, Some(&ward), None).await,
        422,
    )
    .await;
    assert_eq!(p["field"], "Idempotency-Key");

    // A new key makes the next serial.
    let r = json(
        app.post("/api/v1/units", &other, Some(&ward), Some("create-kp5"))
            .await,
    )
    .await;
    assert_eq!(r["code"], "KD-22759-0005");
}

async fn concurrent_replays_write_once(app: TestApp) {
    let school = app.login_as(Role::SchoolAdmin, "TH-22759-0001").await;
    let body = json!({"parent_code": "TH-22759-0001", "kind": "class", "name": "Lớp 9B"});
    let before = app.count("units");
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let c = app.client.clone();
        let url = app.url("/api/v1/units");
        let (b, t) = (body.clone(), school.clone());
        tasks.push(tokio::spawn(async move {
            let r = c
                .post(url)
                .bearer_auth(t)
                .header("Idempotency-Key", "lop-9b")
                .json(&b)
                .send()
                .await;
            let r = r.unwrap_or_else(|e| panic!("{e}"));
            (r.status().as_u16(), r.text().await.or_fail())
        }));
    }
    let mut bodies = Vec::new();
    for t in tasks {
        let (s, b) = t.await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s, 201, "{b}");
        bodies.push(serde_json::from_str::<serde_json::Value>(&b).or_fail());
    }
    assert!(
        bodies.windows(2).all(|w| w[0] == w[1]),
        "every caller gets the same unit"
    );
    assert_eq!(app.count("units"), before + 1);
}

async fn roles_create_only_their_kinds(app: TestApp) {
    let school = app.login_as(Role::SchoolAdmin, "TH-22759-0001").await;
    let body = json!({"parent_code": "22759", "kind": "residential_area", "name": "Khu phố 9"});
    problem(
        app.post("/api/v1/units", &body, Some(&school), Some("x1"))
            .await,
        403,
    )
    .await;
    let org = app.login_as(Role::OrgAdmin, "DN-22759-0001").await;
    let body = json!({"parent_code": "DN-22759-0001", "kind": "department", "name": "Tổ bảo vệ"});
    let r = json(
        app.post("/api/v1/units", &body, Some(&org), Some("x2"))
            .await,
    )
    .await;
    assert_eq!(r["code"], "PB-22759-0003");
    // A class cannot hang under a commune, even for an admin.
    let admin = app.login_as(Role::Admin, "56").await;
    let body = json!({"parent_code": "22759", "kind": "class", "name": "Lớp lạc"});
    let p = problem(
        app.post("/api/v1/units", &body, Some(&admin), Some("x3"))
            .await,
        422,
    )
    .await;
    assert_eq!(p["field"], "kind");
    // Administrative units come from the official list only.
    let body = json!({"parent_code": "56", "kind": "commune", "name": "Xã mới"});
    let p = problem(
        app.post("/api/v1/units", &body, Some(&admin), Some("x4"))
            .await,
        422,
    )
    .await;
    assert_eq!(p["field"], "kind");
}

/// A search ranks the name typed first, then names starting with it, then names with a word
/// starting with it, then the rest (`shared::text::match_tier`), and pages in that order.
async fn search_ranks_the_name_typed_first(app: TestApp) {
    let ward = app.login_as(Role::WardOfficer, "22759").await;
    for (i, name) in ["Thôn Lan", "Tổ dân phố Xuân An", "An Phú", "An"]
        .iter()
        .enumerate()
    {
        let body = json!({"parent_code": "22759", "kind": "residential_area", "name": name});
        let key = format!("search-{i}");
        let r = app
            .post("/api/v1/units", &body, Some(&ward), Some(&key))
            .await;
        assert_eq!(r.status(), 201, "{name}");
    }
    let names = |v: &serde_json::Value| -> Vec<String> {
        v["items"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|u| u["name"].as_str().map(str::to_string))
            .collect()
    };
    let all = json(app.get("/api/v1/units?parent=22759&q=an", None).await).await;
    let ours: Vec<String> = names(&all)
        .into_iter()
        .filter(|n| ["Thôn Lan", "Tổ dân phố Xuân An", "An Phú", "An"].contains(&n.as_str()))
        .collect();
    assert_eq!(
        ours,
        ["An", "An Phú", "Tổ dân phố Xuân An", "Thôn Lan"],
        "{all}"
    );
    // The same order page by page.
    let mut paged = Vec::new();
    let mut url = "/api/v1/units?parent=22759&q=an&limit=2".to_string();
    loop {
        let page = json(app.get(&url, None).await).await;
        paged.extend(names(&page));
        match page["next_cursor"].as_str() {
            Some(c) => url = format!("/api/v1/units?parent=22759&q=an&limit=2&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(paged, names(&all));
    // A search names the province beside a unit below one; a province has none.
    let p = json(app.get("/api/v1/units?q=khanh%20hoa", None).await).await;
    assert_eq!(p["items"][0]["code"], "56");
    assert!(p["items"][0].get("province").is_none(), "{p}");
    assert_eq!(all["items"][0]["province"], "Khánh Hoà", "{all}");
    // A search's cursor is a position.
    let bad =
        bvantq_tests::problem(app.get("/api/v1/units?q=an&cursor=eHl6", None).await, 422).await;
    assert_eq!(bad["field"], "cursor");
}

both!(
    search_ranks_the_name_typed_first,
    lists_provinces_and_children,
    search_ignores_diacritics,
    pages_with_cursors,
    history_of_merged_province,
    ward_officer_creates_residential_area_idempotently,
    concurrent_replays_write_once,
    roles_create_only_their_kinds,
);
