//! `/staff/grants/{id}`: one grant with the forms its reader may use.

use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;
use shelter_frontend::countries;
use shelter_frontend::pages::staff::grants::{DecisionLine, GrantActions, GrantPage, mword, mwords, render_grant};
use shelter_frontend::pages::staff::typed::Typed;
use shelter_frontend::reader::Reader;
use shelter_shared::grant::PaymentMethod;
use uuid::Uuid;

use super::super::{nav_for, page};
use super::{grant_name, shown};
use crate::grants::view::GrantView;
use crate::http::allow::{Allowed, Browser, may};
use crate::http::api::cases::staff;
use crate::http::{AppError, AppState};
use crate::identity::sessions::StaffSession;
use crate::policy::GrantMove;

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
fn payers_line(r: Reader, view: &GrantView) -> Option<String> {
    let payers = view.payers.as_ref()?;
    Some(if payers.is_empty() { r.t("grant-payers-none") } else { payers.join(", ") })
}

/// Safe memo wording for payments into `country`, in the reader's words.
fn memo_guidance(r: Reader, country: &str) -> String {
    match country {
        "MM" | "TH" | "KH" | "LA" | "VN" | "CN" => r.t(&format!("grant-memo-{country}")),
        _ => r.t("grant-memo-other"),
    }
}

fn facts(r: Reader, view: &GrantView) -> Result<Vec<(String, String)>, AppError> {
    let pair = |label: &str, value: String| (r.t(label), value);
    let mut facts = vec![
        pair("grant-fact-status", mword(r, "state", &view.status)),
        pair("grant-fact-fund", view.fund_name.clone()),
        pair("grant-fact-category", mword(r, "category", &view.category)),
        pair("grant-fact-amount", view.amount.clone()),
    ];
    if let Some(cap) = &view.playbook_cap {
        facts.push(pair("grant-fact-cap", cap.clone()));
    }
    if view.currency != view.fund_currency {
        let rate = view.rate.clone().unwrap_or_default();
        facts.push(pair(
            "grant-fact-in-fund",
            format!(
                "{} (1 {} = {rate} {})",
                shown(view.fund_amount_minor, &view.fund_currency)?,
                view.currency,
                view.fund_currency
            ),
        ));
    }
    let (given, needed) = (view.approvals_given.to_string(), view.approvals_needed.to_string());
    facts.push(pair(
        "grant-fact-tier",
        r.t_texts(
            "grant-fact-tier-value",
            &[("tier", &mword(r, "tier", &view.tier)), ("given", &given), ("needed", &needed)],
        ),
    ));
    facts.push(pair("grant-fact-payee", view.payee_alias.clone()));
    if let (Some(at), Some(by)) = (view.payee_changed_at, &view.payee_changed_by) {
        let changed = r.t_texts("grant-fact-changed-by", &[("time", &r.time(at)), ("name", by)]);
        facts.push(pair("grant-fact-details-changed", changed));
    }
    if let Some(line) = payers_line(r, view) {
        facts.push(pair("grant-fact-payers", line));
    }
    facts.push(pair("grant-fact-country", countries::name(r.tr(), &view.country)));
    facts.push(pair("grant-fact-proposed", r.time(view.created_at)));
    if view.provisional {
        let ratified = match (view.ratified_at, view.ratify_due_at) {
            (Some(at), _) => r.t_text("grant-provisional-ratified", "time", &r.time(at)),
            (None, Some(due)) => r.t_text("grant-provisional-due", "time", &r.time(due)),
            _ => String::new(),
        };
        facts.push(pair("grant-fact-provisional", ratified));
    }
    if let Some(at) = view.receipt_at {
        facts.push(pair("grant-fact-receipt", r.time(at)));
    }
    if let Some(due) = view.use_until {
        facts.push(pair("grant-fact-report-due", r.time(due)));
    }
    Ok(facts)
}

pub(super) async fn grant_html(
    state: &AppState,
    session: &StaffSession,
    grant_id: Uuid,
    error: Option<String>,
    notice: Option<String>,
    typed: Typed,
) -> Result<String, AppError> {
    let view = state.grants.grant(staff(session), grant_id).await?;
    let r = session.reader();
    let disbursement = match &view.disbursement {
        Some(d) => vec![
            (r.t("grant-paid-method"), mword(r, "method", &d.method)),
            (r.t("grant-paid-paid"), shown(d.paid_minor, &view.currency)?),
            (r.t("grant-paid-fees"), shown(d.fees_minor, &view.currency).unwrap_or_else(|_| r.t("mword-none"))),
            (r.t("grant-paid-from-fund"), shown(d.fund_amount_minor, &view.fund_currency)?),
            (r.t("grant-paid-reference"), d.external_reference.clone()),
            (r.t("grant-paid-day"), d.paid_on.to_string()),
        ],
        None => vec![],
    };
    let back = match view.case_id {
        Some(case_id) => (format!("/staff/cases/{case_id}"), r.t("grant-back-case")),
        None => ("/staff/grants".to_owned(), r.t("grant-back-register")),
    };
    let name = grant_name(r, view.case_reference.as_deref(), &view.category, &view.payee_alias);
    Ok(render_grant(GrantPage {
        nav: nav_for(session),
        csrf: &session.csrf_token,
        id: view.id.to_string(),
        title: r.t_text("grant-title", "name", &name),
        version: view.version,
        facts: facts(r, &view)?,
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
                decision: {
                    let word = mword(r, "decision", &d.decision);
                    if d.provisional { r.t_text("grant-decision-provisional", "decision", &word) } else { word }
                },
                rationale: d.rationale.clone(),
                at: r.time(d.decided_at),
            })
            .collect(),
        disbursement,
        methods: mwords(r, "method", PaymentMethod::ALL.iter().map(|m| m.as_str())),
        currency: view.currency.clone(),
        needs_rate: view.currency != view.fund_currency,
        memo_guidance: memo_guidance(r, &view.country),
        back,
        actions: actions(&view),
        stepped_up: session.stepped_up(state.identity.clock.now()),
        error,
        notice,
        typed,
        today: (state.identity.clock.now() + chrono::Duration::minutes(i64::from(r.utc_offset_minutes)))
            .date_naive()
            .to_string(),
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
    let notice = query.done.map(|_| session.reader().t("grant-done"));
    Ok(page(grant_html(&state, &session, grant_id, None, notice, Typed::default()).await?))
}

#[cfg(test)]
mod tests {
    use shelter_shared::language::Language;

    use super::*;

    #[test]
    fn every_mekong_country_has_its_own_memo_guidance_in_every_language() {
        for language in Language::ALL {
            let r = Reader::new(language, 0);
            for country in ["MM", "TH", "KH", "LA", "VN", "CN"] {
                let said = memo_guidance(r, country);
                assert!(!said.is_empty(), "{country} in {}", language.tag());
                assert_ne!(said, memo_guidance(r, "FR"), "{country} in {}", language.tag());
            }
        }
    }
}
