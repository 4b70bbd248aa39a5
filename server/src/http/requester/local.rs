//! Times on the requester's pages in their country's time, not UTC.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, Utc};
use shelter_shared::local_time::{offset_label, utc_offset_minutes};

/// The clock face of one country (UTC where the country is not in the table).
#[derive(Debug, Clone, Copy)]
pub struct LocalClock {
    offset: Option<FixedOffset>,
    minutes: i32,
}

impl LocalClock {
    /// The clock of `country` (ISO 3166 alpha-2).
    pub fn for_country(country: &str) -> Self {
        let minutes = utc_offset_minutes(country).unwrap_or(0);
        LocalClock { offset: FixedOffset::east_opt(minutes * 60).filter(|_| minutes != 0), minutes }
    }

    /// `2026-11-30 21:05` in local time.
    pub fn time(self, at: DateTime<Utc>) -> String {
        match self.offset {
            Some(offset) => at.with_timezone(&offset).format("%Y-%m-%d %H:%M").to_string(),
            None => at.format("%Y-%m-%d %H:%M UTC").to_string(),
        }
    }

    /// `2026-11-30`, the local day.
    pub fn date(self, at: DateTime<Utc>) -> String {
        match self.offset {
            Some(offset) => at.with_timezone(&offset).format("%Y-%m-%d").to_string(),
            None => at.format("%Y-%m-%d").to_string(),
        }
    }

    /// The local day of `at` (the UTC day where the country is not in the table).
    pub fn day(self, at: DateTime<Utc>) -> NaiveDate {
        self.offset.map_or(at.date_naive(), |offset| at.with_timezone(&offset).date_naive())
    }

    /// `at` on the country's clock, or `None` when times are in UTC.
    pub fn local(self, at: DateTime<Utc>) -> Option<NaiveDateTime> {
        self.offset.map(|offset| at.with_timezone(&offset).naive_local())
    }

    /// `+6:30`, or `None` when times are in UTC (each language names UTC in its own words).
    pub fn offset(self) -> Option<String> {
        self.label().map(|label| label.trim_start_matches("UTC").to_owned())
    }

    /// `UTC+6:30`, or `None` when times are in UTC.
    pub fn label(self) -> Option<String> {
        self.offset.map(|_| offset_label(self.minutes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_yangon_evening_is_the_next_day_in_utc_terms() {
        let at: DateTime<Utc> = "2026-11-30T18:00:00Z".parse().unwrap_or_default();
        let yangon = LocalClock::for_country("MM");
        assert_eq!(yangon.time(at), "2026-12-01 00:30");
        assert_eq!(yangon.date(at), "2026-12-01");
        assert_eq!(yangon.label().as_deref(), Some("UTC+6:30"));
        let elsewhere = LocalClock::for_country("FR");
        assert_eq!(elsewhere.time(at), "2026-11-30 18:00 UTC");
        assert_eq!(elsewhere.label(), None);
    }
}
