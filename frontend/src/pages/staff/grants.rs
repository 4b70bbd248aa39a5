//! Grants for staff: the register, one grant with its forms, and the grants section of a case page.

use leptos::prelude::*;

use super::funds::{FundLine, balances_table};
use super::{Nav, csrf_field, error_line, nav, notice_line};
use crate::layout::{PageMeta, document};
use crate::raw_text;

/// A grant in the register (no case content), values already formatted.
#[derive(Debug, Clone)]
pub struct GrantLine {
    /// Id.
    pub id: String,
    /// How people name it: case reference and category, or category and payee alias.
    pub name: String,
    /// When proposed.
    pub created: String,
    /// Fund name.
    pub fund: String,
    /// Category.
    pub category: String,
    /// Payee's country code.
    pub country: String,
    /// Status.
    pub status: String,
    /// Approval tier.
    pub tier: String,
    /// Amount in the grant's currency.
    pub amount: String,
    /// Amount in the fund's currency.
    pub fund_amount: String,
    /// Payee alias.
    pub payee_alias: String,
    /// Payment date, if paid.
    pub paid_on: String,
}

/// A totals row: (group key e.g. "legal_fees" or "2026-11", count, committed, paid), formatted.
#[derive(Debug, Clone)]
pub struct TotalLine {
    /// Group key.
    pub key: String,
    /// Number of grants.
    pub count: i64,
    /// Committed.
    pub committed: String,
    /// Paid.
    pub paid: String,
}

/// A titled totals table, e.g. ("By category", rows).
#[derive(Debug, Clone)]
pub struct Totals {
    /// Title.
    pub title: String,
    /// Rows.
    pub rows: Vec<TotalLine>,
}

/// The register's filter values as typed (echoed back into the form).
#[derive(Debug, Clone, Default)]
pub struct RegisterFilter {
    /// Fund name.
    pub fund: String,
    /// Status.
    pub status: String,
    /// Category.
    pub category: String,
    /// Country code.
    pub country: String,
    /// From date.
    pub from: String,
    /// To date.
    pub to: String,
}

/// `/staff/grants`.
#[derive(Debug, Clone)]
pub struct RegisterPage<'a> {
    /// Navigation.
    pub nav: Nav,
    /// The session's CSRF token.
    pub csrf: &'a str,
    /// The filters.
    pub filter: RegisterFilter,
    /// Fund balances.
    pub funds: Vec<FundLine>,
    /// Fund names, for the filter.
    pub fund_names: Vec<String>,
    /// Statuses, for the filter.
    pub statuses: Vec<String>,
    /// Categories, for the filter.
    pub categories: Vec<String>,
    /// Totals tables.
    pub totals: Vec<Totals>,
    /// The grants.
    pub grants: Vec<GrantLine>,
    /// A fresh second factor allows export now.
    pub stepped_up: bool,
    /// A problem.
    pub error: Option<String>,
    /// A confirmation.
    pub notice: Option<String>,
}

/// A supervisor's decision on a grant, formatted.
#[derive(Debug, Clone)]
pub struct DecisionLine {
    /// Who.
    pub who: String,
    /// Decision, in words.
    pub decision: String,
    /// Why; `None` when hidden from the reader (finance: it is case content).
    pub rationale: Option<String>,
    /// When.
    pub at: String,
}

/// What the viewer may do on the grant page: each flag shows one form.
#[derive(Debug, Clone, Default)]
pub struct GrantActions {
    /// The decision form (approve, reject or both).
    pub decide: bool,
    /// Approve (or ratify).
    pub approve: bool,
    /// Reject.
    pub reject: bool,
    /// Offer provisional single approval (critical case).
    pub provisional_allowed: bool,
    /// Record the payment.
    pub disburse: bool,
    /// Change payee alias and details.
    pub change_payee: bool,
    /// Record that the payee confirmed receipt.
    pub confirm_receipt: bool,
    /// Report on the use of funds.
    pub report: bool,
    /// Cancel the grant.
    pub cancel: bool,
    /// Reverse the payment.
    pub reverse: bool,
}

/// `/staff/grants/{id}`.
#[derive(Debug, Clone)]
pub struct GrantPage<'a> {
    /// Navigation.
    pub nav: Nav,
    /// The session's CSRF token.
    pub csrf: &'a str,
    /// Grant id.
    pub id: String,
    /// The page's heading: the grant by case reference and category (or category and alias).
    pub title: String,
    /// The grant's version as shown: a payment is refused if the grant changed since.
    pub version: i32,
    /// Label/value pairs shown at the top (status, fund, category, amount, tier, approvals, payee alias, …), already chosen for the viewer's role.
    pub facts: Vec<(String, String)>,
    /// The payee's payment details: only finance gets Some.
    pub payee_details: Option<String>,
    /// Purpose: None for finance.
    pub purpose: Option<String>,
    /// Vouchers named in free text before attestations existed (unverified).
    pub vouchers: Vec<String>,
    /// The case's attestations, the confirmations the tier needs, and the time now.
    pub verification: Option<(shelter_shared::vouch::Verification, usize, chrono::DateTime<chrono::Utc>)>,
    /// Report on the use of funds, if any.
    pub report: Option<String>,
    /// Supervisors' decisions.
    pub decisions: Vec<DecisionLine>,
    /// Disbursement facts if paid: (label, value).
    pub disbursement: Vec<(String, String)>,
    /// Payment methods for the disburse form.
    pub methods: Vec<String>,
    /// Grant currency code.
    pub currency: String,
    /// Whether the grant's currency differs from the fund's (then the disburse form asks for a rate).
    pub needs_rate: bool,
    /// Safe memo wording for the payee's country (a few sentences).
    pub memo_guidance: String,
    /// A link back: (href, label).
    pub back: (String, String),
    /// Forms to show.
    pub actions: GrantActions,
    /// A fresh second factor allows the sensitive forms now.
    pub stepped_up: bool,
    /// A problem.
    pub error: Option<String>,
    /// A confirmation.
    pub notice: Option<String>,
}

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

fn hidden(name: &'static str, value: &str) -> impl IntoView + use<> {
    let value = value.to_owned();
    view! { <input type="hidden" name=name value=value /> }
}

fn options(values: Vec<String>, current: &str) -> impl IntoView + use<> {
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

fn totals_table(t: Totals) -> impl IntoView {
    let rows = t
        .rows
        .into_iter()
        .map(|r| view! { <tr><td>{r.key}</td><td class="num">{r.count}</td><td class="num">{r.committed}</td><td class="num">{r.paid}</td></tr> })
        .collect_view();
    view! {
        <h3>{t.title.clone()}</h3>
        <div class="table-wrap" tabindex="0" role="region" aria-label=t.title><table class="compact">
            <thead><tr><th>"Group"</th><th class="num">"Grants"</th><th class="num">"Committed"</th><th class="num">"Paid"</th></tr></thead>
            <tbody>{rows}</tbody>
        </table></div>
    }
}

/// Renders the register.
pub fn render_register(page: RegisterPage<'_>) -> String {
    let f = page.filter;
    let none = page.grants.is_empty().then(|| view! { <p class="quiet">"No grants match these filters."</p> });
    let rows = page
        .grants
        .into_iter()
        .map(|g| {
            let href = format!("/staff/grants/{}", g.id);
            view! {
                <tr>
                    <td><a href=href>{g.name}</a></td><td>{g.created}</td><td>{g.fund}</td><td>{g.category}</td>
                    <td>{g.country}</td><td>{g.status}</td><td>{g.tier}</td><td class="num">{g.amount}</td>
                    <td class="num">{g.fund_amount}</td><td>{g.payee_alias}</td><td>{g.paid_on}</td>
                </tr>
            }
        })
        .collect_view();
    let totals = page.totals.into_iter().map(totals_table).collect_view();
    let export = if page.stepped_up {
        view! {
            <form method="post" action="/staff/grants/export">
                {csrf_field(page.csrf)}
                {hidden("fund", &f.fund)}{hidden("status", &f.status)}{hidden("category", &f.category)}
                {hidden("country", &f.country)}{hidden("from", &f.from)}{hidden("to", &f.to)}
                <div><button type="submit">"Export CSV"</button></div>
            </form>
        }
        .into_any()
    } else {
        step_up(page.csrf, "/staff/grants", "Exporting needs a fresh code from your authenticator app.").into_any()
    };
    let body = view! {
        {nav(page.nav)}
        <h1>"Grant register"</h1>
        {notice_line(page.notice.as_deref())}
        {error_line(page.error.as_deref())}
        <p><a href="/staff/funds">"Funds"</a></p>
        <form method="get" action="/staff/grants" class="filters">
            <div><label for="fund">"Fund"</label><select id="fund" name="fund"><option value="">"Any"</option>{options(page.fund_names, &f.fund)}</select></div>
            <div><label for="status">"Status"</label><select id="status" name="status"><option value="">"Any"</option>{options(page.statuses, &f.status)}</select></div>
            <div><label for="category">"Category"</label><select id="category" name="category"><option value="">"Any"</option>{options(page.categories, &f.category)}</select></div>
            <div><label for="country">"Country (code)"</label><input id="country" name="country" value=f.country.clone() maxlength="10" /></div>
            <div><label for="from">"From"</label><input type="date" id="from" name="from" value=f.from.clone() /></div>
            <div><label for="to">"To"</label><input type="date" id="to" name="to" value=f.to.clone() /></div>
            <div><button type="submit">"Filter"</button></div>
        </form>
        <h2>"Fund balances"</h2>
        {balances_table(page.funds)}
        <h2>"Totals"</h2>
        {totals}
        <h2>"Grants"</h2>
        {none}
        <div class="table-wrap" tabindex="0" role="region" aria-label="Grants"><table class="compact">
            <thead><tr>
                <th>"Grant"</th><th>"Proposed"</th><th>"Fund"</th><th>"Category"</th><th>"Country"</th><th>"Status"</th><th>"Tier"</th>
                <th class="num">"Amount"</th><th class="num">"In fund currency"</th><th>"Payee"</th><th>"Paid on"</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table></div>
        <h2>"Export"</h2>
        {export}
    };
    document(PageMeta { title: "Grant register", lang: "en" }, body)
}

fn text_block(label: &'static str, text: String) -> impl IntoView {
    view! { <div class="field"><p class="quiet">{label}</p><p class="body">{text}</p></div> }
}

fn post_form<F: IntoView + 'static>(
    title: &'static str,
    action: String,
    csrf: &str,
    fields: F,
) -> impl IntoView + use<F> {
    view! {
        <h3>{title}</h3>
        <form method="post" action=action>
            {csrf_field(csrf)}
            {fields}
        </form>
    }
}

fn rationale_field() -> impl IntoView {
    view! { <div><label>"Rationale" <textarea name="rationale" required maxlength="5000" rows="3"></textarea></label></div> }
}

/// Renders one grant with the forms its viewer may use.
pub fn render_grant(page: GrantPage<'_>) -> String {
    let (csrf, a) = (page.csrf, page.actions);
    let url = |action: &str| format!("/staff/grants/{}/{action}", page.id);
    let facts = page.facts.into_iter().map(|(l, v)| view! { <dt>{l}</dt><dd>{v}</dd> }).collect_view();
    let payee_details = page.payee_details.map(|d| text_block("Payment details (finance only)", d));
    let purpose = page.purpose.map(|p| text_block("Purpose", p));
    let vouchers = (!page.vouchers.is_empty()).then(|| {
        let items = page.vouchers.into_iter().map(|v| view! { <li>{v}</li> }).collect_view();
        view! { <p class="quiet">"Named as vouchers when proposed (before attestations; not verified)"</p><ul>{items}</ul> }
    });
    // Approval waits for enough confirmations: say so where the Approve button would be.
    let short_of_vouchers = page.verification.as_ref().is_some_and(|(v, needed, _)| v.confirmations < *needed);
    let verification =
        page.verification.map(|(v, needed, now)| super::vouch::verification_section(v, Some(needed), now, None));
    let report = page.report.map(|r| text_block("Report on the use of funds", r));
    let decisions = if page.decisions.is_empty() {
        view! { <p class="quiet">"No decisions yet."</p> }.into_any()
    } else {
        page.decisions
            .into_iter()
            .map(|d| {
                let head = format!("{} · {} · {}", d.who, d.decision, d.at);
                let rationale = match d.rationale {
                    Some(text) => view! { <p class="body">{text}</p> }.into_any(),
                    None => view! { <p class="quiet"><em>"Rationale hidden: it is case content."</em></p> }.into_any(),
                };
                view! { <div class="message"><p class="quiet">{head}</p>{rationale}</div> }
            })
            .collect_view()
            .into_any()
    };
    let disbursement = (!page.disbursement.is_empty()).then(|| {
        let items = page.disbursement.into_iter().map(|(l, v)| view! { <dt>{l}</dt><dd>{v}</dd> }).collect_view();
        view! { <h2>"Payment"</h2><dl class="facts">{items}</dl> }
    });

    let sensitive = a.decide || a.disburse || a.change_payee || a.reverse;
    let fresh = page.stepped_up;
    let step_up_form = (sensitive && !fresh).then(|| {
        let next = format!("/staff/grants/{}", page.id);
        step_up(
            csrf,
            &next,
            "Approving, paying, changing payee details and reversing need a fresh code from your authenticator app.",
        )
    });
    let decide = (a.decide && fresh).then(|| {
        let provisional = a.provisional_allowed.then(|| {
            view! {
                <div><label class="choice"><input type="checkbox" name="provisional" value="true" />
                    "Provisional single approval (critical case): a second supervisor must ratify within 72 hours or the grant freezes"</label></div>
            }
        });
        let approve = a.approve.then(|| {
            view! { <button type="submit" name="decision" value="approve" class="primary">"Approve"</button> }
        });
        let reject = a.reject.then(|| view! { <button type="submit" name="decision" value="reject">"Reject"</button> });
        let waiting = (!a.approve && short_of_vouchers).then(|| {
            view! { <p class="quiet">"Approval is offered once enough people have confirmed the requester (see Verification)."</p> }
        });
        let fields = view! {
            {rationale_field()}
            {provisional}
            {waiting}
            <div>{approve}" "{reject}</div>
        };
        post_form("Decide", url("decide"), csrf, fields)
    });
    let disburse = (a.disburse && fresh).then(|| {
        let methods = options(page.methods, "");
        let currency = page.currency.clone();
        let rate = page.needs_rate.then(|| {
            let label = format!("Rate used: 1 {currency} in the fund's currency");
            view! { <div><label>{label} <input name="rate" required inputmode="decimal" maxlength="30" /></label></div> }
        });
        let paid_label = format!("Amount actually paid, in {currency}");
        let fees_label = format!("Fees, in {currency}");
        let fields = view! {
            <p class="notice">{page.memo_guidance}</p>
            <p><strong>"The reference and memo must never mention the case, the person's situation, or this network."</strong></p>
            <div><label>"Method" <select name="method">{methods}</select></label></div>
            <div><label>{paid_label} <input name="paid" required inputmode="decimal" maxlength="30" /></label></div>
            <div><label>{fees_label} <input name="fees" value="0" inputmode="decimal" maxlength="30" /></label></div>
            {rate}
            <div><label>"Transfer reference" <input name="external_reference" required maxlength="100" /></label></div>
            <div><label>"Paid on" <input type="date" name="paid_on" required /></label></div>
            {hidden("grant_version", &page.version.to_string())}
            <div><button type="submit" class="primary">"Record payment"</button></div>
        };
        post_form("Record the payment", url("disburse"), csrf, fields)
    });
    let change_payee = (a.change_payee && fresh).then(|| {
        let fields = view! {
            <p class="notice warning">"Whoever changes payment details cannot release this payment."</p>
            <div><label>"Payee alias " <span class="quiet">"(shown to everyone: no real name needed)"</span>
                <input name="payee_alias" required maxlength="100" /></label></div>
            <div><label>"Payment details " <span class="quiet">"(account or phone number, bank, name on account: encrypted, only finance sees it)"</span>
                <textarea name="payee_details" required maxlength="2000" rows="3"></textarea></label></div>
            <div><button type="submit">"Change payee"</button></div>
        };
        post_form("Change the payee", url("payee"), csrf, fields)
    });
    let receipt = a.confirm_receipt.then(|| {
        let fields = view! {
            <div><label>"Note " <span class="quiet">"(optional)"</span> <textarea name="note" maxlength="2000" rows="2"></textarea></label></div>
            <div><button type="submit">"Record receipt confirmed"</button></div>
        };
        post_form("Receipt", url("receipt"), csrf, fields)
    });
    let report_form = a.report.then(|| {
        let fields = view! {
            <div><label>"How the money was used" <textarea name="report" required maxlength="5000" rows="4"></textarea></label></div>
            <div><button type="submit">"Save report"</button></div>
        };
        post_form("Report on the use of funds", url("report"), csrf, fields)
    });
    let cancel = a.cancel.then(|| {
        let fields = view! { {rationale_field()}<div><button type="submit">"Cancel grant"</button></div> };
        post_form("Cancel", url("cancel"), csrf, fields)
    });
    let reverse = (a.reverse && fresh).then(|| {
        let fields = view! { {rationale_field()}<div><button type="submit">"Reverse payment"</button></div> };
        post_form("Reverse the payment", url("reverse"), csrf, fields)
    });
    let any_action = sensitive || a.confirm_receipt || a.report || a.cancel;
    let actions_heading = any_action.then(|| view! { <h2>"Actions"</h2> });

    let title = page.title;
    let (back_href, back_label) = page.back;
    let body = view! {
        {nav(page.nav)}
        <p><a href=back_href>{back_label}</a></p>
        <h1>{title.clone()}</h1>
        {notice_line(page.notice.as_deref())}
        {error_line(page.error.as_deref())}
        <dl class="facts">{facts}</dl>
        {payee_details}
        {purpose}
        {verification}
        {vouchers}
        {report}
        <h2>"Decisions"</h2>
        {decisions}
        {disbursement}
        {actions_heading}
        {step_up_form}
        {decide}{disburse}{change_payee}{receipt}{report_form}{cancel}{reverse}
    };
    document(PageMeta { title: &title, lang: "en" }, body)
}

/// The grants section of a case page: its grants and, if `propose` is Some, the propose form.
pub fn case_section(
    case_id: &str,
    csrf: &str,
    grants: Vec<CaseGrantLine>,
    propose: Option<ProposeChoices>,
    stepped_up: bool,
    typed: &super::typed::Typed,
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
