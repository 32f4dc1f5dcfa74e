//! The country at a glance (issue 21): the national dashboard is each current province's own
//! dashboard row and their sum, the national coverage each province's counters and their sum,
//! both for administrators only; the dashboard's snapshot is never older than
//! `BVANTQ_NATIONAL_MAX_AGE_S`, and is rebuilt in the background from half that age.

use bvantq_api::assessments::store::{AssessmentRow, insert};
use bvantq_api::infra::config::Config;
use bvantq_shared::Role;
use bvantq_tests::{OrFail, TestApp, both, json, problem, t0};
use diesel::prelude::*;
use diesel::sql_types::Text;
use serde_json::{Value, json as j};

#[derive(QueryableByName)]
struct Code {
    #[diesel(sql_type = Text)]
    code: String,
}

/// The current provinces, straight from the table.
fn provinces(app: &TestApp) -> Vec<String> {
    diesel::sql_query(
        "SELECT code FROM units WHERE parent_code IS NULL AND replaced_by IS NULL \
         AND valid_to IS NULL ORDER BY code",
    )
    .load::<Code>(&mut *app.conn())
    .or_fail()
    .into_iter()
    .map(|c| c.code)
    .collect()
}

/// Records an approved, recognised assessment of the commune `code` for period 2026.
fn approve(app: &TestApp, code: &str) {
    let path: String = diesel::sql_query("SELECT path AS code FROM units WHERE code = $1")
        .bind::<Text, _>(code)
        .get_result::<Code>(&mut *app.conn())
        .or_fail()
        .code;
    insert(
        &mut app.conn(),
        &AssessmentRow {
            id: bvantq_api::infra::db::new_id(),
            unit_code: code.into(),
            unit_path: path,
            unit_kind: bvantq_shared::UnitKind::Commune,
            period: 2026,
            set_id: "tt124-commune-v1".into(),
            status: bvantq_shared::AssessmentStatus::Approved,
            answers: "{}".into(),
            evidence: None,
            score: Some(90),
            classification: Some(bvantq_shared::Classification::Kha),
            recognised: Some(true),
            review_comment: None,
            created_by: "test".into(),
            created_at: t0(),
            updated_at: t0(),
            submitted_by: None,
            submitted_at: None,
            reviewed_by: None,
            reviewed_at: None,
            seq: 1,
            decision_number: None,
            decision_date: None,
            decision_signer: None,
        },
    )
    .or_fail();
}

/// The country's line of a group.
fn group<'a>(total: &'a Value, g: &str) -> &'a Value {
    total["groups"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|x| x["group"] == g)
        .or_fail()
}

async fn national(app: &TestApp, token: &str) -> Value {
    let r = app
        .get("/api/v1/dashboard/national?period=2026", Some(token))
        .await;
    let status = r.status();
    let v = json(r).await;
    assert_eq!(status, 200, "{v}");
    v
}

fn read_afresh(c: &mut Config) {
    c.national_max_age_secs = 0;
}

async fn the_country_is_its_provinces(app: TestApp) {
    // Data in two provinces: a safe commune in Hà Nội (01) and one in Khánh Hòa (56), three
    // workers' pledges in Khánh Hòa.
    approve(&app, "00004");
    approve(&app, "22759");
    let org = app.login_as(Role::OrgAdmin, "DN-22759-0001").await;
    let code = app
        .open_campaign(&org, "worker", "Cam kết CB, CNV", &["PB-22759-0001"])
        .await;
    for n in 0..3 {
        let body = j!({"unit_code": "PB-22759-0001", "full_name": "Lê Văn Tám",
            "birth_date": "1990-05-01", "citizen_id": format!("0580900{n:05}"),
            "commitments_accepted": [1, 2, 3, 4, 5], "privacy_consent": true});
        let r = app
            .post(
                &format!("/api/v1/campaigns/{code}/pledges"),
                &body,
                None,
                Some(&format!("n-{n}")),
            )
            .await;
        assert_eq!(r.status(), 201, "{}", r.text().await.or_fail());
    }
    let admin = app.login_as(Role::Admin, "56").await;
    let d = national(&app, &admin).await;
    assert_eq!(d["period"], 2026);
    assert_eq!(d["max_age_seconds"], 0);
    let rows = d["provinces"].as_array().or_fail();
    let codes: Vec<&str> = rows
        .iter()
        .map(|r| bvantq_tests::text(r, "unit_code"))
        .collect();
    assert_eq!(codes, provinces(&app));
    assert!(codes.contains(&"01") && codes.contains(&"56"), "{codes:?}");
    // Each province's row is the row its own dashboard shows.
    for row in rows {
        let code = bvantq_tests::text(row, "unit_code");
        let own = app
            .dashboard(&admin, &format!("unit={code}&period=2026"))
            .await;
        assert_eq!(row, &own["unit"], "{code}");
    }
    // The country's counts are the sum of its provinces'; its percentages those of the sums.
    let all = group(&d["total"], "all");
    for key in [
        "units",
        "safe",
        "not_safe",
        "not_assessed",
        "kha",
        "registered",
    ] {
        let sum: i64 = rows
            .iter()
            .map(|r| group(r, "all")[key].as_i64().or_fail())
            .sum();
        assert_eq!(all[key].as_i64(), Some(sum), "{key}");
    }
    assert_eq!(all["safe"], 2);
    let units = all["units"].as_f64().or_fail();
    assert_eq!(
        all["safe_percent"].as_f64(),
        Some((2000.0 / units).round() / 10.0)
    );
    let workers = d["total"]["pledges"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|p| p["audience"] == "worker")
        .or_fail();
    assert_eq!(workers["signed"], 3);
    // Read afresh (max age 0): a third safe commune shows at once.
    approve(&app, "22333");
    let again = national(&app, &admin).await;
    assert_eq!(group(&again["total"], "all")["safe"], 3);

    // Coverage: each province's line is its own coverage's total; the country their sum.
    let r = app
        .get(
            "/api/v1/coverage/national?year=2026&kind=worker",
            Some(&admin),
        )
        .await;
    assert_eq!(r.status(), 200);
    let c = json(r).await;
    let lines = c["provinces"].as_array().or_fail();
    assert_eq!(lines.len(), codes.len());
    for line in lines {
        let code = bvantq_tests::text(line, "unit_code");
        let own = app.coverage(code, "worker", &admin).await;
        for key in ["signed", "expected", "percent"] {
            assert_eq!(line[key], own[key], "{code} {key}");
        }
    }
    assert_eq!(c["signed"], 3);
    let expected: i64 = lines.iter().map(|l| l["expected"].as_i64().or_fail()).sum();
    assert_eq!(c["expected"].as_i64(), Some(expected));

    // Administrators only: a province's officer sees a province, not the country.
    for (role, scope) in [(Role::ProvinceOfficer, "56"), (Role::WardOfficer, "22759")] {
        let token = app.login_as(role, scope).await;
        for path in [
            "/api/v1/dashboard/national?period=2026",
            "/api/v1/coverage/national?year=2026&kind=worker",
        ] {
            problem(app.get(path, Some(&token)).await, 403).await;
        }
    }
    problem(app.get("/api/v1/dashboard/national", None).await, 401).await;
    // A bad period or audience is named.
    let p = problem(
        app.get("/api/v1/dashboard/national?period=1800", Some(&admin))
            .await,
        422,
    )
    .await;
    assert_eq!(p["field"], "period", "{p}");
    let p = problem(
        app.get("/api/v1/coverage/national?year=2026&kind=cat", Some(&admin))
            .await,
        422,
    )
    .await;
    assert_eq!(p["field"], "kind", "{p}");
}

fn two_minutes(c: &mut Config) {
    c.national_max_age_secs = 120;
}

async fn a_snapshot_is_never_older_than_its_age(app: TestApp) {
    let admin = app.login_as(Role::Admin, "56").await;
    let first = national(&app, &admin).await;
    assert_eq!(first["max_age_seconds"], 120);
    let safe = |d: &Value| group(&d["total"], "all")["safe"].as_i64().or_fail();
    assert_eq!(safe(&first), 0);
    approve(&app, "22759");
    // Within the first half of its age: the snapshot as it was, nothing rebuilt.
    app.clock.set(t0() + chrono::TimeDelta::seconds(30));
    let d = national(&app, &admin).await;
    assert_eq!(
        (d["computed_at"].clone(), safe(&d)),
        (first["computed_at"].clone(), 0)
    );
    // In the second half: still the snapshot, and a new one is built in the background.
    app.clock.set(t0() + chrono::TimeDelta::seconds(70));
    let d = national(&app, &admin).await;
    assert_eq!(
        (d["computed_at"].clone(), safe(&d)),
        (first["computed_at"].clone(), 0)
    );
    let mut rebuilt = Value::Null;
    for _ in 0..100 {
        let d = national(&app, &admin).await;
        if d["computed_at"] != first["computed_at"] {
            rebuilt = d;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(safe(&rebuilt), 1, "{rebuilt}");
    assert_eq!(rebuilt["computed_at"], "2026-03-02T08:01:10.000Z");
    // Past its age, an answer waits for a new snapshot: never one older than two minutes.
    approve(&app, "22333");
    app.clock.set(t0() + chrono::TimeDelta::seconds(70 + 120));
    let d = national(&app, &admin).await;
    assert_eq!(safe(&d), 2);
    assert_eq!(d["computed_at"], "2026-03-02T08:03:10.000Z");
}

both!(read_afresh => the_country_is_its_provinces);
both!(two_minutes => a_snapshot_is_never_older_than_its_age);
