//! `/staff/retention` (administrators and supervisors), the legal-hold forms on a case
//! page, and the page of a purged case. The policy says which forms to draw.

use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use shelter_frontend::pages::staff::retention as page_mod;
use shelter_frontend::reader::Reader;
use shelter_shared::audit::AuditAction;
use shelter_shared::language::Language;
use uuid::Uuid;

use super::{nav_for, page};
use crate::audit::words::{action_label, value_word};
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
    let r = session.reader();
    let schedule = [
        i64::from(s.declined_days),
        i64::from(s.closed_months),
        i64::from(s.cooling_days),
        i64::from(s.accounts_years),
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
                outcome: d.case.outcome.map(|o| in_words(r, &o)).unwrap_or_else(|| "—".into()),
                since: d
                    .case
                    .closed_at
                    .or(d.case.deletion_requested_at)
                    .map(|t| r.time(t))
                    .unwrap_or_else(|| "—".into()),
            })
            .collect(),
        holds: overview
            .holds
            .into_iter()
            .map(|h| page_mod::HoldRow {
                href: href(h.case_id),
                reference: h.reference,
                placed_by: h.placed_by_name,
                since: r.time(h.placed_at),
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
    let r = session.reader();
    let mut conn = state.db.acquire().await?;
    let hold = crate::retention::hold::hold_of(&mut conn, view.id).await?;
    let held = match hold {
        Some((_, placed_by)) => {
            let name: Option<String> =
                sqlx::query_scalar!("select display_name from staff_user where staff_user_id = $1", placed_by)
                    .fetch_optional(&mut *conn)
                    .await?;
            Some(r.t_text("ret-case-held", "name", &name.unwrap_or_default()))
        }
        None => None,
    };
    let cooling = state.retention.schedule.cooling();
    Ok(page_mod::HoldSection {
        held,
        deletion: view.deletion_requested_at.map(|at| r.t_text("ret-case-deletion", "time", &r.time(at + cooling))),
        place_action: (hold.is_none() && policy::authorize(&session.roles, Action::PlaceLegalHold).is_ok())
            .then(|| format!("/staff/cases/{}/legal-hold", view.id)),
        lift_action: hold.and_then(|(_, placed_by)| lift_action(session, view.id, placed_by)),
        stepped_up: session.stepped_up(state.identity.clock.now()),
        reader: r,
    })
}

/// A recorded code (outcome, kind, severity, status) in words, or as recorded.
fn in_words(r: Reader, code: &str) -> String {
    value_word(r, code).unwrap_or_else(|| code.replace('_', " "))
}

/// The page of a purged case: its skeleton and its grants' financial record.
pub(super) async fn render_purged(
    state: &AppState,
    session: &StaffSession,
    view: CaseView,
    error: Option<String>,
) -> Result<String, AppError> {
    let r = session.reader();
    let grants = state.grants.case_grants(staff(session), view.id).await?;
    let language =
        view.language.parse::<Language>().map(|l| l.endonym().to_owned()).unwrap_or_else(|_| view.language.clone());
    let severity = view.severity.clone().or(view.severity_hint.clone()).map(|s| in_words(r, &s));
    let mut facts = vec![
        (r.t("ret-fact-kind"), in_words(r, &view.kind)),
        (r.t("ret-fact-country"), shelter_frontend::countries::name(r.tr(), &view.country)),
        (r.t("ret-fact-severity"), severity.unwrap_or_else(|| "—".into())),
        (r.t("ret-fact-language"), language),
        (r.t("ret-fact-filed"), r.time(view.created_at)),
    ];
    if let Some(outcome) = &view.outcome {
        facts.push((r.t("ret-col-outcome"), in_words(r, outcome)));
    }
    let html = page_mod::render_purged(page_mod::PurgedPage {
        nav: nav_for(session),
        reference: view.reference.clone(),
        // The day on the reader's clock, written as digits in every language.
        purged_on: view
            .purged_at
            .map(|t| (t + chrono::Duration::minutes(i64::from(r.utc_offset_minutes))).format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
        facts,
        grants: grants
            .into_iter()
            .map(|g| {
                let line = r.t_texts(
                    "ret-purged-grant",
                    &[
                        // The money pages' catalogue names categories; the code stays until then.
                        ("category", &g.category),
                        ("amount", &g.amount.to_string()),
                        ("fund", &g.fund_name),
                        ("status", &in_words(r, &g.status)),
                    ],
                );
                match g.disbursement {
                    Some(d) => {
                        let paid = r.t_texts(
                            "ret-purged-paid",
                            &[("method", &in_words(r, &d.method)), ("date", &d.paid_on.to_string())],
                        );
                        format!("{line} {paid}")
                    }
                    None => line,
                }
            })
            .collect(),
        timeline: view
            .timeline
            .iter()
            .map(|e| {
                let who = e.actor_name.clone().unwrap_or_else(|| in_words(r, &e.actor_kind));
                let what =
                    e.action.parse::<AuditAction>().map(|a| action_label(r, a)).unwrap_or_else(|_| e.action.clone());
                (r.time(e.occurred_at), who, what)
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
