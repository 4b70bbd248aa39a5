//! Which migrations the database has, compared with the ones built into this binary: for
//! `shelter migrate --check`, `shelter doctor` and rolling upgrades.

use sqlx::PgConnection;

use super::MIGRATOR;

/// The database's migrations against this binary's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MigrationStatus {
    /// Built into this binary and not yet applied: version and description.
    pub pending: Vec<(i64, String)>,
    /// Applied by a newer binary and unknown to this one (harmless while migrations stay
    /// additive: an older instance keeps working beside a newer one).
    pub newer: Vec<i64>,
}

/// Reads the applied migrations, without changing anything.
pub async fn migration_status(conn: &mut PgConnection) -> sqlx::Result<MigrationStatus> {
    let table: Option<String> =
        sqlx::query_scalar!("select to_regclass('_sqlx_migrations')::text").fetch_one(&mut *conn).await?;
    let applied: Vec<i64> = match table {
        Some(_) => {
            sqlx::query_scalar!("select version from _sqlx_migrations where success order by version")
                .fetch_all(&mut *conn)
                .await?
        }
        None => Vec::new(),
    };
    let pending = MIGRATOR
        .iter()
        .filter(|m| !m.migration_type.is_down_migration() && !applied.contains(&m.version))
        .map(|m| (m.version, m.description.to_string()))
        .collect();
    let newer = applied.into_iter().filter(|v| !MIGRATOR.version_exists(*v)).collect();
    Ok(MigrationStatus { pending, newer })
}
