//! The languages Shelter speaks on the requester side.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A language of the requester side, named by its BCP 47 tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Language {
    /// English, the fallback.
    #[default]
    #[serde(rename = "en")]
    English,
    /// Burmese.
    #[serde(rename = "my")]
    Burmese,
    /// Thai.
    #[serde(rename = "th")]
    Thai,
    /// Khmer.
    #[serde(rename = "km")]
    Khmer,
    /// Lao.
    #[serde(rename = "lo")]
    Lao,
    /// Vietnamese.
    #[serde(rename = "vi")]
    Vietnamese,
    /// Simplified Chinese.
    #[serde(rename = "zh-Hans")]
    ChineseSimplified,
}

impl Language {
    /// Every supported language, English first.
    pub const ALL: [Language; 7] = [
        Language::English,
        Language::Burmese,
        Language::Thai,
        Language::Khmer,
        Language::Lao,
        Language::Vietnamese,
        Language::ChineseSimplified,
    ];

    /// The BCP 47 tag, as used in `?lang=` and `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::Burmese => "my",
            Language::Thai => "th",
            Language::Khmer => "km",
            Language::Lao => "lo",
            Language::Vietnamese => "vi",
            Language::ChineseSimplified => "zh-Hans",
        }
    }

    /// The language's own name for itself, for the language picker.
    pub fn endonym(self) -> &'static str {
        match self {
            Language::English => "English",
            Language::Burmese => "မြန်မာ",
            Language::Thai => "ไทย",
            Language::Khmer => "ខ្មែរ",
            Language::Lao => "ລາວ",
            Language::Vietnamese => "Tiếng Việt",
            Language::ChineseSimplified => "简体中文",
        }
    }
}

impl Language {
    /// The first of `spoken` (tags, endonyms or English names, as a registry lists them)
    /// that Shelter speaks; English when none is.
    pub fn first_spoken(spoken: &[String]) -> Language {
        let english_name = |l: Language| match l {
            Language::English => "english",
            Language::Burmese => "burmese",
            Language::Thai => "thai",
            Language::Khmer => "khmer",
            Language::Lao => "lao",
            Language::Vietnamese => "vietnamese",
            Language::ChineseSimplified => "chinese",
        };
        spoken
            .iter()
            .map(|s| s.trim())
            .find_map(|s| {
                s.parse::<Language>().ok().or_else(|| {
                    Language::ALL.into_iter().find(|l| s == l.endonym() || s.eq_ignore_ascii_case(english_name(*l)))
                })
            })
            .unwrap_or_default()
    }
}

/// A language tag that Shelter does not speak.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unsupported language {0:?}; expected one of en, my, th, km, lo, vi, zh-Hans")]
pub struct UnknownLanguage(pub String);

impl FromStr for Language {
    type Err = UnknownLanguage;

    fn from_str(tag: &str) -> Result<Self, Self::Err> {
        Language::ALL
            .into_iter()
            .find(|l| l.tag().eq_ignore_ascii_case(tag))
            .ok_or_else(|| UnknownLanguage(tag.to_owned()))
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_tag_round_trips() {
        for lang in Language::ALL {
            assert_eq!(lang.tag().parse::<Language>(), Ok(lang));
        }
    }

    #[test]
    fn the_first_language_shelter_speaks_is_chosen() {
        let spoken = |list: &[&str]| Language::first_spoken(&list.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>());
        assert_eq!(spoken(&["Shan", "Burmese", "English"]), Language::Burmese);
        assert_eq!(spoken(&["ไทย"]), Language::Thai);
        assert_eq!(spoken(&["km"]), Language::Khmer);
        assert_eq!(spoken(&["Karen"]), Language::English);
        assert_eq!(spoken(&[]), Language::English);
    }

    #[test]
    fn tags_are_matched_without_case() {
        assert_eq!("ZH-hans".parse::<Language>(), Ok(Language::ChineseSimplified));
    }

    #[test]
    fn an_unknown_tag_is_refused() {
        assert!("fr".parse::<Language>().is_err());
        assert!("".parse::<Language>().is_err());
    }
}
