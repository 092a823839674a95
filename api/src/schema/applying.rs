//! `applyToPosting`: the careers site's form, open to anonymous callers.
//!
//! Anonymous applicants get a receipt, not the application: its fields
//! (the candidate's contact details, the pipeline) are for staff, and anyone
//! can type anyone's email into a form.

use std::sync::Arc;

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use entity::enums::CandidateSource as DbSource;
use entity::posting;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::actor;
use super::application::Application;
use super::enums::{CandidateSource, Gender};
use super::node::{NodeKind, global_id, input_id};
use super::posting::Posting;
use super::scalars::{CountryCode, DateTime, TimeZone};
use crate::context::RequestContext;
use crate::domain::applying::{self, Applicant, SelfIdentification};
use crate::error::{ApiError, Failure, UserError, UserErrorCode};
use crate::rate_limit::ApplyLimits;

/// An answer to one of the posting's questions.
#[derive(InputObject)]
pub struct AnswerInput {
    /// The question (see `Posting.questions`).
    pub question_id: ID,
    /// The answer.
    pub answer: String,
}

/// An application from the careers site.
#[derive(InputObject)]
pub struct ApplyToPostingInput {
    /// The posting, by ID; or give `slug`.
    pub posting_id: Option<ID>,
    /// The posting, by its slug; or give `postingId`.
    pub slug: Option<String>,
    /// Your email address.
    pub email: String,
    /// Your full name.
    pub name: String,
    /// The country you live in; the posting must be open to it.
    pub country_code: CountryCode,
    /// Your time zone, so interviews are shown in it.
    pub time_zone: Option<TimeZone>,
    /// Your phone number.
    pub phone: Option<String>,
    /// Links to your profile, portfolio or code (http or https), at most 10.
    #[graphql(default)]
    pub links: Vec<String>,
    /// You agree that we process your data to consider your application. Required.
    pub consent: bool,
    /// Your answers to the posting's questions.
    #[graphql(default)]
    pub answers: Vec<AnswerInput>,
    /// How the candidate came to us (staff entering an application only;
    /// the careers site is recorded otherwise).
    pub source: Option<CandidateSource>,
    /// More about the source.
    pub source_detail: Option<String>,
    /// Optional and voluntary: what you choose to tell us about yourself so
    /// that we can check we pay fairly. It is never shown to the people
    /// deciding on your application, and is used only in aggregate, in the
    /// pay-equity report. Leave it out to say nothing.
    pub self_identification: Option<SelfIdentificationInput>,
}

/// Voluntary self-identification for pay-equity reporting.
#[derive(InputObject)]
pub struct SelfIdentificationInput {
    /// Your gender.
    pub gender: Gender,
    /// You agree that we keep this and use it, in aggregate only, to check
    /// that we pay fairly. Required for it to be kept; separate from the
    /// consent to process your application.
    pub consent: bool,
}

/// Confirmation that an application is in.
#[derive(SimpleObject)]
pub struct ApplicationReceipt {
    /// The application's ID.
    pub application_id: ID,
    /// The posting applied to.
    pub posting: Posting,
    /// When the application was made.
    pub applied_at: DateTime,
    /// True when this person had already applied to this posting; nothing
    /// new was recorded.
    pub already_applied: bool,
}

/// The result of `applyToPosting`.
#[derive(SimpleObject)]
pub struct ApplyToPostingPayload {
    /// Confirmation, for the applicant.
    pub receipt: Option<ApplicationReceipt>,
    /// The application itself, for staff callers; null for anonymous ones.
    pub application: Option<Application>,
    /// What was wrong; empty when the application is in.
    pub user_errors: Vec<UserError>,
}

/// Applying.
#[derive(Default)]
pub struct ApplyMutation;

#[Object]
impl ApplyMutation {
    /// Applies to an open posting. The applicant must live in a country the
    /// posting's regions cover and consent to the processing of their data.
    /// Applying again to the same posting returns the first application.
    ///
    /// Without a staff token, attempts are limited per network and per
    /// email address; past the limit the error is RATE_LIMITED, with
    /// `extensions.retryAfter` (and the HTTP `Retry-After` header) giving
    /// the seconds to wait.
    async fn apply_to_posting(
        &self,
        ctx: &Context<'_>,
        input: ApplyToPostingInput,
    ) -> Result<ApplyToPostingPayload> {
        let rc = RequestContext::of(ctx)?;
        // The careers site is open to anyone, so anonymous applying is
        // rate-limited, per network first, whatever the input.
        let limits = ctx
            .data_opt::<Arc<ApplyLimits>>()
            .filter(|_| !rc.viewer.is_staff());
        if let (Some(limits), Some(address)) = (limits, rc.client_address) {
            limits.admit_address(address)?;
        }
        if let Some(limits) = limits {
            limits.admit_email(&input.email.trim().to_lowercase())?;
        }
        let rejected = |errors: Vec<UserError>| ApplyToPostingPayload {
            receipt: None,
            application: None,
            user_errors: errors,
        };
        let posting_id = match (&input.posting_id, input.slug.as_deref()) {
            (Some(id), None) => match input_id(id, NodeKind::Posting, &["postingId"]) {
                Ok(id) => id,
                Err(err) => return Ok(rejected(vec![err])),
            },
            (None, Some(slug)) => match posting::Entity::find()
                .filter(posting::Column::Slug.eq(slug.trim()))
                .one(&rc.db)
                .await
                .map_err(ApiError::from)?
            {
                Some(found) => found.id,
                None => {
                    return Ok(rejected(vec![UserError::new(
                        &["slug"],
                        UserErrorCode::NotFound,
                        "no posting has this slug",
                    )]));
                }
            },
            _ => {
                return Ok(rejected(vec![UserError::new(
                    &["postingId"],
                    UserErrorCode::Invalid,
                    "give exactly one of postingId and slug",
                )]));
            }
        };
        let mut id_errors = Vec::new();
        let answers = input
            .answers
            .iter()
            .enumerate()
            .filter_map(|(i, a)| {
                match input_id(
                    &a.question_id,
                    NodeKind::PostingQuestion,
                    &["answers", &i.to_string(), "questionId"],
                ) {
                    Ok(question) => Some((question, a.answer.clone())),
                    Err(err) => {
                        id_errors.push(err);
                        None
                    }
                }
            })
            .collect();
        if !id_errors.is_empty() {
            return Ok(rejected(id_errors));
        }
        let staff = rc.viewer.is_staff();
        let applicant = Applicant {
            email: input.email,
            name: input.name,
            country_code: input.country_code.0,
            time_zone: input.time_zone.map(|z| z.0),
            phone: input.phone,
            links: input.links,
            // Only staff may say a candidate was referred or sourced.
            source: if staff {
                input.source.map(DbSource::from)
            } else {
                None
            },
            source_detail: if staff { input.source_detail } else { None },
            consent: input.consent,
            answers,
            self_identification: input.self_identification.map(|given| SelfIdentification {
                gender: given.gender.into(),
                consent: given.consent,
            }),
        };
        match applying::apply(&rc.db, &actor(rc), posting_id, applicant).await {
            Ok(applied) => {
                if !applied.already_applied {
                    super::live::announce_application(
                        ctx,
                        crate::events::PipelineChange::Created,
                        &applied.application,
                    )
                    .await;
                }
                let posting = posting::Entity::find_by_id(posting_id)
                    .one(&rc.db)
                    .await
                    .map_err(ApiError::from)?
                    .ok_or_else(|| ApiError::Internal("the posting vanished".into()))?;
                Ok(ApplyToPostingPayload {
                    receipt: Some(ApplicationReceipt {
                        application_id: global_id(NodeKind::Application, applied.application.id),
                        posting: Posting(posting),
                        applied_at: applied.application.applied_at.into(),
                        already_applied: applied.already_applied,
                    }),
                    application: staff.then_some(Application(applied.application)),
                    user_errors: Vec::new(),
                })
            }
            Err(Failure::Rejected(errors)) => Ok(rejected(errors)),
            Err(Failure::Api(err)) => Err(err.into()),
        }
    }
}
