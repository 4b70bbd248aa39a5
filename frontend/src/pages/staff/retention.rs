//! Retention: the schedule (read-only), what the next purge would take, the held cases;
//! the legal-hold section of a case page; the page of a purged case.

use leptos::prelude::*;

use super::{Nav, csrf_field, error_line, nav};
use crate::layout::{PageMeta, document};

/// A case the next run would purge.
#[derive(Debug, Clone)]
pub struct DueRow {
    /// Link to the case, for those who may open it.
    pub href: Option<String>,
    /// Reference.
    pub reference: String,
    /// Why ("schedule" or "requested").
    pub reason: String,
    /// Outcome, or "—".
    pub outcome: String,
    /// Closed (or deletion asked) at, formatted.
    pub since: String,
}

/// A held case.
#[derive(Debug, Clone)]
pub struct HoldRow {
    /// Link to the case, for those who may open it.
    pub href: Option<String>,
    /// Reference.
    pub reference: String,
    /// "by NAME since TIME".
    pub placed: String,
    /// The lift form's action, when the viewer may lift it (policy).
    pub lift_action: Option<String>,
}

/// The retention page.
pub struct RetentionPage {
    /// Navigation.
    pub nav: Nav,
    /// CSRF token.
    pub csrf: String,
    /// The schedule: (what, how long).
    pub schedule: Vec<(String, String)>,
    /// Where the purge log is.
    pub purge_log: String,
    /// What the next run would purge (the oldest, at most a page).
    pub due: Vec<DueRow>,
    /// How many in all.
    pub due_total: i64,
    /// Held cases.
    pub holds: Vec<HoldRow>,
    /// The viewer confirmed a fresh second factor (lifting needs it).
    pub stepped_up: bool,
}

fn rationale() -> impl IntoView {
    view! { <div><label>"Rationale" <textarea name="rationale" required maxlength="5000" rows="2"></textarea></label></div> }
}

fn step_up_hint(stepped_up: bool) -> impl IntoView {
    (!stepped_up).then(|| {
        view! { <p class="quiet">"Lifting a hold needs a fresh code from your authenticator: confirm it on "<a href="/staff/account">"Account security"</a>" first."</p> }
    })
}

fn lift_form(action: String, csrf: &str) -> impl IntoView + use<> {
    view! {
        <form method="post" action=action>
            {csrf_field(csrf)}
            {rationale()}
            <div><button type="submit">"Lift the hold"</button></div>
        </form>
    }
}

/// A case's reference, linked when the reader may open the case.
fn case_link(href: Option<String>, reference: String) -> impl IntoView {
    match href {
        Some(href) => view! { <a href=href>{reference}</a> }.into_any(),
        None => view! { <span>{reference}</span> }.into_any(),
    }
}

/// Renders the retention page.
pub fn render(page: RetentionPage) -> String {
    let schedule = page.schedule.into_iter().map(|(what, how)| view! { <dt>{what}</dt><dd>{how}</dd> }).collect_view();
    let due = if page.due.is_empty() {
        view! { <p class="quiet">"Nothing is due: the next run would purge no case."</p> }.into_any()
    } else {
        let shown = page.due.len();
        let count = if i64::try_from(shown).unwrap_or(i64::MAX) < page.due_total {
            format!(
                "{} case(s) would be purged by the next run; the oldest {shown} (`shelter retention preview` lists all):",
                page.due_total
            )
        } else {
            format!("{shown} case(s) would be purged by the next run:")
        };
        let rows = page
            .due
            .into_iter()
            .map(|d| view! { <tr><td>{case_link(d.href, d.reference)}</td><td>{d.reason}</td><td>{d.outcome}</td><td>{d.since}</td></tr> })
            .collect_view();
        view! {
            <p>{count}</p>
            <div class="table-wrap" tabindex="0" role="region" aria-label="Cases to purge"><table><thead><tr><th>"Case"</th><th>"Why"</th><th>"Outcome"</th><th>"Closed or asked"</th></tr></thead><tbody>{rows}</tbody></table></div>
        }
        .into_any()
    };
    let csrf = page.csrf.clone();
    let holds = if page.holds.is_empty() {
        view! { <p class="quiet">"No case is under a legal hold."</p> }.into_any()
    } else {
        page.holds
            .into_iter()
            .map(|h| {
                let lift = h.lift_action.map(|action| lift_form(action, &csrf));
                view! { <div class="hold"><p>{case_link(h.href, h.reference)}" — held " {h.placed}</p>{lift}</div> }
            })
            .collect_view()
            .into_any()
    };
    let body = view! {
        {nav(page.nav)}
        <h1>"Retention"</h1>
        <p>"Personal data is purged on this schedule: the case's key is destroyed and its narrative, contacts, messages, notes, attachments, referral packets, payee details and rationales are deleted. Statistics and the audit trail remain. The schedule is set by the server's settings."</p>
        <dl class="facts">{schedule}</dl>
        <p class="quiet">"Purge log (keep it with the master key): " <code>{page.purge_log}</code></p>
        <h2>"Next purge"</h2>
        {due}
        <h2>"Legal holds"</h2>
        <p class="quiet">"A held case is not purged. A second supervisor, never the one who placed it, lifts the hold."</p>
        {step_up_hint(page.stepped_up)}
        {holds}
    };
    document(PageMeta { title: "Retention", lang: "en" }, body)
}

/// The legal-hold part of a case page.
#[derive(Debug, Clone, Default)]
pub struct HoldSection {
    /// "Held by NAME since TIME", when held.
    pub held: Option<String>,
    /// The requester asked for deletion: "purged after TIME unless cancelled".
    pub deletion: Option<String>,
    /// The place form's action, when the viewer may place one.
    pub place_action: Option<String>,
    /// The lift form's action, when the viewer may lift it.
    pub lift_action: Option<String>,
    /// The viewer confirmed a fresh second factor.
    pub stepped_up: bool,
}

/// Renders the legal-hold section (nothing for someone who may neither see nor act).
pub fn hold_section(csrf: &str, section: HoldSection) -> impl IntoView + use<> {
    let status = match &section.held {
        Some(text) => text.clone(),
        None => "No legal hold: the case is purged when its retention ends.".to_owned(),
    };
    let deletion = section.deletion.map(|d| view! { <p class="notice">{d}</p> });
    let place = section.place_action.map(|action| {
        view! {
            <form method="post" action=action>
                {csrf_field(csrf)}
                {rationale()}
                <div><button type="submit">"Place a legal hold"</button></div>
            </form>
        }
    });
    let stepped_up = section.stepped_up;
    let lift = section.lift_action.map(|action| view! { {step_up_hint(stepped_up)}{lift_form(action, csrf)} });
    view! {
        <h2>"Retention"</h2>
        <p>{status}</p>
        {deletion}
        {place}
        {lift}
    }
}

/// A purged case's page: only the skeleton is left.
pub struct PurgedPage {
    /// Navigation.
    pub nav: Nav,
    /// Reference.
    pub reference: String,
    /// "purged on DATE".
    pub purged_on: String,
    /// The facts kept: (label, text).
    pub facts: Vec<(String, String)>,
    /// Its grants' financial record, one line each.
    pub grants: Vec<String>,
    /// Timeline: (when, who, what); rationales sealed with the case key are shredded.
    pub timeline: Vec<(String, String, String)>,
    /// A problem to show.
    pub error: Option<String>,
}

/// Renders a purged case.
pub fn render_purged(page: PurgedPage) -> String {
    let facts = page.facts.into_iter().map(|(l, t)| view! { <dt>{l}</dt><dd>{t}</dd> }).collect_view();
    let grants = (!page.grants.is_empty()).then(|| {
        let items = page.grants.into_iter().map(|g| view! { <li>{g}</li> }).collect_view();
        view! { <h2>"Grants (financial record)"</h2><ul>{items}</ul> }
    });
    let timeline = page
        .timeline
        .into_iter()
        .map(|(at, who, what)| view! { <li>{at}" · " {who}" · " <code>{what}</code></li> })
        .collect_view();
    let title = format!("Case {}", page.reference);
    let purged = format!("This case was purged on {}.", page.purged_on);
    let body = view! {
        {nav(page.nav)}
        <h1>{title.clone()}</h1>
        {error_line(page.error.as_deref())}
        <p class="notice">{purged}" Its key was destroyed with the requester's words, contacts, messages, notes, attachments, referrals, payee details and rationales; only what statistics need remains."</p>
        <dl class="facts">{facts}</dl>
        {grants}
        <h2>"Timeline"</h2>
        <ol class="timeline">{timeline}</ol>
    };
    document(PageMeta { title: &title, lang: "en" }, body)
}
