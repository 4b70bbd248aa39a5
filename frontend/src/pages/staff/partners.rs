//! The partner directory for administrators, in the reader's language: kinds, countries,
//! languages, expertise and capacity in words.

use leptos::prelude::*;
use shelter_shared::language::Language;

use super::{Nav, csrf_field, error_line, nav};
use crate::layout::{PageMeta, document};
use crate::reader::Reader;

/// One partner line.
#[derive(Debug, Clone)]
pub struct PartnerLine {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// `lawyer` or `organisation`.
    pub kind: String,
    /// Country codes.
    pub countries: Vec<String>,
    /// Language tags.
    pub languages: Vec<String>,
    /// Expertise codes.
    pub expertise: Vec<String>,
    /// Capacity code.
    pub capacity: String,
}

const CAPACITIES: [&str; 3] = ["available", "limited", "full"];
const EXPERTISE: [&str; 5] = ["criminal_defence", "land_environment", "slapp", "digital_rights", "asylum_relocation"];

/// A code in words (`aword-v-…`), or the code when the catalogue has none.
fn word(r: Reader, code: &str) -> String {
    let id = format!("aword-v-{}", code.replace('_', "-"));
    let text = r.t(&id);
    if text.is_empty() { code.to_owned() } else { text }
}

fn about(r: Reader, p: &PartnerLine) -> String {
    let countries = p.countries.iter().map(|c| crate::countries::name(r.tr(), c)).collect::<Vec<_>>().join(", ");
    let languages = p
        .languages
        .iter()
        .map(|tag| tag.parse::<Language>().map(|l| l.endonym().to_owned()).unwrap_or_else(|_| tag.clone()))
        .collect::<Vec<_>>()
        .join(", ");
    let expertise = p.expertise.iter().map(|e| word(r, e)).collect::<Vec<_>>().join(", ");
    [word(r, &p.kind), countries, languages, expertise]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" · ")
}

/// Renders the directory with its forms.
pub fn render(nav_data: Nav, csrf: &str, partners: Vec<PartnerLine>, error: Option<String>) -> String {
    let r = nav_data.reader;
    let csrf_owned = csrf.to_owned();
    let rows = partners
        .into_iter()
        .map(|p| {
            let action = format!("/staff/partners/{}/capacity", p.id);
            let options = CAPACITIES
                .into_iter()
                .map(|c| view! { <option value=c selected={c == p.capacity}>{word(r, c)}</option> })
                .collect_view();
            let label = r.t_text("ptn-capacity-of", "name", &p.name);
            view! {
                <tr><td>{p.name.clone()}</td><td>{about(r, &p)}</td>
                    <td><form method="post" action=action class="review">{csrf_field(&csrf_owned)}<select name="capacity" aria-label=label>{options}</select>
                        <button type="submit">{r.t("ptn-set")}</button></form></td></tr>
            }
        })
        .collect_view();
    let expertise = EXPERTISE
        .into_iter()
        .map(|e| view! { <label class="check"><input type="checkbox" name="expertise" value=e />" " {word(r, e)}</label> })
        .collect_view();
    let title = r.t("ptn-title");
    let body = view! {
        {nav(nav_data)}
        <h1>{title.clone()}</h1>
        {error_line(error.as_deref())}
        <div class="table-wrap" tabindex="0" role="region" aria-label=r.t("ptn-region")><table><thead><tr><th>{r.t("ptn-name")}</th>
            <th>{r.t("ptn-works-on")}</th><th>{r.t("ptn-capacity")}</th></tr></thead><tbody>{rows}</tbody></table></div>
        <h2>{r.t("ptn-add-title")}</h2>
        <form method="post" action="/staff/partners">
            {csrf_field(csrf)}
            <div><label>{r.t("ptn-field-name")} " " <input name="name" required maxlength="200" /></label></div>
            <div><label>{r.t("ptn-field-kind")} " " <select name="kind"><option value="lawyer">{word(r, "lawyer")}</option>
                <option value="organisation">{word(r, "organisation")}</option></select></label></div>
            <div><label>{r.t("ptn-field-countries")} " " <input name="countries" required maxlength="100" /></label></div>
            <div><label>{r.t("ptn-field-languages")} " " <input name="languages" maxlength="100" /></label></div>
            <fieldset><legend>{r.t("ptn-field-expertise")}</legend>{expertise}</fieldset>
            <div><label>{r.t("ptn-field-contact")} " " <textarea name="contact" maxlength="2000" rows="2"></textarea></label></div>
            <div><button class="primary" type="submit">{r.t("ptn-add")}</button></div>
        </form>
    };
    document(PageMeta { title: &title, lang: r.language.tag() }, body)
}
