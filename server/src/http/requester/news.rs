//! `POST /status/news`: the requester turns news on (with an address) or off.

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use serde::Deserialize;
use shelter_frontend::pages::requester::news::NewsValues;
use shelter_shared::intake::news_choice;

use super::portal::{StatusQuery, csrf_ok, ended, expired, render_case_with, requester_session};
use super::{field_message, html};
use crate::http::extract::ValidForm;
use crate::http::{AppError, AppState};

/// The news route.
pub fn router() -> Router<AppState> {
    Router::new().route("/status/news", post(news))
}

#[derive(Deserialize)]
struct NewsForm {
    #[serde(default)]
    csrf: String,
    news_channel: Option<String>,
    news_address: Option<String>,
}

async fn news(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<StatusQuery>,
    ValidForm(form): ValidForm<NewsForm>,
) -> Result<Response, AppError> {
    let t = query.translator();
    let Some(session) = requester_session(&state, &headers).await? else { return Ok(ended(t)) };
    if !csrf_ok(&session, &form.csrf) {
        return expired(&state, &session, t, StatusCode::FORBIDDEN).await;
    }
    let lang = t.language.tag();
    let choice = news_choice(&form.news_channel, &form.news_address)
        .and_then(|choice| state.notify.check_news_choice(&choice).map(|()| choice));
    match choice {
        // A calm session is answered as the requester would be, and nothing reaches the phone.
        Ok(choice) if session.calm.is_some() => {
            let on = choice.is_some();
            state.cases.calm_news(&session, on).await.map_err(|e| AppError::Internal(e.into()))?;
            let said = if on { "on" } else { "off" };
            Ok(Redirect::to(&format!("/status/case?lang={lang}&news={said}")).into_response())
        }
        Ok(Some((channel, address))) => {
            state
                .cases
                .news_on(&session, channel, &address, t.language)
                .await
                .map_err(|e| AppError::Internal(e.into()))?;
            Ok(Redirect::to(&format!("/status/case?lang={lang}&news=on")).into_response())
        }
        Ok(None) => {
            state.cases.news_off(&session).await.map_err(|e| AppError::Internal(e.into()))?;
            Ok(Redirect::to(&format!("/status/case?lang={lang}&news=off")).into_response())
        }
        Err(error) => {
            // The address stays typed beside its error, so nothing is lost.
            let values = NewsValues {
                channel: form.news_channel.unwrap_or_default(),
                address: form.news_address.unwrap_or_default(),
            };
            let page =
                render_case_with(&state, &session, t, None, None, Some((values, field_message(t, error)))).await?;
            Ok(html(StatusCode::UNPROCESSABLE_ENTITY, page))
        }
    }
}
