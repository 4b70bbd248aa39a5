//! The alumni registry's pages: search, a member, linking a case, the case page's section.

use leptos::prelude::*;
use shelter_shared::alumni::{CaseMember, MemberDetails, MemberStatus, MemberSummary, TimelineEntry};

use super::{Nav, csrf_field, error_line, nav};
use crate::layout::{PageMeta, document};
use crate::reader::Reader;

/// The search page's data.
#[derive(Debug, Clone)]
pub struct SearchPage {
    /// Navigation.
    pub nav: Nav,
    /// CSRF token.
    pub csrf: String,
    /// The name, country and cohort searched for, as typed.
    pub query: [String; 3],
    /// Results, when a search was made.
    pub results: Option<Vec<MemberSummary>>,
    /// The reader manages the registry (the add form).
    pub can_manage: bool,
    /// The reader may export (administrators); whether a step-up is fresh.
    pub export: Option<bool>,
    /// A problem to show.
    pub error: Option<String>,
}

fn search_form(r: Reader, action: String, query: [String; 3]) -> impl IntoView {
    let [name, country, cohort] = query;
    view! {
        <form method="get" action=action class="filters">
            <div><label>{r.t("alu-search-name")} " " <input name="name" value=name maxlength="200" /></label></div>
            <div><label>{r.t("alu-country-code")} " " <input name="country" value=country maxlength="2" size="3" /></label></div>
            <div><label>{r.t("alu-cohort")} " " <input name="cohort" value=cohort inputmode="numeric" maxlength="4" size="5" /></label></div>
            <div><button type="submit">{r.t("alu-search")}</button></div>
        </form>
    }
}

/// A member's status in words.
fn status_word(r: Reader, status: MemberStatus) -> String {
    r.t(&format!("alu-status-{}", status.as_str().replace('_', "-")))
}

/// "Myanmar · cohort 2014".
fn place_and_cohort(r: Reader, country: &str, year: i32) -> String {
    format!("{} · {}", crate::countries::name(r.tr(), country), r.t_text("vch-cohort", "year", &year.to_string()))
}

fn names(m: &MemberSummary) -> String {
    m.names.join(" · ")
}

fn status_options(r: Reader) -> impl IntoView {
    MemberStatus::ALL.iter().map(|s| view! { <option value=s.as_str()>{status_word(r, *s)}</option> }).collect_view()
}

/// The fields of a timeline entry form.
fn status_fields(r: Reader) -> impl IntoView {
    view! {
        <div><label>{r.t("alu-status")} " " <select name="status">{status_options(r)}</select></label></div>
        <div><label>{r.t("alu-from-date")} " " <input name="date" required pattern="[0-9]{4}-[0-9]{2}-[0-9]{2}" maxlength="10" /></label></div>
        <div><label>{r.t("alu-source")} " " <input name="source" maxlength="2000" /></label></div>
        <div><label>{r.t("alu-note")} " " <input name="note" maxlength="2000" /></label></div>
    }
}

/// The close form's optional entry for the linked member's timeline, in English (pages not
/// yet given their reader).
pub fn closing_status_fields() -> impl IntoView {
    closing_status_fields_for(Reader::default())
}

/// The close form's optional entry for the linked member's timeline ("released on bail").
pub fn closing_status_fields_for(r: Reader) -> impl IntoView {
    view! {
        <fieldset><legend>{r.t("alu-closing-legend")}</legend>
            <div><label>{r.t("alu-status")} " " <select name="member_status"><option value="">{r.t("alu-no-entry")}</option>{status_options(r)}</select></label></div>
            <div><label>{r.t("alu-from-date-today")} " " <input name="member_status_date" pattern="[0-9]{4}-[0-9]{2}-[0-9]{2}" maxlength="10" /></label></div>
            <div><label>{r.t("alu-source")} " " <input name="member_status_source" maxlength="2000" /></label></div>
            <div><label>{r.t("alu-note")} " " <input name="member_status_note" maxlength="2000" /></label></div>
        </fieldset>
    }
}

fn add_form(r: Reader, csrf: &str) -> impl IntoView + use<> {
    view! {
        <h2>{r.t("alu-add-title")}</h2>
        <form method="post" action="/staff/alumni">
            {csrf_field(csrf)}
            <div><label>{r.t("alu-names")} " " <textarea name="names" required rows="3" maxlength="2000"></textarea></label></div>
            <div><label>{r.t("alu-external-id")} " " <input name="external_id" maxlength="100" /></label></div>
            <div><label>{r.t("alu-country-code")} " " <input name="country" required maxlength="2" size="3" /></label></div>
            <div><label>{r.t("alu-cohort-year")} " " <input name="cohort_year" required inputmode="numeric" maxlength="4" size="5" /></label></div>
            <div><label>{r.t("alu-organisation")} " " <input name="organisation" maxlength="2000" /></label></div>
            <div><label>{r.t("alu-focus")} " " <input name="focus" maxlength="2000" /></label></div>
            <div><label>{r.t("alu-languages")} " " <input name="languages" maxlength="500" /></label></div>
            <div><label>{r.t("alu-contact")} " " <input name="contact" maxlength="2000" /></label></div>
            <div><button class="primary" type="submit">{r.t("alu-add")}</button></div>
        </form>
    }
}

/// Renders the search page.
pub fn render_search(page: SearchPage) -> String {
    let r = page.nav.reader;
    let results = page.results.map(|results| {
        if results.is_empty() {
            return view! { <p>{r.t("alu-no-match")}</p> }.into_any();
        }
        let rows = results
            .into_iter()
            .map(|m| {
                let href = format!("/staff/alumni/{}", m.id);
                let label = names(&m);
                let country = crate::countries::name(r.tr(), &m.country);
                view! { <tr><td><a href=href>{label}</a></td><td>{country}</td><td>{m.cohort_year}</td></tr> }
            })
            .collect_view();
        view! { <div class="table-wrap"><table><thead><tr><th>{r.t("alu-col-names")}</th><th>{r.t("ret-fact-country")}</th><th>{r.t("alu-cohort")}</th></tr></thead><tbody>{rows}</tbody></table></div> }
            .into_any()
    });
    let csrf = page.csrf.clone();
    let export = page.export.map(|fresh| {
        if fresh {
            view! {
                <form method="post" action="/staff/alumni/export">{csrf_field(&csrf)}
                    <button type="submit">{r.t("alu-export-button")}</button></form>
            }
            .into_any()
        } else {
            view! {
                <form method="post" action="/staff/step-up">
                    {csrf_field(&csrf)}
                    <input type="hidden" name="next" value="/staff/alumni" />
                    <p>{r.t("alu-export-step-up")}</p>
                    <div><label for="step-up-code">{r.t("adm-step-up-code")}</label>
                        <input id="step-up-code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" required maxlength="6" /></div>
                    <div><button type="submit">{r.t("adm-step-up-confirm")}</button></div>
                </form>
            }
            .into_any()
        }
    });
    let add = page.can_manage.then(|| add_form(r, &page.csrf));
    let title = r.t("alu-title");
    let body = view! {
        {nav(page.nav)}
        <h1>{title.clone()}</h1>
        {error_line(page.error.as_deref())}
        {search_form(r, "/staff/alumni".into(), page.query)}
        {results}
        {add}
        {export.map(|e| view! { <h2>{r.t("aud-export")}</h2>{e} })}
    };
    document(PageMeta { title: &title, lang: r.language.tag() }, body)
}

/// A member's page data.
#[derive(Debug, Clone)]
pub struct MemberPage {
    /// Navigation.
    pub nav: Nav,
    /// CSRF token.
    pub csrf: String,
    /// The minimal fields.
    pub summary: MemberSummary,
    /// Everything else, when the reader may see it.
    pub details: Option<MemberDetails>,
    /// The reader manages the registry (the status form).
    pub can_manage: bool,
    /// A problem to show.
    pub error: Option<String>,
}

fn timeline(r: Reader, entries: Vec<TimelineEntry>) -> impl IntoView {
    let items = entries
        .into_iter()
        .map(|e| {
            let head = format!("{} — {}", e.date, status_word(r, e.status));
            let about = [e.source, e.note].into_iter().filter(|t| !t.is_empty()).collect::<Vec<_>>().join(" · ");
            let case =
                e.case_id.map(|c| view! { " " <a href=format!("/staff/cases/{c}")>{r.t("alu-from-a-case")}</a> });
            view! { <li><strong>{head}</strong>" " {about}{case}</li> }
        })
        .collect_view();
    view! { <ol class="timeline">{items}</ol> }
}

fn details_view(r: Reader, d: MemberDetails) -> impl IntoView {
    let row = |label: &str, text: String| {
        let (label, text) = (r.t(label), if text.is_empty() { "—".to_owned() } else { text });
        view! { <dt>{label}</dt><dd>{text}</dd> }
    };
    let cases = d
        .cases
        .into_iter()
        .map(|c| {
            let href = format!("/staff/cases/{}", c.case_id);
            let status = r.t(&format!("aword-v-{}", c.status.replace('_', "-")));
            let status = if status.is_empty() { c.status } else { status };
            view! { <li><a href=href>{c.reference}</a>" · " {status}</li> }
        })
        .collect_view();
    view! {
        <dl class="facts">
            {row("alu-external-id", d.external_id.unwrap_or_default())}
            {row("alu-organisation", d.profile.organisation)}
            {row("alu-focus", d.profile.focus)}
            {row("alu-languages", d.profile.languages.join(", "))}
            {row("alu-contact", d.profile.contact)}
        </dl>
        <h2>{r.t("alu-timeline")}</h2>
        {timeline(r, d.timeline)}
        <h2>{r.t("alu-cases")}</h2>
        <ul>{cases}</ul>
    }
}

/// Renders a member's page.
pub fn render_member(page: MemberPage) -> String {
    let r = page.nav.reader;
    let title = names(&page.summary);
    let facts = place_and_cohort(r, &page.summary.country, page.summary.cohort_year);
    let details = match page.details {
        Some(d) => details_view(r, d).into_any(),
        None => view! { <p class="quiet">{r.t("alu-minimal")}</p> }.into_any(),
    };
    let status = page.can_manage.then(|| {
        let action = format!("/staff/alumni/{}/status", page.summary.id);
        view! {
            <h2>{r.t("alu-add-timeline")}</h2>
            <form method="post" action=action>{csrf_field(&page.csrf)}{status_fields(r)}
                <div><button class="primary" type="submit">{r.t("alu-add")}</button></div></form>
        }
    });
    let body = view! {
        {nav(page.nav)}
        <h1>{title.clone()}</h1>
        {error_line(page.error.as_deref())}
        <p>{facts}</p>
        {details}
        {status}
    };
    document(PageMeta { title: &title, lang: r.language.tag() }, body)
}

/// The link page's data: search the registry and link one member to the case.
#[derive(Debug, Clone)]
pub struct LinkPage {
    /// Navigation.
    pub nav: Nav,
    /// CSRF token.
    pub csrf: String,
    /// The case.
    pub case_id: String,
    /// Its reference.
    pub reference: String,
    /// The search as typed.
    pub query: [String; 3],
    /// Results, when a search was made.
    pub results: Option<Vec<MemberSummary>>,
    /// A problem to show.
    pub error: Option<String>,
}

/// Renders the link page.
pub fn render_link(page: LinkPage) -> String {
    let r = page.nav.reader;
    let action = format!("/staff/cases/{}/alumni", page.case_id);
    let results = page.results.map(|results| {
        let choices = results
            .into_iter()
            .map(|m| {
                let label = format!("{} — {}", names(&m), place_and_cohort(r, &m.country, m.cohort_year));
                view! { <div><label class="check"><input type="radio" name="member_id" value=m.id required />" " {label}</label></div> }
            })
            .collect_view();
        view! {
            <form method="post" action=action.clone()>
                {csrf_field(&page.csrf)}
                <fieldset><legend>{r.t("alu-who")}</legend>{choices}</fieldset>
                <div><label>{r.t("alu-why")} " " <textarea name="rationale" required maxlength="2000" rows="2"></textarea></label></div>
                <div><button class="primary" type="submit">{r.t("adm-link")}</button></div>
            </form>
        }
    });
    let title = r.t_text("alu-link-title", "reference", &page.reference);
    let back = format!("/staff/cases/{}", page.case_id);
    let body = view! {
        {nav(page.nav)}
        <h1>{title.clone()}</h1>
        {error_line(page.error.as_deref())}
        {search_form(r, action.clone(), page.query)}
        {results}
        <p><a href=back>{r.t("vch-back")}</a></p>
    };
    document(PageMeta { title: &title, lang: r.language.tag() }, body)
}

/// The case page's registry section in English (pages not yet given their reader).
pub fn case_section(case_id: &str, csrf: &str, member: Option<CaseMember>, can_link: bool) -> impl IntoView + use<> {
    case_section_for(Reader::default(), case_id, csrf, member, can_link)
}

/// The case page's registry section: the linked member, or the way to link one.
pub fn case_section_for(
    r: Reader,
    case_id: &str,
    csrf: &str,
    member: Option<CaseMember>,
    can_link: bool,
) -> impl IntoView + use<> {
    let body = match member {
        None if can_link => {
            let href = format!("/staff/cases/{case_id}/alumni");
            view! { <p>{r.t("alu-not-linked")} " " <a href=href>{r.t("alu-find-and-link")}</a></p> }.into_any()
        }
        // Linking opens the member's whole record to the case's handler: a supervisor does it.
        None => view! { <p>{r.t("alu-not-linked")} " " {r.t("alu-supervisor-links")}</p> }.into_any(),
        Some(m) => {
            let status = m.status.map(|s| status_word(r, s)).unwrap_or_else(|| r.t("alu-no-status"));
            let text = format!("{} · {status}", place_and_cohort(r, &m.country, m.cohort_year));
            let href = format!("/staff/alumni/{}", m.member_id);
            let action = format!("/staff/cases/{case_id}/alumni/status");
            view! {
                <p><a href=href>{text}</a></p>
                <details><summary>{r.t("alu-add-member-timeline")}</summary>
                    <form method="post" action=action>{csrf_field(csrf)}{status_fields(r)}
                        <div><button type="submit">{r.t("alu-add")}</button></div></form>
                </details>
            }
            .into_any()
        }
    };
    view! { <h2>{r.t("alu-network-member")}</h2>{body} }
}
