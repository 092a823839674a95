//! Pay equity: how the pay of the people hired at one level in one geo zone
//! compares, overall and between genders.
//!
//! The report reads accepted offers: what people are actually paid. Each is
//! measured by its compa-ratio (base salary over its band's midpoint), which
//! makes offers of different job families, currencies and intervals
//! comparable within a cell of level × zone.
//!
//! Gender gaps follow the EU Pay Transparency Directive (2023/970): the
//! difference between men's and women's mean (and median) pay as a share of
//! men's, positive when men are paid more. Within a cell everyone is paid
//! against the band of the same work, so the gap in compa-ratio is the pay
//! gap for work of equal value. Gender is known only for candidates who
//! chose to state it, with its own consent; the rest count as not stated.
//! A gap is shown only when both groups have at least [`MIN_GROUP`] people:
//! over fewer, it would point at individuals.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use entity::enums::{Gender, OfferStatus};
use entity::{application, candidate_self_identification, offer, posting};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

use super::offers::{BandCheck, BandKey, live_bands};
use super::rates;

/// The smallest group a gap is computed over.
pub const MIN_GROUP: usize = 5;

/// Which offers the report covers.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// Only offers on postings of this job family.
    pub job_family_id: Option<i64>,
}

/// One level in one geo zone.
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    pub level_id: i64,
    pub geo_zone_id: i64,
    /// Accepted offers measured against a band.
    pub offers: usize,
    /// Accepted offers no band applies to (left out of the figures).
    pub unmeasured: usize,
    /// The spread of compa-ratios; `None` when no offer was measured.
    pub compa_ratio: Option<Spread>,
    pub gender: GenderGap,
}

/// How a set of values is spread.
#[derive(Clone, Debug, PartialEq)]
pub struct Spread {
    pub min: f64,
    pub p25: f64,
    pub median: f64,
    pub p75: f64,
    pub max: f64,
    pub mean: f64,
}

impl Spread {
    /// The spread of `values`; `None` when there are none.
    pub fn of(values: &[f64]) -> Option<Spread> {
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        let (first, last) = (sorted.first()?, sorted.last()?);
        Some(Spread {
            min: *first,
            p25: quantile(&sorted, 0.25),
            median: quantile(&sorted, 0.5),
            p75: quantile(&sorted, 0.75),
            max: *last,
            mean: sorted.iter().sum::<f64>() / sorted.len() as f64,
        })
    }
}

/// The `q` quantile of non-empty `sorted` values, interpolating linearly
/// between the two nearest ranks.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let position = (sorted.len() - 1) as f64 * q;
    let (low, high) = (position.floor() as usize, position.ceil() as usize);
    sorted[low] + (sorted[high] - sorted[low]) * (position - low as f64)
}

/// Pay between genders in a cell.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GenderGap {
    pub women: usize,
    pub men: usize,
    pub non_binary: usize,
    pub not_stated: usize,
    /// (men's mean − women's mean) / men's mean, in compa-ratio; `None` when
    /// either group is smaller than [`MIN_GROUP`].
    pub mean_gap: Option<f64>,
    /// The same for medians.
    pub median_gap: Option<f64>,
}

impl GenderGap {
    fn of(measured: &[(f64, Option<Gender>)]) -> GenderGap {
        let of_gender = |gender: Gender| -> Vec<f64> {
            measured
                .iter()
                .filter(|(_, g)| *g == Some(gender))
                .map(|(ratio, _)| *ratio)
                .collect()
        };
        let (women, men) = (of_gender(Gender::Woman), of_gender(Gender::Man));
        let reportable = women.len() >= MIN_GROUP && men.len() >= MIN_GROUP;
        let gap = |pick: fn(&Spread) -> f64| -> Option<f64> {
            if !reportable {
                return None;
            }
            let (w, m) = (pick(&Spread::of(&women)?), pick(&Spread::of(&men)?));
            (m > 0.0).then(|| (m - w) / m)
        };
        GenderGap {
            women: women.len(),
            men: men.len(),
            non_binary: of_gender(Gender::NonBinary).len(),
            not_stated: measured.iter().filter(|(_, g)| g.is_none()).count(),
            mean_gap: gap(|s| s.mean),
            median_gap: gap(|s| s.median),
        }
    }
}

/// The offers of one cell as they are read.
#[derive(Default)]
struct Tally {
    /// Compa-ratio and stated gender of each measured offer.
    measured: Vec<(f64, Option<Gender>)>,
    /// Offers no band applies to.
    unmeasured: usize,
}

/// The report: one cell per level and zone with accepted offers, ordered by
/// level and zone. Five statements, whatever the number of offers.
pub async fn report(
    db: &impl ConnectionTrait,
    filter: &Filter,
    today: NaiveDate,
) -> Result<Vec<Cell>, DbErr> {
    let offers = offer::Entity::find()
        .filter(offer::Column::Status.eq(OfferStatus::Accepted))
        .filter(offer::Column::LevelId.is_not_null())
        .filter(offer::Column::GeoZoneId.is_not_null())
        .all(db)
        .await?;
    let applications: HashMap<i64, application::Model> = application::Entity::find()
        .filter(application::Column::Id.is_in(offers.iter().map(|o| o.application_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let families: HashMap<i64, Option<i64>> = posting::Entity::find()
        .filter(posting::Column::Id.is_in(applications.values().map(|a| a.posting_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.job_family_id))
        .collect();
    let family_of = |offer: &offer::Model| -> Option<i64> {
        let application = applications.get(&offer.application_id)?;
        families.get(&application.posting_id).copied().flatten()
    };
    let offers: Vec<offer::Model> = offers
        .into_iter()
        .filter(|o| {
            filter
                .job_family_id
                .is_none_or(|family| family_of(o) == Some(family))
        })
        .collect();
    let keys: Vec<Option<BandKey>> = offers
        .iter()
        .map(|o| BandKey::of(o, family_of(o), today))
        .collect();
    let bands = live_bands(db, &keys.iter().flatten().cloned().collect::<Vec<_>>()).await?;
    let rate_sets: Vec<i64> = offers
        .iter()
        .filter_map(|o| o.exchange_rate_set_id)
        .collect();
    let rate_tables = rates::tables(db, &rate_sets).await?;
    let genders: HashMap<i64, Gender> = candidate_self_identification::Entity::find()
        .filter(
            candidate_self_identification::Column::CandidateId
                .is_in(applications.values().map(|a| a.candidate_id)),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|given| (given.candidate_id, given.gender))
        .collect();

    let mut cells: BTreeMap<(i64, i64), Tally> = BTreeMap::new();
    for (offer, key) in offers.iter().zip(&keys) {
        let (Some(level), Some(zone)) = (offer.level_id, offer.geo_zone_id) else {
            continue;
        };
        let cell = cells.entry((level, zone)).or_default();
        let band = key.as_ref().and_then(|key| bands.get(key).cloned());
        let rates = offer
            .exchange_rate_set_id
            .and_then(|id| rate_tables.get(&id));
        let check = BandCheck::measure(offer.base_salary_minor, &offer.currency, band, rates);
        match check.ok().and_then(|c| c.compa_ratio) {
            Some(ratio) => {
                let gender = applications
                    .get(&offer.application_id)
                    .and_then(|a| genders.get(&a.candidate_id).copied());
                cell.measured.push((ratio, gender));
            }
            None => cell.unmeasured += 1,
        }
    }
    Ok(cells
        .into_iter()
        .map(
            |(
                (level_id, geo_zone_id),
                Tally {
                    measured,
                    unmeasured,
                },
            )| {
                let ratios: Vec<f64> = measured.iter().map(|(ratio, _)| *ratio).collect();
                Cell {
                    level_id,
                    geo_zone_id,
                    offers: measured.len(),
                    unmeasured,
                    compa_ratio: Spread::of(&ratios),
                    gender: GenderGap::of(&measured),
                }
            },
        )
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(actual: f64, expected: f64) {
        assert!(
            (actual - expected).abs() < 1e-9,
            "{actual} is not {expected}"
        );
    }

    #[test]
    fn the_spread_interpolates_between_ranks() {
        let spread = Spread::of(&[1.2, 0.8, 1.0, 0.9, 1.1]).expect("a spread");
        close(spread.min, 0.8);
        close(spread.p25, 0.9);
        close(spread.median, 1.0);
        close(spread.p75, 1.1);
        close(spread.max, 1.2);
        close(spread.mean, 1.0);
        let even = Spread::of(&[1.0, 2.0]).expect("a spread");
        close(even.median, 1.5);
        close(even.p25, 1.25);
        assert_eq!(Spread::of(&[]), None);
        let one = Spread::of(&[0.95]).expect("a spread");
        close(one.p25, 0.95);
        close(one.p75, 0.95);
    }

    #[test]
    fn the_gap_is_the_share_of_mens_pay_and_needs_enough_people() {
        let mut measured: Vec<(f64, Option<Gender>)> = Vec::new();
        measured.extend([1.0, 1.0, 1.0, 1.1, 1.1].map(|r| (r, Some(Gender::Man))));
        measured.extend([0.9, 0.9, 0.95, 1.0, 1.0].map(|r| (r, Some(Gender::Woman))));
        measured.push((1.05, Some(Gender::NonBinary)));
        measured.push((0.97, None));
        let gap = GenderGap::of(&measured);
        assert_eq!(
            (gap.men, gap.women, gap.non_binary, gap.not_stated),
            (5, 5, 1, 1)
        );
        close(gap.mean_gap.expect("a mean gap"), (1.04 - 0.95) / 1.04);
        close(gap.median_gap.expect("a median gap"), (1.0 - 0.95) / 1.0);

        let too_few = GenderGap::of(&measured[1..]);
        assert_eq!(too_few.men, 4);
        assert_eq!(too_few.mean_gap, None, "four men are too few");
        assert_eq!(too_few.median_gap, None);
    }
}
