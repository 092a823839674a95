//! Candidates: one person, however many applications. The normalised email
//! identifies the person, so "Ada@Example.com" and "ada@example.com " are the
//! same candidate.

use chrono::NaiveDate;
use entity::candidate;
use entity::enums::CandidateSource;
use sea_orm::DatabaseConnection;

use super::audit::{self, Actor};
use super::validate::Check;
use super::write::{existing, must_be_free, now, persist, taken};
use crate::db::begin_write;
use crate::error::{Failure, UserErrorCode};

/// The most links a candidate may have.
const MAX_LINKS: usize = 10;

/// New values for a candidate; `None` leaves a field as it is, `Some(None)`
/// clears an optional one.
#[derive(Clone, Debug, Default)]
pub struct CandidateChanges {
    pub email: Option<String>,
    pub name: Option<String>,
    pub country_code: Option<Option<String>>,
    pub time_zone: Option<Option<String>>,
    pub phone: Option<Option<String>>,
    pub links: Option<Vec<String>>,
    pub source: Option<CandidateSource>,
    pub source_detail: Option<Option<String>>,
    /// True records consent now; false withdraws it.
    pub consent_given: Option<bool>,
    pub retain_until: Option<Option<NaiveDate>>,
}

/// Creates a candidate, or changes one (`id` given).
pub async fn save_candidate(
    db: &DatabaseConnection,
    actor: &Actor,
    id: Option<i64>,
    changes: CandidateChanges,
) -> Result<candidate::Model, Failure> {
    let before = existing::<candidate::Entity>(db, id, "candidate").await?;
    if before.as_ref().is_some_and(|c| c.erased_at.is_some()) {
        return Err(crate::error::UserError::new(
            &["id"],
            UserErrorCode::InvalidState,
            "this candidate's data was erased; it can't be changed",
        )
        .into());
    }
    let creating = before.is_none();
    let now = now();
    let mut candidate = before.clone().unwrap_or_else(|| candidate::Model {
        id: 0,
        email: String::new(),
        email_normalized: String::new(),
        name: String::new(),
        country_code: None,
        time_zone: None,
        phone: None,
        links: serde_json::json!([]),
        source: CandidateSource::Sourced,
        source_detail: None,
        consent_given_at: None,
        retain_until: None,
        erased_at: None,
        created_at: now,
        updated_at: now,
    });

    let mut check = Check::new();
    if let Some(email) = check.required_email(&["email"], changes.email.as_deref(), creating) {
        candidate.email = email.entered;
        candidate.email_normalized = email.normalized;
    }
    if let Some(name) = check.required_text(&["name"], changes.name.as_deref(), creating, 200) {
        candidate.name = name;
    }
    if let Some(country) = changes.country_code {
        candidate.country_code = match country.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            Some(code) => check.country(&["countryCode"], code),
            None => None,
        };
    }
    if let Some(zone) = changes.time_zone {
        candidate.time_zone = match zone.as_deref().map(str::trim).filter(|z| !z.is_empty()) {
            Some(zone) => check.time_zone(&["timeZone"], zone),
            None => None,
        };
    }
    if let Some(phone) = changes.phone
        && let Some(phone) = check.optional_text(&["phone"], phone.as_deref(), 40)
    {
        candidate.phone = phone;
    }
    if let Some(links) = &changes.links {
        if links.len() > MAX_LINKS {
            check.fail(
                &["links"],
                UserErrorCode::OutOfRange,
                format!("at most {MAX_LINKS} links"),
            );
        }
        let valid: Vec<String> = links
            .iter()
            .enumerate()
            .filter_map(|(i, link)| check.url(&["links", &i.to_string()], link))
            .collect();
        candidate.links = serde_json::json!(valid);
    }
    if let Some(source) = changes.source {
        candidate.source = source;
    }
    if let Some(detail) = changes.source_detail
        && let Some(detail) = check.optional_text(&["sourceDetail"], detail.as_deref(), 200)
    {
        candidate.source_detail = detail;
    }
    match changes.consent_given {
        Some(true) if candidate.consent_given_at.is_none() => {
            candidate.consent_given_at = Some(now)
        }
        Some(false) => candidate.consent_given_at = None,
        _ => {}
    }
    if let Some(retain_until) = changes.retain_until {
        if retain_until.is_some_and(|date| date < now.date_naive()) {
            check.fail(
                &["retainUntil"],
                UserErrorCode::InvalidRange,
                "the retention date is in the past",
            );
        }
        candidate.retain_until = retain_until;
    }
    check.finish()?;

    let txn = begin_write(db).await?;
    const TAKEN: &str = "a candidate with this email already exists";
    must_be_free::<candidate::Entity, _>(
        &txn,
        candidate::Column::EmailNormalized,
        &candidate.email_normalized,
        id,
        &["email"],
        TAKEN,
    )
    .await?;
    candidate.updated_at = now;
    let saved = persist::<candidate::Entity>(&txn, candidate, creating)
        .await
        .map_err(|err| taken(err, &["email"], TAKEN))?;
    audit::record(
        &txn,
        actor,
        &audit::action("candidate", creating),
        "Candidate",
        saved.id,
        audit::changes(before.as_ref(), &saved),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}
