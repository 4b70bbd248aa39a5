//! What the grant page's forms do: one action per path, each asking the policy first.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use serde::Deserialize;
use shelter_shared::api::ErrorCode;
use uuid::Uuid;

use super::super::form_error;
use crate::grants::decide::Decision;
use crate::grants::follow_up::Reporter;
use crate::grants::pay::{Disbursement, PayeeChange};
use crate::http::api::cases::staff;
use crate::http::auth::{BrowserStaff, authorize};
use crate::http::extract::{PagePath, ValidForm};
use crate::http::posted::Posted;
use crate::http::{AppError, AppState};
use crate::identity::sessions::StaffSession;
use crate::policy::Action;

/// The last part of `/staff/grants/{id}/{action}`: which form was sent. Each asks the policy
/// for its own action, so the route cannot.
#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "kebab-case")]
pub(super) enum GrantAction {
    Decide,
    Disburse,
    Payee,
    Reverse,
    Receipt,
    Report,
    Cancel,
}

/// Every field any grant form may send.
#[derive(Deserialize)]
pub(super) struct GrantForm {
    #[serde(default)]
    grant_version: Option<String>,
    #[serde(default)]
    decision: Option<String>,
    #[serde(default)]
    provisional: Option<String>,
    #[serde(default)]
    rationale: Option<String>,
    #[serde(default)]
    method: Option<String>,
    #[serde(default)]
    paid: Option<String>,
    #[serde(default)]
    fees: Option<String>,
    #[serde(default)]
    rate: Option<String>,
    #[serde(default)]
    external_reference: Option<String>,
    #[serde(default)]
    paid_on: Option<String>,
    #[serde(default)]
    payee_alias: Option<String>,
    #[serde(default)]
    payee_details: Option<String>,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    report: Option<String>,
}

fn disbursement(form: GrantForm) -> Result<Disbursement, AppError> {
    let invalid = |code, m: &str| AppError::invalid(code, m.to_owned());
    Ok(Disbursement {
        method: form
            .method
            .unwrap_or_default()
            .parse()
            .map_err(|_| invalid(ErrorCode::InvalidMethod, "Choose a payment method from the list."))?,
        paid: form.paid.unwrap_or_default(),
        fees: form.fees,
        rate: form.rate,
        external_reference: form.external_reference.unwrap_or_default(),
        paid_on: NaiveDate::parse_from_str(form.paid_on.unwrap_or_default().trim(), "%Y-%m-%d")
            .map_err(|_| invalid(ErrorCode::InvalidDate, "Give the day it was paid."))?,
        grant_version: form.grant_version.as_deref().map(str::trim).and_then(|v| v.parse().ok()),
    })
}

async fn run_action(
    state: &AppState,
    session: &StaffSession,
    grant_id: Uuid,
    action: GrantAction,
    form: GrantForm,
) -> Result<(), AppError> {
    let who = staff(session);
    let grants = &state.grants;
    // The services ask for the step-up themselves.
    let gate = |needs: Action| async move { authorize(state, session, needs).await };
    match action {
        GrantAction::Decide => {
            gate(Action::DecideGrants).await?;
            let decision = match form.decision.as_deref() {
                Some("approve") => Decision::Approve { provisional: form.provisional.as_deref() == Some("true") },
                Some("reject") => Decision::Reject,
                _ => return Err(AppError::invalid(ErrorCode::InvalidDecision, "Choose approve or reject.")),
            };
            grants.decide(who, grant_id, decision, form.rationale.as_deref()).await?;
        }
        GrantAction::Disburse => {
            gate(Action::DisburseGrants).await?;
            grants.disburse(who, grant_id, disbursement(form)?).await?;
        }
        GrantAction::Payee => {
            gate(Action::ChangePayee).await?;
            let change =
                PayeeChange { payee_alias: form.payee_alias, payee_details: form.payee_details.unwrap_or_default() };
            grants.change_payee(who, grant_id, change).await?;
        }
        GrantAction::Reverse => {
            gate(Action::DisburseGrants).await?;
            grants.reverse(who, grant_id, form.rationale.as_deref()).await?;
        }
        GrantAction::Receipt => {
            gate(Action::WorkGrants).await?;
            grants.confirm_receipt(Reporter::Staff(who), grant_id, form.note.as_deref()).await?;
        }
        GrantAction::Report => {
            gate(Action::WorkGrants).await?;
            grants.report(Reporter::Staff(who), grant_id, form.report.as_deref().unwrap_or_default()).await?;
        }
        GrantAction::Cancel => {
            gate(Action::WorkGrants).await?;
            grants.cancel(who, grant_id, form.rationale.as_deref()).await?;
        }
    }
    Ok(())
}

pub(super) async fn act(
    State(state): State<AppState>,
    BrowserStaff(session): BrowserStaff,
    PagePath((grant_id, action)): PagePath<(Uuid, GrantAction)>,
    Posted(ValidForm(form)): Posted<ValidForm<GrantForm>>,
) -> Result<Response, AppError> {
    match run_action(&state, &session, grant_id, action, form).await {
        Ok(()) => Ok(Redirect::to(&format!("/staff/grants/{grant_id}?done=1")).into_response()),
        Err(error) if error.status().is_client_error() && !matches!(error, AppError::NotFound) => {
            match super::page::grant_html(&state, &session, grant_id, Some(error.public_message()), None).await {
                Ok(html) => Ok(form_error(error, |_| html)),
                Err(_) => Err(error),
            }
        }
        Err(error) => Err(error),
    }
}
