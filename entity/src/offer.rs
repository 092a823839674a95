//! One version of an offer made on an application.

use crate::enums::{OfferStatus, PayInterval};
use sea_orm::entity::prelude::*;

/// One version of an offer made on an application.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "offers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub application_id: i64,
    pub version: i32,
    pub status: OfferStatus,
    pub level_id: Option<i64>,
    pub geo_zone_id: Option<i64>,
    /// The team the candidate joins; settles a posting open to several teams.
    pub team_id: Option<i64>,
    pub currency: String,
    pub pay_interval: PayInterval,
    pub base_salary_minor: i64,
    pub start_date: Option<Date>,
    pub expires_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text", nullable)]
    pub notes: Option<String>,
    /// Why an offer outside its band was made anyway.
    #[sea_orm(column_type = "Text", nullable)]
    pub exception_reason: Option<String>,
    /// The exchange rate set that converted the salary into its band's
    /// currency, when the two differ.
    pub exchange_rate_set_id: Option<i64>,
    pub created_by_id: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

/// Relations are resolved by the API's per-request loaders, not by joins here.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
