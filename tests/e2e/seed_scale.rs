//! `hiregraph seed --scale N`: the generated data set, loaded by the real
//! command into a server's fresh database (SQLite, or Postgres when
//! `DATABASE_URL` says so), then read back through the API and with SQL.

use std::process::Command;

use serde_json::{Value, json};

use crate::support::{SECRET, TestApp};

const BIN: &str = env!("CARGO_BIN_EXE_hiregraph");

/// The scale the tests load: 10 postings, 500 candidates, about 2,000 applications.
const SCALE: &str = "0.005";

/// Runs `hiregraph args` on the server's database; returns (success, stdout, stderr).
fn run(app: &TestApp, args: &[&str]) -> (bool, String, String) {
    let output = Command::new(BIN)
        .args(args)
        .env("DATABASE_URL", app.database_url())
        .env("HIREGRAPH_JWT_SECRET", SECRET)
        .env_remove("HIREGRAPH_JWT_PUBLIC_KEYS")
        .env_remove("HIREGRAPH_JWT_JWKS_FILE")
        .env("RUST_LOG", "warn")
        .output()
        .expect("hiregraph runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// A server whose database was loaded by `seed --scale SCALE`.
async fn seeded() -> TestApp {
    let app = TestApp::empty().await;
    let (ok, out, err) = run(&app, &["seed", "--scale", SCALE]);
    assert!(ok, "seed --scale failed:\n{out}\n{err}");
    assert!(out.contains("loaded the scaled data set"), "{out}");
    app
}

#[tokio::test]
async fn seed_scale_loads_counts_in_proportion_and_the_admin_token_reads_them() {
    let app = seeded().await;
    assert_eq!(app.count("SELECT COUNT(*) FROM postings").await, 10);
    assert_eq!(app.count("SELECT COUNT(*) FROM candidates").await, 500);
    let applications = app.count("SELECT COUNT(*) FROM applications").await;
    assert!(
        (1800..=2000).contains(&applications),
        "about 400,000 × 0.005 applications, got {applications}"
    );
    let interviews = app.count("SELECT COUNT(*) FROM interviews").await;
    assert!(
        (applications * 3 / 2..=applications * 5 / 2).contains(&interviews),
        "about two interviews per application, got {interviews} for {applications}"
    );
    // Every status of an application and of an interview is there.
    for status in ["ACTIVE", "REJECTED", "WITHDRAWN"] {
        let n = app
            .count(&format!(
                "SELECT COUNT(*) FROM applications WHERE status = '{status}'"
            ))
            .await;
        assert!(n > 0, "no {status} application");
    }
    for status in ["SCHEDULED", "COMPLETED", "CANCELLED", "NO_SHOW"] {
        let n = app
            .count(&format!(
                "SELECT COUNT(*) FROM interviews WHERE status = '{status}'"
            ))
            .await;
        assert!(n > 0, "no {status} interview");
    }
    assert!(
        app.count("SELECT COUNT(*) FROM interviews WHERE submitted_at IS NOT NULL")
            .await
            > 0,
        "take-home submissions"
    );
    assert!(app.count("SELECT COUNT(*) FROM scorecard_ratings").await > 0);
    // A band for every job family × level × geo zone.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM compensation_bands").await,
        app.count("SELECT COUNT(*) FROM job_families, levels, geo_zones")
            .await
    );
    // Candidates are kept: the retention purge finds nobody.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM candidates WHERE retain_until < '2028-11-01'")
            .await,
        0
    );

    // The admin's token, minted by the command, reads postings and candidates.
    let (ok, token, err) = run(
        &app,
        &[
            "token",
            "--user",
            "admin@hiregraph.example",
            "--role",
            "ADMIN",
        ],
    );
    assert!(ok, "{err}");
    let reply = app
        .graphql(
            Some(token.trim()),
            "{ postings(first: 100) { totalCount edges { node { slug status salaryRange { minimum { amount } } interviewPlan { kind } } } }
               candidates(first: 5) { totalCount edges { node { name country { code } } } } }",
            json!({}),
        )
        .await;
    assert_eq!(reply.status, 200);
    let data = reply.data();
    assert_eq!(data["postings"]["totalCount"], 10);
    assert_eq!(data["candidates"]["totalCount"], 500);
    for edge in data["postings"]["edges"].as_array().expect("postings") {
        let plan: Vec<&str> = edge["node"]["interviewPlan"]
            .as_array()
            .expect("a plan")
            .iter()
            .map(|s| s["kind"].as_str().expect("a kind"))
            .collect();
        assert!((5..=7).contains(&plan.len()), "{plan:?}");
        assert!(plan.contains(&"TAKE_HOME_EXERCISE"), "{plan:?}");
        assert_eq!(plan.last(), Some(&"OFFER"), "{plan:?}");
        if edge["node"]["status"] != "DRAFT" {
            assert!(
                edge["node"]["salaryRange"]["minimum"]["amount"].is_string(),
                "a published posting shows a range: {edge}"
            );
        }
    }
    // Staff by their generated emails, in their roles.
    for (email, role) in [
        ("recruiter-1@hiregraph.example", "RECRUITER"),
        ("hm-1@hiregraph.example", "HIRING_MANAGER"),
        ("interviewer-1@hiregraph.example", "INTERVIEWER"),
    ] {
        let (ok, token, err) = run(&app, &["token", "--user", email, "--role", role]);
        assert!(ok, "{email}: {err}");
        let reply = app
            .graphql(Some(token.trim()), "{ viewer { role } }", json!({}))
            .await;
        assert_eq!(reply.data()["viewer"]["role"], role, "{email}");
    }
}

#[tokio::test]
async fn seed_scale_gives_the_same_rows_for_the_same_scale() {
    let first = seeded().await;
    let second = seeded().await;
    // Everything but the migration log (which records when it ran).
    let rows = |text: String| -> Vec<String> {
        text.lines()
            .filter(|line| !line.starts_with("seaql_migrations"))
            .map(str::to_owned)
            .collect()
    };
    let a = rows(first.everything().await);
    let b = rows(second.everything().await);
    assert!(a.len() > 30_000, "{} rows", a.len());
    assert_eq!(a.len(), b.len());
    if let Some((x, y)) = a.iter().zip(&b).find(|(x, y)| x != y) {
        panic!("the two loads differ:\n{x}\n{y}");
    }
}

/// A history replays from applying to the application's stage and status,
/// with one version per entry.
fn assert_replays(application: &Value) {
    let history = application["history"].as_array().expect("a history");
    let first = history.first().expect("at least the applying entry");
    assert!(first["fromStage"].is_null() && first["fromStatus"].is_null());
    assert_eq!(first["toStatus"], "ACTIVE");
    let mut stage = first["toStage"]["id"].clone();
    let mut status = first["toStatus"].clone();
    let mut last_at = first["occurredAt"].as_str().expect("a time").to_owned();
    for entry in &history[1..] {
        assert_eq!(entry["fromStage"]["id"], stage, "{application}");
        assert_eq!(entry["fromStatus"], status, "{application}");
        assert_eq!(
            status, "ACTIVE",
            "only an active application changes: {application}"
        );
        let at = entry["occurredAt"].as_str().expect("a time").to_owned();
        assert!(at >= last_at, "history out of order: {application}");
        stage = entry["toStage"]["id"].clone();
        status = entry["toStatus"].clone();
        last_at = at;
    }
    assert_eq!(application["currentStage"]["id"], stage, "{application}");
    assert_eq!(application["status"], status, "{application}");
    assert_eq!(
        application["version"].as_u64(),
        Some(history.len() as u64),
        "{application}"
    );
    match application["status"].as_str() {
        Some("REJECTED") => assert!(application["rejectionReason"].is_string()),
        _ => assert!(application["rejectionReason"].is_null()),
    }
}

#[tokio::test]
async fn seeded_data_keeps_the_invariants_the_api_enforces() {
    let app = seeded().await;

    // Nobody is in two meetings at once: neither staff nor candidates.
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM interview_interviewers a
             JOIN interview_interviewers b ON b.user_id = a.user_id AND b.interview_id > a.interview_id
             JOIN interviews x ON x.id = a.interview_id
             JOIN interviews y ON y.id = b.interview_id
             WHERE x.ends_at IS NOT NULL AND y.ends_at IS NOT NULL
               AND x.starts_at < y.ends_at AND y.starts_at < x.ends_at"
        )
        .await,
        0,
        "an interviewer is double-booked"
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM interviews x
             JOIN applications ax ON ax.id = x.application_id
             JOIN applications ay ON ay.candidate_id = ax.candidate_id
             JOIN interviews y ON y.application_id = ay.id AND y.id > x.id
             WHERE x.ends_at IS NOT NULL AND y.ends_at IS NOT NULL
               AND x.starts_at < y.ends_at AND y.starts_at < x.ends_at"
        )
        .await,
        0,
        "a candidate is double-booked"
    );
    // Hires: one accepted offer each, never more than a posting's openings.
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM applications a WHERE a.status = 'HIRED' AND
             (SELECT COUNT(*) FROM offers o WHERE o.application_id = a.id AND o.status = 'ACCEPTED') <> 1"
        )
        .await,
        0
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM postings p WHERE p.openings <
             (SELECT COUNT(*) FROM applications a WHERE a.posting_id = p.id AND a.status = 'HIRED')"
        )
        .await,
        0
    );
    // Scorecards come from the interview's interviewers, for completed interviews only.
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM scorecards s JOIN interviews i ON i.id = s.interview_id
             WHERE i.status <> 'COMPLETED' OR NOT EXISTS (SELECT 1 FROM interview_interviewers t
               WHERE t.interview_id = s.interview_id AND t.user_id = s.interviewer_id)"
        )
        .await,
        0
    );
    // Nothing has happened after the anchor except meetings still to come.
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM stage_transitions WHERE occurred_at > '2026-11-02T00:00:00Z'"
        )
        .await
            + app
                .count(
                    "SELECT COUNT(*) FROM scorecards WHERE submitted_at > '2026-11-02T00:00:00Z'"
                )
                .await,
        0
    );

    // Histories replay to where each application is, for every status.
    let query = "query($statuses: [ApplicationStatus!]) {
        applications(first: 40, filter: {statuses: $statuses}) {
          edges { node { id status version rejectionReason currentStage { id }
            history { fromStage { id } toStage { id } fromStatus toStatus occurredAt } } } } }";
    let mut checked = 0;
    for status in ["ACTIVE", "REJECTED", "WITHDRAWN", "HIRED"] {
        let data = app.admin_data(query, json!({ "statuses": [status] })).await;
        for edge in data["applications"]["edges"].as_array().expect("edges") {
            assert_eq!(edge["node"]["status"], status);
            assert_replays(&edge["node"]);
            checked += 1;
        }
    }
    assert!(checked >= 100, "only {checked} applications checked");

    // The funnel of the busiest posting adds up.
    let busiest = app
        .count(
            "SELECT posting_id FROM applications GROUP BY posting_id ORDER BY COUNT(*) DESC, posting_id LIMIT 1",
        )
        .await;
    let data = app
        .admin_data(
            "{ postings(first: 100) { edges { node { id slug funnel { totalApplications hired
                 stages { stage { position } current entered advanced } } } } } }",
            json!({}),
        )
        .await;
    let mut seen = false;
    for edge in data["postings"]["edges"].as_array().expect("edges") {
        let node = &edge["node"];
        let funnel = &node["funnel"];
        let total = funnel["totalApplications"].as_i64().expect("a total");
        let stages = funnel["stages"].as_array().expect("stages");
        let id = crate::support::key(&node["id"]);
        let in_db = app
            .count(&format!(
                "SELECT COUNT(*) FROM applications WHERE posting_id = {id}"
            ))
            .await;
        assert_eq!(total, in_db, "{node}");
        if total == 0 {
            continue;
        }
        seen |= id == busiest;
        // Everyone entered the first stage; nobody advanced more often than they entered.
        assert_eq!(stages[0]["entered"].as_i64(), Some(total), "{node}");
        for (k, stage) in stages.iter().enumerate() {
            let entered = stage["entered"].as_i64().expect("entered");
            let advanced = stage["advanced"].as_i64().expect("advanced");
            assert!(advanced <= entered, "{node}");
            if let Some(next) = stages.get(k + 1) {
                assert_eq!(
                    advanced,
                    next["entered"].as_i64().expect("entered"),
                    "{node}"
                );
            }
        }
        // Active applications at each stage add up to the active ones.
        let current: i64 = stages
            .iter()
            .map(|s| s["current"].as_i64().expect("current"))
            .sum();
        let active = app
            .count(&format!(
                "SELECT COUNT(*) FROM applications WHERE posting_id = {id} AND status = 'ACTIVE'"
            ))
            .await;
        assert_eq!(current, active, "{node}");
        let hired = app
            .count(&format!(
                "SELECT COUNT(*) FROM applications WHERE posting_id = {id} AND status = 'HIRED'"
            ))
            .await;
        assert_eq!(funnel["hired"].as_i64(), Some(hired), "{node}");
    }
    assert!(seen, "the busiest posting was checked");
}

#[tokio::test]
async fn seed_scale_refuses_a_database_with_data_and_a_bad_scale() {
    let app = TestApp::demo().await;
    let before = app.count("SELECT COUNT(*) FROM applications").await;
    let (ok, _, err) = run(&app, &["seed", "--scale", SCALE]);
    assert!(!ok);
    assert!(err.contains("already has data"), "{err}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM applications").await,
        before,
        "nothing was written"
    );
    for args in [
        &["seed", "--scale", "0"][..],
        &["seed", "--scale", "-1"][..],
        &["seed", "--scale", "lots"][..],
        &["seed", "--demo", "--scale", "1"][..],
    ] {
        let (ok, _, err) = run(&app, args);
        assert!(!ok, "{args:?} was accepted");
        assert!(!err.is_empty(), "{args:?}: no message");
    }
}
