//! Interviewers see what they interview for; hiring managers their postings
//! (and what they interview for); recruiters and admins everything.

use std::collections::BTreeSet;

use entity::enums::Role;
use serde_json::{Value, json};

use crate::support::{HIRING_MANAGER, INTERVIEWER, TestApp};

const LISTS: &str = r#"{
    applications(first: 100) { nodes { id candidate { name } interviews(first: 20) { nodes { interviewers { email } } } } }
    interviews(first: 100) { nodes { id interviewers { email } } }
    candidates(first: 100) { nodes { name } }
}"#;

fn names(list: &Value, path: &[&str]) -> BTreeSet<String> {
    list.as_array()
        .expect("a list")
        .iter()
        .map(|n| {
            let mut value = n;
            for key in path {
                value = &value[*key];
            }
            value.as_str().unwrap_or_default().to_owned()
        })
        .collect()
}

#[tokio::test]
async fn an_interviewer_sees_the_applications_they_interview_for_and_their_own_interviews() {
    let app = TestApp::demo().await;
    let all = app.admin_data(LISTS, Value::Null).await;
    let expected: BTreeSet<String> = all["applications"]["nodes"]
        .as_array()
        .expect("applications")
        .iter()
        .filter(|a| {
            a["interviews"]["nodes"].as_array().is_some_and(|l| {
                l.iter()
                    .any(|i| i["interviewers"].to_string().contains(INTERVIEWER))
            })
        })
        .map(|a| {
            a["candidate"]["name"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    assert!(!expected.is_empty());

    let reply = app
        .graphql(
            Some(&app.token(INTERVIEWER, Role::Interviewer)),
            LISTS,
            Value::Null,
        )
        .await;
    let data = reply.data();
    assert_eq!(
        names(&data["applications"]["nodes"], &["candidate", "name"]),
        expected
    );
    assert_eq!(names(&data["candidates"]["nodes"], &["name"]), expected);
    for interview in data["interviews"]["nodes"].as_array().expect("interviews") {
        assert!(
            interview["interviewers"].to_string().contains(INTERVIEWER),
            "only their own interviews"
        );
    }
    for application in data["applications"]["nodes"]
        .as_array()
        .expect("applications")
    {
        for interview in application["interviews"]["nodes"]
            .as_array()
            .expect("interviews")
        {
            assert!(
                interview["interviewers"].to_string().contains(INTERVIEWER),
                "nested lists narrow too"
            );
        }
    }

    let others: Vec<Value> = all["applications"]["nodes"]
        .as_array()
        .expect("applications")
        .iter()
        .filter(|a| !expected.contains(a["candidate"]["name"].as_str().unwrap_or_default()))
        .map(|a| a["id"].clone())
        .collect();
    let reply = app
        .graphql(
            Some(&app.token(INTERVIEWER, Role::Interviewer)),
            "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
            json!({ "ids": others }),
        )
        .await;
    assert!(
        reply.data()["nodes"]
            .as_array()
            .expect("nodes")
            .iter()
            .all(Value::is_null),
        "node does not reach them either"
    );
}

#[tokio::test]
async fn a_hiring_manager_sees_their_postings_and_what_they_interview_for() {
    let app = TestApp::demo().await;
    let all = app.admin_data(LISTS, Value::Null).await;
    let everyone = names(&all["applications"]["nodes"], &["candidate", "name"]);
    let manager = app
        .graphql(
            Some(&app.token(HIRING_MANAGER, Role::HiringManager)),
            LISTS,
            Value::Null,
        )
        .await;
    assert_eq!(
        names(
            &manager.data()["applications"]["nodes"],
            &["candidate", "name"]
        ),
        everyone,
        "he manages every demo posting"
    );

    let vp = app
        .graphql(
            Some(&app.token("marta.oliveira@hiregraph.example", Role::HiringManager)),
            LISTS,
            Value::Null,
        )
        .await;
    let seen = names(&vp.data()["applications"]["nodes"], &["candidate", "name"]);
    assert!(
        !seen.is_empty() && seen.len() < everyone.len(),
        "the VP sees only whom she interviews: {seen:?}"
    );
}
