//! `GET /status`: the requester's portal: sign in, then status and messages.

use leptos::prelude::*;

use super::page;
use crate::i18n::Translator;

/// The sign-in form.
pub struct PortalSignIn {
    /// The language.
    pub t: Translator,
    /// An error, already translated.
    pub error: Option<String>,
    /// A notice (session ended), already translated.
    pub notice: Option<String>,
}

/// Renders the portal sign-in.
pub fn render_sign_in(form: PortalSignIn) -> String {
    let t = form.t;
    let action = format!("/status?lang={}", t.language.tag());
    let body = view! {
        <h1>{t.t("status-title")}</h1>
        <p>{t.t("status-intro")}</p>
        {form.notice.map(|n| view! { <p class="notice" role="status">{n}</p> })}
        {form.error.map(|m| view! { <p class="error" role="alert">{m}</p> })}
        <form method="post" action=action>
            <div><label for="reference">{t.t("field-reference")}</label>
                <input id="reference" name="reference" required maxlength="20" autocomplete="off" autocapitalize="characters" /></div>
            <div><label for="passphrase">{t.t("field-passphrase")}</label>
                <input id="passphrase" name="passphrase" type="password" required maxlength="200" autocomplete="off" /></div>
            <div><button class="primary" type="submit">{t.t("status-sign-in")}</button></div>
        </form>
    };
    page(t, &t.t("status-title"), Some("/status"), body)
}

/// One message line.
#[derive(Debug, Clone)]
pub struct MessageLine {
    /// From the requester (else from the network).
    pub from_requester: bool,
    /// Text.
    pub body: String,
    /// When, formatted.
    pub at: String,
}

/// A referral the requester is asked about, or has agreed to.
#[derive(Debug, Clone)]
pub struct PortalReferral {
    /// Id.
    pub id: String,
    /// Partner's display name.
    pub partner_name: String,
    /// Message id of the partner's kind.
    pub partner_kind_id: String,
    /// Message id of the state.
    pub status_id: String,
    /// What would be (or was) shared: (message id of the part, its text).
    pub packet: Vec<(String, String)>,
    /// Awaiting the requester's answer.
    pub can_answer: bool,
    /// Shared and still open: may be withdrawn.
    pub can_withdraw: bool,
}

/// The case view.
pub struct PortalCase {
    /// The language.
    pub t: Translator,
    /// Reference.
    pub reference: String,
    /// Status message id (`state-…`).
    pub status_id: String,
    /// Messages.
    pub messages: Vec<MessageLine>,
    /// The session's CSRF token.
    pub csrf: String,
    /// A notice, already translated.
    pub notice: Option<String>,
    /// An error, already translated.
    pub error: Option<String>,
    /// Largest attachment, in megabytes.
    pub max_mb: usize,
    /// Referrals to a lawyer.
    pub referrals: Vec<PortalReferral>,
}

/// Renders the case view.
pub fn render_case(view_data: PortalCase) -> String {
    let t = view_data.t;
    let lang = t.language.tag();
    let messages = if view_data.messages.is_empty() {
        view! { <p class="quiet">{t.t("messages-none")}</p> }.into_any()
    } else {
        view_data
            .messages
            .into_iter()
            .map(|m| {
                let (who, class) = if m.from_requester {
                    (t.t("message-from-you"), "message mine")
                } else {
                    (t.t("message-from-team"), "message")
                };
                view! { <div class=class><p class="quiet">{who}" · "{m.at}</p><p class="body">{m.body}</p></div> }
            })
            .collect_view()
            .into_any()
    };
    let referral_csrf = view_data.csrf.clone();
    let referrals = (!view_data.referrals.is_empty()).then(|| {
        let items = view_data
            .referrals
            .into_iter()
            .map(|r| {
                let packet = r.packet.into_iter().map(|(id, text)| view! { <dt>{t.t(&id)}</dt><dd class="body">{text}</dd> }).collect_view();
                let form = |action: &str, label: String| {
                    let url = format!("/status/referrals/{}/{action}?lang={lang}", r.id);
                    let csrf = referral_csrf.clone();
                    view! { <form method="post" action=url class="inline"><input type="hidden" name="csrf" value=csrf /><button type="submit">{label}</button></form> }
                };
                let answer = r.can_answer.then(|| view! { {form("consent", t.t("referral-consent"))}" " {form("refuse", t.t("referral-refuse"))} });
                let withdraw = r.can_withdraw.then(|| form("withdraw", t.t("referral-withdraw")));
                view! {
                    <div class="referral">
                        <p><strong>{t.t("referral-partner")}": "</strong>{r.partner_name}" (" {t.t(&r.partner_kind_id)} ")"</p>
                        <p class="notice">{t.t(&r.status_id)}</p>
                        <p><strong>{t.t("referral-will-share")}</strong></p>
                        <dl class="facts">{packet}</dl>
                        <p>{answer}{withdraw}</p>
                    </div>
                }
            })
            .collect_view();
        view! { <h2>{t.t("referral-heading")}</h2><p>{t.t("referral-intro")}</p>{items} }
    });
    let (csrf1, csrf2, csrf3) = (view_data.csrf.clone(), view_data.csrf.clone(), view_data.csrf);
    let hint = t.t_num("add-info-hint", "max_mb", view_data.max_mb);
    let body = view! {
        <h1>{t.t("status-heading")}</h1>
        <p>{t.t("field-reference")}": "<code>{view_data.reference}</code></p>
        <p class="notice">{t.t(&view_data.status_id)}</p>
        {view_data.notice.map(|n| view! { <p class="notice" role="status">{n}</p> })}
        {view_data.error.map(|m| view! { <p class="error" role="alert">{m}</p> })}
        {referrals}
        <h2>{t.t("messages-heading")}</h2>
        {messages}
        <form method="post" action=format!("/status/messages?lang={lang}")>
            <input type="hidden" name="csrf" value=csrf1 />
            <div><label for="body">{t.t("message-label")}</label>
                <textarea id="body" name="body" required maxlength="5000" rows="4"></textarea></div>
            <div><button type="submit">{t.t("message-send")}</button></div>
        </form>
        <h2>{t.t("add-info-heading")}</h2>
        <p class="quiet">{hint}</p>
        <form method="post" action=format!("/status/attachments?lang={lang}") enctype="multipart/form-data">
            <input type="hidden" name="csrf" value=csrf3 />
            <div><label for="file">{t.t("attachment-label")}</label>
                <input id="file" name="file" type="file" required accept="image/jpeg,image/png,image/webp,application/pdf" /></div>
            <div><button type="submit">{t.t("attachment-send")}</button></div>
        </form>
        <form method="post" action=format!("/status/sign-out?lang={lang}")>
            <input type="hidden" name="csrf" value=csrf2 />
            <div><button type="submit">{t.t("sign-out")}</button></div>
        </form>
    };
    page(t, &t.t("status-heading"), None, body)
}
