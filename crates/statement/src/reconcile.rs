//! Turning raw rows into transactions and checking the balance chain.
//!
//! Every row's printed balance must equal the previous balance plus or minus its amount. Where the
//! layout leaves the side open (an unsigned Amount column with no Dr/Cr marker) the chain decides
//! it; where the chain breaks, the verdict names the rows, so nothing wrong is reported as right.

use crate::model::{ChainBreak, Reconciliation, Transaction, TransactionType};
use crate::table::{BalanceMarker, MarkerKind, RawRow};
use crate::values::{self, Amount, Side};
use rust_decimal::Decimal;
use std::collections::HashMap;

/// Within half a paisa: printed figures are rounded to two decimals.
const TOLERANCE: Decimal = Decimal::from_parts(5, 0, 0, false, 3);

/// A row with its values read but its side possibly still open.
struct ReadRow {
    raw: RawRow,
    side: Option<TransactionType>,
    amount: Decimal,
    balance: Option<Decimal>,
}

/// Opening/closing figures printed outside the rows.
#[derive(Debug, Clone, Default)]
pub struct PrintedFigures {
    pub opening_balance: Option<Decimal>,
    pub closing_balance: Option<Decimal>,
    pub total_debits: Option<Decimal>,
    pub total_credits: Option<Decimal>,
    /// Page carries (B/F, C/F) inside the table: (transactions before it, printed balance).
    pub carries: Vec<(usize, Decimal)>,
}

impl PrintedFigures {
    /// An opening marker before every row is the opening balance; a closing marker after every
    /// row is the closing balance (and may carry totals); the rest are page carries.
    pub fn from_markers(markers: &[BalanceMarker], row_count: usize) -> Self {
        let parse = |s: &Option<String>| s.as_deref().and_then(values::parse_amount);
        let opening = markers
            .iter()
            .find(|m| m.kind == MarkerKind::Opening && m.rows_before == 0);
        let closing = markers
            .iter()
            .rev()
            .find(|m| m.kind == MarkerKind::Closing && m.rows_before == row_count);
        let carries = markers
            .iter()
            .filter(|m| m.rows_before > 0 && m.rows_before < row_count)
            .filter_map(|m| Some((m.rows_before, parse(&m.balance)?.signed_balance())))
            .collect();
        Self {
            carries,
            opening_balance: opening
                .and_then(|m| parse(&m.balance))
                .map(|a| a.signed_balance()),
            closing_balance: closing
                .and_then(|m| parse(&m.balance))
                .map(|a| a.signed_balance()),
            total_debits: closing.and_then(|m| parse(&m.debit)).map(|a| a.value.abs()),
            total_credits: closing
                .and_then(|m| parse(&m.credit))
                .map(|a| a.value.abs()),
        }
    }
}

/// Reads every row and reconciles the chain. Returns the transactions and the verdict, plus
/// whether rows were printed newest-first (they are returned oldest-first).
pub fn build_transactions(
    rows: Vec<RawRow>,
    printed: &PrintedFigures,
) -> (Vec<Transaction>, Reconciliation, bool) {
    let signed_amount_column = rows
        .iter()
        .filter_map(|r| r.amount.as_deref().and_then(values::parse_amount))
        .any(|a| a.value.is_sign_negative() && a.side.is_none());
    let mut read: Vec<ReadRow> = rows
        .into_iter()
        .map(|raw| read_row(raw, signed_amount_column))
        .collect();
    let reversed = is_newest_first(&read);
    // Carries count rows in printed order, which no longer holds once the rows are reversed.
    let reversed_figures;
    let printed = if reversed {
        read.reverse();
        reversed_figures = PrintedFigures {
            carries: Vec::new(),
            ..printed.clone()
        };
        &reversed_figures
    } else {
        printed
    };
    let (transactions, reconciliation) = chain(read, printed);
    (transactions, reconciliation, reversed)
}

fn read_row(raw: RawRow, signed_amount_column: bool) -> ReadRow {
    let parse = |s: &Option<String>| s.as_deref().and_then(values::parse_amount);
    let nonzero = |a: &Option<Amount>| a.filter(|a| !a.value.is_zero());
    let debit = nonzero(&parse(&raw.debit));
    let credit = nonzero(&parse(&raw.credit));
    let amount = parse(&raw.amount);
    let marker = raw.drcr.as_deref().and_then(drcr_marker);
    let (side, value) = if let Some(d) = debit {
        (Some(TransactionType::Debit), d.value)
    } else if let Some(c) = credit {
        (Some(TransactionType::Credit), c.value)
    } else if let Some(a) = amount {
        match marker.or(a.side) {
            Some(side) => (Some(side_type(side)), a.value.abs()),
            None if a.value.is_sign_negative() => (Some(TransactionType::Debit), a.value.abs()),
            None if signed_amount_column => (Some(TransactionType::Credit), a.value),
            None => (None, a.value),
        }
    } else {
        (None, Decimal::ZERO)
    };
    let balance = parse(&raw.balance).map(|b| b.signed_balance());
    ReadRow {
        raw,
        side,
        amount: value,
        balance,
    }
}

/// The side named in the Dr/Cr cells. A layout with both a "Type" column (CLG, UPI, TRF) and a
/// "Dr/Cr" column joins the two cells, so each word is read on its own; words naming both sides
/// name neither.
fn drcr_marker(text: &str) -> Option<Side> {
    let mut sides = text.split_whitespace().filter_map(values::is_dr_cr_marker);
    let first = sides.next()?;
    sides.all(|s| s == first).then_some(first)
}

fn side_type(side: Side) -> TransactionType {
    match side {
        Side::Credit => TransactionType::Credit,
        Side::Debit => TransactionType::Debit,
    }
}

fn is_newest_first(rows: &[ReadRow]) -> bool {
    let dates: Vec<_> = rows.iter().filter_map(|r| r.raw.date).collect();
    match (dates.first(), dates.last()) {
        (Some(first), Some(last)) => first > last,
        _ => false,
    }
}

fn chain(rows: Vec<ReadRow>, printed: &PrintedFigures) -> (Vec<Transaction>, Reconciliation) {
    let opening = printed.opening_balance.or_else(|| implied_opening(&rows));
    let mut running = opening;
    let mut breaks = Vec::new();
    let mut sides_inferred = 0;
    let mut occurrences: HashMap<String, usize> = HashMap::new();
    let mut transactions = Vec::with_capacity(rows.len());
    for (index, row) in rows.into_iter().enumerate() {
        let side = match row.side {
            Some(side) => side,
            None => {
                sides_inferred += 1;
                infer_side(running, row.amount, row.balance)
            }
        };
        let signed = side.sign() * row.amount;
        let expected = running.map(|r| r + signed);
        let (balance, derived) = match (row.balance, expected) {
            (Some(b), _) => (b, false),
            (None, Some(e)) => (e, true),
            (None, None) => (Decimal::ZERO, true),
        };
        let note = row.raw.narration_text();
        let hash = row_hash(&row.raw, &note, row.amount, balance, side, &mut occurrences);
        if let Some(e) = expected {
            if (e - balance).abs() > TOLERANCE {
                breaks.push(ChainBreak {
                    row: index,
                    hash: hash.clone(),
                    expected_balance: e,
                    printed_balance: balance,
                });
            }
        }
        running = Some(balance);
        transactions.push(Transaction {
            transaction_type: side,
            transaction_note: note,
            chq_num: row.raw.reference_text(),
            amount: row.amount,
            balance,
            date: row.raw.date.unwrap_or_default(),
            value_date: row.raw.value_date,
            hash,
            page: row.raw.page,
            balance_derived: derived,
        });
    }
    let closing = transactions.last().map(|t| t.balance);
    let summary_mismatches = summary_mismatches(&transactions, printed, closing);
    let reconciliation = Reconciliation {
        reconciled: breaks.is_empty() && summary_mismatches.is_empty() && !transactions.is_empty(),
        opening_balance: opening,
        closing_balance: closing,
        breaks,
        summary_mismatches,
        sides_inferred,
    };
    (transactions, reconciliation)
}

/// The balance before the first row, when the first row's side is known.
fn implied_opening(rows: &[ReadRow]) -> Option<Decimal> {
    let first = rows.first()?;
    Some(first.balance? - first.side?.sign() * first.amount)
}

fn infer_side(
    previous: Option<Decimal>,
    amount: Decimal,
    balance: Option<Decimal>,
) -> TransactionType {
    match (previous, balance) {
        (Some(p), Some(b)) if (p + amount - b).abs() <= TOLERANCE => TransactionType::Credit,
        _ => TransactionType::Debit,
    }
}

fn summary_mismatches(
    transactions: &[Transaction],
    printed: &PrintedFigures,
    closing: Option<Decimal>,
) -> Vec<String> {
    let mut out = Vec::new();
    for &(rows_before, carried) in &printed.carries {
        if let Some(t) = transactions.get(rows_before - 1) {
            if (t.balance - carried).abs() > TOLERANCE {
                out.push(format!(
                    "balance carried after row {} is {carried}, the row shows {}",
                    rows_before - 1,
                    t.balance
                ));
            }
        }
    }
    if let (Some(p), Some(c)) = (printed.closing_balance, closing) {
        if (p - c).abs() > TOLERANCE {
            out.push(format!(
                "printed closing balance {p} differs from the last row's balance {c}"
            ));
        }
    }
    let total = |t: TransactionType| -> Decimal {
        transactions
            .iter()
            .filter(|x| x.transaction_type == t)
            .map(|x| x.amount)
            .sum()
    };
    if let Some(p) = printed.total_debits {
        let sum = total(TransactionType::Debit);
        if (p - sum).abs() > TOLERANCE {
            out.push(format!(
                "printed total debits {p} differ from the rows' sum {sum}"
            ));
        }
    }
    if let Some(p) = printed.total_credits {
        let sum = total(TransactionType::Credit);
        if (p - sum).abs() > TOLERANCE {
            out.push(format!(
                "printed total credits {p} differ from the rows' sum {sum}"
            ));
        }
    }
    out
}

/// md5 of the row's content; identical rows get distinct hashes through their occurrence number.
fn row_hash(
    raw: &RawRow,
    note: &str,
    amount: Decimal,
    balance: Decimal,
    side: TransactionType,
    occurrences: &mut HashMap<String, usize>,
) -> String {
    let date = raw.date.map(|d| d.to_string()).unwrap_or_default();
    let key = format!("{date}|{note}|{amount}|{balance}|{side:?}");
    let n = occurrences.entry(key.clone()).or_insert(0);
    *n += 1;
    crate::bankconnect::md5_hex(format!("{key}|{n}").as_bytes())
}

#[cfg(test)]
mod tests {
    use super::drcr_marker;
    use crate::values::Side;

    #[test]
    fn reads_the_side_out_of_joined_type_and_drcr_cells() {
        assert_eq!(drcr_marker("Cr"), Some(Side::Credit));
        assert_eq!(drcr_marker("CLG Cr"), Some(Side::Credit));
        assert_eq!(drcr_marker("UPI Dr"), Some(Side::Debit));
        assert_eq!(drcr_marker("TRF"), None);
        assert_eq!(drcr_marker("Dr Cr"), None);
    }
}
