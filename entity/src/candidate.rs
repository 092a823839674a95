//! A person who applies; one candidate may have many applications.

use crate::enums::CandidateSource;
use sea_orm::entity::prelude::*;

/// A person who applies; one candidate may have many applications.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "candidates")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// As entered.
    pub email: String,
    /// Trimmed and lower-cased; unique.
    pub email_normalized: String,
    pub name: String,
    pub country_code: Option<String>,
    pub time_zone: Option<String>,
    pub phone: Option<String>,
    /// A JSON array of URLs (profile, portfolio, code).
    pub links: Json,
    pub source: CandidateSource,
    pub source_detail: Option<String>,
    pub consent_given_at: Option<DateTimeUtc>,
    pub retain_until: Option<Date>,
    /// When the candidate's personal data was erased; they remain, anonymous.
    pub erased_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

/// Relations are resolved by the API's per-request loaders, not by joins here.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
