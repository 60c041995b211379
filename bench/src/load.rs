//! The load generator: keep-alive HTTP/1.1 connections driven closed-loop (a fixed number
//! of workers, each waiting for its answer) or open-loop (requests at a constant rate,
//! each timed from the moment it was due, so a stalled server cannot hide its queue).

use std::sync::Arc;
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::client::conn::http1::SendRequest;
use tokio::net::TcpStream;
use tokio::sync::Mutex;

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

/// `workers` connections, each sending `next(i)` back to back until `stop` says so
/// (given the number of requests answered so far and the elapsed time).
pub async fn closed_loop(
    port: u16,
    workers: usize,
    next: Arc<dyn Fn(usize) -> Request + Send + Sync>,
    stop: Arc<dyn Fn(usize, Duration) -> bool + Send + Sync>,
) -> anyhow::Result<Vec<Outcome>> {
    let started = Instant::now();
    let counter = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..workers {
        let mut connection = Connection::open(port).await?;
        let (next, stop, counter) = (Arc::clone(&next), Arc::clone(&stop), Arc::clone(&counter));
        tasks.push(tokio::spawn(async move {
            let mut outcomes = Vec::new();
            loop {
                let i = counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if stop(i, started.elapsed()) {
                    break;
                }
                let request = next(i);
                let sent = Instant::now();
                let status = match connection.send(&request).await {
                    Ok((status, _)) => status,
                    Err(_) => 0,
                };
                outcomes.push(Outcome {
                    millis: sent.elapsed().as_secs_f64() * 1000.0,
                    status,
                });
            }
            outcomes
        }));
    }
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await?);
    }
    Ok(all)
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
    let pool: Arc<Mutex<Vec<Connection>>> = Arc::new(Mutex::new(Vec::new()));
    let started = tokio::time::Instant::now();
    let total = (rate * duration.as_secs_f64()) as usize;
    let mut tasks = Vec::with_capacity(total);
    for i in 0..total {
        let due = started + Duration::from_secs_f64(i as f64 / rate);
        tokio::time::sleep_until(due).await;
        let (pool, next) = (Arc::clone(&pool), Arc::clone(&next));
        tasks.push(tokio::spawn(async move {
            let pooled = pool.lock().await.pop();
            let connection = match pooled {
                Some(connection) => Ok(connection),
                None => Connection::open(port).await,
            };
            let status = match connection {
                Ok(mut connection) => match connection.send(&next(i)).await {
                    Ok((status, _)) => {
                        pool.lock().await.push(connection);
                        status
                    }
                    Err(_) => 0,
                },
                Err(_) => 0,
            };
            let offset = (due - started).as_secs_f64();
            let millis = due.elapsed().as_secs_f64() * 1000.0;
            (offset, Outcome { millis, status })
        }));
    }
    let mut all = Vec::with_capacity(total);
    for task in tasks {
        all.push(task.await?);
    }
    Ok(all)
}
