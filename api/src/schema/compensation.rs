//! Compensation structure: job families, levels, geo zones and bands, and the
//! `Money` and `SalaryRange` types. Bands and zones are visible to admins,
//! recruiters and hiring managers; only admins change them.

use std::collections::{HashMap, HashSet};

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject};
use entity::{
    band_set, compensation_band, geo_zone, geo_zone_country, job_family, level, posting,
    posting_level, posting_region, region, region_country,
};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter};

use super::connection::{Connection, PageArgs, list, order_input};
use super::enums::{BandSetStatus, PayInterval, Track};
use super::node::{NodeKind, expect_id, global_id, input_id};
use super::offer::MoneyInput;
use super::posting::Posting;
use super::reference::Country;
use super::scalars::{CurrencyCode, Date, DateTime, Decimal};
use super::{actor, payload};
use crate::auth::permissions::{Action, authorize};
use crate::context::RequestContext;
use crate::domain::bands::SpreadSpan;
use crate::domain::bands::{
    self as domain, BandChanges, GeoZoneChanges, JobFamilyChanges, LevelChanges,
};
use crate::domain::compensation::{self as pay, SalaryRange as DomainRange};
use crate::domain::money::{currency, format_amount};
use crate::error::{ApiError, ApiResult, UserError};
use crate::loaders::{ById, ChildrenOf, LiveBandsOf, PayReferenceOf};

/// An amount of money, exact to the currency's minor unit.
#[derive(SimpleObject, Clone, Debug, PartialEq, Eq)]
pub struct Money {
    /// The amount as an exact decimal string with the currency's number of
    /// decimals, e.g. `"51850.00"` for USD or `"5185000"` for JPY.
    pub amount: Decimal,
    /// The currency.
    pub currency: CurrencyCode,
}

impl Money {
    /// `minor` units of `code`.
    pub fn from_minor(minor: i64, code: &str) -> Money {
        let exponent = currency(code).map(|c| c.exponent).unwrap_or(2);
        Money {
            amount: Decimal(format_amount(minor, exponent)),
            currency: CurrencyCode(code.to_owned()),
        }
    }
}

/// The pay range shown on a posting: from the lowest minimum to the highest
/// maximum of the bands that apply to it (its levels, in the zones its
/// regions cover).
#[derive(SimpleObject, Clone, Debug)]
pub struct SalaryRange {
    /// The lowest pay in the range.
    pub minimum: Money,
    /// The highest pay in the range.
    pub maximum: Money,
    /// Whether the amounts are per year or per hour.
    pub interval: PayInterval,
}

impl From<DomainRange> for SalaryRange {
    fn from(range: DomainRange) -> Self {
        SalaryRange {
            minimum: Money::from_minor(range.min_minor, &range.currency),
            maximum: Money::from_minor(range.max_minor, &range.currency),
            interval: range.interval.into(),
        }
    }
}

/// A family of roles paid from the same bands, e.g. "Backend Engineering".
#[derive(Clone)]
pub struct JobFamily(pub job_family::Model);

impl JobFamily {
    /// The job family with `id`, for staff.
    pub async fn load(rc: &RequestContext, id: i64) -> ApiResult<Option<JobFamily>> {
        authorize(&rc.viewer, Action::ReadHiringData)?;
        Ok(rc
            .load(ById::<job_family::Entity>::new(id))
            .await?
            .map(JobFamily))
    }
}

/// A family of roles paid from the same bands.
#[Object]
impl JobFamily {
    /// The job family's global ID.
    pub async fn id(&self) -> ID {
        global_id(NodeKind::JobFamily, self.0.id)
    }
    /// The name, e.g. "Backend Engineering".
    async fn name(&self) -> &str {
        &self.0.name
    }
}

/// A career level, such as "IC3 Senior Engineer", on a track, ordered by rank.
#[derive(Clone)]
pub struct Level(pub level::Model);

impl Level {
    /// The level with `id`, for staff.
    pub async fn load(rc: &RequestContext, id: i64) -> ApiResult<Option<Level>> {
        authorize(&rc.viewer, Action::ReadHiringData)?;
        Ok(rc.load(ById::<level::Entity>::new(id)).await?.map(Level))
    }
}

/// A career level.
#[Object]
impl Level {
    /// The level's global ID.
    pub async fn id(&self) -> ID {
        global_id(NodeKind::Level, self.0.id)
    }
    /// The short code, e.g. `IC3`.
    async fn code(&self) -> &str {
        &self.0.code
    }
    /// The name, e.g. "Senior Engineer".
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Individual contributor or manager.
    async fn track(&self) -> Track {
        self.0.track.into()
    }
    /// The position on the track: higher is more senior.
    async fn rank(&self) -> i32 {
        self.0.rank
    }
}

/// A set of countries that share pay ranges ("geo ranges"). One zone may be
/// the fallback for every country no zone lists.
#[derive(Clone)]
pub struct GeoZone(pub geo_zone::Model);

impl GeoZone {
    /// The zone with `id`, for those who may read compensation.
    pub async fn load(rc: &RequestContext, id: i64) -> ApiResult<Option<GeoZone>> {
        authorize(&rc.viewer, Action::ReadCompensation)?;
        Ok(rc
            .load(ById::<geo_zone::Entity>::new(id))
            .await?
            .map(GeoZone))
    }
}

/// A geo zone for pay.
#[Object]
impl GeoZone {
    /// The zone's global ID.
    pub async fn id(&self) -> ID {
        global_id(NodeKind::GeoZone, self.0.id)
    }
    /// The zone's name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// True when this zone pays every country no other zone lists.
    async fn is_fallback(&self) -> bool {
        self.0.is_fallback
    }
    /// The countries in the zone.
    async fn countries(&self, ctx: &Context<'_>) -> Result<Vec<Country>> {
        let rc = RequestContext::of(ctx)?;
        let rows = rc
            .load(ChildrenOf::<geo_zone_country::Entity>::new(self.0.id))
            .await?
            .unwrap_or_default();
        Ok(rows
            .iter()
            .filter_map(|row| Country::from_code(&row.country_code))
            .collect())
    }
}

/// The pay range for a job family at a level in a geo zone, from a date.
#[derive(Clone)]
pub struct CompensationBand(pub compensation_band::Model);

impl CompensationBand {
    /// The band with `id`, for admins, recruiters, and hiring managers of a
    /// posting it pays.
    pub async fn load(rc: &RequestContext, id: i64) -> ApiResult<Option<CompensationBand>> {
        authorize(&rc.viewer, Action::ReadCompensation)?;
        let Some(band) = rc.load(ById::<compensation_band::Entity>::new(id)).await? else {
            return Ok(None);
        };
        if !rc.sees_job_family_bands(band.job_family_id).await? {
            return Ok(None);
        }
        Ok(Some(CompensationBand(band)))
    }
}

/// A compensation band.
#[Object]
impl CompensationBand {
    /// The band's global ID.
    pub async fn id(&self) -> ID {
        global_id(NodeKind::CompensationBand, self.0.id)
    }
    /// The job family the band pays.
    async fn job_family(&self, ctx: &Context<'_>) -> Result<JobFamily> {
        let rc = RequestContext::of(ctx)?;
        Ok(JobFamily(required(
            rc.load(ById::<job_family::Entity>::new(self.0.job_family_id))
                .await?,
        )?))
    }
    /// The level the band pays.
    async fn level(&self, ctx: &Context<'_>) -> Result<Level> {
        let rc = RequestContext::of(ctx)?;
        Ok(Level(required(
            rc.load(ById::<level::Entity>::new(self.0.level_id)).await?,
        )?))
    }
    /// The geo zone the band pays in.
    async fn geo_zone(&self, ctx: &Context<'_>) -> Result<GeoZone> {
        let rc = RequestContext::of(ctx)?;
        Ok(GeoZone(required(
            rc.load(ById::<geo_zone::Entity>::new(self.0.geo_zone_id))
                .await?,
        )?))
    }
    /// The lowest pay of the band.
    async fn minimum(&self) -> Money {
        Money::from_minor(self.0.min_minor, &self.0.currency)
    }
    /// The highest pay of the band.
    async fn maximum(&self) -> Money {
        Money::from_minor(self.0.max_minor, &self.0.currency)
    }
    /// The band's midpoint: the pay offers are measured against (an offer at
    /// the midpoint has a compa-ratio of 1). The middle of the minimum and
    /// maximum unless set otherwise.
    async fn midpoint(&self) -> Money {
        Money::from_minor(
            crate::domain::bands::midpoint_minor(&self.0),
            &self.0.currency,
        )
    }
    /// How wide the band is: (maximum − minimum) / minimum, in percent. Null
    /// when the minimum is zero.
    async fn spread_percent(&self) -> Option<f64> {
        crate::domain::bands::spread_percent(&self.0)
    }
    /// What looks unusual about the band without being an error, as
    /// sentences: a range spread outside the span the company expects
    /// (HIREGRAPH_BAND_SPREAD_MIN_PERCENT to HIREGRAPH_BAND_SPREAD_MAX_PERCENT).
    async fn warnings(&self, ctx: &Context<'_>) -> Vec<String> {
        let span = ctx.data_opt::<SpreadSpan>().copied().unwrap_or_default();
        crate::domain::bands::band_warnings(&self.0, span)
    }
    /// The band set the band was prepared in; null for a band added on its own.
    /// A band in a DRAFT set applies to nothing until the set is made live.
    async fn band_set(&self, ctx: &Context<'_>) -> Result<Option<BandSet>> {
        let Some(id) = self.0.band_set_id else {
            return Ok(None);
        };
        let rc = RequestContext::of(ctx)?;
        Ok(rc
            .load(ById::<band_set::Entity>::new(id))
            .await?
            .map(BandSet))
    }
    /// Whether the amounts are per year or per hour.
    async fn interval(&self) -> PayInterval {
        self.0.pay_interval.into()
    }
    /// The first day the band applies.
    async fn effective_from(&self) -> Date {
        Date(self.0.effective_from)
    }
    /// The day the band stops applying (it applies up to the day before); null when open-ended.
    async fn effective_to(&self) -> Option<Date> {
        self.0.effective_to.map(Date)
    }
    /// When the band was last changed.
    async fn updated_at(&self) -> DateTime {
        self.0.updated_at.into()
    }
}

/// A group of compensation bands prepared together as a DRAFT and made LIVE
/// together from one date, replacing the bands they succeed.
#[derive(Clone)]
pub struct BandSet(pub band_set::Model);

impl BandSet {
    /// The band set with `id`, for those who may read compensation.
    pub async fn load(rc: &RequestContext, id: i64) -> ApiResult<Option<BandSet>> {
        authorize(&rc.viewer, Action::ReadCompensation)?;
        Ok(rc
            .load(ById::<band_set::Entity>::new(id))
            .await?
            .map(BandSet))
    }
}

/// A group of compensation bands made live together.
#[Object]
impl BandSet {
    /// The band set's global ID (for `makeBandSetLive` and the `bandSetId` of bands).
    pub async fn id(&self) -> ID {
        global_id(NodeKind::BandSet, self.0.id)
    }
    /// The name, e.g. "2027 bands".
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// DRAFT while being prepared, LIVE once made live.
    async fn status(&self) -> BandSetStatus {
        self.0.status.into()
    }
    /// The first day its bands apply; null while DRAFT.
    async fn effective_from(&self) -> Option<Date> {
        self.0.effective_from.map(Date)
    }
    /// When the set was created.
    async fn created_at(&self) -> DateTime {
        self.0.created_at.into()
    }
    /// When the set was last changed (made live).
    async fn updated_at(&self) -> DateTime {
        self.0.updated_at.into()
    }
}

/// The pay range a posting shows in one geo zone.
#[derive(SimpleObject, Clone)]
pub struct SalaryTier {
    /// The geo zone.
    pub geo_zone: GeoZone,
    /// The range of the live bands of the posting's levels in this zone;
    /// null when no band applies there.
    pub range: Option<SalaryRange>,
}

/// What `posting` pays: its overall range and per-zone tiers, from live
/// bands. Everything is read through the request's loaders, batched with
/// the posting's siblings and shared with the rest of the query (a posting's
/// `regions`, their `countries`, its `salaryRange` and `salaryTiers`), in
/// two rounds: the posting's levels and region links, then the regions,
/// their countries, the zones and the bands.
pub(crate) async fn posting_pay(
    rc: &RequestContext,
    posting: &posting::Model,
) -> ApiResult<pay::PostingPay> {
    let id = posting.id;
    let (levels, links) = futures_util::future::join(
        rc.load(ChildrenOf::<posting_level::Entity>::new(id)),
        rc.load(ChildrenOf::<posting_region::Entity>::new(id)),
    )
    .await;
    let levels: HashSet<i64> = levels?
        .unwrap_or_default()
        .iter()
        .map(|l| l.level_id)
        .collect();
    let region_ids: Vec<i64> = links?
        .unwrap_or_default()
        .iter()
        .map(|l| l.region_id)
        .collect();
    let band_keys: Vec<LiveBandsOf> = match posting.job_family_id {
        Some(family) => levels
            .iter()
            .map(|&level| LiveBandsOf { family, level })
            .collect(),
        None => Vec::new(),
    };
    let (regions, countries, reference, bands) = futures_util::future::join4(
        rc.load_many(region_ids.iter().map(|&r| ById::<region::Entity>::new(r))),
        rc.load_many(
            region_ids
                .iter()
                .map(|&r| ChildrenOf::<region_country::Entity>::new(r)),
        ),
        rc.load(PayReferenceOf),
        rc.load_many(band_keys),
    )
    .await;
    let regions = regions?;
    let regions: Vec<&region::Model> = region_ids
        .iter()
        .filter_map(|&r| regions.get(&ById::new(r)))
        .collect();
    let region_countries: HashMap<i64, Vec<String>> = countries?
        .into_iter()
        .map(|(key, rows)| (key.0, rows.into_iter().map(|c| c.country_code).collect()))
        .collect();
    let reference = reference?.unwrap_or_default();
    let bands: Vec<compensation_band::Model> = bands?.into_values().flatten().collect();
    Ok(pay::pay_of(
        posting,
        &levels,
        &regions,
        &region_countries,
        &reference,
        &bands,
    ))
}

/// The tiers of `posting` (batched with its siblings).
pub(crate) async fn salary_tiers(
    rc: &RequestContext,
    posting: &posting::Model,
) -> ApiResult<Vec<SalaryTier>> {
    let pay = posting_pay(rc, posting).await?;
    Ok(pay
        .tiers
        .into_iter()
        .map(|tier| SalaryTier {
            geo_zone: GeoZone(tier.zone),
            range: tier.range.map(SalaryRange::from),
        })
        .collect())
}

/// Whether `posting` shows another range than it was published with.
pub(crate) async fn salary_range_outdated(
    rc: &RequestContext,
    posting: &posting::Model,
) -> ApiResult<bool> {
    let pay = posting_pay(rc, posting).await?;
    Ok(pay::range_outdated(posting, pay.range.as_ref()))
}

/// The range `posting` was last published with.
pub(crate) fn published_salary_range(posting: &posting::Model) -> Option<SalaryRange> {
    pay::published_range(posting).map(SalaryRange::from)
}

/// A row a foreign key guarantees; its absence is a fault, not a user error.
pub(crate) fn required<T>(row: Option<T>) -> ApiResult<T> {
    row.ok_or_else(|| ApiError::Internal("a referenced row is missing".into()))
}

/// Which bands to list.
#[derive(InputObject, Default)]
pub struct CompensationBandFilter {
    /// Only bands of this job family.
    pub job_family_id: Option<ID>,
    /// Only bands at this level.
    pub level_id: Option<ID>,
    /// Only bands in this geo zone.
    pub geo_zone_id: Option<ID>,
    /// Only bands in this currency.
    pub currency: Option<CurrencyCode>,
    /// Only bands that apply on this day (bands of draft sets never do).
    pub active_on: Option<Date>,
    /// Only bands of this band set.
    pub band_set_id: Option<ID>,
}

order_input!(
    /// How to sort bands.
    CompensationBandOrder,
    /// The fields bands can be sorted by.
    CompensationBandOrderField,
    compensation_band::Entity,
    default = (CreatedAt, Asc) {
        /// By when the band was added.
        CreatedAt => "createdAt", compensation_band::Column::CreatedAt, |m| SortValue::Time(m.created_at);
        /// By the first day the band applies.
        EffectiveFrom => "effectiveFrom", compensation_band::Column::EffectiveFrom, |m| SortValue::Date(m.effective_from);
    }
);

order_input!(
    /// How to sort band sets.
    BandSetOrder,
    /// The fields band sets can be sorted by.
    BandSetOrderField,
    band_set::Entity,
    default = (CreatedAt, Desc) {
        /// By when the set was created.
        CreatedAt => "createdAt", band_set::Column::CreatedAt, |m| SortValue::Time(m.created_at);
    }
);

order_input!(
    /// How to sort levels.
    LevelOrder,
    /// The fields levels can be sorted by.
    LevelOrderField,
    level::Entity,
    default = (Rank, Asc) {
        /// By seniority.
        Rank => "rank", level::Column::Rank, |m| SortValue::Int(i64::from(m.rank));
        /// By code.
        Code => "code", level::Column::Code, |m| SortValue::Text(m.code.clone());
    }
);

order_input!(
    /// How to sort geo zones.
    GeoZoneOrder,
    /// The fields geo zones can be sorted by.
    GeoZoneOrderField,
    geo_zone::Entity,
    default = (Name, Asc) {
        /// Alphabetically by name.
        Name => "name", geo_zone::Column::Name, |m| SortValue::Text(m.name.clone());
    }
);

order_input!(
    /// How to sort job families.
    JobFamilyOrder,
    /// The fields job families can be sorted by.
    JobFamilyOrderField,
    job_family::Entity,
    default = (Name, Asc) {
        /// Alphabetically by name.
        Name => "name", job_family::Column::Name, |m| SortValue::Text(m.name.clone());
    }
);

/// Reading the compensation structure.
#[derive(Default)]
pub struct CompensationQuery;

#[Object]
impl CompensationQuery {
    /// Compensation bands: all of them for admins and recruiters; a hiring
    /// manager sees the bands of the job families of their postings.
    async fn compensation_bands(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Return the first n bands (1 to 100).")] first: Option<i32>,
        #[graphql(desc = "Return bands after this cursor.")] after: Option<String>,
        #[graphql(desc = "Return the last n bands (1 to 100).")] last: Option<i32>,
        #[graphql(desc = "Return bands before this cursor.")] before: Option<String>,
        #[graphql(default, desc = "Which bands.")] filter: CompensationBandFilter,
        #[graphql(default, desc = "How to sort the bands.")] order_by: CompensationBandOrder,
    ) -> Result<Connection<CompensationBand>> {
        let rc = RequestContext::of(ctx)?;
        authorize(&rc.viewer, Action::ReadCompensation)?;
        use compensation_band::Column;
        let mut select = compensation_band::Entity::find().filter(rc.scope().bands());
        if let Some(id) = &filter.job_family_id {
            select = select.filter(Column::JobFamilyId.eq(expect_id(id, NodeKind::JobFamily)?));
        }
        if let Some(id) = &filter.level_id {
            select = select.filter(Column::LevelId.eq(expect_id(id, NodeKind::Level)?));
        }
        if let Some(id) = &filter.geo_zone_id {
            select = select.filter(Column::GeoZoneId.eq(expect_id(id, NodeKind::GeoZone)?));
        }
        if let Some(code) = &filter.currency {
            let found = currency(code.as_str()).ok_or_else(|| {
                ApiError::bad_input(format!(
                    "`{}` is not an ISO 4217 currency code",
                    code.as_str()
                ))
            })?;
            select = select.filter(Column::Currency.eq(found.code));
        }
        if let Some(Date(day)) = filter.active_on {
            select = select
                .filter(Column::EffectiveFrom.lte(day))
                .filter(
                    Condition::any()
                        .add(Column::EffectiveTo.is_null())
                        .add(Column::EffectiveTo.gt(day)),
                )
                .filter(pay::live_bands_only());
        }
        if let Some(id) = &filter.band_set_id {
            select = select.filter(Column::BandSetId.eq(expect_id(id, NodeKind::BandSet)?));
        }
        let args = PageArgs {
            first,
            after,
            last,
            before,
        };
        Ok(list(rc, select, order_by.ordering(), args, CompensationBand).await?)
    }

    /// Band sets, newest first (admins, recruiters and hiring managers).
    async fn band_sets(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Return the first n band sets (1 to 100).")] first: Option<i32>,
        #[graphql(desc = "Return band sets after this cursor.")] after: Option<String>,
        #[graphql(desc = "Return the last n band sets (1 to 100).")] last: Option<i32>,
        #[graphql(desc = "Return band sets before this cursor.")] before: Option<String>,
        #[graphql(desc = "Only band sets with this status.")] status: Option<BandSetStatus>,
        #[graphql(default, desc = "How to sort the band sets.")] order_by: BandSetOrder,
    ) -> Result<Connection<BandSet>> {
        let rc = RequestContext::of(ctx)?;
        authorize(&rc.viewer, Action::ReadCompensation)?;
        let mut select = band_set::Entity::find();
        if let Some(status) = status {
            select = select
                .filter(band_set::Column::Status.eq(entity::enums::BandSetStatus::from(status)));
        }
        let args = PageArgs {
            first,
            after,
            last,
            before,
        };
        Ok(list(rc, select, order_by.ordering(), args, BandSet).await?)
    }

    /// Career levels, most junior first.
    async fn levels(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Return the first n levels (1 to 100).")] first: Option<i32>,
        #[graphql(desc = "Return levels after this cursor.")] after: Option<String>,
        #[graphql(desc = "Return the last n levels (1 to 100).")] last: Option<i32>,
        #[graphql(desc = "Return levels before this cursor.")] before: Option<String>,
        #[graphql(desc = "Only levels on this track.")] track: Option<Track>,
        #[graphql(default, desc = "How to sort the levels.")] order_by: LevelOrder,
    ) -> Result<Connection<Level>> {
        let rc = RequestContext::of(ctx)?;
        authorize(&rc.viewer, Action::ReadHiringData)?;
        let mut select = level::Entity::find();
        if let Some(track) = track {
            select = select.filter(level::Column::Track.eq(entity::enums::Track::from(track)));
        }
        let args = PageArgs {
            first,
            after,
            last,
            before,
        };
        Ok(list(rc, select, order_by.ordering(), args, Level).await?)
    }

    /// Geo zones (admins, recruiters and hiring managers).
    async fn geo_zones(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Return the first n zones (1 to 100).")] first: Option<i32>,
        #[graphql(desc = "Return zones after this cursor.")] after: Option<String>,
        #[graphql(desc = "Return the last n zones (1 to 100).")] last: Option<i32>,
        #[graphql(desc = "Return zones before this cursor.")] before: Option<String>,
        #[graphql(default, desc = "How to sort the zones.")] order_by: GeoZoneOrder,
    ) -> Result<Connection<GeoZone>> {
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
            geo_zone::Entity::find(),
            order_by.ordering(),
            args,
            GeoZone,
        )
        .await?)
    }

    /// Job families.
    async fn job_families(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Return the first n job families (1 to 100).")] first: Option<i32>,
        #[graphql(desc = "Return job families after this cursor.")] after: Option<String>,
        #[graphql(desc = "Return the last n job families (1 to 100).")] last: Option<i32>,
        #[graphql(desc = "Return job families before this cursor.")] before: Option<String>,
        #[graphql(default, desc = "How to sort the job families.")] order_by: JobFamilyOrder,
    ) -> Result<Connection<JobFamily>> {
        let rc = RequestContext::of(ctx)?;
        authorize(&rc.viewer, Action::ReadHiringData)?;
        let args = PageArgs {
            first,
            after,
            last,
            before,
        };
        Ok(list(
            rc,
            job_family::Entity::find(),
            order_by.ordering(),
            args,
            JobFamily,
        )
        .await?)
    }
}

/// A new job family.
#[derive(InputObject)]
pub struct CreateJobFamilyInput {
    /// The name; unique.
    pub name: String,
}

/// A job family's new name.
#[derive(InputObject)]
pub struct UpdateJobFamilyInput {
    /// The job family to rename.
    pub id: ID,
    /// The new name; unique.
    pub name: String,
}

/// A new level.
#[derive(InputObject)]
pub struct CreateLevelInput {
    /// A short unique code, e.g. `IC3`.
    pub code: String,
    /// The name, e.g. "Senior Engineer".
    pub name: String,
    /// The track.
    pub track: Track,
    /// The position on the track (0 to 100), unique within the track.
    pub rank: i32,
}

/// Changes to a level; fields left out stay as they are.
#[derive(InputObject)]
pub struct UpdateLevelInput {
    /// The level to change.
    pub id: ID,
    /// A new code; unique.
    pub code: Option<String>,
    /// A new name.
    pub name: Option<String>,
    /// A new track.
    pub track: Option<Track>,
    /// A new rank.
    pub rank: Option<i32>,
}

/// A new geo zone.
#[derive(InputObject)]
pub struct CreateGeoZoneInput {
    /// The name; unique.
    pub name: String,
    /// True to make this the zone for every country no zone lists (at most one).
    #[graphql(default)]
    pub is_fallback: bool,
    /// The countries in the zone; a country belongs to one zone at most.
    #[graphql(default)]
    pub country_codes: Vec<super::scalars::CountryCode>,
}

/// Changes to a geo zone; fields left out stay as they are.
#[derive(InputObject)]
pub struct UpdateGeoZoneInput {
    /// The zone to change.
    pub id: ID,
    /// A new name; unique.
    pub name: Option<String>,
    /// Whether this is the fallback zone.
    pub is_fallback: Option<bool>,
    /// The complete new list of countries.
    pub country_codes: Option<Vec<super::scalars::CountryCode>>,
}

/// A new compensation band.
#[derive(InputObject)]
pub struct CreateCompensationBandInput {
    /// The job family it pays.
    pub job_family_id: ID,
    /// The level it pays.
    pub level_id: ID,
    /// The geo zone it pays in.
    pub geo_zone_id: ID,
    /// The currency of the amounts.
    pub currency: CurrencyCode,
    /// Per year or per hour.
    #[graphql(default_with = "PayInterval::Year")]
    pub interval: PayInterval,
    /// The lowest pay, as a decimal string in the currency (e.g. "51850.00").
    pub minimum: Decimal,
    /// The highest pay; not below the minimum.
    pub maximum: Decimal,
    /// The midpoint offers are measured against, in the band's currency,
    /// between the minimum and maximum; the middle of the two (rounded down to
    /// a minor unit) when left out.
    pub midpoint: Option<MoneyInput>,
    /// The first day it applies; today when left out. Ignored for a band of a
    /// band set, which applies from the day the set is made live.
    pub effective_from: Option<Date>,
    /// The day it stops applying; open-ended when left out.
    pub effective_to: Option<Date>,
    /// A DRAFT band set to prepare the band in; it applies to nothing until
    /// the set is made live. Left out, the band applies by its dates.
    pub band_set_id: Option<ID>,
}

/// Changes to a band; fields left out stay as they are.
#[derive(InputObject)]
pub struct UpdateCompensationBandInput {
    /// The band to change.
    pub id: ID,
    /// A new currency (give the amounts again in it).
    pub currency: Option<CurrencyCode>,
    /// A new interval.
    pub interval: Option<PayInterval>,
    /// A new minimum.
    pub minimum: Option<Decimal>,
    /// A new maximum.
    pub maximum: Option<Decimal>,
    /// A new midpoint, in the band's currency. Left out, the midpoint stays,
    /// unless the minimum or maximum change: then it becomes their middle.
    pub midpoint: Option<MoneyInput>,
    /// A new first day.
    pub effective_from: Option<Date>,
    /// A new last day; null makes the band open-ended.
    pub effective_to: MaybeUndefined<Date>,
}

payload!(
    /// The result of `createJobFamily`.
    CreateJobFamilyPayload {
        /// The new job family.
        job_family: JobFamily
    }
);
payload!(
    /// The result of `updateJobFamily`.
    UpdateJobFamilyPayload {
        /// The renamed job family.
        job_family: JobFamily
    }
);
payload!(
    /// The result of `createLevel`.
    CreateLevelPayload {
        /// The new level.
        level: Level
    }
);
payload!(
    /// The result of `updateLevel`.
    UpdateLevelPayload {
        /// The changed level.
        level: Level
    }
);
payload!(
    /// The result of `createGeoZone`.
    CreateGeoZonePayload {
        /// The new zone.
        geo_zone: GeoZone
    }
);
payload!(
    /// The result of `updateGeoZone`.
    UpdateGeoZonePayload {
        /// The changed zone.
        geo_zone: GeoZone
    }
);
payload!(
    /// The result of `createCompensationBand`.
    CreateCompensationBandPayload {
        /// The new band.
        compensation_band: CompensationBand
    }
);
payload!(
    /// The result of `updateCompensationBand`.
    UpdateCompensationBandPayload {
        /// The changed band.
        compensation_band: CompensationBand
    }
);

/// A new band set.
#[derive(InputObject)]
pub struct CreateBandSetInput {
    /// The name, e.g. "2027 bands"; unique.
    pub name: String,
}

/// A draft band set to make live.
#[derive(InputObject)]
pub struct MakeBandSetLiveInput {
    /// The band set.
    pub id: ID,
    /// The first day its bands apply. Live bands of the same job family,
    /// level and zone end the day before (they are replaced).
    pub effective_from: Date,
}

/// A posting whose published salary range to bring up to date.
#[derive(InputObject)]
pub struct RepublishPostingSalaryRangeInput {
    /// The posting (open or paused).
    pub id: ID,
}

payload!(
    /// The result of `createBandSet`.
    CreateBandSetPayload {
        /// The new draft band set.
        band_set: BandSet
    }
);
payload!(
    /// The result of `makeBandSetLive`.
    MakeBandSetLivePayload {
        /// The band set, now live.
        band_set: BandSet
    }
);
payload!(
    /// The result of `republishPostingSalaryRange`.
    RepublishPostingSalaryRangePayload {
        /// The posting, with its new published salary range.
        posting: Posting
    }
);

/// Changing the compensation structure (admins).
#[derive(Default)]
pub struct CompensationMutation;

#[Object]
impl CompensationMutation {
    /// Adds a job family.
    async fn create_job_family(
        &self,
        ctx: &Context<'_>,
        input: CreateJobFamilyInput,
    ) -> Result<CreateJobFamilyPayload> {
        let rc = RequestContext::of(ctx)?;
        authorize(&rc.viewer, Action::ManageCompensation)?;
        let changes = JobFamilyChanges {
            name: Some(input.name),
        };
        CreateJobFamilyPayload::from_outcome(
            domain::save_job_family(&rc.db, &actor(rc), None, changes).await,
            JobFamily,
        )
    }

    /// Renames a job family.
    async fn update_job_family(
        &self,
        ctx: &Context<'_>,
        input: UpdateJobFamilyInput,
    ) -> Result<UpdateJobFamilyPayload> {
        let rc = RequestContext::of(ctx)?;
        authorize(&rc.viewer, Action::ManageCompensation)?;
        let outcome = async {
            let id = input_id(&input.id, NodeKind::JobFamily, &["id"])?;
            domain::save_job_family(
                &rc.db,
                &actor(rc),
                Some(id),
                JobFamilyChanges {
                    name: Some(input.name),
                },
            )
            .await
        };
        UpdateJobFamilyPayload::from_outcome(outcome.await, JobFamily)
    }

    /// Adds a level.
    async fn create_level(
        &self,
        ctx: &Context<'_>,
        input: CreateLevelInput,
    ) -> Result<CreateLevelPayload> {
        let rc = RequestContext::of(ctx)?;
        authorize(&rc.viewer, Action::ManageCompensation)?;
        let changes = LevelChanges {
            code: Some(input.code),
            name: Some(input.name),
            track: Some(input.track.into()),
            rank: Some(input.rank),
        };
        CreateLevelPayload::from_outcome(
            domain::save_level(&rc.db, &actor(rc), None, changes).await,
            Level,
        )
    }

    /// Changes a level.
    async fn update_level(
        &self,
        ctx: &Context<'_>,
        input: UpdateLevelInput,
    ) -> Result<UpdateLevelPayload> {
        let rc = RequestContext::of(ctx)?;
        authorize(&rc.viewer, Action::ManageCompensation)?;
        let outcome = async {
            let id = input_id(&input.id, NodeKind::Level, &["id"])?;
            let changes = LevelChanges {
                code: input.code,
                name: input.name,
                track: input.track.map(Into::into),
                rank: input.rank,
            };
            domain::save_level(&rc.db, &actor(rc), Some(id), changes).await
        };
        UpdateLevelPayload::from_outcome(outcome.await, Level)
    }

    /// Adds a geo zone.
    async fn create_geo_zone(
        &self,
        ctx: &Context<'_>,
        input: CreateGeoZoneInput,
    ) -> Result<CreateGeoZonePayload> {
        let rc = RequestContext::of(ctx)?;
        authorize(&rc.viewer, Action::ManageCompensation)?;
        let changes = GeoZoneChanges {
            name: Some(input.name),
            is_fallback: Some(input.is_fallback),
            countries: Some(input.country_codes.into_iter().map(|c| c.0).collect()),
        };
        CreateGeoZonePayload::from_outcome(
            domain::save_geo_zone(&rc.db, &actor(rc), None, changes).await,
            GeoZone,
        )
    }

    /// Changes a geo zone.
    async fn update_geo_zone(
        &self,
        ctx: &Context<'_>,
        input: UpdateGeoZoneInput,
    ) -> Result<UpdateGeoZonePayload> {
        let rc = RequestContext::of(ctx)?;
        authorize(&rc.viewer, Action::ManageCompensation)?;
        let outcome = async {
            let id = input_id(&input.id, NodeKind::GeoZone, &["id"])?;
            let changes = GeoZoneChanges {
                name: input.name,
                is_fallback: input.is_fallback,
                countries: input
                    .country_codes
                    .map(|codes| codes.into_iter().map(|c| c.0).collect()),
            };
            domain::save_geo_zone(&rc.db, &actor(rc), Some(id), changes).await
        };
        UpdateGeoZonePayload::from_outcome(outcome.await, GeoZone)
    }

    /// Adds a compensation band.
    async fn create_compensation_band(
        &self,
        ctx: &Context<'_>,
        input: CreateCompensationBandInput,
    ) -> Result<CreateCompensationBandPayload> {
        let rc = RequestContext::of(ctx)?;
        authorize(&rc.viewer, Action::ManageCompensation)?;
        let outcome = async {
            let ids = [
                input_id(&input.job_family_id, NodeKind::JobFamily, &["jobFamilyId"]),
                input_id(&input.level_id, NodeKind::Level, &["levelId"]),
                input_id(&input.geo_zone_id, NodeKind::GeoZone, &["geoZoneId"]),
            ];
            let set = input
                .band_set_id
                .as_ref()
                .map(|id| input_id(id, NodeKind::BandSet, &["bandSetId"]));
            let errors: Vec<UserError> = ids
                .iter()
                .chain(set.iter())
                .filter_map(|r| r.clone().err())
                .collect();
            if !errors.is_empty() {
                return Err(errors.into());
            }
            let band_set_id = set.and_then(|r| r.ok());
            let [job_family_id, level_id, geo_zone_id] = ids.map(|r| r.ok());
            let changes = BandChanges {
                job_family_id,
                level_id,
                geo_zone_id,
                currency: Some(input.currency.0),
                interval: Some(input.interval.into()),
                minimum: Some(input.minimum.0),
                maximum: Some(input.maximum.0),
                effective_from: input.effective_from.map(|d| d.0),
                effective_to: Some(input.effective_to.map(|d| d.0)),
                midpoint: input.midpoint.map(|m| (m.amount.0, m.currency.0)),
                band_set_id,
            };
            domain::save_band(&rc.db, &actor(rc), None, changes).await
        };
        CreateCompensationBandPayload::from_outcome(outcome.await, CompensationBand)
    }

    /// Changes a compensation band.
    async fn update_compensation_band(
        &self,
        ctx: &Context<'_>,
        input: UpdateCompensationBandInput,
    ) -> Result<UpdateCompensationBandPayload> {
        let rc = RequestContext::of(ctx)?;
        authorize(&rc.viewer, Action::ManageCompensation)?;
        let outcome = async {
            let id = input_id(&input.id, NodeKind::CompensationBand, &["id"])?;
            let changes = BandChanges {
                currency: input.currency.map(|c| c.0),
                interval: input.interval.map(Into::into),
                minimum: input.minimum.map(|d| d.0),
                maximum: input.maximum.map(|d| d.0),
                effective_from: input.effective_from.map(|d| d.0),
                effective_to: super::change(input.effective_to, |d| d.0),
                midpoint: input.midpoint.map(|m| (m.amount.0, m.currency.0)),
                ..Default::default()
            };
            domain::save_band(&rc.db, &actor(rc), Some(id), changes).await
        };
        UpdateCompensationBandPayload::from_outcome(outcome.await, CompensationBand)
    }

    /// Starts a DRAFT band set: bands created with its ID are prepared in it
    /// and apply to nothing until it is made live.
    async fn create_band_set(
        &self,
        ctx: &Context<'_>,
        input: CreateBandSetInput,
    ) -> Result<CreateBandSetPayload> {
        let rc = RequestContext::of(ctx)?;
        authorize(&rc.viewer, Action::ManageCompensation)?;
        CreateBandSetPayload::from_outcome(
            domain::create_band_set(&rc.db, &actor(rc), &input.name).await,
            BandSet,
        )
    }

    /// Makes a DRAFT band set live from a date, all at once: its bands apply
    /// from that day, and the live bands of the same job family, level and
    /// zone stop applying that day. Refused (BAND_OVERLAP) when such a band
    /// starts on or after that day.
    async fn make_band_set_live(
        &self,
        ctx: &Context<'_>,
        input: MakeBandSetLiveInput,
    ) -> Result<MakeBandSetLivePayload> {
        let rc = RequestContext::of(ctx)?;
        authorize(&rc.viewer, Action::ManageCompensation)?;
        let outcome = async {
            let id = input_id(&input.id, NodeKind::BandSet, &["id"])?;
            domain::make_band_set_live(&rc.db, &actor(rc), id, input.effective_from.0).await
        };
        MakeBandSetLivePayload::from_outcome(outcome.await, BandSet)
    }

    /// Records the salary range an open or paused posting shows today as the
    /// one it is published with (after its bands changed). Whoever may
    /// publish the posting may do this. Refused (INVALID_STATE) when the range
    /// has not changed.
    async fn republish_posting_salary_range(
        &self,
        ctx: &Context<'_>,
        input: RepublishPostingSalaryRangeInput,
    ) -> Result<RepublishPostingSalaryRangePayload> {
        let rc = RequestContext::of(ctx)?;
        rc.viewer.staff()?;
        let id = match input_id(&input.id, NodeKind::Posting, &["id"]) {
            Ok(id) => id,
            Err(err) => {
                return RepublishPostingSalaryRangePayload::from_outcome(Err(err.into()), Posting);
            }
        };
        let Some(before) = posting::Entity::find_by_id(id)
            .one(&rc.db)
            .await
            .map_err(ApiError::from)?
        else {
            return RepublishPostingSalaryRangePayload::from_outcome(
                Err(crate::domain::write::missing("posting")),
                Posting,
            );
        };
        authorize(&rc.viewer, Action::RunPipeline(&before))?;
        RepublishPostingSalaryRangePayload::from_outcome(
            pay::republish_salary_range(&rc.db, &actor(rc), &before).await,
            Posting,
        )
    }
}
