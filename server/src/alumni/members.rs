//! Members: add, search, read, and their status timeline.

use chrono::{DateTime, Utc};
use serde_json::json;
use shelter_shared::alumni::{
    LinkedCase, MemberDetails, MemberStatus, MemberSummary, MemberView, NewMember, NewMemberRequest, Profile,
    StatusEntry, StatusEntryRequest, TimelineEntry,
};
use shelter_shared::audit::AuditAction;
use sqlx::PgConnection;
use uuid::Uuid;

use super::{Alumni, AlumniError, MemberKey, index};
use crate::audit::{self, Actor, NewEntry, Subject};
use crate::cases::record;
use crate::cases::triage::Staff;
use crate::keys::Keys;
use crate::policy::{self, Action, CaseAccess, MemberAccess};

/// At most this many members per search.
pub const SEARCH_LIMIT: i64 = 100;

/// What to search for; every part optional.
#[derive(Debug, Clone, Default)]
pub struct SearchFilter {
    /// Any spelling of any part of a name, in any script.
    pub name: Option<String>,
    /// ISO 3166-1 alpha-2 code.
    pub country: Option<String>,
    /// Cohort year.
    pub cohort_year: Option<i32>,
}

pub(crate) fn refuse(roles: &[shelter_shared::staff::Role], action: Action) -> Result<(), AlumniError> {
    policy::authorize(roles, action).map_err(|_| AlumniError::Forbidden("You may not do this.".into()))
}

/// Opens the data key of `member_id`.
pub async fn member_key(conn: &mut PgConnection, keys: &Keys, member_id: Uuid) -> Result<MemberKey, AlumniError> {
    let sealed = sqlx::query_scalar!("select sealed_key from alumni_member where member_id = $1", member_id)
        .fetch_optional(&mut *conn)
        .await?;
    let sealed = sealed.ok_or(AlumniError::NotFound)?;
    Ok(MemberKey::open(keys, member_id, &sealed)?)
}

/// Seals a profile for storage.
pub fn seal_profile(key: &MemberKey, profile: &Profile) -> anyhow::Result<Vec<u8>> {
    key.seal("profile", &serde_json::to_vec(profile)?)
}

/// Opens a sealed profile.
pub(crate) fn open_profile(key: &MemberKey, sealed: &[u8]) -> anyhow::Result<Profile> {
    Ok(serde_json::from_str(&key.open_text("profile", sealed)?)?)
}

/// Stores a new member (and its first timeline entry) in `conn`'s transaction.
pub async fn insert(
    conn: &mut PgConnection,
    keys: &Keys,
    member: &NewMember,
    digest: Option<&[u8]>,
    now: DateTime<Utc>,
) -> Result<Uuid, AlumniError> {
    let id = Uuid::new_v4();
    let (key, sealed_key) = MemberKey::generate(keys, id)?;
    let inserted = sqlx::query!(
        "insert into alumni_member (member_id, external_id, country, cohort_year, sealed_key, profile_sealed,
                                    import_digest, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $8) on conflict (external_id) do nothing",
        id,
        member.external_id.as_deref(),
        member.country.as_str(),
        member.cohort_year,
        sealed_key,
        seal_profile(&key, &member.profile)?,
        digest,
        now
    )
    .execute(&mut *conn)
    .await?;
    if inserted.rows_affected() == 0 {
        return Err(AlumniError::Conflict("A member with this external id is already in the registry.".into()));
    }
    index::store(conn, id, &index::member_hashes(keys, &member.profile.names)).await?;
    if let Some(entry) = &member.status {
        add_status(conn, &key, id, entry, None, None, now).await?;
    }
    Ok(id)
}

/// Appends a timeline entry, its source and note sealed with the member's key.
pub async fn add_status(
    conn: &mut PgConnection,
    key: &MemberKey,
    member_id: Uuid,
    entry: &StatusEntry,
    case_id: Option<Uuid>,
    by: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<Uuid, AlumniError> {
    let id = Uuid::new_v4();
    sqlx::query!(
        "insert into alumni_status (status_id, member_id, status, status_date, source_sealed, note_sealed, case_id,
                                    recorded_by, recorded_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        id,
        member_id,
        entry.status as _,
        entry.date,
        key.seal(&format!("status:{id}:source"), entry.source.as_bytes())?,
        key.seal(&format!("status:{id}:note"), entry.note.as_bytes())?,
        case_id,
        by,
        now
    )
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

/// Appends a timeline entry by `staff_id` (from `case_id`, if any) and its audit entry, in
/// `conn`'s transaction.
pub async fn record_entry(
    conn: &mut PgConnection,
    keys: &Keys,
    staff_id: Uuid,
    member_id: Uuid,
    entry: &StatusEntry,
    case_id: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<(), AlumniError> {
    let key = member_key(conn, keys, member_id).await?;
    add_status(conn, &key, member_id, entry, case_id, Some(staff_id), now).await?;
    let audit = NewEntry::new(Actor::Staff(staff_id), AuditAction::AlumniStatusRecorded)
        .subject(Subject { kind: "alumni_member", id: member_id.to_string() })
        .details(json!({"case": case_id, "status": entry.status, "date": entry.date}));
    audit::record(conn, audit, now).await?;
    Ok(())
}

/// The newest timeline entry's status of `member_id`.
pub async fn current_status(conn: &mut PgConnection, member_id: Uuid) -> sqlx::Result<Option<MemberStatus>> {
    sqlx::query_scalar!(
        r#"select status as "status: MemberStatus" from alumni_status where member_id = $1
           order by status_date desc, recorded_at desc limit 1"#,
        member_id
    )
    .fetch_optional(conn)
    .await
}

/// A member's stored columns.
pub(crate) struct MemberRow {
    pub member_id: Uuid,
    pub external_id: Option<String>,
    pub country: String,
    pub cohort_year: i32,
    pub sealed_key: Vec<u8>,
    pub profile_sealed: Vec<u8>,
}

/// `member_rows!("where …", args…)`: [`MemberRow`]s of `alumni_member m`, checked, the
/// caller's literal tail pasted after the one select.
macro_rules! member_rows {
    ($tail:literal $(, $arg:expr)* $(,)?) => {
        sqlx::query_as!(
            $crate::alumni::members::MemberRow,
            "select m.member_id, m.external_id, m.country, m.cohort_year, m.sealed_key, m.profile_sealed
             from alumni_member m " + $tail
            $(, $arg)*
        )
    };
}
pub(crate) use member_rows;

impl Alumni {
    /// Adds a member (administrators); the audit entry names no personal field.
    pub async fn add(&self, staff: Staff<'_>, request: &NewMemberRequest) -> Result<Uuid, AlumniError> {
        refuse(staff.roles, Action::ManageAlumni)?;
        let member = request.check().map_err(AlumniError::Invalid)?;
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let id = insert(&mut tx, &self.keys, &member, None, now).await?;
        let entry = NewEntry::new(Actor::Staff(staff.id), AuditAction::AlumniMemberAdded)
            .subject(Subject { kind: "alumni_member", id: id.to_string() })
            .details(json!({"country": member.country.as_str(), "cohort_year": member.cohort_year}));
        audit::record(&mut tx, entry, now).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Adds a timeline entry to a member (administrators).
    pub async fn record_status(
        &self,
        staff: Staff<'_>,
        member_id: Uuid,
        request: &StatusEntryRequest,
    ) -> Result<(), AlumniError> {
        refuse(staff.roles, Action::ManageAlumni)?;
        let entry = request.check().map_err(AlumniError::Invalid)?;
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        record_entry(&mut tx, &self.keys, staff.id, member_id, &entry, None, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Members matching `filter` (all parts), with the minimal fields every reader may see.
    pub async fn search(
        &self,
        conn: &mut PgConnection,
        staff: Staff<'_>,
        filter: &SearchFilter,
    ) -> Result<Vec<MemberSummary>, AlumniError> {
        refuse(staff.roles, Action::ViewAlumni)?;
        let hashes = match filter.name.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
            Some(name) => {
                let hashes = index::query_hashes(&self.keys, name);
                if hashes.is_empty() {
                    return Err(AlumniError::field("name", "give at least one letter of a name"));
                }
                Some(hashes)
            }
            // A handler finds someone by name; listing by country and cohort alone would let
            // them rebuild the registry's names page by page, which only an export may give.
            None if policy::member_access(staff.roles, false) == MemberAccess::Minimal => {
                return Err(AlumniError::field("name", "give a name to search for"));
            }
            None => None,
        };
        let rows = member_rows!(
            "where ($1::bytea[] is null or m.member_id in
                      (select member_id from alumni_name_token where token = any($1)
                       group by member_id having count(*) = cardinality($1)))
               and ($2::text is null or m.country = $2)
               and ($3::int is null or m.cohort_year = $3)
             order by m.cohort_year, m.member_id limit $4",
            hashes.as_deref(),
            filter.country.as_deref(),
            filter.cohort_year,
            SEARCH_LIMIT
        )
        .fetch_all(&mut *conn)
        .await?;
        rows.iter().map(|row| self.summary(row).map(|(summary, _)| summary)).collect()
    }

    /// The members `ids`, with the minimal fields every reader may see (a form that keeps
    /// the people already chosen).
    pub async fn summaries(
        &self,
        conn: &mut PgConnection,
        staff: Staff<'_>,
        ids: &[Uuid],
    ) -> Result<Vec<MemberSummary>, AlumniError> {
        refuse(staff.roles, Action::ViewAlumni)?;
        let rows = member_rows!("where m.member_id = any($1) order by m.cohort_year, m.member_id", ids)
            .fetch_all(&mut *conn)
            .await?;
        rows.iter().map(|row| self.summary(row).map(|(summary, _)| summary)).collect()
    }

    fn summary(&self, row: &MemberRow) -> Result<(MemberSummary, Profile), AlumniError> {
        let key = MemberKey::open(&self.keys, row.member_id, &row.sealed_key)?;
        let profile = open_profile(&key, &row.profile_sealed)?;
        let summary = MemberSummary {
            id: row.member_id.to_string(),
            names: profile.names.clone(),
            country: row.country.clone(),
            cohort_year: row.cohort_year,
        };
        Ok((summary, profile))
    }

    /// One member: the minimal fields, and everything when the reader may see it (audited).
    pub async fn view(
        &self,
        conn: &mut PgConnection,
        staff: Staff<'_>,
        member_id: Uuid,
    ) -> Result<MemberView, AlumniError> {
        refuse(staff.roles, Action::ViewAlumni)?;
        let row = member_rows!("where m.member_id = $1", member_id)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or(AlumniError::NotFound)?;
        let links = sqlx::query!(
            "select c.case_id, c.reference, c.status from alumni_case_link l join cases c using (case_id)
             where l.member_id = $1 order by c.created_at",
            member_id
        )
        .fetch_all(&mut *conn)
        .await?;
        // Every case the record mentions (links and timeline entries), each seen as the case
        // page would let this reader see it.
        let mentioned: Vec<Uuid> = sqlx::query_scalar!(
            r#"select case_id as "case_id!" from alumni_case_link where member_id = $1
             union select case_id from alumni_status where member_id = $1 and case_id is not null"#,
            member_id
        )
        .fetch_all(&mut *conn)
        .await?;
        let access = record::access_to(conn, staff.id, staff.roles, &mentioned).await?;
        let in_full = |case: &Uuid| access.get(case) == Some(&CaseAccess::Full);
        let cases: Vec<LinkedCase> = links
            .into_iter()
            .filter(|l| in_full(&l.case_id))
            .map(|l| LinkedCase { case_id: l.case_id.to_string(), reference: l.reference, status: l.status })
            .collect();
        let (summary, profile) = self.summary(&row)?;
        if policy::member_access(staff.roles, !cases.is_empty()) != MemberAccess::Full {
            return Ok(MemberView { summary, details: None });
        }
        let timeline = self.timeline(conn, member_id, &row.sealed_key, in_full).await?;
        let entry = NewEntry::new(Actor::Staff(staff.id), AuditAction::AlumniMemberRead)
            .subject(Subject { kind: "alumni_member", id: member_id.to_string() });
        self.reads.append(conn, entry, self.clock.now()).await?;
        Ok(MemberView {
            summary,
            details: Some(MemberDetails { external_id: row.external_id, profile, timeline, cases }),
        })
    }

    /// A member's timeline, newest first, opened. An entry recorded from a case keeps its
    /// source, note and case to itself unless `case_in_full` says the reader sees that case in
    /// full (as its page would): what was said there is the case's, and a case the reader is
    /// conflicted on or does not hold must not even be hinted at. Its status and date still
    /// show: they are the member's history (plain in the database, the newest one shown on
    /// every linked case's page), and leaving them out would make the timeline contradict it.
    pub(crate) async fn timeline(
        &self,
        conn: &mut PgConnection,
        member_id: Uuid,
        sealed_key: &[u8],
        case_in_full: impl Fn(&Uuid) -> bool,
    ) -> Result<Vec<TimelineEntry>, AlumniError> {
        let key = MemberKey::open(&self.keys, member_id, sealed_key)?;
        let rows = sqlx::query!(
            r#"select status_id, status as "status: MemberStatus", status_date, source_sealed, note_sealed, case_id
             from alumni_status where member_id = $1 order by status_date desc, recorded_at desc"#,
            member_id
        )
        .fetch_all(&mut *conn)
        .await?;
        rows.into_iter()
            .map(|row| {
                let (id, status, date, source, note, case_id) =
                    (row.status_id, row.status, row.status_date, row.source_sealed, row.note_sealed, row.case_id);
                let shown = case_id.is_none_or(|case| case_in_full(&case));
                let open = |field: &str, sealed: Option<Vec<u8>>| match sealed {
                    Some(bytes) if shown => key.open_text(&format!("status:{id}:{field}"), &bytes),
                    _ => Ok(String::new()),
                };
                Ok(TimelineEntry {
                    status,
                    date: date.to_string(),
                    source: open("source", source)?,
                    note: open("note", note)?,
                    case_id: case_id.filter(|_| shown).map(|c| c.to_string()),
                })
            })
            .collect()
    }
}
