//! Access-token claims and refresh-token lifetimes, as FusionAuth issues them.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::config::{EffectiveJwt, RefreshTokenExpirationPolicy, RefreshTokenUsagePolicy};
use crate::model::{Registration, User};

/// FusionAuth's `authenticationType` claim values used by the login family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AuthenticationType {
    Password,
    OneTimePassword,
    RefreshToken,
    Ping,
    UserCreate,
    Registration,
}

impl AuthenticationType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Password => "PASSWORD",
            Self::OneTimePassword => "ONE_TIME_PASSWORD",
            Self::RefreshToken => "REFRESH_TOKEN",
            Self::Ping => "PING",
            Self::UserCreate => "USER_CREATE",
            Self::Registration => "REGISTRATION",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        [
            Self::Password,
            Self::OneTimePassword,
            Self::RefreshToken,
            Self::Ping,
            Self::UserCreate,
            Self::Registration,
        ]
        .into_iter()
        .find(|t| t.as_str() == value)
    }
}

/// The claims of an access token. Field names are FusionAuth's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccessClaims {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aud: Option<String>,
    pub exp: i64,
    pub iat: i64,
    pub iss: String,
    pub sub: String,
    pub jti: String,
    #[serde(rename = "authenticationType")]
    pub authentication_type: String,
    pub auth_time: i64,
    pub tid: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_verified: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred_username: Option<String>,
    #[serde(
        rename = "applicationId",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub application_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roles: Option<Vec<String>>,
    /// The refresh token's id, when one was issued alongside.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
}

/// Inputs of one access token.
#[derive(Debug, Clone, Copy)]
pub struct AccessGrant<'a> {
    pub user: &'a User,
    pub issuer: &'a str,
    pub application_id: Option<Uuid>,
    pub authentication_type: AuthenticationType,
    /// Epoch seconds of the original authentication; kept across refreshes.
    pub auth_time: i64,
    pub now_seconds: i64,
    pub time_to_live_in_seconds: i64,
    pub jti: Uuid,
    pub refresh_token_id: Option<Uuid>,
}

/// Builds the claims. `applicationId` and `roles` appear only for registered users, `aud`
/// whenever an application was named.
pub fn access_claims(grant: &AccessGrant<'_>) -> AccessClaims {
    let user = grant.user;
    let registration: Option<&Registration> =
        grant.application_id.and_then(|id| user.registration(id));
    AccessClaims {
        aud: grant.application_id.map(|id| id.to_string()),
        exp: grant
            .now_seconds
            .saturating_add(grant.time_to_live_in_seconds),
        iat: grant.now_seconds,
        iss: grant.issuer.to_owned(),
        sub: user.id.to_string(),
        jti: grant.jti.to_string(),
        authentication_type: grant.authentication_type.as_str().to_owned(),
        auth_time: grant.auth_time,
        tid: user.tenant_id.to_string(),
        email: user.email.clone(),
        email_verified: user.email.as_ref().map(|_| user.verified),
        preferred_username: user.username.clone(),
        application_id: registration.map(|r| r.application_id.to_string()),
        roles: registration.map(|r| r.roles.clone()),
        sid: grant.refresh_token_id.map(|id| id.to_string()),
    }
}

/// A stored refresh token's timing facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefreshTiming {
    pub insert_instant: i64,
    pub last_used_instant: i64,
}

/// When the token expires under the effective policy (epoch millis).
pub fn refresh_expiry(timing: RefreshTiming, jwt: &EffectiveJwt) -> i64 {
    let ttl = jwt
        .refresh_token_time_to_live_in_minutes
        .saturating_mul(60_000);
    let start = match jwt.refresh_token_expiration_policy {
        RefreshTokenExpirationPolicy::Fixed => timing.insert_instant,
        RefreshTokenExpirationPolicy::SlidingWindow => timing.last_used_instant,
    };
    start.saturating_add(ttl)
}

/// Which tokens have expired at some instant, as bounds a store can search by: a token
/// has expired when it was issued at or before `issued_by` and last used at or before
/// `used_by`. Bounding the issue instant under both policies lets a sweep walk tokens
/// in the order they were issued and stop at the bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefreshExpiredBy {
    pub issued_by: i64,
    pub used_by: i64,
}

/// The bounds that select exactly the tokens [`refresh_expiry`] puts at or before `now`
/// (a token is never used before it is issued).
pub fn refresh_expired_by(jwt: &EffectiveJwt, now: i64) -> RefreshExpiredBy {
    let window_start = now.saturating_sub(
        jwt.refresh_token_time_to_live_in_minutes
            .saturating_mul(60_000),
    );
    match jwt.refresh_token_expiration_policy {
        RefreshTokenExpirationPolicy::Fixed => RefreshExpiredBy {
            issued_by: window_start,
            used_by: i64::MAX,
        },
        RefreshTokenExpirationPolicy::SlidingWindow => RefreshExpiredBy {
            issued_by: window_start,
            used_by: window_start,
        },
    }
}

/// What `/api/jwt/refresh` does with a presented token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefreshDecision {
    /// 400: unknown, expired, or the application does not allow refresh.
    Reject,
    /// Issue an access token; `rotate` replaces the token's value (one-time use).
    Accept { rotate: bool, expires_at: i64 },
}

pub fn decide_refresh(
    timing: RefreshTiming,
    jwt: &EffectiveJwt,
    allow_token_refresh: bool,
    now: i64,
) -> RefreshDecision {
    if !allow_token_refresh || refresh_expiry(timing, jwt) <= now {
        return RefreshDecision::Reject;
    }
    let used = RefreshTiming {
        last_used_instant: now,
        ..timing
    };
    RefreshDecision::Accept {
        rotate: jwt.refresh_token_usage_policy == RefreshTokenUsagePolicy::OneTimeUse,
        expires_at: refresh_expiry(used, jwt),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(
        usage: RefreshTokenUsagePolicy,
        expiration: RefreshTokenExpirationPolicy,
    ) -> EffectiveJwt {
        EffectiveJwt {
            key_id: None,
            time_to_live_in_seconds: 3600,
            refresh_token_time_to_live_in_minutes: 10,
            refresh_token_usage_policy: usage,
            refresh_token_expiration_policy: expiration,
        }
    }

    #[test]
    fn fixed_window_counts_from_issue_and_sliding_from_last_use() {
        let timing = RefreshTiming {
            insert_instant: 0,
            last_used_instant: 500_000,
        };
        let fixed = jwt(
            RefreshTokenUsagePolicy::Reusable,
            RefreshTokenExpirationPolicy::Fixed,
        );
        let sliding = jwt(
            RefreshTokenUsagePolicy::Reusable,
            RefreshTokenExpirationPolicy::SlidingWindow,
        );
        assert_eq!(refresh_expiry(timing, &fixed), 600_000);
        assert_eq!(refresh_expiry(timing, &sliding), 1_100_000);
        assert_eq!(
            decide_refresh(timing, &fixed, true, 600_000),
            RefreshDecision::Reject
        );
        assert_eq!(
            decide_refresh(timing, &sliding, true, 600_000),
            RefreshDecision::Accept {
                rotate: false,
                expires_at: 1_200_000
            }
        );
    }

    #[test]
    fn the_expiry_bounds_select_exactly_the_expired_tokens() {
        let instants = [0, 299_999, 300_000, 300_001, 600_000, 900_000];
        for expiration in [
            RefreshTokenExpirationPolicy::Fixed,
            RefreshTokenExpirationPolicy::SlidingWindow,
        ] {
            let jwt = jwt(RefreshTokenUsagePolicy::Reusable, expiration);
            for now in instants.map(|i| i + 600_000) {
                let bounds = refresh_expired_by(&jwt, now);
                for insert_instant in instants {
                    for last_used_instant in instants.into_iter().filter(|&u| u >= insert_instant) {
                        let timing = RefreshTiming {
                            insert_instant,
                            last_used_instant,
                        };
                        assert_eq!(
                            insert_instant <= bounds.issued_by
                                && last_used_instant <= bounds.used_by,
                            refresh_expiry(timing, &jwt) <= now,
                            "{expiration:?} at {now}: {timing:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn one_time_use_rotates_and_disallowed_refresh_rejects() {
        let timing = RefreshTiming {
            insert_instant: 0,
            last_used_instant: 0,
        };
        let once = jwt(
            RefreshTokenUsagePolicy::OneTimeUse,
            RefreshTokenExpirationPolicy::Fixed,
        );
        assert_eq!(
            decide_refresh(timing, &once, true, 1),
            RefreshDecision::Accept {
                rotate: true,
                expires_at: 600_000
            }
        );
        assert_eq!(
            decide_refresh(timing, &once, false, 1),
            RefreshDecision::Reject
        );
    }
}
