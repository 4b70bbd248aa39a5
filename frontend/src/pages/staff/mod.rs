//! The staff area's pages.

pub mod account;
pub mod admin_home;
pub mod alumni;
pub mod audit;
pub mod case;
pub mod case_guidance;
pub mod case_summary;
pub mod case_timeline;
pub mod case_words;
pub mod danger;
pub mod enrol;
pub mod funds;
pub mod grants;
pub mod home;
pub mod insights;
pub mod notices;
pub mod partner_warning;
pub mod partners;
pub mod queue;
pub mod referrals;
pub mod retention;
pub mod sign_in;
pub mod typed;
pub mod users;
pub mod vouch;
pub mod waiting;

use leptos::prelude::*;
use shelter_shared::language::Language;

use crate::reader::Reader;

/// What the staff navigation bar needs.
#[derive(Debug, Clone)]
pub struct Nav {
    /// The signed-in person's name.
    pub name: String,
    /// The session's CSRF token, for the sign-out form.
    pub csrf: String,
    /// Whether to link the staff accounts page.
    pub can_list_staff: bool,
    /// Whether to link the audit trail.
    pub can_read_audit: bool,
    /// Whether to link the partner directory.
    pub can_manage_partners: bool,
    /// Whether to link the grant register.
    pub can_view_register: bool,
    /// Whether to link the funds.
    pub can_view_funds: bool,
    /// Whether to link the insights.
    pub can_view_insights: bool,
    /// Whether to link the retention page.
    pub can_view_retention: bool,
    /// Whether to link the alumni registry.
    pub can_view_alumni: bool,
    /// Unread notices: the count beside the link to them.
    pub unread_notices: i64,
    /// On home pages: who is on call now (empty: nobody).
    pub on_call: Option<Vec<String>>,
    /// Who reads the page: its language and time zone.
    pub reader: Reader,
    /// The page shown (a GET's path), where the language switcher comes back to.
    pub here: Option<String>,
}

/// The staff navigation: home, account, the areas the reader may open, the language
/// switcher and sign out (POST forms, no JavaScript).
pub fn nav(nav: Nav) -> impl IntoView {
    let r = nav.reader;
    let link = |shown: bool, href: &'static str, id: &str| {
        let text = r.t(id);
        shown.then(|| view! { <a href=href>{text}</a> })
    };
    let users = link(nav.can_list_staff, "/staff/users", "nav-staff-accounts");
    let audit = link(nav.can_read_audit, "/staff/audit", "nav-audit");
    let partners = link(nav.can_manage_partners, "/staff/partners", "nav-partners");
    let register = link(nav.can_view_register, "/staff/grants", "nav-grants");
    let funds = link(nav.can_view_funds, "/staff/funds", "nav-funds");
    let insights = link(nav.can_view_insights, "/staff/insights", "nav-insights");
    let retention = link(nav.can_view_retention, "/staff/retention", "nav-retention");
    let alumni = link(nav.can_view_alumni, "/staff/alumni", "nav-alumni");
    let on_call = nav.on_call.map(|names| {
        let text = if names.is_empty() {
            r.t("nav-nobody-on-call")
        } else {
            r.t_text("nav-on-call", "names", &names.join(", "))
        };
        view! { <p class="on-call">{text}</p> }
    });
    view! {
        <nav class="staff">
            <a href="/staff">{r.t("nav-home")}</a>
            <a href="/staff/account">{r.t("nav-account")}</a>
            {notices_link(r, nav.unread_notices)}
            {users}
            {audit}
            {partners}
            {register}
            {funds}
            {insights}
            {retention}
            {alumni}
            {language_switcher(r, &nav.csrf, nav.here.as_deref())}
            <form method="post" action="/staff/sign-out" class="inline">
                <input type="hidden" name="csrf" value=nav.csrf.clone() />
                <button type="submit">{r.t_text("nav-sign-out", "name", &nav.name)}</button>
            </form>
        </nav>
        {on_call}
    }
}

/// The language switcher: each language by its own name; the choice is kept on the account.
fn language_switcher(r: Reader, csrf: &str, here: Option<&str>) -> impl IntoView + use<> {
    let options = Language::ALL
        .into_iter()
        .map(|language| {
            let selected = language == r.language;
            view! { <option value=language.tag() selected=selected lang=language.tag()>{language.endonym()}</option> }
        })
        .collect_view();
    let csrf = csrf.to_owned();
    let next = here.map(|here| {
        let here = here.to_owned();
        view! { <input type="hidden" name="next" value=here /> }
    });
    view! {
        <form method="post" action="/staff/account/language" class="inline language">
            <input type="hidden" name="csrf" value=csrf />
            {next}
            <label for="nav-language" class="visually-hidden">{r.t("nav-language")}</label>
            <select id="nav-language" name="language">{options}</select>
            <button type="submit">{r.t("nav-language-change")}</button>
        </form>
    }
}

/// The link to one's notices, with the unread count (no JavaScript: counted per page).
fn notices_link(r: Reader, unread: i64) -> impl IntoView + use<> {
    let text = if unread > 0 {
        r.t_num("nav-notices-unread", "count", usize::try_from(unread).unwrap_or(usize::MAX))
    } else {
        r.t("nav-notices")
    };
    view! { <a href="/staff/notices" class="notices">{text}</a> }
}

/// Links to the seven languages for pages shown before anyone signs in (sign-in,
/// enrolment): each keeps `path` and adds `?lang=`.
pub fn language_links(r: Reader, path: &str) -> impl IntoView + use<> {
    let items = Language::ALL
        .into_iter()
        .map(|language| {
            let tag = language.tag();
            let href = format!("{path}?lang={tag}");
            let current = (language == r.language).then_some("page");
            view! { <li><a href=href lang=tag hreflang=tag aria-current=current>{language.endonym()}</a></li> }
        })
        .collect_view();
    view! { <nav class="languages-bar" aria-label=r.t("nav-language")><ul class="languages small">{items}</ul></nav> }
}

/// `path` with the sign-in language kept (`?lang=my`), nothing for English.
pub fn with_lang(r: Reader, path: &str) -> String {
    if r.language == Language::English { path.to_owned() } else { format!("{path}?lang={}", r.language.tag()) }
}

/// A hidden CSRF field.
pub fn csrf_field(token: &str) -> impl IntoView + use<> {
    let token = token.to_owned();
    view! { <input type="hidden" name="csrf" value=token /> }
}

/// An error line, if any.
pub fn error_line(error: Option<&str>) -> impl IntoView + use<> {
    error.map(|e| {
        let e = e.to_owned();
        view! { <p class="error" role="alert">{e}</p> }
    })
}

/// A notice line, if any.
pub fn notice_line(notice: Option<&str>) -> impl IntoView + use<> {
    notice.map(|n| {
        let n = n.to_owned();
        view! { <p class="notice" role="status">{n}</p> }
    })
}

/// Things waiting on the reader, each a link: (href, text). Nothing when empty.
pub fn waiting(r: Reader, links: Vec<(String, String)>) -> impl IntoView + use<> {
    (!links.is_empty()).then(|| {
        let items = links.into_iter().map(|(href, text)| view! { <li><a href=href>{text}</a></li> }).collect_view();
        view! { <h2>{r.t("home-waiting")}</h2><ul class="waiting">{items}</ul> }
    })
}
