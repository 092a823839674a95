//! Scorecards: an interviewer's assessment of one interview.
//!
//! One per interviewer per interview, only from an interviewer of that
//! interview, once it has started. It gives an overall recommendation and a
//! rating from 1 to 4 for skills the stage assesses; every must-have skill
//! among them must be rated. An interviewer reads the others' scorecards
//! for an application only after submitting their own, so nobody is swayed
//! before making up their mind; the hiring manager and recruiters always can.

use std::collections::{HashMap, HashSet};

use entity::enums::{InterviewStatus, Recommendation, SkillRequirement};
use entity::{
    interview, interview_interviewer, interview_stage, interview_stage_skill, posting_skill,
    scorecard, scorecard_rating, skill,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set,
};

use super::audit::{self, Actor};
use super::validate::Check;
use super::write::{now, taken};
use crate::db::begin_write;
use crate::error::{ApiError, Failure, UserError, UserErrorCode};

/// A rating of one skill.
#[derive(Clone, Debug)]
pub struct Rating {
    pub skill_id: i64,
    /// 1 (weak) to 4 (strong).
    pub rating: i32,
    pub note: Option<String>,
}

/// Submits `interviewer_id`'s scorecard for `interview`.
pub async fn submit(
    db: &DatabaseConnection,
    actor: &Actor,
    interviewer_id: i64,
    interview: &interview::Model,
    recommendation: Recommendation,
    ratings: Vec<Rating>,
    notes: Option<String>,
) -> Result<scorecard::Model, Failure> {
    let mut check = Check::new();
    let notes = check
        .optional_text(&["notes"], notes.as_deref(), 20_000)
        .flatten();
    let mut seen = HashSet::new();
    let mut clean = Vec::new();
    for (i, rating) in ratings.iter().enumerate() {
        let index = i.to_string();
        if !seen.insert(rating.skill_id) {
            check.fail(
                &["ratings", &index, "skillId"],
                UserErrorCode::Duplicate,
                "rated twice",
            );
        }
        let value = check.within(&["ratings", &index, "rating"], rating.rating, 1, 4);
        let note = check
            .optional_text(&["ratings", &index, "note"], rating.note.as_deref(), 5000)
            .flatten();
        if let Some(value) = value {
            clean.push(Rating {
                skill_id: rating.skill_id,
                rating: value,
                note,
            });
        }
    }
    check.finish()?;

    let txn = begin_write(db).await?;
    let taking_part = interview_interviewer::Entity::find()
        .filter(interview_interviewer::Column::InterviewId.eq(interview.id))
        .filter(interview_interviewer::Column::UserId.eq(interviewer_id))
        .one(&txn)
        .await?
        .is_some();
    if !taking_part {
        return Err(ApiError::forbidden(
            "only an interviewer of this interview submits a scorecard for it",
        )
        .into());
    }
    if interview.status == InterviewStatus::Cancelled {
        return Err(UserError::new(
            &["interviewId"],
            UserErrorCode::InvalidState,
            "the interview was cancelled",
        )
        .into());
    }
    if interview.starts_at > now() {
        return Err(UserError::new(
            &["interviewId"],
            UserErrorCode::InvalidState,
            "the interview has not started yet",
        )
        .into());
    }
    let already = scorecard::Entity::find()
        .filter(scorecard::Column::InterviewId.eq(interview.id))
        .filter(scorecard::Column::InterviewerId.eq(interviewer_id))
        .one(&txn)
        .await?;
    const TAKEN: &str = "you already submitted your scorecard for this interview";
    if already.is_some() {
        return Err(UserError::new(&["interviewId"], UserErrorCode::Taken, TAKEN).into());
    }
    check_ratings(&txn, interview, &clean).await?;

    let now = now();
    let card = scorecard::ActiveModel {
        interview_id: Set(interview.id),
        interviewer_id: Set(interviewer_id),
        recommendation: Set(Some(recommendation)),
        notes: Set(notes),
        submitted_at: Set(Some(now)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|err| taken(err, &["interviewId"], TAKEN))?;
    if !clean.is_empty() {
        scorecard_rating::Entity::insert_many(clean.iter().map(|r| {
            scorecard_rating::ActiveModel {
                scorecard_id: Set(card.id),
                skill_id: Set(r.skill_id),
                rating: Set(r.rating),
                note: Set(r.note.clone()),
            }
        }))
        .exec(&txn)
        .await?;
    }
    let mut changed = audit::changes(None, &card);
    if let serde_json::Value::Object(map) = &mut changed {
        let ratings: Vec<_> = clean
            .iter()
            .map(|r| serde_json::json!({ "skill": r.skill_id, "rating": r.rating }))
            .collect();
        map.insert("ratings".into(), serde_json::json!({ "after": ratings }));
    }
    audit::record(
        &txn,
        actor,
        "scorecard.submit",
        "Scorecard",
        card.id,
        changed,
    )
    .await?;
    txn.commit().await?;
    Ok(card)
}

/// Ratings name only skills the stage assesses, and rate every must-have among them.
async fn check_ratings(
    db: &impl ConnectionTrait,
    interview: &interview::Model,
    ratings: &[Rating],
) -> Result<(), Failure> {
    let stage = interview_stage::Entity::find_by_id(interview.stage_id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::Internal("an interview without its stage".into()))?;
    let posting_skills: HashMap<i64, SkillRequirement> = posting_skill::Entity::find()
        .filter(posting_skill::Column::PostingId.eq(stage.posting_id))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.skill_id, s.requirement))
        .collect();
    let listed: Vec<i64> = interview_stage_skill::Entity::find()
        .filter(interview_stage_skill::Column::StageId.eq(stage.id))
        .all(db)
        .await?
        .into_iter()
        .map(|s| s.skill_id)
        .collect();
    let assessed: HashSet<i64> = if listed.is_empty() {
        posting_skills.keys().copied().collect()
    } else {
        listed.into_iter().collect()
    };
    let mut errors = Vec::new();
    for (i, rating) in ratings.iter().enumerate() {
        if !assessed.contains(&rating.skill_id) {
            errors.push(UserError::at(
                vec!["ratings".into(), i.to_string(), "skillId".into()],
                UserErrorCode::Invalid,
                "this stage does not assess that skill",
            ));
        }
    }
    let rated: HashSet<i64> = ratings.iter().map(|r| r.skill_id).collect();
    let mut unrated: Vec<i64> = assessed
        .iter()
        .filter(|id| {
            posting_skills.get(id) == Some(&SkillRequirement::MustHave) && !rated.contains(id)
        })
        .copied()
        .collect();
    unrated.sort_unstable();
    if !unrated.is_empty() {
        let names: Vec<String> = skill::Entity::find()
            .filter(skill::Column::Id.is_in(unrated))
            .all(db)
            .await?
            .into_iter()
            .map(|s| s.name)
            .collect();
        errors.push(UserError::new(
            &["ratings"],
            UserErrorCode::Blank,
            format!(
                "rate every must-have skill this stage assesses: {}",
                names.join(", ")
            ),
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Failure::Rejected(errors))
    }
}

/// The spread of recommendations and the average rating per skill of `cards`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Summary {
    /// Submitted scorecards.
    pub count: usize,
    /// How many gave each recommendation, strongest no first.
    pub recommendations: Vec<(Recommendation, usize)>,
    /// `(skill, average rating, number of ratings)`, by skill id.
    pub skills: Vec<(i64, f64, usize)>,
}

/// Summarises submitted scorecards and their ratings.
pub fn summarise(cards: &[scorecard::Model], ratings: &[scorecard_rating::Model]) -> Summary {
    let submitted: Vec<&scorecard::Model> =
        cards.iter().filter(|c| c.submitted_at.is_some()).collect();
    let ids: HashSet<i64> = submitted.iter().map(|c| c.id).collect();
    let order = [
        Recommendation::StrongNo,
        Recommendation::No,
        Recommendation::Yes,
        Recommendation::StrongYes,
    ];
    let recommendations = order
        .into_iter()
        .map(|r| {
            (
                r,
                submitted
                    .iter()
                    .filter(|c| c.recommendation == Some(r))
                    .count(),
            )
        })
        .collect();
    let mut per_skill: HashMap<i64, (i64, usize)> = HashMap::new();
    for rating in ratings.iter().filter(|r| ids.contains(&r.scorecard_id)) {
        let entry = per_skill.entry(rating.skill_id).or_default();
        entry.0 += i64::from(rating.rating);
        entry.1 += 1;
    }
    let mut skills: Vec<(i64, f64, usize)> = per_skill
        .into_iter()
        .map(|(skill, (sum, n))| (skill, ((sum as f64 / n as f64) * 100.0).round() / 100.0, n))
        .collect();
    skills.sort_by_key(|(skill, _, _)| *skill);
    Summary {
        count: submitted.len(),
        recommendations,
        skills,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn card(id: i64, recommendation: Recommendation) -> scorecard::Model {
        scorecard::Model {
            id,
            interview_id: 1,
            interviewer_id: id,
            recommendation: Some(recommendation),
            notes: None,
            submitted_at: Some(Utc::now()),
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    fn rating(scorecard_id: i64, skill_id: i64, rating: i32) -> scorecard_rating::Model {
        scorecard_rating::Model {
            scorecard_id,
            skill_id,
            rating,
            note: None,
        }
    }

    #[test]
    fn the_summary_counts_recommendations_and_averages_each_skill() {
        let cards = [
            card(1, Recommendation::Yes),
            card(2, Recommendation::StrongYes),
            card(3, Recommendation::Yes),
        ];
        let ratings = [
            rating(1, 10, 3),
            rating(2, 10, 4),
            rating(3, 10, 4),
            rating(1, 11, 2),
        ];
        let summary = summarise(&cards, &ratings);
        assert_eq!(summary.count, 3);
        assert_eq!(
            summary.recommendations,
            vec![
                (Recommendation::StrongNo, 0),
                (Recommendation::No, 0),
                (Recommendation::Yes, 2),
                (Recommendation::StrongYes, 1)
            ]
        );
        assert_eq!(summary.skills, vec![(10, 3.67, 3), (11, 2.0, 1)]);
    }
}
