//! An interviewer's assessment of one interview.

use crate::enums::Recommendation;
use sea_orm::entity::prelude::*;

/// An interviewer's assessment of one interview.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "scorecards")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub interview_id: i64,
    pub interviewer_id: i64,
    pub recommendation: Option<Recommendation>,
    #[sea_orm(column_type = "Text", nullable)]
    pub notes: Option<String>,
    pub submitted_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

/// Relations are resolved by the API's per-request loaders, not by joins here.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
