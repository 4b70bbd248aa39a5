//! `/staff/grants`: the register, its filters and totals.

use leptos::prelude::*;

use super::super::funds::{FundLine, balances_table};
use super::super::{Nav, csrf_field, error_line, nav, notice_line};
use super::{hidden, labelled_options, options, step_up_in};
use crate::layout::{PageMeta, document};
use crate::reader::Reader;

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
    /// Category, in words.
    pub category: String,
    /// Payee's country, in words.
    pub country: String,
    /// Status, in words.
    pub status: String,
    /// Approval tier, in words.
    pub tier: String,
    /// Amount in the grant's currency.
    pub amount: String,
    /// Amount in the fund's currency.
    pub fund_amount: String,
    /// Payee alias.
    pub payee_alias: String,
    /// Payment date, if paid.
    pub paid_on: String,
    /// Payment method in words, if paid.
    pub method: String,
    /// Fees, if paid.
    pub fees: String,
    /// The transfer's reference, if paid (for reconciliation with statements).
    pub reference: String,
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
    /// Statuses, for the filter: (code, words).
    pub statuses: Vec<(String, String)>,
    /// Categories, for the filter: (code, words).
    pub categories: Vec<(String, String)>,
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

fn totals_table(r: Reader, t: Totals) -> impl IntoView {
    let rows = t
        .rows
        .into_iter()
        .map(|r| view! { <tr><td>{r.key}</td><td class="num">{r.count}</td><td class="num">{r.committed}</td><td class="num">{r.paid}</td></tr> })
        .collect_view();
    view! {
        <h3>{t.title.clone()}</h3>
        <div class="table-wrap" tabindex="0" role="region" aria-label=t.title><table class="compact">
            <thead><tr><th>{r.t("grant-totals-group")}</th><th class="num">{r.t("grant-totals-count")}</th>
                <th class="num">{r.t("grant-totals-committed")}</th><th class="num">{r.t("grant-totals-paid")}</th></tr></thead>
            <tbody>{rows}</tbody>
        </table></div>
    }
}

/// Renders the register.
pub fn render_register(page: RegisterPage<'_>) -> String {
    let (f, r) = (page.filter, page.nav.reader);
    let none = page.grants.is_empty().then(|| view! { <p class="quiet">{r.t("grant-none-match")}</p> });
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
                    <td>{g.method}</td><td class="num">{g.fees}</td><td>{g.reference}</td>
                </tr>
            }
        })
        .collect_view();
    let totals = page.totals.into_iter().map(|t| totals_table(r, t)).collect_view();
    let export = if page.stepped_up {
        view! {
            <form method="post" action="/staff/grants/export">
                {csrf_field(page.csrf)}
                {hidden("fund", &f.fund)}{hidden("status", &f.status)}{hidden("category", &f.category)}
                {hidden("country", &f.country)}{hidden("from", &f.from)}{hidden("to", &f.to)}
                <div><button type="submit">{r.t("grant-export-csv")}</button></div>
            </form>
        }
        .into_any()
    } else {
        step_up_in(r, page.csrf, "/staff/grants", r.t("grant-export-step-up")).into_any()
    };
    let body = view! {
        {nav(page.nav)}
        <h1>{r.t("grant-register")}</h1>
        {notice_line(page.notice.as_deref())}
        {error_line(page.error.as_deref())}
        <p><a href="/staff/funds">{r.t("fund-heading")}</a></p>
        <form method="get" action="/staff/grants" class="filters">
            <div><label for="fund">{r.t("grant-filter-fund")}</label><select id="fund" name="fund"><option value="">{r.t("grant-filter-any")}</option>{options(page.fund_names, &f.fund)}</select></div>
            <div><label for="status">{r.t("grant-filter-status")}</label><select id="status" name="status"><option value="">{r.t("grant-filter-any")}</option>{labelled_options(page.statuses, &f.status)}</select></div>
            <div><label for="category">{r.t("grant-filter-category")}</label><select id="category" name="category"><option value="">{r.t("grant-filter-any")}</option>{labelled_options(page.categories, &f.category)}</select></div>
            <div><label for="country">{r.t("grant-filter-country")}</label><input id="country" name="country" value=f.country.clone() maxlength="10" /></div>
            <div><label for="from">{r.t("grant-filter-from")}</label><input type="date" id="from" name="from" value=f.from.clone() /></div>
            <div><label for="to">{r.t("grant-filter-to")}</label><input type="date" id="to" name="to" value=f.to.clone() /></div>
            <div><button type="submit">{r.t("grant-filter")}</button></div>
        </form>
        <h2>{r.t("grant-fund-balances")}</h2>
        {balances_table(r, page.funds)}
        <h2>{r.t("grant-totals")}</h2>
        {totals}
        <h2>{r.t("grant-section")}</h2>
        {none}
        <div class="table-wrap" tabindex="0" role="region" aria-label=r.t("grant-section")><table class="compact">
            <thead><tr>
                <th>{r.t("grant-col-grant")}</th><th>{r.t("grant-col-proposed")}</th><th>{r.t("grant-col-fund")}</th>
                <th>{r.t("grant-col-category")}</th><th>{r.t("grant-col-country")}</th><th>{r.t("grant-col-status")}</th>
                <th>{r.t("grant-col-tier")}</th><th class="num">{r.t("grant-col-amount")}</th><th class="num">{r.t("grant-col-in-fund")}</th>
                <th>{r.t("grant-col-payee")}</th><th>{r.t("grant-col-paid-on")}</th><th>{r.t("grant-col-method")}</th>
                <th class="num">{r.t("grant-col-fees")}</th><th>{r.t("grant-col-reference")}</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table></div>
        <h2>{r.t("grant-export")}</h2>
        {export}
    };
    let title = r.t("grant-register");
    document(PageMeta { title: &title, lang: r.language.tag() }, body)
}
