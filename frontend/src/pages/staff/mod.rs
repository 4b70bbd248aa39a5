//! The staff area's pages.

pub mod account;
pub mod alumni;
pub mod audit;
pub mod case;
pub mod danger;
pub mod enrol;
pub mod funds;
pub mod grants;
pub mod home;
pub mod insights;
pub mod notices;
pub mod partners;
pub mod queue;
pub mod referrals;
pub mod retention;
pub mod sign_in;
pub mod typed;
pub mod users;
pub mod vouch;

use leptos::prelude::*;

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
}

/// The staff navigation: home, account, accounts, sign out (a POST form, no JavaScript).
pub fn nav(nav: Nav) -> impl IntoView {
    let users = nav.can_list_staff.then(|| view! { <a href="/staff/users">"Staff accounts"</a> });
    let audit = nav.can_read_audit.then(|| view! { <a href="/staff/audit">"Audit trail"</a> });
    let partners = nav.can_manage_partners.then(|| view! { <a href="/staff/partners">"Partners"</a> });
    let register = nav.can_view_register.then(|| view! { <a href="/staff/grants">"Grants"</a> });
    let funds = nav.can_view_funds.then(|| view! { <a href="/staff/funds">"Funds"</a> });
    let insights = nav.can_view_insights.then(|| view! { <a href="/staff/insights">"Insights"</a> });
    let retention = nav.can_view_retention.then(|| view! { <a href="/staff/retention">"Retention"</a> });
    let alumni = nav.can_view_alumni.then(|| view! { <a href="/staff/alumni">"Alumni"</a> });
    let on_call = nav.on_call.map(|names| {
        let text = if names.is_empty() {
            "Nobody is on call now: urgent cases go to every supervisor.".to_owned()
        } else {
            format!("On call now: {}.", names.join(", "))
        };
        view! { <p class="on-call">{text}</p> }
    });
    view! {
        <nav class="staff">
            <a href="/staff">"Home"</a>
            <a href="/staff/account">"Account security"</a>
            {notices_link(nav.unread_notices)}
            {users}
            {audit}
            {partners}
            {register}
            {funds}
            {insights}
            {retention}
            {alumni}
            <form method="post" action="/staff/sign-out" class="inline">
                <input type="hidden" name="csrf" value=nav.csrf />
                <button type="submit">"Sign out " {nav.name}</button>
            </form>
        </nav>
        {on_call}
    }
}

/// The link to one's notices, with the unread count (no JavaScript: counted per page).
fn notices_link(unread: i64) -> impl IntoView + use<> {
    let text = if unread > 0 { format!("Notices ({unread} new)") } else { "Notices".to_owned() };
    view! { <a href="/staff/notices" class="notices">{text}</a> }
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
pub fn waiting(links: Vec<(String, String)>) -> impl IntoView + use<> {
    (!links.is_empty()).then(|| {
        let items = links.into_iter().map(|(href, text)| view! { <li><a href=href>{text}</a></li> }).collect_view();
        view! { <h2>"Waiting on you"</h2><ul class="waiting">{items}</ul> }
    })
}
