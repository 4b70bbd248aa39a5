//! Insights and the donor report on a seeded data set whose answers are worked out by hand:
//! exact figures (counts moved by their known noise), no count from 1 to k−1 anywhere, a
//! reader who tries to recover hidden cells from the published totals gets nowhere, and one
//! who subtracts overlapping views mostly guesses wrong.

use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::{Value, json};
use shelter_shared::perturb::{MAX_NOISE, perturbed};
use shelter_shared::staff::Role;
use uuid::Uuid;

use crate::helpers::TestApp;
use crate::staff::Expect as _;
use crate::staff::TestUser;
use reqwest::StatusCode;

struct Seed<'a> {
    country: &'a str,
    kind: &'a str,
    severity: &'a str,
    status: &'a str,
    created: DateTime<Utc>,
    /// Minutes to acknowledgement and to triage (none: not yet).
    ack_after: Option<i64>,
    triage_after: Option<i64>,
}

/// Inserts `n` cases as `seed` says, straight into the tables (the figures read only these
/// columns). Every statistical key is 1, so a count's key sum is the count (see [`shown`]).
async fn seed(app: &TestApp, n: usize, s: &Seed<'_>) -> Vec<Uuid> {
    let mut ids = Vec::new();
    for _ in 0..n {
        let id = Uuid::new_v4();
        let minutes = |m: Option<i64>| m.map(|m| s.created + Duration::minutes(m));
        sqlx::query(
            "insert into cases (case_id, reference, passphrase_hash, status, kind, severity, country, language,
                                contact_allowed, sealed_key, created_at, updated_at, acknowledge_due_at, decide_due_at,
                                disburse_due_at, acknowledged_at, triaged_at, stat_key)
             values ($1, $2, 'x', $3, $4, $5, $6, 'en', false, '\\x00', $7, $7, $7 + interval '2 hours',
                     $7 + interval '72 hours', $7 + interval '7 days', $8, $9, 1)",
        )
        .bind(id)
        .bind(format!("SEED-{}", id.simple()))
        .bind(s.status)
        .bind(s.kind)
        .bind(s.severity)
        .bind(s.country)
        .bind(s.created)
        .bind(minutes(s.ack_after))
        .bind(minutes(s.triage_after))
        .execute(&app.db)
        .await
        .unwrap();
        ids.push(id);
    }
    ids
}

/// What a count of `n` seeded records (keys all 1, so their key sum is `n`) becomes at
/// k = 5: its cell shows it when it is 0 or at least 5, and the totals around it add it.
fn shown(n: i64) -> i64 {
    perturbed(n, n, 5)
}

fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
}

/// 12 arrests in Myanmar (answered in an hour, triaged in a day), 3 digital attacks in Laos
/// (answered after 5 hours, never triaged), 7 threats in Thailand (6 answered in 30 minutes
/// and triaged in 10 hours, 1 not yet), and one closed case outside the period.
pub(crate) async fn seed_cases(app: &TestApp) -> Vec<Uuid> {
    let mut mm = seed(
        app,
        12,
        &Seed {
            country: "MM",
            kind: "arrest_detention",
            severity: "high",
            status: "active",
            created: at(2026, 1, 6, 10),
            ack_after: Some(60),
            triage_after: Some(24 * 60),
        },
    )
    .await;
    seed(
        app,
        3,
        &Seed {
            country: "LA",
            kind: "digital_attack",
            severity: "medium",
            status: "acknowledged",
            created: at(2026, 1, 13, 10),
            ack_after: Some(300),
            triage_after: None,
        },
    )
    .await;
    seed(
        app,
        6,
        &Seed {
            country: "TH",
            kind: "threat_attack",
            severity: "critical",
            status: "active",
            created: at(2026, 2, 3, 10),
            ack_after: Some(30),
            triage_after: Some(600),
        },
    )
    .await;
    seed(
        app,
        1,
        &Seed {
            country: "TH",
            kind: "threat_attack",
            severity: "critical",
            status: "new",
            created: at(2026, 2, 3, 10),
            ack_after: None,
            triage_after: None,
        },
    )
    .await;
    seed(
        app,
        1,
        &Seed {
            country: "MM",
            kind: "arrest_detention",
            severity: "low",
            status: "closed",
            created: at(2026, 3, 1, 10),
            ack_after: Some(10),
            triage_after: Some(20),
        },
    )
    .await;
    mm.truncate(8);
    mm
}

/// A USD fund, six legal-fee grants of 500.00 to Myanmar cases and two bail grants of 300.00.
pub(crate) async fn seed_grants(app: &TestApp, cases: &[Uuid], proposer: &TestUser) -> Uuid {
    let fund = Uuid::new_v4();
    sqlx::query(
        "insert into fund (fund_id, name, currency, budget_minor, period_start, period_end, usd_rate, created_by, created_at)
         values ($1, 'Emergency 2026', 'USD', 1000000, '2026-01-01', '2026-12-31', '1', $2::uuid, now())",
    )
    .bind(fund)
    .bind(proposer.id.as_str())
    .execute(&app.db)
    .await
    .unwrap();
    for (i, case) in cases.iter().enumerate() {
        let (category, amount) = if i < 6 { ("legal_fees", 50_000) } else { ("bail", 30_000) };
        sqlx::query(
            "insert into grants (grant_id, case_id, fund_id, category, amount_minor, currency, fund_amount_minor,
                                 usd_minor, tier, approvals_needed, status, payee_alias, payee_sealed, payee_editors,
                                 purpose_sealed, vouchers_sealed, voucher_count, country, proposed_by, created_at, updated_at,
                                 stat_key)
             values ($1, $2, $3, $4, $5, 'USD', $5, $5, 'a', 1, 'approved', 'payee', '\\x00', '{}', '\\x00', '\\x00', 1,
                     'MM', $6::uuid, $7, $7, 1)",
        )
        .bind(Uuid::new_v4())
        .bind(case)
        .bind(fund)
        .bind(category)
        .bind(amount)
        .bind(proposer.id.as_str())
        .bind(at(2026, 1, 20, 10))
        .execute(&app.db)
        .await
        .unwrap();
    }
    fund
}

fn figure<'a>(insights: &'a Value, id: &str) -> &'a Value {
    insights["figures"].as_array().unwrap().iter().find(|f| f["id"] == id).unwrap_or_else(|| panic!("no {id}"))
}

fn cell(f: &Value, row: &str, column: &str) -> Value {
    let t = &f["table"];
    let i = t["rows"].as_array().unwrap().iter().position(|r| r == row).unwrap_or_else(|| panic!("row {row}"));
    let j =
        t["columns"].as_array().unwrap().iter().position(|c| c == column).unwrap_or_else(|| panic!("column {column}"));
    t["cells"][i][j].clone()
}

/// A reader's attack on one published table: every hidden entry starts between 1 (zeros are
/// shown) and the largest shown total, every shown count within `spread` of its true value
/// (and at least k), and each row, column and margin narrows them, over and over. Returns
/// the hidden entries whose value it pins down.
fn recoverable(table: &Value, spread: i64) -> Vec<String> {
    let k = table["k"].as_i64().unwrap();
    let get = |v: &Value| v.as_i64();
    let rows = table["cells"].as_array().unwrap();
    let (r, c) = (rows.len(), table["columns"].as_array().unwrap().len());
    // The (r+1)×(c+1) layout: last row the column totals, last column the row totals.
    let mut entries: Vec<Vec<Option<i64>>> =
        rows.iter().map(|row| row.as_array().unwrap().iter().map(get).collect()).collect();
    for (i, row) in entries.iter_mut().enumerate() {
        row.push(get(&table["row_totals"][i]));
    }
    let mut margin: Vec<Option<i64>> = table["column_totals"].as_array().unwrap().iter().map(get).collect();
    margin.push(get(&table["total"]));
    entries.push(margin);
    let ceiling = 1 << 40;
    let shown_low = |v: i64| if v == 0 { 0 } else { (v - spread).max(k) };
    let mut low: Vec<Vec<i64>> =
        entries.iter().map(|row| row.iter().map(|v| v.map_or(1, shown_low)).collect()).collect();
    let mut high: Vec<Vec<i64>> =
        entries.iter().map(|row| row.iter().map(|v| v.map_or(ceiling, |v| v + spread)).collect()).collect();
    let mut lines: Vec<Vec<(usize, usize)>> = (0..=r).map(|i| (0..=c).map(|j| (i, j)).collect()).collect();
    lines.extend((0..=c).map(|j| (0..=r).map(|i| (i, j)).collect::<Vec<_>>()));
    for _ in 0..10_000 {
        let mut changed = false;
        for line in &lines {
            let (members, total) = line.split_at(line.len() - 1);
            let total = total[0];
            let sum_low: i64 = members.iter().map(|&(i, j)| low[i][j]).sum();
            let sum_high: i64 = members.iter().map(|&(i, j)| high[i][j]).sum();
            for &(i, j) in members {
                let lo = low[i][j].max(low[total.0][total.1] - (sum_high - high[i][j]));
                let hi = high[i][j].min(high[total.0][total.1] - (sum_low - low[i][j]));
                if (lo, hi) != (low[i][j], high[i][j]) {
                    (low[i][j], high[i][j], changed) = (lo, hi, true);
                }
            }
            let (tlo, thi) = (low[total.0][total.1].max(sum_low), high[total.0][total.1].min(sum_high));
            if (tlo, thi) != (low[total.0][total.1], high[total.0][total.1]) {
                (low[total.0][total.1], high[total.0][total.1], changed) = (tlo, thi, true);
            }
        }
        if !changed {
            break;
        }
    }
    let mut found = Vec::new();
    for i in 0..=r {
        for j in 0..=c {
            if entries[i][j].is_none() && low[i][j] == high[i][j] {
                found.push(format!("({i}, {j}) = {}", low[i][j]));
            }
        }
    }
    found
}

/// Every published number of every figure: none from 1 to k−1, none recoverable.
fn assert_safe(insights: &Value) {
    let k = insights["k"].as_i64().unwrap();
    for f in insights["figures"].as_array().unwrap() {
        let t = &f["table"];
        let mut numbers: Vec<i64> = t["cells"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|r| r.as_array().unwrap().clone())
            .filter_map(|v| v.as_i64())
            .collect();
        if f["additive"] == true && f["unit"] == "count" {
            numbers.extend(
                t["row_totals"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .chain(t["column_totals"].as_array().unwrap())
                    .filter_map(Value::as_i64),
            );
            numbers.extend(t["total"].as_i64());
            assert!(numbers.iter().all(|n| *n == 0 || *n >= k), "{}: a small count is shown: {t}", f["id"]);
        }
        if f["additive"] == true {
            // Amounts are exact; counts move by up to MAX_NOISE.
            let spread = if f["unit"] == "count" { MAX_NOISE } else { 0 };
            let found = recoverable(t, spread);
            assert!(found.is_empty(), "{}: hidden cells recovered {found:?} from {t}", f["id"]);
        }
    }
}

async fn insights(app: &TestApp, token: &str, query: &str) -> Value {
    let response = app.get_api(&format!("/api/v1/insights?{query}"), token).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

#[tokio::test]
async fn every_figure_is_exact_and_suppressed_on_a_seeded_network() {
    let app = TestApp::spawn().await;
    let supervisor = app.staff(&[Role::Supervisor]).await;
    let token = app.token(&supervisor).await;
    let cases = seed_cases(&app).await;
    seed_grants(&app, &cases, &supervisor).await;
    let all = insights(&app, &token, "from=2026-01-05&to=2026-02-15").await;
    assert_safe(&all);

    // Requests by week and kind: 12 arrests the week of 5 January, 3 digital attacks the week
    // after (hidden), 7 threats the week of 2 February (hidden too: else 22 − 12 − 7 gives the 3 away).
    let by_kind = figure(&all, "requests_by_kind");
    assert_eq!(cell(by_kind, "2026-01-05", "arrest_detention"), shown(12), "{by_kind}");
    assert_eq!(cell(by_kind, "2026-01-12", "digital_attack"), Value::Null);
    assert_eq!(cell(by_kind, "2026-02-02", "threat_attack"), Value::Null);
    assert_eq!(by_kind["table"]["total"], shown(12) + shown(3) + shown(7), "the sum of the cells");
    assert_eq!(cell(by_kind, "2026-01-19", "arrest_detention"), 0, "a zero describes nobody");
    assert_eq!(by_kind["table"]["rows"].as_array().unwrap().len(), 6, "six Mondays from 5 January to 9 February");

    // Deadlines: January 12 acknowledged in time, 3 late (hidden); February 6 and 1 (hidden).
    let kept = figure(&all, "deadlines_kept");
    assert_eq!(cell(kept, "2026-01", "acknowledged in time"), shown(12));
    assert_eq!(cell(kept, "2026-01", "acknowledged late"), Value::Null);
    assert_eq!(cell(kept, "2026-01", "decided in time"), shown(12));
    assert_eq!(cell(kept, "2026-02", "acknowledged in time"), shown(6));
    assert_eq!(cell(kept, "2026-02", "decided late"), Value::Null);
    assert_eq!(cell(kept, "2026-01", "paid in time"), 0);
    // Times: January's 15 acknowledgements, 12 after 60 minutes and 3 after 300: median 60,
    // 90th percentile between the 13th and 14th (both 300); February's six after 30.
    let times = figure(&all, "deadlines_time");
    assert_eq!(cell(times, "2026-01", "acknowledge p50"), 60);
    assert_eq!(cell(times, "2026-01", "acknowledge p90"), 300);
    assert_eq!(cell(times, "2026-02", "acknowledge p50"), 30);
    assert_eq!(cell(times, "2026-02", "pay p50"), Value::Null, "no payments: nothing to show");
    // Shares rest on both counts: January's 3 late hide the share.
    assert_eq!(cell(figure(&all, "deadlines_share"), "2026-01", "acknowledge"), Value::Null);

    // Open cases now: 12 high and 6 critical active, 3 medium acknowledged, 1 critical new.
    let open = figure(&all, "open_cases");
    assert_eq!(open["table"]["total"], shown(12) + shown(3) + shown(6) + shown(1));
    assert_eq!(cell(open, "new", "critical"), Value::Null);
    assert_eq!(cell(open, "acknowledged", "medium"), Value::Null);

    // Filters: Thailand only has 7 requests, all threats.
    let thailand = insights(&app, &token, "from=2026-01-05&to=2026-02-15&country=TH").await;
    let total = &figure(&thailand, "requests_by_kind")["table"]["total"];
    assert_eq!(*total, shown(7), "{}", figure(&thailand, "requests_by_kind"));
    assert_safe(&thailand);

    // Money: six legal-fee grants (500.00 each) and two bail grants (hidden, and the amounts with them).
    let by_category = figure(&all, "grants_by_category");
    assert_eq!(cell(by_category, "bail", "2026-01"), Value::Null);
    assert_eq!(cell(by_category, "legal_fees", "2026-01"), Value::Null, "else 8 − 6 gives the bail grants away");
    assert_eq!(by_category["table"]["total"], shown(6) + shown(2));
    // Amounts: six legal-fee grants of one fund in one month may be shown; the two bail
    // grants may not, nor any sum that holds them (all categories).
    let amounts = figure(&all, "grant_amounts");
    assert_eq!(cell(amounts, "legal_fees", "USD"), 300_000);
    assert_eq!(cell(amounts, "bail", "USD"), Value::Null);
    assert_eq!(cell(amounts, "all categories", "USD"), Value::Null, "else 360,000 − 300,000 gives the bail away");
    assert_eq!(cell(amounts, "medical", "USD"), 0, "no grants, nobody to hide");
    let burn = figure(&all, "fund_burn");
    assert_eq!(cell(burn, "Emergency 2026 (USD)", "budget"), 1_000_000);
}

/// Thirty weeks, each with 20 to 39 arrests in Myanmar and two in Laos (keys drawn at random,
/// as the database draws them): a reader asks for all countries and for Myanmar alone and
/// subtracts, week by week. Without noise that gives the two Laotian cases away every week;
/// with it, only when both cells happen to move alike, and asking again changes nothing.
#[tokio::test]
async fn subtracting_overlapping_views_rarely_gives_a_small_count_away() {
    let app = TestApp::spawn().await;
    let supervisor = app.staff(&[Role::Supervisor]).await;
    let token = app.token(&supervisor).await;
    let first_monday = at(2025, 6, 2, 10);
    let mut ids = Vec::new();
    for week in 0..30 {
        let base = Seed {
            country: "MM",
            kind: "arrest_detention",
            severity: "high",
            status: "active",
            created: first_monday + Duration::weeks(week),
            ack_after: Some(60),
            triage_after: Some(600),
        };
        ids.extend(seed(&app, 20 + (week as usize * 7) % 20, &base).await);
        ids.extend(seed(&app, 2, &Seed { country: "LA", ..base }).await);
    }
    sqlx::query("update cases set stat_key = floor(random() * 65536)::int where case_id = any($1)")
        .bind(&ids)
        .execute(&app.db)
        .await
        .unwrap();
    let query = "from=2025-06-02&to=2025-12-28";
    let all = insights(&app, &token, query).await;
    let myanmar = insights(&app, &token, &format!("{query}&country=MM")).await;
    assert_eq!(all["figures"], insights(&app, &token, query).await["figures"], "the same view, the same numbers");
    // A period cut mid-week counts the whole week: no new set of cases, no new draw to average.
    let cut = insights(&app, &token, "from=2025-06-04&to=2025-12-24").await;
    assert_eq!(figure(&cut, "requests_by_kind")["table"], figure(&all, "requests_by_kind")["table"]);
    let (all, myanmar) = (figure(&all, "requests_by_kind"), figure(&myanmar, "requests_by_kind"));
    let (mut given_away, mut moved) = (0, 0);
    for week in 0..30 {
        let monday = (first_monday + Duration::weeks(week)).date_naive().to_string();
        let count = |f: &Value| cell(f, &monday, "arrest_detention").as_i64().expect("a shown count");
        given_away += usize::from(count(all) - count(myanmar) == 2);
        moved += usize::from(count(myanmar) != 20 + (week * 7) % 20);
    }
    assert!(moved >= 10, "the counts are perturbed: {moved} of 30 moved");
    println!("subtracting gave the two cases away in {given_away} of 30 weeks");
    // Alike about a quarter of the time: some 8 weeks of 30, almost never 20.
    assert!(given_away < 20, "{given_away} of 30 weeks give the two cases away");
}

#[tokio::test]
async fn who_sees_what_and_the_donor_report_is_audited_with_its_csv_behind_a_step_up() {
    let app = TestApp::spawn().await;
    let supervisor = app.staff(&[Role::Supervisor]).await;
    let finance = app.staff(&[Role::Finance]).await;
    let handler = app.staff(&[Role::Handler]).await;
    let cases = seed_cases(&app).await;
    let fund = seed_grants(&app, &cases, &supervisor).await;

    let handler_token = app.token(&handler).await;
    assert_eq!(app.get_api("/api/v1/insights", &handler_token).await.status(), 403);
    let finance_token = app.token(&finance).await;
    let money = insights(&app, &finance_token, "from=2026-01-05&to=2026-02-15").await;
    let ids: Vec<&str> = money["figures"].as_array().unwrap().iter().map(|f| f["id"].as_str().unwrap()).collect();
    assert!(ids.iter().all(|id| id.starts_with("grant") || *id == "fund_burn"), "finance sees the money only: {ids:?}");

    for bad in [
        "from=2026-13-01",
        "from=2026-03-01&to=2026-01-01",
        "country=ZZ",
        "kind=arson",
        "fund=nope",
        "from=2019-01-01&to=2026-01-01",
    ] {
        let response = app.get_api(&format!("/api/v1/insights?{bad}"), &finance_token).await;
        assert_eq!(response.status(), 422, "{bad}");
    }

    let token = app.token(&supervisor).await;
    let query = format!("from=2026-01-01&to=2026-03-31&fund={fund}");
    let report: Value = app
        .get_api(&format!("/api/v1/reports/donor?{query}"), &token)
        .await
        .expect_json(StatusCode::OK, "read the donor report")
        .await;
    assert_safe(&report);
    let total = &figure(&report, "requests")["table"]["total"];
    assert_eq!(*total, shown(13) + shown(3) + shown(7), "{}", figure(&report, "requests"));
    app.clock.advance(Duration::minutes(6)); // the sign-in's own second factor is no longer fresh
    let refused = app.get_api(&format!("/api/v1/reports/donor.csv?{query}"), &token).await;
    assert_eq!(refused.status(), 403, "the CSV needs a fresh step-up");
    let code = app.next_totp(&supervisor);
    assert_eq!(app.post_json("/api/v1/auth/step-up", Some(&token), &json!({"totp": code})).await.status(), 204);
    let csv = app.get_api(&format!("/api/v1/reports/donor.csv?{query}"), &token).await;
    assert_eq!(csv.status(), 200);
    let csv = csv.text().await.unwrap();
    assert!(csv.starts_with("figure,row,column,value,unit,from,to"), "{csv}");
    assert!(csv.contains(&format!("requests,MM,arrest_detention,{},count", shown(13))), "{csv}");
    assert!(csv.contains("< 5"), "{csv}");
    for line in csv.lines().skip(1) {
        let fields: Vec<&str> = line.split(',').collect();
        if fields[4] == "count" {
            let value = fields[3];
            assert!(value == "< 5" || value == "0" || value.parse::<i64>().unwrap() >= 5, "{line}");
        }
    }
    let audited: Vec<String> =
        sqlx::query_scalar("select action from audit_log where action like 'report.donor%' order by seq")
            .fetch_all(&app.db)
            .await
            .unwrap();
    assert_eq!(audited, ["report.donor_viewed", "report.donor_exported"]);

    // The page draws the same figures, each chart with a table.
    let browser = app.browser(&supervisor).await;
    let page = browser
        .get(format!("{}/staff/insights?from=2026-01-05&to=2026-02-15", app.address))
        .send()
        .await
        .unwrap()
        .expect_text(StatusCode::OK, "open /staff/insights")
        .await;
    assert!(page.contains("<svg") && page.contains("<caption>Requests per week, by kind</caption>"), "{page}");
    assert!(page.contains("&lt; 5") || page.contains("< 5"));
    let refused = browser.get(format!("{}/staff/insights?from=yesterday", app.address)).send().await.unwrap();
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.unwrap().contains("dates are YYYY-MM-DD"));
}

#[test]
fn no_hidden_cell_of_many_random_tables_can_be_recovered() {
    // A small linear congruential generator: the same tables on every run.
    let mut state: u64 = 0x5eed;
    let mut next = |limit: u64| {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) % limit
    };
    for _ in 0..300 {
        let (rows, columns) = (1 + next(5) as usize, 1 + next(5) as usize);
        let cells: Vec<Vec<i64>> =
            (0..rows).map(|_| (0..columns).map(|_| [0, 1, 2, 3, 4, 6, 9, 15][next(8) as usize]).collect()).collect();
        let grid = shelter_shared::suppress::Grid {
            rows: (0..rows).map(|i| format!("r{i}")).collect(),
            columns: (0..columns).map(|j| format!("c{j}")).collect(),
            cells: cells.clone(),
        };
        let published = serde_json::to_value(shelter_shared::suppress::publish(&grid, 5)).unwrap();
        let found = recoverable(&published, 0);
        assert!(found.is_empty(), "{cells:?} → {published} gives away {found:?}");
        let shown = published["cells"].as_array().unwrap().iter().flat_map(|r| r.as_array().unwrap().clone());
        assert!(shown.filter_map(|v| v.as_i64()).all(|v| v == 0 || v >= 5), "{published}");
    }
}
