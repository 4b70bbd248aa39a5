//! When the requester is in danger: the second (duress) passphrase on the intake form and in
//! the portal, and checking in. The portal shows the second-passphrase form the same way in
//! every view, real or calm, never saying whether one is set.

use leptos::prelude::*;

use super::field_error;
use crate::i18n::Translator;

/// The intake form's optional second passphrase.
pub fn intake_fields(t: Translator, error: Option<&String>) -> impl IntoView + use<> {
    view! {
        <fieldset class="duress">
            <legend>{t.t("intake-duress-legend")}" "<span class="quiet">"(" {t.t("intake-optional")} ")"</span></legend>
            <p>{t.t("duress-intro")}</p>
            <p class="quiet">{t.t("duress-remember")}</p>
            <div><label for="duress_passphrase">{t.t("duress-field")}</label>
                <p class="quiet" id="duress_hint">{t.t("duress-hint")}</p>
                <input id="duress_passphrase" name="duress_passphrase" type="password" maxlength="200"
                    autocomplete="one-time-code" spellcheck="false" autocapitalize="none"
                    aria-describedby="duress_hint" />{field_error(error)}</div>
        </fieldset>
    }
}

/// The portal's form to set or replace the second passphrase.
pub fn portal_section(t: Translator, csrf: String) -> impl IntoView + use<> {
    let action = format!("/status/duress?lang={}", t.language.tag());
    view! {
        <h2>{t.t("duress-heading")}</h2>
        <p>{t.t("duress-intro")}</p>
        <p class="quiet">{t.t("duress-remember")}</p>
        <form method="post" autocomplete="off" action=action>
            <input type="hidden" name="csrf" value=csrf />
            <div><label for="duress_passphrase">{t.t("duress-field")}</label>
                <p class="quiet" id="duress_hint">{t.t("duress-hint")}</p>
                <input id="duress_passphrase" name="passphrase" type="password" required maxlength="200"
                    autocomplete="one-time-code" spellcheck="false" autocapitalize="none"
                    aria-describedby="duress_hint" /></div>
            <div><button type="submit">{t.t("duress-button")}</button></div>
        </form>
    }
}

/// Checking in: one button, and the safe word field (always there: the page does not say
/// whether one was agreed).
pub fn check_in_section(t: Translator, csrf: String, due: String) -> impl IntoView + use<> {
    let action = format!("/status/check-in?lang={}", t.language.tag());
    view! {
        <h2>{t.t("check-in-heading")}</h2>
        <p class="notice">{t.t_text("check-in-due", "date", &due)}</p>
        <form method="post" autocomplete="off" action=action>
            <input type="hidden" name="csrf" value=csrf />
            <div><label for="safe_word">{t.t("check-in-safe-word")}</label>
                <input id="safe_word" name="safe_word" type="password" maxlength="100"
                    autocomplete="one-time-code" spellcheck="false" autocapitalize="none" /></div>
            <div><button class="primary" type="submit">{t.t("check-in-button")}</button></div>
        </form>
    }
}
