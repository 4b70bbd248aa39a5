//! The countries and territories the intake form offers, named in the page's language.

use crate::i18n::Translator;

/// The Mekong countries, listed first.
pub const MEKONG: [&str; 6] = ["KH", "CN", "LA", "MM", "TH", "VN"];

/// Neighbouring countries and territories, under "other countries or territories".
pub const NEIGHBOURS: [&str; 12] = ["BD", "HK", "IN", "ID", "JP", "MY", "NP", "PH", "SG", "KR", "TW", "TL"];

/// The name of `code` in the translator's language; the code itself if it has none.
pub fn name(t: Translator, code: &str) -> String {
    let name = t.t(&format!("country-{code}"));
    if name.is_empty() { code.to_owned() } else { name }
}

#[cfg(test)]
mod tests {
    use shelter_shared::language::Language;

    use super::*;

    #[test]
    fn every_offered_code_has_a_name_in_every_language() {
        for language in Language::ALL {
            for code in MEKONG.into_iter().chain(NEIGHBOURS) {
                assert!(
                    Translator::has(language, &format!("country-{code}")),
                    "{}: no name for {code}",
                    language.tag()
                );
            }
        }
        assert_eq!(name(Translator::new(Language::Thai), "MM"), "เมียนมา");
        assert_eq!(name(Translator::new(Language::English), "ZZ"), "ZZ");
    }
}
