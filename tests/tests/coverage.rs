//! Coverage equals a brute-force count over the raw pledges, for randomised data.

use bvantq_tests::OrFail;
use std::collections::HashMap;

use bvantq_shared::Role;
use bvantq_tests::{TestApp, both, json};
use diesel::{QueryableByName, RunQueryDsl};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::json;

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = diesel::sql_types::Text)]
    path: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    kind: String,
}

/// Brute force: every non-void pledge of the year, by the path of its unit.
fn raw_pledges(app: &TestApp) -> Vec<Row> {
    diesel::sql_query(
        "SELECT u.path AS path, c.kind AS kind FROM pledges p \
         JOIN units u ON u.code = p.unit_code JOIN campaigns c ON c.id = p.campaign_id \
         WHERE p.status <> 'void' AND c.year = 2026",
    )
    .load(&mut *app.conn())
    .unwrap_or_else(|e| panic!("{e}"))
}

async fn coverage_matches_brute_force(app: TestApp) {
    let seed: u64 = std::env::var("COVERAGE_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| rand::rng().random());
    eprintln!("COVERAGE_SEED={seed}");
    let mut rng = StdRng::seed_from_u64(seed);
    let ward = app.login_as(Role::WardOfficer, "22759").await;
    let school = app.login_as(Role::SchoolAdmin, "TH-22759-0001").await;
    let prov = app.login_as(Role::ProvinceOfficer, "56").await;
    let tpl = |kind: &str| format!("/api/v1/pledge-templates?kind={kind}");
    let hh_tpl = json(app.get(&tpl("household"), None).await).await[0]["id"].clone();
    let st_tpl = json(app.get(&tpl("student"), None).await).await[0]["id"].clone();
    let areas = ["KD-22759-0001", "KD-22759-0002", "KD-22759-0003"];
    let classes = [
        "LH-22759-0001",
        "LH-22759-0002",
        "LH-22759-0003",
        "LH-22759-0004",
    ];
    let mk = |kind: &str, t: &serde_json::Value, units: &[&str]| json!({"kind": kind, "year": 2026, "title": "x", "template_id": t, "opens_on": "2026-03-01", "closes_on": "2026-12-31", "units": units});
    let hh = json(
        app.post(
            "/api/v1/campaigns",
            &mk("household", &hh_tpl, &areas),
            Some(&ward),
            Some("hh"),
        )
        .await,
    )
    .await;
    let st = json(
        app.post(
            "/api/v1/campaigns",
            &mk("student", &st_tpl, &classes),
            Some(&school),
            Some("st"),
        )
        .await,
    )
    .await;
    let (hh, st) = (
        bvantq_tests::text(&hh, "code").to_string(),
        bvantq_tests::text(&st, "code").to_string(),
    );

    // Expected signers: declared counts.
    let mut expected: HashMap<&str, i64> = HashMap::new();
    for (code, token, units) in [(&hh, &ward, &areas[..]), (&st, &school, &classes[..])] {
        for u in units {
            let n = rng.random_range(0..40);
            let r = app
                .put(
                    &format!("/api/v1/campaigns/{code}/expected"),
                    &json!({"unit_code": u, "expected": n}),
                    token,
                )
                .await;
            assert_eq!(r.status(), 200);
            expected.insert(u, n);
        }
    }
    // Random signings, some of the same people again, some voided afterwards.
    let signings = rng.random_range(20..50);
    let mut ids = Vec::new();
    for i in 0..signings {
        let person = rng.random_range(0..30);
        let body = if rng.random_bool(0.5) {
            let unit = areas[rng.random_range(0..areas.len())];
            json!({"unit_code": unit, "full_name": "Hộ Gia Đình", "birth_date": "1970-01-01",
                   "citizen_id": format!("056070{person:06}"), "address": format!("Số {person}"), "members": 3,
                   "commitments_accepted": [1, 2, 3, 4, 5, 6, 7], "privacy_consent": true})
        } else {
            let unit = classes[person % classes.len()];
            json!({"unit_code": unit, "full_name": format!("Học Sinh {}", ["An", "Bình", "Chi", "Dũng", "Em"][person % 5]),
                   "birth_date": format!("2008-01-{:02}", person % 28 + 1), "commitments_accepted": [1, 2, 3, 4, 5], "privacy_consent": true})
        };
        let code = if body.get("address").is_some() {
            &hh
        } else {
            &st
        };
        let r = app
            .post(
                &format!("/api/v1/campaigns/{code}/pledges"),
                &body,
                None,
                Some(&format!("s{i}")),
            )
            .await;
        assert!(r.status() == 201 || r.status() == 200, "{}", r.status());
        let v = json(r).await;
        if v["created"] == true {
            ids.push((bvantq_tests::text(&v, "receipt").to_string(), code.clone()));
        }
    }
    for (receipt, code) in &ids {
        if rng.random_bool(0.2) {
            let token = if *code == hh { &ward } else { &school };
            let list = json(
                app.get(
                    &format!("/api/v1/campaigns/{code}/pledges?limit=500"),
                    Some(token),
                )
                .await,
            )
            .await;
            let id = list["items"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|p| p["receipt"] == receipt.as_str())
                .map(|p| p["id"].clone());
            let r = app
                .post(
                    &format!(
                        "/api/v1/pledges/{}/void",
                        id.and_then(|i| i.as_str().map(String::from)).or_fail()
                    ),
                    &json!({"reason": "thử"}),
                    Some(token),
                    None,
                )
                .await;
            assert_eq!(r.status(), 200);
        }
    }

    let raw = raw_pledges(&app);
    let count = |prefix: &str, kind: &str| {
        raw.iter()
            .filter(|r| r.kind == kind && r.path.starts_with(prefix))
            .count() as i64
    };
    // The demo tree: 56 / 22759 / {residential areas, TH-22759-0001 / classes}.
    let path_of = |code: &str| -> String {
        match code {
            "56" => "/56/".into(),
            "22759" => "/56/22759/".into(),
            "TH-22759-0001" => "/56/22759/TH-22759-0001/".into(),
            c if c.starts_with("LH-") => format!("/56/22759/TH-22759-0001/{c}/"),
            c => format!("/56/22759/{c}/"),
        }
    };
    let exp = |units: &[&str]| {
        units
            .iter()
            .map(|u| expected.get(u).copied().unwrap_or(0))
            .sum::<i64>()
    };
    for (unit, kind, below) in [
        ("56", "household", &areas[..]),
        ("22759", "household", &areas[..]),
        ("56", "student", &classes[..]),
        ("22759", "student", &classes[..]),
        ("TH-22759-0001", "student", &classes[..]),
    ] {
        let cov = app.coverage(unit, kind, &prov).await;
        assert_eq!(
            cov["signed"],
            count(&path_of(unit), kind),
            "{unit} {kind}: {cov}"
        );
        assert_eq!(cov["expected"], exp(below), "{unit} {kind}: {cov}");
        for child in cov["children"].as_array().into_iter().flatten() {
            let c = bvantq_tests::text(child, "unit_code");
            let leaves: Vec<&str> = below
                .iter()
                .copied()
                .filter(|l| path_of(l).starts_with(&path_of(c)))
                .collect();
            assert_eq!(child["signed"], count(&path_of(c), kind), "{c} {kind}");
            assert_eq!(child["expected"], exp(&leaves), "{c} {kind}");
        }
        let (s, e) = (
            cov["signed"].as_i64().unwrap_or(0),
            cov["expected"].as_i64().unwrap_or(0),
        );
        if e > 0 {
            assert_eq!(
                cov["percent"].as_f64(),
                Some((s as f64 * 1000.0 / e as f64).round() / 10.0)
            );
        }
    }
}

both!(coverage_matches_brute_force);
