//! The number of SQL statements a query runs depends on its shape, never on
//! how many rows it returns: every relation is loaded for all parents at once.

use chrono::Utc;
use entity::enums::{
    ApplicationStatus, CandidateSource, EmploymentType, PostingStatus, SkillRequirement, StageKind,
    StageMode, WorkplaceType,
};
use entity::{
    application, candidate, interview_stage, posting, posting_region, posting_skill, posting_team,
    region, skill, team,
};
use sea_orm::{ActiveModelTrait, EntityTrait, QueryOrder, Set};
use serde_json::json;

use crate::support::TestApp;

/// Adds `n` open postings, each with two skills, a region, a team, a stage
/// and three applications.
async fn add_postings(app: &TestApp, n: usize) {
    let db = &app.db.conn;
    let now = Utc::now();
    let skills = skill::Entity::find()
        .order_by_asc(skill::Column::Id)
        .all(db)
        .await
        .expect("skills");
    let region = region::Entity::find()
        .one(db)
        .await
        .expect("a query")
        .expect("a region");
    let team = team::Entity::find()
        .one(db)
        .await
        .expect("a query")
        .expect("a team");
    for i in 0..n {
        let posting = posting::ActiveModel {
            slug: Set(format!("load-test-posting-{i}")),
            title: Set(format!("Load test posting {i}")),
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
        for (position, skill) in skills.iter().take(2).enumerate() {
            posting_skill::ActiveModel {
                posting_id: Set(posting.id),
                skill_id: Set(skill.id),
                requirement: Set(SkillRequirement::MustHave),
                position: Set(position as i32 + 1),
            }
            .insert(db)
            .await
            .expect("a posting skill");
        }
        posting_region::ActiveModel {
            posting_id: Set(posting.id),
            region_id: Set(region.id),
        }
        .insert(db)
        .await
        .expect("a posting region");
        posting_team::ActiveModel {
            posting_id: Set(posting.id),
            team_id: Set(team.id),
        }
        .insert(db)
        .await
        .expect("a posting team");
        let stage = interview_stage::ActiveModel {
            posting_id: Set(posting.id),
            position: Set(1),
            name: Set("Application review".into()),
            kind: Set(StageKind::ApplicationReview),
            mode: Set(StageMode::Async),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await
        .expect("a stage");
        for j in 0..3 {
            let candidate = candidate::ActiveModel {
                email: Set(format!("candidate-{i}-{j}@example.com")),
                email_normalized: Set(format!("candidate-{i}-{j}@example.com")),
                name: Set(format!("Candidate {i} {j}")),
                links: Set(json!([])),
                source: Set(CandidateSource::CareersSite),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(db)
            .await
            .expect("a candidate");
            application::ActiveModel {
                candidate_id: Set(candidate.id),
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
            .expect("an application");
        }
    }
}

const PIPELINES: &str = r#"query($n: Int!) {
    postings(first: $n, filter: {statuses: [OPEN]}) {
        totalCount
        edges { node {
            title
            skills { requirement skill { name } }
            regions { name countries { code } }
            teams { name }
            interviewPlan { name }
            salaryRange { minimum { amount } }
            hiringManager { name }
            applications(first: 10) {
                totalCount
                edges { node { status candidate { name } currentStage { name } history { occurredAt } } }
            }
        } }
    }
}"#;

/// Statements run by `query` with `n`, and the number of postings returned.
async fn statements_for(app: &TestApp, n: usize) -> (u64, usize) {
    let token = app.admin();
    let before = app.statements();
    let reply = app
        .graphql(Some(&token), PIPELINES, json!({ "n": n }))
        .await;
    let after = app.statements();
    let returned = reply.data()["postings"]["edges"]
        .as_array()
        .map(Vec::len)
        .unwrap_or(0);
    (after - before, returned)
}

#[tokio::test]
async fn fifty_postings_with_their_relations_cost_the_same_statements_as_five() {
    let app = TestApp::demo().await;
    add_postings(&app, 50).await;
    let (five, returned_five) = statements_for(&app, 5).await;
    let (fifty, returned_fifty) = statements_for(&app, 50).await;
    assert_eq!((returned_five, returned_fifty), (5, 50));
    assert_eq!(
        five, fifty,
        "statements must not grow with the number of rows"
    );
    assert!(
        fifty <= 30,
        "{fifty} statements for a query of this depth is more than expected"
    );
}

#[tokio::test]
async fn a_deeper_query_costs_more_statements_than_a_shallow_one() {
    let app = TestApp::demo().await;
    let token = app.admin();
    let before = app.statements();
    app.graphql(
        Some(&token),
        "{ postings(first: 10) { edges { node { title } } } }",
        json!({}),
    )
    .await;
    let shallow = app.statements() - before;
    let before = app.statements();
    app.graphql(Some(&token), PIPELINES, json!({ "n": 10 }))
        .await;
    let deep = app.statements() - before;
    assert!(
        shallow < deep,
        "shallow {shallow}, deep {deep}: the counter must see the relations"
    );
}
