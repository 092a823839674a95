//! A question a posting asks applicants, in order.

use sea_orm::entity::prelude::*;

/// A question a posting asks applicants, in order.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "posting_questions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub posting_id: i64,
    pub position: i32,
    pub prompt: String,
    /// Applicants must answer it.
    pub required: bool,
}

/// Relations are resolved by the API's per-request loaders, not by joins here.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
