//! The staff home for handlers and supervisors: the triage queue.

use leptos::prelude::*;

use super::{Nav, csrf_field, nav};
use crate::layout::{PageMeta, document};
use crate::reader::Reader;
use crate::words;

/// One line of the queue: codes and spans, put in words by the page.
#[derive(Debug, Clone)]
pub struct QueueLine {
    /// Case id.
    pub id: String,
    /// Reference, with full access only.
    pub reference: Option<String>,
    /// State (`on_hold`).
    pub status: String,
    /// Severity set at triage (`critical`).
    pub severity: Option<String>,
    /// The requester's hint, before triage.
    pub severity_hint: Option<String>,
    /// Kind (`arrest_detention`).
    pub kind: String,
    /// Country (ISO code).
    pub country: String,
    /// Language (tag).
    pub language: String,
    /// Age in seconds.
    pub age_seconds: i64,
    /// Seconds left to the nearest deadline (negative when breached).
    pub seconds_left: Option<i64>,
    /// Breached.
    pub breached: bool,
    /// Due within the hour.
    pub due_soon: bool,
    /// Assignee's name.
    pub assignee: Option<String>,
    /// The viewer may open it.
    pub can_open: bool,
    /// The viewer may claim it.
    pub can_claim: bool,
    /// The viewer may give it back to the queue (its assigned handler).
    pub can_give_back: bool,
    /// Severity critical (set at triage, or the requester's hint before it).
    pub critical: bool,
    /// The requester wrote since the viewer last opened the case.
    pub unread: bool,
    /// The requester may be in danger: `duress`, `custody`, `check_in_missed`.
    pub alerts: Vec<String>,
}

/// A breached deadline, for supervisors.
#[derive(Debug, Clone)]
pub struct BreachLine {
    /// Case id.
    pub case_id: String,
    /// Which clock (`acknowledge`, `decide`, `disburse`).
    pub clock: String,
    /// When it was due.
    pub due: chrono::DateTime<chrono::Utc>,
}

/// The queue page.
pub struct QueuePage {
    /// Navigation.
    pub nav: Nav,
    /// CSRF token.
    pub csrf: String,
    /// The person's roles, as codes.
    pub roles: Vec<String>,
    /// The lines.
    pub lines: Vec<QueueLine>,
    /// Breaches (supervisors only).
    pub breaches: Option<Vec<BreachLine>>,
    /// What waits on the reader.
    pub waiting: Vec<super::waiting::WaitingItem>,
    /// Echo of the filters: status, severity, kind, country, mine.
    pub filters: [String; 5],
    /// Link to the next page.
    pub next_href: Option<String>,
    /// What is wrong with the filters, in the reader's words.
    pub error: Option<String>,
    /// The reference searched for, as typed.
    pub reference: String,
    /// The search found nothing the viewer may open.
    pub not_found: bool,
}

fn select(
    r: Reader,
    name: &'static str,
    label: String,
    options: Vec<(&'static str, String)>,
    current: &str,
) -> impl IntoView + use<> {
    let options = std::iter::once(("", r.t("word-any")))
        .chain(options)
        .map(|(value, text)| {
            let selected = value == current;
            view! { <option value=value selected=selected>{text}</option> }
        })
        .collect_view();
    view! { <div><label for=name>{label}</label><select id=name name=name>{options}</select></div> }
}

/// The queue's filter choices: each code with its words.
fn choices(r: Reader, codes: &[&'static str], word: fn(Reader, &str) -> String) -> Vec<(&'static str, String)> {
    codes.iter().map(|code| (*code, word(r, code))).collect()
}

/// Renders the queue.
pub fn render(page: QueuePage) -> String {
    let r = page.nav.reader;
    let csrf = page.csrf.clone();
    let [status, severity, kind, country, mine] = page.filters;
    let lines = page
        .lines
        .into_iter()
        .map(|l| {
            let open = l.can_open.then(|| {
                let href = format!("/staff/cases/{}", l.id);
                view! { <a href=href>{l.reference.clone().unwrap_or_else(|| r.t("queue-open"))}</a> }
            });
            let claim = l.can_claim.then(|| {
                let action = format!("/staff/cases/{}/claim", l.id);
                view! { <form method="post" action=action class="inline">{csrf_field(&csrf)}<button type="submit">{r.t("queue-claim")}</button></form> }
            });
            let give_back = l.can_give_back.then(|| {
                let action = format!("/staff/cases/{}/unclaim", l.id);
                view! { <form method="post" action=action class="inline">{csrf_field(&csrf)}<button type="submit">{r.t("queue-give-back")}</button></form> }
            });
            let class = if l.breached { "breached" } else if l.due_soon { "due-soon" } else { "" };
            let alerts = (!l.alerts.is_empty()).then(|| {
                let text = l.alerts.iter().map(|a| words::alert(r, a)).collect::<Vec<_>>().join(", ");
                view! { <br /><strong class="alert">{text}</strong> }
            });
            // Words, not colour alone: the row says what makes it urgent.
            let markers: Vec<_> = [
                (l.breached, "queue-mark-overdue", "queue-mark-overdue-title"),
                (l.due_soon, "queue-mark-due-soon", "queue-mark-due-soon-title"),
                (l.critical, "queue-mark-critical", "queue-mark-critical-title"),
                (l.unread, "queue-mark-unread", "queue-mark-unread-title"),
            ]
            .into_iter()
            .filter(|(on, ..)| *on)
            .collect();
            let marked = !markers.is_empty();
            let markers = markers
                .into_iter()
                .enumerate()
                .map(|(i, (_, word, title))| {
                    view! { {(i > 0).then_some(" · ")}<strong class="marker" title=r.t(title)>{r.t(word)}</strong> }
                })
                .collect_view();
            let markers = view! { {markers}{marked.then(|| view! { <br /> })} };
            let severity = match (&l.severity, &l.severity_hint) {
                (Some(s), _) => words::severity(r, s),
                (None, Some(hint)) => r.t_text("word-hint", "value", &words::severity(r, hint)),
                (None, None) => r.t("word-none"),
            };
            let time_left = l.seconds_left.map(|s| words::span(r, s)).unwrap_or_else(|| r.t("word-none"));
            view! {
                <tr class=class>
                    <td>{markers}{time_left}</td><td>{severity}</td><td>{words::kind(r, &l.kind)}</td>
                    <td>{words::country(r, &l.country)}</td><td>{words::language(r, &l.language)}</td>
                    <td>{words::span(r, l.age_seconds)}</td><td>{words::case_state(r, &l.status)}</td>
                    <td>{l.assignee.unwrap_or_else(|| r.t("word-none"))}</td><td>{open}{claim}{give_back}{alerts}</td>
                </tr>
            }
        })
        .collect_view();
    let breaches = page.breaches.map(|list| {
        let items = list
            .into_iter()
            .map(|b| {
                let href = format!("/staff/cases/{}", b.case_id);
                let case: String = b.case_id.chars().take(8).collect();
                let text = r.t_texts("queue-breach", &[("clock", &words::clock(r, &b.clock)), ("due", &r.time(b.due))]);
                view! { <li><a href=href>{case}</a>" " {text}</li> }
            })
            .collect_view();
        view! { <h2>{r.t("queue-breaches")}</h2><ul class="breaches">{items}</ul> }
    });
    let next = page.next_href.map(|href| view! { <p><a href=href>{r.t("queue-next")}</a></p> });
    let roles = words::roles(r, &page.roles);
    let mine_checked = mine == "true";
    let title = r.t("queue-title");
    let states = choices(r, &["new", "acknowledged", "active", "on_hold", "closed"], words::case_state);
    let severities = choices(r, &["critical", "high", "medium", "low"], words::severity);
    let kinds = choices(
        r,
        &[
            "arrest_detention",
            "criminal_charges",
            "threat_attack",
            "digital_attack",
            "relocation",
            "medical",
            "not_sure",
        ],
        words::kind,
    );
    let reference = page.reference.clone();
    let body = view! {
        {nav(page.nav)}
        <h1>{title.clone()}</h1>
        <p class="quiet">{r.t_text("queue-intro", "roles", &roles)}</p>
        {page.error.map(|e| view! { <p class="error" role="alert">{e}</p> })}
        {super::waiting::section(r, page.waiting)}
        {breaches}
        <form method="get" action="/staff" class="filters" role="search">
            <div><label for="reference">{r.t("queue-reference")}</label><input id="reference" name="reference" maxlength="20" placeholder="SH-XXXX-XXXX" value=page.reference.clone() /></div>
            <div><button type="submit">{r.t("queue-find")}</button></div>
        </form>
        {page.not_found.then(|| view! { <p role="status">{r.t_text("queue-not-found", "reference", &reference)}</p> })}
        <form method="get" action="/staff" class="filters">
            {select(r, "status", r.t("queue-status"), states, &status)}
            {select(r, "severity", r.t("queue-severity"), severities, &severity)}
            {select(r, "kind", r.t("queue-kind"), kinds, &kind)}
            <div><label for="country">{r.t("queue-country")}</label><input id="country" name="country" maxlength="2" value=country /></div>
            <div><label class="check"><input type="checkbox" name="mine" value="true" checked=mine_checked />" " {r.t("queue-mine")}</label></div>
            <div><button type="submit">{r.t("queue-filter")}</button></div>
        </form>
        <div class="table-wrap" tabindex="0" role="region" aria-label=r.t("queue-cases")><table>
            <thead><tr><th>{r.t("queue-due")}</th><th>{r.t("queue-severity")}</th><th>{r.t("queue-kind")}</th><th>{r.t("queue-country")}</th>
                <th>{r.t("queue-language")}</th><th>{r.t("queue-age")}</th><th>{r.t("queue-status")}</th><th>{r.t("queue-assignee")}</th>
                <th><span class="visually-hidden">{r.t("queue-actions")}</span></th></tr></thead>
            <tbody>{lines}</tbody>
        </table></div>
        {next}
    };
    document(PageMeta { title: &title, lang: r.language.tag() }, body)
}
