//! Writing postings: the posting's own fields and everything it is made of
//! (description sections, responsibilities, skills, regions, teams, levels and
//! the interview plan), validated together and saved in one transaction.
//!
//! Lists given in a change replace the stored list. Interview stages keep
//! their identity when the change names their id, so applications sitting at
//! a stage stay there when the plan is reordered; a stage that applications,
//! interviews or history refer to cannot be removed.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use entity::enums::{
    EmploymentType, PostingStatus, SkillRequirement, StageKind, StageMode, WorkplaceType,
};
use entity::{
    application, application_answer, interview, interview_stage, interview_stage_skill, job_family,
    level, posting, posting_level, posting_question, posting_region, posting_responsibility,
    posting_section, posting_skill, posting_team, region, skill, stage_transition, team, user,
};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, PaginatorTrait, QueryFilter, Set,
};
use serde_json::json;

use super::audit::{self, Actor};
use super::validate::{Check, slugify};
use super::write::{must_exist, now, persist, taken};
use crate::db::begin_write;
use crate::db::page::Keyed;
use crate::error::{ApiError, Failure, UserError, UserErrorCode};

/// Limits that keep a posting readable (and a request bounded).
const MAX_SECTIONS: usize = 20;
const MAX_RESPONSIBILITIES: usize = 50;
const MAX_SKILLS: usize = 50;
const MAX_LINKS: usize = 50;
const MAX_STAGES: usize = 20;
const MAX_QUESTIONS: usize = 20;
const MAX_OPENINGS: i32 = 1000;
const MAX_PAY_TEXT: usize = 2000;

/// A titled section of a posting's description.
#[derive(Clone, Debug)]
pub struct SectionDraft {
    pub heading: String,
    pub body: String,
}

/// A skill a posting asks for.
#[derive(Clone, Debug)]
pub struct SkillDraft {
    pub skill_id: i64,
    pub requirement: SkillRequirement,
}

/// A stage of an interview plan; `id` keeps an existing stage.
#[derive(Clone, Debug)]
pub struct StageDraft {
    pub id: Option<i64>,
    pub name: String,
    pub kind: StageKind,
    pub mode: StageMode,
    pub duration_minutes: Option<i32>,
    pub sla_hours: Option<i32>,
    /// The posting's skills this stage assesses; none means all of them.
    pub assessed_skill_ids: Vec<i64>,
}

/// A question applicants answer; `id` keeps an existing question.
#[derive(Clone, Debug)]
pub struct QuestionDraft {
    pub id: Option<i64>,
    pub prompt: String,
    pub required: bool,
}

/// New values for a posting; `None` leaves a field or list as it is.
#[derive(Clone, Debug, Default)]
pub struct PostingChanges {
    pub title: Option<String>,
    pub slug: Option<String>,
    pub job_family_id: Option<Option<i64>>,
    pub employment_type: Option<EmploymentType>,
    pub workplace_type: Option<WorkplaceType>,
    pub start_date: Option<Option<NaiveDate>>,
    pub openings: Option<i32>,
    pub hiring_manager_id: Option<Option<i64>>,
    pub recruiter_id: Option<Option<i64>>,
    pub description: Option<Vec<SectionDraft>>,
    pub responsibilities: Option<Vec<String>>,
    pub skills: Option<Vec<SkillDraft>>,
    pub region_ids: Option<Vec<i64>>,
    pub team_ids: Option<Vec<i64>>,
    pub level_ids: Option<Vec<i64>>,
    pub interview_plan: Option<Vec<StageDraft>>,
    pub questions: Option<Vec<QuestionDraft>>,
    /// A general description of the benefits; `Some(None)` clears it.
    pub benefits: Option<Option<String>>,
    /// Bonuses, commissions, equity; `Some(None)` clears it.
    pub other_compensation: Option<Option<String>>,
    /// The last day applications are taken; `Some(None)` clears it.
    pub application_deadline: Option<Option<NaiveDate>>,
}

/// Creates a draft posting (`before` absent) or changes `before`, for an
/// employer of `headcount` people (which pay-transparency laws apply).
pub async fn save_posting(
    db: &DatabaseConnection,
    actor: &Actor,
    before: Option<posting::Model>,
    changes: PostingChanges,
    headcount: u32,
) -> Result<posting::Model, Failure> {
    let creating = before.is_none();
    let now = now();
    let mut posting = before.clone().unwrap_or_else(|| posting::Model {
        id: 0,
        slug: String::new(),
        title: String::new(),
        job_family_id: None,
        status: PostingStatus::Draft,
        employment_type: EmploymentType::FullTime,
        workplace_type: WorkplaceType::Remote,
        start_date: None,
        openings: 1,
        hiring_manager_id: None,
        recruiter_id: None,
        published_at: None,
        closed_at: None,
        close_reason: None,
        benefits: None,
        other_compensation: None,
        application_deadline: None,
        created_at: now,
        updated_at: now,
        published_salary_currency: None,
        published_salary_interval: None,
        published_salary_min_minor: None,
        published_salary_max_minor: None,
        published_salary_at: None,
    });
    if posting.status == PostingStatus::Closed {
        return Err(UserError::new(
            &[],
            UserErrorCode::InvalidState,
            "a closed posting can't be changed",
        )
        .into());
    }
    let mut check = Check::new();
    apply_fields(&mut check, &mut posting, &changes, creating);
    let description = changes
        .description
        .as_deref()
        .map(|s| check_sections(&mut check, s));
    let responsibilities = changes
        .responsibilities
        .as_deref()
        .map(|r| check_responsibilities(&mut check, r));
    if let Some(skills) = &changes.skills {
        check_list_size(&mut check, "skills", skills.len(), MAX_SKILLS);
        check_unique(
            &mut check,
            "skills",
            "skillId",
            skills.iter().map(|s| s.skill_id),
        );
    }
    for (field, ids) in [
        ("regionIds", &changes.region_ids),
        ("teamIds", &changes.team_ids),
        ("levelIds", &changes.level_ids),
    ] {
        if let Some(ids) = ids {
            check_list_size(&mut check, field, ids.len(), MAX_LINKS);
            check_unique_ids(&mut check, field, ids);
        }
    }
    let questions = changes
        .questions
        .as_deref()
        .map(|q| check_questions(&mut check, q));
    let plan = changes
        .interview_plan
        .as_deref()
        .map(|stages| check_plan(&mut check, stages));
    check.finish()?;

    let txn = begin_write(db).await?;
    check_references(&txn, &posting, &changes).await?;
    if changes.region_ids.is_some() || questions.is_some() {
        check_salary_history(
            &txn,
            before.as_ref(),
            &changes,
            questions.as_deref(),
            headcount,
        )
        .await?;
    }
    let slug_given = changes.slug.is_some();
    if creating && !slug_given {
        posting.slug = free_slug(&txn, &slugify(&posting.title)).await?;
    } else if slug_given {
        super::write::must_be_free::<posting::Entity, _>(
            &txn,
            posting::Column::Slug,
            &posting.slug,
            before.as_ref().map(|p| p.id),
            &["slug"],
            "another posting has this slug",
        )
        .await?;
    }
    posting.updated_at = now;
    let saved = persist::<posting::Entity>(&txn, posting, creating)
        .await
        .map_err(|err| taken(err, &["slug"], "another posting has this slug"))?;
    let mut changed = audit::changes(before.as_ref(), &saved);
    let mut note = |name: &str, value: serde_json::Value| {
        if let serde_json::Value::Object(map) = &mut changed {
            map.insert(name.to_owned(), json!({ "after": value }));
        }
    };
    let id = saved.id;
    if let Some(sections) = description {
        replace_sections(&txn, id, &sections).await?;
        note(
            "description",
            json!(sections.iter().map(|s| &s.heading).collect::<Vec<_>>()),
        );
    }
    if let Some(items) = responsibilities {
        replace_responsibilities(&txn, id, &items).await?;
        note("responsibilities", json!(items));
    }
    if let Some(skills) = &changes.skills {
        replace_skills(&txn, id, skills).await?;
        note(
            "skills",
            json!(skills.iter().map(|s| s.skill_id).collect::<Vec<_>>()),
        );
    }
    if let Some(ids) = &changes.region_ids {
        replace_links::<posting_region::Entity, _>(
            &txn,
            id,
            ids,
            posting_region::Column::PostingId,
            |p, r| posting_region::ActiveModel {
                posting_id: Set(p),
                region_id: Set(r),
            },
        )
        .await?;
        note("regions", json!(ids));
    }
    if let Some(ids) = &changes.team_ids {
        replace_links::<posting_team::Entity, _>(
            &txn,
            id,
            ids,
            posting_team::Column::PostingId,
            |p, t| posting_team::ActiveModel {
                posting_id: Set(p),
                team_id: Set(t),
            },
        )
        .await?;
        note("teams", json!(ids));
    }
    if let Some(ids) = &changes.level_ids {
        replace_links::<posting_level::Entity, _>(
            &txn,
            id,
            ids,
            posting_level::Column::PostingId,
            |p, l| posting_level::ActiveModel {
                posting_id: Set(p),
                level_id: Set(l),
            },
        )
        .await?;
        note("levels", json!(ids));
    }
    if let Some(questions) = &questions {
        replace_questions(&txn, id, questions).await?;
        note(
            "questions",
            json!(questions.iter().map(|q| &q.prompt).collect::<Vec<_>>()),
        );
    }
    if let Some(stages) = plan {
        replace_plan(&txn, id, &stages).await?;
        note(
            "interviewPlan",
            json!(stages.iter().map(|s| &s.name).collect::<Vec<_>>()),
        );
    }
    audit::record(
        &txn,
        actor,
        &audit::action("posting", creating),
        "Posting",
        id,
        changed,
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// Applies and checks the posting's own fields.
fn apply_fields(
    check: &mut Check,
    posting: &mut posting::Model,
    changes: &PostingChanges,
    creating: bool,
) {
    if let Some(title) = check.required_text(&["title"], changes.title.as_deref(), creating, 200) {
        posting.title = title;
    }
    if let Some(slug) = &changes.slug
        && let Some(slug) = check.slug(&["slug"], slug)
    {
        posting.slug = slug;
    }
    if let Some(id) = changes.job_family_id {
        posting.job_family_id = id;
    }
    if let Some(kind) = changes.employment_type {
        posting.employment_type = kind;
    }
    if let Some(kind) = changes.workplace_type {
        posting.workplace_type = kind;
    }
    if let Some(date) = changes.start_date {
        posting.start_date = date;
    }
    if let Some(openings) = changes.openings
        && let Some(openings) = check.within(&["openings"], openings, 1, MAX_OPENINGS)
    {
        posting.openings = openings;
    }
    if let Some(id) = changes.hiring_manager_id {
        posting.hiring_manager_id = id;
    }
    if let Some(id) = changes.recruiter_id {
        posting.recruiter_id = id;
    }
    if let Some(text) = &changes.benefits
        && let Some(text) = check.optional_text(&["benefits"], text.as_deref(), MAX_PAY_TEXT)
    {
        posting.benefits = text;
    }
    if let Some(text) = &changes.other_compensation
        && let Some(text) =
            check.optional_text(&["otherCompensation"], text.as_deref(), MAX_PAY_TEXT)
    {
        posting.other_compensation = text;
    }
    if let Some(date) = changes.application_deadline {
        if date.is_some_and(|d| d < now().date_naive()) {
            check.fail(
                &["applicationDeadline"],
                UserErrorCode::InThePast,
                "the application deadline can't be in the past",
            );
        } else {
            posting.application_deadline = date;
        }
    }
}

/// A SALARY_HISTORY_QUESTION error for each question that asks for pay
/// history when a pay-transparency law covering the posting (with its
/// regions after the change) bans such questions.
async fn check_salary_history(
    db: &impl ConnectionTrait,
    before: Option<&posting::Model>,
    changes: &PostingChanges,
    questions: Option<&[QuestionDraft]>,
    headcount: u32,
) -> Result<(), Failure> {
    use super::transparency;
    let set = transparency::rules().map_err(|e| Failure::Api(ApiError::Internal(e.into())))?;
    let region_ids: Vec<i64> = match (&changes.region_ids, before) {
        (Some(ids), _) => ids.clone(),
        (None, Some(posting)) => posting_region::Entity::find()
            .filter(posting_region::Column::PostingId.eq(posting.id))
            .all(db)
            .await?
            .into_iter()
            .map(|l| l.region_id)
            .collect(),
        (None, None) => Vec::new(),
    };
    let places = transparency::places_of_regions(db, &region_ids).await?;
    let banning: Vec<String> = transparency::covering(set, &places, headcount, now().date_naive())
        .into_iter()
        .filter(|r| r.bans_salary_history_questions)
        .map(|r| r.name.clone())
        .collect();
    if banning.is_empty() {
        return Ok(());
    }
    let prompts: Vec<String> = match (questions, before) {
        (Some(questions), _) => questions.iter().map(|q| q.prompt.clone()).collect(),
        (None, Some(posting)) => posting_question::Entity::find()
            .filter(posting_question::Column::PostingId.eq(posting.id))
            .all(db)
            .await?
            .into_iter()
            .map(|q| q.prompt)
            .collect(),
        (None, None) => Vec::new(),
    };
    let errors: Vec<UserError> = prompts
        .iter()
        .enumerate()
        .filter(|(_, prompt)| transparency::asks_salary_history(set, prompt))
        .map(|(i, _)| {
            UserError::at(
                vec!["questions".into(), i.to_string(), "prompt".into()],
                UserErrorCode::SalaryHistoryQuestion,
                format!(
                    "this question asks for pay history, which {} ban{} for this posting; ask for salary expectations instead",
                    banning.join(", "),
                    if banning.len() == 1 { "s" } else { "" }
                ),
            )
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Failure::Rejected(errors))
    }
}

fn check_list_size(check: &mut Check, field: &str, len: usize, max: usize) {
    if len > max {
        check.fail(
            &[field],
            UserErrorCode::OutOfRange,
            format!("at most {max} items"),
        );
    }
}

fn check_unique(check: &mut Check, field: &str, inner: &str, ids: impl Iterator<Item = i64>) {
    let mut seen = HashSet::new();
    for (i, id) in ids.enumerate() {
        if !seen.insert(id) {
            check.fail(
                &[field, &i.to_string(), inner],
                UserErrorCode::Duplicate,
                "listed twice",
            );
        }
    }
}

fn check_unique_ids(check: &mut Check, field: &str, ids: &[i64]) {
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
}

fn check_sections(check: &mut Check, sections: &[SectionDraft]) -> Vec<SectionDraft> {
    check_list_size(check, "description", sections.len(), MAX_SECTIONS);
    sections
        .iter()
        .enumerate()
        .filter_map(|(i, section)| {
            let i = i.to_string();
            let heading = check.text(&["description", &i, "heading"], &section.heading, 200);
            let body = check.text(&["description", &i, "body"], &section.body, 20_000);
            Some(SectionDraft {
                heading: heading?,
                body: body?,
            })
        })
        .collect()
}

fn check_responsibilities(check: &mut Check, items: &[String]) -> Vec<String> {
    check_list_size(check, "responsibilities", items.len(), MAX_RESPONSIBILITIES);
    items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| check.text(&["responsibilities", &i.to_string()], item, 1000))
        .collect()
}

fn check_questions(check: &mut Check, questions: &[QuestionDraft]) -> Vec<QuestionDraft> {
    check_list_size(check, "questions", questions.len(), MAX_QUESTIONS);
    check_unique(
        check,
        "questions",
        "id",
        questions.iter().filter_map(|q| q.id),
    );
    questions
        .iter()
        .enumerate()
        .filter_map(|(i, question)| {
            let prompt = check.text(
                &["questions", &i.to_string(), "prompt"],
                &question.prompt,
                500,
            )?;
            Some(QuestionDraft {
                id: question.id,
                prompt,
                required: question.required,
            })
        })
        .collect()
}

fn check_plan(check: &mut Check, stages: &[StageDraft]) -> Vec<StageDraft> {
    check_list_size(check, "interviewPlan", stages.len(), MAX_STAGES);
    check_unique(
        check,
        "interviewPlan",
        "id",
        stages.iter().filter_map(|s| s.id),
    );
    for (i, stage) in stages.iter().enumerate() {
        let mut seen = HashSet::new();
        for (j, skill) in stage.assessed_skill_ids.iter().enumerate() {
            if !seen.insert(*skill) {
                check.fail(
                    &[
                        "interviewPlan",
                        &i.to_string(),
                        "assessedSkillIds",
                        &j.to_string(),
                    ],
                    UserErrorCode::Duplicate,
                    "listed twice",
                );
            }
        }
    }
    stages
        .iter()
        .enumerate()
        .filter_map(|(i, stage)| {
            let i = i.to_string();
            let name = check.text(&["interviewPlan", &i, "name"], &stage.name, 200)?;
            let duration = match (stage.mode, stage.duration_minutes) {
                (StageMode::Sync, Some(minutes)) => Some(check.within(
                    &["interviewPlan", &i, "durationMinutes"],
                    minutes,
                    5,
                    480,
                )?),
                (StageMode::Sync, None) => {
                    check.fail(
                        &["interviewPlan", &i, "durationMinutes"],
                        UserErrorCode::Blank,
                        "a meeting needs a duration",
                    );
                    return None;
                }
                (StageMode::Async, Some(_)) => {
                    check.fail(
                        &["interviewPlan", &i, "durationMinutes"],
                        UserErrorCode::Invalid,
                        "an asynchronous stage has an SLA, not a duration",
                    );
                    return None;
                }
                (StageMode::Async, None) => None,
            };
            let sla = match stage.sla_hours {
                Some(hours) => {
                    Some(check.within(&["interviewPlan", &i, "slaHours"], hours, 1, 24 * 90)?)
                }
                None => None,
            };
            Some(StageDraft {
                id: stage.id,
                name,
                kind: stage.kind,
                mode: stage.mode,
                duration_minutes: duration,
                sla_hours: sla,
                assessed_skill_ids: stage.assessed_skill_ids.clone(),
            })
        })
        .collect()
}

/// The ids in `ids` that are not rows of `E`.
async fn absent<E: Keyed>(
    db: &impl ConnectionTrait,
    ids: impl Iterator<Item = i64>,
) -> Result<HashSet<i64>, DbErr>
where
    E::Model: Sync,
{
    let wanted: HashSet<i64> = ids.collect();
    if wanted.is_empty() {
        return Ok(wanted);
    }
    let found: HashSet<i64> = E::find()
        .filter(E::id_column().is_in(wanted.iter().copied()))
        .all(db)
        .await?
        .iter()
        .map(E::id_of)
        .collect();
    Ok(wanted.difference(&found).copied().collect())
}

/// `NOT_FOUND` errors for every referenced row that does not exist.
async fn check_references(
    db: &impl ConnectionTrait,
    posting: &posting::Model,
    changes: &PostingChanges,
) -> Result<(), Failure> {
    if let Some(Some(id)) = changes.job_family_id {
        must_exist::<job_family::Entity>(db, id, &["jobFamilyId"], "job family").await?;
    }
    for (field, id) in [
        ("hiringManagerId", posting.hiring_manager_id),
        ("recruiterId", posting.recruiter_id),
    ] {
        if let Some(id) = id {
            let active = user::Entity::find_by_id(id)
                .one(db)
                .await?
                .is_some_and(|u| u.active);
            if !active {
                return Err(UserError::new(
                    &[field],
                    UserErrorCode::NotFound,
                    "no active staff user has this ID",
                )
                .into());
            }
        }
    }
    let mut errors = Vec::new();
    let mut report =
        |field: &str, inner: Option<&str>, ids: &[i64], missing: &HashSet<i64>, what: &str| {
            for (i, id) in ids.iter().enumerate() {
                if missing.contains(id) {
                    let mut path = vec![field.to_owned(), i.to_string()];
                    path.extend(inner.map(str::to_owned));
                    errors.push(UserError::at(
                        path,
                        UserErrorCode::NotFound,
                        format!("no {what} has this ID"),
                    ));
                }
            }
        };
    if let Some(skills) = &changes.skills {
        let ids: Vec<i64> = skills.iter().map(|s| s.skill_id).collect();
        let missing = absent::<skill::Entity>(db, ids.iter().copied()).await?;
        report("skills", Some("skillId"), &ids, &missing, "skill");
    }
    if let Some(ids) = &changes.region_ids {
        report(
            "regionIds",
            None,
            ids,
            &absent::<region::Entity>(db, ids.iter().copied()).await?,
            "region",
        );
    }
    if let Some(ids) = &changes.team_ids {
        report(
            "teamIds",
            None,
            ids,
            &absent::<team::Entity>(db, ids.iter().copied()).await?,
            "team",
        );
    }
    if let Some(ids) = &changes.level_ids {
        report(
            "levelIds",
            None,
            ids,
            &absent::<level::Entity>(db, ids.iter().copied()).await?,
            "level",
        );
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Failure::Rejected(errors))
    }
}

/// `base`, or `base-2`, `base-3`, ... whichever no posting uses yet.
async fn free_slug(db: &impl ConnectionTrait, base: &str) -> Result<String, DbErr> {
    let taken: HashSet<String> = posting::Entity::find()
        .filter(
            Condition::any()
                .add(posting::Column::Slug.eq(base))
                .add(posting::Column::Slug.like(format!("{base}-%"))),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.slug)
        .collect();
    let mut candidate = base.to_owned();
    let mut n = 2;
    while taken.contains(&candidate) {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    Ok(candidate)
}

async fn replace_sections(
    db: &impl ConnectionTrait,
    posting_id: i64,
    sections: &[SectionDraft],
) -> Result<(), DbErr> {
    posting_section::Entity::delete_many()
        .filter(posting_section::Column::PostingId.eq(posting_id))
        .exec(db)
        .await?;
    if !sections.is_empty() {
        posting_section::Entity::insert_many(sections.iter().zip(1..).map(|(s, position)| {
            posting_section::ActiveModel {
                posting_id: Set(posting_id),
                position: Set(position),
                heading: Set(s.heading.clone()),
                body: Set(s.body.clone()),
                ..Default::default()
            }
        }))
        .exec(db)
        .await?;
    }
    Ok(())
}

async fn replace_responsibilities(
    db: &impl ConnectionTrait,
    posting_id: i64,
    items: &[String],
) -> Result<(), DbErr> {
    posting_responsibility::Entity::delete_many()
        .filter(posting_responsibility::Column::PostingId.eq(posting_id))
        .exec(db)
        .await?;
    if !items.is_empty() {
        posting_responsibility::Entity::insert_many(items.iter().zip(1..).map(
            |(text, position)| posting_responsibility::ActiveModel {
                posting_id: Set(posting_id),
                position: Set(position),
                description: Set(text.clone()),
                ..Default::default()
            },
        ))
        .exec(db)
        .await?;
    }
    Ok(())
}

async fn replace_skills(
    db: &impl ConnectionTrait,
    posting_id: i64,
    skills: &[SkillDraft],
) -> Result<(), DbErr> {
    posting_skill::Entity::delete_many()
        .filter(posting_skill::Column::PostingId.eq(posting_id))
        .exec(db)
        .await?;
    if !skills.is_empty() {
        posting_skill::Entity::insert_many(skills.iter().zip(1..).map(|(s, position)| {
            posting_skill::ActiveModel {
                posting_id: Set(posting_id),
                skill_id: Set(s.skill_id),
                requirement: Set(s.requirement),
                position: Set(position),
            }
        }))
        .exec(db)
        .await?;
    }
    // A stage keeps assessing only skills the posting still asks for.
    let stages = sea_orm::sea_query::Query::select()
        .column(interview_stage::Column::Id)
        .from(interview_stage::Entity)
        .and_where(interview_stage::Column::PostingId.eq(posting_id))
        .take();
    interview_stage_skill::Entity::delete_many()
        .filter(interview_stage_skill::Column::StageId.in_subquery(stages))
        .filter(interview_stage_skill::Column::SkillId.is_not_in(skills.iter().map(|s| s.skill_id)))
        .exec(db)
        .await?;
    Ok(())
}

/// Replaces the rows of link table `E` under `posting_id` with one per id.
async fn replace_links<E, A>(
    db: &impl ConnectionTrait,
    posting_id: i64,
    ids: &[i64],
    posting_column: E::Column,
    row: impl Fn(i64, i64) -> A,
) -> Result<(), DbErr>
where
    E: EntityTrait<ActiveModel = A>,
    A: ActiveModelTrait<Entity = E> + Send,
{
    E::delete_many()
        .filter(posting_column.eq(posting_id))
        .exec(db)
        .await?;
    if !ids.is_empty() {
        E::insert_many(ids.iter().map(|id| row(posting_id, *id)))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// Replaces the interview plan, keeping the stages named by id.
async fn replace_plan(
    db: &impl ConnectionTrait,
    posting_id: i64,
    stages: &[StageDraft],
) -> Result<(), Failure> {
    let existing: HashMap<i64, interview_stage::Model> = interview_stage::Entity::find()
        .filter(interview_stage::Column::PostingId.eq(posting_id))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let mut errors = Vec::new();
    for (i, stage) in stages.iter().enumerate() {
        if let Some(id) = stage.id
            && !existing.contains_key(&id)
        {
            errors.push(UserError::at(
                vec!["interviewPlan".into(), i.to_string(), "id".into()],
                UserErrorCode::NotFound,
                "this posting has no stage with this ID",
            ));
        }
    }
    if !errors.is_empty() {
        return Err(Failure::Rejected(errors));
    }
    let kept: HashSet<i64> = stages.iter().filter_map(|s| s.id).collect();
    let removed: Vec<i64> = existing
        .keys()
        .filter(|id| !kept.contains(id))
        .copied()
        .collect();
    if !removed.is_empty() {
        if stage_in_use(db, &removed).await? {
            return Err(UserError::new(
                &["interviewPlan"],
                UserErrorCode::InUse,
                "a stage you left out has applications, interviews or history; keep it (by its id)",
            )
            .into());
        }
        interview_stage::Entity::delete_many()
            .filter(interview_stage::Column::Id.is_in(removed))
            .exec(db)
            .await?;
    }
    // Move kept stages out of the way so the new positions never collide.
    interview_stage::Entity::update_many()
        .col_expr(
            interview_stage::Column::Position,
            Expr::col(interview_stage::Column::Position)
                .mul(-1)
                .sub(1000),
        )
        .filter(interview_stage::Column::PostingId.eq(posting_id))
        .exec(db)
        .await?;
    let posting_skills: HashSet<i64> = posting_skill::Entity::find()
        .filter(posting_skill::Column::PostingId.eq(posting_id))
        .all(db)
        .await?
        .into_iter()
        .map(|s| s.skill_id)
        .collect();
    let mut errors = Vec::new();
    for (i, stage) in stages.iter().enumerate() {
        for (j, skill) in stage.assessed_skill_ids.iter().enumerate() {
            if !posting_skills.contains(skill) {
                errors.push(UserError::at(
                    vec![
                        "interviewPlan".into(),
                        i.to_string(),
                        "assessedSkillIds".into(),
                        j.to_string(),
                    ],
                    UserErrorCode::Invalid,
                    "a stage assesses only skills the posting asks for",
                ));
            }
        }
    }
    if !errors.is_empty() {
        return Err(Failure::Rejected(errors));
    }
    interview_stage_skill::Entity::delete_many()
        .filter(interview_stage_skill::Column::StageId.is_in(existing.keys().copied()))
        .exec(db)
        .await?;
    let now = now();
    for (stage, position) in stages.iter().zip(1..) {
        let mut row = interview_stage::ActiveModel {
            posting_id: Set(posting_id),
            position: Set(position),
            name: Set(stage.name.clone()),
            kind: Set(stage.kind),
            mode: Set(stage.mode),
            duration_minutes: Set(stage.duration_minutes),
            sla_hours: Set(stage.sla_hours),
            updated_at: Set(now),
            ..Default::default()
        };
        let saved = match stage.id {
            Some(id) => {
                row.id = Set(id);
                row.update(db).await?
            }
            None => {
                row.created_at = Set(now);
                row.insert(db).await?
            }
        };
        if !stage.assessed_skill_ids.is_empty() {
            interview_stage_skill::Entity::insert_many(stage.assessed_skill_ids.iter().map(
                |skill| interview_stage_skill::ActiveModel {
                    stage_id: Set(saved.id),
                    skill_id: Set(*skill),
                },
            ))
            .exec(db)
            .await?;
        }
    }
    Ok(())
}

/// Replaces the questions, keeping those named by id; a question with
/// answers cannot be removed.
async fn replace_questions(
    db: &impl ConnectionTrait,
    posting_id: i64,
    questions: &[QuestionDraft],
) -> Result<(), Failure> {
    let existing: HashSet<i64> = posting_question::Entity::find()
        .filter(posting_question::Column::PostingId.eq(posting_id))
        .all(db)
        .await?
        .into_iter()
        .map(|q| q.id)
        .collect();
    let mut errors = Vec::new();
    for (i, question) in questions.iter().enumerate() {
        if let Some(id) = question.id
            && !existing.contains(&id)
        {
            errors.push(UserError::at(
                vec!["questions".into(), i.to_string(), "id".into()],
                UserErrorCode::NotFound,
                "this posting has no question with this ID",
            ));
        }
    }
    if !errors.is_empty() {
        return Err(Failure::Rejected(errors));
    }
    let kept: HashSet<i64> = questions.iter().filter_map(|q| q.id).collect();
    let removed: Vec<i64> = existing.difference(&kept).copied().collect();
    if !removed.is_empty() {
        let answered = application_answer::Entity::find()
            .filter(application_answer::Column::QuestionId.is_in(removed.iter().copied()))
            .count(db)
            .await?;
        if answered > 0 {
            return Err(UserError::new(
                &["questions"],
                UserErrorCode::InUse,
                "a question you left out has answers; keep it (by its id)",
            )
            .into());
        }
        posting_question::Entity::delete_many()
            .filter(posting_question::Column::Id.is_in(removed))
            .exec(db)
            .await?;
    }
    posting_question::Entity::update_many()
        .col_expr(
            posting_question::Column::Position,
            Expr::col(posting_question::Column::Position)
                .mul(-1)
                .sub(1000),
        )
        .filter(posting_question::Column::PostingId.eq(posting_id))
        .exec(db)
        .await?;
    for (question, position) in questions.iter().zip(1..) {
        let mut row = posting_question::ActiveModel {
            posting_id: Set(posting_id),
            position: Set(position),
            prompt: Set(question.prompt.clone()),
            required: Set(question.required),
            ..Default::default()
        };
        match question.id {
            Some(id) => {
                row.id = Set(id);
                row.update(db).await?;
            }
            None => {
                row.insert(db).await?;
            }
        }
    }
    Ok(())
}

/// Whether anything refers to one of `stage_ids`.
async fn stage_in_use(db: &impl ConnectionTrait, stage_ids: &[i64]) -> Result<bool, DbErr> {
    let ids = || stage_ids.iter().copied();
    let applications = application::Entity::find()
        .filter(application::Column::CurrentStageId.is_in(ids()))
        .count(db)
        .await?;
    let interviews = interview::Entity::find()
        .filter(interview::Column::StageId.is_in(ids()))
        .count(db)
        .await?;
    let history = stage_transition::Entity::find()
        .filter(
            Condition::any()
                .add(stage_transition::Column::FromStageId.is_in(ids()))
                .add(stage_transition::Column::ToStageId.is_in(ids())),
        )
        .count(db)
        .await?;
    Ok(applications + interviews + history > 0)
}
