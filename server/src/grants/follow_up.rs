//! After payment: receipt confirmed (by the requester, or recorded by the handler), a use
//! window, a short report; and the clock that freezes unratified provisional approvals and
//! records reminders when a receipt or a report is due.

use serde_json::json;
use shelter_shared::api::ErrorCode;
use shelter_shared::audit::AuditAction;
use shelter_shared::grant::{self as machine, Approvals, GrantActor, GrantState, GrantTransition};
use shelter_shared::intake::clean;
use uuid::Uuid;

use super::decide::refused;
use super::{Also, GrantRow, Grants, ReceiptBy, field};
use crate::audit::Actor;
use crate::cases::portal::RequesterSession;
use crate::cases::triage::{Staff, WorkError};
use crate::policy::CaseAccess;

/// Who records a receipt or a report.
#[derive(Debug, Clone, Copy)]
pub enum Reporter<'a> {
    /// The case's handler (or a supervisor).
    Staff(Staff<'a>),
    /// The requester, in the portal.
    Requester(&'a RequesterSession),
}

const NONE: Approvals = Approvals { given: 0, needed: 1, provisional: false };

impl Grants {
    /// Checks who may act on the grant's case; returns the audit actor and the machine's actor.
    async fn reporter(
        &self,
        tx: &mut sqlx::PgConnection,
        who: Reporter<'_>,
        row: &GrantRow,
    ) -> Result<(Actor, GrantActor), WorkError> {
        match who {
            // The calm view shows no grants: a calm session acts on none.
            Reporter::Requester(session) if session.case_id == row.case_id && session.calm.is_none() => {
                Ok((Actor::Requester(session.reference.clone()), GrantActor::Requester))
            }
            Reporter::Requester(_) => Err(WorkError::NotFound),
            Reporter::Staff(staff) => {
                let (_, access) = self.cases.open_case(tx, staff, row.case_id).await?;
                if access != CaseAccess::Full {
                    return Err(WorkError::NotFound);
                }
                Ok((Actor::Staff(staff.id), GrantActor::Handler))
            }
        }
    }

    /// Receipt confirmed: the use window starts.
    pub async fn confirm_receipt(
        &self,
        who: Reporter<'_>,
        grant_id: Uuid,
        note: Option<&str>,
    ) -> Result<(), WorkError> {
        let note = note.map(clean).filter(|n| !n.is_empty());
        if note.as_ref().is_some_and(|n| n.chars().count() > 2000) {
            return Err(WorkError::invalid(ErrorCode::InvalidNote, "A note may have up to 2000 characters."));
        }
        let mut tx = self.cases.db.begin().await?;
        let row = self.lock(&mut tx, grant_id).await?;
        let (actor, machine_actor) = self.reporter(&mut tx, who, &row).await?;
        let from = row.status;
        let to = machine::next(from, GrantTransition::ConfirmReceipt, machine_actor, NONE).map_err(refused)?;
        let by = if matches!(who, Reporter::Requester(_)) { ReceiptBy::Requester } else { ReceiptBy::Staff };
        let use_until = self.now() + self.rules.use_window;
        self.move_to(&mut tx, &row, to, Also::Receipt { by, use_until }).await?;
        let details = json!({"grant": grant_id, "by": by.as_str(), "note": note.is_some()});
        self.audit(&mut tx, actor, AuditAction::GrantReceiptConfirmed, &row, note.as_deref(), details).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The short report on how the grant was used, sealed with the case key.
    pub async fn report(&self, who: Reporter<'_>, grant_id: Uuid, report: &str) -> Result<(), WorkError> {
        let report = clean(report);
        if report.is_empty() || report.chars().count() > 5000 {
            return Err(WorkError::invalid(ErrorCode::InvalidReport, "Write the report in 1 to 5000 characters."));
        }
        let mut tx = self.cases.db.begin().await?;
        let row = self.lock(&mut tx, grant_id).await?;
        let (actor, machine_actor) = self.reporter(&mut tx, who, &row).await?;
        let from = row.status;
        let to = machine::next(from, GrantTransition::Report, machine_actor, NONE).map_err(refused)?;
        let sealed = self.key(&mut tx, row.case_id).await?.seal(&field("report", grant_id), report.as_bytes())?;
        sqlx::query!("update grants set report_sealed = $2 where grant_id = $1", grant_id, sealed)
            .execute(&mut *tx)
            .await?;
        self.move_to(&mut tx, &row, to, Also::Reported).await?;
        let by = if matches!(who, Reporter::Requester(_)) { "requester" } else { "staff" };
        self.audit(&mut tx, actor, AuditAction::GrantReported, &row, None, json!({"grant": grant_id, "by": by}))
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Freezes provisional approvals left unratified past their deadline, and records once
    /// each: a payment made on an unratified approval, a receipt 14 days unconfirmed, a
    /// report past its use window. Returns how many grants it touched. A purged case's
    /// grants are left out: nobody can act on them any more.
    pub async fn tick(&self) -> Result<usize, WorkError> {
        let now = self.now();
        let mut touched = 0;
        let overdue = sqlx::query_scalar!(
            "select grant_id from grants where status = $1 and ratify_due_at < $2",
            GrantState::ProvisionallyApproved as _,
            now
        )
        .fetch_all(&self.cases.db)
        .await?;
        for grant_id in overdue {
            let mut tx = self.cases.db.begin().await?;
            let row = self.lock(&mut tx, grant_id).await?;
            let Ok(to) = machine::next(row.status, GrantTransition::Freeze, GrantActor::System, NONE) else {
                continue;
            };
            self.move_to(&mut tx, &row, to, Also::Nothing).await?;
            let details = json!({"grant": grant_id, "ratify_due_at": row.ratify_due_at});
            self.audit(&mut tx, Actor::System, AuditAction::GrantFrozen, &row, None, details).await?;
            crate::notify::hooks::grant_frozen(&mut tx, row.case_id, now).await?;
            tx.commit().await?;
            touched += 1;
        }
        // Each reminder is recorded once: the update marks the grants it returns.
        let paid = GrantState::PAID;
        let receipt_cutoff = now - self.rules.receipt_within;
        for action in [AuditAction::GrantRatificationOverdue, AuditAction::GrantReceiptDue, AuditAction::GrantReportDue]
        {
            let mut tx = self.cases.db.begin().await?;
            let ids: Vec<Uuid> = match action {
                AuditAction::GrantRatificationOverdue => {
                    sqlx::query_scalar!(
                        "update grants set overdue_alerted_at = $1 where provisional and ratified_at is null
                           and ratify_due_at < $1 and overdue_alerted_at is null
                           and status = any($2)
                           and not exists (select 1 from cases c where c.case_id = grants.case_id and c.purged_at is not null)
                         returning grant_id",
                        now,
                        paid as _
                    )
                    .fetch_all(&mut *tx)
                    .await?
                }
                AuditAction::GrantReceiptDue => {
                    sqlx::query_scalar!(
                        "update grants g set reminded_at = $1 from disbursement d
                          where d.grant_id = g.grant_id and g.status = $3 and g.reminded_at is null
                            and d.created_at < $2
                            and not exists (select 1 from cases c where c.case_id = g.case_id and c.purged_at is not null)
                          returning g.grant_id",
                        now,
                        receipt_cutoff,
                        GrantState::Disbursed as _
                    )
                    .fetch_all(&mut *tx)
                    .await?
                }
                _ => {
                    sqlx::query_scalar!(
                        "update grants set reminded_at = $1 where status = $2 and use_until < $1
                           and (reminded_at is null or reminded_at < use_until)
                           and not exists (select 1 from cases c where c.case_id = grants.case_id and c.purged_at is not null)
                         returning grant_id",
                        now,
                        GrantState::ReceiptConfirmed as _
                    )
                    .fetch_all(&mut *tx)
                    .await?
                }
            };
            for grant_id in &ids {
                let row = self.load(&mut tx, *grant_id).await?;
                self.audit(&mut tx, Actor::System, action, &row, None, json!({"grant": grant_id})).await?;
                if action == AuditAction::GrantRatificationOverdue {
                    crate::notify::hooks::grant_frozen(&mut tx, row.case_id, now).await?;
                } else {
                    crate::notify::hooks::grant_follow_up_overdue(&mut tx, row.case_id, now).await?;
                }
            }
            tx.commit().await?;
            touched += ids.len();
        }
        Ok(touched)
    }
}

impl Grants {
    /// Checks the SLA clocks and the grant clocks every `every` until the server stops.
    pub fn spawn_clock(self: std::sync::Arc<Self>, every: std::time::Duration) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            let mut ticker = tokio::time::interval(every);
            loop {
                ticker.tick().await;
                match self.cases.detect_breaches().await {
                    Ok(0) => {}
                    Ok(n) => tracing::warn!(breaches = n, "SLA deadlines passed unmet"),
                    Err(error) => tracing::warn!(error = format!("{error:#}"), "could not check SLA clocks"),
                }
                match self.tick().await {
                    Ok(0) => {}
                    Ok(n) => tracing::warn!(grants = n, "grants frozen or due for receipt or report"),
                    Err(error) => tracing::warn!(error = format!("{error:#}"), "could not check grant clocks"),
                }
            }
        })
    }
}
