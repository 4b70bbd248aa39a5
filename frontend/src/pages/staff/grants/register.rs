//! `/staff/grants`: the register, its filters and totals.

use leptos::prelude::*;

use super::super::funds::{FundLine, balances_table};
use super::super::{Nav, csrf_field, error_line, nav, notice_line};
use super::{hidden, options, step_up};
use crate::layout::{PageMeta, document};

/// A grant in the register (no case content), values already formatted.
#[derive(Debug, Clone)]
pub struct GrantLine {
    /// Id.
    pub id: String,
    /// How people name it: case reference and category, or category and payee alias.
    pub name: String,
    /// When proposed.
    pub created: String,
    /// Fund name.
    pub fund: String,
    /// Category.
    pub category: String,
    /// Payee's country code.
    pub country: String,
    /// Status.
    pub status: String,
    /// Approval tier.
    pub tier: String,
    /// Amount in the grant's currency.
    pub amount: String,
    /// Amount in the fund's currency.
    pub fund_amount: String,
    /// Payee alias.
    pub payee_alias: String,
    /// Payment date, if paid.
    pub paid_on: String,
}

/// A totals row: (group key e.g. "legal_fees" or "2026-11", count, committed, paid), formatted.
#[derive(Debug, Clone)]
pub struct TotalLine {
    /// Group key.
    pub key: String,
    /// Number of grants.
    pub count: i64,
    /// Committed.
    pub committed: String,
    /// Paid.
    pub paid: String,
}

/// A titled totals table, e.g. ("By category", rows).
#[derive(Debug, Clone)]
pub struct Totals {
    /// Title.
    pub title: String,
    /// Rows.
    pub rows: Vec<TotalLine>,
}

/// The register's filter values as typed (echoed back into the form).
#[derive(Debug, Clone, Default)]
pub struct RegisterFilter {
    /// Fund name.
    pub fund: String,
    /// Status.
    pub status: String,
    /// Category.
    pub category: String,
    /// Country code.
    pub country: String,
    /// From date.
    pub from: String,
    /// To date.
    pub to: String,
}

/// `/staff/grants`.
#[derive(Debug, Clone)]
pub struct RegisterPage<'a> {
    /// Navigation.
    pub nav: Nav,
    /// The session's CSRF token.
    pub csrf: &'a str,
    /// The filters.
    pub filter: RegisterFilter,
    /// Fund balances.
    pub funds: Vec<FundLine>,
    /// Fund names, for the filter.
    pub fund_names: Vec<String>,
    /// Statuses, for the filter.
    pub statuses: Vec<String>,
    /// Categories, for the filter.
    pub categories: Vec<String>,
    /// Totals tables.
    pub totals: Vec<Totals>,
    /// The grants.
    pub grants: Vec<GrantLine>,
    /// A fresh second factor allows export now.
    pub stepped_up: bool,
    /// A problem.
    pub error: Option<String>,
    /// A confirmation.
    pub notice: Option<String>,
}

fn totals_table(t: Totals) -> impl IntoView {
    let rows = t
        .rows
        .into_iter()
        .map(|r| view! { <tr><td>{r.key}</td><td class="num">{r.count}</td><td class="num">{r.committed}</td><td class="num">{r.paid}</td></tr> })
        .collect_view();
    view! {
        <h3>{t.title.clone()}</h3>
        <div class="table-wrap" tabindex="0" role="region" aria-label=t.title><table class="compact">
            <thead><tr><th>"Group"</th><th class="num">"Grants"</th><th class="num">"Committed"</th><th class="num">"Paid"</th></tr></thead>
            <tbody>{rows}</tbody>
        </table></div>
    }
}

/// Renders the register.
pub fn render_register(page: RegisterPage<'_>) -> String {
    let f = page.filter;
    let none = page.grants.is_empty().then(|| view! { <p class="quiet">"No grants match these filters."</p> });
    let rows = page
        .grants
        .into_iter()
        .map(|g| {
            let href = format!("/staff/grants/{}", g.id);
            view! {
                <tr>
                    <td><a href=href>{g.name}</a></td><td>{g.created}</td><td>{g.fund}</td><td>{g.category}</td>
                    <td>{g.country}</td><td>{g.status}</td><td>{g.tier}</td><td class="num">{g.amount}</td>
                    <td class="num">{g.fund_amount}</td><td>{g.payee_alias}</td><td>{g.paid_on}</td>
                </tr>
            }
        })
        .collect_view();
    let totals = page.totals.into_iter().map(totals_table).collect_view();
    let export = if page.stepped_up {
        view! {
            <form method="post" action="/staff/grants/export">
                {csrf_field(page.csrf)}
                {hidden("fund", &f.fund)}{hidden("status", &f.status)}{hidden("category", &f.category)}
                {hidden("country", &f.country)}{hidden("from", &f.from)}{hidden("to", &f.to)}
                <div><button type="submit">"Export CSV"</button></div>
            </form>
        }
        .into_any()
    } else {
        step_up(page.csrf, "/staff/grants", "Exporting needs a fresh code from your authenticator app.").into_any()
    };
    let body = view! {
        {nav(page.nav)}
        <h1>"Grant register"</h1>
        {notice_line(page.notice.as_deref())}
        {error_line(page.error.as_deref())}
        <p><a href="/staff/funds">"Funds"</a></p>
        <form method="get" action="/staff/grants" class="filters">
            <div><label for="fund">"Fund"</label><select id="fund" name="fund"><option value="">"Any"</option>{options(page.fund_names, &f.fund)}</select></div>
            <div><label for="status">"Status"</label><select id="status" name="status"><option value="">"Any"</option>{options(page.statuses, &f.status)}</select></div>
            <div><label for="category">"Category"</label><select id="category" name="category"><option value="">"Any"</option>{options(page.categories, &f.category)}</select></div>
            <div><label for="country">"Country (code)"</label><input id="country" name="country" value=f.country.clone() maxlength="10" /></div>
            <div><label for="from">"From"</label><input type="date" id="from" name="from" value=f.from.clone() /></div>
            <div><label for="to">"To"</label><input type="date" id="to" name="to" value=f.to.clone() /></div>
            <div><button type="submit">"Filter"</button></div>
        </form>
        <h2>"Fund balances"</h2>
        {balances_table(page.funds)}
        <h2>"Totals"</h2>
        {totals}
        <h2>"Grants"</h2>
        {none}
        <div class="table-wrap" tabindex="0" role="region" aria-label="Grants"><table class="compact">
            <thead><tr>
                <th>"Grant"</th><th>"Proposed"</th><th>"Fund"</th><th>"Category"</th><th>"Country"</th><th>"Status"</th><th>"Tier"</th>
                <th class="num">"Amount"</th><th class="num">"In fund currency"</th><th>"Payee"</th><th>"Paid on"</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table></div>
        <h2>"Export"</h2>
        {export}
    };
    document(PageMeta { title: "Grant register", lang: "en" }, body)
}
