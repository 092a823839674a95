//! The interview plan's stages, and interviews: meetings at a synchronous
//! stage, or assignments (with a due date and a submission) at an
//! asynchronous one. Staff only, except that a posting's plan is public.

use async_graphql::{Context, ID, InputObject, Object, Result};
use entity::enums::InterviewStatus as DbStatus;
use entity::{
    application, interview, interview_interviewer, interview_stage, interview_stage_skill, posting,
    posting_skill, skill, user,
};
use sea_orm::sea_query::{Expr, ExprTrait, Query as SqlQuery};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Select};

use super::application::Application;
use super::compensation::required;
use super::connection::{Connection, PageArgs, list, order_input};
use super::enums::{InterviewStatus, StageKind, StageMode};
use super::node::{NodeKind, expect_id, global_id};
use super::posting::Posting;
use super::reference::Skill;
use super::scalars::{DateTime, TimeZone};
use super::scorecard::Scorecard;
use super::user::User;
use crate::auth::permissions::{Action, authorize};
use crate::auth::scope::Scope;
use crate::context::RequestContext;
use crate::db::page::{Ordering, PageRequest};
use crate::error::ApiResult;
use crate::loaders::{ById, ChildrenOf, NestedList};

/// A step of a posting's hiring process.
#[derive(Clone)]
pub struct InterviewStage(pub interview_stage::Model);

impl InterviewStage {
    /// The stage with `id`, visible when its posting is.
    pub async fn load(rc: &RequestContext, id: i64) -> ApiResult<Option<InterviewStage>> {
        let Some(stage) = rc.load(ById::<interview_stage::Entity>::new(id)).await? else {
            return Ok(None);
        };
        let visible = Posting::load(rc, stage.posting_id).await?.is_some();
        Ok(visible.then_some(InterviewStage(stage)))
    }
}

/// A step of the hiring process, such as "Code exercise".
#[Object]
impl InterviewStage {
    /// The stage's global ID.
    pub async fn id(&self) -> ID {
        global_id(NodeKind::InterviewStage, self.0.id)
    }
    /// The stage's name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Its place in the plan, from 1.
    async fn position(&self) -> i32 {
        self.0.position
    }
    /// What happens at the stage.
    async fn kind(&self) -> StageKind {
        self.0.kind.into()
    }
    /// A meeting (SYNC), or work done on one's own time (ASYNC).
    async fn mode(&self) -> StageMode {
        self.0.mode.into()
    }
    /// How long the meeting takes, in minutes; null for asynchronous stages.
    async fn duration_minutes(&self) -> Option<i32> {
        self.0.duration_minutes
    }
    /// The most hours the stage should take; for asynchronous stages, the time allowed.
    async fn sla_hours(&self) -> Option<i32> {
        self.0.sla_hours
    }
    /// The skills interviewers rate at this stage: those it lists, or all the
    /// posting's skills when it lists none.
    async fn assessed_skills(&self, ctx: &Context<'_>) -> Result<Vec<Skill>> {
        let rc = RequestContext::of(ctx)?;
        let ids = assessed_skill_ids(rc, &self.0).await?;
        let mut skills = rc
            .load_many(ids.iter().map(|id| ById::<skill::Entity>::new(*id)))
            .await?;
        Ok(ids
            .iter()
            .filter_map(|id| skills.remove(&ById::new(*id)).map(Skill))
            .collect())
    }
    /// The posting whose plan this is.
    async fn posting(&self, ctx: &Context<'_>) -> Result<Posting> {
        let rc = RequestContext::of(ctx)?;
        Ok(required(
            rc.load(ById::<posting::Entity>::new(self.0.posting_id))
                .await?,
        )
        .map(Posting)?)
    }
}

/// The ids of the skills `stage` assesses: those it lists, or all its posting's.
pub async fn assessed_skill_ids(
    rc: &RequestContext,
    stage: &interview_stage::Model,
) -> ApiResult<Vec<i64>> {
    let listed: Vec<i64> = rc
        .load(ChildrenOf::<interview_stage_skill::Entity>::new(stage.id))
        .await?
        .unwrap_or_default()
        .iter()
        .map(|link| link.skill_id)
        .collect();
    if !listed.is_empty() {
        return Ok(listed);
    }
    Ok(rc
        .load(ChildrenOf::<posting_skill::Entity>::new(stage.posting_id))
        .await?
        .unwrap_or_default()
        .iter()
        .map(|link| link.skill_id)
        .collect())
}

/// A meeting with a candidate, or an assignment they work on.
#[derive(Clone)]
pub struct Interview(pub interview::Model);

impl Interview {
    /// The interview with `id`, for staff who may see it.
    pub async fn load(rc: &RequestContext, id: i64) -> ApiResult<Option<Interview>> {
        authorize(&rc.viewer, Action::ReadHiringData)?;
        if !rc.sees_interview(id).await? {
            return Ok(None);
        }
        Ok(rc
            .load(ById::<interview::Entity>::new(id))
            .await?
            .map(Interview))
    }
}

/// An interview: a meeting at a synchronous stage, or at an asynchronous one
/// an assignment with a due date and the candidate's submission.
#[Object]
impl Interview {
    /// The interview's global ID.
    pub async fn id(&self) -> ID {
        global_id(NodeKind::Interview, self.0.id)
    }
    /// The application it belongs to.
    async fn application(&self, ctx: &Context<'_>) -> Result<Application> {
        let rc = RequestContext::of(ctx)?;
        let row = rc
            .load(ById::<application::Entity>::new(self.0.application_id))
            .await?;
        Ok(required(row).map(Application)?)
    }
    /// The stage of the plan it is for.
    async fn stage(&self, ctx: &Context<'_>) -> Result<InterviewStage> {
        let rc = RequestContext::of(ctx)?;
        let row = rc
            .load(ById::<interview_stage::Entity>::new(self.0.stage_id))
            .await?;
        Ok(required(row).map(InterviewStage)?)
    }
    /// Scheduled, completed, cancelled or no-show.
    async fn status(&self) -> InterviewStatus {
        self.0.status.into()
    }
    /// When the meeting starts, or when the assignment was handed out (UTC).
    async fn starts_at(&self) -> DateTime {
        self.0.starts_at.into()
    }
    /// When the meeting ends; null for assignments.
    async fn ends_at(&self) -> Option<DateTime> {
        self.0.ends_at.map(DateTime)
    }
    /// The time zone to show the times in (the candidate's).
    async fn time_zone(&self) -> TimeZone {
        TimeZone(self.0.time_zone.clone())
    }
    /// Where the meeting happens.
    async fn meeting_url(&self) -> Option<&str> {
        self.0.meeting_url.as_deref()
    }
    /// When an assignment is due.
    async fn due_at(&self) -> Option<DateTime> {
        self.0.due_at.map(DateTime)
    }
    /// When the candidate handed in the assignment.
    async fn submitted_at(&self) -> Option<DateTime> {
        self.0.submitted_at.map(DateTime)
    }
    /// Where the candidate's submission is.
    async fn submission_url(&self) -> Option<&str> {
        self.0.submission_url.as_deref()
    }
    /// Why it was cancelled.
    async fn cancel_reason(&self) -> Option<&str> {
        self.0.cancel_reason.as_deref()
    }
    /// True for an open assignment past its due date.
    async fn overdue(&self) -> bool {
        self.0.status == DbStatus::Scheduled
            && self.0.due_at.is_some_and(|due| due < chrono::Utc::now())
    }
    /// The scorecards submitted for this interview. An interviewer sees
    /// them only after submitting their own for the application (null, with
    /// an error saying so, until then).
    async fn scorecards(&self, ctx: &Context<'_>) -> Result<Option<Vec<Scorecard>>> {
        let rc = RequestContext::of(ctx)?;
        let application = required(
            rc.load(ById::<application::Entity>::new(self.0.application_id))
                .await?,
        )?;
        let cards = super::scorecard::of_application(rc, &application).await?;
        Ok(Some(
            cards
                .into_iter()
                .filter(|c| c.interview_id == self.0.id && c.submitted_at.is_some())
                .map(Scorecard)
                .collect(),
        ))
    }
    /// The staff taking part (interviewers, or reviewers of an assignment).
    async fn interviewers(&self, ctx: &Context<'_>) -> Result<Vec<User>> {
        let rc = RequestContext::of(ctx)?;
        let links = rc
            .load(ChildrenOf::<interview_interviewer::Entity>::new(self.0.id))
            .await?
            .unwrap_or_default();
        let mut users = rc
            .load_many(links.iter().map(|l| ById::<user::Entity>::new(l.user_id)))
            .await?;
        Ok(links
            .iter()
            .filter_map(|l| users.remove(&ById::new(l.user_id)).map(User))
            .collect())
    }
}

/// Which interviews to list.
#[derive(InputObject, Default, Clone)]
pub struct InterviewFilter {
    /// Only interviews this user takes part in ("my interviews").
    pub interviewer_id: Option<ID>,
    /// Only interviews of this application.
    pub application_id: Option<ID>,
    /// Only interviews starting at or after this time.
    pub starts_after: Option<DateTime>,
    /// Only interviews starting before this time.
    pub starts_before: Option<DateTime>,
    /// Only interviews with one of these statuses.
    pub statuses: Option<Vec<InterviewStatus>>,
}

/// A filter with its IDs decoded, comparable so loaders can batch by it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct InterviewCriteria {
    interviewer_id: Option<i64>,
    application_id: Option<i64>,
    starts_after: Option<chrono::DateTime<chrono::Utc>>,
    starts_before: Option<chrono::DateTime<chrono::Utc>>,
    statuses: Option<Vec<DbStatus>>,
}

impl InterviewCriteria {
    /// Decodes `filter`; malformed IDs are BAD_USER_INPUT.
    pub fn new(filter: &InterviewFilter) -> ApiResult<Self> {
        let decode = |id: &Option<ID>, kind| id.as_ref().map(|id| expect_id(id, kind)).transpose();
        Ok(InterviewCriteria {
            interviewer_id: decode(&filter.interviewer_id, NodeKind::User)?,
            application_id: decode(&filter.application_id, NodeKind::Application)?,
            starts_after: filter.starts_after.map(|t| t.0),
            starts_before: filter.starts_before.map(|t| t.0),
            statuses: filter
                .statuses
                .as_ref()
                .map(|s| s.iter().map(|s| (*s).into()).collect()),
        })
    }

    /// The interviews matching these criteria.
    pub fn select(&self) -> Select<interview::Entity> {
        use interview::Column;
        let mut select = interview::Entity::find();
        if let Some(user) = self.interviewer_id {
            let taking_part = SqlQuery::select()
                .column(interview_interviewer::Column::InterviewId)
                .from(interview_interviewer::Entity)
                .and_where(Expr::col(interview_interviewer::Column::UserId).eq(user))
                .take();
            select = select.filter(Column::Id.in_subquery(taking_part));
        }
        if let Some(id) = self.application_id {
            select = select.filter(Column::ApplicationId.eq(id));
        }
        if let Some(time) = self.starts_after {
            select = select.filter(Column::StartsAt.gte(time));
        }
        if let Some(time) = self.starts_before {
            select = select.filter(Column::StartsAt.lt(time));
        }
        if let Some(statuses) = &self.statuses {
            select = select.filter(Column::Status.is_in(statuses.iter().copied()));
        }
        select
    }
}

order_input!(
    /// How to sort interviews.
    InterviewOrder,
    /// The fields interviews can be sorted by.
    InterviewOrderField,
    interview::Entity,
    default = (StartsAt, Asc) {
        /// By start time.
        StartsAt => "startsAt", interview::Column::StartsAt, |m| SortValue::Time(m.starts_at);
    }
);

/// The interviews listed under each application of a query.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct InterviewList {
    viewer: Scope,
    criteria: InterviewCriteria,
    order: InterviewOrder,
    page: PageRequest,
}

impl InterviewList {
    /// A nested list of interviews, narrowed to what `viewer` may see.
    pub fn new(
        viewer: Scope,
        filter: &InterviewFilter,
        order: InterviewOrder,
        args: PageArgs,
    ) -> ApiResult<Self> {
        Ok(InterviewList {
            viewer,
            criteria: InterviewCriteria::new(filter)?,
            page: args.request(&order.ordering())?,
            order,
        })
    }
}

impl NestedList for InterviewList {
    type Entity = interview::Entity;

    fn parent_column(&self) -> interview::Column {
        interview::Column::ApplicationId
    }
    fn parent_of(&self, row: &interview::Model) -> i64 {
        row.application_id
    }
    fn select(&self) -> Select<interview::Entity> {
        self.criteria.select().filter(self.viewer.interviews())
    }
    fn ordering(&self) -> Ordering<interview::Entity> {
        self.order.ordering()
    }
    fn page(&self) -> &PageRequest {
        &self.page
    }
}

/// Reading interviews.
#[derive(Default)]
pub struct InterviewQuery;

#[Object]
impl InterviewQuery {
    /// Interviews by start time (staff only), as far as you may see them.
    /// `interviews(interviewer: $me, from: $monday, to: $nextMonday)` is
    /// what is on your calendar this week.
    async fn interviews(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Return the first n interviews (1 to 100).")] first: Option<i32>,
        #[graphql(desc = "Return interviews after this cursor.")] after: Option<String>,
        #[graphql(desc = "Return the last n interviews (1 to 100).")] last: Option<i32>,
        #[graphql(desc = "Return interviews before this cursor.")] before: Option<String>,
        #[graphql(default, desc = "Which interviews.")] filter: InterviewFilter,
        #[graphql(default, desc = "How to sort the interviews.")] order_by: InterviewOrder,
        #[graphql(desc = "Only this person's interviews (shorthand for `filter.interviewerId`).")]
        interviewer: Option<ID>,
        #[graphql(
            desc = "Only interviews starting at or after this time (shorthand for `filter.startsAfter`)."
        )]
        from: Option<DateTime>,
        #[graphql(
            desc = "Only interviews starting before this time (shorthand for `filter.startsBefore`)."
        )]
        to: Option<DateTime>,
    ) -> Result<Connection<Interview>> {
        let rc = RequestContext::of(ctx)?;
        authorize(&rc.viewer, Action::ReadHiringData)?;
        let filter = InterviewFilter {
            interviewer_id: interviewer.or(filter.interviewer_id),
            starts_after: from.or(filter.starts_after),
            starts_before: to.or(filter.starts_before),
            ..filter
        };
        let select = InterviewCriteria::new(&filter)?
            .select()
            .filter(rc.scope().interviews());
        let args = PageArgs {
            first,
            after,
            last,
            before,
        };
        Ok(list(rc, select, order_by.ordering(), args, Interview).await?)
    }

    /// One interview (staff only); null when there is no such interview.
    async fn interview(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The interview's global ID.")] id: ID,
    ) -> Result<Option<Interview>> {
        let rc = RequestContext::of(ctx)?;
        Ok(Interview::load(rc, expect_id(&id, NodeKind::Interview)?).await?)
    }
}
