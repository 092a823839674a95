//! A pay range for a job family at a level in a geo zone.

use crate::enums::PayInterval;
use sea_orm::entity::prelude::*;

/// A pay range for a job family at a level in a geo zone.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "compensation_bands")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub job_family_id: i64,
    pub level_id: i64,
    pub geo_zone_id: i64,
    pub currency: String,
    pub pay_interval: PayInterval,
    /// Minimum, in minor units of `currency`.
    pub min_minor: i64,
    /// Maximum, in minor units of `currency`.
    pub max_minor: i64,
    /// Midpoint, in minor units of `currency`; between the minimum and maximum.
    pub mid_minor: i64,
    /// The band set it belongs to; a band in a DRAFT set is not live.
    pub band_set_id: Option<i64>,
    pub effective_from: Date,
    /// Exclusive end; open-ended when absent.
    pub effective_to: Option<Date>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

/// Relations are resolved by the API's per-request loaders, not by joins here.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
