//! The grants section of a case page: its grants and the propose form.

use leptos::prelude::*;

use super::super::csrf_field;
use super::{options, step_up};
use crate::raw_text;

/// A grant as listed on its case page.
#[derive(Debug, Clone)]
pub struct CaseGrantLine {
    /// Id.
    pub id: String,
    /// Category.
    pub category: String,
    /// Amount.
    pub amount: String,
    /// Status.
    pub status: String,
    /// Payee alias.
    pub payee_alias: String,
}

/// The propose form's choices.
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
        view! { <p class="quiet">"No grants for this case yet."</p> }.into_any()
    } else {
        let rows = grants
            .into_iter()
            .map(|g| {
                let href = format!("/staff/grants/{}", g.id);
                let name = g.category.replace('_', " ");
                view! {
                    <tr><td><a href=href>{name}</a></td>
                        <td class="num">{g.amount}</td><td>{g.status}</td><td>{g.payee_alias}</td></tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-wrap" tabindex="0" role="region" aria-label="Grants of this case"><table class="compact">
                <thead><tr><th>"Grant"</th><th class="num">"Amount"</th><th>"Status"</th><th>"Payee"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table></div>
        }
        .into_any()
    };
    let form = propose.map(|p| {
        if !stepped_up && !refill {
            let next = format!("/staff/cases/{case_id}");
            return view! {
                <h3>"Propose a grant"</h3>
                {step_up(csrf, &next, "Proposing a grant means entering payee details, which needs a fresh code from your authenticator app.")}
            }
            .into_any();
        }
        let action = format!("/staff/cases/{case_id}/grants");
        let chosen = |name: &str, value: &str| t(name) == value;
        let funds = p
            .funds
            .into_iter()
            .map(|(id, label)| {
                let selected = chosen("fund_id", &id);
                view! { <option value=id selected=selected>{label}</option> }
            })
            .collect_view();
        let categories = p
            .categories
            .into_iter()
            .map(|(value, label)| {
                let selected = chosen("category", &value);
                view! { <option value=value selected=selected>{label}</option> }
            })
            .collect_view();
        let code = (!stepped_up).then(|| {
            view! {
                <div><label for="propose-code">"Six-digit code from your authenticator app " <span class="quiet">"(your last confirmation has expired)"</span></label>
                    <input id="propose-code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" required maxlength="6" /></div>
            }
        });
        let caps_note = p.caps_note.map(|note| view! { <p class="quiet">{note}</p> });
        view! {
            <h3>"Propose a grant"</h3>
            <form method="post" action=action>
                {csrf_field(csrf)}
                <div><label>"Fund" <select name="fund_id" required>{funds}</select></label></div>
                <div><label>"Category" <select name="category">{categories}</select></label></div>
                <div><label>"Amount" <input name="amount" required inputmode="decimal" maxlength="30" value=t("amount") /></label>
                    {caps_note}</div>
                <div><label>"Currency" <select name="currency">{options(p.currencies, &t("currency"))}</select></label></div>
                <div><label>"Rate " <span class="quiet">"(only if the currency differs from the fund's: 1 unit of this currency in the fund's currency)"</span>
                    <input name="rate" inputmode="decimal" maxlength="30" value=t("rate") /></label></div>
                <div><label>"Payee alias " <span class="quiet">"(shown to everyone: no real name needed)"</span>
                    <input name="payee_alias" required maxlength="100" value=t("payee_alias") /></label></div>
                <div><label>"Payment details " <span class="quiet">"(account or phone number, bank, name on account: encrypted, only finance sees it)"</span>
                    <textarea name="payee_details" required maxlength="2000" rows="3">{raw_text::textarea(&t("payee_details"))}</textarea></label></div>
                <div><label>"Purpose" <textarea name="purpose" required maxlength="5000" rows="3">{raw_text::textarea(&t("purpose"))}</textarea></label></div>
                <div><label>"Rationale" <textarea name="rationale" required maxlength="5000" rows="3">{raw_text::textarea(&t("rationale"))}</textarea></label></div>
                {code}
                <div><button type="submit" class="primary">"Propose grant"</button></div>
            </form>
        }
        .into_any()
    });
    view! {
        <h2>"Grants"</h2>
        {list}
        {form}
    }
}
