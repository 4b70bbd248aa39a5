//! The grant register for supervisors and finance: grants without case content, totals by
//! fund, category, country and month, fund balances, and a CSV export.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use shelter_shared::grant::{GrantCategory, GrantState};
use sqlx::{FromRow, Postgres, QueryBuilder};
use uuid::Uuid;

use super::Grants;
use super::funds::FundBalance;
use crate::cases::triage::{Staff, WorkError};
use crate::policy::{CaseAccess, CaseFacts, case_access};

/// The register's filters, as a query string carries them (all optional).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RegisterParams {
    /// A fund, by id or by name.
    #[serde(default)]
    pub fund: Option<String>,
    /// A state: proposed, approved, …
    #[serde(default)]
    pub status: Option<String>,
    /// A category: legal_fees, bail, …
    #[serde(default)]
    pub category: Option<String>,
    /// An ISO 3166 alpha-2 country.
    #[serde(default)]
    pub country: Option<String>,
    /// Proposed on or after (YYYY-MM-DD).
    #[serde(default)]
    pub from: Option<String>,
    /// Proposed on or before (YYYY-MM-DD).
    #[serde(default)]
    pub to: Option<String>,
}

/// Checked filters.
#[derive(Debug, Clone, Default)]
pub struct RegisterFilter {
    fund: Option<Result<Uuid, String>>,
    status: Option<GrantState>,
    category: Option<GrantCategory>,
    country: Option<String>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
}

fn blank(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

impl RegisterParams {
    /// The filters, or a message naming the one that is wrong.
    pub fn parse(&self) -> Result<RegisterFilter, String> {
        let date = |value: &Option<String>, name: &str| {
            blank(value)
                .map(|v| {
                    NaiveDate::parse_from_str(v, "%Y-%m-%d").map_err(|_| format!("{name}: write a date as YYYY-MM-DD"))
                })
                .transpose()
        };
        Ok(RegisterFilter {
            fund: blank(&self.fund).map(|v| v.parse::<Uuid>().map_err(|_| v.to_owned())),
            status: blank(&self.status).map(str::parse).transpose()?,
            category: blank(&self.category).map(str::parse).transpose()?,
            country: blank(&self.country).map(str::to_ascii_uppercase),
            from: date(&self.from, "from")?,
            to: date(&self.to, "to")?,
        })
    }
}

/// A grant in the register.
#[derive(Debug, Clone, Serialize, FromRow, utoipa::ToSchema)]
pub struct RegisterLine {
    /// Id.
    pub grant_id: Uuid,
    /// Proposed.
    pub created_at: DateTime<Utc>,
    /// Fund.
    pub fund_name: String,
    /// Category.
    pub category: String,
    /// Country.
    pub country: String,
    /// State.
    pub status: String,
    /// Tier.
    pub tier: String,
    /// Amount, minor units of `currency`.
    pub amount_minor: i64,
    /// Currency.
    pub currency: String,
    /// In the fund's currency, minor units.
    pub fund_amount_minor: i64,
    /// The fund's currency.
    pub fund_currency: String,
    /// Payee alias.
    pub payee_alias: String,
    /// The day it was paid.
    pub paid_on: Option<NaiveDate>,
    /// Paid plus fees, in the fund's currency.
    pub paid_minor: Option<i64>,
    /// The case's reference, for a reader who may see the case (a supervisor, or its
    /// handler); none for finance, who reconcile by alias and payment reference.
    pub case_reference: Option<String>,
    /// How it was paid, once paid.
    pub method: Option<String>,
    /// Fees, minor units of the grant's currency, once paid.
    pub fees_minor: Option<i64>,
    /// The transfer's reference, once paid (to match bank statements).
    pub external_reference: Option<String>,
}

/// A register line with the case's assignee, which decides whether the reader sees the
/// case reference.
#[derive(FromRow)]
struct LineRow {
    #[sqlx(flatten)]
    line: RegisterLine,
    assignee: Option<Uuid>,
}

/// A totals row: grants by one key, in one currency (a fund's).
#[derive(Debug, Clone, Serialize, FromRow, utoipa::ToSchema)]
pub struct TotalRow {
    /// The key: a fund name, category, country or month (YYYY-MM).
    pub key: String,
    /// The fund currency the sums are in.
    pub currency: String,
    /// Grants.
    pub count: i64,
    /// Approved and not yet paid, minor units.
    pub committed_minor: i64,
    /// Paid (reversals excluded), minor units.
    pub paid_minor: i64,
}

/// A totals row and which of the four totals it belongs to (0: fund, 1: category,
/// 2: country, 3: month).
#[derive(FromRow)]
struct DimensionRow {
    dimension: i32,
    #[sqlx(flatten)]
    total: TotalRow,
}

/// The register.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Register {
    /// Matching grants, newest first (at most 500).
    pub grants: Vec<RegisterLine>,
    /// Totals by fund.
    pub by_fund: Vec<TotalRow>,
    /// Totals by category.
    pub by_category: Vec<TotalRow>,
    /// Totals by country.
    pub by_country: Vec<TotalRow>,
    /// Totals by month proposed.
    pub by_month: Vec<TotalRow>,
    /// Every fund's balances.
    pub funds: Vec<FundBalance>,
}

/// Grants listed at most.
pub const LIMIT: i64 = 500;

/// What the register reads: the grants with their fund, case and payment.
const FROM: &str = " from grants g join fund f using (fund_id) join cases c using (case_id)
    left join disbursement d using (grant_id)
    where true";

/// Grants of cases `reader` declared a conflict on are left out, totals included.
fn push_filter(builder: &mut QueryBuilder<'_, Postgres>, filter: &RegisterFilter, reader: Uuid) {
    builder
        .push(" and not exists (select 1 from case_conflict x where x.case_id = g.case_id and x.staff_user_id = ")
        .push_bind(reader)
        .push(")");
    match &filter.fund {
        Some(Ok(id)) => {
            builder.push(" and g.fund_id = ").push_bind(*id);
        }
        Some(Err(name)) => {
            builder.push(" and f.name = ").push_bind(name.clone());
        }
        None => {}
    }
    if let Some(status) = filter.status {
        builder.push(" and g.status = ").push_bind(status);
    }
    if let Some(category) = filter.category {
        builder.push(" and g.category = ").push_bind(category);
    }
    if let Some(country) = &filter.country {
        builder.push(" and g.country = ").push_bind(country.clone());
    }
    if let Some(from) = filter.from {
        builder.push(" and g.created_at >= ").push_bind(from).push("::date");
    }
    if let Some(to) = filter.to {
        builder.push(" and g.created_at < (").push_bind(to).push("::date + 1)");
    }
}

impl Grants {
    /// The register under `filter`.
    pub async fn register(
        &self,
        filter: &RegisterFilter,
        limit: i64,
        reader: Staff<'_>,
    ) -> Result<Register, WorkError> {
        let mut lines = QueryBuilder::new(
            "select g.grant_id, g.created_at, f.name as fund_name, g.category, g.country, g.status, g.tier,
                    g.amount_minor, g.currency, g.fund_amount_minor, f.currency as fund_currency, g.payee_alias,
                    d.paid_on, d.fund_amount_minor as paid_minor, c.reference as case_reference, c.assignee,
                    d.method, d.fees_minor, d.external_reference",
        );
        lines.push(FROM);
        push_filter(&mut lines, filter, reader.id);
        lines.push(" order by g.created_at desc limit ").push_bind(limit);
        let rows: Vec<LineRow> = lines.build_query_as().fetch_all(&self.cases.db).await?;
        // Conflicted cases are filtered out above; the policy decides the rest.
        let grants = rows
            .into_iter()
            .map(|r| {
                let facts = CaseFacts { is_assignee: r.assignee == Some(reader.id), conflicted: false };
                let sees_case = case_access(reader.roles, facts) == CaseAccess::Full;
                RegisterLine { case_reference: r.line.case_reference.filter(|_| sees_case), ..r.line }
            })
            .collect();
        // The four totals in one pass over the matching grants (grouping sets), not four.
        // What is committed is what the fund still holds for each grant, kept on the grant's
        // row by a trigger on the ledger (migration 0031) rather than summed from the ledger.
        let mut builder = QueryBuilder::new(
            "select case when grouping(f.name) = 0 then 0 when grouping(g.category) = 0 then 1
                         when grouping(g.country) = 0 then 2 else 3 end as dimension,
                    coalesce(f.name, g.category, g.country, to_char(g.created_at at time zone 'UTC', 'YYYY-MM')) as key,
                    f.currency, count(*) as count,
                    coalesce(sum(g.fund_amount_minor) filter (where g.reservation_held), 0)::bigint as committed_minor,
                    coalesce(sum(d.fund_amount_minor) filter (where g.status = any(",
        );
        builder.push_bind(GrantState::PAID).push(")), 0)::bigint as paid_minor");
        builder.push(FROM);
        push_filter(&mut builder, filter, reader.id);
        builder.push(
            " group by grouping sets ((f.name, f.currency), (g.category, f.currency), (g.country, f.currency),
                                     (to_char(g.created_at at time zone 'UTC', 'YYYY-MM'), f.currency))
              order by 1, 2, 3",
        );
        let rows: Vec<DimensionRow> = builder.build_query_as().fetch_all(&self.cases.db).await?;
        let mut totals: [Vec<TotalRow>; 4] = Default::default();
        for row in rows {
            if let Some(list) = usize::try_from(row.dimension).ok().and_then(|d| totals.get_mut(d)) {
                list.push(row.total);
            }
        }
        let [by_fund, by_category, by_country, by_month] = totals;
        Ok(Register { grants, by_fund, by_category, by_country, by_month, funds: self.funds().await? })
    }

    /// The register as CSV, with amounts as decimals of their currency.
    pub async fn register_csv(
        &self,
        filter: &RegisterFilter,
        reader: Staff<'_>,
    ) -> Result<(Vec<u8>, usize), WorkError> {
        let register = self.register(filter, 100_000, reader).await?;
        let mut writer = csv::Writer::from_writer(Vec::new());
        let header = [
            "grant_id",
            "proposed_at",
            "fund",
            "category",
            "country",
            "status",
            "tier",
            "amount",
            "currency",
            "fund_amount",
            "fund_currency",
            "payee_alias",
            "paid_on",
            "paid_in_fund_currency",
            "case_reference",
            "method",
            "fees",
            "payment_reference",
        ];
        let internal = |e: csv::Error| WorkError::Internal(e.into());
        writer.write_record(header).map_err(internal)?;
        for line in &register.grants {
            let decimal = |minor: i64, currency: &str| super::money(minor, currency).map(|m| m.decimal());
            writer
                .write_record([
                    line.grant_id.to_string(),
                    line.created_at.to_rfc3339(),
                    crate::audit::query::neutralise(&line.fund_name),
                    line.category.clone(),
                    line.country.clone(),
                    line.status.clone(),
                    line.tier.clone(),
                    decimal(line.amount_minor, &line.currency)?,
                    line.currency.clone(),
                    decimal(line.fund_amount_minor, &line.fund_currency)?,
                    line.fund_currency.clone(),
                    crate::audit::query::neutralise(&line.payee_alias),
                    line.paid_on.map(|d| d.to_string()).unwrap_or_default(),
                    line.paid_minor.map(|m| decimal(m, &line.fund_currency)).transpose()?.unwrap_or_default(),
                    line.case_reference.clone().unwrap_or_default(),
                    line.method.clone().unwrap_or_default(),
                    line.fees_minor.map(|m| decimal(m, &line.currency)).transpose()?.unwrap_or_default(),
                    line.external_reference.as_deref().map(crate::audit::query::neutralise).unwrap_or_default(),
                ])
                .map_err(internal)?;
        }
        let bytes = writer.into_inner().map_err(|e| WorkError::Internal(anyhow::anyhow!("{e}")))?;
        Ok((bytes, register.grants.len()))
    }
}

/// Grants waiting on someone, for the staff home pages.
#[derive(Debug, Clone, Copy, Default)]
pub struct Pending {
    /// Proposed, waiting for supervisors.
    pub awaiting_decision: i64,
    /// Provisionally approved, waiting for ratification.
    pub awaiting_ratification: i64,
    /// Frozen: a provisional approval went unratified.
    pub frozen: i64,
    /// Approved, waiting for finance.
    pub to_pay: i64,
}

impl Grants {
    /// How many grants wait on supervisors and on finance.
    pub async fn pending(&self) -> Result<Pending, WorkError> {
        Ok(sqlx::query_as!(
            Pending,
            r#"select count(*) filter (where status = $1) as "awaiting_decision!",
                    count(*) filter (where status = $2) as "awaiting_ratification!",
                    count(*) filter (where status = $3) as "frozen!",
                    count(*) filter (where status = $4) as "to_pay!"
             from grants where status = any($5)"#,
            GrantState::Proposed as _,
            GrantState::ProvisionallyApproved as _,
            GrantState::Frozen as _,
            GrantState::Approved as _,
            GrantState::PENDING as _
        )
        .fetch_one(&self.cases.db)
        .await?)
    }
}

impl Grants {
    /// Grants on `handler`'s cases whose receipt or report is overdue (the clock's reminders):
    /// (grant id, state).
    pub async fn reminders_for(&self, handler: Uuid) -> Result<Vec<(Uuid, GrantState)>, WorkError> {
        let rows = sqlx::query!(
            r#"select g.grant_id, g.status as "status: GrantState" from grants g join cases c using (case_id)
             where c.assignee = $1
               and ((g.status = $3 and g.reminded_at is not null)
                    or (g.status = $4 and g.use_until < $2))
             order by g.created_at"#,
            handler,
            self.now(),
            GrantState::Disbursed as _,
            GrantState::ReceiptConfirmed as _
        )
        .fetch_all(&self.cases.db)
        .await?;
        Ok(rows.into_iter().map(|r| (r.grant_id, r.status)).collect())
    }
}
