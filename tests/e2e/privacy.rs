//! A candidate's data rights: export everything, erase everything personal,
//! and the retention purge.

use entity::enums::Role;
use serde_json::{Value, json};

use crate::support::{RECRUITER, TestApp, error, user_errors};

const EXPORT: &str = "mutation($id: ID!) { exportCandidateData(input: {candidateId: $id}) { data userErrors { field code } } }";
const ERASE: &str = "mutation($id: ID!) { eraseCandidate(input: {candidateId: $id}) { candidate { id name email phone links erasedAt } userErrors { field code } } }";

/// Grace has the richest history in the demo: every stage up to the last,
/// interviews, take-home and review.
async fn grace(app: &TestApp) -> Value {
    app.demo_application("Grace Namutebi").await
}

/// Adds personal free text about Grace everywhere it can live.
async fn add_personal_text(app: &TestApp, grace: &Value) {
    let posting = app.demo_posting().await;
    let updated = app
        .admin_data(
            r#"mutation($id: ID!) { updatePosting(input: {id: $id, questions: [{prompt: "Favourite OTP pattern?"}]}) { posting { questions { id } } } }"#,
            json!({ "id": posting["id"] }),
        )
        .await;
    let question = updated["updatePosting"]["posting"]["questions"][0]["id"].clone();
    app.execute(&format!(
        "INSERT INTO application_answers (application_id, question_id, answer) VALUES ({}, {}, 'GenServers remind me of Kampala traffic lights')",
        crate::support::key(&grace["id"]),
        crate::support::key(&question)
    ))
    .await;
    let team_interview = grace["interviews"]["nodes"]
        .as_array()
        .expect("interviews")
        .iter()
        .find(|i| i["stage"]["position"] == 6)
        .cloned()
        .expect("the team interview");
    let ratings: Vec<Value> = posting["skills"]
        .as_array()
        .expect("skills")
        .iter()
        .filter(|s| s["requirement"] == "MUST_HAVE")
        .map(|s| json!({ "skillId": s["skill"]["id"], "rating": 3, "note": "Grace walked through her Kampala fintech migration" }))
        .collect();
    app.graphql(
        Some(&app.token("chiamaka.eze@hiregraph.example", Role::Interviewer)),
        "mutation($input: SubmitScorecardInput!) { submitScorecard(input: $input) { userErrors { code } } }",
        json!({ "input": { "interviewId": team_interview["id"], "recommendation": "YES", "ratings": ratings, "notes": "Grace Namutebi was calm under pressure" } }),
    )
    .await;
}

#[tokio::test]
async fn an_export_holds_everything_about_the_candidate() {
    let app = TestApp::demo().await;
    let grace = grace(&app).await;
    add_personal_text(&app, &grace).await;
    let data = app
        .admin_data(EXPORT, json!({ "id": grace["candidate"]["id"] }))
        .await;
    let document = &data["exportCandidateData"]["data"];
    assert_eq!(document["candidate"]["name"], "Grace Namutebi");
    assert_eq!(document["candidate"]["email"], grace["candidate"]["email"]);
    let application = &document["applications"][0];
    assert_eq!(
        application["posting"]["slug"],
        "senior-backend-engineer-elixir"
    );
    assert!(
        application["history"]
            .as_array()
            .is_some_and(|h| h.len() >= 8)
    );
    assert_eq!(
        application["answers"][0]["answer"],
        "GenServers remind me of Kampala traffic lights"
    );
    let scorecards: Vec<&Value> = application["interviews"]
        .as_array()
        .expect("interviews")
        .iter()
        .flat_map(|i| i["scorecards"].as_array().into_iter().flatten())
        .collect();
    assert_eq!(scorecards.len(), 1);
    assert_eq!(
        scorecards[0]["notes"],
        "Grace Namutebi was calm under pressure"
    );
    assert!(
        document["auditEvents"]
            .as_array()
            .is_some_and(|e| !e.is_empty())
    );
    let logged = app
        .count("SELECT COUNT(*) FROM audit_events WHERE action = 'candidate.export'")
        .await;
    assert_eq!(logged, 1, "an export is itself recorded");
}

#[tokio::test]
async fn after_erasure_nothing_personal_about_the_candidate_remains_anywhere() {
    let app = TestApp::demo().await;
    let grace = grace(&app).await;
    add_personal_text(&app, &grace).await;
    let export = app
        .admin_data(EXPORT, json!({ "id": grace["candidate"]["id"] }))
        .await;
    let document = export["exportCandidateData"]["data"].clone();
    let candidate = &document["candidate"];
    let mut personal: Vec<String> = vec![
        candidate["name"].as_str().expect("a name").to_owned(),
        candidate["email"].as_str().expect("an email").to_owned(),
        "Namutebi".to_owned(),
        "Africa/Kampala".to_owned(),
        "Kampala traffic lights".to_owned(),
        "Kampala fintech migration".to_owned(),
    ];
    personal.extend(candidate["phone"].as_str().map(str::to_owned));
    personal.extend(
        candidate["links"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|l| l.as_str().map(str::to_owned)),
    );
    for application in document["applications"].as_array().expect("applications") {
        for interview in application["interviews"].as_array().expect("interviews") {
            personal.extend(interview["meetingUrl"].as_str().map(str::to_owned));
            personal.extend(interview["submissionUrl"].as_str().map(str::to_owned));
        }
    }
    let everything = app.everything().await;
    for value in &personal {
        assert!(
            everything.contains(value.as_str()),
            "the test data holds {value} before erasure"
        );
    }
    let applications_before = app.count("SELECT COUNT(*) FROM applications").await;
    let history_before = app.count("SELECT COUNT(*) FROM stage_transitions").await;

    let data = app
        .admin_data(ERASE, json!({ "id": grace["candidate"]["id"] }))
        .await;
    let erased = &data["eraseCandidate"]["candidate"];
    assert!(erased["erasedAt"].is_string());
    assert_eq!(erased["phone"], Value::Null);
    assert_eq!(erased["links"], json!([]));

    let everything = app.everything().await;
    for value in &personal {
        assert!(
            !everything.contains(value.as_str()),
            "{value} is still in the database"
        );
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM applications").await,
        applications_before,
        "applications stay for statistics"
    );
    assert!(
        app.count("SELECT COUNT(*) FROM stage_transitions").await >= history_before,
        "history stays"
    );
    let status = app
        .admin_data(
            "query($id: ID!) { application(id: $id) { status history { toStatus } } }",
            json!({ "id": grace["id"] }),
        )
        .await;
    assert_eq!(
        status["application"]["status"], "WITHDRAWN",
        "an active application is withdrawn"
    );
    let who_did_what = app
        .count("SELECT COUNT(*) FROM audit_events WHERE object_type = 'Application' AND actor_id IS NOT NULL")
        .await;
    assert!(who_did_what > 0, "the log keeps who did what");

    let again = app
        .admin_data(ERASE, json!({ "id": grace["candidate"]["id"] }))
        .await;
    assert_eq!(
        user_errors(&again["eraseCandidate"]),
        [error("candidateId", "INVALID_STATE")]
    );
    let edit = app
        .admin_data(
            "mutation($id: ID!) { updateCandidate(input: {id: $id, name: \"Back\"}) { userErrors { field code } } }",
            json!({ "id": grace["candidate"]["id"] }),
        )
        .await;
    assert_eq!(
        user_errors(&edit["updateCandidate"]),
        [error("id", "INVALID_STATE")]
    );
}

#[tokio::test]
async fn privacy_operations_are_for_admins_only() {
    let app = TestApp::demo().await;
    let grace = grace(&app).await;
    for query in [EXPORT, ERASE] {
        let anonymous = app
            .graphql(None, query, json!({ "id": grace["candidate"]["id"] }))
            .await;
        assert_eq!(anonymous.error_code(), "UNAUTHENTICATED");
        let recruiter = app
            .graphql(
                Some(&app.token(RECRUITER, Role::Recruiter)),
                query,
                json!({ "id": grace["candidate"]["id"] }),
            )
            .await;
        assert_eq!(recruiter.error_code(), "FORBIDDEN");
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM candidates WHERE erased_at IS NOT NULL")
            .await,
        0
    );
}

#[tokio::test]
async fn the_purge_erases_only_candidates_past_retention_without_an_active_application() {
    let app = TestApp::demo().await;
    // Everyone's retention ends yesterday: only those with no active application go.
    app.execute("UPDATE candidates SET retain_until = '2020-01-01'")
        .await;
    let active = app
        .count("SELECT COUNT(DISTINCT candidate_id) FROM applications WHERE status = 'ACTIVE'")
        .await;
    let total = app.count("SELECT COUNT(*) FROM candidates").await;
    let purged = hiregraph_api::domain::privacy::purge_expired(
        &app.db.conn,
        chrono::Utc::now().date_naive(),
    )
    .await
    .expect("the purge runs");
    assert_eq!(purged as i64, total - active);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM candidates WHERE erased_at IS NOT NULL")
            .await,
        total - active
    );
    let still_active = app
        .count("SELECT COUNT(*) FROM candidates c WHERE c.erased_at IS NOT NULL AND EXISTS (SELECT 1 FROM applications a WHERE a.candidate_id = c.id AND a.status = 'ACTIVE')")
        .await;
    assert_eq!(still_active, 0, "nobody in an active process is erased");
    let again = hiregraph_api::domain::privacy::purge_expired(
        &app.db.conn,
        chrono::Utc::now().date_naive(),
    )
    .await
    .expect("the purge runs");
    assert_eq!(again, 0, "nobody is purged twice");
}
