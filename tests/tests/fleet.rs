//! Two instances of the server on one database, as a fleet behind a proxy runs them (issue 21):
//! one rate-limit budget for the whole fleet, counted in PostgreSQL under a keyed hash of the
//! client; a campaign window moved through one instance seen by the other within a second; the
//! hourly purges run once per period across the fleet.

use std::sync::{Arc, Barrier};

use bvantq_api::app::jobs;
use bvantq_api::infra::config::Config;
use bvantq_shared::Role;
use bvantq_tests::{OrFail, TestApp, both};
use chrono::TimeDelta;
use diesel::prelude::*;
use serde_json::json;

fn limits(c: &mut Config) {
    c.login_per_ip_per_minute = 1000;
    c.login_failures_per_account = 5;
    c.tip_failures_per_ip = 10;
    c.tip_failures_global = 40;
    c.proxy.enabled = true;
}

async fn guess(app: &TestApp, from: &str, i: usize) -> u16 {
    app.client
        .post(app.url("/api/v1/tips/follow-up"))
        .header("X-Forwarded-For", from)
        .json(&json!({"receipt_code": format!("ABCD-EFGH-JKMN-PQRS-{:04}", 2000 + i)}))
        .send()
        .await
        .map(|r| r.status().as_u16())
        .unwrap_or(0)
}

fn count(statuses: &[u16], status: u16) -> usize {
    statuses.iter().filter(|s| **s == status).count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_fleet_has_one_budget_of_guesses_and_logins() {
    let Some(a) = TestApp::spawn_pg_with(limits).await else {
        return;
    };
    let b = a.another_instance().await;
    let fleet = [&a, &b];

    // Wrong receipt codes, 30 at once from one address, every other one through the other
    // instance: 10 answered in all (not 10 by each), 20 refused.
    let burst = (0..30).map(|i| guess(fleet[i % 2], "203.0.113.20", i));
    let statuses = futures_util::future::join_all(burst).await;
    assert_eq!(count(&statuses, 404), 10, "{statuses:?}");
    assert_eq!(count(&statuses, 429), 20, "{statuses:?}");

    // Wrong passwords for one account, through both instances: 5 checked, the rest refused.
    a.add_user("doi.nhom", Role::WardOfficer, "22759");
    let wrong = (0..20).map(|i| {
        fleet[i % 2]
            .client
            .post(fleet[i % 2].url("/api/v1/auth/login"))
            .json(&json!({"username": "doi.nhom", "password": "sai-mat-khau"}))
            .send()
    });
    let statuses: Vec<u16> = futures_util::future::join_all(wrong)
        .await
        .into_iter()
        .map(|r| r.map(|r| r.status().as_u16()).unwrap_or(0))
        .collect();
    assert_eq!(count(&statuses, 401), 5, "{statuses:?}");
    assert_eq!(count(&statuses, 429), 15, "{statuses:?}");

    // The limit of all reporters together (40 a minute, 4 of it per address), in a window
    // the burst above had no part in: 20 addresses
    // guess three times each, turn by turn across the instances. The first two turns use up the
    // fleet's 40; in the third every address has used some and is refused. Instances counting
    // alone would have let all 60 through (30 each, under 40).
    a.clock.advance(TimeDelta::minutes(10));
    let mut statuses = Vec::new();
    for turn in 0..3 {
        for n in 0..20 {
            let from = format!("198.51.100.{}", 10 + n);
            statuses.push(guess(fleet[(n + turn) % 2], &from, 100 + turn * 20 + n).await);
        }
    }
    assert_eq!(count(&statuses, 404), 40, "{statuses:?}");
    assert_eq!(count(&statuses, 429), 20, "{statuses:?}");
    assert!(
        statuses[40..].iter().all(|s| *s == 429),
        "the third turn is refused whole: {statuses:?}"
    );

    // What the counters keep of a client is a keyed hash: no address, no account name.
    let clients: Vec<String> = {
        use bvantq_api::infra::db::schema::rate_counts::dsl as r;
        r::rate_counts
            .select(r::client)
            .load(&mut a.conn())
            .or_fail()
    };
    assert!(clients.len() > 20, "{} counters", clients.len());
    for c in &clients {
        assert!(
            c == "*" || (c.len() == 32 && c.bytes().all(|b| b.is_ascii_hexdigit())),
            "a counter's client is {c:?}"
        );
    }
    let dump = clients.join(" ");
    assert!(!dump.contains("203.0.113") && !dump.contains("doi.nhom"));
}

/// A worker's signing of campaign `code` through `app`: its status and problem code.
async fn sign(app: &TestApp, code: &str, cccd: &str) -> (u16, serde_json::Value) {
    let body = json!({"unit_code": "PB-22759-0001", "full_name": "Lê Văn Tám",
        "birth_date": "1990-05-01", "citizen_id": cccd,
        "commitments_accepted": [1, 2, 3, 4, 5], "privacy_consent": true});
    let r = app
        .post(
            &format!("/api/v1/campaigns/{code}/pledges"),
            &body,
            None,
            Some(&format!("sign-{cccd}")),
        )
        .await;
    let status = r.status().as_u16();
    (status, r.json().await.or_fail())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_moved_window_reaches_the_other_instance_within_a_second() {
    let Some(a) = TestApp::spawn_pg_with(bvantq_tests::unchanged).await else {
        return;
    };
    let b = a.another_instance().await;
    let org = a.login_as(Role::OrgAdmin, "DN-22759-0001").await;
    let code = a
        .open_campaign(&org, "worker", "Cam kết 2026", &["PB-22759-0001"])
        .await;
    // A signing through the other instance: it now holds the campaign in memory (for a minute).
    let (status, v) = sign(&b, &code, "058090001234").await;
    assert_eq!(status, 201, "{v}");

    // Closed through the first instance the day before the clock's.
    let r = a
        .put(
            &format!("/api/v1/campaigns/{code}/window"),
            &json!({"opens_on": "2026-03-01", "closes_on": "2026-03-01"}),
            &org,
        )
        .await;
    assert_eq!(r.status(), 200);
    let moved = std::time::Instant::now();
    for i in 0.. {
        let (status, v) = sign(&b, &code, &format!("0580900{:05}", 10 + i)).await;
        if status == 409 && v["code"] == "campaign_closed" {
            break;
        }
        assert_eq!(status, 201, "{v}");
        assert!(
            moved.elapsed() < std::time::Duration::from_secs(1),
            "the other instance still took signings {:?} after the window moved",
            moved.elapsed()
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    eprintln!("seen by the other instance after {:?}", moved.elapsed());
}

/// Claims of one job from both instances' pools, all released at the same moment: how many won.
fn claims_at_once(fleet: &[&TestApp], name: &'static str, period: TimeDelta) -> usize {
    let start = Arc::new(Barrier::new(8));
    let now = {
        use bvantq_api::infra::clock::Clock;
        fleet[0].clock.now()
    };
    let threads: Vec<_> = (0..8)
        .map(|i| {
            let pool = fleet[i % fleet.len()].pool.clone();
            let start = start.clone();
            std::thread::spawn(move || {
                let mut conn = pool.get().or_fail();
                start.wait();
                jobs::claim(&mut conn, name, period, now).or_fail()
            })
        })
        .collect();
    threads
        .into_iter()
        .map(|t| t.join().unwrap_or_else(|_| panic!("a claim panicked")))
        .filter(|won| *won)
        .count()
}

async fn a_job_runs_once_per_period_across_the_fleet(app: TestApp) {
    let other = app.another_instance().await;
    let fleet = [&app, &other];

    // The servers' maintenance threads asked for this period's purges as they started: one of
    // them ran them (one row), and neither instance may run them again within the hour.
    let mut runs = Vec::new();
    for _ in 0..50 {
        use bvantq_api::infra::db::schema::job_runs::dsl as j;
        runs = j::job_runs
            .filter(j::name.eq(jobs::PURGES))
            .select(j::ran_at)
            .load::<chrono::NaiveDateTime>(&mut app.conn())
            .or_fail();
        if !runs.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(runs, vec![bvantq_tests::t0()]);
    for instance in fleet {
        let ran =
            jobs::purge_if_claimed(&mut instance.conn(), &instance.config, jobs::PERIOD).or_fail();
        assert_eq!(ran, None, "the purges ran again within the hour");
    }

    // Eight claims at the same moment, from both instances: one wins.
    let hour = TimeDelta::hours(1);
    assert_eq!(claims_at_once(&fleet, "test-job", hour), 1);
    // Within the period nobody runs it again, whichever instance asks.
    app.clock.advance(TimeDelta::minutes(59));
    assert_eq!(claims_at_once(&fleet, "test-job", hour), 0);
    // Once the period has passed, exactly one instance runs it.
    app.clock.advance(TimeDelta::minutes(1));
    assert_eq!(claims_at_once(&fleet, "test-job", hour), 1);
    assert_eq!(claims_at_once(&fleet, "test-job", hour), 0);
}

both!(a_job_runs_once_per_period_across_the_fleet);
