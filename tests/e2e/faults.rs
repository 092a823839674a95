//! When something breaks inside the server, the client learns only that it
//! did and under which request id; the log has the details under that id.

use serde_json::{Value, json};

use crate::support::{TestApp, log, reply};

#[tokio::test]
async fn a_database_failure_reaches_the_client_as_a_request_id_and_the_log_as_details() {
    let app = TestApp::empty().await;
    app.execute("ALTER TABLE skills RENAME TO skills_elsewhere")
        .await;
    let response = app
        .client
        .post(&app.url)
        .json(&json!({ "query": "{ skills(first: 5) { nodes { name } } teams(first: 1) { totalCount } }" }))
        .send()
        .await
        .expect("a response");
    let reply = reply(response).await;
    let request_id = reply.headers["x-request-id"]
        .to_str()
        .expect("text")
        .to_owned();

    assert_eq!(reply.status, 200);
    assert_eq!(reply.body["data"]["skills"], Value::Null);
    assert_eq!(
        reply.body["data"]["teams"]["totalCount"], 0,
        "the rest of the query is answered"
    );
    let errors = reply.body["errors"].as_array().expect("errors");
    assert_eq!(errors.len(), 1);
    let error = &errors[0];
    assert_eq!(error["extensions"]["code"], "INTERNAL_SERVER_ERROR");
    assert_eq!(error["extensions"]["requestId"], request_id.as_str());
    assert_eq!(error["path"], json!(["skills"]));
    let told = error.to_string().to_lowercase();
    for detail in [
        "skills_elsewhere",
        "select",
        "table",
        "relation",
        "sql",
        ".rs",
        "src/",
        "panicked",
    ] {
        assert!(
            !told.contains(detail),
            "the client is told {detail:?}: {told}"
        );
    }

    let logged = log().text();
    let line = logged
        .lines()
        .find(|line| line.contains("request failed") && line.contains(&request_id))
        .unwrap_or_else(|| panic!("the failure is logged under the request id:\n{logged}"));
    assert!(line.contains("skills"), "with what went wrong: {line}");
}
