//! Offers: the terms made to a candidate at the offer stage, versioned,
//! approved by the hiring manager or an admin, sent, and accepted (which
//! hires) or declined. Each offer shows where its salary sits in its
//! compensation band.
//!
//! Offers are compensation data: admins, recruiters and hiring managers who
//! see the application read them; interviewers never do.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject};
use entity::{
    application, exchange_rate, exchange_rate_set, geo_zone, level, offer, offer_approval, posting,
    team, user,
};
use sea_orm::EntityTrait;

use super::application::Application;
use super::compensation::{CompensationBand, GeoZone, Level, Money, required};
use super::enums::{ApprovalDecision, OfferStatus, PayInterval};
use super::node::{NodeKind, global_id, input_id};
use super::pipeline::authorize_application;
use super::rates::ExchangeRateSet;
use super::reference::Team;
use super::scalars::{CurrencyCode, Date, DateTime, Decimal};
use super::user::User;
use super::{actor, payload};
use crate::auth::permissions::{Action, authorize};
use crate::context::RequestContext;
use crate::domain::compensation::published_range;
use crate::domain::offers::{self, BandCheck, BandKey, MoneyDraft, StatusChange, TermsDraft};
use crate::domain::rates::RateTable;
use crate::error::{ApiError, ApiResult, Failure, UserError, UserErrorCode};
use crate::loaders::{ById, ChildrenOf, LiveBand};

/// One version of an offer.
#[derive(Clone)]
pub struct Offer(pub offer::Model);

/// FORBIDDEN unless the viewer may read the offers of `application`'s
/// posting: salaries are for admins, recruiters and its hiring manager.
pub async fn may_read(rc: &RequestContext, application: &application::Model) -> ApiResult<()> {
    let posting = required(
        rc.load(ById::<posting::Entity>::new(application.posting_id))
            .await?,
    )?;
    authorize(&rc.viewer, Action::ReadOffers(&posting))?;
    Ok(())
}

impl Offer {
    /// The offer with `id`, for those who may read compensation and see its application.
    pub async fn load(rc: &RequestContext, id: i64) -> ApiResult<Option<Offer>> {
        authorize(&rc.viewer, Action::ReadCompensation)?;
        let Some(row) = rc.load(ById::<offer::Entity>::new(id)).await? else {
            return Ok(None);
        };
        if !rc.sees_application(row.application_id).await? {
            return Ok(None);
        }
        let application = required(
            rc.load(ById::<application::Entity>::new(row.application_id))
                .await?,
        )?;
        may_read(rc, &application).await?;
        Ok(Some(Offer(row)))
    }

    /// Where the base salary sits in the band live on the start date (today
    /// when there is none), through the request's loaders.
    async fn band_check(&self, ctx: &Context<'_>) -> ApiResult<BandCheck> {
        let rc = RequestContext::of(ctx)?;
        let application = required(
            rc.load(ById::<application::Entity>::new(self.0.application_id))
                .await?,
        )?;
        let posting = required(
            rc.load(ById::<posting::Entity>::new(application.posting_id))
                .await?,
        )?;
        let today = chrono::Utc::now().date_naive();
        let band = match BandKey::of(&self.0, posting.job_family_id, today) {
            Some(key) => rc.load(LiveBand(key)).await?,
            None => None,
        };
        let rates = self.rates(rc).await?;
        Ok(BandCheck::measure_or_unconverted(
            self.0.base_salary_minor,
            &self.0.currency,
            band,
            rates.as_ref(),
        ))
    }

    /// The exchange rate set the offer was checked with, ready to convert.
    async fn rates(&self, rc: &RequestContext) -> ApiResult<Option<RateTable>> {
        let Some(id) = self.0.exchange_rate_set_id else {
            return Ok(None);
        };
        let Some(set) = rc.load(ById::<exchange_rate_set::Entity>::new(id)).await? else {
            return Ok(None);
        };
        let rows = rc
            .load(ChildrenOf::<exchange_rate::Entity>::new(id))
            .await?
            .unwrap_or_default();
        Ok(Some(RateTable::new(set, &rows)))
    }
}

/// One version of an offer made on an application: its terms, where the base
/// salary sits in its compensation band, its status and its approvals.
/// Revising an offer makes a new version; earlier versions are kept as they
/// were, SUPERSEDED.
#[Object]
impl Offer {
    /// The offer version's global ID.
    pub async fn id(&self) -> ID {
        global_id(NodeKind::Offer, self.0.id)
    }
    /// The application the offer is made on.
    async fn application(&self, ctx: &Context<'_>) -> Result<Application> {
        let rc = RequestContext::of(ctx)?;
        Ok(required(
            rc.load(ById::<application::Entity>::new(self.0.application_id))
                .await?,
        )
        .map(Application)?)
    }
    /// 1 for the first terms offered, one more for each revision.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// Where this version stands.
    async fn status(&self) -> OfferStatus {
        self.0.status.into()
    }
    /// The career level offered.
    async fn level(&self, ctx: &Context<'_>) -> Result<Option<Level>> {
        let rc = RequestContext::of(ctx)?;
        match self.0.level_id {
            Some(id) => Ok(rc.load(ById::<level::Entity>::new(id)).await?.map(Level)),
            None => Ok(None),
        }
    }
    /// The geo zone whose bands the salary is measured against.
    async fn geo_zone(&self, ctx: &Context<'_>) -> Result<Option<GeoZone>> {
        let rc = RequestContext::of(ctx)?;
        match self.0.geo_zone_id {
            Some(id) => Ok(rc
                .load(ById::<geo_zone::Entity>::new(id))
                .await?
                .map(GeoZone)),
            None => Ok(None),
        }
    }
    /// The team the candidate joins.
    async fn team(&self, ctx: &Context<'_>) -> Result<Option<Team>> {
        let rc = RequestContext::of(ctx)?;
        match self.0.team_id {
            Some(id) => Ok(rc.load(ById::<team::Entity>::new(id)).await?.map(Team)),
            None => Ok(None),
        }
    }
    /// The base salary offered, per `interval`.
    async fn base_salary(&self) -> Money {
        Money::from_minor(self.0.base_salary_minor, &self.0.currency)
    }
    /// Whether the base salary is per year or per hour.
    async fn interval(&self) -> PayInterval {
        self.0.pay_interval.into()
    }
    /// The day the candidate starts; null when not agreed yet.
    async fn start_date(&self) -> Option<Date> {
        self.0.start_date.map(Date)
    }
    /// Notes for the hiring team.
    async fn notes(&self) -> Option<&str> {
        self.0.notes.as_deref()
    }
    /// Why the offer was made although its salary is outside its band (or no
    /// band applies); null when no exception was needed or given.
    async fn exception_reason(&self) -> Option<&str> {
        self.0.exception_reason.as_deref()
    }
    /// True when the base salary is within `band`, its minimum and maximum
    /// included; false when it is outside or no band applies.
    async fn within_band(&self, ctx: &Context<'_>) -> Result<bool> {
        Ok(self.band_check(ctx).await?.within_band)
    }
    /// The base salary divided by the midpoint of `band`: 1.0 at the
    /// midpoint, below 1 under it, above 1 over it. Null when no band applies.
    async fn compa_ratio(&self, ctx: &Context<'_>) -> Result<Option<f64>> {
        Ok(self.band_check(ctx).await?.compa_ratio)
    }
    /// How far into `band` the base salary is: 0.0 at its minimum, 1.0 at its
    /// maximum, below 0 or above 1 outside it. Null when no band applies or
    /// its minimum and maximum are equal.
    async fn range_penetration(&self, ctx: &Context<'_>) -> Result<Option<f64>> {
        Ok(self.band_check(ctx).await?.range_penetration)
    }
    /// The compensation band the offer is measured against: the posting's job
    /// family at the offer's level, geo zone and interval, live on the start
    /// date (today when there is none). Null when no band applies. When the
    /// band is in another currency, the salary is converted with
    /// `exchangeRateSet` (see `baseSalaryInBandCurrency`).
    async fn band(&self, ctx: &Context<'_>) -> Result<Option<CompensationBand>> {
        Ok(self.band_check(ctx).await?.band.map(CompensationBand))
    }
    /// The base salary converted into the band's currency with
    /// `exchangeRateSet`, when the two currencies differ; null otherwise.
    async fn base_salary_in_band_currency(&self, ctx: &Context<'_>) -> Result<Option<Money>> {
        let check = self.band_check(ctx).await?;
        Ok(match (check.converted_minor, &check.band) {
            (Some(minor), Some(band)) => Some(Money::from_minor(minor, &band.currency)),
            _ => None,
        })
    }
    /// The exchange rate set the offer's salary was converted with, into its
    /// band's currency or a pay floor's; null when nothing needed converting.
    async fn exchange_rate_set(&self, ctx: &Context<'_>) -> Result<Option<ExchangeRateSet>> {
        let rc = RequestContext::of(ctx)?;
        Ok(match self.0.exchange_rate_set_id {
            Some(id) => rc
                .load(ById::<exchange_rate_set::Entity>::new(id))
                .await?
                .map(ExchangeRateSet),
            None => None,
        })
    }
    /// True when the base salary is outside the range the posting was
    /// published with (`Posting.publishedSalaryRange`): allowed when it is
    /// within its band, but worth knowing, as pay-transparency laws expect
    /// offers within the posted range. False when inside. Null when the
    /// posting has no published range, or one in another interval, or in a
    /// currency the offer's rate set can't convert to.
    async fn outside_posted_range(&self, ctx: &Context<'_>) -> Result<Option<bool>> {
        let rc = RequestContext::of(ctx)?;
        let application = required(
            rc.load(ById::<application::Entity>::new(self.0.application_id))
                .await?,
        )?;
        let posting = required(
            rc.load(ById::<posting::Entity>::new(application.posting_id))
                .await?,
        )?;
        let Some(range) = published_range(&posting) else {
            return Ok(None);
        };
        let rates = self.rates(rc).await?;
        Ok(offers::outside_range(&self.0, &range, rates.as_ref()))
    }
    /// The approvers' decisions on this version, oldest first.
    async fn approvals(&self, ctx: &Context<'_>) -> Result<Vec<OfferApproval>> {
        let rc = RequestContext::of(ctx)?;
        let rows = rc
            .load(ChildrenOf::<offer_approval::Entity>::new(self.0.id))
            .await?;
        Ok(rows
            .unwrap_or_default()
            .into_iter()
            .map(OfferApproval)
            .collect())
    }
    /// Who made this version.
    async fn created_by(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        let rc = RequestContext::of(ctx)?;
        match self.0.created_by_id {
            Some(id) => Ok(rc.load(ById::<user::Entity>::new(id)).await?.map(User)),
            None => Ok(None),
        }
    }
    /// When this version was made.
    async fn created_at(&self) -> DateTime {
        self.0.created_at.into()
    }
    /// When this version last changed (its status).
    async fn updated_at(&self) -> DateTime {
        self.0.updated_at.into()
    }
}

/// An approver's decision on a version of an offer.
#[derive(Clone)]
pub struct OfferApproval(pub offer_approval::Model);

/// An approver's decision on a version of an offer. An approver has one
/// decision per version: deciding again replaces it.
#[Object]
impl OfferApproval {
    /// Who decided: the posting's hiring manager or an admin.
    async fn approver(&self, ctx: &Context<'_>) -> Result<User> {
        let rc = RequestContext::of(ctx)?;
        Ok(required(
            rc.load(ById::<user::Entity>::new(self.0.approver_id))
                .await?,
        )
        .map(User)?)
    }
    /// Approved or rejected.
    async fn decision(&self) -> ApprovalDecision {
        self.0.decision.into()
    }
    /// What the approver said; always given for a rejection.
    async fn comment(&self) -> Option<&str> {
        self.0.comment.as_deref()
    }
    /// When the decision was made.
    async fn decided_at(&self) -> Option<DateTime> {
        self.0.decided_at.map(Into::into)
    }
}

/// An amount of money to enter.
#[derive(InputObject)]
pub struct MoneyInput {
    /// The amount as an exact decimal string with at most the currency's
    /// number of decimals, e.g. `"98550.00"` for USD.
    pub amount: Decimal,
    /// The currency, e.g. `USD`.
    pub currency: CurrencyCode,
}

impl From<MoneyInput> for MoneyDraft {
    fn from(input: MoneyInput) -> Self {
        MoneyDraft {
            amount: input.amount.0,
            currency: input.currency.0,
        }
    }
}

/// The terms of a new offer.
#[derive(InputObject)]
pub struct CreateOfferInput {
    /// The application: active, and at the posting's offer stage (the stage
    /// of kind OFFER, or the last stage of the plan when it has none).
    pub application_id: ID,
    /// The career level offered: one of the levels the posting hires at.
    pub level_id: ID,
    /// The geo zone whose bands apply. Left out: the zone listing the
    /// candidate's country, or else the fallback zone.
    pub geo_zone_id: Option<ID>,
    /// The base salary, per `interval`.
    pub base_salary: MoneyInput,
    /// Whether the base salary is per year or per hour.
    #[graphql(default_with = "PayInterval::Year")]
    pub interval: PayInterval,
    /// The day the candidate starts: today or later. Leave it out when not agreed yet.
    pub start_date: Option<Date>,
    /// The team the candidate joins: one of the posting's teams. Required
    /// when the posting is open to several teams; left out, the posting's
    /// only team.
    pub team_id: Option<ID>,
    /// Notes for the hiring team.
    pub notes: Option<String>,
    /// Why the offer should be made although the base salary is outside its
    /// compensation band, or no band applies. Without it such an offer is
    /// refused (OUT_OF_BAND); with it the offer is made and the reason kept
    /// on it for the approver to see.
    pub exception_reason: Option<String>,
    /// The exchange rate set to convert the salary with when it is not in
    /// its band's currency (or a pay floor's). Left out: the latest set
    /// taken by today. The offer keeps the set it was checked with.
    pub exchange_rate_set_id: Option<ID>,
}

/// New terms for an offer. Terms left out keep their value in the version revised.
#[derive(InputObject)]
pub struct ReviseOfferInput {
    /// The offer's latest version; not an accepted one.
    pub offer_id: ID,
    /// A new level: one of the levels the posting hires at.
    pub level_id: Option<ID>,
    /// A new geo zone.
    pub geo_zone_id: Option<ID>,
    /// A new base salary.
    pub base_salary: Option<MoneyInput>,
    /// A new interval for the base salary.
    pub interval: Option<PayInterval>,
    /// A new start date (today or later); null when not agreed yet.
    pub start_date: MaybeUndefined<Date>,
    /// A new team: one of the posting's teams.
    pub team_id: Option<ID>,
    /// New notes; null removes them.
    pub notes: MaybeUndefined<String>,
    /// A new reason for making the offer outside its band; null removes it
    /// (then the new terms must be within the band).
    pub exception_reason: MaybeUndefined<String>,
    /// A new exchange rate set to convert with. Left out: the set of the
    /// version revised, else the latest set.
    pub exchange_rate_set_id: Option<ID>,
}

/// An offer to submit for approval.
#[derive(InputObject)]
pub struct SubmitOfferForApprovalInput {
    /// The offer; it must be a DRAFT.
    pub offer_id: ID,
}

/// Approving an offer.
#[derive(InputObject)]
pub struct ApproveOfferInput {
    /// The offer; it must be PENDING_APPROVAL.
    pub offer_id: ID,
    /// A comment for the hiring team.
    pub comment: Option<String>,
}

/// Rejecting an offer's approval.
#[derive(InputObject)]
pub struct RejectOfferApprovalInput {
    /// The offer; it must be PENDING_APPROVAL.
    pub offer_id: ID,
    /// Why, and what would make it acceptable; required.
    pub comment: String,
}

/// An offer to send.
#[derive(InputObject)]
pub struct SendOfferInput {
    /// The offer; it must be APPROVED.
    pub offer_id: ID,
}

/// Recording that the candidate accepted.
#[derive(InputObject)]
pub struct AcceptOfferInput {
    /// The offer; it must be SENT.
    pub offer_id: ID,
}

/// Recording that the candidate declined.
#[derive(InputObject)]
pub struct DeclineOfferInput {
    /// The offer; it must be SENT.
    pub offer_id: ID,
    /// What the candidate said.
    pub reason: Option<String>,
}

/// Withdrawing an offer.
#[derive(InputObject)]
pub struct WithdrawOfferInput {
    /// The offer: DRAFT, PENDING_APPROVAL, APPROVED or SENT.
    pub offer_id: ID,
    /// Why.
    pub reason: Option<String>,
}

payload!(
    /// The result of making or changing an offer.
    OfferPayload {
        /// The version of the offer made or changed; null when the input was refused.
        offer: Offer
    }
);

/// The result of `acceptOffer`.
#[derive(SimpleObject)]
pub struct AcceptOfferPayload {
    /// The accepted offer.
    pub offer: Option<Offer>,
    /// The application, now HIRED.
    pub application: Option<Application>,
    /// What was wrong; empty when the offer was accepted.
    pub user_errors: Vec<UserError>,
}

/// The offer with `id`, its application and its posting, after checking the
/// viewer may take `action` on the posting.
async fn authorize_offer(
    rc: &RequestContext,
    id: &ID,
    approving: bool,
) -> ApiResult<Result<(offer::Model, application::Model, posting::Model), UserError>> {
    rc.viewer.staff()?;
    let id = match input_id(id, NodeKind::Offer, &["offerId"]) {
        Ok(id) => id,
        Err(err) => return Ok(Err(err)),
    };
    let Some(offer) = offer::Entity::find_by_id(id).one(&rc.db).await? else {
        return Ok(Err(UserError::new(
            &["offerId"],
            UserErrorCode::NotFound,
            "no offer has this ID",
        )));
    };
    let application = required(
        application::Entity::find_by_id(offer.application_id)
            .one(&rc.db)
            .await?,
    )?;
    let posting = required(
        posting::Entity::find_by_id(application.posting_id)
            .one(&rc.db)
            .await?,
    )?;
    let action = if approving {
        Action::ApproveOffer(&posting)
    } else {
        Action::RunPipeline(&posting)
    };
    authorize(&rc.viewer, action)?;
    Ok(Ok((offer, application, posting)))
}

/// Decodes an optional ID of `kind` given at `field`, collecting a malformed one in `errors`.
fn decode(
    id: Option<&ID>,
    kind: NodeKind,
    field: &str,
    errors: &mut Vec<UserError>,
) -> Option<i64> {
    match id.map(|id| input_id(id, kind, &[field])) {
        Some(Ok(id)) => Some(id),
        Some(Err(err)) => {
            errors.push(err);
            None
        }
        None => None,
    }
}

/// Terms with their IDs decoded; every malformed ID at once.
fn draft(
    level_id: Option<&ID>,
    geo_zone_id: Option<&ID>,
    team_id: Option<&ID>,
    exchange_rate_set_id: Option<&ID>,
    terms: TermsDraft,
) -> Result<TermsDraft, Failure> {
    let mut errors = Vec::new();
    let draft = TermsDraft {
        level_id: decode(level_id, NodeKind::Level, "levelId", &mut errors),
        geo_zone_id: decode(geo_zone_id, NodeKind::GeoZone, "geoZoneId", &mut errors),
        team_id: decode(team_id, NodeKind::Team, "teamId", &mut errors),
        exchange_rate_set_id: decode(
            exchange_rate_set_id,
            NodeKind::ExchangeRateSet,
            "exchangeRateSetId",
            &mut errors,
        ),
        ..terms
    };
    if errors.is_empty() {
        Ok(draft)
    } else {
        Err(errors.into())
    }
}

/// Changes the status of offer `id` (approving or rejecting an approval
/// needs the right to approve offers on the posting).
async fn change(
    ctx: &Context<'_>,
    rc: &RequestContext,
    id: &ID,
    change: StatusChange,
) -> Result<OfferPayload> {
    let approving = matches!(
        change,
        StatusChange::Approve { .. } | StatusChange::RejectApproval { .. }
    );
    let (offer, application, _) = match authorize_offer(rc, id, approving).await? {
        Ok(found) => found,
        Err(err) => return OfferPayload::from_outcome(Err(err.into()), Offer),
    };
    let outcome = offers::change_status(&rc.db, &actor(rc), &offer, &application, change).await;
    if let Ok(changed) = &outcome {
        super::live::announce(
            ctx,
            crate::events::Event::Offer {
                offer: changed.id,
                application: changed.application_id,
            },
        )
        .await;
    }
    OfferPayload::from_outcome(outcome, Offer)
}

/// Making offers and taking them through approval to the candidate's answer
/// (admins and recruiters, and hiring managers on their postings; approving
/// is for the posting's hiring manager and admins).
#[derive(Default)]
pub struct OfferMutation;

#[Object]
impl OfferMutation {
    /// Makes an offer to the candidate of an active application at the
    /// posting's offer stage. It starts as a DRAFT: version 1, or the next
    /// version after an offer that was declined or withdrawn.
    ///
    /// The base salary is checked against the compensation band of the
    /// posting's job family at the level and geo zone offered: an offer
    /// outside its band, or with no band at all, needs an `exceptionReason`,
    /// else it is refused with OUT_OF_BAND and nothing is saved. The offer
    /// shows the result: `withinBand`, `compaRatio`, `rangePenetration`.
    ///
    /// An application has one offer at a time: change its terms with
    /// `reviseOffer`.
    async fn create_offer(
        &self,
        ctx: &Context<'_>,
        input: CreateOfferInput,
    ) -> Result<OfferPayload> {
        let rc = RequestContext::of(ctx)?;
        let (application, posting) = match authorize_application(rc, &input.application_id).await? {
            Ok(found) => found,
            Err(err) => return OfferPayload::from_outcome(Err(err.into()), Offer),
        };
        let outcome = async {
            let terms = draft(
                Some(&input.level_id),
                input.geo_zone_id.as_ref(),
                input.team_id.as_ref(),
                input.exchange_rate_set_id.as_ref(),
                TermsDraft {
                    base_salary: Some(input.base_salary.into()),
                    interval: Some(input.interval.into()),
                    start_date: Some(input.start_date.map(|d| d.0)),
                    notes: Some(input.notes),
                    exception_reason: Some(input.exception_reason),
                    ..Default::default()
                },
            )?;
            offers::create(&rc.db, &actor(rc), &application, &posting, terms).await
        };
        OfferPayload::from_outcome(outcome.await, Offer)
    }

    /// Changes the terms of an offer by making its next version: a DRAFT,
    /// to be approved again, with the terms given and the others as they
    /// were. The version revised is kept unchanged for the record, marked
    /// SUPERSEDED (a declined or withdrawn version keeps that status, so a
    /// better offer can follow a declined one). Give the latest version; an
    /// accepted offer can't be revised. The band check applies as in
    /// `createOffer`.
    async fn revise_offer(
        &self,
        ctx: &Context<'_>,
        input: ReviseOfferInput,
    ) -> Result<OfferPayload> {
        let rc = RequestContext::of(ctx)?;
        let (before, application, posting) =
            match authorize_offer(rc, &input.offer_id, false).await? {
                Ok(found) => found,
                Err(err) => return OfferPayload::from_outcome(Err(err.into()), Offer),
            };
        let outcome = async {
            let terms = draft(
                input.level_id.as_ref(),
                input.geo_zone_id.as_ref(),
                input.team_id.as_ref(),
                input.exchange_rate_set_id.as_ref(),
                TermsDraft {
                    base_salary: input.base_salary.map(Into::into),
                    interval: input.interval.map(Into::into),
                    start_date: super::change(input.start_date, |d| d.0),
                    notes: super::change(input.notes, |n| n),
                    exception_reason: super::change(input.exception_reason, |r| r),
                    ..Default::default()
                },
            )?;
            offers::revise(&rc.db, &actor(rc), &before, &application, &posting, terms).await
        };
        OfferPayload::from_outcome(outcome.await, Offer)
    }

    /// Asks for approval of a DRAFT offer: it becomes PENDING_APPROVAL until
    /// the posting's hiring manager or an admin approves or rejects it.
    async fn submit_offer_for_approval(
        &self,
        ctx: &Context<'_>,
        input: SubmitOfferForApprovalInput,
    ) -> Result<OfferPayload> {
        change(
            ctx,
            RequestContext::of(ctx)?,
            &input.offer_id,
            StatusChange::Submit,
        )
        .await
    }

    /// Approves an offer waiting for approval (PENDING_APPROVAL): it becomes
    /// APPROVED and can be sent. Only the posting's hiring manager and
    /// admins may approve; the decision is listed in the offer's `approvals`.
    async fn approve_offer(
        &self,
        ctx: &Context<'_>,
        input: ApproveOfferInput,
    ) -> Result<OfferPayload> {
        let rc = RequestContext::of(ctx)?;
        let by_admin = rc
            .viewer
            .as_staff()
            .is_some_and(|staff| staff.role == entity::enums::Role::Admin);
        change(
            ctx,
            rc,
            &input.offer_id,
            StatusChange::Approve {
                comment: input.comment,
                by_admin,
            },
        )
        .await
    }

    /// Turns down an offer waiting for approval (PENDING_APPROVAL), saying
    /// why: it goes back to DRAFT, to be revised with `reviseOffer` or
    /// submitted again as it is. Only the posting's hiring manager and admins
    /// may do this; the decision and its comment are listed in the offer's
    /// `approvals`.
    async fn reject_offer_approval(
        &self,
        ctx: &Context<'_>,
        input: RejectOfferApprovalInput,
    ) -> Result<OfferPayload> {
        change(
            ctx,
            RequestContext::of(ctx)?,
            &input.offer_id,
            StatusChange::RejectApproval {
                comment: input.comment,
            },
        )
        .await
    }

    /// Records that an APPROVED offer was sent to the candidate: it becomes
    /// SENT and awaits their answer. An offer is sent only once approved.
    async fn send_offer(&self, ctx: &Context<'_>, input: SendOfferInput) -> Result<OfferPayload> {
        change(
            ctx,
            RequestContext::of(ctx)?,
            &input.offer_id,
            StatusChange::Send,
        )
        .await
    }

    /// Records that the candidate accepted a SENT offer, and hires them in
    /// the same step: the application becomes HIRED, heading to the offer's
    /// team, and fills one of the posting's openings; the posting closes
    /// (FILLED) when its last opening is filled. Once every opening is
    /// filled, accepting is refused with NO_OPENINGS_LEFT: raise the
    /// posting's openings first. The candidate's other applications are
    /// left as they are.
    async fn accept_offer(
        &self,
        ctx: &Context<'_>,
        input: AcceptOfferInput,
    ) -> Result<AcceptOfferPayload> {
        let rc = RequestContext::of(ctx)?;
        let (offer, application, _) = match authorize_offer(rc, &input.offer_id, false).await? {
            Ok(found) => found,
            Err(err) => {
                return Ok(AcceptOfferPayload {
                    offer: None,
                    application: None,
                    user_errors: vec![err],
                });
            }
        };
        match offers::change_status(
            &rc.db,
            &actor(rc),
            &offer,
            &application,
            StatusChange::Accept,
        )
        .await
        {
            Ok(accepted) => {
                super::live::announce(
                    ctx,
                    crate::events::Event::Offer {
                        offer: accepted.id,
                        application: accepted.application_id,
                    },
                )
                .await;
                let hired = required(
                    application::Entity::find_by_id(accepted.application_id)
                        .one(&rc.db)
                        .await
                        .map_err(ApiError::from)?,
                )?;
                Ok(AcceptOfferPayload {
                    offer: Some(Offer(accepted)),
                    application: Some(Application(hired)),
                    user_errors: Vec::new(),
                })
            }
            Err(Failure::Rejected(user_errors)) => Ok(AcceptOfferPayload {
                offer: None,
                application: None,
                user_errors,
            }),
            Err(Failure::Api(err)) => Err(err.into()),
        }
    }

    /// Records that the candidate declined a SENT offer: it becomes DECLINED.
    /// The application stays as it is: revise the offer to make a better
    /// one, or reject or withdraw the application.
    async fn decline_offer(
        &self,
        ctx: &Context<'_>,
        input: DeclineOfferInput,
    ) -> Result<OfferPayload> {
        change(
            ctx,
            RequestContext::of(ctx)?,
            &input.offer_id,
            StatusChange::Decline {
                reason: input.reason,
            },
        )
        .await
    }

    /// Withdraws an offer the candidate has not answered yet (DRAFT,
    /// PENDING_APPROVAL, APPROVED or SENT): it becomes WITHDRAWN and can no
    /// longer be accepted. A new offer can then be made with `createOffer`.
    async fn withdraw_offer(
        &self,
        ctx: &Context<'_>,
        input: WithdrawOfferInput,
    ) -> Result<OfferPayload> {
        change(
            ctx,
            RequestContext::of(ctx)?,
            &input.offer_id,
            StatusChange::Withdraw {
                reason: input.reason,
            },
        )
        .await
    }
}
