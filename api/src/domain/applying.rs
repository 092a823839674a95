//! Applying to a posting from the careers site.
//!
//! One person is one candidate: the normalised email finds them, whatever
//! its spelling. An application needs consent to the processing of the
//! applicant's data and a country the posting's regions cover. Applying
//! twice to the same posting returns the first application (so a retried
//! request never makes a second row). The application starts at the first
//! stage of the plan, and the log records that the candidate put it there.
//! What a candidate chooses to state for pay-equity reporting is kept apart,
//! and only with its own consent.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Days, Utc};
use entity::enums::{ApplicationStatus, CandidateSource, Gender, PostingStatus};
use entity::{
    application, application_answer, candidate, candidate_self_identification, posting,
    posting_question, posting_region, region, region_country, stage_transition,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, Set,
};

use super::audit::{self, Actor};
use super::compensation::posting_salary_ranges;
use super::countries::country_name;
use super::pipeline::plan;
use super::validate::Check;
use super::write::now;
use crate::db::begin_write;
use crate::error::{Failure, UserError, UserErrorCode, unique_violation};

/// How long a candidate's data is kept after they apply, unless changed.
const RETENTION_DAYS: u64 = 730;
/// The most characters of one answer.
const MAX_ANSWER: usize = 10_000;

/// What an applicant tells us.
#[derive(Clone, Debug, Default)]
pub struct Applicant {
    pub email: String,
    pub name: String,
    pub country_code: String,
    pub time_zone: Option<String>,
    pub phone: Option<String>,
    pub links: Vec<String>,
    pub source: Option<CandidateSource>,
    pub source_detail: Option<String>,
    /// They agreed to the processing of their data for hiring.
    pub consent: bool,
    /// `(question id, answer)` pairs.
    pub answers: Vec<(i64, String)>,
    /// What they chose to state for pay-equity reporting, if anything.
    pub self_identification: Option<SelfIdentification>,
}

/// A candidate's voluntary self-identification, kept only with its own
/// consent and read only in aggregate (the pay-equity report).
#[derive(Clone, Copy, Debug)]
pub struct SelfIdentification {
    pub gender: Gender,
    /// They agreed to its use for pay-equity reporting.
    pub consent: bool,
}

/// The application an applicant has, and whether they had it before.
#[derive(Clone, Debug)]
pub struct Applied {
    pub application: application::Model,
    pub already_applied: bool,
}

/// Applies `applicant` to `posting_id`.
pub async fn apply(
    db: &DatabaseConnection,
    actor: &Actor,
    posting_id: i64,
    applicant: Applicant,
) -> Result<Applied, Failure> {
    let clean = check(&applicant)?;
    // Two simultaneous first applications of one person race on the unique
    // email or (candidate, posting); the loser finds the winner's rows.
    for attempt in 0..2 {
        match try_apply(db, actor, posting_id, &clean).await {
            Err(Failure::Api(crate::error::ApiError::Database(err)))
                if attempt == 0 && unique_violation(&err).is_some() =>
            {
                continue;
            }
            outcome => return outcome,
        }
    }
    try_apply(db, actor, posting_id, &clean).await
}

/// The applicant's input, checked and cleaned.
struct Clean {
    applicant: Applicant,
    email_normalized: String,
}

fn check(applicant: &Applicant) -> Result<Clean, Failure> {
    let mut check = Check::new();
    let email = check.email(&["email"], &applicant.email);
    let name = check.text(&["name"], &applicant.name, 200);
    let country = check.country(&["countryCode"], &applicant.country_code);
    let time_zone = applicant
        .time_zone
        .as_deref()
        .filter(|z| !z.trim().is_empty())
        .and_then(|z| check.time_zone(&["timeZone"], z));
    let phone = check
        .optional_text(&["phone"], applicant.phone.as_deref(), 40)
        .flatten();
    let source_detail = check
        .optional_text(&["sourceDetail"], applicant.source_detail.as_deref(), 200)
        .flatten();
    let links: Vec<String> = applicant
        .links
        .iter()
        .enumerate()
        .filter_map(|(i, link)| check.url(&["links", &i.to_string()], link))
        .collect();
    if applicant.links.len() > 10 {
        check.fail(&["links"], UserErrorCode::OutOfRange, "at most 10 links");
    }
    if applicant
        .self_identification
        .is_some_and(|given| !given.consent)
    {
        check.fail(
            &["selfIdentification", "consent"],
            UserErrorCode::ConsentRequired,
            "self-identification is kept only if you agree to its use for pay-equity reporting; leave it out otherwise",
        );
    }
    if !applicant.consent {
        check.fail(
            &["consent"],
            UserErrorCode::ConsentRequired,
            "we can only consider an application when you agree to the processing of your data for hiring",
        );
    }
    let mut seen = HashSet::new();
    let mut answers = Vec::new();
    for (i, (question, answer)) in applicant.answers.iter().enumerate() {
        let index = i.to_string();
        if !seen.insert(*question) {
            check.fail(
                &["answers", &index, "questionId"],
                UserErrorCode::Duplicate,
                "answered twice",
            );
        }
        if answer.chars().count() > MAX_ANSWER {
            check.fail(
                &["answers", &index, "answer"],
                UserErrorCode::TooLong,
                format!("must be at most {MAX_ANSWER} characters"),
            );
        }
        answers.push((*question, answer.trim().to_owned()));
    }
    check.finish()?;
    let (Some(email), Some(name), Some(country)) = (email, name, country) else {
        return Err(
            UserError::new(&[], UserErrorCode::Invalid, "the application is incomplete").into(),
        );
    };
    Ok(Clean {
        email_normalized: email.normalized,
        applicant: Applicant {
            email: email.entered,
            name,
            country_code: country,
            time_zone,
            phone,
            links,
            source: applicant.source,
            source_detail,
            consent: true,
            answers,
            self_identification: applicant.self_identification,
        },
    })
}

async fn try_apply(
    db: &DatabaseConnection,
    actor: &Actor,
    posting_id: i64,
    clean: &Clean,
) -> Result<Applied, Failure> {
    let applicant = &clean.applicant;
    let txn = begin_write(db).await?;
    let Some(posting) = posting::Entity::find_by_id(posting_id).one(&txn).await? else {
        return Err(UserError::new(
            &["postingId"],
            UserErrorCode::NotFound,
            "no posting has this ID",
        )
        .into());
    };
    if posting.status != PostingStatus::Open {
        return Err(UserError::new(
            &["postingId"],
            UserErrorCode::InvalidState,
            "this posting is not taking applications",
        )
        .into());
    }
    eligible(&txn, &posting, &applicant.country_code).await?;

    let existing = candidate::Entity::find()
        .filter(candidate::Column::EmailNormalized.eq(clean.email_normalized.as_str()))
        .one(&txn)
        .await?;
    if let Some(candidate) = &existing
        && let Some(application) = application::Entity::find()
            .filter(application::Column::CandidateId.eq(candidate.id))
            .filter(application::Column::PostingId.eq(posting_id))
            .one(&txn)
            .await?
    {
        return Ok(Applied {
            application,
            already_applied: true,
        });
    }
    let answers = answers(&txn, posting_id, &applicant.answers).await?;
    let Some(first) = plan(&txn, posting_id).await?.into_iter().next() else {
        return Err(UserError::new(
            &["postingId"],
            UserErrorCode::InvalidState,
            "this posting has no interview plan",
        )
        .into());
    };

    let now = now();
    let candidate = match existing {
        Some(candidate) if candidate.consent_given_at.is_some() => candidate,
        Some(candidate) => {
            // The person consents now; nothing else they typed overwrites what we hold.
            let mut active: candidate::ActiveModel = candidate.into();
            active.consent_given_at = Set(Some(now));
            active.updated_at = Set(now);
            active.update(&txn).await?
        }
        None => {
            let created = candidate::ActiveModel {
                email: Set(applicant.email.clone()),
                email_normalized: Set(clean.email_normalized.clone()),
                name: Set(applicant.name.clone()),
                country_code: Set(Some(applicant.country_code.clone())),
                time_zone: Set(applicant.time_zone.clone()),
                phone: Set(applicant.phone.clone()),
                links: Set(serde_json::json!(applicant.links)),
                source: Set(applicant.source.unwrap_or(CandidateSource::CareersSite)),
                source_detail: Set(applicant.source_detail.clone()),
                consent_given_at: Set(Some(now)),
                retain_until: Set(now.date_naive().checked_add_days(Days::new(RETENTION_DAYS))),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            audit::record(
                &txn,
                actor,
                "candidate.create",
                "Candidate",
                created.id,
                audit::changes(None, &created),
            )
            .await?;
            created
        }
    };
    let application = application::ActiveModel {
        candidate_id: Set(candidate.id),
        posting_id: Set(posting_id),
        current_stage_id: Set(first.id),
        status: Set(ApplicationStatus::Active),
        version: Set(1),
        applied_at: Set(now),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    stage_transition::ActiveModel {
        application_id: Set(application.id),
        from_stage_id: Set(None),
        to_stage_id: Set(first.id),
        from_status: Set(None),
        to_status: Set(ApplicationStatus::Active),
        actor_id: Set(actor.user_id),
        reason: Set(Some("applied".into())),
        occurred_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    if let Some(given) = applicant.self_identification {
        self_identify(&txn, candidate.id, given.gender, now).await?;
    }
    if !answers.is_empty() {
        application_answer::Entity::insert_many(answers.into_iter().map(|(question, answer)| {
            application_answer::ActiveModel {
                application_id: Set(application.id),
                question_id: Set(question),
                answer: Set(answer),
            }
        }))
        .exec(&txn)
        .await?;
    }
    // The careers-site form sits under the posting, so applying shows its range.
    if let Some(range) = posting_salary_ranges(&txn, &[posting_id], now.date_naive())
        .await?
        .remove(&posting_id)
    {
        super::transparency::disclosure::record_on_apply(&txn, application.id, &range, now).await?;
    }
    audit::record(
        &txn,
        actor,
        "application.create",
        "Application",
        application.id,
        audit::changes(None, &application),
    )
    .await?;
    txn.commit().await?;
    Ok(Applied {
        application,
        already_applied: false,
    })
}

/// A `NOT_ELIGIBLE` user error unless one of the posting's regions covers `country`.
async fn eligible(
    db: &impl ConnectionTrait,
    posting: &posting::Model,
    country: &str,
) -> Result<(), Failure> {
    let region_ids: Vec<i64> = posting_region::Entity::find()
        .filter(posting_region::Column::PostingId.eq(posting.id))
        .all(db)
        .await?
        .into_iter()
        .map(|link| link.region_id)
        .collect();
    let regions = region::Entity::find()
        .filter(region::Column::Id.is_in(region_ids.iter().copied()))
        .all(db)
        .await?;
    if regions.iter().any(|r| r.everywhere) {
        return Ok(());
    }
    let covered = region_country::Entity::find()
        .filter(region_country::Column::RegionId.is_in(region_ids))
        .filter(region_country::Column::CountryCode.eq(country))
        .one(db)
        .await?
        .is_some();
    if covered {
        return Ok(());
    }
    let names: Vec<&str> = regions.iter().map(|r| r.name.as_str()).collect();
    Err(UserError::new(
        &["countryCode"],
        UserErrorCode::NotEligible,
        format!(
            "this posting is open to candidates living in {}; {} is not part of it",
            names.join(" or "),
            country_name(country).unwrap_or(country)
        ),
    )
    .into())
}

/// The answers to store, checked against the posting's questions: each
/// names one of them, and every required one is answered.
async fn answers(
    db: &impl ConnectionTrait,
    posting_id: i64,
    given: &[(i64, String)],
) -> Result<Vec<(i64, String)>, Failure> {
    let questions: HashMap<i64, posting_question::Model> = posting_question::Entity::find()
        .filter(posting_question::Column::PostingId.eq(posting_id))
        .all(db)
        .await?
        .into_iter()
        .map(|q| (q.id, q))
        .collect();
    let mut errors = Vec::new();
    for (i, (question, _)) in given.iter().enumerate() {
        if !questions.contains_key(question) {
            errors.push(UserError::at(
                vec!["answers".into(), i.to_string(), "questionId".into()],
                UserErrorCode::NotFound,
                "this posting has no such question",
            ));
        }
    }
    let answered: HashSet<i64> = given
        .iter()
        .filter(|(_, a)| !a.is_empty())
        .map(|(q, _)| *q)
        .collect();
    let mut required: Vec<&posting_question::Model> = questions
        .values()
        .filter(|q| q.required && !answered.contains(&q.id))
        .collect();
    required.sort_by_key(|q| q.position);
    for question in required {
        errors.push(UserError::new(
            &["answers"],
            UserErrorCode::Blank,
            format!("please answer \"{}\"", question.prompt),
        ));
    }
    if errors.is_empty() {
        Ok(given
            .iter()
            .filter(|(_, a)| !a.is_empty())
            .cloned()
            .collect())
    } else {
        Err(Failure::Rejected(errors))
    }
}

/// Records (or updates) what candidate `candidate_id` stated about themselves.
async fn self_identify(
    txn: &impl ConnectionTrait,
    candidate_id: i64,
    gender: Gender,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let existing = candidate_self_identification::Entity::find()
        .filter(candidate_self_identification::Column::CandidateId.eq(candidate_id))
        .one(txn)
        .await?;
    match existing {
        Some(row) => {
            let mut row: candidate_self_identification::ActiveModel = row.into();
            row.gender = Set(gender);
            row.consent_given_at = Set(now);
            row.updated_at = Set(now);
            row.update(txn).await?;
        }
        None => {
            candidate_self_identification::ActiveModel {
                candidate_id: Set(candidate_id),
                gender: Set(gender),
                consent_given_at: Set(now),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(txn)
            .await?;
        }
    }
    Ok(())
}
