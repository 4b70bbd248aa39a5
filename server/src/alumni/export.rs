//! The registry's export: every member opened, as CSV in the import's columns (the newest
//! status as the status columns). Administrators only, after a fresh step-up, audited in
//! the same transaction that reads the members. A status recorded from a case keeps its
//! source and note out unless the exporter sees that case in full, as on the member's page.

use serde_json::json;
use shelter_shared::alumni::{MemberStatus, Profile};
use shelter_shared::audit::AuditAction;
use sqlx::PgConnection;
use uuid::Uuid;

use super::members::{MemberRow, refuse};
use super::{Alumni, AlumniError, MemberKey, import::COLUMNS};
use crate::audit::query::neutralise;
use crate::audit::{self, Actor, NewEntry};
use crate::cases::record;
use crate::cases::triage::Staff;
use crate::policy::{self, Action, CaseAccess};

struct ExportRow {
    member: MemberRow,
    status_id: Option<Uuid>,
    status: Option<MemberStatus>,
    status_date: Option<chrono::NaiveDate>,
    source_sealed: Option<Vec<u8>>,
    note_sealed: Option<Vec<u8>>,
    case_id: Option<Uuid>,
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
        let rows: Vec<ExportRow> = sqlx::query!(
            r#"select m.member_id, m.external_id, m.country, m.cohort_year, m.sealed_key, m.profile_sealed,
                    s.status_id as "status_id?", s.status as "status?: MemberStatus", s.status_date as "status_date?",
                    s.source_sealed as "source_sealed?", s.note_sealed as "note_sealed?", s.case_id as "case_id?"
             from alumni_member m
             left join lateral (select * from alumni_status s where s.member_id = m.member_id
                                order by status_date desc, recorded_at desc limit 1) s on true
             order by m.cohort_year, m.external_id, m.member_id"#
        )
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .map(|r| ExportRow {
            member: MemberRow {
                member_id: r.member_id,
                external_id: r.external_id,
                country: r.country,
                cohort_year: r.cohort_year,
                sealed_key: r.sealed_key,
                profile_sealed: r.profile_sealed,
            },
            status_id: r.status_id,
            status: r.status,
            status_date: r.status_date,
            source_sealed: r.source_sealed,
            note_sealed: r.note_sealed,
            case_id: r.case_id,
        })
        .collect();
        // A status recorded from a case says what the case said: only for one who sees that
        // case in full, as on the member's page (an administrator sees no case).
        let mentioned: Vec<Uuid> = rows.iter().filter_map(|r| r.case_id).collect();
        let access = record::access_to(&mut tx, staff.id, staff.roles, &mentioned).await?;
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record(COLUMNS).map_err(anyhow::Error::from)?;
        for row in &rows {
            let said = row.case_id.is_none_or(|case| access.get(&case) == Some(&CaseAccess::Full));
            let line = self.export_line(row, said)?;
            writer.write_record(line.iter().map(|c| neutralise(c))).map_err(anyhow::Error::from)?;
        }
        let bytes = writer.into_inner().map_err(|e| anyhow::anyhow!("cannot write the export: {e}"))?;
        let entry =
            NewEntry::new(Actor::Staff(staff.id), AuditAction::AlumniExported).details(json!({"members": rows.len()}));
        audit::record(&mut tx, entry, now).await?;
        tx.commit().await?;
        Ok(bytes)
    }

    fn export_line(&self, row: &ExportRow, said: bool) -> Result<Vec<String>, AlumniError> {
        let member = &row.member;
        let key = MemberKey::open(&self.keys, member.member_id, &member.sealed_key)?;
        let profile: Profile =
            serde_json::from_str(&key.open_text("profile", &member.profile_sealed)?).map_err(anyhow::Error::from)?;
        let open = |field: &str, sealed: &Option<Vec<u8>>| -> Result<String, AlumniError> {
            match (row.status_id, sealed) {
                (Some(id), Some(bytes)) if said => Ok(key.open_text(&format!("status:{id}:{field}"), bytes)?),
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
            row.status.map(|s| s.to_string()).unwrap_or_default(),
            row.status_date.map(|d| d.to_string()).unwrap_or_default(),
            open("source", &row.source_sealed)?,
            open("note", &row.note_sealed)?,
        ])
    }
}
