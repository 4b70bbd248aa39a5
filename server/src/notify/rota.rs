//! The on-call rota: who answers new urgent cases, by weekday and local hours.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::json;
use shelter_shared::api::ErrorCode;
use shelter_shared::audit::AuditAction;
use sqlx::PgConnection;
use uuid::Uuid;

use super::{Notify, NotifyError};
use crate::audit::{self, Actor, NewEntry};

/// The accounts on call at `at` (active and confirmed only).
pub async fn on_call_at(conn: &mut PgConnection, at: DateTime<Utc>) -> sqlx::Result<Vec<Uuid>> {
    // The shift's weekday and minutes are in its own fixed offset from UTC.
    sqlx::query_scalar!(
        "select distinct s.staff_user_id
         from on_call_shift s join staff_user u using (staff_user_id)
         cross join lateral (select ($1 at time zone 'UTC') + make_interval(mins => s.utc_offset_minutes) as local) l
         where extract(isodow from l.local) = s.weekday
           and extract(hour from l.local) * 60 + extract(minute from l.local) >= s.starts_minute
           and extract(hour from l.local) * 60 + extract(minute from l.local) < s.ends_minute
           and u.status = 'active' and not u.pending_confirmation",
        at
    )
    .fetch_all(conn)
    .await
}

/// A shift as the rota page shows it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Shift {
    /// Its id.
    pub shift_id: Uuid,
    /// Who.
    pub display_name: String,
    /// ISO weekday, 1 Monday .. 7 Sunday.
    pub weekday: i16,
    /// Start, minutes after local midnight.
    pub starts_minute: i16,
    /// End (exclusive), minutes after local midnight.
    pub ends_minute: i16,
    /// The local zone's offset from UTC, in minutes.
    pub utc_offset_minutes: i16,
}

/// A shift to add, already parsed.
#[derive(Debug, Clone)]
pub struct NewShift {
    /// The account's e-mail.
    pub email: String,
    /// ISO weekday.
    pub weekday: i16,
    /// Start minute.
    pub starts_minute: i16,
    /// End minute (exclusive).
    pub ends_minute: i16,
    /// Offset from UTC in minutes.
    pub utc_offset_minutes: i16,
}

impl NewShift {
    /// Parses "HH:MM" times and a "+07:00"-style offset; `None` names nothing, so the caller
    /// answers with one clear message.
    pub fn parse(email: &str, weekday: &str, starts: &str, ends: &str, offset: &str) -> Result<Self, &'static str> {
        let minutes = parse_time;
        let weekday = weekday.trim().parse::<i16>().ok().filter(|d| (1..=7).contains(d)).ok_or("choose a weekday")?;
        let starts_minute = minutes(starts).filter(|m| *m < 1440).ok_or("the start must be a time like 08:00")?;
        let ends_minute = minutes(ends).ok_or("the end must be a time like 17:30 (24:00 for midnight)")?;
        if ends_minute <= starts_minute {
            return Err("the shift must end after it starts (split a night shift in two)");
        }
        let utc_offset_minutes = parse_offset(offset).ok_or("the time zone must be an offset like +07:00")?;
        Ok(NewShift { email: email.trim().to_lowercase(), weekday, starts_minute, ends_minute, utc_offset_minutes })
    }
}

/// Writes minutes after midnight as `HH:MM`.
pub fn hhmm(minutes: i16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// Writes an offset from UTC in minutes as `+07:00`.
pub fn offset_text(minutes: i16) -> String {
    format!("{}{}", if minutes < 0 { '-' } else { '+' }, hhmm(minutes.abs()))
}

/// Reads `HH:MM` as minutes after midnight (24:00 allowed as the end of a day).
pub fn parse_time(text: &str) -> Option<i16> {
    let (h, m) = text.trim().split_once(':')?;
    let (h, m) = (h.parse::<i16>().ok()?, m.parse::<i16>().ok()?);
    ((0..=24).contains(&h) && (0..60).contains(&m) && h * 60 + m <= 1440).then_some(h * 60 + m)
}

/// Minutes east of UTC of "+HH:MM" or "-HH:MM" (at most 14 hours).
pub fn parse_offset(text: &str) -> Option<i16> {
    let text = text.trim();
    let (sign, rest) = match text.split_at_checked(1) {
        Some(("+", rest)) => (1, rest),
        Some(("-", rest)) => (-1, rest),
        _ => return None,
    };
    parse_time(rest).filter(|m| *m <= 14 * 60).map(|m| m * sign)
}

impl Notify {
    /// The rota, by weekday and start.
    pub async fn shifts(&self) -> Result<Vec<Shift>, NotifyError> {
        Ok(sqlx::query_as!(
            Shift,
            "select s.shift_id, u.display_name, s.weekday, s.starts_minute, s.ends_minute, s.utc_offset_minutes
             from on_call_shift s join staff_user u using (staff_user_id)
             order by s.weekday, s.starts_minute, u.display_name"
        )
        .fetch_all(&self.db)
        .await?)
    }

    /// The names of whoever is on call now.
    pub async fn on_call_now(&self) -> Result<Vec<String>, NotifyError> {
        let mut conn = self.db.acquire().await?;
        let ids = on_call_at(&mut conn, self.clock.now()).await?;
        Ok(sqlx::query_scalar!(
            "select display_name from staff_user where staff_user_id = any($1) order by display_name",
            &ids
        )
        .fetch_all(&mut *conn)
        .await?)
    }

    /// Adds a shift (an administrator's act; the caller checks the role), with its audit entry.
    pub async fn add_shift(&self, shift: NewShift, by: Uuid) -> Result<Uuid, NotifyError> {
        let shift_id = Uuid::new_v4();
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let added = sqlx::query!(
            "insert into on_call_shift (shift_id, staff_user_id, weekday, starts_minute, ends_minute,
                                        utc_offset_minutes, created_by, created_at)
             select $1, u.staff_user_id, $3, $4, $5, $6, $7, $8 from staff_user u
             where u.email = $2 and u.status <> 'disabled'
               and (u.roles && array['handler', 'supervisor'])",
            shift_id,
            &shift.email,
            shift.weekday,
            shift.starts_minute,
            shift.ends_minute,
            shift.utc_offset_minutes,
            by,
            now
        )
        .execute(&mut *tx)
        .await?;
        if added.rows_affected() == 0 {
            return Err(NotifyError::Invalid {
                code: ErrorCode::InvalidShift,
                message: "no handler or supervisor account has that e-mail",
            });
        }
        let details = json!({"added": shift_id, "weekday": shift.weekday, "starts_minute": shift.starts_minute,
                             "ends_minute": shift.ends_minute, "utc_offset_minutes": shift.utc_offset_minutes});
        rota_audit(&mut tx, by, details, now).await?;
        tx.commit().await?;
        Ok(shift_id)
    }

    /// Removes a shift, with its audit entry.
    pub async fn remove_shift(&self, shift_id: Uuid, by: Uuid) -> Result<(), NotifyError> {
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let removed = sqlx::query!("delete from on_call_shift where shift_id = $1", shift_id).execute(&mut *tx).await?;
        if removed.rows_affected() == 0 {
            return Err(NotifyError::NotFound);
        }
        rota_audit(&mut tx, by, json!({"removed": shift_id}), now).await?;
        tx.commit().await?;
        Ok(())
    }
}

async fn rota_audit(
    tx: &mut PgConnection,
    by: Uuid,
    details: serde_json::Value,
    now: DateTime<Utc>,
) -> Result<(), NotifyError> {
    let entry = NewEntry::new(Actor::Staff(by), AuditAction::OnCallChanged).details(details);
    audit::record(tx, entry, now).await.map_err(|e| NotifyError::Internal(e.into()))?;
    Ok(())
}
