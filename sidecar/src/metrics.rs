//! Prometheus metrics, one registry per process.

use prometheus_client::encoding::{EncodeLabelSet, EncodeLabelValue};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

use crate::hashing::HashMetrics;
use crate::store::StoreMetrics;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelValue)]
pub enum Outcome {
    Success,
    Failure,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    pub route: String,
    pub status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ReloadLabels {
    pub outcome: Outcome,
}

#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    pub requests: Family<RequestLabels, Counter>,
    pub request_seconds: Family<RequestLabels, Histogram>,
    pub config_reloads: Family<ReloadLabels, Counter>,
    pub lockouts: Counter,
    pub login_records_expired: Counter,
    pub identifiers_expired: Counter,
    pub refresh_tokens_expired: Counter,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("authlet");
        let requests = Family::<RequestLabels, Counter>::default();
        let request_seconds = Family::<RequestLabels, Histogram>::new_with_constructor(|| {
            Histogram::new(exponential_buckets(0.0005, 2.0, 16))
        });
        let config_reloads = Family::<ReloadLabels, Counter>::default();
        let lockouts = Counter::default();
        let login_records_expired = Counter::default();
        let identifiers_expired = Counter::default();
        let refresh_tokens_expired = Counter::default();
        registry.register(
            "http_requests",
            "HTTP requests by route and status",
            requests.clone(),
        );
        registry.register(
            "http_request_duration_seconds",
            "HTTP request latency",
            request_seconds.clone(),
        );
        registry.register(
            "config_reloads",
            "Configuration reload attempts",
            config_reloads.clone(),
        );
        registry.register(
            "lockouts",
            "Failed-authentication lockouts started",
            lockouts.clone(),
        );
        registry.register(
            "login_records_expired",
            "Login records deleted by retention; it moves batch by batch during a sweep",
            login_records_expired.clone(),
        );
        registry.register(
            "identifiers_expired",
            "Identifiers (two-factor ids, trust tokens, change-password ids) deleted past their expiry",
            identifiers_expired.clone(),
        );
        registry.register(
            "refresh_tokens_expired",
            "Refresh tokens deleted past their expiry, with the values one-time use retired from them",
            refresh_tokens_expired.clone(),
        );
        Self {
            registry,
            requests,
            request_seconds,
            config_reloads,
            lockouts,
            login_records_expired,
            identifiers_expired,
            refresh_tokens_expired,
        }
    }

    /// Publishes the store's time per operation as
    /// `authlet_store_operation_duration_seconds`, and how many of SQLite's batches each
    /// transaction committed as `authlet_store_batches_per_commit`.
    pub fn register_store_operations(&mut self, store: &StoreMetrics) {
        self.registry.register(
            "store_operation_duration_seconds",
            "Time in the database per store operation, labelled read or write",
            store.operations(),
        );
        self.registry.register(
            "store_batches_per_commit",
            "SQLite: the writes (batches) each transaction of the writer thread committed",
            store.batches_per_commit(),
        );
    }

    /// Publishes the hasher's jobs as `authlet_password_hashes_total`, and their time
    /// queued and on a hashing thread as `authlet_password_hash_wait_seconds` and
    /// `authlet_password_hash_duration_seconds`.
    pub fn register_password_hashes(&mut self, hashes: &HashMetrics) {
        self.registry.register(
            "password_hashes",
            "Password hashes computed: logins, unknown-user decoys and new passwords",
            hashes.jobs.clone(),
        );
        self.registry.register(
            "password_hash_wait_seconds",
            "Time a password hash waited for a hashing thread",
            hashes.waited.clone(),
        );
        self.registry.register(
            "password_hash_duration_seconds",
            "Time a password hash ran on its hashing thread",
            hashes.ran.clone(),
        );
    }

    pub fn encode(&self) -> String {
        let mut out = String::new();
        if prometheus_client::encoding::text::encode(&mut out, &self.registry).is_err() {
            out.clear();
        }
        out
    }
}

/// `metric`'s text exposition, registered alone under `name`: what `/metrics` would show
/// of it, for tests that read a histogram's count or sum.
#[cfg(test)]
pub(crate) fn exposition(name: &str, metric: impl prometheus_client::registry::Metric) -> String {
    let mut registry = Registry::default();
    registry.register(name, "", metric);
    let mut text = String::new();
    prometheus_client::encoding::text::encode(&mut text, &registry)
        .expect("encoding into a String cannot fail");
    text
}
