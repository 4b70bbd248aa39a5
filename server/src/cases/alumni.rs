//! A case and the registry member it concerns: a handler links them (with a rationale,
//! sealed in the audit trail with the case key), the case page shows the member's cohort,
//! country and current status, and work on the case (closing it too) can add to the
//! member's timeline.

use chrono::{DateTime, Utc};
use serde_json::json;
use shelter_shared::alumni::{CaseMember, StatusEntry, StatusEntryRequest};
use shelter_shared::api::ErrorCode;
use shelter_shared::audit::AuditAction;
use sqlx::PgConnection;
use uuid::Uuid;

use super::Cases;
use super::triage::{Staff, WorkError};
use crate::alumni::members::{current_status, member_key, record_entry};
use crate::alumni::{AlumniError, describe};
use crate::audit::sealed::SealedRationale;
use crate::audit::{self, Actor, NewEntry, Subject};
use crate::policy::{self, Action, CaseAccess};

impl From<AlumniError> for WorkError {
    fn from(error: AlumniError) -> Self {
        match error {
            AlumniError::Invalid(problems) => WorkError::invalid(ErrorCode::InvalidMember, describe(&problems)),
            AlumniError::NotFound => {
                WorkError::invalid(ErrorCode::InvalidMember, "There is no such member in the registry.")
            }
            AlumniError::Forbidden(message) => WorkError::Forbidden(message),
            AlumniError::Conflict(message) => WorkError::Conflict(message),
            AlumniError::Internal(cause) => WorkError::Internal(cause),
        }
    }
}

impl Cases {
    /// Refuses unless `staff` may link members and sees the case in full.
    async fn linkable(
        &self,
        conn: &mut PgConnection,
        staff: Staff<'_>,
        case_id: Uuid,
        action: Action,
    ) -> Result<(), WorkError> {
        policy::authorize(staff.roles, action).map_err(|_| WorkError::Forbidden("You may not do this.".into()))?;
        let (_, access) = self.open_case(conn, staff, case_id).await?;
        if access == CaseAccess::Full {
            Ok(())
        } else {
            Err(WorkError::Forbidden("Only the assigned handler or a supervisor may do this.".into()))
        }
    }

    /// Links the case to a registry member; a case concerns at most one member.
    pub async fn link_member(
        &self,
        staff: Staff<'_>,
        case_id: Uuid,
        member_id: Uuid,
        rationale: &str,
    ) -> Result<(), WorkError> {
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        self.linkable(&mut tx, staff, case_id, Action::LinkMember).await?;
        let key = self.case_key(&mut tx, case_id).await.map_err(|e| WorkError::Internal(e.into()))?;
        let rationale = SealedRationale::for_case(&key, rationale)?.ok_or_else(|| {
            WorkError::invalid(ErrorCode::InvalidRationale, "Say why this case concerns this member.")
        })?;
        member_key(&mut tx, &self.keys, member_id).await?;
        let linked = sqlx::query!(
            "insert into alumni_case_link (case_id, member_id, linked_by, linked_at) values ($1, $2, $3, $4)
             on conflict (case_id) do nothing",
            case_id,
            member_id,
            staff.id,
            now,
        )
        .execute(&mut *tx)
        .await?;
        if linked.rows_affected() == 0 {
            return Err(WorkError::Conflict("This case is already linked to a member.".into()));
        }
        let entry = NewEntry::new(Actor::Staff(staff.id), AuditAction::AlumniLinked)
            .subject(Subject { kind: "case", id: case_id.to_string() })
            .rationale(Some(rationale))
            .details(json!({"member": member_id}));
        audit::record(&mut tx, entry, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Adds a status entry to the linked member's timeline from the case ("released on bail").
    pub async fn member_status(
        &self,
        staff: Staff<'_>,
        case_id: Uuid,
        request: &StatusEntryRequest,
    ) -> Result<(), WorkError> {
        let entry =
            request.check().map_err(|problems| WorkError::invalid(ErrorCode::InvalidMember, describe(&problems)))?;
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        self.linkable(&mut tx, staff, case_id, Action::LinkAlumni).await?;
        let member_id = sqlx::query_scalar!("select member_id from alumni_case_link where case_id = $1", case_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| WorkError::Conflict("Link the case to a registry member first.".into()))?;
        record_entry(&mut tx, &self.keys, staff.id, member_id, &entry, Some(case_id), now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Adds `entry` to the timeline of the member the case is linked to, as part of closing
    /// the case, in `conn`'s transaction and audited: only for those who may record a
    /// member's status from the case, and only when a member is linked.
    pub(super) async fn closing_status(
        &self,
        conn: &mut PgConnection,
        staff: Staff<'_>,
        case_id: Uuid,
        entry: &StatusEntry,
        now: DateTime<Utc>,
    ) -> Result<(), WorkError> {
        self.linkable(conn, staff, case_id, Action::LinkAlumni).await?;
        let member_id = sqlx::query_scalar!("select member_id from alumni_case_link where case_id = $1", case_id)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or_else(|| {
                WorkError::invalid(
                    ErrorCode::InvalidMember,
                    "This case is not linked to a registry member, so there is no timeline to add a status to: \
                     close it without one (member_status), or have a supervisor link the member first.",
                )
            })?;
        record_entry(conn, &self.keys, staff.id, member_id, entry, Some(case_id), now).await?;
        Ok(())
    }

    /// The member a case is linked to, as the case page shows it (for those who see the case in full).
    pub async fn case_member(
        &self,
        conn: &mut PgConnection,
        staff: Staff<'_>,
        case_id: Uuid,
    ) -> Result<Option<CaseMember>, WorkError> {
        self.linkable(conn, staff, case_id, Action::LinkAlumni).await?;
        let row = sqlx::query!(
            "select m.member_id, m.cohort_year, m.country from alumni_case_link l join alumni_member m using (member_id)
             where l.case_id = $1",
            case_id,
        )
        .fetch_optional(&mut *conn)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let (member_id, cohort_year, country) = (row.member_id, row.cohort_year, row.country);
        let status = current_status(conn, member_id).await?;
        Ok(Some(CaseMember { member_id: member_id.to_string(), cohort_year, country, status }))
    }
}
