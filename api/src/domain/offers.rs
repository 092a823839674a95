//! Offers: the terms made to a candidate at the offer stage, their versions,
//! their approval, and the candidate's answer.
//!
//! - An offer is made at the posting's offer stage: the plan's stage of kind
//!   OFFER, or its last stage when it has none.
//! - Each row of `offers` is one version. Revising an offer inserts the next
//!   version in DRAFT and marks the one it replaces SUPERSEDED (a declined or
//!   withdrawn version keeps that status: it records what happened), so
//!   earlier terms are never overwritten. Only the latest version moves on.
//! - DRAFT → PENDING_APPROVAL → APPROVED → SENT → ACCEPTED or DECLINED; a
//!   rejected approval sends the offer back to DRAFT; any offer not yet
//!   answered can be WITHDRAWN. Every change updates the row only if it still
//!   has the status it was read with, so of two concurrent changes exactly one
//!   wins and the other gets CONFLICT.
//! - Accepting hires, in the same transaction: the application becomes HIRED
//!   with the offer's team, one opening is filled, and the posting closes
//!   itself when its openings are filled. The candidate's other applications
//!   are left as they are.
//! - The band check compares the base salary with the live band of the
//!   posting's job family at the offer's level, zone, currency and interval
//!   on its start date (today when it has none). An offer outside its band,
//!   or with no band at all, is refused unless it gives the reason for the
//!   exception.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;
use entity::enums::{ApplicationStatus, ApprovalDecision, OfferStatus, PayInterval, StageKind};
use entity::{
    application, candidate, compensation_band, geo_zone, geo_zone_country, interview_stage, level,
    offer, offer_approval, posting, posting_level, posting_team, team,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, QueryOrder, Set,
};
use serde_json::{Value, json};

use super::audit::{self, Actor};
use super::compensation::SalaryRange;
use super::countries::country_name;
use super::floors;
use super::money::{currency, format_amount};
use super::pipeline;
use super::rates::{self, ConversionError, RateTable};
use super::validate::Check;
use super::write::{exists, now};
use crate::db::begin_write;
use crate::error::{ApiError, Failure, UserError, UserErrorCode, unique_violation};

/// Longest note on an offer.
const MAX_NOTES: usize = 5000;
/// Longest exception reason, approval comment or reason for declining or withdrawing.
const MAX_REASON: usize = 2000;

/// An amount of money as entered: a decimal string and a currency code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MoneyDraft {
    /// E.g. `"98550.00"`.
    pub amount: String,
    /// E.g. `"USD"`.
    pub currency: String,
}

/// The terms given for an offer. For a new offer, absent terms take their
/// defaults; for a revision, absent terms keep the previous version's value
/// (and `Some(None)` clears an optional one).
#[derive(Clone, Debug, Default)]
pub struct TermsDraft {
    pub level_id: Option<i64>,
    pub geo_zone_id: Option<i64>,
    pub base_salary: Option<MoneyDraft>,
    pub interval: Option<PayInterval>,
    pub start_date: Option<Option<NaiveDate>>,
    pub team_id: Option<i64>,
    pub notes: Option<Option<String>>,
    pub exception_reason: Option<Option<String>>,
    /// The exchange rate set to convert with when the salary's currency is
    /// not its band's (or a floor's); absent, the previous version's, else
    /// the latest set.
    pub exchange_rate_set_id: Option<i64>,
}

/// Terms checked against the posting and the bands, ready to store.
#[derive(Clone, Debug)]
struct Terms {
    level_id: i64,
    geo_zone_id: i64,
    team_id: Option<i64>,
    currency: String,
    interval: PayInterval,
    base_salary_minor: i64,
    start_date: Option<NaiveDate>,
    notes: Option<String>,
    exception_reason: Option<String>,
    exchange_rate_set_id: Option<i64>,
    band: BandCheck,
}

// ---------------------------------------------------------------------------
// The band check
// ---------------------------------------------------------------------------

/// What identifies the band an offer is measured against. A band key has
/// one currency at a time; `currency` is the offer's, preferred when bands
/// in several currencies are live.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct BandKey {
    pub job_family_id: i64,
    pub level_id: i64,
    pub geo_zone_id: i64,
    pub currency: String,
    pub interval: PayInterval,
    /// The day the band must be live on.
    pub day: NaiveDate,
}

impl BandKey {
    /// The key for `offer` on a posting of `job_family_id`; `None` when the
    /// posting has no job family or the offer no level or zone.
    pub fn of(offer: &offer::Model, job_family_id: Option<i64>, today: NaiveDate) -> Option<Self> {
        Some(BandKey {
            job_family_id: job_family_id?,
            level_id: offer.level_id?,
            geo_zone_id: offer.geo_zone_id?,
            currency: offer.currency.clone(),
            interval: offer.pay_interval,
            day: offer.start_date.unwrap_or(today),
        })
    }
}

/// The band live on each key's day, for every key that has one, in any
/// currency (the key's own preferred). One statement whatever the number of
/// keys. When bands with different start dates are live on the day, the one
/// that started last applies.
pub async fn live_bands(
    db: &impl ConnectionTrait,
    keys: &[BandKey],
) -> Result<HashMap<BandKey, compensation_band::Model>, DbErr> {
    if keys.is_empty() {
        return Ok(HashMap::new());
    }
    let families: BTreeSet<i64> = keys.iter().map(|k| k.job_family_id).collect();
    let levels: BTreeSet<i64> = keys.iter().map(|k| k.level_id).collect();
    let zones: BTreeSet<i64> = keys.iter().map(|k| k.geo_zone_id).collect();
    let bands = compensation_band::Entity::find()
        .filter(compensation_band::Column::JobFamilyId.is_in(families))
        .filter(compensation_band::Column::LevelId.is_in(levels))
        .filter(compensation_band::Column::GeoZoneId.is_in(zones))
        .filter(super::compensation::live_bands_only())
        .all(db)
        .await?;
    let mut found = HashMap::new();
    for key in keys {
        let live = bands
            .iter()
            .filter(|b| {
                b.job_family_id == key.job_family_id
                    && b.level_id == key.level_id
                    && b.geo_zone_id == key.geo_zone_id
                    && b.pay_interval == key.interval
                    && b.effective_from <= key.day
                    && b.effective_to.is_none_or(|to| to > key.day)
            })
            .max_by_key(|b| (b.currency == key.currency, b.effective_from, b.id));
        if let Some(band) = live {
            found.insert(key.clone(), band.clone());
        }
    }
    Ok(found)
}

/// Where a salary sits in its band.
#[derive(Clone, Debug, PartialEq)]
pub struct BandCheck {
    /// The band that applies, if any.
    pub band: Option<compensation_band::Model>,
    /// Whether the salary is within the band (false when there is none).
    pub within_band: bool,
    /// The salary over the band's stored midpoint.
    pub compa_ratio: Option<f64>,
    /// How far into the band the salary is: 0 at the minimum, 1 at the
    /// maximum; `None` when the band's minimum and maximum are equal.
    pub range_penetration: Option<f64>,
    /// The salary in the band's currency, when it had to be converted.
    pub converted_minor: Option<i64>,
    /// The band is in another currency and no exchange rate could convert
    /// the salary into it, so it could not be measured.
    pub conversion_failed: bool,
}

impl BandCheck {
    /// Measures `salary_minor` against `band`.
    pub fn new(salary_minor: i64, band: Option<compensation_band::Model>) -> Self {
        let Some(b) = band else {
            return BandCheck {
                band: None,
                within_band: false,
                compa_ratio: None,
                range_penetration: None,
                converted_minor: None,
                conversion_failed: false,
            };
        };
        let (min, max, salary) = (b.min_minor as f64, b.max_minor as f64, salary_minor as f64);
        let midpoint = b.mid_minor as f64;
        BandCheck {
            within_band: (b.min_minor..=b.max_minor).contains(&salary_minor),
            compa_ratio: (midpoint > 0.0).then(|| salary / midpoint),
            range_penetration: (b.max_minor > b.min_minor).then(|| (salary - min) / (max - min)),
            band: Some(b),
            converted_minor: None,
            conversion_failed: false,
        }
    }

    /// Measures `salary_minor` of `salary_currency` against `band`,
    /// converting it into the band's currency with `rates` when the two differ.
    pub fn measure(
        salary_minor: i64,
        salary_currency: &str,
        band: Option<compensation_band::Model>,
        rates: Option<&RateTable>,
    ) -> Result<Self, ConversionError> {
        let Some(b) = band else {
            return Ok(BandCheck::new(salary_minor, None));
        };
        if b.currency == salary_currency {
            return Ok(BandCheck::new(salary_minor, Some(b)));
        }
        let rates = rates.ok_or(ConversionError::NoRateSet)?;
        let converted = rates.convert(salary_minor, salary_currency, &b.currency)?;
        Ok(BandCheck {
            converted_minor: Some(converted),
            ..BandCheck::new(converted, Some(b))
        })
    }

    /// Like [`BandCheck::measure`], but a salary that cannot be converted
    /// into the band's currency counts as outside the band, with
    /// `conversion_failed` set (and the band kept, so callers can say which).
    pub fn measure_or_unconverted(
        salary_minor: i64,
        salary_currency: &str,
        band: Option<compensation_band::Model>,
        rates: Option<&RateTable>,
    ) -> Self {
        match BandCheck::measure(salary_minor, salary_currency, band.clone(), rates) {
            Ok(check) => check,
            Err(_) => BandCheck {
                band,
                within_band: false,
                compa_ratio: None,
                range_penetration: None,
                converted_minor: None,
                conversion_failed: true,
            },
        }
    }

    /// The check as recorded in the audit log.
    fn to_json(&self) -> Value {
        json!({
            "band_id": self.band.as_ref().map(|b| b.id),
            "within_band": self.within_band,
            "compa_ratio": self.compa_ratio,
            "range_penetration": self.range_penetration,
            "converted_salary_minor": self.converted_minor,
        })
    }
}

/// Whether `offer`'s base salary is outside `range` (the posting's),
/// converted with `rates` when the currencies differ; `None` when the two
/// can't be compared (another interval, no conversion).
pub fn outside_range(
    offer: &offer::Model,
    range: &SalaryRange,
    rates: Option<&RateTable>,
) -> Option<bool> {
    if range.interval != offer.pay_interval {
        return None;
    }
    let salary = if range.currency == offer.currency {
        offer.base_salary_minor
    } else {
        rates?
            .convert(offer.base_salary_minor, &offer.currency, &range.currency)
            .ok()?
    };
    Some(salary < range.min_minor || salary > range.max_minor)
}

/// `minor` units of `code` as people write it: `USD 98550.00`.
fn money(minor: i64, code: &str) -> String {
    let exponent = currency(code).map(|c| c.exponent).unwrap_or(2);
    format!("{code} {}", format_amount(minor, exponent))
}

/// "a year" or "an hour".
fn per(interval: PayInterval) -> &'static str {
    match interval {
        PayInterval::Year => "a year",
        PayInterval::Hour => "an hour",
    }
}

/// A band as people read it: `USD 68500.00 to 128600.00 a year`.
pub fn describe_band(band: &compensation_band::Model) -> String {
    let exponent = currency(&band.currency).map(|c| c.exponent).unwrap_or(2);
    format!(
        "{} {} to {} {}",
        band.currency,
        format_amount(band.min_minor, exponent),
        format_amount(band.max_minor, exponent),
        per(band.pay_interval)
    )
}

/// Where `offer` (on a posting of `job_family_id`) sits in its band today,
/// converted with the offer's own exchange rate set when its currency is not
/// the band's. An offer whose rate set cannot convert counts as outside.
pub async fn measure(
    db: &impl ConnectionTrait,
    offer: &offer::Model,
    job_family_id: Option<i64>,
    today: NaiveDate,
) -> Result<BandCheck, DbErr> {
    let band = match BandKey::of(offer, job_family_id, today) {
        Some(key) => live_bands(db, std::slice::from_ref(&key))
            .await?
            .remove(&key),
        None => None,
    };
    let rates = match offer.exchange_rate_set_id {
        Some(id) => rates::table(db, id).await?,
        None => None,
    };
    Ok(BandCheck::measure_or_unconverted(
        offer.base_salary_minor,
        &offer.currency,
        band,
        rates.as_ref(),
    ))
}

// ---------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------

/// The stage of `plan` at which offers are made: the stage of kind OFFER, or
/// the last stage when there is none.
pub fn offer_stage(plan: &[interview_stage::Model]) -> Option<&interview_stage::Model> {
    plan.iter()
        .find(|s| s.kind == StageKind::Offer)
        .or_else(|| plan.last())
}

/// The offer with `id`, or a `NOT_FOUND` user error at `field`.
pub async fn find(
    db: &impl ConnectionTrait,
    id: i64,
    field: &str,
) -> Result<offer::Model, Failure> {
    offer::Entity::find_by_id(id).one(db).await?.ok_or_else(|| {
        UserError::new(&[field], UserErrorCode::NotFound, "no offer has this ID").into()
    })
}

/// The latest version of the offer on application `application_id`, if any.
pub async fn latest_version(
    db: &impl ConnectionTrait,
    application_id: i64,
) -> Result<Option<offer::Model>, DbErr> {
    offer::Entity::find()
        .filter(offer::Column::ApplicationId.eq(application_id))
        .order_by_desc(offer::Column::Version)
        .one(db)
        .await
}

// ---------------------------------------------------------------------------
// Making and revising offers
// ---------------------------------------------------------------------------

/// Makes an offer on `application` (of `posting`): version 1 in DRAFT, or
/// the next version when the previous offer was declined or withdrawn.
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    application: &application::Model,
    posting: &posting::Model,
    draft: TermsDraft,
) -> Result<offer::Model, Failure> {
    if application.status != ApplicationStatus::Active {
        return Err(invalid_state(
            "applicationId",
            format!(
                "the application is {}; offers are made to active applications only",
                audit::enum_name(&application.status)
            ),
        ));
    }
    let plan = pipeline::plan(db, posting.id).await?;
    match offer_stage(&plan) {
        Some(stage) if stage.id == application.current_stage_id => {}
        Some(stage) => {
            return Err(invalid_state(
                "applicationId",
                format!(
                    "offers are made at stage {} (\"{}\"); move the application there first",
                    stage.position, stage.name
                ),
            ));
        }
        None => {
            return Err(invalid_state(
                "applicationId",
                "the posting has no interview plan, so no offer stage",
            ));
        }
    }
    let latest = latest_version(db, application.id).await?;
    if let Some(latest) = &latest
        && !matches!(
            latest.status,
            OfferStatus::Withdrawn | OfferStatus::Declined
        )
    {
        return Err(invalid_state(
            "applicationId",
            format!(
                "the application already has an offer (version {}, {}); use reviseOffer to change its terms",
                latest.version,
                audit::enum_name(&latest.status)
            ),
        ));
    }
    let terms = settle(db, application, posting, None, draft).await?;
    let version = latest.map_or(1, |o| o.version + 1);
    let txn = begin_write(db).await?;
    let saved = insert_version(&txn, actor, application.id, version, &terms)
        .await
        .map_err(|err| lost_race(err, "applicationId"))?;
    audit::record(
        &txn,
        actor,
        "offer.create",
        "Offer",
        saved.id,
        with(
            audit::changes(None, &saved),
            "band_check",
            terms.band.to_json(),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// Revises `before`, the latest version of an offer on `application` (of
/// `posting`): inserts the next version in DRAFT with the changed terms (the
/// others kept) and marks `before` SUPERSEDED unless it was already declined
/// or withdrawn.
pub async fn revise(
    db: &DatabaseConnection,
    actor: &Actor,
    before: &offer::Model,
    application: &application::Model,
    posting: &posting::Model,
    draft: TermsDraft,
) -> Result<offer::Model, Failure> {
    if matches!(
        before.status,
        OfferStatus::Accepted | OfferStatus::Superseded
    ) {
        return Err(invalid_state(
            "offerId",
            format!(
                "this version is {}; only the latest version of an offer not yet accepted can be revised",
                audit::enum_name(&before.status)
            ),
        ));
    }
    if let Some(latest) = latest_version(db, before.application_id).await?
        && latest.id != before.id
    {
        return Err(invalid_state(
            "offerId",
            format!(
                "this is version {} of the offer; revise the latest, version {}",
                before.version, latest.version
            ),
        ));
    }
    must_be_active(application, "revised")?;
    let terms = settle(db, application, posting, Some(before), draft).await?;
    let txn = begin_write(db).await?;
    if is_open(before.status) {
        let superseded = set_status(&txn, before, OfferStatus::Superseded).await?;
        audit::record(
            &txn,
            actor,
            "offer.supersede",
            "Offer",
            before.id,
            audit::changes(Some(before), &superseded),
        )
        .await?;
    }
    let saved = insert_version(
        &txn,
        actor,
        before.application_id,
        before.version + 1,
        &terms,
    )
    .await
    .map_err(|err| lost_race(err, "offerId"))?;
    let mut changes = audit::changes(Some(before), &saved);
    changes = with(changes, "band_check", terms.band.to_json());
    changes = with(changes, "revises", json!(before.id));
    audit::record(&txn, actor, "offer.revise", "Offer", saved.id, changes).await?;
    txn.commit().await?;
    Ok(saved)
}

/// Inserts version `version` of the offer on `application_id` with `terms`, in DRAFT.
async fn insert_version(
    db: &impl ConnectionTrait,
    actor: &Actor,
    application_id: i64,
    version: i32,
    terms: &Terms,
) -> Result<offer::Model, DbErr> {
    let now = now();
    offer::ActiveModel {
        application_id: Set(application_id),
        version: Set(version),
        status: Set(OfferStatus::Draft),
        level_id: Set(Some(terms.level_id)),
        geo_zone_id: Set(Some(terms.geo_zone_id)),
        team_id: Set(terms.team_id),
        currency: Set(terms.currency.clone()),
        pay_interval: Set(terms.interval),
        base_salary_minor: Set(terms.base_salary_minor),
        start_date: Set(terms.start_date),
        expires_at: Set(None),
        notes: Set(terms.notes.clone()),
        exception_reason: Set(terms.exception_reason.clone()),
        exchange_rate_set_id: Set(terms.exchange_rate_set_id),
        created_by_id: Set(actor.user_id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// Checks `draft` (over `previous` when revising) against the posting, the
/// candidate and the bands; every problem with the input at once, then the
/// band check.
async fn settle(
    db: &impl ConnectionTrait,
    application: &application::Model,
    posting: &posting::Model,
    previous: Option<&offer::Model>,
    draft: TermsDraft,
) -> Result<Terms, Failure> {
    let today = now().date_naive();
    let mut check = Check::new();

    let (currency, salary) = match &draft.base_salary {
        Some(amount) => {
            let found = check.currency(&["baseSalary", "currency"], &amount.currency);
            let minor =
                found.and_then(|c| check.amount(&["baseSalary", "amount"], &amount.amount, c));
            (found.map(|c| c.code.to_owned()), minor)
        }
        None => match previous {
            Some(p) => (Some(p.currency.clone()), Some(p.base_salary_minor)),
            None => {
                check.fail(
                    &["baseSalary"],
                    UserErrorCode::Blank,
                    "give the base salary",
                );
                (None, None)
            }
        },
    };
    let interval = draft
        .interval
        .or(previous.map(|p| p.pay_interval))
        .unwrap_or(PayInterval::Year);
    let start_date = match draft.start_date {
        Some(day) => day,
        None => previous.and_then(|p| p.start_date),
    };
    if let Some(day) = start_date
        && day < today
    {
        check.fail(
            &["startDate"],
            UserErrorCode::InThePast,
            format!("{day} is in the past; the start date is today or later"),
        );
    }
    let notes = match draft.notes {
        Some(notes) => check
            .optional_text(&["notes"], notes.as_deref(), MAX_NOTES)
            .flatten(),
        None => previous.and_then(|p| p.notes.clone()),
    };
    let exception_reason = match draft.exception_reason {
        Some(reason) => check
            .optional_text(&["exceptionReason"], reason.as_deref(), MAX_REASON)
            .flatten(),
        None => previous.and_then(|p| p.exception_reason.clone()),
    };

    let level_id = match draft.level_id {
        Some(id) => posting_level_of(db, &mut check, posting, id).await?,
        None => match previous.and_then(|p| p.level_id) {
            Some(id) => Some(id),
            None => {
                check.fail(&["levelId"], UserErrorCode::Blank, "give the level");
                None
            }
        },
    };
    let team_id = match draft.team_id {
        Some(id) => posting_team_of(db, &mut check, posting, id).await?,
        None => match previous {
            Some(p) => p.team_id,
            None => default_team(db, &mut check, posting).await?,
        },
    };
    let geo_zone_id = match draft.geo_zone_id {
        Some(id) => {
            if exists::<geo_zone::Entity>(db, id).await? {
                Some(id)
            } else {
                check.fail(
                    &["geoZoneId"],
                    UserErrorCode::NotFound,
                    "no geo zone has this ID",
                );
                None
            }
        }
        None => match previous.and_then(|p| p.geo_zone_id) {
            Some(id) => Some(id),
            None => {
                let zone = candidate_zone(db, application.candidate_id).await?;
                if zone.is_none() {
                    check.fail(
                        &["geoZoneId"],
                        UserErrorCode::Blank,
                        "no geo zone lists the candidate's country and there is no fallback zone; give the geo zone",
                    );
                }
                zone
            }
        },
    };
    check.finish()?;
    let (Some(currency), Some(salary), Some(level_id), Some(geo_zone_id)) =
        (currency, salary, level_id, geo_zone_id)
    else {
        return Err(
            ApiError::Internal("offer terms passed their checks incompletely".into()).into(),
        );
    };

    let day = start_date.unwrap_or(today);
    let band = match posting.job_family_id {
        Some(job_family_id) => {
            let key = BandKey {
                job_family_id,
                level_id,
                geo_zone_id,
                currency: currency.clone(),
                interval,
                day,
            };
            live_bands(db, std::slice::from_ref(&key))
                .await?
                .remove(&key)
        }
        None => None,
    };
    let floors = match candidate_country(db, application.candidate_id).await? {
        Some(country) => floors::in_force(db, &country, interval, day).await?,
        None => Vec::new(),
    };
    // The rate set, looked up only when a band or a floor is in another currency.
    let needs_rates = band.as_ref().is_some_and(|b| b.currency != currency)
        || floors.iter().any(|f| f.currency != currency);
    let rates = if needs_rates {
        Some(rate_set(db, draft.exchange_rate_set_id, previous, today).await?)
    } else {
        None
    };
    let rates = rates.flatten();
    let offered = format!("{} {}", money(salary, &currency), per(interval));

    for floor in &floors {
        let minimum = convert_for(
            rates.as_ref(),
            floor.amount_minor,
            &floor.currency,
            &currency,
        )?;
        if salary < minimum {
            let shown = if floor.currency == currency {
                floors::describe(floor)
            } else {
                format!(
                    "{} ({} with exchange rate set \"{}\")",
                    floors::describe(floor),
                    money(minimum, &currency),
                    rates.as_ref().map_or("", |r| r.set.name.as_str())
                )
            };
            return Err(UserError::new(
                &["baseSalary", "amount"],
                UserErrorCode::BelowFloor,
                format!(
                    "{offered} is below the {} floor for {}, {shown} ({}); no offer may go below it",
                    floors::kind_name(floor.kind),
                    country_name(&floor.country_code).unwrap_or(&floor.country_code),
                    floor.source
                ),
            )
            .into());
        }
    }

    let band_currency = band.as_ref().map(|b| b.currency.clone());
    let band = BandCheck::measure(salary, &currency, band, rates.as_ref()).map_err(|err| {
        no_rate(
            &err,
            &currency,
            band_currency.as_deref().unwrap_or(&currency),
            rates.as_ref(),
        )
    })?;
    if !band.within_band && exception_reason.is_none() {
        let message = match &band.band {
            Some(b) => {
                let converted = match band.converted_minor {
                    Some(minor) => format!(
                        " ({} with exchange rate set \"{}\")",
                        money(minor, &b.currency),
                        rates.as_ref().map_or("", |r| r.set.name.as_str())
                    ),
                    None => String::new(),
                };
                format!(
                    "{offered}{converted} is outside the band for this level and zone, {}; give an exception reason to offer it anyway",
                    describe_band(b)
                )
            }
            None => format!(
                "no compensation band of the posting's job family applies to this level, zone and interval on {day}, so {offered} can't be checked; give an exception reason to offer it anyway"
            ),
        };
        return Err(
            UserError::new(&["baseSalary", "amount"], UserErrorCode::OutOfBand, message).into(),
        );
    }
    let exchange_rate_set_id = rates.as_ref().map(|r| r.set.id);
    Ok(Terms {
        level_id,
        geo_zone_id,
        team_id,
        currency,
        interval,
        base_salary_minor: salary,
        start_date,
        notes,
        exception_reason,
        exchange_rate_set_id,
        band,
    })
}

/// The rate set to convert with: the one named, else the previous version's,
/// else the latest set taken by `today`. `None` when there is none at all.
async fn rate_set(
    db: &impl ConnectionTrait,
    named: Option<i64>,
    previous: Option<&offer::Model>,
    today: NaiveDate,
) -> Result<Option<RateTable>, Failure> {
    if let Some(id) = named {
        return match rates::table(db, id).await? {
            Some(table) => Ok(Some(table)),
            None => Err(UserError::new(
                &["exchangeRateSetId"],
                UserErrorCode::NotFound,
                "no exchange rate set has this ID",
            )
            .into()),
        };
    }
    if let Some(id) = previous.and_then(|p| p.exchange_rate_set_id)
        && let Some(table) = rates::table(db, id).await?
    {
        return Ok(Some(table));
    }
    Ok(rates::latest(db, today).await?)
}

/// `minor` units of `from` in `to`, with `rates`; NO_EXCHANGE_RATE when it can't be done.
fn convert_for(
    rates: Option<&RateTable>,
    minor: i64,
    from: &str,
    to: &str,
) -> Result<i64, Failure> {
    if from == to {
        return Ok(minor);
    }
    rates
        .ok_or(ConversionError::NoRateSet)
        .and_then(|r| r.convert(minor, from, to))
        .map_err(|err| no_rate(&err, to, from, rates))
}

/// The user error for a conversion from `offered` into `needed` that could not be made.
fn no_rate(
    err: &ConversionError,
    offered: &str,
    needed: &str,
    rates: Option<&RateTable>,
) -> Failure {
    let reason = match (err, rates) {
        (ConversionError::MissingRate(code), Some(r)) => {
            format!(
                "exchange rate set \"{}\" has no rate for {code}",
                r.set.name
            )
        }
        (ConversionError::Overflow, _) => "the converted amount is too large".to_owned(),
        _ => "there is no exchange rate set".to_owned(),
    };
    UserError::new(
        &["baseSalary", "currency"],
        UserErrorCode::NoExchangeRate,
        format!(
            "the salary is in {offered} but must be compared with an amount in {needed}, and {reason}; add or name an exchange rate set that has both, or offer in {needed}"
        ),
    )
    .into()
}

/// `level_id` when it is one of the levels `posting` hires at; otherwise
/// records the error and returns `None`.
async fn posting_level_of(
    db: &impl ConnectionTrait,
    check: &mut Check,
    posting: &posting::Model,
    level_id: i64,
) -> Result<Option<i64>, DbErr> {
    if !exists::<level::Entity>(db, level_id).await? {
        check.fail(
            &["levelId"],
            UserErrorCode::NotFound,
            "no level has this ID",
        );
        return Ok(None);
    }
    let allowed: Vec<i64> = posting_level::Entity::find()
        .filter(posting_level::Column::PostingId.eq(posting.id))
        .all(db)
        .await?
        .into_iter()
        .map(|row| row.level_id)
        .collect();
    if allowed.contains(&level_id) {
        return Ok(Some(level_id));
    }
    let mut codes: Vec<String> = level::Entity::find()
        .filter(level::Column::Id.is_in(allowed))
        .all(db)
        .await?
        .into_iter()
        .map(|l| l.code)
        .collect();
    codes.sort();
    check.fail(
        &["levelId"],
        UserErrorCode::Invalid,
        if codes.is_empty() {
            "the posting hires at no level yet; add its levels first".to_owned()
        } else {
            format!(
                "the posting hires at {} only; choose one of those levels",
                codes.join(", ")
            )
        },
    );
    Ok(None)
}

/// `team_id` when it is one of the teams `posting` is open to; otherwise
/// records the error and returns `None`.
async fn posting_team_of(
    db: &impl ConnectionTrait,
    check: &mut Check,
    posting: &posting::Model,
    team_id: i64,
) -> Result<Option<i64>, DbErr> {
    if !exists::<team::Entity>(db, team_id).await? {
        check.fail(&["teamId"], UserErrorCode::NotFound, "no team has this ID");
        return Ok(None);
    }
    if posting_teams(db, posting.id).await?.contains(&team_id) {
        Ok(Some(team_id))
    } else {
        check.fail(
            &["teamId"],
            UserErrorCode::Invalid,
            "the posting is not open to this team; choose one of the posting's teams",
        );
        Ok(None)
    }
}

/// The team of a new offer given none: the posting's only team, or none when
/// it lists none; an error when it is open to several.
async fn default_team(
    db: &impl ConnectionTrait,
    check: &mut Check,
    posting: &posting::Model,
) -> Result<Option<i64>, DbErr> {
    match posting_teams(db, posting.id).await?.as_slice() {
        [] => Ok(None),
        [only] => Ok(Some(*only)),
        _ => {
            check.fail(
                &["teamId"],
                UserErrorCode::Blank,
                "the posting is open to several teams; say which one the candidate joins",
            );
            Ok(None)
        }
    }
}

async fn posting_teams(db: &impl ConnectionTrait, posting_id: i64) -> Result<Vec<i64>, DbErr> {
    Ok(posting_team::Entity::find()
        .filter(posting_team::Column::PostingId.eq(posting_id))
        .order_by_asc(posting_team::Column::TeamId)
        .all(db)
        .await?
        .into_iter()
        .map(|row| row.team_id)
        .collect())
}

/// The country the candidate lives in, if they gave it.
async fn candidate_country(
    db: &impl ConnectionTrait,
    candidate_id: i64,
) -> Result<Option<String>, DbErr> {
    Ok(candidate::Entity::find_by_id(candidate_id)
        .one(db)
        .await?
        .and_then(|c| c.country_code))
}

/// The geo zone that pays the candidate: the zone listing their country, else
/// the fallback zone.
async fn candidate_zone(
    db: &impl ConnectionTrait,
    candidate_id: i64,
) -> Result<Option<i64>, DbErr> {
    let country = candidate::Entity::find_by_id(candidate_id)
        .one(db)
        .await?
        .and_then(|c| c.country_code);
    if let Some(country) = country
        && let Some(row) = geo_zone_country::Entity::find()
            .filter(geo_zone_country::Column::CountryCode.eq(country))
            .one(db)
            .await?
    {
        return Ok(Some(row.geo_zone_id));
    }
    Ok(geo_zone::Entity::find()
        .filter(geo_zone::Column::IsFallback.eq(true))
        .one(db)
        .await?
        .map(|z| z.id))
}

// ---------------------------------------------------------------------------
// The status machine
// ---------------------------------------------------------------------------

/// A change of an offer's status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StatusChange {
    /// DRAFT → PENDING_APPROVAL.
    Submit,
    /// PENDING_APPROVAL → APPROVED, with an optional comment. An offer
    /// outside its band needs an admin's approval (`by_admin`).
    Approve {
        comment: Option<String>,
        by_admin: bool,
    },
    /// PENDING_APPROVAL → DRAFT, saying why.
    RejectApproval { comment: String },
    /// APPROVED → SENT.
    Send,
    /// SENT → ACCEPTED, hiring the candidate.
    Accept,
    /// SENT → DECLINED, with what the candidate said.
    Decline { reason: Option<String> },
    /// DRAFT, PENDING_APPROVAL, APPROVED or SENT → WITHDRAWN.
    Withdraw { reason: Option<String> },
}

impl StatusChange {
    fn allowed_from(&self) -> &'static [OfferStatus] {
        use OfferStatus::*;
        match self {
            StatusChange::Submit => &[Draft],
            StatusChange::Approve { .. } | StatusChange::RejectApproval { .. } => {
                &[PendingApproval]
            }
            StatusChange::Send => &[Approved],
            StatusChange::Accept | StatusChange::Decline { .. } => &[Sent],
            StatusChange::Withdraw { .. } => &[Draft, PendingApproval, Approved, Sent],
        }
    }

    fn target(&self) -> OfferStatus {
        match self {
            StatusChange::Submit => OfferStatus::PendingApproval,
            StatusChange::Approve { .. } => OfferStatus::Approved,
            StatusChange::RejectApproval { .. } => OfferStatus::Draft,
            StatusChange::Send => OfferStatus::Sent,
            StatusChange::Accept => OfferStatus::Accepted,
            StatusChange::Decline { .. } => OfferStatus::Declined,
            StatusChange::Withdraw { .. } => OfferStatus::Withdrawn,
        }
    }

    fn action(&self) -> &'static str {
        match self {
            StatusChange::Submit => "offer.submit",
            StatusChange::Approve { .. } => "offer.approve",
            StatusChange::RejectApproval { .. } => "offer.reject_approval",
            StatusChange::Send => "offer.send",
            StatusChange::Accept => "offer.accept",
            StatusChange::Decline { .. } => "offer.decline",
            StatusChange::Withdraw { .. } => "offer.withdraw",
        }
    }

    fn done(&self) -> &'static str {
        match self {
            StatusChange::Submit => "submitted for approval",
            StatusChange::Approve { .. } => "approved",
            StatusChange::RejectApproval { .. } => "turned down",
            StatusChange::Send => "sent",
            StatusChange::Accept => "accepted",
            StatusChange::Decline { .. } => "declined",
            StatusChange::Withdraw { .. } => "withdrawn",
        }
    }

    /// Whether the application must still be active for this change.
    fn needs_active_application(&self) -> bool {
        matches!(
            self,
            StatusChange::Submit
                | StatusChange::Approve { .. }
                | StatusChange::Send
                | StatusChange::Accept
        )
    }
}

/// Changes the status of `before` (as the caller read it and authorized),
/// an offer on `application`. Accepting also hires, in the same transaction.
pub async fn change_status(
    db: &DatabaseConnection,
    actor: &Actor,
    before: &offer::Model,
    application: &application::Model,
    change: StatusChange,
) -> Result<offer::Model, Failure> {
    let mut check = Check::new();
    let (comment, reason) = match &change {
        StatusChange::Approve { comment, .. } => (
            check
                .optional_text(&["comment"], comment.as_deref(), MAX_REASON)
                .flatten(),
            None,
        ),
        StatusChange::RejectApproval { comment } => {
            (check.text(&["comment"], comment, MAX_REASON), None)
        }
        StatusChange::Decline { reason } | StatusChange::Withdraw { reason } => (
            None,
            check
                .optional_text(&["reason"], reason.as_deref(), MAX_REASON)
                .flatten(),
        ),
        _ => (None, None),
    };
    check.finish()?;
    let allowed = change.allowed_from();
    if !allowed.contains(&before.status) {
        let names: Vec<String> = allowed.iter().map(audit::enum_name).collect();
        let hint = if before.status == OfferStatus::Superseded {
            "; a later version replaced it, change that one"
        } else {
            ""
        };
        return Err(invalid_state(
            "offerId",
            format!(
                "the offer is {}; only {} offer can be {}{hint}",
                audit::enum_name(&before.status),
                one_of(&names),
                change.done()
            ),
        ));
    }
    if change.needs_active_application() {
        must_be_active(application, change.done())?;
    }
    if let StatusChange::Approve {
        by_admin: false, ..
    } = change
    {
        let posting = posting::Entity::find_by_id(application.posting_id)
            .one(db)
            .await?
            .ok_or_else(|| ApiError::Internal("an offer's posting is missing".into()))?;
        let check = measure(db, before, posting.job_family_id, now().date_naive()).await?;
        if !check.within_band {
            let band = match &check.band {
                Some(b) if check.conversion_failed => format!(
                    "in {} and its band is in {}, and no exchange rate set converts between them",
                    before.currency, b.currency
                ),
                Some(b) => format!("outside its band, {}", describe_band(b)),
                None => "not covered by any band".to_owned(),
            };
            return Err(UserError::new(
                &["offerId"],
                UserErrorCode::AdminApprovalRequired,
                format!(
                    "the offer of {} {} is {band}; only an admin may approve an exception to the bands",
                    money(before.base_salary_minor, &before.currency),
                    per(before.pay_interval)
                ),
            )
            .into());
        }
    }

    let txn = begin_write(db).await?;
    // The guarded update comes first, so the transaction holds the row (and,
    // on SQLite, the write lock) before it reads anything else.
    let after = set_status(&txn, before, change.target()).await?;
    let mut changes = audit::changes(Some(before), &after);
    match &change {
        StatusChange::Approve { .. } | StatusChange::RejectApproval { .. } => {
            let decision = if matches!(change, StatusChange::Approve { .. }) {
                ApprovalDecision::Approved
            } else {
                ApprovalDecision::Rejected
            };
            record_decision(&txn, actor, after.id, decision, comment.clone()).await?;
            changes = with(changes, "decision", json!(audit::enum_name(&decision)));
            changes = with(changes, "comment", json!(comment));
        }
        StatusChange::Accept => {
            let current = pipeline::find(&txn, after.application_id, "offerId").await?;
            must_be_active(&current, change.done())?;
            pipeline::hire_in(&txn, actor, &current, current.version, after.team_id)
                .await
                .map_err(|failure| at_offer(failure, "the application could not be hired"))?;
        }
        StatusChange::Decline { .. } | StatusChange::Withdraw { .. } => {
            if let Some(reason) = &reason {
                changes = with(changes, "reason", json!(reason));
            }
        }
        StatusChange::Submit | StatusChange::Send => {}
    }
    audit::record(&txn, actor, change.action(), "Offer", after.id, changes).await?;
    txn.commit().await?;
    Ok(after)
}

/// Records `decision` by the actor on offer `offer_id`. An approver has one
/// decision per version: deciding again (after the offer was sent back and
/// submitted again) replaces it; the audit log keeps every decision.
async fn record_decision(
    db: &impl ConnectionTrait,
    actor: &Actor,
    offer_id: i64,
    decision: ApprovalDecision,
    comment: Option<String>,
) -> Result<(), Failure> {
    let approver = actor
        .user_id
        .ok_or_else(|| ApiError::Internal("an offer decision without a staff user".into()))?;
    let now = now();
    let existing = offer_approval::Entity::find()
        .filter(offer_approval::Column::OfferId.eq(offer_id))
        .filter(offer_approval::Column::ApproverId.eq(approver))
        .one(db)
        .await?;
    match existing {
        Some(row) => {
            let mut row: offer_approval::ActiveModel = row.into();
            row.decision = Set(decision);
            row.comment = Set(comment);
            row.decided_at = Set(Some(now));
            row.update(db).await?;
        }
        None => {
            offer_approval::ActiveModel {
                offer_id: Set(offer_id),
                approver_id: Set(approver),
                decision: Set(decision),
                comment: Set(comment),
                decided_at: Set(Some(now)),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
    }
    Ok(())
}

/// Sets the status of `before` if it still has the status it was read with;
/// CONFLICT otherwise. Returns the offer as stored.
async fn set_status(
    db: &impl ConnectionTrait,
    before: &offer::Model,
    status: OfferStatus,
) -> Result<offer::Model, Failure> {
    let updated = offer::Entity::update_many()
        .col_expr(offer::Column::Status, Expr::value(status))
        .col_expr(offer::Column::UpdatedAt, Expr::value(now()))
        .filter(offer::Column::Id.eq(before.id))
        .filter(offer::Column::Status.eq(before.status))
        .exec(db)
        .await?;
    let current = find(db, before.id, "offerId").await?;
    if updated.rows_affected == 0 {
        // Someone else changed it between our read and our write.
        return Err(UserError::new(
            &["offerId"],
            UserErrorCode::Conflict,
            format!(
                "the offer changed since you read it; it is now {}; reload it and try again",
                audit::enum_name(&current.status)
            ),
        )
        .into());
    }
    Ok(current)
}

/// Whether an offer in `status` is still open: not yet answered, withdrawn or replaced.
fn is_open(status: OfferStatus) -> bool {
    matches!(
        status,
        OfferStatus::Draft
            | OfferStatus::PendingApproval
            | OfferStatus::Approved
            | OfferStatus::Sent
    )
}

fn must_be_active(application: &application::Model, done: &str) -> Result<(), Failure> {
    if application.status == ApplicationStatus::Active {
        Ok(())
    } else {
        Err(invalid_state(
            "offerId",
            format!(
                "the application is {}; only an offer on an active application can be {done}",
                audit::enum_name(&application.status)
            ),
        ))
    }
}

fn invalid_state(field: &str, message: impl Into<String>) -> Failure {
    UserError::new(&[field], UserErrorCode::InvalidState, message).into()
}

/// A lost race to insert the same version: CONFLICT at `field`.
fn lost_race(err: DbErr, field: &str) -> Failure {
    if unique_violation(&err).is_some() {
        UserError::new(
            &[field],
            UserErrorCode::Conflict,
            "another version of this offer was made at the same time; reload it and try again",
        )
        .into()
    } else {
        err.into()
    }
}

/// User errors of a step taken on the offer's behalf, moved to `offerId`
/// (the only field of the input) with `context` before their message.
fn at_offer(failure: Failure, context: &str) -> Failure {
    match failure {
        Failure::Rejected(errors) => Failure::Rejected(
            errors
                .into_iter()
                .map(|e| UserError::new(&["offerId"], e.code, format!("{context}: {}", e.message)))
                .collect(),
        ),
        other => other,
    }
}

/// `changes` with `key` set to `value`.
fn with(mut changes: Value, key: &str, value: Value) -> Value {
    if let Value::Object(map) = &mut changes {
        map.insert(key.to_owned(), value);
    }
    changes
}

/// "a SENT", "an APPROVED", "a DRAFT, APPROVED or SENT".
fn one_of(names: &[String]) -> String {
    let list = match names {
        [] => return String::new(),
        [only] => only.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    };
    let article = if list.starts_with(['A', 'E', 'I', 'O', 'U']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {list}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn band(min_minor: i64, max_minor: i64) -> compensation_band::Model {
        let now = Utc::now();
        compensation_band::Model {
            id: 1,
            job_family_id: 1,
            level_id: 1,
            geo_zone_id: 1,
            currency: "USD".into(),
            pay_interval: PayInterval::Year,
            min_minor,
            max_minor,
            mid_minor: (min_minor + max_minor) / 2,
            band_set_id: None,
            effective_from: now.date_naive(),
            effective_to: None,
            created_at: now,
            updated_at: now,
        }
    }

    #[test]
    fn the_midpoint_has_a_compa_ratio_of_one_and_half_penetration() {
        let check = BandCheck::new(9_855_000, Some(band(6_850_000, 12_860_000)));
        assert!(check.within_band);
        assert_eq!(check.compa_ratio, Some(1.0));
        assert_eq!(check.range_penetration, Some(0.5));
    }

    #[test]
    fn the_band_edges_are_within_it_and_beyond_them_is_not() {
        let b = band(6_850_000, 12_860_000);
        assert!(BandCheck::new(6_850_000, Some(b.clone())).within_band);
        assert!(BandCheck::new(12_860_000, Some(b.clone())).within_band);
        let above = BandCheck::new(12_860_001, Some(b));
        assert!(!above.within_band);
        assert!(above.range_penetration.is_some_and(|p| p > 1.0));
    }

    #[test]
    fn a_band_of_one_amount_has_no_penetration_and_no_band_has_no_figures() {
        let flat = BandCheck::new(100, Some(band(100, 100)));
        assert!(flat.within_band);
        assert_eq!(flat.range_penetration, None);
        assert_eq!(flat.compa_ratio, Some(1.0));
        let none = BandCheck::new(100, None);
        assert!(!none.within_band);
        assert_eq!((none.compa_ratio, none.range_penetration), (None, None));
    }

    fn stage(id: i64, kind: StageKind) -> interview_stage::Model {
        let now = Utc::now();
        interview_stage::Model {
            id,
            posting_id: 1,
            position: id as i32,
            name: format!("Stage {id}"),
            kind,
            mode: entity::enums::StageMode::Async,
            duration_minutes: None,
            sla_hours: None,
            created_at: now,
            updated_at: now,
        }
    }

    #[test]
    fn offers_are_made_at_the_offer_stage_or_else_the_last() {
        let with_offer = [
            stage(1, StageKind::Interview),
            stage(2, StageKind::Offer),
            stage(3, StageKind::ReferenceCheck),
        ];
        assert_eq!(offer_stage(&with_offer).map(|s| s.id), Some(2));
        let without = [
            stage(1, StageKind::Interview),
            stage(2, StageKind::EmploymentVerification),
        ];
        assert_eq!(offer_stage(&without).map(|s| s.id), Some(2));
        assert_eq!(offer_stage(&[]), None);
    }

    #[test]
    fn bands_read_as_people_write_them() {
        assert_eq!(
            describe_band(&band(6_850_000, 12_860_000)),
            "USD 68500.00 to 128600.00 a year"
        );
        assert_eq!(one_of(&["SENT".into()]), "a SENT");
        assert_eq!(one_of(&["APPROVED".into()]), "an APPROVED");
        assert_eq!(
            one_of(&["DRAFT".into(), "APPROVED".into(), "SENT".into()]),
            "a DRAFT, APPROVED or SENT"
        );
    }
}
