//! An external identity provider whose signed tokens are accepted.

use std::path::Path;

use jsonwebtoken::Algorithm;

use super::*;

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
