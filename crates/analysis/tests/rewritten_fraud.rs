//! Fraud without false alarms on genuine statements that went through honest programs after
//! the bank made them: re-distilled by Ghostscript (pdfwrite, its presets), printed to PDF
//! through cairo (`pdftocairo -pdf`), re-serialised by qpdf (ledgerlens_fixtures::rewrite),
//! and net-banking pages and sheets printed by Chromium (Skia/PDF) and LibreOffice
//! (ledgerlens_fixtures::printed). Each file is parsed with its bank given (as the session
//! flow gives it) and enriched as `ledgerlens parse` does; none is an edit, so none may carry
//! a fraud entry. A rewrite is a fact worth a warning, not by itself fraud: what a printer
//! driver's re-save ("Microsoft Print to PDF") is judged by stays in fraud_fixtures.
//!
//! Without the programs the test skips, unless LEDGERLENS_REQUIRE_RENDERERS is set (CI sets
//! it). LEDGERLENS_REWRITE_SEEDS random layouts (default 4) and the built-in layouts with seed
//! 1, each through every text-keeping rewrite; LEDGERLENS_PRINTED_SEEDS seeds per printed style
//! (default 1).
//! Run: cargo test -p ledgerlens-analysis --test rewritten_fraud -- --nocapture

use std::collections::BTreeMap;

use ledgerlens_analysis::fraud::FraudReport;
use ledgerlens_analysis::{enrich, AccountInput, EnrichmentContext, StatementInput};
use ledgerlens_fixtures::printed::{printed_statement, STYLES};
use ledgerlens_fixtures::rewrite::{render_printed, BORROWER_PROGRAMS, REWRITES};
use ledgerlens_fixtures::{
    generate_monthly_files, generate_random, generate_with_habits, layouts, tampered_balance,
    StatementTruth,
};
use ledgerlens_statement::{parse_pdf, ParseOptions};

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default)
}

fn programs_available() -> bool {
    let programs = REWRITES.iter().map(|r| r.program()).chain([
        ("chromium", "chromium"),
        ("soffice", "libreoffice-calc-nogui"),
    ]);
    ledgerlens_fixtures::rewrite::programs_available(programs)
}

/// The fraud report `ledgerlens parse` gives the file, or why it gave none.
fn fraud_of(pdf: Vec<u8>, truth: &StatementTruth) -> Result<FraudReport, String> {
    let options = ParseOptions {
        expected_bank: Some(truth.bank.clone()),
        ..ParseOptions::default()
    };
    let parsed = parse_pdf(pdf, &options).map_err(|e| format!("{:?}", e.kind()))?;
    let account = AccountInput {
        account_number: parsed.identity.account_number.clone(),
        statements: vec![StatementInput::from_parsed("s1", &parsed)],
        ..AccountInput::default()
    };
    Ok(enrich(&account, &EnrichmentContext::default()).fraud)
}

#[derive(Default)]
struct Tally {
    statements: usize,
    with_fraud: usize,
    refused: usize,
    rules: BTreeMap<String, usize>,
    warnings: BTreeMap<String, usize>,
}

impl Tally {
    fn add(&mut self, label: &str, report: Result<FraudReport, String>) {
        let report = match report {
            Ok(report) => report,
            Err(kind) => {
                println!("{label}: refused ({kind})");
                self.refused += 1;
                return;
            }
        };
        self.statements += 1;
        for entry in &report.warnings {
            *self
                .warnings
                .entry(format!("{}/{}", entry.fraud_type, entry.rule))
                .or_default() += 1;
        }
        if report.fraud.is_empty() {
            return;
        }
        self.with_fraud += 1;
        let rules: std::collections::BTreeSet<String> = report
            .fraud
            .iter()
            .map(|entry| format!("{}/{}", entry.fraud_type, entry.rule))
            .collect();
        println!("{label}: fraud {rules:?}");
        for rule in rules {
            *self.rules.entry(rule).or_default() += 1;
        }
    }
}

/// A truth habit "signed by the bank (...) N s after rendering" with N a day or more.
fn signed_days_later(habit: &str) -> bool {
    habit.starts_with("signed by the bank")
        && habit
            .split_whitespace()
            .rev()
            .nth(3)
            .and_then(|seconds| seconds.parse::<i64>().ok())
            .is_some_and(|seconds| seconds >= 86_400)
}

#[test]
fn genuine_statements_rewritten_by_honest_programs_carry_no_fraud() {
    if !programs_available() {
        return;
    }
    let mut names: Vec<String> = layouts().into_iter().map(|s| s.name.to_string()).collect();
    names.sort();
    let random_seeds = env_number("LEDGERLENS_REWRITE_SEEDS", 4);
    let mut originals = Vec::new();
    for name in &names {
        if let Ok(generated) = generate_with_habits(name, 1) {
            originals.push((format!("{name}/1"), generated));
        }
    }
    for seed in 0..random_seeds {
        if let Ok(generated) = generate_random(seed) {
            originals.push((format!("random/{seed}"), generated));
        }
    }
    // Files the bank signed days after writing them (stored at the cycle's end, signed on
    // download): a rewrite drops the signature and keeps the dates, so the late ModDate is
    // left with nothing to explain it. Few seeds draw this habit; these are picked from more.
    for seed in random_seeds..env_number("LEDGERLENS_REWRITE_SIGNED_SCAN", 400) {
        if let Ok(generated) = generate_random(seed) {
            if generated
                .1
                .document_habits
                .iter()
                .any(|habit| signed_days_later(habit))
            {
                originals.push((format!("random/{seed} signed later"), generated));
            }
        }
    }

    let mut by_producer: BTreeMap<String, Tally> = BTreeMap::new();
    for (label, (pdf, truth)) in &originals {
        by_producer
            .entry("original".into())
            .or_default()
            .add(label, fraud_of(pdf.clone(), truth));
        for rewrite in REWRITES.iter().filter(|r| r.keeps_text()) {
            let rewritten = rewrite
                .apply(pdf)
                .unwrap_or_else(|e| panic!("{label} {}: {e}", rewrite.name()));
            by_producer.entry(rewrite.name()).or_default().add(
                &format!("{label} {}", rewrite.name()),
                fraud_of(rewritten, truth),
            );
        }
    }
    for style in STYLES {
        for seed in 0..env_number("LEDGERLENS_PRINTED_SEEDS", 1) {
            let printed = printed_statement(style, seed).expect("printed fixture");
            let pdf = render_printed(&printed).unwrap_or_else(|e| panic!("{style} {seed}: {e}"));
            let producer = match printed.renderer {
                ledgerlens_fixtures::printed::Renderer::Chromium { .. } => "chromium",
                ledgerlens_fixtures::printed::Renderer::LibreOffice => "libreoffice",
            };
            by_producer
                .entry(producer.into())
                .or_default()
                .add(&format!("{style}/{seed}"), fraud_of(pdf, &printed.truth));
        }
    }

    println!("\nproducer      statements  with fraud  refused  fraud rules / warnings");
    let (mut statements, mut with_fraud) = (0, 0);
    for (producer, tally) in &by_producer {
        println!(
            "{producer:<13} {:>10}  {:>10}  {:>7}  {:?} / {:?}",
            tally.statements, tally.with_fraud, tally.refused, tally.rules, tally.warnings
        );
        statements += tally.statements;
        with_fraud += tally.with_fraud;
    }
    println!(
        "clean statements {statements}, with fraud {with_fraud} ({:.1} %)",
        100.0 * with_fraud as f64 / statements.max(1) as f64
    );
    assert_eq!(with_fraud, 0, "genuine statements reported with fraud");
}

/// An edited statement laundered through a rewriting program keeps its edit: the balance a
/// fraudster typed is in the text whatever program wrote the file last, so the tampered
/// balances fraud_fixtures checks stay `edited_balance` after every rewrite that keeps text.
#[test]
fn tampered_balances_stay_fraud_through_every_rewrite() {
    if !programs_available() {
        return;
    }
    let (mut checked, mut missed) = (0, Vec::new());
    for layout in ["hdfc_classic", "sbi_style", "icici_style"] {
        for seed in [3, 21] {
            let Ok(fixture) = tampered_balance(layout, seed) else {
                continue;
            };
            for rewrite in REWRITES.iter().filter(|r| r.keeps_text()) {
                let label = format!("{layout}/{seed} {}", rewrite.name());
                let rewritten = rewrite
                    .apply(&fixture.pdf)
                    .unwrap_or_else(|e| panic!("{label}: {e}"));
                match fraud_of(rewritten, &fixture.truth) {
                    // poppler's PostScript may leave no readable text: refused, not cleared.
                    Err(_) => continue,
                    Ok(report) => {
                        checked += 1;
                        let flagged = report.fraud.iter().any(|entry| {
                            entry.fraud_type == "inconsistent_transaction"
                                && entry.rule == "edited_balance"
                        });
                        if !flagged {
                            missed.push(format!("{label}: {:?}", report.fraud));
                        }
                    }
                }
            }
        }
    }
    println!(
        "tampered balances flagged after a rewrite: {}/{checked}",
        checked - missed.len()
    );
    assert!(
        checked >= 30,
        "only {checked} rewritten tampered files read"
    );
    assert!(missed.is_empty(), "{missed:#?}");
}

/// Genuine statements as borrowers' own programs leave them (ledgerlens_fixtures::rewrite::
/// BorrowerProgram, each run for real): the bank's password removed with qpdf, a PDF/A
/// conversion by Ghostscript, and monthly statements (one file per month, as banks mail them,
/// each with its own CreationDate and the seed's honest habits: signatures, pipelines, a
/// mailer's stamp...) joined by pdfunite, qpdf or Ghostscript. None is an edit: none may carry
/// a fraud entry. The built-in layouts with seed 1 and LEDGERLENS_BORROWER_SEEDS random
/// layouts (default 4; "LOW-HIGH" for a range).
#[test]
fn genuine_statements_through_borrowers_programs_carry_no_fraud() {
    let programs = BORROWER_PROGRAMS.iter().map(|program| program.program());
    if !ledgerlens_fixtures::rewrite::programs_available(programs) {
        return;
    }
    let (low, high) =
        ledgerlens_fixtures::seed_range_from_env("LEDGERLENS_BORROWER_SEEDS", "0-3").into_inner();
    let mut names: Vec<(String, u64)> = layouts()
        .into_iter()
        .map(|spec| (spec.name.to_string(), 1))
        .collect();
    names.sort();
    names.extend((low..=high).map(|seed| ("random".to_string(), seed)));
    let mut by_program: BTreeMap<String, Tally> = BTreeMap::new();
    for (name, seed) in &names {
        let single = if name == "random" {
            generate_random(*seed)
        } else {
            generate_with_habits(name, *seed)
        };
        let monthly = generate_monthly_files(name, *seed);
        for program in BORROWER_PROGRAMS {
            let label = format!("{name}/{seed} {}", program.name());
            let (files, truth) = match (program.joins_files(), &single, &monthly) {
                (false, Ok((pdf, truth)), _) => (vec![pdf.clone()], truth),
                (true, _, Ok(parts)) if parts.len() >= 2 => (
                    parts.iter().map(|(pdf, _)| pdf.clone()).collect(),
                    &parts[0].1,
                ),
                _ => continue,
            };
            let written = program
                .apply(&files)
                .unwrap_or_else(|e| panic!("{label}: {e}"));
            by_program
                .entry(program.name().to_string())
                .or_default()
                .add(&label, fraud_of(written, truth));
        }
    }
    println!("\nprogram          statements  with fraud  refused  fraud rules / warnings");
    let (mut statements, mut with_fraud) = (0, 0);
    for (program, tally) in &by_program {
        println!(
            "{program:<16} {:>10}  {:>10}  {:>7}  {:?} / {:?}",
            tally.statements, tally.with_fraud, tally.refused, tally.rules, tally.warnings
        );
        statements += tally.statements;
        with_fraud += tally.with_fraud;
    }
    println!(
        "clean statements through borrowers' programs {statements}, with fraud {with_fraud} ({:.1} %)",
        100.0 * with_fraud as f64 / statements.max(1) as f64
    );
    assert!(statements >= 40, "only {statements} files read");
    assert_eq!(with_fraud, 0, "genuine statements reported with fraud");
}

/// The tampered balances stay `edited_balance` through borrowers' programs: unlocked with
/// qpdf, converted to PDF/A, or joined after the account's clean monthly statements by a
/// merger (the edit then sits in the last part of a merged file).
#[test]
fn tampered_balances_stay_fraud_through_borrowers_programs() {
    let programs = BORROWER_PROGRAMS.iter().map(|program| program.program());
    if !ledgerlens_fixtures::rewrite::programs_available(programs) {
        return;
    }
    let (mut checked, mut missed) = (0, Vec::new());
    for layout in ["hdfc_classic", "sbi_style", "icici_style", "kotak_style"] {
        for seed in [3, 21] {
            let Ok(fixture) = tampered_balance(layout, seed) else {
                continue;
            };
            let before = generate_monthly_files(layout, seed).unwrap_or_default();
            for program in BORROWER_PROGRAMS {
                let label = format!("{layout}/{seed} {}", program.name());
                let mut files: Vec<Vec<u8>> = Vec::new();
                if program.joins_files() {
                    files.extend(before.iter().map(|(pdf, _)| pdf.clone()));
                }
                files.push(fixture.pdf.clone());
                let written = program
                    .apply(&files)
                    .unwrap_or_else(|e| panic!("{label}: {e}"));
                let report = fraud_of(written, &fixture.truth)
                    .unwrap_or_else(|kind| panic!("{label}: refused ({kind})"));
                checked += 1;
                let flagged = report.fraud.iter().any(|entry| {
                    entry.fraud_type == "inconsistent_transaction" && entry.rule == "edited_balance"
                });
                if !flagged {
                    missed.push(format!(
                        "{label}: {:?} / {:?}",
                        report.fraud, report.warnings
                    ));
                }
            }
        }
    }
    println!(
        "tampered balances flagged after a borrower's program: {}/{checked}",
        checked - missed.len()
    );
    assert!(checked >= 30, "only {checked} files read");
    assert!(missed.is_empty(), "{missed:#?}");
}
