//! Which entities have ids ([`Keyed`]) and which hang under a parent
//! ([`HasParent`]), so the generic loaders can serve them.

use entity::*;
use sea_orm::EntityTrait;

use crate::db::page::Keyed;

macro_rules! keyed {
    ($($module:ident),+ $(,)?) => {$(
        impl Keyed for $module::Entity {
            fn id_column() -> $module::Column {
                $module::Column::Id
            }
            fn id_of(model: &$module::Model) -> i64 {
                model.id
            }
        }
    )+};
}

keyed!(
    application,
    audit_event,
    band_set,
    candidate,
    compensation_band,
    exchange_rate_set,
    geo_zone,
    interview,
    interview_stage,
    job_family,
    level,
    offer,
    pay_floor,
    posting,
    posting_question,
    region,
    scorecard,
    skill,
    stage_transition,
    team,
    user,
);

/// An entity whose rows belong to a parent row, listed in a fixed order.
pub trait HasParent: EntityTrait {
    /// The column holding the parent's id.
    fn parent_column() -> Self::Column;
    /// The parent of a row.
    fn parent_id(model: &Self::Model) -> i64;
    /// The columns the rows of one parent are listed by.
    fn order() -> Vec<Self::Column>;
}

macro_rules! has_parent {
    ($($module:ident: $column:ident ($field:ident) order [$($order:ident),*];)+) => {$(
        impl HasParent for $module::Entity {
            fn parent_column() -> $module::Column {
                $module::Column::$column
            }
            fn parent_id(model: &$module::Model) -> i64 {
                model.$field
            }
            fn order() -> Vec<$module::Column> {
                vec![$($module::Column::$order),*]
            }
        }
    )+};
}

has_parent! {
    scorecard_rating: ScorecardId (scorecard_id) order [SkillId];
    scorecard: InterviewId (interview_id) order [Id];
    posting_question: PostingId (posting_id) order [Position];
    interview_stage_skill: StageId (stage_id) order [SkillId];
    application_answer: ApplicationId (application_id) order [QuestionId];
    posting_section: PostingId (posting_id) order [Position];
    posting_responsibility: PostingId (posting_id) order [Position];
    posting_skill: PostingId (posting_id) order [Position, SkillId];
    posting_region: PostingId (posting_id) order [RegionId];
    posting_team: PostingId (posting_id) order [TeamId];
    posting_level: PostingId (posting_id) order [LevelId];
    interview_stage: PostingId (posting_id) order [Position];
    region_country: RegionId (region_id) order [CountryCode];
    geo_zone_country: GeoZoneId (geo_zone_id) order [CountryCode];
    interview_interviewer: InterviewId (interview_id) order [UserId];
    stage_transition: ApplicationId (application_id) order [OccurredAt, Id];
    offer: ApplicationId (application_id) order [Version];
    offer_approval: OfferId (offer_id) order [Id];
    exchange_rate: RateSetId (rate_set_id) order [Currency];
    pay_range_disclosure: ApplicationId (application_id) order [DisclosedAt, Id];
}
