//! `/staff/notices`: one's notices, who is on call; for administrators the rota and the
//! deliveries the worker gave up on, each with a retry button.

use leptos::prelude::*;
use shelter_shared::language::Language;

use super::{Nav, csrf_field, error_line, nav, notice_line};
use crate::layout::{PageMeta, document};

/// A notice in the list, already formatted.
#[derive(Debug, Clone)]
pub struct NoticeLine {
    /// What happened, generically.
    pub line: String,
    /// "urgent" or "not urgent".
    pub urgency: String,
    /// When, e.g. "2026-11-30 15:04 UTC".
    pub at: String,
    /// Not read yet.
    pub unread: bool,
}

/// A failed delivery, for administrators.
#[derive(Debug, Clone)]
pub struct FailedLine {
    /// Its id, for the retry form.
    pub delivery_id: String,
    /// The recipient's name.
    pub recipient: String,
    /// `email` or `webhook`.
    pub channel: String,
    /// Attempts made.
    pub attempts: i32,
    /// The last error.
    pub error: String,
    /// When the notice was queued.
    pub at: String,
}

/// A shift of the rota.
#[derive(Debug, Clone)]
pub struct ShiftLine {
    /// Its id, for the remove form.
    pub shift_id: String,
    /// Who.
    pub name: String,
    /// e.g. "Monday 08:00–17:00 (UTC+07:00)".
    pub when: String,
}

/// One's channel choices and quiet hours, as the form shows them.
#[derive(Debug, Clone, Default)]
pub struct PreferencesForm {
    /// Urgent notices by e-mail.
    pub email_urgent: bool,
    /// Other notices by e-mail.
    pub email_normal: bool,
    /// Urgent notices through the messenger bridge.
    pub webhook_urgent: bool,
    /// Other notices through the messenger bridge.
    pub webhook_normal: bool,
    /// "22:00" or "".
    pub quiet_from: String,
    /// "07:00" or "".
    pub quiet_until: String,
    /// "+07:00".
    pub offset: String,
    /// `none`, `hourly` or `daily`.
    pub digest: String,
    /// The language tag of one's notices.
    pub language: String,
    /// The address for e-mail notices, or "" for the sign-in address.
    pub address: String,
    /// The messenger handle, or "".
    pub handle: String,
}

fn preferences(csrf: &str, p: PreferencesForm) -> AnyView {
    let check = |name: &'static str, label: &'static str, on: bool| {
        view! { <label class="choice"><input type="checkbox" name=name value="on" checked=on />" " {label}</label> }
    };
    let digest = [("none", "each at once"), ("hourly", "gathered once an hour"), ("daily", "gathered once a day, at 08:00")]
        .into_iter()
        .map(|(value, label)| {
            let checked = p.digest == value;
            view! { <label class="choice"><input type="radio" name="digest" value=value checked=checked />" " {label}</label> }
        })
        .collect_view();
    let languages = Language::ALL
        .into_iter()
        .map(|l| {
            let selected = p.language == l.tag();
            view! { <option value=l.tag() selected=selected>{l.endonym()}</option> }
        })
        .collect_view();
    view! {
        <h2>"How you are told"</h2>
        <form method="post" action="/staff/notices/preferences">
            {csrf_field(csrf)}
            <fieldset>
                <legend>"Urgent notices"</legend>
                {check("email_urgent", "by e-mail", p.email_urgent)}
                {check("webhook_urgent", "through the messenger bridge", p.webhook_urgent)}
            </fieldset>
            <fieldset>
                <legend>"Other notices"</legend>
                {check("email_normal", "by e-mail", p.email_normal)}
                {check("webhook_normal", "through the messenger bridge", p.webhook_normal)}
            </fieldset>
            <p>"Quiet hours hold other notices until they end; urgent ones still come."</p>
            <label>"Quiet from " <input type="text" name="quiet_from" value=p.quiet_from placeholder="22:00" /></label>
            <label>"until " <input type="text" name="quiet_until" value=p.quiet_until placeholder="07:00" /></label>
            <label>"Time zone " <input type="text" name="offset" value=p.offset /></label>
            <fieldset>
                <legend>"Other notices by e-mail and messenger"</legend>
                {digest}
            </fieldset>
            <div><label for="language">"Language of e-mail and messenger notices"</label>
                <select id="language" name="language">{languages}</select></div>
            <p>"Where notices go. Both are kept encrypted; notices never say more than that something needs you."</p>
            <div><label for="address">"E-mail address for notices (empty: your sign-in address)"</label>
                <input id="address" name="address" type="email" maxlength="254" autocomplete="off" value=p.address /></div>
            <div><label for="handle">"Messenger handle for the bridge (empty: the bridge's own list)"</label>
                <input id="handle" name="handle" maxlength="100" autocomplete="off" value=p.handle /></div>
            <button type="submit">"Save"</button>
        </form>
    }
    .into_any()
}

/// The notices page.
#[derive(Debug, Clone)]
pub struct NoticesPage<'a> {
    /// Navigation.
    pub nav: Nav,
    /// The session's CSRF token.
    pub csrf: &'a str,
    /// One's notices, newest first.
    pub notices: Vec<NoticeLine>,
    /// Who is on call now.
    pub on_call: Vec<String>,
    /// One's channel choices and quiet hours.
    pub preferences: PreferencesForm,
    /// Administrators: the rota and failed deliveries.
    pub admin: Option<(Vec<ShiftLine>, Vec<FailedLine>)>,
    /// A problem.
    pub error: Option<String>,
    /// A confirmation.
    pub notice: Option<String>,
}

fn own_list(csrf: &str, notices: Vec<NoticeLine>) -> AnyView {
    if notices.is_empty() {
        return view! { <p class="quiet">"No notices."</p> }.into_any();
    }
    let rows = notices
        .into_iter()
        .map(|n| {
            let class = if n.unread { "unread" } else { "read" };
            view! { <tr class=class><td>{n.at}</td><td>{n.urgency}</td><td>{n.line}</td></tr> }
        })
        .collect_view();
    view! {
        <table><thead><tr><th>"When"</th><th>"Urgency"</th><th>"What"</th></tr></thead><tbody>{rows}</tbody></table>
        <form method="post" action="/staff/notices/read">
            {csrf_field(csrf)}
            <button type="submit">"Mark all read"</button>
        </form>
    }
    .into_any()
}

fn rota(csrf: &str, shifts: Vec<ShiftLine>) -> AnyView {
    let rows = shifts
        .into_iter()
        .map(|s| {
            let action = format!("/staff/notices/rota/{}/remove", s.shift_id);
            view! {
                <tr><td>{s.name}</td><td>{s.when}</td><td>
                    <form method="post" action=action class="inline">{csrf_field(csrf)}<button type="submit">"Remove"</button></form>
                </td></tr>
            }
        })
        .collect_view();
    let days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
        .into_iter()
        .enumerate()
        .map(|(i, d)| view! { <option value=(i + 1).to_string()>{d}</option> })
        .collect_view();
    view! {
        <h2>"On-call rota"</h2>
        <table><thead><tr><th>"Who"</th><th>"When"</th><th><span class="visually-hidden">"Actions"</span></th></tr></thead><tbody>{rows}</tbody></table>
        <form method="post" action="/staff/notices/rota">
            {csrf_field(csrf)}
            <label>"Account e-mail " <input type="email" name="email" required /></label>
            <label>"Day " <select name="weekday">{days}</select></label>
            <label>"From " <input type="text" name="starts" placeholder="08:00" required /></label>
            <label>"Until " <input type="text" name="ends" placeholder="17:00" required /></label>
            <label>"Time zone " <input type="text" name="offset" value="+07:00" required /></label>
            <button type="submit">"Add shift"</button>
        </form>
    }
    .into_any()
}

fn failures(csrf: &str, failed: Vec<FailedLine>) -> AnyView {
    if failed.is_empty() {
        return view! { <h2>"Failed deliveries"</h2><p class="quiet">"None."</p> }.into_any();
    }
    let rows = failed
        .into_iter()
        .map(|f| {
            let action = format!("/staff/notices/{}/retry", f.delivery_id);
            view! {
                <tr><td>{f.at}</td><td>{f.recipient}</td><td>{f.channel}</td><td>{f.attempts}</td><td>{f.error}</td><td>
                    <form method="post" action=action class="inline">{csrf_field(csrf)}<button type="submit">"Retry"</button></form>
                </td></tr>
            }
        })
        .collect_view();
    view! {
        <h2>"Failed deliveries"</h2>
        <table>
            <thead><tr><th>"Queued"</th><th>"To"</th><th>"Channel"</th><th>"Attempts"</th><th>"Last error"</th><th><span class="visually-hidden">"Actions"</span></th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}

/// Renders the page.
pub fn render(page: NoticesPage<'_>) -> String {
    let on_call = if page.on_call.is_empty() {
        "Nobody is on call now: new urgent cases go to every supervisor.".to_owned()
    } else {
        format!("On call now: {}.", page.on_call.join(", "))
    };
    let admin = page.admin.map(|(shifts, failed)| {
        view! { {rota(page.csrf, shifts)} {failures(page.csrf, failed)} }
    });
    let body = view! {
        {nav(page.nav)}
        <h1>"Notices"</h1>
        {error_line(page.error.as_deref())}
        {notice_line(page.notice.as_deref())}
        <p>{on_call}</p>
        {own_list(page.csrf, page.notices)}
        {preferences(page.csrf, page.preferences)}
        {admin}
    };
    document(PageMeta { title: "Notices", lang: "en" }, body)
}
