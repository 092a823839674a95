//! A skill a posting asks for, as a must-have or a nice-to-have.

use crate::enums::SkillRequirement;
use sea_orm::entity::prelude::*;

/// A skill a posting asks for, as a must-have or a nice-to-have.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "posting_skills")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub posting_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub skill_id: i64,
    pub requirement: SkillRequirement,
    pub position: i32,
}

/// Relations are resolved by the API's per-request loaders, not by joins here.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
