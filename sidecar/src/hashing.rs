//! Password hashing off the async workers, with bounded concurrency.
//!
//! A hash at FusionAuth's default (PBKDF2, 24,000 rounds) takes milliseconds of pure
//! CPU. Run on a reactor thread it would stall every other request; run without a bound
//! it would queue unbounded work. Each hash takes a permit (one per core) and runs on
//! tokio's blocking pool.

use std::sync::Arc;

use tokio::sync::Semaphore;

#[derive(Debug, thiserror::Error)]
#[error("password hashing is unavailable")]
pub struct HashUnavailable;

#[derive(Debug, Clone)]
pub struct Hasher {
    permits: Arc<Semaphore>,
}

impl Hasher {
    pub fn new(concurrency: usize) -> Self {
        Self {
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
        }
    }

    /// Runs CPU-bound `work` on the blocking pool once a permit is free.
    pub async fn run<T, F>(&self, work: F) -> Result<T, HashUnavailable>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        let permit = Arc::clone(&self.permits)
            .acquire_owned()
            .await
            .map_err(|_| HashUnavailable)?;
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            work()
        })
        .await
        .map_err(|_| HashUnavailable)
    }
}
