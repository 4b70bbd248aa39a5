//! The accounting period. A purged case's grants keep their financial record (amounts,
//! currency, category, fund, country, method, dates, ledger) without payee details, for
//! the accounts. When the accounting period after a payment ends, the payment's external
//! reference is erased as well: with the bank's or the provider's records it would still
//! lead to the payee. The amounts, categories, fund and method stay for good as
//! statistics: they say nothing about anyone.

use serde_json::json;
use shelter_shared::audit::AuditAction;
use uuid::Uuid;

use super::Retention;
use crate::audit::{self, Actor, NewEntry, Subject};

impl Retention {
    /// Erases the external reference of every purged case's payment made before the
    /// accounting period; audited per payment, in batches. Returns how many.
    pub async fn erase_payment_references(&self) -> anyhow::Result<usize> {
        let now = self.clock.now();
        let cutoff = self.schedule.cutoffs(now).accounts.date_naive();
        let mut erased = 0;
        loop {
            let mut tx = self.db.begin().await?;
            let due: Vec<(Uuid, Uuid)> = sqlx::query!(
                "select d.disbursement_id, d.grant_id from disbursement d
                 join grants g using (grant_id) join cases c on c.case_id = g.case_id
                 where d.external_reference <> 'erased' and d.paid_on < $1 and c.purged_at is not null
                 order by d.paid_on limit 200
                 for update of d skip locked",
                cutoff
            )
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .map(|r| (r.disbursement_id, r.grant_id))
            .collect();
            if due.is_empty() {
                return Ok(erased);
            }
            let ids: Vec<Uuid> = due.iter().map(|(id, _)| *id).collect();
            sqlx::query!("update disbursement set external_reference = 'erased' where disbursement_id = any($1)", &ids)
                .execute(&mut *tx)
                .await?;
            let entries = due
                .iter()
                .map(|(_, grant)| {
                    NewEntry::new(Actor::System, AuditAction::PaymentReferenceErased)
                        .subject(Subject { kind: "grant", id: grant.to_string() })
                        .details(json!({"grant": grant}))
                })
                .collect();
            audit::record_all(&mut tx, entries, now).await?;
            tx.commit().await?;
            erased += due.len();
        }
    }
}
