//! The grants section of a case page: its grants and the propose form.

use leptos::prelude::*;

use super::super::csrf_field;
use super::{labelled_options, mword, options, step_up_in};
use crate::raw_text;
use crate::reader::Reader;

/// A grant as listed on its case page.
#[derive(Debug, Clone)]
pub struct CaseGrantLine {
    /// Id.
    pub id: String,
    /// Category code.
    pub category: String,
    /// Amount.
    pub amount: String,
    /// Status code.
    pub status: String,
    /// Payee alias.
    pub payee_alias: String,
}

/// The propose form's choices, already in the reader's words.
#[derive(Debug, Clone)]
pub struct ProposeChoices {
    /// (fund id, "Name (USD, 12,000.00 USD available)").
    pub funds: Vec<(String, String)>,
    /// Categories: (value, label with the playbook's cap).
    pub categories: Vec<(String, String)>,
    /// The playbook's caps in a sentence, shown beside the amount.
    pub caps_note: Option<String>,
    /// Currency codes.
    pub currencies: Vec<String>,
}

/// The grants section of a case page: its grants and, if `propose` is Some, the propose form.
pub fn case_section(
    r: Reader,
    case_id: &str,
    csrf: &str,
    grants: Vec<CaseGrantLine>,
    propose: Option<ProposeChoices>,
    stepped_up: bool,
    typed: &super::super::typed::Typed,
) -> impl IntoView + use<> {
    let t = |name: &str| typed.get("grants", name);
    // A proposal refused for an expired step-up comes back filled in, with the code asked
    // in the same form: confirming it elsewhere would lose what was typed.
    let refill = typed.is("grants");
    let list = if grants.is_empty() {
        view! { <p class="quiet">{r.t("grant-none-for-case")}</p> }.into_any()
    } else {
        let rows = grants
            .into_iter()
            .map(|g| {
                let href = format!("/staff/grants/{}", g.id);
                let name = mword(r, "category", &g.category);
                view! {
                    <tr><td><a href=href>{name}</a></td>
                        <td class="num">{g.amount}</td><td>{mword(r, "state", &g.status)}</td><td>{g.payee_alias}</td></tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-wrap" tabindex="0" role="region" aria-label=r.t("grant-of-case")><table class="compact">
                <thead><tr><th>{r.t("grant-col-grant")}</th><th class="num">{r.t("grant-col-amount")}</th>
                    <th>{r.t("grant-col-status")}</th><th>{r.t("grant-col-payee")}</th></tr></thead>
                <tbody>{rows}</tbody>
            </table></div>
        }
        .into_any()
    };
    let form = propose.map(|p| {
        if !stepped_up && !refill {
            let next = format!("/staff/cases/{case_id}");
            return view! {
                <h3>{r.t("grant-propose-heading")}</h3>
                {step_up_in(r, csrf, &next, r.t("grant-propose-step-up"))}
            }
            .into_any();
        }
        let action = format!("/staff/cases/{case_id}/grants");
        let funds = labelled_options(p.funds, &t("fund_id"));
        let categories = labelled_options(p.categories, &t("category"));
        let code = (!stepped_up).then(|| {
            view! {
                <div><label for="propose-code">{r.t("grant-propose-code")}" "<span class="quiet">{r.t("grant-propose-code-expired")}</span></label>
                    <input id="propose-code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" required maxlength="6" /></div>
            }
        });
        let caps_note = p.caps_note.map(|note| view! { <p class="quiet">{note}</p> });
        view! {
            <h3>{r.t("grant-propose-heading")}</h3>
            <form method="post" action=action>
                {csrf_field(csrf)}
                <div><label>{r.t("grant-field-fund")}" "<select name="fund_id" required>{funds}</select></label></div>
                <div><label>{r.t("grant-field-category")}" "<select name="category">{categories}</select></label></div>
                <div><label>{r.t("grant-field-amount")}" "<input name="amount" required inputmode="decimal" maxlength="30" value=t("amount") /></label>
                    {caps_note}</div>
                <div><label>{r.t("grant-field-currency")}" "<select name="currency">{options(p.currencies, &t("currency"))}</select></label></div>
                <div><label>{r.t("grant-field-rate")}" "<span class="quiet">{r.t("grant-field-rate-hint")}</span>
                    <input name="rate" inputmode="decimal" maxlength="30" value=t("rate") /></label></div>
                <div><label>{r.t("grant-payee-alias")}" "<span class="quiet">{r.t("grant-payee-alias-hint")}</span>
                    <input name="payee_alias" required maxlength="100" value=t("payee_alias") /></label></div>
                <div><label>{r.t("grant-payee-details-field")}" "<span class="quiet">{r.t("grant-payee-details-hint")}</span>
                    <textarea name="payee_details" required maxlength="2000" rows="3">{raw_text::textarea(&t("payee_details"))}</textarea></label></div>
                <div><label>{r.t("grant-field-purpose")}" "<textarea name="purpose" required maxlength="5000" rows="3">{raw_text::textarea(&t("purpose"))}</textarea></label></div>
                <div><label>{r.t("grant-rationale")}" "<textarea name="rationale" required maxlength="5000" rows="3">{raw_text::textarea(&t("rationale"))}</textarea></label></div>
                {code}
                <div><button type="submit" class="primary">{r.t("grant-propose")}</button></div>
            </form>
        }
        .into_any()
    });
    view! {
        <h2>{r.t("grant-section")}</h2>
        {list}
        {form}
    }
}
