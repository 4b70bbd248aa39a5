//! Each person's notice preferences: channels per urgency, quiet hours, digests, the
//! language of their notices, and their own address and messenger handle for notices,
//! sealed at rest under the directory key and bound to the account. The worker reads them
//! when it adds e-mail and webhook deliveries and when it sends.

use serde::Serialize;
use shelter_shared::language::Language;
use shelter_shared::notice::{Digest, NewsChannel, parse_address};
use uuid::Uuid;

use super::rota::{parse_offset, parse_time};
use super::{Notify, NotifyError};
use crate::audit::{self, Actor, NewEntry, Subject};
use crate::keys::{self, Keys};
use crate::policy::{self, Action};
use shelter_shared::audit::AuditAction;

/// One person's choices (the defaults when they never chose).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Preferences {
    /// Urgent notices by e-mail.
    pub email_urgent: bool,
    /// Other notices by e-mail.
    pub email_normal: bool,
    /// Urgent notices through the messenger bridge.
    pub webhook_urgent: bool,
    /// Other notices through the messenger bridge.
    pub webhook_normal: bool,
    /// Quiet from (minutes after local midnight).
    pub quiet_from: Option<i16>,
    /// Quiet until (minutes after local midnight).
    pub quiet_until: Option<i16>,
    /// The person's offset from UTC in minutes.
    pub utc_offset_minutes: i16,
    /// Non-urgent notices at once, or gathered hourly or daily.
    pub digest: Digest,
    /// The language of e-mail and messenger notices.
    pub language: Language,
    /// Where e-mail notices go; none: the sign-in address.
    pub address: Option<String>,
    /// The messenger handle the bridge delivers to; none: the bridge's own mapping.
    pub handle: Option<String>,
}

impl Default for Preferences {
    fn default() -> Self {
        Preferences {
            email_urgent: true,
            email_normal: true,
            webhook_urgent: true,
            webhook_normal: true,
            quiet_from: None,
            quiet_until: None,
            utc_offset_minutes: 0,
            digest: Digest::Immediately,
            language: Language::English,
            address: None,
            handle: None,
        }
    }
}

impl Preferences {
    /// Sets the quiet hours from the form ("22:00", "07:00", "+07:00"; both times empty for none).
    pub fn with_quiet_hours(mut self, from: &str, until: &str, offset: &str) -> Result<Self, &'static str> {
        self.utc_offset_minutes = parse_offset(offset).ok_or("the time zone must be an offset like +07:00")?;
        if from.trim().is_empty() && until.trim().is_empty() {
            (self.quiet_from, self.quiet_until) = (None, None);
            return Ok(self);
        }
        let time = |t: &str| parse_time(t).filter(|m| *m < 1440).ok_or("quiet hours need times like 22:00 and 07:00");
        let (from, until) = (time(from)?, time(until)?);
        if from == until {
            return Err("quiet hours must start and end at different times");
        }
        (self.quiet_from, self.quiet_until) = (Some(from), Some(until));
        Ok(self)
    }

    /// Sets the address and handle from the form (empty: none).
    pub fn with_addresses(mut self, address: &str, handle: &str) -> Result<Self, &'static str> {
        let optional = |raw: &str, channel| (!raw.trim().is_empty()).then(|| parse_address(channel, raw)).transpose();
        self.address =
            optional(address, NewsChannel::Email).map_err(|_| "the address for notices is not an e-mail address")?;
        self.handle = optional(handle, NewsChannel::Messenger)
            .map_err(|_| "a messenger handle has 2 to 100 letters, numbers and + @ . _ : - only")?;
        Ok(self)
    }
}

/// The sealing context of a person's notice address or handle: bound to the account.
pub fn address_context(user: Uuid, what: &str) -> Vec<u8> {
    format!("notify-{what}:{user}").into_bytes()
}

/// Opens a sealed address or handle of `user`; a value that does not open counts as none.
pub fn open_address(keys: &Keys, user: Uuid, what: &str, sealed: Option<&[u8]>) -> Option<String> {
    let opened = keys::open(&keys.directory, sealed?, &address_context(user, what)).ok()?;
    String::from_utf8(opened).ok()
}

/// A sealed value that may be absent.
type Sealed = Option<Vec<u8>>;

struct Row {
    email_urgent: bool,
    email_normal: bool,
    webhook_urgent: bool,
    webhook_normal: bool,
    quiet_from: Option<i16>,
    quiet_until: Option<i16>,
    utc_offset_minutes: i16,
    digest: Digest,
    language: Language,
    address_sealed: Option<Vec<u8>>,
    handle_sealed: Option<Vec<u8>>,
}

impl Notify {
    /// `user`'s preferences, their address and handle opened.
    pub async fn preferences(&self, user: Uuid) -> Result<Preferences, NotifyError> {
        let found: Option<Row> = sqlx::query_as!(
            Row,
            r#"select email_urgent, email_normal, webhook_urgent, webhook_normal, quiet_from, quiet_until,
                    utc_offset_minutes, digest as "digest: Digest", language as "language: Language",
                    address_sealed, handle_sealed
             from notice_preference where staff_user_id = $1"#,
            user
        )
        .fetch_optional(&self.db)
        .await?;
        let Some(row) = found else { return Ok(Preferences::default()) };
        Ok(Preferences {
            email_urgent: row.email_urgent,
            email_normal: row.email_normal,
            webhook_urgent: row.webhook_urgent,
            webhook_normal: row.webhook_normal,
            quiet_from: row.quiet_from,
            quiet_until: row.quiet_until,
            utc_offset_minutes: row.utc_offset_minutes,
            digest: row.digest,
            language: row.language,
            address: open_address(&self.keys, user, "address", row.address_sealed.as_deref()),
            handle: open_address(&self.keys, user, "handle", row.handle_sealed.as_deref()),
        })
    }

    /// Saves `user`'s preferences, sealing their address and handle. A new address or handle
    /// needs a second factor confirmed at `step_up_at` and still fresh; the audit entry says
    /// which of them changed (never what to).
    pub async fn set_preferences(
        &self,
        user: Uuid,
        p: &Preferences,
        step_up_at: Option<chrono::DateTime<chrono::Utc>>,
    ) -> Result<(), NotifyError> {
        let seal = |value: &Option<String>, what: &str| {
            value
                .as_ref()
                .map(|v| keys::seal(&self.keys.directory, v.as_bytes(), &address_context(user, what)))
                .transpose()
        };
        let (address, handle) = (seal(&p.address, "address")?, seal(&p.handle, "handle")?);
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let stored: Option<(Sealed, Sealed)> = sqlx::query!(
            "select address_sealed, handle_sealed from notice_preference where staff_user_id = $1 for update",
            user
        )
        .fetch_optional(&mut *tx)
        .await?
        .map(|row| (row.address_sealed, row.handle_sealed));
        let (old_address, old_handle) = stored.unwrap_or_default();
        let address_changed = open_address(&self.keys, user, "address", old_address.as_deref()) != p.address;
        let handle_changed = open_address(&self.keys, user, "handle", old_handle.as_deref()) != p.handle;
        if (address_changed || handle_changed)
            && policy::needs_step_up(Action::ChangeNoticeAddress)
            && !policy::fresh(step_up_at, now)
        {
            return Err(NotifyError::StepUpNeeded);
        }
        sqlx::query!(
            "insert into notice_preference (staff_user_id, email_urgent, email_normal, webhook_urgent, webhook_normal,
                                            quiet_from, quiet_until, utc_offset_minutes, digest, language,
                                            address_sealed, handle_sealed, updated_at)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
             on conflict (staff_user_id) do update set
                 email_urgent = excluded.email_urgent, email_normal = excluded.email_normal,
                 webhook_urgent = excluded.webhook_urgent, webhook_normal = excluded.webhook_normal,
                 quiet_from = excluded.quiet_from, quiet_until = excluded.quiet_until,
                 utc_offset_minutes = excluded.utc_offset_minutes, digest = excluded.digest,
                 language = excluded.language, address_sealed = excluded.address_sealed,
                 handle_sealed = excluded.handle_sealed, updated_at = excluded.updated_at",
            user,
            p.email_urgent,
            p.email_normal,
            p.webhook_urgent,
            p.webhook_normal,
            p.quiet_from,
            p.quiet_until,
            p.utc_offset_minutes,
            p.digest as _,
            p.language as _,
            address,
            handle,
            now
        )
        .execute(&mut *tx)
        .await?;
        // A stolen session that silences someone's notices leaves a trace; never the address.
        let entry = NewEntry::new(Actor::Staff(user), AuditAction::NoticePreferencesChanged)
            .subject(Subject { kind: "staff_user", id: user.to_string() })
            .details(serde_json::json!({"address_changed": address_changed, "handle_changed": handle_changed}));
        audit::record(&mut tx, entry, now).await.map_err(|e| NotifyError::Internal(e.into()))?;
        tx.commit().await?;
        Ok(())
    }
}
