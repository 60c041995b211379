//! Golden files for rendering: each `tests/golden/<case>/input.yaml` holds a Tenant, its
//! Applications and the Secrets they reference; `expected.yaml` is the exact document the
//! operator must write. The sidecar's tests load the same `expected.yaml` files, so the
//! two programs cannot disagree about the contract.
//!
//! After an intended change, regenerate with `AUTHLET_UPDATE_GOLDEN=1 cargo test -p
//! authlet-operator --test render_golden` and review the diff.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use authlet_operator::controller::signing_key_secret_name;
use authlet_operator::crd::{Application, Tenant};
use authlet_operator::render::{render, RenderInput, Rendered, SecretValues};
use authlet_operator::signing_key;
use k8s_openapi::api::core::v1::Secret;
use serde::Deserialize;

struct Inputs {
    tenant: Tenant,
    applications: Vec<Application>,
    secrets: BTreeMap<String, BTreeMap<String, Vec<u8>>>,
}

fn load(path: &Path) -> Inputs {
    let text = std::fs::read_to_string(path).unwrap();
    let mut tenant = None;
    let mut applications = Vec::new();
    let mut secrets = BTreeMap::new();
    for document in serde_norway::Deserializer::from_str(&text) {
        let value = serde_json::Value::deserialize(document).unwrap();
        match value["kind"].as_str() {
            Some("Tenant") => tenant = Some(serde_json::from_value(value).unwrap()),
            Some("Application") => applications.push(serde_json::from_value(value).unwrap()),
            Some("Secret") => {
                let secret: Secret = serde_json::from_value(value).unwrap();
                let data = secret
                    .string_data
                    .unwrap_or_default()
                    .into_iter()
                    .map(|(k, v)| (k, v.into_bytes()))
                    .collect();
                secrets.insert(secret.metadata.name.unwrap(), data);
            }
            other => panic!("{}: unexpected kind {other:?}", path.display()),
        }
    }
    Inputs {
        tenant: tenant.expect("a Tenant"),
        applications,
        secrets,
    }
}

fn render_case(inputs: &Inputs) -> Rendered {
    let mut secrets = SecretValues::new();
    for (name, data) in &inputs.secrets {
        secrets.insert(name.clone(), data.clone());
    }
    let generated = inputs
        .secrets
        .get(&signing_key_secret_name(
            inputs.tenant.metadata.name.as_deref().unwrap(),
        ))
        .map(|data| signing_key::from_secret_data(data).unwrap());
    render(&RenderInput {
        tenant: &inputs.tenant,
        applications: &inputs.applications,
        secrets: &secrets,
        generated_key: generated.as_ref(),
    })
    .unwrap()
}

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let mut cases: Vec<_> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("input.yaml").exists())
        .collect();
    cases.sort();
    assert!(!cases.is_empty());
    cases
}

#[test]
fn rendering_matches_the_golden_files() {
    let update = std::env::var_os("AUTHLET_UPDATE_GOLDEN").is_some();
    for case in cases() {
        let rendered = render_case(&load(&case.join("input.yaml")));
        let expected_path = case.join("expected.yaml");
        if update {
            std::fs::write(&expected_path, &rendered.document).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        assert_eq!(
            rendered.document,
            expected,
            "{} drifted; rerun with AUTHLET_UPDATE_GOLDEN=1 if the change is intended",
            expected_path.display()
        );
    }
}

#[test]
fn rendering_is_byte_identical_whatever_the_input_order() {
    for case in cases() {
        let mut inputs = load(&case.join("input.yaml"));
        let first = render_case(&inputs);
        inputs.applications.reverse();
        let second = render_case(&inputs);
        assert_eq!(first, second, "{}", case.display());
        assert_eq!(first.hash.len(), 64);
    }
}

#[test]
fn rendered_configs_hold_no_plain_api_keys_or_urls_outside_their_fields() {
    let inputs = load(
        &cases()
            .into_iter()
            .find(|c| c.ends_with("full"))
            .unwrap()
            .join("input.yaml"),
    );
    let rendered = render_case(&inputs);
    assert!(!rendered.document.contains("reporting-key-0123456789abcdef"));
    assert!(!rendered
        .document
        .contains("tenant-locked-key-0123456789abcdef"));
    assert!(rendered.shared_storage);
    assert_eq!(rendered.applications, ["app", "mobile", "teller"]);
}
