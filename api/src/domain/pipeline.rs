//! Moving applications through a posting's plan.
//!
//! Every change of an application goes through [`change`]: the client says
//! which version it saw, the row is updated only if it still has that
//! version (so of two concurrent changes exactly one wins and the other gets
//! CONFLICT), and the transition log gains an entry in the same transaction.
//! The log is append-only; history, time in stage and funnel figures are
//! read from it.

use chrono::{DateTime, Utc};
use entity::enums::{ApplicationStatus, OfferStatus, PostingStatus, RejectionReason};
use entity::{application, interview_stage, offer, posting, stage_transition};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::json;

use super::audit::{self, Actor};
use super::validate::Check;
use super::write::now;
use crate::db::begin_write;
use crate::error::{Failure, UserError, UserErrorCode};

/// What a change does to an application.
#[derive(Clone, Debug)]
pub struct Change {
    /// The stage it is at afterwards.
    pub stage_id: i64,
    /// Its status afterwards.
    pub status: ApplicationStatus,
    /// Why it was rejected, when it is.
    pub rejection: Option<(RejectionReason, Option<String>)>,
    /// The team it heads to afterwards.
    pub team_id: Option<i64>,
    /// Why, for the log.
    pub reason: Option<String>,
}

impl Change {
    /// A change that keeps everything of `application` as it is.
    pub fn from(application: &application::Model) -> Change {
        Change {
            stage_id: application.current_stage_id,
            status: application.status,
            rejection: application
                .rejection_reason
                .map(|r| (r, application.rejection_note.clone())),
            team_id: application.team_id,
            reason: None,
        }
    }
}

/// The application with `id`, or a `NOT_FOUND` user error at `field`.
pub async fn find(
    db: &impl ConnectionTrait,
    id: i64,
    field: &str,
) -> Result<application::Model, Failure> {
    application::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| {
            UserError::new(
                &[field],
                UserErrorCode::NotFound,
                "no application has this ID",
            )
            .into()
        })
}

/// The user error for a change based on an outdated version.
pub fn conflict(current: &application::Model) -> Failure {
    UserError::new(
        &["expectedVersion"],
        UserErrorCode::Conflict,
        format!(
            "the application changed since you read it; it is now at version {}, with status {}; reload it and try again",
            current.version,
            audit::enum_name(&current.status)
        ),
    )
    .into()
}

/// Applies `change` to `before` if it still has `expected_version`, logs the
/// transition and the audit event, and returns the application as stored.
pub async fn change(
    db: &impl ConnectionTrait,
    actor: &Actor,
    before: &application::Model,
    expected_version: i32,
    change: Change,
    action: &str,
) -> Result<application::Model, Failure> {
    if before.version != expected_version {
        return Err(conflict(before));
    }
    let now = now();
    let (rejection_reason, rejection_note) = match &change.rejection {
        Some((reason, note)) => (Some(*reason), note.clone()),
        None => (None, None),
    };
    let updated = application::Entity::update_many()
        .col_expr(
            application::Column::CurrentStageId,
            Expr::value(change.stage_id),
        )
        .col_expr(application::Column::Status, Expr::value(change.status))
        .col_expr(
            application::Column::RejectionReason,
            Expr::value(rejection_reason),
        )
        .col_expr(
            application::Column::RejectionNote,
            Expr::value(rejection_note),
        )
        .col_expr(application::Column::TeamId, Expr::value(change.team_id))
        .col_expr(
            application::Column::Version,
            Expr::col(application::Column::Version).add(1),
        )
        .col_expr(application::Column::UpdatedAt, Expr::value(now))
        .filter(application::Column::Id.eq(before.id))
        .filter(application::Column::Version.eq(expected_version))
        .exec(db)
        .await?;
    if updated.rows_affected == 0 {
        // Someone else changed it between our read and our write.
        let current = find(db, before.id, "applicationId").await?;
        return Err(conflict(&current));
    }
    if change.stage_id != before.current_stage_id || change.status != before.status {
        stage_transition::ActiveModel {
            application_id: Set(before.id),
            from_stage_id: Set(Some(before.current_stage_id)),
            to_stage_id: Set(change.stage_id),
            from_status: Set(Some(before.status)),
            to_status: Set(change.status),
            actor_id: Set(actor.user_id),
            reason: Set(change.reason.clone()),
            occurred_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    let after = find(db, before.id, "applicationId").await?;
    let mut changed = audit::changes(Some(before), &after);
    if let (Some(reason), serde_json::Value::Object(map)) = (&change.reason, &mut changed) {
        map.insert("reason".into(), json!(reason));
    }
    audit::record(db, actor, action, "Application", before.id, changed).await?;
    Ok(after)
}

/// Begins a write and reads the application, refusing with CONFLICT if it
/// is no longer at the version the client read.
async fn open(
    db: &DatabaseConnection,
    application_id: i64,
    expected_version: i32,
) -> Result<(DatabaseTransaction, application::Model), Failure> {
    let txn = begin_write(db).await?;
    let before = find(&txn, application_id, "applicationId").await?;
    if before.version != expected_version {
        return Err(conflict(&before));
    }
    Ok((txn, before))
}

/// Moves an active application to another stage of its posting's plan.
/// The next stage is the normal move; skipping ahead or going back needs a
/// reason.
pub async fn move_to_stage(
    db: &DatabaseConnection,
    actor: &Actor,
    application_id: i64,
    expected_version: i32,
    stage_id: i64,
    reason: Option<String>,
) -> Result<application::Model, Failure> {
    let reason = clean_reason(reason)?;
    let (txn, before) = open(db, application_id, expected_version).await?;
    must_be_active(&before, "move it between stages")?;
    let stages = plan(&txn, before.posting_id).await?;
    let current = stages.iter().find(|s| s.id == before.current_stage_id);
    let Some(target) = stages.iter().find(|s| s.id == stage_id) else {
        return Err(UserError::new(
            &["stageId"],
            UserErrorCode::NotFound,
            "this stage is not in the posting's plan",
        )
        .into());
    };
    if target.id == before.current_stage_id {
        return Err(UserError::new(
            &["stageId"],
            UserErrorCode::InvalidState,
            "the application is already at this stage",
        )
        .into());
    }
    let next = current.is_some_and(|c| target.position == c.position + 1);
    if !next && reason.is_none() {
        return Err(UserError::new(
            &["reason"],
            UserErrorCode::ReasonRequired,
            "skipping a stage or going back needs a reason",
        )
        .into());
    }
    let change_to = Change {
        stage_id: target.id,
        reason,
        ..Change::from(&before)
    };
    let after = change(
        &txn,
        actor,
        &before,
        expected_version,
        change_to,
        "application.move",
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

/// Rejects an active application, with a typed reason and an optional note.
pub async fn reject(
    db: &DatabaseConnection,
    actor: &Actor,
    application_id: i64,
    expected_version: i32,
    reason: RejectionReason,
    note: Option<String>,
) -> Result<application::Model, Failure> {
    let mut check = Check::new();
    let note = check
        .optional_text(&["note"], note.as_deref(), 5000)
        .flatten();
    check.finish()?;
    let (txn, before) = open(db, application_id, expected_version).await?;
    must_be_active(&before, "reject it")?;
    let change_to = Change {
        status: ApplicationStatus::Rejected,
        rejection: Some((reason, note.clone())),
        reason: note.or_else(|| Some(audit::enum_name(&reason))),
        ..Change::from(&before)
    };
    let after = change(
        &txn,
        actor,
        &before,
        expected_version,
        change_to,
        "application.reject",
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

/// Records that the candidate withdrew an active application.
pub async fn withdraw(
    db: &DatabaseConnection,
    actor: &Actor,
    application_id: i64,
    expected_version: i32,
    reason: Option<String>,
) -> Result<application::Model, Failure> {
    let reason = clean_reason(reason)?;
    let (txn, before) = open(db, application_id, expected_version).await?;
    must_be_active(&before, "withdraw it")?;
    let change_to = Change {
        status: ApplicationStatus::Withdrawn,
        reason,
        ..Change::from(&before)
    };
    let after = change(
        &txn,
        actor,
        &before,
        expected_version,
        change_to,
        "application.withdraw",
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

/// Makes a rejected or withdrawn application active again, at the stage it
/// was at. Needs a reason, and the posting must be open.
pub async fn reopen(
    db: &DatabaseConnection,
    actor: &Actor,
    application_id: i64,
    expected_version: i32,
    reason: Option<String>,
) -> Result<application::Model, Failure> {
    let Some(reason) = clean_reason(reason)? else {
        return Err(UserError::new(
            &["reason"],
            UserErrorCode::ReasonRequired,
            "say why the application is reopened",
        )
        .into());
    };
    let (txn, before) = open(db, application_id, expected_version).await?;
    if !matches!(
        before.status,
        ApplicationStatus::Rejected | ApplicationStatus::Withdrawn
    ) {
        return Err(UserError::new(
            &["applicationId"],
            UserErrorCode::InvalidState,
            "only a rejected or withdrawn application can be reopened",
        )
        .into());
    }
    let posting = posting::Entity::find_by_id(before.posting_id)
        .one(&txn)
        .await?;
    if posting.is_none_or(|p| p.status != PostingStatus::Open) {
        return Err(UserError::new(
            &["applicationId"],
            UserErrorCode::InvalidState,
            "the posting is not open",
        )
        .into());
    }
    let change_to = Change {
        status: ApplicationStatus::Active,
        rejection: None,
        reason: Some(reason),
        ..Change::from(&before)
    };
    let after = change(
        &txn,
        actor,
        &before,
        expected_version,
        change_to,
        "application.reopen",
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

/// Hires the candidate of an application whose latest offer was accepted.
pub async fn hire(
    db: &DatabaseConnection,
    actor: &Actor,
    application_id: i64,
    expected_version: i32,
) -> Result<application::Model, Failure> {
    let txn = begin_write(db).await?;
    let before = find(&txn, application_id, "applicationId").await?;
    let latest = offer::Entity::find()
        .filter(offer::Column::ApplicationId.eq(application_id))
        .order_by_desc(offer::Column::Version)
        .one(&txn)
        .await?;
    if latest.is_none_or(|o| o.status != OfferStatus::Accepted) {
        return Err(UserError::new(
            &["applicationId"],
            UserErrorCode::InvalidState,
            "an application is hired through an accepted offer",
        )
        .into());
    }
    let after = hire_in(&txn, actor, &before, expected_version, None).await?;
    txn.commit().await?;
    Ok(after)
}

/// Within a transaction: marks `before` HIRED (heading to `team_id` when
/// given), fills one opening, and closes the posting when every opening is
/// filled. The candidate's other applications are left as they are.
pub async fn hire_in(
    db: &impl ConnectionTrait,
    actor: &Actor,
    before: &application::Model,
    expected_version: i32,
    team_id: Option<i64>,
) -> Result<application::Model, Failure> {
    if before.version != expected_version {
        return Err(conflict(before));
    }
    must_be_active(before, "hire the candidate")?;
    // The posting's row is held until the transaction ends, so two hires
    // for its last opening cannot both see it free.
    let posting = posting::Entity::find_by_id(before.posting_id)
        .lock_exclusive()
        .one(db)
        .await?
        .ok_or_else(|| {
            crate::error::ApiError::Internal("an application's posting is missing".into())
        })?;
    let hired = hired_count(db, posting.id).await?;
    if hired >= u64::try_from(posting.openings).unwrap_or(0) {
        return Err(UserError::new(
            &["applicationId"],
            UserErrorCode::NoOpeningsLeft,
            format!(
                "every opening of this posting is filled ({hired} hired for {} opening(s)); raise its openings with updatePosting to hire another candidate",
                posting.openings
            ),
        )
        .into());
    }
    let change_to = Change {
        status: ApplicationStatus::Hired,
        team_id: team_id.or(before.team_id),
        reason: Some("offer accepted".into()),
        ..Change::from(before)
    };
    let after = change(
        db,
        actor,
        before,
        expected_version,
        change_to,
        "application.hire",
    )
    .await?;
    super::lifecycle::close_if_filled(db, actor, &posting, hired + 1).await?;
    Ok(after)
}

/// The stages of a posting's plan, in order.
pub async fn plan(
    db: &impl ConnectionTrait,
    posting_id: i64,
) -> Result<Vec<interview_stage::Model>, Failure> {
    Ok(interview_stage::Entity::find()
        .filter(interview_stage::Column::PostingId.eq(posting_id))
        .order_by_asc(interview_stage::Column::Position)
        .all(db)
        .await?)
}

/// When `application` entered its current stage: its latest transition into it.
pub async fn entered_current_stage(
    db: &impl ConnectionTrait,
    application: &application::Model,
) -> Result<Option<DateTime<Utc>>, Failure> {
    Ok(stage_transition::Entity::find()
        .filter(stage_transition::Column::ApplicationId.eq(application.id))
        .filter(stage_transition::Column::ToStageId.eq(application.current_stage_id))
        .order_by_desc(stage_transition::Column::OccurredAt)
        .one(db)
        .await?
        .map(|t| t.occurred_at))
}

/// How many applications of `posting_id` are hired.
pub async fn hired_count(db: &impl ConnectionTrait, posting_id: i64) -> Result<u64, Failure> {
    Ok(application::Entity::find()
        .filter(application::Column::PostingId.eq(posting_id))
        .filter(application::Column::Status.eq(ApplicationStatus::Hired))
        .count(db)
        .await?)
}

fn must_be_active(application: &application::Model, doing: &str) -> Result<(), Failure> {
    if application.status == ApplicationStatus::Active {
        Ok(())
    } else {
        Err(UserError::new(
            &["applicationId"],
            UserErrorCode::InvalidState,
            format!(
                "the application is {}; only an active application can {doing}",
                audit::enum_name(&application.status)
            ),
        )
        .into())
    }
}

/// A reason, trimmed; blank means none; at most 2,000 characters.
fn clean_reason(reason: Option<String>) -> Result<Option<String>, Failure> {
    let mut check = Check::new();
    let reason = check
        .optional_text(&["reason"], reason.as_deref(), 2000)
        .flatten();
    check.finish()?;
    Ok(reason)
}
