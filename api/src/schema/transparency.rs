//! Pay transparency in the API: the rules hiregraph checks, a posting's
//! verdict under each law that covers it, and the record of when each
//! applicant was shown the pay range.

use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject};
use entity::enums::DisclosureKind as DbDisclosureKind;
use entity::{pay_range_disclosure, user};

use super::compensation::SalaryRange;
use super::pipeline::authorize_application;
use super::scalars::DateTime;
use super::user::User;
use super::{actor, payload};
use crate::auth::permissions::{Action, authorize};
use crate::context::RequestContext;
use crate::domain::compensation::SalaryRange as DomainRange;
use crate::domain::transparency::{
    self as domain, RangeDue as DomainRangeDue, Requirement as DomainRequirement,
    Trigger as DomainTrigger, disclosure,
};
use crate::error::ApiError;
use crate::loaders::{ById, PostingFactsOf};

fn rule_set() -> Result<&'static domain::RuleSet, ApiError> {
    domain::rules().map_err(|err| ApiError::Internal(err.to_owned()))
}

/// Every pay-transparency law hiregraph checks, as of one version of the rules.
pub struct PayTransparencyRuleSet(&'static domain::RuleSet);

/// The pay-transparency laws hiregraph checks postings against.
#[Object]
impl PayTransparencyRuleSet {
    /// The date the rules were last reviewed, e.g. "2026-11-01"; verdicts
    /// and overrides name it.
    async fn version(&self) -> &str {
        &self.0.version
    }
    /// The laws, one per jurisdiction.
    async fn rules(&self) -> Vec<PayTransparencyRule> {
        self.0.rules.iter().map(PayTransparencyRule).collect()
    }
    /// Phrases that make a posting question ask for pay history (matched
    /// without regard to case or spacing). Questions about salary
    /// expectations are fine.
    async fn salary_history_patterns(&self) -> &[String] {
        &self.0.salary_history_patterns
    }
}

/// One jurisdiction's pay-transparency law.
pub struct PayTransparencyRule(&'static domain::Rule);

/// One jurisdiction's pay-transparency law, and what it asks of a posting.
#[Object]
impl PayTransparencyRule {
    /// A short code: "US-CO", "US-NY-NYC", "CA-ON", "EU".
    async fn code(&self) -> &str {
        &self.0.code
    }
    /// The jurisdiction, e.g. "Colorado".
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// The places the law is tied to: ISO 3166-1 countries ("DE") or
    /// subdivisions ("US-CO"). A posting open to a whole country is open to
    /// the people of each of its subdivisions.
    async fn places(&self) -> &[String] {
        &self.0.places
    }
    /// When the law took effect.
    async fn effective_from(&self) -> super::scalars::Date {
        super::scalars::Date(self.0.effective_from)
    }
    /// The law, by name and section.
    async fn law(&self) -> &str {
        &self.0.source.law
    }
    /// Where to read it.
    async fn source_url(&self) -> &str {
        &self.0.source.url
    }
    /// The smallest employer it covers, in people employed (0: every employer).
    async fn min_employees(&self) -> u32 {
        self.0.min_employees
    }
    /// What brings a job under the law.
    async fn triggers(&self) -> Vec<PayTransparencyTrigger> {
        self.0.triggers.iter().map(|t| (*t).into()).collect()
    }
    /// What a covered posting must show.
    async fn requirements(&self) -> Vec<PayTransparencyRequirement> {
        self.0.requirements.iter().map(|r| (*r).into()).collect()
    }
    /// The widest range allowed, when the law caps it.
    async fn spread_cap(&self) -> Option<PayRangeSpreadCap> {
        self.0.spread_cap.as_ref().map(|cap| PayRangeSpreadCap {
            max_spread: super::compensation::Money::from_minor(cap.max_spread_minor, &cap.currency),
            applies_up_to: super::compensation::Money::from_minor(
                cap.applies_up_to_minor,
                &cap.currency,
            ),
        })
    }
    /// When the candidate must learn the range.
    async fn range_due(&self) -> PayRangeDue {
        self.0.range_due.into()
    }
    /// True when the law bans asking applicants about their pay history.
    async fn bans_salary_history_questions(&self) -> bool {
        self.0.bans_salary_history_questions
    }
    /// Where the ban on pay-history questions is written.
    async fn salary_history_source(&self) -> Option<&str> {
        self.0.salary_history_source.as_deref()
    }
    /// Anything else a recruiter should know about the rule.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
}

/// The widest pay range a law allows.
#[derive(SimpleObject)]
pub struct PayRangeSpreadCap {
    /// Maximum minus minimum may be at most this.
    pub max_spread: super::compensation::Money,
    /// The cap applies to ranges whose maximum is at most this.
    pub applies_up_to: super::compensation::Money,
}

/// What brings a job under a pay-transparency law.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum PayTransparencyTrigger {
    /// The work is performed there.
    WorkPerformedThere,
    /// The job is remote and open to people living there.
    RemoteOpenToResidents,
    /// The person reports to a supervisor there (not checked: the employer
    /// is fully remote).
    ReportsToSupervisorThere,
}

impl From<DomainTrigger> for PayTransparencyTrigger {
    fn from(value: DomainTrigger) -> Self {
        match value {
            DomainTrigger::WorkPerformedThere => PayTransparencyTrigger::WorkPerformedThere,
            DomainTrigger::RemoteOpenToResidents => PayTransparencyTrigger::RemoteOpenToResidents,
            DomainTrigger::ReportsToSupervisorThere => {
                PayTransparencyTrigger::ReportsToSupervisorThere
            }
        }
    }
}

/// What a pay-transparency law asks a posting to show.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum PayTransparencyRequirement {
    /// A pay range with a minimum and a maximum.
    RangeMinMax,
    /// No open-ended range ("from X", "up to Y").
    NoOpenEnded,
    /// A general description of the benefits.
    Benefits,
    /// Other compensation: bonuses, commissions, equity.
    OtherCompensation,
    /// The date applications close.
    ApplicationDeadline,
}

impl From<DomainRequirement> for PayTransparencyRequirement {
    fn from(value: DomainRequirement) -> Self {
        match value {
            DomainRequirement::RangeMinMax => PayTransparencyRequirement::RangeMinMax,
            DomainRequirement::NoOpenEnded => PayTransparencyRequirement::NoOpenEnded,
            DomainRequirement::Benefits => PayTransparencyRequirement::Benefits,
            DomainRequirement::OtherCompensation => PayTransparencyRequirement::OtherCompensation,
            DomainRequirement::ApplicationDeadline => {
                PayTransparencyRequirement::ApplicationDeadline
            }
        }
    }
}

/// When a candidate must learn the pay range.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum PayRangeDue {
    /// In the posting itself: publishing is refused without it.
    InPosting,
    /// Before the first interview: scheduling is refused until it was disclosed.
    BeforeFirstInterview,
}

impl From<DomainRangeDue> for PayRangeDue {
    fn from(value: DomainRangeDue) -> Self {
        match value {
            DomainRangeDue::InPosting => PayRangeDue::InPosting,
            DomainRangeDue::BeforeFirstInterview => PayRangeDue::BeforeFirstInterview,
        }
    }
}

/// How a posting fares under the pay-transparency laws that cover it.
#[derive(SimpleObject)]
pub struct PayTransparencyReport {
    /// The version of the rules applied.
    pub rule_version: String,
    /// True when the posting meets every law that covers it.
    pub compliant: bool,
    /// One verdict per law covering the posting (where it can be filled
    /// from, and the employer's headcount, decide which).
    pub jurisdictions: Vec<PayTransparencyVerdict>,
}

/// How a posting fares under one law.
#[derive(SimpleObject)]
pub struct PayTransparencyVerdict {
    /// The law's code, e.g. "US-CO".
    pub code: String,
    /// The jurisdiction, e.g. "Colorado".
    pub name: String,
    /// The version of the rules applied.
    pub rule_version: String,
    /// When the candidate must learn the range under this law.
    pub range_due: PayRangeDue,
    /// True when nothing the law asks for is missing.
    pub compliant: bool,
    /// What the posting already does right, as sentences.
    pub satisfied: Vec<String>,
    /// What is missing and how to fix it, as sentences.
    pub missing: Vec<String>,
    /// What hiregraph could not check and a person should (e.g. Ontario's
    /// spread limit on a range not in Canadian dollars).
    pub notes: Vec<String>,
}

/// The report for posting `id` (staff only; the caller checks).
pub async fn report(rc: &RequestContext, posting_id: i64) -> Result<PayTransparencyReport> {
    let set = rule_set()?;
    let facts = rc
        .load(PostingFactsOf(posting_id))
        .await?
        .unwrap_or_default();
    let today = chrono::Utc::now().date_naive();
    let verdicts = domain::assess(set, &facts, rc.employer_headcount, today);
    Ok(PayTransparencyReport {
        rule_version: set.version.clone(),
        compliant: verdicts.iter().all(domain::Verdict::compliant),
        jurisdictions: verdicts
            .into_iter()
            .map(|v| PayTransparencyVerdict {
                compliant: v.compliant(),
                code: v.code,
                name: v.name,
                rule_version: v.rule_version,
                range_due: v.range_due.into(),
                satisfied: v.satisfied,
                missing: v.missing.into_iter().map(|m| m.sentence).collect(),
                notes: v.notes,
            })
            .collect(),
    })
}

/// How an applicant was shown the pay range.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum PayRangeDisclosureKind {
    /// The posting they applied to showed it (the careers-site form sits under it).
    Posting,
    /// A staff user gave it to them and recorded it.
    Explicit,
}

impl From<DbDisclosureKind> for PayRangeDisclosureKind {
    fn from(value: DbDisclosureKind) -> Self {
        match value {
            DbDisclosureKind::Posting => PayRangeDisclosureKind::Posting,
            DbDisclosureKind::Explicit => PayRangeDisclosureKind::Explicit,
        }
    }
}

/// A time an applicant was shown the pay range.
#[derive(Clone)]
pub struct PayRangeDisclosure(pub pay_range_disclosure::Model);

/// A time an applicant was shown the pay range, and which range.
#[Object]
impl PayRangeDisclosure {
    /// How: with the posting, or given by someone on the hiring team.
    async fn how(&self) -> PayRangeDisclosureKind {
        self.0.how.into()
    }
    /// The range shown.
    async fn salary_range(&self) -> SalaryRange {
        SalaryRange::from(DomainRange {
            currency: self.0.currency.clone(),
            interval: self.0.pay_interval,
            min_minor: self.0.min_minor,
            max_minor: self.0.max_minor,
        })
    }
    /// When.
    async fn disclosed_at(&self) -> DateTime {
        DateTime(self.0.disclosed_at)
    }
    /// Who recorded it; null for the careers site.
    async fn disclosed_by(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        let rc = RequestContext::of(ctx)?;
        match self.0.user_id {
            Some(id) => Ok(rc.load(ById::<user::Entity>::new(id)).await?.map(User)),
            None => Ok(None),
        }
    }
}

/// Reading the pay-transparency rules.
#[derive(Default)]
pub struct TransparencyQuery;

#[Object]
impl TransparencyQuery {
    /// The pay-transparency laws hiregraph checks postings against, with
    /// their sources (staff only).
    async fn pay_transparency_rules(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Option<PayTransparencyRuleSet>> {
        let rc = RequestContext::of(ctx)?;
        authorize(&rc.viewer, Action::ReadHiringData)?;
        Ok(Some(PayTransparencyRuleSet(rule_set()?)))
    }
}

/// Recording that an applicant was given the pay range.
#[derive(InputObject)]
pub struct RecordPayRangeDisclosureInput {
    /// The application whose candidate was told the range.
    pub application_id: ID,
}

payload!(
    /// The result of `recordPayRangeDisclosure`.
    RecordPayRangeDisclosurePayload {
        /// The disclosure recorded: the posting's range now.
        disclosure: PayRangeDisclosure
    }
);

/// Recording pay-range disclosures.
#[derive(Default)]
pub struct TransparencyMutation;

#[Object]
impl TransparencyMutation {
    /// Records that the candidate was given the posting's pay range (by
    /// email, on a call): the range recorded is the posting's range now.
    /// Laws such as the EU directive want this before the first interview
    /// (admins and recruiters; hiring managers on their postings).
    async fn record_pay_range_disclosure(
        &self,
        ctx: &Context<'_>,
        input: RecordPayRangeDisclosureInput,
    ) -> Result<RecordPayRangeDisclosurePayload> {
        let rc = RequestContext::of(ctx)?;
        let (application, _) = match authorize_application(rc, &input.application_id).await? {
            Ok(found) => found,
            Err(err) => {
                return RecordPayRangeDisclosurePayload::from_outcome(
                    Err(err.into()),
                    PayRangeDisclosure,
                );
            }
        };
        RecordPayRangeDisclosurePayload::from_outcome(
            disclosure::record_explicit(&rc.db, &actor(rc), &application).await,
            PayRangeDisclosure,
        )
    }
}
