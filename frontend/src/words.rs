//! Codes shown to staff and partners in words: case states, severities, kinds, outcomes,
//! roles, languages, referral states, timeline events. Each is a `word-…` message of
//! `staff.ftl`; a code with no message (one added later) is shown as it is, never as nothing.

use crate::countries;
use crate::i18n::Translator;
use crate::reader::Reader;

/// The message `word-{area}-{code}` (underscores and dots become dashes), or the code.
fn word(r: Reader, area: &str, code: &str) -> String {
    let id = format!("word-{area}-{}", code.replace(['_', '.'], "-"));
    if Translator::has(r.language, &id) || Translator::has(shelter_shared::language::Language::English, &id) {
        r.t(&id)
    } else {
        code.to_owned()
    }
}

/// A case's state: `on_hold` → "on hold".
pub fn case_state(r: Reader, state: &str) -> String {
    word(r, "state", state)
}

/// A severity: `critical` → "critical".
pub fn severity(r: Reader, severity: &str) -> String {
    word(r, "severity", severity)
}

/// An incident kind: `arrest_detention` → "arrest or detention".
pub fn kind(r: Reader, kind: &str) -> String {
    word(r, "kind", kind)
}

/// A closing outcome: `referred_out` → "referred elsewhere".
pub fn outcome(r: Reader, outcome: &str) -> String {
    word(r, "outcome", outcome)
}

/// A staff role: `handler` → "case handler".
pub fn role(r: Reader, role: &str) -> String {
    word(r, "role", role)
}

/// Several roles, joined.
pub fn roles(r: Reader, roles: &[String]) -> String {
    roles.iter().map(|role| self::role(r, role)).collect::<Vec<_>>().join(", ")
}

/// A country by its ISO code, in the reader's language.
pub fn country(r: Reader, code: &str) -> String {
    countries::name(r.tr(), code)
}

/// A language by its tag (`my`), in the reader's language.
pub fn language(r: Reader, tag: &str) -> String {
    word(r, "lang", tag)
}

/// A need the requester ticked (`digital_security`), from the requester's words.
pub fn need(r: Reader, need: &str) -> String {
    let id = match need {
        "digital_security" => "need-digital".to_owned(),
        other => format!("need-{other}"),
    };
    if Translator::has(shelter_shared::language::Language::English, &id) { r.t(&id) } else { need.to_owned() }
}

/// A referral's state: `awaiting_consent` → "waiting for the requester's consent".
pub fn referral_state(r: Reader, state: &str) -> String {
    word(r, "referral", state)
}

/// A part of a referral packet: `legal_help` → "legal help needed".
pub fn packet_field(r: Reader, field: &str) -> String {
    word(r, "packet", field)
}

/// A partner's kind: `lawyer`, `organisation`.
pub fn partner_kind(r: Reader, kind: &str) -> String {
    word(r, "partner", kind)
}

/// A partner's capacity: `available`, `limited`, `full`.
pub fn capacity(r: Reader, capacity: &str) -> String {
    word(r, "capacity", capacity)
}

/// A deadline's clock: `acknowledge`, `decide`, `disburse`.
pub fn clock(r: Reader, clock: &str) -> String {
    word(r, "clock", clock)
}

/// A danger alert on a queue line: `duress`, `custody`, `check_in_missed`.
pub fn alert(r: Reader, alert: &str) -> String {
    word(r, "alert", alert)
}

/// A timeline event: `case.triaged` → "triaged".
pub fn event(r: Reader, action: &str) -> String {
    word(r, "event", action)
}

/// A session's kind: `browser`, `api`.
pub fn session_kind(r: Reader, kind: &str) -> String {
    word(r, "session", kind)
}

/// A span of time in words, "3 hours"; negative spans are overdue ("overdue by 2 hours").
pub fn span(r: Reader, seconds: i64) -> String {
    let abs = seconds.unsigned_abs();
    let n = |v: u64| usize::try_from(v).unwrap_or(usize::MAX);
    let text = if abs >= 86_400 {
        r.t_num("word-days", "n", n(abs / 86_400))
    } else if abs >= 3600 {
        r.t_num("word-hours", "n", n(abs / 3600))
    } else {
        r.t_num("word-minutes", "n", n(abs / 60))
    };
    if seconds < 0 { r.t_text("word-overdue", "span", &text) } else { text }
}

#[cfg(test)]
mod tests {
    use shelter_shared::case::{CaseState, Outcome};
    use shelter_shared::intake::{IncidentKind, Severity};
    use shelter_shared::language::Language;
    use shelter_shared::referral::{PacketField, ReferralState};
    use shelter_shared::staff::Role;

    use super::*;

    /// Every code the pages show has its word in every language: none shows as a code.
    #[test]
    fn every_code_has_its_word_in_every_language() {
        let codes: Vec<(&str, String)> = CaseState::ALL
            .iter()
            .map(|s| ("state", s.as_str().to_owned()))
            .chain(Severity::ALL.iter().map(|s| ("severity", s.as_str().to_owned())))
            .chain(IncidentKind::ALL.iter().map(|s| ("kind", s.as_str().to_owned())))
            .chain(Outcome::ALL.iter().map(|s| ("outcome", s.as_str().to_owned())))
            .chain(Role::ALL.iter().map(|s| ("role", s.as_str().to_owned())))
            .chain(ReferralState::ALL.iter().map(|s| ("referral", s.as_str().to_owned())))
            .chain(PacketField::ALL.iter().map(|s| ("packet", s.as_str().to_owned())))
            .chain(Language::ALL.iter().map(|l| ("lang", l.tag().to_owned())))
            .collect();
        for language in Language::ALL {
            for (area, code) in &codes {
                let id = format!("word-{area}-{}", code.replace(['_', '.'], "-"));
                assert!(Translator::has(language, &id), "{}: no {id}", language.tag());
            }
        }
        let r = Reader::new(Language::English, 0);
        assert_eq!(kind(r, "arrest_detention"), "arrest or detention");
        assert_eq!(case_state(r, "on_hold"), "on hold");
        assert_eq!(event(r, "case.no_such_event"), "case.no_such_event", "an unknown code shows as itself");
        assert_eq!(span(r, -7200), "overdue by 2 hours");
    }
}
