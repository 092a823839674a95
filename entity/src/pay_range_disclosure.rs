//! When an applicant was shown the pay range, how, and which range.

use crate::enums::{DisclosureKind, PayInterval};
use sea_orm::entity::prelude::*;

/// When an applicant was shown the pay range, how, and which range.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "pay_range_disclosures")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub application_id: i64,
    pub how: DisclosureKind,
    pub currency: String,
    pub min_minor: i64,
    pub max_minor: i64,
    pub pay_interval: PayInterval,
    pub disclosed_at: DateTimeUtc,
    /// The staff user who recorded it; absent for the careers site.
    pub user_id: Option<i64>,
}

/// Relations are resolved by the API's per-request loaders, not by joins here.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
