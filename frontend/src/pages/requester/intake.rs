//! `GET /request?lang=xx`: the intake form.

use std::collections::HashMap;

use leptos::prelude::*;
use shelter_shared::intake::{IncidentKind, Need, Urgency};

use super::field_error;
use crate::countries;
use crate::i18n::Translator;
use crate::raw_text;

/// What the person typed, echoed back after an error.
#[derive(Debug, Clone, Default)]
pub struct IntakeValues {
    /// Kind.
    pub kind: String,
    /// When.
    pub when: String,
    /// Country code.
    pub country: String,
    /// Place.
    pub place: String,
    /// Urgency.
    pub urgency: String,
    /// Narrative.
    pub narrative: String,
    /// Who is at risk.
    pub at_risk: String,
    /// Needs ticked.
    pub needs: Vec<String>,
    /// Contact.
    pub contact: String,
    /// Contact time.
    pub contact_time: String,
    /// Being told about news.
    pub news: super::news::NewsValues,
}

/// The form page.
pub struct IntakeForm {
    /// The language.
    pub t: Translator,
    /// One-time token: a reload or a second click is not a second case.
    pub token: String,
    /// The double-submit token (its twin is in a cookie).
    pub csrf: String,
    /// Values to echo.
    pub values: IntakeValues,
    /// Errors by field, already translated.
    pub errors: HashMap<&'static str, String>,
    /// An error about the whole form.
    pub form_error: Option<String>,
    /// The channels news may come on here (none: the choice is not offered).
    pub news_channels: Vec<shelter_shared::notice::NewsChannel>,
}

/// The message id naming an incident kind (also on the consent page).
pub fn kind_label(kind: IncidentKind) -> &'static str {
    match kind {
        IncidentKind::ArrestDetention => "kind-arrest",
        IncidentKind::CriminalCharges => "kind-charges",
        IncidentKind::ThreatAttack => "kind-threat",
        IncidentKind::DigitalAttack => "kind-digital",
        IncidentKind::Relocation => "kind-relocation",
        IncidentKind::Medical => "kind-medical",
        IncidentKind::NotSure => "kind-not-sure",
    }
}

fn urgency_label(urgency: Urgency) -> &'static str {
    match urgency {
        Urgency::Immediate => "urgency-immediate",
        Urgency::Days => "urgency-days",
        Urgency::Weeks => "urgency-weeks",
        Urgency::Information => "urgency-information",
    }
}

fn need_label(need: Need) -> &'static str {
    match need {
        Need::Legal => "need-legal",
        Need::Money => "need-money",
        Need::Relocation => "need-relocation",
        Need::Medical => "need-medical",
        Need::DigitalSecurity => "need-digital",
        Need::Other => "need-other",
    }
}

/// The form's fields in page order: (name, element id, label message id), for the summary.
const FIELDS: [(&str, &str, &str); 12] = [
    ("kind", "kind", "field-kind"),
    ("country", "country", "field-country"),
    ("narrative", "narrative", "field-narrative"),
    ("urgency", "urgency", "field-urgency"),
    ("when", "when", "field-when"),
    ("place", "place", "field-place"),
    ("at_risk", "at_risk", "field-at-risk"),
    ("needs", "needs", "field-needs"),
    ("contact", "contact", "field-contact"),
    ("contact_time", "contact_time", "field-contact-time"),
    ("news_address", "news_address", "news-address"),
    ("duress_passphrase", "duress_passphrase", "duress-field"),
];

/// The problems at the top of the page, each linking to its field, so a refused form does
/// not look unchanged at the top of a long page.
fn error_summary(t: Translator, errors: &HashMap<&'static str, String>) -> impl IntoView + use<> {
    let items = FIELDS
        .iter()
        .filter_map(|(name, id, label)| {
            let message = errors.get(name)?.clone();
            let href = format!("#{id}");
            Some(view! { <li><a href=href>{t.t(label)}": "{message}</a></li> })
        })
        .collect_view();
    (!errors.is_empty()).then(|| {
        view! {
            <div class="error-summary" role="alert" aria-labelledby="error-summary-title">
                <h2 id="error-summary-title">{t.t("intake-error-summary")}</h2>
                <ul>{items}</ul>
            </div>
        }
    })
}

fn label(t: Translator, id: &str, field: &str, required: bool) -> impl IntoView + use<> {
    let marker = if required { t.t("intake-required") } else { t.t("intake-optional") };
    let (text, field) = (t.t(id), field.to_owned());
    view! { <label for=field>{text}" "<span class="quiet">"(" {marker} ")"</span></label> }
}

/// The form's id, for the language buttons outside it.
const FORM_ID: &str = "intake";

/// Renders the intake form.
pub fn render(form: IntakeForm) -> String {
    let t = form.t;
    let v = form.values;
    let e = &form.errors;
    let action = format!("/request?lang={}", t.language.tag());
    let radio = |name: &'static str, value: &'static str, text: String, checked: bool| {
        view! { <label class="choice"><input type="radio" name=name value=value checked=checked />" " {text}</label> }
    };
    let kinds = IncidentKind::ALL
        .iter()
        .map(|k| radio("kind", k.as_str(), t.t(kind_label(*k)), v.kind == k.as_str()))
        .collect_view();
    let urgencies = Urgency::ALL
        .iter()
        .map(|u| radio("urgency", u.as_str(), t.t(urgency_label(*u)), v.urgency == u.as_str()))
        .collect_view();
    let needs = Need::ALL
        .iter()
        .map(|n| {
            let checked = v.needs.iter().any(|x| x == n.as_str());
            view! { <label class="choice"><input type="checkbox" name="needs" value=n.as_str() checked=checked />" " {t.t(need_label(*n))}</label> }
        })
        .collect_view();
    let option = |code: &'static str| {
        let selected = v.country == code;
        view! { <option value=code selected=selected>{countries::name(t, code)}</option> }
    };
    // The Mekong countries first, then the neighbours: each named in the page's language.
    let mekong = countries::MEKONG.into_iter().map(option).collect_view();
    let others = countries::NEIGHBOURS.into_iter().map(option).collect_view();
    let summary = error_summary(t, e);
    let body = view! {
        <h1>{t.t("intake-title")}</h1>
        {summary}
        {form.form_error.map(|m| view! { <p class="error" role="alert">{m}</p> })}
        <p>{t.t("intake-intro")}</p>
        <p class="notice warning">{t.t("intake-danger-warning")}</p>
        <form id=FORM_ID method="post" autocomplete="off" action=action accept-charset="utf-8">
            <input type="hidden" name="token" value=form.token />
            <input type="hidden" name="csrf" value=form.csrf />
            <fieldset id="kind"><legend>{t.t("field-kind")}" "<span class="quiet">"(" {t.t("intake-optional")} ")"</span></legend>{kinds}{field_error(e.get("kind"))}</fieldset>
            <div>{label(t, "field-country", "country", true)}
                <select id="country" name="country" required>
                    <option value="">{t.t("field-country-choose")}</option>
                    {mekong}
                    <optgroup label=t.t("country-other")>{others}</optgroup>
                </select>{field_error(e.get("country"))}</div>
            <div>{label(t, "field-narrative", "narrative", true)}
                <p class="quiet">{t.t("field-narrative-hint")}</p>
                <textarea id="narrative" name="narrative" required maxlength="10000" rows="8">{raw_text::textarea(&v.narrative)}</textarea>{field_error(e.get("narrative"))}</div>
            <fieldset id="urgency"><legend>{t.t("field-urgency")}" "<span class="quiet">"(" {t.t("intake-optional")} ")"</span></legend>{urgencies}{field_error(e.get("urgency"))}</fieldset>
            <div>{label(t, "field-when", "when", false)}<p class="quiet">{t.t("field-when-hint")}</p>
                <input id="when" name="when" maxlength="200" value=v.when />{field_error(e.get("when"))}</div>
            <div>{label(t, "field-place", "place", false)}<p class="quiet">{t.t("field-place-hint")}</p>
                <input id="place" name="place" maxlength="200" value=v.place />{field_error(e.get("place"))}</div>
            <div>{label(t, "field-at-risk", "at_risk", false)}<p class="quiet">{t.t("field-at-risk-hint")}</p>
                <input id="at_risk" name="at_risk" maxlength="1000" value=v.at_risk />{field_error(e.get("at_risk"))}</div>
            <fieldset id="needs"><legend>{t.t("field-needs")}" "<span class="quiet">"(" {t.t("intake-optional")} ")"</span></legend>{needs}{field_error(e.get("needs"))}</fieldset>
            <div>{label(t, "field-contact", "contact", false)}<p class="quiet">{t.t("field-contact-hint")}</p>
                <input id="contact" name="contact" maxlength="1000" autocomplete="off" value=v.contact />{field_error(e.get("contact"))}</div>
            <div>{label(t, "field-contact-time", "contact_time", false)}
                <input id="contact_time" name="contact_time" maxlength="200" value=v.contact_time />{field_error(e.get("contact_time"))}</div>
            <p class="notice">{t.t("intake-no-contact-note")}</p>
            {super::news::fields(t, v.news, e.get("news_address"), &form.news_channels)}
            {super::danger::intake_fields(t, e.get("duress_passphrase"))}
            <p>{t.t("submit-note")}</p>
            <div><button class="primary" type="submit">{t.t("submit-request")}</button></div>
        </form>
    };
    super::page_with(t, &t.t("intake-title"), super::Languages::KeepTyping { form: FORM_ID, path: "/request" }, body)
}
