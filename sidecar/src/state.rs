//! The process context: one [`AppState`] built in `main` and handed to every handler.
//!
//! The configuration is swapped whole on reload: a request takes one [`Runtime`] snapshot
//! and uses it throughout, so it never sees half of an old config and half of a new one.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::{Duration, Instant};

use authlet_core::config::Config;
use authlet_core::secrets::ApiKeys;
use authlet_core::tokens::AccessClaims;
use serde_json::Value;
use uuid::Uuid;

use crate::hashing::Hasher;
use crate::keys::{canonical_uuid, KeyError, KeySet, TokenError};
use crate::metrics::Metrics;
use crate::store::Store;

/// A validated configuration, with its keys parsed and API keys prepared.
#[derive(Debug)]
pub struct Runtime {
    pub config: Config,
    pub api_keys: ApiKeys,
    pub keys: KeySet,
}

impl Runtime {
    pub fn new(config: Config) -> Result<Self, KeyError> {
        Ok(Self {
            api_keys: ApiKeys::new(&config.api_keys),
            keys: KeySet::load(&config.keys)?,
            config,
        })
    }

    /// An access token this configuration would have issued, valid at `now_millis`.
    ///
    /// Beyond the signature and times ([`KeySet::verify`]) the claims must agree with the
    /// configuration: `tid` names a tenant, `iss` is that tenant's issuer, `aud` (when
    /// present) one of that tenant's applications and `applicationId` (when present) the
    /// same one, each id spelled as we write it. A token of another issuer or audience that happens to share a key (a
    /// second tenant, another deployment with the same secret) is refused. Any of our
    /// keys may have signed it, so tokens outlive a rotation of `accessTokenKeyId`.
    pub fn verify_access_token(
        &self,
        token: &str,
        now_millis: i64,
    ) -> Result<AccessToken, TokenError> {
        let json: Value = self.keys.verify(token, now_millis)?;
        let claims: AccessClaims = serde_json::from_value(json.clone())
            .map_err(|_| TokenError::Invalid("not an access token"))?;
        let tenant = canonical_uuid(&claims.tid)
            .and_then(|tid| self.config.tenant(tid))
            .ok_or(TokenError::Invalid("tid"))?;
        if claims.iss != tenant.issuer {
            return Err(TokenError::Invalid("iss"));
        }
        let subject = canonical_uuid(&claims.sub).ok_or(TokenError::Invalid("sub"))?;
        let audience = match claims.aud.as_deref() {
            None => None,
            Some(aud) => Some(
                canonical_uuid(aud)
                    .filter(|id| tenant.application(*id).is_some())
                    .ok_or(TokenError::Invalid("aud"))?,
            ),
        };
        if let Some(application_id) = claims.application_id.as_deref() {
            if canonical_uuid(application_id) != audience {
                return Err(TokenError::Invalid("applicationId"));
            }
        }
        Ok(AccessToken {
            subject,
            audience,
            claims: json,
        })
    }
}

/// A verified access token: who it is for, for which application, and its claims as
/// issued (what `/api/jwt/validate` returns).
#[derive(Debug, Clone)]
pub struct AccessToken {
    pub subject: Uuid,
    pub audience: Option<Uuid>,
    pub claims: Value,
}

/// Time source, injectable so tests can move the clock.
pub trait Clock: Send + Sync + std::fmt::Debug {
    /// Epoch milliseconds.
    fn now_millis(&self) -> i64;
}

#[derive(Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_millis(&self) -> i64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
            .unwrap_or(0)
    }
}

#[derive(Debug)]
pub struct AppState {
    runtime: RwLock<Arc<Runtime>>,
    pub store: Store,
    pub hasher: Hasher,
    pub metrics: Metrics,
    pub clock: Arc<dyn Clock>,
    /// False once shutdown begins, so load balancers stop sending work first.
    accepting: AtomicBool,
    /// The last database check's outcome (see [`crate::health`]). True at start: the
    /// store was just opened and migrated.
    database_ok: AtomicBool,
    /// When the last database check started; `None` before the first.
    database_check_started: Mutex<Option<Instant>>,
}

impl AppState {
    pub fn new(
        runtime: Runtime,
        store: Store,
        hasher: Hasher,
        mut metrics: Metrics,
        clock: Arc<dyn Clock>,
    ) -> Arc<Self> {
        metrics.register_password_hashes(hasher.metrics());
        metrics.register_store_operations(store.metrics());
        Arc::new(Self {
            runtime: RwLock::new(Arc::new(runtime)),
            store,
            hasher,
            metrics,
            clock,
            accepting: AtomicBool::new(true),
            database_ok: AtomicBool::new(true),
            database_check_started: Mutex::new(None),
        })
    }

    /// The configuration in force now.
    pub fn runtime(&self) -> Arc<Runtime> {
        match self.runtime.read() {
            Ok(guard) => Arc::clone(&guard),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    pub fn replace_runtime(&self, runtime: Runtime) {
        let runtime = Arc::new(runtime);
        match self.runtime.write() {
            Ok(mut guard) => *guard = runtime,
            Err(poisoned) => *poisoned.into_inner() = runtime,
        }
    }

    pub fn now(&self) -> i64 {
        self.clock.now_millis()
    }

    pub fn is_accepting(&self) -> bool {
        self.accepting.load(Ordering::Relaxed)
    }

    pub fn stop_accepting(&self) {
        self.accepting.store(false, Ordering::Relaxed);
    }

    pub fn database_ok(&self) -> bool {
        self.database_ok.load(Ordering::Relaxed)
    }

    pub fn set_database_ok(&self, ok: bool) {
        self.database_ok.store(ok, Ordering::Relaxed);
    }

    /// True, and the check's start recorded, when no check started within `max_age`:
    /// the caller runs one. Concurrent probes thus start one check between them.
    pub fn claim_database_check(&self, max_age: Duration) -> bool {
        let mut started = self
            .database_check_started
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if started.is_some_and(|at| at.elapsed() < max_age) {
            return false;
        }
        *started = Some(Instant::now());
        true
    }
}
