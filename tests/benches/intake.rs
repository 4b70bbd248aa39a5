//! Intake throughput with encryption and audit, beside its ceiling in the same run: one
//! argon2id hash of the passphrase per submission (on as many threads as cores), and a plain
//! INSERT of the same size. The ceiling and the intake are measured in turns (four each).
//! Budget: at least 90% of the argon2 ceiling.
#![allow(missing_docs)]
#![expect(clippy::unwrap_used, reason = "a benchmark fails loudly")]

mod common;

use std::sync::Arc;
use std::time::Instant;

use secrecy::SecretString;
use serde_json::json;
use shelter_server::identity::password::PasswordHasher;

const SUBMISSIONS: usize = 400;
const CONCURRENCY: usize = 16;
/// Turns of ceiling and intake.
const ROUNDS: usize = 4;

fn narrative(i: usize) -> String {
    format!("ကျွန်ုပ်၏ အစ်ကိုကို ရဲက ညက ဖမ်းသွားသည်။ သူ ဘယ်မှာ ရှိသည်ကို မသိပါ။ {i} ",).repeat(6)
}

#[tokio::main]
async fn main() {
    let server = common::spawn_server("intake").await;
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);

    // Ceiling 1: argon2id hashes per second on all cores (the same hasher the server uses),
    // measured in turns with the intake itself: the machine is shared and its load drifts.
    let hasher = PasswordHasher::new(&[7u8; 32]).unwrap();
    let ceiling = |round: usize| {
        let hasher = hasher.clone();
        async move {
            let started = Instant::now();
            let jobs: Vec<_> = (0..SUBMISSIONS / ROUNDS)
                .map(|i| {
                    let hasher = hasher.clone();
                    tokio::spawn(async move {
                        hasher
                            .hash(&SecretString::from(format!("six words of a passphrase {round} {i}")))
                            .await
                            .unwrap()
                    })
                })
                .collect();
            for job in jobs {
                job.await.unwrap();
            }
            started.elapsed().as_secs_f64()
        }
    };

    // Ceiling 2: plain INSERTs of rows the size of a submission.
    {
        use sqlx::{ConnectOptions, Connection};
        let mut owner = server.owner.connect().await.unwrap();
        sqlx::raw_sql(
            "create table bench_plain (id bigserial primary key, body text not null);
             grant select, insert on bench_plain to shelter_app; grant usage on bench_plain_id_seq to shelter_app",
        )
        .execute(&mut owner)
        .await
        .unwrap();
        owner.close().await.unwrap();
    }
    let started = Instant::now();
    let db = Arc::new(server.db.clone());
    let jobs: Vec<_> = (0..CONCURRENCY)
        .map(|w| {
            let db = db.clone();
            tokio::spawn(async move {
                for i in (w..SUBMISSIONS).step_by(CONCURRENCY) {
                    sqlx::query("insert into bench_plain (body) values ($1)")
                        .bind(narrative(i))
                        .execute(db.as_ref())
                        .await
                        .unwrap();
                }
            })
        })
        .collect();
    for job in jobs {
        job.await.unwrap();
    }
    let insert_rate = SUBMISSIONS as f64 / started.elapsed().as_secs_f64();

    // The real thing: POST /api/v1/intake to the server process, in turns with the ceiling.
    let client = reqwest::Client::new();
    let intake = |round: usize| {
        let (client, address) = (client.clone(), server.address.clone());
        async move {
            let started = Instant::now();
            let jobs: Vec<_> = (0..CONCURRENCY)
                .map(|w| {
                    let (client, address) = (client.clone(), address.clone());
                    tokio::spawn(async move {
                        for i in (w..SUBMISSIONS / ROUNDS).step_by(CONCURRENCY) {
                            let body = json!({"narrative": narrative(round * SUBMISSIONS + i), "country": "MM", "language": "my",
                                              "urgency": "immediate", "needs": ["legal", "money"],
                                              "contact": "signal +95 9 000 1111", "place": "Yangon"});
                            let status =
                                client.post(format!("{address}/api/v1/intake")).json(&body).send().await.unwrap().status();
                            assert_eq!(status, 201);
                        }
                    })
                })
                .collect();
            for job in jobs {
                job.await.unwrap();
            }
            started.elapsed().as_secs_f64()
        }
    };
    let (mut argon2_secs, mut intake_secs) = (vec![], vec![]);
    for round in 0..ROUNDS {
        argon2_secs.push(ceiling(round).await);
        intake_secs.push(intake(round).await);
    }
    let per_round = (SUBMISSIONS / ROUNDS) as f64;
    let rates = |secs: &[f64]| secs.iter().map(|s| format!("{:.1}", per_round / s)).collect::<Vec<_>>().join(" / ");
    let argon2_rate = SUBMISSIONS as f64 / argon2_secs.iter().sum::<f64>();
    let intake_rate = SUBMISSIONS as f64 / intake_secs.iter().sum::<f64>();
    let cases: i64 = sqlx::query_scalar("select count(*) from cases").fetch_one(&server.db).await.unwrap();
    assert_eq!(cases, SUBMISSIONS as i64);

    println!("intake benchmark ({cores} cores, {SUBMISSIONS} submissions, {CONCURRENCY} concurrent clients)");
    println!(
        "  ceiling: argon2id hashes on {cores} threads          {argon2_rate:8.1} /s   (turns {})",
        rates(&argon2_secs)
    );
    println!("  floor:   plain INSERT of the same size                {insert_rate:8.1} /s");
    println!(
        "  POST /api/v1/intake (hash + seal + insert + audit)    {intake_rate:8.1} /s   (turns {})   {:.0}% of the argon2 ceiling (budget 90%)",
        rates(&intake_secs),
        100.0 * intake_rate / argon2_rate
    );
    println!("  server resident memory                                {:8.1} MiB", common::rss_of(server.pid));
}
