//! Reliability: the database going away and coming back, overload, slow
//! statements and many writers at once.

use std::time::{Duration, Instant};

use hiregraph_api::config::{HttpConfig, OpsConfig};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

use crate::support::{Proxy, TestApp, log, on_postgres};

const CREATE_CANDIDATE: &str = "mutation($input: CreateCandidateInput!) { createCandidate(input: $input) { candidate { id } userErrors { code } } }";

const POSTING: &str = r#"{ posting(slug: "senior-backend-engineer-elixir") { title } }"#;

fn candidate(email: &str) -> Value {
    json!({ "input": { "email": email, "name": "Zanele Dube", "countryCode": "ZA" } })
}

fn http_with_retry_after(seconds: u64) -> HttpConfig {
    HttpConfig {
        ops: OpsConfig {
            retry_after: Duration::from_secs(seconds),
            ..OpsConfig::default()
        },
        ..HttpConfig::default()
    }
}

/// Asserts `reply` is 503 SERVICE_UNAVAILABLE telling to come back in `seconds`.
fn assert_unavailable(reply: &crate::support::Reply, code: &str, seconds: u64) {
    assert_eq!(reply.status, 503, "{}", reply.body);
    assert_eq!(reply.error_code(), code, "{}", reply.body);
    assert_eq!(
        reply
            .headers
            .get("retry-after")
            .and_then(|v| v.to_str().ok()),
        Some(seconds.to_string().as_str()),
        "{}",
        reply.body
    );
    assert_eq!(
        reply.body["errors"][0]["extensions"]["retryAfter"], seconds,
        "{}",
        reply.body
    );
    let told = reply.body.to_string().to_lowercase();
    assert!(
        !told.contains("sqlx") && !told.contains("127.0.0.1"),
        "{told}"
    );
}

async fn readyz(app: &TestApp) -> u16 {
    app.client
        .get(format!("{}/readyz", app.base()))
        .send()
        .await
        .expect("an answer")
        .status()
        .as_u16()
}

#[tokio::test]
async fn a_database_outage_is_503_with_retry_after_and_heals_without_a_restart() {
    if !on_postgres() {
        eprintln!("skipped: the database outage test needs Postgres (set DATABASE_URL)");
        return;
    }
    let acquire = Duration::from_secs(2);
    let proxy = Proxy::for_url(&std::env::var("DATABASE_URL").unwrap_or_default()).await;
    let app = TestApp::with_db(http_with_retry_after(3), |db| {
        db.database_url = proxy.url(&db.database_url);
        db.db_acquire_timeout = acquire;
    })
    .await
    .with_demo_data()
    .await;
    let admin = app.admin();
    assert_eq!(
        app.graphql(None, POSTING, Value::Null).await.data()["posting"]["title"],
        "Senior Backend Engineer (Elixir)"
    );
    assert_eq!(readyz(&app).await, 200);
    let posting = app.demo_posting().await;
    let mut socket = crate::live::connect(&app, json!({ "token": admin })).await;
    crate::live::subscribe(
        &mut socket,
        "pipeline",
        "subscription($posting: ID!) { postingPipeline(postingId: $posting) { change application { candidate { email } } } }",
        json!({ "posting": posting["id"] }),
    )
    .await;

    proxy.cut();
    let started = Instant::now();
    let anonymous = app.graphql(None, POSTING, Value::Null).await;
    assert_unavailable(&anonymous, "SERVICE_UNAVAILABLE", 3);
    let staff = app
        .graphql(
            Some(&admin),
            "{ candidates(first: 1) { totalCount } }",
            Value::Null,
        )
        .await;
    assert_unavailable(&staff, "SERVICE_UNAVAILABLE", 3);
    let refused = app
        .graphql(
            Some(&admin),
            CREATE_CANDIDATE,
            candidate("outage@example.com"),
        )
        .await;
    assert_unavailable(&refused, "SERVICE_UNAVAILABLE", 3);
    assert!(
        started.elapsed() < 3 * (acquire + Duration::from_secs(1)),
        "each request fails within the acquire timeout: {:?} for three",
        started.elapsed()
    );
    assert_eq!(
        readyz(&app).await,
        503,
        "not ready while the database is away"
    );

    proxy.restore();
    let restored = Instant::now();
    loop {
        let reply = app.graphql(None, POSTING, Value::Null).await;
        if reply.status == 200 && reply.body.get("errors").is_none() {
            break;
        }
        assert!(
            restored.elapsed() < Duration::from_secs(15),
            "still failing after the database came back: {}",
            reply.body
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(restored.elapsed() < Duration::from_secs(10));
    assert_eq!(readyz(&app).await, 200, "ready again");
    let created = app
        .graphql(
            Some(&admin),
            CREATE_CANDIDATE,
            candidate("after@example.com"),
        )
        .await;
    assert!(
        created.data()["createCandidate"]["candidate"]["id"].is_string(),
        "{}",
        created.body
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM candidates WHERE email = 'after@example.com'")
            .await,
        1,
        "the acknowledged mutation is in the database"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM candidates WHERE email = 'outage@example.com'")
            .await,
        0,
        "the refused mutation wrote nothing"
    );

    // The subscription opened before the outage hears of changes again once
    // the event listener has reconnected (within seconds).
    let mut heard = false;
    for n in 0..20 {
        let applied = app
            .graphql(None, APPLY, applicant(&format!("heard{n}@example.com")))
            .await;
        assert_done(&applied, "applyToPosting");
        if let Ok(Some(Ok(message))) = tokio::time::timeout(
            Duration::from_millis(500),
            futures_util::StreamExt::next(&mut socket),
        )
        .await
            && message.to_text().is_ok_and(|text| text.contains("CREATED"))
        {
            heard = true;
            break;
        }
    }
    assert!(heard, "the subscriber hears of changes after the outage");
}

#[tokio::test]
async fn a_statement_past_the_statement_timeout_is_cancelled_with_query_timeout_and_rolled_back() {
    if !on_postgres() {
        eprintln!("skipped: statement timeouts are Postgres only (SQLite has none)");
        return;
    }
    let app = TestApp::with_db(http_with_retry_after(2), |db| {
        db.db_statement_timeout = Duration::from_millis(300);
    })
    .await
    .with_demo_data()
    .await;
    let admin = app.admin();
    // Another session holds a lock every mutation needs: its audit event
    // waits for it, inside the mutation's transaction.
    let other = sea_orm::Database::connect(app.database_url())
        .await
        .expect("a second session");
    let holder = sea_orm::TransactionTrait::begin(&other)
        .await
        .expect("a transaction");
    sea_orm::ConnectionTrait::execute_unprepared(
        &holder,
        "LOCK TABLE audit_events IN ACCESS EXCLUSIVE MODE",
    )
    .await
    .expect("the lock");

    let started = Instant::now();
    let timed_out = app
        .graphql(
            Some(&admin),
            CREATE_CANDIDATE,
            candidate("slow@example.com"),
        )
        .await;
    assert_unavailable(&timed_out, "QUERY_TIMEOUT", 2);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "cancelled after the statement timeout, not the request timeout: {:?}",
        started.elapsed()
    );
    holder.rollback().await.expect("the lock is let go");

    assert_eq!(
        app.count("SELECT COUNT(*) FROM candidates WHERE email = 'slow@example.com'")
            .await,
        0,
        "the cancelled mutation's transaction was rolled back"
    );
    assert!(
        log().text().contains("ran out of time and was cancelled"),
        "the cancellation is logged"
    );
    let created = app
        .graphql(
            Some(&admin),
            CREATE_CANDIDATE,
            candidate("quick@example.com"),
        )
        .await;
    assert!(created.data()["createCandidate"]["candidate"]["id"].is_string());
}

/// Starts a POST whose body is only half sent: the request holds its place
/// among those in flight until the rest comes.
async fn half_sent(app: &TestApp, body: &Value) -> (tokio::net::TcpStream, Vec<u8>) {
    let body = body.to_string();
    let (first, rest) = body.as_bytes().split_at(body.len() / 2);
    let address = app.base().trim_start_matches("http://").to_owned();
    let mut stream = tokio::net::TcpStream::connect(&address)
        .await
        .expect("a connection");
    let head = format!(
        "POST /graphql HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.expect("sent");
    stream.write_all(first).await.expect("sent");
    stream.flush().await.expect("sent");
    (stream, rest.to_vec())
}

fn shed_total(metrics: &str) -> f64 {
    metrics
        .lines()
        .find_map(|line| line.strip_prefix("hiregraph_requests_shed_total "))
        .and_then(|value| value.trim().parse().ok())
        .expect("the shed counter is exposed")
}

#[tokio::test]
async fn past_the_concurrency_cap_requests_are_shed_at_once_but_health_checks_are_not() {
    let mut http = http_with_retry_after(4);
    http.ops.max_concurrent_requests = 1;
    let app = TestApp::start(http, None).await;
    let metrics = |app: &TestApp| {
        let request = app.client.get(format!("{}/metrics", app.base())).send();
        async move {
            let response = request.await.expect("an answer");
            assert_eq!(response.status(), 200);
            response.text().await.expect("a body")
        }
    };
    let shed_before = shed_total(&metrics(&app).await);

    let (mut held, rest) = half_sent(&app, &json!({ "query": "query Held { __typename }" })).await;
    tokio::time::sleep(Duration::from_millis(300)).await;

    let started = Instant::now();
    let shed = app.graphql(None, "{ __typename }", Value::Null).await;
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "shed at once, not queued"
    );
    assert_unavailable(&shed, "SERVICE_UNAVAILABLE", 4);
    assert_eq!(
        shed.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/json")
    );
    for path in ["/healthz", "/readyz"] {
        let status = app
            .client
            .get(format!("{}{path}", app.base()))
            .send()
            .await
            .expect("an answer")
            .status();
        assert_eq!(status, 200, "{path} is never shed");
    }
    assert!(shed_total(&metrics(&app).await) >= shed_before + 1.0);

    held.write_all(&rest).await.expect("the rest is sent");
    let mut response = String::new();
    tokio::time::timeout(Duration::from_secs(10), held.read_to_string(&mut response))
        .await
        .expect("the held request finishes")
        .expect("a response");
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains(r#""__typename":"Query""#), "{response}");
    let after = app.graphql(None, "{ __typename }", Value::Null).await;
    assert_eq!(
        after.status, 200,
        "a free place is taken again: {}",
        after.body
    );
}

const APPLY: &str = "mutation($input: ApplyToPostingInput!) { applyToPosting(input: $input) { receipt { applicationId } userErrors { field code } } }";
const MOVE: &str = "mutation($input: MoveApplicationToStageInput!) { moveApplicationToStage(input: $input) { application { currentStage { position } } userErrors { field code } } }";

fn applicant(email: &str) -> Value {
    json!({ "input": {
        "slug": "senior-backend-engineer-elixir",
        "email": email,
        "name": "Amara Okafor",
        "countryCode": "NG",
        "timeZone": "Africa/Lagos",
        "consent": true
    } })
}

/// Asserts a mutation answered 200 with no error and no user error.
fn assert_done(reply: &crate::support::Reply, field: &str) {
    assert_eq!(reply.status, 200, "{}", reply.body);
    let payload = &reply.data()[field];
    assert_eq!(payload["userErrors"], json!([]), "{field}: {}", reply.body);
}

#[tokio::test]
async fn many_writers_at_once_all_succeed_and_never_see_a_locked_database() {
    let http = HttpConfig {
        apply_rate_per_address: "off".parse().expect("a rate"),
        ..HttpConfig::default()
    };
    let app = TestApp::start(http, Some(crate::support::SECRET))
        .await
        .with_demo_data()
        .await;
    let admin = app.admin();
    let posting = app.demo_posting().await;
    let second_stage = posting["interviewPlan"]
        .as_array()
        .expect("a plan")
        .iter()
        .find(|stage| stage["position"] == 2)
        .expect("a second stage")["id"]
        .clone();

    // Applications to move, one each, at the first stage.
    let mut movable = Vec::new();
    for n in 0..20 {
        let reply = app
            .graphql(None, APPLY, applicant(&format!("mover{n}@example.com")))
            .await;
        assert_done(&reply, "applyToPosting");
        movable.push(reply.body["data"]["applyToPosting"]["receipt"]["applicationId"].clone());
    }

    let mut writes = tokio::task::JoinSet::new();
    for n in 0..20 {
        let (client, url) = (app.client.clone(), app.url.clone());
        writes.spawn(async move {
            let body =
                json!({ "query": APPLY, "variables": applicant(&format!("new{n}@example.com")) });
            ("applyToPosting", client.post(url).json(&body).send().await)
        });
    }
    for n in 0..20 {
        let (client, url, admin) = (app.client.clone(), app.url.clone(), admin.clone());
        writes.spawn(async move {
            let body = json!({ "query": CREATE_CANDIDATE, "variables": candidate(&format!("created{n}@example.com")) });
            (
                "createCandidate",
                client.post(url).bearer_auth(admin).json(&body).send().await,
            )
        });
    }
    for id in movable {
        let (client, url, admin) = (app.client.clone(), app.url.clone(), admin.clone());
        let stage = second_stage.clone();
        writes.spawn(async move {
            let body = json!({ "query": MOVE, "variables": { "input": { "applicationId": id, "stageId": stage, "expectedVersion": 1 } } });
            (
                "moveApplicationToStage",
                client.post(url).bearer_auth(admin).json(&body).send().await,
            )
        });
    }
    let mut done = 0;
    while let Some(joined) = writes.join_next().await {
        let (field, sent) = joined.expect("the task runs");
        let reply = crate::support::reply(sent.expect("an answer")).await;
        assert_done(&reply, field);
        done += 1;
    }
    assert_eq!(done, 60);
    assert!(!log().text().contains("database is locked"));

    assert_eq!(
        app.count("SELECT COUNT(*) FROM candidates WHERE email LIKE 'new%@example.com'")
            .await,
        20
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM candidates WHERE email LIKE 'created%@example.com'")
            .await,
        20
    );
    let moved = app
        .count(
            "SELECT COUNT(*) FROM applications a JOIN candidates c ON c.id = a.candidate_id \
             JOIN interview_stages s ON s.id = a.current_stage_id \
             WHERE c.email LIKE 'mover%@example.com' AND s.position = 2",
        )
        .await;
    assert_eq!(moved, 20);
}
