//! `shelter doctor` and `shelter migrate --check`, run as the real binary: a good setup
//! passes, and each thing an operator gets wrong gives its own fail line and a non-zero exit.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use serde_json::Value;

use crate::cli::{shelter, url_of};
use crate::helpers::fresh_database;
use crate::notify::SmtpSink;

/// Settings changed over the good ones.
type Changes = Vec<(&'static str, String)>;

/// A complete, correct installation's settings, as environment variables.
struct Setup {
    dir: tempfile::TempDir,
    env: Vec<(&'static str, String)>,
    /// Dropped with the setup, not before the doctor runs.
    _db: crate::helpers::TestDatabase,
}

impl Setup {
    async fn good(smtp: &SmtpSink) -> Setup {
        let (options, name) = fresh_database().await;
        shelter_server::db::migrate(&options).await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        let key = dir.path().join("master.key");
        std::fs::write(&key, "ab".repeat(32)).unwrap();
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
        let backups = dir.path().join("backups");
        std::fs::create_dir(&backups).unwrap();
        std::fs::write(backups.join("shelter-backup.bin"), b"backup").unwrap();
        let env = vec![
            ("DATABASE_URL", url_of(&options, &name)),
            ("SHELTER_MASTER_KEY_FILE", key.display().to_string()),
            ("SHELTER_PUBLIC_URL", "https://shelter.example.org".into()),
            ("SHELTER_TRUST_PROXY_HEADERS", "true".into()),
            ("SHELTER_BIND", "127.0.0.1:8080".into()),
            ("SHELTER_METRICS_BIND", "127.0.0.1:9464".into()),
            ("SHELTER_SMTP_URL", smtp.url()),
            ("SHELTER_MAIL_FROM", "Shelter <notices@shelter.example.org>".into()),
            ("SHELTER_BACKUP_DIR", backups.display().to_string()),
        ];
        Setup { dir, env, _db: name }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Runs `shelter doctor --json` with `changes` over the good settings.
    async fn doctor(&self, changes: &[(&'static str, String)]) -> (bool, Value) {
        let mut command = shelter();
        command.args(["doctor", "--json"]).env_remove("SHELTER_BACKUP_DIR").env_remove("SHELTER_SMTP_URL");
        for (key, value) in self.env.iter().chain(changes) {
            command.env(key, value);
        }
        let output = command.output().await.unwrap();
        let report: Value = serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stderr)));
        (output.status.success(), report)
    }
}

fn status_of<'a>(report: &'a Value, check: &str) -> (&'a str, &'a str) {
    let found = report["checks"].as_array().unwrap().iter().find(|c| c["name"] == check).unwrap_or_else(|| {
        panic!("no {check} check in {report}");
    });
    (found["status"].as_str().unwrap(), found["detail"].as_str().unwrap())
}

fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap();
}

#[tokio::test]
async fn doctor_passes_a_good_setup_and_fails_each_misconfiguration_on_its_own_line() {
    let smtp = SmtpSink::start(0);
    let setup = Setup::good(&smtp).await;
    let (ok, report) = setup.doctor(&[]).await;
    assert!(ok, "a good setup passes: {report:#}");
    assert_eq!(report["ok"], true);
    for check in report["checks"].as_array().unwrap() {
        assert_eq!(check["status"], "pass", "{check}");
    }
    let names: Vec<&str> = report["checks"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    for name in
        ["key_file", "public_url", "listeners", "playbooks", "database", "migrations", "clock", "smtp", "backups"]
    {
        assert!(names.contains(&name), "{name} is checked: {names:?}");
    }

    // Each misconfiguration, and the check that must fail for it.
    let loose_key = setup.path("loose.key");
    write(&loose_key, &"cd".repeat(32));
    std::fs::set_permissions(&loose_key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let broken_playbooks = setup.path("playbooks");
    std::fs::create_dir(&broken_playbooks).unwrap();
    write(&broken_playbooks.join("arrest_detention.toml"), "kind = \"arrest_detention\"\nversion = \"not a number\"\n");
    let old_backups = setup.path("old-backups");
    std::fs::create_dir(&old_backups).unwrap();
    let old = std::fs::File::create(old_backups.join("shelter-backup.bin")).unwrap();
    old.set_modified(SystemTime::now() - Duration::from_secs(3 * 24 * 3600)).unwrap();
    let empty_backups = setup.path("no-backups");
    std::fs::create_dir(&empty_backups).unwrap();
    let (unmigrated, name) = fresh_database().await;

    let cases: Vec<(&str, &str, Changes)> = vec![
        (
            "key_file",
            "missing key file",
            vec![("SHELTER_MASTER_KEY_FILE", setup.path("none.key").display().to_string())],
        ),
        ("key_file", "key readable by others", vec![("SHELTER_MASTER_KEY_FILE", loose_key.display().to_string())]),
        (
            "database",
            "database unreachable",
            vec![("DATABASE_URL", format!("postgres://postgres@127.0.0.1:{}/x", closed_port()))],
        ),
        ("migrations", "migrations pending", vec![("DATABASE_URL", url_of(&unmigrated, &name))]),
        ("playbooks", "a broken playbook", vec![("SHELTER_PLAYBOOKS_DIR", broken_playbooks.display().to_string())]),
        ("public_url", "plain http", vec![("SHELTER_PUBLIC_URL", "http://shelter.example.org".into())]),
        ("listeners", "metrics on every interface", vec![("SHELTER_METRICS_BIND", "0.0.0.0:9464".into())]),
        ("smtp", "SMTP unreachable", vec![("SHELTER_SMTP_URL", format!("smtp://127.0.0.1:{}", closed_port()))]),
        (
            "backups",
            "the newest backup three days old",
            vec![("SHELTER_BACKUP_DIR", old_backups.display().to_string())],
        ),
        ("backups", "no backup at all", vec![("SHELTER_BACKUP_DIR", empty_backups.display().to_string())]),
    ];
    let runs = futures_util::future::join_all(cases.iter().map(|(_, _, changes)| setup.doctor(changes))).await;
    for ((check, what, _), (ok, report)) in cases.iter().zip(runs) {
        assert!(!ok, "{what}: non-zero exit");
        assert_eq!(report["ok"], false, "{what}");
        let (status, detail) = status_of(&report, check);
        assert_eq!(status, "fail", "{what}: {check} fails ({detail})");
        let failed = report["checks"].as_array().unwrap().iter().filter(|c| c["status"] == "fail").count();
        assert_eq!(failed, 1, "{what}: only its own line fails: {report:#}");
    }

    // The key owned by someone else (only root can give a file away).
    if nix::unistd::Uid::effective().is_root() {
        let theirs = setup.path("theirs.key");
        write(&theirs, &"ef".repeat(32));
        std::fs::set_permissions(&theirs, std::fs::Permissions::from_mode(0o600)).unwrap();
        nix::unistd::chown(&theirs, Some(nix::unistd::Uid::from_raw(65534)), None).unwrap();
        let (ok, report) = setup.doctor(&[("SHELTER_MASTER_KEY_FILE", theirs.display().to_string())]).await;
        assert!(!ok);
        let (status, detail) = status_of(&report, "key_file");
        assert_eq!((status, detail.contains("owned by uid 65534")), ("fail", true), "{detail}");
    } else {
        println!("not root: the key owned by another user is not tried (chown needs root)");
    }

    // Warnings do not fail: backups not configured, the public port on every interface.
    let mut command = shelter();
    command.args(["doctor"]).env_remove("SHELTER_BACKUP_DIR");
    for (key, value) in &setup.env {
        if *key != "SHELTER_BACKUP_DIR" {
            command.env(key, value);
        }
    }
    let output = command.env("SHELTER_BIND", "0.0.0.0:8080").output().await.unwrap();
    let table = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "warnings only: {table}");
    assert!(table.lines().any(|l| l.starts_with("WARN") && l.contains("backups") && l.contains("SHELTER_BACKUP_DIR")));
    assert!(table.lines().any(|l| l.starts_with("WARN") && l.contains("listeners")), "{table}");
}

#[tokio::test]
async fn migrate_check_fails_while_migrations_are_pending_and_an_older_binary_tolerates_newer_ones() {
    let (options, name) = fresh_database().await;
    let url = url_of(&options, &name);
    let check = || shelter().args(["migrate", "--check"]).env("DATABASE_URL", &url).output();
    let pending = check().await.unwrap();
    assert!(!pending.status.success(), "pending migrations: non-zero exit");
    assert!(String::from_utf8_lossy(&pending.stdout).contains("pending  1 installation"));
    let migrate = shelter().arg("migrate").env("DATABASE_URL", &url).output().await.unwrap();
    assert!(migrate.status.success(), "{}", String::from_utf8_lossy(&migrate.stderr));
    let current = check().await.unwrap();
    assert!(current.status.success(), "{}", String::from_utf8_lossy(&current.stdout));

    // A newer shelter applied a migration this one does not know (a rolling upgrade):
    // this binary still migrates and serves, and says so.
    let mut owner = sqlx::ConnectOptions::connect(&options).await.unwrap();
    sqlx::query(
        "insert into _sqlx_migrations (version, description, success, checksum, execution_time)
         values (99990101000000, 'from the future', true, '\\x00', 1)",
    )
    .execute(&mut owner)
    .await
    .unwrap();
    let again = shelter().arg("migrate").env("DATABASE_URL", &url).output().await.unwrap();
    assert!(
        again.status.success(),
        "an older binary migrates beside a newer one: {}",
        String::from_utf8_lossy(&again.stderr)
    );
    let newer = check().await.unwrap();
    assert!(newer.status.success());
    assert!(String::from_utf8_lossy(&newer.stdout).contains("newer  99990101000000"));
}
