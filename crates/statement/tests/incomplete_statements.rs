//! Files that lack the end of their statement (issue #9 item 13): bytes cut short, last pages
//! left out, rows that stop before the printed period ends. The engine reads the rows the file
//! holds, says the statement is incomplete (every one of the family) and never reports it
//! reconciled; an honest statement is never called incomplete.
//!
//! `LEDGERLENS_INCOMPLETE_FIRST_SEED` / `LEDGERLENS_INCOMPLETE_SEEDS` widen the family run;
//! `LEDGERLENS_HONEST_FIRST_SEED` / `LEDGERLENS_HONEST_SEEDS` the honest one;
//! `LEDGERLENS_INCOMPLETE_KEEP=DIR` keeps the family's files.

use ledgerlens_fixtures::{generate_incomplete, generate_random, StatementTruth};
use ledgerlens_statement::model::IncompleteEvidence;
use ledgerlens_statement::{parse_pdf, ErrorKind, ParseOptions, ParsedStatement};

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Rows read equal to the truth's, row by row (date, amount, side and balance; a table that
/// prints no balance anywhere has none to compare).
fn rows_exact(parsed: &ParsedStatement, truth: &StatementTruth) -> bool {
    let balances_known = parsed.reconciliation.balances_known;
    parsed.transactions.len() == truth.transactions.len()
        && parsed
            .transactions
            .iter()
            .zip(&truth.transactions)
            .all(|(read, expected)| {
                read.date.date() == expected.date.date()
                    && read.amount == expected.amount
                    && (read.balance == expected.balance || !balances_known)
                    && format!("{:?}", read.transaction_type).to_lowercase()
                        == expected.transaction_type
            })
}

fn first_difference(parsed: &ParsedStatement, truth: &StatementTruth) -> String {
    parsed
        .transactions
        .iter()
        .zip(&truth.transactions)
        .enumerate()
        .find(|(_, (read, expected))| {
            read.date.date() != expected.date.date()
                || read.amount != expected.amount
                || (read.balance != expected.balance && parsed.reconciliation.balances_known)
        })
        .map_or_else(
            || "none (row counts differ)".to_owned(),
            |(index, (read, expected))| {
                format!(
                    "row {index}: read {} {} {}, printed {} {} {}",
                    read.date,
                    read.amount,
                    read.balance,
                    expected.date,
                    expected.amount,
                    expected.balance
                )
            },
        )
}

/// The period read, the last row's date and the longest pause between rows: what a missed
/// detection is weighed on.
fn extent(parsed: &ParsedStatement) -> String {
    let days: Vec<_> = parsed.transactions.iter().map(|t| t.date.date()).collect();
    let longest = days
        .windows(2)
        .map(|pair| (pair[1] - pair[0]).num_days())
        .max()
        .unwrap_or(0);
    format!(
        "period {:?} to {:?}, rows {:?} to {:?}, longest pause {longest} days, closing printed {:?}",
        parsed.identity.from_date,
        parsed.identity.to_date,
        days.first(),
        days.last(),
        parsed.identity.closing_balance
    )
}

#[test]
fn incomplete_statements_say_so_and_keep_their_rows() {
    let first = env_or("LEDGERLENS_INCOMPLETE_FIRST_SEED", 0);
    let count = env_or("LEDGERLENS_INCOMPLETE_SEEDS", 60);
    let (mut detected, mut refused, mut exact_rows, mut reconciled) = (0u64, 0, 0u64, Vec::new());
    let mut missed = Vec::new();
    let mut flagged_only = Vec::new();
    // Undetected, not reconciled, and with no mismatch or break either: collected, so that a
    // wide run reports every seed before failing.
    let mut unflagged = Vec::new();
    let mut wrong_refusals = Vec::new();
    // Undetected, but warned that the end may be missing (a last page full of rows with
    // nothing after them): flagged, not proved.
    let mut warned = Vec::new();
    for seed in first..first + count {
        let (pdf, truth) = generate_incomplete(seed).expect("fixture");
        let kind = truth.incomplete.clone().unwrap_or_default();
        if let Ok(dir) = std::env::var("LEDGERLENS_INCOMPLETE_KEEP") {
            let path = std::path::Path::new(&dir).join(format!("incomplete_{seed}.pdf"));
            std::fs::write(path, &pdf).expect("keeps the file");
        }
        match parse_pdf(pdf, &ParseOptions::default()) {
            Err(error) => {
                // A refusal with a documented code is no silent acceptance; only a file cut
                // short may be past reading.
                let documented = matches!(
                    error.kind(),
                    ErrorKind::InvalidFile
                        | ErrorKind::UnsupportedFormat
                        | ErrorKind::NoTransactions
                );
                if kind != "bytes_cut" || !documented {
                    wrong_refusals.push(format!("{seed} {kind}: {error}"));
                }
                refused += 1;
                println!("{seed} {kind} refused: {:?}", error.kind());
            }
            Ok(parsed) => {
                let verdict = &parsed.reconciliation;
                let exact = rows_exact(&parsed, &truth);
                if !exact {
                    println!(
                        "{seed} first row differing: {}",
                        first_difference(&parsed, &truth)
                    );
                }
                exact_rows += u64::from(exact);
                if verdict.reconciled {
                    reconciled.push(seed);
                }
                if verdict.incomplete.is_empty() {
                    missed.push(seed);
                    if verdict
                        .warnings
                        .iter()
                        .any(|w| w.contains("may be missing from the file"))
                    {
                        warned.push(seed);
                    }
                    if !verdict.reconciled {
                        // Undetected as a missing end, but the disagreement with a printed
                        // figure or a break is reported: the verdict is not reconciled.
                        if verdict.summary_mismatches.is_empty() && verdict.breaks.is_empty() {
                            unflagged.push(seed);
                        } else {
                            flagged_only.push(seed);
                        }
                    }
                    println!(
                        "{seed} not detected: {}; mismatches {:?}, breaks {}",
                        extent(&parsed),
                        verdict.summary_mismatches,
                        verdict.breaks.len()
                    );
                } else {
                    detected += 1;
                }
                let evidence: Vec<IncompleteEvidence> =
                    verdict.incomplete.iter().map(|i| i.evidence).collect();
                println!(
                    "{seed} {kind} rows {}/{}{} evidence {evidence:?} mismatches {}",
                    parsed.transactions.len(),
                    truth.transactions.len(),
                    if exact { " exact" } else { "" },
                    verdict.summary_mismatches.len()
                );
            }
        }
    }
    println!(
        "incomplete family {first}..{}: detected {detected}/{count} (refused {refused}), rows \
         exact {exact_rows}, reconciled {reconciled:?}, not detected {missed:?}",
        first + count
    );
    // Every missing end is detected: by the file's structure, its page labels, the printed
    // figures the rows do not reach, a last page filled to its foot with no end printed, or
    // rows stopping before the printed period ends.
    println!("not detected but reported as a mismatch: {flagged_only:?}");
    println!("not detected, not reconciled, no mismatch or break: {unflagged:?}");
    println!("not detected but warned: {warned:?}");
    assert!(wrong_refusals.is_empty(), "{wrong_refusals:?}");
    assert!(missed.is_empty(), "not detected: {missed:?}");
    assert!(reconciled.is_empty(), "reconciled: {reconciled:?}");
    assert_eq!(detected + refused, count);
    assert!(
        exact_rows * 100 >= count * 94,
        "rows exact on {exact_rows}/{count}"
    );
}

#[test]
fn honest_statements_are_never_called_incomplete() {
    let first = env_or("LEDGERLENS_HONEST_FIRST_SEED", 0);
    let count = env_or("LEDGERLENS_HONEST_SEEDS", 24);
    let mut flagged = Vec::new();
    let mut open_ends = Vec::new();
    let mut few_rows = Vec::new();
    let mut parts_unread = Vec::new();
    for seed in first..first + count {
        let (pdf, _) = generate_random(seed).expect("fixture");
        let Ok(parsed) = parse_pdf(pdf, &ParseOptions::default()) else {
            continue;
        };
        if !parsed.reconciliation.incomplete.is_empty() {
            println!("{seed}: {:?}", parsed.reconciliation.incomplete);
            flagged.push(seed);
        }
        // Said, not judged: the warning an unsettled end carries (not an error on an honest
        // statement, but its rate is worth watching).
        let warns = |words: &str| {
            parsed
                .reconciliation
                .warnings
                .iter()
                .any(|w| w.contains(words))
        };
        if warns("may be missing from the file") {
            open_ends.push(seed);
        }
        if warns("too few rows to judge") {
            few_rows.push(seed);
        }
        // A file joining statements one of which could not be read on its own (parts.rs).
        if warns("could not be read on its own") {
            parts_unread.push(seed);
        }
    }
    println!(
        "honest {first}..{}: {} called incomplete {flagged:?}; {} warned that a page may be missing {open_ends:?} ({} of them too few rows to judge {few_rows:?}); {} warned that a merged statement could not be read apart {parts_unread:?}",
        first + count,
        flagged.len(),
        open_ends.len(),
        few_rows.len(),
        parts_unread.len()
    );
    // Whole statements kept from elsewhere (LEDGERLENS_HONEST_DIR: e.g. the printed suite's
    // files, LEDGERLENS_PRINTED_KEEP), each a complete statement.
    let mut files_flagged = Vec::new();
    if let Some(dir) = std::env::var_os("LEDGERLENS_HONEST_DIR") {
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .expect("reads the directory")
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|path| path.extension().is_some_and(|ext| ext == "pdf"))
            .collect();
        paths.sort();
        for path in &paths {
            let pdf = std::fs::read(path).expect("reads the file");
            let Ok(parsed) = parse_pdf(pdf, &ParseOptions::default()) else {
                continue;
            };
            if !parsed.reconciliation.incomplete.is_empty() {
                println!("{}: {:?}", path.display(), parsed.reconciliation.incomplete);
                files_flagged.push(path.display().to_string());
            }
        }
        println!(
            "honest files: {} of {} called incomplete",
            files_flagged.len(),
            paths.len()
        );
    }
    assert!(flagged.is_empty(), "{flagged:?}");
    assert!(files_flagged.is_empty(), "{files_flagged:?}");
}

/// Seeds of the night round (d3877bd, 733acb5), pinned: one page kept of a table printing no
/// heading and its balance on each day's last row was refused (6026); one page kept whose rows
/// reach the page's foot with no closing line was reported reconciled without a word (5909,
/// 5919). Each must now be read and said to be incomplete or open at its end.
#[test]
fn one_page_files_missing_their_end_are_read_and_say_so() {
    for seed in [5909u64, 5919, 6026] {
        let (pdf, truth) = generate_incomplete(seed).expect("fixture");
        let parsed = parse_pdf(pdf, &ParseOptions::default())
            .unwrap_or_else(|error| panic!("{seed} refused: {error}"));
        let verdict = &parsed.reconciliation;
        let said = !verdict.incomplete.is_empty()
            || verdict
                .warnings
                .iter()
                .any(|w| w.contains("may be missing from the file"));
        assert!(
            said,
            "{seed} {:?}: neither incomplete nor warned; {}",
            truth.incomplete,
            extent(&parsed)
        );
    }
}

/// A page that ends saying the table goes on, in a file holding no page after it (issue #9
/// item 13, 6104): a balance carried in words the phrase table lacked ("Balance Carried", its
/// figure "Cr" on one page and "Dr" on the last), or a note under the rows ("Contd...",
/// "Continued on next page", drawn by the layouts that print one, see
/// `Quirks::continued_note`). Each file of the family whose layout prints such a note, and
/// 6104, says its end is missing; each honest statement printing one (its last page prints
/// none) is never called incomplete.
#[test]
fn pages_ending_on_a_carried_balance_or_a_continued_note_say_pages_are_missing() {
    let noted = |seed: u64| {
        ledgerlens_fixtures::random_layout(seed)
            .quirks
            .continued_note
            .is_some()
    };
    let family: Vec<u64> = std::iter::once(6104)
        .chain((5900..6300).filter(|&seed| noted(seed)))
        .collect();
    assert!(family.len() > 10, "{family:?}");
    for seed in family {
        let (pdf, truth) = generate_incomplete(seed).expect("fixture");
        let kind = truth.incomplete.clone().unwrap_or_default();
        match parse_pdf(pdf, &ParseOptions::default()) {
            Err(error) => assert_eq!(kind, "bytes_cut", "{seed} refused: {error}"),
            Ok(parsed) => {
                let verdict = &parsed.reconciliation;
                assert!(
                    !verdict.incomplete.is_empty() && !verdict.reconciled,
                    "{seed} {kind}: not said incomplete; {}",
                    extent(&parsed)
                );
            }
        }
    }
    let honest: Vec<u64> = (0..600).filter(|&seed| noted(seed)).collect();
    assert!(honest.len() > 10, "{honest:?}");
    for seed in honest {
        let (pdf, _) = generate_random(seed).expect("fixture");
        let Ok(parsed) = parse_pdf(pdf, &ParseOptions::default()) else {
            continue;
        };
        assert!(
            parsed.reconciliation.incomplete.is_empty(),
            "{seed}: {:?}",
            parsed.reconciliation.incomplete
        );
    }
}
