//! Tenant reconcile: read the Tenant's Applications and referenced Secrets, render, and
//! write the configuration Secret and the status — each only when it would change.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use k8s_openapi::api::core::v1::Secret;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::ByteString;
use kube::api::{ListParams, Patch, PatchParams, PostParams};
use kube::runtime::controller::Action;
use kube::runtime::events::EventType;
use kube::{Api, Resource, ResourceExt};
use serde_json::json;
use tracing::info;

use super::{
    apply_status, config_secret_name, publish, signing_key_secret_name, Context, Error,
    MANAGED_BY_LABEL, MANAGER, TENANT_LABEL,
};
use crate::conditions::{self, Desired};
use crate::crd::{Application, Tenant, TenantStatus};
use crate::render::{
    self, GeneratedSigningKey, RenderError, RenderInput, SecretValues, CONFIG_KEY,
};
use crate::signing_key;

/// How long a Tenant waiting for a Secret waits before looking again on its own; the
/// Secret watch normally wakes it as soon as the Secret appears.
const RECHECK_WHILE_BLOCKED: Duration = Duration::from_secs(300);

/// Whether the Tenant references the Secret named `name` (same namespace).
pub fn references_secret(tenant: &Tenant, name: &str) -> bool {
    referenced_secret_names(tenant).contains(name)
}

fn referenced_secret_names(tenant: &Tenant) -> BTreeSet<String> {
    let spec = &tenant.spec;
    spec.database
        .iter()
        .map(|d| &d.url_secret_ref)
        .chain(spec.api_keys.iter().map(|k| &k.secret_ref))
        .chain(spec.signing_keys.iter().map(|k| &k.secret_ref))
        .map(|r| r.name.clone())
        .collect()
}

pub async fn reconcile(tenant: Arc<Tenant>, context: Arc<Context>) -> Result<Action, Error> {
    let started = Instant::now();
    let result = reconcile_inner(&tenant, &context).await;
    context
        .metrics
        .reconciled("Tenant", started.elapsed().as_secs_f64());
    result
}

async fn reconcile_inner(tenant: &Tenant, context: &Context) -> Result<Action, Error> {
    let namespace = tenant
        .namespace()
        .ok_or_else(|| Error::NotNamespaced(tenant.name_any()))?;
    if tenant.metadata.deletion_timestamp.is_some() {
        // Everything the operator wrote is owned by the Tenant: the garbage collector
        // removes it, and there is nothing else to clean up.
        return Ok(Action::await_change());
    }
    let name = tenant.name_any();
    let client = &context.client;
    let secrets_api = Api::<Secret>::namespaced(client.clone(), &namespace);

    let applications: Vec<Application> = Api::<Application>::namespaced(client.clone(), &namespace)
        .list(&ListParams::default())
        .await?
        .items
        .into_iter()
        .filter(|a| a.spec.tenant_ref.name == name)
        .collect();

    let mut secrets = SecretValues::new();
    for secret_name in referenced_secret_names(tenant) {
        if let Some(secret) = secrets_api.get_opt(&secret_name).await? {
            secrets.insert(secret_name, secret_data(&secret));
        }
    }
    let generated_key = if tenant.spec.signing_keys.is_empty() {
        Some(ensure_signing_key(tenant, &secrets_api, context).await?)
    } else {
        None
    };

    let rendered = render::render(&RenderInput {
        tenant,
        applications: &applications,
        secrets: &secrets,
        generated_key: generated_key.as_ref(),
    });

    let storage = if tenant.spec.database.is_some() {
        Desired::new(
            conditions::SHARED_STORAGE,
            true,
            conditions::DATABASE_REFERENCED,
            "all pods share the referenced database",
        )
    } else {
        Desired::new(
            conditions::SHARED_STORAGE,
            false,
            conditions::PER_POD_SQLITE,
            "no database is referenced: each pod keeps users, tokens and login records in its own SQLite file, lost with an ephemeral volume; reference a PostgreSQL URL in spec.database to share them",
        )
    };

    let previous = tenant.status.clone().unwrap_or_default();
    let (status, action) = match rendered {
        Ok(rendered) => {
            let secret_name = config_secret_name(&name);
            let changed =
                apply_config_secret(tenant, &secrets_api, &secret_name, &rendered).await?;
            if changed {
                info!(%namespace, tenant = %name, hash = %rendered.hash, "configuration rendered");
                publish(
                    context,
                    tenant,
                    EventType::Normal,
                    conditions::RENDERED,
                    format!(
                        "rendered {} application(s) into Secret {secret_name} ({})",
                        rendered.applications.len(),
                        &rendered.hash[..12]
                    ),
                )
                .await;
            }
            let ready = Desired::new(
                conditions::READY,
                true,
                conditions::RENDERED,
                format!("configuration rendered into Secret {secret_name}"),
            );
            let status = TenantStatus {
                observed_generation: tenant.metadata.generation,
                id: Some(rendered.tenant_id.to_string()),
                conditions: conditions::merge(
                    &previous.conditions,
                    &[ready, storage],
                    tenant.metadata.generation,
                    k8s_openapi::jiff::Timestamp::now(),
                ),
                config_secret: Some(secret_name),
                config_hash: Some(rendered.hash),
                applications: rendered.applications,
            };
            (status, Action::await_change())
        }
        Err(error) => {
            let reason = match error {
                RenderError::SecretNotFound { .. } | RenderError::SecretKeyNotFound { .. } => {
                    conditions::SECRET_NOT_FOUND
                }
                RenderError::InvalidSpec(_) => conditions::INVALID_SPEC,
            };
            let message = format!("{error}; the last rendered configuration stays in force");
            let was = conditions::find(&previous.conditions, conditions::READY);
            if was.map(|c| (c.reason.as_str(), c.message.as_str())) != Some((reason, &message)) {
                publish(context, tenant, EventType::Warning, reason, message.clone()).await;
            }
            let ready = Desired::new(conditions::READY, false, reason, message);
            let status = TenantStatus {
                observed_generation: tenant.metadata.generation,
                id: Some(
                    tenant
                        .spec
                        .id
                        .unwrap_or_else(|| crate::ids::tenant_id(&namespace, &name))
                        .to_string(),
                ),
                conditions: conditions::merge(
                    &previous.conditions,
                    &[ready, storage],
                    tenant.metadata.generation,
                    k8s_openapi::jiff::Timestamp::now(),
                ),
                // Pods keep mounting the last good Secret, so keep naming it.
                config_secret: previous.config_secret.clone(),
                config_hash: previous.config_hash.clone(),
                applications: previous.applications.clone(),
            };
            (status, Action::requeue(RECHECK_WHILE_BLOCKED))
        }
    };

    if tenant.status.as_ref() != Some(&status) {
        apply_status(
            &Api::<Tenant>::namespaced(client.clone(), &namespace),
            &name,
            &status,
        )
        .await?;
    }
    Ok(action)
}

fn secret_data(secret: &Secret) -> BTreeMap<String, Vec<u8>> {
    let mut data: BTreeMap<String, Vec<u8>> = secret
        .string_data
        .iter()
        .flatten()
        .map(|(k, v)| (k.clone(), v.clone().into_bytes()))
        .collect();
    for (key, value) in secret.data.iter().flatten() {
        data.insert(key.clone(), value.0.clone());
    }
    data
}

fn owned_metadata(tenant: &Tenant, name: &str) -> ObjectMeta {
    ObjectMeta {
        name: Some(name.to_owned()),
        namespace: tenant.namespace(),
        labels: Some(BTreeMap::from([
            (MANAGED_BY_LABEL.to_owned(), MANAGER.to_owned()),
            (TENANT_LABEL.to_owned(), tenant.name_any()),
        ])),
        owner_references: tenant.controller_owner_ref(&()).map(|o| vec![o]),
        ..ObjectMeta::default()
    }
}

/// The Tenant's generated signing key, created on first need and never rewritten.
async fn ensure_signing_key(
    tenant: &Tenant,
    secrets_api: &Api<Secret>,
    context: &Context,
) -> Result<GeneratedSigningKey, Error> {
    let name = signing_key_secret_name(&tenant.name_any());
    if let Some(existing) = secrets_api.get_opt(&name).await? {
        return Ok(signing_key::from_secret_data(&secret_data(&existing))?);
    }
    let key = signing_key::generate()?;
    let secret = Secret {
        metadata: owned_metadata(tenant, &name),
        data: Some(
            signing_key::to_secret_data(&key)
                .into_iter()
                .map(|(k, v)| (k, ByteString(v)))
                .collect(),
        ),
        type_: Some("Opaque".into()),
        ..Secret::default()
    };
    match secrets_api.create(&PostParams::default(), &secret).await {
        Ok(_) => {
            publish(
                context,
                tenant,
                EventType::Normal,
                "SigningKeyGenerated",
                format!("generated ES256 signing key {} in Secret {name}", key.id),
            )
            .await;
            Ok(key)
        }
        // Created meanwhile (a previous leader's last act): use that one, never replace it.
        Err(kube::Error::Api(response)) if response.code == 409 => {
            let existing = secrets_api.get(&name).await?;
            Ok(signing_key::from_secret_data(&secret_data(&existing))?)
        }
        Err(error) => Err(error.into()),
    }
}

/// Writes the configuration Secret unless it already holds exactly this content.
/// Returns whether it wrote.
async fn apply_config_secret(
    tenant: &Tenant,
    secrets_api: &Api<Secret>,
    name: &str,
    rendered: &render::Rendered,
) -> Result<bool, Error> {
    let desired = Secret {
        metadata: ObjectMeta {
            annotations: Some(BTreeMap::from([(
                "authlet.io/config-hash".to_owned(),
                rendered.hash.clone(),
            )])),
            ..owned_metadata(tenant, name)
        },
        data: Some(BTreeMap::from([(
            CONFIG_KEY.to_owned(),
            ByteString(rendered.document.clone().into_bytes()),
        )])),
        type_: Some("Opaque".into()),
        ..Secret::default()
    };
    if let Some(existing) = secrets_api.get_opt(name).await? {
        let same_data = existing.data == desired.data;
        let same_labels = desired
            .metadata
            .labels
            .iter()
            .flatten()
            .all(|(k, v)| existing.labels().get(k) == Some(v));
        let same_hash =
            existing.annotations().get("authlet.io/config-hash") == Some(&rendered.hash);
        let owned = existing
            .owner_references()
            .iter()
            .any(|o| Some(&o.uid) == tenant.metadata.uid.as_ref());
        if same_data && same_labels && same_hash && owned {
            return Ok(false);
        }
    }
    let mut body = serde_json::to_value(&desired)?;
    body["apiVersion"] = json!("v1");
    body["kind"] = json!("Secret");
    secrets_api
        .patch(
            name,
            &PatchParams::apply(MANAGER).force(),
            &Patch::Apply(body),
        )
        .await?;
    Ok(true)
}
