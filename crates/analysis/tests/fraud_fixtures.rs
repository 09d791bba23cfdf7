//! Fraud on real PDFs from the fixture generator: tampered statements must be reported as
//! fraud (recall), clean ones must carry no fraud entry (false alarms). The clean set is
//! every built-in layout and a range of random layouts, parsed by the engine.

use ledgerlens_analysis::fraud::FraudEntry;
use ledgerlens_analysis::{enrich, AccountInput, EnrichmentContext, StatementInput};
use ledgerlens_fixtures::{
    generate_random, generate_with_habits, layouts, tampered_balance, tampered_document,
    tampered_metadata, tampered_resaved_in_viewer, DocumentEdit, ViewerEdit, DOCUMENT_EDITS,
};
use ledgerlens_statement::{parse_pdf, ParseOptions};
use std::collections::BTreeMap;

/// Each entry's (fraud_type, rule), to compare with what a case expects.
fn type_and_rule(entries: &[FraudEntry]) -> Vec<(&'static str, &'static str)> {
    entries
        .iter()
        .map(|entry| (entry.fraud_type, entry.rule))
        .collect()
}

fn fraud_of(pdf: Vec<u8>) -> Option<ledgerlens_analysis::fraud::FraudReport> {
    let parsed = parse_pdf(pdf, &ParseOptions::default()).ok()?;
    let account = AccountInput {
        account_number: parsed.identity.account_number.clone(),
        statements: vec![StatementInput::from_parsed("s1", &parsed)],
        ..AccountInput::default()
    };
    Some(enrich(&account, &EnrichmentContext::default()).fraud)
}

#[test]
fn tampered_balances_are_fraud_by_the_edited_balance_rule() {
    let mut checked = 0;
    for layout in [
        "hdfc_classic",
        "kotak_style",
        "pnb_amount_drcr",
        "baroda_overdraft",
        "sbi_style",
        "icici_style",
    ] {
        for seed in [3, 21, 77] {
            let Ok(fixture) = tampered_balance(layout, seed) else {
                continue;
            };
            let report = fraud_of(fixture.pdf).expect("tampered statement parses");
            assert!(
                report
                    .fraud
                    .iter()
                    .any(|entry| entry.fraud_type == "inconsistent_transaction"
                        && entry.rule == "edited_balance"),
                "{layout} seed {seed}: {:?} / warnings {:?}",
                report.fraud,
                report.warnings
            );
            assert!(report.flags["inconsistent_transaction"]);
            checked += 1;
        }
    }
    println!("tampered balances flagged: {checked}/{checked}");
    assert!(checked >= 12);
}

#[test]
fn tampered_metadata_is_fraud() {
    for (layout, seed) in [("sbi_style", 1), ("icici_style", 4), ("hdfc_classic", 9)] {
        let fixture = tampered_metadata(layout, seed).expect("fixture");
        let report = fraud_of(fixture.pdf).expect("parses");
        let types: Vec<&str> = report.fraud.iter().map(|entry| entry.fraud_type).collect();
        assert!(types.contains(&"author_fraud"), "{layout}: {types:?}");
        assert!(types.contains(&"date_fraud"), "{layout}: {types:?}");
    }
}

/// The tamper counterparts of a borrower's honest re-save in a viewer (habits.rs): the same
/// metadata (Quartz PDFContext, ModDate the save, days after CreationDate) over an edit. A
/// broken chain is fraud by its shape. An edit that keeps the chain has the honest re-save's
/// metadata (the warning `late_modification_by_rewrite`), but the figures it changed are typed
/// through the editor's own font: fraud by the figures' fonts (`figures_retyped_*`).
#[test]
fn edits_saved_again_in_a_viewer_are_fraud() {
    let (mut checked, mut intact, mut intact_flagged, mut summary_kept) = (0, 0, 0, 0);
    for layout in ["hdfc_classic", "sbi_style", "icici_style", "kotak_style"] {
        for seed in [2, 13, 40] {
            for edit in [
                ViewerEdit::BalanceChainBroken,
                ViewerEdit::AmountChainIntact,
                ViewerEdit::AmountChainIntactSummaryKept,
            ] {
                let Ok(fixture) = tampered_resaved_in_viewer(layout, seed, edit) else {
                    continue;
                };
                let report = fraud_of(fixture.pdf).expect("tampered statement parses");
                let rules = type_and_rule(&report.fraud);
                let warned = type_and_rule(&report.warnings);
                match edit {
                    ViewerEdit::BalanceChainBroken => {
                        assert!(
                            rules.contains(&("inconsistent_transaction", "edited_balance")),
                            "{layout} seed {seed} {edit:?}: {rules:?} / warnings {warned:?}"
                        );
                        checked += 1;
                    }
                    ViewerEdit::AmountChainIntact => {
                        assert!(
                            warned.contains(&("date_fraud", "late_modification_by_rewrite")),
                            "{layout} seed {seed} {edit:?}: {rules:?} / warnings {warned:?}"
                        );
                        assert!(
                            rules
                                .iter()
                                .any(|(kind, rule)| *kind == "font_inconsistency"
                                    && rule.starts_with("figures_retyped")),
                            "{layout} seed {seed} {edit:?}: {rules:?} / warnings {warned:?}"
                        );
                        intact += 1;
                        intact_flagged += usize::from(!rules.is_empty());
                    }
                    // The same edit where the bank's printed summary was left as it was: the
                    // totals disagree with chained rows beside the viewer's later save.
                    ViewerEdit::AmountChainIntactSummaryKept => {
                        assert!(
                            rules.contains(&(
                                "inconsistent_transaction",
                                "summary_gap_with_document_evidence"
                            )),
                            "{layout} seed {seed} {edit:?}: {rules:?} / warnings {warned:?}"
                        );
                        summary_kept += 1;
                    }
                }
            }
        }
    }
    println!(
        "edits saved again in a viewer: broken chain flagged {checked}/{checked}; chain kept, fraud {intact_flagged}/{intact} (figures retyped; warning late_modification_by_rewrite on all); chain kept with the bank's summary left, flagged {summary_kept}/{summary_kept}"
    );
    assert!(checked >= 10 && intact >= 10 && summary_kept >= 3);
}

/// Issue 10's tamper cases, drawn with their truth (`tampered_document`), each named by the
/// rule that catches it: rows added over the pages with PyPDF2 (the overlay's font copies
/// beside the document's own, PyPDF2 named), the same rows added by a writer given the bank's
/// document information (the overlay's span alone: copies on the pages from the added row's
/// to the last, not on the pages before), an edit printed again through "Microsoft Print to
/// PDF", a ModDate moved weeks or more than a year later under the bank's own producer, and the
/// chain-keeping edit typed in a viewer's text boxes (font copies, saved later).
#[test]
fn issue_ten_tamper_cases_are_fraud_by_their_rules() {
    let mut checked = 0;
    for layout in ["hdfc_classic", "sbi_style", "icici_style", "kotak_style"] {
        for seed in [5, 31] {
            for &edit in DOCUMENT_EDITS {
                let Ok(fixture) = tampered_document(layout, seed, edit) else {
                    continue;
                };
                let report = fraud_of(fixture.pdf).expect("tampered statement parses");
                let rules = type_and_rule(&report.fraud);
                let expected = match edit {
                    DocumentEdit::PypdfAddedRows => ("author_fraud", "editor_and_font_structure"),
                    DocumentEdit::PypdfKeptMetadata => {
                        ("font_inconsistency", "overlay_on_some_pages_to_the_last")
                    }
                    DocumentEdit::PrintedToPdf => ("author_fraud", "resave_tool"),
                    DocumentEdit::DateOnly => ("date_fraud", "late_modification"),
                    DocumentEdit::ViewerTextBoxes => ("font_inconsistency", "overlay_font_copies"),
                };
                assert!(
                    rules.contains(&expected),
                    "{layout} seed {seed} {}: {rules:?} / warnings {:?}",
                    edit.name(),
                    report.warnings.iter().map(|w| w.rule).collect::<Vec<_>>()
                );
                checked += 1;
            }
        }
    }
    println!("issue 10's tamper cases flagged: {checked}/{checked}");
    assert!(checked >= 24);
}

#[test]
fn clean_statements_carry_no_fraud() {
    let mut statements = 0;
    let mut with_fraud = Vec::new();
    let mut with_breaks = 0;
    let built_in = built_in_layouts(&[1, 2]);
    // Random layouts exercise the reading of layouts the engine was not written from.
    let random = (0..60u64).map(|seed| ("random".to_string(), seed));
    for (name, seed) in built_in.into_iter().chain(random) {
        {
            let generated = if name == "random" {
                generate_random(seed)
            } else {
                generate_with_habits(&name, seed)
            };
            let Ok((pdf, _truth)) = generated else {
                continue;
            };
            let Ok(parsed) = parse_pdf(pdf.clone(), &ParseOptions::default()) else {
                continue;
            };
            statements += 1;
            if !parsed.reconciliation.breaks.is_empty() {
                with_breaks += 1;
            }
            let report = fraud_of(pdf).expect("parses");
            if !report.fraud.is_empty() {
                with_fraud.push(format!("{name}/{seed}: {:?}", report.fraud));
            }
        }
    }
    // Before the rules named their evidence, every chain break was fraud.
    println!(
        "clean statements: {statements}; with a chain break (fraud under the old rule): {with_breaks}; with fraud now: {}",
        with_fraud.len()
    );
    assert!(statements >= 80);
    assert!(with_fraud.is_empty(), "{with_fraud:#?}");
}

/// The clean false-alarm rate over a range of random layouts, every file with the honest
/// document habits its seed draws (a bank's signature as incremental updates, date forms,
/// pipelines, password removers, subset tags, a font on one page, a mailer's per-page stamp,
/// a template's CreationDate, a pipeline's appended revision; and the built-in layouts with
/// theirs). Seeds from
/// `LEDGERLENS_FRAUD_SEEDS` ("0-319" by default). The fixture generator is written by the
/// same team as the rules it checks. `cargo test -p ledgerlens-analysis --test
/// fraud_fixtures -- --ignored --nocapture clean_false_alarm_rate`
#[test]
#[ignore = "slow: parses hundreds of statements"]
fn clean_false_alarm_rate_with_honest_habits() {
    let (low, high) =
        ledgerlens_fixtures::seed_range_from_env("LEDGERLENS_FRAUD_SEEDS", "0-319").into_inner();
    let built_in = built_in_layouts(&[1, 2, 3]);
    let random = (low..=high).map(|seed| ("random".to_string(), seed));
    let (mut statements, mut with_habits, mut with_fraud) = (0, 0, 0);
    let (mut with_breaks, mut breaks_among_warnings, mut with_fraud_blind) = (0, 0, 0);
    let mut by_rule: BTreeMap<String, usize> = BTreeMap::new();
    let mut warned_by_rule: BTreeMap<String, usize> = BTreeMap::new();
    for (name, seed) in built_in.into_iter().chain(random) {
        let generated = if name == "random" {
            generate_random(seed)
        } else {
            generate_with_habits(&name, seed)
        };
        let Ok((pdf, truth)) = generated else {
            continue;
        };
        let Ok(parsed) = parse_pdf(pdf.clone(), &ParseOptions::default()) else {
            continue;
        };
        let Some(report) = fraud_of(pdf) else {
            continue;
        };
        statements += 1;
        let warned: std::collections::BTreeSet<String> = report
            .warnings
            .iter()
            .map(|entry| format!("{}/{}", entry.fraud_type, entry.rule))
            .collect();
        for rule in warned {
            *warned_by_rule.entry(rule).or_default() += 1;
        }
        // The rules as they were before signing revisions were told from edits: the same
        // file with its signing facts hidden.
        let mut blind = StatementInput::from_parsed("s1", &parsed);
        if let Some(metadata) = blind.metadata.as_mut() {
            metadata.signature_updates = 0;
            metadata.updates_signed_over = 0;
            metadata.signing_times.clear();
        }
        let blind_account = AccountInput {
            account_number: parsed.identity.account_number.clone(),
            statements: vec![blind],
            ..AccountInput::default()
        };
        let blind_report = enrich(&blind_account, &EnrichmentContext::default()).fraud;
        with_fraud_blind += usize::from(!blind_report.fraud.is_empty());
        if !parsed.reconciliation.breaks.is_empty() {
            with_breaks += 1;
            breaks_among_warnings += usize::from(!parsed.reconciliation.warnings.is_empty());
        }
        with_habits += usize::from(!truth.document_habits.is_empty());
        if !report.fraud.is_empty() {
            with_fraud += 1;
            let rules: std::collections::BTreeSet<String> = report
                .fraud
                .iter()
                .map(|entry| format!("{}/{}", entry.fraud_type, entry.rule))
                .collect();
            for rule in &rules {
                *by_rule.entry(rule.clone()).or_default() += 1;
            }
            println!(
                "{name}/{seed}: {rules:?} habits {:?}",
                truth.document_habits
            );
            for found in &parsed.reconciliation.breaks {
                let read = parsed.transactions.get(found.row);
                let actual = truth.transactions.iter().find(|row| {
                    read.is_some_and(|read| {
                        row.date.date() == read.date.date() && row.amount == read.amount
                    })
                });
                println!(
                    "  break at row {}: expected {} printed {}; read amount {:?}, truth balance {:?}",
                    found.row,
                    found.expected_balance,
                    found.printed_balance,
                    read.map(|read| read.amount),
                    actual.map(|row| row.balance)
                );
            }
        }
    }
    println!(
        "clean statements {statements} ({with_habits} with honest habits drawn; {with_breaks} with a chain break, {breaks_among_warnings} of them with parse warnings), with fraud {with_fraud} ({:.1} %; {with_fraud_blind} with the signing facts hidden); by rule {by_rule:?}",
        100.0 * with_fraud as f64 / statements.max(1) as f64
    );
    println!("clean statements with each warning: {warned_by_rule:?}");
    // Issue 10's bar for clean statements. Not 0: a bank mailer's stamp that types text
    // with a font copy of its own on every page leaves the structure an edit's overlay leaves,
    // and beside an editor's name or a later change the rules cannot tell them apart until
    // they read where the copied font draws (a stamp that types nothing is no longer counted).
    let rate = 100.0 * with_fraud as f64 / statements.max(1) as f64;
    assert!(
        rate <= 2.0,
        "clean statements reported with fraud: {rate:.1} %"
    );
}

/// Every built-in layout with each of `seeds`, by name in name order.
fn built_in_layouts(seeds: &[u64]) -> Vec<(String, u64)> {
    let mut names: Vec<String> = layouts()
        .into_iter()
        .map(|spec| spec.name.to_string())
        .collect();
    names.sort();
    names
        .iter()
        .flat_map(|name| seeds.iter().map(|&seed| (name.clone(), seed)))
        .collect()
}

/// Tamper recall over a range of seeds, every built-in layout with each seed in
/// `LEDGERLENS_TAMPER_SEEDS` ("0-9" by default), by kind: an inflated balance
/// (`tampered_balance`), an editor's name with a late ModDate (`tampered_metadata`), an
/// inflated balance saved again in a viewer (`tampered_resaved_in_viewer`, chain broken), the
/// chain-keeping edit saved again in a viewer (`viewer_intact`: its metadata is an honest
/// re-save's; the figures it changed are typed in the editor's own face).
/// A fraud entry of any rule is a catch. Also issue 10's cases
/// (`tampered_document`): rows added over the pages with PyPDF2, an edit printed again through
/// "Microsoft Print to PDF", a date-only ModDate (weeks or over a year later), and the
/// chain-keeping edit typed in a viewer's text boxes. `LEDGERLENS_TAMPER_KINDS` picks kinds by
/// prefix. Same team as the rules.
/// `cargo test -p ledgerlens-analysis --test fraud_fixtures -- --ignored --nocapture tamper_recall`
#[test]
#[ignore = "slow: parses hundreds of statements"]
fn tamper_recall_over_seeds() {
    let (low, high) =
        ledgerlens_fixtures::seed_range_from_env("LEDGERLENS_TAMPER_SEEDS", "0-9").into_inner();
    // LEDGERLENS_TAMPER_KINDS: a comma-separated list of kinds to draw (each a prefix of a
    // kind's name); all by default.
    let kinds_wanted = std::env::var("LEDGERLENS_TAMPER_KINDS").unwrap_or_default();
    let wanted = |kind: &str| {
        kinds_wanted.is_empty()
            || kinds_wanted
                .split(',')
                .any(|prefix| kind.starts_with(prefix.trim()))
    };
    let mut tally: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut missed = Vec::new();
    let (mut trusted_beside_unsure, mut kept_beside_unsure) = (0, 0);
    let mut warned_only: BTreeMap<&str, usize> = BTreeMap::new();
    for (name, seed) in built_in_layouts(&(low..=high).collect::<Vec<_>>()) {
        let edits = DOCUMENT_EDITS
            .iter()
            .map(|&edit| (edit.name(), tampered_document(&name, seed, edit)));
        let kinds = [
            ("balance", tampered_balance(&name, seed)),
            ("metadata", tampered_metadata(&name, seed)),
            (
                "viewer_broken",
                tampered_resaved_in_viewer(&name, seed, ViewerEdit::BalanceChainBroken),
            ),
            (
                "viewer_intact",
                tampered_resaved_in_viewer(&name, seed, ViewerEdit::AmountChainIntact),
            ),
            (
                "viewer_intact_summary_kept",
                tampered_resaved_in_viewer(&name, seed, ViewerEdit::AmountChainIntactSummaryKept),
            ),
        ];
        for (kind, fixture) in kinds.into_iter().chain(edits) {
            if !wanted(kind) {
                continue;
            }
            let Ok(fixture) = fixture else { continue };
            let pdf = fixture.pdf;
            let Some(report) = fraud_of(pdf.clone()) else {
                continue;
            };
            let counts = tally.entry(kind).or_default();
            counts.1 += 1;
            // Edit-shaped breaks judged beside readings the engine was unsure of: trusted when
            // the warnings name other rows, kept as warnings when they name these rows or none.
            trusted_beside_unsure += usize::from(
                report
                    .fraud
                    .iter()
                    .any(|entry| entry.evidence.contains("each of other rows")),
            );
            kept_beside_unsure += usize::from(report.warnings.iter().any(|entry| {
                entry.rule == "chain_break_unexplained" && entry.evidence.contains("unsure of")
            }));
            // Rows added with PyPDF2 under the bank's own document information leave only the
            // overlay's font copies: fraud where their span is an edit's, a warning where the
            // overlay covers every table page (as a mailer's stamp does). Counted apart, never
            // silent.
            if kind == DocumentEdit::PypdfKeptMetadata.name()
                && report.fraud.is_empty()
                && report
                    .warnings
                    .iter()
                    .any(|entry| entry.rule == "overlay_font_copies_alone")
            {
                *warned_only.entry(kind).or_default() += 1;
                continue;
            }
            if report.fraud.is_empty() {
                let warned: Vec<String> = report
                    .warnings
                    .iter()
                    .map(|w| format!("{}: {}", w.rule, w.evidence))
                    .collect();
                // The engine's own warnings and the rows they name: what kept a break's
                // shape untrusted.
                let parse_warnings = parse_pdf(pdf, &ParseOptions::default())
                    .map(|parsed| {
                        (
                            parsed.reconciliation.warnings,
                            parsed
                                .reconciliation
                                .breaks
                                .iter()
                                .map(|b| b.row)
                                .collect::<Vec<_>>(),
                        )
                    })
                    .ok();
                missed.push(format!(
                    "{kind} {name}/{seed}: warnings {warned:?}; engine warnings and break rows {parse_warnings:?}"
                ));
            } else {
                counts.0 += 1;
            }
        }
    }
    for line in &missed {
        println!("missed {line}");
    }
    println!(
        "breaks beside unsure readings: caught by their shape (the warnings name other rows) {trusted_beside_unsure}; kept as warnings {kept_beside_unsure}"
    );
    let mut short = 0;
    for (kind, (caught, total)) in &tally {
        let warned = warned_only.get(kind).copied().unwrap_or(0);
        if warned > 0 {
            println!(
                "tamper {kind}: caught {caught}/{total}, {warned} warned only (overlay_font_copies_alone: the overlay on every table page)"
            );
        } else {
            println!("tamper {kind}: caught {caught}/{total}");
        }
        short += total - caught - warned;
    }
    assert_eq!(short, 0, "tampered statements without a fraud entry");
}
