//! `GET /?lang=xx`: what Shelter is and how to ask for help, in the requester's language
//! (the bar on top switches it) and in neutral words: nothing on it may endanger someone
//! whose phone is inspected.

use leptos::prelude::*;

use crate::i18n::Translator;
use crate::pages::requester::page;

/// Renders the public landing page.
pub fn render(t: Translator) -> String {
    render_with(t, None)
}

/// Renders the landing page, naming the onion address when there is one.
pub fn render_with(t: Translator, onion: Option<&str>) -> String {
    let request = format!("/request?lang={}", t.language.tag());
    let status = format!("/status?lang={}", t.language.tag());
    let body = view! {
        <h1>{t.t("landing-title")}</h1>
        <p>{t.t("landing-intro")}</p>
        <ul class="points">
            <li>{t.t("landing-point-account")}</li>
            <li>{t.t("landing-point-danger")}</li>
            <li>{t.t("landing-point-keep")}</li>
        </ul>
        <p><a class="button primary" href=request>{t.t("landing-start")}</a></p>
        <h2>{t.t("landing-already")}</h2>
        <p><a class="button" href=status>{t.t("landing-check")}</a></p>
        {crate::pages::requester::safety::onion_line(t, onion)}
        <p class="quiet"><a href="/staff">{t.t("landing-staff")}</a></p>
    };
    page(t, &t.t("landing-title"), Some("/"), body)
}
