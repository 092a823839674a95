//! Pay transparency: the laws that make a posting show its pay range (and
//! more), which of them cover a posting, and whether the posting meets them.
//!
//! The rules are data, not code: `rules.json`, embedded in the binary,
//! versioned by its `version` date and parsed once at start-up. A rule names
//! the places it is tied to: ISO 3166-1 countries (`DE`) or subdivisions
//! (`US-CO`, `US-NY-NYC`). Regions hold countries only, so a posting open to
//! a country is open to the residents of each of its subdivisions: a posting
//! open to the United States is covered by every US state's rule. "Anywhere
//! in the World" is covered by every rule. An employer with fewer people than
//! a rule's `minEmployees` is not covered by it (`HIREGRAPH_EMPLOYER_HEADCOUNT`).
//!
//! Two kinds of rule: those whose range must be IN_POSTING gate publishing;
//! those whose range is due BEFORE_FIRST_INTERVIEW (the EU directive) gate
//! scheduling the first interview or take-home until the range was disclosed.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::LazyLock;

use chrono::NaiveDate;
use entity::enums::PayInterval;
use entity::{region, region_country};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use serde::Deserialize;

use super::compensation::{PayPlaces, SalaryRange, posting_pay_and_places};
use super::money;
use super::rates::{self, RateTable};

pub mod disclosure;

/// The embedded rules file.
const RULES_JSON: &str = include_str!("rules.json");

/// The rules, parsed on first use (the server touches them at start-up, so a
/// broken file stops it there).
static RULES: LazyLock<Result<RuleSet, String>> =
    LazyLock::new(|| parse(RULES_JSON).map_err(|e| e.to_string()));

/// The rule set; an error when the embedded file is broken (a unit test
/// keeps it from ever shipping broken).
pub fn rules() -> Result<&'static RuleSet, &'static str> {
    RULES.as_ref().map_err(String::as_str)
}

/// Parses and checks a rules file.
pub fn parse(json: &str) -> Result<RuleSet, String> {
    let set: RuleSet = serde_json::from_str(json).map_err(|e| format!("rules.json: {e}"))?;
    let mut codes = HashSet::new();
    for rule in &set.rules {
        if !codes.insert(rule.code.as_str()) {
            return Err(format!("rules.json: {} is listed twice", rule.code));
        }
        if rule.places.is_empty() {
            return Err(format!("rules.json: {} names no place", rule.code));
        }
        for place in &rule.places {
            if !super::countries::is_country(country_of(place)) {
                return Err(format!(
                    "rules.json: {} names {place}, not in an ISO 3166 country",
                    rule.code
                ));
            }
        }
        if rule.source.url.is_empty() || rule.source.law.is_empty() {
            return Err(format!("rules.json: {} has no source", rule.code));
        }
        if rule.spread_cap.is_some() && !rule.requirements.contains(&Requirement::RangeMinMax) {
            return Err(format!(
                "rules.json: {} caps the spread of a range it does not require",
                rule.code
            ));
        }
    }
    if set
        .salary_history_patterns
        .iter()
        .any(|p| p.trim().is_empty())
    {
        return Err("rules.json: a salary history pattern is blank".into());
    }
    Ok(set)
}

/// The country of a place: `US` for `US-CO`.
fn country_of(place: &str) -> &str {
    place.split('-').next().unwrap_or(place)
}

/// Every rule, with the version of the file.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RuleSet {
    /// The date the rules were last reviewed, e.g. `2026-11-01`.
    pub version: String,
    /// Phrases that ask for pay history, matched case-insensitively.
    pub salary_history_patterns: Vec<String>,
    pub rules: Vec<Rule>,
}

/// One jurisdiction's law.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Rule {
    pub code: String,
    pub name: String,
    /// ISO 3166-1 countries or ISO 3166-2 style subdivisions (`US-CO`).
    pub places: Vec<String>,
    pub effective_from: NaiveDate,
    pub source: Source,
    /// The smallest employer the law covers (people employed).
    pub min_employees: u32,
    pub triggers: Vec<Trigger>,
    pub requirements: Vec<Requirement>,
    pub spread_cap: Option<SpreadCap>,
    pub range_due: RangeDue,
    pub bans_salary_history_questions: bool,
    pub salary_history_source: Option<String>,
    pub note: Option<String>,
}

/// Where a law is written.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub law: String,
    pub url: String,
}

/// What brings a job under a law.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Trigger {
    /// The work is done there.
    WorkPerformedThere,
    /// The job is remote and open to people living there.
    RemoteOpenToResidents,
    /// The person reports to a supervisor there (not modelled: hiregraph's
    /// employer is fully remote and has no offices).
    ReportsToSupervisorThere,
}

/// What a covered posting must show.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Requirement {
    /// A pay range with a minimum and a maximum.
    RangeMinMax,
    /// Not "from X" or "up to Y".
    NoOpenEnded,
    /// A general description of benefits.
    Benefits,
    /// Other compensation: bonuses, commissions, equity.
    OtherCompensation,
    /// The date applications close.
    ApplicationDeadline,
}

/// The most a range may spread, for ranges topping out at a given amount.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SpreadCap {
    pub currency: String,
    pub max_spread_minor: i64,
    pub applies_up_to_minor: i64,
}

/// When the candidate must learn the range.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RangeDue {
    /// In the job posting itself.
    InPosting,
    /// Before the first interview (in the posting or otherwise).
    BeforeFirstInterview,
}

/// Where a posting can be filled from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Places {
    /// "Anywhere in the World".
    pub everywhere: bool,
    /// The countries of its regions.
    pub countries: BTreeSet<String>,
}

impl Places {
    fn reaches(&self, rule: &Rule) -> bool {
        self.everywhere
            || rule
                .places
                .iter()
                .any(|place| self.countries.contains(country_of(place)))
    }
}

/// What the rules look at in a posting.
#[derive(Clone, Debug, Default)]
pub struct PostingFacts {
    pub places: Places,
    pub range: Option<SalaryRange>,
    pub benefits: Option<String>,
    pub other_compensation: Option<String>,
    pub application_deadline: Option<NaiveDate>,
    /// The latest exchange rate set, for laws whose limits are in another
    /// currency than the range.
    pub rates: Option<RateTable>,
}

/// Whether rule `rule` covers a job open to `places` for an employer of `headcount`, on `today`.
pub fn covers(rule: &Rule, places: &Places, headcount: u32, today: NaiveDate) -> bool {
    rule.effective_from <= today
        && headcount >= rule.min_employees
        && places.reaches(rule)
        && (rule.triggers.contains(&Trigger::RemoteOpenToResidents)
            || rule.triggers.contains(&Trigger::WorkPerformedThere))
}

/// The rules covering a job open to `places`.
pub fn covering<'a>(
    set: &'a RuleSet,
    places: &Places,
    headcount: u32,
    today: NaiveDate,
) -> Vec<&'a Rule> {
    set.rules
        .iter()
        .filter(|rule| covers(rule, places, headcount, today))
        .collect()
}

/// Something a rule requires that the posting lacks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Missing {
    /// The posting field to fix, as the API spells it, when there is one.
    pub field: Option<&'static str>,
    /// A sentence for a recruiter.
    pub sentence: String,
}

/// How a posting fares under one rule.
#[derive(Clone, Debug)]
pub struct Verdict {
    pub code: String,
    pub name: String,
    pub rule_version: String,
    pub range_due: RangeDue,
    pub satisfied: Vec<String>,
    pub missing: Vec<Missing>,
    /// What hiregraph could not check and a person should.
    pub notes: Vec<String>,
}

impl Verdict {
    /// True when nothing is missing.
    pub fn compliant(&self) -> bool {
        self.missing.is_empty()
    }
}

/// The amount with its currency's decimals and thousands separators: `51,850.00`.
pub fn amount(minor: i64, currency: &str) -> String {
    let exponent = money::currency(currency).map_or(2, |c| c.exponent);
    let plain = money::format_amount(minor, exponent);
    let (sign, digits) = match plain.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", plain.as_str()),
    };
    let (whole, fraction) = match digits.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (digits, None),
    };
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match fraction {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

fn per(interval: PayInterval) -> &'static str {
    match interval {
        PayInterval::Year => "a year",
        PayInterval::Hour => "an hour",
    }
}

/// Judges `facts` under each rule covering it.
pub fn assess(
    set: &RuleSet,
    facts: &PostingFacts,
    headcount: u32,
    today: NaiveDate,
) -> Vec<Verdict> {
    covering(set, &facts.places, headcount, today)
        .into_iter()
        .map(|rule| judge(set, rule, facts))
        .collect()
}

fn filled(text: &Option<String>) -> bool {
    text.as_deref().is_some_and(|t| !t.trim().is_empty())
}

/// Judges `facts` under `rule`.
pub fn judge(set: &RuleSet, rule: &Rule, facts: &PostingFacts) -> Verdict {
    let mut satisfied = Vec::new();
    let mut missing = Vec::new();
    let mut notes = Vec::new();
    let name = &rule.name;
    let mut lack = |field: Option<&'static str>, sentence: String| {
        missing.push(Missing { field, sentence });
    };
    for requirement in &rule.requirements {
        match requirement {
            Requirement::RangeMinMax => match &facts.range {
                Some(range) => satisfied.push(format!(
                    "The posting shows a pay range of {} {} to {} {}.",
                    range.currency,
                    amount(range.min_minor, &range.currency),
                    amount(range.max_minor, &range.currency),
                    per(range.interval)
                )),
                None => lack(
                    Some("levelIds"),
                    format!(
                        "{name} requires a pay range with a minimum and a maximum; set the job family and levels so the posting's bands give one."
                    ),
                ),
            },
            Requirement::NoOpenEnded => match &facts.range {
                Some(range) if range.min_minor > 0 && range.max_minor >= range.min_minor => {
                    satisfied.push(
                        "The range is not open-ended: it has both a minimum and a maximum."
                            .to_owned(),
                    );
                }
                Some(_) => lack(
                    Some("levelIds"),
                    format!(
                        "{name} does not accept an open-ended range; the bands must give a minimum above zero and a maximum."
                    ),
                ),
                None => {}
            },
            Requirement::Benefits => {
                if filled(&facts.benefits) {
                    satisfied.push("The posting describes the benefits.".to_owned());
                } else {
                    lack(
                        Some("benefits"),
                        format!(
                            "{name} requires a general description of the benefits on the posting; set benefits."
                        ),
                    );
                }
            }
            Requirement::OtherCompensation => {
                if filled(&facts.other_compensation) {
                    satisfied.push(
                        "The posting describes other compensation (bonuses, commissions, equity)."
                            .to_owned(),
                    );
                } else {
                    lack(
                        Some("otherCompensation"),
                        format!(
                            "{name} requires the posting to describe other compensation (bonuses, commissions, equity, or that there is none); set otherCompensation."
                        ),
                    );
                }
            }
            Requirement::ApplicationDeadline => match facts.application_deadline {
                Some(date) => satisfied.push(format!(
                    "The posting gives an application deadline: {date}."
                )),
                None => lack(
                    Some("applicationDeadline"),
                    format!(
                        "{name} requires the application deadline on the posting; set applicationDeadline."
                    ),
                ),
            },
        }
    }
    if let Some(cap) = &rule.spread_cap {
        let limit = format!(
            "{} {}",
            cap.currency,
            amount(cap.max_spread_minor, &cap.currency)
        );
        let ceiling = format!(
            "{} {}",
            cap.currency,
            amount(cap.applies_up_to_minor, &cap.currency)
        );
        // A range in another currency is converted with the latest rate set;
        // without one that converts it, it is not judged, and the verdict says so.
        let converted = facts.range.as_ref().and_then(|range| {
            if range.currency == cap.currency {
                return None;
            }
            let rates = facts.rates.as_ref()?;
            let into = |minor| rates.convert(minor, &range.currency, &cap.currency).ok();
            Some((
                SalaryRange {
                    currency: cap.currency.clone(),
                    interval: range.interval,
                    min_minor: into(range.min_minor)?,
                    max_minor: into(range.max_minor)?,
                },
                format!(
                    " (the posting's {} {} to {} with exchange rate set \"{}\")",
                    range.currency,
                    amount(range.min_minor, &range.currency),
                    amount(range.max_minor, &range.currency),
                    rates.set.name
                ),
            ))
        });
        let (judged, via) = match converted {
            Some((range, via)) => (Some(range), via),
            None => (facts.range.clone(), String::new()),
        };
        match &judged {
            Some(range) if range.currency != cap.currency => notes.push(format!(
                "{name} limits a range topping out at {ceiling} or less to a spread of {limit}; no exchange rate set converts {} to {}, so hiregraph could not check it: check the spread in {} yourself, or add a rate set with both.",
                range.currency, cap.currency, cap.currency
            )),
            Some(range) if range.max_minor > cap.applies_up_to_minor => satisfied.push(format!(
                "The range tops out at {} {}{via}, above {ceiling}, so {name}'s spread limit of {limit} does not apply.",
                range.currency,
                amount(range.max_minor, &range.currency)
            )),
            Some(range) => {
                let spread = range.max_minor - range.min_minor;
                let spread_text =
                    format!("{} {}", range.currency, amount(spread, &range.currency));
                if spread <= cap.max_spread_minor {
                    satisfied.push(format!(
                        "The range spreads {spread_text}{via}, within {name}'s limit of {limit}."
                    ));
                } else {
                    lack(
                        Some("levelIds"),
                        format!(
                            "The range spreads {spread_text}{via}; {name} allows at most {limit} for a range topping out at {ceiling} or less. Narrow the levels."
                        ),
                    );
                }
            }
            None => {}
        }
    }
    Verdict {
        code: rule.code.clone(),
        name: rule.name.clone(),
        rule_version: set.version.clone(),
        range_due: rule.range_due,
        satisfied,
        missing,
        notes,
    }
}

/// Lower-cases and collapses whitespace.
fn normalize(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Whether `prompt` asks for pay history (by the rules' patterns).
pub fn asks_salary_history(set: &RuleSet, prompt: &str) -> bool {
    let prompt = normalize(prompt);
    set.salary_history_patterns
        .iter()
        .any(|pattern| prompt.contains(&normalize(pattern)))
}

/// Where each of `regions` can be filled from, batched.
pub async fn places_of_regions(
    db: &impl ConnectionTrait,
    region_ids: &[i64],
) -> Result<Places, DbErr> {
    let regions = region::Entity::find()
        .filter(region::Column::Id.is_in(region_ids.iter().copied()))
        .all(db)
        .await?;
    let countries = region_country::Entity::find()
        .filter(region_country::Column::RegionId.is_in(region_ids.iter().copied()))
        .all(db)
        .await?;
    Ok(Places {
        everywhere: regions.iter().any(|r| r.everywhere),
        countries: countries.into_iter().map(|c| c.country_code).collect(),
    })
}

/// The facts of each posting in `ids` on `day`; a fixed number of statements.
pub async fn posting_facts(
    db: &impl ConnectionTrait,
    ids: &[i64],
    day: NaiveDate,
) -> Result<HashMap<i64, PostingFacts>, DbErr> {
    let (mut pay, places) = posting_pay_and_places(db, ids, day).await?;
    let PayPlaces {
        postings,
        links,
        regions,
        region_countries: countries,
    } = places;
    let everywhere: HashSet<i64> = regions
        .values()
        .filter(|r| r.everywhere)
        .map(|r| r.id)
        .collect();
    let rates = rates::latest(db, day).await?;
    Ok(postings
        .into_iter()
        .map(|p| {
            let mut places = Places::default();
            for link in links.iter().filter(|l| l.posting_id == p.id) {
                places.everywhere |= everywhere.contains(&link.region_id);
                places.countries.extend(
                    countries
                        .get(&link.region_id)
                        .into_iter()
                        .flatten()
                        .cloned(),
                );
            }
            let facts = PostingFacts {
                places,
                range: pay.remove(&p.id).and_then(|pay| pay.range),
                benefits: p.benefits,
                other_compensation: p.other_compensation,
                application_deadline: p.application_deadline,
                rates: rates.clone(),
            };
            (p.id, facts)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set() -> &'static RuleSet {
        match rules() {
            Ok(set) => set,
            Err(err) => panic!("{err}"),
        }
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn places(countries: &[&str]) -> Places {
        Places {
            everywhere: false,
            countries: countries.iter().map(|c| (*c).to_owned()).collect(),
        }
    }

    fn codes(rules: Vec<&Rule>) -> Vec<&str> {
        rules.iter().map(|r| r.code.as_str()).collect()
    }

    #[test]
    fn the_embedded_rules_parse_and_hold_every_jurisdiction() {
        let set = set();
        assert_eq!(set.version, "2026-11-01");
        let all: Vec<&str> = set.rules.iter().map(|r| r.code.as_str()).collect();
        assert_eq!(
            all,
            [
                "US-CO",
                "US-NY-NYC",
                "US-NY",
                "US-CA",
                "US-WA",
                "US-IL",
                "US-NJ",
                "CA-BC",
                "CA-ON",
                "EU"
            ]
        );
        let min = |code: &str| {
            set.rules
                .iter()
                .find(|r| r.code == code)
                .map(|r| r.min_employees)
        };
        assert_eq!(min("US-CO"), Some(1));
        assert_eq!(min("US-NY-NYC"), Some(4));
        assert_eq!(min("US-NJ"), Some(10));
        assert_eq!(min("CA-ON"), Some(25));
        assert_eq!(min("EU"), Some(0));
        assert!(set.rules.iter().all(|r| r.bans_salary_history_questions));
        assert!(parse(&RULES_JSON.replace("\"US-CO\"]", "\"XX-CO\"]")).is_err());
    }

    #[test]
    fn a_country_brings_in_the_rules_of_its_subdivisions() {
        let set = set();
        let today = day(2026, 11, 29);
        assert_eq!(
            codes(covering(set, &places(&["US"]), 280, today)),
            [
                "US-CO",
                "US-NY-NYC",
                "US-NY",
                "US-CA",
                "US-WA",
                "US-IL",
                "US-NJ"
            ]
        );
        assert_eq!(
            codes(covering(set, &places(&["KE", "NG", "FR"]), 280, today)),
            ["EU"]
        );
        assert!(covering(set, &places(&["KE", "NG"]), 280, today).is_empty());
        let anywhere = Places {
            everywhere: true,
            ..Places::default()
        };
        assert_eq!(covering(set, &anywhere, 280, today).len(), 10);
        // Small employers fall under fewer laws; laws not yet in force cover nobody.
        assert_eq!(
            codes(covering(set, &places(&["US", "CA"]), 12, today)),
            ["US-CO", "US-NY-NYC", "US-NY", "US-NJ", "CA-BC"]
        );
        assert_eq!(
            codes(covering(set, &places(&["CA"]), 280, day(2025, 12, 31))),
            ["CA-BC"]
        );
    }

    #[test]
    fn colorado_wants_benefits_other_compensation_and_a_deadline() {
        let set = set();
        let facts = PostingFacts {
            places: places(&["US"]),
            range: Some(SalaryRange {
                currency: "USD".into(),
                interval: PayInterval::Year,
                min_minor: 5_185_000,
                max_minor: 17_145_000,
            }),
            ..PostingFacts::default()
        };
        let verdicts = assess(set, &facts, 280, day(2026, 11, 29));
        let colorado = &verdicts[0];
        assert_eq!(colorado.code, "US-CO");
        assert!(!colorado.compliant());
        assert_eq!(
            colorado.satisfied[0],
            "The posting shows a pay range of USD 51,850.00 to 171,450.00 a year."
        );
        let fields: Vec<_> = colorado.missing.iter().map(|m| m.field).collect();
        assert_eq!(
            fields,
            [
                Some("benefits"),
                Some("otherCompensation"),
                Some("applicationDeadline")
            ]
        );
        assert_eq!(
            colorado.missing[2].sentence,
            "Colorado requires the application deadline on the posting; set applicationDeadline."
        );
        // New York City asks only for the range.
        assert!(verdicts[1].compliant());
    }

    #[test]
    fn ontario_caps_the_spread_of_a_cad_range() {
        let set = set();
        let ontario = set.rules.iter().find(|r| r.code == "CA-ON");
        let Some(ontario) = ontario else {
            panic!("no Ontario rule")
        };
        let facts = |currency: &str, min: i64, max: i64| PostingFacts {
            places: places(&["CA"]),
            range: Some(SalaryRange {
                currency: currency.into(),
                interval: PayInterval::Year,
                min_minor: min,
                max_minor: max,
            }),
            ..PostingFacts::default()
        };
        assert!(judge(set, ontario, &facts("CAD", 9_000_000, 14_000_000)).compliant());
        let wide = judge(set, ontario, &facts("CAD", 9_000_000, 15_000_000));
        assert_eq!(
            wide.missing[0].sentence,
            "The range spreads CAD 60,000.00; Ontario allows at most CAD 50,000.00 for a range topping out at CAD 200,000.00 or less. Narrow the levels."
        );
        assert!(judge(set, ontario, &facts("CAD", 9_000_000, 25_000_000)).compliant());
        let usd = judge(set, ontario, &facts("USD", 9_000_000, 10_000_000));
        assert!(usd.compliant());
        assert!(usd.notes[0].contains("check the spread in CAD yourself"));

        // With a rate set, a USD range is judged in CAD.
        let rates = RateTable::new(
            entity::exchange_rate_set::Model {
                id: 1,
                name: "Test rates".into(),
                base_currency: "USD".into(),
                effective_on: day(2026, 11, 1),
                source: "test".into(),
                created_by_id: None,
                created_at: chrono::Utc::now(),
            },
            &[entity::exchange_rate::Model {
                id: 1,
                rate_set_id: 1,
                currency: "CAD".into(),
                rate: "1.4".into(),
            }],
        );
        // USD 90,000 to 130,000 is CAD 126,000 to 182,000: spread 56,000.
        let converted = PostingFacts {
            rates: Some(rates),
            ..facts("USD", 9_000_000, 13_000_000)
        };
        let verdict = judge(set, ontario, &converted);
        assert_eq!(
            verdict.missing[0].sentence,
            "The range spreads CAD 56,000.00 (the posting's USD 90,000.00 to 130,000.00 with exchange rate set \"Test rates\"); Ontario allows at most CAD 50,000.00 for a range topping out at CAD 200,000.00 or less. Narrow the levels."
        );
        assert!(verdict.notes.is_empty());
    }

    #[test]
    fn salary_history_is_refused_and_expectations_pass() {
        let set = set();
        assert!(asks_salary_history(set, "What is your CURRENT  salary?"));
        assert!(asks_salary_history(set, "How much do you currently earn?"));
        assert!(asks_salary_history(set, "Tell us your salary history"));
        assert!(!asks_salary_history(
            set,
            "What are your salary expectations?"
        ));
        assert!(!asks_salary_history(set, "Expected salary"));
    }

    #[test]
    fn amounts_are_grouped_by_thousands() {
        assert_eq!(amount(5_185_000, "USD"), "51,850.00");
        assert_eq!(amount(17_145_000, "USD"), "171,450.00");
        assert_eq!(amount(12_345, "JPY"), "12,345");
        assert_eq!(amount(99, "USD"), "0.99");
    }
}
