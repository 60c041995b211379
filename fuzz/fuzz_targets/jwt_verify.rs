//! JWT decoding and validation: `KeySet::verify` and `Runtime::verify_access_token` on
//! arbitrary tokens, and on arbitrary headers and claims signed with our own keys (so the
//! fuzzer reaches everything after the signature check).
//!
//! Oracles: whatever verification accepts, an independent check must agree with — the
//! signature verifies with aws-lc-rs directly, the header is exactly `{alg, typ?, kid}`
//! with the key's algorithm, `exp` lies ahead of the verifying clock and `nbf` not, and
//! an accepted access token names a configured tenant, its issuer and (if any) one of its
//! applications.
#![no_main]

mod common;

use std::sync::OnceLock;

use authlet_sidecar::state::Runtime;
use aws_lc_rs::hmac;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{
    EcdsaKeyPair, KeyPair, RsaKeyPair, UnparsedPublicKey, ECDSA_P256_SHA256_FIXED,
    ECDSA_P256_SHA256_FIXED_SIGNING, RSA_PKCS1_2048_8192_SHA256, RSA_PKCS1_SHA256,
};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

/// The verifying clock: 2027-01-15, epoch millis.
const NOW: i64 = 1_800_000_000_000;

struct Keys {
    runtime: Runtime,
    hmac: hmac::Key,
    rsa: RsaKeyPair,
    ec: EcdsaKeyPair,
    rng: SystemRandom,
}

fn pkcs8(pem: &str) -> Vec<u8> {
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    STANDARD.decode(body).expect("fixture PEM is Base64")
}

fn keys() -> &'static Keys {
    static KEYS: OnceLock<Keys> = OnceLock::new();
    KEYS.get_or_init(|| Keys {
        runtime: common::runtime(),
        hmac: hmac::Key::new(
            hmac::HMAC_SHA256,
            &STANDARD.decode(common::HS_SECRET).expect("Base64 secret"),
        ),
        rsa: RsaKeyPair::from_pkcs8(&pkcs8(common::RSA_PEM)).expect("RSA fixture"),
        ec: EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &pkcs8(common::EC_PEM))
            .expect("EC fixture"),
        rng: SystemRandom::new(),
    })
}

impl Keys {
    fn sign(&self, key: u8, signed: &str) -> Vec<u8> {
        match key % 3 {
            0 => hmac::sign(&self.hmac, signed.as_bytes()).as_ref().to_vec(),
            1 => {
                let mut out = vec![0; self.rsa.public_modulus_len()];
                self.rsa
                    .sign(&RSA_PKCS1_SHA256, &self.rng, signed.as_bytes(), &mut out)
                    .expect("RSA signs");
                out
            }
            _ => self
                .ec
                .sign(&self.rng, signed.as_bytes())
                .expect("EC signs")
                .as_ref()
                .to_vec(),
        }
    }

    /// Whether `signature` is `kid`'s over `signed`, checked without jsonwebtoken.
    fn genuine(&self, kid: &str, signed: &[u8], signature: &[u8]) -> bool {
        match kid {
            common::HS_KEY => hmac::verify(&self.hmac, signed, signature).is_ok(),
            common::RS_KEY => {
                UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, self.rsa.public_key().as_ref())
                    .verify(signed, signature)
                    .is_ok()
            }
            common::ES_KEY => {
                UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, self.ec.public_key().as_ref())
                    .verify(signed, signature)
                    .is_ok()
            }
            _ => false,
        }
    }
}

fn decoded(segment: &str) -> Value {
    let bytes = URL_SAFE_NO_PAD
        .decode(segment)
        .expect("accepted segments are Base64url");
    serde_json::from_slice(&bytes).expect("accepted segments are JSON")
}

fn check(keys: &Keys, token: &str) {
    let Ok(claims) = keys.runtime.keys.verify::<Value>(token, NOW) else {
        assert!(
            keys.runtime.verify_access_token(token, NOW).is_err(),
            "an access token accepted whose signature or times were refused"
        );
        return;
    };
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3, "{token}");
    let header = decoded(parts[0]);
    let header = header.as_object().expect("the header is an object");
    assert!(
        header
            .keys()
            .all(|k| ["alg", "typ", "kid"].contains(&k.as_str())),
        "{header:?}"
    );
    let kid = header["kid"].as_str().expect("kid is text");
    let expected_alg = match kid {
        common::HS_KEY => "HS256",
        common::RS_KEY => "RS256",
        common::ES_KEY => "ES256",
        other => panic!("accepted an unknown kid {other}"),
    };
    assert_eq!(header["alg"], expected_alg);
    let signature = URL_SAFE_NO_PAD
        .decode(parts[2])
        .expect("Base64url signature");
    let signed = &token[..parts[0].len() + 1 + parts[1].len()];
    assert!(
        keys.genuine(kid, signed.as_bytes(), &signature),
        "forged: {token}"
    );
    assert_eq!(claims, decoded(parts[1]));
    // In i128, so that a time far beyond the year 292,277,026 (where seconds times 1000
    // leave i64) is still compared exactly, not wrapped or saturated like the code under test.
    let exp = claims["exp"].as_i64().expect("exp is a whole number");
    assert!(i128::from(NOW) < i128::from(exp) * 1000, "expired at {exp}");
    if let Some(nbf) = claims.get("nbf") {
        let nbf = nbf.as_i64().expect("nbf is a whole number");
        assert!(
            i128::from(nbf) * 1000 <= i128::from(NOW),
            "not before {nbf}"
        );
    }

    if let Ok(access) = keys.runtime.verify_access_token(token, NOW) {
        let config = &keys.runtime.config;
        let tenant = claims["tid"]
            .as_str()
            .and_then(|t| config.tenants.iter().find(|c| c.id.to_string() == t))
            .expect("accepted tokens name a tenant");
        assert_eq!(claims["iss"], tenant.issuer.as_str());
        assert_eq!(access.subject.to_string(), claims["sub"]);
        if let Some(audience) = access.audience {
            assert!(tenant.application(audience).is_some());
        }
    }
}

// The input is a token as it arrives, or `signed:K` (K = 0 HMAC, 1 RSA, 2 EC), a line
// of header JSON and the claims JSON, which the target encodes and signs with that key.
fuzz_target!(|data: &[u8]| {
    let keys = keys();
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match text.strip_prefix("signed:") {
        None => check(keys, text),
        Some(rest) => {
            let mut parts = rest.splitn(3, '\n');
            let key = parts.next().and_then(|k| k.parse::<u8>().ok()).unwrap_or(0);
            let header = parts.next().unwrap_or_default();
            let claims = parts.next().unwrap_or_default();
            let signed = format!(
                "{}.{}",
                URL_SAFE_NO_PAD.encode(header),
                URL_SAFE_NO_PAD.encode(claims)
            );
            let signature = keys.sign(key, &signed);
            check(
                keys,
                &format!("{signed}.{}", URL_SAFE_NO_PAD.encode(signature)),
            );
        }
    }
});
