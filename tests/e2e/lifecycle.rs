//! A posting's life: DRAFT → OPEN ⇄ PAUSED → CLOSED, with what publishing needs.

use entity::enums::Role;
use serde_json::{Value, json};

use crate::support::{TestApp, error, user_errors};

const STATUS: &str = r#"mutation($id: ID!) {
    publishPosting(input: {id: $id}) { posting { status publishedAt } userErrors { field code message } }
}"#;

async fn create_draft(app: &TestApp, input: Value) -> Value {
    app.admin_data(
        "mutation($input: CreatePostingInput!) { createPosting(input: $input) { posting { id status } userErrors { field code } } }",
        json!({ "input": input }),
    )
    .await["createPosting"]["posting"]["id"]
        .clone()
}

#[tokio::test]
async fn publishing_needs_a_description_a_plan_a_region_and_a_salary_range() {
    let app = TestApp::demo().await;
    let id = create_draft(&app, json!({ "title": "Data Engineer" })).await;
    let data = app.admin_data(STATUS, json!({ "id": id })).await;
    let errors = user_errors(&data["publishPosting"]);
    assert_eq!(
        errors,
        [
            error("description", "BLANK"),
            error("interviewPlan", "BLANK"),
            error("regionIds", "BLANK"),
            error("salaryRange", "BLANK")
        ]
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM postings WHERE status = 'OPEN'")
            .await,
        1,
        "nothing was published"
    );
}

#[tokio::test]
async fn a_complete_draft_is_published_paused_resumed_and_closed() {
    let app = TestApp::demo().await;
    let reference = app
        .admin_data(
            r#"{ regions(first: 10) { nodes { id name } } levels(first: 20) { nodes { id code } } jobFamilies(first: 5) { nodes { id name } } }"#,
            Value::Null,
        )
        .await;
    let pick = |list: &str, key: &str, value: &str| {
        reference[list]["nodes"]
            .as_array()
            .expect("nodes")
            .iter()
            .find(|n| n[key] == value)
            .map(|n| n["id"].clone())
            .expect("present")
    };
    let id = create_draft(
        &app,
        json!({
            "title": "Backend Engineer",
            "jobFamilyId": pick("jobFamilies", "name", "Backend Engineering"),
            "levelIds": [pick("levels", "code", "IC2")],
            "regionIds": [pick("regions", "name", "Remote-Africa")],
            "description": [{ "heading": "The position", "body": "Build things." }],
            "interviewPlan": [{ "name": "Review", "kind": "APPLICATION_REVIEW", "mode": "ASYNC", "slaHours": 48 }]
        }),
    )
    .await;
    let published = app.admin_data(STATUS, json!({ "id": id })).await;
    assert_eq!(published["publishPosting"]["posting"]["status"], "OPEN");
    assert!(published["publishPosting"]["posting"]["publishedAt"].is_string());
    let again = app.admin_data(STATUS, json!({ "id": id })).await;
    assert_eq!(
        user_errors(&again["publishPosting"]),
        [error("id", "INVALID_STATE")]
    );

    let pause = "mutation($id: ID!) { pausePosting(input: {id: $id}) { posting { status } userErrors { code } } }";
    assert_eq!(
        app.admin_data(pause, json!({ "id": id })).await["pausePosting"]["posting"]["status"],
        "PAUSED"
    );
    let public = app
        .graphql(
            None,
            "query($id: ID!) { posting(id: $id) { id } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        public.data()["posting"],
        Value::Null,
        "a paused posting leaves the careers site"
    );
    let resume = "mutation($id: ID!) { resumePosting(input: {id: $id}) { posting { status } userErrors { field code } } }";
    assert_eq!(
        app.admin_data(resume, json!({ "id": id })).await["resumePosting"]["posting"]["status"],
        "OPEN"
    );

    let close = "mutation($id: ID!, $reason: CloseReason!) { closePosting(input: {id: $id, reason: $reason}) { posting { status closeReason closedAt } userErrors { field code } } }";
    let closed = app
        .admin_data(close, json!({ "id": id, "reason": "CANCELLED" }))
        .await;
    assert_eq!(closed["closePosting"]["posting"]["status"], "CLOSED");
    assert_eq!(
        closed["closePosting"]["posting"]["closeReason"],
        "CANCELLED"
    );
    let reopen = app.admin_data(resume, json!({ "id": id })).await;
    assert_eq!(
        user_errors(&reopen["resumePosting"]),
        [error("id", "INVALID_STATE")],
        "closed is final"
    );
    let edit = app
        .admin_data(
            "mutation($id: ID!) { updatePosting(input: {id: $id, openings: 4}) { userErrors { code } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        edit["updatePosting"]["userErrors"][0]["code"],
        "INVALID_STATE"
    );
    let audit = app.count("SELECT COUNT(*) FROM audit_events WHERE action IN ('posting.publish', 'posting.pause', 'posting.resume', 'posting.close')").await;
    assert_eq!(audit, 4);
}

#[tokio::test]
async fn only_the_hiring_team_changes_a_postings_status() {
    let app = TestApp::demo().await;
    let id = app.demo_posting().await["id"].clone();
    let pause = "mutation($id: ID!) { pausePosting(input: {id: $id}) { posting { status } } }";
    let anonymous = app.graphql(None, pause, json!({ "id": id })).await;
    assert_eq!(anonymous.error_code(), "UNAUTHENTICATED");
    let interviewer = app
        .graphql(
            Some(&app.token("kwame.mensah@hiregraph.example", Role::Interviewer)),
            pause,
            json!({ "id": id }),
        )
        .await;
    assert_eq!(interviewer.error_code(), "FORBIDDEN");
    let other_manager = app
        .graphql(
            Some(&app.token("marta.oliveira@hiregraph.example", Role::HiringManager)),
            pause,
            json!({ "id": id }),
        )
        .await;
    assert_eq!(other_manager.error_code(), "FORBIDDEN");
    let manager = app
        .graphql(
            Some(&app.token("tomasz.nowak@hiregraph.example", Role::HiringManager)),
            pause,
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        manager.data()["pausePosting"]["posting"]["status"],
        "PAUSED"
    );
}
