//! The glossary beside the catalogues (`locales/GLOSSARY.md`) and the checks it backs: which
//! words must never appear on a requester page, and which Latin-letter words may (everything
//! else in Latin letters on a Burmese, Thai, Khmer, Lao or Chinese page is English that
//! escaped the catalogues; on a Vietnamese page, English words are found by vocabulary).

use std::collections::HashSet;
use std::sync::LazyLock;

use shelter_shared::language::Language;

use crate::i18n::SOURCES;

/// The glossary, as written for people.
pub const GLOSSARY: &str = include_str!("../locales/GLOSSARY.md");

/// Latin-letter words any page may show: the product's name, product names kept in Latin
/// letters, the reference's prefix, the English endonym, the example address and currency codes.
pub const LATIN_ALLOWED: [&str; 26] = [
    "Shelter", "SH", "Tor", "Browser", "Signal", "Telegram", "Matrix", "PDF", "JPEG", "PNG", "WebP", "MB", "English",
    "name", "example", "org", "USD", "THB", "MMK", "KHR", "LAK", "VND", "CNY", "EUR", "VPN", "SMS",
];

/// How a word kept off requester pages would hurt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Risk {
    /// Could harm the person if their phone is read.
    Danger,
    /// Shifts the meaning (a password, a state body, a transfer).
    Misleading,
}

/// A word kept off requester pages in one language.
#[derive(Debug, Clone)]
pub struct KeptOff {
    /// The language.
    pub language: Language,
    /// The word.
    pub word: &'static str,
    /// Why.
    pub risk: Risk,
}

static KEPT_OFF: LazyLock<Vec<KeptOff>> = LazyLock::new(|| {
    let section = GLOSSARY.split("## Words kept off requester pages").nth(1).unwrap_or_default();
    section
        .lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.trim().trim_matches('|').split('|').map(str::trim).collect();
            let [language, word, risk, _why] = cells[..] else { return None };
            let risk = match risk {
                "danger" => Risk::Danger,
                "misleading" => Risk::Misleading,
                _ => return None,
            };
            Some(KeptOff { language: language.parse().ok()?, word, risk })
        })
        .collect()
});

/// Every word the glossary keeps off requester pages.
pub fn kept_off() -> &'static [KeptOff] {
    &KEPT_OFF
}

/// The kept-off words of `language` that `text` contains (Latin words in any case).
pub fn kept_off_in(language: Language, text: &str) -> Vec<&'static str> {
    let lower = text.to_lowercase();
    kept_off()
        .iter()
        .filter(|k| k.language == language && lower.contains(&k.word.to_lowercase()))
        .map(|k| k.word)
        .collect()
}

/// The text a person sees on a page: text between tags (title and options included) and the
/// attributes that are read out or shown (`label`, `aria-label`, `placeholder`, `alt`, `title`).
pub fn visible_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        out.push(' ');
        let tag_end = tag_end(&rest[open..]).map_or(rest.len(), |end| open + end);
        let tag = &rest[open..tag_end];
        for attribute in ["label", "aria-label", "placeholder", "alt", "title"] {
            if let Some(value) = attribute_value(tag, attribute) {
                out.push_str(value);
                out.push(' ');
            }
        }
        rest = &rest[(tag_end + 1).min(rest.len())..];
    }
    out.push_str(rest);
    html_escape::decode_html_entities(&out).into_owned()
}

/// Where a tag that starts `text` ends (its `>`), skipping quoted attribute values.
fn tag_end(text: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(i),
            _ => {}
        }
    }
    None
}

fn attribute_value<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let end = tag[start..].find('"')?;
    Some(&tag[start..start + end])
}

/// The words of two or more Latin letters in `text` (a Vietnamese word with a diacritic, or
/// any word in another script, is never one).
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| w.len() >= 2 && w.chars().all(|c| c.is_ascii_alphabetic()))
}

/// The English words of the English catalogue and of the old hard-coded pages.
static ENGLISH: LazyLock<HashSet<String>> = LazyLock::new(|| {
    let extra = "the and of to for your you is are was error please back start reference support staff sign";
    catalogue_words(SOURCES[0].1).chain(extra.split(' ').map(str::to_owned)).collect()
});

/// The Latin-letter words of the Vietnamese catalogue (Vietnamese that happens to be ASCII).
static VIETNAMESE: LazyLock<HashSet<String>> = LazyLock::new(|| {
    let vi = SOURCES.iter().find(|(l, _)| *l == Language::Vietnamese).map(|(_, s)| *s).unwrap_or_default();
    catalogue_words(vi).collect()
});

/// The words of a catalogue's messages (not its comments, ids or placeables), lower case.
fn catalogue_words(source: &'static str) -> impl Iterator<Item = String> {
    source
        .lines()
        .filter(|line| !line.starts_with('#'))
        .map(|line| line.split_once(" = ").map_or(line, |(_, value)| value))
        .flat_map(|value| {
            value
                .split('{')
                .enumerate()
                .map(|(i, part)| if i == 0 { part } else { part.split_once('}').map_or("", |(_, p)| p) })
        })
        .flat_map(words)
        .map(str::to_lowercase)
}

/// English words in `text` shown on a page in `language`: on a page in another script, any
/// Latin-letter word not on [`LATIN_ALLOWED`]; on a Vietnamese page, any word of the English
/// catalogue that Vietnamese does not also use. `ignore` is data the person typed or was given.
pub fn english_in(language: Language, text: &str, ignore: &[&str]) -> Vec<String> {
    let mut text = text.to_owned();
    for data in ignore {
        text = text.replace(data, " ");
    }
    let text = without_references(&text);
    words(&text)
        .filter(|w| !LATIN_ALLOWED.contains(w))
        .filter(|w| match language {
            Language::English => false,
            Language::Vietnamese => {
                let lower = w.to_lowercase();
                ENGLISH.contains(&lower) && !VIETNAMESE.contains(&lower)
            }
            _ => true,
        })
        .map(str::to_owned)
        .collect()
}

fn without_references(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("SH-") {
        out.push_str(&rest[..at]);
        rest = rest[at + 3..].trim_start_matches(|c: char| c.is_ascii_alphanumeric() || c == '-');
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Translator;

    #[test]
    fn the_glossary_keeps_words_off_in_every_language() {
        for language in Language::ALL {
            let words: Vec<_> = kept_off().iter().filter(|k| k.language == language).collect();
            assert!(words.iter().any(|k| k.risk == Risk::Danger), "{}: no danger words", language.tag());
            assert!(words.iter().any(|k| k.risk == Risk::Misleading), "{}: no misleading words", language.tag());
        }
    }

    #[test]
    fn no_catalogue_uses_a_word_its_glossary_keeps_off() {
        for (language, source) in SOURCES {
            let values: String = source.lines().filter(|l| !l.starts_with('#')).collect::<Vec<_>>().join("\n");
            assert_eq!(kept_off_in(language, &values), Vec::<&str>::new(), "{}", language.tag());
        }
    }

    #[test]
    fn the_news_that_reaches_the_requesters_phone_names_nothing() {
        for language in Language::ALL {
            let t = Translator::new(language);
            let news = format!("{} {}", t.t("news-subject"), t.t("news-text"));
            assert!(!news.trim().is_empty() && !news.contains("Shelter"), "{}: {news}", language.tag());
            assert_eq!(kept_off_in(language, &news), Vec::<&str>::new(), "{}", language.tag());
            assert_eq!(english_in(language, &news, &[]), Vec::<String>::new(), "{}", language.tag());
        }
    }

    #[test]
    fn no_catalogue_carries_latin_words_beyond_the_allowed() {
        for (language, source) in SOURCES.into_iter().filter(|(l, _)| *l != Language::English) {
            let values: String = catalogue_words(source).collect::<Vec<_>>().join(" ");
            let found: Vec<_> = english_in(language, &values, &[])
                .into_iter()
                .filter(|w| !LATIN_ALLOWED.iter().any(|a| a.eq_ignore_ascii_case(w)))
                .collect();
            assert!(found.is_empty(), "{}: {found:?}", language.tag());
        }
    }

    #[test]
    fn english_is_found_where_it_escaped_and_not_in_the_language_itself() {
        let html = r#"<title>ขอความช่วยเหลือ · Shelter</title><p>Reference for support: <code>SH-ABCD-EF12</code></p>"#;
        assert_eq!(english_in(Language::Thai, &visible_text(html), &[]), ["Reference", "for", "support"]);
        let vi = "<p>Việt Nam, Myanmar, Campuchia: chọn quốc gia</p><optgroup label=\"Other countries\"></optgroup>";
        assert_eq!(english_in(Language::Vietnamese, &visible_text(vi), &[]), ["Other", "countries"]);
        let th = Translator::new(Language::Thai).t("safety-tor");
        assert!(english_in(Language::Thai, &th, &[]).is_empty(), "Tor Browser is a name");
    }
}
