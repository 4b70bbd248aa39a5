//! The grants waiting on one person, for their home page: each pending grant asked of the
//! same policy that authorises the move (`GrantContext::moves`), so the home never lists a
//! grant its reader may not decide on or pay (their own proposal, a grant they hold another
//! hand on, a case they are conflicted on).

use shelter_shared::grant::{GrantCategory, GrantState};
use shelter_shared::staff::Role;
use uuid::Uuid;

use super::{Grants, grant_rows};
use crate::cases::triage::{Staff, WorkError};
use crate::policy::{CaseAccess, GrantMove};

/// What a grant waits for from its reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrantStep {
    /// A decision: approve, ratify or reject.
    Decide,
    /// The payment.
    Pay,
}

/// A grant waiting on its reader.
#[derive(Debug, Clone)]
pub struct GrantWaiting {
    /// The grant.
    pub grant_id: Uuid,
    /// Its case's reference, for a reader who sees the case.
    pub case_reference: Option<String>,
    /// What it is for.
    pub category: GrantCategory,
    /// What it waits for.
    pub step: GrantStep,
}

/// At most this many pending grants are asked about per page view.
const LOOK_AT: i64 = 200;

impl Grants {
    /// The grants `staff` may decide on or pay now, oldest first.
    pub async fn waiting_on(&self, staff: Staff<'_>) -> Result<Vec<GrantWaiting>, WorkError> {
        if !staff.roles.iter().any(|r| matches!(r, Role::Supervisor | Role::Finance)) {
            // Nobody else decides or pays: no need to ask about each grant.
            return Ok(vec![]);
        }
        let mut conn = self.cases.db.acquire().await?;
        let rows = grant_rows!(
            "where g.status = any($1) or (g.provisional and g.ratified_at is null and g.status = any($2))
             order by g.created_at limit $3",
            GrantState::PENDING as _,
            GrantState::PAID as _,
            LOOK_AT,
        )
        .fetch_all(&mut *conn)
        .await?;
        let mut waiting = vec![];
        for row in rows {
            let context = self.context(&mut conn, &row, staff.id).await?;
            let moves = context.moves(&row, staff);
            let step = if moves
                .iter()
                .any(|m| matches!(m, GrantMove::Approve | GrantMove::ApproveProvisionally | GrantMove::Reject))
            {
                GrantStep::Decide
            } else if moves.contains(&GrantMove::Disburse) {
                GrantStep::Pay
            } else {
                continue;
            };
            let case_reference = if context.case_access(staff) == CaseAccess::Full {
                sqlx::query_scalar!("select reference from cases where case_id = $1", row.case_id)
                    .fetch_optional(&mut *conn)
                    .await?
            } else {
                None
            };
            waiting.push(GrantWaiting { grant_id: row.grant_id, case_reference, category: row.category, step });
        }
        Ok(waiting)
    }
}
