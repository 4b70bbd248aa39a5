//! The staff home for handlers and supervisors: the triage queue.

use leptos::prelude::*;

use super::{Nav, csrf_field, nav};
use crate::layout::{PageMeta, document};

/// One line of the queue.
#[derive(Debug, Clone)]
pub struct QueueLine {
    /// Case id.
    pub id: String,
    /// Reference, with full access only.
    pub reference: Option<String>,
    /// State.
    pub status: String,
    /// Severity, or the requester's hint marked "(hint)".
    pub severity: String,
    /// Kind.
    pub kind: String,
    /// Country.
    pub country: String,
    /// Language.
    pub language: String,
    /// Age in words.
    pub age: String,
    /// Time left in words ("overdue 2 h" when breached).
    pub time_left: String,
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
    /// The requester may be in danger, in words ("duress alert", "custody mode", "check-in missed").
    pub alerts: Vec<String>,
}

/// A breached deadline, for supervisors.
#[derive(Debug, Clone)]
pub struct BreachLine {
    /// Case id.
    pub case_id: String,
    /// Which clock.
    pub clock: String,
    /// When it was due.
    pub due: String,
}

/// The queue page.
pub struct QueuePage {
    /// Navigation.
    pub nav: Nav,
    /// CSRF token.
    pub csrf: String,
    /// The person's roles, in words.
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
    /// A problem with the filters.
    pub error: Option<String>,
    /// The reference searched for, as typed.
    pub reference: String,
    /// The search found nothing the viewer may open.
    pub not_found: bool,
}

fn select(name: &'static str, label: &'static str, options: &[&'static str], current: &str) -> impl IntoView + use<> {
    let options = options
        .iter()
        .map(|o| {
            let selected = *o == current;
            view! { <option value=*o selected=selected>{if o.is_empty() { "any" } else { o }}</option> }
        })
        .collect_view();
    view! { <div><label for=name>{label}</label><select id=name name=name>{options}</select></div> }
}

/// Renders the queue.
pub fn render(page: QueuePage) -> String {
    let csrf = page.csrf.clone();
    let reader = page.nav.reader;
    let [status, severity, kind, country, mine] = page.filters;
    let lines = page
        .lines
        .into_iter()
        .map(|l| {
            let open = l.can_open.then(|| {
                let href = format!("/staff/cases/{}", l.id);
                view! { <a href=href>{l.reference.clone().unwrap_or_else(|| "Open".into())}</a> }
            });
            let claim = l.can_claim.then(|| {
                let action = format!("/staff/cases/{}/claim", l.id);
                view! { <form method="post" action=action class="inline">{csrf_field(&csrf)}<button type="submit">"Claim"</button></form> }
            });
            let give_back = l.can_give_back.then(|| {
                let action = format!("/staff/cases/{}/unclaim", l.id);
                view! { <form method="post" action=action class="inline">{csrf_field(&csrf)}<button type="submit">"Give back"</button></form> }
            });
            let class = if l.breached { "breached" } else if l.due_soon { "due-soon" } else { "" };
            let alerts = (!l.alerts.is_empty()).then(|| view! { <br /><strong class="alert">{l.alerts.join(", ")}</strong> });
            // Words, not colour alone: the row says what makes it urgent.
            let markers: Vec<_> = [
                (l.breached, "Overdue", "Deadline passed"),
                (l.due_soon, "Due soon", "Deadline within the hour"),
                (l.critical, "Critical", "Critical severity"),
                (l.unread, "Unread", "The requester wrote since you last opened this case"),
            ]
            .into_iter()
            .filter(|(on, ..)| *on)
            .collect();
            let marked = !markers.is_empty();
            let markers = markers
                .into_iter()
                .enumerate()
                .map(|(i, (_, word, title))| {
                    view! { {(i > 0).then_some(" · ")}<strong class="marker" title=title>{word}</strong> }
                })
                .collect_view();
            let markers = view! { {markers}{marked.then(|| view! { <br /> })} };
            view! {
                <tr class=class>
                    <td>{markers}{l.time_left}</td><td>{l.severity}</td><td>{l.kind}</td><td>{l.country}</td><td>{l.language}</td>
                    <td>{l.age}</td><td>{l.status}</td><td>{l.assignee.unwrap_or_else(|| "—".into())}</td><td>{open}{claim}{give_back}{alerts}</td>
                </tr>
            }
        })
        .collect_view();
    let breaches = page.breaches.map(|list| {
        let items = list
            .into_iter()
            .map(|b| {
                let href = format!("/staff/cases/{}", b.case_id);
                view! { <li><a href=href>{b.case_id.chars().take(8).collect::<String>()}</a>" missed its " {b.clock} " deadline (" {b.due} ")"</li> }
            })
            .collect_view();
        view! { <h2>"SLA breaches"</h2><ul class="breaches">{items}</ul> }
    });
    let next = page.next_href.map(|href| view! { <p><a href=href>"Next page"</a></p> });
    let roles = page.roles.join(", ");
    let mine_checked = mine == "true";
    let body = view! {
        {nav(page.nav)}
        <h1>"Triage queue"</h1>
        <p class="quiet">"Signed in as " {roles} ". Nearest deadline first. Unassigned cases show only a preview until claimed."</p>
        {page.error.map(|e| view! { <p class="error" role="alert">{e}</p> })}
        {super::waiting::section(reader, page.waiting)}
        {breaches}
        <form method="get" action="/staff" class="filters" role="search">
            <div><label for="reference">"Case reference"</label><input id="reference" name="reference" maxlength="20" placeholder="SH-XXXX-XXXX" value=page.reference.clone() /></div>
            <div><button type="submit">"Find"</button></div>
        </form>
        {page.not_found.then(|| view! { <p role="status">"No case you can open has the reference " <strong>{page.reference.clone()}</strong> ". Cases you see only as a preview are not found by reference."</p> })}
        <form method="get" action="/staff" class="filters">
            {select("status", "Status", &["", "new", "acknowledged", "active", "on_hold", "closed"], &status)}
            {select("severity", "Severity", &["", "critical", "high", "medium", "low"], &severity)}
            {select("kind", "Kind", &["", "arrest_detention", "criminal_charges", "threat_attack", "digital_attack", "relocation", "medical", "not_sure"], &kind)}
            <div><label for="country">"Country"</label><input id="country" name="country" maxlength="2" value=country /></div>
            <div><label class="check"><input type="checkbox" name="mine" value="true" checked=mine_checked />" Mine only"</label></div>
            <div><button type="submit">"Filter"</button></div>
        </form>
        <div class="table-wrap" tabindex="0" role="region" aria-label="Cases"><table>
            <thead><tr><th>"Due"</th><th>"Severity"</th><th>"Kind"</th><th>"Country"</th><th>"Lang"</th><th>"Age"</th><th>"Status"</th><th>"Assignee"</th><th><span class="visually-hidden">"Actions"</span></th></tr></thead>
            <tbody>{lines}</tbody>
        </table></div>
        {next}
    };
    document(PageMeta { title: "Triage queue", lang: "en" }, body)
}
