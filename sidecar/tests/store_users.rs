//! A user read back from the store is the user written, on both backends: its own
//! columns, its registrations in the order they were made, and its two-factor methods.
//! The store reads all three in one statement, as JSON built by the database, so this
//! covers text that JSON must escape and a user with no registrations or methods.
#![allow(clippy::unwrap_used)]

mod support;

use authlet_core::model::{Registration, TwoFactorMethod, User};
use authlet_core::password::{PasswordHash, Scheme};
use authlet_sidecar::store::{Backend, Store};
use serde_json::{json, Map, Value};
use support::database_url;
use uuid::Uuid;

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

fn registration(insert_instant: i64, roles: &[&str], profile: Value) -> Registration {
    Registration {
        id: Uuid::new_v4(),
        application_id: Uuid::new_v4(),
        roles: roles.iter().map(|r| r.to_string()).collect(),
        verified: insert_instant % 2 == 0,
        insert_instant,
        last_login_instant: (insert_instant > 20).then_some(insert_instant + 5),
        profile: object(profile),
    }
}

fn user(tenant_id: Uuid, email: &str, username: Option<&str>) -> User {
    User {
        id: Uuid::new_v4(),
        tenant_id,
        email: Some(email.into()),
        username: username.map(Into::into),
        active: true,
        verified: false,
        expiry: Some(1_900_000_000_000),
        password_change_required: false,
        password_change_reason: None,
        password_last_update_instant: Some(7),
        insert_instant: 3,
        last_update_instant: 4,
        last_login_instant: None,
        profile: object(json!({"firstName": "Zoë \"Z\" O'Brien", "data": {"tier": [1, 2]}})),
        registrations: vec![],
        two_factor_methods: vec![],
    }
}

async fn a_user_reads_back_as_written(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::connect(&database_url(backend, &dir).await)
        .await
        .unwrap();
    let tenant = Uuid::new_v4();

    let mut full = user(tenant, "full@example.com", Some("Full"));
    // Made out of order: read back by insert instant.
    full.registrations = vec![
        registration(
            30,
            &["admin", "a \"quoted\" role"],
            json!({"username": "ünï"}),
        ),
        registration(10, &[], json!({})),
        registration(20, &["user"], json!({"data": {"nested": {"deep": null}}})),
    ];
    full.two_factor_methods = vec![
        TwoFactorMethod {
            id: "ZZZZ".into(),
            secret: "c2Vjb25k".into(),
        },
        TwoFactorMethod {
            id: "AAAA".into(),
            secret: "Zmlyc3Q=".into(),
        },
    ];
    let password =
        PasswordHash::with_salt("p4ssword!", Scheme::Pbkdf2Sha256, 100, "c2FsdA==").unwrap();
    store
        .insert_user(&full, Some(&password), &[])
        .await
        .unwrap();

    let bare = user(tenant, "bare@example.com", None);
    store.insert_user(&bare, None, &[]).await.unwrap();

    let mut expected = full.clone();
    expected.registrations.sort_by_key(|r| r.insert_instant);
    expected.two_factor_methods.sort_by(|a, b| a.id.cmp(&b.id));

    let (found, found_password) = store
        .user_by_login_id(tenant, "full@example.com")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found, expected);
    assert_eq!(found_password, Some(password.clone()));
    let (by_username, _) = store
        .user_by_login_id(tenant, "full")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(by_username, expected);
    let (by_id, _) = store.user(full.id).await.unwrap().unwrap();
    assert_eq!(by_id, expected);

    let (found, found_password) = store.user(bare.id).await.unwrap().unwrap();
    assert_eq!(found, bare);
    assert_eq!(found_password, None);

    assert_eq!(store.user(Uuid::new_v4()).await.unwrap(), None);
    assert_eq!(
        store
            .user_by_login_id(Uuid::new_v4(), "full@example.com")
            .await
            .unwrap(),
        None,
        "another tenant's user is not found"
    );
}

on_both_backends!(a_user_reads_back_as_written);
