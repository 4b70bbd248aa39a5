//! The requester side: intake, receipt, status portal, staying safe. Every page works
//! without JavaScript, in seven languages, and carries a quick exit.

pub mod danger;
pub mod intake;
pub mod news;
pub mod portal;
pub mod received;
pub mod safety;
pub mod vouch;

use leptos::prelude::*;
use shelter_shared::language::Language;

use crate::i18n::Translator;
use crate::layout::{Frame, PageMeta, framed};

/// How a page offers its other languages.
pub enum Languages<'a> {
    /// Not at all.
    None,
    /// Links to `path?lang=xx`.
    Links(&'a str),
    /// Buttons that post the form `form` to `path?lang=xx`: what was typed comes back in
    /// the other language (no JavaScript needed).
    KeepTyping {
        /// The form's id.
        form: &'a str,
        /// Where it posts.
        path: &'a str,
    },
}

/// Renders a requester page: the quick exit first, then the language links, the body,
/// and the footer. `path` is where the language links point (with `?lang=`), if anywhere.
pub fn page(t: Translator, title: &str, path: Option<&str>, body: impl IntoView + 'static) -> String {
    page_with(t, title, path.map_or(Languages::None, Languages::Links), body)
}

fn language_items(t: Translator, languages: &Languages<'_>) -> Option<AnyView> {
    let item = |lang: Language| {
        let tag = lang.tag();
        let current = (lang == t.language).then_some("page");
        match *languages {
            Languages::None => ().into_any(),
            Languages::Links(path) => {
                let href = format!("{path}?lang={tag}");
                view! { <li><a href=href lang=tag hreflang=tag aria-current=current>{lang.endonym()}</a></li> }
                    .into_any()
            }
            Languages::KeepTyping { form, path } => {
                let action = format!("{path}?lang={tag}");
                view! { <li><button type="submit" form=form.to_owned() formaction=action formnovalidate=true name="switch_language"
                    value=tag lang=tag aria-current=current>{lang.endonym()}</button></li> }
                .into_any()
            }
        }
    };
    let default_button = match *languages {
        // Enter in a field presses a form's first submit button: keep that the form's own.
        Languages::KeepTyping { form, .. } => Some(view! {
            <button type="submit" form=form.to_owned() class="hidden-default" tabindex="-1" aria-hidden="true">{t.t("submit-request")}</button>
        }),
        _ => None,
    };
    (!matches!(languages, Languages::None)).then(|| {
        let items = Language::ALL.into_iter().map(item).collect_view();
        view! { {default_button}<nav class="languages-bar" aria-label=t.t("language-label")><ul class="languages small">{items}</ul></nav> }
            .into_any()
    })
}

/// [`page`] with any way of offering the other languages.
pub fn page_with(t: Translator, title: &str, languages: Languages<'_>, body: impl IntoView + 'static) -> String {
    let languages = language_items(t, &languages);
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
    let frame = Frame {
        site: t.t("site-name"),
        home: format!("/?lang={}", t.language.tag()),
        footer: Some(t.t("footer-privacy")),
    };
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
