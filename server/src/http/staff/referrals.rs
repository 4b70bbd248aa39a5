//! Referral forms for staff: proposing from a case, approving, recording consent,
//! withdrawing; and the partner's page with their packets.

use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use serde::Deserialize;
use shelter_frontend::pages::staff::referrals::{Heading, ReferralAction, ReferralItem, render_partner};
use shelter_shared::api::ErrorCode;
use shelter_shared::referral::{PacketField, ReferralState, ReferralTransition};
use uuid::Uuid;

use super::{nav_for, page};
use crate::http::allow::{Allowed, Browser, may};
use crate::http::api::cases::staff;
use crate::http::auth::authorize;
use crate::http::extract::{MultiForm, PagePath, ValidForm};
use crate::http::posted::Posted;
use crate::http::{AppError, AppState};
use crate::identity::sessions::StaffSession;
use crate::policy::{self, Action};
use crate::referrals::ReferralView;

/// The referral form routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/cases/{case_id}/referrals", post(propose))
        .route("/staff/cases/{case_id}/referrals/{referral_id}/{action}", post(decide))
        .route("/staff/partner/referrals/{referral_id}/{action}", post(answer))
        .route("/staff/cases/{case_id}/referrals/{referral_id}/messages", post(staff_message))
        .route("/staff/partner/referrals/{referral_id}/messages", post(partner_message))
}

fn message_lines(view: &ReferralView) -> Vec<(bool, chrono::DateTime<chrono::Utc>, String)> {
    view.messages.iter().map(|m| (m.from_partner, m.at, m.body.clone())).collect()
}

async fn staff_message(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Browser, may::WorkCases>,
    Path((case_id, referral_id)): Path<(Uuid, Uuid)>,
    Posted(ValidForm(form)): Posted<ValidForm<super::partner_writing::NetworkMessageForm>>,
) -> Result<Response, AppError> {
    super::partner_writing::send(&state, &session, case_id, referral_id, form).await
}

async fn partner_message(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Browser, may::AnswerReferrals>,
    Path(referral_id): Path<Uuid>,
    Posted(ValidForm(form)): Posted<ValidForm<TextForm>>,
) -> Result<Response, AppError> {
    state.cases.referral_message(staff(&session), referral_id, true, &form.text).await?;
    Ok(Redirect::to("/staff").into_response())
}

fn packet_lines(view: &ReferralView) -> Vec<(String, String)> {
    view.fields
        .iter()
        .filter_map(|f| view.packet.get(f).and_then(|v| v.as_str()).map(|t| (f.clone(), t.to_owned())))
        .collect()
}

/// The case page's referral items, with the actions the viewer may take.
pub fn case_items(session: &StaffSession, case_id: Uuid, views: Vec<ReferralView>) -> Vec<ReferralItem> {
    views
        .into_iter()
        .map(|v| {
            let url = |action: &str| format!("/staff/cases/{case_id}/referrals/{}/{action}", v.id);
            let state = Some(v.status);
            let moves = state.map(|s| policy::referral_moves(&session.roles, s)).unwrap_or_default();
            let mut actions = vec![];
            for step in moves {
                let action = match step {
                    ReferralTransition::Approve => ReferralAction::Approve,
                    ReferralTransition::Consent => ReferralAction::Consent,
                    _ => ReferralAction::Withdraw,
                };
                actions.push((url(step.as_str()), action));
            }
            if state != Some(ReferralState::Withdrawn) {
                actions.push((url("messages"), ReferralAction::WriteToPartner));
            }
            ReferralItem {
                id: v.id.to_string(),
                heading: Heading::Partner(v.partner_name.clone(), v.partner_kind.clone()),
                status: v.status.as_str().to_owned(),
                packet: packet_lines(&v),
                answer: v.answer.clone(),
                unanswered: v.unanswered,
                messages: message_lines(&v),
                actions,
            }
        })
        .collect()
}

#[derive(Deserialize)]
struct ProposeForm {
    #[serde(default)]
    partner_id: String,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    fields: Vec<String>,
}

async fn propose(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Browser, may::WorkCases>,
    Path(case_id): Path<Uuid>,
    Posted(MultiForm(form)): Posted<MultiForm<ProposeForm>>,
) -> Result<Response, AppError> {
    let result = async {
        let partner = form
            .partner_id
            .parse::<Uuid>()
            .map_err(|_| AppError::invalid(ErrorCode::InvalidPartner, "Choose a partner."))?;
        let fields = form
            .fields
            .iter()
            .map(|f| f.parse::<PacketField>())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| AppError::invalid(ErrorCode::InvalidReferral, e))?;
        state.cases.propose_referral(staff(&session), case_id, partner, &form.purpose, &form.summary, &fields).await?;
        Ok(())
    }
    .await;
    let typed = shelter_frontend::pages::staff::typed::Typed::new(
        "referrals",
        [("partner_id", Some(form.partner_id)), ("purpose", Some(form.purpose)), ("summary", Some(form.summary))]
            .into_iter()
            .chain(form.fields.into_iter().map(|f| ("fields", Some(f)))),
    );
    super::cases::after_typed(&state, &session, case_id, result, typed).await
}

#[derive(Deserialize)]
struct TextForm {
    #[serde(default)]
    text: String,
}

async fn decide(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Browser, may::WorkCases>,
    PagePath((case_id, referral_id, transition)): PagePath<(Uuid, Uuid, ReferralTransition)>,
    Posted(ValidForm(form)): Posted<ValidForm<TextForm>>,
) -> Result<Response, AppError> {
    if !matches!(transition, ReferralTransition::Approve | ReferralTransition::Consent | ReferralTransition::Withdraw) {
        return Err(AppError::NotFound);
    }
    let result = state
        .cases
        .staff_referral(staff(&session), referral_id, transition, Some(&form.text))
        .await
        .map(|_| ())
        .map_err(AppError::from);
    super::cases::after(&state, &session, case_id, result).await
}

/// The partner's home page.
pub async fn partner_home(state: &AppState, session: &StaffSession) -> Result<Response, AppError> {
    authorize(state, session, Action::AnswerReferrals).await?;
    let views = state.cases.partner_referrals(session.user_id).await?;
    let items = views
        .into_iter()
        .map(|v| {
            let url = |action: &str| format!("/staff/partner/referrals/{}/{action}", v.id);
            let mut actions = match v.status.as_str() {
                "sent" => vec![(url("accept"), ReferralAction::Accept), (url("decline"), ReferralAction::Decline)],
                "accepted" => vec![(url("conclude"), ReferralAction::Conclude)],
                _ => vec![],
            };
            // The partner may write to the network while the referral is live, without concluding.
            if matches!(v.status.as_str(), "sent" | "accepted") {
                actions.push((url("messages"), ReferralAction::WriteToNetwork));
            }
            ReferralItem {
                id: v.id.to_string(),
                heading: Heading::Purpose(v.purpose.clone()),
                status: v.status.as_str().to_owned(),
                packet: packet_lines(&v),
                answer: v.answer.clone(),
                unanswered: false,
                messages: message_lines(&v),
                actions,
            }
        })
        .collect();
    Ok(page(render_partner(nav_for(session), &session.csrf_token, items)))
}

async fn answer(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Browser, may::AnswerReferrals>,
    PagePath((referral_id, transition)): PagePath<(Uuid, ReferralTransition)>,
    Posted(ValidForm(form)): Posted<ValidForm<TextForm>>,
) -> Result<Response, AppError> {
    if !matches!(transition, ReferralTransition::Accept | ReferralTransition::Decline | ReferralTransition::Conclude) {
        return Err(AppError::NotFound);
    }
    state.cases.partner_answer(session.user_id, referral_id, transition, &form.text).await?;
    Ok(Redirect::to("/staff").into_response())
}
