//! Connecting to the database, on either backend, and counting statements.
//!
//! SQLite gets WAL (readers never wait for the writer), foreign keys, a busy
//! timeout and a pool of several connections (SeaORM would otherwise give it one).
//! Its write transactions queue in the process for one write lock (see
//! [`begin_write`]), so writers never spin on the busy timeout.
//!
//! Postgres connections get a `statement_timeout`. The pool heals by itself
//! after an outage: every connection is tested before it is handed out (a
//! broken one is dropped and replaced), idle ones are closed after a while and
//! none lives for ever, so connections broken by a restart or a network cut
//! never stay in the pool.

pub mod page;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database as SeaDatabase, DatabaseConnection,
    DatabaseTransaction, DbBackend, DbErr, SqliteTransactionMode, Statement, TransactionOptions,
    TransactionTrait,
};

use crate::config::DbConfig;

/// A connection pool and the number of SQL statements it has run.
#[derive(Clone, Debug)]
pub struct Database {
    /// The pool.
    pub conn: DatabaseConnection,
    /// Statements run so far through `conn`, for tests and diagnostics.
    pub statements: StatementCounter,
    /// The statements themselves, with their values, while switched on.
    pub recorder: StatementRecorder,
}

/// Keeps the SQL statements (with their values) a pool runs while it is
/// switched on, for tests that look at their plans. Off, it costs one
/// relaxed atomic load per statement.
#[derive(Clone, Debug, Default)]
pub struct StatementRecorder(Arc<RecorderInner>);

#[derive(Debug, Default)]
struct RecorderInner {
    on: AtomicBool,
    statements: Mutex<Vec<Statement>>,
}

impl StatementRecorder {
    /// Starts keeping statements, forgetting any kept before.
    pub fn start(&self) {
        self.lock().clear();
        self.0.on.store(true, Ordering::SeqCst);
    }

    /// Stops keeping statements and returns those kept since [`Self::start`].
    pub fn stop(&self) -> Vec<Statement> {
        self.0.on.store(false, Ordering::SeqCst);
        std::mem::take(&mut *self.lock())
    }

    fn record(&self, statement: &Statement) {
        if self.0.on.load(Ordering::Relaxed) {
            self.lock().push(statement.clone());
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Statement>> {
        self.0
            .statements
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Counts the SQL statements a connection pool runs.
#[derive(Clone, Debug, Default)]
pub struct StatementCounter(Arc<AtomicU64>);

impl StatementCounter {
    /// Statements run so far.
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

/// How long a pooled connection may sit idle before it is closed.
const IDLE_TIMEOUT: Duration = Duration::from_secs(5 * 60);
/// How long a pooled connection lives at most.
const MAX_LIFETIME: Duration = Duration::from_secs(30 * 60);

/// Opens a pool on `config.database_url`, for serving requests.
pub async fn connect(config: &DbConfig) -> Result<Database, DbErr> {
    open(config, config.db_statement_timeout).await
}

/// Opens a pool on `config.database_url` whose statements are not limited in
/// time: for migrations, which may legitimately take long.
pub async fn connect_unlimited(config: &DbConfig) -> Result<Database, DbErr> {
    open(config, Duration::ZERO).await
}

async fn open(config: &DbConfig, statement_timeout: Duration) -> Result<Database, DbErr> {
    let mut options = ConnectOptions::new(config.database_url.clone());
    options
        .max_connections(config.db_max_connections.max(1))
        .min_connections(1)
        .acquire_timeout(config.db_acquire_timeout)
        .connect_timeout(config.db_acquire_timeout)
        .test_before_acquire(true)
        .idle_timeout(IDLE_TIMEOUT)
        .max_lifetime(MAX_LIFETIME)
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|opts| {
            opts.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
        });
    if !statement_timeout.is_zero() {
        // Postgres only; SeaORM ignores it for SQLite.
        options.statement_timeout(statement_timeout);
    }
    let mut conn = SeaDatabase::connect(options).await?;
    let statements = StatementCounter::default();
    let counter = statements.0.clone();
    let recorder = StatementRecorder::default();
    let keeper = recorder.clone();
    conn.set_metric_callback(move |info| {
        counter.fetch_add(1, Ordering::Relaxed);
        keeper.record(info.statement);
        tracing::trace!(target: "hiregraph::sql", elapsed = ?info.elapsed, failed = info.failed, "{}", info.statement);
    });
    Ok(Database {
        conn,
        statements,
        recorder,
    })
}

/// Whether `db` is SQLite (some statements differ slightly).
pub fn is_sqlite(db: &impl ConnectionTrait) -> bool {
    db.get_database_backend() == DbBackend::Sqlite
}

/// Begins a transaction that will write. On SQLite it takes the write lock at
/// once (`BEGIN IMMEDIATE`): a transaction that reads first and upgrades to
/// writing later fails when another writer committed in between, whereas one
/// that starts as a writer simply waits its turn (up to the busy timeout).
/// On Postgres it is an ordinary transaction.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}
