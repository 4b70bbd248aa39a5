//! Finding `pg_dump` and `pg_restore` no older than the server, and telling them where it is.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use sqlx::postgres::PgConnectOptions;
use tokio::process::Command;

use crate::db::embedded::BIN_DIR_VAR;

/// A pair of client tools of one PostgreSQL version.
#[derive(Debug, Clone)]
pub struct Tools {
    /// The directory holding them.
    pub dir: PathBuf,
    /// Their major version.
    pub major: u32,
    /// Their full version line.
    pub version: String,
}

impl Tools {
    /// A command for `tool` (pg_dump, pg_restore) of this pair, reaching `target`.
    pub fn command(&self, tool: &str, target: &Target) -> Command {
        let mut command = Command::new(self.dir.join(tool));
        target.apply(&mut command);
        command
    }
}

/// `pg_dump --version` → ("15", "pg_dump (PostgreSQL) 15.14 …").
async fn version_of(dir: &Path) -> Option<(u32, String)> {
    let output = Command::new(dir.join("pg_dump")).arg("--version").output().await.ok()?;
    let line = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    let number = line.split_whitespace().find(|w| w.chars().next().is_some_and(|c| c.is_ascii_digit()))?;
    let major = number.split('.').next()?.parse().ok()?;
    Some((major, line))
}

fn has_pair(dir: &Path) -> bool {
    dir.join("pg_dump").is_file() && dir.join("pg_restore").is_file()
}

/// The newest pair at least `min_major`: the embedded cluster's own (`preferred`), else
/// `SHELTER_PG_BIN_DIR`, else PATH and `/usr/lib/postgresql/*/bin`.
pub async fn find(preferred: Option<&Path>, min_major: u32) -> anyhow::Result<Tools> {
    let mut candidates: Vec<PathBuf> = Vec::new();
    if let Some(dir) = std::env::var_os(BIN_DIR_VAR) {
        candidates.push(dir.into());
    }
    match preferred {
        Some(dir) => candidates.insert(0, dir.to_path_buf()),
        None => {
            if let Some(path) = std::env::var_os("PATH") {
                candidates.extend(std::env::split_paths(&path));
            }
            if let Ok(entries) = std::fs::read_dir("/usr/lib/postgresql") {
                candidates.extend(entries.filter_map(|e| Some(e.ok()?.path().join("bin"))));
            }
        }
    }
    let mut found = Vec::new();
    for dir in candidates.into_iter().filter(|d| has_pair(d)) {
        if let Some((major, version)) = version_of(&dir).await {
            found.push(Tools { dir, major, version });
        }
    }
    if preferred.is_some()
        && let Some(own) = found.first().filter(|t| t.major >= min_major)
    {
        return Ok(own.clone());
    }
    found.sort_by_key(|t| t.major);
    match found.iter().rev().find(|t| t.major >= min_major) {
        Some(tools) => Ok(tools.clone()),
        None => {
            let seen = if found.is_empty() {
                "none was found".to_owned()
            } else {
                found.iter().map(|t| format!("{} in {}", t.version, t.dir.display())).collect::<Vec<_>>().join("; ")
            };
            bail!(
                "backups need pg_dump and pg_restore of PostgreSQL {min_major} or newer ({seen}): install them \
                 (on Debian: `apt-get install postgresql-client-{min_major}`, or a newer one) or name their \
                 directory in {BIN_DIR_VAR}"
            )
        }
    }
}

/// The server's major version.
pub async fn server_major(conn: &mut sqlx::PgConnection) -> anyhow::Result<u32> {
    let number: Option<String> = sqlx::query_scalar!("show server_version_num").fetch_one(conn).await?;
    let number = number.unwrap_or_default();
    let number: u32 = number.parse().context("cannot read the server's version")?;
    Ok(number / 10_000)
}

/// Where the tools connect: libpq's environment variables (the password never on a command line).
#[derive(Debug, Clone)]
pub struct Target {
    vars: Vec<(&'static str, String)>,
}

impl Target {
    /// From the options Shelter connects with, and the `DATABASE_URL` they came from (for
    /// the password and TLS mode, which the options do not give back).
    pub fn new(options: &PgConnectOptions, url: Option<&str>) -> Target {
        let host = match options.get_socket() {
            Some(dir) => dir.display().to_string(),
            None => options.get_host().to_owned(),
        };
        let mut vars = vec![
            ("PGHOST", host),
            ("PGPORT", options.get_port().to_string()),
            ("PGUSER", options.get_username().to_owned()),
            ("PGDATABASE", options.get_database().unwrap_or("postgres").to_owned()),
        ];
        if let Some(url) = url.and_then(|u| url::Url::parse(u).ok()) {
            if let Some(password) = url.password() {
                // Percent-decoding (form decoding, with a literal `+` kept as itself).
                let encoded = format!("p={}", password.replace('+', "%2B"));
                let decoded = url::form_urlencoded::parse(encoded.as_bytes())
                    .next()
                    .map(|(_, v)| v.into_owned())
                    .unwrap_or_default();
                vars.push(("PGPASSWORD", decoded));
            }
            if let Some((_, mode)) = url.query_pairs().find(|(k, _)| k == "sslmode") {
                vars.push(("PGSSLMODE", mode.into_owned()));
            }
        }
        Target { vars }
    }

    fn apply(&self, command: &mut Command) {
        for (name, value) in &self.vars {
            command.env(name, value);
        }
    }
}

/// Runs `command`; on failure, says what the tool said.
pub async fn run(mut command: Command, what: &str) -> anyhow::Result<Vec<u8>> {
    let output = command.output().await.with_context(|| format!("cannot run {what}"))?;
    if !output.status.success() {
        bail!("{what} failed: {}", String::from_utf8_lossy(&output.stderr).trim());
    }
    Ok(output.stdout)
}
