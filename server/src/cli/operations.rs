//! `shelter backup …` and `shelter keys …`: running an installation for real.

use std::io::Read;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::Subcommand;

use crate::clock::SystemClock;
use crate::config::DatabaseSettings;
use crate::db::{self, DatabaseHandle};
use crate::rotation::{self, Outcome, Pace};
use crate::{backup, custody, keys};

#[derive(Debug, Subcommand)]
pub(super) enum BackupCommand {
    /// Take a consistent snapshot with pg_dump into FILE, with a manifest (never the master key).
    Create {
        /// The backup file to write.
        #[arg(long)]
        out: PathBuf,
        /// Database and data directory.
        #[command(flatten)]
        database: DatabaseSettings,
    },
    /// Check a backup: manifest, SHA-256 of the dump, and that pg_restore can read it.
    Verify {
        /// The backup file.
        file: PathBuf,
    },
    /// Restore a backup into an EMPTY database (a non-empty one is refused).
    Restore {
        /// The backup file.
        file: PathBuf,
        /// Database and data directory.
        #[command(flatten)]
        database: DatabaseSettings,
        /// The purge log to re-apply (default `purged.log` beside the master key file).
        #[arg(long, env = "SHELTER_PURGE_LOG")]
        purge_log: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub(super) enum KeysCommand {
    /// Replace the master key: re-seal every key under it, online, in batches; run again to resume.
    Rotate {
        /// Values re-sealed per transaction.
        #[arg(long, default_value_t = 500, value_parser = clap::value_parser!(i64).range(1..=100_000))]
        batch_size: i64,
        /// Milliseconds to pause after each batch, to spare a busy database.
        #[arg(long, default_value_t = 0)]
        pause_ms: u64,
        /// Drop an unfinished rotation instead (the current key keeps working).
        #[arg(long)]
        abandon: bool,
        /// Database and data directory.
        #[command(flatten)]
        database: DatabaseSettings,
    },
    /// Print the master key as N shares for trustees, any K of which rebuild it.
    Split {
        /// How many shares (trustees).
        #[arg(long, value_parser = clap::value_parser!(u8).range(2..=255))]
        shares: u8,
        /// How many shares rebuild the key.
        #[arg(long, value_parser = clap::value_parser!(u8).range(2..=255))]
        threshold: u8,
        /// The key file to split (default: the master key of the data dir).
        #[arg(long, env = "SHELTER_MASTER_KEY_FILE")]
        master_key_file: Option<PathBuf>,
        /// Where Shelter keeps its files.
        #[arg(long, env = "SHELTER_DATA_DIR", default_value = "./data")]
        data_dir: PathBuf,
    },
    /// Rebuild the master key file from shares (files, or standard input when none are named).
    Recover {
        /// Files holding shares as printed.
        files: Vec<PathBuf>,
        /// The key file to write; it must not exist yet.
        #[arg(long)]
        out: PathBuf,
    },
}

pub(super) async fn backup(command: BackupCommand) -> anyhow::Result<()> {
    match command {
        BackupCommand::Create { out, database } => {
            let handle = DatabaseHandle::open(&database).await?;
            let made = backup::create(&handle, &database, &out).await;
            let closed = handle.close().await;
            let manifest = made?;
            closed?;
            println!("backup written to {}", out.display());
            print_manifest(&manifest);
            println!("it does not hold the master key: keep the key (or its shares) apart from the backups");
            Ok(())
        }
        BackupCommand::Verify { file } => {
            let (manifest, objects) = backup::verify(&file).await?;
            println!("backup {} is intact: SHA-256 matches, pg_restore reads {objects} objects", file.display());
            print_manifest(&manifest);
            Ok(())
        }
        BackupCommand::Restore { file, database, purge_log } => {
            let retention = crate::config::RetentionSettings { purge_log, ..Default::default() };
            let purge_log = retention.purge_log_path(&database.master_key_path());
            let handle = DatabaseHandle::open(&database).await?;
            let restored = backup::restore(&handle, &database, &file, &purge_log, &SystemClock).await;
            let closed = handle.close().await;
            let restored = restored?;
            closed?;
            println!("restored {} ({} audit entries; the trail verifies)", file.display(), restored.entries);
            println!(
                "{} case(s) purged since the backup was taken were purged again (purge log {})",
                restored.purged_again,
                purge_log.display()
            );
            if let Some(head) = &restored.manifest.audit_head {
                println!("the backup's audit head {}:{} is in the chain", head.seq, head.hash);
            }
            let key_id = restored.manifest.master_key_id.as_deref().unwrap_or("none");
            match restored.key_matches {
                Some(true) => println!("the master key file opens this data"),
                Some(false) => println!(
                    "WARNING: the master key file {} is not the key of this backup (key id {key_id}): Shelter will \
                     refuse to start until you put that key there (rebuild it from its shares if need be)",
                    database.master_key_path().display()
                ),
                None => println!(
                    "now put the master key of this backup (key id {key_id}) at {} before starting Shelter",
                    database.master_key_path().display()
                ),
            }
            Ok(())
        }
    }
}

fn print_manifest(manifest: &backup::Manifest) {
    println!("  taken at        {}", manifest.created_at.format("%Y-%m-%d %H:%M:%S UTC"));
    println!("  installation    {}", manifest.installation_id);
    println!("  schema version  {}", manifest.schema_version);
    match &manifest.audit_head {
        Some(head) => println!("  audit head      {}:{}", head.seq, head.hash),
        None => println!("  audit head      none (empty trail)"),
    }
    println!("  dump            {} bytes, SHA-256 {}", manifest.dump_bytes, manifest.dump_sha256);
    println!("  made by         {}", manifest.pg_dump);
    println!("  needs key id    {}", manifest.master_key_id.as_deref().unwrap_or("none"));
}

pub(super) async fn keys_command(command: KeysCommand) -> anyhow::Result<()> {
    match command {
        KeysCommand::Rotate { batch_size, pause_ms, abandon, database } => {
            let handle = DatabaseHandle::open(&database).await?;
            let pool = db::pool(handle.options.clone(), 2);
            let key_path = database.master_key_path();
            let result: anyhow::Result<String> = async {
                db::migrate(&handle.options).await?;
                if abandon {
                    return Ok(if rotation::abandon(&handle.options, &pool, &key_path, &SystemClock).await? {
                        "the unfinished rotation was dropped; the current master key goes on as before".to_owned()
                    } else {
                        "no rotation was in progress".to_owned()
                    });
                }
                let pace = Pace { batch: batch_size, pause: Duration::from_millis(pause_ms) };
                let mut progress = |what: &str, done: u64| println!("re-sealed {done} {what}");
                let outcome =
                    rotation::rotate(&handle.options, &pool, &key_path, pace, &SystemClock, &mut progress).await?;
                Ok(match outcome {
                    Outcome::Rotated { generation, resealed } => format!(
                        "the master key is rotated (generation {generation}, {resealed} values re-sealed in this run): \
                         {} holds the new key. Running servers stop by themselves; restart them. Take a new backup and \
                         split the new key for the trustees now: older backups still need the old key",
                        key_path.display()
                    ),
                    Outcome::FinishedEarlier => {
                        format!("an earlier rotation was finished: {} now holds the new key", key_path.display())
                    }
                })
            }
            .await;
            pool.close().await;
            let closed = handle.close().await;
            println!("{}", result?);
            closed
        }
        KeysCommand::Split { shares, threshold, master_key_file, data_dir } => {
            if threshold > shares {
                bail!("--threshold ({threshold}) cannot exceed --shares ({shares})");
            }
            let path = master_key_file.unwrap_or_else(|| data_dir.join("master.key"));
            let master = keys::read_key_file(&path)?;
            let printed = custody::split(&master, shares, threshold)?;
            println!(
                "{shares} shares of the master key {} (key id {}); any {threshold} rebuild it with `shelter keys recover`.\n\
                 Give each trustee one share, on paper, and keep no copy here.\n",
                path.display(),
                custody::key_id(&master)
            );
            for share in printed {
                println!("{}", share.text);
            }
            Ok(())
        }
        KeysCommand::Recover { files, out } => {
            if out.exists() {
                bail!("{} exists already: name a new file (a key file is never overwritten)", out.display());
            }
            let mut text = String::new();
            if files.is_empty() {
                std::io::stdin().read_to_string(&mut text).context("cannot read the shares from standard input")?;
            }
            for file in &files {
                text.push_str(
                    &std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?,
                );
                text.push('\n');
            }
            let key = custody::recover(&text)?;
            keys::write_key_file(&out, &key)?;
            println!("the master key (key id {}) is written to {}", custody::key_id(&key), out.display());
            Ok(())
        }
    }
}
