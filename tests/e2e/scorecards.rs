//! Scorecards: who may submit one and when, what it must rate, and who may
//! read the others'.

use entity::enums::Role;
use serde_json::{Value, json};

use crate::support::{TestApp, error, user_errors};

const SUBMIT: &str = r#"mutation($input: SubmitScorecardInput!) {
    submitScorecard(input: $input) {
        scorecard { recommendation interviewer { email } ratings { skill { name } rating } }
        userErrors { field code message }
    }
}"#;

const READ: &str = r#"query($id: ID!) { application(id: $id) {
    scorecards { interviewer { email } recommendation }
    scorecardSummary { count recommendations { recommendation count } skills { skill { name } average ratings } }
} }"#;

/// Grace's team interview (stage 6) took place with Chiamaka and Youssef.
async fn grace(app: &TestApp) -> (Value, Value) {
    let grace = app.demo_application("Grace Namutebi").await;
    let interview = grace["interviews"]["nodes"]
        .as_array()
        .expect("interviews")
        .iter()
        .find(|i| i["stage"]["position"] == 6)
        .cloned()
        .expect("Grace's team interview");
    (grace, interview)
}

fn skill(posting: &Value, name: &str) -> Value {
    posting["skills"]
        .as_array()
        .expect("skills")
        .iter()
        .find(|s| s["skill"]["name"] == name)
        .map(|s| s["skill"]["id"].clone())
        .unwrap_or_else(|| panic!("no {name}"))
}

fn must_haves(posting: &Value, elixir: i32, postgres: i32, cicd: i32) -> Value {
    json!([
        { "skillId": skill(posting, "Elixir"), "rating": elixir },
        { "skillId": skill(posting, "Postgres"), "rating": postgres },
        { "skillId": skill(posting, "CI/CD"), "rating": cicd }
    ])
}

#[tokio::test]
async fn a_scorecard_rates_every_must_have_skill_within_one_to_four() {
    let app = TestApp::demo().await;
    let posting = app.demo_posting().await;
    let (_, interview) = grace(&app).await;
    let chiamaka = app.token("chiamaka.eze@hiregraph.example", Role::Interviewer);
    let submit = |ratings: Value| {
        app.graphql(
            Some(&chiamaka),
            SUBMIT,
            json!({ "input": { "interviewId": interview["id"], "recommendation": "YES", "ratings": ratings } }),
        )
    };
    let missing = submit(json!([{ "skillId": skill(&posting, "Elixir"), "rating": 3 }])).await;
    let payload = &missing.data()["submitScorecard"];
    assert_eq!(user_errors(payload), [error("ratings", "BLANK")]);
    let message = payload["userErrors"][0]["message"]
        .as_str()
        .unwrap_or_default();
    assert!(
        message.contains("Postgres") && message.contains("CI/CD"),
        "{message}"
    );

    let reply = submit(must_haves(&posting, 3, 5, 3)).await;
    assert_eq!(
        user_errors(&reply.data()["submitScorecard"]),
        [error("ratings.1.rating", "OUT_OF_RANGE")]
    );

    let phoenix = app
        .admin_data("{ skills(first: 100) { nodes { id name } } }", Value::Null)
        .await["skills"]["nodes"]
        .as_array()
        .expect("skills")
        .iter()
        .find(|s| s["name"] == "Phoenix")
        .map(|s| s["id"].clone())
        .expect("Phoenix is a skill the posting does not ask for");
    let mut off_posting = must_haves(&posting, 3, 3, 3);
    if let Some(list) = off_posting.as_array_mut() {
        list.push(json!({ "skillId": phoenix, "rating": 4 }));
    }
    let reply = submit(off_posting).await;
    assert_eq!(
        user_errors(&reply.data()["submitScorecard"]),
        [error("ratings.3.skillId", "INVALID")]
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM scorecards").await,
        0,
        "nothing was written"
    );

    let good = submit(must_haves(&posting, 3, 4, 2)).await;
    let card = &good.data()["submitScorecard"]["scorecard"];
    assert_eq!(
        card["interviewer"]["email"],
        "chiamaka.eze@hiregraph.example"
    );
    assert_eq!(card["ratings"].as_array().map(Vec::len), Some(3));
    let twice = submit(must_haves(&posting, 3, 4, 2)).await;
    assert_eq!(
        user_errors(&twice.data()["submitScorecard"]),
        [error("interviewId", "TAKEN")]
    );
}

#[tokio::test]
async fn only_an_interviewer_of_the_interview_submits_and_only_once_it_started() {
    let app = TestApp::demo().await;
    let posting = app.demo_posting().await;
    let (_, interview) = grace(&app).await;
    let outsider = app
        .graphql(
            Some(&app.token("kwame.mensah@hiregraph.example", Role::Interviewer)),
            SUBMIT,
            json!({ "input": { "interviewId": interview["id"], "recommendation": "YES", "ratings": must_haves(&posting, 3, 3, 3) } }),
        )
        .await;
    assert_eq!(outsider.error_code(), "FORBIDDEN");

    let jean_paul = app.demo_application("Jean-Paul Habimana").await;
    let upcoming = jean_paul["interviews"]["nodes"]
        .as_array()
        .expect("interviews")
        .iter()
        .find(|i| i["status"] == "SCHEDULED")
        .cloned()
        .expect("Jean-Paul's team interview");
    let early = app
        .graphql(
            Some(&app.token("kwame.mensah@hiregraph.example", Role::Interviewer)),
            SUBMIT,
            json!({ "input": { "interviewId": upcoming["id"], "recommendation": "YES", "ratings": must_haves(&posting, 3, 3, 3) } }),
        )
        .await;
    assert_eq!(
        user_errors(&early.data()["submitScorecard"]),
        [error("interviewId", "INVALID_STATE")]
    );
}

#[tokio::test]
async fn an_interviewer_reads_the_others_scorecards_only_after_submitting_theirs() {
    let app = TestApp::demo().await;
    let posting = app.demo_posting().await;
    let (grace, interview) = grace(&app).await;
    let chiamaka = app.token("chiamaka.eze@hiregraph.example", Role::Interviewer);
    let youssef = app.token("youssef.benali@hiregraph.example", Role::Interviewer);
    app.graphql(
        Some(&chiamaka),
        SUBMIT,
        json!({ "input": { "interviewId": interview["id"], "recommendation": "STRONG_YES", "ratings": must_haves(&posting, 4, 3, 3) } }),
    )
    .await;

    let before = app
        .graphql(Some(&youssef), READ, json!({ "id": grace["id"] }))
        .await;
    assert_eq!(
        before.body["data"]["application"]["scorecards"],
        Value::Null
    );
    assert_eq!(
        before.body["data"]["application"]["scorecardSummary"],
        Value::Null
    );
    assert_eq!(before.error_codes(), ["FORBIDDEN", "FORBIDDEN"]);

    app.graphql(
        Some(&youssef),
        SUBMIT,
        json!({ "input": { "interviewId": interview["id"], "recommendation": "YES", "ratings": must_haves(&posting, 3, 3, 2) } }),
    )
    .await;
    let after = app
        .graphql(Some(&youssef), READ, json!({ "id": grace["id"] }))
        .await;
    let application = &after.data()["application"];
    assert_eq!(application["scorecards"].as_array().map(Vec::len), Some(2));
    let summary = &application["scorecardSummary"];
    assert_eq!(summary["count"], 2);
    assert_eq!(
        summary["recommendations"],
        json!([
            { "recommendation": "STRONG_NO", "count": 0 },
            { "recommendation": "NO", "count": 0 },
            { "recommendation": "YES", "count": 1 },
            { "recommendation": "STRONG_YES", "count": 1 }
        ])
    );
    let averages: Vec<(String, f64)> = summary["skills"]
        .as_array()
        .expect("skills")
        .iter()
        .map(|s| {
            (
                s["skill"]["name"].as_str().unwrap_or_default().to_owned(),
                s["average"].as_f64().unwrap_or(0.0),
            )
        })
        .collect();
    assert!(averages.contains(&("Elixir".to_owned(), 3.5)));
    assert!(averages.contains(&("CI/CD".to_owned(), 2.5)));

    let manager = app
        .graphql(
            Some(&app.token("tomasz.nowak@hiregraph.example", Role::HiringManager)),
            READ,
            json!({ "id": grace["id"] }),
        )
        .await;
    assert_eq!(
        manager.data()["application"]["scorecards"]
            .as_array()
            .map(Vec::len),
        Some(2),
        "the hiring manager reads them"
    );
}
