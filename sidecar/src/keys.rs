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
use jsonwebtoken::{Algorithm, DecodingKey};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};
use uuid::Uuid;

/// A key the config's rules let through but the crypto library refuses (a PEM that
/// holds no usable key, an RSA key that is too short). It names the field by its path,
/// as [`authlet_core::config::ConfigProblem`] does, so one message format points at the
/// line to fix, at startup and on reload.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("keys[{index}].{field}: {message}")]
    Invalid {
        index: usize,
        field: &'static str,
        message: &'static str,
    },
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
    /// Refused, with the check that failed (for logs and tests; callers answer 401).
    #[error("token is invalid: {0}")]
    Invalid(&'static str),
}

/// Tokens longer than this are refused unread: ours are well under 2 KiB.
pub const MAX_TOKEN_BYTES: usize = 16 * 1024;

/// The only header [`KeySet::sign`] writes, and so the only one [`KeySet::verify`] takes.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct IssuedHeader {
    alg: String,
    #[serde(default)]
    typ: Option<String>,
    kid: String,
}

/// The registered time claims (epoch seconds).
#[derive(Debug, serde::Deserialize)]
struct TimeClaims {
    exp: i64,
    #[serde(default)]
    nbf: Option<i64>,
}

/// An id in a token as `sign` and the claims builder write it (lower-case, hyphenated).
/// `Uuid::parse_str` also takes upper case, braces, `urn:uuid:` and no hyphens; another
/// spelling of one of our ids is not something we issued.
pub fn canonical_uuid(text: &str) -> Option<Uuid> {
    Uuid::parse_str(text)
        .ok()
        .filter(|id| id.to_string() == text)
}

/// One token segment: strict Base64url without padding, then strict JSON.
fn segment<T: DeserializeOwned>(encoded: &str) -> Result<T, TokenError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(encoded)
        .map_err(|_| TokenError::Invalid("segment is not Base64url"))?;
    let value = authlet_core::json::parse(&bytes)
        .map_err(|_| TokenError::Invalid("segment is not strict JSON"))?;
    serde_json::from_value(value).map_err(|_| TokenError::Invalid("segment shape"))
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
    let invalid = |field: &'static str, message: &'static str| KeyError::Invalid {
        index,
        field,
        message,
    };
    let kid = config.id.to_string();
    let algorithm = config.algorithm;
    if algorithm.is_hmac() {
        let secret = config
            .secret
            .as_ref()
            .and_then(|s| STANDARD.decode(s.expose().trim()).ok())
            .ok_or_else(|| invalid("secret", "must be base64"))?;
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
        .ok_or_else(|| invalid("privateKey", "required for RSA and EC keys"))?;
    let (der, pkcs8) =
        pem_der(pem.expose()).ok_or_else(|| invalid("privateKey", "must be a PEM private key"))?;
    match algorithm {
        SigningAlgorithm::RS256 | SigningAlgorithm::RS384 | SigningAlgorithm::RS512 => {
            let pair = if pkcs8 {
                RsaKeyPair::from_pkcs8(&der)
            } else {
                RsaKeyPair::from_der(&der)
            }
            .map_err(|_| invalid("privateKey", "is not an RSA private key"))?;
            if pair.public_modulus_len() < 256 {
                return Err(invalid("privateKey", "RSA keys must be at least 2048 bits"));
            }
            let public = pair.public_key();
            let n = URL_SAFE_NO_PAD.encode(public.modulus().big_endian_without_leading_zero());
            let e = URL_SAFE_NO_PAD.encode(public.exponent().big_endian_without_leading_zero());
            let decoding = DecodingKey::from_rsa_components(&n, &e)
                .map_err(|_| invalid("privateKey", "bad RSA key"))?;
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
            .map_err(|_| {
                invalid(
                    "privateKey",
                    "is not an EC private key on the algorithm's curve",
                )
            })?;
            let point = pair.public_key().as_ref();
            if point.len() != 1 + 2 * coordinate_len {
                return Err(invalid("privateKey", "unexpected EC public key encoding"));
            }
            let x = URL_SAFE_NO_PAD.encode(&point[1..=coordinate_len]);
            let y = URL_SAFE_NO_PAD.encode(&point[1 + coordinate_len..]);
            let decoding = DecodingKey::from_ec_components(&x, &y)
                .map_err(|_| invalid("privateKey", "bad EC key"))?;
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

    /// Verifies a token issued by one of our keys and returns its claims.
    ///
    /// The header must be exactly what [`sign`](Self::sign) writes: `kid` naming one of
    /// our keys, `alg` that key's algorithm (so `alg: none` and HMAC-with-a-public-key
    /// confusion cannot pass), optional `typ: JWT`, and nothing else — a `jku`, `x5u`,
    /// `jwk`, `x5c` or `crit` names keys or rules we never issue. Both segments are strict
    /// JSON (a repeated key could mean one thing here and another to the token's other
    /// readers). The signature is checked before the claims are read; then `exp` (required)
    /// and `nbf` (optional) against `now_millis`, the sidecar's clock, with no leeway: a
    /// token is valid strictly before its `exp` second.
    pub fn verify<T: DeserializeOwned>(
        &self,
        token: &str,
        now_millis: i64,
    ) -> Result<T, TokenError> {
        if token.len() > MAX_TOKEN_BYTES {
            return Err(TokenError::Invalid("too long"));
        }
        let mut segments = token.split('.');
        let (Some(header), Some(claims), Some(signature), None) = (
            segments.next(),
            segments.next(),
            segments.next(),
            segments.next(),
        ) else {
            return Err(TokenError::Invalid("not three segments"));
        };
        let header: IssuedHeader = segment(header)?;
        if header.typ.as_deref().is_some_and(|typ| typ != "JWT") {
            return Err(TokenError::Invalid("typ"));
        }
        let key = canonical_uuid(&header.kid)
            .and_then(|kid| self.keys.get(&kid))
            .ok_or(TokenError::Invalid("unknown kid"))?;
        if header.alg != format!("{:?}", key.algorithm) {
            return Err(TokenError::Invalid("alg is not the key's"));
        }
        let signed = &token[..token.len() - signature.len() - 1];
        let genuine = jsonwebtoken::crypto::verify(
            signature,
            signed.as_bytes(),
            &key.decoding,
            jwt_algorithm(key.algorithm),
        )
        .unwrap_or(false);
        if !genuine {
            return Err(TokenError::Invalid("signature"));
        }
        let claims: Value = segment(claims)?;
        let times: TimeClaims = serde_json::from_value(claims.clone())
            .map_err(|_| TokenError::Invalid("exp or nbf"))?;
        if now_millis >= times.exp.saturating_mul(1000) {
            return Err(TokenError::Invalid("expired"));
        }
        if times
            .nbf
            .is_some_and(|nbf| now_millis < nbf.saturating_mul(1000))
        {
            return Err(TokenError::Invalid("not yet valid"));
        }
        serde_json::from_value(claims).map_err(|_| TokenError::Invalid("claims"))
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
    use jsonwebtoken::Validation;

    /// The verifying clock in these tests (epoch millis); tokens expire in 2096.
    const NOW: i64 = 1_800_000_000_000;

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
        let back: Value = keys.verify(&token, NOW).unwrap();
        assert_eq!(back["sub"], "s");
        let mut tampered = token.clone();
        tampered.pop();
        tampered.push(if token.ends_with('A') { 'B' } else { 'A' });
        assert!(keys.verify::<Value>(&tampered, NOW).is_err());
        let expired = keys
            .sign(id, &json!({"sub": "s", "iss": "acme.com", "exp": 1}))
            .unwrap();
        assert!(keys.verify::<Value>(&expired, NOW).is_err());
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
        assert!(keys.verify::<Value>(&token, NOW).is_ok());
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
        assert!(keys.verify::<Value>(&token, NOW).is_ok());
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
            assert!(keys.verify::<Value>(&token, NOW).is_err(), "{token}");
        }
    }

    /// A key set of one HMAC key, and tokens it signs over any header and claims text.
    fn hmac_keys() -> (KeySet, Uuid, impl Fn(&str, &str) -> String) {
        let id = Uuid::from_u128(13);
        let secret = [3u8; 32];
        let keys = KeySet::load(&[SigningKeyConfig {
            id,
            algorithm: SigningAlgorithm::HS256,
            secret: Some(Secret::new(STANDARD.encode(secret))),
            private_key: None,
        }])
        .unwrap();
        let sign = move |header: &str, claims: &str| {
            let signed = format!(
                "{}.{}",
                URL_SAFE_NO_PAD.encode(header),
                URL_SAFE_NO_PAD.encode(claims)
            );
            let key = hmac::Key::new(hmac::HMAC_SHA256, &secret);
            let signature = URL_SAFE_NO_PAD.encode(hmac::sign(&key, signed.as_bytes()));
            format!("{signed}.{signature}")
        };
        (keys, id, sign)
    }

    #[test]
    fn exp_and_nbf_follow_the_given_clock_to_the_millisecond() {
        let (keys, id, sign) = hmac_keys();
        let header = format!(r#"{{"alg":"HS256","typ":"JWT","kid":"{id}"}}"#);
        let second = NOW / 1000;
        let expiring = sign(&header, &format!(r#"{{"exp":{}}}"#, second + 1));
        assert!(keys.verify::<Value>(&expiring, NOW).is_ok());
        assert!(keys.verify::<Value>(&expiring, NOW + 999).is_ok());
        assert!(
            keys.verify::<Value>(&expiring, NOW + 1000).is_err(),
            "valid strictly before exp"
        );
        let early = sign(
            &header,
            &format!(r#"{{"exp":{},"nbf":{}}}"#, second + 60, second + 1),
        );
        assert!(keys.verify::<Value>(&early, NOW + 999).is_err());
        assert!(keys.verify::<Value>(&early, NOW + 1000).is_ok());
        for claims in [r#"{}"#, r#"{"exp":"4000000000"}"#, r#"{"exp":4e9}"#] {
            assert!(
                keys.verify::<Value>(&sign(&header, claims), NOW).is_err(),
                "{claims}"
            );
        }
    }

    #[test]
    fn only_the_header_sign_writes_is_accepted_even_with_a_good_signature() {
        let (keys, id, sign) = hmac_keys();
        let claims = r#"{"sub":"s","exp":4000000000}"#;
        let good = format!(r#"{{"alg":"HS256","typ":"JWT","kid":"{id}"}}"#);
        assert!(keys.verify::<Value>(&sign(&good, claims), NOW).is_ok());
        let without_typ = format!(r#"{{"alg":"HS256","kid":"{id}"}}"#);
        assert!(keys
            .verify::<Value>(&sign(&without_typ, claims), NOW)
            .is_ok());
        let upper = id.to_string().to_uppercase();
        for header in [
            format!(r#"{{"alg":"HS256","kid":"{id}","jwk":{{}}}}"#),
            format!(r#"{{"alg":"HS256","kid":"{id}","x5c":[]}}"#),
            format!(r#"{{"alg":"HS256","kid":"{id}","crit":["exp"]}}"#),
            format!(r#"{{"alg":"HS256","kid":"{id}","b64":false}}"#),
            format!(r#"{{"alg":"HS256","typ":"at+jwt","kid":"{id}"}}"#),
            format!(r#"{{"alg":"HS256","kid":"{upper}"}}"#),
            format!(r#"{{"alg":"HS256","kid":"{{{id}}}"}}"#),
            format!(r#"{{"alg":"HS256","alg":"HS256","kid":"{id}"}}"#),
            format!(r#"{{"alg":"HS384","kid":"{id}"}}"#),
        ] {
            assert!(
                keys.verify::<Value>(&sign(&header, claims), NOW).is_err(),
                "{header}"
            );
        }
        let repeated = r#"{"sub":"a","sub":"b","exp":4000000000}"#;
        assert!(keys.verify::<Value>(&sign(&good, repeated), NOW).is_err());
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
