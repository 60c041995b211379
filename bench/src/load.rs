//! The load generator: keep-alive HTTP/1.1 connections driven closed-loop (a fixed number
//! of workers, each waiting for its answer) or open-loop (requests at a constant rate,
//! each timed from the moment it was due, so a stalled server cannot hide its queue).

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::client::conn::http1::SendRequest;
use tokio::net::TcpStream;
use tokio::sync::Mutex;
use tokio::task::JoinSet;

/// One request to send; built per send so that bodies can rotate over users.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: &'static str,
    pub path: String,
    pub authorization: Option<String>,
    pub body: Option<String>,
}

/// What one request did: its latency in milliseconds and its status (0: no answer).
#[derive(Debug, Clone, Copy)]
pub struct Outcome {
    pub millis: f64,
    pub status: u16,
}

pub struct Connection {
    sender: SendRequest<Full<Bytes>>,
}

impl Connection {
    pub async fn open(port: u16) -> anyhow::Result<Self> {
        let stream = TcpStream::connect(("127.0.0.1", port)).await?;
        stream.set_nodelay(true)?;
        let (sender, connection) =
            hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream)).await?;
        tokio::spawn(connection);
        Ok(Self { sender })
    }

    pub async fn send(&mut self, request: &Request) -> anyhow::Result<(u16, Bytes)> {
        self.sender.ready().await?;
        let mut builder = hyper::Request::builder()
            .method(request.method)
            .uri(&request.path)
            .header("host", "127.0.0.1")
            .header("content-type", "application/json");
        if let Some(value) = &request.authorization {
            builder = builder.header("authorization", value);
        }
        let body = Full::new(Bytes::from(request.body.clone().unwrap_or_default()));
        let response = self.sender.send_request(builder.body(body)?).await?;
        let status = response.status().as_u16();
        Ok((status, response.into_body().collect().await?.to_bytes()))
    }
}

/// Keep-alive connections shared by concurrent requests: a send takes an idle one (a new
/// one when none is idle) and puts it back after a complete answer. A connection whose
/// send failed, or whose send was abandoned (a timeout drops the future), is dropped, so a
/// broken one is never reused.
pub struct Pool {
    port: u16,
    idle: Mutex<Vec<Connection>>,
}

impl Pool {
    pub fn new(port: u16) -> Self {
        Self {
            port,
            idle: Mutex::new(Vec::new()),
        }
    }

    pub async fn send(&self, request: &Request) -> anyhow::Result<(u16, Bytes)> {
        let pooled = self.idle.lock().await.pop();
        let mut connection = match pooled {
            Some(connection) => connection,
            None => Connection::open(self.port).await?,
        };
        let answer = connection.send(request).await?;
        self.idle.lock().await.push(connection);
        Ok(answer)
    }
}

/// `workers` tasks, each running `job(i)` back to back until `stop` says so (given the
/// number of jobs started so far and the elapsed time). Returns every job's result.
pub async fn closed_loop_jobs<T, Job, Fut>(
    workers: usize,
    job: Job,
    stop: Arc<dyn Fn(usize, Duration) -> bool + Send + Sync>,
) -> anyhow::Result<Vec<T>>
where
    T: Send + 'static,
    Job: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = T> + Send,
{
    let started = Instant::now();
    let counter = Arc::new(AtomicUsize::new(0));
    let job = Arc::new(job);
    let mut tasks = Vec::new();
    for _ in 0..workers {
        let (job, stop, counter) = (Arc::clone(&job), Arc::clone(&stop), Arc::clone(&counter));
        tasks.push(tokio::spawn(async move {
            let mut results = Vec::new();
            loop {
                let i = counter.fetch_add(1, Ordering::Relaxed);
                if stop(i, started.elapsed()) {
                    break;
                }
                results.push(job(i).await);
            }
            results
        }));
    }
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await?);
    }
    Ok(all)
}

/// `workers` keep-alive connections, each sending `next(i)` back to back until `stop`
/// says so (given the number of requests started so far and the elapsed time).
pub async fn closed_loop(
    port: u16,
    workers: usize,
    next: Arc<dyn Fn(usize) -> Request + Send + Sync>,
    stop: Arc<dyn Fn(usize, Duration) -> bool + Send + Sync>,
) -> anyhow::Result<Vec<Outcome>> {
    let pool = Arc::new(Pool::new(port));
    closed_loop_jobs(
        workers,
        move |i| {
            let (pool, request) = (Arc::clone(&pool), next(i));
            async move {
                let sent = Instant::now();
                let status = pool.send(&request).await.map_or(0, |(status, _)| status);
                Outcome {
                    millis: sent.elapsed().as_secs_f64() * 1000.0,
                    status,
                }
            }
        },
        stop,
    )
    .await
}

/// Starts `job(i, due)` at `rate` per second for `duration`, each on its own task and on
/// time whatever the earlier ones are doing, and hands each result to `done` as it comes
/// in. Finished tasks are reaped as the run goes, so that a long run holds only the ones
/// in flight.
///
/// The pace is kept by a thread of its own rather than tokio's timer: tokio rounds each
/// deadline up to its next millisecond tick, so requests went out 0.5–1 ms after they
/// were due, and since each is timed from when it was due, that lateness was counted as
/// the server's. A thread's sleep wakes within tens of microseconds of its deadline: in
/// a pair of shortened `login` runs, the mean login at 0.5·H spent 1.37 → 0.41 ms outside
/// the sidecar's handler, and p50 went 5.65 → 4.76 ms.
pub async fn open_loop_jobs<T, Job, Fut>(
    rate: f64,
    duration: Duration,
    job: Job,
    mut done: impl FnMut(T),
) -> anyhow::Result<()>
where
    T: Send + 'static,
    Job: Fn(usize, tokio::time::Instant) -> Fut,
    Fut: Future<Output = T> + Send + 'static,
{
    let total = (rate * duration.as_secs_f64()) as usize;
    let (due_now, mut dues) = tokio::sync::mpsc::unbounded_channel();
    let pacer = std::thread::Builder::new()
        .name("open-loop-pacer".into())
        .spawn(move || {
            let started = Instant::now();
            for i in 0..total {
                let due = started + Duration::from_secs_f64(i as f64 / rate);
                if let Some(wait) = due.checked_duration_since(Instant::now()) {
                    std::thread::sleep(wait);
                }
                if due_now.send((i, due)).is_err() {
                    return;
                }
            }
        })?;
    let mut running = JoinSet::new();
    while let Some((i, due)) = dues.recv().await {
        running.spawn(job(i, tokio::time::Instant::from_std(due)));
        while let Some(finished) = running.try_join_next() {
            done(finished?);
        }
    }
    // Finished: its channel closed as it returned.
    pacer
        .join()
        .map_err(|_| anyhow::anyhow!("the open-loop pacer panicked"))?;
    while let Some(finished) = running.join_next().await {
        done(finished?);
    }
    Ok(())
}

/// Requests at `rate` per second for `duration`, each on a pooled connection (a new one
/// when all are busy), timed from when it was due. Returns outcomes with their due
/// offsets in seconds.
pub async fn open_loop(
    port: u16,
    rate: f64,
    duration: Duration,
    next: Arc<dyn Fn(usize) -> Request + Send + Sync>,
) -> anyhow::Result<Vec<(f64, Outcome)>> {
    let pool = Arc::new(Pool::new(port));
    let mut all = Vec::with_capacity((rate * duration.as_secs_f64()) as usize);
    open_loop_jobs(
        rate,
        duration,
        |i, due| {
            let (pool, request) = (Arc::clone(&pool), next(i));
            async move {
                let status = pool.send(&request).await.map_or(0, |(status, _)| status);
                let millis = due.elapsed().as_secs_f64() * 1000.0;
                (i as f64 / rate, Outcome { millis, status })
            }
        },
        |outcome| all.push(outcome),
    )
    .await?;
    Ok(all)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_open_loop_starts_every_job_once_never_before_it_is_due() {
        let rate = 200.0;
        let mut started = Vec::new();
        open_loop_jobs(
            rate,
            Duration::from_millis(100),
            |i, due| async move { (i, due, tokio::time::Instant::now()) },
            |job| started.push(job),
        )
        .await
        .unwrap();
        started.sort_by_key(|(i, _, _)| *i);
        let indices: Vec<usize> = started.iter().map(|(i, _, _)| *i).collect();
        assert_eq!(indices, (0..20).collect::<Vec<_>>());
        let first_due = started[0].1;
        for (i, due, at) in &started {
            let offset = due.duration_since(first_due).as_secs_f64();
            assert!(
                (offset - *i as f64 / rate).abs() < 1e-6,
                "job {i} due at {offset} s"
            );
            assert!(at >= due, "job {i} started before it was due");
        }
    }
}
