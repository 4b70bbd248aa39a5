//! The "requester's safety" part of a case page: the duress alert, custody mode and
//! check-ins, with the forms the viewer may use (the policy decides which).

use leptos::prelude::*;

use super::csrf_field;

/// What the section shows, already in words.
#[derive(Debug, Clone, Default)]
pub struct DangerSection {
    /// The case id, for the form actions.
    pub case_id: String,
    /// "Duress alert since …", when one stands.
    pub duress: Option<String>,
    /// Whether the requester set a second passphrase.
    pub duress_passphrase_set: bool,
    /// "In custody mode since … (set by …)", when it is.
    pub custody: Option<String>,
    /// The viewer may set custody mode.
    pub can_set_custody: bool,
    /// The viewer may lift it.
    pub can_lift_custody: bool,
    /// The viewer may schedule and end check-ins and clear the alert.
    pub can_watch: bool,
    /// The case is open (check-ins end when it closes).
    pub open: bool,
    /// The live schedule in words.
    pub schedule: Option<String>,
    /// Check-ins, newest first, in words.
    pub check_ins: Vec<String>,
    /// Missed slots, newest first, in words; `true` when still unanswered.
    pub misses: Vec<(String, bool)>,
}

fn rationale() -> impl IntoView {
    view! { <div><label>"Rationale" <textarea name="rationale" required maxlength="5000" rows="2"></textarea></label></div> }
}

fn form<F: IntoView + 'static>(action: String, csrf: &str, fields: F, button: &'static str) -> impl IntoView + use<F> {
    view! {
        <form method="post" action=action>
            {csrf_field(csrf)}
            {fields}
            <div><button type="submit">{button}</button></div>
        </form>
    }
}

/// Renders the section.
pub fn section(csrf: &str, s: DangerSection) -> impl IntoView + use<> {
    let url = |what: &str| format!("/staff/cases/{}/danger/{what}", s.case_id);
    let duress = s.duress.clone().map(|text| {
        let clear = s.can_watch.then(|| form(url("clear-duress"), csrf, rationale(), "Clear the duress alert"));
        view! { <p class="error" id="duress-alert" role="alert">{text}</p>{clear} }
    });
    let second = if s.duress_passphrase_set {
        "The requester set a second (duress) passphrase: signing in with it shows a closed request and alerts you."
    } else {
        "The requester has not set a second (duress) passphrase."
    };
    let custody = match &s.custody {
        Some(text) => {
            let lift = s.can_lift_custody.then(|| form(url("lift-custody"), csrf, rationale(), "Lift custody mode"));
            view! { <p class="notice warning" id="custody">{text.clone()}</p>{lift} }.into_any()
        }
        None => s
            .can_set_custody
            .then(|| {
                view! {
                    <p class="quiet">"Custody mode: every portal sign-in then sees a calm view (the request closed), portal \
                        messages are marked as possibly not from the requester, new files are held back, every sign-in \
                        attempt alerts you, news to the requester stops and consent cannot be given from the portal."</p>
                    {form(url("custody"), csrf, rationale(), "The requester may be detained or their device seized")}
                }
            })
            .into_any(),
    };
    let misses = s
        .misses
        .iter()
        .map(|(text, open)| {
            let class = if *open { "error" } else { "quiet" };
            view! { <li class=class>{text.clone()}</li> }
        })
        .collect_view();
    let history = s.check_ins.iter().map(|text| view! { <li>{text.clone()}</li> }).collect_view();
    let schedule = match &s.schedule {
        Some(text) => {
            let end = s.can_watch.then(|| form(url("end-check-ins"), csrf, (), "End check-ins"));
            view! { <p id="check-in-schedule">{text.clone()}</p>{end} }.into_any()
        }
        None => view! { <p class="quiet">"No check-ins are scheduled."</p> }.into_any(),
    };
    let plan = (s.can_watch && s.open).then(|| {
        let fields = view! {
            <div><label>"Every (hours)" <input name="every_hours" type="number" min="1" max="720" value="24" required /></label></div>
            <div><label>"Grace (hours)" <input name="grace_hours" type="number" min="0" max="168" value="6" required /></label></div>
            <div><label>"Until (YYYY-MM-DD)" <input name="until" type="date" required /></label></div>
            <div><label>"Safe word agreed with the requester (optional; a wrong one raises a duress alert)"
                <input name="safe_word" type="password" maxlength="100" autocomplete="off" /></label></div>
        };
        view! { <h3>"Schedule check-ins"</h3>{form(url("check-ins"), csrf, fields, "Schedule")} }
    });
    view! {
        <h2 id="safety">"Requester's safety"</h2>
        {duress}
        <p class="quiet">{second}</p>
        {custody}
        <h3>"Check-ins"</h3>
        {schedule}
        <ul class="misses">{misses}</ul>
        <ol class="check-ins">{history}</ol>
        {plan}
    }
}
