//! The example operations GraphiQL opens as tabs (`graphiql/examples/*.graphql`)
//! run against the demo data without errors, for an admin and for the demo
//! posting's hiring manager, whom they are written for.

use std::path::Path;

use chrono::{Duration, Utc};
use entity::enums::Role;
use serde_json::{Value, json};

use crate::support::{ADMIN, HIRING_MANAGER, TestApp};

/// Every example, by file name, in the order GraphiQL opens them.
fn examples() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("graphiql/examples");
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("graphiql/examples")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "graphql"))
        .map(|path| {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_owned();
            let text = std::fs::read_to_string(&path).expect("an example");
            (name, text)
        })
        .collect();
    files.sort();
    files
}

#[tokio::test]
async fn graphiqls_examples_run_on_the_demo_data() {
    let app = TestApp::demo().await;
    let examples = examples();
    assert_eq!(examples.len(), 5, "{examples:?}");
    let application = app.demo_application("Brian Otieno").await["id"].clone();
    for email in [ADMIN, HIRING_MANAGER] {
        let role = if email == ADMIN {
            Role::Admin
        } else {
            Role::HiringManager
        };
        let token = app.token(email, role);
        let me = app.user_id(email).await;
        // What the page fills in; a wide week so that the demo's interviews
        // are in it whenever the test runs.
        let variables = json!({
            "me": me,
            "from": (Utc::now() - Duration::days(365)).to_rfc3339(),
            "to": (Utc::now() + Duration::days(365)).to_rfc3339(),
            "id": application,
        });
        for (name, query) in &examples {
            let reply = app.graphql(Some(&token), query, variables.clone()).await;
            assert!(
                reply.body.get("errors").is_none(),
                "{name} as {email}: {}",
                serde_json::to_string_pretty(&reply.body).unwrap_or_default()
            );
            let data = reply.data();
            let first = data
                .as_object()
                .and_then(|fields| fields.values().next())
                .cloned()
                .unwrap_or(Value::Null);
            assert!(!first.is_null(), "{name} as {email} answered nothing");
        }
    }
    // The hiring manager sees their posting's funnel.
    let token = app.token(HIRING_MANAGER, Role::HiringManager);
    let postings = &examples[1].1;
    let reply = app.graphql(Some(&token), postings, json!({})).await;
    let nodes = &reply.data()["postings"]["nodes"];
    assert_eq!(nodes[0]["title"], "Senior Backend Engineer (Elixir)");
    assert!(nodes[0]["funnel"]["totalApplications"].as_i64() > Some(0));
}
