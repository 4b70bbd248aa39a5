//! Who reads a staff or partner page: their language and their time zone. Handlers build a
//! [`Reader`] from the session; pages take words and times from it, never from English
//! literals or UTC.

use chrono::{DateTime, Duration, Utc};
use shelter_shared::language::Language;
use shelter_shared::local_time::offset_label;

use crate::dates::{date_time_local, long_date};
use crate::i18n::Translator;

/// The reader of a staff or partner page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reader {
    /// The language the pages are written in.
    pub language: Language,
    /// Minutes east of UTC of the reader's clock.
    pub utc_offset_minutes: i32,
}

impl Default for Reader {
    /// English and UTC: pages shown before anyone signs in.
    fn default() -> Self {
        Reader { language: Language::English, utc_offset_minutes: 0 }
    }
}

impl Reader {
    /// A reader of `language` whose clock is `utc_offset_minutes` east of UTC.
    pub fn new(language: Language, utc_offset_minutes: i32) -> Self {
        Reader { language, utc_offset_minutes }
    }

    /// The translator for the reader's language.
    pub fn tr(self) -> Translator {
        Translator::new(self.language)
    }

    /// The message `id`.
    pub fn t(self, id: &str) -> String {
        self.tr().t(id)
    }

    /// The message `id` with one text filled in.
    pub fn t_text(self, id: &str, name: &str, value: &str) -> String {
        self.tr().t_text(id, name, value)
    }

    /// The message `id` with several texts filled in.
    pub fn t_texts(self, id: &str, values: &[(&str, &str)]) -> String {
        self.tr().t_texts(id, values)
    }

    /// The message `id` with a number filled in (plural rules apply).
    pub fn t_num(self, id: &str, name: &str, value: usize) -> String {
        self.tr().t_num(id, name, value)
    }

    /// The zone's label: "UTC+7", "UTC+6:30", "UTC".
    pub fn zone(self) -> String {
        offset_label(self.utc_offset_minutes)
    }

    /// A moment on the reader's clock, compact for tables: "2026-12-01 14:05 UTC+7".
    pub fn time(self, at: DateTime<Utc>) -> String {
        let local = at + Duration::minutes(i64::from(self.utc_offset_minutes));
        format!("{} {}", local.format("%Y-%m-%d %H:%M"), self.zone())
    }

    /// A moment on the reader's clock in words: "1 December 2026, 14:05 (UTC+7)".
    pub fn long_time(self, at: DateTime<Utc>) -> String {
        let local = at + Duration::minutes(i64::from(self.utc_offset_minutes));
        format!("{} ({})", date_time_local(self.language, local.naive_utc()), self.zone())
    }

    /// A day on the reader's clock in words: "1 December 2026".
    pub fn date(self, at: DateTime<Utc>) -> String {
        let local = at + Duration::minutes(i64::from(self.utc_offset_minutes));
        long_date(self.language, local.date_naive())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn times_are_on_the_readers_clock_and_say_so() {
        let at = Utc.with_ymd_and_hms(2026, 11, 30, 20, 5, 0).unwrap();
        assert_eq!(Reader::default().time(at), "2026-11-30 20:05 UTC");
        let yangon = Reader::new(Language::English, 390);
        assert_eq!(yangon.time(at), "2026-12-01 02:35 UTC+6:30");
        assert_eq!(yangon.long_time(at), "1 December 2026, 02:35 (UTC+6:30)");
        assert_eq!(Reader::new(Language::Thai, 420).date(at), "1 ธันวาคม 2569");
    }
}
