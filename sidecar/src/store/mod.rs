//! Persistence: everything that must survive a restart or be shared by replicas.
//!
//! SQLite is the embedded default; PostgreSQL is for replicas that share one store. Both
//! run the same statements (see [`sql`]), each with its own migrations, and
//! `sqlx::Error` is mapped to [`StoreError`] in one place.

mod sql;
mod timing;

pub use sql::{Backend, SqlStore as Store};
pub use timing::{Access, OperationLabels, StoreMetrics};

use authlet_core::login::FailureState;
use authlet_core::model::User;
use serde_json::Value;
use uuid::Uuid;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A unique value (email, username, registration) is already taken.
    #[error("duplicate {0}")]
    Duplicate(&'static str),
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// A row the write refers to (a user, most often) was deleted while the request was
    /// under way: a foreign key has nothing to point at. The database is fine.
    #[error("a row this write refers to is gone: {0}")]
    Gone(String),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Kinds of short-lived identifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentifierKind {
    TwoFactor,
    ChangePassword,
    OneTimePassword,
    TwoFactorTrust,
    TrustToken,
}

impl IdentifierKind {
    fn as_str(self) -> &'static str {
        match self {
            Self::TwoFactor => "two_factor",
            Self::ChangePassword => "change_password",
            Self::OneTimePassword => "one_time_password",
            Self::TwoFactorTrust => "two_factor_trust",
            Self::TrustToken => "trust_token",
        }
    }
}

/// A live identifier: whose it is and what was stored with it.
#[derive(Debug, Clone, PartialEq)]
pub struct IdentifierRecord {
    pub user_id: Uuid,
    pub data: Value,
    pub attempts: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RefreshTokenRecord {
    pub id: Uuid,
    pub user_id: Uuid,
    pub application_id: Uuid,
    pub tenant_id: Uuid,
    pub insert_instant: i64,
    pub last_used_instant: i64,
    /// Epoch seconds of the authentication that started this token's session.
    pub auth_time: i64,
    pub metadata: Value,
}

/// What a presented refresh-token value turned out to be: `T` is what was read of a live
/// token (the token's row, or with it its user: see [`Store::find_refresh_token_with_user`]).
#[derive(Debug, Clone, PartialEq)]
pub enum RefreshLookup<T = RefreshTokenRecord> {
    Live(T),
    /// A value already rotated away: reuse of a one-time token.
    Retired {
        refresh_token_id: Uuid,
    },
    Unknown,
}

/// Where a sweep of one application's expired refresh tokens goes on from: the last
/// token it looked at, in the order tokens were issued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefreshSweepPosition {
    insert_instant: i64,
    id: String,
}

/// One window of that sweep: how many tokens it deleted, and where the next window
/// starts (`None` once every token issued by the bound has been looked at).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefreshSweepStep {
    pub deleted: u64,
    pub next: Option<RefreshSweepPosition>,
}

/// One successful login, for history, search and export.
#[derive(Debug, Clone, PartialEq)]
pub struct LoginRecord {
    pub tenant_id: Uuid,
    pub user_id: Uuid,
    pub application_id: Option<Uuid>,
    pub application_name: Option<String>,
    pub login_id: String,
    pub instant: i64,
    pub ip_address: Option<String>,
}

/// The columns of one exported login record, borrowed from the database's row: an
/// export of millions of rows allocates nothing per row on SQLite.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportRow<'a> {
    pub user_id: &'a str,
    pub login_id: &'a str,
    pub application_id: Option<&'a str>,
    pub ip_address: Option<&'a str>,
    pub instant: i64,
}

/// A position in the login-record order (newest first), for keyset paging.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordCursor {
    pub instant: i64,
    pub id: i64,
}

/// The effect of a successful login on the user: counters cleared, instants moved, and
/// optionally the password re-hashed under the tenant's current scheme.
#[derive(Debug, Clone)]
pub struct LoginSuccess {
    pub user_id: Uuid,
    pub application_id: Option<Uuid>,
    pub now: i64,
    pub rehash: Option<authlet_core::password::PasswordHash>,
    pub record: LoginRecord,
    /// A refresh token issued by this login, with the hash of its value.
    pub refresh_token: Option<(RefreshTokenRecord, String)>,
    /// Identifiers the login hands out (two-factor completion's trust token), stored in
    /// the login's own write: one write fewer, and none stored for a login that fails.
    pub identifiers: Vec<NewIdentifier>,
}

/// A pending login with what finishing it needs first: see [`Store::pending_login`].
#[derive(Debug, Clone, PartialEq)]
pub struct PendingLogin {
    pub identifier: IdentifierRecord,
    pub user: User,
    pub failures: Option<FailureState>,
}

/// What a two-factor code proved, to be used up by the completion it allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecondFactor {
    /// A TOTP code of one of the user's methods, matching time step `step`.
    TotpStep { method_id: String, step: u64 },
    /// One of the user's recovery codes, by its hash.
    RecoveryCode { code_hash: String },
}

/// What [`Store::use_second_factor`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecondFactorUse {
    /// The code had been used already (its step or a later one, or the recovery code):
    /// nothing changed.
    Spent,
    /// The code is used up, but its pending login was gone (another request consumed
    /// it, or it expired): nothing else was written.
    PendingGone,
    /// The code is used up, the pending login consumed, and the login's write made.
    Completed,
    /// The user was locked when the write ran, until this instant: nothing changed.
    Locked { until: i64 },
}

/// What a decided login writes: see `http::flow::decide`.
#[derive(Debug, Clone)]
pub enum LoginWrite {
    /// Nothing: the login is refused (expired, deactivated, locked).
    Nothing,
    /// The identifier of the step the login continues with (two-factor, change-password).
    Step(NewIdentifier),
    /// An authenticated login's changes.
    Success(Box<LoginSuccess>),
}

/// What [`Store::write_login`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginWritten {
    /// The login's write is made (or it had none).
    Written,
    /// The user was locked when the write ran, until this instant: nothing was written.
    Locked { until: i64 },
}

/// A user about to log in by password, with the stored password and the user's failed
/// authentications, read together: see [`Store::login_user`].
#[derive(Debug, Clone, PartialEq)]
pub struct LoginUser {
    pub user: User,
    pub password: Option<authlet_core::password::PasswordHash>,
    pub failures: Option<FailureState>,
}

/// A short-lived identifier to store, by the hash of its value.
#[derive(Debug, Clone)]
pub struct NewIdentifier {
    pub kind: IdentifierKind,
    pub id_hash: String,
    pub user_id: Uuid,
    pub expires_at: i64,
    pub data: Value,
}

pub type FailureUpdate = (FailureState, bool);
