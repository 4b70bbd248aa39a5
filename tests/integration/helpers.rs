//! The test harness: a fresh database per test and the real application on port 0.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::{SystemTime, UNIX_EPOCH};

use reqwest::header::HeaderMap;
use std::sync::Arc;

use shelter_server::app::Application;
use shelter_server::clock::ManualClock;
use shelter_server::config::{DatabaseSettings, ServeSettings};
use shelter_server::db::embedded::EmbeddedCluster;
use shelter_server::identity::Identity;
use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Connection, PgPool};
use tokio::sync::OnceCell;

/// Test databases older than this are dropped by later runs (left by crashed runs).
const STALE_AFTER_SECS: u64 = 3600;

static ADMIN: OnceCell<PgConnectOptions> = OnceCell::const_new();
static TEMPLATE: OnceCell<String> = OnceCell::const_new();

/// The workspace's `target/` directory.
pub fn target_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("target")
}

/// Connection options for the maintenance database of the test server.
pub async fn admin_options() -> PgConnectOptions {
    ADMIN
        .get_or_init(|| async {
            let options = match std::env::var("DATABASE_URL") {
                Ok(url) => PgConnectOptions::from_str(&url).expect("DATABASE_URL is not a PostgreSQL URL"),
                Err(_) => {
                    let cluster = EmbeddedCluster::start(&target_dir().join("test-postgres"))
                        .await
                        .expect("start the embedded test cluster");
                    cluster.connect_options("postgres")
                }
            };
            drop_stale_databases(&options).await;
            options
        })
        .await
        .clone()
}

fn now_secs() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or_default()
}

async fn drop_stale_databases(admin: &PgConnectOptions) {
    let mut conn = admin.connect().await.expect("connect to the test PostgreSQL server");
    // Templates of other sets of migrations (another checkout, an older commit), once no run
    // has used them for an hour: each run stamps its template's comment with the time it
    // started, so two checkouts testing at once never drop each other's template.
    let templates: Vec<(String, Option<String>)> = sqlx::query_as(
        "select datname, shobj_description(oid, 'pg_database') from pg_database
         where datname like 'shelter_template_%' and datname <> $1",
    )
    .bind(template_name())
    .fetch_all(&mut conn)
    .await
    .expect("list test templates");
    for (name, used) in templates {
        let used = used.and_then(|u| u.strip_prefix("used ").and_then(|t| t.parse::<u64>().ok())).unwrap_or(0);
        if now_secs().saturating_sub(used) > STALE_AFTER_SECS {
            let _ = sqlx::query(&format!("drop database if exists \"{name}\"")).execute(&mut conn).await;
        }
    }
    let names: Vec<String> = sqlx::query_scalar("select datname from pg_database where datname like 'shelter_test_%'")
        .fetch_all(&mut conn)
        .await
        .expect("list test databases");
    for name in names {
        let created = name.split('_').nth(2).and_then(|s| s.parse::<u64>().ok()).unwrap_or(0);
        if now_secs().saturating_sub(created) > STALE_AFTER_SECS {
            // Another run may still use it; then dropping fails and that is fine.
            let _ = sqlx::query(&format!("drop database if exists \"{name}\"")).execute(&mut conn).await;
        }
    }
    let _ = conn.close().await;
}

/// The template's name: one per set of migrations, so a changed migration gets a new one.
fn template_name() -> String {
    use sha2::{Digest, Sha256};
    let mut digest = Sha256::new();
    for migration in shelter_server::db::MIGRATOR.iter() {
        digest.update(migration.version.to_le_bytes());
        digest.update(&migration.checksum);
    }
    format!("shelter_template_{}", &hex::encode(digest.finalize())[..16])
}

/// A database migrated once per set of migrations, which each test's database copies (a
/// file copy on the server, far quicker than running every migration again). Processes
/// running at once take turns on an advisory lock; the template is built under another
/// name and renamed when complete, so a run that crashed midway leaves no half of one.
async fn template() -> String {
    TEMPLATE
        .get_or_init(|| async {
            let admin = admin_options().await;
            let name = template_name();
            let mut conn = admin.connect().await.expect("connect to the test PostgreSQL server");
            sqlx::query("select pg_advisory_lock(hashtext('shelter test template'))")
                .execute(&mut conn)
                .await
                .expect("take the template lock");
            let exists: bool = sqlx::query_scalar("select exists (select 1 from pg_database where datname = $1)")
                .bind(&name)
                .fetch_one(&mut conn)
                .await
                .expect("look for the template");
            if !exists {
                let building = format!("{name}_building");
                let _ = sqlx::query(&format!("drop database if exists \"{building}\"")).execute(&mut conn).await;
                sqlx::query(&format!("create database \"{building}\""))
                    .execute(&mut conn)
                    .await
                    .expect("create template");
                shelter_server::db::migrate(&admin.clone().database(&building)).await.expect("migrate the template");
                sqlx::query(&format!("alter database \"{building}\" rename to \"{name}\""))
                    .execute(&mut conn)
                    .await
                    .expect("name the template");
            }
            // The stamp that keeps other runs from dropping it while this one may still copy it.
            sqlx::query(&format!("comment on database \"{name}\" is 'used {}'", now_secs()))
                .execute(&mut conn)
                .await
                .expect("stamp the template");
            let _ = conn.close().await;
            name
        })
        .await
        .clone()
}

/// A database of its own for one test, already migrated (a copy of the template); the
/// [`TestApp`] that owns it drops it when the test ends.
pub async fn migrated_database() -> (PgConnectOptions, String) {
    let template = template().await;
    let admin = admin_options().await;
    let name = format!("shelter_test_{}_{}", now_secs(), uuid::Uuid::new_v4().simple());
    let mut conn = admin.connect().await.expect("connect to the test PostgreSQL server");
    sqlx::query(&format!("create database \"{name}\" template \"{template}\""))
        .execute(&mut conn)
        .await
        .expect("copy the template");
    let _ = conn.close().await;
    (admin.clone().database(&name), name)
}

/// Drops a test's database, ending whatever connections still use it.
fn drop_database(name: &str) {
    let owned = name.to_owned();
    // Drop cannot wait on the test's runtime: a thread of its own with a runtime of its own.
    let dropped = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        runtime.block_on(async {
            let admin = admin_options().await;
            let mut conn = admin.connect().await.expect("connect to the test PostgreSQL server");
            sqlx::query(&format!("drop database if exists \"{owned}\" with (force)")).execute(&mut conn).await
        })
    })
    .join();
    if !matches!(dropped, Ok(Ok(_))) {
        eprintln!("could not drop the test database {name}: a later run drops it after an hour");
    }
}

/// An empty database of one test's own, dropped when this value is (keep it bound, e.g.
/// `let (options, _db) = fresh_database().await;`: a `_` pattern would drop it at once).
pub struct TestDatabase(String);

impl std::ops::Deref for TestDatabase {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        drop_database(&self.0);
    }
}

/// Creates an empty database of its own for one test and returns its options and the guard
/// that drops it.
pub async fn fresh_database() -> (PgConnectOptions, TestDatabase) {
    let admin = admin_options().await;
    let name = format!("shelter_test_{}_{}", now_secs(), uuid::Uuid::new_v4().simple());
    let mut conn = admin.connect().await.expect("connect to the test PostgreSQL server");
    sqlx::query(&format!("create database \"{name}\"")).execute(&mut conn).await.expect("create test database");
    let _ = conn.close().await;
    (admin.clone().database(&name), TestDatabase(name))
}

/// Settings for an application on free loopback ports.
pub fn test_settings() -> ServeSettings {
    ServeSettings {
        database: DatabaseSettings { database_url: None, data_dir: std::env::temp_dir(), master_key_file: None },
        bind: "127.0.0.1:0".parse().expect("address"),
        public_url: None,
        metrics_bind: "127.0.0.1:0".parse().expect("address"),
        max_body_bytes: 64 * 1024,
        request_timeout_secs: 30,
        trust_proxy_headers: false,
        intake_per_hour: 100_000,
        intake_burst: 100_000,
        quick_exit_url: "https://www.wikipedia.org/".into(),
        onion_url: None,
        playbooks_dir: std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../playbooks"),
        // Tests run the SLA check themselves, on their own clock.
        sla_check_secs: 86_400,
        attachment_max_mb: 1,
        attachments_per_case: 3,
        sign_in_per_minute: 1000,
        db_pool_size: 5,
        grant_tier_a_usd: "2000".into(),
        grant_tier_b_usd: "8000".into(),
        grant_hard_cap_usd: "10000".into(),
        grant_use_window_days: 90,
        new_approver_wait_hours: 0,
        // Tests of approval itself need no vouchers; tests/integration/vouching.rs runs the
        // installation's defaults.
        grant_vouches_tier_a: 0,
        grant_vouches_tier_bc: 0,
        referral_access_days: 30,
        suppress_below: 5,
        // Tests run delivery rounds themselves, on their own clock.
        notify: shelter_server::notify::NotifySettings { every_secs: 86_400, ..Default::default() },
        // Tests run the purge themselves, on their own clock.
        retention: shelter_server::config::RetentionSettings { retention_check_secs: 86_400, ..Default::default() },
        backups: Default::default(),
    }
}

/// The real application, serving in the background of the test's runtime.
pub struct TestApp {
    /// The clock the application reads; tests move it.
    pub clock: ManualClock,
    /// The identity service, to create accounts as `shelter user add` does.
    pub identity: Identity,
    /// The case service (to run the SLA clock on demand).
    pub cases: shelter_server::cases::Cases,
    /// The partner directory.
    pub partners: shelter_server::partners::Partners,
    /// Funds and grants (tests run the grant clock themselves).
    pub grants: shelter_server::grants::Grants,
    /// Notices (tests run delivery rounds and escalation themselves).
    pub notify: shelter_server::notify::Notify,
    /// Retention (tests run the purge themselves).
    pub retention: shelter_server::retention::Retention,
    /// Holds the data dir (master key) for the application's lifetime.
    pub _data_dir: tempfile::TempDir,
    /// `http://127.0.0.1:PORT`.
    pub address: String,
    /// `http://127.0.0.1:PORT` of the metrics listener.
    pub metrics_address: String,
    /// A client that keeps cookies and never follows redirects.
    pub client: reqwest::Client,
    /// The application's database, as the application's restricted role.
    pub db: PgPool,
    /// The same database as the login (super)user: for tampering, as an attacker with database access would.
    pub owner_options: PgConnectOptions,
    /// The database this application made for itself, dropped with it.
    owned_database: Option<String>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(name) = self.owned_database.take() {
            drop_database(&name);
        }
    }
}

impl TestApp {
    /// Builds and starts the application against a fresh database.
    pub async fn spawn() -> TestApp {
        Self::spawn_with(test_settings()).await
    }

    /// Same as [`TestApp::spawn`], with settings changed by the test.
    pub async fn spawn_with(settings: ServeSettings) -> TestApp {
        let (options, name) = migrated_database().await;
        let mut app = Self::spawn_on(settings, options).await;
        app.owned_database = Some(name);
        app
    }

    /// Same as [`TestApp::spawn_with`], on an existing database (a restored one, one whose
    /// key was rotated); name the key file in the settings to use the database's key.
    pub async fn spawn_on(mut settings: ServeSettings, options: PgConnectOptions) -> TestApp {
        let data_dir = tempfile::tempdir().expect("data dir");
        settings.database.data_dir = data_dir.path().to_path_buf();
        let clock = ManualClock::starting_at(chrono::Utc::now());
        Self::start(settings, options, clock, data_dir).await
    }

    /// A second instance on this one's database, key file and clock, as a second process
    /// behind the proxy would be: it shares nothing with this one but the database.
    pub async fn spawn_beside(&self, mut settings: ServeSettings) -> TestApp {
        let data_dir = tempfile::tempdir().expect("data dir");
        settings.database.data_dir = data_dir.path().to_path_buf();
        settings.database.master_key_file = Some(self._data_dir.path().join("master.key"));
        Self::start(settings, self.owner_options.clone(), self.clock.clone(), data_dir).await
    }

    async fn start(
        settings: ServeSettings,
        options: PgConnectOptions,
        clock: ManualClock,
        data_dir: tempfile::TempDir,
    ) -> TestApp {
        let app = Application::build_with_clock(&settings, options.clone(), Arc::new(clock.clone()))
            .await
            .expect("build the application");
        let identity = app.identity().clone();
        let cases = app.cases().clone();
        let partners = app.partners().clone();
        let grants = app.grants().clone();
        let notify = app.notify().clone();
        let retention = app.retention().clone();
        let address = format!("http://{}", app.address().expect("address"));
        let metrics_address = format!("http://{}", app.metrics_address().expect("metrics address"));
        let db = app.pool().clone();
        tokio::spawn(app.run_until(std::future::pending()));
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .cookie_store(true)
            .build()
            .expect("http client");
        TestApp {
            clock,
            identity,
            cases,
            partners,
            grants,
            notify,
            retention,
            _data_dir: data_dir,
            address,
            metrics_address,
            client,
            db,
            owner_options: options,
            owned_database: None,
        }
    }

    /// A connection as the database's owner (superuser in tests).
    pub async fn owner(&self) -> sqlx::PgConnection {
        self.owner_options.connect().await.expect("connect as owner")
    }

    /// `GET path`.
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(format!("{}{path}", self.address)).send().await.expect("GET")
    }
}

/// Asserts the headers every response must carry.
pub fn assert_security_headers(headers: &HeaderMap) {
    let expect = |name: &str, value: &str| {
        assert_eq!(headers.get(name).and_then(|v| v.to_str().ok()), Some(value), "header {name}");
    };
    let csp = headers.get("content-security-policy").and_then(|v| v.to_str().ok()).expect("CSP header");
    for directive in [
        "default-src 'none'",
        "style-src 'self'",
        "img-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ] {
        assert!(csp.contains(directive), "CSP lacks {directive}: {csp}");
    }
    assert!(!csp.contains("unsafe-inline") && !csp.contains("script-src"), "CSP allows script: {csp}");
    expect("x-content-type-options", "nosniff");
    expect("referrer-policy", "no-referrer");
    expect("x-frame-options", "DENY");
    let permissions = headers.get("permissions-policy").and_then(|v| v.to_str().ok()).expect("Permissions-Policy");
    assert!(permissions.contains("camera=()") && permissions.contains("geolocation=()"));
    assert!(headers.get("x-request-id").is_some(), "x-request-id");
}
