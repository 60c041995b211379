//! Rendering: a Tenant, its Applications and the Secret values they reference become one
//! sidecar configuration document.
//!
//! This is a pure function of its inputs, so that it can be tested with golden files and
//! so that the same inputs always give the same bytes: an unchanged cluster must never
//! make the operator write, nor make every pod's kubelet rewrite a mounted file.

use std::collections::BTreeMap;

use authlet_core::config::{
    ApiKeyConfig, ApplicationConfig, Config, ConfigError, DatabaseConfig, Secret, SigningAlgorithm,
    SigningKeyConfig, TenantConfig,
};
use base64::Engine as _;
use kube::ResourceExt;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::crd::{Application, SecretKeyReference, Tenant};
use crate::ids;

/// Where a Tenant without a database reference keeps its data: a file on the pod's
/// volume. The example workload mounts an `emptyDir` there.
pub const DEFAULT_SQLITE_URL: &str = "sqlite:///var/lib/authlet/authlet.db";

/// The key of the rendered Secret that holds the configuration document.
pub const CONFIG_KEY: &str = "config.yaml";

/// The data of the Secrets a Tenant references, by Secret name then key. `Debug` shows
/// names and keys only.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SecretValues(BTreeMap<String, BTreeMap<String, Vec<u8>>>);

impl SecretValues {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn insert(&mut self, secret: impl Into<String>, data: BTreeMap<String, Vec<u8>>) {
        self.0.insert(secret.into(), data);
    }

    fn get(&self, secret: &str) -> Option<&BTreeMap<String, Vec<u8>>> {
        self.0.get(secret)
    }
}

impl std::fmt::Debug for SecretValues {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map()
            .entries(
                self.0
                    .iter()
                    .map(|(name, data)| (name, data.keys().collect::<Vec<_>>())),
            )
            .finish()
    }
}

/// The signing key the operator generated for a Tenant that references none.
#[derive(Clone, PartialEq, Eq)]
pub struct GeneratedSigningKey {
    pub id: Uuid,
    pub algorithm: SigningAlgorithm,
    pub private_key_pem: String,
}

impl std::fmt::Debug for GeneratedSigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GeneratedSigningKey")
            .field("id", &self.id)
            .field("algorithm", &self.algorithm)
            .finish_non_exhaustive()
    }
}

/// Everything rendering reads.
#[derive(Debug)]
pub struct RenderInput<'a> {
    pub tenant: &'a Tenant,
    /// The Applications whose `tenantRef` names this Tenant, in any order.
    pub applications: &'a [Application],
    pub secrets: &'a SecretValues,
    /// Present when `spec.signingKeys` is empty.
    pub generated_key: Option<&'a GeneratedSigningKey>,
}

/// A rendered configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    pub tenant_id: Uuid,
    /// The document stored under [`CONFIG_KEY`].
    pub document: String,
    /// Lower-case hex SHA-256 of `document`.
    pub hash: String,
    /// Names of the Applications rendered, sorted.
    pub applications: Vec<String>,
    /// False when the sidecars each keep their own SQLite file.
    pub shared_storage: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RenderError {
    #[error("Secret {name:?} does not exist")]
    SecretNotFound { name: String },
    #[error("Secret {name:?} has no key {key:?}")]
    SecretKeyNotFound { name: String, key: String },
    #[error("{0}")]
    InvalidSpec(String),
}

/// Renders the sidecar configuration for one Tenant.
pub fn render(input: &RenderInput<'_>) -> Result<Rendered, RenderError> {
    let tenant = input.tenant;
    let spec = &tenant.spec;
    let namespace = tenant.namespace().unwrap_or_default();
    let tenant_id = spec
        .id
        .unwrap_or_else(|| ids::tenant_id(&namespace, &tenant.name_any()));

    let mut applications: Vec<&Application> = input
        .applications
        .iter()
        .filter(|a| a.metadata.deletion_timestamp.is_none())
        .collect();
    applications.sort_by_key(|a| a.name_any());

    let database_url = match &spec.database {
        Some(database) => text_value(input.secrets, &database.url_secret_ref)?,
        None => DEFAULT_SQLITE_URL.to_owned(),
    };

    let mut api_keys = Vec::with_capacity(spec.api_keys.len());
    for (i, reference) in spec.api_keys.iter().enumerate() {
        let key = text_value(input.secrets, &reference.secret_ref)?;
        if key.len() < 16 {
            return Err(RenderError::InvalidSpec(format!(
                "spec.apiKeys[{i}]: the key in Secret {:?} (key {:?}) must be at least 16 characters",
                reference.secret_ref.name, reference.secret_ref.key
            )));
        }
        api_keys.push(ApiKeyConfig {
            key: None,
            key_hash: Some(hex::encode(Sha256::digest(key.as_bytes()))),
            tenant_id: reference.tenant_locked.then_some(tenant_id),
            description: reference.description.clone(),
        });
    }

    let keys = signing_keys(input)?;

    let tenant_config = TenantConfig {
        id: tenant_id,
        name: spec.name.clone().unwrap_or_else(|| tenant.name_any()),
        issuer: spec.issuer.clone(),
        login_configuration: spec.login_configuration.clone(),
        external_identifier_configuration: spec.external_identifier_configuration.clone(),
        jwt_configuration: spec.jwt_configuration.clone(),
        failed_authentication_configuration: spec.failed_authentication_configuration.clone(),
        password_encryption_configuration: spec.password_encryption_configuration.clone(),
        password_validation_rules: spec.password_validation_rules.clone(),
        maximum_password_age: spec.maximum_password_age.clone(),
        email_configuration: spec.email_configuration.clone(),
        multi_factor_configuration: spec.multi_factor_configuration.clone(),
        login_record_configuration: spec.login_record_configuration.clone(),
        report_timezone: spec.report_timezone.clone(),
        applications: applications
            .iter()
            .map(|a| application_config(&namespace, a))
            .collect(),
    };
    let config = Config {
        listen: spec.listen.clone(),
        database: DatabaseConfig {
            url: Secret::new(database_url.clone()),
        },
        api_keys,
        keys,
        tls: None,
        cookies: spec.cookies.clone(),
        tenants: vec![tenant_config],
    };
    if let Err(error) = config.validate() {
        return Err(RenderError::InvalidSpec(describe_problems(
            &error,
            &applications,
        )));
    }

    let document = serde_norway::to_string(&config).map_err(|e| {
        RenderError::InvalidSpec(format!("cannot serialize the configuration: {e}"))
    })?;
    let hash = hex::encode(Sha256::digest(document.as_bytes()));
    Ok(Rendered {
        tenant_id,
        hash,
        document,
        applications: applications.iter().map(|a| a.name_any()).collect(),
        shared_storage: !database_url.starts_with("sqlite:"),
    })
}

fn application_config(namespace: &str, application: &Application) -> ApplicationConfig {
    let spec = &application.spec;
    ApplicationConfig {
        id: spec
            .id
            .unwrap_or_else(|| ids::application_id(namespace, &application.name_any())),
        name: spec.name.clone().unwrap_or_else(|| application.name_any()),
        active: spec.active,
        login_configuration: spec.login_configuration.clone(),
        jwt_configuration: spec.jwt_configuration.clone(),
        verify_registration: spec.verify_registration,
        roles: spec.roles.clone(),
    }
}

fn signing_keys(input: &RenderInput<'_>) -> Result<Vec<SigningKeyConfig>, RenderError> {
    let spec = &input.tenant.spec;
    if spec.signing_keys.is_empty() {
        let generated = input.generated_key.ok_or_else(|| {
            RenderError::InvalidSpec("no signing key is referenced and none was generated".into())
        })?;
        return Ok(vec![SigningKeyConfig {
            id: generated.id,
            algorithm: generated.algorithm,
            secret: None,
            private_key: Some(Secret::new(generated.private_key_pem.clone())),
        }]);
    }
    spec.signing_keys
        .iter()
        .map(|reference| {
            let value = secret_value(input.secrets, &reference.secret_ref)?;
            let id = reference
                .id
                .unwrap_or_else(|| ids::signing_key_id(&reference.secret_ref));
            Ok(if reference.algorithm.is_hmac() {
                SigningKeyConfig {
                    id,
                    algorithm: reference.algorithm,
                    secret: Some(Secret::new(
                        base64::engine::general_purpose::STANDARD.encode(value),
                    )),
                    private_key: None,
                }
            } else {
                let pem = String::from_utf8(value.to_vec()).map_err(|_| {
                    RenderError::InvalidSpec(format!(
                        "the signing key in Secret {:?} (key {:?}) is not a PEM text",
                        reference.secret_ref.name, reference.secret_ref.key
                    ))
                })?;
                SigningKeyConfig {
                    id,
                    algorithm: reference.algorithm,
                    secret: None,
                    private_key: Some(Secret::new(pem)),
                }
            })
        })
        .collect()
}

fn secret_value<'s>(
    secrets: &'s SecretValues,
    reference: &SecretKeyReference,
) -> Result<&'s [u8], RenderError> {
    let data = secrets
        .get(&reference.name)
        .ok_or_else(|| RenderError::SecretNotFound {
            name: reference.name.clone(),
        })?;
    data.get(&reference.key)
        .map(Vec::as_slice)
        .ok_or_else(|| RenderError::SecretKeyNotFound {
            name: reference.name.clone(),
            key: reference.key.clone(),
        })
}

/// A textual secret value (URL, API key). Surrounding whitespace is dropped: a Secret
/// made with `kubectl create secret --from-file` carries the file's final newline.
fn text_value(
    secrets: &SecretValues,
    reference: &SecretKeyReference,
) -> Result<String, RenderError> {
    let value = secret_value(secrets, reference)?;
    std::str::from_utf8(value)
        .map(|s| s.trim().to_owned())
        .map_err(|_| {
            RenderError::InvalidSpec(format!(
                "Secret {:?} key {:?} is not UTF-8 text",
                reference.name, reference.key
            ))
        })
}

/// The contract's problems, in the words of the objects a user edits: `tenants[0].` is
/// the Tenant's spec, `tenants[0].applications[i]` the i-th Application by name.
fn describe_problems(error: &ConfigError, applications: &[&Application]) -> String {
    error
        .problems()
        .iter()
        .map(|problem| {
            let path = &problem.path;
            let located = if let Some(rest) = path.strip_prefix("tenants[0].applications[") {
                let (index, field) = rest.split_once(']').unwrap_or((rest, ""));
                let name = index
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| applications.get(i))
                    .map(|a| a.name_any())
                    .unwrap_or_default();
                format!(
                    "Application {name:?} spec{}",
                    field
                        .strip_prefix('.')
                        .map(|f| format!(".{f}"))
                        .unwrap_or_default()
                )
            } else if let Some(rest) = path.strip_prefix("tenants[0].") {
                format!("spec.{rest}")
            } else if let Some(rest) = path.strip_prefix("keys") {
                format!("spec.signingKeys{rest}")
            } else if let Some(rest) = path.strip_prefix("apiKeys") {
                format!("spec.apiKeys{rest}")
            } else if path == "database.url" {
                "spec.database.urlSecretRef".to_owned()
            } else {
                format!("spec.{path}")
            };
            format!("{located}: {}", problem.message)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crd::{ApplicationSpec, TenantSpec};

    fn tenant(spec_json: serde_json::Value) -> Tenant {
        let mut tenant = Tenant::new(
            "acme",
            serde_json::from_value::<TenantSpec>(spec_json).unwrap(),
        );
        tenant.metadata.namespace = Some("shop".into());
        tenant
    }

    fn application(name: &str, id: Option<&str>) -> Application {
        let spec: ApplicationSpec = serde_json::from_value(serde_json::json!({
            "tenantRef": {"name": "acme"},
            "id": id,
        }))
        .unwrap();
        let mut application = Application::new(name, spec);
        application.metadata.namespace = Some("shop".into());
        application
    }

    fn key() -> GeneratedSigningKey {
        crate::signing_key::generate().unwrap()
    }

    fn render_with(
        tenant: &Tenant,
        applications: &[Application],
        secrets: &SecretValues,
    ) -> Result<Rendered, RenderError> {
        let key = key();
        render(&RenderInput {
            tenant,
            applications,
            secrets,
            generated_key: Some(&key),
        })
    }

    #[test]
    fn a_missing_secret_or_key_is_named() {
        let tenant = tenant(serde_json::json!({
            "apiKeys": [{"secretRef": {"name": "keys", "key": "main"}}]
        }));
        assert_eq!(
            render_with(&tenant, &[], &SecretValues::new()),
            Err(RenderError::SecretNotFound {
                name: "keys".into()
            })
        );
        let mut secrets = SecretValues::new();
        secrets.insert(
            "keys",
            BTreeMap::from([("other".to_owned(), b"x".to_vec())]),
        );
        assert_eq!(
            render_with(&tenant, &[], &secrets),
            Err(RenderError::SecretKeyNotFound {
                name: "keys".into(),
                key: "main".into()
            })
        );
    }

    #[test]
    fn short_api_keys_are_rejected_and_keys_are_trimmed_and_hashed() {
        let tenant = tenant(serde_json::json!({
            "apiKeys": [{"secretRef": {"name": "keys", "key": "main"}, "tenantLocked": true}]
        }));
        let mut secrets = SecretValues::new();
        secrets.insert(
            "keys",
            BTreeMap::from([("main".to_owned(), b"short\n".to_vec())]),
        );
        let Err(RenderError::InvalidSpec(message)) = render_with(&tenant, &[], &secrets) else {
            panic!("a short key must be rejected");
        };
        assert!(message.contains("spec.apiKeys[0]"), "{message}");

        secrets.insert(
            "keys",
            BTreeMap::from([("main".to_owned(), b"a-key-long-enough-to-use\n".to_vec())]),
        );
        let rendered = render_with(&tenant, &[], &secrets).unwrap();
        let config = Config::parse(&rendered.document).unwrap();
        assert_eq!(
            config.api_keys[0].key_hash.as_deref(),
            Some(hex::encode(Sha256::digest(b"a-key-long-enough-to-use")).as_str())
        );
        assert_eq!(config.api_keys[0].tenant_id, Some(rendered.tenant_id));
        assert!(!rendered.shared_storage);
    }

    #[test]
    fn conflicting_applications_are_reported_by_name() {
        let tenant = tenant(serde_json::json!({}));
        let same = "2c9e4d71-5a3b-4f8e-b6d2-7e1f0a9c8b34";
        let Err(RenderError::InvalidSpec(message)) = render_with(
            &tenant,
            &[
                application("one", Some(same)),
                application("two", Some(same)),
            ],
            &SecretValues::new(),
        ) else {
            panic!("duplicate ids must be rejected");
        };
        assert!(
            message.contains("Application \"two\" spec.id: duplicate application id"),
            "{message}"
        );
    }

    #[test]
    fn applications_being_deleted_are_left_out() {
        let tenant = tenant(serde_json::json!({}));
        let mut leaving = application("leaving", None);
        leaving.metadata.deletion_timestamp =
            Some(k8s_openapi::apimachinery::pkg::apis::meta::v1::Time(
                k8s_openapi::jiff::Timestamp::UNIX_EPOCH,
            ));
        let rendered = render_with(
            &tenant,
            &[application("staying", None), leaving],
            &SecretValues::new(),
        )
        .unwrap();
        assert_eq!(rendered.applications, ["staying"]);
    }

    #[test]
    fn secret_values_debug_shows_no_values() {
        let mut secrets = SecretValues::new();
        secrets.insert(
            "db",
            BTreeMap::from([("url".to_owned(), b"postgres://u:hunter2@h/db".to_vec())]),
        );
        let debug = format!("{secrets:?}");
        assert!(
            debug.contains("url") && !debug.contains("hunter2"),
            "{debug}"
        );
    }
}
