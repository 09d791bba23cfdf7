//! Every real-statement habit the generator draws (crates/fixtures `Quirks`), switched on one at
//! a time on every hand-written layout, parsed and compared with the truth row by row. Prints a
//! table of exact statements per quirk; asserts a floor per quirk.
//!
//! The generator and the engine are written by the same team: these figures say the engine
//! reads what the generator draws, not how it does on statements banks print.

use ledgerlens_fixtures::format::{AmountSpelling, Currency, Decimals};
use ledgerlens_fixtures::layout::{BalanceStyle, ColumnKind, Quirks, RowStyle};
use ledgerlens_fixtures::{generate_spec, layouts, LayoutSpec, StatementTruth};
use ledgerlens_statement::{parse_pdf, ParseOptions, ParsedStatement, TransactionType};

type Quirk = (&'static str, fn(&LayoutSpec) -> Option<Quirks>);

fn with(spec: &LayoutSpec, change: impl FnOnce(&mut Quirks)) -> Option<Quirks> {
    let mut q = spec.quirks;
    change(&mut q);
    Some(q)
}

fn quirks() -> Vec<Quirk> {
    vec![
        ("date cells dropped half a size", |s| {
            with(s, |q| {
                q.date_cell_drop = (s.body_size * 0.5 * 10.0).round() / 10.0
            })
        }),
        ("dates without year", |s| {
            let printed = s.prints("{from}") && s.prints("{to}") && !s.date_format.prints_time();
            printed.then(|| with(s, |q| q.yearless_dates = Some(true)))?
        }),
        ("date on a day's first row only", |s| {
            with(s, |q| q.date_on_first_row_of_day = true)
        }),
        ("hold/lien notes", |s| {
            with(s, |q| q.hold_note_every = Some(7))
        }),
        ("last row repeated after page break", |s| {
            with(s, |q| q.repeat_row_after_page_break = true)
        }),
        ("report printed several to a sheet", |s| {
            let split = s.columns.iter().any(|c| c.kind == ColumnKind::Withdrawal);
            (split && !s.newest_first).then(|| with(s, |q| q.report_break_every = Some(15)))?
        }),
        ("date wrapped before the year", |s| {
            let fits = s.row_style == RowStyle::NarrationBelow && !s.date_format.prints_time();
            let four_digit = s
                .date_format
                .format(chrono::NaiveDate::from_ymd_opt(2024, 1, 5)?.and_hms_opt(0, 0, 0)?)
                .ends_with("2024");
            (fits && four_digit).then(|| with(s, |q| q.split_date_cell = true))?
        }),
        ("amount wraps its last digit", |s| {
            (s.row_style == RowStyle::NarrationBelow)
                .then(|| with(s, |q| q.wrapped_amount_every = Some(6)))?
        }),
        ("heading not in the text layer", |s| {
            with(s, |q| q.heading_not_in_text = true)
        }),
        ("narration cut into fixed-length pieces", |s| {
            with(s, |q| q.chunked_narration = true)
        }),
        ("withdrawal printed against the narration", |s| {
            let split = s.columns.iter().any(|c| c.kind == ColumnKind::Withdrawal);
            split.then(|| with(s, |q| q.amount_in_narration_every = Some(5)))?
        }),
        ("overdraft balance printed without sign", |s| {
            (s.balance_style == BalanceStyle::Signed)
                .then(|| with(s, |q| q.unsigned_overdraft = true))?
        }),
        ("amounts as floats print (6000.0, .83)", |s| {
            with(s, |q| {
                q.amount_spelling = AmountSpelling {
                    currency: Currency::None,
                    decimals: Decimals::Trimmed,
                    no_leading_zero: true,
                }
            })
        }),
        ("whole rupees without decimals (6000)", |s| {
            with(s, |q| {
                q.amount_spelling = AmountSpelling {
                    decimals: Decimals::WholeBare,
                    ..AmountSpelling::default()
                }
            })
        }),
        ("\"0.00\" in the unused amount cell", |s| {
            let split = s.columns.iter().any(|c| c.kind == ColumnKind::Withdrawal);
            split.then(|| with(s, |q| q.empty_amount_placeholder = Some("0.00")))?
        }),
        ("\"-\" in the unused amount cell", |s| {
            let split = s.columns.iter().any(|c| c.kind == ColumnKind::Withdrawal);
            split.then(|| with(s, |q| q.empty_amount_placeholder = Some("-")))?
        }),
        ("\"NA\" in empty reference cells", |s| {
            let reference = s
                .columns
                .iter()
                .any(|c| matches!(c.kind, ColumnKind::ChequeOrRef | ColumnKind::Cheque));
            reference.then(|| with(s, |q| q.empty_reference_placeholder = Some("NA")))?
        }),
        ("Hindi headings above the English ones", |s| {
            with(s, |q| q.bilingual_headings = Some(true))
        }),
        ("Hindi heading before each English one", |s| {
            with(s, |q| q.bilingual_headings = Some(false))
        }),
        ("identity block on every page", |s| {
            s.header_on_every_page
                .then(|| with(s, |q| q.identity_on_every_page = true))?
        }),
        ("balance on a day's last row only", |s| {
            let balance = s.columns.iter().any(|c| c.kind == ColumnKind::Balance);
            (balance && !s.newest_first).then(|| with(s, |q| q.balance_on_day_end_only = true))?
        }),
        ("negative money in parentheses", |s| {
            let signed = s.balance_style == BalanceStyle::Signed
                || s.columns.iter().any(|c| c.kind == ColumnKind::SignedAmount);
            signed.then(|| with(s, |q| q.accounting_parentheses = true))?
        }),
        ("references wrapped in a narrow column", |s| {
            let reference = s.columns.iter().any(|c| c.kind == ColumnKind::ChequeOrRef);
            // The column is cut to ten digits' width below, as the random layouts draw it.
            reference.then(|| with(s, |q| q.narrow_reference_column = true))?
        }),
        // The columns are reordered below, as the random layouts draw it.
        ("balance printed before the amounts", |s| {
            with(s, |q| q.reordered_columns = Some(false))
        }),
    ]
}

fn exact(parsed: &ParsedStatement, truth: &StatementTruth) -> bool {
    parsed.transactions.len() == truth.transactions.len()
        && parsed
            .transactions
            .iter()
            .zip(&truth.transactions)
            .all(|(got, want)| {
                let side = match got.transaction_type {
                    TransactionType::Credit => "credit",
                    TransactionType::Debit => "debit",
                };
                got.date == want.date
                    && got.amount == want.amount
                    && got.balance == want.balance
                    && side == want.transaction_type
                    && got.transaction_note == want.transaction_note
                    && got.chq_num == want.chq_num
            })
}

#[test]
fn every_quirk_on_every_hand_written_layout() {
    let mut failures = Vec::new();
    let mut total_exact = 0;
    let mut total = 0;
    for (name, apply) in quirks() {
        let (mut ok, mut tried) = (0, 0);
        for base in layouts() {
            let Some(q) = apply(&base) else { continue };
            let mut spec = LayoutSpec { quirks: q, ..base };
            if q.narrow_reference_column {
                spec.narrow_reference_column(10);
            }
            if let Some(narration_first) = q.reordered_columns {
                spec.quirks.reordered_columns = None;
                if !spec.reorder_columns(narration_first) {
                    continue;
                }
            }
            let (pdf, truth) = generate_spec(&spec, 7).expect("renders");
            let options = ParseOptions {
                expected_bank: Some(truth.bank.clone()),
                ..ParseOptions::default()
            };
            tried += 1;
            match parse_pdf(pdf, &options) {
                Ok(parsed) if exact(&parsed, &truth) => ok += 1,
                Ok(parsed) => failures.push(format!(
                    "{name} on {}: {} rows read of {}, reconciled {}",
                    spec.name,
                    parsed.transactions.len(),
                    truth.transactions.len(),
                    parsed.reconciliation.reconciled
                )),
                Err(e) => failures.push(format!("{name} on {}: {:?}", spec.name, e.kind())),
            }
        }
        println!("{name:40} {ok:3}/{tried:<3} exact");
        total_exact += ok;
        total += tried;
    }
    for f in &failures {
        println!("  {f}");
    }
    println!("{total_exact}/{total} quirked statements exact");
    // Raise as the engine improves.
    assert!(
        total_exact * 100 >= total * 90,
        "only {total_exact}/{total} quirked statements exact"
    );
}
