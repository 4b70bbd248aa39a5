//! What the network watches, read from the database at each scrape so that every instance
//! reports the same, whole figures: cases by state and severity, SLA breaches, notices
//! given up, payments. Labels are only fixed vocabularies (states, severities, clocks,
//! methods, currencies): never ids, names, countries or anything a person wrote.

use shelter_shared::case::CaseState;
use shelter_shared::intake::Severity;
use sqlx::PgPool;

/// Sets the domain gauges from the database; a scrape while the database is away keeps the
/// previous figures and says so in the log.
pub async fn refresh(db: &PgPool) {
    if let Err(error) = read(db).await {
        tracing::warn!(%error, "could not read the figures for /metrics");
    }
}

async fn read(db: &PgPool) -> sqlx::Result<()> {
    let mut conn = db.acquire().await?;
    // Every pair of state and severity, empty ones as zero, so a figure that falls to nothing
    // is reported as nothing rather than as its last value.
    // The states and severities are `shared`'s, and whatever else the table holds.
    let cases = sqlx::query!(
        r#"select s.status as "status!", v.severity as "severity!", count(c.case_id) as "count!"
         from (select unnest($1::text[]) union select status from cases) s(status)
         cross join (select unnest($2::text[]) union select 'untriaged') v(severity)
         left join cases c on c.status = s.status and coalesce(c.severity, 'untriaged') = v.severity
         group by 1, 2"#,
        CaseState::ALL as &[CaseState],
        Severity::ALL as &[Severity]
    )
    .fetch_all(&mut *conn)
    .await?;
    metrics::gauge!("shelter_cases").set(cases.iter().map(|c| c.count).sum::<i64>() as f64);
    for row in cases {
        metrics::gauge!("shelter_cases_by_state", "state" => row.status, "severity" => row.severity)
            .set(row.count as f64);
    }
    let breaches = sqlx::query!(
        r#"select k.clock as "clock!", count(c.case_id) as "total!",
                count(c.case_id) filter (where c.status <> $1) as "open!"
         from (select unnest(array['acknowledge', 'decide', 'disburse']) union select clock from sla_breach) k(clock)
         left join sla_breach b on b.clock = k.clock left join cases c on c.case_id = b.case_id
         group by 1"#,
        CaseState::Closed as _
    )
    .fetch_all(&mut *conn)
    .await?;
    for row in breaches {
        let (clock, total, open) = (row.clock, row.total, row.open);
        metrics::gauge!("shelter_sla_breaches_total", "clock" => clock.clone()).set(total as f64);
        metrics::gauge!("shelter_sla_breaches_open", "clock" => clock).set(open as f64);
    }
    let notices = sqlx::query!(
        r#"select k.channel as "channel!", s.status as "status!", count(d.delivery_id) as "count!"
         from (select unnest(array['email', 'webhook'])) k(channel)
         cross join (select unnest(array['pending', 'sent', 'failed'])) s(status)
         left join notice_delivery d on d.channel = k.channel and d.status = s.status
         group by 1, 2"#
    )
    .fetch_all(&mut *conn)
    .await?;
    for row in notices {
        let (channel, status, count) = (row.channel, row.status, row.count);
        metrics::gauge!("shelter_notice_deliveries", "channel" => channel, "status" => status).set(count as f64);
    }
    let payments = sqlx::query!(
        r#"select method, currency, count(*) as "count!", sum(paid_minor)::bigint as "paid!"
         from disbursement group by 1, 2"#
    )
    .fetch_all(&mut *conn)
    .await?;
    for row in payments {
        let (method, currency, count, paid) = (row.method, row.currency, row.count, row.paid);
        let labels = [("method", method), ("currency", currency)];
        metrics::gauge!("shelter_payments_total", &labels).set(count as f64);
        metrics::gauge!("shelter_payments_paid_minor_units", &labels).set(paid as f64);
    }
    Ok(())
}
