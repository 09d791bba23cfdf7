//! Merges the statements of one account into one clean, dated list: overlapping
//! periods and re-uploads contribute each real row once, and gaps between
//! statements are reported (MISSING_TRANSACTIONS).

use crate::StatementInput;
use chrono::NaiveDate;
use ledgerlens_statement::model::Transaction;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MergeReport {
    pub statements: usize,
    pub duplicates_dropped: usize,
    /// Periods between consecutive statements that no statement covers, or where
    /// the balance does not carry over, and periods a statement's own file leaves out (a
    /// month missing from merged monthly statements); in date order.
    pub missing_data: Vec<MissingPeriod>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MissingPeriod {
    pub from_date: NaiveDate,
    pub to_date: NaiveDate,
    /// "date_gap" or "balance_gap".
    pub reason: &'static str,
}

pub struct Merged {
    /// (statement index, row): each statement's rows in the order the bank printed them,
    /// statements interleaved by date only where their periods overlap.
    pub transactions: Vec<(usize, Transaction)>,
    pub report: MergeReport,
}

/// A row's identity across statements: the same posting printed by two downloads. The
/// balance is part of it only between statements that print balances: a statement that prints
/// none counts them from zero, so its copy of a row never carries the other's balance.
type RowKey = (
    chrono::NaiveDateTime,
    bool,
    Decimal,
    Option<Decimal>,
    String,
);

fn row_key(transaction: &Transaction) -> RowKey {
    (
        transaction.date,
        transaction.transaction_type == ledgerlens_statement::model::TransactionType::Credit,
        transaction.amount,
        Some(transaction.balance),
        crate::narration::normalize(&transaction.transaction_note),
    )
}

fn without_balance(key: &RowKey) -> RowKey {
    (key.0, key.1, key.2, None, key.4.clone())
}

/// Counts one more copy of `key`; the count so far.
fn count_in(counts: &mut HashMap<RowKey, usize>, key: RowKey) -> usize {
    let count = counts.entry(key).or_insert(0);
    *count += 1;
    *count
}

/// Records that a statement holds `count` copies of `key`, keeping the most any one held.
fn keep_most(seen: &mut HashMap<RowKey, usize>, key: RowKey, count: usize) {
    let entry = seen.entry(key).or_insert(0);
    *entry = (*entry).max(count);
}

pub fn merge_statements(statements: &[StatementInput]) -> Merged {
    let mut order: Vec<usize> = (0..statements.len()).collect();
    // By earliest date: a statement printed newest-first or with a late posting on top
    // still takes its place by the period it covers.
    order.sort_by_key(|&index| statements[index].transactions.iter().map(|t| t.date).min());
    // Each statement's surviving rows, in printed order.
    let mut runs: Vec<Vec<(usize, Transaction)>> = Vec::new();
    // How many copies of each row the statements merged so far hold: by the full key among
    // statements with balances, by the key without the balance from every statement.
    let mut seen: HashMap<RowKey, usize> = HashMap::new();
    let mut seen_without_balance: HashMap<RowKey, usize> = HashMap::new();
    // Copies without the balance from the statements without balances only.
    let mut seen_in_unknown: HashMap<RowKey, usize> = HashMap::new();
    let mut duplicates_dropped = 0;
    let mut missing_data = Vec::new();
    // The latest row so far, and whether its statement's balances are known.
    let mut previous_last: Option<(&Transaction, bool)> = None;
    for &index in &order {
        let statement = &statements[index];
        if let (Some((last, known)), Some(first)) = (previous_last, statement.transactions.first())
        {
            let balances_comparable = known && statement.balances_known;
            missing_data.extend(gap_between(last, first, balances_comparable));
        }
        missing_data.extend(statement.missing_periods.iter().map(|gap| MissingPeriod {
            from_date: gap.from_date,
            to_date: gap.to_date,
            reason: "date_gap",
        }));
        let mut used_here: HashMap<RowKey, usize> = HashMap::new();
        let mut used_here_without_balance: HashMap<RowKey, usize> = HashMap::new();
        let mut run = Vec::new();
        // A single statement has nothing to repeat: no keys to build (one statement is the
        // common case, and a key normalises the whole narration).
        if order.len() == 1 {
            run.extend(statement.transactions.iter().map(|t| (index, t.clone())));
            runs.push(run);
            previous_last = statement
                .transactions
                .last()
                .map(|last| (last, statement.balances_known));
            continue;
        }
        for transaction in &statement.transactions {
            let key = row_key(transaction);
            let loose = without_balance(&key);
            let here_loose = count_in(&mut used_here_without_balance, loose.clone());
            // The n-th copy within this statement is a duplicate when earlier statements had
            // ≥ n: by the full key among statements with balances, without the balance when
            // either copy comes from a statement without balances.
            let duplicate = if statement.balances_known {
                let here = count_in(&mut used_here, key.clone());
                here <= seen.get(&key).copied().unwrap_or(0)
                    || here_loose <= seen_in_unknown.get(&loose).copied().unwrap_or(0)
            } else {
                here_loose <= seen_without_balance.get(&loose).copied().unwrap_or(0)
            };
            if duplicate {
                duplicates_dropped += 1;
                continue;
            }
            run.push((index, transaction.clone()));
        }
        runs.push(run);
        for (key, count) in used_here {
            keep_most(&mut seen, key, count);
        }
        for (loose, count) in used_here_without_balance {
            if !statement.balances_known {
                keep_most(&mut seen_in_unknown, loose.clone(), count);
            }
            keep_most(&mut seen_without_balance, loose, count);
        }
        if let Some(last) = statement.transactions.last() {
            if previous_last.is_none_or(|(previous, _)| previous.date <= last.date) {
                previous_last = Some((last, statement.balances_known));
            }
        }
    }
    let merged = interleave(runs);
    missing_data.sort_by_key(|gap| gap.from_date);
    Merged {
        transactions: merged,
        report: MergeReport {
            statements: statements.len(),
            duplicates_dropped,
            missing_data,
        },
    }
}

/// Merges the statements' runs by date without reordering any run: a bank prints some
/// rows out of date order (value-dated reversals, late postings) and its balance chain
/// runs in that printed order, so sorting by date would break a chain that holds. For
/// one statement, or statements that do not overlap, this is plain concatenation.
fn interleave(runs: Vec<Vec<(usize, Transaction)>>) -> Vec<(usize, Transaction)> {
    let total = runs.iter().map(Vec::len).sum();
    let mut merged = Vec::with_capacity(total);
    let mut runs: Vec<std::iter::Peekable<std::vec::IntoIter<(usize, Transaction)>>> = runs
        .into_iter()
        .map(|run| run.into_iter().peekable())
        .collect();
    loop {
        // The run whose next row is earliest; on a tie the earlier statement goes first.
        let next = runs
            .iter_mut()
            .enumerate()
            .filter_map(|(position, run)| run.peek().map(|(_, t)| (t.date.date(), position)))
            .min();
        let Some((_, position)) = next else { break };
        if let Some(row) = runs[position].next() {
            merged.push(row);
        }
    }
    merged
}

/// A gap when the next statement starts more than a day after the previous ends, or
/// when its opening balance is not the previous closing balance (compared only when both
/// statements' balances are known: one counted from zero proves nothing missing).
fn gap_between(
    last: &Transaction,
    first: &Transaction,
    balances_comparable: bool,
) -> Option<MissingPeriod> {
    let last_day = last.date.date();
    let first_day = first.date.date();
    if first_day <= last_day {
        return None;
    }
    let opening = first.balance - first.signed_amount();
    let reason = if (first_day - last_day).num_days() > 1 {
        "date_gap"
    } else if balances_comparable && opening != last.balance {
        "balance_gap"
    } else {
        return None;
    };
    Some(MissingPeriod {
        from_date: last_day.succ_opt().unwrap_or(last_day),
        to_date: first_day.pred_opt().unwrap_or(first_day),
        reason,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::txn;

    #[test]
    fn overlapping_statements_keep_each_row_once() {
        let first = StatementInput {
            transactions: vec![
                txn("2024-01-02", "credit", 100, 1100, "A"),
                txn("2024-01-05", "debit", 50, 1050, "B"),
            ],
            ..StatementInput::default()
        };
        let second = StatementInput {
            transactions: vec![
                txn("2024-01-05", "debit", 50, 1050, "B"),
                txn("2024-01-07", "debit", 50, 1000, "C"),
            ],
            ..StatementInput::default()
        };
        let merged = merge_statements(&[second, first]);
        assert_eq!(merged.transactions.len(), 3);
        assert_eq!(merged.report.duplicates_dropped, 1);
        assert!(merged.report.missing_data.is_empty());
    }

    #[test]
    fn balances_counted_from_zero_open_no_balance_gap() {
        let january = StatementInput {
            transactions: vec![txn("2024-01-31", "credit", 100, 1100, "A")],
            ..StatementInput::default()
        };
        // The next day's statement prints no balance anywhere: counted from zero.
        let february = StatementInput {
            transactions: vec![txn("2024-02-01", "debit", 50, -50, "B")],
            balances_known: false,
            ..StatementInput::default()
        };
        let merged = merge_statements(&[january.clone(), february.clone()]);
        assert!(merged.report.missing_data.is_empty());
        let known = StatementInput {
            balances_known: true,
            ..february
        };
        let merged = merge_statements(&[january, known]);
        assert_eq!(merged.report.missing_data[0].reason, "balance_gap");
    }

    /// A row printed by a statement with balances and by an export that prints none (counted
    /// from zero) is one posting, whichever is merged first (the export starting before the
    /// statement or after it); two rows alike but for their balance in the printed statement
    /// are two postings. Hand-written rows.
    #[test]
    fn a_row_in_a_statement_without_balances_is_the_printed_row() {
        let printed = StatementInput {
            transactions: vec![
                txn("2024-01-02", "credit", 100, 1100, "A"),
                txn("2024-01-05", "debit", 50, 1050, "B"),
                txn("2024-01-05", "debit", 50, 1000, "B"),
            ],
            ..StatementInput::default()
        };
        let export = |first: &str| StatementInput {
            transactions: vec![
                txn(first, "credit", 10, 10, "Z"),
                txn("2024-01-05", "debit", 50, -40, "B"),
                txn("2024-01-07", "debit", 20, -60, "C"),
            ],
            balances_known: false,
            ..StatementInput::default()
        };
        for first in ["2024-01-01", "2024-01-03"] {
            let merged = merge_statements(&[printed.clone(), export(first)]);
            let mut notes: Vec<&str> = merged
                .transactions
                .iter()
                .map(|(_, t)| t.transaction_note.as_str())
                .collect();
            notes.sort_unstable();
            assert_eq!(notes, ["A", "B", "B", "C", "Z"], "export from {first}");
            assert_eq!(merged.report.duplicates_dropped, 1);
        }
    }

    #[test]
    fn identical_rows_within_one_statement_are_kept() {
        let only = StatementInput {
            transactions: vec![
                txn("2024-01-02", "debit", 10, 90, "TEA"),
                txn("2024-01-02", "debit", 10, 90, "TEA"),
            ],
            ..StatementInput::default()
        };
        assert_eq!(merge_statements(&[only]).transactions.len(), 2);
    }

    #[test]
    fn printed_order_is_kept_within_a_statement() {
        // The bank printed a value-dated reversal of the 3rd after a row of the 5th; the
        // chain holds in this order and would break if the rows were sorted by date.
        let only = StatementInput {
            transactions: vec![
                txn("2024-01-02", "credit", 100, 1100, "A"),
                txn("2024-01-05", "debit", 50, 1050, "B"),
                txn("2024-01-03", "credit", 20, 1070, "REV C"),
                txn("2024-01-06", "debit", 70, 1000, "D"),
            ],
            ..StatementInput::default()
        };
        let merged = merge_statements(std::slice::from_ref(&only));
        let notes: Vec<&str> = merged
            .transactions
            .iter()
            .map(|(_, t)| t.transaction_note.as_str())
            .collect();
        assert_eq!(notes, ["A", "B", "REV C", "D"]);
        let data = crate::enrich(
            &crate::AccountInput {
                statements: vec![only],
                ..crate::AccountInput::default()
            },
            &crate::EnrichmentContext::default(),
        )
        .to_insights_data();
        let printed: Vec<&str> = data["transactions"]
            .as_array()
            .map(|rows| {
                rows.iter()
                    .filter_map(|row| row["transaction_note"].as_str())
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(printed, ["A", "B", "REV C", "D"]);
    }

    #[test]
    fn statements_are_ordered_by_first_date_and_keep_their_order() {
        let february = StatementInput {
            transactions: vec![
                txn("2024-02-01", "credit", 100, 1100, "F1"),
                txn("2024-02-09", "debit", 50, 1050, "F3"),
                txn("2024-02-04", "credit", 20, 1070, "F2"),
            ],
            ..StatementInput::default()
        };
        let january = StatementInput {
            transactions: vec![
                txn("2024-01-10", "credit", 1000, 1000, "J1"),
                txn("2024-01-31", "credit", 0, 1000, "J2"),
            ],
            ..StatementInput::default()
        };
        let merged = merge_statements(&[february, january]);
        let order: Vec<(usize, &str)> = merged
            .transactions
            .iter()
            .map(|(s, t)| (*s, t.transaction_note.as_str()))
            .collect();
        assert_eq!(
            order,
            [(1, "J1"), (1, "J2"), (0, "F1"), (0, "F3"), (0, "F2")]
        );
    }

    #[test]
    fn a_month_between_statements_is_missing() {
        let january = StatementInput {
            transactions: vec![txn("2024-01-02", "credit", 100, 100, "A")],
            ..StatementInput::default()
        };
        let march = StatementInput {
            transactions: vec![txn("2024-03-02", "credit", 100, 200, "B")],
            ..StatementInput::default()
        };
        let merged = merge_statements(&[january, march]);
        assert_eq!(merged.report.missing_data.len(), 1);
        assert_eq!(merged.report.missing_data[0].reason, "date_gap");
    }

    #[test]
    fn a_month_missing_from_a_merged_file_is_missing() {
        let day = |text: &str| text.parse::<NaiveDate>().unwrap_or_default();
        let merged_file = StatementInput {
            transactions: vec![
                txn("2024-01-02", "credit", 100, 100, "A"),
                txn("2024-03-02", "credit", 100, 300, "B"),
            ],
            missing_periods: vec![ledgerlens_statement::model::DateRange {
                from_date: day("2024-02-01"),
                to_date: day("2024-02-29"),
            }],
            ..StatementInput::default()
        };
        let merged = merge_statements(&[merged_file]);
        let gap = &merged.report.missing_data;
        assert_eq!(gap.len(), 1);
        assert_eq!(
            (gap[0].from_date, gap[0].to_date, gap[0].reason),
            (day("2024-02-01"), day("2024-02-29"), "date_gap")
        );
    }
}
