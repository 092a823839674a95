//! One rate of an exchange rate set: units of `currency` per one unit of the
//! set's base currency, as an exact decimal string.

use sea_orm::entity::prelude::*;

/// An exchange rate.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "exchange_rates")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub rate_set_id: i64,
    pub currency: String,
    /// E.g. `"0.92"`: one unit of the base buys this much of `currency`.
    pub rate: String,
}

/// Relations are resolved by the API's per-request loaders, not by joins here.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
