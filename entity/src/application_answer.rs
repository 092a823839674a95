//! An applicant's answer to one of the posting's questions.

use sea_orm::entity::prelude::*;

/// An applicant's answer to one of the posting's questions.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "application_answers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub application_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub question_id: i64,
    #[sea_orm(column_type = "Text")]
    pub answer: String,
}

/// Relations are resolved by the API's per-request loaders, not by joins here.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
