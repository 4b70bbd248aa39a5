//! The donor report: the period's figures a donor of emergency funds asks for each quarter,
//! suppressed like everything else, as a printable page, CSV or from the command line.

use chrono::{DateTime, Utc};
use shelter_shared::insights::{Figure, Insights};
use shelter_shared::intake::IncidentKind;
use sqlx::PgConnection;

use super::{Filters, Quads, counts, money, planned_per_period, tally, work};
use crate::policy::InsightParts;

/// Requests of the whole period by country and kind.
async fn requests(conn: &mut PgConnection, f: &Filters, k: i64) -> sqlx::Result<Figure> {
    let (from, to) = f.month_range();
    let rows: Quads = sqlx::query!(
        r#"select c.country, c.kind, count(*) as "n!", sum(c.stat_key)::bigint as "key!" from cases c
         where c.created_at >= $1 and c.created_at < $2
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
    .map(|r| (r.country, r.kind, r.n, r.key))
    .collect();
    let kinds = IncidentKind::ALL.iter().map(|k| k.as_str().to_owned()).collect();
    Ok(counts(
        "requests",
        "Requests by country and kind",
        "Requests for help that arrived in the period, by the country where it happens and the kind of incident.",
        &tally(Vec::new(), kinds, &rows),
        k,
    ))
}

/// The report's figures: requests, deadlines kept, and the money of the fund (or all funds).
pub async fn donor_report(
    conn: &mut PgConnection,
    parts: InsightParts,
    f: &Filters,
    k: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<Insights> {
    let mut tx = planned_per_period(conn).await?;
    let mut figures = Vec::new();
    if parts.work {
        figures.push(requests(&mut tx, f, k).await?);
        figures.extend(work::figures(&mut tx, f, k, now).await?.into_iter().filter(|f| f.id == "deadlines_share"));
    }
    let wanted = ["grants_by_category", "grant_amounts", "grants_by_country", "fund_burn"];
    figures.extend(money::figures(&mut tx, f, k).await?.into_iter().filter(|f| wanted.contains(&f.id.as_str())));
    tx.commit().await?;
    Ok(Insights { from: f.from.to_string(), to: f.to.to_string(), k, figures })
}

/// A label a spreadsheet will not run as a formula (a fund or partner name may start with `=`).
fn inert(label: &str) -> String {
    if label.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{label}") } else { label.to_owned() }
}

/// The report as CSV: one line per published cell, `< k` where hidden.
pub fn donor_csv(report: &Insights) -> anyhow::Result<Vec<u8>> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(["figure", "row", "column", "value", "unit", "from", "to"])?;
    let hidden = format!("< {}", report.k);
    let unit =
        |f: &Figure| serde_json::to_value(f.unit).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
    for figure in &report.figures {
        let t = &figure.table;
        let mut line = |row: &str, column: &str, value: Option<i64>| {
            let value = value.map_or_else(|| hidden.clone(), |v| v.to_string());
            let (row, column) = (inert(row), inert(column));
            out.write_record([figure.id.as_str(), &row, &column, &value, &unit(figure), &report.from, &report.to])
        };
        for (row, cells) in t.rows.iter().zip(&t.cells) {
            for (column, value) in t.columns.iter().zip(cells) {
                line(row, column, *value)?;
            }
        }
        if figure.additive {
            for (row, total) in t.rows.iter().zip(&t.row_totals) {
                line(row, "total", *total)?;
            }
            for (column, total) in t.columns.iter().zip(&t.column_totals) {
                line("total", column, *total)?;
            }
            line("total", "total", t.total)?;
        }
    }
    Ok(out.into_inner()?)
}
