//! Error pages: not found, unavailable, and any other failure. A requester's error page is
//! in their language, carries the quick exit, and shows the request id as a technical code
//! that cannot be mistaken for their own reference; staff see the English page.

use leptos::prelude::*;

use crate::i18n::Translator;
use crate::layout::{PageMeta, document};
use crate::pages::requester::page;

/// What an error page shows.
pub struct ErrorPage<'a> {
    /// The HTTP status code, shown small.
    pub status: u16,
    /// A short heading.
    pub title: &'a str,
    /// A sentence saying what happened and what to do.
    pub message: &'a str,
    /// The request id, so staff can find the log line.
    pub request_id: Option<&'a str>,
}

/// Renders a staff error page.
pub fn render(page: ErrorPage<'_>) -> String {
    let reference = page.request_id.map(|id| {
        let id = id.to_owned();
        view! { <p class="quiet">"Reference for support: " <code>{id}</code></p> }
    });
    let title = page.title.to_owned();
    let message = page.message.to_owned();
    let status = format!("Error {}", page.status);
    let body = view! {
        <h1>{title}</h1>
        <p>{message}</p>
        <p><a href="/">"Back to the start"</a></p>
        {reference}
        <p class="quiet">{status}</p>
    };
    document(PageMeta { title: page.title, lang: "en" }, body)
}

/// The catalogue's title and sentence for `status`.
fn requester_words(status: u16) -> (&'static str, &'static str) {
    match status {
        404 => ("error-title-not-found", "error-text-not-found"),
        503 => ("error-title-unavailable", "error-text-unavailable"),
        413 => ("error-title-failed", "error-body-too-large"),
        429 => ("error-title-wait", "error-rate-limited"),
        400..=499 => ("error-title-failed", "error-text-failed"),
        _ => ("error-title-broken", "error-generic"),
    }
}

/// Renders a requester's error page for `status`, in `t`'s language.
pub fn render_requester(t: Translator, status: u16, request_id: Option<&str>) -> String {
    let (title, message) = requester_words(status);
    let code = request_id.map(|id| view! { <p class="quiet">{t.t_text("error-code", "code", id)}</p> });
    let back = format!("/?lang={}", t.language.tag());
    let body = view! {
        <h1>{t.t(title)}</h1>
        <p>{t.t(message)}</p>
        <p><a href=back>{t.t("back-to-start")}</a></p>
        {code}
    };
    page(t, &t.t(title), None, body)
}

#[cfg(test)]
mod tests {
    use shelter_shared::language::Language;

    use super::*;

    #[test]
    fn a_requesters_error_page_has_the_quick_exit_and_no_support_reference() {
        for language in Language::ALL {
            let t = Translator::new(language);
            let html = render_requester(t, 404, Some("req-7f3a"));
            assert!(html.contains(r#"href="/exit""#), "{}", language.tag());
            assert!(html.contains(&t.t("error-title-not-found")), "{}", language.tag());
            assert!(html.contains("req-7f3a") && !html.contains("Reference for support"), "{}", language.tag());
            assert!(html.contains(&format!(r#"lang="{}""#, language.tag())));
        }
    }
}
