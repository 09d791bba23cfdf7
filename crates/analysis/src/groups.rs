//! Account-level selections: lender, self/sister, bounced-or-penal transactions,
//! top credits and debits per month, and expense categories.

use crate::EnrichedTransaction;
use chrono::Datelike;
use ledgerlens_statement::model::TransactionType;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

pub fn lender_transactions(transactions: &[EnrichedTransaction]) -> Vec<usize> {
    select(transactions, |txn| txn.description == "lender_transaction")
}

pub fn self_and_sister_transactions(transactions: &[EnrichedTransaction]) -> Vec<usize> {
    select(transactions, |txn| {
        txn.transaction_channel == "self_transfer"
    })
}

pub fn bounced_or_penal_transactions(transactions: &[EnrichedTransaction]) -> Vec<usize> {
    select(transactions, is_bounce_or_penal)
}

/// Bounces in either direction and the charges and penalties banks levy for them.
pub fn is_bounce_or_penal(txn: &EnrichedTransaction) -> bool {
    matches!(
        txn.transaction_channel.as_str(),
        "inward_cheque_bounce" | "outward_cheque_bounce" | "auto_debit_payment_bounce"
    ) || matches!(
        txn.description.as_str(),
        "ach_bounce_charge" | "chq_bounce_charge" | "penalty_charge" | "chq_bounce_insuff_funds"
    )
}

fn select(
    transactions: &[EnrichedTransaction],
    keep: impl Fn(&EnrichedTransaction) -> bool,
) -> Vec<usize> {
    transactions
        .iter()
        .enumerate()
        .filter(|(_, txn)| keep(txn))
        .map(|(index, _)| index)
        .collect()
}

/// For each month (oldest first), the indices of the five largest rows of `side`.
pub fn top_by_month(
    transactions: &[EnrichedTransaction],
    side: TransactionType,
) -> Vec<((i32, u32), Vec<usize>)> {
    let mut by_month: BTreeMap<(i32, u32), Vec<usize>> = BTreeMap::new();
    for (index, txn) in transactions.iter().enumerate() {
        if txn.transaction.transaction_type == side {
            let date = txn.transaction.date;
            by_month
                .entry((date.year(), date.month()))
                .or_default()
                .push(index);
        }
    }
    by_month
        .into_iter()
        .map(|(month, mut indices)| {
            // Largest first; equal amounts keep date order.
            indices.sort_by(|a, b| {
                transactions[*b]
                    .transaction
                    .amount
                    .cmp(&transactions[*a].transaction.amount)
            });
            indices.truncate(5);
            (month, indices)
        })
        .collect()
}

/// The spending bucket a debit belongs to, in the documented vocabulary (a merchant
/// category capitalised, or "Transfers", "Cash", "Bills", "Loans", "Others"; see
/// vocabulary::EXPENSE_CATEGORIES); None for money that stays the holder's.
fn expense_bucket(txn: &EnrichedTransaction) -> Option<&'static str> {
    let channel = txn.transaction_channel.as_str();
    if matches!(channel, "self_transfer" | "investment") {
        return None;
    }
    if channel == "cash_withdrawl" {
        return Some("Cash");
    }
    if txn.description == "lender_transaction" {
        return Some("Loans");
    }
    if let Some(bucket) = crate::vocabulary::merchant_expense_category(&txn.merchant_category) {
        return Some(bucket);
    }
    Some(if channel == "bill_payment" {
        "Bills"
    } else if txn.category.starts_with("Transfer ") {
        "Transfers"
    } else {
        "Others"
    })
}

/// Debit buckets with whole-number percentages that sum to exactly 100
/// (largest-remainder rounding), largest first.
pub fn expense_categories(transactions: &[EnrichedTransaction]) -> Vec<(String, u32)> {
    let mut totals: BTreeMap<String, Decimal> = BTreeMap::new();
    for txn in transactions {
        if txn.transaction.transaction_type != TransactionType::Debit {
            continue;
        }
        if let Some(bucket) = expense_bucket(txn) {
            *totals.entry(bucket.to_string()).or_default() += txn.transaction.amount;
        }
    }
    let grand_total: Decimal = totals.values().sum();
    if grand_total <= Decimal::ZERO {
        return Vec::new();
    }
    let mut shares: Vec<(String, u32, Decimal)> = totals
        .into_iter()
        .map(|(bucket, total)| {
            let exact = total * Decimal::ONE_HUNDRED / grand_total;
            let floor = exact.floor();
            let whole = u32::try_from(floor.mantissa() / 10i128.pow(floor.scale())).unwrap_or(0);
            (bucket, whole, exact - floor)
        })
        .collect();
    let assigned: u32 = shares.iter().map(|share| share.1).sum();
    let mut by_remainder: Vec<usize> = (0..shares.len()).collect();
    by_remainder.sort_by(|a, b| shares[*b].2.cmp(&shares[*a].2));
    for &index in by_remainder
        .iter()
        .take(100u32.saturating_sub(assigned) as usize)
    {
        shares[index].1 += 1;
    }
    let mut result: Vec<(String, u32)> = shares
        .into_iter()
        .filter(|share| share.1 > 0)
        .map(|share| (share.0, share.1))
        .collect();
    result.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::txn;
    use crate::{enrich, AccountInput, EnrichmentContext};

    #[test]
    fn expense_percentages_sum_to_100() {
        let input = AccountInput::from_transactions(vec![
            txn("2024-03-01", "credit", 10000, 10000, "SALARY MARCH"),
            txn(
                "2024-03-02",
                "debit",
                1000,
                9000,
                "ATW-416021XXXXXX1234-S1ANBG12",
            ),
            txn(
                "2024-03-03",
                "debit",
                1000,
                8000,
                "UPI/DR/412345678901/RAVI KUMAR/SBIN/ravi@okaxis/x",
            ),
            txn(
                "2024-03-04",
                "debit",
                1000,
                7000,
                "UPI/DR/412345678902/SWIGGY/YESB/swiggy@ybl/x",
            ),
        ]);
        let result = enrich(&input, &EnrichmentContext::default());
        let categories = expense_categories(&result.transactions);
        let total: u32 = categories.iter().map(|c| c.1).sum();
        assert_eq!(total, 100);
        assert_eq!(categories.len(), 3);
        assert_eq!(categories[0].1, 34);
        for (bucket, _) in &categories {
            assert!(
                crate::vocabulary::EXPENSE_CATEGORIES.contains(&bucket.as_str()),
                "{bucket}"
            );
        }
        let names: Vec<&str> = categories.iter().map(|c| c.0.as_str()).collect();
        assert!(names.contains(&"Food") && names.contains(&"Transfers") && names.contains(&"Cash"));
    }

    #[test]
    fn top_five_per_month_largest_first() {
        let rows = (1..=7)
            .map(|day| {
                txn(
                    &format!("2024-03-{day:02}"),
                    "debit",
                    day * 10,
                    1000,
                    "ATW-ATM",
                )
            })
            .collect();
        let result = enrich(
            &AccountInput::from_transactions(rows),
            &EnrichmentContext::default(),
        );
        let top = top_by_month(&result.transactions, TransactionType::Debit);
        assert_eq!(top.len(), 1);
        assert_eq!(top[0].1, vec![6, 5, 4, 3, 2]);
    }
}
