//! Moving applications through the plan: the next stage normally, skips and
//! moves back with a reason, rejections, withdrawals, reopening, and the
//! version check that makes concurrent changes safe.

use entity::enums::Role;
use serde_json::{Value, json};

use crate::support::{INTERVIEWER, TestApp, error, user_errors};

const MOVE: &str = r#"mutation($input: MoveApplicationToStageInput!) {
    moveApplicationToStage(input: $input) {
        application { id version status currentStage { position } timeInCurrentStage { seconds } history { toStage { position } reason actor { email } } }
        userErrors { field code message }
    }
}"#;

fn stage(posting: &Value, position: i64) -> Value {
    posting["interviewPlan"]
        .as_array()
        .expect("a plan")
        .iter()
        .find(|s| s["position"] == position)
        .map(|s| s["id"].clone())
        .expect("the stage")
}

#[tokio::test]
async fn moving_to_the_next_stage_logs_who_did_it_and_bumps_the_version() {
    let app = TestApp::demo().await;
    let posting = app.demo_posting().await;
    let kofi = app.demo_application("Kofi Asante").await;
    let data = app
        .admin_data(
            MOVE,
            json!({ "input": { "applicationId": kofi["id"], "stageId": stage(&posting, 4), "expectedVersion": kofi["version"] } }),
        )
        .await;
    let payload = &data["moveApplicationToStage"];
    assert_eq!(payload["userErrors"], json!([]));
    let moved = &payload["application"];
    assert_eq!(moved["currentStage"]["position"], 4);
    assert_eq!(moved["version"], kofi["version"].as_i64().unwrap_or(0) + 1);
    assert!(
        moved["timeInCurrentStage"]["seconds"]
            .as_i64()
            .unwrap_or(99)
            < 60,
        "just entered"
    );
    let last = moved["history"]
        .as_array()
        .and_then(|h| h.last())
        .cloned()
        .unwrap_or_default();
    assert_eq!(last["toStage"]["position"], 4);
    assert_eq!(last["actor"]["email"], "admin@hiregraph.example");
}

#[tokio::test]
async fn skipping_or_going_back_needs_a_reason() {
    let app = TestApp::demo().await;
    let posting = app.demo_posting().await;
    let kofi = app.demo_application("Kofi Asante").await;
    for target in [5, 2, 3] {
        let data = app
            .admin_data(
                MOVE,
                json!({ "input": { "applicationId": kofi["id"], "stageId": stage(&posting, target), "expectedVersion": kofi["version"] } }),
            )
            .await;
        let expected = if target == 3 {
            error("stageId", "INVALID_STATE")
        } else {
            error("reason", "REASON_REQUIRED")
        };
        assert_eq!(
            user_errors(&data["moveApplicationToStage"]),
            [expected],
            "to stage {target}"
        );
    }
    let data = app
        .admin_data(
            MOVE,
            json!({ "input": { "applicationId": kofi["id"], "stageId": stage(&posting, 6), "expectedVersion": kofi["version"], "reason": "Strong referral; exercise waived" } }),
        )
        .await;
    let moved = &data["moveApplicationToStage"]["application"];
    assert_eq!(moved["currentStage"]["position"], 6);
    let last = moved["history"]
        .as_array()
        .and_then(|h| h.last())
        .cloned()
        .unwrap_or_default();
    assert_eq!(last["reason"], "Strong referral; exercise waived");
    let other_posting = app
        .admin_data(r#"{ postings(first: 5, filter: {statuses: [DRAFT]}) { nodes { interviewPlan { id } } } }"#, Value::Null)
        .await;
    let foreign = other_posting["postings"]["nodes"][0]["interviewPlan"][0]["id"].clone();
    let data = app
        .admin_data(
            MOVE,
            json!({ "input": { "applicationId": kofi["id"], "stageId": foreign, "expectedVersion": moved["version"] } }),
        )
        .await;
    assert_eq!(
        user_errors(&data["moveApplicationToStage"]),
        [error("stageId", "NOT_FOUND")]
    );
}

#[tokio::test]
async fn a_change_based_on_an_old_version_gets_conflict_and_the_current_state() {
    let app = TestApp::demo().await;
    let posting = app.demo_posting().await;
    let kofi = app.demo_application("Kofi Asante").await;
    let stale = kofi["version"].as_i64().unwrap_or(0) - 1;
    let data = app
        .admin_data(
            MOVE,
            json!({ "input": { "applicationId": kofi["id"], "stageId": stage(&posting, 4), "expectedVersion": stale } }),
        )
        .await;
    let payload = &data["moveApplicationToStage"];
    assert_eq!(user_errors(payload), [error("expectedVersion", "CONFLICT")]);
    assert_eq!(
        payload["application"]["version"], kofi["version"],
        "the payload carries the current state"
    );
    assert_eq!(
        payload["application"]["currentStage"]["position"], 3,
        "nothing moved"
    );
}

#[tokio::test]
async fn of_concurrent_moves_of_one_application_exactly_one_wins() {
    let app = TestApp::demo().await;
    let posting = app.demo_posting().await;
    let kofi = app.demo_application("Kofi Asante").await;
    let token = app.admin();
    let request = |target: i64, reason: &str| {
        app.graphql(
            Some(&token),
            MOVE,
            json!({ "input": { "applicationId": kofi["id"], "stageId": stage(&posting, target), "expectedVersion": kofi["version"], "reason": reason } }),
        )
    };
    let replies = futures_util::future::join_all([
        request(4, "first"),
        request(5, "second"),
        request(6, "third"),
        request(2, "fourth"),
    ])
    .await;
    let won = replies
        .iter()
        .filter(|r| r.data()["moveApplicationToStage"]["userErrors"] == json!([]))
        .count();
    let conflicts = replies
        .iter()
        .filter(|r| {
            user_errors(&r.data()["moveApplicationToStage"])
                == [error("expectedVersion", "CONFLICT")]
        })
        .count();
    assert_eq!((won, conflicts), (1, 3));
    let transitions = app
        .count("SELECT COUNT(*) FROM stage_transitions t JOIN applications a ON a.id = t.application_id JOIN candidates c ON c.id = a.candidate_id WHERE c.name = 'Kofi Asante' AND t.reason IN ('first', 'second', 'third', 'fourth')")
        .await;
    assert_eq!(transitions, 1, "exactly one transition was logged");
    let version = app.count("SELECT CAST(a.version AS BIGINT) FROM applications a JOIN candidates c ON c.id = a.candidate_id WHERE c.name = 'Kofi Asante'").await;
    assert_eq!(version, kofi["version"].as_i64().unwrap_or(0) + 1);
}

#[tokio::test]
async fn rejecting_withdrawing_and_reopening_follow_the_status_rules() {
    let app = TestApp::demo().await;
    let kofi = app.demo_application("Kofi Asante").await;
    let reject = r#"mutation($input: RejectApplicationInput!) { rejectApplication(input: $input) {
        application { version status rejectionReason rejectionNote currentStage { position } history { fromStatus toStatus reason } }
        userErrors { field code }
    } }"#;
    let data = app
        .admin_data(
            reject,
            json!({ "input": { "applicationId": kofi["id"], "expectedVersion": kofi["version"], "reason": "LACKS_REQUIRED_SKILLS", "note": "No production Elixir yet" } }),
        )
        .await;
    let rejected = &data["rejectApplication"]["application"];
    assert_eq!(rejected["status"], "REJECTED");
    assert_eq!(rejected["rejectionReason"], "LACKS_REQUIRED_SKILLS");
    assert_eq!(rejected["rejectionNote"], "No production Elixir yet");
    assert_eq!(
        rejected["currentStage"]["position"], 3,
        "a rejection keeps the stage"
    );
    let last = rejected["history"]
        .as_array()
        .and_then(|h| h.last())
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        (last["fromStatus"].clone(), last["toStatus"].clone()),
        (json!("ACTIVE"), json!("REJECTED"))
    );

    let again = app
        .admin_data(
            reject,
            json!({ "input": { "applicationId": kofi["id"], "expectedVersion": rejected["version"], "reason": "OTHER" } }),
        )
        .await;
    assert_eq!(
        user_errors(&again["rejectApplication"]),
        [error("applicationId", "INVALID_STATE")]
    );

    let reopen = r#"mutation($input: ReopenApplicationInput!) { reopenApplication(input: $input) {
        application { version status rejectionReason } userErrors { field code }
    } }"#;
    let blank = app
        .admin_data(reopen, json!({ "input": { "applicationId": kofi["id"], "expectedVersion": rejected["version"], "reason": " " } }))
        .await;
    assert_eq!(
        user_errors(&blank["reopenApplication"]),
        [error("reason", "REASON_REQUIRED")]
    );
    let reopened = app
        .admin_data(
            reopen,
            json!({ "input": { "applicationId": kofi["id"], "expectedVersion": rejected["version"], "reason": "New Elixir project on the CV" } }),
        )
        .await;
    let reopened = &reopened["reopenApplication"]["application"];
    assert_eq!(reopened["status"], "ACTIVE");
    assert_eq!(reopened["rejectionReason"], Value::Null);

    let withdraw = r#"mutation($input: WithdrawApplicationInput!) { withdrawApplication(input: $input) {
        application { status } userErrors { field code }
    } }"#;
    let withdrawn = app
        .admin_data(withdraw, json!({ "input": { "applicationId": kofi["id"], "expectedVersion": reopened["version"], "reason": "Took another offer" } }))
        .await;
    assert_eq!(
        withdrawn["withdrawApplication"]["application"]["status"],
        "WITHDRAWN"
    );

    let hire = r#"mutation($input: HireApplicationInput!) { hireApplication(input: $input) { application { status } userErrors { field code } } }"#;
    let grace = app.demo_application("Grace Namutebi").await;
    let refused = app
        .admin_data(hire, json!({ "input": { "applicationId": grace["id"], "expectedVersion": grace["version"] } }))
        .await;
    assert_eq!(
        user_errors(&refused["hireApplication"]),
        [error("applicationId", "INVALID_STATE")],
        "hiring needs an accepted offer"
    );
}

#[tokio::test]
async fn an_interviewer_cannot_move_applications() {
    let app = TestApp::demo().await;
    let posting = app.demo_posting().await;
    let kofi = app.demo_application("Kofi Asante").await;
    let reply = app
        .graphql(
            Some(&app.token(INTERVIEWER, Role::Interviewer)),
            MOVE,
            json!({ "input": { "applicationId": kofi["id"], "stageId": stage(&posting, 4), "expectedVersion": kofi["version"] } }),
        )
        .await;
    assert_eq!(reply.error_code(), "FORBIDDEN");
}
