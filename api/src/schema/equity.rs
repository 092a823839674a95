//! The pay-equity report (admins).

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use entity::{geo_zone, level};

use super::compensation::{GeoZone, Level};
use super::node::{NodeKind, expect_id};
use super::scalars::Date;
use crate::auth::permissions::{Action, authorize};
use crate::context::RequestContext;
use crate::domain::equity::{self, Filter, MIN_GROUP};
use crate::error::ApiError;
use crate::loaders::ById;

/// Which offers the pay-equity report covers.
#[derive(InputObject, Default)]
pub struct PayEquityFilter {
    /// Only offers on postings of this job family.
    pub job_family_id: Option<ID>,
}

/// How pay compares between the people hired at each level in each geo
/// zone: the spread of their compa-ratios and the gap between genders.
pub struct PayEquityReport {
    as_of: chrono::NaiveDate,
    cells: Vec<equity::Cell>,
}

#[Object]
impl PayEquityReport {
    /// The day the bands were read on: each offer is measured against the
    /// band live then.
    async fn as_of(&self) -> Date {
        Date(self.as_of)
    }
    /// The smallest group a gender gap is computed over; smaller groups
    /// show no gap, so that no one can be singled out.
    async fn minimum_group_size(&self) -> i32 {
        MIN_GROUP as i32
    }
    /// One entry per level and geo zone with accepted offers.
    async fn cells(&self) -> Vec<PayEquityCell> {
        self.cells.iter().cloned().map(PayEquityCell).collect()
    }
}

/// Pay at one level in one geo zone: accepted offers only, each measured by
/// its compa-ratio (base salary over its band's midpoint).
pub struct PayEquityCell(equity::Cell);

#[Object]
impl PayEquityCell {
    /// The level.
    async fn level(&self, ctx: &Context<'_>) -> Result<Option<Level>> {
        let rc = RequestContext::of(ctx)?;
        Ok(rc
            .load(ById::<level::Entity>::new(self.0.level_id))
            .await?
            .map(Level))
    }
    /// The geo zone.
    async fn geo_zone(&self, ctx: &Context<'_>) -> Result<Option<GeoZone>> {
        let rc = RequestContext::of(ctx)?;
        Ok(rc
            .load(ById::<geo_zone::Entity>::new(self.0.geo_zone_id))
            .await?
            .map(GeoZone))
    }
    /// Accepted offers measured against a band.
    async fn offers(&self) -> i32 {
        self.0.offers as i32
    }
    /// Accepted offers no band applies to; they are left out of the figures.
    async fn unmeasured_offers(&self) -> i32 {
        self.0.unmeasured as i32
    }
    /// How the compa-ratios are spread (1.0 is the band's midpoint); null
    /// when no offer could be measured.
    async fn compa_ratio(&self) -> Option<CompaRatioSpread> {
        self.0.compa_ratio.clone().map(|s| CompaRatioSpread {
            min: s.min,
            p25: s.p25,
            median: s.median,
            p75: s.p75,
            max: s.max,
            mean: s.mean,
        })
    }
    /// Pay between genders, as candidates chose to state it.
    async fn gender(&self) -> GenderPayGap {
        let g = &self.0.gender;
        GenderPayGap {
            women: g.women as i32,
            men: g.men as i32,
            non_binary: g.non_binary as i32,
            not_stated: g.not_stated as i32,
            mean_gap: g.mean_gap,
            median_gap: g.median_gap,
        }
    }
}

/// The spread of compa-ratios in a cell; quartiles interpolate between
/// the nearest ranks.
#[derive(SimpleObject)]
pub struct CompaRatioSpread {
    /// The lowest.
    pub min: f64,
    /// The first quartile.
    pub p25: f64,
    /// The median.
    pub median: f64,
    /// The third quartile.
    pub p75: f64,
    /// The highest.
    pub max: f64,
    /// The mean.
    pub mean: f64,
}

/// The gender pay gap in a cell, as the EU Pay Transparency Directive
/// defines it: the difference between men's and women's pay as a share of
/// men's, positive when men are paid more. Measured in compa-ratio, so it
/// compares pay for the same work. Gender is known only for candidates who
/// chose to state it.
#[derive(SimpleObject)]
pub struct GenderPayGap {
    /// Women among the offers.
    pub women: i32,
    /// Men among the offers.
    pub men: i32,
    /// Non-binary people among the offers.
    pub non_binary: i32,
    /// Offers whose candidate stated no gender.
    pub not_stated: i32,
    /// The gap between mean compa-ratios; null when women or men number
    /// fewer than the report's minimum group size.
    pub mean_gap: Option<f64>,
    /// The gap between median compa-ratios; null likewise.
    pub median_gap: Option<f64>,
}

/// The pay-equity report.
#[derive(Default)]
pub struct EquityQuery;

#[Object]
impl EquityQuery {
    /// How pay compares between the people hired at each level in each geo
    /// zone, for equal-pay checks and EU pay-transparency reporting (admins
    /// only).
    async fn pay_equity(
        &self,
        ctx: &Context<'_>,
        #[graphql(default, desc = "Which offers.")] filter: PayEquityFilter,
    ) -> Result<PayEquityReport> {
        let rc = RequestContext::of(ctx)?;
        authorize(&rc.viewer, Action::ReadPayEquity)?;
        let filter = Filter {
            job_family_id: filter
                .job_family_id
                .map(|id| expect_id(&id, NodeKind::JobFamily))
                .transpose()?,
        };
        let as_of = chrono::Utc::now().date_naive();
        let cells = equity::report(&rc.db, &filter, as_of)
            .await
            .map_err(ApiError::from)?;
        Ok(PayEquityReport { as_of, cells })
    }
}
