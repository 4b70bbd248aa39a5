//! The insights dashboard over 100,000 cases and 10,000 grants at 20 concurrent requests,
//! beside its floor measured in the same run: the same figures computed directly against
//! PostgreSQL (the same aggregate SQL and suppression, no HTTP, no session, no JSON).
//! Budget: p99 within 2× the floor plus 5 ms.
#![allow(missing_docs)]
#![expect(clippy::unwrap_used, reason = "a benchmark fails loudly")]

mod common;

use std::time::Instant;

use shelter_server::insights::{Filters, dashboard};
use shelter_server::policy::InsightParts;
use shelter_shared::staff::Role;
use sqlx::{ConnectOptions, Connection};

const CASES: i64 = 100_000;
const GRANTS: i64 = 10_000;
const CONCURRENCY: usize = 20;
const PER_WORKER: usize = 3;

async fn seed(owner: &sqlx::postgres::PgConnectOptions, staff: uuid::Uuid) {
    let mut conn = owner.connect().await.unwrap();
    sqlx::raw_sql(&format!(
        "insert into cases (case_id, reference, passphrase_hash, status, kind, severity, country, language, needs,
                            contact_allowed, sealed_key, created_at, updated_at, acknowledge_due_at, decide_due_at,
                            disburse_due_at, acknowledged_at, triaged_at, next_due_at)
         select gen_random_uuid(), 'SH-' || upper(lpad(to_hex(i), 8, '0')), 'x',
                (array['new','acknowledged','active','active','active','on_hold','closed','closed'])[1 + i % 8],
                (array['arrest_detention','criminal_charges','threat_attack','digital_attack','relocation','medical'])[1 + i % 6],
                (array['critical','high','medium','low'])[1 + i % 4],
                (array['KH','CN','LA','MM','TH','VN'])[1 + i % 6], 'en', array['legal'], true, '\\x00',
                now() - (i || ' minutes')::interval, now(),
                now() - (i || ' minutes')::interval + interval '2 hours',
                now() - (i || ' minutes')::interval + interval '72 hours',
                now() - (i || ' minutes')::interval + interval '7 days',
                case when i % 8 > 0 then now() - (i || ' minutes')::interval + ((i % 180) || ' minutes')::interval end,
                case when i % 8 > 1 then now() - (i || ' minutes')::interval + ((i % 4000) || ' minutes')::interval end,
                now()
         from generate_series(1, {CASES}) as i;
         insert into fund (fund_id, name, currency, budget_minor, period_start, period_end, usd_rate, created_by, created_at)
         values ('00000000-0000-0000-0000-00000000f00d', 'Bench fund', 'USD', 100000000000, current_date - 400,
                 current_date + 400, '1', '{staff}', now());
         insert into grants (grant_id, case_id, fund_id, category, amount_minor, currency, fund_amount_minor, usd_minor,
                             tier, approvals_needed, status, payee_alias, payee_sealed, payee_editors, purpose_sealed,
                             vouchers_sealed, voucher_count, country, proposed_by, created_at, updated_at)
         select gen_random_uuid(), c.case_id, '00000000-0000-0000-0000-00000000f00d',
                (array['legal_fees','bail','relocation','medical','subsistence'])[1 + (row_number() over ()) % 5],
                10000 + (row_number() over ()) % 90000, 'USD', 10000, 10000, 'a', 1, 'approved', 'payee', '\\x00', '{{}}',
                '\\x00', '\\x00', 1, c.country, '{staff}', c.created_at + interval '1 day', now()
         from (select case_id, country, created_at from cases order by case_id limit {GRANTS}) c;
         -- The deadlines these cases passed were recorded as they passed (the steady state),
         -- so the server's breach job has no backlog to write while the dashboard is measured.
         insert into sla_breach (case_id, clock, due_at, detected_at)
         select case_id, 'acknowledge', acknowledge_due_at, now() from cases
          where acknowledged_at is null and status = 'new' and acknowledge_due_at < now()
         union all
         select case_id, 'decide', decide_due_at, now() from cases
          where triaged_at is null and status in ('new', 'acknowledged') and decide_due_at < now()
         union all
         select c.case_id, 'disburse', c.disburse_due_at, now() from cases c
          where c.disburse_due_at < now() and exists (select 1 from grants g where g.case_id = c.case_id);
         analyze;"
    ))
    .execute(&mut conn)
    .await
    .unwrap();
    conn.close().await.unwrap();
}

#[tokio::main]
async fn main() {
    let server = common::spawn_server("insights").await;
    let client = reqwest::Client::new();
    let mut tokens = vec![];
    for i in 0..4 {
        tokens.push(common::staff_token(&server, &client, i, Role::Supervisor).await);
    }
    let staff: uuid::Uuid =
        sqlx::query_scalar("select staff_user_id from staff_user limit 1").fetch_one(&server.db).await.unwrap();
    let seeding = Instant::now();
    seed(&server.owner, staff).await;
    println!(
        "insights benchmark: {CASES} cases and {GRANTS} grants seeded in {:.1} s; {CONCURRENCY} concurrent clients",
        seeding.elapsed().as_secs_f64()
    );
    let today = chrono::Utc::now().date_naive();
    let filters = Filters::parse(None, None, None, None, None, today).unwrap();
    // A pool as large as the concurrency, so the floor never waits for a connection.
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(CONCURRENCY as u32)
        .acquire_timeout(std::time::Duration::from_secs(600))
        .connect_with(server.owner.clone())
        .await
        .unwrap();
    let samples = common::concurrently(CONCURRENCY, PER_WORKER, move |_| {
        let (pool, filters) = (pool.clone(), filters.clone());
        async move {
            let mut conn = pool.acquire().await.unwrap();
            let parts = InsightParts { work: true, money: true };
            dashboard(&mut conn, parts, &filters, 5, chrono::Utc::now()).await.unwrap();
        }
    })
    .await;
    let (_, floor) = common::report("the same figures straight from PostgreSQL", samples);
    let url = format!("{}/api/v1/insights", server.address);
    let (_, p99) =
        common::load("GET /api/v1/insights (90 days, all figures)", &[url], &tokens, &client, CONCURRENCY, PER_WORKER)
            .await;
    println!(
        "    dashboard p99 / (2 × floor p99 + 5 ms) = {:.2} (budget ≤ 1.00)",
        p99.as_secs_f64() / (2.0 * floor.as_secs_f64() + 0.005)
    );
    println!("  server resident memory                        {:.1} MiB", common::rss_of(server.pid));
}
