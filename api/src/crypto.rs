//! Keyed hashing of identity numbers: a CCCD is stored only as HMAC-SHA256 under a key from
//! configuration (so equal numbers can be matched without keeping them), plus its last 4 digits.

use bvantq_shared::CitizenId;
use hmac::{Hmac, Mac};
use sha2::Sha256;

pub fn cccd_hmac(key: &[u8], id: &CitizenId) -> String {
    let mut mac = match <Hmac<Sha256> as Mac>::new_from_slice(key) {
        Ok(m) => m,
        Err(_) => unreachable!("HMAC accepts keys of any length"),
    };
    mac.update(b"cccd:");
    mac.update(id.as_str().as_bytes());
    crate::db::hex(&mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyed_and_stable() {
        let id = CitizenId::parse("056185012345").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(cccd_hmac(b"k1", &id), cccd_hmac(b"k1", &id));
        assert_ne!(cccd_hmac(b"k1", &id), cccd_hmac(b"k2", &id));
        assert!(!cccd_hmac(b"k1", &id).contains("056185012345"));
    }
}
