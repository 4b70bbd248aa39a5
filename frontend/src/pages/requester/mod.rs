//! The requester side: intake, receipt, status portal, staying safe. Every page works
//! without JavaScript, in seven languages, and carries a quick exit.

pub mod intake;
pub mod news;
pub mod portal;
pub mod received;
pub mod safety;

use leptos::prelude::*;
use shelter_shared::language::Language;

use crate::i18n::Translator;
use crate::layout::{Frame, PageMeta, framed};

/// Renders a requester page: the quick exit first, then the language links, the body,
/// and the footer. `path` is where the language links point (with `?lang=`), if anywhere.
pub fn page(t: Translator, title: &str, path: Option<&str>, body: impl IntoView + 'static) -> String {
    let languages = path.map(|path| {
        let links = Language::ALL
            .into_iter()
            .map(|lang| {
                let href = format!("{path}?lang={}", lang.tag());
                let current = (lang == t.language).then_some("page");
                let tag = lang.tag();
                view! { <li><a href=href lang=tag hreflang=tag aria-current=current>{lang.endonym()}</a></li> }
            })
            .collect_view();
        view! { <nav class="languages-bar" aria-label=t.t("language-label")><ul class="languages small">{links}</ul></nav> }
    });
    let safety = format!("/safety?lang={}", t.language.tag());
    let body = view! {
        <div class="exit-bar">
            <a class="exit" href="/exit" rel="noreferrer">{t.t("quick-exit")}</a>
            <span class="quiet">{t.t("quick-exit-hint")}</span>
        </div>
        {languages}
        {body}
        <p class="quiet"><a href=safety>{t.t("staying-safe-link")}</a></p>
    };
    let frame =
        Frame { site: t.t("site-name"), home: format!("/?lang={}", t.language.tag()), footer: t.t("footer-privacy") };
    framed(PageMeta { title, lang: t.language.tag() }, frame, body)
}

/// An error line under a field, if any.
pub fn field_error(message: Option<&String>) -> impl IntoView + use<> {
    message.map(|m| {
        let m = m.clone();
        view! { <p class="error" role="alert">{m}</p> }
    })
}

#[cfg(test)]
mod wording_tests;
