//! The database: where it is (a URL or the embedded default), the pool, migrations.

pub mod embedded;
pub mod status;

use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{ConnectOptions, Connection, PgPool};

use crate::config::DatabaseSettings;
use embedded::EmbeddedCluster;

/// The migrations under `migrations/`, embedded in the binary.
pub static MIGRATOR: Migrator = sqlx::migrate!("../migrations");

/// The name of Shelter's database inside the embedded cluster.
pub const EMBEDDED_DATABASE: &str = "shelter";

/// Where the database lives, and the embedded cluster to stop when done.
pub struct DatabaseHandle {
    /// How to connect.
    pub options: PgConnectOptions,
    /// The embedded cluster, when `DATABASE_URL` was unset.
    pub embedded: Option<EmbeddedCluster>,
}

impl DatabaseHandle {
    /// Uses `DATABASE_URL` when set, else starts the embedded cluster.
    pub async fn open(settings: &DatabaseSettings) -> anyhow::Result<Self> {
        match &settings.database_url {
            Some(url) => {
                if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
                    anyhow::bail!("DATABASE_URL must be a postgres:// or postgresql:// URL");
                }
                let options = PgConnectOptions::from_str(url).context("DATABASE_URL is not a valid PostgreSQL URL")?;
                Ok(DatabaseHandle { options, embedded: None })
            }
            None => {
                let cluster = EmbeddedCluster::start(&settings.data_dir).await?;
                ensure_database(&cluster.connect_options("postgres"), EMBEDDED_DATABASE).await?;
                let options = cluster.connect_options(EMBEDDED_DATABASE);
                Ok(DatabaseHandle { options, embedded: Some(cluster) })
            }
        }
    }

    /// Stops the embedded cluster, if there is one.
    pub async fn close(self) -> anyhow::Result<()> {
        if let Some(cluster) = self.embedded {
            cluster.stop().await?;
        }
        Ok(())
    }
}

/// A span of time as a query parameter of type `interval` (the macros want PostgreSQL's
/// own type; ours are whole microseconds, far inside its range).
pub fn interval(span: chrono::Duration) -> sqlx::Result<sqlx::postgres::types::PgInterval> {
    sqlx::postgres::types::PgInterval::try_from(span).map_err(sqlx::Error::Encode)
}

/// A transaction that commits without waiting for the disk, begun in the same round trip as
/// its `begin`, for a change whose loss in a crash costs only a repeat (a session: its holder
/// signs in again; the authenticator step it used may then be accepted once more within its
/// minute). Its audit entry commits with it, as always; commits stay in order, so a crash
/// loses at most the last fraction of a second and never leaves a gap in the chain, and the
/// next change committed normally makes it durable too.
pub async fn begin_lazily(pool: &PgPool) -> sqlx::Result<sqlx::Transaction<'static, sqlx::Postgres>> {
    pool.begin_with("begin; set local synchronous_commit = off").await
}

/// Creates `name` on the server behind `admin` unless it exists.
pub async fn ensure_database(admin: &PgConnectOptions, name: &str) -> anyhow::Result<()> {
    let mut conn = admin.connect().await.context("Failed to connect to PostgreSQL")?;
    let exists: bool =
        sqlx::query_scalar!(r#"select exists (select 1 from pg_database where datname = $1) as "exists!""#, name)
            .fetch_one(&mut conn)
            .await?;
    if !exists {
        create_database(&mut conn, name).await.with_context(|| format!("Failed to create database {name}"))?;
    }
    conn.close().await?;
    Ok(())
}

/// `create database NAME`: a name is an identifier, which no statement takes as a parameter,
/// so this is the one statement whose text is built; only a plain lower-case name (letters,
/// digits, underscores, not starting with a digit, at most 63 bytes) is accepted, and it is
/// quoted besides.
async fn create_database(conn: &mut sqlx::PgConnection, name: &str) -> anyhow::Result<()> {
    let plain = !name.is_empty()
        && name.len() <= 63
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !plain {
        anyhow::bail!("{name:?} is not a plain database name (lower-case letters, digits and underscores)");
    }
    sqlx::raw_sql(&format!("create database \"{name}\"")).execute(conn).await?;
    Ok(())
}

/// The role every pooled connection runs as: it may read and append to the audit trail
/// but never change it, whatever the login role may do (created by the migrations).
pub const APP_ROLE: &str = "shelter_app";

/// How long a pooled connection may sit idle and still be handed out untested.
const TRUSTED_IDLE: Duration = Duration::from_secs(1);

/// What both pools share. A connection idle for a second or more is pinged before it is
/// handed out, so one the database dropped during a restart or an outage is replaced rather
/// than failing a request; one put back by another request within the second is not, which
/// saves a round trip on every request under load (the rare one dropped within that second
/// fails its request with a 503 and is then closed).
fn pool_options(size: u32) -> PgPoolOptions {
    PgPoolOptions::new()
        .max_connections(size)
        .min_connections(0)
        .acquire_timeout(Duration::from_secs(3))
        .idle_timeout(Duration::from_secs(300))
        .test_before_acquire(false)
        .before_acquire(|conn, meta| {
            Box::pin(async move {
                if meta.idle_for >= TRUSTED_IDLE {
                    conn.ping().await?;
                }
                Ok(true)
            })
        })
}

/// A pool that reconnects by itself when the database comes back after an outage. Every
/// connection switches to [`APP_ROLE`] first.
pub fn pool(options: PgConnectOptions, size: u32) -> PgPool {
    pool_options(size)
        .after_connect(|conn, _meta| {
            Box::pin(async move {
                // The literal is APP_ROLE (a role is an identifier, never a parameter).
                sqlx::query!("set role shelter_app").execute(conn).await?;
                Ok(())
            })
        })
        .connect_lazy_with(options)
}

/// The master key check a server's connections must find in the database; empty until
/// the keys are loaded (see [`pool_guarded`]).
pub type KeyGuard = std::sync::Arc<std::sync::OnceLock<[u8; 32]>>;

/// [`pool`], whose new connections are refused once the master key they were opened for
/// has been rotated away: a server still holding the old key must not write under it.
pub fn pool_guarded(options: PgConnectOptions, size: u32, guard: KeyGuard) -> PgPool {
    pool_options(size)
        .after_connect(move |conn, _meta| {
            let guard = guard.clone();
            Box::pin(async move {
                // The literal is APP_ROLE (a role is an identifier, never a parameter).
                sqlx::query!("set role shelter_app").execute(&mut *conn).await?;
                if let Some(expected) = guard.get() {
                    // Waits while a rotation is switching keys, then sees its outcome.
                    let check: Option<Vec<u8>> =
                        sqlx::query_scalar!("select master_key_check from installation for share")
                            .fetch_one(&mut *conn)
                            .await?;
                    if check.as_deref() != Some(expected.as_slice()) {
                        return Err(sqlx::Error::Configuration(ROTATED.into()));
                    }
                }
                Ok(())
            })
        })
        .connect_lazy_with(options)
}

/// Why a server holding a rotated-away master key gets no connection.
pub const ROTATED: &str =
    "the master key was rotated (`shelter keys rotate`): restart Shelter so it loads the new key file";

/// Applies every pending migration as the login role, then grants the application role
/// what it needs; running it again changes nothing.
pub async fn migrate(options: &PgConnectOptions) -> anyhow::Result<()> {
    let mut conn = options.connect().await.context("Failed to connect to PostgreSQL for migrations")?;
    // During a rolling upgrade a newer instance may already have applied migrations this
    // binary does not know; they are additive, so this one keeps working (and may restart).
    let mut migrator = sqlx::migrate!("../migrations");
    migrator.set_ignore_missing(true);
    migrator.run(&mut conn).await.context("Failed to apply database migrations")?;
    sqlx::raw_sql(GRANTS).execute(&mut conn).await.context("Failed to grant the application role its privileges")?;
    conn.close().await?;
    Ok(())
}

/// Privileges of the application role: everything on the domain tables except changing
/// history.
const GRANTS: &str = "
    grant usage on schema public to shelter_app;
    grant select, insert, update, delete on all tables in schema public to shelter_app;
    revoke update, delete, truncate on audit_log, audit_checkpoint, fund_entry, disbursement, grant_decision_voided from shelter_app;
    revoke all on _sqlx_migrations from shelter_app;
    -- the purge empties what a purged case leaves in history tables (triggers allow no more).
    grant update (external_reference) on disbursement to shelter_app;
    grant update (rationale, rationale_sealed) on grant_decision_voided to shelter_app;
    grant usage, select on all sequences in schema public to shelter_app;
    do $$
    begin
        -- a superuser may already act as any role; others need the membership for SET ROLE.
        if not pg_has_role(current_user, 'shelter_app', 'member') then
            grant shelter_app to current_user;
        end if;
    exception when duplicate_object or unique_violation then
        null;
    end;
    $$;
";
