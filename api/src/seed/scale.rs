//! `hiregraph seed --scale N`: a large, deterministic, realistic hiring
//! organisation, for benchmarks and for trying the API on a busy database.
//!
//! At N = 1: about 2,000 postings, 100,000 candidates, 400,000 applications
//! with their full stage history, 800,000 interviews and assignments with
//! their interviewers and scorecards, offers for late-stage applications,
//! compensation bands for every job family × level × geo zone, an exchange
//! rate set, and the staff who do the work (an admin, recruiters, a hiring
//! manager per posting and about 600 interviewers). Every count scales
//! linearly with N (at least one of each); the reference data (teams,
//! regions, skills, zones, levels, job families) is the same at any N.
//!
//! - **Deterministic.** A splitmix64 generator with a fixed seed drives every
//!   choice, and every instant is a whole number of minutes from a fixed
//!   anchor, [`ANCHOR`] (2026-11-02T00:00:00Z, a Monday), never the clock:
//!   the same N gives the same rows, ids included.
//! - **Consistent.** The rows respect what the domain enforces: one current
//!   stage per application whose transition log replays to its stage and
//!   status (version = number of transitions); rejected applications, and
//!   only they, have a reason; hired applications have exactly one accepted
//!   offer and a posting never hires more than its openings; meetings never
//!   overlap for any staff member or candidate (each person's calendar is a
//!   bitmap of half hours, 07:00–19:00 UTC on weekdays, with a daily cap so
//!   a busy week has 5–15 meetings); scorecards only for completed
//!   interviews, from their interviewers, rating every must-have skill.
//! - **Fast.** Ids are assigned here, so children refer to parents without
//!   reading anything back; rows go out as multi-row `INSERT`s of at most
//!   [`MAX_PARAMS`] bind parameters (under SQLite's 32,766 and Postgres's
//!   65,535), parents always flushed before their children, all in one
//!   transaction (all or nothing). On Postgres the id sequences are moved
//!   past the seeded ids at the end, so rows created through the API get
//!   fresh ids, and the tables are analysed.
//! - **Kept.** Candidates consented when they first applied and are retained
//!   until at least two years after the anchor, so the daily retention purge
//!   leaves them alone.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::time::Instant;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, Statement,
    TransactionTrait, Value,
};
use serde_json::json;

use crate::db::begin_write;

/// Every instant of the seeded data is relative to this moment (minutes from it).
pub const ANCHOR: &str = "2026-11-02T00:00:00Z";

/// The most bind parameters one statement carries (both backends accept it).
pub const MAX_PARAMS: usize = 30_000;

/// The largest scale accepted (N = 1 is already 400,000 applications).
pub const MAX_SCALE: f64 = 20.0;

/// The generator's fixed seed.
const SEED: u64 = 0x6869_7265_6772_6170; // "hiregrap"

const MINUTE: i64 = 1;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;

/// What the load wrote: rows per table, in insertion order, and how long it took.
#[derive(Debug, Clone)]
pub struct ScaleSummary {
    /// The scale asked for.
    pub scale: f64,
    /// (table, rows written).
    pub tables: Vec<(&'static str, u64)>,
    /// Seconds from start to commit.
    pub seconds: f64,
    /// Meetings that found no free slot within three weeks (their application stays where it was).
    pub unbooked: u64,
}

impl ScaleSummary {
    /// Rows written to `table`.
    pub fn rows(&self, table: &str) -> u64 {
        self.tables
            .iter()
            .find(|(t, _)| *t == table)
            .map_or(0, |(_, n)| *n)
    }
}

/// Loads the scaled data set into an empty, migrated database, in one
/// transaction. Progress goes to stderr.
pub async fn load_scale(db: &DatabaseConnection, scale: f64) -> Result<ScaleSummary, DbErr> {
    if !scale.is_finite() || scale <= 0.0 || scale > MAX_SCALE {
        return Err(DbErr::Custom(format!(
            "the scale must be a positive number up to {MAX_SCALE}, e.g. 1 or 0.01"
        )));
    }
    let started = Instant::now();
    let txn = begin_write(db).await?;
    if !super::is_empty(&txn).await? {
        return Err(DbErr::Custom(
            "the database already has data; `seed --scale` only loads into an empty database"
                .to_owned(),
        ));
    }
    let mut out = Writer::new(txn.get_database_backend());
    let mut world = World::new(scale);
    world.reference(&mut out);
    world.staff(&mut out);
    out.flush_all(&txn).await?;
    progress(started, "reference data and staff", &out);
    let plans = world.plan_postings();
    world.candidates(&mut out, &plans);
    out.flush_all(&txn).await?;
    progress(started, "candidates", &out);
    let total = plans.len();
    for (i, plan) in plans.into_iter().enumerate() {
        world.posting(&mut out, plan);
        out.flush_full(&txn).await?;
        if (i + 1) % 200 == 0 || i + 1 == total {
            progress(started, &format!("postings {}/{total}", i + 1), &out);
        }
    }
    out.flush_all(&txn).await?;
    txn.commit().await?;
    progress(started, "committed", &out);
    if db.get_database_backend() == DbBackend::Postgres {
        fix_sequences(db).await?;
        db.execute_unprepared("ANALYZE").await?;
        progress(started, "sequences moved and tables analysed", &out);
    }
    Ok(ScaleSummary {
        scale,
        tables: TABLES
            .iter()
            .zip(&out.written)
            .map(|(t, n)| (t.name, *n))
            .collect(),
        seconds: started.elapsed().as_secs_f64(),
        unbooked: world.unbooked,
    })
}

fn progress(started: Instant, what: &str, out: &Writer) {
    let rows: u64 = out.written.iter().sum();
    eprintln!(
        "seed --scale: {what}: {rows} rows so far, {:.1}s",
        started.elapsed().as_secs_f64()
    );
}

/// Moves each id sequence past the largest seeded id (Postgres).
async fn fix_sequences(db: &DatabaseConnection) -> Result<(), DbErr> {
    let txn = db.begin().await?;
    for table in TABLES.iter().filter(|t| t.columns.first() == Some(&"id")) {
        let name = table.name;
        txn.execute_unprepared(&format!(
            "SELECT setval(pg_get_serial_sequence('\"{name}\"', 'id'), \
             COALESCE((SELECT MAX(id) FROM \"{name}\"), 0) + 1, false)"
        ))
        .await?;
    }
    txn.commit().await
}

// ---------------------------------------------------------------------------
// Writing rows in bulk
// ---------------------------------------------------------------------------

/// A table the load writes, with the columns it sets (in order).
struct TableDef {
    name: &'static str,
    columns: &'static [&'static str],
}

// Indexes into TABLES, parents before children.
const USERS: usize = 0;
const TEAMS: usize = 1;
const REGIONS: usize = 2;
const REGION_COUNTRIES: usize = 3;
const SKILLS: usize = 4;
const JOB_FAMILIES: usize = 5;
const LEVELS: usize = 6;
const GEO_ZONES: usize = 7;
const GEO_ZONE_COUNTRIES: usize = 8;
const COMPENSATION_BANDS: usize = 9;
const EXCHANGE_RATE_SETS: usize = 10;
const EXCHANGE_RATES: usize = 11;
const CANDIDATES: usize = 12;
const POSTINGS: usize = 13;
const POSTING_SECTIONS: usize = 14;
const POSTING_RESPONSIBILITIES: usize = 15;
const POSTING_SKILLS: usize = 16;
const POSTING_REGIONS: usize = 17;
const POSTING_TEAMS: usize = 18;
const POSTING_LEVELS: usize = 19;
const INTERVIEW_STAGES: usize = 20;
const POSTING_QUESTIONS: usize = 21;
const APPLICATIONS: usize = 22;
const APPLICATION_ANSWERS: usize = 23;
const STAGE_TRANSITIONS: usize = 24;
const INTERVIEWS: usize = 25;
const INTERVIEW_INTERVIEWERS: usize = 26;
const SCORECARDS: usize = 27;
const SCORECARD_RATINGS: usize = 28;
const OFFERS: usize = 29;
const OFFER_APPROVALS: usize = 30;

const TABLES: &[TableDef] = &[
    TableDef {
        name: "users",
        columns: &[
            "id",
            "email",
            "name",
            "role",
            "time_zone",
            "active",
            "created_at",
            "updated_at",
        ],
    },
    TableDef {
        name: "teams",
        columns: &[
            "id",
            "name",
            "department",
            "vertical",
            "created_at",
            "updated_at",
        ],
    },
    TableDef {
        name: "regions",
        columns: &[
            "id",
            "name",
            "slug",
            "everywhere",
            "created_at",
            "updated_at",
        ],
    },
    TableDef {
        name: "region_countries",
        columns: &["region_id", "country_code"],
    },
    TableDef {
        name: "skills",
        columns: &["id", "name", "name_key", "created_at", "updated_at"],
    },
    TableDef {
        name: "job_families",
        columns: &["id", "name", "created_at", "updated_at"],
    },
    TableDef {
        name: "levels",
        columns: &[
            "id",
            "code",
            "name",
            "track",
            "rank",
            "created_at",
            "updated_at",
        ],
    },
    TableDef {
        name: "geo_zones",
        columns: &["id", "name", "is_fallback", "created_at", "updated_at"],
    },
    TableDef {
        name: "geo_zone_countries",
        columns: &["geo_zone_id", "country_code"],
    },
    TableDef {
        name: "compensation_bands",
        columns: &[
            "id",
            "job_family_id",
            "level_id",
            "geo_zone_id",
            "currency",
            "pay_interval",
            "min_minor",
            "max_minor",
            "mid_minor",
            "effective_from",
            "effective_to",
            "created_at",
            "updated_at",
        ],
    },
    TableDef {
        name: "exchange_rate_sets",
        columns: &[
            "id",
            "name",
            "base_currency",
            "effective_on",
            "source",
            "created_by_id",
            "created_at",
        ],
    },
    TableDef {
        name: "exchange_rates",
        columns: &["id", "rate_set_id", "currency", "rate"],
    },
    TableDef {
        name: "candidates",
        columns: &[
            "id",
            "email",
            "email_normalized",
            "name",
            "country_code",
            "time_zone",
            "phone",
            "links",
            "source",
            "source_detail",
            "consent_given_at",
            "retain_until",
            "created_at",
            "updated_at",
        ],
    },
    TableDef {
        name: "postings",
        columns: &[
            "id",
            "slug",
            "title",
            "job_family_id",
            "status",
            "employment_type",
            "workplace_type",
            "start_date",
            "openings",
            "hiring_manager_id",
            "recruiter_id",
            "published_at",
            "closed_at",
            "close_reason",
            "benefits",
            "other_compensation",
            "published_salary_currency",
            "published_salary_interval",
            "published_salary_min_minor",
            "published_salary_max_minor",
            "published_salary_at",
            "created_at",
            "updated_at",
        ],
    },
    TableDef {
        name: "posting_sections",
        columns: &["id", "posting_id", "position", "heading", "body"],
    },
    TableDef {
        name: "posting_responsibilities",
        columns: &["id", "posting_id", "position", "description"],
    },
    TableDef {
        name: "posting_skills",
        columns: &["posting_id", "skill_id", "requirement", "position"],
    },
    TableDef {
        name: "posting_regions",
        columns: &["posting_id", "region_id"],
    },
    TableDef {
        name: "posting_teams",
        columns: &["posting_id", "team_id"],
    },
    TableDef {
        name: "posting_levels",
        columns: &["posting_id", "level_id"],
    },
    TableDef {
        name: "interview_stages",
        columns: &[
            "id",
            "posting_id",
            "position",
            "name",
            "kind",
            "mode",
            "duration_minutes",
            "sla_hours",
            "created_at",
            "updated_at",
        ],
    },
    TableDef {
        name: "posting_questions",
        columns: &["id", "posting_id", "position", "prompt", "required"],
    },
    TableDef {
        name: "applications",
        columns: &[
            "id",
            "candidate_id",
            "posting_id",
            "current_stage_id",
            "status",
            "rejection_reason",
            "rejection_note",
            "team_id",
            "version",
            "applied_at",
            "created_at",
            "updated_at",
        ],
    },
    TableDef {
        name: "application_answers",
        columns: &["application_id", "question_id", "answer"],
    },
    TableDef {
        name: "stage_transitions",
        columns: &[
            "id",
            "application_id",
            "from_stage_id",
            "to_stage_id",
            "from_status",
            "to_status",
            "actor_id",
            "reason",
            "occurred_at",
        ],
    },
    TableDef {
        name: "interviews",
        columns: &[
            "id",
            "application_id",
            "stage_id",
            "status",
            "starts_at",
            "ends_at",
            "time_zone",
            "meeting_url",
            "due_at",
            "submitted_at",
            "submission_url",
            "cancel_reason",
            "created_at",
            "updated_at",
        ],
    },
    TableDef {
        name: "interview_interviewers",
        columns: &["interview_id", "user_id"],
    },
    TableDef {
        name: "scorecards",
        columns: &[
            "id",
            "interview_id",
            "interviewer_id",
            "recommendation",
            "notes",
            "submitted_at",
            "created_at",
            "updated_at",
        ],
    },
    TableDef {
        name: "scorecard_ratings",
        columns: &["scorecard_id", "skill_id", "rating", "note"],
    },
    TableDef {
        name: "offers",
        columns: &[
            "id",
            "application_id",
            "version",
            "status",
            "level_id",
            "geo_zone_id",
            "team_id",
            "currency",
            "pay_interval",
            "base_salary_minor",
            "start_date",
            "expires_at",
            "notes",
            "exception_reason",
            "exchange_rate_set_id",
            "created_by_id",
            "created_at",
            "updated_at",
        ],
    },
    TableDef {
        name: "offer_approvals",
        columns: &[
            "id",
            "offer_id",
            "approver_id",
            "decision",
            "comment",
            "decided_at",
            "created_at",
        ],
    },
];

/// Rows waiting to be written, per table.
struct Writer {
    backend: DbBackend,
    pending: Vec<Vec<Value>>,
    written: Vec<u64>,
}

impl Writer {
    fn new(backend: DbBackend) -> Self {
        Writer {
            backend,
            pending: TABLES.iter().map(|_| Vec::new()).collect(),
            written: vec![0; TABLES.len()],
        }
    }

    /// Queues one row of `table` (values in the order of its columns).
    fn row<const N: usize>(&mut self, table: usize, values: [Value; N]) {
        debug_assert_eq!(TABLES[table].columns.len(), N, "{}", TABLES[table].name);
        self.pending[table].extend(values);
    }

    /// Writes every table up to the last one holding a full statement's
    /// worth of rows (parents first, so foreign keys always find their row).
    async fn flush_full(&mut self, txn: &DatabaseTransaction) -> Result<(), DbErr> {
        let last_full = (0..TABLES.len())
            .rev()
            .find(|&t| self.pending[t].len() >= MAX_PARAMS);
        if let Some(last) = last_full {
            for table in 0..=last {
                self.flush(txn, table).await?;
            }
        }
        Ok(())
    }

    async fn flush_all(&mut self, txn: &DatabaseTransaction) -> Result<(), DbErr> {
        for table in 0..TABLES.len() {
            self.flush(txn, table).await?;
        }
        Ok(())
    }

    async fn flush(&mut self, txn: &DatabaseTransaction, table: usize) -> Result<(), DbErr> {
        let columns = TABLES[table].columns.len();
        let per_statement = (MAX_PARAMS / columns).max(1) * columns;
        let values = std::mem::take(&mut self.pending[table]);
        let mut values = values.into_iter().peekable();
        while values.peek().is_some() {
            let chunk: Vec<Value> = values.by_ref().take(per_statement).collect();
            let rows = chunk.len() / columns;
            let sql = insert_sql(self.backend, &TABLES[table], rows);
            txn.execute_raw(Statement::from_sql_and_values(self.backend, sql, chunk))
                .await?;
            self.written[table] += rows as u64;
        }
        Ok(())
    }
}

/// `INSERT INTO "t" ("a", "b") VALUES ($1, $2), ($3, $4)…` for `rows` rows.
fn insert_sql(backend: DbBackend, table: &TableDef, rows: usize) -> String {
    let columns: Vec<String> = table.columns.iter().map(|c| format!("\"{c}\"")).collect();
    let mut sql = format!(
        "INSERT INTO \"{}\" ({}) VALUES ",
        table.name,
        columns.join(", ")
    );
    let mut n = 0;
    for row in 0..rows {
        if row > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for column in 0..table.columns.len() {
            if column > 0 {
                sql.push_str(", ");
            }
            n += 1;
            match backend {
                DbBackend::Postgres => {
                    let _ = write!(sql, "${n}");
                }
                _ => sql.push('?'),
            }
        }
        sql.push(')');
    }
    sql
}

// Short constructors for values.
fn int(v: i64) -> Value {
    Value::from(v)
}
fn int32(v: i64) -> Value {
    Value::from(i32::try_from(v).unwrap_or(i32::MAX))
}
fn opt_int(v: Option<i64>) -> Value {
    Value::from(v)
}
fn opt_int32(v: Option<i64>) -> Value {
    Value::from(v.map(|v| i32::try_from(v).unwrap_or(i32::MAX)))
}
fn text(v: impl Into<String>) -> Value {
    Value::from(v.into())
}
fn opt_text(v: Option<String>) -> Value {
    Value::from(v)
}
fn null_text() -> Value {
    Value::from(None::<String>)
}
fn null_int() -> Value {
    Value::from(None::<i64>)
}
fn boolean(v: bool) -> Value {
    Value::from(v)
}

/// The anchor as an instant.
fn anchor() -> DateTime<Utc> {
    // 2026-11-02T00:00:00Z; `single()` cannot fail for a UTC date.
    Utc.with_ymd_and_hms(2026, 11, 2, 0, 0, 0)
        .single()
        .unwrap_or_default()
}

/// `minutes` after the anchor (before it when negative).
fn at(minutes: i64) -> Value {
    Value::from(anchor() + Duration::minutes(minutes))
}
fn opt_at(minutes: Option<i64>) -> Value {
    Value::from(minutes.map(|m| anchor() + Duration::minutes(m)))
}
fn day_of(minutes: i64) -> NaiveDate {
    (anchor() + Duration::minutes(minutes)).date_naive()
}

// ---------------------------------------------------------------------------
// Randomness
// ---------------------------------------------------------------------------

/// splitmix64: tiny, fast and good enough for test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (0 when n is 0).
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        ((self.next() >> 11) % n as u64) as usize
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        lo + ((self.next() >> 11) % ((hi - lo + 1) as u64)) as i64
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len()))
    }

    /// An index chosen with the given weights.
    fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u64 = weights.iter().map(|w| u64::from(*w)).sum();
        if total == 0 {
            return 0;
        }
        let mut roll = (self.next() >> 11) % total;
        for (i, w) in weights.iter().enumerate() {
            let w = u64::from(*w);
            if roll < w {
                return i;
            }
            roll -= w;
        }
        0
    }

    /// `k` distinct items of `items` (all of them when there are fewer).
    fn sample<T: Copy>(&mut self, items: &[T], k: usize) -> Vec<T> {
        let mut pool: Vec<T> = items.to_vec();
        let k = k.min(pool.len());
        for i in 0..k {
            let j = i + self.below(pool.len() - i);
            pool.swap(i, j);
        }
        pool.truncate(k);
        pool
    }
}

// ---------------------------------------------------------------------------
// Reference data
// ---------------------------------------------------------------------------

struct Family {
    name: &'static str,
    department: &'static str,
    /// How the individual-contributor titles read, e.g. "Backend Engineer".
    role: &'static str,
    /// Share of postings.
    weight: u32,
    /// Pay relative to backend engineering, in percent.
    pay_percent: i64,
    skills: &'static [&'static str],
    teams: &'static [&'static str],
    /// What the take-home stage is called.
    take_home: &'static str,
    /// Whether titles carry the first must-have skill, e.g. "(Elixir)".
    specialised: bool,
}

const FAMILIES: &[Family] = &[
    Family {
        name: "Backend Engineering",
        department: "Engineering",
        role: "Backend Engineer",
        weight: 18,
        pay_percent: 100,
        skills: &[
            "Elixir",
            "Go",
            "Rust",
            "Java",
            "Python",
            "Ruby",
            "Postgres",
            "Kafka",
            "GraphQL",
            "Docker",
            "Kubernetes",
            "AWS",
            "CI/CD",
        ],
        teams: &[
            "Payroll Engine",
            "Benefits Administration",
            "Contractor Management",
            "Global Payments",
            "Developer Platform",
        ],
        take_home: "Code exercise",
        specialised: true,
    },
    Family {
        name: "Frontend Engineering",
        department: "Engineering",
        role: "Frontend Engineer",
        weight: 12,
        pay_percent: 97,
        skills: &[
            "TypeScript",
            "React/Vue/Angular",
            "Next.js",
            "GraphQL",
            "CSS",
            "Accessibility",
            "Testing",
        ],
        teams: &[
            "Frontend Platform",
            "Payroll Engine",
            "Benefits Administration",
            "Global Payments",
        ],
        take_home: "Code exercise",
        specialised: true,
    },
    Family {
        name: "Mobile Engineering",
        department: "Engineering",
        role: "Mobile Engineer",
        weight: 5,
        pay_percent: 100,
        skills: &[
            "Swift",
            "Kotlin",
            "React Native",
            "Flutter",
            "TypeScript",
            "CI/CD",
        ],
        teams: &["Mobile Apps"],
        take_home: "Code exercise",
        specialised: true,
    },
    Family {
        name: "Site Reliability Engineering",
        department: "Engineering",
        role: "Site Reliability Engineer",
        weight: 6,
        pay_percent: 105,
        skills: &[
            "Kubernetes",
            "Terraform",
            "AWS",
            "Go",
            "Observability",
            "Linux",
            "Docker",
            "CI/CD",
        ],
        teams: &["Infrastructure", "Developer Platform"],
        take_home: "Infrastructure exercise",
        specialised: false,
    },
    Family {
        name: "QA Engineering",
        department: "Engineering",
        role: "QA Engineer",
        weight: 4,
        pay_percent: 85,
        skills: &[
            "Test Automation",
            "Playwright",
            "Cypress",
            "TypeScript",
            "CI/CD",
            "Python",
        ],
        teams: &["Quality Engineering"],
        take_home: "Test automation exercise",
        specialised: false,
    },
    Family {
        name: "Data Engineering",
        department: "Data",
        role: "Data Engineer",
        weight: 5,
        pay_percent: 100,
        skills: &["Python", "SQL", "Spark", "Airflow", "dbt", "Kafka", "AWS"],
        teams: &["Data Platform"],
        take_home: "Data pipeline exercise",
        specialised: false,
    },
    Family {
        name: "Data Science",
        department: "Data",
        role: "Data Scientist",
        weight: 3,
        pay_percent: 102,
        skills: &[
            "Python",
            "SQL",
            "Statistics",
            "Machine Learning",
            "Experimentation",
            "dbt",
        ],
        teams: &["Analytics", "Machine Learning"],
        take_home: "Analysis exercise",
        specialised: false,
    },
    Family {
        name: "Product Management",
        department: "Product",
        role: "Product Manager",
        weight: 6,
        pay_percent: 102,
        skills: &[
            "Product Discovery",
            "Roadmapping",
            "SQL",
            "Stakeholder Management",
            "Experimentation",
            "B2B SaaS",
        ],
        teams: &["Product Management"],
        take_home: "Product case study",
        specialised: false,
    },
    Family {
        name: "Product Design",
        department: "Design",
        role: "Product Designer",
        weight: 4,
        pay_percent: 92,
        skills: &[
            "Figma",
            "Design Systems",
            "User Research",
            "Prototyping",
            "Accessibility",
        ],
        teams: &["Design Studio"],
        take_home: "Design exercise",
        specialised: false,
    },
    Family {
        name: "Sales",
        department: "Sales",
        role: "Account Executive",
        weight: 9,
        pay_percent: 80,
        skills: &[
            "B2B Sales",
            "Salesforce",
            "Negotiation",
            "Pipeline Management",
            "Enterprise Sales",
            "Spanish",
            "German",
        ],
        teams: &["Enterprise Sales", "Mid-Market Sales"],
        take_home: "Sales pitch exercise",
        specialised: false,
    },
    Family {
        name: "Customer Success",
        department: "Customer Success",
        role: "Customer Success Manager",
        weight: 8,
        pay_percent: 70,
        skills: &[
            "Customer Onboarding",
            "Zendesk",
            "Salesforce",
            "Communication",
            "Spanish",
            "Portuguese",
            "French",
        ],
        teams: &[
            "Customer Success EMEA",
            "Customer Success Americas",
            "Customer Success APAC",
        ],
        take_home: "Customer case exercise",
        specialised: false,
    },
    Family {
        name: "Marketing",
        department: "Marketing",
        role: "Marketing Manager",
        weight: 5,
        pay_percent: 80,
        skills: &[
            "Content Marketing",
            "SEO",
            "Marketing Automation",
            "HubSpot",
            "Copywriting",
            "Analytics",
        ],
        teams: &["Growth Marketing", "Brand and Content"],
        take_home: "Campaign exercise",
        specialised: false,
    },
    Family {
        name: "People and Talent",
        department: "People",
        role: "Talent Partner",
        weight: 4,
        pay_percent: 75,
        skills: &[
            "Recruiting",
            "Sourcing",
            "Employment Law",
            "HRIS",
            "Communication",
        ],
        teams: &["Talent Acquisition", "People Operations"],
        take_home: "Hiring plan exercise",
        specialised: false,
    },
    Family {
        name: "Finance",
        department: "Finance",
        role: "Financial Analyst",
        weight: 4,
        pay_percent: 85,
        skills: &[
            "Financial Planning",
            "Accounting",
            "Excel",
            "Payroll",
            "IFRS",
            "SQL",
        ],
        teams: &["Finance Operations", "FP&A"],
        take_home: "Financial model exercise",
        specialised: false,
    },
    Family {
        name: "Legal",
        department: "Legal",
        role: "Legal Counsel",
        weight: 3,
        pay_percent: 100,
        skills: &[
            "Employment Law",
            "Contract Negotiation",
            "Data Protection",
            "Compliance",
        ],
        teams: &["Legal and Compliance"],
        take_home: "Contract review exercise",
        specialised: false,
    },
];

/// (team, department, vertical)
const TEAM_LIST: &[(&str, &str, Option<&str>)] = &[
    ("Payroll Engine", "Engineering", Some("Payroll")),
    ("Benefits Administration", "Engineering", Some("Benefits")),
    (
        "Contractor Management",
        "Engineering",
        Some("Contractor Management"),
    ),
    ("Global Payments", "Engineering", Some("Payments")),
    (
        "Developer Platform",
        "Engineering",
        Some("Developer Platform"),
    ),
    ("Frontend Platform", "Engineering", Some("Design System")),
    ("Mobile Apps", "Engineering", Some("Mobile")),
    ("Infrastructure", "Engineering", Some("Platform")),
    ("Quality Engineering", "Engineering", Some("Platform")),
    ("Data Platform", "Data", Some("Data")),
    ("Analytics", "Data", Some("Data")),
    ("Machine Learning", "Data", Some("Data")),
    ("Product Management", "Product", None),
    ("Design Studio", "Design", None),
    ("Enterprise Sales", "Sales", Some("Enterprise")),
    ("Mid-Market Sales", "Sales", Some("Mid-Market")),
    ("Customer Success EMEA", "Customer Success", Some("EMEA")),
    (
        "Customer Success Americas",
        "Customer Success",
        Some("Americas"),
    ),
    ("Customer Success APAC", "Customer Success", Some("APAC")),
    ("Growth Marketing", "Marketing", None),
    ("Brand and Content", "Marketing", None),
    ("Talent Acquisition", "People", None),
    ("People Operations", "People", None),
    ("Finance Operations", "Finance", None),
    ("FP&A", "Finance", None),
    ("Legal and Compliance", "Legal", None),
];

/// (code, name, track, rank): as in the demo data.
const LEVEL_LIST: &[(&str, &str, &str, i64)] = &[
    (
        "IC1",
        "Individual Contributor I",
        "INDIVIDUAL_CONTRIBUTOR",
        1,
    ),
    (
        "IC2",
        "Individual Contributor II",
        "INDIVIDUAL_CONTRIBUTOR",
        2,
    ),
    ("IC3", "Senior I", "INDIVIDUAL_CONTRIBUTOR", 3),
    ("IC4", "Senior II", "INDIVIDUAL_CONTRIBUTOR", 4),
    ("IC5", "Staff", "INDIVIDUAL_CONTRIBUTOR", 5),
    ("IC6", "Principal", "INDIVIDUAL_CONTRIBUTOR", 6),
    ("M1", "Team Lead", "MANAGER", 1),
    ("M2", "Manager", "MANAGER", 2),
    ("M3", "Director", "MANAGER", 3),
];

const AFRICA: &[&str] = &[
    "DZ", "AO", "BJ", "BW", "BF", "BI", "CV", "CM", "CF", "TD", "KM", "CG", "CD", "CI", "DJ", "EG",
    "GQ", "ER", "SZ", "ET", "GA", "GM", "GH", "GN", "GW", "KE", "LS", "LR", "LY", "MG", "MW", "ML",
    "MR", "MU", "MA", "MZ", "NA", "NE", "NG", "RW", "ST", "SN", "SC", "SL", "SO", "ZA", "SS", "SD",
    "TZ", "TG", "TN", "UG", "ZM", "ZW",
];
const EUROPE: &[&str] = &[
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV",
    "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO", "CH", "GB",
];
const AMERICAS: &[&str] = &[
    "US", "CA", "MX", "GT", "CR", "PA", "DO", "CO", "EC", "PE", "BR", "BO", "PY", "UY", "AR", "CL",
];
const ASIA_PACIFIC: &[&str] = &[
    "IN", "PK", "BD", "LK", "VN", "PH", "ID", "MY", "SG", "TH", "JP", "KR", "AU", "NZ",
];

/// (name, slug, everywhere, countries)
const REGION_LIST: &[(&str, &str, bool, &[&str])] = &[
    ("Remote-Africa", "remote-africa", false, AFRICA),
    ("Remote-Europe", "remote-europe", false, EUROPE),
    ("Remote-Americas", "remote-americas", false, AMERICAS),
    (
        "Remote-Asia-Pacific",
        "remote-asia-pacific",
        false,
        ASIA_PACIFIC,
    ),
    ("Anywhere in the World", "anywhere-in-the-world", true, &[]),
];

/// (name, fallback, countries, backend engineering IC1..IC6 (min, max) USD a year): as in the demo.
#[allow(clippy::type_complexity)]
const ZONE_LIST: &[(&str, bool, &[&str], [(i64, i64); 6])] = &[
    (
        "Zone A",
        false,
        &["US", "CA", "GB", "IE", "CH", "LU", "SG"],
        [
            (95_000, 135_000),
            (120_000, 168_000),
            (148_000, 208_000),
            (178_000, 252_000),
            (212_000, 298_000),
            (248_000, 350_000),
        ],
    ),
    (
        "Zone B",
        false,
        &[
            "DE", "FR", "NL", "BE", "AT", "DK", "SE", "NO", "FI", "IS", "ES", "IT", "AU", "NZ",
            "JP",
        ],
        [
            (68_000, 98_000),
            (86_000, 124_000),
            (108_000, 156_000),
            (134_000, 192_500),
            (160_000, 228_000),
            (190_000, 272_000),
        ],
    ),
    (
        "Zone C",
        false,
        &[
            "ZA", "EG", "MA", "KE", "NG", "GH", "TN", "MU", "PL", "PT", "CZ", "EE", "LT", "LV",
            "RO", "HU", "GR", "HR", "SK", "SI", "BR", "MX", "AR", "CL", "CO", "UY", "CR",
        ],
        [
            (40_000, 62_000),
            (52_500, 84_000),
            (68_500, 128_600),
            (92_400, 171_450),
            (118_000, 205_000),
            (145_000, 240_000),
        ],
    ),
    (
        "Zone D",
        false,
        &[
            "RW", "UG", "TZ", "SN", "CI", "BW", "NA", "ZM", "IN", "PK", "BD", "VN", "PH", "ID",
            "LK", "TR", "UA", "RS", "PE", "EC",
        ],
        [
            (30_000, 46_000),
            (38_500, 60_000),
            (54_200, 98_700),
            (70_300, 129_800),
            (88_000, 155_000),
            (108_000, 185_000),
        ],
    ),
    (
        "Rest of World",
        true,
        &[],
        [
            (26_000, 40_000),
            (34_000, 52_000),
            (51_850, 89_250),
            (63_900, 112_600),
            (79_000, 136_000),
            (96_000, 160_000),
        ],
    ),
];

/// (country, IANA time zone, dialling code, weight): where candidates live.
const COUNTRIES: &[(&str, &str, &str, u32)] = &[
    ("US", "America/New_York", "1", 8),
    ("CA", "America/Toronto", "1", 3),
    ("MX", "America/Mexico_City", "52", 3),
    ("BR", "America/Sao_Paulo", "55", 6),
    ("AR", "America/Argentina/Buenos_Aires", "54", 3),
    ("CO", "America/Bogota", "57", 3),
    ("CL", "America/Santiago", "56", 2),
    ("PE", "America/Lima", "51", 1),
    ("CR", "America/Costa_Rica", "506", 1),
    ("GB", "Europe/London", "44", 5),
    ("IE", "Europe/Dublin", "353", 1),
    ("DE", "Europe/Berlin", "49", 4),
    ("FR", "Europe/Paris", "33", 3),
    ("ES", "Europe/Madrid", "34", 3),
    ("PT", "Europe/Lisbon", "351", 3),
    ("NL", "Europe/Amsterdam", "31", 2),
    ("IT", "Europe/Rome", "39", 2),
    ("PL", "Europe/Warsaw", "48", 4),
    ("RO", "Europe/Bucharest", "40", 2),
    ("UA", "Europe/Kyiv", "380", 3),
    ("TR", "Europe/Istanbul", "90", 2),
    ("SE", "Europe/Stockholm", "46", 1),
    ("GR", "Europe/Athens", "30", 1),
    ("RS", "Europe/Belgrade", "381", 1),
    ("NG", "Africa/Lagos", "234", 6),
    ("KE", "Africa/Nairobi", "254", 4),
    ("ZA", "Africa/Johannesburg", "27", 4),
    ("EG", "Africa/Cairo", "20", 3),
    ("MA", "Africa/Casablanca", "212", 2),
    ("GH", "Africa/Accra", "233", 2),
    ("ET", "Africa/Addis_Ababa", "251", 1),
    ("TN", "Africa/Tunis", "216", 1),
    ("UG", "Africa/Kampala", "256", 1),
    ("RW", "Africa/Kigali", "250", 1),
    ("SN", "Africa/Dakar", "221", 1),
    ("TZ", "Africa/Dar_es_Salaam", "255", 1),
    ("IN", "Asia/Kolkata", "91", 9),
    ("PK", "Asia/Karachi", "92", 3),
    ("BD", "Asia/Dhaka", "880", 2),
    ("PH", "Asia/Manila", "63", 3),
    ("VN", "Asia/Ho_Chi_Minh", "84", 2),
    ("ID", "Asia/Jakarta", "62", 2),
    ("MY", "Asia/Kuala_Lumpur", "60", 1),
    ("SG", "Asia/Singapore", "65", 1),
    ("JP", "Asia/Tokyo", "81", 1),
    ("LK", "Asia/Colombo", "94", 1),
    ("AU", "Australia/Sydney", "61", 2),
    ("NZ", "Pacific/Auckland", "64", 1),
];

const FIRST_NAMES: &[&str] = &[
    "Adaeze",
    "Brian",
    "Kofi",
    "Nour",
    "Selam",
    "Jean",
    "Yasmine",
    "Grace",
    "Thabo",
    "Camille",
    "Amara",
    "Chinedu",
    "Fatima",
    "Kwame",
    "Zanele",
    "Omar",
    "Aisha",
    "Tendai",
    "Mariam",
    "Lucas",
    "Sofia",
    "Mateo",
    "Valentina",
    "Santiago",
    "Camila",
    "Diego",
    "Isabela",
    "Gabriel",
    "Emma",
    "Liam",
    "Olivia",
    "Noah",
    "Ava",
    "James",
    "Mia",
    "Ethan",
    "Charlotte",
    "Oliver",
    "Hannah",
    "Jakub",
    "Zofia",
    "Piotr",
    "Ana",
    "Joao",
    "Ines",
    "Luca",
    "Giulia",
    "Elena",
    "Dmytro",
    "Olena",
    "Mehmet",
    "Elif",
    "Arjun",
    "Priya",
    "Rahul",
    "Ananya",
    "Vikram",
    "Sana",
    "Ali",
    "Ayesha",
    "Minh",
    "Linh",
    "Jose",
    "Maria",
    "Andrea",
    "Wei",
    "Mei",
    "Hiroshi",
    "Yuki",
    "Siti",
    "Budi",
    "Nadia",
    "Karim",
    "Leila",
    "Tariq",
    "Rania",
    "Samuel",
    "Esther",
    "David",
    "Ruth",
];

const LAST_NAMES: &[&str] = &[
    "Obi",
    "Otieno",
    "Asante",
    "Elsayed",
    "Tesfaye",
    "Habimana",
    "Alaoui",
    "Namutebi",
    "Nkosi",
    "Laurent",
    "Okafor",
    "Mensah",
    "Kamau",
    "Diallo",
    "Ndlovu",
    "Haddad",
    "Mwangi",
    "Adeyemi",
    "Silva",
    "Santos",
    "Oliveira",
    "Pereira",
    "Gomez",
    "Rodriguez",
    "Martinez",
    "Fernandez",
    "Lopez",
    "Smith",
    "Johnson",
    "Brown",
    "Taylor",
    "Wilson",
    "Murphy",
    "Kelly",
    "Nowak",
    "Kowalski",
    "Wisniewski",
    "Costa",
    "Ferreira",
    "Rossi",
    "Russo",
    "Bianchi",
    "Schmidt",
    "Muller",
    "Schneider",
    "Dubois",
    "Moreau",
    "Garcia",
    "Kovalenko",
    "Shevchenko",
    "Yilmaz",
    "Demir",
    "Sharma",
    "Patel",
    "Gupta",
    "Iyer",
    "Reddy",
    "Khan",
    "Ahmed",
    "Hussain",
    "Nguyen",
    "Tran",
    "Pham",
    "Reyes",
    "Cruz",
    "Santoso",
    "Wijaya",
    "Tanaka",
    "Suzuki",
    "Sato",
    "Chen",
    "Wang",
    "Li",
    "Perera",
    "Fernando",
    "Cohen",
    "Levi",
    "Bakr",
    "Mansour",
    "Jensen",
];

const SOURCES: &[(&str, u32)] = &[
    ("CAREERS_SITE", 60),
    ("REFERRAL", 12),
    ("SOURCED", 15),
    ("AGENCY", 5),
    ("OTHER", 8),
];

const BENEFITS: &str = "Unlimited paid time off, health cover where the law or the market provides it, \
a home-office and learning budget, and equipment of your choice.";
const OTHER_COMPENSATION: &str = "Stock options. No bonus or commission.";

/// Exchange rates against the US dollar: illustrative, not market data.
const RATES: &[(&str, &str)] = &[
    ("EUR", "0.865"),
    ("GBP", "0.761"),
    ("CAD", "1.38"),
    ("AUD", "1.53"),
    ("NZD", "1.71"),
    ("JPY", "151.2"),
    ("SGD", "1.30"),
    ("CHF", "0.80"),
    ("SEK", "9.45"),
    ("PLN", "3.67"),
    ("RON", "4.40"),
    ("BRL", "5.35"),
    ("MXN", "18.4"),
    ("ARS", "1450"),
    ("COP", "3870"),
    ("CLP", "940"),
    ("INR", "88.6"),
    ("PKR", "281"),
    ("PHP", "58.9"),
    ("IDR", "16650"),
    ("VND", "26300"),
    ("KES", "129.25"),
    ("NGN", "1455"),
    ("ZAR", "17.35"),
    ("EGP", "47.6"),
    ("GHS", "10.9"),
    ("MAD", "9.25"),
    ("TRY", "42.1"),
    ("UAH", "41.6"),
];

/// A name for person `i`, and an ASCII handle for their email.
fn person_name(rng: &mut Rng) -> (String, String) {
    let first = rng.pick(FIRST_NAMES).copied().unwrap_or("Alex");
    let last = rng.pick(LAST_NAMES).copied().unwrap_or("Morgan");
    (
        format!("{first} {last}"),
        format!("{}.{}", first.to_lowercase(), last.to_lowercase()),
    )
}

fn slugify(title: &str) -> String {
    let mut slug = String::with_capacity(title.len());
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_owned()
}

fn scaled(base: f64, scale: f64, at_least: usize) -> usize {
    ((base * scale).round() as usize).max(at_least)
}

// ---------------------------------------------------------------------------
// Calendars: who is busy when
// ---------------------------------------------------------------------------

/// First working half hour: 07:00 UTC; 24 half hours, to 19:00.
const DAY_START: i64 = 7 * HOUR;
const SLOTS_PER_DAY: u32 = 24;
/// The earliest day (from the anchor) anything is booked.
const FIRST_DAY: i64 = -1300;
/// Days covered after FIRST_DAY.
const CALENDAR_DAYS: i64 = 1400;

/// Each staff member's booked half hours, per day, and meetings per day.
struct Calendar {
    busy: Vec<u32>,
    load: Vec<u8>,
    cap: Vec<u8>,
}

impl Calendar {
    fn new(users: usize) -> Self {
        let cells = (users + 1) * CALENDAR_DAYS as usize;
        Calendar {
            busy: vec![0; cells],
            load: vec![0; cells],
            cap: vec![3; users + 1],
        }
    }

    fn cell(user: i64, day: i64) -> Option<usize> {
        let d = day - FIRST_DAY;
        if user < 0 || !(0..CALENDAR_DAYS).contains(&d) {
            return None;
        }
        Some(user as usize * CALENDAR_DAYS as usize + d as usize)
    }

    fn free(&self, user: i64, day: i64, mask: u32) -> bool {
        let cap = self.cap.get(user as usize).copied().unwrap_or(0);
        Calendar::cell(user, day).is_some_and(|c| {
            self.busy.get(c).is_some_and(|b| b & mask == 0)
                && self.load.get(c).is_some_and(|l| *l < cap)
        })
    }

    fn take(&mut self, user: i64, day: i64, mask: u32) {
        if let Some(c) = Calendar::cell(user, day) {
            if let Some(b) = self.busy.get_mut(c) {
                *b |= mask;
            }
            if let Some(l) = self.load.get_mut(c) {
                *l = l.saturating_add(1);
            }
        }
    }
}

/// A seat on a meeting's panel: this person if free, else someone free from `pool`.
struct Seat<'a> {
    preferred: Option<i64>,
    pool: Pool<'a>,
}

/// Whom a seat may go to.
#[derive(Clone, Copy)]
enum Pool<'a> {
    Recruiters,
    Managers,
    Listed(&'a [i64]),
}

// ---------------------------------------------------------------------------
// The world being generated
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Review,
    Screen,
    Manager,
    TakeHome,
    Team,
    Final,
    Offer,
}

struct StageRow {
    id: i64,
    kind: Kind,
    minutes: i64,
    sla_hours: i64,
}

/// A posting decided before anything is written: enough to place its applications.
struct PostingPlan {
    index: usize,
    family: usize,
    status: &'static str,
    close_reason: Option<&'static str>,
    created: i64,
    published: Option<i64>,
    /// Applications stop at this minute: the anchor, or when it closed.
    limit: i64,
    openings: i64,
    /// (candidate index, applied at), in order of applying.
    applications: Vec<(usize, i64)>,
}

/// A user in a role, by id.
struct Staff {
    admin: i64,
    recruiters: Vec<i64>,
    managers: Vec<i64>,
    interviewers: Vec<i64>,
}

struct CandidateRow {
    time_zone: &'static str,
    zone: usize,
    handle: String,
}

struct World {
    rng: Rng,
    scale: f64,
    staff: Staff,
    /// Skill ids by name.
    skills: Vec<&'static str>,
    /// Team names in id order.
    teams: Vec<&'static str>,
    /// Zones (0-based) each region (0-based) pays from.
    region_zones: Vec<Vec<usize>>,
    /// Band (min, max) in cents by family, level, zone.
    bands: Vec<Vec<Vec<(i64, i64)>>>,
    calendar: Calendar,
    candidates: Vec<CandidateRow>,
    /// Each candidate's meetings (start, end).
    candidate_busy: Vec<Vec<(i64, i64)>>,
    next_application: i64,
    next_transition: i64,
    next_interview: i64,
    next_scorecard: i64,
    next_offer: i64,
    next_approval: i64,
    next_stage: i64,
    next_question: i64,
    next_section: i64,
    next_responsibility: i64,
    unbooked: u64,
}

/// Which zone pays someone in `country`.
fn zone_of(country: &str) -> usize {
    ZONE_LIST
        .iter()
        .position(|(_, _, countries, _)| countries.contains(&country))
        .or_else(|| ZONE_LIST.iter().position(|(_, fallback, _, _)| *fallback))
        .unwrap_or(0)
}

impl World {
    fn new(scale: f64) -> Self {
        let recruiters = scaled(150.0, scale, 1);
        let managers = scaled(200.0, scale, 1);
        let interviewers = scaled(600.0, scale, 4);
        let users = 1 + recruiters + managers + interviewers;
        let mut id = 2_i64;
        let mut take = |n: usize| {
            let ids: Vec<i64> = (id..id + n as i64).collect();
            id += n as i64;
            ids
        };
        let staff = Staff {
            admin: 1,
            recruiters: take(recruiters),
            managers: take(managers),
            interviewers: take(interviewers),
        };
        let mut calendar = Calendar::new(users);
        for r in &staff.recruiters {
            if let Some(cap) = calendar.cap.get_mut(*r as usize) {
                *cap = 5;
            }
        }
        let mut skills: Vec<&'static str> = Vec::new();
        for family in FAMILIES {
            for skill in family.skills {
                if !skills.contains(skill) {
                    skills.push(skill);
                }
            }
        }
        let region_zones = REGION_LIST
            .iter()
            .map(|(_, _, everywhere, countries)| {
                if *everywhere {
                    return (0..ZONE_LIST.len()).collect();
                }
                let mut zones: Vec<usize> = countries.iter().map(|c| zone_of(c)).collect();
                zones.sort_unstable();
                zones.dedup();
                zones
            })
            .collect();
        let bands = FAMILIES
            .iter()
            .map(|family| {
                LEVEL_LIST
                    .iter()
                    .map(|(code, ..)| {
                        ZONE_LIST
                            .iter()
                            .map(|(_, _, _, ic)| {
                                let (base, percent) = match *code {
                                    "M1" => (ic[3], 105),
                                    "M2" => (ic[4], 105),
                                    "M3" => (ic[5], 115),
                                    _ => {
                                        let rank = code
                                            .trim_start_matches("IC")
                                            .parse::<usize>()
                                            .unwrap_or(1);
                                        (ic[rank.clamp(1, 6) - 1], 100)
                                    }
                                };
                                let adjust = |v: i64| {
                                    (v * percent * family.pay_percent / 10_000 / 50 * 50) * 100
                                };
                                (adjust(base.0), adjust(base.1))
                            })
                            .collect()
                    })
                    .collect()
            })
            .collect();
        World {
            rng: Rng(SEED),
            scale,
            staff,
            skills,
            teams: TEAM_LIST.iter().map(|(t, ..)| *t).collect(),
            region_zones,
            bands,
            calendar,
            candidates: Vec::new(),
            candidate_busy: Vec::new(),
            next_application: 1,
            next_transition: 1,
            next_interview: 1,
            next_scorecard: 1,
            next_offer: 1,
            next_approval: 1,
            next_stage: 1,
            next_question: 1,
            next_section: 1,
            next_responsibility: 1,
            unbooked: 0,
        }
    }

    fn skill_id(&self, name: &str) -> i64 {
        self.skills
            .iter()
            .position(|s| *s == name)
            .map_or(1, |i| i as i64 + 1)
    }

    fn team_id(&self, name: &str) -> i64 {
        self.teams
            .iter()
            .position(|s| *s == name)
            .map_or(1, |i| i as i64 + 1)
    }

    /// Teams, regions, skills, families, levels, zones, bands and exchange rates.
    fn reference(&mut self, out: &mut Writer) {
        let setup = -1300 * DAY + 9 * HOUR;
        for (i, (name, department, vertical)) in TEAM_LIST.iter().enumerate() {
            out.row(
                TEAMS,
                [
                    int(i as i64 + 1),
                    text(*name),
                    text(*department),
                    opt_text(vertical.map(str::to_owned)),
                    at(setup),
                    at(setup),
                ],
            );
        }
        for (i, (name, slug, everywhere, countries)) in REGION_LIST.iter().enumerate() {
            let id = i as i64 + 1;
            out.row(
                REGIONS,
                [
                    int(id),
                    text(*name),
                    text(*slug),
                    boolean(*everywhere),
                    at(setup),
                    at(setup),
                ],
            );
            for country in *countries {
                out.row(REGION_COUNTRIES, [int(id), text(*country)]);
            }
        }
        for (i, name) in self.skills.iter().enumerate() {
            out.row(
                SKILLS,
                [
                    int(i as i64 + 1),
                    text(*name),
                    text(name.to_lowercase()),
                    at(setup),
                    at(setup),
                ],
            );
        }
        for (i, family) in FAMILIES.iter().enumerate() {
            out.row(
                JOB_FAMILIES,
                [int(i as i64 + 1), text(family.name), at(setup), at(setup)],
            );
        }
        for (i, (code, name, track, rank)) in LEVEL_LIST.iter().enumerate() {
            out.row(
                LEVELS,
                [
                    int(i as i64 + 1),
                    text(*code),
                    text(*name),
                    text(*track),
                    int32(*rank),
                    at(setup),
                    at(setup),
                ],
            );
        }
        for (i, (name, fallback, countries, _)) in ZONE_LIST.iter().enumerate() {
            let id = i as i64 + 1;
            out.row(
                GEO_ZONES,
                [
                    int(id),
                    text(*name),
                    boolean(*fallback),
                    at(setup),
                    at(setup),
                ],
            );
            for country in *countries {
                out.row(GEO_ZONE_COUNTRIES, [int(id), text(*country)]);
            }
        }
        let effective_from = day_of(-1300 * DAY);
        let mut band_id = 1;
        for (f, levels) in self.bands.iter().enumerate() {
            for (l, zones) in levels.iter().enumerate() {
                for (z, (min, max)) in zones.iter().enumerate() {
                    out.row(
                        COMPENSATION_BANDS,
                        [
                            int(band_id),
                            int(f as i64 + 1),
                            int(l as i64 + 1),
                            int(z as i64 + 1),
                            text("USD"),
                            text("YEAR"),
                            int(*min),
                            int(*max),
                            int(crate::domain::bands::default_midpoint(*min, *max)),
                            Value::from(effective_from),
                            Value::from(None::<NaiveDate>),
                            at(setup),
                            at(setup),
                        ],
                    );
                    band_id += 1;
                }
            }
        }
        out.row(
            EXCHANGE_RATE_SETS,
            [
                int(1),
                text("Rates 2026-11-02"),
                text("USD"),
                Value::from(day_of(0)),
                text("Illustrative rates for the seeded data, not market data"),
                int(self.staff.admin),
                at(-2 * DAY + 9 * HOUR),
            ],
        );
        for (i, (currency, rate)) in RATES.iter().enumerate() {
            out.row(
                EXCHANGE_RATES,
                [int(i as i64 + 1), int(1), text(*currency), text(*rate)],
            );
        }
    }

    /// The admin, recruiters, hiring managers and interviewers.
    fn staff(&mut self, out: &mut Writer) {
        let setup = -1300 * DAY + 8 * HOUR;
        let mut people: Vec<(i64, String, &str)> =
            vec![(self.staff.admin, "admin@hiregraph.example".into(), "ADMIN")];
        for (i, id) in self.staff.recruiters.iter().enumerate() {
            people.push((
                *id,
                format!("recruiter-{}@hiregraph.example", i + 1),
                "RECRUITER",
            ));
        }
        for (i, id) in self.staff.managers.iter().enumerate() {
            people.push((
                *id,
                format!("hm-{}@hiregraph.example", i + 1),
                "HIRING_MANAGER",
            ));
        }
        for (i, id) in self.staff.interviewers.iter().enumerate() {
            people.push((
                *id,
                format!("interviewer-{}@hiregraph.example", i + 1),
                "INTERVIEWER",
            ));
        }
        for (id, email, role) in people {
            let (name, _) = person_name(&mut self.rng);
            let zone = COUNTRIES
                .get(self.rng.below(COUNTRIES.len()))
                .map_or("UTC", |c| c.1);
            out.row(
                USERS,
                [
                    int(id),
                    text(email),
                    text(name),
                    text(role),
                    text(zone),
                    boolean(true),
                    at(setup),
                    at(setup),
                ],
            );
        }
    }

    /// Decides every posting's status, dates and applicants (who applied when).
    fn plan_postings(&mut self) -> Vec<PostingPlan> {
        let postings = scaled(2000.0, self.scale, 1);
        let candidates = scaled(100_000.0, self.scale, 1);
        let applications = scaled(400_000.0, self.scale, 1);
        let weights: Vec<u32> = FAMILIES.iter().map(|f| f.weight).collect();
        let mut plans = Vec::with_capacity(postings);
        for index in 0..postings {
            let family = self.rng.weighted(&weights);
            // DRAFT 8%, OPEN 72%, PAUSED 6%, CLOSED (filled) 10%, CLOSED (cancelled) 4%.
            let roll = self.rng.weighted(&[8, 72, 6, 10, 4]);
            let (status, close_reason) = match roll {
                0 => ("DRAFT", None),
                1 => ("OPEN", None),
                2 => ("PAUSED", None),
                3 => ("CLOSED", Some("FILLED")),
                _ => ("CLOSED", Some("CANCELLED")),
            };
            // The first posting is always open, so even the smallest scale has applications.
            let (status, close_reason) = if index == 0 {
                ("OPEN", None)
            } else {
                (status, close_reason)
            };
            let (published, limit) = match status {
                "DRAFT" => (None, 0),
                "CLOSED" => {
                    let published = self.rng.range(-1150, -300) * DAY;
                    let closed = (published + self.rng.range(90, 280) * DAY).min(-20 * DAY);
                    (Some(published), closed + self.rng.range(10, 17) * HOUR)
                }
                _ => (Some(self.rng.range(-1000, -14) * DAY), 0),
            };
            let published = published.map(|p| p + self.rng.range(8, 17) * HOUR);
            let created = match published {
                Some(p) => p - self.rng.range(3, 20) * DAY,
                None => -self.rng.range(1, 40) * DAY + self.rng.range(8, 17) * HOUR,
            };
            let openings = 1 + self.rng.weighted(&[60, 25, 10, 5]) as i64;
            plans.push(PostingPlan {
                index,
                family,
                status,
                close_reason,
                created,
                published,
                limit,
                openings,
                applications: Vec::new(),
            });
        }
        // Applications per posting: its share of popularity × how long it took applications.
        let shares: Vec<f64> = plans
            .iter()
            .map(|p| match p.published {
                None => 0.0,
                Some(published) => {
                    let popularity = 0.3 + 2.7 * self.rng.unit() * self.rng.unit();
                    popularity * ((p.limit - published) as f64 / DAY as f64).max(1.0)
                }
            })
            .collect();
        let total: f64 = shares.iter().sum();
        for (plan, share) in plans.iter_mut().zip(&shares) {
            let Some(published) = plan.published else {
                continue;
            };
            let n = if total > 0.0 {
                (applications as f64 * share / total).round() as usize
            } else {
                0
            };
            let mut seen = HashSet::with_capacity(n);
            let mut list = Vec::with_capacity(n);
            for _ in 0..n {
                let mut candidate = None;
                for _ in 0..8 {
                    let c = self.rng.below(candidates);
                    if seen.insert(c) {
                        candidate = Some(c);
                        break;
                    }
                }
                let Some(candidate) = candidate else { continue };
                let window = (plan.limit - published - HOUR).max(1);
                let applied = published + HOUR + self.rng.range(0, window - 1);
                list.push((candidate, applied));
            }
            list.sort_by_key(|(c, t)| (*t, *c));
            plan.applications = list;
        }
        plans
    }

    /// Every candidate: created when they first applied (or when sourced).
    fn candidates(&mut self, out: &mut Writer, plans: &[PostingPlan]) {
        let count = scaled(100_000.0, self.scale, 1);
        let mut first = vec![i64::MAX; count];
        let mut last = vec![i64::MIN; count];
        for plan in plans {
            for (c, t) in &plan.applications {
                if let Some(f) = first.get_mut(*c) {
                    *f = (*f).min(*t);
                }
                if let Some(l) = last.get_mut(*c) {
                    *l = (*l).max(*t);
                }
            }
        }
        let country_weights: Vec<u32> = COUNTRIES.iter().map(|c| c.3).collect();
        let source_weights: Vec<u32> = SOURCES.iter().map(|s| s.1).collect();
        let tlds = ["com", "org", "net", "io"];
        for i in 0..count {
            let id = i as i64 + 1;
            let (name, handle) = person_name(&mut self.rng);
            let (country, time_zone, dialling, _) = COUNTRIES
                .get(self.rng.weighted(&country_weights))
                .copied()
                .unwrap_or(("US", "America/New_York", "1", 1));
            let tld = tlds
                .get(self.rng.below(tlds.len()))
                .copied()
                .unwrap_or("com");
            let email = format!("{handle}.{id}@example.{tld}");
            let display_email = if self.rng.chance(0.1) {
                let mut e = email.clone();
                if let Some(first_char) = e.get_mut(0..1) {
                    first_char.make_ascii_uppercase();
                }
                e
            } else {
                email.clone()
            };
            let created = match first.get(i).copied() {
                Some(t) if t != i64::MAX => t,
                _ => -self.rng.range(1, 700) * DAY + self.rng.range(0, DAY - 1),
            };
            let latest = last
                .get(i)
                .copied()
                .filter(|t| *t != i64::MIN)
                .unwrap_or(created);
            let retain = (latest + 730 * DAY).max(730 * DAY);
            let source = SOURCES
                .get(self.rng.weighted(&source_weights))
                .map_or("CAREERS_SITE", |s| s.0);
            let detail = match source {
                "REFERRAL" => Some(format!(
                    "Referred by interviewer-{}@hiregraph.example",
                    1 + self.rng.below(self.staff.interviewers.len())
                )),
                "SOURCED" => Some("LinkedIn".to_owned()),
                "AGENCY" => Some("Global Talent Partners".to_owned()),
                _ => None,
            };
            let phone = self.rng.chance(0.7).then(|| {
                format!(
                    "+{dialling} {} {}",
                    self.rng.range(100, 999),
                    self.rng.range(100_000, 999_999)
                )
            });
            let links = if self.rng.chance(0.5) {
                json!([
                    format!(
                        "https://www.linkedin.com/in/{}-{id}",
                        handle.replace('.', "-")
                    ),
                    format!("https://github.com/{}{id}", handle.replace('.', ""))
                ])
            } else {
                json!([format!(
                    "https://www.linkedin.com/in/{}-{id}",
                    handle.replace('.', "-")
                )])
            };
            out.row(
                CANDIDATES,
                [
                    int(id),
                    text(display_email),
                    text(email),
                    text(name),
                    text(country),
                    text(time_zone),
                    opt_text(phone),
                    Value::from(links),
                    text(source),
                    opt_text(detail),
                    at(created),
                    Value::from(day_of(retain)),
                    at(created),
                    at(created),
                ],
            );
            self.candidates.push(CandidateRow {
                time_zone,
                zone: zone_of(country),
                handle,
            });
        }
        self.candidate_busy = vec![Vec::new(); count];
    }

    /// Books a meeting of `minutes` on a weekday from the day after `earliest`:
    /// every seat filled by someone free, the candidate free too. Returns (start, panel).
    fn book(
        &mut self,
        earliest: i64,
        minutes: i64,
        seats: &[Seat<'_>],
        candidate: usize,
    ) -> Option<(i64, Vec<i64>)> {
        let World {
            rng,
            calendar,
            staff,
            candidate_busy,
            unbooked,
            ..
        } = self;
        let slots = ((minutes + 29) / 30).clamp(1, i64::from(SLOTS_PER_DAY)) as u32;
        // Booked one to three days ahead.
        let first_day = earliest.div_euclid(DAY) + 1 + rng.range(0, 2);
        for day in first_day..first_day + 21 {
            if day.rem_euclid(7) >= 5 {
                continue; // the anchor is a Monday: 5 and 6 are the weekend
            }
            for _ in 0..4 {
                let slot = rng.below((SLOTS_PER_DAY - slots + 1) as usize) as u32;
                let mask = ((1u32 << slots) - 1) << slot;
                let start = day * DAY + DAY_START + i64::from(slot) * 30;
                let end = start + minutes;
                let candidate_free = candidate_busy
                    .get(candidate)
                    .is_some_and(|busy| busy.iter().all(|(s, e)| end <= *s || *e <= start));
                if !candidate_free {
                    continue;
                }
                let mut panel: Vec<i64> = Vec::with_capacity(seats.len());
                for seat in seats {
                    let pool: &[i64] = match seat.pool {
                        Pool::Recruiters => &staff.recruiters,
                        Pool::Managers => &staff.managers,
                        Pool::Listed(list) => list,
                    };
                    let chosen = seat
                        .preferred
                        .filter(|p| !panel.contains(p) && calendar.free(*p, day, mask))
                        .or_else(|| {
                            (0..10).find_map(|_| {
                                let p = pool.get(rng.below(pool.len())).copied()?;
                                (!panel.contains(&p) && calendar.free(p, day, mask)).then_some(p)
                            })
                        });
                    match chosen {
                        Some(p) => panel.push(p),
                        None => break,
                    }
                }
                if panel.len() < seats.len() {
                    continue;
                }
                for p in &panel {
                    calendar.take(*p, day, mask);
                }
                if let Some(busy) = candidate_busy.get_mut(candidate) {
                    busy.push((start, end));
                }
                return Some((start, panel));
            }
        }
        *unbooked += 1;
        None
    }

    /// Writes one posting with its plan and every application to it.
    fn posting(&mut self, out: &mut Writer, plan: PostingPlan) {
        let family = FAMILIES.get(plan.family).unwrap_or(&FAMILIES[0]);
        let id = plan.index as i64 + 1;
        let rng = &mut self.rng;
        // Skills: three must-haves and two to four nice-to-haves from the family's pool.
        let skill_count = 3 + 2 + rng.below(3);
        let chosen = rng.sample(family.skills, skill_count);
        let must: Vec<i64> = chosen.iter().take(3).map(|s| self.skill_id(s)).collect();
        let nice: Vec<i64> = chosen.iter().skip(3).map(|s| self.skill_id(s)).collect();
        let rng = &mut self.rng;
        // Seniority → levels and title.
        let seniority = rng.weighted(&[10, 25, 35, 10, 4, 12, 4]);
        let (prefix, levels): (&str, &[usize]) = match seniority {
            0 => ("Junior ", &[0]),
            1 => ("", &[1]),
            2 => ("Senior ", &[2, 3]),
            3 => ("Staff ", &[4]),
            4 => ("Principal ", &[5]),
            5 => ("", &[6, 7]),
            _ => ("", &[8]),
        };
        let specialty = chosen.first().copied().unwrap_or("");
        let title = match seniority {
            5 => format!("{} Manager", family.name),
            6 => format!("Director of {}", family.name),
            _ if family.specialised => format!("{prefix}{} ({specialty})", family.role),
            _ => format!("{prefix}{}", family.role),
        };
        let slug = format!("{}-{id}", slugify(&title));
        let regions: Vec<usize> = if rng.chance(0.2) {
            vec![4]
        } else {
            let count = 1 + rng.weighted(&[70, 25, 5]);
            let mut r = rng.sample(&[0usize, 1, 2, 3], count);
            r.sort_unstable();
            r
        };
        let team_count = 1 + rng.below(3);
        let team_names = rng.sample(family.teams, team_count);
        let teams: Vec<i64> = team_names.iter().map(|t| self.team_id(t)).collect();
        let rng = &mut self.rng;
        let hm = self
            .staff
            .managers
            .get(plan.index % self.staff.managers.len().max(1))
            .copied()
            .unwrap_or(self.staff.admin);
        let recruiter = rng
            .pick(&self.staff.recruiters)
            .copied()
            .unwrap_or(self.staff.admin);
        let employment = match rng.weighted(&[90, 6, 4]) {
            0 => "FULL_TIME",
            1 => "CONTRACT",
            _ => "PART_TIME",
        };
        let workplace = if rng.chance(0.95) { "REMOTE" } else { "HYBRID" };
        // The range the careers site shows: the bands of its levels in the zones its regions pay from.
        let mut zones: Vec<usize> = regions
            .iter()
            .flat_map(|r| self.region_zones.get(*r).cloned().unwrap_or_default())
            .collect();
        zones.sort_unstable();
        zones.dedup();
        let mut range: Option<(i64, i64)> = None;
        for level in levels {
            for zone in &zones {
                if let Some((min, max)) = self
                    .bands
                    .get(plan.family)
                    .and_then(|f| f.get(*level))
                    .and_then(|l| l.get(*zone))
                {
                    range = Some(match range {
                        None => (*min, *max),
                        Some((lo, hi)) => (lo.min(*min), hi.max(*max)),
                    });
                }
            }
        }
        // The plan: review, screen, [manager], take-home, team, [final], offer.
        let variant = self.rng.weighted(&[35, 40, 25]);
        let mut kinds = vec![Kind::Review, Kind::Screen];
        if variant >= 1 {
            kinds.push(Kind::Manager);
        }
        kinds.push(Kind::TakeHome);
        kinds.push(Kind::Team);
        if variant == 2 {
            kinds.push(Kind::Final);
        }
        kinds.push(Kind::Offer);
        let updated = match (plan.status, plan.published) {
            ("CLOSED", _) => plan.limit,
            ("PAUSED", Some(p)) => (p + 30 * DAY).max(-self.rng.range(2, 60) * DAY),
            (_, Some(p)) => p,
            (_, None) => plan.created,
        };
        let published_salary = range.filter(|_| plan.published.is_some());
        let mut posting_row = [
            int(id),
            text(slug.clone()),
            text(title.clone()),
            int(plan.family as i64 + 1),
            text(plan.status),
            text(employment),
            text(workplace),
            Value::from(None::<NaiveDate>),
            int32(plan.openings),
            int(hm),
            int(recruiter),
            opt_at(plan.published),
            opt_at((plan.status == "CLOSED").then_some(plan.limit)),
            opt_text(plan.close_reason.map(str::to_owned)),
            text(BENEFITS),
            text(OTHER_COMPENSATION),
            opt_text(published_salary.map(|_| "USD".to_owned())),
            opt_text(published_salary.map(|_| "YEAR".to_owned())),
            opt_int(published_salary.map(|r| r.0)),
            opt_int(published_salary.map(|r| r.1)),
            opt_at(plan.published.filter(|_| published_salary.is_some())),
            at(plan.created),
            at(updated),
        ];
        let sections = [
            (
                "The position",
                format!(
                    "You'll join our {} team, fully remote, working with colleagues across many time zones. \
                     This role is open to candidates in the regions listed below.",
                    family.department
                ),
            ),
            (
                "What this job can offer you",
                "Meaningful challenges, a lot of freedom to organise your work and life, and a supportive, \
                 kind team of experienced colleagues."
                    .to_owned(),
            ),
        ];
        for (position, (heading, body)) in sections.into_iter().enumerate() {
            out.row(
                POSTING_SECTIONS,
                [
                    int(self.next_section),
                    int(id),
                    int32(position as i64 + 1),
                    text(heading),
                    text(body),
                ],
            );
            self.next_section += 1;
        }
        let responsibilities = [
            format!(
                "Own your team's work in {} end to end",
                family.name.to_lowercase()
            ),
            "Work closely with colleagues across product, design and engineering".to_owned(),
            format!(
                "Bring your experience with {} to the team and share it",
                chosen
                    .iter()
                    .take(2)
                    .copied()
                    .collect::<Vec<_>>()
                    .join(" and ")
            ),
            "Mentor others and take part in hiring".to_owned(),
        ];
        for (position, description) in responsibilities.into_iter().enumerate() {
            out.row(
                POSTING_RESPONSIBILITIES,
                [
                    int(self.next_responsibility),
                    int(id),
                    int32(position as i64 + 1),
                    text(description),
                ],
            );
            self.next_responsibility += 1;
        }
        for (position, skill) in must.iter().chain(&nice).enumerate() {
            let requirement = if position < must.len() {
                "MUST_HAVE"
            } else {
                "NICE_TO_HAVE"
            };
            out.row(
                POSTING_SKILLS,
                [
                    int(id),
                    int(*skill),
                    text(requirement),
                    int32(position as i64 + 1),
                ],
            );
        }
        for region in &regions {
            out.row(POSTING_REGIONS, [int(id), int(*region as i64 + 1)]);
        }
        for team in &teams {
            out.row(POSTING_TEAMS, [int(id), int(*team)]);
        }
        for level in levels {
            out.row(POSTING_LEVELS, [int(id), int(*level as i64 + 1)]);
        }
        let mut stages = Vec::with_capacity(kinds.len());
        for (position, kind) in kinds.iter().enumerate() {
            let (name, kind_name, minutes, sla): (String, &str, i64, i64) = match kind {
                Kind::Review => (
                    "Application is reviewed by our recruiters".into(),
                    "APPLICATION_REVIEW",
                    0,
                    72,
                ),
                Kind::Screen => (
                    "Interview with our recruiter".into(),
                    "RECRUITER_SCREEN",
                    30,
                    0,
                ),
                Kind::Manager => (
                    "Interview with the hiring manager".into(),
                    "INTERVIEW",
                    60,
                    0,
                ),
                Kind::TakeHome => (family.take_home.into(), "TAKE_HOME_EXERCISE", 0, 168),
                Kind::Team => (
                    "Interview with members of the team".into(),
                    "INTERVIEW",
                    90,
                    0,
                ),
                Kind::Final => ("Final interview".into(), "INTERVIEW", 45, 0),
                Kind::Offer => ("Offer".into(), "OFFER", 0, 120),
            };
            let stage_id = self.next_stage;
            self.next_stage += 1;
            out.row(
                INTERVIEW_STAGES,
                [
                    int(stage_id),
                    int(id),
                    int32(position as i64 + 1),
                    text(name),
                    text(kind_name),
                    text(if minutes > 0 { "SYNC" } else { "ASYNC" }),
                    opt_int32((minutes > 0).then_some(minutes)),
                    opt_int32((sla > 0).then_some(sla)),
                    at(plan.created),
                    at(plan.created),
                ],
            );
            stages.push(StageRow {
                id: stage_id,
                kind: *kind,
                minutes,
                sla_hours: sla,
            });
        }
        let questions = [
            ("Why would you like to work with us in this role?", true),
            ("Is there anything else you would like us to know?", false),
        ];
        let mut required_questions = Vec::new();
        for (position, (prompt, required)) in questions.iter().enumerate() {
            out.row(
                POSTING_QUESTIONS,
                [
                    int(self.next_question),
                    int(id),
                    int32(position as i64 + 1),
                    text(*prompt),
                    boolean(*required),
                ],
            );
            if *required {
                required_questions.push(self.next_question);
            }
            self.next_question += 1;
        }
        // Interviewers come from a window of the pool, so people meet the same postings.
        let pool_size = 40.min(self.staff.interviewers.len());
        let offset = self.rng.below(self.staff.interviewers.len());
        let pool: Vec<i64> = (0..pool_size)
            .filter_map(|i| {
                self.staff
                    .interviewers
                    .get((offset + i) % self.staff.interviewers.len())
                    .copied()
            })
            .collect();
        let mut ctx = PostingCtx {
            id,
            family: plan.family,
            slug,
            stages,
            teams,
            levels: levels.to_vec(),
            must,
            nice,
            hm,
            recruiter,
            pool,
            limit: if plan.status == "CLOSED" {
                plan.limit
            } else {
                0
            },
            close_reason: plan.close_reason,
            hires_left: match (plan.status, plan.close_reason) {
                (_, Some("CANCELLED")) => 0,
                ("CLOSED", _) => plan.openings,
                _ => self.rng.range(0, plan.openings - 1),
            },
            offers_left: 0,
            required_questions,
        };
        // Offers go to as many finalists as there are hires to make, sometimes one more.
        ctx.offers_left = ctx.hires_left + i64::from(self.rng.chance(0.3));
        for (candidate, applied) in plan.applications {
            self.application(out, &mut ctx, candidate, applied);
        }
        // A filled posting filled exactly its openings; one that hired nobody was cancelled.
        if plan.close_reason == Some("FILLED") {
            let hired = plan.openings - ctx.hires_left;
            posting_row[8] = int32(hired.max(1));
            if hired == 0 {
                posting_row[13] = text("CANCELLED");
            }
        }
        out.row(POSTINGS, posting_row);
    }
}

struct PostingCtx {
    id: i64,
    family: usize,
    slug: String,
    stages: Vec<StageRow>,
    teams: Vec<i64>,
    levels: Vec<usize>,
    must: Vec<i64>,
    nice: Vec<i64>,
    hm: i64,
    recruiter: i64,
    pool: Vec<i64>,
    /// When applications stop: the anchor (0) or the closing.
    limit: i64,
    close_reason: Option<&'static str>,
    hires_left: i64,
    offers_left: i64,
    required_questions: Vec<i64>,
}

/// One row of an application's history.
struct Transition {
    from_stage: Option<i64>,
    to_stage: i64,
    from_status: Option<&'static str>,
    to_status: &'static str,
    actor: Option<i64>,
    reason: Option<String>,
    at: i64,
}

/// How an application's story ended (or not yet).
enum End {
    Active,
    Rejected(&'static str, String),
    Withdrawn(String),
    Hired,
}

/// An interview to write.
struct InterviewRow {
    stage: i64,
    status: &'static str,
    starts: i64,
    ends: Option<i64>,
    meeting: bool,
    due: Option<i64>,
    submitted: Option<i64>,
    cancel_reason: Option<&'static str>,
    created: i64,
    updated: i64,
    panel: Vec<i64>,
    /// For completed ones: how the panel felt (true: in favour).
    verdict: Option<bool>,
}

fn rejection(rng: &mut Rng, kind: Kind) -> (&'static str, &'static str) {
    let options: &[(&str, &str, u32)] = match kind {
        Kind::Review => &[
            (
                "NOT_A_FIT",
                "The experience does not match what the role needs.",
                40,
            ),
            (
                "LACKS_REQUIRED_SKILLS",
                "Missing one or more of the must-have skills.",
                35,
            ),
            (
                "LOCATION_NOT_SUPPORTED",
                "We cannot employ people in the candidate's country yet.",
                15,
            ),
            (
                "COMPENSATION_MISMATCH",
                "Salary expectations well above the range.",
                10,
            ),
        ],
        Kind::Screen => &[
            (
                "NOT_A_FIT",
                "Motivation and experience did not match the role.",
                45,
            ),
            (
                "COMPENSATION_MISMATCH",
                "Salary expectations above the band for the zone.",
                25,
            ),
            ("UNRESPONSIVE", "Did not answer our follow-up messages.", 10),
            (
                "LOCATION_NOT_SUPPORTED",
                "Plans to relocate to a country we cannot hire in.",
                10,
            ),
            ("OTHER", "Not available for the start date we need.", 10),
        ],
        _ => &[
            (
                "LACKS_REQUIRED_SKILLS",
                "The panel found gaps in the must-have skills.",
                40,
            ),
            (
                "NOT_A_FIT",
                "The panel did not recommend moving forward.",
                50,
            ),
            (
                "POSITION_FILLED",
                "The opening was filled by a candidate further along.",
                10,
            ),
        ],
    };
    let weights: Vec<u32> = options.iter().map(|o| o.2).collect();
    let chosen = options.get(rng.weighted(&weights)).copied();
    chosen.map_or(("OTHER", "No longer considered."), |(r, n, _)| (r, n))
}

/// A working-hours instant `days` days (and some hours) after `t`.
fn later(rng: &mut Rng, t: i64, min_hours: i64, max_hours: i64) -> i64 {
    t + rng.range(min_hours * HOUR, max_hours * HOUR)
}

impl World {
    /// Simulates one application from applying to where it is at the limit.
    fn application(
        &mut self,
        out: &mut Writer,
        ctx: &mut PostingCtx,
        candidate: usize,
        applied: i64,
    ) {
        let app_id = self.next_application;
        self.next_application += 1;
        let limit = ctx.limit;
        let open_posting = ctx.close_reason.is_none();
        let first_stage = ctx.stages.first().map_or(0, |s| s.id);
        let mut transitions = vec![Transition {
            from_stage: None,
            to_stage: first_stage,
            from_status: None,
            to_status: "ACTIVE",
            actor: None,
            reason: None,
            at: applied,
        }];
        let mut interviews: Vec<InterviewRow> = Vec::new();
        let mut offers: Vec<OfferDraft> = Vec::new();
        let mut t = applied;
        let mut k = 0;
        let mut team: Option<i64> = None;
        let mut end = End::Active;
        // When the posting closes on an active application, it is rejected then.
        let mut closed_at_limit = false;
        while let Some(stage) = ctx.stages.get(k) {
            let stage_id = stage.id;
            let kind = stage.kind;
            // What happens at this stage: Some(decision time, passed) or None (still here).
            let decided: Option<(i64, bool)> = match kind {
                Kind::Review => {
                    let starts = later(&mut self.rng, t, 0, 2);
                    let due = starts + stage.sla_hours * HOUR;
                    let decision = later(&mut self.rng, starts, 2, 96);
                    // A good share of applications waits in the recruiters' queue (some long overdue).
                    let backlog = self.rng.chance(0.4);
                    if backlog || decision > limit {
                        // Still waiting for a recruiter to look at it (perhaps overdue).
                        let (status, updated, reason) = if !open_posting {
                            ("CANCELLED", limit, Some("The posting was closed"))
                        } else {
                            ("SCHEDULED", starts, None)
                        };
                        interviews.push(InterviewRow {
                            stage: stage_id,
                            status,
                            starts,
                            ends: None,
                            meeting: false,
                            due: Some(due),
                            submitted: None,
                            cancel_reason: reason,
                            created: starts,
                            updated,
                            panel: vec![ctx.recruiter],
                            verdict: None,
                        });
                        closed_at_limit = !open_posting;
                        None
                    } else {
                        let passed = self.rng.chance(0.72);
                        interviews.push(InterviewRow {
                            stage: stage_id,
                            status: "COMPLETED",
                            starts,
                            ends: None,
                            meeting: false,
                            due: Some(due),
                            submitted: None,
                            cancel_reason: None,
                            created: starts,
                            updated: decision,
                            panel: vec![ctx.recruiter],
                            verdict: Some(passed),
                        });
                        Some((decision, passed))
                    }
                }
                Kind::Screen | Kind::Manager | Kind::Team | Kind::Final => {
                    let pool = std::mem::take(&mut ctx.pool);
                    let decided_here = {
                        let seats: Vec<Seat<'_>> = match kind {
                            Kind::Screen => vec![Seat {
                                preferred: Some(ctx.recruiter),
                                pool: Pool::Recruiters,
                            }],
                            Kind::Manager => {
                                let mut s = vec![Seat {
                                    preferred: Some(ctx.hm),
                                    pool: Pool::Managers,
                                }];
                                if self.rng.chance(0.5) {
                                    s.push(Seat {
                                        preferred: None,
                                        pool: Pool::Listed(&pool),
                                    });
                                }
                                s
                            }
                            Kind::Team => {
                                let n = 2 + usize::from(self.rng.chance(0.3));
                                (0..n)
                                    .map(|_| Seat {
                                        preferred: None,
                                        pool: Pool::Listed(&pool),
                                    })
                                    .collect()
                            }
                            _ => {
                                let mut s = vec![Seat {
                                    preferred: Some(ctx.hm),
                                    pool: Pool::Managers,
                                }];
                                if self.rng.chance(0.4) {
                                    s.push(Seat {
                                        preferred: None,
                                        pool: Pool::Listed(&pool),
                                    });
                                }
                                s
                            }
                        };
                        let minutes = stage.minutes;
                        let mut earliest = t;
                        // Sometimes a first booking falls through: a no-show or a cancellation.
                        if self.rng.chance(0.07)
                            && let Some((starts, panel)) =
                                self.book(earliest, minutes, &seats, candidate)
                        {
                            let ends = starts + minutes;
                            if ends < limit {
                                let no_show = self.rng.chance(0.5);
                                let (status, reason, updated) = if no_show {
                                    ("NO_SHOW", None, ends + 30)
                                } else {
                                    (
                                        "CANCELLED",
                                        Some("The candidate asked to reschedule"),
                                        starts - self.rng.range(2, 30) * HOUR,
                                    )
                                };
                                interviews.push(InterviewRow {
                                    stage: stage_id,
                                    status,
                                    starts,
                                    ends: Some(ends),
                                    meeting: true,
                                    due: None,
                                    submitted: None,
                                    cancel_reason: reason,
                                    created: t + 2 * HOUR,
                                    updated: updated.max(t + 2 * HOUR),
                                    panel,
                                    verdict: None,
                                });
                                earliest = ends;
                            } else {
                                // Booked for the future after all: this is the meeting.
                                interviews.push(self.upcoming(
                                    stage_id,
                                    starts,
                                    ends,
                                    t,
                                    panel,
                                    limit,
                                    open_posting,
                                ));
                                closed_at_limit = !open_posting;
                                // handled below as "still here"
                                earliest = i64::MAX;
                            }
                        }
                        if earliest == i64::MAX {
                            None
                        } else {
                            match self.book(earliest, minutes, &seats, candidate) {
                                None => {
                                    closed_at_limit = !open_posting;
                                    None
                                }
                                Some((starts, panel)) => {
                                    let ends = starts + minutes;
                                    if ends >= limit {
                                        interviews.push(self.upcoming(
                                            stage_id,
                                            starts,
                                            ends,
                                            t,
                                            panel,
                                            limit,
                                            open_posting,
                                        ));
                                        closed_at_limit = !open_posting;
                                        None
                                    } else {
                                        let pass = match kind {
                                            Kind::Screen => 0.7,
                                            Kind::Manager => 0.72,
                                            Kind::Team => 0.45,
                                            _ => 0.7,
                                        };
                                        let passed = self.rng.chance(pass);
                                        let decision = later(&mut self.rng, ends, 3, 72);
                                        interviews.push(InterviewRow {
                                            stage: stage_id,
                                            status: "COMPLETED",
                                            starts,
                                            ends: Some(ends),
                                            meeting: true,
                                            due: None,
                                            submitted: None,
                                            cancel_reason: None,
                                            created: t + 2 * HOUR,
                                            updated: ends,
                                            panel,
                                            verdict: Some(passed),
                                        });
                                        // Sometimes the decision after a meeting is still pending.
                                        let waiting = open_posting && self.rng.chance(0.12);
                                        if decision >= limit || waiting {
                                            closed_at_limit = !open_posting;
                                            None
                                        } else {
                                            if passed && kind == Kind::Team {
                                                team = self.rng.pick(&ctx.teams).copied();
                                            }
                                            Some((decision, passed))
                                        }
                                    }
                                }
                            }
                        }
                    };
                    ctx.pool = pool;
                    decided_here
                }
                Kind::TakeHome => {
                    let starts = later(&mut self.rng, t, 1, 3);
                    let due = starts + stage.sla_hours * HOUR;
                    let reviewer = self.rng.pick(&ctx.pool).copied().unwrap_or(ctx.hm);
                    let gives_up = self.rng.chance(0.12);
                    let submitted = later(&mut self.rng, starts, 20, 160);
                    let decision = later(&mut self.rng, submitted, 4, 72);
                    if gives_up {
                        let when = due + 2 * HOUR;
                        if when >= limit {
                            interviews.push(self.open_assignment(
                                stage_id,
                                starts,
                                due,
                                reviewer,
                                limit,
                                open_posting,
                            ));
                            closed_at_limit = !open_posting;
                            None
                        } else {
                            interviews.push(InterviewRow {
                                stage: stage_id,
                                status: "CANCELLED",
                                starts,
                                ends: None,
                                meeting: false,
                                due: Some(due),
                                submitted: None,
                                cancel_reason: Some("Not submitted by the due date"),
                                created: starts,
                                updated: when,
                                panel: vec![reviewer],
                                verdict: None,
                            });
                            end = End::Withdrawn(
                                "Did not complete the exercise and withdrew.".to_owned(),
                            );
                            transitions.push(close(
                                stage_id,
                                "WITHDRAWN",
                                Some(ctx.recruiter),
                                "Did not complete the exercise and withdrew.",
                                when,
                            ));
                            break;
                        }
                    } else if submitted >= limit {
                        interviews.push(self.open_assignment(
                            stage_id,
                            starts,
                            due,
                            reviewer,
                            limit,
                            open_posting,
                        ));
                        closed_at_limit = !open_posting;
                        None
                    } else {
                        let passed = self.rng.chance(0.7);
                        interviews.push(InterviewRow {
                            stage: stage_id,
                            status: "COMPLETED",
                            starts,
                            ends: None,
                            meeting: false,
                            due: Some(due),
                            submitted: Some(submitted),
                            cancel_reason: None,
                            created: starts,
                            updated: decision.min(limit - 1),
                            panel: vec![reviewer],
                            verdict: Some(passed),
                        });
                        if decision >= limit {
                            closed_at_limit = !open_posting;
                            None
                        } else {
                            Some((decision, passed))
                        }
                    }
                }
                Kind::Offer => {
                    let result = self.offer(ctx, candidate, t, team, &mut offers);
                    match result {
                        OfferEnd::Pending => {
                            closed_at_limit = !open_posting;
                            None
                        }
                        OfferEnd::Accepted(when) => {
                            end = End::Hired;
                            transitions.push(Transition {
                                from_stage: Some(stage_id),
                                to_stage: stage_id,
                                from_status: Some("ACTIVE"),
                                to_status: "HIRED",
                                actor: Some(ctx.recruiter),
                                reason: Some("offer accepted".to_owned()),
                                at: when,
                            });
                            break;
                        }
                        OfferEnd::Declined(when) => {
                            let note = "Declined our offer.".to_owned();
                            transitions.push(close(
                                stage_id,
                                "WITHDRAWN",
                                Some(ctx.recruiter),
                                &note,
                                when,
                            ));
                            end = End::Withdrawn(note);
                            break;
                        }
                    }
                }
            };
            let Some((decision, passed)) = decided else {
                break;
            };
            let mover = match kind {
                Kind::Review | Kind::Screen => ctx.recruiter,
                _ => ctx.hm,
            };
            // Candidates sometimes withdraw instead.
            if self.rng.chance(0.04) {
                let note = "Accepted another offer.".to_owned();
                transitions.push(close(
                    stage_id,
                    "WITHDRAWN",
                    Some(ctx.recruiter),
                    &note,
                    decision,
                ));
                end = End::Withdrawn(note);
                break;
            }
            let next = ctx.stages.get(k + 1);
            let into_offer = next.is_some_and(|s| s.kind == Kind::Offer);
            let passed = passed && (!into_offer || ctx.offers_left > 0);
            if !passed {
                let (reason, note) = if into_offer {
                    ("POSITION_FILLED", "The openings went to other candidates.")
                } else {
                    rejection(&mut self.rng, kind)
                };
                transitions.push(close(stage_id, "REJECTED", Some(mover), note, decision));
                end = End::Rejected(reason, note.to_owned());
                break;
            }
            let Some(next) = next else { break };
            if into_offer {
                ctx.offers_left -= 1;
            }
            transitions.push(Transition {
                from_stage: Some(stage_id),
                to_stage: next.id,
                from_status: Some("ACTIVE"),
                to_status: "ACTIVE",
                actor: Some(mover),
                reason: None,
                at: decision,
            });
            t = decision;
            k += 1;
        }
        let current_stage = transitions.last().map_or(first_stage, |tr| tr.to_stage);
        if closed_at_limit && matches!(end, End::Active) {
            let (reason, note) = if ctx.close_reason == Some("FILLED") {
                ("POSITION_FILLED", "The posting was filled and closed.")
            } else {
                ("OTHER", "The posting was cancelled.")
            };
            transitions.push(close(
                current_stage,
                "REJECTED",
                Some(ctx.recruiter),
                note,
                limit + HOUR,
            ));
            end = End::Rejected(reason, note.to_owned());
            // An offer still open when the posting closed is withdrawn.
            if let Some(last) = offers.last_mut()
                && matches!(
                    last.status,
                    "DRAFT" | "PENDING_APPROVAL" | "APPROVED" | "SENT"
                )
            {
                last.status = "WITHDRAWN";
                last.updated = limit + HOUR;
            }
        }
        let (status, reason, note) = match &end {
            End::Active => ("ACTIVE", None, None),
            End::Rejected(r, n) => ("REJECTED", Some(*r), Some(n.clone())),
            End::Withdrawn(n) => ("WITHDRAWN", None, Some(n.clone())),
            End::Hired => ("HIRED", None, None),
        };
        let last_change = transitions.last().map_or(applied, |tr| tr.at);
        out.row(
            APPLICATIONS,
            [
                int(app_id),
                int(candidate as i64 + 1),
                int(ctx.id),
                int(current_stage),
                text(status),
                opt_text(reason.map(str::to_owned)),
                // Only rejections keep a note on the application; withdrawals keep theirs in the history.
                opt_text(note.filter(|_| status == "REJECTED")),
                opt_int(team),
                int32(transitions.len() as i64),
                at(applied),
                at(applied),
                at(last_change),
            ],
        );
        for question in &ctx.required_questions {
            let answer = match self.rng.below(3) {
                0 => {
                    "I have followed your product for a while and the problems you solve are the ones I want to work on."
                }
                1 => {
                    "Fully remote work across time zones suits me, and the role matches my experience closely."
                }
                _ => {
                    "I am looking for a team where I can grow, and the description of this role fits what I do best."
                }
            };
            out.row(
                APPLICATION_ANSWERS,
                [int(app_id), int(*question), text(answer)],
            );
        }
        for tr in &transitions {
            out.row(
                STAGE_TRANSITIONS,
                [
                    int(self.next_transition),
                    int(app_id),
                    opt_int(tr.from_stage),
                    int(tr.to_stage),
                    opt_text(tr.from_status.map(str::to_owned)),
                    text(tr.to_status),
                    opt_int(tr.actor),
                    opt_text(tr.reason.clone()),
                    at(tr.at),
                ],
            );
            self.next_transition += 1;
        }
        let time_zone = self
            .candidates
            .get(candidate)
            .map_or("UTC", |c| c.time_zone);
        let handle = self
            .candidates
            .get(candidate)
            .map(|c| c.handle.replace('.', ""))
            .unwrap_or_default();
        for iv in interviews {
            let iid = self.next_interview;
            self.next_interview += 1;
            let meeting_url = iv.meeting.then(|| self.meeting_url());
            let submission_url = iv.submitted.map(|_| {
                format!(
                    "https://github.com/{handle}{}/{}-exercise",
                    candidate + 1,
                    ctx.slug
                )
            });
            out.row(
                INTERVIEWS,
                [
                    int(iid),
                    int(app_id),
                    int(iv.stage),
                    text(iv.status),
                    at(iv.starts),
                    opt_at(iv.ends),
                    text(time_zone),
                    opt_text(meeting_url),
                    opt_at(iv.due),
                    opt_at(iv.submitted),
                    opt_text(submission_url),
                    opt_text(iv.cancel_reason.map(str::to_owned)),
                    at(iv.created),
                    at(iv.updated),
                ],
            );
            for user in &iv.panel {
                out.row(INTERVIEW_INTERVIEWERS, [int(iid), int(*user)]);
            }
            if let Some(verdict) = iv.verdict {
                let done = iv.ends.or(iv.submitted).unwrap_or(iv.updated);
                for user in &iv.panel {
                    self.scorecard(out, ctx, iid, *user, verdict, done);
                }
            }
        }
        for offer in offers {
            self.write_offer(out, ctx, app_id, offer);
        }
    }

    /// A meeting booked at or after the limit: upcoming, or cancelled when the posting closed.
    #[allow(clippy::too_many_arguments)]
    fn upcoming(
        &self,
        stage: i64,
        starts: i64,
        ends: i64,
        entered: i64,
        panel: Vec<i64>,
        limit: i64,
        open_posting: bool,
    ) -> InterviewRow {
        let created = (entered + 2 * HOUR).min(limit - 1);
        let (status, reason, updated) = if open_posting {
            ("SCHEDULED", None, created)
        } else {
            ("CANCELLED", Some("The posting was closed"), limit + HOUR)
        };
        InterviewRow {
            stage,
            status,
            starts,
            ends: Some(ends),
            meeting: true,
            due: None,
            submitted: None,
            cancel_reason: reason,
            created,
            updated,
            panel,
            verdict: None,
        }
    }

    /// An assignment not handed in by the limit.
    fn open_assignment(
        &self,
        stage: i64,
        starts: i64,
        due: i64,
        reviewer: i64,
        limit: i64,
        open_posting: bool,
    ) -> InterviewRow {
        let (status, reason, updated) = if open_posting {
            ("SCHEDULED", None, starts)
        } else {
            ("CANCELLED", Some("The posting was closed"), limit + HOUR)
        };
        InterviewRow {
            stage,
            status,
            starts,
            ends: None,
            meeting: false,
            due: Some(due),
            submitted: None,
            cancel_reason: reason,
            created: starts,
            updated,
            panel: vec![reviewer],
            verdict: None,
        }
    }

    fn meeting_url(&mut self) -> String {
        let mut code = String::with_capacity(12);
        for i in 0..10 {
            if i == 3 || i == 7 {
                code.push('-');
            }
            code.push(char::from(b'a' + self.rng.below(26) as u8));
        }
        format!("https://meet.example.com/{code}")
    }

    /// A submitted scorecard rating every must-have skill (and sometimes a nice-to-have).
    fn scorecard(
        &mut self,
        out: &mut Writer,
        ctx: &PostingCtx,
        interview: i64,
        user: i64,
        verdict: bool,
        done: i64,
    ) {
        let id = self.next_scorecard;
        self.next_scorecard += 1;
        let submitted = (done + self.rng.range(20, 30 * 60))
            .min(ctx.limit - 1)
            .max(done);
        let recommendation = match (verdict, self.rng.chance(0.75)) {
            (true, true) => "YES",
            (true, false) => "STRONG_YES",
            (false, true) => "NO",
            (false, false) => "STRONG_NO",
        };
        let notes = if verdict {
            "Clear, structured answers; would be glad to work with them."
        } else {
            "Struggled with the core of the role; not enough evidence for the must-haves."
        };
        out.row(
            SCORECARDS,
            [
                int(id),
                int(interview),
                int(user),
                text(recommendation),
                text(notes),
                at(submitted),
                at(submitted),
                at(submitted),
            ],
        );
        let mut skills = ctx.must.clone();
        if self.rng.chance(0.5)
            && let Some(n) = self.rng.pick(&ctx.nice)
        {
            skills.push(*n);
        }
        for skill in skills {
            let rating = if verdict {
                self.rng.range(2, 4)
            } else {
                self.rng.range(1, 3)
            };
            out.row(
                SCORECARD_RATINGS,
                [int(id), int(skill), int32(rating), null_text()],
            );
        }
    }
}

/// How the offer stage ended for an application.
enum OfferEnd {
    /// Not answered by the limit.
    Pending,
    Accepted(i64),
    Declined(i64),
}

struct OfferDraft {
    version: i64,
    status: &'static str,
    level: usize,
    zone: usize,
    team: Option<i64>,
    salary: i64,
    start_date: Option<i64>,
    expires: Option<i64>,
    created: i64,
    updated: i64,
    /// (decision, decided at) of the hiring manager's approval, when asked.
    approval: Option<(&'static str, i64, Option<i64>)>,
}

impl World {
    /// The offer stage: one offer (sometimes revised once), approved by the
    /// hiring manager, sent, and accepted or declined, as far as the limit allows.
    fn offer(
        &mut self,
        ctx: &mut PostingCtx,
        candidate: usize,
        entered: i64,
        team: Option<i64>,
        offers: &mut Vec<OfferDraft>,
    ) -> OfferEnd {
        let limit = ctx.limit;
        let zone = self.candidates.get(candidate).map_or(0, |c| c.zone);
        let level = self.rng.pick(&ctx.levels).copied().unwrap_or(2);
        let (min, max) = self
            .bands
            .get(ctx.family)
            .and_then(|f| f.get(level))
            .and_then(|l| l.get(zone))
            .copied()
            .unwrap_or((5_000_000, 8_000_000));
        let salary = |rng: &mut Rng, lo: f64, hi: f64| {
            let f = lo + (hi - lo) * rng.unit();
            ((min as f64 + (max - min) as f64 * f) / 10_000.0).round() as i64 * 10_000
        };
        let team = team.or_else(|| ctx.teams.first().copied());
        let revised = self.rng.chance(0.15);
        let mut created = later(&mut self.rng, entered, 4, 30);
        if created >= limit {
            return OfferEnd::Pending;
        }
        let mut version = 1;
        if revised {
            // A first version, superseded after the approval asked for changes.
            let asked = later(&mut self.rng, created, 2, 24);
            let decided = later(&mut self.rng, asked, 2, 24);
            if decided >= limit {
                offers.push(OfferDraft {
                    version,
                    status: "PENDING_APPROVAL",
                    level,
                    zone,
                    team,
                    salary: salary(&mut self.rng, 0.2, 0.8),
                    start_date: None,
                    expires: None,
                    created,
                    updated: asked.min(limit - 1),
                    approval: Some(("PENDING", asked.min(limit - 1), None)),
                });
                return OfferEnd::Pending;
            }
            offers.push(OfferDraft {
                version,
                status: "SUPERSEDED",
                level,
                zone,
                team,
                salary: salary(&mut self.rng, 0.6, 1.0),
                start_date: None,
                expires: None,
                created,
                updated: decided,
                approval: Some(("REJECTED", asked, Some(decided))),
            });
            version += 1;
            created = decided + HOUR;
        }
        let asked = later(&mut self.rng, created, 1, 24);
        let approved = later(&mut self.rng, asked, 2, 48);
        let sent = later(&mut self.rng, approved, 1, 24);
        let answered = later(&mut self.rng, sent, 12, 120);
        let accepts = ctx.hires_left > 0 && self.rng.chance(0.85);
        let amount = salary(&mut self.rng, 0.2, 0.8);
        let start_date = Some(answered + self.rng.range(21, 45) * DAY);
        let mut draft = OfferDraft {
            version,
            status: "DRAFT",
            level,
            zone,
            team,
            salary: amount,
            start_date,
            expires: None,
            created,
            updated: created,
            approval: None,
        };
        let outcome = if asked >= limit {
            OfferEnd::Pending
        } else if approved >= limit {
            draft.status = "PENDING_APPROVAL";
            draft.updated = asked;
            draft.approval = Some(("PENDING", asked, None));
            OfferEnd::Pending
        } else if sent >= limit {
            draft.status = "APPROVED";
            draft.updated = approved;
            draft.approval = Some(("APPROVED", asked, Some(approved)));
            OfferEnd::Pending
        } else if answered >= limit {
            draft.status = "SENT";
            draft.updated = sent;
            draft.expires = Some(sent + 7 * DAY);
            draft.approval = Some(("APPROVED", asked, Some(approved)));
            OfferEnd::Pending
        } else {
            draft.expires = Some(sent + 7 * DAY);
            draft.updated = answered;
            draft.approval = Some(("APPROVED", asked, Some(approved)));
            if accepts {
                draft.status = "ACCEPTED";
                ctx.hires_left -= 1;
                OfferEnd::Accepted(answered)
            } else {
                draft.status = "DECLINED";
                OfferEnd::Declined(answered)
            }
        };
        offers.push(draft);
        outcome
    }

    fn write_offer(
        &mut self,
        out: &mut Writer,
        ctx: &PostingCtx,
        application: i64,
        offer: OfferDraft,
    ) {
        let id = self.next_offer;
        self.next_offer += 1;
        out.row(
            OFFERS,
            [
                int(id),
                int(application),
                int32(offer.version),
                text(offer.status),
                int(offer.level as i64 + 1),
                int(offer.zone as i64 + 1),
                opt_int(offer.team),
                text("USD"),
                text("YEAR"),
                int(offer.salary),
                Value::from(offer.start_date.map(day_of)),
                opt_at(offer.expires),
                null_text(),
                null_text(),
                null_int(),
                int(ctx.recruiter),
                at(offer.created),
                at(offer.updated),
            ],
        );
        if let Some((decision, asked, decided)) = offer.approval {
            let comment = (decision == "REJECTED")
                .then(|| "Please bring the base salary closer to the band's midpoint.".to_owned());
            out.row(
                OFFER_APPROVALS,
                [
                    int(self.next_approval),
                    int(id),
                    int(ctx.hm),
                    text(decision),
                    opt_text(comment),
                    opt_at(decided),
                    at(asked),
                ],
            );
            self.next_approval += 1;
        }
    }
}

/// A closing entry of the history: a change of status at the same stage.
fn close(
    stage: i64,
    status: &'static str,
    actor: Option<i64>,
    reason: &str,
    at: i64,
) -> Transition {
    Transition {
        from_stage: Some(stage),
        to_stage: stage,
        from_status: Some("ACTIVE"),
        to_status: status,
        actor,
        reason: Some(reason.to_owned()),
        at,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generator_is_deterministic() {
        let mut a = Rng(SEED);
        let mut b = Rng(SEED);
        for _ in 0..100 {
            assert_eq!(a.next(), b.next());
        }
    }

    #[test]
    fn statements_stay_under_both_parameter_limits() {
        for table in TABLES {
            let per = (MAX_PARAMS / table.columns.len()).max(1) * table.columns.len();
            assert!(per <= 32_766, "{}", table.name);
        }
    }

    #[test]
    fn the_anchor_is_a_monday() {
        use chrono::Datelike;
        assert_eq!(anchor().weekday(), chrono::Weekday::Mon);
        assert_eq!(anchor().to_rfc3339(), "2026-11-02T00:00:00+00:00");
    }

    #[test]
    fn slugs_are_lower_case_words() {
        assert_eq!(
            slugify("Senior Backend Engineer (Elixir)"),
            "senior-backend-engineer-elixir"
        );
    }
}
