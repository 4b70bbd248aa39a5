//! Charts drawn on the server as SVG with `plotters`: no JavaScript, no web fonts (the
//! text uses the page's own font stack), a title and a description for screen readers,
//! and always beside a table with the same numbers.

use plotters::prelude::*;

/// One bar: a label and a value; `None` is a suppressed value, drawn as no bar.
pub struct Bar {
    /// The label under the bar.
    pub label: String,
    /// The value, if published.
    pub value: Option<i64>,
}

/// A vertical bar chart as an SVG document, or `None` when there is nothing to draw.
pub fn bars(title: &str, bars: &[Bar]) -> Option<String> {
    let top = bars.iter().filter_map(|b| b.value).max()?;
    if bars.is_empty() || top <= 0 {
        return None;
    }
    let width = (60 * bars.len() as u32).clamp(320, 900);
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, (width, 240)).into_drawing_area();
        area.fill(&WHITE).ok()?;
        let mut chart = ChartBuilder::on(&area)
            .margin(8)
            .x_label_area_size(40)
            .y_label_area_size(56)
            .caption(title, ("sans-serif", 15))
            .build_cartesian_2d((0..bars.len() as i32).into_segmented(), 0i64..(top + top / 10 + 1))
            .ok()?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(bars.len())
            .x_label_formatter(&|x| match x {
                SegmentValue::CenterOf(i) => bars.get(*i as usize).map(|b| short(&b.label)).unwrap_or_default(),
                _ => String::new(),
            })
            .y_labels(5)
            .label_style(("sans-serif", 11))
            .draw()
            .ok()?;
        let colour = RGBColor(30, 90, 160);
        chart
            .draw_series(bars.iter().enumerate().filter_map(|(i, b)| {
                let v = b.value?;
                let i = i as i32;
                Some(Rectangle::new([(SegmentValue::Exact(i), 0), (SegmentValue::Exact(i + 1), v)], colour.filled()))
            }))
            .ok()?;
        area.present().ok()?;
    }
    Some(svg)
}

/// A label short enough to sit under a bar.
fn short(label: &str) -> String {
    if label.chars().count() <= 10 { label.to_owned() } else { label.chars().take(9).chain(['…']).collect() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_is_svg_with_its_title_and_no_suppressed_bar() {
        let data =
            [Bar { label: "arrest_detention".into(), value: Some(12) }, Bar { label: "digital".into(), value: None }];
        let svg = bars("Requests", &data).unwrap_or_default();
        assert!(svg.starts_with("<svg") && svg.contains("Requests"), "{svg}");
        assert!(svg.contains("arrest_de…"));
        assert!(bars("Nothing", &[Bar { label: "x".into(), value: None }]).is_none());
    }
}
