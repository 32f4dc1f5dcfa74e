//! Encryption at rest of tip content (description, place, coordinates, contact details, messages,
//! photos) with XChaCha20-Poly1305. Each sealed value records the id of the key that sealed it, so
//! keys can rotate: new writes use the current key, older keys stay configured for reading until
//! `bvantq tips rekey` has moved every record to the current one.
//!
//! The associated data binds a ciphertext to its record and field (`tip:{id}:content`), so a
//! value copied onto another row or field does not decrypt.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};

const NONCE_LEN: usize = 24;

#[derive(Clone)]
struct Key {
    id: String,
    aead: XChaCha20Poly1305,
    mac_key: [u8; 32],
}

/// The configured tip keys: the current one and any older ones still needed to read.
#[derive(Clone)]
pub struct Sealer {
    current: Key,
    older: Vec<Key>,
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sealer")
            .field("current", &self.current.id)
            .field(
                "older",
                &self.older.iter().map(|k| &k.id).collect::<Vec<_>>(),
            )
            .finish()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SealError {
    #[error("no configured key has id {0}")]
    UnknownKey(String),
    #[error("ciphertext does not authenticate (wrong key, record or field)")]
    Forged,
    #[error("the cipher refused to seal (a plaintext beyond its limit)")]
    Refused,
}

impl Key {
    /// Any secret of ≥ 32 bytes; the cipher key, the MAC key and the public key id are derived
    /// from it, so the id reveals nothing about the key.
    fn derive(secret: &[u8]) -> Self {
        let h = |label: &[u8]| -> [u8; 32] {
            let mut d = Sha256::new();
            d.update(label);
            d.update(secret);
            d.finalize().into()
        };
        let enc = h(b"bvantq tip encryption key v1\0");
        let id = crate::infra::db::hex(&h(b"bvantq tip key id v1\0")[..6]);
        Self {
            id,
            aead: XChaCha20Poly1305::new(&enc.into()),
            mac_key: h(b"bvantq tip mac key v1\0"),
        }
    }
}

impl Key {
    fn mac(&self, label: &str, data: &[u8]) -> String {
        let mut mac = match <Hmac<Sha256> as Mac>::new_from_slice(&self.mac_key) {
            Ok(m) => m,
            Err(_) => unreachable!("HMAC accepts keys of any length"),
        };
        mac.update(label.as_bytes());
        mac.update(b"\0");
        mac.update(data);
        crate::infra::db::hex(&mac.finalize().into_bytes())
    }
}

impl Sealer {
    pub fn new(current: &[u8], older: &[Vec<u8>]) -> Self {
        Self {
            current: Key::derive(current),
            older: older.iter().map(|k| Key::derive(k)).collect(),
        }
    }

    pub fn random() -> Self {
        let mut k = [0u8; 32];
        rand::rng().fill_bytes(&mut k);
        Self::new(&k, &[])
    }

    pub fn current_key_id(&self) -> &str {
        &self.current.id
    }

    fn key(&self, id: &str) -> Result<&Key, SealError> {
        std::iter::once(&self.current)
            .chain(&self.older)
            .find(|k| k.id == id)
            .ok_or_else(|| SealError::UnknownKey(id.to_string()))
    }

    /// Seals `plain` for `context`; returns the key id and `nonce ‖ ciphertext ‖ tag`. Nothing is
    /// ever stored unsealed: a refusal of the cipher is an error, not an empty ciphertext.
    pub fn seal(&self, context: &str, plain: &[u8]) -> Result<(String, Vec<u8>), SealError> {
        let mut nonce = [0u8; NONCE_LEN];
        rand::rng().fill_bytes(&mut nonce);
        let ct = self
            .current
            .aead
            .encrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: plain,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| SealError::Refused)?;
        let mut out = Vec::with_capacity(NONCE_LEN + ct.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&ct);
        Ok((self.current.id.clone(), out))
    }

    pub fn open(&self, key_id: &str, context: &str, sealed: &[u8]) -> Result<Vec<u8>, SealError> {
        let key = self.key(key_id)?;
        if sealed.len() < NONCE_LEN {
            return Err(SealError::Forged);
        }
        let (nonce, ct) = sealed.split_at(NONCE_LEN);
        let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| SealError::Forged)?;
        key.aead
            .decrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: ct,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| SealError::Forged)
    }

    /// Whether a record sealed under `key_id` should be re-sealed with the current key.
    pub fn is_stale(&self, key_id: &str) -> bool {
        key_id != self.current.id
    }

    /// A keyed fingerprint (HMAC-SHA256, hex) under the current key: for values that must be
    /// matched but not kept, such as the body of a tip request for idempotent replays.
    pub fn fingerprint(&self, label: &str, data: &[u8]) -> String {
        self.current.mac(label, data)
    }

    /// The fingerprints of a value under every configured key, the current one first: what a
    /// record written before a rotation (and not yet re-keyed) may hold.
    pub fn fingerprints(&self, label: &str, data: &[u8]) -> Vec<String> {
        std::iter::once(&self.current)
            .chain(&self.older)
            .map(|k| k.mac(label, data))
            .collect()
    }

    /// A cipher keyed by a secret the client holds (its `Idempotency-Key`) and the server key
    /// together: a stored response sealed with it can be read only when the client replays.
    pub fn for_client_secret(&self, client_secret: &str) -> Sealer {
        let k = self.fingerprint("client secret", client_secret.as_bytes());
        Sealer::new(k.as_bytes(), &[])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roundtrip_binds_context_and_rotates() {
        let old = Sealer::new(&[1u8; 32], &[]);
        let (id, ct) = old
            .seal("tip:a:content", b"MARKER description")
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(!ct.windows(6).any(|w| w == b"MARKER"));
        assert_eq!(
            old.open(&id, "tip:a:content", &ct).ok(),
            Some(b"MARKER description".to_vec())
        );
        // Another record or field: refused.
        assert!(matches!(
            old.open(&id, "tip:b:content", &ct),
            Err(SealError::Forged)
        ));
        // After rotation the old key still reads; new writes use the new key.
        let new = Sealer::new(&[2u8; 32], &[vec![1u8; 32]]);
        assert_eq!(
            new.open(&id, "tip:a:content", &ct).ok(),
            Some(b"MARKER description".to_vec())
        );
        assert!(new.is_stale(&id));
        let (id2, _) = new.seal("x", b"y").unwrap_or_else(|e| panic!("{e}"));
        assert_ne!(id, id2);
        // Without the old key: an unknown key id, not garbage.
        let lost = Sealer::new(&[2u8; 32], &[]);
        assert!(matches!(
            lost.open(&id, "tip:a:content", &ct),
            Err(SealError::UnknownKey(_))
        ));
        // Nonces are random: equal plaintexts give different ciphertexts.
        let seal = |s: &Sealer| s.seal("c", b"same").unwrap_or_else(|e| panic!("{e}")).1;
        assert_ne!(seal(&old), seal(&old));
    }
}
