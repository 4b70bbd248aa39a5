//! `/staff/audit`: the trail for supervisors, reviews, export.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use shelter_frontend::pages::staff::audit as page_audit;
use shelter_frontend::reader::Reader;
use shelter_shared::api::ErrorCode;
use shelter_shared::audit::{AuditAction, ReviewVerdict};

use super::{form_error, nav_for, page};
use crate::audit::query::{self, Entry, FilterParams};
use crate::audit::review;
use crate::audit::words::{action_label, value_word};
use crate::http::allow::{Allowed, Browser, may};
use crate::http::api::audit::export_csv;
use crate::http::auth::BrowserStaff;
use crate::http::extract::ValidForm;
use crate::http::posted::Posted;
use crate::http::{AppError, AppState};
use crate::identity::sessions::StaffSession;

/// Entries per page.
const PAGE: i64 = 100;

/// The audit page routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/audit", get(show))
        .route("/staff/audit/{seq}/review", post(review_entry))
        .route("/staff/audit/export", post(export))
}

#[derive(Deserialize)]
struct ReviewForm {
    verdict: ReviewVerdict,
    #[serde(default)]
    comment: String,
    /// The filters the reviewer was looking through, to come back to them.
    #[serde(default)]
    back: String,
}

/// The filters as a query string (without `before`, which the caller adds for paging).
fn query_string(params: &FilterParams) -> String {
    let mut url = url::form_urlencoded::Serializer::new(String::new());
    for (key, value) in [
        ("case", &params.case),
        ("actor", &params.actor),
        ("action", &params.action),
        ("from", &params.from),
        ("to", &params.to),
        ("unreviewed", &params.unreviewed),
    ] {
        if let Some(value) = value.as_deref().filter(|v| !v.is_empty()) {
            url.append_pair(key, value);
        }
    }
    url.finish()
}

/// The filters a review form carried back; anything unreadable means none.
fn filters_from(back: &str) -> FilterParams {
    let mut params = FilterParams::default();
    for (key, value) in url::form_urlencoded::parse(back.as_bytes()) {
        let value = Some(value.into_owned());
        match key.as_ref() {
            "case" => params.case = value,
            "actor" => params.actor = value,
            "action" => params.action = value,
            "from" => params.from = value,
            "to" => params.to = value,
            "unreviewed" => params.unreviewed = value,
            _ => {}
        }
    }
    params
}

#[derive(Deserialize)]
struct ExportForm {
    #[serde(flatten)]
    filter: FilterParams,
}

/// Reviews as recorded ("name: verdict; …") with each verdict in words.
fn reviews_in_words(r: Reader, reviews: &str) -> String {
    reviews
        .split("; ")
        .map(|one| match one.rsplit_once(": ") {
            Some((name, verdict)) => {
                format!("{name}: {}", value_word(r, verdict).unwrap_or_else(|| verdict.to_owned()))
            }
            None => one.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn line(entry: Entry, viewer: &StaffSession) -> page_audit::AuditLine {
    let r = viewer.reader();
    let action = entry.action.parse::<AuditAction>().ok();
    let decision = action.is_some_and(AuditAction::is_decision) || entry.rationale.is_some();
    let own = entry.actor_id.as_deref() == Some(viewer.user_id.to_string().as_str());
    let kind_word = |kind: &str| value_word(r, kind).unwrap_or_else(|| kind.replace('_', " "));
    page_audit::AuditLine {
        seq: entry.seq,
        at: entry.occurred_at,
        actor: match (entry.actor_name, entry.actor_id) {
            (Some(name), _) => name,
            (None, Some(id)) if entry.actor_kind == "requester" => r.t_text("aud-actor-requester", "reference", &id),
            (None, Some(id)) => format!("{} {id}", kind_word(&entry.actor_kind)),
            (None, None) => kind_word(&entry.actor_kind),
        },
        subject: match (entry.subject_label, entry.subject_kind, entry.subject_id) {
            (Some(label), Some(kind), _) if kind == "case" => r.t_text("aud-subject-case", "reference", &label),
            (Some(label), _, _) => label,
            // A case without a reference for this reader: not one to name (or gone).
            (None, Some(kind), Some(_)) if kind == "case" => r.t("aud-subject-hidden"),
            (None, Some(kind), Some(id)) => format!("{} {id}", kind_word(&kind)),
            _ => String::new(),
        },
        action: action.map(|a| action_label(r, a)).unwrap_or_else(|| entry.action.clone()),
        code: entry.action,
        rationale: entry.rationale,
        details: entry.summary.unwrap_or_default(),
        reviewable: decision && !own && entry.reviews.is_none(),
        reviews: entry.reviews.map(|reviews| reviews_in_words(r, &reviews)),
    }
}

async fn render(
    state: &AppState,
    session: &StaffSession,
    params: &FilterParams,
    notice: Option<String>,
    error: Option<String>,
) -> Result<String, AppError> {
    let r = session.reader();
    let (entries, next_href, error) = match params.parse() {
        Ok((filter, _)) => {
            let entries =
                query::page(&state.db, &state.cases.keys, &filter, PAGE, (session.user_id, &session.roles), r).await?;
            let next = (entries.len() as i64 == PAGE).then(|| entries.last().map(|e| e.seq)).flatten().map(|before| {
                let filters = query_string(params);
                let and = if filters.is_empty() { "" } else { "&" };
                format!("/staff/audit?{filters}{and}before={before}")
            });
            (entries, next, error)
        }
        Err(message) => (vec![], None, Some(message)),
    };
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    Ok(page_audit::render(page_audit::AuditPage {
        nav: nav_for(session),
        csrf: session.csrf_token.clone(),
        filter: page_audit::FilterValues {
            case: text(&params.case),
            actor: text(&params.actor),
            action: text(&params.action),
            from: text(&params.from),
            to: text(&params.to),
            unreviewed: params.unreviewed.as_deref().is_some_and(|v| matches!(v, "true" | "on" | "yes")),
        },
        back: query_string(params),
        newest_href: params.before.map(|_| {
            let filters = query_string(params);
            if filters.is_empty() { "/staff/audit".to_owned() } else { format!("/staff/audit?{filters}") }
        }),
        actions: AuditAction::ALL.iter().map(|a| (a.as_str().to_owned(), action_label(r, *a))).collect(),
        entries: entries.into_iter().map(|e| line(e, session)).collect(),
        next_href,
        stepped_up: session.stepped_up(state.identity.clock.now()),
        notice,
        error,
    }))
}

/// The entry a review was just recorded on (after the redirect).
#[derive(Deserialize)]
struct Reviewed {
    reviewed: Option<i64>,
}

async fn show(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Browser, may::ReadAudit>,
    Query(params): Query<FilterParams>,
    Query(reviewed): Query<Reviewed>,
) -> Result<Response, AppError> {
    let invalid = params.parse().is_err();
    let notice = reviewed.reviewed.map(|seq| session.reader().t_text("aud-notice-reviewed", "seq", &seq.to_string()));
    let html = render(&state, &session, &params, notice, None).await?;
    if invalid {
        return Ok(form_error(AppError::invalid(ErrorCode::InvalidFilter, ""), |_| html));
    }
    Ok(page(html))
}

async fn review_entry(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Browser, may::ReviewDecision>,
    Path(seq): Path<i64>,
    Posted(ValidForm(form)): Posted<ValidForm<ReviewForm>>,
) -> Result<Response, AppError> {
    let clock = state.identity.clock.as_ref();
    let filters = filters_from(&form.back);
    match review::review(&state.db, &state.cases.keys, clock, session.user_id, seq, form.verdict, &form.comment).await {
        Ok(_) => {
            let back = query_string(&filters);
            let and = if back.is_empty() { "" } else { "&" };
            Ok(Redirect::to(&format!("/staff/audit?{back}{and}reviewed={seq}")).into_response())
        }
        Err(error) => {
            let error = AppError::from(error);
            let html = render(&state, &session, &filters, None, Some(error.public_message())).await?;
            Ok(form_error(error, |_| html))
        }
    }
}

async fn export(
    State(state): State<AppState>,
    BrowserStaff(session): BrowserStaff,
    Posted(ValidForm(form)): Posted<ValidForm<ExportForm>>,
) -> Result<Response, AppError> {
    match export_csv(&state, &session, &form.filter).await {
        Ok(csv) => Ok(csv),
        Err(error @ (AppError::Forbidden(_) | AppError::Invalid { .. })) => {
            let html = render(&state, &session, &form.filter, None, Some(error.public_message())).await?;
            Ok(form_error(error, |_| html))
        }
        Err(error) => Err(error),
    }
}
