//! Request extractors that answer bad input the FusionAuth way: 400 with the Errors JSON,
//! naming the field, for bodies, query strings and path segments alike; before any
//! handler runs, so before any database read or password hash.

use std::collections::HashSet;
use std::net::SocketAddr;

use authlet_core::errors::Errors;
use authlet_core::json::{self, StrictJsonError};
use axum::body::Bytes;
use axum::extract::path::ErrorKind;
use axum::extract::rejection::PathRejection;
use axum::extract::{
    ConnectInfo, FromRequest, FromRequestParts, OptionalFromRequestParts, Path, Request,
};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use serde::de::DeserializeOwned;

use super::error::ApiError;

/// The largest request body accepted; bigger ones get 413 before any parsing.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// A JSON body, read by [`parse_body`].
#[derive(Debug)]
pub struct JsonBody<T>(pub T);

impl<S, T> FromRequest<S> for JsonBody<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = axum::response::Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        use axum::response::IntoResponse;
        let headers = req.headers().clone();
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(IntoResponse::into_response)?;
        parse_body(&headers, &bytes)
            .map(JsonBody)
            .map_err(IntoResponse::into_response)
    }
}

/// A request body that must be JSON: a declared content type other than JSON is
/// `[invalidContentType]` (every endpoint alike, so that no endpoint takes a cross-site
/// `text/plain` form post as JSON); then [`parse_json`].
pub fn parse_body<T: DeserializeOwned>(headers: &HeaderMap, bytes: &[u8]) -> Result<T, ApiError> {
    let declared = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_ascii_lowercase);
    if let Some(content_type) = declared {
        let essence = content_type.split(';').next().unwrap_or_default().trim();
        if !is_blank(bytes) && essence != "application/json" && !essence.ends_with("+json") {
            let mut errors = Errors::new();
            errors.general(
                "[invalidContentType]",
                "Request bodies must be application/json.",
            );
            return Err(ApiError::BadRequest(errors));
        }
    }
    parse_json(bytes)
}

fn is_blank(bytes: &[u8]) -> bool {
    bytes.iter().all(u8::is_ascii_whitespace)
}

/// Parses strict JSON ([`authlet_core::json`]: no repeated keys, no NUL) into `T`.
/// Syntax errors become `[invalidJSON]`; a repeated key, a NUL, a wrong type or a bad UUID
/// becomes `[invalid]<field path>`. An empty body reads as `{}`, so that a missing field
/// is reported as blank, like FusionAuth does.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let bytes: &[u8] = if is_blank(bytes) { b"{}" } else { bytes };
    let value = json::parse(bytes).map_err(|error| {
        let mut errors = Errors::new();
        match error.field().filter(|field| field != ".") {
            Some(field) => {
                errors.invalid(&field, format!("Invalid value for [{field}]: {error}."));
            }
            None => {
                let detail = match &error {
                    StrictJsonError::Syntax(detail) => detail.clone(),
                    other => other.to_string(),
                };
                errors.general(
                    "[invalidJSON]",
                    format!("Unable to parse the request body as JSON: {detail}"),
                );
            }
        }
        ApiError::BadRequest(errors)
    })?;
    serde_path_to_error::deserialize(value).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        let mut errors = Errors::new();
        if path == "." {
            errors.general(
                "[invalidJSON]",
                format!("Unable to parse the request body as JSON: {inner}"),
            );
        } else {
            errors.invalid(&path, format!("Invalid value for [{path}]: {inner}"));
        }
        ApiError::BadRequest(errors)
    })
}

/// Query parameters. A parameter given twice, one holding a NUL character, or one of
/// the wrong type is `[invalid]<name>`.
#[derive(Debug)]
pub struct QueryParams<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for QueryParams<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        parse_query(parts.uri.query().unwrap_or_default()).map(QueryParams)
    }
}

pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    let mut seen = HashSet::new();
    for (name, value) in form_urlencoded::parse(query.as_bytes()) {
        if name.contains('\0') || value.contains('\0') {
            return Err(ApiError::field(
                &name,
                "invalid",
                format!("The [{name}] parameter contains the NUL character."),
            ));
        }
        if !seen.insert(name.clone()) {
            return Err(ApiError::field(
                &name,
                "invalid",
                format!("The [{name}] parameter appears more than once."),
            ));
        }
    }
    let deserializer =
        serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
    serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let path = error.path().to_string();
        let field = if path == "." { "query" } else { path.as_str() };
        ApiError::field(
            field,
            "invalid",
            format!("Invalid value for [{field}]: {}", error.into_inner()),
        )
    })
}

/// Path captures (route captures are named as FusionAuth names the fields). A capture
/// that is not UTF-8 once percent-decoded is `[invalid]<capture>`.
#[derive(Debug)]
pub struct PathParams<T>(pub T);

fn path_error(rejection: PathRejection) -> ApiError {
    let field = match &rejection {
        PathRejection::FailedToDeserializePathParams(error) => match error.kind() {
            ErrorKind::InvalidUtf8InPathParam { key }
            | ErrorKind::ParseErrorAtKey { key, .. }
            | ErrorKind::DeserializeError { key, .. } => key.clone(),
            _ => "path".to_owned(),
        },
        _ => "path".to_owned(),
    };
    ApiError::field(
        &field,
        "invalid",
        format!("Invalid [{field}]: {}", rejection.body_text()),
    )
}

impl<S: Send + Sync, T: DeserializeOwned + Send + 'static> FromRequestParts<S> for PathParams<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        <Path<T> as FromRequestParts<S>>::from_request_parts(parts, state)
            .await
            .map(|Path(value)| PathParams(value))
            .map_err(path_error)
    }
}

impl<S: Send + Sync, T: DeserializeOwned + Send + 'static> OptionalFromRequestParts<S>
    for PathParams<T>
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Option<Self>, ApiError> {
        <Path<T> as OptionalFromRequestParts<S>>::from_request_parts(parts, state)
            .await
            .map(|found| found.map(|Path(value)| PathParams(value)))
            .map_err(path_error)
    }
}

/// The TCP peer, when the server recorded one.
#[derive(Debug, Clone, Copy)]
pub struct Peer(pub Option<SocketAddr>);

impl<S: Send + Sync> FromRequestParts<S> for Peer {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Peer(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Login {
        login_id: Option<String>,
        #[serde(default)]
        no_jwt: bool,
    }

    fn field_codes(error: ApiError) -> Vec<String> {
        let ApiError::BadRequest(errors) = error else {
            panic!("expected 400, got {error:?}");
        };
        errors
            .field_errors
            .values()
            .flatten()
            .chain(&errors.general_errors)
            .map(|e| e.code.clone())
            .collect()
    }

    #[test]
    fn bodies_name_the_offending_field() {
        let cases: [(&[u8], &str); 5] = [
            (br#"{"loginId": "a", "loginId": "b"}"#, "[invalid]loginId"),
            (br#"{"loginId": "a\u0000"}"#, "[invalid]loginId"),
            (br#"{"noJwt": "yes"}"#, "[invalid]noJwt"),
            (b"{\"loginId\": ", "[invalidJSON]"),
            (b"[]", "[invalidJSON]"),
        ];
        for (body, code) in cases {
            let error = parse_json::<Login>(body).unwrap_err();
            assert_eq!(
                field_codes(error),
                [code],
                "{}",
                String::from_utf8_lossy(body)
            );
        }
        let empty: Login = parse_json(b"  ").unwrap();
        assert!(empty.login_id.is_none() && !empty.no_jwt);
    }

    #[test]
    fn declared_content_types_other_than_json_are_refused() {
        let mut headers = HeaderMap::new();
        for (content_type, accepted) in [
            ("application/json", true),
            ("Application/JSON; charset=UTF-8", true),
            ("application/merge-patch+json", true),
            ("text/plain", false),
            ("application/jsonp", false),
            ("application/x-www-form-urlencoded", false),
        ] {
            headers.insert(header::CONTENT_TYPE, content_type.parse().unwrap());
            let result = parse_body::<Login>(&headers, br#"{"loginId": "a"}"#);
            assert_eq!(result.is_ok(), accepted, "{content_type}");
        }
        // An empty body has no content to mistype.
        assert!(parse_body::<Login>(&headers, b"").is_ok());
    }

    #[derive(Debug, Deserialize)]
    struct Logout {
        global: Option<bool>,
    }

    #[test]
    fn query_strings_refuse_repeats_nul_and_wrong_types() {
        assert_eq!(
            parse_query::<Logout>("global=true").unwrap().global,
            Some(true)
        );
        for query in [
            "global=maybe",
            "global=true&global=false",
            "global=%00",
            "x=a%00",
        ] {
            let error = parse_query::<Logout>(query).unwrap_err();
            let codes = field_codes(error);
            assert!(codes[0].starts_with("[invalid]"), "{query}: {codes:?}");
        }
    }
}
