//! An admin's decision to publish a posting that fails a pay-transparency rule.

use sea_orm::entity::prelude::*;

/// An admin's decision to publish a posting that fails a pay-transparency rule.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "pay_transparency_overrides")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub posting_id: i64,
    pub user_id: i64,
    #[sea_orm(column_type = "Text")]
    pub reason: String,
    /// The `version` of the rules the posting failed.
    pub rule_version: String,
    /// The codes of the jurisdictions it failed, as a JSON array.
    #[sea_orm(column_type = "Text")]
    pub jurisdictions: String,
    pub created_at: DateTimeUtc,
}

/// Relations are resolved by the API's per-request loaders, not by joins here.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
