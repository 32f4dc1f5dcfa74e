//! Configuration, from command-line flags or the environment. Secrets come from the environment
//! or a file, never from the source: when none is given, a random one is generated once into the
//! data directory (mode 0600) so a demo runs with zero set-up.

use std::path::PathBuf;
use std::sync::Arc;

use clap::Args;

use crate::infra::clock::{Clock, SystemClock};

mod idp;
mod proxy;
mod secrets;

pub use idp::*;
pub use proxy::*;
pub use secrets::*;

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "BVANTQ_BIND", default_value = "127.0.0.1:8080")]
    pub bind: String,
    /// The address people reach this server at, e.g. `https://camket.congan.gov.vn`: QR codes,
    /// share links and the embedding snippet are built from it, never from a request's `Host`.
    /// Required, except for `serve --demo`, which uses the listening address.
    #[arg(long, env = "BVANTQ_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// A separate address serving `/metrics` only (e.g. `127.0.0.1:9090` for a local Prometheus).
    #[arg(long, env = "BVANTQ_METRICS_BIND")]
    pub metrics_bind: Option<String>,
    /// Directory of the built web form (wasm, JS, HTML).
    #[arg(long, env = "BVANTQ_WEB_DIR", default_value = "web-form/dist")]
    pub web_dir: PathBuf,
    /// HTTP worker threads (default: number of cores).
    #[arg(long, env = "BVANTQ_WORKERS")]
    pub workers: Option<usize>,
    /// Largest JSON body accepted, in bytes.
    #[arg(long, env = "BVANTQ_JSON_LIMIT", default_value_t = 64 * 1024)]
    pub json_limit: usize,
    /// Take the client address from `X-Forwarded-For` (only behind your own proxy): the
    /// rightmost hop that is not a trusted proxy.
    #[arg(long, env = "BVANTQ_TRUST_PROXY", default_value_t = false)]
    pub trust_proxy: bool,
    /// The proxies whose `X-Forwarded-For` hops are skipped, as addresses or CIDR blocks
    /// (comma-separated). Empty: the direct peer is the only proxy.
    #[arg(long, env = "BVANTQ_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<Cidr>,
    /// Login attempts allowed per client address per minute.
    #[arg(long, env = "BVANTQ_LOGIN_PER_IP_PER_MINUTE", default_value_t = 20)]
    pub login_per_ip_per_minute: u32,
    /// Failed logins allowed per account per 15 minutes.
    #[arg(long, env = "BVANTQ_LOGIN_FAILURES_PER_ACCOUNT", default_value_t = 5)]
    pub login_failures_per_account: u32,
    /// Access token lifetime in seconds (at most 900).
    #[arg(long, env = "BVANTQ_ACCESS_TTL_SECS", default_value_t = 900)]
    pub access_ttl_secs: i64,
    /// Refresh token lifetime in days.
    #[arg(long, env = "BVANTQ_REFRESH_TTL_DAYS", default_value_t = 14)]
    pub refresh_ttl_days: i64,
    /// Absolute lifetime of a session in days: after it, the officer signs in again however
    /// often the tokens were renewed.
    #[arg(long, env = "BVANTQ_SESSION_MAX_DAYS", default_value_t = 30)]
    pub session_max_days: i64,
    /// Public key (PEM) of an external identity provider whose tokens are accepted.
    #[arg(long, env = "BVANTQ_IDP_PUBLIC_KEY_FILE")]
    pub idp_public_key_file: Option<PathBuf>,
    /// Algorithm of the external identity provider: RS256 or EdDSA.
    #[arg(long, env = "BVANTQ_IDP_ALGORITHM", default_value = "RS256")]
    pub idp_algorithm: String,
    /// `iss` the external identity provider puts in its tokens.
    #[arg(long, env = "BVANTQ_IDP_ISSUER")]
    pub idp_issuer: Option<String>,
    /// Days after a tip is closed before its content is purged (statistics are kept).
    #[arg(long, env = "BVANTQ_TIP_RETENTION_DAYS", default_value_t = 365)]
    pub tip_retention_days: i64,
    /// Wrong receipt codes allowed per client address per 10 minutes.
    #[arg(long, env = "BVANTQ_TIP_FAILURES_PER_IP", default_value_t = 10)]
    pub tip_failures_per_ip: u32,
    /// Wrong receipt codes allowed per minute from all clients together.
    #[arg(long, env = "BVANTQ_TIP_FAILURES_GLOBAL", default_value_t = 300)]
    pub tip_failures_global: u32,
    /// Hours an idempotency record (a replayable response) is kept before it is purged.
    #[arg(long, env = "BVANTQ_IDEMPOTENCY_HOURS", default_value_t = 24)]
    pub idempotency_hours: i64,
    /// Tips (and reporter messages) accepted per client address per hour.
    #[arg(long, env = "BVANTQ_TIPS_PER_IP_PER_HOUR", default_value_t = 30)]
    pub tips_per_ip_per_hour: u32,
    /// Public signings accepted per client address per hour (a school's computer room signs
    /// from one address).
    #[arg(long, env = "BVANTQ_SIGNINGS_PER_IP_PER_HOUR", default_value_t = 120)]
    pub signings_per_ip_per_hour: u32,
    /// Public signings accepted per campaign per hour (no one address can use up more than its
    /// own hourly limit of it).
    #[arg(
        long,
        env = "BVANTQ_SIGNINGS_PER_CAMPAIGN_PER_HOUR",
        default_value_t = 3000
    )]
    pub signings_per_campaign_per_hour: u32,
    /// The most, in milliseconds, a read from the replica may be behind the primary; past it,
    /// reads go to the primary until the replica catches up.
    #[arg(long, env = "BVANTQ_READ_MAX_LAG_MS", default_value_t = 1000)]
    pub read_max_lag_ms: u64,
    /// The oldest, in seconds, the national dashboard's snapshot is served (`plans::national`;
    /// 0: read afresh for every request).
    #[arg(long, env = "BVANTQ_NATIONAL_MAX_AGE_S", default_value_t = 60)]
    pub national_max_age_s: u64,
    /// Signings of one campaign from one address within 10 minutes past which they are flagged
    /// for the officers (`burst`).
    #[arg(long, env = "BVANTQ_SIGNING_BURST", default_value_t = 10)]
    pub signing_burst: u32,
    /// Megabytes of photos accepted per hour from all reporters together (503 past it).
    #[arg(long, env = "BVANTQ_PHOTO_MB_PER_HOUR", default_value_t = 2048)]
    pub photo_mb_per_hour: u64,
    /// Megabytes of photos accepted per hour for the tips of one commune.
    #[arg(
        long,
        env = "BVANTQ_PHOTO_MB_PER_COMMUNE_PER_HOUR",
        default_value_t = 200
    )]
    pub photo_mb_per_commune_per_hour: u64,
    /// Extra days off for the legal clock (lunar holidays such as Tết), comma-separated
    /// YYYY-MM-DD; Saturdays, Sundays and 1/1, 30/4, 1/5, 2/9 are built in.
    #[arg(long, env = "BVANTQ_HOLIDAYS", value_delimiter = ',')]
    pub holidays: Vec<chrono::NaiveDate>,
    /// Where urgent-tip notices are posted (an SMS / Zalo OA / e-mail gateway), as JSON with an
    /// `Idempotency-Key`; unset: notices show in the console only.
    #[arg(long, env = "BVANTQ_NOTICE_WEBHOOK_URL")]
    pub notice_webhook_url: Option<String>,
    /// Attempts before a notice goes to the dead-letter list.
    #[arg(long, env = "BVANTQ_NOTICE_MAX_ATTEMPTS", default_value_t = 8)]
    pub notice_max_attempts: i32,
}

#[derive(Debug, Clone, Args)]
pub struct DbArgs {
    /// `sqlite://PATH` (default: DATA_DIR/bvantq.db) or `postgres://user@host/db`.
    #[arg(long, env = "DATABASE_URL")]
    pub database_url: Option<String>,
    /// A streaming replica of the PostgreSQL primary (`postgres://…`) for reads that may be a
    /// little stale: dashboards, coverage, statistics, exports, the public campaign page.
    #[arg(long, env = "DATABASE_READ_URL")]
    pub database_read_url: Option<String>,
    /// Where the embedded database and generated secrets live.
    #[arg(long, env = "BVANTQ_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,
}

impl DbArgs {
    pub fn url(&self) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}", self.data_dir.join("bvantq.db").display()))
    }
}

/// Password hashing cost (argon2id).
#[derive(Debug, Clone, Copy)]
pub struct Argon2Cost {
    pub memory_kib: u32,
    pub iterations: u32,
}

impl Default for Argon2Cost {
    /// OWASP's recommended argon2id setting: 19 MiB, 2 iterations.
    fn default() -> Self {
        Self {
            memory_kib: 19 * 1024,
            iterations: 2,
        }
    }
}

/// Everything the running server needs.
#[derive(Clone)]
pub struct Config {
    pub database_url: String,
    /// The read replica and how stale its reads may be (`DATABASE_READ_URL`).
    pub read: Option<crate::infra::db::replica::ReadConfig>,
    /// Where people reach this server (`BVANTQ_PUBLIC_URL`), without a trailing slash.
    pub public_url: String,
    /// Bearer token that opens `/metrics` on the main address (`BVANTQ_METRICS_TOKEN` or
    /// `_FILE`); without it, `/metrics` answers only on `BVANTQ_METRICS_BIND`.
    pub metrics_token: Option<String>,
    pub web_dir: PathBuf,
    pub json_limit: usize,
    pub proxy: ProxyTrust,
    pub login_per_ip_per_minute: u32,
    pub login_failures_per_account: u32,
    pub access_ttl_secs: i64,
    pub refresh_ttl_days: i64,
    /// Absolute lifetime of a session (`BVANTQ_SESSION_MAX_DAYS`).
    pub session_max_days: i64,
    pub jwt_secret: Vec<u8>,
    /// The CCCD key chain (`BVANTQ_CCCD_HMAC_KEY`, older links in `BVANTQ_CCCD_OLD_KEYS`).
    pub cccd: Arc<crate::infra::cccd_keys::CccdKeys>,
    pub jwt_issuer: String,
    pub jwt_audience: String,
    pub idp: Option<ExternalIdp>,
    pub argon2: Argon2Cost,
    pub clock: Arc<dyn Clock>,
    pub workers: Option<usize>,
    /// Seals tip content at rest (`BVANTQ_TIP_KEY`, older keys in `BVANTQ_TIP_OLD_KEYS`).
    pub tip_sealer: crate::infra::sealing::Sealer,
    pub tip_retention_days: i64,
    /// Hours idempotency records are kept (`BVANTQ_IDEMPOTENCY_HOURS`).
    pub idempotency_hours: i64,
    pub tip_failures_per_ip: u32,
    pub tip_failures_global: u32,
    pub tips_per_ip_per_hour: u32,
    /// Extra days off for the legal clock.
    pub holidays: Vec<chrono::NaiveDate>,
    /// The gateway urgent-tip notices are posted to.
    pub notice_webhook_url: Option<String>,
    pub notice_max_attempts: i32,
    pub signings_per_ip_per_hour: u32,
    pub signings_per_campaign_per_hour: u32,
    pub signing_burst: u32,
    /// `BVANTQ_NATIONAL_MAX_AGE_S`.
    pub national_max_age_secs: u64,
    /// Photo bytes per hour, all reporters and per commune.
    pub photo_bytes_per_hour: u64,
    pub photo_bytes_per_commune_per_hour: u64,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field(
                "database",
                &crate::infra::db::Backend::of_url(&self.database_url),
            )
            .field("web_dir", &self.web_dir)
            .field("idp", &self.idp)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{0}")]
    Invalid(String),
    #[error("{name} is not set")]
    MissingKey {
        name: String,
        generated: Option<String>,
    },
    #[error("{}", missing_keys_message(.0))]
    MissingKeys(Vec<(String, Option<String>)>),
    #[error("cannot read or write {0}: {1}")]
    Io(String, std::io::Error),
}

fn missing_keys_message(missing: &[(String, Option<String>)]) -> String {
    let mut m = String::from(
        "on PostgreSQL the keys must be configured (the same on every instance, kept outside the \
         data directory); not set:",
    );
    for (name, generated) in missing {
        m.push_str(&format!("\n  {name} (or {name}_FILE)"));
        if let Some(path) = generated {
            m.push_str(&format!(
                " — a key generated by an earlier start is at {path}: set {name}_FILE={path}"
            ));
        }
    }
    m.push_str("\ngenerate each with `openssl rand -base64 32`");
    m
}

const MB: u64 = 1024 * 1024;

pub const ACCESS_TTL_MAX_SECS: i64 = 15 * 60;

impl Config {
    /// Settings for tests and tools: a given database, a random signing secret, defaults else.
    pub fn for_database(url: &str) -> Self {
        use rand::RngCore;
        let mut secret = vec![0u8; 32];
        rand::rng().fill_bytes(&mut secret);
        Self {
            database_url: url.to_string(),
            read: None,
            public_url: "http://127.0.0.1:8080".into(),
            metrics_token: None,
            web_dir: PathBuf::from("web-form/dist"),
            json_limit: 64 * 1024,
            proxy: ProxyTrust::default(),
            login_per_ip_per_minute: 20,
            login_failures_per_account: 5,
            access_ttl_secs: ACCESS_TTL_MAX_SECS,
            refresh_ttl_days: 14,
            session_max_days: 30,
            jwt_secret: secret,
            cccd: Arc::new(crate::infra::cccd_keys::CccdKeys::random()),
            jwt_issuer: "bvantq".into(),
            jwt_audience: "bvantq-api".into(),
            idp: None,
            argon2: Argon2Cost::default(),
            clock: Arc::new(SystemClock),
            workers: None,
            tip_sealer: crate::infra::sealing::Sealer::random(),
            tip_retention_days: 365,
            idempotency_hours: 24,
            tip_failures_per_ip: 10,
            tip_failures_global: 300,
            tips_per_ip_per_hour: 30,
            holidays: Vec::new(),
            notice_webhook_url: None,
            notice_max_attempts: 8,
            signings_per_ip_per_hour: 120,
            signings_per_campaign_per_hour: 3000,
            signing_burst: 10,
            national_max_age_secs: 60,
            photo_bytes_per_hour: 2048 * MB,
            photo_bytes_per_commune_per_hour: 200 * MB,
        }
    }

    /// `demo`: `serve --demo`, where the public address may default to the listening one.
    pub fn from_args(serve: &ServeArgs, db: &DbArgs, demo: bool) -> Result<Self, ConfigError> {
        if !(60..=ACCESS_TTL_MAX_SECS).contains(&serve.access_ttl_secs) {
            return Err(ConfigError::Invalid(format!(
                "BVANTQ_ACCESS_TTL_SECS must be between 60 and {ACCESS_TTL_MAX_SECS}"
            )));
        }
        let mut c = Self::for_database(&db.url());
        match &serve.public_url {
            Some(u) => c.public_url = parse_public_url(u)?,
            None if demo => c.public_url = format!("http://{}", serve.bind),
            None => {
                return Err(ConfigError::Invalid(
                    "BVANTQ_PUBLIC_URL must be set (e.g. https://camket.example.gov.vn): QR codes \
                     and links are built from it, never from a request's Host header"
                        .into(),
                ));
            }
        }
        c.metrics_token = match (
            std::env::var("BVANTQ_METRICS_TOKEN"),
            std::env::var("BVANTQ_METRICS_TOKEN_FILE"),
        ) {
            (Ok(t), _) => Some(t.trim().to_string()),
            (_, Ok(path)) => Some(
                std::fs::read_to_string(&path)
                    .map_err(|e| ConfigError::Io(path, e))?
                    .trim()
                    .to_string(),
            ),
            _ => None,
        };
        if c.metrics_token.as_ref().is_some_and(|t| t.len() < 16) {
            return Err(ConfigError::Invalid(
                "BVANTQ_METRICS_TOKEN must be at least 16 characters".into(),
            ));
        }
        c.web_dir = serve.web_dir.clone();
        c.json_limit = serve.json_limit;
        c.proxy = ProxyTrust {
            enabled: serve.trust_proxy,
            trusted: serve.trusted_proxies.clone(),
        };
        c.login_per_ip_per_minute = serve.login_per_ip_per_minute;
        c.login_failures_per_account = serve.login_failures_per_account;
        c.access_ttl_secs = serve.access_ttl_secs;
        c.refresh_ttl_days = serve.refresh_ttl_days;
        if serve.session_max_days < 1 || serve.refresh_ttl_days < 1 {
            return Err(ConfigError::Invalid(
                "BVANTQ_SESSION_MAX_DAYS and BVANTQ_REFRESH_TTL_DAYS must be at least 1".into(),
            ));
        }
        c.session_max_days = serve.session_max_days;
        c.workers = serve.workers;
        let keys = SecretSource::for_database(db).keys()?;
        c.jwt_secret = keys.jwt_secret;
        c.cccd = Arc::new(keys.cccd);
        c.tip_sealer = keys.tip;
        if serve.tip_retention_days < 1 {
            return Err(ConfigError::Invalid(
                "BVANTQ_TIP_RETENTION_DAYS must be at least 1".into(),
            ));
        }
        c.tip_retention_days = serve.tip_retention_days;
        if serve.idempotency_hours < 1 {
            return Err(ConfigError::Invalid(
                "BVANTQ_IDEMPOTENCY_HOURS must be at least 1".into(),
            ));
        }
        c.idempotency_hours = serve.idempotency_hours;
        c.tip_failures_per_ip = serve.tip_failures_per_ip;
        c.tip_failures_global = serve.tip_failures_global;
        c.tips_per_ip_per_hour = serve.tips_per_ip_per_hour;
        c.holidays = serve.holidays.clone();
        c.notice_webhook_url = serve.notice_webhook_url.clone();
        c.notice_max_attempts = serve.notice_max_attempts.max(1);
        c.signings_per_ip_per_hour = serve.signings_per_ip_per_hour;
        c.signings_per_campaign_per_hour = serve.signings_per_campaign_per_hour;
        c.signing_burst = serve.signing_burst;
        c.read = db
            .database_read_url
            .as_ref()
            .map(|url| crate::infra::db::replica::ReadConfig {
                url: url.clone(),
                max_lag: std::time::Duration::from_millis(serve.read_max_lag_ms.max(1)),
            });
        c.national_max_age_secs = serve.national_max_age_s;
        c.photo_bytes_per_hour = serve.photo_mb_per_hour.saturating_mul(MB);
        c.photo_bytes_per_commune_per_hour = serve.photo_mb_per_commune_per_hour.saturating_mul(MB);
        c.idp = match &serve.idp_public_key_file {
            None => None,
            Some(path) => Some(load_idp(
                path,
                &serve.idp_algorithm,
                serve.idp_issuer.clone(),
            )?),
        };
        Ok(c)
    }
}

/// A public base URL: `http(s)://host[:port][/path]`, kept without a trailing slash. Only
/// characters that need no escaping in HTML or a URL are accepted.
pub fn parse_public_url(u: &str) -> Result<String, ConfigError> {
    let u = u.trim().trim_end_matches('/');
    let rest = u
        .strip_prefix("https://")
        .or_else(|| u.strip_prefix("http://"));
    let ok = rest.is_some_and(|r| {
        !r.is_empty()
            && r.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-._~:/[]".contains(&b))
            && !r.starts_with('/')
    });
    if ok {
        Ok(u.to_string())
    } else {
        Err(ConfigError::Invalid(format!(
            "BVANTQ_PUBLIC_URL must be http(s)://host[:port][/path], not {u:?}"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_decoded_and_checked_for_entropy() {
        // 32 random bytes, base64 or hex: accepted, used as written.
        let b64 = "q1Xz0bP4cX6m1n8kR2tV5wY7zA9dF3hJ6kL8pS0uW2E=";
        assert_eq!(
            check_key("K", b64.as_bytes()).ok(),
            Some(b64.as_bytes().to_vec())
        );
        let hex = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
        assert!(check_key("K", hex.as_bytes()).is_ok());
        // Passphrases, short keys and patterns: refused, naming the variable.
        for bad in [
            "correct horse battery staple, a long passphrase!",
            "c2hvcnQ=",
            &"a".repeat(64),
            &"AAAA".repeat(11),
            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
        ] {
            match check_key("BVANTQ_TIP_KEY", bad.as_bytes()) {
                Err(ConfigError::Invalid(m)) => assert!(m.contains("BVANTQ_TIP_KEY"), "{m}"),
                other => panic!("{bad:?} accepted: {other:?}"),
            }
        }
    }

    #[test]
    fn postgres_refuses_to_generate_keys() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let src = SecretSource {
            data_dir: dir.path().to_path_buf(),
            may_generate: false,
        };
        match src.keys() {
            Err(ConfigError::MissingKeys(m)) => {
                let names: Vec<&str> = m.iter().map(|(n, _)| n.as_str()).collect();
                assert_eq!(
                    names,
                    [
                        "BVANTQ_JWT_SECRET",
                        "BVANTQ_CCCD_HMAC_KEY",
                        "BVANTQ_TIP_KEY"
                    ]
                );
                let msg = ConfigError::MissingKeys(m).to_string();
                assert!(
                    msg.contains("BVANTQ_TIP_KEY_FILE") && msg.contains("openssl"),
                    "{msg}"
                );
            }
            other => panic!("keys made up on PostgreSQL: {:?}", other.map(|_| ())),
        }
        assert!(!dir.path().join("secrets").exists(), "nothing written");
        // The embedded database generates them once, beside it.
        let embedded = SecretSource {
            data_dir: dir.path().to_path_buf(),
            may_generate: true,
        };
        assert!(embedded.keys().is_ok());
        assert!(dir.path().join("secrets/tip.key").exists());
    }

    #[test]
    fn public_urls_are_plain() {
        assert_eq!(
            parse_public_url("https://camket.example.gov.vn/")
                .ok()
                .as_deref(),
            Some("https://camket.example.gov.vn")
        );
        assert!(parse_public_url("http://127.0.0.1:8080").is_ok());
        for bad in [
            "camket.vn",
            "javascript:alert(1)",
            "https://a\"b",
            "https://<x>",
            "ftp://x",
        ] {
            assert!(parse_public_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn cidr_blocks_contain_their_addresses() {
        let c: Cidr = "10.0.0.0/8".parse().unwrap_or_else(|e| panic!("{e}"));
        assert!(c.contains("10.1.2.3".parse().unwrap_or_else(|e| panic!("{e}"))));
        assert!(!c.contains("11.0.0.1".parse().unwrap_or_else(|e| panic!("{e}"))));
        let v6: Cidr = "2001:db8::/32".parse().unwrap_or_else(|e| panic!("{e}"));
        assert!(v6.contains("2001:db8:1::1".parse().unwrap_or_else(|e| panic!("{e}"))));
        assert!("10.0.0.0/33".parse::<Cidr>().is_err());
    }
}
