//! The work figures: requests, open cases, deadlines kept, referrals, handlers' load.

use chrono::{DateTime, Utc};
use shelter_shared::grant::GrantState;
use shelter_shared::insights::{Figure, Unit};
use shelter_shared::intake::{IncidentKind, Severity};
use shelter_shared::perturb::perturb;
use sqlx::PgConnection;

use super::{Filters, Quads, Tally, counts, grid, per_cell, per_cell_counts, tally};

type Triples = Vec<(String, String, i64)>;

/// The requests of the period, by week and kind and by week and country.
async fn requests(conn: &mut PgConnection, f: &Filters, k: i64) -> sqlx::Result<Vec<Figure>> {
    let (from, to) = f.week_range();
    let rows: Vec<(String, String, String, i64, i64)> = sqlx::query!(
        r#"select to_char(date_trunc('week', c.created_at at time zone 'UTC'), 'YYYY-MM-DD') as "week!", c.kind,
                c.country, count(*) as "n!", sum(c.stat_key)::bigint as "key!"
         from cases c
         where c.created_at >= $1 and c.created_at < $2
           and ($3::text is null or c.country = $3) and ($4::text is null or c.kind = $4)
           and ($5::text is null or coalesce(c.severity, c.severity_hint) = $5)
         group by 1, 2, 3"#,
        from,
        to,
        f.country(),
        f.kind(),
        f.severity()
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| (r.week, r.kind, r.country, r.n, r.key))
    .collect();
    let by_kind: Quads = rows.iter().map(|(w, kind, _, n, key)| (w.clone(), kind.clone(), *n, *key)).collect();
    let by_country: Quads = rows.iter().map(|(w, _, country, n, key)| (w.clone(), country.clone(), *n, *key)).collect();
    let kinds = IncidentKind::ALL.iter().map(|k| k.as_str().to_owned()).collect();
    Ok(vec![
        counts(
            "requests_by_kind",
            "Requests per week, by kind",
            "How many requests arrived each week (weeks start on Monday), by the kind of incident.",
            &tally(f.weeks(), kinds, &by_kind),
            k,
        ),
        counts(
            "requests_by_country",
            "Requests per week, by country",
            "How many requests arrived each week, by the country where it happens.",
            &tally(f.weeks(), Vec::new(), &by_country),
            k,
        ),
    ])
}

/// Cases open now, by state and severity (the period does not apply; the filters do).
async fn open_cases(conn: &mut PgConnection, f: &Filters, k: i64) -> sqlx::Result<Figure> {
    let rows: Quads = sqlx::query!(
        r#"select c.status, coalesce(c.severity, 'untriaged') as "severity!", count(*) as "n!",
                sum(c.stat_key)::bigint as "key!"
         from cases c
         where c.status <> 'closed'
           and ($1::text is null or c.country = $1) and ($2::text is null or c.kind = $2)
           and ($3::text is null or coalesce(c.severity, c.severity_hint) = $3)
         group by 1, 2"#,
        f.country(),
        f.kind(),
        f.severity()
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| (r.status, r.severity, r.n, r.key))
    .collect();
    let states = ["new", "acknowledged", "active", "on_hold"].map(str::to_owned).to_vec();
    let mut severities: Vec<String> = Severity::ALL.iter().map(|s| s.as_str().to_owned()).collect();
    severities.push("untriaged".to_owned());
    Ok(counts(
        "open_cases",
        "Open cases, by state and severity",
        "Cases not closed today, by where they stand and how severe they are (untriaged: not yet triaged).",
        &tally(states, severities, &rows),
        k,
    ))
}

struct ClockRow {
    month: String,
    ack_in: i64,
    ack_missed: i64,
    decide_in: i64,
    decide_missed: i64,
    pay_in: i64,
    pay_missed: i64,
    ack_in_key: i64,
    ack_missed_key: i64,
    decide_in_key: i64,
    decide_missed_key: i64,
    pay_in_key: i64,
    pay_missed_key: i64,
    ack_n: i64,
    ack_p50: Option<f64>,
    ack_p90: Option<f64>,
    decide_n: i64,
    decide_p50: Option<f64>,
    decide_p90: Option<f64>,
    pay_n: i64,
    pay_p50: Option<f64>,
    pay_p90: Option<f64>,
}

/// The three promises per month of intake: kept or missed, the share kept, and the time to each.
async fn deadlines(conn: &mut PgConnection, f: &Filters, k: i64, now: DateTime<Utc>) -> sqlx::Result<Vec<Figure>> {
    let (from, to) = f.month_range();
    let rows = sqlx::query_as!(
        ClockRow,
        r#"with p as (
             -- Each case's grants in one pass (a grant is never older than its case), joined
             -- by hash: a lookup per case costs the planner's estimate, and with it JIT
             -- compilation, far more than the work.
             select g.case_id, min(d.created_at) as first_paid, count(*) as grants
             from grants g left join disbursement d using (grant_id)
             where g.created_at >= $1 and g.status <> all($7)
             group by g.case_id),
         c as (
             select to_char(date_trunc('month', c.created_at at time zone 'UTC'), 'YYYY-MM') as month,
                    c.created_at, c.acknowledged_at, c.acknowledge_due_at, c.triaged_at, c.decide_due_at,
                    c.disburse_due_at, c.stat_key, p.first_paid, coalesce(p.grants, 0) as grants
             from cases c left join p using (case_id)
             where c.created_at >= $1 and c.created_at < $2
               and ($3::text is null or c.country = $3) and ($4::text is null or c.kind = $4)
               and ($5::text is null or coalesce(c.severity, c.severity_hint) = $5)),
         t as (
             select *, extract(epoch from acknowledged_at - created_at) / 60 as ack_min,
                       extract(epoch from triaged_at - created_at) / 60 as decide_min,
                       extract(epoch from first_paid - created_at) / 60 as pay_min
             from c),
         s as (
             select *, acknowledged_at <= acknowledge_due_at as ack_in,
                       acknowledged_at > acknowledge_due_at
                           or (acknowledged_at is null and acknowledge_due_at < $6) as ack_missed,
                       triaged_at <= decide_due_at as decide_in,
                       triaged_at > decide_due_at or (triaged_at is null and decide_due_at < $6) as decide_missed,
                       grants > 0 and first_paid <= disburse_due_at as pay_in,
                       grants > 0 and (first_paid > disburse_due_at
                           or (first_paid is null and disburse_due_at < $6)) as pay_missed
             from t)
         select month as "month!",
             count(*) filter (where ack_in) as "ack_in!", count(*) filter (where ack_missed) as "ack_missed!",
             count(*) filter (where decide_in) as "decide_in!", count(*) filter (where decide_missed) as "decide_missed!",
             count(*) filter (where pay_in) as "pay_in!", count(*) filter (where pay_missed) as "pay_missed!",
             coalesce(sum(stat_key) filter (where ack_in), 0)::bigint as "ack_in_key!",
             coalesce(sum(stat_key) filter (where ack_missed), 0)::bigint as "ack_missed_key!",
             coalesce(sum(stat_key) filter (where decide_in), 0)::bigint as "decide_in_key!",
             coalesce(sum(stat_key) filter (where decide_missed), 0)::bigint as "decide_missed_key!",
             coalesce(sum(stat_key) filter (where pay_in), 0)::bigint as "pay_in_key!",
             coalesce(sum(stat_key) filter (where pay_missed), 0)::bigint as "pay_missed_key!",
             count(ack_min) as "ack_n!",
             percentile_cont(0.5) within group (order by ack_min) as ack_p50,
             percentile_cont(0.9) within group (order by ack_min) as ack_p90,
             count(decide_min) as "decide_n!",
             percentile_cont(0.5) within group (order by decide_min) as decide_p50,
             percentile_cont(0.9) within group (order by decide_min) as decide_p90,
             count(pay_min) as "pay_n!",
             percentile_cont(0.5) within group (order by pay_min) as pay_p50,
             percentile_cont(0.9) within group (order by pay_min) as pay_p90
         from s group by month"#,
        from,
        to,
        f.country(),
        f.kind(),
        f.severity(),
        now,
        GrantState::DROPPED as _
    )
    .fetch_all(&mut *conn)
    .await?;
    let months = f.months();
    let at = |month: &str| rows.iter().find(|r| r.month == month);
    let columns = |names: &[&str]| names.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>();
    let table = |names: &[&str], value: &dyn Fn(&ClockRow) -> Vec<i64>| {
        let mut g = grid(months.clone(), columns(names), &[]);
        for (i, month) in months.iter().enumerate() {
            if let Some(row) = at(month) {
                g.cells[i] = value(row);
            }
        }
        g
    };
    let kept_columns =
        ["acknowledged in time", "acknowledged late", "decided in time", "decided late", "paid in time", "paid late"];
    let kept = Tally {
        counts: table(&kept_columns, &|r| {
            vec![r.ack_in, r.ack_missed, r.decide_in, r.decide_missed, r.pay_in, r.pay_missed]
        }),
        keys: table(&kept_columns, &|r| {
            vec![r.ack_in_key, r.ack_missed_key, r.decide_in_key, r.decide_missed_key, r.pay_in_key, r.pay_missed_key]
        }),
    };
    // Shares come from the perturbed counts, so they give away no more than those do.
    let noisy = perturb(&kept.counts, &kept.keys, k);
    let share = |i: i64, m: i64| if i + m > 0 { (100 * i + (i + m) / 2) / (i + m) } else { 0 };
    let mut shares = grid(months.clone(), columns(&["acknowledge", "decide", "pay"]), &[]);
    for (row, n) in shares.cells.iter_mut().zip(&noisy.cells) {
        *row = vec![share(n[0], n[1]), share(n[2], n[3]), share(n[4], n[5])];
    }
    // A share is shown only when both counts behind it could be shown.
    let share_basis = table(&["acknowledge", "decide", "pay"], &|r| {
        vec![r.ack_in.min(r.ack_missed), r.decide_in.min(r.decide_missed), r.pay_in.min(r.pay_missed)]
    });
    let minutes = |v: Option<f64>| v.map_or(0, |m| m.round() as i64);
    let times =
        table(&["acknowledge p50", "acknowledge p90", "decide p50", "decide p90", "pay p50", "pay p90"], &|r| {
            [r.ack_p50, r.ack_p90, r.decide_p50, r.decide_p90, r.pay_p50, r.pay_p90].map(minutes).to_vec()
        });
    let times_basis =
        table(&["acknowledge p50", "acknowledge p90", "decide p50", "decide p90", "pay p50", "pay p90"], &|r| {
            vec![r.ack_n, r.ack_n, r.decide_n, r.decide_n, r.pay_n, r.pay_n]
        });
    Ok(vec![
        per_cell_counts(
            "deadlines_kept",
            "Deadlines kept and missed, by month of intake",
            "For the cases that arrived each month: how many were acknowledged, decided and paid within their targets, and how many late or still waiting past them.",
            &kept,
            k,
        ),
        per_cell(
            "deadlines_share",
            "Share of deadlines kept, by month of intake",
            "The percentage of each month's cases whose acknowledge, decide and pay deadlines were kept.",
            Unit::Percent,
            &shares,
            &share_basis,
            k,
        ),
        per_cell(
            "deadlines_time",
            "Time to acknowledge, decide and pay, by month of intake",
            "Median (p50) and 90th percentile (p90) minutes from intake to acknowledgement, to the triage decision and to the first payment.",
            Unit::Minutes,
            &times,
            &times_basis,
            k,
        ),
    ])
}

/// Referral outcomes by month sent, and each partner's time to answer.
async fn referrals(conn: &mut PgConnection, f: &Filters, k: i64) -> sqlx::Result<Vec<Figure>> {
    let (from, to) = f.month_range();
    let outcomes: Quads = sqlx::query!(
        r#"select to_char(date_trunc('month', r.sent_at at time zone 'UTC'), 'YYYY-MM') as "month!", r.status,
                count(*) as "n!", sum(r.stat_key)::bigint as "key!"
         from referral r join cases c using (case_id)
         where r.sent_at >= $1 and r.sent_at < $2
           and ($3::text is null or c.country = $3) and ($4::text is null or c.kind = $4)
           and ($5::text is null or coalesce(c.severity, c.severity_hint) = $5)
         group by 1, 2"#,
        from,
        to,
        f.country(),
        f.kind(),
        f.severity()
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| (r.month, r.status, r.n, r.key))
    .collect();
    let partners: Vec<(String, i64, Option<f64>, Option<f64>)> = sqlx::query!(
        r#"select p.name, count(r.answered_at) as "answered!",
                percentile_cont(0.5) within group (order by extract(epoch from r.answered_at - r.sent_at) / 60) as p50,
                percentile_cont(0.9) within group (order by extract(epoch from r.answered_at - r.sent_at) / 60) as p90
         from referral r join partner p using (partner_id) join cases c using (case_id)
         where r.sent_at >= $1 and r.sent_at < $2
           and ($3::text is null or c.country = $3) and ($4::text is null or c.kind = $4)
           and ($5::text is null or coalesce(c.severity, c.severity_hint) = $5)
         group by p.name order by p.name"#,
        from,
        to,
        f.country(),
        f.kind(),
        f.severity()
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| (r.name, r.answered, r.p50, r.p90))
    .collect();
    let statuses = ["sent", "accepted", "declined", "concluded", "withdrawn"].map(str::to_owned).to_vec();
    let names: Vec<String> = partners.iter().map(|p| p.0.clone()).collect();
    let mut times = grid(names.clone(), vec!["p50".to_owned(), "p90".to_owned()], &[]);
    let mut basis = times.clone();
    for (i, (_, n, p50, p90)) in partners.iter().enumerate() {
        times.cells[i] = [p50, p90].map(|v| v.map_or(0, |m| m.round() as i64)).to_vec();
        basis.cells[i] = vec![*n, *n];
    }
    Ok(vec![
        counts(
            "referral_outcomes",
            "Referrals by month sent and where they stand",
            "Referrals sent to partner lawyers each month, by their state today.",
            &tally(f.months(), statuses, &outcomes),
            k,
        ),
        per_cell(
            "partner_response",
            "Partners' time to answer a referral",
            "Median (p50) and 90th percentile (p90) minutes from sending a referral to the partner's answer.",
            Unit::Minutes,
            &times,
            &basis,
            k,
        ),
    ])
}

/// Each active handler's open cases and overdue tasks, today.
async fn workload(conn: &mut PgConnection, k: i64, now: DateTime<Utc>) -> sqlx::Result<Figure> {
    let rows: Vec<(String, i64, i64)> = sqlx::query!(
        r#"select u.display_name,
                (select count(*) from cases c where c.assignee = u.staff_user_id and c.status <> 'closed') as "open!",
                (select count(*) from case_task t join cases c using (case_id)
                  where c.assignee = u.staff_user_id and c.status <> 'closed' and t.done_at is null and t.due_at < $1)
                    as "overdue!"
         from staff_user u where 'handler' = any(u.roles) and u.status = 'active' order by u.display_name"#,
        now
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| (r.display_name, r.open, r.overdue))
    .collect();
    let triples: Triples = rows
        .iter()
        .flat_map(|(name, open, overdue)| {
            [(name.clone(), "open cases".to_owned(), *open), (name.clone(), "overdue tasks".to_owned(), *overdue)]
        })
        .collect();
    let names = rows.iter().map(|r| r.0.clone()).collect();
    let g = grid(names, vec!["open cases".to_owned(), "overdue tasks".to_owned()], &triples);
    Ok(per_cell(
        "workload",
        "Handlers' load today",
        "Each active handler's open cases and overdue checklist tasks.",
        Unit::Count,
        &g,
        &g,
        k,
    ))
}

/// Every work figure.
pub(super) async fn figures(
    conn: &mut PgConnection,
    f: &Filters,
    k: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<Vec<Figure>> {
    let mut figures = requests(conn, f, k).await?;
    figures.push(open_cases(conn, f, k).await?);
    figures.extend(deadlines(conn, f, k, now).await?);
    figures.extend(referrals(conn, f, k).await?);
    figures.push(workload(conn, k, now).await?);
    Ok(figures)
}
