//! Malformed and hostile requests against every endpoint family: login, two-factor,
//! ping, logout, refresh and revocation, validation, login-record search and export, and
//! the user APIs. Each valid request template is taken apart in every way a client (or an
//! attacker) can get it wrong — truncated or invalid JSON, invalid UTF-8, deep nesting,
//! huge numbers, duplicate keys, NUL characters, wrong content types, a 1 MiB password,
//! bodies over the limit, broken paths, query strings and headers — and then mutated at
//! random from a fixed seed.
//!
//! What must hold for every one: no panic and no 5xx; every 400 carries FusionAuth's
//! Errors JSON; and what is refused for its shape is refused before any password is
//! hashed. That last point is proven by counting hash jobs, not by timing, so it cannot
//! flake on a busy machine.
//!
//! `AUTHLET_HOSTILE_CASES` sets how many random mutations each template gets (default 40;
//! raise it for a long run).

// Test support code: a panic here is a failed test, not a reachable crash.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use authlet_sidecar::http::MAX_BODY_BYTES;
use authlet_sidecar::store::Backend;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{json, Map, Value};
use support::*;
use uuid::Uuid;

/// One valid request of an endpoint family: what the mutations start from.
#[derive(Debug, Clone)]
struct Template {
    method: &'static str,
    /// Path with its query string, if any.
    uri: String,
    /// An id inside `uri` that path mutations replace.
    path_id: Option<String>,
    body: Option<Value>,
    /// Sent with the API key (otherwise anonymously).
    keyed: bool,
}

impl Template {
    fn new(method: &'static str, uri: impl Into<String>, body: Option<Value>) -> Self {
        Self {
            method,
            uri: uri.into(),
            path_id: None,
            body,
            keyed: true,
        }
    }

    fn anonymous(mut self) -> Self {
        self.keyed = false;
        self
    }

    fn with_path_id(mut self, id: impl ToString) -> Self {
        self.path_id = Some(id.to_string());
        self
    }

    fn name(&self) -> String {
        format!("{} {}", self.method, self.uri)
    }

    fn request(&self, uri: &str, content_type: Option<&str>, body: Vec<u8>) -> Request<Body> {
        let mut request = Request::builder().method(self.method).uri(uri);
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        if self.keyed {
            request = request.header("authorization", API_KEY);
        }
        request.body(Body::from(body)).unwrap()
    }

    fn with_body(&self, body: Vec<u8>) -> Request<Body> {
        self.request(&self.uri, Some("application/json"), body)
    }
}

/// What the requests refer to: a registered user with a session and a pending
/// change-password id, so that well-formed templates reach the handlers' real work.
struct Fixture {
    user: Uuid,
    refresh_token: String,
    refresh_token_id: String,
    change_password_id: String,
}

async fn fixture(h: &Harness) -> Fixture {
    let user = h.create_user("hostile@example.com", json!({})).await;
    let (status, login) = h.login("hostile@example.com", "password-123", SHOP).await;
    assert_eq!(status, StatusCode::OK, "{login}");
    let (status, forgot) = h
        .keyed(
            "POST",
            "/api/user/forgot-password",
            json!({"loginId": "hostile@example.com"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{forgot}");
    Fixture {
        user,
        refresh_token: login["refreshToken"].as_str().unwrap().to_owned(),
        refresh_token_id: login["refreshTokenId"].as_str().unwrap().to_owned(),
        change_password_id: forgot["changePasswordId"].as_str().unwrap().to_owned(),
    }
}

/// Every endpoint family, each with a request that is valid as far as its shape goes.
fn templates(f: &Fixture) -> Vec<Template> {
    let user = f.user;
    let device = json!({"name": "laptop", "type": "BROWSER", "description": "d"});
    let new_user = |email: &str| {
        json!({"email": email, "username": format!("{email}-name"), "password": "password-123",
               "active": true, "verified": false, "expiry": START + 86_400_000,
               "passwordChangeRequired": false, "data": {"plan": "gold", "n": [1, 2.5]}})
    };
    let search = json!({"applicationId": SHOP, "userId": user, "start": START - 1000,
                        "end": START + 1000, "numberOfResults": 10, "startRow": 0});
    vec![
        Template::new("POST", "/api/login", Some(json!({
            "loginId": "hostile@example.com", "password": "password-123", "applicationId": SHOP,
            "ipAddress": "192.0.2.10", "noJWT": false, "twoFactorTrustId": "trust",
            "metaData": {"device": device}}))),
        Template::new("POST", "/api/login", Some(json!({
            "oneTimePassword": "not-issued", "applicationId": SHOP, "ipAddress": "192.0.2.11"}))),
        Template::new("POST", "/api/two-factor/login", Some(json!({
            "twoFactorId": "pending-id", "code": "123456", "applicationId": SHOP,
            "ipAddress": "192.0.2.12", "trustComputer": true, "noJWT": false,
            "metaData": {"device": device}})))
        .anonymous(),
        Template::new("PUT", "/api/login", Some(json!({
            "userId": user, "applicationId": SHOP, "ipAddress": "192.0.2.13"}))),
        Template::new("PUT", format!("/api/login/{user}/{SHOP}?ipAddress=192.0.2.14"), None)
            .with_path_id(user),
        Template::new("POST", "/api/logout?global=false", Some(json!({
            "global": false, "refreshToken": "not-a-live-token"})))
        .anonymous(),
        Template::new("POST", "/api/jwt/refresh", Some(json!({
            "refreshToken": f.refresh_token, "timeToLiveInSeconds": 60, "token": "old-jwt"})))
        .anonymous(),
        Template::new("DELETE", format!("/api/jwt/refresh?userId={user}&applicationId={SHOP}"), Some(json!({
            "userId": user, "applicationId": SHOP}))),
        Template::new("DELETE", format!("/api/jwt/refresh/{}", f.refresh_token_id), None)
            .with_path_id(&f.refresh_token_id),
        Template::new("GET", "/api/jwt/validate", None).anonymous(),
        Template::new("GET", "/api/two-factor/secret", None),
        Template::new("POST", format!("/api/user/two-factor/{user}"), Some(json!({
            "method": "authenticator", "code": "123456",
            "secret": "MDEyMzQ1Njc4OTAxMjM0NTY3ODk=", "secretBase32Encoded": "GAYTEMZUGU3DOOBZGAYTEMZUGU3DOOBZ"})))
        .with_path_id(user),
        Template::new("POST", format!("/api/system/login-record/search?retrieveTotal=true&userId={user}&start=0&numberOfResults=5"), Some(json!({
            "search": search, "retrieveTotal": true}))),
        Template::new("GET", format!("/api/system/login-record/search?retrieveTotal=true&applicationId={SHOP}&start=0&end={START}&numberOfResults=5&startRow=0"), None),
        Template::new("POST", "/api/system/login-record/export", Some(json!({
            "criteria": search, "dateTimeSecondsFormat": "yyyy-MM-dd'T'HH:mm:ss.SSSXXX '['VV']'",
            "zoneId": "America/Denver"}))),
        Template::new("GET", format!("/api/system/login-record/export?criteria.userId={user}&start=0&dateTimeSecondsFormat=EEE%2C%20d%20MMM%20uuuu%20hh%3Amm%20a&zoneId=Europe%2FParis"), None),
        Template::new("POST", "/api/user", Some(json!({"user": new_user("created@example.com"), "skipVerification": true}))),
        Template::new("POST", format!("/api/user/{}", Uuid::from_u128(0x5eed)), Some(json!({"user": new_user("with-id@example.com")})))
            .with_path_id(Uuid::from_u128(0x5eed)),
        Template::new("GET", format!("/api/user/{user}"), None).with_path_id(user),
        Template::new("GET", "/api/user?email=hostile%40example.com", None),
        Template::new("DELETE", format!("/api/user/{}?hardDelete=true", Uuid::from_u128(0xdead)), None)
            .with_path_id(Uuid::from_u128(0xdead)),
        Template::new("POST", "/api/user/registration", Some(json!({
            "user": new_user("registered@example.com"),
            "registration": {"applicationId": SHOP, "roles": [], "data": {"k": "v"}},
            "skipRegistrationVerification": true, "skipVerification": true}))),
        Template::new("POST", format!("/api/user/registration/{user}"), Some(json!({
            "registration": {"applicationId": ONE_TIME}})))
        .with_path_id(user),
        Template::new("POST", "/api/user/import", Some(json!({
            "users": [
                {"email": "imported@example.com", "password": "4onoP2P3OxUnlJzTGONgjA==",
                 "encryptionScheme": "salted-md5", "factor": 1, "salt": "jVqbuA9k2Mlo37OWXBMKLw==",
                 "registrations": [{"applicationId": SHOP}],
                 "twoFactor": {"methods": [{"method": "authenticator", "secret": "MDEyMzQ1Njc4OTAxMjM0NTY3ODk="}],
                               "recoveryCodes": ["ABCDE-FGHIJ"]}},
                {"username": "plain-import", "password": "password-123", "insertInstant": START}],
            "encryptionScheme": "salted-pbkdf2-hmac-sha256", "factor": 100}))),
        Template::new("POST", "/api/user/forgot-password", Some(json!({
            "loginId": "hostile@example.com", "applicationId": SHOP, "state": {"redirect": "/"}}))),
        Template::new("POST", "/api/user/change-password", Some(json!({
            "changePasswordId": f.change_password_id, "password": "a-new-password-1"})))
        .anonymous(),
        Template::new("POST", format!("/api/user/change-password/{}", f.change_password_id), Some(json!({
            "password": "a-new-password-2", "trustToken": "not-issued"})))
        .anonymous()
        .with_path_id(&f.change_password_id),
    ]
}

// ---- generators ------------------------------------------------------------------------

/// JSON text of `value` with the first key of the object at `target` written twice: first
/// with a decoy value, then with its own. A parser that keeps either silently is wrong.
fn with_duplicate_key(value: &Value, target: &[String], here: &mut Vec<String>) -> String {
    match value {
        Value::Object(map) => {
            let mut members: Vec<String> = map
                .iter()
                .map(|(k, v)| {
                    here.push(k.clone());
                    let member = format!("{}:{}", json!(k), with_duplicate_key(v, target, here));
                    here.pop();
                    member
                })
                .collect();
            if here.as_slice() == target {
                if let Some((key, _)) = map.iter().next() {
                    members.insert(0, format!("{}:\"decoy\"", json!(key)));
                }
            }
            format!("{{{}}}", members.join(","))
        }
        Value::Array(items) => {
            let parts: Vec<String> = items
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    here.push(i.to_string());
                    let part = with_duplicate_key(v, target, here);
                    here.pop();
                    part
                })
                .collect();
            format!("[{}]", parts.join(","))
        }
        other => other.to_string(),
    }
}

/// Paths (keys and indexes) of every non-empty object, and of every string leaf.
fn paths(
    value: &Value,
    here: &mut Vec<String>,
    objects: &mut Vec<Vec<String>>,
    strings: &mut Vec<Vec<String>>,
) {
    match value {
        Value::Object(map) => {
            if !map.is_empty() {
                objects.push(here.clone());
            }
            for (k, v) in map {
                here.push(k.clone());
                paths(v, here, objects, strings);
                here.pop();
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                here.push(i.to_string());
                paths(v, here, objects, strings);
                here.pop();
            }
        }
        Value::String(_) => strings.push(here.clone()),
        _ => {}
    }
}

fn replaced(value: &Value, path: &[String], with: Value) -> Value {
    let mut copy = value.clone();
    let mut slot = &mut copy;
    for step in path {
        slot = match slot {
            Value::Object(map) => map.get_mut(step).unwrap(),
            Value::Array(items) => &mut items[step.parse::<usize>().unwrap()],
            _ => unreachable!("paths only lead through containers"),
        };
    }
    *slot = with;
    copy
}

/// `"x": <raw>` added to the top-level object of the template's JSON text.
fn with_raw_member(template: &Value, raw: &str) -> Vec<u8> {
    let text = template.to_string();
    format!("{{\"x\":{raw},{}", &text[1..]).into_bytes()
}

fn nested(depth: usize) -> String {
    format!("{}{}", "[".repeat(depth), "]".repeat(depth))
}

/// Bodies that are not JSON at all, or not valid UTF-8, whatever the endpoint.
fn broken_bodies(template: &Value) -> Vec<(String, Vec<u8>)> {
    let text = template.to_string();
    let bytes = text.as_bytes();
    let mut cases: Vec<(String, Vec<u8>)> = (1..8)
        .map(|k| {
            let cut = bytes.len() * k / 8;
            (format!("truncated at {cut}"), bytes[..cut].to_vec())
        })
        .collect();
    for (name, body) in [
        ("lone brace", "{"),
        ("bare word", "nul"),
        ("missing value", "{\"a\":}"),
        ("stray comma", "{,}"),
        ("single quotes", "{'loginId': 'a'}"),
        ("comment", "/* c */ {}"),
        ("NaN", "{\"x\": NaN}"),
        ("Infinity", "{\"x\": Infinity}"),
        ("lone surrogate", "{\"x\": \"\\ud800\"}"),
        ("raw control character", "{\"x\": \"a\u{1}b\"}"),
        ("bad escape", "{\"x\": \"\\q\"}"),
        ("top-level array", "[]"),
        ("top-level string", "\"x\""),
        ("top-level number", "5"),
        ("top-level null", "null"),
    ] {
        cases.push((name.to_owned(), body.as_bytes().to_vec()));
    }
    cases.push(("trailing garbage".into(), format!("{text}x").into_bytes()));
    cases.push(("two documents".into(), format!("{text}{text}").into_bytes()));
    cases.push((
        "byte-order mark".into(),
        [b"\xEF\xBB\xBF".as_slice(), bytes].concat(),
    ));
    // Invalid UTF-8 inside the first string value, at the top level, overlong and as an
    // encoded surrogate; and the whole document as UTF-16.
    if let Some(quote) = text.find(":\"") {
        for (name, bad) in [
            ("invalid UTF-8 byte", b"\xff".as_slice()),
            ("overlong UTF-8", b"\xc0\xaf".as_slice()),
            ("UTF-8 surrogate", b"\xed\xa0\x80".as_slice()),
            ("truncated UTF-8 sequence", b"\xe2\x82".as_slice()),
        ] {
            let mut body = bytes[..quote + 2].to_vec();
            body.extend_from_slice(bad);
            body.extend_from_slice(&bytes[quote + 2..]);
            cases.push((name.to_owned(), body));
        }
    }
    cases.push(("invalid UTF-8 outside strings".into(), b"{\xff}".to_vec()));
    cases.push((
        "UTF-16".into(),
        text.encode_utf16().flat_map(u16::to_le_bytes).collect(),
    ));
    cases.push(("nested 10000 deep".into(), nested(10_000).into_bytes()));
    cases.push((
        "member nested 200 deep".into(),
        with_raw_member(template, &nested(200)),
    ));
    for raw in ["1e999", "-1e999", "1e400"] {
        cases.push((format!("number {raw}"), with_raw_member(template, raw)));
    }
    cases.push((
        "integer of 100000 digits".into(),
        with_raw_member(template, &format!("1{}", "0".repeat(100_000))),
    ));
    cases
}

/// Valid JSON with a defect the endpoint must refuse before doing any work: a repeated
/// key (anywhere), a NUL character in any string, a password too long to ever match.
fn refusable_bodies(template: &Value) -> Vec<(String, Vec<u8>)> {
    let mut objects = Vec::new();
    let mut strings = Vec::new();
    paths(template, &mut Vec::new(), &mut objects, &mut strings);
    let mut cases = Vec::new();
    for path in &objects {
        cases.push((
            format!("duplicate key in /{}", path.join("/")),
            with_duplicate_key(template, path, &mut Vec::new()).into_bytes(),
        ));
    }
    for path in &strings {
        for (name, poisoned) in [("NUL", "a\u{0}b"), ("only NUL", "\u{0}")] {
            cases.push((
                format!("{name} in /{}", path.join("/")),
                replaced(template, path, json!(poisoned))
                    .to_string()
                    .into_bytes(),
            ));
        }
        if path.last().is_some_and(|key| key == "password") {
            // As long as a body under the limit allows: far over any password's maximum.
            let long = "p".repeat(MAX_BODY_BYTES - template.to_string().len() - 1024);
            cases.push((
                format!("{}-byte password at /{}", long.len(), path.join("/")),
                replaced(template, path, json!(long))
                    .to_string()
                    .into_bytes(),
            ));
        }
    }
    cases
}

/// Bodies over the limit: 413 before anything reads them.
fn oversized_bodies(template: &Value) -> Vec<(String, Vec<u8>)> {
    let mut cases = vec![
        ("padding to one byte over the limit".to_owned(), {
            let mut padded = template.to_string().into_bytes();
            padded.resize(MAX_BODY_BYTES + 1, b' ');
            padded
        }),
        (
            "two MiB of spaces".to_owned(),
            vec![b' '; 2 * MAX_BODY_BYTES],
        ),
    ];
    let mut strings = Vec::new();
    paths(template, &mut Vec::new(), &mut Vec::new(), &mut strings);
    if let Some(path) = strings
        .iter()
        .find(|p| p.last().is_some_and(|k| k == "password"))
    {
        cases.push((
            "1 MiB password".to_owned(),
            replaced(template, path, json!("p".repeat(1 << 20)))
                .to_string()
                .into_bytes(),
        ));
    }
    cases
}

const WRONG_CONTENT_TYPES: &[&str] = &[
    "text/plain",
    "text/plain; charset=utf-8",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "application/xml",
    "application/octet-stream",
];

/// Values a random mutation puts in place of a leaf.
fn odd_value(rng: &mut StdRng) -> Value {
    match rng.gen_range(0..16) {
        0 => Value::Null,
        1 => json!(true),
        2 => json!(0),
        3 => json!(-1),
        4 => json!(i64::MAX),
        5 => json!(u64::MAX),
        6 => json!(1.5e300),
        7 => json!(""),
        8 => json!("   "),
        9 => json!([]),
        10 => json!({}),
        11 => json!([1, "two", null]),
        12 => json!({"a": {"b": [1]}}),
        13 => json!("x".repeat(rng.gen_range(1..20_000))),
        14 => json!("ünï©ødé 🔑 \u{202e}"),
        _ => serde_json::from_str(&nested(rng.gen_range(1..120))).unwrap(),
    }
}

/// One random mutation of a template body, from structural ones (replace or drop a
/// member) to byte-level ones (flip, insert, delete, splice).
fn random_body(template: &Value, rng: &mut StdRng) -> Vec<u8> {
    let mut leaves = Vec::new();
    collect_leaves(template, &mut Vec::new(), &mut leaves);
    let mut bytes = match rng.gen_range(0..3) {
        0 if !leaves.is_empty() => {
            let path = &leaves[rng.gen_range(0..leaves.len())];
            replaced(template, path, odd_value(rng))
                .to_string()
                .into_bytes()
        }
        1 if !leaves.is_empty() => {
            let path = &leaves[rng.gen_range(0..leaves.len())];
            let (last, parent) = path.split_last().unwrap();
            let mut copy = template.clone();
            if let Some(Value::Object(map)) = copy.pointer_mut(&pointer(parent)) {
                map.remove(last);
            }
            copy.to_string().into_bytes()
        }
        _ => template.to_string().into_bytes(),
    };
    for _ in 0..rng.gen_range(0..4) {
        if bytes.is_empty() {
            break;
        }
        let at = rng.gen_range(0..bytes.len());
        match rng.gen_range(0..4) {
            0 => bytes[at] ^= 1 << rng.gen_range(0..8),
            1 => bytes.insert(at, rng.gen()),
            2 => {
                let end = (at + rng.gen_range(1..16)).min(bytes.len());
                bytes.drain(at..end);
            }
            _ => {
                let structural = b"{}[],:\"\\"[rng.gen_range(0..8)];
                bytes.insert(at, structural);
            }
        }
    }
    bytes
}

fn collect_leaves(value: &Value, here: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                here.push(k.clone());
                out.push(here.clone());
                collect_leaves(v, here, out);
                here.pop();
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                here.push(i.to_string());
                collect_leaves(v, here, out);
                here.pop();
            }
        }
        _ => {}
    }
}

fn pointer(path: &[String]) -> String {
    path.iter().map(|p| format!("/{p}")).collect()
}

// ---- checks ----------------------------------------------------------------------------

/// No 5xx; a 400 carries FusionAuth's Errors JSON with at least one error.
fn assert_clean(case: &str, reply: &Reply) {
    assert!(
        !reply.status.is_server_error(),
        "{case}: {} {}",
        reply.status,
        String::from_utf8_lossy(&reply.body)
    );
    if reply.status == StatusCode::BAD_REQUEST {
        let content_type = reply
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        assert!(
            content_type.starts_with("application/json"),
            "{case}: a 400 without FusionAuth's Errors JSON ({content_type:?}): {}",
            String::from_utf8_lossy(&reply.body)
        );
        let errors = reply.json();
        let fields = errors["fieldErrors"].as_object().map_or(0, Map::len);
        let general = errors["generalErrors"].as_array().map_or(0, Vec::len);
        assert!(fields + general > 0, "{case}: empty Errors: {errors}");
    }
}

/// `expected` and a clean answer, with no password hashed on the way.
async fn assert_refused_before_hashing(
    h: &Harness,
    case: &str,
    expected: StatusCode,
    request: Request<Body>,
) {
    let before = h.hash_jobs();
    let reply = h.send(request).await;
    assert_clean(case, &reply);
    assert_eq!(
        reply.status,
        expected,
        "{case}: {}",
        String::from_utf8_lossy(&reply.body[..reply.body.len().min(400)])
    );
    assert_eq!(h.hash_jobs(), before, "{case}: refused only after hashing");
}

fn random_cases() -> usize {
    std::env::var("AUTHLET_HOSTILE_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40)
}

// ---- scenarios -------------------------------------------------------------------------

async fn malformed_bodies_are_refused_before_hashing(backend: Backend) {
    let h = harness(backend, "").await;
    let f = fixture(&h).await;

    // The signal works: a well-formed login for an unknown user costs exactly one hash.
    let before = h.hash_jobs();
    let (status, _) = h.login("nobody@example.com", "password-123", SHOP).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(h.hash_jobs(), before + 1);

    for template in templates(&f) {
        let Some(body) = &template.body else { continue };
        let name = template.name();
        for (case, bytes) in broken_bodies(body)
            .into_iter()
            .chain(refusable_bodies(body))
        {
            let request = template.with_body(bytes);
            assert_refused_before_hashing(
                &h,
                &format!("{name}: {case}"),
                StatusCode::BAD_REQUEST,
                request,
            )
            .await;
        }
        for (case, bytes) in oversized_bodies(body) {
            let request = template.with_body(bytes);
            assert_refused_before_hashing(
                &h,
                &format!("{name}: {case}"),
                StatusCode::PAYLOAD_TOO_LARGE,
                request,
            )
            .await;
        }
        // A declared length over the limit is refused before the body is read.
        let mut declared = template.with_body(b"{}".to_vec());
        declared
            .headers_mut()
            .insert("content-length", (2 * MAX_BODY_BYTES).into());
        assert_refused_before_hashing(
            &h,
            &format!("{name}: declared 2 MiB"),
            StatusCode::PAYLOAD_TOO_LARGE,
            declared,
        )
        .await;
        for content_type in WRONG_CONTENT_TYPES {
            let request = template.request(
                &template.uri,
                Some(content_type),
                body.to_string().into_bytes(),
            );
            assert_refused_before_hashing(
                &h,
                &format!("{name}: as {content_type}"),
                StatusCode::BAD_REQUEST,
                request,
            )
            .await;
        }
    }
}

async fn broken_paths_queries_and_headers_are_answered_cleanly(backend: Backend) {
    let h = harness(backend, "").await;
    let f = fixture(&h).await;
    let long = "x".repeat(20_000);
    for template in templates(&f) {
        let name = template.name();
        let body = template
            .body
            .as_ref()
            .map(|b| b.to_string().into_bytes())
            .unwrap_or_default();
        let send = |uri: String, headers: Vec<(&'static str, Vec<u8>)>| {
            let mut request = template.request(&uri, Some("application/json"), body.clone());
            for (header, value) in headers {
                request
                    .headers_mut()
                    .insert(header, axum::http::HeaderValue::from_bytes(&value).unwrap());
            }
            request
        };

        if let Some(id) = &template.path_id {
            for bad in [
                "%FF%FE",
                "%00",
                "not-a-uuid",
                "..%2F..%2Fetc%2Fpasswd",
                "%2e%2e",
                long.as_str(),
                "'%20OR%201=1--",
            ] {
                let uri = template.uri.replace(id.as_str(), bad);
                let reply = h.send(send(uri.clone(), vec![])).await;
                assert_clean(&format!("{name}: path {uri:.80}"), &reply);
            }
        }

        let (path, query) = template.uri.split_once('?').unwrap_or((&template.uri, ""));
        let params: Vec<(&str, &str)> =
            query.split('&').filter_map(|p| p.split_once('=')).collect();
        for (i, &(key, _)) in params.iter().enumerate() {
            for bad in [
                "%00",
                "a%00b",
                "%FF%FE",
                "%ZZ",
                "1e999",
                "-99999999999999999999999",
                "",
                long.as_str(),
            ] {
                let mut mutated = params.clone();
                mutated[i] = (key, bad);
                let query: Vec<String> = mutated.iter().map(|(k, v)| format!("{k}={v}")).collect();
                let uri = format!("{path}?{}", query.join("&"));
                let reply = h.send(send(uri.clone(), vec![])).await;
                assert_clean(&format!("{name}: query {uri:.120}"), &reply);
                if bad.contains("%00") {
                    assert_eq!(
                        reply.status,
                        StatusCode::BAD_REQUEST,
                        "{name}: NUL in query {uri}"
                    );
                }
            }
            let uri = format!("{}&{key}=second-value&{key}=%00", template.uri);
            assert_clean(
                &format!("{name}: repeated {key}"),
                &h.send(send(uri, vec![])).await,
            );
        }
        for garbage in ["a=%", "&&&", "=", "%FF=%FF", "a[b]=c"] {
            let uri = format!("{path}?{garbage}");
            assert_clean(
                &format!("{name}: query {uri}"),
                &h.send(send(uri.clone(), vec![])).await,
            );
        }

        let headers: Vec<(&'static str, Vec<u8>)> = vec![
            ("authorization", b"\xff\xfe".to_vec()),
            ("authorization", b"Bearer".to_vec()),
            ("authorization", b"Bearer ".to_vec()),
            ("authorization", format!("Bearer {long}").into_bytes()),
            ("authorization", b"Bearer a.b.c".to_vec()),
            ("authorization", b"Basic YXBpa2V5Og==".to_vec()),
            ("x-fusionauth-tenantid", b"\xff".to_vec()),
            ("x-fusionauth-tenantid", b"not-a-tenant".to_vec()),
            (
                "x-fusionauth-tenantid",
                Uuid::from_u128(7).to_string().into_bytes(),
            ),
            (
                "cookie",
                b"access_token=\xff; refresh_token=%00%ZZ; =; ;;".to_vec(),
            ),
            ("cookie", format!("refresh_token={long}").into_bytes()),
            ("x-forwarded-for", b"\xff, 1.2.3.4".to_vec()),
            ("x-forwarded-for", long.clone().into_bytes()),
            ("x-forwarded-proto", b"\xff".to_vec()),
            ("content-type", b"application/json; charset=\xff".to_vec()),
        ];
        for (header, value) in headers {
            let case = format!("{name}: {header}: {:.40}", String::from_utf8_lossy(&value));
            let reply = h
                .send(send(template.uri.clone(), vec![(header, value)]))
                .await;
            assert_clean(&case, &reply);
        }
    }
}

async fn type_confusion_and_random_mutations_never_fail_the_server(backend: Backend) {
    let h = harness(backend, "").await;
    let f = fixture(&h).await;
    let mut rng = StdRng::seed_from_u64(0x5EED);
    for template in templates(&f) {
        let Some(body) = &template.body else { continue };
        // Every member, in turn, of every JSON type.
        let mut leaves = Vec::new();
        collect_leaves(body, &mut Vec::new(), &mut leaves);
        for path in &leaves {
            for odd in [
                json!(null),
                json!(true),
                json!(5),
                json!(-1.5),
                json!("x"),
                json!([]),
                json!({}),
            ] {
                let mutated = replaced(body, path, odd.clone());
                let case = format!("{}: /{} = {odd}", template.name(), path.join("/"));
                let reply = h
                    .send(template.with_body(mutated.to_string().into_bytes()))
                    .await;
                assert_clean(&case, &reply);
            }
        }
        for i in 0..random_cases() {
            let bytes = random_body(body, &mut rng);
            let case = format!(
                "{} #{i}: {:.200}",
                template.name(),
                String::from_utf8_lossy(&bytes)
            );
            let reply = h.send(template.with_body(bytes)).await;
            assert_clean(&case, &reply);
        }
    }
}

on_both_backends!(
    malformed_bodies_are_refused_before_hashing,
    broken_paths_queries_and_headers_are_answered_cleanly,
    type_confusion_and_random_mutations_never_fail_the_server,
);

/// Abuse below JSON, at the HTTP framing, against the real accept loop: what an
/// in-process router call cannot express. Each connection gets an answer that is not a
/// 5xx (or is closed), nothing panics, and the server keeps serving.
#[tokio::test]
async fn http_framing_abuse_never_takes_the_server_down() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::{TcpListener, TcpStream};

    // A panic in a connection task is caught by tokio and would go unseen: count them.
    static PANICS: AtomicUsize = AtomicUsize::new(0);
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        PANICS.fetch_add(1, Ordering::SeqCst);
        previous(info);
    }));

    let h = harness(Backend::Sqlite, "").await;
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (shutdown, shutdown_rx) = tokio::sync::watch::channel(false);
    let serving = tokio::spawn(authlet_sidecar::server::serve(
        listener,
        h.app.clone(),
        None,
        shutdown_rx,
    ));

    /// Writes `request` (then half-closes when `close`), reads until the server closes or
    /// goes quiet, and returns the status line's code, if any. The timeout only detects a
    /// hang; it is far above any answer's cost.
    async fn exchange(port: u16, request: Vec<u8>, close: bool) -> Option<u16> {
        let stream = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
        let (mut reader, mut writer) = stream.into_split();
        // Written beside the reading: a server that answers early must not leave this
        // test blocked on a full socket buffer.
        let writing = tokio::spawn(async move {
            let _ = writer.write_all(&request).await;
            if close {
                let _ = writer.shutdown().await;
            }
            writer
        });
        let mut answer = Vec::new();
        let _ = tokio::time::timeout(Duration::from_secs(30), async {
            let mut buffer = [0u8; 4096];
            while let Ok(n) = reader.read(&mut buffer).await {
                answer.extend_from_slice(&buffer[..n]);
                if n == 0 || answer.windows(4).any(|w| w == b"\r\n\r\n") {
                    break;
                }
            }
        })
        .await;
        writing.abort();
        let text = String::from_utf8_lossy(&answer);
        text.strip_prefix("HTTP/1.1 ")?.get(..3)?.parse().ok()
    }

    let api_key = API_KEY;
    let cases: Vec<(&str, Vec<u8>, bool, Option<u16>)> = vec![
        (
            "declared body over the limit, not sent",
            format!("POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: {api_key}\r\nContent-Length: {}\r\n\r\n{{", 2 * MAX_BODY_BYTES).into_bytes(),
            false,
            Some(413),
        ),
        (
            "body shorter than its Content-Length",
            b"POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"loginId\"".to_vec(),
            true,
            None,
        ),
        (
            "chunked body over the limit",
            [
                b"POST /api/user/import HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n".as_slice(),
                format!("{:x}\r\n", MAX_BODY_BYTES + 1).as_bytes(),
                vec![b' '; MAX_BODY_BYTES + 1].as_slice(),
                b"\r\n0\r\n\r\n".as_slice(),
            ]
            .concat(),
            false,
            Some(413),
        ),
        (
            "broken chunk size",
            b"POST /api/logout HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n".to_vec(),
            true,
            None,
        ),
        (
            "Content-Length and chunked together",
            b"POST /api/logout HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n".to_vec(),
            true,
            None,
        ),
        (
            "two Content-Lengths",
            b"POST /api/logout HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}".to_vec(),
            true,
            None,
        ),
        (
            "invalid UTF-8 in the path",
            b"GET /api/user/\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(),
            true,
            None,
        ),
        (
            "invalid UTF-8 in a header value",
            [
                format!("GET /api/user?email=a HTTP/1.1\r\nHost: x\r\nAuthorization: {api_key}").as_bytes(),
                b"\xff\r\nX-Forwarded-For: \xfe\r\n\r\n".as_slice(),
            ]
            .concat(),
            true,
            None,
        ),
        (
            "a 100 KB header",
            format!("GET /healthz HTTP/1.1\r\nHost: x\r\nCookie: {}\r\n\r\n", "a".repeat(100_000)).into_bytes(),
            true,
            None,
        ),
        (
            "10,000 headers",
            format!("GET /healthz HTTP/1.1\r\nHost: x\r\n{}\r\n", "X-A: b\r\n".repeat(10_000)).into_bytes(),
            true,
            None,
        ),
        ("not HTTP", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03".to_vec(), true, None),
        ("HTTP/2 preface, then garbage", b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\xff\xff\xff".to_vec(), true, None),
        ("a bare newline", b"\n".to_vec(), true, None),
    ];
    for (case, request, close, expected) in cases {
        let status = exchange(port, request, close).await;
        if let Some(expected) = expected {
            assert_eq!(status, Some(expected), "{case}");
        }
        assert!(status.is_none_or(|s| s < 500), "{case}: {status:?}");
        assert_eq!(
            exchange(
                port,
                b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".to_vec(),
                false
            )
            .await,
            Some(200),
            "the server stopped serving after: {case}"
        );
    }
    assert_eq!(
        PANICS.load(Ordering::SeqCst),
        0,
        "a connection task panicked"
    );
    shutdown.send(true).unwrap();
    serving.await.unwrap().unwrap();
}
