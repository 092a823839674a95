//! Exchange rate sets and pay floors: the figures offers are converted with
//! and the lowest pay they may go to. Visible to those who read
//! compensation; only admins add them.

use async_graphql::{Context, ID, InputObject, Object, Result};
use chrono::Utc;
use entity::{exchange_rate, exchange_rate_set, pay_floor};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

/// Most floors `payFloors` returns.
const MAX_FLOORS: u64 = 1000;

use super::compensation::Money;
use super::connection::{Connection, PageArgs, list, order_input};
use super::enums::{FloorKind, PayInterval};
use super::node::{NodeKind, global_id};
use super::offer::MoneyInput;
use super::reference::Country;
use super::scalars::{CurrencyCode, Date, DateTime, Decimal};
use super::user::User;
use super::{actor, payload};
use crate::auth::permissions::{Action, authorize};
use crate::context::RequestContext;
use crate::domain::floors::{self, FloorDraft};
use crate::domain::money::{currency, parse_amount};
use crate::domain::rates::{self, RateSetDraft, RateTable};
use crate::error::{ApiError, ApiResult};
use crate::loaders::{ById, ChildrenOf};

/// A dated, named set of exchange rates against one base currency. A set is
/// never changed once made, so any figure converted with it (an offer's
/// salary in its band's currency) names it and can be checked again.
#[derive(Clone)]
pub struct ExchangeRateSet(pub exchange_rate_set::Model);

impl ExchangeRateSet {
    /// The set with `id`, for those who read compensation.
    pub async fn load(rc: &RequestContext, id: i64) -> ApiResult<Option<ExchangeRateSet>> {
        authorize(&rc.viewer, Action::ReadCompensation)?;
        Ok(rc
            .load(ById::<exchange_rate_set::Entity>::new(id))
            .await?
            .map(ExchangeRateSet))
    }

    async fn table(&self, ctx: &Context<'_>) -> ApiResult<RateTable> {
        let rc = RequestContext::of(ctx)?;
        let rows = rc
            .load(ChildrenOf::<exchange_rate::Entity>::new(self.0.id))
            .await?
            .unwrap_or_default();
        Ok(RateTable::new(self.0.clone(), &rows))
    }
}

/// One rate of a set.
#[derive(async_graphql::SimpleObject, Clone)]
pub struct ExchangeRate {
    /// The currency.
    pub currency: CurrencyCode,
    /// How much of `currency` one unit of the set's base currency buys, as
    /// an exact decimal string.
    pub rate: Decimal,
}

#[Object]
impl ExchangeRateSet {
    /// The set's global ID.
    pub async fn id(&self) -> ID {
        global_id(NodeKind::ExchangeRateSet, self.0.id)
    }
    /// The set's name, e.g. "ECB reference rates 2026-11-02".
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// The currency every rate is quoted against.
    async fn base_currency(&self) -> CurrencyCode {
        CurrencyCode(self.0.base_currency.clone())
    }
    /// The day the rates were taken. Offers made without naming a set use
    /// the latest set taken on or before the day they are made.
    async fn effective_on(&self) -> Date {
        Date(self.0.effective_on)
    }
    /// Where the rates come from.
    async fn source(&self) -> &str {
        &self.0.source
    }
    /// The rates, by currency code.
    async fn rates(&self, ctx: &Context<'_>) -> Result<Vec<ExchangeRate>> {
        let rc = RequestContext::of(ctx)?;
        Ok(rc
            .load(ChildrenOf::<exchange_rate::Entity>::new(self.0.id))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(|r| ExchangeRate {
                currency: CurrencyCode(r.currency),
                rate: Decimal(r.rate),
            })
            .collect())
    }
    /// `amount` converted into `to` with this set: through the base
    /// currency, rounded half away from zero to `to`'s minor unit. Null when
    /// the set has no rate for one of the two currencies.
    async fn convert(
        &self,
        ctx: &Context<'_>,
        amount: MoneyInput,
        to: CurrencyCode,
    ) -> Result<Option<Money>> {
        let from = currency(amount.currency.as_str()).ok_or_else(|| {
            ApiError::bad_input(format!(
                "`{}` is not an ISO 4217 currency code",
                amount.currency.as_str()
            ))
        })?;
        let target = currency(to.as_str()).ok_or_else(|| {
            ApiError::bad_input(format!(
                "`{}` is not an ISO 4217 currency code",
                to.as_str()
            ))
        })?;
        let minor = parse_amount(amount.amount.0.trim(), from.exponent).map_err(|_| {
            ApiError::bad_input(format!(
                "`{}` is not an amount of {} (at most {} decimals)",
                amount.amount.0, from.code, from.exponent
            ))
        })?;
        Ok(self
            .table(ctx)
            .await?
            .convert(minor, from.code, target.code)
            .ok()
            .map(|converted| Money::from_minor(converted, target.code)))
    }
    /// Who added the set.
    async fn created_by(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        let Some(id) = self.0.created_by_id else {
            return Ok(None);
        };
        Ok(User::load(RequestContext::of(ctx)?, id).await?)
    }
    /// When the set was added.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
}

/// The lowest pay allowed in a country for an interval, over a period. No
/// offer to a candidate living there may go below it, whatever its band.
#[derive(Clone)]
pub struct PayFloor(pub pay_floor::Model);

impl PayFloor {
    /// The floor with `id`, for those who read compensation.
    pub async fn load(rc: &RequestContext, id: i64) -> ApiResult<Option<PayFloor>> {
        authorize(&rc.viewer, Action::ReadCompensation)?;
        Ok(rc
            .load(ById::<pay_floor::Entity>::new(id))
            .await?
            .map(PayFloor))
    }
}

#[Object]
impl PayFloor {
    /// The floor's global ID.
    pub async fn id(&self) -> ID {
        global_id(NodeKind::PayFloor, self.0.id)
    }
    /// The country it applies in: to candidates living there.
    async fn country(&self) -> Option<Country> {
        Country::from_code(&self.0.country_code)
    }
    /// A statutory minimum wage or the company's own floor.
    async fn kind(&self) -> FloorKind {
        self.0.kind.into()
    }
    /// The lowest pay, per `interval`.
    async fn amount(&self) -> Money {
        Money::from_minor(self.0.amount_minor, &self.0.currency)
    }
    /// Per year or per hour. Offers are held to the floors of their own interval.
    async fn interval(&self) -> PayInterval {
        self.0.pay_interval.into()
    }
    /// The first day it applies.
    async fn effective_from(&self) -> Date {
        Date(self.0.effective_from)
    }
    /// The day it stops applying; null while it has no end.
    async fn effective_to(&self) -> Option<Date> {
        self.0.effective_to.map(Date)
    }
    /// The law or policy that sets it.
    async fn source(&self) -> &str {
        &self.0.source
    }
}

order_input!(
    /// How to sort exchange rate sets.
    ExchangeRateSetOrder,
    /// The fields exchange rate sets can be sorted by.
    ExchangeRateSetOrderField,
    exchange_rate_set::Entity,
    default = (EffectiveOn, Desc) {
        /// By the day the rates were taken.
        EffectiveOn => "effectiveOn", exchange_rate_set::Column::EffectiveOn, |m| crate::db::page::SortValue::Date(m.effective_on);
    }
);

/// Exchange rates and pay floors.
#[derive(Default)]
pub struct RatesQuery;

#[Object]
impl RatesQuery {
    /// Exchange rate sets, the latest first.
    async fn exchange_rate_sets(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Return the first n sets (1 to 100).")] first: Option<i32>,
        #[graphql(desc = "Return sets after this cursor.")] after: Option<String>,
        #[graphql(desc = "Return the last n sets (1 to 100).")] last: Option<i32>,
        #[graphql(desc = "Return sets before this cursor.")] before: Option<String>,
        #[graphql(default, desc = "How to sort the sets.")] order_by: ExchangeRateSetOrder,
    ) -> Result<Connection<ExchangeRateSet>> {
        let rc = RequestContext::of(ctx)?;
        authorize(&rc.viewer, Action::ReadCompensation)?;
        let args = PageArgs {
            first,
            after,
            last,
            before,
        };
        Ok(list(
            rc,
            exchange_rate_set::Entity::find(),
            order_by.ordering(),
            args,
            ExchangeRateSet,
        )
        .await?)
    }

    /// Pay floors, by country; only those in force on `activeOn` when given.
    async fn pay_floors(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only floors of this country (ISO 3166-1 alpha-2).")] country_code: Option<
            String,
        >,
        #[graphql(desc = "Only floors in force on this day.")] active_on: Option<Date>,
    ) -> Result<Vec<PayFloor>> {
        let rc = RequestContext::of(ctx)?;
        authorize(&rc.viewer, Action::ReadCompensation)?;
        let mut select = pay_floor::Entity::find();
        if let Some(code) = country_code {
            select =
                select.filter(pay_floor::Column::CountryCode.eq(code.trim().to_ascii_uppercase()));
        }
        if let Some(Date(day)) = active_on {
            select = select
                .filter(pay_floor::Column::EffectiveFrom.lte(day))
                .filter(
                    Condition::any()
                        .add(pay_floor::Column::EffectiveTo.is_null())
                        .add(pay_floor::Column::EffectiveTo.gt(day)),
                );
        }
        Ok(select
            .order_by_asc(pay_floor::Column::CountryCode)
            .order_by_asc(pay_floor::Column::Kind)
            .order_by_asc(pay_floor::Column::EffectiveFrom)
            .limit(MAX_FLOORS)
            .all(&rc.db)
            .await
            .map_err(ApiError::from)?
            .into_iter()
            .map(PayFloor)
            .collect())
    }
}

/// One rate of a new set.
#[derive(InputObject)]
pub struct ExchangeRateInput {
    /// The currency.
    pub currency: CurrencyCode,
    /// How much of `currency` one unit of the base buys: a positive decimal
    /// such as `"0.92"`, at most 10 decimals.
    pub rate: Decimal,
}

/// A new exchange rate set.
#[derive(InputObject)]
pub struct CreateExchangeRateSetInput {
    /// A name no other set has, e.g. "ECB reference rates 2026-11-02".
    pub name: String,
    /// The currency the rates are quoted against, e.g. `USD`.
    pub base_currency: CurrencyCode,
    /// The day the rates were taken.
    pub effective_on: Date,
    /// Where the rates come from.
    pub source: String,
    /// The rates (not the base currency's, which is 1).
    pub rates: Vec<ExchangeRateInput>,
}

/// A new pay floor.
#[derive(InputObject)]
pub struct CreatePayFloorInput {
    /// The country (ISO 3166-1 alpha-2) whose residents it protects.
    pub country_code: String,
    /// A statutory minimum wage or the company's own floor.
    pub kind: FloorKind,
    /// The lowest pay, above zero.
    pub amount: MoneyInput,
    /// Per year or per hour.
    #[graphql(default_with = "PayInterval::Year")]
    pub interval: PayInterval,
    /// The first day it applies; today when left out.
    pub effective_from: Option<Date>,
    /// The day it stops applying; left out, it has no end.
    pub effective_to: Option<Date>,
    /// The law or policy that sets it.
    pub source: String,
}

payload!(
    /// The result of `createExchangeRateSet`.
    CreateExchangeRateSetPayload {
        /// The new set.
        exchange_rate_set: ExchangeRateSet
    }
);

payload!(
    /// The result of `createPayFloor`.
    CreatePayFloorPayload {
        /// The new floor.
        pay_floor: PayFloor
    }
);

/// Adding exchange rate sets and pay floors (admins).
#[derive(Default)]
pub struct RatesMutation;

#[Object]
impl RatesMutation {
    /// Adds an exchange rate set. Sets are never changed: to correct one,
    /// add another. Each rate is checked (a known currency, not the base,
    /// listed once, a positive decimal) and every problem reported at once.
    async fn create_exchange_rate_set(
        &self,
        ctx: &Context<'_>,
        input: CreateExchangeRateSetInput,
    ) -> Result<CreateExchangeRateSetPayload> {
        let rc = RequestContext::of(ctx)?;
        authorize(&rc.viewer, Action::ManageCompensation)?;
        let draft = RateSetDraft {
            name: input.name,
            base_currency: input.base_currency.0,
            effective_on: input.effective_on.0,
            source: input.source,
            rates: input
                .rates
                .into_iter()
                .map(|r| (r.currency.0, r.rate.0))
                .collect(),
        };
        CreateExchangeRateSetPayload::from_outcome(
            rates::create(&rc.db, &actor(rc), draft).await,
            |table| ExchangeRateSet(table.set),
        )
    }

    /// Adds a pay floor for a country. Floors of the same country, kind and
    /// interval may not overlap in time (OVERLAP). Offers to candidates
    /// living in the country below the floor are refused (BELOW_FLOOR).
    async fn create_pay_floor(
        &self,
        ctx: &Context<'_>,
        input: CreatePayFloorInput,
    ) -> Result<CreatePayFloorPayload> {
        let rc = RequestContext::of(ctx)?;
        authorize(&rc.viewer, Action::ManageCompensation)?;
        let draft = FloorDraft {
            country_code: input.country_code,
            kind: input.kind.into(),
            amount: input.amount.into(),
            interval: input.interval.into(),
            effective_from: input
                .effective_from
                .map_or_else(|| Utc::now().date_naive(), |d| d.0),
            effective_to: input.effective_to.map(|d| d.0),
            source: input.source,
        };
        CreatePayFloorPayload::from_outcome(
            floors::create(&rc.db, &actor(rc), draft).await,
            PayFloor,
        )
    }
}
