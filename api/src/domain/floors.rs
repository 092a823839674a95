//! Pay floors: the lowest pay allowed in a country for an interval, over a
//! period. A statutory floor is the law's minimum wage; a company floor is
//! the employer's own promise. No offer goes below either, whatever its
//! band or exception reason says.

use chrono::NaiveDate;
use entity::enums::{FloorKind, PayInterval};
use entity::pay_floor;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, QueryFilter, QueryOrder, Set,
};

use super::audit::{self, Actor};
use super::countries::country_name;
use super::money::{currency, format_amount};
use super::offers::MoneyDraft;
use super::validate::Check;
use super::write::now;
use crate::db::begin_write;
use crate::error::{ApiError, Failure, UserError, UserErrorCode};

/// A new pay floor as entered.
#[derive(Clone, Debug)]
pub struct FloorDraft {
    pub country_code: String,
    pub kind: FloorKind,
    pub amount: MoneyDraft,
    pub interval: PayInterval,
    pub effective_from: NaiveDate,
    pub effective_to: Option<NaiveDate>,
    pub source: String,
}

/// Creates a pay floor. Floors of the same country, kind and interval may
/// not overlap in time: end the old one (`effectiveTo`) and add the next.
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    draft: FloorDraft,
) -> Result<pay_floor::Model, Failure> {
    let mut check = Check::new();
    let country = check.country(&["countryCode"], &draft.country_code);
    let found = check.currency(&["amount", "currency"], &draft.amount.currency);
    let amount = found.and_then(|c| check.amount(&["amount", "amount"], &draft.amount.amount, c));
    if amount == Some(0) {
        check.fail(
            &["amount", "amount"],
            UserErrorCode::OutOfRange,
            "a floor is above zero",
        );
    }
    if let Some(to) = draft.effective_to
        && to <= draft.effective_from
    {
        check.fail(
            &["effectiveTo"],
            UserErrorCode::InvalidRange,
            format!(
                "the floor would end ({to}) before it starts ({})",
                draft.effective_from
            ),
        );
    }
    let source = check.text(&["source"], &draft.source, 2000);
    check.finish()?;
    let (Some(country), Some(found), Some(amount), Some(source)) = (country, found, amount, source)
    else {
        return Err(ApiError::Internal("pay floor passed its checks incompletely".into()).into());
    };

    let txn = begin_write(db).await?;
    let overlapping = pay_floor::Entity::find()
        .filter(pay_floor::Column::CountryCode.eq(&country))
        .filter(pay_floor::Column::Kind.eq(draft.kind))
        .filter(pay_floor::Column::PayInterval.eq(draft.interval))
        .filter(
            Condition::any()
                .add(pay_floor::Column::EffectiveTo.is_null())
                .add(pay_floor::Column::EffectiveTo.gt(draft.effective_from)),
        )
        .all(&txn)
        .await?
        .into_iter()
        .find(|f| draft.effective_to.is_none_or(|to| f.effective_from < to));
    if let Some(other) = overlapping {
        return Err(UserError::new(
            &["effectiveFrom"],
            UserErrorCode::Overlap,
            format!(
                "{} already has a {} floor from {}{}; end it before this one starts",
                country_name(&country).unwrap_or(&country),
                kind_name(draft.kind),
                other.effective_from,
                other
                    .effective_to
                    .map(|to| format!(" to {to}"))
                    .unwrap_or_default()
            ),
        )
        .into());
    }
    let now = now();
    let saved = pay_floor::ActiveModel {
        country_code: Set(country),
        kind: Set(draft.kind),
        currency: Set(found.code.to_owned()),
        pay_interval: Set(draft.interval),
        amount_minor: Set(amount),
        effective_from: Set(draft.effective_from),
        effective_to: Set(draft.effective_to),
        source: Set(source),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        actor,
        "pay_floor.create",
        "PayFloor",
        saved.id,
        audit::changes(None, &saved),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// The floors in force in `country` for `interval` on `day`.
pub async fn in_force(
    db: &impl ConnectionTrait,
    country: &str,
    interval: PayInterval,
    day: NaiveDate,
) -> Result<Vec<pay_floor::Model>, DbErr> {
    pay_floor::Entity::find()
        .filter(pay_floor::Column::CountryCode.eq(country))
        .filter(pay_floor::Column::PayInterval.eq(interval))
        .filter(pay_floor::Column::EffectiveFrom.lte(day))
        .filter(
            Condition::any()
                .add(pay_floor::Column::EffectiveTo.is_null())
                .add(pay_floor::Column::EffectiveTo.gt(day)),
        )
        .order_by_asc(pay_floor::Column::Kind)
        .all(db)
        .await
}

/// "statutory" or "company".
pub fn kind_name(kind: FloorKind) -> &'static str {
    match kind {
        FloorKind::Statutory => "statutory",
        FloorKind::Company => "company",
    }
}

/// A floor as people read it: `KES 180000.00 a year`.
pub fn describe(floor: &pay_floor::Model) -> String {
    let exponent = currency(&floor.currency).map(|c| c.exponent).unwrap_or(2);
    format!(
        "{} {} {}",
        floor.currency,
        format_amount(floor.amount_minor, exponent),
        match floor.pay_interval {
            PayInterval::Year => "a year",
            PayInterval::Hour => "an hour",
        }
    )
}
