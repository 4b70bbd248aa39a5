//! The registry's export: every member opened, as CSV in the import's columns (the newest
//! status as the status columns). Administrators only, after a fresh step-up, audited in
//! the same transaction that reads the members.

use serde_json::json;
use shelter_shared::alumni::Profile;
use shelter_shared::audit::AuditAction;
use sqlx::PgConnection;
use uuid::Uuid;

use super::members::{MemberRow, refuse};
use super::{Alumni, AlumniError, MemberKey, import::COLUMNS};
use crate::audit::query::neutralise;
use crate::audit::{self, Actor, NewEntry};
use crate::cases::triage::Staff;
use crate::policy::{self, Action};

#[derive(sqlx::FromRow)]
struct ExportRow {
    #[sqlx(flatten)]
    member: MemberRow,
    status_id: Option<Uuid>,
    status: Option<String>,
    status_date: Option<chrono::NaiveDate>,
    source_sealed: Option<Vec<u8>>,
    note_sealed: Option<Vec<u8>>,
}

impl Alumni {
    /// The whole registry as CSV bytes, for `staff` (administrator, fresh step-up).
    pub async fn export(&self, conn: &mut PgConnection, staff: Staff<'_>) -> Result<Vec<u8>, AlumniError> {
        refuse(staff.roles, Action::ExportAlumni)?;
        let now = self.clock.now();
        if policy::needs_step_up(Action::ExportAlumni) && !policy::fresh(staff.step_up_at, now) {
            return Err(AlumniError::Forbidden(policy::STEP_UP_NEEDED.into()));
        }
        let mut tx = sqlx::Connection::begin(conn).await?;
        let rows: Vec<ExportRow> = sqlx::query_as(
            "select m.member_id, m.external_id, m.country, m.cohort_year, m.sealed_key, m.profile_sealed,
                    s.status_id, s.status, s.status_date, s.source_sealed, s.note_sealed
             from alumni_member m
             left join lateral (select * from alumni_status s where s.member_id = m.member_id
                                order by status_date desc, recorded_at desc limit 1) s on true
             order by m.cohort_year, m.external_id, m.member_id",
        )
        .fetch_all(&mut *tx)
        .await?;
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record(COLUMNS).map_err(anyhow::Error::from)?;
        for row in &rows {
            writer.write_record(self.export_line(row)?.iter().map(|c| neutralise(c))).map_err(anyhow::Error::from)?;
        }
        let bytes = writer.into_inner().map_err(|e| anyhow::anyhow!("cannot write the export: {e}"))?;
        let entry =
            NewEntry::new(Actor::Staff(staff.id), AuditAction::AlumniExported).details(json!({"members": rows.len()}));
        audit::record(&mut tx, entry, now).await?;
        tx.commit().await?;
        Ok(bytes)
    }

    fn export_line(&self, row: &ExportRow) -> Result<Vec<String>, AlumniError> {
        let member = &row.member;
        let key = MemberKey::open(&self.keys, member.member_id, &member.sealed_key)?;
        let profile: Profile =
            serde_json::from_str(&key.open_text("profile", &member.profile_sealed)?).map_err(anyhow::Error::from)?;
        let open = |field: &str, sealed: &Option<Vec<u8>>| -> Result<String, AlumniError> {
            match (row.status_id, sealed) {
                (Some(id), Some(bytes)) => Ok(key.open_text(&format!("status:{id}:{field}"), bytes)?),
                _ => Ok(String::new()),
            }
        };
        Ok(vec![
            member.external_id.clone().unwrap_or_default(),
            profile.names.join("|"),
            member.country.clone(),
            member.cohort_year.to_string(),
            profile.organisation,
            profile.focus,
            profile.languages.join("|"),
            profile.contact,
            row.status.clone().unwrap_or_default(),
            row.status_date.map(|d| d.to_string()).unwrap_or_default(),
            open("source", &row.source_sealed)?,
            open("note", &row.note_sealed)?,
        ])
    }
}
