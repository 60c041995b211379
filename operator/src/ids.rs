//! Stable ids for objects that do not set `spec.id`.
//!
//! A UUIDv5 of the object's kind, namespace and name: deleting and re-creating a Tenant
//! or Application keeps its id, so the tokens, registrations and login records stored
//! under it stay attached. The kind is part of the name so that a Tenant and an
//! Application called the same never share an id.

use uuid::Uuid;

use crate::crd::SecretKeyReference;

/// The UUIDv5 namespace of every derived id: UUIDv5(DNS, "authlet.io").
fn authlet_namespace() -> Uuid {
    Uuid::new_v5(&Uuid::NAMESPACE_DNS, b"authlet.io")
}

pub fn tenant_id(namespace: &str, name: &str) -> Uuid {
    Uuid::new_v5(
        &authlet_namespace(),
        format!("Tenant/{namespace}/{name}").as_bytes(),
    )
}

pub fn application_id(namespace: &str, name: &str) -> Uuid {
    Uuid::new_v5(
        &authlet_namespace(),
        format!("Application/{namespace}/{name}").as_bytes(),
    )
}

/// The `kid` of a referenced signing key without an explicit id: stable while the
/// reference is, and different for every Secret key.
pub fn signing_key_id(reference: &SecretKeyReference) -> Uuid {
    Uuid::new_v5(
        &authlet_namespace(),
        format!("SigningKey/{}/{}", reference.name, reference.key).as_bytes(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_and_distinct_per_kind() {
        assert_eq!(tenant_id("shop", "acme"), tenant_id("shop", "acme"));
        assert_ne!(tenant_id("shop", "acme"), application_id("shop", "acme"));
        assert_ne!(tenant_id("shop", "acme"), tenant_id("shop2", "acme"));
        // Pinned: a change here would detach every user's data from their tenant.
        assert_eq!(
            tenant_id("shop", "acme").to_string(),
            "07c641da-74dd-51bb-b2f2-926ccfbb85ba"
        );
    }
}
