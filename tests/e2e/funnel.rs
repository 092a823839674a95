//! Funnel figures: every figure on a data set built for it, with the
//! transition log written at exact instants; the demo data's figures worked
//! out by hand from its fixture; a fixed number of statements however many
//! postings are asked for; and who may see them.

use chrono::{DateTime, TimeZone, Utc};
use entity::enums::{
    ApplicationStatus, CandidateSource, EmploymentType, PostingStatus, RejectionReason, Role,
    StageKind, StageMode, WorkplaceType,
};
use entity::{application, candidate, interview_stage, posting, stage_transition, user};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::{Value, json};

use crate::support::{HIRING_MANAGER, INTERVIEWER, RECRUITER, TestApp};

const FUNNEL: &str = r#"query($slug: String!) {
    posting(slug: $slug) {
        funnel {
            totalApplications
            stages {
                stage { position name }
                current entered advanced conversionRate
                medianTimeInStage { seconds hours days }
            }
            hired
            timeToHire { seconds hours days }
            rejectionsByReason { reason count }
            applicationsBySource { source count }
        }
    }
}"#;

/// Milliseconds after the data set's origin, 2026-01-05 08:00 UTC.
fn at(millis: i64) -> DateTime<Utc> {
    let origin = Utc
        .with_ymd_and_hms(2026, 1, 5, 8, 0, 0)
        .single()
        .expect("a valid instant");
    origin + chrono::Duration::milliseconds(millis)
}

/// `n` hours, in milliseconds.
const fn h(n: i64) -> i64 {
    n * 3_600_000
}

/// One change in an application's history.
#[derive(Clone, Copy)]
enum Event {
    /// Enters the stage at this index of the plan (the first event: applies).
    Enter(usize, i64),
    /// Changes status at the stage it is at.
    Status(ApplicationStatus, Option<RejectionReason>, i64),
}

use Event::{Enter, Status};

/// A candidate and their application's history.
struct Case {
    name: &'static str,
    source: CandidateSource,
    history: &'static [Event],
}

const ACTIVE: ApplicationStatus = ApplicationStatus::Active;
const REJECTED: ApplicationStatus = ApplicationStatus::Rejected;
const WITHDRAWN: ApplicationStatus = ApplicationStatus::Withdrawn;
const HIRED: ApplicationStatus = ApplicationStatus::Hired;

/// The data set, on a four-stage plan (indexes 0 to 3). Stays are listed
/// with their lengths; "open" stays and those ended by a status change do
/// not count for the medians.
const CASES: &[Case] = &[
    // Stays: 1: 10h, 2: 20h; hired at 3 after 100h.
    Case {
        name: "Ada",
        source: CandidateSource::Referral,
        history: &[
            Enter(0, 0),
            Enter(1, h(10)),
            Enter(2, h(30)),
            Status(HIRED, None, h(100)),
        ],
    },
    // Skips stage 2. Stays: 1: 4h; open at 3.
    Case {
        name: "Bea",
        source: CandidateSource::CareersSite,
        history: &[Enter(0, h(1)), Enter(2, h(5))],
    },
    // Moved back from 3 to 2. Stays: 1: 6h, 2: 12h, 3: 6h; open at 2.
    Case {
        name: "Cy",
        source: CandidateSource::CareersSite,
        history: &[
            Enter(0, h(2)),
            Enter(1, h(8)),
            Enter(2, h(20)),
            Enter(1, h(26)),
        ],
    },
    // Moved back from 3 to 2, then rejected there.
    // Stays: 1: 2h, 2: 2h, 3: 1h; the second stay at 2 ends in the rejection.
    Case {
        name: "Dee",
        source: CandidateSource::Sourced,
        history: &[
            Enter(0, h(3)),
            Enter(1, h(5)),
            Enter(2, h(7)),
            Enter(1, h(8)),
            Status(REJECTED, Some(RejectionReason::LacksRequiredSkills), h(15)),
        ],
    },
    // Withdrew at 1.
    Case {
        name: "Eli",
        source: CandidateSource::Agency,
        history: &[Enter(0, h(4)), Status(WITHDRAWN, None, h(9))],
    },
    // Still at 1.
    Case {
        name: "Fay",
        source: CandidateSource::CareersSite,
        history: &[Enter(0, h(5))],
    },
    // Rejected at 1.
    Case {
        name: "Gus",
        source: CandidateSource::Referral,
        history: &[
            Enter(0, h(6)),
            Status(REJECTED, Some(RejectionReason::NotAFit), h(7)),
        ],
    },
    // Rejected at 1, reopened, then moved on: the rejection no longer counts,
    // and the stay at 1 runs from applying to the move (5h).
    Case {
        name: "Hal",
        source: CandidateSource::CareersSite,
        history: &[
            Enter(0, h(7)),
            Status(REJECTED, Some(RejectionReason::NotAFit), h(8)),
            Status(ACTIVE, None, h(9)),
            Enter(1, h(12)),
        ],
    },
    // Stays: 1: 3h and a quarter of a second (counted as 3h); rejected at 2.
    Case {
        name: "Ivy",
        source: CandidateSource::Sourced,
        history: &[
            Enter(0, h(8)),
            Enter(1, h(11) + 250),
            Status(REJECTED, Some(RejectionReason::LacksRequiredSkills), h(13)),
        ],
    },
    // Stays: 1: 2h, 2: 3h; hired at 3 after 39h.
    Case {
        name: "Kai",
        source: CandidateSource::Referral,
        history: &[
            Enter(0, h(9)),
            Enter(1, h(11)),
            Enter(2, h(14)),
            Status(HIRED, None, h(48)),
        ],
    },
];

const PLAN: &[(&str, StageKind, StageMode)] = &[
    (
        "Application review",
        StageKind::ApplicationReview,
        StageMode::Async,
    ),
    (
        "Recruiter screen",
        StageKind::RecruiterScreen,
        StageMode::Sync,
    ),
    ("Team interview", StageKind::Interview, StageMode::Sync),
    (
        "Reference check",
        StageKind::ReferenceCheck,
        StageMode::Async,
    ),
];

/// The id of the demo's staff user `email`.
async fn user_id(app: &TestApp, email: &str) -> i64 {
    user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .one(&app.db.conn)
        .await
        .expect("a query")
        .expect("the user")
        .id
}

/// Adds an open posting `slug` managed by the demo's hiring manager, with
/// the plan and the applications of [`CASES`], written straight to the
/// database at exact instants.
async fn add_data_set(app: &TestApp, slug: &str) {
    let db = &app.db.conn;
    let manager = user_id(app, HIRING_MANAGER).await;
    let created = at(-h(24 * 30));
    let posting = posting::ActiveModel {
        slug: Set(slug.to_owned()),
        title: Set(format!("Funnel figures ({slug})")),
        status: Set(PostingStatus::Open),
        employment_type: Set(EmploymentType::FullTime),
        workplace_type: Set(WorkplaceType::Remote),
        openings: Set(2),
        hiring_manager_id: Set(Some(manager)),
        published_at: Set(Some(created)),
        created_at: Set(created),
        updated_at: Set(created),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("a posting");
    let mut stages = Vec::new();
    for ((name, kind, mode), position) in PLAN.iter().zip(1..) {
        let stage = interview_stage::ActiveModel {
            posting_id: Set(posting.id),
            position: Set(position),
            name: Set((*name).to_owned()),
            kind: Set(*kind),
            mode: Set(*mode),
            created_at: Set(created),
            updated_at: Set(created),
            ..Default::default()
        }
        .insert(db)
        .await
        .expect("a stage");
        stages.push(stage.id);
    }
    for case in CASES {
        let email = format!("{}@{slug}.example.com", case.name.to_lowercase());
        let Some(Enter(first, applied)) = case.history.first().copied() else {
            panic!("{} must start by applying", case.name);
        };
        let candidate = candidate::ActiveModel {
            email: Set(email.clone()),
            email_normalized: Set(email),
            name: Set(case.name.to_owned()),
            links: Set(json!([])),
            source: Set(case.source),
            created_at: Set(at(applied)),
            updated_at: Set(at(applied)),
            ..Default::default()
        }
        .insert(db)
        .await
        .expect("a candidate");
        // The application in its final state; its history below.
        let (mut stage, mut status, mut reason) = (stages[first], ACTIVE, None);
        let mut rows = Vec::new();
        let mut previous: Option<(i64, ApplicationStatus)> = None;
        for event in case.history {
            let when = match *event {
                Enter(index, when) => {
                    stage = stages[index];
                    when
                }
                Status(to, why, when) => {
                    (status, reason) = (to, why);
                    when
                }
            };
            rows.push((previous, stage, status, at(when)));
            previous = Some((stage, status));
        }
        let last = rows.last().map(|row| row.3).expect("a history");
        let application = application::ActiveModel {
            candidate_id: Set(candidate.id),
            posting_id: Set(posting.id),
            current_stage_id: Set(stage),
            status: Set(status),
            rejection_reason: Set(reason),
            version: Set(rows.len() as i32),
            applied_at: Set(at(applied)),
            created_at: Set(at(applied)),
            updated_at: Set(last),
            ..Default::default()
        }
        .insert(db)
        .await
        .expect("an application");
        for (previous, to_stage, to_status, when) in rows {
            stage_transition::ActiveModel {
                application_id: Set(application.id),
                from_stage_id: Set(previous.map(|(s, _)| s)),
                to_stage_id: Set(to_stage),
                from_status: Set(previous.map(|(_, s)| s)),
                to_status: Set(to_status),
                occurred_at: Set(when),
                ..Default::default()
            }
            .insert(db)
            .await
            .expect("a transition");
        }
    }
}

/// A duration as the API shows it.
fn duration(seconds: i64) -> Value {
    let round = |x: f64| (x * 100.0).round() / 100.0;
    json!({
        "seconds": seconds,
        "hours": round(seconds as f64 / 3600.0),
        "days": round(seconds as f64 / 86_400.0),
    })
}

/// Asserts one stage's figures; the conversion rate must be `advanced / entered`.
fn assert_stage(
    actual: &Value,
    (position, name): (i64, &str),
    (current, entered, advanced): (i64, i64, i64),
    median_seconds: Option<i64>,
) {
    let mut figures = actual.clone();
    let rate = figures
        .as_object_mut()
        .and_then(|f| f.remove("conversionRate"))
        .expect("a conversion rate");
    assert_eq!(
        figures,
        json!({
            "stage": { "position": position, "name": name },
            "current": current,
            "entered": entered,
            "advanced": advanced,
            "medianTimeInStage": median_seconds.map_or(Value::Null, duration),
        }),
        "stage {position}"
    );
    if entered == 0 {
        assert_eq!(rate, Value::Null, "stage {position}");
    } else {
        assert_rate(&rate, advanced as f64 / entered as f64);
    }
}

/// Asserts a rate, to the precision JSON numbers keep.
fn assert_rate(actual: &Value, expected: f64) {
    let actual = actual.as_f64().expect("a rate");
    assert!((actual - expected).abs() < 1e-12, "{actual} != {expected}");
}

async fn funnel(app: &TestApp, token: &str, slug: &str) -> Value {
    app.graphql(Some(token), FUNNEL, json!({ "slug": slug }))
        .await
        .data()["posting"]["funnel"]
        .clone()
}

#[tokio::test]
async fn every_figure_of_a_data_set_built_for_it() {
    let app = TestApp::demo().await;
    add_data_set(&app, "funnel-figures").await;
    let figures = funnel(&app, &app.admin(), "funnel-figures").await;

    assert_eq!(figures["totalApplications"], 10);
    let stages = figures["stages"].as_array().expect("stages");
    // Stage 1: everyone applied there; Fay is still there. All moved on but
    // Eli (withdrew), Fay and Gus (rejected). Finished stays, sorted:
    // 2h (Dee), 2h (Kai), 3h (Ivy: 3h and 0.25s), 4h (Bea), 5h (Hal),
    // 6h (Cy), 10h (Ada): seven, the median is the fourth.
    assert_stage(
        &stages[0],
        (1, "Application review"),
        (1, 10, 7),
        Some(h(4) / 1000),
    );
    assert_rate(&stages[0]["conversionRate"], 0.7);
    // Stage 2: Ada, Cy (twice), Dee (twice), Hal, Ivy and Kai entered; Cy and
    // Hal are there now. Ada, Cy, Dee and Kai reached stage 3 afterwards.
    // Finished stays: 2h (Dee), 3h (Kai), 12h (Cy), 20h (Ada): four, the
    // median is the mean of 3h and 12h.
    assert_stage(&stages[1], (2, "Recruiter screen"), (2, 6, 4), Some(27_000));
    // Stage 3: Ada, Bea (skipping stage 2), Cy, Dee and Kai entered; Bea is
    // there now; nobody reached stage 4 (Cy and Dee went back, Ada and Kai
    // were hired there). Finished stays: 1h (Dee), 6h (Cy).
    assert_stage(
        &stages[2],
        (3, "Team interview"),
        (1, 5, 0),
        Some(h(7) / 2 / 1000),
    );
    assert_rate(&stages[2]["conversionRate"], 0.0);
    // Stage 4: nobody yet, so no conversion rate and no median.
    assert_stage(&stages[3], (4, "Reference check"), (0, 0, 0), None);
    assert_eq!(stages.len(), 4);

    // Hired after 100h (Ada) and 39h (Kai): the median is their mean, 69.5h.
    assert_eq!(figures["hired"], 2);
    assert_eq!(figures["timeToHire"], duration(250_200));
    assert_eq!(
        figures["timeToHire"],
        json!({ "seconds": 250_200, "hours": 69.5, "days": 2.9 })
    );
    // Hal's rejection was undone by reopening.
    assert_eq!(
        figures["rejectionsByReason"],
        json!([
            { "reason": "LACKS_REQUIRED_SKILLS", "count": 2 },
            { "reason": "NOT_A_FIT", "count": 1 },
        ])
    );
    assert_eq!(
        figures["applicationsBySource"],
        json!([
            { "source": "CAREERS_SITE", "count": 4 },
            { "source": "REFERRAL", "count": 3 },
            { "source": "SOURCED", "count": 2 },
            { "source": "AGENCY", "count": 1 },
        ])
    );
}

#[tokio::test]
async fn the_demo_postings_figures_match_its_fixture() {
    let app = TestApp::demo().await;
    let figures = funnel(&app, &app.admin(), "senior-backend-engineer-elixir").await;
    // Nine applications; Thabo withdrew at stage 3 and Samuel was rejected at 5.
    assert_eq!(figures["totalApplications"], 9);
    let stages = figures["stages"].as_array().expect("stages");
    assert_eq!(stages.len(), 8);
    let counts: Vec<(i64, i64, i64, i64)> = stages
        .iter()
        .map(|s| {
            let n = |field: &str| s[field].as_i64().expect("a count");
            (
                s["stage"]["position"].as_i64().expect("a position"),
                n("current"),
                n("entered"),
                n("advanced"),
            )
        })
        .collect();
    assert_eq!(
        counts,
        [
            (1, 1, 9, 8),
            (2, 1, 8, 7),
            (3, 1, 7, 5),
            (4, 1, 5, 4),
            (5, 0, 4, 3),
            (6, 1, 3, 2),
            (7, 1, 2, 1),
            (8, 1, 1, 0),
        ]
    );
    let rates = [
        8. / 9.,
        7. / 8.,
        5. / 7.,
        4. / 5.,
        3. / 4.,
        2. / 3.,
        1. / 2.,
        0.,
    ];
    for (stage, rate) in stages.iter().zip(rates) {
        assert_rate(&stage["conversionRate"], rate);
    }
    // Every instant of the demo is a whole number of minutes from the same
    // midnight, so stays have exact lengths whenever the demo is loaded; the
    // last stage has no finished stay (Grace is still there).
    let medians: Vec<Value> = stages
        .iter()
        .map(|s| s["medianTimeInStage"]["seconds"].clone())
        .collect();
    assert_eq!(
        medians,
        [
            json!(173_100),
            json!(263_700),
            json!(263_700),
            json!(522_900),
            json!(263_700),
            json!(341_100),
            json!(350_100),
            Value::Null
        ]
    );
    assert_eq!(figures["hired"], 0);
    assert_eq!(figures["timeToHire"], Value::Null);
    assert_eq!(
        figures["rejectionsByReason"],
        json!([{ "reason": "LACKS_REQUIRED_SKILLS", "count": 1 }])
    );
    assert_eq!(
        figures["applicationsBySource"],
        json!([
            { "source": "CAREERS_SITE", "count": 7 },
            { "source": "REFERRAL", "count": 1 },
            { "source": "SOURCED", "count": 1 },
        ])
    );

    // The closed posting: Camille was rejected at stage 2, the draft has no
    // applications but lists its plan.
    let closed = funnel(&app, &app.admin(), "backend-engineer-elixir").await;
    assert_eq!(closed["totalApplications"], 1);
    assert_eq!(
        closed["rejectionsByReason"],
        json!([{ "reason": "POSITION_FILLED", "count": 1 }])
    );
    let draft = funnel(&app, &app.admin(), "senior-frontend-engineer-react").await;
    assert_eq!(draft["totalApplications"], 0);
    assert_eq!(draft["stages"].as_array().map(Vec::len), Some(4));
    assert!(
        draft["stages"]
            .as_array()
            .expect("stages")
            .iter()
            .all(|s| s["entered"] == 0 && s["conversionRate"].is_null())
    );
    assert_eq!(draft["applicationsBySource"], json!([]));
}

const ALL_FUNNELS: &str = r#"query($n: Int!) {
    postings(first: $n, filter: {statuses: [OPEN]}) {
        edges { node {
            slug
            funnel {
                totalApplications
                stages { stage { name } current entered advanced conversionRate medianTimeInStage { seconds } }
                hired
                timeToHire { seconds }
                rejectionsByReason { reason count }
                applicationsBySource { source count }
            }
        } }
    }
}"#;

#[tokio::test]
async fn the_funnels_of_many_postings_cost_the_statements_of_one() {
    let app = TestApp::demo().await;
    for i in 0..8 {
        add_data_set(&app, &format!("funnel-copy-{i}")).await;
    }
    let token = app.admin();
    let mut runs = Vec::new();
    for n in [1, 9] {
        let before = app.statements();
        let reply = app
            .graphql(Some(&token), ALL_FUNNELS, json!({ "n": n }))
            .await;
        runs.push((app.statements() - before, reply.data().clone()));
    }
    let (one, _) = &runs[0];
    let (nine, data) = &runs[1];
    assert_eq!(
        one, nine,
        "statements must not grow with the number of postings"
    );
    // The viewer, the page of postings, and one statement per figure.
    assert!(
        *nine <= 12,
        "{nine} statements for the funnels is more than expected"
    );
    let edges = data["postings"]["edges"].as_array().expect("edges");
    assert_eq!(edges.len(), 9);
    // Each copy has its own figures, the same as the others'.
    let copies: Vec<&Value> = edges
        .iter()
        .filter(|e| {
            e["node"]["slug"]
                .as_str()
                .is_some_and(|s| s.starts_with("funnel-copy-"))
        })
        .map(|e| &e["node"]["funnel"])
        .collect();
    assert_eq!(copies.len(), 8);
    assert!(copies.iter().all(|f| *f == copies[0]));
    assert_eq!(copies[0]["totalApplications"], 10);
    assert_eq!(copies[0]["hired"], 2);
    assert_eq!(copies[0]["stages"][1]["entered"], 6);
    assert_eq!(
        copies[0]["stages"][1]["medianTimeInStage"]["seconds"],
        27_000
    );
    assert_eq!(copies[0]["timeToHire"]["seconds"], 250_200);
    let demo = edges
        .iter()
        .find(|e| e["node"]["slug"] == "senior-backend-engineer-elixir")
        .expect("the demo posting");
    assert_eq!(demo["node"]["funnel"]["totalApplications"], 9);
}

#[tokio::test]
async fn only_admins_recruiters_and_the_postings_hiring_manager_see_its_funnel() {
    let app = TestApp::demo().await;
    let slug = "senior-backend-engineer-elixir";
    let query =
        r#"query($slug: String!) { posting(slug: $slug) { title funnel { totalApplications } } }"#;
    let variables = json!({ "slug": slug });

    let anonymous = app.graphql(None, query, variables.clone()).await;
    assert_eq!(
        anonymous.body["data"]["posting"]["title"],
        "Senior Backend Engineer (Elixir)"
    );
    assert_eq!(anonymous.body["data"]["posting"]["funnel"], Value::Null);
    assert_eq!(anonymous.error_codes(), ["UNAUTHENTICATED"]);
    assert_eq!(
        anonymous.body["errors"][0]["path"],
        json!(["posting", "funnel"])
    );

    let other_manager = app.token("marta.oliveira@hiregraph.example", Role::HiringManager);
    let interviewer = app.token(INTERVIEWER, Role::Interviewer);
    for token in [&interviewer, &other_manager] {
        let reply = app.graphql(Some(token), query, variables.clone()).await;
        assert_eq!(reply.body["data"]["posting"]["funnel"], Value::Null);
        assert_eq!(reply.error_codes(), ["FORBIDDEN"]);
        assert_eq!(
            reply.body["errors"][0]["path"],
            json!(["posting", "funnel"])
        );
    }

    let manager = app.token(HIRING_MANAGER, Role::HiringManager);
    let recruiter = app.token(RECRUITER, Role::Recruiter);
    for token in [&manager, &recruiter, &app.admin()] {
        let reply = app.graphql(Some(token), query, variables.clone()).await;
        assert_eq!(reply.data()["posting"]["funnel"]["totalApplications"], 9);
    }
}
