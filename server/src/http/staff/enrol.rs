//! `/staff/enrol`: the one-time code and a password, the authenticator app, recovery codes.

use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;
use secrecy::SecretString;
use serde::Deserialize;
use shelter_frontend::pages::staff::enrol;

use super::{LangQuery, form_error, page, staff_error};
use crate::http::api::auth::limit;
use crate::http::auth::{check_form_token, form_token};
use crate::http::extract::{ClientIp, ValidForm};
use crate::http::{AppError, AppState};
use crate::identity::enrolment::TotpSetup;
use crate::identity::totp;
use axum::extract::Query;
use shelter_frontend::reader::Reader;

/// The enrolment routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/staff/enrol", get(start_page).post(start)).route("/staff/enrol/confirm", post(confirm))
}

#[derive(Deserialize)]
struct StartForm {
    #[serde(default)]
    csrf: String,
    code: String,
    password: String,
}

#[derive(Deserialize)]
struct ConfirmForm {
    #[serde(default)]
    csrf: String,
    code: String,
    totp: String,
}

async fn start_page(State(state): State<AppState>, jar: CookieJar, Query(lang): Query<LangQuery>) -> Response {
    let (jar, token) = form_token(&state, jar);
    let start = enrol::EnrolStart { reader: lang.reader(), form_token: &token, error: None, code: "" };
    (jar, page(enrol::render_start(start))).into_response()
}

fn totp_page(r: Reader, form_token: &str, code: &str, setup: &TotpSetup, error: Option<&str>) -> String {
    let svg = totp::qr_svg(&setup.otpauth_uri).unwrap_or_default();
    enrol::render_totp(enrol::EnrolTotp {
        reader: r,
        form_token,
        code,
        qr_svg: &svg,
        secret: &setup.secret_base32,
        email: &setup.email,
        error,
    })
}

async fn start(
    State(state): State<AppState>,
    ip: ClientIp,
    jar: CookieJar,
    Query(lang): Query<LangQuery>,
    ValidForm(form): ValidForm<StartForm>,
) -> Result<Response, AppError> {
    let r = lang.reader();
    check_form_token(&state, &jar, &form.csrf)?;
    let outcome = match limit(&state, ip).await {
        Ok(()) => {
            state.identity.begin_enrolment(&form.code, &SecretString::from(form.password)).await.map_err(AppError::from)
        }
        Err(error) => Err(error),
    };
    match outcome {
        Ok(setup) => Ok(page(totp_page(r, &form.csrf, &form.code, &setup, None))),
        Err(error) => {
            let message = staff_error(r, &error);
            Ok(form_error(error, |_| {
                enrol::render_start(enrol::EnrolStart {
                    reader: r,
                    form_token: &form.csrf,
                    error: Some(&message),
                    code: &form.code,
                })
            }))
        }
    }
}

async fn confirm(
    State(state): State<AppState>,
    ip: ClientIp,
    jar: CookieJar,
    Query(lang): Query<LangQuery>,
    ValidForm(form): ValidForm<ConfirmForm>,
) -> Result<Response, AppError> {
    let r = lang.reader();
    check_form_token(&state, &jar, &form.csrf)?;
    let outcome = match limit(&state, ip).await {
        Ok(()) => state.identity.confirm_enrolment(&form.code, &form.totp).await.map_err(AppError::from),
        Err(error) => Err(error),
    };
    match outcome {
        Ok(codes) => Ok(page(enrol::render_recovery_codes(enrol::RecoveryCodes {
            reader: r,
            codes: &codes,
            next_href: &shelter_frontend::pages::staff::with_lang(r, "/staff"),
            next_label: &r.t("enrol-sign-in"),
        }))),
        Err(error) => {
            let setup = state.identity.enrolment_setup(&form.code).await;
            let message = staff_error(r, &error);
            Ok(form_error(error, |_| match &setup {
                Ok(setup) => totp_page(r, &form.csrf, &form.code, setup, Some(&message)),
                Err(_) => enrol::render_start(enrol::EnrolStart {
                    reader: r,
                    form_token: &form.csrf,
                    error: Some(&message),
                    code: "",
                }),
            }))
        }
    }
}
