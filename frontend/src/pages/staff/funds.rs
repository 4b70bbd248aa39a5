//! Funds for staff: balances, and a form to create a fund.

use leptos::prelude::*;

use super::{Nav, csrf_field, error_line, nav, notice_line};
use crate::layout::{PageMeta, document};
use crate::reader::Reader;

/// A fund with its balances, all already formatted (e.g. "12,000.00 USD").
#[derive(Debug, Clone)]
pub struct FundLine {
    /// Name.
    pub name: String,
    /// Currency code.
    pub currency: String,
    /// Total budget.
    pub budget: String,
    /// Approved but not yet paid.
    pub committed: String,
    /// Paid out.
    pub disbursed: String,
    /// Left to commit.
    pub available: String,
    /// Period, e.g. "2026-01-01 to 2026-12-31".
    pub period: String,
    /// Allowed categories and countries, in words.
    pub restrictions: String,
    /// How much of the fund's currency one US dollar buys, as people read it: "1 USD = 2,100 MMK".
    pub usd_rate: String,
}

/// The funds page.
#[derive(Debug, Clone)]
pub struct FundsPage<'a> {
    /// Navigation.
    pub nav: Nav,
    /// The session's CSRF token.
    pub csrf: &'a str,
    /// The funds.
    pub funds: Vec<FundLine>,
    /// Whether the viewer may create funds.
    pub can_manage: bool,
    /// Currency codes for the create form.
    pub currencies: Vec<String>,
    /// Grant categories for the create form: (code, words).
    pub categories: Vec<(String, String)>,
    /// A problem.
    pub error: Option<String>,
    /// A confirmation.
    pub notice: Option<String>,
}

/// A table of fund balances, shared with the grant register.
pub fn balances_table(r: Reader, funds: Vec<FundLine>) -> impl IntoView + use<> {
    if funds.is_empty() {
        return view! { <p class="quiet">{r.t("fund-none")}</p> }.into_any();
    }
    let rows = funds
        .into_iter()
        .map(|f| {
            view! {
                <tr>
                    <td>{f.name}</td><td>{f.period}</td><td class="num">{f.budget}</td><td class="num">{f.committed}</td>
                    <td class="num">{f.disbursed}</td><td class="num">{f.available}</td><td>{f.restrictions}</td>
                    <td class="num">{f.usd_rate}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label=r.t("fund-heading")>
            <table class="compact">
                <thead><tr>
                    <th>{r.t("fund-col-fund")}</th><th>{r.t("fund-col-period")}</th><th class="num">{r.t("fund-col-budget")}</th>
                    <th class="num">{r.t("fund-col-committed")}</th><th class="num">{r.t("fund-col-disbursed")}</th>
                    <th class="num">{r.t("fund-col-available")}</th><th>{r.t("fund-col-restrictions")}</th><th class="num">{r.t("fund-col-rate")}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

fn create_form(
    r: Reader,
    csrf: &str,
    currencies: Vec<String>,
    categories: Vec<(String, String)>,
) -> impl IntoView + use<> {
    let currencies = currencies
        .into_iter()
        .map(|c| {
            let label = c.clone();
            view! { <option value=c>{label}</option> }
        })
        .collect_view();
    let categories = categories
        .into_iter()
        .map(|(c, label)| {
            view! { <label class="check"><input type="checkbox" name="categories" value=c />" " {label}</label> }
        })
        .collect_view();
    view! {
        <h2>{r.t("fund-create")}</h2>
        <form method="post" action="/staff/funds">
            {csrf_field(csrf)}
            <div><label>{r.t("fund-name")}" "<input name="name" required maxlength="200" /></label></div>
            <div><label>{r.t("fund-currency")}" "<select name="currency">{currencies}</select></label></div>
            <div><label>{r.t("fund-budget")}" "<span class="quiet">{r.t("fund-budget-hint")}</span>" "<input name="budget" required inputmode="decimal" maxlength="30" /></label></div>
            <div><label>{r.t("fund-period-start")}" "<input type="date" name="period_start" required /></label></div>
            <div><label>{r.t("fund-period-end")}" "<input type="date" name="period_end" required /></label></div>
            <div><label>{r.t("fund-usd-rate")}" "<span class="quiet">{r.t("fund-usd-rate-hint")}</span>
                <input name="usd_rate" required inputmode="decimal" maxlength="30" /></label></div>
            <fieldset><legend>{r.t("fund-categories")}" "<span class="quiet">{r.t("fund-categories-hint")}</span></legend>{categories}</fieldset>
            <div><label>{r.t("fund-countries")}" "<span class="quiet">{r.t("fund-countries-hint")}</span>" "<input name="countries" maxlength="200" /></label></div>
            <div><button class="primary" type="submit">{r.t("fund-create-button")}</button></div>
        </form>
    }
}

/// Renders `/staff/funds`.
pub fn render(page: FundsPage<'_>) -> String {
    let r = page.nav.reader;
    let form = page.can_manage.then(|| create_form(r, page.csrf, page.currencies, page.categories));
    let body = view! {
        {nav(page.nav)}
        <h1>{r.t("fund-heading")}</h1>
        {notice_line(page.notice.as_deref())}
        {error_line(page.error.as_deref())}
        <p><a href="/staff/grants">{r.t("grant-register")}</a></p>
        {balances_table(r, page.funds)}
        {form}
    };
    let title = r.t("fund-heading");
    document(PageMeta { title: &title, lang: r.language.tag() }, body)
}
