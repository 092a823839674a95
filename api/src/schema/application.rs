//! Applications: a candidate in a posting's pipeline, with their stage,
//! status and history. Staff only.

use async_graphql::{Context, ID, InputObject, Object, Result};
use chrono::Utc;
use entity::enums::InterviewStatus;
use entity::enums::{ApplicationStatus as DbStatus, StageKind as DbKind};
use entity::{
    application, application_answer, candidate, interview, interview_stage, posting,
    posting_question, stage_transition, team, user,
};
use sea_orm::sea_query::{Expr, ExprTrait, Query as SqlQuery};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, Select};

use super::candidate::Candidate;
use super::compensation::required;
use super::connection::{Connection, PageArgs, list, nested, order_input};
use super::enums::{ApplicationStatus, RejectionReason, StageKind};
use super::interview::{Interview, InterviewFilter, InterviewList, InterviewOrder, InterviewStage};
use super::node::{NodeKind, expect_id, global_id};
use super::posting::{Posting, PostingQuestion};
use super::reference::Team;
use super::scalars::{DateTime, Duration};
use super::scorecard::{self, Scorecard, ScorecardSummary};
use super::user::User;
use crate::auth::permissions::{Action, authorize};
use crate::auth::scope::Scope;
use crate::context::RequestContext;
use crate::db::page::{Ordering, PageRequest};
use crate::error::ApiResult;
use crate::loaders::{ById, ChildrenOf, NestedList};

/// A candidate's application to a posting.
#[derive(Clone)]
pub struct Application(pub application::Model);

impl Application {
    /// When the application entered its current stage: the latest entry of
    /// its history that reached it (the application date if none does).
    async fn entered_current_stage(&self, ctx: &Context<'_>) -> ApiResult<chrono::DateTime<Utc>> {
        let rc = RequestContext::of(ctx)?;
        let history = rc
            .load(ChildrenOf::<stage_transition::Entity>::new(self.0.id))
            .await?
            .unwrap_or_default();
        Ok(history
            .iter()
            .rev()
            .find(|t| {
                t.to_stage_id == self.0.current_stage_id && t.from_stage_id != Some(t.to_stage_id)
            })
            .map(|t| t.occurred_at)
            .unwrap_or(self.0.applied_at))
    }

    /// The application with `id`, for staff who may see it.
    pub async fn load(rc: &RequestContext, id: i64) -> ApiResult<Option<Application>> {
        authorize(&rc.viewer, Action::ReadHiringData)?;
        if !rc.sees_application(id).await? {
            return Ok(None);
        }
        Ok(rc
            .load(ById::<application::Entity>::new(id))
            .await?
            .map(Application))
    }
}

/// An application: where a candidate stands in a posting's process.
#[Object]
impl Application {
    /// The application's global ID.
    pub async fn id(&self) -> ID {
        global_id(NodeKind::Application, self.0.id)
    }
    /// Who applied.
    async fn candidate(&self, ctx: &Context<'_>) -> Result<Candidate> {
        let rc = RequestContext::of(ctx)?;
        Ok(required(
            rc.load(ById::<candidate::Entity>::new(self.0.candidate_id))
                .await?,
        )
        .map(Candidate)?)
    }
    /// What they applied to.
    async fn posting(&self, ctx: &Context<'_>) -> Result<Posting> {
        let rc = RequestContext::of(ctx)?;
        Ok(required(
            rc.load(ById::<posting::Entity>::new(self.0.posting_id))
                .await?,
        )
        .map(Posting)?)
    }
    /// The stage of the interview plan the application is at.
    async fn current_stage(&self, ctx: &Context<'_>) -> Result<InterviewStage> {
        let rc = RequestContext::of(ctx)?;
        let stage = rc
            .load(ById::<interview_stage::Entity>::new(
                self.0.current_stage_id,
            ))
            .await?;
        Ok(required(stage).map(InterviewStage)?)
    }
    /// Active, rejected, withdrawn or hired.
    async fn status(&self) -> ApplicationStatus {
        self.0.status.into()
    }
    /// Why it was rejected; null unless rejected.
    async fn rejection_reason(&self) -> Option<RejectionReason> {
        self.0.rejection_reason.map(Into::into)
    }
    /// More about the rejection.
    async fn rejection_note(&self) -> Option<&str> {
        self.0.rejection_note.as_deref()
    }
    /// The team the candidate is heading to, once decided.
    async fn team(&self, ctx: &Context<'_>) -> Result<Option<Team>> {
        let rc = RequestContext::of(ctx)?;
        match self.0.team_id {
            Some(id) => Ok(rc.load(ById::<team::Entity>::new(id)).await?.map(Team)),
            None => Ok(None),
        }
    }
    /// Increases with every change. Send it back when you change the
    /// application, so a change based on an old state is refused.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// When the candidate applied.
    async fn applied_at(&self) -> DateTime {
        self.0.applied_at.into()
    }
    /// When the application last changed.
    async fn updated_at(&self) -> DateTime {
        self.0.updated_at.into()
    }
    /// The scorecards of the application's interviews. An interviewer sees
    /// them only after submitting their own (null, with an error saying so,
    /// until then).
    async fn scorecards(&self, ctx: &Context<'_>) -> Result<Option<Vec<Scorecard>>> {
        let rc = RequestContext::of(ctx)?;
        let cards = scorecard::of_application(rc, &self.0).await?;
        Ok(Some(
            cards
                .into_iter()
                .filter(|c| c.submitted_at.is_some())
                .map(Scorecard)
                .collect(),
        ))
    }
    /// What the scorecards add up to: how many, the spread of
    /// recommendations, the average per skill. Same rule as `scorecards`.
    async fn scorecard_summary(&self, ctx: &Context<'_>) -> Result<Option<ScorecardSummary>> {
        let rc = RequestContext::of(ctx)?;
        let cards = scorecard::of_application(rc, &self.0).await?;
        Ok(Some(scorecard::summary(rc, &cards).await?))
    }
    /// When the candidate was shown the pay range, how, and which range,
    /// oldest first: the posting showed it when they applied, or someone on
    /// the hiring team gave it and recorded it.
    async fn pay_range_disclosures(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Vec<super::transparency::PayRangeDisclosure>> {
        let rc = RequestContext::of(ctx)?;
        Ok(rc
            .load(ChildrenOf::<entity::pay_range_disclosure::Entity>::new(
                self.0.id,
            ))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(super::transparency::PayRangeDisclosure)
            .collect())
    }
    /// The applicant's answers to the posting's questions.
    async fn answers(&self, ctx: &Context<'_>) -> Result<Vec<Answer>> {
        let rc = RequestContext::of(ctx)?;
        let rows = rc
            .load(ChildrenOf::<application_answer::Entity>::new(self.0.id))
            .await?
            .unwrap_or_default();
        let mut questions = rc
            .load_many(
                rows.iter()
                    .map(|a| ById::<posting_question::Entity>::new(a.question_id)),
            )
            .await?;
        let mut answers: Vec<Answer> = rows
            .into_iter()
            .filter_map(|a| {
                questions.remove(&ById::new(a.question_id)).map(|q| Answer {
                    question: PostingQuestion(q),
                    answer: a.answer,
                })
            })
            .collect();
        answers.sort_by_key(|a| a.question.0.position);
        Ok(answers)
    }
    /// When the application entered its current stage (from its history).
    async fn entered_current_stage_at(&self, ctx: &Context<'_>) -> Result<DateTime> {
        Ok(self.entered_current_stage(ctx).await?.into())
    }
    /// How long the application has been at its current stage (from its history).
    async fn time_in_current_stage(&self, ctx: &Context<'_>) -> Result<Duration> {
        let entered = self.entered_current_stage(ctx).await?;
        Ok(Duration::from_seconds((Utc::now() - entered).num_seconds()))
    }
    /// Every stage and status change, oldest first: who moved it, when, and why.
    async fn history(&self, ctx: &Context<'_>) -> Result<Vec<StageTransition>> {
        let rc = RequestContext::of(ctx)?;
        let rows = rc
            .load(ChildrenOf::<stage_transition::Entity>::new(self.0.id))
            .await?;
        Ok(rows
            .unwrap_or_default()
            .into_iter()
            .map(StageTransition)
            .collect())
    }
    /// The application's interviews and assignments.
    async fn interviews(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Return the first n interviews (1 to 100).")] first: Option<i32>,
        #[graphql(desc = "Return interviews after this cursor.")] after: Option<String>,
        #[graphql(desc = "Return the last n interviews (1 to 100).")] last: Option<i32>,
        #[graphql(desc = "Return interviews before this cursor.")] before: Option<String>,
        #[graphql(default, desc = "Which interviews.")] filter: InterviewFilter,
        #[graphql(default, desc = "How to sort the interviews.")] order_by: InterviewOrder,
    ) -> Result<Connection<Interview>> {
        let rc = RequestContext::of(ctx)?;
        let args = PageArgs {
            first,
            after,
            last,
            before,
        };
        let list = InterviewList::new(rc.scope(), &filter, order_by, args)?;
        Ok(nested(rc, self.0.id, list, Interview).await?)
    }
    /// The offer made on the application: its latest version. Null when no
    /// offer was made, and for viewers who may not read compensation (with a
    /// FORBIDDEN error).
    async fn offer(&self, ctx: &Context<'_>) -> Result<Option<super::offer::Offer>> {
        Ok(self
            .offer_versions(ctx)
            .await?
            .and_then(|versions| versions.into_iter().next()))
    }
    /// Every version of the offer made on the application, newest first:
    /// the current one and those it superseded, or that were declined or
    /// withdrawn. Null, with a FORBIDDEN error, for viewers who may not read
    /// compensation.
    async fn offer_versions(&self, ctx: &Context<'_>) -> Result<Option<Vec<super::offer::Offer>>> {
        let rc = RequestContext::of(ctx)?;
        authorize(&rc.viewer, Action::ReadCompensation)?;
        super::offer::may_read(rc, &self.0).await?;
        let versions = rc
            .load(ChildrenOf::<entity::offer::Entity>::new(self.0.id))
            .await?
            .unwrap_or_default();
        Ok(Some(
            versions
                .into_iter()
                .rev()
                .map(super::offer::Offer)
                .collect(),
        ))
    }
}

/// An applicant's answer to one of the posting's questions.
#[derive(async_graphql::SimpleObject)]
pub struct Answer {
    /// The question.
    pub question: PostingQuestion,
    /// The answer, as written.
    pub answer: String,
}

/// One change of an application's stage or status.
#[derive(Clone)]
pub struct StageTransition(pub stage_transition::Model);

/// An entry of an application's history.
#[Object]
impl StageTransition {
    /// The stage it left; null for the first entry (applying).
    #[graphql(name = "fromStage")]
    async fn stage_left(&self, ctx: &Context<'_>) -> Result<Option<InterviewStage>> {
        let rc = RequestContext::of(ctx)?;
        match self.0.from_stage_id {
            Some(id) => Ok(rc
                .load(ById::<interview_stage::Entity>::new(id))
                .await?
                .map(InterviewStage)),
            None => Ok(None),
        }
    }
    /// The stage it reached.
    async fn to_stage(&self, ctx: &Context<'_>) -> Result<InterviewStage> {
        let rc = RequestContext::of(ctx)?;
        let stage = rc
            .load(ById::<interview_stage::Entity>::new(self.0.to_stage_id))
            .await?;
        Ok(required(stage).map(InterviewStage)?)
    }
    /// The status before; null for the first entry.
    #[graphql(name = "fromStatus")]
    async fn status_before(&self) -> Option<ApplicationStatus> {
        self.0.from_status.map(Into::into)
    }
    /// The status after.
    async fn to_status(&self) -> ApplicationStatus {
        self.0.to_status.into()
    }
    /// Who made the change; null when the candidate did (by applying).
    async fn actor(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        let rc = RequestContext::of(ctx)?;
        match self.0.actor_id {
            Some(id) => Ok(rc.load(ById::<user::Entity>::new(id)).await?.map(User)),
            None => Ok(None),
        }
    }
    /// Why, when a reason was given.
    async fn reason(&self) -> Option<&str> {
        self.0.reason.as_deref()
    }
    /// When it happened.
    async fn occurred_at(&self) -> DateTime {
        self.0.occurred_at.into()
    }
}

/// Which applications to list.
#[derive(InputObject, Default, Clone)]
pub struct ApplicationFilter {
    /// Only applications to this posting.
    pub posting_id: Option<ID>,
    /// Only applications of this candidate.
    pub candidate_id: Option<ID>,
    /// Only applications at this stage.
    pub stage_id: Option<ID>,
    /// Only applications at a stage of one of these kinds.
    pub stage_kinds: Option<Vec<StageKind>>,
    /// Only applications with one of these statuses.
    pub statuses: Option<Vec<ApplicationStatus>>,
    /// Only applications heading to this team.
    pub team_id: Option<ID>,
    /// True: only active applications whose open assignment at their current
    /// stage is past its due date. False: only the others.
    pub overdue: Option<bool>,
}

/// A filter with its IDs decoded, comparable so loaders can batch by it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct ApplicationCriteria {
    posting_id: Option<i64>,
    candidate_id: Option<i64>,
    stage_id: Option<i64>,
    stage_kinds: Option<Vec<DbKind>>,
    statuses: Option<Vec<DbStatus>>,
    team_id: Option<i64>,
    overdue: Option<bool>,
}

impl ApplicationCriteria {
    /// Decodes `filter`; malformed IDs are BAD_USER_INPUT.
    pub fn new(filter: &ApplicationFilter) -> ApiResult<Self> {
        let decode = |id: &Option<ID>, kind| id.as_ref().map(|id| expect_id(id, kind)).transpose();
        Ok(ApplicationCriteria {
            posting_id: decode(&filter.posting_id, NodeKind::Posting)?,
            candidate_id: decode(&filter.candidate_id, NodeKind::Candidate)?,
            stage_id: decode(&filter.stage_id, NodeKind::InterviewStage)?,
            stage_kinds: filter
                .stage_kinds
                .as_ref()
                .map(|k| k.iter().map(|k| (*k).into()).collect()),
            statuses: filter
                .statuses
                .as_ref()
                .map(|s| s.iter().map(|s| (*s).into()).collect()),
            team_id: decode(&filter.team_id, NodeKind::Team)?,
            overdue: filter.overdue,
        })
    }

    /// The applications matching these criteria.
    pub fn select(&self) -> Select<application::Entity> {
        use application::Column;
        let mut select = application::Entity::find();
        if let Some(id) = self.posting_id {
            select = select.filter(Column::PostingId.eq(id));
        }
        if let Some(id) = self.candidate_id {
            select = select.filter(Column::CandidateId.eq(id));
        }
        if let Some(id) = self.stage_id {
            select = select.filter(Column::CurrentStageId.eq(id));
        }
        if let Some(kinds) = &self.stage_kinds {
            let stages = SqlQuery::select()
                .column(interview_stage::Column::Id)
                .from(interview_stage::Entity)
                .and_where(interview_stage::Column::Kind.is_in(kinds.iter().copied()))
                .take();
            select = select.filter(Column::CurrentStageId.in_subquery(stages));
        }
        if let Some(statuses) = &self.statuses {
            select = select.filter(Column::Status.is_in(statuses.iter().copied()));
        }
        if let Some(id) = self.team_id {
            select = select.filter(Column::TeamId.eq(id));
        }
        if let Some(overdue) = self.overdue {
            // An open assignment at the application's current stage, past due.
            let late = SqlQuery::select()
                .expr(Expr::val(1))
                .from(interview::Entity)
                .and_where(
                    Expr::col((interview::Entity, interview::Column::ApplicationId))
                        .equals((application::Entity, Column::Id)),
                )
                .and_where(
                    Expr::col((interview::Entity, interview::Column::StageId))
                        .equals((application::Entity, Column::CurrentStageId)),
                )
                .and_where(
                    Expr::col((interview::Entity, interview::Column::Status))
                        .eq(InterviewStatus::Scheduled),
                )
                .and_where(Expr::col((interview::Entity, interview::Column::DueAt)).lt(Utc::now()))
                .take();
            let condition = Condition::all()
                .add(Column::Status.eq(DbStatus::Active))
                .add(Expr::exists(late));
            select = select.filter(if overdue { condition } else { condition.not() });
        }
        select
    }
}

order_input!(
    /// How to sort applications.
    ApplicationOrder,
    /// The fields applications can be sorted by.
    ApplicationOrderField,
    application::Entity,
    default = (AppliedAt, Desc) {
        /// By when the candidate applied.
        AppliedAt => "appliedAt", application::Column::AppliedAt, |m| SortValue::Time(m.applied_at);
        /// By when the application last changed.
        UpdatedAt => "updatedAt", application::Column::UpdatedAt, |m| SortValue::Time(m.updated_at);
    }
);

/// Whose applications a nested list holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ApplicationScope {
    /// A posting's pipeline.
    Posting,
    /// A candidate's applications.
    Candidate,
}

/// The applications listed under each posting or candidate of a query.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ApplicationList {
    scope: ApplicationScope,
    viewer: Scope,
    criteria: ApplicationCriteria,
    order: ApplicationOrder,
    page: PageRequest,
}

impl ApplicationList {
    /// A nested list in `scope`, narrowed to what `viewer` may see.
    pub fn new(
        viewer: Scope,
        scope: ApplicationScope,
        filter: &ApplicationFilter,
        order: ApplicationOrder,
        args: PageArgs,
    ) -> ApiResult<Self> {
        Ok(ApplicationList {
            scope,
            viewer,
            criteria: ApplicationCriteria::new(filter)?,
            page: args.request(&order.ordering())?,
            order,
        })
    }
}

impl NestedList for ApplicationList {
    type Entity = application::Entity;

    fn parent_column(&self) -> application::Column {
        match self.scope {
            ApplicationScope::Posting => application::Column::PostingId,
            ApplicationScope::Candidate => application::Column::CandidateId,
        }
    }
    fn parent_of(&self, row: &application::Model) -> i64 {
        match self.scope {
            ApplicationScope::Posting => row.posting_id,
            ApplicationScope::Candidate => row.candidate_id,
        }
    }
    fn select(&self) -> Select<application::Entity> {
        self.criteria.select().filter(self.viewer.applications())
    }
    fn ordering(&self) -> Ordering<application::Entity> {
        self.order.ordering()
    }
    fn page(&self) -> &PageRequest {
        &self.page
    }
}

/// Reading applications.
#[derive(Default)]
pub struct ApplicationQuery;

#[Object]
impl ApplicationQuery {
    /// Applications across postings, newest first (staff only).
    async fn applications(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Return the first n applications (1 to 100).")] first: Option<i32>,
        #[graphql(desc = "Return applications after this cursor.")] after: Option<String>,
        #[graphql(desc = "Return the last n applications (1 to 100).")] last: Option<i32>,
        #[graphql(desc = "Return applications before this cursor.")] before: Option<String>,
        #[graphql(default, desc = "Which applications.")] filter: ApplicationFilter,
        #[graphql(default, desc = "How to sort the applications.")] order_by: ApplicationOrder,
    ) -> Result<Connection<Application>> {
        let rc = RequestContext::of(ctx)?;
        authorize(&rc.viewer, Action::ReadHiringData)?;
        let select = ApplicationCriteria::new(&filter)?
            .select()
            .filter(rc.scope().applications());
        let args = PageArgs {
            first,
            after,
            last,
            before,
        };
        Ok(list(rc, select, order_by.ordering(), args, Application).await?)
    }

    /// One application (staff only); null when there is no such application.
    async fn application(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The application's global ID.")] id: ID,
    ) -> Result<Option<Application>> {
        let rc = RequestContext::of(ctx)?;
        Ok(Application::load(rc, expect_id(&id, NodeKind::Application)?).await?)
    }
}
