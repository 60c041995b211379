//! The release sidecar as a child process, configured the way a user would, with a plain
//! HTTP/1.1 client for it and readings of its resource use from `/proc`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context as _};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use serde_json::{json, Value};
use tokio::net::TcpStream;

pub const API_KEY: &str = "bench-api-key-0123456789abcdef";
pub const TENANT: &str = "6b9a8a57-6c0e-4f5e-9d8b-3c2a1b0f9e8d";
pub const SHOP: &str = "3c218a57-6c0e-4f5e-9d8b-3c2a1b0f9e8d";
pub const ADMIN: &str = "4d328a57-6c0e-4f5e-9d8b-3c2a1b0f9e8d";

/// Builds the release sidecar with the cargo that runs this benchmark and returns its path.
pub fn build_release_sidecar() -> anyhow::Result<PathBuf> {
    let status = Command::new(env!("CARGO"))
        .args(["build", "--release", "-p", "authlet-sidecar"])
        .status()
        .context("cargo build --release -p authlet-sidecar")?;
    if !status.success() {
        bail!("building the release sidecar failed");
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"));
    Ok(target.join("release/authlet-sidecar"))
}

/// A one-tenant configuration with two applications (Shop and Admin) and an HS256 key;
/// benchmarks adjust it before [`Sidecar::start`] fills in `listen`. JSON is YAML, so it
/// is written as it is.
pub fn base_config(database_url: &str) -> Value {
    json!({
        "database": {"url": database_url},
        "apiKeys": [{"key": API_KEY}],
        "keys": [{
            "id": "0d3b8a57-6c0e-4f5e-9d8b-3c2a1b0f9e8d",
            "algorithm": "HS256",
            "secret": "MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE=",
        }],
        "tenants": [{
            "id": TENANT,
            "name": "Bench",
            "reportTimezone": "UTC",
            "applications": [{"id": SHOP, "name": "Shop"}, {"id": ADMIN, "name": "Admin"}],
        }],
    })
}

/// One running sidecar process.
pub struct Sidecar {
    child: Child,
    port: u16,
    /// From exec to the first 200 from `/readyz`.
    pub ready_after: Duration,
}

impl Sidecar {
    /// Starts the binary on `config` (listening on a free loopback port) and waits for
    /// `/readyz`.
    pub async fn start(binary: &Path, dir: &Path, mut config: Value) -> anyhow::Result<Self> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        config["listen"] = json!(format!("127.0.0.1:{port}"));
        let path = dir.join(format!("config-{port}.yaml"));
        std::fs::write(&path, serde_json::to_string_pretty(&config)?)?;
        let child = Command::new(binary)
            .arg("--config")
            .arg(&path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("starting {}", binary.display()))?;
        let spawned = Instant::now();
        let mut sidecar = Self {
            child,
            port,
            ready_after: Duration::ZERO,
        };
        while !matches!(sidecar.request("GET", "/readyz", None).await, Ok((200, _))) {
            if spawned.elapsed() > Duration::from_secs(60) {
                bail!("sidecar did not become ready");
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        sidecar.ready_after = spawned.elapsed();
        Ok(sidecar)
    }

    /// One request on a fresh connection: status and body bytes.
    pub async fn request(
        &self,
        method: &str,
        path: &str,
        body: Option<&Value>,
    ) -> anyhow::Result<(u16, Bytes)> {
        let stream = TcpStream::connect(("127.0.0.1", self.port)).await?;
        let (mut sender, connection) =
            hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream)).await?;
        tokio::spawn(connection);
        let request = hyper::Request::builder()
            .method(method)
            .uri(path)
            .header("host", "127.0.0.1")
            .header("authorization", API_KEY)
            .header("content-type", "application/json")
            .body(Full::new(Bytes::from(
                body.map(Value::to_string).unwrap_or_default(),
            )))?;
        let response = sender.send_request(request).await?;
        let status = response.status().as_u16();
        let bytes = response.into_body().collect().await?.to_bytes();
        Ok((status, bytes))
    }

    /// The `/metrics` page.
    pub async fn metrics_text(&self) -> anyhow::Result<String> {
        let (_, body) = self.request("GET", "/metrics", None).await?;
        Ok(String::from_utf8(body.to_vec())?)
    }

    /// The value of an unlabelled counter or gauge on `/metrics`.
    pub async fn metric(&self, name: &str) -> anyhow::Result<f64> {
        let text = self.metrics_text().await?;
        text.lines()
            .find_map(|line| line.strip_prefix(name)?.strip_prefix(' '))
            .and_then(|value| value.trim().parse().ok())
            .with_context(|| format!("metric {name} not on /metrics"))
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// User plus system CPU the process has used, from `/proc/<pid>/stat`.
    pub fn cpu_seconds(&self) -> f64 {
        cpu_seconds_of(self.child.id())
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn rss_kib(&self) -> u64 {
        rss_kib_of(&format!("/proc/{}/status", self.child.id()))
    }

    /// Kills the process and waits for it to exit; dropping it does the same.
    pub fn stop(self) {
        drop(self);
    }
}

/// A benchmark that fails halfway must not leave a sidecar running (on the cores the
/// next run measures, and connected to a database the run would drop).
impl Drop for Sidecar {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Resident memory from a `/proc/<pid>/status` file, in KiB (0 once the process is gone).
pub fn rss_kib_of(status_path: &str) -> u64 {
    std::fs::read_to_string(status_path)
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// CPU seconds, so far or per second, of the sidecar, of this benchmark (the load), of
/// the rest of the machine, idle, and stolen from the machine by its hypervisor: a slow
/// minute with a busy rest of machine or much stolen time was the machine's, not ours,
/// and cores idle while logins are saturated were held back by something other than
/// CPU (in one case, the hand-off of a hashing permit: `Hasher::for_cores`).
#[derive(Debug, Clone, Copy)]
pub struct CpuTimes {
    pub sidecar: f64,
    pub load: f64,
    pub rest: f64,
    pub idle: f64,
    pub stolen: f64,
}

impl CpuTimes {
    pub fn now(sidecar_pid: u32) -> Self {
        let sidecar = cpu_seconds_of(sidecar_pid);
        let load = cpu_seconds_of(std::process::id());
        // `/proc/stat`'s first line: the machine's user, nice, system, idle, iowait, irq,
        // softirq and steal time, in clock ticks.
        let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
        let ticks: Vec<f64> = stat
            .lines()
            .next()
            .unwrap_or_default()
            .split_whitespace()
            .skip(1)
            .map(|field| field.parse().unwrap_or(0.0))
            .collect();
        let field = |i: usize| ticks.get(i).copied().unwrap_or(0.0) / clock_ticks_per_second();
        let busy = field(0) + field(1) + field(2) + field(5) + field(6);
        Self {
            sidecar,
            load,
            rest: busy - sidecar - load,
            idle: field(3) + field(4),
            stolen: field(7),
        }
    }

    /// As the reports give it: `{"sidecar": …, "load": …, "rest": …, "idle": …, "stolen": …}`.
    pub fn to_json(self) -> Value {
        json!({
            "sidecar": self.sidecar, "load": self.load, "rest": self.rest,
            "idle": self.idle, "stolen": self.stolen,
        })
    }

    /// Cores used on average from `earlier` to `self`, `seconds` apart.
    pub fn per_second_since(self, earlier: Self, seconds: f64) -> Self {
        let rate = |now: f64, then: f64| (now - then).max(0.0) / seconds;
        Self {
            sidecar: rate(self.sidecar, earlier.sidecar),
            load: rate(self.load, earlier.load),
            rest: rate(self.rest, earlier.rest),
            idle: rate(self.idle, earlier.idle),
            stolen: rate(self.stolen, earlier.stolen),
        }
    }
}

/// User plus system CPU process `pid` has used, from `/proc/<pid>/stat` (0 once it is
/// gone). A free function so that a sampler task can read it without the [`Sidecar`].
pub fn cpu_seconds_of(pid: u32) -> f64 {
    cpu_seconds_in(Path::new(&format!("/proc/{pid}/stat")))
}

/// User plus system CPU of process `pid`'s threads, by name (the kernel's, cut to 15
/// bytes) without a trailing `-N`: the sidecar's hashing threads (`authlet-hash`), tokio's
/// (`tokio-rt-worker`), sqlx's SQLite connection threads (`sqlx-sqlite-wor`), … From each
/// thread's `/proc/<pid>/task/<tid>/stat`; a thread gone since is not counted.
pub fn cpu_seconds_by_thread_of(pid: u32) -> BTreeMap<String, f64> {
    let mut by_name = BTreeMap::new();
    let Ok(threads) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return by_name;
    };
    for thread in threads.flatten().map(|thread| thread.path()) {
        let Ok(name) = std::fs::read_to_string(thread.join("comm")) else {
            continue;
        };
        let name = name.trim_end();
        let name = match name.rsplit_once('-') {
            Some((stem, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => stem,
            _ => name,
        };
        *by_name.entry(name.to_owned()).or_insert(0.0) += cpu_seconds_in(&thread.join("stat"));
    }
    by_name
}

/// User plus system CPU from a process's or thread's `stat` file (0 once it is gone).
fn cpu_seconds_in(stat: &Path) -> f64 {
    let stat = std::fs::read_to_string(stat).unwrap_or_default();
    // Fields after the parenthesised command name; utime and stime are the 12th and
    // 13th of them, in clock ticks.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or("", |(_, rest)| rest)
        .split_whitespace()
        .collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / clock_ticks_per_second()
}

pub fn clock_ticks_per_second() -> f64 {
    static TICKS: std::sync::OnceLock<f64> = std::sync::OnceLock::new();
    *TICKS.get_or_init(|| {
        Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|out| String::from_utf8(out.stdout).ok())
            .and_then(|text| text.trim().parse().ok())
            .unwrap_or(100.0)
    })
}

/// Sequential requests, each on a fresh connection; their latencies in milliseconds.
/// Fails on any non-2xx answer, so that a figure never hides errors.
pub async fn time_requests(
    sidecar: &Sidecar,
    method: &str,
    path: &str,
    body: Option<&Value>,
    count: usize,
) -> anyhow::Result<Vec<f64>> {
    let mut samples = Vec::with_capacity(count);
    for _ in 0..count {
        let started = Instant::now();
        let (status, _) = sidecar.request(method, path, body).await?;
        if !(200..300).contains(&status) {
            bail!("{method} {path} answered {status}");
        }
        samples.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    Ok(samples)
}

/// A latency percentile of a sample, in its unit.
pub fn percentile(samples: &mut [f64], p: f64) -> f64 {
    samples.sort_by(f64::total_cmp);
    let index = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples.get(index).copied().unwrap_or(f64::NAN)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Threads are summed under their name without its number.
    #[test]
    fn thread_cpu_is_summed_by_name_without_its_number() {
        let (done, wait) = std::sync::mpsc::channel::<()>();
        let wait = std::sync::Arc::new(std::sync::Mutex::new(wait));
        let (spun, spinning) = std::sync::mpsc::channel();
        let threads: Vec<_> = (0..2)
            .map(|n| {
                let (wait, spun) = (wait.clone(), spun.clone());
                std::thread::Builder::new()
                    .name(format!("bench-spin-{n}"))
                    .spawn(move || {
                        // Its own CPU, however busy the machine is.
                        while cpu_seconds_in(Path::new("/proc/thread-self/stat")) < 0.1 {}
                        spun.send(()).unwrap();
                        // Alive until read: a thread gone is not counted.
                        let _ = wait.lock().unwrap().recv();
                    })
                    .unwrap()
            })
            .collect();
        spinning.recv().unwrap();
        spinning.recv().unwrap();
        let by_name = cpu_seconds_by_thread_of(std::process::id());
        drop(done);
        threads.into_iter().for_each(|t| t.join().unwrap());
        assert!(by_name["bench-spin"] >= 0.2, "{by_name:?}");
        assert!(!by_name.keys().any(|name| name.starts_with("bench-spin-")));
    }
}
