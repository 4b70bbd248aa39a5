//! Money: integer minor units of an ISO 4217 currency, exchange rates as exact decimals.
//! No floating point anywhere.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

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

impl Currency {
    /// Every currency, in the order forms list them.
    pub const ALL: &'static [Currency] = &[
        Currency::USD,
        Currency::EUR,
        Currency::THB,
        Currency::MMK,
        Currency::KHR,
        Currency::LAK,
        Currency::VND,
        Currency::CNY,
    ];
}

impl FromStr for Currency {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        Currency::ALL
            .iter()
            .copied()
            .find(|c| c.to_string() == text)
            .ok_or_else(|| format!("unknown currency {text:?}: use one of USD, EUR, THB, MMK, KHR, LAK, VND, CNY"))
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

    /// The amount as a plain decimal without grouping or currency: `1234.56`, `1500000`.
    pub fn decimal(&self) -> String {
        let scale = self.currency.minor_digits();
        let divisor = 10i64.pow(scale);
        let sign = if self.minor < 0 { "-" } else { "" };
        let (whole, fraction) =
            (self.minor.unsigned_abs() / divisor as u64, self.minor.unsigned_abs() % divisor as u64);
        if scale == 0 {
            format!("{sign}{whole}")
        } else {
            format!("{sign}{whole}.{fraction:0width$}", width = scale as usize)
        }
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

/// An exchange rate: one major unit of one currency is worth `rate` major units of
/// another, an exact decimal with up to nine places (`"25400.5"`, `"0.0000393"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rate {
    /// The rate times 10^9.
    nanos: i64,
}

/// Decimal places a rate may have.
const RATE_DIGITS: u32 = 9;

/// Why a rate is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{0:?} is not an exchange rate: write a positive decimal number with at most nine decimal places, such as 25400.5"
)]
pub struct RateError(pub String);

impl FromStr for Rate {
    type Err = RateError;
    fn from_str(text: &str) -> Result<Self, RateError> {
        let refused = || RateError(text.to_owned());
        let trimmed = text.trim();
        let (whole, fraction) = trimmed.split_once('.').unwrap_or((trimmed, ""));
        if whole.is_empty()
            || whole.len() > 9
            || fraction.len() > RATE_DIGITS as usize
            || !whole.bytes().chain(fraction.bytes()).all(|b| b.is_ascii_digit())
        {
            return Err(refused());
        }
        let padded = format!("{fraction:0<width$}", width = RATE_DIGITS as usize);
        let nanos = whole
            .parse::<i64>()
            .ok()
            .and_then(|w| w.checked_mul(10i64.pow(RATE_DIGITS)))
            .and_then(|w| padded.parse::<i64>().ok().and_then(|f| w.checked_add(f)))
            .filter(|n| *n > 0)
            .ok_or_else(refused)?;
        Ok(Rate { nanos })
    }
}

impl fmt::Display for Rate {
    /// The shortest exact form: `25400.5`, `1`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scale = 10i64.pow(RATE_DIGITS);
        let (whole, fraction) = (self.nanos / scale, self.nanos % scale);
        if fraction == 0 {
            return write!(f, "{whole}");
        }
        let digits = format!("{fraction:0width$}", width = RATE_DIGITS as usize);
        write!(f, "{whole}.{}", digits.trim_end_matches('0'))
    }
}

impl Rate {
    /// The rate with its whole part in groups of three, for people to read: `2,100`,
    /// `25,400.5`, `0.0000393`.
    pub fn grouped(&self) -> String {
        let plain = self.to_string();
        let (whole, fraction) = plain.split_once('.').map_or((plain.as_str(), None), |(w, f)| (w, Some(f)));
        let mut grouped = String::new();
        for (i, c) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(c);
        }
        match fraction {
            Some(fraction) => format!("{grouped}.{fraction}"),
            None => grouped,
        }
    }

    /// One to one.
    pub const ONE: Rate = Rate { nanos: 1_000_000_000 };

    /// `amount` converted into `to` at this rate, rounded half up to `to`'s minor unit;
    /// `None` if it overflows or rounds to nothing.
    pub fn convert(self, amount: Money, to: Currency) -> Option<Money> {
        let numerator =
            i128::from(amount.minor).checked_mul(i128::from(self.nanos))?.checked_mul(10i128.pow(to.minor_digits()))?;
        let denominator = 10i128.pow(amount.currency.minor_digits()) * 10i128.pow(RATE_DIGITS);
        let minor = (numerator + denominator / 2) / denominator;
        i64::try_from(minor).ok().filter(|m| *m > 0).map(|minor| Money { minor, currency: to })
    }
}

impl Rate {
    /// The opposite of [`Rate::convert`]: `amount`, in the currency this rate converts
    /// into, brought back into `to`, rounded up, so that comparing it with a limit (a tier,
    /// a cap) never lets an amount slip under by rounding.
    pub fn convert_back(self, amount: Money, to: Currency) -> Option<Money> {
        let numerator = i128::from(amount.minor)
            .checked_mul(10i128.pow(to.minor_digits()))?
            .checked_mul(10i128.pow(RATE_DIGITS))?;
        let denominator = i128::from(self.nanos) * 10i128.pow(amount.currency.minor_digits());
        let minor = (numerator + denominator - 1) / denominator;
        i64::try_from(minor).ok().filter(|m| *m > 0).map(|minor| Money { minor, currency: to })
    }
}

impl Serialize for Rate {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Rate {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
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
        assert_eq!(Money { minor: 123_456, currency: Currency::USD }.decimal(), "1234.56");
        assert_eq!(Money { minor: 1_500_000, currency: Currency::VND }.decimal(), "1500000");
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

    #[test]
    fn rates_read_with_thousands_grouped() {
        let grouped = |text: &str| text.parse::<Rate>().map(|r| r.grouped()).unwrap_or_default();
        assert_eq!(grouped("2100"), "2,100");
        assert_eq!(grouped("25400.5"), "25,400.5");
        assert_eq!(grouped("1"), "1");
        assert_eq!(grouped("0.0000393"), "0.0000393");
        assert_eq!(grouped("123456789.25"), "123,456,789.25");
    }

    #[test]
    fn rates_are_exact_decimals() {
        for (text, shown) in [("25400.5", "25400.5"), ("1", "1"), ("0.0000393", "0.0000393"), ("36.500", "36.5")] {
            assert_eq!(text.parse::<Rate>().map(|r| r.to_string()), Ok(shown.to_owned()), "{text}");
        }
        for bad in ["", "0", "-1", "1e3", "1.0000000001", "abc", "1,000", "."] {
            assert!(bad.parse::<Rate>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn conversion_rounds_half_up_to_the_target_minor_unit() {
        let usd = |minor| Money { minor, currency: Currency::USD };
        let rate = |text: &str| text.parse::<Rate>().unwrap_or(Rate::ONE);
        // 100.00 USD at 25,400.5 VND = 2,540,050 VND (no minor unit).
        assert_eq!(rate("25400.5").convert(usd(10_000), Currency::VND).map(|m| m.minor), Some(2_540_050));
        // 1,000,000 VND at 0.0000393 USD = 39.30 USD.
        let vnd = Money { minor: 1_000_000, currency: Currency::VND };
        assert_eq!(rate("0.0000393").convert(vnd, Currency::USD).map(|m| m.minor), Some(3930));
        // 0.05 EUR at 1.085 = 0.05425 USD, rounded half up to 0.05; 0.15 EUR = 0.16275 → 0.16.
        let eur = |minor| Money { minor, currency: Currency::EUR };
        assert_eq!(rate("1.085").convert(eur(5), Currency::USD).map(|m| m.minor), Some(5));
        assert_eq!(rate("1.085").convert(eur(15), Currency::USD).map(|m| m.minor), Some(16));
        assert_eq!(Rate::ONE.convert(usd(123_456), Currency::USD), Some(usd(123_456)));
        assert_eq!(rate("0.000000001").convert(usd(1), Currency::USD), None, "rounds to nothing");
        // Back: 2,540,050 VND at 25,400.5 per dollar is 100.00 USD again.
        let back = Money { minor: 2_540_050, currency: Currency::VND };
        assert_eq!(rate("25400.5").convert_back(back, Currency::USD), Some(usd(10_000)));
        // 70,000.01 baht at 35 is US$2,000.000286: rounded up to 2,000.01, above a 2,000 limit.
        let baht = Money { minor: 7_000_001, currency: Currency::THB };
        assert_eq!(rate("35").convert_back(baht, Currency::USD), Some(usd(200_001)));
    }

    #[test]
    fn currencies_parse_by_code() {
        for currency in Currency::ALL {
            assert_eq!(currency.to_string().parse::<Currency>(), Ok(*currency));
        }
        assert!("usd".parse::<Currency>().is_err());
    }
}
