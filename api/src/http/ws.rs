//! Subscriptions over WebSocket at `/graphql`, speaking `graphql-transport-ws`
//! (the protocol of the `graphql-ws` client library).
//!
//! - The client authenticates in `connection_init`: its payload holds the
//!   token as `{"Authorization": "Bearer …"}`, `{"authorization": …}` or
//!   `{"token": …}`; the token is checked exactly as HTTP checks the
//!   `Authorization` header. A bad token closes the socket with 4403, no
//!   `connection_init` within `HIREGRAPH_WS_INIT_TIMEOUT` with 4408.
//! - Only subscriptions run here; queries and mutations go over HTTP, where
//!   every limit and header applies. A subscription is held to the same
//!   limits (tokens, depth, aliases, cost) as an HTTP request.
//! - The server pings every `HIREGRAPH_WS_KEEPALIVE`; a client's pings get a pong.
//! - Each subscription runs with its own request context and loaders, and
//!   reads every event afresh (see [`crate::schema::live`]).

use std::collections::HashMap;
use std::net::IpAddr;

use async_graphql::parser::types::{DocumentOperations, OperationType};
use async_graphql::{ServerError, Value as GqlValue};
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use serde::Deserialize;
use serde_json::{Value as Json, json};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::{AppState, ClientAddress, label, prepare, request_from_json, request_id};
use crate::auth::Viewer;
use crate::context::RequestContext;
use crate::error::{ApiError, ErrorCode};
use crate::loaders::Batched;

/// The subprotocol spoken.
pub const PROTOCOL: &str = "graphql-transport-ws";

/// Close codes of the protocol.
pub mod close {
    /// A message the protocol does not allow.
    pub const BAD_REQUEST: u16 = 4400;
    /// `subscribe` before the connection was acknowledged.
    pub const UNAUTHORIZED: u16 = 4401;
    /// The token in `connection_init` was refused.
    pub const FORBIDDEN: u16 = 4403;
    /// No `connection_init` in time.
    pub const INIT_TIMEOUT: u16 = 4408;
    /// A second `subscribe` with an id in use.
    pub const DUPLICATE_ID: u16 = 4409;
    /// A second `connection_init`.
    pub const TOO_MANY_INITS: u16 = 4429;
    /// The server is shutting down (WebSocket's "going away").
    pub const GOING_AWAY: u16 = 1001;
}

/// How many messages of a connection's subscriptions may wait to be sent.
const OUTBOX: usize = 64;

/// Takes over `GET /graphql` requests asking for a WebSocket; passes every
/// other request on.
pub(super) async fn intercept(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let upgrade_asked = request.method() == Method::GET
        && request.uri().path() == "/graphql"
        && request
            .headers()
            .get(header::UPGRADE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| value.eq_ignore_ascii_case("websocket"));
    if !upgrade_asked {
        return next.run(request).await;
    }
    let (mut parts, _body) = request.into_parts();
    let Ok(ClientAddress(address)) = ClientAddress::from_request_parts(&mut parts, &state).await;
    let request_id = request_id(&parts.headers);
    let upgrade = match WebSocketUpgrade::from_request_parts(&mut parts, &state).await {
        Ok(upgrade) => upgrade.protocols([PROTOCOL]),
        Err(rejection) => return rejection.into_response(),
    };
    if upgrade.selected_protocol().is_none() {
        return (
            StatusCode::BAD_REQUEST,
            "subscriptions speak graphql-transport-ws: send `Sec-WebSocket-Protocol: graphql-transport-ws`\n",
        )
            .into_response();
    }
    upgrade.on_upgrade(move |socket| serve(socket, state, address, request_id))
}

/// A message from the client.
#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum ClientMessage {
    ConnectionInit {
        #[serde(default)]
        payload: Option<Json>,
    },
    // Payloads of pings and pongs are allowed and ignored.
    Ping {},
    Pong {},
    Subscribe {
        id: String,
        payload: Json,
    },
    Complete {
        id: String,
    },
}

/// What a subscription's task hands the connection to send.
enum Outgoing {
    Next(String, Json),
    Error(String, Vec<ServerError>),
    Complete(String),
}

/// Why a connection ends.
struct Closing(u16, &'static str);

/// Runs one connection: the handshake, then its subscriptions.
async fn serve(
    mut socket: WebSocket,
    state: AppState,
    address: Option<IpAddr>,
    request_id: String,
) {
    let viewer = match handshake(&mut socket, &state).await {
        Ok(Some(viewer)) => viewer,
        Ok(None) => return,
        Err(Closing(code, reason)) => return close(socket, code, reason).await,
    };
    if send(&mut socket, json!({ "type": "connection_ack" }))
        .await
        .is_err()
    {
        return;
    }
    // Held while the connection lives: shutdown waits for every holder.
    let mut stopping = state.shutdown.subscribe();
    let (outbox, mut outgoing) = mpsc::channel::<Outgoing>(OUTBOX);
    let mut running: HashMap<String, JoinHandle<()>> = HashMap::new();
    let mut keepalive = tokio::time::interval(state.http.ws_keepalive);
    keepalive.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    keepalive.tick().await;
    let ending = loop {
        tokio::select! {
            message = socket.recv() => {
                let text = match message {
                    None | Some(Err(_)) | Some(Ok(Message::Close(_))) => break None,
                    Some(Ok(Message::Text(text))) => text,
                    Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
                    Some(Ok(Message::Binary(_))) => break Some(Closing(close::BAD_REQUEST, "binary messages are not part of the protocol")),
                };
                match serde_json::from_str::<ClientMessage>(text.as_str()) {
                    Err(_) => break Some(Closing(close::BAD_REQUEST, "invalid message")),
                    Ok(ClientMessage::ConnectionInit { .. }) => break Some(Closing(close::TOO_MANY_INITS, "Too many initialisation requests")),
                    Ok(ClientMessage::Ping {}) => {
                        if send(&mut socket, json!({ "type": "pong" })).await.is_err() {
                            break None;
                        }
                    }
                    Ok(ClientMessage::Pong {}) => {}
                    Ok(ClientMessage::Complete { id }) => {
                        if let Some(task) = running.remove(&id) {
                            task.abort();
                        }
                    }
                    Ok(ClientMessage::Subscribe { id, payload }) => {
                        running.retain(|_, task| !task.is_finished());
                        if running.contains_key(&id) {
                            break Some(Closing(close::DUPLICATE_ID, "Subscriber for this id already exists"));
                        }
                        let task = tokio::spawn(subscription(
                            state.clone(),
                            viewer.clone(),
                            request_id.clone(),
                            address,
                            id.clone(),
                            payload,
                            outbox.clone(),
                        ));
                        running.insert(id, task);
                    }
                }
            }
            Some(out) = outgoing.recv() => {
                let message = match out {
                    Outgoing::Next(id, payload) => json!({ "type": "next", "id": id, "payload": payload }),
                    Outgoing::Error(id, errors) => {
                        running.remove(&id);
                        json!({ "type": "error", "id": id, "payload": errors })
                    }
                    Outgoing::Complete(id) => {
                        running.remove(&id);
                        json!({ "type": "complete", "id": id })
                    }
                };
                if send(&mut socket, message).await.is_err() {
                    break None;
                }
            }
            changed = stopping.changed() => {
                let stop = changed.is_err() || *stopping.borrow();
                if stop {
                    break Some(Closing(close::GOING_AWAY, "the server is shutting down"));
                }
            }
            _ = keepalive.tick() => {
                if send(&mut socket, json!({ "type": "ping" })).await.is_err() {
                    break None;
                }
            }
        }
    };
    for task in running.into_values() {
        task.abort();
    }
    if let Some(Closing(code, reason)) = ending {
        close(socket, code, reason).await;
    }
}

/// Waits for `connection_init` and resolves its token to a viewer; `None`
/// when the client left first.
async fn handshake(socket: &mut WebSocket, state: &AppState) -> Result<Option<Viewer>, Closing> {
    let deadline = tokio::time::sleep(state.http.ws_init_timeout);
    tokio::pin!(deadline);
    loop {
        let message = tokio::select! {
            _ = &mut deadline => return Err(Closing(close::INIT_TIMEOUT, "Connection initialisation timeout")),
            message = socket.recv() => message,
        };
        let text = match message {
            None | Some(Err(_)) | Some(Ok(Message::Close(_))) => return Ok(None),
            Some(Ok(Message::Text(text))) => text,
            Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
            Some(Ok(Message::Binary(_))) => {
                return Err(Closing(
                    close::BAD_REQUEST,
                    "binary messages are not part of the protocol",
                ));
            }
        };
        match serde_json::from_str::<ClientMessage>(text.as_str()) {
            Ok(ClientMessage::ConnectionInit { payload }) => {
                return match authenticate(state, payload.as_ref()).await {
                    Ok(viewer) => Ok(Some(viewer)),
                    Err(ApiError::Unauthenticated(message)) => {
                        tracing::info!(reason = %message, "refused a subscription connection");
                        Err(Closing(close::FORBIDDEN, "Forbidden"))
                    }
                    Err(err) => {
                        tracing::error!(error = %err, "could not authenticate a subscription connection");
                        Err(Closing(1011, "could not check the token"))
                    }
                };
            }
            Ok(ClientMessage::Ping {}) => {
                if send(socket, json!({ "type": "pong" })).await.is_err() {
                    return Ok(None);
                }
            }
            Ok(ClientMessage::Pong {}) => {}
            Ok(ClientMessage::Subscribe { .. }) => {
                return Err(Closing(close::UNAUTHORIZED, "Unauthorized"));
            }
            Ok(ClientMessage::Complete { .. }) | Err(_) => {
                return Err(Closing(close::BAD_REQUEST, "invalid message"));
            }
        }
    }
}

/// The viewer the `connection_init` payload names: anonymous without a
/// token, like an HTTP request without `Authorization`.
async fn authenticate(state: &AppState, payload: Option<&Json>) -> Result<Viewer, ApiError> {
    let given = payload.and_then(|payload| {
        ["Authorization", "authorization", "token"]
            .into_iter()
            .find_map(|key| payload.get(key))
    });
    let Some(given) = given else {
        return Ok(Viewer::Anonymous);
    };
    let given = given
        .as_str()
        .ok_or_else(|| ApiError::Unauthenticated("the token must be a string".into()))?
        .trim();
    let token = given
        .strip_prefix("Bearer ")
        .or_else(|| given.strip_prefix("bearer "))
        .unwrap_or(given)
        .trim();
    if token.is_empty() {
        return Err(ApiError::Unauthenticated("the token is empty".into()));
    }
    let claims = state.auth.verify(token)?;
    Viewer::from_claims(&state.db.conn, &claims).await
}

/// One running subscription in `hiregraph_subscriptions_active`.
struct Counted;

impl Counted {
    fn open() -> Counted {
        crate::metrics::subscriptions_opened();
        Counted
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        crate::metrics::subscriptions_closed();
    }
}

/// Runs one subscription, handing its results to the connection.
async fn subscription(
    state: AppState,
    viewer: Viewer,
    request_id: String,
    address: Option<IpAddr>,
    id: String,
    payload: Json,
    outbox: mpsc::Sender<Outgoing>,
) {
    // Counted while the task lives, however it ends (including aborted).
    let _counted = Counted::open();
    let refuse = |code: &str, message: &str| {
        let mut error = ServerError::new(message, None);
        error
            .extensions
            .get_or_insert_with(Default::default)
            .set("code", code);
        Outgoing::Error(id.clone(), vec![error])
    };
    let request = match request_from_json(payload) {
        Ok(request) => request,
        Err(message) => {
            let _ = outbox
                .send(refuse(ErrorCode::BadUserInput.as_str(), &message))
                .await;
            return;
        }
    };
    let limits = &state.http.limits;
    let mut request = match prepare(limits, request, &Method::POST) {
        Ok(prepared) => prepared.request,
        Err(reply) => {
            let _ = outbox
                .send(Outgoing::Error(id.clone(), reply.body.errors))
                .await;
            return;
        }
    };
    if !is_subscription(&mut request) {
        let _ = outbox
            .send(refuse(
                ErrorCode::BadUserInput.as_str(),
                "only subscriptions run over WebSocket; send queries and mutations over HTTP POST",
            ))
            .await;
        return;
    }
    let public = state.is_public(&viewer);
    let schema = if public {
        request = request.disable_introspection();
        &state.public_schema
    } else {
        &state.schema
    };
    let context = RequestContext::new(state.db.conn.clone(), viewer, request_id.clone())
        .from_address(address)
        .with_headcount(state.http.employer_headcount);
    let batcher = context.loader.clone();
    let mut stream = schema.execute_stream(request.data(context));
    let mut first = true;
    while let Some(mut response) = Batched::new(stream.next(), batcher.clone()).await {
        let rejected = first
            && response.data == GqlValue::Null
            && !response.errors.is_empty()
            && response.errors.iter().all(|error| error.path.is_empty());
        first = false;
        for error in &mut response.errors {
            label(error, rejected, &request_id);
        }
        if rejected {
            let _ = outbox
                .send(Outgoing::Error(id.clone(), response.errors))
                .await;
            return;
        }
        let mut body = serde_json::Map::new();
        body.insert(
            "data".to_owned(),
            serde_json::to_value(&response.data).unwrap_or(Json::Null),
        );
        if !response.errors.is_empty() {
            body.insert(
                "errors".to_owned(),
                serde_json::to_value(&response.errors).unwrap_or(Json::Null),
            );
        }
        let body = Json::Object(body);
        // A full outbox means the client reads too slowly: wait, and the
        // bounded event buffer behind this subscription ends it if it
        // falls too far behind.
        if outbox.send(Outgoing::Next(id.clone(), body)).await.is_err() {
            return;
        }
    }
    let _ = outbox.send(Outgoing::Complete(id)).await;
}

/// Whether the operation `request` runs is a subscription.
fn is_subscription(request: &mut async_graphql::Request) -> bool {
    let name = request.operation_name.clone();
    let Ok(document) = request.parsed_query() else {
        return false;
    };
    let operation = match (&document.operations, name.as_deref()) {
        (DocumentOperations::Single(operation), _) => Some(operation),
        (DocumentOperations::Multiple(operations), Some(name)) => operations.get(name),
        (DocumentOperations::Multiple(operations), None) if operations.len() == 1 => {
            operations.values().next()
        }
        _ => None,
    };
    operation.is_some_and(|operation| operation.node.ty == OperationType::Subscription)
}

/// Sends `message` as a text frame.
async fn send(socket: &mut WebSocket, message: Json) -> Result<(), axum::Error> {
    socket.send(Message::Text(message.to_string().into())).await
}

/// Closes the socket with `code` and `reason`.
async fn close(mut socket: WebSocket, code: u16, reason: &'static str) {
    let _ = socket
        .send(Message::Close(Some(CloseFrame {
            code,
            reason: reason.into(),
        })))
        .await;
}
