//! `GET /safety`: staying safe while using Shelter.

use leptos::prelude::*;

use super::page;
use crate::i18n::Translator;

/// Renders the safety page.
pub fn render(t: Translator) -> String {
    let back = format!("/request?lang={}", t.language.tag());
    let body = view! {
        <h1>{t.t("safety-title")}</h1>
        <ul class="points">
            <li>{t.t("safety-tor")}</li>
            <li>{t.t("safety-history")}</li>
            <li>{t.t("safety-shared")}</li>
            <li>{t.t("safety-passphrase")}</li>
            <li>{t.t("safety-save-never")}</li>
            <li>{t.t("safety-seized")}</li>
        </ul>
        <p><a href=back>{t.t("back-to-start")}</a></p>
    };
    page(t, &t.t("safety-title"), Some("/safety"), body)
}
