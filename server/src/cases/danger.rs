//! What staff see of a requester who may be in danger: the duress alert, custody mode and
//! check-ins, for the case page, the API and the queue.

use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use super::Cases;
use super::check_ins::{CheckInLine, MissLine, ScheduleInfo};
use super::triage::{Staff, WorkError};

/// The danger state of one case.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DangerView {
    /// Since when a duress alert stands (a sign-in with the second passphrase, a wrong safe
    /// word), until staff clear it.
    pub duress_alert_at: Option<DateTime<Utc>>,
    /// Whether the requester set a second passphrase.
    pub duress_passphrase_set: bool,
    /// Since when the case is in custody mode.
    pub custody_since: Option<DateTime<Utc>>,
    /// Who set custody mode.
    pub custody_set_by: Option<String>,
    /// Whether the reader may lift it ([`crate::policy::may_lift_custody`]).
    pub may_lift_custody: bool,
    /// The live check-in schedule.
    pub schedule: Option<ScheduleInfo>,
    /// Check-ins, newest first.
    pub check_ins: Vec<CheckInLine>,
    /// Missed slots, newest first.
    pub misses: Vec<MissLine>,
}

impl Cases {
    /// The danger state of a case `staff` sees in full.
    pub async fn danger(&self, staff: Staff<'_>, case_id: Uuid) -> Result<DangerView, WorkError> {
        let mut conn = self.db.acquire().await?;
        self.full_access(&mut conn, staff, case_id).await?;
        let duress = sqlx::query!(
            r#"select duress_alert_at, duress_hash is not null as "passphrase_set!" from cases where case_id = $1"#,
            case_id,
        )
        .fetch_one(&mut *conn)
        .await?;
        let custody = sqlx::query!(
            "select k.set_at, u.display_name, k.set_by, c.assignee
             from case_custody k join staff_user u on u.staff_user_id = k.set_by join cases c using (case_id)
             where k.case_id = $1 and k.lifted_at is null",
            case_id,
        )
        .fetch_optional(&mut *conn)
        .await?;
        let (schedule, check_ins, misses) = self.check_in_history(&mut conn, case_id).await?;
        Ok(DangerView {
            duress_alert_at: duress.duress_alert_at,
            duress_passphrase_set: duress.passphrase_set,
            custody_since: custody.as_ref().map(|c| c.set_at),
            may_lift_custody: custody
                .as_ref()
                .is_some_and(|c| crate::policy::may_lift_custody(staff.roles, staff.id, c.assignee, c.set_by).is_ok()),
            custody_set_by: custody.map(|c| c.display_name),
            schedule,
            check_ins,
            misses,
        })
    }
}
