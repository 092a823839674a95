//! A skill an interview stage assesses. A stage without any assesses all of
//! its posting's skills.

use sea_orm::entity::prelude::*;

/// A skill an interview stage assesses.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "interview_stage_skills")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub stage_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub skill_id: i64,
}

/// Relations are resolved by the API's per-request loaders, not by joins here.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
