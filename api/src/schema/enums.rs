//! The API's enums. Each mirrors an entity enum value for value (generated
//! conversions keep the two in step); the doc comments are what GraphiQL shows.

use async_graphql::Enum;
use entity::enums as db;

/// What a staff user may do in hiregraph.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "db::Role")]
pub enum Role {
    /// Everything, including staff accounts and compensation structure.
    Admin,
    /// Runs hiring: postings, candidates, reference data.
    Recruiter,
    /// Owns postings and decides on candidates.
    HiringManager,
    /// Interviews candidates and submits scorecards.
    Interviewer,
}

/// The career track a level belongs to.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "db::Track")]
pub enum Track {
    /// Individual contributor.
    IndividualContributor,
    /// People manager.
    Manager,
}

/// The period a pay amount refers to.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "db::PayInterval")]
pub enum PayInterval {
    /// Per year.
    Year,
    /// Per hour.
    Hour,
}

/// Where a posting is in its life: DRAFT, then OPEN (taking applications),
/// possibly PAUSED and reopened, and finally CLOSED.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "db::PostingStatus")]
pub enum PostingStatus {
    /// Being written; visible to staff only.
    Draft,
    /// Published on the careers site and taking applications.
    Open,
    /// Temporarily not taking applications; hidden from the careers site.
    Paused,
    /// Finished (filled or cancelled).
    Closed,
}

/// The kind of contract a posting offers.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "db::EmploymentType")]
pub enum EmploymentType {
    /// Full-time employment.
    FullTime,
    /// Part-time employment.
    PartTime,
    /// A fixed-term or freelance contract.
    Contract,
    /// An internship.
    Internship,
    /// A temporary position.
    Temporary,
}

/// Where the work is done.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "db::WorkplaceType")]
pub enum WorkplaceType {
    /// From anywhere the posting's regions allow.
    Remote,
    /// Partly from an office.
    Hybrid,
    /// From an office.
    OnSite,
}

/// Why a posting was closed.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "db::CloseReason")]
pub enum CloseReason {
    /// Every opening was filled.
    Filled,
    /// The position is no longer needed.
    Cancelled,
}

/// Whether a skill is required for a posting.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "db::SkillRequirement")]
pub enum SkillRequirement {
    /// Candidates must have it.
    MustHave,
    /// A plus, not required.
    NiceToHave,
}

/// What happens at a stage of an interview plan.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "db::StageKind")]
pub enum StageKind {
    /// A recruiter reviews the application.
    ApplicationReview,
    /// A first conversation with a recruiter.
    RecruiterScreen,
    /// An interview with the hiring team.
    Interview,
    /// The candidate works on an exercise on their own time.
    TakeHomeExercise,
    /// Engineers review the candidate's exercise.
    ExerciseReview,
    /// References are contacted.
    ReferenceCheck,
    /// Prior employment is verified.
    EmploymentVerification,
    /// An offer is prepared and made.
    Offer,
}

/// Whether a stage is a meeting or work done on one's own time.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "db::StageMode")]
pub enum StageMode {
    /// A scheduled meeting.
    Sync,
    /// Done on one's own time before a due date (reviews, take-home exercises).
    Async,
}

/// How a candidate came to us.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "db::CandidateSource")]
pub enum CandidateSource {
    /// Applied on the careers site.
    CareersSite,
    /// Referred by someone at the company.
    Referral,
    /// Found and approached by a recruiter.
    Sourced,
    /// Introduced by a recruiting agency.
    Agency,
    /// Any other way.
    Other,
}

/// Where an application stands.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "db::ApplicationStatus")]
pub enum ApplicationStatus {
    /// In the process.
    Active,
    /// Not moving forward.
    Rejected,
    /// The candidate withdrew.
    Withdrawn,
    /// Hired.
    Hired,
}

/// Why an application was rejected.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "db::RejectionReason")]
pub enum RejectionReason {
    /// Not a fit for the role.
    NotAFit,
    /// Lacks one or more must-have skills.
    LacksRequiredSkills,
    /// Lives where the posting cannot hire.
    LocationNotSupported,
    /// Expectations and the band do not meet.
    CompensationMismatch,
    /// The position was filled.
    PositionFilled,
    /// Stopped answering.
    Unresponsive,
    /// Another reason; see the note.
    Other,
}

/// An interviewer's overall recommendation, on four levels.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "db::Recommendation")]
pub enum Recommendation {
    /// Definitely not.
    StrongNo,
    /// Not.
    No,
    /// Yes.
    Yes,
    /// Definitely yes.
    StrongYes,
}

/// Where an interview stands.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "db::InterviewStatus")]
pub enum InterviewStatus {
    /// Planned.
    Scheduled,
    /// Took place (or the assignment was submitted).
    Completed,
    /// Called off.
    Cancelled,
    /// The candidate did not attend.
    NoShow,
}

/// Where a version of an offer stands. An offer moves DRAFT →
/// PENDING_APPROVAL → APPROVED → SENT → ACCEPTED or DECLINED; it can be
/// WITHDRAWN until the candidate answers; revising it replaces it with a new
/// version and marks this one SUPERSEDED.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "db::OfferStatus")]
pub enum OfferStatus {
    /// Being prepared; submit it for approval when the terms are ready.
    Draft,
    /// Waiting for the posting's hiring manager or an admin to approve or reject it.
    PendingApproval,
    /// Approved; ready to be sent to the candidate.
    Approved,
    /// With the candidate, who has not answered yet.
    Sent,
    /// The candidate accepted; the application is hired.
    Accepted,
    /// The candidate declined.
    Declined,
    /// Withdrawn before the candidate accepted it.
    Withdrawn,
    /// Replaced by a later version with revised terms; kept as it was, for the record.
    Superseded,
}

/// An approver's decision on an offer.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "db::ApprovalDecision")]
pub enum ApprovalDecision {
    /// Not decided yet.
    Pending,
    /// Approved: the offer may be sent.
    Approved,
    /// Rejected: the offer went back to DRAFT; the comment says why.
    Rejected,
}

/// A gender a candidate may choose to state about themselves.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "db::Gender")]
pub enum Gender {
    /// A woman.
    Woman,
    /// A man.
    Man,
    /// Non-binary.
    NonBinary,
}

/// Where a pay floor comes from.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "db::FloorKind")]
pub enum FloorKind {
    /// The law: a statutory minimum wage.
    Statutory,
    /// The company's own floor, above the law's.
    Company,
}

/// Whether a band set is still being prepared or pays from its date.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "db::BandSetStatus")]
pub enum BandSetStatus {
    /// Being prepared: its bands apply to nothing yet.
    Draft,
    /// Made live: its bands apply from the set's date.
    Live,
}
