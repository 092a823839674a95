//! Loads the salary range of many postings at once.

use std::collections::HashMap;

use super::{Load, Loaders};
use crate::domain::compensation::{self, SalaryRange};
use crate::error::ApiError;

/// Key: the salary range of posting `id`, derived from live bands.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct SalaryRangeOf(pub i64);

impl Load<SalaryRangeOf> for Loaders {
    type Value = Option<SalaryRange>;

    async fn load(
        &self,
        keys: &[SalaryRangeOf],
    ) -> Result<HashMap<SalaryRangeOf, Option<SalaryRange>>, ApiError> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let today = chrono::Utc::now().date_naive();
        let ranges = compensation::posting_salary_ranges(&self.db, &ids, today).await?;
        Ok(ids
            .into_iter()
            .map(|id| (SalaryRangeOf(id), ranges.get(&id).cloned()))
            .collect())
    }
}
