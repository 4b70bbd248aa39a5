//! The purge log: an append-only file beside the master key, one line per purged case
//! (`<case id> <purge time, RFC 3339>`). A backup of the database taken before a purge
//! still holds the case; after restoring it, the log says what must go again.
//!
//! The lines are written and synced to disk before the purge's transaction commits. If the
//! process dies in between, the log names a case that was not purged; re-applying the log
//! then purges it, which is right, since it was due.

use std::collections::BTreeMap;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use anyhow::Context;
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// The purge log file.
#[derive(Debug, Clone)]
pub struct PurgeLog {
    path: PathBuf,
}

impl PurgeLog {
    /// The log at `path` (created on first append).
    pub fn new(path: PathBuf) -> Self {
        PurgeLog { path }
    }

    /// Where it is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one line per case and syncs the file to disk before returning. Each line is
    /// written by one `write` on a file opened for appending, so processes appending at
    /// once never interleave inside a line.
    pub async fn append(&self, cases: &[Uuid], at: DateTime<Utc>) -> anyhow::Result<()> {
        if cases.is_empty() {
            return Ok(());
        }
        let text: String = cases.iter().map(|id| format!("{id} {}\n", at.to_rfc3339())).collect();
        let path = self.path.clone();
        tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
            }
            let mut file = std::fs::OpenOptions::new()
                .append(true)
                .create(true)
                .mode(0o600)
                .open(&path)
                .with_context(|| format!("cannot open the purge log {}", path.display()))?;
            for line in text.lines() {
                file.write_all(format!("{line}\n").as_bytes())
                    .with_context(|| format!("cannot write the purge log {}", path.display()))?;
            }
            file.sync_data().with_context(|| format!("cannot sync the purge log {}", path.display()))
        })
        .await
        .context("the purge log writer stopped")?
    }

    /// Every case the log lists, with its first purge time; none when there is no log yet.
    /// A line that does not parse is an error naming its number: a damaged log must be
    /// looked at, not half applied.
    pub fn read(&self) -> anyhow::Result<BTreeMap<Uuid, DateTime<Utc>>> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
            Err(error) => {
                return Err(error).with_context(|| format!("cannot read the purge log {}", self.path.display()));
            }
        };
        let mut cases = BTreeMap::new();
        for (number, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let parsed = line.split_once(' ').and_then(|(id, at)| {
                Some((id.parse::<Uuid>().ok()?, DateTime::parse_from_rfc3339(at.trim()).ok()?.with_timezone(&Utc)))
            });
            let (id, at) = parsed.with_context(|| {
                format!("line {} of the purge log {} is not `<case id> <time>`", number + 1, self.path.display())
            })?;
            cases.entry(id).or_insert(at);
        }
        Ok(cases)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn appended_lines_read_back_and_a_damaged_line_is_named() {
        let dir = std::env::temp_dir().join(format!("shelter-purge-log-{}", Uuid::new_v4()));
        let log = PurgeLog::new(dir.join("sub").join("purged.log"));
        assert!(log.read().map(|c| c.is_empty()).unwrap_or(false), "no log yet: nothing listed");
        let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
        let at = Utc::now();
        assert!(log.append(&[a, b], at).await.is_ok());
        assert!(log.append(&[a], at + chrono::Duration::hours(1)).await.is_ok());
        let read = log.read().unwrap_or_default();
        assert_eq!(read.len(), 2);
        assert_eq!(read.get(&a).map(|t| t.timestamp()), Some(at.timestamp()), "the first purge time counts");
        std::fs::write(log.path(), "not a line\n").unwrap_or_default();
        let error = log.read().err().map(|e| e.to_string()).unwrap_or_default();
        assert!(error.contains("line 1"), "{error}");
        let _ = std::fs::remove_dir_all(dir);
    }
}
