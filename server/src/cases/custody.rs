//! Custody mode: a handler or supervisor marks a case "the requester may be detained or
//! their device seized", with a rationale. While it lasts, every portal sign-in sees the
//! calm view ([`super::portal::Calm::Custody`]): messages are marked as possibly not from
//! the requester, new files are held back unopened, every sign-in attempt alerts the
//! handler, the requester's news stops and consent cannot be given from the portal.
//! Lifting it needs a supervisor and a rationale. The policy decides who
//! ([`Action::SetCustody`], [`Action::LiftCustody`]); this service enforces it.

use serde_json::json;
use shelter_shared::api::ErrorCode;
use shelter_shared::audit::AuditAction;
use sqlx::PgConnection;
use uuid::Uuid;

use super::Cases;
use super::triage::{Staff, WorkError};
use crate::audit::{self, Actor, NewEntry, SealedRationale, Subject};
use crate::policy::{self, Action};

/// Longest rationale, in characters.
const RATIONALE_MAX: usize = 5_000;

/// A written rationale, trimmed; refused when empty or too long.
pub fn rationale(text: &str) -> Result<&str, WorkError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(WorkError::invalid(ErrorCode::InvalidRationale, "Write a rationale: why, in a few words."));
    }
    if text.chars().count() > RATIONALE_MAX {
        return Err(WorkError::invalid(
            ErrorCode::InvalidRationale,
            format!("A rationale has at most {RATIONALE_MAX} characters."),
        ));
    }
    Ok(text)
}

/// Whether the case is in custody mode now.
pub async fn in_custody(conn: &mut PgConnection, case_id: Uuid) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"select exists (select 1 from case_custody where case_id = $1 and lifted_at is null) as "exists!""#,
        case_id,
    )
    .fetch_one(conn)
    .await
}

/// Locks the case row so that two changes of its custody never cross.
async fn lock_case(tx: &mut PgConnection, case_id: Uuid) -> Result<(), WorkError> {
    let found = sqlx::query_scalar!("select case_id from cases where case_id = $1 for update", case_id)
        .fetch_optional(&mut *tx)
        .await?;
    found.map(|_| ()).ok_or(WorkError::NotFound)
}

impl Cases {
    /// A handler (of their own case) or a supervisor puts the case in custody mode.
    pub async fn set_custody(&self, staff: Staff<'_>, case_id: Uuid, text: &str) -> Result<Uuid, WorkError> {
        policy::authorize(staff.roles, Action::SetCustody)
            .map_err(|_| WorkError::Forbidden("Only the case's handler or a supervisor sets custody mode.".into()))?;
        let text = rationale(text)?;
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        lock_case(&mut tx, case_id).await?;
        self.full_access(&mut tx, staff, case_id).await?;
        if in_custody(&mut tx, case_id).await? {
            return Err(WorkError::Conflict("This case is already in custody mode.".into()));
        }
        let custody_id = Uuid::new_v4();
        sqlx::query!(
            "insert into case_custody (custody_id, case_id, set_by, set_at) values ($1, $2, $3, $4)",
            custody_id,
            case_id,
            staff.id,
            now,
        )
        .execute(&mut *tx)
        .await?;
        let key = self.case_key(&mut tx, case_id).await.map_err(|e| WorkError::Internal(e.into()))?;
        let entry = NewEntry::new(Actor::Staff(staff.id), AuditAction::CustodySet)
            .subject(Subject { kind: "case", id: case_id.to_string() })
            .rationale(SealedRationale::for_case(&key, text)?)
            .details(json!({"custody": custody_id}));
        audit::record(&mut tx, entry, now).await?;
        tx.commit().await?;
        Ok(custody_id)
    }

    /// A supervisor lifts custody mode, with a rationale.
    pub async fn lift_custody(&self, staff: Staff<'_>, case_id: Uuid, text: &str) -> Result<(), WorkError> {
        policy::authorize(staff.roles, Action::LiftCustody)
            .map_err(|_| WorkError::Forbidden("Only a supervisor lifts custody mode.".into()))?;
        let text = rationale(text)?;
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        lock_case(&mut tx, case_id).await?;
        self.full_access(&mut tx, staff, case_id).await?;
        let hands = sqlx::query!(
            "select k.set_by, c.assignee from case_custody k join cases c using (case_id)
             where k.case_id = $1 and k.lifted_at is null",
            case_id,
        )
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(hands) = hands {
            policy::may_lift_custody(staff.roles, staff.id, hands.assignee, hands.set_by)
                .map_err(WorkError::Forbidden)?;
        }
        let lifted = sqlx::query_scalar!(
            "update case_custody set lifted_by = $2, lifted_at = $3 where case_id = $1 and lifted_at is null
             returning custody_id",
            case_id,
            staff.id,
            now,
        )
        .fetch_optional(&mut *tx)
        .await?;
        let custody_id = lifted.ok_or(WorkError::Conflict("This case is not in custody mode.".into()))?;
        // Sessions opened while in custody may be someone else's: they end, and must not
        // turn into the real view now.
        let ended = sqlx::query!(
            "update requester_session set ended_at = $2 where case_id = $1 and ended_at is null",
            case_id,
            now,
        )
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let key = self.case_key(&mut tx, case_id).await.map_err(|e| WorkError::Internal(e.into()))?;
        let entry = NewEntry::new(Actor::Staff(staff.id), AuditAction::CustodyLifted)
            .subject(Subject { kind: "case", id: case_id.to_string() })
            .rationale(SealedRationale::for_case(&key, text)?)
            .details(json!({"custody": custody_id, "sessions_ended": ended}));
        audit::record(&mut tx, entry, now).await?;
        tx.commit().await?;
        Ok(())
    }
}
