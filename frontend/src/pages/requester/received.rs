//! After a request: the reference and passphrase, shown once.

use leptos::prelude::*;

use super::page;
use crate::i18n::Translator;

/// What the receipt shows; `None` credentials mean the receipt was already used.
pub struct Received {
    /// The language.
    pub t: Translator,
    /// Reference and passphrase, once.
    pub credentials: Option<(String, String)>,
}

/// Renders the receipt.
pub fn render(received: Received) -> String {
    let t = received.t;
    let status = format!("/status?lang={}", t.language.tag());
    let content = match received.credentials {
        Some((reference, passphrase)) => view! {
            <p>{t.t("received-intro")}</p>
            <dl class="credentials">
                <dt>{t.t("received-reference")}</dt><dd><code class="secret">{reference}</code></dd>
                <dt>{t.t("received-passphrase")}</dt><dd><code class="secret">{passphrase}</code></dd>
            </dl>
            <p class="notice warning">{t.t("received-memorise")}</p>
            <p>{t.t("received-do-not-store")}</p>
            <p>{t.t("received-next")}</p>
        }
        .into_any(),
        None => view! { <p class="notice">{t.t("received-already")}</p> }.into_any(),
    };
    let body = view! {
        <h1>{t.t("received-title")}</h1>
        {content}
        <p><a class="button" href=status>{t.t("received-go-status")}</a></p>
    };
    page(t, &t.t("received-title"), None, body)
}
