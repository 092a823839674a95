//! Bearer tokens: a valid one makes a staff viewer; anything wrong with one
//! is a 401 UNAUTHENTICATED, never anonymous access.

use entity::enums::Role;
use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use serde_json::{Value, json};

use crate::support::{ADMIN, INTERVIEWER, RECRUITER, Reply, SECRET, TestApp, reply};

const VIEWER: &str = "{ viewer { isAnonymous role user { email } } }";

fn now() -> u64 {
    jsonwebtoken::get_current_timestamp()
}

/// A token with `claims`, signed with `secret` using HS256.
fn signed(claims: Value, secret: &str) -> String {
    let key = EncodingKey::from_secret(secret.as_bytes()).expect("a key");
    encode(&Header::new(Algorithm::HS256), &claims, &key).expect("a token")
}

fn claims(sub: &str, role: &str) -> Value {
    json!({ "sub": sub, "role": role, "iss": "hiregraph", "aud": "hiregraph", "exp": now() + 600 })
}

async fn with_token(app: &TestApp, token: &str) -> Reply {
    app.graphql(Some(token), VIEWER, Value::Null).await
}

fn assert_unauthenticated(reply: &Reply) {
    assert_eq!(reply.status, 401, "{}", reply.body);
    assert_eq!(reply.error_code(), "UNAUTHENTICATED");
    assert_eq!(
        reply.headers["www-authenticate"],
        "Bearer error=\"invalid_token\""
    );
    assert!(
        reply.body.get("data").is_none(),
        "no data for a rejected token"
    );
}

#[tokio::test]
async fn without_a_token_the_viewer_is_anonymous() {
    let app = TestApp::demo().await;
    let reply = app.graphql(None, VIEWER, Value::Null).await;
    assert_eq!(
        reply.data()["viewer"],
        json!({ "isAnonymous": true, "role": null, "user": null })
    );
}

#[tokio::test]
async fn a_valid_token_makes_the_viewer_that_staff_user() {
    let app = TestApp::demo().await;
    let reply = with_token(&app, &app.token(RECRUITER, Role::Recruiter)).await;
    assert_eq!(
        reply.data()["viewer"],
        json!({ "isAnonymous": false, "role": "RECRUITER", "user": { "email": RECRUITER } })
    );
}

#[tokio::test]
async fn broken_tokens_are_rejected_with_401() {
    let app = TestApp::demo().await;
    let mut expired = claims(ADMIN, "ADMIN");
    expired["exp"] = json!(now() - 3600);
    let mut not_yet = claims(ADMIN, "ADMIN");
    not_yet["nbf"] = json!(now() + 3600);
    let mut other_issuer = claims(ADMIN, "ADMIN");
    other_issuer["iss"] = json!("someone-else");
    let mut other_audience = claims(ADMIN, "ADMIN");
    other_audience["aud"] = json!("another-service");
    let mut no_expiry = claims(ADMIN, "ADMIN");
    no_expiry.as_object_mut().expect("an object").remove("exp");
    let mut no_audience = claims(ADMIN, "ADMIN");
    no_audience
        .as_object_mut()
        .expect("an object")
        .remove("aud");
    let valid = signed(claims(ADMIN, "ADMIN"), SECRET);
    let (head, rest) = valid.split_once('.').expect("a JWT");
    let (_, signature) = rest.split_once('.').expect("a JWT");
    let escalated_payload = base64::Engine::encode(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD,
        serde_json::to_vec(&claims(ADMIN, "ADMIN").as_object().map(|c| {
            let mut c = c.clone();
            c.insert("sub".into(), json!(INTERVIEWER));
            c
        }))
        .expect("json"),
    );
    let none_header = base64::Engine::encode(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD,
        br#"{"alg":"none","typ":"JWT"}"#,
    );
    let cases = [
        (
            "another secret",
            signed(claims(ADMIN, "ADMIN"), "not-the-secret"),
        ),
        ("expired", signed(expired, SECRET)),
        ("not valid yet", signed(not_yet, SECRET)),
        ("another issuer", signed(other_issuer, SECRET)),
        ("another audience", signed(other_audience, SECRET)),
        ("no expiry", signed(no_expiry, SECRET)),
        ("no audience", signed(no_audience, SECRET)),
        (
            "tampered payload",
            format!("{head}.{escalated_payload}.{signature}"),
        ),
        ("alg none", format!("{none_header}.{escalated_payload}.")),
        ("garbage", "not-a-token".to_owned()),
        (
            "unknown user",
            signed(claims("nobody@hiregraph.example", "ADMIN"), SECRET),
        ),
        ("unknown role", signed(claims(ADMIN, "SUPERUSER"), SECRET)),
        (
            "role the user does not have",
            signed(claims(INTERVIEWER, "ADMIN"), SECRET),
        ),
    ];
    for (case, token) in cases {
        let reply = with_token(&app, &token).await;
        assert_eq!(reply.status, 401, "{case}: {}", reply.body);
        assert_unauthenticated(&reply);
    }
}

#[tokio::test]
async fn an_authorization_header_that_is_not_a_bearer_token_is_rejected() {
    let app = TestApp::demo().await;
    let response = app
        .client
        .post(&app.url)
        .header("authorization", "Basic YWRtaW46YWRtaW4=")
        .json(&json!({ "query": VIEWER }))
        .send()
        .await
        .expect("a response");
    assert_unauthenticated(&reply(response).await);
}

#[tokio::test]
async fn a_deactivated_users_token_stops_working_at_once() {
    let app = TestApp::demo().await;
    let recruiter = app.token(RECRUITER, Role::Recruiter);
    assert_eq!(with_token(&app, &recruiter).await.status, 200);
    let users = app
        .admin_data(
            r#"{ users(first: 1, filter: {roles: [RECRUITER]}) { edges { node { id } } } }"#,
            Value::Null,
        )
        .await;
    let id = users["users"]["edges"][0]["node"]["id"].clone();
    let data = app
        .admin_data(
            "mutation($id: ID!) { updateUser(input: {id: $id, active: false}) { user { active } userErrors { code } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(data["updateUser"]["user"]["active"], false);
    assert_unauthenticated(&with_token(&app, &recruiter).await);
}

#[tokio::test]
async fn a_token_names_its_user_by_email_or_by_id() {
    let app = TestApp::demo().await;
    let users = app
        .admin_data(
            r#"{ users(first: 1, filter: {roles: [ADMIN]}) { edges { node { id } } } }"#,
            Value::Null,
        )
        .await;
    let global = users["users"]["edges"][0]["node"]["id"]
        .as_str()
        .expect("an id")
        .to_owned();
    let decoded = String::from_utf8(
        base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, &global)
            .expect("base64"),
    )
    .expect("utf-8");
    let numeric = decoded.trim_start_matches("User:");
    let reply = with_token(&app, &signed(claims(numeric, "ADMIN"), SECRET)).await;
    assert_eq!(reply.data()["viewer"]["user"]["email"], ADMIN);
    let reply = with_token(
        &app,
        &signed(claims("  Admin@HireGraph.example ", "ADMIN"), SECRET),
    )
    .await;
    assert_eq!(reply.data()["viewer"]["user"]["email"], ADMIN);
}
