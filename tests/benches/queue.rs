//! The triage queue and the case page with 100,000 cases and 50 concurrent staff, beside
//! the same queries run directly in PostgreSQL in the same run. Budgets: the queue's p99
//! within 2× the raw query plus 5 ms; the case page's within 1.5× its raw reads plus 5 ms
//! (the lower of two floors: the page's one query, and the eight separate reads it once made,
//! run at once over the pool).
#![allow(missing_docs)]
#![expect(clippy::unwrap_used, reason = "a benchmark fails loudly")]

mod common;

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use shelter_shared::staff::Role;
use sqlx::{ConnectOptions, Connection};

const CASES: i64 = 100_000;
const CONCURRENCY: usize = 50;
const PER_WORKER: usize = 20;

const QUEUE_SQL: &str =
    "select c.case_id, c.reference, c.status, c.kind, c.country, c.language, c.severity, c.severity_hint,
        c.assignee, u.display_name as assignee_name, c.created_at, c.next_due_at
 from cases c left join staff_user u on u.staff_user_id = c.assignee
 where not exists (select 1 from case_conflict x where x.case_id = c.case_id and x.staff_user_id = $1)
   and c.status in ('new', 'acknowledged', 'active') and $2::text[] is not null
 order by c.next_due_at asc nulls last, c.case_id limit 50 offset 0";

async fn seed(owner: &sqlx::postgres::PgConnectOptions) {
    let mut conn = owner.connect().await.unwrap();
    sqlx::raw_sql(&format!(
        "insert into cases (case_id, reference, passphrase_hash, status, kind, severity_hint, country, language, needs,
                            contact_allowed, sealed_key, created_at, updated_at, acknowledge_due_at, decide_due_at,
                            next_due_at)
         select gen_random_uuid(),
                'SH-' || upper(substr(lpad(to_hex(i), 8, '0'), 1, 4)) || '-' || upper(substr(lpad(to_hex(i), 8, '0'), 5, 4)),
                '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA',
                (array['new','acknowledged','active','active','active','on_hold','closed','closed'])[1 + i % 8],
                (array['arrest_detention','criminal_charges','threat_attack','digital_attack','relocation','medical'])[1 + i % 6],
                (array['critical','high','medium','low'])[1 + i % 4],
                (array['KH','CN','LA','MM','TH','VN'])[1 + i % 6],
                (array['en','my','th','km','lo','vi','zh-Hans'])[1 + i % 7],
                array['legal'], true, '\\x00', now() - (i || ' minutes')::interval, now(),
                now() + ((i % 97) || ' hours')::interval, now() + ((i % 500) || ' hours')::interval,
                now() + ((i % 1000) - 200 || ' hours')::interval
         from generate_series(1, {CASES}) as i;
         analyze cases;"
    ))
    .execute(&mut conn)
    .await
    .unwrap();
    conn.close().await.unwrap();
}

/// The eight reads the case page made before they became one query, run directly and at once.
const CASE_READS: [&str; 8] = [
    "select * from cases where case_id = $1",
    "select exists (select 1 from case_conflict where case_id = $1)",
    "select field, ciphertext from case_field where case_id = $1",
    "select m.message_id, m.ciphertext from case_message m left join staff_user u on u.staff_user_id = m.author_staff_id where m.case_id = $1 order by m.created_at",
    "select n.note_id, n.ciphertext from case_note n join staff_user u on u.staff_user_id = n.author where n.case_id = $1",
    "select t.task_id, t.title from case_task t left join staff_user u on u.staff_user_id = t.done_by where t.case_id = $1 order by t.position",
    "select attachment_id, name_sealed from case_attachment where case_id = $1",
    "select sealed_key from cases where case_id = $1",
];

/// The queue query straight against PostgreSQL, as a supervisor with no conflicts runs it.
async fn raw_queue(pool: &sqlx::PgPool) -> Duration {
    let pool = pool.clone();
    let statuses = vec!["new".to_owned(), "acknowledged".to_owned(), "active".to_owned()];
    let me = uuid::Uuid::new_v4();
    let samples = common::concurrently(CONCURRENCY, PER_WORKER, move |_| {
        let (pool, statuses) = (pool.clone(), statuses.clone());
        async move {
            sqlx::query(QUEUE_SQL).bind(me).bind(statuses).fetch_all(&pool).await.unwrap();
        }
    })
    .await;
    common::report("raw queue query in PostgreSQL", samples).1
}

/// The case page's one query (the server's own function), straight against PostgreSQL.
async fn raw_case_read(pool: &sqlx::PgPool, case_id: uuid::Uuid) -> Duration {
    let pool = pool.clone();
    let reader = uuid::Uuid::new_v4();
    let samples = common::concurrently(CONCURRENCY, PER_WORKER, move |_| {
        let pool = pool.clone();
        async move {
            let mut conn = pool.acquire().await.unwrap();
            shelter_server::cases::view_read::read(&mut conn, case_id, reader).await.unwrap().unwrap();
        }
    })
    .await;
    common::report("raw case-page query in PostgreSQL", samples).1
}

#[tokio::main]
async fn main() {
    let server = common::spawn_server("queue").await;
    let client = reqwest::Client::new();
    let seeding = Instant::now();
    seed(&server.owner).await;
    println!(
        "queue benchmark: {CASES} cases seeded in {:.1} s; {CONCURRENCY} concurrent clients",
        seeding.elapsed().as_secs_f64()
    );
    let mut tokens = vec![];
    for i in 0..5 {
        tokens.push(common::staff_token(&server, &client, i, Role::Supervisor).await);
    }
    // A real case, filed and triaged through the API, for the case page.
    let filed: Value = client
        .post(format!("{}/api/v1/intake", server.address))
        .json(
            &json!({"narrative": "They took my brother last night. ".repeat(20), "country": "MM", "contact": "signal"}),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let case_id: uuid::Uuid = sqlx::query_scalar("select case_id from cases where reference = $1")
        .bind(filed["reference"].as_str().unwrap())
        .fetch_one(&server.db)
        .await
        .unwrap();
    let triage = json!({"severity": "critical", "kind": "arrest_detention", "rationale": "detained"});
    client
        .post(format!("{}/api/v1/cases/{case_id}/triage", server.address))
        .bearer_auth(&tokens[0])
        .json(&triage)
        .send()
        .await
        .unwrap();

    // What every authenticated request costs before its own work: session lookup, policy, HTTP.
    let load = |label: &'static str, url: String| {
        let (tokens, client) = (tokens.clone(), client.clone());
        async move { common::load(label, &[url], &tokens, &client, CONCURRENCY, PER_WORKER).await }
    };
    load("GET /api/v1/auth/me (authentication alone)", format!("{}/api/v1/auth/me", server.address)).await;
    let raw_queue = raw_queue(&server.db).await;
    let (_, queue_p99) =
        load("GET /api/v1/cases (queue, 50 per page)", format!("{}/api/v1/cases", server.address)).await;
    println!(
        "    queue p99 / (2 × raw p99 + 5 ms) = {:.2} (budget ≤ 1.00)",
        queue_p99.as_secs_f64() / (2.0 * raw_queue.as_secs_f64() + 0.005)
    );
    let raw_case = common::raw_reads(
        "raw case-page reads in PostgreSQL",
        &server.db,
        &CASE_READS,
        Some(case_id),
        CONCURRENCY,
        PER_WORKER,
    )
    .await;
    let raw_read = raw_case_read(&server.db, case_id).await;
    let (_, case_p99) =
        load("GET /api/v1/cases/{id} (decrypt + audit)", format!("{}/api/v1/cases/{case_id}", server.address)).await;
    let floor = raw_case.min(raw_read);
    println!(
        "    case p99 / (1.5 × lower raw p99 + 5 ms) = {:.2} (budget ≤ 1.00; 2× gives {:.2})",
        case_p99.as_secs_f64() / (1.5 * floor.as_secs_f64() + 0.005),
        case_p99.as_secs_f64() / (2.0 * floor.as_secs_f64() + 0.005)
    );
    println!("  server resident memory                        {:.1} MiB (budget 100)", common::rss_of(server.pid));
}
