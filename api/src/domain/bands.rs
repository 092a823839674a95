//! The compensation structure: job families, levels, geo zones and the bands
//! that give a pay range for a job family at a level in a zone.

use chrono::NaiveDate;
use entity::enums::{PayInterval, Track};
use entity::{compensation_band, geo_zone, geo_zone_country, job_family, level};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, Set};

use super::audit::{self, Actor};
use super::validate::Check;
use super::write::{country_list, existing, must_be_free, must_exist, now, persist, taken};
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
}

/// Creates a band, or changes one (`id` given). The minimum may not exceed
/// the maximum, amounts must be exact in the currency, and a band may not
/// duplicate another for the same job family, level, zone, currency,
/// interval and start date.
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
    if check.is_ok() && band.min_minor > band.max_minor {
        check.fail(
            &["minimum"],
            UserErrorCode::InvalidRange,
            "the minimum is above the maximum",
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
    if same_key.count(&txn).await? > 0 {
        return Err(UserError::new(&["effectiveFrom"], UserErrorCode::Taken, TAKEN).into());
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
