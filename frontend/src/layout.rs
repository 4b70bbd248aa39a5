//! The page shell: document head, header, footer.

use leptos::prelude::*;

use crate::STYLESHEET_PATH;

/// What every page tells the shell about itself.
pub struct PageMeta<'a> {
    /// The `<title>`, without the site name.
    pub title: &'a str,
    /// The BCP 47 tag for `<html lang>`.
    pub lang: &'a str,
}

/// What the shell shows around a requester's page, already in their language.
pub struct Frame {
    /// The product's visible name.
    pub site: String,
    /// Where the name links to (the landing page, in the same language).
    pub home: String,
    /// The footer sentence (the requester pages' promise; staff pages have none).
    pub footer: Option<String>,
}

/// Renders a whole staff HTML document around `body`: the name leads to the staff home, and
/// no footer (the requester's promise of privacy is addressed to requesters).
pub fn document(meta: PageMeta<'_>, body: impl IntoView + 'static) -> String {
    let frame = Frame { site: "Shelter".to_owned(), home: "/staff".to_owned(), footer: None };
    framed(meta, frame, body)
}

/// Renders a whole HTML document around `body`, with the header and footer of `frame`.
pub fn framed(meta: PageMeta<'_>, frame: Frame, body: impl IntoView + 'static) -> String {
    let title = format!("{} · {}", meta.title, frame.site);
    let lang = meta.lang.to_owned();
    let Frame { site, home, footer } = frame;
    let view = view! {
        <html lang=lang>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="robots" content="noindex, nofollow" />
                <title>{title}</title>
                <link rel="stylesheet" href=STYLESHEET_PATH />
            </head>
            <body>
                <header class="site">
                    <a class="brand" href=home>{site}</a>
                </header>
                <main>{body}</main>
                {footer.map(|footer| view! { <footer class="site"><p>{footer}</p></footer> })}
            </body>
        </html>
    };
    format!("<!DOCTYPE html>{}", view.to_html())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_cannot_close_its_element() {
        // Leptos escapes <title> children (unlike <textarea>'s: see raw_text); keep it so.
        let html = document(PageMeta { title: "</title><script>x</script>", lang: "en" }, "");
        assert!(html.contains("<title>&lt;/title&gt;&lt;script&gt;x&lt;/script&gt; · Shelter</title>"), "{html}");
    }
}
