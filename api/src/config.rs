//! Configuration, from command-line flags or the environment. Secrets come from the environment
//! or a file, never from the source: when none is given, a random one is generated once into the
//! data directory (mode 0600) so a demo runs with zero set-up.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::Args;
use jsonwebtoken::Algorithm;

use crate::clock::{Clock, SystemClock};

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "BVANTQ_BIND", default_value = "127.0.0.1:8080")]
    pub bind: String,
    /// Directory of the built web form (wasm, JS, HTML).
    #[arg(long, env = "BVANTQ_WEB_DIR", default_value = "web-form/dist")]
    pub web_dir: PathBuf,
    /// HTTP worker threads (default: number of cores).
    #[arg(long, env = "BVANTQ_WORKERS")]
    pub workers: Option<usize>,
    /// Largest JSON body accepted, in bytes.
    #[arg(long, env = "BVANTQ_JSON_LIMIT", default_value_t = 64 * 1024)]
    pub json_limit: usize,
    /// Trust `X-Forwarded-For` for the client address (only behind your own proxy).
    #[arg(long, env = "BVANTQ_TRUST_PROXY", default_value_t = false)]
    pub trust_proxy: bool,
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
    /// Tips (and reporter messages) accepted per client address per hour.
    #[arg(long, env = "BVANTQ_TIPS_PER_IP_PER_HOUR", default_value_t = 30)]
    pub tips_per_ip_per_hour: u32,
    /// Extra days off for the legal clock (lunar holidays such as Tết), comma-separated
    /// YYYY-MM-DD; Saturdays, Sundays and 1/1, 30/4, 1/5, 2/9 are built in.
    #[arg(long, env = "BVANTQ_HOLIDAYS", value_delimiter = ',')]
    pub holidays: Vec<chrono::NaiveDate>,
}

#[derive(Debug, Clone, Args)]
pub struct DbArgs {
    /// `sqlite://PATH` (default: DATA_DIR/bvantq.db) or `postgres://user@host/db`.
    #[arg(long, env = "DATABASE_URL")]
    pub database_url: Option<String>,
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

/// An external identity provider whose signed tokens are accepted.
#[derive(Clone)]
pub struct ExternalIdp {
    pub algorithm: Algorithm,
    pub key: jsonwebtoken::DecodingKey,
    pub issuer: String,
}

impl std::fmt::Debug for ExternalIdp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExternalIdp")
            .field("algorithm", &self.algorithm)
            .field("issuer", &self.issuer)
            .finish()
    }
}

/// Everything the running server needs.
#[derive(Clone)]
pub struct Config {
    pub database_url: String,
    pub web_dir: PathBuf,
    pub json_limit: usize,
    pub trust_proxy: bool,
    pub login_per_ip_per_minute: u32,
    pub login_failures_per_account: u32,
    pub access_ttl_secs: i64,
    pub refresh_ttl_days: i64,
    pub jwt_secret: Vec<u8>,
    /// Key of the CCCD HMAC (`BVANTQ_CCCD_HMAC_KEY`); changing it breaks matching of stored numbers.
    pub cccd_key: Vec<u8>,
    pub jwt_issuer: String,
    pub jwt_audience: String,
    pub idp: Option<ExternalIdp>,
    pub argon2: Argon2Cost,
    pub clock: Arc<dyn Clock>,
    pub workers: Option<usize>,
    /// Seals tip content at rest (`BVANTQ_TIP_KEY`, older keys in `BVANTQ_TIP_OLD_KEYS`).
    pub tip_sealer: crate::sealing::Sealer,
    pub tip_retention_days: i64,
    pub tip_failures_per_ip: u32,
    pub tip_failures_global: u32,
    pub tips_per_ip_per_hour: u32,
    /// Extra days off for the legal clock.
    pub holidays: Vec<chrono::NaiveDate>,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("database", &crate::db::Backend::of_url(&self.database_url))
            .field("web_dir", &self.web_dir)
            .field("idp", &self.idp)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{0}")]
    Invalid(String),
    #[error("cannot read or write {0}: {1}")]
    Io(String, std::io::Error),
}

pub const ACCESS_TTL_MAX_SECS: i64 = 15 * 60;

impl Config {
    /// Settings for tests and tools: a given database, a random signing secret, defaults else.
    pub fn for_database(url: &str) -> Self {
        use rand::RngCore;
        let mut secret = vec![0u8; 32];
        rand::rng().fill_bytes(&mut secret);
        let mut cccd_key = vec![0u8; 32];
        rand::rng().fill_bytes(&mut cccd_key);
        Self {
            database_url: url.to_string(),
            web_dir: PathBuf::from("web-form/dist"),
            json_limit: 64 * 1024,
            trust_proxy: false,
            login_per_ip_per_minute: 20,
            login_failures_per_account: 5,
            access_ttl_secs: ACCESS_TTL_MAX_SECS,
            refresh_ttl_days: 14,
            jwt_secret: secret,
            cccd_key,
            jwt_issuer: "bvantq".into(),
            jwt_audience: "bvantq-api".into(),
            idp: None,
            argon2: Argon2Cost::default(),
            clock: Arc::new(SystemClock),
            workers: None,
            tip_sealer: crate::sealing::Sealer::random(),
            tip_retention_days: 365,
            tip_failures_per_ip: 10,
            tip_failures_global: 300,
            tips_per_ip_per_hour: 30,
            holidays: Vec::new(),
        }
    }

    pub fn from_args(serve: &ServeArgs, db: &DbArgs) -> Result<Self, ConfigError> {
        if !(60..=ACCESS_TTL_MAX_SECS).contains(&serve.access_ttl_secs) {
            return Err(ConfigError::Invalid(format!(
                "BVANTQ_ACCESS_TTL_SECS must be between 60 and {ACCESS_TTL_MAX_SECS}"
            )));
        }
        let mut c = Self::for_database(&db.url());
        c.web_dir = serve.web_dir.clone();
        c.json_limit = serve.json_limit;
        c.trust_proxy = serve.trust_proxy;
        c.login_per_ip_per_minute = serve.login_per_ip_per_minute;
        c.login_failures_per_account = serve.login_failures_per_account;
        c.access_ttl_secs = serve.access_ttl_secs;
        c.refresh_ttl_days = serve.refresh_ttl_days;
        c.workers = serve.workers;
        c.jwt_secret = secret("BVANTQ_JWT_SECRET", &db.data_dir, "jwt.key")?;
        c.cccd_key = secret("BVANTQ_CCCD_HMAC_KEY", &db.data_dir, "cccd-hmac.key")?;
        c.tip_sealer = tip_sealer(&db.data_dir)?;
        if serve.tip_retention_days < 1 {
            return Err(ConfigError::Invalid(
                "BVANTQ_TIP_RETENTION_DAYS must be at least 1".into(),
            ));
        }
        c.tip_retention_days = serve.tip_retention_days;
        c.tip_failures_per_ip = serve.tip_failures_per_ip;
        c.tip_failures_global = serve.tip_failures_global;
        c.tips_per_ip_per_hour = serve.tips_per_ip_per_hour;
        c.holidays = serve.holidays.clone();
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

/// Reads an external identity provider's PEM public key.
pub fn load_idp(
    path: &Path,
    algorithm: &str,
    issuer: Option<String>,
) -> Result<ExternalIdp, ConfigError> {
    let pem = std::fs::read(path).map_err(|e| ConfigError::Io(path.display().to_string(), e))?;
    let (algorithm, key) = match algorithm {
        "RS256" => (
            Algorithm::RS256,
            jsonwebtoken::DecodingKey::from_rsa_pem(&pem),
        ),
        "EdDSA" => (
            Algorithm::EdDSA,
            jsonwebtoken::DecodingKey::from_ed_pem(&pem),
        ),
        other => {
            return Err(ConfigError::Invalid(format!(
                "BVANTQ_IDP_ALGORITHM must be RS256 or EdDSA, not {other}"
            )));
        }
    };
    let key = key.map_err(|e| ConfigError::Invalid(format!("{}: {e}", path.display())))?;
    let issuer = issuer.ok_or_else(|| {
        ConfigError::Invalid("BVANTQ_IDP_ISSUER is required with BVANTQ_IDP_PUBLIC_KEY_FILE".into())
    })?;
    Ok(ExternalIdp {
        algorithm,
        key,
        issuer,
    })
}

/// The tip sealing keys: the current one from `BVANTQ_TIP_KEY` (or `_FILE`, or generated once),
/// older ones still needed for reading from `BVANTQ_TIP_OLD_KEYS` (comma-separated) or
/// `BVANTQ_TIP_OLD_KEYS_FILE` (one per line).
pub fn tip_sealer(data_dir: &Path) -> Result<crate::sealing::Sealer, ConfigError> {
    let current = secret("BVANTQ_TIP_KEY", data_dir, "tip.key")?;
    let older_text = match (
        std::env::var("BVANTQ_TIP_OLD_KEYS"),
        std::env::var("BVANTQ_TIP_OLD_KEYS_FILE"),
    ) {
        (Ok(v), _) => v.replace(',', "\n"),
        (_, Ok(path)) => std::fs::read_to_string(&path).map_err(|e| ConfigError::Io(path, e))?,
        _ => String::new(),
    };
    let mut older = Vec::new();
    for k in older_text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        older.push(check_secret_len(
            "BVANTQ_TIP_OLD_KEYS",
            k.as_bytes().to_vec(),
        )?);
    }
    Ok(crate::sealing::Sealer::new(&current, &older))
}

/// A secret from `NAME` (base64 or raw text of ≥ 32 bytes), the file named by `NAME_FILE`, or a
/// file generated once at `DATA_DIR/secrets/FILE`.
pub fn secret(name: &str, data_dir: &Path, file: &str) -> Result<Vec<u8>, ConfigError> {
    if let Ok(v) = std::env::var(name) {
        return check_secret_len(name, v.trim().as_bytes().to_vec());
    }
    let explicit = std::env::var(format!("{name}_FILE"))
        .ok()
        .map(PathBuf::from);
    let path = explicit
        .clone()
        .unwrap_or_else(|| data_dir.join("secrets").join(file));
    match std::fs::read(&path) {
        Ok(bytes) => check_secret_len(name, trim_ascii(&bytes).to_vec()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && explicit.is_none() => {
            generate_secret_file(&path)
        }
        Err(e) => Err(ConfigError::Io(path.display().to_string(), e)),
    }
}

fn trim_ascii(b: &[u8]) -> &[u8] {
    b.trim_ascii()
}

fn check_secret_len(name: &str, v: Vec<u8>) -> Result<Vec<u8>, ConfigError> {
    if v.len() < 32 {
        Err(ConfigError::Invalid(format!(
            "{name} must be at least 32 bytes"
        )))
    } else {
        Ok(v)
    }
}

fn generate_secret_file(path: &Path) -> Result<Vec<u8>, ConfigError> {
    use base64::Engine;
    use rand::RngCore;
    let io = |e| ConfigError::Io(path.display().to_string(), e);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let mut raw = [0u8; 32];
    rand::rng().fill_bytes(&mut raw);
    let text = base64::engine::general_purpose::STANDARD.encode(raw);
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path).map_err(io)?;
    std::io::Write::write_all(&mut f, text.as_bytes()).map_err(io)?;
    f.sync_all().map_err(io)?;
    tracing::info!(path = %path.display(), "generated a new secret file");
    Ok(text.into_bytes())
}
