//! The compensation structure: job families, levels, geo zones and the bands
//! that give a pay range for a job family at a level in a zone.

use chrono::NaiveDate;
use entity::enums::{BandSetStatus, PayInterval, Track};
use entity::{band_set, compensation_band, geo_zone, geo_zone_country, job_family, level};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QuerySelect, Set,
};

use super::audit::{self, Actor};
use super::validate::Check;
use super::write::{
    country_list, existing, missing, must_be_free, must_exist, now, persist, taken,
};
use crate::db::begin_write;
use crate::error::{Failure, UserError, UserErrorCode};

/// New values for a job family.
#[derive(Clone, Debug, Default)]
pub struct JobFamilyChanges {
    pub name: Option<String>,
}

/// Creates a job family, or renames one (`id` given).
pub async fn save_job_family(
    db: &DatabaseConnection,
    actor: &Actor,
    id: Option<i64>,
    changes: JobFamilyChanges,
) -> Result<job_family::Model, Failure> {
    let now = now();
    let before = existing::<job_family::Entity>(db, id, "job family").await?;
    let creating = before.is_none();
    let mut family = before.clone().unwrap_or(job_family::Model {
        id: 0,
        name: String::new(),
        created_at: now,
        updated_at: now,
    });
    let mut check = Check::new();
    if let Some(name) = check.required_text(&["name"], changes.name.as_deref(), creating, 200) {
        family.name = name;
    }
    check.finish()?;
    let txn = begin_write(db).await?;
    const TAKEN: &str = "another job family has this name";
    must_be_free::<job_family::Entity, _>(
        &txn,
        job_family::Column::Name,
        &family.name,
        id,
        &["name"],
        TAKEN,
    )
    .await?;
    family.updated_at = now;
    let saved = persist::<job_family::Entity>(&txn, family, creating)
        .await
        .map_err(|err| taken(err, &["name"], TAKEN))?;
    audit::record(
        &txn,
        actor,
        &audit::action("job_family", creating),
        "JobFamily",
        saved.id,
        audit::changes(before.as_ref(), &saved),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// New values for a level.
#[derive(Clone, Debug, Default)]
pub struct LevelChanges {
    pub code: Option<String>,
    pub name: Option<String>,
    pub track: Option<Track>,
    pub rank: Option<i32>,
}

/// Creates a level, or changes one (`id` given). Codes are unique, and so is
/// a rank within a track (levels of a track are strictly ordered).
pub async fn save_level(
    db: &DatabaseConnection,
    actor: &Actor,
    id: Option<i64>,
    changes: LevelChanges,
) -> Result<level::Model, Failure> {
    let now = now();
    let before = existing::<level::Entity>(db, id, "level").await?;
    let creating = before.is_none();
    let mut level = before.clone().unwrap_or(level::Model {
        id: 0,
        code: String::new(),
        name: String::new(),
        track: Track::IndividualContributor,
        rank: 0,
        created_at: now,
        updated_at: now,
    });
    let mut check = Check::new();
    if let Some(code) = check.required_text(&["code"], changes.code.as_deref(), creating, 16) {
        level.code = code.to_uppercase();
    }
    if let Some(name) = check.required_text(&["name"], changes.name.as_deref(), creating, 100) {
        level.name = name;
    }
    if let Some(track) = changes.track {
        level.track = track;
    }
    if let Some(rank) = changes.rank
        && let Some(rank) = check.within(&["rank"], rank, 0, 100)
    {
        level.rank = rank;
    }
    check.finish()?;
    let txn = begin_write(db).await?;
    must_be_free::<level::Entity, _>(
        &txn,
        level::Column::Code,
        &level.code,
        id,
        &["code"],
        "another level has this code",
    )
    .await?;
    let mut same_rank = level::Entity::find()
        .filter(level::Column::Track.eq(level.track))
        .filter(level::Column::Rank.eq(level.rank));
    if let Some(id) = id {
        same_rank = same_rank.filter(level::Column::Id.ne(id));
    }
    if same_rank.count(&txn).await? > 0 {
        return Err(UserError::new(
            &["rank"],
            UserErrorCode::Taken,
            "another level of this track has this rank",
        )
        .into());
    }
    level.updated_at = now;
    let saved = persist::<level::Entity>(&txn, level, creating)
        .await
        .map_err(|err| taken(err, &["code"], "another level has this code or rank"))?;
    audit::record(
        &txn,
        actor,
        &audit::action("level", creating),
        "Level",
        saved.id,
        audit::changes(before.as_ref(), &saved),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// New values for a geo zone; `countries` replaces the list when given.
#[derive(Clone, Debug, Default)]
pub struct GeoZoneChanges {
    pub name: Option<String>,
    pub is_fallback: Option<bool>,
    pub countries: Option<Vec<String>>,
}

/// Creates a geo zone, or changes one (`id` given). A country belongs to at
/// most one zone; at most one zone is the fallback for unlisted countries.
pub async fn save_geo_zone(
    db: &DatabaseConnection,
    actor: &Actor,
    id: Option<i64>,
    changes: GeoZoneChanges,
) -> Result<geo_zone::Model, Failure> {
    let now = now();
    let before = existing::<geo_zone::Entity>(db, id, "geo zone").await?;
    let creating = before.is_none();
    let mut zone = before.clone().unwrap_or(geo_zone::Model {
        id: 0,
        name: String::new(),
        is_fallback: false,
        created_at: now,
        updated_at: now,
    });
    let mut check = Check::new();
    if let Some(name) = check.required_text(&["name"], changes.name.as_deref(), creating, 200) {
        zone.name = name;
    }
    if let Some(is_fallback) = changes.is_fallback {
        zone.is_fallback = is_fallback;
    }
    let countries = changes
        .countries
        .as_ref()
        .map(|codes| country_list(&mut check, "countryCodes", codes));
    check.finish()?;

    let txn = begin_write(db).await?;
    must_be_free::<geo_zone::Entity, _>(
        &txn,
        geo_zone::Column::Name,
        &zone.name,
        id,
        &["name"],
        "another geo zone has this name",
    )
    .await?;
    if zone.is_fallback {
        let mut other = geo_zone::Entity::find().filter(geo_zone::Column::IsFallback.eq(true));
        if let Some(id) = id {
            other = other.filter(geo_zone::Column::Id.ne(id));
        }
        if let Some(other) = other.one(&txn).await? {
            return Err(UserError::new(
                &["isFallback"],
                UserErrorCode::Taken,
                format!("{} is already the fallback zone", other.name),
            )
            .into());
        }
    }
    if let Some(countries) = &countries {
        let mut elsewhere = geo_zone_country::Entity::find()
            .filter(geo_zone_country::Column::CountryCode.is_in(countries.iter().cloned()));
        if let Some(id) = id {
            elsewhere = elsewhere.filter(geo_zone_country::Column::GeoZoneId.ne(id));
        }
        let mut errors = Vec::new();
        for row in elsewhere.all(&txn).await? {
            let index = countries
                .iter()
                .position(|c| *c == row.country_code)
                .unwrap_or_default();
            errors.push(UserError::at(
                vec!["countryCodes".into(), index.to_string()],
                UserErrorCode::Taken,
                format!("{} already belongs to another geo zone", row.country_code),
            ));
        }
        if !errors.is_empty() {
            return Err(Failure::Rejected(errors));
        }
    }
    zone.updated_at = now;
    let saved = persist::<geo_zone::Entity>(&txn, zone, creating)
        .await
        .map_err(|err| {
            taken(
                err,
                &["name"],
                "another geo zone has this name, or is already the fallback",
            )
        })?;
    let mut changed = audit::changes(before.as_ref(), &saved);
    if let Some(countries) = countries {
        geo_zone_country::Entity::delete_many()
            .filter(geo_zone_country::Column::GeoZoneId.eq(saved.id))
            .exec(&txn)
            .await?;
        if !countries.is_empty() {
            geo_zone_country::Entity::insert_many(countries.iter().map(|code| {
                geo_zone_country::ActiveModel {
                    geo_zone_id: Set(saved.id),
                    country_code: Set(code.clone()),
                }
            }))
            .exec(&txn)
            .await
            .map_err(|err| {
                taken(
                    err,
                    &["countryCodes"],
                    "a country already belongs to another geo zone",
                )
            })?;
        }
        if let serde_json::Value::Object(map) = &mut changed {
            map.insert(
                "countries".into(),
                serde_json::json!({ "after": countries }),
            );
        }
    }
    audit::record(
        &txn,
        actor,
        &audit::action("geo_zone", creating),
        "GeoZone",
        saved.id,
        changed,
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// New values for a band. Amounts are decimal strings in `currency`.
#[derive(Clone, Debug, Default)]
pub struct BandChanges {
    pub job_family_id: Option<i64>,
    pub level_id: Option<i64>,
    pub geo_zone_id: Option<i64>,
    pub currency: Option<String>,
    pub interval: Option<PayInterval>,
    pub minimum: Option<String>,
    pub maximum: Option<String>,
    pub effective_from: Option<NaiveDate>,
    pub effective_to: Option<Option<NaiveDate>>,
    /// The midpoint as (amount, currency); when left out, the middle of the
    /// minimum and maximum (kept on update unless they change).
    pub midpoint: Option<(String, String)>,
    /// The draft band set to add a new band to.
    pub band_set_id: Option<i64>,
}

/// Creates a band, or changes one (`id` given). The minimum may not exceed
/// the midpoint, nor the midpoint the maximum; amounts must be exact in the
/// currency. A live band may not overlap in time another live band of the
/// same job family, level and zone (BAND_OVERLAP; whatever its currency and
/// interval: a band key has one currency and interval at a time). A band in
/// a draft set is checked against the set only, and fully when the set is
/// made live.
pub async fn save_band(
    db: &DatabaseConnection,
    actor: &Actor,
    id: Option<i64>,
    changes: BandChanges,
) -> Result<compensation_band::Model, Failure> {
    let now = now();
    let before = existing::<compensation_band::Entity>(db, id, "compensation band").await?;
    let creating = before.is_none();
    let mut band = before.clone().unwrap_or(compensation_band::Model {
        id: 0,
        job_family_id: changes.job_family_id.unwrap_or_default(),
        level_id: changes.level_id.unwrap_or_default(),
        geo_zone_id: changes.geo_zone_id.unwrap_or_default(),
        currency: String::new(),
        pay_interval: PayInterval::Year,
        min_minor: 0,
        max_minor: 0,
        mid_minor: 0,
        band_set_id: changes.band_set_id,
        effective_from: now.date_naive(),
        effective_to: None,
        created_at: now,
        updated_at: now,
    });
    let mut check = Check::new();
    if let Some(id) = changes.job_family_id {
        band.job_family_id = id;
    }
    if let Some(id) = changes.level_id {
        band.level_id = id;
    }
    if let Some(id) = changes.geo_zone_id {
        band.geo_zone_id = id;
    }
    if let Some(interval) = changes.interval {
        band.pay_interval = interval;
    }
    let currency_changes = changes
        .currency
        .as_deref()
        .is_some_and(|c| !c.trim().eq_ignore_ascii_case(&band.currency));
    if !creating && currency_changes && (changes.minimum.is_none() || changes.maximum.is_none()) {
        check.fail(
            &["currency"],
            UserErrorCode::Invalid,
            "give the minimum and maximum again in the new currency",
        );
    }
    let currency_text = changes
        .currency
        .clone()
        .unwrap_or_else(|| band.currency.clone());
    let currency = check.currency(&["currency"], &currency_text);
    if let Some(currency) = currency {
        band.currency = currency.code.to_owned();
        // Amounts are re-read in the (possibly new) currency; absent ones keep their value.
        if let Some(minimum) = &changes.minimum
            && let Some(minor) = check.amount(&["minimum"], minimum, currency)
        {
            band.min_minor = minor;
        }
        if let Some(maximum) = &changes.maximum
            && let Some(minor) = check.amount(&["maximum"], maximum, currency)
        {
            band.max_minor = minor;
        }
    }
    if let Some(from) = changes.effective_from {
        band.effective_from = from;
    }
    if let Some(to) = changes.effective_to {
        band.effective_to = to;
    }
    let amounts_changed = before
        .as_ref()
        .is_none_or(|b| (b.min_minor, b.max_minor) != (band.min_minor, band.max_minor));
    match (&changes.midpoint, currency) {
        (Some((amount, code)), Some(currency)) => {
            if code.trim().eq_ignore_ascii_case(currency.code) {
                if let Some(minor) = check.amount(&["midpoint", "amount"], amount, currency) {
                    band.mid_minor = minor;
                }
            } else {
                check.fail(
                    &["midpoint", "currency"],
                    UserErrorCode::Invalid,
                    format!(
                        "the midpoint must be in the band's currency, {}",
                        currency.code
                    ),
                );
            }
        }
        (None, _) if amounts_changed => {
            band.mid_minor = default_midpoint(band.min_minor, band.max_minor);
        }
        _ => {}
    }
    if check.is_ok() && band.min_minor > band.max_minor {
        check.fail(
            &["minimum"],
            UserErrorCode::InvalidRange,
            "the minimum is above the maximum",
        );
    } else if check.is_ok() && !(band.min_minor..=band.max_minor).contains(&band.mid_minor) {
        check.fail(
            &["midpoint"],
            UserErrorCode::InvalidRange,
            "the midpoint must be between the minimum and the maximum",
        );
    }
    if band
        .effective_to
        .is_some_and(|to| to <= band.effective_from)
    {
        check.fail(
            &["effectiveTo"],
            UserErrorCode::InvalidRange,
            "the band must end after it starts",
        );
    }
    check.finish()?;

    let txn = begin_write(db).await?;
    must_exist::<job_family::Entity>(&txn, band.job_family_id, &["jobFamilyId"], "job family")
        .await?;
    must_exist::<level::Entity>(&txn, band.level_id, &["levelId"], "level").await?;
    must_exist::<geo_zone::Entity>(&txn, band.geo_zone_id, &["geoZoneId"], "geo zone").await?;
    // On Postgres, band writes of one job family take turns, so that two
    // overlapping bands can't both pass the overlap check (SQLite writes
    // one transaction at a time anyway).
    job_family::Entity::find_by_id(band.job_family_id)
        .lock_exclusive()
        .one(&txn)
        .await?;
    let mut same_key = compensation_band::Entity::find()
        .filter(compensation_band::Column::JobFamilyId.eq(band.job_family_id))
        .filter(compensation_band::Column::LevelId.eq(band.level_id))
        .filter(compensation_band::Column::GeoZoneId.eq(band.geo_zone_id))
        .filter(compensation_band::Column::PayInterval.eq(band.pay_interval))
        .filter(compensation_band::Column::Currency.eq(band.currency.clone()))
        .filter(compensation_band::Column::EffectiveFrom.eq(band.effective_from));
    if let Some(id) = id {
        same_key = same_key.filter(compensation_band::Column::Id.ne(id));
    }
    const TAKEN: &str = "a band for this job family, level, zone, currency and interval already starts on this date";
    let set = match band.band_set_id {
        Some(set_id) => Some(
            band_set::Entity::find_by_id(set_id)
                .lock_shared()
                .one(&txn)
                .await?
                .ok_or_else(|| {
                    UserError::new(
                        &["bandSetId"],
                        UserErrorCode::NotFound,
                        "no band set has this ID",
                    )
                })?,
        ),
        None => None,
    };
    if creating
        && set
            .as_ref()
            .is_some_and(|s| s.status != BandSetStatus::Draft)
    {
        return Err(UserError::new(
            &["bandSetId"],
            UserErrorCode::InvalidState,
            "bands can be added to a draft band set only; this one is live",
        )
        .into());
    }
    if set.is_none() && same_key.count(&txn).await? > 0 {
        return Err(UserError::new(&["effectiveFrom"], UserErrorCode::Taken, TAKEN).into());
    }
    match &set {
        Some(set) if set.status == BandSetStatus::Draft => {
            let mut in_set = compensation_band::Entity::find()
                .filter(compensation_band::Column::BandSetId.eq(set.id))
                .filter(compensation_band::Column::JobFamilyId.eq(band.job_family_id))
                .filter(compensation_band::Column::LevelId.eq(band.level_id))
                .filter(compensation_band::Column::GeoZoneId.eq(band.geo_zone_id));
            if let Some(id) = id {
                in_set = in_set.filter(compensation_band::Column::Id.ne(id));
            }
            if in_set.count(&txn).await? > 0 {
                return Err(UserError::new(
                    &["geoZoneId"],
                    UserErrorCode::Taken,
                    format!(
                        "the band set {} already has a band for this job family, level and zone",
                        set.name
                    ),
                )
                .into());
            }
        }
        _ => {
            let others = live_bands_of_keys(
                &txn,
                &[(band.job_family_id, band.level_id, band.geo_zone_id)],
            )
            .await?;
            let errors = overlaps(&band, others.iter().filter(|o| Some(o.id) != id));
            if !errors.is_empty() {
                return Err(Failure::Rejected(errors));
            }
        }
    }
    band.updated_at = now;
    let saved = persist::<compensation_band::Entity>(&txn, band, creating)
        .await
        .map_err(|err| taken(err, &["effectiveFrom"], TAKEN))?;
    audit::record(
        &txn,
        actor,
        &audit::action("compensation_band", creating),
        "CompensationBand",
        saved.id,
        audit::changes(before.as_ref(), &saved),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// The middle of `min` and `max`, rounded down to a minor unit.
pub fn default_midpoint(min_minor: i64, max_minor: i64) -> i64 {
    min_minor + (max_minor - min_minor) / 2
}

/// The stored midpoint of `band`, in minor units of its currency: what offers
/// are measured against (compa-ratio).
pub fn midpoint_minor(band: &compensation_band::Model) -> i64 {
    band.mid_minor
}

/// How wide `band` is: (max − min) / min, in percent; `None` when the
/// minimum is zero.
pub fn spread_percent(band: &compensation_band::Model) -> Option<f64> {
    (band.min_minor > 0)
        .then(|| (band.max_minor - band.min_minor) as f64 * 100.0 / band.min_minor as f64)
}

/// The span of range spreads bands are expected to have
/// (`HIREGRAPH_BAND_SPREAD_MIN_PERCENT` and `_MAX_PERCENT`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SpreadSpan {
    /// Narrower bands get a warning.
    pub min_percent: f64,
    /// Wider bands get a warning.
    pub max_percent: f64,
}

impl Default for SpreadSpan {
    fn default() -> Self {
        SpreadSpan {
            min_percent: 20.0,
            max_percent: 100.0,
        }
    }
}

/// What looks wrong with `band` without being an error, as sentences.
pub fn band_warnings(band: &compensation_band::Model, span: SpreadSpan) -> Vec<String> {
    let mut warnings = Vec::new();
    match spread_percent(band) {
        Some(spread) if spread < span.min_percent => warnings.push(format!(
            "The range spread is {spread:.1}%, narrower than the expected {}% to {}%.",
            span.min_percent, span.max_percent
        )),
        Some(spread) if spread > span.max_percent => warnings.push(format!(
            "The range spread is {spread:.1}%, wider than the expected {}% to {}%.",
            span.min_percent, span.max_percent
        )),
        Some(_) => {}
        None => {
            warnings.push("The minimum is zero, so the range spread can't be measured.".to_owned())
        }
    }
    warnings
}

/// The live bands (outside sets, or in live sets) of the given job family,
/// level and zone keys. One statement.
async fn live_bands_of_keys(
    db: &impl ConnectionTrait,
    keys: &[(i64, i64, i64)],
) -> Result<Vec<compensation_band::Model>, DbErr> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let rows = compensation_band::Entity::find()
        .filter(compensation_band::Column::JobFamilyId.is_in(keys.iter().map(|k| k.0)))
        .filter(compensation_band::Column::LevelId.is_in(keys.iter().map(|k| k.1)))
        .filter(compensation_band::Column::GeoZoneId.is_in(keys.iter().map(|k| k.2)))
        .filter(super::compensation::live_bands_only())
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter(|b| keys.contains(&(b.job_family_id, b.level_id, b.geo_zone_id)))
        .collect())
}

/// "from 2026-01-01 on" or "from 2026-01-01 to 2027-01-01".
fn period(band: &compensation_band::Model) -> String {
    match band.effective_to {
        Some(to) => format!("from {} to {to}", band.effective_from),
        None => format!("from {} on", band.effective_from),
    }
}

/// True when the periods of `a` and `b` share a day (ends are exclusive).
fn periods_overlap(a: &compensation_band::Model, b: &compensation_band::Model) -> bool {
    b.effective_to.is_none_or(|to| a.effective_from < to)
        && a.effective_to.is_none_or(|to| b.effective_from < to)
}

/// The BAND_OVERLAP errors of `band` against `others` (live bands).
fn overlaps<'a>(
    band: &compensation_band::Model,
    others: impl Iterator<Item = &'a compensation_band::Model>,
) -> Vec<UserError> {
    let mut errors = Vec::new();
    for other in others {
        if (other.job_family_id, other.level_id, other.geo_zone_id)
            != (band.job_family_id, band.level_id, band.geo_zone_id)
            || !periods_overlap(band, other)
        {
            continue;
        }
        if other.currency == band.currency && other.pay_interval == band.pay_interval {
            errors.push(UserError::new(
                &["effectiveFrom"],
                UserErrorCode::BandOverlap,
                format!(
                    "another band for this job family, level and zone applies {}; end it before this one starts",
                    period(other)
                ),
            ));
        } else {
            let field = if other.currency != band.currency {
                "currency"
            } else {
                "interval"
            };
            errors.push(UserError::new(
                &[field],
                UserErrorCode::BandOverlap,
                format!(
                    "a band for this job family, level and zone in {} {} applies {}; a job family, level and zone is paid in one currency and interval at a time",
                    other.currency,
                    audit::enum_name(&other.pay_interval).to_lowercase(),
                    period(other)
                ),
            ));
        }
    }
    errors
}

/// Creates a draft band set.
pub async fn create_band_set(
    db: &DatabaseConnection,
    actor: &Actor,
    name: &str,
) -> Result<band_set::Model, Failure> {
    let now = now();
    let mut check = Check::new();
    let name = check.required_text(&["name"], Some(name), true, 200);
    check.finish()?;
    let set = band_set::Model {
        id: 0,
        name: name.unwrap_or_default(),
        status: BandSetStatus::Draft,
        effective_from: None,
        created_at: now,
        updated_at: now,
    };
    let txn = begin_write(db).await?;
    const TAKEN: &str = "another band set has this name";
    must_be_free::<band_set::Entity, _>(
        &txn,
        band_set::Column::Name,
        &set.name,
        None,
        &["name"],
        TAKEN,
    )
    .await?;
    let saved = persist::<band_set::Entity>(&txn, set, true)
        .await
        .map_err(|err| taken(err, &["name"], TAKEN))?;
    audit::record(
        &txn,
        actor,
        "band_set.create",
        "BandSet",
        saved.id,
        audit::changes(None, &saved),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// Makes draft band set `id` live from `effective_from`, in one transaction:
/// its bands apply from that day, open-ended, and the live bands of the same
/// job family, level and zone that still apply then end that day (they are
/// replaced). Refused when the set is not a draft, has no bands, or a live
/// band of one of its keys starts on or after that day (BAND_OVERLAP).
pub async fn make_band_set_live(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    effective_from: NaiveDate,
) -> Result<band_set::Model, Failure> {
    let now = now();
    let txn = begin_write(db).await?;
    let before = band_set::Entity::find_by_id(id)
        .lock_exclusive()
        .one(&txn)
        .await?
        .ok_or_else(|| missing("band set"))?;
    if before.status != BandSetStatus::Draft {
        return Err(UserError::new(
            &["id"],
            UserErrorCode::InvalidState,
            format!(
                "the band set {} is already live from {}",
                before.name,
                before
                    .effective_from
                    .map(|d| d.to_string())
                    .unwrap_or_default()
            ),
        )
        .into());
    }
    let bands = compensation_band::Entity::find()
        .filter(compensation_band::Column::BandSetId.eq(id))
        .all(&txn)
        .await?;
    if bands.is_empty() {
        return Err(UserError::new(
            &["id"],
            UserErrorCode::InvalidState,
            "the band set has no bands; add bands before making it live",
        )
        .into());
    }
    let keys: Vec<(i64, i64, i64)> = bands
        .iter()
        .map(|b| (b.job_family_id, b.level_id, b.geo_zone_id))
        .collect();
    job_family::Entity::find()
        .filter(job_family::Column::Id.is_in(keys.iter().map(|k| k.0)))
        .lock_exclusive()
        .all(&txn)
        .await?;
    let live = live_bands_of_keys(&txn, &keys).await?;
    let mut errors = Vec::new();
    let mut replaced = Vec::new();
    for old in &live {
        if old.effective_to.is_some_and(|to| to <= effective_from) {
            continue;
        }
        if old.effective_from >= effective_from {
            errors.push(UserError::new(
                &["effectiveFrom"],
                UserErrorCode::BandOverlap,
                format!(
                    "a live band for one of the set's job family, level and zone keys applies {}, not before {effective_from}; make the set live after {}",
                    period(old),
                    old.effective_from
                ),
            ));
        } else {
            replaced.push(old.clone());
        }
    }
    if !errors.is_empty() {
        return Err(Failure::Rejected(errors));
    }
    for old in &replaced {
        compensation_band::Entity::update_many()
            .col_expr(
                compensation_band::Column::EffectiveTo,
                Expr::value(Some(effective_from)),
            )
            .col_expr(compensation_band::Column::UpdatedAt, Expr::value(now))
            .filter(compensation_band::Column::Id.eq(old.id))
            .exec(&txn)
            .await?;
        audit::record(
            &txn,
            actor,
            "compensation_band.replace",
            "CompensationBand",
            old.id,
            serde_json::json!({
                "effective_to": { "before": old.effective_to, "after": effective_from },
                "replaced_by_band_set": id,
            }),
        )
        .await?;
    }
    compensation_band::Entity::update_many()
        .col_expr(
            compensation_band::Column::EffectiveFrom,
            Expr::value(effective_from),
        )
        .col_expr(
            compensation_band::Column::EffectiveTo,
            Expr::value(Option::<NaiveDate>::None),
        )
        .col_expr(compensation_band::Column::UpdatedAt, Expr::value(now))
        .filter(compensation_band::Column::BandSetId.eq(id))
        .exec(&txn)
        .await?;
    let after = band_set::Model {
        status: BandSetStatus::Live,
        effective_from: Some(effective_from),
        updated_at: now,
        ..before.clone()
    };
    let saved = persist::<band_set::Entity>(&txn, after, false).await?;
    let mut changes = audit::changes(Some(&before), &saved);
    if let serde_json::Value::Object(map) = &mut changes {
        map.insert(
            "bands".into(),
            serde_json::json!(bands.iter().map(|b| b.id).collect::<Vec<_>>()),
        );
        map.insert(
            "replaced_bands".into(),
            serde_json::json!(replaced.iter().map(|b| b.id).collect::<Vec<_>>()),
        );
    }
    audit::record(&txn, actor, "band_set.make_live", "BandSet", id, changes).await?;
    txn.commit().await?;
    Ok(saved)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn band(
        min: i64,
        max: i64,
        from: (i32, u32),
        to: Option<(i32, u32)>,
    ) -> compensation_band::Model {
        let now = Utc::now();
        let day = |(y, m): (i32, u32)| NaiveDate::from_ymd_opt(y, m, 1).unwrap_or_default();
        compensation_band::Model {
            id: 1,
            job_family_id: 1,
            level_id: 1,
            geo_zone_id: 1,
            currency: "USD".into(),
            pay_interval: PayInterval::Year,
            min_minor: min,
            max_minor: max,
            mid_minor: default_midpoint(min, max),
            band_set_id: None,
            effective_from: day(from),
            effective_to: to.map(day),
            created_at: now,
            updated_at: now,
        }
    }

    #[test]
    fn the_default_midpoint_is_rounded_down_to_a_minor_unit() {
        assert_eq!(default_midpoint(10_000_000, 15_000_001), 12_500_000);
        assert_eq!(default_midpoint(6_850_000, 12_860_000), 9_855_000);
        assert_eq!(default_midpoint(7, 7), 7);
    }

    #[test]
    fn periods_that_only_touch_do_not_overlap() {
        let old = band(1, 2, (2026, 1), Some((2027, 1)));
        let next = band(1, 2, (2027, 1), None);
        assert!(!periods_overlap(&old, &next));
        assert!(!periods_overlap(&next, &old));
        let open = band(1, 2, (2026, 1), None);
        assert!(periods_overlap(&open, &next));
        assert!(periods_overlap(
            &band(1, 2, (2026, 6), Some((2026, 7))),
            &open
        ));
    }

    #[test]
    fn a_zero_minimum_has_no_spread_and_says_so() {
        let free = band(0, 100, (2026, 1), None);
        assert_eq!(spread_percent(&free), None);
        assert_eq!(band_warnings(&free, SpreadSpan::default()).len(), 1);
        let fine = band(100, 150, (2026, 1), None);
        assert_eq!(spread_percent(&fine), Some(50.0));
        assert!(band_warnings(&fine, SpreadSpan::default()).is_empty());
    }
}
