//! Offers: made at the offer stage, checked against the posting and the
//! compensation bands, versioned, approved by the hiring manager or an admin,
//! and accepted (which hires) or declined; each rule with the input that
//! breaks it.
//!
//! The demo's "Senior Backend Engineer (Elixir)" hires at IC3 and IC4 into
//! four teams, has two openings, and makes offers at its last stage
//! (employment verification), where Grace Namutebi (Uganda: Zone D) is.
//! Yasmine Alaoui (Morocco: Zone C) is one stage before it.

use std::collections::HashMap;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{Duration, Utc};
use entity::enums::{ApplicationStatus, CandidateSource, OfferStatus, PayInterval, Role};
use entity::{
    application, candidate, geo_zone, interview_stage, offer, posting, posting_level, user,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};
use serde_json::{Value, json};

use crate::support::{ADMIN, HIRING_MANAGER, INTERVIEWER, RECRUITER, TestApp};

const SLUG: &str = "senior-backend-engineer-elixir";
const GRACE: &str = "Grace Namutebi";
const YASMINE: &str = "Yasmine Alaoui";
/// A hiring manager who does not manage the demo posting.
const OTHER_MANAGER: &str = "marta.oliveira@hiregraph.example";

const OFFER_FIELDS: &str = "id version status level { code } geoZone { name } team { name } \
    baseSalary { amount currency } interval startDate notes exceptionReason \
    withinBand compaRatio rangePenetration outsidePostedRange \
    exchangeRateSet { name } baseSalaryInBandCurrency { amount currency } \
    band { minimum { amount currency } maximum { amount } interval level { code } geoZone { name } } \
    approvals { approver { email } decision comment decidedAt } createdBy { email }";

/// The IDs of the demo posting and of what offers refer to.
struct Demo {
    /// Stage IDs by position.
    stages: HashMap<i64, String>,
    /// Level IDs by code, every level.
    levels: HashMap<String, String>,
    /// Team IDs by name, every team.
    teams: HashMap<String, String>,
    /// Zone IDs by name.
    zones: HashMap<String, String>,
    /// Application ID and version by candidate name.
    applications: HashMap<String, (String, i64)>,
}

impl Demo {
    async fn load(app: &TestApp) -> Demo {
        let data = app
            .admin_data(
                r#"query($slug: String!) {
                    posting(slug: $slug) {
                        interviewPlan { id position }
                        applications(first: 50) { edges { node { id version candidate { name } } } }
                    }
                    levels(first: 100) { edges { node { id code } } }
                    teams(first: 100) { edges { node { id name } } }
                    geoZones(first: 100) { edges { node { id name } } }
                }"#,
                json!({ "slug": SLUG }),
            )
            .await;
        let by = |list: &str, key: &str| -> HashMap<String, String> {
            nodes(&data[list])
                .iter()
                .map(|n| (text(&n[key]), text(&n["id"])))
                .collect()
        };
        let posting = &data["posting"];
        Demo {
            stages: posting["interviewPlan"]
                .as_array()
                .expect("a plan")
                .iter()
                .map(|s| (s["position"].as_i64().expect("a position"), text(&s["id"])))
                .collect(),
            levels: by("levels", "code"),
            teams: by("teams", "name"),
            zones: by("geoZones", "name"),
            applications: nodes(&posting["applications"])
                .iter()
                .map(|n| {
                    (
                        text(&n["candidate"]["name"]),
                        (text(&n["id"]), n["version"].as_i64().expect("a version")),
                    )
                })
                .collect(),
        }
    }

    fn application(&self, name: &str) -> &str {
        &self.applications[name].0
    }

    /// Valid terms for an offer on `application`: IC3, the Global Payments
    /// team, `amount` USD a year.
    fn terms_for(&self, application: &str, amount: &str) -> Value {
        json!({
            "applicationId": application,
            "levelId": self.levels["IC3"],
            "teamId": self.teams["Global Payments"],
            "baseSalary": { "amount": amount, "currency": "USD" },
        })
    }

    /// Valid terms for an offer to the demo candidate `name`.
    fn terms(&self, name: &str, amount: &str) -> Value {
        self.terms_for(self.application(name), amount)
    }

    /// Moves Yasmine from stage 7 to the offer stage.
    async fn move_yasmine_to_the_offer_stage(&self, app: &TestApp) {
        let (id, version) = &self.applications[YASMINE];
        let data = app
            .admin_data(
                "mutation($input: MoveApplicationToStageInput!) { moveApplicationToStage(input: $input) { application { currentStage { position } } userErrors { code } } }",
                json!({ "input": { "applicationId": id, "stageId": self.stages[&8], "expectedVersion": version } }),
            )
            .await;
        assert_eq!(
            data["moveApplicationToStage"]["application"]["currentStage"]["position"], 8,
            "{data}"
        );
    }
}

fn nodes(connection: &Value) -> Vec<Value> {
    connection["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| e["node"].clone())
        .collect()
}

fn text(value: &Value) -> String {
    value
        .as_str()
        .unwrap_or_else(|| panic!("a string, not {value}"))
        .to_owned()
}

/// `object` with `key` set to `value` (removed when `value` is null).
fn with(mut object: Value, key: &str, value: Value) -> Value {
    let map = object.as_object_mut().expect("an object");
    if value.is_null() {
        map.remove(key);
    } else {
        map.insert(key.to_owned(), value);
    }
    object
}

/// `(field path joined by dots, code)` of each user error in `payload`.
fn user_errors(payload: &Value) -> Vec<(String, String)> {
    payload["userErrors"]
        .as_array()
        .expect("userErrors")
        .iter()
        .map(|e| {
            let path: Vec<&str> = e["field"]
                .as_array()
                .expect("a path")
                .iter()
                .filter_map(Value::as_str)
                .collect();
            (path.join("."), text(&e["code"]))
        })
        .collect()
}

fn error(field: &str, code: &str) -> Vec<(String, String)> {
    vec![(field.to_owned(), code.to_owned())]
}

/// The query of offer mutation `name` (its input type is `<Name>Input`).
fn mutation(name: &str) -> String {
    let mut input = name.to_owned();
    input[..1].make_ascii_uppercase();
    let extra = if name == "acceptOffer" {
        "application { id status version team { name } }"
    } else {
        ""
    };
    format!(
        "mutation($input: {input}Input!) {{ {name}(input: $input) {{ offer {{ {OFFER_FIELDS} }} {extra} userErrors {{ field code message }} }} }}"
    )
}

/// Runs offer mutation `name` with `input` as `token`; returns its payload.
async fn run(app: &TestApp, token: &str, name: &str, input: Value) -> Value {
    app.graphql(Some(token), &mutation(name), json!({ "input": input }))
        .await
        .data()[name]
        .clone()
}

/// Runs `name` on offer `id` as an admin, asserting it succeeds; returns the offer.
async fn step(app: &TestApp, name: &str, id: &str) -> Value {
    let payload = run(app, &app.admin(), name, json!({ "offerId": id })).await;
    assert_eq!(user_errors(&payload), vec![], "{name}: {payload}");
    payload["offer"].clone()
}

/// Makes an offer with `terms` as an admin, asserting it succeeds; returns it.
async fn create(app: &TestApp, terms: Value) -> Value {
    let payload = run(app, &app.admin(), "createOffer", terms).await;
    assert_eq!(user_errors(&payload), vec![], "{payload}");
    payload["offer"].clone()
}

/// Makes an offer with `terms` and takes it to SENT; returns its ID.
async fn sent_offer(app: &TestApp, terms: Value) -> String {
    let id = text(&create(app, terms).await["id"]);
    step(app, "submitOfferForApproval", &id).await;
    step(app, "approveOffer", &id).await;
    assert_eq!(step(app, "sendOffer", &id).await["status"], "SENT");
    id
}

/// Offers stored, and audit events about offers.
async fn offers_written(app: &TestApp) -> (i64, i64) {
    (
        app.count("SELECT COUNT(*) FROM offers").await,
        app.count("SELECT COUNT(*) FROM audit_events WHERE object_type = 'Offer'")
            .await,
    )
}

fn close(actual: &Value, expected: f64) {
    let actual = actual
        .as_f64()
        .unwrap_or_else(|| panic!("a number, not {actual}"));
    assert!(
        (actual - expected).abs() < 1e-9,
        "{actual} is not {expected}"
    );
}

async fn application_status(app: &TestApp, id: &str) -> Value {
    app.admin_data(
        "query($id: ID!) { application(id: $id) { status version team { name } } }",
        json!({ "id": id }),
    )
    .await["application"]
        .clone()
}

async fn posting_status(app: &TestApp) -> Value {
    app.admin_data(
        "query($slug: String!) { posting(slug: $slug) { status closeReason closedAt } }",
        json!({ "slug": SLUG }),
    )
    .await["posting"]
        .clone()
}

async fn find_posting(app: &TestApp, slug: &str) -> posting::Model {
    posting::Entity::find()
        .filter(posting::Column::Slug.eq(slug))
        .one(&app.db.conn)
        .await
        .expect("a query")
        .expect("the posting")
}

/// Inserts an active application of `candidate_id` to `posting`, at the last
/// stage of its plan (`last_stage`) or at the first.
async fn add_application(
    app: &TestApp,
    candidate_id: i64,
    posting: &posting::Model,
    last_stage: bool,
) -> application::Model {
    let db = &app.db.conn;
    let mut stages = interview_stage::Entity::find()
        .filter(interview_stage::Column::PostingId.eq(posting.id))
        .order_by_asc(interview_stage::Column::Position)
        .all(db)
        .await
        .expect("stages");
    let stage = if last_stage {
        stages.pop()
    } else {
        stages.into_iter().next()
    }
    .expect("a stage");
    let now = Utc::now();
    application::ActiveModel {
        candidate_id: Set(candidate_id),
        posting_id: Set(posting.id),
        current_stage_id: Set(stage.id),
        status: Set(ApplicationStatus::Active),
        version: Set(1),
        applied_at: Set(now),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("an application")
}

/// A new candidate in Kenya with an active application at the demo
/// posting's offer stage; returns the application's global ID.
async fn candidate_at_the_offer_stage(app: &TestApp, n: usize) -> String {
    let now = Utc::now();
    let email = format!("finalist-{n}@example.com");
    let person = candidate::ActiveModel {
        email: Set(email.clone()),
        email_normalized: Set(email),
        name: Set(format!("Finalist {n}")),
        country_code: Set(Some("KE".into())),
        links: Set(json!([])),
        source: Set(CandidateSource::CareersSite),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db.conn)
    .await
    .expect("a candidate");
    let posting = find_posting(app, SLUG).await;
    let application = add_application(app, person.id, &posting, true).await;
    URL_SAFE_NO_PAD.encode(format!("Application:{}", application.id))
}

#[tokio::test]
async fn an_offer_is_made_only_at_the_offer_stage() {
    let app = TestApp::demo().await;
    let demo = Demo::load(&app).await;
    let payload = run(
        &app,
        &app.admin(),
        "createOffer",
        demo.terms(YASMINE, "98550"),
    )
    .await;
    assert_eq!(payload["offer"], Value::Null);
    assert_eq!(
        user_errors(&payload),
        error("applicationId", "INVALID_STATE")
    );
    let message = text(&payload["userErrors"][0]["message"]);
    assert!(message.contains("stage 8"), "{message}");
    assert_eq!(offers_written(&app).await, (0, 0));

    demo.move_yasmine_to_the_offer_stage(&app).await;
    let offer = create(&app, demo.terms(YASMINE, "98550")).await;
    assert_eq!(offer["version"], 1);
    assert_eq!(offer["status"], "DRAFT");
    assert_eq!(offer["createdBy"]["email"], ADMIN);
    assert_eq!(offer["geoZone"]["name"], "Zone C", "the candidate's zone");
    assert_eq!(offers_written(&app).await, (1, 1));
}

#[tokio::test]
async fn the_terms_must_fit_the_posting_and_the_currency() {
    let app = TestApp::demo().await;
    let demo = Demo::load(&app).await;
    let yesterday = (Utc::now().date_naive() - Duration::days(1)).to_string();
    let terms = demo.terms(GRACE, "76450.00");
    let cases = [
        ("levelId", json!(demo.levels["IC5"]), ("levelId", "INVALID")),
        ("teamId", Value::Null, ("teamId", "BLANK")),
        (
            "teamId",
            json!(demo.teams["Developer Platform"]),
            ("teamId", "INVALID"),
        ),
        (
            "baseSalary",
            json!({ "amount": "76450", "currency": "ZZZ" }),
            ("baseSalary.currency", "UNKNOWN_CURRENCY"),
        ),
        (
            "baseSalary",
            json!({ "amount": "76450.005", "currency": "USD" }),
            ("baseSalary.amount", "INVALID_AMOUNT"),
        ),
        (
            "baseSalary",
            json!({ "amount": "7645000.5", "currency": "JPY" }),
            ("baseSalary.amount", "INVALID_AMOUNT"),
        ),
        ("startDate", json!(yesterday), ("startDate", "IN_THE_PAST")),
    ];
    for (key, value, expected) in cases {
        let payload = run(
            &app,
            &app.admin(),
            "createOffer",
            with(terms.clone(), key, value.clone()),
        )
        .await;
        assert_eq!(payload["offer"], Value::Null, "{key}: {value}");
        assert_eq!(
            user_errors(&payload),
            error(expected.0, expected.1),
            "{key}: {value}: {payload}"
        );
    }
    let wrong_level = run(
        &app,
        &app.admin(),
        "createOffer",
        with(terms.clone(), "levelId", json!(demo.levels["IC5"])),
    )
    .await;
    let message = text(&wrong_level["userErrors"][0]["message"]);
    assert!(message.contains("IC3, IC4"), "{message}");
    assert_eq!(offers_written(&app).await, (0, 0));
}

#[tokio::test]
async fn an_offer_outside_its_band_needs_an_exception_reason() {
    let app = TestApp::demo().await;
    let demo = Demo::load(&app).await;
    let above = demo.terms(GRACE, "120000");
    let payload = run(&app, &app.admin(), "createOffer", above.clone()).await;
    assert_eq!(payload["offer"], Value::Null);
    assert_eq!(
        user_errors(&payload),
        error("baseSalary.amount", "OUT_OF_BAND")
    );
    let message = text(&payload["userErrors"][0]["message"]);
    assert!(
        message.contains("USD 54200.00 to 98700.00 a year"),
        "{message}"
    );
    assert_eq!(offers_written(&app).await, (0, 0), "nothing was written");

    let blank = run(
        &app,
        &app.admin(),
        "createOffer",
        with(above.clone(), "exceptionReason", json!("   ")),
    )
    .await;
    assert_eq!(
        user_errors(&blank),
        error("baseSalary.amount", "OUT_OF_BAND")
    );
    // No band is paid by the hour.
    let hourly = run(
        &app,
        &app.admin(),
        "createOffer",
        with(demo.terms(GRACE, "45"), "interval", json!("HOUR")),
    )
    .await;
    assert_eq!(
        user_errors(&hourly),
        error("baseSalary.amount", "OUT_OF_BAND")
    );
    assert_eq!(offers_written(&app).await, (0, 0), "nothing was written");

    let reason = "Competing offer from a fintech; this matches their base.";
    let offer = create(&app, with(above, "exceptionReason", json!(reason))).await;
    assert_eq!(offer["withinBand"], false);
    assert_eq!(offer["exceptionReason"], reason);
    assert_eq!(offer["band"]["minimum"]["amount"], "54200.00");
    close(&offer["compaRatio"], 120_000.0 / 76_450.0);
    close(
        &offer["rangePenetration"],
        (120_000.0 - 54_200.0) / (98_700.0 - 54_200.0),
    );
    assert_eq!(offers_written(&app).await, (1, 1));
}

#[tokio::test]
async fn the_band_check_is_exact_for_a_known_demo_band() {
    let app = TestApp::demo().await;
    let demo = Demo::load(&app).await;
    // Zone D, IC3: USD 54,200 to 98,700 a year; the midpoint is 76,450.
    let offer = create(&app, demo.terms(GRACE, "76450")).await;
    assert_eq!(offer["geoZone"]["name"], "Zone D", "the candidate's zone");
    assert_eq!(offer["team"]["name"], "Global Payments");
    assert_eq!(offer["interval"], "YEAR");
    assert_eq!(
        offer["baseSalary"],
        json!({ "amount": "76450.00", "currency": "USD" })
    );
    assert_eq!(
        offer["band"],
        json!({
            "minimum": { "amount": "54200.00", "currency": "USD" },
            "maximum": { "amount": "98700.00" },
            "interval": "YEAR",
            "level": { "code": "IC3" },
            "geoZone": { "name": "Zone D" }
        })
    );
    assert_eq!(offer["withinBand"], true);
    close(&offer["compaRatio"], 1.0);
    close(&offer["rangePenetration"], 0.5);

    // Zone C, IC3 is USD 68,500 to 128,600: 83,525 is a quarter of the way in.
    let revised = run(
        &app,
        &app.admin(),
        "reviseOffer",
        json!({
            "offerId": offer["id"],
            "geoZoneId": demo.zones["Zone C"],
            "baseSalary": { "amount": "83525.00", "currency": "USD" }
        }),
    )
    .await;
    let revised = &revised["offer"];
    assert_eq!(revised["geoZone"]["name"], "Zone C");
    assert_eq!(revised["band"]["minimum"]["amount"], "68500.00");
    assert_eq!(revised["withinBand"], true);
    close(&revised["rangePenetration"], 0.25);
    close(&revised["compaRatio"], 83_525.0 / 98_550.0);
}

#[tokio::test]
async fn revising_makes_a_new_version_and_keeps_the_old_terms() {
    let app = TestApp::demo().await;
    let demo = Demo::load(&app).await;
    let start = (Utc::now().date_naive() + Duration::days(30)).to_string();
    let v1 = create(
        &app,
        with(demo.terms(GRACE, "76450"), "startDate", json!(start)),
    )
    .await;
    let v1_id = text(&v1["id"]);
    let again = run(
        &app,
        &app.admin(),
        "createOffer",
        demo.terms(GRACE, "80000"),
    )
    .await;
    assert_eq!(user_errors(&again), error("applicationId", "INVALID_STATE"));
    assert!(text(&again["userErrors"][0]["message"]).contains("reviseOffer"));

    let payload = run(
        &app,
        &app.admin(),
        "reviseOffer",
        json!({
            "offerId": v1_id,
            "levelId": demo.levels["IC4"],
            "baseSalary": { "amount": "87825", "currency": "USD" },
            "notes": "Levelled up after the VP interview."
        }),
    )
    .await;
    assert_eq!(user_errors(&payload), vec![], "{payload}");
    let v2 = &payload["offer"];
    assert_eq!(v2["version"], 2);
    assert_eq!(v2["status"], "DRAFT");
    assert_eq!(v2["level"]["code"], "IC4");
    assert_eq!(v2["baseSalary"]["amount"], "87825.00");
    assert_eq!(v2["notes"], "Levelled up after the VP interview.");
    assert_eq!(v2["team"]["name"], "Global Payments", "kept");
    assert_eq!(v2["startDate"], json!(start), "kept");
    assert_eq!(v2["geoZone"]["name"], "Zone D", "kept");
    // Zone D, IC4: USD 70,300 to 129,800.
    close(&v2["compaRatio"], 87_825.0 / 100_050.0);
    close(&v2["rangePenetration"], (87_825.0 - 70_300.0) / 59_500.0);

    let versions = app
        .admin_data(
            &format!(
                "query($id: ID!) {{ application(id: $id) {{ offer {{ id version }} offerVersions {{ {OFFER_FIELDS} }} }} }}"
            ),
            json!({ "id": demo.application(GRACE) }),
        )
        .await;
    let application = &versions["application"];
    assert_eq!(application["offer"]["id"], v2["id"]);
    let list = application["offerVersions"].as_array().expect("versions");
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["id"], v2["id"], "newest first");
    let old = &list[1];
    assert_eq!(old["id"], v1["id"]);
    assert_eq!(old["status"], "SUPERSEDED");
    assert_eq!(old["level"]["code"], "IC3");
    assert_eq!(old["baseSalary"]["amount"], "76450.00");
    assert_eq!(old["notes"], Value::Null);
    close(&old["compaRatio"], 1.0);

    for name in ["reviseOffer", "submitOfferForApproval", "withdrawOffer"] {
        let stale = run(&app, &app.admin(), name, json!({ "offerId": v1_id })).await;
        assert_eq!(
            user_errors(&stale),
            error("offerId", "INVALID_STATE"),
            "{name}"
        );
    }
    let actions = app
        .count(
            "SELECT COUNT(*) FROM audit_events WHERE action IN ('offer.create', 'offer.revise', 'offer.supersede')",
        )
        .await;
    assert_eq!(actions, 3);
}

#[tokio::test]
async fn approval_is_for_the_postings_hiring_manager_or_an_admin() {
    let app = TestApp::demo().await;
    let demo = Demo::load(&app).await;
    let id = text(&create(&app, demo.terms(GRACE, "76450")).await["id"]);
    let submitted = step(&app, "submitOfferForApproval", &id).await;
    assert_eq!(submitted["status"], "PENDING_APPROVAL");

    for (email, role) in [
        (RECRUITER, Role::Recruiter),
        (OTHER_MANAGER, Role::HiringManager),
        (INTERVIEWER, Role::Interviewer),
    ] {
        for name in ["approveOffer", "rejectOfferApproval"] {
            let reply = app
                .graphql(
                    Some(&app.token(email, role)),
                    &mutation(name),
                    json!({ "input": { "offerId": id, "comment": "No." } }),
                )
                .await;
            assert_eq!(reply.error_code(), "FORBIDDEN", "{email} {name}");
        }
    }

    let admin = app.admin();
    let no_comment = run(
        &app,
        &admin,
        "rejectOfferApproval",
        json!({ "offerId": id, "comment": "  " }),
    )
    .await;
    assert_eq!(user_errors(&no_comment), error("comment", "BLANK"));
    let rejected = run(
        &app,
        &admin,
        "rejectOfferApproval",
        json!({ "offerId": id, "comment": "Agree the start date first." }),
    )
    .await;
    assert_eq!(rejected["offer"]["status"], "DRAFT");
    assert_eq!(rejected["offer"]["approvals"][0]["decision"], "REJECTED");

    step(&app, "submitOfferForApproval", &id).await;
    let manager = app.token(HIRING_MANAGER, Role::HiringManager);
    let approved = run(
        &app,
        &manager,
        "approveOffer",
        json!({ "offerId": id, "comment": "The right level for the team." }),
    )
    .await;
    assert_eq!(user_errors(&approved), vec![], "{approved}");
    let offer = &approved["offer"];
    assert_eq!(offer["status"], "APPROVED");
    let approvals = offer["approvals"].as_array().expect("approvals");
    assert_eq!(approvals.len(), 2);
    assert_eq!(approvals[0]["approver"]["email"], ADMIN);
    assert_eq!(approvals[0]["decision"], "REJECTED");
    assert_eq!(approvals[0]["comment"], "Agree the start date first.");
    assert_eq!(approvals[1]["approver"]["email"], HIRING_MANAGER);
    assert_eq!(approvals[1]["decision"], "APPROVED");
    assert!(approvals[1]["decidedAt"].is_string());

    // An admin approves too.
    demo.move_yasmine_to_the_offer_stage(&app).await;
    let other = text(&create(&app, demo.terms(YASMINE, "98550")).await["id"]);
    step(&app, "submitOfferForApproval", &other).await;
    let by_admin = step(&app, "approveOffer", &other).await;
    assert_eq!(by_admin["status"], "APPROVED");
    assert_eq!(by_admin["approvals"][0]["approver"]["email"], ADMIN);
}

#[tokio::test]
async fn an_offer_is_sent_only_once_approved() {
    let app = TestApp::demo().await;
    let demo = Demo::load(&app).await;
    let id = text(&create(&app, demo.terms(GRACE, "76450")).await["id"]);
    for name in ["sendOffer", "acceptOffer", "approveOffer", "declineOffer"] {
        let payload = run(&app, &app.admin(), name, json!({ "offerId": id })).await;
        assert_eq!(payload["offer"], Value::Null, "{name}");
        assert_eq!(
            user_errors(&payload),
            error("offerId", "INVALID_STATE"),
            "{name}"
        );
        let message = text(&payload["userErrors"][0]["message"]);
        assert!(message.contains("the offer is DRAFT"), "{message}");
    }
    step(&app, "submitOfferForApproval", &id).await;
    let early = run(&app, &app.admin(), "sendOffer", json!({ "offerId": id })).await;
    assert_eq!(user_errors(&early), error("offerId", "INVALID_STATE"));
    step(&app, "approveOffer", &id).await;
    assert_eq!(step(&app, "sendOffer", &id).await["status"], "SENT");
    let declined = run(
        &app,
        &app.admin(),
        "declineOffer",
        json!({ "offerId": id, "reason": "Staying with the current employer." }),
    )
    .await;
    assert_eq!(declined["offer"]["status"], "DECLINED");
    let status = application_status(&app, demo.application(GRACE)).await;
    assert_eq!(
        status["status"], "ACTIVE",
        "declining leaves the application"
    );

    // After a decline a new offer can be made; it continues the versions.
    let next = create(&app, demo.terms(GRACE, "90000")).await;
    assert_eq!(next["version"], 2);
    let versions = app
        .admin_data(
            "query($id: ID!) { application(id: $id) { offerVersions { version status } } }",
            json!({ "id": demo.application(GRACE) }),
        )
        .await;
    assert_eq!(
        versions["application"]["offerVersions"],
        json!([{ "version": 2, "status": "DRAFT" }, { "version": 1, "status": "DECLINED" }])
    );
}

#[tokio::test]
async fn accepting_hires_and_leaves_the_candidates_other_applications_alone() {
    let app = TestApp::demo().await;
    let demo = Demo::load(&app).await;
    let grace = candidate::Entity::find()
        .filter(candidate::Column::EmailNormalized.eq("grace.namutebi@example.org"))
        .one(&app.db.conn)
        .await
        .expect("a query")
        .expect("Grace");
    let frontend = find_posting(&app, "senior-frontend-engineer-react").await;
    let other = add_application(&app, grace.id, &frontend, false).await;

    let id = sent_offer(
        &app,
        with(
            demo.terms(GRACE, "76450"),
            "teamId",
            json!(demo.teams["Benefits Administration"]),
        ),
    )
    .await;
    let payload = run(&app, &app.admin(), "acceptOffer", json!({ "offerId": id })).await;
    assert_eq!(user_errors(&payload), vec![], "{payload}");
    assert_eq!(payload["offer"]["status"], "ACCEPTED");
    assert_eq!(payload["application"]["status"], "HIRED");
    assert_eq!(
        payload["application"]["team"]["name"], "Benefits Administration",
        "the offer settles the team"
    );

    let untouched = application::Entity::find_by_id(other.id)
        .one(&app.db.conn)
        .await
        .expect("a query")
        .expect("the other application");
    assert_eq!(untouched, other, "the other application is untouched");

    assert_eq!(
        posting_status(&app).await["status"],
        "OPEN",
        "one of two openings filled"
    );
    for action in ["offer.accept", "application.hire"] {
        let sql = format!("SELECT COUNT(*) FROM audit_events WHERE action = '{action}'");
        assert_eq!(app.count(&sql).await, 1, "{action}");
    }

    for name in ["reviseOffer", "withdrawOffer", "declineOffer"] {
        let again = run(&app, &app.admin(), name, json!({ "offerId": id })).await;
        assert_eq!(
            user_errors(&again),
            error("offerId", "INVALID_STATE"),
            "{name}"
        );
    }
}

#[tokio::test]
async fn the_second_hire_fills_the_two_opening_posting() {
    let app = TestApp::demo().await;
    let demo = Demo::load(&app).await;
    demo.move_yasmine_to_the_offer_stage(&app).await;
    let grace = sent_offer(&app, demo.terms(GRACE, "76450")).await;
    let yasmine = sent_offer(&app, demo.terms(YASMINE, "98550")).await;
    let first = run(
        &app,
        &app.admin(),
        "acceptOffer",
        json!({ "offerId": grace }),
    )
    .await;
    assert_eq!(first["application"]["status"], "HIRED", "{first}");
    assert_eq!(posting_status(&app).await["status"], "OPEN");
    let second = run(
        &app,
        &app.admin(),
        "acceptOffer",
        json!({ "offerId": yasmine }),
    )
    .await;
    assert_eq!(second["application"]["status"], "HIRED", "{second}");
    let posting = posting_status(&app).await;
    assert_eq!(posting["status"], "CLOSED");
    assert_eq!(posting["closeReason"], "FILLED");
    assert!(posting["closedAt"].is_string());
}

#[tokio::test]
async fn an_offer_accepted_once_every_opening_is_filled_is_refused_and_nothing_is_written() {
    let app = TestApp::demo().await;
    let demo = Demo::load(&app).await;
    demo.move_yasmine_to_the_offer_stage(&app).await;
    let grace = sent_offer(&app, demo.terms(GRACE, "76450")).await;
    let yasmine = sent_offer(&app, demo.terms(YASMINE, "98550")).await;
    let finalist = candidate_at_the_offer_stage(&app, 8).await;
    let third = sent_offer(&app, demo.terms_for(&finalist, "80000")).await;
    for id in [&grace, &yasmine] {
        let payload = run(&app, &app.admin(), "acceptOffer", json!({ "offerId": id })).await;
        assert_eq!(user_errors(&payload), vec![], "{payload}");
    }
    assert_eq!(posting_status(&app).await["closeReason"], "FILLED");
    let audit_before = app.count("SELECT COUNT(*) FROM audit_events").await;

    // The demo posting has two openings, both filled now.
    let payload = run(
        &app,
        &app.admin(),
        "acceptOffer",
        json!({ "offerId": third }),
    )
    .await;
    assert_eq!(user_errors(&payload), error("offerId", "NO_OPENINGS_LEFT"));
    let message = text(&payload["userErrors"][0]["message"]);
    assert!(message.contains("2 hired for 2 opening(s)"), "{message}");
    let state = app
        .admin_data(
            "query($offer: ID!, $application: ID!) { offer: node(id: $offer) { ... on Offer { status } } application: node(id: $application) { ... on Application { status } } }",
            json!({ "offer": third, "application": finalist }),
        )
        .await;
    assert_eq!(
        state,
        json!({ "offer": { "status": "SENT" }, "application": { "status": "ACTIVE" } })
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events").await,
        audit_before
    );
    let hired = app
        .count("SELECT COUNT(*) FROM applications WHERE status = 'HIRED'")
        .await;
    assert_eq!(hired, 2);
}

#[tokio::test]
async fn hiring_without_an_accepted_offer_is_refused() {
    let app = TestApp::demo().await;
    let demo = Demo::load(&app).await;
    let hire = "mutation($input: HireApplicationInput!) { hireApplication(input: $input) { application { status } userErrors { field code } } }";
    let (id, version) = &demo.applications[GRACE];
    let input = json!({ "input": { "applicationId": id, "expectedVersion": version } });
    let data = app.admin_data(hire, input.clone()).await;
    assert_eq!(
        user_errors(&data["hireApplication"]),
        error("applicationId", "INVALID_STATE")
    );
    // A sent offer is not an accepted one.
    sent_offer(&app, demo.terms(GRACE, "76450")).await;
    let data = app.admin_data(hire, input).await;
    assert_eq!(
        user_errors(&data["hireApplication"]),
        error("applicationId", "INVALID_STATE")
    );
    assert_eq!(application_status(&app, id).await["status"], "ACTIVE");
}

#[tokio::test]
async fn interviewers_never_see_offers() {
    let app = TestApp::demo().await;
    let demo = Demo::load(&app).await;
    let offer = create(&app, demo.terms(GRACE, "76450")).await;
    let interviewer = app.token(INTERVIEWER, Role::Interviewer);
    let reply = app
        .graphql(
            Some(&interviewer),
            "{ applications(first: 5) { edges { node { id offer { id baseSalary { amount } } offerVersions { id } } } } }",
            json!({}),
        )
        .await;
    let seen = nodes(&reply.body["data"]["applications"]);
    assert!(!seen.is_empty(), "the interviewer sees some applications");
    assert!(
        seen.iter()
            .all(|n| n["offer"].is_null() && n["offerVersions"].is_null())
    );
    let codes = reply.error_codes();
    assert!(!codes.is_empty());
    assert!(codes.iter().all(|c| c == "FORBIDDEN"), "{:?}", reply.body);
    let node = app
        .graphql(
            Some(&interviewer),
            "query($id: ID!) { node(id: $id) { id } }",
            json!({ "id": offer["id"] }),
        )
        .await;
    assert_eq!(node.error_code(), "FORBIDDEN");

    // Those who may read compensation and see the application fetch it by its ID.
    let manager = app.token(HIRING_MANAGER, Role::HiringManager);
    let node = app
        .graphql(
            Some(&manager),
            "query($id: ID!) { node(id: $id) { ... on Offer { version baseSalary { amount } application { candidate { name } } } } }",
            json!({ "id": offer["id"] }),
        )
        .await;
    assert_eq!(
        node.data()["node"],
        json!({ "version": 1, "baseSalary": { "amount": "76450.00" }, "application": { "candidate": { "name": GRACE } } })
    );
    // The VP interviews Grace, so she sees the application, but salaries are
    // for the posting's own hiring manager.
    let other = app
        .graphql(
            Some(&app.token(OTHER_MANAGER, Role::HiringManager)),
            "query($id: ID!) { node(id: $id) { id } }",
            json!({ "id": offer["id"] }),
        )
        .await;
    assert_eq!(other.error_code(), "FORBIDDEN");
}

/// Sends `first` and `second` on offer `id` at once; returns both payloads.
///
/// So that both act on the offer as they read it, SENT, a transaction of the
/// test's own writes to the offer first and holds it (its row on Postgres,
/// the write lock on SQLite) until both requests have read the offer and
/// wait to write; then it lets go, having changed nothing.
async fn race(app: &TestApp, id: &str, first: &str, second: &str) -> (Value, Value) {
    let admin = app.admin();
    let key = offer_key(id);
    let holder = app.db.conn.begin().await.expect("a transaction");
    holder
        .execute_unprepared(&format!(
            "UPDATE offers SET updated_at = updated_at WHERE id = {key}"
        ))
        .await
        .expect("hold the offer");
    let release = async {
        both_wait(app).await;
        holder.rollback().await.expect("let go");
    };
    let input = json!({ "input": { "offerId": id } });
    let (one, two) = (mutation(first), mutation(second));
    let (a, b, ()) = tokio::join!(
        app.graphql(Some(&admin), &one, input.clone()),
        app.graphql(Some(&admin), &two, input.clone()),
        release,
    );
    (a.data()[first].clone(), b.data()[second].clone())
}

/// Returns once two requests wait for the held offer: on Postgres, when two
/// sessions wait for a lock; on SQLite, which cannot tell, after a while.
async fn both_wait(app: &TestApp) {
    if app.db.conn.get_database_backend() != DbBackend::Postgres {
        tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
        return;
    }
    for _ in 0..500 {
        let waiting = app
            .count(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
            )
            .await;
        if waiting >= 2 {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("the two requests never waited for the offer");
}

/// The database key inside an offer's global ID.
fn offer_key(id: &str) -> i64 {
    let decoded = String::from_utf8(URL_SAFE_NO_PAD.decode(id).expect("base64")).expect("text");
    decoded
        .strip_prefix("Offer:")
        .and_then(|key| key.parse().ok())
        .unwrap_or_else(|| panic!("{decoded} is not an offer ID"))
}

#[tokio::test]
async fn of_two_concurrent_changes_exactly_one_wins() {
    let app = TestApp::demo().await;
    let demo = Demo::load(&app).await;
    // Up to three hires, one per round.
    app.execute(&format!(
        "UPDATE postings SET openings = 3 WHERE slug = '{SLUG}'"
    ))
    .await;
    for (round, (first, second)) in [
        ("acceptOffer", "withdrawOffer"),
        ("acceptOffer", "acceptOffer"),
        ("withdrawOffer", "acceptOffer"),
    ]
    .into_iter()
    .enumerate()
    {
        let application = candidate_at_the_offer_stage(&app, round).await;
        let id = sent_offer(&app, demo.terms_for(&application, "76450")).await;
        let (a, b) = race(&app, &id, first, second).await;
        let won = |p: &Value| p["userErrors"] == json!([]);
        assert!(won(&a) ^ won(&b), "{first}/{second}: {a} {b}");
        let (winner, loser) = if won(&a) { (&a, &b) } else { (&b, &a) };
        assert_eq!(loser["offer"], Value::Null);
        assert_eq!(
            user_errors(loser),
            error("offerId", "CONFLICT"),
            "{first}/{second}: {loser}"
        );
        let message = text(&loser["userErrors"][0]["message"]);
        let now = text(&winner["offer"]["status"]);
        assert!(message.contains(&format!("it is now {now}")), "{message}");

        let status = &application_status(&app, &application).await["status"];
        let hired = now == "ACCEPTED";
        assert_eq!(status, if hired { "HIRED" } else { "ACTIVE" }, "{winner}");
    }
    let accepted = app
        .count("SELECT COUNT(*) FROM offers WHERE status = 'ACCEPTED'")
        .await;
    let hired = app
        .count("SELECT COUNT(*) FROM applications WHERE status = 'HIRED'")
        .await;
    let hires = app
        .count("SELECT COUNT(*) FROM audit_events WHERE action = 'application.hire'")
        .await;
    assert!(accepted >= 1, "the accept-accept round hires");
    assert_eq!(hired, accepted, "hired exactly when accepted");
    assert_eq!(hires, accepted, "never hired twice");
}

#[tokio::test]
async fn listing_offers_costs_the_same_statements_for_two_as_for_all() {
    let app = TestApp::demo().await;
    let db = &app.db.conn;
    let senior = find_posting(&app, SLUG).await;
    let applications = application::Entity::find()
        .filter(application::Column::PostingId.eq(senior.id))
        .all(db)
        .await
        .expect("applications");
    let zones: Vec<i64> = geo_zone::Entity::find()
        .all(db)
        .await
        .expect("zones")
        .iter()
        .map(|z| z.id)
        .collect();
    let levels: Vec<i64> = posting_level::Entity::find()
        .filter(posting_level::Column::PostingId.eq(senior.id))
        .all(db)
        .await
        .expect("levels")
        .iter()
        .map(|l| l.level_id)
        .collect();
    let admin = user::Entity::find()
        .filter(user::Column::Email.eq(ADMIN))
        .one(db)
        .await
        .expect("a query")
        .expect("the admin");
    let now = Utc::now();
    for (i, application) in applications.iter().enumerate() {
        for version in 1..=2 {
            offer::ActiveModel {
                application_id: Set(application.id),
                version: Set(version),
                status: Set(if version == 1 {
                    OfferStatus::Superseded
                } else {
                    OfferStatus::Draft
                }),
                level_id: Set(Some(levels[i % levels.len()])),
                geo_zone_id: Set(Some(zones[i % zones.len()])),
                currency: Set("USD".into()),
                pay_interval: Set(PayInterval::Year),
                base_salary_minor: Set(8_000_000 + i as i64 * 100_000),
                created_by_id: Set(Some(admin.id)),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(db)
            .await
            .expect("an offer");
        }
    }
    let query = format!(
        "query($n: Int!, $posting: ID!) {{ applications(first: $n, filter: {{postingId: $posting}}) {{ edges {{ node {{ offer {{ {OFFER_FIELDS} application {{ id }} }} offerVersions {{ version withinBand band {{ id }} }} }} }} }} }}"
    );
    let token = app.admin();
    let posting = URL_SAFE_NO_PAD.encode(format!("Posting:{}", senior.id));
    let mut costs = Vec::new();
    for n in [2, applications.len()] {
        let before = app.statements();
        let reply = app
            .graphql(Some(&token), &query, json!({ "n": n, "posting": posting }))
            .await;
        let listed = nodes(&reply.data()["applications"]);
        assert_eq!(listed.len(), n);
        assert!(listed.iter().all(|a| a["offer"]["version"] == 2));
        assert!(listed.iter().any(|a| a["offer"]["band"].is_object()));
        costs.push(app.statements() - before);
    }
    assert_eq!(
        costs[0], costs[1],
        "statements must not grow with the number of offers"
    );
}

// ---------------------------------------------------------------------------
// Currencies, exchange rates and floors
// ---------------------------------------------------------------------------

/// Adds an exchange rate set as an admin; returns its payload.
async fn rate_set(app: &TestApp, input: Value) -> Value {
    app.graphql(
        Some(&app.admin()),
        "mutation($input: CreateExchangeRateSetInput!) { createExchangeRateSet(input: $input) {
            exchangeRateSet { id name baseCurrency effectiveOn rates { currency rate } }
            userErrors { field code message } } }",
        json!({ "input": input }),
    )
    .await
    .data()["createExchangeRateSet"]
        .clone()
}

/// Adds a pay floor as an admin; returns its payload.
async fn pay_floor(app: &TestApp, input: Value) -> Value {
    app.graphql(
        Some(&app.admin()),
        "mutation($input: CreatePayFloorInput!) { createPayFloor(input: $input) {
            payFloor { id country { code } kind amount { amount currency } interval effectiveFrom effectiveTo source }
            userErrors { field code message } } }",
        json!({ "input": input }),
    )
    .await
    .data()["createPayFloor"]
        .clone()
}

/// Grace's terms in `currency`, optionally naming a rate set.
fn terms_in(demo: &Demo, amount: &str, currency: &str, rate_set: Option<&str>) -> Value {
    let terms = with(
        demo.terms(GRACE, amount),
        "baseSalary",
        json!({ "amount": amount, "currency": currency }),
    );
    with(
        terms,
        "exchangeRateSetId",
        rate_set.map_or(Value::Null, |id| json!(id)),
    )
}

#[tokio::test]
async fn an_offer_in_another_currency_is_converted_with_the_rate_set_it_names() {
    let app = TestApp::demo().await;
    let demo = Demo::load(&app).await;
    // The demo set: 1 USD = 0.865 EUR. EUR 60,000.00 is USD 69,364.16
    // (69,364.161…), inside Grace's band (Zone D, IC3: USD 54,200 to 98,700).
    let offer = create(&app, terms_in(&demo, "60000.00", "EUR", None)).await;
    assert_eq!(
        offer["baseSalary"],
        json!({ "amount": "60000.00", "currency": "EUR" })
    );
    assert_eq!(offer["exchangeRateSet"]["name"], "Demo rates 2026-11-02");
    assert_eq!(
        offer["baseSalaryInBandCurrency"],
        json!({ "amount": "69364.16", "currency": "USD" })
    );
    assert_eq!(offer["withinBand"], true);
    close(&offer["compaRatio"], 6_936_416.0 / 7_645_000.0);
    assert_eq!(offer["band"]["minimum"]["currency"], "USD");

    // A later set does not change what the offer was checked with.
    let later = rate_set(
        &app,
        json!({ "name": "Later", "baseCurrency": "USD", "effectiveOn": Utc::now().date_naive().to_string(),
                "source": "test", "rates": [{ "currency": "EUR", "rate": "0.5" }] }),
    )
    .await;
    assert_eq!(user_errors(&later), vec![]);
    let again = app
        .admin_data(
            "query($id: ID!) { node(id: $id) { ... on Offer { exchangeRateSet { name } baseSalaryInBandCurrency { amount } } } }",
            json!({ "id": offer["id"] }),
        )
        .await;
    assert_eq!(
        again["node"]["exchangeRateSet"]["name"],
        "Demo rates 2026-11-02"
    );
    assert_eq!(
        again["node"]["baseSalaryInBandCurrency"]["amount"],
        "69364.16"
    );

    // The latest set comes first.
    let sets = app
        .admin_data(
            "{ exchangeRateSets(first: 5) { nodes { name } } }",
            Value::Null,
        )
        .await;
    assert_eq!(sets["exchangeRateSets"]["nodes"][0]["name"], "Later");

    // An offer in its band's own currency converts nothing and names no set.
    let usd = create_for_finalist(&app, &demo, "90000.00").await;
    assert_eq!(usd["exchangeRateSet"], Value::Null);
    assert_eq!(usd["baseSalaryInBandCurrency"], Value::Null);
}

#[tokio::test]
async fn an_offer_that_cannot_be_converted_is_refused_and_nothing_is_written() {
    let app = TestApp::demo().await;
    let demo = Demo::load(&app).await;
    let gbp_only = rate_set(
        &app,
        json!({ "name": "GBP only", "baseCurrency": "USD", "effectiveOn": "2026-01-01",
                "source": "test", "rates": [{ "currency": "GBP", "rate": "0.76" }] }),
    )
    .await;
    let gbp_only = text(&gbp_only["exchangeRateSet"]["id"]);
    let before = offers_written(&app).await;

    let payload = run(
        &app,
        &app.admin(),
        "createOffer",
        terms_in(&demo, "60000.00", "EUR", Some(&gbp_only)),
    )
    .await;
    assert_eq!(
        user_errors(&payload),
        error("baseSalary.currency", "NO_EXCHANGE_RATE")
    );
    let message = text(&payload["userErrors"][0]["message"]);
    assert!(
        message.contains("\"GBP only\" has no rate for EUR"),
        "{message}"
    );

    // The demo set has no Japanese yen.
    let payload = run(
        &app,
        &app.admin(),
        "createOffer",
        terms_in(&demo, "9000000", "JPY", None),
    )
    .await;
    assert_eq!(
        user_errors(&payload),
        error("baseSalary.currency", "NO_EXCHANGE_RATE")
    );

    let missing = URL_SAFE_NO_PAD.encode("ExchangeRateSet:999999");
    let payload = run(
        &app,
        &app.admin(),
        "createOffer",
        terms_in(&demo, "60000.00", "EUR", Some(&missing)),
    )
    .await;
    assert_eq!(
        user_errors(&payload),
        error("exchangeRateSetId", "NOT_FOUND")
    );
    assert_eq!(offers_written(&app).await, before);
}

#[tokio::test]
async fn a_rate_set_is_checked_whole_and_converts_exactly() {
    let app = TestApp::demo().await;
    let sets_before = app.count("SELECT COUNT(*) FROM exchange_rate_sets").await;
    let payload = rate_set(
        &app,
        json!({ "name": "Demo rates 2026-11-02", "baseCurrency": "USD", "effectiveOn": "2026-11-02", "source": " ",
                "rates": [
                    { "currency": "USD", "rate": "1" },
                    { "currency": "EUR", "rate": "0.9" },
                    { "currency": "EUR", "rate": "0.91" },
                    { "currency": "XYZ", "rate": "2" },
                    { "currency": "GBP", "rate": "0" },
                    { "currency": "JPY", "rate": "1e3" },
                    { "currency": "CHF", "rate": "0.12345678901" },
                ] }),
    )
    .await;
    assert_eq!(
        user_errors(&payload),
        vec![
            ("source".to_owned(), "BLANK".to_owned()),
            ("rates.0.currency".to_owned(), "INVALID".to_owned()),
            ("rates.2.currency".to_owned(), "DUPLICATE".to_owned()),
            ("rates.3.currency".to_owned(), "UNKNOWN_CURRENCY".to_owned()),
            ("rates.4.rate".to_owned(), "INVALID".to_owned()),
            ("rates.5.rate".to_owned(), "INVALID".to_owned()),
            ("rates.6.rate".to_owned(), "INVALID".to_owned()),
        ]
    );
    let empty = rate_set(
        &app,
        json!({ "name": "Empty", "baseCurrency": "USD", "effectiveOn": "2026-11-02", "source": "test", "rates": [] }),
    )
    .await;
    assert_eq!(user_errors(&empty), error("rates", "BLANK"));
    let taken = rate_set(
        &app,
        json!({ "name": "Demo rates 2026-11-02", "baseCurrency": "USD", "effectiveOn": "2026-11-02", "source": "test",
                "rates": [{ "currency": "EUR", "rate": "0.9" }] }),
    )
    .await;
    assert_eq!(user_errors(&taken), error("name", "TAKEN"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM exchange_rate_sets").await,
        sets_before
    );

    let converted = app
        .admin_data(
            r#"{ exchangeRateSets(first: 1) { nodes {
                toEur: convert(amount: { amount: "100.00", currency: "USD" }, to: "EUR") { amount currency }
                toKwd: convert(amount: { amount: "129.25", currency: "KES" }, to: "KWD") { amount }
                toJpy: convert(amount: { amount: "1.00", currency: "USD" }, to: "JPY") { amount }
                kesToNgn: convert(amount: { amount: "129.25", currency: "KES" }, to: "NGN") { amount currency }
            } } }"#,
            Value::Null,
        )
        .await;
    let set = &converted["exchangeRateSets"]["nodes"][0];
    assert_eq!(
        set["toEur"],
        json!({ "amount": "86.50", "currency": "EUR" })
    );
    // Neither KWD nor JPY is in the demo set.
    assert_eq!(set["toKwd"], Value::Null);
    assert_eq!(set["toJpy"], Value::Null);
    // KES 129.25 is USD 1.00 is NGN 1455.00.
    assert_eq!(
        set["kesToNgn"],
        json!({ "amount": "1455.00", "currency": "NGN" })
    );
}

#[tokio::test]
async fn no_offer_goes_below_the_floor_of_the_candidates_country() {
    let app = TestApp::demo().await;
    let demo = Demo::load(&app).await;
    // Grace lives in Uganda. A (made-up) statutory floor of USD 60,000 a
    // year is above the bottom of her band (USD 54,200).
    let floor = pay_floor(
        &app,
        json!({ "countryCode": "UG", "kind": "STATUTORY", "amount": { "amount": "60000.00", "currency": "USD" },
                "effectiveFrom": "2026-01-01", "source": "Test minimum wage" }),
    )
    .await;
    assert_eq!(user_errors(&floor), vec![]);
    assert_eq!(floor["payFloor"]["country"]["code"], "UG");
    let before = offers_written(&app).await;

    // Inside the band, and even with an exception reason: refused.
    let below = with(
        demo.terms(GRACE, "59999.99"),
        "exceptionReason",
        json!("Budget"),
    );
    let payload = run(&app, &app.admin(), "createOffer", below).await;
    assert_eq!(
        user_errors(&payload),
        error("baseSalary.amount", "BELOW_FLOOR")
    );
    let message = text(&payload["userErrors"][0]["message"]);
    assert!(
        message.contains("USD 59999.99 a year is below the statutory floor for Uganda, USD 60000.00 a year (Test minimum wage)"),
        "{message}"
    );
    // In euros, converted: EUR 51,000 is USD 58,959.54.
    let payload = run(
        &app,
        &app.admin(),
        "createOffer",
        terms_in(&demo, "51000.00", "EUR", None),
    )
    .await;
    assert_eq!(
        user_errors(&payload),
        error("baseSalary.amount", "BELOW_FLOOR")
    );
    let message = text(&payload["userErrors"][0]["message"]);
    assert!(
        message.contains("EUR 51900.00 with exchange rate set"),
        "{message}"
    );
    assert_eq!(offers_written(&app).await, before);

    // At the floor: made.
    let offer = create(&app, demo.terms(GRACE, "60000.00")).await;
    assert_eq!(offer["withinBand"], true);
    // Revising below it: refused, and the offer keeps its terms.
    let id = text(&offer["id"]);
    let payload = run(
        &app,
        &app.admin(),
        "reviseOffer",
        json!({ "offerId": id, "baseSalary": { "amount": "55000.00", "currency": "USD" } }),
    )
    .await;
    assert_eq!(
        user_errors(&payload),
        error("baseSalary.amount", "BELOW_FLOOR")
    );

    // Floors of other countries and intervals don't apply: an hourly floor
    // in Uganda says nothing about a yearly salary.
    let hourly = pay_floor(
        &app,
        json!({ "countryCode": "UG", "kind": "COMPANY", "interval": "HOUR", "amount": { "amount": "500.00", "currency": "USD" },
                "effectiveFrom": "2026-01-01", "source": "Test" }),
    )
    .await;
    assert_eq!(user_errors(&hourly), vec![]);
    let payload = run(
        &app,
        &app.admin(),
        "reviseOffer",
        json!({ "offerId": id, "baseSalary": { "amount": "61000.00", "currency": "USD" } }),
    )
    .await;
    assert_eq!(user_errors(&payload), vec![]);
}

#[tokio::test]
async fn a_pay_floor_is_checked_before_it_is_kept() {
    let app = TestApp::demo().await;
    let floors_before = app.count("SELECT COUNT(*) FROM pay_floors").await;
    let payload = pay_floor(
        &app,
        json!({ "countryCode": "XX", "kind": "STATUTORY", "amount": { "amount": "0", "currency": "USD" },
                "effectiveFrom": "2026-06-01", "effectiveTo": "2026-01-01", "source": "" }),
    )
    .await;
    assert_eq!(
        user_errors(&payload),
        vec![
            ("countryCode".to_owned(), "UNKNOWN_COUNTRY".to_owned()),
            ("amount.amount".to_owned(), "OUT_OF_RANGE".to_owned()),
            ("effectiveTo".to_owned(), "INVALID_RANGE".to_owned()),
            ("source".to_owned(), "BLANK".to_owned()),
        ]
    );
    let too_precise = pay_floor(
        &app,
        json!({ "countryCode": "JP", "kind": "STATUTORY", "amount": { "amount": "1000.5", "currency": "JPY" },
                "interval": "HOUR", "source": "test" }),
    )
    .await;
    assert_eq!(
        user_errors(&too_precise),
        error("amount.amount", "INVALID_AMOUNT")
    );
    // The demo's company floor for Kenya has no end: another one from any
    // later day overlaps it.
    let overlap = pay_floor(
        &app,
        json!({ "countryCode": "KE", "kind": "COMPANY", "amount": { "amount": "35000.00", "currency": "USD" },
                "effectiveFrom": "2027-01-01", "source": "test" }),
    )
    .await;
    assert_eq!(user_errors(&overlap), error("effectiveFrom", "OVERLAP"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM pay_floors").await,
        floors_before
    );
    // A statutory floor is a different kind: it may run alongside.
    let statutory = pay_floor(
        &app,
        json!({ "countryCode": "KE", "kind": "STATUTORY", "amount": { "amount": "2000000.00", "currency": "KES" },
                "effectiveFrom": "2027-01-01", "source": "test" }),
    )
    .await;
    assert_eq!(user_errors(&statutory), vec![]);
    assert_eq!(
        statutory["payFloor"]["amount"],
        json!({ "amount": "2000000.00", "currency": "KES" })
    );
}

#[tokio::test]
async fn only_an_admin_approves_an_offer_outside_its_band() {
    let app = TestApp::demo().await;
    let demo = Demo::load(&app).await;
    let above = with(
        demo.terms(GRACE, "120000.00"),
        "exceptionReason",
        json!("Competing offer"),
    );
    let id = text(&create(&app, above).await["id"]);
    step(&app, "submitOfferForApproval", &id).await;

    let manager = app.token(HIRING_MANAGER, Role::HiringManager);
    let payload = run(&app, &manager, "approveOffer", json!({ "offerId": id })).await;
    assert_eq!(
        user_errors(&payload),
        error("offerId", "ADMIN_APPROVAL_REQUIRED")
    );
    let message = text(&payload["userErrors"][0]["message"]);
    assert!(
        message
            .contains("USD 120000.00 a year is outside its band, USD 54200.00 to 98700.00 a year"),
        "{message}"
    );
    let status = app
        .admin_data(
            "query($id: ID!) { node(id: $id) { ... on Offer { status approvals { decision } } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        status["node"],
        json!({ "status": "PENDING_APPROVAL", "approvals": [] })
    );

    // The admin may.
    assert_eq!(step(&app, "approveOffer", &id).await["status"], "APPROVED");

    // Inside the band, the hiring manager approves as before.
    let payload = run(
        &app,
        &app.admin(),
        "reviseOffer",
        json!({ "offerId": id, "baseSalary": { "amount": "70000.00", "currency": "USD" }, "exceptionReason": null }),
    )
    .await;
    assert_eq!(user_errors(&payload), vec![]);
    let revised = text(&payload["offer"]["id"]);
    step(&app, "submitOfferForApproval", &revised).await;
    let payload = run(
        &app,
        &manager,
        "approveOffer",
        json!({ "offerId": revised }),
    )
    .await;
    assert_eq!(user_errors(&payload), vec![]);
    assert_eq!(payload["offer"]["status"], "APPROVED");
}

#[tokio::test]
async fn an_offer_outside_the_posted_range_but_inside_its_band_is_made_and_flagged() {
    let app = TestApp::demo().await;
    let demo = Demo::load(&app).await;
    // The demo posting shows USD 51,850 to 171,450. Zone A's IC4 band is
    // USD 178,000 to 252,000: USD 200,000 there is within the band and
    // above the posted range.
    let terms = json!({
        "applicationId": demo.application(GRACE),
        "levelId": demo.levels["IC4"],
        "geoZoneId": demo.zones["Zone A"],
        "teamId": demo.teams["Global Payments"],
        "baseSalary": { "amount": "200000.00", "currency": "USD" },
    });
    let offer = create(&app, terms).await;
    assert_eq!(offer["withinBand"], true);
    assert_eq!(offer["outsidePostedRange"], true);
    assert_eq!(offer["exceptionReason"], Value::Null);

    let inside = create_for_finalist(&app, &demo, "90000.00").await;
    assert_eq!(inside["outsidePostedRange"], false);
}

/// An offer of `amount` USD to a new finalist in Kenya (Zone C, IC3).
async fn create_for_finalist(app: &TestApp, demo: &Demo, amount: &str) -> Value {
    let application = candidate_at_the_offer_stage(app, 7).await;
    create(app, demo.terms_for(&application, amount)).await
}

#[tokio::test]
async fn an_offers_status_changes_reach_its_subscribers_and_only_those_who_may_read_it() {
    use crate::live::{connect, receive, send, subscribe};

    let app = TestApp::demo().await;
    let demo = Demo::load(&app).await;
    let id = text(&create(&app, demo.terms(GRACE, "76450")).await["id"]);
    let query = "subscription($id: ID!) { offerStatus(offerId: $id) { id status version } }";

    let token = app.token(INTERVIEWER, Role::Interviewer);
    let mut refused = connect(&app, json!({ "token": token })).await;
    send(
        &mut refused,
        json!({ "type": "subscribe", "id": "1", "payload": { "query": query, "variables": { "id": id } } }),
    )
    .await;
    let answer = receive(&mut refused).await;
    assert_eq!(
        answer["payload"]["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{answer}"
    );

    let mut socket = connect(&app, json!({ "token": app.admin() })).await;
    subscribe(&mut socket, "offer", query, json!({ "id": id })).await;
    let submitted = step(&app, "submitOfferForApproval", &id).await;
    let event = receive(&mut socket).await;
    let offer = &event["payload"]["data"]["offerStatus"];
    assert_eq!(offer["id"], json!(id), "{event}");
    assert_eq!(offer["status"], "PENDING_APPROVAL");
    assert_eq!(offer["version"], submitted["version"]);
    step(&app, "approveOffer", &id).await;
    let event = receive(&mut socket).await;
    assert_eq!(
        event["payload"]["data"]["offerStatus"]["status"],
        "APPROVED"
    );
}

#[tokio::test]
async fn an_offer_whose_rate_set_cannot_reach_its_band_is_said_to_be_unconverted() {
    let app = TestApp::demo().await;
    let demo = Demo::load(&app).await;
    // EUR 60,000 converted with the demo set into the USD band.
    let offer = create(&app, terms_in(&demo, "60000.00", "EUR", None)).await;
    let id = text(&offer["id"]);
    step(&app, "submitOfferForApproval", &id).await;
    // The offer's set is later found to be one without EUR (data kept from
    // before the check existed): its salary can no longer be measured.
    let gbp_only = rate_set(
        &app,
        json!({ "name": "GBP only", "baseCurrency": "USD", "effectiveOn": "2026-01-01",
                "source": "test", "rates": [{ "currency": "GBP", "rate": "0.76" }] }),
    )
    .await;
    let set_key = URL_SAFE_NO_PAD
        .decode(text(&gbp_only["exchangeRateSet"]["id"]))
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .expect("a global ID");
    let set_key = set_key.split_once(':').expect("kind:key").1.to_owned();
    app.execute(&format!(
        "UPDATE offers SET exchange_rate_set_id = {set_key} WHERE id = {}",
        offer_key(&id)
    ))
    .await;

    let manager = app.token(HIRING_MANAGER, Role::HiringManager);
    let payload = run(&app, &manager, "approveOffer", json!({ "offerId": id })).await;
    assert_eq!(
        user_errors(&payload),
        error("offerId", "ADMIN_APPROVAL_REQUIRED")
    );
    let message = text(&payload["userErrors"][0]["message"]);
    assert!(
        message.contains(
            "is in EUR and its band is in USD, and no exchange rate set converts between them"
        ),
        "{message}"
    );
    let read = app
        .admin_data(
            "query($id: ID!) { node(id: $id) { ... on Offer { withinBand band { minimum { currency } } baseSalaryInBandCurrency { amount } } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        read["node"],
        json!({ "withinBand": false, "band": { "minimum": { "currency": "USD" } }, "baseSalaryInBandCurrency": null })
    );
}

#[tokio::test]
async fn pay_floors_in_force_on_a_day_are_those_whose_period_covers_it() {
    let app = TestApp::demo().await;
    for (from, to) in [("2025-01-01", Some("2026-01-01")), ("2026-01-01", None)] {
        let payload = pay_floor(
            &app,
            json!({ "countryCode": "DE", "kind": "STATUTORY", "amount": { "amount": "25000.00", "currency": "EUR" },
                    "effectiveFrom": from, "effectiveTo": to, "source": "test" }),
        )
        .await;
        assert_eq!(user_errors(&payload), vec![]);
    }
    let on = |day: &'static str| {
        let app = &app;
        async move {
            let data = app
                .admin_data(
                    "query($day: Date) { payFloors(countryCode: \"DE\", activeOn: $day) { effectiveFrom effectiveTo } }",
                    json!({ "day": day }),
                )
                .await;
            data["payFloors"].clone()
        }
    };
    assert_eq!(
        on("2025-06-30").await,
        json!([{ "effectiveFrom": "2025-01-01", "effectiveTo": "2026-01-01" }])
    );
    // The end date is the first day a floor no longer applies.
    assert_eq!(
        on("2026-01-01").await,
        json!([{ "effectiveFrom": "2026-01-01", "effectiveTo": null }])
    );
    assert_eq!(on("2024-12-31").await, json!([]));
    let all = app
        .admin_data(
            "{ payFloors(countryCode: \"DE\") { effectiveFrom } }",
            Value::Null,
        )
        .await;
    assert_eq!(all["payFloors"].as_array().map(Vec::len), Some(2));
}
