//! The triage queue: open cases ordered by their nearest SLA deadline.

use chrono::{DateTime, Utc};
use serde::Serialize;
use shelter_shared::case::CaseState;
use shelter_shared::intake::{IncidentKind, Severity};
use sqlx::{FromRow, PgConnection, Postgres, QueryBuilder};
use uuid::Uuid;

use super::Cases;
use super::triage::{Staff, WorkError};
use crate::policy::{CaseAccess, CaseFacts, case_access};

/// Which cases to list.
#[derive(Debug, Clone, Default)]
pub struct QueueFilter {
    /// States (default: [`CaseState::OPEN`]).
    pub statuses: Vec<CaseState>,
    /// Severity (or the requester's hint before triage).
    pub severity: Option<Severity>,
    /// Incident kind.
    pub kind: Option<IncidentKind>,
    /// Country code.
    pub country: Option<String>,
    /// Assigned to this staff member.
    pub assignee: Option<Uuid>,
    /// Only unassigned cases.
    pub unassigned: bool,
    /// Only the case with this reference, and only if the viewer sees it in full: a search
    /// must not tie a reference to a preview (nor say that the reference exists).
    pub reference: Option<String>,
    /// Page size.
    pub limit: i64,
    /// Rows to skip.
    pub offset: i64,
}

/// One line of the queue. Cases the viewer may not read in full show only the preview
/// (kind, country, severity hint, language, age); their reference is withheld.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct QueueItem {
    /// Case id.
    pub id: Uuid,
    /// Reference, only with full access.
    pub reference: Option<String>,
    /// State.
    pub status: CaseState,
    /// Incident kind.
    pub kind: String,
    /// Country.
    pub country: String,
    /// Language.
    pub language: String,
    /// Severity set at triage.
    pub severity: Option<String>,
    /// Severity suggested by the requester.
    pub severity_hint: Option<String>,
    /// Assigned handler.
    pub assignee: Option<Uuid>,
    /// Assigned handler's name.
    pub assignee_name: Option<String>,
    /// Filed.
    pub created_at: DateTime<Utc>,
    /// The nearest open deadline.
    pub next_due_at: Option<DateTime<Utc>>,
    /// Seconds until it (negative: breached).
    pub seconds_left: Option<i64>,
    /// Whether it has passed.
    pub breached: bool,
    /// Whether it falls within the next hour.
    pub due_soon: bool,
    /// Whether the viewer sees only the preview.
    pub preview_only: bool,
    /// The requester wrote since the viewer last opened the case (full access only).
    pub unread: bool,
    /// The requester may be in danger (full access only): `duress` (a standing duress
    /// alert), `custody` (custody mode), `check_in_missed` (a missed check-in unanswered).
    pub alerts: Vec<String>,
}

/// One row of the queue's statement, before the viewer's access shapes it into a [`QueueItem`].
#[derive(FromRow)]
pub struct Row {
    case_id: Uuid,
    reference: String,
    status: CaseState,
    kind: String,
    country: String,
    language: String,
    severity: Option<String>,
    severity_hint: Option<String>,
    assignee: Option<Uuid>,
    assignee_name: Option<String>,
    created_at: DateTime<Utc>,
    next_due_at: Option<DateTime<Utc>>,
    duress: bool,
    custody: bool,
    check_in_missed: bool,
    unread: bool,
}

/// The open states written as the partial index `cases_queue` is (migration 0005), so the
/// queue's usual statement can stay prepared and its cached plan still use the index.
const OPEN_STATES_SQL: &str = " and c.status in ('new', 'acknowledged', 'active')";

/// The queue's one statement for `staff_id` under `filter`: cases in conflict with the
/// viewer are left out here, before any row leaves PostgreSQL.
pub async fn rows(conn: &mut PgConnection, staff_id: Uuid, filter: &QueueFilter) -> sqlx::Result<Vec<Row>> {
    let mut query: QueryBuilder<'_, Postgres> = QueryBuilder::new(
        "select c.case_id, c.reference, c.status, c.kind, c.country, c.language, c.severity, c.severity_hint,
                c.assignee, u.display_name as assignee_name, c.created_at, c.next_due_at,
                c.duress_alert_at is not null as duress,
                exists (select 1 from case_custody k where k.case_id = c.case_id and k.lifted_at is null) as custody,
                exists (select 1 from check_in_miss m where m.case_id = c.case_id and m.answered_at is null)
                    as check_in_missed,
                exists (select 1 from case_message m where m.case_id = c.case_id and m.author_kind = 'requester'
                        and m.created_at > coalesce(v.seen_at, '-infinity')) as unread
         from cases c left join staff_user u on u.staff_user_id = c.assignee
              left join case_view v on v.case_id = c.case_id and v.staff_user_id = ",
    );
    query.push_bind(staff_id);
    query.push(" where not exists (select 1 from case_conflict x where x.case_id = c.case_id and x.staff_user_id = ");
    query.push_bind(staff_id).push(")");
    // A chosen set of states is bound (a generic plan could not match the partial index, so
    // PostgreSQL keeps planning it per run); the default is the index's own predicate.
    if filter.statuses.is_empty() {
        query.push(OPEN_STATES_SQL);
    } else {
        query.push(" and c.status = any(").push_bind(filter.statuses.clone()).push(")");
    }
    if let Some(severity) = filter.severity {
        query.push(" and coalesce(c.severity, c.severity_hint) = ").push_bind(severity);
    }
    if let Some(kind) = filter.kind {
        query.push(" and c.kind = ").push_bind(kind);
    }
    if let Some(country) = &filter.country {
        query.push(" and c.country = ").push_bind(country.to_uppercase());
    }
    if let Some(assignee) = filter.assignee {
        query.push(" and c.assignee = ").push_bind(assignee);
    }
    if filter.unassigned {
        query.push(" and c.assignee is null");
    }
    if let Some(reference) = &filter.reference {
        query.push(" and c.reference = ").push_bind(reference);
    }
    query
        .push(" order by c.next_due_at asc nulls last, c.case_id limit ")
        .push_bind(filter.limit)
        .push(" offset ")
        .push_bind(filter.offset);
    query.build_query_as().fetch_all(conn).await
}

impl Cases {
    /// The queue as `staff` may see it, nearest deadline first.
    pub async fn queue(&self, staff: Staff<'_>, filter: &QueueFilter) -> Result<Vec<QueueItem>, WorkError> {
        let now = self.clock.now();
        let rows = rows(&mut *self.db.acquire().await?, staff.id, filter).await?;
        Ok(rows
            .into_iter()
            .filter_map(|row| {
                let access = case_access(
                    staff.roles,
                    CaseFacts { is_assignee: row.assignee == Some(staff.id), conflicted: false },
                );
                let shown = if filter.reference.is_some() { CaseAccess::Full } else { CaseAccess::Preview };
                (access >= shown).then(|| {
                    let seconds_left = row.next_due_at.map(|due| (due - now).num_seconds());
                    let flags =
                        [(row.duress, "duress"), (row.custody, "custody"), (row.check_in_missed, "check_in_missed")];
                    let alerts = if access == CaseAccess::Full {
                        flags.into_iter().filter(|(on, _)| *on).map(|(_, name)| name.to_owned()).collect()
                    } else {
                        vec![]
                    };
                    QueueItem {
                        id: row.case_id,
                        reference: (access == CaseAccess::Full).then_some(row.reference),
                        status: row.status,
                        kind: row.kind,
                        country: row.country,
                        language: row.language,
                        severity: row.severity,
                        severity_hint: row.severity_hint,
                        assignee: row.assignee,
                        assignee_name: row.assignee_name,
                        created_at: row.created_at,
                        next_due_at: row.next_due_at,
                        breached: seconds_left.is_some_and(|s| s < 0),
                        due_soon: seconds_left.is_some_and(|s| (0..3600).contains(&s)),
                        seconds_left,
                        preview_only: access == CaseAccess::Preview,
                        unread: access == CaseAccess::Full && row.unread,
                        alerts,
                    }
                })
            })
            .collect())
    }
}

impl Cases {
    /// Records that `staff` read the requester's messages up to `read_up_to` (the newest one
    /// their page showed, not the clock: a message that arrived while the page was being
    /// made stays unread). One row per (case, staff member), only ever moved forward.
    pub async fn mark_seen(&self, staff: Staff<'_>, case_id: Uuid, read_up_to: DateTime<Utc>) -> Result<(), WorkError> {
        sqlx::query!(
            "insert into case_view (case_id, staff_user_id, seen_at) values ($1, $2, $3)
             on conflict (case_id, staff_user_id) do update set seen_at = greatest(case_view.seen_at, excluded.seen_at)",
            case_id,
            staff.id,
            read_up_to,
        )
        .execute(&self.db)
        .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_states_are_the_open_ones() {
        let written: Vec<&str> = OPEN_STATES_SQL.split('\'').skip(1).step_by(2).collect();
        let open: Vec<&str> = CaseState::OPEN.iter().map(|s| s.as_str()).collect();
        assert_eq!(written, open);
    }
}
