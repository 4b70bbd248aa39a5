//! What the retention page, the API and `shelter retention preview` show: the schedule,
//! what the next run would purge, and the held cases. Reading it changes nothing.

use serde::Serialize;
use sqlx::PgConnection;
use uuid::Uuid;

use super::Retention;
use super::hold::{self, Hold};
use super::schedule::{self, DueCase, Reason, Schedule};

/// Most cases the page and the API list (pages stay small); the CLI lists them all.
pub const PREVIEW_MAX: i64 = 100;

/// A case the next run would purge, and why.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DueLine {
    /// The case.
    #[serde(flatten)]
    pub case: DueCase,
    /// Why it is due.
    pub reason: Reason,
}

/// The retention page's content.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Overview {
    /// The schedule in force.
    pub schedule: Schedule,
    /// Where the purge log is.
    pub purge_log: String,
    /// What the next run would purge (at most [`PREVIEW_MAX`]), oldest first.
    pub due: Vec<DueLine>,
    /// How many cases the next run would purge in all.
    pub due_total: i64,
    /// Cases under a legal hold.
    pub holds: Vec<Hold>,
}

impl Retention {
    /// What the next run would purge now, at most `limit` cases; changes nothing.
    pub async fn preview(&self, limit: i64) -> anyhow::Result<Vec<DueLine>> {
        self.preview_on(&mut *self.db.acquire().await?, limit).await
    }

    async fn preview_on(&self, conn: &mut PgConnection, limit: i64) -> anyhow::Result<Vec<DueLine>> {
        let cutoffs = self.schedule.cutoffs(self.clock.now());
        let due = schedule::due(conn, &cutoffs, limit, false).await?;
        Ok(due.into_iter().map(|case| DueLine { reason: case.reason(&cutoffs), case }).collect())
    }

    /// The overview for `viewer`: cases they declared a conflict on are left out.
    pub async fn overview(&self, viewer: Uuid) -> anyhow::Result<Overview> {
        let mut conn = self.db.acquire().await?;
        let mut due = self.preview_on(&mut conn, PREVIEW_MAX).await?;
        let conflicts = sqlx::query_scalar!("select case_id from case_conflict where staff_user_id = $1", viewer)
            .fetch_all(&mut *conn)
            .await?;
        due.retain(|line| !conflicts.contains(&line.case.case_id));
        let due_total = schedule::count_due(&mut conn, &self.schedule.cutoffs(self.clock.now())).await?;
        Ok(Overview {
            due_total,
            schedule: self.schedule,
            purge_log: self.log.path().display().to_string(),
            due,
            holds: hold::holds(&mut conn, viewer).await?,
        })
    }
}
