//! FusionAuth's Errors object: `{"fieldErrors": {path: [{code, message}]}, "generalErrors": [...]}`.
//!
//! Codes follow FusionAuth's grammar: `[rule]fieldPath` for field errors, `[Name]` for
//! general errors, so client code that switches on codes keeps working.

use std::collections::BTreeMap;

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorEntry {
    pub code: String,
    pub message: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Errors {
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub field_errors: BTreeMap<String, Vec<ErrorEntry>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub general_errors: Vec<ErrorEntry>,
}

impl Errors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn is_empty(&self) -> bool {
        self.field_errors.is_empty() && self.general_errors.is_empty()
    }

    /// Adds `[rule]field` with a message.
    pub fn field(&mut self, field: &str, rule: &str, message: impl Into<String>) -> &mut Self {
        self.field_errors
            .entry(field.to_owned())
            .or_default()
            .push(ErrorEntry {
                code: format!("[{rule}]{field}"),
                message: message.into(),
            });
        self
    }

    /// `[blank]field` with FusionAuth's message.
    pub fn blank(&mut self, field: &str) -> &mut Self {
        self.field(
            field,
            "blank",
            format!("You must specify the [{field}] property."),
        )
    }

    /// `[invalid]field`.
    pub fn invalid(&mut self, field: &str, message: impl Into<String>) -> &mut Self {
        self.field(field, "invalid", message)
    }

    pub fn general(&mut self, code: &str, message: impl Into<String>) -> &mut Self {
        self.general_errors.push(ErrorEntry {
            code: code.to_owned(),
            message: message.into(),
        });
        self
    }

    /// Returns `Err(self)` when any error was recorded: the usual end of a validation.
    pub fn into_result(self) -> Result<(), Errors> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }

    pub fn single_field(field: &str, rule: &str, message: impl Into<String>) -> Self {
        let mut errors = Self::new();
        errors.field(field, rule, message);
        errors
    }

    pub fn tenant_id_required() -> Self {
        let mut errors = Self::new();
        errors.general(
            "[TenantIdRequired]",
            "A tenant Id is required to complete this request. To complete this request, you may specify the tenant Id using the X-FusionAuth-TenantId HTTP request header or by using a tenant locked API key.",
        );
        errors
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_in_fusionauth_shape_and_omits_empty_members() {
        let mut errors = Errors::new();
        errors.blank("loginId").blank("password");
        let json = serde_json::to_value(&errors).unwrap();
        assert_eq!(json["fieldErrors"]["loginId"][0]["code"], "[blank]loginId");
        assert_eq!(
            json["fieldErrors"]["password"][0]["message"],
            "You must specify the [password] property."
        );
        assert!(json.get("generalErrors").is_none());
        let general = serde_json::to_value(Errors::tenant_id_required()).unwrap();
        assert_eq!(general["generalErrors"][0]["code"], "[TenantIdRequired]");
        assert!(general.get("fieldErrors").is_none());
    }
}
