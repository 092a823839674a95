//! Money as integer minor units: parsing and formatting exact decimal strings
//! with the ISO 4217 exponent of the currency (JPY 0, USD 2, KWD 3).

use iso_currency::Currency;

/// A known currency and the number of decimals its amounts have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CurrencyInfo {
    /// The ISO 4217 alphabetic code.
    pub code: &'static str,
    /// Digits after the decimal point.
    pub exponent: u32,
}

/// Looks up an ISO 4217 code (case-insensitive); `None` for unknown codes and
/// for "currencies" without minor units (gold, SDR, testing codes).
pub fn currency(code: &str) -> Option<CurrencyInfo> {
    let currency = Currency::from_code(&code.trim().to_ascii_uppercase())?;
    let exponent = currency.exponent()?;
    Some(CurrencyInfo {
        code: currency.code(),
        exponent: u32::from(exponent),
    })
}

/// Why an amount could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AmountError {
    /// Not a plain decimal number.
    Malformed,
    /// More decimals than the currency has.
    TooPrecise,
    /// Too large to store.
    TooLarge,
}

/// Parses a decimal string such as `51850` or `51850.50` into minor units of a
/// currency with `exponent` decimals. No exponents, separators or spaces.
pub fn parse_amount(text: &str, exponent: u32) -> Result<i64, AmountError> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, fraction) = match digits.split_once('.') {
        Some((whole, fraction)) => (whole, fraction),
        None => (digits, ""),
    };
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty()
        || !all_digits(whole)
        || !all_digits(fraction)
        || (digits.contains('.') && fraction.is_empty())
    {
        return Err(AmountError::Malformed);
    }
    let significant = fraction.trim_end_matches('0');
    if significant.len() > exponent as usize {
        return Err(AmountError::TooPrecise);
    }
    let scale = 10_i64.checked_pow(exponent).ok_or(AmountError::TooLarge)?;
    let whole: i64 = whole.parse().map_err(|_| AmountError::TooLarge)?;
    let mut fraction_minor: i64 = 0;
    for (i, digit) in significant.bytes().enumerate() {
        let place = 10_i64.pow(exponent - 1 - i as u32);
        fraction_minor += i64::from(digit - b'0') * place;
    }
    let minor = whole
        .checked_mul(scale)
        .and_then(|w| w.checked_add(fraction_minor))
        .ok_or(AmountError::TooLarge)?;
    Ok(if negative { -minor } else { minor })
}

/// Formats minor units as an exact decimal string with exactly `exponent` decimals.
pub fn format_amount(minor: i64, exponent: u32) -> String {
    if exponent == 0 {
        return minor.to_string();
    }
    let sign = if minor < 0 { "-" } else { "" };
    let magnitude = minor.unsigned_abs();
    let scale = 10_u64.pow(exponent);
    format!(
        "{sign}{}.{:0width$}",
        magnitude / scale,
        magnitude % scale,
        width = exponent as usize
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn currencies_have_their_iso_4217_exponent() {
        assert_eq!(currency("USD").map(|c| c.exponent), Some(2));
        assert_eq!(currency("jpy").map(|c| c.exponent), Some(0));
        assert_eq!(currency("KWD").map(|c| c.exponent), Some(3));
        assert_eq!(currency("XXX"), None);
        assert_eq!(currency("US"), None);
    }

    #[test]
    fn amounts_parse_into_minor_units() {
        assert_eq!(parse_amount("51850", 2), Ok(5_185_000));
        assert_eq!(parse_amount("51850.5", 2), Ok(5_185_050));
        assert_eq!(parse_amount("171450.00", 2), Ok(17_145_000));
        assert_eq!(parse_amount("1000", 0), Ok(1000));
        assert_eq!(parse_amount("1.250", 3), Ok(1250));
        assert_eq!(parse_amount("-3.10", 2), Ok(-310));
    }

    #[test]
    fn an_amount_with_more_decimals_than_its_currency_is_rejected() {
        assert_eq!(parse_amount("51850.505", 2), Err(AmountError::TooPrecise));
        assert_eq!(parse_amount("100.5", 0), Err(AmountError::TooPrecise));
        // Trailing zeros carry no precision.
        assert_eq!(parse_amount("100.000", 0), Ok(100));
    }

    #[test]
    fn malformed_amounts_are_rejected() {
        for text in [
            "", "abc", "1e5", "1,000", " 10", "10.", ".5", "1.2.3", "--1", "+1",
        ] {
            assert_eq!(
                parse_amount(text, 2),
                Err(AmountError::Malformed),
                "{text:?}"
            );
        }
        assert_eq!(
            parse_amount("99999999999999999999", 2),
            Err(AmountError::TooLarge)
        );
    }

    #[test]
    fn amounts_format_exactly_for_their_currency() {
        assert_eq!(format_amount(5_185_000, 2), "51850.00");
        assert_eq!(format_amount(5, 2), "0.05");
        assert_eq!(format_amount(-310, 2), "-3.10");
        assert_eq!(format_amount(1000, 0), "1000");
        assert_eq!(format_amount(1250, 3), "1.250");
    }
}
