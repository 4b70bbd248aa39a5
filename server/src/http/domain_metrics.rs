//! What the network watches, read from the database at each scrape so that every instance
//! reports the same, whole figures: cases by state and severity, SLA breaches, notices
//! given up, payments. Labels are only fixed vocabularies (states, severities, clocks,
//! methods, currencies): never ids, names, countries or anything a person wrote.

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
    let cases: Vec<(String, String, i64)> = sqlx::query_as(
        "select s.status, v.severity, count(c.case_id)
         from (select unnest(array['new', 'acknowledged', 'active', 'on_hold', 'closed']) union select status from cases) s(status)
         cross join (select unnest(array['critical', 'high', 'medium', 'low', 'untriaged'])) v(severity)
         left join cases c on c.status = s.status and coalesce(c.severity, 'untriaged') = v.severity
         group by 1, 2",
    )
    .fetch_all(&mut *conn)
    .await?;
    metrics::gauge!("shelter_cases").set(cases.iter().map(|c| c.2).sum::<i64>() as f64);
    for (status, severity, count) in cases {
        metrics::gauge!("shelter_cases_by_state", "state" => status, "severity" => severity).set(count as f64);
    }
    let breaches: Vec<(String, i64, i64)> = sqlx::query_as(
        "select k.clock, count(c.case_id), count(c.case_id) filter (where c.status <> 'closed')
         from (select unnest(array['acknowledge', 'decide', 'disburse']) union select clock from sla_breach) k(clock)
         left join sla_breach b on b.clock = k.clock left join cases c on c.case_id = b.case_id
         group by 1",
    )
    .fetch_all(&mut *conn)
    .await?;
    for (clock, total, open) in breaches {
        metrics::gauge!("shelter_sla_breaches_total", "clock" => clock.clone()).set(total as f64);
        metrics::gauge!("shelter_sla_breaches_open", "clock" => clock).set(open as f64);
    }
    let notices: Vec<(String, String, i64)> = sqlx::query_as(
        "select k.channel, s.status, count(d.delivery_id)
         from (select unnest(array['email', 'webhook'])) k(channel)
         cross join (select unnest(array['pending', 'sent', 'failed'])) s(status)
         left join notice_delivery d on d.channel = k.channel and d.status = s.status
         group by 1, 2",
    )
    .fetch_all(&mut *conn)
    .await?;
    for (channel, status, count) in notices {
        metrics::gauge!("shelter_notice_deliveries", "channel" => channel, "status" => status).set(count as f64);
    }
    let payments: Vec<(String, String, i64, i64)> =
        sqlx::query_as("select method, currency, count(*), sum(paid_minor)::bigint from disbursement group by 1, 2")
            .fetch_all(&mut *conn)
            .await?;
    for (method, currency, count, paid) in payments {
        let labels = [("method", method), ("currency", currency)];
        metrics::gauge!("shelter_payments_total", &labels).set(count as f64);
        metrics::gauge!("shelter_payments_paid_minor_units", &labels).set(paid as f64);
    }
    Ok(())
}
