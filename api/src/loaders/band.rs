//! Loads the compensation band offers are measured against.

use std::collections::HashMap;

use entity::compensation_band;

use super::{Load, Loaders};
use crate::domain::offers::{self, BandKey};
use crate::error::ApiError;

/// Key: the band live on a day for a job family, level, zone, currency and interval.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct LiveBand(pub BandKey);

impl Load<LiveBand> for Loaders {
    type Value = compensation_band::Model;

    async fn load(
        &self,
        keys: &[LiveBand],
    ) -> Result<HashMap<LiveBand, compensation_band::Model>, ApiError> {
        let keys: Vec<BandKey> = keys.iter().map(|k| k.0.clone()).collect();
        Ok(offers::live_bands(&self.db, &keys)
            .await?
            .into_iter()
            .map(|(key, band)| (LiveBand(key), band))
            .collect())
    }
}
