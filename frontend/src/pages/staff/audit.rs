//! The audit trail for supervisors: filters, entries, reviews of decisions, export.

use leptos::prelude::*;

use super::{Nav, csrf_field, error_line, nav, notice_line};
use crate::layout::{PageMeta, document};

/// One entry in the table.
#[derive(Debug, Clone)]
pub struct AuditLine {
    /// Sequence number.
    pub seq: i64,
    /// When, formatted.
    pub time: String,
    /// Who, in words.
    pub actor: String,
    /// Dotted action.
    pub action: String,
    /// What it was done to.
    pub subject: String,
    /// Rationale of a decision.
    pub rationale: Option<String>,
    /// Details in words.
    pub details: String,
    /// Whether it can be reviewed by the viewer.
    pub reviewable: bool,
    /// Reviews already recorded ("name: verdict; …").
    pub reviews: Option<String>,
}

/// The filter values, echoed into the form.
#[derive(Debug, Clone, Default)]
pub struct FilterValues {
    /// Case.
    pub case: String,
    /// Actor.
    pub actor: String,
    /// Action.
    pub action: String,
    /// From.
    pub from: String,
    /// To.
    pub to: String,
    /// Only decisions waiting for a review.
    pub unreviewed: bool,
}

/// What the page shows.
pub struct AuditPage {
    /// The navigation.
    pub nav: Nav,
    /// The session's CSRF token.
    pub csrf: String,
    /// The filters.
    pub filter: FilterValues,
    /// Every action name, for the picker.
    pub actions: Vec<String>,
    /// The entries.
    pub entries: Vec<AuditLine>,
    /// Link to the next (older) page.
    pub next_href: Option<String>,
    /// Link back to the newest entries under the same filters, when paged.
    pub newest_href: Option<String>,
    /// The filters as a query string, carried by review forms so the reviewer comes back to them.
    pub back: String,
    /// A fresh second factor allows export now.
    pub stepped_up: bool,
    /// A confirmation.
    pub notice: Option<String>,
    /// A problem.
    pub error: Option<String>,
}

fn hidden(name: &'static str, value: &str) -> impl IntoView + use<> {
    let value = value.to_owned();
    view! { <input type="hidden" name=name value=value /> }
}

/// Renders the page.
pub fn render(page: AuditPage) -> String {
    let csrf = page.csrf.clone();
    let f = page.filter.clone();
    let options = page
        .actions
        .iter()
        .map(|a| {
            let selected = *a == f.action;
            let (value, label) = (a.clone(), a.clone());
            view! { <option value=value selected=selected>{label}</option> }
        })
        .collect_view();
    let back = page.back.clone();
    let none = page.entries.is_empty().then(|| {
        let text = if page.error.is_some() {
            "Nothing is shown until the filters are corrected."
        } else {
            "No entries match these filters."
        };
        view! { <p class="quiet" role="status">{text}</p> }
    });
    let rows = page
        .entries
        .into_iter()
        .map(|e| {
            let reviewed = e.reviews.clone().map(|r| view! { <p class="quiet"><strong>"Reviewed"</strong>" — " {r}</p> });
            let review = e.reviewable.then(|| {
                let action = format!("/staff/audit/{}/review", e.seq);
                view! {
                    <form method="post" action=action class="review">
                        {csrf_field(&csrf)}{hidden("back", &back)}
                        <select name="verdict" aria-label="Verdict"><option value="reviewed">"Reviewed"</option><option value="concern">"Concern"</option></select>
                        <input name="comment" required maxlength="2000" placeholder="Comment" aria-label="Comment" />
                        <button type="submit">"Record"</button>
                    </form>
                }
            });
            view! {
                <tr>
                    <td>{e.seq}</td><td>{e.time}</td><td>{e.actor}</td><td><code>{e.action}</code></td><td>{e.subject}</td>
                    <td>{e.rationale.unwrap_or_default()}{reviewed}{review}</td><td class="details">{e.details}</td>
                </tr>
            }
        })
        .collect_view();
    let export = if page.stepped_up {
        view! {
            <form method="post" action="/staff/audit/export">
                {csrf_field(&page.csrf)}
                {hidden("case", &f.case)}{hidden("actor", &f.actor)}{hidden("action", &f.action)}{hidden("from", &f.from)}{hidden("to", &f.to)}
                {f.unreviewed.then(|| hidden("unreviewed", "true"))}
                <button type="submit">"Export this view as CSV"</button>
            </form>
        }
        .into_any()
    } else {
        view! {
            <form method="post" action="/staff/step-up">
                {csrf_field(&page.csrf)}
                {hidden("next", "/staff/audit")}
                <label for="step-up-code">"To export, confirm with a fresh six-digit code"</label>
                <input id="step-up-code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" required maxlength="6" />
                <button type="submit">"Confirm"</button>
            </form>
        }
        .into_any()
    };
    let newest = page.newest_href.map(|href| view! { <a href=href>"Newest entries"</a>" " });
    let older = page.next_href.map(|href| view! { <a href=href>"Older entries"</a> });
    let next = view! { <p>{newest}{older}</p> };
    let body = view! {
        {nav(page.nav)}
        <h1>"Audit trail"</h1>
        {notice_line(page.notice.as_deref())}
        {error_line(page.error.as_deref())}
        <form method="get" action="/staff/audit" class="filters">
            <div><label for="case">"Case (reference)"</label><input id="case" name="case" value=f.case.clone() maxlength="100" /></div>
            <div><label for="actor">"Who (name, e-mail or case reference)"</label><input id="actor" name="actor" value=f.actor.clone() maxlength="254" /></div>
            <div><label for="action">"Action"</label><select id="action" name="action"><option value="">"Any"</option>{options}</select></div>
            <div><label for="from">"From (YYYY-MM-DD)"</label><input id="from" name="from" value=f.from.clone() maxlength="40" /></div>
            <div><label for="to">"To (YYYY-MM-DD)"</label><input id="to" name="to" value=f.to.clone() maxlength="40" /></div>
            <div><label class="check"><input type="checkbox" name="unreviewed" value="true" checked=f.unreviewed />
                " Only decisions waiting for a review"</label></div>
            <div><button type="submit">"Filter"</button></div>
        </form>
        {none}
        <table class="audit">
            <thead><tr><th>"#"</th><th>"Time (UTC)"</th><th>"Actor"</th><th>"Action"</th><th>"Subject"</th><th>"Rationale"</th><th>"Details"</th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
        {next}
        <h2>"Export"</h2>
        {export}
    };
    document(PageMeta { title: "Audit trail", lang: "en" }, body)
}
