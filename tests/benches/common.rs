//! What every benchmark needs: the real application on a fresh database, and statistics.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    dead_code,
    reason = "a benchmark fails loudly; each uses part of this module"
)]

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use shelter_server::app::Application;
use shelter_server::clock::SystemClock;
use shelter_server::config::{DatabaseSettings, ServeSettings};
use shelter_server::db::embedded::EmbeddedCluster;
use shelter_server::identity::Identity;
use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Connection};

/// A running application for a benchmark.
pub struct Bench {
    /// `http://127.0.0.1:PORT`.
    pub address: String,
    /// The identity service.
    pub identity: Identity,
    /// The database pool.
    pub db: sqlx::PgPool,
    /// The installation's keys.
    pub keys: Arc<shelter_server::keys::Keys>,
    /// A URL of its database (for running the `shelter` command on it).
    pub database_url: String,
    /// Keeps the data dir alive.
    pub _dir: tempfile::TempDir,
    /// Drops the benchmark's database at the end.
    pub _database: BenchDatabase,
}

/// Starts the application on a new database of `DATABASE_URL`'s server, or of an
/// embedded cluster under `target/bench-postgres`.
pub async fn start(name: &str) -> Bench {
    let admin = admin_options().await;
    let database = format!("shelter_bench_{name}_{}", uuid::Uuid::new_v4().simple());
    let mut conn = admin.connect().await.expect("connect");
    sqlx::query(&format!("create database \"{database}\"")).execute(&mut conn).await.expect("create database");
    conn.close().await.ok();
    let dir = tempfile::tempdir().expect("tempdir");
    let settings = ServeSettings {
        database: DatabaseSettings { database_url: None, data_dir: dir.path().to_path_buf(), master_key_file: None },
        bind: "127.0.0.1:0".parse().expect("addr"),
        public_url: None,
        metrics_bind: "127.0.0.1:0".parse().expect("addr"),
        max_body_bytes: 1 << 20,
        request_timeout_secs: 60,
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
        sign_in_per_minute: 1_000_000,
        db_pool_size: 16,
        grant_tier_a_usd: "2000".into(),
        grant_tier_b_usd: "8000".into(),
        grant_hard_cap_usd: "10000".into(),
        grant_use_window_days: 90,
        new_approver_wait_hours: 0,
        grant_vouches_tier_a: 1,
        grant_vouches_tier_bc: 2,
        referral_access_days: 30,
        suppress_below: 5,
        // Benchmarks run delivery rounds themselves.
        notify: shelter_server::notify::NotifySettings { every_secs: 86_400, ..Default::default() },
        // Benchmarks run the purge themselves.
        retention: shelter_server::config::RetentionSettings { retention_check_secs: 86_400, ..Default::default() },
        backups: Default::default(),
    };
    let database_url = url_of(&admin.clone().database(&database));
    let app = Application::build_with_clock(&settings, admin.clone().database(&database), Arc::new(SystemClock))
        .await
        .expect("build");
    let address = format!("http://{}", app.address().expect("address"));
    let identity = app.identity().clone();
    let db = app.pool().clone();
    let keys = app.notify().keys.clone();
    tokio::spawn(app.run_until(std::future::pending()));
    Bench { address, identity, db, keys, database_url, _dir: dir, _database: BenchDatabase { admin, name: database } }
}

/// A benchmark's own database, dropped (with whatever still holds it open) when this is:
/// a run leaves no `shelter_bench_*` database behind.
pub struct BenchDatabase {
    admin: PgConnectOptions,
    name: String,
}

impl Drop for BenchDatabase {
    fn drop(&mut self) {
        let (admin, name) = (self.admin.clone(), self.name.clone());
        // Drop cannot wait on the benchmark's runtime: a thread with a runtime of its own.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
            runtime.block_on(async {
                let mut conn = admin.connect().await?;
                sqlx::query(&format!("drop database if exists \"{name}\" with (force)")).execute(&mut conn).await
            })
        })
        .join();
        if !matches!(dropped, Ok(Ok(_))) {
            eprintln!("could not drop the benchmark database {}; drop it by hand", self.name);
        }
    }
}

/// A `postgres://` URL for `options` (over a Unix socket when it names one).
fn url_of(options: &PgConnectOptions) -> String {
    let database = options.get_database().unwrap_or("postgres");
    match options.get_socket() {
        Some(dir) => {
            format!("postgres://postgres@localhost/{database}?host={}&port={}", dir.display(), options.get_port())
        }
        None => format!("postgres://postgres@{}:{}/{database}", options.get_host(), options.get_port()),
    }
}

/// The real `shelter` binary serving a fresh database, as its own process, so that its
/// memory can be measured apart from the load generator.
pub struct Server {
    /// `http://127.0.0.1:PORT`.
    pub address: String,
    /// The server's process id.
    pub pid: u32,
    /// The identity service on the same database and key file (to create accounts).
    pub identity: Identity,
    /// The database pool (as the application role).
    pub db: sqlx::PgPool,
    /// The same database as its owner.
    pub owner: PgConnectOptions,
    _child: tokio::process::Child,
    _dir: tempfile::TempDir,
    _database: BenchDatabase,
}

/// The server's log filter when `SHELTER_BENCH_LOG` asks for its log (to see where a
/// request's time goes, e.g. `info,sqlx::query=debug`); it then goes to stderr.
fn server_log() -> Option<String> {
    std::env::var("SHELTER_BENCH_LOG").ok().filter(|filter| !filter.is_empty())
}

/// Starts `shelter serve` on a new database and waits until it listens.
pub async fn spawn_server(name: &str) -> Server {
    use tokio::io::AsyncBufReadExt;
    let admin = admin_options().await;
    let database = format!("shelter_bench_{name}_{}", uuid::Uuid::new_v4().simple());
    let mut conn = admin.connect().await.expect("connect");
    sqlx::query(&format!("create database \"{database}\"")).execute(&mut conn).await.expect("create database");
    conn.close().await.ok();
    let options = admin.clone().database(&database);
    let url = url_of(&options);
    let dir = tempfile::tempdir().expect("tempdir");
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_shelter-under-test"))
        .arg("serve")
        .env("DATABASE_URL", &url)
        .env("SHELTER_DATA_DIR", dir.path())
        .env("SHELTER_BIND", "127.0.0.1:0")
        .env("SHELTER_METRICS_BIND", "127.0.0.1:0")
        .env("SHELTER_SIGN_IN_PER_MINUTE", "1000000")
        .env("SHELTER_INTAKE_PER_HOUR", "1000000")
        .env("SHELTER_PLAYBOOKS_DIR", std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../playbooks"))
        .env("SHELTER_INTAKE_BURST", "1000000")
        .env("RUST_LOG", server_log().unwrap_or_else(|| "info".into()))
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("spawn shelter");
    let mut lines = tokio::io::BufReader::new(child.stderr.take().expect("stderr")).lines();
    let address = loop {
        let line = lines.next_line().await.expect("read log").expect("shelter exited before listening");
        if let Some(rest) = line.split("address=").nth(1) {
            break rest.split_whitespace().next().expect("address").to_owned();
        }
    };
    // Keep draining the log so the server never blocks on a full pipe; shown when asked for.
    let shown = server_log().is_some();
    tokio::spawn(async move {
        while let Ok(Some(line)) = lines.next_line().await {
            if shown {
                eprintln!("{line}");
            }
        }
    });
    // As many connections as the server's pool, so raw queries queue no more than the server's.
    let pool = shelter_server::db::pool(options.clone(), 16);
    let keys =
        std::sync::Arc::new(shelter_server::keys::load(&dir.path().join("master.key"), &pool).await.expect("keys"));
    let identity = Identity::new(pool.clone(), keys, Arc::new(SystemClock)).expect("identity");
    Server {
        address: format!("http://{address}"),
        pid: child.id().expect("pid"),
        identity,
        db: pool,
        owner: options,
        _child: child,
        _dir: dir,
        _database: BenchDatabase { admin, name: database },
    }
}

/// Resident memory of process `pid` in MiB.
pub fn rss_of(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

async fn admin_options() -> PgConnectOptions {
    match std::env::var("DATABASE_URL") {
        Ok(url) => PgConnectOptions::from_str(&url).expect("DATABASE_URL"),
        Err(_) => {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench-postgres");
            EmbeddedCluster::start(&dir).await.expect("embedded cluster").connect_options("postgres")
        }
    }
}

/// The `q`-quantile of `samples` (sorted in place).
pub fn quantile(samples: &mut [Duration], q: f64) -> Duration {
    samples.sort();
    let index = ((samples.len() as f64 - 1.0) * q).round() as usize;
    samples[index.min(samples.len() - 1)]
}

/// Milliseconds, for printing.
pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Peak resident memory (VmHWM) of process `pid` in MiB; 0 once it is gone.
pub fn hwm_of(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

/// Resident memory of this process in MiB (server and load generator together).
pub fn rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

const PASSWORD: &str = "correct lantern orbit mango tidal";

/// A bearer token of a new staff member `i` with `role`, enrolled and signed in for real.
pub async fn staff_token(
    server: &Server,
    client: &reqwest::Client,
    i: usize,
    role: shelter_shared::staff::Role,
) -> String {
    use serde_json::{Value, json};
    use shelter_server::identity::totp;
    let email = format!("{role}{i}@example.org");
    let account = server
        .identity
        .add_user(
            &shelter_server::identity::admin::Admin::Operator,
            &shelter_shared::staff::Email::parse(&email).unwrap(),
            "Staff",
            &[role],
        )
        .await
        .unwrap();
    let body: Value = client
        .post(format!("{}/api/v1/auth/enrol", server.address))
        .json(&json!({"code": account.enrolment_code, "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let secret = totp_rs::TOTP::from_url(body["otpauth_uri"].as_str().unwrap()).unwrap().secret;
    let now = chrono::Utc::now().timestamp() as u64;
    client
        .post(format!("{}/api/v1/auth/enrol/confirm", server.address))
        .json(&json!({"code": account.enrolment_code, "totp": totp::code_at(&secret, now).unwrap()}))
        .send()
        .await
        .unwrap();
    let token: Value = client
        .post(format!("{}/api/v1/auth/token", server.address))
        .json(&json!({"email": email, "password": PASSWORD, "totp": totp::code_at(&secret, now + 30).unwrap()}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    token["token"].as_str().unwrap().to_owned()
}

/// Runs `work(task)` `each` times in each of `tasks` concurrent tasks and returns how long
/// each call took.
pub async fn concurrently<F, Fut>(tasks: usize, each: usize, work: F) -> Vec<Duration>
where
    F: Fn(usize) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let jobs: Vec<_> = (0..tasks)
        .map(|task| {
            let work = work.clone();
            tokio::spawn(async move {
                let mut samples = Vec::with_capacity(each);
                for _ in 0..each {
                    let started = std::time::Instant::now();
                    work(task).await;
                    samples.push(started.elapsed());
                }
                samples
            })
        })
        .collect();
    let mut samples = vec![];
    for job in jobs {
        samples.extend(job.await.expect("a load task"));
    }
    samples
}

/// Prints p50 and p99 of `samples` under `label`; returns (p50, p99).
pub fn report(label: &str, mut samples: Vec<Duration>) -> (Duration, Duration) {
    let (p50, p99) = (quantile(&mut samples, 0.5), quantile(&mut samples, 0.99));
    println!("  {label:<46} p50 {:7.2} ms  p99 {:7.2} ms  ({} samples)", ms(p50), ms(p99), samples.len());
    (p50, p99)
}

/// `tasks` concurrent staff GETting `urls` (task i takes url i and token i, cycling), `each`
/// requests apiece, after one unmeasured round that warms pools and prepared statements.
pub async fn load(
    label: &str,
    urls: &[String],
    tokens: &[String],
    client: &reqwest::Client,
    tasks: usize,
    each: usize,
) -> (Duration, Duration) {
    for (i, url) in urls.iter().cycle().take(tasks).enumerate() {
        client.get(url).bearer_auth(&tokens[i % tokens.len()]).send().await.unwrap();
    }
    let (urls, tokens) = (urls.to_vec(), tokens.to_vec());
    let client = client.clone();
    let samples = concurrently(tasks, each, move |task| {
        let (client, url, token) =
            (client.clone(), urls[task % urls.len()].clone(), tokens[task % tokens.len()].clone());
        async move {
            let response = client.get(&url).bearer_auth(&token).send().await.unwrap();
            assert_eq!(response.status(), 200, "{url}");
            response.bytes().await.unwrap();
        }
    })
    .await;
    report(label, samples)
}

/// `reads` run at once, as a handler runs them, by `tasks` concurrent clients straight
/// against PostgreSQL, each bound to `bind` when given; returns their p99.
pub async fn raw_reads(
    label: &str,
    pool: &sqlx::PgPool,
    reads: &'static [&'static str],
    bind: Option<uuid::Uuid>,
    tasks: usize,
    each: usize,
) -> Duration {
    let pool = pool.clone();
    let samples = concurrently(tasks, each, move |_| {
        let pool = pool.clone();
        async move {
            let queries = reads.iter().map(|sql| match bind {
                Some(id) => sqlx::query(sql).bind(id).fetch_all(&pool),
                None => sqlx::query(sql).fetch_all(&pool),
            });
            futures_util::future::try_join_all(queries).await.unwrap();
        }
    })
    .await;
    report(label, samples).1
}
