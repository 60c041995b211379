//! The signing key the operator generates for a Tenant that references none.
//!
//! ES256: asymmetric, so workloads can verify tokens against the sidecar's JWKS without
//! holding a secret, and cheap to sign (a P-256 signature is a small share of a password
//! hash). Generated once and kept in its own Secret, so it survives reconciles and
//! operator restarts and tokens stay valid.

use std::collections::BTreeMap;

use authlet_core::config::SigningAlgorithm;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{EcdsaKeyPair, ECDSA_P256_SHA256_FIXED_SIGNING};
use uuid::Uuid;

use crate::render::GeneratedSigningKey;

/// Keys of the generated key's Secret.
pub const ID_KEY: &str = "id";
pub const ALGORITHM_KEY: &str = "algorithm";
pub const PRIVATE_KEY_KEY: &str = "privateKey";

#[derive(Debug, thiserror::Error)]
pub enum SigningKeyError {
    #[error("could not generate a key: {0}")]
    Generate(String),
    #[error("the generated-key Secret is malformed: {0}")]
    Malformed(&'static str),
}

/// A fresh P-256 key as PKCS#8 PEM, with a random id.
pub fn generate() -> Result<GeneratedSigningKey, SigningKeyError> {
    let pkcs8 =
        EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &SystemRandom::new())
            .map_err(|e| SigningKeyError::Generate(e.to_string()))?;
    let pem = pem::encode(&pem::Pem::new("PRIVATE KEY", pkcs8.as_ref().to_vec()));
    Ok(GeneratedSigningKey {
        id: Uuid::new_v4(),
        algorithm: SigningAlgorithm::ES256,
        private_key_pem: pem,
    })
}

/// The Secret data that stores a generated key.
pub fn to_secret_data(key: &GeneratedSigningKey) -> BTreeMap<String, Vec<u8>> {
    BTreeMap::from([
        (ID_KEY.to_owned(), key.id.to_string().into_bytes()),
        (ALGORITHM_KEY.to_owned(), b"ES256".to_vec()),
        (
            PRIVATE_KEY_KEY.to_owned(),
            key.private_key_pem.clone().into_bytes(),
        ),
    ])
}

/// Reads a generated key back from its Secret's data.
pub fn from_secret_data(
    data: &BTreeMap<String, Vec<u8>>,
) -> Result<GeneratedSigningKey, SigningKeyError> {
    let text = |key: &'static str| {
        data.get(key)
            .and_then(|v| std::str::from_utf8(v).ok())
            .ok_or(SigningKeyError::Malformed(key))
    };
    let id = text(ID_KEY)?
        .parse()
        .map_err(|_| SigningKeyError::Malformed(ID_KEY))?;
    if text(ALGORITHM_KEY)? != "ES256" {
        return Err(SigningKeyError::Malformed(ALGORITHM_KEY));
    }
    Ok(GeneratedSigningKey {
        id,
        algorithm: SigningAlgorithm::ES256,
        private_key_pem: text(PRIVATE_KEY_KEY)?.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_key_round_trips_through_its_secret() {
        let key = generate().unwrap();
        assert!(key
            .private_key_pem
            .starts_with("-----BEGIN PRIVATE KEY-----"));
        let back = from_secret_data(&to_secret_data(&key)).unwrap();
        assert_eq!(back, key);
        assert_ne!(generate().unwrap().id, key.id);
    }

    #[test]
    fn malformed_secret_names_the_bad_key() {
        let mut data = to_secret_data(&generate().unwrap());
        data.insert(ID_KEY.into(), b"not-a-uuid".to_vec());
        assert!(matches!(
            from_secret_data(&data),
            Err(SigningKeyError::Malformed(ID_KEY))
        ));
    }
}
