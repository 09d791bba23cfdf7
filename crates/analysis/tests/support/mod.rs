//! What the analysis tests share: the generator's truth read as the engine's transactions.

use ledgerlens_fixtures::StatementTruth;
use ledgerlens_statement::model::{Transaction, TransactionType};

/// The truth's rows as the statement engine would hand them over (no value dates, one page,
/// hashes by position).
pub fn transactions_from_truth(truth: &StatementTruth) -> Vec<Transaction> {
    truth
        .transactions
        .iter()
        .enumerate()
        .map(|(index, txn)| Transaction {
            transaction_type: if txn.transaction_type == "credit" {
                TransactionType::Credit
            } else {
                TransactionType::Debit
            },
            transaction_note: txn.transaction_note.clone(),
            chq_num: txn.chq_num.clone(),
            amount: txn.amount,
            balance: txn.balance,
            date: txn.date,
            value_date: None,
            hash: format!("{index:08}"),
            page: 1,
            balance_derived: false,
        })
        .collect()
}
