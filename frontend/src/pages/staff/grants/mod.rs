//! Grants for staff, one file per page: the register, one grant with its forms, and the
//! grants section of a case page; the small form pieces they share are here.

use leptos::prelude::*;

use super::csrf_field;

mod case_section;
mod grant;
mod register;

pub use case_section::*;
pub use grant::*;
pub use register::*;

pub(super) fn hidden(name: &'static str, value: &str) -> impl IntoView + use<> {
    let value = value.to_owned();
    view! { <input type="hidden" name=name value=value /> }
}

pub(super) fn options(values: Vec<String>, current: &str) -> impl IntoView + use<> {
    let current = current.to_owned();
    values
        .into_iter()
        .map(|v| {
            let (selected, label) = (v == current, v.clone());
            view! { <option value=v selected=selected>{label}</option> }
        })
        .collect_view()
}

/// A step-up form: `why`, then a six-digit code field; comes back to `next`.
pub(crate) fn step_up(csrf: &str, next: &str, why: &'static str) -> impl IntoView + use<> {
    view! {
        <form method="post" action="/staff/step-up">
            {csrf_field(csrf)}
            {hidden("next", next)}
            <p>{why}</p>
            <div><label for="step-up-code">"Six-digit code"</label>
                <input id="step-up-code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" required maxlength="6" /></div>
            <div><button type="submit">"Confirm code"</button></div>
        </form>
    }
}
