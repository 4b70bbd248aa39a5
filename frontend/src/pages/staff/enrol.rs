//! Enrolment: code and password, then the authenticator app, then recovery codes.

use leptos::prelude::*;

use super::{csrf_field, error_line};
use crate::layout::{PageMeta, document};

/// Step one: the enrolment code and a new password.
pub struct EnrolStart<'a> {
    /// The pre-sign-in form token.
    pub form_token: &'a str,
    /// What went wrong last time.
    pub error: Option<&'a str>,
    /// The code typed last time.
    pub code: &'a str,
}

/// Renders step one.
pub fn render_start(page: EnrolStart<'_>) -> String {
    let code = page.code.to_owned();
    let body = view! {
        <h1>"Enrol your staff account"</h1>
        <p>"Type the one-time code an administrator gave you and choose a password: at least 12 characters, "
           "best a phrase of several unrelated words. You will then add Shelter to an authenticator app."</p>
        {error_line(page.error)}
        <form method="post" action="/staff/enrol">
            {csrf_field(page.form_token)}
            <div><label for="code">"Enrolment code"</label>
                <input id="code" name="code" autocomplete="off" required maxlength="40" value=code /></div>
            <div><label for="password">"New password"</label>
                <input id="password" name="password" type="password" autocomplete="new-password" required minlength="12" maxlength="128" /></div>
            <div><button class="primary" type="submit">"Continue"</button></div>
        </form>
    };
    document(PageMeta { title: "Enrol", lang: "en" }, body)
}

/// Step two: add the secret to an app and confirm with a code.
pub struct EnrolTotp<'a> {
    /// The pre-sign-in form token.
    pub form_token: &'a str,
    /// The enrolment code, carried to the confirmation.
    pub code: &'a str,
    /// The QR code as inline SVG, drawn by the server.
    pub qr_svg: &'a str,
    /// The secret in base32.
    pub secret: &'a str,
    /// The account's e-mail.
    pub email: &'a str,
    /// What went wrong last time.
    pub error: Option<&'a str>,
}

/// Renders step two.
pub fn render_totp(page: EnrolTotp<'_>) -> String {
    let (code, svg, secret, email) =
        (page.code.to_owned(), page.qr_svg.to_owned(), page.secret.to_owned(), page.email.to_owned());
    let body = view! {
        <h1>"Add Shelter to your authenticator app"</h1>
        <p>"Scan this code with an authenticator app (for example Aegis, 2FAS or Google Authenticator) for "
           <strong>{email}</strong>", or type the key below by hand."</p>
        {error_line(page.error)}
        <div class="qr" inner_html=svg></div>
        <p>"Key: "<code class="secret">{secret}</code></p>
        <form method="post" action="/staff/enrol/confirm">
            {csrf_field(page.form_token)}
            <input type="hidden" name="code" value=code />
            <div><label for="totp">"Six-digit code the app shows now"</label>
                <input id="totp" name="totp" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" required maxlength="6" /></div>
            <div><button class="primary" type="submit">"Confirm"</button></div>
        </form>
    };
    document(PageMeta { title: "Authenticator app", lang: "en" }, body)
}

/// Recovery codes, shown once.
pub struct RecoveryCodes<'a> {
    /// The codes.
    pub codes: &'a [String],
    /// Where to go next.
    pub next_href: &'a str,
    /// The link's words.
    pub next_label: &'a str,
}

/// Renders the recovery codes.
pub fn render_recovery_codes(page: RecoveryCodes<'_>) -> String {
    let items = page.codes.iter().map(|c| view! { <li><code>{c.clone()}</code></li> }).collect_view();
    let (href, label) = (page.next_href.to_owned(), page.next_label.to_owned());
    let body = view! {
        <h1>"Your recovery codes"</h1>
        <p>"Each code signs you in once if you lose your phone. Write them on paper and keep them safe. "
           <strong>"They are shown only now."</strong></p>
        <ol class="codes">{items}</ol>
        <p><a class="button primary" href=href>{label}</a></p>
    };
    document(PageMeta { title: "Recovery codes", lang: "en" }, body)
}
