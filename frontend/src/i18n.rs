//! Shelter's seven languages: Fluent catalogues under `frontend/locales/`, compiled into the
//! binary. The requester side has `requester.ftl` (its pages), `notices.ftl` (notices that
//! leave Shelter by e-mail or messenger) and `vouch.ftl` (the voucher's page and notice); the
//! staff and partner side has one catalogue per area (`staff.ftl` for the shell and words
//! every page shares, `cases.ftl`, `money.ftl`, `admin.ftl`, `partner.ftl`). A message missing
//! in a language falls back to English; the catalogue test allows no missing message.

use std::collections::HashMap;
use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use shelter_shared::language::Language;

/// One catalogue file in each of the seven languages, English first.
macro_rules! catalogue {
    ($file:literal) => {
        [
            (Language::English, include_str!(concat!("../locales/en/", $file))),
            (Language::Burmese, include_str!(concat!("../locales/my/", $file))),
            (Language::Thai, include_str!(concat!("../locales/th/", $file))),
            (Language::Khmer, include_str!(concat!("../locales/km/", $file))),
            (Language::Lao, include_str!(concat!("../locales/lo/", $file))),
            (Language::Vietnamese, include_str!(concat!("../locales/vi/", $file))),
            (Language::ChineseSimplified, include_str!(concat!("../locales/zh-Hans/", $file))),
        ]
    };
}

/// A catalogue's source in each language.
pub type Catalogue = [(Language, &'static str); 7];

/// The requester pages' catalogue.
pub const SOURCES: Catalogue = catalogue!("requester.ftl");

/// The notices' catalogue.
pub const NOTICE_SOURCES: Catalogue = catalogue!("notices.ftl");

/// The voucher's page and notice.
pub const VOUCH_SOURCES: Catalogue = catalogue!("vouch.ftl");

/// The staff and partner pages' catalogues, one per area.
pub const STAFF_SOURCES: [Catalogue; 5] = [
    catalogue!("staff.ftl"),
    catalogue!("cases.ftl"),
    catalogue!("money.ftl"),
    catalogue!("admin.ftl"),
    catalogue!("partner.ftl"),
];

/// Every catalogue, requester side first.
pub fn catalogues() -> impl Iterator<Item = &'static Catalogue> {
    [&SOURCES, &NOTICE_SOURCES, &VOUCH_SOURCES].into_iter().chain(STAFF_SOURCES.iter())
}

static BUNDLES: LazyLock<HashMap<Language, FluentBundle<FluentResource>>> = LazyLock::new(|| {
    Language::ALL
        .into_iter()
        .map(|language| {
            let tag = language.tag().parse().unwrap_or_default();
            let mut bundle = FluentBundle::new_concurrent(vec![tag]);
            // No Unicode isolation marks around values: pages and notices are plain text.
            bundle.set_use_isolating(false);
            for catalogue in catalogues() {
                let source = catalogue.iter().find(|(l, _)| *l == language).map(|(_, s)| *s).unwrap_or_default();
                // A syntax error skips only the broken message; the checker test catches it.
                let resource = FluentResource::try_new(source.to_owned()).unwrap_or_else(|(partial, _)| partial);
                // A message defined twice keeps its first definition; the checker test catches it.
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

    /// The message `id` with a number (plural rules apply) and several texts filled in.
    pub fn t_num_texts(&self, id: &str, name: &str, value: usize, values: &[(&str, &str)]) -> String {
        let mut args = FluentArgs::new();
        args.set(name.to_owned(), FluentValue::from(value));
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
    catalogues()
        .flat_map(|catalogue| catalogue[0].1.lines())
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
        for &(language, source) in catalogues().flatten() {
            assert!(FluentResource::try_new(source.to_owned()).is_ok(), "{} has a syntax error", language.tag());
        }
    }

    #[test]
    fn no_message_is_defined_twice() {
        let mut ids = message_ids();
        let count = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), count, "a message id is defined in two places");
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
