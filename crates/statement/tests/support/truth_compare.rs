//! Comparing a parse with the generator's truth, field by field, as the random-layout and
//! printed-statement tests measure it: exact rows, failure kinds with an example, and whether
//! wrong figures were reported clean. Included by path (`#[path = "support/truth_compare.rs"]`).

use std::collections::BTreeMap;

use ledgerlens_fixtures::{StatementTruth, TxnTruth};
use ledgerlens_statement::model::CheckedAgainst;
use ledgerlens_statement::{ParsedStatement, Transaction, TransactionType};

/// How far ahead to look for a row when the parse skipped or invented some.
const ALIGN_WINDOW: usize = 4;

/// What went wrong, once per kind per statement, with one example.
pub type Failures = Vec<(String, String)>;

pub struct Outcome {
    pub seed: u64,
    pub exact_rows: usize,
    pub total_rows: usize,
    pub failures: Failures,
    /// Rows lost or figures wrong while the verdict says reconciled with no warning: a miss the
    /// lender would not be told about. (Narration or reference text errors are not counted:
    /// the balance chain cannot see them.)
    pub silent: bool,
    /// Narration or reference text wrong with no warning and a reconciled verdict: the chain
    /// cannot see it, so only the reader's own doubt (an attachment guess) may flag it.
    #[allow(dead_code)]
    // read by random_layouts and printed_statements, not rewritten_statements
    pub text_silent: bool,
    /// The table prints no running balance (the truth's `balance_column` false).
    #[allow(dead_code)] // read by random_layouts, not by printed_statements
    pub no_balance_column: bool,
}

impl Outcome {
    pub fn fully_exact(&self) -> bool {
        self.failures.is_empty()
    }

    /// "EXACT", or each failure kind with its example on a line of its own (indented under a
    /// seed's line).
    #[allow(dead_code)] // read by printed_statements and rewritten_statements
    pub fn status(&self) -> String {
        if self.fully_exact() {
            return "EXACT".to_string();
        }
        self.failures
            .iter()
            .map(|(kind, example)| format!("{kind}: {example}"))
            .collect::<Vec<_>>()
            .join("\n                ")
    }
}

/// Prints one group's line (statements exact, rows exact, wrong figures reported clean) and
/// adds to `failures` where its rows fall under `floor` or any statement was wrong but clean.
#[allow(dead_code)] // read by printed_statements and rewritten_statements
pub fn summarise_group(name: &str, outcomes: &[Outcome], floor: f64, failures: &mut Vec<String>) {
    let exact = outcomes.iter().filter(|o| o.fully_exact()).count();
    let rows: usize = outcomes.iter().map(|o| o.exact_rows).sum();
    let total: usize = outcomes.iter().map(|o| o.total_rows).sum();
    let silent = outcomes.iter().filter(|o| o.silent).count();
    println!(
        "{name:<14} {exact:>3}/{:<3}            {rows:>5}/{total:<5} {:>5.1} %  {silent}",
        outcomes.len(),
        percent(rows, total)
    );
    if (rows as f64) < floor * total as f64 {
        failures.push(format!(
            "{name}: {rows}/{total} rows exact, floor {:.1} %",
            floor * 100.0
        ));
    }
    if silent > 0 {
        failures.push(format!(
            "{name}: {silent} statements with wrong figures reported clean"
        ));
    }
}

fn type_name(kind: &TransactionType) -> &'static str {
    match kind {
        TransactionType::Credit => "credit",
        TransactionType::Debit => "debit",
    }
}

/// Names of the fields where `got` differs from `want`, with a short example. The balance is
/// compared only where the statement prints one (see [`balances_printed`]).
fn row_differences(
    got: &Transaction,
    want: &TxnTruth,
    balances: bool,
) -> Vec<(&'static str, String)> {
    let mut diffs = Vec::new();
    let mut check = |field: &'static str, same: bool, got: String, want: String| {
        if !same {
            diffs.push((field, format!("got {got:?}, want {want:?}")));
        }
    };
    check(
        "date",
        got.date == want.date,
        got.date.to_string(),
        want.date.to_string(),
    );
    check(
        "transaction_note",
        got.transaction_note == want.transaction_note,
        got.transaction_note.clone(),
        want.transaction_note.clone(),
    );
    check(
        "chq_num",
        got.chq_num == want.chq_num,
        got.chq_num.clone(),
        want.chq_num.clone(),
    );
    check(
        "amount",
        got.amount == want.amount,
        got.amount.to_string(),
        want.amount.to_string(),
    );
    let side = type_name(&got.transaction_type);
    check(
        "transaction_type",
        side == want.transaction_type,
        side.to_string(),
        want.transaction_type.clone(),
    );
    check(
        "balance",
        !balances || got.balance == want.balance,
        got.balance.to_string(),
        want.balance.to_string(),
    );
    diffs
}

fn identity_failures(parsed: &ParsedStatement, truth: &StatementTruth, failures: &mut Failures) {
    let id = &parsed.identity;
    let t = &truth.identity;
    let fields = [
        ("identity.name", id.name.clone(), Some(t.name.clone())),
        (
            "identity.account_number",
            id.account_number.clone(),
            Some(t.account_number.clone()),
        ),
        ("identity.ifsc", id.ifsc.clone(), t.ifsc.clone()),
    ];
    for (kind, got, want) in fields {
        if got != want {
            failures.push((kind.to_string(), format!("got {got:?}, want {want:?}")));
        }
    }
}

/// Whether the statement gives the engine the rows' balances: printed on every row, or for a
/// table with no running balance derivable from a printed opening or closing balance. With
/// neither, no balance can be known and none is compared.
fn balances_printed(truth: &StatementTruth) -> bool {
    truth.balance_column || truth.opening_printed || truth.closing_printed
}

/// Pairs truth rows with parsed rows. Rows are matched in order; when the
/// parse dropped or invented rows, the next few parsed rows with the same
/// balance (the date, where no balance is known) and amount re-synchronise the walk so one
/// slip is not counted as every later row being wrong.
fn align<'a>(
    parsed: &'a [Transaction],
    truth: &[TxnTruth],
    balances: bool,
) -> Vec<Option<&'a Transaction>> {
    let mut next = 0;
    truth
        .iter()
        .map(|want| {
            let window = parsed.iter().enumerate().skip(next).take(ALIGN_WINDOW);
            let anchored = |got: &Transaction| {
                got.amount == want.amount
                    && if balances {
                        got.balance == want.balance
                    } else {
                        got.date == want.date
                    }
            };
            let found = window
                .clone()
                .find(|(_, got)| anchored(got))
                .map(|(index, _)| index);
            match found {
                Some(index) => {
                    next = index + 1;
                    Some(&parsed[index])
                }
                // No anchor: compare with the row in sequence, if any.
                None if next < parsed.len() => {
                    next += 1;
                    Some(&parsed[next - 1])
                }
                None => None,
            }
        })
        .collect()
}

pub fn compare(seed: u64, parsed: &ParsedStatement, truth: &StatementTruth) -> Outcome {
    let mut failures = Failures::new();
    identity_failures(parsed, truth, &mut failures);
    let (got, want) = (parsed.transactions.len(), truth.transactions.len());
    if got != want {
        failures.push(("row count".into(), format!("{got} rows, want {want}")));
    }
    let reversed: Vec<_> = parsed.transactions.iter().rev().cloned().collect();
    let balances = balances_printed(truth);
    let mut exact_rows = 0;
    let mut seen_fields: BTreeMap<&'static str, String> = BTreeMap::new();
    for (index, (paired, want)) in align(&parsed.transactions, &truth.transactions, balances)
        .into_iter()
        .zip(&truth.transactions)
        .enumerate()
    {
        let Some(got) = paired else {
            seen_fields
                .entry("row missing")
                .or_insert_with(|| format!("truth row {index}"));
            continue;
        };
        let diffs = row_differences(got, want, balances);
        if diffs.is_empty() {
            exact_rows += 1;
        }
        if std::env::var_os("LEDGERLENS_ALL_DIFFS").is_some() {
            for (field, example) in &diffs {
                eprintln!("DIFF {} row {index} {field}: {example}", truth.layout);
            }
        }
        for (field, example) in diffs {
            seen_fields
                .entry(field)
                .or_insert_with(|| format!("row {index}: {example}"));
        }
    }
    // A parse listing rows newest first (as printed) shows up as wholesale
    // date mismatches; name it, since the fix is different.
    let reversed_exact = align(&reversed, &truth.transactions, balances)
        .into_iter()
        .zip(&truth.transactions)
        .filter(|(got, want)| got.is_some_and(|g| row_differences(g, want, balances).is_empty()))
        .count();
    if reversed_exact > exact_rows && reversed_exact * 2 >= want && want > 1 {
        failures.push((
            "rows left newest-first".into(),
            format!("{reversed_exact} rows exact if reversed, {exact_rows} as returned"),
        ));
    }
    failures.extend(
        seen_fields
            .into_iter()
            .map(|(kind, example)| (format!("row.{kind}"), example)),
    );
    if let Some(wrong) = unreconcilable_verdict_failure(parsed, truth) {
        failures.push(("verdict".into(), wrong));
    }
    failures.extend(merged_parts_failures(parsed, truth));
    let figures_wrong = failures.iter().any(|(kind, _)| {
        [
            "row count",
            "row.row missing",
            "row.amount",
            "row.balance",
            "row.transaction_type",
            "row.date",
        ]
        .contains(&kind.as_str())
    });
    let flagged = !parsed.reconciliation.reconciled || !parsed.reconciliation.warnings.is_empty();
    let text_wrong = failures
        .iter()
        .any(|(kind, _)| kind == "row.transaction_note" || kind == "row.chq_num");
    Outcome {
        seed,
        exact_rows,
        total_rows: want,
        failures,
        silent: figures_wrong && !flagged,
        text_silent: !flagged && text_wrong,
        no_balance_column: !truth.balance_column,
    }
}

/// A table with no running balance read exactly is exact only when its verdict says it
/// could not be chained: not reconciled, checked against the printed totals when the opening
/// and closing balances are both printed (or nothing, when they are not), and its balances
/// unknown exactly when neither is printed.
fn unreconcilable_verdict_failure(
    parsed: &ParsedStatement,
    truth: &StatementTruth,
) -> Option<String> {
    if truth.balance_column {
        return None;
    }
    let verdict = &parsed.reconciliation;
    let both_printed = truth.opening_printed && truth.closing_printed;
    let checked_right = match verdict.checked_against {
        CheckedAgainst::PrintedTotals => true,
        CheckedAgainst::Nothing => !both_printed,
        CheckedAgainst::BalanceChain => false,
    };
    let known_right = verdict.balances_known == (truth.opening_printed || truth.closing_printed);
    (verdict.reconciled || !checked_right || !known_right).then(|| {
        format!(
            "reconciled {}, checked against {:?}, balances known {} (opening printed {}, \
             closing printed {})",
            verdict.reconciled,
            verdict.checked_against,
            verdict.balances_known,
            truth.opening_printed,
            truth.closing_printed
        )
    })
}

/// A file merging several monthly statements of the account is one statement: the period from
/// the first month's start to the last month's end (where a period is read), the earliest
/// month's opening and the latest month's closing balance, the chain reconciled across the
/// parts and each part's printed totals agreeing with its own rows.
fn merged_parts_failures(parsed: &ParsedStatement, truth: &StatementTruth) -> Failures {
    let mut failures = Failures::new();
    if truth.statement_parts <= 1 {
        return failures;
    }
    let verdict = &parsed.reconciliation;
    let t = &truth.identity;
    let id = &parsed.identity;
    let period_wrong = id.from_date.is_some_and(|from| from != t.from_date)
        || id.to_date.is_some_and(|to| to != t.to_date);
    if period_wrong {
        failures.push((
            "merged.period".into(),
            format!(
                "got {:?} to {:?}, want {} to {}",
                id.from_date, id.to_date, t.from_date, t.to_date
            ),
        ));
    }
    if verdict.opening_balance != Some(t.opening_balance)
        || verdict.closing_balance != Some(t.closing_balance)
    {
        failures.push((
            "merged.opening/closing".into(),
            format!(
                "got {:?} / {:?}, want {} / {}",
                verdict.opening_balance,
                verdict.closing_balance,
                t.opening_balance,
                t.closing_balance
            ),
        ));
    }
    // A month left out of the file: the verdict must name each missing period (and nothing
    // else: the parts around it read right), never reconcile.
    if truth.parts_missing > 0 {
        if verdict.reconciled
            || verdict.missing_periods.len() != truth.parts_missing
            || !verdict.summary_mismatches.is_empty()
        {
            failures.push((
                "merged.gap".into(),
                format!(
                    "reconciled {}, missing {:?}, mismatches {:?}",
                    verdict.reconciled, verdict.missing_periods, verdict.summary_mismatches
                ),
            ));
        }
    } else if !verdict.reconciled
        || !verdict.summary_mismatches.is_empty()
        || !verdict.missing_periods.is_empty()
    {
        failures.push((
            "merged.verdict".into(),
            format!(
                "reconciled {}, {} breaks, mismatches {:?}",
                verdict.reconciled,
                verdict.breaks.len(),
                verdict.summary_mismatches
            ),
        ));
    }
    failures
}

pub fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        100.0
    } else {
        100.0 * part as f64 / whole as f64
    }
}
