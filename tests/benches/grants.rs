//! The grant register and fund balances with 10,000 grants and their ledger, read by 50
//! concurrent finance officers, beside the same queries run directly in PostgreSQL in the
//! same run (budget: p99 within 1.5× the raw queries plus 5 ms, the lower of two floors: a
//! simplified set of the register's reads, and its own statements); and what the ledger's
//! triggers (balance and hold) add to each ledger entry, with 1,000 and 100,000 in the fund.
#![allow(missing_docs)]
#![expect(clippy::unwrap_used, reason = "a benchmark fails loudly")]

mod common;

use std::time::Instant;

use shelter_shared::staff::Role;
use sqlx::{ConnectOptions, Connection};

const GRANTS: i64 = 10_000;
const CONCURRENCY: usize = 50;
const PER_WORKER: usize = 10;

/// Cases, three funds and their grants in every state, with the ledger entries and
/// payments each state implies. The balance trigger is off while seeding only.
async fn seed(owner: &sqlx::postgres::PgConnectOptions, staff: uuid::Uuid) {
    let mut conn = owner.connect().await.unwrap();
    sqlx::raw_sql(&format!(
        "alter table fund_entry disable trigger fund_entry_balance;
         insert into cases (case_id, reference, passphrase_hash, status, kind, country, language, needs, contact_allowed,
                            sealed_key, created_at, updated_at)
         select gen_random_uuid(), 'SH-' || upper(lpad(to_hex(i), 4, '0')) || '-GGGG', 'x', 'active',
                'arrest_detention', (array['KH','CN','LA','MM','TH','VN'])[1 + i % 6], 'en', '{{}}', true, '\\x00', now(), now()
         from generate_series(1, {GRANTS}) as i;
         insert into fund (fund_id, name, currency, budget_minor, period_start, period_end, usd_rate, created_by, created_at)
         select gen_random_uuid(), 'Fund ' || i, 'USD', 100000000000, current_date - 365, current_date + 365, '1', '{staff}', now()
         from generate_series(1, 3) as i;
         insert into grants (grant_id, case_id, fund_id, category, amount_minor, currency, fund_amount_minor, usd_minor, tier,
                             approvals_needed, status, payee_alias, payee_sealed, payee_editors, purpose_sealed,
                             vouchers_sealed, voucher_count, country, proposed_by, created_at, updated_at)
         select gen_random_uuid(), c.case_id, (select fund_id from fund order by name offset (n % 3) limit 1),
                (array['legal_fees','bail','relocation','medical','security_measures','subsistence'])[1 + n % 6],
                100000 + n % 500000, 'USD', 100000 + n % 500000, 100000 + n % 500000, 'a', 1,
                (array['proposed','approved','disbursed','receipt_confirmed','reported','cancelled'])[1 + n % 6],
                'Payee ' || n, '\\x00', array['{staff}'::uuid], '\\x00', '\\x00', 1, c.country, '{staff}',
                now() - (n || ' hours')::interval, now()
         from (select case_id, country, row_number() over (order by reference) as n from cases) c;
         insert into fund_entry (fund_id, grant_id, kind, amount_minor, created_at)
         select fund_id, grant_id, k.kind, fund_amount_minor, now()
         from grants g cross join (values ('reservation'), ('release'), ('payment')) as k(kind)
         where (g.status = 'approved' and k.kind = 'reservation')
            or (g.status in ('disbursed', 'receipt_confirmed', 'reported'));
         insert into disbursement (disbursement_id, grant_id, method, paid_minor, fees_minor, currency, fund_amount_minor,
                                   external_reference, paid_on, released_by, created_at)
         select gen_random_uuid(), grant_id, 'bank_transfer', fund_amount_minor, 0, 'USD', fund_amount_minor, 'INV',
                current_date, '{staff}', now()
         from grants where status in ('disbursed', 'receipt_confirmed', 'reported');
         -- the trigger keeps the running totals; with it off they are set from the ledger (the
         -- grants' holds are kept by their own trigger, left on).
         update fund f set committed_minor = l.committed, disbursed_minor = l.disbursed
         from (select fund_id,
                      coalesce(sum(amount_minor) filter (where kind = 'reservation'), 0)
                        - coalesce(sum(amount_minor) filter (where kind = 'release'), 0) as committed,
                      coalesce(sum(amount_minor) filter (where kind = 'payment'), 0)
                        - coalesce(sum(amount_minor) filter (where kind = 'reversal'), 0) as disbursed
               from fund_entry group by fund_id) l
         where l.fund_id = f.fund_id;
         alter table fund_entry enable trigger fund_entry_balance;
         analyze;"
    ))
    .execute(&mut conn)
    .await
    .unwrap();
    conn.close().await.unwrap();
}

/// The register's own queries (lines, four totals, fund balances), run at once.
const REGISTER_READS: [&str; 6] = [
    "select g.grant_id, g.created_at, f.name, g.category, g.country, g.status, g.tier, g.amount_minor, g.currency,
            g.fund_amount_minor, f.currency, g.payee_alias, d.paid_on, d.fund_amount_minor
     from grants g join fund f using (fund_id) left join disbursement d using (grant_id) order by g.created_at desc limit 500",
    "select f.name, f.currency, count(*), sum(g.fund_amount_minor) from grants g join fund f using (fund_id)
     left join disbursement d using (grant_id) group by 1, 2",
    "select g.category, f.currency, count(*), sum(d.fund_amount_minor) from grants g join fund f using (fund_id)
     left join disbursement d using (grant_id) group by 1, 2",
    "select g.country, f.currency, count(*), sum(d.fund_amount_minor) from grants g join fund f using (fund_id)
     left join disbursement d using (grant_id) group by 1, 2",
    "select to_char(g.created_at, 'YYYY-MM'), f.currency, count(*), sum(d.fund_amount_minor) from grants g
     join fund f using (fund_id) left join disbursement d using (grant_id) group by 1, 2",
    "select f.fund_id, sum(e.amount_minor) filter (where e.kind = 'reservation'), sum(e.amount_minor) filter (where e.kind = 'payment')
     from fund f left join fund_entry e using (fund_id) group by f.fund_id",
];

/// The register's own statements as the server sends them for a reader with no conflicts
/// and no filter: the lines, the four totals in one pass, the fund balances.
const REGISTER_OWN: [&str; 3] = [
    "select g.grant_id, g.created_at, f.name as fund_name, g.category, g.country, g.status, g.tier,
            g.amount_minor, g.currency, g.fund_amount_minor, f.currency as fund_currency, g.payee_alias,
            d.paid_on, d.fund_amount_minor as paid_minor, c.reference as case_reference, c.assignee,
            d.method, d.fees_minor, d.external_reference
     from grants g join fund f using (fund_id) join cases c using (case_id)
     left join disbursement d using (grant_id)
     where true and not exists (select 1 from case_conflict x where x.case_id = g.case_id and x.staff_user_id = $1)
     order by g.created_at desc limit 500",
    "select case when grouping(f.name) = 0 then 0 when grouping(g.category) = 0 then 1
                 when grouping(g.country) = 0 then 2 else 3 end as dimension,
            coalesce(f.name, g.category, g.country, to_char(g.created_at at time zone 'UTC', 'YYYY-MM')) as key,
            f.currency, count(*) as count,
            coalesce(sum(g.fund_amount_minor) filter (where g.reservation_held), 0)::bigint as committed_minor,
            coalesce(sum(d.fund_amount_minor) filter (where g.status = any('{disbursed,receipt_confirmed,reported}')), 0)::bigint
                as paid_minor
     from grants g join fund f using (fund_id) join cases c using (case_id)
     left join disbursement d using (grant_id)
     where true and not exists (select 1 from case_conflict x where x.case_id = g.case_id and x.staff_user_id = $1)
     group by grouping sets ((f.name, f.currency), (g.category, f.currency), (g.country, f.currency),
                             (to_char(g.created_at at time zone 'UTC', 'YYYY-MM'), f.currency))
     order by 1, 2, 3",
    "select f.fund_id, f.name, f.currency, f.budget_minor, f.committed_minor, f.disbursed_minor,
            f.budget_minor - f.committed_minor - f.disbursed_minor, f.period_start, f.period_end,
            f.allowed_categories, f.allowed_countries, f.usd_rate
     from fund f where $1::uuid is not null order by f.name",
];

/// Measured reservations per ledger size.
const SAMPLES: i64 = 200;

/// A fund whose ledger holds `entries` entries (grants reserved, released, paid and
/// reversed: the four entries of each net to zero) and `SAMPLES` proposed grants; its name.
async fn ledger_fund(owner: &mut sqlx::PgConnection, staff: uuid::Uuid, entries: i64) -> String {
    let name = format!("Ledger of {entries}");
    let settled = entries / 4;
    sqlx::raw_sql(&format!(
        "alter table fund_entry disable trigger fund_entry_balance;
         insert into fund (fund_id, name, currency, budget_minor, period_start, period_end, usd_rate, created_by, created_at)
         values (gen_random_uuid(), '{name}', 'USD', 100000000000, current_date - 365, current_date + 365, '1', '{staff}', now());
         insert into grants (grant_id, case_id, fund_id, category, amount_minor, currency, fund_amount_minor, usd_minor, tier,
                             approvals_needed, status, payee_alias, payee_sealed, payee_editors, purpose_sealed,
                             vouchers_sealed, voucher_count, country, proposed_by, created_at, updated_at)
         select gen_random_uuid(), c.case_id, (select fund_id from fund where name = '{name}'), 'legal_fees',
                100000, 'USD', 100000, 100000, 'a', 1, case when n <= {settled} then 'reversed' else 'proposed' end,
                'Payee ' || n, '\\x00', array['{staff}'::uuid], '\\x00', '\\x00', 1, c.country, '{staff}', now(), now()
         from generate_series(1, {settled} + {SAMPLES}) as n
         join (select case_id, country, row_number() over (order by reference) as r from cases) c on c.r = 1 + n % {GRANTS};
         insert into fund_entry (fund_id, grant_id, kind, amount_minor, created_at)
         select g.fund_id, g.grant_id, k.kind, g.fund_amount_minor, now()
         from grants g cross join (values ('reservation'), ('release'), ('payment'), ('reversal')) as k(kind)
         where g.fund_id = (select fund_id from fund where name = '{name}') and g.status = 'reversed';
         alter table fund_entry enable trigger fund_entry_balance;
         analyze;"
    ))
    .execute(&mut *owner)
    .await
    .unwrap();
    name
}

/// Reservations inserted one by one, as approvals make them, into a fund with 1,000 ledger
/// entries and one with 100,000: with the ledger's triggers (one update of the fund's running
/// totals and one of the grant's hold, whatever the ledger holds), beside the floor, the same inserts into an unchecked
/// copy of the table holding the same entries, in the same run.
async fn ledger_inserts(pool: &sqlx::PgPool, owner: &sqlx::postgres::PgConnectOptions, staff: uuid::Uuid) {
    let mut owner = owner.connect().await.unwrap();
    let funds = [ledger_fund(&mut owner, staff, 1_000).await, ledger_fund(&mut owner, staff, 100_000).await];
    sqlx::raw_sql(
        "create table unchecked_entry (like fund_entry including all);
         insert into unchecked_entry overriding system value select * from fund_entry;
         select setval(pg_get_serial_sequence('unchecked_entry', 'entry_id'), (select max(entry_id) from unchecked_entry));
         analyze unchecked_entry;",
    )
    .execute(&mut owner)
    .await
    .unwrap();
    for name in &funds {
        let proposed: Vec<(uuid::Uuid, uuid::Uuid)> = sqlx::query_as(
            "select fund_id, grant_id from grants join fund using (fund_id) where fund.name = $1 and status = 'proposed'",
        )
        .bind(name)
        .fetch_all(pool)
        .await
        .unwrap();
        let before: i64 =
            sqlx::query_scalar("select count(*) from fund_entry join fund using (fund_id) where fund.name = $1")
                .bind(name)
                .fetch_one(pool)
                .await
                .unwrap();
        println!("  {name}: {before} ledger entries in the fund, {} reservations added", proposed.len());
        let mut p50s = vec![];
        for (table, label) in [
            ("unchecked_entry", "  ledger insert, floor (no trigger)"),
            ("fund_entry", "  ledger insert with its triggers"),
        ] {
            let mut samples = vec![];
            for (fund, grant) in &proposed {
                let t = Instant::now();
                sqlx::query(&format!(
                    "insert into {table} (fund_id, grant_id, kind, amount_minor, created_at) values ($1, $2, 'reservation', 1, now())"
                ))
                .bind(fund)
                .bind(grant)
                .execute(&mut owner)
                .await
                .unwrap();
                samples.push(t.elapsed());
            }
            p50s.push(common::report(label, samples).0);
        }
        println!("      the triggers add {:.3} ms at p50", (p50s[1].as_secs_f64() - p50s[0].as_secs_f64()) * 1e3);
    }
    let entries: i64 = sqlx::query_scalar("select count(*) from fund_entry").fetch_one(pool).await.unwrap();
    let mismatched: i64 =
        sqlx::query_scalar("select count(*) from fund_ledger_mismatch()").fetch_one(pool).await.unwrap();
    assert_eq!(mismatched, 0, "every fund's running totals equal its ledger's sums");
    let holds: i64 = sqlx::query_scalar("select count(*) from grant_hold_mismatch()").fetch_one(pool).await.unwrap();
    assert_eq!(holds, 0, "every grant's hold is its ledger's");
    println!("    ({entries} ledger entries across 5 funds; running totals and holds equal the ledger's)");
}

#[tokio::main]
async fn main() {
    let server = common::spawn_server("grants").await;
    let client = reqwest::Client::new();
    let mut tokens = vec![];
    for i in 0..5 {
        tokens.push(common::staff_token(&server, &client, i, Role::Finance).await);
    }
    let staff: uuid::Uuid =
        sqlx::query_scalar("select staff_user_id from staff_user limit 1").fetch_one(&server.db).await.unwrap();
    let seeding = Instant::now();
    seed(&server.owner, staff).await;
    println!(
        "grants benchmark: {GRANTS} grants and their ledger seeded in {:.1} s; {CONCURRENCY} concurrent finance officers",
        seeding.elapsed().as_secs_f64()
    );
    let raw = common::raw_reads(
        "raw register reads in PostgreSQL (simplified)",
        &server.db,
        &REGISTER_READS,
        None,
        CONCURRENCY,
        PER_WORKER,
    )
    .await;
    let own = common::raw_reads(
        "the register's own statements in PostgreSQL",
        &server.db,
        &REGISTER_OWN,
        Some(uuid::Uuid::new_v4()),
        CONCURRENCY,
        PER_WORKER,
    )
    .await;
    let raw = raw.min(own);
    let load = |label: &'static str, url: String| {
        let (tokens, client) = (tokens.clone(), client.clone());
        async move { common::load(label, &[url], &tokens, &client, CONCURRENCY, PER_WORKER).await.1 }
    };
    let register =
        load("GET /api/v1/grants (register + totals + funds)", format!("{}/api/v1/grants", server.address)).await;
    println!(
        "    register p99 / (1.5 × lower raw p99 + 5 ms) = {:.2} (budget ≤ 1.00; 2× gives {:.2})",
        register.as_secs_f64() / (1.5 * raw.as_secs_f64() + 0.005),
        register.as_secs_f64() / (2.0 * raw.as_secs_f64() + 0.005)
    );
    load("GET /api/v1/funds (balances from the ledger)", format!("{}/api/v1/funds", server.address)).await;
    ledger_inserts(&server.db, &server.owner, staff).await;
    println!("  server resident memory                          {:.1} MiB (budget 100)", common::rss_of(server.pid));
}
