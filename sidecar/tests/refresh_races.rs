//! Refresh-token races: one-time-use tokens presented many times at once, across two
//! sidecars on one database. Exactly one use may win; every other is a reuse, which
//! revokes the token's family (the winner's rotated value included) and nothing else.
//!
//! `api.rs` races 20 uses on one sidecar; this suite races 100 across two replicas,
//! checks what is left in the store, races a stale copy against the current one, and
//! checks that reusable tokens are not mistaken for reuse under the same contention.
//! Every scenario runs on SQLite (two pools on one file) and PostgreSQL.

// Test support code: a panic here is a failed test, not a reachable crash.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use authlet_sidecar::store::Backend;
use axum::http::StatusCode;
use serde_json::{json, Value};
use support::*;
use uuid::Uuid;

/// A user registered for both applications.
async fn user(h: &Harness, email: &str) -> Uuid {
    let user = h.create_user(email, json!({})).await;
    h.register(user, ONE_TIME).await;
    user
}

/// A fresh login's refresh token and its id (the family).
async fn refresh_token(h: &Harness, email: &str, application: &str) -> (String, Uuid) {
    let (status, body) = h.login(email, "password-123", application).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    (
        body["refreshToken"].as_str().unwrap().to_owned(),
        Uuid::parse_str(body["refreshTokenId"].as_str().unwrap()).unwrap(),
    )
}

/// Presents each of `tokens` once, all at once, alternating between the sidecars.
async fn race(sidecars: [&Harness; 2], tokens: &[String]) -> Vec<(StatusCode, Value)> {
    let tasks: Vec<_> = tokens
        .iter()
        .enumerate()
        .map(|(i, token)| {
            let body = json!({"refreshToken": token});
            let request = json_request("POST", "/api/jwt/refresh", Some(&body), &[]);
            tokio::spawn(send_to(sidecars[i % 2].app.clone(), request))
        })
        .collect();
    let mut results = Vec::new();
    for task in tasks {
        results.push(task.await.unwrap());
    }
    results
}

/// Every loser must be an ordinary "invalid refresh token" 400, never a 5xx.
fn assert_losers_are_refused(results: &[(StatusCode, Value)]) {
    for (status, body) in results.iter().filter(|(s, _)| *s != StatusCode::OK) {
        assert_eq!(*status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(
            body["fieldErrors"]["refreshToken"][0]["code"], "[invalid]refreshToken",
            "{body}"
        );
    }
}

async fn a_hundred_concurrent_uses_on_two_sidecars_succeed_once_and_revoke_the_family(
    backend: Backend,
) {
    let (a, b) = pair(backend, &config("")).await;
    let user = user(&a, "race@example.com").await;
    let (token, family) = refresh_token(&a, "race@example.com", ONE_TIME).await;
    let (bystander, bystander_family) = refresh_token(&b, "race@example.com", ONE_TIME).await;

    let results = race([&a, &b], &vec![token.clone(); 100]).await;
    let winners: Vec<_> = results
        .iter()
        .filter(|(s, _)| *s == StatusCode::OK)
        .collect();
    assert_eq!(
        winners.len(),
        1,
        "exactly one of 100 concurrent uses succeeds"
    );
    assert_losers_are_refused(&results);
    let rotated = winners[0].1["refreshToken"].as_str().unwrap().to_owned();
    assert_ne!(rotated, token);
    assert_eq!(winners[0].1["refreshTokenId"], family.to_string());

    assert_eq!(
        a.state.store.refresh_token_by_id(family).await.unwrap(),
        None,
        "the reuse revoked the family"
    );
    for h in [&a, &b] {
        assert_eq!(h.refresh(&rotated).await.0, StatusCode::BAD_REQUEST);
        assert_eq!(h.refresh(&token).await.0, StatusCode::BAD_REQUEST);
    }
    assert!(
        b.state
            .store
            .refresh_token_by_id(bystander_family)
            .await
            .unwrap()
            .is_some_and(|t| t.user_id == user),
        "another family of the same user is untouched"
    );
    assert_eq!(b.refresh(&bystander).await.0, StatusCode::OK);
}

/// A thief's stale copy and the owner's current token, 50 of each, at once: at most one
/// request wins, whichever it is, and the family is dead afterwards either way.
async fn a_stale_copy_racing_the_current_token_kills_the_family(backend: Backend) {
    let (a, b) = pair(backend, &config("")).await;
    user(&a, "stale@example.com").await;
    let (first, family) = refresh_token(&a, "stale@example.com", ONE_TIME).await;
    let mut current = first.clone();
    for h in [&a, &b, &a, &b] {
        let (status, body) = h.refresh(&current).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        current = body["refreshToken"].as_str().unwrap().to_owned();
    }
    let tokens: Vec<_> = (0..100)
        .map(|i| {
            if i % 4 < 2 {
                first.clone()
            } else {
                current.clone()
            }
        })
        .collect();
    let results = race([&a, &b], &tokens).await;
    let winners = results.iter().filter(|(s, _)| *s == StatusCode::OK).count();
    assert!(winners <= 1, "{winners} uses of one family succeeded");
    assert_losers_are_refused(&results);
    assert_eq!(
        a.state.store.refresh_token_by_id(family).await.unwrap(),
        None
    );
    for (_, body) in results.iter().filter(|(s, _)| *s == StatusCode::OK) {
        let rotated = body["refreshToken"].as_str().unwrap();
        assert_eq!(b.refresh(rotated).await.0, StatusCode::BAD_REQUEST);
    }
}

/// Reusable tokens under the same contention: every use succeeds, the value stays the
/// same, and the token survives.
async fn a_hundred_concurrent_uses_of_a_reusable_token_all_succeed(backend: Backend) {
    let (a, b) = pair(backend, &config("")).await;
    user(&a, "reuse@example.com").await;
    let (token, family) = refresh_token(&a, "reuse@example.com", SHOP).await;
    let results = race([&a, &b], &vec![token.clone(); 100]).await;
    for (status, body) in &results {
        assert_eq!(*status, StatusCode::OK, "{body}");
        assert_eq!(body["refreshToken"], token.as_str());
    }
    assert!(a
        .state
        .store
        .refresh_token_by_id(family)
        .await
        .unwrap()
        .is_some());
    assert_eq!(b.refresh(&token).await.0, StatusCode::OK);
}

on_both_backends!(
    a_hundred_concurrent_uses_on_two_sidecars_succeed_once_and_revoke_the_family,
    a_stale_copy_racing_the_current_token_kills_the_family,
    a_hundred_concurrent_uses_of_a_reusable_token_all_succeed,
);
