//! The demo data is the real posting: its process, regions, skills and pay.

use serde_json::{Value, json};

use crate::support::TestApp;

#[tokio::test]
async fn the_demo_posting_is_public_with_its_range_process_and_skills() {
    let app = TestApp::demo().await;
    let reply = app
        .graphql(
            None,
            r#"query($slug: String!) { posting(slug: $slug) {
                title status startsAsSoonAsPossible employmentType workplaceType
                salaryRange { minimum { amount currency } maximum { amount currency } interval }
                regions { name everywhere countries { code } }
                skills { requirement skill { name } }
                responsibilities
                interviewPlan { position name kind mode durationMinutes slaHours }
                description { heading }
            } }"#,
            json!({ "slug": "senior-backend-engineer-elixir" }),
        )
        .await;
    let posting = &reply.data()["posting"];
    assert_eq!(posting["title"], "Senior Backend Engineer (Elixir)");
    assert_eq!(posting["status"], "OPEN");
    assert_eq!(posting["startsAsSoonAsPossible"], true);
    assert_eq!(
        posting["salaryRange"],
        json!({
            "minimum": { "amount": "51850.00", "currency": "USD" },
            "maximum": { "amount": "171450.00", "currency": "USD" },
            "interval": "YEAR"
        })
    );
    let regions = posting["regions"].as_array().expect("regions");
    assert_eq!(regions.len(), 1);
    assert_eq!(regions[0]["name"], "Remote-Africa");
    assert_eq!(regions[0]["countries"].as_array().map(Vec::len), Some(54));

    let must: Vec<&Value> = posting["skills"]
        .as_array()
        .expect("skills")
        .iter()
        .filter(|s| s["requirement"] == "MUST_HAVE")
        .map(|s| &s["skill"]["name"])
        .collect();
    assert_eq!(must, ["Elixir", "Postgres", "CI/CD"]);
    assert_eq!(
        posting["responsibilities"].as_array().map(Vec::len),
        Some(10)
    );

    let plan = posting["interviewPlan"].as_array().expect("a plan");
    assert_eq!(plan.len(), 8);
    let asynchronous: Vec<i64> = plan
        .iter()
        .filter(|s| s["mode"] == "ASYNC")
        .map(|s| s["position"].as_i64().expect("a position"))
        .collect();
    assert_eq!(
        asynchronous,
        [1, 4, 5, 8],
        "review, code exercise, its review and verification are asynchronous"
    );
    assert_eq!(plan[7]["kind"], "EMPLOYMENT_VERIFICATION");
    assert!(
        plan.iter()
            .filter(|s| s["mode"] == "ASYNC")
            .all(|s| s["durationMinutes"].is_null())
    );
}

#[tokio::test]
async fn the_demo_pipeline_has_applications_at_several_stages() {
    let app = TestApp::demo().await;
    let data = app
        .admin_data(
            r#"{ posting(slug: "senior-backend-engineer-elixir") {
                applications(first: 50) { totalCount edges { node { status currentStage { position } } } }
            } }"#,
            Value::Null,
        )
        .await;
    let edges = data["posting"]["applications"]["edges"]
        .as_array()
        .expect("edges");
    let mut stages: Vec<i64> = edges
        .iter()
        .filter(|e| e["node"]["status"] == "ACTIVE")
        .map(|e| {
            e["node"]["currentStage"]["position"]
                .as_i64()
                .expect("a position")
        })
        .collect();
    stages.sort_unstable();
    stages.dedup();
    assert!(
        stages.len() >= 5,
        "active applications should sit at several stages, got {stages:?}"
    );
}
