//! Exchange rate sets: dated, named lists of rates against one base
//! currency, and exact conversion with them.
//!
//! A set is never changed once made, so a converted figure that names its
//! set can always be recomputed to the same minor unit. A rate is an exact
//! decimal string: how many units of a currency one unit of the base buys.
//! Converting from A to B goes through the base (amount ÷ rate of A × rate
//! of B), in exact integer arithmetic, rounded half away from zero to B's
//! minor unit.

use std::collections::HashMap;

use chrono::NaiveDate;
use entity::{exchange_rate, exchange_rate_set};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, QueryOrder, Set,
};
use serde_json::json;

use super::audit::{self, Actor};
use super::money::currency;
use super::validate::Check;
use super::write::{must_be_free, now, taken};
use crate::db::begin_write;
use crate::error::{Failure, UserErrorCode};

/// Most decimals a rate may have.
const MAX_RATE_DECIMALS: usize = 10;
/// Most digits before the decimal point of a rate.
const MAX_RATE_WHOLE_DIGITS: usize = 9;
/// Most rates in one set.
pub const MAX_RATES: usize = 200;

/// A positive exact decimal: `units / 10^scale`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rate {
    units: i128,
    scale: u32,
}

impl Rate {
    /// One: the rate of the base currency itself.
    pub const ONE: Rate = Rate { units: 1, scale: 0 };

    /// Reads a rate such as `0.92` or `129.5`: positive, plain decimal
    /// notation, at most 10 decimals and 9 whole digits.
    pub fn parse(text: &str) -> Option<Rate> {
        let text = text.trim();
        let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty()
            || !digits(whole)
            || !digits(fraction)
            || (text.contains('.') && fraction.is_empty())
            || whole.len() > MAX_RATE_WHOLE_DIGITS
            || fraction.len() > MAX_RATE_DECIMALS
        {
            return None;
        }
        let units: i128 = format!("{whole}{fraction}").parse().ok()?;
        (units > 0).then_some(Rate {
            units,
            scale: fraction.len() as u32,
        })
    }
}

/// Why an amount could not be converted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConversionError {
    /// The set has no rate for this currency.
    MissingRate(String),
    /// The currency is not an ISO 4217 currency with minor units.
    UnknownCurrency(String),
    /// The result does not fit.
    Overflow,
    /// No exchange rate set was given or exists.
    NoRateSet,
}

/// An exchange rate set with its rates, ready to convert.
#[derive(Clone, Debug, PartialEq)]
pub struct RateTable {
    /// The set.
    pub set: exchange_rate_set::Model,
    rates: HashMap<String, Rate>,
}

impl RateTable {
    /// `set` with `rates` (rows of any set; only its own are kept).
    pub fn new(set: exchange_rate_set::Model, rates: &[exchange_rate::Model]) -> RateTable {
        let mut table: HashMap<String, Rate> = rates
            .iter()
            .filter(|r| r.rate_set_id == set.id)
            .filter_map(|r| Some((r.currency.clone(), Rate::parse(&r.rate)?)))
            .collect();
        table.insert(set.base_currency.clone(), Rate::ONE);
        RateTable { set, rates: table }
    }

    /// Whether the set can convert between `a` and `b`.
    pub fn converts(&self, a: &str, b: &str) -> bool {
        self.rates.contains_key(a) && self.rates.contains_key(b)
    }

    /// `minor` units of `from` in minor units of `to`, rounded half away from zero.
    pub fn convert(&self, minor: i64, from: &str, to: &str) -> Result<i64, ConversionError> {
        if from == to {
            return Ok(minor);
        }
        let exponent = |code: &str| {
            currency(code)
                .map(|c| c.exponent)
                .ok_or_else(|| ConversionError::UnknownCurrency(code.to_owned()))
        };
        let rate = |code: &str| {
            self.rates
                .get(code)
                .copied()
                .ok_or_else(|| ConversionError::MissingRate(code.to_owned()))
        };
        let (from_rate, to_rate) = (rate(from)?, rate(to)?);
        let (from_exp, to_exp) = (exponent(from)?, exponent(to)?);
        // minor_to = minor × to.units × 10^(from.scale + to_exp)
        //          ÷ (from.units × 10^(to.scale + from_exp))
        let up = i64::from(from_rate.scale + to_exp) - i64::from(to_rate.scale + from_exp);
        let power = |n: i64| 10_i128.checked_pow(u32::try_from(n).ok()?);
        let mut numerator = i128::from(minor).checked_mul(to_rate.units);
        let mut denominator = Some(from_rate.units);
        if up >= 0 {
            numerator = numerator.zip(power(up)).and_then(|(n, p)| n.checked_mul(p));
        } else {
            denominator = denominator
                .zip(power(-up))
                .and_then(|(d, p)| d.checked_mul(p));
        }
        let (numerator, denominator) = numerator
            .zip(denominator)
            .ok_or(ConversionError::Overflow)?;
        let quotient = numerator / denominator;
        let remainder = numerator % denominator;
        let rounded = if remainder.abs() * 2 >= denominator {
            quotient + numerator.signum()
        } else {
            quotient
        };
        i64::try_from(rounded).map_err(|_| ConversionError::Overflow)
    }
}

/// The rate tables of the sets in `ids`, in two statements.
pub async fn tables(
    db: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<HashMap<i64, RateTable>, DbErr> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let sets = exchange_rate_set::Entity::find()
        .filter(exchange_rate_set::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    let rates = exchange_rate::Entity::find()
        .filter(exchange_rate::Column::RateSetId.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    Ok(sets
        .into_iter()
        .map(|set| (set.id, RateTable::new(set, &rates)))
        .collect())
}

/// The rate table of set `id`, if it exists.
pub async fn table(db: &impl ConnectionTrait, id: i64) -> Result<Option<RateTable>, DbErr> {
    Ok(tables(db, &[id]).await?.remove(&id))
}

/// The latest set taken on or before `day`: the one conversions use when
/// none is named.
pub async fn latest(db: &impl ConnectionTrait, day: NaiveDate) -> Result<Option<RateTable>, DbErr> {
    let Some(set) = exchange_rate_set::Entity::find()
        .filter(exchange_rate_set::Column::EffectiveOn.lte(day))
        .order_by_desc(exchange_rate_set::Column::EffectiveOn)
        .order_by_desc(exchange_rate_set::Column::Id)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    table(db, set.id).await
}

/// A new exchange rate set as entered.
#[derive(Clone, Debug, Default)]
pub struct RateSetDraft {
    pub name: String,
    pub base_currency: String,
    pub effective_on: NaiveDate,
    pub source: String,
    /// Currency codes and their rates as decimal strings.
    pub rates: Vec<(String, String)>,
}

/// Creates an exchange rate set with its rates, all checked at once.
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    draft: RateSetDraft,
) -> Result<RateTable, Failure> {
    let mut check = Check::new();
    let name = check.text(&["name"], &draft.name, 200);
    let source = check.text(&["source"], &draft.source, 2000);
    let base = check.currency(&["baseCurrency"], &draft.base_currency);
    if draft.rates.is_empty() {
        check.fail(&["rates"], UserErrorCode::Blank, "give at least one rate");
    }
    if draft.rates.len() > MAX_RATES {
        check.fail(
            &["rates"],
            UserErrorCode::TooLong,
            format!("a set has at most {MAX_RATES} rates"),
        );
    }
    let mut rates: Vec<(String, String)> = Vec::new();
    for (i, (code, rate)) in draft.rates.iter().enumerate() {
        let index = i.to_string();
        let found = check.currency(&["rates", &index, "currency"], code);
        if let (Some(found), Some(base)) = (found, base)
            && found.code == base.code
        {
            check.fail(
                &["rates", &index, "currency"],
                UserErrorCode::Invalid,
                format!(
                    "{} is the base currency; its rate is 1 by definition",
                    base.code
                ),
            );
            continue;
        }
        if let Some(found) = found
            && rates.iter().any(|(c, _)| c == found.code)
        {
            check.fail(
                &["rates", &index, "currency"],
                UserErrorCode::Duplicate,
                format!("{} is listed twice", found.code),
            );
            continue;
        }
        if Rate::parse(rate).is_none() {
            check.fail(
                &["rates", &index, "rate"],
                UserErrorCode::Invalid,
                format!(
                    "`{rate}` is not a positive decimal rate such as 0.92 (at most {MAX_RATE_DECIMALS} decimals)"
                ),
            );
            continue;
        }
        if let Some(found) = found {
            rates.push((found.code.to_owned(), normalize(rate.trim())));
        }
    }
    check.finish()?;
    let (Some(name), Some(source), Some(base)) = (name, source, base) else {
        return Err(crate::error::ApiError::Internal(
            "rate set passed its checks incompletely".into(),
        )
        .into());
    };

    let txn = begin_write(db).await?;
    const TAKEN: &str = "another exchange rate set has this name";
    must_be_free::<exchange_rate_set::Entity, _>(
        &txn,
        exchange_rate_set::Column::Name,
        &name,
        None,
        &["name"],
        TAKEN,
    )
    .await?;
    let set = exchange_rate_set::ActiveModel {
        name: Set(name),
        base_currency: Set(base.code.to_owned()),
        effective_on: Set(draft.effective_on),
        source: Set(source),
        created_by_id: Set(actor.user_id),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|err| taken(err, &["name"], TAKEN))?;
    let mut rows = Vec::with_capacity(rates.len());
    for (code, rate) in &rates {
        rows.push(
            exchange_rate::ActiveModel {
                rate_set_id: Set(set.id),
                currency: Set(code.clone()),
                rate: Set(rate.clone()),
                ..Default::default()
            }
            .insert(&txn)
            .await?,
        );
    }
    let mut changes = audit::changes(None, &set);
    if let Some(object) = changes.as_object_mut() {
        object.insert(
            "rates".into(),
            json!(rates.iter().cloned().collect::<HashMap<_, _>>()),
        );
    }
    audit::record(
        &txn,
        actor,
        "exchange_rate_set.create",
        "ExchangeRateSet",
        set.id,
        changes,
    )
    .await?;
    txn.commit().await?;
    Ok(RateTable::new(set, &rows))
}

/// A rate as stored: the digits given, without leading zeros.
fn normalize(text: &str) -> String {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let whole = whole.trim_start_matches('0');
    let whole = if whole.is_empty() { "0" } else { whole };
    if fraction.is_empty() {
        whole.to_owned()
    } else {
        format!("{whole}.{fraction}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn table(rates: &[(&str, &str)]) -> RateTable {
        let set = exchange_rate_set::Model {
            id: 1,
            name: "Test".into(),
            base_currency: "USD".into(),
            effective_on: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap_or_default(),
            source: "test".into(),
            created_by_id: None,
            created_at: Utc::now(),
        };
        let rows: Vec<exchange_rate::Model> = rates
            .iter()
            .enumerate()
            .map(|(i, (code, rate))| exchange_rate::Model {
                id: i as i64,
                rate_set_id: 1,
                currency: (*code).into(),
                rate: (*rate).into(),
            })
            .collect();
        RateTable::new(set, &rows)
    }

    #[test]
    fn rates_are_positive_plain_decimals() {
        assert_eq!(
            Rate::parse("0.92"),
            Some(Rate {
                units: 92,
                scale: 2
            })
        );
        assert_eq!(
            Rate::parse("150"),
            Some(Rate {
                units: 150,
                scale: 0
            })
        );
        for bad in [
            "",
            "0",
            "0.000",
            "-1",
            "1e3",
            "1.",
            ".5",
            "1,5",
            "0.12345678901",
            "1234567890",
        ] {
            assert_eq!(Rate::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn converts_through_the_base_with_each_currencys_minor_unit() {
        let t = table(&[("EUR", "0.92"), ("JPY", "150"), ("KWD", "0.307")]);
        // USD 100.00 → EUR 92.00
        assert_eq!(t.convert(10_000, "USD", "EUR"), Ok(9_200));
        // EUR 92.00 → USD 100.00
        assert_eq!(t.convert(9_200, "EUR", "USD"), Ok(10_000));
        // USD 1.00 → JPY 150 (no decimals)
        assert_eq!(t.convert(100, "USD", "JPY"), Ok(150));
        // JPY 150 → KWD 0.307 (three decimals)
        assert_eq!(t.convert(150, "JPY", "KWD"), Ok(307));
        // EUR 1.00 → USD 1.0869565… rounds to 1.09
        assert_eq!(t.convert(100, "EUR", "USD"), Ok(109));
        assert_eq!(t.convert(-100, "EUR", "USD"), Ok(-109));
        assert_eq!(
            t.convert(100, "USD", "GBP"),
            Err(ConversionError::MissingRate("GBP".into()))
        );
    }

    #[test]
    fn half_rounds_away_from_zero() {
        let t = table(&[("EUR", "0.5")]);
        // USD 0.01 → EUR 0.005 → 0.01
        assert_eq!(t.convert(1, "USD", "EUR"), Ok(1));
        assert_eq!(t.convert(3, "USD", "EUR"), Ok(2));
    }
}
