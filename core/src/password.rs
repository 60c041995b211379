//! FusionAuth's password hash schemes, and its password validation rules.
//!
//! A stored password is FusionAuth's triple — scheme name, factor, Base64 salt — plus the
//! Base64 hash, exactly as the User Import API takes it, so imported users log in
//! unchanged. Hashing is CPU-bound by design; callers run it off their async workers.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use md5::Md5;
use rand_core::RngCore;
use sha2::{Digest, Sha256, Sha512};

use crate::config::{PasswordEncryptionConfiguration, PasswordValidationRules};
use crate::secrets::{constant_time_eq, random_bytes};

/// bcrypt reads at most 72 bytes of password; longer ones would be silently truncated,
/// making `prefix + anything` a valid password. We refuse them instead.
pub const BCRYPT_MAX_PASSWORD_BYTES: usize = 72;

/// The largest password accepted anywhere: bounds hashing work per request.
pub const MAX_PASSWORD_BYTES: usize = 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scheme {
    SaltedMd5,
    SaltedSha256,
    SaltedHmacSha256,
    Pbkdf2Sha256,
    Pbkdf2Sha256Key512,
    Pbkdf2Sha512Key512,
    Bcrypt,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PasswordError {
    #[error("unknown encryption scheme {0}")]
    UnknownScheme(String),
    #[error("factor must be between {min} and {max} for {scheme}")]
    Factor {
        scheme: &'static str,
        min: u32,
        max: u32,
    },
    #[error("salt is not valid Base64")]
    Salt,
    #[error("password is longer than {0} bytes")]
    TooLong(usize),
    #[error("stored hash is malformed")]
    MalformedHash,
}

impl Scheme {
    pub const ALL: [Scheme; 7] = [
        Self::SaltedMd5,
        Self::SaltedSha256,
        Self::SaltedHmacSha256,
        Self::Pbkdf2Sha256,
        Self::Pbkdf2Sha256Key512,
        Self::Pbkdf2Sha512Key512,
        Self::Bcrypt,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::SaltedMd5 => "salted-md5",
            Self::SaltedSha256 => "salted-sha256",
            Self::SaltedHmacSha256 => "salted-hmac-sha256",
            Self::Pbkdf2Sha256 => "salted-pbkdf2-hmac-sha256",
            Self::Pbkdf2Sha256Key512 => "salted-pbkdf2-hmac-sha256-512",
            Self::Pbkdf2Sha512Key512 => "salted-pbkdf2-hmac-sha512-512",
            Self::Bcrypt => "bcrypt",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.name() == name)
    }

    /// Factor bounds: bcrypt's is a log2 cost; the others are iteration counts, capped so
    /// a config or an import cannot make one login cost minutes.
    fn factor_range(self) -> (u32, u32) {
        match self {
            Self::Bcrypt => (4, 30),
            Self::SaltedHmacSha256 => (0, u32::MAX),
            _ => (1, 10_000_000),
        }
    }

    pub fn check_factor(self, factor: u32) -> Result<(), PasswordError> {
        let (min, max) = self.factor_range();
        if (min..=max).contains(&factor) {
            Ok(())
        } else {
            Err(PasswordError::Factor {
                scheme: self.name(),
                min,
                max,
            })
        }
    }

    /// Bytes of digest the scheme stores (bcrypt's 31 characters are checked as text).
    fn hash_len(self) -> usize {
        match self {
            Self::SaltedMd5 => 16,
            Self::Pbkdf2Sha256Key512 | Self::Pbkdf2Sha512Key512 => 64,
            _ => 32,
        }
    }

    fn salt_len(self) -> usize {
        match self {
            Self::Bcrypt => 16,
            _ => 32,
        }
    }
}

/// A stored password, in FusionAuth's import form.
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordHash {
    pub scheme: Scheme,
    pub factor: u32,
    /// Base64 salt (for bcrypt: the 22-character bcrypt-alphabet salt).
    pub salt: String,
    /// Base64 hash (for bcrypt: the 31-character bcrypt-alphabet digest).
    pub hash: String,
}

impl std::fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PasswordHash")
            .field("scheme", &self.scheme)
            .field("factor", &self.factor)
            .finish_non_exhaustive()
    }
}

impl PasswordHash {
    /// What [`create`](Self::create) would refuse, found without hashing: an unknown
    /// scheme, a factor out of range, a password longer than the scheme takes. Callers
    /// check a whole request this way before paying for any hash.
    pub fn check_plaintext(
        password: &str,
        settings: &PasswordEncryptionConfiguration,
    ) -> Result<Scheme, PasswordError> {
        let scheme = Scheme::from_name(&settings.encryption_scheme)
            .ok_or_else(|| PasswordError::UnknownScheme(settings.encryption_scheme.clone()))?;
        scheme.check_factor(settings.encryption_scheme_factor)?;
        let limit = match scheme {
            Scheme::Bcrypt => BCRYPT_MAX_PASSWORD_BYTES,
            _ => MAX_PASSWORD_BYTES,
        };
        if password.len() > limit {
            return Err(PasswordError::TooLong(limit));
        }
        Ok(scheme)
    }

    /// Hashes `password` under a tenant's settings with a fresh salt.
    pub fn create(
        password: &str,
        settings: &PasswordEncryptionConfiguration,
        rng: &mut dyn RngCore,
    ) -> Result<Self, PasswordError> {
        let scheme = Self::check_plaintext(password, settings)?;
        let salt_bytes = random_bytes(rng, scheme.salt_len());
        let salt = match scheme {
            Scheme::Bcrypt => bcrypt_base64_encode(&salt_bytes),
            _ => BASE64.encode(&salt_bytes),
        };
        Self::with_salt(password, scheme, settings.encryption_scheme_factor, &salt)
    }

    /// Hashes with a given salt: how imported hashes are reproduced and tested.
    pub fn with_salt(
        password: &str,
        scheme: Scheme,
        factor: u32,
        salt: &str,
    ) -> Result<Self, PasswordError> {
        scheme.check_factor(factor)?;
        let hash = compute(password, scheme, factor, salt)?;
        Ok(Self {
            scheme,
            factor,
            salt: salt.to_owned(),
            hash,
        })
    }

    /// An imported hash, checked for shape (not for the password) before it is stored.
    pub fn imported(
        scheme_name: &str,
        factor: u32,
        salt: &str,
        hash: &str,
    ) -> Result<Self, PasswordError> {
        let scheme = Scheme::from_name(scheme_name)
            .ok_or_else(|| PasswordError::UnknownScheme(scheme_name.to_owned()))?;
        scheme.check_factor(factor)?;
        match scheme {
            Scheme::Bcrypt => {
                if bcrypt_base64_decode(salt).is_none_or(|s| s.len() != 16) || hash.len() != 31 {
                    return Err(PasswordError::MalformedHash);
                }
            }
            _ => {
                // The salt decoder hashing uses: a salt that hashes must also import, or
                // its user's stored record would be refused when read back.
                salt_bytes(salt)?;
                // A hash of another length can never match: refuse it rather than store
                // a user who cannot log in.
                if BASE64.decode(hash).ok().map(|h| h.len()) != Some(scheme.hash_len()) {
                    return Err(PasswordError::MalformedHash);
                }
            }
        }
        Ok(Self {
            scheme,
            factor,
            salt: salt.to_owned(),
            hash: hash.to_owned(),
        })
    }

    /// A record read back from storage. Only the scheme must be known: a record stored
    /// under older, looser import rules (or damaged) simply never verifies, so that one
    /// odd row costs its user a failed login, not every request touching it a 500.
    pub fn from_stored(
        scheme_name: &str,
        factor: u32,
        salt: &str,
        hash: &str,
    ) -> Result<Self, PasswordError> {
        let scheme = Scheme::from_name(scheme_name)
            .ok_or_else(|| PasswordError::UnknownScheme(scheme_name.to_owned()))?;
        Ok(Self {
            scheme,
            factor,
            salt: salt.to_owned(),
            hash: hash.to_owned(),
        })
    }

    /// Whether `password` matches, compared in constant time. Any malformed stored value
    /// or over-long password is a mismatch, never a panic.
    pub fn verify(&self, password: &str) -> bool {
        match compute(password, self.scheme, self.factor, &self.salt) {
            Ok(computed) => constant_time_eq(computed.as_bytes(), self.hash.as_bytes()),
            Err(_) => false,
        }
    }

    /// Whether this hash differs from what the tenant's settings would produce now.
    pub fn is_outdated(&self, settings: &PasswordEncryptionConfiguration) -> bool {
        self.scheme.name() != settings.encryption_scheme
            || self.factor != settings.encryption_scheme_factor
    }
}

/// Performs one hash at the tenant's setting and discards it: what an unknown user costs,
/// so that "no such user" takes as long as "wrong password".
pub fn dummy_verify(password: &str, settings: &PasswordEncryptionConfiguration) {
    let scheme = Scheme::from_name(&settings.encryption_scheme).unwrap_or(Scheme::Pbkdf2Sha256);
    let salt = match scheme {
        Scheme::Bcrypt => "abcdefghijklmnopqrstuu".to_owned(),
        _ => BASE64.encode([0u8; 32]),
    };
    let computed = compute(password, scheme, settings.encryption_scheme_factor, &salt);
    std::hint::black_box(computed.ok());
}

fn compute(
    password: &str,
    scheme: Scheme,
    factor: u32,
    salt: &str,
) -> Result<String, PasswordError> {
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(PasswordError::TooLong(MAX_PASSWORD_BYTES));
    }
    scheme.check_factor(factor)?;
    let password = password.as_bytes();
    match scheme {
        Scheme::Bcrypt => return bcrypt_hash(password, factor, salt),
        Scheme::SaltedHmacSha256 => {
            let salt = salt_bytes(salt)?;
            let mut mac = Hmac::<Sha256>::new_from_slice(&salt).map_err(|_| PasswordError::Salt)?;
            mac.update(password);
            return Ok(BASE64.encode(mac.finalize().into_bytes()));
        }
        _ => {}
    }
    let salt = salt_bytes(salt)?;
    let out = match scheme {
        Scheme::SaltedMd5 => iterated_digest::<Md5>(password, &salt, factor),
        Scheme::SaltedSha256 => iterated_digest::<Sha256>(password, &salt, factor),
        Scheme::Pbkdf2Sha256 => pbkdf2_sha256(password, &salt, factor, 32),
        Scheme::Pbkdf2Sha256Key512 => pbkdf2_sha256(password, &salt, factor, 64),
        Scheme::Pbkdf2Sha512Key512 => pbkdf2_sha512(password, &salt, factor, 64),
        Scheme::Bcrypt | Scheme::SaltedHmacSha256 => return Err(PasswordError::MalformedHash),
    };
    Ok(BASE64.encode(out))
}

/// Salts decode as Java's `Base64.getDecoder()` does: padding optional, trailing bits
/// ignored. Stricter decoding would lock out users imported from FusionAuth.
const LENIENT_BASE64: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    base64::engine::GeneralPurposeConfig::new()
        .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

fn salt_bytes(salt: &str) -> Result<Vec<u8>, PasswordError> {
    LENIENT_BASE64.decode(salt).map_err(|_| PasswordError::Salt)
}

/// FusionAuth's salted digest: `digest(password ‖ salt)`, then the digest re-applied to
/// its own output (the salt is not re-added) until `factor` digests are done.
fn iterated_digest<D: Digest>(password: &[u8], salt: &[u8], factor: u32) -> Vec<u8> {
    let mut hasher = D::new();
    hasher.update(password);
    hasher.update(salt);
    let mut out = hasher.finalize();
    for _ in 1..factor {
        out = D::digest(&out);
    }
    out.to_vec()
}

fn pbkdf2_sha256(password: &[u8], salt: &[u8], rounds: u32, len: usize) -> Vec<u8> {
    let mut out = vec![0u8; len];
    pbkdf2::pbkdf2_hmac::<Sha256>(password, salt, rounds, &mut out);
    out
}

fn pbkdf2_sha512(password: &[u8], salt: &[u8], rounds: u32, len: usize) -> Vec<u8> {
    let mut out = vec![0u8; len];
    pbkdf2::pbkdf2_hmac::<Sha512>(password, salt, rounds, &mut out);
    out
}

fn bcrypt_hash(password: &[u8], cost: u32, salt: &str) -> Result<String, PasswordError> {
    if password.len() > BCRYPT_MAX_PASSWORD_BYTES {
        return Err(PasswordError::TooLong(BCRYPT_MAX_PASSWORD_BYTES));
    }
    let salt: [u8; 16] = bcrypt_base64_decode(salt)
        .and_then(|s| s.try_into().ok())
        .ok_or(PasswordError::Salt)?;
    let parts =
        bcrypt::hash_with_salt(password, cost, salt).map_err(|_| PasswordError::MalformedHash)?;
    // "$2b$NN$" + 22 salt chars + 31 hash chars: FusionAuth stores the last 31 as the hash.
    let full = parts.format_for_version(bcrypt::Version::TwoA);
    full.get(full.len().saturating_sub(31)..)
        .map(str::to_owned)
        .ok_or(PasswordError::MalformedHash)
}

const BCRYPT_ALPHABET: &[u8; 64] =
    b"./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

fn bcrypt_base64_encode(bytes: &[u8]) -> String {
    let mut spec = data_encoding::Specification::new();
    spec.symbols
        .push_str(std::str::from_utf8(BCRYPT_ALPHABET).unwrap_or_default());
    match spec.encoding() {
        Ok(encoding) => encoding.encode(bytes),
        Err(_) => String::new(),
    }
}

fn bcrypt_base64_decode(text: &str) -> Option<Vec<u8>> {
    let mut spec = data_encoding::Specification::new();
    spec.symbols
        .push_str(std::str::from_utf8(BCRYPT_ALPHABET).ok()?);
    spec.check_trailing_bits = false;
    spec.encoding().ok()?.decode(text.as_bytes()).ok()
}

/// One broken password rule, with FusionAuth's rule name (`tooShort`, `singleCase`, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleViolation {
    pub rule: &'static str,
    pub message: String,
}

/// Checks a plaintext password against the tenant's rules, returning every violation.
pub fn validate_password(
    password: &str,
    rules: &PasswordValidationRules,
    bcrypt: bool,
) -> Vec<RuleViolation> {
    let mut violations = Vec::new();
    let length = password.chars().count();
    let max = if bcrypt {
        rules.max_length.min(BCRYPT_MAX_PASSWORD_BYTES)
    } else {
        rules.max_length.min(MAX_PASSWORD_BYTES)
    };
    if length < rules.min_length {
        violations.push(RuleViolation {
            rule: "tooShort",
            message: format!(
                "The password must be at least [{}] characters long.",
                rules.min_length
            ),
        });
    }
    if length > max
        || password.len() > MAX_PASSWORD_BYTES
        || (bcrypt && password.len() > BCRYPT_MAX_PASSWORD_BYTES)
    {
        violations.push(RuleViolation {
            rule: "tooLong",
            message: format!("The password must be at most [{max}] characters long."),
        });
    }
    if rules.require_mixed_case
        && !(password.chars().any(char::is_lowercase) && password.chars().any(char::is_uppercase))
    {
        violations.push(RuleViolation {
            rule: "singleCase",
            message: "The password must contain both upper and lower case characters.".into(),
        });
    }
    if rules.require_non_alpha && password.chars().all(char::is_alphabetic) {
        violations.push(RuleViolation {
            rule: "onlyAlpha",
            message: "The password must contain at least one non-alphabetic character.".into(),
        });
    }
    if rules.require_number && !password.chars().any(|c| c.is_ascii_digit()) {
        violations.push(RuleViolation {
            rule: "requireNumber",
            message: "The password must contain at least one number.".into(),
        });
    }
    violations
}

#[cfg(test)]
mod tests {
    use super::*;

    const S1: &str = "jVqbuA9k2Mlo37OWXBMKLw==";
    const S2: &str = "MmE5M2Y2NzQtYjQ0ZS00Yzk5LWIxZDQtMjA4MTE3ZGQwMTM0";
    const S3: &str = "4MTVxbvk8swI0ys2Lf4saeR3swRvn0f2";
    const UNICODE: &str = "pässwörd€ 🔑";

    /// Known answers per scheme. Sources: FusionAuth's import-scripts and contrib repos
    /// (salted-sha256 `faUsers.json`, PBKDF2-SHA256-512 contrib tests and Keycloak sample,
    /// PBKDF2-SHA256 Duende test, bcrypt passportjs `faUsers.json` and jBCrypt's tests);
    /// the rest computed by FusionAuth's own encryptor code on Java 17.
    const VECTORS: &[(&str, &str, &str, u32, &str)] = &[
        ("salted-md5", "password", S1, 1, "4onoP2P3OxUnlJzTGONgjA=="),
        ("salted-md5", "password", S1, 20000, "ee1mq4b+7KtiZt1uOOgy7A=="),
        ("salted-md5", "q", S2, 20000, "/ynKUPuXE1VCSCtgdVUgCg=="),
        ("salted-md5", UNICODE, S3, 20000, "95vhJwIZKiZVWEFDCbZj6w=="),
        ("salted-sha256", "q", S2, 20000, "NF+m8S+f16RR3RhYkz90y2heRjC6SwFoVT9pFNby6/E="),
        ("salted-sha256", "q", "ZjUwM2QxMTEtOTcwZS00MzdhLTgxMTEtODJlMDEzNzRiM2M3", 20000, "pzxs+bm6s4wJNKp+D1RDFUa950q7xs8dqvgueL4VmU8="),
        ("salted-sha256", "password", S1, 1, "PQR2dLr62m94/Y8kgyWKg8CHdbFlSeHGNdgK52z2mpw="),
        ("salted-sha256", "password", S1, 20000, "ScRzyhwUqFcCU//J6Aq4iXzEJa5ySjzdNM+ia7uWE60="),
        ("salted-sha256", UNICODE, S3, 20000, "yxY+xRNahNrTqFaSgvNi83aARfobaG8u8jQQfu0ows8="),
        ("salted-hmac-sha256", "password", S1, 0, "RrWBY+6K2kXmO9xAW6bK9m+Njf5Pe4E8wUY9vmAv2sY="),
        ("salted-hmac-sha256", "q", S2, 0, "i9wbqaRLhKfRl1gQKGwOb+Bb4kY/Rd63vfx9peQJKRA="),
        ("salted-hmac-sha256", UNICODE, S3, 0, "Nrc9CuF6x6qnA5ikJUu62hvnw81Nzq2pJqqeGIcVkWU="),
        ("salted-pbkdf2-hmac-sha256", "Pass123$", "dFilBnTpkMaB5NnPGEaBTg==", 10000, "kYvylojznO+rLOZm+Y0r3q52aFrtIwJucApZY8HF/wk="),
        ("salted-pbkdf2-hmac-sha256", "password", S1, 24000, "v1KoLCCdyQK9UC6/VLYfK5jAbjUYumxQbaUMZ2Zq9Ww="),
        ("salted-pbkdf2-hmac-sha256", "q", S2, 24000, "X+/1JMAmdNuuGUWbJlDOg112WPVR0VtONuXqYKpKWCE="),
        ("salted-pbkdf2-hmac-sha256", UNICODE, S3, 24000, "+BpoiZOsX2UOK1qfevACqxvPtPByoTTr3YElyokOYRM="),
        ("salted-pbkdf2-hmac-sha256-512", "password", S1, 27500, "LjFqvhPuUHJdQvWIwVQfqxjeujAWqG/DVQRFoOv62/cTznl9ob4jwWwY6i1RrwGviu5iNPU5VIp03SxDyetyfw=="),
        ("salted-pbkdf2-hmac-sha256-512", "password", "XnYZtiSCmFE5HF/ZplNCow==", 27500, "OFb32+cOm0sgtEcmNiGC83A27Sk1gb0fynv0RUXBfFXEJ/EieUPlx4uDAGA/q0/FkX2iHO45qqoIqBesiYMIUg=="),
        ("salted-pbkdf2-hmac-sha256-512", "password", "eYcTxcZhBV+GU9BQRt8Ypw==", 27500, "T6S/56cQy0ahQKohXe61aMOhvFr/PHEPfQbILKMLZKrdfOSo8wc+S6HCYomSJwTgYmdPy2gKh+oQW9UbeCmEwQ=="),
        ("salted-pbkdf2-hmac-sha512-512", "password", S1, 1, "Xkg1ButmJy+3UjaxhY8E2M1P0qolBaKEsOAY7eSqC0uh9SuYNoW5c1xJ9xx9WeBJWDYy45E1ojh6UL2krvZ/Gg=="),
        ("salted-pbkdf2-hmac-sha512-512", "password", S1, 24000, "qfBU5xLDl97vjWWR4nOLohGge4sO0W/lE4nDAY4f8kL6vvo2llsW3PBk9NnoYIevYHUTYlg9uekLGY29b8HW8g=="),
        ("salted-pbkdf2-hmac-sha512-512", "q", S2, 24000, "oCPBdVCezOjdl8REmu87jAU6RLg4PCi3X7R/42GHn8UXxmr2GUKvl5NUN3nfde+n6ZUNT4aJBXHhjlC3/AxnIw=="),
        ("salted-pbkdf2-hmac-sha512-512", UNICODE, S3, 24000, "wPUJ/GGZPNaDybT67MIFbXRvO0twPjWETihw6qyRy1NgDGoJuhQD+ykp2sujb5GTCfB1L7z6H2A++AAQ7nf4YQ=="),
        ("bcrypt", "password123", "4dxOxdfSRHVFsdU9HCRRUe", 10, "/c.ogvhgJ6E3lmFF6aOuN0oBkE.K0li"),
        ("bcrypt", "password123", "t7t7eG0u.VPJOgg.XlxHVO", 10, "40EwEdGbsOcaX9J/vzUV0utE.O/Y3EK"),
        ("bcrypt", "", "DCq7YPn5Rq63x1Lad4cll.", 6, "TV4S6ytwfsfvkgY8jIucDrjc8deX1s."),
        ("bcrypt", "a", "m0CrhHm10qJ3lXRY.5zDGO", 6, "3rS2KdeeWLuGmsfGlMfOxih58VYVfxe"),
        ("bcrypt", "abc", "If6bvum7DFjUnE9p2uDeDu", 6, "0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i"),
        ("bcrypt", "abcdefghijklmnopqrstuvwxyz", ".rCVZVOThsIa97pEDOxvGu", 6, "RRgzG64bvtJ0938xuqzv18d3ZpQhstC"),
    ];

    #[test]
    fn known_answers_for_every_scheme() {
        for (scheme, password, salt, factor, expected) in VECTORS {
            let imported = PasswordHash::imported(scheme, *factor, salt, expected)
                .unwrap_or_else(|e| panic!("{scheme} {password:?}: {e}"));
            assert!(
                imported.verify(password),
                "{scheme} {password:?} factor {factor}"
            );
            assert!(
                !imported.verify(&format!("{password}x")),
                "{scheme} {password:?}"
            );
        }
        for scheme in Scheme::ALL {
            let count = VECTORS.iter().filter(|v| v.0 == scheme.name()).count();
            assert!(count >= 3, "{} has only {count} vectors", scheme.name());
        }
    }

    #[test]
    fn unpadded_salts_decode_as_java_does() {
        let padded = PasswordHash::with_salt("password", Scheme::SaltedSha256, 1, S1).unwrap();
        let unpadded = PasswordHash::with_salt(
            "password",
            Scheme::SaltedSha256,
            1,
            S1.trim_end_matches('='),
        )
        .unwrap();
        assert_eq!(padded.hash, unpadded.hash);
        // Import reads salts as hashing does: a record hashed with an unpadded salt is
        // imported (and read back from the database) unchanged.
        assert_eq!(
            PasswordHash::imported("salted-sha256", 1, &unpadded.salt, &unpadded.hash).unwrap(),
            unpadded
        );
    }

    #[test]
    fn every_scheme_round_trips_and_rejects_a_wrong_password() {
        let mut rng = rand::rngs::OsRng;
        for scheme in Scheme::ALL {
            let factor = match scheme {
                Scheme::Bcrypt => 4,
                _ => 10,
            };
            let settings = PasswordEncryptionConfiguration {
                encryption_scheme: scheme.name().into(),
                encryption_scheme_factor: factor,
                modify_encryption_scheme_on_login: false,
            };
            let hash = PasswordHash::create("correct horse", &settings, &mut rng).unwrap();
            assert!(hash.verify("correct horse"), "{scheme:?}");
            assert!(!hash.verify("correct horsE"), "{scheme:?}");
            assert!(!hash.verify(""), "{scheme:?}");
            let reimported =
                PasswordHash::imported(scheme.name(), factor, &hash.salt, &hash.hash).unwrap();
            assert!(reimported.verify("correct horse"), "{scheme:?}");
        }
    }

    #[test]
    fn bcrypt_refuses_passwords_past_72_bytes_instead_of_truncating() {
        let settings = PasswordEncryptionConfiguration {
            encryption_scheme: "bcrypt".into(),
            encryption_scheme_factor: 4,
            modify_encryption_scheme_on_login: false,
        };
        let long = "a".repeat(72);
        let hash = PasswordHash::create(&long, &settings, &mut rand::rngs::OsRng).unwrap();
        assert!(hash.verify(&long));
        assert!(
            !hash.verify(&format!("{long}b")),
            "a 73-byte password must not match its 72-byte prefix"
        );
        assert_eq!(
            PasswordHash::create(&format!("{long}b"), &settings, &mut rand::rngs::OsRng)
                .unwrap_err(),
            PasswordError::TooLong(72)
        );
        // The same refusal without the hashing, as import checks a whole request first.
        assert_eq!(
            PasswordHash::check_plaintext(&format!("{long}b"), &settings).unwrap_err(),
            PasswordError::TooLong(72)
        );
        assert_eq!(
            PasswordHash::check_plaintext(&long, &settings),
            Ok(Scheme::Bcrypt)
        );
    }

    #[test]
    fn malformed_stored_values_never_verify() {
        let bad_salt = PasswordHash {
            scheme: Scheme::SaltedSha256,
            factor: 1,
            salt: "%%%".into(),
            hash: "x".into(),
        };
        assert!(!bad_salt.verify("x"));
        let zero_factor = PasswordHash {
            scheme: Scheme::Pbkdf2Sha256,
            factor: 0,
            salt: "AA==".into(),
            hash: "x".into(),
        };
        assert!(!zero_factor.verify("x"));
        assert!(PasswordHash::imported("rot13", 1, "", "").is_err());
        assert!(PasswordHash::imported("bcrypt", 10, "short", "x").is_err());
        // Valid Base64, but not a digest of the scheme's length: it could never match.
        assert_eq!(
            PasswordHash::imported("salted-sha256", 1, S1, "4onoP2P3OxUnlJzTGONgjA=="),
            Err(PasswordError::MalformedHash)
        );
        assert_eq!(
            PasswordHash::imported("salted-md5", 1, S1, &"p".repeat(4096)),
            Err(PasswordError::MalformedHash)
        );
        assert!(!PasswordHash::with_salt("x", Scheme::SaltedMd5, 1, "AA==")
            .unwrap()
            .verify(&"x".repeat(2000)));
    }

    #[test]
    fn password_rules_report_every_violation_with_fusionauth_names() {
        let rules = PasswordValidationRules {
            require_mixed_case: true,
            require_non_alpha: true,
            require_number: true,
            ..Default::default()
        };
        let rules_broken: Vec<_> = validate_password("abc", &rules, false)
            .iter()
            .map(|v| v.rule)
            .collect();
        assert_eq!(
            rules_broken,
            ["tooShort", "singleCase", "onlyAlpha", "requireNumber"]
        );
        assert!(validate_password("Abcdefg1", &rules, false).is_empty());
        assert_eq!(
            validate_password(&"a".repeat(80), &PasswordValidationRules::default(), true)[0].rule,
            "tooLong"
        );
    }
}
