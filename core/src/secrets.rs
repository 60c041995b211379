//! Identifiers, token values and API keys: generated from injected randomness, stored
//! only as hashes, compared in constant time.

use base64::Engine as _;
use rand_core::RngCore;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use uuid::Uuid;

use crate::config::ApiKeyConfig;

pub fn random_bytes(rng: &mut dyn RngCore, len: usize) -> Vec<u8> {
    let mut bytes = vec![0u8; len];
    rng.fill_bytes(&mut bytes);
    bytes
}

/// A FusionAuth-style opaque identifier (`twoFactorId`, `changePasswordId`, one-time
/// password, trust id): 32 random bytes, URL-safe Base64 without padding.
pub fn random_identifier(rng: &mut dyn RngCore) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random_bytes(rng, 32))
}

/// A refresh token value: 48 random bytes, URL-safe Base64.
pub fn random_refresh_token(rng: &mut dyn RngCore) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random_bytes(rng, 48))
}

pub fn random_uuid(rng: &mut dyn RngCore) -> Uuid {
    let mut bytes = [0u8; 16];
    rng.fill_bytes(&mut bytes);
    uuid::Builder::from_random_bytes(bytes).into_uuid()
}

/// Lower-case hex SHA-256: how identifiers, tokens and API keys are stored, so that a
/// copy of the database or the rendered config does not hand out working credentials.
pub fn sha256_hex(value: &[u8]) -> String {
    let digest = Sha256::digest(value);
    let mut out = String::with_capacity(64);
    for byte in digest {
        out.push(char::from(b"0123456789abcdef"[usize::from(byte >> 4)]));
        out.push(char::from(b"0123456789abcdef"[usize::from(byte & 0xf)]));
    }
    out
}

pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.ct_eq(b).into()
}

/// What a valid API key may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApiKeyScope {
    /// `Some`: the key is locked to this tenant.
    pub tenant_id: Option<Uuid>,
}

/// API keys prepared for lookup: each as the SHA-256 of its value.
#[derive(Clone, Default)]
pub struct ApiKeys {
    entries: Vec<([u8; 32], ApiKeyScope)>,
}

impl std::fmt::Debug for ApiKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ApiKeys({} keys)", self.entries.len())
    }
}

impl ApiKeys {
    /// Built from validated config (keys or 64-hex key hashes).
    pub fn new(keys: &[ApiKeyConfig]) -> Self {
        let entries = keys
            .iter()
            .filter_map(|key| {
                let digest: [u8; 32] = match (&key.key, &key.key_hash) {
                    (Some(value), _) => Sha256::digest(value.expose().as_bytes()).into(),
                    (None, Some(hex)) => decode_hex32(hex)?,
                    (None, None) => return None,
                };
                Some((
                    digest,
                    ApiKeyScope {
                        tenant_id: key.tenant_id,
                    },
                ))
            })
            .collect();
        Self { entries }
    }

    /// The scope of `presented`, comparing against every key in constant time so that
    /// neither the match nor its position leaks through timing.
    pub fn authenticate(&self, presented: &str) -> Option<ApiKeyScope> {
        let digest: [u8; 32] = Sha256::digest(presented.as_bytes()).into();
        let mut found = None;
        for (candidate, scope) in &self.entries {
            if bool::from(candidate.ct_eq(&digest)) {
                found = Some(*scope);
            }
        }
        found
    }
}

fn decode_hex32(hex: &str) -> Option<[u8; 32]> {
    let bytes = hex.as_bytes();
    if bytes.len() != 64 {
        return None;
    }
    let nibble = |c: u8| match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        _ => None,
    };
    let mut out = [0u8; 32];
    for (i, pair) in bytes.chunks(2).enumerate() {
        out[i] = nibble(pair[0])? << 4 | nibble(pair[1])?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Secret;

    #[test]
    fn api_keys_match_by_value_or_hash_and_carry_their_tenant() {
        let tenant = Uuid::from_u128(7);
        let keys = ApiKeys::new(&[
            ApiKeyConfig {
                key: Some(Secret::new("global-key-0123456789")),
                key_hash: None,
                tenant_id: None,
                description: None,
            },
            ApiKeyConfig {
                key: None,
                key_hash: Some(sha256_hex(b"tenant-key-0123456789")),
                tenant_id: Some(tenant),
                description: None,
            },
        ]);
        assert_eq!(
            keys.authenticate("global-key-0123456789"),
            Some(ApiKeyScope { tenant_id: None })
        );
        assert_eq!(
            keys.authenticate("tenant-key-0123456789"),
            Some(ApiKeyScope {
                tenant_id: Some(tenant)
            })
        );
        assert_eq!(keys.authenticate("global-key-012345678"), None);
        assert_eq!(keys.authenticate(""), None);
    }

    #[test]
    fn sha256_hex_matches_known_digest() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn identifiers_are_url_safe_and_long_enough() {
        let mut rng = rand::rngs::OsRng;
        let id = random_identifier(&mut rng);
        assert_eq!(id.len(), 43);
        assert!(id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert_ne!(id, random_identifier(&mut rng));
    }
}
