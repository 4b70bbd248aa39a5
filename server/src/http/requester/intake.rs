//! `/request`: the intake form, and the one-time receipt after it.

use std::collections::HashMap;

use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum_extra::extract::CookieJar;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;
use shelter_frontend::pages::requester::news::NewsValues;
use shelter_frontend::pages::requester::{intake, received};
use shelter_shared::intake::IntakeRequest;

use super::{Lang, field_message, html};
use crate::cases::CaseError;
use crate::http::auth::{check_form_token, form_token};
use crate::http::extract::{ClientIp, MultiForm};
use crate::http::{AppError, AppState};
use crate::keys::random_bytes;

/// The intake routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/request", get(form).post(submit)).route("/request/received", get(receipt))
}

/// The form as posted: `needs` may repeat.
#[derive(Debug, Default, Deserialize)]
pub struct IntakeFormData {
    #[serde(default)]
    token: String,
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    country: String,
    #[serde(default)]
    narrative: String,
    #[serde(default)]
    urgency: Option<String>,
    #[serde(default)]
    when: Option<String>,
    #[serde(default)]
    place: Option<String>,
    #[serde(default)]
    at_risk: Option<String>,
    #[serde(default)]
    needs: Vec<String>,
    #[serde(default)]
    contact: Option<String>,
    #[serde(default)]
    contact_time: Option<String>,
    #[serde(default)]
    news_channel: Option<String>,
    #[serde(default)]
    news_address: Option<String>,
    /// The optional second passphrase (never echoed back).
    #[serde(default)]
    duress_passphrase: Option<String>,
    /// Set by a language button: show the form again in `?lang=`, with what was typed.
    #[serde(default)]
    switch_language: Option<String>,
}

impl IntakeFormData {
    fn request(&self, language: &str) -> IntakeRequest {
        IntakeRequest {
            narrative: self.narrative.clone(),
            country: self.country.clone(),
            language: Some(language.to_owned()),
            kind: self.kind.clone(),
            urgency: self.urgency.clone(),
            needs: Some(self.needs.clone()),
            contact: self.contact.clone(),
            contact_time: self.contact_time.clone(),
            when: self.when.clone(),
            place: self.place.clone(),
            at_risk: self.at_risk.clone(),
            news_channel: self.news_channel.clone(),
            news_address: self.news_address.clone(),
            // Parsed on its own: `passphrase::parse_duress`.
            duress_passphrase: None,
        }
    }

    fn values(&self) -> intake::IntakeValues {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        intake::IntakeValues {
            kind: text(&self.kind),
            when: text(&self.when),
            country: self.country.clone(),
            place: text(&self.place),
            urgency: text(&self.urgency),
            narrative: self.narrative.clone(),
            at_risk: text(&self.at_risk),
            needs: self.needs.clone(),
            contact: text(&self.contact),
            contact_time: text(&self.contact_time),
            news: NewsValues { channel: text(&self.news_channel), address: text(&self.news_address) },
        }
    }
}

fn new_token() -> String {
    URL_SAFE_NO_PAD.encode(random_bytes::<16>())
}

async fn form(State(state): State<AppState>, jar: CookieJar, Query(lang): Query<Lang>) -> Response {
    let t = lang.translator();
    let (jar, csrf) = form_token(&state, jar);
    let page = intake::render(intake::IntakeForm {
        t,
        token: new_token(),
        csrf,
        values: Default::default(),
        errors: HashMap::new(),
        form_error: None,
        news_channels: state.notify.news_channels(),
    });
    (jar, html(StatusCode::OK, page)).into_response()
}

async fn submit(
    State(state): State<AppState>,
    Query(lang): Query<Lang>,
    ip: ClientIp,
    jar: CookieJar,
    MultiForm(data): MultiForm<IntakeFormData>,
) -> Result<Response, AppError> {
    let t = lang.translator();
    let token_ok = check_form_token(&state, &jar, &data.csrf).is_ok();
    let (jar, csrf) = form_token(&state, jar);
    let rerender = |status: StatusCode, errors: HashMap<&'static str, String>, form_error: Option<String>| {
        // A fresh token only after a refusal that stored nothing; the same one otherwise.
        let token = if data.token.is_empty() { new_token() } else { data.token.clone() };
        let csrf = csrf.clone();
        let news_channels = state.notify.news_channels();
        let page = intake::IntakeForm { t, token, csrf, values: data.values(), errors, form_error, news_channels };
        (jar.clone(), html(status, intake::render(page))).into_response()
    };
    // A form not from Shelter's page (or whose cookie was lost) is shown again with what
    // was typed, to send once more: nothing is stored, nothing is lost.
    if !token_ok {
        return Ok(rerender(StatusCode::FORBIDDEN, HashMap::new(), Some(t.t("error-form-expired"))));
    }
    if data.switch_language.is_some() {
        return Ok(rerender(StatusCode::OK, HashMap::new(), None));
    }
    if state.intake_limiter.check(ip.0).await?.is_err() {
        return Ok(rerender(StatusCode::TOO_MANY_REQUESTS, HashMap::new(), Some(t.t("error-rate-limited"))));
    }
    let parsed = data.request(t.language.tag()).parse().and_then(|intake| {
        state.notify.check_news_choice(&intake.news).map(|()| intake).map_err(|e| vec![("news_address", e)])
    });
    let duress = shelter_shared::passphrase::parse_duress(data.duress_passphrase.as_deref().unwrap_or_default());
    let (parsed, duress) = match (parsed, duress) {
        (Ok(parsed), Ok(duress)) => (parsed, duress),
        (parsed, duress) => {
            let mut errors: HashMap<&'static str, String> = parsed
                .err()
                .unwrap_or_default()
                .into_iter()
                .map(|(field, error)| (field, field_message(t, error)))
                .collect();
            if let Err(refusal) = duress {
                errors.insert("duress_passphrase", t.t(refusal.message_id()));
            }
            return Ok(rerender(StatusCode::UNPROCESSABLE_ENTITY, errors, None));
        }
    };
    let lang_tag = t.language.tag();
    match state.cases.file_with_duress(parsed, Some(&data.token), duress).await {
        Ok(filed) => {
            let token = state.cases.create_receipt(filed.case_id, &filed.passphrase).await?;
            Ok(Redirect::to(&format!("/request/received?lang={lang_tag}&receipt={token}")).into_response())
        }
        Err(CaseError::Duplicate) => Ok(Redirect::to(&format!("/request/received?lang={lang_tag}")).into_response()),
        Err(error) => Err(AppError::Internal(error.into())),
    }
}

#[derive(Deserialize)]
struct ReceiptQuery {
    lang: Option<String>,
    receipt: Option<String>,
}

async fn receipt(State(state): State<AppState>, Query(query): Query<ReceiptQuery>) -> Result<Response, AppError> {
    let t = Lang { lang: query.lang }.translator();
    let receipt = match query.receipt.as_deref() {
        Some(token) => state.cases.take_receipt(token).await?,
        None => None,
    };
    let reply_within_hours = receipt.as_ref().map(|r| r.reply_within_hours);
    let credentials = receipt.map(|r| (r.reference, r.passphrase));
    Ok(html(StatusCode::OK, received::render(received::Received { t, credentials, reply_within_hours })))
}
