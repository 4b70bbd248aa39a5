//! Name search in the alumni registry over 10,000 members at 20 concurrent requests, beside
//! its floor measured in the same run: the same blind-index lookup straight against
//! PostgreSQL (the same keyed tokens and SQL, no HTTP, no session, no decryption, no JSON).
//! Also times the import of the 10,000 members from CSV.
#![allow(missing_docs)]
#![expect(clippy::unwrap_used, reason = "a benchmark fails loudly")]

mod common;

use std::sync::Arc;
use std::time::Instant;

use shelter_server::alumni::{Alumni, index};
use shelter_server::clock::SystemClock;
use shelter_shared::staff::Role;

const MEMBERS: usize = 10_000;
const CONCURRENCY: usize = 20;
const PER_WORKER: usize = 25;

/// Syllables per country, in its script; names are three of them (Vietnamese: spaced).
const SCRIPTS: [(&str, &[&str], &str); 6] = [
    ("TH", &["สม", "ชาย", "ใจ", "ดี", "ศรี", "สุข", "อรุณ", "นภา", "วัน", "ทอง"], ""),
    ("MM", &["အောင်", "ကျော်", "မင်း", "သူ", "ဇော်", "ထွန်း", "နိုင်", "ဝင်း", "မြင့်", "လှ"], ""),
    ("KH", &["សុខ", "សុភា", "ចាន់", "ដារា", "វិចិត្រ", "ស្រី", "ពៅ", "រិទ្ធ", "សំ", "ណារី"], ""),
    ("LA", &["ສົມ", "ພອນ", "ແກ້ວ", "ມະນີ", "ບຸນ", "ມີ", "ສີ", "ທອງ", "ຄຳ", "ດາ"], ""),
    ("CN", &["王", "李", "张", "小", "明", "华", "美", "林", "伟", "芳"], ""),
    ("VN", &["Nguyễn", "Trần", "Lê", "Văn", "Thị", "Đức", "Hương", "Minh", "Anh", "Phúc"], " "),
];
const LATIN: &[&str] = &["an", "ba", "chan", "da", "hoa", "kim", "lan", "ngoc", "phea", "sok", "thu", "yun"];

/// Member `i`'s names: one in their script, one in Latin letters.
fn names(i: usize) -> (String, String, &'static str) {
    let (country, syllables, joiner) = SCRIPTS[i % SCRIPTS.len()];
    let pick = |n: usize| syllables[(i / SCRIPTS.len() / n) % syllables.len()];
    let native = [pick(1), pick(10), pick(100)].join(joiner);
    let latin = format!("{} {}{}", LATIN[i % LATIN.len()], LATIN[(i / 7) % LATIN.len()], i);
    (native, latin, country)
}

fn csv() -> Vec<u8> {
    let mut out = String::from("external_id,names,country,cohort_year,status,status_date\n");
    for i in 0..MEMBERS {
        let (native, latin, country) = names(i);
        out.push_str(&format!("B-{i},{native}|{latin},{country},{},active,2026-01-01\n", 1999 + i % 27));
    }
    out.into_bytes()
}

#[tokio::main]
async fn main() {
    let server = common::spawn_server("alumni").await;
    let client = reqwest::Client::new();
    let mut tokens = vec![];
    for i in 0..4 {
        tokens.push(common::staff_token(&server, &client, i, Role::Handler).await);
    }
    let keys = server.identity.keys.clone();
    let alumni =
        Alumni { db: server.db.clone(), keys: keys.clone(), clock: Arc::new(SystemClock), reads: Default::default() };
    let started = Instant::now();
    let report = alumni.import(&csv(), false, shelter_server::audit::Actor::System).await.unwrap();
    assert_eq!(report.rejected(), 0, "{:?}", report.lines().first());
    println!(
        "alumni benchmark: {MEMBERS} members imported from CSV in {:.1} s; {CONCURRENCY} concurrent clients",
        started.elapsed().as_secs_f64()
    );
    sqlx::query("analyze").execute(&server.db).await.ok();
    // Queries: a member's whole name in their script, or a part of it, in every script.
    let queries: Vec<String> = (0..60)
        .map(|k| {
            let (native, _, _) = names(k * 163 % MEMBERS);
            if k % 2 == 0 { native } else { native.chars().skip(native.chars().count() / 3).collect() }
        })
        .collect();
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(CONCURRENCY as u32)
        .connect_with(server.owner.clone())
        .await
        .unwrap();
    let hashes: Arc<Vec<Vec<Vec<u8>>>> = Arc::new(queries.iter().map(|q| index::query_hashes(&keys, q)).collect());
    let mut found = 0usize;
    for h in hashes.iter() {
        found += floor_query(&pool, h).await;
    }
    println!("  {} queries find {:.1} members each on average", queries.len(), found as f64 / queries.len() as f64);
    let samples = common::concurrently(CONCURRENCY, PER_WORKER, move |task| {
        let (pool, hashes) = (pool.clone(), hashes.clone());
        async move {
            floor_query(&pool, &hashes[task % hashes.len()]).await;
        }
    })
    .await;
    let (_, floor) = common::report("the same index lookup straight from PostgreSQL", samples);
    let urls: Vec<String> = queries
        .iter()
        .map(|q| {
            reqwest::Url::parse_with_params(&format!("{}/api/v1/alumni", server.address), [("name", q)])
                .unwrap()
                .to_string()
        })
        .collect();
    let (_, p99) = common::load("GET /api/v1/alumni?name=…", &urls, &tokens, &client, CONCURRENCY, PER_WORKER).await;
    println!(
        "    search p99 / (1.5 × floor p99 + 5 ms) = {:.2} (the queue's budget, for comparison)",
        p99.as_secs_f64() / (1.5 * floor.as_secs_f64() + 0.005)
    );
    println!("  server resident memory                        {:.1} MiB", common::rss_of(server.pid));
}

/// The search's own SQL with its keyed tokens: rows found.
async fn floor_query(pool: &sqlx::PgPool, hashes: &[Vec<u8>]) -> usize {
    let rows: Vec<(uuid::Uuid, Vec<u8>, Vec<u8>)> = sqlx::query_as(
        "select member_id, sealed_key, profile_sealed from alumni_member
         where member_id in (select member_id from alumni_name_token where token = any($1)
                             group by member_id having count(*) = cardinality($1))
         order by cohort_year, member_id limit 100",
    )
    .bind(hashes)
    .fetch_all(pool)
    .await
    .unwrap();
    rows.len()
}
