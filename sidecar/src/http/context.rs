//! Who is calling and for which tenant: API keys, `X-FusionAuth-TenantId`, client IPs,
//! and the cookies the login family writes.

use std::net::SocketAddr;

use authlet_core::config::{ApplicationConfig, TenantConfig};
use authlet_core::errors::Errors;
use authlet_core::secrets::ApiKeyScope;
use axum::http::{header, HeaderMap, HeaderValue};
use cookie::time::Duration as CookieDuration;
use cookie::{Cookie, SameSite};
use uuid::Uuid;

use super::error::ApiError;
use crate::state::Runtime;

pub const TENANT_HEADER: &str = "x-fusionauth-tenantid";

/// The caller's credentials as presented.
#[derive(Debug, Clone)]
pub struct Caller {
    /// A valid API key's scope; `None` when no key (or a bearer token) was sent.
    pub api_key: Option<ApiKeyScope>,
    /// An `Authorization` value that is neither a valid key nor a bearer token.
    pub bad_key: bool,
    pub bearer: Option<String>,
    pub tenant_header: Option<Uuid>,
}

impl Caller {
    pub fn from_headers(runtime: &Runtime, headers: &HeaderMap) -> Result<Self, ApiError> {
        let authorization = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .filter(|v| !v.is_empty());
        let (api_key, bad_key, bearer) = match authorization {
            None => (None, false, None),
            Some(value) => match value
                .strip_prefix("Bearer ")
                .or_else(|| value.strip_prefix("bearer "))
            {
                Some(token) => (None, false, Some(token.trim().to_owned())),
                None => match runtime.api_keys.authenticate(value) {
                    Some(scope) => (Some(scope), false, None),
                    None => (None, true, None),
                },
            },
        };
        let tenant_header = match headers.get(TENANT_HEADER) {
            None => None,
            Some(value) => Some(
                value
                    .to_str()
                    .ok()
                    .and_then(|v| Uuid::parse_str(v.trim()).ok())
                    .ok_or_else(|| {
                        ApiError::field(
                            "tenantId",
                            "invalid",
                            "X-FusionAuth-TenantId is not a valid UUID.",
                        )
                    })?,
            ),
        };
        Ok(Self {
            api_key,
            bad_key,
            bearer,
            tenant_header,
        })
    }

    /// Requires a valid API key (401 otherwise).
    pub fn require_key(&self) -> Result<ApiKeyScope, ApiError> {
        self.api_key.ok_or_else(ApiError::unauthorized)
    }

    /// The tenant the caller is confined to: a tenant-locked key's, else the header's.
    /// A header naming another tenant than the key's is refused.
    pub fn tenant_scope(&self) -> Result<Option<Uuid>, ApiError> {
        match (self.api_key.and_then(|k| k.tenant_id), self.tenant_header) {
            (Some(locked), Some(header)) if locked != header => Err(ApiError::unauthorized()),
            (Some(locked), _) => Ok(Some(locked)),
            (None, header) => Ok(header),
        }
    }
}

/// Resolves the tenant (and application) a request is about.
///
/// An application id decides the tenant (and must belong to the caller's scope); else
/// the scope; else the only tenant; else 400 `[TenantIdRequired]`.
pub fn resolve_tenant<'a>(
    runtime: &'a Runtime,
    caller: &Caller,
    application_id: Option<Uuid>,
) -> Result<(&'a TenantConfig, Option<&'a ApplicationConfig>), ApiError> {
    let scope = caller.tenant_scope()?;
    if let Some(application_id) = application_id {
        return match runtime.config.application(application_id) {
            Some((tenant, application)) if scope.is_none_or(|s| s == tenant.id) => {
                Ok((tenant, Some(application)))
            }
            _ => Err(ApiError::field(
                "applicationId",
                "invalid",
                format!("No Application exists with the Id [{application_id}]."),
            )),
        };
    }
    tenant_only(runtime, scope).map(|tenant| (tenant, None))
}

pub fn tenant_only(runtime: &Runtime, scope: Option<Uuid>) -> Result<&TenantConfig, ApiError> {
    match scope {
        Some(id) => runtime.config.tenant(id).ok_or_else(|| {
            ApiError::field(
                "tenantId",
                "invalid",
                format!("No Tenant exists with the Id [{id}]."),
            )
        }),
        None => match runtime.config.tenants.as_slice() {
            [only] => Ok(only),
            _ => Err(ApiError::BadRequest(Errors::tenant_id_required())),
        },
    }
}

/// The end user's address: the body's, else `X-Forwarded-For`'s first hop, else the peer.
pub fn client_ip(
    body: Option<&str>,
    headers: &HeaderMap,
    peer: Option<SocketAddr>,
) -> Option<String> {
    body.map(str::trim)
        .filter(|ip| !ip.is_empty())
        .map(str::to_owned)
        .or_else(|| {
            headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split(',').next())
                .map(str::trim)
                .filter(|ip| !ip.is_empty())
                .map(str::to_owned)
        })
        .or_else(|| peer.map(|p| p.ip().to_string()))
}

pub fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_owned())
}

/// Builds `Set-Cookie` values with the attributes FusionAuth uses: `Path=/; HttpOnly;
/// SameSite=Lax`, `Secure` when configured or when the request came over HTTPS.
#[derive(Debug, Clone)]
pub struct CookieJar {
    secure: bool,
    domain: Option<String>,
    pub values: Vec<HeaderValue>,
}

impl CookieJar {
    pub fn new(runtime: &Runtime, headers: &HeaderMap) -> Self {
        let forwarded_https = headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.eq_ignore_ascii_case("https"));
        Self {
            secure: runtime.config.cookies.secure
                || runtime.config.tls.is_some()
                || forwarded_https,
            domain: runtime.config.cookies.domain.clone(),
            values: Vec::new(),
        }
    }

    /// A cookie with the shared attributes; `max_age_seconds: None` makes it a session
    /// cookie.
    pub fn set(&mut self, name: &'static str, value: String, max_age_seconds: Option<i64>) {
        let mut cookie = self.base(name, value);
        if let Some(seconds) = max_age_seconds {
            cookie.set_max_age(CookieDuration::seconds(seconds));
            cookie.set_expires(
                cookie::time::OffsetDateTime::now_utc() + CookieDuration::seconds(seconds),
            );
        }
        self.push(&cookie);
    }

    /// Tells the client to drop a cookie.
    pub fn remove(&mut self, name: &'static str) {
        let mut cookie = self.base(name, String::new());
        cookie.make_removal();
        self.push(&cookie);
    }

    fn base(&self, name: &'static str, value: String) -> Cookie<'static> {
        let mut cookie = Cookie::build((name, value))
            .path("/")
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(self.secure)
            .build();
        if let Some(domain) = &self.domain {
            cookie.set_domain(domain.clone());
        }
        cookie
    }

    fn push(&mut self, cookie: &Cookie<'_>) {
        if let Ok(value) = HeaderValue::from_str(&cookie.to_string()) {
            self.values.push(value);
        }
    }

    pub fn apply(self, response: &mut axum::response::Response) {
        for value in self.values {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
}
