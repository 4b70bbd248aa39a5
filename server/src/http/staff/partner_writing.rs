//! The network writes to a referral's partner from the case page: a message that seems to
//! hold details the requester did not consent to share comes back, filled in, with the
//! warning and a "send anyway" button; nothing is sent until then.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use shelter_frontend::pages::staff::partner_warning::{PartnerWarning, render};
use uuid::Uuid;

use super::nav_for;
use crate::http::api::cases::staff;
use crate::http::{AppError, AppState};
use crate::identity::sessions::StaffSession;
use crate::referrals::disclosure::Sending;

/// The message form.
#[derive(Deserialize)]
pub struct NetworkMessageForm {
    /// The text.
    #[serde(default)]
    pub text: String,
    /// Present ("yes") once the writer confirmed past the warning.
    #[serde(default)]
    pub send_anyway: Option<String>,
}

/// Sends, or shows the warning; back to the case page once sent.
pub async fn send(
    state: &AppState,
    session: &StaffSession,
    case_id: Uuid,
    referral_id: Uuid,
    form: NetworkMessageForm,
) -> Result<Response, AppError> {
    let send_anyway = form.send_anyway.as_deref() == Some("yes");
    match state.cases.network_message(staff(session), referral_id, &form.text, send_anyway).await {
        Ok(Sending::Sent(_)) => super::cases::after(state, session, case_id, Ok(())).await,
        Ok(Sending::Held { findings, partner }) => {
            let html = render(PartnerWarning {
                nav: nav_for(session),
                action: format!("/staff/cases/{case_id}/referrals/{referral_id}/messages"),
                case_href: format!("/staff/cases/{case_id}"),
                partner,
                text: form.text,
                findings,
            });
            // Nothing happened yet: the form waits for a decision.
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(error) => super::cases::after(state, session, case_id, Err(error.into())).await,
    }
}
