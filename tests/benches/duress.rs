//! Sign-in with the requester's own passphrase beside sign-in with the second (duress) one,
//! over HTTP against the real binary, interleaved so that noise hits both alike; with one
//! argon2id verification in the same run as the floor. Prints each distribution's quantiles
//! and whether they overlap: the two paths run the same two verifications, so they should.
#![allow(missing_docs)]
#![expect(clippy::unwrap_used, reason = "a benchmark fails loudly")]

mod common;

use std::time::{Duration, Instant};

use secrecy::SecretString;
use serde_json::{Value, json};
use shelter_server::identity::password::PasswordHasher;

const ROUNDS: usize = 60;
const SECOND: &str = "blue river song at dusk";

async fn sign_in(client: &reqwest::Client, address: &str, reference: &str, passphrase: &str) -> (Duration, usize) {
    let started = Instant::now();
    let response = client
        .post(format!("{address}/api/v1/requester/token"))
        .json(&json!({"reference": reference, "passphrase": passphrase}))
        .send()
        .await
        .unwrap();
    let status = response.status();
    let body = response.bytes().await.unwrap();
    let elapsed = started.elapsed();
    assert_eq!(status, 200, "sign-in");
    (elapsed, body.len())
}

fn print(name: &str, samples: &mut [Duration]) -> (Duration, Duration) {
    let (p10, p50, p90) =
        (common::quantile(samples, 0.1), common::quantile(samples, 0.5), common::quantile(samples, 0.9));
    println!(
        "{name:>22}: p10 {:7.1} ms  p50 {:7.1} ms  p90 {:7.1} ms",
        common::ms(p10),
        common::ms(p50),
        common::ms(p90)
    );
    (p10, p90)
}

#[tokio::main]
async fn main() {
    let server = common::spawn_server("duress").await;
    let client = reqwest::Client::new();
    let filed: Value = client
        .post(format!("{}/api/v1/intake", server.address))
        .json(&json!({"narrative": "bench", "country": "MM", "duress_passphrase": SECOND}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let (reference, own) = (filed["reference"].as_str().unwrap(), filed["passphrase"].as_str().unwrap());

    let hasher = PasswordHasher::new(&[7u8; 32]).unwrap();
    let stored = hasher.hash(&SecretString::from("x".to_owned())).await.unwrap();
    let mut floor = vec![];
    for _ in 0..ROUNDS {
        let started = Instant::now();
        hasher.verify(&SecretString::from("y".to_owned()), Some(&stored)).await.unwrap();
        floor.push(started.elapsed());
    }
    let (mut mine, mut second, mut sizes) = (vec![], vec![], std::collections::BTreeSet::new());
    for _ in 0..ROUNDS {
        let (t, size) = sign_in(&client, &server.address, reference, own).await;
        mine.push(t);
        sizes.insert(size);
        let (t, size) = sign_in(&client, &server.address, reference, SECOND).await;
        second.push(t);
        sizes.insert(size);
    }
    print("one argon2 verify", &mut floor);
    let (own_low, own_high) = print("own passphrase", &mut mine);
    let (second_low, second_high) = print("second passphrase", &mut second);
    let overlap = own_low <= second_high && second_low <= own_high;
    println!("p10..p90 ranges overlap: {overlap}; response body sizes seen: {sizes:?}");
}
