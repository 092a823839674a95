//! A candidate's data rights, for admins: a copy of everything held about
//! them, and erasure.

use async_graphql::{Context, ID, InputObject, Json, Object, Result, SimpleObject};

use super::candidate::Candidate;
use super::node::{NodeKind, input_id};
use super::{actor, payload};
use crate::auth::permissions::{Action, authorize};
use crate::context::RequestContext;
use crate::domain::privacy;
use crate::error::{Failure, UserError};

/// A candidate whose data to export or erase.
#[derive(InputObject)]
pub struct CandidatePrivacyInput {
    /// The candidate.
    pub candidate_id: ID,
}

/// The result of `exportCandidateData`.
#[derive(SimpleObject)]
pub struct ExportCandidateDataPayload {
    /// Everything held about the candidate, as one JSON document: their
    /// details, applications with history and answers, interviews with
    /// scorecards, offers, and the log of what was done with their data.
    pub data: Option<Json<serde_json::Value>>,
    /// What was wrong; empty on success.
    pub user_errors: Vec<UserError>,
}

payload!(
    /// The result of `eraseCandidate`.
    EraseCandidatePayload {
        /// The candidate, now anonymous.
        candidate: Candidate
    }
);

/// Data rights (admins only).
#[derive(Default)]
pub struct PrivacyMutation;

#[Object]
impl PrivacyMutation {
    /// Everything held about a candidate, as one JSON document (for a
    /// subject access request). The export is recorded in the audit log.
    async fn export_candidate_data(
        &self,
        ctx: &Context<'_>,
        input: CandidatePrivacyInput,
    ) -> Result<ExportCandidateDataPayload> {
        let rc = RequestContext::of(ctx)?;
        authorize(&rc.viewer, Action::ManagePrivacy)?;
        let outcome = match input_id(&input.candidate_id, NodeKind::Candidate, &["candidateId"]) {
            Ok(id) => privacy::export(&rc.db, &actor(rc), id).await,
            Err(err) => Err(err.into()),
        };
        match outcome {
            Ok(document) => Ok(ExportCandidateDataPayload {
                data: Some(Json(document)),
                user_errors: Vec::new(),
            }),
            Err(Failure::Rejected(user_errors)) => Ok(ExportCandidateDataPayload {
                data: None,
                user_errors,
            }),
            Err(Failure::Api(err)) => Err(err.into()),
        }
    }

    /// Erases a candidate's personal data at their request: their details
    /// are replaced, free text about them is scrubbed everywhere, active
    /// applications are withdrawn, and the audit log keeps who did what but
    /// loses the values. Applications and stage history stay, anonymous,
    /// for hiring statistics. This cannot be undone.
    async fn erase_candidate(
        &self,
        ctx: &Context<'_>,
        input: CandidatePrivacyInput,
    ) -> Result<EraseCandidatePayload> {
        let rc = RequestContext::of(ctx)?;
        authorize(&rc.viewer, Action::ManagePrivacy)?;
        let outcome = match input_id(&input.candidate_id, NodeKind::Candidate, &["candidateId"]) {
            Ok(id) => privacy::erase(&rc.db, &actor(rc), id).await,
            Err(err) => Err(err.into()),
        };
        EraseCandidatePayload::from_outcome(outcome, Candidate)
    }
}
