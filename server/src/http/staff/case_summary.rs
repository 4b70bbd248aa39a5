//! `GET /staff/cases/{id}/summary`: the printable, redacted case summary. The case service
//! decides the scope (`policy::summary_scope`); each scope reads only through the service
//! that already guards it (the case view, the finance grant view, the partner's packets),
//! so nothing outside the scope is even loaded. The read is audited with its scope.

use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use shelter_frontend::pages::staff::case_summary::{
    self as summary_page, DecisionRow, Facts, GrantRow, PacketRow, ReferralRow, Scope, SummaryPage, TaskRow,
};
use shelter_frontend::pages::staff::case_timeline;
use shelter_shared::language::Language;
use uuid::Uuid;

use super::page;
use crate::grants::view::GrantView;
use crate::http::allow::{Allowed, Browser, may};
use crate::http::api::cases::staff;
use crate::http::{AppError, AppState};
use crate::identity::sessions::StaffSession;
use crate::policy::SummaryScope;

/// The summary route.
pub fn router() -> Router<AppState> {
    Router::new().route("/staff/cases/{case_id}/summary", get(show))
}

fn grant_rows(grants: Vec<GrantView>) -> Vec<GrantRow> {
    grants
        .into_iter()
        .map(|g| GrantRow {
            category: g.category,
            amount: g.amount,
            state: g.status,
            decisions: g
                .decisions
                .into_iter()
                .map(|d| DecisionRow {
                    name: d.name,
                    approved: d.decision == "approve",
                    at: d.decided_at,
                    rationale: d.rationale,
                })
                .collect(),
            paid_on: g.disbursement.map(|d| d.paid_on.to_string()),
        })
        .collect()
}

fn blank(session: &StaffSession, case_id: Uuid, scope: Scope, now: chrono::DateTime<chrono::Utc>) -> SummaryPage {
    SummaryPage {
        reader: session.reader(),
        reader_name: session.display_name.clone(),
        printed_at: now,
        case_id: case_id.to_string(),
        scope,
        facts: None,
        fields: vec![],
        tasks: vec![],
        timeline: vec![],
        referrals: vec![],
        grants: vec![],
        packets: vec![],
    }
}

/// The whole case, for its handler or a supervisor.
async fn full(state: &AppState, session: &StaffSession, case_id: Uuid) -> Result<SummaryPage, AppError> {
    let view = state.cases.view(staff(session), case_id).await?;
    let holder = match view.assignee {
        Some(id) => {
            sqlx::query_scalar!("select display_name from staff_user where staff_user_id = $1", id)
                .fetch_optional(&state.db)
                .await?
        }
        None => None,
    };
    let reader = session.reader();
    let events = super::case_story::happened(&mut *state.db.acquire().await?, &view, true).await?;
    let referrals = state.cases.case_referrals(staff(session), case_id).await?;
    let grants = state.grants.case_grants(staff(session), case_id).await?;
    let language =
        view.language.parse::<Language>().map(|l| l.endonym().to_owned()).unwrap_or_else(|_| view.language.clone());
    Ok(SummaryPage {
        facts: Some(Facts {
            reference: view.reference.clone(),
            state: view.status.to_string(),
            severity: view.severity.clone(),
            kind: view.kind.clone(),
            country: view.country.clone(),
            language,
            filed: view.created_at,
            holder,
            outcome: view.outcome.clone(),
        }),
        fields: view.fields.iter().map(|f| (f.name.clone(), f.value.clone())).collect(),
        tasks: view
            .tasks
            .iter()
            .map(|t| TaskRow {
                title: t.title.clone(),
                role: t.role.clone(),
                due_at: t.due_at,
                done: t.done_at.map(|at| (t.done_by_name.clone().unwrap_or_default(), at)),
            })
            .collect(),
        timeline: case_timeline::lines(reader, &events),
        referrals: referrals
            .into_iter()
            .map(|r| ReferralRow { partner: r.partner_name, state: r.status.to_string(), purpose: r.purpose })
            .collect(),
        grants: grant_rows(grants),
        ..blank(session, case_id, Scope::Full, state.cases.clock.now())
    })
}

async fn show(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Browser, may::ViewStaffHome>,
    Path(case_id): Path<Uuid>,
) -> Result<Response, AppError> {
    let scope = state.cases.summary_scope(staff(&session), case_id).await?;
    let now = state.cases.clock.now();
    let (summary, referrals) = match scope {
        SummaryScope::Full => (full(&state, &session, case_id).await?, vec![]),
        SummaryScope::Finance => {
            let grants = state.grants.case_grants_for_finance(staff(&session), case_id).await?;
            (SummaryPage { grants: grant_rows(grants), ..blank(&session, case_id, Scope::Finance, now) }, vec![])
        }
        SummaryScope::Partner => {
            let mut conn = state.db.acquire().await?;
            let views = state.cases.partner_case_packets(&mut conn, session.user_id, case_id).await?;
            drop(conn);
            let ids: Vec<Uuid> = views.iter().map(|v| v.id).collect();
            let packets = views
                .into_iter()
                .map(|v| PacketRow {
                    state: v.status.to_string(),
                    // Only the fields the requester consented to, in the order they were chosen.
                    fields: v
                        .fields
                        .iter()
                        .filter_map(|f| v.packet.get(f).and_then(|t| t.as_str()).map(|t| (f.clone(), t.to_owned())))
                        .collect(),
                })
                .collect();
            (SummaryPage { packets, ..blank(&session, case_id, Scope::Partner, now) }, ids)
        }
        SummaryScope::None => return Err(AppError::NotFound),
    };
    state.cases.summary_read(staff(&session), case_id, scope, &referrals).await?;
    Ok(page(summary_page::render(summary)))
}
