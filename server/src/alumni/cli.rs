//! `shelter alumni import FILE.csv [--dry-run]`, `shelter alumni reindex`.

use std::path::PathBuf;
use std::sync::Arc;

use clap::Subcommand;

use super::Alumni;
use crate::clock::SystemClock;
use crate::config::DatabaseSettings;

/// What `shelter alumni` does.
#[derive(Debug, Subcommand)]
pub enum AlumniCommand {
    /// Import members from a CSV file (UTF-8, header row; see the README for the columns).
    /// Reports every bad row by line and field; rows are matched on external_id, so
    /// importing the same file again changes nothing. Exits non-zero if any row was refused.
    Import {
        /// The CSV file.
        file: PathBuf,
        /// Check and report only; store nothing.
        #[arg(long)]
        dry_run: bool,
        /// Database and data directory.
        #[command(flatten)]
        database: DatabaseSettings,
    },
    /// Remake the name search tokens of members indexed by an older version (the server
    /// also does it when it starts); prints how many.
    Reindex {
        /// Database and data directory.
        #[command(flatten)]
        database: DatabaseSettings,
    },
}

/// Runs `shelter alumni …`.
pub async fn run(command: AlumniCommand) -> anyhow::Result<()> {
    let (file, dry_run, database) = match command {
        AlumniCommand::Import { file, dry_run, database } => (file, dry_run, database),
        AlumniCommand::Reindex { database } => return reindex(&database).await,
    };
    let bytes = std::fs::read(&file).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
    let key_file = database.master_key_path();
    let report = crate::cli::with_pool(&database, async |pool| {
        let keys = Arc::new(crate::keys::load(&key_file, pool).await?);
        let alumni = Alumni { db: pool.clone(), keys, clock: Arc::new(SystemClock), reads: Default::default() };
        let by = crate::audit::Actor::Operator(crate::cli::os_user());
        alumni.import(&bytes, dry_run, by).await.map_err(|e| anyhow::anyhow!("{e}"))
    })
    .await?;
    for line in report.lines() {
        println!("{line}");
    }
    match report.rejected() {
        0 => Ok(()),
        n => anyhow::bail!("{n} row(s) refused; the others were {}", if dry_run { "checked" } else { "imported" }),
    }
}

async fn reindex(database: &DatabaseSettings) -> anyhow::Result<()> {
    let key_file = database.master_key_path();
    let done = crate::cli::with_pool(database, async |pool| {
        let keys = Arc::new(crate::keys::load(&key_file, pool).await?);
        Alumni { db: pool.clone(), keys, clock: Arc::new(SystemClock), reads: Default::default() }.reindex().await
    })
    .await?;
    println!("re-indexed {done} member(s)");
    Ok(())
}
