//! Notices: what the outbox write adds to an intake (budget ≤ 5 %), beside the same intake
//! without it, in alternating rounds; and the worker draining 1,000 notices to a local SMTP
//! server (aiosmtpd) beside a plain `lettre` client sending as many messages at the same
//! concurrency to the same server (budget ≥ 0.8×).
#![allow(missing_docs)]
#![expect(clippy::unwrap_used, clippy::expect_used, reason = "a benchmark fails loudly")]

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use futures_util::future::join_all;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde_json::json;
use shelter_server::clock::SystemClock;
use shelter_server::notify::content::NoticeKind;
use shelter_server::notify::{Audience, NewNotice, Notify, NotifySettings, enqueue};

const ROUNDS: usize = 12;
const PER_ROUND: usize = 40;
const CONCURRENCY: usize = 8;
const NOTICES: usize = 1000;
const SMTP_CONCURRENCY: usize = 64;

async fn file_round(client: &reqwest::Client, address: &str, urgency: &str) -> Duration {
    let started = Instant::now();
    for chunk in (0..PER_ROUND).collect::<Vec<_>>().chunks(CONCURRENCY) {
        let posts = chunk.iter().map(|i| {
            let body = json!({"narrative": format!("they came at night {i}"), "country": "MM", "urgency": urgency});
            client.post(format!("{address}/api/v1/intake")).json(&body).send()
        });
        for response in join_all(posts).await {
            assert_eq!(response.unwrap().status(), 201);
        }
    }
    started.elapsed()
}

/// Starts the tests' aiosmtpd sink; returns the child, its URL and a count of accepted messages.
fn smtp_sink() -> (std::process::Child, String, Arc<AtomicUsize>) {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("integration/notify/smtp_sink.py");
    let mut child = Command::new("python3")
        .args([script.to_str().unwrap(), &port.to_string(), "0"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 with aiosmtpd");
    let stdout = child.stdout.take().unwrap();
    let accepted = Arc::new(AtomicUsize::new(0));
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    let count = accepted.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if line.contains("\"ready\"") {
                let _ = ready_tx.send(());
            } else {
                count.fetch_add(1, Ordering::SeqCst);
            }
        }
    });
    ready_rx.recv_timeout(Duration::from_secs(30)).expect("the SMTP server did not start");
    (child, format!("smtp://127.0.0.1:{port}"), accepted)
}

#[tokio::main]
async fn main() {
    let bench = common::start("notify").await;
    let client = reqwest::Client::new();
    // One active supervisor: with nobody on call, urgent cases go to every supervisor.
    let email = shelter_shared::staff::Email::parse("supervisor@example.org").unwrap();
    let account = bench
        .identity
        .add_user(
            &shelter_server::identity::admin::Admin::Operator,
            &email,
            "Supervisor",
            &[shelter_shared::staff::Role::Supervisor],
        )
        .await
        .unwrap();
    sqlx::query("update staff_user set status = 'active' where staff_user_id = $1")
        .bind(account.user_id)
        .execute(&bench.db)
        .await
        .unwrap();

    // Part 1: the same intake with and without its outbox write, rounds alternating.
    file_round(&client, &bench.address, "weeks").await; // warm-up
    let (mut with, mut without) = (Duration::ZERO, Duration::ZERO);
    for round in 0..ROUNDS {
        let order = if round % 2 == 0 { ["immediate", "weeks"] } else { ["weeks", "immediate"] };
        for urgency in order {
            let took = file_round(&client, &bench.address, urgency).await;
            if urgency == "immediate" { with += took } else { without += took }
        }
    }
    let queued: i64 = sqlx::query_scalar("select count(*) from notice where kind = 'urgent_case_arrived'")
        .fetch_one(&bench.db)
        .await
        .unwrap();
    assert_eq!(queued as usize, ROUNDS * PER_ROUND, "every urgent intake queued its notice");
    let n = (ROUNDS * PER_ROUND) as f64;
    let (with_ms, without_ms) = (with.as_secs_f64() * 1000.0 / n, without.as_secs_f64() * 1000.0 / n);
    println!(
        "intake with outbox write:    {with_ms:.2} ms per request ({} requests, {CONCURRENCY} at a time)",
        ROUNDS * PER_ROUND
    );
    println!("intake without (floor):      {without_ms:.2} ms per request");
    println!("ratio: {:.3} (budget ≤ 1.05)", with_ms / without_ms);

    // Part 2: the worker against a plain client, same server, same concurrency.
    let (mut child, url, accepted) = smtp_sink();
    let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&url).unwrap().build();
    let started = Instant::now();
    for chunk in (0..NOTICES).collect::<Vec<_>>().chunks(SMTP_CONCURRENCY) {
        let sends = chunk.iter().map(|i| {
            let message = Message::builder()
                .from("notices@example.org".parse().unwrap())
                .to("supervisor@example.org".parse().unwrap())
                .subject("Shelter: something needs you")
                .message_id(Some(format!("<plain-{i}@shelter.notice>")))
                .body("Something in Shelter needs you.\n".to_owned())
                .unwrap();
            transport.send(message)
        });
        for sent in join_all(sends).await {
            sent.unwrap();
        }
    }
    let plain = started.elapsed();
    let settings = NotifySettings {
        smtp_url: Some(url.clone()),
        mail_from: Some("notices@example.org".into()),
        ..Default::default()
    };
    let notify = Notify::new(
        &settings,
        bench.db.clone(),
        Arc::new(SystemClock),
        bench.keys.clone(),
        "https://shelter.example.org",
    )
    .unwrap();
    notify.drain(100).await.unwrap(); // the intakes' own notices, untimed
    let mut tx = bench.db.begin().await.unwrap();
    for _ in 0..NOTICES {
        let notice = NewNotice::new(NoticeKind::GrantAwaitsApproval, Audience::Person(account.user_id));
        enqueue(&mut tx, notice, chrono::Utc::now()).await.unwrap();
    }
    tx.commit().await.unwrap();
    let before = accepted.load(Ordering::SeqCst);
    let started = Instant::now();
    let round = notify.drain(1000).await.unwrap();
    let worker = started.elapsed();
    assert_eq!(round.sent, NOTICES);
    while accepted.load(Ordering::SeqCst) < before + NOTICES {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let _ = child.kill();
    let (plain_rate, worker_rate) = (NOTICES as f64 / plain.as_secs_f64(), NOTICES as f64 / worker.as_secs_f64());
    println!("plain lettre client (floor): {plain_rate:.0} messages/s ({NOTICES}, {SMTP_CONCURRENCY} at a time)");
    println!("delivery worker:             {worker_rate:.0} messages/s (batches of 64, attempts recorded)");
    println!("ratio: {:.3} (budget ≥ 0.8)", worker_rate / plain_rate);
}
