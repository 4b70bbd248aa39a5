//! The "requester's safety" part of a case page: the duress alert, custody mode and
//! check-ins, with the forms the viewer may use (the policy decides which).

use leptos::prelude::*;

use chrono::{DateTime, Utc};

use super::csrf_field;
use crate::reader::Reader;

/// A check-in schedule.
#[derive(Debug, Clone)]
pub struct Schedule {
    /// Hours between check-ins.
    pub every_hours: i32,
    /// Hours of grace.
    pub grace_hours: i32,
    /// Until.
    pub until: DateTime<Utc>,
    /// Next due.
    pub next_due: DateTime<Utc>,
    /// A safe word was agreed.
    pub safe_word: bool,
}

/// A check-in the requester made.
#[derive(Debug, Clone)]
pub struct CheckIn {
    /// When.
    pub at: DateTime<Utc>,
    /// `on_time`, `late`, or after a miss.
    pub standing: String,
    /// `portal` or `api`.
    pub via: String,
    /// A wrong safe word or a calm-view session.
    pub duress: bool,
}

/// A missed check-in.
#[derive(Debug, Clone)]
pub struct Miss {
    /// It was due.
    pub due: DateTime<Utc>,
    /// The handler was told.
    pub detected: DateTime<Utc>,
    /// The supervisors were told.
    pub supervisors_told: Option<DateTime<Utc>>,
    /// The requester checked in after all.
    pub answered: Option<DateTime<Utc>>,
}

/// What the section shows, as data the page puts in words.
#[derive(Debug, Clone, Default)]
pub struct DangerSection {
    /// The case id, for the form actions.
    pub case_id: String,
    /// Since when a duress alert stands.
    pub duress: Option<DateTime<Utc>>,
    /// Whether the requester set a second passphrase.
    pub duress_passphrase_set: bool,
    /// In custody mode since, and who set it.
    pub custody: Option<(DateTime<Utc>, String)>,
    /// The viewer may set custody mode.
    pub can_set_custody: bool,
    /// The viewer may lift it.
    pub can_lift_custody: bool,
    /// The viewer may schedule and end check-ins and clear the alert.
    pub can_watch: bool,
    /// The case is open (check-ins end when it closes).
    pub open: bool,
    /// The live schedule.
    pub schedule: Option<Schedule>,
    /// Check-ins, newest first.
    pub check_ins: Vec<CheckIn>,
    /// Missed slots, newest first.
    pub misses: Vec<Miss>,
}

fn rationale(r: Reader) -> impl IntoView {
    view! { <div><label>{r.t("case-rationale")}" " <textarea name="rationale" required maxlength="5000" rows="2"></textarea></label></div> }
}

fn form<F: IntoView + 'static>(action: String, csrf: &str, fields: F, button: String) -> impl IntoView + use<F> {
    view! {
        <form method="post" action=action>
            {csrf_field(csrf)}
            {fields}
            <div><button type="submit">{button}</button></div>
        </form>
    }
}

fn hours(r: Reader, hours: i32) -> String {
    r.t_num("word-hours", "n", usize::try_from(hours).unwrap_or(0))
}

fn check_in_line(r: Reader, c: &CheckIn) -> String {
    let standing = r.t(match c.standing.as_str() {
        "on_time" => "danger-on-time",
        "late" => "danger-late",
        _ => "danger-after-miss",
    });
    let via = r.t(if c.via == "portal" { "danger-via-portal" } else { "danger-via-api" });
    let line = r.t_texts("danger-checked-in", &[("at", &r.time(c.at)), ("standing", &standing), ("via", &via)]);
    if c.duress { format!("{line} — {}", r.t("danger-checked-in-duress")) } else { line }
}

fn miss_line(r: Reader, m: &Miss) -> String {
    let mut line = r.t_texts("danger-missed", &[("due", &r.time(m.due)), ("told", &r.time(m.detected))]);
    if let Some(at) = m.supervisors_told {
        line = format!("{line} {}", r.t_text("danger-supervisors-told", "at", &r.time(at)));
    }
    if let Some(at) = m.answered {
        line = format!("{line} {}", r.t_text("danger-answered", "at", &r.time(at)));
    }
    line
}

/// Renders the section.
pub fn section(r: Reader, csrf: &str, s: DangerSection) -> impl IntoView + use<> {
    let url = |what: &str| format!("/staff/cases/{}/danger/{what}", s.case_id);
    let duress = s.duress.map(|at| {
        let text = r.t_text("danger-duress", "since", &r.time(at));
        let clear = s.can_watch.then(|| form(url("clear-duress"), csrf, rationale(r), r.t("danger-clear-duress")));
        view! { <p class="error" id="duress-alert" role="alert">{text}</p>{clear} }
    });
    let second = r.t(if s.duress_passphrase_set { "danger-second-set" } else { "danger-second-unset" });
    let custody = match &s.custody {
        Some((since, by)) => {
            let text = r.t_texts("danger-custody", &[("since", &r.time(*since)), ("by", by)]);
            let lift =
                s.can_lift_custody.then(|| form(url("lift-custody"), csrf, rationale(r), r.t("danger-lift-custody")));
            view! { <p class="notice warning" id="custody">{text}</p>{lift} }.into_any()
        }
        None => s
            .can_set_custody
            .then(|| {
                view! {
                    <p class="quiet">{r.t("danger-custody-explained")}</p>
                    {form(url("custody"), csrf, rationale(r), r.t("danger-set-custody"))}
                }
            })
            .into_any(),
    };
    let misses = s
        .misses
        .iter()
        .map(|m| {
            let class = if m.answered.is_none() { "error" } else { "quiet" };
            view! { <li class=class>{miss_line(r, m)}</li> }
        })
        .collect_view();
    let history = s.check_ins.iter().map(|c| view! { <li>{check_in_line(r, c)}</li> }).collect_view();
    let schedule = match &s.schedule {
        Some(p) => {
            let mut text = r.t_texts(
                "danger-schedule",
                &[
                    ("every", &hours(r, p.every_hours)),
                    ("grace", &hours(r, p.grace_hours)),
                    ("until", &r.time(p.until)),
                    ("next", &r.time(p.next_due)),
                ],
            );
            if p.safe_word {
                text = format!("{text} {}", r.t("danger-safe-word-agreed"));
            }
            let end = s.can_watch.then(|| form(url("end-check-ins"), csrf, (), r.t("danger-end-check-ins")));
            view! { <p id="check-in-schedule">{text}</p>{end} }.into_any()
        }
        None => view! { <p class="quiet">{r.t("danger-no-check-ins")}</p> }.into_any(),
    };
    let plan = (s.can_watch && s.open).then(|| {
        let fields = view! {
            <div><label>{r.t("danger-every")}" " <input name="every_hours" type="number" min="1" max="720" value="24" required /></label></div>
            <div><label>{r.t("danger-grace")}" " <input name="grace_hours" type="number" min="0" max="168" value="6" required /></label></div>
            <div><label>{r.t("danger-until")}" " <input name="until" type="date" required /></label></div>
            <div><label>{r.t("danger-safe-word")}" "
                <input name="safe_word" type="password" maxlength="100" autocomplete="off" /></label></div>
        };
        view! { <h3>{r.t("danger-schedule-heading")}</h3>{form(url("check-ins"), csrf, fields, r.t("danger-schedule-button"))} }
    });
    view! {
        <h2 id="safety">{r.t("danger-heading")}</h2>
        {duress}
        <p class="quiet">{second}</p>
        {custody}
        <h3>{r.t("danger-check-ins")}</h3>
        {schedule}
        <ul class="misses">{misses}</ul>
        <ol class="check-ins">{history}</ol>
        {plan}
    }
}
