//! Loads what the salary ranges of postings are derived from (the zones and
//! the live bands; the postings' levels and regions come through the common
//! loaders, shared with the rest of the request), and what the
//! pay-transparency rules look at in postings.

use std::collections::HashMap;
use std::sync::Arc;

use entity::compensation_band;

use super::{Load, Loaders};
use crate::domain::compensation::{self, PayReference};
use crate::domain::transparency::{self, PostingFacts};
use crate::error::ApiError;

/// Key: the geo zones and the zone of each country (one for the request).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct PayReferenceOf;

impl Load<PayReferenceOf> for Loaders {
    type Value = Arc<PayReference>;

    async fn load(
        &self,
        _keys: &[PayReferenceOf],
    ) -> Result<HashMap<PayReferenceOf, Arc<PayReference>>, ApiError> {
        let reference = compensation::pay_reference(&self.db).await?;
        Ok(HashMap::from([(PayReferenceOf, Arc::new(reference))]))
    }
}

/// Key: the bands of job family `family` at level `level` that apply today.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct LiveBandsOf {
    /// The job family.
    pub family: i64,
    /// The level.
    pub level: i64,
}

impl Load<LiveBandsOf> for Loaders {
    type Value = Vec<compensation_band::Model>;

    async fn load(
        &self,
        keys: &[LiveBandsOf],
    ) -> Result<HashMap<LiveBandsOf, Vec<compensation_band::Model>>, ApiError> {
        let today = chrono::Utc::now().date_naive();
        let bands = compensation::live_bands(
            &self.db,
            keys.iter().map(|k| k.family).collect(),
            keys.iter().map(|k| k.level).collect(),
            today,
        )
        .await?;
        let mut grouped: HashMap<LiveBandsOf, Vec<compensation_band::Model>> =
            keys.iter().map(|k| (*k, Vec::new())).collect();
        for band in bands {
            let key = LiveBandsOf {
                family: band.job_family_id,
                level: band.level_id,
            };
            if let Some(list) = grouped.get_mut(&key) {
                list.push(band);
            }
        }
        Ok(grouped)
    }
}

/// Key: what the pay-transparency rules look at in posting `id`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct PostingFactsOf(pub i64);

impl Load<PostingFactsOf> for Loaders {
    type Value = PostingFacts;

    async fn load(
        &self,
        keys: &[PostingFactsOf],
    ) -> Result<HashMap<PostingFactsOf, PostingFacts>, ApiError> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let today = chrono::Utc::now().date_naive();
        let facts = transparency::posting_facts(&self.db, &ids, today).await?;
        Ok(facts
            .into_iter()
            .map(|(id, facts)| (PostingFactsOf(id), facts))
            .collect())
    }
}
