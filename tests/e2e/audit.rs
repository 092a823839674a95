//! The audit log: written by every mutation, personal values masked, read
//! by admins only, and never changed through the API.

use entity::enums::Role;
use serde_json::{Value, json};

use crate::support::{RECRUITER, TestApp, reply};

const EVENTS: &str = r#"query($filter: AuditEventFilter!) {
    auditEvents(first: 50, filter: $filter) {
        totalCount
        nodes { id action objectType objectId changes requestId occurredAt actor { email } }
    }
}"#;

#[tokio::test]
async fn a_mutation_is_logged_with_its_request_id_and_personal_values_masked() {
    let app = TestApp::demo().await;
    let response = app
        .client
        .post(&app.url)
        .bearer_auth(app.token(RECRUITER, Role::Recruiter))
        .json(&json!({ "query": r#"mutation { createCandidate(input: {email: "zanele@example.com", name: "Zanele Dube", countryCode: "ZA", phone: "+27 21 555 0100", source: REFERRAL}) { candidate { id } userErrors { code } } }"# }))
        .send()
        .await
        .expect("a response");
    let reply = reply(response).await;
    let request_id = reply.headers["x-request-id"]
        .to_str()
        .expect("text")
        .to_owned();
    let candidate = reply.data()["createCandidate"]["candidate"]["id"].clone();

    let data = app
        .admin_data(EVENTS, json!({ "filter": { "objectId": candidate } }))
        .await;
    let events = data["auditEvents"]["nodes"].as_array().expect("events");
    assert_eq!(events.len(), 1);
    let event = &events[0];
    assert_eq!(event["action"], "candidate.create");
    assert_eq!(event["objectType"], "Candidate");
    assert_eq!(event["objectId"], candidate);
    assert_eq!(event["requestId"], request_id);
    assert_eq!(event["actor"]["email"], RECRUITER);
    let changes = &event["changes"];
    assert_eq!(
        changes["source"],
        json!({ "before": null, "after": "REFERRAL" }),
        "the rest is kept"
    );
    for field in ["name", "email", "email_normalized", "phone"] {
        assert_eq!(changes[field]["after"], "[personal data]", "{field}");
    }
    let log = app.count("SELECT COUNT(*) FROM audit_events WHERE CAST(changes AS TEXT) LIKE '%Zanele%' OR CAST(changes AS TEXT) LIKE '%555 0100%'").await;
    assert_eq!(log, 0, "the log holds no personal value");
}

#[tokio::test]
async fn free_text_and_time_zones_of_interviews_are_masked_too() {
    let app = TestApp::demo().await;
    let brian = app.demo_application("Brian Otieno").await;
    let screen = brian["interviews"]["nodes"][0]["id"].clone();
    let starts = (chrono::Utc::now() + chrono::Duration::days(9)).to_rfc3339();
    let ends =
        (chrono::Utc::now() + chrono::Duration::days(9) + chrono::Duration::hours(1)).to_rfc3339();
    let recruiter = app.token(RECRUITER, Role::Recruiter);
    let moved = app
        .graphql(
            Some(&recruiter),
            "mutation($id: ID!, $starts: DateTime!, $ends: DateTime!) { rescheduleInterview(input: {id: $id, startsAt: $starts, endsAt: $ends, timeZone: \"Africa/Kigali\"}) { userErrors { code } } }",
            json!({ "id": screen, "starts": starts, "ends": ends }),
        )
        .await;
    assert_eq!(moved.data()["rescheduleInterview"]["userErrors"], json!([]));
    let cancelled = app
        .graphql(
            Some(&recruiter),
            "mutation($id: ID!) { cancelInterview(input: {id: $id, reason: \"Brian has the flu\"}) { userErrors { code } } }",
            json!({ "id": screen }),
        )
        .await;
    assert_eq!(cancelled.data()["cancelInterview"]["userErrors"], json!([]));

    let data = app
        .admin_data(EVENTS, json!({ "filter": { "objectId": screen } }))
        .await;
    let events = data["auditEvents"]["nodes"].as_array().expect("events");
    let changed = |field: &str| -> Vec<Value> {
        events
            .iter()
            .filter_map(|e| e["changes"].get(field).map(|c| c["after"].clone()))
            .collect()
    };
    assert_eq!(changed("time_zone"), [json!("[personal data]")]);
    assert_eq!(changed("cancel_reason"), [json!("[personal data]")]);
    assert_eq!(changed("status"), [json!("CANCELLED")], "the rest is kept");
    let log = app
        .count("SELECT COUNT(*) FROM audit_events WHERE CAST(changes AS TEXT) LIKE '%Kigali%' OR CAST(changes AS TEXT) LIKE '%flu%'")
        .await;
    assert_eq!(log, 0);
}

#[tokio::test]
async fn the_log_filters_by_actor_action_and_time() {
    let app = TestApp::demo().await;
    let recruiter = app.token(RECRUITER, Role::Recruiter);
    let before = chrono::Utc::now() - chrono::Duration::seconds(1);
    for name in ["Growth", "Identity"] {
        app.graphql(
            Some(&recruiter),
            "mutation($name: String!) { createTeam(input: {name: $name, department: \"Engineering\"}) { team { id } } }",
            json!({ "name": name }),
        )
        .await;
    }
    let me = app.user_id(RECRUITER).await;
    let data = app
        .admin_data(EVENTS, json!({ "filter": { "actorId": me, "action": "team.create", "occurredAfter": before.to_rfc3339() } }))
        .await;
    assert_eq!(data["auditEvents"]["totalCount"], 2);
    let later = (chrono::Utc::now() + chrono::Duration::hours(1)).to_rfc3339();
    let none = app
        .admin_data(EVENTS, json!({ "filter": { "occurredAfter": later } }))
        .await;
    assert_eq!(none["auditEvents"]["totalCount"], 0);
    let teams = app
        .admin_data(EVENTS, json!({ "filter": { "objectType": "Team" } }))
        .await;
    assert_eq!(teams["auditEvents"]["totalCount"], 2);
}

#[tokio::test]
async fn only_admins_read_the_log_and_nothing_can_change_it() {
    let app = TestApp::demo().await;
    let anonymous = app.graphql(None, EVENTS, json!({ "filter": {} })).await;
    assert_eq!(anonymous.error_code(), "UNAUTHENTICATED");
    for (email, role) in [
        (RECRUITER, Role::Recruiter),
        ("tomasz.nowak@hiregraph.example", Role::HiringManager),
        ("kwame.mensah@hiregraph.example", Role::Interviewer),
    ] {
        let reply = app
            .graphql(
                Some(&app.token(email, role)),
                EVENTS,
                json!({ "filter": {} }),
            )
            .await;
        assert_eq!(reply.error_code(), "FORBIDDEN", "{email}");
    }
    let mutations = app
        .admin_data(
            "{ __type(name: \"Mutation\") { fields { name } } }",
            Value::Null,
        )
        .await;
    let names: Vec<&str> = mutations["__type"]["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .filter_map(|f| f["name"].as_str())
        .collect();
    assert!(names.len() > 20);
    assert!(
        !names.iter().any(|n| n.to_lowercase().contains("audit")),
        "no mutation touches the log: {names:?}"
    );
}
