//! The alumni registry's pages: search, a member, linking a case, the case page's section.

use leptos::prelude::*;
use shelter_shared::alumni::{CaseMember, MemberDetails, MemberStatus, MemberSummary, TimelineEntry};

use super::{Nav, csrf_field, error_line, nav};
use crate::layout::{PageMeta, document};

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

fn search_form(action: String, query: [String; 3]) -> impl IntoView {
    let [name, country, cohort] = query;
    view! {
        <form method="get" action=action class="filters">
            <div><label>"Name (any spelling, any script)" <input name="name" value=name maxlength="200" /></label></div>
            <div><label>"Country" <input name="country" value=country maxlength="2" size="3" /></label></div>
            <div><label>"Cohort" <input name="cohort" value=cohort inputmode="numeric" maxlength="4" size="5" /></label></div>
            <div><button type="submit">"Search"</button></div>
        </form>
    }
}

fn names(m: &MemberSummary) -> String {
    m.names.join(" · ")
}

fn status_options() -> impl IntoView {
    MemberStatus::ALL.iter().map(|s| view! { <option value=s.as_str()>{s.label()}</option> }).collect_view()
}

/// The fields of a timeline entry form.
fn status_fields() -> impl IntoView {
    view! {
        <div><label>"Status" <select name="status">{status_options()}</select></label></div>
        <div><label>"From (YYYY-MM-DD)" <input name="date" required pattern="[0-9]{4}-[0-9]{2}-[0-9]{2}" maxlength="10" /></label></div>
        <div><label>"Source (sealed)" <input name="source" maxlength="2000" /></label></div>
        <div><label>"Note (sealed)" <input name="note" maxlength="2000" /></label></div>
    }
}

/// The close form's optional entry for the linked member's timeline ("released on bail").
pub fn closing_status_fields() -> impl IntoView {
    view! {
        <fieldset><legend>"Also add to the member's timeline (optional)"</legend>
            <div><label>"Status" <select name="member_status"><option value="">"(no entry)"</option>{status_options()}</select></label></div>
            <div><label>"From (YYYY-MM-DD; empty: today)" <input name="member_status_date" pattern="[0-9]{4}-[0-9]{2}-[0-9]{2}" maxlength="10" /></label></div>
            <div><label>"Source (sealed)" <input name="member_status_source" maxlength="2000" /></label></div>
            <div><label>"Note (sealed)" <input name="member_status_note" maxlength="2000" /></label></div>
        </fieldset>
    }
}

fn add_form(csrf: &str) -> impl IntoView + use<> {
    view! {
        <h2>"Add a member"</h2>
        <form method="post" action="/staff/alumni">
            {csrf_field(csrf)}
            <div><label>"Names, one per line (the usual one first, then other spellings and scripts)" <textarea name="names" required rows="3" maxlength="2000"></textarea></label></div>
            <div><label>"Programme id (optional)" <input name="external_id" maxlength="100" /></label></div>
            <div><label>"Country (code, e.g. KH)" <input name="country" required maxlength="2" size="3" /></label></div>
            <div><label>"Cohort year" <input name="cohort_year" required inputmode="numeric" maxlength="4" size="5" /></label></div>
            <div><label>"Organisation" <input name="organisation" maxlength="2000" /></label></div>
            <div><label>"Focus" <input name="focus" maxlength="2000" /></label></div>
            <div><label>"Languages (comma-separated)" <input name="languages" maxlength="500" /></label></div>
            <div><label>"Safe contact" <input name="contact" maxlength="2000" /></label></div>
            <div><button class="primary" type="submit">"Add"</button></div>
        </form>
    }
}

/// Renders the search page.
pub fn render_search(page: SearchPage) -> String {
    let results = page.results.map(|results| {
        if results.is_empty() {
            return view! { <p>"No member matches."</p> }.into_any();
        }
        let rows = results
            .into_iter()
            .map(|m| {
                let href = format!("/staff/alumni/{}", m.id);
                let label = names(&m);
                view! { <tr><td><a href=href>{label}</a></td><td>{m.country}</td><td>{m.cohort_year}</td></tr> }
            })
            .collect_view();
        view! { <div class="table-wrap"><table><thead><tr><th>"Names"</th><th>"Country"</th><th>"Cohort"</th></tr></thead><tbody>{rows}</tbody></table></div> }
            .into_any()
    });
    let csrf = page.csrf.clone();
    let export = page.export.map(|fresh| {
        if fresh {
            view! {
                <form method="post" action="/staff/alumni/export">{csrf_field(&csrf)}
                    <button type="submit">"Export the registry (CSV, audited)"</button></form>
            }
            .into_any()
        } else {
            super::grants::step_up(&csrf, "/staff/alumni", "To export the registry, confirm with a fresh code.")
                .into_any()
        }
    });
    let add = page.can_manage.then(|| add_form(&page.csrf));
    let body = view! {
        {nav(page.nav)}
        <h1>"Alumni registry"</h1>
        {error_line(page.error.as_deref())}
        {search_form("/staff/alumni".into(), page.query)}
        {results}
        {add}
        {export.map(|e| view! { <h2>"Export"</h2>{e} })}
    };
    document(PageMeta { title: "Alumni registry", lang: "en" }, body)
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

fn timeline(entries: Vec<TimelineEntry>) -> impl IntoView {
    let items = entries
        .into_iter()
        .map(|e| {
            let head = format!("{} — {}", e.date, e.status.label());
            let about = [e.source, e.note].into_iter().filter(|t| !t.is_empty()).collect::<Vec<_>>().join(" · ");
            let case = e.case_id.map(|c| view! { " " <a href=format!("/staff/cases/{c}")>"(from a case)"</a> });
            view! { <li><strong>{head}</strong>" " {about}{case}</li> }
        })
        .collect_view();
    view! { <ol class="timeline">{items}</ol> }
}

fn details_view(d: MemberDetails) -> impl IntoView {
    let row = |label: &'static str, text: String| {
        let text = if text.is_empty() { "—".to_owned() } else { text };
        view! { <dt>{label}</dt><dd>{text}</dd> }
    };
    let cases = d
        .cases
        .into_iter()
        .map(|c| {
            let href = format!("/staff/cases/{}", c.case_id);
            view! { <li><a href=href>{c.reference}</a>" · " {c.status}</li> }
        })
        .collect_view();
    view! {
        <dl class="facts">
            {row("Programme id", d.external_id.unwrap_or_default())}
            {row("Organisation", d.profile.organisation)}
            {row("Focus", d.profile.focus)}
            {row("Languages", d.profile.languages.join(", "))}
            {row("Safe contact", d.profile.contact)}
        </dl>
        <h2>"Status timeline"</h2>
        {timeline(d.timeline)}
        <h2>"Cases you may see"</h2>
        <ul>{cases}</ul>
    }
}

/// Renders a member's page.
pub fn render_member(page: MemberPage) -> String {
    let title = names(&page.summary);
    let facts = format!("{} · cohort {}", page.summary.country, page.summary.cohort_year);
    let details = match page.details {
        Some(d) => details_view(d).into_any(),
        None => view! { <p class="quiet">"You see the names, country and cohort. The rest opens once a case you work is linked to this member."</p> }.into_any(),
    };
    let status = page.can_manage.then(|| {
        let action = format!("/staff/alumni/{}/status", page.summary.id);
        view! {
            <h2>"Add to the timeline"</h2>
            <form method="post" action=action>{csrf_field(&page.csrf)}{status_fields()}
                <div><button class="primary" type="submit">"Add"</button></div></form>
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
    document(PageMeta { title: "Alumni member", lang: "en" }, body)
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
    let action = format!("/staff/cases/{}/alumni", page.case_id);
    let results = page.results.map(|results| {
        let choices = results
            .into_iter()
            .map(|m| {
                let label = format!("{} — {} · {}", names(&m), m.country, m.cohort_year);
                view! { <div><label class="check"><input type="radio" name="member_id" value=m.id required />" " {label}</label></div> }
            })
            .collect_view();
        view! {
            <form method="post" action=action.clone()>
                {csrf_field(&page.csrf)}
                <fieldset><legend>"Who this case concerns"</legend>{choices}</fieldset>
                <div><label>"Why (kept in the audit trail, sealed)" <textarea name="rationale" required maxlength="2000" rows="2"></textarea></label></div>
                <div><button class="primary" type="submit">"Link"</button></div>
            </form>
        }
    });
    let title = format!("Link case {} to a member", page.reference);
    let back = format!("/staff/cases/{}", page.case_id);
    let body = view! {
        {nav(page.nav)}
        <h1>{title.clone()}</h1>
        {error_line(page.error.as_deref())}
        {search_form(action.clone(), page.query)}
        {results}
        <p><a href=back>"Back to the case"</a></p>
    };
    document(PageMeta { title: &title, lang: "en" }, body)
}

/// The case page's registry section: the linked member, or the way to link one.
pub fn case_section(case_id: &str, csrf: &str, member: Option<CaseMember>, can_link: bool) -> impl IntoView + use<> {
    let body = match member {
        None if can_link => {
            let href = format!("/staff/cases/{case_id}/alumni");
            view! { <p>"Not linked to a registry member. " <a href=href>"Find the member and link them"</a></p> }
                .into_any()
        }
        // Linking opens the member's whole record to the case's handler: a supervisor does it.
        None => view! { <p>"Not linked to a registry member. A supervisor can link one."</p> }.into_any(),
        Some(m) => {
            let status = m.status.map(|s| s.label()).unwrap_or("no status yet");
            let text = format!("Cohort {} · {} · {}", m.cohort_year, m.country, status);
            let href = format!("/staff/alumni/{}", m.member_id);
            let action = format!("/staff/cases/{case_id}/alumni/status");
            view! {
                <p><a href=href>{text}</a></p>
                <details><summary>"Add to the member's timeline (e.g. released on bail)"</summary>
                    <form method="post" action=action>{csrf_field(csrf)}{status_fields()}
                        <div><button type="submit">"Add"</button></div></form>
                </details>
            }
            .into_any()
        }
    };
    view! { <h2>"Network member"</h2>{body} }
}
