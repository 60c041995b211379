//! The accept loop over real sockets: TLS handshakes with the configured certificate,
//! plain HTTP refused on a TLS port, and shutdown that returns once connections drain.

// Test support code: a panic here is a failed test, not a reachable crash.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::Duration;

use authlet_core::config::{Config, TlsConfig};
use authlet_sidecar::hashing::Hasher;
use authlet_sidecar::metrics::Metrics;
use authlet_sidecar::state::{AppState, Runtime, SystemClock};
use authlet_sidecar::store::Store;
use authlet_sidecar::{http, server};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

async fn app(dir: &tempfile::TempDir) -> axum::Router {
    let config = Config::parse(
        "keys: [{id: 0d3b8a57-6c0e-4f5e-9d8b-3c2a1b0f9e8d, algorithm: HS256, secret: MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE=}]\ntenants: [{id: 6b9a8a57-6c0e-4f5e-9d8b-3c2a1b0f9e8d, name: Default}]\n",
    )
    .unwrap();
    let store = Store::connect(&format!("sqlite://{}", dir.path().join("s.db").display()))
        .await
        .unwrap();
    let state = AppState::new(
        Runtime::new(config).unwrap(),
        store,
        Hasher::new(1).unwrap(),
        Metrics::new(),
        Arc::new(SystemClock),
    );
    http::router(state)
}

fn tls_config() -> TlsConfig {
    TlsConfig {
        cert_file: format!("{FIXTURES}/tls-cert.pem"),
        key_file: format!("{FIXTURES}/tls-key.pem"),
    }
}

async fn get_over_tls(port: u16, path: &str) -> String {
    let mut roots = rustls::RootCertStore::empty();
    let pem = std::fs::read(format!("{FIXTURES}/tls-cert.pem")).unwrap();
    for cert in rustls_pemfile::certs(&mut pem.as_slice()) {
        roots.add(cert.unwrap()).unwrap();
    }
    let client = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::aws_lc_rs::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_no_client_auth();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(client));
    let tcp = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    let name = rustls::pki_types::ServerName::try_from("localhost").unwrap();
    let mut tls = connector.connect(name, tcp).await.unwrap();
    tls.write_all(
        format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").as_bytes(),
    )
    .await
    .unwrap();
    let mut response = String::new();
    tls.read_to_string(&mut response).await.ok();
    response
}

#[tokio::test]
async fn serves_https_with_the_configured_certificate_and_shuts_down() {
    let dir = tempfile::tempdir().unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let acceptor = server::tls_acceptor(&tls_config()).unwrap();
    let (shutdown, shutdown_rx) = watch::channel(false);
    let serving = tokio::spawn(server::serve(
        listener,
        app(&dir).await,
        Some(acceptor),
        shutdown_rx,
    ));

    let response = get_over_tls(port, "/healthz").await;
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");

    // Plain HTTP to the TLS port never gets an HTTP answer.
    let mut plain = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    plain
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let mut buffer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), plain.read_to_end(&mut buffer)).await;
    assert!(!String::from_utf8_lossy(&buffer).contains("200 OK"));

    shutdown.send(true).unwrap();
    tokio::time::timeout(Duration::from_secs(10), serving)
        .await
        .expect("serve returns after shutdown")
        .unwrap()
        .unwrap();
}

#[test]
fn tls_errors_name_the_config_field() {
    let missing = TlsConfig {
        cert_file: "/nonexistent/cert.pem".into(),
        key_file: format!("{FIXTURES}/tls-key.pem"),
    };
    let error = format!("{:#}", server::tls_acceptor(&missing).err().unwrap());
    assert!(error.contains("tls.certFile"), "{error}");
    let mismatched = TlsConfig {
        cert_file: format!("{FIXTURES}/tls-cert.pem"),
        key_file: format!("{FIXTURES}/rsa-2048.pem"),
    };
    assert!(server::tls_acceptor(&mismatched).is_err());
}
