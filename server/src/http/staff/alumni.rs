//! `/staff/alumni`: the registry's pages, and linking a case to a member from the case.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use shelter_frontend::pages::staff::alumni::{
    LinkPage, MemberPage, SearchPage, render_link, render_member, render_search,
};
use shelter_shared::alumni::{NewMemberRequest, StatusEntryRequest};
use shelter_shared::api::ErrorCode;
use uuid::Uuid;

use super::{NoFields, form_error, nav_for, page};
use crate::http::allow::{Allowed, Browser, may};
use crate::http::api::alumni::{SearchParams, csv_download};
use crate::http::api::cases::staff;
use crate::http::extract::ValidForm;
use crate::http::posted::Posted;
use crate::http::{AppError, AppState};
use crate::identity::sessions::StaffSession;
use crate::policy::{self, Action};

/// The registry's routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/alumni", get(search).post(add))
        .route("/staff/alumni/export", post(export))
        .route("/staff/alumni/{member_id}", get(member))
        .route("/staff/alumni/{member_id}/status", post(status))
        .route("/staff/cases/{case_id}/alumni", get(link_page).post(link))
        .route("/staff/cases/{case_id}/alumni/status", post(case_status))
}

fn typed(params: &SearchParams) -> [String; 3] {
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    [text(&params.name), text(&params.country), text(&params.cohort)]
}

fn asked(params: &SearchParams) -> bool {
    typed(params).iter().any(|v| !v.trim().is_empty())
}

/// Runs the search the page asked for: the results, or the problem to show.
async fn results(
    state: &AppState,
    conn: &mut sqlx::PgConnection,
    session: &StaffSession,
    params: &SearchParams,
) -> Result<(Option<Vec<shelter_shared::alumni::MemberSummary>>, Option<String>), AppError> {
    if !asked(params) {
        return Ok((None, None));
    }
    let found = async {
        let filter = params.filter()?;
        Ok::<_, AppError>(state.alumni.search(conn, staff(session), &filter).await?)
    }
    .await;
    match found {
        Ok(found) => Ok((Some(found), None)),
        Err(error) if error.status().is_client_error() => Ok((None, Some(error.public_message()))),
        Err(error) => Err(error),
    }
}

async fn search_html(
    state: &AppState,
    session: &StaffSession,
    params: &SearchParams,
    error: Option<String>,
) -> Result<String, AppError> {
    let mut conn = state.db.acquire().await?;
    let (found, problem) = results(state, &mut conn, session, params).await?;
    let can_export = policy::authorize(&session.roles, Action::ExportAlumni).is_ok();
    Ok(render_search(SearchPage {
        nav: nav_for(session),
        csrf: session.csrf_token.clone(),
        query: typed(params),
        results: found,
        can_manage: policy::authorize(&session.roles, Action::ManageAlumni).is_ok(),
        export: can_export.then(|| session.stepped_up(state.identity.clock.now())),
        error: error.or(problem),
    }))
}

async fn search(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Browser, may::ViewAlumni>,
    Query(params): Query<SearchParams>,
) -> Result<Response, AppError> {
    Ok(page(search_html(&state, &session, &params, None).await?))
}

#[derive(Deserialize)]
struct NewMemberForm {
    #[serde(default)]
    names: String,
    #[serde(default)]
    external_id: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    cohort_year: String,
    #[serde(default)]
    organisation: String,
    #[serde(default)]
    focus: String,
    #[serde(default)]
    languages: String,
    #[serde(default)]
    contact: String,
}

impl NewMemberForm {
    fn request(&self) -> Result<NewMemberRequest, AppError> {
        let some = |v: &str| Some(v.trim().to_owned()).filter(|v| !v.is_empty());
        Ok(NewMemberRequest {
            external_id: some(&self.external_id),
            names: self.names.lines().map(str::to_owned).collect(),
            country: self.country.clone(),
            cohort_year: self.cohort_year.trim().parse().map_err(|_| {
                AppError::invalid(ErrorCode::InvalidMember, "cohort_year: give the cohort's year, e.g. 2014")
            })?,
            organisation: some(&self.organisation),
            focus: some(&self.focus),
            languages: self.languages.split(',').map(str::to_owned).collect(),
            contact: some(&self.contact),
            status: None,
        })
    }
}

async fn add(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Browser, may::ManageAlumni>,
    Posted(ValidForm(form)): Posted<ValidForm<NewMemberForm>>,
) -> Result<Response, AppError> {
    let added = async { Ok::<_, AppError>(state.alumni.add(staff(&session), &form.request()?).await?) }.await;
    match added {
        Ok(id) => Ok(Redirect::to(&format!("/staff/alumni/{id}")).into_response()),
        Err(error) if error.status().is_client_error() => {
            let body = search_html(&state, &session, &SearchParams::default(), Some(error.public_message())).await?;
            Ok(form_error(error, |_| body))
        }
        Err(error) => Err(error),
    }
}

async fn export(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Browser, may::ExportAlumni>,
    Posted(ValidForm(NoFields {})): Posted<ValidForm<NoFields>>,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    Ok(csv_download(state.alumni.export(&mut conn, staff(&session)).await?))
}

async fn member_html(
    state: &AppState,
    session: &StaffSession,
    member_id: Uuid,
    error: Option<String>,
) -> Result<String, AppError> {
    let mut conn = state.db.acquire().await?;
    let view = state.alumni.view(&mut conn, staff(session), member_id).await?;
    Ok(render_member(MemberPage {
        nav: nav_for(session),
        csrf: session.csrf_token.clone(),
        summary: view.summary,
        details: view.details,
        can_manage: policy::authorize(&session.roles, Action::ManageAlumni).is_ok(),
        error,
    }))
}

async fn member(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Browser, may::ViewAlumni>,
    Path(member_id): Path<Uuid>,
) -> Result<Response, AppError> {
    Ok(page(member_html(&state, &session, member_id, None).await?))
}

#[derive(Deserialize)]
struct StatusForm {
    #[serde(default)]
    status: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    note: Option<String>,
}

impl StatusForm {
    fn request(&self) -> StatusEntryRequest {
        StatusEntryRequest {
            status: self.status.clone(),
            date: self.date.clone(),
            source: self.source.clone(),
            note: self.note.clone(),
        }
    }
}

async fn status(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Browser, may::ManageAlumni>,
    Path(member_id): Path<Uuid>,
    Posted(ValidForm(form)): Posted<ValidForm<StatusForm>>,
) -> Result<Response, AppError> {
    match state.alumni.record_status(staff(&session), member_id, &form.request()).await.map_err(AppError::from) {
        Ok(()) => Ok(Redirect::to(&format!("/staff/alumni/{member_id}")).into_response()),
        Err(error) if error.status().is_client_error() && !matches!(error, AppError::NotFound) => {
            let body = member_html(&state, &session, member_id, Some(error.public_message())).await?;
            Ok(form_error(error, |_| body))
        }
        Err(error) => Err(error),
    }
}

async fn link_html(
    state: &AppState,
    session: &StaffSession,
    case_id: Uuid,
    params: &SearchParams,
    error: Option<String>,
) -> Result<String, AppError> {
    // Only those who see the case in full reach this page (the case service asks the policy).
    let mut conn = state.db.acquire().await?;
    state.cases.case_member(&mut conn, staff(session), case_id).await?;
    let reference: String =
        sqlx::query_scalar!("select reference from cases where case_id = $1", case_id).fetch_one(&mut *conn).await?;
    let (found, problem) = results(state, &mut conn, session, params).await?;
    Ok(render_link(LinkPage {
        nav: nav_for(session),
        csrf: session.csrf_token.clone(),
        case_id: case_id.to_string(),
        reference,
        query: typed(params),
        results: found,
        error: error.or(problem),
    }))
}

async fn link_page(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Browser, may::LinkMember>,
    Path(case_id): Path<Uuid>,
    Query(params): Query<SearchParams>,
) -> Result<Response, AppError> {
    Ok(page(link_html(&state, &session, case_id, &params, None).await?))
}

#[derive(Deserialize)]
struct LinkForm {
    #[serde(default)]
    member_id: String,
    #[serde(default)]
    rationale: String,
}

async fn link(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Browser, may::LinkMember>,
    Path(case_id): Path<Uuid>,
    Posted(ValidForm(form)): Posted<ValidForm<LinkForm>>,
) -> Result<Response, AppError> {
    let linked = async {
        let member_id: Uuid = form
            .member_id
            .parse()
            .map_err(|_| AppError::invalid(ErrorCode::InvalidMember, "Choose a member from the list."))?;
        Ok::<_, AppError>(state.cases.link_member(staff(&session), case_id, member_id, &form.rationale).await?)
    }
    .await;
    match linked {
        Ok(()) => Ok(Redirect::to(&format!("/staff/cases/{case_id}")).into_response()),
        Err(error)
            if error.status().is_client_error() && !matches!(error, AppError::NotFound | AppError::Forbidden(_)) =>
        {
            let body =
                link_html(&state, &session, case_id, &SearchParams::default(), Some(error.public_message())).await?;
            Ok(form_error(error, |_| body))
        }
        Err(error) => Err(error),
    }
}

async fn case_status(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Browser, may::LinkAlumni>,
    Path(case_id): Path<Uuid>,
    Posted(ValidForm(form)): Posted<ValidForm<StatusForm>>,
) -> Result<Response, AppError> {
    let result = state.cases.member_status(staff(&session), case_id, &form.request()).await.map_err(AppError::from);
    super::cases::after(&state, &session, case_id, result).await
}
