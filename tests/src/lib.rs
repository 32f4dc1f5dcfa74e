//! The test harness: `TestApp` starts the real server on a random port against a fresh database
//! (a SQLite file, or a new PostgreSQL database when `TEST_DATABASE_URL` is set), with a clock the
//! test controls; `both!` runs one test body on both backends.

pub mod browser;
pub mod link;
pub mod process;
pub mod stack;

use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::Arc;

use bvantq_api::infra::clock::ManualClock;
use bvantq_api::infra::config::{Argon2Cost, Config};
use bvantq_api::infra::db::{self, DbConn, Pool};
use bvantq_shared::api::NewUser;
use bvantq_shared::{PersonName, Role, UnitCode};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde_json::Value;

/// A string field of a JSON value; the test fails (showing the value) when it is missing or not a
/// string, so an assertion on it can never pass on an empty string.
#[track_caller]
pub fn text<'a>(v: &'a Value, field: &str) -> &'a str {
    match v.get(field).and_then(Value::as_str) {
        Some(s) => s,
        None => panic!("no string field {field:?} in {v}"),
    }
}

/// What a test expects to be there: a missing value or an error fails the test where it is read.
pub trait OrFail<T> {
    #[track_caller]
    fn or_fail(self) -> T;
}

impl<T> OrFail<T> for Option<T> {
    #[track_caller]
    fn or_fail(self) -> T {
        match self {
            Some(v) => v,
            None => panic!("a value the test needs is missing"),
        }
    }
}

impl<T, E: std::fmt::Display> OrFail<T> for Result<T, E> {
    #[track_caller]
    fn or_fail(self) -> T {
        match self {
            Ok(v) => v,
            Err(e) => panic!("{e}"),
        }
    }
}

/// Runs `async fn NAME(app: TestApp)` once on SQLite and once on PostgreSQL; with
/// `both!(adjust => NAME, …)` the server's configuration goes through `fn adjust(&mut Config)`
/// first.
#[macro_export]
macro_rules! both {
    ($adjust:path => $($name:ident),+ $(,)?) => {$(
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name($crate::TestApp::spawn_with($crate::Backend::Sqlite, $adjust).await).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(app) = $crate::TestApp::spawn_pg_with($adjust).await {
                    super::$name(app).await
                }
            }
        }
    )+};
    ($($name:ident),+ $(,)?) => {
        $crate::both!($crate::unchanged => $($name),+);
    };
}

/// The configuration adjustment that changes nothing.
pub fn unchanged(_: &mut Config) {}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Fast password hashing for tests (argon2id all the same).
pub const TEST_ARGON2: Argon2Cost = Argon2Cost {
    memory_kib: 256,
    iterations: 1,
};
pub const TEST_PASSWORD: &str = "mat-khau-thu-nghiem";

/// The day tests start on, unless they move the clock.
pub fn t0() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 3, 2)
        .and_then(|d| d.and_hms_opt(8, 0, 0))
        .or_fail()
}

pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

/// A database that exists for one test and is dropped after it.
pub struct TestDb {
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    pg_admin: Option<(String, String)>,
}

impl TestDb {
    pub fn sqlite() -> Self {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        let url = format!("sqlite://{}", dir.path().join("test.db").display());
        Self {
            url,
            _dir: Some(dir),
            pg_admin: None,
        }
    }

    /// A new database on the server of `TEST_DATABASE_URL`; `None` (skip) when unset, except in
    /// CI where PostgreSQL is required.
    pub fn postgres() -> Option<Self> {
        let admin = match std::env::var("TEST_DATABASE_URL") {
            Ok(u) if !u.is_empty() => u,
            _ => {
                assert!(
                    std::env::var("CI").is_err(),
                    "TEST_DATABASE_URL must be set in CI: the PostgreSQL half of the suite cannot be skipped"
                );
                eprintln!("skipped: TEST_DATABASE_URL is not set (./dev test sets it)");
                return None;
            }
        };
        let name = format!("bvantq_t_{}", &db::new_id()[..16]);
        let mut c = diesel::PgConnection::establish(&admin)
            .unwrap_or_else(|e| panic!("cannot reach PostgreSQL at TEST_DATABASE_URL: {e}"));
        diesel::sql_query(format!("CREATE DATABASE {name}"))
            .execute(&mut c)
            .unwrap_or_else(|e| panic!("create database: {e}"));
        let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
        let url = format!("{base}/{name}");
        Some(Self {
            url,
            _dir: None,
            pg_admin: Some((admin, name)),
        })
    }
}

impl TestDb {
    /// A new, empty database of `backend` (outside any `TestApp`, for tests of the binary).
    pub fn fresh(backend: Backend) -> Self {
        match backend {
            Backend::Sqlite => Self::sqlite(),
            Backend::Postgres => {
                Self::postgres().unwrap_or_else(|| panic!("TEST_DATABASE_URL not set"))
            }
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin, name)) = &self.pg_admin
            && let Ok(mut c) = diesel::PgConnection::establish(admin)
        {
            let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut c);
        }
    }
}

pub struct TestApp {
    /// `http://127.0.0.1:PORT`
    pub address: String,
    pub client: reqwest::Client,
    pub pool: Pool,
    pub clock: ManualClock,
    pub config: Arc<Config>,
    pub backend: Backend,
    pub db: TestDb,
    server: actix_web::dev::ServerHandle,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let h = self.server.clone();
        // Stop accepting, and let the database go.
        drop(h.stop(false));
    }
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> Self {
        Self::spawn_with(backend, |_| {}).await
    }

    /// On PostgreSQL, with a modified configuration (`None` where PostgreSQL is not set up,
    /// outside CI).
    pub async fn spawn_pg_with(adjust: impl FnOnce(&mut Config)) -> Option<Self> {
        let db = TestDb::postgres()?;
        Some(Self::start(db, Backend::Postgres, adjust).await)
    }

    /// Starts with a modified configuration (limits, identity provider…).
    pub async fn spawn_with(backend: Backend, adjust: impl FnOnce(&mut Config)) -> Self {
        Self::start(TestDb::fresh(backend), backend, adjust).await
    }

    async fn start(db: TestDb, backend: Backend, adjust: impl FnOnce(&mut Config)) -> Self {
        let clock = ManualClock::new(t0());
        let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
        let port = listener.local_addr().map(|a| a.port()).or_fail();
        let mut config = Config::for_database(&db.url);
        config.public_url = format!("http://127.0.0.1:{port}");
        config.clock = Arc::new(clock.clone());
        config.argon2 = TEST_ARGON2;
        config.workers = Some(2);
        config.web_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../web-form/dist");
        adjust(&mut config);
        Self::launch(listener, db, backend, config, clock, true).await
    }

    /// Prepares the state of `config` (migrations included) and serves it on `listener`.
    async fn launch(
        listener: TcpListener,
        db: TestDb,
        backend: Backend,
        config: Config,
        clock: ManualClock,
        seed: bool,
    ) -> Self {
        let port = listener.local_addr().map(|a| a.port()).or_fail();
        let state = tokio::task::spawn_blocking(move || bvantq_api::prepare(config))
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|e| panic!("prepare: {e}"));
        let pool = state.pool();
        let config = state.config();
        if seed {
            let mut conn = pool.get().unwrap_or_else(|e| panic!("{e}"));
            seed_units(&mut conn);
        }
        let server =
            bvantq_api::app::server::run(listener, state).unwrap_or_else(|e| panic!("{e}"));
        let handle = server.handle();
        tokio::spawn(server);
        Self {
            address: format!("http://127.0.0.1:{port}"),
            client: reqwest::Client::new(),
            pool,
            clock,
            config,
            backend,
            db,
            server: handle,
        }
    }

    /// Another instance of the server on the same database, with the same configuration, keys
    /// and clock, on its own port: two instances of a fleet (issue 21). The database belongs to
    /// `self`, which must outlive it.
    pub async fn another_instance(&self) -> TestApp {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
        let db = TestDb {
            url: self.db.url.clone(),
            _dir: None,
            pg_admin: None,
        };
        let config = (*self.config).clone();
        Self::launch(
            listener,
            db,
            self.backend,
            config,
            self.clock.clone(),
            false,
        )
        .await
    }

    /// Stops the server at once, as a crash or a pulled cable looks to a phone: connections
    /// close and new ones are refused until [`TestApp::restart`].
    pub async fn stop(&self) {
        self.server.stop(false).await;
    }

    /// Starts the server again on the same address, database and configuration.
    pub async fn restart(&mut self) {
        let config = (*self.config).clone();
        let state = tokio::task::spawn_blocking(move || bvantq_api::prepare(config))
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|e| panic!("prepare: {e}"));
        let addr = self.address.trim_start_matches("http://").to_string();
        let mut listener = TcpListener::bind(&addr);
        for _ in 0..50 {
            if listener.is_ok() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            listener = TcpListener::bind(&addr);
        }
        let listener = listener.unwrap_or_else(|e| panic!("{addr} is still taken: {e}"));
        self.pool = state.pool();
        self.config = state.config();
        let server =
            bvantq_api::app::server::run(listener, state).unwrap_or_else(|e| panic!("{e}"));
        self.server = server.handle();
        tokio::spawn(server);
    }

    /// The server clock as a Unix timestamp.
    pub fn clock_now(&self) -> i64 {
        use bvantq_api::infra::clock::Clock;
        self.clock.now().and_utc().timestamp()
    }

    pub fn conn(&self) -> db::PooledConn {
        self.pool.get().unwrap_or_else(|e| panic!("{e}"))
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// Creates an account (directly in the database) and logs it in through the API; returns
    /// the access token.
    pub async fn login_as(&self, role: Role, scope: &str) -> String {
        let username = format!("{}-{}", role.as_str().replace('_', "-"), &db::new_id()[..8]);
        self.add_user(&username, role, scope);
        self.login(&username, TEST_PASSWORD).await["access_token"]
            .as_str()
            .or_fail()
            .to_string()
    }

    pub fn add_user(&self, username: &str, role: Role, scope: &str) {
        let new = NewUser {
            username: username.into(),
            display_name: PersonName::parse("Cán Bộ Thử").unwrap_or_else(|e| panic!("{e}")),
            password: TEST_PASSWORD.into(),
            role,
            scope_unit: UnitCode::parse(scope).unwrap_or_else(|e| panic!("{e}")),
            phone: None,
            citizen_id: None,
        };
        bvantq_api::accounts::service::add_user(
            &mut self.conn(),
            &new,
            &self.config.cccd,
            TEST_ARGON2,
            t0(),
        )
        .unwrap_or_else(|e| panic!("add user: {e}"));
    }

    pub async fn login(&self, username: &str, password: &str) -> Value {
        let r = self
            .client
            .post(self.url("/api/v1/auth/login"))
            .json(&serde_json::json!({"username": username, "password": password}))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.status(), 200, "login of {username} failed");
        r.json().await.unwrap_or_else(|e| panic!("{e}"))
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> reqwest::Response {
        let mut r = self.client.get(self.url(path));
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        r.send().await.unwrap_or_else(|e| panic!("{e}"))
    }

    pub async fn post(
        &self,
        path: &str,
        body: &Value,
        token: Option<&str>,
        idem: Option<&str>,
    ) -> reqwest::Response {
        let mut r = self.client.post(self.url(path)).json(body);
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        if let Some(k) = idem {
            r = r.header("Idempotency-Key", k);
        }
        r.send().await.unwrap_or_else(|e| panic!("{e}"))
    }

    pub async fn put(&self, path: &str, body: &Value, token: &str) -> reqwest::Response {
        self.client
            .put(self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// Sets the clock to `hour`:00 in Vietnam on `month`/`day` of 2026.
    pub fn set_vn_time(&self, month: u32, day: u32, hour: u32) {
        let utc = NaiveDate::from_ymd_opt(2026, month, day)
            .and_then(|d| d.and_hms_opt(hour, 0, 0))
            .or_fail()
            - chrono::TimeDelta::hours(bvantq_shared::tip::VN_OFFSET_HOURS);
        self.clock.set(utc);
    }

    /// `GET /api/v1/dashboard?{query}`, which must answer 200, as JSON.
    pub async fn dashboard(&self, token: &str, query: &str) -> Value {
        let r = self
            .get(&format!("/api/v1/dashboard?{query}"), Some(token))
            .await;
        let status = r.status();
        let v = json(r).await;
        assert_eq!(status, 200, "{v}");
        v
    }

    /// `GET /api/v1/coverage` of `unit` for 2026 and audience `kind`, read as JSON — and, when
    /// it is an answer, also as the shared type the console reads it with.
    pub async fn coverage(&self, unit: &str, kind: &str, token: &str) -> Value {
        let v = json(
            self.get(
                &format!("/api/v1/coverage?unit={unit}&year=2026&kind={kind}"),
                Some(token),
            )
            .await,
        )
        .await;
        if v.get("children").is_some() {
            serde_json::from_value::<bvantq_shared::pledge::Coverage>(v.clone())
                .unwrap_or_else(|e| panic!("coverage does not read as its type: {e}\n{v}"));
        }
        v
    }

    /// Imports a roster (CSV text) for `unit` of the campaign `code` as `token`; panics unless
    /// every row was written.
    pub async fn upload_roster(&self, token: &str, code: &str, unit: &str, csv: &str) {
        let r = self
            .client
            .post(self.url(&format!("/api/v1/campaigns/{code}/roster?unit={unit}")))
            .bearer_auth(token)
            .header("content-type", "text/csv")
            .body(csv.to_string())
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let status = r.status();
        assert!(
            status.is_success(),
            "{status}: {}",
            r.text().await.or_fail()
        );
    }

    /// Creates a campaign of `kind` on `units` with its published template, open from 1 March to
    /// the end of 2026; returns its public code.
    pub async fn open_campaign(
        &self,
        token: &str,
        kind: &str,
        title: &str,
        units: &[&str],
    ) -> String {
        let templates = json(
            self.get(&format!("/api/v1/pledge-templates?kind={kind}"), None)
                .await,
        )
        .await;
        let body = serde_json::json!({"kind": kind, "year": 2026, "title": title,
            "template_id": templates[0]["id"], "opens_on": "2026-03-01", "closes_on": "2026-12-31",
            "units": units});
        let key = format!("campaign-{}", db::new_id());
        let v = json(
            self.post("/api/v1/campaigns", &body, Some(token), Some(&key))
                .await,
        )
        .await;
        v["code"]
            .as_str()
            .unwrap_or_else(|| panic!("no campaign: {v}"))
            .to_string()
    }

    /// A copy of the database as an attacker would have it, as text: on SQLite the bytes of the
    /// database file and its write-ahead log, copied while the server runs; on PostgreSQL what
    /// `pg_dump` writes.
    pub fn database_copy(&self) -> String {
        match self.backend {
            Backend::Sqlite => {
                let path = self.db.url.trim_start_matches("sqlite://").to_string();
                let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
                let mut all = Vec::new();
                for (from, name) in [
                    (path.clone(), "copy.db"),
                    (format!("{path}-wal"), "copy.db-wal"),
                ] {
                    let to = dir.path().join(name);
                    if std::fs::copy(&from, &to).is_ok() {
                        all.extend(std::fs::read(&to).unwrap_or_else(|e| panic!("{e}")));
                    }
                }
                String::from_utf8_lossy(&all).into_owned()
            }
            Backend::Postgres => {
                let out = std::process::Command::new("pg_dump")
                    .args(["--data-only", "--no-owner", &self.db.url])
                    .output()
                    .unwrap_or_else(|e| panic!("pg_dump: {e}"));
                assert!(
                    out.status.success(),
                    "pg_dump: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
                String::from_utf8_lossy(&out.stdout).into_owned()
            }
        }
    }

    pub fn count(&self, table: &str) -> i64 {
        #[derive(QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table}"))
            .get_result::<N>(&mut *self.conn())
            .map(|r| r.n)
            .unwrap_or_else(|e| panic!("count {table}: {e}"))
    }
}

/// The units every test starts with: the fixture list (Hà Nội, Khánh Hòa, Đồng Nai, a few
/// communes each) and the demo tree (Khánh Hòa's residential areas, school, enterprise, the
/// former Ninh Thuận), and the published demo pledge templates.
pub fn seed_units(conn: &mut DbConn) {
    let bytes = std::fs::read(fixture("units.json")).unwrap_or_else(|e| panic!("{e}"));
    let items = bvantq_api::units::tree::parse_json_units(&bytes).unwrap_or_else(|e| panic!("{e}"));
    bvantq_api::units::tree::import(conn, &items, t0()).unwrap_or_else(|e| panic!("{e}"));
    bvantq_api::units::tree::import(conn, &bvantq_api::app::demo::demo_units(), t0())
        .unwrap_or_else(|e| panic!("{e}"));
    bvantq_api::app::demo::seed_templates(conn, t0()).unwrap_or_else(|e| panic!("{e}"));
}

/// Reads a JSON body, panicking with the status and text when it is not JSON.
pub async fn json(r: reqwest::Response) -> Value {
    let status = r.status();
    let text = r.text().await.or_fail();
    serde_json::from_str(&text).unwrap_or_else(|_| panic!("{status}: not JSON: {text}"))
}

/// Asserts a problem+json answer with `status` and returns its body.
pub async fn problem(r: reqwest::Response, status: u16) -> Value {
    assert_eq!(r.status().as_u16(), status, "unexpected status");
    let ct = r
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    assert!(
        ct.starts_with("application/problem+json"),
        "content type {ct}"
    );
    let v = json(r).await;
    assert_eq!(v["status"], status);
    assert!(
        v["message_vi"].as_str().is_some_and(|s| !s.is_empty()),
        "no Vietnamese message: {v}"
    );
    assert!(
        v["message_en"].as_str().is_some_and(|s| !s.is_empty()),
        "no English message: {v}"
    );
    assert!(
        v["code"].as_str().is_some_and(|s| !s.is_empty()),
        "no code: {v}"
    );
    v
}
