//! The purge: crypto-shredding. A case's sealed data key is destroyed and every ciphertext
//! tied to the case deleted or emptied; what statistics need stays (kind, country,
//! severity, language, needs, dates, outcome, tasks and SLA breaches, its grants' amounts,
//! categories, fund, method and ledger), and so does the audit trail: entries are never
//! rewritten, and a rationale sealed with the case key simply cannot be opened any more
//! (the chain hashes the sealed bytes, so it still verifies).
//!
//! Cases are purged in batches, each batch one transaction: the cases are locked with
//! `FOR UPDATE SKIP LOCKED`, so several processes purging at once never take the same
//! case; every case gets its audit entry in that transaction, and its line in the purge
//! log is synced to disk before the commit.

use std::path::Path;

use chrono::{DateTime, Utc};
use serde_json::json;
use shelter_shared::audit::AuditAction;
use shelter_shared::grant::GrantState;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::schedule::{self, Reason};
use super::{PurgeLog, Retention};
use crate::audit::{self, Actor, NewEntry, Subject};

/// Cases purged per transaction.
pub const BATCH: i64 = 200;

/// `each_case!(tx, ids; "statement", …)`: runs each checked statement, in order, on the
/// cases `ids` (`$1`).
macro_rules! each_case {
    ($tx:expr, $ids:expr; $($sql:literal),+ $(,)?) => {
        $(sqlx::query!($sql, $ids).execute(&mut *$tx).await?;)+
    };
}

/// What one run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct RunReport {
    /// Cases purged.
    pub purged: usize,
    /// Payments that lost their external reference after the accounting period.
    pub payment_references_erased: usize,
}

/// Grant states a purge cancels: nothing was paid, so nothing needs keeping but the ledger.
const OPEN_GRANTS: &[GrantState] = GrantState::PENDING;

/// Deletes or empties every ciphertext of `cases` and destroys their keys, in `tx`; the
/// rows must be locked by the caller. Returns the cases actually purged (those not purged
/// already and not under a legal hold), each with its audit entry.
pub(super) async fn shred(
    tx: &mut PgConnection,
    cases: &[(Uuid, Reason)],
    now: DateTime<Utc>,
    honour_holds: bool,
) -> anyhow::Result<Vec<Uuid>> {
    let ids: Vec<Uuid> = cases.iter().map(|(id, _)| *id).collect();
    // Read again under the locks: a hold placed or a purge committed since the batch was
    // chosen is seen here (placing a hold locks the case row first).
    let live = sqlx::query!(
        r#"select c.case_id,
                exists (select 1 from case_legal_hold h where h.case_id = c.case_id and h.lifted_at is null) as "held!"
         from cases c where c.case_id = any($1) and c.purged_at is null"#,
        &ids
    )
    .fetch_all(&mut *tx)
    .await?;
    let ids: Vec<Uuid> = live.into_iter().filter(|c| !honour_holds || !c.held).map(|c| c.case_id).collect();
    if ids.is_empty() {
        return Ok(ids);
    }
    // The key and the passphrase go first: from here on nothing of the case can be opened.
    sqlx::query!(
        "update cases set purged_at = $2, sealed_key = null, passphrase_hash = null, duress_hash = null, idempotency_hash = null,
                          deletion_requested_at = null, status = 'closed', outcome = coalesce(outcome, 'withdrawn'),
                          closed_at = coalesce(closed_at, $2), next_due_at = null, updated_at = $2, version = version + 1
         where case_id = any($1)",
        &ids,
        now
    )
    .execute(&mut *tx)
    .await?;
    each_case!(tx, &ids;
        "delete from case_field where case_id = any($1)",
        "delete from case_message where case_id = any($1)",
        "delete from case_note where case_id = any($1)",
        "delete from case_attachment where case_id = any($1)",
        "delete from intake_receipt where case_id = any($1)",
        "delete from requester_session where case_id = any($1)",
        "delete from case_legal_hold where case_id = any($1)",
        "update check_in_schedule set safe_word_hash = null where case_id = any($1)",
        // The requester's address for news, and any news not yet sent to it.
        "delete from requester_notice_contact where case_id = any($1)",
        "with waiting as (delete from notice_delivery where requester_case_id = any($1) and status = 'pending'
                          returning delivery_id)
         delete from notice_attempt where delivery_id in (select delivery_id from waiting)",
        // Referral packets, answers, purposes and threads: the partner's copy goes too.
        "delete from referral_message where referral_id in (select referral_id from referral where case_id = any($1))",
        "delete from referral where case_id = any($1)",
        // The registry outlives the case, and the member's key outlives the case key, so what
        // a case wrote on its member's timeline would survive the shredding: the entries keep
        // their status and date (the member's history, which the registry keeps and every
        // reader may see) and lose their source, their note and their case. The link goes
        // too: it is the last row saying whom the case concerned.
        "update alumni_status set source_sealed = null, note_sealed = null, case_id = null where case_id = any($1)",
        "delete from alumni_case_link where case_id = any($1)",
        // Which staff member opened the case when: nothing anyone needs once it is purged.
        "delete from case_view where case_id = any($1)",
    );
    purge_vouching(tx, &ids).await?;
    let cancelled = cancel_open_grants(tx, &ids, now).await?;
    // The financial record stays without payee details, purpose, vouchers or report.
    sqlx::query!(
        "update grants set payee_sealed = null, purpose_sealed = null, vouchers_sealed = null, report_sealed = null,
                           payee_alias = '(purged)', updated_at = $2, version = version + 1
         where case_id = any($1)",
        &ids,
        now
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "update grant_decision set rationale = null, rationale_sealed = null, rationale_shredded = true
         where grant_id in (select grant_id from grants where case_id = any($1))",
        &ids
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "update grant_decision_voided set rationale = null, rationale_sealed = null
         where grant_id in (select grant_id from grants where case_id = any($1))
           and (rationale is not null or rationale_sealed is not null)",
        &ids
    )
    .execute(&mut *tx)
    .await?;
    let entries = cases
        .iter()
        .filter(|(id, _)| ids.contains(id))
        .map(|(id, reason)| {
            let grants: Vec<String> =
                cancelled.iter().filter(|(case, _)| case == id).map(|(_, grant)| grant.to_string()).collect();
            NewEntry::new(Actor::System, AuditAction::CasePurged)
                .subject(Subject { kind: "case", id: id.to_string() })
                .details(json!({"reason": reason.as_str(), "grants_cancelled": grants}))
        })
        .collect();
    audit::record_all(&mut *tx, entries, now).await?;
    Ok(ids)
}

/// Cancels the unpaid grants of `cases`, releasing what they reserved; returns (case, grant).
async fn cancel_open_grants(
    tx: &mut PgConnection,
    cases: &[Uuid],
    now: DateTime<Utc>,
) -> anyhow::Result<Vec<(Uuid, Uuid)>> {
    sqlx::query!(
        "insert into fund_entry (fund_id, grant_id, kind, amount_minor, created_by, created_at)
         select g.fund_id, g.grant_id, 'release', g.fund_amount_minor, null, $3 from grants g
         where g.case_id = any($1) and g.status = any($2)
           and exists (select 1 from fund_entry e where e.grant_id = g.grant_id and e.kind = 'reservation')
           and not exists (select 1 from fund_entry e where e.grant_id = g.grant_id and e.kind = 'release')",
        cases,
        OPEN_GRANTS as _,
        now
    )
    .execute(&mut *tx)
    .await?;
    let cancelled = sqlx::query!(
        "update grants set status = $4, updated_at = $3, version = version + 1
         where case_id = any($1) and status = any($2) returning case_id, grant_id",
        cases,
        OPEN_GRANTS as _,
        now,
        GrantState::Cancelled as _
    )
    .fetch_all(&mut *tx)
    .await?;
    Ok(cancelled.into_iter().map(|g| (g.case_id, g.grant_id)).collect())
}

impl Retention {
    /// Purges one batch of due cases; returns how many. Zero means nothing is due (or every
    /// due case is being purged by another process right now).
    pub async fn purge_batch(&self) -> anyhow::Result<usize> {
        let now = self.clock.now();
        let cutoffs = self.schedule.cutoffs(now);
        let mut tx = self.db.begin().await?;
        let due = schedule::due(&mut tx, &cutoffs, BATCH, true).await?;
        if due.is_empty() {
            return Ok(0);
        }
        let cases: Vec<(Uuid, Reason)> = due.iter().map(|c| (c.case_id, c.reason(&cutoffs))).collect();
        let purged = shred(&mut tx, &cases, now, true).await?;
        // On disk before the commit: a crash in between leaves a listed case that a
        // re-application purges, never a purged case the log does not know.
        self.log.append(&purged, now).await?;
        tx.commit().await?;
        tracing::info!(cases = purged.len(), "purged cases whose retention ended");
        Ok(purged.len())
    }

    /// Purges every due case, batch after batch, then erases payment references whose
    /// accounting period ended. The same as `shelter retention run`.
    pub async fn run(&self) -> anyhow::Result<RunReport> {
        let mut report = RunReport::default();
        loop {
            let purged = self.purge_batch().await?;
            report.purged += purged;
            if purged == 0 {
                break;
            }
        }
        report.payment_references_erased = self.erase_payment_references().await?;
        Ok(report)
    }
}

/// Re-applies the purge log at `log` after a restore: purges every case it lists that is
/// still present and not purged, whatever its schedule or legal hold says now (the log
/// records decisions already carried out; a hold in an older backup was lifted before the
/// purge, or the case would not be listed). Each case is audited (`case.purged`, reason
/// `reapplied`) in the transaction that purges it; cases absent from the database (filed
/// after the backup was taken) are skipped; the log itself is not changed. Returns how
/// many cases were purged; running it again returns 0. Call it after `shelter backup
/// restore` and before serving, with the same master key directory's log.
pub async fn reapply_purge_log(pool: &PgPool, log: &Path, now: DateTime<Utc>) -> anyhow::Result<usize> {
    let listed: Vec<Uuid> = PurgeLog::new(log.to_path_buf()).read()?.into_keys().collect();
    let mut purged = 0;
    for chunk in listed.chunks(usize::try_from(BATCH).unwrap_or(200)) {
        let mut tx = pool.begin().await?;
        let present = sqlx::query_scalar!(
            "select case_id from cases where case_id = any($1) and purged_at is null order by case_id for update",
            chunk
        )
        .fetch_all(&mut *tx)
        .await?;
        let cases: Vec<(Uuid, Reason)> = present.into_iter().map(|id| (id, Reason::Reapplied)).collect();
        purged += shred(&mut tx, &cases, now, false).await?.len();
        tx.commit().await?;
    }
    Ok(purged)
}

/// Vouching goes whole: the question, the comments, who was asked and what they answered
/// (a row naming a member beside a purged case would say whom it concerned), and any link
/// not yet sent. The audit trail keeps its entries, which name the invite only.
async fn purge_vouching(tx: &mut PgConnection, ids: &[Uuid]) -> sqlx::Result<()> {
    each_case!(tx, ids;
        "delete from notice_attempt where delivery_id in (
             select d.delivery_id from notice_delivery d join vouch_invite i on i.invite_id = d.vouch_invite_id
                  join vouch_request r using (vouch_request_id)
             where r.case_id = any($1))",
        // The invites and their deliveries go with the requests (on delete cascade).
        "delete from vouch_request where case_id = any($1)",
    );
    Ok(())
}
