//! JWT signing keys, parsed once per configuration.
//!
//! Signing goes straight to aws-lc-rs (jsonwebtoken's fast backend) through key objects
//! built at load time: jsonwebtoken's `encode` re-parses the private key on every call,
//! which costs more than the rest of a token. Verification uses jsonwebtoken with keys
//! derived from the same private keys; the JWKS publishes the asymmetric ones.

use std::collections::HashMap;

use authlet_core::config::{SigningAlgorithm, SigningKeyConfig};
use aws_lc_rs::hmac;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{self, EcdsaKeyPair, KeyPair, RsaKeyPair};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};
use uuid::Uuid;

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("keys[{index}]: {message}")]
    Invalid { index: usize, message: String },
}

enum Signer {
    Hmac(Box<hmac::Key>),
    Rsa(RsaKeyPair, &'static signature::RsaSignatureEncoding),
    Ecdsa(EcdsaKeyPair),
}

struct SigningKey {
    algorithm: SigningAlgorithm,
    signer: Signer,
    decoding: DecodingKey,
    jwk: Option<Value>,
}

/// Every configured key, by id.
pub struct KeySet {
    keys: HashMap<Uuid, SigningKey>,
    rng: SystemRandom,
}

impl std::fmt::Debug for KeySet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeySet")
            .field("ids", &self.keys.keys().collect::<Vec<_>>())
            .finish()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("no signing key {0}")]
    UnknownKey(Uuid),
    #[error("signing failed")]
    Signing,
    #[error("token is invalid")]
    Invalid,
}

fn jwt_algorithm(algorithm: SigningAlgorithm) -> Algorithm {
    match algorithm {
        SigningAlgorithm::HS256 => Algorithm::HS256,
        SigningAlgorithm::HS384 => Algorithm::HS384,
        SigningAlgorithm::HS512 => Algorithm::HS512,
        SigningAlgorithm::RS256 => Algorithm::RS256,
        SigningAlgorithm::RS384 => Algorithm::RS384,
        SigningAlgorithm::RS512 => Algorithm::RS512,
        SigningAlgorithm::ES256 => Algorithm::ES256,
        SigningAlgorithm::ES384 => Algorithm::ES384,
    }
}

fn pem_der(pem: &str) -> Option<(Vec<u8>, bool)> {
    let mut reader = std::io::BufReader::new(pem.as_bytes());
    match rustls_pemfile::read_one(&mut reader).ok()?? {
        rustls_pemfile::Item::Pkcs8Key(key) => Some((key.secret_pkcs8_der().to_vec(), true)),
        rustls_pemfile::Item::Pkcs1Key(key) => Some((key.secret_pkcs1_der().to_vec(), false)),
        rustls_pemfile::Item::Sec1Key(key) => Some((key.secret_sec1_der().to_vec(), false)),
        _ => None,
    }
}

fn load(index: usize, config: &SigningKeyConfig) -> Result<SigningKey, KeyError> {
    let invalid = |message: &str| KeyError::Invalid {
        index,
        message: message.to_owned(),
    };
    let kid = config.id.to_string();
    let algorithm = config.algorithm;
    if algorithm.is_hmac() {
        let secret = config
            .secret
            .as_ref()
            .and_then(|s| STANDARD.decode(s.expose().trim()).ok())
            .ok_or_else(|| invalid("secret must be base64"))?;
        let hmac_algorithm = match algorithm {
            SigningAlgorithm::HS384 => hmac::HMAC_SHA384,
            SigningAlgorithm::HS512 => hmac::HMAC_SHA512,
            _ => hmac::HMAC_SHA256,
        };
        return Ok(SigningKey {
            algorithm,
            signer: Signer::Hmac(Box::new(hmac::Key::new(hmac_algorithm, &secret))),
            decoding: DecodingKey::from_secret(&secret),
            jwk: None,
        });
    }
    let pem = config
        .private_key
        .as_ref()
        .ok_or_else(|| invalid("privateKey is required"))?;
    let (der, pkcs8) =
        pem_der(pem.expose()).ok_or_else(|| invalid("privateKey is not a PEM private key"))?;
    match algorithm {
        SigningAlgorithm::RS256 | SigningAlgorithm::RS384 | SigningAlgorithm::RS512 => {
            let pair = if pkcs8 {
                RsaKeyPair::from_pkcs8(&der)
            } else {
                RsaKeyPair::from_der(&der)
            }
            .map_err(|_| invalid("privateKey is not an RSA private key"))?;
            if pair.public_modulus_len() < 256 {
                return Err(invalid("RSA keys must be at least 2048 bits"));
            }
            let public = pair.public_key();
            let n = URL_SAFE_NO_PAD.encode(public.modulus().big_endian_without_leading_zero());
            let e = URL_SAFE_NO_PAD.encode(public.exponent().big_endian_without_leading_zero());
            let decoding =
                DecodingKey::from_rsa_components(&n, &e).map_err(|_| invalid("bad RSA key"))?;
            let encoding = match algorithm {
                SigningAlgorithm::RS384 => &signature::RSA_PKCS1_SHA384,
                SigningAlgorithm::RS512 => &signature::RSA_PKCS1_SHA512,
                _ => &signature::RSA_PKCS1_SHA256,
            };
            Ok(SigningKey {
                algorithm,
                signer: Signer::Rsa(pair, encoding),
                decoding,
                jwk: Some(
                    json!({"kty": "RSA", "use": "sig", "alg": format!("{algorithm:?}"), "kid": kid, "n": n, "e": e}),
                ),
            })
        }
        _ => {
            let (signing, curve, coordinate_len) = match algorithm {
                SigningAlgorithm::ES384 => {
                    (&signature::ECDSA_P384_SHA384_FIXED_SIGNING, "P-384", 48)
                }
                _ => (&signature::ECDSA_P256_SHA256_FIXED_SIGNING, "P-256", 32),
            };
            let pair = if pkcs8 {
                EcdsaKeyPair::from_pkcs8(signing, &der)
            } else {
                EcdsaKeyPair::from_private_key_der(signing, &der)
            }
            .map_err(|_| invalid("privateKey is not an EC private key on the algorithm's curve"))?;
            let point = pair.public_key().as_ref();
            if point.len() != 1 + 2 * coordinate_len {
                return Err(invalid("unexpected EC public key encoding"));
            }
            let x = URL_SAFE_NO_PAD.encode(&point[1..=coordinate_len]);
            let y = URL_SAFE_NO_PAD.encode(&point[1 + coordinate_len..]);
            let decoding =
                DecodingKey::from_ec_components(&x, &y).map_err(|_| invalid("bad EC key"))?;
            Ok(SigningKey {
                algorithm,
                signer: Signer::Ecdsa(pair),
                decoding,
                jwk: Some(
                    json!({"kty": "EC", "use": "sig", "alg": format!("{algorithm:?}"), "kid": kid, "crv": curve, "x": x, "y": y}),
                ),
            })
        }
    }
}

impl KeySet {
    pub fn load(configs: &[SigningKeyConfig]) -> Result<Self, KeyError> {
        let keys = configs
            .iter()
            .enumerate()
            .map(|(index, config)| Ok((config.id, load(index, config)?)))
            .collect::<Result<_, KeyError>>()?;
        Ok(Self {
            keys,
            rng: SystemRandom::new(),
        })
    }

    /// Signs `claims` with key `kid` as a compact JWS with `typ: JWT`.
    pub fn sign<T: Serialize>(&self, kid: Uuid, claims: &T) -> Result<String, TokenError> {
        let key = self.keys.get(&kid).ok_or(TokenError::UnknownKey(kid))?;
        let header =
            json!({"alg": format!("{:?}", key.algorithm), "typ": "JWT", "kid": kid.to_string()});
        let claims = serde_json::to_vec(claims).map_err(|_| TokenError::Signing)?;
        let mut message = URL_SAFE_NO_PAD.encode(header.to_string());
        message.push('.');
        message.push_str(&URL_SAFE_NO_PAD.encode(claims));
        let signature = match &key.signer {
            Signer::Hmac(k) => hmac::sign(k, message.as_bytes()).as_ref().to_vec(),
            Signer::Rsa(pair, encoding) => {
                let mut out = vec![0u8; pair.public_modulus_len()];
                pair.sign(*encoding, &self.rng, message.as_bytes(), &mut out)
                    .map_err(|_| TokenError::Signing)?;
                out
            }
            Signer::Ecdsa(pair) => pair
                .sign(&self.rng, message.as_bytes())
                .map_err(|_| TokenError::Signing)?
                .as_ref()
                .to_vec(),
        };
        message.push('.');
        message.push_str(&URL_SAFE_NO_PAD.encode(signature));
        Ok(message)
    }

    /// Verifies a token issued by one of our keys: the header's `kid` must name a key and
    /// its `alg` must be that key's algorithm (so `alg: none` or an HMAC-with-public-key
    /// confusion can never pass); `exp` and `nbf` are enforced with no leeway.
    pub fn verify<T: DeserializeOwned>(&self, token: &str) -> Result<T, TokenError> {
        if token.len() > 16 * 1024 {
            return Err(TokenError::Invalid);
        }
        let header = jsonwebtoken::decode_header(token).map_err(|_| TokenError::Invalid)?;
        let kid = header
            .kid
            .as_deref()
            .and_then(|k| Uuid::parse_str(k).ok())
            .ok_or(TokenError::Invalid)?;
        let key = self.keys.get(&kid).ok_or(TokenError::Invalid)?;
        let algorithm = jwt_algorithm(key.algorithm);
        if header.alg != algorithm
            || header.jku.is_some()
            || header.x5u.is_some()
            || header.jwk.is_some()
        {
            return Err(TokenError::Invalid);
        }
        let mut validation = Validation::new(algorithm);
        validation.leeway = 0;
        validation.validate_nbf = true;
        validation.validate_aud = false;
        validation.set_required_spec_claims(&["exp", "sub", "iss"]);
        jsonwebtoken::decode::<T>(token, &key.decoding, &validation)
            .map(|data| data.claims)
            .map_err(|_| TokenError::Invalid)
    }

    /// `GET /.well-known/jwks.json`: the public halves of the asymmetric keys.
    pub fn jwks(&self) -> Value {
        let mut keys: Vec<(&Uuid, &Value)> = self
            .keys
            .iter()
            .filter_map(|(id, key)| key.jwk.as_ref().map(|jwk| (id, jwk)))
            .collect();
        keys.sort_by_key(|(id, _)| **id);
        json!({ "keys": keys.into_iter().map(|(_, jwk)| jwk.clone()).collect::<Vec<_>>() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use authlet_core::config::Secret;

    const EC_P256_PEM: &str = include_str!("../tests/fixtures/ec-p256.pem");
    const RSA_PEM: &str = include_str!("../tests/fixtures/rsa-2048.pem");

    #[test]
    fn hmac_tokens_verify_and_tampering_fails() {
        let id = Uuid::from_u128(9);
        let keys = KeySet::load(&[SigningKeyConfig {
            id,
            algorithm: SigningAlgorithm::HS256,
            secret: Some(Secret::new(STANDARD.encode([7u8; 32]))),
            private_key: None,
        }])
        .unwrap();
        let claims = json!({"sub": "s", "iss": "acme.com", "exp": 4_000_000_000u64});
        let token = keys.sign(id, &claims).unwrap();
        let back: Value = keys.verify(&token).unwrap();
        assert_eq!(back["sub"], "s");
        let mut tampered = token.clone();
        tampered.pop();
        tampered.push(if token.ends_with('A') { 'B' } else { 'A' });
        assert!(keys.verify::<Value>(&tampered).is_err());
        let expired = keys
            .sign(id, &json!({"sub": "s", "iss": "acme.com", "exp": 1}))
            .unwrap();
        assert!(keys.verify::<Value>(&expired).is_err());
        assert_eq!(
            keys.jwks()["keys"].as_array().map(Vec::len),
            Some(0),
            "HMAC keys are never published"
        );
    }

    #[test]
    fn ec_keys_sign_verify_and_publish_their_public_half() {
        let id = Uuid::from_u128(10);
        let keys = KeySet::load(&[SigningKeyConfig {
            id,
            algorithm: SigningAlgorithm::ES256,
            secret: None,
            private_key: Some(Secret::new(EC_P256_PEM)),
        }])
        .unwrap();
        let token = keys
            .sign(
                id,
                &json!({"sub": "s", "iss": "i", "exp": 4_000_000_000u64}),
            )
            .unwrap();
        assert!(keys.verify::<Value>(&token).is_ok());
        let jwks = keys.jwks();
        assert_eq!(jwks["keys"][0]["kid"], id.to_string());
        assert_eq!(jwks["keys"][0]["crv"], "P-256");
        // the published key verifies the token on its own
        let jwk: jsonwebtoken::jwk::Jwk = serde_json::from_value(jwks["keys"][0].clone()).unwrap();
        let decoding = DecodingKey::from_jwk(&jwk).unwrap();
        assert!(jsonwebtoken::decode::<Value>(
            &token,
            &decoding,
            &Validation::new(Algorithm::ES256)
        )
        .is_ok());
    }

    #[test]
    fn rsa_keys_sign_verify_and_publish_modulus_and_exponent() {
        let id = Uuid::from_u128(12);
        let keys = KeySet::load(&[SigningKeyConfig {
            id,
            algorithm: SigningAlgorithm::RS256,
            secret: None,
            private_key: Some(Secret::new(RSA_PEM)),
        }])
        .unwrap();
        let token = keys
            .sign(
                id,
                &json!({"sub": "s", "iss": "i", "exp": 4_000_000_000u64}),
            )
            .unwrap();
        assert!(keys.verify::<Value>(&token).is_ok());
        let jwk: jsonwebtoken::jwk::Jwk =
            serde_json::from_value(keys.jwks()["keys"][0].clone()).unwrap();
        let decoding = DecodingKey::from_jwk(&jwk).unwrap();
        assert!(jsonwebtoken::decode::<Value>(
            &token,
            &decoding,
            &Validation::new(Algorithm::RS256)
        )
        .is_ok());
    }

    #[test]
    fn alg_none_and_unknown_kid_are_rejected() {
        let id = Uuid::from_u128(11);
        let keys = KeySet::load(&[SigningKeyConfig {
            id,
            algorithm: SigningAlgorithm::HS256,
            secret: Some(Secret::new(STANDARD.encode([1u8; 32]))),
            private_key: None,
        }])
        .unwrap();
        let body = URL_SAFE_NO_PAD.encode(r#"{"sub":"s","iss":"i","exp":4000000000}"#);
        for header in [
            format!(r#"{{"alg":"none","kid":"{id}"}}"#),
            r#"{"alg":"HS256","kid":"00000000-0000-0000-0000-000000000000"}"#.to_owned(),
            format!(r#"{{"alg":"HS256","kid":"{id}","jku":"http://x"}}"#),
        ] {
            let token = format!("{}.{body}.", URL_SAFE_NO_PAD.encode(header));
            assert!(keys.verify::<Value>(&token).is_err(), "{token}");
        }
    }

    #[test]
    fn bad_pem_is_reported_with_its_index() {
        let err = KeySet::load(&[SigningKeyConfig {
            id: Uuid::from_u128(1),
            algorithm: SigningAlgorithm::RS256,
            secret: None,
            private_key: Some(Secret::new(
                "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
            )),
        }])
        .unwrap_err();
        assert!(err.to_string().starts_with("keys[0]"), "{err}");
    }
}
