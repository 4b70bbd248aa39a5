//! The grants section of a case page, and proposing a grant from it.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use shelter_frontend::pages::staff::grants::{CaseGrantLine, ProposeChoices, mword};
use shelter_shared::api::ErrorCode;
use shelter_shared::grant::{Currency, GrantCategory};
use uuid::Uuid;

use crate::grants::propose::GrantProposal;
use crate::grants::view::GrantView;
use crate::http::allow::{Allowed, Browser, may};
use crate::http::api::cases::staff;
use crate::http::extract::ValidForm;
use crate::http::posted::Posted;
use crate::http::{AppError, AppState};
use crate::identity::sessions::StaffSession;
use crate::policy::{self, Action};
use shelter_frontend::reader::Reader;

/// A case's grants as its page lists them.
pub fn case_lines(grants: Vec<GrantView>) -> Vec<CaseGrantLine> {
    grants
        .into_iter()
        .map(|g| CaseGrantLine {
            id: g.id.to_string(),
            category: g.category,
            amount: g.amount,
            status: g.status,
            payee_alias: g.payee_alias,
        })
        .collect()
}

/// The propose form's choices, if `session` may propose on a case in `status`.
pub async fn propose_choices(
    state: &AppState,
    session: &StaffSession,
    status: &str,
    kind: &str,
) -> Result<Option<ProposeChoices>, AppError> {
    if status != "active" || policy::authorize(&session.roles, Action::WorkGrants).is_err() {
        return Ok(None);
    }
    let r = session.reader();
    let funds = state
        .grants
        .funds()
        .await?
        .into_iter()
        .map(|f| {
            let available = f.money(f.available_minor)?.to_string();
            let label = r.t_texts(
                "grant-fund-choice",
                &[("name", &f.name), ("currency", &f.currency), ("available", &available)],
            );
            Ok((f.fund_id.to_string(), label))
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    if funds.is_empty() {
        return Ok(None);
    }
    // The playbook's categories with their caps; all categories if it names none (the
    // service then says why a proposal is refused).
    let caps = state.grants.playbook_caps(kind, None);
    let word = |c: &GrantCategory| mword(r, "category", c.as_str());
    let categories = if caps.is_empty() {
        GrantCategory::ALL.iter().map(|c| (c.as_str().to_owned(), word(c))).collect()
    } else {
        caps.iter()
            .map(|(c, cap)| {
                let label = r.t_texts("grant-category-cap", &[("category", &word(c)), ("cap", &cap.to_string())]);
                (c.as_str().to_owned(), label)
            })
            .collect()
    };
    let caps_note = (!caps.is_empty()).then(|| {
        let each: Vec<String> = caps
            .iter()
            .map(|(c, cap)| r.t_texts("grant-cap-item", &[("category", &word(c)), ("cap", &cap.to_string())]))
            .collect();
        r.t_text("grant-caps-note", "caps", &each.join("; "))
    });
    Ok(Some(ProposeChoices {
        funds,
        categories,
        caps_note,
        currencies: Currency::ALL.iter().map(|c| c.to_string()).collect(),
    }))
}

#[derive(Deserialize)]
pub(super) struct ProposeForm {
    #[serde(default)]
    fund_id: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    currency: String,
    #[serde(default)]
    rate: Option<String>,
    #[serde(default)]
    payee_alias: String,
    #[serde(default)]
    payee_details: String,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    rationale: String,
    /// A fresh code, when the step-up had expired before the form was sent.
    #[serde(default)]
    code: Option<String>,
}

impl ProposeForm {
    /// The fields as typed, to show them again to the person who typed them (payment
    /// details included: the page goes back to them only, never stored).
    fn typed(&self) -> shelter_frontend::pages::staff::typed::Typed {
        let text = |v: &String| Some(v.clone());
        shelter_frontend::pages::staff::typed::Typed::new(
            "grants",
            [
                ("fund_id", text(&self.fund_id)),
                ("category", text(&self.category)),
                ("amount", text(&self.amount)),
                ("currency", text(&self.currency)),
                ("rate", self.rate.clone()),
                ("payee_alias", text(&self.payee_alias)),
                ("payee_details", text(&self.payee_details)),
                ("purpose", text(&self.purpose)),
                ("rationale", text(&self.rationale)),
            ],
        )
    }

    fn parse(self, r: Reader) -> Result<GrantProposal, AppError> {
        let invalid = |code, m: String| AppError::invalid(code, m);
        Ok(GrantProposal {
            fund_id: self.fund_id.parse().map_err(|_| invalid(ErrorCode::InvalidFund, r.t("grant-error-fund")))?,
            category: self.category.parse().map_err(|m| invalid(ErrorCode::InvalidCategory, m))?,
            amount: self.amount,
            currency: self.currency.parse().map_err(|m| invalid(ErrorCode::InvalidCurrency, m))?,
            rate: self.rate,
            payee_alias: self.payee_alias,
            payee_details: self.payee_details,
            purpose: self.purpose,
            rationale: self.rationale,
        })
    }
}

pub(super) async fn propose(
    State(state): State<AppState>,
    ip: crate::http::extract::ClientIp,
    Allowed(session, ..): Allowed<Browser, may::WorkGrants>,
    Path(case_id): Path<Uuid>,
    Posted(ValidForm(form)): Posted<ValidForm<ProposeForm>>,
) -> Result<Response, AppError> {
    let typed = form.typed();
    let mut session = session;
    let outcome = async {
        // A code sent with the form confirms the second factor first (the step-up had
        // expired while the form was being filled in).
        if let Some(code) = form.code.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            // The same per-address limit as the step-up page.
            crate::http::api::auth::limit(&state, ip).await?;
            state.identity.step_up(&session, code).await?;
            session.step_up_at = Some(state.identity.clock.now());
        }
        let proposal = form.parse(session.reader())?;
        Ok::<Uuid, AppError>(state.grants.propose(staff(&session), case_id, proposal).await?)
    }
    .await;
    match outcome {
        Ok(grant_id) => Ok(Redirect::to(&format!("/staff/grants/{grant_id}?done=1")).into_response()),
        Err(AppError::Unauthorized(message)) => Err(AppError::Unauthorized(message)),
        Err(error) => super::super::cases::after_typed(&state, &session, case_id, Err(error), typed).await,
    }
}
