//! `/staff` sign-in chain: password, then TOTP or a recovery code; and sign-out.

use axum::Router;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;
use secrecy::SecretString;
use serde::Deserialize;
use shelter_frontend::pages::staff::{home, sign_in};
use shelter_frontend::reader::Reader;

use super::{CodeForm, LangQuery, NoFields, form_error, page, staff_error};
use crate::http::api::auth::limit;
use crate::http::api::cases::QueueParams;
use crate::http::auth::{
    BrowserStaff, CookieName, authorize, browser_session, check_form_token, cookie, form_token, removal,
};
use crate::http::extract::{ClientIp, ValidForm};
use crate::http::posted::Posted;
use crate::http::{AppError, AppState};
use crate::identity::sign_in::SecondFactor;
use crate::policy::Action;
use shelter_frontend::pages::staff::with_lang;

/// The sign-in routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff", get(staff_home))
        .route("/staff/sign-in", post(password_step))
        .route("/staff/sign-in/totp", get(totp_page).post(totp_step))
        .route("/staff/sign-in/recovery", get(recovery_page).post(recovery_step))
        .route("/staff/sign-out", post(sign_out))
}

#[derive(Deserialize)]
struct PasswordForm {
    #[serde(default)]
    csrf: String,
    email: String,
    password: String,
}

async fn first_run(state: &AppState) -> Result<bool, AppError> {
    let mut conn = state.db.acquire().await?;
    Ok(!crate::identity::users::any_exist(&mut conn).await?)
}

async fn staff_home(
    State(state): State<AppState>,
    headers: HeaderMap,
    jar: CookieJar,
    Query(params): Query<QueueParams>,
    Query(lang): Query<LangQuery>,
) -> Result<Response, AppError> {
    if let Some(session) = browser_session(&state, &headers).await? {
        authorize(&state, &session, Action::ViewStaffHome).await?;
        if crate::policy::authorize(&session.roles, Action::WorkCases).is_ok() {
            return super::cases::queue_home(&state, &session, &params).await;
        }
        if crate::policy::authorize(&session.roles, Action::AnswerReferrals).is_ok() {
            return super::referrals::partner_home(&state, &session).await;
        }
        let roles = session.roles.iter().map(|r| r.as_str().to_owned()).collect();
        return Ok(page(home::render(home::StaffHome {
            nav: super::home_nav(&state, &session).await?,
            roles,
            waiting: super::homes::waiting(&state, &session).await?,
            admin: super::homes::admin_section(&state, &session).await?,
        })));
    }
    let (jar, token) = form_token(&state, jar);
    let first_run = first_run(&state).await?;
    let html = sign_in::render(sign_in::SignIn {
        reader: lang.reader(),
        form_token: &token,
        error: None,
        email: "",
        first_run,
    });
    Ok((jar, page(html)).into_response())
}

async fn password_step(
    State(state): State<AppState>,
    ip: ClientIp,
    jar: CookieJar,
    Query(lang): Query<LangQuery>,
    ValidForm(form): ValidForm<PasswordForm>,
) -> Result<Response, AppError> {
    let r = lang.reader();
    check_form_token(&state, &jar, &form.csrf)?;
    let outcome = match limit(&state, ip).await {
        Ok(()) => {
            state.identity.check_password(&form.email, &SecretString::from(form.password)).await.map_err(AppError::from)
        }
        Err(error) => Err(error),
    };
    match outcome {
        Ok(user_id) => {
            let challenge = state.identity.start_challenge(user_id).await?;
            let jar = jar.add(cookie(&state, CookieName::Challenge, challenge));
            Ok((jar, Redirect::to(&with_lang(r, "/staff/sign-in/totp"))).into_response())
        }
        Err(error) => {
            let message = staff_error(r, &error);
            Ok(form_error(error, |_| {
                sign_in::render(sign_in::SignIn {
                    reader: r,
                    form_token: &form.csrf,
                    error: Some(&message),
                    email: &form.email,
                    first_run: false,
                })
            }))
        }
    }
}

async fn challenge_page(state: &AppState, jar: CookieJar, r: Reader, recovery: bool) -> Result<Response, AppError> {
    let challenge = jar.get(CookieName::Challenge.get(state)).map(|c| c.value().to_owned()).unwrap_or_default();
    if state.identity.challenge_user(&challenge).await?.is_none() {
        return Ok(Redirect::to(&with_lang(r, "/staff")).into_response());
    }
    let (jar, token) = form_token(state, jar);
    let html =
        sign_in::render_second_factor(sign_in::SecondFactor { reader: r, form_token: &token, error: None, recovery });
    Ok((jar, page(html)).into_response())
}

async fn totp_page(
    State(state): State<AppState>,
    jar: CookieJar,
    Query(lang): Query<LangQuery>,
) -> Result<Response, AppError> {
    challenge_page(&state, jar, lang.reader(), false).await
}

async fn recovery_page(
    State(state): State<AppState>,
    jar: CookieJar,
    Query(lang): Query<LangQuery>,
) -> Result<Response, AppError> {
    challenge_page(&state, jar, lang.reader(), true).await
}

async fn second_step(
    state: &AppState,
    ip: ClientIp,
    jar: CookieJar,
    form: CodeForm,
    r: Reader,
    recovery: bool,
) -> Result<Response, AppError> {
    check_form_token(state, &jar, &form.csrf)?;
    let challenge = jar.get(CookieName::Challenge.get(state)).map(|c| c.value().to_owned()).unwrap_or_default();
    if state.identity.challenge_user(&challenge).await?.is_none() {
        return Ok(Redirect::to(&with_lang(r, "/staff")).into_response());
    }
    let factor = if recovery { SecondFactor::Recovery(&form.code) } else { SecondFactor::Totp(&form.code) };
    let outcome = match limit(state, ip).await {
        Ok(()) => state.identity.complete_challenge(&challenge, factor).await.map_err(AppError::from),
        Err(error) => Err(error),
    };
    match outcome {
        Ok(session) => {
            let jar = jar.remove(removal(state, CookieName::Challenge)).add(cookie(
                state,
                CookieName::Session,
                session.token,
            ));
            Ok((jar, Redirect::to("/staff")).into_response())
        }
        Err(error) => {
            let message = staff_error(r, &error);
            Ok(form_error(error, |_| {
                sign_in::render_second_factor(sign_in::SecondFactor {
                    reader: r,
                    form_token: &form.csrf,
                    error: Some(&message),
                    recovery,
                })
            }))
        }
    }
}

async fn totp_step(
    State(state): State<AppState>,
    ip: ClientIp,
    jar: CookieJar,
    Query(lang): Query<LangQuery>,
    ValidForm(form): ValidForm<CodeForm>,
) -> Result<Response, AppError> {
    second_step(&state, ip, jar, form, lang.reader(), false).await
}

async fn recovery_step(
    State(state): State<AppState>,
    ip: ClientIp,
    jar: CookieJar,
    Query(lang): Query<LangQuery>,
    ValidForm(form): ValidForm<CodeForm>,
) -> Result<Response, AppError> {
    second_step(&state, ip, jar, form, lang.reader(), true).await
}

async fn sign_out(
    State(state): State<AppState>,
    BrowserStaff(session): BrowserStaff,
    jar: CookieJar,
    Posted(ValidForm(NoFields {})): Posted<ValidForm<NoFields>>,
) -> Result<Response, AppError> {
    state.identity.sign_out(&session).await?;
    Ok((jar.remove(removal(&state, CookieName::Session)), Redirect::to("/staff")).into_response())
}
