//! `bvantq backup` and `bvantq restore` (issue 21): a copy taken while pledges are being signed
//! holds every pledge acknowledged before it began, its counters equal a recount, it restores
//! into a new database, and a restore with a tip key that cannot read its tips is refused; and
//! the two commands as an operator runs them.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use bvantq_api::app::backup;
use bvantq_api::infra::clock::Clock;
use bvantq_api::infra::sealing::Sealer;
use bvantq_shared::Role;
use bvantq_tests::process::{ServerProcess, binary, test_keys};
use bvantq_tests::{Backend, OrFail, TestApp, TestDb, both};
use diesel::prelude::*;
use serde_json::json;

async fn sign(app: &TestApp, code: &str, n: usize) -> u16 {
    let body = json!({"unit_code": "PB-22759-0001", "full_name": "Lê Văn Tám",
        "birth_date": "1990-05-01", "citizen_id": format!("0580900{n:05}"),
        "commitments_accepted": [1, 2, 3, 4, 5], "privacy_consent": true});
    app.post(
        &format!("/api/v1/campaigns/{code}/pledges"),
        &body,
        None,
        Some(&format!("backup-{n}")),
    )
    .await
    .status()
    .as_u16()
}

/// Pledges of the enterprise's workshop, and what its counters say.
fn counted(conn: &mut bvantq_api::infra::db::DbConn) -> (i64, i64) {
    use bvantq_api::infra::db::schema::{coverage_signed as c, pledges as p};
    let pledges: i64 = p::table
        .filter(p::unit_code.eq("PB-22759-0001"))
        .count()
        .get_result(conn)
        .or_fail();
    let shards: Vec<i64> = c::table
        .filter(c::unit_code.eq("PB-22759-0001"))
        .select(c::signed)
        .load(conn)
        .or_fail();
    (pledges, shards.iter().sum())
}

async fn a_backup_under_load_restores_and_checks_its_keys(app: TestApp) {
    // A tip, so the copy holds sealed content, and a campaign with 20 acknowledged pledges.
    let r = app
        .post(
            "/api/v1/tips",
            &json!({"category": "gambling", "commune_code": "22759", "description": "Đánh bạc tại nhà số 5."}),
            None,
            Some("backup-tip"),
        )
        .await;
    assert_eq!(r.status(), 201);
    let org = app.login_as(Role::OrgAdmin, "DN-22759-0001").await;
    let code = app
        .open_campaign(&org, "worker", "Cam kết 2026", &["PB-22759-0001"])
        .await;
    for n in 0..20 {
        assert_eq!(sign(&app, &code, n).await, 201);
    }

    // Households keep signing while the copy is taken.
    let app = Arc::new(app);
    let (stop, signed) = (
        Arc::new(AtomicBool::new(false)),
        Arc::new(AtomicUsize::new(20)),
    );
    let load = {
        let (app, code, stop, signed) = (app.clone(), code.clone(), stop.clone(), signed.clone());
        tokio::spawn(async move {
            let mut n = 20;
            while !stop.load(Ordering::SeqCst) {
                if sign(&app, &code, n).await == 201 {
                    signed.fetch_add(1, Ordering::SeqCst);
                }
                n += 1;
            }
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let dir = tempfile::tempdir().or_fail();
    let file = dir.path().join("bvantq.backup");
    let (url, to) = (app.db.url.clone(), file.clone());
    let bytes = tokio::task::spawn_blocking(move || backup::backup(&url, &to))
        .await
        .or_fail()
        .or_fail();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    stop.store(true, Ordering::SeqCst);
    load.await.or_fail();
    assert!(bytes > 10_000, "{bytes} bytes");
    let during = signed.load(Ordering::SeqCst);
    assert!(
        during > 20,
        "no signing went on during the backup ({during})"
    );

    // A second backup to the same file is refused: a backup never overwrites.
    let err = backup::backup(&app.db.url, &file).err().or_fail();
    assert!(err.contains("exists already"), "{err}");

    // Restored into a new database with the keys in use: checked, and whole.
    let now = app.clock.now();
    let fresh = TestDb::fresh(app.backend);
    let checked = backup::restore(
        &fresh.url,
        &file,
        &app.config.tip_sealer,
        &app.config.cccd,
        now,
    )
    .or_fail();
    assert_eq!(
        checked.tip_keys,
        vec![app.config.tip_sealer.current_key_id().to_string()]
    );
    let pool = bvantq_api::infra::db::pool(&fresh.url, Some(1)).or_fail();
    let (pledges, counters) = counted(&mut pool.get().or_fail());
    assert!(
        (20..=during as i64).contains(&pledges),
        "{pledges} pledges restored; 20 were acknowledged before the copy, {during} in all"
    );
    assert_eq!(pledges, checked.pledges);
    assert_eq!(counters, pledges, "the counters equal a recount");
    drop(pool);

    // The same copy with another tip key is refused, and on PostgreSQL a database that is not
    // empty is never restored over.
    let other = TestDb::fresh(app.backend);
    let err = backup::restore(&other.url, &file, &Sealer::random(), &app.config.cccd, now)
        .err()
        .or_fail();
    assert!(err.contains("tip key in use does not open"), "{err}");
    if app.backend == Backend::Postgres {
        let err = backup::restore(
            &app.db.url,
            &file,
            &app.config.tip_sealer,
            &app.config.cccd,
            now,
        )
        .err()
        .or_fail();
        assert!(err.contains("new, empty database"), "{err}");
    }
}

/// `bvantq backup` and `bvantq restore` as an operator runs them, with the keys from the
/// environment: the demo (three sealed tips) backed up, restored into a new database and checked,
/// and refused with another tip key.
async fn the_commands_back_up_and_restore(app: TestApp) {
    let backend = app.backend;
    drop(app);
    let db = TestDb::fresh(backend);
    let data = tempfile::tempdir().or_fail();
    let mut server = ServerProcess::demo(&db.url, data.path(), &[]).await;
    server.kill().await;
    let dir = tempfile::tempdir().or_fail();
    let file = dir.path().join("demo.backup");
    let file = file.to_str().or_fail();
    let run = |args: &[&str], url: &str, tip_key: Option<&str>| {
        let mut cmd = std::process::Command::new(binary());
        cmd.args(args)
            .env("DATABASE_URL", url)
            .env("BVANTQ_DATA_DIR", data.path());
        for (k, v) in test_keys() {
            cmd.env(k, v);
        }
        if let Some(k) = tip_key {
            cmd.env("BVANTQ_TIP_KEY", k);
        }
        let out = cmd.output().or_fail();
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.success(), said)
    };
    let (ok, said) = run(&["backup", file], &db.url, None);
    assert!(ok && said.contains("backed up to"), "{said}");
    let restored = TestDb::fresh(backend);
    let (ok, said) = run(&["restore", file], &restored.url, None);
    assert!(ok, "{said}");
    assert!(
        said.contains("the keys in use read it (tip keys "),
        "{said}"
    );
    let other = TestDb::fresh(backend);
    let (ok, said) = run(
        &["restore", file],
        &other.url,
        Some("pb5h3lNi6xWTrwddwUgFtXh5Fsto2xqICLEhv7QtMGc="),
    );
    assert!(
        !ok && said.contains("tip key in use does not open"),
        "{said}"
    );
}

both!(
    a_backup_under_load_restores_and_checks_its_keys,
    the_commands_back_up_and_restore
);
