//! A case's timeline in plain words: each recorded event a sentence in the reader's
//! language, naming people rather than ids, with a run of requester portal sign-ins said
//! once ("signed in 4 times between … and …") instead of line after line.

use chrono::{DateTime, Utc};
use leptos::prelude::*;

use crate::reader::Reader;

/// Who did something on a case, as the timeline names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Who {
    /// The requester (through the portal or the intake).
    Requester,
    /// A staff member or partner account, by name.
    Staff(String),
    /// A voucher outside the staff.
    Voucher,
    /// Shelter itself (clocks, jobs).
    System,
}

/// One recorded event, as plain data.
#[derive(Debug, Clone)]
pub struct Happened {
    /// When.
    pub at: DateTime<Utc>,
    /// The audit action's stored name (`case.reassigned`).
    pub action: String,
    /// Who did it.
    pub who: Who,
    /// The checklist task it names, by title.
    pub task: Option<String>,
    /// What ticked a task by itself (`referral_approved`, `grant_decided`, `grant_paid`).
    pub ticked_by: Option<String>,
    /// Whom a reassignment took the case from (`None`: nobody held it).
    pub from: Option<String>,
    /// Whom it went to.
    pub to: Option<String>,
    /// The written rationale, when the reader may see it.
    pub why: Option<String>,
}

/// One line of the timeline, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// When (the first of a grouped run), on the reader's clock.
    pub when: String,
    /// The sentence.
    pub text: String,
    /// Why, when recorded and shown.
    pub why: Option<String>,
}

/// Actions that read as a sentence of their own (`cf-ev-` + the name with dashes).
const SENTENCES: [&str; 71] = [
    "case.created",
    "requester.sign_in",
    "requester.sign_in_failed",
    "requester.sign_out",
    "case.requester_message",
    "case.attachment_added",
    "case.claimed",
    "case.acknowledged",
    "case.triaged",
    "case.held",
    "case.resumed",
    "case.closed",
    "case.reopened",
    "case.staff_message",
    "case.note_added",
    "case.task_done",
    "case.task_undone",
    "case.unclaimed",
    "case.reassigned",
    "case.conflict_declared",
    "case.sla_breached",
    "referral.proposed",
    "referral.read",
    "grant.payee_read",
    "alumni.linked",
    "auth.refused",
    "case.vouchers_asked",
    "case.vouch_answered",
    "requester.duress_passphrase_set",
    "case.duress_signal",
    "case.duress_cleared",
    "case.custody_set",
    "case.custody_lifted",
    "requester.custody_sign_in",
    "case.check_ins_scheduled",
    "case.check_ins_ended",
    "case.checked_in",
    "case.check_in_missed",
    "requester.calm_session_action",
    "case.requester_news_on",
    "case.requester_news_off",
    "case.legal_hold_placed",
    "case.legal_hold_lifted",
    "case.purged",
    "case.deletion_requested",
    "case.deletion_cancelled",
    "case.summary_read",
    "referral.approved",
    "referral.consented",
    "referral.refused",
    "referral.withdrawn",
    "referral.accepted",
    "referral.declined",
    "referral.concluded",
    "referral.message",
    "grant.proposed",
    "grant.approved",
    "grant.provisionally_approved",
    "grant.ratified",
    "grant.rejected",
    "grant.frozen",
    "grant.ratification_overdue",
    "grant.payee_changed",
    "grant.approvals_voided",
    "grant.disbursed",
    "grant.receipt_confirmed",
    "grant.reported",
    "grant.receipt_due",
    "grant.report_due",
    "grant.cancelled",
    "grant.reversed",
];

/// The message id of an action's sentence.
fn message_id(action: &str) -> Option<String> {
    SENTENCES.contains(&action).then(|| format!("cf-ev-{}", action.replace(['.', '_'], "-")))
}

/// A person's name in words.
fn name(r: Reader, who: &Who) -> String {
    match who {
        Who::Requester => r.t("cf-who-requester"),
        Who::Staff(name) => name.clone(),
        Who::Voucher => r.t("cf-who-voucher"),
        Who::System => r.t("cf-who-system"),
    }
}

/// The sentence for one event.
fn sentence(r: Reader, e: &Happened) -> String {
    let who = name(r, &e.who);
    let task = e.task.clone().unwrap_or_else(|| r.t("cf-ev-task-unknown"));
    if e.action == "case.task_done" {
        let auto = match e.ticked_by.as_deref() {
            Some("referral_approved") => Some("cf-ev-task-auto-referral"),
            Some("grant_decided") => Some("cf-ev-task-auto-grant-decided"),
            Some("grant_paid") => Some("cf-ev-task-auto-grant-paid"),
            _ => None,
        };
        if let Some(id) = auto {
            return r.t_texts(id, &[("who", &who), ("task", &task)]);
        }
    }
    let from = e.from.clone().unwrap_or_else(|| r.t("cf-who-nobody"));
    let to = e.to.clone().unwrap_or_else(|| r.t("cf-who-nobody"));
    match message_id(&e.action) {
        Some(id) => r.t_texts(&id, &[("who", &who), ("task", &task), ("from", &from), ("to", &to)]),
        None => r.t_texts("cf-ev-other", &[("who", &who), ("action", &e.action)]),
    }
}

/// Runs of the same event that read better counted: portal sign-ins and failed ones.
fn grouped(action: &str) -> Option<&'static str> {
    match action {
        "requester.sign_in" => Some("cf-ev-sign-ins"),
        "requester.sign_in_failed" => Some("cf-ev-sign-ins-failed"),
        _ => None,
    }
}

/// The timeline in words, oldest first, runs of portal sign-ins said once.
pub fn lines(r: Reader, events: &[Happened]) -> Vec<Line> {
    let mut lines = vec![];
    let mut i = 0;
    while i < events.len() {
        let e = &events[i];
        let run = events[i..].iter().take_while(|n| n.action == e.action).count();
        match grouped(&e.action) {
            Some(id) if run > 1 => {
                let last = &events[i + run - 1];
                let text = r.tr().t_num_texts(id, "count", run, &[("from", &r.time(e.at)), ("to", &r.time(last.at))]);
                lines.push(Line { when: r.time(e.at), text, why: None });
                i += run;
            }
            _ => {
                lines.push(Line { when: r.time(e.at), text: sentence(r, e), why: e.why.clone() });
                i += 1;
            }
        }
    }
    lines
}

/// The timeline as an ordered list.
pub fn list(lines: Vec<Line>) -> impl IntoView {
    let items = lines
        .into_iter()
        .map(|l| {
            view! { <li><span class="quiet">{l.when}</span>" · " {l.text}{l.why.map(|w| view! { <br /><em>{w}</em> })}</li> }
        })
        .collect_view();
    view! { <ol class="timeline">{items}</ol> }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use shelter_shared::language::Language;

    use super::*;

    fn event(minute: u32, action: &str, who: Who) -> Happened {
        Happened {
            at: Utc.with_ymd_and_hms(2026, 12, 1, 9, minute, 0).unwrap(),
            action: action.to_owned(),
            who,
            task: None,
            ticked_by: None,
            from: None,
            to: None,
            why: None,
        }
    }

    #[test]
    fn consecutive_sign_ins_read_as_one_counted_line() {
        let r = Reader::new(Language::English, 420);
        let events = [
            event(0, "case.created", Who::Requester),
            event(1, "requester.sign_in", Who::Requester),
            event(2, "requester.sign_in", Who::Requester),
            event(3, "requester.sign_in", Who::Requester),
            event(4, "requester.sign_in", Who::Requester),
            event(5, "case.claimed", Who::Staff("Thida Win".into())),
            event(6, "requester.sign_in", Who::Requester),
        ];
        let lines = lines(r, &events);
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts.len(), 4, "{texts:?}");
        assert_eq!(
            texts[1],
            "The requester signed in to the portal 4 times between 2026-12-01 16:01 UTC+7 and 2026-12-01 16:04 UTC+7."
        );
        assert_eq!(texts[2], "Thida Win claimed the case.");
        assert_eq!(texts[3], "The requester signed in to the portal.");
    }

    #[test]
    fn names_and_tasks_fill_the_sentences_in_every_language() {
        let mut reassigned = event(0, "case.reassigned", Who::Staff("Mya".into()));
        reassigned.from = Some("Aung".into());
        reassigned.to = Some("Somchai".into());
        let mut ticked = event(1, "case.task_done", Who::Staff("Mya".into()));
        ticked.task = Some("Approve referral to a local lawyer".into());
        ticked.ticked_by = Some("referral_approved".into());
        for language in Language::ALL {
            let lines = lines(Reader::new(language, 0), &[reassigned.clone(), ticked.clone()]);
            for needle in ["Mya", "Aung", "Somchai"] {
                assert!(lines[0].text.contains(needle), "{}: {}", language.tag(), lines[0].text);
            }
            assert!(
                lines[1].text.contains("Approve referral to a local lawyer"),
                "{}: {}",
                language.tag(),
                lines[1].text
            );
            assert!(!lines.iter().any(|l| l.text.contains('$') || l.text.is_empty()), "{}", language.tag());
        }
    }

    #[test]
    fn every_sentence_exists_in_every_language() {
        for language in Language::ALL {
            for action in SENTENCES {
                let id = message_id(action).unwrap_or_default();
                assert!(crate::i18n::Translator::has(language, &id), "{}: {id}", language.tag());
            }
        }
    }
}
