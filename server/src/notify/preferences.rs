//! Each person's notice preferences: channels per urgency and quiet hours. The worker reads
//! them when it adds e-mail and webhook deliveries and when it takes deliveries to send.

use serde::Serialize;
use uuid::Uuid;

use super::rota::{parse_offset, parse_time};
use super::{Notify, NotifyError};

/// One person's choices (the defaults when they never chose).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
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
}

impl Notify {
    /// `user`'s preferences.
    pub async fn preferences(&self, user: Uuid) -> Result<Preferences, NotifyError> {
        let found: Option<Preferences> = sqlx::query_as(
            "select email_urgent, email_normal, webhook_urgent, webhook_normal, quiet_from, quiet_until, utc_offset_minutes
             from notice_preference where staff_user_id = $1",
        )
        .bind(user)
        .fetch_optional(&self.db)
        .await?;
        Ok(found.unwrap_or_default())
    }

    /// Saves `user`'s preferences.
    pub async fn set_preferences(&self, user: Uuid, p: &Preferences) -> Result<(), NotifyError> {
        sqlx::query(
            "insert into notice_preference (staff_user_id, email_urgent, email_normal, webhook_urgent, webhook_normal,
                                            quiet_from, quiet_until, utc_offset_minutes, updated_at)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
             on conflict (staff_user_id) do update set
                 email_urgent = excluded.email_urgent, email_normal = excluded.email_normal,
                 webhook_urgent = excluded.webhook_urgent, webhook_normal = excluded.webhook_normal,
                 quiet_from = excluded.quiet_from, quiet_until = excluded.quiet_until,
                 utc_offset_minutes = excluded.utc_offset_minutes, updated_at = excluded.updated_at",
        )
        .bind(user)
        .bind(p.email_urgent)
        .bind(p.email_normal)
        .bind(p.webhook_urgent)
        .bind(p.webhook_normal)
        .bind(p.quiet_from)
        .bind(p.quiet_until)
        .bind(p.utc_offset_minutes)
        .bind(self.clock.now())
        .execute(&self.db)
        .await?;
        Ok(())
    }
}
