//! `GET|POST /vouch/{token}`: a voucher's link. Opening it changes nothing (mail scanners
//! open links); the form's answer is taken once. Every request counts against the address's
//! allowance, like a sign-in: a link is a credential.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;
use shelter_frontend::dates::date_time_utc;
use shelter_frontend::i18n::Translator;
use shelter_frontend::pages::requester::vouch::{VouchPage, render};
use shelter_shared::vouch::{self, COMMENT_MAX_CHARS};

use super::extract::{ClientIp, ValidForm};
use super::requester::{Lang, html};
use super::{AppError, AppState};
use crate::vouch::answer::Invitation;

/// The voucher's routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/vouch/{token}", get(open).post(answer))
}

#[derive(Deserialize)]
struct AnswerForm {
    answer: Option<String>,
    comment: Option<String>,
    /// Set by a language button: show the form again in that language, answer nothing.
    switch_language: Option<String>,
}

/// The page of an invitation's state, with its status.
fn page(t: Translator, token: &str, invitation: Invitation) -> Response {
    let (status, state) = match invitation {
        Invitation::Open { question, expires_at, .. } => (
            StatusCode::OK,
            VouchPage::Open {
                question,
                expires: date_time_utc(t, expires_at),
                answer: None,
                comment: String::new(),
                error: None,
            },
        ),
        Invitation::Answered => (StatusCode::GONE, VouchPage::Answered),
        Invitation::Closed => (StatusCode::GONE, VouchPage::Closed),
        Invitation::Unknown => (StatusCode::NOT_FOUND, VouchPage::Unknown),
    };
    respond(status, t, token, state)
}

fn respond(status: StatusCode, t: Translator, token: &str, state: VouchPage) -> Response {
    let mut response = html(status, render(t, &format!("/vouch/{token}"), state));
    // The page is reached by a link only its recipient has: never indexed, never cached.
    response.headers_mut().insert("x-robots-tag", HeaderValue::from_static("noindex, nofollow"));
    response
}

/// Refuses an address that used its allowance.
async fn throttled(state: &AppState, ip: ClientIp, t: Translator, token: &str) -> Result<Option<Response>, AppError> {
    Ok(match state.vouch_limiter.check(ip.0).await? {
        Ok(()) => None,
        Err(retry_after) => {
            let mut response = respond(StatusCode::TOO_MANY_REQUESTS, t, token, VouchPage::TooMany);
            if let Ok(value) = HeaderValue::from_str(&retry_after.to_string()) {
                response.headers_mut().insert("retry-after", value);
            }
            Some(response)
        }
    })
}

async fn open(
    State(state): State<AppState>,
    ip: ClientIp,
    Path(token): Path<String>,
    Query(lang): Query<Lang>,
) -> Result<Response, AppError> {
    let t = lang.translator();
    if let Some(refused) = throttled(&state, ip, t, &token).await? {
        return Ok(refused);
    }
    let invitation = state.vouching.invitation(&token).await?;
    Ok(page(t, &token, invitation))
}

async fn answer(
    State(state): State<AppState>,
    ip: ClientIp,
    Path(token): Path<String>,
    Query(lang): Query<Lang>,
    ValidForm(form): ValidForm<AnswerForm>,
) -> Result<Response, AppError> {
    let t = lang.translator();
    if let Some(refused) = throttled(&state, ip, t, &token).await? {
        return Ok(refused);
    }
    let checked = match form.switch_language {
        Some(_) => Err(None),
        None => vouch::answer(form.answer.as_deref(), form.comment.as_deref()).map_err(Some),
    };
    let (answer, comment) = match checked {
        Ok(checked) => checked,
        Err(problem) => {
            // The form comes back as it was sent, with the problem beside it (or in the
            // language asked for).
            return Ok(match state.vouching.invitation(&token).await? {
                Invitation::Open { question, expires_at, .. } => {
                    let error = problem.map(|p| t.t_num(p.message_id(), "max", COMMENT_MAX_CHARS));
                    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
                    let page = VouchPage::Open {
                        question,
                        expires: date_time_utc(t, expires_at),
                        answer: form.answer.as_deref().and_then(|a| a.parse().ok()),
                        comment: form.comment.unwrap_or_default(),
                        error,
                    };
                    respond(status, t, &token, page)
                }
                other => page(t, &token, other),
            });
        }
    };
    match state.vouching.answer(&token, answer, comment.as_deref()).await? {
        Ok(()) => Ok(respond(StatusCode::OK, t, &token, VouchPage::Thanks)),
        Err(invitation) => Ok(page(t, &token, invitation)),
    }
}
