//! Anonymous callers see the public careers data only; staff see what their
//! role allows, through every path: typed fields, `node`, nested fields.

use entity::enums::Role;
use serde_json::{Value, json};

use crate::support::{HIRING_MANAGER, INTERVIEWER, RECRUITER, TestApp};

#[tokio::test]
async fn anonymous_callers_list_open_postings_only() {
    let app = TestApp::demo().await;
    let query = r#"{ postings(first: 10, filter: {statuses: [OPEN, DRAFT, PAUSED, CLOSED]}) { totalCount edges { node { status } } } }"#;
    let public = app.graphql(None, query, Value::Null).await;
    assert_eq!(public.data()["postings"]["totalCount"], 1);
    assert_eq!(
        public.data()["postings"]["edges"][0]["node"]["status"],
        "OPEN"
    );
    let staff = app.admin_data(query, Value::Null).await;
    assert_eq!(staff["postings"]["totalCount"], 3);
}

#[tokio::test]
async fn an_unpublished_posting_is_invisible_to_anonymous_callers_by_slug_id_and_node() {
    let app = TestApp::demo().await;
    let staff = app
        .admin_data(
            r#"{ postings(first: 10, filter: {statuses: [DRAFT]}) { edges { node { id slug } } } }"#,
            Value::Null,
        )
        .await;
    let draft = &staff["postings"]["edges"][0]["node"];
    let by_slug = app
        .graphql(
            None,
            "query($s: String!) { posting(slug: $s) { id } }",
            json!({ "s": draft["slug"] }),
        )
        .await;
    assert_eq!(by_slug.data()["posting"], Value::Null);
    let by_id = app
        .graphql(
            None,
            "query($id: ID!) { posting(id: $id) { id } node(id: $id) { id } }",
            json!({ "id": draft["id"] }),
        )
        .await;
    assert_eq!(by_id.data()["posting"], Value::Null);
    assert_eq!(by_id.data()["node"], Value::Null);
}

#[tokio::test]
async fn staff_only_fields_of_a_public_posting_are_null_with_an_error_for_anonymous_callers() {
    let app = TestApp::demo().await;
    let reply = app
        .graphql(
            None,
            r#"{ posting(slug: "senior-backend-engineer-elixir") {
                title
                hiringManager { email }
                applications(first: 5) { totalCount }
            } }"#,
            Value::Null,
        )
        .await;
    assert_eq!(reply.status, 200);
    let posting = &reply.body["data"]["posting"];
    assert_eq!(posting["title"], "Senior Backend Engineer (Elixir)");
    assert_eq!(posting["hiringManager"], Value::Null);
    assert_eq!(posting["applications"], Value::Null);
    assert_eq!(reply.error_codes(), ["UNAUTHENTICATED", "UNAUTHENTICATED"]);
    let paths: Vec<&Value> = reply.body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| &e["path"])
        .collect();
    assert!(paths.contains(&&json!(["posting", "applications"])));
}

#[tokio::test]
async fn anonymous_callers_cannot_list_or_fetch_hiring_data() {
    let app = TestApp::demo().await;
    for query in [
        "{ candidates(first: 5) { totalCount } }",
        "{ applications(first: 5) { totalCount } }",
        "{ interviews(first: 5) { totalCount } }",
        "{ users(first: 5) { totalCount } }",
        "{ compensationBands(first: 5) { totalCount } }",
        "{ levels(first: 5) { totalCount } }",
    ] {
        let reply = app.graphql(None, query, Value::Null).await;
        assert_eq!(reply.error_code(), "UNAUTHENTICATED", "{query}");
        assert_eq!(reply.body["data"], Value::Null, "{query}");
    }
}

#[tokio::test]
async fn node_applies_the_same_rules_as_the_typed_fields() {
    let app = TestApp::demo().await;
    let staff = app
        .admin_data(
            "{ candidates(first: 1) { edges { node { id } } } }",
            Value::Null,
        )
        .await;
    let candidate = staff["candidates"]["edges"][0]["node"]["id"].clone();
    let reply = app
        .graphql(
            None,
            "query($id: ID!) { node(id: $id) { id } }",
            json!({ "id": candidate }),
        )
        .await;
    assert_eq!(reply.error_code(), "UNAUTHENTICATED");
}

#[tokio::test]
async fn reference_data_is_public() {
    let app = TestApp::demo().await;
    let reply = app
        .graphql(
            None,
            "{ teams(first: 2) { totalCount } regions(first: 2) { totalCount } skills(first: 2) { totalCount } }",
            Value::Null,
        )
        .await;
    let data = reply.data();
    for list in ["teams", "regions", "skills"] {
        assert!(
            data[list]["totalCount"].as_u64().unwrap_or(0) > 0,
            "{list} should be listed"
        );
    }
}

#[tokio::test]
async fn compensation_is_for_admins_recruiters_and_hiring_managers_only() {
    let app = TestApp::demo().await;
    let query = "{ compensationBands(first: 1) { totalCount } geoZones(first: 1) { totalCount } }";
    for (email, role) in [
        (RECRUITER, Role::Recruiter),
        (HIRING_MANAGER, Role::HiringManager),
    ] {
        let reply = app
            .graphql(Some(&app.token(email, role)), query, Value::Null)
            .await;
        assert!(
            reply.data()["compensationBands"]["totalCount"]
                .as_u64()
                .unwrap_or(0)
                > 0
        );
    }
    let interviewer = app.token(INTERVIEWER, Role::Interviewer);
    let reply = app.graphql(Some(&interviewer), query, Value::Null).await;
    assert_eq!(reply.error_code(), "FORBIDDEN");
    let bands = app
        .admin_data(
            "{ compensationBands(first: 1) { edges { node { id } } } }",
            Value::Null,
        )
        .await;
    let band = bands["compensationBands"]["edges"][0]["node"]["id"].clone();
    let reply = app
        .graphql(
            Some(&interviewer),
            "query($id: ID!) { node(id: $id) { id } }",
            json!({ "id": band }),
        )
        .await;
    assert_eq!(
        reply.error_code(),
        "FORBIDDEN",
        "node must not bypass the rule"
    );
}

#[tokio::test]
async fn writing_needs_the_right_role() {
    let app = TestApp::demo().await;
    let create_team = r#"mutation { createTeam(input: {name: "Growth", department: "Engineering"}) { team { name } } }"#;
    let anonymous = app.graphql(None, create_team, Value::Null).await;
    assert_eq!(anonymous.error_code(), "UNAUTHENTICATED");
    let interviewer = app
        .graphql(
            Some(&app.token(INTERVIEWER, Role::Interviewer)),
            create_team,
            Value::Null,
        )
        .await;
    assert_eq!(interviewer.error_code(), "FORBIDDEN");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM teams WHERE name = 'Growth'")
            .await,
        0
    );
    let recruiter = app
        .graphql(
            Some(&app.token(RECRUITER, Role::Recruiter)),
            create_team,
            Value::Null,
        )
        .await;
    assert_eq!(recruiter.data()["createTeam"]["team"]["name"], "Growth");

    let band_query =
        r#"mutation { createJobFamily(input: {name: "Data"}) { jobFamily { name } } }"#;
    let recruiter = app
        .graphql(
            Some(&app.token(RECRUITER, Role::Recruiter)),
            band_query,
            Value::Null,
        )
        .await;
    assert_eq!(
        recruiter.error_code(),
        "FORBIDDEN",
        "compensation structure is for admins"
    );
}

#[tokio::test]
async fn a_hiring_manager_edits_only_their_own_postings() {
    let app = TestApp::demo().await;
    let others = app
        .graphql(
            Some(&app.token("marta.oliveira@hiregraph.example", Role::HiringManager)),
            r#"{ posting(slug: "senior-backend-engineer-elixir") { id } }"#,
            Value::Null,
        )
        .await;
    let id = others.data()["posting"]["id"].clone();
    let update = "mutation($id: ID!) { updatePosting(input: {id: $id, openings: 3}) { posting { openings } } }";
    let not_theirs = app
        .graphql(
            Some(&app.token("marta.oliveira@hiregraph.example", Role::HiringManager)),
            update,
            json!({ "id": id }),
        )
        .await;
    assert_eq!(not_theirs.error_code(), "FORBIDDEN");
    let theirs = app
        .graphql(
            Some(&app.token(HIRING_MANAGER, Role::HiringManager)),
            update,
            json!({ "id": id }),
        )
        .await;
    assert_eq!(theirs.data()["updatePosting"]["posting"]["openings"], 3);
}
