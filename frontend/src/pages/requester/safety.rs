//! `GET /safety`: staying safe while using Shelter, with short advice for the requester's
//! country or territory (`?country=MM`), chosen with a plain GET form.

use leptos::prelude::*;

use super::page;
use crate::countries;
use crate::i18n::Translator;

/// The places with advice of their own: the Mekong region.
pub const ADVICE_FOR: [&str; 6] = ["MM", "TH", "KH", "LA", "VN", "CN"];

/// Renders the safety page without an onion address or a country.
pub fn render(t: Translator) -> String {
    render_with(t, None, None)
}

/// The onion address line, for the landing and safety pages.
pub fn onion_line(t: Translator, onion: Option<&str>) -> impl IntoView + use<> {
    onion.map(|address| view! { <p class="onion">{t.t("onion-address")}" "<code>{address.to_owned()}</code></p> })
}

/// Renders the safety page; `onion` names the onion address, `country` picks the advice.
pub fn render_with(t: Translator, onion: Option<&str>, country: Option<&str>) -> String {
    let lang = t.language.tag();
    let back = format!("/request?lang={lang}");
    let country = country.map(str::to_ascii_uppercase).filter(|c| ADVICE_FOR.contains(&c.as_str()));
    let options = ADVICE_FOR
        .into_iter()
        .map(|code| {
            let selected = country.as_deref() == Some(code);
            view! { <option value=code selected=selected>{countries::name(t, code)}</option> }
        })
        .collect_view();
    let advice = country.map(|code| {
        let heading = countries::name(t, &code);
        let lines = (1..=2).map(|n| view! { <li>{t.t(&format!("safety-country-{code}-{n}"))}</li> }).collect_view();
        view! { <h3>{heading}</h3><ul class="points">{lines}</ul> }
    });
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
        {onion_line(t, onion)}
        <h2>{t.t("safety-if-seized-heading")}</h2>
        <ul class="points">
            <li>{t.t("safety-if-seized")}</li>
            <li>{t.t("safety-clear-browser")}</li>
            <li>{t.t("safety-quick-exit")}</li>
        </ul>
        <h2>{t.t("safety-country-heading")}</h2>
        <form method="get" action="/safety">
            <input type="hidden" name="lang" value=lang />
            <div><label for="country">{t.t("safety-country-choose")}</label>
                <select id="country" name="country">{options}</select></div>
            <div><button type="submit">{t.t("safety-country-show")}</button></div>
        </form>
        {advice}
        <p><a href=back>{t.t("back-to-start")}</a></p>
    };
    page(t, &t.t("safety-title"), Some("/safety"), body)
}

#[cfg(test)]
mod tests {
    use shelter_shared::language::Language;

    use super::*;

    #[test]
    fn every_country_has_its_advice_in_every_language() {
        for language in Language::ALL {
            let t = Translator::new(language);
            for code in ADVICE_FOR {
                let html = render_with(t, Some("http://example.onion"), Some(code));
                assert!(
                    !html.contains("safety-country-") && !html.contains("safety-if-"),
                    "{}: {code}",
                    language.tag()
                );
                for n in 1..=2 {
                    let text = t.t(&format!("safety-country-{code}-{n}"));
                    let english = Translator::new(Language::English).t(&format!("safety-country-{code}-{n}"));
                    assert!(
                        language == Language::English || text != english,
                        "{}: {code}-{n} untranslated",
                        language.tag()
                    );
                }
                assert!(html.contains("http://example.onion"), "{}", language.tag());
            }
        }
    }

    #[test]
    fn no_onion_address_no_line_and_an_unknown_country_gets_only_the_chooser() {
        let html = render_with(Translator::new(Language::English), None, Some("FR"));
        assert!(!html.contains(".onion") && !html.contains("<h3>"), "{html}");
    }
}
