//! A case's codes in the reader's words (states, severities, kinds, outcomes, grant and
//! referral states, the requester's fields, roles) for the guidance, timeline and summary.
//! Each code has a `cf-<group>-<code>` message; a code without one shows as itself, spaced.

use crate::reader::Reader;

/// The word for `code` of `group` (`state`, `severity`, `kind`, `outcome`, `category`,
/// `grant`, `referral`, `field`, `role`, `packet`).
pub fn word(r: Reader, group: &str, code: &str) -> String {
    let text = r.t(&format!("cf-{group}-{}", code.replace('_', "-")));
    if text.is_empty() { code.replace('_', " ") } else { text }
}

#[cfg(test)]
mod tests {
    use shelter_shared::language::Language;

    use super::*;

    #[test]
    fn every_code_of_a_case_has_words_in_every_language() {
        let groups: [(&str, &[&str]); 10] = [
            ("state", &["new", "acknowledged", "active", "on_hold", "closed"]),
            ("severity", &["critical", "high", "medium", "low"]),
            (
                "kind",
                &[
                    "arrest_detention",
                    "criminal_charges",
                    "threat_attack",
                    "digital_attack",
                    "relocation",
                    "medical",
                    "not_sure",
                ],
            ),
            ("outcome", &["resolved", "referred_out", "declined", "duplicate", "unreachable", "withdrawn"]),
            (
                "category",
                &[
                    "legal_fees",
                    "bail",
                    "relocation",
                    "medical",
                    "security_measures",
                    "subsistence",
                    "digital_security",
                    "other",
                ],
            ),
            (
                "grant",
                &[
                    "proposed",
                    "approved",
                    "provisionally_approved",
                    "frozen",
                    "rejected",
                    "disbursed",
                    "receipt_confirmed",
                    "reported",
                    "cancelled",
                    "reversed",
                ],
            ),
            (
                "referral",
                &[
                    "draft",
                    "awaiting_approval",
                    "awaiting_consent",
                    "sent",
                    "accepted",
                    "declined",
                    "concluded",
                    "withdrawn",
                ],
            ),
            ("field", &["narrative", "when", "place", "at_risk", "contact", "contact_time"]),
            ("role", &["handler", "supervisor", "finance"]),
            ("packet", &["kind", "country", "legal_help", "summary", "names", "contact", "narrative"]),
        ];
        for language in Language::ALL {
            for (group, codes) in groups {
                for code in codes {
                    let id = format!("cf-{group}-{}", code.replace('_', "-"));
                    assert!(crate::i18n::Translator::has(language, &id), "{}: {id}", language.tag());
                }
            }
        }
        assert_eq!(word(Reader::default(), "state", "on_hold"), "On hold");
        assert_eq!(word(Reader::default(), "state", "no_such_state"), "no such state", "a code without words");
    }
}
