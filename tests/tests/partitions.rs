//! Pledges partitioned by their campaign's year on PostgreSQL (issue 21): a year's pledges live
//! in `pledges_{year}`, a campaign of a new year makes its partition, and a year can be detached
//! (to archive with `pg_dump -t`, then drop) while the other years and the counters stay. On
//! SQLite the same column, one table. A receipt drawn twice is drawn again.

use bvantq_shared::Role;
use bvantq_tests::{OrFail, TestApp, both, json};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Nullable, Text};
use serde_json::json as j;

/// A worker's signing with the CCCD `0580900{n:05}`.
fn worker(n: usize) -> serde_json::Value {
    j!({"unit_code": "PB-22759-0001", "full_name": "Lê Văn Tám",
        "birth_date": "1990-05-01", "citizen_id": format!("0580900{n:05}"),
        "commitments_accepted": [1, 2, 3, 4, 5], "privacy_consent": true})
}

async fn sign(app: &TestApp, code: &str, n: usize) -> u16 {
    let path = format!("/api/v1/campaigns/{code}/pledges");
    let key = format!("part-{n}");
    app.post(&path, &worker(n), None, Some(&key))
        .await
        .status()
        .as_u16()
}

#[derive(QueryableByName)]
struct N {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn count(conn: &mut bvantq_api::infra::db::DbConn, sql: &str) -> i64 {
    diesel::sql_query(sql).get_result::<N>(conn).or_fail().n
}

async fn signed_count(app: &TestApp, token: &str) -> i64 {
    let v = json(
        app.get(
            "/api/v1/coverage?unit=PB-22759-0001&kind=worker&year=2026",
            Some(token),
        )
        .await,
    )
    .await;
    v["signed"].as_i64().unwrap_or_else(|| panic!("{v}"))
}

async fn each_pledge_carries_its_campaigns_year(app: TestApp) {
    let org = app.login_as(Role::OrgAdmin, "DN-22759-0001").await;
    let code = app
        .open_campaign(&org, "worker", "Cam kết 2026", &["PB-22759-0001"])
        .await;
    for n in 0..3 {
        assert_eq!(sign(&app, &code, n).await, 201);
    }
    let mut conn = app.conn();
    assert_eq!(
        count(
            &mut conn,
            "SELECT count(*) AS n FROM pledges WHERE year = 2026"
        ),
        3
    );
    assert_eq!(signed_count(&app, &org).await, 3);
    if app.backend == bvantq_tests::Backend::Sqlite {
        return;
    }

    // PostgreSQL: one partition a year, by list; the year's pledges are in it, none elsewhere.
    #[derive(QueryableByName)]
    struct Strategy {
        #[diesel(sql_type = Nullable<Text>)]
        s: Option<String>,
    }
    let s: Strategy = diesel::sql_query(
        "SELECT partstrat::text AS s FROM pg_partitioned_table WHERE partrelid = 'pledges'::regclass",
    )
    .get_result(&mut conn)
    .or_fail();
    assert_eq!(s.s.as_deref(), Some("l"), "pledges is partitioned by list");
    assert_eq!(
        count(&mut conn, "SELECT count(*) AS n FROM pledges_2026"),
        3
    );
    assert_eq!(
        count(&mut conn, "SELECT count(*) AS n FROM pledges_other"),
        0
    );
    // One pledge per person still holds across the partitioned key.
    assert_eq!(
        sign(&app, &code, 0).await,
        201,
        "a replay answers the first signing"
    );
    let again = worker(1);
    let r = app
        .post(
            &format!("/api/v1/campaigns/{code}/pledges"),
            &again,
            None,
            Some("part-again"),
        )
        .await;
    assert_eq!(
        r.status(),
        200,
        "the same person again is not a second pledge"
    );
    assert_eq!(
        count(&mut conn, "SELECT count(*) AS n FROM pledges_2026"),
        3
    );

    // A campaign of a new year makes that year's partition.
    let templates = json(app.get("/api/v1/pledge-templates?kind=worker", None).await).await;
    let body = j!({"kind": "worker", "year": 2027, "title": "Cam kết 2027",
        "template_id": templates[0]["id"], "opens_on": "2027-03-01", "closes_on": "2027-12-31",
        "units": ["PB-22759-0001"]});
    let r = app
        .post("/api/v1/campaigns", &body, Some(&org), Some("part-2027"))
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.or_fail());
    #[derive(QueryableByName)]
    struct Found {
        #[diesel(sql_type = Integer)]
        found: i32,
    }
    let f: Found =
        diesel::sql_query("SELECT (to_regclass('pledges_2027') IS NOT NULL)::int AS found")
            .get_result(&mut conn)
            .or_fail();
    assert_eq!(
        f.found, 1,
        "pledges_2027 was made with the year's first campaign"
    );

    // How big a year is: the partition with its indexes, per pledge.
    let size = count(
        &mut conn,
        "SELECT pg_total_relation_size('pledges_2026') AS n",
    );
    eprintln!("pledges_2026: {size} bytes for 3 pledges (BENCHMARKS.md measures a million)");

    // A year detached: its pledges leave the table, stay in their own, and the counters stay.
    diesel::sql_query("ALTER TABLE pledges DETACH PARTITION pledges_2026")
        .execute(&mut conn)
        .or_fail();
    assert_eq!(
        count(
            &mut conn,
            "SELECT count(*) AS n FROM pledges WHERE year = 2026"
        ),
        0
    );
    assert_eq!(
        count(&mut conn, "SELECT count(*) AS n FROM pledges_2026"),
        3
    );
    assert_eq!(
        signed_count(&app, &org).await,
        3,
        "the counters are not partitioned"
    );
}

both!(each_pledge_carries_its_campaigns_year);

/// A receipt drawn a second time (a national year of 57 million signings draws a few thousand
/// equal pairs) is drawn again, and the signing is written under a new one. A trigger gives the
/// next two inserts the receipt of the pledge already signed (a sequence counts them, so the
/// savepoint's rollback does not undo the count): the batch fails on it and hands the signing to
/// the general path, whose first try fails too and whose second draws a free receipt.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_receipt_already_taken_is_drawn_again() {
    let Some(app) = TestApp::spawn_pg_with(bvantq_tests::unchanged).await else {
        return;
    };
    let org = app.login_as(Role::OrgAdmin, "DN-22759-0001").await;
    let code = app
        .open_campaign(&org, "worker", "Cam kết 2026", &["PB-22759-0001"])
        .await;
    assert_eq!(sign(&app, &code, 0).await, 201);
    let mut conn = app.conn();
    diesel::sql_query("CREATE SEQUENCE collide")
        .execute(&mut conn)
        .or_fail();
    diesel::sql_query(
        "CREATE FUNCTION collide() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
           IF nextval('collide') <= 2 THEN \
             NEW.receipt := (SELECT receipt FROM pledges ORDER BY signed_at LIMIT 1); \
           END IF; RETURN NEW; END $$",
    )
    .execute(&mut conn)
    .or_fail();
    diesel::sql_query(
        "CREATE TRIGGER collide BEFORE INSERT ON pledges FOR EACH ROW EXECUTE FUNCTION collide()",
    )
    .execute(&mut conn)
    .or_fail();
    let body = worker(1);
    let r = app
        .post(
            &format!("/api/v1/campaigns/{code}/pledges"),
            &body,
            None,
            Some("part-1"),
        )
        .await;
    assert_eq!(r.status(), 201);
    let receipt = json(r).await["receipt"].as_str().or_fail().to_string();
    #[derive(QueryableByName)]
    struct Receipts {
        #[diesel(sql_type = BigInt)]
        n: i64,
        #[diesel(sql_type = BigInt)]
        distinct: i64,
        #[diesel(sql_type = BigInt)]
        tries: i64,
    }
    let q: Receipts = diesel::sql_query(
        "SELECT count(*) AS n, count(DISTINCT receipt) AS distinct, \
           (SELECT last_value FROM collide) AS tries FROM pledges",
    )
    .get_result(&mut conn)
    .or_fail();
    assert_eq!((q.n, q.distinct), (2, 2), "two pledges, two receipts");
    assert!(
        q.tries >= 3,
        "the taken receipt was tried first ({} inserts)",
        q.tries
    );
    assert_eq!(
        count(
            &mut conn,
            &format!("SELECT count(*) AS n FROM pledges WHERE receipt = '{receipt}'")
        ),
        1,
        "the receipt answered is the one written"
    );
}
