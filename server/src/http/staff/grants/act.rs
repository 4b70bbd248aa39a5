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
use crate::http::extract::{ClientIp, PagePath, ValidForm};
use crate::http::posted::Posted;
use crate::http::{AppError, AppState};
use crate::identity::sessions::StaffSession;
use crate::policy::Action;
use shelter_frontend::pages::staff::typed::Typed;
use shelter_frontend::reader::Reader;

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
    /// A fresh code, when the step-up had expired before the form was sent.
    #[serde(default)]
    code: Option<String>,
}

impl GrantAction {
    /// The form's name on the page (the last part of its action).
    fn form(self) -> &'static str {
        match self {
            GrantAction::Decide => "decide",
            GrantAction::Disburse => "disburse",
            GrantAction::Payee => "payee",
            GrantAction::Reverse => "reverse",
            GrantAction::Receipt => "receipt",
            GrantAction::Report => "report",
            GrantAction::Cancel => "cancel",
        }
    }
}

impl GrantForm {
    /// The fields as sent, to show them again to the person who sent them (payment details
    /// included: the page goes back to them only, and nothing of it is stored).
    fn typed(&self, action: GrantAction) -> Typed {
        let fields = [
            ("decision", &self.decision),
            ("provisional", &self.provisional),
            ("rationale", &self.rationale),
            ("method", &self.method),
            ("paid", &self.paid),
            ("fees", &self.fees),
            ("rate", &self.rate),
            ("external_reference", &self.external_reference),
            ("paid_on", &self.paid_on),
            ("payee_alias", &self.payee_alias),
            ("payee_details", &self.payee_details),
            ("note", &self.note),
            ("report", &self.report),
        ];
        Typed::new(action.form(), fields.into_iter().map(|(name, value)| (name, value.clone())))
    }
}

fn disbursement(r: Reader, form: GrantForm) -> Result<Disbursement, AppError> {
    let invalid = |code, id: &str| AppError::invalid(code, r.t(id));
    Ok(Disbursement {
        method: form
            .method
            .unwrap_or_default()
            .parse()
            .map_err(|_| invalid(ErrorCode::InvalidMethod, "grant-error-method"))?,
        paid: form.paid.unwrap_or_default(),
        fees: form.fees,
        rate: form.rate,
        external_reference: form.external_reference.unwrap_or_default(),
        paid_on: NaiveDate::parse_from_str(form.paid_on.unwrap_or_default().trim(), "%Y-%m-%d")
            .map_err(|_| invalid(ErrorCode::InvalidDate, "grant-error-paid-on"))?,
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
                _ => {
                    return Err(AppError::invalid(
                        ErrorCode::InvalidDecision,
                        session.reader().t("grant-error-decision"),
                    ));
                }
            };
            grants.decide(who, grant_id, decision, form.rationale.as_deref()).await?;
        }
        GrantAction::Disburse => {
            gate(Action::DisburseGrants).await?;
            grants.disburse(who, grant_id, disbursement(session.reader(), form)?).await?;
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
    ip: ClientIp,
    BrowserStaff(session): BrowserStaff,
    PagePath((grant_id, action)): PagePath<(Uuid, GrantAction)>,
    Posted(ValidForm(form)): Posted<ValidForm<GrantForm>>,
) -> Result<Response, AppError> {
    let typed = form.typed(action);
    let mut session = session;
    let outcome = async {
        // A code sent with the form confirms the second factor first (the step-up had
        // expired while the form was being filled in), under the step-up page's limit.
        if let Some(code) = form.code.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            crate::http::api::auth::limit(&state, ip).await?;
            state.identity.step_up(&session, code).await?;
            session.step_up_at = Some(state.identity.clock.now());
        }
        run_action(&state, &session, grant_id, action, form).await
    }
    .await;
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("/staff/grants/{grant_id}?done=1")).into_response()),
        Err(AppError::Unauthorized(message)) => Err(AppError::Unauthorized(message)),
        Err(error) if error.status().is_client_error() && !matches!(error, AppError::NotFound) => {
            let message = Some(error.public_message());
            match super::page::grant_html(&state, &session, grant_id, message, None, typed).await {
                Ok(html) => Ok(form_error(error, |_| html)),
                Err(_) => Err(error),
            }
        }
        Err(error) => Err(error),
    }
}
