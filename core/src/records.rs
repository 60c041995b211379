//! Login-record search and export criteria: parsing FusionAuth's parameters (query
//! strings or JSON, numbers or numeric strings) and rejecting bad ones with every error
//! at once; plus the export's CSV shape.

use serde_json::{Map, Value};
use uuid::Uuid;

use crate::errors::Errors;

pub const DEFAULT_NUMBER_OF_RESULTS: i64 = 25;
/// The largest page: bounds one response's size and the database work behind it.
pub const MAX_NUMBER_OF_RESULTS: i64 = 10_000;

/// Filters shared by search and export.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordFilter {
    pub tenant_id: Option<Uuid>,
    pub application_id: Option<Uuid>,
    pub user_id: Option<Uuid>,
    /// Inclusive, epoch millis.
    pub start: Option<i64>,
    /// Inclusive, epoch millis.
    pub end: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchCriteria {
    pub filter: RecordFilter,
    pub number_of_results: i64,
    pub start_row: i64,
    pub retrieve_total: bool,
}

/// Reads one criteria object. `prefix` names the fields in errors (`search.` for the
/// POST body, empty for query parameters, `criteria.` for export).
fn filter_from(object: &Map<String, Value>, prefix: &str, errors: &mut Errors) -> RecordFilter {
    let filter = RecordFilter {
        tenant_id: None,
        application_id: uuid_field(object, "applicationId", prefix, errors),
        user_id: uuid_field(object, "userId", prefix, errors),
        start: integer_field(object, "start", prefix, errors),
        end: integer_field(object, "end", prefix, errors),
    };
    if let (Some(start), Some(end)) = (filter.start, filter.end) {
        if end < start {
            errors.field(
                &format!("{prefix}end"),
                "invalid",
                "The [end] instant must not be before the [start] instant.",
            );
        }
    }
    filter
}

fn present<'a>(object: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    object
        .get(key)
        .filter(|v| !v.is_null() && v.as_str().is_none_or(|s| !s.trim().is_empty()))
}

fn uuid_field(
    object: &Map<String, Value>,
    key: &str,
    prefix: &str,
    errors: &mut Errors,
) -> Option<Uuid> {
    let value = present(object, key)?;
    match value.as_str().map(|s| Uuid::parse_str(s.trim())) {
        Some(Ok(id)) => Some(id),
        _ => {
            errors.invalid(
                &format!("{prefix}{key}"),
                format!("The [{key}] must be a UUID."),
            );
            None
        }
    }
}

fn integer_field(
    object: &Map<String, Value>,
    key: &str,
    prefix: &str,
    errors: &mut Errors,
) -> Option<i64> {
    let value = present(object, key)?;
    let parsed = match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    };
    if parsed.is_none() {
        errors.invalid(
            &format!("{prefix}{key}"),
            format!("The [{key}] must be a whole number."),
        );
    }
    parsed
}

fn boolean_field(
    object: &Map<String, Value>,
    key: &str,
    prefix: &str,
    errors: &mut Errors,
) -> bool {
    match present(object, key) {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => true,
        Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => false,
        Some(_) => {
            errors.invalid(
                &format!("{prefix}{key}"),
                format!("The [{key}] must be true or false."),
            );
            false
        }
    }
}

impl SearchCriteria {
    /// From `GET` query parameters.
    pub fn from_query(params: &Map<String, Value>) -> Result<Self, Errors> {
        Self::read(params, params, "")
    }

    /// From a `POST` body: `{"search": {...}, "retrieveTotal": bool}`.
    pub fn from_body(body: &Map<String, Value>) -> Result<Self, Errors> {
        let empty = Map::new();
        match body.get("search") {
            None | Some(Value::Null) => Self::read(&empty, body, "search."),
            Some(Value::Object(search)) => Self::read(search, body, "search."),
            Some(_) => Err(Errors::single_field(
                "search",
                "invalid",
                "The [search] must be an object.",
            )),
        }
    }

    fn read(
        search: &Map<String, Value>,
        top: &Map<String, Value>,
        prefix: &str,
    ) -> Result<Self, Errors> {
        let mut errors = Errors::new();
        let filter = filter_from(search, prefix, &mut errors);
        let number_of_results = integer_field(search, "numberOfResults", prefix, &mut errors)
            .unwrap_or(DEFAULT_NUMBER_OF_RESULTS);
        if !(1..=MAX_NUMBER_OF_RESULTS).contains(&number_of_results) {
            errors.field(
                &format!("{prefix}numberOfResults"),
                "invalid",
                format!("The [numberOfResults] must be between 1 and {MAX_NUMBER_OF_RESULTS}."),
            );
        }
        let start_row = integer_field(search, "startRow", prefix, &mut errors).unwrap_or(0);
        if start_row < 0 {
            errors.field(
                &format!("{prefix}startRow"),
                "invalid",
                "The [startRow] must not be negative.",
            );
        }
        // POST puts retrieveTotal beside `search`; GET has it among the parameters.
        let retrieve_total = boolean_field(top, "retrieveTotal", "", &mut errors);
        errors.into_result()?;
        Ok(Self {
            filter,
            number_of_results,
            start_row,
            retrieve_total,
        })
    }
}

/// Export request fields other than the format, which the caller compiles separately.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportCriteria {
    pub filter: RecordFilter,
    pub date_time_seconds_format: Option<String>,
    pub zone_id: Option<String>,
}

impl ExportCriteria {
    /// From `GET` query parameters (criteria fields at the top level, also accepted with
    /// a `criteria.` prefix as FusionAuth's parameter names have it).
    pub fn from_query(params: &Map<String, Value>) -> Result<Self, Errors> {
        let mut flattened = params.clone();
        for (key, value) in params {
            if let Some(name) = key.strip_prefix("criteria.") {
                flattened.insert(name.to_owned(), value.clone());
            }
        }
        Self::read(&flattened, params, "")
    }

    /// From a `POST` body: `{"criteria": {...}, "dateTimeSecondsFormat", "zoneId"}`.
    pub fn from_body(body: &Map<String, Value>) -> Result<Self, Errors> {
        let empty = Map::new();
        match body.get("criteria") {
            None | Some(Value::Null) => Self::read(&empty, body, "criteria."),
            Some(Value::Object(criteria)) => Self::read(criteria, body, "criteria."),
            Some(_) => Err(Errors::single_field(
                "criteria",
                "invalid",
                "The [criteria] must be an object.",
            )),
        }
    }

    fn read(
        criteria: &Map<String, Value>,
        top: &Map<String, Value>,
        prefix: &str,
    ) -> Result<Self, Errors> {
        let mut errors = Errors::new();
        let filter = filter_from(criteria, prefix, &mut errors);
        let text = |key: &str, errors: &mut Errors| match present(top, key) {
            None => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => {
                errors.invalid(key, format!("The [{key}] must be a string."));
                None
            }
        };
        let date_time_seconds_format = text("dateTimeSecondsFormat", &mut errors);
        let zone_id = text("zoneId", &mut errors);
        errors.into_result()?;
        Ok(Self {
            filter,
            date_time_seconds_format,
            zone_id,
        })
    }
}

/// The export's header row, exactly as FusionAuth writes it (a trailing space inside
/// every quoted name).
pub const EXPORT_HEADER: &str = "\"User Id \",\"Identity value \",\"Identity type \",\"Time \",\"Application Id \",\"IP Address \",\"City \",\"Country \",\"Zipcode \",\"Region \",\"Latitude \",\"Longitude \"";

/// The identity type FusionAuth reports for a login id.
pub fn identity_type(login_id: &str) -> &'static str {
    if login_id.contains('@') {
        "email"
    } else {
        "username"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn object(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap()
    }

    #[test]
    fn defaults_follow_fusionauth() {
        let criteria = SearchCriteria::from_query(&Map::new()).unwrap();
        assert_eq!(criteria.number_of_results, 25);
        assert_eq!(criteria.start_row, 0);
        assert!(!criteria.retrieve_total);
        assert_eq!(criteria.filter, RecordFilter::default());
    }

    #[test]
    fn query_strings_and_json_numbers_are_both_read() {
        let user = Uuid::from_u128(5);
        let from_query = SearchCriteria::from_query(&object(json!({
            "userId": user.to_string(), "start": "10", "end": "20", "numberOfResults": "5", "startRow": "3", "retrieveTotal": "true"
        })))
        .unwrap();
        let from_body = SearchCriteria::from_body(&object(json!({
            "search": {"userId": user, "start": 10, "end": 20, "numberOfResults": 5, "startRow": 3}, "retrieveTotal": true
        })))
        .unwrap();
        assert_eq!(from_query, from_body);
        assert_eq!(from_body.filter.user_id, Some(user));
        assert_eq!(
            (from_body.filter.start, from_body.filter.end),
            (Some(10), Some(20))
        );
    }

    #[test]
    fn bad_criteria_are_all_reported_with_their_fields() {
        let errors = SearchCriteria::from_body(&object(json!({
            "search": {"applicationId": "nope", "userId": 7, "start": 20, "end": 10, "numberOfResults": -1, "startRow": -2},
            "retrieveTotal": "sometimes"
        })))
        .unwrap_err();
        let fields: Vec<_> = errors.field_errors.keys().map(String::as_str).collect();
        assert_eq!(
            fields,
            [
                "retrieveTotal",
                "search.applicationId",
                "search.end",
                "search.numberOfResults",
                "search.startRow",
                "search.userId"
            ]
        );
        assert!(SearchCriteria::from_query(&object(json!({"numberOfResults": "0"}))).is_err());
        assert!(SearchCriteria::from_query(&object(json!({"numberOfResults": "10001"}))).is_err());
        assert!(SearchCriteria::from_query(&object(json!({"start": "yesterday"}))).is_err());
    }

    #[test]
    fn export_reads_criteria_from_either_form() {
        let app = Uuid::from_u128(9);
        let body = ExportCriteria::from_body(&object(json!({
            "criteria": {"applicationId": app, "start": 1}, "dateTimeSecondsFormat": "yyyy", "zoneId": "UTC"
        })))
        .unwrap();
        let query = ExportCriteria::from_query(&object(json!({
            "criteria.applicationId": app.to_string(), "start": "1", "dateTimeSecondsFormat": "yyyy", "zoneId": "UTC"
        })))
        .unwrap();
        assert_eq!(body, query);
        assert!(
            ExportCriteria::from_body(&object(json!({"criteria": {"end": 1, "start": 2}})))
                .is_err()
        );
    }

    #[test]
    fn header_matches_fusionauth_and_identity_types() {
        assert!(EXPORT_HEADER.starts_with("\"User Id \",\"Identity value \""));
        assert_eq!(EXPORT_HEADER.split(',').count(), 12);
        assert_eq!(identity_type("a@b.c"), "email");
        assert_eq!(identity_type("ada"), "username");
    }
}
