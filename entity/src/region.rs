//! A named set of countries a posting can be open to ("Remote-Africa"), or everywhere.

use sea_orm::entity::prelude::*;

/// A named set of countries a posting can be open to ("Remote-Africa"), or everywhere.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "regions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub slug: String,
    /// True for "Anywhere in the World": every country qualifies.
    pub everywhere: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

/// Relations are resolved by the API's per-request loaders, not by joins here.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
