//! Loads the scorecards of many applications at once.

use std::collections::HashMap;

use entity::{interview, scorecard};
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::{Load, Loaders};
use crate::error::ApiError;

/// Key: the scorecards of every interview of application `id`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ScorecardsOf(pub i64);

impl Load<ScorecardsOf> for Loaders {
    type Value = Vec<scorecard::Model>;

    async fn load(
        &self,
        keys: &[ScorecardsOf],
    ) -> Result<HashMap<ScorecardsOf, Vec<scorecard::Model>>, ApiError> {
        let applications: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let interviews: HashMap<i64, i64> = interview::Entity::find()
            .filter(interview::Column::ApplicationId.is_in(applications.iter().copied()))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|i| (i.id, i.application_id))
            .collect();
        let of_interviews = Query::select()
            .column(interview::Column::Id)
            .from(interview::Entity)
            .and_where(interview::Column::ApplicationId.is_in(applications))
            .take();
        let mut grouped: HashMap<ScorecardsOf, Vec<scorecard::Model>> =
            keys.iter().map(|k| (*k, Vec::new())).collect();
        for card in scorecard::Entity::find()
            .filter(scorecard::Column::InterviewId.in_subquery(of_interviews))
            .order_by_asc(scorecard::Column::Id)
            .all(&self.db)
            .await?
        {
            if let Some(application) = interviews.get(&card.interview_id) {
                grouped
                    .entry(ScorecardsOf(*application))
                    .or_default()
                    .push(card);
            }
        }
        Ok(grouped)
    }
}
