//! Retention: the schedule (read-only), what the next purge would take, the held cases;
//! the legal-hold section of a case page; the page of a purged case.

use leptos::prelude::*;

use super::{Nav, csrf_field, error_line, nav};
use crate::layout::{PageMeta, document};
use crate::reader::Reader;

/// A case the next run would purge.
#[derive(Debug, Clone)]
pub struct DueRow {
    /// Link to the case, for those who may open it.
    pub href: Option<String>,
    /// Reference.
    pub reference: String,
    /// Why: `schedule` or `requested`.
    pub reason: String,
    /// Outcome in words, or "—".
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
    /// Who placed it.
    pub placed_by: String,
    /// Since when, on the reader's clock.
    pub since: String,
    /// The lift form's action, when the viewer may lift it (policy).
    pub lift_action: Option<String>,
}

/// The retention page.
pub struct RetentionPage {
    /// Navigation.
    pub nav: Nav,
    /// CSRF token.
    pub csrf: String,
    /// The schedule: days for declined cases, months for resolved ones, days of cooling
    /// off after a requester asks, years payment references are kept.
    pub schedule: [i64; 4],
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

fn rationale(r: Reader) -> impl IntoView {
    view! { <div><label>{r.t("ret-rationale")} " " <textarea name="rationale" required maxlength="5000" rows="2"></textarea></label></div> }
}

fn step_up_hint(r: Reader, stepped_up: bool) -> impl IntoView {
    (!stepped_up).then(|| {
        view! { <p class="quiet">{r.t("ret-step-up-hint")} " " <a href="/staff/account">{r.t("nav-account")}</a></p> }
    })
}

fn lift_form(r: Reader, action: String, csrf: &str) -> impl IntoView + use<> {
    view! {
        <form method="post" action=action>
            {csrf_field(csrf)}
            {rationale(r)}
            <div><button type="submit">{r.t("ret-lift")}</button></div>
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
    let r = page.nav.reader;
    let [declined, closed, cooling, accounts] = page.schedule.map(|n| usize::try_from(n).unwrap_or(0));
    let schedule = [
        (r.t("ret-sched-declined"), r.t_num("ret-sched-days-after-closing", "count", declined)),
        (r.t("ret-sched-resolved"), r.t_num("ret-sched-months-after-closing", "count", closed)),
        (r.t("ret-sched-requested"), r.t_num("ret-sched-days-after-asking", "count", cooling)),
        (r.t("ret-sched-payments"), r.t_num("ret-sched-payments-kept", "count", accounts)),
    ]
    .into_iter()
    .map(|(what, how)| view! { <dt>{what}</dt><dd>{how}</dd> })
    .collect_view();
    let due = if page.due.is_empty() {
        view! { <p class="quiet">{r.t("ret-nothing-due")}</p> }.into_any()
    } else {
        let shown = page.due.len();
        let total = usize::try_from(page.due_total).unwrap_or(usize::MAX);
        let count = if shown < total {
            r.t_texts("ret-due-some", &[("total", &total.to_string()), ("shown", &shown.to_string())])
        } else {
            r.t_num("ret-due-all", "count", shown)
        };
        let rows = page
            .due
            .into_iter()
            .map(|d| {
                let reason = r.t(if d.reason == "requested" { "ret-reason-requested" } else { "ret-reason-schedule" });
                view! { <tr><td>{case_link(d.href, d.reference)}</td><td>{reason}</td><td>{d.outcome}</td><td>{d.since}</td></tr> }
            })
            .collect_view();
        view! {
            <p>{count}</p>
            <div class="table-wrap" tabindex="0" role="region" aria-label=r.t("ret-due-region")><table><thead><tr><th>{r.t("ret-col-case")}</th>
                <th>{r.t("ret-col-why")}</th><th>{r.t("ret-col-outcome")}</th><th>{r.t("ret-col-since")}</th></tr></thead><tbody>{rows}</tbody></table></div>
        }
        .into_any()
    };
    let csrf = page.csrf.clone();
    let holds = if page.holds.is_empty() {
        view! { <p class="quiet">{r.t("ret-no-holds")}</p> }.into_any()
    } else {
        page.holds
            .into_iter()
            .map(|h| {
                let lift = h.lift_action.map(|action| lift_form(r, action, &csrf));
                let held = r.t_texts("ret-held-by", &[("name", &h.placed_by), ("since", &h.since)]);
                view! { <div class="hold"><p>{case_link(h.href, h.reference)}" — " {held}</p>{lift}</div> }
            })
            .collect_view()
            .into_any()
    };
    let title = r.t("ret-title");
    let body = view! {
        {nav(page.nav)}
        <h1>{title.clone()}</h1>
        <p>{r.t("ret-intro")}</p>
        <dl class="facts">{schedule}</dl>
        <p class="quiet">{r.t("ret-purge-log")} " " <code>{page.purge_log}</code></p>
        <h2>{r.t("ret-next-purge")}</h2>
        {due}
        <h2>{r.t("ret-holds-title")}</h2>
        <p class="quiet">{r.t("ret-holds-hint")}</p>
        {step_up_hint(r, page.stepped_up)}
        {holds}
    };
    document(PageMeta { title: &title, lang: r.language.tag() }, body)
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
    /// Who reads the case page.
    pub reader: Reader,
}

/// Renders the legal-hold section (nothing for someone who may neither see nor act).
pub fn hold_section(csrf: &str, section: HoldSection) -> impl IntoView + use<> {
    let r = section.reader;
    let status = match &section.held {
        Some(text) => text.clone(),
        None => r.t("ret-case-no-hold"),
    };
    let deletion = section.deletion.map(|d| view! { <p class="notice">{d}</p> });
    let place = section.place_action.map(|action| {
        view! {
            <form method="post" action=action>
                {csrf_field(csrf)}
                {rationale(r)}
                <div><button type="submit">{r.t("ret-place")}</button></div>
            </form>
        }
    });
    let stepped_up = section.stepped_up;
    let lift = section.lift_action.map(|action| view! { {step_up_hint(r, stepped_up)}{lift_form(r, action, csrf)} });
    view! {
        <h2>{r.t("ret-title")}</h2>
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
    /// The day it was purged, in words.
    pub purged_on: String,
    /// The facts kept: (label, text).
    pub facts: Vec<(String, String)>,
    /// Its grants' financial record, one line each.
    pub grants: Vec<String>,
    /// Timeline: (when, who, what in words); rationales sealed with the case key are shredded.
    pub timeline: Vec<(String, String, String)>,
    /// A problem to show.
    pub error: Option<String>,
}

/// Renders a purged case.
pub fn render_purged(page: PurgedPage) -> String {
    let r = page.nav.reader;
    let facts = page.facts.into_iter().map(|(l, t)| view! { <dt>{l}</dt><dd>{t}</dd> }).collect_view();
    let grants = (!page.grants.is_empty()).then(|| {
        let items = page.grants.into_iter().map(|g| view! { <li>{g}</li> }).collect_view();
        view! { <h2>{r.t("ret-purged-grants")}</h2><ul>{items}</ul> }
    });
    let timeline =
        page.timeline.into_iter().map(|(at, who, what)| view! { <li>{at}" · " {who}" · " {what}</li> }).collect_view();
    let title = r.t_text("ret-purged-title", "reference", &page.reference);
    let purged = r.t_text("ret-purged-on", "date", &page.purged_on);
    let body = view! {
        {nav(page.nav)}
        <h1>{title.clone()}</h1>
        {error_line(page.error.as_deref())}
        <p class="notice">{purged}" " {r.t("ret-purged-what")}</p>
        <dl class="facts">{facts}</dl>
        {grants}
        <h2>{r.t("ret-timeline")}</h2>
        <ol class="timeline">{timeline}</ol>
    };
    document(PageMeta { title: &title, lang: r.language.tag() }, body)
}
