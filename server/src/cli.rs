//! The `shelter` command line.

mod operations;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::app::Application;
use crate::audit::verify::Anchor;
use crate::clock::SystemClock;
use crate::config::{DatabaseSettings, ServeSettings};
use crate::db::{self, DatabaseHandle};
use crate::identity::Identity;
use crate::identity::admin::Admin;
use crate::identity::enrolment::NewAccount;
use crate::{keys, shutdown, telemetry};
use shelter_shared::staff::{Email, Role};
use std::sync::Arc;

/// Shelter: emergency aid and risk-incident case management for human-rights defenders.
#[derive(Debug, Parser)]
#[command(name = "shelter", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
#[expect(clippy::large_enum_variant, reason = "parsed once at start-up; boxing buys nothing")]
enum Command {
    /// Serve the web application and the API (the default).
    Serve(ServeSettings),
    /// Apply pending database migrations, then exit (`--check`: only say whether any are pending).
    Migrate(MigrateArgs),
    /// Manage staff accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Check and anchor the tamper-evident audit trail.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Work with playbooks.
    #[command(subcommand)]
    Playbooks(PlaybooksCommand),
    /// Back the database up, check a backup, restore one.
    #[command(subcommand)]
    Backup(operations::BackupCommand),
    /// Rotate the master key; split it into shares for trustees, rebuild it from them.
    #[command(subcommand)]
    Keys(operations::KeysCommand),
    /// Reports, with every small count suppressed.
    #[command(subcommand)]
    Report(crate::insights::cli::ReportCommand),
    /// The alumni registry: import members from CSV, re-index their names.
    #[command(subcommand)]
    Alumni(crate::alumni::cli::AlumniCommand),
    /// Purge personal data whose retention ended.
    #[command(subcommand)]
    Retention(RetentionCommand),
    /// Check the installation (key file, database, migrations, playbooks, URLs, SMTP,
    /// backups, clock); exit non-zero on any fail.
    Doctor(Box<crate::doctor::DoctorSettings>),
}

#[derive(Debug, clap::Args)]
struct MigrateArgs {
    /// Change nothing: list pending migrations and exit non-zero if there are any.
    #[arg(long)]
    check: bool,
    /// Database and data directory.
    #[command(flatten)]
    database: DatabaseSettings,
}

#[derive(Debug, Subcommand)]
enum RetentionCommand {
    /// List what the next run would purge, and why; changes nothing.
    Preview {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
        /// Database and data directory.
        #[command(flatten)]
        database: DatabaseSettings,
        /// The retention schedule.
        #[command(flatten)]
        retention: crate::config::RetentionSettings,
    },
    /// Purge every case whose retention ended now (the server also does so hourly).
    Run {
        /// Database and data directory.
        #[command(flatten)]
        database: DatabaseSettings,
        /// The retention schedule.
        #[command(flatten)]
        retention: crate::config::RetentionSettings,
    },
}

#[derive(Debug, Subcommand)]
enum PlaybooksCommand {
    /// Check every playbook in DIR (default: SHELTER_PLAYBOOKS_DIR or ./playbooks); exit non-zero on any problem.
    Check {
        /// The folder to check.
        dir: Option<std::path::PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// Walk the whole chain; exit non-zero and name the first fault if anything was changed.
    Verify {
        /// A head written down earlier (`SEQ:HASH` from `shelter audit head`, or just the hash): prove it is still in the chain.
        #[arg(long)]
        anchor: Option<Anchor>,
        /// Database and data directory.
        #[command(flatten)]
        database: DatabaseSettings,
    },
    /// Print the current head (`SEQ:HASH`) to keep elsewhere (on paper, with a partner).
    Head {
        /// Database and data directory.
        #[command(flatten)]
        database: DatabaseSettings,
    },
    /// Record the current head as a checkpoint now (the server does so hourly).
    Checkpoint {
        /// Database and data directory.
        #[command(flatten)]
        database: DatabaseSettings,
    },
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Create a staff account and print its one-time enrolment code (valid 24 hours).
    Add {
        /// Sign-in e-mail.
        #[arg(long)]
        email: String,
        /// Name shown to colleagues.
        #[arg(long)]
        name: String,
        /// Role: handler, supervisor, finance, partner or admin (repeat or separate with commas).
        #[arg(long = "role", required = true, value_delimiter = ',')]
        roles: Vec<Role>,
        /// For a partner account: the id of its organisation in the partner directory.
        #[arg(long)]
        partner: Option<uuid::Uuid>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
        /// Database and data directory.
        #[command(flatten)]
        database: DatabaseSettings,
    },
    /// Disable an account and end its sessions at once.
    Disable {
        /// Sign-in e-mail.
        #[arg(long)]
        email: String,
        /// Database and data directory.
        #[command(flatten)]
        database: DatabaseSettings,
    },
    /// Clear an account's second factor, end its sessions and print a new enrolment code.
    #[command(name = "reset-2fa")]
    ResetTwoFactor {
        /// Sign-in e-mail.
        #[arg(long)]
        email: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
        /// Database and data directory.
        #[command(flatten)]
        database: DatabaseSettings,
    },
    /// Lift a sign-in lock after too many failures.
    Unlock {
        /// Sign-in e-mail.
        #[arg(long)]
        email: String,
        /// Database and data directory.
        #[command(flatten)]
        database: DatabaseSettings,
    },
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
    match telemetry::LogFormat::from_env() {
        Ok(format) => telemetry::init(format),
        Err(error) => {
            eprintln!("shelter: {error}");
            return ExitCode::FAILURE;
        }
    }
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
        Command::Migrate(MigrateArgs { check: false, database }) => migrate(database).await,
        Command::Migrate(MigrateArgs { check: true, database }) => migrate_check(database).await,
        Command::Doctor(settings) => doctor(settings).await,
        Command::User(command) => user(command).await,
        Command::Audit(command) => audit_command(command).await,
        Command::Backup(command) => operations::backup(command).await,
        Command::Keys(command) => operations::keys_command(command).await,
        Command::Report(command) => crate::insights::cli::run(command).await,
        Command::Retention(command) => retention_command(command).await,
        Command::Alumni(command) => crate::alumni::cli::run(command).await,
        Command::Playbooks(PlaybooksCommand::Check { dir }) => {
            let dir = dir
                .or_else(|| std::env::var_os("SHELTER_PLAYBOOKS_DIR").map(Into::into))
                .unwrap_or_else(|| "./playbooks".into());
            let playbooks = crate::app::load_playbooks(&dir)?;
            for playbook in playbooks.all() {
                println!(
                    "ok  {:<18} v{}  {} tasks  {}",
                    playbook.kind,
                    playbook.version,
                    playbook.tasks.len(),
                    playbook.title
                );
            }
            Ok(())
        }
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
    let migrated = db::migrate(&database.options).await;
    if migrated.is_ok() {
        tracing::info!("database migrations are up to date");
    }
    let closed = database.close().await;
    migrated.and(closed)
}

/// Lists pending migrations; an error (non-zero exit) when there are any.
async fn migrate_check(settings: DatabaseSettings) -> anyhow::Result<()> {
    let database = DatabaseHandle::open(&settings).await?;
    let status = async {
        use sqlx::{ConnectOptions, Connection};
        let mut conn = database.options.connect().await?;
        let status = db::status::migration_status(&mut conn).await?;
        conn.close().await?;
        anyhow::Ok(status)
    }
    .await;
    let closed = database.close().await;
    let status = status?;
    closed?;
    for version in &status.newer {
        println!("newer  {version} (applied by a newer shelter)");
    }
    for (version, description) in &status.pending {
        println!("pending  {version} {description}");
    }
    match status.pending.len() {
        0 => {
            println!("migrations are current");
            Ok(())
        }
        n => anyhow::bail!("{n} migration(s) pending: run `shelter migrate`"),
    }
}

/// Prints the doctor's table (or JSON); an error (non-zero exit) when any check failed.
async fn doctor(settings: Box<crate::doctor::DoctorSettings>) -> anyhow::Result<()> {
    let report = crate::doctor::run(&settings).await;
    if settings.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", report.table());
    }
    let failed = report.checks.iter().filter(|c| c.status == crate::doctor::Status::Fail).count();
    if failed > 0 {
        anyhow::bail!("{failed} check(s) failed");
    }
    Ok(())
}

/// Opens the database (migrated) and the identity service, runs `work`, then closes both.
async fn with_identity<T>(
    settings: &DatabaseSettings,
    work: impl AsyncFnOnce(&Identity) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let key_file = settings.master_key_path();
    with_pool(settings, async |pool| {
        let keys = Arc::new(keys::load(&key_file, pool).await?);
        let identity = Identity::new(pool.clone(), keys, Arc::new(SystemClock))?;
        work(&identity).await
    })
    .await
}

fn print_code(email: &Email, account: &NewAccount, json: bool) {
    if json {
        let value = serde_json::json!({
            "id": account.user_id.to_string(),
            "email": email.as_str(),
            "enrolment_code": account.enrolment_code,
            "expires_at": account.expires_at,
        });
        println!("{value}");
    } else {
        println!("Enrolment code for {email}: {}", account.enrolment_code);
        println!("It works once, until {} (UTC).", account.expires_at.format("%Y-%m-%d %H:%M"));
        println!("Give it to them over a safe channel; they enrol at /staff/enrol.");
    }
}

async fn user(command: UserCommand) -> anyhow::Result<()> {
    let parse = |email: &str| Email::parse(email).map_err(|e| anyhow::anyhow!("--email {email:?}: {e}"));
    match command {
        UserCommand::Add { email, name, roles, partner, json, database } => {
            let email = parse(&email)?;
            let account = with_identity(&database, async |identity| {
                let name = shelter_shared::intake::clean(&name);
                Ok(identity.add_user_for(&Admin::Operator, &email, &name, &roles, partner).await?)
            })
            .await?;
            print_code(&email, &account, json);
        }
        UserCommand::Disable { email, database } => {
            let email = parse(&email)?;
            with_identity(&database, async |identity| {
                let user = identity.user_by_email(&email).await?;
                Ok(identity.disable_user(&Admin::Operator, user.staff_user_id).await?)
            })
            .await?;
            println!("{email} is disabled; their sessions have ended.");
        }
        UserCommand::ResetTwoFactor { email, json, database } => {
            let email = parse(&email)?;
            let account = with_identity(&database, async |identity| {
                let user = identity.user_by_email(&email).await?;
                Ok(identity.reset_two_factor(&Admin::Operator, user.staff_user_id).await?)
            })
            .await?;
            print_code(&email, &account, json);
        }
        UserCommand::Unlock { email, database } => {
            let email = parse(&email)?;
            let was_locked = with_identity(&database, async |identity| {
                let user = identity.user_by_email(&email).await?;
                Ok(identity.unlock_user(&Admin::Operator, user.staff_user_id).await?)
            })
            .await?;
            if was_locked {
                println!("{email} can sign in again.");
            } else {
                println!("{email} had no failed sign-ins to clear.");
            }
        }
    }
    Ok(())
}

/// The operating-system account running this command, as the audit trail names it: the
/// name the system's user database gives the real user id (never `$USER`, which anyone can
/// set), `uid N` when it has none, and who called `sudo` when that is how it runs.
pub fn os_user() -> String {
    let uid = nix::unistd::getuid();
    let name = nix::unistd::User::from_uid(uid).ok().flatten().map(|u| u.name).unwrap_or_else(|| format!("uid {uid}"));
    match std::env::var("SUDO_USER") {
        Ok(by) if !by.is_empty() => format!("{name} (sudo by {by})"),
        _ => name,
    }
}

/// Opens the (migrated) database pool, runs `work`, then closes both.
pub(crate) async fn with_pool<T>(
    settings: &DatabaseSettings,
    work: impl AsyncFnOnce(&sqlx::PgPool) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let database = DatabaseHandle::open(settings).await?;
    let pool = db::pool(database.options.clone(), 2);
    let result = async {
        db::migrate(&database.options).await?;
        work(&pool).await
    }
    .await;
    pool.close().await;
    let closed = database.close().await;
    let value = result?;
    closed?;
    Ok(value)
}

async fn audit_command(command: AuditCommand) -> anyhow::Result<()> {
    match command {
        AuditCommand::Verify { anchor, database } => {
            let report =
                with_pool(&database, async |pool| Ok(crate::audit::verify::verify(pool, anchor.as_ref()).await?))
                    .await?;
            let head =
                report.head.map(|(seq, hash)| format!("{seq}:{}", hex::encode(hash))).unwrap_or_else(|| "none".into());
            match report.fault {
                None => {
                    println!("audit trail intact: {} entries, head {head}", report.entries);
                    if anchor.is_some() {
                        println!("the anchor is in the chain");
                    }
                    Ok(())
                }
                Some(fault) => {
                    anyhow::bail!("audit trail BROKEN: {fault} ({} entries read, head {head})", report.entries)
                }
            }
        }
        AuditCommand::Head { database } => {
            let head = with_pool(&database, async |pool| Ok(crate::audit::checkpoint::head(pool).await?)).await?;
            match head {
                Some((seq, hash)) => println!("{seq}:{}", hex::encode(hash)),
                None => println!("the audit trail is empty"),
            }
            Ok(())
        }
        AuditCommand::Checkpoint { database } => {
            let seq =
                with_pool(&database, async |pool| Ok(crate::audit::checkpoint::record(pool, &SystemClock).await?))
                    .await?;
            match seq {
                Some(seq) => println!("checkpoint recorded at entry {seq}"),
                None => println!("nothing new to checkpoint"),
            }
            Ok(())
        }
    }
}

async fn retention_command(command: RetentionCommand) -> anyhow::Result<()> {
    let (database, settings) = match &command {
        RetentionCommand::Preview { database, retention, .. } | RetentionCommand::Run { database, retention } => {
            (database, retention)
        }
    };
    let key_file = database.master_key_path();
    with_pool(database, async |pool| {
        let retention = crate::retention::Retention::new(pool.clone(), Arc::new(SystemClock), settings, &key_file);
        match &command {
            RetentionCommand::Preview { json, .. } => {
                let due = retention.preview(i64::MAX).await?;
                if *json {
                    println!("{}", serde_json::to_string(&due)?);
                } else if due.is_empty() {
                    println!("nothing is due for purging");
                } else {
                    for line in &due {
                        let closed = line.case.closed_at.map(|t| t.format("%Y-%m-%d").to_string());
                        println!(
                            "{}  {}  {:<9}  {:<12}  closed {}",
                            line.case.case_id,
                            line.case.reference,
                            line.reason.as_str(),
                            line.case.outcome.as_deref().unwrap_or("-"),
                            closed.as_deref().unwrap_or("-"),
                        );
                    }
                    println!("{} case(s) would be purged", due.len());
                }
            }
            RetentionCommand::Run { .. } => {
                let report = retention.run().await?;
                println!(
                    "purged {} case(s); erased {} payment reference(s); purge log {}",
                    report.purged,
                    report.payment_references_erased,
                    retention.log.path().display()
                );
            }
        }
        Ok(())
    })
    .await
}
