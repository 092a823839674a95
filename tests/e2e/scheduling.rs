//! Booking meetings without double-booking anyone, changing them, and
//! assignments for asynchronous stages with their due dates.

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

use crate::support::{TestApp, error, user_errors};

const SCHEDULE: &str = r#"mutation($input: ScheduleInterviewInput!) {
    scheduleInterview(input: $input) {
        interview { id status startsAt endsAt timeZone meetingUrl stage { position } interviewers { email } }
        userErrors { field code message }
    }
}"#;

fn at(value: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(value.as_str().expect("a time"))
        .expect("RFC 3339")
        .with_timezone(&Utc)
}

fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339()
}

/// Brian is at stage 2 with a meeting booked with the recruiter.
async fn brian(app: &TestApp) -> (Value, Value) {
    let brian = app.demo_application("Brian Otieno").await;
    let booked = brian["interviews"]["nodes"]
        .as_array()
        .expect("interviews")
        .iter()
        .find(|i| i["status"] == "SCHEDULED")
        .cloned()
        .expect("Brian's scheduled interview");
    (brian, booked)
}

#[tokio::test]
async fn a_meeting_is_booked_for_the_current_stage() {
    let app = TestApp::demo().await;
    let (brian, _) = brian(&app).await;
    let kwame = app.user_id("kwame.mensah@hiregraph.example").await;
    let start = Utc::now() + Duration::days(5);
    let data = app
        .admin_data(
            SCHEDULE,
            json!({ "input": {
                "applicationId": brian["id"], "startsAt": time(start), "endsAt": time(start + Duration::minutes(45)),
                "timeZone": "Africa/Nairobi", "interviewerIds": [kwame], "meetingUrl": "https://meet.example.com/abc"
            } }),
        )
        .await;
    let payload = &data["scheduleInterview"];
    assert_eq!(payload["userErrors"], json!([]));
    let interview = &payload["interview"];
    assert_eq!(interview["status"], "SCHEDULED");
    assert_eq!(interview["stage"]["position"], 2);
    assert_eq!(interview["timeZone"], "Africa/Nairobi");
    assert_eq!(
        interview["interviewers"],
        json!([{ "email": "kwame.mensah@hiregraph.example" }])
    );
    assert_eq!(at(&interview["startsAt"]).timestamp(), start.timestamp());
}

#[tokio::test]
async fn nobody_is_booked_twice_at_the_same_time() {
    let app = TestApp::demo().await;
    let (brian, brians) = brian(&app).await;
    let kofi = app.demo_application("Kofi Asante").await;
    let kofis = kofi["interviews"]["nodes"]
        .as_array()
        .expect("interviews")
        .iter()
        .find(|i| i["status"] == "SCHEDULED")
        .cloned()
        .expect("Kofi's scheduled interview");
    let tomasz = kofis["interviewers"][0]["id"].clone();
    let kwame = app.user_id("kwame.mensah@hiregraph.example").await;

    // Tomasz is busy during Kofi's interview.
    let start = at(&kofis["startsAt"]) + Duration::minutes(30);
    let data = app
        .admin_data(
            SCHEDULE,
            json!({ "input": { "applicationId": brian["id"], "startsAt": time(start), "endsAt": time(start + Duration::hours(1)),
                "timeZone": "UTC", "interviewerIds": [kwame, tomasz] } }),
        )
        .await;
    let payload = &data["scheduleInterview"];
    assert_eq!(user_errors(payload), [error("interviewerIds.1", "OVERLAP")]);
    assert!(
        payload["userErrors"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains(kofis["id"].as_str().unwrap_or("?")),
        "the error names the conflicting interview"
    );

    // Brian himself is busy during his screen.
    let start = at(&brians["startsAt"]) + Duration::minutes(10);
    let data = app
        .admin_data(
            SCHEDULE,
            json!({ "input": { "applicationId": brian["id"], "startsAt": time(start), "endsAt": time(start + Duration::hours(1)),
                "timeZone": "UTC", "interviewerIds": [kwame] } }),
        )
        .await;
    assert_eq!(
        user_errors(&data["scheduleInterview"]),
        [error("startsAt", "OVERLAP")]
    );

    // Back to back is fine.
    let start = at(&brians["endsAt"]);
    let data = app
        .admin_data(
            SCHEDULE,
            json!({ "input": { "applicationId": brian["id"], "startsAt": time(start), "endsAt": time(start + Duration::minutes(30)),
                "timeZone": "UTC", "interviewerIds": [kwame] } }),
        )
        .await;
    assert_eq!(data["scheduleInterview"]["userErrors"], json!([]));
}

#[tokio::test]
async fn a_booking_needs_a_future_start_an_end_after_it_a_real_time_zone_and_someone_to_interview()
{
    let app = TestApp::demo().await;
    let (brian, _) = brian(&app).await;
    let kwame = app.user_id("kwame.mensah@hiregraph.example").await;
    let soon = Utc::now() + Duration::days(3);
    let cases = [
        (
            soon,
            soon - Duration::minutes(30),
            "UTC",
            json!([kwame]),
            error("endsAt", "INVALID_RANGE"),
        ),
        (
            soon,
            soon + Duration::hours(9),
            "UTC",
            json!([kwame]),
            error("endsAt", "OUT_OF_RANGE"),
        ),
        (
            Utc::now() - Duration::hours(2),
            Utc::now() - Duration::hours(1),
            "UTC",
            json!([kwame]),
            error("startsAt", "IN_THE_PAST"),
        ),
        (
            soon,
            soon + Duration::hours(1),
            "Mars/Olympus_Mons",
            json!([kwame]),
            error("timeZone", "UNKNOWN_TIME_ZONE"),
        ),
        (
            soon,
            soon + Duration::hours(1),
            "UTC",
            json!([]),
            error("interviewerIds", "BLANK"),
        ),
        (
            soon,
            soon + Duration::hours(1),
            "UTC",
            json!([kwame, kwame]),
            error("interviewerIds.1", "DUPLICATE"),
        ),
    ];
    let before = app.count("SELECT COUNT(*) FROM interviews").await;
    for (start, end, zone, people, expected) in cases {
        let data = app
            .admin_data(
                SCHEDULE,
                json!({ "input": { "applicationId": brian["id"], "startsAt": time(start), "endsAt": time(end), "timeZone": zone, "interviewerIds": people } }),
            )
            .await;
        assert_eq!(
            user_errors(&data["scheduleInterview"]),
            std::slice::from_ref(&expected),
            "{expected:?}"
        );
    }
    let adaeze = app.demo_application("Adaeze Obi").await;
    let data = app
        .admin_data(
            SCHEDULE,
            json!({ "input": { "applicationId": adaeze["id"], "startsAt": time(soon), "endsAt": time(soon + Duration::hours(1)), "timeZone": "UTC", "interviewerIds": [kwame] } }),
        )
        .await;
    assert_eq!(
        user_errors(&data["scheduleInterview"]),
        [error("applicationId", "INVALID_STATE")],
        "an asynchronous stage gets an assignment"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM interviews").await,
        before,
        "nothing was booked"
    );
}

#[tokio::test]
async fn a_meeting_is_rescheduled_cancelled_completed_or_missed() {
    let app = TestApp::demo().await;
    let (_, brians) = brian(&app).await;
    let reschedule = r#"mutation($input: RescheduleInterviewInput!) { rescheduleInterview(input: $input) { interview { startsAt timeZone } userErrors { field code } } }"#;
    let later = Utc::now() + Duration::days(6);
    let data = app
        .admin_data(reschedule, json!({ "input": { "id": brians["id"], "startsAt": time(later), "endsAt": time(later + Duration::minutes(30)), "timeZone": "Africa/Nairobi" } }))
        .await;
    assert_eq!(data["rescheduleInterview"]["userErrors"], json!([]));
    assert_eq!(
        at(&data["rescheduleInterview"]["interview"]["startsAt"]).timestamp(),
        later.timestamp()
    );

    let complete = r#"mutation($id: ID!) { completeInterview(input: {id: $id}) { interview { status } userErrors { field code } } }"#;
    let early = app
        .admin_data(complete, json!({ "id": brians["id"] }))
        .await;
    assert_eq!(
        user_errors(&early["completeInterview"]),
        [error("id", "INVALID_STATE")],
        "it has not started"
    );

    let cancel = r#"mutation($input: CancelInterviewInput!) { cancelInterview(input: $input) { interview { status cancelReason } userErrors { field code } } }"#;
    let blank = app
        .admin_data(
            cancel,
            json!({ "input": { "id": brians["id"], "reason": "" } }),
        )
        .await;
    assert_eq!(
        user_errors(&blank["cancelInterview"]),
        [error("reason", "BLANK")]
    );
    let cancelled = app
        .admin_data(
            cancel,
            json!({ "input": { "id": brians["id"], "reason": "The candidate asked to move it" } }),
        )
        .await;
    assert_eq!(
        cancelled["cancelInterview"]["interview"],
        json!({ "status": "CANCELLED", "cancelReason": "The candidate asked to move it" })
    );
    let twice = app
        .admin_data(
            cancel,
            json!({ "input": { "id": brians["id"], "reason": "again" } }),
        )
        .await;
    assert_eq!(
        user_errors(&twice["cancelInterview"]),
        [error("id", "INVALID_STATE")]
    );

    // A meeting that has started can be completed or marked as missed.
    let kofi = app.demo_application("Kofi Asante").await;
    let kofis = kofi["interviews"]["nodes"]
        .as_array()
        .expect("interviews")
        .iter()
        .find(|i| i["status"] == "SCHEDULED")
        .cloned()
        .expect("Kofi's scheduled interview");
    app.execute("UPDATE interviews SET starts_at = '2026-01-05 10:00:00+00:00', ends_at = '2026-01-05 11:00:00+00:00' WHERE status = 'SCHEDULED' AND ends_at IS NOT NULL")
        .await;
    let missed = r#"mutation($id: ID!) { markInterviewNoShow(input: {id: $id}) { interview { status } userErrors { field code } } }"#;
    let data = app.admin_data(missed, json!({ "id": kofis["id"] })).await;
    assert_eq!(
        data["markInterviewNoShow"]["interview"]["status"],
        "NO_SHOW"
    );
}

#[tokio::test]
async fn interviews_answer_what_is_on_my_calendar_this_week() {
    let app = TestApp::demo().await;
    let kwame = app.user_id("kwame.mensah@hiregraph.example").await;
    let from = Utc::now();
    let to = from + Duration::days(7);
    let data = app
        .admin_data(
            "query($me: ID!, $from: DateTime!, $to: DateTime!) { interviews(first: 50, interviewer: $me, from: $from, to: $to) { nodes { startsAt interviewers { id } } } }",
            json!({ "me": kwame, "from": time(from), "to": time(to) }),
        )
        .await;
    let nodes = data["interviews"]["nodes"].as_array().expect("nodes");
    assert!(!nodes.is_empty(), "the demo data books Kwame this week");
    for node in nodes {
        let start = at(&node["startsAt"]);
        assert!(start >= from && start < to);
        assert!(
            node["interviewers"]
                .as_array()
                .is_some_and(|l| l.iter().any(|u| u["id"] == kwame))
        );
    }
}

const SEND: &str = r#"mutation($input: SendAssignmentInput!) {
    sendAssignment(input: $input) {
        interview { id status startsAt dueAt overdue interviewers { email } stage { kind } }
        userErrors { field code message }
    }
}"#;

#[tokio::test]
async fn an_assignment_is_due_after_the_stages_sla_and_becomes_overdue() {
    let app = TestApp::demo().await;
    let adaeze = app.demo_application("Adaeze Obi").await;
    let wanjiru = app.user_id("wanjiru.kamau@hiregraph.example").await;
    let data = app
        .admin_data(
            SEND,
            json!({ "input": { "applicationId": adaeze["id"], "reviewerIds": [wanjiru] } }),
        )
        .await;
    let payload = &data["sendAssignment"];
    assert_eq!(payload["userErrors"], json!([]));
    let sent = &payload["interview"];
    assert_eq!(sent["stage"]["kind"], "APPLICATION_REVIEW");
    assert_eq!(
        sent["interviewers"],
        json!([{ "email": "wanjiru.kamau@hiregraph.example" }])
    );
    assert_eq!(
        at(&sent["dueAt"]) - at(&sent["startsAt"]),
        Duration::hours(72),
        "the stage's SLA is 72 hours"
    );
    assert_eq!(sent["overdue"], false);

    let again = app
        .admin_data(
            SEND,
            json!({ "input": { "applicationId": adaeze["id"], "reviewerIds": [wanjiru] } }),
        )
        .await;
    assert_eq!(
        user_errors(&again["sendAssignment"]),
        [error("applicationId", "INVALID_STATE")]
    );

    let overdue =
        "{ applications(first: 50, filter: {overdue: true}) { nodes { candidate { name } } } }";
    let before = app.admin_data(overdue, Value::Null).await;
    assert_eq!(before["applications"]["nodes"], json!([]));
    app.execute("UPDATE interviews SET due_at = '2026-01-01 00:00:00+00:00' WHERE due_at IS NOT NULL AND status = 'SCHEDULED' AND submitted_at IS NULL AND ends_at IS NULL AND id IN (SELECT i.id FROM interviews i JOIN applications a ON a.id = i.application_id JOIN candidates c ON c.id = a.candidate_id WHERE c.name = 'Adaeze Obi')")
        .await;
    let after = app.admin_data(overdue, Value::Null).await;
    assert_eq!(
        after["applications"]["nodes"],
        json!([{ "candidate": { "name": "Adaeze Obi" } }])
    );
    let not_overdue = app
        .admin_data("{ applications(first: 50, filter: {overdue: false}) { nodes { candidate { name } } } }", Value::Null)
        .await;
    assert!(
        !not_overdue["applications"]["nodes"]
            .as_array()
            .expect("nodes")
            .iter()
            .any(|n| n["candidate"]["name"] == "Adaeze Obi")
    );
}

#[tokio::test]
async fn a_take_home_records_the_submission_and_meetings_are_not_assignments() {
    let app = TestApp::demo().await;
    let nour = app.demo_application("Nour El-Sayed").await;
    let open = nour["interviews"]["nodes"]
        .as_array()
        .expect("interviews")
        .iter()
        .find(|i| i["status"] == "SCHEDULED")
        .cloned()
        .expect("Nour's open take-home");
    let wanjiru = app.user_id("wanjiru.kamau@hiregraph.example").await;
    let again = app
        .admin_data(
            SEND,
            json!({ "input": { "applicationId": nour["id"], "reviewerIds": [wanjiru] } }),
        )
        .await;
    assert_eq!(
        user_errors(&again["sendAssignment"]),
        [error("applicationId", "INVALID_STATE")],
        "the exercise is already out"
    );

    let submit = r#"mutation($input: RecordSubmissionInput!) { recordSubmission(input: $input) { interview { status submittedAt submissionUrl } userErrors { field code } } }"#;
    let bad = app
        .admin_data(
            submit,
            json!({ "input": { "interviewId": open["id"], "submissionUrl": "not a link" } }),
        )
        .await;
    assert_eq!(
        user_errors(&bad["recordSubmission"]),
        [error("submissionUrl", "INVALID")]
    );
    let done = app
        .admin_data(submit, json!({ "input": { "interviewId": open["id"], "submissionUrl": "https://github.com/nour/exercise" } }))
        .await;
    let done = &done["recordSubmission"]["interview"];
    assert_eq!(done["status"], "COMPLETED");
    assert_eq!(done["submissionUrl"], "https://github.com/nour/exercise");
    assert!(done["submittedAt"].is_string());

    let brian = app.demo_application("Brian Otieno").await;
    let data = app
        .admin_data(
            SEND,
            json!({ "input": { "applicationId": brian["id"], "reviewerIds": [wanjiru] } }),
        )
        .await;
    assert_eq!(
        user_errors(&data["sendAssignment"]),
        [error("applicationId", "INVALID_STATE")],
        "a meeting stage is scheduled"
    );
    let adaeze = app.demo_application("Adaeze Obi").await;
    let past = time(Utc::now() - Duration::hours(1));
    let data = app
        .admin_data(SEND, json!({ "input": { "applicationId": adaeze["id"], "reviewerIds": [wanjiru], "dueAt": past } }))
        .await;
    assert_eq!(
        user_errors(&data["sendAssignment"]),
        [error("dueAt", "IN_THE_PAST")]
    );
}
