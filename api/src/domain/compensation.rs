//! Compensation: which bands apply to a posting, and the salary range a
//! posting shows.
//!
//! A posting's range is derived, not typed in: the live bands of its job family
//! at the levels it may hire at, in the geo zones its regions cover. A region
//! covers the zones of its countries, plus the fallback zone when one of its
//! countries is in no zone; "Anywhere in the World" covers every zone.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::NaiveDate;
use entity::enums::PayInterval;
use entity::{
    compensation_band, geo_zone, geo_zone_country, posting, posting_level, posting_region, region,
    region_country,
};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

/// The pay range a posting shows: one currency, one interval.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SalaryRange {
    /// ISO 4217 code.
    pub currency: String,
    /// Per year or per hour.
    pub interval: PayInterval,
    /// Lowest minimum of the bands, in minor units.
    pub min_minor: i64,
    /// Highest maximum of the bands, in minor units.
    pub max_minor: i64,
}

/// The geo zones a set of regions covers.
pub fn zones_covered(
    regions: &[&region::Model],
    region_countries: &HashMap<i64, Vec<String>>,
    zones: &[geo_zone::Model],
    zone_of_country: &HashMap<String, i64>,
) -> BTreeSet<i64> {
    let fallback = zones.iter().find(|z| z.is_fallback).map(|z| z.id);
    let mut covered = BTreeSet::new();
    for region in regions {
        if region.everywhere {
            covered.extend(zones.iter().map(|z| z.id));
            continue;
        }
        for country in region_countries.get(&region.id).into_iter().flatten() {
            match zone_of_country.get(country) {
                Some(zone) => {
                    covered.insert(*zone);
                }
                None => covered.extend(fallback),
            }
        }
    }
    covered
}

/// The salary range of each posting in `posting_ids` on `day`, where one can
/// be derived. Runs a fixed number of statements whatever the number of postings.
pub async fn posting_salary_ranges(
    db: &impl ConnectionTrait,
    posting_ids: &[i64],
    day: NaiveDate,
) -> Result<HashMap<i64, SalaryRange>, DbErr> {
    let postings = posting::Entity::find()
        .filter(posting::Column::Id.is_in(posting_ids.iter().copied()))
        .all(db)
        .await?;
    let levels = posting_level::Entity::find()
        .filter(posting_level::Column::PostingId.is_in(posting_ids.iter().copied()))
        .all(db)
        .await?;
    let links = posting_region::Entity::find()
        .filter(posting_region::Column::PostingId.is_in(posting_ids.iter().copied()))
        .all(db)
        .await?;
    let region_ids: HashSet<i64> = links.iter().map(|l| l.region_id).collect();
    let regions: HashMap<i64, region::Model> = region::Entity::find()
        .filter(region::Column::Id.is_in(region_ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let mut region_countries: HashMap<i64, Vec<String>> = HashMap::new();
    for row in region_country::Entity::find()
        .filter(region_country::Column::RegionId.is_in(region_ids.iter().copied()))
        .all(db)
        .await?
    {
        region_countries
            .entry(row.region_id)
            .or_default()
            .push(row.country_code);
    }
    let zones = geo_zone::Entity::find().all(db).await?;
    let zone_of_country: HashMap<String, i64> = geo_zone_country::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.country_code, row.geo_zone_id))
        .collect();
    let families: HashSet<i64> = postings.iter().filter_map(|p| p.job_family_id).collect();
    let bands = compensation_band::Entity::find()
        .filter(compensation_band::Column::JobFamilyId.is_in(families))
        .filter(compensation_band::Column::LevelId.is_in(levels.iter().map(|l| l.level_id)))
        .filter(compensation_band::Column::EffectiveFrom.lte(day))
        .filter(
            Condition::any()
                .add(compensation_band::Column::EffectiveTo.is_null())
                .add(compensation_band::Column::EffectiveTo.gt(day)),
        )
        .all(db)
        .await?;

    let mut ranges = HashMap::new();
    for posting in &postings {
        let Some(family) = posting.job_family_id else {
            continue;
        };
        let posting_levels: HashSet<i64> = levels
            .iter()
            .filter(|l| l.posting_id == posting.id)
            .map(|l| l.level_id)
            .collect();
        let posting_regions: Vec<&region::Model> = links
            .iter()
            .filter(|l| l.posting_id == posting.id)
            .filter_map(|l| regions.get(&l.region_id))
            .collect();
        let covered = zones_covered(
            &posting_regions,
            &region_countries,
            &zones,
            &zone_of_country,
        );
        let applicable = bands.iter().filter(|b| {
            b.job_family_id == family
                && posting_levels.contains(&b.level_id)
                && covered.contains(&b.geo_zone_id)
        });
        if let Some(range) = combine(applicable) {
            ranges.insert(posting.id, range);
        }
    }
    Ok(ranges)
}

/// One range over `bands`: yearly bands win over hourly ones; bands in more
/// than one currency give no single range (converting needs exchange rates).
fn combine<'a>(bands: impl Iterator<Item = &'a compensation_band::Model>) -> Option<SalaryRange> {
    let bands: Vec<&compensation_band::Model> = bands.collect();
    let interval = if bands.iter().any(|b| b.pay_interval == PayInterval::Year) {
        PayInterval::Year
    } else {
        PayInterval::Hour
    };
    let bands: Vec<&&compensation_band::Model> = bands
        .iter()
        .filter(|b| b.pay_interval == interval)
        .collect();
    let currency = &bands.first()?.currency;
    if bands.iter().any(|b| &b.currency != currency) {
        return None;
    }
    Some(SalaryRange {
        currency: currency.clone(),
        interval,
        min_minor: bands.iter().map(|b| b.min_minor).min()?,
        max_minor: bands.iter().map(|b| b.max_minor).max()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn zone(id: i64, is_fallback: bool) -> geo_zone::Model {
        let now = Utc::now();
        geo_zone::Model {
            id,
            name: format!("Zone {id}"),
            is_fallback,
            created_at: now,
            updated_at: now,
        }
    }

    fn region(id: i64, everywhere: bool) -> region::Model {
        let now = Utc::now();
        region::Model {
            id,
            name: format!("Region {id}"),
            slug: format!("region-{id}"),
            everywhere,
            created_at: now,
            updated_at: now,
        }
    }

    #[test]
    fn a_region_covers_the_zones_of_its_countries_and_the_fallback_for_the_rest() {
        let zones = vec![zone(1, false), zone(2, false), zone(9, true)];
        let zone_of_country = HashMap::from([("KE".to_owned(), 2), ("US".to_owned(), 1)]);
        let africa = region(10, false);
        let countries = HashMap::from([(10, vec!["KE".to_owned(), "NG".to_owned()])]);
        let covered = zones_covered(&[&africa], &countries, &zones, &zone_of_country);
        assert_eq!(covered, BTreeSet::from([2, 9]));
    }

    #[test]
    fn anywhere_in_the_world_covers_every_zone() {
        let zones = vec![zone(1, false), zone(2, false), zone(9, true)];
        let anywhere = region(11, true);
        let covered = zones_covered(&[&anywhere], &HashMap::new(), &zones, &HashMap::new());
        assert_eq!(covered, BTreeSet::from([1, 2, 9]));
    }
}
