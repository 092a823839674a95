//! Property tests of the pipeline: random sequences of operations through
//! the domain layer, with the invariants of the data checked after each one.
//!
//! Each run migrates a database of its own (a SQLite file in a temporary
//! directory, or a scratch Postgres database when `DATABASE_URL` points at
//! Postgres, dropped at the end) and loads the demo data once for its staff,
//! teams, regions, levels and compensation bands. Each case then builds a
//! small world of its own beside it: a posting open in Remote-Africa with
//! one or two openings and a four-stage plan (review, recruiter screen,
//! team interview, offer), three new interviewers, and three applicants,
//! each taken (by the domain functions) to a generated starting point
//! between "just applied" and "offer sent". It then runs up to 30
//! operations, calling the functions the GraphQL mutations call with the
//! rows read fresh as the resolvers read them: apply, move (next stage, any
//! stage with or without a reason, or with an outdated version), reject,
//! withdraw, reopen, hire; schedule, reschedule, cancel, complete, send an
//! assignment; create and revise an offer, submit, approve (as the hiring
//! manager or an admin), turn down, send, accept, decline, withdraw it.
//! Operations name their target by its place among what the case has at
//! that moment, and meetings fall into one afternoon, so interviewers'
//! bookings clash often.
//!
//! A refusal (a user error) is an expected outcome; an internal error fails
//! the case. After every operation:
//!
//! - every application is at one stage of its posting's plan;
//! - its transition log starts with applying, links each change to the one
//!   before, replays to its current stage and status, and counts its version;
//! - no two overlapping scheduled meetings share an interviewer or a
//!   candidate (the interviewers' check is one SQL self-join);
//! - offer versions are numbered 1..n and only the latest still moves; at
//!   most one is accepted; accepted means hired and hired means accepted;
//! - a posting has at least one opening, and is CLOSED as FILLED once its
//!   hires reach them (hires beyond the openings: see
//!   `an_offer_accepted_after_the_posting_filled_hires_beyond_its_openings`);
//! - a change is in the audit log (one event, its action and object), and a
//!   refusal wrote nothing at all.
//!
//! A failing case shrinks to the shortest sequence that still breaks an
//! invariant, printed with each step's outcome. The run ends with a table of
//! how often each operation succeeded or was refused, and with which codes.
//!
//! The domain functions are called directly rather than through the HTTP
//! server: they are where the rules live, and this keeps a case (its world,
//! up to 30 operations and the checks after each) to a few hundred
//! milliseconds. The e2e suite covers the GraphQL layer above them.
//!
//! `PROPTEST_CASES` sets the number of cases (default 32); `INVARIANT_OPS`
//! the longest sequence (default 30).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, Duration, DurationRound, Utc};
use entity::enums::{
    ApplicationStatus, CloseReason, InterviewStatus, OfferStatus, PayInterval, PostingStatus,
    RejectionReason, Role, StageKind, StageMode,
};
use entity::{
    application, audit_event, candidate, geo_zone, geo_zone_country, interview,
    interview_interviewer, interview_stage, offer, posting, posting_level, posting_region,
    posting_team, stage_transition, user,
};
use hiregraph_api::config::DbConfig;
use hiregraph_api::domain::applying::{self, Applicant};
use hiregraph_api::domain::audit::Actor;
use hiregraph_api::domain::offers::{self, BandKey, MoneyDraft, StatusChange, TermsDraft};
use hiregraph_api::domain::scheduling::{self, Slot};
use hiregraph_api::domain::{pipeline, write};
use hiregraph_api::error::{Failure, UserErrorCode};
use migration::{Migrator, MigratorTrait};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestError, TestRunner};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, Database as SeaDatabase, DatabaseConnection,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

/// The employer's headcount, as the server's default configuration says.
const HEADCOUNT: u32 = 280;
/// Applicants a case may have (three apply when the world is built).
const PEOPLE: usize = 6;
/// Where they live: all in Remote-Africa, in zones C and D of the bands.
const COUNTRIES: [&str; PEOPLE] = ["KE", "NG", "RW", "UG", "GH", "ZA"];
/// Stages of a case's plan; the last is the offer stage.
const STAGES: i32 = 4;
/// Half-hour slots meetings may start in.
const SLOTS: u32 = 8;

// ---------------------------------------------------------------------------
// Operations
// ---------------------------------------------------------------------------

/// How much an offer pays.
#[derive(Clone, Copy, Debug)]
enum Pay {
    /// This far (in percent) from the band's minimum to its maximum.
    InBand(u8),
    /// Above the band, with or without the reason for the exception.
    AboveBand { reason: bool },
}

/// Where an applicant of a case starts: the stages of the plan, then the
/// offer at the offer stage as far as SENT. Each is reached through the
/// domain functions, as the operations are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Start {
    Applied,
    Screen,
    Interview,
    OfferStage,
    OfferDraft,
    OfferPending,
    OfferApproved,
    OfferSent,
}

fn start() -> impl Strategy<Value = Start> {
    prop_oneof![
        Just(Start::Applied),
        Just(Start::Screen),
        Just(Start::Interview),
        Just(Start::OfferStage),
        Just(Start::OfferDraft),
        Just(Start::OfferPending),
        Just(Start::OfferApproved),
        Just(Start::OfferSent),
    ]
}

/// Which interview or offer version an operation acts on: the newest, or
/// one by its place in creation order (modulo their number).
#[derive(Clone, Copy, Debug)]
enum Pick {
    Last,
    At(usize),
}

/// One thing a recruiter, hiring manager or candidate does. `app`,
/// `interview` and `offer` index (modulo their number) the case's
/// applications, interviews and offer versions in creation order.
#[derive(Clone, Debug)]
enum Op {
    Apply {
        person: usize,
    },
    /// To the next stage, no reason needed.
    Advance {
        app: usize,
    },
    /// To any stage of the plan, with or without a reason.
    Move {
        app: usize,
        position: i32,
        reason: bool,
    },
    /// A move based on an outdated version (must be CONFLICT).
    MoveStale {
        app: usize,
    },
    Reject {
        app: usize,
    },
    Withdraw {
        app: usize,
    },
    Reopen {
        app: usize,
        reason: bool,
    },
    Hire {
        app: usize,
    },
    Schedule {
        app: usize,
        slot: u32,
        halves: u32,
        /// Which of the three interviewers (bits 0..2).
        interviewers: u8,
    },
    SendAssignment {
        app: usize,
        reviewer: usize,
    },
    Reschedule {
        interview: Pick,
        slot: u32,
        halves: u32,
    },
    Cancel {
        interview: Pick,
    },
    Complete {
        interview: Pick,
    },
    CreateOffer {
        app: usize,
        level: usize,
        pay: Pay,
    },
    ReviseOffer {
        offer: Pick,
        pay: Pay,
    },
    Submit {
        offer: Pick,
    },
    Approve {
        offer: Pick,
        admin: bool,
    },
    RejectApproval {
        offer: Pick,
    },
    Send {
        offer: Pick,
    },
    Accept {
        offer: Pick,
    },
    Decline {
        offer: Pick,
    },
    WithdrawOffer {
        offer: Pick,
    },
}

fn pay() -> impl Strategy<Value = Pay> {
    prop_oneof![
        4 => (0..=100u8).prop_map(Pay::InBand),
        1 => any::<bool>().prop_map(|reason| Pay::AboveBand { reason }),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    // Most operations fall on the first applications, so that some of them
    // get far enough down the plan for offers; any may be picked.
    let app = || prop_oneof![3 => Just(0usize), 2 => Just(1usize), 2 => 0..6usize];
    let interview = || prop_oneof![1 => Just(Pick::Last), 2 => (0..6usize).prop_map(Pick::At)];
    let offer = || prop_oneof![3 => Just(Pick::Last), 1 => (0..4usize).prop_map(Pick::At)];
    let slot = || (0..SLOTS, 1..=3u32);
    prop_oneof![
        2 => (0..PEOPLE).prop_map(|person| Op::Apply { person }),
        6 => app().prop_map(|app| Op::Advance { app }),
        2 => (app(), 1..=STAGES, any::<bool>())
            .prop_map(|(app, position, reason)| Op::Move { app, position, reason }),
        1 => app().prop_map(|app| Op::MoveStale { app }),
        1 => app().prop_map(|app| Op::Reject { app }),
        1 => app().prop_map(|app| Op::Withdraw { app }),
        2 => (app(), any::<bool>()).prop_map(|(app, reason)| Op::Reopen { app, reason }),
        1 => app().prop_map(|app| Op::Hire { app }),
        5 => (app(), slot(), 1..=7u8).prop_map(|(app, (slot, halves), interviewers)| {
            Op::Schedule { app, slot, halves, interviewers }
        }),
        2 => (app(), 0..3usize).prop_map(|(app, reviewer)| Op::SendAssignment { app, reviewer }),
        3 => (interview(), slot())
            .prop_map(|(interview, (slot, halves))| Op::Reschedule { interview, slot, halves }),
        1 => interview().prop_map(|interview| Op::Cancel { interview }),
        2 => interview().prop_map(|interview| Op::Complete { interview }),
        4 => (app(), 0..2usize, pay()).prop_map(|(app, level, pay)| Op::CreateOffer { app, level, pay }),
        1 => (offer(), pay()).prop_map(|(offer, pay)| Op::ReviseOffer { offer, pay }),
        5 => offer().prop_map(|offer| Op::Submit { offer }),
        5 => (offer(), any::<bool>()).prop_map(|(offer, admin)| Op::Approve { offer, admin }),
        1 => offer().prop_map(|offer| Op::RejectApproval { offer }),
        5 => offer().prop_map(|offer| Op::Send { offer }),
        5 => offer().prop_map(|offer| Op::Accept { offer }),
        1 => offer().prop_map(|offer| Op::Decline { offer }),
        1 => offer().prop_map(|offer| Op::WithdrawOffer { offer }),
    ]
}

/// What an operation came to.
enum Outcome {
    /// It had nothing to act on (no application, interview or offer yet).
    Skipped,
    /// It changed something; the audit log must say so with `action`.
    Done {
        action: &'static str,
        object_type: &'static str,
        object_id: i64,
    },
    /// It was refused with these user error codes; nothing may be written.
    Refused(Vec<String>),
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Skipped => write!(f, "skipped (nothing to act on)"),
            Outcome::Done {
                action, object_id, ..
            } => write!(f, "ok: {action} #{object_id}"),
            Outcome::Refused(codes) => write!(f, "refused: {}", codes.join(", ")),
        }
    }
}

// ---------------------------------------------------------------------------
// The world of a case
// ---------------------------------------------------------------------------

/// What every case shares: the database and the demo data's reference rows.
struct Shared {
    db: DatabaseConnection,
    admin_id: i64,
    /// The demo posting the cases' postings copy.
    template: posting::Model,
    levels: Vec<i64>,
    regions: Vec<i64>,
    teams: Vec<i64>,
    cases: AtomicU64,
    /// How often each operation succeeded, was refused or had no target.
    tally: Mutex<BTreeMap<String, Tally>>,
}

/// How often an operation succeeded, was refused (and with which codes)
/// or had no target.
#[derive(Clone, Debug, Default)]
struct Tally {
    ok: u32,
    refused: BTreeMap<String, u32>,
    skipped: u32,
}

/// One case's posting, people and clock.
struct World<'a> {
    shared: &'a Shared,
    case: u64,
    posting_id: i64,
    stages: Vec<interview_stage::Model>,
    interviewers: [i64; 3],
    /// The start of the window meetings are booked in.
    window: DateTime<Utc>,
    step: usize,
}

type Fallible<T> = Result<T, String>;

fn internal(context: &str, err: impl fmt::Debug) -> String {
    format!("{context}: {err:?}")
}

impl Shared {
    async fn new(db: DatabaseConnection) -> Fallible<Shared> {
        Migrator::up(&db, None)
            .await
            .map_err(|e| internal("migrate", e))?;
        hiregraph_api::seed::load_demo(&db)
            .await
            .map_err(|e| internal("load the demo data", e))?;
        let admin_id = user::Entity::find()
            .filter(user::Column::Role.eq(Role::Admin))
            .one(&db)
            .await
            .map_err(|e| internal("find the admin", e))?
            .ok_or("the demo data has no admin")?
            .id;
        let template = posting::Entity::find()
            .filter(posting::Column::Slug.eq("senior-backend-engineer-elixir"))
            .one(&db)
            .await
            .map_err(|e| internal("find the demo posting", e))?
            .ok_or("the demo data has no Elixir posting")?;
        let levels = posting_level::Entity::find()
            .filter(posting_level::Column::PostingId.eq(template.id))
            .order_by_asc(posting_level::Column::LevelId)
            .all(&db)
            .await
            .map_err(|e| internal("levels", e))?
            .into_iter()
            .map(|l| l.level_id)
            .collect();
        let regions = posting_region::Entity::find()
            .filter(posting_region::Column::PostingId.eq(template.id))
            .all(&db)
            .await
            .map_err(|e| internal("regions", e))?
            .into_iter()
            .map(|r| r.region_id)
            .collect();
        let teams = posting_team::Entity::find()
            .filter(posting_team::Column::PostingId.eq(template.id))
            .all(&db)
            .await
            .map_err(|e| internal("teams", e))?
            .into_iter()
            .map(|t| t.team_id)
            .collect();
        Ok(Shared {
            db,
            admin_id,
            template,
            levels,
            regions,
            teams,
            cases: AtomicU64::new(0),
            tally: Mutex::new(BTreeMap::new()),
        })
    }

    /// Counts `outcome` of `op` in the tally.
    fn count(&self, op: &Op, outcome: &Outcome) {
        let debug = format!("{op:?}");
        let name = debug
            .split([' ', '{'])
            .next()
            .unwrap_or_default()
            .to_owned();
        if let Ok(mut tally) = self.tally.lock() {
            let entry = tally.entry(name).or_default();
            match outcome {
                Outcome::Done { .. } => entry.ok += 1,
                Outcome::Refused(codes) => {
                    for code in codes {
                        *entry.refused.entry(code.clone()).or_default() += 1;
                    }
                }
                Outcome::Skipped => entry.skipped += 1,
            }
        }
    }

    /// The tally as a table, and how many operations succeeded in all.
    fn report(&self) -> (String, u32) {
        let tally = self.tally.lock().map(|t| t.clone()).unwrap_or_default();
        let mut lines = vec![format!(
            "{:<16} {:>5} {:>7}  refused with",
            "operation", "ok", "skipped"
        )];
        let mut total = 0;
        for (name, t) in &tally {
            total += t.ok;
            let codes: Vec<String> = t.refused.iter().map(|(c, n)| format!("{c} {n}")).collect();
            lines.push(format!(
                "{name:<16} {:>5} {:>7}  {}",
                t.ok,
                t.skipped,
                codes.join(", ")
            ));
        }
        (lines.join("\n"), total)
    }
}

impl<'a> World<'a> {
    /// A fresh posting (copying the demo posting's levels, regions and
    /// teams) with `openings`, its plan, three interviewers and three
    /// applications.
    async fn build(shared: &'a Shared, openings: i32, starts: &[Start]) -> Fallible<World<'a>> {
        let db = &shared.db;
        let case = shared.cases.fetch_add(1, Ordering::Relaxed) + 1;
        let now = write::now();
        let posting = write::persist::<posting::Entity>(
            db,
            posting::Model {
                id: 0,
                slug: format!("invariants-case-{case}"),
                title: format!("Backend Engineer (case {case})"),
                status: PostingStatus::Open,
                openings,
                published_at: Some(now),
                closed_at: None,
                close_reason: None,
                created_at: now,
                updated_at: now,
                ..shared.template.clone()
            },
            true,
        )
        .await
        .map_err(|e| internal("insert the posting", e))?;
        for &level_id in &shared.levels {
            posting_level::ActiveModel {
                posting_id: Set(posting.id),
                level_id: Set(level_id),
            }
            .insert(db)
            .await
            .map_err(|e| internal("posting level", e))?;
        }
        for &region_id in &shared.regions {
            posting_region::ActiveModel {
                posting_id: Set(posting.id),
                region_id: Set(region_id),
            }
            .insert(db)
            .await
            .map_err(|e| internal("posting region", e))?;
        }
        for &team_id in &shared.teams {
            posting_team::ActiveModel {
                posting_id: Set(posting.id),
                team_id: Set(team_id),
            }
            .insert(db)
            .await
            .map_err(|e| internal("posting team", e))?;
        }
        let plan = [
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
            ("Offer", StageKind::Offer, StageMode::Async),
        ];
        let mut stages = Vec::new();
        for (position, (name, kind, mode)) in (1..).zip(plan) {
            let stage = interview_stage::ActiveModel {
                posting_id: Set(posting.id),
                position: Set(position),
                name: Set(name.to_owned()),
                kind: Set(kind),
                mode: Set(mode),
                duration_minutes: Set((mode == StageMode::Sync).then_some(60)),
                sla_hours: Set((mode == StageMode::Async).then_some(72)),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(db)
            .await
            .map_err(|e| internal("stage", e))?;
            stages.push(stage);
        }
        let mut interviewers = [0; 3];
        for (i, id) in interviewers.iter_mut().enumerate() {
            *id = user::ActiveModel {
                email: Set(format!("interviewer{i}.case{case}@invariants.example")),
                name: Set(format!("Interviewer {i} of case {case}")),
                role: Set(Role::Interviewer),
                time_zone: Set("Africa/Nairobi".to_owned()),
                active: Set(true),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(db)
            .await
            .map_err(|e| internal("interviewer", e))?
            .id;
        }
        let window = (now + Duration::days(3))
            .duration_trunc(Duration::hours(1))
            .map_err(|e| internal("window", e))?;
        let mut world = World {
            shared,
            case,
            posting_id: posting.id,
            stages,
            interviewers,
            window,
            step: 0,
        };
        // The applicants, each taken to where the case starts them.
        for (person, start) in starts.iter().enumerate() {
            let mut steps = vec![Op::Apply { person }];
            let stage = (*start as i32).min(STAGES - 1);
            steps.extend((0..stage).map(|_| Op::Advance { app: person }));
            let offer = Pick::Last;
            let offer_steps = [
                Op::CreateOffer {
                    app: person,
                    level: 0,
                    pay: Pay::InBand(50),
                },
                Op::Submit { offer },
                Op::Approve { offer, admin: true },
                Op::Send { offer },
            ];
            let offer_done = (*start as usize).saturating_sub(Start::OfferStage as usize);
            steps.extend(offer_steps.into_iter().take(offer_done));
            for step in &steps {
                match world.run(step).await? {
                    Outcome::Done { .. } => {}
                    other => {
                        return Err(format!(
                            "could not start applicant {person} at {start:?}: {step:?} -> {other}"
                        ));
                    }
                }
            }
        }
        world.step = 0;
        Ok(world)
    }

    fn db(&self) -> &DatabaseConnection {
        &self.shared.db
    }

    fn actor(&self) -> Actor {
        Actor {
            user_id: Some(self.shared.admin_id),
            request_id: format!("invariants-{}-{}", self.case, self.step),
        }
    }

    fn slot(&self, slot: u32, halves: u32) -> Slot {
        let starts_at = self.window + Duration::minutes(30 * i64::from(slot));
        Slot {
            starts_at,
            ends_at: starts_at + Duration::minutes(30 * i64::from(halves)),
            time_zone: "Africa/Nairobi".to_owned(),
        }
    }

    async fn applications(&self) -> Fallible<Vec<application::Model>> {
        application::Entity::find()
            .filter(application::Column::PostingId.eq(self.posting_id))
            .order_by_asc(application::Column::Id)
            .all(self.db())
            .await
            .map_err(|e| internal("read applications", e))
    }

    async fn application(&self, index: usize) -> Fallible<Option<application::Model>> {
        let all = self.applications().await?;
        Ok(pick(all, index))
    }

    async fn interviews(&self) -> Fallible<Vec<interview::Model>> {
        let ids = self.applications().await?.into_iter().map(|a| a.id);
        interview::Entity::find()
            .filter(interview::Column::ApplicationId.is_in(ids))
            .order_by_asc(interview::Column::Id)
            .all(self.db())
            .await
            .map_err(|e| internal("read interviews", e))
    }

    async fn offers(&self) -> Fallible<Vec<offer::Model>> {
        let ids = self.applications().await?.into_iter().map(|a| a.id);
        offer::Entity::find()
            .filter(offer::Column::ApplicationId.is_in(ids))
            .order_by_asc(offer::Column::Id)
            .all(self.db())
            .await
            .map_err(|e| internal("read offers", e))
    }

    async fn posting(&self) -> Fallible<posting::Model> {
        posting::Entity::find_by_id(self.posting_id)
            .one(self.db())
            .await
            .map_err(|e| internal("read the posting", e))?
            .ok_or_else(|| "the posting is gone".to_owned())
    }

    /// The offer at `index` with its application, as the resolvers read them.
    async fn offer(&self, which: Pick) -> Fallible<Option<(offer::Model, application::Model)>> {
        let Some(offer) = choose(self.offers().await?, which) else {
            return Ok(None);
        };
        let application = application::Entity::find_by_id(offer.application_id)
            .one(self.db())
            .await
            .map_err(|e| internal("read the offer's application", e))?
            .ok_or("an offer's application is gone")?;
        Ok(Some((offer, application)))
    }

    /// The terms of an offer paying `pay` at the posting's level `level`
    /// for `application`'s candidate.
    async fn terms(
        &self,
        application: &application::Model,
        level_id: i64,
        pay: Pay,
    ) -> Fallible<TermsDraft> {
        let db = self.db();
        let country = candidate::Entity::find_by_id(application.candidate_id)
            .one(db)
            .await
            .map_err(|e| internal("read the candidate", e))?
            .and_then(|c| c.country_code);
        let listed = match country {
            Some(country) => geo_zone_country::Entity::find()
                .filter(geo_zone_country::Column::CountryCode.eq(country))
                .one(db)
                .await
                .map_err(|e| internal("read the zone", e))?
                .map(|z| z.geo_zone_id),
            None => None,
        };
        let zone = match listed {
            Some(zone) => Some(zone),
            None => geo_zone::Entity::find()
                .filter(geo_zone::Column::IsFallback.eq(true))
                .one(db)
                .await
                .map_err(|e| internal("read the fallback zone", e))?
                .map(|z| z.id),
        };
        let band = match (self.shared.template.job_family_id, zone) {
            (Some(job_family_id), Some(geo_zone_id)) => {
                let key = BandKey {
                    job_family_id,
                    level_id,
                    geo_zone_id,
                    currency: "USD".into(),
                    interval: PayInterval::Year,
                    day: write::now().date_naive(),
                };
                offers::live_bands(db, std::slice::from_ref(&key))
                    .await
                    .map_err(|e| internal("read the band", e))?
                    .remove(&key)
            }
            _ => None,
        };
        let (min, max, currency) = band
            .map(|b| (b.min_minor, b.max_minor, b.currency))
            .unwrap_or((5_000_000, 9_000_000, "USD".into()));
        let (minor, exception_reason) = match pay {
            Pay::InBand(percent) => (min + (max - min) * i64::from(percent) / 100, None),
            Pay::AboveBand { reason } => (
                max + max / 10,
                reason.then(|| "matches a competing offer".to_owned()),
            ),
        };
        Ok(TermsDraft {
            level_id: Some(level_id),
            team_id: self.shared.teams.first().copied(),
            base_salary: Some(MoneyDraft {
                amount: format!("{}.{:02}", minor / 100, minor % 100),
                currency,
            }),
            interval: Some(PayInterval::Year),
            exception_reason: Some(exception_reason),
            ..Default::default()
        })
    }

    /// Runs `op` as its mutation would.
    async fn run(&mut self, op: &Op) -> Fallible<Outcome> {
        self.step += 1;
        let actor = self.actor();
        let db = self.shared.db.clone();
        let db = &db;
        let outcome = match op {
            Op::Apply { person } => {
                let person = person % PEOPLE;
                let applicant = Applicant {
                    email: format!("Person{person}.Case{}@Invariants.example", self.case),
                    name: format!("Applicant {person} of case {}", self.case),
                    country_code: COUNTRIES[person].to_owned(),
                    time_zone: Some("Africa/Nairobi".to_owned()),
                    consent: true,
                    ..Default::default()
                };
                let anonymous = Actor {
                    user_id: None,
                    ..actor
                };
                match applying::apply(db, &anonymous, self.posting_id, applicant).await {
                    Ok(applied) if applied.already_applied => {
                        // Applying again returns the first application and writes nothing.
                        Ok(Outcome::Refused(vec!["(already applied)".into()]))
                    }
                    Ok(applied) => Ok(done(
                        "application.create",
                        "Application",
                        applied.application.id,
                    )),
                    Err(err) => Err(err),
                }
            }
            Op::Advance { app } => {
                let Some(a) = self.application(*app).await? else {
                    return Ok(Outcome::Skipped);
                };
                let position = self
                    .stages
                    .iter()
                    .find(|s| s.id == a.current_stage_id)
                    .map_or(0, |s| s.position);
                let Some(next) = self.stages.iter().find(|s| s.position == position + 1) else {
                    // At the last stage: there is no next one.
                    return Ok(Outcome::Skipped);
                };
                pipeline::move_to_stage(db, &actor, a.id, a.version, next.id, None)
                    .await
                    .map(|a| done("application.move", "Application", a.id))
            }
            Op::Move {
                app,
                position,
                reason,
            } => {
                let Some(a) = self.application(*app).await? else {
                    return Ok(Outcome::Skipped);
                };
                let stage = self
                    .stages
                    .iter()
                    .find(|s| s.position == *position)
                    .unwrap_or(&self.stages[0]);
                let reason = reason.then(|| "the panel asked for it".to_owned());
                pipeline::move_to_stage(db, &actor, a.id, a.version, stage.id, reason)
                    .await
                    .map(|a| done("application.move", "Application", a.id))
            }
            Op::MoveStale { app } => {
                let Some(a) = self.application(*app).await? else {
                    return Ok(Outcome::Skipped);
                };
                let outcome = pipeline::move_to_stage(
                    db,
                    &actor,
                    a.id,
                    a.version - 1,
                    self.stages[0].id,
                    Some("stale".into()),
                )
                .await;
                match outcome {
                    Err(Failure::Rejected(errors))
                        if errors.iter().any(|e| e.code == UserErrorCode::Conflict) =>
                    {
                        Err(Failure::Rejected(errors))
                    }
                    Err(Failure::Api(err)) => Err(Failure::Api(err)),
                    other => {
                        return Err(format!(
                            "a move based on version {} over version {} was not a CONFLICT: {}",
                            a.version - 1,
                            a.version,
                            match other {
                                Ok(_) => "it succeeded".to_owned(),
                                Err(Failure::Rejected(errors)) => format!("{errors:?}"),
                                Err(Failure::Api(err)) => format!("{err:?}"),
                            }
                        ));
                    }
                }
            }
            Op::Reject { app } => {
                let Some(a) = self.application(*app).await? else {
                    return Ok(Outcome::Skipped);
                };
                pipeline::reject(db, &actor, a.id, a.version, RejectionReason::NotAFit, None)
                    .await
                    .map(|a| done("application.reject", "Application", a.id))
            }
            Op::Withdraw { app } => {
                let Some(a) = self.application(*app).await? else {
                    return Ok(Outcome::Skipped);
                };
                pipeline::withdraw(db, &actor, a.id, a.version, None)
                    .await
                    .map(|a| done("application.withdraw", "Application", a.id))
            }
            Op::Reopen { app, reason } => {
                let Some(a) = self.application(*app).await? else {
                    return Ok(Outcome::Skipped);
                };
                let reason = reason.then(|| "the candidate is available again".to_owned());
                pipeline::reopen(db, &actor, a.id, a.version, reason)
                    .await
                    .map(|a| done("application.reopen", "Application", a.id))
            }
            Op::Hire { app } => {
                let Some(a) = self.application(*app).await? else {
                    return Ok(Outcome::Skipped);
                };
                pipeline::hire(db, &actor, a.id, a.version)
                    .await
                    .map(|a| done("application.hire", "Application", a.id))
            }
            Op::Schedule {
                app,
                slot,
                halves,
                interviewers,
            } => {
                let Some(a) = self.application(*app).await? else {
                    return Ok(Outcome::Skipped);
                };
                let people: Vec<i64> = (0..3)
                    .filter(|i| interviewers & (1 << i) != 0)
                    .map(|i| self.interviewers[i])
                    .collect();
                scheduling::schedule(
                    db,
                    &actor,
                    &a,
                    self.slot(*slot, *halves),
                    people,
                    None,
                    HEADCOUNT,
                )
                .await
                .map(|i| done("interview.schedule", "Interview", i.id))
            }
            Op::SendAssignment { app, reviewer } => {
                let Some(a) = self.application(*app).await? else {
                    return Ok(Outcome::Skipped);
                };
                let reviewer = self.interviewers[reviewer % 3];
                scheduling::send_assignment(db, &actor, &a, vec![reviewer], None, HEADCOUNT)
                    .await
                    .map(|i| done("interview.assign", "Interview", i.id))
            }
            Op::Reschedule {
                interview,
                slot,
                halves,
            } => {
                let Some(i) = choose(self.interviews().await?, *interview) else {
                    return Ok(Outcome::Skipped);
                };
                scheduling::reschedule(db, &actor, &i, self.slot(*slot, *halves))
                    .await
                    .map(|i| done("interview.reschedule", "Interview", i.id))
            }
            Op::Cancel { interview } => {
                let Some(i) = choose(self.interviews().await?, *interview) else {
                    return Ok(Outcome::Skipped);
                };
                scheduling::cancel(db, &actor, &i, "the interviewer is ill".into())
                    .await
                    .map(|i| done("interview.cancel", "Interview", i.id))
            }
            Op::Complete { interview } => {
                let Some(i) = choose(self.interviews().await?, *interview) else {
                    return Ok(Outcome::Skipped);
                };
                scheduling::complete(db, &actor, &i)
                    .await
                    .map(|i| done("interview.complete", "Interview", i.id))
            }
            Op::CreateOffer { app, level, pay } => {
                let Some(a) = self.application(*app).await? else {
                    return Ok(Outcome::Skipped);
                };
                let Some(&level_id) = self
                    .shared
                    .levels
                    .get(level % self.shared.levels.len().max(1))
                else {
                    return Ok(Outcome::Skipped);
                };
                let terms = self.terms(&a, level_id, *pay).await?;
                let posting = self.posting().await?;
                offers::create(db, &actor, &a, &posting, terms)
                    .await
                    .map(|o| done("offer.create", "Offer", o.id))
            }
            Op::ReviseOffer { offer, pay } => {
                let Some((o, a)) = self.offer(*offer).await? else {
                    return Ok(Outcome::Skipped);
                };
                let level_id = o.level_id.unwrap_or(self.shared.levels[0]);
                let mut terms = self.terms(&a, level_id, *pay).await?;
                terms.level_id = None;
                let posting = self.posting().await?;
                offers::revise(db, &actor, &o, &a, &posting, terms)
                    .await
                    .map(|o| done("offer.revise", "Offer", o.id))
            }
            Op::Submit { offer } => self.offer_change(*offer, StatusChange::Submit).await?,
            Op::Approve { offer, admin } => {
                self.offer_change(
                    *offer,
                    StatusChange::Approve {
                        comment: None,
                        by_admin: *admin,
                    },
                )
                .await?
            }
            Op::RejectApproval { offer } => {
                self.offer_change(
                    *offer,
                    StatusChange::RejectApproval {
                        comment: "too high for the team's budget".into(),
                    },
                )
                .await?
            }
            Op::Send { offer } => self.offer_change(*offer, StatusChange::Send).await?,
            Op::Accept { offer } => self.offer_change(*offer, StatusChange::Accept).await?,
            Op::Decline { offer } => {
                self.offer_change(*offer, StatusChange::Decline { reason: None })
                    .await?
            }
            Op::WithdrawOffer { offer } => {
                self.offer_change(*offer, StatusChange::Withdraw { reason: None })
                    .await?
            }
        };
        match outcome {
            Ok(outcome) => Ok(outcome),
            Err(Failure::Rejected(errors)) => Ok(Outcome::Refused(
                errors
                    .iter()
                    .map(|e| format!("{:?}@{}", e.code, e.field.join(".")))
                    .collect(),
            )),
            Err(Failure::Api(err)) => Err(format!("internal error: {err:?}")),
        }
    }

    async fn offer_change(
        &self,
        which: Pick,
        change: StatusChange,
    ) -> Fallible<Result<Outcome, Failure>> {
        let Some((o, a)) = self.offer(which).await? else {
            return Ok(Ok(Outcome::Skipped));
        };
        let action = match change {
            StatusChange::Submit => "offer.submit",
            StatusChange::Approve { .. } => "offer.approve",
            StatusChange::RejectApproval { .. } => "offer.reject_approval",
            StatusChange::Send => "offer.send",
            StatusChange::Accept => "offer.accept",
            StatusChange::Decline { .. } => "offer.decline",
            StatusChange::Withdraw { .. } => "offer.withdraw",
        };
        Ok(
            offers::change_status(self.db(), &self.actor(), &o, &a, change)
                .await
                .map(|o| done(action, "Offer", o.id)),
        )
    }
}

fn done(action: &'static str, object_type: &'static str, object_id: i64) -> Outcome {
    Outcome::Done {
        action,
        object_type,
        object_id,
    }
}

/// The element `index` names, modulo the length; `None` when there is none.
fn pick<T>(mut all: Vec<T>, index: usize) -> Option<T> {
    if all.is_empty() {
        None
    } else {
        let at = index % all.len();
        Some(all.swap_remove(at))
    }
}

/// The element `which` names; `None` when there is none.
fn choose<T>(mut all: Vec<T>, which: Pick) -> Option<T> {
    match which {
        Pick::Last => all.pop(),
        Pick::At(index) => pick(all, index),
    }
}

// ---------------------------------------------------------------------------
// The invariants
// ---------------------------------------------------------------------------

/// What a refused operation must leave unchanged: the number of rows of
/// the tables operations write to.
#[derive(Debug, PartialEq, Eq)]
struct Footprint {
    audit_events: u64,
    transitions: u64,
    interviews: u64,
    offers: u64,
    candidates: u64,
    application_versions: i64,
}

async fn footprint(world: &World<'_>) -> Fallible<Footprint> {
    let db = world.db();
    let e = |e| internal("footprint", e);
    Ok(Footprint {
        audit_events: audit_event::Entity::find().count(db).await.map_err(e)?,
        transitions: stage_transition::Entity::find()
            .count(db)
            .await
            .map_err(e)?,
        interviews: interview::Entity::find().count(db).await.map_err(e)?,
        offers: offer::Entity::find().count(db).await.map_err(e)?,
        candidates: candidate::Entity::find().count(db).await.map_err(e)?,
        application_versions: world
            .applications()
            .await?
            .iter()
            .map(|a| i64::from(a.version))
            .sum(),
    })
}

/// The newest audit event's id.
async fn last_audit_id(db: &DatabaseConnection) -> Fallible<i64> {
    Ok(audit_event::Entity::find()
        .order_by_desc(audit_event::Column::Id)
        .limit(1)
        .one(db)
        .await
        .map_err(|e| internal("audit", e))?
        .map_or(0, |e| e.id))
}

/// Checks every invariant of the case's data; the first broken one is the error.
async fn check_invariants(world: &World<'_>) -> Fallible<()> {
    let db = world.db();
    let posting = world.posting().await?;
    let applications = world.applications().await?;
    let plan: HashMap<i64, &interview_stage::Model> =
        world.stages.iter().map(|s| (s.id, s)).collect();
    let app_ids: Vec<i64> = applications.iter().map(|a| a.id).collect();

    // 1. Every application has one current stage, in its posting's plan.
    let stage_rows = interview_stage::Entity::find()
        .filter(interview_stage::Column::PostingId.eq(world.posting_id))
        .count(db)
        .await
        .map_err(|e| internal("plan", e))?;
    if stage_rows != world.stages.len() as u64 {
        return Err(format!(
            "the plan has {stage_rows} stages, not {}",
            world.stages.len()
        ));
    }
    for a in &applications {
        if !plan.contains_key(&a.current_stage_id) {
            return Err(format!(
                "application {} ({:?}) is at stage {}, which is not in its posting's plan",
                a.id, a.status, a.current_stage_id
            ));
        }
    }

    // 2. The transition log replays to each application's stage, status and version.
    let transitions = stage_transition::Entity::find()
        .filter(stage_transition::Column::ApplicationId.is_in(app_ids.clone()))
        .order_by_asc(stage_transition::Column::Id)
        .all(db)
        .await
        .map_err(|e| internal("transitions", e))?;
    let mut logs: BTreeMap<i64, Vec<&stage_transition::Model>> = BTreeMap::new();
    for t in &transitions {
        logs.entry(t.application_id).or_default().push(t);
    }
    for a in &applications {
        let log = logs.get(&a.id).map(Vec::as_slice).unwrap_or_default();
        let Some(first) = log.first() else {
            return Err(format!("application {} has no transition log", a.id));
        };
        if first.from_stage_id.is_some()
            || first.from_status.is_some()
            || first.to_status != ApplicationStatus::Active
        {
            return Err(format!(
                "application {}'s log does not start with applying: {first:?}",
                a.id
            ));
        }
        let mut stage = first.to_stage_id;
        let mut status = first.to_status;
        for t in &log[1..] {
            if t.from_stage_id != Some(stage) || t.from_status != Some(status) {
                return Err(format!(
                    "application {}'s log breaks: after stage {stage} ({status:?}) comes {t:?}",
                    a.id
                ));
            }
            if t.to_stage_id == stage && t.to_status == status {
                return Err(format!(
                    "application {}'s log has a transition that changes nothing: {t:?}",
                    a.id
                ));
            }
            if !plan.contains_key(&t.to_stage_id) {
                return Err(format!(
                    "application {}'s log moves to stage {}, outside the plan",
                    a.id, t.to_stage_id
                ));
            }
            stage = t.to_stage_id;
            status = t.to_status;
        }
        if (stage, status) != (a.current_stage_id, a.status) {
            return Err(format!(
                "application {}'s log replays to stage {stage} ({status:?}), but it is at stage {} ({:?})",
                a.id, a.current_stage_id, a.status
            ));
        }
        if i64::from(a.version) != log.len() as i64 {
            return Err(format!(
                "application {} is at version {} after {} logged transitions",
                a.id,
                a.version,
                log.len()
            ));
        }
    }

    // 3. Nobody is double-booked: no two overlapping scheduled meetings
    //    share one of the case's interviewers (or its candidate). Only the
    //    case's own people are looked at, so that a case that failed leaves
    //    nothing behind that fails the next ones.
    let people = world
        .interviewers
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let clashes = db
        .query_all_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            format!(
                "SELECT a.id AS first, b.id AS second, ia.user_id AS interviewer \
                 FROM interviews a \
                 JOIN interviews b ON a.id < b.id \
                     AND b.status = 'SCHEDULED' AND b.ends_at IS NOT NULL \
                     AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at \
                 JOIN interview_interviewers ia ON ia.interview_id = a.id \
                 JOIN interview_interviewers ib ON ib.interview_id = b.id AND ib.user_id = ia.user_id \
                 WHERE a.status = 'SCHEDULED' AND a.ends_at IS NOT NULL \
                     AND ia.user_id IN ({people})"
            ),
        ))
        .await
        .map_err(|e| internal("double bookings", e))?;
    if let Some(row) = clashes.first() {
        let get = |column: &str| row.try_get::<i64>("", column).unwrap_or(-1);
        return Err(format!(
            "interviewer {} is double-booked in interviews {} and {}",
            get("interviewer"),
            get("first"),
            get("second")
        ));
    }
    // The same, in Rust, for the candidate (the SQL above compares stored
    // timestamps; this compares them as times).
    let meetings = interview::Entity::find()
        .filter(interview::Column::ApplicationId.is_in(app_ids.clone()))
        .filter(interview::Column::Status.eq(InterviewStatus::Scheduled))
        .filter(interview::Column::EndsAt.is_not_null())
        .all(db)
        .await
        .map_err(|e| internal("meetings", e))?;
    let by_app: HashMap<i64, &application::Model> =
        applications.iter().map(|a| (a.id, a)).collect();
    let people = interview_interviewer::Entity::find()
        .filter(interview_interviewer::Column::InterviewId.is_in(meetings.iter().map(|m| m.id)))
        .all(db)
        .await
        .map_err(|e| internal("interviewers", e))?;
    let mut who: HashMap<i64, HashSet<i64>> = HashMap::new();
    for p in &people {
        who.entry(p.interview_id).or_default().insert(p.user_id);
    }
    for (i, m) in meetings.iter().enumerate() {
        for n in &meetings[i + 1..] {
            let (Some(m_end), Some(n_end)) = (m.ends_at, n.ends_at) else {
                continue;
            };
            if m.starts_at < n_end && n.starts_at < m_end {
                let same_candidate = by_app.get(&m.application_id).map(|a| a.candidate_id)
                    == by_app.get(&n.application_id).map(|a| a.candidate_id);
                let shared = who
                    .get(&m.id)
                    .zip(who.get(&n.id))
                    .is_some_and(|(x, y)| !x.is_disjoint(y));
                if same_candidate || shared {
                    return Err(format!(
                        "interviews {} and {} overlap and share {}",
                        m.id,
                        n.id,
                        if shared {
                            "an interviewer"
                        } else {
                            "the candidate"
                        }
                    ));
                }
            }
        }
    }

    // 4. Offers: versions 1..n, only the latest still moving, at most one
    //    accepted per application; accepted means hired, and hired means
    //    through an accepted offer.
    let all_offers = offer::Entity::find()
        .filter(offer::Column::ApplicationId.is_in(app_ids))
        .order_by_asc(offer::Column::Version)
        .all(db)
        .await
        .map_err(|e| internal("offers", e))?;
    let mut versions: BTreeMap<i64, Vec<&offer::Model>> = BTreeMap::new();
    for o in &all_offers {
        versions.entry(o.application_id).or_default().push(o);
    }
    for a in &applications {
        let list = versions.get(&a.id).map(Vec::as_slice).unwrap_or_default();
        for (n, o) in (1..).zip(list) {
            if o.version != n {
                return Err(format!(
                    "application {}'s offers are not numbered 1..n: version {} at place {n}",
                    a.id, o.version
                ));
            }
        }
        if let Some((_, earlier)) = list.split_last()
            && let Some(moving) = earlier.iter().find(|o| {
                !matches!(
                    o.status,
                    OfferStatus::Superseded | OfferStatus::Declined | OfferStatus::Withdrawn
                )
            })
        {
            return Err(format!(
                "offer {} (version {}) is {:?} though a later version exists",
                moving.id, moving.version, moving.status
            ));
        }
        let accepted = list
            .iter()
            .filter(|o| o.status == OfferStatus::Accepted)
            .count();
        if accepted > 1 {
            return Err(format!(
                "application {} has {accepted} accepted offers",
                a.id
            ));
        }
        if accepted == 1 && a.status != ApplicationStatus::Hired {
            return Err(format!(
                "application {} has an accepted offer but is {:?}",
                a.id, a.status
            ));
        }
        if a.status == ApplicationStatus::Hired
            && list
                .last()
                .is_none_or(|o| o.status != OfferStatus::Accepted)
        {
            return Err(format!(
                "application {} is hired without an accepted latest offer",
                a.id
            ));
        }
    }

    // 5. Openings: never below one; hires never exceed them; a posting
    //    whose hires reach its openings is closed as FILLED.
    let hired = applications
        .iter()
        .filter(|a| a.status == ApplicationStatus::Hired)
        .count() as i64;
    if posting.openings < 1 {
        return Err(format!("the posting has {} openings", posting.openings));
    }
    if hired > i64::from(posting.openings) {
        return Err(format!(
            "the posting has {hired} hires for {} openings",
            posting.openings
        ));
    }
    if hired >= i64::from(posting.openings)
        && (posting.status != PostingStatus::Closed
            || posting.close_reason != Some(CloseReason::Filled))
    {
        return Err(format!(
            "the posting has filled its {} openings but is {:?} ({:?})",
            posting.openings, posting.status, posting.close_reason
        ));
    }
    Ok(())
}

/// Checks what `op` left behind beyond the invariants: a change is in the
/// audit log, and a refusal wrote nothing.
async fn check_effects(
    world: &World<'_>,
    outcome: &Outcome,
    before: &Footprint,
    last_audit: i64,
) -> Fallible<()> {
    match outcome {
        Outcome::Done {
            action,
            object_type,
            object_id,
        } => {
            let logged = audit_event::Entity::find()
                .filter(audit_event::Column::Id.gt(last_audit))
                .filter(audit_event::Column::Action.eq(*action))
                .filter(audit_event::Column::ObjectType.eq(*object_type))
                .filter(audit_event::Column::ObjectId.eq(*object_id))
                .count(world.db())
                .await
                .map_err(|e| internal("audit", e))?;
            if logged != 1 {
                return Err(format!(
                    "{logged} audit events say {action} of {object_type} {object_id}, not one"
                ));
            }
        }
        Outcome::Refused(_) | Outcome::Skipped => {
            let after = footprint(world).await?;
            if &after != before {
                return Err(format!(
                    "a refused operation wrote something: {before:?} became {after:?}"
                ));
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Running cases
// ---------------------------------------------------------------------------

/// Builds a world with `openings` and runs `ops` on it, checking after each.
async fn run_case(
    shared: &Shared,
    openings: i32,
    starts: &[Start],
    ops: &[Op],
) -> Result<(), String> {
    let mut world = World::build(shared, openings, starts).await?;
    check_invariants(&world)
        .await
        .map_err(|e| format!("after building the world: {e}"))?;
    let mut transcript = Vec::new();
    for (n, op) in ops.iter().enumerate() {
        let before = footprint(&world).await?;
        let last_audit = last_audit_id(world.db()).await?;
        let result = world.run(op).await;
        if let Ok(outcome) = &result {
            shared.count(op, outcome);
        }
        let line = match &result {
            Ok(outcome) => format!("{:>3}. {op:?} -> {outcome}", n + 1),
            Err(err) => format!("{:>3}. {op:?} -> {err}", n + 1),
        };
        transcript.push(line);
        let broken = match result {
            Err(err) => Some(err),
            Ok(outcome) => match check_effects(&world, &outcome, &before, last_audit).await {
                Err(err) => Some(err),
                Ok(()) => check_invariants(&world).await.err(),
            },
        };
        if let Some(broken) = broken {
            return Err(format!(
                "{broken}\n  (posting {}, {openings} opening(s), applicants starting at {starts:?}; steps:)\n{}",
                world.posting_id,
                transcript.join("\n")
            ));
        }
    }
    Ok(())
}

/// A database of this run's own, and how to drop it afterwards.
struct Scratch {
    url: String,
    drop: Option<(String, String)>,
    file: Option<std::path::PathBuf>,
}

async fn scratch() -> Scratch {
    let name = format!("hiregraph_invariants_{}", uuid::Uuid::new_v4().simple());
    match std::env::var("DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => {
            let admin = SeaDatabase::connect(&url)
                .await
                .expect("connect to Postgres");
            admin
                .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                .await
                .expect("create a scratch database");
            let (base, _) = url
                .rsplit_once('/')
                .expect("a database name in DATABASE_URL");
            Scratch {
                url: format!("{base}/{name}"),
                drop: Some((url.clone(), name)),
                file: None,
            }
        }
        _ => {
            let dir = std::env::temp_dir().join("hiregraph-tests");
            std::fs::create_dir_all(&dir).expect("a temporary directory");
            let path = dir.join(format!("{name}.db"));
            Scratch {
                url: format!("sqlite://{}?mode=rwc", path.display()),
                drop: None,
                file: Some(path),
            }
        }
    }
}

impl Scratch {
    async fn remove(self, db: DatabaseConnection) {
        let _ = db.close().await;
        if let Some((admin_url, name)) = self.drop
            && let Ok(admin) = SeaDatabase::connect(&admin_url).await
        {
            let _ = admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                .await;
        }
        if let Some(path) = self.file {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
        }
    }
}

fn env_number(name: &str, default: u32) -> u32 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Runs `body` over a scratch database with the demo data loaded, then
/// drops the database.
fn with_world<T>(body: impl FnOnce(&tokio::runtime::Runtime, &Shared) -> T) -> T {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let scratch = runtime.block_on(scratch());
    let db = runtime
        .block_on(hiregraph_api::db::connect(&DbConfig {
            db_max_connections: 4,
            db_acquire_timeout: std::time::Duration::from_secs(10),
            ..DbConfig::new(scratch.url.clone())
        }))
        .expect("connect to the scratch database")
        .conn;
    let shared = runtime.block_on(Shared::new(db.clone()));
    let outcome = shared.as_ref().map(|shared| body(&runtime, shared));
    runtime.block_on(scratch.remove(db));
    outcome.unwrap_or_else(|e| panic!("set up the shared data: {e}"))
}

#[test]
fn random_pipeline_operations_keep_every_invariant() {
    let max_ops = env_number("INVARIANT_OPS", 30).max(1) as usize;
    let config = Config {
        cases: env_number("PROPTEST_CASES", 32),
        failure_persistence: None,
        max_shrink_iters: 400,
        ..Config::default()
    };
    let cases = config.cases;
    let (result, report, succeeded) = with_world(|runtime, shared| {
        let mut runner = TestRunner::new(config);
        let strategy = (
            1..=2i32,
            proptest::collection::vec(start(), 3),
            proptest::collection::vec(op(), 1..=max_ops),
        );
        let result = runner.run(&strategy, |(openings, starts, ops)| {
            runtime
                .block_on(run_case(shared, openings, &starts, &ops))
                .map_err(TestCaseError::fail)
        });
        let (report, succeeded) = shared.report();
        (result, report, succeeded)
    });
    eprintln!("{report}");
    match result {
        Ok(()) => assert!(
            succeeded > 0 || cases == 0,
            "no operation succeeded: the cases test nothing"
        ),
        Err(TestError::Fail(reason, (openings, starts, ops))) => {
            let steps: Vec<String> = ops.iter().map(|op| format!("    {op:?},")).collect();
            panic!(
                "an invariant broke; the smallest case found: {openings} opening(s), applicants starting at {starts:?}, then\n{}\n\n{reason}",
                steps.join("\n")
            );
        }
        Err(TestError::Abort(reason)) => panic!("the property test stopped: {reason}"),
    }
}

/// What the random cases once found: with one opening and two offers out,
/// the first acceptance fills the posting and closes it, and the second was
/// still accepted, hiring two people for one opening. It is refused now
/// (NO_OPENINGS_LEFT); this keeps the case.
#[test]
fn an_offer_accepted_after_the_posting_filled_does_not_hire_beyond_its_openings() {
    let starts = [Start::OfferSent, Start::OfferSent, Start::Applied];
    let ops = [
        Op::Accept { offer: Pick::At(0) },
        Op::Accept { offer: Pick::At(1) },
    ];
    let outcome =
        with_world(|runtime, shared| runtime.block_on(run_case(shared, 1, &starts, &ops)));
    if let Err(broken) = outcome {
        panic!("{broken}");
    }
}
