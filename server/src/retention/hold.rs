//! Legal holds: a supervisor holds a case (with a written rationale, sealed with the case
//! key like every rationale) so that it is not purged; a second, different supervisor
//! lifts it, after a step-up. The policy decides ([`policy::may_lift_hold`]); this
//! service enforces it, and pages ask the same function which buttons to show.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::json;
use shelter_shared::api::ErrorCode;
use shelter_shared::audit::AuditAction;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::audit::{self, Actor, NewEntry, SealedRationale, Subject};
use crate::cases::Cases;
use crate::cases::triage::{Staff, WorkError};
use crate::policy::{self, Action};

/// Longest rationale, in characters.
const RATIONALE_MAX: usize = 5_000;

/// A live legal hold.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Hold {
    /// Id.
    pub hold_id: Uuid,
    /// The held case.
    pub case_id: Uuid,
    /// Its reference.
    pub reference: String,
    /// Who placed it.
    pub placed_by: Uuid,
    /// Their name.
    pub placed_by_name: String,
    /// When.
    pub placed_at: DateTime<Utc>,
}

fn rationale(text: &str) -> Result<&str, WorkError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(WorkError::invalid(ErrorCode::InvalidRationale, "A legal hold needs a written rationale."));
    }
    if text.chars().count() > RATIONALE_MAX {
        return Err(WorkError::invalid(
            ErrorCode::InvalidRationale,
            format!("A rationale has at most {RATIONALE_MAX} characters."),
        ));
    }
    Ok(text)
}

/// Locks the case row: the purge locks it too, so a hold and a purge never cross.
async fn lock_case(tx: &mut PgConnection, case_id: Uuid) -> Result<(), WorkError> {
    let purged = sqlx::query_scalar!("select purged_at from cases where case_id = $1 for update", case_id)
        .fetch_optional(&mut *tx)
        .await?;
    match purged {
        None => Err(WorkError::NotFound),
        Some(Some(_)) => Err(WorkError::Conflict("This case was purged; there is nothing left to hold.".into())),
        Some(None) => Ok(()),
    }
}

/// The live hold on `case_id`, locked.
async fn live_hold(tx: &mut PgConnection, case_id: Uuid) -> sqlx::Result<Option<(Uuid, Uuid)>> {
    let hold = sqlx::query!(
        "select hold_id, placed_by from case_legal_hold where case_id = $1 and lifted_at is null for update",
        case_id
    )
    .fetch_optional(tx)
    .await?;
    Ok(hold.map(|h| (h.hold_id, h.placed_by)))
}

/// The live hold on a case, if any: (hold id, who placed it).
pub async fn hold_of(conn: &mut PgConnection, case_id: Uuid) -> sqlx::Result<Option<(Uuid, Uuid)>> {
    let hold = sqlx::query!(
        "select hold_id, placed_by from case_legal_hold where case_id = $1 and lifted_at is null",
        case_id
    )
    .fetch_optional(conn)
    .await?;
    Ok(hold.map(|h| (h.hold_id, h.placed_by)))
}

/// Every live hold on a case `viewer` may know of (a declared conflict hides it), oldest first.
pub async fn holds(conn: &mut PgConnection, viewer: Uuid) -> sqlx::Result<Vec<Hold>> {
    sqlx::query_as!(
        Hold,
        "select h.hold_id, h.case_id, c.reference, h.placed_by, u.display_name as placed_by_name, h.placed_at
         from case_legal_hold h join cases c using (case_id) join staff_user u on u.staff_user_id = h.placed_by
         where h.lifted_at is null
           and not exists (select 1 from case_conflict k where k.case_id = h.case_id and k.staff_user_id = $1)
         order by h.placed_at, h.hold_id",
        viewer
    )
    .fetch_all(conn)
    .await
}

impl Cases {
    /// A supervisor places a legal hold on a case they may see; audited with its rationale.
    pub async fn place_legal_hold(&self, staff: Staff<'_>, case_id: Uuid, text: &str) -> Result<Uuid, WorkError> {
        policy::authorize(staff.roles, Action::PlaceLegalHold)
            .map_err(|_| WorkError::Forbidden("Only supervisors place legal holds.".into()))?;
        let text = rationale(text)?;
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        lock_case(&mut tx, case_id).await?;
        self.open_case(&mut tx, staff, case_id).await?;
        if live_hold(&mut tx, case_id).await?.is_some() {
            return Err(WorkError::Conflict("This case is already under a legal hold.".into()));
        }
        let key = self.case_key(&mut tx, case_id).await.map_err(|e| WorkError::Internal(e.into()))?;
        let hold_id = Uuid::new_v4();
        sqlx::query!(
            "insert into case_legal_hold (hold_id, case_id, placed_by, placed_at, rationale_sealed)
             values ($1, $2, $3, $4, $5)",
            hold_id,
            case_id,
            staff.id,
            now,
            key.seal(&format!("legal-hold:{hold_id}"), text.as_bytes())?
        )
        .execute(&mut *tx)
        .await?;
        let entry = NewEntry::new(Actor::Staff(staff.id), AuditAction::LegalHoldPlaced)
            .subject(Subject { kind: "case", id: case_id.to_string() })
            .rationale(SealedRationale::for_case(&key, text)?)
            .details(json!({"hold": hold_id}));
        audit::record(&mut tx, entry, now).await?;
        tx.commit().await?;
        Ok(hold_id)
    }

    /// A second supervisor lifts the case's legal hold, after a step-up; audited with its
    /// rationale. The case is then purged when its schedule says so.
    pub async fn lift_legal_hold(&self, staff: Staff<'_>, case_id: Uuid, text: &str) -> Result<(), WorkError> {
        policy::authorize(staff.roles, Action::LiftLegalHold)
            .map_err(|_| WorkError::Forbidden("Only supervisors lift legal holds.".into()))?;
        let text = rationale(text)?;
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        lock_case(&mut tx, case_id).await?;
        self.open_case(&mut tx, staff, case_id).await?;
        let (hold_id, placed_by) =
            live_hold(&mut tx, case_id).await?.ok_or(WorkError::Conflict("This case has no legal hold.".into()))?;
        policy::may_lift_hold(staff.roles, staff.id, placed_by).map_err(WorkError::Forbidden)?;
        if policy::needs_step_up(Action::LiftLegalHold) {
            staff.require_step_up(now)?;
        }
        let key = self.case_key(&mut tx, case_id).await.map_err(|e| WorkError::Internal(e.into()))?;
        sqlx::query!(
            "update case_legal_hold set lifted_by = $2, lifted_at = $3, lift_rationale_sealed = $4 where hold_id = $1",
            hold_id,
            staff.id,
            now,
            key.seal(&format!("legal-hold-lift:{hold_id}"), text.as_bytes())?
        )
        .execute(&mut *tx)
        .await?;
        let entry = NewEntry::new(Actor::Staff(staff.id), AuditAction::LegalHoldLifted)
            .subject(Subject { kind: "case", id: case_id.to_string() })
            .rationale(SealedRationale::for_case(&key, text)?)
            .details(json!({"hold": hold_id, "placed_by": placed_by}));
        audit::record(&mut tx, entry, now).await?;
        tx.commit().await?;
        Ok(())
    }
}
