//! Crafted and tampered JWTs against every endpoint that reads one: `GET
//! /api/jwt/validate` (bearer and cookie), the JWT login ping `PUT /api/login`, the refresh
//! family (`POST /api/jwt/refresh` with the token in each place it reads a credential, and
//! `DELETE /api/jwt/refresh/{tokenId}` authorised by a JWT) and the two-factor APIs that
//! take a JWT. Every crafted token must be refused, and refused without effect: no login
//! recorded, no refresh token revoked or issued.
//!
//! The corpus: `alg: none` in every spelling; HMAC signed with the RSA or EC public key
//! (key confusion) in each form an attacker can get it; `kid` tricks; `jku`, `x5u`, `jwk`,
//! `x5c` and `crit` headers (attacker-signed, and signed by our own key); expired by one
//! second, `exp` equal to now, `nbf` one second ahead (on the sidecar's injected clock);
//! wrong `iss`, `aud`, `tid`, `applicationId`; every bit of the signature flipped and every
//! character substituted; truncated and padded signatures; swapped segments; oversized
//! and ambiguous (repeated-key) headers and claims.

// Test support code: a panic here is a failed test, not a reachable crash.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::sync::atomic::Ordering;

use authlet_sidecar::store::Backend;
use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::hmac;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{
    EcdsaKeyPair, KeyPair, RsaKeyPair, ECDSA_P256_SHA256_FIXED_SIGNING, RSA_PKCS1_SHA256,
};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use serde_json::{json, Value};
use support::*;
use uuid::Uuid;

const HS_KEY: &str = "0d3b8a57-6c0e-4f5e-9d8b-3c2a1b0f9e8d";
const RS_KEY: &str = "1e4c8a57-6c0e-4f5e-9d8b-3c2a1b0f9e8d";
const ES_KEY: &str = "2f5d8a57-6c0e-4f5e-9d8b-3c2a1b0f9e8d";
/// Base64 of the HMAC key, as in the config.
const HS_SECRET: &str = "MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE=";
const TENANT: &str = "6b9a8a57-6c0e-4f5e-9d8b-3c2a1b0f9e8d";
const RSA_APP: &str = "5e438a57-6c0e-4f5e-9d8b-3c2a1b0f9e8d";
const EC_APP: &str = "6f548a57-6c0e-4f5e-9d8b-3c2a1b0f9e8d";
const OTHER_TENANT: &str = "7a658a57-6c0e-4f5e-9d8b-3c2a1b0f9e8d";
const OTHER_APP: &str = "8b768a57-6c0e-4f5e-9d8b-3c2a1b0f9e8d";
const RSA_PEM: &str = include_str!("fixtures/rsa-2048.pem");
const EC_PEM: &str = include_str!("fixtures/ec-p256.pem");

fn indented(pem: &str) -> String {
    pem.lines().map(|l| format!("      {l}\n")).collect()
}

/// Three keys (HMAC, RSA, EC), each signing for one application of the default tenant,
/// and a second tenant with its own issuer on the HMAC key.
fn config() -> String {
    let fast = "passwordEncryptionConfiguration: {encryptionScheme: salted-pbkdf2-hmac-sha256, encryptionSchemeFactor: 100}";
    let refresh = "loginConfiguration: {generateRefreshTokens: true, allowTokenRefresh: true}";
    format!(
        r#"
apiKeys: [{{key: {API_KEY}}}]
keys:
  - {{id: {HS_KEY}, algorithm: HS256, secret: {HS_SECRET}}}
  - id: {RS_KEY}
    algorithm: RS256
    privateKey: |
{rsa}  - id: {ES_KEY}
    algorithm: ES256
    privateKey: |
{ec}tenants:
  - id: {TENANT}
    name: Default
    issuer: acme.com
    {fast}
    jwtConfiguration: {{accessTokenKeyId: {HS_KEY}, refreshTokenTimeToLiveInMinutes: 10}}
    applications:
      - {{id: {SHOP}, name: Shop, {refresh}}}
      - {{id: {RSA_APP}, name: Rsa, {refresh}, jwtConfiguration: {{enabled: true, accessTokenKeyId: {RS_KEY}}}}}
      - {{id: {EC_APP}, name: Ec, {refresh}, jwtConfiguration: {{enabled: true, accessTokenKeyId: {ES_KEY}}}}}
  - id: {OTHER_TENANT}
    name: Other
    issuer: other.example
    {fast}
    jwtConfiguration: {{accessTokenKeyId: {HS_KEY}}}
    applications:
      - {{id: {OTHER_APP}, name: Elsewhere, {refresh}}}
"#,
        rsa = indented(RSA_PEM),
        ec = indented(EC_PEM),
    )
}

fn der(pem: &str) -> Vec<u8> {
    let mut reader = std::io::BufReader::new(pem.as_bytes());
    match rustls_pemfile::read_one(&mut reader).unwrap().unwrap() {
        rustls_pemfile::Item::Pkcs8Key(key) => key.secret_pkcs8_der().to_vec(),
        other => panic!("fixture is not PKCS#8: {other:?}"),
    }
}

fn pem(label: &str, der: &[u8]) -> String {
    let body = STANDARD.encode(der);
    let lines: Vec<&str> = body
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    format!(
        "-----BEGIN {label}-----\n{}\n-----END {label}-----\n",
        lines.join("\n")
    )
}

fn b64(bytes: impl AsRef<[u8]>) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// How a crafted token is signed.
enum Sig<'a> {
    /// No signature bytes at all (the segment is empty).
    Empty,
    Hmac(hmac::Algorithm, &'a [u8]),
    Rsa(&'a RsaKeyPair),
    Ec(&'a EcdsaKeyPair),
}

/// Tokens from raw header and claims text, so that anything can be expressed: unknown
/// algorithms, repeated keys, odd types.
struct Forge {
    hs_secret: Vec<u8>,
    rsa: RsaKeyPair,
    ec: EcdsaKeyPair,
    attacker: EcdsaKeyPair,
    rng: SystemRandom,
}

impl Forge {
    fn new() -> Self {
        Self {
            hs_secret: STANDARD.decode(HS_SECRET).unwrap(),
            rsa: RsaKeyPair::from_pkcs8(&der(RSA_PEM)).unwrap(),
            ec: EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &der(EC_PEM)).unwrap(),
            attacker: EcdsaKeyPair::generate(&ECDSA_P256_SHA256_FIXED_SIGNING).unwrap(),
            rng: SystemRandom::new(),
        }
    }

    fn raw(&self, header: &str, claims: &str, sig: Sig<'_>) -> String {
        let signed = format!("{}.{}", b64(header), b64(claims));
        let signature = match sig {
            Sig::Empty => Vec::new(),
            Sig::Hmac(algorithm, key) => {
                hmac::sign(&hmac::Key::new(algorithm, key), signed.as_bytes())
                    .as_ref()
                    .to_vec()
            }
            Sig::Rsa(pair) => {
                let mut out = vec![0; pair.public_modulus_len()];
                pair.sign(&RSA_PKCS1_SHA256, &self.rng, signed.as_bytes(), &mut out)
                    .unwrap();
                out
            }
            Sig::Ec(pair) => pair
                .sign(&self.rng, signed.as_bytes())
                .unwrap()
                .as_ref()
                .to_vec(),
        };
        format!("{signed}.{}", b64(signature))
    }

    /// Signed with our HMAC key: genuine as far as the signature goes.
    fn ours(&self, header: &Value, claims: &Value) -> String {
        self.raw(
            &header.to_string(),
            &claims.to_string(),
            Sig::Hmac(hmac::HMAC_SHA256, &self.hs_secret),
        )
    }
}

fn hs_header() -> Value {
    json!({"alg": "HS256", "typ": "JWT", "kid": HS_KEY})
}

fn decoded_claims(token: &str) -> Value {
    let claims = token.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(claims).unwrap()).unwrap()
}

fn with(claims: &Value, changes: Value) -> Value {
    let mut claims = claims.clone();
    for (key, value) in changes.as_object().unwrap() {
        if value.is_null() {
            claims.as_object_mut().unwrap().remove(key);
        } else {
            claims[key] = value.clone();
        }
    }
    claims
}

/// What the session under attack consists of.
struct Session {
    user: Uuid,
    /// Genuine access tokens, one per key.
    hs: String,
    rs: String,
    es: String,
    refresh_token: String,
    refresh_token_id: String,
}

async fn login(h: &Harness, application: &str) -> Value {
    let (status, body) = h
        .login("victim@example.com", "password-123", application)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

async fn session(h: &Harness) -> Session {
    let user = h.create_user("victim@example.com", json!({})).await;
    for application in [RSA_APP, EC_APP] {
        h.register(user, application).await;
    }
    let shop = login(h, SHOP).await;
    let rs = login(h, RSA_APP).await;
    let es = login(h, EC_APP).await;
    let text = |v: &Value, k: &str| v[k].as_str().unwrap().to_owned();
    Session {
        user,
        hs: text(&shop, "token"),
        rs: text(&rs, "token"),
        es: text(&es, "token"),
        refresh_token: text(&shop, "refreshToken"),
        refresh_token_id: text(&shop, "refreshTokenId"),
    }
}

/// The crafted tokens, each with what it tries.
fn corpus(forge: &Forge, s: &Session, now_seconds: i64) -> Vec<(String, String)> {
    let mut tokens: Vec<(String, String)> = Vec::new();
    let mut add = |name: String, token: String| tokens.push((name, token));
    let claims = decoded_claims(&s.hs);
    let claims_text = claims.to_string();
    let genuine_signature = s.hs.rsplit('.').next().unwrap().to_owned();

    // alg: none, in every spelling, with no signature, an empty one, or a genuine one.
    for alg in [
        "none",
        "None",
        "NONE",
        "nOnE",
        "NoNe",
        " none",
        "none ",
        "none\u{0}",
        "",
    ] {
        let header = json!({"alg": alg, "typ": "JWT", "kid": HS_KEY}).to_string();
        let unsigned = forge.raw(&header, &claims_text, Sig::Empty);
        add(format!("alg {alg:?}, empty signature"), unsigned.clone());
        add(
            format!("alg {alg:?}, no signature segment"),
            unsigned.trim_end_matches('.').to_owned(),
        );
        add(
            format!("alg {alg:?}, genuine signature"),
            format!("{unsigned}{genuine_signature}"),
        );
    }
    for header in [
        r#"{"typ":"JWT"}"#.to_owned(),
        format!(r#"{{"alg":null,"kid":"{HS_KEY}"}}"#),
        format!(r#"{{"alg":["HS256"],"kid":"{HS_KEY}"}}"#),
        format!(r#"{{"alg":256,"kid":"{HS_KEY}"}}"#),
        format!(r#"{{"alg":"hs256","kid":"{HS_KEY}"}}"#),
        format!(r#"{{"alg":"HS-256","kid":"{HS_KEY}"}}"#),
        format!(r#"{{"alg":"HS256 ","kid":"{HS_KEY}"}}"#),
    ] {
        let token = forge.raw(
            &header,
            &claims_text,
            Sig::Hmac(hmac::HMAC_SHA256, &forge.hs_secret),
        );
        add(format!("header {header}"), token);
    }

    // Key confusion: HMAC keyed with a public key, in every form an attacker can get it.
    let rsa_public = forge.rsa.public_key();
    let rsa_spki = rsa_public.as_der().unwrap().as_ref().to_vec();
    let rsa_modulus = rsa_public
        .modulus()
        .big_endian_without_leading_zero()
        .to_vec();
    let ec_public = forge.ec.public_key();
    let ec_spki = ec_public.as_der().unwrap().as_ref().to_vec();
    let public_forms: Vec<(&str, &str, Vec<u8>)> = vec![
        (
            RS_KEY,
            "RSA SPKI PEM",
            pem("PUBLIC KEY", &rsa_spki).into_bytes(),
        ),
        (
            RS_KEY,
            "RSA SPKI PEM without newline",
            pem("PUBLIC KEY", &rsa_spki).trim_end().as_bytes().to_vec(),
        ),
        (
            RS_KEY,
            "RSA PKCS#1 PEM",
            pem("RSA PUBLIC KEY", rsa_public.as_ref()).into_bytes(),
        ),
        (RS_KEY, "RSA SPKI DER", rsa_spki.clone()),
        (RS_KEY, "RSA PKCS#1 DER", rsa_public.as_ref().to_vec()),
        (RS_KEY, "RSA modulus", rsa_modulus.clone()),
        (
            RS_KEY,
            "RSA modulus, Base64url",
            b64(&rsa_modulus).into_bytes(),
        ),
        (
            ES_KEY,
            "EC SPKI PEM",
            pem("PUBLIC KEY", &ec_spki).into_bytes(),
        ),
        (ES_KEY, "EC SPKI DER", ec_spki.clone()),
        (ES_KEY, "EC point", ec_public.as_ref().to_vec()),
    ];
    for (kid, form, secret) in &public_forms {
        for (alg, algorithm) in [
            ("HS256", hmac::HMAC_SHA256),
            ("HS384", hmac::HMAC_SHA384),
            ("HS512", hmac::HMAC_SHA512),
        ] {
            let header = json!({"alg": alg, "typ": "JWT", "kid": kid}).to_string();
            add(
                format!("{alg} keyed with the {form}"),
                forge.raw(&header, &claims_text, Sig::Hmac(algorithm, secret)),
            );
        }
    }
    // Right signature, wrong pairing: each key's genuine signature under another key's kid
    // or algorithm.
    for (name, header, sig) in [
        (
            "HMAC-signed, RSA kid",
            json!({"alg": "HS256", "kid": RS_KEY}),
            Sig::Hmac(hmac::HMAC_SHA256, &forge.hs_secret),
        ),
        (
            "RSA-signed, HMAC kid",
            json!({"alg": "RS256", "kid": HS_KEY}),
            Sig::Rsa(&forge.rsa),
        ),
        (
            "RSA-signed as ES256",
            json!({"alg": "ES256", "kid": ES_KEY}),
            Sig::Rsa(&forge.rsa),
        ),
        (
            "EC-signed as RS256",
            json!({"alg": "RS256", "kid": RS_KEY}),
            Sig::Ec(&forge.ec),
        ),
        (
            "RSA-signed, PS256",
            json!({"alg": "PS256", "kid": RS_KEY}),
            Sig::Rsa(&forge.rsa),
        ),
        (
            "EC-signed, ES384",
            json!({"alg": "ES384", "kid": ES_KEY}),
            Sig::Ec(&forge.ec),
        ),
    ] {
        add(
            name.to_owned(),
            forge.raw(&header.to_string(), &claims_text, sig),
        );
    }

    // kid tricks: unknown, traversal to an empty or known file, injection, wrong types.
    for (kid, secret) in [
        (
            json!(Uuid::from_u128(1).to_string()),
            forge.hs_secret.as_slice(),
        ),
        (json!("../../../../../../dev/null"), b"".as_slice()),
        (json!("/dev/null"), b"".as_slice()),
        (json!("../../../../etc/hostname"), b"".as_slice()),
        (json!("' OR '1'='1"), forge.hs_secret.as_slice()),
        (
            json!(format!("{HS_KEY}' UNION SELECT 'secret")),
            b"secret".as_slice(),
        ),
        (
            json!(format!("{HS_KEY}; DROP TABLE users;--")),
            forge.hs_secret.as_slice(),
        ),
        (json!(format!("{HS_KEY}\u{0}")), forge.hs_secret.as_slice()),
        (json!(""), forge.hs_secret.as_slice()),
        (Value::Null, forge.hs_secret.as_slice()),
        (json!(0), forge.hs_secret.as_slice()),
        (json!([HS_KEY]), forge.hs_secret.as_slice()),
        (json!({"id": HS_KEY}), forge.hs_secret.as_slice()),
    ] {
        let header = json!({"alg": "HS256", "typ": "JWT", "kid": kid}).to_string();
        add(
            format!("kid {kid}"),
            forge.raw(&header, &claims_text, Sig::Hmac(hmac::HMAC_SHA256, secret)),
        );
    }
    add(
        "no kid".to_owned(),
        forge.ours(&json!({"alg": "HS256", "typ": "JWT"}), &claims),
    );

    // Headers that point at keys or rules we never issue: signed by an attacker's key,
    // and signed by our own.
    let attacker_point = forge.attacker.public_key().as_ref();
    let attacker_jwk = json!({"kty": "EC", "crv": "P-256", "kid": ES_KEY,
        "x": b64(&attacker_point[1..33]), "y": b64(&attacker_point[33..])});
    let attacker_spki = STANDARD.encode(forge.attacker.public_key().as_der().unwrap().as_ref());
    for (member, value) in [
        (
            "jku",
            json!("https://attacker.example/.well-known/jwks.json"),
        ),
        ("jku", json!("http://127.0.0.1:9011/.well-known/jwks.json")),
        ("x5u", json!("https://attacker.example/cert.pem")),
        ("jwk", attacker_jwk.clone()),
        ("x5c", json!([attacker_spki])),
        ("x5t", json!("AAAA")),
        ("crit", json!(["exp"])),
        ("cty", json!("JWT")),
        ("enc", json!("A128GCM")),
        ("zip", json!("DEF")),
        ("b64", json!(false)),
    ] {
        let mut attacker_header = json!({"alg": "ES256", "typ": "JWT", "kid": ES_KEY});
        attacker_header[member] = value.clone();
        add(
            format!("{member} header, attacker-signed"),
            forge.raw(
                &attacker_header.to_string(),
                &claims_text,
                Sig::Ec(&forge.attacker),
            ),
        );
        let mut our_header = hs_header();
        our_header[member] = value;
        add(
            format!("{member} header, signed by our key"),
            forge.ours(&our_header, &claims),
        );
    }
    add(
        "typ other than JWT".to_owned(),
        forge.ours(
            &json!({"alg": "HS256", "typ": "at+jwt", "kid": HS_KEY}),
            &claims,
        ),
    );

    // Time, on the sidecar's clock: one second late, exactly at exp, one second early.
    for (name, changes) in [
        ("expired by 1 s", json!({"exp": now_seconds - 1})),
        ("exp equal to now", json!({"exp": now_seconds})),
        ("nbf 1 s in the future", json!({"nbf": now_seconds + 1})),
        ("no exp", json!({"exp": null})),
        (
            "exp as a string",
            json!({"exp": (now_seconds + 600).to_string()}),
        ),
        (
            "exp as a fraction",
            json!({"exp": now_seconds as f64 + 600.5}),
        ),
        ("exp beyond i64", json!({"exp": u64::MAX})),
        ("nbf as a string", json!({"nbf": now_seconds.to_string()})),
    ] {
        add(
            name.to_owned(),
            forge.ours(&hs_header(), &with(&claims, changes)),
        );
    }

    // Claims that do not agree with the configuration, signed by our key.
    for (name, changes) in [
        ("iss of another issuer", json!({"iss": "evil.example"})),
        ("iss of the other tenant", json!({"iss": "other.example"})),
        ("iss with different case", json!({"iss": "ACME.com"})),
        ("no iss", json!({"iss": null})),
        (
            "aud unknown",
            json!({"aud": Uuid::from_u128(3).to_string(), "applicationId": null}),
        ),
        (
            "aud of the other tenant",
            json!({"aud": OTHER_APP, "applicationId": OTHER_APP}),
        ),
        ("aud not a UUID", json!({"aud": "*"})),
        ("aud as a list", json!({"aud": [SHOP, OTHER_APP]})),
        (
            "applicationId unlike aud",
            json!({"applicationId": RSA_APP}),
        ),
        (
            "tid unknown",
            json!({"tid": Uuid::from_u128(4).to_string()}),
        ),
        ("tid of the other tenant", json!({"tid": OTHER_TENANT})),
        ("no tid", json!({"tid": null})),
        ("sub not a UUID", json!({"sub": "admin"})),
        (
            "sub in upper case",
            json!({"sub": s.user.to_string().to_uppercase()}),
        ),
        (
            "sub without hyphens",
            json!({"sub": s.user.simple().to_string()}),
        ),
        ("tid braced", json!({"tid": format!("{{{TENANT}}}")})),
        (
            "aud as a URN",
            json!({"aud": format!("urn:uuid:{SHOP}"), "applicationId": null}),
        ),
        ("no sub", json!({"sub": null})),
    ] {
        add(
            name.to_owned(),
            forge.ours(&hs_header(), &with(&claims, changes)),
        );
    }

    // The genuine token's signature: every bit flipped, every character substituted
    // (including the last, whose low bits carry no data), truncated, padded, re-alphabeted.
    let (signed, signature) = s.hs.rsplit_once('.').unwrap();
    let bytes = URL_SAFE_NO_PAD.decode(signature).unwrap();
    for bit in 0..bytes.len() * 8 {
        let mut flipped = bytes.clone();
        flipped[bit / 8] ^= 1 << (bit % 8);
        add(
            format!("HS256 signature bit {bit} flipped"),
            format!("{signed}.{}", b64(flipped)),
        );
    }
    for (i, original) in signature.char_indices() {
        let replacement = if original == 'A' { 'B' } else { 'A' };
        let mut changed = signature.to_owned();
        changed.replace_range(i..=i, &replacement.to_string());
        add(
            format!("HS256 signature character {i} substituted"),
            format!("{signed}.{changed}"),
        );
    }
    for (name, token) in [
        (
            "last character dropped",
            format!("{signed}.{}", &signature[..signature.len() - 1]),
        ),
        (
            "half the signature",
            format!("{signed}.{}", &signature[..signature.len() / 2]),
        ),
        ("empty signature", format!("{signed}.")),
        ("no signature segment", signed.to_owned()),
        ("padded signature", format!("{signed}.{signature}=")),
        (
            "signature with an extra character",
            format!("{signed}.{signature}A"),
        ),
        (
            "standard Base64 alphabet",
            format!("{signed}.{}", STANDARD.encode(&bytes)),
        ),
        (
            "signature with a space",
            format!("{signed}.{} {}", &signature[..10], &signature[10..]),
        ),
        ("four segments", format!("{}.x", s.hs)),
        ("five segments (JWE shape)", format!("{}..x.y", s.hs)),
        ("segments swapped", {
            let mut parts: Vec<&str> = s.hs.split('.').collect();
            parts.swap(0, 1);
            parts.join(".")
        }),
        ("leading dot", format!(".{}", s.hs)),
        ("only dots", "..".to_owned()),
    ] {
        add(name.to_owned(), token);
    }
    for (name, genuine, modulus_bits) in [("RS256", &s.rs, 2048), ("ES256", &s.es, 512)] {
        let (signed, signature) = genuine.rsplit_once('.').unwrap();
        let bytes = URL_SAFE_NO_PAD.decode(signature).unwrap();
        for bit in (0..modulus_bits)
            .step_by(modulus_bits / 64)
            .chain([modulus_bits - 1])
        {
            let mut flipped = bytes.clone();
            flipped[bit / 8] ^= 1 << (bit % 8);
            add(
                format!("{name} signature bit {bit} flipped"),
                format!("{signed}.{}", b64(flipped)),
            );
        }
        add(
            format!("{name} signature truncated"),
            format!("{signed}.{}", &signature[..signature.len() - 4]),
        );
    }
    // The genuine signature over changed content: another subject, a longer life.
    let (header_segment, _) = signed.split_once('.').unwrap();
    for changes in [
        json!({"sub": Uuid::from_u128(5).to_string()}),
        json!({"exp": now_seconds + 10 * 365 * 86_400}),
        json!({"roles": ["admin"]}),
    ] {
        add(
            format!("claims {changes} under the genuine signature"),
            format!(
                "{header_segment}.{}.{genuine_signature}",
                b64(with(&claims, changes).to_string())
            ),
        );
    }

    // Oversized and ambiguous: signed by our key, refused for their shape.
    let mut big_header = hs_header();
    big_header["pad"] = json!("x".repeat(20_000));
    add("20 KB header".to_owned(), forge.ours(&big_header, &claims));
    let mut padded_header = hs_header();
    padded_header["pad"] = json!("x".repeat(6_000));
    add(
        "6 KB header member".to_owned(),
        forge.ours(&padded_header, &claims),
    );
    add(
        "100 KB of claims".to_owned(),
        forge.ours(
            &hs_header(),
            &with(&claims, json!({"pad": "x".repeat(100_000)})),
        ),
    );
    add(
        "header nested 1000 deep".to_owned(),
        forge.raw(
            &format!(
                r#"{{"alg":"HS256","kid":"{HS_KEY}","x":{}{}}}"#,
                "[".repeat(1000),
                "]".repeat(1000)
            ),
            &claims_text,
            Sig::Hmac(hmac::HMAC_SHA256, &forge.hs_secret),
        ),
    );
    add(
        "alg given twice".to_owned(),
        forge.raw(
            &format!(r#"{{"alg":"HS256","alg":"none","kid":"{HS_KEY}"}}"#),
            &claims_text,
            Sig::Hmac(hmac::HMAC_SHA256, &forge.hs_secret),
        ),
    );
    add(
        "kid given twice".to_owned(),
        forge.raw(
            &format!(r#"{{"alg":"HS256","kid":"{RS_KEY}","kid":"{HS_KEY}"}}"#),
            &claims_text,
            Sig::Hmac(hmac::HMAC_SHA256, &forge.hs_secret),
        ),
    );
    add(
        "sub given twice".to_owned(),
        forge.raw(
            &hs_header().to_string(),
            &format!(r#"{{"sub":"{}",{}"#, Uuid::from_u128(5), &claims_text[1..]),
            Sig::Hmac(hmac::HMAC_SHA256, &forge.hs_secret),
        ),
    );
    add(
        "claims not an object".to_owned(),
        forge.raw(
            &hs_header().to_string(),
            "[]",
            Sig::Hmac(hmac::HMAC_SHA256, &forge.hs_secret),
        ),
    );
    add(
        "claims with a NUL in sub".to_owned(),
        forge.ours(
            &hs_header(),
            &with(&claims, json!({"sub": format!("{}\u{0}", s.user)})),
        ),
    );
    tokens
}

/// Every endpoint that reads a JWT refuses `token`, with no effect.
async fn assert_refused_everywhere(h: &Harness, s: &Session, name: &str, token: &str) {
    let bearer = format!("Bearer {token}");
    let as_header = axum::http::HeaderValue::from_str(&bearer).is_ok();
    let send =
        |method: &str, uri: String, body: Option<Value>, headers: Vec<(&'static str, String)>| {
            let mut request = Request::builder()
                .method(method)
                .uri(uri)
                .header("content-type", "application/json");
            for (header, value) in headers {
                request = request.header(header, value);
            }
            request
                .body(body.map_or_else(Body::empty, |b| Body::from(b.to_string())))
                .unwrap()
        };
    let mut checks: Vec<(&str, Request<Body>, StatusCode)> = vec![
        (
            "refresh with it as refreshToken",
            send(
                "POST",
                "/api/jwt/refresh".into(),
                Some(json!({"refreshToken": token})),
                vec![],
            ),
            StatusCode::BAD_REQUEST,
        ),
        (
            "refresh with it as token",
            send(
                "POST",
                "/api/jwt/refresh".into(),
                Some(json!({"token": token})),
                vec![],
            ),
            StatusCode::BAD_REQUEST,
        ),
    ];
    if as_header {
        checks.extend([
            ("validate (bearer)", send("GET", "/api/jwt/validate".into(), None, vec![("authorization", bearer.clone())]), StatusCode::UNAUTHORIZED),
            ("JWT login ping", send("PUT", "/api/login".into(), None, vec![("authorization", bearer.clone())]), StatusCode::UNAUTHORIZED),
            ("JWT login ping with ids in the body", send("PUT", "/api/login".into(), Some(json!({"userId": s.user, "applicationId": SHOP})), vec![("authorization", bearer.clone())]), StatusCode::UNAUTHORIZED),
            ("revoke a refresh token by id", send("DELETE", format!("/api/jwt/refresh/{}", s.refresh_token_id), None, vec![("authorization", bearer.clone())]), StatusCode::UNAUTHORIZED),
            ("revoke a refresh token by value", send("DELETE", "/api/jwt/refresh".into(), Some(json!({"token": s.refresh_token})), vec![("authorization", bearer.clone())]), StatusCode::UNAUTHORIZED),
            ("two-factor secret", send("GET", "/api/two-factor/secret".into(), None, vec![("authorization", bearer.clone())]), StatusCode::UNAUTHORIZED),
            ("enable two-factor", send("POST", "/api/user/two-factor".into(), Some(json!({"method": "authenticator", "code": "123456", "secret": "MDEyMzQ1Njc4OTAxMjM0NTY3ODk="})), vec![("authorization", bearer.clone())]), StatusCode::UNAUTHORIZED),
        ]);
    }
    if token
        .bytes()
        .all(|b| b.is_ascii_graphic() && b != b';' && b != b'"' && b != b',')
    {
        checks.extend([
            (
                "validate (access_token cookie)",
                send(
                    "GET",
                    "/api/jwt/validate".into(),
                    None,
                    vec![("cookie", format!("access_token={token}"))],
                ),
                StatusCode::UNAUTHORIZED,
            ),
            (
                "refresh with it as the refresh_token cookie",
                send(
                    "POST",
                    "/api/jwt/refresh".into(),
                    None,
                    vec![("cookie", format!("refresh_token={token}"))],
                ),
                StatusCode::BAD_REQUEST,
            ),
        ]);
    }
    for (endpoint, request, expected) in checks {
        let reply = h.send(request).await;
        assert_eq!(
            reply.status,
            expected,
            "{name}: {endpoint} answered {} {}\n{token:.300}",
            reply.status,
            String::from_utf8_lossy(&reply.body)
        );
        assert!(
            reply.headers.get("set-cookie").is_none(),
            "{name}: {endpoint} set a cookie"
        );
    }
}

async fn validate(h: &Harness, token: &str) -> StatusCode {
    h.send(
        Request::builder()
            .uri("/api/jwt/validate")
            .header("authorization", format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap(),
    )
    .await
    .status
}

async fn crafted_tokens_are_refused_by_every_endpoint(backend: Backend) {
    let h = harness_with_config(backend, &config()).await;
    let s = session(&h).await;
    let forge = Forge::new();
    let now_seconds = h.clock.0.load(Ordering::SeqCst) / 1000;

    // Controls: each genuine token, and tokens forged with our key that differ from the
    // refused ones only in the one respect tested, are accepted.
    for token in [&s.hs, &s.rs, &s.es] {
        assert_eq!(validate(&h, token).await, StatusCode::OK, "{token}");
    }
    let claims = decoded_claims(&s.hs);
    for (name, changes) in [
        ("expiring in 1 s", json!({"exp": now_seconds + 1})),
        ("nbf now", json!({"nbf": now_seconds})),
        ("no aud", json!({"aud": null, "applicationId": null})),
        (
            "of the other tenant",
            json!({"tid": OTHER_TENANT, "iss": "other.example", "aud": OTHER_APP, "applicationId": null}),
        ),
    ] {
        let token = forge.ours(&hs_header(), &with(&claims, changes));
        assert_eq!(validate(&h, &token).await, StatusCode::OK, "control {name}");
    }

    let records_before = h.state.store.login_records(s.user).await.unwrap().len();
    let corpus = corpus(&forge, &s, now_seconds);
    assert!(corpus.len() > 500, "corpus of {}", corpus.len());
    for (name, token) in &corpus {
        assert_refused_everywhere(&h, &s, name, token).await;
    }

    // Nothing happened: no ping recorded a login, the refresh token is alive, and the
    // genuine access token still works.
    assert_eq!(
        h.state.store.login_records(s.user).await.unwrap().len(),
        records_before,
        "a crafted ping recorded a login"
    );
    let (status, body, _) = h
        .call(
            "POST",
            "/api/jwt/refresh",
            Some(json!({"refreshToken": s.refresh_token})),
            &[],
        )
        .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the refresh token was revoked: {body}"
    );
    assert_eq!(validate(&h, &s.hs).await, StatusCode::OK);
}

async fn tokens_expire_on_the_sidecars_clock(backend: Backend) {
    let h = harness_with_config(backend, &config()).await;
    let s = session(&h).await;
    let ping = h
        .send(
            Request::builder()
                .method("PUT")
                .uri("/api/login")
                .header("authorization", format!("Bearer {}", s.hs))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(ping.status, StatusCode::OK, "the genuine token pings");
    // The tenant's TTL is FusionAuth's 3600 s: valid at 3599 s, refused at 3600 s.
    h.advance_seconds(3599);
    assert_eq!(validate(&h, &s.hs).await, StatusCode::OK);
    h.advance_seconds(1);
    for token in [&s.hs, &s.rs, &s.es] {
        assert_eq!(validate(&h, token).await, StatusCode::UNAUTHORIZED);
        assert_refused_everywhere(&h, &s, "expired genuine token", token).await;
    }
}

on_both_backends!(
    crafted_tokens_are_refused_by_every_endpoint,
    tokens_expire_on_the_sidecars_clock,
);
