//! Subscriptions: live updates of a posting's pipeline, an interviewer's
//! schedule and an offer's status, over WebSocket (`graphql-transport-ws`
//! at `/graphql`).
//!
//! A subscription checks, when it starts, that the viewer may see what it
//! watches (FORBIDDEN otherwise). Each event is then re-read with the
//! viewer's permissions through the same types queries return, with nothing
//! cached from earlier events; an event about something the viewer may not
//! see is skipped.

use async_graphql::{Context, ErrorExtensions, ID, Result, SimpleObject, Subscription};
use entity::enums::Role;
use entity::posting;
use futures_util::Stream;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use tokio::sync::broadcast::error::RecvError;

use super::application::Application;
use super::interview::Interview;
use super::node::{NodeKind, expect_id};
use super::offer::Offer;
use crate::auth::permissions::{Action, authorize};
use crate::context::RequestContext;
use crate::error::{ApiError, ApiResult};
use crate::events::{Event, EventBus, PipelineChange, ScheduleChange};

/// The error code ending a subscription that fell too far behind.
pub const LAGGED: &str = "SUBSCRIPTION_LAGGED";

/// A change in a posting's pipeline.
#[derive(SimpleObject)]
pub struct PipelineEvent {
    /// What happened.
    pub change: PipelineChange,
    /// The application as it is now.
    pub application: Application,
}

/// A change in an interviewer's schedule.
#[derive(SimpleObject)]
pub struct ScheduleEvent {
    /// What happened.
    pub change: ScheduleChange,
    /// The interview as it is now.
    pub interview: Interview,
}

/// Every subscription of the API.
#[derive(Default)]
pub struct Subscription;

#[Subscription]
impl Subscription {
    /// Applications of a posting as they are created, moved, rejected,
    /// withdrawn, reopened or hired. For those who may run the posting's
    /// pipeline (admins, recruiters, its hiring manager).
    async fn posting_pipeline<'ctx>(
        &self,
        ctx: &Context<'ctx>,
        posting_id: ID,
    ) -> Result<impl Stream<Item = Result<PipelineEvent>> + 'ctx> {
        let rc = RequestContext::of(ctx)?;
        rc.viewer.staff()?;
        let id = expect_id(&posting_id, NodeKind::Posting)?;
        let posting = posting::Entity::find_by_id(id)
            .one(&rc.db)
            .await
            .map_err(ApiError::from)?
            .ok_or_else(|| ApiError::NotFound("no posting has this ID".into()))?;
        authorize(&rc.viewer, Action::RunPipeline(&posting))?;
        let events = events(ctx).await?;
        Ok(deliver(events, rc, move |rc, event| async move {
            let Event::Application {
                change,
                application,
                posting,
            } = event
            else {
                return Ok(None);
            };
            if posting != id {
                return Ok(None);
            }
            Ok(Application::load(rc, application)
                .await?
                .map(|application| PipelineEvent {
                    change,
                    application,
                }))
        }))
    }

    /// Interviews of an interviewer (the viewer when not given) as they are
    /// scheduled, rescheduled or cancelled. Anyone may watch their own
    /// schedule; admins and recruiters anyone's.
    async fn interviewer_schedule<'ctx>(
        &self,
        ctx: &Context<'ctx>,
        interviewer_id: Option<ID>,
    ) -> Result<impl Stream<Item = Result<ScheduleEvent>> + 'ctx> {
        let rc = RequestContext::of(ctx)?;
        let staff = rc.viewer.staff()?;
        let id = match &interviewer_id {
            Some(id) => expect_id(id, NodeKind::User)?,
            None => staff.id(),
        };
        if id != staff.id() && !matches!(staff.role, Role::Admin | Role::Recruiter) {
            return Err(ApiError::Forbidden(
                "only admins and recruiters may watch another interviewer's schedule".into(),
            )
            .into());
        }
        authorize(&rc.viewer, Action::ReadHiringData)?;
        let events = events(ctx).await?;
        Ok(deliver(events, rc, move |rc, event| async move {
            let Event::Interview {
                change,
                interview,
                interviewers,
            } = event
            else {
                return Ok(None);
            };
            if !interviewers.contains(&id) {
                return Ok(None);
            }
            Ok(Interview::load(rc, interview)
                .await?
                .map(|interview| ScheduleEvent { change, interview }))
        }))
    }

    /// An offer each time its status changes (submitted, approved, sent,
    /// accepted, declined, withdrawn). For those who may read the offers of
    /// its posting.
    async fn offer_status<'ctx>(
        &self,
        ctx: &Context<'ctx>,
        offer_id: ID,
    ) -> Result<impl Stream<Item = Result<Offer>> + 'ctx> {
        let rc = RequestContext::of(ctx)?;
        rc.viewer.staff()?;
        let id = expect_id(&offer_id, NodeKind::Offer)?;
        if Offer::load(rc, id).await?.is_none() {
            return Err(ApiError::NotFound("no offer has this ID".into()).into());
        }
        let events = events(ctx).await?;
        Ok(deliver(events, rc, move |rc, event| async move {
            match event {
                Event::Offer { offer, .. } if offer == id => Offer::load(rc, id).await,
                _ => Ok(None),
            }
        }))
    }
}

/// The events of the bus the schema was built with.
async fn events(
    ctx: &Context<'_>,
) -> ApiResult<tokio::sync::broadcast::Receiver<std::sync::Arc<Event>>> {
    let bus = ctx
        .data::<EventBus>()
        .map_err(|_| ApiError::Internal("subscriptions need an event bus".into()))?;
    Ok(bus.subscribe().await)
}

/// The stream of what `read` makes of each event (skipping `None`), reading
/// fresh rows each time; ends with an error when the subscriber fell too far
/// behind.
fn deliver<'a, T, F, Fut>(
    events: tokio::sync::broadcast::Receiver<std::sync::Arc<Event>>,
    rc: &'a RequestContext,
    read: F,
) -> impl Stream<Item = Result<T>> + 'a
where
    T: Send + 'a,
    F: Fn(&'a RequestContext, Event) -> Fut + Clone + Send + 'a,
    Fut: std::future::Future<Output = ApiResult<Option<T>>> + Send + 'a,
{
    futures_util::stream::unfold(Some(events), move |events| {
        let read = read.clone();
        async move {
            let mut events = events?;
            loop {
                let event = match events.recv().await {
                    Ok(event) => event,
                    Err(RecvError::Closed) => return None,
                    Err(RecvError::Lagged(missed)) => {
                        let err = async_graphql::Error::new(format!(
                            "this subscription fell {missed} events behind and was ended; subscribe again"
                        ))
                        .extend_with(|_, ext| ext.set("code", LAGGED));
                        return Some((Err(err), None));
                    }
                };
                rc.forget();
                match read(rc, (*event).clone()).await {
                    Ok(Some(item)) => return Some((Ok(item), Some(events))),
                    Ok(None) => continue,
                    Err(err) => return Some((Err(err.into()), Some(events))),
                }
            }
        }
    })
}

/// Announces `event` through the bus the schema was built with (if any);
/// call once the change has committed.
pub async fn announce(ctx: &Context<'_>, event: Event) {
    if let Some(bus) = ctx.data_opt::<EventBus>() {
        bus.publish(event).await;
    }
}

/// Announces a committed change of `application`.
pub async fn announce_application(
    ctx: &Context<'_>,
    change: PipelineChange,
    application: &entity::application::Model,
) {
    announce(
        ctx,
        Event::Application {
            change,
            application: application.id,
            posting: application.posting_id,
        },
    )
    .await;
}

/// Announces a committed change of `interview` to its interviewers.
pub async fn announce_interview(
    ctx: &Context<'_>,
    change: ScheduleChange,
    interview: &entity::interview::Model,
) {
    if ctx.data_opt::<EventBus>().is_none() {
        return;
    }
    let Ok(rc) = RequestContext::of(ctx) else {
        return;
    };
    let interviewers = entity::interview_interviewer::Entity::find()
        .filter(entity::interview_interviewer::Column::InterviewId.eq(interview.id))
        .all(&rc.db)
        .await;
    match interviewers {
        Ok(rows) => {
            announce(
                ctx,
                Event::Interview {
                    change,
                    interview: interview.id,
                    interviewers: rows.into_iter().map(|row| row.user_id).collect(),
                },
            )
            .await
        }
        Err(err) => tracing::warn!(error = %err, "could not find the interviewers to announce to"),
    }
}
