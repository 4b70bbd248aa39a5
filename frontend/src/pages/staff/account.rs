//! Account security: password, recovery codes (after a step-up), sessions.

use leptos::prelude::*;

use chrono::{DateTime, Utc};
use shelter_shared::language::Language;
use shelter_shared::local_time::{STAFF_OFFSETS, offset_label};

use super::{Nav, csrf_field, error_line, nav, notice_line};
use crate::layout::{PageMeta, document};
use crate::reader::Reader;
use crate::words;

/// The confirmations the account page shows, by the key in `?notice=`.
pub const NOTICES: [&str; 5] = ["password", "stepped-up", "session-ended", "time-zone", "language"];

/// A place on each offer's clock, so the zone is recognised: "UTC+6:30 (Yangon)".
fn zone_label(r: Reader, minutes: i32) -> String {
    let id = format!("acct-zone-{}", minutes.to_string().replace('-', "minus"));
    format!("{} ({})", offset_label(minutes), r.t(&id))
}

/// The time zone picker and the language choice.
fn reading(r: Reader, csrf: &str) -> impl IntoView + use<> {
    let zones = STAFF_OFFSETS
        .into_iter()
        .map(|minutes| {
            let selected = minutes == r.utc_offset_minutes;
            view! { <option value=minutes.to_string() selected=selected>{zone_label(r, minutes)}</option> }
        })
        .collect_view();
    let languages = Language::ALL
        .into_iter()
        .map(|language| {
            let selected = language == r.language;
            view! { <option value=language.tag() selected=selected lang=language.tag()>{language.endonym()}</option> }
        })
        .collect_view();
    view! {
        <h2>{r.t("acct-reading")}</h2>
        <form method="post" action="/staff/account/language">
            {csrf_field(csrf)}
            <input type="hidden" name="next" value="/staff/account" />
            <div><label for="account-language">{r.t("nav-language")}</label>
                <select id="account-language" name="language">{languages}</select></div>
            <div><button type="submit">{r.t("acct-language-save")}</button></div>
        </form>
        <form method="post" action="/staff/account/time-zone">
            {csrf_field(csrf)}
            <p class="quiet">{r.t_text("acct-zone-now", "zone", &r.zone())}</p>
            <div><label for="utc-offset">{r.t("acct-zone")}</label>
                <select id="utc-offset" name="utc_offset_minutes">{zones}</select></div>
            <div><button type="submit">{r.t("acct-zone-save")}</button></div>
        </form>
    }
}

/// One session in the list.
#[derive(Debug, Clone)]
pub struct SessionLine {
    /// Session id.
    pub id: String,
    /// `browser` or `api`.
    pub kind: String,
    /// Started.
    pub created: DateTime<Utc>,
    /// Last used.
    pub last_seen: DateTime<Utc>,
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
    /// A confirmation to show: `password`, `stepped-up`, `session-ended`, `time-zone`, `language`.
    pub notice: Option<String>,
    /// A problem to show.
    pub error: Option<String>,
}

/// Renders the account page.
pub fn render(page: AccountPage) -> String {
    let r = page.nav.reader;
    let csrf = page.csrf.clone();
    let sessions = page
        .sessions
        .into_iter()
        .map(|s| {
            let action = format!("/staff/account/sessions/{}/end", s.id);
            let label = r.t(if s.current { "acct-sign-out-here" } else { "acct-end-session" });
            let kind = words::session_kind(r, &s.kind);
            let kind = if s.current { r.t_text("acct-this-session", "kind", &kind) } else { kind };
            view! {
                <tr><td>{kind}</td><td>{r.time(s.created)}</td><td>{r.time(s.last_seen)}</td>
                    <td><form method="post" action=action class="inline">{csrf_field(&csrf)}<button type="submit">{label}</button></form></td></tr>
            }
        })
        .collect_view();
    let recovery = if page.stepped_up {
        view! {
            <form method="post" action="/staff/account/recovery-codes">
                {csrf_field(&page.csrf)}
                <p>{r.t("acct-codes-replace")}</p>
                <div><button type="submit">{r.t("acct-codes-make")}</button></div>
            </form>
        }
        .into_any()
    } else {
        view! {
            <form method="post" action="/staff/step-up">
                {csrf_field(&page.csrf)}
                <p>{r.t("acct-step-up")}</p>
                <div><label for="step-up-code">{r.t("acct-step-up-code")}</label>
                    <input id="step-up-code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" required maxlength="6" /></div>
                <div><button type="submit">{r.t("enrol-confirm")}</button></div>
            </form>
        }
        .into_any()
    };
    let notice = page.notice.filter(|n| NOTICES.contains(&n.as_str())).map(|n| r.t(&format!("acct-notice-{n}")));
    let title = r.t("nav-account");
    let body = view! {
        {nav(page.nav)}
        <h1>{title.clone()}</h1>
        <p>{r.t_text("acct-signed-in-as", "email", &page.email)}</p>
        {notice_line(notice.as_deref())}
        {error_line(page.error.as_deref())}
        {reading(r, &page.csrf)}
        <h2>{r.t("signin-password")}</h2>
        <form method="post" action="/staff/account/password">
            {csrf_field(&page.csrf)}
            <div><label for="current">{r.t("acct-current-password")}</label>
                <input id="current" name="current" type="password" autocomplete="current-password" required maxlength="128" /></div>
            <div><label for="new">{r.t("enrol-password")}</label>
                <input id="new" name="new" type="password" autocomplete="new-password" required minlength="12" maxlength="128" /></div>
            <div><button type="submit">{r.t("acct-change-password")}</button></div>
        </form>
        <h2>{r.t("acct-codes")}</h2>
        {recovery}
        <h2>{r.t("acct-sessions")}</h2>
        <table><thead><tr><th>{r.t("acct-kind")}</th><th>{r.t("acct-started")}</th><th>{r.t("acct-last-used")}</th><th><span class="visually-hidden">{r.t("queue-actions")}</span></th></tr></thead>
            <tbody>{sessions}</tbody></table>
        <form method="post" action="/staff/account/sessions/end-all">
            {csrf_field(&page.csrf)}
            <div><button type="submit">{r.t("acct-sign-out-everywhere")}</button></div>
        </form>
    };
    document(PageMeta { title: &title, lang: r.language.tag() }, body)
}
