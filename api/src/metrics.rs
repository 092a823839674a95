//! Prometheus metrics, kept in memory and written in the text exposition
//! format at `GET /metrics`.
//!
//! - `hiregraph_graphql_requests_total{operation,outcome}` and
//!   `hiregraph_graphql_request_duration_seconds{operation,outcome}` (a
//!   histogram): every GraphQL operation, by its operation name (`anonymous`
//!   when it has none; past [`MAX_OPERATIONS`] distinct names, `other`) and
//!   its outcome: `ok`, `user_error` (the caller's fault: a request error, an
//!   authorization error, or `userErrors` in a mutation payload) or `error`
//!   (the server's fault: an internal error or a timeout);
//! - `hiregraph_db_pool_connections{state="open"|"idle"|"in_use"}` and
//!   `hiregraph_db_pool_max_connections`: the database pool, read at scrape;
//! - `hiregraph_requests_shed_total`: GraphQL requests refused with 503
//!   because `HIREGRAPH_MAX_CONCURRENT_REQUESTS` were already running;
//! - `hiregraph_subscriptions_active`: open GraphQL subscriptions, moved by
//!   [`subscriptions_opened`] and [`subscriptions_closed`];
//! - `hiregraph_sql_statements_total`: SQL statements the pool has run since
//!   start-up (read from [`crate::db::Database::statements`]); the benchmark
//!   divides its growth over a run by the requests of the run.
//!
//! Kept hand-written (a few counters and one histogram) rather than pulling a
//! metrics stack in.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use sea_orm::{DatabaseConnection, DbBackend};

use crate::db::Database;

/// The upper bounds of the latency histogram's buckets, in seconds.
pub const BUCKETS: [f64; 12] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// Most distinct operation names kept as labels; the rest count as `other`,
/// so that clients sending ever new names cannot grow the metrics unbounded.
pub const MAX_OPERATIONS: usize = 500;

/// How an operation ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    /// It ran with no error.
    Ok,
    /// The caller's fault: a request error, a refused operation, an
    /// authorization error or `userErrors` in a payload.
    UserError,
    /// The server's fault: an internal error or a timeout.
    Error,
}

impl Outcome {
    /// The label value.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::UserError => "user_error",
            Outcome::Error => "error",
        }
    }
}

#[derive(Default)]
struct Series {
    count: u64,
    sum: f64,
    buckets: [u64; BUCKETS.len()],
}

#[derive(Default)]
struct Registry {
    requests: BTreeMap<(String, Outcome), Series>,
    operations: std::collections::BTreeSet<String>,
}

fn registry() -> &'static Mutex<Registry> {
    static REGISTRY: OnceLock<Mutex<Registry>> = OnceLock::new();
    REGISTRY.get_or_init(Mutex::default)
}

static SUBSCRIPTIONS: AtomicI64 = AtomicI64::new(0);
static SHED: AtomicU64 = AtomicU64::new(0);

/// A GraphQL request was refused because too many were in flight.
pub fn request_shed() {
    SHED.fetch_add(1, Ordering::Relaxed);
}

/// Counts one GraphQL operation named `operation` (`None`: anonymous) that
/// ended with `outcome` after `elapsed`.
pub fn record_request(operation: Option<&str>, outcome: Outcome, elapsed: Duration) {
    let mut registry = registry()
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let name = match operation.filter(|name| !name.is_empty()) {
        None => "anonymous".to_owned(),
        Some(name) if registry.operations.contains(name) => name.to_owned(),
        Some(name) if registry.operations.len() < MAX_OPERATIONS => {
            registry.operations.insert(name.to_owned());
            name.to_owned()
        }
        Some(_) => "other".to_owned(),
    };
    let seconds = elapsed.as_secs_f64();
    let series = registry.requests.entry((name, outcome)).or_default();
    series.count += 1;
    series.sum += seconds;
    for (bucket, bound) in series.buckets.iter_mut().zip(BUCKETS) {
        if seconds <= bound {
            *bucket += 1;
        }
    }
}

/// A subscription started: the gauge goes up by one.
pub fn subscriptions_opened() {
    SUBSCRIPTIONS.fetch_add(1, Ordering::Relaxed);
}

/// A subscription ended: the gauge goes down by one.
pub fn subscriptions_closed() {
    SUBSCRIPTIONS.fetch_sub(1, Ordering::Relaxed);
}

/// A label value, escaped as the exposition format asks.
fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Everything, in the Prometheus text exposition format (version 0.0.4).
pub fn render(database: &Database) -> String {
    let db = &database.conn;
    let mut out = String::new();
    {
        let registry = registry()
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        out.push_str(
            "# HELP hiregraph_graphql_requests_total GraphQL operations, by operation name and outcome.\n\
             # TYPE hiregraph_graphql_requests_total counter\n",
        );
        for ((operation, outcome), series) in &registry.requests {
            let _ = writeln!(
                out,
                "hiregraph_graphql_requests_total{{operation=\"{}\",outcome=\"{}\"}} {}",
                escape(operation),
                outcome.as_str(),
                series.count
            );
        }
        out.push_str(
            "# HELP hiregraph_graphql_request_duration_seconds How long GraphQL operations took, by operation name and outcome.\n\
             # TYPE hiregraph_graphql_request_duration_seconds histogram\n",
        );
        for ((operation, outcome), series) in &registry.requests {
            let labels = format!(
                "operation=\"{}\",outcome=\"{}\"",
                escape(operation),
                outcome.as_str()
            );
            for (count, bound) in series.buckets.iter().zip(BUCKETS) {
                let _ = writeln!(
                    out,
                    "hiregraph_graphql_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {count}"
                );
            }
            let _ = writeln!(
                out,
                "hiregraph_graphql_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}",
                series.count
            );
            let _ = writeln!(
                out,
                "hiregraph_graphql_request_duration_seconds_sum{{{labels}}} {}",
                series.sum
            );
            let _ = writeln!(
                out,
                "hiregraph_graphql_request_duration_seconds_count{{{labels}}} {}",
                series.count
            );
        }
    }
    let (open, idle, max_connections) = pool_sizes(db);
    out.push_str(
        "# HELP hiregraph_db_pool_connections Database connections in the pool, by state.\n\
         # TYPE hiregraph_db_pool_connections gauge\n",
    );
    let _ = writeln!(
        out,
        "hiregraph_db_pool_connections{{state=\"open\"}} {open}"
    );
    let _ = writeln!(
        out,
        "hiregraph_db_pool_connections{{state=\"idle\"}} {idle}"
    );
    let _ = writeln!(
        out,
        "hiregraph_db_pool_connections{{state=\"in_use\"}} {}",
        open.saturating_sub(idle)
    );
    let _ = writeln!(
        out,
        "# HELP hiregraph_db_pool_max_connections Most connections the pool opens.\n\
         # TYPE hiregraph_db_pool_max_connections gauge\n\
         hiregraph_db_pool_max_connections {max_connections}"
    );
    let _ = writeln!(
        out,
        "# HELP hiregraph_subscriptions_active Open GraphQL subscriptions.\n\
         # TYPE hiregraph_subscriptions_active gauge\n\
         hiregraph_subscriptions_active {}",
        SUBSCRIPTIONS.load(Ordering::Relaxed)
    );
    let _ = writeln!(
        out,
        "# HELP hiregraph_requests_shed_total GraphQL requests refused (503) because too many were running.\n\
         # TYPE hiregraph_requests_shed_total counter\n\
         hiregraph_requests_shed_total {}",
        SHED.load(Ordering::Relaxed)
    );
    let _ = writeln!(
        out,
        "# HELP hiregraph_sql_statements_total SQL statements run by the database pool since start-up.\n\
         # TYPE hiregraph_sql_statements_total counter\n\
         hiregraph_sql_statements_total {}",
        database.statements.get()
    );
    out
}

/// The pool's open and idle connections, and the most it opens.
fn pool_sizes(db: &DatabaseConnection) -> (u64, u64, u32) {
    match db.get_database_backend() {
        DbBackend::Sqlite => {
            let pool = db.get_sqlite_connection_pool();
            (
                u64::from(pool.size()),
                pool.num_idle() as u64,
                pool.options().get_max_connections(),
            )
        }
        DbBackend::Postgres => {
            let pool = db.get_postgres_connection_pool();
            (
                u64::from(pool.size()),
                pool.num_idle() as u64,
                pool.options().get_max_connections(),
            )
        }
        _ => (0, 0, 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(escape(r#"a"b\c"#), r#"a\"b\\c"#);
        assert_eq!(escape("a\nb"), "a\\nb");
    }
}
