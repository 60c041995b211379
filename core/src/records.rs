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

/// Milliseconds in a UTC day, the unit of the stores' per-day record totals.
pub const DAY_MS: i64 = 86_400_000;

/// How a store counts the records a filter matches (a search's `total`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CountPlan {
    /// Count the matching records themselves: a user's records (few, and not in the
    /// per-day totals) or a window without one whole day in it.
    Records,
    /// Sum the per-day totals of the whole days `first_day..=last_day` (day numbers,
    /// instants floored to [`DAY_MS`]; `None` is unbounded), and count the records of
    /// each partial day at either end of the window: `edges` are inclusive instants.
    Days {
        first_day: Option<i64>,
        last_day: Option<i64>,
        edges: Vec<(i64, i64)>,
    },
}

impl RecordFilter {
    /// Counting by day keeps a total cheap however long the window: at most two partial
    /// days of records are visited, whatever the number of whole days between them.
    pub fn count_plan(&self) -> CountPlan {
        if self.user_id.is_some() {
            return CountPlan::Records;
        }
        let day = i128::from(DAY_MS);
        // The first day that starts at or after `start`, and the last day that ends at or
        // before `end` (inclusive); i128 so that no instant near the i64 limits overflows.
        let first_day = self.start.map(|start| {
            let start = i128::from(start);
            start.div_euclid(day) + i128::from(start.rem_euclid(day) != 0)
        });
        let last_day = self
            .end
            .map(|end| (i128::from(end) + 1).div_euclid(day) - 1);
        if let (Some(first), Some(last)) = (first_day, last_day) {
            if first > last {
                return CountPlan::Records;
            }
        }
        let clamp = |value: i128| {
            i64::try_from(value).unwrap_or(if value < 0 { i64::MIN } else { i64::MAX })
        };
        let mut edges = Vec::new();
        if let (Some(start), Some(first)) = (self.start, first_day) {
            let whole_from = first * day;
            if i128::from(start) < whole_from {
                edges.push((start, clamp(whole_from - 1)));
            }
        }
        if let (Some(end), Some(last)) = (self.end, last_day) {
            let whole_until = (last + 1) * day;
            if i128::from(end) >= whole_until {
                edges.push((clamp(whole_until), end));
            }
        }
        CountPlan::Days {
            first_day: first_day.map(clamp),
            last_day: last_day.map(clamp),
            edges,
        }
    }
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

    #[test]
    fn a_window_counts_whole_days_from_totals_and_partial_days_from_records() {
        let filter = RecordFilter {
            start: Some(DAY_MS + DAY_MS / 2),
            end: Some(4 * DAY_MS + DAY_MS / 2),
            ..RecordFilter::default()
        };
        assert_eq!(
            filter.count_plan(),
            CountPlan::Days {
                first_day: Some(2),
                last_day: Some(3),
                edges: vec![
                    (DAY_MS + DAY_MS / 2, 2 * DAY_MS - 1),
                    (4 * DAY_MS, 4 * DAY_MS + DAY_MS / 2)
                ],
            }
        );
        let aligned = RecordFilter {
            start: Some(2 * DAY_MS),
            end: Some(4 * DAY_MS - 1),
            ..RecordFilter::default()
        };
        assert!(
            matches!(aligned.count_plan(), CountPlan::Days { first_day: Some(2), last_day: Some(3), edges } if edges.is_empty())
        );
        let within_a_day = RecordFilter {
            start: Some(DAY_MS + 1),
            end: Some(2 * DAY_MS + 5),
            ..RecordFilter::default()
        };
        assert_eq!(within_a_day.count_plan(), CountPlan::Records);
        let a_user = RecordFilter {
            user_id: Some(Uuid::nil()),
            ..RecordFilter::default()
        };
        assert_eq!(a_user.count_plan(), CountPlan::Records);
    }

    /// Every record in the window is counted once, by its day's total or by an edge, for
    /// windows on, beside and between day boundaries, before 1970 and at the i64 limits.
    #[test]
    fn a_count_plan_counts_each_record_exactly_once() {
        let mut instants = vec![i64::MIN, i64::MIN + 1, i64::MAX - 1, i64::MAX];
        for day in [-2, -1, 0, 1, 2, 3, 20_000] {
            for offset in [-1, 0, 1, DAY_MS / 2] {
                instants.push(day * DAY_MS + offset);
            }
        }
        let mut bounds: Vec<Option<i64>> = instants.iter().copied().map(Some).collect();
        bounds.push(None);
        let in_window = |i: i64, start: Option<i64>, end: Option<i64>| {
            start.is_none_or(|s| i >= s) && end.is_none_or(|e| i <= e)
        };
        for &start in &bounds {
            for &end in &bounds {
                if matches!((start, end), (Some(s), Some(e)) if e < s) {
                    continue;
                }
                let filter = RecordFilter {
                    start,
                    end,
                    ..RecordFilter::default()
                };
                let expected = instants
                    .iter()
                    .filter(|&&i| in_window(i, start, end))
                    .count();
                let counted = match filter.count_plan() {
                    CountPlan::Records => expected,
                    CountPlan::Days {
                        first_day,
                        last_day,
                        edges,
                    } => {
                        for &(from, to) in &edges {
                            assert_eq!(
                                from.div_euclid(DAY_MS),
                                to.div_euclid(DAY_MS),
                                "an edge is within one day"
                            );
                        }
                        let by_day = instants
                            .iter()
                            .filter(|&&i| in_window(i.div_euclid(DAY_MS), first_day, last_day))
                            .count();
                        let by_edge: usize = edges
                            .iter()
                            .map(|&(from, to)| {
                                instants.iter().filter(|&&i| i >= from && i <= to).count()
                            })
                            .sum();
                        by_day + by_edge
                    }
                };
                assert_eq!(counted, expected, "start {start:?}, end {end:?}");
            }
        }
    }
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
