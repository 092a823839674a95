//! Scorecards: reading them (with the rule that an interviewer sees the
//! others' only after submitting their own) and submitting them.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use entity::{application, interview, posting, scorecard, scorecard_rating, skill, user};
use sea_orm::EntityTrait;

use super::compensation::required;
use super::enums::Recommendation;
use super::interview::Interview;
use super::node::{NodeKind, global_id, input_id};
use super::reference::Skill;
use super::scalars::DateTime;
use super::user::User;
use super::{actor, payload};
use crate::auth::permissions::{Action, authorize};
use crate::context::RequestContext;
use crate::domain::scorecards::{self, Rating};
use crate::error::{ApiError, ApiResult, Failure, UserError, UserErrorCode};
use crate::loaders::{ById, ChildrenOf, ScorecardsOf};

/// Whether the viewer may read the scorecards of `application`: its
/// posting's hiring team may; an interviewer once they submitted theirs.
pub async fn may_read(rc: &RequestContext, application: &application::Model) -> ApiResult<bool> {
    let staff = rc.viewer.staff()?;
    if !rc.sees_application(application.id).await? {
        return Ok(false);
    }
    let posting = required(
        rc.load(ById::<posting::Entity>::new(application.posting_id))
            .await?,
    )?;
    if authorize(&rc.viewer, Action::RunPipeline(&posting)).is_ok() {
        return Ok(true);
    }
    let cards = rc
        .load(ScorecardsOf(application.id))
        .await?
        .unwrap_or_default();
    Ok(cards
        .iter()
        .any(|card| card.interviewer_id == staff.id() && card.submitted_at.is_some()))
}

/// The error for an interviewer who has not submitted their scorecard yet.
pub fn submit_yours_first() -> ApiError {
    ApiError::forbidden("submit your own scorecard for this application to read the others'")
}

/// The scorecards of application `id` the viewer may read, or that error.
pub async fn of_application(
    rc: &RequestContext,
    application: &application::Model,
) -> ApiResult<Vec<scorecard::Model>> {
    if !may_read(rc, application).await? {
        return Err(submit_yours_first());
    }
    Ok(rc
        .load(ScorecardsOf(application.id))
        .await?
        .unwrap_or_default())
}

/// An interviewer's assessment of one interview.
#[derive(Clone)]
pub struct Scorecard(pub scorecard::Model);

impl Scorecard {
    /// The scorecard with `id`, when the viewer may read its application's scorecards.
    pub async fn load(rc: &RequestContext, id: i64) -> ApiResult<Option<Scorecard>> {
        rc.viewer.staff()?;
        let Some(card) = rc.load(ById::<scorecard::Entity>::new(id)).await? else {
            return Ok(None);
        };
        let Some(interview) = rc
            .load(ById::<interview::Entity>::new(card.interview_id))
            .await?
        else {
            return Ok(None);
        };
        let Some(application) = rc
            .load(ById::<application::Entity>::new(interview.application_id))
            .await?
        else {
            return Ok(None);
        };
        if !rc.sees_application(application.id).await? {
            return Ok(None);
        }
        if !may_read(rc, &application).await? {
            return Err(submit_yours_first());
        }
        Ok(Some(Scorecard(card)))
    }
}

/// An interviewer's scorecard: their recommendation, ratings and notes.
#[Object]
impl Scorecard {
    /// The scorecard's global ID.
    pub async fn id(&self) -> ID {
        global_id(NodeKind::Scorecard, self.0.id)
    }
    /// The interview it assesses.
    async fn interview(&self, ctx: &Context<'_>) -> Result<Interview> {
        let rc = RequestContext::of(ctx)?;
        Ok(Interview(required(
            rc.load(ById::<interview::Entity>::new(self.0.interview_id))
                .await?,
        )?))
    }
    /// Who wrote it.
    async fn interviewer(&self, ctx: &Context<'_>) -> Result<User> {
        let rc = RequestContext::of(ctx)?;
        Ok(User(required(
            rc.load(ById::<user::Entity>::new(self.0.interviewer_id))
                .await?,
        )?))
    }
    /// The overall recommendation.
    async fn recommendation(&self) -> Option<Recommendation> {
        self.0.recommendation.map(Into::into)
    }
    /// Ratings of the skills the stage assesses.
    async fn ratings(&self, ctx: &Context<'_>) -> Result<Vec<SkillRating>> {
        let rc = RequestContext::of(ctx)?;
        let rows = rc
            .load(ChildrenOf::<scorecard_rating::Entity>::new(self.0.id))
            .await?
            .unwrap_or_default();
        let mut skills = rc
            .load_many(rows.iter().map(|r| ById::<skill::Entity>::new(r.skill_id)))
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|r| {
                skills.remove(&ById::new(r.skill_id)).map(|s| SkillRating {
                    skill: Skill(s),
                    rating: r.rating,
                    note: r.note,
                })
            })
            .collect())
    }
    /// The interviewer's notes.
    async fn notes(&self) -> Option<&str> {
        self.0.notes.as_deref()
    }
    /// When it was submitted.
    async fn submitted_at(&self) -> Option<DateTime> {
        self.0.submitted_at.map(DateTime)
    }
}

/// A rating of one skill, from 1 (weak) to 4 (strong).
#[derive(SimpleObject)]
pub struct SkillRating {
    /// The skill.
    pub skill: Skill,
    /// 1 (weak) to 4 (strong).
    pub rating: i32,
    /// Why.
    pub note: Option<String>,
}

/// What the scorecards of an application add up to.
#[derive(SimpleObject)]
pub struct ScorecardSummary {
    /// How many scorecards were submitted.
    pub count: i32,
    /// How many gave each recommendation, from strong no to strong yes.
    pub recommendations: Vec<RecommendationCount>,
    /// The average rating of each skill rated.
    pub skills: Vec<SkillAverage>,
}

/// How many scorecards gave a recommendation.
#[derive(SimpleObject)]
pub struct RecommendationCount {
    /// The recommendation.
    pub recommendation: Recommendation,
    /// How many scorecards gave it.
    pub count: i32,
}

/// The average rating of a skill over an application's scorecards.
#[derive(SimpleObject)]
pub struct SkillAverage {
    /// The skill.
    pub skill: Skill,
    /// The average rating, 1 to 4, to two decimals.
    pub average: f64,
    /// How many scorecards rated it.
    pub ratings: i32,
}

/// Summarises `cards` (already checked readable).
pub async fn summary(
    rc: &RequestContext,
    cards: &[scorecard::Model],
) -> ApiResult<ScorecardSummary> {
    let ratings: Vec<scorecard_rating::Model> = rc
        .load_many(
            cards
                .iter()
                .map(|c| ChildrenOf::<scorecard_rating::Entity>::new(c.id)),
        )
        .await?
        .into_values()
        .flatten()
        .collect();
    let summary = scorecards::summarise(cards, &ratings);
    let mut skills = rc
        .load_many(
            summary
                .skills
                .iter()
                .map(|(id, _, _)| ById::<skill::Entity>::new(*id)),
        )
        .await?;
    let count = |n: usize| i32::try_from(n).unwrap_or(i32::MAX);
    Ok(ScorecardSummary {
        count: count(summary.count),
        recommendations: summary
            .recommendations
            .into_iter()
            .map(|(recommendation, n)| RecommendationCount {
                recommendation: recommendation.into(),
                count: count(n),
            })
            .collect(),
        skills: summary
            .skills
            .into_iter()
            .filter_map(|(id, average, n)| {
                skills.remove(&ById::new(id)).map(|s| SkillAverage {
                    skill: Skill(s),
                    average,
                    ratings: count(n),
                })
            })
            .collect(),
    })
}

/// A rating to give.
#[derive(InputObject)]
pub struct SkillRatingInput {
    /// A skill the stage assesses.
    pub skill_id: ID,
    /// 1 (weak) to 4 (strong).
    pub rating: i32,
    /// Why.
    pub note: Option<String>,
}

/// Your scorecard for an interview you took part in.
#[derive(InputObject)]
pub struct SubmitScorecardInput {
    /// The interview.
    pub interview_id: ID,
    /// Your overall recommendation.
    pub recommendation: Recommendation,
    /// Ratings of the skills the stage assesses; every must-have one is required.
    #[graphql(default)]
    pub ratings: Vec<SkillRatingInput>,
    /// Your notes.
    pub notes: Option<String>,
}

payload!(
    /// The result of `submitScorecard`.
    SubmitScorecardPayload {
        /// Your scorecard.
        scorecard: Scorecard
    }
);

/// Submitting scorecards.
#[derive(Default)]
pub struct ScorecardMutation;

#[Object]
impl ScorecardMutation {
    /// Submits your scorecard for an interview you took part in, once it has
    /// started. One per interviewer per interview.
    async fn submit_scorecard(
        &self,
        ctx: &Context<'_>,
        input: SubmitScorecardInput,
    ) -> Result<SubmitScorecardPayload> {
        let rc = RequestContext::of(ctx)?;
        let staff = rc.viewer.staff()?;
        let outcome = async {
            let id = input_id(&input.interview_id, NodeKind::Interview, &["interviewId"])?;
            let interview = interview::Entity::find_by_id(id)
                .one(&rc.db)
                .await?
                .ok_or_else(|| {
                    UserError::new(
                        &["interviewId"],
                        UserErrorCode::NotFound,
                        "no interview has this ID",
                    )
                })?;
            let mut errors = Vec::new();
            let ratings: Vec<Rating> = input
                .ratings
                .iter()
                .enumerate()
                .filter_map(|(i, r)| {
                    match input_id(
                        &r.skill_id,
                        NodeKind::Skill,
                        &["ratings", &i.to_string(), "skillId"],
                    ) {
                        Ok(skill_id) => Some(Rating {
                            skill_id,
                            rating: r.rating,
                            note: r.note.clone(),
                        }),
                        Err(err) => {
                            errors.push(err);
                            None
                        }
                    }
                })
                .collect();
            if !errors.is_empty() {
                return Err(Failure::Rejected(errors));
            }
            scorecards::submit(
                &rc.db,
                &actor(rc),
                staff.id(),
                &interview,
                input.recommendation.into(),
                ratings,
                input.notes.clone(),
            )
            .await
        };
        SubmitScorecardPayload::from_outcome(outcome.await, Scorecard)
    }
}
