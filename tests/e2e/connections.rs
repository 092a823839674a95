//! Relay connections: paging both ways by keyset cursor, page-size limits,
//! totals, filters and ordering, at the top level and nested.

use serde_json::{Value, json};

use crate::support::{TestApp, field};

const SKILLS_PAGE: &str = r#"query($first: Int, $after: String, $last: Int, $before: String) {
    skills(first: $first, after: $after, last: $last, before: $before) {
        totalCount
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { cursor node { id name } }
    }
}"#;

async fn skills_page(app: &TestApp, variables: Value) -> Value {
    app.graphql(None, SKILLS_PAGE, variables).await.data()["skills"].clone()
}

#[tokio::test]
async fn paging_forwards_visits_every_item_once_in_order() {
    let app = TestApp::demo().await;
    let all = skills_page(&app, json!({ "first": 100 })).await;
    let expected = field(&all, "name");
    assert!(
        expected.len() > 6,
        "the demo data has enough skills to page through"
    );
    let mut seen = Vec::new();
    let mut after = Value::Null;
    loop {
        let page = skills_page(&app, json!({ "first": 3, "after": after })).await;
        assert_eq!(page["totalCount"], expected.len());
        seen.extend(field(&page, "name"));
        assert_eq!(page["pageInfo"]["hasPreviousPage"], !after.is_null());
        if page["pageInfo"]["hasNextPage"] == false {
            break;
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(seen, expected);
    let mut sorted = expected.clone();
    sorted.sort();
    assert_eq!(expected, sorted, "skills are listed by name");
}

#[tokio::test]
async fn paging_backwards_visits_every_item_once_in_order() {
    let app = TestApp::demo().await;
    let expected = field(&skills_page(&app, json!({ "first": 100 })).await, "name");
    let mut pages: Vec<Vec<String>> = Vec::new();
    let mut before = Value::Null;
    loop {
        let page = skills_page(&app, json!({ "last": 3, "before": before })).await;
        assert_eq!(page["pageInfo"]["hasNextPage"], !before.is_null());
        pages.push(field(&page, "name"));
        if page["pageInfo"]["hasPreviousPage"] == false {
            break;
        }
        before = page["pageInfo"]["startCursor"].clone();
    }
    let seen: Vec<String> = pages.into_iter().rev().flatten().collect();
    assert_eq!(seen, expected);
}

#[tokio::test]
async fn a_cursor_from_the_middle_pages_the_same_way_in_both_directions() {
    let app = TestApp::demo().await;
    let first = skills_page(&app, json!({ "first": 4 })).await;
    let cursor = first["edges"][3]["cursor"].clone();
    let before = skills_page(&app, json!({ "last": 3, "before": cursor })).await;
    assert_eq!(field(&before, "name"), field(&first, "name")[..3].to_vec());
    assert_eq!(before["pageInfo"]["hasPreviousPage"], false);
    assert_eq!(before["pageInfo"]["hasNextPage"], true);
    let after = skills_page(
        &app,
        json!({ "first": 1, "after": first["edges"][2]["cursor"] }),
    )
    .await;
    assert_eq!(field(&after, "name"), field(&first, "name")[3..4].to_vec());
}

#[tokio::test]
async fn page_size_is_required_and_at_most_100() {
    let app = TestApp::demo().await;
    for variables in [
        json!({}),
        json!({ "first": 0 }),
        json!({ "first": 101 }),
        json!({ "last": -1 }),
        json!({ "first": 2, "last": 2 }),
    ] {
        let reply = app.graphql(None, SKILLS_PAGE, variables.clone()).await;
        assert_eq!(reply.error_code(), "BAD_USER_INPUT", "{variables}");
        let message = reply.body["errors"][0]["message"]
            .as_str()
            .unwrap_or_default();
        assert!(
            message.contains("first") || message.contains("last"),
            "{message}"
        );
    }
    let most = app
        .graphql(None, SKILLS_PAGE, json!({ "first": 100 }))
        .await;
    assert!(most.body.get("errors").is_none());
}

#[tokio::test]
async fn a_cursor_must_come_from_the_same_list_in_the_same_order() {
    let app = TestApp::demo().await;
    let by_name = skills_page(&app, json!({ "first": 2 })).await;
    let cursor = by_name["pageInfo"]["endCursor"].clone();
    let reply = app
        .graphql(
            None,
            "query($after: String) { skills(first: 2, after: $after, orderBy: {field: CREATED_AT}) { totalCount } }",
            json!({ "after": cursor }),
        )
        .await;
    assert_eq!(reply.error_code(), "BAD_USER_INPUT");
    let garbage = app
        .graphql(
            None,
            SKILLS_PAGE,
            json!({ "first": 2, "after": "bm90IGEgY3Vyc29y" }),
        )
        .await;
    assert_eq!(garbage.error_code(), "BAD_USER_INPUT");
}

#[tokio::test]
async fn postings_filter_by_status_team_region_skill_and_title() {
    let app = TestApp::demo().await;
    let ids = app
        .admin_data(
            r#"{
                teams(first: 100) { edges { node { id name } } }
                regions(first: 100) { edges { node { id name } } }
                skills(first: 100) { edges { node { id name } } }
            }"#,
            Value::Null,
        )
        .await;
    let id_of = |list: &str, name: &str| {
        ids[list]["edges"]
            .as_array()
            .expect("edges")
            .iter()
            .find(|e| e["node"]["name"] == name)
            .map(|e| e["node"]["id"].clone())
            .unwrap_or_else(|| panic!("no {name} in {list}"))
    };
    let query = "query($filter: PostingFilter) { postings(first: 50, filter: $filter) { totalCount edges { node { title } } } }";
    let titles = |data: &Value| field(&data["postings"], "title");
    let count = |filter: Value| {
        let app = &app;
        async move { app.admin_data(query, json!({ "filter": filter })).await }
    };
    assert_eq!(
        count(json!({ "statuses": ["DRAFT"] })).await["postings"]["totalCount"],
        1
    );
    assert_eq!(
        count(json!({ "statuses": ["OPEN", "CLOSED"] })).await["postings"]["totalCount"],
        2
    );
    let africa = count(json!({ "regionId": id_of("regions", "Remote-Africa") })).await;
    assert_eq!(titles(&africa), ["Senior Backend Engineer (Elixir)"]);
    let elixir = count(json!({ "skillId": id_of("skills", "Elixir") })).await;
    assert!(titles(&elixir).contains(&"Senior Backend Engineer (Elixir)".to_owned()));
    let payroll = count(json!({ "teamId": id_of("teams", "Payroll Engine") })).await;
    assert!(payroll["postings"]["totalCount"].as_u64().unwrap_or(0) >= 1);
    let search = count(json!({ "search": "FRONTEND" })).await;
    assert_eq!(titles(&search), ["Senior Frontend Engineer (React)"]);
    let literal = count(json!({ "search": "%" })).await;
    assert_eq!(
        literal["postings"]["totalCount"], 0,
        "LIKE wildcards in a search are literal"
    );
    let wrong_kind = app
        .graphql(
            Some(&app.admin()),
            query,
            json!({ "filter": { "teamId": id_of("skills", "Elixir") } }),
        )
        .await;
    assert_eq!(wrong_kind.error_code(), "BAD_USER_INPUT");
}

#[tokio::test]
async fn postings_are_ordered_as_asked() {
    let app = TestApp::demo().await;
    let query = "query($order: PostingOrder) { postings(first: 10, orderBy: $order, filter: {statuses: [OPEN, DRAFT, CLOSED]}) { edges { node { title } } } }";
    let ascending = app
        .admin_data(
            query,
            json!({ "order": { "field": "TITLE", "direction": "ASC" } }),
        )
        .await;
    let descending = app
        .admin_data(
            query,
            json!({ "order": { "field": "TITLE", "direction": "DESC" } }),
        )
        .await;
    let mut up = field(&ascending["postings"], "title");
    let down = field(&descending["postings"], "title");
    let mut sorted = up.clone();
    sorted.sort();
    assert_eq!(up, sorted);
    up.reverse();
    assert_eq!(up, down);
}

#[tokio::test]
async fn candidates_filter_by_text_and_country() {
    let app = TestApp::demo().await;
    let query = "query($filter: CandidateFilter) { candidates(first: 50, filter: $filter) { totalCount edges { node { name email country { code } } } } }";
    let all = app.admin_data(query, json!({ "filter": {} })).await;
    let first = &all["candidates"]["edges"][0]["node"];
    let name = first["name"].as_str().expect("a name");
    let surname = name
        .split_whitespace()
        .last()
        .expect("a surname")
        .to_uppercase();
    let by_name = app
        .admin_data(query, json!({ "filter": { "search": surname } }))
        .await;
    assert!(field(&by_name["candidates"], "name").contains(&name.to_owned()));
    let email = first["email"].as_str().expect("an email");
    let local = email.split('@').next().expect("a local part");
    let by_email = app
        .admin_data(query, json!({ "filter": { "search": local } }))
        .await;
    assert!(field(&by_email["candidates"], "email").contains(&email.to_owned()));
    let kenya = app
        .admin_data(query, json!({ "filter": { "countryCode": "ke" } }))
        .await;
    let edges = kenya["candidates"]["edges"].as_array().expect("edges");
    assert!(!edges.is_empty());
    assert!(edges.iter().all(|e| e["node"]["country"]["code"] == "KE"));
    let unknown = app
        .graphql(
            Some(&app.admin()),
            query,
            json!({ "filter": { "countryCode": "XX" } }),
        )
        .await;
    assert_eq!(unknown.error_code(), "BAD_USER_INPUT");
}

#[tokio::test]
async fn applications_filter_by_stage_and_status_at_the_top_and_nested() {
    let app = TestApp::demo().await;
    let rejected = app
        .admin_data(
            "{ applications(first: 50, filter: {statuses: [REJECTED]}) { totalCount edges { node { status } } } }",
            Value::Null,
        )
        .await;
    let edges = rejected["applications"]["edges"].as_array().expect("edges");
    assert!(!edges.is_empty());
    assert!(edges.iter().all(|e| e["node"]["status"] == "REJECTED"));

    let posting = app
        .admin_data(
            r#"{ posting(slug: "senior-backend-engineer-elixir") {
                interviewPlan { id position }
                all: applications(first: 100) { totalCount }
                exercise: applications(first: 100, filter: {stageKinds: [TAKE_HOME_EXERCISE]}) {
                    edges { node { currentStage { kind } } }
                }
            } }"#,
            Value::Null,
        )
        .await;
    let posting = &posting["posting"];
    let exercise = posting["exercise"]["edges"].as_array().expect("edges");
    assert!(!exercise.is_empty());
    assert!(
        exercise
            .iter()
            .all(|e| e["node"]["currentStage"]["kind"] == "TAKE_HOME_EXERCISE")
    );
    let stage = posting["interviewPlan"][1]["id"].clone();
    let at_stage = app
        .admin_data(
            "query($stage: ID!) { applications(first: 50, filter: {stageId: $stage}) { edges { node { currentStage { id } } } } }",
            json!({ "stage": stage }),
        )
        .await;
    let edges = at_stage["applications"]["edges"].as_array().expect("edges");
    assert!(!edges.is_empty());
    assert!(
        edges
            .iter()
            .all(|e| e["node"]["currentStage"]["id"] == stage)
    );
}

#[tokio::test]
async fn a_nested_connection_pages_like_a_top_level_one() {
    let app = TestApp::demo().await;
    let query = r#"query($after: String) { posting(slug: "senior-backend-engineer-elixir") {
        applications(first: 4, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } }
    } }"#;
    let mut seen = Vec::new();
    let mut after = Value::Null;
    loop {
        let data = app.admin_data(query, json!({ "after": after })).await;
        let page = &data["posting"]["applications"];
        seen.extend(crate::support::ids(page));
        if page["pageInfo"]["hasNextPage"] == false {
            assert_eq!(page["totalCount"], seen.len());
            break;
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), seen.len(), "no application is listed twice");
    assert!(seen.len() > 4, "more than one page");
}

#[tokio::test]
async fn interviews_filter_by_interviewer_and_time_window() {
    let app = TestApp::demo().await;
    let everyone = app
        .admin_data(
            "{ interviews(first: 100) { totalCount edges { node { startsAt interviewers { id } } } } }",
            Value::Null,
        )
        .await;
    let edges = everyone["interviews"]["edges"]
        .as_array()
        .expect("edges")
        .clone();
    let interviewer = edges
        .iter()
        .find_map(|e| {
            e["node"]["interviewers"][0]["id"]
                .as_str()
                .map(str::to_owned)
        })
        .expect("an interview with an interviewer");
    let theirs = edges
        .iter()
        .filter(|e| {
            e["node"]["interviewers"]
                .as_array()
                .is_some_and(|l| l.iter().any(|u| u["id"] == interviewer.as_str()))
        })
        .count();
    let mine = app
        .admin_data(
            "query($me: ID!) { interviews(first: 100, filter: {interviewerId: $me}) { totalCount } }",
            json!({ "me": interviewer }),
        )
        .await;
    assert_eq!(mine["interviews"]["totalCount"], theirs);

    let starts: Vec<&str> = edges
        .iter()
        .map(|e| e["node"]["startsAt"].as_str().expect("a time"))
        .collect();
    let mut sorted = starts.clone();
    sorted.sort();
    assert_eq!(starts, sorted, "interviews are listed by start time");
    let window = app
        .admin_data(
            "query($from: DateTime!, $to: DateTime!) { interviews(first: 100, filter: {startsAfter: $from, startsBefore: $to}) { edges { node { startsAt } } } }",
            json!({ "from": starts[1], "to": starts[starts.len() - 1] }),
        )
        .await;
    let inside = window["interviews"]["edges"].as_array().expect("edges");
    assert!(!inside.is_empty());
    assert!(inside.iter().all(|e| {
        let at = e["node"]["startsAt"].as_str().unwrap_or_default();
        at >= starts[1] && at < starts[starts.len() - 1]
    }));
}
