//! Charts drawn on the server as inline SVG: no script, no library, nothing fetched. Each chart
//! scales to its container (viewBox) and carries a text alternative; colours come from the
//! console's stylesheet through classes, so the page's CSP needs no inline styles.

use super::html::{esc, inr_short};

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 240.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 14.0;
const BOTTOM: f64 = 34.0;

/// One coloured series of a bar chart.
pub struct Series<'a> {
    pub name: &'a str,
    /// CSS class of its bars (and legend swatch).
    pub class: &'a str,
    pub values: Vec<f64>,
}

/// A horizontal reference line of a line chart (average, minimum …).
pub struct Reference<'a> {
    pub name: &'a str,
    pub class: &'a str,
    pub value: f64,
}

/// Rounds the axis top up to 1, 2 or 5 × a power of ten, so grid labels are round figures.
fn nice_ceiling(value: f64) -> f64 {
    if value <= 0.0 || !value.is_finite() {
        return 1.0;
    }
    let magnitude = 10f64.powf(value.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|step| step * magnitude)
        .find(|candidate| *candidate >= value)
        .unwrap_or(10.0 * magnitude)
}

/// The value range an axis shows: zero included, ends rounded outwards.
fn axis_range(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (mut low, mut high) = (0.0f64, 0.0f64);
    for v in values.filter(|v| v.is_finite()) {
        low = low.min(v);
        high = high.max(v);
    }
    let top = nice_ceiling(high);
    let bottom = if low < 0.0 { -nice_ceiling(-low) } else { 0.0 };
    (bottom, if high <= 0.0 && low < 0.0 { 0.0 } else { top })
}

struct Frame {
    low: f64,
    high: f64,
}

impl Frame {
    fn y(&self, value: f64) -> f64 {
        let span = (self.high - self.low).max(f64::EPSILON);
        TOP + (self.high - value) / span * (HEIGHT - TOP - BOTTOM)
    }

    /// Grid lines and their labels at the ends, the middle and zero.
    fn grid(&self) -> String {
        let mut marks = vec![self.low, (self.low + self.high) / 2.0, self.high];
        if self.low < 0.0 {
            marks.push(0.0);
        }
        marks
            .iter()
            .map(|&v| {
                let y = self.y(v);
                format!(
                    "<line class=\"grid\" x1=\"{LEFT}\" x2=\"{:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\"/><text class=\"axis\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
                    WIDTH - RIGHT,
                    LEFT - 6.0,
                    y + 4.0,
                    esc(&inr_short(v))
                )
            })
            .collect()
    }
}

fn svg_open(label: &str) -> String {
    format!(
        "<svg class=\"chart\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\" aria-label=\"{}\" preserveAspectRatio=\"xMidYMid meet\"><title>{}</title>",
        esc(label),
        esc(label)
    )
}

fn legend(items: &[(&str, &str)]) -> String {
    let entries: String = items
        .iter()
        .map(|(name, class)| {
            format!(
                "<span class=\"legend-item\"><span class=\"swatch {class}\"></span>{}</span>",
                esc(name)
            )
        })
        .collect();
    format!("<div class=\"legend\">{entries}</div>")
}

/// Grouped bars, one group per label (months), one bar per series.
pub fn bars(label: &str, labels: &[String], series: &[Series]) -> String {
    if labels.is_empty() || series.is_empty() {
        return "<p class=\"muted\">No data for this chart.</p>".into();
    }
    let frame = {
        let (low, high) = axis_range(series.iter().flat_map(|s| s.values.iter().copied()));
        Frame { low, high }
    };
    let plot = WIDTH - LEFT - RIGHT;
    let group = plot / labels.len() as f64;
    let bar = (group * 0.8 / series.len() as f64).min(48.0);
    let zero = frame.y(0.0);
    let mut body = frame.grid();
    for (i, month) in labels.iter().enumerate() {
        let start = LEFT + group * i as f64 + (group - bar * series.len() as f64) / 2.0;
        for (j, s) in series.iter().enumerate() {
            let value = s.values.get(i).copied().unwrap_or(0.0);
            let y = frame.y(value);
            let (top, height) = if value >= 0.0 {
                (y, zero - y)
            } else {
                (zero, y - zero)
            };
            body.push_str(&format!(
                "<rect class=\"{}\" x=\"{:.1}\" y=\"{top:.1}\" width=\"{:.1}\" height=\"{:.1}\"><title>{} {}: {}</title></rect>",
                s.class,
                start + bar * j as f64,
                (bar - 2.0).max(1.0),
                height.max(0.0),
                esc(s.name),
                esc(month),
                esc(&inr_short(value))
            ));
        }
        body.push_str(&format!(
            "<text class=\"axis\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            LEFT + group * (i as f64 + 0.5),
            HEIGHT - BOTTOM + 16.0,
            esc(month)
        ));
    }
    let swatches: Vec<(&str, &str)> = series.iter().map(|s| (s.name, s.class)).collect();
    format!("{}{body}</svg>{}", svg_open(label), legend(&swatches))
}

/// A line over `points` (label, value) with horizontal reference lines; `None` values (days
/// without a balance) break nothing: they are skipped.
pub fn line(label: &str, points: &[(String, Option<f64>)], references: &[Reference]) -> String {
    let known: Vec<(usize, f64)> = points
        .iter()
        .enumerate()
        .filter_map(|(i, (_, v))| v.map(|v| (i, v)))
        .collect();
    if known.is_empty() {
        return "<p class=\"muted\">No data for this chart.</p>".into();
    }
    let frame = {
        let (low, high) = axis_range(
            known
                .iter()
                .map(|(_, v)| *v)
                .chain(references.iter().map(|r| r.value)),
        );
        Frame { low, high }
    };
    let plot = WIDTH - LEFT - RIGHT;
    let step = plot / points.len().saturating_sub(1).max(1) as f64;
    let x = |i: usize| LEFT + step * i as f64;
    let path: Vec<String> = known
        .iter()
        .map(|(i, v)| format!("{:.1},{:.1}", x(*i), frame.y(*v)))
        .collect();
    let mut body = frame.grid();
    body.push_str(&format!(
        "<polyline class=\"series-line\" points=\"{}\"/>",
        path.join(" ")
    ));
    for r in references {
        let y = frame.y(r.value);
        body.push_str(&format!(
            "<line class=\"{}\" x1=\"{LEFT}\" x2=\"{:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\"><title>{}: {}</title></line>",
            r.class,
            WIDTH - RIGHT,
            esc(r.name),
            esc(&inr_short(r.value))
        ));
    }
    // A few date labels along the axis: first, last and evenly between.
    let ticks = 6.min(points.len());
    for k in 0..ticks {
        let i = if ticks <= 1 {
            0
        } else {
            k * (points.len() - 1) / (ticks - 1)
        };
        if let Some((name, _)) = points.get(i) {
            // The end labels lean inwards so they are not cut at the chart's edges.
            let anchor = match k {
                0 => "start",
                k if k + 1 == ticks => "end",
                _ => "middle",
            };
            body.push_str(&format!(
                "<text class=\"axis\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"{anchor}\">{}</text>",
                x(i),
                HEIGHT - BOTTOM + 16.0,
                esc(name)
            ));
        }
    }
    let mut swatches = vec![("Balance", "series-line-swatch")];
    swatches.extend(references.iter().map(|r| (r.name, r.class)));
    format!("{}{body}</svg>{}", svg_open(label), legend(&swatches))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_end_on_round_figures_and_include_zero() {
        assert_eq!(nice_ceiling(73_500.0), 100_000.0);
        assert_eq!(nice_ceiling(1_900.0), 2_000.0);
        assert_eq!(nice_ceiling(0.0), 1.0);
        assert_eq!(axis_range([120.0, 4_100.0].into_iter()), (0.0, 5_000.0));
        assert_eq!(axis_range([-300.0, 800.0].into_iter()), (-500.0, 1_000.0));
    }

    #[test]
    fn bars_draw_one_rect_per_value_with_its_figure() {
        let svg = bars(
            "Credits and debits",
            &["Jan-2024".into(), "Feb-2024".into()],
            &[
                Series {
                    name: "Credits",
                    class: "credit",
                    values: vec![1000.0, 2500.5],
                },
                Series {
                    name: "Debits",
                    class: "debit",
                    values: vec![700.0, 0.0],
                },
            ],
        );
        assert_eq!(svg.matches("<rect").count(), 4);
        assert!(svg.contains("Credits Feb-2024: ₹2.5K"), "{svg}");
        assert!(svg.contains("aria-label=\"Credits and debits\""));
    }

    #[test]
    fn a_line_skips_unknown_days_and_draws_its_references() {
        let points = vec![
            ("01-Jan".to_owned(), Some(100.0)),
            ("02-Jan".to_owned(), None),
            ("03-Jan".to_owned(), Some(-50.0)),
        ];
        let svg = line(
            "Balance",
            &points,
            &[Reference {
                name: "Average",
                class: "ref-avg",
                value: 25.0,
            }],
        );
        let polyline = svg
            .split("points=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap_or_default();
        assert_eq!(polyline.split(' ').count(), 2, "{polyline}");
        assert!(svg.contains("class=\"ref-avg\""));
        assert!(line("x", &[("a".into(), None)], &[]).contains("No data"));
    }
}
