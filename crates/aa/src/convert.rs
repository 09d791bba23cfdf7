//! FI data → the statement engine's model, so AA statements go through the same enrichment and
//! reports as PDFs.
//!
//! The balance chain is checked like a printed statement's (previous balance ± amount = row
//! balance); the engine's own `reconcile::build_transactions` works on raw printed cells, so the
//! AA rows, already typed, get this small equivalent instead.

use crate::fi::{DepositAccount, FiTransaction, TxnType};
use chrono::NaiveTime;
use ledgerlens_pdf::DocumentMetadata;
use ledgerlens_statement::banks::{self, BankEvidence, BankSignals, Confidence};
use ledgerlens_statement::hash::md5_hex;
use ledgerlens_statement::identity::Identity;
use ledgerlens_statement::model::{
    ChainBreak, CheckedAgainst, LayoutReport, ParsedStatement, Reconciliation, Transaction,
    TransactionType,
};
use rust_decimal::Decimal;
use std::collections::HashMap;

/// Within half a paisa, as for printed statements.
const TOLERANCE: Decimal = Decimal::from_parts(5, 0, 0, false, 3);

/// BankConnect's statement failure code when the FIP sent no transactions.
pub const NO_TRANSACTIONS_FROM_AA: &str = "NO_TRANSACTIONS_FROM_AA";

/// Converts one DEPOSIT account. A document without transactions still converts (identity and
/// balances are useful); callers check [`DepositAccount::has_no_transactions`] to report
/// [`NO_TRANSACTIONS_FROM_AA`].
pub fn to_parsed_statement(account: &DepositAccount) -> ParsedStatement {
    let rows = ordered_rows(account);
    let reversed = rows.reversed;
    let (transactions, mut reconciliation) = chain(&rows.rows);
    reconciliation
        .warnings
        .extend(account.warnings.iter().cloned());
    reconciliation.warnings.extend(rows.warnings);
    let identity = identity(account, &transactions, &reconciliation);
    if let (Some(summary_balance), Some(closing)) = (
        account.summary.as_ref().and_then(|s| s.current_balance),
        reconciliation.closing_balance,
    ) {
        // The summary balance is "now", the rows end at the requested range: a difference is
        // expected when money moved after the range, so it is reported, not held against it.
        if (summary_balance - closing).abs() > TOLERANCE {
            reconciliation.warnings.push(format!(
                "the summary's current balance {summary_balance} differs from the last row's \
                 balance {closing} (transactions after the statement period?)"
            ));
        }
    }
    ParsedStatement {
        bank: bank(account),
        identity,
        transactions,
        reconciliation,
        metadata: DocumentMetadata::default(),
        layout: LayoutReport {
            columns: Vec::new(),
            // Stored parses accept only the engine's wrap modes; AA rows never wrap, and
            // "below" is the neutral one.
            wrap_mode: "below",
            header_pages: Vec::new(),
            reversed_order: reversed,
        },
        page_count: 0,
        encrypted: false,
        table_fonts: Vec::new(),
        figure_fonts: Vec::new(),
    }
}

struct Ordered<'a> {
    rows: Vec<&'a FiTransaction>,
    reversed: bool,
    warnings: Vec<String>,
}

/// Oldest first. FIPs send either order and do not always sort: a newest-first list is
/// reversed whole (keeping same-day rows in their chain order), then a stable sort by time
/// fixes stragglers.
fn ordered_rows(account: &DepositAccount) -> Ordered<'_> {
    let mut rows: Vec<&FiTransaction> = account
        .transactions
        .iter()
        .flat_map(|t| t.list.iter())
        .collect();
    let reversed = match (rows.first(), rows.last()) {
        (Some(first), Some(last)) => first.timestamp > last.timestamp,
        _ => false,
    };
    if reversed {
        rows.reverse();
    }
    let mut warnings = Vec::new();
    if rows.windows(2).any(|w| w[0].timestamp > w[1].timestamp) {
        warnings.push("the FIP sent the transactions out of date order; they were sorted".into());
        rows.sort_by_key(|r| r.timestamp);
    }
    Ordered {
        rows,
        reversed,
        warnings,
    }
}

/// At least two decimals, as printed statements carry: "2000" and "2000.00" from different
/// dialects must serialise (and hash) alike.
fn money(mut value: Decimal) -> Decimal {
    if value.scale() < 2 {
        value.rescale(2);
    }
    value
}

fn to_model_type(t: TxnType) -> TransactionType {
    match t {
        TxnType::Credit => TransactionType::Credit,
        TxnType::Debit => TransactionType::Debit,
    }
}

/// Builds the rows and checks the chain. A row without a type takes the side that makes its
/// balance follow; a row without a balance carries the chain's (marked derived).
fn chain(rows: &[&FiTransaction]) -> (Vec<Transaction>, Reconciliation) {
    let mut transactions = Vec::with_capacity(rows.len());
    let mut breaks = Vec::new();
    let mut warnings = Vec::new();
    let mut sides_inferred = 0;
    let mut occurrences: HashMap<String, usize> = HashMap::new();
    let mut previous: Option<Decimal> = None;
    let mut opening_balance = None;

    for (index, row) in rows.iter().enumerate() {
        let side = match row.txn_type {
            Some(t) => to_model_type(t),
            None => {
                sides_inferred += 1;
                infer_side(previous, row).unwrap_or_else(|| {
                    warnings.push(format!(
                        "row {}: no transaction type and no balance to settle it; read as a debit",
                        index + 1
                    ));
                    TransactionType::Debit
                })
            }
        };
        let amount = money(row.amount);
        let signed = side.sign() * amount;
        if index == 0 {
            opening_balance = row.current_balance.map(|b| money(b - signed));
        }
        let expected = previous.map(|p| p + signed);
        let (balance, derived) = match (row.current_balance, expected) {
            (Some(printed), _) => (money(printed), false),
            (None, Some(expected)) => (money(expected), true),
            (None, None) => (Decimal::ZERO, true),
        };
        let hash = row_hash(row, amount, side, balance, &mut occurrences);
        if let (Some(expected), false) = (expected, derived) {
            if (expected - balance).abs() > TOLERANCE {
                breaks.push(ChainBreak {
                    row: index,
                    hash: hash.clone(),
                    expected_balance: expected,
                    printed_balance: balance,
                });
            }
        }
        if !derived || previous.is_some() {
            previous = Some(balance);
        }
        transactions.push(Transaction {
            transaction_type: side,
            transaction_note: row.narration.clone(),
            chq_num: row.reference.clone(),
            amount,
            balance,
            date: row.timestamp,
            value_date: row.value_date.map(|d| d.and_time(NaiveTime::MIN)),
            hash,
            // AA data has no pages; 1 keeps "page ≥ 1" assumptions downstream true.
            page: 1,
            balance_derived: derived,
        });
    }

    let mut summary_mismatches = Vec::new();
    let has_balances = rows.iter().any(|r| r.current_balance.is_some());
    if !rows.is_empty() && !has_balances {
        summary_mismatches
            .push("the FIP sent no running balances, so the rows cannot be reconciled".to_owned());
    }
    let closing_balance = transactions.last().map(|t| t.balance);
    let reconciled = breaks.is_empty() && summary_mismatches.is_empty();
    (
        transactions,
        Reconciliation {
            reconciled,
            checked_against: if has_balances {
                CheckedAgainst::BalanceChain
            } else {
                CheckedAgainst::Nothing
            },
            balances_known: has_balances,
            opening_balance,
            closing_balance,
            breaks,
            summary_mismatches,
            missing_periods: Vec::new(),
            incomplete: Vec::new(),
            sides_inferred,
            warnings,
            warning_rows: Vec::new(),
        },
    )
}

fn infer_side(previous: Option<Decimal>, row: &FiTransaction) -> Option<TransactionType> {
    let (previous, balance) = (previous?, row.current_balance?);
    if (previous + row.amount - balance).abs() <= TOLERANCE {
        Some(TransactionType::Credit)
    } else if (previous - row.amount - balance).abs() <= TOLERANCE {
        Some(TransactionType::Debit)
    } else {
        None
    }
}

/// Stable row id: md5 of the row's content and its occurrence number (duplicate `txnId`s and
/// identical rows are common in AA data, so neither alone is unique).
fn row_hash(
    row: &FiTransaction,
    amount: Decimal,
    side: TransactionType,
    balance: Decimal,
    occurrences: &mut HashMap<String, usize>,
) -> String {
    let key = format!(
        "aa|{}|{}|{}|{}|{}|{side:?}",
        row.txn_id.as_deref().unwrap_or_default(),
        row.timestamp,
        row.narration,
        amount,
        balance
    );
    let n = occurrences.entry(key.clone()).or_insert(0);
    *n += 1;
    md5_hex(format!("{key}|{n}").as_bytes())
}

fn bank(account: &DepositAccount) -> Option<BankEvidence> {
    let summary = account.summary.as_ref()?;
    let signals = BankSignals {
        ifsc: summary.ifsc.as_deref(),
        account_number: account.masked_acc_number.as_deref(),
        ..BankSignals::default()
    };
    // Only header-grade evidence (the IFSC) names the bank; a masked number's length alone is
    // a weak hint that has named the wrong bank on synthetic data.
    if let Some((evidence, Confidence::Strong)) = banks::weigh_bank(&signals) {
        return Some(evidence);
    }
    // FIPs send IFSCs that fail the pattern (`BARB0SHIPOO`); the MICR's bank code still names
    // the bank.
    let micr = summary.micr.as_deref()?;
    let info = banks::bank_from_micr(micr)?;
    Some(BankEvidence {
        bank: info,
        score: 50,
        reasons: vec![format!("MICR {micr} given by the FIP")],
    })
}

fn lower(s: &Option<String>) -> Option<String> {
    s.as_ref().map(|s| s.trim().to_ascii_lowercase())
}

fn identity(
    account: &DepositAccount,
    transactions: &[Transaction],
    reconciliation: &Reconciliation,
) -> Identity {
    let summary = account.summary.clone().unwrap_or_default();
    let holders = account
        .profile
        .as_ref()
        .map(|p| p.holders.as_slice())
        .unwrap_or_default();
    let first = holders.first();
    let names: Vec<&str> = holders.iter().filter_map(|h| h.name.as_deref()).collect();
    let account_type = match summary.facility.as_deref().map(str::to_ascii_uppercase) {
        Some(f) if f == "OD" => Some("overdraft".to_owned()),
        Some(f) if f == "CC" => Some("cash_credit".to_owned()),
        _ => lower(&summary.account_type),
    };
    let period = account.transactions.as_ref();
    let positive = |d: Option<Decimal>| d.filter(|v| !v.is_zero());
    Identity {
        // Joint holders are listed the way joint statements print them.
        name: (!names.is_empty()).then(|| names.join(" & ")),
        address: first.and_then(|h| h.address.clone()),
        account_number: account.masked_acc_number.clone(),
        ifsc: summary.ifsc.as_ref().map(|s| s.trim().to_ascii_uppercase()),
        micr: summary.micr.clone(),
        account_category: first.and_then(|h| h.pan.as_deref()).and_then(pan_category),
        account_type,
        od_limit: positive(summary.current_od_limit),
        credit_limit: positive(summary.drawing_limit),
        from_date: period
            .and_then(|p| p.start_date)
            .or_else(|| transactions.first().map(|t| t.date.date())),
        to_date: period
            .and_then(|p| p.end_date)
            .or_else(|| transactions.last().map(|t| t.date.date())),
        opening_balance: reconciliation.opening_balance,
        closing_balance: reconciliation.closing_balance.or(summary.current_balance),
        email: first.and_then(|h| h.email.clone()),
        phone_number: first.and_then(|h| h.mobile.as_deref()).and_then(mobile),
        pan_number: first.and_then(|h| h.pan.as_ref().map(|p| p.trim().to_ascii_uppercase())),
        account_opening_date: summary.opening_date,
        dob: first.and_then(|h| h.dob),
        account_status: lower(&summary.status),
        holder_type: account
            .profile
            .as_ref()
            .and_then(|p| lower(&p.holders_type))
            .or_else(|| match holders.len() {
                0 => None,
                1 => Some("single".to_owned()),
                _ => Some("joint".to_owned()),
            }),
    }
}

/// The PAN's fourth letter is the holder's status: `P` a person, the others (company, firm,
/// trust, HUF, …) are not individuals.
fn pan_category(pan: &str) -> Option<String> {
    let pan = pan.trim().to_ascii_uppercase();
    let bytes: &[u8; 10] = pan.as_bytes().try_into().ok()?;
    let valid = bytes[..5].iter().all(u8::is_ascii_uppercase)
        && bytes[5..9].iter().all(u8::is_ascii_digit)
        && bytes[9].is_ascii_uppercase();
    if !valid {
        return None;
    }
    let category = if bytes[3] == b'P' {
        "individual"
    } else {
        "corporate"
    };
    Some(category.to_owned())
}

/// Ten digits, without the `91`/`+91`/`0` prefixes FIPs add.
fn mobile(raw: &str) -> Option<String> {
    let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
    let ten = match digits.len() {
        10 => digits,
        11 if digits.starts_with('0') => digits[1..].to_owned(),
        12 if digits.starts_with("91") => digits[2..].to_owned(),
        _ => return (!digits.is_empty()).then_some(digits),
    };
    Some(ten)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pan_and_mobile() {
        assert_eq!(pan_category("abcpe1234f").as_deref(), Some("individual"));
        assert_eq!(pan_category("ABCCE1234F").as_deref(), Some("corporate"));
        assert_eq!(pan_category("APS444555"), None);
        assert_eq!(mobile("919876543210").as_deref(), Some("9876543210"));
        assert_eq!(mobile("+91 98765 43210").as_deref(), Some("9876543210"));
        assert_eq!(mobile("9876543210").as_deref(), Some("9876543210"));
    }
}
