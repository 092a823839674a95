//! What a candidate chose to state about themselves for pay-equity
//! reporting, with its own consent. Read only in aggregate.

use crate::enums::Gender;
use sea_orm::entity::prelude::*;

/// A candidate's voluntary self-identification.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "candidate_self_identifications")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub candidate_id: i64,
    pub gender: Gender,
    /// When the candidate consented to this use of it.
    pub consent_given_at: DateTimeUtc,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

/// Relations are resolved by the API's per-request loaders, not by joins here.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
