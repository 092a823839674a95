//! A staff member who works in hiregraph: recruiter, hiring manager, interviewer or admin.

use crate::enums::Role;
use sea_orm::entity::prelude::*;

/// A staff member who works in hiregraph: recruiter, hiring manager, interviewer or admin.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Lower-cased, unique.
    pub email: String,
    pub name: String,
    pub role: Role,
    /// IANA time zone name, e.g. `Africa/Lagos`.
    pub time_zone: String,
    pub active: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

/// Relations are resolved by the API's per-request loaders, not by joins here.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
