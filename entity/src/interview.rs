//! A meeting or an asynchronous assignment at a stage of an application.

use crate::enums::InterviewStatus;
use sea_orm::entity::prelude::*;

/// A meeting or an asynchronous assignment at a stage of an application.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "interviews")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub application_id: i64,
    pub stage_id: i64,
    pub status: InterviewStatus,
    pub starts_at: DateTimeUtc,
    pub ends_at: Option<DateTimeUtc>,
    /// The IANA zone the interview is shown in.
    pub time_zone: String,
    pub meeting_url: Option<String>,
    pub due_at: Option<DateTimeUtc>,
    pub submitted_at: Option<DateTimeUtc>,
    pub submission_url: Option<String>,
    /// Why the interview was cancelled.
    #[sea_orm(column_type = "Text", nullable)]
    pub cancel_reason: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

/// Relations are resolved by the API's per-request loaders, not by joins here.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
