//! `/staff/insights` and `/staff/reports/donor`: figures as SVG charts, each beside a table
//! with the same numbers, every small count shown as "< k". No JavaScript.

use leptos::prelude::*;
use shelter_shared::insights::{Figure, Insights, Unit};

use shelter_shared::language::Language;

use super::grants::mword;
use super::{Nav, csrf_field, error_line, nav};
use crate::charts::{Bar, bars};
use crate::countries;
use crate::i18n::Translator;
use crate::layout::{PageMeta, document};
use crate::reader::Reader;

/// The filter form's values, as typed.
#[derive(Debug, Clone, Default)]
pub struct FilterForm {
    /// `YYYY-MM-DD`.
    pub from: String,
    /// `YYYY-MM-DD`.
    pub to: String,
    /// Country code or "".
    pub country: String,
    /// Incident kind or "".
    pub kind: String,
    /// Severity or "".
    pub severity: String,
    /// Fund id or "".
    pub fund: String,
}

/// The dashboard page.
pub struct InsightsPage {
    /// The navigation.
    pub nav: Nav,
    /// The filters as typed.
    pub filters: FilterForm,
    /// The figures (none when the filters were refused).
    pub insights: Option<Insights>,
    /// Funds to choose from: (id, name).
    pub funds: Vec<(String, String)>,
    /// A problem with the filters.
    pub error: Option<String>,
    /// The donor report of the whole months of this view, if the reader may see it.
    pub report_href: Option<String>,
}

fn number(r: Reader, value: Option<i64>, unit: Unit, k: i64) -> String {
    match value {
        // A hidden count is small; a hidden amount, time or share rests on few grants or cases.
        None if unit == Unit::Count => format!("< {k}"),
        None => r.t("ins-hidden"),
        Some(v) => match unit {
            Unit::Percent => format!("{v} %"),
            Unit::MinorUnits => format!("{}.{:02}", v / 100, (v % 100).abs()),
            Unit::Count | Unit::Minutes => v.to_string(),
        },
    }
}

fn unit_note(r: Reader, unit: Unit) -> String {
    r.t(match unit {
        Unit::Count => "ins-unit-count",
        Unit::Minutes => "ins-unit-minutes",
        Unit::Percent => "ins-unit-percent",
        Unit::MinorUnits => "ins-unit-money",
    })
}

/// A row or column label in the reader's words: a figure's own words (`ins-label-…`), a
/// grant category, a country; months, weeks, names and currency codes as they are.
fn label(r: Reader, code: &str) -> String {
    let id = format!("ins-label-{}", code.replace(' ', "-"));
    if Translator::has(Language::English, &id) {
        return r.t(&id);
    }
    if Translator::has(Language::English, &format!("mword-category-{code}")) {
        return mword(r, "category", code);
    }
    let country = code.len() == 2 && code.chars().all(|c| c.is_ascii_uppercase());
    if country { countries::name(r.tr(), code) } else { code.to_owned() }
}

/// A figure's title and description in the reader's words (by its id), else as given.
fn words(r: Reader, f: &Figure) -> (String, String) {
    let id = format!("ins-fig-{}", f.id.replace('_', "-"));
    if Translator::has(Language::English, &id) {
        (r.t(&id), r.t(&format!("{id}-desc")))
    } else {
        (f.title.clone(), f.description.clone())
    }
}

/// One figure: heading, description, chart, and the table of the same numbers.
fn figure(r: Reader, f: Figure) -> impl IntoView {
    let (title, description) = words(r, &f);
    let t = f.table;
    let rows: Vec<String> = t.rows.iter().map(|row| label(r, row)).collect();
    let columns: Vec<String> = t.columns.iter().map(|c| label(r, c)).collect();
    let k = t.k;
    let unit = f.unit;
    // The chart draws row totals where rows add up, else each row's first column.
    let bar_data: Vec<Bar> = rows
        .iter()
        .enumerate()
        .map(|(i, label)| Bar {
            label: label.clone(),
            value: if f.additive { t.row_totals[i] } else { t.cells[i].first().copied().flatten() },
        })
        .collect();
    let chart_title =
        if f.additive { title.clone() } else { format!("{}: {}", title, columns.first().cloned().unwrap_or_default()) };
    let chart = bars(&chart_title, &bar_data).map(|svg| {
        let label = r.t_texts("ins-chart-label", &[("title", title.as_str()), ("description", description.as_str())]);
        view! { <div class="chart" role="img" aria-label=label inner_html=svg></div> }
    });
    let header = columns.iter().map(|c| view! { <th scope="col">{c.clone()}</th> }).collect_view();
    let total_header = f.additive.then(|| view! { <th scope="col">{r.t("ins-total")}</th> });
    let empty = rows.is_empty().then(|| view! { <p class="quiet">{r.t("ins-nothing")}</p> });
    let body = rows
        .into_iter()
        .enumerate()
        .map(|(i, label)| {
            let cells =
                t.cells[i].iter().map(|v| view! { <td class="num">{number(r, *v, unit, k)}</td> }).collect_view();
            let total = f.additive.then(|| view! { <td class="num total">{number(r, t.row_totals[i], unit, k)}</td> });
            view! { <tr><th scope="row">{label}</th>{cells}{total}</tr> }
        })
        .collect_view();
    let totals = f.additive.then(|| {
        let cells =
            t.column_totals.iter().map(|v| view! { <td class="num total">{number(r, *v, unit, k)}</td> }).collect_view();
        view! { <tr class="total"><th scope="row">{r.t("ins-total")}</th>{cells}<td class="num total">{number(r, t.total, unit, k)}</td></tr> }
    });
    let id = f.id.clone();
    let region = title.clone();
    view! {
        <section class="figure" id=id>
            <h2>{title.clone()}</h2>
            <p>{description}" "{unit_note(r, unit)}</p>
            {chart}
            {empty}
            // Focusable and named, so a keyboard can scroll a table wider than the screen.
            <div class="table-wrap" tabindex="0" role="region" aria-label=region>
                <table>
                    <caption>{title}</caption>
                    <thead><tr><th scope="col"></th>{header}{total_header}</tr></thead>
                    <tbody>{body}{totals}</tbody>
                </table>
            </div>
        </section>
    }
}

fn filter_form(r: Reader, form: FilterForm, funds: Vec<(String, String)>, action: &'static str) -> impl IntoView {
    let funds = funds
        .into_iter()
        .map(|(id, name)| {
            let selected = form.fund == id;
            view! { <option value=id selected=selected>{name}</option> }
        })
        .collect_view();
    view! {
        <form method="get" action=action class="filters">
            <div><label for="from">{r.t("ins-from")}</label><input id="from" name="from" value=form.from /></div>
            <div><label for="to">{r.t("ins-to")}</label><input id="to" name="to" value=form.to /></div>
            <div><label for="country">{r.t("ins-country")}</label><input id="country" name="country" maxlength="2" value=form.country /></div>
            <div><label for="kind">{r.t("ins-kind")}</label><input id="kind" name="kind" value=form.kind /></div>
            <div><label for="severity">{r.t("ins-severity")}</label><input id="severity" name="severity" value=form.severity /></div>
            <div><label for="fund">{r.t("ins-fund")}</label>
                <select id="fund" name="fund"><option value="">{r.t("ins-all-funds")}</option>{funds}</select></div>
            <div><button type="submit">{r.t("ins-show")}</button></div>
        </form>
    }
}

/// How the period and its small counts are shown: the dashboard's words (`ins-period`) or
/// the donor report's (`ins-donor-period`).
fn period(r: Reader, id: &str, i: &Insights) -> String {
    let (below, k) = ((i.k - 1).to_string(), i.k.to_string());
    let said = r.t_texts(id, &[("from", &i.from), ("to", &i.to), ("below", &below), ("k", &k)]);
    format!("{said} {}", r.t("ins-noise"))
}

/// Renders the dashboard.
pub fn render(page: InsightsPage) -> String {
    let r = page.nav.reader;
    let period = page.insights.as_ref().map(|i| period(r, "ins-period", i));
    let report = page.report_href.map(|href| view! { <p><a href=href>{r.t("ins-donor-link")}</a></p> });
    let figures = page.insights.map(|i| i.figures.into_iter().map(|f| figure(r, f)).collect_view());
    let body = view! {
        {nav(page.nav)}
        <h1>{r.t("ins-heading")}</h1>
        {error_line(page.error.as_deref())}
        {filter_form(r, page.filters, page.funds, "/staff/insights")}
        <p>{period}</p>
        {report}
        {figures}
    };
    let title = r.t("ins-heading");
    document(PageMeta { title: &title, lang: r.language.tag() }, body)
}

/// The donor report page.
pub struct DonorPage {
    /// The navigation (not printed).
    pub nav: Nav,
    /// The session's CSRF token.
    pub csrf: String,
    /// The figures.
    pub report: Insights,
    /// The fund it is for, if one.
    pub fund_name: Option<String>,
    /// The period and fund as given, for the CSV form.
    pub filters: FilterForm,
    /// Whether a fresh step-up allows the CSV export now.
    pub stepped_up: bool,
}

/// Renders the printable donor report (A4 print styles in the stylesheet).
pub fn render_donor(page: DonorPage) -> String {
    let r = page.nav.reader;
    let heading = match page.fund_name {
        Some(name) => r.t_text("ins-donor-heading-fund", "fund", &name),
        None => r.t("ins-donor-heading"),
    };
    let report = page.report;
    let period = period(r, "ins-donor-period", &report);
    let f = page.filters;
    let hidden = |name: &'static str, value: String| view! { <input type="hidden" name=name value=value /> };
    let export = if page.stepped_up {
        view! {
            <form method="post" action="/staff/reports/donor/csv" class="no-print">
                {csrf_field(&page.csrf)}
                {hidden("from", f.from)}{hidden("to", f.to)}{hidden("fund", f.fund)}
                <button type="submit">{r.t("ins-download-csv")}</button>
            </form>
        }
        .into_any()
    } else {
        view! {
            <form method="post" action="/staff/step-up" class="no-print">
                {csrf_field(&page.csrf)}
                {hidden("next", "/staff/reports/donor".to_owned())}
                <label for="step-up-code">{r.t("ins-csv-step-up")}</label>
                <input id="step-up-code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" required maxlength="6" />
                <button type="submit">{r.t("ins-confirm")}</button>
            </form>
        }
        .into_any()
    };
    let figures = report.figures.into_iter().map(|f| figure(r, f)).collect_view();
    let body = view! {
        <div class="no-print">{nav(page.nav)}</div>
        <article class="report">
            <h1>{heading}</h1>
            <p>{period}</p>
            {export}
            {figures}
        </article>
    };
    let title = r.t("ins-donor-heading");
    document(PageMeta { title: &title, lang: r.language.tag() }, body)
}

/// The donor report as a file of its own (from the command line): no navigation, no forms.
pub fn render_donor_file(report: Insights, fund_name: Option<String>) -> String {
    // In English: the file goes to donors, not to a signed-in reader.
    let r = Reader::default();
    let heading = match fund_name {
        Some(name) => r.t_text("ins-donor-heading-fund", "fund", &name),
        None => r.t("ins-donor-heading"),
    };
    let period = period(r, "ins-donor-period", &report);
    let figures = report.figures.into_iter().map(|f| figure(r, f)).collect_view();
    let body = view! { <article class="report"><h1>{heading}</h1><p>{period}</p>{figures}</article> };
    document(PageMeta { title: "Donor report", lang: "en" }, body)
}

#[cfg(test)]
mod tests {
    use shelter_shared::suppress::Published;

    use super::*;

    #[test]
    fn hidden_cells_read_as_below_k_and_money_as_main_units() {
        let r = Reader::default();
        assert_eq!(number(r, None, Unit::Count, 5), "< 5");
        assert_eq!(number(r, Some(123_456), Unit::MinorUnits, 5), "1234.56");
        assert_eq!(number(r, Some(87), Unit::Percent, 5), "87 %");
        assert_eq!(number(r, None, Unit::Minutes, 5), "hidden");
    }

    #[test]
    fn a_figure_has_a_table_caption_and_a_labelled_chart() {
        let f = Figure {
            id: "x".into(),
            title: "Requests".into(),
            description: "How many.".into(),
            unit: Unit::Count,
            additive: true,
            table: Published {
                rows: vec!["MM".into(), "LA".into()],
                columns: vec!["arrest_detention".into()],
                cells: vec![vec![Some(9)], vec![None]],
                row_totals: vec![Some(9), None],
                column_totals: vec![None],
                total: None,
                k: 5,
            },
        };
        let html = view! { {figure(Reader::default(), f.clone())} }.to_html();
        assert!(html.contains("<caption>Requests</caption>") && html.contains("role=\"img\""), "{html}");
        // In Burmese, the known codes read as words: the country, the kind, "Total".
        let my = view! { {figure(Reader::new(Language::Burmese, 390), f)} }.to_html();
        assert!(my.contains("မြန်မာ") && !my.contains(">MM<") && !my.contains(">Total<"), "{my}");
        assert!(html.contains("&lt; 5") || html.contains("< 5"), "{html}");
    }
}
