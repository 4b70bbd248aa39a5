//! The application: both listeners bound, migrations applied, ready to serve.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::{Context, bail};
use sqlx::PgPool;
use sqlx::postgres::PgConnectOptions;
use tokio::net::TcpListener;

use crate::cases::Cases;
use crate::cases::attachments::AttachmentLimits;
use crate::clock::{Clock, SystemClock};
use crate::config::ServeSettings;
use crate::grants::Grants;
use crate::http::{self, AppState, state::HttpConfig};
use crate::identity::Identity;
use crate::identity::address_limit::{self, AddressLimiter};
use crate::partners::Partners;
use crate::{db, keys};

/// A built application, listening but not yet serving.
pub struct Application {
    database: PgConnectOptions,
    key_check: [u8; 32],
    sla_every: std::time::Duration,
    notify_every: std::time::Duration,
    retention_every: std::time::Duration,
    listener: TcpListener,
    metrics_listener: TcpListener,
    state: AppState,
}

impl Application {
    /// Connects to the database, applies migrations and binds both listeners.
    pub async fn build(settings: &ServeSettings, database: PgConnectOptions) -> anyhow::Result<Self> {
        Self::build_with_clock(settings, database, Arc::new(SystemClock)).await
    }

    /// Same as [`Application::build`], with a clock of the caller's (tests move time).
    pub async fn build_with_clock(
        settings: &ServeSettings,
        database: PgConnectOptions,
        clock: Arc<dyn Clock>,
    ) -> anyhow::Result<Self> {
        if !settings.metrics_bind.ip().is_loopback() {
            bail!(
                "SHELTER_METRICS_BIND must be a loopback address (127.0.0.1 or ::1), not {}: metrics must never reach the public side",
                settings.metrics_bind
            );
        }
        let playbooks = Arc::new(load_playbooks(&settings.playbooks_dir)?);
        let grant_rules = settings.grant_rules()?;
        db::migrate(&database).await?;
        let guard = db::KeyGuard::default();
        let pool = db::pool_guarded(database.clone(), settings.db_pool_size, guard.clone());
        let keys = Arc::new(keys::load(&settings.database.master_key_path(), &pool).await?);
        let key_check = keys.check();
        let _ = guard.set(key_check);
        let identity = Identity::new(pool.clone(), keys.clone(), clock.clone())?;
        let partners = Partners { db: pool.clone(), keys: keys.clone(), clock: clock.clone() };
        let reads = Arc::new(crate::audit::group::ReadGroup::default());
        let alumni =
            crate::alumni::Alumni { db: pool.clone(), keys: keys.clone(), clock: clock.clone(), reads: reads.clone() };
        // Name tokens made by an older normal form would no longer match a search for them.
        let reindexed = alumni.reindex().await.context("Failed to re-index the alumni registry's names")?;
        if reindexed > 0 {
            tracing::info!(members = reindexed, "re-indexed registry names made by an older version");
        }
        let cases = Cases {
            db: pool.clone(),
            keys,
            passwords: identity.passwords.clone(),
            clock,
            playbooks: playbooks.clone(),
            referral_access: chrono::Duration::days(i64::from(settings.referral_access_days)),
            reads,
        };
        let purposes = cases.seal_legacy_purposes().await.context("Failed to seal older referral purposes")?;
        let decisions = cases.seal_legacy_decisions().await.context("Failed to seal older grant decisions")?;
        if purposes + decisions > 0 {
            tracing::info!(
                purposes,
                decisions,
                "sealed rationales and purposes stored in plain text by an older version"
            );
        }
        let grants = Grants { cases: cases.clone(), rules: grant_rules };
        let notify = crate::notify::Notify::new(
            &settings.notify,
            pool.clone(),
            cases.clock.clone(),
            cases.keys.clone(),
            &settings.public_base(),
        )?;
        let retention = crate::retention::Retention::new(
            pool.clone(),
            cases.clock.clone(),
            &settings.retention,
            &settings.database.master_key_path(),
        );
        announce_first_run(&pool).await?;
        let listener =
            TcpListener::bind(settings.bind).await.with_context(|| format!("Failed to listen on {}", settings.bind))?;
        let metrics_listener = TcpListener::bind(settings.metrics_bind)
            .await
            .with_context(|| format!("Failed to listen on {} for metrics", settings.metrics_bind))?;
        let config = HttpConfig {
            https: settings.is_https(),
            max_body_bytes: settings.max_body_bytes,
            request_timeout_secs: settings.request_timeout_secs,
            public_origin: settings.public_origin(),
            trust_proxy_headers: settings.trust_proxy_headers,
            quick_exit_url: settings.quick_exit_url.clone(),
            onion_origin: settings.onion_origin()?,
            attachments: AttachmentLimits {
                max_bytes: settings.attachment_max_mb * 1024 * 1024,
                per_case: settings.attachments_per_case,
            },
            suppress_below: settings.suppress_below,
            housekeeping: crate::homes::admin::Housekeeping {
                key_file: settings.database.master_key_path(),
                backup_dir: settings.backups.backup_dir.clone(),
                backup_max_age_hours: settings.backups.backup_max_age_hours,
            },
        };
        let state = AppState {
            db: pool.clone(),
            dashboards: Arc::default(),
            config: Arc::new(config),
            identity,
            sign_in_limiter: AddressLimiter::per_minute(
                pool.clone(),
                cases.keys.clone(),
                "sign-in",
                settings.sign_in_per_minute,
            ),
            intake_limiter: AddressLimiter::per_hour(
                pool.clone(),
                cases.keys.clone(),
                "intake",
                settings.intake_per_hour,
                settings.intake_burst,
            ),
            // Vouchers' links are throttled like sign-ins: a link is a credential.
            vouch_limiter: AddressLimiter::per_minute(
                pool.clone(),
                cases.keys.clone(),
                "vouch",
                settings.sign_in_per_minute,
            ),
            vouching: crate::vouch::Vouching {
                cases: cases.clone(),
                notify: notify.clone(),
                fresh_record_wait: chrono::Duration::hours(i64::from(settings.new_approver_wait_hours)),
            },
            cases,
            playbooks,
            partners,
            alumni,
            grants,
            notify,
            retention,
        };
        let sla_every = std::time::Duration::from_secs(settings.sla_check_secs.max(1));
        let notify_every = std::time::Duration::from_secs(settings.notify.every_secs.max(1));
        let retention_every = std::time::Duration::from_secs(settings.retention.retention_check_secs.max(1));
        Ok(Application {
            database,
            key_check,
            sla_every,
            notify_every,
            retention_every,
            listener,
            metrics_listener,
            state,
        })
    }

    /// The public address actually bound (port 0 picks a free one).
    pub fn address(&self) -> anyhow::Result<SocketAddr> {
        Ok(self.listener.local_addr()?)
    }

    /// The metrics address actually bound.
    pub fn metrics_address(&self) -> anyhow::Result<SocketAddr> {
        Ok(self.metrics_listener.local_addr()?)
    }

    /// The database pool.
    pub fn pool(&self) -> &PgPool {
        &self.state.db
    }

    /// The partner directory.
    pub fn partners(&self) -> &Partners {
        &self.state.partners
    }

    /// The alumni registry.
    pub fn alumni(&self) -> &crate::alumni::Alumni {
        &self.state.alumni
    }

    /// The case service.
    pub fn cases(&self) -> &Cases {
        &self.state.cases
    }

    /// Funds and grants.
    pub fn grants(&self) -> &Grants {
        &self.state.grants
    }

    /// Notices: delivery, the in-app list, the rota.
    pub fn notify(&self) -> &crate::notify::Notify {
        &self.state.notify
    }

    /// Retention: the schedule, purges, legal holds' overview.
    pub fn retention(&self) -> &crate::retention::Retention {
        &self.state.retention
    }

    /// The identity service (tests create accounts through it, as the CLI does).
    pub fn identity(&self) -> &Identity {
        &self.state.identity
    }

    /// Serves until `shutdown` resolves, then finishes in-flight requests.
    pub async fn run_until(self, shutdown: impl Future<Output = ()> + Send + 'static) -> anyhow::Result<()> {
        let handle = http::metrics::handle()?;
        let metrics_app = http::metrics::router(handle, self.state.db.clone());
        let (stop_metrics, metrics_stopped) = tokio::sync::oneshot::channel::<()>();
        let metrics = tokio::spawn(
            axum::serve(self.metrics_listener, metrics_app)
                .with_graceful_shutdown(async move {
                    let _ = metrics_stopped.await;
                })
                .into_future(),
        );
        let pool = self.state.db.clone();
        let checkpoints = crate::audit::checkpoint::spawn_hourly(
            pool.clone(),
            self.state.identity.clock.clone(),
            std::time::Duration::from_secs(3600),
        );
        let sla_clock = Arc::new(self.state.grants.clone()).spawn_clock(self.sla_every);
        let check_ins = Arc::new(self.state.cases.clone()).spawn_check_in_clock(self.sla_every);
        let notices = Arc::new(self.state.notify.clone()).spawn(self.notify_every);
        let purges = Arc::new(self.state.retention.clone()).spawn(self.retention_every);
        let limits = address_limit::spawn_sweeper(pool.clone(), std::time::Duration::from_secs(600));
        let app = http::router(self.state);
        let rotated = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let watch = key_rotated(self.database.clone(), self.key_check, rotated.clone());
        let served = axum::serve(self.listener, app.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(async move {
                tokio::select! {
                    () = shutdown => {}
                    () = watch => {}
                }
            })
            .await;
        let _ = stop_metrics.send(());
        checkpoints.abort();
        sla_clock.abort();
        check_ins.abort();
        notices.abort();
        purges.abort();
        limits.abort();
        let _ = metrics.await;
        pool.close().await;
        served.context("The HTTP server failed")?;
        if rotated.load(std::sync::atomic::Ordering::SeqCst) {
            bail!(db::ROTATED);
        }
        Ok(())
    }
}

/// Resolves (and sets `rotated`) once the database's master key is no longer `check`:
/// `shelter keys rotate` finished, and this process must restart with the new key file.
/// It watches on a connection of its own, since the pool refuses to connect by then.
async fn key_rotated(options: PgConnectOptions, check: [u8; 32], rotated: Arc<std::sync::atomic::AtomicBool>) {
    use sqlx::ConnectOptions;
    let mut every = tokio::time::interval(std::time::Duration::from_secs(2));
    let mut conn: Option<sqlx::PgConnection> = None;
    loop {
        every.tick().await;
        if conn.is_none() {
            // The database being away for a moment is not a rotation: try again next time.
            conn = options.connect().await.ok();
        }
        let Some(open) = conn.as_mut() else { continue };
        match sqlx::query_scalar!("select master_key_check from installation").fetch_one(open).await {
            Ok(current) if current.as_deref() != Some(check.as_slice()) => {
                tracing::error!("{}", db::ROTATED);
                rotated.store(true, std::sync::atomic::Ordering::SeqCst);
                return;
            }
            Ok(_) => {}
            Err(_) => conn = None,
        }
    }
}

/// With no staff account yet, says in the log exactly how to create the first administrator.
async fn announce_first_run(pool: &PgPool) -> anyhow::Result<()> {
    let mut conn = pool.acquire().await?;
    if !crate::identity::users::any_exist(&mut conn).await? {
        tracing::warn!(
            "no staff account exists yet: create the first administrator with \
             `shelter user add --email you@example.org --name \"Your Name\" --role admin`, \
             then enrol with the printed code at /staff/enrol"
        );
    }
    Ok(())
}

/// Loads the playbooks or refuses to start, listing every problem with file and line.
pub fn load_playbooks(dir: &std::path::Path) -> anyhow::Result<crate::playbooks::Playbooks> {
    crate::playbooks::Playbooks::load(dir).map_err(|problems| {
        let list = problems.iter().map(|p| format!("  {p}")).collect::<Vec<_>>().join("\n");
        anyhow::anyhow!("the playbooks in {} are not valid, so Shelter will not start:\n{list}", dir.display())
    })
}
