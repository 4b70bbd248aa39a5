//! Grants for staff, one file per page: the register, one grant with its forms, and the
//! grants section of a case page; the small form pieces they share and the words for grant
//! codes are here.

use leptos::prelude::*;

use super::csrf_field;
use crate::reader::Reader;

mod case_section;
mod grant;
mod register;
mod words;

pub use case_section::*;
pub use grant::*;
pub use register::*;
pub use words::*;

pub(super) fn hidden(name: &'static str, value: &str) -> impl IntoView + use<> {
    let value = value.to_owned();
    view! { <input type="hidden" name=name value=value /> }
}

/// `<option>`s of (value, label) pairs, `current` selected.
pub(super) fn labelled_options(values: Vec<(String, String)>, current: &str) -> impl IntoView + use<> {
    let current = current.to_owned();
    values
        .into_iter()
        .map(|(v, label)| {
            let selected = v == current;
            view! { <option value=v selected=selected>{label}</option> }
        })
        .collect_view()
}

pub(super) fn options(values: Vec<String>, current: &str) -> impl IntoView + use<> {
    labelled_options(values.into_iter().map(|v| (v.clone(), v)).collect(), current)
}

/// A step-up form in the reader's words.
pub(crate) fn step_up_in(r: Reader, csrf: &str, next: &str, why: String) -> impl IntoView + use<> {
    view! {
        <form method="post" action="/staff/step-up">
            {csrf_field(csrf)}
            {hidden("next", next)}
            <p>{why}</p>
            <div><label for="step-up-code">{r.t("grant-step-up-code")}</label>
                <input id="step-up-code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" required maxlength="6" /></div>
            <div><button type="submit">{r.t("grant-step-up-confirm")}</button></div>
        </form>
    }
}
