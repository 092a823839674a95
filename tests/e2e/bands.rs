//! Compensation bands: stored midpoints, no overlapping live bands for a job
//! family × level × zone, range-spread warnings, band sets made live at once;
//! a posting's range per geo zone, and the range it was published with.

use chrono::Utc;
use entity::enums::{EmploymentType, PostingStatus, WorkplaceType};
use entity::{level, posting, posting_level, posting_region, region};
use hiregraph_api::config::{BandConfig, HttpConfig};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::{Value, json};

use crate::support::{SECRET, TestApp, error, user_errors};

const BAND: &str = "id minimum { amount } midpoint { amount currency } maximum { amount } spreadPercent warnings effectiveFrom effectiveTo bandSet { name status }";

fn create_band() -> String {
    format!(
        "mutation($input: CreateCompensationBandInput!) {{ createCompensationBand(input: $input) {{ compensationBand {{ {BAND} }} userErrors {{ field code message }} }} }}"
    )
}

fn update_band() -> String {
    format!(
        "mutation($input: UpdateCompensationBandInput!) {{ updateCompensationBand(input: $input) {{ compensationBand {{ {BAND} }} userErrors {{ field code message }} }} }}"
    )
}

const CREATE_SET: &str = "mutation($name: String!) { createBandSet(input: {name: $name}) { bandSet { id name status effectiveFrom } userErrors { field code message } } }";
const MAKE_LIVE: &str = "mutation($id: ID!, $from: Date!) { makeBandSetLive(input: {id: $id, effectiveFrom: $from}) { bandSet { id status effectiveFrom } userErrors { field code message } } }";
const REPUBLISH: &str = "mutation($id: ID!) { republishPostingSalaryRange(input: {id: $id}) { posting { salaryRangeOutdated publishedSalaryRange { minimum { amount } maximum { amount } } } userErrors { field code message } } }";
const PAY: &str = r#"{ posting(slug: "senior-backend-engineer-elixir") {
    id
    salaryRange { minimum { amount currency } maximum { amount } interval }
    salaryTiers { geoZone { name } range { minimum { amount } maximum { amount } } }
    publishedSalaryRange { minimum { amount currency } maximum { amount } interval }
    salaryRangeOutdated
} }"#;

/// The IDs of the reference data by name: families, levels (by code), zones.
async fn refs(app: &TestApp) -> Value {
    let data = app
        .admin_data(
            "{ jobFamilies(first: 10) { nodes { id name } } levels(first: 20) { nodes { id code } } geoZones(first: 10) { nodes { id name } } }",
            Value::Null,
        )
        .await;
    let by = |list: &str, key: &str| -> Value {
        Value::Object(
            data[list]["nodes"]
                .as_array()
                .expect("a list")
                .iter()
                .map(|n| (n[key].as_str().expect("a key").to_owned(), n["id"].clone()))
                .collect(),
        )
    };
    json!({ "family": by("jobFamilies", "name"), "level": by("levels", "code"), "zone": by("geoZones", "name") })
}

fn band(refs: &Value, family: &str, level: &str, zone: &str, extra: Value) -> Value {
    let mut input = json!({
        "jobFamilyId": refs["family"][family],
        "levelId": refs["level"][level],
        "geoZoneId": refs["zone"][zone],
        "currency": "USD",
        "minimum": "100000.00",
        "maximum": "150000.01",
        "effectiveFrom": "2026-01-01",
    });
    if let (Value::Object(input), Value::Object(extra)) = (&mut input, extra) {
        input.extend(extra);
    }
    json!({ "input": input })
}

/// The ID of the demo band with this maximum.
async fn demo_band(app: &TestApp, maximum: &str) -> Value {
    let data = app
        .admin_data(
            "{ compensationBands(first: 100) { nodes { id maximum { amount } } } }",
            Value::Null,
        )
        .await;
    data["compensationBands"]["nodes"]
        .as_array()
        .expect("bands")
        .iter()
        .find(|n| n["maximum"]["amount"] == maximum)
        .expect("the band")["id"]
        .clone()
}

fn today() -> String {
    Utc::now().date_naive().to_string()
}

#[tokio::test]
async fn a_band_stores_its_midpoint_the_middle_unless_given_and_between_min_and_max() {
    let app = TestApp::demo().await;
    let refs = refs(&app).await;
    let create = create_band();
    let fe = "Frontend Engineering";

    // The demo bands got the middle of their range.
    let zone_c_ic3 = demo_band(&app, "128600.00").await;
    let data = app
        .admin_data(
            "query($id: ID!) { node(id: $id) { ... on CompensationBand { midpoint { amount currency } } } }",
            json!({ "id": zone_c_ic3 }),
        )
        .await;
    assert_eq!(
        data["node"]["midpoint"],
        json!({ "amount": "98550.00", "currency": "USD" })
    );

    // Left out: the middle, rounded down to a cent.
    let made = app
        .admin_data(&create, band(&refs, fe, "IC1", "Zone A", json!({})))
        .await;
    let made = &made["createCompensationBand"];
    assert_eq!(user_errors(made), []);
    assert_eq!(made["compensationBand"]["midpoint"]["amount"], "125000.00");

    // Given.
    let given = app
        .admin_data(
            &create,
            band(
                &refs,
                fe,
                "IC2",
                "Zone A",
                json!({ "midpoint": { "amount": "130000", "currency": "usd" } }),
            ),
        )
        .await;
    let given = &given["createCompensationBand"]["compensationBand"];
    assert_eq!(
        given["midpoint"],
        json!({ "amount": "130000.00", "currency": "USD" })
    );

    // Every way to get it wrong, each on its own.
    let before = app.count("SELECT COUNT(*) FROM compensation_bands").await;
    let cases = [
        (
            json!({ "amount": "150000.02", "currency": "USD" }),
            error("midpoint", "INVALID_RANGE"),
        ),
        (
            json!({ "amount": "99999.99", "currency": "USD" }),
            error("midpoint", "INVALID_RANGE"),
        ),
        (
            json!({ "amount": "120000", "currency": "EUR" }),
            error("midpoint.currency", "INVALID"),
        ),
        (
            json!({ "amount": "120000.005", "currency": "USD" }),
            error("midpoint.amount", "INVALID_AMOUNT"),
        ),
    ];
    for (midpoint, expected) in cases {
        let data = app
            .admin_data(
                &create,
                band(&refs, fe, "IC3", "Zone A", json!({ "midpoint": midpoint })),
            )
            .await;
        let payload = &data["createCompensationBand"];
        assert_eq!(user_errors(payload), [expected], "{midpoint}");
        assert_eq!(payload["compensationBand"], Value::Null);
    }
    let out_of_range = app
        .admin_data(
            &create,
            band(
                &refs,
                fe,
                "IC3",
                "Zone A",
                json!({ "midpoint": { "amount": "150000.02", "currency": "USD" } }),
            ),
        )
        .await;
    assert_eq!(
        out_of_range["createCompensationBand"]["userErrors"][0]["message"],
        "the midpoint must be between the minimum and the maximum"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM compensation_bands").await,
        before
    );

    // Updating: a new midpoint alone is kept; a new maximum resets it to the middle.
    let update = update_band();
    let id = given["id"].clone();
    let moved = app
        .admin_data(&update, json!({ "input": { "id": id, "midpoint": { "amount": "140000.00", "currency": "USD" } } }))
        .await;
    assert_eq!(
        moved["updateCompensationBand"]["compensationBand"]["midpoint"]["amount"],
        "140000.00"
    );
    let wider = app
        .admin_data(
            &update,
            json!({ "input": { "id": id, "maximum": "200000.00" } }),
        )
        .await;
    assert_eq!(
        wider["updateCompensationBand"]["compensationBand"]["midpoint"]["amount"],
        "150000.00"
    );
    let outside = app
        .admin_data(&update, json!({ "input": { "id": id, "midpoint": { "amount": "200000.01", "currency": "USD" } } }))
        .await;
    assert_eq!(
        user_errors(&outside["updateCompensationBand"]),
        [error("midpoint", "INVALID_RANGE")]
    );
}

#[tokio::test]
async fn live_bands_of_a_job_family_level_and_zone_may_not_overlap_in_any_currency_or_interval() {
    let app = TestApp::demo().await;
    let refs = refs(&app).await;
    let create = create_band();
    let be = "Backend Engineering";
    let before = app.count("SELECT COUNT(*) FROM compensation_bands").await;

    // Zone C IC3 has a USD yearly band from 2026-01-01, open-ended.
    let from_2027 = json!({ "effectiveFrom": "2027-01-01" });
    let same = app
        .admin_data(&create, band(&refs, be, "IC3", "Zone C", from_2027.clone()))
        .await;
    assert_eq!(
        user_errors(&same["createCompensationBand"]),
        [error("effectiveFrom", "BAND_OVERLAP")]
    );
    assert_eq!(
        same["createCompensationBand"]["userErrors"][0]["message"],
        "another band for this job family, level and zone applies from 2026-01-01 on; end it before this one starts"
    );
    let euros = app
        .admin_data(
            &create,
            band(
                &refs,
                be,
                "IC3",
                "Zone C",
                json!({ "effectiveFrom": "2027-01-01", "currency": "EUR" }),
            ),
        )
        .await;
    assert_eq!(
        user_errors(&euros["createCompensationBand"]),
        [error("currency", "BAND_OVERLAP")]
    );
    let hourly = app
        .admin_data(
            &create,
            band(
                &refs,
                be,
                "IC3",
                "Zone C",
                json!({ "effectiveFrom": "2027-01-01", "interval": "HOUR", "minimum": "40", "maximum": "60" }),
            ),
        )
        .await;
    assert_eq!(
        user_errors(&hourly["createCompensationBand"]),
        [error("interval", "BAND_OVERLAP")]
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM compensation_bands").await,
        before
    );

    // Ending the old band first makes room, in any currency.
    let old = demo_band(&app, "128600.00").await;
    let update = update_band();
    let ended = app
        .admin_data(
            &update,
            json!({ "input": { "id": old, "effectiveTo": "2027-01-01" } }),
        )
        .await;
    assert_eq!(user_errors(&ended["updateCompensationBand"]), []);
    let next = app
        .admin_data(
            &create,
            band(
                &refs,
                be,
                "IC3",
                "Zone C",
                json!({ "effectiveFrom": "2027-01-01", "currency": "EUR" }),
            ),
        )
        .await;
    assert_eq!(user_errors(&next["createCompensationBand"]), []);

    // Reopening the old band would overlap the new one.
    let reopened = app
        .admin_data(
            &update,
            json!({ "input": { "id": old, "effectiveTo": null } }),
        )
        .await;
    assert_eq!(
        user_errors(&reopened["updateCompensationBand"]),
        [error("currency", "BAND_OVERLAP")]
    );
}

#[tokio::test]
async fn a_range_spread_outside_the_configured_span_is_a_warning_not_an_error() {
    let app = TestApp::demo().await;
    let refs = refs(&app).await;
    let create = create_band();
    let fe = "Frontend Engineering";
    let narrow = app
        .admin_data(
            &create,
            band(
                &refs,
                fe,
                "IC1",
                "Zone A",
                json!({ "minimum": "100000", "maximum": "110000" }),
            ),
        )
        .await;
    let narrow = &narrow["createCompensationBand"];
    assert_eq!(user_errors(narrow), []);
    assert_eq!(narrow["compensationBand"]["spreadPercent"], json!(10.0));
    assert_eq!(
        narrow["compensationBand"]["warnings"],
        json!(["The range spread is 10.0%, narrower than the expected 20% to 100%."])
    );
    let wide = app
        .admin_data(
            &create,
            band(
                &refs,
                fe,
                "IC2",
                "Zone A",
                json!({ "minimum": "100000", "maximum": "300000" }),
            ),
        )
        .await;
    assert_eq!(
        wide["createCompensationBand"]["compensationBand"]["warnings"],
        json!(["The range spread is 200.0%, wider than the expected 20% to 100%."])
    );
    // No demo band is outside the default span.
    let demo = app
        .admin_data(
            "query($family: ID!) { compensationBands(first: 100, filter: {jobFamilyId: $family}) { totalCount nodes { warnings } } }",
            json!({ "family": refs["family"]["Backend Engineering"] }),
        )
        .await;
    assert_eq!(demo["compensationBands"]["totalCount"], 30);
    assert!(
        demo["compensationBands"]["nodes"]
            .as_array()
            .expect("bands")
            .iter()
            .all(|n| n["warnings"] == json!([]))
    );

    // The span is configured.
    let http = HttpConfig {
        bands: BandConfig {
            band_spread_min_percent: 5.0,
            band_spread_max_percent: 50.0,
        },
        ..HttpConfig::default()
    };
    let app = TestApp::start(http, Some(SECRET))
        .await
        .with_demo_data()
        .await;
    let top = demo_band(&app, "171450.00").await;
    let data = app
        .admin_data(
            "query($id: ID!) { node(id: $id) { ... on CompensationBand { spreadPercent warnings } } }",
            json!({ "id": top }),
        )
        .await;
    assert_eq!(
        data["node"]["warnings"],
        json!(["The range spread is 85.6%, wider than the expected 5% to 50%."])
    );
}

#[tokio::test]
async fn a_band_set_is_prepared_as_a_draft_and_made_live_at_once_replacing_the_bands_it_succeeds() {
    let app = TestApp::demo().await;
    let refs = refs(&app).await;
    let create = create_band();
    let be = "Backend Engineering";

    let set = app
        .admin_data(CREATE_SET, json!({ "name": "2027 bands" }))
        .await;
    let set = &set["createBandSet"];
    assert_eq!(user_errors(set), []);
    assert_eq!(set["bandSet"]["status"], "DRAFT");
    assert_eq!(set["bandSet"]["effectiveFrom"], Value::Null);
    let set_id = set["bandSet"]["id"].clone();
    let again = app
        .admin_data(CREATE_SET, json!({ "name": "2027 bands" }))
        .await;
    assert_eq!(
        user_errors(&again["createBandSet"]),
        [error("name", "TAKEN")]
    );
    let blank = app.admin_data(CREATE_SET, json!({ "name": "  " })).await;
    assert_eq!(
        user_errors(&blank["createBandSet"]),
        [error("name", "BLANK")]
    );

    // A draft band overlapping a live one is fine: it is not live.
    let drafted = app
        .admin_data(
            &create,
            band(
                &refs,
                be,
                "IC3",
                "Zone C",
                json!({ "minimum": "80000", "maximum": "150000", "bandSetId": set_id }),
            ),
        )
        .await;
    let drafted = &drafted["createCompensationBand"];
    assert_eq!(user_errors(drafted), []);
    assert_eq!(
        drafted["compensationBand"]["bandSet"],
        json!({ "name": "2027 bands", "status": "DRAFT" })
    );
    let twice = app
        .admin_data(
            &create,
            band(&refs, be, "IC3", "Zone C", json!({ "bandSetId": set_id })),
        )
        .await;
    assert_eq!(
        user_errors(&twice["createCompensationBand"]),
        [error("geoZoneId", "TAKEN")]
    );

    // Not live: the posting and the bands applying today are as before.
    let pay = app.admin_data(PAY, Value::Null).await;
    assert_eq!(
        pay["posting"]["salaryTiers"][1]["range"]["minimum"]["amount"],
        "68500.00"
    );
    let active = "query($day: Date!) { compensationBands(first: 100, filter: {activeOn: $day}) { totalCount } }";
    let active_count = |data: Value| data["compensationBands"]["totalCount"].clone();
    assert_eq!(
        active_count(app.admin_data(active, json!({ "day": today() })).await),
        30
    );
    let in_set = app
        .admin_data(
            "query($set: ID!) { compensationBands(first: 10, filter: {bandSetId: $set}) { totalCount } }",
            json!({ "set": set_id }),
        )
        .await;
    assert_eq!(in_set["compensationBands"]["totalCount"], 1);

    // An empty set can't be made live.
    let empty = app.admin_data(CREATE_SET, json!({ "name": "Empty" })).await;
    let empty_id = empty["createBandSet"]["bandSet"]["id"].clone();
    let refused = app
        .admin_data(MAKE_LIVE, json!({ "id": empty_id, "from": today() }))
        .await;
    assert_eq!(
        user_errors(&refused["makeBandSetLive"]),
        [error("id", "INVALID_STATE")]
    );

    // Live from today: it replaces the demo band, which ends today.
    let live = app
        .admin_data(MAKE_LIVE, json!({ "id": set_id, "from": today() }))
        .await;
    let live = &live["makeBandSetLive"];
    assert_eq!(user_errors(live), []);
    assert_eq!(live["bandSet"]["status"], "LIVE");
    assert_eq!(live["bandSet"]["effectiveFrom"], today());
    let old = demo_band(&app, "128600.00").await;
    let old = app
        .admin_data(
            "query($id: ID!) { node(id: $id) { ... on CompensationBand { effectiveTo } } }",
            json!({ "id": old }),
        )
        .await;
    assert_eq!(old["node"]["effectiveTo"], today());
    assert_eq!(
        active_count(app.admin_data(active, json!({ "day": today() })).await),
        30
    );
    let pay = app.admin_data(PAY, Value::Null).await;
    assert_eq!(
        pay["posting"]["salaryTiers"][1],
        json!({ "geoZone": { "name": "Zone C" }, "range": { "minimum": { "amount": "80000.00" }, "maximum": { "amount": "171450.00" } } })
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE action IN ('band_set.make_live', 'compensation_band.replace')").await,
        2
    );

    // Once live: not again, and no more bands.
    let twice = app
        .admin_data(MAKE_LIVE, json!({ "id": set_id, "from": today() }))
        .await;
    assert_eq!(
        user_errors(&twice["makeBandSetLive"]),
        [error("id", "INVALID_STATE")]
    );
    let late = app
        .admin_data(
            &create,
            band(&refs, be, "IC4", "Zone C", json!({ "bandSetId": set_id })),
        )
        .await;
    assert_eq!(
        user_errors(&late["createCompensationBand"]),
        [error("bandSetId", "INVALID_STATE")]
    );

    // A set can't be made live before a live band it would replace starts.
    let next = app
        .admin_data(CREATE_SET, json!({ "name": "Correction" }))
        .await;
    let next_id = next["createBandSet"]["bandSet"]["id"].clone();
    app.admin_data(
        &create,
        band(
            &refs,
            be,
            "IC3",
            "Zone C",
            json!({ "minimum": "81000", "maximum": "150000", "bandSetId": next_id }),
        ),
    )
    .await;
    let clash = app
        .admin_data(MAKE_LIVE, json!({ "id": next_id, "from": today() }))
        .await;
    assert_eq!(
        user_errors(&clash["makeBandSetLive"]),
        [error("effectiveFrom", "BAND_OVERLAP")]
    );

    let sets = app
        .admin_data(
            "{ bandSets(first: 10) { totalCount nodes { name status } } }",
            Value::Null,
        )
        .await;
    assert_eq!(
        sets["bandSets"],
        json!({ "totalCount": 3, "nodes": [
            { "name": "Correction", "status": "DRAFT" },
            { "name": "Empty", "status": "DRAFT" },
            { "name": "2027 bands", "status": "LIVE" },
        ] })
    );
}

#[tokio::test]
async fn the_demo_posting_shows_a_range_per_zone_its_region_covers() {
    let app = TestApp::demo().await;
    let pay = app.graphql(None, PAY, Value::Null).await;
    let posting = &pay.data()["posting"];
    assert_eq!(
        posting["salaryRange"],
        json!({ "minimum": { "amount": "51850.00", "currency": "USD" }, "maximum": { "amount": "171450.00" }, "interval": "YEAR" })
    );
    let tier = |zone: &str, min: &str, max: &str| json!({ "geoZone": { "name": zone }, "range": { "minimum": { "amount": min }, "maximum": { "amount": max } } });
    assert_eq!(
        posting["salaryTiers"],
        json!([
            tier("Rest of World", "51850.00", "112600.00"),
            tier("Zone C", "68500.00", "171450.00"),
            tier("Zone D", "54200.00", "129800.00"),
        ])
    );
}

/// Adds `n` open postings like the demo one (Backend Engineering, IC3 and
/// IC4, Remote-Africa), never published through the API.
async fn add_postings(app: &TestApp, n: usize) {
    let db = &app.db.conn;
    let now = Utc::now();
    let demo = posting::Entity::find()
        .filter(posting::Column::Slug.eq("senior-backend-engineer-elixir"))
        .one(db)
        .await
        .expect("a query")
        .expect("the demo posting");
    let africa = region::Entity::find()
        .filter(region::Column::Slug.eq("remote-africa"))
        .one(db)
        .await
        .expect("a query")
        .expect("Remote-Africa");
    let levels = level::Entity::find()
        .filter(level::Column::Code.is_in(["IC3", "IC4"]))
        .all(db)
        .await
        .expect("levels");
    for i in 0..n {
        let row = posting::ActiveModel {
            slug: Set(format!("tiered-posting-{i}")),
            title: Set(format!("Tiered posting {i}")),
            job_family_id: Set(demo.job_family_id),
            status: Set(PostingStatus::Open),
            employment_type: Set(EmploymentType::FullTime),
            workplace_type: Set(WorkplaceType::Remote),
            openings: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await
        .expect("a posting");
        posting_region::ActiveModel {
            posting_id: Set(row.id),
            region_id: Set(africa.id),
        }
        .insert(db)
        .await
        .expect("a region");
        for level in &levels {
            posting_level::ActiveModel {
                posting_id: Set(row.id),
                level_id: Set(level.id),
            }
            .insert(db)
            .await
            .expect("a level");
        }
    }
}

const TIERS: &str = r#"query($n: Int!) {
    postings(first: $n, filter: {statuses: [OPEN]}) {
        edges { node {
            salaryRange { minimum { amount } }
            salaryTiers { geoZone { name countries { code } } range { minimum { amount } maximum { amount } } }
            publishedSalaryRange { minimum { amount } }
            salaryRangeOutdated
        } }
    }
}"#;

#[tokio::test]
async fn tiers_and_published_ranges_of_fifty_postings_cost_the_statements_of_five() {
    let app = TestApp::demo().await;
    add_postings(&app, 50).await;
    let token = app.admin();
    let mut counts = Vec::new();
    for n in [5, 50] {
        let before = app.statements();
        let reply = app.graphql(Some(&token), TIERS, json!({ "n": n })).await;
        counts.push(app.statements() - before);
        let edges = reply.data()["postings"]["edges"]
            .as_array()
            .expect("edges")
            .clone();
        assert_eq!(edges.len(), n);
        assert!(
            edges
                .iter()
                .all(|e| e["node"]["salaryTiers"].as_array().map(Vec::len) == Some(3))
        );
    }
    assert_eq!(
        counts[0], counts[1],
        "statements must not grow with the number of postings"
    );

    // Never published through the API, they have no published range: outdated.
    let outdated = app
        .admin_data(
            "{ yes: postings(first: 100, filter: {salaryRangeOutdated: true}) { totalCount } no: postings(first: 100, filter: {salaryRangeOutdated: false}) { totalCount } }",
            Value::Null,
        )
        .await;
    assert_eq!(outdated["yes"]["totalCount"], 50);
    assert_eq!(outdated["no"]["totalCount"], 3);
}

#[tokio::test]
async fn a_band_change_outdates_the_published_range_until_the_posting_is_republished() {
    let app = TestApp::demo().await;
    let pay = app.admin_data(PAY, Value::Null).await;
    let posting = &pay["posting"];
    let id = posting["id"].clone();
    assert_eq!(posting["publishedSalaryRange"], posting["salaryRange"]);
    assert_eq!(posting["salaryRangeOutdated"], false);
    let unchanged = app.admin_data(REPUBLISH, json!({ "id": id })).await;
    assert_eq!(
        user_errors(&unchanged["republishPostingSalaryRange"]),
        [error("id", "INVALID_STATE")]
    );

    // The top of the range moves.
    let top = demo_band(&app, "171450.00").await;
    let changed = app
        .admin_data(
            &update_band(),
            json!({ "input": { "id": top, "maximum": "175000" } }),
        )
        .await;
    assert_eq!(user_errors(&changed["updateCompensationBand"]), []);
    let pay = app.admin_data(PAY, Value::Null).await;
    assert_eq!(pay["posting"]["salaryRangeOutdated"], true);
    assert_eq!(
        pay["posting"]["salaryRange"]["maximum"]["amount"],
        "175000.00"
    );
    assert_eq!(
        pay["posting"]["publishedSalaryRange"]["maximum"]["amount"],
        "171450.00"
    );
    let listed = app
        .admin_data(
            "{ postings(first: 10, filter: {salaryRangeOutdated: true}) { nodes { slug } } }",
            Value::Null,
        )
        .await;
    assert_eq!(
        listed["postings"]["nodes"],
        json!([{ "slug": "senior-backend-engineer-elixir" }])
    );

    // Who may publish it may republish it; an interviewer may not.
    let interviewer = app.token(
        crate::support::INTERVIEWER,
        entity::enums::Role::Interviewer,
    );
    let refused = app
        .graphql(Some(&interviewer), REPUBLISH, json!({ "id": id }))
        .await;
    assert_eq!(refused.error_code(), "FORBIDDEN");

    let done = app.admin_data(REPUBLISH, json!({ "id": id })).await;
    let done = &done["republishPostingSalaryRange"];
    assert_eq!(user_errors(done), []);
    assert_eq!(
        done["posting"],
        json!({ "salaryRangeOutdated": false, "publishedSalaryRange": { "minimum": { "amount": "51850.00" }, "maximum": { "amount": "175000.00" } } })
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM audit_events WHERE action = 'posting.republish_salary_range'"
        )
        .await,
        1
    );

    // Resuming records the range too.
    app.admin_data(
        &update_band(),
        json!({ "input": { "id": top, "maximum": "176000" } }),
    )
    .await;
    let pause = "mutation($id: ID!) { pausePosting(input: {id: $id}) { posting { status salaryRangeOutdated } } }";
    let paused = app.admin_data(pause, json!({ "id": id })).await;
    assert_eq!(
        paused["pausePosting"]["posting"],
        json!({ "status": "PAUSED", "salaryRangeOutdated": true })
    );
    let resume = "mutation($id: ID!) { resumePosting(input: {id: $id}) { posting { salaryRangeOutdated publishedSalaryRange { maximum { amount } } } } }";
    let resumed = app.admin_data(resume, json!({ "id": id })).await;
    assert_eq!(
        resumed["resumePosting"]["posting"],
        json!({ "salaryRangeOutdated": false, "publishedSalaryRange": { "maximum": { "amount": "176000.00" } } })
    );

    // A closed posting shows no range to republish.
    let closed = app
        .admin_data(r#"{ posting(slug: "backend-engineer-elixir") { id salaryRangeOutdated publishedSalaryRange { minimum { amount } } } }"#, Value::Null)
        .await;
    assert_eq!(closed["posting"]["salaryRangeOutdated"], false);
    let refused = app
        .admin_data(REPUBLISH, json!({ "id": closed["posting"]["id"] }))
        .await;
    assert_eq!(
        user_errors(&refused["republishPostingSalaryRange"]),
        [error("id", "INVALID_STATE")]
    );
    // Bands in two currencies give no single range: nothing to republish.
    let euros = app
        .admin_data(
            &update_band(),
            json!({ "input": { "id": top, "currency": "EUR", "minimum": "80000", "maximum": "150000" } }),
        )
        .await;
    assert_eq!(user_errors(&euros["updateCompensationBand"]), []);
    let none = app.admin_data(PAY, Value::Null).await;
    assert_eq!(none["posting"]["salaryRange"], Value::Null);
    assert_eq!(none["posting"]["salaryRangeOutdated"], true);
    let blank = app.admin_data(REPUBLISH, json!({ "id": id })).await;
    assert_eq!(
        user_errors(&blank["republishPostingSalaryRange"]),
        [error("id", "BLANK")]
    );

    // The draft was never published.
    let draft = app
        .admin_data(r#"{ posting(slug: "senior-frontend-engineer-react") { publishedSalaryRange { minimum { amount } } salaryRangeOutdated } }"#, Value::Null)
        .await;
    assert_eq!(
        draft["posting"],
        json!({ "publishedSalaryRange": null, "salaryRangeOutdated": false })
    );
}
