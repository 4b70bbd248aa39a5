//! The embedded default cluster: first start, restart, crash recovery, outages.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::time::Duration;

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use shelter_server::app::Application;
use shelter_server::db::embedded::EmbeddedCluster;
use shelter_server::db::{EMBEDDED_DATABASE, ensure_database};
use sqlx::{ConnectOptions, Connection};

use crate::helpers::test_settings;

/// A temporary directory the `postgres` user can pass through (tests may run as root).
pub fn scratch_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o711)).unwrap();
    dir
}

async fn query_one(cluster: &EmbeddedCluster, sql: &str) -> i64 {
    let mut conn = cluster.connect_options("postgres").connect().await.unwrap();
    let value: i64 = sqlx::query_scalar(sql).fetch_one(&mut conn).await.unwrap();
    conn.close().await.unwrap();
    value
}

fn postmaster_pid(dir: &Path) -> i32 {
    let text = std::fs::read_to_string(dir.join("postmaster.pid")).unwrap();
    text.lines().next().unwrap().trim().parse().unwrap()
}

#[tokio::test]
async fn the_first_start_creates_a_cluster_that_a_restart_reuses() {
    let scratch = scratch_dir();
    let data = scratch.path().join("data");
    let cluster = EmbeddedCluster::start(&data).await.unwrap();
    assert!(data.join("postgres/PG_VERSION").exists());
    assert_eq!(std::fs::metadata(data.join("postgres")).unwrap().permissions().mode() & 0o777, 0o700);
    let mut conn = cluster.connect_options("postgres").connect().await.unwrap();
    sqlx::raw_sql("create table kept (n int); insert into kept values (42)").execute(&mut conn).await.unwrap();
    conn.close().await.unwrap();
    cluster.stop().await.unwrap();
    assert!(!data.join("postgres/postmaster.pid").exists(), "stopped cleanly");

    let cluster = EmbeddedCluster::start(&data).await.unwrap();
    assert_eq!(query_one(&cluster, "select n::bigint from kept").await, 42, "data survives a restart");
    cluster.stop().await.unwrap();
}

#[tokio::test]
async fn the_cluster_listens_on_no_tcp_port_when_a_socket_fits() {
    let scratch = scratch_dir();
    let cluster = EmbeddedCluster::start(&scratch.path().join("d")).await.unwrap();
    let listen = {
        let mut conn = cluster.connect_options("postgres").connect().await.unwrap();
        let value: String = sqlx::query_scalar("show listen_addresses").fetch_one(&mut conn).await.unwrap();
        conn.close().await.unwrap();
        value
    };
    assert_eq!(listen, "");
    cluster.stop().await.unwrap();
}

#[tokio::test]
async fn a_crash_leaving_a_stale_pid_file_is_recovered() {
    let scratch = scratch_dir();
    let data = scratch.path().join("data");
    let cluster = EmbeddedCluster::start(&data).await.unwrap();
    let dir = cluster.dir().to_path_buf();
    let pid = postmaster_pid(&dir);
    kill(Pid::from_raw(pid), Signal::SIGKILL).unwrap();
    while Path::new(&format!("/proc/{pid}")).exists() {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // The pid in the file now names a live process that is not PostgreSQL (the test
    // itself), as happens when the kernel hands out the old pid again.
    let text = std::fs::read_to_string(dir.join("postmaster.pid")).unwrap();
    let rest: Vec<&str> = text.lines().skip(1).collect();
    let forged = format!("{}\n{}\n", std::process::id(), rest.join("\n"));
    std::fs::write(dir.join("postmaster.pid"), forged).unwrap();

    let cluster = EmbeddedCluster::start(&data).await.unwrap();
    assert_eq!(query_one(&cluster, "select 7::bigint").await, 7);
    assert_ne!(postmaster_pid(&dir), std::process::id() as i32);
    cluster.stop().await.unwrap();
}

#[tokio::test]
async fn a_cluster_left_running_by_a_crashed_server_is_reused() {
    let scratch = scratch_dir();
    let data = scratch.path().join("data");
    let first = EmbeddedCluster::start(&data).await.unwrap();
    let pid = postmaster_pid(first.dir());
    // The server died without stopping it (its lock went with it): start again, find the
    // same postmaster, and take over stopping it.
    drop(first);
    let second = EmbeddedCluster::start(&data).await.unwrap();
    assert_eq!(postmaster_pid(second.dir()), pid);
    assert!(second.started_here(), "taken over");
    assert_eq!(query_one(&second, "select 1::bigint").await, 1);
    second.stop().await.unwrap();
    assert!(!second.dir().join("postmaster.pid").exists());
}

#[tokio::test]
async fn a_second_process_using_a_running_cluster_never_stops_it() {
    let scratch = scratch_dir();
    let data = scratch.path().join("data");
    let server = EmbeddedCluster::start(&data).await.unwrap();
    // A `shelter user add` beside the serving server: it uses the cluster, then ends.
    let command = EmbeddedCluster::start(&data).await.unwrap();
    assert!(!command.started_here());
    assert_eq!(query_one(&command, "select 2::bigint").await, 2);
    command.stop().await.unwrap();
    drop(command);
    assert_eq!(query_one(&server, "select 3::bigint").await, 3, "the server's database is still up");
    server.stop().await.unwrap();
    assert!(!server.dir().join("postmaster.pid").exists(), "its starter stops it");
}

#[tokio::test]
async fn as_root_a_data_dir_the_postgres_user_cannot_enter_keeps_its_cluster_where_it_can() {
    if !nix::unistd::Uid::effective().is_root() {
        // Not root: the cluster runs as the current user, who can enter its own data dir.
        return;
    }
    // Like a checkout under /root: the data dir sits in a folder only root may enter.
    let private = tempfile::tempdir().unwrap();
    std::fs::set_permissions(private.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
    let data = private.path().join("shelter/data");
    let fallback = scratch_dir();
    let cluster = EmbeddedCluster::start_with_fallback(&data, fallback.path()).await.unwrap();
    assert!(cluster.dir().starts_with(fallback.path()), "{}", cluster.dir().display());
    assert_eq!(query_one(&cluster, "select 4::bigint").await, 4);
    cluster.stop().await.unwrap();
    // The next start finds the same cluster again.
    let again = EmbeddedCluster::start_with_fallback(&data, fallback.path()).await.unwrap();
    assert_eq!(again.dir(), cluster.dir());
    again.stop().await.unwrap();
}

#[tokio::test]
async fn the_server_answers_503_while_the_database_is_down_and_recovers_by_itself() {
    let scratch = scratch_dir();
    let data = scratch.path().join("data");
    let cluster = EmbeddedCluster::start(&data).await.unwrap();
    ensure_database(&cluster.connect_options("postgres"), EMBEDDED_DATABASE).await.unwrap();
    let app = Application::build(&test_settings(), cluster.connect_options(EMBEDDED_DATABASE)).await.unwrap();
    let address = format!("http://{}", app.address().unwrap());
    tokio::spawn(app.run_until(std::future::pending()));
    let client = reqwest::Client::new();
    assert_eq!(client.get(format!("{address}/readyz")).send().await.unwrap().status(), 200);

    cluster.stop().await.unwrap();
    let response = client.get(format!("{address}/readyz")).send().await.unwrap();
    assert_eq!(response.status(), 503);
    assert_eq!(client.get(format!("{address}/healthz")).send().await.unwrap().status(), 200, "the process is up");
    let page = client.get(format!("{address}/staff")).send().await.unwrap();
    assert_eq!(page.status(), 503, "pages that need the database say so");
    assert!(page.text().await.unwrap().contains("Temporarily unavailable"));
    let api = client.get(format!("{address}/api/v1/auth/me")).bearer_auth("x").send().await.unwrap();
    assert_eq!(api.status(), 503);
    let body: serde_json::Value = api.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unavailable");

    let cluster = EmbeddedCluster::start(&data).await.unwrap();
    let mut recovered = false;
    for _ in 0..50 {
        if client.get(format!("{address}/readyz")).send().await.unwrap().status() == 200 {
            recovered = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(recovered, "readyz is 200 again once the database is back");
    cluster.stop().await.unwrap();
}

#[tokio::test]
async fn databases_migrated_at_once_on_a_fresh_cluster_share_the_application_role() {
    let scratch = scratch_dir();
    let cluster = EmbeddedCluster::start(&scratch.path().join("data")).await.unwrap();
    let admin = cluster.connect_options("postgres");
    let names: Vec<String> = (0..4).map(|i| format!("fresh_{i}")).collect();
    for name in &names {
        ensure_database(&admin, name).await.unwrap();
    }
    let migrations = names.iter().map(|name| {
        let options = admin.clone().database(name);
        async move { shelter_server::db::migrate(&options).await }
    });
    for result in futures_util::future::join_all(migrations).await {
        result.unwrap();
    }
    let pool = shelter_server::db::pool(admin.clone().database("fresh_0"), 1);
    let role: String = sqlx::query_scalar("select current_user::text").fetch_one(&pool).await.unwrap();
    assert_eq!(role, "shelter_app");
    pool.close().await;
    cluster.stop().await.unwrap();
}
