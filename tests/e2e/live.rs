//! Subscriptions over WebSocket (`graphql-transport-ws` at `/graphql`): the
//! handshake and its close codes, who may watch what, and events caused by
//! mutations over HTTP, within one server and across two.

use std::time::Duration;

use chrono::Utc;
use entity::enums::Role;
use futures_util::{SinkExt, StreamExt};
use hiregraph_api::config::HttpConfig;
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::support::{INTERVIEWER, SECRET, TestApp};

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// How long a test waits for something to arrive.
const WAIT: Duration = Duration::from_secs(15);

/// A socket to `app` speaking graphql-transport-ws, before `connection_init`.
async fn open(app: &TestApp) -> Socket {
    let mut request = format!("{}/graphql", app.base().replacen("http", "ws", 1))
        .into_client_request()
        .expect("a WebSocket request");
    request.headers_mut().insert(
        "sec-websocket-protocol",
        "graphql-transport-ws".parse().expect("a header value"),
    );
    let (socket, response) = tokio_tungstenite::connect_async(request)
        .await
        .expect("the upgrade succeeds");
    assert_eq!(
        response.headers()["sec-websocket-protocol"],
        "graphql-transport-ws"
    );
    socket
}

/// A socket past the handshake, as `init` (the `connection_init` payload).
pub(crate) async fn connect(app: &TestApp, init: Value) -> Socket {
    let mut socket = open(app).await;
    send(
        &mut socket,
        json!({ "type": "connection_init", "payload": init }),
    )
    .await;
    assert_eq!(receive(&mut socket).await["type"], "connection_ack");
    socket
}

pub(crate) async fn send(socket: &mut Socket, message: Value) {
    socket
        .send(Message::Text(message.to_string().into()))
        .await
        .expect("the message is sent");
}

/// The next protocol message (pings answered, not returned).
pub(crate) async fn receive(socket: &mut Socket) -> Value {
    loop {
        let message = tokio::time::timeout(WAIT, socket.next())
            .await
            .expect("a message in time")
            .expect("the socket is open")
            .expect("a frame");
        match message {
            Message::Text(text) => {
                let value: Value = serde_json::from_str(text.as_str()).expect("JSON");
                if value["type"] == "ping" {
                    send(socket, json!({ "type": "pong" })).await;
                    continue;
                }
                return value;
            }
            Message::Close(frame) => panic!("closed: {frame:?}"),
            _ => continue,
        }
    }
}

/// The close code the server ends the socket with.
async fn closed_with(socket: &mut Socket) -> u16 {
    loop {
        let message = tokio::time::timeout(WAIT, socket.next())
            .await
            .expect("the socket closes in time");
        match message {
            Some(Ok(Message::Close(Some(frame)))) => return frame.code.into(),
            Some(Ok(Message::Close(None))) | None | Some(Err(_)) => {
                panic!("closed without a code")
            }
            Some(Ok(_)) => continue,
        }
    }
}

/// Starts subscription `id`, then gives the server a moment to set it up
/// (the protocol does not acknowledge subscriptions).
pub(crate) async fn subscribe(socket: &mut Socket, id: &str, query: &str, variables: Value) {
    send(
        socket,
        json!({ "type": "subscribe", "id": id, "payload": { "query": query, "variables": variables } }),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
}

const PIPELINE: &str = "subscription($posting: ID!) {
    postingPipeline(postingId: $posting) { change application { id version status candidate { name } } }
}";

const REJECT: &str = r#"mutation($input: RejectApplicationInput!) { rejectApplication(input: $input) {
    application { version status } userErrors { field code }
} }"#;

#[tokio::test]
async fn a_connection_that_never_initialises_is_closed_with_4408() {
    let http = HttpConfig {
        ws_init_timeout: Duration::from_millis(300),
        ..HttpConfig::default()
    };
    let app = TestApp::start(http, Some(SECRET)).await;
    let mut socket = open(&app).await;
    assert_eq!(closed_with(&mut socket).await, 4408);
}

#[tokio::test]
async fn a_bad_token_is_closed_with_4403_and_subscribing_before_the_ack_with_4401() {
    let app = TestApp::empty().await;
    for init in [
        json!({ "Authorization": "Bearer not-a-token" }),
        json!({ "authorization": "Bearer not-a-token" }),
        json!({ "token": "not-a-token" }),
        json!({ "token": 42 }),
    ] {
        let mut socket = open(&app).await;
        send(
            &mut socket,
            json!({ "type": "connection_init", "payload": init }),
        )
        .await;
        assert_eq!(closed_with(&mut socket).await, 4403, "{init}");
    }

    let mut socket = open(&app).await;
    send(
        &mut socket,
        json!({ "type": "subscribe", "id": "1", "payload": { "query": "subscription { interviewerSchedule { change } }" } }),
    )
    .await;
    assert_eq!(closed_with(&mut socket).await, 4401);
}

#[tokio::test]
async fn a_rejection_reaches_the_postings_subscriber_and_a_refused_change_does_not() {
    let app = TestApp::demo().await;
    let kofi = app.demo_application("Kofi Asante").await;
    let mut socket = connect(&app, json!({ "token": app.admin() })).await;
    subscribe(
        &mut socket,
        "pipeline",
        PIPELINE,
        json!({ "posting": kofi["posting"]["id"] }),
    )
    .await;

    // A stale version: refused, so nothing is announced.
    let stale = app
        .admin_data(
            REJECT,
            json!({ "input": { "applicationId": kofi["id"], "expectedVersion": 0, "reason": "NOT_A_FIT" } }),
        )
        .await;
    assert_eq!(
        stale["rejectApplication"]["userErrors"][0]["code"],
        "CONFLICT"
    );
    let done = app
        .admin_data(
            REJECT,
            json!({ "input": { "applicationId": kofi["id"], "expectedVersion": kofi["version"], "reason": "NOT_A_FIT" } }),
        )
        .await;
    assert_eq!(done["rejectApplication"]["userErrors"], json!([]));

    let event = receive(&mut socket).await;
    assert_eq!(event["type"], "next");
    assert_eq!(event["id"], "pipeline");
    let payload = &event["payload"]["data"]["postingPipeline"];
    assert_eq!(payload["change"], "REJECTED");
    assert_eq!(payload["application"]["id"], kofi["id"]);
    assert_eq!(payload["application"]["status"], "REJECTED");
    assert_eq!(
        payload["application"]["version"], done["rejectApplication"]["application"]["version"],
        "the event reads the application as it is after the change"
    );
    assert_eq!(payload["application"]["candidate"]["name"], "Kofi Asante");

    // While it runs, /metrics counts it (the gauge is the process's, so
    // other tests' subscriptions may add to it).
    let metrics = app
        .client
        .get(format!("{}/metrics", app.base()))
        .send()
        .await
        .expect("the server answers")
        .text()
        .await
        .expect("a body");
    let active: f64 = metrics
        .lines()
        .find_map(|line| line.strip_prefix("hiregraph_subscriptions_active "))
        .and_then(|value| value.trim().parse().ok())
        .expect("the subscription gauge");
    assert!(active >= 1.0, "{active}");

    // `complete` stops it: the next change is not delivered, and a ping
    // still gets its pong.
    send(&mut socket, json!({ "type": "complete", "id": "pipeline" })).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let brian = app.demo_application("Brian Otieno").await;
    app.admin_data(
        REJECT,
        json!({ "input": { "applicationId": brian["id"], "expectedVersion": brian["version"], "reason": "NOT_A_FIT" } }),
    )
    .await;
    send(&mut socket, json!({ "type": "ping" })).await;
    assert_eq!(receive(&mut socket).await["type"], "pong");
}

#[tokio::test]
async fn an_interviewer_hears_of_interviews_booked_with_them() {
    let app = TestApp::demo().await;
    let brian = app.demo_application("Brian Otieno").await;
    let kwame = app.user_id(INTERVIEWER).await;
    let token = app.token(INTERVIEWER, Role::Interviewer);
    let mut socket = connect(&app, json!({ "Authorization": format!("Bearer {token}") })).await;
    subscribe(
        &mut socket,
        "mine",
        "subscription { interviewerSchedule { change interview { id status interviewers { email } } } }",
        Value::Null,
    )
    .await;
    let start = Utc::now() + chrono::Duration::days(6);
    let booked = app
        .admin_data(
            r#"mutation($input: ScheduleInterviewInput!) { scheduleInterview(input: $input) {
                interview { id } userErrors { field code }
            } }"#,
            json!({ "input": {
                "applicationId": brian["id"], "startsAt": start.to_rfc3339(),
                "endsAt": (start + chrono::Duration::minutes(45)).to_rfc3339(),
                "timeZone": "Africa/Nairobi", "interviewerIds": [kwame]
            } }),
        )
        .await;
    assert_eq!(booked["scheduleInterview"]["userErrors"], json!([]));
    let event = receive(&mut socket).await;
    let payload = &event["payload"]["data"]["interviewerSchedule"];
    assert_eq!(payload["change"], "SCHEDULED", "{event}");
    assert_eq!(
        payload["interview"]["id"],
        booked["scheduleInterview"]["interview"]["id"]
    );
    assert_eq!(
        payload["interview"]["interviewers"],
        json!([{ "email": INTERVIEWER }]),
        "an interview booked after subscribing is visible to its interviewer"
    );

    let cancelled = app
        .admin_data(
            r#"mutation($input: CancelInterviewInput!) { cancelInterview(input: $input) { userErrors { code } } }"#,
            json!({ "input": { "id": booked["scheduleInterview"]["interview"]["id"], "reason": "Moved to next week" } }),
        )
        .await;
    assert_eq!(cancelled["cancelInterview"]["userErrors"], json!([]));
    let event = receive(&mut socket).await;
    assert_eq!(
        event["payload"]["data"]["interviewerSchedule"]["change"],
        "CANCELLED"
    );
}

#[tokio::test]
async fn subscribing_needs_the_right_to_see_what_is_watched() {
    let app = TestApp::demo().await;
    let kofi = app.demo_application("Kofi Asante").await;
    let admin = app.user_id("admin@hiregraph.example").await;
    let token = app.token(INTERVIEWER, Role::Interviewer);
    let mut socket = connect(&app, json!({ "token": token })).await;

    for (id, query, variables) in [
        (
            "pipeline",
            PIPELINE,
            json!({ "posting": kofi["posting"]["id"] }),
        ),
        (
            "someone-else",
            "subscription($who: ID) { interviewerSchedule(interviewerId: $who) { change } }",
            json!({ "who": admin }),
        ),
    ] {
        send(
            &mut socket,
            json!({ "type": "subscribe", "id": id, "payload": { "query": query, "variables": variables } }),
        )
        .await;
        let answer = receive(&mut socket).await;
        assert_eq!(answer["id"], id);
        assert_eq!(answer["type"], "next", "{answer}");
        assert_eq!(
            answer["payload"]["errors"][0]["extensions"]["code"], "FORBIDDEN",
            "{answer}"
        );
        let done = receive(&mut socket).await;
        assert_eq!(done, json!({ "type": "complete", "id": id }));
    }

    // Anonymous connections are accepted, and every subscription refused.
    let mut anonymous = connect(&app, json!({})).await;
    send(
        &mut anonymous,
        json!({ "type": "subscribe", "id": "1", "payload": { "query": "subscription { interviewerSchedule { change } }" } }),
    )
    .await;
    let answer = receive(&mut anonymous).await;
    assert_eq!(
        answer["payload"]["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
        "{answer}"
    );
    assert_eq!(receive(&mut anonymous).await["type"], "complete");

    // Queries and mutations belong to HTTP.
    send(
        &mut anonymous,
        json!({ "type": "subscribe", "id": "2", "payload": { "query": "{ __typename }" } }),
    )
    .await;
    let answer = receive(&mut anonymous).await;
    assert_eq!(answer["type"], "error");
    assert_eq!(answer["payload"][0]["extensions"]["code"], "BAD_USER_INPUT");
}

#[tokio::test]
async fn a_change_made_through_one_server_reaches_a_subscriber_of_another() {
    if !std::env::var("DATABASE_URL").is_ok_and(|url| url.starts_with("postgres")) {
        // Across processes events travel through Postgres LISTEN/NOTIFY; a
        // SQLite deployment is a single process.
        return;
    }
    let a = TestApp::demo().await;
    let b = a.sibling().await;
    let kofi = a.demo_application("Kofi Asante").await;
    let mut socket = connect(&b, json!({ "token": b.admin() })).await;
    subscribe(
        &mut socket,
        "pipeline",
        PIPELINE,
        json!({ "posting": kofi["posting"]["id"] }),
    )
    .await;
    let done = a
        .admin_data(
            REJECT,
            json!({ "input": { "applicationId": kofi["id"], "expectedVersion": kofi["version"], "reason": "NOT_A_FIT" } }),
        )
        .await;
    assert_eq!(done["rejectApplication"]["userErrors"], json!([]));
    let event = receive(&mut socket).await;
    assert_eq!(
        event["payload"]["data"]["postingPipeline"]["application"]["id"],
        kofi["id"]
    );
    assert_eq!(
        event["payload"]["data"]["postingPipeline"]["change"],
        "REJECTED"
    );
}
