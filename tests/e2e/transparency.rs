//! Pay transparency: the rules, a posting's verdicts, the publishing gate
//! and its admin override, pay-range disclosures and the EU pre-interview
//! gate, and salary-history questions.

use chrono::{Duration, Utc};
use entity::enums::Role;
use serde_json::{Value, json};

use crate::support::{RECRUITER, TestApp, error, user_errors};

const PUBLISH: &str = r#"mutation($input: PostingStatusInput!) {
    publishPosting(input: $input) { posting { status } userErrors { field code message } }
}"#;

const VERDICT: &str = r#"query($id: ID!) { posting(id: $id) { payTransparency {
    ruleVersion compliant
    jurisdictions { code name ruleVersion rangeDue compliant satisfied missing notes }
} } }"#;

const CREATE: &str = "mutation($input: CreatePostingInput!) { createPosting(input: $input) { posting { id benefits otherCompensation applicationDeadline } userErrors { field code message } } }";

const UPDATE: &str = "mutation($input: UpdatePostingInput!) { updatePosting(input: $input) { posting { id benefits otherCompensation applicationDeadline } userErrors { field code message } } }";

/// The ids of the reference data a draft needs.
async fn reference(app: &TestApp) -> Value {
    app.admin_data(
        r#"{ regions(first: 10) { nodes { id name } } levels(first: 20) { nodes { id code } } jobFamilies(first: 5) { nodes { id name } } }"#,
        Value::Null,
    )
    .await
}

fn pick(reference: &Value, list: &str, key: &str, value: &str) -> Value {
    reference[list]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .find(|n| n[key] == value)
        .map(|n| n["id"].clone())
        .unwrap_or_else(|| panic!("no {value} in {list}"))
}

/// A draft ready to publish but for pay transparency, open to `region`.
async fn draft(app: &TestApp, region: &str, extra: Value) -> Value {
    let reference = reference(app).await;
    let mut input = json!({
        "title": "Backend Engineer",
        "jobFamilyId": pick(&reference, "jobFamilies", "name", "Backend Engineering"),
        "levelIds": [pick(&reference, "levels", "code", "IC2")],
        "regionIds": [pick(&reference, "regions", "name", region)],
        "description": [{ "heading": "The position", "body": "Build things." }],
        "interviewPlan": [{ "name": "Screen", "kind": "RECRUITER_SCREEN", "mode": "SYNC", "durationMinutes": 30 }]
    });
    if let (Some(input), Some(extra)) = (input.as_object_mut(), extra.as_object()) {
        input.extend(extra.clone());
    }
    let data = app.admin_data(CREATE, json!({ "input": input })).await;
    assert_eq!(data["createPosting"]["userErrors"], json!([]));
    data["createPosting"]["posting"]["id"].clone()
}

fn verdict<'v>(report: &'v Value, code: &str) -> &'v Value {
    report["jurisdictions"]
        .as_array()
        .expect("jurisdictions")
        .iter()
        .find(|j| j["code"] == code)
        .unwrap_or_else(|| panic!("{code} does not cover the posting"))
}

fn codes(report: &Value) -> Vec<String> {
    report["jurisdictions"]
        .as_array()
        .expect("jurisdictions")
        .iter()
        .map(|j| j["code"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test]
async fn the_rules_are_listed_with_their_version_and_sources() {
    let app = TestApp::demo().await;
    let data = app
        .admin_data(
            "{ payTransparencyRules { version salaryHistoryPatterns rules { code name places effectiveFrom law sourceUrl minEmployees triggers requirements rangeDue bansSalaryHistoryQuestions spreadCap { maxSpread { amount currency } appliesUpTo { amount } } } } }",
            Value::Null,
        )
        .await;
    let set = &data["payTransparencyRules"];
    assert_eq!(set["version"], "2026-11-01");
    let rules = set["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), 10);
    let colorado = &rules[0];
    assert_eq!(colorado["code"], "US-CO");
    assert_eq!(colorado["minEmployees"], 1);
    assert_eq!(
        colorado["requirements"],
        json!([
            "RANGE_MIN_MAX",
            "NO_OPEN_ENDED",
            "BENEFITS",
            "OTHER_COMPENSATION",
            "APPLICATION_DEADLINE"
        ])
    );
    assert!(
        colorado["sourceUrl"]
            .as_str()
            .is_some_and(|u| u.starts_with("https://"))
    );
    let ontario = rules
        .iter()
        .find(|r| r["code"] == "CA-ON")
        .expect("Ontario");
    assert_eq!(ontario["spreadCap"]["maxSpread"]["amount"], "50000.00");
    assert_eq!(ontario["spreadCap"]["maxSpread"]["currency"], "CAD");
    let eu = rules.iter().find(|r| r["code"] == "EU").expect("EU");
    assert_eq!(eu["rangeDue"], "BEFORE_FIRST_INTERVIEW");
    assert_eq!(eu["places"].as_array().map(Vec::len), Some(27));
    // Anonymous callers are not told.
    let reply = app
        .graphql(None, "{ payTransparencyRules { version } }", Value::Null)
        .await;
    assert_eq!(reply.error_codes(), ["UNAUTHENTICATED"]);
}

#[tokio::test]
async fn the_africa_only_demo_posting_is_covered_by_no_law() {
    let app = TestApp::demo().await;
    let posting = app.demo_posting().await;
    let data = app
        .admin_data(VERDICT, json!({ "id": posting["id"] }))
        .await;
    let report = &data["posting"]["payTransparency"];
    assert_eq!(report["compliant"], true);
    assert_eq!(report["jurisdictions"], json!([]));
}

#[tokio::test]
async fn a_posting_open_to_the_americas_is_judged_under_every_us_state_and_canadian_law() {
    let app = TestApp::demo().await;
    let id = draft(&app, "Remote-Americas", json!({})).await;
    let data = app.admin_data(VERDICT, json!({ "id": id })).await;
    let report = &data["posting"]["payTransparency"];
    assert_eq!(
        codes(report),
        [
            "US-CO",
            "US-NY-NYC",
            "US-NY",
            "US-CA",
            "US-WA",
            "US-IL",
            "US-NJ",
            "CA-BC",
            "CA-ON"
        ]
    );
    assert_eq!(report["compliant"], false);
    let colorado = verdict(report, "US-CO");
    assert_eq!(colorado["ruleVersion"], "2026-11-01");
    assert_eq!(colorado["rangeDue"], "IN_POSTING");
    assert_eq!(colorado["compliant"], false);
    let satisfied = colorado["satisfied"].as_array().expect("satisfied");
    assert!(
        satisfied[0]
            .as_str()
            .is_some_and(|s| s.starts_with("The posting shows a pay range of USD ")
                && s.ends_with(" a year.")),
        "{satisfied:?}"
    );
    assert_eq!(
        colorado["missing"],
        json!([
            "Colorado requires a general description of the benefits on the posting; set benefits.",
            "Colorado requires the posting to describe other compensation (bonuses, commissions, equity, or that there is none); set otherCompensation.",
            "Colorado requires the application deadline on the posting; set applicationDeadline."
        ])
    );
    // New York City asks only for the range. Ontario's cap is in CAD: the
    // USD range is converted with the demo's rate set (1 USD = 1.38 CAD),
    // and tops out above the CAD 200,000 the cap applies to.
    assert_eq!(verdict(report, "US-NY-NYC")["compliant"], true);
    let ontario = verdict(report, "CA-ON");
    assert_eq!(ontario["compliant"], true);
    assert_eq!(ontario["notes"], json!([]));
    assert!(
        ontario["satisfied"].as_array().is_some_and(|s| s.contains(&json!(
            "The range tops out at CAD 231,840.00 (the posting's USD 34,000.00 to 168,000.00 with exchange rate set \"Demo rates 2026-11-02\"), above CAD 200,000.00, so Ontario's spread limit of CAD 50,000.00 does not apply."
        ))),
        "{ontario}"
    );

    // Filled in, every law is met.
    let deadline = (Utc::now() + Duration::days(30)).date_naive().to_string();
    let data = app
        .admin_data(
            UPDATE,
            json!({ "input": { "id": id, "benefits": "Health cover, 30 days of leave.", "otherCompensation": "Stock options; no bonus.", "applicationDeadline": deadline } }),
        )
        .await;
    assert_eq!(data["updatePosting"]["userErrors"], json!([]));
    assert_eq!(
        data["updatePosting"]["posting"]["applicationDeadline"],
        deadline
    );
    let data = app.admin_data(VERDICT, json!({ "id": id })).await;
    let report = &data["posting"]["payTransparency"];
    assert_eq!(report["compliant"], true);
    assert_eq!(
        verdict(report, "US-CO")["satisfied"][4],
        format!("The posting gives an application deadline: {deadline}.")
    );
    let data = app
        .admin_data(PUBLISH, json!({ "input": { "id": id } }))
        .await;
    assert_eq!(data["publishPosting"]["posting"]["status"], "OPEN");
}

#[tokio::test]
async fn a_posting_open_to_europe_is_judged_under_the_eu_directive_and_publishes() {
    let app = TestApp::demo().await;
    let id = draft(&app, "Remote-Europe", json!({})).await;
    let data = app.admin_data(VERDICT, json!({ "id": id })).await;
    let report = &data["posting"]["payTransparency"];
    assert_eq!(codes(report), ["EU"]);
    let eu = verdict(report, "EU");
    assert_eq!(eu["rangeDue"], "BEFORE_FIRST_INTERVIEW");
    assert_eq!(eu["compliant"], true);
    // The directive asks for the range before the first interview, not in
    // the posting: it does not hold publishing back.
    let data = app
        .admin_data(PUBLISH, json!({ "input": { "id": id } }))
        .await;
    assert_eq!(data["publishPosting"]["posting"]["status"], "OPEN");
}

#[tokio::test]
async fn publishing_a_posting_that_fails_a_law_is_refused_with_what_is_missing() {
    let app = TestApp::demo().await;
    let id = draft(&app, "Remote-Americas", json!({})).await;
    let data = app
        .admin_data(PUBLISH, json!({ "input": { "id": id } }))
        .await;
    let payload = &data["publishPosting"];
    assert!(payload["posting"].is_null());
    let errors = user_errors(payload);
    // Colorado: 3; Washington, Illinois, New Jersey: 2 each.
    assert_eq!(errors.len(), 9, "{errors:?}");
    assert!(errors.iter().all(|(_, code)| code == "PAY_TRANSPARENCY"));
    assert_eq!(errors[0], error("benefits", "PAY_TRANSPARENCY"));
    assert_eq!(errors[1], error("otherCompensation", "PAY_TRANSPARENCY"));
    assert_eq!(errors[2], error("applicationDeadline", "PAY_TRANSPARENCY"));
    assert_eq!(
        payload["userErrors"][2]["message"],
        "Colorado requires the application deadline on the posting; set applicationDeadline."
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM postings WHERE status = 'OPEN'")
            .await,
        1,
        "nothing was published"
    );
}

#[tokio::test]
async fn only_an_admin_overrides_the_gate_with_a_reason_kept_in_its_table_and_the_audit_log() {
    let app = TestApp::demo().await;
    let id = draft(&app, "Remote-Americas", json!({})).await;
    let recruiter = app.token(RECRUITER, Role::Recruiter);
    let reply = app
        .graphql(
            Some(&recruiter),
            PUBLISH,
            json!({ "input": { "id": id, "override": { "reason": "Counsel approved" } } }),
        )
        .await;
    assert_eq!(reply.error_codes(), ["FORBIDDEN"]);

    let data = app
        .admin_data(
            PUBLISH,
            json!({ "input": { "id": id, "override": { "reason": "  " } } }),
        )
        .await;
    assert_eq!(
        user_errors(&data["publishPosting"]),
        [error("override.reason", "BLANK")]
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM pay_transparency_overrides")
            .await,
        0
    );

    let data = app
        .admin_data(
            PUBLISH,
            json!({ "input": { "id": id, "override": { "reason": "Counsel approved: the benefits page is linked" } } }),
        )
        .await;
    assert_eq!(data["publishPosting"]["userErrors"], json!([]));
    assert_eq!(data["publishPosting"]["posting"]["status"], "OPEN");
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM pay_transparency_overrides WHERE rule_version = '2026-11-01' \
             AND reason = 'Counsel approved: the benefits page is linked' \
             AND jurisdictions = '[\"US-CO\",\"US-WA\",\"US-IL\",\"US-NJ\"]'"
        )
        .await,
        1
    );
    let audit = app
        .admin_data(
            r#"query($id: ID!) { auditEvents(first: 50, filter: { objectId: $id }) { nodes { action changes } } }"#,
            json!({ "id": id }),
        )
        .await;
    let event = audit["auditEvents"]["nodes"]
        .as_array()
        .expect("events")
        .iter()
        .find(|e| e["action"] == "posting.override_pay_transparency")
        .cloned()
        .expect("the override is in the audit log");
    let changes = match &event["changes"] {
        Value::String(text) => serde_json::from_str(text).expect("JSON"),
        other => other.clone(),
    };
    assert_eq!(
        changes["reason"],
        "Counsel approved: the benefits page is linked"
    );
    assert_eq!(changes["jurisdictions"][0], "US-CO");
}

#[tokio::test]
async fn posting_fields_for_the_laws_are_validated() {
    let app = TestApp::demo().await;
    let yesterday = (Utc::now() - Duration::days(1)).date_naive().to_string();
    let data = app
        .admin_data(
            CREATE,
            json!({ "input": { "title": "Data Engineer", "benefits": "x".repeat(2001), "otherCompensation": "y".repeat(2001), "applicationDeadline": yesterday } }),
        )
        .await;
    assert_eq!(
        user_errors(&data["createPosting"]),
        [
            error("benefits", "TOO_LONG"),
            error("otherCompensation", "TOO_LONG"),
            error("applicationDeadline", "IN_THE_PAST")
        ]
    );
}

#[tokio::test]
async fn salary_history_questions_are_refused_where_a_law_bans_them() {
    let app = TestApp::demo().await;
    let id = draft(&app, "Remote-Americas", json!({})).await;
    let data = app
        .admin_data(
            UPDATE,
            json!({ "input": { "id": id, "questions": [
                { "prompt": "What are your salary expectations?" },
                { "prompt": "What is your current salary?" },
                { "prompt": "How much do you currently earn?" }
            ] } }),
        )
        .await;
    let payload = &data["updatePosting"];
    assert_eq!(
        user_errors(payload),
        [
            error("questions.1.prompt", "SALARY_HISTORY_QUESTION"),
            error("questions.2.prompt", "SALARY_HISTORY_QUESTION")
        ]
    );
    assert!(
        payload["userErrors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("Colorado") && m.contains("salary expectations"))
    );
    // Expectations are fine.
    let data = app
        .admin_data(
            UPDATE,
            json!({ "input": { "id": id, "questions": [
                { "prompt": "What are your salary expectations?" },
                { "prompt": "Expected salary (USD)?" }
            ] } }),
        )
        .await;
    assert_eq!(data["updatePosting"]["userErrors"], json!([]));
    // Moving an Africa-only posting asking for it into a banning region is refused too.
    let africa = draft(
        &app,
        "Remote-Africa",
        json!({ "questions": [{ "prompt": "Your salary history, please" }] }),
    )
    .await;
    let reference = reference(&app).await;
    let data = app
        .admin_data(
            UPDATE,
            json!({ "input": { "id": africa, "regionIds": [pick(&reference, "regions", "name", "Remote-Europe")] } }),
        )
        .await;
    assert_eq!(
        user_errors(&data["updatePosting"]),
        [error("questions.0.prompt", "SALARY_HISTORY_QUESTION")]
    );
}

const SCHEDULE: &str = r#"mutation($input: ScheduleInterviewInput!) {
    scheduleInterview(input: $input) { interview { id status } userErrors { field code message } }
}"#;

const DISCLOSE: &str = r#"mutation($input: RecordPayRangeDisclosureInput!) {
    recordPayRangeDisclosure(input: $input) {
        disclosure { how disclosedAt salaryRange { minimum { amount currency } maximum { amount } } disclosedBy { email } }
        userErrors { field code message }
    }
}"#;

#[tokio::test]
async fn applying_records_that_the_posting_showed_the_range() {
    let app = TestApp::demo().await;
    let data = app
        .graphql(
            None,
            r#"mutation { applyToPosting(input: { slug: "senior-backend-engineer-elixir", email: "ifeoma.nwosu@example.com", name: "Ifeoma Nwosu", countryCode: "NG", consent: true }) { receipt { applicationId } userErrors { code } } }"#,
            Value::Null,
        )
        .await;
    let id = data.data()["applyToPosting"]["receipt"]["applicationId"].clone();
    let data = app
        .admin_data(
            "query($id: ID!) { node(id: $id) { ... on Application { candidate { id } payRangeDisclosures { how salaryRange { minimum { amount currency } maximum { amount } interval } disclosedBy { email } } } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        data["node"]["payRangeDisclosures"],
        json!([{
            "how": "POSTING",
            "salaryRange": { "minimum": { "amount": "51850.00", "currency": "USD" }, "maximum": { "amount": "171450.00" }, "interval": "YEAR" },
            "disclosedBy": null
        }])
    );
    // The candidate's data export holds it too.
    let export = app
        .admin_data(
            "mutation($id: ID!) { exportCandidateData(input: {candidateId: $id}) { data } }",
            json!({ "id": data["node"]["candidate"]["id"] }),
        )
        .await;
    let disclosure =
        &export["exportCandidateData"]["data"]["applications"][0]["payRangeDisclosures"][0];
    assert_eq!(disclosure["how"], "POSTING");
    assert_eq!(disclosure["minimum"], "51850.00");
}

#[tokio::test]
async fn an_eu_candidate_is_interviewed_only_once_the_range_was_disclosed() {
    let app = TestApp::demo().await;
    let brian = app.demo_application("Brian Otieno").await;
    // Brian moves to France: the EU directive now covers him.
    let candidate = crate::support::key(&brian["candidate"]["id"]);
    app.execute(&format!(
        "UPDATE candidates SET country_code = 'FR' WHERE id = {candidate}"
    ))
    .await;
    let application = crate::support::key(&brian["id"]);
    app.execute(&format!(
        "DELETE FROM pay_range_disclosures WHERE application_id = {application}"
    ))
    .await;
    let kwame = app.user_id("kwame.mensah@hiregraph.example").await;
    let start = Utc::now() + Duration::days(6);
    let input = json!({ "input": {
        "applicationId": brian["id"], "startsAt": start.to_rfc3339(),
        "endsAt": (start + Duration::minutes(45)).to_rfc3339(),
        "timeZone": "Europe/Paris", "interviewerIds": [kwame]
    } });
    let data = app.admin_data(SCHEDULE, input.clone()).await;
    let payload = &data["scheduleInterview"];
    assert_eq!(
        user_errors(payload),
        [error("applicationId", "PAY_RANGE_NOT_DISCLOSED")]
    );
    assert!(
        payload["userErrors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("European Union") && m.contains("recordPayRangeDisclosure"))
    );

    let data = app
        .admin_data(
            DISCLOSE,
            json!({ "input": { "applicationId": brian["id"] } }),
        )
        .await;
    let payload = &data["recordPayRangeDisclosure"];
    assert_eq!(payload["userErrors"], json!([]));
    assert_eq!(payload["disclosure"]["how"], "EXPLICIT");
    assert_eq!(
        payload["disclosure"]["salaryRange"]["minimum"],
        json!({ "amount": "51850.00", "currency": "USD" })
    );
    assert_eq!(
        payload["disclosure"]["disclosedBy"]["email"],
        "admin@hiregraph.example"
    );

    let data = app.admin_data(SCHEDULE, input).await;
    assert_eq!(data["scheduleInterview"]["userErrors"], json!([]));
    assert_eq!(
        data["scheduleInterview"]["interview"]["status"],
        "SCHEDULED"
    );
}

#[tokio::test]
async fn a_candidate_no_law_covers_is_interviewed_without_a_disclosure() {
    let app = TestApp::demo().await;
    let brian = app.demo_application("Brian Otieno").await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM pay_range_disclosures")
            .await,
        0
    );
    let kwame = app.user_id("kwame.mensah@hiregraph.example").await;
    let start = Utc::now() + Duration::days(6);
    let data = app
        .admin_data(
            SCHEDULE,
            json!({ "input": {
                "applicationId": brian["id"], "startsAt": start.to_rfc3339(),
                "endsAt": (start + Duration::minutes(45)).to_rfc3339(),
                "timeZone": "Africa/Nairobi", "interviewerIds": [kwame]
            } }),
        )
        .await;
    assert_eq!(data["scheduleInterview"]["userErrors"], json!([]));
}

#[tokio::test]
async fn the_verdicts_of_many_postings_take_a_fixed_number_of_statements() {
    let app = TestApp::demo().await;
    let query = "{ postings(first: 50) { nodes { payTransparency { compliant jurisdictions { code } } } } }";
    let before = app.statements();
    app.admin_data(query, Value::Null).await;
    let three = app.statements() - before;
    for region in ["Remote-Americas", "Remote-Europe", "Anywhere in the World"] {
        draft(&app, region, json!({})).await;
    }
    let before = app.statements();
    let data = app.admin_data(query, Value::Null).await;
    let six = app.statements() - before;
    assert_eq!(data["postings"]["nodes"].as_array().map(Vec::len), Some(6));
    assert_eq!(three, six, "statements grow with the number of postings");
}

#[tokio::test]
async fn a_take_home_for_an_eu_candidate_also_waits_for_the_disclosure() {
    let app = TestApp::demo().await;
    let nour = app.demo_application("Nour El-Sayed").await;
    assert_eq!(nour["currentStage"]["kind"], "TAKE_HOME_EXERCISE");
    let exercise = nour["interviews"]["nodes"]
        .as_array()
        .expect("interviews")
        .iter()
        .find(|i| i["status"] == "SCHEDULED")
        .map(|i| i["id"].clone())
        .expect("Nour's exercise");
    let data = app
        .admin_data(
            r#"mutation($input: CancelInterviewInput!) { cancelInterview(input: $input) { userErrors { code } } }"#,
            json!({ "input": { "id": exercise, "reason": "Sent to the wrong address" } }),
        )
        .await;
    assert_eq!(data["cancelInterview"]["userErrors"], json!([]));
    let candidate = crate::support::key(&nour["candidate"]["id"]);
    app.execute(&format!(
        "UPDATE candidates SET country_code = 'DE' WHERE id = {candidate}"
    ))
    .await;
    let recruiter = app.user_id(RECRUITER).await;
    let send = r#"mutation($input: SendAssignmentInput!) { sendAssignment(input: $input) { interview { status } userErrors { field code } } }"#;
    let input = json!({ "input": { "applicationId": nour["id"], "reviewerIds": [recruiter] } });
    let data = app.admin_data(send, input.clone()).await;
    assert_eq!(
        user_errors(&data["sendAssignment"]),
        [error("applicationId", "PAY_RANGE_NOT_DISCLOSED")]
    );
    let data = app
        .admin_data(
            DISCLOSE,
            json!({ "input": { "applicationId": nour["id"] } }),
        )
        .await;
    assert_eq!(data["recordPayRangeDisclosure"]["userErrors"], json!([]));
    let data = app.admin_data(send, input).await;
    assert_eq!(data["sendAssignment"]["userErrors"], json!([]));
    assert_eq!(data["sendAssignment"]["interview"]["status"], "SCHEDULED");
}

#[tokio::test]
async fn resuming_is_held_to_the_laws_too() {
    let app = TestApp::demo().await;
    let posting = app.demo_posting().await;
    let status = |name: &str| {
        format!(
            "mutation($input: PostingStatusInput!) {{ {name}(input: $input) {{ posting {{ status }} userErrors {{ field code }} }} }}"
        )
    };
    let data = app
        .admin_data(
            &status("pausePosting"),
            json!({ "input": { "id": posting["id"] } }),
        )
        .await;
    assert_eq!(data["pausePosting"]["posting"]["status"], "PAUSED");
    let reference = reference(&app).await;
    let data = app
        .admin_data(
            UPDATE,
            json!({ "input": { "id": posting["id"], "regionIds": [pick(&reference, "regions", "name", "Remote-Americas")], "applicationDeadline": null } }),
        )
        .await;
    assert_eq!(data["updatePosting"]["userErrors"], json!([]));
    let data = app
        .admin_data(
            &status("resumePosting"),
            json!({ "input": { "id": posting["id"] } }),
        )
        .await;
    assert_eq!(
        user_errors(&data["resumePosting"]),
        [error("applicationDeadline", "PAY_TRANSPARENCY")]
    );
    // Pausing takes no override.
    let data = app
        .admin_data(
            &status("pausePosting"),
            json!({ "input": { "id": posting["id"], "override": { "reason": "x" } } }),
        )
        .await;
    assert_eq!(
        user_errors(&data["pausePosting"]),
        [error("override", "INVALID")]
    );
}

#[tokio::test]
async fn a_small_employer_is_covered_by_fewer_laws() {
    let http = hiregraph_api::config::HttpConfig {
        employer_headcount: 12,
        ..hiregraph_api::config::HttpConfig::default()
    };
    let app = TestApp::start(http, Some(crate::support::SECRET))
        .await
        .with_demo_data()
        .await;
    let id = draft(&app, "Remote-Americas", json!({})).await;
    let data = app.admin_data(VERDICT, json!({ "id": id })).await;
    assert_eq!(
        codes(&data["posting"]["payTransparency"]),
        ["US-CO", "US-NY-NYC", "US-NY", "US-NJ", "CA-BC"]
    );
}
