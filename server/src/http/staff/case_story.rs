//! What the case page and the summary tell in words: the timeline (events with names, not
//! ids, and task titles) and the playbook's guidance with what is next for the reader.

use std::collections::HashMap;

use shelter_frontend::pages::staff::case_guidance::{Guidance, NextTask};
use shelter_frontend::pages::staff::case_timeline::{self, Happened, Line, Who};
use shelter_frontend::reader::Reader;
use shelter_shared::intake::IncidentKind;
use shelter_shared::staff::Role;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::cases::view::{CaseView, Event};
use crate::http::{AppError, AppState};
use crate::identity::sessions::StaffSession;
use crate::policy;

/// Staff ids an event names in its details (a reassignment's `from` and `to`, a triage's
/// `assignee`).
fn named_ids(event: &Event) -> impl Iterator<Item = Uuid> + '_ {
    ["from", "to", "assignee"]
        .into_iter()
        .filter_map(|key| event.details.get(key).and_then(|v| v.as_str()).and_then(|s| s.parse().ok()))
}

/// The names of the staff members the timeline mentions by id.
async fn names(conn: &mut PgConnection, events: &[Event]) -> Result<HashMap<Uuid, String>, AppError> {
    let mut ids: Vec<Uuid> = events.iter().flat_map(named_ids).collect();
    ids.sort();
    ids.dedup();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = sqlx::query!("select staff_user_id, display_name from staff_user where staff_user_id = any($1)", &ids)
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows.into_iter().map(|r| (r.staff_user_id, r.display_name)).collect())
}

/// The case's events as plain data for the timeline, rationales kept only if `with_why`.
pub async fn happened(conn: &mut PgConnection, view: &CaseView, with_why: bool) -> Result<Vec<Happened>, AppError> {
    let names = names(conn, &view.timeline).await?;
    let titles: HashMap<String, String> = view.tasks.iter().map(|t| (t.task_id.to_string(), t.title.clone())).collect();
    let text = |event: &Event, key: &str| event.details.get(key).and_then(|v| v.as_str()).map(str::to_owned);
    let name = |event: &Event, key: &str| {
        text(event, key).and_then(|id| id.parse::<Uuid>().ok()).and_then(|id| names.get(&id).cloned())
    };
    Ok(view
        .timeline
        .iter()
        .map(|e| Happened {
            at: e.occurred_at,
            action: e.action.clone(),
            who: match e.actor_kind.as_str() {
                "requester" => Who::Requester,
                "voucher" => Who::Voucher,
                "staff" => e.actor_name.clone().map(Who::Staff).unwrap_or(Who::System),
                _ => Who::System,
            },
            task: text(e, "task").and_then(|id| titles.get(&id).cloned()),
            ticked_by: text(e, "ticked_by"),
            from: name(e, "from"),
            to: name(e, "to").or_else(|| name(e, "assignee")),
            why: e.rationale.clone().filter(|_| with_why),
        })
        .collect())
}

/// The timeline in the reader's words.
pub async fn timeline(state: &AppState, reader: Reader, view: &CaseView) -> Result<Vec<Line>, AppError> {
    let events = happened(&mut *state.db.acquire().await?, view, true).await?;
    Ok(case_timeline::lines(reader, &events))
}

/// The playbook's guidance for a triaged case, and its open tasks split into the reader's
/// and others' (by the same rule that lets them tick one).
pub fn guidance(state: &AppState, session: &StaffSession, view: &CaseView) -> Option<Guidance> {
    view.playbook_version?;
    let kind = view.kind.parse::<IncidentKind>().ok()?;
    let playbook = state.playbooks.get(kind)?;
    let (title, advice, language) = playbook.words(session.reader().language);
    let holds_case = view.assignee == Some(session.user_id);
    let mut open: Vec<_> = view.tasks.iter().filter(|t| t.done_at.is_none()).collect();
    open.sort_by_key(|t| t.due_at);
    let (mut mine, mut others) = (vec![], vec![]);
    for task in open {
        let next = NextTask {
            title: task.title.clone(),
            guidance: task.guidance.clone(),
            role: task.role.clone(),
            due_at: task.due_at,
        };
        let may = task.role.parse::<Role>().is_ok_and(|role| policy::may_do_task(&session.roles, role, holds_case));
        if may { mine.push(next) } else { others.push(next) }
    }
    Some(Guidance {
        title: title.to_owned(),
        lines: advice.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect(),
        language,
        mine,
        others,
        now: state.cases.clock.now(),
    })
}
