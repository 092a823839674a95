//! A candidate's application to a posting.

use crate::enums::{ApplicationStatus, RejectionReason};
use sea_orm::entity::prelude::*;

/// A candidate's application to a posting.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "applications")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub candidate_id: i64,
    pub posting_id: i64,
    pub current_stage_id: i64,
    pub status: ApplicationStatus,
    pub rejection_reason: Option<RejectionReason>,
    #[sea_orm(column_type = "Text", nullable)]
    pub rejection_note: Option<String>,
    /// The team the candidate is heading to, once decided.
    pub team_id: Option<i64>,
    /// Increases with every change; clients send it back to detect conflicting edits.
    pub version: i32,
    pub applied_at: DateTimeUtc,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

/// Relations are resolved by the API's per-request loaders, not by joins here.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
