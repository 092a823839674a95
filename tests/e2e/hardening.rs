//! The hardened endpoint: each query limit with the query that breaks it and
//! one just inside it, the cost reported in `extensions.cost`, CORS,
//! introspection and suggestions in production mode, and the media types
//! and statuses of the GraphQL-over-HTTP specification.

use std::time::Duration;

use hiregraph_api::config::{HttpConfig, LimitsConfig};
use sea_orm::TransactionTrait;
use serde_json::{Value, json};

use crate::protocol::INTROSPECTION;
use crate::support::{Reply, SECRET, TestApp, reply};

const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";

/// The example of the cost rules: 1 + 10 × (1 + 1 + 1 + 5 × 3) = 181.
const COSTS_181: &str = "{ postings(first: 10) { edges { node { applications(first: 5) { edges { node { id } } } } } } }";

/// HTTP settings with `limits`.
fn limits(limits: LimitsConfig) -> HttpConfig {
    HttpConfig {
        limits,
        ..HttpConfig::default()
    }
}

/// A production server over the demo data with the query limits `limits`.
async fn limited(limits: LimitsConfig) -> TestApp {
    TestApp::start(self::limits(limits), Some(SECRET))
        .await
        .with_demo_data()
        .await
}

/// Sends `body` as JSON, accepting `accept`, as `token`.
async fn post(app: &TestApp, accept: &str, token: Option<&str>, body: Value) -> Reply {
    let mut request = app
        .client
        .post(&app.url)
        .header("accept", accept)
        .json(&body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    reply(request.send().await.expect("a response")).await
}

/// Sends `query` accepting `application/graphql-response+json`.
async fn strict(app: &TestApp, token: Option<&str>, query: &str) -> Reply {
    post(app, GRAPHQL_RESPONSE_JSON, token, json!({ "query": query })).await
}

/// Asserts a request error: 400 with the code and no `data`.
fn assert_refused(reply: &Reply, code: &str) {
    assert_eq!(reply.status, 400, "{}", reply.body);
    assert_eq!(reply.error_code(), code, "{}", reply.body);
    assert!(
        reply.body.get("data").is_none(),
        "a refused request has no data: {}",
        reply.body
    );
    assert_eq!(reply.headers["content-type"], GRAPHQL_RESPONSE_JSON);
}

fn message(reply: &Reply) -> String {
    reply.body["errors"][0]["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn every_response_reports_its_cost_like_shopify() {
    let app = TestApp::demo().await;
    let admin = app.admin();
    let reply = app.graphql(Some(&admin), COSTS_181, Value::Null).await;
    assert!(
        reply.data()["postings"]["edges"]
            .as_array()
            .is_some_and(|edges| !edges.is_empty())
    );
    assert_eq!(
        reply.body["extensions"]["cost"],
        json!({ "requestedQueryCost": 181, "maximumAvailable": LimitsConfig::COST })
    );

    // Page sizes given as variables count the same.
    let reply = app
        .graphql(
            Some(&admin),
            "query($n: Int!, $m: Int = 5) { postings(first: $n) { edges { node { applications(first: $m) { edges { node { id } } } } } } }",
            json!({ "n": 10 }),
        )
        .await;
    assert_eq!(reply.body["extensions"]["cost"]["requestedQueryCost"], 181);

    let cheap = app.graphql(None, "{ __typename }", Value::Null).await;
    assert_eq!(cheap.body["extensions"]["cost"]["requestedQueryCost"], 1);
}

#[tokio::test]
async fn a_query_over_the_cost_limit_is_refused_before_it_runs() {
    let app = limited(LimitsConfig {
        max_cost: 181,
        ..LimitsConfig::default()
    })
    .await;
    let admin = app.admin();

    let inside = strict(&app, Some(&admin), COSTS_181).await;
    assert_eq!(inside.status, 200, "{}", inside.body);
    assert_eq!(
        inside.body["extensions"]["cost"],
        json!({ "requestedQueryCost": 181, "maximumAvailable": 181 })
    );

    // One more posting per page: 1 + 11 × 18 = 199.
    let statements = app.statements();
    let over = strict(
        &app,
        Some(&admin),
        &COSTS_181.replace("first: 10", "first: 11"),
    )
    .await;
    assert_refused(&over, "QUERY_TOO_COMPLEX");
    assert!(
        message(&over).contains("199") && message(&over).contains("181"),
        "{}",
        over.body
    );
    assert_eq!(
        over.body["extensions"]["cost"],
        json!({ "requestedQueryCost": 199, "maximumAvailable": 181 })
    );
    assert_eq!(app.statements(), statements, "nothing ran");

    // The same through a variable, for a legacy client: 200, still no data.
    let legacy = app
        .graphql(
            Some(&admin),
            "query($n: Int!) { postings(first: $n) { edges { node { applications(first: 5) { edges { node { id } } } } } } }",
            json!({ "n": 11 }),
        )
        .await;
    assert_eq!(legacy.status, 200);
    assert_eq!(legacy.error_code(), "QUERY_TOO_COMPLEX");
    assert!(legacy.body.get("data").is_none());
}

#[tokio::test]
async fn a_query_deeper_than_the_configured_depth_is_refused() {
    let app = limited(LimitsConfig {
        max_depth: 5,
        ..LimitsConfig::default()
    })
    .await;
    // postings > edges > node > interviewPlan > name: depth 5.
    let inside = strict(
        &app,
        None,
        "{ postings(first: 1) { edges { node { interviewPlan { name } } } } }",
    )
    .await;
    assert_eq!(inside.status, 200, "{}", inside.body);
    let over = strict(
        &app,
        None,
        "{ postings(first: 1) { edges { node { interviewPlan { posting { id } } } } } }",
    )
    .await;
    assert_refused(&over, "GRAPHQL_VALIDATION_FAILED");
}

#[tokio::test]
async fn a_query_with_too_many_aliases_is_refused() {
    let app = TestApp::start(
        limits(LimitsConfig {
            max_aliases: 3,
            ..LimitsConfig::default()
        }),
        Some(SECRET),
    )
    .await;
    let inside = strict(
        &app,
        None,
        "{ a: __typename b: __typename ...F } fragment F on Query { c: __typename }",
    )
    .await;
    assert_eq!(inside.status, 200, "{}", inside.body);
    assert_eq!(
        inside.body["data"],
        json!({ "a": "Query", "b": "Query", "c": "Query" })
    );

    let over = strict(
        &app,
        None,
        "{ a: __typename b: __typename ...F } fragment F on Query { c: __typename d: __typename }",
    )
    .await;
    assert_refused(&over, "TOO_MANY_ALIASES");
    assert!(message(&over).contains("4 aliases"), "{}", over.body);
}

#[tokio::test]
async fn a_document_with_too_many_tokens_is_refused_before_parsing() {
    let app = limited(LimitsConfig {
        max_tokens: 11,
        ..LimitsConfig::default()
    })
    .await;
    // { posting ( slug : "…" ) { title } }: 11 tokens, however it is laid out.
    let inside = strict(
        &app,
        None,
        "# the careers page\n{\n  posting(slug: \"senior-backend-engineer-elixir\") {\n    title,\n  }\n}\n",
    )
    .await;
    assert_eq!(inside.status, 200, "{}", inside.body);
    assert_eq!(
        inside.body["data"]["posting"]["title"],
        "Senior Backend Engineer (Elixir)"
    );

    let over = strict(
        &app,
        None,
        r#"{ posting(slug: "senior-backend-engineer-elixir") { title slug } }"#,
    )
    .await;
    assert_refused(&over, "TOO_MANY_TOKENS");

    // A document far over the limit (and unparseable) is refused for its size.
    let huge = strict(&app, None, &"{ a ".repeat(100_000)).await;
    assert_refused(&huge, "TOO_MANY_TOKENS");
}

#[tokio::test]
async fn deeply_nested_brackets_are_refused_before_the_parser_sees_them() {
    let app = TestApp::demo().await;
    let nested = |levels: usize| {
        format!(
            "{{ postings(first: 1, filter: {{statuses: {}OPEN{}}}) {{ totalCount }} }}",
            "[".repeat(levels),
            "]".repeat(levels)
        )
    };
    // Deep enough to exhaust the parser's stack: refused, and the server lives on.
    let deep = strict(&app, None, &nested(600)).await;
    assert_refused(&deep, "GRAPHQL_PARSE_FAILED");
    let shallow = app.graphql(None, &nested(1), Value::Null).await;
    assert_eq!(shallow.data()["postings"]["totalCount"], 1);
}

#[tokio::test]
async fn a_body_over_the_limit_gets_413_with_a_graphql_error() {
    let app = TestApp::start(
        HttpConfig {
            max_body_bytes: 1024,
            ..HttpConfig::default()
        },
        Some(SECRET),
    )
    .await;
    // Comments are not tokens: only the body limit applies to the padding.
    let padded = |bytes: usize| {
        let query = format!("{{ __typename }} #{}", "x".repeat(bytes));
        json!({ "query": query })
    };
    let inside = post(&app, GRAPHQL_RESPONSE_JSON, None, padded(900)).await;
    assert_eq!(inside.status, 200, "{}", inside.body);

    let over = post(&app, GRAPHQL_RESPONSE_JSON, None, padded(2_000)).await;
    assert_eq!(over.status, 413);
    assert_eq!(over.error_code(), "REQUEST_TOO_LARGE");
    assert_eq!(over.headers["content-type"], GRAPHQL_RESPONSE_JSON);
}

#[tokio::test]
async fn a_request_past_the_time_limit_is_cancelled_with_503_and_a_stable_code() {
    let app = TestApp::start(
        HttpConfig {
            request_timeout: Duration::from_millis(200),
            ..HttpConfig::default()
        },
        Some(SECRET),
    )
    .await
    .with_demo_data()
    .await;
    // Every connection of the server's pool is taken, so a request waits
    // for one until its time is up, however fast the machine.
    let mut held = Vec::new();
    for _ in 0..TestApp::POOL_SIZE {
        held.push(app.db.conn.begin().await.expect("a connection"));
    }
    let timed_out = strict(&app, None, "{ postings(first: 5) { totalCount } }").await;
    assert_eq!(timed_out.status, 503);
    assert_eq!(timed_out.error_code(), "TIMEOUT");
    assert_eq!(timed_out.headers["content-type"], GRAPHQL_RESPONSE_JSON);
    assert!(timed_out.body.get("data").is_none());
    let legacy = app
        .graphql(None, "{ postings(first: 5) { totalCount } }", Value::Null)
        .await;
    assert_eq!(legacy.status, 503);
    assert_eq!(legacy.headers["content-type"], "application/json");
    assert_eq!(legacy.error_code(), "TIMEOUT");
    drop(held);
    let afterwards = app
        .graphql(None, "{ postings(first: 5) { totalCount } }", Value::Null)
        .await;
    assert_eq!(afterwards.status, 200, "{}", afterwards.body);
}

#[tokio::test]
async fn batches_are_off_by_default_and_share_one_cost_limit_when_on() {
    let two = json!([
        { "query": "{ postings(first: 5) { totalCount } }" },
        { "query": "query Q { viewer { isAnonymous } }", "operationName": "Q" }
    ]);
    let off = TestApp::demo().await;
    let refused = post(&off, GRAPHQL_RESPONSE_JSON, None, two.clone()).await;
    assert_eq!(refused.status, 400);
    assert_eq!(refused.error_code(), "BAD_REQUEST");

    let app = limited(LimitsConfig {
        max_batch: 2,
        max_cost: 10,
        ..LimitsConfig::default()
    })
    .await;
    let ran = post(&app, GRAPHQL_RESPONSE_JSON, None, two).await;
    assert_eq!(ran.status, 200, "{}", ran.body);
    assert_eq!(ran.body[0]["data"]["postings"]["totalCount"], 1);
    assert_eq!(ran.body[1]["data"]["viewer"]["isAnonymous"], true);
    assert_eq!(ran.body[0]["extensions"]["cost"]["requestedQueryCost"], 6);

    let three = json!([
        { "query": "{ __typename }" },
        { "query": "{ __typename }" },
        { "query": "{ __typename }" }
    ]);
    let too_many = post(&app, GRAPHQL_RESPONSE_JSON, None, three).await;
    assert_eq!(too_many.status, 400);
    assert_eq!(too_many.error_code(), "BAD_REQUEST");

    // 6 + 6 is over the shared limit of 10, though each fits alone.
    let costly = json!([
        { "query": "{ postings(first: 5) { totalCount } }" },
        { "query": "{ postings(first: 5) { totalCount } }" }
    ]);
    let over = post(&app, GRAPHQL_RESPONSE_JSON, None, costly).await;
    assert_eq!(
        over.body[0]["errors"][0]["extensions"]["code"],
        "QUERY_TOO_COMPLEX"
    );
    assert_eq!(
        over.body[1]["errors"][0]["extensions"]["code"],
        "QUERY_TOO_COMPLEX"
    );
    assert!(over.body[0].get("data").is_none());
}

#[tokio::test]
async fn graphiqls_introspection_query_fits_every_default_limit() {
    let app = TestApp::demo().await;
    let reply = strict(&app, Some(&app.admin()), INTROSPECTION).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(
        reply.body["data"]["__schema"]["types"]
            .as_array()
            .is_some_and(|t| t.len() > 50)
    );
    let cost = reply.body["extensions"]["cost"]["requestedQueryCost"]
        .as_u64()
        .unwrap_or(u64::MAX);
    assert!(cost < LimitsConfig::COST, "{cost}");
}

#[tokio::test]
async fn anonymous_callers_of_a_production_server_may_not_introspect() {
    let app = TestApp::demo().await;
    let anonymous = strict(&app, None, INTROSPECTION).await;
    assert_eq!(anonymous.status, 401, "{}", anonymous.body);
    assert_eq!(anonymous.error_code(), "UNAUTHENTICATED");
    assert!(anonymous.body.get("data").is_none());
    assert_eq!(anonymous.headers["www-authenticate"], "Bearer");

    let by_type = strict(&app, None, r#"{ __type(name: "Posting") { name } }"#).await;
    assert_eq!(by_type.status, 401, "{}", by_type.body);
    let hidden = strict(
        &app,
        None,
        r#"query { ...F } fragment F on Query { __schema { queryType { name } } }"#,
    )
    .await;
    assert_eq!(hidden.status, 401, "{}", hidden.body);

    // __typename is not introspection of the schema.
    let typename = strict(&app, None, "{ __typename }").await;
    assert_eq!(typename.status, 200);
    assert_eq!(typename.body["data"]["__typename"], "Query");

    let staff = strict(
        &app,
        Some(&app.admin()),
        r#"{ __type(name: "Posting") { name } }"#,
    )
    .await;
    assert_eq!(staff.status, 200, "{}", staff.body);
    assert_eq!(staff.body["data"]["__type"]["name"], "Posting");
}

#[tokio::test]
async fn everyone_may_introspect_a_development_server() {
    let app = TestApp::start(HttpConfig::default(), None).await;
    let anonymous = strict(&app, None, INTROSPECTION).await;
    assert_eq!(anonymous.status, 200, "{}", anonymous.body);
    assert!(anonymous.body["data"]["__schema"]["types"].is_array());
}

#[tokio::test]
async fn only_staff_get_field_suggestions_from_a_production_server() {
    let typo = "{ postings(first: 1) { nodes { titl } } }";
    let app = TestApp::demo().await;
    let anonymous = strict(&app, None, typo).await;
    assert_refused(&anonymous, "GRAPHQL_VALIDATION_FAILED");
    assert!(
        !message(&anonymous).contains("Did you mean"),
        "{}",
        anonymous.body
    );
    let staff = strict(&app, Some(&app.admin()), typo).await;
    assert_refused(&staff, "GRAPHQL_VALIDATION_FAILED");
    assert!(message(&staff).contains("Did you mean"), "{}", staff.body);

    let development = TestApp::start(HttpConfig::default(), None).await;
    let anonymous = strict(&development, None, typo).await;
    assert!(
        message(&anonymous).contains("Did you mean"),
        "{}",
        anonymous.body
    );
}

#[tokio::test]
async fn only_configured_origins_pass_cors() {
    let allowed = "https://hiring.example.com";
    let app = TestApp::start(
        HttpConfig {
            cors_origins: vec![allowed.to_owned()],
            ..HttpConfig::default()
        },
        Some(SECRET),
    )
    .await;
    let preflight = |origin: &str| {
        app.client
            .request(reqwest::Method::OPTIONS, &app.url)
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "content-type, authorization",
            )
            .send()
    };

    let ok = preflight(allowed).await.expect("a response");
    assert!(ok.status().is_success(), "{}", ok.status());
    let headers = ok.headers();
    assert_eq!(headers["access-control-allow-origin"], allowed);
    let methods = headers["access-control-allow-methods"]
        .to_str()
        .unwrap_or_default()
        .to_ascii_uppercase();
    assert!(
        methods.contains("POST") && methods.contains("GET"),
        "{methods}"
    );
    let allowed_headers = headers["access-control-allow-headers"]
        .to_str()
        .unwrap_or_default()
        .to_ascii_lowercase();
    assert!(
        allowed_headers.contains("content-type") && allowed_headers.contains("authorization"),
        "{allowed_headers}"
    );

    let refused = preflight("https://evil.example.net")
        .await
        .expect("a response");
    assert!(
        refused
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );

    // Actual requests: the allowed origin may read the response, others not.
    let from = |origin: &str| {
        app.client
            .post(&app.url)
            .header("origin", origin)
            .json(&json!({ "query": "{ __typename }" }))
            .send()
    };
    let read = from(allowed).await.expect("a response");
    assert_eq!(read.headers()["access-control-allow-origin"], allowed);
    let unread = from("https://evil.example.net").await.expect("a response");
    assert!(
        unread
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
}

#[tokio::test]
async fn without_configured_origins_there_are_no_cors_headers() {
    let app = TestApp::empty().await;
    let preflight = app
        .client
        .request(reqwest::Method::OPTIONS, &app.url)
        .header("origin", "https://hiring.example.com")
        .header("access-control-request-method", "POST")
        .send()
        .await
        .expect("a response");
    assert!(
        preflight
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
    let post = app
        .client
        .post(&app.url)
        .header("origin", "https://hiring.example.com")
        .json(&json!({ "query": "{ __typename }" }))
        .send()
        .await
        .expect("a response");
    assert_eq!(post.status(), 200);
    assert!(post.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn posts_a_browser_may_send_cross_site_without_a_preflight_are_refused() {
    let app = TestApp::demo().await;
    let mutation = r#"mutation { createSkill(input: {name: "Rust"}) { skill { id } } }"#;
    let form = app
        .client
        .post(&app.url)
        .header("content-type", "application/x-www-form-urlencoded")
        .bearer_auth(app.admin())
        .body(format!("query={mutation}"))
        .send()
        .await
        .expect("a response");
    let form = reply(form).await;
    assert_eq!(form.status, 415);
    assert_eq!(form.error_code(), "BAD_REQUEST");

    let text = app
        .client
        .post(&app.url)
        .header("content-type", "text/plain;charset=UTF-8")
        .bearer_auth(app.admin())
        .body(json!({ "query": mutation }).to_string())
        .send()
        .await
        .expect("a response");
    assert_eq!(text.status(), 415);

    let multipart = app
        .client
        .post(&app.url)
        .header("content-type", "multipart/form-data; boundary=X")
        .bearer_auth(app.admin())
        .body(format!(
            "--X\r\nContent-Disposition: form-data; name=\"operations\"\r\n\r\n{}\r\n--X--\r\n",
            json!({ "query": mutation })
        ))
        .send()
        .await
        .expect("a response");
    assert_eq!(multipart.status(), 415);

    let none = app
        .client
        .post(&app.url)
        .bearer_auth(app.admin())
        .body(json!({ "query": mutation }).to_string())
        .send()
        .await
        .expect("a response");
    assert_eq!(none.status(), 415);

    let latin1 = app
        .client
        .post(&app.url)
        .header("content-type", "application/json; charset=iso-8859-1")
        .bearer_auth(app.admin())
        .body(json!({ "query": mutation }).to_string())
        .send()
        .await
        .expect("a response");
    assert_eq!(latin1.status(), 415);

    assert_eq!(
        app.count("SELECT COUNT(*) FROM skills WHERE name = 'Rust'")
            .await,
        0,
        "no mutation ran"
    );
}

#[tokio::test]
async fn methods_and_media_types_get_their_statuses() {
    let app = TestApp::demo().await;
    // 406: nothing acceptable.
    let not_acceptable = post(&app, "text/csv", None, json!({ "query": "{ __typename }" })).await;
    assert_eq!(not_acceptable.status, 406);
    assert_eq!(not_acceptable.error_code(), "BAD_REQUEST");
    // A quality of 0 refuses a type.
    let refused = post(
        &app,
        "application/json;q=0, application/graphql-response+json;q=0",
        None,
        json!({ "query": "{ __typename }" }),
    )
    .await;
    assert_eq!(refused.status, 406);

    // 405 with Allow: a mutation over GET, whatever the media type.
    let get_mutation = app
        .client
        .get(&app.url)
        .header("accept", GRAPHQL_RESPONSE_JSON)
        .query(&[(
            "query",
            r#"mutation { createSkill(input: {name: "Rust"}) { skill { id } } }"#,
        )])
        .bearer_auth(app.admin())
        .send()
        .await
        .expect("a response");
    let get_mutation = reply(get_mutation).await;
    assert_eq!(get_mutation.status, 405);
    assert_eq!(get_mutation.headers["allow"], "POST");
    assert_eq!(get_mutation.error_code(), "BAD_REQUEST");
    // Other methods: 405 with the methods the endpoint takes.
    let put = app
        .client
        .put(&app.url)
        .json(&json!({ "query": "{ __typename }" }))
        .send()
        .await
        .expect("a response");
    assert_eq!(put.status(), 405);
    let allow = put.headers()["allow"]
        .to_str()
        .unwrap_or_default()
        .to_owned();
    assert!(allow.contains("GET") && allow.contains("POST"), "{allow}");

    // GET takes operationName and variables.
    let get = app
        .client
        .get(&app.url)
        .header("accept", GRAPHQL_RESPONSE_JSON)
        .query(&[
            (
                "query",
                "query A { __typename } query B($n: Int!) { postings(first: $n) { totalCount } }",
            ),
            ("operationName", "B"),
            ("variables", r#"{"n": 1}"#),
        ])
        .send()
        .await
        .expect("a response");
    let get = reply(get).await;
    assert_eq!(get.status, 200, "{}", get.body);
    assert_eq!(get.body["data"]["postings"]["totalCount"], 1);
}

#[tokio::test]
async fn request_errors_have_no_data_and_400_only_for_graphql_response_json() {
    let app = TestApp::demo().await;
    for (query, variables, code) in [
        ("{", Value::Null, "GRAPHQL_PARSE_FAILED"),
        ("{ nope }", Value::Null, "GRAPHQL_VALIDATION_FAILED"),
        (
            "query($n: Int!) { postings(first: $n) { totalCount } }",
            json!({ "n": "ten" }),
            "BAD_USER_INPUT",
        ),
    ] {
        let body = json!({ "query": query, "variables": variables });
        let strict = post(&app, GRAPHQL_RESPONSE_JSON, None, body.clone()).await;
        assert_eq!(strict.status, 400, "{query}: {}", strict.body);
        assert!(
            strict.body.get("data").is_none(),
            "{query}: {}",
            strict.body
        );
        assert_eq!(strict.error_code(), code, "{query}");

        let legacy = post(&app, "application/json", None, body).await;
        assert_eq!(legacy.status, 200, "{query}: {}", legacy.body);
        assert!(
            legacy.body.get("data").is_none(),
            "{query}: {}",
            legacy.body
        );
        assert_eq!(legacy.error_code(), code, "{query}");
    }

    // Malformed requests are 400 whatever the media type.
    for body in [
        json!({ "qeury": "{ __typename }" }),
        json!({ "query": 0 }),
        json!({ "query": "{ __typename }", "variables": "x" }),
        json!({ "query": "{ __typename }", "operationName": false }),
        json!({ "query": "{ __typename }", "extensions": [1] }),
    ] {
        let legacy = post(&app, "application/json", None, body.clone()).await;
        assert_eq!(legacy.status, 400, "{body}");
        assert_eq!(legacy.error_code(), "BAD_REQUEST");
    }
    let not_json = app
        .client
        .post(&app.url)
        .header("content-type", "application/json")
        .body("{ \"not a JSON")
        .send()
        .await
        .expect("a response");
    assert_eq!(not_json.status(), 400);

    // A field error is not a request error: 200 with data.
    let field_error = strict(&app, None, "{ postings(first: 1000) { totalCount } }").await;
    assert_eq!(field_error.status, 200, "{}", field_error.body);
    assert!(field_error.body.get("data").is_some());
}
