//! HTTP: the router, the GraphQL endpoint, GraphiQL and health checks.
//!
//! The GraphQL endpoint is our own thin handler rather than the stock
//! integration, so that it follows the GraphQL-over-HTTP rules a browser
//! client relies on:
//! - POST bodies must be `application/json` (a `text/plain` POST is a
//!   cross-site request without a preflight, so it is refused);
//! - mutations never run over GET (405);
//! - one operation per request: JSON-array batches are refused;
//! - bodies are limited in size and requests in time;
//! - `Accept: application/graphql-response+json` gets that media type and a
//!   4xx status for requests that fail before execution; plain
//!   `application/json` gets 200 as the spec asks;
//! - a bad or expired token is 401 UNAUTHENTICATED, never anonymous access;
//! - every error carries a stable `extensions.code`.

mod order;

use std::sync::Arc;
use std::time::Duration;

use async_graphql::http::GraphiQLSource;
use async_graphql::parser::types::{DocumentOperations, OperationType};
use async_graphql::{ServerError, Value as GqlValue};
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::auth::{Authenticator, Viewer};
use crate::config::HttpConfig;
use crate::context::RequestContext;
use crate::db::Database;
use crate::error::{ApiError, ErrorCode};
use crate::loaders::Batched;
use crate::schema::HiregraphSchema;

/// The GraphQL-over-HTTP media type for responses.
const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";
/// The header carrying the request id.
const REQUEST_ID: &str = "x-request-id";

/// What every request handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub db: Database,
    /// The schema, built once at start-up.
    pub schema: HiregraphSchema,
    /// Verifies bearer tokens.
    pub auth: Arc<Authenticator>,
    /// Limits and timeouts.
    pub http: HttpConfig,
}

impl AppState {
    /// The state for a server on `db`.
    pub fn new(db: Database, auth: Authenticator, http: HttpConfig) -> Self {
        AppState {
            db,
            schema: crate::schema::build(),
            auth: Arc::new(auth),
            http,
        }
    }
}

/// The router: `/graphql` (POST for operations, GET for queries and
/// GraphiQL), `/healthz` (the process is up) and `/readyz` (it can reach the
/// database).
pub fn router(state: AppState) -> Router {
    let body_limit = state.http.max_body_bytes;
    let timeout = state.http.request_timeout;
    Router::new()
        .route("/graphql", get(graphql_get).post(graphql_post))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .fallback(|| async { (StatusCode::NOT_FOUND, "not found; the API is at /graphql\n") })
        .with_state(state)
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            timeout,
        ))
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
}

/// The span every log line of a request is in: its method, path and id, so
/// that the `requestId` a client reports finds the details in the log.
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
    )
}

/// 200 when the database answers, 503 otherwise.
async fn readyz(State(state): State<AppState>) -> Response {
    match tokio::time::timeout(Duration::from_secs(2), state.db.conn.ping()).await {
        Ok(Ok(())) => (StatusCode::OK, "ready").into_response(),
        _ => (
            StatusCode::SERVICE_UNAVAILABLE,
            "the database is unreachable",
        )
            .into_response(),
    }
}

/// How the client wants the response.
#[derive(Clone, Copy, PartialEq, Eq)]
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

    /// Picks the media type from `Accept`; `None` when neither is acceptable.
    fn negotiate(headers: &HeaderMap) -> Option<MediaType> {
        let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
            return Some(MediaType::Json);
        };
        let types: Vec<&str> = accept
            .split(',')
            .map(|part| part.split(';').next().unwrap_or_default().trim())
            .collect();
        if types.contains(&GRAPHQL_RESPONSE_JSON) {
            Some(MediaType::GraphqlResponseJson)
        } else if types
            .iter()
            .any(|t| matches!(*t, "application/json" | "application/*" | "*/*"))
        {
            Some(MediaType::Json)
        } else {
            None
        }
    }
}

/// A response holding only top-level errors, for failures before execution.
fn error_response(
    status: StatusCode,
    media: MediaType,
    code: ErrorCode,
    message: &str,
) -> Response {
    let body =
        json!({ "errors": [{ "message": message, "extensions": { "code": code.as_str() } }] });
    let mut response = (status, Json(body)).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(media.as_str()),
    );
    response
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"))
}

fn wants_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"))
}

async fn graphql_post(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let Some(media) = MediaType::negotiate(&headers) else {
        return not_acceptable();
    };
    if !is_json(&headers) {
        return error_response(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            media,
            ErrorCode::BadRequest,
            "send the request body as application/json",
        );
    }
    if body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[') {
        return error_response(
            StatusCode::BAD_REQUEST,
            media,
            ErrorCode::BadRequest,
            "batched requests are not supported; send one operation per request",
        );
    }
    match serde_json::from_slice::<async_graphql::Request>(&body) {
        Ok(request) => execute(state, headers, request, Method::POST, media).await,
        Err(err) => error_response(
            StatusCode::BAD_REQUEST,
            media,
            ErrorCode::BadRequest,
            &format!("the body is not a GraphQL request: {err}"),
        ),
    }
}

async fn graphql_get(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let query = query.unwrap_or_default();
    if query.is_empty() && wants_html(&headers) {
        return graphiql();
    }
    let Some(media) = MediaType::negotiate(&headers) else {
        return not_acceptable();
    };
    match async_graphql::http::parse_query_string(&query) {
        Ok(request) => execute(state, headers, request, Method::GET, media).await,
        Err(err) => error_response(
            StatusCode::BAD_REQUEST,
            media,
            ErrorCode::BadRequest,
            &format!("the query string is not a GraphQL request: {err}"),
        ),
    }
}

fn not_acceptable() -> Response {
    (
        StatusCode::NOT_ACCEPTABLE,
        format!("accept {GRAPHQL_RESPONSE_JSON} or application/json\n"),
    )
        .into_response()
}

/// GraphiQL, pointed at this server's endpoint.
fn graphiql() -> Response {
    Html(
        GraphiQLSource::build()
            .endpoint("/graphql")
            .title("hiregraph")
            .finish(),
    )
    .into_response()
}

/// The type of the operation `request` would run, once its query parses.
fn operation_type(
    request: &mut async_graphql::Request,
) -> Result<Option<OperationType>, ServerError> {
    let name = request.operation_name.clone();
    let document = request.parsed_query()?;
    Ok(match &document.operations {
        DocumentOperations::Single(op) => Some(op.node.ty),
        DocumentOperations::Multiple(ops) => match name {
            Some(name) => ops.get(name.as_str()).map(|op| op.node.ty),
            None if ops.len() == 1 => ops.values().next().map(|op| op.node.ty),
            None => None,
        },
    })
}

async fn execute(
    state: AppState,
    headers: HeaderMap,
    mut request: async_graphql::Request,
    method: Method,
    media: MediaType,
) -> Response {
    match operation_type(&mut request) {
        Err(err) => {
            return error_response(
                StatusCode::BAD_REQUEST,
                media,
                ErrorCode::GraphqlParseFailed,
                &err.message,
            );
        }
        Ok(Some(OperationType::Mutation)) if method == Method::GET => {
            let mut response = error_response(
                StatusCode::METHOD_NOT_ALLOWED,
                media,
                ErrorCode::BadRequest,
                "mutations must be sent with POST",
            );
            response
                .headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static("POST"));
            return response;
        }
        Ok(_) => {}
    }

    let viewer = match authenticate(&state, &headers).await {
        Ok(viewer) => viewer,
        Err(err) => {
            let status = match err.code() {
                ErrorCode::Unauthenticated => StatusCode::UNAUTHORIZED,
                _ => StatusCode::SERVICE_UNAVAILABLE,
            };
            let message = match &err {
                ApiError::Unauthenticated(message) => message.clone(),
                other => {
                    tracing::error!(error = %other, "could not authenticate the request");
                    "the server could not check your credentials; try again".to_owned()
                }
            };
            let mut response = error_response(status, media, err.code(), &message);
            if status == StatusCode::UNAUTHORIZED {
                response.headers_mut().insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer error=\"invalid_token\""),
                );
            }
            return response;
        }
    };
    let request_id = headers
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let context = RequestContext::new(state.db.conn.clone(), viewer, request_id.clone());
    let batcher = context.loader.clone();
    let document = request.parsed_query().ok().cloned();
    let operation_name = request.operation_name.clone();
    let mut response = Batched::new(state.schema.execute(request.data(context)), batcher).await;
    if let Some(document) = &document {
        order::restore_order(&mut response.data, document, operation_name.as_deref());
    }
    let rejected = response.data == GqlValue::Null && !response.errors.is_empty();
    for error in &mut response.errors {
        label(error, rejected, &request_id);
    }
    let status = if rejected && media == MediaType::GraphqlResponseJson {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let mut http = (status, Json(response)).into_response();
    http.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(media.as_str()),
    );
    http
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
    if code == ErrorCode::InternalServerError.as_str() && !request_id.is_empty() {
        extensions.set("requestId", request_id);
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
