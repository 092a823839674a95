//! Loads the funnel figures of many postings at once.

use std::collections::HashMap;

use super::{Load, Loaders};
use crate::domain::funnel::{self, Funnel};
use crate::error::ApiError;

/// Key: the funnel figures of posting `id`, computed from its transition log.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct FunnelOf(pub i64);

impl Load<FunnelOf> for Loaders {
    type Value = Funnel;

    async fn load(&self, keys: &[FunnelOf]) -> Result<HashMap<FunnelOf, Funnel>, ApiError> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let funnels = funnel::posting_funnels(&self.db, &ids).await?;
        Ok(funnels
            .into_iter()
            .map(|(id, funnel)| (FunnelOf(id), funnel))
            .collect())
    }
}
