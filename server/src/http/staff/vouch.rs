//! `/staff/cases/{id}/vouch`: asking people to vouch for a case's requester. One form:
//! "Find" posts it back with members found by name and everything typed kept; "Send"
//! asks.

use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;
use shelter_frontend::pages::staff::vouch::{AskPage, render_ask};
use shelter_shared::alumni::MemberSummary;
use shelter_shared::vouch::AskVouchersRequest;
use uuid::Uuid;

use super::{form_error, nav_for, page};
use crate::alumni::members::SearchFilter;
use crate::http::allow::{Allowed, Browser, may};
use crate::http::api::cases::staff;
use crate::http::extract::MultiForm;
use crate::http::posted::Posted;
use crate::http::{AppError, AppState};
use crate::identity::sessions::StaffSession;

/// The ask page's routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/staff/cases/{case_id}/vouch", get(ask_page).post(ask))
}

#[derive(Deserialize, Default)]
struct AskForm {
    #[serde(default)]
    intent: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    member: Vec<String>,
    #[serde(default)]
    partner: Vec<String>,
    #[serde(default)]
    question: String,
}

async fn ask_page(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Browser, may::AskVouchers>,
    Path(case_id): Path<Uuid>,
) -> Result<Response, AppError> {
    Ok(page(ask_html(&state, &session, case_id, &AskForm::default(), false, None).await?))
}

async fn ask(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Browser, may::AskVouchers>,
    Path(case_id): Path<Uuid>,
    Posted(MultiForm(form)): Posted<MultiForm<AskForm>>,
) -> Result<Response, AppError> {
    if form.intent == "find" {
        return Ok(page(ask_html(&state, &session, case_id, &form, true, None).await?));
    }
    let request = AskVouchersRequest {
        question: form.question.clone(),
        members: form.member.clone(),
        partners: form.partner.clone(),
    };
    match state.vouching.ask(staff(&session), case_id, &request).await.map_err(AppError::from) {
        Ok(_) => Ok(Redirect::to(&format!("/staff/cases/{case_id}")).into_response()),
        Err(error)
            if error.status().is_client_error() && !matches!(error, AppError::NotFound | AppError::Forbidden(_)) =>
        {
            let body = ask_html(&state, &session, case_id, &form, false, Some(error.public_message())).await?;
            Ok(form_error(error, |_| body))
        }
        Err(error) => Err(error),
    }
}

/// The page with `form` as typed: the members chosen so far, those a search by name found,
/// the partner contacts, the question.
async fn ask_html(
    state: &AppState,
    session: &StaffSession,
    case_id: Uuid,
    form: &AskForm,
    searched: bool,
    error: Option<String>,
) -> Result<String, AppError> {
    let reference = state.vouching.askable(staff(session), case_id).await?;
    let mut conn = state.db.acquire().await?;
    let chosen: Vec<Uuid> = form.member.iter().filter_map(|id| id.parse().ok()).collect();
    let mut members: Vec<(MemberSummary, bool)> =
        state.alumni.summaries(&mut conn, staff(session), &chosen).await?.into_iter().map(|m| (m, true)).collect();
    let mut error = error;
    let mut found_count = 0;
    let name = form.name.trim();
    if searched && !name.is_empty() {
        let filter = SearchFilter { name: Some(name.to_owned()), ..Default::default() };
        match state.alumni.search(&mut conn, staff(session), &filter).await {
            Ok(found) => {
                found_count = found.len();
                members.extend(found.into_iter().filter(|m| !form.member.contains(&m.id)).map(|m| (m, false)));
            }
            Err(problem) => error = Some(AppError::from(problem).public_message()),
        }
    }
    let partners = state
        .vouching
        .partner_contacts(&mut conn)
        .await?
        .into_iter()
        .map(|(id, label)| {
            let id = id.to_string();
            let chosen = form.partner.contains(&id);
            (id, label, chosen)
        })
        .collect();
    Ok(render_ask(AskPage {
        nav: nav_for(session),
        csrf: session.csrf_token.clone(),
        case_id: case_id.to_string(),
        reference,
        name: form.name.clone(),
        members,
        searched,
        found: found_count,
        partners,
        question: form.question.clone(),
        error,
        stepped_up: session.stepped_up(state.cases.clock.now()),
    }))
}
