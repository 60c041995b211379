//! Authlet's login semantics: what FusionAuth's `/api/login` family answers, decided over
//! plain data.
//!
//! This crate does no I/O and runs no async runtime: the clock (`now`, epoch millis) and
//! randomness (`&mut dyn RngCore`) are arguments, and storage belongs to the sidecar. Its
//! dependency list is the proof: serde, thiserror, cryptographic primitives, a JSON
//! Schema validator and a time-zone library with its database compiled in — no runtime,
//! no network, no database, no file reads.
//!
//! - [`config`]: the operator → sidecar configuration contract and its validation.
//! - [`login`]: the status a login earns and the lockout bookkeeping.
//! - [`json`]: strict JSON for request bodies and tokens: no repeated keys, no NUL.
//! - [`java_time`]: Java `DateTimeFormatter` patterns and zone ids, formatted as Java would.
//! - [`password`]: FusionAuth's hash schemes and password rules.
//! - [`records`]: login-record search and export criteria.
//! - [`two_factor`]: TOTP and recovery codes.
//! - [`tokens`]: access-token claims and refresh-token lifetimes.
//! - [`secrets`]: identifiers, API keys, hashing for storage, constant-time comparison.
//! - [`model`]: users and registrations, and their FusionAuth JSON form.
//! - [`errors`]: FusionAuth's Errors object.

pub mod config;
pub mod errors;
pub mod java_time;
pub mod json;
pub mod login;
pub mod model;
pub mod password;
pub mod records;
pub mod secrets;
pub mod tokens;
pub mod two_factor;
