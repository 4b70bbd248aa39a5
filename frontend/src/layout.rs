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

/// Renders a whole HTML document around `body`.
pub fn document(meta: PageMeta<'_>, body: impl IntoView + 'static) -> String {
    let title = format!("{} · Shelter", meta.title);
    let lang = meta.lang.to_owned();
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
                    <a class="brand" href="/">"Shelter"</a>
                </header>
                <main>{body}</main>
                <footer class="site">
                    <p>"Shelter keeps what you tell it encrypted and shares it only with the people handling your request."</p>
                </footer>
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
