//! A candidate's rights over their data: a copy of everything held about
//! them, and erasure. Retention dates are enforced by the purge.
//!
//! Erasure anonymises rather than deletes: the candidate's personal fields
//! are replaced, every free text about them (rejection notes, answers,
//! scorecard notes, reasons, meeting and submission links, offer notes) is
//! scrubbed (their interviews are shown in UTC instead of their time zone),
//! what they stated for pay-equity reporting is deleted, and the audit events about them keep who did what and when but
//! lose every value. Applications and their stage history stay, without
//! anything personal, so hiring statistics still add up.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use entity::enums::ApplicationStatus;
use entity::{
    application, application_answer, audit_event, candidate, candidate_self_identification,
    interview, interview_stage, offer, offer_approval, posting, posting_question, scorecard,
    scorecard_rating, skill, stage_transition,
};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    QueryFilter, QueryOrder, Set,
};
use serde_json::{Map, Value, json};

use super::audit::{self, Actor};
use super::money::{currency, format_amount};
use super::pipeline::{self, Change};
use super::write::now;
use crate::db::begin_write;
use crate::error::{Failure, UserError, UserErrorCode};
use crate::schema::node::{NodeKind, global_id};

/// What erased values are replaced with.
pub const ERASED: &str = "[erased]";

/// Everything held about candidate `id`, as one JSON document.
pub async fn export(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<Value, Failure> {
    let txn = begin_write(db).await?;
    let candidate = find(&txn, id).await?;
    let applications = application::Entity::find()
        .filter(application::Column::CandidateId.eq(id))
        .order_by_asc(application::Column::AppliedAt)
        .all(&txn)
        .await?;
    let application_ids: Vec<i64> = applications.iter().map(|a| a.id).collect();
    let postings: HashMap<i64, posting::Model> = posting::Entity::find()
        .filter(posting::Column::Id.is_in(applications.iter().map(|a| a.posting_id)))
        .all(&txn)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let stages: HashMap<i64, interview_stage::Model> = interview_stage::Entity::find()
        .filter(interview_stage::Column::PostingId.is_in(postings.keys().copied()))
        .all(&txn)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let stage_name = |id: Option<i64>| id.and_then(|id| stages.get(&id)).map(|s| s.name.clone());
    let history = stage_transition::Entity::find()
        .filter(stage_transition::Column::ApplicationId.is_in(application_ids.iter().copied()))
        .order_by_asc(stage_transition::Column::OccurredAt)
        .order_by_asc(stage_transition::Column::Id)
        .all(&txn)
        .await?;
    let answers = application_answer::Entity::find()
        .filter(application_answer::Column::ApplicationId.is_in(application_ids.iter().copied()))
        .all(&txn)
        .await?;
    let questions: HashMap<i64, posting_question::Model> = posting_question::Entity::find()
        .filter(posting_question::Column::Id.is_in(answers.iter().map(|a| a.question_id)))
        .all(&txn)
        .await?
        .into_iter()
        .map(|q| (q.id, q))
        .collect();
    let interviews = interview::Entity::find()
        .filter(interview::Column::ApplicationId.is_in(application_ids.iter().copied()))
        .order_by_asc(interview::Column::StartsAt)
        .all(&txn)
        .await?;
    let cards = scorecard::Entity::find()
        .filter(scorecard::Column::InterviewId.is_in(interviews.iter().map(|i| i.id)))
        .all(&txn)
        .await?;
    let ratings = scorecard_rating::Entity::find()
        .filter(scorecard_rating::Column::ScorecardId.is_in(cards.iter().map(|c| c.id)))
        .all(&txn)
        .await?;
    let skills: HashMap<i64, String> = skill::Entity::find()
        .filter(skill::Column::Id.is_in(ratings.iter().map(|r| r.skill_id)))
        .all(&txn)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let offers = offer::Entity::find()
        .filter(offer::Column::ApplicationId.is_in(application_ids.iter().copied()))
        .order_by_asc(offer::Column::Version)
        .all(&txn)
        .await?;
    let events = audit_event::Entity::find()
        .filter(about(id, &application_ids, &interviews, &cards, &offers))
        .order_by_asc(audit_event::Column::OccurredAt)
        .all(&txn)
        .await?;
    let self_identification = candidate_self_identification::Entity::find()
        .filter(candidate_self_identification::Column::CandidateId.eq(id))
        .one(&txn)
        .await?;
    let disclosures = entity::pay_range_disclosure::Entity::find()
        .filter(
            entity::pay_range_disclosure::Column::ApplicationId
                .is_in(application_ids.iter().copied()),
        )
        .order_by_asc(entity::pay_range_disclosure::Column::DisclosedAt)
        .all(&txn)
        .await?;

    let document = json!({
        "exportedAt": Utc::now().to_rfc3339(),
        "candidate": {
            "id": global_id(NodeKind::Candidate, candidate.id).0,
            "name": candidate.name,
            "email": candidate.email,
            "countryCode": candidate.country_code,
            "timeZone": candidate.time_zone,
            "phone": candidate.phone,
            "links": candidate.links,
            "source": audit::enum_name(&candidate.source),
            "sourceDetail": candidate.source_detail,
            "consentGivenAt": candidate.consent_given_at,
            "retainUntil": candidate.retain_until,
            "erasedAt": candidate.erased_at,
            "createdAt": candidate.created_at,
            "updatedAt": candidate.updated_at,
        },
        "selfIdentification": self_identification.map(|given| json!({
            "gender": audit::enum_name(&given.gender),
            "consentGivenAt": given.consent_given_at,
        })),
        "applications": applications.iter().map(|a| json!({
            "id": global_id(NodeKind::Application, a.id).0,
            "posting": postings.get(&a.posting_id).map(|p| json!({ "title": p.title, "slug": p.slug })),
            "status": audit::enum_name(&a.status),
            "currentStage": stage_name(Some(a.current_stage_id)),
            "appliedAt": a.applied_at,
            "rejectionReason": a.rejection_reason.map(|r| audit::enum_name(&r)),
            "rejectionNote": a.rejection_note,
            "history": history.iter().filter(|t| t.application_id == a.id).map(|t| json!({
                "fromStage": stage_name(t.from_stage_id),
                "toStage": stage_name(Some(t.to_stage_id)),
                "fromStatus": t.from_status.map(|s| audit::enum_name(&s)),
                "toStatus": audit::enum_name(&t.to_status),
                "reason": t.reason,
                "occurredAt": t.occurred_at,
            })).collect::<Vec<_>>(),
            "payRangeDisclosures": disclosures.iter().filter(|d| d.application_id == a.id).map(|d| json!({
                "how": audit::enum_name(&d.how),
                "currency": d.currency,
                "minimum": crate::domain::money::format_amount(d.min_minor, crate::domain::money::currency(&d.currency).map_or(2, |c| c.exponent)),
                "maximum": crate::domain::money::format_amount(d.max_minor, crate::domain::money::currency(&d.currency).map_or(2, |c| c.exponent)),
                "interval": audit::enum_name(&d.pay_interval),
                "disclosedAt": d.disclosed_at,
            })).collect::<Vec<_>>(),
            "answers": answers.iter().filter(|x| x.application_id == a.id).map(|x| json!({
                "question": questions.get(&x.question_id).map(|q| q.prompt.clone()),
                "answer": x.answer,
            })).collect::<Vec<_>>(),
            "interviews": interviews.iter().filter(|i| i.application_id == a.id).map(|i| json!({
                "stage": stage_name(Some(i.stage_id)),
                "status": audit::enum_name(&i.status),
                "startsAt": i.starts_at,
                "endsAt": i.ends_at,
                "timeZone": i.time_zone,
                "meetingUrl": i.meeting_url,
                "dueAt": i.due_at,
                "submittedAt": i.submitted_at,
                "submissionUrl": i.submission_url,
                "scorecards": cards.iter().filter(|c| c.interview_id == i.id).map(|c| json!({
                    "recommendation": c.recommendation.map(|r| audit::enum_name(&r)),
                    "notes": c.notes,
                    "submittedAt": c.submitted_at,
                    "ratings": ratings.iter().filter(|r| r.scorecard_id == c.id).map(|r| json!({
                        "skill": skills.get(&r.skill_id),
                        "rating": r.rating,
                        "note": r.note,
                    })).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "offers": offers.iter().filter(|o| o.application_id == a.id).map(|o| json!({
                "version": o.version,
                "status": audit::enum_name(&o.status),
                "baseSalary": {
                    "amount": format_amount(o.base_salary_minor, currency(&o.currency).map(|c| c.exponent).unwrap_or(2)),
                    "currency": o.currency,
                },
                "interval": audit::enum_name(&o.pay_interval),
                "startDate": o.start_date,
                "notes": o.notes,
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "auditEvents": events.iter().map(|e| json!({
            "action": e.action,
            "objectType": e.object_type,
            "occurredAt": e.occurred_at,
        })).collect::<Vec<_>>(),
    });
    audit::record(&txn, actor, "candidate.export", "Candidate", id, json!({})).await?;
    txn.commit().await?;
    Ok(document)
}

/// Anonymises candidate `id` (see the module documentation). Their active
/// applications are withdrawn first, so the pipeline holds no one unknown.
pub async fn erase(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
) -> Result<candidate::Model, Failure> {
    let txn = begin_write(db).await?;
    let candidate = find(&txn, id).await?;
    if candidate.erased_at.is_some() {
        return Err(UserError::new(
            &["candidateId"],
            UserErrorCode::InvalidState,
            "this candidate was already erased",
        )
        .into());
    }
    let erased = erase_in(&txn, actor, candidate).await?;
    txn.commit().await?;
    Ok(erased)
}

/// Anonymises every candidate past their retention date who has no active
/// application; returns how many.
pub async fn purge_expired(db: &DatabaseConnection, today: NaiveDate) -> Result<usize, Failure> {
    let active = Query::select()
        .column(application::Column::CandidateId)
        .from(application::Entity)
        .and_where(application::Column::Status.eq(ApplicationStatus::Active))
        .take();
    let expired = candidate::Entity::find()
        .filter(candidate::Column::RetainUntil.lt(today))
        .filter(candidate::Column::ErasedAt.is_null())
        .filter(candidate::Column::Id.not_in_subquery(active))
        .all(db)
        .await?;
    let actor = Actor {
        user_id: None,
        request_id: format!("retention-purge-{today}"),
    };
    let mut purged = 0;
    for candidate in expired {
        // One transaction each: a failure leaves the others done.
        let txn = begin_write(db).await?;
        erase_in(&txn, &actor, candidate).await?;
        txn.commit().await?;
        purged += 1;
    }
    Ok(purged)
}

async fn find(db: &impl ConnectionTrait, id: i64) -> Result<candidate::Model, Failure> {
    candidate::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| {
            UserError::new(
                &["candidateId"],
                UserErrorCode::NotFound,
                "no candidate has this ID",
            )
            .into()
        })
}

/// The audit events about a candidate and what belongs to them.
fn about(
    candidate: i64,
    applications: &[i64],
    interviews: &[interview::Model],
    cards: &[scorecard::Model],
    offers: &[offer::Model],
) -> Condition {
    let of = |kind: &str, ids: Vec<i64>| {
        Condition::all()
            .add(audit_event::Column::ObjectType.eq(kind))
            .add(audit_event::Column::ObjectId.is_in(ids))
    };
    Condition::any()
        .add(of("Candidate", vec![candidate]))
        .add(of("Application", applications.to_vec()))
        .add(of("Interview", interviews.iter().map(|i| i.id).collect()))
        .add(of("Scorecard", cards.iter().map(|c| c.id).collect()))
        .add(of("Offer", offers.iter().map(|o| o.id).collect()))
}

/// `changes` with every value replaced: which fields changed stays known.
fn scrub(changes: &Value) -> Value {
    match changes {
        Value::Object(fields) => {
            let mut scrubbed = Map::new();
            for (field, _) in fields {
                scrubbed.insert(field.clone(), json!(ERASED));
            }
            Value::Object(scrubbed)
        }
        _ => json!({}),
    }
}

async fn erase_in(
    db: &impl ConnectionTrait,
    actor: &Actor,
    candidate: candidate::Model,
) -> Result<candidate::Model, Failure> {
    let id = candidate.id;
    let applications = application::Entity::find()
        .filter(application::Column::CandidateId.eq(id))
        .all(db)
        .await?;
    for active in applications
        .iter()
        .filter(|a| a.status == ApplicationStatus::Active)
    {
        let change = Change {
            status: ApplicationStatus::Withdrawn,
            reason: Some("the candidate's data was erased at their request".into()),
            ..Change::from(active)
        };
        pipeline::change(
            db,
            actor,
            active,
            active.version,
            change,
            "application.withdraw",
        )
        .await?;
    }
    let application_ids: Vec<i64> = applications.iter().map(|a| a.id).collect();
    let interviews = interview::Entity::find()
        .filter(interview::Column::ApplicationId.is_in(application_ids.iter().copied()))
        .all(db)
        .await?;
    let cards = scorecard::Entity::find()
        .filter(scorecard::Column::InterviewId.is_in(interviews.iter().map(|i| i.id)))
        .all(db)
        .await?;
    let offers = offer::Entity::find()
        .filter(offer::Column::ApplicationId.is_in(application_ids.iter().copied()))
        .all(db)
        .await?;

    candidate_self_identification::Entity::delete_many()
        .filter(candidate_self_identification::Column::CandidateId.eq(id))
        .exec(db)
        .await?;
    application::Entity::update_many()
        .col_expr(
            application::Column::RejectionNote,
            Expr::value(Option::<String>::None),
        )
        .filter(application::Column::CandidateId.eq(id))
        .exec(db)
        .await?;
    application_answer::Entity::update_many()
        .col_expr(application_answer::Column::Answer, Expr::value(ERASED))
        .filter(application_answer::Column::ApplicationId.is_in(application_ids.iter().copied()))
        .exec(db)
        .await?;
    stage_transition::Entity::update_many()
        .col_expr(
            stage_transition::Column::Reason,
            Expr::value(Option::<String>::None),
        )
        .filter(stage_transition::Column::ApplicationId.is_in(application_ids.iter().copied()))
        .exec(db)
        .await?;
    interview::Entity::update_many()
        .col_expr(
            interview::Column::MeetingUrl,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            interview::Column::SubmissionUrl,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            interview::Column::CancelReason,
            Expr::value(Option::<String>::None),
        )
        .col_expr(interview::Column::TimeZone, Expr::value("UTC"))
        .filter(interview::Column::ApplicationId.is_in(application_ids.iter().copied()))
        .exec(db)
        .await?;
    scorecard::Entity::update_many()
        .col_expr(
            scorecard::Column::Notes,
            Expr::value(Option::<String>::None),
        )
        .filter(scorecard::Column::Id.is_in(cards.iter().map(|c| c.id)))
        .exec(db)
        .await?;
    scorecard_rating::Entity::update_many()
        .col_expr(
            scorecard_rating::Column::Note,
            Expr::value(Option::<String>::None),
        )
        .filter(scorecard_rating::Column::ScorecardId.is_in(cards.iter().map(|c| c.id)))
        .exec(db)
        .await?;
    offer::Entity::update_many()
        .col_expr(offer::Column::Notes, Expr::value(Option::<String>::None))
        .col_expr(
            offer::Column::ExceptionReason,
            Expr::value(Option::<String>::None),
        )
        .filter(offer::Column::ApplicationId.is_in(application_ids.iter().copied()))
        .exec(db)
        .await?;
    offer_approval::Entity::update_many()
        .col_expr(
            offer_approval::Column::Comment,
            Expr::value(Option::<String>::None),
        )
        .filter(offer_approval::Column::OfferId.is_in(offers.iter().map(|o| o.id)))
        .exec(db)
        .await?;
    for event in audit_event::Entity::find()
        .filter(about(id, &application_ids, &interviews, &cards, &offers))
        .all(db)
        .await?
    {
        let scrubbed = scrub(&event.changes);
        let mut event: audit_event::ActiveModel = event.into();
        event.changes = Set(scrubbed);
        event.update(db).await?;
    }

    let now = now();
    let placeholder = format!("erased-{id}@erased.invalid");
    let mut erased: candidate::ActiveModel = candidate.into();
    erased.name = Set(format!(
        "Erased candidate {}",
        global_id(NodeKind::Candidate, id).0
    ));
    erased.email = Set(placeholder.clone());
    erased.email_normalized = Set(placeholder);
    erased.phone = Set(None);
    erased.links = Set(json!([]));
    erased.time_zone = Set(None);
    erased.source_detail = Set(None);
    erased.consent_given_at = Set(None);
    erased.retain_until = Set(None);
    erased.erased_at = Set(Some(now));
    erased.updated_at = Set(now);
    let erased = erased.update(db).await?;
    audit::record(db, actor, "candidate.erase", "Candidate", id, json!({})).await?;
    Ok(erased)
}
