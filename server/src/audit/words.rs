//! An entry's details in words, for the people reading the trail: a short sentence for the
//! common actions, a readable "key: value" list for the rest. Ids of staff members are
//! replaced by their names; the raw details stay in the API and the export.

use std::collections::HashMap;

use serde_json::Value;
use shelter_shared::audit::AuditAction;

/// Names to show in place of ids found in details: staff id → display name.
pub type Names = HashMap<String, String>;

/// One value in words: names for known ids, words for `snake_case` states, yes/no.
fn word(value: &Value, names: &Names) -> String {
    match value {
        Value::Null => "none".to_owned(),
        Value::Bool(true) => "yes".to_owned(),
        Value::Bool(false) => "no".to_owned(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => names.get(s).cloned().unwrap_or_else(|| s.replace('_', " ")),
        Value::Array(items) => items.iter().map(|v| word(v, names)).collect::<Vec<_>>().join(", "),
        Value::Object(_) => value.to_string(),
    }
}

/// The value under `key` in words, when present and not null.
fn get(details: &Value, key: &str, names: &Names) -> Option<String> {
    details.get(key).filter(|v| !v.is_null()).map(|v| word(v, names))
}

/// Every key and value, in the order recorded: "session kind: browser; second factor: totp".
fn listed(details: &Value, names: &Names) -> String {
    match details {
        Value::Object(map) => map
            .iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| format!("{}: {}", k.replace('_', " "), word(v, names)))
            .collect::<Vec<_>>()
            .join("; "),
        Value::Null => String::new(),
        other => word(other, names),
    }
}

/// "from X to Y" for an entry that moved something between states.
fn moved(details: &Value, names: &Names) -> Option<String> {
    Some(format!("from {} to {}", get(details, "from", names)?, get(details, "to", names)?))
}

/// A sentence for the common actions; `None` for the rest.
fn sentence(action: AuditAction, d: &Value, n: &Names) -> Option<String> {
    use AuditAction::*;
    let yes = |key: &str| d.get(key).and_then(Value::as_bool).unwrap_or(false);
    Some(match action {
        SignIn => {
            format!("Signed in ({}, second factor: {}).", get(d, "session_kind", n)?, get(d, "second_factor", n)?)
        }
        SignInFailed => format!("Sign-in failed at the {} step.", get(d, "step", n)?),
        RequesterSignIn => format!("The requester opened their case ({}).", get(d, "session_kind", n)?),
        RequesterSignInFailed => format!("A portal sign-in failed ({} failures in a row).", get(d, "failures", n)?),
        CaseCreated => {
            let kind = get(d, "kind", n).map(|k| format!(" about {k}")).unwrap_or_default();
            format!("Filed{kind} from {} in {}.", get(d, "country", n)?, get(d, "language", n)?)
        }
        CaseClaimed => {
            let also = if yes("acknowledged") { " and acknowledged it" } else { "" };
            format!("Took the case{also} (it was {}).", get(d, "from", n)?)
        }
        CaseTriaged => {
            let assignee = get(d, "assignee", n).map(|a| format!(", assigned to {a}")).unwrap_or_default();
            let again = if yes("retriage") { "Triaged again" } else { "Triaged" };
            format!("{again}: {} severity, {}{assignee}.", get(d, "severity", n)?, get(d, "kind", n)?)
        }
        CaseAcknowledged | CaseHeld | CaseResumed | CaseReopened => {
            format!("Case moved {}.", moved(d, n)?)
        }
        CaseClosed => {
            let outcome = get(d, "outcome", n).map(|o| format!(", outcome: {o}")).unwrap_or_default();
            format!("Case closed (was {}){outcome}.", get(d, "from", n)?)
        }
        CaseUnclaimed => format!("Gave the case back to the queue (it was {}).", get(d, "state", n)?),
        CaseReassigned => format!(
            "Reassigned the case from {} to {}.",
            get(d, "from", n).unwrap_or_else(|| "nobody".to_owned()),
            get(d, "to", n)?
        ),
        ConflictDeclared => {
            let off = if yes("unassigned") { "; taken off the case" } else { "" };
            format!("Declared a conflict of interest{off}.")
        }
        SlaBreached => format!("The {} deadline passed ({}).", get(d, "clock", n)?, get(d, "due_at", n)?),
        UserDisabled => format!("Account disabled; {} sessions ended.", get(d, "sessions_ended", n)?),
        AuthorisationRefused => format!("Refused: {}.", get(d, "reason", n).or_else(|| get(d, "action", n))?),
        AuditReviewed => {
            let what = get(d, "reviewed_action", n).map(|a| format!(" of a {a} decision")).unwrap_or_default();
            format!("Review{what}: {}.", get(d, "verdict", n)?)
        }
        ReferralApproved | ReferralAccepted | ReferralDeclined | ReferralConcluded | ReferralWithdrawn
        | ReferralConsented | ReferralRefused => format!("Referral moved {}.", moved(d, n)?),
        GrantApproved | GrantProvisionallyApproved | GrantRatified | GrantRejected | GrantCancelled | GrantReversed => {
            format!("Grant moved {}.", moved(d, n)?)
        }
        _ => return None,
    })
}

/// The details of an entry in words.
pub fn summary(action: &str, details: &Value, names: &Names) -> String {
    let action = action.parse::<AuditAction>().ok();
    if let Some(sentence) = action.and_then(|a| sentence(a, details, names)) {
        return sentence;
    }
    let list = listed(details, names);
    if list.is_empty() { action.map(|a| a.describe().to_owned()).unwrap_or_default() } else { list }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn common_actions_read_as_sentences_with_names() {
        let names = Names::from([("u-1".to_owned(), "Thida Win".to_owned())]);
        let reassigned = json!({"from": null, "to": "u-1", "state": "active"});
        assert_eq!(summary("case.reassigned", &reassigned, &names), "Reassigned the case from nobody to Thida Win.");
        let triaged =
            json!({"from": "new", "to": "active", "severity": "high", "kind": "relocation", "assignee": "u-1"});
        assert_eq!(
            summary("case.triaged", &triaged, &names),
            "Triaged: high severity, relocation, assigned to Thida Win."
        );
    }

    #[test]
    fn the_rest_reads_as_a_list_or_the_action_itself() {
        let names = Names::new();
        let details = json!({"address_changed": true, "handle_changed": false});
        assert_eq!(summary("notice.preferences_changed", &details, &names), "address changed: yes; handle changed: no");
        assert_eq!(summary("auth.step_up", &json!({}), &names), "A fresh second factor was confirmed.");
        // A sentence whose facts are missing falls back to the list rather than guessing.
        assert_eq!(summary("case.triaged", &json!({"severity": "low"}), &names), "severity: low");
    }
}
