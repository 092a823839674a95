//! Compensation: which bands apply to a posting, and the salary range a
//! posting shows.
//!
//! A posting's range is derived, not typed in: the live bands of its job family
//! at the levels it may hire at, in the geo zones its regions cover. A region
//! covers the zones of its countries, plus the fallback zone when one of its
//! countries is in no zone; "Anywhere in the World" covers every zone.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::NaiveDate;
use entity::enums::{BandSetStatus, PayInterval, PostingStatus};
use entity::{
    band_set, compensation_band, geo_zone, geo_zone_country, posting, posting_level,
    posting_region, region, region_country,
};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter,
};

use super::audit::{self, Actor};
use super::write::{missing, now};
use crate::db::begin_write;
use crate::error::{Failure, UserError, UserErrorCode};

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
    Ok(posting_pay(db, posting_ids, day)
        .await?
        .into_iter()
        .filter_map(|(id, pay)| pay.range.map(|range| (id, range)))
        .collect())
}

/// The range a posting shows in one geo zone its regions cover.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SalaryTier {
    /// The zone.
    pub zone: geo_zone::Model,
    /// The range of the live bands of the posting's levels in the zone; `None`
    /// when none applies there (or they are in several currencies).
    pub range: Option<SalaryRange>,
}

/// What a posting pays: the overall range and the range per zone.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PostingPay {
    /// The overall range (see [`posting_salary_ranges`]).
    pub range: Option<SalaryRange>,
    /// One tier per zone the posting's regions cover, by zone name.
    pub tiers: Vec<SalaryTier>,
}

/// `band_set_id IS NULL OR band_set_id IN (SELECT id FROM band_sets WHERE
/// status = 'LIVE')`: the bands that may apply (by their dates). A band in a
/// DRAFT set applies to nothing until the set is made live.
pub fn live_bands_only() -> Condition {
    let live_sets = Query::select()
        .column(band_set::Column::Id)
        .from(band_set::Entity)
        .and_where(band_set::Column::Status.eq(BandSetStatus::Live))
        .take();
    Condition::any()
        .add(compensation_band::Column::BandSetId.is_null())
        .add(compensation_band::Column::BandSetId.in_subquery(live_sets))
}

/// The overall range and the per-zone tiers of each posting in
/// `posting_ids` on `day`. Runs a fixed number of statements whatever the
/// number of postings; every id asked for has an entry.
pub async fn posting_pay(
    db: &impl ConnectionTrait,
    posting_ids: &[i64],
    day: NaiveDate,
) -> Result<HashMap<i64, PostingPay>, DbErr> {
    Ok(posting_pay_and_places(db, posting_ids, day).await?.0)
}

/// The rows a posting's pay is derived from, besides the bands: read once
/// by [`posting_pay_and_places`] and handed on, so the pay-transparency
/// facts do not read them again.
#[derive(Clone, Debug, Default)]
pub struct PayPlaces {
    /// The postings.
    pub postings: Vec<posting::Model>,
    /// Their region links.
    pub links: Vec<posting_region::Model>,
    /// The regions linked, by id.
    pub regions: HashMap<i64, region::Model>,
    /// The countries of each linked region.
    pub region_countries: HashMap<i64, Vec<String>>,
}

/// [`posting_pay`], and the postings and places it was derived from.
pub async fn posting_pay_and_places(
    db: &impl ConnectionTrait,
    posting_ids: &[i64],
    day: NaiveDate,
) -> Result<(HashMap<i64, PostingPay>, PayPlaces), DbErr> {
    if posting_ids.is_empty() {
        return Ok((HashMap::new(), PayPlaces::default()));
    }
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
    let reference = pay_reference(db).await?;
    let families: HashSet<i64> = postings.iter().filter_map(|p| p.job_family_id).collect();
    let bands = live_bands(
        db,
        families,
        levels.iter().map(|l| l.level_id).collect(),
        day,
    )
    .await?;

    let mut pay = HashMap::new();
    for posting in &postings {
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
        pay.insert(
            posting.id,
            pay_of(
                posting,
                &posting_levels,
                &posting_regions,
                &region_countries,
                &reference,
                &bands,
            ),
        );
    }
    Ok((
        pay,
        PayPlaces {
            postings,
            links,
            regions,
            region_countries,
        },
    ))
}

/// The geo zones, by name, and the zone of each country: what the zones a
/// posting's regions cover are worked out from.
#[derive(Clone, Debug, Default)]
pub struct PayReference {
    /// Every zone, by name (then id).
    pub zones: Vec<geo_zone::Model>,
    /// The zone of each country that is in one.
    pub zone_of_country: HashMap<String, i64>,
}

/// Reads the [`PayReference`]: two statements.
pub async fn pay_reference(db: &impl ConnectionTrait) -> Result<PayReference, DbErr> {
    let mut zones = geo_zone::Entity::find().all(db).await?;
    zones.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    let zone_of_country = geo_zone_country::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.country_code, row.geo_zone_id))
        .collect();
    Ok(PayReference {
        zones,
        zone_of_country,
    })
}

/// The bands of `families` at `levels` that apply on `day` (in their dates,
/// and not in a draft set): one statement.
pub async fn live_bands(
    db: &impl ConnectionTrait,
    families: HashSet<i64>,
    levels: HashSet<i64>,
    day: NaiveDate,
) -> Result<Vec<compensation_band::Model>, DbErr> {
    if families.is_empty() || levels.is_empty() {
        return Ok(Vec::new());
    }
    compensation_band::Entity::find()
        .filter(compensation_band::Column::JobFamilyId.is_in(families))
        .filter(compensation_band::Column::LevelId.is_in(levels))
        .filter(compensation_band::Column::EffectiveFrom.lte(day))
        .filter(
            Condition::any()
                .add(compensation_band::Column::EffectiveTo.is_null())
                .add(compensation_band::Column::EffectiveTo.gt(day)),
        )
        .filter(live_bands_only())
        .all(db)
        .await
}

/// What `posting` pays, given the levels it hires at, its regions, their
/// countries, the zones and the live bands (any others among `bands` are
/// ignored). No statement: the batched reads and the per-request loaders
/// both end here.
pub fn pay_of(
    posting: &posting::Model,
    levels: &HashSet<i64>,
    regions: &[&region::Model],
    region_countries: &HashMap<i64, Vec<String>>,
    reference: &PayReference,
    bands: &[compensation_band::Model],
) -> PostingPay {
    let zones = &reference.zones;
    let covered = zones_covered(regions, region_countries, zones, &reference.zone_of_country);
    let applicable: Vec<&compensation_band::Model> = match posting.job_family_id {
        Some(family) => bands
            .iter()
            .filter(|b| {
                b.job_family_id == family
                    && levels.contains(&b.level_id)
                    && covered.contains(&b.geo_zone_id)
            })
            .collect(),
        None => Vec::new(),
    };
    let tiers = zones
        .iter()
        .filter(|z| covered.contains(&z.id))
        .map(|zone| SalaryTier {
            zone: zone.clone(),
            range: combine(
                applicable
                    .iter()
                    .copied()
                    .filter(|b| b.geo_zone_id == zone.id),
            ),
        })
        .collect();
    PostingPay {
        range: combine(applicable.iter().copied()),
        tiers,
    }
}

/// The range `posting` showed when it was last published, resumed or
/// republished; `None` when it never was.
pub fn published_range(posting: &posting::Model) -> Option<SalaryRange> {
    Some(SalaryRange {
        currency: posting.published_salary_currency.clone()?,
        interval: posting.published_salary_interval?,
        min_minor: posting.published_salary_min_minor?,
        max_minor: posting.published_salary_max_minor?,
    })
}

/// Whether an OPEN or PAUSED `posting` shows another range than the one it
/// was published with, given its `live` range today. A posting published
/// before ranges were recorded counts as outdated until republished.
pub fn range_outdated(posting: &posting::Model, live: Option<&SalaryRange>) -> bool {
    matches!(posting.status, PostingStatus::Open | PostingStatus::Paused)
        && published_range(posting).as_ref() != live
}

/// Within a transaction: records the range posting `id` shows today as its
/// published one (or clears it when it shows none). Returns that range.
pub async fn store_published_range(
    db: &impl ConnectionTrait,
    posting_id: i64,
) -> Result<Option<SalaryRange>, DbErr> {
    let now = now();
    let range = posting_salary_ranges(db, &[posting_id], now.date_naive())
        .await?
        .remove(&posting_id);
    posting::Entity::update_many()
        .col_expr(
            posting::Column::PublishedSalaryCurrency,
            Expr::value(range.as_ref().map(|r| r.currency.clone())),
        )
        .col_expr(
            posting::Column::PublishedSalaryInterval,
            Expr::value(range.as_ref().map(|r| r.interval)),
        )
        .col_expr(
            posting::Column::PublishedSalaryMinMinor,
            Expr::value(range.as_ref().map(|r| r.min_minor)),
        )
        .col_expr(
            posting::Column::PublishedSalaryMaxMinor,
            Expr::value(range.as_ref().map(|r| r.max_minor)),
        )
        .col_expr(
            posting::Column::PublishedSalaryAt,
            Expr::value(range.as_ref().map(|_| now)),
        )
        .filter(posting::Column::Id.eq(posting_id))
        .exec(db)
        .await?;
    Ok(range)
}

/// The ids of the OPEN and PAUSED postings whose range today differs from
/// the one they were published with. A fixed number of statements.
pub async fn outdated_posting_ids(
    db: &impl ConnectionTrait,
    day: NaiveDate,
) -> Result<Vec<i64>, DbErr> {
    let postings = posting::Entity::find()
        .filter(posting::Column::Status.is_in([PostingStatus::Open, PostingStatus::Paused]))
        .all(db)
        .await?;
    let ids: Vec<i64> = postings.iter().map(|p| p.id).collect();
    let ranges = posting_salary_ranges(db, &ids, day).await?;
    Ok(postings
        .iter()
        .filter(|p| range_outdated(p, ranges.get(&p.id)))
        .map(|p| p.id)
        .collect())
}

/// Records the range `before` (as the caller read and authorized it) shows
/// today as its published range. Refused unless the posting is OPEN or
/// PAUSED and the range changed since it was published.
pub async fn republish_salary_range(
    db: &DatabaseConnection,
    actor: &Actor,
    before: &posting::Model,
) -> Result<posting::Model, Failure> {
    if !matches!(before.status, PostingStatus::Open | PostingStatus::Paused) {
        return Err(UserError::new(
            &["id"],
            UserErrorCode::InvalidState,
            format!(
                "only an open or paused posting shows a salary range; this one is {}",
                audit::enum_name(&before.status).to_lowercase()
            ),
        )
        .into());
    }
    let txn = begin_write(db).await?;
    let current = posting::Entity::find_by_id(before.id)
        .one(&txn)
        .await?
        .ok_or_else(|| missing("posting"))?;
    let live = posting_salary_ranges(&txn, &[current.id], now().date_naive())
        .await?
        .remove(&current.id);
    if live.is_none() {
        return Err(UserError::new(
            &["id"],
            UserErrorCode::Blank,
            "no salary range can be shown: the posting's levels have no live bands in the zones its regions cover",
        )
        .into());
    }
    if !range_outdated(&current, live.as_ref()) {
        return Err(UserError::new(
            &["id"],
            UserErrorCode::InvalidState,
            "the posting already shows the salary range it was published with; nothing to republish",
        )
        .into());
    }
    store_published_range(&txn, current.id).await?;
    let after = posting::Entity::find_by_id(current.id)
        .one(&txn)
        .await?
        .ok_or_else(|| missing("posting"))?;
    audit::record(
        &txn,
        actor,
        "posting.republish_salary_range",
        "Posting",
        after.id,
        audit::changes(Some(&current), &after),
    )
    .await?;
    txn.commit().await?;
    Ok(after)
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
