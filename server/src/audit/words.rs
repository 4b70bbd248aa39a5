//! An entry's details in words, in the reader's language: a catalogue sentence for the common
//! actions; for the rest a readable "key: value" list in English (the keys are the trail's own
//! field names), and in the other languages nothing beyond the action's name, which the page
//! shows beside it. Ids of staff members and partners are replaced by their names, states by
//! words (`aword-v-…`); the raw details stay in the API and the export.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde_json::Value;
use shelter_frontend::i18n::Translator;
use shelter_frontend::reader::Reader;
use shelter_shared::audit::AuditAction;
use shelter_shared::language::Language;

/// Names to show in place of ids found in details: staff or partner id → display name.
pub type Names = HashMap<String, String>;

/// A recorded state or code in words, when the catalogue has a word for it.
pub fn value_word(r: Reader, code: &str) -> Option<String> {
    let id = format!("aword-v-{}", code.replace('_', "-"));
    Translator::has(Language::English, &id).then(|| r.t(&id))
}

/// One value in words: names for known ids, words for recorded states, yes/no.
fn word(r: Reader, value: &Value, names: &Names) -> String {
    match value {
        Value::Null => r.t("aword-none"),
        Value::Bool(true) => r.t("aword-yes"),
        Value::Bool(false) => r.t("aword-no"),
        Value::Number(n) => n.to_string(),
        Value::String(s) => names.get(s).cloned().or_else(|| value_word(r, s)).unwrap_or_else(|| s.replace('_', " ")),
        Value::Array(items) => items.iter().map(|v| word(r, v, names)).collect::<Vec<_>>().join(", "),
        Value::Object(_) => value.to_string(),
    }
}

/// The value under `key` in words, when present and not null.
fn get(r: Reader, details: &Value, key: &str, names: &Names) -> Option<String> {
    details.get(key).filter(|v| !v.is_null()).map(|v| word(r, v, names))
}

/// Every key and value, in the order recorded: "session kind: browser; second factor: totp".
fn listed(r: Reader, details: &Value, names: &Names) -> String {
    match details {
        Value::Object(map) => map
            .iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| format!("{}: {}", k.replace('_', " "), word(r, v, names)))
            .collect::<Vec<_>>()
            .join("; "),
        Value::Null => String::new(),
        other => word(r, other, names),
    }
}

/// A country code as the reader's country name; a language tag as that language's own name.
fn country(r: Reader, d: &Value) -> Option<String> {
    d.get("country").and_then(Value::as_str).map(|code| shelter_frontend::countries::name(r.tr(), code))
}

fn language(d: &Value) -> Option<String> {
    let tag = d.get("language").and_then(Value::as_str)?;
    Some(tag.parse::<Language>().map(|l| l.endonym().to_owned()).unwrap_or_else(|_| tag.to_owned()))
}

/// A recorded moment on the reader's clock.
fn moment(r: Reader, d: &Value, key: &str) -> Option<String> {
    let text = d.get(key)?.as_str()?;
    Some(DateTime::parse_from_rfc3339(text).map(|t| r.time(t.with_timezone(&Utc))).unwrap_or_else(|_| text.to_owned()))
}

/// A catalogue sentence for the common actions; `None` for the rest.
fn sentence(r: Reader, action: AuditAction, d: &Value, n: &Names) -> Option<String> {
    use AuditAction::*;
    let yes = |key: &str| d.get(key).and_then(Value::as_bool).unwrap_or(false);
    let g = |key: &str| get(r, d, key, n);
    let moved = |id: &str| Some(r.t_texts(id, &[("from", &g("from")?), ("to", &g("to")?)]));
    Some(match action {
        SignIn => r.t_texts("aud-s-sign-in", &[("kind", &g("session_kind")?), ("factor", &g("second_factor")?)]),
        SignInFailed => r.t_text("aud-s-sign-in-failed", "step", &g("step")?),
        RequesterSignIn => r.t_text("aud-s-requester-sign-in", "kind", &g("session_kind")?),
        RequesterSignInFailed => r.t_text("aud-s-requester-sign-in-failed", "count", &g("failures")?),
        CaseCreated => {
            let (country, language) = (country(r, d)?, language(d)?);
            match g("kind") {
                Some(kind) => r.t_texts(
                    "aud-s-case-created-kind",
                    &[("kind", &kind), ("country", &country), ("language", &language)],
                ),
                None => r.t_texts("aud-s-case-created", &[("country", &country), ("language", &language)]),
            }
        }
        CaseClaimed => {
            let id = if yes("acknowledged") { "aud-s-claimed-acknowledged" } else { "aud-s-claimed" };
            r.t_text(id, "state", &g("from")?)
        }
        CaseTriaged => {
            let again = yes("retriage");
            let (severity, kind) = (g("severity")?, g("kind")?);
            match g("assignee") {
                Some(name) => r.t_texts(
                    if again { "aud-s-retriaged-assigned" } else { "aud-s-triaged-assigned" },
                    &[("severity", &severity), ("kind", &kind), ("name", &name)],
                ),
                None => r.t_texts(
                    if again { "aud-s-retriaged" } else { "aud-s-triaged" },
                    &[("severity", &severity), ("kind", &kind)],
                ),
            }
        }
        CaseAcknowledged | CaseHeld | CaseResumed | CaseReopened => moved("aud-s-case-moved")?,
        CaseClosed => match g("outcome") {
            Some(outcome) => r.t_texts("aud-s-closed-outcome", &[("state", &g("from")?), ("outcome", &outcome)]),
            None => r.t_text("aud-s-closed", "state", &g("from")?),
        },
        CaseUnclaimed => r.t_text("aud-s-unclaimed", "state", &g("state")?),
        CaseReassigned => {
            let from = g("from").unwrap_or_else(|| r.t("aword-nobody"));
            r.t_texts("aud-s-reassigned", &[("from", &from), ("to", &g("to")?)])
        }
        ConflictDeclared => r.t(if yes("unassigned") { "aud-s-conflict-off" } else { "aud-s-conflict" }),
        SlaBreached => r.t_texts("aud-s-sla-breached", &[("clock", &g("clock")?), ("due", &moment(r, d, "due_at")?)]),
        UserCreated => r.t_text("aud-s-user-created", "roles", &g("roles")?),
        UserDisabled => r.t_text("aud-s-user-disabled", "count", &g("sessions_ended")?),
        UserPartnerLinked => r.t_text("aud-s-partner-linked", "name", &g("partner")?),
        AuthorisationRefused => r.t_text("aud-s-refused", "reason", &g("reason").or_else(|| g("action"))?),
        AuditReviewed => {
            let verdict = g("verdict")?;
            let reviewed = d.get("reviewed_action").and_then(Value::as_str).and_then(|a| a.parse().ok());
            match reviewed {
                Some(reviewed) => {
                    r.t_texts("aud-s-reviewed-of", &[("action", &action_label(r, reviewed)), ("verdict", &verdict)])
                }
                None => r.t_text("aud-s-reviewed", "verdict", &verdict),
            }
        }
        ReferralApproved | ReferralAccepted | ReferralDeclined | ReferralConcluded | ReferralWithdrawn
        | ReferralConsented | ReferralRefused => moved("aud-s-referral-moved")?,
        GrantApproved | GrantProvisionallyApproved | GrantRatified | GrantRejected | GrantCancelled | GrantReversed => {
            moved("aud-s-grant-moved")?
        }
        _ => return None,
    })
}

/// An action's name in the reader's language: "Account disabled".
pub fn action_label(r: Reader, action: AuditAction) -> String {
    r.t(&action_message_id(action))
}

/// The catalogue id of an action's name: `user.two_factor_reset` → `aud-action-user-two-factor-reset`.
pub fn action_message_id(action: AuditAction) -> String {
    format!("aud-action-{}", action.as_str().replace(['.', '_'], "-"))
}

/// The details of an entry in words, for `r`.
pub fn summary(r: Reader, action: &str, details: &Value, names: &Names) -> String {
    let action = action.parse::<AuditAction>().ok();
    if let Some(sentence) = action.and_then(|a| sentence(r, a, details, names)) {
        return sentence;
    }
    if r.language != Language::English {
        return String::new();
    }
    let list = listed(r, details, names);
    if list.is_empty() { action.map(|a| a.describe().to_owned()).unwrap_or_default() } else { list }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn en() -> Reader {
        Reader::default()
    }

    #[test]
    fn common_actions_read_as_sentences_with_names() {
        let names = Names::from([("u-1".to_owned(), "Thida Win".to_owned())]);
        let reassigned = json!({"from": null, "to": "u-1", "state": "active"});
        assert_eq!(
            summary(en(), "case.reassigned", &reassigned, &names),
            "Reassigned the case from nobody to Thida Win."
        );
        let triaged =
            json!({"from": "new", "to": "active", "severity": "high", "kind": "relocation", "assignee": "u-1"});
        assert_eq!(
            summary(en(), "case.triaged", &triaged, &names),
            "Triaged: high severity, relocation, assigned to Thida Win."
        );
    }

    #[test]
    fn the_rest_reads_as_a_list_or_the_action_itself() {
        let names = Names::new();
        let details = json!({"address_changed": true, "handle_changed": false});
        assert_eq!(
            summary(en(), "notice.preferences_changed", &details, &names),
            "address changed: yes; handle changed: no"
        );
        assert_eq!(summary(en(), "auth.step_up", &json!({}), &names), "A fresh second factor was confirmed.");
        // A sentence whose facts are missing falls back to the list rather than guessing.
        assert_eq!(summary(en(), "case.triaged", &json!({"severity": "low"}), &names), "severity: low");
    }

    #[test]
    fn sentences_and_values_are_in_the_readers_language() {
        let burmese = Reader::new(Language::Burmese, 390);
        let names = Names::from([("u-1".to_owned(), "Thida Win".to_owned())]);
        let triaged = json!({"severity": "high", "kind": "relocation", "assignee": "u-1"});
        let text = summary(burmese, "case.triaged", &triaged, &names);
        assert!(text.contains("Thida Win"), "{text}");
        let found = shelter_frontend::glossary::english_in(Language::Burmese, &text, &["Thida Win"]);
        assert!(found.is_empty(), "{text}: {found:?}");
        let signed_in = json!({"session_kind": "browser", "second_factor": "totp"});
        let text = summary(burmese, "auth.sign_in", &signed_in, &names);
        assert!(shelter_frontend::glossary::english_in(Language::Burmese, &text, &[]).is_empty(), "{text}");
        // Details without a sentence say nothing rather than English field names.
        assert_eq!(summary(burmese, "notice.preferences_changed", &json!({"address_changed": true}), &names), "");
    }

    #[test]
    fn every_action_has_a_name_in_every_language() {
        for action in AuditAction::ALL {
            for language in Language::ALL {
                let id = action_message_id(*action);
                assert!(Translator::has(language, &id), "{id} missing in {}", language.tag());
            }
        }
    }
}
