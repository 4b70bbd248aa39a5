//! Requester passphrases: six English words, or six groups of four digits for those who
//! do not write Latin letters every day. Both carry about 77 bits; digits may be typed in
//! the phone's own numerals (Burmese, Thai, Khmer, Lao, full-width), with or without spaces.

use crate::language::Language;

/// Groups of digits in a digit passphrase.
pub const DIGIT_GROUPS: usize = 6;
/// Digits in a group: 6 × 4 = 24 digits, 79.7 bits (six EFF words: 77.5 bits).
pub const GROUP_LEN: usize = 4;

/// The kind of passphrase a requester is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PassphraseStyle {
    /// Six words from the EFF long list.
    Words,
    /// Six groups of four digits.
    Digits,
}

impl PassphraseStyle {
    /// Digits for languages not written in Latin letters, words otherwise.
    pub fn for_language(language: Language) -> Self {
        match language {
            Language::English | Language::Vietnamese => PassphraseStyle::Words,
            Language::Burmese | Language::Thai | Language::Khmer | Language::Lao | Language::ChineseSimplified => {
                PassphraseStyle::Digits
            }
        }
    }
}

/// The ASCII digit a numeral of any of the requester side's scripts stands for.
fn ascii_digit(c: char) -> Option<char> {
    let zero = match c {
        '0'..='9' => '0',
        '\u{1040}'..='\u{1049}' => '\u{1040}', // Myanmar
        '\u{0E50}'..='\u{0E59}' => '\u{0E50}', // Thai
        '\u{17E0}'..='\u{17E9}' => '\u{17E0}', // Khmer
        '\u{0ED0}'..='\u{0ED9}' => '\u{0ED0}', // Lao
        '\u{FF10}'..='\u{FF19}' => '\u{FF10}', // full-width (Chinese keyboards)
        _ => return None,
    };
    char::from_digit(u32::from(c) - u32::from(zero), 10)
}

/// The form a passphrase is hashed and compared in: a digit passphrase as bare ASCII
/// digits, any other as lower-case words separated by single spaces (as before digits).
pub fn normalise(input: &str) -> String {
    let separator = |c: char| c.is_whitespace() || matches!(c, '-' | '.' | ',' | '_');
    let digits: Option<String> =
        input.chars().filter(|c| !separator(*c)).map(ascii_digit).collect::<Option<String>>().filter(|d| !d.is_empty());
    digits.unwrap_or_else(|| input.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase())
}

/// Digits shown in groups of four, to copy by hand.
pub fn group_digits(digits: &str) -> String {
    let chars: Vec<char> = digits.chars().collect();
    chars.chunks(GROUP_LEN).map(|group| group.iter().collect::<String>()).collect::<Vec<_>>().join(" ")
}

/// Fewest characters a chosen second passphrase may have, once normalised.
pub const DURESS_MIN_CHARS: usize = 8;
/// Most characters a chosen second passphrase may have.
pub const DURESS_MAX_CHARS: usize = 200;

/// Why a chosen second passphrase is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DuressRefusal {
    /// Fewer than [`DURESS_MIN_CHARS`] characters.
    TooShort,
    /// More than [`DURESS_MAX_CHARS`] characters.
    TooLong,
}

impl DuressRefusal {
    /// The requester-side message id (Fluent) for this refusal.
    pub fn message_id(self) -> &'static str {
        match self {
            DuressRefusal::TooShort => "error-duress-short",
            DuressRefusal::TooLong => "error-duress-long",
        }
    }
}

/// A second (duress) passphrase the requester chose, in the form it is hashed and compared
/// in; blank means none. Chosen, not generated: it must come to mind under pressure.
pub fn parse_duress(input: &str) -> Result<Option<String>, DuressRefusal> {
    let normalised = normalise(input);
    match normalised.chars().count() {
        0 => Ok(None),
        n if n < DURESS_MIN_CHARS => Err(DuressRefusal::TooShort),
        n if n > DURESS_MAX_CHARS => Err(DuressRefusal::TooLong),
        _ => Ok(Some(normalised)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digit_passphrases_are_at_least_as_strong_as_six_words() {
        let digit_bits = (DIGIT_GROUPS * GROUP_LEN) as f64 * 10f64.log2();
        let word_bits = 6.0 * 7776f64.log2();
        assert!(digit_bits >= word_bits, "{digit_bits} < {word_bits}");
    }

    #[test]
    fn digits_in_any_script_and_spacing_are_the_same_passphrase() {
        let plain = "123456789012345678901234";
        assert_eq!(normalise("1234 5678 9012 3456 7890 1234"), plain);
        assert_eq!(normalise(" 1234-5678-9012-3456-7890-1234 "), plain);
        assert_eq!(normalise("၁၂၃၄ ၅၆၇၈ ၉၀၁၂ ၃၄၅၆ ၇၈၉၀ ၁၂၃၄"), plain);
        assert_eq!(normalise("๑๒๓๔๕๖๗๘๙๐๑๒๓๔๕๖๗๘๙๐๑๒๓๔"), plain);
        assert_eq!(normalise("១២៣៤ ៥៦៧៨ ៩០១២ ៣៤៥៦ ៧៨៩០ ១២៣៤"), plain);
        assert_eq!(normalise("໑໒໓໔ ໕໖໗໘ ໙໐໑໒ ໓໔໕໖ ໗໘໙໐ ໑໒໓໔"), plain);
        assert_eq!(normalise("１２３４ ５６７８ ９０１２ ３４５６ ７８９０ １２３４"), plain);
    }

    #[test]
    fn word_passphrases_normalise_as_they_always_did() {
        assert_eq!(normalise("  Correct   horse battery\tSTAPLE "), "correct horse battery staple");
        assert_eq!(normalise("cab1n deck"), "cab1n deck", "a word with a digit stays a word");
        assert_eq!(normalise("   "), "");
    }

    #[test]
    fn groups_of_four() {
        assert_eq!(group_digits("123456789012"), "1234 5678 9012");
    }

    #[test]
    fn languages_without_latin_letters_get_digits() {
        assert_eq!(PassphraseStyle::for_language(Language::Burmese), PassphraseStyle::Digits);
        assert_eq!(PassphraseStyle::for_language(Language::ChineseSimplified), PassphraseStyle::Digits);
        assert_eq!(PassphraseStyle::for_language(Language::Vietnamese), PassphraseStyle::Words);
    }

    #[test]
    fn a_second_passphrase_is_optional_normalised_and_bounded() {
        assert_eq!(parse_duress("   "), Ok(None));
        assert_eq!(parse_duress("short"), Err(DuressRefusal::TooShort));
        assert_eq!(parse_duress("  Blue   River Song "), Ok(Some("blue river song".to_owned())));
        assert_eq!(parse_duress("၁၂၃၄ ၅၆၇၈"), Ok(Some("12345678".to_owned())));
        assert_eq!(parse_duress(&"x".repeat(201)), Err(DuressRefusal::TooLong));
    }
}
