//! `/staff/grants/{id}`: one grant with the forms its reader may use.

use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;
use shelter_frontend::pages::staff::grants::{DecisionLine, GrantActions, GrantPage, render_grant};
use shelter_shared::grant::PaymentMethod;
use uuid::Uuid;

use super::super::{nav_for, page};
use super::{grant_name, shown};
use crate::grants::memo;
use crate::grants::view::GrantView;
use crate::http::allow::{Allowed, Browser, may};
use crate::http::api::cases::staff;
use crate::http::{AppError, AppState};
use crate::identity::sessions::StaffSession;
use crate::policy::GrantMove;
use shelter_frontend::dates::staff_time;

/// The buttons of the grant page: exactly the moves the policy allows the reader (the
/// service asks the same question when the form arrives).
fn actions(view: &GrantView) -> GrantActions {
    let may = |step| view.may.contains(&step);
    GrantActions {
        decide: may(GrantMove::Approve) || may(GrantMove::Reject),
        approve: may(GrantMove::Approve),
        reject: may(GrantMove::Reject),
        provisional_allowed: may(GrantMove::ApproveProvisionally),
        disburse: may(GrantMove::Disburse),
        change_payee: may(GrantMove::ChangePayee),
        confirm_receipt: may(GrantMove::ConfirmReceipt),
        report: may(GrantMove::Report),
        cancel: may(GrantMove::Cancel),
        reverse: may(GrantMove::Reverse),
    }
}

/// Who may still release the payment, said plainly; when nobody can, what a supervisor does.
fn payers_line(view: &GrantView) -> Option<String> {
    let payers = view.payers.as_ref()?;
    Some(if payers.is_empty() {
        "Nobody can release this payment: every finance officer proposed, approved or changed the payee's \
         details, or declared a conflict. A supervisor should ask an administrator for another finance officer \
         (confirmed by a supervisor), or cancel the grant and propose it again."
            .to_owned()
    } else {
        payers.join(", ")
    })
}

fn facts(view: &GrantView) -> Result<Vec<(String, String)>, AppError> {
    let pair = |label: &str, value: String| (label.to_owned(), value);
    let mut facts = vec![
        pair("Status", view.status.replace('_', " ")),
        pair("Fund", view.fund_name.clone()),
        pair("Category", view.category.replace('_', " ")),
        pair("Amount", view.amount.clone()),
    ];
    if let Some(cap) = &view.playbook_cap {
        facts.push(pair("Playbook cap for this category", cap.clone()));
    }
    if view.currency != view.fund_currency {
        let rate = view.rate.clone().unwrap_or_default();
        facts.push(pair(
            "In the fund's currency",
            format!(
                "{} (1 {} = {rate} {})",
                shown(view.fund_amount_minor, &view.fund_currency)?,
                view.currency,
                view.fund_currency
            ),
        ));
    }
    facts.push(pair(
        "Tier",
        format!("{}: {} of {} approvals", view.tier.to_uppercase(), view.approvals_given, view.approvals_needed),
    ));
    facts.push(pair("Payee", view.payee_alias.clone()));
    if let (Some(at), Some(by)) = (view.payee_changed_at, &view.payee_changed_by) {
        facts.push(pair("Payment details last changed", format!("{} by {by}", staff_time(at))));
    }
    if let Some(line) = payers_line(view) {
        facts.push(pair("Who may release the payment", line));
    }
    facts.push(pair("Country", view.country.clone()));
    facts.push(pair("Proposed", staff_time(view.created_at)));
    if view.provisional {
        let ratified = match (view.ratified_at, view.ratify_due_at) {
            (Some(at), _) => format!("ratified {}", staff_time(at)),
            (None, Some(due)) => format!("to be ratified by {}", staff_time(due)),
            _ => String::new(),
        };
        facts.push(pair("Provisional approval", ratified));
    }
    if let Some(at) = view.receipt_at {
        facts.push(pair("Receipt confirmed", staff_time(at)));
    }
    if let Some(due) = view.use_until {
        facts.push(pair("Report due", staff_time(due)));
    }
    Ok(facts)
}

pub(super) async fn grant_html(
    state: &AppState,
    session: &StaffSession,
    grant_id: Uuid,
    error: Option<String>,
    notice: Option<String>,
) -> Result<String, AppError> {
    let view = state.grants.grant(staff(session), grant_id).await?;
    let disbursement = match &view.disbursement {
        Some(d) => vec![
            ("Method".to_owned(), d.method.replace('_', " ")),
            ("Paid".to_owned(), shown(d.paid_minor, &view.currency)?),
            ("Fees".to_owned(), shown(d.fees_minor, &view.currency).unwrap_or_else(|_| "none".into())),
            ("From the fund".to_owned(), shown(d.fund_amount_minor, &view.fund_currency)?),
            ("Reference".to_owned(), d.external_reference.clone()),
            ("Paid on".to_owned(), d.paid_on.to_string()),
        ],
        None => vec![],
    };
    let back = match view.case_id {
        Some(case_id) => (format!("/staff/cases/{case_id}"), "Back to the case".to_owned()),
        None => ("/staff/grants".to_owned(), "Back to the register".to_owned()),
    };
    Ok(render_grant(GrantPage {
        nav: nav_for(session),
        csrf: &session.csrf_token,
        id: view.id.to_string(),
        title: format!("Grant: {}", grant_name(view.case_reference.as_deref(), &view.category, &view.payee_alias)),
        version: view.version,
        facts: facts(&view)?,
        payee_details: view.payee_details.clone(),
        purpose: view.purpose.clone(),
        vouchers: view.vouchers.clone().unwrap_or_default(),
        verification: view.verification.clone().map(|v| (v, view.confirmations_needed, state.grants.cases.clock.now())),
        report: view.report.clone(),
        decisions: view
            .decisions
            .iter()
            .map(|d| DecisionLine {
                who: d.name.clone(),
                decision: if d.provisional { format!("{} (provisional)", d.decision) } else { d.decision.clone() },
                rationale: d.rationale.clone(),
                at: staff_time(d.decided_at),
            })
            .collect(),
        disbursement,
        methods: PaymentMethod::ALL.iter().map(|m| m.as_str().to_owned()).collect(),
        currency: view.currency.clone(),
        needs_rate: view.currency != view.fund_currency,
        memo_guidance: memo::guidance(&view.country).to_owned(),
        back,
        actions: actions(&view),
        stepped_up: session.stepped_up(state.identity.clock.now()),
        error,
        notice,
    }))
}

#[derive(Deserialize)]
pub(super) struct NoticeQuery {
    done: Option<String>,
}

pub(super) async fn show_grant(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Browser, may::ViewGrant>,
    Path(grant_id): Path<Uuid>,
    Query(query): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    let notice = query.done.map(|_| "Done: recorded, with its audit entry.".to_owned());
    Ok(page(grant_html(&state, &session, grant_id, None, notice).await?))
}
