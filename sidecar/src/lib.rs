//! The Authlet sidecar: FusionAuth's `/api/login` family on localhost.
//!
//! - [`http`]: routes, extractors and responses (FusionAuth's shapes).
//! - [`store`]: persistence (SQLite by default) behind one set of operations.
//! - [`reload`]: config loading and hot reload.
//! - [`retention`]: deleting login records past their tenant's retention.
//! - [`wal`]: SQLite checkpoints in the background, never inside a request.
//! - [`keys`]: JWT signing keys parsed once; JWKS.
//! - [`hashing`]: password hashing off the async workers.
//! - [`server`]: accept loop, TLS, graceful shutdown.
//! - [`health`]: the database check behind readiness.
//!
//! Decisions live in `authlet-core`; this crate does the I/O around them.

pub mod hashing;
pub mod health;
pub mod http;
pub mod keys;
pub mod memory;
pub mod metrics;
pub mod reload;
pub mod retention;
pub mod server;
pub mod state;
pub mod store;
pub mod wal;
