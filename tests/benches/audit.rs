//! `shelter audit verify` over 1,000,000 entries beside its floor in the same run:
//! PostgreSQL streaming the table out (COPY) and SHA-256 over the bytes, measured in turns
//! with the verify. Budget: within 1.3×. Then the real `shelter audit verify` command's peak
//! resident memory (it must stay flat at any size). Also: append throughput with 8
//! concurrent writers.
#![allow(missing_docs)]
#![expect(clippy::unwrap_used, reason = "a benchmark fails loudly")]

mod common;

use std::time::Instant;

use futures_util::TryStreamExt;
use sha2::{Digest, Sha256};
use shelter_server::audit::chain::{GENESIS, Record, to_micros};
use shelter_server::audit::{self, Actor, NewEntry, verify};
use shelter_shared::audit::AuditAction;

const ENTRIES: i64 = 1_000_000;
const BATCH: i64 = 50_000;

/// Writes a valid chain straight into the table with COPY (the writer would take hours).
async fn seed(db: &sqlx::PgPool) {
    let start = to_micros(chrono::Utc::now());
    let mut prev = GENESIS;
    let mut seq = 0i64;
    while seq < ENTRIES {
        let mut text = String::with_capacity((BATCH * 300) as usize);
        for _ in 0..BATCH.min(ENTRIES - seq) {
            seq += 1;
            let record = Record {
                seq,
                occurred_at: start + chrono::Duration::milliseconds(seq),
                actor_kind: "staff".into(),
                actor_id: Some("6f1c2b7e-8a4d-4c1e-9b7a-2d3e4f5a6b7c".into()),
                action: "auth.sign_in".into(),
                subject_kind: Some("staff_user".into()),
                subject_id: Some("6f1c2b7e-8a4d-4c1e-9b7a-2d3e4f5a6b7c".into()),
                rationale: None,
                rationale_sealed: None,
                rationale_case: None,
                details: serde_json::json!({"session_kind": "browser", "second_factor": "totp", "n": seq}),
                prev_hash: prev.into(),
            };
            let hash = record.hash();
            text.push_str(&format!(
                "{}\t{}\t{}\t{}\t{}\t{}\t{}\t\\N\t{}\t\\\\x{}\t\\\\x{}\n",
                record.seq,
                record.occurred_at.to_rfc3339(),
                record.actor_kind,
                record.actor_id.as_deref().unwrap_or_default(),
                record.action,
                record.subject_kind.as_deref().unwrap_or_default(),
                record.subject_id.as_deref().unwrap_or_default(),
                record.details,
                hex(&prev),
                hex(&hash),
            ));
            prev = hash;
        }
        let mut conn = db.acquire().await.unwrap();
        let mut copy = conn
            .copy_in_raw(
                "copy audit_log (seq, occurred_at, actor_kind, actor_id, action, subject_kind, subject_id, rationale,
                                 details, prev_hash, hash) from stdin",
            )
            .await
            .unwrap();
        copy.send(text.into_bytes()).await.unwrap();
        copy.finish().await.unwrap();
    }
}

/// Runs the `shelter audit verify` command on `url` and returns its wall time and its peak
/// resident memory (VmHWM, polled until it exits) in MiB.
async fn verify_command(url: &str) -> (f64, f64) {
    let started = Instant::now();
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_shelter-under-test"))
        .args(["audit", "verify"])
        .env("DATABASE_URL", url)
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id().unwrap();
    let mut peak = 0.0f64;
    loop {
        peak = peak.max(common::hwm_of(pid));
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "shelter audit verify failed");
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    (started.elapsed().as_secs_f64(), peak)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The floor: stream the table out in order and hash every byte.
async fn floor(db: &sqlx::PgPool) -> (std::time::Duration, usize) {
    let mut conn = db.acquire().await.unwrap();
    let started = Instant::now();
    let mut stream = conn.copy_out_raw("copy (select * from audit_log order by seq) to stdout").await.unwrap();
    let mut hasher = Sha256::new();
    let mut bytes = 0;
    while let Some(chunk) = stream.try_next().await.unwrap() {
        bytes += chunk.len();
        hasher.update(&chunk);
    }
    let _ = hasher.finalize();
    (started.elapsed(), bytes)
}

#[tokio::main]
async fn main() {
    let bench = common::start("audit").await;
    let seeding = Instant::now();
    seed(&bench.db).await;
    sqlx::query("analyze audit_log").execute(&bench.db).await.ok();
    println!("audit benchmark: seeded {ENTRIES} entries in {:.1} s", seeding.elapsed().as_secs_f64());

    // Warm the cache once, then measure in turns, three times, and keep the best of each.
    floor(&bench.db).await;
    let (mut floors, mut verifies) = (vec![], vec![]);
    let mut size = 0;
    for _ in 0..3 {
        let (elapsed, bytes) = floor(&bench.db).await;
        floors.push(elapsed.as_secs_f64());
        size = bytes;
        let started = Instant::now();
        let report = verify::verify(&bench.db, None).await.unwrap();
        verifies.push(started.elapsed().as_secs_f64());
        assert_eq!(report.fault, None);
        assert_eq!(report.entries, ENTRIES as u64);
    }
    let spread = |v: &[f64]| v.iter().map(|x| format!("{x:.3}")).collect::<Vec<_>>().join(" / ");
    let best = |v: &[f64]| v.iter().copied().fold(f64::MAX, f64::min);
    println!(
        "  floor: COPY out + SHA-256 ({:.0} MB)        {:7.3} s   (runs {})",
        size as f64 / 1e6,
        best(&floors),
        spread(&floors)
    );
    println!(
        "  audit verify (in process)                 {:7.3} s   (runs {})   ratio {:.2} (budget 1.30)",
        best(&verifies),
        spread(&verifies),
        best(&verifies) / best(&floors)
    );
    let (elapsed, peak) = verify_command(&bench.database_url).await;
    println!("  `shelter audit verify` (the command)      {elapsed:7.3} s   peak resident memory {peak:.1} MiB");

    // Appends: 8 writers, each entry in its own transaction, as services do.
    let per_writer = 500;
    let started = Instant::now();
    let tasks: Vec<_> = (0..8)
        .map(|w| {
            let db = bench.db.clone();
            tokio::spawn(async move {
                for i in 0..per_writer {
                    let entry = NewEntry::new(Actor::System, AuditAction::UserUnlocked)
                        .details(serde_json::json!({"writer": w, "i": i}));
                    audit::record_alone(&db, entry, chrono::Utc::now()).await.unwrap();
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "  appends, 8 concurrent writers            {:7.0} entries/s ({} in {elapsed:.2} s)",
        f64::from(8 * per_writer) / elapsed,
        8 * per_writer
    );
}
