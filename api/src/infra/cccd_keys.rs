//! Keyed hashing of identity numbers. A CCCD is stored only as a keyed hash (plus its last 4
//! digits), so equal numbers can be matched without keeping them, and a database copy without the
//! key cannot test guesses against it.
//!
//! The key can be rotated although the numbers themselves are never kept: the keys form a chain
//! (`BVANTQ_CCCD_OLD_KEYS`, oldest first, then `BVANTQ_CCCD_HMAC_KEY`). A number's hash under the
//! first link is `HMAC(K1, "cccd:" ‖ number)`; each further link wraps the previous hash,
//! `HMAC(Kn, "cccd-wrap:" ‖ hash)`. A stored value is `{link id}:{hex}`, the id naming the link it
//! was last wrapped with; `bvantq pledges rekey` wraps every stored value up to the newest link.
//! After that a leaked older key alone no longer lets anyone test guesses (the newest key is needed
//! too); the older keys stay configured because a new number is hashed along the whole chain.

use std::sync::atomic::{AtomicBool, Ordering};

use bvantq_shared::CitizenId;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// One key of the chain.
#[derive(Clone)]
struct Link {
    id: String,
    key: Vec<u8>,
}

impl Link {
    /// The link of `key` after the link `previous` (`None`: the first). Its id names the chain
    /// up to it, not the key alone: the same key at another place in a chain has another id, so a
    /// server started with a chain that differs anywhere refuses the stored values.
    fn new(key: &[u8], previous: Option<&Link>) -> Self {
        let mut d = Sha256::new();
        d.update(b"bvantq cccd key id v1\0");
        if let Some(p) = previous {
            d.update(p.id.as_bytes());
            d.update(b"\0");
        }
        d.update(key);
        Self {
            id: crate::infra::db::hex(&d.finalize()[..6]),
            key: key.to_vec(),
        }
    }

    fn mac(&self, label: &[u8], data: &[u8]) -> String {
        let mut mac = match <Hmac<Sha256> as Mac>::new_from_slice(&self.key) {
            Ok(m) => m,
            Err(_) => unreachable!("HMAC accepts keys of any length"),
        };
        mac.update(label);
        mac.update(data);
        crate::infra::db::hex(&mac.finalize().into_bytes())
    }
}

/// The CCCD key chain.
pub struct CccdKeys {
    links: Vec<Link>,
    /// True once every stored value is known to be wrapped up to the newest link (read from the
    /// database at start and by the maintenance job, written by `bvantq pledges rekey`): then a
    /// number is matched by its full-chain hash alone.
    settled: AtomicBool,
}

impl Clone for CccdKeys {
    fn clone(&self) -> Self {
        Self {
            links: self.links.clone(),
            settled: AtomicBool::new(self.settled.load(Ordering::Relaxed)),
        }
    }
}

impl std::fmt::Debug for CccdKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CccdKeys")
            .field(
                "links",
                &self.links.iter().map(|l| &l.id).collect::<Vec<_>>(),
            )
            .finish()
    }
}

/// Name of the `key_state` row that records the chain every stored value is wrapped to.
pub const SETTLED_STATE: &str = "cccd_chain";

impl CccdKeys {
    /// `older` oldest first, then the current key.
    pub fn new(current: &[u8], older: &[Vec<u8>]) -> Self {
        let mut links: Vec<Link> = Vec::with_capacity(older.len() + 1);
        for k in older.iter().map(Vec::as_slice).chain([current]) {
            let link = Link::new(k, links.last());
            links.push(link);
        }
        let settled = links.len() == 1;
        Self {
            links,
            settled: AtomicBool::new(settled),
        }
    }

    /// A random single key (tests and tools).
    pub fn random() -> Self {
        use rand::RngCore;
        let mut k = [0u8; 32];
        rand::rng().fill_bytes(&mut k);
        Self::new(&k, &[])
    }

    /// Id of the newest link: the chain new values are written under.
    pub fn chain_id(&self) -> &str {
        self.links.last().map_or("", |l| l.id.as_str())
    }

    /// Id of the first link: unlabelled values written before key ids existed are under it.
    pub fn root_id(&self) -> &str {
        self.links.first().map_or("", |l| l.id.as_str())
    }

    /// Every link's id, oldest first.
    pub fn ids(&self) -> Vec<&str> {
        self.links.iter().map(|l| l.id.as_str()).collect()
    }

    /// Where the link `id` sits in the chain.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.links.iter().position(|l| l.id == id)
    }

    pub fn set_settled(&self, settled: bool) {
        self.settled
            .store(settled || self.links.len() == 1, Ordering::Relaxed);
    }

    /// Whether every stored value is wrapped to the newest link.
    pub fn is_settled(&self) -> bool {
        self.settled.load(Ordering::Relaxed)
    }

    /// The stored form of a number: its hash along the whole chain, labelled with the newest id.
    pub fn hash(&self, id: &CitizenId) -> String {
        let mut out = String::new();
        for (i, h) in self.prefixes(id) {
            out = format!("{}:{h}", self.links[i].id);
        }
        out
    }

    /// Every stored form a number may have: under each prefix of the chain while a rekey is
    /// pending, else only the full chain. Newest first.
    pub fn candidates(&self, id: &CitizenId) -> Vec<String> {
        let mut all: Vec<String> = self
            .prefixes(id)
            .map(|(i, h)| format!("{}:{h}", self.links[i].id))
            .collect();
        all.reverse();
        if self.is_settled() {
            all.truncate(1);
        }
        all
    }

    fn prefixes<'a>(&'a self, id: &CitizenId) -> impl Iterator<Item = (usize, String)> + 'a {
        let mut h = String::new();
        let digits = id.as_str().as_bytes().to_vec();
        self.links.iter().enumerate().map(move |(i, l)| {
            h = if i == 0 {
                l.mac(b"cccd:", &digits)
            } else {
                l.mac(b"cccd-wrap:", h.as_bytes())
            };
            (i, h.clone())
        })
    }

    /// A stored value wrapped up to the newest link; `None` when it already is, or when it names
    /// no configured link (a key missing from the configuration: rekey stops rather than guess).
    pub fn rewrap(&self, stored: &str) -> Result<Option<String>, RewrapError> {
        let (id, hex) = stored
            .split_once(':')
            .ok_or(RewrapError::Unlabelled(stored.len()))?;
        let at = self
            .links
            .iter()
            .position(|l| l.id == id)
            .ok_or_else(|| RewrapError::UnknownLink(id.to_string()))?;
        if at + 1 == self.links.len() {
            return Ok(None);
        }
        let mut h = hex.to_string();
        for l in &self.links[at + 1..] {
            h = l.mac(b"cccd-wrap:", h.as_bytes());
        }
        Ok(Some(format!("{}:{h}", self.chain_id())))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RewrapError {
    #[error("a stored CCCD hash has no key id (length {0})")]
    Unlabelled(usize),
    #[error("a stored CCCD hash names key {0}, which is not configured (BVANTQ_CCCD_OLD_KEYS)")]
    UnknownLink(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> CitizenId {
        CitizenId::parse(s).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn keyed_stable_and_labelled() {
        let k1 = CccdKeys::new(&[1u8; 32], &[]);
        let k2 = CccdKeys::new(&[2u8; 32], &[]);
        let n = id("056185012345");
        assert_eq!(k1.hash(&n), k1.hash(&n));
        assert_ne!(k1.hash(&n), k2.hash(&n));
        assert!(!k1.hash(&n).contains("056185012345"));
        assert!(k1.hash(&n).starts_with(&format!("{}:", k1.chain_id())));
        assert_eq!(k1.candidates(&n), vec![k1.hash(&n)]);
    }

    #[test]
    fn the_first_link_is_the_unlabelled_hash_of_before() {
        // What stores held before key ids: hex(HMAC(key, "cccd:" ‖ number)).
        let key = b"a key of thirty-two bytes or more!!";
        let n = id("056185012345");
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|e| panic!("{e}"));
        mac.update(b"cccd:");
        mac.update(n.as_str().as_bytes());
        let before = crate::infra::db::hex(&mac.finalize().into_bytes());
        let ring = CccdKeys::new(key, &[]);
        assert_eq!(ring.hash(&n), format!("{}:{before}", ring.root_id()));
    }

    #[test]
    fn rotation_wraps_old_values_to_the_new_chain() {
        let old = CccdKeys::new(&[1u8; 32], &[]);
        let rotated = CccdKeys::new(&[2u8; 32], &[vec![1u8; 32]]);
        let n = id("056185012345");
        let stored = old.hash(&n);
        // While the rekey is pending, both forms are looked for, the new one first.
        assert_eq!(
            rotated.candidates(&n),
            vec![rotated.hash(&n), stored.clone()]
        );
        // Rekeying the old value gives exactly what a new signing writes.
        assert_eq!(
            rotated.rewrap(&stored).ok().flatten(),
            Some(rotated.hash(&n))
        );
        assert_eq!(rotated.rewrap(&rotated.hash(&n)).ok().flatten(), None);
        rotated.set_settled(true);
        assert_eq!(rotated.candidates(&n), vec![rotated.hash(&n)]);
        // The old key alone gives nothing that matches the new value.
        assert!(
            !rotated
                .hash(&n)
                .contains(stored.split_once(':').map_or("", |s| s.1))
        );
        // The new key alone is another chain: its values and id differ from the rotated chain's.
        let alone = CccdKeys::new(&[2u8; 32], &[]);
        assert_ne!(alone.chain_id(), rotated.chain_id());
        assert_ne!(alone.hash(&n), rotated.hash(&n));
        // A value under a key that is not configured is an error, not a guess.
        let other = CccdKeys::new(&[9u8; 32], &[]);
        assert!(matches!(
            rotated.rewrap(&other.hash(&n)),
            Err(RewrapError::UnknownLink(_))
        ));
    }
}
