//! Staff sign-in: the password step, then the second-factor step. The account's language is
//! not known yet: `?lang=` chooses it, and every step keeps it.

use leptos::prelude::*;

use super::{csrf_field, error_line, language_links, with_lang};
use crate::layout::{PageMeta, document};
use crate::reader::Reader;

/// The password step.
pub struct SignIn<'a> {
    /// The language chosen with `?lang=`.
    pub reader: Reader,
    /// The pre-sign-in form token.
    pub form_token: &'a str,
    /// What went wrong last time.
    pub error: Option<&'a str>,
    /// The e-mail typed last time.
    pub email: &'a str,
    /// No account exists yet: say how to create the first administrator.
    pub first_run: bool,
}

/// Renders the password step.
pub fn render(page: SignIn<'_>) -> String {
    let r = page.reader;
    let first_run = page.first_run.then(|| {
        view! {
            <div class="notice">
                <p><strong>{r.t("signin-first-run")}</strong>" " {r.t("signin-first-run-how")}</p>
                <pre><code>"shelter user add --email you@example.org --name \"Your Name\" --role admin"</code></pre>
                <p>{r.t("signin-first-run-code")}" " <a href=with_lang(r, "/staff/enrol")>{r.t("signin-enrol-page")}</a></p>
            </div>
        }
    });
    let email = page.email.to_owned();
    let title = r.t("signin-title");
    let body = view! {
        {language_links(r, "/staff")}
        <h1>{title.clone()}</h1>
        {first_run}
        {error_line(page.error)}
        <form method="post" action=with_lang(r, "/staff/sign-in")>
            {csrf_field(page.form_token)}
            <div><label for="email">{r.t("signin-email")}</label>
                <input id="email" name="email" type="email" autocomplete="username" required value=email /></div>
            <div><label for="password">{r.t("signin-password")}</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="128" /></div>
            <div><button class="primary" type="submit">{r.t("signin-continue")}</button></div>
        </form>
        <p class="quiet">{r.t("signin-new")}" " <a href=with_lang(r, "/staff/enrol")>{r.t("signin-enrol")}</a></p>
    };
    document(PageMeta { title: &title, lang: r.language.tag() }, body)
}

/// The second-factor step.
pub struct SecondFactor<'a> {
    /// The language chosen with `?lang=`.
    pub reader: Reader,
    /// The pre-sign-in form token.
    pub form_token: &'a str,
    /// What went wrong last time.
    pub error: Option<&'a str>,
    /// Ask for a recovery code instead of a TOTP code.
    pub recovery: bool,
}

/// Renders the second-factor step.
pub fn render_second_factor(page: SecondFactor<'_>) -> String {
    let r = page.reader;
    let form = if page.recovery {
        view! {
            <form method="post" action=with_lang(r, "/staff/sign-in/recovery")>
                {csrf_field(page.form_token)}
                <div><label for="code">{r.t("signin-recovery-code")}</label>
                    <input id="code" name="code" autocomplete="off" required maxlength="32" /></div>
                <div><button class="primary" type="submit">{r.t("signin-sign-in")}</button></div>
            </form>
            <p class="quiet"><a href=with_lang(r, "/staff/sign-in/totp")>{r.t("signin-use-app")}</a></p>
        }
        .into_any()
    } else {
        view! {
            <form method="post" action=with_lang(r, "/staff/sign-in/totp")>
                {csrf_field(page.form_token)}
                <div><label for="code">{r.t("signin-totp-code")}</label>
                    <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" required maxlength="6" /></div>
                <div><button class="primary" type="submit">{r.t("signin-sign-in")}</button></div>
            </form>
            <p class="quiet"><a href=with_lang(r, "/staff/sign-in/recovery")>{r.t("signin-lost-phone")}</a></p>
        }
        .into_any()
    };
    let title = r.t("signin-second-step");
    let path = if page.recovery { "/staff/sign-in/recovery" } else { "/staff/sign-in/totp" };
    let body = view! {
        {language_links(r, path)}
        <h1>{title.clone()}</h1>
        {error_line(page.error)}
        {form}
    };
    document(PageMeta { title: &title, lang: r.language.tag() }, body)
}
