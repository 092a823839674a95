//! The pay-equity report, and the voluntary self-identification it reads:
//! given only with its own consent, never shown on a candidate, exported
//! and erased with the rest of their data.

use chrono::Utc;
use entity::enums::{ApplicationStatus, OfferStatus, PayInterval};
use entity::{application, offer};
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use serde_json::{Value, json};

use crate::support::{TestApp, error, key, user_errors};

const APPLY: &str = r#"mutation($input: ApplyToPostingInput!) {
    applyToPosting(input: $input) { receipt { applicationId } userErrors { field code } }
}"#;

const REPORT: &str = r#"{ payEquity {
    minimumGroupSize
    cells {
        level { code } geoZone { name } offers unmeasuredOffers
        compaRatio { min p25 median p75 max mean }
        gender { women men nonBinary notStated meanGap medianGap }
    }
} }"#;

/// Applies anonymously as `email`, stating `gender` (with consent) when given;
/// returns the application's ID.
async fn apply(app: &TestApp, email: &str, gender: Option<&str>) -> Value {
    let mut input = json!({
        "slug": "senior-backend-engineer-elixir",
        "email": email,
        "name": "An Applicant",
        "countryCode": "KE",
        "consent": true,
    });
    if let Some(gender) = gender {
        input["selfIdentification"] = json!({ "gender": gender, "consent": true });
    }
    let reply = app.graphql(None, APPLY, json!({ "input": input })).await;
    let payload = &reply.data()["applyToPosting"];
    assert_eq!(user_errors(payload), vec![], "{payload}");
    payload["receipt"]["applicationId"].clone()
}

/// Band figures and ids the offers refer to.
struct Band {
    level: i64,
    zone: i64,
    midpoint: f64,
}

async fn band(app: &TestApp, level: &str, zone: &str) -> Band {
    let data = app
        .admin_data(
            "{ compensationBands(first: 100) { nodes { level { id code } geoZone { id name } interval minimum { amount currency } maximum { amount } } } }",
            Value::Null,
        )
        .await;
    let found = data["compensationBands"]["nodes"]
        .as_array()
        .expect("bands")
        .iter()
        .find(|b| {
            b["level"]["code"] == level
                && b["geoZone"]["name"] == zone
                && b["minimum"]["currency"] == "USD"
                && b["interval"] == "YEAR"
        })
        .unwrap_or_else(|| panic!("a USD band for {level} in {zone}"))
        .clone();
    let amount = |m: &Value| -> f64 {
        m["amount"]
            .as_str()
            .and_then(|a| a.parse().ok())
            .expect("an amount")
    };
    Band {
        level: key(&found["level"]["id"]),
        zone: key(&found["geoZone"]["id"]),
        midpoint: (amount(&found["minimum"]) + amount(&found["maximum"])) / 2.0,
    }
}

/// Hires `application` with an accepted offer of `ratio` × the band's
/// midpoint; returns the offer's compa-ratio.
async fn hire(app: &TestApp, application: &Value, band: &Band, ratio: f64) -> f64 {
    let application = key(application);
    let now = Utc::now();
    let salary_minor = (band.midpoint * ratio * 100.0).round() as i64;
    offer::ActiveModel {
        application_id: Set(application),
        version: Set(1),
        status: Set(OfferStatus::Accepted),
        level_id: Set(Some(band.level)),
        geo_zone_id: Set(Some(band.zone)),
        currency: Set("USD".into()),
        pay_interval: Set(PayInterval::Year),
        base_salary_minor: Set(salary_minor),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db.conn)
    .await
    .expect("an offer");
    let hired = application::Entity::find_by_id(application)
        .one(&app.db.conn)
        .await
        .expect("a read")
        .expect("the application");
    let mut hired: application::ActiveModel = hired.into();
    hired.status = Set(ApplicationStatus::Hired);
    hired.update(&app.db.conn).await.expect("hired");
    salary_minor as f64 / 100.0 / band.midpoint
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

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

#[tokio::test]
async fn pay_equity_compares_compa_ratios_per_level_and_zone_and_between_genders() {
    let app = TestApp::demo().await;
    let ic3 = band(&app, "IC3", "Zone D").await;
    let ic4 = band(&app, "IC4", "Zone D").await;
    let mut women = Vec::new();
    let mut men = Vec::new();
    let mut everyone = Vec::new();
    for (i, ratio) in [0.90, 0.92, 0.95, 1.00, 1.01].into_iter().enumerate() {
        let application = apply(&app, &format!("woman{i}@example.com"), Some("WOMAN")).await;
        women.push(hire(&app, &application, &ic3, ratio).await);
    }
    for (i, ratio) in [0.98, 1.00, 1.02, 1.10, 1.12].into_iter().enumerate() {
        let application = apply(&app, &format!("man{i}@example.com"), Some("MAN")).await;
        men.push(hire(&app, &application, &ic3, ratio).await);
    }
    let quiet = apply(&app, "quiet@example.com", None).await;
    let not_stated = hire(&app, &quiet, &ic3, 0.97).await;
    let stated = apply(&app, "alex@example.com", Some("NON_BINARY")).await;
    let non_binary = hire(&app, &stated, &ic3, 1.05).await;
    everyone.extend(&women);
    everyone.extend(&men);
    everyone.extend([not_stated, non_binary]);
    let before = app.statements();
    app.admin_data(REPORT, Value::Null).await;
    let one_cell = app.statements() - before;
    // A cell with too few people to show a gap.
    for i in 0..2 {
        let application = apply(&app, &format!("senior{i}@example.com"), Some("WOMAN")).await;
        hire(&app, &application, &ic4, 1.0).await;
    }

    let before = app.statements();
    let data = app.admin_data(REPORT, Value::Null).await;
    assert_eq!(
        app.statements() - before,
        one_cell,
        "the report runs as many statements for two cells as for one"
    );
    let report = &data["payEquity"];
    assert_eq!(report["minimumGroupSize"], 5);
    let cells = report["cells"].as_array().expect("cells");
    let cell = |code: &str| {
        cells
            .iter()
            .find(|c| c["level"]["code"] == code && c["geoZone"]["name"] == "Zone D")
            .unwrap_or_else(|| panic!("a cell for {code}: {report}"))
    };
    let main = cell("IC3");
    assert_eq!(main["offers"], 12);
    assert_eq!(main["unmeasuredOffers"], 0);
    let mut sorted = everyone.clone();
    sorted.sort_by(f64::total_cmp);
    close(&main["compaRatio"]["min"], sorted[0]);
    close(&main["compaRatio"]["max"], sorted[11]);
    close(&main["compaRatio"]["median"], (sorted[5] + sorted[6]) / 2.0);
    close(&main["compaRatio"]["mean"], mean(&everyone));
    let gender = &main["gender"];
    assert_eq!(
        (
            &gender["women"],
            &gender["men"],
            &gender["nonBinary"],
            &gender["notStated"]
        ),
        (&json!(5), &json!(5), &json!(1), &json!(1))
    );
    close(&gender["meanGap"], (mean(&men) - mean(&women)) / mean(&men));
    close(&gender["medianGap"], (men[2] - women[2]) / men[2]);

    let small = cell("IC4");
    assert_eq!(small["offers"], 2);
    assert_eq!(small["gender"]["women"], 2);
    assert_eq!(
        small["gender"]["meanGap"],
        Value::Null,
        "two people are too few"
    );
    assert_eq!(small["gender"]["medianGap"], Value::Null);

    let other_family = app
        .admin_data(
            r#"mutation { createJobFamily(input: {name: "Design"}) { jobFamily { id } } }"#,
            Value::Null,
        )
        .await;
    let none = app
        .admin_data(
            "query($family: ID!) { payEquity(filter: {jobFamilyId: $family}) { cells { offers } } }",
            json!({ "family": other_family["createJobFamily"]["jobFamily"]["id"] }),
        )
        .await;
    assert_eq!(none["payEquity"]["cells"], json!([]));
}

#[tokio::test]
async fn self_identification_is_kept_only_with_its_own_consent() {
    let app = TestApp::demo().await;
    let before = app.everything().await;
    let reply = app
        .graphql(
            None,
            APPLY,
            json!({ "input": {
                "slug": "senior-backend-engineer-elixir", "email": "amina@example.com",
                "name": "Amina Yusuf", "countryCode": "NG", "consent": true,
                "selfIdentification": { "gender": "WOMAN", "consent": false },
            } }),
        )
        .await;
    let payload = &reply.data()["applyToPosting"];
    assert_eq!(payload["receipt"], Value::Null);
    assert_eq!(
        user_errors(payload),
        [error("selfIdentification.consent", "CONSENT_REQUIRED")]
    );
    assert_eq!(app.everything().await, before, "nothing is written");
}

#[tokio::test]
async fn self_identification_is_never_on_a_candidate_but_is_exported_and_erased() {
    let app = TestApp::demo().await;
    let application = apply(&app, "amina@example.com", Some("WOMAN")).await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM candidate_self_identifications")
            .await,
        1
    );
    let fields = app
        .admin_data(
            r#"{ __type(name: "Candidate") { fields { name } } }"#,
            Value::Null,
        )
        .await;
    let names = fields["__type"]["fields"].to_string().to_lowercase();
    assert!(
        !names.contains("gender") && !names.contains("identification"),
        "{names}"
    );
    let candidate = app
        .admin_data(
            "query($id: ID!) { application(id: $id) { candidate { id } } }",
            json!({ "id": application }),
        )
        .await["application"]["candidate"]["id"]
        .clone();
    let export = app
        .admin_data(
            "mutation($id: ID!) { exportCandidateData(input: {candidateId: $id}) { data } }",
            json!({ "id": candidate }),
        )
        .await;
    assert_eq!(
        export["exportCandidateData"]["data"]["selfIdentification"]["gender"],
        "WOMAN"
    );
    app.admin_data(
        "mutation($id: ID!) { eraseCandidate(input: {candidateId: $id}) { userErrors { code } } }",
        json!({ "id": candidate }),
    )
    .await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM candidate_self_identifications")
            .await,
        0,
        "erasure deletes it"
    );
}
