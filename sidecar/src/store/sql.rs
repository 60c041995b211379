//! The SQL store: the same statements on SQLite (embedded, one file per pod) and
//! PostgreSQL (shared by replicas), through sqlx's `Any` driver.
//!
//! Statements use `$N` placeholders, which both databases accept, and store flags as
//! integers, which both decode alike. The few real differences — how a transaction
//! takes its write lock, connection set-up, migrations — live in [`Backend`].

use std::sync::PoisonError;
use std::time::{Duration, Instant};

use authlet_core::login::FailureState;
use authlet_core::model::{ChangePasswordReason, Registration, TwoFactorMethod, User};
use authlet_core::password::PasswordHash;
use authlet_core::records::{CountPlan, RecordFilter, SearchCriteria};
use authlet_core::tokens::RefreshExpiredBy;
use prometheus_client::metrics::histogram::Histogram;
use serde_json::{Map, Value};
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Column, Executor, Row};
use uuid::Uuid;

use super::timing::{Access, StoreMetrics};
use super::{
    ExportRow, FailureUpdate, IdentifierKind, IdentifierRecord, LoginRecord, LoginSuccess,
    LoginUser, LoginWrite, LoginWritten, NewIdentifier, PendingLogin, RecordCursor, RefreshLookup,
    RefreshSweepPosition, RefreshSweepStep, RefreshTokenRecord, SecondFactor, SecondFactorUse,
    StoreError, StoreResult,
};

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// Which database a store talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of(url: &str) -> StoreResult<Self> {
        if url.starts_with("sqlite:") {
            Ok(Self::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Self::Postgres)
        } else {
            Err(StoreError::Unavailable(
                "database.url must start with sqlite: or postgres://".into(),
            ))
        }
    }

    /// Starts a transaction that holds the write lock for `key` until it ends, so a
    /// read-modify-write on that key cannot interleave with another one — across
    /// processes too, since both databases enforce it.
    async fn begin_locked(self, conn: &mut sqlx::AnyConnection, key: &str) -> StoreResult<()> {
        match self {
            // SQLite has one writer: taking the write lock up front serialises every
            // read-modify-write, in this process and any other on the same file.
            Self::Sqlite => {
                conn.execute("BEGIN IMMEDIATE").await.map_err(db)?;
            }
            Self::Postgres => {
                conn.execute("BEGIN").await.map_err(db)?;
                sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
                    .bind(key.to_owned())
                    .execute(&mut *conn)
                    .await
                    .map_err(db)?;
            }
        }
        Ok(())
    }
}

/// Maps sqlx errors to the domain error, in one place.
fn db(error: sqlx::Error) -> StoreError {
    match &error {
        sqlx::Error::Database(e) if e.is_unique_violation() => duplicate(e.message()),
        sqlx::Error::Database(e) if e.is_foreign_key_violation() => {
            StoreError::Gone(e.message().to_owned())
        }
        sqlx::Error::ColumnDecode { .. }
        | sqlx::Error::Decode(_)
        | sqlx::Error::ColumnNotFound(_) => StoreError::Corrupt(error.to_string()),
        _ => StoreError::Unavailable(error.to_string()),
    }
}

/// A unique constraint's violation, named by the field its `message` names.
fn duplicate(message: &str) -> StoreError {
    if message.contains("email") {
        StoreError::Duplicate("email")
    } else if message.contains("username") {
        StoreError::Duplicate("username")
    } else if message.contains("registrations") {
        StoreError::Duplicate("registration")
    } else {
        StoreError::Duplicate("id")
    }
}

/// [`db`] for the writer thread's rusqlite connection: the same errors for the same
/// failures.
fn sqlite_error(error: rusqlite::Error) -> StoreError {
    use rusqlite::ffi;
    match &error {
        rusqlite::Error::SqliteFailure(e, message) => match e.extended_code {
            ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY => {
                duplicate(message.as_deref().unwrap_or_default())
            }
            ffi::SQLITE_CONSTRAINT_FOREIGNKEY => {
                StoreError::Gone(message.clone().unwrap_or_else(|| error.to_string()))
            }
            _ => StoreError::Unavailable(error.to_string()),
        },
        rusqlite::Error::FromSqlConversionFailure(..)
        | rusqlite::Error::InvalidColumnType(..)
        | rusqlite::Error::IntegralValueOutOfRange(..) => StoreError::Corrupt(error.to_string()),
        _ => StoreError::Unavailable(error.to_string()),
    }
}

/// The file of a `sqlite:` URL (`sqlite://PATH?…` or `sqlite:PATH?…`), unless in-memory.
fn sqlite_file(url: &str) -> Option<std::path::PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    (!path.is_empty() && !path.contains(":memory:")).then(|| path.into())
}

/// SQLite URLs open read-write-create unless they say otherwise.
fn with_create_mode(url: &str) -> String {
    if url.contains("mode=") {
        url.to_owned()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    }
}

/// Flags are stored as 0/1 integers on both databases.
fn flag(row: &(impl Columns + ?Sized), column: &str) -> StoreResult<bool> {
    Ok(row.int(column)? != 0)
}

/// A row's columns by name, as the readers of rows below take them: from sqlx, or from
/// rusqlite for the reads made on the async worker ([`InlineReaders`]). Every column
/// they read is text or an integer on both databases.
trait Columns {
    fn text_or_null(&self, column: &str) -> StoreResult<Option<String>>;
    fn int_or_null(&self, column: &str) -> StoreResult<Option<i64>>;

    fn text(&self, column: &str) -> StoreResult<String> {
        self.text_or_null(column)?
            .ok_or_else(|| StoreError::Corrupt(format!("{column} is NULL")))
    }

    fn int(&self, column: &str) -> StoreResult<i64> {
        self.int_or_null(column)?
            .ok_or_else(|| StoreError::Corrupt(format!("{column} is NULL")))
    }
}

impl Columns for AnyRow {
    fn text_or_null(&self, column: &str) -> StoreResult<Option<String>> {
        self.try_get(column).map_err(db)
    }

    fn int_or_null(&self, column: &str) -> StoreResult<Option<i64>> {
        self.try_get(column).map_err(db)
    }
}

impl Columns for rusqlite::Row<'_> {
    fn text_or_null(&self, column: &str) -> StoreResult<Option<String>> {
        self.get(column).map_err(sqlite_error)
    }

    fn int_or_null(&self, column: &str) -> StoreResult<Option<i64>> {
        self.get(column).map_err(sqlite_error)
    }
}

fn uuid(text: &str) -> StoreResult<Uuid> {
    Uuid::parse_str(text).map_err(|e| StoreError::Corrupt(format!("bad uuid {text:?}: {e}")))
}

fn json_object(text: &str) -> StoreResult<Map<String, Value>> {
    match serde_json::from_str(text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(StoreError::Corrupt("expected a JSON object".into())),
        Err(e) => Err(StoreError::Corrupt(e.to_string())),
    }
}

#[derive(Debug, Clone)]
pub struct SqlStore {
    /// Where every read goes: see [`Readers`].
    readers: Readers,
    /// Where every write goes: see [`Writer`].
    writer: Writer,
    backend: Backend,
    /// The SQLite file, for reads that bypass the pool (see `for_each_login_record`);
    /// `None` for PostgreSQL and for in-memory SQLite, which another connection cannot see.
    sqlite_file: Option<std::path::PathBuf>,
    metrics: StoreMetrics,
    /// When a write last failed as [`StoreError::Unavailable`]; shared by every clone.
    last_unavailable_write: LastUnavailable,
}

/// When a write last failed as [`StoreError::Unavailable`], if one has.
type LastUnavailable = std::sync::Arc<std::sync::Mutex<Option<Instant>>>;

/// A user by login id (`$1` the tenant, `$2` the normalised login id): see
/// [`SqlStore::user_by_login_id`].
const BY_LOGIN_ID: &str = "tenant_id = $1 AND (email_key = $2 OR username_key = $2) ORDER BY (email_key = $2) DESC LIMIT 1";

const REFRESH_COLUMNS: &str =
    "id, user_id, application_id, tenant_id, insert_instant, last_used_instant, auth_time, metadata";

/// Where a row has a refresh token's columns (see [`refresh_record`]).
struct RefreshColumnNames {
    id: &'static str,
    user_id: &'static str,
    application_id: &'static str,
    tenant_id: &'static str,
    insert_instant: &'static str,
    last_used_instant: &'static str,
    auth_time: &'static str,
    metadata: &'static str,
}

/// [`REFRESH_COLUMNS`] as they are.
const REFRESH_COLUMN_NAMES: RefreshColumnNames = RefreshColumnNames {
    id: "id",
    user_id: "user_id",
    application_id: "application_id",
    tenant_id: "tenant_id",
    insert_instant: "insert_instant",
    last_used_instant: "last_used_instant",
    auth_time: "auth_time",
    metadata: "metadata",
};

/// The refresh token whose value hashes to `$1`, its columns renamed so that they can
/// stand beside its user's in one row (`FROM` this `JOIN users …`); named by
/// [`PRESENTED_REFRESH_COLUMN_NAMES`].
const PRESENTED_REFRESH_TOKEN: &str = "(SELECT id AS refresh_token_id, user_id AS refresh_token_user_id, \
     application_id AS refresh_token_application_id, tenant_id AS refresh_token_tenant_id, \
     insert_instant AS refresh_token_insert_instant, last_used_instant AS refresh_token_last_used_instant, \
     auth_time AS refresh_token_auth_time, metadata AS refresh_token_metadata \
     FROM refresh_tokens WHERE token_hash = $1) AS presented";

const PRESENTED_REFRESH_COLUMN_NAMES: RefreshColumnNames = RefreshColumnNames {
    id: "refresh_token_id",
    user_id: "refresh_token_user_id",
    application_id: "refresh_token_application_id",
    tenant_id: "refresh_token_tenant_id",
    insert_instant: "refresh_token_insert_instant",
    last_used_instant: "refresh_token_last_used_instant",
    auth_time: "refresh_token_auth_time",
    metadata: "refresh_token_metadata",
};

/// A user's failed authentications, in a row of the user joined with `failed_logins`
/// (see [`joined_failure_state`]).
const JOINED_FAILURE_COLUMNS: &str =
    "failed_logins.count, failed_logins.last_failure_instant, failed_logins.locked_until";

const RECORD_COLUMNS: &str =
    "tenant_id, user_id, application_id, application_name, login_id, instant, ip_address";

/// A user's own columns, as a macro so that [`user_select`] can `concat!` them.
macro_rules! user_columns {
    () => {
        "id, tenant_id, email, username, active, verified, expiry, password_scheme, password_factor, password_salt, password_hash, password_change_required, password_change_reason, password_last_update_instant, insert_instant, last_update_instant, last_login_instant, profile"
    };
}

/// A registration as [`user_select`] lists it: id, application id, roles (JSON text),
/// verified, insert instant, last login instant, profile (JSON text).
type RegistrationRow = (String, String, String, i64, i64, Option<i64>, String);

/// `SELECT …` a user's columns (of table `users`, named in the `FROM` that follows),
/// with its registrations and two-factor methods as JSON arrays in the same row. A login
/// reads its user every time, and one statement is one hand-off to a SQLite
/// connection's thread, or one round trip to PostgreSQL, where reading the three tables
/// in turn took three.
fn user_select(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => concat!(
            "SELECT ", user_columns!(), ", ",
            "(SELECT json_group_array(json_array(r.id, r.application_id, r.roles, r.verified, r.insert_instant, r.last_login_instant, r.profile) ORDER BY r.insert_instant, r.id) FROM registrations r WHERE r.user_id = users.id) AS registrations, ",
            "(SELECT json_group_array(json_array(m.id, m.secret) ORDER BY m.id) FROM two_factor_methods m WHERE m.user_id = users.id) AS two_factor_methods",
        ),
        Backend::Postgres => concat!(
            "SELECT ", user_columns!(), ", ",
            "(SELECT coalesce(json_agg(json_build_array(r.id, r.application_id, r.roles, r.verified, r.insert_instant, r.last_login_instant, r.profile) ORDER BY r.insert_instant, r.id), '[]')::text FROM registrations r WHERE r.user_id = users.id) AS registrations, ",
            "(SELECT coalesce(json_agg(json_build_array(m.id, m.secret) ORDER BY m.id), '[]')::text FROM two_factor_methods m WHERE m.user_id = users.id) AS two_factor_methods",
        ),
    }
}

/// Every SQLite connection's settings. WAL lets readers proceed during a write, and with
/// `synchronous = NORMAL` it is durable across process crashes; the busy timeout queues
/// writers (of other processes, since ours share one connection) instead of failing
/// them. The automatic checkpoint would run inside whichever commit crosses its
/// threshold, adding milliseconds to that request: [`crate::wal`] checkpoints in the
/// background instead, and the threshold (64 MiB of log at 4 KiB pages) is only a bound
/// in case it falls behind. The page cache is SQLite's default size, 2 MiB, said here
/// because it is per connection: nine connections may hold 18 MiB of it.
const SQLITE_SESSION: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
     PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA wal_autocheckpoint = 16384; \
     PRAGMA cache_size = -2000;";

/// The background checkpoint, run on the writer connection so that none of our writes
/// can commit while it runs. A PASSIVE checkpoint beside a steady stream of commits
/// never catches up with the log, and SQLite starts a log over only once all of it is
/// in the database file, so under load the log grew to the automatic checkpoint's
/// bound and that checkpoint ran inside a commit every few seconds. With no write in
/// between, RESTART copies the whole log and then waits for the readers still on it,
/// so that the next write starts the log over. Readers take milliseconds; a reader that
/// takes longer (an export) makes it give up after the short busy timeout, having
/// copied what it could, rather than hold up every write. The last statement puts back
/// [`SQLITE_SESSION`]'s busy timeout. It runs right after
/// [`SQLITE_CHECKPOINT_BESIDE_WRITES`], so what it copies and syncs while writes wait is
/// only what was committed in between.
const SQLITE_CHECKPOINT: [&str; 3] = [
    "PRAGMA busy_timeout = 50",
    "PRAGMA wal_checkpoint(RESTART)",
    "PRAGMA busy_timeout = 5000",
];

/// The first pass of the background checkpoint, on a read connection while writes go
/// on: it copies the log as it stands into the database file and syncs it. Holding the
/// writer for the whole copy made every write that arrived meanwhile wait for it: at
/// half capacity on SQLite, a p99 of 14.8–15.6 ms with a checkpoint every 250 ms,
/// 10.0–12.1 ms with this pass first (three interleaved pairs of shortened `login` runs).
const SQLITE_CHECKPOINT_BESIDE_WRITES: &str = "PRAGMA wal_checkpoint(PASSIVE)";

/// How long a statement may wait for a connection, including opening one. sqlx keeps
/// retrying a refused connection until then, so during a database outage this is how
/// long a request takes to fail: short enough that the client gets its 503 within 2 s,
/// long enough that a burst queueing for SQLite's single writer connection gets through.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(1);

/// How long one store operation may take, waiting for a connection included. A network
/// that silently drops packets to PostgreSQL (a node gone, a partition) closes nothing,
/// so a statement sent into it waits for an answer that TCP would give up on only after
/// many minutes; this turns that wait into [`StoreError::Unavailable`], a 503 within
/// the 2 s a client is promised. Every operation is one indexed lookup or a short
/// transaction, milliseconds when the database is there, so the bound only ever cuts
/// off one that is not coming back.
const DEADLINE: Duration = Duration::from_millis(1500);

/// [`DEADLINE`] for an import, one transaction of however many users it was given.
const IMPORT_DEADLINE: Duration = Duration::from_secs(60);

/// Runs `operation` for at most `deadline`. Dropping it there is safe: a write's
/// connection closes instead of going back to the pool ([`WriteConnection`]); a SQLite
/// read connection's thread resets the abandoned statement before running the next
/// one ([`Readers`]); and sqlx pings a PostgreSQL connection before pooling it again and
/// before lending it, closing it if that fails.
async fn bounded<T>(
    deadline: Duration,
    operation: impl std::future::Future<Output = StoreResult<T>>,
) -> StoreResult<T> {
    tokio::time::timeout(deadline, operation)
        .await
        .unwrap_or_else(|_| {
            Err(StoreError::Unavailable(format!(
                "no answer from the database within {deadline:?}"
            )))
        })
}

/// Pool settings for `backend`; SQLite connections get [`SQLITE_SESSION`].
///
/// sqlx pings a pooled connection before lending it unless told not to. A PostgreSQL
/// connection can die with its server, and the ping finds out before a statement does;
/// a SQLite connection is a thread in this process that cannot, and each ping is a
/// round trip to that thread, costing two context switches. At about ten statements a
/// login, the pings were a fifth of a factor-1 login's CPU.
fn pool_options(backend: Backend, max_connections: u32) -> AnyPoolOptions {
    AnyPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .test_before_acquire(backend == Backend::Postgres)
        .after_connect(move |conn, _| {
            Box::pin(async move {
                if backend == Backend::Sqlite {
                    conn.execute(SQLITE_SESSION).await?;
                }
                Ok(())
            })
        })
}

/// Where a store's writes go; a clone writes through the same connection(s).
#[derive(Debug, Clone)]
enum Writer {
    /// PostgreSQL, and in-memory SQLite (whose one connection is the whole database):
    /// the store's pool itself.
    Pool(AnyPool),
    /// A SQLite file: one connection, so that writers in this process queue in order
    /// for it instead of polling SQLite's write lock with the busy handler's sleeps (1, 2,
    /// 5, 10 ms…), which at a few hundred writes per second made writers wait many times
    /// longer than the writes took. It is held here rather than in a pool of one because
    /// sqlx's pool pings every connection it takes back, a round trip to the
    /// connection's thread after every write, which the next writer waited for; this
    /// connection has no other owner, so there is nothing to find out. `None` after
    /// [`WriteConnection`] closed it; the next write opens another. The batches
    /// ([`SqlStore::write_batch`]) go to the [`BatchWriter`]'s thread, which writes
    /// through a connection of its own but holds this one's lock while it does: one
    /// writer at a time still, in the order they asked.
    Sole {
        url: std::sync::Arc<str>,
        connection: SoleConnection,
        batches: BatchWriter,
    },
}

/// SQLite's writer connection for the async workers' writes, and the lock every writer
/// in the process takes; see [`Writer::Sole`].
type SoleConnection = std::sync::Arc<tokio::sync::Mutex<Option<sqlx::AnyConnection>>>;

/// Takes SQLite's sole writer connection, opening it if the last write closed it. Waits
/// until [`ACQUIRE_TIMEOUT`] after the write `asked`, as long as for a pooled connection.
async fn lend_sole<'c>(
    url: &str,
    connection: &'c SoleConnection,
    asked: Instant,
) -> StoreResult<Lent<'c>> {
    let deadline = asked + ACQUIRE_TIMEOUT;
    let mut slot = tokio::time::timeout_at(deadline.into(), connection.lock())
        .await
        .map_err(|_| stayed_busy())?;
    if slot.is_none() {
        *slot = Some(open_sqlite(url).await?);
    }
    Ok(Lent::Sole(slot))
}

/// A write that waited [`ACQUIRE_TIMEOUT`] for SQLite's writer connection.
fn stayed_busy() -> StoreError {
    StoreError::Unavailable(format!(
        "the writer connection stayed busy for {ACQUIRE_TIMEOUT:?}"
    ))
}

/// A thread of its own that commits SQLite's batches ([`SqlStore::write_batch`]): the
/// writes of password and two-factor logins, refreshes and login records. Run by the
/// async worker, each of those writes held the writer connection across two of the
/// worker's turns, the writing task's (woken by its rows, to let go of the connection)
/// and the next writer's (woken by the lock, to send its query); while the worker ran
/// other requests' HTTP, JSON and signing, the connection sat idle. This thread does
/// nothing else, so it starts the next batch as soon as one is done. Four interleaved
/// pairs of shortened `login` runs on two cores, means: two-factor completion 2,153 →
/// 2,508/s, factor-1 login 3,626 → 4,170/s, refresh 5,824 → 6,682/s, login ping 6,837 →
/// 7,508/s, database time per password login at half capacity 0.87 → 0.78 ms; CPU per
/// password login beyond its hash 0.364 → 0.362 ms, idle RSS 0.35 MiB more.
///
/// The batches that queued while it was busy, it commits together
/// ([`WriterThread::commit`]): one transaction, every caller answered after the COMMIT.
/// A transaction writes each page it changed to SQLite's log once, however many of its
/// batches changed it, and most of a login's pages are ones every login changes: the
/// newest of the login records and of their indexes, the day's count, the newest of the
/// refresh tokens. (Tried before this thread, joined by whichever waiting writer took
/// the connection's lock, with a savepoint per batch, grouping cost the password logins
/// more than it saved: README, "Tried and not kept".) In the no-hash phases of `login`
/// a transaction took 2.4–2.9 batches, and twelve shortened runs against 73ff7fe,
/// interleaved, gave means of two-factor completion 2,050 → 2,290/s, factor-1 login
/// 3,381 → 3,498/s, refresh 5,208 → 5,353/s and login ping 5,926 → 6,220/s. At half
/// capacity and at saturation with the hash, where the writes seldom queue (1.01–1.04
/// batches a transaction), nothing moved: p50 5.07 → 5.09 ms, throughput 0.846 →
/// 0.845·H.
///
/// It writes through a connection of its own, opened with rusqlite, not through sqlx's
/// (see [`WriterThread`]), and takes [`Writer::Sole`]'s connection lock for each
/// transaction, so that it and the writes on the async workers
/// ([`SqlStore::write_connection`]) still take turns instead of meeting SQLite's busy
/// handler. A batch waits for its turn until [`ACQUIRE_TIMEOUT`] after it was sent. One
/// whose caller has gone (its deadline passed, its request dropped) before it starts is
/// never started. One that started runs to its end, except that one waiting for another
/// process's write lock gives up shortly before its caller's [`DEADLINE`] and is rolled
/// back, so that its caller's 503 is true. A batch that panics is answered as
/// unavailable, its connection closed, and the thread goes on with the next. The thread
/// ends with the last clone of its store.
#[derive(Debug, Clone)]
struct BatchWriter {
    batches: tokio::sync::mpsc::UnboundedSender<BatchJob>,
}

/// A SQLite batch on its way to the [`BatchWriter`]. The channel needs no bound: each
/// caller waits for its answer, so there are no more of these than requests in flight.
struct BatchJob {
    batch: Batch,
    sent: Instant,
    answer: tokio::sync::oneshot::Sender<StoreResult<Vec<ReturnedRow>>>,
}

/// The most batches one transaction of the [`BatchWriter`] commits: enough to share
/// the pages every login changes among several, few enough that the first caller's
/// answer does not wait long for the last's batch.
const GROUP_LIMIT: usize = 8;

/// How long before its caller's [`DEADLINE`] a batch that waits for another process's
/// write lock gives up: so that it is rolled back while its caller still waits, never
/// committed after the caller has answered 503.
const BUSY_MARGIN: Duration = Duration::from_millis(50);

/// The batch statements the writer thread keeps prepared. A statement's text depends on
/// where it stands in its batch (placeholders are numbered across the batch), so the
/// sidecar's few dozen batch shapes spell about a hundred; rusqlite keeps 16 by default.
const WRITER_STATEMENTS: usize = 256;

/// What the [`BatchWriter`]'s thread writes with: a rusqlite connection it alone uses,
/// called on the thread itself. sqlx runs each of its SQLite connections on a thread of
/// its own, so through sqlx every batch was a hand-off from this thread to that one and
/// back, and this thread, the one queue every write of the phases without a hash waits
/// in, sat idle for two context switches a batch and for sqlx's work around the
/// statements (its arguments and rows turned to and from `Any`'s). Six shortened `login`
/// runs each against sqlx's connection, interleaved, means: two-factor completion 2,058
/// → 2,505/s, factor-1 login 3,681 → 4,247/s, refresh 5,796 → 6,283/s, login ping 6,233
/// → 7,541/s; CPU per password login beyond its hash 0.66 → 0.50 ms, throughput at
/// saturation 0.81 → 0.84·H, p50 at half capacity 5.35 → 5.16 ms.
struct WriterThread {
    file: std::path::PathBuf,
    /// `None` until the first batch, and after a failure that may have left a
    /// transaction open (a ROLLBACK that failed, a panic): the next batch opens another.
    connection: Option<rusqlite::Connection>,
    last_unavailable: LastUnavailable,
    batches_per_commit: Histogram,
}

impl BatchWriter {
    /// Starts the thread; `turn` is the lock the async workers' writes take
    /// ([`Writer::Sole`]'s connection).
    fn spawn(turn: SoleConnection, mut thread: WriterThread) -> StoreResult<Self> {
        let (batches, mut jobs) = tokio::sync::mpsc::unbounded_channel::<BatchJob>();
        let cannot_start = |e: std::io::Error| {
            StoreError::Unavailable(format!("cannot start the writer thread: {e}"))
        };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .map_err(cannot_start)?;
        std::thread::Builder::new()
            .name("authlet-writer".into())
            .spawn(move || {
                runtime.block_on(async move {
                    while let Some(first) = jobs.recv().await {
                        let mut group = vec![first];
                        while group.len() < GROUP_LIMIT {
                            let Ok(job) = jobs.try_recv() else { break };
                            group.push(job);
                        }
                        let Some((group, _turn)) = take_turn(&turn, group).await else {
                            continue;
                        };
                        let run = std::panic::AssertUnwindSafe(|| thread.commit(group));
                        if std::panic::catch_unwind(run).is_err() {
                            // Perhaps inside a transaction: closing it rolls that back.
                            thread.connection = None;
                        }
                    }
                });
            })
            .map_err(cannot_start)?;
        Ok(Self { batches })
    }

    /// Commits `batch`, a SQLite batch, on the thread.
    async fn commit(&self, batch: Batch) -> StoreResult<Vec<ReturnedRow>> {
        let (answer, answered) = tokio::sync::oneshot::channel();
        let job = BatchJob {
            batch,
            sent: Instant::now(),
            answer,
        };
        self.batches
            .send(job)
            .map_err(|_| StoreError::Unavailable("the writer thread has stopped".into()))?;
        answered.await.unwrap_or_else(|_| {
            Err(StoreError::Unavailable(
                "the write failed on the writer thread".into(),
            ))
        })
    }
}

/// Waits for the writer's turn for `group`, whose callers have not all gone; answers
/// each batch that waited [`ACQUIRE_TIMEOUT`] since it was sent, as a write waiting for
/// the writer connection is answered.
async fn take_turn(
    turn: &SoleConnection,
    mut group: Vec<BatchJob>,
) -> Option<(
    Vec<BatchJob>,
    tokio::sync::MutexGuard<'_, Option<sqlx::AnyConnection>>,
)> {
    loop {
        group.retain(|job| !job.answer.is_closed());
        // Sent in turn, so the first to have waited too long is the first.
        let deadline = group.first()?.sent + ACQUIRE_TIMEOUT;
        match tokio::time::timeout_at(deadline.into(), turn.lock()).await {
            Ok(held) => return Some((group, held)),
            Err(_) => {
                let refused = group.remove(0);
                let _ = refused.answer.send(Err(stayed_busy()));
            }
        }
    }
}

impl WriterThread {
    /// Commits the batches of `group` in one transaction and answers each caller after
    /// the COMMIT. If one of them fails, or a caller leaves before the COMMIT, the
    /// transaction is rolled back and each batch committed by itself, as it would have
    /// been alone: a batch's failure is its own.
    fn commit(&mut self, group: Vec<BatchJob>) {
        if group.len() > 1 {
            if let Ok(rows) = self.transaction(&group) {
                self.batches_per_commit.observe(group.len() as f64);
                for (job, rows) in group.into_iter().zip(rows) {
                    let _ = job.answer.send(Ok(rows));
                }
                return;
            }
        }
        for job in group {
            if job.answer.is_closed() {
                continue;
            }
            let result = match self.transaction(std::slice::from_ref(&job)) {
                Ok(mut rows) => {
                    self.batches_per_commit.observe(1.0);
                    Ok(rows.pop().unwrap_or_default())
                }
                Err(Failure::CallerLeft) => continue,
                Err(Failure::Sqlite(error)) => Err(self.refused(error)),
            };
            let _ = job.answer.send(result);
        }
    }

    /// The rows of each of `jobs`' batches, committed in one transaction; on a failure
    /// nothing was committed.
    fn transaction(&mut self, jobs: &[BatchJob]) -> Result<Vec<Vec<ReturnedRow>>, Failure> {
        let Some(first) = jobs.first() else {
            return Ok(Vec::new());
        };
        let busy = (first.sent + DEADLINE).saturating_duration_since(Instant::now() + BUSY_MARGIN);
        let connection = self.connection().map_err(Failure::Sqlite)?;
        let result = (|| {
            connection.busy_timeout(busy)?;
            connection.execute_batch("BEGIN")?;
            let mut rows = Vec::with_capacity(jobs.len());
            for job in jobs {
                if job.answer.is_closed() {
                    return Err(Failure::CallerLeft);
                }
                rows.push(run_batch(connection, &job.batch)?);
            }
            connection.execute_batch("COMMIT")?;
            Ok(rows)
        })();
        if result.is_err()
            && !connection.is_autocommit()
            && connection.execute_batch("ROLLBACK").is_err()
        {
            self.connection = None;
        }
        result
    }

    /// The writer connection, opened if there is none.
    fn connection(&mut self) -> rusqlite::Result<&rusqlite::Connection> {
        let connection = match self.connection.take() {
            Some(connection) => connection,
            None => open_writer(&self.file)?,
        };
        Ok(self.connection.insert(connection))
    }

    /// The error a batch the database refused is answered with; noted for readiness as
    /// [`WriteConnection`] notes the async workers' writes, unless it waited for another
    /// process's write lock: a busy database says nothing of whether it can take writes.
    fn refused(&self, error: rusqlite::Error) -> StoreError {
        let busy = error.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy);
        let error = sqlite_error(error);
        if matches!(error, StoreError::Unavailable(_)) && !busy {
            *self
                .last_unavailable
                .lock()
                .unwrap_or_else(PoisonError::into_inner) = Some(Instant::now());
        }
        error
    }
}

/// Why a transaction of the [`WriterThread`] committed nothing.
enum Failure {
    /// The database refused it.
    Sqlite(rusqlite::Error),
    /// A caller left before the COMMIT.
    CallerLeft,
}

impl From<rusqlite::Error> for Failure {
    fn from(error: rusqlite::Error) -> Self {
        Self::Sqlite(error)
    }
}

/// Opens the writer thread's connection to `file`, with [`SQLITE_SESSION`]'s settings.
fn open_writer(file: &std::path::Path) -> rusqlite::Result<rusqlite::Connection> {
    use rusqlite::OpenFlags;
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let connection = rusqlite::Connection::open_with_flags(file, flags)?;
    connection.execute_batch(SQLITE_SESSION)?;
    connection.set_prepared_statement_cache_capacity(WRITER_STATEMENTS);
    Ok(connection)
}

/// Runs `batch`'s statements on `connection`, each prepared once and kept; returns the
/// rows they return.
fn run_batch(
    connection: &rusqlite::Connection,
    batch: &Batch,
) -> rusqlite::Result<Vec<ReturnedRow>> {
    let mut returned = Vec::new();
    for sql in batch.statements() {
        let mut statement = connection.prepare_cached(sql)?;
        bind_numbered(&mut statement, &batch.query.params)?;
        let mut rows = statement.raw_query();
        while let Some(row) = rows.next()? {
            returned.push(ReturnedRow::of_sqlite(row)?);
        }
    }
    Ok(returned)
}

/// Binds `params` to `statement`, whose `$N` is the N-th of them wherever it stands.
fn bind_numbered(
    statement: &mut rusqlite::Statement<'_>,
    params: &[Param],
) -> rusqlite::Result<()> {
    for index in 1..=statement.parameter_count() {
        let name = statement.parameter_name(index).unwrap_or_default();
        let value = (name.strip_prefix('$'))
            .and_then(|n| n.parse::<usize>().ok())
            .and_then(|n| params.get(n.checked_sub(1)?))
            .ok_or_else(|| rusqlite::Error::InvalidParameterName(name.to_owned()))?;
        statement.raw_bind_parameter(index, value)?;
    }
    Ok(())
}

/// Commits `batch`, a SQLite batch, in a transaction of its own on `writer` through
/// sqlx: in-memory SQLite's, whose one connection is the whole database. A statement
/// that fails leaves the transaction open after the ones before it: it is rolled back.
async fn commit_sqlite(
    mut writer: WriteConnection<'_>,
    batch: &Statement,
) -> StoreResult<Vec<ReturnedRow>> {
    let conn = writer.conn()?;
    let transaction = format!("BEGIN; {}; COMMIT", batch.sql);
    let result = batch
        .build_as(&transaction)
        .fetch_all(&mut *conn)
        .await
        .map_err(db)
        .and_then(|rows| rows.iter().map(ReturnedRow::of_any).collect());
    let clean = match result {
        Ok(_) => true,
        Err(_) => sqlx::query("ROLLBACK").execute(&mut *conn).await.is_ok(),
    };
    writer.settle_outside_sqlx(result, clean)
}

/// Where a store's reads go; a clone reads through the same connections.
#[derive(Debug, Clone)]
enum Readers {
    /// PostgreSQL, and in-memory SQLite: sqlx's pool.
    Pool(AnyPool),
    /// A SQLite file: a login's reads on the async worker (`inline`), and the rest on
    /// sqlx connections, each a thread of its own (`threads`), lent without sqlx's pool,
    /// which pings every connection it takes back: a round trip to the connection's
    /// thread after every read, which buys nothing here. A SQLite connection is a thread
    /// of this process that cannot die with a server, and a read abandoned halfway has
    /// its statement reset by that thread before the connection's next command runs.
    Sqlite {
        threads: deadpool::managed::Pool<SqliteReaders>,
        inline: std::sync::Arc<InlineReaders>,
    },
}

/// Connections to a SQLite file for the point reads that every login makes (its user, a
/// pending two-factor login, a refresh token with its user), run on the async worker
/// itself ([`SqlStore::read_inline`]) rather than handed to a connection's thread and
/// back. Each finds one row through an index, from pages the kernel's page cache holds,
/// in tens of microseconds: about what the two thread wake-ups it replaces cost, and
/// those came with a wait for a core each. In WAL mode a reader never waits for the
/// writer; with no busy timeout, the rare read that SQLite would make wait (another
/// process holding the file, or recovering its log) is refused at once and goes to a
/// connection's thread instead. Searches and exports, whose rows are not bounded, stay
/// on the threads.
#[derive(Debug)]
struct InlineReaders {
    file: std::path::PathBuf,
    /// Connections not in use: one per async worker reading at once, at most.
    idle: std::sync::Mutex<Vec<rusqlite::Connection>>,
}

impl InlineReaders {
    /// The row `statement` finds, if any, read with `read`; `None` if SQLite refused to
    /// read without waiting, or to open a connection for it: the read is then made on a
    /// connection's thread, whose own connection reports what is wrong, if anything is.
    fn read_row<T>(
        &self,
        statement: &Statement,
        read: impl FnOnce(&rusqlite::Row<'_>) -> StoreResult<T>,
    ) -> Option<StoreResult<Option<T>>> {
        let idle = self
            .idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop();
        let Ok(connection) = idle.map_or_else(|| self.open(), Ok) else {
            return None;
        };
        let found = (|| {
            let mut prepared = connection.prepare_cached(&statement.sql)?;
            bind_numbered(&mut prepared, &statement.params)?;
            let mut rows = prepared.raw_query();
            Ok(rows.next()?.map(read))
        })();
        let result = match found {
            Ok(found) => found.transpose(),
            Err(error) if is_busy(&error) => {
                self.give_back(connection);
                return None;
            }
            Err(error) => Err(sqlite_error(error)),
        };
        // A connection on which the database failed is closed, as [`SqlStore::read`]'s are.
        if !matches!(result, Err(StoreError::Unavailable(_))) {
            self.give_back(connection);
        }
        Some(result)
    }

    fn open(&self) -> rusqlite::Result<rusqlite::Connection> {
        open_read_only(&self.file, Duration::ZERO)
    }

    fn give_back(&self, connection: rusqlite::Connection) {
        self.idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(connection);
    }
}

/// A read-only rusqlite connection to `file` that waits up to `busy` for another
/// connection's lock.
fn open_read_only(
    file: &std::path::Path,
    busy: Duration,
) -> rusqlite::Result<rusqlite::Connection> {
    use rusqlite::OpenFlags;
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let connection = rusqlite::Connection::open_with_flags(file, flags)?;
    connection.busy_timeout(busy)?;
    Ok(connection)
}

/// Whether SQLite refused `error`'s statement because another connection held a lock.
fn is_busy(error: &rusqlite::Error) -> bool {
    matches!(
        error.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// How long a SQLite read connection may go unused before
/// [`SqlStore::close_idle_readers`] closes it: sqlx's pool's idle timeout.
const READER_IDLE: Duration = Duration::from_secs(600);

/// Opens the read connections of [`Readers::Sqlite`] and takes them back as they are.
#[derive(Debug)]
struct SqliteReaders {
    url: std::sync::Arc<str>,
}

impl deadpool::managed::Manager for SqliteReaders {
    type Type = sqlx::AnyConnection;
    type Error = StoreError;

    async fn create(&self) -> StoreResult<sqlx::AnyConnection> {
        open_sqlite(&self.url).await
    }

    async fn recycle(
        &self,
        _: &mut sqlx::AnyConnection,
        _: &deadpool::managed::Metrics,
    ) -> deadpool::managed::RecycleResult<StoreError> {
        Ok(())
    }
}

/// A read connection, lent by [`Readers`] for one [`SqlStore::read`].
enum ReadConnection {
    Pooled(sqlx::pool::PoolConnection<sqlx::Any>),
    Sqlite(deadpool::managed::Object<SqliteReaders>),
}

impl ReadConnection {
    fn conn(&mut self) -> &mut sqlx::AnyConnection {
        match self {
            Self::Pooled(conn) => conn,
            Self::Sqlite(conn) => conn,
        }
    }

    /// Closes the connection instead of lending it again.
    fn discard(self) {
        match self {
            Self::Pooled(mut conn) => conn.close_on_drop(),
            Self::Sqlite(conn) => drop(deadpool::managed::Object::take(conn)),
        }
    }
}

/// Opens a SQLite connection with [`SQLITE_SESSION`]'s settings.
async fn open_sqlite(url: &str) -> StoreResult<sqlx::AnyConnection> {
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(url)
        .await
        .map_err(db)?;
    conn.execute(SQLITE_SESSION).await.map_err(db)?;
    Ok(conn)
}

impl SqlStore {
    /// Opens the database at `url` (creating a SQLite file if needed) and applies the
    /// backend's migrations.
    pub async fn connect(url: &str) -> StoreResult<Self> {
        sqlx::any::install_default_drivers();
        let backend = Backend::of(url)?;
        let (url, max_connections) = match backend {
            // Each connection to `sqlite::memory:` is its own database: keep just one.
            Backend::Sqlite if url.contains(":memory:") => (url.to_owned(), 1),
            Backend::Sqlite => (with_create_mode(url), 8),
            Backend::Postgres => (url.to_owned(), 16),
        };
        let migrations = match backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        let migration_failed = |e| StoreError::Unavailable(format!("migration failed: {e}"));
        let last_unavailable_write = LastUnavailable::default();
        let metrics = StoreMetrics::default();
        let sqlite_file = (backend == Backend::Sqlite)
            .then(|| sqlite_file(&url))
            .flatten();
        let (readers, writer) = match backend {
            Backend::Sqlite if max_connections > 1 => {
                let mut writer = open_sqlite(&url).await?;
                migrations
                    .run(&mut writer)
                    .await
                    .map_err(migration_failed)?;
                let readers = SqliteReaders {
                    url: url.as_str().into(),
                };
                let readers = deadpool::managed::Pool::builder(readers)
                    .max_size(max_connections as usize)
                    // The connection used last: lending them in turn measured no faster
                    // anywhere and slower on the login ping.
                    .queue_mode(deadpool::managed::QueueMode::Lifo)
                    .build()
                    .map_err(|e| StoreError::Unavailable(e.to_string()))?;
                let connection = std::sync::Arc::new(tokio::sync::Mutex::new(Some(writer)));
                let url: std::sync::Arc<str> = url.as_str().into();
                let file = sqlite_file.clone().ok_or_else(|| {
                    StoreError::Unavailable(format!("database.url {url:?} names no file"))
                })?;
                let inline = InlineReaders {
                    file: file.clone(),
                    idle: std::sync::Mutex::default(),
                };
                let thread = WriterThread {
                    file,
                    connection: None,
                    last_unavailable: last_unavailable_write.clone(),
                    batches_per_commit: metrics.batches_per_commit(),
                };
                let writer = Writer::Sole {
                    batches: BatchWriter::spawn(connection.clone(), thread)?,
                    connection,
                    url,
                };
                let readers = Readers::Sqlite {
                    threads: readers,
                    inline: std::sync::Arc::new(inline),
                };
                (readers, writer)
            }
            _ => {
                let pool = pool_options(backend, max_connections)
                    .connect(&url)
                    .await
                    .map_err(db)?;
                migrations.run(&pool).await.map_err(migration_failed)?;
                (Readers::Pool(pool.clone()), Writer::Pool(pool))
            }
        };
        Ok(Self {
            readers,
            writer,
            backend,
            sqlite_file,
            metrics,
            last_unavailable_write,
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Time per operation, shared by every clone of this store.
    pub fn metrics(&self) -> &StoreMetrics {
        &self.metrics
    }

    /// Closes SQLite read connections unused for [`READER_IDLE`], as sqlx's pool would,
    /// giving back the page caches a burst filled.
    pub fn close_idle_readers(&self) {
        self.close_readers_unused_for(READER_IDLE);
    }

    fn close_readers_unused_for(&self, idle: Duration) {
        if let Readers::Sqlite {
            threads: readers, ..
        } = &self.readers
        {
            readers.retain(|_, metrics| metrics.last_used() < idle);
        }
    }

    /// When a write last failed because the database would not take it (a full disk, an
    /// I/O error, a lost connection), if one has. The heartbeat of [`Self::probe_write`]
    /// alone cannot tell readiness that: on a nearly full disk its one page can find
    /// room that a login's records cannot.
    pub fn last_unavailable_write(&self) -> Option<Instant> {
        *self
            .last_unavailable_write
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs `work` in a transaction on the writer connection and commits it: every
    /// write but the locked read-modify-write of [`Self::record_failure`] and the
    /// checkpoint goes through here, so each gets [`WriteConnection`]'s care.
    async fn write<T>(
        &self,
        work: impl AsyncFnOnce(&mut Tx<'_>) -> StoreResult<T>,
    ) -> StoreResult<T> {
        let mut writer = self.write_connection().await?;
        let result = async {
            let mut tx = writer.begin().await?;
            let value = work(&mut tx).await?;
            tx.commit().await.map_err(db)?;
            Ok(value)
        }
        .await;
        writer.settle(result)
    }

    /// Runs `work`, a statement that commits by itself, on the writer connection.
    async fn write_one<T>(
        &self,
        work: impl AsyncFnOnce(&mut sqlx::AnyConnection) -> StoreResult<T>,
    ) -> StoreResult<T> {
        let mut writer = self.write_connection().await?;
        let result = match writer.conn() {
            Ok(conn) => work(conn).await,
            Err(error) => Err(error),
        };
        writer.settle(result)
    }

    /// Runs `statement`, which commits by itself, on the writer connection within
    /// [`DEADLINE`]; returns how many rows it changed.
    async fn rows_changed<'q>(
        &self,
        statement: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    ) -> StoreResult<u64> {
        let write = self.write_one(async |conn| statement.execute(conn).await.map_err(db));
        Ok(bounded(DEADLINE, write).await?.rows_affected())
    }

    /// Runs `work`, reads only, on a read connection. A connection on which the database
    /// failed is closed rather than lent again: the next read gets a fresh one.
    async fn read<T>(
        &self,
        work: impl AsyncFnOnce(&mut sqlx::AnyConnection) -> StoreResult<T>,
    ) -> StoreResult<T> {
        let mut reader = match &self.readers {
            Readers::Pool(pool) => ReadConnection::Pooled(pool.acquire().await.map_err(db)?),
            Readers::Sqlite { threads: pool, .. } => {
                match tokio::time::timeout(ACQUIRE_TIMEOUT, pool.get()).await {
                    Ok(Ok(conn)) => ReadConnection::Sqlite(conn),
                    Ok(Err(deadpool::managed::PoolError::Backend(error))) => return Err(error),
                    Ok(Err(error)) => return Err(StoreError::Unavailable(error.to_string())),
                    Err(_) => {
                        return Err(StoreError::Unavailable(format!(
                            "no read connection came free within {ACQUIRE_TIMEOUT:?}"
                        )));
                    }
                }
            }
        };
        let result = work(reader.conn()).await;
        if matches!(result, Err(StoreError::Unavailable(_))) {
            reader.discard();
        }
        result
    }

    /// The row `statement` finds, if any, read on the async worker itself, with `read`:
    /// on a SQLite file, by [`InlineReaders`]. `None` where the read is to go through
    /// [`Self::read`] instead: on PostgreSQL and in-memory SQLite, and when SQLite
    /// refused to read without waiting.
    fn read_inline<T>(
        &self,
        statement: &Statement,
        read: impl FnOnce(&rusqlite::Row<'_>) -> StoreResult<T>,
    ) -> Option<StoreResult<Option<T>>> {
        match &self.readers {
            Readers::Sqlite { inline, .. } => inline.read_row(statement, read),
            Readers::Pool(_) => None,
        }
    }

    /// The row `statement` finds, if any, read with `read`: on the async worker where
    /// [`Self::read_inline`] can, on a read connection within [`DEADLINE`] where not.
    async fn read_one<T>(
        &self,
        statement: &Statement,
        read: impl Fn(&dyn Columns) -> StoreResult<T>,
    ) -> StoreResult<Option<T>> {
        if let Some(found) = self.read_inline(statement, |row| read(row)) {
            return found;
        }
        let row = self.read_row(statement.build()).await?;
        row.map(|row| read(&row)).transpose()
    }

    /// The row `query` finds, if any, read on a read connection within [`DEADLINE`].
    async fn read_row<'q>(
        &self,
        query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    ) -> StoreResult<Option<AnyRow>> {
        let read = self.read(async |conn| query.fetch_optional(conn).await.map_err(db));
        bounded(DEADLINE, read).await
    }

    /// Commits `batch` atomically, as [`Self::write`] would: on a SQLite file by the
    /// writer thread, in a transaction of its own or one with the batches queued beside it
    /// ([`BatchWriter`]); on in-memory SQLite in one query from BEGIN to COMMIT; and on
    /// PostgreSQL as one statement, which commits by itself. Returns the rows its
    /// statements return: on SQLite every statement's, on PostgreSQL the last's.
    async fn write_batch(&self, batch: Batch) -> StoreResult<Vec<ReturnedRow>> {
        if batch.query.sql.is_empty() {
            return Ok(Vec::new());
        }
        if self.backend == Backend::Postgres {
            return self
                .write_one(async |conn| {
                    let rows = batch.query.build().fetch_all(conn).await.map_err(db)?;
                    rows.iter().map(ReturnedRow::of_any).collect()
                })
                .await;
        }
        match &self.writer {
            Writer::Sole { batches, .. } => batches.commit(batch).await,
            Writer::Pool(_) => commit_sqlite(self.write_connection().await?, &batch.query).await,
        }
    }

    /// The writer connection, held for one write transaction: see [`WriteConnection`].
    /// Waits for it as long as for a pooled connection, [`ACQUIRE_TIMEOUT`].
    async fn write_connection(&self) -> StoreResult<WriteConnection<'_>> {
        let lent = match &self.writer {
            Writer::Pool(pool) => Lent::Pooled(pool.acquire().await.map_err(db)?),
            Writer::Sole {
                url, connection, ..
            } => lend_sole(url, connection, Instant::now()).await?,
        };
        Ok(WriteConnection {
            lent,
            keep: false,
            last_unavailable: &self.last_unavailable_write,
        })
    }

    /// Commits a write to the heartbeat row through the same connection(s) as every
    /// other write: the readiness check, which must fail when reads still work but
    /// writes do not (a full disk, a PostgreSQL standby).
    pub async fn probe_write(&self, now: i64) -> StoreResult<()> {
        let _timer = self.metrics.time("probe_write", Access::Write);
        bounded(
            DEADLINE,
            self.write_one(async |conn| {
                sqlx::query("UPDATE heartbeat SET instant = $1 WHERE id = 1")
                    .bind(now)
                    .execute(conn)
                    .await
                    .map_err(db)?;
                Ok(())
            }),
        )
        .await
    }

    // ---- users -------------------------------------------------------------------

    /// Decodes a row of [`user_select`]: the user, with its registrations and two-factor
    /// methods as JSON arrays of rows.
    fn user_of(row: &(impl Columns + ?Sized)) -> StoreResult<(User, Option<PasswordHash>)> {
        let id = uuid(&row.text("id")?)?;
        let corrupt = |what: &str, e: serde_json::Error| {
            StoreError::Corrupt(format!("{what} of user {id}: {e}"))
        };
        let password = match (
            row.text_or_null("password_scheme")?,
            row.int_or_null("password_factor")?,
            row.text_or_null("password_salt")?,
            row.text_or_null("password_hash")?,
        ) {
            (Some(scheme), Some(factor), Some(salt), Some(hash)) => Some(
                PasswordHash::from_stored(
                    &scheme,
                    u32::try_from(factor).unwrap_or(0),
                    &salt,
                    &hash,
                )
                .map_err(|e| StoreError::Corrupt(format!("password of user {id}: {e}")))?,
            ),
            _ => None,
        };
        let registrations: Vec<RegistrationRow> = serde_json::from_str(&row.text("registrations")?)
            .map_err(|e| corrupt("registrations", e))?;
        let registrations = registrations
            .into_iter()
            .map(
                |(reg_id, application_id, roles, verified, insert_instant, last_login, profile)| {
                    Ok(Registration {
                        id: uuid(&reg_id)?,
                        application_id: uuid(&application_id)?,
                        roles: serde_json::from_str(&roles).map_err(|e| corrupt("roles", e))?,
                        verified: verified != 0,
                        insert_instant,
                        last_login_instant: last_login,
                        profile: json_object(&profile)?,
                    })
                },
            )
            .collect::<StoreResult<Vec<_>>>()?;
        let two_factor_methods: Vec<(String, String)> =
            serde_json::from_str(&row.text("two_factor_methods")?)
                .map_err(|e| corrupt("two-factor methods", e))?;
        let user = User {
            id,
            tenant_id: uuid(&row.text("tenant_id")?)?,
            email: row.text_or_null("email")?,
            username: row.text_or_null("username")?,
            active: flag(row, "active")?,
            verified: flag(row, "verified")?,
            expiry: row.int_or_null("expiry")?,
            password_change_required: flag(row, "password_change_required")?,
            password_change_reason: row
                .text_or_null("password_change_reason")?
                .and_then(|r| ChangePasswordReason::parse(&r)),
            password_last_update_instant: row.int_or_null("password_last_update_instant")?,
            insert_instant: row.int("insert_instant")?,
            last_update_instant: row.int("last_update_instant")?,
            last_login_instant: row.int_or_null("last_login_instant")?,
            profile: json_object(&row.text("profile")?)?,
            registrations,
            two_factor_methods: two_factor_methods
                .into_iter()
                .map(|(id, secret)| TwoFactorMethod { id, secret })
                .collect(),
        };
        Ok((user, password))
    }

    /// The first user matching `condition` (SQL after `WHERE`, with `binds` as `$1`…).
    async fn find_user(
        &self,
        condition: &str,
        binds: &[&str],
    ) -> StoreResult<Option<(User, Option<PasswordHash>)>> {
        let sql = format!("{} FROM users WHERE {condition}", user_select(self.backend));
        let query = binds
            .iter()
            .fold(sqlx::query(&sql), |query, bind| query.bind(*bind));
        self.read_row(query)
            .await?
            .as_ref()
            .map(Self::user_of)
            .transpose()
    }

    /// The user whose email or username is `login_key` (already lower-cased) in a tenant.
    /// Email wins when one user's email equals another's username.
    pub async fn user_by_login_id(
        &self,
        tenant_id: Uuid,
        login_key: &str,
    ) -> StoreResult<Option<(User, Option<PasswordHash>)>> {
        let _timer = self.metrics.time("user_by_login_id", Access::Read);
        self.find_user(BY_LOGIN_ID, &[&tenant_id.to_string(), login_key])
            .await
    }

    /// [`Self::user_by_login_id`] with the user's failed authentications, in one read: a
    /// password login reads them before its hash, and [`Self::write_login`] checks the
    /// lock again as it writes.
    pub async fn login_user(
        &self,
        tenant_id: Uuid,
        login_key: &str,
    ) -> StoreResult<Option<LoginUser>> {
        let _timer = self.metrics.time("login_user", Access::Read);
        self.find_login_user(BY_LOGIN_ID, &[&tenant_id.to_string(), login_key])
            .await
    }

    /// User `id` with the user's failed authentications, in one read: the user of a
    /// one-time password, which reading the two in turn took two hand-offs to a SQLite
    /// connection's thread (round trips to PostgreSQL) to find.
    pub async fn login_user_by_id(&self, id: Uuid) -> StoreResult<Option<LoginUser>> {
        let _timer = self.metrics.time("login_user_by_id", Access::Read);
        self.find_login_user("users.id = $1", &[&id.to_string()])
            .await
    }

    async fn find_login_user(
        &self,
        condition: &str,
        binds: &[&str],
    ) -> StoreResult<Option<LoginUser>> {
        let sql = format!(
            "{}, {JOINED_FAILURE_COLUMNS} \
             FROM users LEFT JOIN failed_logins ON failed_logins.user_id = users.id WHERE {condition}",
            user_select(self.backend)
        );
        let statement = Statement {
            sql,
            params: binds.iter().map(|b| Param::Text((*b).to_owned())).collect(),
        };
        self.read_one(&statement, |row| Self::login_user_of(row))
            .await
    }

    /// A user's row joined with its failed authentications ([`JOINED_FAILURE_COLUMNS`]).
    fn login_user_of(row: &(impl Columns + ?Sized)) -> StoreResult<LoginUser> {
        let (user, password) = Self::user_of(row)?;
        Ok(LoginUser {
            user,
            password,
            failures: joined_failure_state(row)?,
        })
    }

    pub async fn user(&self, id: Uuid) -> StoreResult<Option<(User, Option<PasswordHash>)>> {
        let _timer = self.metrics.time("user", Access::Read);
        self.find_user("id = $1", &[&id.to_string()]).await
    }

    /// Inserts a user with its registrations, two-factor methods and recovery-code
    /// hashes, all or nothing.
    pub async fn insert_user(
        &self,
        user: &User,
        password: Option<&PasswordHash>,
        recovery_code_hashes: &[String],
    ) -> StoreResult<()> {
        let _timer = self.metrics.time("insert_user", Access::Write);
        bounded(DEADLINE, async {
            self.write(async |tx| {
                insert_user(tx, user, password, recovery_code_hashes).await?;
                Ok(())
            })
            .await
        })
        .await
    }

    /// Inserts many users in one transaction: an import succeeds or changes nothing.
    pub async fn insert_users(
        &self,
        users: &[(User, Option<PasswordHash>, Vec<String>)],
    ) -> StoreResult<()> {
        let _timer = self.metrics.time("insert_users", Access::Write);
        bounded(IMPORT_DEADLINE, async {
            self.write(async |tx| {
                for (user, password, recovery_code_hashes) in users {
                    insert_user(tx, user, password.as_ref(), recovery_code_hashes).await?;
                }
                Ok(())
            })
            .await
        })
        .await
    }

    pub async fn insert_registration(
        &self,
        user_id: Uuid,
        registration: &Registration,
    ) -> StoreResult<()> {
        let _timer = self.metrics.time("insert_registration", Access::Write);
        bounded(DEADLINE, async {
            self.write(async |tx| {
                insert_registration(tx, user_id, registration).await?;
                Ok(())
            })
            .await
        })
        .await
    }

    /// Soft delete: the user stays, cannot log in (423), and loses its refresh tokens.
    pub async fn deactivate_user(&self, id: Uuid, now: i64) -> StoreResult<bool> {
        let _timer = self.metrics.time("deactivate_user", Access::Write);
        bounded(DEADLINE, async {
            self.write(async |tx| {
                let changed = sqlx::query(
                    "UPDATE users SET active = 0, last_update_instant = $1 WHERE id = $2",
                )
                .bind(now)
                .bind(id.to_string())
                .execute(&mut **tx)
                .await
                .map_err(db)?
                .rows_affected();
                revoke_user_tokens(tx, id).await?;
                Ok(changed > 0)
            })
            .await
        })
        .await
    }

    pub async fn delete_user(&self, id: Uuid) -> StoreResult<bool> {
        let _timer = self.metrics.time("delete_user", Access::Write);
        bounded(DEADLINE, async {
            self.write(async |tx| {
                revoke_user_tokens(tx, id).await?;
                let deleted = sqlx::query("DELETE FROM users WHERE id = $1")
                    .bind(id.to_string())
                    .execute(&mut **tx)
                    .await
                    .map_err(db)?
                    .rows_affected();
                Ok(deleted > 0)
            })
            .await
        })
        .await
    }

    /// Sets a new password, clearing any change requirement; revokes the user's refresh
    /// tokens and outstanding change-password ids, as FusionAuth does.
    pub async fn change_password(
        &self,
        user_id: Uuid,
        password: &PasswordHash,
        now: i64,
    ) -> StoreResult<()> {
        let _timer = self.metrics.time("change_password", Access::Write);
        bounded(DEADLINE, async {
            self.write(async |tx| {
                set_password(tx, user_id, password, now).await?;
                sqlx::query("UPDATE users SET password_change_required = 0, password_change_reason = NULL WHERE id = $1")
                    .bind(user_id.to_string())
                    .execute(&mut **tx)
                    .await
                    .map_err(db)?;
                revoke_user_tokens(tx, user_id).await?;
                sqlx::query("DELETE FROM identifiers WHERE user_id = $1 AND kind = $2")
                    .bind(user_id.to_string())
                    .bind(IdentifierKind::ChangePassword.as_str())
                    .execute(&mut **tx)
                    .await
                    .map_err(db)?;
                sqlx::query("DELETE FROM failed_logins WHERE user_id = $1")
                    .bind(user_id.to_string())
                    .execute(&mut **tx)
                    .await
                    .map_err(db)?;
                Ok(())
            })
            .await
        })
        .await
    }

    /// Everything a successful login changes, in one transaction: failure count cleared,
    /// login instants moved, optional re-hash, the login record and the refresh token.
    pub async fn record_login(&self, success: &LoginSuccess) -> StoreResult<()> {
        let _timer = self.metrics.time("record_login", Access::Write);
        let mut batch = Batch::new(self.backend);
        push_login_success(&mut batch, success, WriteIf::Always);
        bounded(DEADLINE, self.write_batch(batch)).await.map(drop)
    }

    /// Writes what a decided login writes (see [`LoginWrite`]) unless its user is locked
    /// at `now` — checked in the write's own transaction, so a lock that started after
    /// the login read the user's failures (during its hash, say) wins: the login neither
    /// hands out a token or a step past the lock nor clears it.
    pub async fn write_login(&self, write: &LoginWrite, now: i64) -> StoreResult<LoginWritten> {
        let (user_id, operation) = match write {
            LoginWrite::Nothing => return Ok(LoginWritten::Written),
            LoginWrite::Step(identifier) => (identifier.user_id, "create_identifier"),
            LoginWrite::Success(success) => (success.user_id, "record_login"),
        };
        let _timer = self.metrics.time(operation, Access::Write);
        let user_id = user_id.to_string();
        let write_if = WriteIf::Unlocked {
            user_id: &user_id,
            now,
        };
        let mut batch = Batch::new(self.backend);
        match write {
            LoginWrite::Nothing => {}
            LoginWrite::Step(identifier) => insert_identifier(batch.add(), identifier, write_if),
            LoginWrite::Success(success) => push_login_success(&mut batch, success, write_if),
        }
        // Last, so that on PostgreSQL it is the statement whose rows come back; it sees
        // what the conditions saw (SQLite: the same transaction; PostgreSQL: the same
        // snapshot).
        let lock = batch.add().push("SELECT locked_until");
        active_lock(lock, &user_id, now);
        let rows = bounded(DEADLINE, self.write_batch(batch)).await?;
        match rows.first() {
            Some(row) => Ok(LoginWritten::Locked {
                until: (row.int("locked_until")?)
                    .ok_or_else(|| StoreError::Corrupt("a lock without its end".into()))?,
            }),
            None => Ok(LoginWritten::Written),
        }
    }

    pub async fn insert_login_record(&self, record: &LoginRecord) -> StoreResult<()> {
        let _timer = self.metrics.time("insert_login_record", Access::Write);
        let mut batch = Batch::new(self.backend);
        insert_login_record(batch.add(), record);
        bounded(DEADLINE, self.write_batch(batch)).await.map(drop)
    }

    pub async fn login_records(&self, user_id: Uuid) -> StoreResult<Vec<LoginRecord>> {
        let _timer = self.metrics.time("login_records", Access::Read);
        let sql = format!(
            "SELECT {RECORD_COLUMNS} FROM login_records WHERE user_id = $1 ORDER BY instant, id"
        );
        bounded(
            DEADLINE,
            self.read(async |conn| {
                sqlx::query(&sql)
                    .bind(user_id.to_string())
                    .fetch_all(conn)
                    .await
                    .map_err(db)?
                    .iter()
                    .map(login_record)
                    .collect()
            }),
        )
        .await
    }

    /// One page of records matching `criteria`, newest first (ties by insertion order),
    /// with the total when asked. The order is total, so paging by `startRow` visits each
    /// record exactly once.
    pub async fn search_login_records(
        &self,
        criteria: &SearchCriteria,
    ) -> StoreResult<(Vec<LoginRecord>, Option<i64>)> {
        let _timer = self.metrics.time("search_login_records", Access::Read);
        bounded(DEADLINE, async {
            let mut query = Statement::new(format!(
                "SELECT {RECORD_COLUMNS} FROM login_records WHERE 1 = 1"
            ));
            query.filter(&criteria.filter);
            query
                .push(" ORDER BY instant DESC, id DESC LIMIT ")
                .int(criteria.number_of_results);
            query.push(" OFFSET ").int(criteria.start_row);
            self.read(async |conn| {
                let rows = query.build().fetch_all(&mut *conn).await.map_err(db)?;
                let records = rows
                    .iter()
                    .map(login_record)
                    .collect::<StoreResult<Vec<_>>>()?;
                let total = if criteria.retrieve_total {
                    let row = count_statement(&criteria.filter)
                        .build()
                        .fetch_one(conn)
                        .await
                        .map_err(db)?;
                    Some(row.try_get::<i64, _>("total").map_err(db)?)
                } else {
                    None
                };
                Ok((records, total))
            })
            .await
        })
        .await
    }

    /// Calls `each` with every record matching `filter`, newest first, on the calling
    /// thread, which must be a blocking one (`handle` runs the pool's queries).
    ///
    /// On a SQLite file the rows come from one read-only connection opened on this
    /// thread: sqlx's SQLite driver hands every row from its worker thread to the
    /// runtime, and that per-row handoff (allocated on one thread, freed on another)
    /// bounded exports at about 70,000 rows/s. One statement also reads one snapshot.
    /// Elsewhere the pool pages by keyset, fetching each page while the previous one is
    /// being consumed; memory stays bounded either way. Each page, not the whole export,
    /// is held to the store's deadline: an export may rightly take minutes, but a page
    /// that takes more than [`DEADLINE`] is a database that has gone away.
    pub fn for_each_login_record<E: From<StoreError>>(
        &self,
        handle: &tokio::runtime::Handle,
        filter: &RecordFilter,
        mut each: impl FnMut(&ExportRow<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut query = Statement::new(
            "SELECT id, user_id, login_id, application_id, ip_address, instant FROM login_records WHERE 1 = 1",
        );
        query.filter(filter);
        match &self.sqlite_file {
            Some(file) => {
                query.push(" ORDER BY instant DESC, id DESC");
                self.each_sqlite_row(file, &query, each)
            }
            None => {
                let fetch = |cursor: Option<RecordCursor>| {
                    let store = self.clone();
                    let filter = filter.clone();
                    handle.spawn(async move {
                        bounded(DEADLINE, store.export_page(&filter, cursor)).await
                    })
                };
                let mut next = Some(fetch(None));
                while let Some(pending) = next.take() {
                    let page = handle
                        .block_on(pending)
                        .map_err(|e| StoreError::Unavailable(e.to_string()))??;
                    if page.len() == EXPORT_PAGE {
                        next = page.last().map(|(cursor, _)| fetch(Some(*cursor)));
                    }
                    for (_, record) in &page {
                        each(&ExportRow {
                            user_id: &record.user_id,
                            login_id: &record.login_id,
                            application_id: record.application_id.as_deref(),
                            ip_address: record.ip_address.as_deref(),
                            instant: record.instant,
                        })?;
                    }
                }
                Ok(())
            }
        }
    }

    fn each_sqlite_row<E: From<StoreError>>(
        &self,
        file: &std::path::Path,
        query: &Statement,
        mut each: impl FnMut(&ExportRow<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        let sqlite = |e: rusqlite::Error| StoreError::Unavailable(e.to_string());
        let connection = open_read_only(file, Duration::from_secs(5)).map_err(sqlite)?;
        let mut statement = connection.prepare(&query.sql).map_err(sqlite)?;
        let params = rusqlite::params_from_iter(&query.params);
        let mut rows = statement.query(params).map_err(sqlite)?;
        while let Some(row) = rows.next().map_err(sqlite)? {
            let missing = || StoreError::Corrupt("login record without user or login id".into());
            each(&ExportRow {
                user_id: sqlite_text(row, 1)?.ok_or_else(missing)?,
                login_id: sqlite_text(row, 2)?.ok_or_else(missing)?,
                application_id: sqlite_text(row, 3)?,
                ip_address: sqlite_text(row, 4)?,
                instant: row.get(5).map_err(sqlite)?,
            })?;
        }
        Ok(())
    }

    /// One keyset page of export rows after `cursor`.
    async fn export_page(
        &self,
        filter: &RecordFilter,
        cursor: Option<RecordCursor>,
    ) -> StoreResult<Vec<(RecordCursor, ExportRecord)>> {
        let mut query = Statement::new(
            "SELECT id, user_id, login_id, application_id, ip_address, instant FROM login_records WHERE 1 = 1",
        );
        query.filter(filter);
        if let Some(cursor) = cursor {
            // A row-value comparison: both databases turn it into one index range scan,
            // where the equivalent OR of two conditions scans ever more rows per page.
            query.push(" AND (instant, id) < (").int(cursor.instant);
            query.push(", ").int(cursor.id).push(")");
        }
        query
            .push(" ORDER BY instant DESC, id DESC LIMIT ")
            .int(i64::try_from(EXPORT_PAGE).unwrap_or(i64::MAX));
        let rows = self
            .read(async |conn| query.build().fetch_all(conn).await.map_err(db))
            .await?;
        rows.into_iter()
            .map(|r| {
                let record = ExportRecord {
                    user_id: r.try_get("user_id").map_err(db)?,
                    login_id: r.try_get("login_id").map_err(db)?,
                    application_id: r.try_get("application_id").map_err(db)?,
                    ip_address: r.try_get("ip_address").map_err(db)?,
                    instant: r.try_get("instant").map_err(db)?,
                };
                let cursor = RecordCursor {
                    instant: record.instant,
                    id: r.try_get("id").map_err(db)?,
                };
                Ok((cursor, record))
            })
            .collect()
    }

    /// Copies SQLite's write-ahead log into the database file, first beside the writes
    /// ([`SQLITE_CHECKPOINT_BESIDE_WRITES`]), then holding them for what is left
    /// ([`SQLITE_CHECKPOINT`]); [`crate::wal`] calls it in the background so that no
    /// request's commit pays for the copy. True when the next write will start the log
    /// over, false when a reader kept some of it. PostgreSQL checkpoints on its own.
    pub async fn checkpoint(&self) -> StoreResult<bool> {
        bounded(DEADLINE, async {
            if self.backend != Backend::Sqlite {
                return Ok(true);
            }
            let _timer = self.metrics.time("checkpoint", Access::Checkpoint);
            // Whether it copied everything, or ran at all (no read connection free), only
            // changes how much the pass below has left to do; that pass reports failures.
            let _ = self
                .read(async |conn| {
                    conn.execute(SQLITE_CHECKPOINT_BESIDE_WRITES)
                        .await
                        .map_err(db)
                })
                .await;
            // A checkpoint abandoned between its statements leaves the short busy timeout
            // behind; the guard closes such a connection instead of lending it out.
            self.write_one(async |conn| {
                let [shorten, checkpoint, restore] = SQLITE_CHECKPOINT;
                conn.execute(shorten).await.map_err(db)?;
                // One row: whether a reader kept it from finishing, the log's frames, and
                // how many of them are now in the database file.
                let (busy, _, _): (i64, i64, i64) = sqlx::query_as(checkpoint)
                    .fetch_one(&mut *conn)
                    .await
                    .map_err(db)?;
                conn.execute(restore).await.map_err(db)?;
                Ok(busy == 0)
            })
            .await
        })
        .await
    }

    /// Deletes up to `batch` of a tenant's records older than `cutoff`; returns how many.
    /// Small batches keep each write transaction short, so logins never wait long.
    pub async fn delete_login_records_before(
        &self,
        tenant_id: Uuid,
        cutoff: i64,
        batch: i64,
    ) -> StoreResult<u64> {
        let _timer = self
            .metrics
            .time("delete_login_records_before", Access::Write);
        let statement = sqlx::query(
            "DELETE FROM login_records WHERE id IN (SELECT id FROM login_records WHERE tenant_id = $1 AND instant < $2 ORDER BY instant LIMIT $3)",
        )
        .bind(tenant_id.to_string())
        .bind(cutoff)
        .bind(batch);
        self.rows_changed(statement).await
    }

    /// Deletes up to `batch` identifiers that expired at or before `now` (reads treat
    /// them as gone already); returns how many.
    pub async fn delete_expired_identifiers(&self, now: i64, batch: i64) -> StoreResult<u64> {
        let _timer = self
            .metrics
            .time("delete_expired_identifiers", Access::Write);
        let statement = sqlx::query(
            "DELETE FROM identifiers WHERE (kind, id_hash) IN (SELECT kind, id_hash FROM identifiers WHERE expires_at <= $1 LIMIT $2)",
        )
        .bind(now)
        .bind(batch);
        self.rows_changed(statement).await
    }

    // ---- failed-authentication lockout --------------------------------------------

    pub async fn failures(&self, user_id: Uuid) -> StoreResult<Option<FailureState>> {
        let _timer = self.metrics.time("failures", Access::Read);
        let query = sqlx::query(
            "SELECT count, last_failure_instant, locked_until FROM failed_logins WHERE user_id = $1",
        )
        .bind(user_id.to_string());
        let row = self.read_row(query).await?;
        row.as_ref().map(failure_state).transpose()
    }

    /// Applies `step` to the stored failure state atomically: the account's write lock is
    /// taken before the read, so concurrent failures — from any sidecar sharing the
    /// database — never lose an increment. A lock that starts also revokes the user's
    /// refresh tokens.
    pub async fn record_failure(
        &self,
        user_id: Uuid,
        step: impl FnOnce(Option<FailureState>) -> FailureUpdate,
    ) -> StoreResult<FailureUpdate> {
        let _timer = self.metrics.time("record_failure", Access::Write);
        bounded(DEADLINE, async {
            let mut writer = self.write_connection().await?;
            let conn = writer.conn()?;
            let result = async {
                self.backend
                    .begin_locked(conn, &user_id.to_string())
                    .await?;
                let row = sqlx::query("SELECT count, last_failure_instant, locked_until FROM failed_logins WHERE user_id = $1")
                    .bind(user_id.to_string())
                    .fetch_optional(&mut *conn)
                    .await
                    .map_err(db)?;
                let previous = row.as_ref().map(failure_state).transpose()?;
                let (state, lock_started) = step(previous);
                sqlx::query(
                    "INSERT INTO failed_logins (user_id, count, last_failure_instant, locked_until) VALUES ($1, $2, $3, $4) ON CONFLICT (user_id) DO UPDATE SET count = excluded.count, last_failure_instant = excluded.last_failure_instant, locked_until = excluded.locked_until",
                )
                .bind(user_id.to_string())
                .bind(state.count)
                .bind(state.last_failure_instant)
                .bind(state.locked_until)
                .execute(&mut *conn)
                .await
                .map_err(db)?;
                if lock_started {
                    sqlx::query("DELETE FROM refresh_tokens WHERE user_id = $1")
                        .bind(user_id.to_string())
                        .execute(&mut *conn)
                        .await
                        .map_err(db)?;
                }
                Ok((state, lock_started))
            }
            .await;
            let end = if result.is_ok() { "COMMIT" } else { "ROLLBACK" };
            let ended = sqlx::query(end).execute(&mut *conn).await.map_err(db);
            writer.settle(match (result, ended) {
                (Ok(update), Ok(_)) => Ok(update),
                (Err(error @ StoreError::Unavailable(_)), _) => Err(error),
                // A COMMIT or ROLLBACK that failed leaves the transaction in doubt, whatever
                // came before: answered as unavailable, the connection is closed.
                (_, Err(error)) => Err(error),
                (Err(error), Ok(_)) => Err(error),
            })
        })
        .await
    }

    // ---- identifiers ---------------------------------------------------------------

    pub async fn create_identifier(
        &self,
        kind: IdentifierKind,
        id_hash: &str,
        user_id: Uuid,
        expires_at: i64,
        data: &Value,
    ) -> StoreResult<()> {
        let _timer = self.metrics.time("create_identifier", Access::Write);
        let mut statement = Statement::new("");
        insert_identifier(
            &mut statement,
            &NewIdentifier {
                kind,
                id_hash: id_hash.to_owned(),
                user_id,
                expires_at,
                data: data.clone(),
            },
            WriteIf::Always,
        );
        bounded(
            DEADLINE,
            self.write_one(async |conn| {
                statement.build().execute(conn).await.map(drop).map_err(db)
            }),
        )
        .await
    }

    /// The identifier if it exists and has not expired at `now`.
    pub async fn identifier(
        &self,
        kind: IdentifierKind,
        id_hash: &str,
        now: i64,
    ) -> StoreResult<Option<IdentifierRecord>> {
        let _timer = self.metrics.time("identifier", Access::Read);
        let query = sqlx::query("SELECT user_id, data, attempts FROM identifiers WHERE kind = $1 AND id_hash = $2 AND expires_at > $3")
            .bind(kind.as_str())
            .bind(id_hash)
            .bind(now);
        let row = self.read_row(query).await?;
        row.as_ref().map(identifier_record).transpose()
    }

    /// A live identifier of `kind` (a pending login), its user and the user's failed
    /// authentications, in one statement: a two-factor completion needs all three
    /// before it looks at the code, and read them in turn in three.
    pub async fn pending_login(
        &self,
        kind: IdentifierKind,
        id_hash: &str,
        now: i64,
    ) -> StoreResult<Option<PendingLogin>> {
        let _timer = self.metrics.time("pending_login", Access::Read);
        let sql = format!(
            "{}, identifiers.user_id, identifiers.data, identifiers.attempts, {JOINED_FAILURE_COLUMNS} \
             FROM identifiers JOIN users ON users.id = identifiers.user_id \
             LEFT JOIN failed_logins ON failed_logins.user_id = users.id \
             WHERE identifiers.kind = $1 AND identifiers.id_hash = $2 AND identifiers.expires_at > $3",
            user_select(self.backend)
        );
        let statement = Statement {
            sql,
            params: vec![
                Param::Text(kind.as_str().to_owned()),
                Param::Text(id_hash.to_owned()),
                Param::Int(now),
            ],
        };
        self.read_one(&statement, |row| {
            let (user, _) = Self::user_of(row)?;
            Ok(PendingLogin {
                identifier: identifier_record(row)?,
                user,
                failures: joined_failure_state(row)?,
            })
        })
        .await
    }

    /// Deletes and returns a live identifier: single use, even under concurrent requests.
    pub async fn consume_identifier(
        &self,
        kind: IdentifierKind,
        id_hash: &str,
        now: i64,
    ) -> StoreResult<Option<IdentifierRecord>> {
        let _timer = self.metrics.time("consume_identifier", Access::Write);
        bounded(DEADLINE, async {
            let statement = sqlx::query("DELETE FROM identifiers WHERE kind = $1 AND id_hash = $2 RETURNING user_id, data, attempts, expires_at")
                .bind(kind.as_str())
                .bind(id_hash);
            let row = self
                .write_one(async |conn| statement.fetch_optional(conn).await.map_err(db))
                .await?;
            match row {
                Some(r) if r.try_get::<i64, _>("expires_at").map_err(db)? > now => {
                    Ok(Some(identifier_record(&r)?))
                }
                _ => Ok(None),
            }
        })
        .await
    }

    /// Counts one wrong code against an identifier; returns the new count.
    pub async fn bump_identifier_attempts(
        &self,
        kind: IdentifierKind,
        id_hash: &str,
    ) -> StoreResult<i64> {
        let _timer = self.metrics.time("bump_identifier_attempts", Access::Write);
        bounded(DEADLINE, async {
            let statement = sqlx::query("UPDATE identifiers SET attempts = attempts + 1 WHERE kind = $1 AND id_hash = $2 RETURNING attempts")
                .bind(kind.as_str())
                .bind(id_hash);
            let row = self
                .write_one(async |conn| statement.fetch_optional(conn).await.map_err(db))
                .await?;
            row.map(|r| r.try_get("attempts").map_err(db))
                .transpose()
                .map(Option::unwrap_or_default)
        })
        .await
    }

    pub async fn delete_identifier(&self, kind: IdentifierKind, id_hash: &str) -> StoreResult<()> {
        let _timer = self.metrics.time("delete_identifier", Access::Write);
        bounded(DEADLINE, async {
            self.write_one(async |conn| {
                sqlx::query("DELETE FROM identifiers WHERE kind = $1 AND id_hash = $2")
                    .bind(kind.as_str())
                    .bind(id_hash)
                    .execute(conn)
                    .await
                    .map_err(db)
            })
            .await?;
            Ok(())
        })
        .await
    }

    // ---- two factor ------------------------------------------------------------------

    /// Adds a TOTP method; recovery codes are stored only with the first method.
    pub async fn add_two_factor_method(
        &self,
        user_id: Uuid,
        method: &TwoFactorMethod,
        recovery_code_hashes: &[String],
    ) -> StoreResult<()> {
        let _timer = self.metrics.time("add_two_factor_method", Access::Write);
        bounded(DEADLINE, async {
            self.write(async |tx| {
                sqlx::query("INSERT INTO two_factor_methods (user_id, id, secret) VALUES ($1, $2, $3)")
                    .bind(user_id.to_string())
                    .bind(&method.id)
                    .bind(&method.secret)
                    .execute(&mut **tx)
                    .await
                    .map_err(db)?;
                for hash in recovery_code_hashes {
                    sqlx::query("INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                        .bind(user_id.to_string())
                        .bind(hash)
                        .execute(&mut **tx)
                        .await
                        .map_err(db)?;
                }
                Ok(())
            })
            .await
        })
        .await
    }

    /// Marks a TOTP step used; false when that step (or a later one) was already used,
    /// which makes a replayed code fail.
    pub async fn use_totp_step(
        &self,
        user_id: Uuid,
        method_id: &str,
        step: u64,
    ) -> StoreResult<bool> {
        let _timer = self.metrics.time("use_totp_step", Access::Write);
        let step = i64::try_from(step).unwrap_or(i64::MAX);
        let statement = sqlx::query("UPDATE two_factor_methods SET last_used_step = $1 WHERE user_id = $2 AND id = $3 AND last_used_step < $4")
            .bind(step)
            .bind(user_id.to_string())
            .bind(method_id)
            .bind(step);
        Ok(self.rows_changed(statement).await? == 1)
    }

    /// Uses up `factor` and, only if that succeeded, consumes the pending login it
    /// completes (the live identifier of `kind` and `id_hash`) and writes `then`, the
    /// completed login's decision. One write for all three: a code spent already (a
    /// replayed step, a used recovery code) changes nothing and leaves the pending login
    /// for another try; only one request can consume a pending login; and a login is
    /// written only by the request that consumed it. A user locked at `now` changes
    /// nothing either, checked in the write's own transaction as [`Self::write_login`]
    /// does: a lock that started after the completion read the user's failures wins, and
    /// neither the code nor the pending login is spent on it.
    pub async fn use_second_factor(
        &self,
        user_id: Uuid,
        factor: &SecondFactor,
        kind: IdentifierKind,
        id_hash: &str,
        now: i64,
        then: &LoginWrite,
    ) -> StoreResult<SecondFactorUse> {
        let _timer = self.metrics.time("use_second_factor", Access::Write);
        let user_id = user_id.to_string();
        let unlocked = WriteIf::Unlocked {
            user_id: &user_id,
            now,
        };
        let mut batch = Batch::new(self.backend);
        let used = batch.add();
        match factor {
            SecondFactor::TotpStep { method_id, step } => {
                // Newer than the last step used: a code is good for one use.
                let step = i64::try_from(*step).unwrap_or(i64::MAX);
                used.push("UPDATE two_factor_methods SET last_used_step = ")
                    .int(step)
                    .push(" WHERE user_id = ")
                    .text(user_id.clone())
                    .push(" AND id = ")
                    .text(method_id.clone())
                    .push(" AND last_used_step < ")
                    .int(step);
            }
            SecondFactor::RecoveryCode { code_hash } => {
                used.push("DELETE FROM recovery_codes WHERE user_id = ")
                    .text(user_id.clone())
                    .push(" AND code_hash = ")
                    .text(code_hash.clone());
            }
        }
        // Everything after the factor's use depends on it, so this holds them all back.
        unlocked.and(used);
        used.push(" RETURNING 1 AS factor_used");
        let pending = |statement: &mut Statement| {
            statement
                .push(" WHERE kind = ")
                .text(kind.as_str().to_owned())
                .push(" AND id_hash = ")
                .text(id_hash.to_owned());
        };
        let claim = batch.add();
        let write_if = match self.backend {
            // SQLite's `changes()` counts the rows the connection's previous statement
            // changed: the factor's, just before in the same transaction. The claim
            // marks the pending login for the statements after it, and the batch's last
            // deletes it.
            Backend::Sqlite => {
                claim
                    .push("UPDATE identifiers SET attempts = ")
                    .int(CLAIMED);
                pending(claim);
                claim.push(" AND changes() = 1");
                WriteIf::Claimed { kind, id_hash }
            }
            // One statement: its `WITH` clauses see each other's returned rows.
            Backend::Postgres => {
                claim.push("DELETE FROM identifiers");
                pending(claim);
                claim.push(" AND EXISTS (SELECT 1 FROM w0)");
                WriteIf::Returned("w1")
            }
        };
        claim
            .push(" AND expires_at > ")
            .int(now)
            .push(" RETURNING 1 AS claimed");
        match then {
            LoginWrite::Nothing => {}
            LoginWrite::Step(identifier) => insert_identifier(batch.add(), identifier, write_if),
            LoginWrite::Success(success) => push_login_success(&mut batch, success, write_if),
        }
        match self.backend {
            Backend::Sqlite => {
                let claimed = batch.add().push("DELETE FROM identifiers");
                pending(claimed);
                claimed.push(" AND attempts = ").int(CLAIMED);
                let lock = batch.add().push("SELECT locked_until");
                active_lock(lock, &user_id, now);
            }
            // The batch's last statement is the only one whose rows PostgreSQL returns.
            Backend::Postgres => {
                let counts = batch.add().push(
                    "SELECT (SELECT COUNT(*) FROM w0) AS factor_used, (SELECT COUNT(*) FROM w1) AS claimed, (SELECT locked_until",
                );
                active_lock(counts, &user_id, now);
                counts.push(") AS locked_until");
            }
        }
        let rows = bounded(DEADLINE, self.write_batch(batch)).await?;
        let (factor_used, claimed, locked_until) = match self.backend {
            // A row from each statement that returns one and changed or found a row,
            // told apart by the column each returns.
            Backend::Sqlite => {
                let returned = |name: &str| rows.iter().find(|row| row.has(name));
                let locked_until = match returned("locked_until") {
                    Some(row) => row.int("locked_until")?,
                    None => None,
                };
                let factor_used = returned("factor_used").is_some();
                (factor_used, returned("claimed").is_some(), locked_until)
            }
            Backend::Postgres => match rows.first() {
                None => (false, false, None),
                Some(row) => (
                    row.int("factor_used")?.unwrap_or(0) > 0,
                    row.int("claimed")?.unwrap_or(0) > 0,
                    row.int("locked_until")?,
                ),
            },
        };
        Ok(match (locked_until, factor_used, claimed) {
            (Some(until), _, _) => SecondFactorUse::Locked { until },
            (None, false, _) => SecondFactorUse::Spent,
            (None, true, false) => SecondFactorUse::PendingGone,
            (None, true, true) => SecondFactorUse::Completed,
        })
    }

    // ---- refresh tokens --------------------------------------------------------------

    pub async fn find_refresh_token(&self, token_hash: &str) -> StoreResult<RefreshLookup> {
        let _timer = self.metrics.time("find_refresh_token", Access::Read);
        let live = format!("SELECT {REFRESH_COLUMNS} FROM refresh_tokens WHERE token_hash = $1");
        self.look_up_refresh_token(live, token_hash, |row| {
            refresh_record(row, &REFRESH_COLUMN_NAMES)
        })
        .await
    }

    /// What a refresh exchange reads: a live token with its user and the user's failed
    /// authentications, in one statement. Reading the three in turn took three hand-offs
    /// to a SQLite connection's thread, or round trips to PostgreSQL. A token whose user
    /// is gone is [`RefreshLookup::Unknown`] (the user's deletion deletes its tokens).
    pub async fn find_refresh_token_with_user(
        &self,
        token_hash: &str,
    ) -> StoreResult<RefreshLookup<(RefreshTokenRecord, LoginUser)>> {
        let _timer = self
            .metrics
            .time("find_refresh_token_with_user", Access::Read);
        let live = format!(
            "{}, presented.*, {JOINED_FAILURE_COLUMNS} FROM {PRESENTED_REFRESH_TOKEN} \
             JOIN users ON users.id = presented.refresh_token_user_id \
             LEFT JOIN failed_logins ON failed_logins.user_id = users.id",
            user_select(self.backend)
        );
        self.look_up_refresh_token(live, token_hash, |row| {
            let token = refresh_record(row, &PRESENTED_REFRESH_COLUMN_NAMES)?;
            Ok((token, Self::login_user_of(row)?))
        })
        .await
    }

    /// Runs `live`, a query for the live token whose value hashes to `$1`, and reads its
    /// row with `read_live`; without one, looks for the value among retired ones. Each
    /// read stands alone (no transaction spans them): a value rotated between the two is
    /// found retired, as it then is.
    async fn look_up_refresh_token<T>(
        &self,
        live: String,
        token_hash: &str,
        read_live: impl Fn(&dyn Columns) -> StoreResult<T>,
    ) -> StoreResult<RefreshLookup<T>> {
        let presented = || vec![Param::Text(token_hash.to_owned())];
        let live = Statement {
            sql: live,
            params: presented(),
        };
        let retired = Statement {
            sql: "SELECT refresh_token_id FROM retired_refresh_tokens WHERE token_hash = $1".into(),
            params: presented(),
        };
        let retired_id = |row: &dyn Columns| uuid(&row.text("refresh_token_id")?);
        let found = |live: Option<T>, retired: Option<Uuid>| match (live, retired) {
            (Some(live), _) => RefreshLookup::Live(live),
            (None, Some(refresh_token_id)) => RefreshLookup::Retired { refresh_token_id },
            (None, None) => RefreshLookup::Unknown,
        };
        // Inline, each read by itself; where SQLite refuses either, both through a thread.
        if let Some(live_read) = self.read_inline(&live, |row| read_live(row)) {
            if let Some(live) = live_read? {
                return Ok(found(Some(live), None));
            }
            if let Some(retired_read) = self.read_inline(&retired, |row| retired_id(row)) {
                return Ok(found(None, retired_read?));
            }
        }
        let (live, retired) = bounded(
            DEADLINE,
            self.read(async |conn| {
                let live = live.build().fetch_optional(&mut *conn).await.map_err(db)?;
                if live.is_some() {
                    return Ok((live, None));
                }
                let retired = retired.build().fetch_optional(conn).await.map_err(db)?;
                Ok((None, retired))
            }),
        )
        .await?;
        let live = live.map(|row| read_live(&row)).transpose()?;
        let retired = retired.map(|row| retired_id(&row)).transpose()?;
        Ok(found(live, retired))
    }

    pub async fn refresh_token_by_id(&self, id: Uuid) -> StoreResult<Option<RefreshTokenRecord>> {
        let _timer = self.metrics.time("refresh_token_by_id", Access::Read);
        let sql = format!("SELECT {REFRESH_COLUMNS} FROM refresh_tokens WHERE id = $1");
        let row = self
            .read_row(sqlx::query(&sql).bind(id.to_string()))
            .await?;
        row.map(|row| refresh_record(&row, &REFRESH_COLUMN_NAMES))
            .transpose()
    }

    /// Records a use of a token and its login record; with `new_hash`, rotates its value.
    /// All in one transaction: a refresh that fails (the database going away between
    /// the statements) has not rotated the client's one-time token away, so retrying it
    /// is not taken for reuse. Returns false when another request rotated or revoked it
    /// first (the loser must fail).
    pub async fn use_refresh_token(
        &self,
        id: Uuid,
        old_hash: &str,
        new_hash: Option<&str>,
        record: &LoginRecord,
    ) -> StoreResult<bool> {
        let _timer = self.metrics.time("use_refresh_token", Access::Write);
        if self.backend == Backend::Postgres {
            return bounded(
                DEADLINE,
                self.use_refresh_token_in_one_statement(id, old_hash, new_hash, record),
            )
            .await;
        }
        // One query from BEGIN to COMMIT, one hand-off to the writer connection's thread
        // where a transaction of its own took four. What follows the update writes only if
        // the token now has the value the update gives it, which it has only if the update
        // matched: a rotation's value is new, and a use without one matched on its value.
        let id = id.to_string();
        let current = new_hash.unwrap_or(old_hash);
        let used = WriteIf::RefreshTokenIs {
            id: &id,
            token_hash: current,
        };
        let mut batch = Batch::new(self.backend);
        batch
            .add()
            .push("UPDATE refresh_tokens SET token_hash = ")
            .text(current.to_owned())
            .push(", last_used_instant = ")
            .int(record.instant)
            .push(" WHERE id = ")
            .text(id.clone())
            .push(" AND token_hash = ")
            .text(old_hash.to_owned());
        if new_hash.is_some() {
            let retired = batch
                .add()
                .push("INSERT INTO retired_refresh_tokens (token_hash, refresh_token_id)");
            used.values(
                retired,
                [Param::Text(old_hash.to_owned()), Param::Text(id.clone())],
            );
            retired.push(" ON CONFLICT DO NOTHING");
        }
        login_record_insert(batch.add(), record, used);
        // The batch's one statement with rows: a row if the token was used.
        used.and(batch.add().push("SELECT 1 WHERE 1 = 1"));
        let rows = bounded(DEADLINE, self.write_batch(batch)).await?;
        Ok(!rows.is_empty())
    }

    /// [`Self::use_refresh_token`] on PostgreSQL: one statement, so one round trip where
    /// a transaction took four. The update returns the token's row only if it changed
    /// it, and the other writes are made from that row, so a token another request
    /// rotated or revoked first writes nothing.
    async fn use_refresh_token_in_one_statement(
        &self,
        id: Uuid,
        old_hash: &str,
        new_hash: Option<&str>,
        record: &LoginRecord,
    ) -> StoreResult<bool> {
        let mut statement = Statement::new("WITH used AS (UPDATE refresh_tokens SET token_hash = ");
        statement
            .text(new_hash.unwrap_or(old_hash).to_owned())
            .push(", last_used_instant = ")
            .int(record.instant)
            .push(" WHERE id = ")
            .text(id.to_string())
            .push(" AND token_hash = ")
            .text(old_hash.to_owned())
            .push(" RETURNING id)");
        if new_hash.is_some() {
            statement
                .push(", retired AS (INSERT INTO retired_refresh_tokens (token_hash, refresh_token_id) SELECT ")
                .text(old_hash.to_owned())
                .push(", id FROM used ON CONFLICT DO NOTHING)");
        }
        statement.push(", recorded AS (");
        login_record_insert(&mut statement, record, WriteIf::Returned("used"));
        statement.push(") SELECT COUNT(*) AS used FROM used");
        self.write_one(async |conn| {
            let row = statement.build().fetch_one(conn).await.map_err(db)?;
            Ok(row.try_get::<i64, _>("used").map_err(db)? == 1)
        })
        .await
    }

    pub async fn delete_refresh_token(&self, id: Uuid) -> StoreResult<bool> {
        let _timer = self.metrics.time("delete_refresh_token", Access::Write);
        let statement =
            sqlx::query("DELETE FROM refresh_tokens WHERE id = $1").bind(id.to_string());
        Ok(self.rows_changed(statement).await? > 0)
    }

    /// Deletes the expired tokens among up to `window` of `application_id`'s tokens
    /// issued by `expired.issued_by`, taken in issue order after `from`. The window is
    /// read on a read connection and only its expired tokens are deleted, rechecked in
    /// the delete (a use in between may have renewed a sliding one), so the write lock
    /// is held only for what goes. Their retired values go with them (a cascade).
    pub async fn delete_expired_refresh_tokens(
        &self,
        application_id: Uuid,
        expired: RefreshExpiredBy,
        from: Option<&RefreshSweepPosition>,
        window: i64,
    ) -> StoreResult<RefreshSweepStep> {
        let _timer = self
            .metrics
            .time("delete_expired_refresh_tokens", Access::Write);
        let (after_instant, after_id) = from.map_or((i64::MIN, String::new()), |p| {
            (p.insert_instant, p.id.clone())
        });
        let query = sqlx::query(
            "SELECT id, insert_instant, last_used_instant FROM refresh_tokens \
             WHERE application_id = $1 AND insert_instant <= $2 \
             AND (insert_instant, id) > ($3, $4) \
             ORDER BY insert_instant, id LIMIT $5",
        )
        .bind(application_id.to_string())
        .bind(expired.issued_by)
        .bind(after_instant)
        .bind(after_id)
        .bind(window);
        let rows = bounded(
            DEADLINE,
            self.read(async |conn| query.fetch_all(conn).await.map_err(db)),
        )
        .await?;
        let mut looked_at = Vec::with_capacity(rows.len());
        for row in &rows {
            let id: String = row.try_get("id").map_err(db)?;
            let insert_instant: i64 = row.try_get("insert_instant").map_err(db)?;
            let last_used_instant: i64 = row.try_get("last_used_instant").map_err(db)?;
            looked_at.push((
                RefreshSweepPosition { insert_instant, id },
                last_used_instant,
            ));
        }
        let full = i64::try_from(looked_at.len()).is_ok_and(|n| n == window);
        let next = looked_at.last().filter(|_| full).map(|(p, _)| p.clone());
        let expired_ids: Vec<Param> = looked_at
            .into_iter()
            .filter(|(_, last_used)| *last_used <= expired.used_by)
            .map(|(position, _)| Param::Text(position.id))
            .collect();
        if expired_ids.is_empty() {
            return Ok(RefreshSweepStep { deleted: 0, next });
        }
        let mut statement = Statement::new("DELETE FROM refresh_tokens WHERE id IN ");
        statement
            .values(expired_ids)
            .push(" AND insert_instant <= ")
            .int(expired.issued_by)
            .push(" AND last_used_instant <= ")
            .int(expired.used_by);
        let deleted = self.rows_changed(statement.build()).await?;
        Ok(RefreshSweepStep { deleted, next })
    }

    /// Revokes by owner and/or application; returns how many were revoked.
    pub async fn delete_refresh_tokens(
        &self,
        user_id: Option<Uuid>,
        application_id: Option<Uuid>,
    ) -> StoreResult<u64> {
        let _timer = self.metrics.time("delete_refresh_tokens", Access::Write);
        let statement = sqlx::query("DELETE FROM refresh_tokens WHERE (CAST($1 AS TEXT) IS NULL OR user_id = $1) AND (CAST($2 AS TEXT) IS NULL OR application_id = $2)")
            .bind(user_id.map(|u| u.to_string()))
            .bind(application_id.map(|a| a.to_string()));
        self.rows_changed(statement).await
    }
}

fn login_record(row: &AnyRow) -> StoreResult<LoginRecord> {
    Ok(LoginRecord {
        tenant_id: uuid(&row.try_get::<String, _>("tenant_id").map_err(db)?)?,
        user_id: uuid(&row.try_get::<String, _>("user_id").map_err(db)?)?,
        application_id: row
            .try_get::<Option<String>, _>("application_id")
            .map_err(db)?
            .map(|a| uuid(&a))
            .transpose()?,
        application_name: row.try_get("application_name").map_err(db)?,
        login_id: row.try_get("login_id").map_err(db)?,
        instant: row.try_get("instant").map_err(db)?,
        ip_address: row.try_get("ip_address").map_err(db)?,
    })
}

/// A text column of a row read directly from SQLite, borrowed from the row.
fn sqlite_text<'r>(row: &'r rusqlite::Row<'_>, column: usize) -> StoreResult<Option<&'r str>> {
    match row
        .get_ref(column)
        .map_err(|e| StoreError::Unavailable(e.to_string()))?
    {
        rusqlite::types::ValueRef::Null => Ok(None),
        value => value
            .as_str()
            .map(Some)
            .map_err(|e| StoreError::Corrupt(e.to_string())),
    }
}

/// Rows per keyset page of an export through the pool.
const EXPORT_PAGE: usize = 2_000;

/// An owned export row, as a page through the pool holds it.
struct ExportRecord {
    user_id: String,
    login_id: String,
    application_id: Option<String>,
    ip_address: Option<String>,
    instant: i64,
}

/// A statement built piece by piece, numbering `$N` placeholders as values are added
/// (sqlx's `QueryBuilder` writes `?` under the `Any` driver, which PostgreSQL rejects).
struct Statement {
    sql: String,
    params: Vec<Param>,
}

enum Param {
    Text(String),
    Int(i64),
    Null,
}

/// For the statements run through rusqlite: the export's and the writer thread's.
impl rusqlite::ToSql for Param {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(ToSqlOutput::Borrowed(match self {
            Self::Text(value) => ValueRef::Text(value.as_bytes()),
            Self::Int(value) => ValueRef::Integer(*value),
            Self::Null => ValueRef::Null,
        }))
    }
}

impl Statement {
    fn new(sql: impl Into<String>) -> Self {
        Self {
            sql: sql.into(),
            params: Vec::new(),
        }
    }

    fn push(&mut self, sql: &str) -> &mut Self {
        self.sql.push_str(sql);
        self
    }

    fn param(&mut self, param: Param) -> &mut Self {
        self.params.push(param);
        self.sql.push('$');
        self.sql.push_str(&self.params.len().to_string());
        self
    }

    fn text(&mut self, value: String) -> &mut Self {
        self.param(Param::Text(value))
    }

    fn int(&mut self, value: i64) -> &mut Self {
        self.param(Param::Int(value))
    }

    /// `($n, $n+1, …)`, one placeholder per value.
    fn values(&mut self, values: impl IntoIterator<Item = Param>) -> &mut Self {
        self.push("(");
        for (i, value) in values.into_iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.param(value);
        }
        self.push(")")
    }

    /// Appends the record filter's conditions.
    fn filter(&mut self, filter: &RecordFilter) -> &mut Self {
        if let Some(tenant_id) = filter.tenant_id {
            self.push(" AND tenant_id = ").text(tenant_id.to_string());
        }
        if let Some(application_id) = filter.application_id {
            self.push(" AND application_id = ")
                .text(application_id.to_string());
        }
        if let Some(user_id) = filter.user_id {
            self.push(" AND user_id = ").text(user_id.to_string());
        }
        if let Some(start) = filter.start {
            self.push(" AND instant >= ").int(start);
        }
        if let Some(end) = filter.end {
            self.push(" AND instant <= ").int(end);
        }
        self
    }

    fn build(&self) -> sqlx::query::Query<'_, sqlx::Any, sqlx::any::AnyArguments<'_>> {
        self.build_as(&self.sql)
    }

    /// The statement's parameters bound to `sql`: its own SQL with more around it that
    /// takes none (a BEGIN before, a COMMIT after).
    fn build_as<'q>(
        &'q self,
        sql: &'q str,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
        self.params
            .iter()
            .fold(sqlx::query(sql), |query, param| match param {
                Param::Text(value) => query.bind(value.clone()),
                Param::Int(value) => query.bind(*value),
                Param::Null => query.bind(None::<String>),
            })
    }
}

/// The statements of one write, sent to the database as one query: on PostgreSQL every
/// query is a round trip, and sqlx runs a SQLite connection on a thread of its own, every
/// query a hand-off to that thread and back, two context switches that cost more than the
/// statements themselves. SQLite takes several statements in one query (placeholders
/// numbered across it); a SQLite file's writer thread, which calls SQLite itself, runs them
/// one by one ([`Self::statements`]). PostgreSQL's extended protocol takes one statement
/// per query, so there every statement but the last becomes a data-modifying `WITH` clause
/// of the last: one statement, atomic by itself. PostgreSQL runs those clauses on one
/// snapshot, in no set order, so the statements of a batch must not touch the same rows or
/// read what another writes: a batch is independent writes, such as a login's. What one
/// clause returns, a later one may read by its name, `w0`, `w1`, … (as
/// [`SqlStore::use_second_factor`] does).
struct Batch {
    backend: Backend,
    /// Every statement so far, as one.
    query: Statement,
    /// Where the last statement starts in `query`, and how many came before it.
    last_start: usize,
    earlier: usize,
    /// SQLite: where each statement after the first starts in `query`, for the writer
    /// thread, which prepares them one at a time ([`Self::statements`]).
    starts: Vec<usize>,
}

/// What joins a SQLite batch's statements into one query.
const SQLITE_SEPARATOR: &str = "; ";

impl Batch {
    fn new(backend: Backend) -> Self {
        Self {
            backend,
            query: Statement::new(""),
            last_start: 0,
            earlier: 0,
            starts: Vec::new(),
        }
    }

    /// A SQLite batch's statements, one by one; their placeholders stay numbered across
    /// the batch.
    fn statements(&self) -> impl Iterator<Item = &str> {
        let sql = self.query.sql.as_str();
        let starts = std::iter::once(0).chain(self.starts.iter().copied());
        let ends = (self.starts.iter())
            .map(|start| start - SQLITE_SEPARATOR.len())
            .chain(std::iter::once(sql.len()));
        starts.zip(ends).map(move |(start, end)| &sql[start..end])
    }

    /// A new statement, to be built in place.
    fn add(&mut self) -> &mut Statement {
        if !self.query.sql.is_empty() {
            match self.backend {
                Backend::Sqlite => {
                    self.query.push(SQLITE_SEPARATOR);
                    self.starts.push(self.query.sql.len());
                }
                Backend::Postgres => {
                    let opening = match self.earlier {
                        0 => "WITH w0 AS (".to_owned(),
                        n => format!(", w{n} AS ("),
                    };
                    self.query.sql.insert_str(self.last_start, &opening);
                    self.query.push(") ");
                }
            }
            self.earlier += 1;
            self.last_start = self.query.sql.len();
        }
        &mut self.query
    }
}

/// A row a batch returned. Batches return only integers, the outcomes of their
/// conditions (`1 AS claimed`, a lock's `locked_until`), and come back through sqlx on
/// PostgreSQL and through rusqlite from the writer thread: this is both.
#[derive(Debug)]
struct ReturnedRow {
    columns: Vec<(String, Option<i64>)>,
}

impl ReturnedRow {
    fn of_any(row: &AnyRow) -> StoreResult<Self> {
        let columns = row.columns().iter().map(|column| {
            let value = row
                .try_get::<Option<i64>, _>(column.ordinal())
                .map_err(db)?;
            Ok((column.name().to_owned(), value))
        });
        Ok(Self {
            columns: columns.collect::<StoreResult<_>>()?,
        })
    }

    fn of_sqlite(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
        let statement = row.as_ref();
        let columns = (0..statement.column_count())
            .map(|i| Ok((statement.column_name(i)?.to_owned(), row.get(i)?)));
        Ok(Self {
            columns: columns.collect::<rusqlite::Result<_>>()?,
        })
    }

    fn has(&self, column: &str) -> bool {
        self.columns.iter().any(|(name, _)| name == column)
    }

    /// `column`'s value, `None` if NULL.
    fn int(&self, column: &str) -> StoreResult<Option<i64>> {
        let found = self.columns.iter().find(|(name, _)| name == column);
        found
            .map(|(_, value)| *value)
            .ok_or_else(|| StoreError::Corrupt(format!("a batch returned no {column}")))
    }
}

/// One statement (one round trip) counting what `filter` matches, as
/// [`RecordFilter::count_plan`] says: whole days from the per-day totals that migration
/// 0004's triggers keep, partial days from the records.
fn count_statement(filter: &RecordFilter) -> Statement {
    match filter.count_plan() {
        CountPlan::Records => {
            let mut count =
                Statement::new("SELECT COUNT(*) AS total FROM login_records WHERE 1 = 1");
            count.filter(filter);
            count
        }
        CountPlan::Days {
            first_day,
            last_day,
            edges,
        } => {
            let mut count = Statement::new(
                "SELECT CAST(COALESCE((SELECT SUM(total) FROM login_record_days WHERE 1 = 1",
            );
            if let Some(tenant_id) = filter.tenant_id {
                count.push(" AND tenant_id = ").text(tenant_id.to_string());
            }
            if let Some(application_id) = filter.application_id {
                count
                    .push(" AND application_id = ")
                    .text(application_id.to_string());
            }
            if let Some(first_day) = first_day {
                count.push(" AND day >= ").int(first_day);
            }
            if let Some(last_day) = last_day {
                count.push(" AND day <= ").int(last_day);
            }
            count.push("), 0) AS BIGINT)");
            for (from, to) in edges {
                count.push(" + (SELECT COUNT(*) FROM login_records WHERE 1 = 1");
                count.filter(&RecordFilter {
                    start: Some(from),
                    end: Some(to),
                    ..filter.clone()
                });
                count.push(")");
            }
            count.push(" AS total");
            count
        }
    }
}

fn failure_state(row: &(impl Columns + ?Sized)) -> StoreResult<FailureState> {
    Ok(FailureState {
        count: row.int("count")?,
        last_failure_instant: row.int("last_failure_instant")?,
        locked_until: row.int_or_null("locked_until")?,
    })
}

/// The failure columns of a `LEFT JOIN failed_logins`: all NULL for a user without a row.
fn joined_failure_state(row: &(impl Columns + ?Sized)) -> StoreResult<Option<FailureState>> {
    match row.int_or_null("count")? {
        Some(_) => failure_state(row).map(Some),
        None => Ok(None),
    }
}

fn identifier_record(row: &(impl Columns + ?Sized)) -> StoreResult<IdentifierRecord> {
    Ok(IdentifierRecord {
        user_id: uuid(&row.text("user_id")?)?,
        data: serde_json::from_str(&row.text("data")?)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?,
        attempts: row.int("attempts")?,
    })
}

fn refresh_record(
    row: &(impl Columns + ?Sized),
    names: &RefreshColumnNames,
) -> StoreResult<RefreshTokenRecord> {
    let id = |name: &str| uuid(&row.text(name)?);
    Ok(RefreshTokenRecord {
        id: id(names.id)?,
        user_id: id(names.user_id)?,
        application_id: id(names.application_id)?,
        tenant_id: id(names.tenant_id)?,
        insert_instant: row.int(names.insert_instant)?,
        last_used_instant: row.int(names.last_used_instant)?,
        auth_time: row.int(names.auth_time)?,
        metadata: serde_json::from_str(&row.text(names.metadata)?)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?,
    })
}

type Tx<'a> = sqlx::Transaction<'a, sqlx::Any>;

/// The writer connection, held for one write transaction, and closed instead of going
/// back to the pool unless the write ended in a state both sqlx and we know.
///
/// When SQLite cannot write (SQLITE_FULL on a full disk, SQLITE_IOERR, SQLITE_READONLY)
/// it may roll the transaction back by itself (a failed COMMIT) or leave it open (a
/// failed RELEASE). sqlx's count of open transactions then no longer matches the
/// connection: the ROLLBACK it sends fails, its count stays up, and its next `begin` on
/// that connection is a SAVEPOINT, whose release commits nothing while a transaction is
/// still open underneath: writes would be answered 200 and never reach the file, and
/// the heartbeat would join the open transaction and report the database ready.
/// Neither side can be asked which it is through sqlx, so after such an error the
/// connection is closed (SQLite rolls back whatever is open) and the next write opens a
/// fresh one. The same goes for a write abandoned halfway (its request dropped, a
/// panic), which would otherwise return the connection inside a raw transaction
/// ([`SqlStore::record_failure`], [`SqlStore::write_batch`]). Other errors (a duplicate
/// key, a decode error) leave the transaction where sqlx can roll it back, or where a
/// raw transaction's ROLLBACK can, and keep the connection.
struct WriteConnection<'s> {
    lent: Lent<'s>,
    /// Set when the write ended cleanly: only then does the connection go back.
    keep: bool,
    /// Where a write that failed as unavailable is noted, for readiness.
    last_unavailable: &'s std::sync::Mutex<Option<Instant>>,
}

/// The writer connection as [`Writer`] lends it.
enum Lent<'s> {
    Pooled(sqlx::pool::PoolConnection<sqlx::Any>),
    /// Always `Some` while lent: [`SqlStore::write_connection`] opens one if needed.
    Sole(tokio::sync::MutexGuard<'s, Option<sqlx::AnyConnection>>),
}

impl WriteConnection<'_> {
    fn conn(&mut self) -> StoreResult<&mut sqlx::AnyConnection> {
        match &mut self.lent {
            Lent::Pooled(conn) => Ok(&mut **conn),
            Lent::Sole(slot) => slot
                .as_mut()
                .ok_or_else(|| StoreError::Unavailable("the writer connection is closed".into())),
        }
    }

    async fn begin(&mut self) -> StoreResult<Tx<'_>> {
        sqlx::Connection::begin(self.conn()?).await.map_err(db)
    }

    /// Passes on the write's `result`; the connection goes back to the pool unless it
    /// failed as [`StoreError::Unavailable`].
    fn settle<T>(mut self, result: StoreResult<T>) -> StoreResult<T> {
        self.keep = !matches!(result, Err(StoreError::Unavailable(_)));
        self.note_unavailable(&result);
        result
    }

    /// Passes on the `result` of a transaction sqlx does not know of (BEGIN and COMMIT
    /// sent as SQL); the connection goes back to the pool only if the transaction is
    /// known to be over (`clean`: committed, or rolled back after the failure). Otherwise
    /// it is closed, which rolls back whatever is still open.
    fn settle_outside_sqlx<T>(mut self, result: StoreResult<T>, clean: bool) -> StoreResult<T> {
        self.keep = clean;
        self.note_unavailable(&result);
        result
    }

    /// Notes when the database refused the write. A write abandoned at its deadline or
    /// by its caller is not noted: a client that hung up says nothing of the database,
    /// and one that does not answer fails the heartbeat too.
    fn note_unavailable<T>(&self, result: &StoreResult<T>) {
        if matches!(result, Err(StoreError::Unavailable(_))) {
            *self
                .last_unavailable
                .lock()
                .unwrap_or_else(PoisonError::into_inner) = Some(Instant::now());
        }
    }
}

impl Drop for WriteConnection<'_> {
    fn drop(&mut self) {
        if !self.keep {
            match &mut self.lent {
                Lent::Pooled(conn) => conn.close_on_drop(),
                // Dropping the connection ends its thread, which closes the database
                // handle once any statement still running there has stopped.
                Lent::Sole(slot) => drop(slot.take()),
            }
        }
    }
}

async fn insert_registration(
    tx: &mut Tx<'_>,
    user_id: Uuid,
    registration: &Registration,
) -> StoreResult<()> {
    sqlx::query("INSERT INTO registrations (id, user_id, application_id, roles, verified, insert_instant, last_login_instant, profile) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
        .bind(registration.id.to_string())
        .bind(user_id.to_string())
        .bind(registration.application_id.to_string())
        .bind(Value::from(registration.roles.clone()).to_string())
        .bind(i64::from(registration.verified))
        .bind(registration.insert_instant)
        .bind(registration.last_login_instant)
        .bind(Value::Object(registration.profile.clone()).to_string())
        .execute(&mut **tx)
        .await
        .map_err(|e| match db(e) {
            StoreError::Duplicate(_) => StoreError::Duplicate("registration"),
            other => other,
        })?;
    Ok(())
}

async fn set_password(
    tx: &mut Tx<'_>,
    user_id: Uuid,
    password: &PasswordHash,
    now: i64,
) -> StoreResult<()> {
    sqlx::query("UPDATE users SET password_scheme = $1, password_factor = $2, password_salt = $3, password_hash = $4, password_last_update_instant = $5, last_update_instant = $6 WHERE id = $7")
        .bind(password.scheme.name())
        .bind(i64::from(password.factor))
        .bind(&password.salt)
        .bind(&password.hash)
        .bind(now)
        .bind(now)
        .bind(user_id.to_string())
        .execute(&mut **tx)
        .await
        .map_err(db)?;
    Ok(())
}

async fn revoke_user_tokens(tx: &mut Tx<'_>, user_id: Uuid) -> StoreResult<()> {
    sqlx::query("DELETE FROM refresh_tokens WHERE user_id = $1")
        .bind(user_id.to_string())
        .execute(&mut **tx)
        .await
        .map_err(db)?;
    Ok(())
}

fn insert_refresh_token(
    statement: &mut Statement,
    record: &RefreshTokenRecord,
    token_hash: &str,
    write_if: WriteIf<'_>,
) {
    statement.push("INSERT INTO refresh_tokens (id, token_hash, user_id, application_id, tenant_id, insert_instant, last_used_instant, auth_time, metadata)");
    write_if.values(
        statement,
        [
            Param::Text(record.id.to_string()),
            Param::Text(token_hash.to_owned()),
            Param::Text(record.user_id.to_string()),
            Param::Text(record.application_id.to_string()),
            Param::Text(record.tenant_id.to_string()),
            Param::Int(record.insert_instant),
            Param::Int(record.last_used_instant),
            Param::Int(record.auth_time),
            Param::Text(record.metadata.to_string()),
        ],
    );
}

fn insert_identifier(statement: &mut Statement, identifier: &NewIdentifier, write_if: WriteIf<'_>) {
    statement.push("INSERT INTO identifiers (kind, id_hash, user_id, expires_at, data)");
    write_if.values(
        statement,
        [
            Param::Text(identifier.kind.as_str().to_owned()),
            Param::Text(identifier.id_hash.clone()),
            Param::Text(identifier.user_id.to_string()),
            Param::Int(identifier.expires_at),
            Param::Text(identifier.data.to_string()),
        ],
    );
}

fn insert_login_record(statement: &mut Statement, record: &LoginRecord) {
    login_record_insert(statement, record, WriteIf::Always);
}

fn login_record_insert(statement: &mut Statement, record: &LoginRecord, write_if: WriteIf<'_>) {
    let optional = |value: Option<String>| value.map_or(Param::Null, Param::Text);
    statement.push("INSERT INTO login_records (tenant_id, user_id, application_id, application_name, login_id, instant, ip_address)");
    write_if.values(
        statement,
        [
            Param::Text(record.tenant_id.to_string()),
            Param::Text(record.user_id.to_string()),
            optional(record.application_id.map(|a| a.to_string())),
            optional(record.application_name.clone()),
            Param::Text(record.login_id.clone()),
            Param::Int(record.instant),
            optional(record.ip_address.clone()),
        ],
    );
}

/// A successful login's statements (see [`SqlStore::record_login`]), each writing only
/// if `write_if` holds.
fn push_login_success(batch: &mut Batch, success: &LoginSuccess, write_if: WriteIf<'_>) {
    let user_id = success.user_id.to_string();
    let cleared = batch
        .add()
        .push("DELETE FROM failed_logins WHERE user_id = ")
        .text(user_id.clone());
    write_if.and(cleared);
    let user = batch
        .add()
        .push("UPDATE users SET last_login_instant = ")
        .int(success.now);
    // In the same statement as the login instant: PostgreSQL's batch is one statement,
    // in which a row can be updated only once.
    if let Some(hash) = &success.rehash {
        user.push(", password_scheme = ")
            .text(hash.scheme.name().to_owned())
            .push(", password_factor = ")
            .int(i64::from(hash.factor))
            .push(", password_salt = ")
            .text(hash.salt.clone())
            .push(", password_hash = ")
            .text(hash.hash.clone())
            .push(", password_last_update_instant = ")
            .int(success.now)
            .push(", last_update_instant = ")
            .int(success.now);
    }
    user.push(" WHERE id = ").text(user_id.clone());
    write_if.and(user);
    if let Some(application_id) = success.application_id {
        let registration = batch
            .add()
            .push("UPDATE registrations SET last_login_instant = ")
            .int(success.now)
            .push(" WHERE user_id = ")
            .text(user_id)
            .push(" AND application_id = ")
            .text(application_id.to_string());
        write_if.and(registration);
    }
    login_record_insert(batch.add(), &success.record, write_if);
    if let Some((token, token_hash)) = &success.refresh_token {
        insert_refresh_token(batch.add(), token, token_hash, write_if);
    }
    for identifier in &success.identifiers {
        insert_identifier(batch.add(), identifier, write_if);
    }
}

/// The attempts count of a pending login a two-factor completion has claimed, on SQLite:
/// no live one has it (counts start at 0), and the completion's batch deletes the
/// identifier before it commits.
const CLAIMED: i64 = -1;

/// When a statement of a batch writes.
#[derive(Debug, Clone, Copy)]
enum WriteIf<'a> {
    Always,
    /// PostgreSQL: if the statement's `WITH` clause of this name returned a row.
    Returned(&'static str),
    /// SQLite: if the pending login `id_hash` of `kind` is marked [`CLAIMED`].
    Claimed {
        kind: IdentifierKind,
        id_hash: &'a str,
    },
    /// SQLite: if refresh token `id` has the value `token_hash`.
    RefreshTokenIs {
        id: &'a str,
        token_hash: &'a str,
    },
    /// If user `user_id` is not locked at `now`.
    Unlocked {
        user_id: &'a str,
        now: i64,
    },
}

/// Appends ` FROM failed_logins WHERE …`: the user's row if it holds a lock at `now`.
fn active_lock(statement: &mut Statement, user_id: &str, now: i64) {
    statement
        .push(" FROM failed_logins WHERE user_id = ")
        .text(user_id.to_owned())
        .push(" AND locked_until > ")
        .int(now);
}

impl WriteIf<'_> {
    /// Appends the condition to a statement's `WHERE` clause, as ` AND …`.
    fn and(self, statement: &mut Statement) {
        match self {
            Self::Always => {}
            Self::Returned(name) => {
                statement.push(&format!(" AND EXISTS (SELECT 1 FROM {name})"));
            }
            Self::Claimed { kind, id_hash } => {
                statement
                    .push(" AND EXISTS (SELECT 1 FROM identifiers WHERE kind = ")
                    .text(kind.as_str().to_owned())
                    .push(" AND id_hash = ")
                    .text(id_hash.to_owned())
                    .push(" AND attempts = ")
                    .int(CLAIMED)
                    .push(")");
            }
            Self::RefreshTokenIs { id, token_hash } => {
                statement
                    .push(" AND EXISTS (SELECT 1 FROM refresh_tokens WHERE id = ")
                    .text(id.to_owned())
                    .push(" AND token_hash = ")
                    .text(token_hash.to_owned())
                    .push(")");
            }
            Self::Unlocked { user_id, now } => {
                statement.push(" AND NOT EXISTS (SELECT 1");
                active_lock(statement, user_id, now);
                statement.push(")");
            }
        }
    }

    /// Appends an `INSERT`'s row: ` VALUES (…)`, or under a condition a `SELECT` of the
    /// values that yields no row unless it holds.
    fn values(self, statement: &mut Statement, values: impl IntoIterator<Item = Param>) {
        if let Self::Always = self {
            statement.push(" VALUES ").values(values);
        } else {
            statement
                .push(" SELECT * FROM (VALUES ")
                .values(values)
                .push(") AS row_values WHERE 1 = 1");
            self.and(statement);
        }
    }
}

async fn insert_user(
    tx: &mut Tx<'_>,
    user: &User,
    password: Option<&PasswordHash>,
    recovery_code_hashes: &[String],
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO users (id, tenant_id, email, email_key, username, username_key, active, verified, expiry, password_scheme, password_factor, password_salt, password_hash, password_change_required, password_change_reason, password_last_update_instant, insert_instant, last_update_instant, last_login_instant, profile) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20)",
    )
    .bind(user.id.to_string())
    .bind(user.tenant_id.to_string())
    .bind(&user.email)
    .bind(user.email.as_deref().map(authlet_core::model::normalize_login_id))
    .bind(&user.username)
    .bind(user.username.as_deref().map(authlet_core::model::normalize_login_id))
    .bind(i64::from(user.active))
    .bind(i64::from(user.verified))
    .bind(user.expiry)
    .bind(password.map(|p| p.scheme.name()))
    .bind(password.map(|p| i64::from(p.factor)))
    .bind(password.map(|p| p.salt.as_str()))
    .bind(password.map(|p| p.hash.as_str()))
    .bind(i64::from(user.password_change_required))
    .bind(user.password_change_reason.map(|r| r.as_str()))
    .bind(user.password_last_update_instant)
    .bind(user.insert_instant)
    .bind(user.last_update_instant)
    .bind(user.last_login_instant)
    .bind(Value::Object(user.profile.clone()).to_string())
    .execute(&mut **tx)
    .await
    .map_err(db)?;
    for registration in &user.registrations {
        insert_registration(tx, user.id, registration).await?;
    }
    for method in &user.two_factor_methods {
        sqlx::query("INSERT INTO two_factor_methods (user_id, id, secret) VALUES ($1, $2, $3)")
            .bind(user.id.to_string())
            .bind(&method.id)
            .bind(&method.secret)
            .execute(&mut **tx)
            .await
            .map_err(db)?;
    }
    for hash in recovery_code_hashes {
        sqlx::query("INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(user.id.to_string())
            .bind(hash)
            .execute(&mut **tx)
            .await
            .map_err(db)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    /// A store on a fresh SQLite file, the file's path, and the directory that holds it
    /// (removed when dropped).
    async fn sqlite_file_store() -> (tempfile::TempDir, std::path::PathBuf, SqlStore) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("store.db");
        let store = SqlStore::connect(&format!("sqlite://{}", path.display()))
            .await
            .unwrap();
        (dir, path, store)
    }

    fn sqlite_readers(store: &SqlStore) -> &deadpool::managed::Pool<SqliteReaders> {
        let Readers::Sqlite {
            threads: readers, ..
        } = &store.readers
        else {
            panic!("a SQLite file has its own read connections");
        };
        readers
    }

    /// A read connection goes back to be lent again, unless the database failed on it or
    /// it then goes unused too long: then it is closed, and the next read opens another.
    #[tokio::test]
    async fn a_read_connection_is_kept_unless_the_database_failed_on_it_or_it_idles() {
        let (_dir, _, store) = sqlite_file_store().await;
        let readers = sqlite_readers(&store);
        let heartbeat = async |conn: &mut sqlx::AnyConnection| {
            sqlx::query("SELECT instant FROM heartbeat")
                .fetch_one(conn)
                .await
                .map(drop)
                .map_err(db)
        };
        store.read(heartbeat).await.unwrap();
        store.read(heartbeat).await.unwrap();
        assert_eq!(readers.status().size, 1, "one connection, lent twice");

        let failed = store
            .read(async |conn| {
                sqlx::query("SELECT * FROM no_such_table")
                    .fetch_all(conn)
                    .await
                    .map(drop)
                    .map_err(db)
            })
            .await;
        assert!(
            matches!(failed, Err(StoreError::Unavailable(_))),
            "{failed:?}"
        );
        assert_eq!(readers.status().size, 0, "closed, not kept");
        store.read(heartbeat).await.unwrap();
        assert_eq!(readers.status().size, 1, "a fresh one");

        store.close_readers_unused_for(Duration::from_secs(60));
        assert_eq!(readers.status().size, 1, "just used: kept");
        tokio::time::sleep(Duration::from_millis(20)).await;
        store.close_readers_unused_for(Duration::from_millis(10));
        assert_eq!(readers.status().size, 0, "idle: closed");
        store.read(heartbeat).await.unwrap();
    }

    /// Each pooled connection gets the session settings, not just the first one.
    #[tokio::test]
    async fn sqlite_connections_checkpoint_in_the_background_not_on_commit() {
        let (_dir, _, store) = sqlite_file_store().await;
        let readers = sqlite_readers(&store);
        let mut first = readers.get().await.unwrap();
        let mut second = readers.get().await.unwrap();
        for conn in [&mut first, &mut second] {
            let (mode,): (String,) = sqlx::query_as("PRAGMA journal_mode")
                .fetch_one(&mut **conn)
                .await
                .unwrap();
            let (pages,): (i64,) = sqlx::query_as("PRAGMA wal_autocheckpoint")
                .fetch_one(&mut **conn)
                .await
                .unwrap();
            assert_eq!((mode.as_str(), pages), ("wal", 16_384));
        }
    }

    fn user(email: &str) -> User {
        User {
            id: Uuid::new_v4(),
            tenant_id: Uuid::new_v4(),
            email: Some(email.into()),
            username: None,
            active: true,
            verified: true,
            expiry: None,
            password_change_required: false,
            password_change_reason: None,
            password_last_update_instant: None,
            insert_instant: 1,
            last_update_instant: 1,
            last_login_instant: None,
            profile: Map::new(),
            registrations: vec![],
            two_factor_methods: vec![],
        }
    }

    /// A user with an authenticator (method `totp`) and recovery code `recovery`, stored.
    async fn two_factor_owner(store: &SqlStore, email: &str) -> User {
        let owner = user_with_authenticator(email);
        store
            .insert_user(&owner, None, &["recovery".to_owned()])
            .await
            .unwrap();
        owner
    }

    /// Stores `owner`'s pending two-factor login `id_hash`, live until `expires_at`.
    async fn pending_two_factor(store: &SqlStore, owner: &User, id_hash: &str, expires_at: i64) {
        let data = serde_json::json!({ "loginId": id_hash });
        store
            .create_identifier(
                IdentifierKind::TwoFactor,
                id_hash,
                owner.id,
                expires_at,
                &data,
            )
            .await
            .unwrap();
    }

    /// A user with one TOTP method, `totp`.
    fn user_with_authenticator(email: &str) -> User {
        User {
            two_factor_methods: vec![TwoFactorMethod {
                id: "totp".into(),
                secret: "c2VjcmV0".into(),
            }],
            ..user(email)
        }
    }

    fn record(login_id: &str, application_id: Option<Uuid>) -> LoginRecord {
        LoginRecord {
            tenant_id: Uuid::new_v4(),
            user_id: Uuid::new_v4(),
            application_id,
            application_name: application_id.map(|_| "Shop".to_owned()),
            login_id: login_id.to_owned(),
            instant: 1_700_000_000_000,
            ip_address: None,
        }
    }

    /// A login of `owner` that issues a refresh token whose value hashes to `token_hash`.
    fn login_with_refresh_token(owner: &User, token_hash: &str) -> LoginSuccess {
        let token = RefreshTokenRecord {
            id: Uuid::new_v4(),
            user_id: owner.id,
            application_id: Uuid::new_v4(),
            tenant_id: owner.tenant_id,
            insert_instant: 1,
            last_used_instant: 1,
            auth_time: 1,
            metadata: Value::Null,
        };
        LoginSuccess {
            user_id: owner.id,
            application_id: None,
            now: 1,
            rehash: None,
            record: LoginRecord {
                user_id: owner.id,
                ..record("login", None)
            },
            refresh_token: Some((token, token_hash.to_owned())),
            identifiers: Vec::new(),
        }
    }

    /// Each of `records` is its user's one login record.
    async fn assert_each_stored_alone(store: &SqlStore, records: &[&LoginRecord]) {
        for record in records {
            assert_eq!(
                store.login_records(record.user_id).await.unwrap(),
                vec![(*record).clone()],
                "{:?}",
                store.backend()
            );
        }
    }

    /// A batch is one query, its placeholders numbered across it: on SQLite its
    /// statements one after another, on PostgreSQL all but the last as `WITH` clauses.
    #[test]
    fn a_batch_is_one_query_on_either_backend() {
        let build = |backend| {
            let mut batch = Batch::new(backend);
            for login_id in ["a@example.com", "b@example.com", "c@example.com"] {
                insert_login_record(batch.add(), &record(login_id, None));
            }
            batch.query
        };
        let insert = "INSERT INTO login_records (tenant_id, user_id, application_id, application_name, login_id, instant, ip_address) VALUES ";
        let sqlite = build(Backend::Sqlite);
        assert_eq!(
            sqlite.sql,
            format!(
                "{insert}($1, $2, $3, $4, $5, $6, $7); {insert}($8, $9, $10, $11, $12, $13, $14); {insert}($15, $16, $17, $18, $19, $20, $21)"
            )
        );
        assert_eq!(sqlite.params.len(), 21);

        let postgres = build(Backend::Postgres);
        assert_eq!(
            postgres.sql,
            format!(
                "WITH w0 AS ({insert}($1, $2, $3, $4, $5, $6, $7)) , w1 AS ({insert}($8, $9, $10, $11, $12, $13, $14)) {insert}($15, $16, $17, $18, $19, $20, $21)"
            )
        );
        assert_eq!(postgres.params.len(), 21);
    }

    /// A fresh PostgreSQL database on the server the integration suites use
    /// (`AUTHLET_TEST_POSTGRES_URL`, which `scripts/test` starts).
    async fn fresh_postgres() -> String {
        let server = std::env::var("AUTHLET_TEST_POSTGRES_URL").expect(
            "AUTHLET_TEST_POSTGRES_URL must name a PostgreSQL server: run ./scripts/test, or export it from ./scripts/postgres",
        );
        let name = format!("authlet_test_{}", Uuid::new_v4().simple());
        let mut admin = <sqlx::PgConnection as sqlx::Connection>::connect(&server)
            .await
            .unwrap();
        sqlx::Executor::execute(&mut admin, format!("CREATE DATABASE {name}").as_str())
            .await
            .unwrap();
        let (base, _) = server.rsplit_once('/').unwrap();
        format!("{base}/{name}")
    }

    /// An in-memory SQLite store and a store on a fresh PostgreSQL database.
    async fn both_backends() -> [SqlStore; 2] {
        [
            SqlStore::connect("sqlite::memory:").await.unwrap(),
            SqlStore::connect(&fresh_postgres().await).await.unwrap(),
        ]
    }

    /// A SQLite file's store, whose login reads run on the async worker, beside
    /// [`both_backends`], whose run on connections' threads; and the file's directory.
    async fn every_store() -> (tempfile::TempDir, Vec<SqlStore>) {
        let (dir, _, file) = sqlite_file_store().await;
        (
            dir,
            [file].into_iter().chain(both_backends().await).collect(),
        )
    }

    /// Every statement of a batch runs, each with its own values, NULLs included: on the
    /// writer thread of a SQLite file, on in-memory SQLite and on PostgreSQL.
    #[tokio::test]
    async fn a_batch_writes_every_statement_with_its_own_values() {
        let (_dir, _path, file) = sqlite_file_store().await;
        for store in [file].into_iter().chain(both_backends().await) {
            let shop = Uuid::new_v4();
            let records = [
                record("a@example.com", None),
                record("b@example.com", Some(shop)),
                record("c@example.com", None),
            ];
            let mut batch = Batch::new(store.backend());
            for record in &records {
                insert_login_record(batch.add(), record);
            }
            store.write_batch(batch).await.unwrap();
            let written: Vec<_> = records.iter().collect();
            assert_each_stored_alone(&store, &written).await;
        }
    }

    /// A use of a refresh token writes its login record (and on rotation retires the old
    /// value) only if it changed the token: a use that lost to another, or presented a
    /// value the token no longer has, writes nothing.
    #[tokio::test]
    async fn a_refresh_token_use_writes_only_if_it_changed_the_token() {
        for store in both_backends().await {
            let owner = user("refresh@example.com");
            store.insert_user(&owner, None, &[]).await.unwrap();
            let use_record = |login_id: &str| LoginRecord {
                user_id: owner.id,
                ..record(login_id, None)
            };
            let login = login_with_refresh_token(&owner, "first");
            store.record_login(&login).await.unwrap();
            let token = login.refresh_token.clone().unwrap().0;
            let mut expected = vec![login.record];
            // In turn: a value the token never had; the current one, rotated; the
            // rotated-away one again; the current one, kept.
            for (login_id, presented, rotate_to, wins) in [
                ("unknown", "never", Some("second"), false),
                ("rotated", "first", Some("second"), true),
                ("lost", "first", Some("third"), false),
                ("reused", "second", None, true),
            ] {
                let record = use_record(login_id);
                let used = store
                    .use_refresh_token(token.id, presented, rotate_to, &record)
                    .await
                    .unwrap();
                assert_eq!(used, wins, "{login_id} on {:?}", store.backend());
                if wins {
                    expected.push(record);
                }
            }

            let mut records = store.login_records(owner.id).await.unwrap();
            records.sort_by(|a, b| a.login_id.cmp(&b.login_id));
            expected.sort_by(|a, b| a.login_id.cmp(&b.login_id));
            assert_eq!(records, expected, "{:?}", store.backend());
            assert!(matches!(
                store.find_refresh_token("second").await.unwrap(),
                RefreshLookup::Live(live) if live.id == token.id
            ));
            assert!(matches!(
                store.find_refresh_token("first").await.unwrap(),
                RefreshLookup::Retired { refresh_token_id } if refresh_token_id == token.id
            ));
            for never_retired in ["never", "third"] {
                assert!(matches!(
                    store.find_refresh_token(never_retired).await.unwrap(),
                    RefreshLookup::Unknown
                ));
            }
        }
    }

    /// A user read by id with its failed authentications is the user a password login
    /// reads by login id, failures and all; an unknown id is no user.
    #[tokio::test]
    async fn a_login_user_reads_by_id_as_by_login_id() {
        let (_dir, stores) = every_store().await;
        for store in stores {
            let backend = store.backend();
            let owner = user("by-id@example.com");
            store.insert_user(&owner, None, &[]).await.unwrap();
            let by_login_id = async || {
                store
                    .login_user(owner.tenant_id, "by-id@example.com")
                    .await
                    .unwrap()
            };
            let found = store.login_user_by_id(owner.id).await.unwrap();
            assert_eq!(found, by_login_id().await, "{backend:?}");
            let (user, password) = store.user(owner.id).await.unwrap().unwrap();
            assert_eq!(
                found,
                Some(LoginUser {
                    user,
                    password,
                    failures: None
                }),
                "{backend:?}"
            );

            let failed = FailureState {
                count: 2,
                last_failure_instant: 5,
                locked_until: Some(9),
            };
            store
                .record_failure(owner.id, |_| (failed, false))
                .await
                .unwrap();
            let found = store.login_user_by_id(owner.id).await.unwrap();
            assert_eq!(found, by_login_id().await, "{backend:?}");
            assert_eq!(found.and_then(|f| f.failures), Some(failed), "{backend:?}");
            assert_eq!(
                store.login_user_by_id(Uuid::new_v4()).await.unwrap(),
                None,
                "{backend:?}"
            );
        }
    }

    /// A refresh exchange's one read brings what reading the token, its user and the
    /// user's failures in turn brings, a lock included; retired and unknown values are
    /// told apart as by the token's own lookup.
    #[tokio::test]
    async fn a_refresh_lookup_with_its_user_reads_what_three_reads_would() {
        let (_dir, stores) = every_store().await;
        for store in stores {
            let backend = store.backend();
            let owner = user("holder@example.com");
            store.insert_user(&owner, None, &[]).await.unwrap();
            let login = login_with_refresh_token(&owner, "first");
            store.record_login(&login).await.unwrap();
            let expected = async |value: &str| {
                let RefreshLookup::Live(token) = store.find_refresh_token(value).await.unwrap()
                else {
                    panic!("{value} is not live on {backend:?}");
                };
                let (user, password) = store.user(token.user_id).await.unwrap().unwrap();
                let failures = store.failures(user.id).await.unwrap();
                RefreshLookup::Live((
                    token,
                    LoginUser {
                        user,
                        password,
                        failures,
                    },
                ))
            };
            let found = store.find_refresh_token_with_user("first").await.unwrap();
            assert_eq!(found, expected("first").await, "{backend:?}");
            assert!(
                matches!(&found, RefreshLookup::Live((token, holder)) if token.id == login.refresh_token.as_ref().unwrap().0.id && holder.user.id == owner.id && holder.failures.is_none()),
                "{backend:?}"
            );

            let failed = FailureState {
                count: 3,
                last_failure_instant: 7,
                locked_until: Some(60_000),
            };
            store
                .record_failure(owner.id, |_| (failed, false))
                .await
                .unwrap();
            let found = store.find_refresh_token_with_user("first").await.unwrap();
            assert_eq!(found, expected("first").await, "{backend:?}");
            assert!(
                matches!(&found, RefreshLookup::Live((_, holder)) if holder.failures == Some(failed)),
                "{backend:?}"
            );

            let token_id = login.refresh_token.as_ref().unwrap().0.id;
            let rotation = LoginRecord {
                user_id: owner.id,
                ..record("rotation", None)
            };
            assert!(store
                .use_refresh_token(token_id, "first", Some("second"), &rotation)
                .await
                .unwrap());
            assert_eq!(
                store.find_refresh_token_with_user("first").await.unwrap(),
                RefreshLookup::Retired {
                    refresh_token_id: token_id
                },
                "{backend:?}"
            );
            assert_eq!(
                store.find_refresh_token_with_user("second").await.unwrap(),
                expected("second").await,
                "{backend:?}"
            );
            assert_eq!(
                store.find_refresh_token_with_user("never").await.unwrap(),
                RefreshLookup::Unknown,
                "{backend:?}"
            );
        }
    }

    /// A sweep deletes exactly the application's tokens issued and last used by the
    /// bounds, however the windows fall, and the retired values of only those; then
    /// reports that nothing is left to look at.
    #[tokio::test]
    async fn a_refresh_token_sweep_deletes_the_expired_window_by_window() {
        let expired = RefreshExpiredBy {
            issued_by: 100,
            used_by: 150,
        };
        for store in both_backends().await {
            let owner = user("sweep@example.com");
            store.insert_user(&owner, None, &[]).await.unwrap();
            let application_id = Uuid::new_v4();
            let mut ids = HashMap::new();
            // (value, issued, last used, expired by the bounds)
            let tokens = [
                ("early", 10, 300, false),
                ("unused", 20, 20, true),
                ("rotated-early", 50, 50, true),
                ("at-bounds", 100, 150, true),
                ("issued-at-bound", 100, 100, true),
                ("rotated-late", 100, 100, false),
                ("used-past-bound", 100, 151, false),
                ("issued-past-bound", 101, 101, false),
            ];
            for (value, issued, used, _) in tokens {
                let mut login = login_with_refresh_token(&owner, value);
                if let Some((token, _)) = &mut login.refresh_token {
                    token.application_id = application_id;
                    token.insert_instant = issued;
                    token.last_used_instant = used;
                    ids.insert(value, token.id);
                }
                store.record_login(&login).await.unwrap();
            }
            let elsewhere = login_with_refresh_token(&owner, "elsewhere");
            store.record_login(&elsewhere).await.unwrap();
            for (value, instant) in [("rotated-early", 60), ("rotated-late", 200)] {
                let use_record = LoginRecord {
                    user_id: owner.id,
                    instant,
                    ..record(value, None)
                };
                let rotated = format!("{value} now");
                assert!(store
                    .use_refresh_token(ids[value], value, Some(&rotated), &use_record)
                    .await
                    .unwrap());
            }

            let (mut deleted, mut windows, mut from) = (0, 0, None);
            loop {
                let step = store
                    .delete_expired_refresh_tokens(application_id, expired, from.as_ref(), 2)
                    .await
                    .unwrap();
                deleted += step.deleted;
                windows += 1;
                let Some(next) = step.next else { break };
                from = Some(next);
            }
            assert_eq!(deleted, 4, "{:?}", store.backend());
            assert_eq!(windows, 4, "seven issued by the bound, two a window");

            for (value, _, _, gone) in tokens {
                let presented = match value {
                    "rotated-early" | "rotated-late" => format!("{value} now"),
                    _ => value.to_owned(),
                };
                let found = store.find_refresh_token(&presented).await.unwrap();
                assert_eq!(
                    matches!(found, RefreshLookup::Unknown),
                    gone,
                    "{value} on {:?}: {found:?}",
                    store.backend()
                );
            }
            assert!(
                matches!(
                    store.find_refresh_token("rotated-early").await.unwrap(),
                    RefreshLookup::Unknown
                ),
                "a deleted token's retired value goes with it"
            );
            assert!(
                matches!(
                    store.find_refresh_token("rotated-late").await.unwrap(),
                    RefreshLookup::Retired { .. }
                ),
                "a kept token's retired value stays"
            );
            assert!(matches!(
                store.find_refresh_token("elsewhere").await.unwrap(),
                RefreshLookup::Live(_)
            ));
        }
    }

    /// A database from before the identifier and retired-value tables were rebuilt
    /// (migration 6) keeps its identifiers through the upgrade, and the retired values of
    /// its live tokens; only retired values whose token is gone are dropped.
    #[tokio::test]
    async fn an_upgrade_keeps_identifiers_and_the_retired_values_of_live_tokens() {
        sqlx::any::install_default_drivers();
        let dir = tempfile::tempdir().unwrap();
        let sqlite = format!("sqlite://{}", dir.path().join("old.db").display());
        let [owner, tenant, application, token, gone] = std::array::from_fn(|_| Uuid::new_v4());
        for (url, migrations) in [
            (with_create_mode(&sqlite), &SQLITE_MIGRATIONS),
            (fresh_postgres().await, &POSTGRES_MIGRATIONS),
        ] {
            let before = sqlx::migrate::Migrator {
                migrations: migrations
                    .migrations
                    .iter()
                    .filter(|m| m.version <= 6)
                    .cloned()
                    .collect(),
                ..sqlx::migrate::Migrator::DEFAULT
            };
            let mut old = <sqlx::AnyConnection as sqlx::Connection>::connect(&url)
                .await
                .unwrap();
            before.run(&mut old).await.unwrap();
            for statement in [
                format!("INSERT INTO users (id, tenant_id, active, verified, insert_instant, last_update_instant) VALUES ('{owner}', '{tenant}', 1, 1, 1, 1)"),
                format!("INSERT INTO identifiers (kind, id_hash, user_id, expires_at, data, attempts) VALUES ('two_factor', 'pending', '{owner}', 1000, '{{\"kept\":true}}', 2)"),
                format!("INSERT INTO refresh_tokens (id, token_hash, user_id, application_id, tenant_id, insert_instant, last_used_instant, auth_time) VALUES ('{token}', 'live', '{owner}', '{application}', '{tenant}', 1, 1, 1)"),
                format!("INSERT INTO retired_refresh_tokens (token_hash, refresh_token_id) VALUES ('rotated', '{token}')"),
                format!("INSERT INTO retired_refresh_tokens (token_hash, refresh_token_id) VALUES ('orphaned', '{gone}')"),
            ] {
                old.execute(statement.as_str()).await.unwrap();
            }
            drop(old);

            let store = SqlStore::connect(&url).await.unwrap();
            let backend = store.backend();
            let pending = store
                .identifier(IdentifierKind::TwoFactor, "pending", 999)
                .await
                .unwrap()
                .unwrap_or_else(|| panic!("the identifier was lost on {backend:?}"));
            assert_eq!(
                (pending.user_id, pending.data, pending.attempts),
                (owner, serde_json::json!({"kept": true}), 2),
                "{backend:?}"
            );
            assert!(matches!(
                store.find_refresh_token("live").await.unwrap(),
                RefreshLookup::Live(live) if live.id == token
            ));
            assert!(
                matches!(
                    store.find_refresh_token("rotated").await.unwrap(),
                    RefreshLookup::Retired { refresh_token_id } if refresh_token_id == token
                ),
                "{backend:?}"
            );
            assert!(
                matches!(
                    store.find_refresh_token("orphaned").await.unwrap(),
                    RefreshLookup::Unknown
                ),
                "{backend:?}"
            );
        }
    }

    /// A second factor consumes the pending login it completes only if it was unspent,
    /// and the completed login is written only by the use that consumed it: a replayed
    /// step or a used recovery code changes nothing, so the pending login stays for
    /// another try; a factor used after its pending login went (another request, or
    /// expiry) is still used up, and writes nothing else.
    #[tokio::test]
    async fn a_second_factor_consumes_its_pending_login_only_if_it_was_unspent() {
        for store in both_backends().await {
            let backend = store.backend();
            let owner = two_factor_owner(&store, "second-factor@example.com").await;
            let now = 1_700_000_000_000;
            let stored = async |kind, id_hash: &str| {
                store
                    .identifier(kind, id_hash, now)
                    .await
                    .unwrap()
                    .is_some()
            };
            let step = |step| SecondFactor::TotpStep {
                method_id: "totp".into(),
                step,
            };
            let recovery = SecondFactor::RecoveryCode {
                code_hash: "recovery".into(),
            };
            let identifier = |kind, id_hash: String| NewIdentifier {
                kind,
                id_hash,
                user_id: owner.id,
                expires_at: now + 60_000,
                data: serde_json::json!({}),
            };
            // The `i`th use writes a login (its record names the pending login, and it
            // stores trust token `trust-i`) or, every other one, change-password id
            // `change-i`.
            let then = |i: usize, id_hash: &str| {
                if i % 2 == 1 {
                    let change = identifier(IdentifierKind::ChangePassword, format!("change-{i}"));
                    return LoginWrite::Step(change);
                }
                let mut login = login_with_refresh_token(&owner, &format!("token-{i}"));
                login.record.login_id = id_hash.to_owned();
                let trust = identifier(IdentifierKind::TrustToken, format!("trust-{i}"));
                login.identifiers.push(trust);
                LoginWrite::Success(Box::new(login))
            };
            for id_hash in ["a", "b", "c", "d"] {
                pending_two_factor(&store, &owner, id_hash, now + 60_000).await;
            }
            pending_two_factor(&store, &owner, "expired", now).await;

            // In turn, with the pending login each uses and what it should do.
            let uses = [
                (step(10), "a", SecondFactorUse::Completed),
                (step(10), "b", SecondFactorUse::Spent),
                (step(9), "b", SecondFactorUse::Spent),
                (recovery.clone(), "b", SecondFactorUse::Completed),
                (recovery.clone(), "c", SecondFactorUse::Spent),
                (step(11), "a", SecondFactorUse::PendingGone),
                (step(11), "c", SecondFactorUse::Spent),
                (step(12), "expired", SecondFactorUse::PendingGone),
                (step(13), "d", SecondFactorUse::Completed),
            ];
            for (i, (factor, id_hash, expected)) in uses.iter().enumerate() {
                let used = store
                    .use_second_factor(
                        owner.id,
                        factor,
                        IdentifierKind::TwoFactor,
                        id_hash,
                        now,
                        &then(i, id_hash),
                    )
                    .await
                    .unwrap();
                assert_eq!(used, *expected, "{factor:?} on {id_hash} ({backend:?})");
            }
            assert!(stored(IdentifierKind::TwoFactor, "c").await, "{backend:?}");
            for gone in ["a", "b", "d", "expired"] {
                let still = stored(IdentifierKind::TwoFactor, gone).await;
                assert!(!still, "{gone} ({backend:?})");
            }
            for (i, (_, id_hash, expected)) in uses.iter().enumerate() {
                let written = if i % 2 == 1 {
                    stored(IdentifierKind::ChangePassword, &format!("change-{i}")).await
                } else {
                    stored(IdentifierKind::TrustToken, &format!("trust-{i}")).await
                };
                let completed = *expected == SecondFactorUse::Completed;
                assert_eq!(written, completed, "use {i} on {id_hash} ({backend:?})");
            }
            let records = store.login_records(owner.id).await.unwrap();
            let login_ids: Vec<_> = records.iter().map(|r| r.login_id.as_str()).collect();
            assert_eq!(login_ids, ["a", "d"], "{backend:?}");
        }
    }

    /// A user locked when a second factor's write runs (the lock started after the
    /// completion read the user's failures) changes nothing: neither the code nor the
    /// pending login is spent, and nothing of the login is written, so both work once
    /// the lock is over.
    #[tokio::test]
    async fn a_lock_at_a_second_factors_write_spends_neither_code_nor_pending_login() {
        for store in both_backends().await {
            let backend = store.backend();
            let owner = two_factor_owner(&store, "locked-factor@example.com").await;
            let now = 1_700_000_000_000;
            for id_hash in ["by-code", "by-recovery"] {
                pending_two_factor(&store, &owner, id_hash, now + 60_000).await;
            }
            let until = now + 30_000;
            let locked = FailureState {
                count: 5,
                last_failure_instant: now,
                locked_until: Some(until),
            };
            store
                .record_failure(owner.id, |_| (locked, true))
                .await
                .unwrap();
            let uses = [
                (
                    SecondFactor::TotpStep {
                        method_id: "totp".into(),
                        step: 10,
                    },
                    "by-code",
                ),
                (
                    SecondFactor::RecoveryCode {
                        code_hash: "recovery".into(),
                    },
                    "by-recovery",
                ),
            ];
            let login = |id_hash: &str| {
                let token_hash = format!("token-{id_hash}");
                LoginWrite::Success(Box::new(login_with_refresh_token(&owner, &token_hash)))
            };
            for at in [now, until] {
                for (factor, id_hash) in &uses {
                    let used = store
                        .use_second_factor(
                            owner.id,
                            factor,
                            IdentifierKind::TwoFactor,
                            id_hash,
                            at,
                            &login(id_hash),
                        )
                        .await
                        .unwrap();
                    let expected = if at < until {
                        SecondFactorUse::Locked { until }
                    } else {
                        SecondFactorUse::Completed
                    };
                    assert_eq!(used, expected, "{factor:?} at {at} ({backend:?})");
                }
                let records = store.login_records(owner.id).await.unwrap();
                let failures = store.failures(owner.id).await.unwrap();
                if at < until {
                    assert!(records.is_empty(), "{backend:?}");
                    assert_eq!(failures, Some(locked), "{backend:?}");
                } else {
                    assert_eq!(records.len(), uses.len(), "{backend:?}");
                    assert_eq!(failures, None, "{backend:?}");
                }
            }
        }
    }

    /// A pending login reads with its user (registrations and methods included) and the
    /// user's failed authentications, or not at all once expired or of another kind.
    #[tokio::test]
    async fn a_pending_login_reads_with_its_user_and_failures() {
        let (_dir, stores) = every_store().await;
        for store in stores {
            let backend = store.backend();
            let owner = user_with_authenticator("pending@example.com");
            store.insert_user(&owner, None, &[]).await.unwrap();
            let now = 1_700_000_000_000;
            let data = serde_json::json!({ "loginId": "pending@example.com" });
            store
                .create_identifier(IdentifierKind::TwoFactor, "live", owner.id, now + 1, &data)
                .await
                .unwrap();
            store
                .create_identifier(IdentifierKind::TwoFactor, "expired", owner.id, now, &data)
                .await
                .unwrap();
            let read = async |kind, id_hash| store.pending_login(kind, id_hash, now).await.unwrap();
            let expected = |failures| PendingLogin {
                identifier: IdentifierRecord {
                    user_id: owner.id,
                    data: data.clone(),
                    attempts: 0,
                },
                user: owner.clone(),
                failures,
            };

            assert_eq!(
                read(IdentifierKind::TwoFactor, "live").await,
                Some(expected(None)),
                "{backend:?}"
            );
            let failed = FailureState {
                count: 2,
                last_failure_instant: now - 5,
                locked_until: Some(now + 60_000),
            };
            store
                .record_failure(owner.id, |_| (failed, true))
                .await
                .unwrap();
            assert_eq!(
                read(IdentifierKind::TwoFactor, "live").await,
                Some(expected(Some(failed))),
                "{backend:?}"
            );
            assert_eq!(
                read(IdentifierKind::TwoFactor, "expired").await,
                None,
                "{backend:?}"
            );
            assert_eq!(
                read(IdentifierKind::ChangePassword, "live").await,
                None,
                "{backend:?}"
            );
        }
    }

    /// A read on the async worker that SQLite would make wait for another connection's
    /// lock is refused at once, for the caller to make on a connection's thread; once the
    /// lock is gone, it reads. So is one whose connection will not open.
    #[test]
    fn an_inline_read_that_would_wait_is_refused_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("locked.db");
        // A rollback journal, whose writer locks readers out, unlike the store's WAL.
        let holder = rusqlite::Connection::open(&file).unwrap();
        holder
            .execute_batch("CREATE TABLE t (v TEXT); INSERT INTO t VALUES ('x');")
            .unwrap();
        let inline = InlineReaders {
            file,
            idle: std::sync::Mutex::default(),
        };
        let statement = Statement::new("SELECT v FROM t");
        let read = || inline.read_row(&statement, |row| row.text("v"));

        holder.execute_batch("BEGIN EXCLUSIVE").unwrap();
        let started = Instant::now();
        assert!(read().is_none(), "a locked read was not refused");
        // Not a speed test: rusqlite's default busy timeout would wait 5 s.
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "the read waited"
        );
        holder.execute_batch("COMMIT").unwrap();
        assert_eq!(read().unwrap().unwrap(), Some("x".to_owned()));

        let unopened = InlineReaders {
            file: dir.path().join("missing").join("locked.db"),
            idle: std::sync::Mutex::default(),
        };
        assert!(unopened.read_row(&statement, |row| row.text("v")).is_none());
    }

    /// A login whose user was deleted while it was under way writes nothing and is
    /// reported as the user being gone, not as the database failing: readiness must not
    /// take the pod out of its Service for it.
    #[tokio::test]
    async fn a_write_for_a_deleted_user_is_gone_not_unavailable() {
        for store in both_backends().await {
            let deleted = user("deleted@example.com");
            store.insert_user(&deleted, None, &[]).await.unwrap();
            assert!(store.delete_user(deleted.id).await.unwrap());
            let result = store
                .record_login(&login_with_refresh_token(&deleted, "orphan"))
                .await;
            assert!(matches!(result, Err(StoreError::Gone(_))), "{result:?}");
            assert_eq!(
                store.last_unavailable_write(),
                None,
                "{:?}",
                store.backend()
            );
            assert_eq!(store.login_records(deleted.id).await.unwrap(), vec![]);
            assert!(matches!(
                store.find_refresh_token("orphan").await.unwrap(),
                RefreshLookup::Unknown
            ));
            store
                .insert_login_record(&record("after@example.com", None))
                .await
                .unwrap();
        }
    }

    /// A batch that fails halfway keeps nothing of the statements before the failure,
    /// and leaves the writer usable: on an in-memory database, closing the connection
    /// instead would have lost every earlier write too.
    #[tokio::test]
    async fn a_batch_that_fails_halfway_writes_nothing() {
        let (_dir, _path, file) = sqlite_file_store().await;
        for store in [file].into_iter().chain(both_backends().await) {
            let earlier = record("earlier@example.com", None);
            let lost = record("lost@example.com", None);
            let later = record("later@example.com", None);
            store.insert_login_record(&earlier).await.unwrap();

            let mut batch = Batch::new(store.backend());
            insert_login_record(batch.add(), &lost);
            // Fails as it runs, after the statements before it: NOT NULL.
            batch
                .add()
                .push("INSERT INTO login_records (tenant_id) VALUES (NULL)");
            insert_login_record(batch.add(), &later);
            assert!(store.write_batch(batch).await.is_err());

            assert_eq!(store.login_records(lost.user_id).await.unwrap(), vec![]);
            assert_eq!(store.login_records(later.user_id).await.unwrap(), vec![]);
            store.insert_login_record(&later).await.unwrap();
            assert_each_stored_alone(&store, &[&earlier, &later]).await;
        }
    }

    /// SQLite's sole writer connection, abandoned in the middle of a write on an async
    /// worker (here: waiting for the write lock another process holds), is closed, its
    /// write goes nowhere, and the next write opens a fresh connection. Kept instead, it
    /// would still have the abandoned transaction open when the next write's BEGIN
    /// arrived.
    #[tokio::test]
    async fn a_sole_writer_abandoned_mid_write_is_closed_and_reopened() {
        let (_dir, path, store) = sqlite_file_store().await;
        let other_process = rusqlite::Connection::open(&path).unwrap();
        other_process.execute_batch("BEGIN IMMEDIATE").unwrap();

        let abandoned = user("abandoned@example.com");
        let result = store.insert_user(&abandoned, None, &[]).await;
        assert!(
            matches!(&result, Err(StoreError::Unavailable(_))),
            "{result:?}"
        );
        let connection = sole_connection(&store);
        assert!(connection.lock().await.is_none(), "closed, not kept");

        other_process.execute_batch("COMMIT").unwrap();
        let later = user("later@example.com");
        store.insert_user(&later, None, &[]).await.unwrap();
        assert!(connection.lock().await.is_some(), "reopened");
        assert!(store.user(abandoned.id).await.unwrap().is_none());
        assert!(store.user(later.id).await.unwrap().is_some());
    }

    /// A batch waiting on the writer thread for the write lock another process holds
    /// gives up before its caller's deadline, so that the caller's 503 is the database's
    /// answer, is rolled back and not written when the lock comes free, and is not taken
    /// for the database failing; the next batch is written.
    #[tokio::test]
    async fn a_batch_waiting_for_another_process_gives_up_before_its_deadline() {
        let (_dir, path, store) = sqlite_file_store().await;
        let other_process = rusqlite::Connection::open(&path).unwrap();
        other_process.execute_batch("BEGIN IMMEDIATE").unwrap();

        let abandoned = record("abandoned@example.com", None);
        let result = store.insert_login_record(&abandoned).await;
        assert!(
            matches!(&result, Err(StoreError::Unavailable(m)) if m.contains("locked")),
            "{result:?}"
        );
        assert_eq!(store.last_unavailable_write(), None);

        other_process.execute_batch("COMMIT").unwrap();
        let later = record("later@example.com", None);
        store.insert_login_record(&later).await.unwrap();
        assert_eq!(
            store.login_records(abandoned.user_id).await.unwrap(),
            vec![]
        );
        assert_eq!(
            store.login_records(later.user_id).await.unwrap(),
            vec![later.clone()]
        );
    }

    /// SQLite's sole writer connection, in a test: held, it keeps every write waiting.
    fn sole_connection(store: &SqlStore) -> &SoleConnection {
        let Writer::Sole { connection, .. } = &store.writer else {
            panic!("a SQLite file has a sole writer");
        };
        connection
    }

    /// A batch whose caller gave up while it waited for the writer connection is never
    /// written: the caller's client was answered 503, and the writer thread, which waits
    /// on without it, must not commit it after all.
    #[tokio::test]
    async fn a_batch_whose_caller_left_while_it_waited_is_never_written() {
        let (_dir, _path, store) = sqlite_file_store().await;
        let held = sole_connection(&store).lock().await;
        let gone = record("gone@example.com", None);
        let waited =
            tokio::time::timeout(Duration::from_millis(100), store.insert_login_record(&gone))
                .await;
        assert!(waited.is_err(), "{waited:?}");
        drop(held);

        // Batches are taken in the order they were sent: the one given up on came first.
        let later = record("later@example.com", None);
        store.insert_login_record(&later).await.unwrap();
        assert_eq!(store.login_records(gone.user_id).await.unwrap(), vec![]);
        assert_eq!(
            store.login_records(later.user_id).await.unwrap(),
            vec![later]
        );
    }

    /// A batch waits for the writer connection as long as any write does, then is
    /// refused as unavailable (the API's 503) before its deadline, and is not written
    /// when the connection comes free.
    #[tokio::test]
    async fn a_batch_refused_after_waiting_for_the_writer_is_not_written_later() {
        let (_dir, _path, store) = sqlite_file_store().await;
        let held = sole_connection(&store).lock().await;
        let refused = record("refused@example.com", None);
        let result = store.insert_login_record(&refused).await;
        assert!(
            matches!(&result, Err(StoreError::Unavailable(m)) if m.contains("stayed busy")),
            "{result:?}"
        );
        drop(held);

        let later = record("later@example.com", None);
        store.insert_login_record(&later).await.unwrap();
        assert_eq!(store.login_records(refused.user_id).await.unwrap(), vec![]);
    }

    /// Writes that queued behind a busy writer thread, each a password login's step,
    /// spawned in turn with `store`'s writer connection held: the answers, in order, once
    /// the connection comes free.
    async fn written_after_a_queue(
        store: &SqlStore,
        writes: Vec<LoginWrite>,
    ) -> Vec<StoreResult<LoginWritten>> {
        let held = sole_connection(store).lock().await;
        let writes: Vec<_> = writes
            .into_iter()
            .map(|write| {
                let store = store.clone();
                tokio::spawn(async move { store.write_login(&write, 0).await })
            })
            .collect();
        // Each write sends its batch to the thread on its first turn, before it waits.
        tokio::time::sleep(Duration::from_millis(50)).await;
        drop(held);
        let mut answers = Vec::new();
        for write in writes {
            answers.push(write.await.unwrap());
        }
        answers
    }

    /// A change-password id of `owner`, written as a login's step.
    fn change_password_step(owner: &User, id_hash: &str) -> LoginWrite {
        LoginWrite::Step(NewIdentifier {
            kind: IdentifierKind::ChangePassword,
            id_hash: id_hash.into(),
            user_id: owner.id,
            expires_at: i64::MAX,
            data: serde_json::json!({}),
        })
    }

    /// Batches that queued while the writer thread waited are committed together, fewer
    /// transactions than batches, and each caller gets its own batch's answer.
    #[tokio::test]
    async fn batches_that_queued_are_committed_together() {
        let (_dir, _path, store) = sqlite_file_store().await;
        let owner = user("owner@example.com");
        store.insert_user(&owner, None, &[]).await.unwrap();
        let locked = user("locked@example.com");
        store.insert_user(&locked, None, &[]).await.unwrap();
        let lock = FailureState {
            count: 1,
            last_failure_instant: 0,
            locked_until: Some(i64::MAX),
        };
        store
            .record_failure(locked.id, |_| (lock, true))
            .await
            .unwrap();

        let ids = ["a", "b", "c", "d", "e"];
        let mut writes: Vec<_> = ids
            .iter()
            .map(|id| change_password_step(&owner, id))
            .collect();
        writes.insert(2, change_password_step(&locked, "refused"));
        let answers = written_after_a_queue(&store, writes).await;

        assert!(
            matches!(answers[2], Ok(LoginWritten::Locked { until: i64::MAX })),
            "{:?}",
            answers[2]
        );
        answers
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != 2)
            .for_each(|(i, answer)| {
                assert!(
                    matches!(answer, Ok(LoginWritten::Written)),
                    "{i}: {answer:?}"
                );
            });
        for id_hash in ids {
            let written = store.identifier(IdentifierKind::ChangePassword, id_hash, 0);
            assert!(written.await.unwrap().is_some(), "{id_hash}");
        }
        let refused = store.identifier(IdentifierKind::ChangePassword, "refused", 0);
        assert!(refused.await.unwrap().is_none());
        let text = crate::metrics::exposition("commits", store.metrics().batches_per_commit());
        let value = |line: &str| -> f64 {
            let found = text.lines().find_map(|l| l.strip_prefix(line));
            found.unwrap().trim().parse().unwrap()
        };
        assert_eq!(value("commits_sum "), 6.0, "{text}");
        assert!(value("commits_count ") < 6.0, "{text}");
    }

    /// A batch that fails among batches committed together (here on a duplicate key) is
    /// refused as it would be alone, and the others are written.
    #[tokio::test]
    async fn a_batch_that_fails_among_batches_committed_together_fails_alone() {
        let (_dir, _path, store) = sqlite_file_store().await;
        let owner = user("owner@example.com");
        store.insert_user(&owner, None, &[]).await.unwrap();
        let taken = change_password_step(&owner, "taken");
        store.write_login(&taken, 0).await.unwrap();

        let ids = ["first", "taken", "second", "third"];
        let writes = ids
            .iter()
            .map(|id| change_password_step(&owner, id))
            .collect();
        let answers = written_after_a_queue(&store, writes).await;

        assert!(
            matches!(answers[1], Err(StoreError::Duplicate("id"))),
            "{answers:?}"
        );
        for (answer, id_hash) in answers.iter().zip(ids).filter(|(_, id)| *id != "taken") {
            assert!(
                matches!(answer, Ok(LoginWritten::Written)),
                "{id_hash}: {answer:?}"
            );
            let written = store.identifier(IdentifierKind::ChangePassword, id_hash, 0);
            assert!(written.await.unwrap().is_some(), "{id_hash}");
        }
    }

    /// A write the database refuses is noted for readiness, on the writer thread and on
    /// an async worker; one abandoned waiting (the database slow or locked, or its client
    /// gone) and one refused for a duplicate are not, since neither says the database
    /// cannot take writes.
    #[tokio::test]
    async fn a_write_the_database_refuses_is_noted_and_others_are_not() {
        let (_dir, path, store) = sqlite_file_store().await;
        let other_process = rusqlite::Connection::open(&path).unwrap();
        other_process.execute_batch("BEGIN IMMEDIATE").unwrap();
        let waited = store
            .insert_login_record(&record("waited@example.com", None))
            .await;
        assert!(matches!(waited, Err(StoreError::Unavailable(_))));
        other_process.execute_batch("COMMIT").unwrap();
        let taken = user("taken@example.com");
        store.insert_user(&taken, None, &[]).await.unwrap();
        let duplicate = store.insert_user(&taken, None, &[]).await;
        assert!(matches!(duplicate, Err(StoreError::Duplicate(_))));
        assert_eq!(store.last_unavailable_write(), None);

        // The writer thread's connection, made read-only by a batch: its next batch fails
        // as on a full disk or a read-only volume, inside SQLite.
        let query_only = |on: &str| {
            let mut batch = Batch::new(Backend::Sqlite);
            batch.add().push("PRAGMA query_only = ").push(on);
            store.write_batch(batch)
        };
        query_only("ON").await.unwrap();
        let before = Instant::now();
        let refused = store
            .insert_login_record(&record("refused@example.com", None))
            .await;
        assert!(
            matches!(&refused, Err(StoreError::Unavailable(_))),
            "{refused:?}"
        );
        let noted = store
            .last_unavailable_write()
            .expect("the refusal is noted");
        assert!(noted >= before);

        // Rolled back cleanly, the connection was kept: writable again, it takes a write,
        // and the refusal stays noted until readiness's hold has passed.
        query_only("OFF").await.unwrap();
        let later = record("later@example.com", None);
        store.insert_login_record(&later).await.unwrap();
        assert_eq!(store.last_unavailable_write(), Some(noted));

        // The async workers' writer connection, the same way.
        let connection = sole_connection(&store);
        let mut writer = connection.lock().await;
        let conn = writer.as_mut().unwrap();
        conn.execute("PRAGMA query_only = ON").await.unwrap();
        drop(writer);
        let refused = store
            .insert_user(&user("refused@example.com"), None, &[])
            .await;
        assert!(
            matches!(refused, Err(StoreError::Unavailable(_))),
            "{refused:?}"
        );
        let noted_again = store.last_unavailable_write();
        assert!(noted_again > Some(noted), "{noted_again:?}");
        if let Some(conn) = connection.lock().await.as_mut() {
            conn.execute("PRAGMA query_only = OFF").await.unwrap();
        }
        store
            .insert_user(&user("later@example.com"), None, &[])
            .await
            .unwrap();
    }

    /// An operation past its deadline is abandoned and reported as the database being
    /// unavailable, which the API answers with a 503.
    #[tokio::test]
    async fn an_operation_past_its_deadline_is_unavailable() {
        let never = std::future::pending::<StoreResult<()>>();
        let result = bounded(Duration::from_millis(10), never).await;
        assert!(
            matches!(&result, Err(StoreError::Unavailable(m)) if m.contains("10ms")),
            "{result:?}"
        );
        assert_eq!(bounded(DEADLINE, async { Ok(7) }).await.ok(), Some(7));
    }

    /// The log's length in frames, from a checkpoint that copies what it can.
    async fn log_frames(store: &SqlStore) -> i64 {
        let (_, frames, _): (i64, i64, i64) = store
            .read(async |conn| {
                sqlx::query_as("PRAGMA wal_checkpoint(PASSIVE)")
                    .fetch_one(conn)
                    .await
                    .map_err(db)
            })
            .await
            .unwrap();
        frames
    }

    /// The checkpoint's first pass copies the log into the database file while a write
    /// holds the writer connection, so writes wait only for the rest of it.
    #[tokio::test]
    async fn a_checkpoint_copies_the_log_while_a_write_holds_the_writer() {
        let (_dir, path, store) = sqlite_file_store().await;
        for n in 0..20 {
            let record = record(&format!("r{n}@example.com"), None);
            store.insert_login_record(&record).await.unwrap();
        }
        // The database file alone, without the log: what checkpoints copied into it.
        let records_in_file = || {
            let file = rusqlite::Connection::open_with_flags(
                format!("file:{}?immutable=1", path.display()),
                rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_URI,
            )
            .ok()?;
            file.query_row("SELECT COUNT(*) FROM login_records", [], |row| {
                row.get::<_, i64>(0)
            })
            .ok()
        };
        assert_ne!(records_in_file(), Some(20), "only in the log so far");

        let connection = sole_connection(&store);
        let busy = connection.lock().await;
        let checkpoint = tokio::spawn({
            let store = store.clone();
            async move { store.checkpoint().await }
        });
        // Until the copy shows, or the checkpoint gave up waiting for the writer.
        while records_in_file() != Some(20) && !checkpoint.is_finished() {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        assert_eq!(
            records_in_file(),
            Some(20),
            "copied while the writer was held"
        );
        drop(busy);
        checkpoint.await.unwrap().ok();
        assert!(store.checkpoint().await.unwrap(), "and then finished");
    }

    /// A reader that outlasts the checkpoint's short wait keeps the log from starting
    /// over, and the checkpoint says so instead of holding up writes; once the reader is
    /// gone, the next checkpoint finishes and the next write starts the log over.
    #[tokio::test]
    async fn a_checkpoint_reports_a_reader_that_kept_the_log_and_finishes_after_it() {
        let (_dir, _, store) = sqlite_file_store().await;
        let mut reader = sqlite_readers(&store).get().await.unwrap();
        reader.execute("BEGIN").await.unwrap();
        sqlx::query("SELECT instant FROM heartbeat")
            .fetch_all(&mut *reader)
            .await
            .unwrap();
        for now in 0..20 {
            store.probe_write(now).await.unwrap();
        }

        assert!(
            !store.checkpoint().await.unwrap(),
            "the reader holds the log"
        );
        store.probe_write(20).await.unwrap();
        assert!(log_frames(&store).await >= 20, "the log did not start over");

        reader.execute("COMMIT").await.unwrap();
        assert!(store.checkpoint().await.unwrap());
        store.probe_write(21).await.unwrap();
        assert!(
            log_frames(&store).await <= 2,
            "the next write starts the log over"
        );

        let mut writer = store.write_connection().await.unwrap();
        let (timeout,): (i64,) = sqlx::query_as("PRAGMA busy_timeout")
            .fetch_one(writer.conn().unwrap())
            .await
            .unwrap();
        assert_eq!(timeout, 5000, "the checkpoint puts back the busy timeout");
    }
}
