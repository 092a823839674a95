//! Checking mutation input field by field, collecting every problem at once so
//! a form can show them all. Each check returns the cleaned value (trimmed,
//! normalised) or records a [`UserError`] at the field's path.

use crate::domain::countries::is_country;
use crate::domain::money::{self, CurrencyInfo};
use crate::error::{Failure, UserError, UserErrorCode};

/// Collects the user errors of one input.
#[derive(Debug, Default)]
pub struct Check {
    errors: Vec<UserError>,
}

/// An email address as entered and in the normalised form uniqueness uses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email {
    /// Trimmed, as the person typed it.
    pub entered: String,
    /// Trimmed and lower-cased.
    pub normalized: String,
}

impl Check {
    /// No errors yet.
    pub fn new() -> Self {
        Check::default()
    }

    /// Records an error.
    pub fn fail(&mut self, field: &[&str], code: UserErrorCode, message: impl Into<String>) {
        self.errors.push(UserError::new(field, code, message));
    }

    /// True when nothing failed so far.
    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }

    /// `Ok` when every check passed, else all the errors.
    pub fn finish(self) -> Result<(), Failure> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(Failure::Rejected(self.errors))
        }
    }

    /// A required text: trimmed, not empty, at most `max` characters.
    pub fn text(&mut self, field: &[&str], value: &str, max: usize) -> Option<String> {
        let value = value.trim();
        if value.is_empty() {
            self.fail(field, UserErrorCode::Blank, "can't be blank");
            None
        } else if value.chars().count() > max {
            self.fail(
                field,
                UserErrorCode::TooLong,
                format!("must be at most {max} characters"),
            );
            None
        } else {
            Some(value.to_owned())
        }
    }

    /// A required text field of a record being created or changed: the
    /// cleaned value when one is given, `BLANK` when creating without one,
    /// and `None` (leave the field alone) when changing without one.
    pub fn required_text(
        &mut self,
        field: &[&str],
        value: Option<&str>,
        creating: bool,
        max: usize,
    ) -> Option<String> {
        match value {
            Some(value) => self.text(field, value, max),
            None if creating => self.text(field, "", max),
            None => None,
        }
    }

    /// A required email field, like [`Check::required_text`].
    pub fn required_email(
        &mut self,
        field: &[&str],
        value: Option<&str>,
        creating: bool,
    ) -> Option<Email> {
        match value {
            Some(value) => self.email(field, value),
            None if creating => self.email(field, ""),
            None => None,
        }
    }

    /// An optional text: trimmed, empty meaning absent. `Some(value)` when
    /// valid, `None` when not (the error is recorded).
    pub fn optional_text(
        &mut self,
        field: &[&str],
        value: Option<&str>,
        max: usize,
    ) -> Option<Option<String>> {
        match value.map(str::trim).filter(|v| !v.is_empty()) {
            None => Some(None),
            Some(v) => self.text(field, v, max).map(Some),
        }
    }

    /// An email address.
    pub fn email(&mut self, field: &[&str], value: &str) -> Option<Email> {
        let entered = self.text(field, value, 254)?;
        if is_email(&entered) {
            Some(Email {
                normalized: entered.to_lowercase(),
                entered,
            })
        } else {
            self.fail(
                field,
                UserErrorCode::InvalidEmail,
                format!("`{entered}` is not an email address"),
            );
            None
        }
    }

    /// An ISO 3166-1 alpha-2 country code, returned in upper case.
    pub fn country(&mut self, field: &[&str], value: &str) -> Option<String> {
        let code = value.trim().to_ascii_uppercase();
        if is_country(&code) {
            Some(code)
        } else {
            self.fail(
                field,
                UserErrorCode::UnknownCountry,
                format!(
                    "`{}` is not an ISO 3166-1 alpha-2 country code (such as KE or BR)",
                    value.trim()
                ),
            );
            None
        }
    }

    /// An ISO 4217 currency code with minor units.
    pub fn currency(&mut self, field: &[&str], value: &str) -> Option<CurrencyInfo> {
        let found = money::currency(value);
        if found.is_none() {
            self.fail(
                field,
                UserErrorCode::UnknownCurrency,
                format!(
                    "`{}` is not an ISO 4217 currency code (such as USD or EUR)",
                    value.trim()
                ),
            );
        }
        found
    }

    /// An amount of `currency`, in minor units, not negative.
    pub fn amount(&mut self, field: &[&str], value: &str, currency: CurrencyInfo) -> Option<i64> {
        match money::parse_amount(value.trim(), currency.exponent) {
            Ok(minor) if minor >= 0 => Some(minor),
            Ok(_) => {
                self.fail(field, UserErrorCode::OutOfRange, "can't be negative");
                None
            }
            Err(money::AmountError::TooPrecise) => {
                self.fail(
                    field,
                    UserErrorCode::InvalidAmount,
                    format!(
                        "{} amounts have {} decimal places at most",
                        currency.code, currency.exponent
                    ),
                );
                None
            }
            Err(money::AmountError::Malformed) => {
                self.fail(
                    field,
                    UserErrorCode::InvalidAmount,
                    format!("`{value}` is not a decimal number such as 51850.00"),
                );
                None
            }
            Err(money::AmountError::TooLarge) => {
                self.fail(field, UserErrorCode::OutOfRange, "is too large");
                None
            }
        }
    }

    /// An IANA time zone name such as `Africa/Nairobi`.
    pub fn time_zone(&mut self, field: &[&str], value: &str) -> Option<String> {
        let name = value.trim();
        match name.parse::<chrono_tz::Tz>() {
            Ok(zone) => Some(zone.name().to_owned()),
            Err(_) => {
                self.fail(
                    field,
                    UserErrorCode::UnknownTimeZone,
                    format!("`{name}` is not an IANA time zone name (such as Africa/Nairobi)"),
                );
                None
            }
        }
    }

    /// An absolute http(s) URL.
    pub fn url(&mut self, field: &[&str], value: &str) -> Option<String> {
        let url = self.text(field, value, 2000)?;
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"));
        match rest {
            Some(rest)
                if !rest.is_empty()
                    && !rest.starts_with('/')
                    && !url.contains(char::is_whitespace) =>
            {
                Some(url)
            }
            _ => {
                self.fail(
                    field,
                    UserErrorCode::Invalid,
                    format!("`{url}` is not an http(s) URL"),
                );
                None
            }
        }
    }

    /// An integer within `min..=max`.
    pub fn within(&mut self, field: &[&str], value: i32, min: i32, max: i32) -> Option<i32> {
        if (min..=max).contains(&value) {
            Some(value)
        } else {
            self.fail(
                field,
                UserErrorCode::OutOfRange,
                format!("must be between {min} and {max}"),
            );
            None
        }
    }

    /// A slug: lower-case letters, digits and single dashes.
    pub fn slug(&mut self, field: &[&str], value: &str) -> Option<String> {
        let slug = self.text(field, value, 200)?;
        if is_slug(&slug) {
            Some(slug)
        } else {
            self.fail(
                field,
                UserErrorCode::Invalid,
                "use lower-case letters, digits and single dashes, e.g. senior-backend-engineer",
            );
            None
        }
    }
}

/// A practical check of an email address: one `@`, a local part, a domain
/// with a dot and valid labels, no spaces.
fn is_email(value: &str) -> bool {
    let Some((local, domain)) = value.rsplit_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.contains('@')
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        });
    local_ok && domain_ok
}

/// Whether `value` is a slug.
pub fn is_slug(value: &str) -> bool {
    !value.is_empty()
        && value.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// A slug made from a title: "Senior Backend Engineer (Elixir)" becomes
/// `senior-backend-engineer-elixir`.
pub fn slugify(title: &str) -> String {
    let mut slug = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    let slug: String = slug.chars().take(180).collect();
    if slug.is_empty() {
        "posting".to_owned()
    } else {
        slug.trim_end_matches('-').to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_addresses_are_recognised() {
        for ok in [
            "ada@example.com",
            "a.b+tag@mail.example.co.ke",
            "O'Brien@example.ie",
        ] {
            assert!(is_email(ok), "{ok}");
        }
        for bad in [
            "",
            "ada",
            "ada@",
            "@example.com",
            "ada@example",
            "ada@@example.com",
            "a da@example.com",
            "ada@-x.com",
            ".ada@example.com",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
    }

    #[test]
    fn emails_are_normalised_to_lower_case_and_trimmed() {
        let mut check = Check::new();
        let email = check.email(&["email"], "  Ada.Lovelace@Example.COM ");
        assert_eq!(
            email,
            Some(Email {
                entered: "Ada.Lovelace@Example.COM".into(),
                normalized: "ada.lovelace@example.com".into()
            })
        );
    }

    #[test]
    fn country_codes_must_be_iso_3166_alpha_2() {
        let mut check = Check::new();
        assert_eq!(check.country(&["c"], "ke"), Some("KE".into()));
        assert_eq!(check.country(&["c"], "XX"), None);
        assert_eq!(check.country(&["c"], "KEN"), None);
        assert!(!check.is_ok());
    }

    #[test]
    fn time_zones_must_be_iana_names() {
        let mut check = Check::new();
        assert_eq!(
            check.time_zone(&["tz"], "Africa/Lagos"),
            Some("Africa/Lagos".into())
        );
        assert_eq!(check.time_zone(&["tz"], "Mars/Olympus"), None);
    }

    #[test]
    fn slugs_are_made_from_titles() {
        assert_eq!(
            slugify("Senior Backend Engineer (Elixir)"),
            "senior-backend-engineer-elixir"
        );
        assert_eq!(slugify("  ¡¿?  "), "posting");
        assert!(is_slug("senior-backend-engineer"));
        assert!(!is_slug("Senior"));
        assert!(!is_slug("a--b"));
        assert!(!is_slug("-a"));
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let mut check = Check::new();
        check.text(&["title"], "   ", 10);
        check.text(&["name"], "a very long name", 5);
        check.url(&["links", "0"], "ftp://example.com");
        match check.finish() {
            Err(Failure::Rejected(errors)) => {
                let codes: Vec<_> = errors.iter().map(|e| e.code).collect();
                assert_eq!(
                    codes,
                    vec![
                        UserErrorCode::Blank,
                        UserErrorCode::TooLong,
                        UserErrorCode::Invalid
                    ]
                );
                assert_eq!(errors[2].field, vec!["links".to_owned(), "0".to_owned()]);
            }
            other => panic!("expected rejection, got {other:?}"),
        }
    }
}
