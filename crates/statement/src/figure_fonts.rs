//! Which font program typed each row's printed figures: fraud evidence, not a reading.
//!
//! An editor that changes a printed figure in place types it again, and cannot type it with
//! the bank's font: the bank embeds a subset (or names a font the editor does not have), so the
//! editor embeds a font of its own. The figures it retyped (a raised amount and every balance
//! carried after it) then show through another font program than the statement's other
//! figures. The engine does not read figures by font; this only records, per row, the program
//! of the run that prints its amount and of the run that prints its balance.

use crate::model::{FigureFonts, Transaction};
use ledgerlens_pdf::PageText;
use rust_decimal::Decimal;
use std::collections::HashMap;

/// What a page says of one figure value: the program that prints it, or `None` where two
/// programs print the same value on the page (then the row's run cannot be told).
type PageFigures = HashMap<Decimal, Option<u64>>;

/// Per row of `transactions` (in their order), the font programs of the runs printing its
/// amount and its balance on the row's page, where one program alone prints that value there.
/// A balance the row does not print (carried from the chain) has none.
pub(crate) fn figure_fonts(pages: &[PageText], transactions: &[Transaction]) -> Vec<FigureFonts> {
    let mut wanted: Vec<usize> = transactions.iter().map(|t| t.page).collect();
    wanted.sort_unstable();
    wanted.dedup();
    let mut by_page: HashMap<usize, PageFigures> = HashMap::with_capacity(wanted.len());
    for page in pages {
        if wanted.binary_search(&page.number).is_err() {
            continue;
        }
        let figures = by_page.entry(page.number).or_default();
        for run in &page.runs {
            let (Some(program), Some(value)) = (run.font_program, figure_value(&run.text)) else {
                continue;
            };
            figures
                .entry(value)
                .and_modify(|seen| {
                    if *seen != Some(program) {
                        *seen = None;
                    }
                })
                .or_insert(Some(program));
        }
    }
    transactions
        .iter()
        .map(|t| {
            let figures = by_page.get(&t.page);
            let program = |value: Decimal| {
                figures
                    .and_then(|figures| figures.get(&value.abs().normalize()))
                    .copied()
                    .flatten()
            };
            FigureFonts {
                amount: program(t.amount),
                balance: (!t.balance_derived).then(|| program(t.balance)).flatten(),
            }
        })
        .collect()
}

/// The value a word prints when it is a money figure: digits grouped by commas and/or with one
/// to two decimals ("1,23,456.00", "45.5", "12,000"), perhaps signed, bracketed or marked
/// ("-", "(…)", "Cr", "Dr", "₹", "Rs."). Dates, times, references and plain integers are no
/// figure.
fn figure_value(text: &str) -> Option<Decimal> {
    let bytes = text.as_bytes();
    let first = bytes.iter().position(u8::is_ascii_digit)?;
    let last = bytes.iter().rposition(u8::is_ascii_digit)?;
    let (before, body, after) = (&text[..first], &bytes[first..=last], &text[last + 1..]);
    let marks_only = |part: &str| {
        part.chars().filter(char::is_ascii_alphabetic).count() <= 3
            && part
                .chars()
                .all(|c| c.is_ascii_alphabetic() || "-+().₹".contains(c))
    };
    if !marks_only(before) || !marks_only(after) {
        return None;
    }
    let mut digits: i128 = 0;
    let mut count = 0usize;
    let mut scale: Option<u32> = None;
    let mut grouped = false;
    for &b in body {
        match b {
            b'0'..=b'9' => {
                count += 1;
                if count > 24 {
                    return None;
                }
                digits = digits * 10 + i128::from(b - b'0');
                if let Some(places) = scale.as_mut() {
                    *places += 1;
                }
            }
            b',' if scale.is_none() => grouped = true,
            b'.' if scale.is_none() => scale = Some(0),
            _ => return None,
        }
    }
    match scale {
        Some(1..=2) => {}
        None if grouped => {}
        _ => return None,
    }
    Decimal::try_from_i128_with_scale(digits, scale.unwrap_or(0))
        .ok()
        .map(|value| value.normalize())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::TransactionType;
    use ledgerlens_pdf::TextRun;

    #[test]
    fn money_figures_are_read_and_other_numbers_are_not() {
        let value = |text: &str| figure_value(text).map(|d| d.to_string());
        assert_eq!(value("1,23,456.00").as_deref(), Some("123456"));
        assert_eq!(value("45.50Cr").as_deref(), Some("45.5"));
        assert_eq!(value("(1,200.75)").as_deref(), Some("1200.75"));
        assert_eq!(value("-12,000").as_deref(), Some("12000"));
        assert_eq!(value("Rs.500.00").as_deref(), Some("500"));
        assert_eq!(value("01-04-2024"), None);
        assert_eq!(value("12.05.2024"), None);
        assert_eq!(value("10:30"), None);
        assert_eq!(value("402912345678"), None);
        assert_eq!(value("NEFT/1234.56"), None);
        assert_eq!(value("1.5%"), None);
    }

    fn run(text: &str, y: f32, program: u64) -> TextRun {
        TextRun {
            text: text.into(),
            x0: 0.0,
            x1: 10.0,
            y,
            size: 9.0,
            font: None,
            font_program: Some(program),
            invisible: false,
        }
    }

    fn row(amount: i64, balance: i64) -> Transaction {
        Transaction {
            transaction_type: TransactionType::Credit,
            transaction_note: String::new(),
            chq_num: String::new(),
            amount: Decimal::new(amount, 2),
            balance: Decimal::new(balance, 2),
            date: chrono::NaiveDate::from_ymd_opt(2025, 1, 2)
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .unwrap_or_default(),
            value_date: None,
            hash: String::new(),
            page: 1,
            balance_derived: false,
        }
    }

    #[test]
    fn each_row_gets_the_program_of_the_runs_printing_its_figures() {
        let page = PageText {
            number: 1,
            runs: vec![
                run("500.00", 100.0, 7),
                run("1,500.00", 100.0, 7),
                run("2,000.00", 110.0, 9),
                run("3,500.00", 110.0, 9),
                // The same value printed in two programs: that row's figure cannot be told.
                run("250.00", 120.0, 7),
                run("250.00", 130.0, 9),
            ],
            ..PageText::default()
        };
        let fonts = figure_fonts(
            &[page],
            &[
                row(50_000, 150_000),
                row(200_000, 350_000),
                row(25_000, 375_000),
            ],
        );
        assert_eq!(
            fonts,
            vec![
                FigureFonts {
                    amount: Some(7),
                    balance: Some(7)
                },
                FigureFonts {
                    amount: Some(9),
                    balance: Some(9)
                },
                FigureFonts {
                    amount: None,
                    balance: None
                },
            ]
        );
    }
}
