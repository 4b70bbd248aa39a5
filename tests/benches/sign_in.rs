//! Sign-in latency beside its floor, one argon2id hash, measured in the same run; and
//! memory while 50 sign-ins run at once. Budget (DESIGN.md): p50 within 1.2× one hash.
#![allow(missing_docs)]
#![expect(clippy::unwrap_used, reason = "a benchmark fails loudly")]

mod common;

use std::time::{Duration, Instant};

use secrecy::SecretString;
use serde_json::{Value, json};
use shelter_server::identity::totp;
use shelter_shared::staff::{Email, Role};

const PASSWORD: &str = "correct lantern orbit mango tidal";
const USERS: usize = 50;

struct User {
    email: String,
    secret: Vec<u8>,
}

fn secret_of(uri: &str) -> Vec<u8> {
    totp_rs::TOTP::from_url(uri).unwrap().secret
}

async fn enrol(bench: &common::Server, client: &reqwest::Client, i: usize) -> User {
    let email = format!("bench{i}@example.org");
    let account = bench
        .identity
        .add_user(
            &shelter_server::identity::admin::Admin::Operator,
            &Email::parse(&email).unwrap(),
            "Bench",
            &[Role::Handler],
        )
        .await
        .unwrap();
    let body: Value = client
        .post(format!("{}/api/v1/auth/enrol", bench.address))
        .json(&json!({"code": account.enrolment_code, "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let secret = secret_of(body["otpauth_uri"].as_str().unwrap());
    let now = chrono::Utc::now().timestamp() as u64;
    let code = totp::code_at(&secret, now).unwrap();
    let status = client
        .post(format!("{}/api/v1/auth/enrol/confirm", bench.address))
        .json(&json!({"code": account.enrolment_code, "totp": code}))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, 200);
    User { email, secret }
}

async fn sign_in(bench: &common::Server, client: &reqwest::Client, user: &User, step_offset: u64) -> Duration {
    // Each sign-in of one account needs a code of a step not used before: use the next step (drift allows one).
    let now = chrono::Utc::now().timestamp() as u64;
    let code = totp::code_at(&user.secret, now + 30 * step_offset).unwrap();
    let started = Instant::now();
    let status = client
        .post(format!("{}/api/v1/auth/token", bench.address))
        .json(&json!({"email": user.email, "password": PASSWORD, "totp": code}))
        .send()
        .await
        .unwrap()
        .status();
    let elapsed = started.elapsed();
    assert_eq!(status, 200, "sign-in");
    elapsed
}

#[tokio::main]
async fn main() {
    let bench = common::spawn_server("sign_in").await;
    let client = reqwest::Client::new();

    // Separate accounts for the two phases: a TOTP step is accepted once per account.
    let mut users = vec![];
    let mut others = vec![];
    for i in 0..USERS {
        users.push(enrol(&bench, &client, i).await);
        others.push(enrol(&bench, &client, USERS + i).await);
    }
    let rss_before = common::rss_of(bench.pid);

    // Sequential sign-ins, latency without queueing, each beside its floor: one argon2id
    // hash through the same kind of bounded hasher, in this process, taken just before it,
    // so that both see the same machine (its speed drifts by a third within minutes).
    let password = SecretString::from(PASSWORD.to_owned());
    let (mut hashes, mut sequential) = (vec![], vec![]);
    for user in &users {
        let started = Instant::now();
        bench.identity.passwords.hash(&password).await.unwrap();
        hashes.push(started.elapsed());
        sequential.push(sign_in(&bench, &client, user, 1).await);
    }
    let hash_p50 = common::quantile(&mut hashes, 0.5);
    let (seq_p50, seq_p99) = (common::quantile(&mut sequential, 0.5), common::quantile(&mut sequential, 0.99));

    // 50 at once: hashing is bounded by the semaphore, so they queue rather than balloon.
    let started = Instant::now();
    let mut peak_rss = rss_before;
    let tasks: Vec<_> = others
        .iter()
        .map(|user| {
            let (client, address, email, secret) =
                (client.clone(), bench.address.clone(), user.email.clone(), user.secret.clone());
            tokio::spawn(async move {
                let now = chrono::Utc::now().timestamp() as u64;
                let code = totp::code_at(&secret, now + 30).unwrap();
                let t = Instant::now();
                let response = client
                    .post(format!("{address}/api/v1/auth/token"))
                    .json(&json!({"email": email, "password": PASSWORD, "totp": code}))
                    .send()
                    .await
                    .unwrap();
                (t.elapsed(), response.status().as_u16())
            })
        })
        .collect();
    let pid = bench.pid;
    let sampler = tokio::spawn(async move {
        let mut peak = 0.0f64;
        for _ in 0..200 {
            peak = peak.max(common::rss_of(pid));
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        peak
    });
    let mut concurrent = vec![];
    let mut failures = 0;
    for task in tasks {
        let (elapsed, status) = task.await.unwrap();
        if status != 200 {
            failures += 1;
        }
        concurrent.push(elapsed);
    }
    let wall = started.elapsed();
    peak_rss = peak_rss.max(sampler.await.unwrap());
    let (con_p50, con_p99) = (common::quantile(&mut concurrent, 0.5), common::quantile(&mut concurrent, 0.99));

    println!("sign-in benchmark ({} cores)", std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0));
    println!("  floor: one argon2id hash (m=19 MiB, t=2, p=1)   p50 {:7.2} ms", common::ms(hash_p50));
    println!(
        "  sign-in, one at a time ({USERS})                  p50 {:7.2} ms  p99 {:7.2} ms  p50/floor {:.2} (budget 1.20)",
        common::ms(seq_p50),
        common::ms(seq_p99),
        seq_p50.as_secs_f64() / hash_p50.as_secs_f64()
    );
    println!(
        "  sign-in, {USERS} at once                           p50 {:7.2} ms  p99 {:7.2} ms  wall {:7.2} ms  failures {failures}",
        common::ms(con_p50),
        common::ms(con_p99),
        common::ms(wall)
    );
    println!(
        "  server resident memory (its own process)        before {rss_before:.1} MiB  peak {peak_rss:.1} MiB (budget 100)"
    );
    let sessions: i64 = sqlx::query_scalar("select count(*) from staff_session").fetch_one(&bench.db).await.unwrap();
    println!("  sessions created                                {sessions}");
}
