//! Second factors: TOTP codes (RFC 6238 as FusionAuth fixes it: HmacSHA1, 6 digits,
//! 30-second steps) and single-use recovery codes.

use base64::Engine as _;
use rand_core::RngCore;

use crate::secrets::{random_bytes, sha256_hex};

/// How many steps either side of now a code is accepted for: clock drift between a
/// phone and a server is common, and one step each way is the usual allowance.
const SKEW_STEPS: u8 = 1;
const STEP_SECONDS: u64 = 30;
const RECOVERY_CODE_COUNT: usize = 10;
const RECOVERY_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// A new TOTP secret: 20 random bytes, as FusionAuth's `{secret, secretBase32Encoded}`.
pub fn generate_secret(rng: &mut dyn RngCore) -> (String, String) {
    let bytes = random_bytes(rng, 20);
    (
        base64::engine::general_purpose::STANDARD.encode(&bytes),
        data_encoding::BASE32_NOPAD.encode(&bytes),
    )
}

/// Decodes a secret given as Base64 (`secret`) or Base32 (`secretBase32Encoded`).
pub fn decode_secret(base64_secret: Option<&str>, base32_secret: Option<&str>) -> Option<Vec<u8>> {
    if let Some(secret) = base64_secret.filter(|s| !s.is_empty()) {
        return base64::engine::general_purpose::STANDARD
            .decode(secret)
            .ok();
    }
    let secret = base32_secret?
        .trim()
        .to_ascii_uppercase()
        .replace([' ', '='], "");
    data_encoding::BASE32_NOPAD.decode(secret.as_bytes()).ok()
}

fn totp(key: &[u8]) -> Option<totp_rs::TOTP> {
    totp_rs::TOTP::new_unchecked(
        totp_rs::Algorithm::SHA1,
        6,
        SKEW_STEPS,
        STEP_SECONDS,
        key.to_vec(),
    )
    .into()
}

/// The code for `key` at `unix_seconds`.
pub fn code_at(key: &[u8], unix_seconds: u64) -> String {
    totp(key)
        .map(|t| t.generate(unix_seconds))
        .unwrap_or_default()
}

/// The time step a code was valid for, if `code` is valid for `key` at `unix_seconds`
/// (within one step of skew). The step lets the caller refuse a replayed code.
pub fn verify_code(key: &[u8], code: &str, unix_seconds: u64) -> Option<u64> {
    let code = code.trim();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let t = totp(key)?;
    let step = unix_seconds / STEP_SECONDS;
    let mut found = None;
    // Check every candidate step so that timing does not reveal which one matched.
    for candidate in step.saturating_sub(u64::from(SKEW_STEPS))..=step + u64::from(SKEW_STEPS) {
        let expected = t.generate(candidate * STEP_SECONDS);
        if crate::secrets::constant_time_eq(expected.as_bytes(), code.as_bytes()) {
            found = Some(candidate);
        }
    }
    found
}

/// Ten recovery codes in FusionAuth's `XXXXX-XXXXX` form, with their storage hashes.
pub fn generate_recovery_codes(rng: &mut dyn RngCore) -> Vec<(String, String)> {
    (0..RECOVERY_CODE_COUNT)
        .map(|_| {
            let raw: String = random_bytes(rng, 10)
                .iter()
                .map(|b| char::from(RECOVERY_ALPHABET[usize::from(*b) % RECOVERY_ALPHABET.len()]))
                .collect();
            let code = format!("{}-{}", &raw[..5], &raw[5..]);
            let hash = recovery_code_hash(&code);
            (code, hash)
        })
        .collect()
}

/// The storage hash of a recovery code as typed: case and the dash do not matter.
pub fn recovery_code_hash(code: &str) -> String {
    let normalized: String = code
        .trim()
        .chars()
        .filter(|c| *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    sha256_hex(normalized.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA-1 key, truncated to 6 digits.
    const RFC_KEY: &[u8] = b"12345678901234567890";

    #[test]
    fn matches_rfc6238_vectors() {
        for (time, code) in [
            (59, "287082"),
            (1_111_111_109, "081804"),
            (1_111_111_111, "050471"),
            (1_234_567_890, "005924"),
            (2_000_000_000, "279037"),
        ] {
            assert_eq!(code_at(RFC_KEY, time), code, "t={time}");
            assert!(verify_code(RFC_KEY, code, time).is_some());
        }
    }

    #[test]
    fn accepts_one_step_of_skew_and_no_more() {
        let code = code_at(RFC_KEY, 1_000_000_020);
        assert_eq!(
            verify_code(RFC_KEY, &code, 1_000_000_020 + 30),
            Some(1_000_000_020 / 30)
        );
        assert!(verify_code(RFC_KEY, &code, 1_000_000_020 + 61).is_none());
        assert!(verify_code(RFC_KEY, "12345", 0).is_none());
        assert!(verify_code(RFC_KEY, "abcdef", 0).is_none());
    }

    #[test]
    fn secrets_round_trip_through_both_encodings() {
        let mut rng = rand::rngs::OsRng;
        let (b64, b32) = generate_secret(&mut rng);
        assert_eq!(
            decode_secret(Some(&b64), None),
            decode_secret(None, Some(&b32))
        );
        assert_eq!(decode_secret(Some(&b64), None).map(|k| k.len()), Some(20));
    }

    #[test]
    fn recovery_codes_are_unique_and_hash_ignoring_case_and_dash() {
        let mut rng = rand::rngs::OsRng;
        let codes = generate_recovery_codes(&mut rng);
        assert_eq!(codes.len(), 10);
        let (code, hash) = &codes[0];
        assert_eq!(code.len(), 11);
        assert_eq!(
            &recovery_code_hash(&code.to_lowercase().replace('-', "")),
            hash
        );
        let unique: std::collections::HashSet<_> = codes.iter().map(|c| &c.0).collect();
        assert_eq!(unique.len(), 10);
    }
}
