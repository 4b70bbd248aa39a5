//! `shelter report donor`: the donor report from the server's shell, as HTML or CSV,
//! suppressed like the page; each run is audited.

use std::path::PathBuf;

use chrono::Utc;
use clap::{Subcommand, ValueEnum};
use serde_json::json;
use shelter_shared::audit::AuditAction;

use super::{Filters, donor_csv, donor_report};
use crate::audit::{self, Actor, NewEntry};
use crate::config::DatabaseSettings;

/// What `shelter report` makes.
#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// The donor report of a period (and fund), every count below the threshold suppressed.
    Donor {
        /// First day, YYYY-MM-DD.
        #[arg(long)]
        from: String,
        /// Last day, YYYY-MM-DD.
        #[arg(long)]
        to: String,
        /// Only this fund (its id).
        #[arg(long)]
        fund: Option<String>,
        /// html (printable) or csv.
        #[arg(long, value_enum, default_value_t = Format::Html)]
        format: Format,
        /// Write here instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Hide every count below this.
        #[arg(long, env = "SHELTER_SUPPRESS_BELOW", default_value_t = 5, value_parser = clap::value_parser!(i64).range(2..=100))]
        suppress_below: i64,
        /// Database and data directory.
        #[command(flatten)]
        database: DatabaseSettings,
    },
}

/// The report's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A printable page.
    Html,
    /// One line per published cell.
    Csv,
}

/// Runs `shelter report …`.
pub async fn run(command: ReportCommand) -> anyhow::Result<()> {
    let ReportCommand::Donor { from, to, fund, format, out, suppress_below, database } = command;
    let today = Utc::now().date_naive();
    let filters = Filters::parse(Some(&from), Some(&to), None, None, None, today)
        .and_then(|f| f.with_fund(fund.as_deref()))
        .and_then(Filters::for_donors)
        .map_err(anyhow::Error::msg)?;
    let bytes = crate::cli::with_pool(&database, async |pool| {
        let now = Utc::now();
        let mut tx = pool.begin().await?;
        let parts = crate::policy::InsightParts { work: true, money: true };
        let report = donor_report(&mut tx, parts, &filters, suppress_below, now).await?;
        let fund_name: Option<String> = match filters.fund {
            Some(id) => {
                sqlx::query_scalar!("select name from fund where fund_id = $1", id).fetch_optional(&mut *tx).await?
            }
            None => None,
        };
        let entry = NewEntry::new(Actor::System, AuditAction::DonorReportExported)
            .details(json!({"from": report.from, "to": report.to, "fund": filters.fund, "via": "command line"}));
        audit::record(&mut tx, entry, now).await?;
        tx.commit().await?;
        Ok(match format {
            Format::Csv => donor_csv(&report)?,
            Format::Html => shelter_frontend::pages::staff::insights::render_donor_file(report, fund_name).into_bytes(),
        })
    })
    .await?;
    match out {
        Some(path) => std::fs::write(&path, bytes).map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display())),
        None => {
            use std::io::Write;
            std::io::stdout().write_all(&bytes)?;
            Ok(())
        }
    }
}
