//! Staff sign-in: the password step, then the second-factor step.

use leptos::prelude::*;

use super::{csrf_field, error_line};
use crate::layout::{PageMeta, document};

/// The password step.
pub struct SignIn<'a> {
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
    let first_run = page.first_run.then(|| {
        view! {
            <div class="notice">
                <p><strong>"No staff account exists yet."</strong>" On the server, create the first administrator with:"</p>
                <pre><code>"shelter user add --email you@example.org --name \"Your Name\" --role admin"</code></pre>
                <p>"It prints a one-time enrolment code; use it on the "<a href="/staff/enrol">"enrolment page"</a>"."</p>
            </div>
        }
    });
    let email = page.email.to_owned();
    let body = view! {
        <h1>"Staff sign-in"</h1>
        {first_run}
        {error_line(page.error)}
        <form method="post" action="/staff/sign-in">
            {csrf_field(page.form_token)}
            <div><label for="email">"E-mail"</label>
                <input id="email" name="email" type="email" autocomplete="username" required value=email /></div>
            <div><label for="password">"Password"</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="128" /></div>
            <div><button class="primary" type="submit">"Continue"</button></div>
        </form>
        <p class="quiet">"New here? "<a href="/staff/enrol">"Enrol with the code you were given"</a>"."</p>
    };
    document(PageMeta { title: "Staff sign-in", lang: "en" }, body)
}

/// The second-factor step.
pub struct SecondFactor<'a> {
    /// The pre-sign-in form token.
    pub form_token: &'a str,
    /// What went wrong last time.
    pub error: Option<&'a str>,
    /// Ask for a recovery code instead of a TOTP code.
    pub recovery: bool,
}

/// Renders the second-factor step.
pub fn render_second_factor(page: SecondFactor<'_>) -> String {
    let form = if page.recovery {
        view! {
            <form method="post" action="/staff/sign-in/recovery">
                {csrf_field(page.form_token)}
                <div><label for="code">"Recovery code"</label>
                    <input id="code" name="code" autocomplete="off" required maxlength="32" /></div>
                <div><button class="primary" type="submit">"Sign in"</button></div>
            </form>
            <p class="quiet"><a href="/staff/sign-in/totp">"Use the authenticator app instead"</a></p>
        }
        .into_any()
    } else {
        view! {
            <form method="post" action="/staff/sign-in/totp">
                {csrf_field(page.form_token)}
                <div><label for="code">"Six-digit code from your authenticator app"</label>
                    <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" required maxlength="6" /></div>
                <div><button class="primary" type="submit">"Sign in"</button></div>
            </form>
            <p class="quiet"><a href="/staff/sign-in/recovery">"Lost your phone? Use a recovery code"</a></p>
        }
        .into_any()
    };
    let body = view! {
        <h1>"Second step"</h1>
        {error_line(page.error)}
        {form}
    };
    document(PageMeta { title: "Second step", lang: "en" }, body)
}
