//! A named group of compensation bands made live together from one date.

use crate::enums::BandSetStatus;
use sea_orm::entity::prelude::*;

/// A named group of compensation bands made live together from one date.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "band_sets")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub status: BandSetStatus,
    /// The day the set's bands apply from; absent while DRAFT.
    pub effective_from: Option<Date>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

/// Relations are resolved by the API's per-request loaders, not by joins here.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
