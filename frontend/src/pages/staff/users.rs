//! Staff accounts: list, create, disable, unlock, reset the second factor.

use leptos::prelude::*;

use super::{Nav, csrf_field, error_line, nav, notice_line};
use crate::layout::{PageMeta, document};

/// One account in the list.
#[derive(Debug, Clone)]
pub struct UserLine {
    /// Id.
    pub id: String,
    /// E-mail.
    pub email: String,
    /// Name.
    pub name: String,
    /// Roles, joined.
    pub roles: String,
    /// Status in words.
    pub status: String,
    /// Why it cannot sign in yet, when it waits for a supervisor's confirmation.
    pub pending: Option<String>,
    /// The reader may confirm it (a supervisor who did not set it up).
    pub can_confirm: bool,
    /// Whether the reader may disable it (or why not); `None` once disabled.
    pub disable: Option<Result<(), String>>,
}

/// What the page shows.
pub struct UsersPage {
    /// The navigation.
    pub nav: Nav,
    /// The session's CSRF token.
    pub csrf: String,
    /// The accounts.
    pub users: Vec<UserLine>,
    /// The reader's second factor is fresh (administrative powers need it).
    pub fresh: bool,
    /// May create, disable and reset (administrators).
    pub can_manage: bool,
    /// A one-time enrolment code just issued: (e-mail, code).
    pub issued_code: Option<(String, String)>,
    /// A confirmation.
    pub notice: Option<String>,
    /// A problem.
    pub error: Option<String>,
}

/// The role choices of the create form.
const ROLES: [&str; 5] = ["handler", "supervisor", "finance", "partner", "admin"];

/// Renders the page.
pub fn render(page: UsersPage) -> String {
    let csrf = page.csrf.clone();
    let can_manage = page.can_manage;
    let rows = page
        .users
        .into_iter()
        .map(|u| {
            let button = |verb: &str, label: &str| {
                let action = format!("/staff/users/{}/{verb}", u.id);
                let label = label.to_owned();
                view! { <form method="post" action=action class="inline">{csrf_field(&csrf)}<button type="submit">{label}</button></form> }
            };
            let disable = match u.disable.clone() {
                Some(Ok(())) => {
                    let action = format!("/staff/users/{}/disable", u.id);
                    let understand = format!("I understand: {} is signed out at once and cannot sign in again", u.name);
                    Some(view! {
                        <form method="post" action=action class="inline">{csrf_field(&csrf)}
                            <label class="check"><input type="checkbox" name="confirm" value="yes" required />" " {understand}</label>
                            " " <button type="submit">"Disable"</button></form>
                    }.into_any())
                }
                Some(Err(why)) => Some(view! { <span class="quiet">{why}</span> }.into_any()),
                None => None,
            };
            let manage = can_manage.then(|| view! { {disable} {button("reset-2fa", "Reset 2FA")} });
            let confirm = u.can_confirm.then(|| button("confirm", "Confirm account"));
            let pending = u.pending.clone().map(|text| view! { <br /><strong>{text}</strong> });
            view! {
                <tr><td>{u.name.clone()}</td><td class="wrap">{u.email.clone()}</td><td>{u.roles.clone()}</td><td>{u.status.clone()}{pending}</td>
                    <td>{button("unlock", "Unlock")} {manage} {confirm}</td></tr>
            }
        })
        .collect_view();
    let issued = page.issued_code.map(|(email, code)| {
        view! {
            <div class="notice" role="status">
                <p>"One-time enrolment code for " <strong>{email}</strong> " (valid 24 hours, shown only now):"</p>
                <p><code class="secret">{code}</code></p>
                <p>"Give it to the person over a safe channel; they enrol at /staff/enrol."</p>
            </div>
        }
    });
    let create = page.can_manage.then(|| {
        let roles = ROLES
            .into_iter()
            .map(|r| view! { <label class="check"><input type="checkbox" name="roles" value=r />" " {r}</label> })
            .collect_view();
        view! {
            <h2>"Add a staff member"</h2>
            <form method="post" action="/staff/users">
                {csrf_field(&page.csrf)}
                <div><label for="email">"E-mail"</label><input id="email" name="email" type="email" required maxlength="254" /></div>
                <div><label for="name">"Name"</label><input id="name" name="name" required maxlength="200" /></div>
                <fieldset><legend>"Roles"</legend>{roles}</fieldset>
                <div><button class="primary" type="submit">"Create and issue an enrolment code"</button></div>
            </form>
        }
    });
    let step_up = (!page.fresh).then(|| {
        super::grants::step_up(
            &page.csrf,
            "/staff/users",
            "Creating, disabling, unlocking, resetting and confirming accounts need a fresh code from your authenticator app.",
        )
    });
    let body = view! {
        {nav(page.nav)}
        <h1>"Staff accounts"</h1>
        {notice_line(page.notice.as_deref())}
        {error_line(page.error.as_deref())}
        {step_up}
        {issued}
        <table class="stacked"><thead><tr><th>"Name"</th><th>"E-mail"</th><th>"Roles"</th><th>"Status"</th><th><span class="visually-hidden">"Actions"</span></th></tr></thead>
            <tbody>{rows}</tbody></table>
        {create}
    };
    document(PageMeta { title: "Staff accounts", lang: "en" }, body)
}
