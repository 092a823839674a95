//! Errors, and which kind belongs where.
//!
//! - [`UserError`]: an expected failure the client can fix (a blank title, an
//!   unknown country, a slug already taken). Mutations return these in their
//!   payload's `userErrors`, with the path of the input field and a stable
//!   [`UserErrorCode`]; nothing is written when there is one.
//! - [`ApiError`]: everything else, reported as a top-level GraphQL error with a
//!   stable `extensions.code` ([`ErrorCode`]). Internal failures (database,
//!   bugs) are logged with their details and reach the client only as
//!   `INTERNAL_SERVER_ERROR` with the request id.
//! - [`Failure`]: what domain functions return, one of the two.

use std::sync::Arc;
use std::time::Duration;

use async_graphql::{Enum, ErrorExtensions, SimpleObject};
use sea_orm::{DbErr, SqlErr};

/// Stable codes of top-level errors, in `extensions.code`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorCode {
    /// The request itself is malformed (a bad cursor, a malformed ID, page size out of range).
    BadUserInput,
    /// The query does not parse.
    GraphqlParseFailed,
    /// The query parses but is not valid against the schema.
    GraphqlValidationFailed,
    /// No valid credentials, or credentials that could not be verified.
    Unauthenticated,
    /// Authenticated, but not allowed to do this.
    Forbidden,
    /// The object does not exist (or is not visible to the viewer).
    NotFound,
    /// The request was well formed but used the wrong HTTP method or media type.
    BadRequest,
    /// Too many attempts; `extensions.retryAfter` says in how many seconds
    /// to try again (HTTP 429 with a `Retry-After` header).
    RateLimited,
    /// The service cannot answer right now: the database is unreachable, or
    /// the server is at its limit of requests running at once. Nothing was
    /// written. HTTP 503 with a `Retry-After` header; `extensions.retryAfter`
    /// says in how many seconds to try again.
    ServiceUnavailable,
    /// A database statement ran past its time limit (Postgres
    /// `statement_timeout`) and was cancelled; nothing was written. HTTP 503
    /// with `Retry-After`: ask for less, or try again later.
    QueryTimeout,
    /// Something failed on our side; details are in the server log.
    InternalServerError,
}

impl ErrorCode {
    /// The code as it appears in `extensions.code`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::BadUserInput => "BAD_USER_INPUT",
            ErrorCode::GraphqlParseFailed => "GRAPHQL_PARSE_FAILED",
            ErrorCode::GraphqlValidationFailed => "GRAPHQL_VALIDATION_FAILED",
            ErrorCode::Unauthenticated => "UNAUTHENTICATED",
            ErrorCode::Forbidden => "FORBIDDEN",
            ErrorCode::NotFound => "NOT_FOUND",
            ErrorCode::BadRequest => "BAD_REQUEST",
            ErrorCode::RateLimited => "RATE_LIMITED",
            ErrorCode::ServiceUnavailable => "SERVICE_UNAVAILABLE",
            ErrorCode::QueryTimeout => "QUERY_TIMEOUT",
            ErrorCode::InternalServerError => "INTERNAL_SERVER_ERROR",
        }
    }
}

/// A top-level error of the API.
#[derive(Clone, Debug, thiserror::Error)]
pub enum ApiError {
    /// The request is malformed; the message says how.
    #[error("{0}")]
    BadUserInput(String),
    /// No usable credentials.
    #[error("{0}")]
    Unauthenticated(String),
    /// The viewer may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// The object does not exist or is not visible.
    #[error("{0}")]
    NotFound(String),
    /// Too many attempts: try again after `retry_after`.
    #[error("{message}; try again in {} seconds", retry_after_seconds(*.retry_after))]
    RateLimited {
        message: String,
        retry_after: Duration,
    },
    /// A database failure; logged, never shown.
    #[error("database error: {0}")]
    Database(Arc<DbErr>),
    /// Any other internal failure; logged, never shown.
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    /// The stable code of this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            ApiError::BadUserInput(_) => ErrorCode::BadUserInput,
            ApiError::Unauthenticated(_) => ErrorCode::Unauthenticated,
            ApiError::Forbidden(_) => ErrorCode::Forbidden,
            ApiError::NotFound(_) => ErrorCode::NotFound,
            ApiError::RateLimited { .. } => ErrorCode::RateLimited,
            ApiError::Database(err) => match DbFailure::of(err) {
                DbFailure::Unavailable => ErrorCode::ServiceUnavailable,
                DbFailure::StatementTimeout => ErrorCode::QueryTimeout,
                DbFailure::Other => ErrorCode::InternalServerError,
            },
            ApiError::Internal(_) => ErrorCode::InternalServerError,
        }
    }

    /// A bad-input error with `message`.
    pub fn bad_input(message: impl Into<String>) -> Self {
        ApiError::BadUserInput(message.into())
    }

    /// A rate-limit error: `message`, and when to try again.
    pub fn rate_limited(message: impl Into<String>, retry_after: Duration) -> Self {
        ApiError::RateLimited {
            message: message.into(),
            retry_after,
        }
    }

    /// The error for anonymous callers asking for staff-only data.
    pub fn sign_in_required() -> Self {
        ApiError::Unauthenticated("sign in with a staff token to see this".into())
    }

    /// A forbidden error with `message`.
    pub fn forbidden(message: impl Into<String>) -> Self {
        ApiError::Forbidden(message.into())
    }
}

impl From<DbErr> for ApiError {
    fn from(err: DbErr) -> Self {
        ApiError::Database(Arc::new(err))
    }
}

impl From<ApiError> for async_graphql::Error {
    /// The client sees the message, except for internal failures: those say
    /// only that something failed, and keep the error as the source, which
    /// the HTTP layer logs with the request id.
    fn from(err: ApiError) -> Self {
        let code = err.code();
        let internal = code == ErrorCode::InternalServerError;
        let message = if code == ErrorCode::ServiceUnavailable {
            tracing::warn!(error = %err, "the database is unavailable");
            "the database is unavailable; nothing was done: try again in a few seconds".to_owned()
        } else if code == ErrorCode::QueryTimeout {
            tracing::warn!(error = %err, "a database statement ran out of time and was cancelled");
            "a database statement took longer than the limit and was cancelled; nothing was done: ask for less or try again later".to_owned()
        } else if internal {
            "internal server error; the server log has the details under extensions.requestId"
                .to_owned()
        } else {
            err.to_string()
        };
        let retry_after = match &err {
            ApiError::RateLimited { retry_after, .. } => Some(retry_after_seconds(*retry_after)),
            _ => None,
        };
        let mut error = async_graphql::Error::new(message).extend_with(|_, ext| {
            ext.set("code", code.as_str());
            if let Some(seconds) = retry_after {
                ext.set("retryAfter", seconds);
            }
        });
        if internal {
            error.source = Some(Arc::new(err));
        }
        error
    }
}

/// Why a database call failed, as far as the client is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DbFailure {
    /// The database cannot be reached (refused, reset, no connection within
    /// the acquire timeout, shutting down) or, on SQLite, stayed locked:
    /// trying again later may work.
    Unavailable,
    /// Postgres cancelled the statement for its `statement_timeout`.
    StatementTimeout,
    /// Anything else: a bug or a broken schema.
    Other,
}

impl DbFailure {
    /// Classifies `err`.
    pub fn of(err: &DbErr) -> DbFailure {
        use sea_orm::RuntimeErr;
        use sea_orm::sqlx::Error as Sqlx;
        let runtime = match err {
            DbErr::ConnectionAcquire(_) => return DbFailure::Unavailable,
            DbErr::Conn(runtime) | DbErr::Exec(runtime) | DbErr::Query(runtime) => runtime,
            _ => return DbFailure::Other,
        };
        let RuntimeErr::SqlxError(sqlx) = runtime else {
            return DbFailure::Other;
        };
        match sqlx.as_ref() {
            Sqlx::Io(_)
            | Sqlx::Tls(_)
            | Sqlx::PoolTimedOut
            | Sqlx::PoolClosed
            | Sqlx::WorkerCrashed
            | Sqlx::Protocol(_) => DbFailure::Unavailable,
            Sqlx::Database(db) => match db.code().as_deref() {
                // query_canceled: statement_timeout (or a cancel request).
                Some("57014") => DbFailure::StatementTimeout,
                // admin_shutdown, crash_shutdown, cannot_connect_now,
                // too_many_connections.
                Some("57P01" | "57P02" | "57P03" | "53300") => DbFailure::Unavailable,
                // Postgres class 08: connection exception.
                Some(code) if code.starts_with("08") => DbFailure::Unavailable,
                // SQLite: SQLITE_BUSY (and its extended codes), SQLITE_LOCKED.
                Some("5" | "6" | "261" | "517" | "262") => DbFailure::Unavailable,
                _ => DbFailure::Other,
            },
            _ => DbFailure::Other,
        }
    }
}

/// Whole seconds to wait, rounded up: a client that waits this long is let through.
pub fn retry_after_seconds(wait: Duration) -> u64 {
    let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    seconds.max(1)
}

/// Stable codes of the expected failures mutations report in `userErrors`.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum UserErrorCode {
    /// A required value is missing or empty.
    Blank,
    /// The value is longer than allowed.
    TooLong,
    /// The value does not have the expected form.
    Invalid,
    /// Not a valid email address.
    InvalidEmail,
    /// Not an ISO 3166-1 alpha-2 country code.
    UnknownCountry,
    /// Not an ISO 4217 currency code.
    UnknownCurrency,
    /// Not an IANA time zone name.
    UnknownTimeZone,
    /// The amount has more decimals than the currency allows, or is not a number.
    InvalidAmount,
    /// Another record already uses this value (a slug, an email, a name).
    Taken,
    /// A referenced record does not exist.
    NotFound,
    /// The same value is listed twice.
    Duplicate,
    /// A minimum is above its maximum, or a period ends before it starts.
    InvalidRange,
    /// A number is outside the allowed range.
    OutOfRange,
    /// The record is in use and the change would break what uses it.
    InUse,
    /// Someone else changed the record since you read it.
    Conflict,
    /// The change is not allowed in the record's current state.
    InvalidState,
    /// The candidate lives where the posting does not hire.
    NotEligible,
    /// The candidate has not consented to the processing of their data.
    ConsentRequired,
    /// Skipping or going back a stage, or reopening, needs a reason.
    ReasonRequired,
    /// Someone taking part is already booked at that time.
    Overlap,
    /// The time is in the past.
    InThePast,
    /// The offer is outside its compensation band and gives no exception reason.
    OutOfBand,
    /// The pay is below the statutory or company floor of the candidate's country.
    BelowFloor,
    /// Amounts in two currencies must be compared and no exchange rate set converts them.
    NoExchangeRate,
    /// Only an admin may approve this (an offer outside its band).
    AdminApprovalRequired,
    /// Another live compensation band of the same job family, level and zone
    /// applies for part of the period (whatever its currency and interval).
    BandOverlap,
    /// The posting fails a pay-transparency law that covers it (one error
    /// per thing missing); an admin may publish anyway with an override.
    PayTransparency,
    /// A pay-transparency law wants the candidate to know the pay range
    /// before the first interview, and no disclosure is recorded.
    PayRangeNotDisclosed,
    /// The question asks for pay history, which a law covering the posting bans.
    SalaryHistoryQuestion,
    /// Every opening of the posting is filled: raise its openings to hire
    /// another candidate.
    NoOpeningsLeft,
}

/// An expected failure of a mutation: what is wrong, where in the input, and a stable code.
#[derive(SimpleObject, Clone, Debug, PartialEq, Eq)]
pub struct UserError {
    /// The path to the input field at fault, starting after `input`
    /// (e.g. `["skills", "2", "skillId"]`); empty when the whole input is at fault.
    pub field: Vec<String>,
    /// A sentence for a person, saying what is wrong.
    pub message: String,
    /// A stable code a program can act on.
    pub code: UserErrorCode,
}

impl UserError {
    /// A user error at `field` (path segments).
    pub fn new(field: &[&str], code: UserErrorCode, message: impl Into<String>) -> Self {
        UserError {
            field: field.iter().map(|s| (*s).to_owned()).collect(),
            message: message.into(),
            code,
        }
    }

    /// A user error whose path is already owned.
    pub fn at(field: Vec<String>, code: UserErrorCode, message: impl Into<String>) -> Self {
        UserError {
            field,
            message: message.into(),
            code,
        }
    }
}

/// What a domain operation returns when it does not succeed.
#[derive(Debug)]
pub enum Failure {
    /// The input breaks rules; nothing was written.
    Rejected(Vec<UserError>),
    /// The request cannot proceed (auth, fault).
    Api(ApiError),
}

impl From<ApiError> for Failure {
    fn from(err: ApiError) -> Self {
        Failure::Api(err)
    }
}

impl From<DbErr> for Failure {
    fn from(err: DbErr) -> Self {
        Failure::Api(err.into())
    }
}

impl From<Vec<UserError>> for Failure {
    fn from(errors: Vec<UserError>) -> Self {
        Failure::Rejected(errors)
    }
}

impl From<UserError> for Failure {
    fn from(error: UserError) -> Self {
        Failure::Rejected(vec![error])
    }
}

/// The constraint name (Postgres) or `table.column` list (SQLite) of a unique
/// violation, so callers can turn a lost race into a `TAKEN` user error.
pub fn unique_violation(err: &DbErr) -> Option<String> {
    match err.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(message)) => Some(message),
        _ => None,
    }
}

/// The result type of the API's resolvers and loaders.
pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::sqlx::Error as Sqlx;
    use sea_orm::{ConnAcquireErr, RuntimeErr};

    fn sqlx(err: Sqlx) -> DbErr {
        DbErr::Query(RuntimeErr::SqlxError(Arc::new(err)))
    }

    #[test]
    fn database_failures_are_classified_for_the_client() {
        let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        for err in [
            DbErr::ConnectionAcquire(ConnAcquireErr::Timeout),
            DbErr::ConnectionAcquire(ConnAcquireErr::ConnectionClosed),
            sqlx(Sqlx::Io(refused)),
            sqlx(Sqlx::PoolTimedOut),
            sqlx(Sqlx::PoolClosed),
        ] {
            let api = ApiError::from(err);
            assert_eq!(api.code(), ErrorCode::ServiceUnavailable, "{api}");
        }
        let other = ApiError::from(DbErr::Custom("a bug".into()));
        assert_eq!(other.code(), ErrorCode::InternalServerError);
        let row = ApiError::from(sqlx(Sqlx::RowNotFound));
        assert_eq!(row.code(), ErrorCode::InternalServerError);
    }

    #[test]
    fn unavailable_errors_say_so_without_details() {
        let err = async_graphql::Error::from(ApiError::from(DbErr::ConnectionAcquire(
            ConnAcquireErr::Timeout,
        )));
        assert!(err.message.contains("unavailable"), "{}", err.message);
        assert!(!err.message.contains("pool"), "{}", err.message);
        assert!(err.source.is_none());
    }
}
