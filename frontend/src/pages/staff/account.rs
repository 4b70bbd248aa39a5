//! Account security: password, recovery codes (after a step-up), sessions.

use leptos::prelude::*;

use super::{Nav, csrf_field, error_line, nav, notice_line};
use crate::layout::{PageMeta, document};

/// One session in the list.
#[derive(Debug, Clone)]
pub struct SessionLine {
    /// Session id.
    pub id: String,
    /// `browser` or `api`.
    pub kind: String,
    /// Started, formatted.
    pub created: String,
    /// Last used, formatted.
    pub last_seen: String,
    /// This very session.
    pub current: bool,
}

/// What the account page shows.
pub struct AccountPage {
    /// The navigation.
    pub nav: Nav,
    /// The session's CSRF token.
    pub csrf: String,
    /// Sign-in e-mail.
    pub email: String,
    /// Live sessions.
    pub sessions: Vec<SessionLine>,
    /// A fresh second factor was given within five minutes.
    pub stepped_up: bool,
    /// A confirmation to show.
    pub notice: Option<String>,
    /// A problem to show.
    pub error: Option<String>,
}

/// Renders the account page.
pub fn render(page: AccountPage) -> String {
    let csrf = page.csrf.clone();
    let sessions = page
        .sessions
        .into_iter()
        .map(|s| {
            let action = format!("/staff/account/sessions/{}/end", s.id);
            let label = if s.current { "Sign out here" } else { "End this session" };
            let kind = if s.current { format!("{} (this one)", s.kind) } else { s.kind };
            view! {
                <tr><td>{kind}</td><td>{s.created}</td><td>{s.last_seen}</td>
                    <td><form method="post" action=action class="inline">{csrf_field(&csrf)}<button type="submit">{label}</button></form></td></tr>
            }
        })
        .collect_view();
    let recovery = if page.stepped_up {
        view! {
            <form method="post" action="/staff/account/recovery-codes">
                {csrf_field(&page.csrf)}
                <p>"New codes replace all the old ones."</p>
                <div><button type="submit">"Make ten new recovery codes"</button></div>
            </form>
        }
        .into_any()
    } else {
        view! {
            <form method="post" action="/staff/step-up">
                {csrf_field(&page.csrf)}
                <p>"To make new recovery codes, first confirm with a fresh code from your authenticator app."</p>
                <div><label for="step-up-code">"Six-digit code"</label>
                    <input id="step-up-code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" required maxlength="6" /></div>
                <div><button type="submit">"Confirm"</button></div>
            </form>
        }
        .into_any()
    };
    let email = page.email;
    let body = view! {
        {nav(page.nav)}
        <h1>"Account security"</h1>
        <p>"Signed in as " <strong>{email}</strong>"."</p>
        {notice_line(page.notice.as_deref())}
        {error_line(page.error.as_deref())}
        <h2>"Password"</h2>
        <form method="post" action="/staff/account/password">
            {csrf_field(&page.csrf)}
            <div><label for="current">"Current password"</label>
                <input id="current" name="current" type="password" autocomplete="current-password" required maxlength="128" /></div>
            <div><label for="new">"New password"</label>
                <input id="new" name="new" type="password" autocomplete="new-password" required minlength="12" maxlength="128" /></div>
            <div><button type="submit">"Change password"</button></div>
        </form>
        <h2>"Recovery codes"</h2>
        {recovery}
        <h2>"Sessions"</h2>
        <table><thead><tr><th>"Kind"</th><th>"Started"</th><th>"Last used"</th><th><span class="visually-hidden">"Actions"</span></th></tr></thead>
            <tbody>{sessions}</tbody></table>
        <form method="post" action="/staff/account/sessions/end-all">
            {csrf_field(&page.csrf)}
            <div><button type="submit">"Sign out everywhere"</button></div>
        </form>
    };
    document(PageMeta { title: "Account security", lang: "en" }, body)
}
