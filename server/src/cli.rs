//! The `shelter` command line.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::app::Application;
use crate::config::{DatabaseSettings, ServeSettings};
use crate::db::{self, DatabaseHandle};
use crate::{shutdown, telemetry};

/// Shelter: emergency aid and risk-incident case management for human-rights defenders.
#[derive(Debug, Parser)]
#[command(name = "shelter", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the web application and the API (the default).
    Serve(ServeSettings),
    /// Apply pending database migrations, then exit.
    Migrate(DatabaseSettings),
}

/// Parses the command line, runs the command and maps failure to a non-zero exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let command = match cli.command {
        Some(command) => command,
        // No subcommand means `serve`, configured from the environment.
        None => match Cli::try_parse_from(["shelter", "serve"]) {
            Ok(Cli { command: Some(command) }) => command,
            Ok(_) => return ExitCode::FAILURE,
            Err(error) => error.exit(),
        },
    };
    telemetry::init();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("shelter: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(command)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(error = format!("{error:#}"), "shelter stopped with an error");
            eprintln!("shelter: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Serve(settings) => serve(settings).await,
        Command::Migrate(settings) => migrate(settings).await,
    }
}

async fn serve(settings: ServeSettings) -> anyhow::Result<()> {
    let database = DatabaseHandle::open(&settings.database).await?;
    let served = async {
        let app = Application::build(&settings, database.options.clone()).await?;
        tracing::info!(
            address = %app.address()?,
            metrics = %app.metrics_address()?,
            "Shelter is listening"
        );
        app.run_until(shutdown::signal_received()).await
    }
    .await;
    // Stop the embedded cluster whether serving ended well or not.
    let closed = database.close().await;
    served.and(closed)
}

async fn migrate(settings: DatabaseSettings) -> anyhow::Result<()> {
    let database = DatabaseHandle::open(&settings).await?;
    let pool = db::pool(database.options.clone(), 2);
    let migrated = db::migrate(&pool).await;
    pool.close().await;
    if migrated.is_ok() {
        tracing::info!("database migrations are up to date");
    }
    let closed = database.close().await;
    migrated.and(closed)
}
