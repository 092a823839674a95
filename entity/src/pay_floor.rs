//! The lowest pay allowed in a country for an interval, over a period: a
//! statutory minimum wage or the company's own floor.

use crate::enums::{FloorKind, PayInterval};
use sea_orm::entity::prelude::*;

/// A pay floor.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "pay_floors")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub country_code: String,
    pub kind: FloorKind,
    pub currency: String,
    pub pay_interval: PayInterval,
    pub amount_minor: i64,
    pub effective_from: Date,
    pub effective_to: Option<Date>,
    /// The law or policy that sets it.
    #[sea_orm(column_type = "Text")]
    pub source: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

/// Relations are resolved by the API's per-request loaders, not by joins here.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
