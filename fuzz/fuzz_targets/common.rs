//! What the targets share: one configuration with a key of each family, two tenants and
//! an API key, as a sidecar would load it. Each target uses part of it.
#![allow(dead_code)]

use authlet_core::config::Config;
use authlet_sidecar::state::Runtime;

pub const API_KEY: &str = "fuzzing-api-key-0123456789";
pub const HS_KEY: &str = "0d3b8a57-6c0e-4f5e-9d8b-3c2a1b0f9e8d";
pub const RS_KEY: &str = "1e4c8a57-6c0e-4f5e-9d8b-3c2a1b0f9e8d";
pub const ES_KEY: &str = "2f5d8a57-6c0e-4f5e-9d8b-3c2a1b0f9e8d";
/// The HMAC key's bytes, Base64 as in the config.
pub const HS_SECRET: &str = "MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE=";
pub const TENANT: &str = "6b9a8a57-6c0e-4f5e-9d8b-3c2a1b0f9e8d";
pub const SHOP: &str = "3c218a57-6c0e-4f5e-9d8b-3c2a1b0f9e8d";
pub const RSA_PEM: &str = include_str!("../../sidecar/tests/fixtures/rsa-2048.pem");
pub const EC_PEM: &str = include_str!("../../sidecar/tests/fixtures/ec-p256.pem");

fn indented(pem: &str) -> String {
    pem.lines().map(|l| format!("      {l}\n")).collect()
}

/// Hashing at factor 1: the targets explore parsing and decisions, not PBKDF2.
pub fn config_text() -> String {
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
    passwordEncryptionConfiguration: {{encryptionScheme: salted-pbkdf2-hmac-sha256, encryptionSchemeFactor: 1}}
    jwtConfiguration: {{accessTokenKeyId: {HS_KEY}}}
    applications:
      - {{id: {SHOP}, name: Shop, loginConfiguration: {{generateRefreshTokens: true, allowTokenRefresh: true}}}}
      - {{id: 5e438a57-6c0e-4f5e-9d8b-3c2a1b0f9e8d, name: Rsa, jwtConfiguration: {{enabled: true, accessTokenKeyId: {RS_KEY}}}}}
      - {{id: 6f548a57-6c0e-4f5e-9d8b-3c2a1b0f9e8d, name: Ec, jwtConfiguration: {{enabled: true, accessTokenKeyId: {ES_KEY}}}}}
  - id: 7a658a57-6c0e-4f5e-9d8b-3c2a1b0f9e8d
    name: Other
    issuer: other.example
    jwtConfiguration: {{accessTokenKeyId: {HS_KEY}}}
    applications:
      - {{id: 8b768a57-6c0e-4f5e-9d8b-3c2a1b0f9e8d, name: Elsewhere}}
"#,
        rsa = indented(RSA_PEM),
        ec = indented(EC_PEM),
    )
}

pub fn runtime() -> Runtime {
    let config = Config::parse(&config_text()).expect("the fuzzing config is valid");
    Runtime::new(config).expect("the fuzzing keys load")
}
