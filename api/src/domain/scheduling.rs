//! Interviews: meetings at synchronous stages, assignments at asynchronous
//! ones.
//!
//! A meeting is booked for the stage the application is at, in the future,
//! for up to eight hours, shown in an IANA time zone, with one or more
//! interviewers; nobody taking part (an interviewer or the candidate) may
//! already be booked at an overlapping time. On Postgres the people involved
//! are locked while the overlap is checked, so two bookings made at the same
//! moment cannot both pass.
//!
//! An assignment (application review, take-home exercise, exercise review,
//! employment verification) gets a due date from the stage's SLA and one or
//! more reviewers; a take-home records the candidate's submission. An open
//! assignment past its due date makes its application overdue.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};
use entity::enums::{ApplicationStatus, InterviewStatus, StageKind, StageMode};
use entity::{application, candidate, interview, interview_interviewer, interview_stage, user};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QuerySelect, Set,
};

use super::audit::{self, Actor};
use super::transparency::disclosure::require_before_interview;
use super::validate::Check;
use super::write::now;
use crate::db::begin_write;
use crate::error::{Failure, UserError, UserErrorCode};

/// The longest meeting that can be booked.
const MAX_MEETING_HOURS: i64 = 8;

/// When and where a meeting takes place.
#[derive(Clone, Debug)]
pub struct Slot {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub time_zone: String,
}

/// Books a meeting for the application's current (synchronous) stage. Where
/// a pay-transparency law wants the range given before the first interview,
/// the range must have been disclosed first (`headcount`: the employer's size).
pub async fn schedule(
    db: &DatabaseConnection,
    actor: &Actor,
    application: &application::Model,
    slot: Slot,
    interviewer_ids: Vec<i64>,
    meeting_url: Option<String>,
    headcount: u32,
) -> Result<interview::Model, Failure> {
    let mut check = Check::new();
    let slot = check_slot(&mut check, slot);
    let interviewers = check_people(&mut check, "interviewerIds", &interviewer_ids);
    let meeting_url = meeting_url
        .as_deref()
        .filter(|u| !u.trim().is_empty())
        .and_then(|u| check.url(&["meetingUrl"], u));
    check.finish()?;
    let Some(slot) = slot else {
        return Err(UserError::new(&[], UserErrorCode::Invalid, "the time is not valid").into());
    };

    let txn = begin_write(db).await?;
    let stage = current_stage(&txn, application).await?;
    if stage.mode != StageMode::Sync {
        return Err(UserError::new(
            &["applicationId"],
            UserErrorCode::InvalidState,
            format!(
                "\"{}\" is done on the candidate's own time: send an assignment instead",
                stage.name
            ),
        )
        .into());
    }
    require_before_interview(&txn, application, headcount).await?;
    active_users(&txn, "interviewerIds", &interviewers).await?;
    free(&txn, &interviewers, application.candidate_id, &slot, None).await?;
    let now = now();
    let booked = interview::ActiveModel {
        application_id: Set(application.id),
        stage_id: Set(stage.id),
        status: Set(InterviewStatus::Scheduled),
        starts_at: Set(slot.starts_at),
        ends_at: Set(Some(slot.ends_at)),
        time_zone: Set(slot.time_zone),
        meeting_url: Set(meeting_url),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    add_people(&txn, booked.id, &interviewers).await?;
    record(
        &txn,
        actor,
        "interview.schedule",
        None,
        &booked,
        &interviewers,
    )
    .await?;
    txn.commit().await?;
    Ok(booked)
}

/// Moves a scheduled meeting to another time (and time zone).
pub async fn reschedule(
    db: &DatabaseConnection,
    actor: &Actor,
    before: &interview::Model,
    slot: Slot,
) -> Result<interview::Model, Failure> {
    let mut check = Check::new();
    let slot = check_slot(&mut check, slot);
    check.finish()?;
    let Some(slot) = slot else {
        return Err(UserError::new(&[], UserErrorCode::Invalid, "the time is not valid").into());
    };
    if before.ends_at.is_none() {
        return Err(UserError::new(
            &["id"],
            UserErrorCode::InvalidState,
            "an assignment has a due date, not a time",
        )
        .into());
    }
    must_be_scheduled(before)?;
    let txn = begin_write(db).await?;
    let interviewers = people(&txn, before.id).await?;
    let application = application::Entity::find_by_id(before.application_id)
        .one(&txn)
        .await?
        .ok_or_else(|| {
            UserError::new(
                &["id"],
                UserErrorCode::NotFound,
                "the interview's application is gone",
            )
        })?;
    free(
        &txn,
        &interviewers,
        application.candidate_id,
        &slot,
        Some(before.id),
    )
    .await?;
    let after = guarded_update(
        &txn,
        before,
        interview::ActiveModel {
            starts_at: Set(slot.starts_at),
            ends_at: Set(Some(slot.ends_at)),
            time_zone: Set(slot.time_zone),
            ..Default::default()
        },
    )
    .await?;
    record(
        &txn,
        actor,
        "interview.reschedule",
        Some(before),
        &after,
        &interviewers,
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

/// Calls off a scheduled interview or assignment, saying why.
pub async fn cancel(
    db: &DatabaseConnection,
    actor: &Actor,
    before: &interview::Model,
    reason: String,
) -> Result<interview::Model, Failure> {
    let mut check = Check::new();
    let reason = check.text(&["reason"], &reason, 2000);
    check.finish()?;
    must_be_scheduled(before)?;
    finish(
        db,
        actor,
        before,
        "interview.cancel",
        interview::ActiveModel {
            status: Set(InterviewStatus::Cancelled),
            cancel_reason: Set(reason),
            ..Default::default()
        },
    )
    .await
}

/// Marks a meeting that has started as held, or an assignment as done.
pub async fn complete(
    db: &DatabaseConnection,
    actor: &Actor,
    before: &interview::Model,
) -> Result<interview::Model, Failure> {
    must_be_scheduled(before)?;
    must_have_started(before)?;
    finish(
        db,
        actor,
        before,
        "interview.complete",
        interview::ActiveModel {
            status: Set(InterviewStatus::Completed),
            ..Default::default()
        },
    )
    .await
}

/// Records that the candidate did not attend a meeting that has started.
pub async fn no_show(
    db: &DatabaseConnection,
    actor: &Actor,
    before: &interview::Model,
) -> Result<interview::Model, Failure> {
    must_be_scheduled(before)?;
    must_have_started(before)?;
    if before.ends_at.is_none() {
        return Err(UserError::new(
            &["id"],
            UserErrorCode::InvalidState,
            "an assignment is not attended",
        )
        .into());
    }
    finish(
        db,
        actor,
        before,
        "interview.no_show",
        interview::ActiveModel {
            status: Set(InterviewStatus::NoShow),
            ..Default::default()
        },
    )
    .await
}

/// Starts the application's current (asynchronous) stage: the assignment is
/// due after the stage's SLA (or at `due_at`), with `reviewer_ids` assigned.
/// A take-home exercise counts as an interview for the pay-range disclosure
/// some laws want first.
pub async fn send_assignment(
    db: &DatabaseConnection,
    actor: &Actor,
    application: &application::Model,
    reviewer_ids: Vec<i64>,
    due_at: Option<DateTime<Utc>>,
    headcount: u32,
) -> Result<interview::Model, Failure> {
    let mut check = Check::new();
    let reviewers = check_people(&mut check, "reviewerIds", &reviewer_ids);
    let now = now();
    if due_at.is_some_and(|due| due <= now) {
        check.fail(
            &["dueAt"],
            UserErrorCode::InThePast,
            "the due date must be in the future",
        );
    }
    check.finish()?;
    let txn = begin_write(db).await?;
    let stage = current_stage(&txn, application).await?;
    if stage.mode != StageMode::Async {
        return Err(UserError::new(
            &["applicationId"],
            UserErrorCode::InvalidState,
            format!(
                "\"{}\" is a meeting: schedule an interview instead",
                stage.name
            ),
        )
        .into());
    }
    if stage.kind == StageKind::TakeHomeExercise {
        require_before_interview(&txn, application, headcount).await?;
    }
    let open = interview::Entity::find()
        .filter(interview::Column::ApplicationId.eq(application.id))
        .filter(interview::Column::StageId.eq(stage.id))
        .filter(interview::Column::Status.eq(InterviewStatus::Scheduled))
        .one(&txn)
        .await?;
    if let Some(open) = open {
        return Err(UserError::new(
            &["applicationId"],
            UserErrorCode::InvalidState,
            format!(
                "the assignment for this stage is already out (interview {}); cancel it first",
                crate::schema::node::global_id(crate::schema::node::NodeKind::Interview, open.id).0
            ),
        )
        .into());
    }
    let due_at = match (due_at, stage.sla_hours) {
        (Some(due), _) => due,
        (None, Some(hours)) => now + Duration::hours(i64::from(hours)),
        (None, None) => {
            return Err(UserError::new(
                &["dueAt"],
                UserErrorCode::Blank,
                "the stage has no SLA: give a due date",
            )
            .into());
        }
    };
    active_users(&txn, "reviewerIds", &reviewers).await?;
    let zone = candidate::Entity::find_by_id(application.candidate_id)
        .one(&txn)
        .await?
        .and_then(|c| c.time_zone)
        .unwrap_or_else(|| "UTC".into());
    let sent = interview::ActiveModel {
        application_id: Set(application.id),
        stage_id: Set(stage.id),
        status: Set(InterviewStatus::Scheduled),
        starts_at: Set(now),
        ends_at: Set(None),
        time_zone: Set(zone),
        due_at: Set(Some(due_at)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    add_people(&txn, sent.id, &reviewers).await?;
    record(&txn, actor, "interview.assign", None, &sent, &reviewers).await?;
    txn.commit().await?;
    Ok(sent)
}

/// Records the candidate's submission of a take-home exercise.
pub async fn record_submission(
    db: &DatabaseConnection,
    actor: &Actor,
    before: &interview::Model,
    submission_url: String,
) -> Result<interview::Model, Failure> {
    let mut check = Check::new();
    let url = check.url(&["submissionUrl"], &submission_url);
    check.finish()?;
    must_be_scheduled(before)?;
    let stage = interview_stage::Entity::find_by_id(before.stage_id)
        .one(db)
        .await?;
    if stage.is_none_or(|s| s.kind != StageKind::TakeHomeExercise) {
        return Err(UserError::new(
            &["id"],
            UserErrorCode::InvalidState,
            "only a take-home exercise takes a submission",
        )
        .into());
    }
    finish(
        db,
        actor,
        before,
        "interview.submit",
        interview::ActiveModel {
            status: Set(InterviewStatus::Completed),
            submitted_at: Set(Some(now())),
            submission_url: Set(url),
            ..Default::default()
        },
    )
    .await
}

/// Checks a slot: a real time zone, an end after the start, in the future,
/// at most eight hours long.
fn check_slot(check: &mut Check, slot: Slot) -> Option<Slot> {
    let zone = check.time_zone(&["timeZone"], &slot.time_zone);
    let mut ok = zone.is_some();
    if slot.ends_at <= slot.starts_at {
        check.fail(
            &["endsAt"],
            UserErrorCode::InvalidRange,
            "the interview must end after it starts",
        );
        ok = false;
    } else if slot.ends_at - slot.starts_at > Duration::hours(MAX_MEETING_HOURS) {
        check.fail(
            &["endsAt"],
            UserErrorCode::OutOfRange,
            format!("an interview lasts at most {MAX_MEETING_HOURS} hours"),
        );
        ok = false;
    }
    if slot.starts_at <= now() {
        check.fail(
            &["startsAt"],
            UserErrorCode::InThePast,
            "the interview must start in the future",
        );
        ok = false;
    }
    ok.then(|| Slot {
        time_zone: zone.unwrap_or_default(),
        ..slot
    })
}

/// Checks a list of people: at least one, none twice.
fn check_people(check: &mut Check, field: &str, ids: &[i64]) -> Vec<i64> {
    if ids.is_empty() {
        check.fail(&[field], UserErrorCode::Blank, "name at least one person");
    }
    let mut seen = HashSet::new();
    for (i, id) in ids.iter().enumerate() {
        if !seen.insert(*id) {
            check.fail(
                &[field, &i.to_string()],
                UserErrorCode::Duplicate,
                "listed twice",
            );
        }
    }
    ids.to_vec()
}

/// `NOT_FOUND` errors for people who are not active staff.
async fn active_users(db: &impl ConnectionTrait, field: &str, ids: &[i64]) -> Result<(), Failure> {
    let active: HashSet<i64> = user::Entity::find()
        .filter(user::Column::Id.is_in(ids.iter().copied()))
        .filter(user::Column::Active.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(|u| u.id)
        .collect();
    let errors: Vec<UserError> = ids
        .iter()
        .enumerate()
        .filter(|(_, id)| !active.contains(id))
        .map(|(i, _)| {
            UserError::at(
                vec![field.to_owned(), i.to_string()],
                UserErrorCode::NotFound,
                "no active staff user has this ID",
            )
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Failure::Rejected(errors))
    }
}

/// `OVERLAP` errors when an interviewer or the candidate is already booked in
/// a scheduled meeting overlapping `slot` (other than `except`). Locks the
/// people involved first, on databases that lock rows.
async fn free(
    db: &impl ConnectionTrait,
    interviewers: &[i64],
    candidate_id: i64,
    slot: &Slot,
    except: Option<i64>,
) -> Result<(), Failure> {
    user::Entity::find()
        .filter(user::Column::Id.is_in(interviewers.iter().copied()))
        .lock_exclusive()
        .all(db)
        .await?;
    candidate::Entity::find_by_id(candidate_id)
        .lock_exclusive()
        .one(db)
        .await?;
    let mut overlapping = interview::Entity::find()
        .filter(interview::Column::Status.eq(InterviewStatus::Scheduled))
        .filter(interview::Column::EndsAt.is_not_null())
        // Bounded below so the index on starts_at serves the search.
        .filter(interview::Column::StartsAt.gt(slot.starts_at - Duration::hours(MAX_MEETING_HOURS)))
        .filter(interview::Column::StartsAt.lt(slot.ends_at))
        .filter(interview::Column::EndsAt.gt(slot.starts_at));
    if let Some(id) = except {
        overlapping = overlapping.filter(interview::Column::Id.ne(id));
    }
    let overlapping: HashMap<i64, interview::Model> = overlapping
        .all(db)
        .await?
        .into_iter()
        .map(|i| (i.id, i))
        .collect();
    if overlapping.is_empty() {
        return Ok(());
    }
    let describe = |i: &interview::Model| {
        format!(
            "interview {} from {} to {}",
            crate::schema::node::global_id(crate::schema::node::NodeKind::Interview, i.id).0,
            i.starts_at.format("%Y-%m-%d %H:%M UTC"),
            i.ends_at
                .map(|e| e.format("%H:%M UTC").to_string())
                .unwrap_or_default()
        )
    };
    let mut errors = Vec::new();
    let taking_part = interview_interviewer::Entity::find()
        .filter(interview_interviewer::Column::InterviewId.is_in(overlapping.keys().copied()))
        .filter(interview_interviewer::Column::UserId.is_in(interviewers.iter().copied()))
        .all(db)
        .await?;
    for (i, id) in interviewers.iter().enumerate() {
        if let Some(busy) = taking_part
            .iter()
            .find(|t| t.user_id == *id)
            .and_then(|t| overlapping.get(&t.interview_id))
        {
            errors.push(UserError::at(
                vec!["interviewerIds".into(), i.to_string()],
                UserErrorCode::Overlap,
                format!("this interviewer is already booked in {}", describe(busy)),
            ));
        }
    }
    let candidates_interviews = application::Entity::find()
        .filter(application::Column::CandidateId.eq(candidate_id))
        .filter(application::Column::Id.is_in(overlapping.values().map(|i| i.application_id)))
        .all(db)
        .await?;
    if let Some(busy) = overlapping.values().find(|i| {
        candidates_interviews
            .iter()
            .any(|a| a.id == i.application_id)
    }) {
        errors.push(UserError::new(
            &["startsAt"],
            UserErrorCode::Overlap,
            format!("the candidate is already booked in {}", describe(busy)),
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Failure::Rejected(errors))
    }
}

/// The stage `application` is at, which must be active.
async fn current_stage(
    db: &impl ConnectionTrait,
    application: &application::Model,
) -> Result<interview_stage::Model, Failure> {
    if application.status != ApplicationStatus::Active {
        return Err(UserError::new(
            &["applicationId"],
            UserErrorCode::InvalidState,
            "only an active application gets interviews",
        )
        .into());
    }
    interview_stage::Entity::find_by_id(application.current_stage_id)
        .one(db)
        .await?
        .ok_or_else(|| {
            UserError::new(
                &["applicationId"],
                UserErrorCode::NotFound,
                "the application's stage is gone",
            )
            .into()
        })
}

async fn people(db: &impl ConnectionTrait, interview_id: i64) -> Result<Vec<i64>, Failure> {
    Ok(interview_interviewer::Entity::find()
        .filter(interview_interviewer::Column::InterviewId.eq(interview_id))
        .all(db)
        .await?
        .into_iter()
        .map(|row| row.user_id)
        .collect())
}

async fn add_people(
    db: &impl ConnectionTrait,
    interview_id: i64,
    user_ids: &[i64],
) -> Result<(), Failure> {
    interview_interviewer::Entity::insert_many(user_ids.iter().map(|user| {
        interview_interviewer::ActiveModel {
            interview_id: Set(interview_id),
            user_id: Set(*user),
        }
    }))
    .exec(db)
    .await?;
    Ok(())
}

fn must_be_scheduled(interview: &interview::Model) -> Result<(), Failure> {
    if interview.status == InterviewStatus::Scheduled {
        Ok(())
    } else {
        Err(UserError::new(
            &["id"],
            UserErrorCode::InvalidState,
            format!(
                "the interview is {}",
                audit::enum_name(&interview.status).to_lowercase()
            ),
        )
        .into())
    }
}

fn must_have_started(interview: &interview::Model) -> Result<(), Failure> {
    if interview.starts_at <= now() {
        Ok(())
    } else {
        Err(UserError::new(
            &["id"],
            UserErrorCode::InvalidState,
            "the interview has not started yet",
        )
        .into())
    }
}

/// Writes `changes` if the interview is still as it was read (same status
/// and `updated_at`); otherwise CONFLICT.
async fn guarded_update(
    db: &impl ConnectionTrait,
    before: &interview::Model,
    mut changes: interview::ActiveModel,
) -> Result<interview::Model, Failure> {
    let now = now();
    changes.updated_at = Set(now);
    let result = interview::Entity::update_many()
        .set(changes)
        .filter(interview::Column::Id.eq(before.id))
        .filter(interview::Column::Status.eq(before.status))
        .filter(interview::Column::UpdatedAt.eq(before.updated_at))
        .exec(db)
        .await?;
    if result.rows_affected == 0 {
        return Err(UserError::new(
            &["id"],
            UserErrorCode::Conflict,
            "the interview changed since you read it; reload it",
        )
        .into());
    }
    interview::Entity::find_by_id(before.id)
        .one(db)
        .await?
        .ok_or_else(|| {
            UserError::new(&["id"], UserErrorCode::NotFound, "no interview has this ID").into()
        })
}

async fn finish(
    db: &DatabaseConnection,
    actor: &Actor,
    before: &interview::Model,
    action: &str,
    changes: interview::ActiveModel,
) -> Result<interview::Model, Failure> {
    let txn = begin_write(db).await?;
    let after = guarded_update(&txn, before, changes).await?;
    record(&txn, actor, action, Some(before), &after, &[]).await?;
    txn.commit().await?;
    Ok(after)
}

async fn record(
    db: &impl ConnectionTrait,
    actor: &Actor,
    action: &str,
    before: Option<&interview::Model>,
    after: &interview::Model,
    people: &[i64],
) -> Result<(), Failure> {
    let mut changed = audit::changes(before, after);
    if let serde_json::Value::Object(map) = &mut changed
        && !people.is_empty()
    {
        map.insert(
            "interviewers".into(),
            serde_json::json!({ "after": people }),
        );
    }
    audit::record(db, actor, action, "Interview", after.id, changed).await?;
    Ok(())
}
