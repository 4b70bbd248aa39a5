//! What a handler with full access sees of a case. Every such read leaves one access
//! entry in the audit trail (who, which case, when; never the content).

use chrono::{DateTime, Utc};
use serde::Serialize;
use shelter_shared::audit::AuditAction;
use shelter_shared::case::CaseState;
use sqlx::PgConnection;
use uuid::Uuid;

use super::Cases;
use super::crypto::CaseKey;
use super::record::CaseRecord;
use super::triage::{Staff, WorkError};
use super::view_read::{self, CaseRead};
use crate::audit::{Actor, NewEntry, Subject};
use crate::policy::{CaseAccess, CaseFacts, case_access};

/// A decrypted field.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Field {
    /// narrative, when, place, at_risk, contact, contact_time.
    pub name: String,
    /// The text.
    pub value: String,
}

/// A message between the network and the requester.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Message {
    /// Id.
    pub id: Uuid,
    /// `requester` or `staff`.
    pub author_kind: String,
    /// The staff author's name.
    pub author_name: Option<String>,
    /// Text.
    pub body: String,
    /// When.
    pub at: DateTime<Utc>,
    /// Sent from a calm-view session, kept apart from the requester's own thread:
    /// `duress` (after a sign-in with the second passphrase) or `custody` (while in custody
    /// mode: may not be from the requester).
    pub portal_mark: Option<String>,
}

/// An internal note.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Note {
    /// Author's name.
    pub author_name: String,
    /// Text.
    pub body: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// A checklist task (read as JSON straight from the case page's query).
#[derive(Debug, Clone, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Task {
    /// Id.
    pub task_id: Uuid,
    /// What.
    pub title: String,
    /// Who.
    pub role: String,
    /// How.
    pub guidance: String,
    /// Due.
    pub due_at: DateTime<Utc>,
    /// Done by (id): only they may undo it.
    pub done_by: Option<Uuid>,
    /// Done by (name).
    pub done_by_name: Option<String>,
    /// Done at.
    pub done_at: Option<DateTime<Utc>>,
}

/// An attachment's description (the file is downloaded separately).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AttachmentInfo {
    /// Id.
    pub id: Uuid,
    /// Sanitised name.
    pub name: String,
    /// MIME type.
    pub media_type: String,
    /// Size in bytes.
    pub size_bytes: i32,
    /// SHA-256 of the original, hex.
    pub original_sha256: String,
    /// Held back unopened (`duress` or `custody`): it came from a calm-view session.
    pub held: Option<String>,
}

/// A recorded decision or event on the case, from the audit trail.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Event {
    /// Audit sequence number.
    pub seq: i64,
    /// When.
    pub occurred_at: DateTime<Utc>,
    /// Action.
    pub action: String,
    /// Who (kind).
    pub actor_kind: String,
    /// Who (name, for staff).
    pub actor_name: Option<String>,
    /// Why.
    pub rationale: Option<String>,
    /// Details.
    pub details: serde_json::Value,
}

/// The whole case.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CaseView {
    /// Id.
    pub id: Uuid,
    /// Reference.
    pub reference: String,
    /// State.
    pub status: CaseState,
    /// Kind.
    pub kind: String,
    /// Severity.
    pub severity: Option<String>,
    /// Severity hint.
    pub severity_hint: Option<String>,
    /// Country.
    pub country: String,
    /// Language.
    pub language: String,
    /// Needs.
    pub needs: Vec<String>,
    /// Assignee.
    pub assignee: Option<Uuid>,
    /// Playbook version it was triaged under.
    pub playbook_version: Option<i32>,
    /// Acknowledge by.
    pub acknowledge_due_at: Option<DateTime<Utc>>,
    /// Decide by.
    pub decide_due_at: Option<DateTime<Utc>>,
    /// Outcome.
    pub outcome: Option<String>,
    /// Version, to send back with changes.
    pub version: i32,
    /// Filed.
    pub created_at: DateTime<Utc>,
    /// The requester's words.
    pub fields: Vec<Field>,
    /// Messages, oldest first.
    pub messages: Vec<Message>,
    /// Internal notes, oldest first.
    pub notes: Vec<Note>,
    /// Checklist.
    pub tasks: Vec<Task>,
    /// Attachments.
    pub attachments: Vec<AttachmentInfo>,
    /// Decisions and events, oldest first.
    pub timeline: Vec<Event>,
    /// When its personal data was purged: then only the skeleton above is left (no fields,
    /// messages, notes or attachments; rationales sealed with its key read as shredded).
    pub purged_at: Option<DateTime<Utc>>,
    /// When the requester asked for it to be deleted, if they did and it is not purged yet.
    pub deletion_requested_at: Option<DateTime<Utc>>,
}

impl Cases {
    /// The full case for someone the policy lets read it; audited as an access. One
    /// connection serves the whole request, in two round trips: every read in one query
    /// ([`view_read::read`]), then the access entry.
    pub async fn view(&self, staff: Staff<'_>, case_id: Uuid) -> Result<CaseView, WorkError> {
        let mut conn = self.db.acquire().await?;
        let read = view_read::read(&mut conn, case_id, staff.id).await?.ok_or(WorkError::NotFound)?;
        let facts = CaseFacts { is_assignee: read.case.assignee == Some(staff.id), conflicted: read.conflicted };
        match case_access(staff.roles, facts) {
            CaseAccess::None => return Err(WorkError::NotFound),
            CaseAccess::Full => {}
            CaseAccess::Preview => {
                return Err(WorkError::Forbidden(
                    "Claim the case or ask for it to be assigned to you to read it.".into(),
                ));
            }
        }
        if read.case.purged_at.is_some() {
            // Nothing confidential is left to read, so nothing to record as a read.
            return self.skeleton(&mut conn, read).await;
        }
        let view = self.decrypt(&mut conn, read).await?;
        let entry = NewEntry::new(Actor::Staff(staff.id), AuditAction::CaseRead)
            .subject(Subject { kind: "case", id: case_id.to_string() });
        self.reads.append(&mut conn, entry, self.clock.now()).await?;
        Ok(view)
    }

    /// What a purged case keeps: its plain facts, its checklist and its timeline.
    async fn skeleton(&self, conn: &mut PgConnection, read: CaseRead) -> Result<CaseView, WorkError> {
        let timeline = self.timeline(conn, read.case.case_id, None, read.timeline).await?;
        Ok(CaseView { tasks: read.tasks, timeline, ..plain(&read.case, None) })
    }

    async fn decrypt(&self, conn: &mut PgConnection, read: CaseRead) -> Result<CaseView, WorkError> {
        let id = read.case.case_id;
        // A case not purged always has its key.
        let sealed_key = read.sealed_key.ok_or_else(|| anyhow::anyhow!("case {id} has no key"))?;
        let key = CaseKey::open(&self.keys, id, &sealed_key)?;
        let order = ["narrative", "when", "place", "at_risk", "contact", "contact_time"];
        let mut fields = read
            .fields
            .into_iter()
            .map(|f| Ok(Field { value: key.open_text(&f.field, &f.ciphertext.bytes()?)?, name: f.field }))
            .collect::<anyhow::Result<Vec<_>>>()?;
        fields.sort_by_key(|f| order.iter().position(|o| *o == f.name).unwrap_or(order.len()));
        let messages = read
            .messages
            .into_iter()
            .map(|m| {
                Ok(Message {
                    id: m.id,
                    body: key.open_text(&format!("message:{}", m.id), &m.ciphertext.bytes()?)?,
                    author_kind: m.author_kind,
                    author_name: m.author_name,
                    at: m.at,
                    portal_mark: m.portal_mark,
                })
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        let notes = read
            .notes
            .into_iter()
            .map(|n| {
                let body = key.open_text(&format!("note:{}", n.id), &n.ciphertext.bytes()?)?;
                Ok(Note { author_name: n.author_name, body, at: n.at })
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        let attachments = read
            .attachments
            .into_iter()
            .map(|a| {
                Ok(AttachmentInfo {
                    id: a.id,
                    name: key.open_text(&format!("attachment-name:{}", a.id), &a.name_sealed.bytes()?)?,
                    media_type: a.media_type,
                    size_bytes: a.size_bytes,
                    original_sha256: a.original_sha256,
                    held: a.held,
                })
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        let timeline = self.timeline(conn, id, Some(key), read.timeline).await?;
        Ok(CaseView {
            fields,
            messages,
            notes,
            tasks: read.tasks,
            attachments,
            timeline,
            ..plain(&read.case, read.deletion_requested_at)
        })
    }
}

/// The plain facts of `case`, with nothing decrypted.
fn plain(case: &CaseRecord, deletion_requested_at: Option<DateTime<Utc>>) -> CaseView {
    CaseView {
        id: case.case_id,
        reference: case.reference.clone(),
        status: case.status,
        kind: case.kind.clone(),
        severity: case.severity.clone(),
        severity_hint: case.severity_hint.clone(),
        country: case.country.clone(),
        language: case.language.clone(),
        needs: case.needs.clone(),
        assignee: case.assignee,
        playbook_version: case.playbook_version,
        acknowledge_due_at: case.acknowledge_due_at,
        decide_due_at: case.decide_due_at,
        outcome: case.outcome.clone(),
        version: case.version,
        created_at: case.created_at,
        fields: vec![],
        messages: vec![],
        notes: vec![],
        tasks: vec![],
        attachments: vec![],
        timeline: vec![],
        purged_at: case.purged_at,
        deletion_requested_at,
    }
}

impl Cases {
    /// The case's recorded decisions and events, rationales opened: with the case's own
    /// `key` (none once purged) at hand, and the keys of any other case read on `conn`.
    async fn timeline(
        &self,
        conn: &mut PgConnection,
        id: Uuid,
        key: Option<CaseKey>,
        rows: Vec<view_read::EventRow>,
    ) -> Result<Vec<Event>, WorkError> {
        let sealed = rows
            .iter()
            .map(|r| Ok((r.rationale_case, r.rationale_sealed.as_ref().map(|s| s.bytes()).transpose()?)))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let elsewhere = sealed.iter().any(|(case, bytes)| bytes.is_some() && case.is_some_and(|c| c != id));
        let opened = if elsewhere {
            crate::audit::sealed::open_all(conn, &self.keys, &sealed).await?
        } else {
            let case_keys = key.into_iter().map(|k| (id, k)).collect();
            crate::audit::sealed::open_with(&self.keys, &case_keys, &sealed)?
        };
        Ok(rows
            .into_iter()
            .zip(opened)
            .map(|(row, opened)| Event {
                seq: row.seq,
                occurred_at: row.occurred_at,
                action: row.action,
                actor_kind: row.actor_kind,
                actor_name: row.actor_name,
                rationale: opened.or(row.rationale),
                details: row.details,
            })
            .collect())
    }

    /// One attachment, opened, for someone the policy lets read the case; audited as a read.
    pub async fn attachment(
        &self,
        staff: Staff<'_>,
        case_id: Uuid,
        attachment_id: Uuid,
    ) -> Result<(String, String, Vec<u8>), WorkError> {
        let mut conn = self.db.acquire().await?;
        let (_, access) = self.open_case(&mut conn, staff, case_id).await?;
        if access != CaseAccess::Full {
            return Err(WorkError::Forbidden("Claim the case or ask for it to be assigned to you to read it.".into()));
        }
        let row = sqlx::query!(
            "select media_type, content_sealed, name_sealed, held from case_attachment
             where attachment_id = $1 and case_id = $2",
            attachment_id,
            case_id,
        )
        .fetch_optional(&mut *conn)
        .await?;
        let row = row.ok_or(WorkError::NotFound)?;
        let (media_type, content, name) = (row.media_type, row.content_sealed, row.name_sealed);
        if row.held.is_some() {
            return Err(WorkError::Conflict(
                "This file came while the requester may not have been in control of their device: it is held back unopened."
                    .into(),
            ));
        }
        let key = self.case_key(&mut conn, case_id).await.map_err(|e| WorkError::Internal(e.into()))?;
        let name = key.open_text(&format!("attachment-name:{attachment_id}"), &name)?;
        let content = key.open_field(&format!("attachment:{attachment_id}"), &content)?;
        let entry = NewEntry::new(Actor::Staff(staff.id), AuditAction::CaseRead)
            .subject(Subject { kind: "case", id: case_id.to_string() })
            .details(serde_json::json!({"attachment": attachment_id}));
        self.reads.append(&mut conn, entry, self.clock.now()).await?;
        Ok((name, media_type, content))
    }
}
