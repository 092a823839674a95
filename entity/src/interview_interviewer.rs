//! A staff user taking part in an interview.

use sea_orm::entity::prelude::*;

/// A staff user taking part in an interview.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "interview_interviewers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub interview_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: i64,
}

/// Relations are resolved by the API's per-request loaders, not by joins here.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
