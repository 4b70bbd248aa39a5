//! SLA clocks: a background task finds deadlines passed unmet (acknowledge, decide, and
//! disburse while a grant is still unpaid) and records each breach exactly once (a primary
//! key on case and clock), with its audit entry.

use chrono::{DateTime, Utc};
use serde_json::json;
use shelter_shared::audit::AuditAction;
use shelter_shared::case::CaseState;
use shelter_shared::grant::GrantState;
use uuid::Uuid;

use super::Cases;
use crate::audit::{self, Actor, NewEntry, Subject};

/// Breaches recorded per transaction: each holds the audit chain's lock while it writes its
/// entries, so a backlog (thousands of deadlines passed during an outage) is worked off in
/// short transactions instead of one that stalls every audited action for minutes.
const BATCH: i64 = 100;

impl Cases {
    /// Records every newly breached acknowledge, decide or disburse deadline; returns how many.
    pub async fn detect_breaches(&self) -> anyhow::Result<usize> {
        let mut total = 0;
        loop {
            let recorded = self.record_breaches(BATCH).await?;
            total += recorded;
            if recorded < usize::try_from(BATCH).unwrap_or(usize::MAX) {
                return Ok(total);
            }
        }
    }

    /// Records up to `limit` newly breached deadlines, each with its audit entry and notice,
    /// in one transaction; returns how many.
    async fn record_breaches(&self, limit: i64) -> anyhow::Result<usize> {
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let breached = sqlx::query!(
            "insert into sla_breach (case_id, clock, due_at, detected_at)
             select case_id, clock, due_at, $1 from (
                 select case_id, 'acknowledge' as clock, acknowledge_due_at as due_at from cases
                  where acknowledged_at is null and status = $3 and acknowledge_due_at < $1
                 union all
                 select case_id, 'decide', decide_due_at from cases
                  where triaged_at is null and status = any($4) and decide_due_at < $1
                 union all
                 select c.case_id, 'disburse', c.disburse_due_at from cases c
                  where c.disburse_due_at < $1 and exists (
                        select 1 from grants g where g.case_id = c.case_id and g.status = any($5))) due
             where not exists (select 1 from sla_breach b where b.case_id = due.case_id and b.clock = due.clock)
             limit $2
             on conflict (case_id, clock) do nothing
             returning case_id, clock, due_at",
            now,
            limit,
            CaseState::New as _,
            CaseState::UNTRIAGED as _,
            GrantState::PENDING as _,
        )
        .fetch_all(&mut *tx)
        .await?;
        for row in &breached {
            let (case_id, clock, due_at) = (&row.case_id, &row.clock, &row.due_at);
            let entry = NewEntry::new(Actor::System, AuditAction::SlaBreached)
                .subject(Subject { kind: "case", id: case_id.to_string() })
                .details(json!({"clock": clock, "due_at": due_at}));
            audit::record(&mut tx, entry, now).await?;
            crate::notify::hooks::sla_breached(&mut tx, *case_id, clock, now).await?;
        }
        tx.commit().await?;
        Ok(breached.len())
    }
}

/// A breach as supervisors see it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Breach {
    /// Case.
    pub case_id: Uuid,
    /// `acknowledge`, `decide` or `disburse`.
    pub clock: String,
    /// The deadline.
    pub due_at: DateTime<Utc>,
    /// When it was noticed.
    pub detected_at: DateTime<Utc>,
    /// The case's state now.
    pub status: CaseState,
}

impl Cases {
    /// Breaches of cases still open, newest first, leaving out cases `reader` is conflicted on.
    pub async fn open_breaches(&self, reader: uuid::Uuid) -> anyhow::Result<Vec<Breach>> {
        Ok(sqlx::query_as!(
            Breach,
            r#"select b.case_id, b.clock, b.due_at, b.detected_at, c.status as "status: CaseState"
             from sla_breach b join cases c using (case_id)
             where c.status <> $2
               and not exists (select 1 from case_conflict x where x.case_id = b.case_id and x.staff_user_id = $1)
             order by b.detected_at desc limit 200"#,
            reader,
            CaseState::Closed as _,
        )
        .fetch_all(&self.db)
        .await?)
    }
}
