//! Values placed inside raw-text elements.
//!
//! Leptos 0.8 writes the children of `<textarea>` (and `<noscript>`) without escaping them
//! (upstream reverted its fix), so a value re-shown there could close the element and
//! become markup. Every value a page puts in such an element goes through here.

/// `value` escaped for a `<textarea>`: the browser decodes the entities back, so the
/// person sees and resubmits exactly what they typed.
pub fn textarea(value: &str) -> String {
    html_escape::encode_text(value).into_owned()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_value_cannot_close_its_textarea() {
        assert_eq!(super::textarea("</textarea><h1>x & y"), "&lt;/textarea&gt;&lt;h1&gt;x &amp; y");
    }
}
