//! The careers site's `applyToPosting` is open to anyone. Anonymous attempts
//! are rate-limited per network and per email: past the limit the client
//! gets 429, a `Retry-After` header and a RATE_LIMITED error, and nothing is
//! written; staff are not limited. Everything an applicant sends is bounded
//! in size.

use std::time::Duration;

use axum::http::HeaderName;
use entity::enums::Role;
use hiregraph_api::config::HttpConfig;
use hiregraph_api::rate_limit::Rate;
use serde_json::{Value, json};

use crate::support::{RECRUITER, Reply, SECRET, TestApp, error, reply, user_errors};

const APPLY: &str = r#"mutation($email: String!) {
    applyToPosting(input: {slug: "senior-backend-engineer-elixir", email: $email,
        name: "Ifeoma Nwosu", countryCode: "NG", consent: true}) {
        receipt { applicationId alreadyApplied } userErrors { field code }
    }
}"#;

const HOUR: Duration = Duration::from_secs(3600);

/// A demo server whose applying limits are `per_address` and `per_email`.
async fn limited(per_address: Rate, per_email: Rate, header: Option<&'static str>) -> TestApp {
    let http = HttpConfig {
        apply_rate_per_address: per_address,
        apply_rate_per_email: per_email,
        client_address_header: header.map(HeaderName::from_static),
        ..HttpConfig::default()
    };
    TestApp::start(http, Some(SECRET))
        .await
        .with_demo_data()
        .await
}

/// Applies with `email`, anonymously, with `headers`.
async fn apply(app: &TestApp, email: &str, headers: &[(&str, &str)]) -> Reply {
    let mut request = app
        .client
        .post(&app.url)
        .json(&json!({ "query": APPLY, "variables": { "email": email } }));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    reply(request.send().await.expect("a response")).await
}

fn accepted(reply: &Reply) -> bool {
    reply.status == 200
        && reply.body.get("errors").is_none()
        && reply.body["data"]["applyToPosting"]["receipt"]["applicationId"].is_string()
}

/// Asserts `reply` is a refusal for going over a limit, and returns the
/// seconds it says to wait.
fn refused(reply: &Reply) -> u64 {
    assert_eq!(reply.status, 429, "{}", reply.body);
    let header: u64 = reply.headers["retry-after"]
        .to_str()
        .expect("text")
        .parse()
        .expect("Retry-After is whole seconds");
    assert_eq!(reply.error_codes(), ["RATE_LIMITED"]);
    let error = &reply.body["errors"][0];
    assert_eq!(
        error["extensions"]["retryAfter"], header,
        "header and error agree"
    );
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|m| m.contains("try again in")),
        "{error}"
    );
    assert_eq!(reply.body["data"], Value::Null);
    header
}

#[tokio::test]
async fn a_network_gets_its_burst_then_waits_the_interval_and_nothing_is_written() {
    let app = limited(Rate::new(3, HOUR), Rate::OFF, None).await;
    for i in 0..3 {
        let reply = apply(&app, &format!("applicant{i}@example.com"), &[]).await;
        assert!(accepted(&reply), "{}", reply.body);
    }
    let candidates = app.count("SELECT COUNT(*) FROM candidates").await;
    let fourth = apply(&app, "applicant3@example.com", &[]).await;
    let wait = refused(&fourth);
    assert!(
        (1..=1200).contains(&wait),
        "3 an hour lets one more through every 20 minutes, not {wait}s"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM candidates").await,
        candidates,
        "nothing is written"
    );

    let recruiter = app.token(RECRUITER, Role::Recruiter);
    let staff = app
        .graphql(
            Some(&recruiter),
            APPLY,
            json!({ "email": "referred@example.com" }),
        )
        .await;
    assert!(accepted(&staff), "staff are not limited: {}", staff.body);
}

#[tokio::test]
async fn one_email_is_limited_whatever_its_case_or_network() {
    let app = limited(Rate::OFF, Rate::new(2, HOUR), None).await;
    let first = apply(&app, "ifeoma.nwosu@example.com", &[]).await;
    assert!(accepted(&first));
    let again = apply(&app, "ifeoma.nwosu@example.com", &[]).await;
    assert!(accepted(&again));
    assert_eq!(
        again.body["data"]["applyToPosting"]["receipt"]["alreadyApplied"],
        true
    );
    refused(&apply(&app, "  Ifeoma.Nwosu@Example.COM ", &[]).await);
    let someone_else = apply(&app, "chidi.okafor@example.com", &[]).await;
    assert!(accepted(&someone_else), "{}", someone_else.body);
}

#[tokio::test]
async fn behind_a_proxy_the_configured_header_names_the_client() {
    let app = limited(Rate::new(1, HOUR), Rate::OFF, Some("x-forwarded-for")).await;
    let from = |address: &'static str| [("x-forwarded-for", address)];
    assert!(accepted(
        &apply(&app, "a@example.com", &from("203.0.113.5")).await
    ));
    refused(&apply(&app, "b@example.com", &from("203.0.113.5")).await);
    assert!(accepted(
        &apply(&app, "c@example.com", &from("198.51.100.7")).await
    ));
    // The proxy appends the address it saw: a client cannot hide behind a
    // forged first entry.
    refused(&apply(&app, "d@example.com", &from("192.0.2.1, 203.0.113.5")).await);
    // IPv6 clients count by their /64.
    assert!(accepted(
        &apply(&app, "e@example.com", &from("2001:db8:1:2::10")).await
    ));
    refused(&apply(&app, "f@example.com", &from("2001:db8:1:2::20")).await);
}

#[tokio::test]
async fn without_a_configured_header_forwarded_addresses_are_ignored() {
    let app = limited(Rate::new(1, HOUR), Rate::OFF, None).await;
    let first = apply(&app, "a@example.com", &[("x-forwarded-for", "203.0.113.5")]).await;
    assert!(accepted(&first));
    let forged = apply(
        &app,
        "b@example.com",
        &[("x-forwarded-for", "198.51.100.7")],
    )
    .await;
    refused(&forged);
}

#[tokio::test]
async fn the_default_limits_let_a_careers_site_through() {
    let defaults = HttpConfig::default();
    assert_eq!(defaults.apply_rate_per_address, Rate::new(30, HOUR));
    assert_eq!(defaults.apply_rate_per_email, Rate::new(5, HOUR));
    let app = TestApp::demo().await;
    for i in 0..5 {
        let reply = apply(&app, "ifeoma.nwosu@example.com", &[]).await;
        assert!(accepted(&reply), "attempt {i}: {}", reply.body);
    }
    refused(&apply(&app, "ifeoma.nwosu@example.com", &[]).await);
}

#[tokio::test]
async fn everything_an_applicant_sends_is_bounded() {
    let app = TestApp::demo().await;
    let posting = app.demo_posting().await;
    let asked = app
        .admin_data(
            r#"mutation($id: ID!) { updatePosting(input: {id: $id, questions: [{prompt: "Why us?"}]}) {
                posting { questions { id } } userErrors { code } } }"#,
            json!({ "id": posting["id"] }),
        )
        .await;
    let question = asked["updatePosting"]["posting"]["questions"][0]["id"].clone();
    let mut links = vec![format!("https://example.com/{}", "a".repeat(2000))];
    links.extend((1..=10).map(|i| format!("https://example.com/{i}")));
    let input = json!({
        "slug": "senior-backend-engineer-elixir",
        "email": format!("{}@example.com", "a".repeat(250)),
        "name": "N".repeat(201),
        "countryCode": "NG",
        "phone": "1".repeat(41),
        "links": links,
        "answers": [{ "questionId": question, "answer": "x".repeat(10_001) }],
        "consent": true,
    });
    let candidates = app.count("SELECT COUNT(*) FROM candidates").await;
    let reply = app
        .graphql(
            None,
            "mutation($input: ApplyToPostingInput!) { applyToPosting(input: $input) { receipt { applicationId } userErrors { field code } } }",
            json!({ "input": input }),
        )
        .await;
    let payload = &reply.data()["applyToPosting"];
    assert_eq!(payload["receipt"], Value::Null);
    let mut errors = user_errors(payload);
    errors.sort();
    let mut expected = vec![
        error("answers.0.answer", "TOO_LONG"),
        error("email", "TOO_LONG"),
        error("links", "OUT_OF_RANGE"),
        error("links.0", "TOO_LONG"),
        error("name", "TOO_LONG"),
        error("phone", "TOO_LONG"),
    ];
    expected.sort();
    assert_eq!(errors, expected);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM candidates").await,
        candidates,
        "nothing is written"
    );
}
