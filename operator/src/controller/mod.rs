//! The two controllers: Tenants (render the configuration Secret) and Applications
//! (report whether they were rendered). Each writes only its own kind's status.

mod application;
mod tenant;

use std::sync::Arc;
use std::time::Duration;

use futures::{Future, StreamExt};
use k8s_openapi::api::core::v1::Secret;
use kube::api::{Patch, PatchParams};
use kube::runtime::controller::{Action, Controller};
use kube::runtime::events::{Event, EventType, Recorder, Reporter};
use kube::runtime::reflector::ObjectRef;
use kube::runtime::watcher;
use kube::{Api, Client, Resource, ResourceExt};
use tracing::{info, warn};

use crate::crd::{Application, Tenant};
use crate::telemetry::Metrics;

/// Name of the field manager and of the event reporter.
pub const MANAGER: &str = "authlet-operator";

/// Labels on every Secret the operator writes.
pub const MANAGED_BY_LABEL: &str = "app.kubernetes.io/managed-by";
pub const TENANT_LABEL: &str = "authlet.io/tenant";

/// The rendered configuration's Secret of a Tenant.
pub fn config_secret_name(tenant: &str) -> String {
    format!("{tenant}-authlet-config")
}

/// The generated signing key's Secret of a Tenant.
pub fn signing_key_secret_name(tenant: &str) -> String {
    format!("{tenant}-authlet-signing-key")
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("Kubernetes API: {0}")]
    Kube(#[from] kube::Error),
    #[error("{0} has no namespace")]
    NotNamespaced(String),
    #[error(transparent)]
    SigningKey(#[from] crate::signing_key::SigningKeyError),
    #[error("cannot serialize a patch: {0}")]
    Serialize(#[from] serde_json::Error),
}

/// What every reconcile shares.
struct Context {
    client: Client,
    recorder: Recorder,
    metrics: Metrics,
}

/// How soon to look again after an API error; watches re-trigger sooner on any change.
const RETRY_AFTER_ERROR: Duration = Duration::from_secs(15);

/// Runs both controllers until `shutdown` resolves, then lets in-flight reconciles finish.
pub async fn run(
    client: Client,
    metrics: Metrics,
    identity: String,
    shutdown: impl Future<Output = ()> + Send + Sync + Clone + 'static,
) {
    let reporter = Reporter {
        controller: MANAGER.into(),
        instance: Some(identity),
    };
    let context = Arc::new(Context {
        client: client.clone(),
        recorder: Recorder::new(client.clone(), reporter),
        metrics,
    });

    let tenants = Api::<Tenant>::all(client.clone());
    let applications = Api::<Application>::all(client.clone());
    let secrets = Api::<Secret>::all(client.clone());

    let tenant_controller = Controller::new(tenants.clone(), watcher::Config::default());
    let tenant_store = tenant_controller.store();
    let store_for_applications = tenant_store.clone();
    let store_for_secrets = tenant_store.clone();
    let tenant_controller = tenant_controller
        .owns(
            secrets.clone(),
            watcher::Config::default().labels(&format!("{MANAGED_BY_LABEL}={MANAGER}")),
        )
        // Every Tenant of the namespace, not only the one named: an Application whose
        // tenantRef moved must also leave the Tenant it left.
        .watches(
            applications.clone(),
            watcher::Config::default(),
            move |application| {
                let namespace = application.namespace();
                store_for_applications
                    .state()
                    .into_iter()
                    .filter(|t| t.namespace() == namespace)
                    .map(|t| ObjectRef::from_obj(&*t))
                    .collect::<Vec<_>>()
            },
        )
        .watches(secrets, watcher::Config::default(), move |secret| {
            let namespace = secret.namespace();
            let name = secret.name_any();
            store_for_secrets
                .state()
                .into_iter()
                .filter(|t| t.namespace() == namespace && tenant::references_secret(t, &name))
                .map(|t| ObjectRef::from_obj(&*t))
                .collect::<Vec<_>>()
        })
        .graceful_shutdown_on(shutdown.clone())
        .run(tenant::reconcile, error_policy, context.clone())
        .for_each(|result| async move { log_result("Tenant", result) });

    let application_controller = Controller::new(applications, watcher::Config::default());
    let application_store = application_controller.store();
    let application_controller = application_controller
        .watches(tenants, watcher::Config::default(), move |tenant| {
            let namespace = tenant.namespace();
            let name = tenant.name_any();
            application_store
                .state()
                .into_iter()
                .filter(|a| a.namespace() == namespace && a.spec.tenant_ref.name == name)
                .map(|a| ObjectRef::from_obj(&*a))
                .collect::<Vec<_>>()
        })
        .graceful_shutdown_on(shutdown)
        .run(application::reconcile, error_policy, context)
        .for_each(|result| async move { log_result("Application", result) });

    futures::join!(tenant_controller, application_controller);
    info!("controllers stopped");
}

fn error_policy<K>(object: Arc<K>, error: &Error, context: Arc<Context>) -> Action
where
    K: Resource<DynamicType = ()>,
{
    warn!(
        kind = %K::kind(&Default::default()),
        namespace = object.meta().namespace.as_deref().unwrap_or_default(),
        name = object.meta().name.as_deref().unwrap_or_default(),
        %error,
        "reconcile failed; retrying"
    );
    context
        .metrics
        .reconcile_failed(&K::kind(&Default::default()));
    Action::requeue(RETRY_AFTER_ERROR)
}

fn log_result<T, E: std::fmt::Display>(kind: &str, result: Result<T, E>) {
    if let Err(error) = result {
        // Errors of the reconciler itself are logged by error_policy; these are the
        // controller's own (a watch that cannot start, an object gone from the cache).
        warn!(kind, %error, "controller event");
    }
}

/// Records an Event on `object`. Events are for people: failing to record one is logged,
/// never a reconcile failure.
async fn publish<K: Resource<DynamicType = ()>>(
    context: &Context,
    object: &K,
    type_: EventType,
    reason: &str,
    note: String,
) {
    let event = Event {
        type_,
        reason: reason.to_owned(),
        note: Some(note),
        action: "Reconcile".into(),
        secondary: None,
    };
    if let Err(error) = context
        .recorder
        .publish(&event, &object.object_ref(&()))
        .await
    {
        tracing::warn!(%error, "could not publish an event");
    }
}

/// Writes `status` with server-side apply, so that a field this operator stops setting
/// (an id that no longer resolves) is removed rather than left stale.
async fn apply_status<K>(
    api: &Api<K>,
    name: &str,
    status: &impl serde::Serialize,
) -> Result<(), Error>
where
    K: Resource<DynamicType = ()> + Clone + serde::de::DeserializeOwned + std::fmt::Debug,
{
    let body = serde_json::json!({
        "apiVersion": K::api_version(&()),
        "kind": K::kind(&()),
        "status": status,
    });
    api.patch_status(
        name,
        &PatchParams::apply(MANAGER).force(),
        &Patch::Apply(body),
    )
    .await?;
    Ok(())
}
