//! Figures banks print about the table outside it: a summary block (opening and closing
//! balance, debit and credit totals and counts) and page labels ("Page 3 of 9"). The engine
//! checks the rows against them, so a statement that lost rows or pages cannot pass as clean.

use crate::lines::normalise;
use crate::text::{Line, Phrase};
use crate::values;
use rust_decimal::Decimal;
use std::sync::OnceLock;

/// What a summary block printed; every field optional.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SummaryFigures {
    pub opening: Option<Decimal>,
    pub closing: Option<Decimal>,
    pub debit_total: Option<Decimal>,
    pub credit_total: Option<Decimal>,
    pub debit_count: Option<usize>,
    pub credit_count: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Opening,
    Closing,
    DebitTotal,
    CreditTotal,
    DebitCount,
    CreditCount,
}

fn labels() -> &'static [(Field, String)] {
    static TABLE: OnceLock<Vec<(Field, String)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        include_str!("../data/summary_labels.tsv")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| {
                let (field, label) = l.split_once('\t')?;
                let field = match field {
                    "opening" => Field::Opening,
                    "closing" => Field::Closing,
                    "debit_total" => Field::DebitTotal,
                    "credit_total" => Field::CreditTotal,
                    "debit_count" => Field::DebitCount,
                    "credit_count" => Field::CreditCount,
                    _ => return None,
                };
                Some((field, normalise(label)))
            })
            .collect()
    })
}

fn field_of(phrase: &str) -> Option<Field> {
    let text = normalise(phrase);
    labels().iter().find(|(_, l)| *l == text).map(|(f, _)| *f)
}

/// Reads the summary block out of lines outside the table. Two shapes are read: a line of
/// labels over a line of values (each value under its label), and "Label : value" pairs.
/// A block counts only when it names at least two fields, so a lone "Deposits" in a footer
/// or a heading is not taken for a total.
pub fn printed_summary(lines: &[Line]) -> SummaryFigures {
    let mut found: Vec<(Field, String)> = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let phrases = line.phrases(1.2);
        let labelled: Vec<(Field, &Phrase)> = phrases
            .iter()
            .filter_map(|p| Some((field_of(&p.text)?, p)))
            .collect();
        if labelled.len() >= 2 {
            if let Some(values) = lines.get(index + 1).filter(|next| just_below(line, next)) {
                let value_phrases = values.phrases(1.2);
                for (field, label) in &labelled {
                    if let Some(v) = value_phrases.iter().find(|v| overlaps(label, v)) {
                        found.push((*field, v.text.clone()));
                    }
                }
                continue;
            }
        }
        found.extend(label_value_pairs(&phrases));
    }
    let distinct: std::collections::HashSet<_> = found.iter().map(|(f, _)| *f as u8).collect();
    if distinct.len() < 2 {
        return SummaryFigures::default();
    }
    let mut figures = SummaryFigures::default();
    for (field, text) in found {
        let money = || values::parse_amount(&text);
        let count = || text.trim().parse::<usize>().ok();
        match field {
            Field::Opening => set(&mut figures.opening, money().map(|a| a.signed_balance())),
            Field::Closing => set(&mut figures.closing, money().map(|a| a.signed_balance())),
            Field::DebitTotal => set(&mut figures.debit_total, money().map(|a| a.value.abs())),
            Field::CreditTotal => set(&mut figures.credit_total, money().map(|a| a.value.abs())),
            Field::DebitCount => set(&mut figures.debit_count, count()),
            Field::CreditCount => set(&mut figures.credit_count, count()),
        }
    }
    figures
}

fn set<T>(slot: &mut Option<T>, value: Option<T>) {
    if slot.is_none() {
        *slot = value;
    }
}

/// "Total Debits : 1,234.00" / "Dr Count 12": a label phrase followed by a value phrase.
fn label_value_pairs(phrases: &[Phrase]) -> Vec<(Field, String)> {
    let mut out = Vec::new();
    for pair in phrases.windows(2) {
        let label = pair[0].text.trim_end_matches([':', ' ']);
        let value = pair[1].text.trim_start_matches([':', ' ']);
        if let Some(field) = field_of(label) {
            if !value.is_empty() && (is_count(value) || values::parse_amount(value).is_some()) {
                out.push((field, value.to_owned()));
            }
        }
    }
    out
}

fn is_count(text: &str) -> bool {
    !text.is_empty() && text.len() <= 7 && text.chars().all(|c| c.is_ascii_digit())
}

fn just_below(above: &Line, below: &Line) -> bool {
    above.page == below.page && below.y > above.y && below.y - above.y <= above.size * 2.2
}

fn overlaps(a: &Phrase, b: &Phrase) -> bool {
    a.x0 < b.x1 + 1.0 && b.x0 < a.x1 + 1.0
}

/// The page count a statement prints in its page labels ("Page 3 of 9", "Page 3/9"), if any.
pub fn printed_page_total<'a>(lines: impl IntoIterator<Item = &'a Line>) -> Option<usize> {
    lines
        .into_iter()
        .filter_map(|line| page_of_total(&line.text()))
        .map(|(_, total)| total)
        .max()
}

/// ("Page 3 of 9" | "Page 3/9" | "Page No. 3 of 9") -> (3, 9).
fn page_of_total(text: &str) -> Option<(usize, usize)> {
    let lower = text.to_lowercase();
    let at = lower.find("page")?;
    let rest = &lower[at + 4..];
    let numbers: Vec<usize> = rest
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .take(2)
        .filter_map(|s| s.parse().ok())
        .collect();
    let connected = rest.contains(" of ") || rest.contains('/');
    match numbers.as_slice() {
        [page, total] if connected && page <= total && *total < 10_000 => Some((*page, *total)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Word;

    fn line(y: f32, words: &[(&str, f32)]) -> Line {
        Line {
            page: 1,
            y,
            size: 8.0,
            words: words
                .iter()
                .map(|(t, x)| Word {
                    text: (*t).to_owned(),
                    x0: *x,
                    x1: *x + t.len() as f32 * 4.0,
                })
                .collect(),
        }
    }

    #[test]
    fn reads_labels_over_values() {
        let lines = [
            line(
                100.0,
                &[("STATEMENT", 10.0), ("SUMMARY", 52.0), (":-", 90.0)],
            ),
            line(
                110.0,
                &[
                    ("Opening", 10.0),
                    ("Balance", 42.0),
                    ("Dr", 110.0),
                    ("Count", 122.0),
                    ("Cr", 170.0),
                    ("Count", 182.0),
                    ("Debits", 240.0),
                    ("Credits", 300.0),
                    ("Closing", 360.0),
                    ("Bal", 392.0),
                ],
            ),
            line(
                120.0,
                &[
                    ("1,000.00", 30.0),
                    ("41", 126.0),
                    ("12", 186.0),
                    ("5,000.00", 236.0),
                    ("6,000.50", 296.0),
                    ("2,000.50", 372.0),
                ],
            ),
        ];
        let figures = printed_summary(&lines);
        assert_eq!(figures.opening, Some(Decimal::new(100000, 2)));
        assert_eq!(figures.debit_count, Some(41));
        assert_eq!(figures.credit_count, Some(12));
        assert_eq!(figures.debit_total, Some(Decimal::new(500000, 2)));
        assert_eq!(figures.credit_total, Some(Decimal::new(600050, 2)));
        assert_eq!(figures.closing, Some(Decimal::new(200050, 2)));
    }

    #[test]
    fn reads_kotak_and_idfc_style_summary_labels() {
        // Kotak: counts and totals spelled out; IDFC: totals only.
        let kotak = [
            line(
                110.0,
                &[
                    ("Withdrawal", 10.0),
                    ("Count", 54.0),
                    ("Deposit", 110.0),
                    ("Count", 142.0),
                    ("Total", 200.0),
                    ("Withdrawal", 222.0),
                    ("Amount", 266.0),
                    ("Total", 320.0),
                    ("Deposit", 342.0),
                    ("Amount", 374.0),
                ],
            ),
            line(
                120.0,
                &[
                    ("7", 40.0),
                    ("3", 150.0),
                    ("5,000.00", 260.0),
                    ("6,000.50", 370.0),
                ],
            ),
        ];
        let figures = printed_summary(&kotak);
        assert_eq!(figures.debit_count, Some(7));
        assert_eq!(figures.credit_count, Some(3));
        assert_eq!(figures.debit_total, Some(Decimal::new(500000, 2)));
        assert_eq!(figures.credit_total, Some(Decimal::new(600050, 2)));
        let idfc = [
            line(
                10.0,
                &[
                    ("Total", 10.0),
                    ("Debit", 32.0),
                    (":", 60.0),
                    ("1,234.00", 80.0),
                ],
            ),
            line(
                20.0,
                &[
                    ("Total", 10.0),
                    ("Credit", 32.0),
                    (":", 64.0),
                    ("99.00", 80.0),
                ],
            ),
            line(
                30.0,
                &[
                    ("No.", 10.0),
                    ("of", 26.0),
                    ("Debits", 38.0),
                    (":", 66.0),
                    ("4", 80.0),
                ],
            ),
        ];
        let figures = printed_summary(&idfc);
        assert_eq!(figures.debit_total, Some(Decimal::new(123400, 2)));
        assert_eq!(figures.credit_total, Some(Decimal::new(9900, 2)));
        assert_eq!(figures.debit_count, Some(4));
    }

    #[test]
    fn reads_label_value_pairs_and_ignores_a_lone_label() {
        let lines = [
            line(
                10.0,
                &[
                    ("Total", 10.0),
                    ("Debits", 32.0),
                    (":", 60.0),
                    ("1,234.00", 80.0),
                ],
            ),
            line(
                20.0,
                &[
                    ("Total", 10.0),
                    ("Credits", 32.0),
                    (":", 64.0),
                    ("99.00", 80.0),
                ],
            ),
        ];
        let figures = printed_summary(&lines);
        assert_eq!(figures.debit_total, Some(Decimal::new(123400, 2)));
        assert_eq!(figures.credit_total, Some(Decimal::new(9900, 2)));
        let lone = [line(10.0, &[("Deposits", 10.0), ("1,234.00", 80.0)])];
        assert_eq!(printed_summary(&lone), SummaryFigures::default());
    }

    #[test]
    fn page_labels_give_the_printed_page_count() {
        assert_eq!(page_of_total("Page 3 of 9"), Some((3, 9)));
        assert_eq!(page_of_total("Page No. 2 of 4"), Some((2, 4)));
        assert_eq!(page_of_total("Page 3/9"), Some((3, 9)));
        assert_eq!(page_of_total("Page 3"), None);
        assert_eq!(page_of_total("Pages 10 of 2"), None);
        let lines = [line(
            10.0,
            &[("Page", 10.0), ("2", 40.0), ("of", 50.0), ("7", 62.0)],
        )];
        assert_eq!(printed_page_total(&lines), Some(7));
    }
}
