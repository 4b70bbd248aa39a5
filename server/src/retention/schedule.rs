//! The schedule: when a case's personal data is due for purging, and the cases that are.

use chrono::{DateTime, Duration, Months, Utc};
use serde::Serialize;
use shelter_shared::case::Outcome;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::config::RetentionSettings;

/// Outcomes kept only briefly: the network did not take the case up.
pub const SHORT_OUTCOMES: &[Outcome] = &[Outcome::Declined, Outcome::Duplicate, Outcome::Withdrawn];

/// How long personal data is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Schedule {
    /// Days after closing for declined, duplicate and withdrawn cases.
    pub declined_days: u32,
    /// Months after closing for every other outcome (resolved, referred out, unreachable).
    pub closed_months: u32,
    /// Years a purged case's payment keeps its external reference (the accounting period).
    pub accounts_years: u32,
    /// Days between a requester's deletion request and the purge.
    pub cooling_days: u32,
}

/// Why a case is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// Its retention period after closing ended.
    Schedule,
    /// The requester asked, and the cooling-off period ended.
    Requested,
    /// Listed in the purge log but present again (a restored backup).
    Reapplied,
}

impl Reason {
    /// As stored in audit details.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Schedule => "schedule",
            Reason::Requested => "requested",
            Reason::Reapplied => "reapplied",
        }
    }
}

/// The cut-off times at `now`: whatever closed (or was requested) before them is due.
#[derive(Debug, Clone, Copy)]
pub struct Cutoffs {
    /// Short outcomes closed before this are due.
    pub declined: DateTime<Utc>,
    /// Other outcomes closed before this are due.
    pub closed: DateTime<Utc>,
    /// Deletion requests made before this are due.
    pub requested: DateTime<Utc>,
    /// Payments of purged cases made before this lose their external reference.
    pub accounts: DateTime<Utc>,
}

impl Schedule {
    /// The schedule the settings give.
    pub fn from_settings(settings: &RetentionSettings) -> Self {
        Schedule {
            declined_days: settings.retain_declined_days,
            closed_months: settings.retain_closed_months,
            accounts_years: settings.retain_accounts_years,
            cooling_days: settings.deletion_cooling_days,
        }
    }

    /// The cooling-off period of a deletion request.
    pub fn cooling(&self) -> Duration {
        Duration::days(i64::from(self.cooling_days))
    }

    /// The cut-offs at `now` (calendar months and years, as people count them).
    pub fn cutoffs(&self, now: DateTime<Utc>) -> Cutoffs {
        let months_back = |months: u32| now.checked_sub_months(Months::new(months)).unwrap_or(DateTime::<Utc>::MIN_UTC);
        Cutoffs {
            declined: now - Duration::days(i64::from(self.declined_days)),
            closed: months_back(self.closed_months),
            requested: now - self.cooling(),
            accounts: months_back(self.accounts_years.saturating_mul(12)),
        }
    }
}

/// A case the next run would purge.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DueCase {
    /// Id.
    pub case_id: Uuid,
    /// Reference.
    pub reference: String,
    /// Its state now.
    pub status: String,
    /// Outcome, when closed.
    pub outcome: Option<String>,
    /// Closed at.
    pub closed_at: Option<DateTime<Utc>>,
    /// When the requester asked for deletion, if they did.
    pub deletion_requested_at: Option<DateTime<Utc>>,
}

impl DueCase {
    /// Why it is due: a requester's deletion whose cooling-off ended comes first.
    pub fn reason(&self, cutoffs: &Cutoffs) -> Reason {
        if self.deletion_requested_at.is_some_and(|at| at <= cutoffs.requested) {
            Reason::Requested
        } else {
            Reason::Schedule
        }
    }
}

/// `due_cases!(macro, [Struct,] "select …", "order …", cutoffs, more args…)`: one checked
/// query over the cases due, the condition written once and pasted between the caller's
/// literals ($1 to $4 are the cutoffs and the short outcomes).
macro_rules! due_cases {
    ($macro:ident, $($out:ident,)? $select:literal, $tail:literal, $cutoffs:expr $(, $arg:expr)*) => {
        sqlx::$macro!(
            $($out,)?
            $select + "
             from cases c
             where c.purged_at is null
               and ((c.status = 'closed' and c.outcome = any($4) and c.closed_at <= $1)
                 or (c.status = 'closed' and not (c.outcome = any($4)) and c.closed_at <= $2)
                 or c.deletion_requested_at <= $3)
               and not exists (select 1 from case_legal_hold h where h.case_id = c.case_id and h.lifted_at is null)"
                + $tail,
            $cutoffs.declined,
            $cutoffs.closed,
            $cutoffs.requested,
            SHORT_OUTCOMES as _
            $(, $arg)*
        )
    };
}

/// The cases due at `cutoffs`, oldest first, at most `limit`; not held, not yet purged.
/// With `lock`, each row is locked for the transaction and rows another process holds
/// are skipped: two runs at once never take the same case.
pub async fn due(conn: &mut PgConnection, cutoffs: &Cutoffs, limit: i64, lock: bool) -> sqlx::Result<Vec<DueCase>> {
    if lock {
        due_cases!(
            query_as,
            DueCase,
            "select c.case_id, c.reference, c.status, c.outcome, c.closed_at, c.deletion_requested_at",
            " order by coalesce(c.closed_at, c.deletion_requested_at), c.case_id limit $5 for update of c skip locked",
            cutoffs,
            limit
        )
        .fetch_all(conn)
        .await
    } else {
        due_cases!(
            query_as,
            DueCase,
            "select c.case_id, c.reference, c.status, c.outcome, c.closed_at, c.deletion_requested_at",
            " order by coalesce(c.closed_at, c.deletion_requested_at), c.case_id limit $5",
            cutoffs,
            limit
        )
        .fetch_all(conn)
        .await
    }
}

/// How many cases are due.
pub async fn count_due(conn: &mut PgConnection, cutoffs: &Cutoffs) -> sqlx::Result<i64> {
    due_cases!(query_scalar, r#"select count(*) as "count!""#, "", cutoffs).fetch_one(conn).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cutoffs_count_calendar_months_and_days() {
        let schedule = Schedule { declined_days: 90, closed_months: 24, accounts_years: 7, cooling_days: 7 };
        let now = "2026-03-31T12:00:00Z".parse::<DateTime<Utc>>().unwrap_or_default();
        let cut = schedule.cutoffs(now);
        assert_eq!(cut.declined, now - Duration::days(90));
        assert_eq!(cut.closed.to_rfc3339(), "2024-03-31T12:00:00+00:00");
        assert_eq!(cut.requested, now - Duration::days(7));
        assert_eq!(cut.accounts.to_rfc3339(), "2019-03-31T12:00:00+00:00");
    }
}
