//! A dated, named set of exchange rates against one base currency. Never
//! changed once made, so a conversion that names it can be recomputed.

use sea_orm::entity::prelude::*;

/// An exchange rate set.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "exchange_rate_sets")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub name: String,
    /// The currency every rate is quoted against.
    pub base_currency: String,
    /// The day the rates were taken.
    pub effective_on: Date,
    /// Where the rates come from.
    #[sea_orm(column_type = "Text")]
    pub source: String,
    pub created_by_id: Option<i64>,
    pub created_at: DateTimeUtc,
}

/// Relations are resolved by the API's per-request loaders, not by joins here.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
