//! A job posting.

use crate::enums::{CloseReason, EmploymentType, PayInterval, PostingStatus, WorkplaceType};
use sea_orm::entity::prelude::*;

/// A job posting.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "postings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub job_family_id: Option<i64>,
    pub status: PostingStatus,
    pub employment_type: EmploymentType,
    pub workplace_type: WorkplaceType,
    /// Absent when the role starts as soon as possible.
    pub start_date: Option<Date>,
    pub openings: i32,
    pub hiring_manager_id: Option<i64>,
    pub recruiter_id: Option<i64>,
    pub published_at: Option<DateTimeUtc>,
    pub closed_at: Option<DateTimeUtc>,
    pub close_reason: Option<CloseReason>,
    /// A general description of the benefits, for pay-transparency laws.
    #[sea_orm(column_type = "Text", nullable)]
    pub benefits: Option<String>,
    /// Bonuses, commissions, equity (or that there are none).
    #[sea_orm(column_type = "Text", nullable)]
    pub other_compensation: Option<String>,
    /// The last day applications are taken.
    pub application_deadline: Option<Date>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// The salary range shown when the posting was last published, resumed
    /// or republished (all five are set together, or none).
    pub published_salary_currency: Option<String>,
    pub published_salary_interval: Option<PayInterval>,
    pub published_salary_min_minor: Option<i64>,
    pub published_salary_max_minor: Option<i64>,
    pub published_salary_at: Option<DateTimeUtc>,
}

/// Relations are resolved by the API's per-request loaders, not by joins here.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
