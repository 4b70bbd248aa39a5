//! Grant vocabulary shared by playbooks and the grants workflow.

use serde::{Deserialize, Serialize};
use std::fmt;

/// What a grant pays for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum GrantCategory {
    /// Lawyers' fees.
    LegalFees,
    /// Bail.
    Bail,
    /// Moving to safety.
    Relocation,
    /// Medical care.
    Medical,
    /// Locks, cameras, guards.
    SecurityMeasures,
    /// Living costs while unable to work.
    Subsistence,
    /// Devices and digital protection.
    DigitalSecurity,
    /// Anything else.
    Other,
}

/// The currencies Shelter handles, with their ISO 4217 minor units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Currency {
    /// US dollar.
    USD,
    /// Euro.
    EUR,
    /// Thai baht.
    THB,
    /// Myanmar kyat.
    MMK,
    /// Cambodian riel.
    KHR,
    /// Lao kip.
    LAK,
    /// Vietnamese dong.
    VND,
    /// Chinese yuan.
    CNY,
}

impl Currency {
    /// Digits after the decimal point, as ISO 4217 defines them (VND has none; MMK, KHR
    /// and LAK officially two, though cash is counted without).
    pub fn minor_digits(self) -> u32 {
        match self {
            Currency::VND => 0,
            _ => 2,
        }
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

/// An amount of money: whole minor units of one currency. Never a float.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Money {
    /// Minor units (cents; whole dong for VND).
    pub minor: i64,
    /// The currency.
    pub currency: Currency,
}

/// Why a typed amount is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    /// Not a number in the expected form.
    #[error("{0:?} is not an amount: write digits, optionally grouped with commas, and a decimal point")]
    Malformed(String),
    /// More decimals than the currency has.
    #[error("{currency} has {digits} decimal places; {text:?} has more")]
    TooPrecise {
        /// The text.
        text: String,
        /// The currency.
        currency: Currency,
        /// Its minor digits.
        digits: u32,
    },
    /// Negative or zero where a positive amount is needed, or too large to hold.
    #[error("the amount must be more than zero and less than 10^15 minor units")]
    OutOfRange,
}

impl Money {
    /// Parses what a person typed for `currency`: `1,234.56`, `1234.5`, `1234`. The number
    /// of decimals may not exceed the currency's (ISO 4217: none for VND, two for the rest).
    pub fn parse(text: &str, currency: Currency) -> Result<Money, MoneyError> {
        let trimmed = text.trim();
        let malformed = || MoneyError::Malformed(text.to_owned());
        let (whole, fraction) = match trimmed.split_once('.') {
            Some((whole, fraction)) => (whole, fraction),
            None => (trimmed, ""),
        };
        let groups_ok = !whole.contains(',') || {
            let mut parts = whole.split(',');
            let first = parts.next().unwrap_or_default();
            !first.is_empty() && first.len() <= 3 && parts.all(|p| p.len() == 3)
        };
        let digits: String = whole.chars().filter(|c| *c != ',').collect();
        if digits.is_empty()
            || !groups_ok
            || !digits.bytes().all(|b| b.is_ascii_digit())
            || !fraction.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(malformed());
        }
        let scale = currency.minor_digits();
        if fraction.len() > scale as usize {
            return Err(MoneyError::TooPrecise { text: text.to_owned(), currency, digits: scale });
        }
        let whole: i64 = digits.parse().map_err(|_| MoneyError::OutOfRange)?;
        let padded = format!("{fraction:0<width$}", width = scale as usize);
        let fraction: i64 = if padded.is_empty() { 0 } else { padded.parse().map_err(|_| malformed())? };
        let minor =
            whole.checked_mul(10i64.pow(scale)).and_then(|w| w.checked_add(fraction)).ok_or(MoneyError::OutOfRange)?;
        if minor <= 0 || minor >= 1_000_000_000_000_000 {
            return Err(MoneyError::OutOfRange);
        }
        Ok(Money { minor, currency })
    }

    /// The sum of two amounts of the same currency; `None` if the currencies differ or it overflows.
    pub fn checked_add(self, other: Money) -> Option<Money> {
        (self.currency == other.currency)
            .then(|| self.minor.checked_add(other.minor))
            .flatten()
            .map(|minor| Money { minor, currency: self.currency })
    }
}

impl fmt::Display for Money {
    /// `1,234.56 USD`; `1,500,000 VND`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scale = self.currency.minor_digits();
        let divisor = 10i64.pow(scale);
        let (whole, fraction) =
            (self.minor.unsigned_abs() / divisor as u64, self.minor.unsigned_abs() % divisor as u64);
        let digits = whole.to_string();
        let mut grouped = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(c);
        }
        let sign = if self.minor < 0 { "-" } else { "" };
        if scale == 0 {
            write!(f, "{sign}{grouped} {}", self.currency)
        } else {
            write!(f, "{sign}{grouped}.{fraction:0width$} {}", self.currency, width = scale as usize)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_parse_per_iso_4217() {
        assert_eq!(Money::parse("1,234.56", Currency::USD).map(|m| m.minor), Ok(123_456));
        assert_eq!(Money::parse("1234.5", Currency::EUR).map(|m| m.minor), Ok(123_450));
        assert_eq!(Money::parse("2000", Currency::THB).map(|m| m.minor), Ok(200_000));
        assert_eq!(Money::parse("1,500,000", Currency::VND).map(|m| m.minor), Ok(1_500_000));
        assert!(matches!(Money::parse("10.5", Currency::VND), Err(MoneyError::TooPrecise { .. })));
        assert!(matches!(Money::parse("1.234", Currency::USD), Err(MoneyError::TooPrecise { .. })));
        // Kyat, riel and kip have two decimals officially, though cash is counted without.
        assert_eq!(Money::parse("50000", Currency::MMK).map(|m| m.minor), Ok(5_000_000));
        assert_eq!(Money::parse("10.25", Currency::KHR).map(|m| m.minor), Ok(1025));
        for bad in ["", "abc", "1,23.00", "12,3456", "-5", "1e3", "1.2.3", "0", "0.00"] {
            assert!(Money::parse(bad, Currency::USD).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn amounts_display_per_currency() {
        assert_eq!(Money { minor: 123_456, currency: Currency::USD }.to_string(), "1,234.56 USD");
        assert_eq!(Money { minor: 5, currency: Currency::EUR }.to_string(), "0.05 EUR");
        assert_eq!(Money { minor: 1_500_000, currency: Currency::VND }.to_string(), "1,500,000 VND");
        for text in ["1,234.56", "0.01", "999,999.99"] {
            let money = Money::parse(text, Currency::THB).unwrap_or(Money { minor: 0, currency: Currency::THB });
            assert_eq!(money.to_string(), format!("{text} THB"), "round trip");
        }
    }

    #[test]
    fn a_thousand_entries_add_up_exactly() {
        let cent = Money::parse("0.01", Currency::USD).unwrap_or(Money { minor: 0, currency: Currency::USD });
        let third = Money::parse("33.33", Currency::USD).unwrap_or(Money { minor: 0, currency: Currency::USD });
        let mut total = Money { minor: 0, currency: Currency::USD };
        for _ in 0..1000 {
            total = total.checked_add(cent).and_then(|t| t.checked_add(third)).unwrap_or(total);
        }
        assert_eq!(total.minor, 1000 * 3334);
        assert_eq!(total.to_string(), "33,340.00 USD");
        assert_eq!(cent.checked_add(Money { minor: 1, currency: Currency::VND }), None, "no mixing currencies");
    }
}
