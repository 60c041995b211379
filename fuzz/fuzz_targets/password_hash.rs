//! FusionAuth hash records: scheme names, factors, Base64 (and bcrypt-alphabet) salts and
//! hashes as the User Import API and the database hand them over, including bcrypt's
//! `$2a$`/`$2b$`/`$2y$` modular-crypt strings where only the 31-character digest belongs.
//!
//! Oracles: no panic; a scheme name round-trips; whatever hashing produces from a salt
//! can be imported back unchanged and verifies its password (the database stores
//! imported records, so a salt that hashes but does not import would lock its user out);
//! `check_plaintext` refuses exactly what `create` refuses. Hashing runs only at small
//! factors, so the fuzzer explores parsing, not PBKDF2.
#![no_main]

use authlet_core::config::PasswordEncryptionConfiguration;
use authlet_core::password::{PasswordHash, Scheme};
use libfuzzer_sys::fuzz_target;
use rand::rngs::StdRng;
use rand::SeedableRng;

/// One record per input, a field per line: scheme name, factor, salt, hash, password
/// (the rest of the input, newlines and all).
#[derive(Debug)]
struct Input<'a> {
    name: &'a str,
    factor: u32,
    salt: &'a str,
    hash: &'a str,
    password: &'a str,
}

impl<'a> Input<'a> {
    fn read(text: &'a str) -> Option<Self> {
        let mut lines = text.splitn(5, '\n');
        Some(Self {
            name: lines.next()?,
            factor: lines.next()?.trim().parse().ok()?,
            salt: lines.next()?,
            hash: lines.next()?,
            password: lines.next().unwrap_or_default(),
        })
    }
}

/// Small enough that one iteration stays under a millisecond or so.
fn cheap(scheme: Scheme, factor: u32) -> bool {
    match scheme {
        Scheme::Bcrypt => factor <= 5,
        _ => factor <= 64,
    }
}

fuzz_target!(|data: &[u8]| {
    let Some(input) = std::str::from_utf8(data).ok().and_then(Input::read) else {
        return;
    };
    let name = input.name;
    let scheme = Scheme::from_name(name);
    if let Some(scheme) = scheme {
        assert_eq!(scheme.name(), name);
    }

    // A record as imported or read back from the database.
    if let Ok(record) = PasswordHash::imported(name, input.factor, input.salt, input.hash) {
        assert_eq!(Some(record.scheme), scheme);
        // What import stores, storage reads back unchanged.
        assert_eq!(
            PasswordHash::from_stored(name, record.factor, &record.salt, &record.hash).as_ref(),
            Ok(&record)
        );
        if cheap(record.scheme, record.factor) {
            let _ = record.verify(input.password);
        }
    }

    let Some(scheme) = scheme else { return };
    if !cheap(scheme, input.factor) {
        return;
    }
    // What hashing makes of this salt must import back and verify.
    if let Ok(made) = PasswordHash::with_salt(input.password, scheme, input.factor, input.salt) {
        let reread = PasswordHash::imported(name, made.factor, &made.salt, &made.hash)
            .unwrap_or_else(|e| {
                panic!(
                    "hashed with salt {:?} but refused on import: {e}",
                    made.salt
                )
            });
        assert_eq!(reread, made);
        assert!(reread.verify(input.password));
        assert!(
            input.password.is_empty() || !reread.verify(&format!("{}x", input.password)),
            "a longer password matched"
        );
    }
    // `check_plaintext` is `create` without the hashing.
    let settings = PasswordEncryptionConfiguration {
        encryption_scheme: name.to_owned(),
        encryption_scheme_factor: input.factor,
        ..PasswordEncryptionConfiguration::default()
    };
    let checked = PasswordHash::check_plaintext(input.password, &settings);
    // Salts need not be secret here; a fixed seed keeps crashes reproducible.
    let created = PasswordHash::create(input.password, &settings, &mut StdRng::seed_from_u64(0));
    assert_eq!(
        checked.is_ok(),
        created.is_ok(),
        "{checked:?} vs {created:?}"
    );
});
