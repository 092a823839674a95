//! HTTP: the router, the GraphQL endpoint, GraphiQL and health checks.
//!
//! The GraphQL endpoint is our own thin handler rather than the stock
//! integration, so that it follows the GraphQL-over-HTTP specification (the
//! `graphql-http` audit suite runs against it in CI, see `tests/http-audit`)
//! and refuses what a public API must refuse:
//! - POST bodies must be `application/json` (UTF-8): a `text/plain` or form
//!   POST is a request a browser sends cross-site without a preflight, so
//!   refusing it (415) means no other site can make a visitor's browser run
//!   an operation; CORS admits only the configured origins;
//! - mutations never run over GET (405 with `Allow: POST`);
//! - one operation per request unless batching is configured: JSON-array
//!   batches are refused by default;
//! - the response media type follows `Accept`: `application/graphql-response+json`
//!   gets 400 and no `data` for a request that fails before execution (a
//!   document that does not parse or validate, bad variables, a limit
//!   broken); `application/json`, for older clients, gets 200 as the
//!   specification asks; anything else acceptable only is 406;
//! - before anything runs, the body is limited in size (413), the document in
//!   tokens, and the operation in depth, aliases and cost (see [`limits`]);
//!   every executed response reports its cost in `extensions.cost`;
//! - a request running past the time limit is cancelled and answered 503
//!   with the code TIMEOUT;
//! - at most `HIREGRAPH_MAX_CONCURRENT_REQUESTS` operations run at once: more
//!   are refused at once (never queued) with 503 SERVICE_UNAVAILABLE and
//!   `Retry-After`; so is any operation that finds the database unreachable,
//!   and one whose statement ran past the statement timeout (QUERY_TIMEOUT);
//! - a bad or expired token is 401 UNAUTHENTICATED, never anonymous access;
//! - in production mode (a JWT secret is configured) anonymous callers get
//!   neither introspection (401) nor "did you mean" suggestions in errors;
//! - every error carries a stable `extensions.code`.

mod graphiql;
mod limits;
mod order;
pub mod persisted;
mod tokens;
pub mod ws;

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use async_graphql::parser::types::OperationType;
use async_graphql::{ServerError, Value as GqlValue, Variables};
use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{ConnectInfo, DefaultBodyLimit, FromRequestParts, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::{Deserialize, Serialize};
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{NotForContentType, Predicate as _, SizeAbove};
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

use crate::auth::{Authenticator, Viewer};
use crate::config::{HttpConfig, LimitsConfig};
use crate::context::RequestContext;
use crate::db::Database;
use crate::error::{ApiError, ErrorCode, retry_after_seconds};
use crate::events::EventBus;
use crate::loaders::Batched;
use crate::metrics::{self, Outcome};
use crate::rate_limit::ApplyLimits;
use crate::schema::HiregraphSchema;

/// The GraphQL-over-HTTP media type for responses.
const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";
/// The header carrying the request id.
const REQUEST_ID: &str = "x-request-id";

/// Codes of the errors the endpoint raises itself, besides [`ErrorCode`]s.
pub mod code {
    /// The operation costs more than the configured maximum.
    pub const QUERY_TOO_COMPLEX: &str = "QUERY_TOO_COMPLEX";
    /// The operation has more aliased fields than the configured maximum.
    pub const TOO_MANY_ALIASES: &str = "TOO_MANY_ALIASES";
    /// The document has more lexical tokens than the configured maximum.
    pub const TOO_MANY_TOKENS: &str = "TOO_MANY_TOKENS";
    /// The body is larger than the configured maximum (HTTP 413).
    pub const REQUEST_TOO_LARGE: &str = "REQUEST_TOO_LARGE";
    /// The request ran past the time limit and was cancelled (HTTP 503).
    pub const TIMEOUT: &str = "TIMEOUT";
}

/// What every request handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub db: Database,
    /// The schema for staff, and for everyone in development mode.
    pub schema: HiregraphSchema,
    /// The schema for anonymous callers in production mode: the same API
    /// without "did you mean" suggestions in validation errors.
    pub public_schema: HiregraphSchema,
    /// Verifies bearer tokens.
    pub auth: Arc<Authenticator>,
    /// Limits and timeouts.
    pub http: HttpConfig,
    /// The rate limits of anonymous applying.
    pub apply_limits: Arc<ApplyLimits>,
    /// Live updates for subscriptions.
    pub events: EventBus,
    /// Automatic persisted queries and the safelist.
    pub persisted: Arc<persisted::PersistedQueries>,
    /// Set to true when the server is shutting down: open WebSocket
    /// connections close with 1001, and each holds a receiver until it has,
    /// so [`tokio::sync::watch::Sender::closed`] tells when they all have.
    pub shutdown: Arc<tokio::sync::watch::Sender<bool>>,
    /// Permits for GraphQL requests running at once; a request that finds
    /// none left is shed.
    pub in_flight: Arc<tokio::sync::Semaphore>,
}

impl AppState {
    /// The state for a server on `db`; both schemas are built here, once.
    /// A safelist that cannot be read refuses every operation (the error is
    /// logged); [`AppState::try_new`] reports it instead.
    pub fn new(db: Database, auth: Authenticator, http: HttpConfig) -> Self {
        let development = auth.is_development();
        let persisted = persisted_queries(&http, development).unwrap_or_else(|err| {
            tracing::error!(error = %format!("{err:#}"), "the safelist cannot be read; every operation is refused");
            persisted::PersistedQueries::new(0).with_safelist(Default::default(), false)
        });
        AppState::with_persisted(db, auth, http, persisted)
    }

    /// As [`AppState::new`], failing when the safelist cannot be read.
    pub fn try_new(db: Database, auth: Authenticator, http: HttpConfig) -> anyhow::Result<Self> {
        let persisted = persisted_queries(&http, auth.is_development())?;
        Ok(AppState::with_persisted(db, auth, http, persisted))
    }

    fn with_persisted(
        db: Database,
        auth: Authenticator,
        http: HttpConfig,
        persisted: persisted::PersistedQueries,
    ) -> Self {
        let depth = http.limits.max_depth;
        let events = EventBus::for_database(&db.conn);
        AppState {
            persisted: Arc::new(persisted),
            shutdown: Arc::new(tokio::sync::watch::Sender::new(false)),
            in_flight: Arc::new(tokio::sync::Semaphore::new(
                http.ops.max_concurrent_requests.max(1),
            )),
            schema: crate::schema::builder_with_depth(depth)
                .data(http.bands.span())
                .data(events.clone())
                .finish(),
            public_schema: crate::schema::builder_with_depth(depth)
                .data(http.bands.span())
                .data(events.clone())
                .disable_suggestions()
                .finish(),
            db,
            events,
            auth: Arc::new(auth),
            apply_limits: Arc::new(ApplyLimits::new(
                http.apply_rate_per_address,
                http.apply_rate_per_email,
            )),
            http,
        }
    }

    /// Whether `viewer` is an anonymous caller of a production server, who
    /// gets neither introspection nor suggestions.
    fn is_public(&self, viewer: &Viewer) -> bool {
        !self.auth.is_development() && !viewer.is_staff()
    }
}

/// The persisted queries `http` configures: a safelist from its file, if any.
fn persisted_queries(
    http: &HttpConfig,
    development: bool,
) -> anyhow::Result<persisted::PersistedQueries> {
    let ops = &http.ops;
    let queries = persisted::PersistedQueries::new(ops.persisted_queries_cache_size);
    Ok(match &ops.safelist_file {
        Some(path) => queries.with_safelist(
            persisted::load_safelist(path)?,
            development || ops.safelist_allow_introspection,
        ),
        None => queries,
    })
}

/// The router: `/graphql` (POST for operations, GET for queries and
/// GraphiQL, whose assets are under `/graphiql/`), `/healthz` (the process is up),
/// `/readyz` (it can reach the database and every migration is applied) and
/// `/metrics` (Prometheus).
pub fn router(state: AppState) -> Router {
    let body_limit = state.http.max_body_bytes;
    let timeout = state.http.request_timeout;
    let compress_from = state.http.ops.compression_min_bytes;
    let cors = cors(&state.http.cors_origins);
    let router = Router::new()
        .route(
            "/graphql",
            get(graphql_get)
                .post(graphql_post)
                .layer(middleware::from_fn_with_state(state.clone(), shed)),
        )
        .route(graphiql::APP_JS_PATH, get(graphiql::app_js))
        .route(graphiql::APP_CSS_PATH, get(graphiql::app_css))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics_handler))
        .fallback(|| async { (StatusCode::NOT_FOUND, "not found; the API is at /graphql\n") })
        .layer(middleware::from_fn_with_state(state.clone(), ws::intercept))
        .with_state(state)
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(middleware::from_fn_with_state(timeout, limit_time));
    let router = if compress_from > 0 {
        router.layer(
            CompressionLayer::new().compress_when(
                SizeAbove::new(compress_from)
                    .and(NotForContentType::GRPC)
                    .and(NotForContentType::IMAGES)
                    .and(NotForContentType::SSE),
            ),
        )
    } else {
        router
    };
    let router = router
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid));
    match cors {
        Some(cors) => router.layer(cors),
        None => router,
    }
}

/// `GET /metrics`: the Prometheus text exposition; with a metrics token
/// configured, only for `Authorization: Bearer <token>`.
async fn metrics_handler(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(expected) = state
        .http
        .ops
        .metrics_token
        .as_deref()
        .filter(|t| !t.is_empty())
    {
        let given = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        if !given.is_some_and(|given| constant_time_eq(given.as_bytes(), expected.as_bytes())) {
            return (
                StatusCode::UNAUTHORIZED,
                [(header::WWW_AUTHENTICATE, "Bearer")],
                "send the metrics token: Authorization: Bearer <token>\n",
            )
                .into_response();
        }
    }
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        metrics::render(&state.db),
    )
        .into_response()
}

/// Compares secrets without stopping at the first difference.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// CORS for the configured origins only: GET and POST with `Content-Type`
/// and `Authorization`. Without origins there is no CORS layer at all, so
/// browsers keep other sites' pages from reading any response.
fn cors(origins: &[String]) -> Option<CorsLayer> {
    let origins: Vec<HeaderValue> = origins
        .iter()
        .filter(|origin| !origin.is_empty())
        .filter_map(|origin| match HeaderValue::from_str(origin) {
            Ok(value) => Some(value),
            Err(_) => {
                tracing::warn!(origin, "ignoring a CORS origin that is not a header value");
                None
            }
        })
        .collect();
    if origins.is_empty() {
        return None;
    }
    Some(
        CorsLayer::new()
            .allow_origin(AllowOrigin::list(origins))
            .allow_methods([Method::GET, Method::POST])
            .allow_headers([header::CONTENT_TYPE, header::AUTHORIZATION])
            .expose_headers([HeaderName::from_static(REQUEST_ID)])
            .max_age(Duration::from_secs(600)),
    )
}

/// Refuses a GraphQL request at once, with 503 SERVICE_UNAVAILABLE and
/// `Retry-After`, when as many as the configured maximum already run;
/// otherwise holds a permit while it runs.
async fn shed(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Ok(_permit) = state.in_flight.clone().try_acquire_owned() else {
        metrics::request_shed();
        tracing::warn!(
            max = state.http.ops.max_concurrent_requests,
            "too many requests in flight; shedding one"
        );
        let media = MediaType::negotiate(request.headers()).unwrap_or(MediaType::Json);
        return unavailable_response(
            media,
            ErrorCode::ServiceUnavailable.as_str(),
            "the server is busy; try again in a few seconds",
            retry_after_seconds(state.http.ops.retry_after),
        );
    };
    next.run(request).await
}

/// 503 with `Retry-After: wait` and one error with `code` and `extensions.retryAfter`.
fn unavailable_response(media: MediaType, code: &str, message: &str, wait: u64) -> Response {
    let mut body = Body::error(code, message);
    for error in &mut body.errors {
        error
            .extensions
            .get_or_insert_with(Default::default)
            .set("retryAfter", wait);
    }
    let mut response = json_response(StatusCode::SERVICE_UNAVAILABLE, media, &body);
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(wait));
    response
}

/// Cancels a request that runs longer than `limit` (dropping its work) and
/// answers 503 with a GraphQL error.
async fn limit_time(State(limit): State<Duration>, request: Request, next: Next) -> Response {
    let media = MediaType::negotiate(request.headers()).unwrap_or(MediaType::Json);
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(?limit, "a request ran out of time and was cancelled");
            metrics::record_request(None, Outcome::Error, limit);
            error_response(
                StatusCode::SERVICE_UNAVAILABLE,
                media,
                code::TIMEOUT,
                &format!(
                    "the request took longer than {limit:?} and was cancelled; ask for less or try again later"
                ),
            )
        }
    }
}

/// The span every log line of a request is in: its method, path and id, so
/// that the `requestId` a client reports finds the details in the log, and
/// the GraphQL operation name once the operation is parsed.
fn request_span<B>(request: &axum::http::Request<B>) -> tracing::Span {
    let id = request
        .headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    tracing::info_span!(
        "request",
        method = %request.method(),
        path = %request.uri().path(),
        request_id = %id,
        operation_name = tracing::field::Empty,
    )
}

/// 200 when the database answers and every migration is applied; 503 with
/// a JSON body saying what is wrong otherwise.
async fn readyz(State(state): State<AppState>) -> Response {
    use migration::MigratorTrait as _;
    let not_ready = |body: serde_json::Value| {
        (StatusCode::SERVICE_UNAVAILABLE, axum::Json(body)).into_response()
    };
    match tokio::time::timeout(Duration::from_secs(2), state.db.conn.ping()).await {
        Ok(Ok(())) => {}
        _ => {
            return not_ready(serde_json::json!({
                "status": "unavailable",
                "database": "unreachable",
                "message": "the database is unreachable",
            }));
        }
    }
    let pending = tokio::time::timeout(
        Duration::from_secs(2),
        migration::Migrator::get_pending_migrations(&state.db.conn),
    )
    .await;
    match pending {
        Ok(Ok(pending)) if pending.is_empty() => {
            axum::Json(serde_json::json!({ "status": "ready" })).into_response()
        }
        Ok(Ok(pending)) => {
            let names: Vec<String> = pending.iter().map(|m| m.name().to_owned()).collect();
            not_ready(serde_json::json!({
                "status": "unavailable",
                "database": "ok",
                "pendingMigrations": names,
                "message": "migrations are not applied; run `hiregraph migrate up`",
            }))
        }
        Ok(Err(err)) => {
            tracing::warn!(error = %err, "readiness: could not read the applied migrations");
            not_ready(serde_json::json!({
                "status": "unavailable",
                "database": "ok",
                "message": "could not read which migrations are applied",
            }))
        }
        Err(_) => not_ready(serde_json::json!({
            "status": "unavailable",
            "database": "slow",
            "message": "the database took too long to say which migrations are applied",
        })),
    }
}

/// How the client wants the response.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum MediaType {
    GraphqlResponseJson,
    Json,
}

impl MediaType {
    fn as_str(self) -> &'static str {
        match self {
            MediaType::GraphqlResponseJson => GRAPHQL_RESPONSE_JSON,
            MediaType::Json => "application/json",
        }
    }

    /// Picks the media type from `Accept`, honouring quality values and
    /// preferring `application/graphql-response+json` on a tie; no `Accept`
    /// means `application/json`. `None` when neither is acceptable.
    fn negotiate(headers: &HeaderMap) -> Option<MediaType> {
        let accept: Vec<&str> = headers
            .get_all(header::ACCEPT)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter(|v| !v.trim().is_empty())
            .collect();
        if accept.is_empty() {
            return Some(MediaType::Json);
        }
        let mut best: Option<(f32, MediaType)> = None;
        for range in accept.iter().flat_map(|value| value.split(',')) {
            let mut parts = range.split(';');
            let essence = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
            let quality = parts
                .filter_map(|param| param.split_once('='))
                .find(|(name, _)| name.trim().eq_ignore_ascii_case("q"))
                .map_or(Some(1.0), |(_, q)| q.trim().parse::<f32>().ok());
            let Some(quality) = quality.filter(|q| *q > 0.0) else {
                continue;
            };
            let media = match essence.as_str() {
                GRAPHQL_RESPONSE_JSON => MediaType::GraphqlResponseJson,
                "application/json" | "application/*" | "*/*" => MediaType::Json,
                _ => continue,
            };
            let better = match best {
                None => true,
                Some((q, current)) => {
                    quality > q
                        || (quality == q
                            && media == MediaType::GraphqlResponseJson
                            && current == MediaType::Json)
                }
            };
            if better {
                best = Some((quality, media));
            }
        }
        best.map(|(_, media)| media)
    }
}

/// The body of a GraphQL response: `data` only once execution started.
#[derive(Serialize, Default)]
struct Body {
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<GqlValue>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    errors: Vec<ServerError>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    extensions: BTreeMap<String, GqlValue>,
}

impl Body {
    /// A body holding one error with `code`.
    fn error(code: &str, message: &str) -> Body {
        let mut error = ServerError::new(message, None);
        error
            .extensions
            .get_or_insert_with(Default::default)
            .set("code", code);
        Body {
            errors: vec![error],
            ..Body::default()
        }
    }

    fn with_cost(mut self, cost: u64, limits: &LimitsConfig) -> Body {
        self.extensions.insert(
            "cost".to_owned(),
            async_graphql::value!({
                "requestedQueryCost": cost,
                "maximumAvailable": limits.max_cost,
            }),
        );
        self
    }
}

/// The HTTP status of a reply.
#[derive(Clone, Copy)]
enum Status {
    /// Executed: 200, whatever errors the fields raised.
    Executed,
    /// A GraphQL request error (the document, the variables, a limit): 400
    /// for `application/graphql-response+json`, 200 for `application/json`.
    RequestError,
    /// Refused at the HTTP level, whatever the media type.
    Fixed(StatusCode),
}

/// The answer to one operation.
struct Reply {
    status: Status,
    body: Body,
    headers: Vec<(HeaderName, HeaderValue)>,
}

impl Reply {
    fn request_error(code: &str, message: &str) -> Reply {
        Reply {
            status: Status::RequestError,
            body: Body::error(code, message),
            headers: Vec::new(),
        }
    }

    fn status(&self, media: MediaType) -> StatusCode {
        match self.status {
            Status::Executed => StatusCode::OK,
            Status::RequestError if media == MediaType::GraphqlResponseJson => {
                StatusCode::BAD_REQUEST
            }
            Status::RequestError => StatusCode::OK,
            Status::Fixed(status) => status,
        }
    }

    fn into_response(self, media: MediaType) -> Response {
        let status = self.status(media);
        let mut response = json_response(status, media, &self.body);
        response.headers_mut().extend(self.headers);
        response
    }
}

/// `body` as JSON of `media`, with `status`.
fn json_response<T: Serialize>(status: StatusCode, media: MediaType, body: &T) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => (
            status,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static(media.as_str()),
            )],
            bytes,
        )
            .into_response(),
        Err(err) => {
            tracing::error!(error = %err, "could not serialize a response");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// A response holding only one top-level error, for failures before execution.
fn error_response(status: StatusCode, media: MediaType, code: &str, message: &str) -> Response {
    json_response(status, media, &Body::error(code, message))
}

fn bad_request(media: MediaType, message: &str) -> Response {
    error_response(
        StatusCode::BAD_REQUEST,
        media,
        ErrorCode::BadRequest.as_str(),
        message,
    )
}

/// Whether the body is declared as JSON in UTF-8 (the default for JSON).
fn check_content_type(headers: &HeaderMap) -> Result<(), &'static str> {
    let value = headers
        .get(header::CONTENT_TYPE)
        .ok_or("send the request body as application/json; the Content-Type header is missing")?
        .to_str()
        .map_err(|_| "the Content-Type header is not readable")?;
    let mut parts = value.split(';');
    let essence = parts.next().unwrap_or_default().trim();
    if !essence.eq_ignore_ascii_case("application/json") {
        return Err(
            "send the request body as application/json; other media types (text/plain, forms, multipart) are refused",
        );
    }
    for param in parts {
        if let Some((name, value)) = param.split_once('=')
            && name.trim().eq_ignore_ascii_case("charset")
            && !value.trim().trim_matches('"').eq_ignore_ascii_case("utf-8")
        {
            return Err("send the request body in UTF-8");
        }
    }
    Ok(())
}

fn wants_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"))
}

async fn graphql_post(
    State(state): State<AppState>,
    headers: HeaderMap,
    ClientAddress(address): ClientAddress,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let Some(media) = MediaType::negotiate(&headers) else {
        return not_acceptable();
    };
    if let Err(message) = check_content_type(&headers) {
        return error_response(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            media,
            ErrorCode::BadRequest.as_str(),
            message,
        );
    }
    let body = match body {
        Ok(body) => body,
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return error_response(
                StatusCode::PAYLOAD_TOO_LARGE,
                media,
                code::REQUEST_TOO_LARGE,
                &format!(
                    "the body is larger than the limit of {} bytes",
                    state.http.max_body_bytes
                ),
            );
        }
        Err(rejection) => {
            return error_response(
                rejection.status(),
                media,
                ErrorCode::BadRequest.as_str(),
                &rejection.body_text(),
            );
        }
    };
    let json: serde_json::Value = match serde_json::from_slice(&body) {
        Ok(json) => json,
        Err(err) => return bad_request(media, &format!("the body is not JSON: {err}")),
    };
    match json {
        serde_json::Value::Array(items) => {
            let max = state.http.limits.max_batch;
            if max == 0 {
                return bad_request(
                    media,
                    "batched requests are not supported; send one operation per request",
                );
            }
            if items.is_empty() || items.len() > max {
                return bad_request(media, &format!("a batch holds from 1 to {max} operations"));
            }
            let mut requests = Vec::with_capacity(items.len());
            for (index, mut item) in items.into_iter().enumerate() {
                if let Err(refusal) = state.persisted.resolve(&mut item) {
                    return refuse_persisted(&item, refusal, media);
                }
                match request_from_json(item) {
                    Ok(request) => requests.push(request),
                    Err(message) => {
                        return bad_request(
                            media,
                            &format!("operation {index} of the batch: {message}"),
                        );
                    }
                }
            }
            run_batch(state, headers, address, requests, media).await
        }
        mut json => {
            if let Err(refusal) = state.persisted.resolve(&mut json) {
                return refuse_persisted(&json, refusal, media);
            }
            match request_from_json(json) {
                Ok(request) => run(state, headers, address, request, Method::POST, media).await,
                Err(message) => bad_request(media, &message),
            }
        }
    }
}

/// A GraphQL request from its JSON form: `query` a string, `operationName` a
/// string or null, `variables` and `extensions` objects or null.
fn request_from_json(json: serde_json::Value) -> Result<async_graphql::Request, String> {
    use serde_json::Value as Json;
    let Json::Object(mut fields) = json else {
        return Err("the body must be a JSON object with a `query`".to_owned());
    };
    let query = match fields.remove("query") {
        Some(Json::String(query)) => query,
        Some(_) => return Err("`query` must be a string".to_owned()),
        None => return Err("the request has no `query`".to_owned()),
    };
    let mut request = async_graphql::Request::new(query);
    match fields.remove("operationName") {
        None | Some(Json::Null) => {}
        Some(Json::String(name)) => request = request.operation_name(name),
        Some(_) => return Err("`operationName` must be a string".to_owned()),
    }
    match fields.remove("variables") {
        None | Some(Json::Null) => {}
        Some(variables @ Json::Object(_)) => {
            request = request.variables(Variables::from_json(variables));
        }
        Some(_) => return Err("`variables` must be an object".to_owned()),
    }
    match fields.remove("extensions") {
        None | Some(Json::Null | Json::Object(_)) => {}
        Some(_) => return Err("`extensions` must be an object".to_owned()),
    }
    Ok(request)
}

/// The parameters of a GET request.
#[derive(Deserialize)]
struct GetParams {
    query: Option<String>,
    #[serde(rename = "operationName")]
    operation_name: Option<String>,
    variables: Option<String>,
    extensions: Option<String>,
}

/// The answer to a persisted query that cannot run, counted as the caller's
/// error.
fn refuse_persisted(
    json: &serde_json::Value,
    refusal: persisted::Refusal,
    media: MediaType,
) -> Response {
    use persisted::Refusal;
    let operation = json
        .get("operationName")
        .and_then(serde_json::Value::as_str);
    metrics::record_request(operation, Outcome::UserError, Duration::ZERO);
    tracing::info!(target: "hiregraph::request", refusal = ?refusal, "persisted query refused");
    let reply = match refusal {
        Refusal::Malformed(message) => {
            return bad_request(media, &message);
        }
        // Apollo clients look for this message to send the query along.
        Refusal::NotFound => {
            Reply::request_error(persisted::code::NOT_FOUND, "PersistedQueryNotFound")
        }
        Refusal::HashMismatch => Reply {
            status: Status::Fixed(StatusCode::BAD_REQUEST),
            body: Body::error(
                persisted::code::HASH_MISMATCH,
                "the persistedQuery sha256Hash is not the SHA-256 of the query sent with it",
            ),
            headers: Vec::new(),
        },
        Refusal::NotAllowed => Reply {
            status: Status::Fixed(StatusCode::FORBIDDEN),
            body: Body::error(
                persisted::code::NOT_ALLOWED,
                "this server only runs the operations on its safelist; this one is not on it",
            ),
            headers: Vec::new(),
        },
    };
    reply.into_response(media)
}

/// The JSON form of a GET request's parameters; `variables` and
/// `extensions` are JSON objects, URL-encoded.
fn json_from_params(params: GetParams) -> Result<serde_json::Value, String> {
    let mut json = serde_json::Map::new();
    json.insert(
        "query".to_owned(),
        params
            .query
            .map_or(serde_json::Value::Null, serde_json::Value::String),
    );
    if let Some(name) = params.operation_name.filter(|n| !n.is_empty()) {
        json.insert("operationName".to_owned(), serde_json::Value::String(name));
    }
    for (key, value) in [
        ("variables", params.variables),
        ("extensions", params.extensions),
    ] {
        if let Some(text) = value.filter(|v| !v.trim().is_empty()) {
            let value =
                serde_json::from_str(&text).map_err(|err| format!("`{key}` is not JSON: {err}"))?;
            json.insert(key.to_owned(), value);
        }
    }
    if json.get("query").is_some_and(serde_json::Value::is_null) {
        if json.contains_key("extensions") {
            // A persisted query may come by hash alone.
            json.remove("query");
        } else {
            return Err("the request has no `query`".to_owned());
        }
    }
    Ok(serde_json::Value::Object(json))
}

async fn graphql_get(
    State(state): State<AppState>,
    headers: HeaderMap,
    ClientAddress(address): ClientAddress,
    uri: Uri,
) -> Response {
    if uri.query().unwrap_or_default().is_empty() && wants_html(&headers) {
        return graphiql::page(&headers, "/graphql");
    }
    let Some(media) = MediaType::negotiate(&headers) else {
        return not_acceptable();
    };
    let params = match Query::<GetParams>::try_from_uri(&uri) {
        Ok(Query(params)) => params,
        Err(err) => {
            return bad_request(
                media,
                &format!("the query string is not a GraphQL request: {err}"),
            );
        }
    };
    let mut json = match json_from_params(params) {
        Ok(json) => json,
        Err(message) => return bad_request(media, &message),
    };
    if let Err(refusal) = state.persisted.resolve(&mut json) {
        return refuse_persisted(&json, refusal, media);
    }
    match request_from_json(json) {
        Ok(request) => run(state, headers, address, request, Method::GET, media).await,
        Err(message) => bad_request(media, &message),
    }
}

fn not_acceptable() -> Response {
    error_response(
        StatusCode::NOT_ACCEPTABLE,
        MediaType::Json,
        ErrorCode::BadRequest.as_str(),
        &format!("accept {GRAPHQL_RESPONSE_JSON} or application/json"),
    )
}

/// An operation that passed every check that needs no viewer.
struct Prepared {
    request: async_graphql::Request,
    measure: limits::Measure,
}

/// Checks `request` against the limits, cheapest first: tokens before
/// parsing, then the method, aliases and cost of the parsed operation.
fn prepare(
    limits: &LimitsConfig,
    mut request: async_graphql::Request,
    method: &Method,
) -> Result<Prepared, Box<Reply>> {
    let count = tokens::count(&request.query, limits.max_tokens);
    if count.tokens > limits.max_tokens {
        return Err(Box::new(Reply::request_error(
            code::TOO_MANY_TOKENS,
            &format!(
                "the query has more than {} tokens, the limit; send a smaller document",
                limits.max_tokens
            ),
        )));
    }
    if count.nesting > tokens::MAX_NESTING {
        return Err(Box::new(Reply::request_error(
            ErrorCode::GraphqlParseFailed.as_str(),
            &format!(
                "the query nests brackets more than {} deep",
                tokens::MAX_NESTING
            ),
        )));
    }
    let operation_name = request.operation_name.clone();
    // The document borrows the request, so the variables step aside meanwhile.
    let variables = std::mem::take(&mut request.variables);
    let checked = match request.parsed_query() {
        Ok(document) => check_operation(
            limits,
            document,
            operation_name.as_deref(),
            &variables,
            method,
        ),
        Err(err) => {
            let mut reply =
                Reply::request_error(ErrorCode::GraphqlParseFailed.as_str(), &err.message);
            for error in &mut reply.body.errors {
                error.locations.clone_from(&err.locations);
            }
            Err(Box::new(reply))
        }
    };
    request.variables = variables;
    Ok(Prepared {
        request,
        measure: checked?,
    })
}

/// Checks the operation the request runs: the method, its aliases and cost.
fn check_operation(
    limits: &LimitsConfig,
    document: &async_graphql::parser::types::ExecutableDocument,
    operation_name: Option<&str>,
    variables: &Variables,
    method: &Method,
) -> Result<limits::Measure, Box<Reply>> {
    let Some(operation) = limits::operation(document, operation_name) else {
        // No such operation: execution says so.
        return Ok(limits::Measure::default());
    };
    if operation.node.ty == OperationType::Mutation && method == Method::GET {
        return Err(Box::new(Reply {
            status: Status::Fixed(StatusCode::METHOD_NOT_ALLOWED),
            body: Body::error(
                ErrorCode::BadRequest.as_str(),
                "mutations must be sent with POST",
            ),
            headers: vec![(header::ALLOW, HeaderValue::from_static("POST"))],
        }));
    }
    let measure = limits::measure(document, &operation.node, variables);
    if measure.aliases > limits.max_aliases as u64 {
        return Err(Box::new(Reply::request_error(
            code::TOO_MANY_ALIASES,
            &format!(
                "the query has {} aliases, more than the limit of {}",
                measure.aliases, limits.max_aliases
            ),
        )));
    }
    if measure.cost > limits.max_cost {
        return Err(Box::new(too_complex(
            measure.cost,
            limits,
            &format!(
                "the query costs {}, more than the limit of {}; ask for smaller pages or fewer fields",
                measure.cost, limits.max_cost
            ),
        )));
    }
    Ok(measure)
}

fn too_complex(cost: u64, limits: &LimitsConfig, message: &str) -> Reply {
    let mut reply = Reply::request_error(code::QUERY_TOO_COMPLEX, message);
    reply.body = reply.body.with_cost(cost, limits);
    reply
}

/// The name of the operation `request` runs: its `operationName`, or, when
/// `parsed` (only a document that passed the token and nesting checks may be
/// parsed), the name of the document's only operation. Recorded on the
/// request's span.
fn operation_label(request: &mut async_graphql::Request, parsed: bool) -> Option<String> {
    use async_graphql::parser::types::DocumentOperations;
    let name = match &request.operation_name {
        Some(name) => Some(name.clone()),
        None if !parsed => None,
        None => match request
            .parsed_query()
            .ok()
            .map(|document| &document.operations)
        {
            Some(DocumentOperations::Multiple(operations)) if operations.len() == 1 => {
                operations.keys().next().map(ToString::to_string)
            }
            _ => None,
        },
    };
    if let Some(name) = &name {
        tracing::Span::current().record("operation_name", name.as_str());
    }
    name
}

/// How an operation ended, for the metrics: the server's fault (a 5xx or an
/// internal error), the caller's (any other error, or `userErrors` in a
/// payload) or none.
fn outcome(reply: &Reply) -> Outcome {
    let codes = || {
        reply
            .body
            .errors
            .iter()
            .filter_map(|error| error.extensions.as_ref()?.get("code"))
    };
    let server_fault = matches!(reply.status, Status::Fixed(status) if status.is_server_error())
        || codes().any(|code| {
            matches!(code, GqlValue::String(code) if code == ErrorCode::InternalServerError.as_str())
        });
    if server_fault {
        return Outcome::Error;
    }
    if !reply.body.errors.is_empty() {
        return Outcome::UserError;
    }
    let user_errors = match &reply.body.data {
        Some(GqlValue::Object(fields)) => fields.values().any(|payload| {
            matches!(payload, GqlValue::Object(payload)
                if matches!(payload.get("userErrors"), Some(GqlValue::List(errors)) if !errors.is_empty()))
        }),
        _ => false,
    };
    if user_errors {
        Outcome::UserError
    } else {
        Outcome::Ok
    }
}

/// Counts and logs one finished operation.
fn finished(operation: Option<&str>, outcome: Outcome, started: Instant) {
    let elapsed = started.elapsed();
    metrics::record_request(operation, outcome, elapsed);
    tracing::info!(
        target: "hiregraph::request",
        outcome = outcome.as_str(),
        elapsed_ms = elapsed.as_secs_f64() * 1000.0,
        "operation finished"
    );
}

/// Runs one operation.
async fn run(
    state: AppState,
    headers: HeaderMap,
    address: Option<IpAddr>,
    mut request: async_graphql::Request,
    method: Method,
    media: MediaType,
) -> Response {
    let started = Instant::now();
    let operation = operation_label(&mut request, false);
    let mut prepared = match prepare(&state.http.limits, request, &method) {
        Ok(prepared) => prepared,
        Err(reply) => {
            finished(operation.as_deref(), outcome(&reply), started);
            return (*reply).into_response(media);
        }
    };
    let operation = operation_label(&mut prepared.request, true);
    let operation = operation.as_deref();
    let viewer = match authenticate(&state, &headers).await {
        Ok(viewer) => viewer,
        Err(err) => {
            let response = unauthenticated(err, media, &state);
            let outcome = if response.status().is_server_error() {
                Outcome::Error
            } else {
                Outcome::UserError
            };
            finished(operation, outcome, started);
            return response;
        }
    };
    let request_id = request_id(&headers);
    let reply = execute(&state, &viewer, &request_id, address, prepared).await;
    finished(operation, outcome(&reply), started);
    reply.into_response(media)
}

/// Runs the operations of a batch one after the other; they share one cost
/// limit. The response is the array of their results.
async fn run_batch(
    state: AppState,
    headers: HeaderMap,
    address: Option<IpAddr>,
    requests: Vec<async_graphql::Request>,
    media: MediaType,
) -> Response {
    let limits = &state.http.limits;
    let mut operations = Vec::with_capacity(requests.len());
    let mut steps: Vec<Result<Prepared, Box<Reply>>> = requests
        .into_iter()
        .map(|mut request| {
            let name = operation_label(&mut request, false);
            let step = prepare(limits, request, &Method::POST);
            operations.push(match step {
                Ok(ref prepared) if name.is_none() => {
                    let mut request = async_graphql::Request::new(prepared.request.query.clone());
                    operation_label(&mut request, true)
                }
                _ => name,
            });
            step
        })
        .collect();
    let total = steps
        .iter()
        .filter_map(|step| step.as_ref().ok())
        .fold(0u64, |sum, prepared| {
            sum.saturating_add(prepared.measure.cost)
        });
    if total > limits.max_cost {
        let message = format!(
            "the operations of the batch cost {total} together, more than the limit of {}",
            limits.max_cost
        );
        for step in &mut steps {
            if let Ok(prepared) = step {
                *step = Err(Box::new(too_complex(
                    prepared.measure.cost,
                    limits,
                    &message,
                )));
            }
        }
    }
    let viewer = match authenticate(&state, &headers).await {
        Ok(viewer) => viewer,
        Err(err) => return unauthenticated(err, media, &state),
    };
    let request_id = request_id(&headers);
    let mut bodies = Vec::with_capacity(steps.len());
    for (step, operation) in steps.into_iter().zip(operations) {
        let started = Instant::now();
        let reply = match step {
            Ok(prepared) => execute(&state, &viewer, &request_id, address, prepared).await,
            Err(reply) => *reply,
        };
        finished(operation.as_deref(), outcome(&reply), started);
        bodies.push(reply.body);
    }
    json_response(StatusCode::OK, media, &bodies)
}

fn request_id(headers: &HeaderMap) -> String {
    headers
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// 401 for a token that does not verify (503 when it could not be checked).
fn unauthenticated(err: ApiError, media: MediaType, state: &AppState) -> Response {
    let status = match err.code() {
        ErrorCode::Unauthenticated => StatusCode::UNAUTHORIZED,
        _ => StatusCode::SERVICE_UNAVAILABLE,
    };
    if matches!(
        err.code(),
        ErrorCode::ServiceUnavailable | ErrorCode::QueryTimeout
    ) {
        tracing::warn!(error = %err, "could not check the credentials: the database is unavailable");
        return unavailable_response(
            media,
            err.code().as_str(),
            "the database is unavailable; try again in a few seconds",
            retry_after_seconds(state.http.ops.retry_after),
        );
    }
    let message = match &err {
        ApiError::Unauthenticated(message) => message.clone(),
        other => {
            tracing::error!(error = %other, "could not authenticate the request");
            "the server could not check your credentials; try again".to_owned()
        }
    };
    let mut response = error_response(status, media, err.code().as_str(), &message);
    if status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer error=\"invalid_token\""),
        );
    }
    response
}

/// Executes a prepared operation for `viewer`.
async fn execute(
    state: &AppState,
    viewer: &Viewer,
    request_id: &str,
    address: Option<IpAddr>,
    prepared: Prepared,
) -> Reply {
    let Prepared {
        mut request,
        measure,
    } = prepared;
    let limits = &state.http.limits;
    let public = state.is_public(viewer);
    if public && measure.introspection {
        let body = Body::error(
            ErrorCode::Unauthenticated.as_str(),
            "introspection is for signed-in staff; send `Authorization: Bearer <token>`",
        )
        .with_cost(measure.cost, limits);
        return Reply {
            status: Status::Fixed(StatusCode::UNAUTHORIZED),
            body,
            headers: vec![(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"))],
        };
    }
    let schema = if public {
        request = request.disable_introspection();
        &state.public_schema
    } else {
        &state.schema
    };
    let context = RequestContext::new(state.db.conn.clone(), viewer.clone(), request_id.to_owned())
        .from_address(address)
        .with_headcount(state.http.employer_headcount);
    let batcher = context.loader.clone();
    let document = request.parsed_query().ok().cloned();
    let operation_name = request.operation_name.clone();
    let request = request.data(context).data(state.apply_limits.clone());
    let mut response = Batched::new(schema.execute(request), batcher).await;
    if let Some(document) = &document {
        order::restore_order(&mut response.data, document, operation_name.as_deref());
    }
    // Errors before execution (validation, variables) have no path and leave
    // no data; a failing non-null root field also nulls `data`, but its
    // error has a path.
    let rejected = response.data == GqlValue::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|error| error.path.is_empty());
    for error in &mut response.errors {
        label(error, rejected, request_id);
    }
    let mut body = Body {
        data: (!rejected).then_some(response.data),
        errors: response.errors,
        extensions: response.extensions,
    }
    .with_cost(measure.cost, limits);
    if mark_unavailable(&mut body.errors, state.http.ops.retry_after) {
        let wait = retry_after_seconds(state.http.ops.retry_after);
        return Reply {
            status: Status::Fixed(StatusCode::SERVICE_UNAVAILABLE),
            body,
            headers: vec![(header::RETRY_AFTER, HeaderValue::from(wait))],
        };
    }
    if let Some(wait) = retry_after(&body.errors) {
        return Reply {
            status: Status::Fixed(StatusCode::TOO_MANY_REQUESTS),
            body,
            headers: vec![(header::RETRY_AFTER, HeaderValue::from(wait))],
        };
    }
    Reply {
        status: if rejected {
            Status::RequestError
        } else {
            Status::Executed
        },
        body,
        headers: Vec::new(),
    }
}

/// Whether an error says the database was unavailable or too slow
/// (SERVICE_UNAVAILABLE, QUERY_TIMEOUT); those get `extensions.retryAfter`.
fn mark_unavailable(errors: &mut [ServerError], retry_after: Duration) -> bool {
    let mut any = false;
    for error in errors {
        let Some(ext) = error.extensions.as_mut() else {
            continue;
        };
        let unavailable = matches!(ext.get("code"), Some(GqlValue::String(code))
            if code == ErrorCode::ServiceUnavailable.as_str() || code == ErrorCode::QueryTimeout.as_str());
        if unavailable {
            ext.set("retryAfter", retry_after_seconds(retry_after));
            any = true;
        }
    }
    any
}

/// The seconds to wait when an error is RATE_LIMITED (the longest, if several).
fn retry_after(errors: &[ServerError]) -> Option<u64> {
    errors
        .iter()
        .filter_map(|error| error.extensions.as_ref())
        .filter(|ext| {
            matches!(ext.get("code"), Some(GqlValue::String(code)) if code == ErrorCode::RateLimited.as_str())
        })
        .filter_map(|ext| match ext.get("retryAfter") {
            Some(GqlValue::Number(n)) => n.as_u64(),
            _ => None,
        })
        .max()
}

/// The address a request comes from: the last address in the configured
/// client-address header when there is one, else the connection's peer.
pub struct ClientAddress(pub Option<IpAddr>);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Infallible> {
        let forwarded = state
            .http
            .client_address_header
            .as_ref()
            .and_then(|name| parts.headers.get(name))
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.rsplit(',').next())
            .and_then(|last| last.trim().parse::<IpAddr>().ok());
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(peer)| peer.ip());
        Ok(ClientAddress(forwarded.or(peer)))
    }
}

/// Gives an error raised by the GraphQL engine itself (validation, limits,
/// input coercion) a stable code, and internal errors the request id.
fn label(error: &mut ServerError, rejected: bool, request_id: &str) {
    let code = error
        .extensions
        .as_ref()
        .and_then(|ext| ext.get("code"))
        .and_then(|v| match v {
            GqlValue::String(s) => Some(s.clone()),
            _ => None,
        });
    let extensions = error.extensions.get_or_insert_with(Default::default);
    let code = code.unwrap_or_else(|| {
        let code = if error.message.starts_with("Invalid value for argument")
            || error.message.starts_with("Failed to parse")
            || error.message.contains("Variable")
        {
            ErrorCode::BadUserInput
        } else if rejected {
            ErrorCode::GraphqlValidationFailed
        } else {
            ErrorCode::InternalServerError
        };
        extensions.set("code", code.as_str());
        code.as_str().to_owned()
    });
    if code == ErrorCode::InternalServerError.as_str() {
        let detail = error
            .source::<ApiError>()
            .map_or_else(|| error.message.clone(), ToString::to_string);
        let path = serde_json::to_string(&error.path).unwrap_or_default();
        tracing::error!(request_id, path, error = %detail, "request failed");
        if !request_id.is_empty() {
            error
                .extensions
                .get_or_insert_with(Default::default)
                .set("requestId", request_id);
        }
    }
}

/// The viewer of a request: anonymous without a bearer token, else the staff
/// user the verified token names.
async fn authenticate(state: &AppState, headers: &HeaderMap) -> Result<Viewer, ApiError> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(Viewer::Anonymous);
    };
    let value = value.to_str().map_err(|_| {
        ApiError::Unauthenticated("the Authorization header is not readable".into())
    })?;
    let token = value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| ApiError::Unauthenticated("use `Authorization: Bearer <token>`".into()))?;
    let claims = state.auth.verify(token)?;
    Viewer::from_claims(&state.db.conn, &claims).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(value: &str) -> Option<MediaType> {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT,
            HeaderValue::from_str(value).expect("a header value"),
        );
        MediaType::negotiate(&headers)
    }

    #[test]
    fn accept_is_negotiated_with_quality_values() {
        assert_eq!(
            MediaType::negotiate(&HeaderMap::new()),
            Some(MediaType::Json)
        );
        assert_eq!(accept("*/*"), Some(MediaType::Json));
        assert_eq!(accept("application/json"), Some(MediaType::Json));
        assert_eq!(
            accept("application/graphql-response+json, application/json;q=0.9"),
            Some(MediaType::GraphqlResponseJson)
        );
        assert_eq!(
            accept("application/graphql-response+json;q=0.5, application/json"),
            Some(MediaType::Json)
        );
        assert_eq!(
            accept("application/json, application/graphql-response+json"),
            Some(MediaType::GraphqlResponseJson)
        );
        assert_eq!(accept("application/json;q=0, text/html"), None);
        assert_eq!(accept("text/csv"), None);
    }

    #[test]
    fn request_bodies_must_have_the_right_shape() {
        let ok = |json: serde_json::Value| request_from_json(json).is_ok();
        assert!(ok(serde_json::json!({ "query": "{ a }" })));
        assert!(ok(serde_json::json!({
            "query": "{ a }", "operationName": null, "variables": null, "extensions": null
        })));
        assert!(ok(serde_json::json!({
            "query": "{ a }", "operationName": "A", "variables": { "x": 1 }, "extensions": { "y": 2 }
        })));
        assert!(!ok(serde_json::json!({ "qeury": "{ a }" })));
        assert!(!ok(serde_json::json!({ "query": 0 })));
        assert!(!ok(
            serde_json::json!({ "query": "{ a }", "operationName": false })
        ));
        assert!(!ok(
            serde_json::json!({ "query": "{ a }", "variables": "x" })
        ));
        assert!(!ok(
            serde_json::json!({ "query": "{ a }", "variables": ["x"] })
        ));
        assert!(!ok(
            serde_json::json!({ "query": "{ a }", "extensions": 0 })
        ));
        assert!(!ok(serde_json::json!("{ a }")));
    }

    #[test]
    fn only_utf8_json_bodies_are_accepted() {
        let check = |value: Option<&str>| {
            let mut headers = HeaderMap::new();
            if let Some(value) = value {
                headers.insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_str(value).expect("a header value"),
                );
            }
            check_content_type(&headers).is_ok()
        };
        assert!(check(Some("application/json")));
        assert!(check(Some("Application/JSON; charset=UTF-8")));
        assert!(!check(Some("application/json; charset=latin1")));
        assert!(!check(Some("text/plain")));
        assert!(!check(Some("application/x-www-form-urlencoded")));
        assert!(!check(Some("multipart/form-data; boundary=x")));
        assert!(!check(None));
    }
}
