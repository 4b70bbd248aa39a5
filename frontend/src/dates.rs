//! Dates and times the way each language writes them, without ICU: the month names and
//! patterns below follow CLDR's long date format (Burmese in its formal written form),
//! Thai counts years in the Buddhist era, and Burmese writes its own digits.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Timelike, Utc};
use shelter_shared::language::Language;

use crate::i18n::Translator;

const EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const MY: [&str; 12] =
    ["ဇန်နဝါရီ", "ဖေဖော်ဝါရီ", "မတ်", "ဧပြီ", "မေ", "ဇွန်", "ဇူလိုင်", "ဩဂုတ်", "စက်တင်ဘာ", "အောက်တိုဘာ", "နိုဝင်ဘာ", "ဒီဇင်ဘာ"];
const TH: [&str; 12] = [
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
];
const KM: [&str; 12] = ["មករា", "កុម្ភៈ", "មីនា", "មេសា", "ឧសភា", "មិថុនា", "កក្កដា", "សីហា", "កញ្ញា", "តុលា", "វិច្ឆិកា", "ធ្នូ"];
const LO: [&str; 12] =
    ["ມັງກອນ", "ກຸມພາ", "ມີນາ", "ເມສາ", "ພຶດສະພາ", "ມິຖຸນາ", "ກໍລະກົດ", "ສິງຫາ", "ກັນຍາ", "ຕຸລາ", "ພະຈິກ", "ທັນວາ"];

/// The Buddhist era starts 543 years before the common era.
const BUDDHIST_ERA_OFFSET: i32 = 543;

/// `date` written out in `language`, e.g. "1 July 2025", "1 กรกฎาคม 2568", "2025年7月1日".
pub fn long_date(language: Language, date: NaiveDate) -> String {
    let (day, month, year) = (date.day(), date.month0() as usize, date.year());
    match language {
        Language::English => format!("{day} {} {year}", EN[month]),
        Language::Burmese => burmese_digits(&format!("{year} ခုနှစ် {}လ {day} ရက်", MY[month])),
        Language::Thai => format!("{day} {} {}", TH[month], year + BUDDHIST_ERA_OFFSET),
        Language::Khmer => format!("{day} {} {year}", KM[month]),
        Language::Lao => format!("{day} {} {year}", LO[month]),
        Language::Vietnamese => format!("{day} tháng {}, {year}", month + 1),
        Language::ChineseSimplified => format!("{year}年{}月{day}日", month + 1),
    }
}

/// The month of `date` written out in `language`, e.g. "July 2025", "กรกฎาคม 2568", "2025年7月".
pub fn month_year(language: Language, date: NaiveDate) -> String {
    let (month, year) = (date.month0() as usize, date.year());
    match language {
        Language::English => format!("{} {year}", EN[month]),
        Language::Burmese => burmese_digits(&format!("{year} ခုနှစ် {}လ", MY[month])),
        Language::Thai => format!("{} {}", TH[month], year + BUDDHIST_ERA_OFFSET),
        Language::Khmer => format!("{} {year}", KM[month]),
        Language::Lao => format!("{} {year}", LO[month]),
        Language::Vietnamese => format!("tháng {} năm {year}", month + 1),
        Language::ChineseSimplified => format!("{year}年{}月", month + 1),
    }
}

/// A moment as the date and the 24-hour time in UTC, labelled in the page's language.
pub fn date_time_utc(t: Translator, at: DateTime<Utc>) -> String {
    let time = format!("{:02}:{:02}", at.hour(), at.minute());
    let time = if t.language == Language::Burmese { burmese_digits(&time) } else { time };
    t.t_texts("date-time-utc", &[("date", &long_date(t.language, at.date_naive())), ("time", &time)])
}

/// A moment on the requester's own clock: the date in `language` and the 24-hour time (the
/// page says which offset).
pub fn date_time_local(language: Language, at: NaiveDateTime) -> String {
    let time = format!("{:02}:{:02}", at.hour(), at.minute());
    let time = if language == Language::Burmese { burmese_digits(&time) } else { time };
    format!("{}, {time}", long_date(language, at.date()))
}

/// A moment as staff pages write it, to the minute in UTC: "2026-11-30 14:05 UTC".
pub fn staff_time(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// ASCII digits replaced by Myanmar digits (U+1040…U+1049).
fn burmese_digits(text: &str) -> String {
    text.chars().map(|c| c.to_digit(10).and_then(|d| char::from_u32(0x1040 + d)).unwrap_or(c)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn each_language_writes_a_date_its_own_way() {
        let date = day(2025, 7, 1);
        let written: Vec<String> = Language::ALL.into_iter().map(|l| long_date(l, date)).collect();
        assert_eq!(
            written,
            [
                "1 July 2025",
                "၂၀၂၅ ခုနှစ် ဇူလိုင်လ ၁ ရက်",
                "1 กรกฎาคม 2568",
                "1 កក្កដា 2025",
                "1 ກໍລະກົດ 2025",
                "1 tháng 7, 2025",
                "2025年7月1日",
            ]
        );
    }

    #[test]
    fn thai_years_are_buddhist_era_across_new_year() {
        assert_eq!(long_date(Language::Thai, day(2026, 12, 31)), "31 ธันวาคม 2569");
        assert_eq!(long_date(Language::Thai, day(2027, 1, 1)), "1 มกราคม 2570");
    }

    #[test]
    fn a_moment_names_its_zone_in_the_language_never_utc_alone() {
        let at = day(2026, 11, 30).and_hms_opt(9, 5, 0).unwrap_or_default().and_utc();
        for language in Language::ALL {
            let text = date_time_utc(Translator::new(language), at);
            assert!(!text.contains('{') && !text.contains('$'), "{}: {text}", language.tag());
            if language != Language::English {
                assert!(!text.contains("UTC"), "{}: {text}", language.tag());
            }
        }
        assert_eq!(date_time_utc(Translator::new(Language::English), at), "30 November 2026, 09:05 UTC");
        assert!(date_time_utc(Translator::new(Language::Burmese), at).contains("၀၉:၀၅"));
    }
}
