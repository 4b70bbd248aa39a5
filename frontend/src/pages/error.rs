//! Error pages: not found, unavailable, and any other failure.

use leptos::prelude::*;

use crate::layout::{PageMeta, document};

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

/// Renders an error page.
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
