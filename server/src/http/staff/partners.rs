//! `/staff/partners`: the partner directory for administrators.

use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use shelter_frontend::pages::staff::partners::{PartnerLine, render};
use shelter_shared::api::ErrorCode;
use shelter_shared::partner::NewPartnerRequest;
use shelter_shared::referral::{Capacity, Expertise};
use uuid::Uuid;

use super::{form_error, nav_for, page};
use crate::audit::Actor;
use crate::http::allow::{Allowed, Browser, may};
use crate::http::extract::{MultiForm, ValidForm};
use crate::http::posted::Posted;
use crate::http::{AppError, AppState};
use crate::identity::sessions::StaffSession;

/// The directory routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/partners", get(show).post(create))
        .route("/staff/partners/{partner_id}/capacity", post(capacity))
}

async fn html(state: &AppState, session: &StaffSession, error: Option<String>) -> Result<String, AppError> {
    let partners = state.partners.list(&Default::default()).await?;
    let lines = partners
        .into_iter()
        .map(|p| PartnerLine {
            id: p.id,
            name: p.name,
            kind: p.kind,
            countries: p.countries,
            languages: p.languages,
            expertise: p.expertise,
            capacity: p.capacity,
        })
        .collect();
    Ok(render(nav_for(session), &session.csrf_token, lines, error))
}

async fn show(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Browser, may::ManagePartners>,
) -> Result<Response, AppError> {
    Ok(page(html(&state, &session, None).await?))
}

#[derive(Deserialize)]
struct NewPartnerForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    countries: String,
    #[serde(default)]
    languages: String,
    #[serde(default)]
    expertise: Vec<String>,
    #[serde(default)]
    contact: String,
}

fn list(text: &str) -> Vec<String> {
    text.split([',', ' ']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

async fn create(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Browser, may::ManagePartners>,
    Posted(MultiForm(form)): Posted<MultiForm<NewPartnerForm>>,
) -> Result<Response, AppError> {
    let result = async {
        let expertise = form
            .expertise
            .iter()
            .map(|e| e.parse::<Expertise>())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| AppError::invalid(ErrorCode::InvalidPartner, e))?;
        let request = NewPartnerRequest {
            name: form.name.clone(),
            kind: form.kind.clone(),
            countries: list(&form.countries),
            languages: list(&form.languages),
            expertise,
            capacity: None,
            contact: Some(form.contact.clone()),
        };
        state.partners.create(&Actor::Staff(session.user_id), &request).await.map_err(AppError::from)
    }
    .await;
    match result {
        Ok(_) => Ok(Redirect::to("/staff/partners").into_response()),
        Err(error) if error.status().is_client_error() => {
            let body = html(&state, &session, Some(error.public_message())).await?;
            Ok(form_error(error, |_| body))
        }
        Err(error) => Err(error),
    }
}

#[derive(Deserialize)]
struct CapacityForm {
    capacity: Capacity,
}

async fn capacity(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Browser, may::ManagePartners>,
    Path(partner_id): Path<Uuid>,
    Posted(ValidForm(form)): Posted<ValidForm<CapacityForm>>,
) -> Result<Response, AppError> {
    state.partners.set_capacity(&Actor::Staff(session.user_id), partner_id, form.capacity).await?;
    Ok(Redirect::to("/staff/partners").into_response())
}
