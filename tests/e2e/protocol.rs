//! GraphQL over HTTP as clients see it: methods, media types, limits, error
//! codes, health checks and GraphiQL.

use serde_json::{Value, json};

use crate::support::{TestApp, reply};

#[tokio::test]
async fn a_text_plain_post_is_refused_so_no_cross_site_form_can_run_an_operation() {
    let app = TestApp::demo().await;
    let response = app
        .client
        .post(&app.url)
        .header("content-type", "text/plain")
        .body(r#"{"query":"{ viewer { isAnonymous } }"}"#)
        .send()
        .await
        .expect("a response");
    let reply = reply(response).await;
    assert_eq!(reply.status, 415);
    assert_eq!(reply.error_code(), "BAD_REQUEST");
}

#[tokio::test]
async fn mutations_are_refused_over_get() {
    let app = TestApp::demo().await;
    let response = app
        .client
        .get(&app.url)
        .query(&[(
            "query",
            r#"mutation { createSkill(input: {name: "Rust"}) { skill { id } } }"#,
        )])
        .bearer_auth(app.admin())
        .send()
        .await
        .expect("a response");
    let reply = reply(response).await;
    assert_eq!(reply.status, 405);
    assert_eq!(reply.headers["allow"], "POST");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM skills WHERE name = 'Rust'")
            .await,
        0
    );
}

#[tokio::test]
async fn queries_run_over_get() {
    let app = TestApp::demo().await;
    let response = app
        .client
        .get(&app.url)
        .query(&[("query", "{ postings(first: 5) { totalCount } }")])
        .send()
        .await
        .expect("a response");
    let reply = reply(response).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.data()["postings"]["totalCount"], 1);
}

#[tokio::test]
async fn batched_requests_are_refused() {
    let app = TestApp::demo().await;
    let response = app
        .client
        .post(&app.url)
        .json(&json!([{ "query": "{ viewer { isAnonymous } }" }, { "query": "{ viewer { isAnonymous } }" }]))
        .send()
        .await
        .expect("a response");
    let reply = reply(response).await;
    assert_eq!(reply.status, 400);
    assert_eq!(reply.error_code(), "BAD_REQUEST");
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused() {
    let app = TestApp::demo().await;
    let padding = "x".repeat(2 * 1024 * 1024);
    let response = app
        .client
        .post(&app.url)
        .json(&json!({ "query": format!("{{ viewer {{ isAnonymous }} }} # {padding}") }))
        .send()
        .await
        .expect("a response");
    assert_eq!(response.status(), 413);
}

#[tokio::test]
async fn validation_and_parse_errors_have_stable_codes_and_graphql_response_json_gets_400() {
    let app = TestApp::demo().await;
    let invalid = app
        .graphql(None, "{ postings(first: 1) { nope } }", Value::Null)
        .await;
    assert_eq!(invalid.status, 200, "application/json answers 200");
    assert_eq!(invalid.error_code(), "GRAPHQL_VALIDATION_FAILED");

    let unparsable = app
        .graphql(None, "{ postings(first: 1) {", Value::Null)
        .await;
    assert_eq!(unparsable.error_code(), "GRAPHQL_PARSE_FAILED");

    let response = app
        .client
        .post(&app.url)
        .header("accept", "application/graphql-response+json")
        .json(&json!({ "query": "{ postings(first: 1) { nope } }" }))
        .send()
        .await
        .expect("a response");
    assert_eq!(
        response.headers()["content-type"],
        "application/graphql-response+json"
    );
    let reply = reply(response).await;
    assert_eq!(reply.status, 400);
    assert_eq!(reply.error_code(), "GRAPHQL_VALIDATION_FAILED");
}

#[tokio::test]
async fn a_request_only_accepting_other_media_types_is_refused() {
    let app = TestApp::demo().await;
    let response = app
        .client
        .post(&app.url)
        .header("accept", "text/csv")
        .json(&json!({ "query": "{ viewer { isAnonymous } }" }))
        .send()
        .await
        .expect("a response");
    assert_eq!(response.status(), 406);
}

#[tokio::test]
async fn response_fields_follow_the_order_of_the_query() {
    let app = TestApp::demo().await;
    let query = r#"{ posting(slug: "senior-backend-engineer-elixir") {
        salaryRange { interval maximum { currency amount } }
        title
        skills { requirement skill { name } }
        regions { name }
        slug
    } }"#;
    let response = app
        .client
        .post(&app.url)
        .json(&json!({ "query": query }))
        .send()
        .await
        .expect("a response");
    let text = response.text().await.expect("a body");
    let order: Vec<usize> = ["salaryRange", "\"title\"", "skills", "regions", "\"slug\""]
        .iter()
        .map(|key| text.find(key).expect("the key is present"))
        .collect();
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "fields out of order: {text}"
    );
}

#[tokio::test]
async fn graphiql_is_served_to_browsers_at_the_endpoint() {
    let app = TestApp::empty().await;
    let response = app
        .client
        .get(&app.url)
        .header("accept", "text/html")
        .send()
        .await
        .expect("a response");
    assert_eq!(response.status(), 200);
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let policy = header("content-security-policy");
    assert!(
        policy.contains("script-src 'self';") && policy.contains("style-src 'self';"),
        "the page must load scripts and styles from this server only: {policy}"
    );
    assert!(!policy.contains("unsafe"), "{policy}");
    assert!(header("content-type").starts_with("text/html"));
    let html = response.text().await.expect("a page");
    assert!(
        html.contains(r#"data-endpoint="/graphql""#),
        "GraphiQL is not pointed at the endpoint"
    );
    assert!(!html.contains("<script>"), "the page has an inline script");
    assert!(
        !html.contains("https://"),
        "the page loads something from elsewhere"
    );
    // Its script and stylesheet come from here, cacheable for good when
    // asked for by the hash the page names.
    for (asset, media) in [("app.js", "text/javascript"), ("app.css", "text/css")] {
        let start = html
            .find(&format!("/graphiql/{asset}?v="))
            .expect("the asset is linked");
        let end = start + html[start..].find('"').expect("a closing quote");
        let url = format!("{}{}", app.base(), &html[start..end]);
        let asset = app.client.get(&url).send().await.expect("a response");
        assert_eq!(asset.status(), 200, "{url}");
        let content_type = asset.headers()["content-type"].to_str().unwrap_or_default();
        assert!(content_type.starts_with(media), "{url}: {content_type}");
        assert!(
            asset.headers()["cache-control"]
                .to_str()
                .unwrap_or_default()
                .contains("immutable")
        );
        let etag = asset.headers()["etag"].clone();
        assert!(!asset.bytes().await.expect("a body").is_empty());
        let again = app
            .client
            .get(&url)
            .header("if-none-match", etag)
            .send()
            .await
            .expect("a response");
        assert_eq!(again.status(), 304, "{url}");
    }
}

#[tokio::test]
async fn health_and_readiness_answer() {
    let app = TestApp::empty().await;
    let health = app
        .client
        .get(format!("{}/healthz", app.base()))
        .send()
        .await
        .expect("a response");
    assert_eq!(health.status(), 200);
    let ready = app
        .client
        .get(format!("{}/readyz", app.base()))
        .send()
        .await
        .expect("a response");
    assert_eq!(ready.status(), 200);
    let missing = app
        .client
        .get(format!("{}/nope", app.base()))
        .send()
        .await
        .expect("a response");
    assert_eq!(missing.status(), 404);
}

#[tokio::test]
async fn every_response_carries_a_request_id() {
    let app = TestApp::empty().await;
    let reply = app
        .graphql(None, "{ viewer { isAnonymous } }", Value::Null)
        .await;
    assert!(reply.headers.get("x-request-id").is_some());
    assert_eq!(reply.data()["viewer"]["isAnonymous"], true);
}

/// The introspection query GraphiQL sends to build its docs and completion.
pub const INTROSPECTION: &str = r#"
query IntrospectionQuery {
  __schema {
    queryType { name }
    mutationType { name }
    subscriptionType { name }
    types { ...FullType }
    directives { name description locations args { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description
  fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } }
}
"#;

#[tokio::test]
async fn graphiqls_introspection_query_fits_the_limits() {
    // Staff: anonymous callers of a production server may not introspect.
    let app = TestApp::demo().await;
    let reply = app
        .graphql(Some(&app.admin()), INTROSPECTION, Value::Null)
        .await;
    let types = reply.data()["__schema"]["types"]
        .as_array()
        .map(Vec::len)
        .unwrap_or(0);
    assert!(
        types > 50,
        "the schema should describe its types, got {types}"
    );
}

#[tokio::test]
async fn a_query_nested_beyond_the_depth_limit_is_refused() {
    let app = TestApp::demo().await;
    // postings > edges > node, then plan > posting pairs, then id.
    let nested = |pairs: usize| {
        let mut query = String::from("{ postings(first: 1) { edges { node { ");
        query.push_str(&"interviewPlan { posting { ".repeat(pairs));
        query.push_str("id");
        query.push_str(&" } }".repeat(pairs));
        query.push_str(" } } } }");
        query
    };
    // Depth 3 + 2 * 6 + 1 = 16: the limit.
    let at_limit = app.graphql(None, &nested(6), Value::Null).await;
    assert!(at_limit.body.get("errors").is_none(), "{}", at_limit.body);
    let beyond = app.graphql(None, &nested(7), Value::Null).await;
    assert_eq!(
        beyond.error_code(),
        "GRAPHQL_VALIDATION_FAILED",
        "{}",
        beyond.body
    );
}
