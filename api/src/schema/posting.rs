//! Job postings: what the careers site shows and what the hiring team works
//! from. Anonymous callers see open postings only, and only their public
//! fields; staff see every posting and its pipeline.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject};
use entity::enums::{PostingStatus as DbStatus, Role as DbRole};
use entity::{
    interview_stage, job_family, level, posting, posting_level, posting_question, posting_region,
    posting_responsibility, posting_section, posting_skill, posting_team, region, skill, team,
    user,
};
use sea_orm::sea_query::{Expr, ExprTrait, Query as SqlQuery};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::application::{
    Application, ApplicationFilter, ApplicationList, ApplicationOrder, ApplicationScope,
};
use super::compensation::{JobFamily, Level, SalaryRange, SalaryTier};
use super::connection::{Connection, PageArgs, list, nested, order_input};
use super::enums::{
    CloseReason, EmploymentType, PostingStatus, SkillRequirement, StageKind, StageMode,
    WorkplaceType,
};
use super::interview::InterviewStage;
use super::node::{NodeKind, expect_id, global_id, input_id};
use super::reference::{Region, Skill, Team};
use super::scalars::{Date, DateTime};
use super::user::User;
use super::{actor, change, payload};
use crate::auth::Viewer;
use crate::auth::permissions::{Action, authorize};
use crate::context::RequestContext;
use crate::domain::posting::{
    self as domain, PostingChanges, QuestionDraft, SectionDraft, SkillDraft, StageDraft,
};
use crate::error::{ApiError, ApiResult, Failure, UserError};
use crate::loaders::{ById, ChildrenOf};

/// A job posting.
#[derive(Clone)]
pub struct Posting(pub posting::Model);

impl Posting {
    /// Whether `viewer` may see the posting: staff see all, everyone else open ones.
    pub fn visible_to(model: &posting::Model, viewer: &Viewer) -> bool {
        viewer.is_staff() || model.status == DbStatus::Open
    }

    /// The posting with `id` if the viewer may see it.
    pub async fn load(rc: &RequestContext, id: i64) -> ApiResult<Option<Posting>> {
        let found = rc.load(ById::<posting::Entity>::new(id)).await?;
        Ok(found
            .filter(|p| Posting::visible_to(p, &rc.viewer))
            .map(Posting))
    }

    /// Loads the rows behind a link table, in link order, then the linked rows.
    async fn linked<L, E>(
        rc: &RequestContext,
        posting_id: i64,
        target: impl Fn(&L::Model) -> i64,
    ) -> ApiResult<Vec<E::Model>>
    where
        L: crate::loaders::HasParent + 'static,
        L::Model: Send + Sync + Clone,
        E: crate::db::page::Keyed + 'static,
        E::Model: Send + Sync + Clone,
    {
        let links = rc
            .load(ChildrenOf::<L>::new(posting_id))
            .await?
            .unwrap_or_default();
        let ids: Vec<i64> = links.iter().map(&target).collect();
        let mut rows = rc
            .load_many(ids.iter().map(|id| ById::<E>::new(*id)))
            .await?;
        Ok(ids
            .iter()
            .filter_map(|id| rows.remove(&ById::new(*id)))
            .collect())
    }
}

/// A job posting: the role, who may apply from where, the process, and the pay.
#[Object]
impl Posting {
    /// The posting's global ID.
    pub async fn id(&self) -> ID {
        global_id(NodeKind::Posting, self.0.id)
    }
    /// The short name in the posting's web address, e.g. `senior-backend-engineer-elixir`.
    async fn slug(&self) -> &str {
        &self.0.slug
    }
    /// The job title.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// Where the posting is in its life: draft, open, paused or closed.
    async fn status(&self) -> PostingStatus {
        self.0.status.into()
    }
    /// Full-time, part-time, contract, ...
    async fn employment_type(&self) -> EmploymentType {
        self.0.employment_type.into()
    }
    /// Remote, hybrid or on-site.
    async fn workplace_type(&self) -> WorkplaceType {
        self.0.workplace_type.into()
    }
    /// The planned start date; null when the role starts as soon as possible.
    async fn start_date(&self) -> Option<Date> {
        self.0.start_date.map(Date)
    }
    /// True when the role starts as soon as possible (no start date).
    async fn starts_as_soon_as_possible(&self) -> bool {
        self.0.start_date.is_none()
    }
    /// How many people this posting hires.
    async fn openings(&self) -> i32 {
        self.0.openings
    }
    /// The description, as titled sections of Markdown text.
    async fn description(&self, ctx: &Context<'_>) -> Result<Vec<PostingSection>> {
        let rc = RequestContext::of(ctx)?;
        let rows = rc
            .load(ChildrenOf::<posting_section::Entity>::new(self.0.id))
            .await?;
        Ok(rows
            .unwrap_or_default()
            .into_iter()
            .map(|s| PostingSection {
                heading: s.heading,
                body: s.body,
            })
            .collect())
    }
    /// The key responsibilities of the role, in order.
    async fn responsibilities(&self, ctx: &Context<'_>) -> Result<Vec<String>> {
        let rc = RequestContext::of(ctx)?;
        let rows = rc
            .load(ChildrenOf::<posting_responsibility::Entity>::new(self.0.id))
            .await?;
        Ok(rows
            .unwrap_or_default()
            .into_iter()
            .map(|r| r.description)
            .collect())
    }
    /// The skills the posting asks for: must-haves and nice-to-haves, in order.
    async fn skills(&self, ctx: &Context<'_>) -> Result<Vec<PostingSkill>> {
        let rc = RequestContext::of(ctx)?;
        let links = rc
            .load(ChildrenOf::<posting_skill::Entity>::new(self.0.id))
            .await?
            .unwrap_or_default();
        let mut skills = rc
            .load_many(links.iter().map(|l| ById::<skill::Entity>::new(l.skill_id)))
            .await?;
        Ok(links
            .iter()
            .filter_map(|link| {
                skills
                    .remove(&ById::new(link.skill_id))
                    .map(|s| PostingSkill {
                        skill: Skill(s),
                        requirement: link.requirement.into(),
                    })
            })
            .collect())
    }
    /// The regions candidates may apply from.
    async fn regions(&self, ctx: &Context<'_>) -> Result<Vec<Region>> {
        let rc = RequestContext::of(ctx)?;
        let rows = Posting::linked::<posting_region::Entity, region::Entity>(rc, self.0.id, |l| {
            l.region_id
        })
        .await?;
        Ok(rows.into_iter().map(Region).collect())
    }
    /// The teams the posting may fill; the team is decided during the process.
    async fn teams(&self, ctx: &Context<'_>) -> Result<Vec<Team>> {
        let rc = RequestContext::of(ctx)?;
        let rows =
            Posting::linked::<posting_team::Entity, team::Entity>(rc, self.0.id, |l| l.team_id)
                .await?;
        Ok(rows.into_iter().map(Team).collect())
    }
    /// The steps of the hiring process, in order. Asynchronous steps (reviews,
    /// take-home exercises) have an SLA instead of a meeting length.
    async fn interview_plan(&self, ctx: &Context<'_>) -> Result<Vec<InterviewStage>> {
        let rc = RequestContext::of(ctx)?;
        let rows = rc
            .load(ChildrenOf::<interview_stage::Entity>::new(self.0.id))
            .await?;
        Ok(rows
            .unwrap_or_default()
            .into_iter()
            .map(InterviewStage)
            .collect())
    }
    /// The questions applicants answer when they apply, in order.
    async fn questions(&self, ctx: &Context<'_>) -> Result<Vec<PostingQuestion>> {
        let rc = RequestContext::of(ctx)?;
        let rows = rc
            .load(ChildrenOf::<posting_question::Entity>::new(self.0.id))
            .await?;
        Ok(rows
            .unwrap_or_default()
            .into_iter()
            .map(PostingQuestion)
            .collect())
    }
    /// The base salary range, derived from the compensation bands of the
    /// posting's levels in the geo zones its regions cover. Null when no band
    /// applies (or the bands are in several currencies).
    async fn salary_range(&self, ctx: &Context<'_>) -> Result<Option<SalaryRange>> {
        let rc = RequestContext::of(ctx)?;
        Ok(super::compensation::posting_pay(rc, &self.0)
            .await?
            .range
            .map(SalaryRange::from))
    }
    /// The base salary range in each geo zone the posting's regions cover,
    /// ordered by zone name: the range of the live bands of its levels in
    /// that zone (null for a zone no band covers).
    async fn salary_tiers(&self, ctx: &Context<'_>) -> Result<Vec<SalaryTier>> {
        Ok(super::compensation::salary_tiers(RequestContext::of(ctx)?, &self.0).await?)
    }
    /// The salary range the posting showed when it was last published,
    /// resumed or republished; null if it never was.
    async fn published_salary_range(&self) -> Option<SalaryRange> {
        super::compensation::published_salary_range(&self.0)
    }
    /// True when the posting is open or paused and `salaryRange` (from the
    /// bands today) differs from `publishedSalaryRange`, e.g. after a band
    /// changed: `republishPostingSalaryRange` brings it up to date.
    async fn salary_range_outdated(&self, ctx: &Context<'_>) -> Result<bool> {
        Ok(super::compensation::salary_range_outdated(RequestContext::of(ctx)?, &self.0).await?)
    }
    /// A general description of the benefits (health, leave, equipment),
    /// which some pay-transparency laws require on the posting.
    async fn benefits(&self) -> Option<&str> {
        self.0.benefits.as_deref()
    }
    /// Other compensation: bonuses, commissions, equity, or that there is none.
    async fn other_compensation(&self) -> Option<&str> {
        self.0.other_compensation.as_deref()
    }
    /// The last day applications are taken (Colorado requires it on the posting).
    async fn application_deadline(&self) -> Option<Date> {
        self.0.application_deadline.map(Date)
    }
    /// How the posting fares under each pay-transparency law that covers it
    /// (by where it can be filled from and the employer's headcount), in
    /// sentences a recruiter can act on (staff only).
    async fn pay_transparency(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Option<super::transparency::PayTransparencyReport>> {
        let rc = RequestContext::of(ctx)?;
        authorize(&rc.viewer, Action::ReadHiringData)?;
        Ok(Some(super::transparency::report(rc, self.0.id).await?))
    }
    /// When the posting was first published.
    async fn published_at(&self) -> Option<DateTime> {
        self.0.published_at.map(DateTime)
    }
    /// The career levels the posting may hire at (staff only).
    async fn levels(&self, ctx: &Context<'_>) -> Result<Option<Vec<Level>>> {
        let rc = RequestContext::of(ctx)?;
        authorize(&rc.viewer, Action::ReadHiringData)?;
        let rows =
            Posting::linked::<posting_level::Entity, level::Entity>(rc, self.0.id, |l| l.level_id)
                .await?;
        Ok(Some(rows.into_iter().map(Level).collect()))
    }
    /// The job family whose bands pay this role (staff only).
    async fn job_family(&self, ctx: &Context<'_>) -> Result<Option<JobFamily>> {
        let rc = RequestContext::of(ctx)?;
        authorize(&rc.viewer, Action::ReadHiringData)?;
        match self.0.job_family_id {
            Some(id) => Ok(rc
                .load(ById::<job_family::Entity>::new(id))
                .await?
                .map(JobFamily)),
            None => Ok(None),
        }
    }
    /// The hiring manager, who decides on candidates (staff only).
    async fn hiring_manager(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        staff_user(ctx, self.0.hiring_manager_id).await
    }
    /// The recruiter running the process (staff only).
    async fn recruiter(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        staff_user(ctx, self.0.recruiter_id).await
    }
    /// When the posting was closed (staff only).
    async fn closed_at(&self, ctx: &Context<'_>) -> Result<Option<DateTime>> {
        authorize(&RequestContext::of(ctx)?.viewer, Action::ReadHiringData)?;
        Ok(self.0.closed_at.map(DateTime))
    }
    /// Why the posting was closed (staff only).
    async fn close_reason(&self, ctx: &Context<'_>) -> Result<Option<CloseReason>> {
        authorize(&RequestContext::of(ctx)?.viewer, Action::ReadHiringData)?;
        Ok(self.0.close_reason.map(Into::into))
    }
    /// When the posting was created (staff only).
    async fn created_at(&self, ctx: &Context<'_>) -> Result<Option<DateTime>> {
        authorize(&RequestContext::of(ctx)?.viewer, Action::ReadHiringData)?;
        Ok(Some(self.0.created_at.into()))
    }
    /// When the posting was last changed (staff only).
    async fn updated_at(&self, ctx: &Context<'_>) -> Result<Option<DateTime>> {
        authorize(&RequestContext::of(ctx)?.viewer, Action::ReadHiringData)?;
        Ok(Some(self.0.updated_at.into()))
    }
    /// The applications to this posting: its pipeline. Staff only: anyone
    /// else gets null and an error saying why.
    async fn applications(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Return the first n applications (1 to 100).")] first: Option<i32>,
        #[graphql(desc = "Return applications after this cursor.")] after: Option<String>,
        #[graphql(desc = "Return the last n applications (1 to 100).")] last: Option<i32>,
        #[graphql(desc = "Return applications before this cursor.")] before: Option<String>,
        #[graphql(default, desc = "Which applications.")] filter: ApplicationFilter,
        #[graphql(default, desc = "How to sort the applications.")] order_by: ApplicationOrder,
    ) -> Result<Option<Connection<Application>>> {
        let rc = RequestContext::of(ctx)?;
        authorize(&rc.viewer, Action::ReadHiringData)?;
        let args = PageArgs {
            first,
            after,
            last,
            before,
        };
        let list = ApplicationList::new(
            rc.scope(),
            ApplicationScope::Posting,
            &filter,
            order_by,
            args,
        )?;
        Ok(Some(nested(rc, self.0.id, list, Application).await?))
    }
    /// The hiring funnel: applications per stage now, how many reached each
    /// stage and went further, time spent in stages, time to hire, rejections
    /// by reason and applications by source, from the full history of every
    /// application. Admins, recruiters and the posting's hiring manager only:
    /// anyone else gets null and an error saying why.
    async fn funnel(&self, ctx: &Context<'_>) -> Result<Option<super::funnel::PostingFunnel>> {
        let rc = RequestContext::of(ctx)?;
        authorize(&rc.viewer, Action::RunPipeline(&self.0))?;
        Ok(rc
            .load(crate::loaders::FunnelOf(self.0.id))
            .await?
            .map(super::funnel::PostingFunnel))
    }
}

async fn staff_user(ctx: &Context<'_>, id: Option<i64>) -> Result<Option<User>> {
    let rc = RequestContext::of(ctx)?;
    authorize(&rc.viewer, Action::ReadHiringData)?;
    match id {
        Some(id) => Ok(rc.load(ById::<user::Entity>::new(id)).await?.map(User)),
        None => Ok(None),
    }
}

/// A question a posting asks applicants.
#[derive(Clone)]
pub struct PostingQuestion(pub posting_question::Model);

impl PostingQuestion {
    /// The question with `id`, visible when its posting is.
    pub async fn load(rc: &RequestContext, id: i64) -> ApiResult<Option<PostingQuestion>> {
        let Some(question) = rc.load(ById::<posting_question::Entity>::new(id)).await? else {
            return Ok(None);
        };
        let visible = Posting::load(rc, question.posting_id).await?.is_some();
        Ok(visible.then_some(PostingQuestion(question)))
    }
}

/// A question applicants answer when they apply.
#[Object]
impl PostingQuestion {
    /// The question's global ID; answers name it.
    pub async fn id(&self) -> ID {
        global_id(NodeKind::PostingQuestion, self.0.id)
    }
    /// The question.
    async fn prompt(&self) -> &str {
        &self.0.prompt
    }
    /// True when applicants must answer it.
    async fn required(&self) -> bool {
        self.0.required
    }
    /// Its place among the posting's questions, from 1.
    async fn position(&self) -> i32 {
        self.0.position
    }
}

/// A titled section of a posting's description.
#[derive(SimpleObject, Clone)]
pub struct PostingSection {
    /// The section's title, e.g. "What this job can offer you".
    pub heading: String,
    /// The section's text, in Markdown.
    pub body: String,
}

/// A skill a posting asks for, and whether it is required.
#[derive(SimpleObject, Clone)]
pub struct PostingSkill {
    /// The skill.
    pub skill: Skill,
    /// Must-have or nice-to-have.
    pub requirement: SkillRequirement,
}

/// Which postings to list.
#[derive(InputObject, Default)]
pub struct PostingFilter {
    /// Only postings with one of these statuses (anonymous callers always get open ones only).
    pub statuses: Option<Vec<PostingStatus>>,
    /// Only postings open to this team.
    pub team_id: Option<ID>,
    /// Only postings open in this region.
    pub region_id: Option<ID>,
    /// Only postings that ask for this skill.
    pub skill_id: Option<ID>,
    /// Only postings whose title contains this text (any case).
    pub search: Option<String>,
    /// Only open or paused postings whose salary range changed since it was
    /// published (true), or only the others (false).
    pub salary_range_outdated: Option<bool>,
}

order_input!(
    /// How to sort postings.
    PostingOrder,
    /// The fields postings can be sorted by.
    PostingOrderField,
    posting::Entity,
    default = (CreatedAt, Desc) {
        /// By when the posting was created.
        CreatedAt => "createdAt", posting::Column::CreatedAt, |m| SortValue::Time(m.created_at);
        /// By when the posting was last changed.
        UpdatedAt => "updatedAt", posting::Column::UpdatedAt, |m| SortValue::Time(m.updated_at);
        /// Alphabetically by title.
        Title => "title", posting::Column::Title, |m| SortValue::Text(m.title.clone());
    }
);

/// `id IN (SELECT posting_id FROM link WHERE column = value)`.
fn linked_to<E: EntityTrait>(
    posting_column: E::Column,
    column: E::Column,
    value: i64,
) -> sea_orm::Condition {
    let inner = SqlQuery::select()
        .column(posting_column)
        .from(E::default())
        .and_where(Expr::col(column).eq(value))
        .take();
    sea_orm::Condition::all().add(posting::Column::Id.in_subquery(inner))
}

/// Escapes `%`, `_` and `\` so text matches literally inside `LIKE`.
pub fn like_pattern(text: &str) -> String {
    let escaped = text
        .trim()
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// Reading postings.
#[derive(Default)]
pub struct PostingQuery;

#[Object]
impl PostingQuery {
    /// Job postings, newest first. Anonymous callers get open postings only.
    async fn postings(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Return the first n postings (1 to 100).")] first: Option<i32>,
        #[graphql(desc = "Return postings after this cursor.")] after: Option<String>,
        #[graphql(desc = "Return the last n postings (1 to 100).")] last: Option<i32>,
        #[graphql(desc = "Return postings before this cursor.")] before: Option<String>,
        #[graphql(default, desc = "Which postings.")] filter: PostingFilter,
        #[graphql(default, desc = "How to sort the postings.")] order_by: PostingOrder,
    ) -> Result<Connection<Posting>> {
        let rc = RequestContext::of(ctx)?;
        let mut select = posting::Entity::find();
        if !rc.viewer.is_staff() {
            select = select.filter(posting::Column::Status.eq(DbStatus::Open));
        }
        if let Some(statuses) = filter.statuses {
            select = select
                .filter(posting::Column::Status.is_in(statuses.into_iter().map(DbStatus::from)));
        }
        if let Some(id) = &filter.team_id {
            let team = expect_id(id, NodeKind::Team)?;
            select = select.filter(linked_to::<posting_team::Entity>(
                posting_team::Column::PostingId,
                posting_team::Column::TeamId,
                team,
            ));
        }
        if let Some(id) = &filter.region_id {
            let region = expect_id(id, NodeKind::Region)?;
            select = select.filter(linked_to::<posting_region::Entity>(
                posting_region::Column::PostingId,
                posting_region::Column::RegionId,
                region,
            ));
        }
        if let Some(id) = &filter.skill_id {
            let skill = expect_id(id, NodeKind::Skill)?;
            select = select.filter(linked_to::<posting_skill::Entity>(
                posting_skill::Column::PostingId,
                posting_skill::Column::SkillId,
                skill,
            ));
        }
        if let Some(text) = filter.search.as_deref().filter(|t| !t.trim().is_empty()) {
            select = select.filter(
                Expr::expr(sea_orm::sea_query::Func::lower(Expr::col(
                    posting::Column::Title,
                )))
                .like(sea_orm::sea_query::LikeExpr::new(like_pattern(text)).escape('\\')),
            );
        }
        if let Some(outdated) = filter.salary_range_outdated {
            let today = chrono::Utc::now().date_naive();
            let ids = crate::domain::compensation::outdated_posting_ids(&rc.db, today)
                .await
                .map_err(ApiError::from)?;
            select = select.filter(if outdated {
                posting::Column::Id.is_in(ids)
            } else {
                posting::Column::Id.is_not_in(ids)
            });
        }
        let args = PageArgs {
            first,
            after,
            last,
            before,
        };
        Ok(list(rc, select, order_by.ordering(), args, Posting).await?)
    }

    /// One posting, by ID or by slug (the careers site's address). Null when
    /// there is no such posting, or it is not open and you are not staff.
    async fn posting(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The posting's global ID.")] id: Option<ID>,
        #[graphql(desc = "The posting's slug, e.g. `senior-backend-engineer-elixir`.")]
        slug: Option<String>,
    ) -> Result<Option<Posting>> {
        let rc = RequestContext::of(ctx)?;
        match (id, slug) {
            (Some(id), None) => Ok(Posting::load(rc, expect_id(&id, NodeKind::Posting)?).await?),
            (None, Some(slug)) => {
                let found = posting::Entity::find()
                    .filter(posting::Column::Slug.eq(slug.trim()))
                    .one(&rc.db)
                    .await
                    .map_err(ApiError::from)?;
                Ok(found
                    .filter(|p| Posting::visible_to(p, &rc.viewer))
                    .map(Posting))
            }
            _ => Err(ApiError::bad_input("pass exactly one of `id` and `slug`").into()),
        }
    }
}

/// A titled section of a posting's description.
#[derive(InputObject, Clone)]
pub struct PostingSectionInput {
    /// The section's title.
    pub heading: String,
    /// The section's text, in Markdown.
    pub body: String,
}

/// A skill to ask for.
#[derive(InputObject, Clone)]
pub struct PostingSkillInput {
    /// The skill.
    pub skill_id: ID,
    /// Must-have or nice-to-have.
    pub requirement: SkillRequirement,
}

/// A stage of the interview plan.
#[derive(InputObject, Clone)]
pub struct InterviewStageInput {
    /// An existing stage to keep (with its applications); leave out for a new stage.
    pub id: Option<ID>,
    /// The stage's name, e.g. "Code exercise".
    pub name: String,
    /// What happens at the stage.
    pub kind: StageKind,
    /// A meeting (SYNC) or work on one's own time (ASYNC).
    pub mode: StageMode,
    /// For meetings: how long, in minutes (5 to 480).
    pub duration_minutes: Option<i32>,
    /// The posting's skills this stage assesses (interviewers rate them);
    /// leave empty to assess all of them.
    #[graphql(default)]
    pub assessed_skill_ids: Vec<ID>,
    /// The most hours the stage should take (for ASYNC: the time allowed).
    pub sla_hours: Option<i32>,
}

/// A question applicants answer when they apply.
#[derive(InputObject, Clone)]
pub struct PostingQuestionInput {
    /// An existing question to keep (with its answers); leave out for a new one.
    pub id: Option<ID>,
    /// The question, e.g. "Why do you want to work with Elixir?".
    pub prompt: String,
    /// Applicants must answer it.
    #[graphql(default)]
    pub required: bool,
}

/// A new posting. It starts as a draft.
#[derive(InputObject)]
pub struct CreatePostingInput {
    /// The job title.
    pub title: String,
    /// The short name for its web address; made from the title when left out.
    pub slug: Option<String>,
    /// The job family whose bands pay the role.
    pub job_family_id: Option<ID>,
    /// The kind of contract.
    #[graphql(default_with = "EmploymentType::FullTime")]
    pub employment_type: EmploymentType,
    /// Where the work is done.
    #[graphql(default_with = "WorkplaceType::Remote")]
    pub workplace_type: WorkplaceType,
    /// The planned start; leave out for "as soon as possible".
    pub start_date: Option<Date>,
    /// How many people to hire.
    #[graphql(default = 1)]
    pub openings: i32,
    /// The hiring manager; a hiring manager creating a posting is its hiring manager by default.
    pub hiring_manager_id: Option<ID>,
    /// The recruiter.
    pub recruiter_id: Option<ID>,
    /// The description, as titled sections.
    #[graphql(default)]
    pub description: Vec<PostingSectionInput>,
    /// The key responsibilities, in order.
    #[graphql(default)]
    pub responsibilities: Vec<String>,
    /// The skills asked for, in order.
    #[graphql(default)]
    pub skills: Vec<PostingSkillInput>,
    /// The regions candidates may apply from.
    #[graphql(default)]
    pub region_ids: Vec<ID>,
    /// The teams the posting may fill.
    #[graphql(default)]
    pub team_ids: Vec<ID>,
    /// The levels it may hire at.
    #[graphql(default)]
    pub level_ids: Vec<ID>,
    /// The stages of the hiring process, in order.
    #[graphql(default)]
    pub interview_plan: Vec<InterviewStageInput>,
    /// Questions applicants answer, in order. Questions asking for pay
    /// history are refused where a law covering the posting bans them.
    #[graphql(default)]
    pub questions: Vec<PostingQuestionInput>,
    /// A general description of the benefits (up to 2000 characters).
    pub benefits: Option<String>,
    /// Other compensation: bonuses, commissions, equity, or that there is
    /// none (up to 2000 characters).
    pub other_compensation: Option<String>,
    /// The last day applications are taken; today or later.
    pub application_deadline: Option<Date>,
}

/// Changes to a posting. Fields left out stay as they are; a list given
/// replaces the whole list.
#[derive(InputObject)]
pub struct UpdatePostingInput {
    /// The posting to change.
    pub id: ID,
    /// A new title.
    pub title: Option<String>,
    /// A new slug; unique.
    pub slug: Option<String>,
    /// A new job family; null removes it.
    pub job_family_id: MaybeUndefined<ID>,
    /// A new kind of contract.
    pub employment_type: Option<EmploymentType>,
    /// A new workplace type.
    pub workplace_type: Option<WorkplaceType>,
    /// A new start date; null means "as soon as possible".
    pub start_date: MaybeUndefined<Date>,
    /// A new number of openings.
    pub openings: Option<i32>,
    /// A new hiring manager; null removes them.
    pub hiring_manager_id: MaybeUndefined<ID>,
    /// A new recruiter; null removes them.
    pub recruiter_id: MaybeUndefined<ID>,
    /// The complete new description.
    pub description: Option<Vec<PostingSectionInput>>,
    /// The complete new list of responsibilities.
    pub responsibilities: Option<Vec<String>>,
    /// The complete new list of skills.
    pub skills: Option<Vec<PostingSkillInput>>,
    /// The complete new list of regions.
    pub region_ids: Option<Vec<ID>>,
    /// The complete new list of teams.
    pub team_ids: Option<Vec<ID>>,
    /// The complete new list of levels.
    pub level_ids: Option<Vec<ID>>,
    /// The complete new interview plan; name existing stages by `id` to keep them.
    pub interview_plan: Option<Vec<InterviewStageInput>>,
    /// The complete new list of questions; name existing ones by `id` to keep them.
    pub questions: Option<Vec<PostingQuestionInput>>,
    /// A new description of the benefits; null removes it.
    pub benefits: MaybeUndefined<String>,
    /// A new description of other compensation; null removes it.
    pub other_compensation: MaybeUndefined<String>,
    /// A new application deadline (today or later); null removes it.
    pub application_deadline: MaybeUndefined<Date>,
}

payload!(
    /// The result of `createPosting`.
    CreatePostingPayload {
        /// The new draft posting.
        posting: Posting
    }
);
payload!(
    /// The result of `updatePosting`.
    UpdatePostingPayload {
        /// The changed posting.
        posting: Posting
    }
);

/// Decodes the IDs of a posting input, collecting every malformed one.
struct Ids(Vec<UserError>);

impl Ids {
    fn one(&mut self, id: &ID, kind: NodeKind, field: &str) -> i64 {
        input_id(id, kind, &[field]).unwrap_or_else(|err| {
            self.0.push(err);
            0
        })
    }

    fn list(&mut self, ids: &[ID], kind: NodeKind, field: &str) -> Vec<i64> {
        ids.iter()
            .enumerate()
            .map(|(i, id)| {
                input_id(id, kind, &[field, &i.to_string()]).unwrap_or_else(|err| {
                    self.0.push(err);
                    0
                })
            })
            .collect()
    }

    fn skills(&mut self, skills: &[PostingSkillInput]) -> Vec<SkillDraft> {
        skills
            .iter()
            .enumerate()
            .map(|(i, s)| SkillDraft {
                skill_id: input_id(
                    &s.skill_id,
                    NodeKind::Skill,
                    &["skills", &i.to_string(), "skillId"],
                )
                .unwrap_or_else(|err| {
                    self.0.push(err);
                    0
                }),
                requirement: s.requirement.into(),
            })
            .collect()
    }

    fn plan(&mut self, stages: &[InterviewStageInput]) -> Vec<StageDraft> {
        stages
            .iter()
            .enumerate()
            .map(|(i, s)| StageDraft {
                id: s.id.as_ref().map(|id| {
                    input_id(
                        id,
                        NodeKind::InterviewStage,
                        &["interviewPlan", &i.to_string(), "id"],
                    )
                    .unwrap_or_else(|err| {
                        self.0.push(err);
                        0
                    })
                }),
                name: s.name.clone(),
                kind: s.kind.into(),
                mode: s.mode.into(),
                duration_minutes: s.duration_minutes,
                sla_hours: s.sla_hours,
                assessed_skill_ids: s
                    .assessed_skill_ids
                    .iter()
                    .enumerate()
                    .map(|(j, id)| {
                        input_id(
                            id,
                            NodeKind::Skill,
                            &[
                                "interviewPlan",
                                &i.to_string(),
                                "assessedSkillIds",
                                &j.to_string(),
                            ],
                        )
                        .unwrap_or_else(|err| {
                            self.0.push(err);
                            0
                        })
                    })
                    .collect(),
            })
            .collect()
    }

    fn questions(&mut self, questions: &[PostingQuestionInput]) -> Vec<QuestionDraft> {
        questions
            .iter()
            .enumerate()
            .map(|(i, q)| QuestionDraft {
                id: q.id.as_ref().map(|id| {
                    input_id(
                        id,
                        NodeKind::PostingQuestion,
                        &["questions", &i.to_string(), "id"],
                    )
                    .unwrap_or_else(|err| {
                        self.0.push(err);
                        0
                    })
                }),
                prompt: q.prompt.clone(),
                required: q.required,
            })
            .collect()
    }

    fn finish<T>(self, value: T) -> Result<T, Failure> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(Failure::Rejected(self.0))
        }
    }
}

fn sections(sections: Vec<PostingSectionInput>) -> Vec<SectionDraft> {
    sections
        .into_iter()
        .map(|s| SectionDraft {
            heading: s.heading,
            body: s.body,
        })
        .collect()
}

/// Writing postings.
#[derive(Default)]
pub struct PostingMutation;

#[Object]
impl PostingMutation {
    /// Creates a draft posting (admins, recruiters, hiring managers).
    async fn create_posting(
        &self,
        ctx: &Context<'_>,
        input: CreatePostingInput,
    ) -> Result<CreatePostingPayload> {
        let rc = RequestContext::of(ctx)?;
        let staff = authorize(&rc.viewer, Action::CreatePosting)?;
        let mut ids = Ids(Vec::new());
        let hiring_manager = match &input.hiring_manager_id {
            Some(id) => Some(ids.one(id, NodeKind::User, "hiringManagerId")),
            None if staff.role == DbRole::HiringManager => Some(staff.id()),
            None => None,
        };
        let changes = PostingChanges {
            title: Some(input.title),
            slug: input.slug,
            job_family_id: Some(
                input
                    .job_family_id
                    .as_ref()
                    .map(|id| ids.one(id, NodeKind::JobFamily, "jobFamilyId")),
            ),
            employment_type: Some(input.employment_type.into()),
            workplace_type: Some(input.workplace_type.into()),
            start_date: Some(input.start_date.map(|d| d.0)),
            openings: Some(input.openings),
            hiring_manager_id: Some(hiring_manager),
            recruiter_id: Some(
                input
                    .recruiter_id
                    .as_ref()
                    .map(|id| ids.one(id, NodeKind::User, "recruiterId")),
            ),
            description: Some(sections(input.description)),
            responsibilities: Some(input.responsibilities),
            skills: Some(ids.skills(&input.skills)),
            region_ids: Some(ids.list(&input.region_ids, NodeKind::Region, "regionIds")),
            team_ids: Some(ids.list(&input.team_ids, NodeKind::Team, "teamIds")),
            level_ids: Some(ids.list(&input.level_ids, NodeKind::Level, "levelIds")),
            interview_plan: Some(ids.plan(&input.interview_plan)),
            questions: Some(ids.questions(&input.questions)),
            benefits: Some(input.benefits),
            other_compensation: Some(input.other_compensation),
            application_deadline: Some(input.application_deadline.map(|d| d.0)),
        };
        let outcome = match ids.finish(changes) {
            Ok(changes) => {
                domain::save_posting(&rc.db, &actor(rc), None, changes, rc.employer_headcount).await
            }
            Err(failure) => Err(failure),
        };
        CreatePostingPayload::from_outcome(outcome, Posting)
    }

    /// Changes a posting (admins and recruiters; hiring managers their own postings).
    async fn update_posting(
        &self,
        ctx: &Context<'_>,
        input: UpdatePostingInput,
    ) -> Result<UpdatePostingPayload> {
        let rc = RequestContext::of(ctx)?;
        rc.viewer.staff()?;
        let id = match input_id(&input.id, NodeKind::Posting, &["id"]) {
            Ok(id) => id,
            Err(err) => return UpdatePostingPayload::from_outcome(Err(err.into()), Posting),
        };
        let Some(existing) = posting::Entity::find_by_id(id)
            .one(&rc.db)
            .await
            .map_err(ApiError::from)?
        else {
            return UpdatePostingPayload::from_outcome(
                Err(crate::domain::write::missing("posting")),
                Posting,
            );
        };
        authorize(&rc.viewer, Action::EditPosting(&existing))?;
        let mut ids = Ids(Vec::new());
        let changes = PostingChanges {
            title: input.title,
            slug: input.slug,
            job_family_id: change(input.job_family_id, |id| {
                ids.one(&id, NodeKind::JobFamily, "jobFamilyId")
            }),
            employment_type: input.employment_type.map(Into::into),
            workplace_type: input.workplace_type.map(Into::into),
            start_date: change(input.start_date, |d| d.0),
            openings: input.openings,
            hiring_manager_id: change(input.hiring_manager_id, |id| {
                ids.one(&id, NodeKind::User, "hiringManagerId")
            }),
            recruiter_id: change(input.recruiter_id, |id| {
                ids.one(&id, NodeKind::User, "recruiterId")
            }),
            description: input.description.map(sections),
            responsibilities: input.responsibilities,
            skills: input.skills.map(|s| ids.skills(&s)),
            region_ids: input
                .region_ids
                .map(|l| ids.list(&l, NodeKind::Region, "regionIds")),
            team_ids: input
                .team_ids
                .map(|l| ids.list(&l, NodeKind::Team, "teamIds")),
            level_ids: input
                .level_ids
                .map(|l| ids.list(&l, NodeKind::Level, "levelIds")),
            interview_plan: input.interview_plan.map(|p| ids.plan(&p)),
            questions: input.questions.map(|q| ids.questions(&q)),
            benefits: change(input.benefits, |t| t),
            other_compensation: change(input.other_compensation, |t| t),
            application_deadline: change(input.application_deadline, |d| d.0),
        };
        let outcome = match ids.finish(changes) {
            Ok(changes) => {
                domain::save_posting(
                    &rc.db,
                    &actor(rc),
                    Some(existing),
                    changes,
                    rc.employer_headcount,
                )
                .await
            }
            Err(failure) => Err(failure),
        };
        UpdatePostingPayload::from_outcome(outcome, Posting)
    }
}
