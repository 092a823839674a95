//! Running the pipeline: a posting's status, and moving applications
//! through its plan. Each application change carries the version the client
//! read; a stale one gets a CONFLICT user error together with the
//! application as it is now.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use entity::{application, posting};
use sea_orm::EntityTrait;

use super::application::Application;
use super::enums::{CloseReason, RejectionReason};
use super::node::{NodeKind, input_id};
use super::posting::Posting;
use super::{actor, payload};
use crate::auth::permissions::{Action, authorize};
use crate::context::RequestContext;
use crate::domain::lifecycle::{self, StatusChange};
use crate::domain::pipeline;
use crate::error::{ApiError, ApiResult, Failure, UserError, UserErrorCode};
use crate::events::PipelineChange;

payload!(
    /// The result of a change of a posting's status.
    PostingStatusPayload {
        /// The posting with its new status.
        posting: Posting
    }
);

/// The result of a change of an application: the application as it is now
/// (also when the change was refused because it changed in between).
#[derive(SimpleObject)]
pub struct ApplicationPayload {
    /// The application after the change; after a CONFLICT, as it is now.
    pub application: Option<Application>,
    /// What was wrong; empty when the change was made.
    pub user_errors: Vec<UserError>,
}

impl ApplicationPayload {
    /// The payload for the outcome of changing application `id`.
    pub async fn from_outcome(
        rc: &RequestContext,
        id: Option<i64>,
        outcome: Result<application::Model, Failure>,
    ) -> Result<Self> {
        match outcome {
            Ok(model) => Ok(ApplicationPayload {
                application: Some(Application(model)),
                user_errors: Vec::new(),
            }),
            Err(Failure::Rejected(user_errors)) => {
                let conflict = user_errors
                    .iter()
                    .any(|e| e.code == UserErrorCode::Conflict);
                let application = match (conflict, id) {
                    (true, Some(id)) => application::Entity::find_by_id(id)
                        .one(&rc.db)
                        .await
                        .map_err(ApiError::from)?
                        .map(Application),
                    _ => None,
                };
                Ok(ApplicationPayload {
                    application,
                    user_errors,
                })
            }
            Err(Failure::Api(err)) => Err(err.into()),
        }
    }
}

/// The posting of application `id`, after checking the viewer may run its pipeline.
pub async fn authorize_application(
    rc: &RequestContext,
    id: &ID,
) -> ApiResult<Result<(application::Model, posting::Model), UserError>> {
    rc.viewer.staff()?;
    let id = match input_id(id, NodeKind::Application, &["applicationId"]) {
        Ok(id) => id,
        Err(err) => return Ok(Err(err)),
    };
    let Some(application) = application::Entity::find_by_id(id).one(&rc.db).await? else {
        return Ok(Err(UserError::new(
            &["applicationId"],
            UserErrorCode::NotFound,
            "no application has this ID",
        )));
    };
    let posting = posting::Entity::find_by_id(application.posting_id)
        .one(&rc.db)
        .await?
        .ok_or_else(|| ApiError::Internal("an application without its posting".into()))?;
    authorize(&rc.viewer, Action::RunPipeline(&posting))?;
    Ok(Ok((application, posting)))
}

/// Publishes, pauses, resumes or closes posting `id`.
async fn change_posting(
    rc: &RequestContext,
    id: &ID,
    change: StatusChange,
    override_input: Option<PayTransparencyOverrideInput>,
) -> Result<PostingStatusPayload> {
    let staff = rc.viewer.staff()?;
    if override_input.is_some() && staff.role != entity::enums::Role::Admin {
        return Err(ApiError::forbidden(
            "only an admin may publish a posting that fails a pay-transparency law",
        )
        .into());
    }
    let gate = lifecycle::Gate {
        headcount: rc.employer_headcount,
        override_reason: override_input.map(|o| o.reason),
    };
    let id = match input_id(id, NodeKind::Posting, &["id"]) {
        Ok(id) => id,
        Err(err) => return PostingStatusPayload::from_outcome(Err(err.into()), Posting),
    };
    let Some(before) = posting::Entity::find_by_id(id)
        .one(&rc.db)
        .await
        .map_err(ApiError::from)?
    else {
        return PostingStatusPayload::from_outcome(
            Err(crate::domain::write::missing("posting")),
            Posting,
        );
    };
    authorize(&rc.viewer, Action::RunPipeline(&before))?;
    PostingStatusPayload::from_outcome(
        lifecycle::change_status(&rc.db, &actor(rc), &before, change, gate).await,
        Posting,
    )
}

/// A posting to publish, pause or resume.
#[derive(InputObject)]
pub struct PostingStatusInput {
    /// The posting.
    pub id: ID,
    /// Publish or resume even though the posting fails a pay-transparency
    /// law that covers it (admins only; others get FORBIDDEN). Pausing takes
    /// no override.
    #[graphql(name = "override")]
    pub override_: Option<PayTransparencyOverrideInput>,
}

/// Why an admin publishes a posting that fails a pay-transparency law.
#[derive(InputObject)]
pub struct PayTransparencyOverrideInput {
    /// The reason, kept with the override and in the audit log (up to 1000 characters).
    pub reason: String,
}

/// A posting to close.
#[derive(InputObject)]
pub struct ClosePostingInput {
    /// The posting.
    pub id: ID,
    /// Why: every opening filled, or the position cancelled.
    pub reason: CloseReason,
}

/// Moving an application to another stage.
#[derive(InputObject)]
pub struct MoveApplicationToStageInput {
    /// The application.
    pub application_id: ID,
    /// The stage of the posting's plan to move it to.
    pub stage_id: ID,
    /// The `version` of the application you read.
    pub expected_version: i32,
    /// Why; required when skipping a stage or going back.
    pub reason: Option<String>,
}

/// Rejecting an application.
#[derive(InputObject)]
pub struct RejectApplicationInput {
    /// The application.
    pub application_id: ID,
    /// The `version` of the application you read.
    pub expected_version: i32,
    /// Why.
    pub reason: RejectionReason,
    /// More about why, for the hiring team.
    pub note: Option<String>,
}

/// Recording that the candidate withdrew.
#[derive(InputObject)]
pub struct WithdrawApplicationInput {
    /// The application.
    pub application_id: ID,
    /// The `version` of the application you read.
    pub expected_version: i32,
    /// What the candidate said.
    pub reason: Option<String>,
}

/// Reopening a rejected or withdrawn application.
#[derive(InputObject)]
pub struct ReopenApplicationInput {
    /// The application.
    pub application_id: ID,
    /// The `version` of the application you read.
    pub expected_version: i32,
    /// Why it is reopened.
    pub reason: String,
}

/// Hiring the candidate of an application whose offer was accepted.
#[derive(InputObject)]
pub struct HireApplicationInput {
    /// The application.
    pub application_id: ID,
    /// The `version` of the application you read.
    pub expected_version: i32,
}

/// Running the pipeline (admins and recruiters; hiring managers on their postings).
#[derive(Default)]
pub struct PipelineMutation;

#[Object]
impl PipelineMutation {
    /// Publishes a draft posting: it appears on the careers site and takes
    /// applications. It needs a title, a description, an interview plan, a
    /// region and a salary range, and must meet the pay-transparency laws
    /// that cover it and want the range in the posting (PAY_TRANSPARENCY
    /// errors say what is missing); an admin may override with a reason.
    async fn publish_posting(
        &self,
        ctx: &Context<'_>,
        input: PostingStatusInput,
    ) -> Result<PostingStatusPayload> {
        change_posting(
            RequestContext::of(ctx)?,
            &input.id,
            StatusChange::Publish,
            input.override_,
        )
        .await
    }

    /// Pauses an open posting: it leaves the careers site and takes no applications.
    async fn pause_posting(
        &self,
        ctx: &Context<'_>,
        input: PostingStatusInput,
    ) -> Result<PostingStatusPayload> {
        change_posting(
            RequestContext::of(ctx)?,
            &input.id,
            StatusChange::Pause,
            input.override_,
        )
        .await
    }

    /// Opens a paused posting again.
    async fn resume_posting(
        &self,
        ctx: &Context<'_>,
        input: PostingStatusInput,
    ) -> Result<PostingStatusPayload> {
        change_posting(
            RequestContext::of(ctx)?,
            &input.id,
            StatusChange::Resume,
            input.override_,
        )
        .await
    }

    /// Closes a posting, saying why. A posting also closes itself when its
    /// last opening is filled.
    async fn close_posting(
        &self,
        ctx: &Context<'_>,
        input: ClosePostingInput,
    ) -> Result<PostingStatusPayload> {
        change_posting(
            RequestContext::of(ctx)?,
            &input.id,
            StatusChange::Close(input.reason.into()),
            None,
        )
        .await
    }

    /// Moves an active application to a stage of its posting's plan: normally
    /// the next one; skipping ahead or going back needs a reason.
    async fn move_application_to_stage(
        &self,
        ctx: &Context<'_>,
        input: MoveApplicationToStageInput,
    ) -> Result<ApplicationPayload> {
        let rc = RequestContext::of(ctx)?;
        let (application, _) = match authorize_application(rc, &input.application_id).await? {
            Ok(found) => found,
            Err(err) => return ApplicationPayload::from_outcome(rc, None, Err(err.into())).await,
        };
        let outcome = match input_id(&input.stage_id, NodeKind::InterviewStage, &["stageId"]) {
            Ok(stage) => {
                pipeline::move_to_stage(
                    &rc.db,
                    &actor(rc),
                    application.id,
                    input.expected_version,
                    stage,
                    input.reason,
                )
                .await
            }
            Err(err) => Err(err.into()),
        };
        if let Ok(changed) = &outcome {
            super::live::announce_application(ctx, PipelineChange::Moved, changed).await;
        }
        ApplicationPayload::from_outcome(rc, Some(application.id), outcome).await
    }

    /// Rejects an active application with a reason.
    async fn reject_application(
        &self,
        ctx: &Context<'_>,
        input: RejectApplicationInput,
    ) -> Result<ApplicationPayload> {
        let rc = RequestContext::of(ctx)?;
        let (application, _) = match authorize_application(rc, &input.application_id).await? {
            Ok(found) => found,
            Err(err) => return ApplicationPayload::from_outcome(rc, None, Err(err.into())).await,
        };
        let outcome = pipeline::reject(
            &rc.db,
            &actor(rc),
            application.id,
            input.expected_version,
            input.reason.into(),
            input.note,
        )
        .await;
        if let Ok(changed) = &outcome {
            super::live::announce_application(ctx, PipelineChange::Rejected, changed).await;
        }
        ApplicationPayload::from_outcome(rc, Some(application.id), outcome).await
    }

    /// Records that the candidate withdrew an active application.
    async fn withdraw_application(
        &self,
        ctx: &Context<'_>,
        input: WithdrawApplicationInput,
    ) -> Result<ApplicationPayload> {
        let rc = RequestContext::of(ctx)?;
        let (application, _) = match authorize_application(rc, &input.application_id).await? {
            Ok(found) => found,
            Err(err) => return ApplicationPayload::from_outcome(rc, None, Err(err.into())).await,
        };
        let outcome = pipeline::withdraw(
            &rc.db,
            &actor(rc),
            application.id,
            input.expected_version,
            input.reason,
        )
        .await;
        if let Ok(changed) = &outcome {
            super::live::announce_application(ctx, PipelineChange::Withdrawn, changed).await;
        }
        ApplicationPayload::from_outcome(rc, Some(application.id), outcome).await
    }

    /// Makes a rejected or withdrawn application active again, at its stage.
    async fn reopen_application(
        &self,
        ctx: &Context<'_>,
        input: ReopenApplicationInput,
    ) -> Result<ApplicationPayload> {
        let rc = RequestContext::of(ctx)?;
        let (application, _) = match authorize_application(rc, &input.application_id).await? {
            Ok(found) => found,
            Err(err) => return ApplicationPayload::from_outcome(rc, None, Err(err.into())).await,
        };
        let outcome = pipeline::reopen(
            &rc.db,
            &actor(rc),
            application.id,
            input.expected_version,
            Some(input.reason),
        )
        .await;
        if let Ok(changed) = &outcome {
            super::live::announce_application(ctx, PipelineChange::Reopened, changed).await;
        }
        ApplicationPayload::from_outcome(rc, Some(application.id), outcome).await
    }

    /// Hires the candidate of an application whose latest offer was accepted.
    /// Refused with NO_OPENINGS_LEFT once every opening of the posting is filled.
    async fn hire_application(
        &self,
        ctx: &Context<'_>,
        input: HireApplicationInput,
    ) -> Result<ApplicationPayload> {
        let rc = RequestContext::of(ctx)?;
        let (application, _) = match authorize_application(rc, &input.application_id).await? {
            Ok(found) => found,
            Err(err) => return ApplicationPayload::from_outcome(rc, None, Err(err.into())).await,
        };
        let outcome =
            pipeline::hire(&rc.db, &actor(rc), application.id, input.expected_version).await;
        if let Ok(changed) = &outcome {
            super::live::announce_application(ctx, PipelineChange::Hired, changed).await;
        }
        ApplicationPayload::from_outcome(rc, Some(application.id), outcome).await
    }
}
