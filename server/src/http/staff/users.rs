//! `/staff/users`: staff accounts for administrators; supervisors may list and unlock.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use shelter_frontend::pages::staff::users;
use shelter_shared::api::ErrorCode;
use shelter_shared::staff::{Email, Role};
use uuid::Uuid;

use super::{NoFields, form_error, nav_for, page};
use crate::http::allow::{Allowed, Browser, may};
use crate::http::extract::ValidForm;
use crate::http::posted::Posted;
use crate::http::{AppError, AppState};
use crate::identity::admin::Admin;
use crate::identity::sessions::StaffSession;
use crate::policy::{self, Action};

/// The staff account routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/users", get(list).post(create))
        .route("/staff/users/{user_id}/disable", post(disable))
        .route("/staff/users/{user_id}/unlock", post(unlock))
        .route("/staff/users/{user_id}/reset-2fa", post(reset_two_factor))
        .route("/staff/users/{user_id}/confirm", post(confirm))
        .route("/staff/users/{user_id}/partner", post(link_partner))
}

#[derive(Deserialize)]
struct Notice {
    notice: Option<String>,
}

/// One checkbox per role: plain forms send only the ticked ones.
#[derive(Deserialize)]
struct NewUserForm {
    email: String,
    name: String,
    #[serde(default)]
    handler: Option<String>,
    #[serde(default)]
    supervisor: Option<String>,
    #[serde(default)]
    finance: Option<String>,
    #[serde(default)]
    partner: Option<String>,
    #[serde(default)]
    admin: Option<String>,
    /// A partner account's organisation (empty: none yet).
    #[serde(default)]
    organisation: String,
}

impl NewUserForm {
    fn roles(&self) -> Vec<Role> {
        [
            (&self.handler, Role::Handler),
            (&self.supervisor, Role::Supervisor),
            (&self.finance, Role::Finance),
            (&self.partner, Role::Partner),
            (&self.admin, Role::Admin),
        ]
        .into_iter()
        .filter_map(|(ticked, role)| ticked.as_ref().map(|_| role))
        .collect()
    }
}

struct Extra {
    issued_code: Option<(String, String)>,
    notice: Option<String>,
    error: Option<String>,
}

async fn render(state: &AppState, session: &StaffSession, extra: Extra) -> Result<String, AppError> {
    let mut conn = state.db.acquire().await?;
    let rows = crate::identity::users::all(&mut conn).await?;
    let links = crate::identity::users::partner_links(&mut conn).await?;
    drop(conn);
    let admins: Vec<Uuid> =
        rows.iter().filter(|u| crate::identity::users::is_active_admin(u)).map(|u| u.staff_user_id).collect();
    let may_confirm = policy::authorize(&session.roles, Action::ConfirmStaff).is_ok();
    let can_manage = policy::authorize(&session.roles, Action::CreateStaff).is_ok();
    let organisations = if can_manage {
        state.partners.list(&Default::default()).await?.into_iter().map(|p| (p.id, p.name)).collect()
    } else {
        vec![]
    };
    Ok(users::render(users::UsersPage {
        nav: nav_for(session),
        csrf: session.csrf_token.clone(),
        users: rows
            .iter()
            .map(|u| {
                let link = links.iter().find(|(user, ..)| *user == u.staff_user_id);
                let is_partner = u.roles.iter().any(|r| r == "partner");
                users::UserLine {
                    id: u.staff_user_id.to_string(),
                    email: u.email.clone(),
                    name: u.display_name.clone(),
                    roles: u.roles.clone(),
                    status: u.status.clone(),
                    pending: u.pending_confirmation.then(|| u.pending_reason.clone().unwrap_or_default()),
                    can_confirm: u.pending_confirmation
                        && may_confirm
                        && u.pending_requested_by != Some(session.user_id)
                        && u.staff_user_id != session.user_id,
                    disable: (u.status != "disabled").then(|| {
                        crate::identity::admin::disable_check(&admins, Some(session.user_id), u).map_err(|refusal| {
                            match refusal {
                                policy::DisableRefusal::Yourself => users::NoDisable::Yourself,
                                policy::DisableRefusal::LastAdministrator => users::NoDisable::LastAdministrator,
                            }
                        })
                    }),
                    organisation: is_partner.then(|| link.map(|(_, _, name)| name.clone())),
                    organisation_id: link.map(|(_, id, _)| id.to_string()),
                }
            })
            .collect(),
        organisations,
        fresh: session.stepped_up(state.identity.clock.now()),
        can_manage,
        issued_code: extra.issued_code,
        notice: extra.notice,
        error: extra.error,
    }))
}

fn notice_text(session: &StaffSession, key: &str) -> Option<String> {
    let id = match key {
        "confirmed" => "adm-notice-confirmed",
        "disabled" => "adm-notice-disabled",
        "unlocked" => "adm-notice-unlocked",
        "linked" => "adm-notice-linked",
        _ => return None,
    };
    Some(session.reader().t(id))
}

async fn list(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Browser, may::ListStaff>,
    Query(query): Query<Notice>,
) -> Result<Response, AppError> {
    let notice = query.notice.as_deref().and_then(|key| notice_text(&session, key));
    Ok(page(render(&state, &session, Extra { issued_code: None, notice, error: None }).await?))
}

async fn create(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Browser, may::CreateStaff>,
    Posted(ValidForm(form)): Posted<ValidForm<NewUserForm>>,
) -> Result<Response, AppError> {
    let organisation = match form.organisation.trim() {
        "" => None,
        id => match id.parse::<Uuid>() {
            Ok(id) => Some(id),
            Err(_) => return refused(&state, &session, invalid_partner(&session)).await,
        },
    };
    let created = match Email::parse(&form.email) {
        Ok(email) => state
            .identity
            .add_user_for(&Admin::Staff(&session), &email, &form.name, &form.roles(), organisation)
            .await
            .map(|c| (email, c))
            .map_err(AppError::from),
        Err(error) => Err(AppError::invalid(ErrorCode::InvalidEmail, error.to_string())),
    };
    match created {
        Ok((email, created)) => {
            let extra =
                Extra { issued_code: Some((email.to_string(), created.enrolment_code)), notice: None, error: None };
            Ok(page(render(&state, &session, extra).await?))
        }
        Err(error) => {
            let extra = Extra { issued_code: None, notice: None, error: Some(error.public_message()) };
            let html = render(&state, &session, extra).await?;
            Ok(form_error(error, |_| html))
        }
    }
}

/// Disabling asks for a ticked "I understand" box: a stray click must not sign a colleague
/// out in the middle of an emergency.
#[derive(Deserialize)]
struct DisableForm {
    #[serde(default)]
    confirm: Option<String>,
}

async fn disable(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Browser, may::DisableStaff>,
    Path(user_id): Path<Uuid>,
    Posted(ValidForm(form)): Posted<ValidForm<DisableForm>>,
) -> Result<Response, AppError> {
    let result = if form.confirm.as_deref() == Some("yes") {
        state.identity.disable_user(&Admin::Staff(&session), user_id).await.map(|_| ()).map_err(AppError::from)
    } else {
        Err(AppError::invalid(ErrorCode::ConfirmationNeeded, session.reader().t("adm-error-confirm-disable")))
    };
    match result {
        Ok(()) => Ok(Redirect::to("/staff/users?notice=disabled").into_response()),
        Err(error) if error.status().is_client_error() && !matches!(error, AppError::NotFound) => {
            let extra = Extra { issued_code: None, notice: None, error: Some(error.public_message()) };
            let html = render(&state, &session, extra).await?;
            Ok(form_error(error, |_| html))
        }
        Err(error) => Err(error),
    }
}

async fn unlock(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Browser, may::UnlockStaff>,
    Path(user_id): Path<Uuid>,
    Posted(ValidForm(NoFields {})): Posted<ValidForm<NoFields>>,
) -> Result<Response, AppError> {
    state.identity.unlock_user(&Admin::Staff(&session), user_id).await?;
    Ok(Redirect::to("/staff/users?notice=unlocked").into_response())
}

async fn confirm(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Browser, may::ConfirmStaff>,
    Path(user_id): Path<Uuid>,
    Posted(ValidForm(NoFields {})): Posted<ValidForm<NoFields>>,
) -> Result<Response, AppError> {
    state.identity.confirm_user(&Admin::Staff(&session), user_id).await?;
    Ok(Redirect::to("/staff/users?notice=confirmed").into_response())
}

async fn reset_two_factor(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Browser, may::ResetStaffTwoFactor>,
    Path(user_id): Path<Uuid>,
    Posted(ValidForm(NoFields {})): Posted<ValidForm<NoFields>>,
) -> Result<Response, AppError> {
    let reset = state.identity.reset_two_factor(&Admin::Staff(&session), user_id).await?;
    let mut conn = state.db.acquire().await?;
    let email = crate::identity::users::by_id(&mut conn, user_id).await?.map(|u| u.email).unwrap_or_default();
    drop(conn);
    let extra = Extra { issued_code: Some((email, reset.enrolment_code)), notice: None, error: None };
    Ok(page(render(&state, &session, extra).await?))
}

/// The organisation a partner account belongs to.
#[derive(Deserialize)]
struct LinkForm {
    #[serde(default)]
    partner: String,
}

fn invalid_partner(session: &StaffSession) -> AppError {
    AppError::invalid(ErrorCode::InvalidPartner, session.reader().t("adm-error-choose-organisation"))
}

/// The accounts page again with `error` (a refusal the person can correct).
async fn refused(state: &AppState, session: &StaffSession, error: AppError) -> Result<Response, AppError> {
    let extra = Extra { issued_code: None, notice: None, error: Some(error.public_message()) };
    let html = render(state, session, extra).await?;
    Ok(form_error(error, |_| html))
}

async fn link_partner(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Browser, may::LinkPartnerAccount>,
    Path(user_id): Path<Uuid>,
    Posted(ValidForm(form)): Posted<ValidForm<LinkForm>>,
) -> Result<Response, AppError> {
    let Ok(partner) = form.partner.trim().parse::<Uuid>() else {
        return refused(&state, &session, invalid_partner(&session)).await;
    };
    match state.identity.link_partner(&Admin::Staff(&session), user_id, partner).await.map_err(AppError::from) {
        Ok(()) => Ok(Redirect::to("/staff/users?notice=linked").into_response()),
        Err(error) if error.status().is_client_error() && !matches!(error, AppError::NotFound) => {
            refused(&state, &session, error).await
        }
        Err(error) => Err(error),
    }
}
