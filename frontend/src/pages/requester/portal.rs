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
    let (csrf1, csrf2, csrf3) = (view_data.csrf.clone(), view_data.csrf.clone(), view_data.csrf);
    let hint = t.t_num("add-info-hint", "max_mb", view_data.max_mb);
    let body = view! {
        <h1>{t.t("status-heading")}</h1>
        <p>{t.t("field-reference")}": "<code>{view_data.reference}</code></p>
        <p class="notice">{t.t(&view_data.status_id)}</p>
        {view_data.notice.map(|n| view! { <p class="notice" role="status">{n}</p> })}
        {view_data.error.map(|m| view! { <p class="error" role="alert">{m}</p> })}
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
