//! Login history: `GET|POST /api/system/login-record/search` and
//! `GET|POST /api/system/login-record/export`.
//!
//! A tenant-locked key (or `X-FusionAuth-TenantId`) narrows both to its tenant; a global
//! key sees every tenant, as FusionAuth's global-key-only APIs do.

use std::collections::HashMap;
use std::io::Write;
use std::sync::Arc;

use authlet_core::errors::Errors;
use authlet_core::java_time::{self, JavaDateFormat};
use authlet_core::records::{
    identity_type, ExportCriteria, RecordFilter, SearchCriteria, EXPORT_HEADER,
};
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};
use tokio::sync::mpsc;

use super::context::Caller;
use super::error::{json_response, ApiError};
use super::extract::{parse_body, QueryParams};
use crate::state::{AppState, Runtime};
use crate::store::{LoginRecord, Store};

/// Bytes buffered before a chunk is handed to the response body.
const EXPORT_CHUNK: usize = 64 * 1024;

/// Query parameters or a JSON body, as one object of criteria.
fn criteria_object(
    method: &Method,
    headers: &HeaderMap,
    query: HashMap<String, String>,
    body: &Bytes,
) -> Result<Map<String, Value>, ApiError> {
    if method == Method::GET {
        Ok(query
            .into_iter()
            .map(|(k, v)| (k, Value::String(v)))
            .collect())
    } else {
        parse_body(headers, body)
    }
}

/// The caller's tenant scope, applied to the filter.
fn scoped(
    runtime: &Runtime,
    headers: &HeaderMap,
    mut filter: RecordFilter,
) -> Result<RecordFilter, ApiError> {
    let caller = Caller::from_headers(runtime, headers)?;
    caller.require_key()?;
    filter.tenant_id = caller.tenant_scope()?;
    Ok(filter)
}

fn record_json(record: &LoginRecord) -> Value {
    let mut object = json!({
        "userId": record.user_id,
        "loginId": record.login_id,
        "loginIdType": identity_type(&record.login_id),
        "instant": record.instant,
    });
    if let Some(application_id) = record.application_id {
        object["applicationId"] = json!(application_id);
    }
    if let Some(name) = &record.application_name {
        object["applicationName"] = json!(name);
    }
    if let Some(ip) = &record.ip_address {
        object["ipAddress"] = json!(ip);
    }
    object
}

pub async fn search(
    State(state): State<Arc<AppState>>,
    method: Method,
    headers: HeaderMap,
    QueryParams(query): QueryParams<HashMap<String, String>>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let runtime = state.runtime();
    let object = criteria_object(&method, &headers, query, &body)?;
    let mut criteria = if method == Method::GET {
        SearchCriteria::from_query(&object)?
    } else {
        SearchCriteria::from_body(&object)?
    };
    criteria.filter = scoped(&runtime, &headers, criteria.filter)?;
    let (records, total) = state.store.search_login_records(&criteria).await?;
    let mut body = json!({ "logins": records.iter().map(record_json).collect::<Vec<_>>() });
    if let Some(total) = total {
        body["total"] = json!(total);
    }
    Ok(json_response(StatusCode::OK, &body))
}

pub async fn export(
    State(state): State<Arc<AppState>>,
    method: Method,
    headers: HeaderMap,
    QueryParams(query): QueryParams<HashMap<String, String>>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let runtime = state.runtime();
    let object = criteria_object(&method, &headers, query, &body)?;
    let criteria = if method == Method::GET {
        ExportCriteria::from_query(&object)?
    } else {
        ExportCriteria::from_body(&object)?
    };
    let filter = scoped(&runtime, &headers, criteria.filter)?;
    let mut errors = Errors::new();
    let pattern = criteria
        .date_time_seconds_format
        .as_deref()
        .unwrap_or(JavaDateFormat::DEFAULT);
    let format = JavaDateFormat::parse(pattern)
        .map_err(|e| {
            errors.invalid(
                "dateTimeSecondsFormat",
                format!("Invalid [dateTimeSecondsFormat]: {e}."),
            )
        })
        .ok();
    let zone_id = criteria
        .zone_id
        .clone()
        .unwrap_or_else(|| default_zone(&runtime, filter.tenant_id));
    let zone = java_time::zone(&zone_id)
        .map_err(|e| errors.invalid("zoneId", format!("Invalid [zoneId]: {e}.")))
        .ok();
    errors.into_result()?;
    let (Some(format), Some(zone)) = (format, zone) else {
        return Err(ApiError::Internal("export format checked above".into()));
    };

    let (sender, receiver) = mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    let store = state.store.clone();
    let handle = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || {
        let failure = sender.clone();
        if let Err(error) = write_export(
            &handle,
            &store,
            filter,
            &format,
            &zone,
            ChannelWriter::new(sender),
        ) {
            tracing::error!(%error, "login-record export failed");
            let _ = failure.blocking_send(Err(std::io::Error::other(error.to_string())));
        }
    });
    let body = Body::from_stream(tokio_stream::wrappers::ReceiverStream::new(receiver));
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "application/zip"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"login_records.zip\"",
            ),
        ],
        body,
    )
        .into_response())
}

/// The zone of the tenant in scope (or of the only tenant), else UTC.
fn default_zone(runtime: &Runtime, tenant_id: Option<uuid::Uuid>) -> String {
    let tenant = match tenant_id {
        Some(id) => runtime.config.tenant(id),
        None => match runtime.config.tenants.as_slice() {
            [only] => Some(only),
            _ => None,
        },
    };
    tenant.map_or_else(|| "UTC".to_owned(), |t| t.report_timezone.clone())
}

/// Writes the zip (one CSV entry) row by row, on a blocking thread: memory holds the
/// store's read position and one chunk, however many rows match.
fn write_export(
    handle: &tokio::runtime::Handle,
    store: &Store,
    filter: RecordFilter,
    format: &JavaDateFormat,
    zone: &jiff::tz::TimeZone,
    output: ChannelWriter,
) -> anyhow::Result<()> {
    let mut zip = zip::ZipWriter::new_stream(output);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    zip.start_file("login_records.csv", options)?;
    zip.write_all(EXPORT_HEADER.as_bytes())?;
    zip.write_all(b"\n")?;
    let mut csv = csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(zip);
    store.for_each_login_record(handle, &filter, |row| -> anyhow::Result<()> {
        csv.write_record([
            row.user_id,
            row.login_id,
            identity_type(row.login_id),
            format.format(row.instant, zone).as_str(),
            row.application_id.unwrap_or(""),
            row.ip_address.unwrap_or(""),
            "",
            "",
            "",
            "",
            "",
            "",
        ])?;
        Ok(())
    })?;
    let zip = csv
        .into_inner()
        .map_err(|e| anyhow::anyhow!("csv flush: {}", e.error()))?;
    let mut output = zip.finish()?.into_inner();
    output.flush()?;
    Ok(())
}

/// A `Write` that hands fixed-size chunks to the response body, waiting (on this
/// blocking thread) while the client is slow: backpressure instead of buffering.
struct ChannelWriter {
    sender: mpsc::Sender<Result<Bytes, std::io::Error>>,
    buffer: Vec<u8>,
}

impl ChannelWriter {
    fn new(sender: mpsc::Sender<Result<Bytes, std::io::Error>>) -> Self {
        Self {
            sender,
            buffer: Vec::with_capacity(EXPORT_CHUNK),
        }
    }

    fn send(&mut self) -> std::io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(
            &mut self.buffer,
            Vec::with_capacity(EXPORT_CHUNK),
        ));
        self.sender
            .blocking_send(Ok(chunk))
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "client went away"))
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(bytes);
        if self.buffer.len() >= EXPORT_CHUNK {
            self.send()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.send()
    }
}
