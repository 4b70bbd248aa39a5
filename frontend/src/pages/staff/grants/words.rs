//! Grant codes in the reader's words: states, categories, payment methods, tiers and
//! decisions (`mword-<kind>-<code>` in `money.ftl`). An unknown code is shown as it is.

use shelter_shared::language::Language;

use crate::i18n::Translator;
use crate::reader::Reader;

/// The word for `code` of `kind` ("state", "category", "method", "tier", "decision").
pub fn mword(r: Reader, kind: &str, code: &str) -> String {
    let id = format!("mword-{kind}-{code}");
    if Translator::has(Language::English, &id) { r.t(&id) } else { code.replace('_', " ") }
}

/// Codes with their words, for a `<select>`: (code, word).
pub fn mwords<'a>(r: Reader, kind: &str, codes: impl IntoIterator<Item = &'a str>) -> Vec<(String, String)> {
    codes.into_iter().map(|c| (c.to_owned(), mword(r, kind, c))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_as_words_and_unknown_ones_as_they_are() {
        let my = Reader::new(Language::Burmese, 390);
        assert_eq!(mword(Reader::default(), "category", "legal_fees"), "legal fees");
        assert_ne!(mword(my, "state", "disbursed"), "paid");
        assert_eq!(mword(my, "state", "no_such"), "no such");
    }
}
