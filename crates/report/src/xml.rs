//! The XML rendering of the same model: one element per sheet, one `row` per row, one element
//! per non-empty cell named after its column, with a `type` attribute so a reader can type it.

use crate::model::{Cell, Report, Sheet};
use std::fmt::Write;

pub fn render(report: &Report) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<report scope=\"{}\" id=\"{}\">",
        report.scope.name(),
        escape(&report.id)
    );
    for sheet in &report.sheets {
        write_sheet(&mut out, sheet);
    }
    out.push_str("</report>\n");
    out
}

fn write_sheet(out: &mut String, sheet: &Sheet) {
    let _ = writeln!(out, "  <{} title=\"{}\">", sheet.key, escape(&sheet.name));
    let names: Vec<String> = sheet
        .columns
        .iter()
        .map(|c| c.key.map_or_else(|| element_name(&c.title), str::to_owned))
        .collect();
    for row in &sheet.rows {
        out.push_str("    <row>");
        for (cell, (name, column)) in row.iter().zip(names.iter().zip(&sheet.columns)) {
            if let Some((kind, text)) = cell_text(cell) {
                let _ = write!(
                    out,
                    "<{name} type=\"{kind}\" column=\"{}\">{}</{name}>",
                    escape(&column.title),
                    escape(&text)
                );
            }
        }
        out.push_str("</row>\n");
    }
    let _ = writeln!(out, "  </{}>", sheet.key);
}

/// (type, text) of a cell; money keeps two decimals, dates are ISO.
fn cell_text(cell: &Cell) -> Option<(&'static str, String)> {
    Some(match cell {
        Cell::Empty => return None,
        Cell::Text(t) => ("text", t.clone()),
        Cell::Count(n) => ("count", n.to_string()),
        Cell::Money(m) => ("money", format!("{:.2}", m.round_dp(2))),
        Cell::Number(n) => ("number", n.normalize().to_string()),
        Cell::Percent(n) => ("percent", format!("{:.2}", n.round_dp(2))),
        Cell::Date(d) => ("date", d.format("%Y-%m-%d").to_string()),
        Cell::Month(d) => ("month", d.format("%Y-%m").to_string()),
        Cell::Bool(b) => ("boolean", b.to_string()),
    })
}

/// A column title as an XML name: lower-case ASCII words joined by underscores.
pub fn element_name(title: &str) -> String {
    let mut name = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            name.push(c.to_ascii_lowercase());
        } else if !name.ends_with('_') {
            name.push('_');
        }
    }
    let name = name.trim_matches('_').to_owned();
    // Names may not start with a digit (month columns such as "Aug-2025" do not, but be safe).
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("c_{name}")
    } else {
        name
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters are not allowed in XML 1.0; narrations sometimes carry them.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_titles_become_xml_names() {
        assert_eq!(element_name("Cheque no"), "cheque_no");
        assert_eq!(element_name("Aug-2025"), "aug_2025");
        assert_eq!(element_name("Top credits & debits"), "top_credits_debits");
        assert_eq!(element_name("2025"), "c_2025");
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            escape("A&B <x> \"q\"\u{1}"),
            "A&amp;B &lt;x&gt; &quot;q&quot; "
        );
    }
}
