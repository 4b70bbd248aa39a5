//! The partner directory for administrators.

use leptos::prelude::*;

use super::{Nav, csrf_field, error_line, nav};
use crate::layout::{PageMeta, document};

/// One partner line.
#[derive(Debug, Clone)]
pub struct PartnerLine {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Kind, countries, languages, expertise, in words.
    pub about: String,
    /// Capacity.
    pub capacity: String,
}

/// Renders the directory with its forms.
pub fn render(nav_data: Nav, csrf: &str, partners: Vec<PartnerLine>, error: Option<String>) -> String {
    let csrf_owned = csrf.to_owned();
    let rows = partners
        .into_iter()
        .map(|p| {
            let action = format!("/staff/partners/{}/capacity", p.id);
            let options = ["available", "limited", "full"]
                .into_iter()
                .map(|c| view! { <option value=c selected={c == p.capacity}>{c}</option> })
                .collect_view();
            view! {
                <tr><td>{p.name}</td><td>{p.about}</td>
                    <td><form method="post" action=action class="review">{csrf_field(&csrf_owned)}<select name="capacity" aria-label="Capacity">{options}</select><button type="submit">"Set"</button></form></td></tr>
            }
        })
        .collect_view();
    let expertise = ["criminal_defence", "land_environment", "slapp", "digital_rights", "asylum_relocation"]
        .into_iter()
        .map(|e| view! { <label class="check"><input type="checkbox" name="expertise" value=e />" " {e}</label> })
        .collect_view();
    let body = view! {
        {nav(nav_data)}
        <h1>"Partner directory"</h1>
        {error_line(error.as_deref())}
        <div class="table-wrap" tabindex="0" role="region" aria-label="Partners"><table><thead><tr><th>"Name"</th><th>"Works on"</th><th>"Capacity"</th></tr></thead><tbody>{rows}</tbody></table></div>
        <h2>"Add a partner"</h2>
        <form method="post" action="/staff/partners">
            {csrf_field(csrf)}
            <div><label>"Name (shown to requesters asked to consent)" <input name="name" required maxlength="200" /></label></div>
            <div><label>"Kind" <select name="kind"><option value="lawyer">"lawyer"</option><option value="organisation">"organisation"</option></select></label></div>
            <div><label>"Countries (codes, comma-separated, e.g. KH, TH)" <input name="countries" required maxlength="100" /></label></div>
            <div><label>"Languages (e.g. km, en)" <input name="languages" maxlength="100" /></label></div>
            <fieldset><legend>"Expertise"</legend>{expertise}</fieldset>
            <div><label>"Contact details (sealed; administrators only)" <textarea name="contact" maxlength="2000" rows="2"></textarea></label></div>
            <div><button class="primary" type="submit">"Add"</button></div>
        </form>
    };
    document(PageMeta { title: "Partner directory", lang: "en" }, body)
}
