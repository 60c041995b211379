//! The Authlet operator: `Tenant` and `Application` objects in, one rendered sidecar
//! configuration Secret per Tenant out.
//!
//! - [`crd`]: the custom resources (types and their generated schemas, [`crds`]).
//! - [`render`]: the pure function from objects and Secret values to the contract.
//! - [`controller`]: the watches and reconciles that read the cluster and write Secrets
//!   and status.
//! - [`leader`], [`telemetry`]: running it as a replicated Deployment.

pub mod conditions;
pub mod controller;
pub mod crd;
pub mod crds;
pub mod ids;
pub mod leader;
pub mod render;
pub mod signing_key;
pub mod telemetry;
