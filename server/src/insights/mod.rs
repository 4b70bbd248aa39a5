//! Insights: how the network keeps its promises and where the money goes, for supervisors
//! (finance sees the money part), and the donor report. Every figure is counted in SQL on
//! the request's one connection and published only after small-cell suppression
//! (`shelter_shared::suppress`), so the page, the API, the CSV and the command line show
//! the same suppressed numbers.

pub mod cli;
mod donor;
pub mod flight;
mod money;
mod work;

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use shelter_shared::insights::{Figure, Insights, Unit};
use shelter_shared::intake::{CountryCode, IncidentKind, Severity};
use shelter_shared::perturb::perturb;
use shelter_shared::suppress::{Grid, Published, publish};
use sqlx::{Connection, PgConnection};

pub use donor::{donor_csv, donor_report};

use crate::policy::InsightParts;

/// The longest period one view covers.
pub const MAX_DAYS: i64 = 800;

/// What the figures cover: a period of whole days and optional case filters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filters {
    /// First day, inclusive.
    pub from: NaiveDate,
    /// Last day, inclusive.
    pub to: NaiveDate,
    /// Only cases in this country.
    pub country: Option<CountryCode>,
    /// Only cases of this kind.
    pub kind: Option<IncidentKind>,
    /// Only cases of this severity (the requester's hint until triage).
    pub severity: Option<Severity>,
    /// Only grants of this fund (money figures).
    pub fund: Option<uuid::Uuid>,
}

impl Filters {
    /// Parses the query: dates `YYYY-MM-DD` (default the 90 days to `today`), a country
    /// code, a kind and a severity, each optional; a clear message for anything else.
    pub fn parse(
        from: Option<&str>,
        to: Option<&str>,
        country: Option<&str>,
        kind: Option<&str>,
        severity: Option<&str>,
        today: NaiveDate,
    ) -> Result<Filters, &'static str> {
        fn given(v: Option<&str>) -> Option<&str> {
            v.map(str::trim).filter(|v| !v.is_empty())
        }
        let date = |v: &str| NaiveDate::parse_from_str(v, "%Y-%m-%d").map_err(|_| "dates are YYYY-MM-DD");
        let sane = |d: NaiveDate| {
            if (2000..=2100).contains(&d.year()) { Ok(d) } else { Err("dates lie between 2000 and 2100") }
        };
        let to = sane(given(to).map(date).transpose()?.unwrap_or(today))?;
        let from = sane(given(from).map(date).transpose()?.unwrap_or(to - Duration::days(89)))?;
        if from > to {
            return Err("the period must start on or before its last day");
        }
        if (to - from).num_days() > MAX_DAYS {
            return Err("a period covers at most 800 days");
        }
        Ok(Filters {
            from,
            to,
            country: given(country)
                .map(CountryCode::parse)
                .transpose()
                .map_err(|_| "country must be an ISO 3166-1 alpha-2 code")?,
            kind: given(kind).map(str::parse).transpose().map_err(|_| "unknown incident kind")?,
            severity: given(severity).map(str::parse).transpose().map_err(|_| "unknown severity")?,
            fund: None,
        })
    }

    /// The whole weeks (Monday to Sunday) the period touches, as a half-open range of
    /// instants. Figures count whole weeks and months only: a period cut mid-week would make
    /// a new set of cases, with a fresh draw of noise, for every choice of day.
    fn week_range(&self) -> (DateTime<Utc>, DateTime<Utc>) {
        let monday = |d: NaiveDate| d - Duration::days(i64::from(d.weekday().num_days_from_monday()));
        (start_of(monday(self.from)), start_of(monday(self.to) + Duration::weeks(1)))
    }

    /// The whole months the period touches, as a half-open range of instants.
    fn month_range(&self) -> (DateTime<Utc>, DateTime<Utc>) {
        let (first, last) = self.whole_months();
        (start_of(first), start_of(last + Duration::days(1)))
    }

    /// What a reader without the work part may filter by: the period, country and fund, never
    /// the kind or severity of cases (finance's register leaves those out too).
    pub fn for_parts(mut self, parts: InsightParts) -> Filters {
        if !parts.work {
            (self.kind, self.severity) = (None, None);
        }
        self
    }

    /// A donor report covers whole calendar months and is never narrowed by case facts, so
    /// that two reports cannot be subtracted to single out a day or a kind of case.
    pub fn for_donors(mut self) -> Result<Filters, &'static str> {
        if self.from.day() != 1 || self.to.succ_opt().is_none_or(|d| d.day() != 1) {
            return Err("a donor report covers whole months: from the 1st to the last day of a month");
        }
        (self.country, self.kind, self.severity) = (None, None, None);
        Ok(self)
    }

    /// The whole months the period touches: first day of the first, last day of the last.
    pub fn whole_months(&self) -> (NaiveDate, NaiveDate) {
        let first = self.from.with_day(1).unwrap_or(self.from);
        let (y, m) =
            if self.to.month() == 12 { (self.to.year() + 1, 1) } else { (self.to.year(), self.to.month() + 1) };
        let last = NaiveDate::from_ymd_opt(y, m, 1).and_then(|d| d.pred_opt()).unwrap_or(self.to);
        (first, last)
    }

    /// Only grants of `fund`: given as an id, else a clear message.
    pub fn with_fund(mut self, fund: Option<&str>) -> Result<Filters, &'static str> {
        self.fund = fund
            .map(str::trim)
            .filter(|f| !f.is_empty())
            .map(str::parse)
            .transpose()
            .map_err(|_| "fund must be a fund's id")?;
        Ok(self)
    }

    fn country(&self) -> Option<&str> {
        self.country.as_ref().map(CountryCode::as_str)
    }

    fn kind(&self) -> Option<&str> {
        self.kind.map(IncidentKind::as_str)
    }

    fn severity(&self) -> Option<&str> {
        self.severity.map(Severity::as_str)
    }

    /// Mondays of the weeks the period touches, `YYYY-MM-DD`.
    fn weeks(&self) -> Vec<String> {
        let monday = self.from - Duration::days(i64::from(self.from.weekday().num_days_from_monday()));
        (0..).map(|w| monday + Duration::weeks(w)).take_while(|d| *d <= self.to).map(|d| d.to_string()).collect()
    }

    /// The months the period touches, `YYYY-MM`.
    fn months(&self) -> Vec<String> {
        let mut months = Vec::new();
        let (mut year, mut month) = (self.from.year(), self.from.month());
        while (year, month) <= (self.to.year(), self.to.month()) {
            months.push(format!("{year:04}-{month:02}"));
            (year, month) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
        }
        months
    }
}

/// Midnight UTC at the start of `day`.
fn start_of(day: NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()
}

/// A grid from `(row, column, value)` triples, with the given rows and columns first (so
/// empty ones show) and any others the data names after them.
pub(crate) fn grid(rows: Vec<String>, columns: Vec<String>, triples: &[(String, String, i64)]) -> Grid {
    let extend = |mut labels: Vec<String>, found: BTreeSet<&String>| {
        for label in found {
            if !labels.contains(label) {
                labels.push(label.clone());
            }
        }
        labels
    };
    let rows = extend(rows, triples.iter().map(|t| &t.0).collect());
    let columns = extend(columns, triples.iter().map(|t| &t.1).collect());
    let mut cells = vec![vec![0; columns.len()]; rows.len()];
    for (row, column, value) in triples {
        if let (Some(i), Some(j)) = (rows.iter().position(|r| r == row), columns.iter().position(|c| c == column)) {
            cells[i][j] += value;
        }
    }
    Grid { rows, columns, cells }
}

/// Counts with, cell by cell, the sum of the statistical keys of the records behind them.
pub(crate) struct Tally {
    pub(crate) counts: Grid,
    pub(crate) keys: Grid,
}

/// `(row, column, count, key sum)` rows: a row's key sum is `sum(stat_key)` over its records.
pub(crate) type Quads = Vec<(String, String, i64, i64)>;

/// A tally from `(row, column, count, key sum)` rows, laid out as [`grid`] lays out counts.
pub(crate) fn tally(rows: Vec<String>, columns: Vec<String>, quads: &[(String, String, i64, i64)]) -> Tally {
    let pick = |value: fn(&(String, String, i64, i64)) -> i64| {
        quads.iter().map(|q| (q.0.clone(), q.1.clone(), value(q))).collect::<Vec<_>>()
    };
    Tally { counts: grid(rows.clone(), columns.clone(), &pick(|q| q.2)), keys: grid(rows, columns, &pick(|q| q.3)) }
}

/// A figure of counts that add up: perturbed, then suppressed with its totals.
pub(crate) fn counts(id: &str, title: &str, description: &str, tally: &Tally, k: i64) -> Figure {
    let published = publish(&perturb(&tally.counts, &tally.keys, k), k);
    figure(id, title, description, Unit::Count, true, published)
}

/// A figure whose cells do not add up (times, shares, mixed columns): each cell is shown only
/// if the number of items behind it (`basis`, same shape) is at least `k` (or, for counts,
/// zero); no totals are published, so no hidden cell can be worked out from them.
pub(crate) fn per_cell(
    id: &str,
    title: &str,
    description: &str,
    unit: Unit,
    values: &Grid,
    basis: &Grid,
    k: i64,
) -> Figure {
    let cells = values
        .cells
        .iter()
        .zip(&basis.cells)
        .map(|(row, n)| {
            row.iter().zip(n).map(|(v, n)| (*n >= k || (*n == 0 && unit == Unit::Count)).then_some(*v)).collect()
        })
        .collect();
    let table = Published {
        rows: values.rows.clone(),
        columns: values.columns.clone(),
        cells,
        row_totals: vec![None; values.rows.len()],
        column_totals: vec![None; values.columns.len()],
        total: None,
        k,
    };
    figure(id, title, description, unit, false, table)
}

/// Counts that do not add up (mixed columns), perturbed, each shown only if at least `k`
/// (or zero).
pub(crate) fn per_cell_counts(id: &str, title: &str, description: &str, tally: &Tally, k: i64) -> Figure {
    let noisy = perturb(&tally.counts, &tally.keys, k);
    per_cell(id, title, description, Unit::Count, &noisy, &tally.counts, k)
}

pub(crate) fn figure(id: &str, title: &str, description: &str, unit: Unit, additive: bool, table: Published) -> Figure {
    Figure { id: id.to_owned(), title: title.to_owned(), description: description.to_owned(), unit, additive, table }
}

/// Every figure `parts` allows, for `filters`, suppressed at `k`, read on `conn`.
pub async fn dashboard(
    conn: &mut PgConnection,
    parts: InsightParts,
    filters: &Filters,
    k: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<Insights> {
    let mut tx = planned_per_period(conn).await?;
    let mut figures = Vec::new();
    if parts.work {
        figures.extend(work::figures(&mut tx, filters, k, now).await?);
    }
    if parts.money {
        figures.extend(money::figures(&mut tx, filters, k).await?);
    }
    tx.commit().await?;
    Ok(Insights { from: filters.from.to_string(), to: filters.to.to_string(), k, figures })
}

/// A transaction (a savepoint inside the caller's) whose queries are planned for their own
/// period every time. PostgreSQL's generic plan for a prepared statement, used after five
/// runs on a connection, guesses one case per period and joins 100,000 by nested loop:
/// 73 s instead of 0.3 s, measured on the benchmark's data.
pub(crate) async fn planned_per_period(conn: &mut PgConnection) -> sqlx::Result<sqlx::Transaction<'_, sqlx::Postgres>> {
    let mut tx = conn.begin().await?;
    sqlx::query!("set local plan_cache_mode = force_custom_plan").execute(&mut *tx).await?;
    Ok(tx)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn filters_default_to_ninety_days_and_refuse_nonsense() -> Result<(), &'static str> {
        let f = Filters::parse(None, None, None, None, None, day("2026-03-31"))?;
        assert_eq!((f.from, f.to), (day("2026-01-01"), day("2026-03-31")));
        assert!(Filters::parse(Some("2026-04-01"), Some("2026-03-01"), None, None, None, day("2026-03-31")).is_err());
        assert!(Filters::parse(Some("yesterday"), None, None, None, None, day("2026-03-31")).is_err());
        assert!(Filters::parse(None, None, Some("XX"), None, None, day("2026-03-31")).is_err());
        assert!(Filters::parse(None, None, None, Some("arson"), None, day("2026-03-31")).is_err());
        assert!(Filters::parse(Some("2020-01-01"), Some("2026-01-01"), None, None, None, day("2026-03-31")).is_err());
        Ok(())
    }

    #[test]
    fn weeks_and_months_cover_the_period() -> Result<(), &'static str> {
        let f = Filters::parse(Some("2026-02-25"), Some("2026-03-03"), None, None, None, day("2026-03-31"))?;
        assert_eq!(f.weeks(), ["2026-02-23", "2026-03-02"]);
        assert_eq!(f.months(), ["2026-02", "2026-03"]);
        Ok(())
    }
}
