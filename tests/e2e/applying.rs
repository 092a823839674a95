//! Applying from the careers site.

use serde_json::{Value, json};

use crate::support::{RECRUITER, TestApp, error, user_errors};
use entity::enums::Role;

const APPLY: &str = r#"mutation($input: ApplyToPostingInput!) {
    applyToPosting(input: $input) {
        receipt { applicationId alreadyApplied appliedAt posting { title } }
        application { id status currentStage { position } candidate { email } }
        userErrors { field code message }
    }
}"#;

fn applicant(email: &str, country: &str) -> Value {
    json!({
        "slug": "senior-backend-engineer-elixir",
        "email": email,
        "name": "Amara Okafor",
        "countryCode": country,
        "timeZone": "Africa/Lagos",
        "links": ["https://github.com/amara"],
        "consent": true
    })
}

#[tokio::test]
async fn an_anonymous_applicant_gets_a_receipt_and_starts_at_the_first_stage() {
    let app = TestApp::demo().await;
    let reply = app
        .graphql(
            None,
            APPLY,
            json!({ "input": applicant("Amara.Okafor@Example.com", "NG") }),
        )
        .await;
    let payload = &reply.data()["applyToPosting"];
    assert_eq!(payload["userErrors"], json!([]));
    assert_eq!(payload["receipt"]["alreadyApplied"], false);
    assert_eq!(
        payload["receipt"]["posting"]["title"],
        "Senior Backend Engineer (Elixir)"
    );
    assert_eq!(
        payload["application"],
        Value::Null,
        "anonymous callers do not get the application"
    );
    let id = payload["receipt"]["applicationId"].clone();

    let staff = app
        .admin_data(
            r#"query($id: ID!) { application(id: $id) {
                status version currentStage { position }
                candidate { email source consentGivenAt retainUntil }
                history { fromStage { id } toStage { position } toStatus actor { id } }
            } }"#,
            json!({ "id": id }),
        )
        .await;
    let application = &staff["application"];
    assert_eq!(application["status"], "ACTIVE");
    assert_eq!(application["version"], 1);
    assert_eq!(application["currentStage"]["position"], 1);
    assert_eq!(
        application["candidate"]["email"],
        "Amara.Okafor@Example.com"
    );
    assert_eq!(application["candidate"]["source"], "CAREERS_SITE");
    assert!(application["candidate"]["consentGivenAt"].is_string());
    assert!(application["candidate"]["retainUntil"].is_string());
    assert_eq!(
        application["history"],
        json!([{ "fromStage": null, "toStage": { "position": 1 }, "toStatus": "ACTIVE", "actor": null }])
    );
}

#[tokio::test]
async fn applying_again_returns_the_first_application_and_writes_nothing() {
    let app = TestApp::demo().await;
    let first = app
        .graphql(
            None,
            APPLY,
            json!({ "input": applicant("amara@example.com", "NG") }),
        )
        .await;
    let before = (
        app.count("SELECT COUNT(*) FROM candidates").await,
        app.count("SELECT COUNT(*) FROM applications").await,
        app.count("SELECT COUNT(*) FROM stage_transitions").await,
    );
    let again = app
        .graphql(
            None,
            APPLY,
            json!({ "input": applicant("  AMARA@example.com ", "NG") }),
        )
        .await;
    let receipt = &again.data()["applyToPosting"]["receipt"];
    assert_eq!(receipt["alreadyApplied"], true);
    assert_eq!(
        receipt["applicationId"],
        first.data()["applyToPosting"]["receipt"]["applicationId"]
    );
    let after = (
        app.count("SELECT COUNT(*) FROM candidates").await,
        app.count("SELECT COUNT(*) FROM applications").await,
        app.count("SELECT COUNT(*) FROM stage_transitions").await,
    );
    assert_eq!(before, after);
}

#[tokio::test]
async fn simultaneous_first_applications_of_one_person_make_one_application() {
    let app = TestApp::demo().await;
    let input = json!({ "input": applicant("twice@example.com", "KE") });
    let (a, b, c) = tokio::join!(
        app.graphql(None, APPLY, input.clone()),
        app.graphql(None, APPLY, input.clone()),
        app.graphql(None, APPLY, input.clone())
    );
    let ids: Vec<&Value> = [&a, &b, &c]
        .iter()
        .map(|r| &r.data()["applyToPosting"]["receipt"]["applicationId"])
        .collect();
    assert!(ids.iter().all(|id| *id == ids[0]), "{ids:?}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM candidates WHERE email_normalized = 'twice@example.com'")
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM applications a JOIN candidates c ON c.id = a.candidate_id WHERE c.email_normalized = 'twice@example.com'").await,
        1
    );
}

#[tokio::test]
async fn a_candidate_outside_the_postings_regions_is_told_why() {
    let app = TestApp::demo().await;
    let reply = app
        .graphql(
            None,
            APPLY,
            json!({ "input": applicant("claire@example.fr", "FR") }),
        )
        .await;
    let payload = &reply.data()["applyToPosting"];
    assert_eq!(user_errors(payload), [error("countryCode", "NOT_ELIGIBLE")]);
    let message = payload["userErrors"][0]["message"]
        .as_str()
        .unwrap_or_default();
    assert!(
        message.contains("Remote-Africa") && message.contains("France"),
        "{message}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM candidates WHERE email_normalized = 'claire@example.fr'")
            .await,
        0
    );
}

#[tokio::test]
async fn applying_needs_consent_valid_details_and_an_open_posting() {
    let app = TestApp::demo().await;
    let mut no_consent = applicant("amara@example.com", "NG");
    no_consent["consent"] = json!(false);
    let reply = app
        .graphql(None, APPLY, json!({ "input": no_consent }))
        .await;
    assert_eq!(
        user_errors(&reply.data()["applyToPosting"]),
        [error("consent", "CONSENT_REQUIRED")]
    );

    let mut bad = applicant("not-an-email", "XX");
    bad["timeZone"] = json!("Lagos");
    let reply = app.graphql(None, APPLY, json!({ "input": bad })).await;
    assert_eq!(
        user_errors(&reply.data()["applyToPosting"]),
        [
            error("email", "INVALID_EMAIL"),
            error("countryCode", "UNKNOWN_COUNTRY"),
            error("timeZone", "UNKNOWN_TIME_ZONE")
        ]
    );

    let draft = app
        .admin_data(
            r#"{ postings(first: 5, filter: {statuses: [DRAFT]}) { nodes { slug } } }"#,
            Value::Null,
        )
        .await;
    let mut to_draft = applicant("amara@example.com", "NG");
    to_draft["slug"] = draft["postings"]["nodes"][0]["slug"].clone();
    let reply = app.graphql(None, APPLY, json!({ "input": to_draft })).await;
    assert_eq!(
        user_errors(&reply.data()["applyToPosting"]),
        [error("postingId", "INVALID_STATE")]
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM candidates WHERE email_normalized = 'amara@example.com'")
            .await,
        0
    );
}

#[tokio::test]
async fn answers_to_the_postings_questions_are_required_checked_and_stored() {
    let app = TestApp::demo().await;
    let posting = app.demo_posting().await;
    let data = app
        .admin_data(
            r#"mutation($id: ID!) { updatePosting(input: {id: $id, questions: [
                {prompt: "Why Elixir?", required: true},
                {prompt: "Anything else?"}
            ]}) { posting { questions { id prompt required } } userErrors { field code } } }"#,
            json!({ "id": posting["id"] }),
        )
        .await;
    let questions = data["updatePosting"]["posting"]["questions"].clone();
    let why = questions[0]["id"].clone();

    let reply = app
        .graphql(
            None,
            APPLY,
            json!({ "input": applicant("amara@example.com", "NG") }),
        )
        .await;
    assert_eq!(
        user_errors(&reply.data()["applyToPosting"]),
        [error("answers", "BLANK")]
    );
    assert!(
        reply.data()["applyToPosting"]["userErrors"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("Why Elixir?")
    );

    let mut wrong = applicant("amara@example.com", "NG");
    wrong["answers"] = json!([{ "questionId": why, "answer": "Because." }, { "questionId": posting["id"], "answer": "?" }]);
    let reply = app.graphql(None, APPLY, json!({ "input": wrong })).await;
    assert_eq!(
        user_errors(&reply.data()["applyToPosting"]),
        [error("answers.1.questionId", "INVALID")]
    );

    let mut good = applicant("amara@example.com", "NG");
    good["answers"] =
        json!([{ "questionId": why, "answer": "It fits how I think about systems." }]);
    let reply = app
        .graphql(
            Some(&app.token(RECRUITER, Role::Recruiter)),
            APPLY,
            json!({ "input": good }),
        )
        .await;
    let payload = &reply.data()["applyToPosting"];
    assert_eq!(payload["userErrors"], json!([]));
    let answers = app
        .admin_data(
            "query($id: ID!) { application(id: $id) { answers { question { prompt } answer } } }",
            json!({ "id": payload["application"]["id"] }),
        )
        .await;
    assert_eq!(
        answers["application"]["answers"],
        json!([{ "question": { "prompt": "Why Elixir?" }, "answer": "It fits how I think about systems." }])
    );
    let removing = app
        .admin_data(
            "mutation($id: ID!) { updatePosting(input: {id: $id, questions: []}) { userErrors { field code } } }",
            json!({ "id": posting["id"] }),
        )
        .await;
    assert_eq!(
        user_errors(&removing["updatePosting"]),
        [error("questions", "IN_USE")],
        "answered questions stay"
    );
}
