//! The requester side's seven languages: Fluent catalogues under `frontend/locales/`,
//! compiled into the binary (`requester.ftl` for the pages, `notices.ftl` for the notices
//! that leave Shelter by e-mail or messenger, `vouch.ftl` for the voucher's page and notice). A message missing in a language falls back
//! to English.

use std::collections::HashMap;
use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use shelter_shared::language::Language;

/// Each language's catalogue source.
pub const SOURCES: [(Language, &str); 7] = [
    (Language::English, include_str!("../locales/en/requester.ftl")),
    (Language::Burmese, include_str!("../locales/my/requester.ftl")),
    (Language::Thai, include_str!("../locales/th/requester.ftl")),
    (Language::Khmer, include_str!("../locales/km/requester.ftl")),
    (Language::Lao, include_str!("../locales/lo/requester.ftl")),
    (Language::Vietnamese, include_str!("../locales/vi/requester.ftl")),
    (Language::ChineseSimplified, include_str!("../locales/zh-Hans/requester.ftl")),
];

/// Each language's catalogue of notice texts.
pub const NOTICE_SOURCES: [(Language, &str); 7] = [
    (Language::English, include_str!("../locales/en/notices.ftl")),
    (Language::Burmese, include_str!("../locales/my/notices.ftl")),
    (Language::Thai, include_str!("../locales/th/notices.ftl")),
    (Language::Khmer, include_str!("../locales/km/notices.ftl")),
    (Language::Lao, include_str!("../locales/lo/notices.ftl")),
    (Language::Vietnamese, include_str!("../locales/vi/notices.ftl")),
    (Language::ChineseSimplified, include_str!("../locales/zh-Hans/notices.ftl")),
];

/// Each language's catalogue of the voucher's page and notice.
pub const VOUCH_SOURCES: [(Language, &str); 7] = [
    (Language::English, include_str!("../locales/en/vouch.ftl")),
    (Language::Burmese, include_str!("../locales/my/vouch.ftl")),
    (Language::Thai, include_str!("../locales/th/vouch.ftl")),
    (Language::Khmer, include_str!("../locales/km/vouch.ftl")),
    (Language::Lao, include_str!("../locales/lo/vouch.ftl")),
    (Language::Vietnamese, include_str!("../locales/vi/vouch.ftl")),
    (Language::ChineseSimplified, include_str!("../locales/zh-Hans/vouch.ftl")),
];

static BUNDLES: LazyLock<HashMap<Language, FluentBundle<FluentResource>>> = LazyLock::new(|| {
    SOURCES
        .into_iter()
        .zip(NOTICE_SOURCES)
        .zip(VOUCH_SOURCES)
        .map(|(((language, pages), (_, notices)), (_, vouch))| {
            let tag = language.tag().parse().unwrap_or_default();
            let mut bundle = FluentBundle::new_concurrent(vec![tag]);
            // No Unicode isolation marks around values: pages and notices are plain text.
            bundle.set_use_isolating(false);
            for source in [pages, notices, vouch] {
                // A syntax error skips only the broken message; the checker test catches it.
                let resource = FluentResource::try_new(source.to_owned()).unwrap_or_else(|(partial, _)| partial);
                let _ = bundle.add_resource(resource);
            }
            (language, bundle)
        })
        .collect()
});

/// Translates into one language.
#[derive(Debug, Clone, Copy)]
pub struct Translator {
    /// The language.
    pub language: Language,
}

impl Translator {
    /// A translator for `language`.
    pub fn new(language: Language) -> Self {
        Translator { language }
    }

    /// The message `id`.
    pub fn t(&self, id: &str) -> String {
        self.format(id, None)
    }

    /// The message `id` with a number filled in (`{ $max }`, `{ $max_mb }`).
    pub fn t_num(&self, id: &str, name: &str, value: usize) -> String {
        let mut args = FluentArgs::new();
        args.set(name.to_owned(), FluentValue::from(value));
        self.format(id, Some(&args))
    }

    /// The message `id` with a text filled in (`{ $link }`).
    pub fn t_text(&self, id: &str, name: &str, value: &str) -> String {
        let mut args = FluentArgs::new();
        args.set(name.to_owned(), FluentValue::from(value.to_owned()));
        self.format(id, Some(&args))
    }

    /// The message `id` with several texts filled in (`{ $date }`, `{ $time }`).
    pub fn t_texts(&self, id: &str, values: &[(&str, &str)]) -> String {
        let mut args = FluentArgs::new();
        for (name, value) in values {
            args.set((*name).to_owned(), FluentValue::from((*value).to_owned()));
        }
        self.format(id, Some(&args))
    }

    fn format(&self, id: &str, args: Option<&FluentArgs<'_>>) -> String {
        [self.language, Language::English]
            .into_iter()
            .find_map(|language| {
                let bundle = BUNDLES.get(&language)?;
                let pattern = bundle.get_message(id)?.value()?;
                let mut errors = vec![];
                Some(bundle.format_pattern(pattern, args, &mut errors).into_owned())
            })
            .unwrap_or_default()
    }

    /// Whether `language` has its own message `id` (for the catalogue checker).
    pub fn has(language: Language, id: &str) -> bool {
        BUNDLES.get(&language).and_then(|b| b.get_message(id)).and_then(|m| m.value()).is_some()
    }
}

/// Every message id of the English catalogues.
pub fn message_ids() -> Vec<String> {
    [SOURCES[0].1, NOTICE_SOURCES[0].1, VOUCH_SOURCES[0].1]
        .into_iter()
        .flat_map(str::lines)
        .filter_map(|line| {
            let (id, _) = line.split_once('=')?;
            let id = id.trim();
            (!id.is_empty()
                && !line.starts_with('#')
                && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .then(|| id.to_owned())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_exists_in_every_language() {
        let ids = message_ids();
        assert!(ids.len() > 100, "{} ids", ids.len());
        let mut missing = vec![];
        for language in Language::ALL {
            for id in &ids {
                if !Translator::has(language, id) {
                    missing.push(format!("{}: {id}", language.tag()));
                }
            }
        }
        assert!(missing.is_empty(), "missing messages: {missing:?}");
    }

    #[test]
    fn every_catalogue_parses_cleanly() {
        for (language, source) in SOURCES.into_iter().chain(NOTICE_SOURCES).chain(VOUCH_SOURCES) {
            assert!(FluentResource::try_new(source.to_owned()).is_ok(), "{} has a syntax error", language.tag());
        }
    }

    #[test]
    fn placeables_are_filled_in_every_language() {
        for language in Language::ALL {
            let text = Translator::new(language).t_num("error-file-too-large", "max_mb", 10);
            assert!(text.contains("10"), "{}: {text}", language.tag());
            assert!(!text.contains('$'), "{}: {text}", language.tag());
        }
    }

    #[test]
    fn english_counts_agree_with_their_number() {
        let t = Translator::new(Language::English);
        assert!(t.t_num("deletion-intro", "days", 1).contains("deleted one day after"));
        assert!(t.t_num("deletion-intro", "days", 7).contains("deleted 7 days after"));
        assert_eq!(t.t_num("error-too-many-files", "max", 1), "You can add only one file to a request.");
        assert_eq!(t.t_num("error-too-many-files", "max", 5), "You can add at most 5 files to a request.");
    }

    #[test]
    fn an_unknown_message_is_empty_never_its_key() {
        assert_eq!(Translator::new(Language::Thai).t("no-such-message"), "");
    }
}
