//! What a login returns, decided over plain data.
//!
//! The sidecar loads the user and counters, verifies the password off the async workers,
//! then asks this module what to answer and what to persist. Nothing here reads a clock
//! or a database: `now` (epoch millis) and every piece of state are arguments.
//!
//! The order of checks after a correct password is FusionAuth's, as far as its docs show
//! it (the two-factor endpoint lists 203/212/213/202/409/410, so those come after the
//! challenge): 410 → 423 → 409 → 242 → 203 → 212 → 213 → 202 → 200.

use serde_json::{json, Value};
use uuid::Uuid;

use crate::config::{
    ApplicationConfig, FailedAuthenticationConfiguration, MultiFactorLoginPolicy, TenantConfig,
};
use crate::model::{ChangePasswordReason, User};

/// The id of the built-in "prevent login" action applied by the failed-authentication
/// lockout. Fixed so that clients can recognise it in 409 bodies.
pub const LOCKOUT_ACTION_ID: Uuid = Uuid::from_u128(0x5c3f_8a5e_0000_4000_8000_0000_0000_0409);

/// Whether this login request needs an API key: the application's setting when the
/// request names an application, else the tenant's.
pub fn requires_api_key(tenant: &TenantConfig, application: Option<&ApplicationConfig>) -> bool {
    match application {
        Some(app) => app.login_configuration.require_authentication,
        None => tenant.login_configuration.require_authentication,
    }
}

/// Failed-attempt bookkeeping for one account (not one spelling of its login id).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FailureState {
    pub count: i64,
    pub last_failure_instant: i64,
    pub locked_until: Option<i64>,
}

impl FailureState {
    /// The instant the current lock ends, if a lock is in force at `now`.
    pub fn active_lock(&self, now: i64) -> Option<i64> {
        self.locked_until.filter(|until| *until > now)
    }
}

/// The state after one more failed password at `now`, and whether that failure started a
/// new lock (FusionAuth then revokes the user's refresh tokens).
///
/// A failure while locked restarts the lock's duration, as FusionAuth documents. The count
/// resets after `resetCountInSeconds` without a failure, and after a lock has run out.
pub fn record_failure(
    previous: Option<FailureState>,
    now: i64,
    settings: &FailedAuthenticationConfiguration,
) -> (FailureState, bool) {
    let duration = settings.lock_duration_millis();
    let reset_window = settings.reset_count_in_seconds.saturating_mul(1000);
    let (count, was_locked) = match previous {
        Some(state) if state.active_lock(now).is_some() => (state.count.saturating_add(1), true),
        Some(state)
            if state.locked_until.is_none()
                && now.saturating_sub(state.last_failure_instant) <= reset_window =>
        {
            (state.count.saturating_add(1), false)
        }
        _ => (1, false),
    };
    let locks = settings.enabled && (was_locked || count >= settings.too_many_attempts);
    let state = FailureState {
        count,
        last_failure_instant: now,
        locked_until: locks.then(|| now.saturating_add(duration)),
    };
    (state, locks && !was_locked)
}

/// The body of a 409: the lockout expressed as FusionAuth's `LoginPreventedResponse`.
pub fn prevented_login_body(locked_until: i64) -> Value {
    json!({
        "actions": [{
            "actionId": LOCKOUT_ACTION_ID.to_string(),
            "expiry": locked_until,
            "localizedName": "Prevent Login Action",
            "name": "Prevent Login Action",
            "localizedReason": "Too many failed login attempts",
            "reason": "Too many failed login attempts",
            "reasonCode": "failed_authentication",
        }]
    })
}

/// 2xx outcomes that authenticate the user (and so may carry tokens).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Authenticated {
    /// 200
    Registered,
    /// 202: authenticated, not registered for the requested application.
    NotRegistered,
    /// 212: the tenant verifies email and the user's is not verified.
    EmailNotVerified,
    /// 213: the application verifies registrations and this one is not verified.
    RegistrationNotVerified,
}

impl Authenticated {
    pub fn status(self) -> u16 {
        match self {
            Self::Registered => 200,
            Self::NotRegistered => 202,
            Self::EmailNotVerified => 212,
            Self::RegistrationNotVerified => 213,
        }
    }
}

/// The outcome of a login once the user has proven who they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginDecision {
    /// 410
    Expired,
    /// 423: deactivated ("soft deleted").
    Deactivated,
    /// 409, with the lock's end.
    Prevented {
        locked_until: i64,
    },
    /// 242
    TwoFactorRequired,
    /// 203
    ChangePasswordRequired(ChangePasswordReason),
    Authenticated(Authenticated),
}

impl LoginDecision {
    pub fn status(self) -> u16 {
        match self {
            Self::Expired => 410,
            Self::Deactivated => 423,
            Self::Prevented { .. } => 409,
            Self::TwoFactorRequired => 242,
            Self::ChangePasswordRequired(_) => 203,
            Self::Authenticated(kind) => kind.status(),
        }
    }
}

/// Everything the post-authentication decision depends on.
#[derive(Debug, Clone, Copy)]
pub struct LoginFacts<'a> {
    pub now: i64,
    pub tenant: &'a TenantConfig,
    pub application: Option<&'a ApplicationConfig>,
    pub user: &'a User,
    pub failures: Option<FailureState>,
    /// A valid trust id for this user came with the request.
    pub two_factor_trusted: bool,
    /// The request *is* the second factor (`/api/two-factor/login`).
    pub two_factor_completed: bool,
    /// The presented password fails the tenant's current rules (only computed when
    /// `validateOnLogin` is on, since it needs the plaintext).
    pub password_fails_rules: bool,
}

pub fn decide(facts: &LoginFacts<'_>) -> LoginDecision {
    let user = facts.user;
    if user.expiry.is_some_and(|expiry| expiry <= facts.now) {
        return LoginDecision::Expired;
    }
    if !user.active {
        return LoginDecision::Deactivated;
    }
    if let Some(locked_until) = facts.failures.and_then(|f| f.active_lock(facts.now)) {
        return LoginDecision::Prevented { locked_until };
    }
    let challenge = facts.tenant.multi_factor_configuration.login_policy
        == MultiFactorLoginPolicy::Enabled
        && user.has_two_factor();
    if challenge && !facts.two_factor_completed && !facts.two_factor_trusted {
        return LoginDecision::TwoFactorRequired;
    }
    if let Some(reason) = change_password_reason(facts) {
        return LoginDecision::ChangePasswordRequired(reason);
    }
    if facts.tenant.email_configuration.verify_email && user.email.is_some() && !user.verified {
        return LoginDecision::Authenticated(Authenticated::EmailNotVerified);
    }
    let Some(application) = facts.application else {
        return LoginDecision::Authenticated(Authenticated::Registered);
    };
    match user.registration(application.id) {
        None => LoginDecision::Authenticated(Authenticated::NotRegistered),
        Some(registration) if application.verify_registration && !registration.verified => {
            LoginDecision::Authenticated(Authenticated::RegistrationNotVerified)
        }
        Some(_) => LoginDecision::Authenticated(Authenticated::Registered),
    }
}

fn change_password_reason(facts: &LoginFacts<'_>) -> Option<ChangePasswordReason> {
    let user = facts.user;
    if user.password_change_required {
        return Some(
            user.password_change_reason
                .unwrap_or(ChangePasswordReason::Administrative),
        );
    }
    let age = &facts.tenant.maximum_password_age;
    if age.enabled {
        let max_age = age.days.saturating_mul(86_400_000);
        let changed = user
            .password_last_update_instant
            .unwrap_or(user.insert_instant);
        if facts.now.saturating_sub(changed) > max_age {
            return Some(ChangePasswordReason::Expired);
        }
    }
    if facts.tenant.password_validation_rules.validate_on_login && facts.password_fails_rules {
        return Some(ChangePasswordReason::Validation);
    }
    None
}

/// Which tokens an authenticated login hands out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenPlan {
    pub access_token: bool,
    pub refresh_token: bool,
}

/// `noJWT` suppresses both tokens; a refresh token needs an application, a registration
/// and the application's `generateRefreshTokens`.
pub fn token_plan(
    outcome: Authenticated,
    no_jwt: bool,
    application: Option<&ApplicationConfig>,
    user: &User,
) -> TokenPlan {
    let registered = outcome != Authenticated::NotRegistered
        && application.is_some_and(|app| user.registration(app.id).is_some());
    let refresh = !no_jwt
        && registered
        && application.is_some_and(|app| app.login_configuration.generate_refresh_tokens);
    TokenPlan {
        access_token: !no_jwt,
        refresh_token: refresh,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::model::{Registration, TwoFactorMethod};

    const NOW: i64 = 1_700_000_000_000;

    /// One change to the 200 case's user or facts.
    type Change = dyn Fn(&mut User, &mut LoginFacts<'_>);

    fn config() -> Config {
        Config::parse(
            r#"
keys: [{id: 0d3b8a57-6c0e-4f5e-9d8b-3c2a1b0f9e8d, algorithm: HS256, secret: MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE=}]
tenants:
  - id: 6b9a8a57-6c0e-4f5e-9d8b-3c2a1b0f9e8d
    name: Default
    applications:
      - {id: 3c218a57-6c0e-4f5e-9d8b-3c2a1b0f9e8d, name: Shop, loginConfiguration: {generateRefreshTokens: true}}
"#,
        )
        .unwrap()
    }

    /// A registered, active, verified user: the 200 case. Tests change one thing each.
    fn user(app: Uuid) -> User {
        User {
            id: Uuid::from_u128(1),
            tenant_id: Uuid::from_u128(2),
            email: Some("a@example.com".into()),
            username: None,
            active: true,
            verified: true,
            expiry: None,
            password_change_required: false,
            password_change_reason: None,
            password_last_update_instant: Some(NOW - 1000),
            insert_instant: NOW - 1000,
            last_update_instant: NOW - 1000,
            last_login_instant: None,
            profile: Default::default(),
            registrations: vec![Registration {
                id: Uuid::from_u128(3),
                application_id: app,
                roles: vec!["user".into()],
                verified: true,
                insert_instant: NOW - 1000,
                last_login_instant: None,
                profile: Default::default(),
            }],
            two_factor_methods: vec![],
        }
    }

    fn decide_with(
        config: &Config,
        with_app: bool,
        change: impl FnOnce(&mut User, &mut LoginFacts<'_>),
    ) -> LoginDecision {
        let tenant = &config.tenants[0];
        let app = &tenant.applications[0];
        let mut u = user(app.id);
        let mut facts = LoginFacts {
            now: NOW,
            tenant,
            application: with_app.then_some(app),
            user: &user(app.id),
            failures: None,
            two_factor_trusted: false,
            two_factor_completed: false,
            password_fails_rules: false,
        };
        change(&mut u, &mut facts);
        facts.user = &u;
        decide(&facts)
    }

    #[test]
    fn each_status_code_has_its_trigger() {
        let c = config();
        let mfa = |u: &mut User| {
            u.two_factor_methods.push(TwoFactorMethod {
                id: "AB12".into(),
                secret: "c2VjcmV0".into(),
            })
        };
        let cases: Vec<(&str, u16, Box<Change>)> = vec![
            ("plain", 200, Box::new(|_, _| {})),
            ("expired", 410, Box::new(|u, _| u.expiry = Some(NOW))),
            ("deactivated", 423, Box::new(|u, _| u.active = false)),
            (
                "locked",
                409,
                Box::new(|_, f| {
                    f.failures = Some(FailureState {
                        count: 5,
                        last_failure_instant: NOW,
                        locked_until: Some(NOW + 1),
                    })
                }),
            ),
            ("two factor", 242, Box::new(move |u, _| mfa(u))),
            (
                "trusted device skips two factor",
                200,
                Box::new(move |u, f| {
                    mfa(u);
                    f.two_factor_trusted = true
                }),
            ),
            (
                "admin change",
                203,
                Box::new(|u, _| u.password_change_required = true),
            ),
            (
                "not registered",
                202,
                Box::new(|u, _| u.registrations.clear()),
            ),
        ];
        for (name, status, change) in cases {
            assert_eq!(
                decide_with(&c, true, |u, f| change(u, f)).status(),
                status,
                "{name}"
            );
        }
    }

    #[test]
    fn precedence_follows_fusionauth_order() {
        let c = config();
        // expired beats deactivated beats locked beats everything else
        let d = decide_with(&c, true, |u, f| {
            u.expiry = Some(NOW - 1);
            u.active = false;
            f.failures = Some(FailureState {
                count: 9,
                last_failure_instant: NOW,
                locked_until: Some(NOW + 10),
            });
        });
        assert_eq!(d, LoginDecision::Expired);
        let d = decide_with(&c, true, |u, f| {
            u.active = false;
            f.failures = Some(FailureState {
                count: 9,
                last_failure_instant: NOW,
                locked_until: Some(NOW + 10),
            });
        });
        assert_eq!(d, LoginDecision::Deactivated);
        // the challenge comes before the change-password demand
        let d = decide_with(&c, true, |u, _| {
            u.password_change_required = true;
            u.two_factor_methods.push(TwoFactorMethod {
                id: "X".into(),
                secret: "eA==".into(),
            });
        });
        assert_eq!(d, LoginDecision::TwoFactorRequired);
        // ... and once the second factor is done, 203 follows
        let d = decide_with(&c, true, |u, f| {
            u.password_change_required = true;
            u.two_factor_methods.push(TwoFactorMethod {
                id: "X".into(),
                secret: "eA==".into(),
            });
            f.two_factor_completed = true;
        });
        assert_eq!(
            d,
            LoginDecision::ChangePasswordRequired(ChangePasswordReason::Administrative)
        );
        // an expired lock no longer prevents login
        let d = decide_with(&c, true, |_, f| {
            f.failures = Some(FailureState {
                count: 5,
                last_failure_instant: NOW - 10,
                locked_until: Some(NOW),
            });
        });
        assert_eq!(d.status(), 200);
    }

    #[test]
    fn change_password_reasons() {
        let mut c = config();
        let d = decide_with(&c, true, |u, _| {
            u.password_change_required = true;
            u.password_change_reason = Some(ChangePasswordReason::Breached);
        });
        assert_eq!(
            d,
            LoginDecision::ChangePasswordRequired(ChangePasswordReason::Breached)
        );

        c.tenants[0].maximum_password_age.enabled = true;
        c.tenants[0].maximum_password_age.days = 1;
        let d = decide_with(&c, true, |u, _| {
            u.password_last_update_instant = Some(NOW - 86_400_001)
        });
        assert_eq!(
            d,
            LoginDecision::ChangePasswordRequired(ChangePasswordReason::Expired)
        );
        let d = decide_with(&c, true, |u, _| {
            u.password_last_update_instant = Some(NOW - 86_400_000)
        });
        assert_eq!(d.status(), 200);

        let d = decide_with(&c, true, |_, f| f.password_fails_rules = true);
        assert_eq!(d.status(), 200, "validation reason needs validateOnLogin");
        c.tenants[0].password_validation_rules.validate_on_login = true;
        let d = decide_with(&c, true, |_, f| f.password_fails_rules = true);
        assert_eq!(
            d,
            LoginDecision::ChangePasswordRequired(ChangePasswordReason::Validation)
        );
    }

    #[test]
    fn verification_gates_report_212_then_213() {
        let mut c = config();
        c.tenants[0].email_configuration.verify_email = true;
        c.tenants[0].applications[0].verify_registration = true;
        let d = decide_with(&c, true, |u, _| {
            u.verified = false;
            u.registrations[0].verified = false;
        });
        assert_eq!(d.status(), 212);
        let d = decide_with(&c, true, |u, _| u.registrations[0].verified = false);
        assert_eq!(d.status(), 213);
        // email gate applies without an application too; registration gate cannot
        assert_eq!(
            decide_with(&c, false, |u, _| u.verified = false).status(),
            212
        );
        assert_eq!(
            decide_with(&c, false, |u, _| u.registrations[0].verified = false).status(),
            200
        );
        // settings off: nothing to report
        let c = config();
        assert_eq!(
            decide_with(&c, true, |u, _| u.verified = false).status(),
            200
        );
    }

    #[test]
    fn require_authentication_comes_from_application_else_tenant() {
        let mut c = config();
        c.tenants[0].login_configuration.require_authentication = false;
        let tenant = &c.tenants[0];
        assert!(requires_api_key(tenant, Some(&tenant.applications[0])));
        assert!(!requires_api_key(tenant, None));
        let mut app = tenant.applications[0].clone();
        app.login_configuration.require_authentication = false;
        assert!(!requires_api_key(&config().tenants[0], Some(&app)));
        assert!(requires_api_key(&config().tenants[0], None));
    }

    #[test]
    fn refresh_tokens_need_application_registration_setting_and_jwt() {
        let c = config();
        let app = &c.tenants[0].applications[0];
        let u = user(app.id);
        let plan = token_plan(Authenticated::Registered, false, Some(app), &u);
        assert_eq!(
            plan,
            TokenPlan {
                access_token: true,
                refresh_token: true
            }
        );
        assert!(!token_plan(Authenticated::Registered, false, None, &u).refresh_token);
        assert_eq!(
            token_plan(Authenticated::Registered, true, Some(app), &u),
            TokenPlan {
                access_token: false,
                refresh_token: false
            }
        );
        assert!(!token_plan(Authenticated::NotRegistered, false, Some(app), &u).refresh_token);
        let mut off = app.clone();
        off.login_configuration.generate_refresh_tokens = false;
        assert!(!token_plan(Authenticated::Registered, false, Some(&off), &u).refresh_token);
    }

    #[test]
    fn lockout_engages_at_exactly_the_configured_count() {
        let settings = FailedAuthenticationConfiguration::default();
        let mut state = None;
        for attempt in 1..=5 {
            let (next, started) = record_failure(state, NOW + attempt, &settings);
            assert_eq!(next.count, attempt);
            assert_eq!(started, attempt == 5, "attempt {attempt}");
            assert_eq!(next.active_lock(NOW + attempt).is_some(), attempt == 5);
            state = Some(next);
        }
        let locked = state.unwrap();
        assert_eq!(locked.locked_until, Some(NOW + 5 + 3 * 60_000));
        // a failure while locked restarts the duration and is not a new lock
        let (again, started) = record_failure(state, NOW + 60_000, &settings);
        assert!(!started);
        assert_eq!(again.locked_until, Some(NOW + 60_000 + 180_000));
        // once the lock ran out, counting starts over
        let (fresh, _) = record_failure(Some(again), NOW + 60_000 + 180_001, &settings);
        assert_eq!((fresh.count, fresh.locked_until), (1, None));
    }

    #[test]
    fn failure_count_resets_after_the_quiet_window() {
        let settings = FailedAuthenticationConfiguration::default();
        let (first, _) = record_failure(None, NOW, &settings);
        let (second, _) = record_failure(Some(first), NOW + 60_000, &settings);
        assert_eq!(second.count, 2);
        let (third, _) = record_failure(Some(second), NOW + 120_001, &settings);
        assert_eq!(third.count, 1);
    }

    #[test]
    fn disabled_lockout_counts_but_never_locks() {
        let settings = FailedAuthenticationConfiguration {
            enabled: false,
            ..Default::default()
        };
        let mut state = None;
        for attempt in 1..=10 {
            let (next, started) = record_failure(state, NOW + attempt, &settings);
            assert!(!started && next.locked_until.is_none());
            state = Some(next);
        }
    }

    #[test]
    fn prevented_body_names_the_lockout_action() {
        let body = prevented_login_body(NOW);
        assert_eq!(
            body["actions"][0]["actionId"],
            LOCKOUT_ACTION_ID.to_string()
        );
        assert_eq!(body["actions"][0]["expiry"], NOW);
    }
}
