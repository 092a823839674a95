//! The whole process of the demo posting, as the careers site and the hiring
//! team drive it through the API: a candidate applies, goes through all 8
//! steps (reviews, meetings, the take-home exercise and its review, the
//! verification), gets an offer within the band, accepts, and is hired.

use chrono::{Duration, Utc};
use entity::enums::Role;
use serde_json::{Value, json};

use crate::support::{TestApp, key};

/// Runs `query` as `token`, asserting the payload at `field` has no user errors.
async fn ok(app: &TestApp, token: &str, query: &str, variables: Value, field: &str) -> Value {
    let reply = app.graphql(Some(token), query, variables).await;
    let payload = reply.data()[field].clone();
    assert_eq!(payload["userErrors"], json!([]), "{field}: {payload}");
    payload
}

struct Story<'a> {
    app: &'a TestApp,
    recruiter: String,
    application: Value,
    version: i64,
}

impl Story<'_> {
    async fn move_to(&mut self, stage: &Value) {
        let payload = ok(
            self.app,
            &self.recruiter,
            "mutation($input: MoveApplicationToStageInput!) { moveApplicationToStage(input: $input) { application { version currentStage { position } } userErrors { field code message } } }",
            json!({ "input": { "applicationId": self.application, "stageId": stage["id"], "expectedVersion": self.version } }),
            "moveApplicationToStage",
        )
        .await;
        assert_eq!(
            payload["application"]["currentStage"]["position"],
            stage["position"]
        );
        self.version = payload["application"]["version"]
            .as_i64()
            .expect("a version");
    }

    /// Books a meeting a few days out, then lets time pass until it is held.
    async fn meet(&self, interviewers: &[&str], days: i64) -> Value {
        let mut ids = Vec::new();
        for email in interviewers {
            ids.push(self.app.user_id(email).await);
        }
        let start = (Utc::now() + Duration::days(days))
            .date_naive()
            .and_hms_opt(9, 0, 0)
            .expect("a time")
            .and_utc();
        let booked = ok(
            self.app,
            &self.recruiter,
            "mutation($input: ScheduleInterviewInput!) { scheduleInterview(input: $input) { interview { id } userErrors { field code message } } }",
            json!({ "input": {
                "applicationId": self.application, "startsAt": start.to_rfc3339(), "endsAt": (start + Duration::hours(1)).to_rfc3339(),
                "timeZone": "Africa/Lagos", "interviewerIds": ids, "meetingUrl": "https://meet.example.com/story"
            } }),
            "scheduleInterview",
        )
        .await;
        let id = booked["interview"]["id"].clone();
        // Time passes: the meeting took place an hour ago.
        let held = Utc::now() - Duration::hours(2);
        let sql = match std::env::var("DATABASE_URL") {
            Ok(url) if url.starts_with("postgres") => format!(
                "UPDATE interviews SET starts_at = '{}', ends_at = '{}' WHERE id = {}",
                held.to_rfc3339(),
                (held + Duration::hours(1)).to_rfc3339(),
                key(&id)
            ),
            _ => format!(
                "UPDATE interviews SET starts_at = '{}', ends_at = '{}' WHERE id = {}",
                held.to_rfc3339(),
                (held + Duration::hours(1)).to_rfc3339(),
                key(&id)
            ),
        };
        self.app.execute(&sql).await;
        self.complete(&id).await;
        id
    }

    async fn assign(&self, reviewers: &[&str]) -> Value {
        let mut ids = Vec::new();
        for email in reviewers {
            ids.push(self.app.user_id(email).await);
        }
        let sent = ok(
            self.app,
            &self.recruiter,
            "mutation($input: SendAssignmentInput!) { sendAssignment(input: $input) { interview { id dueAt } userErrors { field code message } } }",
            json!({ "input": { "applicationId": self.application, "reviewerIds": ids } }),
            "sendAssignment",
        )
        .await;
        sent["interview"]["id"].clone()
    }

    async fn complete(&self, interview: &Value) {
        let done = ok(
            self.app,
            &self.recruiter,
            "mutation($id: ID!) { completeInterview(input: {id: $id}) { interview { status } userErrors { field code message } } }",
            json!({ "id": interview }),
            "completeInterview",
        )
        .await;
        assert_eq!(done["interview"]["status"], "COMPLETED");
    }

    async fn scorecard(
        &self,
        interviewer: &str,
        role: Role,
        interview: &Value,
        posting: &Value,
        recommendation: &str,
    ) {
        let ratings: Vec<Value> = posting["skills"]
            .as_array()
            .expect("skills")
            .iter()
            .filter(|s| s["requirement"] == "MUST_HAVE")
            .map(|s| json!({ "skillId": s["skill"]["id"], "rating": 4 }))
            .collect();
        ok(
            self.app,
            &self.app.token(interviewer, role),
            "mutation($input: SubmitScorecardInput!) { submitScorecard(input: $input) { scorecard { id } userErrors { field code message } } }",
            json!({ "input": { "interviewId": interview, "recommendation": recommendation, "ratings": ratings, "notes": "Clear, pragmatic, kind." } }),
            "submitScorecard",
        )
        .await;
    }
}

#[tokio::test]
async fn a_candidate_goes_from_applying_through_all_eight_steps_to_hired() {
    let app = TestApp::demo().await;
    let posting = app.demo_posting().await;
    let plan: Vec<Value> = posting["interviewPlan"].as_array().expect("a plan").clone();
    assert_eq!(plan.len(), 8);

    // The careers site: an anonymous application from Lagos.
    let applied = app
        .graphql(
            None,
            r#"mutation($input: ApplyToPostingInput!) { applyToPosting(input: $input) { receipt { applicationId alreadyApplied } userErrors { field code } } }"#,
            json!({ "input": {
                "slug": "senior-backend-engineer-elixir", "email": "ifeoma.nwosu@example.com", "name": "Ifeoma Nwosu",
                "countryCode": "NG", "timeZone": "Africa/Lagos", "links": ["https://github.com/ifeoma"], "consent": true
            } }),
        )
        .await;
    let application = applied.data()["applyToPosting"]["receipt"]["applicationId"].clone();
    let mut story = Story {
        app: &app,
        recruiter: app.token("wanjiru.kamau@hiregraph.example", Role::Recruiter),
        application,
        version: 1,
    };

    // 1. (async) The recruiter reviews the application.
    let review = story.assign(&["wanjiru.kamau@hiregraph.example"]).await;
    story.complete(&review).await;
    story.move_to(&plan[1]).await;
    // 2. Interview with the recruiter.
    let screen = story.meet(&["wanjiru.kamau@hiregraph.example"], 10).await;
    story
        .scorecard(
            "wanjiru.kamau@hiregraph.example",
            Role::Recruiter,
            &screen,
            &posting,
            "YES",
        )
        .await;
    story.move_to(&plan[2]).await;
    // 3. Interview with an engineering manager.
    let manager = story.meet(&["tomasz.nowak@hiregraph.example"], 11).await;
    story
        .scorecard(
            "tomasz.nowak@hiregraph.example",
            Role::HiringManager,
            &manager,
            &posting,
            "YES",
        )
        .await;
    story.move_to(&plan[3]).await;
    // 4. (async) The code exercise, submitted by the candidate.
    let exercise = story.assign(&["kwame.mensah@hiregraph.example"]).await;
    ok(
        &app,
        &story.recruiter,
        "mutation($input: RecordSubmissionInput!) { recordSubmission(input: $input) { interview { status } userErrors { field code message } } }",
        json!({ "input": { "interviewId": exercise, "submissionUrl": "https://github.com/ifeoma/exercise" } }),
        "recordSubmission",
    )
    .await;
    story.move_to(&plan[4]).await;
    // 5. (async) Engineers review the exercise.
    let exercise_review = story
        .assign(&[
            "kwame.mensah@hiregraph.example",
            "chiamaka.eze@hiregraph.example",
        ])
        .await;
    story
        .scorecard(
            "kwame.mensah@hiregraph.example",
            Role::Interviewer,
            &exercise_review,
            &posting,
            "STRONG_YES",
        )
        .await;
    story.complete(&exercise_review).await;
    story.move_to(&plan[5]).await;
    // 6. Interview with members of the engineering team.
    let team = story
        .meet(
            &[
                "chiamaka.eze@hiregraph.example",
                "diego.ramirez@hiregraph.example",
            ],
            12,
        )
        .await;
    story
        .scorecard(
            "chiamaka.eze@hiregraph.example",
            Role::Interviewer,
            &team,
            &posting,
            "YES",
        )
        .await;
    story
        .scorecard(
            "diego.ramirez@hiregraph.example",
            Role::Interviewer,
            &team,
            &posting,
            "STRONG_YES",
        )
        .await;
    story.move_to(&plan[6]).await;
    // 7. Interview with the VP of Engineering.
    let vp = story.meet(&["marta.oliveira@hiregraph.example"], 13).await;
    story
        .scorecard(
            "marta.oliveira@hiregraph.example",
            Role::HiringManager,
            &vp,
            &posting,
            "STRONG_YES",
        )
        .await;
    story.move_to(&plan[7]).await;
    // 8. (async) Prior employment verification.
    let verification = story.assign(&["wanjiru.kamau@hiregraph.example"]).await;
    story.complete(&verification).await;

    offer_and_hire(&mut story).await;

    // The log tells the whole story, and the funnel counts the hire.
    let data = app
        .admin_data(
            r#"query($id: ID!) { application(id: $id) {
                status team { name }
                history { toStage { position } toStatus }
                scorecardSummary { count }
                posting { funnel { hired } }
            } }"#,
            json!({ "id": story.application }),
        )
        .await;
    let application = &data["application"];
    assert_eq!(application["status"], "HIRED");
    assert!(
        application["team"]["name"].is_string(),
        "the team is settled"
    );
    let stages: Vec<i64> = application["history"]
        .as_array()
        .expect("history")
        .iter()
        .map(|t| t["toStage"]["position"].as_i64().unwrap_or(0))
        .collect();
    assert_eq!(
        stages,
        [1, 2, 3, 4, 5, 6, 7, 8, 8],
        "applied, seven moves, hired"
    );
    assert_eq!(
        application["history"]
            .as_array()
            .and_then(|h| h.last())
            .map(|t| t["toStatus"].clone()),
        Some(json!("HIRED"))
    );
    assert_eq!(application["scorecardSummary"]["count"], 6);
    assert_eq!(application["posting"]["funnel"]["hired"], 1);
}

/// The offer at the last step: made within the band, approved by the hiring
/// manager, sent and accepted, which hires.
async fn offer_and_hire(story: &mut Story<'_>) {
    let app = story.app;
    let reference = app
        .admin_data(
            r#"{ levels(first: 20) { nodes { id code } } teams(first: 20) { nodes { id name } } }"#,
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
    let offer = ok(
        app,
        &story.recruiter,
        r#"mutation($input: CreateOfferInput!) { createOffer(input: $input) {
            offer { id status withinBand compaRatio baseSalary { amount currency } geoZone { name } band { minimum { amount } maximum { amount } } }
            userErrors { field code message }
        } }"#,
        json!({ "input": {
            "applicationId": story.application, "levelId": pick("levels", "code", "IC3"),
            "baseSalary": { "amount": "98550.00", "currency": "USD" }, "teamId": pick("teams", "name", "Payroll Engine")
        } }),
        "createOffer",
    )
    .await["offer"]
        .clone();
    assert_eq!(offer["status"], "DRAFT");
    assert_eq!(offer["withinBand"], true, "{offer}");
    let id = json!({ "input": { "offerId": offer["id"] } });
    ok(app, &story.recruiter, "mutation($input: SubmitOfferForApprovalInput!) { submitOfferForApproval(input: $input) { offer { status } userErrors { field code message } } }", id.clone(), "submitOfferForApproval").await;
    let manager = app.token("tomasz.nowak@hiregraph.example", Role::HiringManager);
    ok(app, &manager, "mutation($input: ApproveOfferInput!) { approveOffer(input: $input) { offer { status } userErrors { field code message } } }", id.clone(), "approveOffer").await;
    ok(app, &story.recruiter, "mutation($input: SendOfferInput!) { sendOffer(input: $input) { offer { status } userErrors { field code message } } }", id.clone(), "sendOffer").await;
    let accepted = ok(
        app,
        &story.recruiter,
        "mutation($input: AcceptOfferInput!) { acceptOffer(input: $input) { offer { status } application { status version } userErrors { field code message } } }",
        id,
        "acceptOffer",
    )
    .await;
    assert_eq!(accepted["offer"]["status"], "ACCEPTED");
    assert_eq!(accepted["application"]["status"], "HIRED");
    story.version = accepted["application"]["version"]
        .as_i64()
        .expect("a version");
}
