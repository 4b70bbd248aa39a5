//! `/staff/cases/{id}`: the case page and the forms on it; the queue is the staff home.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use shelter_frontend::pages::staff::case::Who;
use shelter_frontend::pages::staff::typed::Typed;
use shelter_frontend::pages::staff::{case as case_page, queue as queue_page};
use shelter_shared::api::ErrorCode;
use shelter_shared::case::{AssigneeChange, CaseState, CaseTransition, Outcome};
use shelter_shared::intake::{IncidentKind, Severity};
use shelter_shared::staff::Role;
use uuid::Uuid;

use super::{NoFields, form_error, nav_for, page};
use crate::cases::triage::{TransitionInput, TriageInput};
use crate::cases::view::CaseView;
use crate::http::allow::{Allowed, Browser, may};
use crate::http::api::cases::{QueueParams, staff};
use crate::http::extract::{PagePath, ValidForm};
use crate::http::posted::Posted;
use crate::http::{AppError, AppState};
use crate::identity::sessions::StaffSession;
use crate::policy::{self, Action};

/// The case page routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/cases/{case_id}", get(show))
        .route("/staff/cases/{case_id}/attachments/{attachment_id}", get(download))
        .route("/staff/cases/{case_id}/claim", post(claim))
        .route("/staff/cases/{case_id}/conflict", post(conflict))
        .route("/staff/cases/{case_id}/messages", post(message))
        .route("/staff/cases/{case_id}/notes", post(note))
        .route("/staff/cases/{case_id}/tasks/{task_id}/done", post(task_done))
        .route("/staff/cases/{case_id}/tasks/{task_id}/undo", post(task_undo))
        .route("/staff/cases/{case_id}/unclaim", post(unclaim))
        .route("/staff/cases/{case_id}/reassign", post(reassign))
        .route("/staff/cases/{case_id}/{action}", post(decide))
}

/// The staff home for handlers and supervisors: the queue (and breaches for supervisors).
pub async fn queue_home(state: &AppState, session: &StaffSession, params: &QueueParams) -> Result<Response, AppError> {
    let now = state.identity.clock.now();
    let searched = params.reference.as_deref().is_some_and(|r| !r.trim().is_empty());
    let mut not_found = false;
    let (lines, error, next_href) = match params.parse(session.user_id) {
        Ok(filter) => {
            let items = state.cases.queue(staff(session), &filter).await?;
            not_found = searched && items.is_empty();
            let next = (items.len() as i64 == filter.limit)
                .then(|| format!("/staff?page={}", filter.offset / filter.limit + 2));
            let handler = session.has_role(Role::Handler);
            let lines = items
                .into_iter()
                .map(|i| queue_page::QueueLine {
                    id: i.id.to_string(),
                    reference: i.reference,
                    status: i.status.as_str().to_owned(),
                    severity: i.severity.clone(),
                    severity_hint: i.severity_hint.clone(),
                    kind: i.kind,
                    country: i.country,
                    language: i.language,
                    age_seconds: (now - i.created_at).num_seconds(),
                    seconds_left: i.seconds_left,
                    breached: i.breached,
                    due_soon: i.due_soon,
                    assignee: i.assignee_name,
                    can_open: !i.preview_only,
                    can_claim: handler
                        && i.assignee.is_none()
                        && i.status != CaseState::OnHold
                        && i.status != CaseState::Closed,
                    can_give_back: policy::may_change_assignee(
                        &session.roles,
                        i.status,
                        i.assignee == Some(session.user_id),
                        AssigneeChange::GiveBack,
                    ),
                    critical: i.severity.as_deref().or(i.severity_hint.as_deref()) == Some(Severity::Critical.as_str()),
                    unread: i.unread,
                    alerts: i.alerts.clone(),
                })
                .collect();
            (lines, None, next)
        }
        // English readers keep the specific sentence; others read the catalogue's.
        Err(message) if session.language == shelter_shared::language::Language::English => {
            (vec![], Some(message), None)
        }
        Err(_) => (vec![], Some(session.reader().t("queue-bad-filter")), None),
    };
    let breaches = if session.has_role(Role::Supervisor) {
        let list = state.cases.open_breaches(session.user_id).await?;
        Some(
            list.into_iter()
                .map(|b| queue_page::BreachLine { case_id: b.case_id.to_string(), clock: b.clock, due: b.due_at })
                .collect(),
        )
    } else {
        None
    };
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let invalid = error.is_some();
    let html = queue_page::render(queue_page::QueuePage {
        nav: super::home_nav(state, session).await?,
        csrf: session.csrf_token.clone(),
        roles: session.roles.iter().map(|r| r.as_str().to_owned()).collect(),
        lines,
        breaches,
        waiting: super::homes::waiting(state, session).await?,
        filters: [
            text(&params.status),
            text(&params.severity),
            text(&params.kind),
            text(&params.country),
            params.mine.map(|m| m.to_string()).unwrap_or_default(),
        ],
        next_href,
        error,
        reference: text(&params.reference),
        not_found,
    });
    Ok(if invalid { (StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response() } else { page(html) })
}

async fn render(
    state: &AppState,
    session: &StaffSession,
    view: CaseView,
    error: Option<String>,
    typed: Typed,
) -> Result<String, AppError> {
    if view.purged_at.is_some() {
        return super::retention::render_purged(state, session, view, error).await;
    }
    let roles = &session.roles;
    let state_now = view.status;
    let is_assignee = view.assignee == Some(session.user_id);
    let can = |t: CaseTransition| policy::may_move_case(roles, state_now, is_assignee, t);
    let change = |c: AssigneeChange| policy::may_change_assignee(roles, state_now, is_assignee, c);
    let handlers: Vec<(String, String)> = if roles.contains(&Role::Supervisor)
        && (can(CaseTransition::Triage) || change(AssigneeChange::Reassign))
    {
        sqlx::query!(
            "select staff_user_id, display_name from staff_user where status = 'active' and not pending_confirmation and 'handler' = any(roles)
             and staff_user_id not in (select staff_user_id from case_conflict where case_id = $1) order by display_name",
            view.id,
        )
        .fetch_all(&state.db)
        .await?
        .into_iter()
        .map(|h| (h.staff_user_id.to_string(), h.display_name))
        .collect()
    } else {
        vec![]
    };
    let who = |kind: &str, name: &Option<String>| match kind {
        "requester" => Who::Requester,
        "voucher" => Who::Voucher,
        "system" => Who::System,
        _ => Who::Staff(name.clone().unwrap_or_default()),
    };
    let sender = |m: &crate::cases::view::Message| match m.portal_mark.as_deref() {
        Some(mark) => Who::Marked(mark.to_owned()),
        None => who(&m.author_kind, &m.author_name),
    };
    let holds_case = view.assignee == Some(session.user_id);
    let html = case_page::render(case_page::CasePage {
        nav: nav_for(session),
        csrf: session.csrf_token.clone(),
        id: view.id.to_string(),
        reference: view.reference.clone(),
        version: view.version,
        facts: case_page::Facts {
            status: view.status.as_str().to_owned(),
            severity: view.severity.clone(),
            severity_hint: view.severity_hint.clone(),
            kind: view.kind.clone(),
            country: view.country.clone(),
            language: view.language.clone(),
            needs: view.needs.clone(),
            created_at: view.created_at,
            acknowledge_due_at: view.acknowledge_due_at,
            decide_due_at: view.decide_due_at,
            playbook_version: view.playbook_version,
            outcome: view.outcome.clone(),
        },
        fields: view
            .fields
            .iter()
            .map(|f| case_page::FieldLine { name: f.name.clone(), text: f.value.clone() })
            .collect(),
        tasks: view
            .tasks
            .iter()
            .map(|t| case_page::TaskLine {
                id: t.task_id.to_string(),
                title: t.title.clone(),
                role: t.role.clone(),
                guidance: t.guidance.clone(),
                due: t.due_at,
                done: t.done_at.map(|at| (t.done_by_name.clone().unwrap_or_default(), at)),
                can_do: t.role.parse::<Role>().is_ok_and(|role| policy::may_do_task(roles, role, holds_case)),
                can_undo: t
                    .role
                    .parse::<Role>()
                    .is_ok_and(|role| policy::may_undo_task(roles, role, holds_case, session.user_id, t.done_by)),
            })
            .collect(),
        messages: view
            .messages
            .iter()
            .map(|m| case_page::Said { who: sender(m), at: m.at, text: m.body.clone() })
            .collect(),
        notes: view
            .notes
            .iter()
            .map(|n| case_page::Said { who: Who::Staff(n.author_name.clone()), at: n.at, text: n.body.clone() })
            .collect(),
        attachments: view
            .attachments
            .iter()
            .map(|a| case_page::AttachmentLine {
                href: match a.held {
                    None => format!("/staff/cases/{}/attachments/{}", view.id, a.id),
                    Some(_) => format!("/staff/cases/{}#safety", view.id),
                },
                name: a.name.clone(),
                media_type: a.media_type.clone(),
                size_bytes: a.size_bytes,
                sha256: a.original_sha256.clone(),
                held: a.held.clone(),
            })
            .collect(),
        timeline: super::case_story::timeline(state, session.reader(), &view).await?,
        guidance: super::case_story::guidance(state, session, &view),
        actions: case_page::Actions {
            acknowledge: can(CaseTransition::Acknowledge),
            triage: can(CaseTransition::Triage),
            hold: can(CaseTransition::Hold),
            resume: can(CaseTransition::Resume),
            close: can(CaseTransition::Close),
            reopen: can(CaseTransition::Reopen),
            work: state_now != CaseState::Closed,
            give_back: change(AssigneeChange::GiveBack),
            reassign: change(AssigneeChange::Reassign),
        },
        // An untriaged case's form starts at "Choose…": a preselected severity and kind get
        // confirmed by a hurried click instead of decided.
        severity: view.severity.clone().unwrap_or_default(),
        kind: if view.severity.is_some() { view.kind.clone() } else { String::new() },
        handlers,
        error,
        referrals: super::referrals::case_items(
            session,
            view.id,
            state.cases.case_referrals(staff(session), view.id).await?,
        ),
        partners: partner_choices(state.cases.partner_offers(staff(session), view.id).await?),
        grants: super::grants::case_lines(state.grants.case_grants(staff(session), view.id).await?),
        grant_choices: super::grants::propose_choices(state, session, view.status.as_str(), &view.kind).await?,
        stepped_up: session.stepped_up(state.identity.clock.now()),
        retention: super::retention::hold_section(state, session, &view).await?,
        member: match policy::authorize(roles, Action::LinkAlumni) {
            Ok(()) => Some(state.cases.case_member(&mut *state.db.acquire().await?, staff(session), view.id).await?),
            Err(_) => None,
        },
        can_link_member: policy::authorize(roles, Action::LinkMember).is_ok(),
        verification: state
            .vouching
            .for_case(staff(session), view.id)
            .await?
            .map(|(v, may_ask)| (v, may_ask, state.cases.clock.now())),
        danger: Some(super::danger::section(state, session, &view).await?),
        typed,
    });
    Ok(html)
}

/// The referral form's partners, local ones first.
fn partner_choices(offers: Vec<shelter_shared::partner::PartnerOffer>) -> Vec<case_page::PartnerChoice> {
    offers
        .into_iter()
        .map(|o| {
            let p = o.partner;
            case_page::PartnerChoice {
                id: p.id,
                name: p.name,
                countries: p.countries,
                capacity: p.capacity,
                local: o.in_country,
            }
        })
        .collect()
}

async fn show(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Browser, may::WorkCases>,
    Path(case_id): Path<Uuid>,
) -> Result<Response, AppError> {
    let view = state.cases.view(staff(&session), case_id).await?;
    // Opened in full: the requester's messages this page shows count as read in the queue
    // (a purged case shows none and records nothing).
    let newest = view.messages.iter().filter(|m| m.author_kind == "requester").map(|m| m.at).max();
    if let Some(read_up_to) = newest.filter(|_| view.purged_at.is_none()) {
        state.cases.mark_seen(staff(&session), case_id, read_up_to).await?;
    }
    Ok(page(render(&state, &session, view, None, Typed::default()).await?))
}

/// Back to the case page after a change; on a refusal, the page again with the reason.
pub(super) async fn after(
    state: &AppState,
    session: &StaffSession,
    case_id: Uuid,
    result: Result<(), AppError>,
) -> Result<Response, AppError> {
    after_typed(state, session, case_id, result, Typed::default()).await
}

/// As [`after`], showing a refused form again with what was `typed` into it.
pub(super) async fn after_typed(
    state: &AppState,
    session: &StaffSession,
    case_id: Uuid,
    result: Result<(), AppError>,
    typed: Typed,
) -> Result<Response, AppError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/staff/cases/{case_id}")).into_response()),
        Err(error) if error.status().is_client_error() && !matches!(error, AppError::NotFound) => {
            match state.cases.view(staff(session), case_id).await {
                Ok(view) => {
                    let message = super::staff_error(session.reader(), &error);
                    let html = render(state, session, view, Some(message), typed).await?;
                    Ok(form_error(error, |_| html))
                }
                Err(_) => Err(error),
            }
        }
        Err(error) => Err(error),
    }
}

#[derive(Deserialize)]
struct DecisionForm {
    #[serde(default)]
    version: Option<i32>,
    #[serde(default)]
    rationale: Option<String>,
    #[serde(default)]
    outcome: Option<String>,
    #[serde(default)]
    severity: Option<String>,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    assignee: Option<String>,
    /// Closing: a status for the linked member's timeline (empty: none).
    #[serde(default)]
    member_status: Option<String>,
    #[serde(default)]
    member_status_date: Option<String>,
    #[serde(default)]
    member_status_source: Option<String>,
    #[serde(default)]
    member_status_note: Option<String>,
}

fn parse_decision(
    transition: CaseTransition,
    form: &DecisionForm,
) -> Result<(CaseTransition, TransitionInput), AppError> {
    let invalid = |code, m: &str| AppError::invalid(code, m.to_owned());
    let outcome = form
        .outcome
        .as_deref()
        .filter(|o| !o.is_empty())
        .map(|o| {
            o.parse::<Outcome>().map_err(|_| invalid(ErrorCode::InvalidOutcome, "Choose an outcome from the list."))
        })
        .transpose()?;
    let triage = if transition == CaseTransition::Triage {
        let severity = form
            .severity
            .as_deref()
            .unwrap_or_default()
            .parse::<Severity>()
            .map_err(|_| invalid(ErrorCode::InvalidTriage, "Choose a severity."))?;
        let kind = form
            .kind
            .as_deref()
            .unwrap_or_default()
            .parse::<IncidentKind>()
            .map_err(|_| invalid(ErrorCode::InvalidTriage, "Choose a kind."))?;
        let assignee = form
            .assignee
            .as_deref()
            .filter(|a| !a.is_empty())
            .map(|a| a.parse::<Uuid>().map_err(|_| invalid(ErrorCode::InvalidAssignee, "Choose a handler.")))
            .transpose()?;
        Some(TriageInput { severity, kind, assignee })
    } else {
        None
    };
    let member_status = form.member_status.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(|status| {
        shelter_shared::alumni::ClosingStatusRequest {
            status: status.to_owned(),
            date: form.member_status_date.clone(),
            source: form.member_status_source.clone(),
            note: form.member_status_note.clone(),
        }
    });
    Ok((
        transition,
        TransitionInput {
            rationale: form.rationale.clone(),
            outcome,
            expected_version: form.version,
            triage,
            member_status,
        },
    ))
}

async fn decide(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Browser, may::WorkCases>,
    PagePath((case_id, transition)): PagePath<(Uuid, CaseTransition)>,
    Posted(ValidForm(form)): Posted<ValidForm<DecisionForm>>,
) -> Result<Response, AppError> {
    let result = match parse_decision(transition, &form) {
        Ok((transition, input)) => state
            .cases
            .transition(staff(&session), case_id, transition, input)
            .await
            .map(|_| ())
            .map_err(AppError::from),
        Err(error) => Err(error),
    };
    let typed = Typed::new(
        transition.as_str(),
        [
            ("rationale", form.rationale),
            ("outcome", form.outcome),
            ("severity", form.severity),
            ("kind", form.kind),
            ("assignee", form.assignee),
        ],
    );
    after_typed(&state, &session, case_id, result, typed).await
}

async fn claim(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Browser, may::WorkCases>,
    Path(case_id): Path<Uuid>,
    Posted(ValidForm(NoFields {})): Posted<ValidForm<NoFields>>,
) -> Result<Response, AppError> {
    state.cases.claim(staff(&session), case_id).await?;
    Ok(Redirect::to(&format!("/staff/cases/{case_id}")).into_response())
}

async fn conflict(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Browser, may::WorkCases>,
    Path(case_id): Path<Uuid>,
    Posted(ValidForm(form)): Posted<ValidForm<ConflictForm>>,
) -> Result<Response, AppError> {
    if form.confirm.as_deref() != Some("yes") {
        let refusal = AppError::invalid(
            ErrorCode::ConfirmationNeeded,
            "Nothing was changed: tick \"I understand\" to declare a conflict of interest.",
        );
        return after(&state, &session, case_id, Err(refusal)).await;
    }
    state.cases.declare_conflict(staff(&session), case_id).await?;
    Ok(Redirect::to("/staff").into_response())
}

/// Declaring a conflict cannot be undone from the page (the case leaves one's sight), so it
/// asks for a ticked "I understand" box.
#[derive(Deserialize)]
struct ConflictForm {
    #[serde(default)]
    confirm: Option<String>,
}

#[derive(Deserialize)]
struct BodyForm {
    #[serde(default)]
    body: String,
}

async fn message(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Browser, may::WorkCases>,
    Path(case_id): Path<Uuid>,
    Posted(ValidForm(form)): Posted<ValidForm<BodyForm>>,
) -> Result<Response, AppError> {
    let result =
        state.cases.staff_message(staff(&session), case_id, &form.body).await.map(|_| ()).map_err(AppError::from);
    after_typed(&state, &session, case_id, result, Typed::new("messages", [("body", Some(form.body))])).await
}

async fn note(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Browser, may::WorkCases>,
    Path(case_id): Path<Uuid>,
    Posted(ValidForm(form)): Posted<ValidForm<BodyForm>>,
) -> Result<Response, AppError> {
    let result = state.cases.add_note(staff(&session), case_id, &form.body).await.map(|_| ()).map_err(AppError::from);
    after_typed(&state, &session, case_id, result, Typed::new("notes", [("body", Some(form.body))])).await
}

async fn task_done(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Browser, may::WorkCases>,
    Path((case_id, task_id)): Path<(Uuid, Uuid)>,
    Posted(ValidForm(NoFields {})): Posted<ValidForm<NoFields>>,
) -> Result<Response, AppError> {
    let result = state.cases.complete_task(staff(&session), case_id, task_id).await.map_err(AppError::from);
    after(&state, &session, case_id, result).await
}

async fn download(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Browser, may::WorkCases>,
    Path((case_id, attachment_id)): Path<(Uuid, Uuid)>,
) -> Result<Response, AppError> {
    let (name, media_type, bytes) = state.cases.attachment(staff(&session), case_id, attachment_id).await?;
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&media_type).unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

#[derive(Deserialize)]
struct ReasonForm {
    #[serde(default)]
    reason: String,
}

/// Reopens a task marked done (its doer only, with a reason); a refusal keeps the reason.
async fn task_undo(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Browser, may::WorkCases>,
    Path((case_id, task_id)): Path<(Uuid, Uuid)>,
    Posted(ValidForm(form)): Posted<ValidForm<ReasonForm>>,
) -> Result<Response, AppError> {
    let result = state.cases.undo_task(staff(&session), case_id, task_id, &form.reason).await.map_err(AppError::from);
    let typed = Typed::new(&format!("undo-{task_id}"), [("reason", Some(form.reason))]);
    after_typed(&state, &session, case_id, result, typed).await
}

#[derive(Deserialize)]
struct VersionForm {
    #[serde(default)]
    version: Option<i32>,
}

/// The assigned handler gives the case back to the queue; the queue is where they go next.
async fn unclaim(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Browser, may::WorkCases>,
    Path(case_id): Path<Uuid>,
    Posted(ValidForm(form)): Posted<ValidForm<VersionForm>>,
) -> Result<Response, AppError> {
    match state.cases.unclaim(staff(&session), case_id, form.version).await.map_err(AppError::from) {
        Ok(()) => Ok(Redirect::to("/staff").into_response()),
        Err(error) => after(&state, &session, case_id, Err(error)).await,
    }
}

#[derive(Deserialize)]
struct ReassignForm {
    #[serde(default)]
    version: Option<i32>,
    #[serde(default)]
    assignee: String,
    #[serde(default)]
    reason: String,
}

/// A supervisor hands the case to another handler; a refusal keeps the choice and reason.
async fn reassign(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Browser, may::WorkCases>,
    Path(case_id): Path<Uuid>,
    Posted(ValidForm(form)): Posted<ValidForm<ReassignForm>>,
) -> Result<Response, AppError> {
    let result = match form.assignee.trim().parse::<Uuid>() {
        Ok(to) => {
            state.cases.reassign(staff(&session), case_id, to, &form.reason, form.version).await.map_err(AppError::from)
        }
        Err(_) => Err(AppError::invalid(ErrorCode::InvalidAssignee, "Choose a handler.".to_owned())),
    };
    let typed = Typed::new("reassign", [("assignee", Some(form.assignee)), ("reason", Some(form.reason))]);
    after_typed(&state, &session, case_id, result, typed).await
}
