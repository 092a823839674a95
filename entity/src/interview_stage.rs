//! A stage of a posting's interview plan.

use crate::enums::{StageKind, StageMode};
use sea_orm::entity::prelude::*;

/// A stage of a posting's interview plan.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "interview_stages")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub posting_id: i64,
    pub position: i32,
    pub name: String,
    pub kind: StageKind,
    pub mode: StageMode,
    pub duration_minutes: Option<i32>,
    /// Hours the stage should take at most (for an asynchronous stage: the time allowed).
    pub sla_hours: Option<i32>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

/// Relations are resolved by the API's per-request loaders, not by joins here.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
