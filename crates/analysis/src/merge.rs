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
    /// the balance does not carry over.
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
    /// (statement index, row), in date order.
    pub transactions: Vec<(usize, Transaction)>,
    pub report: MergeReport,
}

/// A row's identity across statements: the same posting printed by two downloads.
type RowKey = (chrono::NaiveDateTime, bool, Decimal, Decimal, String);

fn row_key(transaction: &Transaction) -> RowKey {
    (
        transaction.date,
        transaction.transaction_type == ledgerlens_statement::model::TransactionType::Credit,
        transaction.amount,
        transaction.balance,
        crate::narration::normalize(&transaction.transaction_note),
    )
}

pub fn merge_statements(statements: &[StatementInput]) -> Merged {
    let mut order: Vec<usize> = (0..statements.len()).collect();
    order.sort_by_key(|&index| statements[index].transactions.first().map(|t| t.date));
    let mut merged: Vec<(usize, Transaction)> = Vec::new();
    // How many copies of each row the statements merged so far hold.
    let mut seen: HashMap<RowKey, usize> = HashMap::new();
    let mut duplicates_dropped = 0;
    let mut missing_data = Vec::new();
    let mut previous_last: Option<&Transaction> = None;
    for &index in &order {
        let statement = &statements[index];
        if let (Some(last), Some(first)) = (previous_last, statement.transactions.first()) {
            missing_data.extend(gap_between(last, first));
        }
        let mut used_here: HashMap<RowKey, usize> = HashMap::new();
        for transaction in &statement.transactions {
            let key = row_key(transaction);
            let earlier = seen.get(&key).copied().unwrap_or(0);
            let here = used_here.entry(key.clone()).or_insert(0);
            *here += 1;
            // The n-th copy within this statement is a duplicate when earlier statements had ≥ n.
            if *here <= earlier {
                duplicates_dropped += 1;
                continue;
            }
            merged.push((index, transaction.clone()));
        }
        for (key, count) in used_here {
            let entry = seen.entry(key).or_insert(0);
            *entry = (*entry).max(count);
        }
        if let Some(last) = statement.transactions.last() {
            if previous_last.is_none_or(|previous| previous.date <= last.date) {
                previous_last = Some(last);
            }
        }
    }
    // Stable: rows of one day keep their printed order.
    merged.sort_by_key(|(_, transaction)| transaction.date.date());
    Merged {
        transactions: merged,
        report: MergeReport {
            statements: statements.len(),
            duplicates_dropped,
            missing_data,
        },
    }
}

/// A gap when the next statement starts more than a day after the previous ends, or
/// when its opening balance is not the previous closing balance.
fn gap_between(last: &Transaction, first: &Transaction) -> Option<MissingPeriod> {
    let last_day = last.date.date();
    let first_day = first.date.date();
    if first_day <= last_day {
        return None;
    }
    let opening = first.balance - first.signed_amount();
    let reason = if (first_day - last_day).num_days() > 1 {
        "date_gap"
    } else if opening != last.balance {
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
}
