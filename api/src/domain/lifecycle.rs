//! A posting's life: DRAFT → OPEN ⇄ PAUSED → CLOSED.
//!
//! Publishing (and resuming) requires what the careers site shows: a title,
//! a description, an interview plan, at least one region, and a salary range
//! derived from the bands. Applications are taken only while OPEN. A posting
//! closes itself, as FILLED, when its last opening is filled.
//!
//! Publishing and resuming also require meeting every pay-transparency law
//! that covers the posting and wants the range in the posting itself (see
//! [`super::transparency`]): each thing missing is a PAY_TRANSPARENCY user
//! error. An admin may publish anyway with a reason; the override is kept in
//! `pay_transparency_overrides` and in the audit log.

use entity::enums::{CloseReason, PostingStatus};
use entity::{
    interview_stage, pay_transparency_override, posting, posting_region, posting_section,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, Set,
};
use serde_json::json;

use super::audit::{self, Actor};
use super::compensation::posting_salary_ranges;
use super::transparency::{self, RangeDue};
use super::write::now;
use crate::db::begin_write;
use crate::error::{ApiError, Failure, UserError, UserErrorCode};

/// A change of a posting's status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusChange {
    /// DRAFT → OPEN.
    Publish,
    /// OPEN → PAUSED.
    Pause,
    /// PAUSED → OPEN.
    Resume,
    /// Anything but CLOSED → CLOSED.
    Close(CloseReason),
}

impl StatusChange {
    fn allowed_from(self) -> &'static [PostingStatus] {
        match self {
            StatusChange::Publish => &[PostingStatus::Draft],
            StatusChange::Pause => &[PostingStatus::Open],
            StatusChange::Resume => &[PostingStatus::Paused],
            StatusChange::Close(_) => &[
                PostingStatus::Draft,
                PostingStatus::Open,
                PostingStatus::Paused,
            ],
        }
    }

    fn target(self) -> PostingStatus {
        match self {
            StatusChange::Publish | StatusChange::Resume => PostingStatus::Open,
            StatusChange::Pause => PostingStatus::Paused,
            StatusChange::Close(_) => PostingStatus::Closed,
        }
    }

    fn action(self) -> &'static str {
        match self {
            StatusChange::Publish => "posting.publish",
            StatusChange::Pause => "posting.pause",
            StatusChange::Resume => "posting.resume",
            StatusChange::Close(_) => "posting.close",
        }
    }
}

/// What the pay-transparency gate of publishing and resuming needs.
#[derive(Clone, Debug, Default)]
pub struct Gate {
    /// How many people the employer employs.
    pub headcount: u32,
    /// An admin's reason to publish despite failing rules (the caller has
    /// checked the actor is an admin).
    pub override_reason: Option<String>,
}

/// Changes the status of `before` (as the caller read it and authorized).
pub async fn change_status(
    db: &DatabaseConnection,
    actor: &Actor,
    before: &posting::Model,
    change: StatusChange,
    gate: Gate,
) -> Result<posting::Model, Failure> {
    let reason = match gate.override_reason.as_deref().map(str::trim) {
        _ if gate.override_reason.is_some()
            && !matches!(change, StatusChange::Publish | StatusChange::Resume) =>
        {
            return Err(UserError::new(
                &["override"],
                UserErrorCode::Invalid,
                "only publishing and resuming take a pay-transparency override",
            )
            .into());
        }
        Some("") => {
            return Err(UserError::new(
                &["override", "reason"],
                UserErrorCode::Blank,
                "an override needs a reason",
            )
            .into());
        }
        Some(reason) if reason.chars().count() > 1000 => {
            return Err(UserError::new(
                &["override", "reason"],
                UserErrorCode::TooLong,
                "at most 1000 characters",
            )
            .into());
        }
        other => other.map(str::to_owned),
    };
    if !change.allowed_from().contains(&before.status) {
        return Err(UserError::new(
            &["id"],
            UserErrorCode::InvalidState,
            format!(
                "a {} posting can't be {}",
                audit::enum_name(&before.status).to_lowercase(),
                match change {
                    StatusChange::Publish => "published",
                    StatusChange::Pause => "paused",
                    StatusChange::Resume => "resumed",
                    StatusChange::Close(_) => "closed",
                }
            ),
        )
        .into());
    }
    let txn = begin_write(db).await?;
    let mut overridden = None;
    if matches!(change, StatusChange::Publish | StatusChange::Resume) {
        ready_to_publish(&txn, before).await?;
        let failing = transparency_failures(&txn, before, gate.headcount).await?;
        if !failing.errors.is_empty() {
            match &reason {
                Some(reason) => overridden = Some((reason.clone(), failing)),
                None => return Err(Failure::Rejected(failing.errors)),
            }
        }
        // The range it shows from now on, so a later band change can be noticed.
        super::compensation::store_published_range(&txn, before.id).await?;
    }
    let after = set_status(&txn, actor, before, change).await?;
    if let Some((reason, failing)) = overridden {
        record_override(&txn, actor, before.id, &reason, &failing).await?;
    }
    txn.commit().await?;
    Ok(after)
}

/// Within a transaction: closes `posting` as FILLED once `hired` (its hires,
/// counted under the posting's row lock) reach its openings.
pub async fn close_if_filled(
    db: &impl ConnectionTrait,
    actor: &Actor,
    posting: &posting::Model,
    hired: u64,
) -> Result<(), Failure> {
    if posting.status != PostingStatus::Closed && hired >= posting.openings as u64 {
        set_status(db, actor, posting, StatusChange::Close(CloseReason::Filled)).await?;
    }
    Ok(())
}

/// Writes the new status if the posting still has the status it was read with.
async fn set_status(
    db: &impl ConnectionTrait,
    actor: &Actor,
    before: &posting::Model,
    change: StatusChange,
) -> Result<posting::Model, Failure> {
    let now = now();
    let mut update = posting::Entity::update_many()
        .col_expr(posting::Column::Status, Expr::value(change.target()))
        .col_expr(posting::Column::UpdatedAt, Expr::value(now))
        .filter(posting::Column::Id.eq(before.id))
        .filter(posting::Column::Status.eq(before.status));
    match change {
        StatusChange::Publish if before.published_at.is_none() => {
            update = update.col_expr(posting::Column::PublishedAt, Expr::value(now));
        }
        StatusChange::Close(reason) => {
            update = update
                .col_expr(posting::Column::ClosedAt, Expr::value(now))
                .col_expr(posting::Column::CloseReason, Expr::value(reason));
        }
        _ => {}
    }
    if update.exec(db).await?.rows_affected == 0 {
        return Err(UserError::new(
            &["id"],
            UserErrorCode::Conflict,
            "the posting's status changed since you read it; reload it",
        )
        .into());
    }
    let after = posting::Entity::find_by_id(before.id)
        .one(db)
        .await?
        .ok_or_else(|| {
            UserError::new(&["id"], UserErrorCode::NotFound, "no posting has this ID")
        })?;
    let mut changed = audit::changes(Some(before), &after);
    if let (StatusChange::Close(reason), serde_json::Value::Object(map)) = (change, &mut changed) {
        map.insert("reason".into(), json!(audit::enum_name(&reason)));
    }
    audit::record(db, actor, change.action(), "Posting", before.id, changed).await?;
    Ok(after)
}

/// The user errors that keep `posting` from being open, if any.
async fn ready_to_publish(
    db: &impl ConnectionTrait,
    posting: &posting::Model,
) -> Result<(), Failure> {
    let mut errors = Vec::new();
    let mut missing = |field: &str, code: UserErrorCode, message: &str| {
        errors.push(UserError::new(&[field], code, message));
    };
    if posting.title.trim().is_empty() {
        missing(
            "title",
            UserErrorCode::Blank,
            "a published posting needs a title",
        );
    }
    let count = |n: u64| n == 0;
    if count(
        posting_section::Entity::find()
            .filter(posting_section::Column::PostingId.eq(posting.id))
            .count(db)
            .await?,
    ) {
        missing(
            "description",
            UserErrorCode::Blank,
            "a published posting needs a description",
        );
    }
    if count(
        interview_stage::Entity::find()
            .filter(interview_stage::Column::PostingId.eq(posting.id))
            .count(db)
            .await?,
    ) {
        missing(
            "interviewPlan",
            UserErrorCode::Blank,
            "a published posting needs at least one interview stage",
        );
    }
    if count(
        posting_region::Entity::find()
            .filter(posting_region::Column::PostingId.eq(posting.id))
            .count(db)
            .await?,
    ) {
        missing(
            "regionIds",
            UserErrorCode::Blank,
            "a published posting is open to at least one region",
        );
    }
    let today = now().date_naive();
    if !posting_salary_ranges(db, &[posting.id], today)
        .await?
        .contains_key(&posting.id)
    {
        missing(
            "salaryRange",
            UserErrorCode::Blank,
            "no salary range can be shown: set the job family and levels, and have live bands for the zones its regions cover",
        );
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Failure::Rejected(errors))
    }
}

/// The pay-transparency rules a posting fails, and the errors they give.
struct Failing {
    version: String,
    codes: Vec<String>,
    errors: Vec<UserError>,
}

/// PAY_TRANSPARENCY errors for each thing a covering law that wants the
/// range in the posting finds missing.
async fn transparency_failures(
    db: &impl ConnectionTrait,
    posting: &posting::Model,
    headcount: u32,
) -> Result<Failing, Failure> {
    let set = transparency::rules().map_err(|e| Failure::Api(ApiError::Internal(e.into())))?;
    let today = now().date_naive();
    let facts = transparency::posting_facts(db, &[posting.id], today)
        .await?
        .remove(&posting.id)
        .unwrap_or_default();
    let mut failing = Failing {
        version: set.version.clone(),
        codes: Vec::new(),
        errors: Vec::new(),
    };
    for verdict in transparency::assess(set, &facts, headcount, today) {
        if verdict.range_due != RangeDue::InPosting || verdict.compliant() {
            continue;
        }
        failing.codes.push(verdict.code.clone());
        for missing in verdict.missing {
            failing.errors.push(UserError::new(
                &missing.field.into_iter().collect::<Vec<_>>(),
                UserErrorCode::PayTransparency,
                missing.sentence,
            ));
        }
    }
    Ok(failing)
}

/// Records an admin's override of the pay-transparency gate.
async fn record_override(
    db: &impl ConnectionTrait,
    actor: &Actor,
    posting_id: i64,
    reason: &str,
    failing: &Failing,
) -> Result<(), Failure> {
    let Some(user_id) = actor.user_id else {
        return Err(Failure::Api(ApiError::forbidden(
            "only an admin may override pay-transparency rules",
        )));
    };
    let saved = pay_transparency_override::ActiveModel {
        posting_id: Set(posting_id),
        user_id: Set(user_id),
        reason: Set(reason.to_owned()),
        rule_version: Set(failing.version.clone()),
        jurisdictions: Set(json!(failing.codes).to_string()),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit::record(
        db,
        actor,
        "posting.override_pay_transparency",
        "Posting",
        posting_id,
        json!({
            "overrideId": saved.id,
            "reason": reason,
            "ruleVersion": failing.version,
            "jurisdictions": failing.codes,
            "missing": failing.errors.iter().map(|e| &e.message).collect::<Vec<_>>(),
        }),
    )
    .await?;
    Ok(())
}
