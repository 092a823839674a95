//! The string-backed enums stored in the database. Each value is stored as its
//! SCREAMING_SNAKE_CASE name, the same spelling the migrations' `CHECK`
//! constraints list and the GraphQL API shows.

use sea_orm::entity::prelude::*;

macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, serde::Serialize)]
        #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
        #[sea_orm(
            rs_type = "String",
            db_type = "String(StringLen::N(32))",
            rename_all = "SCREAMING_SNAKE_CASE"
        )]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }
    };
}

string_enum! {
    /// What a staff user may do in hiregraph.
    Role { Admin, Recruiter, HiringManager, Interviewer }
}

string_enum! {
    /// The career track a level belongs to.
    Track { IndividualContributor, Manager }
}

string_enum! {
    /// The period a pay amount refers to.
    PayInterval { Year, Hour }
}

string_enum! {
    /// Where a posting is in its life: DRAFT → OPEN ⇄ PAUSED → CLOSED.
    PostingStatus { Draft, Open, Paused, Closed }
}

string_enum! {
    /// The kind of contract a posting offers.
    EmploymentType { FullTime, PartTime, Contract, Internship, Temporary }
}

string_enum! {
    /// Where the work is done.
    WorkplaceType { Remote, Hybrid, OnSite }
}

string_enum! {
    /// Why a posting was closed.
    CloseReason { Filled, Cancelled }
}

string_enum! {
    /// Whether a posting's skill is required.
    SkillRequirement { MustHave, NiceToHave }
}

string_enum! {
    /// What happens at a stage of an interview plan.
    StageKind {
        ApplicationReview,
        RecruiterScreen,
        Interview,
        TakeHomeExercise,
        ExerciseReview,
        ReferenceCheck,
        EmploymentVerification,
        Offer,
    }
}

string_enum! {
    /// Whether a stage is a meeting (SYNC) or work done on one's own time (ASYNC).
    StageMode { Sync, Async }
}

string_enum! {
    /// How a candidate came to us.
    CandidateSource { CareersSite, Referral, Sourced, Agency, Other }
}

string_enum! {
    /// Where an application stands.
    ApplicationStatus { Active, Rejected, Withdrawn, Hired }
}

string_enum! {
    /// Why an application was rejected.
    RejectionReason {
        NotAFit,
        LacksRequiredSkills,
        LocationNotSupported,
        CompensationMismatch,
        PositionFilled,
        Unresponsive,
        Other,
    }
}

string_enum! {
    /// Where an interview stands.
    InterviewStatus { Scheduled, Completed, Cancelled, NoShow }
}

string_enum! {
    /// A scorecard's overall recommendation, on four levels.
    Recommendation { StrongNo, No, Yes, StrongYes }
}

string_enum! {
    /// Where an offer stands.
    OfferStatus { Draft, PendingApproval, Approved, Sent, Accepted, Declined, Withdrawn, Superseded }
}

string_enum! {
    /// An approver's decision on an offer.
    ApprovalDecision { Pending, Approved, Rejected }
}

string_enum! {
    /// A candidate's gender, as they chose to state it (voluntary
    /// self-identification, for pay-equity reporting only).
    Gender { Woman, Man, NonBinary }
}

string_enum! {
    /// Where a pay floor comes from: the law (a minimum wage) or the company.
    FloorKind { Statutory, Company }
}

string_enum! {
    /// Whether a band set is still being prepared or pays from its date.
    BandSetStatus { Draft, Live }
}

string_enum! {
    /// How an applicant was shown a posting's pay range.
    DisclosureKind { Posting, Explicit }
}
