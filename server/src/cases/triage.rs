//! A case's life by staff: claiming it and the state machine's transitions (acknowledge,
//! triage, hold, resume, close, reopen); also who is acting ([`Staff`]) and why case work is
//! refused ([`WorkError`]), which all case work shares. Writing on a case (messages, notes,
//! checklist, conflicts) is in `work.rs`.
//!
//! Every change checks the policy and the state machine, compares the case's version
//! (a second change made at the same time is refused as "changed meanwhile"), and commits
//! with its audit entry.

use chrono::{DateTime, Utc};
use serde_json::json;
use shelter_shared::api::ErrorCode;
use shelter_shared::audit::AuditAction;
use shelter_shared::case::{self as machine, Attempt, CaseState, CaseTransition, Outcome};
use shelter_shared::intake::{IncidentKind, Severity};
use shelter_shared::staff::Role;
use sqlx::PgConnection;
use uuid::Uuid;

use super::Cases;
use super::record::{self, CaseRecord};
use crate::audit::{self, Actor, NewEntry, Subject};
use crate::policy::{CaseAccess, CaseFacts, case_access};

/// The staff member acting.
#[derive(Debug, Clone, Copy)]
pub struct Staff<'a> {
    /// Their id.
    pub id: Uuid,
    /// Their roles.
    pub roles: &'a [Role],
    /// When their session last confirmed a second factor: services check step-up themselves.
    pub step_up_at: Option<DateTime<Utc>>,
}

impl Staff<'_> {
    /// Refuses unless a fresh second factor was confirmed (see `policy::needs_step_up`).
    pub fn require_step_up(&self, now: DateTime<Utc>) -> Result<(), WorkError> {
        if crate::policy::fresh(self.step_up_at, now) {
            Ok(())
        } else {
            Err(WorkError::Forbidden(crate::policy::STEP_UP_NEEDED.into()))
        }
    }
}

/// Why case work is refused.
#[derive(Debug, thiserror::Error)]
pub enum WorkError {
    /// No such case, or none the caller may know of.
    #[error("not found")]
    NotFound,
    /// The caller may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// The case changed since the caller read it, or its state does not allow this.
    #[error("{0}")]
    Conflict(String),
    /// Bad input: its kind, and a sentence saying what to fix.
    #[error("{message}")]
    Invalid {
        /// The kind of invalid input, answered as the error's code.
        code: ErrorCode,
        /// What to fix.
        message: String,
    },
    /// Anything else.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl WorkError {
    /// Bad input of kind `code`, with a sentence saying what to fix.
    pub fn invalid(code: ErrorCode, message: impl Into<String>) -> Self {
        WorkError::Invalid { code, message: message.into() }
    }
}

impl From<sqlx::Error> for WorkError {
    fn from(error: sqlx::Error) -> Self {
        WorkError::Internal(error.into())
    }
}

impl From<audit::AuditError> for WorkError {
    fn from(error: audit::AuditError) -> Self {
        WorkError::Internal(error.into())
    }
}

/// What a triage decides.
#[derive(Debug, Clone)]
pub struct TriageInput {
    /// Severity.
    pub severity: Severity,
    /// Incident kind (its playbook follows).
    pub kind: IncidentKind,
    /// The handler to assign; default: the current assignee, or the triaging handler.
    pub assignee: Option<Uuid>,
}

/// Everything a transition may carry.
#[derive(Debug, Clone, Default)]
pub struct TransitionInput {
    /// Why (required for decisions).
    pub rationale: Option<String>,
    /// How it ended (closing).
    pub outcome: Option<Outcome>,
    /// The version the caller saw; a different current version is "changed meanwhile".
    pub expected_version: Option<i32>,
    /// Triage details.
    pub triage: Option<TriageInput>,
    /// Closing: a status entry for the member the case is linked to.
    pub member_status: Option<shelter_shared::alumni::ClosingStatusRequest>,
}

pub(super) fn changed_meanwhile() -> WorkError {
    WorkError::Conflict("This case was changed meanwhile by someone else. Reload it to see the new state.".into())
}

fn audit_subject(case: &CaseRecord) -> Subject {
    Subject { kind: "case", id: case.case_id.to_string() }
}

impl Cases {
    /// Loads a case for `staff` with the access the policy gives them; a case they may not
    /// know of is "not found".
    pub(crate) async fn open_case(
        &self,
        conn: &mut PgConnection,
        staff: Staff<'_>,
        case_id: Uuid,
    ) -> Result<(CaseRecord, CaseAccess), WorkError> {
        let (case, access) = self.open_case_any(conn, staff, case_id).await?;
        if case.purged_at.is_some() {
            return Err(WorkError::Conflict("This case was purged: only its statistics remain.".into()));
        }
        Ok((case, access))
    }

    /// Like [`Cases::open_case`], for a purged case too (whose page shows what remains).
    pub(crate) async fn open_case_any(
        &self,
        conn: &mut PgConnection,
        staff: Staff<'_>,
        case_id: Uuid,
    ) -> Result<(CaseRecord, CaseAccess), WorkError> {
        let case = record::load(conn, case_id).await?.ok_or(WorkError::NotFound)?;
        let conflicted = record::conflicted(conn, case_id, staff.id).await?;
        let access = case_access(staff.roles, CaseFacts { is_assignee: case.assignee == Some(staff.id), conflicted });
        if access == CaseAccess::None {
            return Err(WorkError::NotFound);
        }
        Ok((case, access))
    }

    /// The nearest undone task's due time.
    async fn next_task_due(&self, conn: &mut PgConnection, case_id: Uuid) -> sqlx::Result<Option<DateTime<Utc>>> {
        sqlx::query_scalar!("select min(due_at) from case_task where case_id = $1 and done_at is null", case_id)
            .fetch_one(conn)
            .await
    }

    /// A handler takes an unassigned case; a new case is acknowledged by it.
    pub async fn claim(&self, staff: Staff<'_>, case_id: Uuid) -> Result<CaseRecord, WorkError> {
        if !staff.roles.contains(&Role::Handler) {
            return Err(WorkError::Forbidden("Only handlers claim cases.".into()));
        }
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let (case, _) = self.open_case(&mut tx, staff, case_id).await?;
        if case.assignee.is_some() {
            return Err(WorkError::Conflict("This case is already assigned.".into()));
        }
        if case.status == CaseState::Closed || case.status == CaseState::OnHold {
            return Err(WorkError::Conflict(format!("A case that is {} cannot be claimed.", case.status)));
        }
        let acknowledged = case.status == CaseState::New;
        let updated = sqlx::query!(
            "update cases set assignee = $2, version = version + 1, updated_at = $3,
                 status = case when status = $5 then $6 else status end,
                 acknowledged_at = coalesce(acknowledged_at, $3),
                 next_due_at = case when status = $5 then decide_due_at else next_due_at end
             where case_id = $1 and version = $4 and assignee is null",
            case_id,
            staff.id,
            now,
            case.version,
            CaseState::New as _,
            CaseState::Acknowledged as _,
        )
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() == 0 {
            return Err(changed_meanwhile());
        }
        let entry = NewEntry::new(Actor::Staff(staff.id), AuditAction::CaseClaimed)
            .subject(audit_subject(&case))
            .details(json!({"acknowledged": acknowledged, "from": case.status}));
        // Received → being handled: a requester who asked to be told hears that, nothing more.
        if acknowledged {
            crate::notify::hooks::requester_news(&mut tx, case_id, now).await?;
        }
        let case = record::load(&mut tx, case_id).await?.ok_or(WorkError::NotFound)?;
        audit::record(&mut tx, entry, now).await?;
        tx.commit().await?;
        Ok(case)
    }

    /// Makes a state-machine transition.
    pub async fn transition(
        &self,
        staff: Staff<'_>,
        case_id: Uuid,
        transition: CaseTransition,
        input: TransitionInput,
    ) -> Result<CaseRecord, WorkError> {
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let (case, _) = self.open_case(&mut tx, staff, case_id).await?;
        if input.expected_version.is_some_and(|v| v != case.version) {
            return Err(changed_meanwhile());
        }
        let member_entry = match &input.member_status {
            None => None,
            Some(_) if transition != CaseTransition::Close => {
                return Err(WorkError::invalid(
                    ErrorCode::InvalidMember,
                    "A status entry for the member goes with closing the case.",
                ));
            }
            Some(request) => Some(request.entry(now.date_naive()).check().map_err(|problems| {
                WorkError::invalid(ErrorCode::InvalidMember, crate::alumni::describe(&problems))
            })?),
        };
        let rationale = input.rationale.as_deref().map(str::trim).filter(|r| !r.is_empty()).map(str::to_owned);
        if rationale.as_ref().is_some_and(|r| r.chars().count() > 5000) {
            return Err(WorkError::invalid(
                ErrorCode::InvalidRationale,
                "The rationale is too long: at most 5000 characters.",
            ));
        }
        let attempt = Attempt {
            roles: staff.roles,
            is_assignee: case.assignee == Some(staff.id),
            has_rationale: rationale.is_some(),
            has_outcome: input.outcome.is_some(),
        };
        let from = case.status;
        let to = machine::check(transition, from, attempt).map_err(|e| match e {
            machine::TransitionError::WrongRole { .. } | machine::TransitionError::NotAssignee(_) => {
                WorkError::Forbidden(capitalise(&e.to_string()))
            }
            machine::TransitionError::WrongState { .. } => WorkError::Conflict(capitalise(&e.to_string())),
            machine::TransitionError::RationaleRequired => {
                WorkError::invalid(ErrorCode::InvalidRationale, capitalise(&e.to_string()))
            }
            machine::TransitionError::OutcomeRequired => {
                WorkError::invalid(ErrorCode::InvalidOutcome, capitalise(&e.to_string()))
            }
        })?;
        let mut details = json!({"from": from, "to": to});
        match transition {
            CaseTransition::Triage => {
                let triage = input
                    .triage
                    .clone()
                    .ok_or_else(|| WorkError::invalid(ErrorCode::InvalidTriage, "Give severity and kind."))?;
                details = self.apply_triage(&mut tx, staff, &case, &triage, now).await?;
            }
            _ => self.apply_simple(&mut tx, &case, transition, input.outcome, now).await?,
        }
        if let Some(entry) = &member_entry {
            self.closing_status(&mut tx, staff, case_id, entry, now).await?;
        }
        let updated = sqlx::query!(
            "update cases set version = version + 1, updated_at = $3 where case_id = $1 and version = $2",
            case_id,
            case.version,
            now,
        )
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() == 0 {
            return Err(changed_meanwhile());
        }
        if let Some(outcome) = input.outcome {
            details["outcome"] = json!(outcome);
        }
        let action = match transition {
            CaseTransition::Acknowledge => AuditAction::CaseAcknowledged,
            CaseTransition::Triage => AuditAction::CaseTriaged,
            CaseTransition::Hold => AuditAction::CaseHeld,
            CaseTransition::Resume => AuditAction::CaseResumed,
            CaseTransition::Close => AuditAction::CaseClosed,
            CaseTransition::Reopen => AuditAction::CaseReopened,
        };
        let mut entry = NewEntry::new(Actor::Staff(staff.id), action).subject(audit_subject(&case)).details(details);
        if let Some(rationale) = rationale {
            let key = self.case_key(&mut tx, case_id).await.map_err(|e| WorkError::Internal(e.into()))?;
            entry = entry.rationale(audit::SealedRationale::for_case(&key, &rationale)?);
        }
        // A requester who asked to be told hears that their request moved on, nothing more.
        if super::portal::requester_status(from) != super::portal::requester_status(to) {
            crate::notify::hooks::requester_news(&mut tx, case_id, now).await?;
        }
        let case = record::load(&mut tx, case_id).await?.ok_or(WorkError::NotFound)?;
        audit::record(&mut tx, entry, now).await?;
        tx.commit().await?;
        Ok(case)
    }

    async fn apply_simple(
        &self,
        tx: &mut PgConnection,
        case: &CaseRecord,
        transition: CaseTransition,
        outcome: Option<Outcome>,
        now: DateTime<Utc>,
    ) -> Result<(), WorkError> {
        let next_task = self.next_task_due(tx, case.case_id).await?;
        // The state each transition leads to, as the state machine says.
        let to = machine::rule(transition).to;
        match transition {
            CaseTransition::Acknowledge => sqlx::query!(
                "update cases set status = $3, acknowledged_at = $2, next_due_at = decide_due_at where case_id = $1",
                case.case_id,
                now,
                to as _,
            )
            .execute(&mut *tx)
            .await?,
            CaseTransition::Hold => {
                sqlx::query!(
                    "update cases set status = $2, next_due_at = null where case_id = $1",
                    case.case_id,
                    to as _,
                )
                .execute(&mut *tx)
                .await?
            }
            CaseTransition::Resume | CaseTransition::Reopen => sqlx::query!(
                "update cases set status = $3, closed_at = null, outcome = null, next_due_at = $2 where case_id = $1",
                case.case_id,
                next_task,
                to as _,
            )
            .execute(&mut *tx)
            .await?,
            CaseTransition::Close => {
                sqlx::query!(
                    "update cases set status = $4, closed_at = $2, outcome = $3, next_due_at = null where case_id = $1",
                    case.case_id,
                    now,
                    outcome as _,
                    to as _,
                )
                .execute(&mut *tx)
                .await?
            }
            CaseTransition::Triage => return Err(WorkError::Internal(anyhow::anyhow!("triage has its own path"))),
        };
        if transition == CaseTransition::Close {
            // Check-ins end when the case closes.
            super::check_ins::end_with_case(tx, case.case_id, now).await?;
        }
        Ok(())
    }

    /// Sets severity, kind, playbook and assignee; recomputes the SLA clocks from intake;
    /// creates the playbook's checklist when the playbook changes. Returns audit details.
    async fn apply_triage(
        &self,
        tx: &mut PgConnection,
        staff: Staff<'_>,
        case: &CaseRecord,
        triage: &TriageInput,
        now: DateTime<Utc>,
    ) -> Result<serde_json::Value, WorkError> {
        let playbook = self.playbooks.get(triage.kind).ok_or_else(|| {
            WorkError::invalid(
                ErrorCode::InvalidTriage,
                format!("There is no playbook for {}; choose the incident kind.", triage.kind),
            )
        })?;
        let assignee = triage.assignee.or(case.assignee).or(staff.roles.contains(&Role::Handler).then_some(staff.id));
        if let Some(assignee) = assignee {
            self.check_assignable(tx, case.case_id, assignee).await?;
        }
        if assignee != case.assignee && !staff.roles.contains(&Role::Supervisor) && assignee != Some(staff.id) {
            return Err(WorkError::Forbidden("Only a supervisor assigns a case to someone else.".into()));
        }
        let deadlines = self.playbooks.deadlines(triage.kind, triage.severity);
        let playbook_changed = case.playbook_kind.as_deref() != Some(playbook.kind.as_str())
            || case.playbook_version != i32::try_from(playbook.version).ok();
        if playbook_changed {
            sqlx::query!("delete from case_task where case_id = $1 and done_at is null", case.case_id)
                .execute(&mut *tx)
                .await?;
            for (position, task) in playbook.tasks.iter().enumerate() {
                sqlx::query!(
                    "insert into case_task (task_id, case_id, position, title, role, guidance, due_at, ticked_by)
                     values ($1, $2, $3, $4, $5, $6, $7, $8)",
                    Uuid::new_v4(),
                    case.case_id,
                    i32::try_from(position).unwrap_or(i32::MAX),
                    &task.title,
                    task.role as _,
                    &task.guidance,
                    case.created_at + task.due.0,
                    task.ticked_by.map(|a| a.as_str()),
                )
                .execute(&mut *tx)
                .await?;
            }
        }
        let next_task = self.next_task_due(tx, case.case_id).await?;
        sqlx::query!(
            "update cases set status = $11, severity = $2, kind = $3, playbook_kind = $3, playbook_version = $4,
                 assignee = $5, acknowledged_at = coalesce(acknowledged_at, $6), triaged_at = coalesce(triaged_at, $6),
                 acknowledge_due_at = created_at + $7, decide_due_at = created_at + $8, disburse_due_at = created_at + $9,
                 next_due_at = $10
             where case_id = $1",
            case.case_id,
            triage.severity as _,
            triage.kind as _,
            i32::try_from(playbook.version).unwrap_or(i32::MAX),
            assignee,
            now,
            interval(deadlines.acknowledge),
            interval(deadlines.decide),
            interval(deadlines.disburse),
            next_task,
            CaseState::Active as _,
        )
        .execute(&mut *tx)
        .await?;
        Ok(json!({
            "from": case.status, "to": "active", "severity": triage.severity, "kind": triage.kind,
            "playbook_version": playbook.version, "assignee": assignee, "previous_assignee": case.assignee,
            "retriage": case.triaged_at_known(),
        }))
    }

    /// An assignee must be an active handler with no conflict on the case.
    pub(super) async fn check_assignable(
        &self,
        tx: &mut PgConnection,
        case_id: Uuid,
        staff_id: Uuid,
    ) -> Result<(), WorkError> {
        let row = sqlx::query!(
            r#"select roles as "roles: Vec<Role>", status, pending_confirmation from staff_user where staff_user_id = $1"#,
            staff_id,
        )
        .fetch_optional(&mut *tx)
        .await?;
        match row {
            // An account nobody has confirmed yet cannot sign in: no case waits on it.
            Some(row) if row.status == "active" && !row.pending_confirmation && row.roles.contains(&Role::Handler) => {}
            _ => return Err(WorkError::invalid(ErrorCode::InvalidAssignee, "The assignee must be an active handler.")),
        }
        if record::conflicted(tx, case_id, staff_id).await? {
            return Err(WorkError::invalid(
                ErrorCode::InvalidAssignee,
                "That handler declared a conflict of interest on this case.",
            ));
        }
        Ok(())
    }
}

impl CaseRecord {
    fn triaged_at_known(&self) -> bool {
        self.playbook_kind.is_some()
    }
}

fn interval(duration: chrono::Duration) -> sqlx::postgres::types::PgInterval {
    sqlx::postgres::types::PgInterval {
        months: 0,
        days: 0,
        microseconds: duration.num_microseconds().unwrap_or(i64::MAX),
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => String::new(),
    }
}
