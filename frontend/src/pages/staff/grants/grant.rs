//! `/staff/grants/{id}`: one grant with the forms its viewer may use.

use leptos::prelude::*;

use super::super::typed::Typed;
use super::super::{Nav, csrf_field, error_line, nav, notice_line};
use super::{hidden, labelled_options, step_up_in};
use crate::layout::{PageMeta, document};
use crate::raw_text;
use crate::reader::Reader;

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
    /// Payment methods for the disburse form: (code, words).
    pub methods: Vec<(String, String)>,
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
    /// A refused form's fields, shown again to the person who sent them.
    pub typed: Typed,
    /// Today on the reader's clock, `YYYY-MM-DD`: the payment form's day unless typed.
    pub today: String,
}

fn text_block(label: String, text: String) -> impl IntoView {
    view! { <div class="field"><p class="quiet">{label}</p><p class="body">{text}</p></div> }
}

fn post_form<F: IntoView + 'static>(title: String, action: String, csrf: &str, fields: F) -> impl IntoView + use<F> {
    view! {
        <h3>{title}</h3>
        <form method="post" action=action>
            {csrf_field(csrf)}
            {fields}
        </form>
    }
}

fn rationale_field(r: Reader, typed: String) -> impl IntoView {
    view! { <div><label>{r.t("grant-rationale")}" "<textarea name="rationale" required maxlength="5000" rows="3">{raw_text::textarea(&typed)}</textarea></label></div> }
}

/// In a form refilled after its step-up expired: the code, asked in the same form so that
/// confirming it elsewhere does not lose what was typed.
fn code_field(r: Reader, asked: bool) -> impl IntoView {
    asked.then(|| {
        view! {
            <div><label for="grant-code">{r.t("grant-propose-code")}" "<span class="quiet">{r.t("grant-propose-code-expired")}</span></label>
                <input id="grant-code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" required maxlength="6" /></div>
        }
    })
}

/// Renders one grant with the forms its viewer may use.
pub fn render_grant(page: GrantPage<'_>) -> String {
    let (csrf, a, r) = (page.csrf, page.actions, page.nav.reader);
    let url = |action: &str| format!("/staff/grants/{}/{action}", page.id);
    let facts = page.facts.into_iter().map(|(l, v)| view! { <dt>{l}</dt><dd>{v}</dd> }).collect_view();
    let payee_details = page.payee_details.map(|d| text_block(r.t("grant-payee-details"), d));
    let purpose = page.purpose.map(|p| text_block(r.t("grant-purpose"), p));
    let vouchers = (!page.vouchers.is_empty()).then(|| {
        let items = page.vouchers.into_iter().map(|v| view! { <li>{v}</li> }).collect_view();
        view! { <p class="quiet">{r.t("grant-vouchers")}</p><ul>{items}</ul> }
    });
    // Approval waits for enough confirmations: say so where the Approve button would be.
    let short_of_vouchers = page.verification.as_ref().is_some_and(|(v, needed, _)| v.confirmations < *needed);
    let verification = page
        .verification
        .map(|(v, needed, now)| super::super::vouch::verification_section_for(r, v, Some(needed), now, None));
    let report = page.report.map(|report| text_block(r.t("grant-report"), report));
    let decisions = if page.decisions.is_empty() {
        view! { <p class="quiet">{r.t("grant-no-decisions")}</p> }.into_any()
    } else {
        page.decisions
            .into_iter()
            .map(|d| {
                let head = format!("{} · {} · {}", d.who, d.decision, d.at);
                let rationale = match d.rationale {
                    Some(text) => view! { <p class="body">{text}</p> }.into_any(),
                    None => view! { <p class="quiet"><em>{r.t("grant-rationale-hidden")}</em></p> }.into_any(),
                };
                view! { <div class="message"><p class="quiet">{head}</p>{rationale}</div> }
            })
            .collect_view()
            .into_any()
    };
    let disbursement = (!page.disbursement.is_empty()).then(|| {
        let items = page.disbursement.into_iter().map(|(l, v)| view! { <dt>{l}</dt><dd>{v}</dd> }).collect_view();
        view! { <h2>{r.t("grant-payment")}</h2><dl class="facts">{items}</dl> }
    });

    let sensitive = a.decide || a.disburse || a.change_payee || a.reverse;
    let (fresh, typed) = (page.stepped_up, page.typed);
    let t = |form: &str, name: &str| typed.get(form, name);
    // A sensitive form refused (its step-up expired, a mistake, a change meanwhile) comes back
    // filled in even without a fresh step-up; it then asks for the code itself.
    let open = |form: &str| fresh || typed.is(form);
    let refilled = ["decide", "disburse", "payee", "reverse"].iter().any(|f| typed.is(f));
    let step_up_form = (sensitive && !fresh && !refilled).then(|| {
        let next = format!("/staff/grants/{}", page.id);
        step_up_in(r, csrf, &next, r.t("grant-step-up-why"))
    });
    let decide = (a.decide && open("decide")).then(|| {
        let ticked = t("decide", "provisional") == "true";
        let provisional = a.provisional_allowed.then(|| {
            view! {
                <div><label class="choice"><input type="checkbox" name="provisional" value="true" checked=ticked />
                    " "{r.t("grant-provisional-choice")}</label></div>
            }
        });
        let approve = a.approve.then(|| {
            view! { <button type="submit" name="decision" value="approve" class="primary">{r.t("grant-approve")}</button> }
        });
        let reject = a.reject.then(|| view! { <button type="submit" name="decision" value="reject">{r.t("grant-reject")}</button> });
        let waiting = (!a.approve && short_of_vouchers).then(|| {
            view! { <p class="quiet">{r.t("grant-waiting-vouchers")}</p> }
        });
        let fields = view! {
            {rationale_field(r, t("decide", "rationale"))}
            {provisional}
            {waiting}
            {code_field(r, !fresh)}
            <div>{approve}" "{reject}</div>
        };
        post_form(r.t("grant-decide"), url("decide"), csrf, fields)
    });
    let disburse = (a.disburse && open("disburse")).then(|| {
        let methods = labelled_options(page.methods, &t("disburse", "method"));
        let refill = typed.is("disburse");
        let fees = if refill { t("disburse", "fees") } else { "0".to_owned() };
        let paid_on = if refill { t("disburse", "paid_on") } else { page.today.clone() };
        let currency = page.currency.clone();
        let rate = page.needs_rate.then(|| {
            let label = r.t_text("grant-rate-used", "currency", &currency);
            view! { <div><label>{label}" "<input name="rate" required inputmode="decimal" maxlength="30" value=t("disburse", "rate") /></label></div> }
        });
        let paid_label = r.t_text("grant-paid-amount", "currency", &currency);
        let fees_label = r.t_text("grant-fees-amount", "currency", &currency);
        let fields = view! {
            <p class="notice">{page.memo_guidance}</p>
            <p><strong>{r.t("grant-memo-warning")}</strong></p>
            <div><label>{r.t("grant-method")}" "<select name="method">{methods}</select></label></div>
            <div><label>{paid_label}" "<input name="paid" required inputmode="decimal" maxlength="30" value=t("disburse", "paid") /></label></div>
            <div><label>{fees_label}" "<input name="fees" value=fees inputmode="decimal" maxlength="30" /></label></div>
            {rate}
            <div><label>{r.t("grant-transfer-reference")}" "<input name="external_reference" required maxlength="100" value=t("disburse", "external_reference") /></label></div>
            <div><label>{r.t("grant-paid-on-field")}" "<input type="date" name="paid_on" required value=paid_on /></label></div>
            {hidden("grant_version", &page.version.to_string())}
            {code_field(r, !fresh)}
            <div><button type="submit" class="primary">{r.t("grant-record-payment")}</button></div>
        };
        post_form(r.t("grant-disburse-heading"), url("disburse"), csrf, fields)
    });
    let change_payee = (a.change_payee && open("payee")).then(|| {
        let fields = view! {
            <p class="notice warning">{r.t("grant-payee-warning")}</p>
            <div><label>{r.t("grant-payee-alias")}" "<span class="quiet">{r.t("grant-payee-alias-hint")}</span>
                <input name="payee_alias" required maxlength="100" value=t("payee", "payee_alias") /></label></div>
            <div><label>{r.t("grant-payee-details-field")}" "<span class="quiet">{r.t("grant-payee-details-hint")}</span>
                <textarea name="payee_details" required maxlength="2000" rows="3">{raw_text::textarea(&t("payee", "payee_details"))}</textarea></label></div>
            {code_field(r, !fresh)}
            <div><button type="submit">{r.t("grant-change-payee")}</button></div>
        };
        post_form(r.t("grant-change-payee-heading"), url("payee"), csrf, fields)
    });
    let receipt = a.confirm_receipt.then(|| {
        let fields = view! {
            <div><label>{r.t("grant-note")}" "<span class="quiet">{r.t("grant-optional")}</span>" "<textarea name="note" maxlength="2000" rows="2">{raw_text::textarea(&t("receipt", "note"))}</textarea></label></div>
            <div><button type="submit">{r.t("grant-record-receipt")}</button></div>
        };
        post_form(r.t("grant-receipt-heading"), url("receipt"), csrf, fields)
    });
    let report_form = a.report.then(|| {
        let fields = view! {
            <div><label>{r.t("grant-report-field")}" "<textarea name="report" required maxlength="5000" rows="4">{raw_text::textarea(&t("report", "report"))}</textarea></label></div>
            <div><button type="submit">{r.t("grant-save-report")}</button></div>
        };
        post_form(r.t("grant-report"), url("report"), csrf, fields)
    });
    let cancel = a.cancel.then(|| {
        let fields = view! { {rationale_field(r, t("cancel", "rationale"))}<div><button type="submit">{r.t("grant-cancel")}</button></div> };
        post_form(r.t("grant-cancel-heading"), url("cancel"), csrf, fields)
    });
    let reverse = (a.reverse && open("reverse")).then(|| {
        let fields = view! {
            {rationale_field(r, t("reverse", "rationale"))}
            {code_field(r, !fresh)}
            <div><button type="submit">{r.t("grant-reverse")}</button></div>
        };
        post_form(r.t("grant-reverse-heading"), url("reverse"), csrf, fields)
    });
    let any_action = sensitive || a.confirm_receipt || a.report || a.cancel;
    let actions_heading = any_action.then(|| view! { <h2>{r.t("grant-actions")}</h2> });

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
        <h2>{r.t("grant-decisions")}</h2>
        {decisions}
        {disbursement}
        {actions_heading}
        {step_up_form}
        {decide}{disburse}{change_payee}{receipt}{report_form}{cancel}{reverse}
    };
    document(PageMeta { title: &title, lang: r.language.tag() }, body)
}
