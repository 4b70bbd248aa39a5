//! The money figures: grants by category, country, fund and month, amounts per currency,
//! and each fund's spending against its budget. Amounts are hidden wherever the number of
//! grants behind them is.

use shelter_shared::grant::{GrantCategory, GrantState};
use shelter_shared::insights::{Figure, Unit};
use std::collections::{BTreeMap, BTreeSet};

use shelter_shared::suppress::Published;
use sqlx::PgConnection;

use super::{Filters, Tally, counts, figure, grid, per_cell};

struct GrantRow {
    month: String,
    category: String,
    country: String,
    fund: String,
    currency: String,
    grants: i64,
    key_sum: i64,
    amount_minor: i64,
}

/// Grants proposed in the whole months of the period that were not rejected or cancelled,
/// grouped finely. Money is never narrowed by country, kind or severity (only by fund): an
/// amount for one country beside the amount for all would single out the others.
async fn grants(conn: &mut PgConnection, f: &Filters) -> sqlx::Result<Vec<GrantRow>> {
    let (from, to) = f.month_range();
    sqlx::query_as!(
        GrantRow,
        r#"select to_char(date_trunc('month', g.created_at at time zone 'UTC'), 'YYYY-MM') as "month!", g.category,
                g.country, fu.name as fund, g.currency, count(*) as "grants!",
                sum(g.stat_key)::bigint as "key_sum!", sum(g.amount_minor)::bigint as "amount_minor!"
         from grants g join fund fu using (fund_id)
         where g.created_at >= $1 and g.created_at < $2 and g.status <> all($4)
           and ($3::uuid is null or g.fund_id = $3)
         group by 1, 2, 3, 4, 5"#,
        from,
        to,
        f.fund,
        GrantState::DROPPED as _
    )
    .fetch_all(&mut *conn)
    .await
}

struct FundRow {
    name: String,
    currency: String,
    budget_minor: i64,
    /// Grants holding a reservation now, and payments standing: what each amount rests on.
    holding: i64,
    paid: i64,
    committed_minor: i64,
    disbursed_minor: i64,
}

/// Each fund whose period overlaps the view: budget, committed and paid from the ledger.
async fn funds(conn: &mut PgConnection, f: &Filters) -> sqlx::Result<Vec<FundRow>> {
    sqlx::query_as!(
        FundRow,
        r#"select f.name, f.currency, f.budget_minor,
            (count(*) filter (where e.kind = 'reservation') - count(*) filter (where e.kind = 'release')) as "holding!",
            (count(*) filter (where e.kind = 'payment') - count(*) filter (where e.kind = 'reversal')) as "paid!",
            (coalesce(sum(e.amount_minor) filter (where e.kind = 'reservation'), 0)
              - coalesce(sum(e.amount_minor) filter (where e.kind = 'release'), 0))::bigint as "committed_minor!",
            (coalesce(sum(e.amount_minor) filter (where e.kind = 'payment'), 0)
              - coalesce(sum(e.amount_minor) filter (where e.kind = 'reversal'), 0))::bigint as "disbursed_minor!"
         from fund f left join fund_entry e using (fund_id)
         where f.period_start <= $2 and f.period_end >= $1 and ($3::uuid is null or f.fund_id = $3)
         group by f.fund_id order by f.name"#,
        f.from,
        f.to,
        f.fund
    )
    .fetch_all(&mut *conn)
    .await
}

/// Amounts by category, in each currency, and for all categories. An amount is shown only
/// when every group of grants inside it — one category, currency, fund and month — is empty
/// or at least `k` strong: every shown amount is then a sum of such groups, and no two
/// views, however their periods and funds overlap, subtract down to fewer than `k` grants.
fn amounts(rows: &[GrantRow], mut categories: Vec<String>, k: i64) -> Published {
    let mut groups: BTreeMap<(&str, &str, &str, &str), (i64, i64)> = BTreeMap::new();
    for r in rows {
        let group = groups.entry((&r.category, &r.currency, &r.fund, &r.month)).or_default();
        (group.0, group.1) = (group.0 + r.grants, group.1 + r.amount_minor);
    }
    let currencies: Vec<String> =
        rows.iter().map(|r| r.currency.clone()).collect::<BTreeSet<_>>().into_iter().collect();
    for r in rows {
        if !categories.contains(&r.category) {
            categories.push(r.category.clone());
        }
    }
    let all = "all categories";
    // The sum of the groups `inside` picks out, if all of them are safe to show.
    let sum = |inside: &dyn Fn(&str, &str) -> bool| {
        let picked = groups.iter().filter(|((category, currency, _, _), _)| inside(category, currency));
        picked.map(|(_, (n, amount))| (*n >= k).then_some(*amount)).sum::<Option<i64>>()
    };
    let cells = categories
        .iter()
        .map(|row| currencies.iter().map(|cur| sum(&|category, currency| category == row && currency == cur)).collect())
        .chain(std::iter::once(currencies.iter().map(|cur| sum(&|_, currency| currency == cur)).collect()))
        .collect();
    categories.push(all.to_owned());
    Published {
        row_totals: vec![None; categories.len()],
        column_totals: vec![None; currencies.len()],
        rows: categories,
        columns: currencies,
        cells,
        total: None,
        k,
    }
}

/// Every money figure.
pub(super) async fn figures(conn: &mut PgConnection, f: &Filters, k: i64) -> sqlx::Result<Vec<Figure>> {
    let rows = grants(conn, f).await?;
    let categories: Vec<String> = GrantCategory::ALL.iter().map(|c| c.as_str().to_owned()).collect();
    let pick = |row: fn(&GrantRow) -> String, column: fn(&GrantRow) -> String, value: fn(&GrantRow) -> i64| {
        rows.iter().map(|r| (row(r), column(r), value(r))).collect::<Vec<_>>()
    };
    // Grants counted, with the key sums their noise is drawn from.
    let count =
        |rows: Vec<String>, columns: Vec<String>, row: fn(&GrantRow) -> String, column: fn(&GrantRow) -> String| {
            Tally {
                counts: grid(rows.clone(), columns.clone(), &pick(row, column, |r| r.grants)),
                keys: grid(rows, columns, &pick(row, column, |r| r.key_sum)),
            }
        };
    let by_month = count(categories.clone(), f.months(), |r| r.category.clone(), |r| r.month.clone());
    let by_country = count(Vec::new(), categories.clone(), |r| r.country.clone(), |r| r.category.clone());
    let by_fund = count(Vec::new(), f.months(), |r| r.fund.clone(), |r| r.month.clone());
    let amounts = amounts(&rows, categories.clone(), k);

    let funds = funds(conn, f).await?;
    let names: Vec<String> = funds.iter().map(|r| format!("{} ({})", r.name, r.currency)).collect();
    let columns = ["budget", "committed", "paid", "left"].map(str::to_owned).to_vec();
    let mut burn = grid(names.clone(), columns.clone(), &[]);
    let mut basis = burn.clone();
    for (i, fund) in funds.iter().enumerate() {
        let left = fund.budget_minor - fund.committed_minor - fund.disbursed_minor;
        burn.cells[i] = vec![fund.budget_minor, fund.committed_minor, fund.disbursed_minor, left];
        // The budget is the donor's, not anyone's grant: always shown. Each amount shows only
        // when enough grants stand behind it; what is left follows from the other two.
        basis.cells[i] = vec![k, fund.holding, fund.paid, fund.holding.min(fund.paid)];
    }
    Ok(vec![
        counts(
            "grants_by_category",
            "Grants by category and month",
            "Grants proposed each month and not rejected or cancelled, by what they pay for.",
            &by_month,
            k,
        ),
        figure(
            "grant_amounts",
            "Grant amounts by category and currency",
            "The sum of those grants in each currency; hidden wherever fewer than the threshold of grants of one fund in one month stand behind part of it.",
            Unit::MinorUnits,
            false,
            amounts,
        ),
        counts(
            "grants_by_country",
            "Grants by country and category",
            "Grants of the period by the country where the case is, and what they pay for.",
            &by_country,
            k,
        ),
        counts(
            "grants_by_fund",
            "Grants by fund and month",
            "Grants of the period by the fund that pays them.",
            &by_fund,
            k,
        ),
        per_cell(
            "fund_burn",
            "Funds: budget, committed, paid and left",
            "Each fund running in the period, in its own currency: its budget, what approved grants hold, what was paid, and what is left.",
            Unit::MinorUnits,
            &burn,
            &basis,
            k,
        ),
    ])
}
