//! `/staff/insights` and `/staff/reports/donor`: figures as SVG charts, each beside a table
//! with the same numbers, every small count shown as "< k". No JavaScript.

use leptos::prelude::*;
use shelter_shared::insights::{Figure, Insights, Unit};

use super::{Nav, csrf_field, error_line, nav};
use crate::charts::{Bar, bars};
use crate::layout::{PageMeta, document};

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

fn number(value: Option<i64>, unit: Unit, k: i64) -> String {
    match value {
        // A hidden count is small; a hidden amount, time or share rests on few grants or cases.
        None if unit == Unit::Count => format!("< {k}"),
        None => "hidden".to_owned(),
        Some(v) => match unit {
            Unit::Percent => format!("{v} %"),
            Unit::MinorUnits => format!("{}.{:02}", v / 100, (v % 100).abs()),
            Unit::Count | Unit::Minutes => v.to_string(),
        },
    }
}

fn unit_note(unit: Unit) -> &'static str {
    match unit {
        Unit::Count => "Counts.",
        Unit::Minutes => "Minutes; \u{201c}hidden\u{201d} where too few cases stand behind one.",
        Unit::Percent => "Percent; \u{201c}hidden\u{201d} where too few cases stand behind one.",
        Unit::MinorUnits => "Amounts in each currency; \u{201c}hidden\u{201d} where too few grants stand behind one.",
    }
}

/// One figure: heading, description, chart, and the table of the same numbers.
fn figure(f: Figure) -> impl IntoView {
    let t = f.table;
    let k = t.k;
    let unit = f.unit;
    // The chart draws row totals where rows add up, else each row's first column.
    let bar_data: Vec<Bar> = t
        .rows
        .iter()
        .enumerate()
        .map(|(i, label)| Bar {
            label: label.clone(),
            value: if f.additive { t.row_totals[i] } else { t.cells[i].first().copied().flatten() },
        })
        .collect();
    let chart_title = if f.additive {
        f.title.clone()
    } else {
        format!("{}: {}", f.title, t.columns.first().cloned().unwrap_or_default())
    };
    let chart = bars(&chart_title, &bar_data).map(|svg| {
        let label = format!("Chart: {}. {} The table below has the numbers.", f.title, f.description);
        view! { <div class="chart" role="img" aria-label=label inner_html=svg></div> }
    });
    let header = t.columns.iter().map(|c| view! { <th scope="col">{c.clone()}</th> }).collect_view();
    let total_header = f.additive.then(|| view! { <th scope="col">"Total"</th> });
    let rows = t
        .rows
        .iter()
        .enumerate()
        .map(|(i, label)| {
            let cells = t.cells[i].iter().map(|v| view! { <td class="num">{number(*v, unit, k)}</td> }).collect_view();
            let total = f.additive.then(|| view! { <td class="num total">{number(t.row_totals[i], unit, k)}</td> });
            view! { <tr><th scope="row">{label.clone()}</th>{cells}{total}</tr> }
        })
        .collect_view();
    let totals = f.additive.then(|| {
        let cells = t.column_totals.iter().map(|v| view! { <td class="num total">{number(*v, unit, k)}</td> }).collect_view();
        view! { <tr class="total"><th scope="row">"Total"</th>{cells}<td class="num total">{number(t.total, unit, k)}</td></tr> }
    });
    let empty = t.rows.is_empty().then(|| view! { <p class="quiet">"Nothing in this period."</p> });
    let id = f.id.clone();
    let region = f.title.clone();
    view! {
        <section class="figure" id=id>
            <h2>{f.title.clone()}</h2>
            <p>{f.description.clone()}" "{unit_note(unit)}</p>
            {chart}
            {empty}
            // Focusable and named, so a keyboard can scroll a table wider than the screen.
            <div class="table-wrap" tabindex="0" role="region" aria-label=region>
                <table>
                    <caption>{f.title}</caption>
                    <thead><tr><th scope="col"></th>{header}{total_header}</tr></thead>
                    <tbody>{rows}{totals}</tbody>
                </table>
            </div>
        </section>
    }
}

fn filter_form(form: FilterForm, funds: Vec<(String, String)>, action: &'static str) -> impl IntoView {
    let funds = funds
        .into_iter()
        .map(|(id, name)| {
            let selected = form.fund == id;
            view! { <option value=id selected=selected>{name}</option> }
        })
        .collect_view();
    view! {
        <form method="get" action=action class="filters">
            <div><label for="from">"From (YYYY-MM-DD)"</label><input id="from" name="from" value=form.from /></div>
            <div><label for="to">"To (YYYY-MM-DD)"</label><input id="to" name="to" value=form.to /></div>
            <div><label for="country">"Country code"</label><input id="country" name="country" maxlength="2" value=form.country /></div>
            <div><label for="kind">"Kind"</label><input id="kind" name="kind" value=form.kind /></div>
            <div><label for="severity">"Severity"</label><input id="severity" name="severity" value=form.severity /></div>
            <div><label for="fund">"Fund"</label>
                <select id="fund" name="fund"><option value="">"All funds"</option>{funds}</select></div>
            <div><button type="submit">"Show"</button></div>
        </form>
    }
}

/// Why the counts do not add up exactly.
const NOISE: &str = "Each count is moved by up to 2, always the same way for the same cases, so that overlapping views cannot be subtracted to single out a person. Weeks and months are always counted whole; totals are the sums of the counts shown or hidden. Money is never narrowed by country, kind or severity.";

/// Renders the dashboard.
pub fn render(page: InsightsPage) -> String {
    let period = page.insights.as_ref().map(|i| {
        format!(
            "From {} to {}. Counts from 1 to {} are shown as \u{201c}< {}\u{201d}, and so are the cells that would give them away; times and shares resting on fewer than {} cases too. {NOISE}",
            i.from, i.to, i.k - 1, i.k, i.k
        )
    });
    let report = page.report_href.map(|href| view! { <p><a href=href>"Donor report for these months"</a></p> });
    let figures = page.insights.map(|i| i.figures.into_iter().map(figure).collect_view());
    let body = view! {
        {nav(page.nav)}
        <h1>"Insights"</h1>
        {error_line(page.error.as_deref())}
        {filter_form(page.filters, page.funds, "/staff/insights")}
        <p>{period}</p>
        {report}
        {figures}
    };
    document(PageMeta { title: "Insights", lang: "en" }, body)
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
    let heading = match page.fund_name {
        Some(name) => format!("Report to the donors of {name}"),
        None => "Report to donors".to_owned(),
    };
    let report = page.report;
    let period = format!(
        "{} to {}. Counts from 1 to {} are shown as \u{201c}< {}\u{201d} so that nobody can be recognised in them. {NOISE}",
        report.from,
        report.to,
        report.k - 1,
        report.k
    );
    let f = page.filters;
    let hidden = |name: &'static str, value: String| view! { <input type="hidden" name=name value=value /> };
    let export = if page.stepped_up {
        view! {
            <form method="post" action="/staff/reports/donor/csv" class="no-print">
                {csrf_field(&page.csrf)}
                {hidden("from", f.from)}{hidden("to", f.to)}{hidden("fund", f.fund)}
                <button type="submit">"Download as CSV"</button>
            </form>
        }
        .into_any()
    } else {
        view! {
            <form method="post" action="/staff/step-up" class="no-print">
                {csrf_field(&page.csrf)}
                {hidden("next", "/staff/reports/donor".to_owned())}
                <label for="step-up-code">"To download the CSV, confirm with a fresh six-digit code"</label>
                <input id="step-up-code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" required maxlength="6" />
                <button type="submit">"Confirm"</button>
            </form>
        }
        .into_any()
    };
    let figures = report.figures.into_iter().map(figure).collect_view();
    let body = view! {
        <div class="no-print">{nav(page.nav)}</div>
        <article class="report">
            <h1>{heading}</h1>
            <p>{period}</p>
            {export}
            {figures}
        </article>
    };
    document(PageMeta { title: "Donor report", lang: "en" }, body)
}

/// The donor report as a file of its own (from the command line): no navigation, no forms.
pub fn render_donor_file(report: Insights, fund_name: Option<String>) -> String {
    let heading = match fund_name {
        Some(name) => format!("Report to the donors of {name}"),
        None => "Report to donors".to_owned(),
    };
    let period = format!(
        "{} to {}. Counts from 1 to {} are shown as \u{201c}< {}\u{201d} so that nobody can be recognised in them. {NOISE}",
        report.from,
        report.to,
        report.k - 1,
        report.k
    );
    let figures = report.figures.into_iter().map(figure).collect_view();
    let body = view! { <article class="report"><h1>{heading}</h1><p>{period}</p>{figures}</article> };
    document(PageMeta { title: "Donor report", lang: "en" }, body)
}

#[cfg(test)]
mod tests {
    use shelter_shared::suppress::Published;

    use super::*;

    #[test]
    fn hidden_cells_read_as_below_k_and_money_as_main_units() {
        assert_eq!(number(None, Unit::Count, 5), "< 5");
        assert_eq!(number(Some(123_456), Unit::MinorUnits, 5), "1234.56");
        assert_eq!(number(Some(87), Unit::Percent, 5), "87 %");
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
                columns: vec!["arrest".into()],
                cells: vec![vec![Some(9)], vec![None]],
                row_totals: vec![Some(9), None],
                column_totals: vec![None],
                total: None,
                k: 5,
            },
        };
        let html = view! { {figure(f)} }.to_html();
        assert!(html.contains("<caption>Requests</caption>") && html.contains("role=\"img\""), "{html}");
        assert!(html.contains("&lt; 5") || html.contains("< 5"), "{html}");
    }
}
