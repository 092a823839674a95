//! When each applicant was shown the pay range. Applying on the careers site
//! shows it (the form sits under the posting); staff record any other time
//! they gave it. A rule whose range is due BEFORE_FIRST_INTERVIEW (the EU
//! directive) keeps the first interview or take-home from being scheduled
//! until one of these exists.

use chrono::{DateTime, Utc};
use entity::enums::DisclosureKind;
use entity::{application, candidate, pay_range_disclosure};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, Set,
};
use serde_json::json;

use super::{Places, RangeDue, covers, posting_facts, rules};
use crate::db::begin_write;
use crate::domain::audit::{self, Actor};
use crate::domain::compensation::SalaryRange;
use crate::domain::write::now;
use crate::error::{ApiError, Failure, UserError, UserErrorCode};

/// Within the application's transaction: records that the careers site
/// showed `range` with the posting the candidate applied to.
pub async fn record_on_apply(
    db: &impl ConnectionTrait,
    application_id: i64,
    range: &SalaryRange,
    at: DateTime<Utc>,
) -> Result<(), Failure> {
    insert(db, application_id, DisclosureKind::Posting, range, at, None).await?;
    Ok(())
}

async fn insert(
    db: &impl ConnectionTrait,
    application_id: i64,
    how: DisclosureKind,
    range: &SalaryRange,
    at: DateTime<Utc>,
    user_id: Option<i64>,
) -> Result<pay_range_disclosure::Model, Failure> {
    Ok(pay_range_disclosure::ActiveModel {
        application_id: Set(application_id),
        how: Set(how),
        currency: Set(range.currency.clone()),
        min_minor: Set(range.min_minor),
        max_minor: Set(range.max_minor),
        pay_interval: Set(range.interval),
        disclosed_at: Set(at),
        user_id: Set(user_id),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// Records that a staff user gave the applicant the posting's current range.
pub async fn record_explicit(
    db: &DatabaseConnection,
    actor: &Actor,
    application: &application::Model,
) -> Result<pay_range_disclosure::Model, Failure> {
    let txn = begin_write(db).await?;
    let now = now();
    let mut facts = posting_facts(&txn, &[application.posting_id], now.date_naive()).await?;
    let Some(range) = facts
        .remove(&application.posting_id)
        .and_then(|facts| facts.range)
    else {
        return Err(UserError::new(
            &["applicationId"],
            UserErrorCode::InvalidState,
            "the posting has no salary range to disclose; set its job family and levels first",
        )
        .into());
    };
    let saved = insert(
        &txn,
        application.id,
        DisclosureKind::Explicit,
        &range,
        now,
        actor.user_id,
    )
    .await?;
    audit::record(
        &txn,
        actor,
        "application.disclose_pay_range",
        "Application",
        application.id,
        json!({
            "how": "EXPLICIT",
            "currency": range.currency,
            "minMinor": range.min_minor,
            "maxMinor": range.max_minor,
        }),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// Within a scheduling transaction: a PAY_RANGE_NOT_DISCLOSED error when a
/// rule wants the range given before the first interview, covers the
/// candidate (by the country they live in) or the posting, and no
/// disclosure is recorded.
pub async fn require_before_interview(
    db: &impl ConnectionTrait,
    application: &application::Model,
    headcount: u32,
) -> Result<(), Failure> {
    let set = rules().map_err(|err| Failure::Api(ApiError::Internal(err.to_owned())))?;
    let today = now().date_naive();
    let pending: Vec<_> = set
        .rules
        .iter()
        .filter(|r| r.range_due == RangeDue::BeforeFirstInterview)
        .collect();
    if pending.is_empty() {
        return Ok(());
    }
    let country = candidate::Entity::find_by_id(application.candidate_id)
        .one(db)
        .await?
        .and_then(|c| c.country_code);
    let candidate_places = Places {
        everywhere: false,
        countries: country.into_iter().collect(),
    };
    let posting_places = posting_facts(db, &[application.posting_id], today)
        .await?
        .remove(&application.posting_id)
        .map(|f| f.places)
        .unwrap_or_default();
    let Some(rule) = pending.into_iter().find(|rule| {
        covers(rule, &candidate_places, headcount, today)
            || covers(rule, &posting_places, headcount, today)
    }) else {
        return Ok(());
    };
    let disclosed = pay_range_disclosure::Entity::find()
        .filter(pay_range_disclosure::Column::ApplicationId.eq(application.id))
        .count(db)
        .await?;
    if disclosed > 0 {
        return Ok(());
    }
    Err(UserError::new(
        &["applicationId"],
        UserErrorCode::PayRangeNotDisclosed,
        format!(
            "{} ({}) requires giving the candidate the pay range before the first interview; tell them the range, then record it with recordPayRangeDisclosure.",
            rule.name, rule.source.law
        ),
    )
    .into())
}
