//! `GET /`: what Shelter is and how to ask for help.

use leptos::prelude::*;
use shelter_shared::language::Language;

use crate::layout::{PageMeta, document};

/// Renders the public landing page.
pub fn render() -> String {
    let languages = Language::ALL
        .into_iter()
        .map(|lang| {
            let href = format!("/request?lang={}", lang.tag());
            let tag = lang.tag();
            view! { <li><a href=href lang=tag hreflang=tag>{lang.endonym()}</a></li> }
        })
        .collect_view();
    let body = view! {
        <h1>"Ask for help, safely"</h1>
        <p>
            "Shelter is the help desk of a network of environmental human-rights defenders in the Mekong region. "
            "If you or someone you work with faces arrest, charges, threats, surveillance, a digital attack, "
            "or has to leave home in a hurry, you can ask the network for legal, financial, relocation, "
            "medical or digital-security help here."
        </p>
        <ul class="points">
            <li>"You do not need an account. Only a short description and your country are required."</li>
            <li>"Do not write anything that would be dangerous if your phone were taken, until a safe way to talk has been agreed."</li>
            <li>"You will receive a reference and a passphrase to check on your request later. Remember them; write them nowhere unsafe."</li>
        </ul>
        <h2>"Start a request"</h2>
        <ul class="languages">{languages}</ul>
        <h2>"Already asked?"</h2>
        <p><a class="button" href="/status">"Check the status of a request"</a></p>
        <p class="quiet"><a href="/staff">"Staff sign-in"</a></p>
    };
    document(PageMeta { title: "Ask for help", lang: "en" }, body)
}
