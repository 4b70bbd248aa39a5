//! The checks of `shelter doctor` against the database: reachable, migrations, clock.

use std::time::Duration;

use sqlx::{ConnectOptions, Connection};

use super::{Check, Status};
use crate::config::DatabaseSettings;
use crate::db::DatabaseHandle;

/// Clocks further apart than this make sessions, SLA clocks and TOTP codes disagree.
const MAX_CLOCK_SKEW: chrono::Duration = chrono::Duration::seconds(60);

/// Reachable; migrations current; its clock and ours within a minute.
pub async fn database(settings: &DatabaseSettings) -> Vec<Check> {
    let fail = |name: &'static str, detail: String| Check::new(name, Status::Fail, detail);
    // With DATABASE_URL unset this attaches to the embedded cluster as every command does
    // (and leaves a serving instance's cluster running).
    let handle = match tokio::time::timeout(Duration::from_secs(60), DatabaseHandle::open(settings)).await {
        Ok(Ok(handle)) => handle,
        Ok(Err(error)) => return vec![fail("database", format!("cannot open it: {error:#}"))],
        Err(_) => return vec![fail("database", "not up within 60 s".into())],
    };
    let checks = database_checks(&handle.options).await;
    if let Err(error) = handle.close().await {
        tracing::warn!(error = format!("{error:#}"), "could not stop the embedded cluster");
    }
    checks
}

async fn database_checks(options: &sqlx::postgres::PgConnectOptions) -> Vec<Check> {
    let fail = |name: &'static str, detail: String| Check::new(name, Status::Fail, detail);
    let mut conn = match tokio::time::timeout(Duration::from_secs(10), options.connect()).await {
        Ok(Ok(conn)) => conn,
        Ok(Err(error)) => return vec![fail("database", format!("cannot connect: {error}"))],
        Err(_) => return vec![fail("database", "no answer within 10 s".into())],
    };
    let mut checks = vec![Check::new("database", Status::Pass, "reachable")];
    checks.push(match crate::db::status::migration_status(&mut conn).await {
        Err(error) => fail("migrations", format!("cannot read them: {error}")),
        Ok(status) if !status.pending.is_empty() => {
            let list: Vec<String> = status.pending.iter().map(|(v, d)| format!("{v} {d}")).collect();
            fail("migrations", format!("{} pending ({}): run `shelter migrate`", list.len(), list.join(", ")))
        }
        Ok(status) if !status.newer.is_empty() => Check::new(
            "migrations",
            Status::Warn,
            format!("the database has migrations newer than this binary ({:?}): finish the upgrade", status.newer),
        ),
        Ok(_) => Check::new("migrations", Status::Pass, "current"),
    });
    let before = chrono::Utc::now();
    let theirs: sqlx::Result<chrono::DateTime<chrono::Utc>> =
        sqlx::query_scalar!(r#"select clock_timestamp() as "now!""#).fetch_one(&mut conn).await;
    let after = chrono::Utc::now();
    checks.push(match theirs {
        Err(error) => fail("clock", format!("cannot read the database's clock: {error}")),
        Ok(theirs) => clock(before + (after - before) / 2, theirs),
    });
    let _ = conn.close().await;
    checks
}

/// Our clock against the database's.
fn clock(ours: chrono::DateTime<chrono::Utc>, theirs: chrono::DateTime<chrono::Utc>) -> Check {
    let skew = (ours - theirs).abs();
    let detail = format!("{} ms from the database's", skew.num_milliseconds());
    if skew > MAX_CLOCK_SKEW {
        Check::new(
            "clock",
            Status::Fail,
            format!("{detail}: more than a minute; run NTP (systemd-timesyncd, chrony) on both"),
        )
    } else {
        Check::new("clock", Status::Pass, detail)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clock_a_minute_off_the_databases_fails_and_a_second_passes() {
        let now = chrono::Utc::now();
        assert_eq!(clock(now, now - chrono::Duration::seconds(1)).status, Status::Pass);
        assert_eq!(clock(now, now + chrono::Duration::seconds(61)).status, Status::Fail);
        assert_eq!(clock(now, now - chrono::Duration::seconds(90)).status, Status::Fail);
    }
}
