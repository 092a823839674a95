//! Operations: automatic persisted queries and the safelist, JSON logs with
//! the request id and operation name, Prometheus metrics, readiness with
//! migrations, compression, and graceful shutdown of the real binary.

use std::io::Read as _;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use hiregraph_api::config::{HttpConfig, OpsConfig};
use hiregraph_api::http::persisted::sha256_hex;
use migration::{Migrator, MigratorTrait};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

use crate::support::{Reply, SECRET, TestApp, json_log, reply};

/// A development-mode server (anonymous callers may do anything) with `ops`.
async fn dev_app(ops: OpsConfig) -> TestApp {
    TestApp::start(
        HttpConfig {
            ops,
            ..HttpConfig::default()
        },
        None,
    )
    .await
}

fn persisted(hash: &str) -> Value {
    json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } })
}

async fn post(app: &TestApp, token: Option<&str>, body: Value) -> Reply {
    let mut request = app.client.post(&app.url).json(&body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    reply(request.send().await.expect("the server answers")).await
}

async fn get(app: &TestApp, params: &[(&str, String)]) -> Reply {
    let request = app.client.get(&app.url).query(params);
    reply(request.send().await.expect("the server answers")).await
}

#[tokio::test]
async fn an_unknown_hash_is_not_found_until_the_client_sends_its_query() {
    let app = dev_app(OpsConfig::default()).await;
    let query = "query ApqProbe { __typename }";
    let hash = sha256_hex(query);

    let unknown = post(&app, None, json!({ "extensions": persisted(&hash) })).await;
    assert_eq!(unknown.status, 200, "{}", unknown.body);
    assert_eq!(unknown.error_code(), "PERSISTED_QUERY_NOT_FOUND");
    assert_eq!(
        unknown.body["errors"][0]["message"],
        "PersistedQueryNotFound"
    );
    assert!(unknown.body.get("data").is_none());

    let registered = post(
        &app,
        None,
        json!({ "query": query, "extensions": persisted(&hash) }),
    )
    .await;
    assert_eq!(registered.data()["__typename"], "Query");

    let by_hash = post(&app, None, json!({ "extensions": persisted(&hash) })).await;
    assert_eq!(by_hash.status, 200);
    assert_eq!(by_hash.data()["__typename"], "Query");

    // With application/graphql-response+json, NOT_FOUND is a request error: 400.
    let other = sha256_hex("{ __typename other: __typename }");
    let strict = app
        .client
        .post(&app.url)
        .header("Accept", "application/graphql-response+json")
        .json(&json!({ "extensions": persisted(&other) }))
        .send()
        .await
        .expect("the server answers");
    let strict = reply(strict).await;
    assert_eq!(strict.status, 400);
    assert_eq!(strict.error_code(), "PERSISTED_QUERY_NOT_FOUND");
}

#[tokio::test]
async fn a_hash_that_is_not_the_querys_is_refused() {
    let app = dev_app(OpsConfig::default()).await;
    let query = "{ __typename }";
    let wrong = sha256_hex("{ somethingElse }");
    let mismatch = post(
        &app,
        None,
        json!({ "query": query, "extensions": persisted(&wrong) }),
    )
    .await;
    assert_eq!(mismatch.status, 400, "{}", mismatch.body);
    assert_eq!(mismatch.error_code(), "PERSISTED_QUERY_HASH_MISMATCH");
    // Nothing was remembered under the wrong hash.
    let later = post(&app, None, json!({ "extensions": persisted(&wrong) })).await;
    assert_eq!(later.error_code(), "PERSISTED_QUERY_NOT_FOUND");

    let bad_version = post(
        &app,
        None,
        json!({ "query": query,
                "extensions": { "persistedQuery": { "version": 2, "sha256Hash": sha256_hex(query) } } }),
    )
    .await;
    assert_eq!(bad_version.status, 400);
    assert_eq!(bad_version.error_code(), "BAD_REQUEST");
    let bad_hash = post(
        &app,
        None,
        json!({ "query": query,
                "extensions": { "persistedQuery": { "version": 1, "sha256Hash": "abc" } } }),
    )
    .await;
    assert_eq!(bad_hash.status, 400);
    assert_eq!(bad_hash.error_code(), "BAD_REQUEST");
}

#[tokio::test]
async fn persisted_queries_work_over_get_for_queries_only() {
    let app = dev_app(OpsConfig::default()).await;
    let query = "query ApqGet { __typename }";
    let hash = sha256_hex(query);
    let extensions = persisted(&hash).to_string();

    let unknown = get(&app, &[("extensions", extensions.clone())]).await;
    assert_eq!(unknown.error_code(), "PERSISTED_QUERY_NOT_FOUND");
    let registered = get(
        &app,
        &[
            ("query", query.to_owned()),
            ("extensions", extensions.clone()),
        ],
    )
    .await;
    assert_eq!(registered.data()["__typename"], "Query");
    let by_hash = get(&app, &[("extensions", extensions)]).await;
    assert_eq!(by_hash.status, 200);
    assert_eq!(by_hash.data()["__typename"], "Query");

    // A mutation registered over POST still does not run over GET.
    let mutation = r#"mutation ApqMutation { applyToPosting(input: { postingId: "x" }) { userErrors { code } } }"#;
    let mutation_hash = sha256_hex(mutation);
    post(
        &app,
        None,
        json!({ "query": mutation, "extensions": persisted(&mutation_hash) }),
    )
    .await;
    let over_get = get(
        &app,
        &[("extensions", persisted(&mutation_hash).to_string())],
    )
    .await;
    assert_eq!(over_get.status, 405, "{}", over_get.body);
    assert_eq!(over_get.headers["allow"], "POST");
}

/// A scratch directory, removed at the end.
struct Scratch(std::path::PathBuf);

impl Scratch {
    fn new() -> Scratch {
        let dir = std::env::temp_dir()
            .join("hiregraph-tests")
            .join(format!("ops-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).expect("a scratch directory");
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const LISTED: &str = "query Listed { __typename }";
const INTROSPECTION: &str = "{ __schema { queryType { name } } }";

async fn safelisted_app(path: std::path::PathBuf, allow_introspection: bool) -> TestApp {
    let http = HttpConfig {
        ops: OpsConfig {
            safelist_file: Some(path),
            safelist_allow_introspection: allow_introspection,
            ..OpsConfig::default()
        },
        ..HttpConfig::default()
    };
    TestApp::start(http, Some(SECRET))
        .await
        .with_demo_data()
        .await
}

#[tokio::test]
async fn with_a_safelist_only_its_operations_run() {
    let scratch = Scratch::new();
    let file = scratch.0.join("safelist.json");
    std::fs::write(
        &file,
        serde_json::to_string(&json!({ sha256_hex(LISTED): LISTED })).expect("JSON"),
    )
    .expect("the safelist is written");
    let app = safelisted_app(file, false).await;
    let admin = app.admin();

    let by_hash = post(
        &app,
        None,
        json!({ "extensions": persisted(&sha256_hex(LISTED)) }),
    )
    .await;
    assert_eq!(by_hash.data()["__typename"], "Query");
    let in_full = post(&app, None, json!({ "query": LISTED })).await;
    assert_eq!(in_full.data()["__typename"], "Query");

    let unlisted = "query Unlisted { __typename }";
    for body in [
        json!({ "query": unlisted }),
        json!({ "query": unlisted, "extensions": persisted(&sha256_hex(unlisted)) }),
    ] {
        let refused = post(&app, Some(&admin), body).await;
        assert_eq!(refused.status, 403, "{}", refused.body);
        assert_eq!(refused.error_code(), "PERSISTED_QUERY_NOT_ALLOWED");
        assert!(refused.body.get("data").is_none());
    }
    // Registering is off: the unlisted hash is still unknown.
    let unknown = post(
        &app,
        None,
        json!({ "extensions": persisted(&sha256_hex(unlisted)) }),
    )
    .await;
    assert_eq!(unknown.error_code(), "PERSISTED_QUERY_NOT_FOUND");
    // Introspection is refused, even for staff, unless allowed.
    let introspection = post(&app, Some(&admin), json!({ "query": INTROSPECTION })).await;
    assert_eq!(introspection.status, 403);
    assert_eq!(introspection.error_code(), "PERSISTED_QUERY_NOT_ALLOWED");
}

#[tokio::test]
async fn a_safelist_directory_hashes_its_files_and_may_allow_introspection() {
    let scratch = Scratch::new();
    std::fs::write(scratch.0.join("listed.graphql"), LISTED).expect("a file");
    std::fs::write(scratch.0.join("notes.txt"), "query NotAnOperation { x }").expect("a file");
    let app = safelisted_app(scratch.0.clone(), true).await;
    let admin = app.admin();

    let by_hash = post(
        &app,
        None,
        json!({ "extensions": persisted(&sha256_hex(LISTED)) }),
    )
    .await;
    assert_eq!(by_hash.data()["__typename"], "Query");
    let introspection = post(&app, Some(&admin), json!({ "query": INTROSPECTION })).await;
    assert_eq!(
        introspection.data()["__schema"]["queryType"]["name"],
        "Query"
    );
    // Anonymous callers of a production server still get no introspection.
    let anonymous = post(&app, None, json!({ "query": INTROSPECTION })).await;
    assert_eq!(anonymous.status, 401);
    // Introspection mixed with data is not introspection.
    let mixed = post(
        &app,
        Some(&admin),
        json!({ "query": "{ __schema { queryType { name } } countries { code } }" }),
    )
    .await;
    assert_eq!(mixed.error_code(), "PERSISTED_QUERY_NOT_ALLOWED");
    let unlisted = post(&app, None, json!({ "query": "query NotAnOperation { x }" })).await;
    assert_eq!(unlisted.error_code(), "PERSISTED_QUERY_NOT_ALLOWED");
}

#[test]
fn a_safelist_entry_whose_hash_does_not_match_stops_the_server() {
    let scratch = Scratch::new();
    let file = scratch.0.join("safelist.json");
    std::fs::write(&file, json!({ sha256_hex("{ a }"): "{ b }" }).to_string()).expect("a file");
    let err = hiregraph_api::http::persisted::load_safelist(&file)
        .expect_err("a mismatched safelist is refused");
    assert!(err.to_string().contains("is not the SHA-256"), "{err}");
}

#[tokio::test]
async fn every_log_line_of_a_request_carries_its_id_and_operation_name() {
    let app = dev_app(OpsConfig::default()).await;
    let request_id = format!("ops-log-{}", uuid::Uuid::new_v4().simple());
    let response = app
        .client
        .post(&app.url)
        .header("x-request-id", &request_id)
        .json(&json!({ "query": "query OpsLogProbe { __typename }" }))
        .send()
        .await
        .expect("the server answers");
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["x-request-id"], request_id.as_str());
    let _ = response.text().await;

    let lines: Vec<Value> = json_log()
        .text()
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|line| line["span"]["request_id"] == request_id.as_str())
        .collect();
    let finished: Vec<&Value> = lines
        .iter()
        .filter(|line| line["fields"]["message"] == "operation finished")
        .collect();
    assert_eq!(finished.len(), 1, "one line per operation: {lines:#?}");
    for line in finished {
        assert_eq!(line["span"]["operation_name"], "OpsLogProbe", "{line}");
        assert_eq!(line["fields"]["outcome"], "ok", "{line}");
        assert_eq!(line["level"], "INFO");
    }
}

/// The value of the metric line starting with `series ` in `text`.
fn metric(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' '))
        .and_then(|value| value.trim().parse().ok())
}

async fn scrape(app: &TestApp, token: Option<&str>) -> (u16, String) {
    let mut request = app.client.get(format!("{}/metrics", app.base()));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("the server answers");
    let status = response.status().as_u16();
    (status, response.text().await.expect("a body"))
}

#[tokio::test]
async fn metrics_count_operations_by_name_and_outcome() {
    let app = TestApp::demo().await;
    let admin = app.admin();
    for _ in 0..2 {
        app.graphql(None, "query OpsMetricsOk { __typename }", Value::Null)
            .await
            .data();
    }
    let bad = app
        .graphql(None, "query OpsMetricsBad { noSuchField }", Value::Null)
        .await;
    assert_eq!(bad.error_code(), "GRAPHQL_VALIDATION_FAILED");
    let user_error = app
        .graphql(
            Some(&admin),
            r#"mutation OpsMetricsUserError { createCandidate(input: { email: "nope", name: " " }) { userErrors { code } } }"#,
            Value::Null,
        )
        .await;
    assert!(
        !user_error.data()["createCandidate"]["userErrors"]
            .as_array()
            .expect("userErrors")
            .is_empty()
    );

    let (status, text) = scrape(&app, None).await;
    assert_eq!(status, 200);
    let total = |operation: &str, outcome: &str| {
        metric(
            &text,
            &format!(
                "hiregraph_graphql_requests_total{{operation=\"{operation}\",outcome=\"{outcome}\"}}"
            ),
        )
    };
    assert_eq!(total("OpsMetricsOk", "ok"), Some(2.0), "{text}");
    assert_eq!(total("OpsMetricsBad", "user_error"), Some(1.0), "{text}");
    assert_eq!(
        total("OpsMetricsUserError", "user_error"),
        Some(1.0),
        "{text}"
    );
    assert_eq!(total("OpsMetricsOk", "error"), None);
    assert_eq!(
        metric(
            &text,
            "hiregraph_graphql_request_duration_seconds_count{operation=\"OpsMetricsOk\",outcome=\"ok\"}"
        ),
        Some(2.0)
    );
    assert_eq!(
        metric(
            &text,
            "hiregraph_graphql_request_duration_seconds_bucket{operation=\"OpsMetricsOk\",outcome=\"ok\",le=\"+Inf\"}"
        ),
        Some(2.0)
    );
    let open = metric(&text, "hiregraph_db_pool_connections{state=\"open\"}").expect("open");
    let idle = metric(&text, "hiregraph_db_pool_connections{state=\"idle\"}").expect("idle");
    let in_use = metric(&text, "hiregraph_db_pool_connections{state=\"in_use\"}").expect("in use");
    assert!(
        open >= 1.0 && open <= f64::from(TestApp::POOL_SIZE),
        "{text}"
    );
    assert_eq!(open, idle + in_use);
    assert_eq!(
        metric(&text, "hiregraph_db_pool_max_connections"),
        Some(f64::from(TestApp::POOL_SIZE))
    );
    assert!(metric(&text, "hiregraph_subscriptions_active").is_some());
    assert!(text.contains("# TYPE hiregraph_graphql_request_duration_seconds histogram"));
}

#[tokio::test]
async fn metrics_count_the_sql_statements_a_request_runs() {
    let app = TestApp::demo().await;
    let admin = app.admin();
    let statements = |text: &str| metric(text, "hiregraph_sql_statements_total");
    let (status, text) = scrape(&app, None).await;
    assert_eq!(status, 200);
    assert!(
        text.contains("# TYPE hiregraph_sql_statements_total counter"),
        "{text}"
    );
    let before = statements(&text).expect("the statement counter");
    let ran_before = app.statements();
    let data = app
        .graphql(
            Some(&admin),
            "query OpsMetricsStatements { postings(first: 5) { nodes { title regions { name } interviewPlan { name } } } }",
            Value::Null,
        )
        .await
        .data()
        .clone();
    assert!(
        !data["postings"]["nodes"]
            .as_array()
            .expect("nodes")
            .is_empty()
    );
    let ran = app.statements() - ran_before;
    assert!(ran >= 2, "the request ran {ran} statements");
    let (_, text) = scrape(&app, None).await;
    let after = statements(&text).expect("the statement counter");
    assert_eq!(after - before, ran as f64, "{text}");
    // Scraping runs no statement of its own.
    let (_, again) = scrape(&app, None).await;
    assert_eq!(statements(&again), Some(after));
}

#[tokio::test]
async fn a_metrics_token_guards_the_metrics() {
    let app = dev_app(OpsConfig {
        metrics_token: Some("scrape-me".into()),
        ..OpsConfig::default()
    })
    .await;
    assert_eq!(scrape(&app, None).await.0, 401);
    assert_eq!(scrape(&app, Some("wrong")).await.0, 401);
    let (status, text) = scrape(&app, Some("scrape-me")).await;
    assert_eq!(status, 200);
    assert!(text.contains("hiregraph_db_pool_connections"));
}

#[tokio::test]
async fn not_ready_while_a_migration_is_missing() {
    let app = TestApp::empty().await;
    let readyz = format!("{}/readyz", app.base());
    let ready = app.client.get(&readyz).send().await.expect("an answer");
    assert_eq!(ready.status(), 200);
    assert_eq!(
        ready.json::<Value>().await.expect("JSON")["status"],
        "ready"
    );

    Migrator::down(&app.db.conn, Some(1))
        .await
        .expect("the newest migration is rolled back");
    let newest = Migrator::migrations()
        .last()
        .map(|m| m.name().to_owned())
        .expect("a migration");
    let missing = app.client.get(&readyz).send().await.expect("an answer");
    assert_eq!(missing.status(), 503);
    let body: Value = missing.json().await.expect("JSON");
    assert_eq!(body["status"], "unavailable");
    assert_eq!(body["database"], "ok");
    assert_eq!(body["pendingMigrations"], json!([newest]));

    Migrator::up(&app.db.conn, None)
        .await
        .expect("migrated again");
    let again = app.client.get(&readyz).send().await.expect("an answer");
    assert_eq!(again.status(), 200);
}

#[tokio::test]
async fn large_responses_are_gzipped_for_clients_that_accept_it() {
    let app = dev_app(OpsConfig::default()).await;
    let query = json!({ "query": "{ __schema { types { name description } } }" });
    let plain = app
        .client
        .post(&app.url)
        .json(&query)
        .send()
        .await
        .expect("an answer");
    assert!(plain.headers().get("content-encoding").is_none());
    let plain: Value = plain.json().await.expect("JSON");

    let compressed = app
        .client
        .post(&app.url)
        .header("Accept-Encoding", "gzip")
        .json(&query)
        .send()
        .await
        .expect("an answer");
    assert_eq!(compressed.status(), 200);
    assert_eq!(compressed.headers()["content-encoding"], "gzip");
    let bytes = compressed.bytes().await.expect("a body");
    let mut text = String::new();
    flate2::read::GzDecoder::new(&bytes[..])
        .read_to_string(&mut text)
        .expect("gzip");
    assert!(bytes.len() < text.len());
    let decoded: Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(decoded, plain);

    // Small responses are not worth it.
    let small = app
        .client
        .post(&app.url)
        .header("Accept-Encoding", "gzip")
        .json(&json!({ "query": "{ __typename }" }))
        .send()
        .await
        .expect("an answer");
    assert!(small.headers().get("content-encoding").is_none());
}

/// `hiregraph serve` on a scratch database and a free port.
struct Served {
    child: std::process::Child,
    address: std::net::SocketAddr,
    _scratch: Scratch,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn serve_binary(grace: &str) -> Served {
    serve_binary_with(grace, &[]).await
}

/// `hiregraph serve` as [`serve_binary`], with more environment variables.
async fn serve_binary_with(grace: &str, more: &[(&str, &str)]) -> Served {
    let scratch = Scratch::new();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let address = listener.local_addr().expect("an address");
    drop(listener);
    let child = Command::new(env!("CARGO_BIN_EXE_hiregraph"))
        .arg("serve")
        .env(
            "DATABASE_URL",
            format!(
                "sqlite://{}?mode=rwc",
                scratch.0.join("db.sqlite").display()
            ),
        )
        .env("HIREGRAPH_LISTEN", address.to_string())
        .env("HIREGRAPH_SHUTDOWN_GRACE", grace)
        .env("HIREGRAPH_DEMO_DATA", "never")
        .env("HIREGRAPH_LOG_FORMAT", "json")
        .env("NO_COLOR", "1")
        .env_remove("HIREGRAPH_JWT_SECRET")
        .env_remove("HIREGRAPH_JWT_PUBLIC_KEYS")
        .env_remove("HIREGRAPH_JWT_JWKS_FILE")
        .envs(more.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("hiregraph starts");
    let served = Served {
        child,
        address,
        _scratch: scratch,
    };
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(response) = client.get(format!("http://{address}/readyz")).send().await
            && response.status() == 200
        {
            return served;
        }
        assert!(Instant::now() < deadline, "hiregraph did not become ready");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Starts a POST whose body is only half sent, so the request is in flight.
async fn half_sent_request(address: std::net::SocketAddr) -> (tokio::net::TcpStream, Vec<u8>) {
    let body = json!({ "query": "query InFlight { __typename }" }).to_string();
    let (first, rest) = body.as_bytes().split_at(body.len() / 2);
    let mut stream = tokio::net::TcpStream::connect(address)
        .await
        .expect("a connection");
    let head = format!(
        "POST /graphql HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.expect("sent");
    stream.write_all(first).await.expect("sent");
    stream.flush().await.expect("sent");
    // Let the server read the head before the signal.
    tokio::time::sleep(Duration::from_millis(300)).await;
    (stream, rest.to_vec())
}

fn terminate(child: &std::process::Child) {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
}

/// Waits for the process to exit, at most `limit`.
async fn exit_within(child: &mut std::process::Child, limit: Duration) -> std::process::ExitStatus {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().expect("the process") {
            return status;
        }
        assert!(
            Instant::now() < deadline,
            "hiregraph did not exit within {limit:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn on_sigterm_requests_in_flight_finish_then_the_server_exits() {
    let mut served = serve_binary("10s").await;
    let (mut stream, rest) = half_sent_request(served.address).await;
    terminate(&served.child);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        served.child.try_wait().expect("the process").is_none(),
        "the server waits for the request in flight"
    );
    // No new connections are accepted meanwhile.
    assert!(
        tokio::net::TcpStream::connect(served.address)
            .await
            .is_err(),
        "the listener is closed after the signal"
    );
    stream.write_all(&rest).await.expect("the rest is sent");
    let mut response = String::new();
    tokio::time::timeout(
        Duration::from_secs(10),
        stream.read_to_string(&mut response),
    )
    .await
    .expect("the response comes in time")
    .expect("a response");
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains(r#""__typename":"Query""#), "{response}");
    let status = exit_within(&mut served.child, Duration::from_secs(5)).await;
    assert!(status.success(), "exit status {status:?}");
    let mut log = String::new();
    if let Some(mut stdout) = served.child.stdout.take() {
        let _ = stdout.read_to_string(&mut log);
    }
    assert!(log.contains("shutting down"), "{log}");
    assert!(log.contains("every request finished"), "{log}");
}

#[tokio::test]
async fn a_request_that_outlasts_the_grace_period_does_not_keep_the_server_up() {
    let mut served = serve_binary("1s").await;
    let (_stream, _rest) = half_sent_request(served.address).await;
    let signalled = Instant::now();
    terminate(&served.child);
    let status = exit_within(&mut served.child, Duration::from_secs(8)).await;
    assert!(status.success(), "exit status {status:?}");
    assert!(signalled.elapsed() >= Duration::from_millis(900));
    let mut log = String::new();
    if let Some(mut stdout) = served.child.stdout.take() {
        let _ = stdout.read_to_string(&mut log);
    }
    assert!(log.contains("grace period is over"), "{log}");
}

#[tokio::test]
async fn on_sigterm_open_websockets_are_closed_cleanly_before_the_server_exits() {
    use futures_util::{SinkExt as _, StreamExt as _};
    use tokio_tungstenite::tungstenite::Message;
    use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;

    let mut served = serve_binary("10s").await;
    let mut request = format!("ws://{}/graphql", served.address)
        .into_client_request()
        .expect("a WebSocket request");
    request.headers_mut().insert(
        "sec-websocket-protocol",
        "graphql-transport-ws".parse().expect("a header value"),
    );
    let (mut socket, _) = tokio_tungstenite::connect_async(request)
        .await
        .expect("the upgrade succeeds");
    socket
        .send(Message::Text(
            json!({ "type": "connection_init" }).to_string().into(),
        ))
        .await
        .expect("sent");
    let ack = socket.next().await.expect("a message").expect("a frame");
    assert!(
        ack.to_text().is_ok_and(|t| t.contains("connection_ack")),
        "{ack:?}"
    );

    terminate(&served.child);
    let closed = close_frame(&mut socket).await;
    assert_eq!(u16::from(closed.code), 1001);
    assert_eq!(closed.reason.as_str(), "the server is shutting down");
    drop(socket);
    let status = exit_within(&mut served.child, Duration::from_secs(5)).await;
    assert!(status.success(), "exit status {status:?}");
}

/// Starts a POST of `body` as `token` whose body is only half sent.
async fn half_sent_mutation(
    address: std::net::SocketAddr,
    body: &Value,
    token: &str,
) -> (tokio::net::TcpStream, Vec<u8>) {
    let body = body.to_string();
    let (first, rest) = body.as_bytes().split_at(body.len() / 2);
    let mut stream = tokio::net::TcpStream::connect(address)
        .await
        .expect("a connection");
    let head = format!(
        "POST /graphql HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nAuthorization: Bearer {token}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.expect("sent");
    stream.write_all(first).await.expect("sent");
    stream.flush().await.expect("sent");
    (stream, rest.to_vec())
}

const CREATE_CANDIDATE: &str = "mutation($input: CreateCandidateInput!) { createCandidate(input: $input) { candidate { id email } userErrors { code } } }";

fn new_candidate(email: &str) -> Value {
    json!({ "query": CREATE_CANDIDATE, "variables": { "input": { "email": email, "name": "Zanele Dube", "countryCode": "ZA" } } })
}

#[tokio::test]
async fn on_sigterm_under_load_every_acknowledged_mutation_is_kept_and_the_server_exits_cleanly() {
    use futures_util::{SinkExt as _, StreamExt as _};
    use tokio_tungstenite::tungstenite::Message;
    use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;

    let mut served = serve_binary_with(
        "10s",
        &[
            ("HIREGRAPH_DEMO_DATA", "always"),
            ("HIREGRAPH_JWT_SECRET", SECRET),
        ],
    )
    .await;
    let address = served.address;
    let auth = hiregraph_api::auth::Authenticator::new(&hiregraph_api::config::AuthConfig {
        jwt_secret: Some(SECRET.into()),
        jwt_issuer: "hiregraph".into(),
        jwt_audience: "hiregraph".into(),
        ..Default::default()
    })
    .expect("an authenticator");
    let admin = auth
        .mint(
            crate::support::ADMIN,
            entity::enums::Role::Admin,
            Duration::from_secs(3600),
        )
        .expect("a token");
    let url = format!("http://{address}/graphql");
    let client = reqwest::Client::new();

    // An open subscription.
    let posting = client
        .post(&url)
        .json(&json!({ "query": r#"{ posting(slug: "senior-backend-engineer-elixir") { id } }"# }))
        .send()
        .await
        .expect("an answer")
        .json::<Value>()
        .await
        .expect("JSON");
    let mut request = format!("ws://{address}/graphql")
        .into_client_request()
        .expect("a WebSocket request");
    request.headers_mut().insert(
        "sec-websocket-protocol",
        "graphql-transport-ws".parse().expect("a header value"),
    );
    let (mut socket, _) = tokio_tungstenite::connect_async(request)
        .await
        .expect("the upgrade succeeds");
    socket
        .send(Message::Text(
            json!({ "type": "connection_init", "payload": { "token": admin } })
                .to_string()
                .into(),
        ))
        .await
        .expect("sent");
    let ack = socket.next().await.expect("a message").expect("a frame");
    assert!(
        ack.to_text().is_ok_and(|t| t.contains("connection_ack")),
        "{ack:?}"
    );
    socket
        .send(Message::Text(
            json!({ "type": "subscribe", "id": "pipeline", "payload": {
                "query": "subscription($posting: ID!) { postingPipeline(postingId: $posting) { change } }",
                "variables": { "posting": posting["data"]["posting"]["id"] }
            } })
            .to_string()
            .into(),
        ))
        .await
        .expect("sent");

    // Mutations certainly in flight (half sent), and a burst racing the signal.
    let mut held = Vec::new();
    for n in 0..10 {
        let email = format!("held{n}@example.com");
        held.push((
            email.clone(),
            half_sent_mutation(address, &new_candidate(&email), &admin).await,
        ));
    }
    let mut burst = tokio::task::JoinSet::new();
    for n in 0..40 {
        let (client, url, admin) = (client.clone(), url.clone(), admin.clone());
        burst.spawn(async move {
            let email = format!("burst{n}@example.com");
            let sent = client
                .post(url)
                .bearer_auth(admin)
                .json(&new_candidate(&email))
                .send()
                .await;
            let acknowledged = match sent {
                Ok(response) if response.status() == 200 => {
                    response.json::<Value>().await.ok().is_some_and(|body| {
                        body["data"]["createCandidate"]["candidate"]["email"] == email.as_str()
                    })
                }
                _ => false,
            };
            (email, acknowledged)
        });
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    terminate(&served.child);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        tokio::net::TcpStream::connect(address).await.is_err(),
        "new connections are refused after the signal"
    );

    let mut acknowledged = Vec::new();
    for (email, (mut stream, rest)) in held {
        stream.write_all(&rest).await.expect("the rest is sent");
        let mut response = String::new();
        tokio::time::timeout(
            Duration::from_secs(10),
            stream.read_to_string(&mut response),
        )
        .await
        .expect("the response comes in time")
        .expect("a response");
        assert!(response.starts_with("HTTP/1.1 200"), "{response}");
        assert!(response.contains(&email), "{response}");
        acknowledged.push(email);
    }
    while let Some(joined) = burst.join_next().await {
        let (email, done) = joined.expect("the task runs");
        if done {
            acknowledged.push(email);
        }
    }
    assert!(acknowledged.len() >= 10);

    let closed = close_frame(&mut socket).await;
    assert_eq!(u16::from(closed.code), 1001);
    drop(socket);

    let status = exit_within(&mut served.child, Duration::from_secs(10)).await;
    assert!(status.success(), "exit status {status:?}");

    let db = sea_orm::Database::connect(format!(
        "sqlite://{}?mode=ro",
        served._scratch.0.join("db.sqlite").display()
    ))
    .await
    .expect("the database opens");
    let list = acknowledged
        .iter()
        .map(|email| format!("'{email}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let row = sea_orm::ConnectionTrait::query_one_raw(
        &db,
        sea_orm::Statement::from_string(
            sea_orm::DbBackend::Sqlite,
            format!("SELECT COUNT(*) FROM candidates WHERE email IN ({list})"),
        ),
    )
    .await
    .expect("the query runs")
    .expect("a row");
    let kept: i64 = row.try_get_by_index(0).expect("a number");
    assert_eq!(
        kept as usize,
        acknowledged.len(),
        "every acknowledged mutation is in the database"
    );
}

/// Waits (up to 10 s) for the server's close frame on `socket`, skipping
/// other messages; fails when the connection ends without one.
async fn close_frame<S>(
    socket: &mut tokio_tungstenite::WebSocketStream<S>,
) -> tokio_tungstenite::tungstenite::protocol::CloseFrame
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    use futures_util::StreamExt as _;
    use tokio_tungstenite::tungstenite::Message;
    tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            match socket.next().await {
                Some(Ok(Message::Close(frame))) => return frame,
                Some(Ok(_)) => continue,
                other => panic!("the connection ended without a close frame: {other:?}"),
            }
        }
    })
    .await
    .expect("the close frame comes in time")
    .expect("a close frame with a code")
}
