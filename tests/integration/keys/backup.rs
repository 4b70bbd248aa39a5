//! `shelter backup create | verify | restore` with the real pg_dump and pg_restore.

use shelter_server::app::Application;
use shelter_server::clock::{Clock, ManualClock};
use sqlx::{ConnectOptions, Connection};

use super::{
    app_with_key, assert_all_read, catch_up, open_every_case, read_everything, run, scratch, sealed_world, url_of,
};
use crate::helpers::{admin_options, test_settings};

/// `audit head      SEQ:HASH` from a printed manifest.
fn head_in(printed: &str) -> String {
    let line = printed.lines().find(|l| l.trim_start().starts_with("audit head")).unwrap_or_default();
    line.split_whitespace().last().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn backup_wipe_restore_reads_every_case_and_the_recorded_head_is_in_the_chain() {
    let (_dir, dir) = scratch();
    let key = dir.join("master.key");
    let app = app_with_key(&dir, None).await;
    let sealed = sealed_world(&app, &key, 5).await;
    assert_all_read(&read_everything(&app, &sealed).await, "before the backup");
    let url = url_of(&app.owner_options);
    let file = dir.join("shelter.backup");
    let file_arg = file.to_str().unwrap();

    let (ok, made) = run(&url, &key, &["backup", "create", "--out", file_arg]).await;
    assert!(ok, "{made}");
    let head = head_in(&made);
    let entries: i64 = sqlx::query_scalar("select count(*) from audit_log").fetch_one(&app.db).await.unwrap();
    assert_eq!(head.split(':').next(), Some(entries.to_string().as_str()), "the manifest names the head: {made}");
    let archive = std::fs::read(&file).unwrap();
    let master_hex = std::fs::read_to_string(&key).unwrap();
    let master_hex = master_hex.trim();
    assert!(!archive.windows(master_hex.len()).any(|w| w == master_hex.as_bytes()), "never the key, in hex…");
    let master = hex::decode(master_hex).unwrap();
    assert!(!archive.windows(32).any(|w| w == master.as_slice()), "…or in bytes");
    let (ok, checked) = run(&url, &key, &["backup", "verify", file_arg]).await;
    assert!(ok && checked.contains("is intact"), "{checked}");

    // Never over a database that holds something: refused, and nothing changes.
    let (ok, refused) = run(&url, &key, &["backup", "restore", file_arg]).await;
    assert!(!ok && refused.contains("is not empty"), "{refused}");
    let after: i64 = sqlx::query_scalar("select count(*) from audit_log").fetch_one(&app.db).await.unwrap();
    assert_eq!(after, entries);

    // Wipe: the database dropped and created again, empty.
    let name = app.owner_options.get_database().unwrap().to_owned();
    app.db.close().await;
    let mut admin = admin_options().await.connect().await.unwrap();
    sqlx::query(&format!("drop database \"{name}\" with (force)")).execute(&mut admin).await.unwrap();
    sqlx::query(&format!("create database \"{name}\"")).execute(&mut admin).await.unwrap();
    let _ = admin.close().await;

    let (ok, restored) = run(&url, &key, &["backup", "restore", file_arg]).await;
    assert!(ok, "{restored}");
    assert!(
        restored.contains("is in the chain") && restored.contains("the master key file opens this data"),
        "{restored}"
    );
    let (ok, verified) = run(&url, &key, &["audit", "verify", "--anchor", &head]).await;
    assert!(ok && verified.contains("the anchor is in the chain"), "{verified}");

    let back = app_with_key(&dir, Some(app.owner_options.clone())).await;
    catch_up(&back, app.clock.now());
    assert_eq!(open_every_case(&back.db, &key).await, 6);
    assert_all_read(&read_everything(&back, &sealed).await, "after the restore");
    let restores: i64 = sqlx::query_scalar("select count(*) from audit_log where action = 'backup.restored'")
        .fetch_one(&back.db)
        .await
        .unwrap();
    assert_eq!(restores, 1, "the restore is in the trail");

    // With another key, the restored database refuses to start, as any start with a wrong key.
    let (_other, other_dir) = scratch();
    std::fs::write(other_dir.join("master.key"), format!("{}\n", "cd".repeat(32))).unwrap();
    let mut settings = test_settings();
    settings.database.master_key_file = Some(other_dir.join("master.key"));
    let clock = std::sync::Arc::new(ManualClock::starting_at(back.clock.now()));
    let refused = Application::build_with_clock(&settings, back.owner_options.clone(), clock).await.err();
    let refused = refused.map(|e| format!("{e:#}")).unwrap_or_default();
    assert!(refused.contains("does not match"), "{refused}");
}

#[tokio::test]
async fn verify_names_a_damaged_or_truncated_backup() {
    let (_dir, dir) = scratch();
    let key = dir.join("master.key");
    let app = app_with_key(&dir, None).await;
    let _sealed = sealed_world(&app, &key, 2).await;
    let url = url_of(&app.owner_options);
    let file = dir.join("good.backup");
    let (ok, made) = run(&url, &key, &["backup", "create", "--out", file.to_str().unwrap()]).await;
    assert!(ok, "{made}");
    let bytes = std::fs::read(&file).unwrap();

    // One byte changed in the middle of the dump.
    let mut flipped = bytes.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x55;
    let damaged = dir.join("damaged.backup");
    std::fs::write(&damaged, &flipped).unwrap();
    let (ok, said) = run(&url, &key, &["backup", "verify", damaged.to_str().unwrap()]).await;
    assert!(!ok && said.contains("is damaged"), "{said}");

    // Cut short.
    let truncated = dir.join("truncated.backup");
    std::fs::write(&truncated, &bytes[..bytes.len() / 3]).unwrap();
    let (ok, said) = run(&url, &key, &["backup", "verify", truncated.to_str().unwrap()]).await;
    assert!(!ok && said.contains("damaged"), "{said}");

    // A damaged backup is never restored, even into an empty database.
    let (options, _db) = crate::helpers::fresh_database().await;
    let (ok, said) = run(&url_of(&options), &key, &["backup", "restore", damaged.to_str().unwrap()]).await;
    assert!(!ok && said.contains("is damaged"), "{said}");
    let mut conn = options.connect().await.unwrap();
    let tables: i64 = sqlx::query_scalar("select count(*) from pg_tables where schemaname = 'public'")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(tables, 0, "nothing was restored");
}
