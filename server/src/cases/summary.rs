//! Who may read a case's printable summary, and the record that they did. The scope is the
//! policy's (`policy::summary_scope`); anyone it gives nothing gets the case page's answer.

use serde_json::json;
use shelter_shared::audit::AuditAction;
use shelter_shared::staff::Role;
use uuid::Uuid;

use super::Cases;
use super::record;
use super::triage::{Staff, WorkError};
use crate::audit::{Actor, NewEntry, Subject};
use crate::policy::{self, CaseAccess, CaseFacts, SummaryScope};

impl Cases {
    /// The summary `staff` may read of `case_id`: refused as the case page refuses (a
    /// preview-only handler is told to claim it; anyone else learns nothing, not even that
    /// the case exists).
    pub async fn summary_scope(&self, staff: Staff<'_>, case_id: Uuid) -> Result<SummaryScope, WorkError> {
        let mut conn = self.db.acquire().await?;
        let case = record::load(&mut conn, case_id).await?.ok_or(WorkError::NotFound)?;
        let conflicted = record::conflicted(&mut conn, case_id, staff.id).await?;
        let access =
            policy::case_access(staff.roles, CaseFacts { is_assignee: case.assignee == Some(staff.id), conflicted });
        let has_grants =
            sqlx::query_scalar!(r#"select exists (select 1 from grants where case_id = $1) as "any!""#, case_id)
                .fetch_one(&mut *conn)
                .await?;
        let has_packets = staff.roles.contains(&Role::Partner)
            && !self.partner_case_packets(&mut conn, staff.id, case_id).await?.is_empty();
        match policy::summary_scope(staff.roles, access, conflicted, has_grants, has_packets) {
            SummaryScope::None if access == CaseAccess::Preview => {
                Err(WorkError::Forbidden("Claim the case or ask for it to be assigned to you to read it.".into()))
            }
            SummaryScope::None => Err(WorkError::NotFound),
            scope => Ok(scope),
        }
    }

    /// Records that `staff` read the case's summary, and which parts (never the content).
    pub async fn summary_read(
        &self,
        staff: Staff<'_>,
        case_id: Uuid,
        scope: SummaryScope,
        referrals: &[Uuid],
    ) -> Result<(), WorkError> {
        let scope = match scope {
            SummaryScope::Full => "full",
            SummaryScope::Finance => "finance",
            SummaryScope::Partner => "partner",
            SummaryScope::None => return Ok(()),
        };
        let mut details = json!({"scope": scope});
        if !referrals.is_empty() {
            details["referrals"] = json!(referrals);
        }
        let entry = NewEntry::new(Actor::Staff(staff.id), AuditAction::CaseSummaryRead)
            .subject(Subject { kind: "case", id: case_id.to_string() })
            .details(details);
        self.reads.append(&mut *self.db.acquire().await?, entry, self.clock.now()).await?;
        Ok(())
    }
}
