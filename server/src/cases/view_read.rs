//! The case page's reads in one round trip: the case, whether the reader declared a
//! conflict, its key, and its fields, messages, notes, tasks, attachments and timeline as
//! JSON arrays. Under load each round trip waits its turn for the connection and the
//! database; one query instead of eleven keeps the page near the cost of its reads.
//!
//! Content comes back sealed (hex in the JSON); nothing is opened before the policy has
//! decided (see [`Cases::view`](super::Cases::view)).

use chrono::{DateTime, Utc};
use serde::Deserialize;
use shelter_shared::case::CaseState;
use sqlx::PgConnection;
use sqlx::types::Json;
use uuid::Uuid;

use super::record::CaseRecord;

/// Sealed bytes as the query spells them (hex).
#[derive(Debug, Deserialize)]
#[serde(transparent)]
pub struct Sealed(String);

impl Sealed {
    /// The bytes.
    pub fn bytes(&self) -> anyhow::Result<Vec<u8>> {
        Ok(hex::decode(&self.0)?)
    }
}

/// A sealed field.
#[derive(Debug, Deserialize)]
pub struct FieldRow {
    /// Its name (also what it was sealed under).
    pub field: String,
    /// Sealed text.
    pub ciphertext: Sealed,
}

/// A sealed message.
#[derive(Debug, Deserialize)]
pub struct MessageRow {
    /// Id.
    pub id: Uuid,
    /// `requester` or `staff`.
    pub author_kind: String,
    /// The staff author's name.
    pub author_name: Option<String>,
    /// Sealed text.
    pub ciphertext: Sealed,
    /// When.
    pub at: DateTime<Utc>,
    /// `duress` or `custody`.
    pub portal_mark: Option<String>,
}

/// A sealed note.
#[derive(Debug, Deserialize)]
pub struct NoteRow {
    /// Id.
    pub id: Uuid,
    /// Author's name.
    pub author_name: String,
    /// Sealed text.
    pub ciphertext: Sealed,
    /// When.
    pub at: DateTime<Utc>,
}

/// An attachment's description, its name sealed.
#[derive(Debug, Deserialize)]
pub struct AttachmentRow {
    /// Id.
    pub id: Uuid,
    /// MIME type.
    pub media_type: String,
    /// Size in bytes.
    pub size_bytes: i32,
    /// SHA-256 of the original (hex).
    pub original_sha256: String,
    /// Sealed name.
    pub name_sealed: Sealed,
    /// Held back unopened.
    pub held: Option<String>,
}

/// An entry of the case's timeline, its rationale still sealed.
#[derive(Debug, Deserialize)]
pub struct EventRow {
    /// Sequence number.
    pub seq: i64,
    /// When.
    pub occurred_at: DateTime<Utc>,
    /// Action.
    pub action: String,
    /// Who (kind).
    pub actor_kind: String,
    /// Who (name, for staff).
    pub actor_name: Option<String>,
    /// A rationale written before rationales were sealed.
    pub rationale: Option<String>,
    /// A sealed rationale.
    pub rationale_sealed: Option<Sealed>,
    /// Whose key sealed it.
    pub rationale_case: Option<Uuid>,
    /// Details.
    pub details: serde_json::Value,
}

/// Everything the case page reads, as one row.
pub struct CaseRead {
    /// The plain facts.
    pub case: CaseRecord,
    /// Whether the reader declared a conflict on it.
    pub conflicted: bool,
    /// Its sealed key (none once purged).
    pub sealed_key: Option<Vec<u8>>,
    /// When the requester asked for deletion.
    pub deletion_requested_at: Option<DateTime<Utc>>,
    /// Fields.
    pub fields: Vec<FieldRow>,
    /// Messages, oldest first.
    pub messages: Vec<MessageRow>,
    /// Notes, oldest first.
    pub notes: Vec<NoteRow>,
    /// Tasks in checklist order.
    pub tasks: Vec<super::view::Task>,
    /// Attachments, oldest first.
    pub attachments: Vec<AttachmentRow>,
    /// Timeline (reads left out), oldest first.
    pub timeline: Vec<EventRow>,
}

/// The case `id` and all its page shows, as read by `staff`; `None` when there is no such case.
pub async fn read(conn: &mut PgConnection, id: Uuid, staff: Uuid) -> sqlx::Result<Option<CaseRead>> {
    let row = sqlx::query!(
        r#"select c.case_id, c.reference, c.status as "status: CaseState", c.kind, c.severity, c.severity_hint,
                  c.country, c.language, c.needs, c.assignee, c.playbook_kind, c.playbook_version,
                  c.acknowledge_due_at, c.decide_due_at, c.next_due_at, c.outcome, c.version, c.created_at,
                  c.updated_at, c.purged_at, c.sealed_key, c.deletion_requested_at,
                  exists (select 1 from case_conflict x where x.case_id = c.case_id and x.staff_user_id = $2)
                      as "conflicted!",
                  (select coalesce(json_agg(json_build_object('field', f.field, 'ciphertext', encode(f.ciphertext, 'hex'))),
                                   '[]')
                   from case_field f where f.case_id = c.case_id) as "fields!: Json<Vec<FieldRow>>",
                  (select coalesce(json_agg(json_build_object(
                              'id', m.message_id, 'author_kind', m.author_kind, 'author_name', u.display_name,
                              'ciphertext', encode(m.ciphertext, 'hex'), 'at', m.created_at, 'portal_mark', m.portal_mark)
                          order by m.created_at), '[]')
                   from case_message m left join staff_user u on u.staff_user_id = m.author_staff_id
                   where m.case_id = c.case_id) as "messages!: Json<Vec<MessageRow>>",
                  (select coalesce(json_agg(json_build_object(
                              'id', n.note_id, 'author_name', u.display_name, 'ciphertext', encode(n.ciphertext, 'hex'),
                              'at', n.created_at)
                          order by n.created_at), '[]')
                   from case_note n join staff_user u on u.staff_user_id = n.author
                   where n.case_id = c.case_id) as "notes!: Json<Vec<NoteRow>>",
                  (select coalesce(json_agg(json_build_object(
                              'task_id', t.task_id, 'title', t.title, 'role', t.role, 'guidance', t.guidance,
                              'due_at', t.due_at, 'done_by', t.done_by, 'done_by_name', u.display_name,
                              'done_at', t.done_at)
                          order by t.position), '[]')
                   from case_task t left join staff_user u on u.staff_user_id = t.done_by
                   where t.case_id = c.case_id) as "tasks!: Json<Vec<super::view::Task>>",
                  (select coalesce(json_agg(json_build_object(
                              'id', a.attachment_id, 'media_type', a.media_type, 'size_bytes', a.size_bytes,
                              'original_sha256', encode(a.original_sha256, 'hex'),
                              'name_sealed', encode(a.name_sealed, 'hex'), 'held', a.held)
                          order by a.created_at), '[]')
                   from case_attachment a where a.case_id = c.case_id) as "attachments!: Json<Vec<AttachmentRow>>",
                  (select coalesce(json_agg(json_build_object(
                              'seq', a.seq, 'occurred_at', a.occurred_at, 'action', a.action,
                              'actor_kind', a.actor_kind, 'actor_name', u.display_name, 'rationale', a.rationale,
                              'rationale_sealed', encode(a.rationale_sealed, 'hex'),
                              'rationale_case', a.rationale_case, 'details', a.details)
                          order by a.seq), '[]')
                   from audit_log a
                   left join staff_user u on a.actor_kind = 'staff' and u.staff_user_id::text = a.actor_id
                   -- written as the partial index audit_log_case_events is, so reads are never visited
                   where a.subject_kind = 'case' and a.subject_id = c.case_id::text and a.action <> 'case.read')
                      as "timeline!: Json<Vec<EventRow>>"
           from cases c where c.case_id = $1"#,
        id,
        staff,
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|row| CaseRead {
        case: CaseRecord {
            case_id: row.case_id,
            reference: row.reference,
            status: row.status,
            kind: row.kind,
            severity: row.severity,
            severity_hint: row.severity_hint,
            country: row.country,
            language: row.language,
            needs: row.needs,
            assignee: row.assignee,
            playbook_kind: row.playbook_kind,
            playbook_version: row.playbook_version,
            acknowledge_due_at: row.acknowledge_due_at,
            decide_due_at: row.decide_due_at,
            next_due_at: row.next_due_at,
            outcome: row.outcome,
            version: row.version,
            created_at: row.created_at,
            updated_at: row.updated_at,
            purged_at: row.purged_at,
        },
        conflicted: row.conflicted,
        sealed_key: row.sealed_key,
        deletion_requested_at: row.deletion_requested_at,
        fields: row.fields.0,
        messages: row.messages.0,
        notes: row.notes.0,
        tasks: row.tasks.0,
        attachments: row.attachments.0,
        timeline: row.timeline.0,
    }))
}
