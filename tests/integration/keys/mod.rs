//! Running it for real: backups that restore, master-key rotation, key shares.
//!
//! Each test seals one of every kind of field, then reads them all back through the real
//! application after the operation (`shelter` run as a process, as an operator would).

mod backup;
mod rotation;
mod shares;

use std::path::{Path, PathBuf};

use reqwest::StatusCode;
use serde_json::{Value, json};
use shelter_server::audit::{Actor, NewEntry, SealedRationale};
use shelter_server::cases::crypto::CaseKey;
use shelter_server::clock::Clock;
use shelter_server::keys::{self, Keys};
use shelter_shared::audit::AuditAction;
use sqlx::PgPool;
use sqlx::postgres::PgConnectOptions;
use tokio::process::Command;
use uuid::Uuid;

use crate::grants::{self, Member, World};
use crate::helpers::{TestApp, test_settings};

const SHELTER: &str = env!("CARGO_BIN_EXE_shelter-under-test");

/// Every marker sealed by [`sealed_world`], each in a different kind of sealed field.
const MARKERS: &[(&str, &str)] = &[
    ("case field", "grant-narrative-7171"),
    ("case audit rationale", "detained, lawyer needed"),
    ("payee details", "KBZ account 0042-secret-acct-5151"),
    ("grant purpose", "Defence at the bail hearing"),
    ("referral purpose", "Bail hearing unique-purpose-7272"),
    ("referral packet", "packet-summary-8383"),
    ("partner contact", "partner-contact-9393"),
    ("general audit rationale", "general-rationale-6464"),
    ("staff notice address", "notice-address-5757@example.org"),
    ("staff messenger handle", "handle-5858"),
    ("alumni member", "alumni-contact-4545"),
    ("alumni timeline note", "alumni-note-4646"),
];

/// `shelter` as a process against `url`, with the key file `key`.
fn shelter(url: &str, key: &Path) -> Command {
    let mut command = Command::new(SHELTER);
    command
        .env("DATABASE_URL", url)
        .env("SHELTER_MASTER_KEY_FILE", key)
        .env("SHELTER_DATA_DIR", key.parent().unwrap_or(Path::new(".")))
        .env("RUST_LOG", "warn")
        .kill_on_drop(true);
    command
}

/// Runs `shelter args…`; (success, stdout and stderr).
async fn run(url: &str, key: &Path, args: &[&str]) -> (bool, String) {
    let output = shelter(url, key).args(args).output().await.unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    (output.status.success(), text)
}

fn url_of(options: &PgConnectOptions) -> String {
    let port = options.get_port();
    let name = options.get_database().unwrap();
    match options.get_socket() {
        Some(dir) => format!("postgres://postgres@localhost/{name}?host={}&port={port}", dir.display()),
        None => format!("postgres://postgres@{}:{port}/{name}", options.get_host()),
    }
}

/// An application whose master key lives at `dir/master.key` (kept by the test).
async fn app_with_key(dir: &Path, options: Option<PgConnectOptions>) -> TestApp {
    let mut settings = test_settings();
    settings.database.master_key_file = Some(dir.join("master.key"));
    match options {
        Some(options) => TestApp::spawn_on(settings, options).await,
        None => TestApp::spawn_with(settings).await,
    }
}

/// What [`sealed_world`] made.
struct Sealed {
    world: World,
    grant: String,
    partner: Uuid,
    member: String,
}

/// One of every sealed field kind, and `extra` more cases, each with a sealed narrative.
async fn sealed_world(app: &TestApp, key_file: &Path, extra: usize) -> Sealed {
    let world = grants::world(app, "high").await;
    let grant = grants::propose(app, &world, "1,000.00").await;
    let partner = json!({"name": "Lawyers' guild", "kind": "lawyer", "countries": ["MM"],
                         "expertise": ["criminal_defence"], "contact": "partner-contact-9393"});
    let created = app.post_json("/api/v1/partners", Some(&world.admin.token), &partner).await;
    assert_eq!(created.status(), StatusCode::CREATED, "partner");
    let partner: Uuid = created.json::<Value>().await.unwrap()["id"].as_str().unwrap().parse().unwrap();
    let referral = json!({"partner_id": partner, "purpose": "Bail hearing unique-purpose-7272",
                          "summary": "packet-summary-8383"});
    let proposed = app
        .post_json(&format!("/api/v1/cases/{}/referrals", world.case_id), Some(&world.handler.token), &referral)
        .await;
    assert_eq!(proposed.status(), StatusCode::CREATED, "referral");
    // Where the handler's notices go, sealed under the directory key.
    let choices = shelter_server::notify::preferences::Preferences::default()
        .with_addresses("notice-address-5757@example.org", "handle-5858")
        .unwrap();
    app.notify
        .set_preferences(
            world.handler.user.id.parse().unwrap(),
            &choices,
            Some(shelter_server::clock::Clock::now(&app.clock)),
        )
        .await
        .unwrap();
    // A rationale about no case, sealed under the audit key.
    let keys = keys::load(key_file, &app.db).await.unwrap();
    let rationale = SealedRationale::general(&keys, "general-rationale-6464").unwrap();
    let entry = NewEntry::new(Actor::System, AuditAction::AuditReviewed).rationale(rationale);
    shelter_server::audit::record_alone(&app.db, entry, app.clock.now()).await.unwrap();
    // A registry member: a data key sealed under the directory key, fields under that key.
    let member = json!({"names": ["Daw Hla"], "country": "MM", "cohort_year": 2014, "contact": "alumni-contact-4545",
                        "status": {"status": "at_risk", "date": "2026-01-01", "note": "alumni-note-4646"}});
    let added = app.post_json("/api/v1/alumni", Some(&world.admin.token), &member).await;
    assert_eq!(added.status(), StatusCode::CREATED, "alumni member");
    let member = added.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    for i in 0..extra {
        add_case(&app.db, &keys, i).await;
    }
    Sealed { world, grant, partner, member }
}

/// A case written as intake writes it, with its narrative sealed under its own key.
async fn add_case(db: &PgPool, keys: &Keys, i: usize) {
    let case_id = Uuid::new_v4();
    let (key, sealed) = CaseKey::generate(keys, case_id).unwrap();
    let mut tx = db.begin().await.unwrap();
    sqlx::query(
        "insert into cases (case_id, reference, passphrase_hash, kind, country, language, contact_allowed, sealed_key,
                            created_at, updated_at)
         values ($1, $2, 'x', 'other', 'MM', 'en', false, $3, now(), now())",
    )
    .bind(case_id)
    .bind(format!("sh-test-{i:04}"))
    .bind(sealed)
    .execute(&mut *tx)
    .await
    .unwrap();
    sqlx::query("insert into case_field (case_id, field, ciphertext) values ($1, 'narrative', $2)")
        .bind(case_id)
        .bind(key.seal("narrative", format!("extra-narrative-{case_id}").as_bytes()).unwrap())
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

/// Opens every case key and every narrative with the keys of `key_file`; how many opened.
async fn open_every_case(db: &PgPool, key_file: &Path) -> usize {
    let keys = keys::load(key_file, db).await.unwrap();
    let rows: Vec<(Uuid, Vec<u8>, Vec<u8>)> = sqlx::query_as(
        "select c.case_id, c.sealed_key, f.ciphertext from cases c join case_field f using (case_id)
         where f.field = 'narrative'",
    )
    .fetch_all(db)
    .await
    .unwrap();
    for (case_id, sealed, narrative) in &rows {
        let key = CaseKey::open(&keys, *case_id, sealed).unwrap_or_else(|e| panic!("case {case_id}: {e}"));
        let text = key.open_text("narrative", narrative).unwrap_or_else(|e| panic!("narrative of {case_id}: {e}"));
        assert!(!text.is_empty());
    }
    rows.len()
}

/// Signs `member` in again (a fresh TOTP code opens the sealed secret) for a new session.
async fn again(app: &TestApp, member: &Member) -> Member {
    let user = member.user.clone();
    let token = app.token(&user).await;
    Member { user, token }
}

/// Reads every sealed field kind through the application; returns all it read.
async fn read_everything(app: &TestApp, sealed: &Sealed) -> String {
    let w = &sealed.world;
    let handler = again(app, &w.handler).await;
    let finance = again(app, &w.finance[0]).await;
    let supervisor = again(app, &w.supervisors[0]).await;
    let case = app.get_api(&format!("/api/v1/cases/{}", w.case_id), &handler.token).await;
    assert_eq!(case.status(), StatusCode::OK, "case view");
    let case = case.text().await.unwrap();
    grants::step_up(app, &finance).await;
    // Finance reads the payee, the handler the purpose.
    let grant = grants::grant_as(app, &finance, &sealed.grant).await.to_string()
        + &grants::grant_as(app, &handler, &sealed.grant).await.to_string();
    let referrals = app.get_api(&format!("/api/v1/cases/{}/referrals", w.case_id), &handler.token).await;
    assert_eq!(referrals.status(), StatusCode::OK, "referrals");
    let referrals = referrals.text().await.unwrap();
    let contact = app.partners.contact(sealed.partner).await.unwrap().unwrap_or_default();
    let trail = app.get_api("/api/v1/audit?action=audit.reviewed", &supervisor.token).await;
    assert_eq!(trail.status(), StatusCode::OK, "audit trail");
    let trail = trail.text().await.unwrap();
    let notices = format!("{:?}", app.notify.preferences(handler.user.id.parse().unwrap()).await.unwrap());
    let member = app.get_api(&format!("/api/v1/alumni/{}", sealed.member), &supervisor.token).await;
    assert_eq!(member.status(), StatusCode::OK, "alumni member");
    let member = member.text().await.unwrap();
    [case, grant, referrals, contact, trail, notices, member].join("\n")
}

/// Asserts every marker is in `read`.
fn assert_all_read(read: &str, when: &str) {
    for (kind, marker) in MARKERS {
        assert!(read.contains(marker), "{when}: the {kind} ({marker:?}) was not read back");
    }
}

/// A scratch folder for key files and backups.
fn scratch() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_path_buf();
    (dir, path)
}

/// Moves `app`'s manual clock to `other`'s time if it is behind (TOTP steps never repeat).
fn catch_up(app: &TestApp, other: chrono::DateTime<chrono::Utc>) {
    let behind = other - app.clock.now();
    if behind > chrono::Duration::zero() {
        app.clock.advance(behind + chrono::Duration::minutes(1));
    }
}
