//! `/staff/grants/{id}`: one grant with the forms its viewer may use.

use leptos::prelude::*;

use super::super::{Nav, csrf_field, error_line, nav, notice_line};
use super::{hidden, options, step_up};
use crate::layout::{PageMeta, document};

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
        page.verification.map(|(v, needed, now)| super::super::vouch::verification_section(v, Some(needed), now, None));
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
