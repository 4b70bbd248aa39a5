//! The administrator's home: what needs them about the installation, never about a case:
//! accounts waiting for confirmation, notices that could not be delivered, and the key
//! and backup state `shelter doctor` checks (the same check functions).

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use super::PendingAccount;
use crate::doctor::{Status, checks};

/// Where the key and backups are (from `serve`'s settings).
#[derive(Debug, Clone)]
pub struct Housekeeping {
    /// The master key file.
    pub key_file: PathBuf,
    /// Where backups are written, if configured.
    pub backup_dir: Option<PathBuf>,
    /// The age at which the newest backup is too old.
    pub backup_max_age_hours: u64,
}

/// The newest backup, as the administrator's home tells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackupState {
    /// No backup folder is configured (`SHELTER_BACKUP_DIR`).
    NotConfigured,
    /// The folder cannot be read.
    Unreadable,
    /// The folder holds no backup.
    NoneYet,
    /// The newest is this many hours old; too old past the setting.
    Newest {
        /// Its age in hours.
        hours: u64,
        /// Older than `SHELTER_BACKUP_MAX_AGE_HOURS`.
        too_old: bool,
    },
}

/// What the administrator's home shows.
#[derive(Debug, Clone)]
pub struct AdminHome {
    /// Accounts waiting for a supervisor's confirmation.
    pub pending: Vec<PendingAccount>,
    /// Notice deliveries given up on (see `/staff/notices`).
    pub failed_notices: i64,
    /// The key file passes `shelter doctor`'s check (present, 0600, ours).
    pub key_file_safe: bool,
    /// Where the key file is.
    pub key_file: String,
    /// The newest backup.
    pub backups: BackupState,
    /// The age at which a backup is too old.
    pub backup_max_age_hours: u64,
    /// A master-key rotation started then and has not finished.
    pub rotation_started: Option<DateTime<Utc>>,
}

/// Reads the administrator's home.
pub async fn read(conn: &mut PgConnection, housekeeping: &Housekeeping) -> sqlx::Result<AdminHome> {
    let pending = super::pending_accounts(conn).await?.into_iter().map(|(account, _)| account).collect();
    let failed_notices =
        sqlx::query_scalar!(r#"select count(*) as "count!" from notice_delivery where status = 'failed'"#)
            .fetch_one(&mut *conn)
            .await?;
    let rotation_started =
        sqlx::query_scalar!("select started_at from key_rotation").fetch_optional(&mut *conn).await?;
    let key_file_safe = checks::key_file(&housekeeping.key_file).status == Status::Pass;
    let backups = match &housekeeping.backup_dir {
        None => BackupState::NotConfigured,
        Some(dir) => match checks::newest_backup_age(dir) {
            Err(_) => BackupState::Unreadable,
            Ok(None) => BackupState::NoneYet,
            Ok(Some(age)) => BackupState::Newest {
                hours: age.as_secs() / 3600,
                too_old: age.as_secs() > housekeeping.backup_max_age_hours * 3600,
            },
        },
    };
    Ok(AdminHome {
        pending,
        failed_notices,
        key_file_safe,
        key_file: housekeeping.key_file.display().to_string(),
        backups,
        backup_max_age_hours: housekeeping.backup_max_age_hours,
        rotation_started,
    })
}
