//! `shelter doctor`: checks what an operator gets wrong, each as pass, warn or fail, read
//! from the same settings `shelter serve` reads. It changes nothing (it never migrates).

pub mod checks;
mod database;

use clap::Args;
use serde::Serialize;

use crate::config::ServeSettings;

/// Settings of `shelter doctor`: those of `serve` (where backups are kept among them).
#[derive(Debug, Clone, Args)]
pub struct DoctorSettings {
    /// Everything `shelter serve` reads.
    #[command(flatten)]
    pub serve: ServeSettings,

    /// Print JSON (for monitoring) instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// How a check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// As it should be.
    Pass,
    /// Worth a look; not wrong in itself.
    Warn,
    /// Wrong: fix before relying on this installation.
    Fail,
}

/// One check's outcome.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    /// A short stable name, e.g. `key_file`.
    pub name: &'static str,
    /// Pass, warn or fail.
    pub status: Status,
    /// What was found, and on a fail what to do.
    pub detail: String,
}

impl Check {
    fn new(name: &'static str, status: Status, detail: impl Into<String>) -> Self {
        Check { name, status, detail: detail.into() }
    }
}

/// Every check's outcome, in order.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// No check failed.
    pub ok: bool,
    /// The checks.
    pub checks: Vec<Check>,
}

impl Report {
    /// A table for people.
    pub fn table(&self) -> String {
        let mut out = String::new();
        for check in &self.checks {
            let status = match check.status {
                Status::Pass => "pass",
                Status::Warn => "WARN",
                Status::Fail => "FAIL",
            };
            out.push_str(&format!("{status:<5} {:<16} {}\n", check.name, check.detail));
        }
        out
    }
}

/// Runs every check.
pub async fn run(settings: &DoctorSettings) -> Report {
    let serve = &settings.serve;
    let mut checks = vec![
        checks::key_file(&serve.database.master_key_path()),
        checks::public_url(serve.public_url.as_deref()),
        checks::listeners(serve),
        checks::playbooks(&serve.playbooks_dir),
    ];
    checks.extend(database::database(&serve.database).await);
    checks.push(checks::smtp(&serve.notify).await);
    checks.push(checks::backups(serve.backups.backup_dir.as_deref(), serve.backups.backup_max_age_hours));
    let ok = checks.iter().all(|c| c.status != Status::Fail);
    Report { ok, checks }
}
