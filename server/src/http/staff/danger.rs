//! `/staff/cases/{id}/danger/*`: the requester's safety on the case page: custody mode, the
//! duress alert, check-ins (plain forms; the services and the policy decide).

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::post;
use serde::Deserialize;
use shelter_frontend::pages::staff::danger::{CheckIn, DangerSection, Miss, Schedule};
use shelter_shared::api::ErrorCode;
use uuid::Uuid;

use crate::cases::check_ins::NewSchedule;
use crate::cases::view::CaseView;
use crate::http::allow::{Allowed, Browser, may};
use crate::http::api::cases::staff;
use crate::http::extract::{PagePath, ValidForm};
use crate::http::posted::Posted;
use crate::http::{AppError, AppState};
use crate::identity::sessions::StaffSession;
use crate::policy::{self, Action};

/// The routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/staff/cases/{case_id}/danger/{action}", post(act))
}

/// The section of `view`'s page for `session`.
pub async fn section(state: &AppState, session: &StaffSession, view: &CaseView) -> Result<DangerSection, AppError> {
    let danger = state.cases.danger(staff(session), view.id).await?;
    let roles = &session.roles;
    let may = |action| policy::authorize(roles, action).is_ok();
    Ok(DangerSection {
        case_id: view.id.to_string(),
        duress: danger.duress_alert_at,
        duress_passphrase_set: danger.duress_passphrase_set,
        custody: danger.custody_since.map(|at| (at, danger.custody_set_by.clone().unwrap_or_default())),
        can_set_custody: may(Action::SetCustody),
        can_lift_custody: danger.may_lift_custody,
        can_watch: may(Action::WatchRequester),
        open: view.status != shelter_shared::case::CaseState::Closed,
        schedule: danger.schedule.map(|s| Schedule {
            every_hours: s.every_minutes / 60,
            grace_hours: s.grace_minutes / 60,
            until: s.until,
            next_due: s.next_due_at,
            safe_word: s.safe_word,
        }),
        check_ins: danger
            .check_ins
            .iter()
            .map(|c| CheckIn { at: c.at, standing: c.standing.clone(), via: c.via.clone(), duress: c.duress })
            .collect(),
        misses: danger
            .misses
            .iter()
            .map(|m| Miss {
                due: m.due_at,
                detected: m.detected_at,
                supervisors_told: m.supervisors_told_at,
                answered: m.answered_at,
            })
            .collect(),
    })
}

#[derive(Deserialize)]
struct DangerForm {
    #[serde(default)]
    rationale: String,
    #[serde(default)]
    every_hours: Option<String>,
    #[serde(default)]
    grace_hours: Option<String>,
    #[serde(default)]
    until: Option<String>,
    #[serde(default)]
    safe_word: Option<String>,
}

/// The last part of `/staff/cases/{id}/danger/{action}`.
#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "kebab-case")]
enum DangerAction {
    Custody,
    LiftCustody,
    ClearDuress,
    EndCheckIns,
    CheckIns,
}

async fn act(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Browser, may::WorkCases>,
    PagePath((case_id, action)): PagePath<(Uuid, DangerAction)>,
    Posted(ValidForm(form)): Posted<ValidForm<DangerForm>>,
) -> Result<Response, AppError> {
    let who = staff(&session);
    let result = match action {
        DangerAction::Custody => state.cases.set_custody(who, case_id, &form.rationale).await.map(|_| ()),
        DangerAction::LiftCustody => state.cases.lift_custody(who, case_id, &form.rationale).await,
        DangerAction::ClearDuress => state.cases.clear_duress(who, case_id, &form.rationale).await,
        DangerAction::EndCheckIns => state.cases.end_check_ins(who, case_id).await,
        DangerAction::CheckIns => {
            let number = |v: &Option<String>| v.as_deref().unwrap_or_default().trim().parse::<i64>().unwrap_or(-1);
            let now = state.identity.clock.now();
            match NewSchedule::parse(
                number(&form.every_hours),
                number(&form.grace_hours),
                form.until.as_deref().unwrap_or_default(),
                form.safe_word.as_deref(),
                now,
            ) {
                Ok(new) => state.cases.schedule_check_ins(who, case_id, new).await.map(|_| ()),
                Err(message) => Err(crate::cases::triage::WorkError::invalid(ErrorCode::InvalidSchedule, message)),
            }
        }
    };
    super::cases::after(&state, &session, case_id, result.map_err(AppError::from)).await
}
