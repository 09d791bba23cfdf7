//! Words from the PDF layer grouped into visual lines.

use crate::text::{Line, Word};
use ledgerlens_pdf::PageText;

/// Groups a page's words into lines: words whose baselines are within a third of the font size.
pub fn page_lines(page: &PageText) -> Vec<Line> {
    let mut lines: Vec<Line> = Vec::new();
    // The PDF layer returns words in baseline bands, top to bottom and left to right.
    for run in &page.runs {
        let word = Word {
            text: run.text.clone(),
            x0: run.x0,
            x1: run.x1,
        };
        match lines.last_mut() {
            Some(line) if (run.y - line.y).abs() <= line.size.max(run.size) * 0.35 => {
                line.size = line.size.max(run.size);
                line.words.push(word);
            }
            _ => lines.push(Line {
                page: page.number,
                y: run.y,
                size: run.size,
                words: vec![word],
            }),
        }
    }
    for line in &mut lines {
        line.words.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    }
    lines
}

/// Lower case, dots dropped, spaces around "/" removed, runs of spaces collapsed: the form the
/// data tables are written in.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '.' | ':' | '(' | ')' | '[' | ']' | ',' | '_' | '-' | '*' => out.push(' '),
            c => out.extend(c.to_lowercase()),
        }
    }
    let collapsed = out.split_whitespace().collect::<Vec<_>>().join(" ");
    collapsed.replace(" /", "/").replace("/ ", "/")
}

#[cfg(test)]
mod tests {
    use super::normalise;

    #[test]
    fn normalises_headings() {
        assert_eq!(normalise("Chq./Ref.No."), "chq/ref no");
        assert_eq!(
            normalise("Withdrawal Amount (INR )"),
            "withdrawal amount inr"
        );
        assert_eq!(normalise("Dr / Cr"), "dr/cr");
        assert_eq!(normalise("  Value   Dt "), "value dt");
    }
}
