//! The demo fixture: a small but realistic hiring organisation built around
//! one real job posting, "Senior Backend Engineer (Elixir)", open to
//! Remote-Africa.
//!
//! The posting's text (the position, what the job offers, the ten key
//! responsibilities, the must-have and nice-to-have skills, the remote
//! compensation philosophy and the eight-step application process) is copied
//! verbatim from the published posting. Its advertised base salary range,
//! USD 51,850 to 171,450 a year, is *not* stored anywhere: it falls out of the
//! compensation bands below through the same derivation the API uses (the
//! posting's two levels × the geo zones that Remote-Africa covers). Everything
//! else — people, teams, zones, band amounts, candidates and their progress —
//! is invented to look plausible around it.
//!
//! Every timestamp is relative to the moment of loading (applied 12 days ago,
//! interview in 2 days), so the pipeline looks live whenever the demo is
//! loaded. All times are UTC; people's IANA time zones say how to show them.

use crate::db::begin_write;
use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use entity::enums::{
    ApplicationStatus, CandidateSource, CloseReason, EmploymentType, FloorKind, InterviewStatus,
    PayInterval, PostingStatus, RejectionReason, Role, SkillRequirement, StageKind, StageMode,
    Track, WorkplaceType,
};
use entity::{
    application, candidate, compensation_band, exchange_rate, exchange_rate_set, geo_zone,
    geo_zone_country, interview, interview_interviewer, interview_stage, job_family, level,
    pay_floor, posting, posting_level, posting_region, posting_responsibility, posting_section,
    posting_skill, posting_team, region, region_country, skill, stage_transition, team, user,
};
use sea_orm::{ActiveModelTrait, DatabaseConnection, DatabaseTransaction, DbErr, Set};
use serde_json::json;

/// What the demo load created (counts, plus the admin's email so the server can mint a token for it).
#[derive(Debug, Clone)]
pub struct DemoSummary {
    /// The email of the ADMIN user.
    pub admin_email: String,
    /// Postings created (open, draft and closed).
    pub postings: usize,
    /// Candidates created.
    pub candidates: usize,
    /// Applications created.
    pub applications: usize,
    /// Interviews created (meetings and take-home assignments).
    pub interviews: usize,
}

/// Loads the demo data in ONE transaction (all or nothing). Call only on an empty database.
///
/// Refuses (with `DbErr::Custom`) when the database already has staff users,
/// rather than failing halfway on a unique index.
pub async fn load_demo(db: &DatabaseConnection) -> Result<DemoSummary, DbErr> {
    let txn = begin_write(db).await?;
    if !super::is_empty(&txn).await? {
        return Err(DbErr::Custom(
            "the demo data can only be loaded into an empty database; this one already has users"
                .to_owned(),
        ));
    }
    let clock = Clock::new();
    let staff = users(&txn, &clock).await?;
    let refs = Reference {
        teams: teams(&txn, &clock).await?,
        regions: regions(&txn, &clock).await?,
        skills: skills(&txn, &clock).await?,
        families: job_families(&txn, &clock).await?,
        levels: levels(&txn, &clock).await?,
        staff,
    };
    compensation(&txn, &clock, &refs).await?;
    rates_and_floors(&txn, &clock).await?;
    let mut postings = HashMap::new();
    for fixture in POSTINGS {
        postings.insert(fixture.slug, posting(&txn, &clock, &refs, fixture).await?);
    }
    let timelines: Vec<Timeline> = APPLICATIONS
        .iter()
        .enumerate()
        .map(|(i, fixture)| Timeline::new(&clock, i, fixture))
        .collect();
    let people = candidates(&txn, &timelines).await?;
    let (applications, interviews) =
        pipeline(&txn, &clock, &refs, &postings, &people, &timelines).await?;
    txn.commit().await?;
    Ok(DemoSummary {
        admin_email: ADMIN_EMAIL.to_owned(),
        postings: postings.len(),
        candidates: people.len(),
        applications,
        interviews,
    })
}

// ---------------------------------------------------------------------------
// Time
// ---------------------------------------------------------------------------

/// Turns the fixture's "N days ago at HH:MM" into UTC instants. Whole days
/// and round hours keep the data readable; using only days ≥ 1 for the past
/// and ≥ 1 for the future keeps past events in the past at any time of day.
struct Clock {
    /// Today's midnight, UTC: every instant is a whole number of minutes
    /// from it, so values round-trip through both databases unchanged.
    midnight: DateTime<Utc>,
}

impl Clock {
    fn new() -> Self {
        Clock {
            midnight: Utc::now().date_naive().and_time(NaiveTime::MIN).and_utc(),
        }
    }

    /// `days` days before today at `hour`:`minute` UTC.
    fn days_ago(&self, days: i64, hour: i64, minute: i64) -> DateTime<Utc> {
        self.midnight - Duration::days(days) + Duration::hours(hour) + Duration::minutes(minute)
    }

    /// `days` days after today at `hour`:00 UTC.
    fn days_ahead(&self, days: i64, hour: i64) -> DateTime<Utc> {
        self.days_ago(-days, hour, 0)
    }

    /// When the reference data (staff, teams, zones, bands…) was set up.
    fn setup(&self) -> DateTime<Utc> {
        self.days_ago(120, 9, 0)
    }
}

/// A calendar date, failing instead of panicking on an impossible one.
fn date(year: i32, month: u32, day: u32) -> Result<NaiveDate, DbErr> {
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| {
        DbErr::Custom(format!(
            "demo fixture has an impossible date {year}-{month}-{day}"
        ))
    })
}

// ---------------------------------------------------------------------------
// Looking up what was inserted
// ---------------------------------------------------------------------------

/// Ids of inserted rows by their natural key (name, code, slug, email).
#[derive(Default)]
struct Ids(HashMap<String, i64>);

impl Ids {
    fn insert(&mut self, key: &str, id: i64) {
        self.0.insert(key.to_owned(), id);
    }

    /// The id of `key`; an error (not a panic) if the fixture names something it never created.
    fn get(&self, key: &str) -> Result<i64, DbErr> {
        self.0
            .get(key)
            .copied()
            .ok_or_else(|| DbErr::Custom(format!("demo fixture refers to unknown `{key}`")))
    }
}

/// The staff users by the part they play in the demo.
struct Staff {
    recruiter: i64,
    engineering_manager: i64,
    vp_engineering: i64,
    engineers: Vec<i64>,
}

impl Staff {
    /// The `n`-th engineer, round robin, so interview load is spread out.
    fn engineer(&self, n: usize) -> Result<i64, DbErr> {
        if self.engineers.is_empty() {
            return Err(DbErr::Custom("demo fixture has no interviewers".to_owned()));
        }
        self.engineers
            .get(n % self.engineers.len())
            .copied()
            .ok_or_else(|| DbErr::Custom("demo fixture has no interviewers".to_owned()))
    }
}

/// Everything postings refer to.
struct Reference {
    staff: Staff,
    teams: Ids,
    regions: Ids,
    skills: Ids,
    families: Ids,
    levels: Ids,
}

// ---------------------------------------------------------------------------
// Staff users
// ---------------------------------------------------------------------------

/// The admin's email; the server mints a development token for it.
const ADMIN_EMAIL: &str = "admin@hiregraph.example";

/// The part a staff user plays in the demo (finer than their role).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Duty {
    Admin,
    Recruiter,
    EngineeringManager,
    VpEngineering,
    Engineer,
}

struct StaffFixture {
    email: &'static str,
    name: &'static str,
    role: Role,
    duty: Duty,
    time_zone: &'static str,
}

const fn staff(
    email: &'static str,
    name: &'static str,
    role: Role,
    duty: Duty,
    time_zone: &'static str,
) -> StaffFixture {
    StaffFixture {
        email,
        name,
        role,
        duty,
        time_zone,
    }
}

/// A fully remote team: staff live across Africa, Europe and the Americas.
const STAFF: &[StaffFixture] = &[
    staff(
        ADMIN_EMAIL,
        "Alex Morgan",
        Role::Admin,
        Duty::Admin,
        "America/Toronto",
    ),
    staff(
        "wanjiru.kamau@hiregraph.example",
        "Wanjiru Kamau",
        Role::Recruiter,
        Duty::Recruiter,
        "Africa/Nairobi",
    ),
    // The hiring manager: an Engineering Manager, who runs stage 3.
    staff(
        "tomasz.nowak@hiregraph.example",
        "Tomasz Nowak",
        Role::HiringManager,
        Duty::EngineeringManager,
        "Europe/Warsaw",
    ),
    // The VP of Engineering, who runs stage 7.
    staff(
        "marta.oliveira@hiregraph.example",
        "Marta Oliveira",
        Role::HiringManager,
        Duty::VpEngineering,
        "Europe/Lisbon",
    ),
    staff(
        "kwame.mensah@hiregraph.example",
        "Kwame Mensah",
        Role::Interviewer,
        Duty::Engineer,
        "Africa/Accra",
    ),
    staff(
        "chiamaka.eze@hiregraph.example",
        "Chiamaka Eze",
        Role::Interviewer,
        Duty::Engineer,
        "Africa/Lagos",
    ),
    staff(
        "youssef.benali@hiregraph.example",
        "Youssef Benali",
        Role::Interviewer,
        Duty::Engineer,
        "Africa/Casablanca",
    ),
    staff(
        "diego.ramirez@hiregraph.example",
        "Diego Ramírez",
        Role::Interviewer,
        Duty::Engineer,
        "America/Mexico_City",
    ),
];

async fn users(txn: &DatabaseTransaction, clock: &Clock) -> Result<Staff, DbErr> {
    let mut staff = Staff {
        recruiter: 0,
        engineering_manager: 0,
        vp_engineering: 0,
        engineers: Vec::new(),
    };
    for fixture in STAFF {
        let row = user::ActiveModel {
            email: Set(fixture.email.to_lowercase()),
            name: Set(fixture.name.to_owned()),
            role: Set(fixture.role),
            time_zone: Set(fixture.time_zone.to_owned()),
            active: Set(true),
            created_at: Set(clock.setup()),
            updated_at: Set(clock.setup()),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        match fixture.duty {
            Duty::Admin => {}
            Duty::Recruiter => staff.recruiter = row.id,
            Duty::EngineeringManager => staff.engineering_manager = row.id,
            Duty::VpEngineering => staff.vp_engineering = row.id,
            Duty::Engineer => staff.engineers.push(row.id),
        }
    }
    Ok(staff)
}

// ---------------------------------------------------------------------------
// Teams
// ---------------------------------------------------------------------------

/// Engineering is organised in cross-functional teams, one per product vertical.
const DEPARTMENT: &str = "Engineering";

/// (team name, product vertical)
const TEAMS: &[(&str, &str)] = &[
    ("Payroll Engine", "Payroll"),
    ("Benefits Administration", "Benefits"),
    ("Contractor Management", "Contractor Management"),
    ("Global Payments", "Payments"),
    ("Developer Platform", "Developer Platform"),
    ("Frontend Platform", "Design System"),
];

async fn teams(txn: &DatabaseTransaction, clock: &Clock) -> Result<Ids, DbErr> {
    let mut ids = Ids::default();
    for (name, vertical) in TEAMS {
        let row = team::ActiveModel {
            name: Set((*name).to_owned()),
            department: Set(DEPARTMENT.to_owned()),
            vertical: Set(Some((*vertical).to_owned())),
            created_at: Set(clock.setup()),
            updated_at: Set(clock.setup()),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        ids.insert(name, row.id);
    }
    Ok(ids)
}

// ---------------------------------------------------------------------------
// Regions
// ---------------------------------------------------------------------------

/// The 54 African member states of the United Nations (the array length is checked by the compiler).
const AFRICA: [&str; 54] = [
    "DZ", "AO", "BJ", "BW", "BF", "BI", "CV", "CM", "CF", "TD", "KM", "CG", "CD", "CI", "DJ", "EG",
    "GQ", "ER", "SZ", "ET", "GA", "GM", "GH", "GN", "GW", "KE", "LS", "LR", "LY", "MG", "MW", "ML",
    "MR", "MU", "MA", "MZ", "NA", "NE", "NG", "RW", "ST", "SN", "SC", "SL", "SO", "ZA", "SS", "SD",
    "TZ", "TG", "TN", "UG", "ZM", "ZW",
];

/// The EU, the EEA and the United Kingdom and Switzerland.
const EUROPE: &[&str] = &[
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV",
    "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO", "CH", "GB",
];

const AMERICAS: &[&str] = &[
    "US", "CA", "MX", "GT", "CR", "PA", "DO", "CO", "EC", "PE", "BR", "BO", "PY", "UY", "AR", "CL",
];

struct RegionFixture {
    name: &'static str,
    slug: &'static str,
    /// "Anywhere in the World" lists no countries: every country qualifies.
    everywhere: bool,
    countries: &'static [&'static str],
}

const REGIONS: &[RegionFixture] = &[
    RegionFixture {
        name: "Remote-Africa",
        slug: "remote-africa",
        everywhere: false,
        countries: &AFRICA,
    },
    RegionFixture {
        name: "Anywhere in the World",
        slug: "anywhere-in-the-world",
        everywhere: true,
        countries: &[],
    },
    RegionFixture {
        name: "Remote-Europe",
        slug: "remote-europe",
        everywhere: false,
        countries: EUROPE,
    },
    RegionFixture {
        name: "Remote-Americas",
        slug: "remote-americas",
        everywhere: false,
        countries: AMERICAS,
    },
];

/// Inserts the regions; returns their ids by slug.
async fn regions(txn: &DatabaseTransaction, clock: &Clock) -> Result<Ids, DbErr> {
    let mut ids = Ids::default();
    for fixture in REGIONS {
        let row = region::ActiveModel {
            name: Set(fixture.name.to_owned()),
            slug: Set(fixture.slug.to_owned()),
            everywhere: Set(fixture.everywhere),
            created_at: Set(clock.setup()),
            updated_at: Set(clock.setup()),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        for country in fixture.countries {
            region_country::ActiveModel {
                region_id: Set(row.id),
                country_code: Set((*country).to_owned()),
            }
            .insert(txn)
            .await?;
        }
        ids.insert(fixture.slug, row.id);
    }
    Ok(ids)
}

// ---------------------------------------------------------------------------
// Skills, job families and levels
// ---------------------------------------------------------------------------

/// The posting's skills, in its order, then a few it does not ask for.
const SKILLS: &[&str] = &[
    "Elixir",
    "Postgres",
    "CI/CD",
    "Kubernetes",
    "Docker",
    "AWS",
    "Next.js",
    "React/Vue/Angular",
    "Phoenix",
    "TypeScript",
    "GraphQL",
    "Terraform",
];

async fn skills(txn: &DatabaseTransaction, clock: &Clock) -> Result<Ids, DbErr> {
    let mut ids = Ids::default();
    for name in SKILLS {
        let row = skill::ActiveModel {
            name: Set((*name).to_owned()),
            name_key: Set(name.to_lowercase()),
            created_at: Set(clock.setup()),
            updated_at: Set(clock.setup()),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        ids.insert(name, row.id);
    }
    Ok(ids)
}

const BACKEND: &str = "Backend Engineering";
const FRONTEND: &str = "Frontend Engineering";

async fn job_families(txn: &DatabaseTransaction, clock: &Clock) -> Result<Ids, DbErr> {
    let mut ids = Ids::default();
    for name in [BACKEND, FRONTEND] {
        let row = job_family::ActiveModel {
            name: Set(name.to_owned()),
            created_at: Set(clock.setup()),
            updated_at: Set(clock.setup()),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        ids.insert(name, row.id);
    }
    Ok(ids)
}

/// (code, name, track, rank). The "Senior" title spans two career levels,
/// IC3 and IC4 — which is why the posting's salary range is so wide.
const LEVELS: &[(&str, &str, Track, i32)] = &[
    ("IC1", "Engineer I", Track::IndividualContributor, 1),
    ("IC2", "Engineer II", Track::IndividualContributor, 2),
    ("IC3", "Senior Engineer I", Track::IndividualContributor, 3),
    ("IC4", "Senior Engineer II", Track::IndividualContributor, 4),
    ("IC5", "Staff Engineer", Track::IndividualContributor, 5),
    ("IC6", "Principal Engineer", Track::IndividualContributor, 6),
    ("M1", "Engineering Team Leader", Track::Manager, 1),
    ("M2", "Engineering Manager", Track::Manager, 2),
    ("M3", "Director of Engineering", Track::Manager, 3),
];

/// Inserts the levels; returns their ids by code.
async fn levels(txn: &DatabaseTransaction, clock: &Clock) -> Result<Ids, DbErr> {
    let mut ids = Ids::default();
    for (code, name, track, rank) in LEVELS {
        let row = level::ActiveModel {
            code: Set((*code).to_owned()),
            name: Set((*name).to_owned()),
            track: Set(*track),
            rank: Set(*rank),
            created_at: Set(clock.setup()),
            updated_at: Set(clock.setup()),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        ids.insert(code, row.id);
    }
    Ok(ids)
}

// ---------------------------------------------------------------------------
// Geo zones and compensation bands
// ---------------------------------------------------------------------------

struct ZoneFixture {
    name: &'static str,
    /// Pays every country no zone lists.
    fallback: bool,
    countries: &'static [&'static str],
    /// Backend Engineering bands for IC1..IC6, as (min, max) in whole US dollars a year.
    backend_usd: [(i64, i64); 6],
}

/// The zones, from the highest-paid to the fallback.
///
/// Remote-Africa covers Zones C and D (which list African countries) and
/// Rest of World (because most African countries are in no zone). Over the
/// posting's levels IC3 and IC4 those bands give exactly the advertised range:
/// the lowest minimum is Rest of World IC3 (51,850) and the highest maximum is
/// Zone C IC4 (171,450). Zones A and B pay IC4 above 171,450, so opening the
/// posting to them would visibly widen the range.
const ZONES: &[ZoneFixture] = &[
    ZoneFixture {
        name: "Zone A",
        fallback: false,
        countries: &["US", "CA", "GB", "IE", "CH", "LU", "SG"],
        backend_usd: [
            (95_000, 135_000),
            (120_000, 168_000),
            (148_000, 208_000),
            (178_000, 252_000),
            (212_000, 298_000),
            (248_000, 350_000),
        ],
    },
    ZoneFixture {
        name: "Zone B",
        fallback: false,
        countries: &[
            "DE", "FR", "NL", "BE", "AT", "DK", "SE", "NO", "FI", "IS", "ES", "IT", "AU", "NZ",
            "JP",
        ],
        backend_usd: [
            (68_000, 98_000),
            (86_000, 124_000),
            (108_000, 156_000),
            (134_000, 192_500),
            (160_000, 228_000),
            (190_000, 272_000),
        ],
    },
    ZoneFixture {
        name: "Zone C",
        fallback: false,
        countries: &[
            "ZA", "EG", "MA", "KE", "NG", "GH", "TN", "MU", "PL", "PT", "CZ", "EE", "LT", "LV",
            "RO", "HU", "GR", "HR", "SK", "SI", "BR", "MX", "AR", "CL", "CO", "UY", "CR",
        ],
        backend_usd: [
            (40_000, 62_000),
            (52_500, 84_000),
            (68_500, 128_600),
            (92_400, 171_450),
            (118_000, 205_000),
            (145_000, 240_000),
        ],
    },
    ZoneFixture {
        name: "Zone D",
        fallback: false,
        countries: &[
            "RW", "UG", "TZ", "SN", "CI", "BW", "NA", "ZM", "IN", "PK", "BD", "VN", "PH", "ID",
            "LK", "TR", "UA", "RS", "PE", "EC",
        ],
        backend_usd: [
            (30_000, 46_000),
            (38_500, 60_000),
            (54_200, 98_700),
            (70_300, 129_800),
            (88_000, 155_000),
            (108_000, 185_000),
        ],
    },
    ZoneFixture {
        name: "Rest of World",
        fallback: true,
        countries: &[],
        backend_usd: [
            (26_000, 40_000),
            (34_000, 52_000),
            (51_850, 89_250),
            (63_900, 112_600),
            (79_000, 136_000),
            (96_000, 160_000),
        ],
    },
];

/// Bands are quoted in US dollars; stored in cents.
const BAND_CURRENCY: &str = "USD";
const CENTS_PER_DOLLAR: i64 = 100;

/// Inserts the zones and, for each, the Backend Engineering band of every IC level.
async fn compensation(
    txn: &DatabaseTransaction,
    clock: &Clock,
    refs: &Reference,
) -> Result<(), DbErr> {
    let family = refs.families.get(BACKEND)?;
    let effective_from = date(2026, 1, 1)?;
    for fixture in ZONES {
        let zone = geo_zone::ActiveModel {
            name: Set(fixture.name.to_owned()),
            is_fallback: Set(fixture.fallback),
            created_at: Set(clock.setup()),
            updated_at: Set(clock.setup()),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        for country in fixture.countries {
            geo_zone_country::ActiveModel {
                geo_zone_id: Set(zone.id),
                country_code: Set((*country).to_owned()),
            }
            .insert(txn)
            .await?;
        }
        let ic_levels = LEVELS
            .iter()
            .filter(|(_, _, track, _)| *track == Track::IndividualContributor);
        for ((code, ..), (min, max)) in ic_levels.zip(fixture.backend_usd) {
            compensation_band::ActiveModel {
                job_family_id: Set(family),
                level_id: Set(refs.levels.get(code)?),
                geo_zone_id: Set(zone.id),
                currency: Set(BAND_CURRENCY.to_owned()),
                pay_interval: Set(PayInterval::Year),
                min_minor: Set(min * CENTS_PER_DOLLAR),
                max_minor: Set(max * CENTS_PER_DOLLAR),
                mid_minor: Set(crate::domain::bands::default_midpoint(
                    min * CENTS_PER_DOLLAR,
                    max * CENTS_PER_DOLLAR,
                )),
                effective_from: Set(effective_from),
                effective_to: Set(None),
                created_at: Set(clock.setup()),
                updated_at: Set(clock.setup()),
                ..Default::default()
            }
            .insert(txn)
            .await?;
        }
    }
    Ok(())
}

/// The demo's exchange rates: illustrative figures for trying conversions
/// out, not market data.
const DEMO_RATES: &[(&str, &str)] = &[
    ("CAD", "1.38"),
    ("EUR", "0.865"),
    ("GBP", "0.761"),
    ("KES", "129.25"),
    ("NGN", "1455"),
    ("ZAR", "17.35"),
    ("EGP", "47.6"),
    ("GHS", "10.9"),
    ("MAD", "9.25"),
    ("BRL", "5.35"),
];

/// One exchange rate set, and the company's pay floor for engineers in
/// Kenya (a company floor: the law's minimum wage is far below it).
async fn rates_and_floors(txn: &DatabaseTransaction, clock: &Clock) -> Result<(), DbErr> {
    let set = exchange_rate_set::ActiveModel {
        name: Set("Demo rates 2026-11-02".to_owned()),
        base_currency: Set(BAND_CURRENCY.to_owned()),
        effective_on: Set(date(2026, 11, 2)?),
        source: Set("Illustrative rates for the demo data, not market data".to_owned()),
        created_by_id: Set(None),
        created_at: Set(clock.setup()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    for (currency, rate) in DEMO_RATES {
        exchange_rate::ActiveModel {
            rate_set_id: Set(set.id),
            currency: Set((*currency).to_owned()),
            rate: Set((*rate).to_owned()),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    pay_floor::ActiveModel {
        country_code: Set("KE".to_owned()),
        kind: Set(FloorKind::Company),
        currency: Set(BAND_CURRENCY.to_owned()),
        pay_interval: Set(PayInterval::Year),
        amount_minor: Set(30_000 * CENTS_PER_DOLLAR),
        effective_from: Set(date(2026, 1, 1)?),
        effective_to: Set(None),
        source: Set("Company policy: the floor for full-time engineers".to_owned()),
        created_at: Set(clock.setup()),
        updated_at: Set(clock.setup()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}

// ---------------------------------------------------------------------------
// Postings
// ---------------------------------------------------------------------------

/// Who sits on the other side of the table at a stage.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Panel {
    /// Nobody: the candidate works alone, or staff work without the candidate.
    Nobody,
    Recruiter,
    EngineeringManager,
    /// Two engineers from the teams the posting may fill.
    Engineers,
    VpEngineering,
}

struct StageFixture {
    name: &'static str,
    kind: StageKind,
    mode: StageMode,
    /// Meetings only.
    duration_minutes: Option<i32>,
    sla_hours: Option<i32>,
    panel: Panel,
}

/// A meeting with the candidate, `minutes` long.
const fn meeting(name: &'static str, kind: StageKind, minutes: i32, panel: Panel) -> StageFixture {
    StageFixture {
        name,
        kind,
        mode: StageMode::Sync,
        duration_minutes: Some(minutes),
        sla_hours: None,
        panel,
    }
}

/// Work done on one's own time (by the candidate or by staff), within `sla_hours`.
const fn on_own_time(
    name: &'static str,
    kind: StageKind,
    sla_hours: i32,
    panel: Panel,
) -> StageFixture {
    StageFixture {
        name,
        kind,
        mode: StageMode::Async,
        duration_minutes: None,
        sla_hours: Some(sla_hours),
        panel,
    }
}

// Steps of the published "Application process", shared by all three plans.
const APPLICATION_REVIEW: StageFixture = on_own_time(
    "Application is reviewed by our recruiters",
    StageKind::ApplicationReview,
    72,
    Panel::Nobody,
);
const RECRUITER_SCREEN: StageFixture = meeting(
    "Interview with our recruiter",
    StageKind::RecruiterScreen,
    30,
    Panel::Recruiter,
);
const MANAGER_INTERVIEW: StageFixture = meeting(
    "Interview with an Engineering Manager or an Engineering Team Leader",
    StageKind::Interview,
    60,
    Panel::EngineeringManager,
);
const CODE_EXERCISE: StageFixture = on_own_time(
    "Code exercise",
    StageKind::TakeHomeExercise,
    168,
    Panel::Nobody,
);
const CODE_EXERCISE_REVIEW: StageFixture = on_own_time(
    "Code exercise review",
    StageKind::ExerciseReview,
    72,
    Panel::Engineers,
);
const TEAM_INTERVIEW: StageFixture = meeting(
    "Interview with the members of the engineering team",
    StageKind::Interview,
    90,
    Panel::Engineers,
);
const VP_INTERVIEW: StageFixture = meeting(
    "Interview with our VP of Engineering",
    StageKind::Interview,
    45,
    Panel::VpEngineering,
);
const EMPLOYMENT_VERIFICATION: StageFixture = on_own_time(
    "Prior employment verification check",
    StageKind::EmploymentVerification,
    120,
    Panel::Nobody,
);

struct PostingFixture {
    slug: &'static str,
    title: &'static str,
    family: &'static str,
    status: PostingStatus,
    openings: i32,
    created_days_ago: i64,
    published_days_ago: Option<i64>,
    closed: Option<(i64, CloseReason)>,
    regions: &'static [&'static str],
    teams: &'static [&'static str],
    levels: &'static [&'static str],
    skills: &'static [(&'static str, SkillRequirement)],
    responsibilities: &'static [&'static str],
    sections: &'static [(&'static str, &'static str)],
    plan: &'static [StageFixture],
}

/// The benefits every demo posting describes.
const DEMO_BENEFITS: &str = "Unlimited paid time off, a set of perks and benefits (health cover where the \
law or the market provides it, a home-office and learning budget), and equipment of your choice.";

/// The other compensation every demo posting describes.
const DEMO_OTHER_COMPENSATION: &str = "Stock options. No bonus or commission.";

const THE_POSITION: &str = "You'll be joining 280 engineers across Frontend, Backend, SRE and QA. We're organised into \
cross-functional development teams assigned to specific verticals.\n\n\
This role is open for several teams, and we will define the exact team that you will be joining during the interview \
process based on the business needs and your preferences.\n\n\
Regardless of the specific team, you will be working on building tools, APIs and integrations for one of our \
products.\n\n\
Our backend is built with Elixir and Phoenix, with a Postgres database. We use React and Nextjs for our front-end. \
Gitlab is used as a version control tool, issue tracker and a CI/CD solution. Our applications are hosted on AWS. We \
fully rely on our CI for deployments and deploy multiple times per day.";

const WHAT_THIS_JOB_CAN_OFFER: &str = "- Complex and meaningful challenges — solving them will enable people and \
businesses to live and operate in any country of the world.\n\
- Opportunity to have a significant impact on the business — we are still very early in our journey as a company, \
and each change you make today is amplified by the company's growth.\n\
- A lot of freedom to organize your work and life — you are not bound to daily standups, recurring meetings or other \
ceremonies.\n\
- Competitive salary, stock options, unlimited PTO and a set of perks and benefits.\n\
- A supportive and kind work environment where we would like you to challenge the dogmas and pursue innovation!\n\
- Strong team of experienced engineers who will support and facilitate your professional growth.";

const COMPENSATION_PHILOSOPHY: &str = "Remote's Total Rewards philosophy is to ensure fair, unbiased compensation and \
fair equity pay along with competitive benefits in all locations in which we operate. We do not agree to or encourage \
cheap-labor practices and therefore we ensure to pay above in-location rates. We hope to inspire other companies to \
support global talent-hiring and bring local wealth to developing countries.\n\n\
At first glance our salary bands seem quite wide - here is some context. At Remote we have international operations \
and a globally distributed workforce. We use geo ranges to consider geographic pay differentials as part of our \
global compensation strategy to remain competitive in various markets while we hiring globally.\n\n\
The base salary range for this full-time position is between USD $51,850 to $171,450. Our salary ranges are \
determined by role, level and location, and our job titles may span more than one career level. The actual base pay \
for the successful candidate in this role is dependent upon many factors such as location, transferable or \
job-related skills, work experience, relevant training, business needs, and market demands. The base salary range may \
be subject to change.";

/// The "Key Responsibilities", verbatim and in order.
const RESPONSIBILITIES: &[&str] = &[
    "Lead the development of major team-scoped projects, participate in cross-team initiatives",
    "Actively participate in product work in the team: provide feedback, suggest solutions to the problems. \
     Use technical insights and expertise to suggest product improvements",
    "Maintain good understanding of the team's domain, both from product and engineering sides",
    "Provide feedback on code reviews",
    "Contribute to the shared codebase",
    "Debug and solve technical and business issues",
    "Participate in non-team activities, such as support rotations, hiring process, RFC discussions, etc",
    "Mentor and provide guidance to other engineers",
    "Investigate, propose and participate in implementation of improvements to our platform",
    "Design and implement APIs with performance, scalability, and maintainability in mind",
];

/// The posting's "Application process", one stage per step.
const SENIOR_BACKEND_PLAN: &[StageFixture] = &[
    APPLICATION_REVIEW,
    RECRUITER_SCREEN,
    MANAGER_INTERVIEW,
    CODE_EXERCISE,
    CODE_EXERCISE_REVIEW,
    TEAM_INTERVIEW,
    VP_INTERVIEW,
    EMPLOYMENT_VERIFICATION,
];

const SENIOR_BACKEND: PostingFixture = PostingFixture {
    slug: "senior-backend-engineer-elixir",
    title: "Senior Backend Engineer (Elixir)",
    family: BACKEND,
    status: PostingStatus::Open,
    openings: 2,
    created_days_ago: 35,
    published_days_ago: Some(28),
    closed: None,
    regions: &["remote-africa"],
    teams: &[
        "Payroll Engine",
        "Benefits Administration",
        "Contractor Management",
        "Global Payments",
    ],
    levels: &["IC3", "IC4"],
    skills: &[
        ("Elixir", SkillRequirement::MustHave),
        ("Postgres", SkillRequirement::MustHave),
        ("CI/CD", SkillRequirement::MustHave),
        ("Kubernetes", SkillRequirement::NiceToHave),
        ("Docker", SkillRequirement::NiceToHave),
        ("AWS", SkillRequirement::NiceToHave),
        ("Next.js", SkillRequirement::NiceToHave),
        ("React/Vue/Angular", SkillRequirement::NiceToHave),
    ],
    responsibilities: RESPONSIBILITIES,
    sections: &[
        ("The position", THE_POSITION),
        ("What this job can offer you", WHAT_THIS_JOB_CAN_OFFER),
        ("Remote Compensation Philosophy", COMPENSATION_PHILOSOPHY),
    ],
    plan: SENIOR_BACKEND_PLAN,
};

/// A posting still being written: staff see it, anonymous visitors don't.
/// There are no Frontend Engineering bands yet, so it shows no salary range.
const FRONTEND_DRAFT: PostingFixture = PostingFixture {
    slug: "senior-frontend-engineer-react",
    title: "Senior Frontend Engineer (React)",
    family: FRONTEND,
    status: PostingStatus::Draft,
    openings: 1,
    created_days_ago: 3,
    published_days_ago: None,
    closed: None,
    regions: &["anywhere-in-the-world"],
    teams: &["Frontend Platform"],
    levels: &["IC3"],
    skills: &[
        ("React/Vue/Angular", SkillRequirement::MustHave),
        ("TypeScript", SkillRequirement::MustHave),
        ("Next.js", SkillRequirement::NiceToHave),
        ("GraphQL", SkillRequirement::NiceToHave),
    ],
    responsibilities: &[
        "Build and maintain the shared component library used across our products",
        "Work with designers and backend engineers to ship features end to end",
        "Keep our web applications fast, accessible and well tested",
    ],
    sections: &[(
        "The position",
        "You'll be joining the Frontend Platform team, which owns the design system and the tooling every product \
team builds its user interface with. Our front-end is built with React and Nextjs.",
    )],
    plan: &[
        APPLICATION_REVIEW,
        RECRUITER_SCREEN,
        MANAGER_INTERVIEW,
        CODE_EXERCISE,
    ],
};

/// An earlier, filled posting: it keeps its history but takes no applications.
const BACKEND_CLOSED: PostingFixture = PostingFixture {
    slug: "backend-engineer-elixir",
    title: "Backend Engineer (Elixir)",
    family: BACKEND,
    status: PostingStatus::Closed,
    openings: 1,
    created_days_ago: 80,
    published_days_ago: Some(75),
    closed: Some((21, CloseReason::Filled)),
    regions: &["remote-europe"],
    teams: &["Developer Platform"],
    levels: &["IC2"],
    skills: &[
        ("Elixir", SkillRequirement::MustHave),
        ("Phoenix", SkillRequirement::MustHave),
        ("Postgres", SkillRequirement::MustHave),
        ("Docker", SkillRequirement::NiceToHave),
    ],
    responsibilities: &[
        "Build and maintain the internal tools, CI pipelines and libraries other teams rely on",
        "Contribute to the shared codebase",
        "Provide feedback on code reviews",
    ],
    sections: &[(
        "The position",
        "You'll be joining the Developer Platform team, which builds the tooling, CI pipelines and shared Elixir \
libraries our product teams use to ship multiple times per day.",
    )],
    plan: &[
        APPLICATION_REVIEW,
        RECRUITER_SCREEN,
        TEAM_INTERVIEW,
        EMPLOYMENT_VERIFICATION,
    ],
};

/// One posting per status staff should see: open, draft and closed.
const POSTINGS: &[PostingFixture] = &[SENIOR_BACKEND, FRONTEND_DRAFT, BACKEND_CLOSED];

/// An inserted posting: its fixture and its interview stages, in plan order.
struct Posted {
    fixture: &'static PostingFixture,
    stages: Vec<interview_stage::Model>,
}

/// Inserts a posting with its description, links and interview plan.
async fn posting(
    txn: &DatabaseTransaction,
    clock: &Clock,
    refs: &Reference,
    fixture: &'static PostingFixture,
) -> Result<Posted, DbErr> {
    let created = clock.days_ago(fixture.created_days_ago, 10, 0);
    let published = fixture
        .published_days_ago
        .map(|days| clock.days_ago(days, 9, 0));
    let closed = fixture
        .closed
        .map(|(days, reason)| (clock.days_ago(days, 17, 0), reason));
    // The last change is the closing, else the publishing; a draft was last edited yesterday.
    let updated = closed
        .map(|(at, _)| at)
        .or(published)
        .unwrap_or_else(|| clock.days_ago(1, 15, 0));
    let row = posting::ActiveModel {
        slug: Set(fixture.slug.to_owned()),
        title: Set(fixture.title.to_owned()),
        job_family_id: Set(Some(refs.families.get(fixture.family)?)),
        status: Set(fixture.status),
        employment_type: Set(EmploymentType::FullTime),
        workplace_type: Set(WorkplaceType::Remote),
        // As soon as possible.
        start_date: Set(None),
        openings: Set(fixture.openings),
        hiring_manager_id: Set(Some(refs.staff.engineering_manager)),
        recruiter_id: Set(Some(refs.staff.recruiter)),
        published_at: Set(published),
        closed_at: Set(closed.map(|(at, _)| at)),
        close_reason: Set(closed.map(|(_, reason)| reason)),
        // What pay-transparency laws ask for besides the range (Colorado,
        // Washington, Illinois, New Jersey), so every demo posting can be
        // published wherever it hires.
        benefits: Set(Some(DEMO_BENEFITS.to_owned())),
        other_compensation: Set(Some(DEMO_OTHER_COMPENSATION.to_owned())),
        application_deadline: Set(Some(clock.days_ahead(90, 0).date_naive())),
        created_at: Set(created),
        updated_at: Set(updated),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    let id = row.id;

    for ((heading, body), position) in fixture.sections.iter().zip(1..) {
        posting_section::ActiveModel {
            posting_id: Set(id),
            position: Set(position),
            heading: Set((*heading).to_owned()),
            body: Set((*body).to_owned()),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    for (description, position) in fixture.responsibilities.iter().zip(1..) {
        posting_responsibility::ActiveModel {
            posting_id: Set(id),
            position: Set(position),
            description: Set((*description).to_owned()),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    // One position sequence over the whole list: must-haves first, as the posting lists them.
    for ((name, requirement), position) in fixture.skills.iter().zip(1..) {
        posting_skill::ActiveModel {
            posting_id: Set(id),
            skill_id: Set(refs.skills.get(name)?),
            requirement: Set(*requirement),
            position: Set(position),
        }
        .insert(txn)
        .await?;
    }
    for slug in fixture.regions {
        posting_region::ActiveModel {
            posting_id: Set(id),
            region_id: Set(refs.regions.get(slug)?),
        }
        .insert(txn)
        .await?;
    }
    for name in fixture.teams {
        posting_team::ActiveModel {
            posting_id: Set(id),
            team_id: Set(refs.teams.get(name)?),
        }
        .insert(txn)
        .await?;
    }
    for code in fixture.levels {
        posting_level::ActiveModel {
            posting_id: Set(id),
            level_id: Set(refs.levels.get(code)?),
        }
        .insert(txn)
        .await?;
    }

    // A published posting keeps the range it was published with; the demo's
    // bands have not changed since, so it is the range it shows today.
    if published.is_some() {
        crate::domain::compensation::store_published_range(txn, id).await?;
    }

    let mut stages = Vec::with_capacity(fixture.plan.len());
    for (stage, position) in fixture.plan.iter().zip(1..) {
        let row = interview_stage::ActiveModel {
            posting_id: Set(id),
            position: Set(position),
            name: Set(stage.name.to_owned()),
            kind: Set(stage.kind),
            mode: Set(stage.mode),
            duration_minutes: Set(stage.duration_minutes),
            sla_hours: Set(stage.sla_hours),
            created_at: Set(created),
            updated_at: Set(created),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        stages.push(row);
    }
    Ok(Posted { fixture, stages })
}

// ---------------------------------------------------------------------------
// Candidates
// ---------------------------------------------------------------------------

struct CandidateFixture {
    name: &'static str,
    /// As the candidate typed it; stored lower-cased in `email_normalized`.
    email: &'static str,
    country: &'static str,
    time_zone: &'static str,
    phone: &'static str,
    /// GitHub and LinkedIn handle; also where the code exercise is pushed.
    handle: &'static str,
    source: CandidateSource,
    source_detail: Option<&'static str>,
}

/// Someone who found the posting on the careers site (most candidates do).
const fn applicant(
    name: &'static str,
    email: &'static str,
    country: &'static str,
    time_zone: &'static str,
    phone: &'static str,
    handle: &'static str,
) -> CandidateFixture {
    CandidateFixture {
        name,
        email,
        country,
        time_zone,
        phone,
        handle,
        source: CandidateSource::CareersSite,
        source_detail: None,
    }
}

impl CandidateFixture {
    /// The same person, who came to us another way.
    const fn via(self, source: CandidateSource, detail: &'static str) -> Self {
        CandidateFixture {
            source,
            source_detail: Some(detail),
            ..self
        }
    }
}

/// Mostly African engineers (the posting is Remote-Africa), plus one in
/// France who applied to the European posting.
const CANDIDATES: &[CandidateFixture] = &[
    applicant(
        "Adaeze Obi",
        "Adaeze.Obi@example.com",
        "NG",
        "Africa/Lagos",
        "+234 803 555 0142",
        "adaeze-obi",
    ),
    applicant(
        "Brian Otieno",
        "brian.otieno@example.com",
        "KE",
        "Africa/Nairobi",
        "+254 712 555 087",
        "botieno",
    ),
    applicant(
        "Kofi Asante",
        "Kofi.Asante@Example.org",
        "GH",
        "Africa/Accra",
        "+233 24 555 0193",
        "kofiasante",
    )
    .via(
        CandidateSource::Referral,
        "Referred by Kwame Mensah (Engineering)",
    ),
    applicant(
        "Nour El-Sayed",
        "nour.elsayed@example.com",
        "EG",
        "Africa/Cairo",
        "+20 100 555 0177",
        "nour-elsayed",
    ),
    applicant(
        "Samuel Tesfaye",
        "S.Tesfaye@example.net",
        "ET",
        "Africa/Addis_Ababa",
        "+251 91 155 0123",
        "stesfaye",
    ),
    applicant(
        "Jean-Paul Habimana",
        "JP.Habimana@example.com",
        "RW",
        "Africa/Kigali",
        "+250 788 555 014",
        "jphabimana",
    )
    .via(
        CandidateSource::Sourced,
        "Sourced on GitHub: maintainer of an Elixir job-queue library",
    ),
    applicant(
        "Yasmine Alaoui",
        "yasmine.alaoui@example.com",
        "MA",
        "Africa/Casablanca",
        "+212 661 555 042",
        "yalaoui",
    ),
    applicant(
        "Grace Namutebi",
        "Grace.Namutebi@example.org",
        "UG",
        "Africa/Kampala",
        "+256 772 555 031",
        "gnamutebi",
    ),
    applicant(
        "Thabo Nkosi",
        "thabo.nkosi@example.co.za",
        "ZA",
        "Africa/Johannesburg",
        "+27 82 555 0164",
        "thabonkosi",
    ),
    applicant(
        "Camille Laurent",
        "Camille.Laurent@example.fr",
        "FR",
        "Europe/Paris",
        "+33 6 55 55 01 28",
        "claurent",
    ),
];

/// Candidate data is kept for two years after the candidate applied (their consent).
const RETENTION_DAYS: i64 = 730;

/// An inserted candidate and the fixture it came from.
struct Person {
    id: i64,
    fixture: &'static CandidateFixture,
}

/// Inserts the candidates, keyed by normalised email. Each one appears when
/// they first applied, consenting to processing at that moment.
async fn candidates(
    txn: &DatabaseTransaction,
    timelines: &[Timeline],
) -> Result<HashMap<String, Person>, DbErr> {
    let mut people = HashMap::new();
    for fixture in CANDIDATES {
        let key = normalize(fixture.email);
        let first_applied = APPLICATIONS
            .iter()
            .zip(timelines)
            .filter(|(application, _)| application.candidate == key)
            .map(|(_, timeline)| timeline.applied())
            .min()
            .ok_or_else(|| DbErr::Custom(format!("demo candidate {key} has no application")))?;
        let row = candidate::ActiveModel {
            email: Set(fixture.email.to_owned()),
            email_normalized: Set(key.clone()),
            name: Set(fixture.name.to_owned()),
            country_code: Set(Some(fixture.country.to_owned())),
            time_zone: Set(Some(fixture.time_zone.to_owned())),
            phone: Set(Some(fixture.phone.to_owned())),
            links: Set(json!([
                format!("https://github.com/{}", fixture.handle),
                format!("https://www.linkedin.com/in/{}", fixture.handle),
            ])),
            source: Set(fixture.source),
            source_detail: Set(fixture.source_detail.map(str::to_owned)),
            consent_given_at: Set(Some(first_applied)),
            retain_until: Set(Some(
                (first_applied + Duration::days(RETENTION_DAYS)).date_naive(),
            )),
            created_at: Set(first_applied),
            updated_at: Set(first_applied),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        people.insert(
            key,
            Person {
                id: row.id,
                fixture,
            },
        );
    }
    Ok(people)
}

/// How the API normalises an email: trimmed, lower case.
fn normalize(email: &str) -> String {
    email.trim().to_lowercase()
}

// ---------------------------------------------------------------------------
// The pipeline: applications, their history and their interviews
// ---------------------------------------------------------------------------

/// How an application's story ends (so far).
#[derive(Clone, Copy)]
enum Outcome {
    /// Still in the process, at the last stage it entered.
    Active,
    /// Rejected at the last stage it entered, `days_ago`, after that stage's interview.
    Rejected {
        reason: RejectionReason,
        note: &'static str,
        days_ago: i64,
    },
    /// Withdrawn by the candidate at the last stage it entered, `days_ago`; that stage's interview is cancelled.
    Withdrawn { note: &'static str, days_ago: i64 },
}

struct ApplicationFixture {
    /// The candidate's normalised email.
    candidate: &'static str,
    posting: &'static str,
    /// Days ago the application entered stage 1, 2, …; the first is when the
    /// candidate applied, the last is the current stage. Stages with a
    /// meeting or an assignment are given at least two days so it fits in.
    entered: &'static [i64],
    outcome: Outcome,
    /// The team the candidate is heading to, decided at the team interview.
    team: Option<&'static str>,
    /// For an active application whose current stage is a meeting: in how many days it takes place.
    meeting_in_days: i64,
}

/// An application that is still active at its last stage.
const fn apply(
    candidate: &'static str,
    posting: &'static str,
    entered: &'static [i64],
) -> ApplicationFixture {
    ApplicationFixture {
        candidate,
        posting,
        entered,
        outcome: Outcome::Active,
        team: None,
        meeting_in_days: 1,
    }
}

impl ApplicationFixture {
    const fn meeting_in(self, days: i64) -> Self {
        ApplicationFixture {
            meeting_in_days: days,
            ..self
        }
    }

    const fn team(self, team: &'static str) -> Self {
        ApplicationFixture {
            team: Some(team),
            ..self
        }
    }

    const fn rejected(self, reason: RejectionReason, note: &'static str, days_ago: i64) -> Self {
        ApplicationFixture {
            outcome: Outcome::Rejected {
                reason,
                note,
                days_ago,
            },
            ..self
        }
    }

    const fn withdrawn(self, note: &'static str, days_ago: i64) -> Self {
        ApplicationFixture {
            outcome: Outcome::Withdrawn { note, days_ago },
            ..self
        }
    }
}

const SENIOR: &str = SENIOR_BACKEND.slug;

/// Applications spread over the whole plan, so every column of the board has someone.
const APPLICATIONS: &[ApplicationFixture] = &[
    apply("adaeze.obi@example.com", SENIOR, &[2]),
    apply("brian.otieno@example.com", SENIOR, &[9, 5]).meeting_in(1),
    apply("kofi.asante@example.org", SENIOR, &[15, 11, 4]).meeting_in(2),
    apply("nour.elsayed@example.com", SENIOR, &[20, 17, 13, 3]),
    apply("s.tesfaye@example.net", SENIOR, &[24, 22, 19, 15, 8]).rejected(
        RejectionReason::LacksRequiredSkills,
        "The code exercise showed little production Elixir experience: no supervision tree, and the Postgres \
         access was not transactional. Encouraged to apply again in a year.",
        5,
    ),
    apply("jp.habimana@example.com", SENIOR, &[26, 24, 21, 18, 12, 9]).meeting_in(3),
    apply("yasmine.alaoui@example.com", SENIOR, &[27, 25, 22, 19, 13, 10, 6]).meeting_in(4).team("Payroll Engine"),
    apply("grace.namutebi@example.org", SENIOR, &[27, 26, 23, 20, 14, 11, 7, 3]).team("Contractor Management"),
    apply("thabo.nkosi@example.co.za", SENIOR, &[16, 14, 10])
        .withdrawn("Accepted another offer before the interview with the engineering manager.", 6),
    apply("camille.laurent@example.fr", BACKEND_CLOSED.slug, &[26, 24]).rejected(
        RejectionReason::PositionFilled,
        "The opening was filled by a candidate further along in the process.",
        21,
    ),
];

/// The instants of one application's history, derived from its fixture.
struct Timeline {
    /// When it entered each stage of its path (the first: when the candidate applied).
    entered: Vec<DateTime<Utc>>,
    /// When it was rejected or withdrawn.
    closed: Option<DateTime<Utc>>,
    /// Varies the hour of day per application so the calendar doesn't look machine-made.
    jitter: i64,
}

impl Timeline {
    fn new(clock: &Clock, index: usize, fixture: &ApplicationFixture) -> Self {
        let jitter = i64::try_from(index).unwrap_or(0);
        let entered = fixture
            .entered
            .iter()
            .zip(0_i64..)
            .map(|(days, k)| match k {
                // Candidates apply at any hour; staff move applications during the working day.
                0 => clock.days_ago(*days, 7 + (jitter * 5) % 14, (jitter * 17) % 60),
                _ => clock.days_ago(*days, 9 + (jitter + k) % 4, 15 * ((jitter + k) % 4)),
            })
            .collect();
        let closed = match fixture.outcome {
            Outcome::Active => None,
            Outcome::Rejected { days_ago, .. } | Outcome::Withdrawn { days_ago, .. } => {
                Some(clock.days_ago(days_ago, 11 + jitter % 3, 30))
            }
        };
        Timeline {
            entered,
            closed,
            jitter,
        }
    }

    fn applied(&self) -> DateTime<Utc> {
        self.entered.first().copied().unwrap_or_default()
    }

    /// The last change: the closing, or entering the current stage.
    fn last_change(&self) -> DateTime<Utc> {
        self.closed
            .or_else(|| self.entered.last().copied())
            .unwrap_or_default()
    }
}

/// Where a stage's interview stands relative to now.
enum Moment {
    /// Over; the application moved on (or was rejected) on `next_day` days ago.
    Past { next_day: i64 },
    /// The current stage of an active application.
    Upcoming,
    /// The candidate withdrew `withdrawn_day` days ago, before it happened.
    Cancelled { withdrawn_day: i64 },
}

/// An interview row to write, with who takes part.
struct PlannedInterview {
    status: InterviewStatus,
    starts_at: DateTime<Utc>,
    ends_at: Option<DateTime<Utc>>,
    meeting_url: Option<String>,
    due_at: Option<DateTime<Utc>>,
    submitted_at: Option<DateTime<Utc>>,
    submission_url: Option<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    panel: Vec<i64>,
}

/// One application being written, with everything its rows are derived from.
struct Case<'a> {
    /// Position in `APPLICATIONS`; varies hours and panels.
    index: usize,
    fixture: &'a ApplicationFixture,
    timeline: &'a Timeline,
    person: &'a Person,
    posted: &'a Posted,
}

impl Case<'_> {
    /// The `k`-th stage (0-based) of the posting's plan: the row and its fixture.
    fn stage(&self, k: usize) -> Result<(&interview_stage::Model, &'static StageFixture), DbErr> {
        match (self.posted.stages.get(k), self.posted.fixture.plan.get(k)) {
            (Some(row), Some(fixture)) => Ok((row, fixture)),
            _ => Err(DbErr::Custom(format!(
                "demo application by {} is past its plan",
                self.fixture.candidate
            ))),
        }
    }

    /// Index of the current stage: the last one entered.
    fn current(&self) -> usize {
        self.fixture.entered.len().saturating_sub(1)
    }
}

/// Inserts every application with its transitions and interviews; returns
/// (applications, interviews) created.
async fn pipeline(
    txn: &DatabaseTransaction,
    clock: &Clock,
    refs: &Reference,
    postings: &HashMap<&'static str, Posted>,
    people: &HashMap<String, Person>,
    timelines: &[Timeline],
) -> Result<(usize, usize), DbErr> {
    let mut interviews = 0;
    for (index, (fixture, timeline)) in APPLICATIONS.iter().zip(timelines).enumerate() {
        let posted = postings.get(fixture.posting).ok_or_else(|| {
            DbErr::Custom(format!(
                "demo application to unknown posting {}",
                fixture.posting
            ))
        })?;
        let person = people.get(fixture.candidate).ok_or_else(|| {
            DbErr::Custom(format!(
                "demo application by unknown candidate {}",
                fixture.candidate
            ))
        })?;
        let case = Case {
            index,
            fixture,
            timeline,
            person,
            posted,
        };
        let application_id = application(txn, refs, &case).await?;
        transitions(txn, refs, &case, application_id).await?;
        for k in 0..fixture.entered.len() {
            let (stage, stage_fixture) = case.stage(k)?;
            if let Some(planned) = plan_interview(clock, refs, &case, k, stage_fixture)? {
                interview_row(
                    txn,
                    application_id,
                    stage.id,
                    person.fixture.time_zone,
                    planned,
                )
                .await?;
                interviews += 1;
            }
        }
    }
    Ok((APPLICATIONS.len(), interviews))
}

/// Inserts the application row in its current state; returns its id.
async fn application(
    txn: &DatabaseTransaction,
    refs: &Reference,
    case: &Case<'_>,
) -> Result<i64, DbErr> {
    let (current, _) = case.stage(case.current())?;
    let (status, reason, note) = match case.fixture.outcome {
        Outcome::Active => (ApplicationStatus::Active, None, None),
        Outcome::Rejected { reason, note, .. } => {
            (ApplicationStatus::Rejected, Some(reason), Some(note))
        }
        Outcome::Withdrawn { .. } => (ApplicationStatus::Withdrawn, None, None),
    };
    let team_id = match case.fixture.team {
        Some(name) => Some(refs.teams.get(name)?),
        None => None,
    };
    let row = application::ActiveModel {
        candidate_id: Set(case.person.id),
        posting_id: Set(current.posting_id),
        current_stage_id: Set(current.id),
        status: Set(status),
        rejection_reason: Set(reason),
        rejection_note: Set(note.map(str::to_owned)),
        team_id: Set(team_id),
        // One change per transition after the first (applying creates version 1).
        version: Set(transition_count(case.fixture)),
        applied_at: Set(case.timeline.applied()),
        created_at: Set(case.timeline.applied()),
        updated_at: Set(case.timeline.last_change()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(row.id)
}

/// Rows of history an application has: applying, each move forward, and the closing if any.
fn transition_count(fixture: &ApplicationFixture) -> i32 {
    let closing = usize::from(!matches!(fixture.outcome, Outcome::Active));
    i32::try_from(fixture.entered.len() + closing).unwrap_or(i32::MAX)
}

/// Who moves an application on from (or rejects it at) a stage: the
/// recruiter around their own steps, the hiring manager after the technical ones.
fn mover(refs: &Reference, stage: &StageFixture) -> i64 {
    match stage.kind {
        StageKind::ApplicationReview
        | StageKind::RecruiterScreen
        | StageKind::EmploymentVerification => refs.staff.recruiter,
        _ => refs.staff.engineering_manager,
    }
}

/// Writes the application's append-only history: applying, each move
/// forward, then the rejection or withdrawal at the current stage, if any.
async fn transitions(
    txn: &DatabaseTransaction,
    refs: &Reference,
    case: &Case<'_>,
    application_id: i64,
) -> Result<(), DbErr> {
    let mut previous: Option<(i64, &StageFixture)> = None;
    for (k, at) in case.timeline.entered.iter().enumerate() {
        let (stage, fixture) = case.stage(k)?;
        // The first row is the candidate applying: no previous stage or status, no staff actor.
        stage_transition::ActiveModel {
            application_id: Set(application_id),
            from_stage_id: Set(previous.map(|(id, _)| id)),
            to_stage_id: Set(stage.id),
            from_status: Set(previous.map(|_| ApplicationStatus::Active)),
            to_status: Set(ApplicationStatus::Active),
            actor_id: Set(previous.map(|(_, from)| mover(refs, from))),
            reason: Set(None),
            occurred_at: Set(*at),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        previous = Some((stage.id, fixture));
    }
    let (Some(closed), Some((stage_id, stage))) = (case.timeline.closed, previous) else {
        return Ok(());
    };
    let (to_status, actor, reason) = match case.fixture.outcome {
        Outcome::Active => return Ok(()),
        Outcome::Rejected { note, .. } => (ApplicationStatus::Rejected, mover(refs, stage), note),
        // The candidate emailed the recruiter, who recorded it.
        Outcome::Withdrawn { note, .. } => {
            (ApplicationStatus::Withdrawn, refs.staff.recruiter, note)
        }
    };
    stage_transition::ActiveModel {
        application_id: Set(application_id),
        from_stage_id: Set(Some(stage_id)),
        to_stage_id: Set(stage_id),
        from_status: Set(Some(ApplicationStatus::Active)),
        to_status: Set(to_status),
        actor_id: Set(Some(actor)),
        reason: Set(Some(reason.to_owned())),
        occurred_at: Set(closed),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// The interview (meeting or assignment) an application had at stage `k`, if
/// that kind of stage has one: application review and employment
/// verification are staff work without the candidate.
fn plan_interview(
    clock: &Clock,
    refs: &Reference,
    case: &Case<'_>,
    k: usize,
    stage: &StageFixture,
) -> Result<Option<PlannedInterview>, DbErr> {
    let has_interview = matches!(
        stage.kind,
        StageKind::RecruiterScreen
            | StageKind::Interview
            | StageKind::TakeHomeExercise
            | StageKind::ExerciseReview
    );
    let Some(entered) = case
        .timeline
        .entered
        .get(k)
        .copied()
        .filter(|_| has_interview)
    else {
        return Ok(None);
    };
    let fixture = case.fixture;
    let moment = match (fixture.entered.get(k + 1), fixture.outcome) {
        (Some(next_day), _) => Moment::Past {
            next_day: *next_day,
        },
        (None, Outcome::Active) => Moment::Upcoming,
        (None, Outcome::Rejected { days_ago, .. }) => Moment::Past { next_day: days_ago },
        (None, Outcome::Withdrawn { days_ago, .. }) => Moment::Cancelled {
            withdrawn_day: days_ago,
        },
    };
    let closed = case.timeline.closed.unwrap_or(entered);
    let jitter = case.timeline.jitter;
    let panel = panel(refs, stage.panel, case.index + 2 * k)?;
    let planned = match stage.mode {
        StageMode::Sync => {
            // Meetings are held the day before the decision, early afternoon UTC.
            let hour = 13 + jitter % 4;
            let (status, starts_at) = match moment {
                Moment::Past { next_day } => (
                    InterviewStatus::Completed,
                    clock.days_ago(next_day + 1, hour, 0),
                ),
                Moment::Upcoming => (
                    InterviewStatus::Scheduled,
                    clock.days_ahead(fixture.meeting_in_days.max(1), hour),
                ),
                // It had been planned for two days after the withdrawal.
                Moment::Cancelled { withdrawn_day } => (
                    InterviewStatus::Cancelled,
                    clock.days_ago(withdrawn_day - 2, hour, 0),
                ),
            };
            let ends_at =
                starts_at + Duration::minutes(i64::from(stage.duration_minutes.unwrap_or(60)));
            let scheduled = entered + Duration::hours(2);
            let updated_at = match status {
                InterviewStatus::Completed => ends_at,
                InterviewStatus::Cancelled => closed,
                _ => scheduled,
            };
            PlannedInterview {
                status,
                starts_at,
                ends_at: Some(ends_at),
                meeting_url: Some(meeting_url(case.index * 10 + k)),
                due_at: None,
                submitted_at: None,
                submission_url: None,
                created_at: scheduled,
                updated_at,
                panel,
            }
        }
        StageMode::Async => {
            // An assignment starts when it is handed out, an hour after the stage is entered.
            let starts_at = entered + Duration::hours(1);
            let due_at = starts_at + Duration::hours(i64::from(stage.sla_hours.unwrap_or(72)));
            let take_home = stage.kind == StageKind::TakeHomeExercise;
            let (status, submitted_at, updated_at) = match moment {
                Moment::Past { next_day } if take_home => {
                    let submitted = clock.days_ago(next_day + 1, 9 + jitter % 9, 40);
                    (InterviewStatus::Completed, Some(submitted), submitted)
                }
                Moment::Past { next_day } => (
                    InterviewStatus::Completed,
                    None,
                    clock.days_ago(next_day + 1, 16, 0),
                ),
                Moment::Upcoming => (InterviewStatus::Scheduled, None, starts_at),
                Moment::Cancelled { .. } => (InterviewStatus::Cancelled, None, closed),
            };
            PlannedInterview {
                status,
                starts_at,
                ends_at: None,
                meeting_url: None,
                due_at: Some(due_at),
                submitted_at,
                submission_url: submitted_at.map(|_| {
                    format!(
                        "https://github.com/{}/elixir-code-exercise",
                        case.person.fixture.handle
                    )
                }),
                created_at: starts_at,
                updated_at,
                panel,
            }
        }
    };
    Ok(Some(planned))
}

/// The staff users on a stage's panel; `turn` rotates the engineers.
fn panel(refs: &Reference, panel: Panel, turn: usize) -> Result<Vec<i64>, DbErr> {
    let staff = &refs.staff;
    Ok(match panel {
        Panel::Nobody => Vec::new(),
        Panel::Recruiter => vec![staff.recruiter],
        Panel::EngineeringManager => vec![staff.engineering_manager],
        Panel::VpEngineering => vec![staff.vp_engineering],
        Panel::Engineers => vec![staff.engineer(turn)?, staff.engineer(turn + 1)?],
    })
}

/// A stable, fake video-call link such as `https://meet.example.com/abc-defg-hij`.
fn meeting_url(seed: usize) -> String {
    // A small linear congruential generator: deterministic, different per interview.
    let mut state = (seed as u64)
        .wrapping_mul(6_364_136_223_846_793_005)
        .wrapping_add(1_442_695_040_888_963_407);
    let mut code = String::with_capacity(12);
    for i in 0..10 {
        if i == 3 || i == 7 {
            code.push('-');
        }
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        code.push(char::from(b'a' + ((state >> 33) % 26) as u8));
    }
    format!("https://meet.example.com/{code}")
}

/// Inserts an interview and its panel.
async fn interview_row(
    txn: &DatabaseTransaction,
    application_id: i64,
    stage_id: i64,
    time_zone: &str,
    planned: PlannedInterview,
) -> Result<(), DbErr> {
    let row = interview::ActiveModel {
        application_id: Set(application_id),
        stage_id: Set(stage_id),
        status: Set(planned.status),
        starts_at: Set(planned.starts_at),
        ends_at: Set(planned.ends_at),
        time_zone: Set(time_zone.to_owned()),
        meeting_url: Set(planned.meeting_url),
        due_at: Set(planned.due_at),
        submitted_at: Set(planned.submitted_at),
        submission_url: Set(planned.submission_url),
        created_at: Set(planned.created_at),
        updated_at: Set(planned.updated_at),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    for user_id in planned.panel {
        interview_interviewer::ActiveModel {
            interview_id: Set(row.id),
            user_id: Set(user_id),
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}
