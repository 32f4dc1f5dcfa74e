//! `import-units`: the official JSON list and a plain CSV, loaded idempotently by the real binary.

use bvantq_tests::OrFail;
use std::process::Command;

use bvantq_tests::process::{binary, repo_root};
use bvantq_tests::{TestApp, TestDb, both};

fn import(db_url: &str, data_dir: &std::path::Path, file: &std::path::Path) -> String {
    let out = Command::new(binary())
        .args(["import-units", &file.display().to_string()])
        .env("DATABASE_URL", db_url)
        .env("BVANTQ_DATA_DIR", data_dir)
        .env("BVANTQ_LOG_FORMAT", "text")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "import failed: {stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

async fn official_list_loads_34_provinces_and_3321_communes(app: TestApp) {
    let file = repo_root().join("../shared/data/admin-units/vn_units_2026-07-25.json");
    if !file.exists() {
        eprintln!(
            "skipped: {} is absent (a fresh clone has no ../shared)",
            file.display()
        );
        return;
    }
    let backend = app.backend;
    drop(app);
    let db = TestDb::fresh(backend);
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    // 34 provinces, 3,321 communes, and the 29 provinces that ended with the 2025 reform as
    // their history (shared::reform).
    let first = import(&db.url, dir.path(), &file);
    assert!(
        first.contains("read 3384, inserted 3384, updated 0, unchanged 0"),
        "{first}"
    );
    let second = import(&db.url, dir.path(), &file);
    assert!(
        second.contains("inserted 0, updated 0, unchanged 3384"),
        "{second}"
    );
    // Count what is stored.
    let pool = bvantq_api::infra::db::pool(&db.url, Some(1)).unwrap_or_else(|e| panic!("{e}"));
    let mut conn = pool.get().unwrap_or_else(|e| panic!("{e}"));
    use bvantq_shared::UnitKind;
    assert_eq!(
        bvantq_api::units::store::count(&mut conn, UnitKind::Province).ok(),
        Some(63),
        "the 34 and the 29 former provinces"
    );
    let codes = |conn: &mut _, successor: &str| -> Vec<String> {
        bvantq_api::units::store::predecessors(conn, successor)
            .unwrap_or_else(|e| panic!("{e}"))
            .into_iter()
            .map(|u| u.code)
            .collect()
    };
    assert_eq!(codes(&mut conn, "75"), ["70"], "Bình Phước into Đồng Nai");
    assert_eq!(
        codes(&mut conn, "79"),
        ["74", "77"],
        "into Thành phố Hồ Chí Minh"
    );
    assert_eq!(
        codes(&mut conn, "01"),
        Vec::<String>::new(),
        "Hà Nội unchanged"
    );
    assert_eq!(
        bvantq_api::units::store::count(&mut conn, UnitKind::Commune).ok(),
        Some(3321)
    );

    // Finding one's commune on the official list (issue 22): the name typed first, then names
    // starting with it, then a word starting with it, then the rest; the province beside each
    // commune (Xuân Giang is a commune of Tuyên Quang and one of Ninh Bình).
    let search = |conn: &mut _, q: &str| -> Vec<(String, Option<String>)> {
        use bvantq_api::units::service::{ListRequest, Listing, list};
        let listing = Listing::parse(ListRequest {
            q: Some(q.to_string()),
            limit: Some(1000),
            ..Default::default()
        })
        .unwrap_or_else(|e| panic!("{e:?}"));
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 3).or_fail();
        list(conn, &listing, today)
            .unwrap_or_else(|e| panic!("{e:?}"))
            .items
            .into_iter()
            .map(|u| (u.name, u.province))
            .collect()
    };
    let found = search(&mut conn, "an giang");
    assert_eq!(found[0], ("An Giang".to_string(), None), "{found:?}");
    let mut rest: Vec<(String, String)> = found[1..]
        .iter()
        .map(|(n, p)| (n.clone(), p.clone().or_fail()))
        .collect();
    rest.sort();
    assert_eq!(
        rest,
        [
            ("Tân Giang".to_string(), "Cao Bằng".to_string()),
            ("Văn Giang".into(), "Hưng Yên".into()),
            ("Xuân Giang".into(), "Ninh Bình".into()),
            ("Xuân Giang".into(), "Tuyên Quang".into()),
        ]
    );
    // «an»: the names that start with it first (the province An Giang before its communes),
    // then a word starting with it (Kim Anh, Thuận An), Giảng Võ among the rest.
    let found = search(&mut conn, "an");
    let names: Vec<&str> = found.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names[0], "An Giang", "{names:?}");
    let tier = |n: &str| bvantq_shared::text::match_tier(&bvantq_shared::text::fold(n), "an");
    let tiers: Vec<u8> = names.iter().map(|n| tier(n).or_fail()).collect();
    assert!(tiers.windows(2).all(|w| w[0] <= w[1]), "{names:?}");
    let giang_vo = names.iter().position(|n| *n == "Giảng Võ").or_fail();
    assert!(
        names[..giang_vo].contains(&"Thuận An") && names[..giang_vo].contains(&"An Nhơn"),
        "{names:?}"
    );
}

async fn csv_import_is_idempotent_and_keeps_history(app: TestApp) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let csv = dir.path().join("units.csv");
    std::fs::write(
        &csv,
        "code,name,parent_code,kind,valid_to,replaced_by\n\
         70,Bình Phước,,province,2025-06-30,75\n\
         75,Đồng Nai,,province,,\n\
         25195,Bình Phước,75,commune,,\n\
         25193,Tân Phú,70,commune,2025-06-30,25195\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let first = import(&app.db.url, dir.path(), &csv);
    // 70, 75 and 25195 already exist from the fixture (70 as the reform's history); the former
    // ward is new.
    assert!(first.contains("read 4, inserted 1"), "{first}");
    let second = import(&app.db.url, dir.path(), &csv);
    assert!(
        second.contains("inserted 0, updated 0, unchanged 4"),
        "{second}"
    );
    let bp = bvantq_tests::json(app.get("/api/v1/units/70", None).await).await;
    assert_eq!(bp["replaced_by"], "75");
    assert_eq!(bp["current"], false);

    // A bad row names its line; nothing of the file is written.
    std::fs::write(
        &csv,
        "code,name,parent_code,kind\n99001,Xã Một,75,commune\n9x,Sai,75,commune\n",
    )
    .or_fail();
    let out = Command::new(binary())
        .args(["import-units", &csv.display().to_string()])
        .env("DATABASE_URL", &app.db.url)
        .env("BVANTQ_DATA_DIR", dir.path())
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("line 3"));
    assert_eq!(app.count("units WHERE code = '99001'"), 0);
}

both!(
    official_list_loads_34_provinces_and_3321_communes,
    csv_import_is_idempotent_and_keeps_history
);
