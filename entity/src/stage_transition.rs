//! One entry of an application's append-only history.

use crate::enums::ApplicationStatus;
use sea_orm::entity::prelude::*;

/// One entry of an application's append-only history.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "stage_transitions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub application_id: i64,
    pub from_stage_id: Option<i64>,
    pub to_stage_id: i64,
    pub from_status: Option<ApplicationStatus>,
    pub to_status: ApplicationStatus,
    /// The staff user who made the change; absent when the candidate did (applying).
    pub actor_id: Option<i64>,
    #[sea_orm(column_type = "Text", nullable)]
    pub reason: Option<String>,
    pub occurred_at: DateTimeUtc,
}

/// Relations are resolved by the API's per-request loaders, not by joins here.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
