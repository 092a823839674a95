//! Booking interviews and sending assignments (admins and recruiters; hiring
//! managers on their postings).

use async_graphql::{Context, ID, InputObject, Object, Result};
use entity::{application, interview, posting};
use sea_orm::EntityTrait;

use super::interview::Interview;
use super::node::{NodeKind, input_id};
use super::pipeline::authorize_application;
use super::scalars::{DateTime, TimeZone};
use super::{actor, payload};
use crate::auth::permissions::{Action, authorize};
use crate::context::RequestContext;
use crate::domain::scheduling::{self, Slot};
use crate::error::{ApiError, ApiResult, Failure, UserError, UserErrorCode};

payload!(
    /// The result of booking or changing an interview or assignment.
    InterviewPayload {
        /// The interview as it is now.
        interview: Interview
    }
);

/// The interview `id`, after checking the viewer may run its posting's pipeline.
async fn authorize_interview(
    rc: &RequestContext,
    id: &ID,
    field: &str,
) -> ApiResult<Result<interview::Model, UserError>> {
    rc.viewer.staff()?;
    let id = match input_id(id, NodeKind::Interview, &[field]) {
        Ok(id) => id,
        Err(err) => return Ok(Err(err)),
    };
    let Some(interview) = interview::Entity::find_by_id(id).one(&rc.db).await? else {
        return Ok(Err(UserError::new(
            &[field],
            UserErrorCode::NotFound,
            "no interview has this ID",
        )));
    };
    let application = application::Entity::find_by_id(interview.application_id)
        .one(&rc.db)
        .await?
        .ok_or_else(|| ApiError::Internal("an interview without its application".into()))?;
    let posting = posting::Entity::find_by_id(application.posting_id)
        .one(&rc.db)
        .await?
        .ok_or_else(|| ApiError::Internal("an application without its posting".into()))?;
    authorize(&rc.viewer, Action::RunPipeline(&posting))?;
    Ok(Ok(interview))
}

/// Decodes a list of user IDs, collecting every malformed one.
fn user_ids(ids: &[ID], field: &str) -> Result<Vec<i64>, Failure> {
    let mut errors = Vec::new();
    let decoded = ids
        .iter()
        .enumerate()
        .filter_map(
            |(i, id)| match input_id(id, NodeKind::User, &[field, &i.to_string()]) {
                Ok(id) => Some(id),
                Err(err) => {
                    errors.push(err);
                    None
                }
            },
        )
        .collect();
    if errors.is_empty() {
        Ok(decoded)
    } else {
        Err(Failure::Rejected(errors))
    }
}

/// A meeting to book.
#[derive(InputObject)]
pub struct ScheduleInterviewInput {
    /// The application; the interview is for its current stage, which must be a meeting.
    pub application_id: ID,
    /// When it starts (must be in the future).
    pub starts_at: DateTime,
    /// When it ends (after the start, at most 8 hours later).
    pub ends_at: DateTime,
    /// The time zone to show it in, usually the candidate's.
    pub time_zone: TimeZone,
    /// Who interviews; none of them may be booked at an overlapping time.
    pub interviewer_ids: Vec<ID>,
    /// Where it happens.
    pub meeting_url: Option<String>,
}

/// A new time for a meeting.
#[derive(InputObject)]
pub struct RescheduleInterviewInput {
    /// The interview.
    pub id: ID,
    /// The new start.
    pub starts_at: DateTime,
    /// The new end.
    pub ends_at: DateTime,
    /// The time zone to show it in.
    pub time_zone: TimeZone,
}

/// An interview or assignment to call off.
#[derive(InputObject)]
pub struct CancelInterviewInput {
    /// The interview.
    pub id: ID,
    /// Why.
    pub reason: String,
}

/// An interview to mark.
#[derive(InputObject)]
pub struct InterviewStatusInput {
    /// The interview.
    pub id: ID,
}

/// An assignment for an application at an asynchronous stage.
#[derive(InputObject)]
pub struct SendAssignmentInput {
    /// The application; the assignment is for its current stage, which must be asynchronous.
    pub application_id: ID,
    /// Who reviews (or, for an application review, who decides).
    pub reviewer_ids: Vec<ID>,
    /// When it is due; by default after the stage's SLA.
    pub due_at: Option<DateTime>,
}

/// The candidate's submission of a take-home exercise.
#[derive(InputObject)]
pub struct RecordSubmissionInput {
    /// The assignment.
    pub interview_id: ID,
    /// Where the work is, e.g. a repository.
    pub submission_url: String,
}

/// Booking interviews and sending assignments.
#[derive(Default)]
pub struct SchedulingMutation;

#[Object]
impl SchedulingMutation {
    /// Books a meeting for the stage the application is at. Where a
    /// pay-transparency law (the EU directive) covers the candidate or the
    /// posting, the pay range must have been disclosed first
    /// (PAY_RANGE_NOT_DISCLOSED otherwise; see `recordPayRangeDisclosure`).
    async fn schedule_interview(
        &self,
        ctx: &Context<'_>,
        input: ScheduleInterviewInput,
    ) -> Result<InterviewPayload> {
        let rc = RequestContext::of(ctx)?;
        let outcome = match authorize_application(rc, &input.application_id).await? {
            Err(err) => Err(err.into()),
            Ok((application, _)) => match user_ids(&input.interviewer_ids, "interviewerIds") {
                Err(failure) => Err(failure),
                Ok(interviewers) => {
                    let slot = Slot {
                        starts_at: input.starts_at.0,
                        ends_at: input.ends_at.0,
                        time_zone: input.time_zone.0,
                    };
                    scheduling::schedule(
                        &rc.db,
                        &actor(rc),
                        &application,
                        slot,
                        interviewers,
                        input.meeting_url,
                        rc.employer_headcount,
                    )
                    .await
                }
            },
        };
        if let Ok(changed) = &outcome {
            super::live::announce_interview(ctx, crate::events::ScheduleChange::Scheduled, changed)
                .await;
        }
        InterviewPayload::from_outcome(outcome, Interview)
    }

    /// Moves a scheduled meeting to another time.
    async fn reschedule_interview(
        &self,
        ctx: &Context<'_>,
        input: RescheduleInterviewInput,
    ) -> Result<InterviewPayload> {
        let rc = RequestContext::of(ctx)?;
        let outcome = match authorize_interview(rc, &input.id, "id").await? {
            Err(err) => Err(err.into()),
            Ok(before) => {
                let slot = Slot {
                    starts_at: input.starts_at.0,
                    ends_at: input.ends_at.0,
                    time_zone: input.time_zone.0,
                };
                scheduling::reschedule(&rc.db, &actor(rc), &before, slot).await
            }
        };
        if let Ok(changed) = &outcome {
            super::live::announce_interview(
                ctx,
                crate::events::ScheduleChange::Rescheduled,
                changed,
            )
            .await;
        }
        InterviewPayload::from_outcome(outcome, Interview)
    }

    /// Calls off a scheduled interview or an open assignment.
    async fn cancel_interview(
        &self,
        ctx: &Context<'_>,
        input: CancelInterviewInput,
    ) -> Result<InterviewPayload> {
        let rc = RequestContext::of(ctx)?;
        let outcome = match authorize_interview(rc, &input.id, "id").await? {
            Err(err) => Err(err.into()),
            Ok(before) => scheduling::cancel(&rc.db, &actor(rc), &before, input.reason).await,
        };
        if let Ok(changed) = &outcome {
            super::live::announce_interview(ctx, crate::events::ScheduleChange::Cancelled, changed)
                .await;
        }
        InterviewPayload::from_outcome(outcome, Interview)
    }

    /// Marks a meeting that has started as held, or an assignment as done.
    async fn complete_interview(
        &self,
        ctx: &Context<'_>,
        input: InterviewStatusInput,
    ) -> Result<InterviewPayload> {
        let rc = RequestContext::of(ctx)?;
        let outcome = match authorize_interview(rc, &input.id, "id").await? {
            Err(err) => Err(err.into()),
            Ok(before) => scheduling::complete(&rc.db, &actor(rc), &before).await,
        };
        InterviewPayload::from_outcome(outcome, Interview)
    }

    /// Records that the candidate did not attend a meeting.
    async fn mark_interview_no_show(
        &self,
        ctx: &Context<'_>,
        input: InterviewStatusInput,
    ) -> Result<InterviewPayload> {
        let rc = RequestContext::of(ctx)?;
        let outcome = match authorize_interview(rc, &input.id, "id").await? {
            Err(err) => Err(err.into()),
            Ok(before) => scheduling::no_show(&rc.db, &actor(rc), &before).await,
        };
        InterviewPayload::from_outcome(outcome, Interview)
    }

    /// Starts an asynchronous stage: sends the take-home exercise (or opens
    /// the review), due after the stage's SLA, with reviewers assigned. A
    /// take-home exercise needs the pay range disclosed first, as an interview does.
    async fn send_assignment(
        &self,
        ctx: &Context<'_>,
        input: SendAssignmentInput,
    ) -> Result<InterviewPayload> {
        let rc = RequestContext::of(ctx)?;
        let outcome = match authorize_application(rc, &input.application_id).await? {
            Err(err) => Err(err.into()),
            Ok((application, _)) => match user_ids(&input.reviewer_ids, "reviewerIds") {
                Err(failure) => Err(failure),
                Ok(reviewers) => {
                    scheduling::send_assignment(
                        &rc.db,
                        &actor(rc),
                        &application,
                        reviewers,
                        input.due_at.map(|d| d.0),
                        rc.employer_headcount,
                    )
                    .await
                }
            },
        };
        InterviewPayload::from_outcome(outcome, Interview)
    }

    /// Records the candidate's submission of a take-home exercise.
    async fn record_submission(
        &self,
        ctx: &Context<'_>,
        input: RecordSubmissionInput,
    ) -> Result<InterviewPayload> {
        let rc = RequestContext::of(ctx)?;
        let outcome = match authorize_interview(rc, &input.interview_id, "interviewId").await? {
            Err(err) => Err(err.into()),
            Ok(before) => {
                scheduling::record_submission(&rc.db, &actor(rc), &before, input.submission_url)
                    .await
            }
        };
        InterviewPayload::from_outcome(outcome, Interview)
    }
}
