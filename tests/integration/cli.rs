//! The real `shelter` binary, run as a process.

use std::process::Stdio;
use std::time::Duration;

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

use crate::embedded::scratch_dir;
use crate::helpers::fresh_database;

const SHELTER: &str = env!("CARGO_BIN_EXE_shelter-under-test");

pub(crate) fn shelter() -> Command {
    let mut command = Command::new(SHELTER);
    command
        .env_remove("DATABASE_URL")
        .env("RUST_LOG", "info")
        .env("SHELTER_PLAYBOOKS_DIR", std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../playbooks"))
        .kill_on_drop(true);
    command
}

pub(crate) fn url_of(options: &sqlx::postgres::PgConnectOptions, name: &str) -> String {
    let port = options.get_port();
    match options.get_socket() {
        Some(dir) => format!("postgres://postgres@localhost/{name}?host={}&port={port}", dir.display()),
        None => format!("postgres://postgres@{}:{port}/{name}", options.get_host()),
    }
}

#[tokio::test]
async fn help_lists_the_commands() {
    let output = shelter().arg("--help").output().await.unwrap();
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("serve") && text.contains("migrate"), "{text}");
    let output = shelter().args(["serve", "--help"]).output().await.unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    for var in ["DATABASE_URL", "SHELTER_BIND", "SHELTER_DATA_DIR", "SHELTER_PUBLIC_URL", "SHELTER_METRICS_BIND"] {
        assert!(text.contains(var), "serve --help names {var}");
    }
}

#[tokio::test]
async fn serve_on_the_embedded_default_starts_serves_and_stops_on_ctrl_c() {
    let scratch = scratch_dir();
    let data = scratch.path().join("data");
    let mut child = shelter()
        .arg("serve")
        .env("SHELTER_DATA_DIR", &data)
        .env("SHELTER_BIND", "127.0.0.1:0")
        .env("SHELTER_METRICS_BIND", "127.0.0.1:0")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let address = tokio::time::timeout(Duration::from_secs(60), async {
        while let Some(line) = lines.next_line().await.unwrap() {
            if let Some(rest) = line.split("address=").nth(1) {
                return rest.split_whitespace().next().unwrap().to_owned();
            }
        }
        panic!("shelter exited before listening");
    })
    .await
    .expect("listening within 60 s");
    let response = reqwest::get(format!("http://{address}/healthz")).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(reqwest::get(format!("http://{address}/readyz")).await.unwrap().status(), 200);

    kill(Pid::from_raw(child.id().unwrap() as i32), Signal::SIGINT).unwrap();
    let status = tokio::time::timeout(Duration::from_secs(30), child.wait()).await.unwrap().unwrap();
    assert!(status.success(), "clean exit on Ctrl-C: {status}");
    assert!(!data.join("postgres/postmaster.pid").exists(), "the embedded cluster was stopped");
}

/// Starts `shelter serve` on the embedded default in `data`; the child and its address.
async fn serve_embedded(data: &std::path::Path) -> (tokio::process::Child, String) {
    let mut child = shelter()
        .arg("serve")
        .env("SHELTER_DATA_DIR", data)
        .env("SHELTER_BIND", "127.0.0.1:0")
        .env("SHELTER_METRICS_BIND", "127.0.0.1:0")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let address = tokio::time::timeout(Duration::from_secs(60), async {
        while let Some(line) = lines.next_line().await.unwrap() {
            if let Some(rest) = line.split("address=").nth(1) {
                return rest.split_whitespace().next().unwrap().to_owned();
            }
        }
        panic!("shelter exited before listening");
    })
    .await
    .expect("listening within 60 s");
    // Keep reading the log so the server never blocks on a full pipe.
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    (child, address)
}

#[tokio::test]
async fn the_first_run_advice_beside_a_serving_server_leaves_its_database_running() {
    let scratch = scratch_dir();
    let data = scratch.path().join("data");
    let (mut child, address) = serve_embedded(&data).await;
    // The README's first-run advice, run while the server is up on the embedded default.
    for args in [
        &["user", "add", "--email", "first@example.org", "--name", "First", "--role", "admin"][..],
        &["audit", "head"][..],
    ] {
        let output = shelter().args(args).env("SHELTER_DATA_DIR", &data).output().await.unwrap();
        assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
    }
    assert!(data.join("postgres/postmaster.pid").exists(), "the cluster is still running");
    assert_eq!(reqwest::get(format!("http://{address}/readyz")).await.unwrap().status(), 200);
    let filed = reqwest::Client::new()
        .post(format!("http://{address}/api/v1/intake"))
        .json(&serde_json::json!({"narrative": "help", "country": "TH"}))
        .send()
        .await
        .unwrap();
    assert_eq!(filed.status(), 201, "the server still takes requests");
    kill(Pid::from_raw(child.id().unwrap() as i32), Signal::SIGINT).unwrap();
    let status = tokio::time::timeout(Duration::from_secs(30), child.wait()).await.unwrap().unwrap();
    assert!(status.success());
    assert!(!data.join("postgres/postmaster.pid").exists(), "the server that started it stops it");
}

#[tokio::test]
async fn as_root_serve_from_a_folder_the_postgres_user_cannot_enter_just_works() {
    if !nix::unistd::Uid::effective().is_root() {
        // Not root: the cluster runs as the current user, who can enter its own checkout.
        return;
    }
    // A checkout under /root: only root may enter the folder above the data dir.
    let home = tempfile::tempdir().unwrap();
    std::fs::set_permissions(home.path(), std::os::unix::fs::PermissionsExt::from_mode(0o700)).unwrap();
    let data = home.path().join("shelter/data");
    let mut child = shelter()
        .arg("serve")
        .env("SHELTER_DATA_DIR", &data)
        .env("SHELTER_BIND", "127.0.0.1:0")
        .env("SHELTER_METRICS_BIND", "127.0.0.1:0")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let (cluster, address) = tokio::time::timeout(Duration::from_secs(60), async {
        let mut cluster = None;
        while let Some(line) = lines.next_line().await.unwrap() {
            if let Some(rest) = line.split("cluster=").nth(1) {
                cluster = Some(rest.split_whitespace().next().unwrap().to_owned());
            }
            if let Some(rest) = line.split("address=").nth(1) {
                return (cluster, rest.split_whitespace().next().unwrap().to_owned());
            }
        }
        panic!("shelter exited before listening");
    })
    .await
    .expect("listening within 60 s");
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    let cluster = std::path::PathBuf::from(cluster.expect("the log says where the cluster lives"));
    assert!(cluster.starts_with(shelter_server::db::embedded::ROOT_FALLBACK), "{}", cluster.display());
    assert_eq!(reqwest::get(format!("http://{address}/readyz")).await.unwrap().status(), 200);
    kill(Pid::from_raw(child.id().unwrap() as i32), Signal::SIGINT).unwrap();
    let status = tokio::time::timeout(Duration::from_secs(30), child.wait()).await.unwrap().unwrap();
    assert!(status.success());
    assert!(!cluster.join("postmaster.pid").exists(), "stopped on Ctrl-C");
    std::fs::remove_dir_all(cluster.parent().unwrap()).unwrap();
}

#[tokio::test]
async fn without_postgresql_binaries_serve_says_what_to_do_and_fails() {
    let scratch = scratch_dir();
    let output = shelter()
        .arg("serve")
        .env("SHELTER_DATA_DIR", scratch.path().join("data"))
        .env("SHELTER_PG_BIN_DIR", scratch.path().join("no-postgres-here"))
        .env("SHELTER_BIND", "127.0.0.1:0")
        .output()
        .await
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("install PostgreSQL") && stderr.contains("DATABASE_URL"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[tokio::test]
async fn migrate_applies_migrations_and_is_idempotent() {
    let (options, name) = fresh_database().await;
    let url = url_of(&options, &name);
    for _ in 0..2 {
        let output = shelter().arg("migrate").env("DATABASE_URL", &url).output().await.unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    }
}

#[tokio::test]
async fn a_bad_database_url_is_a_clear_error() {
    let output = shelter().arg("migrate").env("DATABASE_URL", "mysql://nope").output().await.unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("DATABASE_URL"), "{stderr}");
}

#[tokio::test]
async fn user_add_prints_a_one_time_enrolment_code_that_enrols() {
    let (options, name) = fresh_database().await;
    let url = url_of(&options, &name);
    let scratch = scratch_dir();
    let run = |args: &[&str]| {
        let mut command = shelter();
        command.args(args).env("DATABASE_URL", &url).env("SHELTER_DATA_DIR", scratch.path());
        command.output()
    };
    let output =
        run(&["user", "add", "--email", "Lin@Example.org", "--name", "Lin", "--role", "admin,supervisor", "--json"])
            .await
            .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let printed: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(printed["email"], "lin@example.org");
    let code = printed["enrolment_code"].as_str().unwrap();
    assert_eq!(code.len(), 24);

    let output = run(&["user", "add", "--email", "lin@example.org", "--name", "Lin", "--role", "admin"]).await.unwrap();
    assert!(!output.status.success(), "a second account with the same e-mail is refused");
    assert!(String::from_utf8_lossy(&output.stderr).contains("exists already"));

    let output = run(&["user", "add", "--email", "x@example.org", "--name", "X", "--role", "root"]).await.unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("unknown role"));

    let output = run(&["user", "add", "--email", "x@example.org", "--name", "X", "--role", "admin", "--password", "p"])
        .await
        .unwrap();
    assert!(!output.status.success(), "no password is ever taken on the command line");

    let roles: Vec<String> = {
        let pool = sqlx::PgPool::connect_with(options.clone()).await.unwrap();
        sqlx::query_scalar("select roles from staff_user where email = 'lin@example.org'")
            .fetch_one(&pool)
            .await
            .unwrap()
    };
    assert_eq!(roles, vec!["admin", "supervisor"]);

    for command in [["user", "unlock"], ["user", "disable"]] {
        let output = run(&[command[0], command[1], "--email", "lin@example.org"]).await.unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    }
    let output = run(&["user", "reset-2fa", "--email", "lin@example.org"]).await.unwrap();
    assert!(!output.status.success(), "a disabled account is not reset");
}

#[tokio::test]
async fn audit_verify_reports_a_fault_with_a_non_zero_exit() {
    let (options, name) = fresh_database().await;
    let url = url_of(&options, &name);
    let scratch = scratch_dir();
    let run = |args: &[&str]| {
        let mut command = shelter();
        command.args(args).env("DATABASE_URL", &url).env("SHELTER_DATA_DIR", scratch.path());
        command.output()
    };
    for i in 0..3 {
        let email = format!("a{i}@example.org");
        assert!(
            run(&["user", "add", "--email", &email, "--name", "A", "--role", "handler"])
                .await
                .unwrap()
                .status
                .success()
        );
    }
    let head = run(&["audit", "head"]).await.unwrap();
    let head = String::from_utf8_lossy(&head.stdout).trim().to_owned();
    assert!(head.starts_with("3:") && head.len() == 2 + 64, "{head}");
    let intact = run(&["audit", "verify", "--anchor", &head]).await.unwrap();
    assert!(intact.status.success(), "{}", String::from_utf8_lossy(&intact.stderr));
    assert!(String::from_utf8_lossy(&intact.stdout).contains("intact: 3 entries"));

    let mut conn = sqlx::ConnectOptions::connect(&options).await.unwrap();
    sqlx::raw_sql("set session_replication_role = replica; update audit_log set details = '{}' where seq = 2")
        .execute(&mut conn)
        .await
        .unwrap();
    let broken = run(&["audit", "verify"]).await.unwrap();
    assert!(!broken.status.success());
    let stderr = String::from_utf8_lossy(&broken.stderr);
    assert!(stderr.contains("entry 2 was altered"), "{stderr}");
    let bad_anchor = run(&["audit", "verify", "--anchor", "not-hex"]).await.unwrap();
    assert!(!bad_anchor.status.success());
}
