//! Global IDs: every Node type can be fetched again by `node` and `nodes`;
//! malformed IDs are BAD_USER_INPUT, unknown ones null.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

use crate::support::TestApp;

/// One ID of every Node type, from the demo data, by type name.
async fn one_of_each(app: &TestApp) -> Vec<(&'static str, Value)> {
    let data = app
        .admin_data(
            r#"{
                postings(first: 1) { edges { node { id interviewPlan { id } } } }
                candidates(first: 1) { edges { node { id } } }
                applications(first: 1) { edges { node { id } } }
                interviews(first: 1) { edges { node { id } } }
                users(first: 1) { edges { node { id } } }
                teams(first: 1) { edges { node { id } } }
                regions(first: 1) { edges { node { id } } }
                skills(first: 1) { edges { node { id } } }
                jobFamilies(first: 1) { edges { node { id } } }
                levels(first: 1) { edges { node { id } } }
                geoZones(first: 1) { edges { node { id } } }
                compensationBands(first: 1) { edges { node { id } } }
            }"#,
            Value::Null,
        )
        .await;
    let first = |list: &str| data[list]["edges"][0]["node"]["id"].clone();
    vec![
        ("Posting", first("postings")),
        (
            "InterviewStage",
            data["postings"]["edges"][0]["node"]["interviewPlan"][0]["id"].clone(),
        ),
        ("Candidate", first("candidates")),
        ("Application", first("applications")),
        ("Interview", first("interviews")),
        ("User", first("users")),
        ("Team", first("teams")),
        ("Region", first("regions")),
        ("Skill", first("skills")),
        ("JobFamily", first("jobFamilies")),
        ("Level", first("levels")),
        ("GeoZone", first("geoZones")),
        ("CompensationBand", first("compensationBands")),
    ]
}

#[tokio::test]
async fn every_node_type_round_trips_through_node_and_nodes() {
    let app = TestApp::demo().await;
    let all = one_of_each(&app).await;
    for (typename, id) in &all {
        assert!(id.is_string(), "no {typename} in the demo data");
        let data = app
            .admin_data(
                "query($id: ID!) { node(id: $id) { __typename id } }",
                json!({ "id": id }),
            )
            .await;
        assert_eq!(
            data["node"],
            json!({ "__typename": typename, "id": id }),
            "{typename}"
        );
    }
    let ids: Vec<&Value> = all.iter().map(|(_, id)| id).collect();
    let data = app
        .admin_data(
            "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
            json!({ "ids": ids }),
        )
        .await;
    let returned: Vec<&Value> = data["nodes"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|n| &n["id"])
        .collect();
    assert_eq!(
        returned, ids,
        "nodes returns the objects in the order asked"
    );
}

#[tokio::test]
async fn a_malformed_id_is_bad_user_input() {
    let app = TestApp::demo().await;
    for id in [
        "",
        "42",
        "not base64!",
        &URL_SAFE_NO_PAD.encode("Posting"),
        &URL_SAFE_NO_PAD.encode("Spaceship:1"),
        &URL_SAFE_NO_PAD.encode("Posting:one"),
    ] {
        let reply = app
            .graphql(
                Some(&app.admin()),
                "query($id: ID!) { node(id: $id) { id } }",
                json!({ "id": id }),
            )
            .await;
        assert_eq!(reply.error_code(), "BAD_USER_INPUT", "{id:?}");
    }
}

#[tokio::test]
async fn an_unknown_id_is_null() {
    let app = TestApp::demo().await;
    let unknown = URL_SAFE_NO_PAD.encode("Posting:987654321");
    let known = app
        .graphql(
            None,
            r#"{ posting(slug: "senior-backend-engineer-elixir") { id } }"#,
            Value::Null,
        )
        .await
        .data()["posting"]["id"]
        .clone();
    let data = app
        .admin_data(
            "query($ids: [ID!]!, $unknown: ID!) { node(id: $unknown) { id } nodes(ids: $ids) { id } posting(id: $unknown) { id } }",
            json!({ "ids": [known, unknown, known], "unknown": unknown }),
        )
        .await;
    assert_eq!(data["node"], Value::Null);
    assert_eq!(data["posting"], Value::Null);
    assert_eq!(
        data["nodes"],
        json!([{ "id": known }, null, { "id": known }])
    );
}

#[tokio::test]
async fn a_typed_field_refuses_the_id_of_another_type() {
    let app = TestApp::demo().await;
    let data = app
        .admin_data(
            "{ candidates(first: 1) { edges { node { id } } } }",
            Value::Null,
        )
        .await;
    let candidate = data["candidates"]["edges"][0]["node"]["id"].clone();
    let reply = app
        .graphql(
            Some(&app.admin()),
            "query($id: ID!) { posting(id: $id) { id } }",
            json!({ "id": candidate }),
        )
        .await;
    assert_eq!(reply.error_code(), "BAD_USER_INPUT");
}

#[tokio::test]
async fn nodes_takes_at_most_100_ids() {
    let app = TestApp::demo().await;
    let ids: Vec<String> = (1..=101)
        .map(|n| URL_SAFE_NO_PAD.encode(format!("Skill:{n}")))
        .collect();
    let reply = app
        .graphql(
            None,
            "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
            json!({ "ids": ids }),
        )
        .await;
    assert_eq!(reply.error_code(), "BAD_USER_INPUT");
}
