//! The benchmark's read operations (bench/operations/*.graphql) and its
//! mutation mix run a fixed, known number of SQL statements, whatever the
//! amount of data; page N of a list costs what page 1 does; and on Postgres
//! every statement they run reads the large tables through an index.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use entity::enums::{
    ApplicationStatus, CandidateSource, InterviewStatus, PostingStatus, Recommendation,
};
use entity::{
    application, candidate, interview, interview_interviewer, interview_stage, posting,
    posting_level, posting_region, posting_skill, posting_team, scorecard, scorecard_rating, skill,
    stage_transition, user,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, Set, Statement, TransactionTrait,
};
use serde_json::{Value, json};

use crate::support::{HIRING_MANAGER, INTERVIEWER, TestApp};

const CAREERS: &str = include_str!("../../bench/operations/careers.graphql");
const POSTING_BY_SLUG: &str = include_str!("../../bench/operations/posting_by_slug.graphql");
const PIPELINE: &str = include_str!("../../bench/operations/pipeline.graphql");
const CANDIDATE: &str = include_str!("../../bench/operations/candidate.graphql");
const INTERVIEWER_WEEK: &str = include_str!("../../bench/operations/interviewer_week.graphql");
const FUNNEL: &str = include_str!("../../bench/operations/funnel.graphql");

/// The slug of the demo posting the built postings are copied from.
const DEMO_SLUG: &str = "senior-backend-engineer-elixir";

fn global(kind: &str, key: i64) -> String {
    URL_SAFE_NO_PAD.encode(format!("{kind}:{key}"))
}

fn time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The data the operations read, grown step by step.
struct World {
    demo: posting::Model,
    /// Postings copied from the demo posting (open, with its levels,
    /// regions, teams, skills and plan), in order of creation.
    postings: Vec<(posting::Model, Vec<interview_stage::Model>)>,
    /// The two staff members on every built interview.
    interviewers: [user::Model; 2],
    /// The candidate who applied to every built posting.
    regular: candidate::Model,
    /// Applications at the pipeline stage of the first built posting.
    pipeline: usize,
    /// Interviews of the regular candidate's applications.
    regular_interviews: usize,
    /// Start of the interviewers' week.
    week: DateTime<Utc>,
    /// The skill every scorecard rates.
    skill: i64,
    next: usize,
}

/// Interviews per application of the regular candidate.
const INTERVIEWS_PER_APPLICATION: usize = 3;

impl World {
    async fn new(app: &TestApp) -> World {
        let db = &app.db.conn;
        let demo = posting::Entity::find()
            .filter(posting::Column::Slug.eq(DEMO_SLUG))
            .one(db)
            .await
            .expect("a query")
            .expect("the demo posting");
        let staff = |email: &'static str| async move {
            user::Entity::find()
                .filter(user::Column::Email.eq(email))
                .one(db)
                .await
                .expect("a query")
                .expect("a demo user")
        };
        let interviewers = [staff(INTERVIEWER).await, staff(HIRING_MANAGER).await];
        let now = Utc::now();
        let regular = candidate::ActiveModel {
            email: Set("regular@example.com".into()),
            email_normalized: Set("regular@example.com".into()),
            name: Set("Regular Applicant".into()),
            country_code: Set(Some("KE".into())),
            links: Set(json!([])),
            source: Set(CandidateSource::CareersSite),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await
        .expect("a candidate");
        let skill = skill::Entity::find()
            .one(db)
            .await
            .expect("a query")
            .expect("a skill")
            .id;
        World {
            skill,
            demo,
            postings: Vec::new(),
            interviewers,
            regular,
            pipeline: 0,
            regular_interviews: 0,
            week: now + Duration::days(90),
            next: 0,
        }
    }

    fn unique(&mut self) -> usize {
        self.next += 1;
        self.next
    }

    /// Grows the data to `postings` built postings, `pipeline` applications
    /// at the pipeline stage, and the regular candidate on every posting.
    async fn grow(&mut self, app: &TestApp, postings: usize, pipeline: usize) {
        while self.postings.len() < postings {
            self.add_posting(app).await;
        }
        while self.pipeline < pipeline {
            self.add_pipeline_application(app).await;
        }
    }

    async fn add_posting(&mut self, app: &TestApp) {
        let db = &app.db.conn;
        let n = self.postings.len();
        let now = Utc::now();
        let mut copy = self.demo.clone().into_active_model().reset_all();
        copy.id = NotSet;
        copy.slug = Set(format!("bench-posting-{n}"));
        copy.title = Set(format!("Bench posting {n}"));
        copy.status = Set(PostingStatus::Open);
        copy.published_at = Set(Some(now));
        copy.created_at = Set(now + Duration::seconds(n as i64));
        let posting = copy.insert(db).await.expect("a posting");
        let id = self.demo.id;
        for row in posting_level::Entity::find()
            .filter(posting_level::Column::PostingId.eq(id))
            .all(db)
            .await
            .expect("levels")
        {
            let mut row = row.into_active_model().reset_all();
            row.posting_id = Set(posting.id);
            row.insert(db).await.expect("a level");
        }
        for row in posting_region::Entity::find()
            .filter(posting_region::Column::PostingId.eq(id))
            .all(db)
            .await
            .expect("regions")
        {
            let mut row = row.into_active_model().reset_all();
            row.posting_id = Set(posting.id);
            row.insert(db).await.expect("a region");
        }
        for row in posting_team::Entity::find()
            .filter(posting_team::Column::PostingId.eq(id))
            .all(db)
            .await
            .expect("teams")
        {
            let mut row = row.into_active_model().reset_all();
            row.posting_id = Set(posting.id);
            row.insert(db).await.expect("a team");
        }
        for row in posting_skill::Entity::find()
            .filter(posting_skill::Column::PostingId.eq(id))
            .all(db)
            .await
            .expect("skills")
        {
            let mut row = row.into_active_model().reset_all();
            row.posting_id = Set(posting.id);
            row.insert(db).await.expect("a skill");
        }
        let mut stages = Vec::new();
        for row in interview_stage::Entity::find()
            .filter(interview_stage::Column::PostingId.eq(id))
            .order_by_asc(interview_stage::Column::Position)
            .all(db)
            .await
            .expect("stages")
        {
            let mut row = row.into_active_model().reset_all();
            row.id = NotSet;
            row.posting_id = Set(posting.id);
            stages.push(row.insert(db).await.expect("a stage"));
        }
        // The regular candidate applies, and has interviews at the second stage.
        let regular = self.regular.id;
        let applied = now - Duration::days(10) + Duration::minutes(n as i64);
        let application = self
            .application(app, regular, &posting, &stages, 1, applied)
            .await;
        for k in 0..INTERVIEWS_PER_APPLICATION {
            let starts = now + Duration::days(30) + Duration::hours((n * 10 + k) as i64);
            self.interview(app, &application, stages[1].id, starts)
                .await;
            self.regular_interviews += 1;
        }
        self.postings.push((posting, stages));
    }

    /// An application of `candidate` to `posting`, entered at its first stage
    /// and moved to the stage at index `at`.
    async fn application(
        &self,
        app: &TestApp,
        candidate: i64,
        posting: &posting::Model,
        stages: &[interview_stage::Model],
        at: usize,
        applied: DateTime<Utc>,
    ) -> application::Model {
        let db = &app.db.conn;
        let application = application::ActiveModel {
            candidate_id: Set(candidate),
            posting_id: Set(posting.id),
            current_stage_id: Set(stages[at].id),
            status: Set(ApplicationStatus::Active),
            version: Set(2),
            applied_at: Set(applied),
            created_at: Set(applied),
            updated_at: Set(applied),
            ..Default::default()
        }
        .insert(db)
        .await
        .expect("an application");
        stage_transition::ActiveModel {
            application_id: Set(application.id),
            from_stage_id: Set(None),
            to_stage_id: Set(stages[0].id),
            from_status: Set(None),
            to_status: Set(ApplicationStatus::Active),
            occurred_at: Set(applied),
            ..Default::default()
        }
        .insert(db)
        .await
        .expect("a transition");
        stage_transition::ActiveModel {
            application_id: Set(application.id),
            from_stage_id: Set(Some(stages[0].id)),
            to_stage_id: Set(stages[at].id),
            from_status: Set(Some(ApplicationStatus::Active)),
            to_status: Set(ApplicationStatus::Active),
            occurred_at: Set(applied + Duration::hours(1)),
            ..Default::default()
        }
        .insert(db)
        .await
        .expect("a transition");
        application
    }

    /// An hour-long interview of `application` with both interviewers, each
    /// with a submitted scorecard.
    async fn interview(
        &self,
        app: &TestApp,
        application: &application::Model,
        stage: i64,
        starts: DateTime<Utc>,
    ) -> interview::Model {
        let db = &app.db.conn;
        let interview = interview::ActiveModel {
            application_id: Set(application.id),
            stage_id: Set(stage),
            status: Set(InterviewStatus::Scheduled),
            starts_at: Set(starts),
            ends_at: Set(Some(starts + Duration::hours(1))),
            time_zone: Set("Africa/Nairobi".into()),
            meeting_url: Set(Some("https://meet.example.com/bench".into())),
            created_at: Set(starts - Duration::days(3)),
            updated_at: Set(starts - Duration::days(3)),
            ..Default::default()
        }
        .insert(db)
        .await
        .expect("an interview");
        for (i, interviewer) in self.interviewers.iter().enumerate() {
            interview_interviewer::ActiveModel {
                interview_id: Set(interview.id),
                user_id: Set(interviewer.id),
            }
            .insert(db)
            .await
            .expect("an interviewer");
            let card = scorecard::ActiveModel {
                interview_id: Set(interview.id),
                interviewer_id: Set(interviewer.id),
                recommendation: Set(Some(if i == 0 {
                    Recommendation::Yes
                } else {
                    Recommendation::StrongYes
                })),
                notes: Set(Some("Solid".into())),
                submitted_at: Set(Some(starts + Duration::hours(2))),
                created_at: Set(starts),
                updated_at: Set(starts),
                ..Default::default()
            }
            .insert(db)
            .await
            .expect("a scorecard");
            scorecard_rating::ActiveModel {
                scorecard_id: Set(card.id),
                skill_id: Set(self.skill),
                rating: Set(3),
                note: Set(None),
            }
            .insert(db)
            .await
            .expect("a rating");
        }
        interview
    }

    /// One more application at the pipeline stage, with its interview in
    /// the interviewers' week.
    async fn add_pipeline_application(&mut self, app: &TestApp) {
        let n = self.unique();
        let db = &app.db.conn;
        let now = Utc::now();
        let candidate = candidate::ActiveModel {
            email: Set(format!("pipeline-{n}@example.com")),
            email_normalized: Set(format!("pipeline-{n}@example.com")),
            name: Set(format!("Pipeline Candidate {n}")),
            country_code: Set(Some("NG".into())),
            links: Set(json!([])),
            source: Set(CandidateSource::Referral),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await
        .expect("a candidate");
        let (posting, stages) = self.postings[0].clone();
        let applied = now - Duration::days(20) + Duration::minutes(n as i64);
        let application = self
            .application(app, candidate.id, &posting, &stages, 2, applied)
            .await;
        let starts = self.week + Duration::minutes(70 * self.pipeline as i64);
        self.interview(app, &application, stages[2].id, starts)
            .await;
        self.pipeline += 1;
    }

    fn pipeline_posting(&self) -> &(posting::Model, Vec<interview_stage::Model>) {
        &self.postings[0]
    }
}

/// Runs `query` as `token` and returns its data (asserting no errors) and
/// the number of statements it ran.
async fn run(app: &TestApp, token: Option<&str>, query: &str, variables: Value) -> (Value, u64) {
    let before = app.statements();
    app.db.recorder.start();
    let reply = app.graphql(token, query, variables).await;
    let ran = app.statements() - before;
    let statements = app.db.recorder.stop();
    if std::env::var_os("HIREGRAPH_PRINT_SQL").is_some() {
        let name = query.lines().find(|l| !l.starts_with('#')).unwrap_or(query);
        eprintln!("== {name}");
        for statement in &statements {
            eprintln!("  {}", statement.sql);
        }
    }
    (reply.data().clone(), ran)
}

/// The statement count of each benchmark operation, checking its data
/// against the world.
async fn measure(app: &TestApp, world: &World) -> Vec<(&'static str, u64)> {
    let admin = app.admin();
    let staff = Some(admin.as_str());
    let mut counts = Vec::new();
    let open = world.postings.len() + 1;

    let (data, n) = run(app, None, CAREERS, json!({})).await;
    let nodes = data["postings"]["nodes"].as_array().expect("postings");
    assert_eq!(nodes.len(), open.min(20), "every open posting");
    assert_eq!(
        nodes[0]["title"],
        json!(format!("Bench posting {}", world.postings.len() - 1)),
        "newest first"
    );
    for node in nodes {
        assert!(
            !node["salaryTiers"].as_array().expect("tiers").is_empty(),
            "each built posting has the demo posting's pay: {node}"
        );
        assert!(!node["regions"].as_array().expect("regions").is_empty());
    }
    counts.push(("careers", n));

    let (data, n) = run(
        app,
        None,
        POSTING_BY_SLUG,
        json!({ "slug": "bench-posting-0" }),
    )
    .await;
    assert_eq!(data["posting"]["title"], "Bench posting 0");
    assert!(data["posting"]["salaryRange"]["minimum"]["amount"].is_string());
    counts.push(("posting_by_slug", n));

    let (posting, stages) = world.pipeline_posting();
    let (data, n) = run(
        app,
        staff,
        PIPELINE,
        json!({ "postingId": global("Posting", posting.id), "stageId": global("InterviewStage", stages[2].id) }),
    )
    .await;
    let nodes = data["node"]["applications"]["nodes"]
        .as_array()
        .expect("applications");
    assert_eq!(nodes.len(), world.pipeline.min(50));
    assert_eq!(
        data["node"]["applications"]["pageInfo"]["hasNextPage"],
        world.pipeline > 50
    );
    for node in nodes {
        assert_eq!(node["currentStage"]["name"], json!(stages[2].name));
        assert_eq!(node["history"].as_array().expect("history").len(), 2);
        assert_eq!(node["scorecardSummary"]["count"], 2, "{node}");
        assert_eq!(node["candidate"]["country"]["code"], "NG");
    }
    counts.push(("pipeline", n));

    let (data, n) = run(
        app,
        staff,
        CANDIDATE,
        json!({ "id": global("Candidate", world.regular.id) }),
    )
    .await;
    let applications = data["candidate"]["applications"]["nodes"]
        .as_array()
        .expect("applications");
    assert_eq!(applications.len(), world.postings.len());
    let interviews: usize = applications
        .iter()
        .map(|a| {
            a["interviews"]["nodes"]
                .as_array()
                .expect("interviews")
                .len()
        })
        .sum();
    assert_eq!(interviews, world.regular_interviews);
    for a in applications {
        for i in a["interviews"]["nodes"].as_array().expect("interviews") {
            assert_eq!(i["interviewers"].as_array().expect("interviewers").len(), 2);
        }
    }
    counts.push(("candidate", n));

    let (data, n) = run(
        app,
        staff,
        INTERVIEWER_WEEK,
        json!({
            "interviewer": global("User", world.interviewers[0].id),
            "from": time(world.week - Duration::hours(1)),
            "to": time(world.week + Duration::days(7)),
        }),
    )
    .await;
    let nodes = data["interviews"]["nodes"].as_array().expect("interviews");
    assert_eq!(nodes.len(), world.pipeline);
    for node in nodes {
        assert_eq!(node["application"]["posting"]["title"], "Bench posting 0");
        assert_eq!(node["interviewers"].as_array().expect("who").len(), 2);
    }
    counts.push(("interviewer_week", n));

    let (data, n) = run(
        app,
        staff,
        FUNNEL,
        json!({ "postingId": global("Posting", posting.id) }),
    )
    .await;
    let funnel = &data["node"]["funnel"];
    assert_eq!(funnel["totalApplications"], world.pipeline + 1);
    assert_eq!(
        funnel["stages"].as_array().expect("stages").len(),
        stages.len()
    );
    counts.push(("funnel", n));
    counts
}

/// What each operation costs; a change here is a change in what the
/// benchmark measures.
const EXPECTED: [(&str, u64); 6] = [
    ("careers", 10),
    ("posting_by_slug", 14),
    ("pipeline", 11),
    ("candidate", 8),
    ("interviewer_week", 8),
    ("funnel", 10),
];

#[tokio::test]
async fn each_benchmark_operation_runs_a_fixed_number_of_statements_at_any_size() {
    let app = TestApp::demo().await;
    let mut world = World::new(&app).await;
    world.grow(&app, 2, 3).await;
    let small = measure(&app, &world).await;
    world.grow(&app, 12, 40).await;
    let large = measure(&app, &world).await;
    assert_eq!(small, large, "statements must not grow with the data");
    assert_eq!(large, EXPECTED);
}

const APPLY: &str = r#"mutation($input: ApplyToPostingInput!) {
    applyToPosting(input: $input) {
        receipt { applicationId alreadyApplied }
        userErrors { field code }
    }
}"#;

const MOVE: &str = r#"mutation($input: MoveApplicationToStageInput!) {
    moveApplicationToStage(input: $input) {
        application { id version currentStage { position } }
        userErrors { field code }
    }
}"#;

const SCHEDULE: &str = r#"mutation($input: ScheduleInterviewInput!) {
    scheduleInterview(input: $input) {
        interview { id status interviewers { email } }
        userErrors { field code }
    }
}"#;

/// Statements of one round of the mutation mix: apply, move the new
/// application to the second stage, schedule an interview for it.
async fn mutation_mix(app: &TestApp, round: usize) -> [u64; 3] {
    let email = format!("mix-{round}@example.com");
    let (data, apply) = run(
        app,
        None,
        APPLY,
        json!({ "input": { "slug": "bench-posting-1", "email": email, "name": format!("Mix {round}"), "countryCode": "KE", "consent": true } }),
    )
    .await;
    assert_eq!(data["applyToPosting"]["userErrors"], json!([]));
    assert_eq!(data["applyToPosting"]["receipt"]["alreadyApplied"], false);
    let id = data["applyToPosting"]["receipt"]["applicationId"].clone();

    let admin = app.admin();
    let stage = app
        .admin_data(
            r#"query($id: ID!) { node(id: $id) { ... on Application { version posting { interviewPlan { id position } } } } }"#,
            json!({ "id": id }),
        )
        .await;
    let version = stage["node"]["version"].clone();
    let second = stage["node"]["posting"]["interviewPlan"][1]["id"].clone();
    let (data, moved) = run(
        app,
        Some(&admin),
        MOVE,
        json!({ "input": { "applicationId": id, "stageId": second, "expectedVersion": version } }),
    )
    .await;
    assert_eq!(data["moveApplicationToStage"]["userErrors"], json!([]));
    assert_eq!(
        data["moveApplicationToStage"]["application"]["currentStage"]["position"],
        2
    );

    let starts = Utc::now() + Duration::days(60) + Duration::hours(round as i64 * 2);
    let interviewer = app.user_id(INTERVIEWER).await;
    let (data, scheduled) = run(
        app,
        Some(&admin),
        SCHEDULE,
        json!({ "input": { "applicationId": id, "startsAt": time(starts), "endsAt": time(starts + Duration::hours(1)), "timeZone": "Africa/Nairobi", "interviewerIds": [interviewer] } }),
    )
    .await;
    assert_eq!(data["scheduleInterview"]["userErrors"], json!([]));
    assert_eq!(
        data["scheduleInterview"]["interview"]["status"],
        "SCHEDULED"
    );
    [apply, moved, scheduled]
}

/// applyToPosting, moveApplicationToStage, scheduleInterview.
const EXPECTED_MUTATIONS: [u64; 3] = [23, 10, 26];

#[tokio::test]
async fn the_mutation_mix_runs_a_fixed_number_of_statements_at_any_size() {
    let app = TestApp::demo().await;
    let mut world = World::new(&app).await;
    world.grow(&app, 2, 3).await;
    let small = mutation_mix(&app, 1).await;
    world.grow(&app, 12, 40).await;
    let large = mutation_mix(&app, 2).await;
    assert_eq!(small, large, "statements must not grow with the data");
    assert_eq!(large, EXPECTED_MUTATIONS);
}

/// Reaching page N by cursor costs what page 1 costs.
#[tokio::test]
async fn a_later_page_runs_the_same_statements_as_the_first() {
    let app = TestApp::demo().await;
    let mut world = World::new(&app).await;
    world.grow(&app, 1, 120).await;
    let admin = app.admin();
    let (posting, stages) = world.pipeline_posting();
    let variables = |after: Value| json!({ "postingId": global("Posting", posting.id), "stageId": global("InterviewStage", stages[2].id), "after": after });
    let mut seen = Vec::new();
    let mut counts = Vec::new();
    let mut after = Value::Null;
    loop {
        let (data, n) = run(&app, Some(&admin), PIPELINE, variables(after)).await;
        let page = &data["node"]["applications"];
        seen.extend(
            page["nodes"]
                .as_array()
                .expect("nodes")
                .iter()
                .map(|n| n["id"].as_str().expect("an id").to_owned()),
        );
        counts.push(n);
        if page["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(counts.len(), 3, "120 applications in pages of 50");
    assert_eq!(seen.len(), 120);
    let distinct: std::collections::HashSet<&String> = seen.iter().collect();
    assert_eq!(distinct.len(), 120, "no application twice");
    assert!(
        counts.iter().all(|&n| n == counts[0]),
        "every page costs the same: {counts:?}"
    );
}

/// Planner settings under which a missing index shows (see [`check_plans`]).
const PLANNER_SETTINGS: &str = "SET LOCAL enable_seqscan = off; SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off";

/// Tables that grow with the business: never read whole.
const LARGE_TABLES: [&str; 12] = [
    "applications",
    "application_answers",
    "candidates",
    "stage_transitions",
    "interviews",
    "interview_interviewers",
    "scorecards",
    "scorecard_ratings",
    "offers",
    "offer_approvals",
    "postings",
    "audit_events",
];

/// What is wrong with a plan (in `EXPLAIN (ANALYZE, FORMAT JSON)` form): a
/// large table read by `Seq Scan`; read through an index without an index
/// condition where a sort or no limit means every row is read; or read
/// through an index that matches the filter only in part, so that most rows
/// read are thrown away.
fn plan_problems(node: &Value, sorted: bool, limited: bool, problems: &mut Vec<String>) {
    let kind = node["Node Type"].as_str().unwrap_or_default();
    let table = node["Relation Name"].as_str().unwrap_or_default();
    let large = LARGE_TABLES.contains(&table);
    if large && kind == "Seq Scan" {
        problems.push(format!("Seq Scan on {table}"));
    }
    if large
        && matches!(kind, "Index Scan" | "Index Only Scan")
        && node.get("Index Cond").is_none()
        && (sorted || !limited)
    {
        problems.push(format!(
            "every row of {table} read through {} (no index condition{})",
            node["Index Name"].as_str().unwrap_or("an index"),
            if sorted { ", then sorted" } else { "" }
        ));
    }
    let kept = node["Actual Rows"].as_f64().unwrap_or(0.0);
    let removed = node["Rows Removed by Filter"].as_f64().unwrap_or(0.0);
    if large && removed > 200.0 && removed > 2.0 * kept {
        problems.push(format!(
            "{table} read through {} ({kind}): {removed} rows read and thrown away to keep {kept}",
            node["Index Name"].as_str().unwrap_or("no index")
        ));
    }
    let sorted = sorted || kind == "Sort" || kind == "Incremental Sort";
    let limited = limited || kind == "Limit";
    for child in node["Plans"].as_array().into_iter().flatten() {
        plan_problems(child, sorted, limited, problems);
    }
}

/// The problems of the plans of the SELECTs in `statements`. The test's
/// tables are small, so the planner would rather read them whole; with
/// sequential scans, hash joins and merge joins switched off it reads each
/// large table through an index wherever one serves the statement, and a
/// missing index shows.
async fn check_plans(app: &TestApp, operation: &str, statements: &[Statement]) -> Vec<String> {
    let db = &app.db.conn;
    let mut problems = Vec::new();
    for statement in statements {
        if !statement
            .sql
            .trim_start()
            .to_uppercase()
            .starts_with("SELECT")
        {
            continue;
        }
        let txn = db.begin().await.expect("a transaction");
        txn.execute_unprepared(PLANNER_SETTINGS)
            .await
            .expect("planner settings");
        let explain = Statement {
            sql: format!("EXPLAIN (ANALYZE, FORMAT JSON) {}", statement.sql),
            values: statement.values.clone(),
            db_backend: DbBackend::Postgres,
        };
        let row = txn
            .query_one_raw(explain)
            .await
            .unwrap_or_else(|err| panic!("EXPLAIN {}: {err}", statement.sql))
            .expect("a plan");
        let plan: Value = row.try_get_by_index(0).expect("a JSON plan");
        txn.rollback().await.expect("rolled back");
        let mut found = Vec::new();
        plan_problems(&plan[0]["Plan"], false, false, &mut found);
        if !found.is_empty() {
            problems.push(format!(
                "{operation}: {}\n    {}\n    {}",
                found.join("; "),
                statement.sql,
                serde_json::to_string(&plan[0]["Plan"]).unwrap_or_default()
            ));
        }
    }
    problems
}

/// Runs `query` while recording its statements, asserting no errors.
async fn recorded(
    app: &TestApp,
    token: Option<&str>,
    query: &str,
    variables: Value,
) -> (Value, Vec<Statement>) {
    app.db.recorder.start();
    let reply = app.graphql(token, query, variables).await;
    let statements = app.db.recorder.stop();
    (reply.data().clone(), statements)
}

/// Rows the operations do not ask for, so that what they ask for is a small
/// part of each large table, as in production, and the planner's choices
/// are the ones it makes there (Postgres only): closed postings newer than
/// the open ones, and applications to the demo posting and at another stage
/// of the pipeline posting, each with its history, a past interview with
/// both interviewers, a scorecard and a rating.
async fn add_noise(app: &TestApp, world: &World) {
    const N: i64 = 1500;
    let demo = world.demo.id;
    let stage = interview_stage::Entity::find()
        .filter(interview_stage::Column::PostingId.eq(demo))
        .order_by_asc(interview_stage::Column::Position)
        .one(&app.db.conn)
        .await
        .expect("a query")
        .expect("a stage")
        .id;
    let (user, other, skill) = (
        world.interviewers[1].id,
        world.interviewers[0].id,
        world.skill,
    );
    let (pipeline, pipeline_stage) = {
        let (posting, stages) = world.pipeline_posting();
        (posting.id, stages[0].id)
    };
    let statements = [
        format!(
            "INSERT INTO postings (slug, title, job_family_id, status, employment_type, workplace_type, openings, created_at, updated_at) \
             SELECT 'noise-' || g, 'Noise ' || g, p.job_family_id, 'CLOSED', p.employment_type, p.workplace_type, 1, now() + interval '1 day', now() + interval '1 day' \
             FROM postings p, generate_series(1, {N}) g WHERE p.id = {demo}"
        ),
        format!(
            "INSERT INTO candidates (email, email_normalized, name, links, source, created_at, updated_at) \
             SELECT 'noise-' || g || '@example.com', 'noise-' || g || '@example.com', 'Noise ' || g, '[]', 'CAREERS_SITE', now(), now() \
             FROM generate_series(1, {N}) g"
        ),
        format!(
            "INSERT INTO applications (candidate_id, posting_id, current_stage_id, status, version, applied_at, created_at, updated_at) \
             SELECT c.id, CASE WHEN c.id % 2 = 0 THEN {demo} ELSE {pipeline} END, CASE WHEN c.id % 2 = 0 THEN {stage} ELSE {pipeline_stage} END, \
             'ACTIVE', 1, now() - interval '300 days', now(), now() \
             FROM candidates c WHERE c.email LIKE 'noise-%'"
        ),
        "INSERT INTO stage_transitions (application_id, to_stage_id, to_status, occurred_at) \
             SELECT a.id, a.current_stage_id, 'ACTIVE', a.applied_at FROM applications a \
             JOIN candidates c ON c.id = a.candidate_id WHERE c.email LIKE 'noise-%'"
        .to_owned(),
        "INSERT INTO interviews (application_id, stage_id, status, starts_at, ends_at, time_zone, created_at, updated_at) \
             SELECT a.id, a.current_stage_id, 'COMPLETED', a.applied_at + (a.id || ' minutes')::interval, a.applied_at + (a.id || ' minutes')::interval + interval '1 hour', 'Etc/UTC', now(), now() \
             FROM applications a JOIN candidates c ON c.id = a.candidate_id WHERE c.email LIKE 'noise-%'"
        .to_owned(),
        format!(
            "INSERT INTO interview_interviewers (interview_id, user_id) \
             SELECT i.id, u.id FROM interviews i, users u WHERE i.time_zone = 'Etc/UTC' AND u.id IN ({user}, {other})"
        ),
        format!(
            "INSERT INTO scorecards (interview_id, interviewer_id, recommendation, submitted_at, created_at, updated_at) \
             SELECT id, {user}, 'NO', now(), now(), now() FROM interviews WHERE time_zone = 'Etc/UTC'"
        ),
        format!(
            "INSERT INTO scorecard_ratings (scorecard_id, skill_id, rating) \
             SELECT s.id, {skill}, 2 FROM scorecards s JOIN interviews i ON i.id = s.interview_id \
             WHERE i.time_zone = 'Etc/UTC'"
        ),
        "ANALYZE".to_owned(),
    ];
    for sql in statements {
        app.execute(&sql).await;
    }
}

#[tokio::test]
async fn on_postgres_every_benchmark_statement_reads_large_tables_through_an_index() {
    let app = TestApp::demo().await;
    if app.db.conn.get_database_backend() != DbBackend::Postgres {
        eprintln!("skipped: EXPLAIN plans are checked on Postgres only (set DATABASE_URL)");
        return;
    }
    let mut world = World::new(&app).await;
    world.grow(&app, 12, 60).await;
    add_noise(&app, &world).await;
    let admin = app.admin();
    let staff = Some(admin.as_str());
    let (posting, stages) = world.pipeline_posting();
    let pipeline = |after: Value| json!({ "postingId": global("Posting", posting.id), "stageId": global("InterviewStage", stages[2].id), "after": after });
    let (careers, careers_sql) = recorded(&app, None, CAREERS, json!({})).await;
    let (_, careers_page_2) = recorded(
        &app,
        None,
        CAREERS,
        json!({ "after": careers["postings"]["pageInfo"]["endCursor"] }),
    )
    .await;
    let (page_1, pipeline_sql) = recorded(&app, staff, PIPELINE, pipeline(Value::Null)).await;
    let cursor = page_1["node"]["applications"]["pageInfo"]["endCursor"].clone();
    let (page_2, pipeline_page_2) = recorded(&app, staff, PIPELINE, pipeline(cursor)).await;
    assert_eq!(
        page_2["node"]["applications"]["nodes"]
            .as_array()
            .map(Vec::len),
        Some(10)
    );
    let operations = [
        ("careers", careers_sql),
        ("careers, page 2", careers_page_2),
        (
            "posting_by_slug",
            recorded(
                &app,
                None,
                POSTING_BY_SLUG,
                json!({ "slug": "bench-posting-3" }),
            )
            .await
            .1,
        ),
        ("pipeline", pipeline_sql),
        ("pipeline, page 2", pipeline_page_2),
        (
            "candidate",
            recorded(
                &app,
                staff,
                CANDIDATE,
                json!({ "id": global("Candidate", world.regular.id) }),
            )
            .await
            .1,
        ),
        (
            "interviewer_week",
            recorded(
                &app,
                staff,
                INTERVIEWER_WEEK,
                json!({
                    "interviewer": global("User", world.interviewers[0].id),
                    "from": time(world.week),
                    "to": time(world.week + Duration::days(7)),
                }),
            )
            .await
            .1,
        ),
        (
            "funnel",
            recorded(
                &app,
                staff,
                FUNNEL,
                json!({ "postingId": global("Posting", posting.id) }),
            )
            .await
            .1,
        ),
    ];
    let mut problems = Vec::new();
    for (operation, statements) in &operations {
        assert!(!statements.is_empty(), "{operation} was recorded");
        problems.extend(check_plans(&app, operation, statements).await);
    }
    assert!(
        problems.is_empty(),
        "{} statements read large tables without an index:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// On Postgres, the cursor condition of page 2 is an index condition: the
/// page starts where the index says, not after reading the pages before it.
#[tokio::test]
async fn on_postgres_a_later_page_starts_at_its_cursor_in_an_index() {
    let app = TestApp::demo().await;
    if app.db.conn.get_database_backend() != DbBackend::Postgres {
        eprintln!("skipped: EXPLAIN plans are checked on Postgres only (set DATABASE_URL)");
        return;
    }
    let mut world = World::new(&app).await;
    world.grow(&app, 1, 0).await;
    let admin = app.admin();
    // The top-level list of applications, newest first.
    let query = "query($after: String) { applications(first: 5, after: $after) { pageInfo { endCursor } nodes { id } } }";
    let (page_1, _) = recorded(&app, Some(&admin), query, json!({})).await;
    let cursor = page_1["applications"]["pageInfo"]["endCursor"].clone();
    let (_, statements) = recorded(&app, Some(&admin), query, json!({ "after": cursor })).await;
    let list = statements
        .iter()
        .find(|s| s.sql.contains("FROM \"applications\"") && s.sql.contains("LIMIT"))
        .unwrap_or_else(|| panic!("the page's statement among {statements:#?}"));
    let db = &app.db.conn;
    let txn = db.begin().await.expect("a transaction");
    txn.execute_unprepared(PLANNER_SETTINGS)
        .await
        .expect("planner settings");
    let row = txn
        .query_one_raw(Statement {
            sql: format!("EXPLAIN (FORMAT JSON) {}", list.sql),
            values: list.values.clone(),
            db_backend: DbBackend::Postgres,
        })
        .await
        .expect("EXPLAIN")
        .expect("a plan");
    let plan: Value = row.try_get_by_index(0).expect("a JSON plan");
    txn.rollback().await.expect("rolled back");
    let text = plan.to_string();
    assert!(
        text.contains("\"Index Cond\"") && text.contains("applied_at"),
        "the cursor condition on applied_at is an index condition: {text}"
    );
    let mut problems = Vec::new();
    plan_problems(&plan[0]["Plan"], false, false, &mut problems);
    assert!(problems.is_empty(), "{problems:?}");
}
