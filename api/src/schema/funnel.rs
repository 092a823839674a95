//! Funnel figures of a posting: how its applications have moved through the
//! interview plan. Computed in SQL from every application's history (see
//! `domain::funnel`), for all the postings of a query at once.

use async_graphql::Object;

use super::enums::{CandidateSource, RejectionReason};
use super::interview::InterviewStage;
use super::scalars::Duration;
use crate::domain::funnel::{Funnel, StageFigures};

/// A posting's funnel figures (see [`Funnel`]).
#[derive(Clone)]
pub struct PostingFunnel(pub Funnel);

/// How a posting's applications have moved through its interview plan,
/// computed from the full history of every application: where they are now,
/// how many reached each stage and went further, how long stages take, and
/// how the posting hires, rejects and attracts candidates.
#[Object]
impl PostingFunnel {
    /// Every application to the posting, whatever its status: active,
    /// rejected, withdrawn or hired.
    async fn total_applications(&self) -> i64 {
        self.0.total_applications
    }
    /// Every stage of the interview plan, in plan order, with its figures.
    /// Stages nobody has reached yet are listed too, with zeros.
    async fn stages(&self) -> Vec<FunnelStage> {
        self.0.stages.iter().cloned().map(FunnelStage).collect()
    }
    /// Applications whose candidate was hired.
    async fn hired(&self) -> i64 {
        self.0.hired
    }
    /// The median time from applying to being hired, over the hired
    /// applications (half were hired faster, half slower). Null when nobody
    /// has been hired yet.
    async fn time_to_hire(&self) -> Option<Duration> {
        self.0.time_to_hire_seconds.map(Duration::from_seconds)
    }
    /// Applications that are rejected now, counted by the reason recorded,
    /// most frequent first. Reasons nobody was rejected for are left out; an
    /// application that was rejected and later reopened no longer counts.
    async fn rejections_by_reason(&self) -> Vec<ReasonCount> {
        self.0
            .rejections
            .iter()
            .map(|(reason, count)| ReasonCount {
                reason: (*reason).into(),
                count: *count,
            })
            .collect()
    }
    /// Every application, whatever its status, counted by how its candidate
    /// came to us (careers site, referral, sourcing, agency...), most frequent
    /// first. Sources no application came from are left out.
    async fn applications_by_source(&self) -> Vec<SourceCount> {
        self.0
            .sources
            .iter()
            .map(|(source, count)| SourceCount {
                source: (*source).into(),
                count: *count,
            })
            .collect()
    }
}

/// The funnel figures of one stage (see [`StageFigures`]).
#[derive(Clone)]
pub struct FunnelStage(pub StageFigures);

/// One stage of a posting's funnel: how many applications are at it now,
/// how many ever reached it, how many of those went further, and how long
/// applications stay at it.
#[Object]
impl FunnelStage {
    /// The stage of the interview plan.
    async fn stage(&self) -> InterviewStage {
        InterviewStage(self.0.stage.clone())
    }
    /// Active applications at this stage right now. Rejected, withdrawn and
    /// hired applications are not counted, even if this is where they stopped.
    async fn current(&self) -> i64 {
        self.0.current
    }
    /// Applications that ever reached this stage, whatever happened to them
    /// afterwards. Each application counts once, even if it reached the stage
    /// several times (after being moved back); applications that skipped the
    /// stage are not counted.
    async fn entered(&self) -> i64 {
        self.0.entered
    }
    /// Of the applications that reached this stage, those that afterwards
    /// reached a later stage of the plan, directly or by skipping stages.
    /// Being moved back to an earlier stage is not advancing.
    async fn advanced(&self) -> i64 {
        self.0.advanced
    }
    /// `advanced` divided by `entered`, from 0 to 1: 0.25 means a quarter of
    /// the applications that reached this stage went further. Null when no
    /// application has reached the stage.
    async fn conversion_rate(&self) -> Option<f64> {
        self.0.conversion_rate()
    }
    /// The median time an application spent at this stage before being moved
    /// to another stage (half moved on faster, half slower). Only finished
    /// stays count: applications still at the stage, or rejected, withdrawn
    /// or hired at it, are left out. An application that reached the stage
    /// twice counts each stay. Null when no stay at the stage has finished.
    async fn median_time_in_stage(&self) -> Option<Duration> {
        self.0.median_seconds.map(Duration::from_seconds)
    }
}

/// How many applications were rejected for one reason.
#[derive(async_graphql::SimpleObject, Clone, Debug)]
pub struct ReasonCount {
    /// Why they were rejected.
    pub reason: RejectionReason,
    /// How many applications are rejected for this reason.
    pub count: i64,
}

/// How many applications came from candidates found one way.
#[derive(async_graphql::SimpleObject, Clone, Debug)]
pub struct SourceCount {
    /// How the candidates came to us.
    pub source: CandidateSource,
    /// How many applications their candidates made to the posting.
    pub count: i64,
}
