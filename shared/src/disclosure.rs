//! Before the network writes to a partner: does the text look like details the requester
//! did not agree to share with them? Phone numbers, e-mail addresses, and the names and
//! contact details the case holds but the referral's packet left out. A warning, not a
//! proof: the writer confirms ("send anyway") or rewords. Pure, so it is tested here.

/// Something in a text that may disclose more than the requester consented to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// Looks like a phone number: the digits as written.
    Phone(String),
    /// Looks like an e-mail address.
    Email(String),
    /// A name the case holds (who is at risk) that the packet does not share.
    Name(String),
    /// A part of the requester's contact details that the packet does not share.
    Contact(String),
}

/// What the case holds and what the referral's packet shares.
#[derive(Debug, Clone, Default)]
pub struct Consent<'a> {
    /// The texts the packet shares with the partner (anything found in them is consented).
    pub shared: Vec<&'a str>,
    /// The names of people at risk, when the packet does not share them.
    pub withheld_names: Option<&'a str>,
    /// The requester's contact details, when the packet does not share them.
    pub withheld_contact: Option<&'a str>,
}

/// Words that go with names but are no names themselves (honorifics in the region's
/// romanisations), so that "Ko" alone never matches.
const NOT_NAMES: &[&str] = &[
    "ko", "ma", "u", "daw", "maung", "naw", "saw", "mr", "mrs", "ms", "dr", "nai", "nang", "khun", "and", "his", "her",
    "their", "wife", "husband", "son", "daughter", "brother", "sister", "mother", "father", "the", "family",
];

/// The findings in `text` that `consent` does not cover, each once, in the order found.
pub fn check(text: &str, consent: &Consent<'_>) -> Vec<Finding> {
    let shared_digits: Vec<String> = consent.shared.iter().flat_map(|s| phones(s)).map(|p| digits(&p)).collect();
    let shared_lower: Vec<String> = consent.shared.iter().map(|s| s.to_lowercase()).collect();
    let is_shared = |needle: &str| shared_lower.iter().any(|s| s.contains(&needle.to_lowercase()));
    let mut found = vec![];
    let lower = text.to_lowercase();
    for phone in phones(text) {
        if !shared_digits.contains(&digits(&phone)) {
            found.push(Finding::Phone(phone));
        }
    }
    for email in emails(text) {
        if !is_shared(&email) {
            found.push(Finding::Email(email));
        }
    }
    if let Some(names) = consent.withheld_names {
        for name in name_parts(names) {
            if contains_word(&lower, &name.to_lowercase()) && !is_shared(&name) {
                found.push(Finding::Name(name));
            }
        }
    }
    if let Some(contact) = consent.withheld_contact {
        for part in contact_parts(contact) {
            if lower.contains(&part.to_lowercase()) && !is_shared(&part) {
                found.push(Finding::Contact(part));
            }
        }
    }
    let mut seen = vec![];
    found.retain(|f| {
        let fresh = !seen.contains(f);
        seen.push(f.clone());
        fresh
    });
    found
}

/// The zero of each script's decimal digits the region writes numbers in (Thai, Lao,
/// Burmese, Shan, Khmer, full-width): a phone number typed in them is still a phone number.
const ZEROS: [u32; 6] = [0x0E50, 0x0ED0, 0x1040, 0x1090, 0x17E0, 0xFF10];

/// `c` as an ASCII digit when it is a decimal digit of one of [`ZEROS`]' scripts.
fn ascii_digit(c: char) -> char {
    ZEROS
        .iter()
        .find_map(|zero| (c as u32).checked_sub(*zero).filter(|d| *d < 10))
        .and_then(|d| char::from_digit(d, 10))
        .unwrap_or(c)
}

fn digits(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

/// Runs of 9 to 15 digits, optionally after a `+`, split only by single spaces, dashes,
/// dots or brackets: the region's phone numbers (a Cambodian number has 9 digits, Burmese
/// 11). Dates (`2026-12-01`), times and amounts with thousands separators do not qualify.
fn phones(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().map(ascii_digit).collect();
    let mut found = vec![];
    let mut i = 0;
    while i < chars.len() {
        let starts =
            chars[i].is_ascii_digit() || (chars[i] == '+' && chars.get(i + 1).is_some_and(char::is_ascii_digit));
        let after_word = i > 0 && (chars[i - 1].is_alphanumeric() || matches!(chars[i - 1], ',' | ':' | '/'));
        if !starts || after_word {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < chars.len() {
            let c = chars[j];
            let sep = matches!(c, ' ' | '-' | '.' | '(' | ')');
            if c.is_ascii_digit() || (sep && chars.get(j + 1).is_some_and(|n| n.is_ascii_digit() || *n == '(')) {
                j += 1;
            } else {
                break;
            }
        }
        let run: String = chars[i..j].iter().collect();
        let run = run.trim_end_matches([' ', '-', '.', '(']).to_owned();
        let count = digits(&run).len();
        let glued = chars.get(j).is_some_and(|c| c.is_alphanumeric() || matches!(c, ':' | '/'));
        if (9..=15).contains(&count) && !glued && !looks_like_date(&run) {
            found.push(run);
        }
        i = j.max(i + 1);
    }
    found
}

/// `2026-12-01`, `2026.12.01`, optionally followed by more numbers (a time).
fn looks_like_date(run: &str) -> bool {
    let mut groups = run.split(['-', '.', ' ']);
    let (Some(year), Some(month)) = (groups.next(), groups.next()) else { return false };
    year.len() == 4 && year.starts_with(['1', '2']) && month.len() == 2
}

/// Words with one `@`, a dot after it and letters around it.
fn emails(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '<' | '>' | '(' | ')' | '"' | '\''))
        .map(|w| w.trim_end_matches(['.', ':', '!', '?']))
        .filter(|w| {
            let Some((local, domain)) = w.split_once('@') else { return false };
            !local.is_empty()
                && !domain.contains('@')
                && domain.split('.').count() >= 2
                && domain.split('.').all(|p| !p.is_empty() && p.chars().all(|c| c.is_alphanumeric() || c == '-'))
        })
        .map(str::to_owned)
        .collect()
}

/// The names in the case's "who is at risk" text: each listed name whole, and each of its
/// words that could be a name on its own (capitalised, three letters or more, no honorific).
fn name_parts(names: &str) -> Vec<String> {
    let mut parts = vec![];
    for listed in names.split([',', ';', '\n', '/', '(', ')', '、', '，']) {
        let words: Vec<&str> = listed
            .split_whitespace()
            .filter(|w| !NOT_NAMES.contains(&w.to_lowercase().as_str()) && !w.chars().any(|c| c.is_ascii_digit()))
            .collect();
        if words.is_empty() {
            continue;
        }
        let whole = words.join(" ");
        if whole.chars().count() >= 2 {
            parts.push(whole);
        }
        for word in &words {
            let latin = word.chars().all(|c| c.is_ascii_alphabetic() || c == '-' || c == '\'');
            let capitalised = word.chars().next().is_some_and(char::is_uppercase);
            // Scripts without capitals (Burmese, Thai, Khmer, Lao, Chinese): a word of its own.
            let named = if latin { capitalised && word.chars().count() >= 3 } else { word.chars().count() >= 2 };
            if named && words.len() > 1 {
                parts.push((*word).to_owned());
            }
        }
    }
    parts.sort();
    parts.dedup();
    parts
}

/// The pieces of a contact text worth looking for: handles, numbers, addresses (five
/// characters or more, holding a digit or an `@`).
fn contact_parts(contact: &str) -> Vec<String> {
    contact
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';'))
        .map(|w| w.trim_matches(['.', ':', '(', ')']))
        .filter(|w| w.chars().count() >= 5 && w.chars().any(|c| c.is_ascii_digit() || c == '@'))
        .map(str::to_owned)
        .collect()
}

/// Whether `needle` occurs in `haystack` as a whole word (for scripts without spaces,
/// anywhere).
fn contains_word(haystack: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return false;
    }
    let spaced = needle.chars().all(|c| c.is_ascii() || c.is_whitespace());
    haystack.match_indices(needle).any(|(at, _)| {
        if !spaced {
            return true;
        }
        let before = haystack[..at].chars().next_back();
        let after = haystack[at + needle.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nothing_shared() -> Consent<'static> {
        Consent::default()
    }

    #[test]
    fn phone_numbers_of_the_region_are_found() {
        let found = check("Call him on +95 9 7812 34567 or 012 345 678, or 081-234-5678.", &nothing_shared());
        assert_eq!(
            found,
            [
                Finding::Phone("+95 9 7812 34567".into()),
                Finding::Phone("012 345 678".into()),
                Finding::Phone("081-234-5678".into())
            ]
        );
    }

    #[test]
    fn numbers_in_the_regions_own_digits_are_found_too() {
        let burmese = check("ဖုန်း ၀၉ ၇၈၁၂ ၃၄၅၆၇ ကို ခေါ်ပါ။", &nothing_shared());
        assert_eq!(burmese, [Finding::Phone("09 7812 34567".into())]);
        let thai = check("โทร ๐๘๑-๒๓๔-๕๖๗๘", &nothing_shared());
        assert_eq!(thai, [Finding::Phone("081-234-5678".into())]);
        let khmer = check("ទូរស័ព្ទ ០១២ ៣៤៥ ៦៧៨", &nothing_shared());
        assert_eq!(khmer, [Finding::Phone("012 345 678".into())]);
    }

    #[test]
    fn dates_times_amounts_and_references_are_no_phone_numbers() {
        let text = "Hearing on 2026-12-01 14:05, bail 2,000,000 MMK, case SH-AB12-CD34, 15 people, 12345678.";
        assert_eq!(check(text, &nothing_shared()), []);
    }

    #[test]
    fn email_addresses_are_found_but_not_at_signs_alone() {
        let found = check("Write to aung.k@example.org. Meet @ noon, user@localhost.", &nothing_shared());
        assert_eq!(found, [Finding::Email("aung.k@example.org".into())]);
    }

    #[test]
    fn a_number_the_packet_shares_is_consented() {
        let consent = Consent { shared: vec!["phone: 09 781 234 567"], ..Consent::default() };
        assert_eq!(check("She is on 09781234567", &consent), []);
        assert_eq!(check("She is on 09781234999", &consent), [Finding::Phone("09781234999".into())]);
    }

    #[test]
    fn names_withheld_from_the_packet_are_found_as_whole_words() {
        let consent = Consent { withheld_names: Some("Ko Aung Min, his wife Ma Hla"), ..Consent::default() };
        let found = check("Aung Min was moved to Insein; Hla visits.", &consent);
        assert!(found.contains(&Finding::Name("Aung Min".into())), "{found:?}");
        assert!(found.contains(&Finding::Name("Aung".into())), "{found:?}");
        assert_eq!(check("The hearing was adjourned; his wife and Ko will attend.", &consent), []);
        assert_eq!(check("Aungsan Road office", &consent), [], "part of another word");
    }

    #[test]
    fn names_in_scripts_without_spaces_are_found_inside_words() {
        let consent = Consent { withheld_names: Some("ကိုအောင်မင်း"), ..Consent::default() };
        assert_eq!(check("ကိုအောင်မင်းကို ဖမ်းသွားသည်", &consent), [Finding::Name("ကိုအောင်မင်း".into())]);
    }

    #[test]
    fn names_the_packet_shares_are_no_finding() {
        let consent =
            Consent { shared: vec!["Ko Aung Min"], withheld_names: None, withheld_contact: Some("signal @aungmin88") };
        assert_eq!(check("Aung Min agrees.", &consent), []);
        assert_eq!(check("reach @aungmin88 on signal", &consent), [Finding::Contact("@aungmin88".into())]);
    }

    #[test]
    fn each_finding_is_reported_once() {
        let found = check("a@b.org, a@b.org", &nothing_shared());
        assert_eq!(found, [Finding::Email("a@b.org".into())]);
    }
}
