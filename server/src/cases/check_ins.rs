//! Check-ins: after a relocation or a release on bail, a handler asks the requester to say
//! "I am all right" at least every so often (interval, grace period, until when), with an
//! optional safe word agreed beforehand (stored as an argon2id hash, like a passphrase).
//! A wrong safe word, or a check-in from the calm view, is a duress signal. A slot unanswered
//! past its grace period tells the handler, then (a grace period later) the supervisors,
//! each exactly once per slot (a primary key on schedule and slot, and dedupe keys on the
//! notices). Check-ins end at their end date, or when the case closes.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use secrecy::SecretString;
use serde::Serialize;
use serde_json::json;
use shelter_shared::audit::AuditAction;
use shelter_shared::case::CaseState;
use sqlx::PgConnection;
use uuid::Uuid;

use super::portal::RequesterSession;
use super::triage::{Staff, WorkError};
use super::{CaseError, Cases};
use crate::audit::{self, Actor, NewEntry, Subject};
use crate::policy::{self, Action};

/// Longest interval between check-ins: 30 days.
pub const MAX_EVERY_HOURS: i64 = 720;
/// Longest grace period: 7 days.
pub const MAX_GRACE_HOURS: i64 = 168;
/// Furthest end date: a year ahead.
pub const MAX_DAYS: i64 = 366;
/// Supervisors hear of a missed check-in one grace period after the handler, and never
/// sooner than this.
const SUPERVISOR_DELAY_MINUTES: i32 = 30;
/// Missed slots recorded per transaction (a backlog after an outage is worked off in rounds).
const BATCH: i64 = 100;

/// A schedule asked for, already checked.
#[derive(Debug, Clone)]
pub struct NewSchedule {
    /// Minutes between check-ins.
    pub every_minutes: i32,
    /// Minutes of grace after each.
    pub grace_minutes: i32,
    /// When check-ins end.
    pub until: DateTime<Utc>,
    /// The agreed safe word, normalised like a passphrase.
    pub safe_word: Option<String>,
}

impl NewSchedule {
    /// Checks the numbers and the end (a date `YYYY-MM-DD`, meaning the end of that day in
    /// UTC, or an RFC 3339 time); one plain message for the first problem.
    pub fn parse(
        every_hours: i64,
        grace_hours: i64,
        until: &str,
        safe_word: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Self, String> {
        if !(1..=MAX_EVERY_HOURS).contains(&every_hours) {
            return Err(format!("Check-ins come every 1 to {MAX_EVERY_HOURS} hours."));
        }
        if !(0..=MAX_GRACE_HOURS).contains(&grace_hours) {
            return Err(format!("The grace period is 0 to {MAX_GRACE_HOURS} hours."));
        }
        let until = until.trim();
        let until = match NaiveDate::parse_from_str(until, "%Y-%m-%d") {
            Ok(day) => day.and_hms_opt(23, 59, 59).map(|t| t.and_utc()),
            Err(_) => DateTime::parse_from_rfc3339(until).ok().map(|t| t.with_timezone(&Utc)),
        }
        .ok_or("Give the end as a date, YYYY-MM-DD.")?;
        if until < now + Duration::hours(every_hours) {
            return Err("The end must leave room for at least one check-in.".into());
        }
        if until > now + Duration::days(MAX_DAYS) {
            return Err(format!("Check-ins end within {MAX_DAYS} days; schedule them again later if needed."));
        }
        let safe_word = safe_word.map(shelter_shared::passphrase::normalise).filter(|w| !w.is_empty());
        if safe_word.as_ref().is_some_and(|w| w.chars().count() > 100) {
            return Err("A safe word has at most 100 characters.".into());
        }
        Ok(NewSchedule {
            every_minutes: i32::try_from(every_hours * 60).unwrap_or(i32::MAX),
            grace_minutes: i32::try_from(grace_hours * 60).unwrap_or(i32::MAX),
            until,
            safe_word,
        })
    }
}

/// Where the requester can check in from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// The portal page.
    Portal,
    /// The JSON API (a hotline bot).
    Api,
}

impl Via {
    fn as_str(self) -> &'static str {
        match self {
            Via::Portal => "portal",
            Via::Api => "api",
        }
    }
}

/// The live schedule as staff see it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct ScheduleInfo {
    /// Id.
    pub schedule_id: Uuid,
    /// Minutes between check-ins.
    pub every_minutes: i32,
    /// Minutes of grace.
    pub grace_minutes: i32,
    /// When it ends.
    pub until: DateTime<Utc>,
    /// When the next check-in is due.
    pub next_due_at: DateTime<Utc>,
    /// Whether a safe word was agreed (never the word).
    pub safe_word: bool,
}

/// One check-in.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct CheckInLine {
    /// When.
    pub at: DateTime<Utc>,
    /// The slot it answered.
    pub due_at: DateTime<Utc>,
    /// `on_time`, `late` (within grace) or `after_miss`.
    pub standing: String,
    /// A wrong safe word or a calm session: the requester may be forced.
    pub duress: bool,
    /// `portal` or `api`.
    pub via: String,
}

/// One missed slot.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct MissLine {
    /// The slot's due time.
    pub due_at: DateTime<Utc>,
    /// When the handler was told.
    pub detected_at: DateTime<Utc>,
    /// When the supervisors were told, if they were.
    pub supervisors_told_at: Option<DateTime<Utc>>,
    /// When a later check-in answered it.
    pub answered_at: Option<DateTime<Utc>>,
}

/// A slot newly missed, or one escalated to the supervisors.
struct Miss {
    schedule_id: Uuid,
    due_at: DateTime<Utc>,
    case_id: Uuid,
}

struct Live {
    schedule_id: Uuid,
    every_minutes: i32,
    grace_minutes: i32,
    until: DateTime<Utc>,
    safe_word_hash: Option<String>,
    next_due_at: DateTime<Utc>,
}

/// The live schedule of an open case, locked for the caller's transaction.
async fn live(conn: &mut PgConnection, case_id: Uuid) -> sqlx::Result<Option<Live>> {
    sqlx::query_as!(
        Live,
        "select s.schedule_id, s.every_minutes, s.grace_minutes, s.until, s.safe_word_hash, s.next_due_at
         from check_in_schedule s join cases c using (case_id)
         where s.case_id = $1 and s.ended_at is null and c.status <> $2 and c.purged_at is null
         for update of s",
        case_id,
        CaseState::Closed as _,
    )
    .fetch_optional(conn)
    .await
}

/// Ends the case's live schedule, if any (the case closed): in the caller's transaction.
pub async fn end_with_case(tx: &mut PgConnection, case_id: Uuid, now: DateTime<Utc>) -> Result<(), WorkError> {
    let ended = sqlx::query_scalar!(
        "update check_in_schedule set ended_at = $2 where case_id = $1 and ended_at is null returning schedule_id",
        case_id,
        now,
    )
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(schedule_id) = ended {
        let entry = NewEntry::new(Actor::System, AuditAction::CheckInsEnded)
            .subject(Subject { kind: "case", id: case_id.to_string() })
            .details(json!({"schedule": schedule_id, "why": "case_closed"}));
        audit::record(tx, entry, now).await?;
    }
    Ok(())
}

fn minutes(m: i32) -> Duration {
    Duration::minutes(i64::from(m))
}

impl Cases {
    /// A handler (of their own case) or a supervisor schedules check-ins; a live schedule
    /// is replaced.
    pub async fn schedule_check_ins(
        &self,
        staff: Staff<'_>,
        case_id: Uuid,
        new: NewSchedule,
    ) -> Result<Uuid, WorkError> {
        policy::authorize(staff.roles, Action::WatchRequester)
            .map_err(|_| WorkError::Forbidden("Only the case's handler or a supervisor schedules check-ins.".into()))?;
        let safe_word_hash = match &new.safe_word {
            Some(word) => Some(self.passwords.hash(&SecretString::from(word.clone())).await?),
            None => None,
        };
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let (case, _) = self.open_case(&mut tx, staff, case_id).await?;
        self.full_access(&mut tx, staff, case_id).await?;
        if case.status == CaseState::Closed {
            return Err(WorkError::Conflict("A closed case has no check-ins.".into()));
        }
        sqlx::query!(
            "update check_in_schedule set ended_at = $2 where case_id = $1 and ended_at is null",
            case_id,
            now
        )
        .execute(&mut *tx)
        .await?;
        let schedule_id = Uuid::new_v4();
        sqlx::query!(
            "insert into check_in_schedule (schedule_id, case_id, every_minutes, grace_minutes, until, safe_word_hash,
                                            next_due_at, created_by, created_at)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            schedule_id,
            case_id,
            new.every_minutes,
            new.grace_minutes,
            new.until,
            safe_word_hash,
            now + minutes(new.every_minutes),
            staff.id,
            now,
        )
        .execute(&mut *tx)
        .await?;
        let entry = NewEntry::new(Actor::Staff(staff.id), AuditAction::CheckInsScheduled)
            .subject(Subject { kind: "case", id: case_id.to_string() })
            .details(json!({"schedule": schedule_id, "every_minutes": new.every_minutes,
                            "grace_minutes": new.grace_minutes, "until": new.until,
                            "safe_word": new.safe_word.is_some()}));
        audit::record(&mut tx, entry, now).await?;
        tx.commit().await?;
        Ok(schedule_id)
    }

    /// Ends the live schedule (the requester is safe, or the plan changed).
    pub async fn end_check_ins(&self, staff: Staff<'_>, case_id: Uuid) -> Result<(), WorkError> {
        policy::authorize(staff.roles, Action::WatchRequester)
            .map_err(|_| WorkError::Forbidden("Only the case's handler or a supervisor ends check-ins.".into()))?;
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        self.full_access(&mut tx, staff, case_id).await?;
        let ended = sqlx::query_scalar!(
            "update check_in_schedule set ended_at = $2 where case_id = $1 and ended_at is null returning schedule_id",
            case_id,
            now,
        )
        .fetch_optional(&mut *tx)
        .await?;
        let schedule_id = ended.ok_or(WorkError::Conflict("No check-ins are scheduled on this case.".into()))?;
        let entry = NewEntry::new(Actor::Staff(staff.id), AuditAction::CheckInsEnded)
            .subject(Subject { kind: "case", id: case_id.to_string() })
            .details(json!({"schedule": schedule_id, "why": "staff"}));
        audit::record(&mut tx, entry, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// When the session's requester is next expected to check in; never for the calm view
    /// (whose request reads as closed, and a closed request has no check-ins).
    pub async fn check_in_due(&self, session: &RequesterSession) -> Result<Option<DateTime<Utc>>, CaseError> {
        if session.calm.is_some() {
            return Ok(None);
        }
        Ok(sqlx::query_scalar!(
            "select s.next_due_at from check_in_schedule s join cases c using (case_id)
             where s.case_id = $1 and s.ended_at is null and c.status <> $2",
            session.case_id,
            CaseState::Closed as _,
        )
        .fetch_optional(&self.db)
        .await?)
    }

    /// The requester checks in. The safe word is always checked (against a dummy when none
    /// was agreed), so a wrong one answers exactly like a right one, and raises a duress
    /// signal. Returns when the next check-in is due.
    pub async fn check_in(
        &self,
        session: &RequesterSession,
        safe_word: Option<&str>,
        via: Via,
    ) -> Result<DateTime<Utc>, CaseError> {
        let none = CaseError::Invalid { message_id: "check-in-none" };
        if session.calm.is_some() {
            // The calm view shows a closed request: nothing to check in to. A check-in
            // from it is a duress signal all the same.
            let now = self.clock.now();
            let mut tx = self.db.begin().await?;
            super::duress::calm_action(&mut tx, session, "check_in", now).await?;
            let actor = Actor::Requester(session.reference.clone());
            super::duress::raise(&mut tx, session.case_id, actor, "calm_check_in", now).await?;
            tx.commit().await?;
            return Err(none);
        }
        let hash = sqlx::query_scalar!(
            "select safe_word_hash from check_in_schedule where case_id = $1 and ended_at is null",
            session.case_id,
        )
        .fetch_optional(&self.db)
        .await?;
        let Some(hash) = hash else { return Err(none) };
        let typed = SecretString::from(shelter_shared::passphrase::normalise(safe_word.unwrap_or_default()));
        let word_ok = self.passwords.verify(&typed, hash.as_deref()).await?.matches;
        let duress = hash.is_some() && !word_ok;
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let schedule = live(&mut tx, session.case_id).await?.ok_or(none)?;
        if schedule.safe_word_hash != hash {
            // Rescheduled meanwhile: the word was checked against the old schedule.
            return Err(CaseError::Invalid { message_id: "error-form-expired" });
        }
        let missed_now = now > schedule.next_due_at + minutes(schedule.grace_minutes);
        if missed_now {
            // Past grace before the clock's next round noticed: the slot counts as missed
            // (answered by this check-in, so nobody needs telling any more).
            sqlx::query!(
                "insert into check_in_miss (schedule_id, due_at, case_id, detected_at) values ($1, $2, $3, $4)
                 on conflict do nothing",
                schedule.schedule_id,
                schedule.next_due_at,
                session.case_id,
                now,
            )
            .execute(&mut *tx)
            .await?;
        }
        let answered = sqlx::query!(
            "update check_in_miss set answered_at = $2 where schedule_id = $1 and answered_at is null",
            schedule.schedule_id,
            now,
        )
        .execute(&mut *tx)
        .await?;
        let standing = if answered.rows_affected() > 0 {
            "after_miss"
        } else if now <= schedule.next_due_at {
            "on_time"
        } else {
            "late"
        };
        let next_due = now + minutes(schedule.every_minutes);
        let check_in_id = Uuid::new_v4();
        sqlx::query!(
            "insert into check_in (check_in_id, schedule_id, case_id, due_at, at, standing, duress, via)
             values ($1, $2, $3, $4, $5, $6, $7, $8)",
            check_in_id,
            schedule.schedule_id,
            session.case_id,
            schedule.next_due_at,
            now,
            standing,
            duress,
            via.as_str(),
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query!(
            "update check_in_schedule set next_due_at = $2,
                    ended_at = case when $2 > until then $3::timestamptz else null end
             where schedule_id = $1",
            schedule.schedule_id,
            next_due,
            now,
        )
        .execute(&mut *tx)
        .await?;
        let entry = NewEntry::new(Actor::Requester(session.reference.clone()), AuditAction::CheckedIn)
            .subject(Subject { kind: "case", id: session.case_id.to_string() })
            .details(json!({"standing": standing, "via": via.as_str(), "due_at": schedule.next_due_at}));
        audit::record(&mut tx, entry, now).await?;
        tx.commit().await?;
        if duress {
            // Beside the answer, as for a duress sign-in: a wrong word answers like a right one.
            let cases = self.clone();
            tokio::spawn(async move {
                if let Err(error) = cases.raise_check_in_duress(check_in_id).await {
                    tracing::warn!(error = %error, "duress alert left to the next clock round");
                }
            });
        }
        Ok(if next_due > schedule.until { schedule.until } else { next_due })
    }

    /// Ends schedules that are over, records every slot newly missed past its grace (telling
    /// the handler) and tells supervisors of misses still unanswered a grace period later.
    /// Returns how many slots were newly missed.
    pub async fn detect_missed_check_ins(&self) -> anyhow::Result<usize> {
        let mut total = 0;
        loop {
            let missed = self.missed_round().await?;
            total += missed;
            if missed < usize::try_from(BATCH).unwrap_or(usize::MAX) {
                return Ok(total);
            }
        }
    }

    async fn missed_round(&self) -> anyhow::Result<usize> {
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let ended = sqlx::query!(
            r#"update check_in_schedule s set ended_at = $1 from cases c
             where c.case_id = s.case_id and s.ended_at is null
               and (c.status = $2 or c.purged_at is not null or s.next_due_at > s.until)
             returning s.schedule_id, s.case_id, c.status = $2 or c.purged_at is not null as "closed!""#,
            now,
            CaseState::Closed as _,
        )
        .fetch_all(&mut *tx)
        .await?;
        for row in ended {
            let (schedule_id, case_id, closed) = (row.schedule_id, row.case_id, row.closed);
            let entry = NewEntry::new(Actor::System, AuditAction::CheckInsEnded)
                .subject(Subject { kind: "case", id: case_id.to_string() })
                .details(json!({"schedule": schedule_id, "why": if closed { "case_closed" } else { "until" }}));
            audit::record(&mut tx, entry, now).await?;
        }
        let missed = sqlx::query_as!(
            Miss,
            r#"with due as (
                 select schedule_id, case_id, next_due_at from check_in_schedule
                 where ended_at is null and next_due_at + make_interval(mins => grace_minutes) < $1
                 order by next_due_at limit $2 for update skip locked),
             missed as (
                 insert into check_in_miss (schedule_id, due_at, case_id, detected_at)
                 select schedule_id, next_due_at, case_id, $1 from due
                 on conflict do nothing
                 returning schedule_id, due_at, case_id),
             moved as (
                 update check_in_schedule s set next_due_at = s.next_due_at + make_interval(mins => s.every_minutes)
                 from due where s.schedule_id = due.schedule_id)
             select schedule_id as "schedule_id!", due_at as "due_at!", case_id as "case_id!" from missed"#,
            now,
            BATCH,
        )
        .fetch_all(&mut *tx)
        .await?;
        for Miss { schedule_id, due_at, case_id } in &missed {
            audit_miss(&mut tx, *schedule_id, *due_at, *case_id, "handler", now).await?;
            crate::notify::hooks::check_in_missed(&mut tx, *case_id, &due_at.to_rfc3339(), now).await?;
        }
        // Whatever became of the schedule since (ended by the handler, past its end date):
        // a silence nobody answered reaches the supervisors, unless the case is closed.
        let escalated = sqlx::query_as!(
            Miss,
            "update check_in_miss m set supervisors_told_at = $1 from check_in_schedule s
             where s.schedule_id = m.schedule_id
               and exists (select 1 from cases c where c.case_id = m.case_id and c.status <> $3)
               and m.answered_at is null and m.supervisors_told_at is null
               and m.detected_at + greatest(make_interval(mins => s.grace_minutes), make_interval(mins => $2)) <= $1
             returning m.schedule_id, m.due_at, m.case_id",
            now,
            SUPERVISOR_DELAY_MINUTES,
            CaseState::Closed as _,
        )
        .fetch_all(&mut *tx)
        .await?;
        for Miss { schedule_id, due_at, case_id } in &escalated {
            audit_miss(&mut tx, *schedule_id, *due_at, *case_id, "supervisors", now).await?;
            crate::notify::hooks::check_in_still_missed(&mut tx, *case_id, &due_at.to_rfc3339(), now).await?;
        }
        tx.commit().await?;
        Ok(missed.len())
    }

    /// Runs [`Cases::raise_owed_duress`] and [`Cases::detect_missed_check_ins`] every `every`.
    pub fn spawn_check_in_clock(self: std::sync::Arc<Self>, every: std::time::Duration) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            let mut ticker = tokio::time::interval(every);
            loop {
                ticker.tick().await;
                match self.raise_owed_duress().await {
                    Ok(0) => {}
                    Ok(n) => tracing::warn!(alerts = n, "owed duress alerts raised"),
                    Err(error) => tracing::warn!(error = %error, "could not raise owed duress alerts"),
                }
                match self.detect_missed_check_ins().await {
                    Ok(0) => {}
                    Ok(n) => tracing::warn!(missed = n, "check-ins missed"),
                    Err(error) => tracing::warn!(error = format!("{error:#}"), "could not check check-ins"),
                }
            }
        })
    }

    /// The live schedule, the check-ins and the missed slots of a case (newest first), read
    /// on `conn`.
    pub(crate) async fn check_in_history(
        &self,
        conn: &mut PgConnection,
        case_id: Uuid,
    ) -> Result<(Option<ScheduleInfo>, Vec<CheckInLine>, Vec<MissLine>), WorkError> {
        let schedule = sqlx::query_as!(
            ScheduleInfo,
            r#"select schedule_id, every_minutes, grace_minutes, until, next_due_at,
                      safe_word_hash is not null as "safe_word!"
             from check_in_schedule where case_id = $1 and ended_at is null"#,
            case_id,
        )
        .fetch_optional(&mut *conn)
        .await?;
        let check_ins = sqlx::query_as!(
            CheckInLine,
            "select at, due_at, standing, duress, via from check_in where case_id = $1 order by at desc limit 100",
            case_id,
        )
        .fetch_all(&mut *conn)
        .await?;
        let misses = sqlx::query_as!(
            MissLine,
            "select due_at, detected_at, supervisors_told_at, answered_at from check_in_miss
             where case_id = $1 order by due_at desc limit 100",
            case_id,
        )
        .fetch_all(&mut *conn)
        .await?;
        Ok((schedule, check_ins, misses))
    }
}

/// The audit entry of a missed slot of `schedule_id` due at `due_at`, saying who was `told`.
async fn audit_miss(
    tx: &mut sqlx::PgConnection,
    schedule_id: Uuid,
    due_at: DateTime<Utc>,
    case_id: Uuid,
    told: &str,
    now: DateTime<Utc>,
) -> Result<(), audit::AuditError> {
    let entry = NewEntry::new(Actor::System, AuditAction::CheckInMissed)
        .subject(Subject { kind: "case", id: case_id.to_string() })
        .details(json!({"schedule": schedule_id, "due_at": due_at, "told": told}));
    audit::record(tx, entry, now).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedules_are_bounded_and_end_at_the_end_of_their_day() {
        let now: DateTime<Utc> = "2026-12-01T00:00:00Z".parse().unwrap_or_default();
        let ok = NewSchedule::parse(24, 6, "2026-12-31", Some("  Green  Tea "), now)
            .map(|s| (s.every_minutes, s.grace_minutes, s.until.to_rfc3339(), s.safe_word));
        assert_eq!(ok, Ok((1440, 360, "2026-12-31T23:59:59+00:00".to_owned(), Some("green tea".to_owned()))));
        assert!(NewSchedule::parse(0, 1, "2026-12-31", None, now).is_err());
        assert!(NewSchedule::parse(721, 1, "2026-12-31", None, now).is_err());
        assert!(NewSchedule::parse(24, 169, "2026-12-31", None, now).is_err());
        assert!(NewSchedule::parse(24, 1, "2026-12-01", None, now).is_err(), "no room for one");
        assert!(NewSchedule::parse(24, 1, "2028-01-01", None, now).is_err(), "too far");
        assert!(NewSchedule::parse(24, 1, "next week", None, now).is_err());
        assert_eq!(NewSchedule::parse(24, 1, "2026-12-31", Some("  "), now).map(|s| s.safe_word), Ok(None));
    }
}
