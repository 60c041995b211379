//! Login-record search and export parameters: query strings and JSON bodies, Java
//! `DateTimeFormatter` patterns, zone ids, and formatting any instant with them.
//!
//! Oracles: no panic; accepted criteria are in range (a page of 1..=10,000 rows from a
//! non-negative row, `start` not after `end`); query and body forms agree; a formatted
//! date is bounded by its pattern, whatever the instant (`i64::MIN` and `MAX` included).
#![no_main]

use authlet_core::java_time::{self, JavaDateFormat};
use authlet_core::records::{ExportCriteria, SearchCriteria, MAX_NUMBER_OF_RESULTS};
use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Value};

/// A field per line: a query string, a JSON body, a pattern, a zone id, and instants
/// (epoch millis, comma-separated).
#[derive(Debug)]
struct Input<'a> {
    params: Vec<(String, String)>,
    body: &'a str,
    pattern: &'a str,
    zone: &'a str,
    instants: Vec<i64>,
}

impl<'a> Input<'a> {
    fn read(text: &'a str) -> Self {
        let mut lines = text.splitn(5, '\n');
        let mut next = || lines.next().unwrap_or_default();
        let params = form_urlencoded::parse(next().as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        Self {
            params,
            body: next(),
            pattern: next(),
            zone: next(),
            instants: next()
                .split(',')
                .filter_map(|i| i.trim().parse().ok())
                .collect(),
        }
    }
}

fn check_search(criteria: &SearchCriteria) {
    assert!((1..=MAX_NUMBER_OF_RESULTS).contains(&criteria.number_of_results));
    assert!(criteria.start_row >= 0);
    if let (Some(start), Some(end)) = (criteria.filter.start, criteria.filter.end) {
        assert!(start <= end);
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let input = Input::read(text);
    let query: Map<String, Value> = input
        .params
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    if let Ok(search) = SearchCriteria::from_query(&query) {
        check_search(&search);
        // The same criteria as a POST body read the same.
        let mut search_body = query.clone();
        let retrieve_total = search_body.remove("retrieveTotal");
        let mut body = Map::new();
        body.insert("search".into(), Value::Object(search_body));
        if let Some(total) = retrieve_total {
            body.insert("retrieveTotal".into(), total);
        }
        assert_eq!(SearchCriteria::from_body(&body).as_ref(), Ok(&search));
    }
    let _ = ExportCriteria::from_query(&query);
    if let Ok(Value::Object(body)) = authlet_core::json::parse(input.body.as_bytes()) {
        if let Ok(search) = SearchCriteria::from_body(&body) {
            check_search(&search);
        }
        let _ = ExportCriteria::from_body(&body);
    }

    let zone = java_time::zone(input.zone);
    let Ok(format) = JavaDateFormat::parse(input.pattern) else {
        return;
    };
    let bound = 64 + 32 * input.pattern.chars().count();
    let zones = [
        zone.ok(),
        java_time::zone("UTC").ok(),
        java_time::zone("America/Denver").ok(),
    ];
    for zone in zones.iter().flatten() {
        for instant in input
            .instants
            .iter()
            .take(8)
            .chain(&[i64::MIN, i64::MAX, 0, -1])
        {
            let text = format.format(*instant, zone);
            assert!(
                text.len() <= bound,
                "{} bytes for {:?}",
                text.len(),
                input.pattern
            );
        }
    }
});
