//! Keys and secrets: from the environment, a file, or (embedded SQLite only) generated once into
//! the data directory; each checked to be long and random enough.

use std::path::{Path, PathBuf};

use super::*;

/// Where secrets come from: the environment, a file, or — for the embedded SQLite database only —
/// a file generated once in the data directory. A server on PostgreSQL shares its database with
/// other instances and backups, so its keys must be configured, the same on every instance, and
/// kept away from the data.
#[derive(Debug, Clone)]
pub struct SecretSource {
    pub data_dir: PathBuf,
    pub may_generate: bool,
}

impl SecretSource {
    pub fn for_database(db: &DbArgs) -> Self {
        Self {
            data_dir: db.data_dir.clone(),
            may_generate: crate::infra::db::Backend::of_url(&db.url())
                == crate::infra::db::Backend::Sqlite,
        }
    }

    /// A secret from `NAME`, the file named by `NAME_FILE`, or a file generated once at
    /// `DATA_DIR/secrets/FILE` (SQLite only). Checked by [`check_key`].
    pub fn get(&self, name: &str, file: &str) -> Result<Vec<u8>, ConfigError> {
        if let Ok(v) = std::env::var(name) {
            return check_key(name, v.trim().as_bytes());
        }
        let explicit = std::env::var(format!("{name}_FILE"))
            .ok()
            .map(PathBuf::from);
        let path = explicit
            .clone()
            .unwrap_or_else(|| self.data_dir.join("secrets").join(file));
        if explicit.is_none() && !self.may_generate {
            return Err(ConfigError::MissingKey {
                name: name.to_string(),
                generated: path.exists().then(|| path.display().to_string()),
            });
        }
        match std::fs::read(&path) {
            Ok(bytes) => check_key(name, bytes.trim_ascii()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && explicit.is_none() => {
                generate_secret_file(&path)
            }
            Err(e) => Err(ConfigError::Io(path.display().to_string(), e)),
        }
    }

    /// Older keys still needed (`NAME` comma-separated, or `NAME_FILE` one per line), in order.
    pub fn list(&self, name: &str) -> Result<Vec<Vec<u8>>, ConfigError> {
        let text = match (std::env::var(name), std::env::var(format!("{name}_FILE"))) {
            (Ok(v), _) => v.replace(',', "\n"),
            (_, Ok(path)) => {
                std::fs::read_to_string(&path).map_err(|e| ConfigError::Io(path, e))?
            }
            _ => String::new(),
        };
        text.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|k| check_key(name, k.as_bytes()))
            .collect()
    }

    /// Every key the server needs, each checked; on PostgreSQL one error naming every missing one.
    pub fn keys(&self) -> Result<Keys, ConfigError> {
        let mut missing = Vec::new();
        let mut take = |r: Result<Vec<u8>, ConfigError>| match r {
            Err(ConfigError::MissingKey { name, generated }) => {
                missing.push((name, generated));
                None
            }
            other => Some(other),
        };
        let jwt = take(self.get("BVANTQ_JWT_SECRET", "jwt.key"));
        let cccd = take(self.get("BVANTQ_CCCD_HMAC_KEY", "cccd-hmac.key"));
        let tip = take(self.get("BVANTQ_TIP_KEY", "tip.key"));
        if !missing.is_empty() {
            return Err(ConfigError::MissingKeys(missing));
        }
        let (Some(jwt), Some(cccd), Some(tip)) = (jwt, cccd, tip) else {
            unreachable!("every key is either missing or read")
        };
        let (jwt, cccd, tip) = (jwt?, cccd?, tip?);
        Ok(Keys {
            jwt_secret: jwt,
            cccd: crate::infra::cccd_keys::CccdKeys::new(
                &cccd,
                &self.list("BVANTQ_CCCD_OLD_KEYS")?,
            ),
            tip: crate::infra::sealing::Sealer::new(&tip, &self.list("BVANTQ_TIP_OLD_KEYS")?),
        })
    }

    /// The tip keys alone (`bvantq tips rekey`).
    pub fn tip_sealer(&self) -> Result<crate::infra::sealing::Sealer, ConfigError> {
        let current = self.get("BVANTQ_TIP_KEY", "tip.key")?;
        Ok(crate::infra::sealing::Sealer::new(
            &current,
            &self.list("BVANTQ_TIP_OLD_KEYS")?,
        ))
    }

    /// The CCCD key chain alone (`bvantq user add`, `bvantq pledges rekey`).
    pub fn cccd_keys(&self) -> Result<crate::infra::cccd_keys::CccdKeys, ConfigError> {
        let current = self.get("BVANTQ_CCCD_HMAC_KEY", "cccd-hmac.key")?;
        Ok(crate::infra::cccd_keys::CccdKeys::new(
            &current,
            &self.list("BVANTQ_CCCD_OLD_KEYS")?,
        ))
    }
}

/// The server's keys.
pub struct Keys {
    pub jwt_secret: Vec<u8>,
    pub cccd: crate::infra::cccd_keys::CccdKeys,
    pub tip: crate::infra::sealing::Sealer,
}

/// Checks a configured key: it must be base64 or hex of at least 32 random-looking bytes (so a
/// passphrase or `aaaa…` is refused). The key is used exactly as written, so keys written by
/// earlier versions keep reading what they wrote.
pub fn check_key(name: &str, text: &[u8]) -> Result<Vec<u8>, ConfigError> {
    let bad = |why: &str| {
        ConfigError::Invalid(format!(
            "{name}: {why}; use 32 random bytes in base64 or hex, e.g. `openssl rand -base64 32`"
        ))
    };
    let text = text.trim_ascii();
    let s = std::str::from_utf8(text).map_err(|_| bad("not text"))?;
    let decoded = decode_key(s).ok_or_else(|| bad("not base64 or hex"))?;
    if decoded.len() < 32 {
        return Err(bad(&format!(
            "{} bytes once decoded, at least 32 are needed",
            decoded.len()
        )));
    }
    if !looks_random(&decoded) {
        return Err(bad("too little entropy (repeated or patterned bytes)"));
    }
    Ok(text.to_vec())
}

fn decode_key(s: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
    let hex = (s.len() >= 64 && s.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| crate::infra::db::unhex(s))
        .flatten();
    hex.or_else(|| {
        [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD]
            .iter()
            .find_map(|e| e.decode(s).ok())
    })
}

/// At least half the bytes distinct (capped at 16) and no byte more than a quarter of the key:
/// 32 random bytes pass with overwhelming probability (≈ 30 distinct), a typed pattern does not.
fn looks_random(b: &[u8]) -> bool {
    let mut counts = [0usize; 256];
    for &x in b {
        counts[usize::from(x)] += 1;
    }
    let distinct = counts.iter().filter(|&&c| c > 0).count();
    let most = counts.iter().copied().max().unwrap_or(0);
    distinct >= (b.len() / 2).min(16) && most * 4 <= b.len()
        // Ascending or descending runs (0x00 0x01 0x02 …) are distinct but not random.
        && b.windows(2).filter(|w| w[1].wrapping_sub(w[0]) == 1 || w[0].wrapping_sub(w[1]) == 1).count() * 2 < b.len()
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
