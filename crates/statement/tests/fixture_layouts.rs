//! Every generated layout, parsed end to end and compared field by field with its ground truth.

use ledgerlens_fixtures::{generate, layout_names, StatementTruth};
use ledgerlens_statement::{parse_pdf, ParseOptions, ParsedStatement, TransactionType};

/// Layouts × seeds checked on every test run; long_12m has its own test (it is 100+ pages).
const SEEDS: [u64; 3] = [1, 7, 2024];

fn parse(pdf: Vec<u8>, truth: &StatementTruth) -> ParsedStatement {
    let options = ParseOptions {
        expected_bank: Some(truth.bank.clone()),
        ..ParseOptions::default()
    };
    match parse_pdf(pdf, &options) {
        Ok(p) => p,
        Err(e) => panic!("{} failed to parse: {:?} ({e})", truth.layout, e.kind()),
    }
}

/// Differences between the parse and the truth, one line each.
fn differences(parsed: &ParsedStatement, truth: &StatementTruth) -> Vec<String> {
    let mut diffs = Vec::new();
    let id = &parsed.identity;
    let t = &truth.identity;
    let mut check = |field: &str, got: Option<String>, want: Option<String>| {
        if got != want {
            diffs.push(format!("identity.{field}: got {got:?}, want {want:?}"));
        }
    };
    check("name", id.name.clone(), Some(t.name.clone()));
    check(
        "account_number",
        id.account_number.clone(),
        Some(t.account_number.clone()),
    );
    check("ifsc", id.ifsc.clone(), t.ifsc.clone());
    check("micr", id.micr.clone(), t.micr.clone());
    check("address", id.address.clone(), Some(t.address.clone()));
    check(
        "account_category",
        id.account_category.clone(),
        Some(t.account_category.clone()),
    );
    check(
        "from_date",
        id.from_date.map(|d| d.to_string()),
        Some(t.from_date.to_string()),
    );
    check(
        "to_date",
        id.to_date.map(|d| d.to_string()),
        Some(t.to_date.to_string()),
    );
    // Printed by a few layouts only; elsewhere the truth is None and so must the parse be.
    check(
        "dob",
        id.dob.map(|d| d.to_string()),
        t.dob.map(|d| d.to_string()),
    );
    check(
        "account_status",
        id.account_status.clone(),
        t.account_status.clone(),
    );
    check("holder_type", id.holder_type.clone(), t.holder_type.clone());
    check(
        "bank",
        parsed.bank.as_ref().map(|b| b.bank.id.to_lowercase()),
        Some(truth.bank.clone()),
    );
    if parsed.transactions.len() != truth.transactions.len() {
        diffs.push(format!(
            "{} transactions, want {}",
            parsed.transactions.len(),
            truth.transactions.len()
        ));
    }
    for (i, (got, want)) in parsed
        .transactions
        .iter()
        .zip(&truth.transactions)
        .enumerate()
    {
        let side = match got.transaction_type {
            TransactionType::Credit => "credit",
            TransactionType::Debit => "debit",
        };
        let fields = [
            ("date", got.date.to_string(), want.date.to_string()),
            (
                "note",
                got.transaction_note.clone(),
                want.transaction_note.clone(),
            ),
            ("chq_num", got.chq_num.clone(), want.chq_num.clone()),
            (
                "amount",
                got.amount.normalize().to_string(),
                want.amount.normalize().to_string(),
            ),
            ("type", side.to_owned(), want.transaction_type.clone()),
            (
                "balance",
                got.balance.normalize().to_string(),
                want.balance.normalize().to_string(),
            ),
        ];
        for (name, g, w) in fields {
            if g != w {
                diffs.push(format!("row {i} {name}: got {g:?}, want {w:?}"));
            }
        }
    }
    if !parsed.reconciliation.reconciled {
        diffs.push(format!("not reconciled: {:?}", parsed.reconciliation));
    }
    diffs
}

#[test]
fn every_layout_parses_exactly() {
    let mut report = Vec::new();
    let mut failures = 0;
    let mut profiled = 0;
    for layout in layout_names().into_iter().filter(|l| *l != "long_12m") {
        for seed in SEEDS {
            let (pdf, truth) = generate(layout, seed).expect("fixture generates");
            let parsed = parse(pdf, &truth);
            let t = &truth.identity;
            if t.dob.is_some() && t.account_status.is_some() && t.holder_type.is_some() {
                profiled += 1;
            }
            let diffs = differences(&parsed, &truth);
            let exact_rows = truth.transactions.len()
                - diffs
                    .iter()
                    .filter(|d| d.starts_with("row "))
                    .map(|d| d.split(' ').nth(1))
                    .collect::<std::collections::HashSet<_>>()
                    .len();
            report.push(format!(
                "{layout:<22} seed {seed:<5} rows {exact_rows}/{} exact, {} differences",
                truth.transactions.len(),
                diffs.len()
            ));
            if !diffs.is_empty() {
                failures += 1;
                report.extend(diffs.iter().take(8).map(|d| format!("    {d}")));
            }
        }
    }
    println!("{}", report.join("\n"));
    // The optional header facts must be printed somewhere, or their checks prove nothing.
    assert!(
        profiled >= 2 * SEEDS.len(),
        "only {profiled} statements print dob, status and mode"
    );
    assert_eq!(
        failures,
        0,
        "layouts with differences:\n{}",
        report.join("\n")
    );
}
