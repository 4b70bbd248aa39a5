//! `shelter backup create | verify | restore`: a consistent snapshot made with the real
//! `pg_dump`, with a manifest, and its way back into an empty database.
//!
//! A backup is a tar file holding `manifest.json` (time, installation, schema version, audit
//! head, SHA-256 and size of the dump, the id of the master key it needs) and
//! `database.dump` (pg_dump's custom format). It never holds the master key: keep that
//! apart (see the README). The head and schema version are read in the very snapshot
//! pg_dump copies (an exported snapshot), so the manifest describes the dump exactly.

pub mod tools;

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};
use shelter_shared::audit::AuditAction;
use sqlx::{ConnectOptions, Connection, PgPool};
use uuid::Uuid;

use crate::audit::verify::Anchor;
use crate::audit::{self, Actor, NewEntry};
use crate::clock::Clock;
use crate::config::DatabaseSettings;
use crate::db::{self, DatabaseHandle};
use crate::keys;
use tools::{Target, Tools};

/// The format written in every manifest.
pub const FORMAT: &str = "shelter-backup/1";
const MANIFEST: &str = "manifest.json";
const DUMP: &str = "database.dump";

/// The audit trail's head when the backup was taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Head {
    /// Sequence number.
    pub seq: i64,
    /// Hash, hexadecimal.
    pub hash: String,
}

/// What a backup says about itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// [`FORMAT`].
    pub format: String,
    /// When the snapshot was taken.
    pub created_at: DateTime<Utc>,
    /// Which installation it is.
    pub installation_id: Uuid,
    /// The latest migration applied.
    pub schema_version: i64,
    /// The audit head in the snapshot (none: an empty trail).
    pub audit_head: Option<Head>,
    /// SHA-256 of `database.dump`, hexadecimal.
    pub dump_sha256: String,
    /// Size of `database.dump` in bytes.
    pub dump_bytes: u64,
    /// The pg_dump that made it.
    pub pg_dump: String,
    /// Major version of that pg_dump (pg_restore must be at least this).
    pub pg_dump_major: u32,
    /// The id of the master key the data is sealed under (not the key): see `shelter keys split`.
    pub master_key_id: Option<String>,
}

/// A file removed when dropped (dumps extracted or written on the way).
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(suffix);
    path.with_file_name(name)
}

fn private_file(path: &Path) -> anyhow::Result<File> {
    std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("cannot write {}", path.display()))
}

fn sha256_of(path: &Path) -> anyhow::Result<(String, u64)> {
    let mut file = BufReader::new(File::open(path).with_context(|| format!("cannot read {}", path.display()))?);
    let mut hash = Sha256::new();
    let mut buffer = vec![0u8; 1 << 16];
    let mut total = 0u64;
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        hash.update(&buffer[..n]);
        total += n as u64;
    }
    Ok((hex::encode(hash.finalize()), total))
}

fn embedded_bin(handle: &DatabaseHandle) -> Option<&Path> {
    handle.embedded.as_ref().map(|cluster| cluster.bin_dir())
}

/// Takes a backup of the database behind `handle` into `out` (written beside, then renamed).
pub async fn create(handle: &DatabaseHandle, settings: &DatabaseSettings, out: &Path) -> anyhow::Result<Manifest> {
    let mut conn = handle.options.connect().await.context("Failed to connect to PostgreSQL")?;
    let tools = tools::find(embedded_bin(handle), tools::server_major(&mut conn).await?).await?;
    let mut snapshot = conn.begin().await?;
    sqlx::query!("set transaction isolation level repeatable read, read only").execute(&mut *snapshot).await?;
    let name: String =
        sqlx::query_scalar!(r#"select pg_export_snapshot() as "snapshot!""#).fetch_one(&mut *snapshot).await?;
    let installation = sqlx::query!("select installation_id, master_key_check from installation")
        .fetch_one(&mut *snapshot)
        .await
        .context("this database holds no Shelter installation")?;
    let (installation_id, check) = (installation.installation_id, installation.master_key_check);
    let schema_version: i64 =
        sqlx::query_scalar!(r#"select max(version) as "version!" from _sqlx_migrations where success"#)
            .fetch_one(&mut *snapshot)
            .await?;
    let head = sqlx::query!("select seq, hash from audit_log order by seq desc limit 1")
        .fetch_optional(&mut *snapshot)
        .await?
        .map(|row| (row.seq, row.hash));
    let created_at = Utc::now();
    let dump = Scratch(beside(out, ".dump.partial"));
    drop(private_file(&dump.0)?);
    let mut command = tools.command("pg_dump", &Target::new(&handle.options, settings.database_url.as_deref()));
    command.args(["--format=custom", "--no-password", "--snapshot", &name, "--file"]).arg(&dump.0);
    tools::run(command, "pg_dump").await?;
    snapshot.commit().await?;
    let _ = conn.close().await;

    let (dump_sha256, dump_bytes) = sha256_of(&dump.0)?;
    let manifest = Manifest {
        format: FORMAT.to_owned(),
        created_at,
        installation_id,
        schema_version,
        audit_head: head.map(|(seq, hash)| Head { seq, hash: hex::encode(hash) }),
        dump_sha256,
        dump_bytes,
        pg_dump: tools.version.clone(),
        pg_dump_major: tools.major,
        master_key_id: check.map(|c| hex::encode(&c[..4.min(c.len())])),
    };
    let partial = beside(out, ".partial");
    let file = private_file(&partial)?;
    let mut archive = tar::Builder::new(BufWriter::new(file));
    let text = serde_json::to_vec_pretty(&manifest)?;
    let mut header = tar::Header::new_gnu();
    header.set_size(text.len() as u64);
    header.set_mode(0o600);
    header.set_mtime(created_at.timestamp().max(0) as u64);
    header.set_cksum();
    archive.append_data(&mut header, MANIFEST, text.as_slice())?;
    archive.append_path_with_name(&dump.0, DUMP)?;
    let file = archive.into_inner()?.into_inner().map_err(|e| e.into_error())?;
    file.sync_all()?;
    std::fs::rename(&partial, out).with_context(|| format!("cannot write {}", out.display()))?;
    Ok(manifest)
}

/// Reads a backup: its manifest, and its dump extracted beside `scratch_dir`, hash checked.
fn open_archive(path: &Path, scratch_dir: &Path) -> anyhow::Result<(Manifest, Scratch)> {
    let file = File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut archive = tar::Archive::new(BufReader::new(file));
    let mut manifest: Option<Manifest> = None;
    let dump = Scratch(scratch_dir.join(format!(".shelter-restore-{}.dump", Uuid::new_v4().simple())));
    let mut found_dump = false;
    for entry in archive.entries().with_context(|| format!("{} is not a Shelter backup (tar)", path.display()))? {
        let mut entry = entry.with_context(|| format!("{} is damaged: cannot read its entries", path.display()))?;
        let name = entry.path()?.to_string_lossy().into_owned();
        match name.as_str() {
            MANIFEST => {
                let mut text = Vec::new();
                entry.read_to_end(&mut text)?;
                manifest = Some(serde_json::from_slice(&text).context("the backup's manifest is damaged")?);
            }
            DUMP => {
                let mut out = private_file(&dump.0)?;
                std::io::copy(&mut entry, &mut out).with_context(|| format!("{} is damaged", path.display()))?;
                out.flush()?;
                found_dump = true;
            }
            other => bail!("{} holds an unexpected file {other:?}: it is not a Shelter backup", path.display()),
        }
    }
    let manifest =
        manifest.with_context(|| format!("{} has no manifest: it is not a Shelter backup", path.display()))?;
    if manifest.format != FORMAT {
        bail!("{} is in format {:?}; this Shelter reads {FORMAT:?}", path.display(), manifest.format);
    }
    if !found_dump {
        bail!("{} has no database dump", path.display());
    }
    let (sha, bytes) = sha256_of(&dump.0)?;
    if sha != manifest.dump_sha256 || bytes != manifest.dump_bytes {
        bail!(
            "{} is damaged: its dump's SHA-256 is {sha} ({bytes} bytes), the manifest says {} ({} bytes)",
            path.display(),
            manifest.dump_sha256,
            manifest.dump_bytes
        );
    }
    Ok((manifest, dump))
}

/// Lists the dump's table of contents with pg_restore: proves it is readable.
async fn list(tools: &Tools, dump: &Path) -> anyhow::Result<usize> {
    let mut command = tokio::process::Command::new(tools.dir.join("pg_restore"));
    command.arg("--list").arg(dump);
    let out = tools::run(command, "pg_restore --list").await?;
    Ok(String::from_utf8_lossy(&out).lines().filter(|l| !l.starts_with(';') && !l.trim().is_empty()).count())
}

/// Checks a backup without any database: manifest, hash, and pg_restore can read the dump.
/// Returns the manifest and the number of objects in the dump.
pub async fn verify(path: &Path) -> anyhow::Result<(Manifest, usize)> {
    let (manifest, dump) = open_archive(path, &std::env::temp_dir())?;
    let tools = tools::find(None, manifest.pg_dump_major).await?;
    let objects = list(&tools, &dump.0).await?;
    Ok((manifest, objects))
}

/// What a restore did.
#[derive(Debug, Clone)]
pub struct Restored {
    /// The backup's manifest.
    pub manifest: Manifest,
    /// Audit entries in the restored trail (before the restore's own entry).
    pub entries: u64,
    /// Whether the master key file opens the restored data (`None`: no key file there).
    pub key_matches: Option<bool>,
    /// Cases purged after the backup was taken, purged again from the purge log.
    pub purged_again: usize,
}

/// Restores the backup at `path` into the database behind `handle`, which must be empty.
pub async fn restore(
    handle: &DatabaseHandle,
    settings: &DatabaseSettings,
    path: &Path,
    purge_log: &Path,
    clock: &dyn Clock,
) -> anyhow::Result<Restored> {
    let mut conn = handle.options.connect().await.context("Failed to connect to PostgreSQL")?;
    refuse_non_empty(&mut conn).await?;
    let (manifest, dump) = open_archive(path, &std::env::temp_dir())?;
    let server = tools::server_major(&mut conn).await?;
    let tools = tools::find(embedded_bin(handle), server.max(manifest.pg_dump_major)).await?;
    // Roles belong to the cluster, not the dump: the application role may not exist here yet.
    sqlx::raw_sql(ENSURE_APP_ROLE).execute(&mut conn).await?;
    let _ = conn.close().await;
    let mut command = tools.command("pg_restore", &Target::new(&handle.options, settings.database_url.as_deref()));
    command
        .args(["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", "--no-password", "--dbname"])
        .arg(handle.options.get_database().unwrap_or("postgres"))
        .arg(&dump.0);
    tools::run(command, "pg_restore").await?;
    drop(dump);
    // Grants for the application role, and any migration newer than the backup.
    db::migrate(&handle.options).await?;

    let pool = db::pool(handle.options.clone(), 2);
    let result = async {
        let anchor = match &manifest.audit_head {
            Some(head) => Some(format!("{}:{}", head.seq, head.hash).parse::<Anchor>().map_err(anyhow::Error::msg)?),
            None => None,
        };
        let report = audit::verify::verify(&pool, anchor.as_ref()).await?;
        if let Some(fault) = report.fault {
            bail!("the restored audit trail does not verify: {fault}");
        }
        let purged_again = reapply_after_restore(&pool, purge_log, clock).await?;
        let details = json!({
            "backup_created_at": manifest.created_at,
            "audit_head_seq": manifest.audit_head.as_ref().map(|h| h.seq),
            "schema_version": manifest.schema_version,
        });
        audit::record_alone(
            &pool,
            NewEntry::new(Actor::System, AuditAction::BackupRestored).details(details),
            clock.now(),
        )
        .await?;
        let key_matches = key_matches(&pool, &settings.master_key_path()).await?;
        Ok(Restored { manifest: manifest.clone(), entries: report.entries, key_matches, purged_again })
    }
    .await;
    pool.close().await;
    result
}

/// What happened after the backup was taken and must not come back with it: cases purged
/// since are purged again from the purge log kept beside the master key (see
/// [`crate::retention::reapply_purge_log`]), before anyone can read the restored database.
async fn reapply_after_restore(pool: &PgPool, purge_log: &Path, clock: &dyn Clock) -> anyhow::Result<usize> {
    crate::retention::reapply_purge_log(pool, purge_log, clock.now()).await
}

async fn key_matches(pool: &PgPool, key_path: &Path) -> anyhow::Result<Option<bool>> {
    if !key_path.exists() {
        return Ok(None);
    }
    let key = keys::read_key_file(key_path)?;
    let stored: Option<Vec<u8>> =
        sqlx::query_scalar!("select master_key_check from installation").fetch_one(pool).await?;
    Ok(Some(stored.as_deref() == Some(keys::master_check(&key).as_slice())))
}

/// Refuses a database that holds anything of its own: a restore never overwrites.
async fn refuse_non_empty(conn: &mut sqlx::PgConnection) -> anyhow::Result<()> {
    let found = sqlx::query!(
        r#"select current_database()::text as "database!", count(*) as "objects!"
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
         where n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\_toast%'
           and n.nspname not like 'pg\_temp%'"#
    )
    .fetch_one(conn)
    .await?;
    let (database, objects) = (found.database, found.objects);
    if objects > 0 {
        bail!(
            "the database {database:?} is not empty ({objects} tables, indexes or other objects): a backup is only \
             restored into an empty database, so that nothing is overwritten. Create an empty one \
             (`createdb NAME`, then point DATABASE_URL at it) or use a new SHELTER_DATA_DIR"
        );
    }
    Ok(())
}

const ENSURE_APP_ROLE: &str = "
    do $$
    begin
        if not exists (select 1 from pg_roles where rolname = 'shelter_app') then
            create role shelter_app nologin;
        end if;
    exception when duplicate_object or unique_violation then
        null;
    end;
    $$;
";
