//! `/staff/notices`: one's notices, who is on call; for administrators the rota and the
//! deliveries the worker gave up on, each with a retry button.

use leptos::prelude::*;
use shelter_shared::language::Language;

use super::{Nav, csrf_field, error_line, nav, notice_line};
use crate::layout::{PageMeta, document};
use crate::reader::Reader;

/// A notice in the list.
#[derive(Debug, Clone)]
pub struct NoticeLine {
    /// Its kind (`grant_awaits_approval`…): what happened, generically, in words.
    pub kind: String,
    /// Urgent or not.
    pub urgent: bool,
    /// When, on the reader's clock.
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
    /// Day of the week, 1 (Monday) to 7.
    pub weekday: i16,
    /// "08:00–17:00 (UTC+07:00)".
    pub hours: String,
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

fn preferences(r: Reader, csrf: &str, p: PreferencesForm) -> AnyView {
    let check = |name: &'static str, label: &str, on: bool| {
        let label = r.t(label);
        view! { <label class="choice"><input type="checkbox" name=name value="on" checked=on />" " {label}</label> }
    };
    let digest = [("none", "not-digest-none"), ("hourly", "not-digest-hourly"), ("daily", "not-digest-daily")]
        .into_iter()
        .map(|(value, label)| {
            let checked = p.digest == value;
            view! { <label class="choice"><input type="radio" name="digest" value=value checked=checked />" " {r.t(label)}</label> }
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
        <h2>{r.t("not-how-title")}</h2>
        <form method="post" action="/staff/notices/preferences">
            {csrf_field(csrf)}
            <fieldset>
                <legend>{r.t("not-urgent-legend")}</legend>
                {check("email_urgent", "not-by-email", p.email_urgent)}
                {check("webhook_urgent", "not-by-bridge", p.webhook_urgent)}
            </fieldset>
            <fieldset>
                <legend>{r.t("not-other-legend")}</legend>
                {check("email_normal", "not-by-email", p.email_normal)}
                {check("webhook_normal", "not-by-bridge", p.webhook_normal)}
            </fieldset>
            <p>{r.t("not-quiet-hint")}</p>
            <label>{r.t("not-quiet-from")} " " <input type="text" name="quiet_from" value=p.quiet_from placeholder="22:00" /></label>
            " " <label>{r.t("not-quiet-until")} " " <input type="text" name="quiet_until" value=p.quiet_until placeholder="07:00" /></label>
            " " <label>{r.t("not-time-zone")} " " <input type="text" name="offset" value=p.offset /></label>
            <fieldset>
                <legend>{r.t("not-digest-legend")}</legend>
                {digest}
            </fieldset>
            <div><label for="language">{r.t("not-language")}</label>
                <select id="language" name="language">{languages}</select></div>
            <p>{r.t("not-where-hint")}</p>
            <div><label for="address">{r.t("not-address")}</label>
                <input id="address" name="address" type="email" maxlength="254" autocomplete="off" value=p.address /></div>
            <div><label for="handle">{r.t("not-handle")}</label>
                <input id="handle" name="handle" maxlength="100" autocomplete="off" value=p.handle /></div>
            <button type="submit">{r.t("not-save")}</button>
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

/// What a notice of `kind` says, in words.
pub fn kind_line(r: Reader, kind: &str) -> String {
    r.t(&format!("not-kind-{}", kind.replace('_', "-")))
}

fn own_list(r: Reader, csrf: &str, notices: Vec<NoticeLine>) -> AnyView {
    if notices.is_empty() {
        return view! { <p class="quiet">{r.t("not-none")}</p> }.into_any();
    }
    let rows = notices
        .into_iter()
        .map(|n| {
            let class = if n.unread { "unread" } else { "read" };
            let urgency = r.t(if n.urgent { "not-urgent" } else { "not-not-urgent" });
            view! { <tr class=class><td>{n.at}</td><td>{urgency}</td><td>{kind_line(r, &n.kind)}</td></tr> }
        })
        .collect_view();
    view! {
        <table><thead><tr><th>{r.t("not-col-when")}</th><th>{r.t("not-col-urgency")}</th><th>{r.t("not-col-what")}</th></tr></thead><tbody>{rows}</tbody></table>
        <form method="post" action="/staff/notices/read">
            {csrf_field(csrf)}
            <button type="submit">{r.t("not-mark-read")}</button>
        </form>
    }
    .into_any()
}

fn day(r: Reader, weekday: i16) -> String {
    r.t(&format!("not-day-{}", weekday.clamp(1, 7)))
}

fn rota(r: Reader, csrf: &str, shifts: Vec<ShiftLine>) -> AnyView {
    let rows = shifts
        .into_iter()
        .map(|s| {
            let action = format!("/staff/notices/rota/{}/remove", s.shift_id);
            view! {
                <tr><td>{s.name}</td><td>{day(r, s.weekday)}" " {s.hours}</td><td>
                    <form method="post" action=action class="inline">{csrf_field(csrf)}<button type="submit">{r.t("not-remove")}</button></form>
                </td></tr>
            }
        })
        .collect_view();
    let days = (1..=7).map(|d: i16| view! { <option value=d.to_string()>{day(r, d)}</option> }).collect_view();
    view! {
        <h2>{r.t("not-rota-title")}</h2>
        <table><thead><tr><th>{r.t("not-col-who")}</th><th>{r.t("not-col-when")}</th><th><span class="visually-hidden">{r.t("adm-actions")}</span></th></tr></thead><tbody>{rows}</tbody></table>
        <form method="post" action="/staff/notices/rota">
            {csrf_field(csrf)}
            <label>{r.t("not-rota-email")} " " <input type="email" name="email" required /></label>
            " " <label>{r.t("not-rota-day")} " " <select name="weekday">{days}</select></label>
            " " <label>{r.t("not-rota-from")} " " <input type="text" name="starts" placeholder="08:00" required /></label>
            " " <label>{r.t("not-rota-until")} " " <input type="text" name="ends" placeholder="17:00" required /></label>
            " " <label>{r.t("not-time-zone")} " " <input type="text" name="offset" value="+07:00" required /></label>
            " " <button type="submit">{r.t("not-rota-add")}</button>
        </form>
    }
    .into_any()
}

fn failures(r: Reader, csrf: &str, failed: Vec<FailedLine>) -> AnyView {
    if failed.is_empty() {
        return view! { <h2>{r.t("not-failed-title")}</h2><p class="quiet">{r.t("not-failed-none")}</p> }.into_any();
    }
    let rows = failed
        .into_iter()
        .map(|f| {
            let action = format!("/staff/notices/{}/retry", f.delivery_id);
            view! {
                <tr><td>{f.at}</td><td>{f.recipient}</td><td>{channel(r, &f.channel)}</td><td>{f.attempts}</td><td>{f.error}</td><td>
                    <form method="post" action=action class="inline">{csrf_field(csrf)}<button type="submit">{r.t("not-retry")}</button></form>
                </td></tr>
            }
        })
        .collect_view();
    view! {
        <h2>{r.t("not-failed-title")}</h2>
        <table>
            <thead><tr><th>{r.t("not-col-queued")}</th><th>{r.t("not-col-to")}</th><th>{r.t("not-col-channel")}</th><th>{r.t("not-col-attempts")}</th>
                <th>{r.t("not-col-error")}</th><th><span class="visually-hidden">{r.t("adm-actions")}</span></th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}

/// A delivery channel in words.
fn channel(r: Reader, channel: &str) -> String {
    match channel {
        "email" => r.t("not-channel-email"),
        "webhook" => r.t("not-channel-webhook"),
        other => other.to_owned(),
    }
}

/// Renders the page.
pub fn render(page: NoticesPage<'_>) -> String {
    let r = page.nav.reader;
    let on_call = if page.on_call.is_empty() {
        r.t("nav-nobody-on-call")
    } else {
        r.t_text("nav-on-call", "names", &page.on_call.join(", "))
    };
    let admin = page.admin.map(|(shifts, failed)| {
        view! { {rota(r, page.csrf, shifts)} {failures(r, page.csrf, failed)} }
    });
    let title = r.t("not-title");
    let body = view! {
        {nav(page.nav)}
        <h1>{title.clone()}</h1>
        {error_line(page.error.as_deref())}
        {notice_line(page.notice.as_deref())}
        <p>{on_call}</p>
        {own_list(r, page.csrf, page.notices)}
        {preferences(r, page.csrf, page.preferences)}
        {admin}
    };
    document(PageMeta { title: &title, lang: r.language.tag() }, body)
}
