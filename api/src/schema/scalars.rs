//! The custom scalars of the API. Codes (country, currency, time zone) are
//! accepted as any string and checked by the mutation or query that uses them,
//! so a wrong code becomes a `userError` pointing at the field rather than a
//! rejected request.

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use chrono::{NaiveDate, SecondsFormat, Utc};

/// A point in time: an RFC 3339 string, always returned in UTC (`2026-11-29T16:00:00Z`).
/// Inputs may use any offset; they are converted to UTC.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct DateTime(pub chrono::DateTime<Utc>);

#[Scalar(
    name = "DateTime",
    specified_by_url = "https://datatracker.ietf.org/doc/html/rfc3339"
)]
impl ScalarType for DateTime {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(text) => chrono::DateTime::parse_from_rfc3339(text)
                .map(|t| DateTime(t.with_timezone(&Utc)))
                .map_err(|_| {
                    InputValueError::custom(format!("`{text}` is not an RFC 3339 date-time"))
                }),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.to_rfc3339_opts(SecondsFormat::AutoSi, true))
    }
}

impl From<chrono::DateTime<Utc>> for DateTime {
    fn from(value: chrono::DateTime<Utc>) -> Self {
        DateTime(value)
    }
}

/// A calendar date without a time, `YYYY-MM-DD` (ISO 8601).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date(pub NaiveDate);

#[Scalar(
    name = "Date",
    specified_by_url = "https://datatracker.ietf.org/doc/html/rfc3339#section-5.6"
)]
impl ScalarType for Date {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map(Date)
                .map_err(|_| {
                    InputValueError::custom(format!("`{text}` is not a date (YYYY-MM-DD)"))
                }),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.format("%Y-%m-%d").to_string())
    }
}

macro_rules! code_scalar {
    ($(#[$doc:meta])* $name:ident, $graphql:literal, $url:literal) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub struct $name(pub String);

        #[Scalar(name = $graphql, specified_by_url = $url)]
        impl ScalarType for $name {
            fn parse(value: Value) -> InputValueResult<Self> {
                match value {
                    Value::String(text) => Ok($name(text)),
                    other => Err(InputValueError::expected_type(other)),
                }
            }

            fn to_value(&self) -> Value {
                Value::String(self.0.clone())
            }
        }

        impl $name {
            /// The code as a string.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
    };
}

code_scalar!(
    /// A country as its ISO 3166-1 alpha-2 code, such as `KE` (Kenya) or `BR` (Brazil).
    CountryCode,
    "CountryCode",
    "https://www.iso.org/iso-3166-country-codes.html"
);

code_scalar!(
    /// A currency as its ISO 4217 code, such as `USD` or `EUR`.
    CurrencyCode,
    "CurrencyCode",
    "https://www.iso.org/iso-4217-currency-codes.html"
);

code_scalar!(
    /// A time zone as its IANA name, such as `Africa/Nairobi` or `America/Sao_Paulo`.
    TimeZone,
    "TimeZone",
    "https://www.iana.org/time-zones"
);

/// An exact decimal number written as a string, such as `"51850.00"`. Amounts
/// of money have exactly as many decimals as their currency (JPY 0, USD 2, KWD 3).
/// Inputs may also be whole numbers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decimal(pub String);

#[Scalar(name = "Decimal")]
impl ScalarType for Decimal {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(text) => Ok(Decimal(text.clone())),
            Value::Number(number) if number.is_i64() || number.is_u64() => {
                Ok(Decimal(number.to_string()))
            }
            _ => Err(InputValueError::custom(
                "write decimals as strings, e.g. \"51850.00\", so no precision is lost",
            )),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.clone())
    }
}

/// A length of time, such as how long an application has been at its stage.
#[derive(async_graphql::SimpleObject, Clone, Copy, Debug, PartialEq)]
pub struct Duration {
    /// The whole number of seconds.
    pub seconds: i64,
    /// The same in hours, rounded to two decimals.
    pub hours: f64,
    /// The same in days, rounded to two decimals.
    pub days: f64,
}

impl Duration {
    /// A duration of `seconds` (negative ones count as zero).
    pub fn from_seconds(seconds: i64) -> Duration {
        let seconds = seconds.max(0);
        let round = |x: f64| (x * 100.0).round() / 100.0;
        Duration {
            seconds,
            hours: round(seconds as f64 / 3600.0),
            days: round(seconds as f64 / 86_400.0),
        }
    }
}
