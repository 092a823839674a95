//! Writing: a posting with everything it is made of, updates that replace
//! lists and keep interview stages, the audit log, and the derived salary
//! range following the bands.

use serde_json::{Value, json};

use crate::support::TestApp;

const CREATE_POSTING: &str = r#"mutation($input: CreatePostingInput!) {
    createPosting(input: $input) {
        posting {
            id title slug status openings startsAsSoonAsPossible
            description { heading body }
            responsibilities
            skills { requirement skill { name } }
            regions { name }
            teams { name }
            levels { code }
            interviewPlan { id name kind mode durationMinutes slaHours position }
            salaryRange { minimum { amount currency } maximum { amount currency } }
            hiringManager { email }
        }
        userErrors { field code message }
    }
}"#;

async fn reference_ids(app: &TestApp) -> Value {
    app.admin_data(
        r#"{
            skills(first: 100) { edges { node { id name } } }
            regions(first: 100) { edges { node { id name } } }
            teams(first: 100) { edges { node { id name } } }
            levels(first: 100) { edges { node { id code } } }
            jobFamilies(first: 100) { edges { node { id name } } }
            users(first: 100) { edges { node { id email } } }
        }"#,
        Value::Null,
    )
    .await
}

fn id(ids: &Value, list: &str, key: &str, value: &str) -> Value {
    ids[list]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .find(|e| e["node"][key] == value)
        .map(|e| e["node"]["id"].clone())
        .unwrap_or_else(|| panic!("no {value} in {list}"))
}

fn posting_input(ids: &Value) -> Value {
    json!({
        "title": "Staff Backend Engineer (Elixir)",
        "jobFamilyId": id(ids, "jobFamilies", "name", "Backend Engineering"),
        "openings": 1,
        "hiringManagerId": id(ids, "users", "email", "tomasz.nowak@hiregraph.example"),
        "description": [{ "heading": "The position", "body": "You'll lead **big** projects." }],
        "responsibilities": ["Lead projects", "Mentor engineers"],
        "skills": [
            { "skillId": id(ids, "skills", "name", "Elixir"), "requirement": "MUST_HAVE" },
            { "skillId": id(ids, "skills", "name", "Kubernetes"), "requirement": "NICE_TO_HAVE" }
        ],
        "regionIds": [id(ids, "regions", "name", "Remote-Africa")],
        "teamIds": [id(ids, "teams", "name", "Payroll Engine")],
        "levelIds": [id(ids, "levels", "code", "IC3")],
        "interviewPlan": [
            { "name": "Application review", "kind": "APPLICATION_REVIEW", "mode": "ASYNC", "slaHours": 48 },
            { "name": "Recruiter screen", "kind": "RECRUITER_SCREEN", "mode": "SYNC", "durationMinutes": 30 },
            { "name": "Code exercise", "kind": "TAKE_HOME_EXERCISE", "mode": "ASYNC", "slaHours": 168 }
        ]
    })
}

#[tokio::test]
async fn a_posting_is_created_as_a_draft_with_everything_it_is_made_of() {
    let app = TestApp::demo().await;
    let ids = reference_ids(&app).await;
    let data = app
        .admin_data(CREATE_POSTING, json!({ "input": posting_input(&ids) }))
        .await;
    let payload = &data["createPosting"];
    assert_eq!(payload["userErrors"], json!([]));
    let posting = &payload["posting"];
    assert_eq!(posting["status"], "DRAFT");
    assert_eq!(posting["slug"], "staff-backend-engineer-elixir");
    assert_eq!(posting["startsAsSoonAsPossible"], true);
    assert_eq!(
        posting["responsibilities"],
        json!(["Lead projects", "Mentor engineers"])
    );
    assert_eq!(
        posting["skills"],
        json!([
            { "requirement": "MUST_HAVE", "skill": { "name": "Elixir" } },
            { "requirement": "NICE_TO_HAVE", "skill": { "name": "Kubernetes" } }
        ])
    );
    assert_eq!(posting["regions"], json!([{ "name": "Remote-Africa" }]));
    assert_eq!(posting["levels"], json!([{ "code": "IC3" }]));
    assert_eq!(
        posting["hiringManager"]["email"],
        "tomasz.nowak@hiregraph.example"
    );
    let plan = posting["interviewPlan"].as_array().expect("a plan");
    assert_eq!(
        plan.iter()
            .map(|s| s["position"].as_i64().unwrap_or(0))
            .collect::<Vec<_>>(),
        [1, 2, 3]
    );
    assert_eq!(plan[1]["durationMinutes"], 30);
    // IC3 only, in the zones Remote-Africa covers.
    assert_eq!(
        posting["salaryRange"]["minimum"],
        json!({ "amount": "51850.00", "currency": "USD" })
    );
    assert_ne!(
        posting["salaryRange"]["maximum"]["amount"], "171450.00",
        "IC4 is not part of this posting"
    );

    let events = app
        .count("SELECT COUNT(*) FROM audit_events WHERE action = 'posting.create' AND object_type = 'Posting'")
        .await;
    assert_eq!(events, 1, "the creation is in the audit log");
}

#[tokio::test]
async fn an_update_replaces_given_lists_keeps_stages_named_by_id_and_leaves_the_rest() {
    let app = TestApp::demo().await;
    let ids = reference_ids(&app).await;
    let created = app
        .admin_data(CREATE_POSTING, json!({ "input": posting_input(&ids) }))
        .await;
    let posting = &created["createPosting"]["posting"];
    let plan = posting["interviewPlan"].as_array().expect("a plan");
    let update = r#"mutation($input: UpdatePostingInput!) { updatePosting(input: $input) {
        posting { title openings startDate responsibilities skills { skill { name } } interviewPlan { id name position } }
        userErrors { field code message }
    } }"#;
    let data = app
        .admin_data(
            update,
            json!({ "input": {
                "id": posting["id"],
                "openings": 2,
                "startDate": "2027-03-01",
                "skills": [{ "skillId": id(&ids, "skills", "name", "Postgres"), "requirement": "MUST_HAVE" }],
                "interviewPlan": [
                    { "id": plan[2]["id"], "name": "Code exercise", "kind": "TAKE_HOME_EXERCISE", "mode": "ASYNC", "slaHours": 120 },
                    { "id": plan[0]["id"], "name": "Application review", "kind": "APPLICATION_REVIEW", "mode": "ASYNC" },
                    { "name": "Team interview", "kind": "INTERVIEW", "mode": "SYNC", "durationMinutes": 90 }
                ]
            } }),
        )
        .await;
    let payload = &data["updatePosting"];
    assert_eq!(payload["userErrors"], json!([]));
    let updated = &payload["posting"];
    assert_eq!(
        updated["title"], "Staff Backend Engineer (Elixir)",
        "fields left out stay"
    );
    assert_eq!(
        updated["responsibilities"],
        json!(["Lead projects", "Mentor engineers"]),
        "lists left out stay"
    );
    assert_eq!(updated["openings"], 2);
    assert_eq!(updated["startDate"], "2027-03-01");
    assert_eq!(
        updated["skills"],
        json!([{ "skill": { "name": "Postgres" } }])
    );
    let new_plan = updated["interviewPlan"].as_array().expect("a plan");
    assert_eq!(
        new_plan[0]["id"], plan[2]["id"],
        "a stage named by id keeps its identity"
    );
    assert_eq!(new_plan[1]["id"], plan[0]["id"]);
    assert_eq!(
        new_plan
            .iter()
            .map(|s| s["position"].as_i64().unwrap_or(0))
            .collect::<Vec<_>>(),
        [1, 2, 3]
    );

    let clear = app
        .admin_data(
            update,
            json!({ "input": { "id": posting["id"], "startDate": null } }),
        )
        .await;
    assert_eq!(
        clear["updatePosting"]["posting"]["startDate"],
        Value::Null,
        "null clears the start date"
    );
}

#[tokio::test]
async fn a_stage_that_applications_sit_at_cannot_be_dropped_from_the_plan() {
    let app = TestApp::demo().await;
    let data = app
        .admin_data(
            r#"{ posting(slug: "senior-backend-engineer-elixir") { id interviewPlan { id name kind mode durationMinutes slaHours } } }"#,
            Value::Null,
        )
        .await;
    let posting = &data["posting"];
    let plan = posting["interviewPlan"].as_array().expect("a plan");
    let stages_before = app.count("SELECT COUNT(*) FROM interview_stages").await;
    let keep: Vec<Value> = plan[..7]
        .iter()
        .map(|s| {
            let mut stage = s.clone();
            if stage["durationMinutes"].is_null() {
                stage
                    .as_object_mut()
                    .expect("an object")
                    .remove("durationMinutes");
            }
            stage
        })
        .collect();
    let reply = app
        .admin_data(
            "mutation($input: UpdatePostingInput!) { updatePosting(input: $input) { posting { id } userErrors { field code } } }",
            json!({ "input": { "id": posting["id"], "interviewPlan": keep } }),
        )
        .await;
    assert_eq!(
        reply["updatePosting"]["userErrors"],
        json!([{ "field": ["interviewPlan"], "code": "IN_USE" }])
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM interview_stages").await,
        stages_before,
        "nothing was removed"
    );
}

#[tokio::test]
async fn the_salary_range_follows_the_bands() {
    let app = TestApp::demo().await;
    let range = r#"{ posting(slug: "senior-backend-engineer-elixir") { salaryRange { maximum { amount } } } }"#;
    let before = app.graphql(None, range, Value::Null).await;
    assert_eq!(
        before.data()["posting"]["salaryRange"]["maximum"]["amount"],
        "171450.00"
    );
    let bands = app
        .admin_data(
            "{ compensationBands(first: 100) { edges { node { id maximum { amount } } } } }",
            Value::Null,
        )
        .await;
    let top = bands["compensationBands"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .find(|e| e["node"]["maximum"]["amount"] == "171450.00")
        .map(|e| e["node"]["id"].clone())
        .expect("the band at the top of the range");
    let data = app
        .admin_data(
            "mutation($id: ID!) { updateCompensationBand(input: {id: $id, maximum: \"175000\"}) { compensationBand { maximum { amount } } userErrors { code } } }",
            json!({ "id": top }),
        )
        .await;
    assert_eq!(
        data["updateCompensationBand"]["compensationBand"]["maximum"]["amount"],
        "175000.00"
    );
    let after = app.graphql(None, range, Value::Null).await;
    assert_eq!(
        after.data()["posting"]["salaryRange"]["maximum"]["amount"],
        "175000.00"
    );
    let audit = app
        .count("SELECT COUNT(*) FROM audit_events WHERE action = 'compensation_band.update'")
        .await;
    assert_eq!(audit, 1);
}

#[tokio::test]
async fn reference_data_is_created_and_renamed() {
    let app = TestApp::demo().await;
    let created = app
        .admin_data(
            r#"mutation {
                createSkill(input: {name: "Rust"}) { skill { id name } userErrors { code } }
                createTeam(input: {name: "Identity", department: "Engineering", vertical: "Platform"}) { team { id vertical } userErrors { code } }
                createLevel(input: {code: "ic7", name: "Distinguished Engineer", track: INDIVIDUAL_CONTRIBUTOR, rank: 7}) { level { code rank } userErrors { code } }
                createUser(input: {email: "Grace@Hiregraph.example", name: "Grace Hopper", role: INTERVIEWER, timeZone: "America/New_York"}) { user { email role timeZone } userErrors { code } }
            }"#,
            Value::Null,
        )
        .await;
    assert_eq!(
        created["createLevel"]["level"],
        json!({ "code": "IC7", "rank": 7 })
    );
    assert_eq!(
        created["createUser"]["user"],
        json!({ "email": "grace@hiregraph.example", "role": "INTERVIEWER", "timeZone": "America/New_York" })
    );
    let renamed = app
        .admin_data(
            r#"mutation($skill: ID!, $team: ID!) {
                updateSkill(input: {id: $skill, name: "Rust (language)"}) { skill { name } userErrors { code } }
                updateTeam(input: {id: $team, vertical: null}) { team { name vertical } userErrors { code } }
            }"#,
            json!({ "skill": created["createSkill"]["skill"]["id"], "team": created["createTeam"]["team"]["id"] }),
        )
        .await;
    assert_eq!(renamed["updateSkill"]["skill"]["name"], "Rust (language)");
    assert_eq!(
        renamed["updateTeam"]["team"],
        json!({ "name": "Identity", "vertical": null })
    );
    let same_rank = app
        .admin_data(
            r#"mutation { createLevel(input: {code: "IC7B", name: "Other", track: INDIVIDUAL_CONTRIBUTOR, rank: 7}) { level { code } userErrors { field code } } }"#,
            Value::Null,
        )
        .await;
    assert_eq!(
        same_rank["createLevel"]["userErrors"],
        json!([{ "field": ["rank"], "code": "TAKEN" }])
    );
    let missing = app
        .admin_data(
            "mutation($id: ID!) { updateSkill(input: {id: $id, name: \"x\"}) { skill { name } userErrors { field code } } }",
            json!({ "id": base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, "Skill:99999") }),
        )
        .await;
    assert_eq!(
        missing["updateSkill"]["userErrors"],
        json!([{ "field": ["id"], "code": "NOT_FOUND" }])
    );
}
