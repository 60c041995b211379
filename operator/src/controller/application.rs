//! Application reconcile: report, in the Application's own status, whether its Tenant
//! exists and has rendered it. Rendering itself is the Tenant's job.

use std::sync::Arc;
use std::time::{Duration, Instant};

use kube::runtime::controller::Action;
use kube::runtime::events::EventType;
use kube::{Api, ResourceExt};

use super::{apply_status, publish, Context, Error};
use crate::conditions::{self, Desired};
use crate::crd::{Application, ApplicationStatus, Tenant};
use crate::ids;

/// An Application whose Tenant is missing looks again on its own this often; creating the
/// Tenant wakes it at once through the Tenant watch.
const RECHECK_WITHOUT_TENANT: Duration = Duration::from_secs(300);

pub async fn reconcile(
    application: Arc<Application>,
    context: Arc<Context>,
) -> Result<Action, Error> {
    let started = Instant::now();
    let result = reconcile_inner(&application, &context).await;
    context
        .metrics
        .reconciled("Application", started.elapsed().as_secs_f64());
    result
}

async fn reconcile_inner(application: &Application, context: &Context) -> Result<Action, Error> {
    let namespace = application
        .namespace()
        .ok_or_else(|| Error::NotNamespaced(application.name_any()))?;
    if application.metadata.deletion_timestamp.is_some() {
        return Ok(Action::await_change());
    }
    let name = application.name_any();
    let tenant_name = &application.spec.tenant_ref.name;
    let tenant = Api::<Tenant>::namespaced(context.client.clone(), &namespace)
        .get_opt(tenant_name)
        .await?;

    let (ready, tenant_id, action) = match &tenant {
        None => (
            Desired::new(
                conditions::READY,
                false,
                conditions::TENANT_NOT_FOUND,
                format!("Tenant {tenant_name:?} does not exist in namespace {namespace:?}"),
            ),
            None,
            Action::requeue(RECHECK_WITHOUT_TENANT),
        ),
        Some(tenant) => {
            let status = tenant.status.clone().unwrap_or_default();
            let tenant_ready = conditions::find(&status.conditions, conditions::READY);
            let ready = match tenant_ready {
                Some(c) if c.status == "True" && status.applications.contains(&name) => {
                    Desired::new(
                        conditions::READY,
                        true,
                        conditions::RENDERED,
                        format!(
                            "rendered into Secret {}",
                            status.config_secret.as_deref().unwrap_or_default()
                        ),
                    )
                }
                Some(c) if c.status == "False" => Desired::new(
                    conditions::READY,
                    false,
                    conditions::TENANT_NOT_READY,
                    format!("Tenant {tenant_name:?}: {}", c.message),
                ),
                _ => Desired::new(
                    conditions::READY,
                    false,
                    conditions::PENDING,
                    format!("waiting for Tenant {tenant_name:?} to render it"),
                ),
            };
            (ready, status.id, Action::await_change())
        }
    };

    let previous = application.status.clone().unwrap_or_default();
    let was = conditions::find(&previous.conditions, conditions::READY);
    if ready.reason == conditions::TENANT_NOT_FOUND
        && was.map(|c| c.reason.as_str()) != Some(conditions::TENANT_NOT_FOUND)
    {
        publish(
            context,
            application,
            EventType::Warning,
            conditions::TENANT_NOT_FOUND,
            ready.message.clone(),
        )
        .await;
    }
    let status = ApplicationStatus {
        observed_generation: application.metadata.generation,
        id: Some(
            application
                .spec
                .id
                .unwrap_or_else(|| ids::application_id(&namespace, &name))
                .to_string(),
        ),
        tenant_id,
        conditions: conditions::merge(
            &previous.conditions,
            &[ready],
            application.metadata.generation,
            k8s_openapi::jiff::Timestamp::now(),
        ),
    };
    if application.status.as_ref() != Some(&status) {
        apply_status(
            &Api::<Application>::namespaced(context.client.clone(), &namespace),
            &name,
            &status,
        )
        .await?;
    }
    Ok(action)
}
