//! Before the network writes to a partner: the message came back, held, because it seems
//! to hold details the requester did not consent to share. The form is filled in as typed;
//! "check again and send" runs the check again, "send anyway" confirms.

use leptos::prelude::*;
use shelter_shared::disclosure::Finding;

use super::{Nav, csrf_field, nav};
use crate::layout::{PageMeta, document};
use crate::raw_text;

/// The held message.
pub struct PartnerWarning {
    /// Navigation.
    pub nav: Nav,
    /// Where the form posts (the referral's message URL).
    pub action: String,
    /// The case page.
    pub case_href: String,
    /// The partner's name.
    pub partner: String,
    /// The message as typed.
    pub text: String,
    /// What looks unconsented.
    pub findings: Vec<Finding>,
}

/// Renders the warning with the message form filled in.
pub fn render(page: PartnerWarning) -> String {
    let r = page.nav.reader;
    let csrf = page.nav.csrf.clone();
    let findings = page
        .findings
        .iter()
        .map(|finding| {
            let (id, text) = match finding {
                Finding::Phone(t) => ("hw-warn-phone", t),
                Finding::Email(t) => ("hw-warn-email", t),
                Finding::Name(t) => ("hw-warn-name", t),
                Finding::Contact(t) => ("hw-warn-contact", t),
            };
            view! { <li>{r.t_text(id, "text", text)}</li> }
        })
        .collect_view();
    let title = r.t("hw-warn-title");
    let body = view! {
        {nav(page.nav)}
        <h1>{title.clone()}</h1>
        <div class="error" role="alert">
            <p>{r.t("hw-warn-intro")}</p>
            <ul class="findings">{findings}</ul>
            <p>{r.t("hw-warn-nothing-sent")}</p>
        </div>
        <form method="post" action=page.action>
            {csrf_field(&csrf)}
            <div>
                <label for="warned-text">{r.t("hw-warn-label")} " (" {page.partner} ")"</label>
                <textarea id="warned-text" name="text" rows="6" maxlength="5000" required>{raw_text::textarea(&page.text)}</textarea>
            </div>
            <div>
                <button type="submit">{r.t("hw-warn-check")}</button>
                " "
                <button type="submit" name="send_anyway" value="yes" class="secondary">{r.t("hw-warn-send-anyway")}</button>
            </div>
        </form>
        <p><a href=page.case_href>{r.t("hw-warn-back")}</a></p>
    };
    document(PageMeta { title: &title, lang: r.language.tag() }, body)
}
