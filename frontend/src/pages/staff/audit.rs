//! The audit trail for supervisors: filters, entries, reviews of decisions, export. Every word
//! comes from the reader's catalogue; times are on the reader's clock.

use chrono::{DateTime, Utc};
use leptos::prelude::*;

use super::{Nav, csrf_field, error_line, nav, notice_line};
use crate::layout::{PageMeta, document};

/// One entry in the table.
#[derive(Debug, Clone)]
pub struct AuditLine {
    /// Sequence number.
    pub seq: i64,
    /// When.
    pub at: DateTime<Utc>,
    /// Who, in words.
    pub actor: String,
    /// The action in words.
    pub action: String,
    /// The action's dotted name, kept on its cell for tools and tests (`data-action`).
    pub code: String,
    /// What it was done to, in words.
    pub subject: String,
    /// Rationale of a decision.
    pub rationale: Option<String>,
    /// Details in words.
    pub details: String,
    /// Whether it can be reviewed by the viewer.
    pub reviewable: bool,
    /// Reviews already recorded, in words ("name: reviewed; …").
    pub reviews: Option<String>,
}

/// The filter values, echoed into the form.
#[derive(Debug, Clone, Default)]
pub struct FilterValues {
    /// Case.
    pub case: String,
    /// Who acted or whom an entry is about.
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
    /// Every action for the picker: (dotted name, name in words).
    pub actions: Vec<(String, String)>,
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
    let r = page.nav.reader;
    let csrf = page.csrf.clone();
    let f = page.filter.clone();
    let options = page
        .actions
        .iter()
        .map(|(value, label)| {
            let selected = *value == f.action;
            view! { <option value=value.clone() selected=selected>{label.clone()}</option> }
        })
        .collect_view();
    let back = page.back.clone();
    let none = page.entries.is_empty().then(|| {
        let text = if page.error.is_some() { r.t("aud-none-invalid") } else { r.t("aud-none") };
        view! { <p class="quiet" role="status">{text}</p> }
    });
    let rows = page
        .entries
        .into_iter()
        .map(|e| {
            let reviewed = e.reviews.clone().map(|text| view! { <p class="quiet"><strong>{r.t("aud-reviewed")}</strong>" — " {text}</p> });
            let review = e.reviewable.then(|| {
                let action = format!("/staff/audit/{}/review", e.seq);
                view! {
                    <form method="post" action=action class="review">
                        {csrf_field(&csrf)}{hidden("back", &back)}
                        <select name="verdict" aria-label=r.t("aud-verdict")>
                            <option value="reviewed">{r.t("aword-v-reviewed")}</option><option value="concern">{r.t("aword-v-concern")}</option></select>
                        <input name="comment" required maxlength="2000" placeholder=r.t("aud-comment") aria-label=r.t("aud-comment") />
                        <button type="submit">{r.t("aud-record")}</button>
                    </form>
                }
            });
            view! {
                <tr>
                    <td>{e.seq}</td><td>{r.time(e.at)}</td><td>{e.actor}</td><td data-action=e.code>{e.action}</td><td>{e.subject}</td>
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
                <button type="submit">{r.t("aud-export-button")}</button>
            </form>
        }
        .into_any()
    } else {
        view! {
            <form method="post" action="/staff/step-up">
                {csrf_field(&page.csrf)}
                {hidden("next", "/staff/audit")}
                <label for="step-up-code">{r.t("aud-export-step-up")}</label>
                <input id="step-up-code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" required maxlength="6" />
                <button type="submit">{r.t("aud-confirm")}</button>
            </form>
        }
        .into_any()
    };
    let newest = page.newest_href.map(|href| view! { <a href=href>{r.t("aud-newest")}</a>" " });
    let older = page.next_href.map(|href| view! { <a href=href>{r.t("aud-older")}</a> });
    let next = view! { <p>{newest}{older}</p> };
    let title = r.t("aud-title");
    let time_header = r.t_text("aud-col-time", "zone", &r.zone());
    let body = view! {
        {nav(page.nav)}
        <h1>{title.clone()}</h1>
        {notice_line(page.notice.as_deref())}
        {error_line(page.error.as_deref())}
        <form method="get" action="/staff/audit" class="filters">
            <div><label for="case">{r.t("aud-filter-case")}</label><input id="case" name="case" value=f.case.clone() maxlength="100" /></div>
            <div><label for="actor">{r.t("aud-filter-who")}</label><input id="actor" name="actor" value=f.actor.clone() maxlength="254" /></div>
            <div><label for="action">{r.t("aud-filter-action")}</label><select id="action" name="action"><option value="">{r.t("aud-any")}</option>{options}</select></div>
            <div><label for="from">{r.t("aud-filter-from")}</label><input id="from" name="from" value=f.from.clone() maxlength="40" /></div>
            <div><label for="to">{r.t("aud-filter-to")}</label><input id="to" name="to" value=f.to.clone() maxlength="40" /></div>
            <div><label class="check"><input type="checkbox" name="unreviewed" value="true" checked=f.unreviewed />
                " " {r.t("aud-filter-unreviewed")}</label></div>
            <div><button type="submit">{r.t("aud-filter")}</button></div>
        </form>
        {none}
        <table class="audit">
            <thead><tr><th>"#"</th><th>{time_header}</th><th>{r.t("aud-col-actor")}</th><th>{r.t("aud-col-action")}</th>
                <th>{r.t("aud-col-subject")}</th><th>{r.t("aud-col-rationale")}</th><th>{r.t("aud-col-details")}</th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
        {next}
        <h2>{r.t("aud-export")}</h2>
        {export}
    };
    document(PageMeta { title: &title, lang: r.language.tag() }, body)
}
