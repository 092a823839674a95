//! Bad input gets userErrors with the field at fault and a stable code, and
//! nothing is written.

use serde_json::{Value, json};

use crate::support::{TestApp, user_errors};

const CREATE_CANDIDATE: &str = "mutation($input: CreateCandidateInput!) { createCandidate(input: $input) { candidate { id email } userErrors { field message code } } }";

#[tokio::test]
async fn a_candidate_with_a_malformed_email_unknown_country_or_zone_is_rejected_with_every_error() {
    let app = TestApp::demo().await;
    let before = app.count("SELECT COUNT(*) FROM candidates").await;
    let data = app
        .admin_data(
            CREATE_CANDIDATE,
            json!({ "input": {
                "email": "ada-at-example.com",
                "name": "  ",
                "countryCode": "XX",
                "timeZone": "Mars/Olympus_Mons",
                "links": ["https://github.com/ada", "javascript:alert(1)"]
            } }),
        )
        .await;
    let payload = &data["createCandidate"];
    assert_eq!(payload["candidate"], Value::Null);
    let errors = user_errors(payload);
    for expected in [
        ("email", "INVALID_EMAIL"),
        ("name", "BLANK"),
        ("countryCode", "UNKNOWN_COUNTRY"),
        ("timeZone", "UNKNOWN_TIME_ZONE"),
        ("links.1", "INVALID"),
    ] {
        assert!(
            errors.contains(&(expected.0.to_owned(), expected.1.to_owned())),
            "missing {expected:?} in {errors:?}"
        );
    }
    assert!(
        payload["userErrors"][0]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty())
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM candidates").await,
        before,
        "nothing was written"
    );
}

#[tokio::test]
async fn the_same_email_in_another_case_is_the_same_person() {
    let app = TestApp::demo().await;
    let input = |email: &str| json!({ "input": { "email": email, "name": "Ada Lovelace", "countryCode": "ke" } });
    let first = app
        .admin_data(CREATE_CANDIDATE, input("Ada.Lovelace@Example.com"))
        .await;
    assert_eq!(
        first["createCandidate"]["candidate"]["email"],
        "Ada.Lovelace@Example.com"
    );
    let second = app
        .admin_data(CREATE_CANDIDATE, input("  ada.lovelace@example.COM "))
        .await;
    assert_eq!(second["createCandidate"]["candidate"], Value::Null);
    assert_eq!(
        user_errors(&second["createCandidate"]),
        [("email".to_owned(), "TAKEN".to_owned())]
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM candidates WHERE email_normalized = 'ada.lovelace@example.com'"
        )
        .await,
        1
    );
}

const CREATE_BAND: &str = "mutation($input: CreateCompensationBandInput!) { createCompensationBand(input: $input) { compensationBand { minimum { amount currency } maximum { amount } } userErrors { field code message } } }";

async fn band_ids(app: &TestApp) -> Value {
    app.admin_data(
        "{ jobFamilies(first: 2) { edges { node { id } } } levels(first: 1) { edges { node { id } } } geoZones(first: 1) { edges { node { id } } } }",
        Value::Null,
    )
    .await
}

fn band_input(ids: &Value, currency: &str, minimum: &str, maximum: &str) -> Value {
    json!({ "input": {
        "jobFamilyId": ids["jobFamilies"]["edges"][1]["node"]["id"],
        "levelId": ids["levels"]["edges"][0]["node"]["id"],
        "geoZoneId": ids["geoZones"]["edges"][0]["node"]["id"],
        "currency": currency,
        "minimum": minimum,
        "maximum": maximum,
        "effectiveFrom": "2027-01-01"
    } })
}

#[tokio::test]
async fn a_band_needs_a_known_currency_exact_amounts_and_min_not_above_max() {
    let app = TestApp::demo().await;
    let ids = band_ids(&app).await;
    let before = app.count("SELECT COUNT(*) FROM compensation_bands").await;
    let cases = [
        ("ZZZ", "100", "200", ("currency", "UNKNOWN_CURRENCY")),
        ("USD", "300.00", "200.00", ("minimum", "INVALID_RANGE")),
        ("USD", "100.005", "200", ("minimum", "INVALID_AMOUNT")),
        ("JPY", "100.5", "200", ("minimum", "INVALID_AMOUNT")),
        ("USD", "1e5", "200", ("minimum", "INVALID_AMOUNT")),
        ("USD", "-1", "200", ("minimum", "OUT_OF_RANGE")),
    ];
    for (currency, minimum, maximum, expected) in cases {
        let data = app
            .admin_data(CREATE_BAND, band_input(&ids, currency, minimum, maximum))
            .await;
        let payload = &data["createCompensationBand"];
        assert_eq!(
            payload["compensationBand"],
            Value::Null,
            "{currency} {minimum} {maximum}"
        );
        assert_eq!(
            user_errors(payload),
            [(expected.0.to_owned(), expected.1.to_owned())],
            "{currency} {minimum} {maximum}"
        );
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM compensation_bands").await,
        before
    );

    let ok = app
        .admin_data(CREATE_BAND, band_input(&ids, "KWD", "1500.250", "3000"))
        .await;
    assert_eq!(
        ok["createCompensationBand"]["compensationBand"],
        json!({ "minimum": { "amount": "1500.250", "currency": "KWD" }, "maximum": { "amount": "3000.000" } })
    );
    let again = app
        .admin_data(CREATE_BAND, band_input(&ids, "KWD", "1", "2"))
        .await;
    assert_eq!(
        user_errors(&again["createCompensationBand"]),
        [("effectiveFrom".to_owned(), "TAKEN".to_owned())]
    );
}

#[tokio::test]
async fn a_duplicate_slug_is_taken_and_a_blank_title_is_blank() {
    let app = TestApp::demo().await;
    let create = "mutation($input: CreatePostingInput!) { createPosting(input: $input) { posting { slug status } userErrors { field code } } }";
    let taken = app
        .admin_data(
            create,
            json!({ "input": { "title": "Another", "slug": "senior-backend-engineer-elixir" } }),
        )
        .await;
    assert_eq!(
        user_errors(&taken["createPosting"]),
        [("slug".to_owned(), "TAKEN".to_owned())]
    );
    let blank = app
        .admin_data(create, json!({ "input": { "title": "   " } }))
        .await;
    assert_eq!(
        user_errors(&blank["createPosting"]),
        [("title".to_owned(), "BLANK".to_owned())]
    );
    let bad_slug = app
        .admin_data(
            create,
            json!({ "input": { "title": "X", "slug": "Not A Slug" } }),
        )
        .await;
    assert_eq!(
        user_errors(&bad_slug["createPosting"]),
        [("slug".to_owned(), "INVALID".to_owned())]
    );
    let generated = app
        .admin_data(
            create,
            json!({ "input": { "title": "Senior Backend Engineer (Elixir)" } }),
        )
        .await;
    assert_eq!(
        generated["createPosting"]["posting"],
        json!({ "slug": "senior-backend-engineer-elixir-2", "status": "DRAFT" }),
        "a generated slug steps around one that is taken"
    );
}

#[tokio::test]
async fn references_to_missing_or_mistyped_objects_are_reported_where_they_are() {
    let app = TestApp::demo().await;
    let ids = app
        .admin_data("{ skills(first: 1) { edges { node { id } } } teams(first: 1) { edges { node { id } } } }", Value::Null)
        .await;
    let skill = ids["skills"]["edges"][0]["node"]["id"].clone();
    let team = ids["teams"]["edges"][0]["node"]["id"].clone();
    let missing_skill = base64::Engine::encode(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD,
        "Skill:99999",
    );
    let data = app
        .admin_data(
            "mutation($input: CreatePostingInput!) { createPosting(input: $input) { posting { id } userErrors { field code } } }",
            json!({ "input": {
                "title": "Staff Engineer",
                "skills": [
                    { "skillId": skill, "requirement": "MUST_HAVE" },
                    { "skillId": missing_skill, "requirement": "NICE_TO_HAVE" },
                    { "skillId": skill, "requirement": "NICE_TO_HAVE" }
                ],
                "teamIds": [team, skill]
            } }),
        )
        .await;
    let errors = user_errors(&data["createPosting"]);
    assert!(
        errors.contains(&("teamIds.1".to_owned(), "INVALID".to_owned())),
        "{errors:?}"
    );
    let data = app
        .admin_data(
            "mutation($input: CreatePostingInput!) { createPosting(input: $input) { posting { id } userErrors { field code } } }",
            json!({ "input": {
                "title": "Staff Engineer",
                "skills": [
                    { "skillId": skill, "requirement": "MUST_HAVE" },
                    { "skillId": missing_skill, "requirement": "NICE_TO_HAVE" },
                    { "skillId": skill, "requirement": "NICE_TO_HAVE" }
                ]
            } }),
        )
        .await;
    let errors = user_errors(&data["createPosting"]);
    assert_eq!(
        errors,
        [("skills.2.skillId".to_owned(), "DUPLICATE".to_owned())]
    );
    let data = app
        .admin_data(
            "mutation($input: CreatePostingInput!) { createPosting(input: $input) { posting { id } userErrors { field code } } }",
            json!({ "input": { "title": "Staff Engineer", "skills": [{ "skillId": missing_skill, "requirement": "MUST_HAVE" }] } }),
        )
        .await;
    assert_eq!(
        user_errors(&data["createPosting"]),
        [("skills.0.skillId".to_owned(), "NOT_FOUND".to_owned())]
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM postings WHERE title = 'Staff Engineer'")
            .await,
        0
    );
}

#[tokio::test]
async fn a_region_lists_known_countries_once() {
    let app = TestApp::demo().await;
    let create = "mutation($input: CreateRegionInput!) { createRegion(input: $input) { region { name slug countries { code name } } userErrors { field code } } }";
    let bad = app
        .admin_data(create, json!({ "input": { "name": "Remote-East-Africa", "countryCodes": ["KE", "XX", "ke"] } }))
        .await;
    assert_eq!(
        user_errors(&bad["createRegion"]),
        [
            ("countryCodes.1".to_owned(), "UNKNOWN_COUNTRY".to_owned()),
            ("countryCodes.2".to_owned(), "DUPLICATE".to_owned())
        ]
    );
    let empty = app
        .admin_data(create, json!({ "input": { "name": "Nowhere" } }))
        .await;
    assert_eq!(
        user_errors(&empty["createRegion"]),
        [("countryCodes".to_owned(), "BLANK".to_owned())]
    );
    let good = app
        .admin_data(create, json!({ "input": { "name": "Remote-East-Africa", "countryCodes": ["ke", "TZ", "UG"] } }))
        .await;
    assert_eq!(
        good["createRegion"]["region"],
        json!({
            "name": "Remote-East-Africa",
            "slug": "remote-east-africa",
            "countries": [
                { "code": "KE", "name": "Kenya" },
                { "code": "TZ", "name": "Tanzania" },
                { "code": "UG", "name": "Uganda" }
            ]
        })
    );
    let duplicate = app
        .admin_data(
            create,
            json!({ "input": { "name": "Remote-East-Africa", "countryCodes": ["KE"] } }),
        )
        .await;
    assert_eq!(
        user_errors(&duplicate["createRegion"]),
        [("name".to_owned(), "TAKEN".to_owned())]
    );
}

#[tokio::test]
async fn an_input_value_of_the_wrong_shape_is_bad_user_input_and_runs_nothing() {
    let app = TestApp::demo().await;
    let literal = app
        .graphql(
            Some(&app.admin()),
            "mutation { createTeam(input: {name: \"Growth\"}) { team { id } } }",
            Value::Null,
        )
        .await;
    assert_eq!(literal.error_code(), "BAD_USER_INPUT", "{}", literal.body);
    assert!(
        literal.body["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("department")
    );
    let variables = app
        .graphql(
            Some(&app.admin()),
            "mutation($input: CreateTeamInput!) { createTeam(input: $input) { team { id } } }",
            json!({ "input": { "name": "Growth" } }),
        )
        .await;
    assert_eq!(
        variables.error_code(),
        "BAD_USER_INPUT",
        "{}",
        variables.body
    );
    let float = app
        .graphql(
            Some(&app.admin()),
            "mutation { createCompensationBand(input: {jobFamilyId: \"x\", levelId: \"x\", geoZoneId: \"x\", currency: \"USD\", minimum: 1.5, maximum: \"2\"}) { userErrors { code } } }",
            Value::Null,
        )
        .await;
    assert_eq!(
        float.error_code(),
        "BAD_USER_INPUT",
        "decimals travel as strings: {}",
        float.body
    );
    let date = app
        .graphql(
            Some(&app.admin()),
            "query($d: Date!) { compensationBands(first: 1, filter: {activeOn: $d}) { totalCount } }",
            json!({ "d": "2027-13-45" }),
        )
        .await;
    assert_eq!(date.error_code(), "BAD_USER_INPUT", "{}", date.body);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM teams WHERE name = 'Growth'")
            .await,
        0
    );
}

#[tokio::test]
async fn a_geo_zone_claims_a_country_only_once_and_there_is_one_fallback() {
    let app = TestApp::demo().await;
    let create = "mutation($input: CreateGeoZoneInput!) { createGeoZone(input: $input) { geoZone { name } userErrors { field code message } } }";
    let taken_country = app
        .admin_data(
            create,
            json!({ "input": { "name": "Zone Z", "countryCodes": ["AQ", "US"] } }),
        )
        .await;
    assert_eq!(
        user_errors(&taken_country["createGeoZone"]),
        [("countryCodes.1".to_owned(), "TAKEN".to_owned())]
    );
    let second_fallback = app
        .admin_data(
            create,
            json!({ "input": { "name": "Zone Z", "isFallback": true } }),
        )
        .await;
    assert_eq!(
        user_errors(&second_fallback["createGeoZone"]),
        [("isFallback".to_owned(), "TAKEN".to_owned())]
    );
}
