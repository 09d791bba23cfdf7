//! Recurring credit and debit groups: the same payee (first two words of the clean
//! note) seen in at least two different months, or three times in all.

use crate::{EnrichedTransaction, Mode};
use chrono::Datelike;
use ledgerlens_statement::model::TransactionType;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecurringGroup {
    /// The rail as a documented channel in upper case ("UPI", "NET_BANKING_TRANSFER",
    /// "DEBIT_CARD", "OTHER"), as the Insights sample prints it.
    pub transaction_channel: String,
    pub clean_transaction_note: String,
    pub median: Decimal,
    pub start_date: chrono::NaiveDateTime,
    pub end_date: chrono::NaiveDateTime,
    /// Indices into the enriched transactions, in date order.
    pub transactions: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct RecurringReport {
    pub debit_transactions: Vec<RecurringGroup>,
    pub credit_transactions: Vec<RecurringGroup>,
}

/// Channels whose payee words say nothing about who was paid.
const UNGROUPED_CHANNELS: &[&str] = &["cash_withdrawl", "cash_deposit", "bank_interest"];

pub fn detect(transactions: &[EnrichedTransaction]) -> RecurringReport {
    RecurringReport {
        debit_transactions: groups_for(transactions, TransactionType::Debit),
        credit_transactions: groups_for(transactions, TransactionType::Credit),
    }
}

fn payee_key(clean_note: &str) -> Option<String> {
    let words: Vec<&str> = clean_note.split_whitespace().take(2).collect();
    (!words.is_empty()).then(|| words.join(" "))
}

fn groups_for(transactions: &[EnrichedTransaction], side: TransactionType) -> Vec<RecurringGroup> {
    let mut by_payee: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (index, txn) in transactions.iter().enumerate() {
        if txn.transaction.transaction_type != side
            || UNGROUPED_CHANNELS.contains(&txn.transaction_channel.as_str())
        {
            continue;
        }
        if let Some(key) = payee_key(&txn.clean_transaction_note) {
            by_payee.entry(key).or_default().push(index);
        }
    }
    let mut groups: Vec<RecurringGroup> = by_payee
        .into_values()
        .filter(|indices| is_recurring(transactions, indices))
        .filter_map(|indices| build_group(transactions, indices))
        .collect();
    groups.sort_by_key(|group| std::cmp::Reverse(group.transactions.len()));
    groups
}

fn is_recurring(transactions: &[EnrichedTransaction], indices: &[usize]) -> bool {
    let mut months: Vec<(i32, u32)> = indices
        .iter()
        .map(|&index| {
            let date = transactions[index].transaction.date;
            (date.year(), date.month())
        })
        .collect();
    months.sort_unstable();
    months.dedup();
    indices.len() >= 2 && (months.len() >= 2 || indices.len() >= 3)
}

fn build_group(
    transactions: &[EnrichedTransaction],
    indices: Vec<usize>,
) -> Option<RecurringGroup> {
    let first = transactions.get(*indices.first()?)?;
    let last = transactions.get(*indices.last()?)?;
    let mut amounts: Vec<Decimal> = indices
        .iter()
        .map(|&index| transactions[index].transaction.amount)
        .collect();
    Some(RecurringGroup {
        transaction_channel: group_channel(first.mode, first.transaction.transaction_type)
            .to_string(),
        clean_transaction_note: first.clean_transaction_note.clone(),
        median: median(&mut amounts),
        start_date: first.transaction.date,
        end_date: last.transaction.date,
        transactions: indices,
    })
}

/// The documented channel (appendix "Transaction Channel", upper case) a rail belongs to:
/// groups are keyed by how the money moved, so a self transfer by UPI is a "UPI" group, as in
/// the Insights sample. NEFT, IMPS, RTGS and unnamed transfers are all net-banking transfers.
pub fn group_channel(mode: Mode, side: TransactionType) -> &'static str {
    let credit = side == TransactionType::Credit;
    match mode {
        Mode::Upi => "UPI",
        Mode::Neft | Mode::Imps | Mode::Rtgs | Mode::Transfer => "NET_BANKING_TRANSFER",
        Mode::Card => "DEBIT_CARD",
        Mode::Atm => "CASH_WITHDRAWL",
        Mode::Cash if credit => "CASH_DEPOSIT",
        Mode::Cash => "CASH_WITHDRAWL",
        Mode::Cheque => "CHQ",
        Mode::Ach if credit => "AUTO_CREDIT",
        Mode::Ach => "AUTO_DEBIT_PAYMENT",
        Mode::Interest => "BANK_INTEREST",
        Mode::Charge => "BANK_CHARGE",
        Mode::Bbps => "BILL_PAYMENT",
        Mode::Other => "OTHER",
    }
}

/// Median of the amounts (mean of the middle two for an even count).
pub fn median(values: &mut [Decimal]) -> Decimal {
    if values.is_empty() {
        return Decimal::ZERO;
    }
    values.sort_unstable();
    let middle = values.len() / 2;
    if values.len() % 2 == 1 {
        values[middle]
    } else {
        (values[middle - 1] + values[middle]) / Decimal::TWO
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::txn;
    use crate::{enrich, AccountInput, EnrichmentContext};

    #[test]
    fn same_payee_in_two_months_is_recurring() {
        let input = AccountInput::from_transactions(vec![
            txn(
                "2025-08-14",
                "debit",
                10000,
                244,
                "UPI/P2A/686081232265/DHARANI SIVAKUMAR /UPI/State Bank Of India",
            ),
            txn(
                "2025-09-26",
                "debit",
                500,
                200,
                "UPI/P2A/389305922385/DHARANI SIVAKUMAR /UPI/State Bank Of India",
            ),
            txn(
                "2025-09-27",
                "debit",
                70,
                130,
                "UPI/P2M/389305922999/TEA STALL/UPI/State Bank Of India",
            ),
        ]);
        let result = enrich(&input, &EnrichmentContext::default());
        let groups = &result.recurring.debit_transactions;
        assert_eq!(groups.len(), 1);
        assert_eq!(
            groups[0].clean_transaction_note,
            "DHARANI SIVAKUMAR STATE INDIA"
        );
        assert_eq!(groups[0].median, Decimal::new(5250, 0));
        assert_eq!(groups[0].transaction_channel, "UPI");
    }

    #[test]
    fn group_channels_are_documented_channels() {
        for mode in Mode::ALL {
            for side in [TransactionType::Credit, TransactionType::Debit] {
                let channel = group_channel(mode, side);
                // "OTHER" is how the Insights sample prints the appendix's "Others" group.
                let documented = channel == "OTHER"
                    || crate::vocabulary::TRANSACTION_CHANNELS
                        .iter()
                        .any(|known| known.eq_ignore_ascii_case(channel));
                assert!(documented, "{channel} for {mode:?}");
            }
        }
        assert_eq!(
            group_channel(Mode::Neft, TransactionType::Credit),
            "NET_BANKING_TRANSFER"
        );
        assert_eq!(
            group_channel(Mode::Card, TransactionType::Debit),
            "DEBIT_CARD"
        );
    }
}
