//! Loads the salary ranges of many postings at once, and what the
//! pay-transparency rules look at in them.

use std::collections::HashMap;

use super::{Load, Loaders};
use crate::domain::compensation::{self, PostingPay};
use crate::domain::transparency::{self, PostingFacts};
use crate::error::ApiError;

/// Key: the overall range and the per-zone tiers of posting `id`, from live bands.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct PostingPayOf(pub i64);

impl Load<PostingPayOf> for Loaders {
    type Value = PostingPay;

    async fn load(
        &self,
        keys: &[PostingPayOf],
    ) -> Result<HashMap<PostingPayOf, PostingPay>, ApiError> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let today = chrono::Utc::now().date_naive();
        let mut pay = compensation::posting_pay(&self.db, &ids, today).await?;
        Ok(ids
            .into_iter()
            .map(|id| (PostingPayOf(id), pay.remove(&id).unwrap_or_default()))
            .collect())
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
