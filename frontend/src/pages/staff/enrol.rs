//! Enrolment: code and password, then the authenticator app, then recovery codes. Before the
//! account is known, `?lang=` chooses the language and every step keeps it.

use leptos::prelude::*;

use super::{csrf_field, error_line, language_links, with_lang};
use crate::layout::{PageMeta, document};
use crate::reader::Reader;

/// Step one: the enrolment code and a new password.
pub struct EnrolStart<'a> {
    /// The language chosen with `?lang=`.
    pub reader: Reader,
    /// The pre-sign-in form token.
    pub form_token: &'a str,
    /// What went wrong last time.
    pub error: Option<&'a str>,
    /// The code typed last time.
    pub code: &'a str,
}

/// Renders step one.
pub fn render_start(page: EnrolStart<'_>) -> String {
    let r = page.reader;
    let code = page.code.to_owned();
    let title = r.t("enrol-title");
    let body = view! {
        {language_links(r, "/staff/enrol")}
        <h1>{title}</h1>
        <p>{r.t("enrol-intro")}</p>
        {error_line(page.error)}
        <form method="post" action=with_lang(r, "/staff/enrol")>
            {csrf_field(page.form_token)}
            <div><label for="code">{r.t("enrol-code")}</label>
                <input id="code" name="code" autocomplete="off" required maxlength="40" value=code /></div>
            <div><label for="password">{r.t("enrol-password")}</label>
                <input id="password" name="password" type="password" autocomplete="new-password" required minlength="12" maxlength="128" /></div>
            <div><button class="primary" type="submit">{r.t("signin-continue")}</button></div>
        </form>
    };
    document(PageMeta { title: &r.t("enrol-short-title"), lang: r.language.tag() }, body)
}

/// Step two: add the secret to an app and confirm with a code.
pub struct EnrolTotp<'a> {
    /// The language chosen with `?lang=`.
    pub reader: Reader,
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
    let r = page.reader;
    let (code, svg, secret, email) =
        (page.code.to_owned(), page.qr_svg.to_owned(), page.secret.to_owned(), page.email.to_owned());
    let title = r.t("enrol-app-title");
    let body = view! {
        <h1>{title.clone()}</h1>
        <p>{r.t_text("enrol-app-intro", "email", &email)}</p>
        {error_line(page.error)}
        <div class="qr" inner_html=svg></div>
        <p>{r.t("enrol-key")}" " <code class="secret">{secret}</code></p>
        <form method="post" action=with_lang(r, "/staff/enrol/confirm")>
            {csrf_field(page.form_token)}
            <input type="hidden" name="code" value=code />
            <div><label for="totp">{r.t("enrol-app-code")}</label>
                <input id="totp" name="totp" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" required maxlength="6" /></div>
            <div><button class="primary" type="submit">{r.t("enrol-confirm")}</button></div>
        </form>
    };
    document(PageMeta { title: &title, lang: r.language.tag() }, body)
}

/// Recovery codes, shown once.
pub struct RecoveryCodes<'a> {
    /// The reader (signed in, or the language chosen with `?lang=`).
    pub reader: Reader,
    /// The codes.
    pub codes: &'a [String],
    /// Where to go next.
    pub next_href: &'a str,
    /// The link's words.
    pub next_label: &'a str,
}

/// Renders the recovery codes.
pub fn render_recovery_codes(page: RecoveryCodes<'_>) -> String {
    let r = page.reader;
    let items = page.codes.iter().map(|c| view! { <li><code>{c.clone()}</code></li> }).collect_view();
    let (href, label) = (page.next_href.to_owned(), page.next_label.to_owned());
    let title = r.t("enrol-codes-title");
    let body = view! {
        <h1>{title.clone()}</h1>
        <p>{r.t("enrol-codes-intro")}" " <strong>{r.t("enrol-codes-once")}</strong></p>
        <ol class="codes">{items}</ol>
        <p><a class="button primary" href=href>{label}</a></p>
    };
    document(PageMeta { title: &title, lang: r.language.tag() }, body)
}
