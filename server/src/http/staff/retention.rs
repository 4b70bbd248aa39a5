//! `/staff/retention` (administrators and supervisors), the legal-hold forms on a case
//! page, and the page of a purged case. The policy says which forms to draw.

use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use shelter_frontend::dates::staff_time;
use shelter_frontend::pages::staff::retention as page_mod;
use uuid::Uuid;

use super::{nav_for, page};
use crate::cases::view::CaseView;
use crate::http::allow::{Allowed, Browser, may};
use crate::http::api::cases::staff;
use crate::http::extract::ValidForm;
use crate::http::posted::Posted;
use crate::http::{AppError, AppState};
use crate::identity::sessions::StaffSession;
use crate::policy::{self, Action};

/// The retention routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/retention", get(show))
        .route("/staff/cases/{case_id}/legal-hold", post(place))
        .route("/staff/cases/{case_id}/legal-hold/lift", post(lift))
}

fn lift_action(session: &StaffSession, case_id: Uuid, placed_by: Uuid) -> Option<String> {
    policy::may_lift_hold(&session.roles, session.user_id, placed_by)
        .ok()
        .map(|()| format!("/staff/cases/{case_id}/legal-hold/lift"))
}

async fn show(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Browser, may::ViewRetention>,
) -> Result<Response, AppError> {
    let overview = state.retention.overview(session.user_id).await?;
    // Administrators see the schedule, not cases: no links they could not follow.
    let works_cases = policy::authorize(&session.roles, Action::WorkCases).is_ok();
    let href = |case_id: Uuid| works_cases.then(|| format!("/staff/cases/{case_id}"));
    let s = overview.schedule;
    let schedule = vec![
        ("Declined, duplicate or withdrawn".to_owned(), format!("{} days after closing", s.declined_days)),
        ("Resolved, referred out or unreachable".to_owned(), format!("{} months after closing", s.closed_months)),
        (
            "At the requester's request".to_owned(),
            format!("{} days after they ask (they may cancel meanwhile)", s.cooling_days),
        ),
        (
            "Payments of purged cases".to_owned(),
            format!(
                "amounts, category, fund and method kept; the payment reference erased {} years after payment",
                s.accounts_years
            ),
        ),
    ];
    let html = page_mod::render(page_mod::RetentionPage {
        nav: nav_for(&session),
        csrf: session.csrf_token.clone(),
        schedule,
        purge_log: overview.purge_log,
        due_total: overview.due_total,
        due: overview
            .due
            .into_iter()
            .map(|d| page_mod::DueRow {
                href: href(d.case.case_id),
                reference: d.case.reference,
                reason: d.reason.as_str().to_owned(),
                outcome: d.case.outcome.unwrap_or_else(|| "—".into()),
                since: d.case.closed_at.or(d.case.deletion_requested_at).map(staff_time).unwrap_or_else(|| "—".into()),
            })
            .collect(),
        holds: overview
            .holds
            .into_iter()
            .map(|h| page_mod::HoldRow {
                href: href(h.case_id),
                reference: h.reference,
                placed: format!("by {} since {}", h.placed_by_name, staff_time(h.placed_at)),
                lift_action: lift_action(&session, h.case_id, h.placed_by),
            })
            .collect(),
        stepped_up: session.stepped_up(state.identity.clock.now()),
    });
    Ok(page(html))
}

/// The legal-hold section of a (not purged) case page.
pub(super) async fn hold_section(
    state: &AppState,
    session: &StaffSession,
    view: &CaseView,
) -> Result<page_mod::HoldSection, AppError> {
    let mut conn = state.db.acquire().await?;
    let hold = crate::retention::hold::hold_of(&mut conn, view.id).await?;
    let held = match hold {
        Some((_, placed_by)) => {
            let name: Option<String> =
                sqlx::query_scalar!("select display_name from staff_user where staff_user_id = $1", placed_by)
                    .fetch_optional(&mut *conn)
                    .await?;
            Some(format!("Under a legal hold placed by {}: it is not purged.", name.unwrap_or_default()))
        }
        None => None,
    };
    let cooling = state.retention.schedule.cooling();
    Ok(page_mod::HoldSection {
        held,
        deletion: view.deletion_requested_at.map(|at| {
            format!("The requester asked for deletion: purged after {} unless they cancel.", staff_time(at + cooling))
        }),
        place_action: (hold.is_none() && policy::authorize(&session.roles, Action::PlaceLegalHold).is_ok())
            .then(|| format!("/staff/cases/{}/legal-hold", view.id)),
        lift_action: hold.and_then(|(_, placed_by)| lift_action(session, view.id, placed_by)),
        stepped_up: session.stepped_up(state.identity.clock.now()),
    })
}

/// The page of a purged case: its skeleton and its grants' financial record.
pub(super) async fn render_purged(
    state: &AppState,
    session: &StaffSession,
    view: CaseView,
    error: Option<String>,
) -> Result<String, AppError> {
    let grants = state.grants.case_grants(staff(session), view.id).await?;
    let mut facts = vec![
        ("Kind".to_owned(), view.kind.clone()),
        ("Country".to_owned(), view.country.clone()),
        ("Severity".to_owned(), view.severity.clone().or(view.severity_hint.clone()).unwrap_or_else(|| "—".into())),
        ("Language".to_owned(), view.language.clone()),
        ("Filed".to_owned(), staff_time(view.created_at)),
    ];
    if let Some(outcome) = &view.outcome {
        facts.push(("Outcome".to_owned(), outcome.clone()));
    }
    let html = page_mod::render_purged(page_mod::PurgedPage {
        nav: nav_for(session),
        reference: view.reference.clone(),
        purged_on: view.purged_at.map(|t| t.format("%Y-%m-%d").to_string()).unwrap_or_default(),
        facts,
        grants: grants
            .into_iter()
            .map(|g| {
                let paid =
                    g.disbursement.map(|d| format!(", paid by {} on {}", d.method, d.paid_on)).unwrap_or_default();
                format!("{}: {} from {} — {}{paid}", g.category, g.amount, g.fund_name, g.status)
            })
            .collect(),
        timeline: view
            .timeline
            .iter()
            .map(|e| {
                let who = e.actor_name.clone().unwrap_or_else(|| e.actor_kind.clone());
                (staff_time(e.occurred_at), who, e.action.clone())
            })
            .collect(),
        error,
    });
    Ok(html)
}

#[derive(Deserialize)]
struct HoldForm {
    #[serde(default)]
    rationale: String,
}

async fn place(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Browser, may::PlaceLegalHold>,
    Path(case_id): Path<Uuid>,
    Posted(ValidForm(form)): Posted<ValidForm<HoldForm>>,
) -> Result<Response, AppError> {
    let result = state.cases.place_legal_hold(staff(&session), case_id, &form.rationale).await;
    super::cases::after(&state, &session, case_id, result.map(|_| ()).map_err(AppError::from)).await
}

async fn lift(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Browser, may::LiftLegalHold>,
    Path(case_id): Path<Uuid>,
    Posted(ValidForm(form)): Posted<ValidForm<HoldForm>>,
) -> Result<Response, AppError> {
    let result = state.cases.lift_legal_hold(staff(&session), case_id, &form.rationale).await;
    super::cases::after(&state, &session, case_id, result.map_err(AppError::from)).await
}
