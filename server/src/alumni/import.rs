//! `shelter alumni import FILE.csv [--dry-run]`: members from the programmes' lists.
//!
//! Every row is checked like the API checks a member; each bad row is reported with its
//! line, field and problem, and the good rows go in. Rows are matched on `external_id`: a
//! row already imported unchanged changes nothing, a changed one updates the member (and
//! adds its status to the timeline unless that entry is there already). The whole file
//! commits in one transaction with an audit entry for each member created or changed and
//! one of the counts, all naming who ran the import (the operating-system account, from the
//! command line); a dry run rolls it back.

use chrono::{DateTime, Utc};
use serde_json::json;
use shelter_shared::alumni::{FieldProblem, NewMember, NewMemberRequest, StatusEntryRequest};
use shelter_shared::audit::AuditAction;
use sqlx::PgConnection;
use uuid::Uuid;

use super::members::{add_status, insert, member_key, seal_profile};
use super::{Alumni, AlumniError, index};
use crate::audit::{self, Actor, NewEntry, Subject};

/// The columns of an import file (and of the export), in this order.
pub const COLUMNS: [&str; 12] = [
    "external_id",
    "names",
    "country",
    "cohort_year",
    "organisation",
    "focus",
    "languages",
    "contact",
    "status",
    "status_date",
    "status_source",
    "status_note",
];

/// What became of one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowOutcome {
    /// A new member.
    Created,
    /// A known member, changed.
    Updated,
    /// A known member, exactly as imported before.
    Unchanged,
    /// Refused, with every problem.
    Rejected(Vec<FieldProblem>),
}

/// One row's line and outcome.
#[derive(Debug, Clone)]
pub struct RowReport {
    /// Line in the file where the row starts.
    pub line: u64,
    /// What became of it.
    pub outcome: RowOutcome,
}

/// The whole import's report.
#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    /// One entry per data row.
    pub rows: Vec<RowReport>,
    /// Nothing was stored.
    pub dry_run: bool,
}

impl ImportReport {
    /// How many rows had `outcome` (rejections counted by kind alone).
    pub fn count(&self, wanted: fn(&RowOutcome) -> bool) -> usize {
        self.rows.iter().filter(|r| wanted(&r.outcome)).count()
    }

    /// Rejected rows.
    pub fn rejected(&self) -> usize {
        self.count(|o| matches!(o, RowOutcome::Rejected(_)))
    }

    /// The report as lines for people: one per problem, then the counts.
    pub fn lines(&self) -> Vec<String> {
        let mut out = Vec::new();
        for row in &self.rows {
            if let RowOutcome::Rejected(problems) = &row.outcome {
                out.extend(problems.iter().map(|p| format!("line {}, field {}: {}", row.line, p.field, p.problem)));
            }
        }
        out.push(format!(
            "created {}, updated {}, unchanged {}, rejected {}{}",
            self.count(|o| *o == RowOutcome::Created),
            self.count(|o| *o == RowOutcome::Updated),
            self.count(|o| *o == RowOutcome::Unchanged),
            self.rejected(),
            if self.dry_run { " (dry run: nothing was changed)" } else { "" }
        ));
        out
    }
}

fn problem(field: &'static str, text: impl Into<String>) -> FieldProblem {
    FieldProblem { field, problem: text.into() }
}

/// A file-level failure (no header, unknown columns): nothing is imported.
fn header(reader: &mut csv::Reader<&[u8]>) -> Result<Vec<usize>, AlumniError> {
    let names = reader.byte_headers().map_err(|e| AlumniError::field("header", e.to_string()))?.clone();
    let names: Vec<String> =
        names.iter().map(|h| String::from_utf8_lossy(h).trim_start_matches('\u{feff}').trim().to_lowercase()).collect();
    if let Some(unknown) = names.iter().find(|n| !COLUMNS.contains(&n.as_str())) {
        return Err(AlumniError::field(
            "header",
            format!("unknown column {unknown:?}; the columns are {}", COLUMNS.join(",")),
        ));
    }
    // Where each known column is in this file (usize::MAX: absent).
    let places: Vec<usize> = COLUMNS.iter().map(|c| names.iter().position(|n| n == c).unwrap_or(usize::MAX)).collect();
    for required in ["external_id", "names", "country", "cohort_year"] {
        if !names.iter().any(|n| n == required) {
            return Err(AlumniError::field("header", format!("the column {required} is missing")));
        }
    }
    Ok(places)
}

/// Reads one record into a request, or says what is wrong with it.
fn parse_row(record: &csv::ByteRecord, places: &[usize], width: usize) -> Result<NewMemberRequest, Vec<FieldProblem>> {
    if record.len() != width {
        return Err(vec![problem(
            "row",
            format!("{} fields where the header has {width}: a quote left open or a stray comma?", record.len()),
        )]);
    }
    let mut problems = Vec::new();
    let mut fields: Vec<String> = Vec::with_capacity(COLUMNS.len());
    for (column, place) in COLUMNS.iter().zip(places) {
        let raw = record.get(*place).unwrap_or_default();
        match std::str::from_utf8(raw) {
            Ok(text) => fields.push(text.trim().to_owned()),
            Err(_) => {
                problems.push(problem(column, "not UTF-8 text: save the file as UTF-8"));
                fields.push(String::new());
            }
        }
    }
    let get = |column: &str| COLUMNS.iter().position(|c| *c == column).map(|i| fields[i].clone()).unwrap_or_default();
    let list = |text: String| -> Vec<String> {
        text.split('|').map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect()
    };
    if get("external_id").is_empty() {
        problems.push(problem("external_id", "missing: imports match members on it"));
    }
    let year = get("cohort_year");
    let cohort_year = year.parse::<i32>().unwrap_or_else(|_| {
        problems.push(problem("cohort_year", format!("{year:?} is not a year")));
        shelter_shared::alumni::COHORT_YEARS.start().to_owned()
    });
    let optional = |text: String| Some(text).filter(|t| !t.is_empty());
    let status = (!get("status").is_empty() || !get("status_date").is_empty()).then(|| StatusEntryRequest {
        status: get("status"),
        date: get("status_date"),
        source: optional(get("status_source")),
        note: optional(get("status_note")),
    });
    let request = NewMemberRequest {
        external_id: optional(get("external_id")),
        names: list(get("names")),
        country: get("country"),
        cohort_year,
        organisation: optional(get("organisation")),
        focus: optional(get("focus")),
        languages: list(get("languages")),
        contact: optional(get("contact")),
        status,
    };
    if let Err(more) = request.check() {
        problems.extend(more.into_iter().filter(|p| !(p.field == "cohort_year" && year.parse::<i32>().is_err())));
    }
    if problems.is_empty() { Ok(request) } else { Err(problems) }
}

impl Alumni {
    /// Imports `bytes` (a CSV file) as `by` (the operator); a dry run stores nothing.
    pub async fn import(&self, bytes: &[u8], dry_run: bool, by: Actor) -> Result<ImportReport, AlumniError> {
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
        let places = header(&mut reader)?;
        let width = reader.byte_headers().map(|h| h.len()).unwrap_or_default();
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let mut report = ImportReport { rows: Vec::new(), dry_run };
        let mut seen: std::collections::HashMap<String, u64> = Default::default();
        let mut record = csv::ByteRecord::new();
        let mut entries = Vec::new();
        loop {
            let line = reader.position().line();
            match reader.read_byte_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(error) => {
                    let problems = vec![problem("row", format!("unreadable: {error}"))];
                    report.rows.push(RowReport { line, outcome: RowOutcome::Rejected(problems) });
                    continue;
                }
            }
            let line = record.position().map(|p| p.line()).unwrap_or(line);
            let outcome = match parse_row(&record, &places, width) {
                Err(problems) => RowOutcome::Rejected(problems),
                Ok(request) => {
                    let external = request.external_id.clone().unwrap_or_default();
                    match seen.insert(external.clone(), line) {
                        Some(first) => RowOutcome::Rejected(vec![problem(
                            "external_id",
                            format!("{external:?} is already on line {first}"),
                        )]),
                        None => {
                            let (outcome, member) = self.import_row(&mut tx, &request, now).await?;
                            let action = match outcome {
                                RowOutcome::Created => Some(AuditAction::AlumniMemberAdded),
                                RowOutcome::Updated => Some(AuditAction::AlumniMemberUpdated),
                                _ => None,
                            };
                            if let (Some(action), Some(member)) = (action, member) {
                                let entry = NewEntry::new(by.clone(), action)
                                    .subject(Subject { kind: "alumni_member", id: member.to_string() })
                                    .details(json!({"via": "import", "line": line}));
                                entries.push(entry);
                            }
                            outcome
                        }
                    }
                }
            };
            report.rows.push(RowReport { line, outcome });
        }
        entries.push(NewEntry::new(by, AuditAction::AlumniImported).details(json!({
            "created": report.count(|o| *o == RowOutcome::Created),
            "updated": report.count(|o| *o == RowOutcome::Updated),
            "unchanged": report.count(|o| *o == RowOutcome::Unchanged),
            "rejected": report.rejected(),
        })));
        audit::record_all(&mut tx, entries, now).await?;
        if dry_run {
            tx.rollback().await?
        } else {
            tx.commit().await?
        }
        Ok(report)
    }

    async fn import_row(
        &self,
        conn: &mut PgConnection,
        request: &NewMemberRequest,
        now: DateTime<Utc>,
    ) -> Result<(RowOutcome, Option<Uuid>), AlumniError> {
        let member = match request.check() {
            Ok(member) => member,
            Err(problems) => return Ok((RowOutcome::Rejected(problems), None)),
        };
        let digest = self
            .keys
            .lookup_hash("alumni-import-row", serde_json::to_string(request).map_err(anyhow::Error::from)?.as_bytes());
        let known = sqlx::query!(
            "select member_id, import_digest from alumni_member where external_id = $1",
            member.external_id.as_deref()
        )
        .fetch_optional(&mut *conn)
        .await?
        .map(|m| (m.member_id, m.import_digest));
        match known {
            None => {
                let id = insert(conn, &self.keys, &member, Some(&digest), now).await?;
                Ok((RowOutcome::Created, Some(id)))
            }
            Some((id, Some(stored))) if stored == digest => Ok((RowOutcome::Unchanged, Some(id))),
            Some((id, _)) => {
                self.update(conn, id, &member, &digest, now).await?;
                Ok((RowOutcome::Updated, Some(id)))
            }
        }
    }

    async fn update(
        &self,
        conn: &mut PgConnection,
        id: Uuid,
        member: &NewMember,
        digest: &[u8],
        now: DateTime<Utc>,
    ) -> Result<(), AlumniError> {
        let key = member_key(conn, &self.keys, id).await?;
        sqlx::query!(
            "update alumni_member set country = $2, cohort_year = $3, profile_sealed = $4, import_digest = $5,
                                      updated_at = $6 where member_id = $1",
            id,
            member.country.as_str(),
            member.cohort_year,
            seal_profile(&key, &member.profile)?,
            digest,
            now
        )
        .execute(&mut *conn)
        .await?;
        index::store(conn, id, &index::member_hashes(&self.keys, &member.profile.names)).await?;
        if let Some(entry) = &member.status {
            let there = sqlx::query_scalar!(
                r#"select exists (select 1 from alumni_status where member_id = $1 and status = $2 and status_date = $3)
                     as "there!""#,
                id,
                entry.status as _,
                entry.date
            )
            .fetch_one(&mut *conn)
            .await?;
            if !there {
                add_status(conn, &key, id, entry, None, None, now).await?;
            }
        }
        Ok(())
    }
}
