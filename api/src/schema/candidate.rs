//! Candidates: the people who apply. Staff only.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result};
use entity::candidate;
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter};

use super::application::{
    Application, ApplicationFilter, ApplicationList, ApplicationOrder, ApplicationScope,
};
use super::connection::{Connection, PageArgs, list, nested, order_input};
use super::enums::CandidateSource;
use super::node::{NodeKind, expect_id, global_id, input_id};
use super::posting::like_pattern;
use super::reference::Country;
use super::scalars::{CountryCode, Date, DateTime, TimeZone};
use super::{actor, change, payload};
use crate::auth::permissions::{Action, authorize};
use crate::context::RequestContext;
use crate::domain::candidate::{self as domain, CandidateChanges};
use crate::domain::countries::is_country;
use crate::error::{ApiError, ApiResult};
use crate::loaders::ById;

/// A person who applies; one candidate may apply to several postings.
#[derive(Clone)]
pub struct Candidate(pub candidate::Model);

impl Candidate {
    /// The candidate with `id`, for staff who may see them.
    pub async fn load(rc: &RequestContext, id: i64) -> ApiResult<Option<Candidate>> {
        authorize(&rc.viewer, Action::ReadHiringData)?;
        if !rc.sees_candidate(id).await? {
            return Ok(None);
        }
        Ok(rc
            .load(ById::<candidate::Entity>::new(id))
            .await?
            .map(Candidate))
    }
}

/// A candidate.
#[Object]
impl Candidate {
    /// The candidate's global ID.
    pub async fn id(&self) -> ID {
        global_id(NodeKind::Candidate, self.0.id)
    }
    /// Full name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Email address, as the candidate wrote it.
    async fn email(&self) -> &str {
        &self.0.email
    }
    /// The country the candidate lives in.
    async fn country(&self) -> Option<Country> {
        self.0.country_code.as_deref().and_then(Country::from_code)
    }
    /// The candidate's time zone; interviews are shown to them in it.
    async fn time_zone(&self) -> Option<TimeZone> {
        self.0.time_zone.clone().map(TimeZone)
    }
    /// Phone number.
    async fn phone(&self) -> Option<&str> {
        self.0.phone.as_deref()
    }
    /// Links the candidate shared: profile, portfolio, code.
    async fn links(&self) -> Vec<String> {
        serde_json::from_value(self.0.links.clone()).unwrap_or_default()
    }
    /// How the candidate came to us.
    async fn source(&self) -> CandidateSource {
        self.0.source.into()
    }
    /// More about the source: the referrer, the agency, the event.
    async fn source_detail(&self) -> Option<&str> {
        self.0.source_detail.as_deref()
    }
    /// When the candidate consented to the processing of their data.
    async fn consent_given_at(&self) -> Option<DateTime> {
        self.0.consent_given_at.map(DateTime)
    }
    /// The day until which their data may be kept; after it, with no
    /// active application, the daily purge erases them.
    async fn retain_until(&self) -> Option<Date> {
        self.0.retain_until.map(Date)
    }
    /// When their personal data was erased; the candidate remains, anonymous.
    async fn erased_at(&self) -> Option<DateTime> {
        self.0.erased_at.map(DateTime)
    }
    /// When the candidate was added.
    async fn created_at(&self) -> DateTime {
        self.0.created_at.into()
    }
    /// When the candidate was last changed.
    async fn updated_at(&self) -> DateTime {
        self.0.updated_at.into()
    }
    /// The candidate's applications.
    async fn applications(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Return the first n applications (1 to 100).")] first: Option<i32>,
        #[graphql(desc = "Return applications after this cursor.")] after: Option<String>,
        #[graphql(desc = "Return the last n applications (1 to 100).")] last: Option<i32>,
        #[graphql(desc = "Return applications before this cursor.")] before: Option<String>,
        #[graphql(default, desc = "Which applications.")] filter: ApplicationFilter,
        #[graphql(default, desc = "How to sort the applications.")] order_by: ApplicationOrder,
    ) -> Result<Connection<Application>> {
        let rc = RequestContext::of(ctx)?;
        authorize(&rc.viewer, Action::ReadHiringData)?;
        let args = PageArgs {
            first,
            after,
            last,
            before,
        };
        let list = ApplicationList::new(
            rc.scope(),
            ApplicationScope::Candidate,
            &filter,
            order_by,
            args,
        )?;
        Ok(nested(rc, self.0.id, list, Application).await?)
    }
}

/// Which candidates to list.
#[derive(InputObject, Default)]
pub struct CandidateFilter {
    /// Only candidates whose name or email contains this text (any case).
    pub search: Option<String>,
    /// Only candidates living in this country.
    pub country_code: Option<CountryCode>,
}

order_input!(
    /// How to sort candidates.
    CandidateOrder,
    /// The fields candidates can be sorted by.
    CandidateOrderField,
    candidate::Entity,
    default = (CreatedAt, Desc) {
        /// By when the candidate was added.
        CreatedAt => "createdAt", candidate::Column::CreatedAt, |m| SortValue::Time(m.created_at);
        /// By when the candidate was last changed.
        UpdatedAt => "updatedAt", candidate::Column::UpdatedAt, |m| SortValue::Time(m.updated_at);
        /// Alphabetically by name.
        Name => "name", candidate::Column::Name, |m| SortValue::Text(m.name.clone());
    }
);

/// Reading candidates.
#[derive(Default)]
pub struct CandidateQuery;

#[Object]
impl CandidateQuery {
    /// Candidates, newest first (staff only).
    async fn candidates(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Return the first n candidates (1 to 100).")] first: Option<i32>,
        #[graphql(desc = "Return candidates after this cursor.")] after: Option<String>,
        #[graphql(desc = "Return the last n candidates (1 to 100).")] last: Option<i32>,
        #[graphql(desc = "Return candidates before this cursor.")] before: Option<String>,
        #[graphql(default, desc = "Which candidates.")] filter: CandidateFilter,
        #[graphql(default, desc = "How to sort the candidates.")] order_by: CandidateOrder,
    ) -> Result<Connection<Candidate>> {
        let rc = RequestContext::of(ctx)?;
        authorize(&rc.viewer, Action::ReadHiringData)?;
        let mut select = candidate::Entity::find().filter(rc.scope().candidates());
        if let Some(text) = filter.search.as_deref().filter(|t| !t.trim().is_empty()) {
            let pattern = like_pattern(text);
            let matches = |column: candidate::Column| {
                Expr::expr(Func::lower(Expr::col(column)))
                    .like(LikeExpr::new(pattern.clone()).escape('\\'))
            };
            select = select.filter(
                Condition::any()
                    .add(matches(candidate::Column::Name))
                    .add(matches(candidate::Column::EmailNormalized)),
            );
        }
        if let Some(code) = &filter.country_code {
            let code = code.as_str().trim().to_ascii_uppercase();
            if !is_country(&code) {
                return Err(ApiError::bad_input(format!(
                    "`{code}` is not an ISO 3166-1 alpha-2 country code"
                ))
                .into());
            }
            select = select.filter(candidate::Column::CountryCode.eq(code));
        }
        let args = PageArgs {
            first,
            after,
            last,
            before,
        };
        Ok(list(rc, select, order_by.ordering(), args, Candidate).await?)
    }

    /// One candidate (staff only); null when there is no such candidate.
    async fn candidate(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The candidate's global ID.")] id: ID,
    ) -> Result<Option<Candidate>> {
        let rc = RequestContext::of(ctx)?;
        Ok(Candidate::load(rc, expect_id(&id, NodeKind::Candidate)?).await?)
    }
}

/// A new candidate, added by staff (sourced, referred, from an agency).
#[derive(InputObject)]
pub struct CreateCandidateInput {
    /// Email address; one candidate per address, whatever its case.
    pub email: String,
    /// Full name.
    pub name: String,
    /// The country they live in.
    pub country_code: Option<CountryCode>,
    /// Their time zone.
    pub time_zone: Option<TimeZone>,
    /// Phone number.
    pub phone: Option<String>,
    /// Links (http or https), at most 10.
    #[graphql(default)]
    pub links: Vec<String>,
    /// How they came to us.
    #[graphql(default_with = "CandidateSource::Sourced")]
    pub source: CandidateSource,
    /// More about the source.
    pub source_detail: Option<String>,
    /// True when they consented to the processing of their data.
    #[graphql(default)]
    pub consent_given: bool,
    /// The day until which their data may be kept.
    pub retain_until: Option<Date>,
}

/// Changes to a candidate; fields left out stay as they are, null clears.
#[derive(InputObject)]
pub struct UpdateCandidateInput {
    /// The candidate to change.
    pub id: ID,
    /// A new email address.
    pub email: Option<String>,
    /// A new name.
    pub name: Option<String>,
    /// A new country.
    pub country_code: MaybeUndefined<CountryCode>,
    /// A new time zone.
    pub time_zone: MaybeUndefined<TimeZone>,
    /// A new phone number.
    pub phone: MaybeUndefined<String>,
    /// The complete new list of links.
    pub links: Option<Vec<String>>,
    /// A new source.
    pub source: Option<CandidateSource>,
    /// New detail about the source.
    pub source_detail: MaybeUndefined<String>,
    /// True records consent now; false withdraws it.
    pub consent_given: Option<bool>,
    /// A new retention date.
    pub retain_until: MaybeUndefined<Date>,
}

payload!(
    /// The result of `createCandidate`.
    CreateCandidatePayload {
        /// The new candidate.
        candidate: Candidate
    }
);
payload!(
    /// The result of `updateCandidate`.
    UpdateCandidatePayload {
        /// The changed candidate.
        candidate: Candidate
    }
);

/// Writing candidates (admins and recruiters).
#[derive(Default)]
pub struct CandidateMutation;

#[Object]
impl CandidateMutation {
    /// Adds a candidate.
    async fn create_candidate(
        &self,
        ctx: &Context<'_>,
        input: CreateCandidateInput,
    ) -> Result<CreateCandidatePayload> {
        let rc = RequestContext::of(ctx)?;
        authorize(&rc.viewer, Action::ManageCandidates)?;
        let changes = CandidateChanges {
            email: Some(input.email),
            name: Some(input.name),
            country_code: Some(input.country_code.map(|c| c.0)),
            time_zone: Some(input.time_zone.map(|z| z.0)),
            phone: Some(input.phone),
            links: Some(input.links),
            source: Some(input.source.into()),
            source_detail: Some(input.source_detail),
            consent_given: Some(input.consent_given),
            retain_until: Some(input.retain_until.map(|d| d.0)),
        };
        CreateCandidatePayload::from_outcome(
            domain::save_candidate(&rc.db, &actor(rc), None, changes).await,
            Candidate,
        )
    }

    /// Changes a candidate.
    async fn update_candidate(
        &self,
        ctx: &Context<'_>,
        input: UpdateCandidateInput,
    ) -> Result<UpdateCandidatePayload> {
        let rc = RequestContext::of(ctx)?;
        authorize(&rc.viewer, Action::ManageCandidates)?;
        let outcome = async {
            let id = input_id(&input.id, NodeKind::Candidate, &["id"])?;
            let changes = CandidateChanges {
                email: input.email,
                name: input.name,
                country_code: change(input.country_code, |c| c.0),
                time_zone: change(input.time_zone, |z| z.0),
                phone: change(input.phone, |p| p),
                links: input.links,
                source: input.source.map(Into::into),
                source_detail: change(input.source_detail, |d| d),
                consent_given: input.consent_given,
                retain_until: change(input.retain_until, |d| d.0),
            };
            domain::save_candidate(&rc.db, &actor(rc), Some(id), changes).await
        };
        UpdateCandidatePayload::from_outcome(outcome.await, Candidate)
    }
}
