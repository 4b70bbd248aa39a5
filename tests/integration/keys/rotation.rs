//! `shelter keys rotate`, with a server running, killed half-way and run again.

use std::process::Stdio;

use shelter_server::cases::crypto::{CaseKey, key_context};
use shelter_server::clock::Clock;
use shelter_server::keys::{self, Keys};
use sqlx::{ConnectOptions, Row};
use tokio::io::{AsyncBufReadExt, BufReader};
use uuid::Uuid;

use super::{
    app_with_key, assert_all_read, catch_up, open_every_case, read_everything, run, scratch, sealed_world, shelter,
    url_of,
};

#[tokio::test]
async fn a_rotation_killed_half_way_resumes_every_field_reads_and_the_old_key_opens_nothing() {
    let (_dir, dir) = scratch();
    let key = dir.join("master.key");
    let app = app_with_key(&dir, None).await;
    let sealed = sealed_world(&app, &key, 40).await;
    assert_all_read(&read_everything(&app, &sealed).await, "before the rotation");
    let invite = voucher_address(&app, &key, sealed.world.case_id).await;
    let old_copy = dir.join("old.key");
    std::fs::copy(&key, &old_copy).unwrap();
    let old_master = keys::read_key_file(&old_copy).unwrap();
    let url = url_of(&app.owner_options);

    // Killed after two batches of five, while the server goes on serving with the old key.
    let mut child = shelter(&url, &key)
        .args(["keys", "rotate", "--batch-size", "5", "--pause-ms", "400"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut seen = 0;
    while let Some(line) = lines.next_line().await.unwrap() {
        if line.starts_with("re-sealed") {
            seen += 1;
        }
        if seen == 2 {
            break;
        }
    }
    child.start_kill().unwrap();
    let status = child.wait().await.unwrap();
    assert!(!status.success(), "the rotation was killed, not finished");
    let copies: i64 = sqlx::query_scalar("select count(*) from cases where sealed_key_next is not null")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let cases: i64 = sqlx::query_scalar("select count(*) from cases").fetch_one(&app.db).await.unwrap();
    assert!(copies >= 10 && copies < cases, "half-way: {copies} of {cases} case keys re-sealed");
    assert!(keys::next_key_path(&key).exists(), "the new key waits beside the old one");
    assert_eq!(std::fs::read(&key).unwrap(), std::fs::read(&old_copy).unwrap(), "the old key is still in place");
    // In between, the running server and the key file still open everything.
    assert_eq!(open_every_case(&app.db, &key).await, 41);
    assert_all_read(&read_everything(&app, &sealed).await, "half-way through the rotation");
    let admin = app.staff(&[shelter_shared::staff::Role::Admin]).await;
    let admin_home = crate::homes::home(&app, &admin).await;
    assert!(admin_home.contains("has not finished: run shelter keys rotate again"), "the administrator's home says so");
    // Written during the rotation, under the old key: the rotation must carry it over too.
    let keys_now = keys::load(&key, &app.db).await.unwrap();
    super::add_case(&app.db, &keys_now, 999).await;

    // Run again: it resumes and finishes.
    let (ok, out) = run(&url, &key, &["keys", "rotate", "--batch-size", "5"]).await;
    assert!(ok, "the resumed rotation finishes: {out}");
    assert!(out.contains("the master key is rotated (generation 2"), "{out}");
    assert!(!keys::next_key_path(&key).exists());
    assert_ne!(std::fs::read(&key).unwrap(), std::fs::read(&old_copy).unwrap(), "a new key file");

    // A server started with the new key reads every field kind, and every case opens.
    let restarted = app_with_key(&dir, Some(app.owner_options.clone())).await;
    catch_up(&restarted, app.clock.now());
    assert_eq!(open_every_case(&restarted.db, &key).await, 42);
    assert_all_read(&read_everything(&restarted, &sealed).await, "after the rotation");
    let (ok, out) = run(&url, &key, &["audit", "verify"]).await;
    assert!(ok, "the trail verifies: {out}");
    let actions: Vec<String> =
        sqlx::query_scalar("select action from audit_log where action like 'keys.%' order by seq")
            .fetch_all(&restarted.db)
            .await
            .unwrap();
    assert_eq!(actions, ["keys.rotation_started", "keys.rotated"]);

    // The old key opens nothing: not the server, not the ring, no case key, TOTP secret or contact.
    let refused = keys::load(&old_copy, &restarted.db).await.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(refused.contains("does not match"), "{refused}");
    let mut owner = restarted.owner_options.connect().await.unwrap();
    assert!(
        shelter_server::keyring::read(&mut owner, &old_master).await.unwrap().is_empty(),
        "no ring under the old key"
    );
    let new_keys = keys::load(&key, &restarted.db).await.unwrap();
    let old_keys = Keys::derive(&old_master);
    let rows = sqlx::query("select case_id, sealed_key from cases").fetch_all(&mut owner).await.unwrap();
    for row in &rows {
        let (id, sealed): (Uuid, Vec<u8>) = (row.get(0), row.get(1));
        assert!(CaseKey::open(&new_keys, id, &sealed).is_ok(), "case {id} opens with the new key");
        assert!(keys::open(&old_keys.case_keys, &sealed, &key_context(id)).is_err(), "case {id} with the old key");
    }
    let totp: Vec<(Uuid, Vec<u8>)> =
        sqlx::query_as("select staff_user_id, totp_secret_sealed from staff_user where totp_secret_sealed is not null")
            .fetch_all(&mut owner)
            .await
            .unwrap();
    assert!(!totp.is_empty());
    for (id, sealed) in &totp {
        let context = shelter_server::identity::enrolment::totp_context(*id);
        assert!(keys::open(&new_keys.totp, sealed, &context).is_ok());
        assert!(keys::open(&old_keys.totp, sealed, &context).is_err(), "TOTP of {id} with the old key");
    }
    let (partner, contact): (Uuid, Vec<u8>) =
        sqlx::query_as("select partner_id, contact_sealed from partner where contact_sealed is not null")
            .fetch_one(&mut owner)
            .await
            .unwrap();
    let context = shelter_server::partners::contact_context(partner);
    assert!(keys::open(&new_keys.directory, &contact, &context).is_ok());
    assert!(keys::open(&old_keys.directory, &contact, &context).is_err(), "the contact with the old key");
    let (user, address, handle): (Uuid, Vec<u8>, Vec<u8>) =
        sqlx::query_as("select staff_user_id, address_sealed, handle_sealed from notice_preference")
            .fetch_one(&mut owner)
            .await
            .unwrap();
    for (what, sealed) in [("address", &address), ("handle", &handle)] {
        let context = shelter_server::notify::preferences::address_context(user, what);
        assert!(keys::open(&new_keys.directory, sealed, &context).is_ok());
        assert!(keys::open(&old_keys.directory, sealed, &context).is_err(), "the notice {what} with the old key");
    }
    let destination: Vec<u8> = sqlx::query_scalar("select destination_sealed from vouch_invite where invite_id = $1")
        .bind(invite)
        .fetch_one(&mut owner)
        .await
        .unwrap();
    let context = shelter_server::vouch::destination_context(invite);
    assert_eq!(keys::open(&new_keys.directory, &destination, &context).unwrap(), b"voucher-7676@example.org");
    assert!(keys::open(&old_keys.directory, &destination, &context).is_err(), "a voucher's address with the old key");
    let leftovers: i64 = sqlx::query_scalar(
        "select (select count(*) from cases where sealed_key_next is not null)
              + (select count(*) from key_rotation)",
    )
    .fetch_one(&mut owner)
    .await
    .unwrap();
    assert_eq!(leftovers, 0, "no copy or rotation record is left");
}

#[tokio::test]
async fn an_abandoned_rotation_leaves_the_current_key_working() {
    let (_dir, dir) = scratch();
    let key = dir.join("master.key");
    let app = app_with_key(&dir, None).await;
    let _sealed = sealed_world(&app, &key, 12).await;
    let url = url_of(&app.owner_options);
    let mut child = shelter(&url, &key)
        .args(["keys", "rotate", "--batch-size", "5", "--pause-ms", "5000"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    while let Some(line) = lines.next_line().await.unwrap() {
        if line.starts_with("re-sealed") {
            break;
        }
    }
    child.start_kill().unwrap();
    let _ = child.wait().await;
    // The new key file lost: resuming says what to do rather than guessing.
    std::fs::remove_file(keys::next_key_path(&key)).unwrap();
    let (ok, out) = run(&url, &key, &["keys", "rotate"]).await;
    assert!(!ok && out.contains("--abandon"), "{out}");
    let (ok, out) = run(&url, &key, &["keys", "rotate", "--abandon"]).await;
    assert!(ok, "{out}");
    let copies: i64 = sqlx::query_scalar("select count(*) from cases where sealed_key_next is not null")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(copies, 0);
    assert_eq!(open_every_case(&app.db, &key).await, 13);
    let (ok, out) = run(&url, &key, &["keys", "rotate"]).await;
    assert!(ok && out.contains("generation 2"), "a later rotation starts afresh: {out}");
    // The application's own pool now refuses to connect under the old key: a plain one reads.
    let plain = sqlx::PgPool::connect_lazy_with(app.owner_options.clone());
    assert_eq!(open_every_case(&plain, &key).await, 13);

    // Stopped after the switch but before the new file took the old one's place: the next
    // run (or start) finishes that step.
    let new_key = std::fs::read(&key).unwrap();
    std::fs::rename(&key, keys::next_key_path(&key)).unwrap();
    std::fs::write(&key, "ef".repeat(32)).unwrap();
    let (ok, out) = run(&url, &key, &["keys", "rotate"]).await;
    assert!(ok && out.contains("an earlier rotation was finished"), "{out}");
    assert_eq!(std::fs::read(&key).unwrap(), new_key);
    assert!(!keys::next_key_path(&key).exists());
    assert_eq!(open_every_case(&plain, &key).await, 13);
}

/// A voucher's address, sealed under the directory key as asking seals it; the invite's id.
async fn voucher_address(app: &crate::helpers::TestApp, key_file: &std::path::Path, case_id: Uuid) -> Uuid {
    let keys = keys::load(key_file, &app.db).await.unwrap();
    let (request, invite) = (Uuid::new_v4(), Uuid::new_v4());
    let asker: Uuid =
        sqlx::query_scalar("select staff_user_id from staff_user limit 1").fetch_one(&app.db).await.unwrap();
    sqlx::query(
        "insert into vouch_request (vouch_request_id, case_id, asked_by, asked_at, expires_at)
         values ($1, $2, $3, now(), now() + interval '72 hours')",
    )
    .bind(request)
    .bind(case_id)
    .bind(asker)
    .execute(&app.db)
    .await
    .unwrap();
    let context = shelter_server::vouch::destination_context(invite);
    let sealed = keys::seal(&keys.directory, b"voucher-7676@example.org", &context).unwrap();
    sqlx::query(
        "insert into vouch_invite (invite_id, vouch_request_id, member_id, destination_sealed, destination_hash, channel,
                                   language)
         values ($1, $2, (select member_id from alumni_member limit 1), $3, '\\x01', 'email', 'en')",
    )
    .bind(invite)
    .bind(request)
    .bind(sealed)
    .execute(&app.db)
    .await
    .unwrap();
    invite
}
