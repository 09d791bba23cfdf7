//! Turning raw rows into transactions and checking the balance chain.
//!
//! Every row's printed balance must equal the previous balance plus or minus its amount. Where the
//! layout leaves the side open (an unsigned Amount column with no Dr/Cr marker) the chain decides
//! it; where the chain breaks, the verdict names the rows, so nothing wrong is reported as right.

use crate::completeness::Mismatch;
use crate::model::{
    ChainBreak, CheckedAgainst, Reconciliation, Transaction, TransactionType, WarningRows,
};
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
    /// False when no amount cell held a number: a note, a lien/hold line or a balance line.
    amount_printed: bool,
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
    /// Printed counts of debit and credit rows (summary blocks such as "Dr Count 12").
    pub debit_count: Option<usize>,
    pub credit_count: Option<usize>,
    /// Problems found outside the rows.
    pub problems: Vec<String>,
    /// What the file and the statement say about their own extent (is the end missing?).
    pub completeness: crate::completeness::CompletenessFacts,
    /// The closing balance is a last row worded as carried to a next page ("CARRIED
    /// FORWARD"): it may carry to a page the file does not hold.
    pub closing_carried: bool,
}

impl PrintedFigures {
    /// An opening marker before every row is the opening balance; a closing marker after every
    /// row is the closing balance (and may carry totals); the rest are page carries.
    pub fn from_markers(markers: &[BalanceMarker], row_count: usize) -> Self {
        let parse = |s: &Option<String>| s.as_deref().and_then(values::parse_amount);
        let opening = markers
            .iter()
            .find(|m| m.kind == MarkerKind::Opening && m.rows_before == 0);
        // A last page that ends on the balance carried at its other pages' ends ("CARRIED
        // FORWARD", no totals) carries to a page the file does not hold: no closing balance.
        let page_carry = |last: &BalanceMarker| {
            last.debit.is_none()
                && last.credit.is_none()
                && markers.iter().any(|m| {
                    m.kind == MarkerKind::Closing
                        && m.rows_before > 0
                        && m.rows_before < row_count
                        && m.phrase == last.phrase
                })
        };
        let closing = markers
            .iter()
            .rev()
            .find(|m| m.kind == MarkerKind::Closing && m.rows_before == row_count)
            .filter(|m| !page_carry(m));
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
            closing_carried: closing.is_some_and(|m| crate::table::is_carry_phrase(m.phrase)),
            total_debits: closing.and_then(|m| parse(&m.debit)).map(|a| a.value.abs()),
            total_credits: closing
                .and_then(|m| parse(&m.credit))
                .map(|a| a.value.abs()),
            ..Self::default()
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
    let has_balance_column = rows.iter().any(|r| r.balance.is_some());
    let mut read: Vec<ReadRow> = rows
        .into_iter()
        .map(|raw| read_row(raw, signed_amount_column))
        .collect();
    let reversed = is_newest_first(&read);
    // Carries count rows in printed order, which no longer holds once the rows are reversed.
    let reversed_figures;
    let printed = if reversed {
        read.reverse();
        let mut completeness = printed.completeness.clone();
        completeness.newest_first = true;
        reversed_figures = PrintedFigures {
            carries: Vec::new(),
            completeness,
            ..printed.clone()
        };
        &reversed_figures
    } else {
        printed
    };
    let (transactions, reconciliation) = chain(read, printed, has_balance_column);
    (transactions, reconciliation, reversed)
}

fn read_row(raw: RawRow, signed_amount_column: bool) -> ReadRow {
    let parse = |s: &Option<String>| s.as_deref().and_then(values::parse_amount);
    let nonzero = |a: &Option<Amount>| a.filter(|a| !a.value.is_zero());
    let debit = nonzero(&parse(&raw.debit));
    let credit = nonzero(&parse(&raw.credit));
    let amount = parse(&raw.amount);
    let amount_printed =
        parse(&raw.debit).is_some() || parse(&raw.credit).is_some() || amount.is_some();
    let marker = raw.drcr.as_deref().and_then(drcr_marker);
    // A Dr/Cr written on the amount itself outranks the column it sits in: one
    // "Withdrawal (Dr)/ Deposit (Cr)" column holds both sides.
    let (side, value) = if let Some(d) = debit {
        let side = d.side.map_or(TransactionType::Debit, side_type);
        (Some(side), d.value.abs())
    } else if let Some(c) = credit {
        let side = c.side.map_or(TransactionType::Credit, side_type);
        (Some(side), c.value.abs())
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
        amount_printed,
        balance,
    }
}

/// The side named in the Dr/Cr cells, as a marker or a word ("Debit" / "Credit"). A layout
/// with both a "Type" column (CLG, UPI, TRF) and a "Dr/Cr" column joins the two cells, so each
/// word is read on its own; words naming both sides name neither.
fn drcr_marker(text: &str) -> Option<Side> {
    let mut sides = text.split_whitespace().filter_map(values::side_word);
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

/// The chain as it is walked: the running balance and what was noticed on the way.
#[derive(Default)]
struct Walk {
    running: Option<Decimal>,
    breaks: Vec<ChainBreak>,
    problems: Vec<String>,
    warnings: Vec<String>,
    /// The rows each of `warnings` concerns, where known.
    warning_rows: Vec<WarningRows>,
    sides_inferred: usize,
    sign_flips: usize,
    /// First and last row read with a sign only the chain settled.
    flipped_rows: Option<(usize, usize)>,
    occurrences: HashMap<String, usize>,
    transactions: Vec<Transaction>,
    /// False for a table with no running balance: a row printed again after a page break
    /// cannot then be told from a second transaction of the same amount.
    reprints_detectable: bool,
}

/// Walks the rows from the opening balance. A table that prints no running balance has no
/// chain: its balances are carried from the printed opening (or back from the printed
/// closing), or from zero when neither is printed (`balances_known` false), and only its
/// totals can be checked against printed figures.
fn chain(
    mut rows: Vec<ReadRow>,
    printed: &PrintedFigures,
    running_balance_printed: bool,
) -> (Vec<Transaction>, Reconciliation) {
    let mut warnings = Vec::new();
    let opening = match printed.opening_balance {
        Some(printed_opening) => Some(settle_opening_sign(printed_opening, &rows, &mut warnings)),
        None if running_balance_printed => implied_opening(&mut rows),
        None => opening_from_closing(&rows, printed),
    };
    // The opening's sign concerns the first row's balance.
    let warning_rows = warnings
        .iter()
        .map(|warning| WarningRows::rows(warning, 0, 0))
        .collect();
    let balances_known = running_balance_printed || opening.is_some();
    let mut walk = Walk {
        running: opening.or((!balances_known).then_some(Decimal::ZERO)),
        problems: printed.problems.clone(),
        warnings,
        warning_rows,
        reprints_detectable: running_balance_printed,
        ..Walk::default()
    };
    let mut ahead = std::collections::VecDeque::from(rows);
    // Transactions read after each printed row: a carry counts printed rows, and the notes and
    // rows printed twice among them are no transactions.
    let mut read_after_row = Vec::with_capacity(ahead.len());
    while let Some(row) = ahead.pop_front() {
        walk.step(row, ahead.make_contiguous());
        read_after_row.push(walk.transactions.len());
    }
    if walk.sign_flips > 0 {
        let warning = format!(
            "{} balances printed without their overdraft sign were read as negative, as the \
             balance chain requires",
            walk.sign_flips
        );
        if let Some((first, last)) = walk.flipped_rows {
            walk.warning_rows
                .push(WarningRows::rows(&warning, first, last));
        }
        walk.warnings.push(warning);
    }
    let transactions = walk.transactions;
    let opening = opening.or_else(|| {
        running_balance_printed
            .then(|| transactions.first().map(|t| t.balance - t.signed_amount()))
            .flatten()
    });
    let closing = balances_known
        .then(|| transactions.last().map(|t| t.balance))
        .flatten();
    let carries: Vec<(usize, Decimal)> = printed
        .carries
        .iter()
        .filter_map(|&(rows_before, carried)| {
            Some((*read_after_row.get(rows_before.checked_sub(1)?)?, carried))
        })
        .collect();
    let mut mismatches = summary_mismatches_of(
        &transactions,
        &PrintedFigures {
            carries,
            ..printed.clone()
        },
        closing,
    );
    let judged = crate::completeness::judge(
        &printed.completeness,
        &transactions,
        &mut mismatches,
        walk.breaks.is_empty() && walk.problems.is_empty(),
        crate::completeness::PrintedAround {
            // A closing balance the opening was worked back from (no running balance, no
            // opening printed) checks nothing: the rows end wherever it says.
            closing_figures: closing_figures_printed(printed)
                && (running_balance_printed || !closing_only_anchor(printed)),
            opening_balance: printed.opening_balance.is_some(),
            balance_before_first_row: opening.filter(|_| balances_known),
        },
    );
    // Whether the file lacks a page after its last concerns no row read.
    for warning in judged.warnings {
        walk.warning_rows.push(WarningRows::no_figures(&warning));
        walk.warnings.push(warning);
    }
    let mut summary_mismatches = walk.problems;
    summary_mismatches.extend(mismatches.into_iter().map(|m| m.text));
    let checked_against = if running_balance_printed {
        CheckedAgainst::BalanceChain
    } else if totals_printed(printed) {
        CheckedAgainst::PrintedTotals
    } else {
        CheckedAgainst::Nothing
    };
    if !running_balance_printed && !transactions.is_empty() {
        walk.warnings.push(no_chain_warning(
            checked_against,
            summary_mismatches.is_empty(),
            balances_known,
        ));
        if walk.sides_inferred > 0 {
            walk.warnings.push(format!(
                "{} rows print no Dr/Cr, no sign and no balance to settle their side: read as \
                 debits",
                walk.sides_inferred
            ));
        }
    }
    let reconciliation = Reconciliation {
        reconciled: checked_against == CheckedAgainst::BalanceChain
            && walk.breaks.is_empty()
            && summary_mismatches.is_empty()
            && judged.incomplete.is_empty()
            && !transactions.is_empty(),
        checked_against,
        balances_known,
        opening_balance: opening,
        closing_balance: closing,
        breaks: walk.breaks,
        summary_mismatches,
        missing_periods: judged.missing,
        incomplete: judged.incomplete,
        sides_inferred: walk.sides_inferred,
        warnings: walk.warnings,
        warning_rows: walk.warning_rows,
    };
    (transactions, reconciliation)
}

impl Walk {
    /// Notes a warning about rows `first..=last` of the transactions read.
    fn warn(&mut self, warning: String, first: usize, last: usize) {
        self.warning_rows
            .push(WarningRows::rows(&warning, first, last));
        self.warnings.push(warning);
    }

    /// Settles one row; `ahead` are the rows after it, read only to find the balance a row
    /// without one of its own must lead to.
    fn step(&mut self, mut row: ReadRow, ahead: &[ReadRow]) {
        if !row.amount_printed && !self.take_amount_from_narration(&mut row, ahead) {
            self.line_without_amount(row);
            return;
        }
        // Cells that print only fillers ("0.00" under both sides) say nothing of the amount:
        // when the balance moved, the figure printed against the narration is the amount.
        if row.amount_printed && row.amount.is_zero() {
            self.take_amount_from_narration(&mut row, ahead);
        }
        if self.is_reprint(&row) {
            // Between the row it repeats and the next row read.
            let next = self.transactions.len();
            self.warn(
                format!(
                    "a row on page {} repeats the row before it with the same balance and was \
                     read once",
                    row.raw.page
                ),
                next.saturating_sub(1),
                next,
            );
            return;
        }
        let (side, balance) = self.settle(&row);
        let signed = side.sign() * row.amount;
        let expected = self.running.map(|r| r + signed);
        let (balance, derived) = match (balance, expected) {
            (Some(b), _) => (b, false),
            (None, Some(e)) => (e, true),
            (None, None) => (Decimal::ZERO, true),
        };
        let note = row.raw.narration_text();
        let hash = row_hash(
            &row.raw,
            &note,
            row.amount,
            balance,
            side,
            &mut self.occurrences,
        );
        if let Some(e) = expected {
            if (e - balance).abs() > TOLERANCE {
                self.breaks.push(ChainBreak {
                    row: self.transactions.len(),
                    hash: hash.clone(),
                    expected_balance: e,
                    printed_balance: balance,
                });
            }
        }
        self.running = Some(balance);
        self.transactions.push(Transaction {
            transaction_type: side,
            transaction_note: note,
            chq_num: Some(row.raw.reference_text())
                .filter(|text| !values::is_placeholder(text))
                .unwrap_or_default(),
            amount: row.amount,
            balance,
            date: row.raw.date.unwrap_or_default(),
            value_date: row.raw.value_date,
            hash,
            page: row.raw.page,
            balance_derived: derived,
        });
    }

    /// An amount printed against the narration column (misaligned by the bank's report): a row
    /// with no amount cell but a balance that moved, whose narration piece ends in a figure
    /// exactly the size of that move. The figure becomes the amount; the chain settles its side.
    /// A row printing no balance of its own (balances on a day's last row only) is held to the
    /// next balance printed, less the rows between.
    fn take_amount_from_narration(&mut self, row: &mut ReadRow, ahead: &[ReadRow]) -> bool {
        let Some(running) = self.running else {
            return false;
        };
        let (moved, moved_flipped, side_by_move) = match row.balance {
            Some(balance) => ((balance - running).abs(), (balance + running).abs(), None),
            None => match move_up_to_next_balance(running, ahead) {
                Some(moved) => (moved.abs(), moved.abs(), Some(moved)),
                None => return false,
            },
        };
        if moved.is_zero() {
            return false;
        }
        for (_, text) in row.raw.narration.iter_mut() {
            let Some((head, amount)) = values::figure_ending(text) else {
                continue;
            };
            let value = amount.value.abs();
            if (value - moved).abs() <= TOLERANCE || (value - moved_flipped).abs() <= TOLERANCE {
                *text = head.to_owned();
                row.amount = value;
                row.amount_printed = true;
                if let Some(moved) = side_by_move {
                    row.side = row.side.or(Some(if moved.is_sign_negative() {
                        TransactionType::Debit
                    } else {
                        TransactionType::Credit
                    }));
                }
                let this = self.transactions.len();
                self.warn(
                    format!(
                        "an amount printed in the narration column on page {} was read as the \
                         row's amount, as the balance requires",
                        row.raw.page
                    ),
                    this,
                    this,
                );
                return true;
            }
        }
        false
    }

    /// A dated line with no amount is not a transaction. With no balance it is a note (a lien or
    /// hold, "charges waived"); with the running balance it is a brought-forward or closing line;
    /// with another balance something between the two lines was not read, which is reported.
    fn line_without_amount(&mut self, row: ReadRow) {
        let page = row.raw.page;
        // Between the last row read and the next.
        let next = self.transactions.len();
        match (row.balance, self.running) {
            (None, _) => self.warn(
                format!(
                    "a dated line on page {page} has no amount or balance and was left out as a \
                     note"
                ),
                next.saturating_sub(1),
                next,
            ),
            (Some(b), None) => {
                self.running = Some(b);
                self.warn(
                    format!(
                        "a dated line on page {page} prints only a balance, read as the opening \
                         balance"
                    ),
                    next.saturating_sub(1),
                    next,
                );
            }
            (Some(b), Some(r)) if (b - r).abs() <= TOLERANCE || (b + r).abs() <= TOLERANCE => {}
            (Some(b), Some(r)) => {
                self.problems.push(format!(
                    "a line on page {page} prints the balance {b} with no amount after a balance \
                     of {r}: rows between them were not read"
                ));
                self.running = Some(b);
            }
        }
    }

    /// The same row printed twice in a row (a page's last row repeated at the top of the next):
    /// the second copy leaves the balance where the first put it, which no real debit or credit
    /// of a non-zero amount can do.
    fn is_reprint(&self, row: &ReadRow) -> bool {
        let Some(last) = self.transactions.last() else {
            return false;
        };
        let same_balance = row.balance.is_some_and(|b| {
            (b - last.balance).abs() <= TOLERANCE || (b + last.balance).abs() <= TOLERANCE
        });
        // Where balances print only on each day's last row, a reprinted row may have none: it
        // is then the first row of the next page and the row before printed none either.
        let reprinted_without_balance =
            row.balance.is_none() && last.balance_derived && row.raw.page > last.page;
        self.reprints_detectable
            && (same_balance || reprinted_without_balance)
            && !row.amount.is_zero()
            && row.amount == last.amount
            && row.raw.date.unwrap_or_default() == last.date
            && row.side.is_none_or(|s| s == last.transaction_type)
            && row.raw.narration_text() == last.transaction_note
    }

    /// The row's side and balance. The layout's side stands when it has one; otherwise the chain
    /// decides. A printed balance whose sign only the chain can settle (overdrawn balances printed
    /// without a sign or marker) is read with the sign that makes the chain exact.
    fn settle(&mut self, row: &ReadRow) -> (TransactionType, Option<Decimal>) {
        let sides: &[TransactionType] = match row.side {
            Some(TransactionType::Credit) => &[TransactionType::Credit],
            Some(TransactionType::Debit) => &[TransactionType::Debit],
            None => &[TransactionType::Credit, TransactionType::Debit],
        };
        if row.side.is_none() {
            self.sides_inferred += 1;
        }
        let fallback = (row.side.unwrap_or(TransactionType::Debit), row.balance);
        let (Some(previous), Some(printed)) = (self.running, row.balance) else {
            if row.side.is_none() && row.balance.is_some() && row.amount_printed {
                // A side only a colour showed, and no balance before the row to settle it by
                // (no opening balance printed): a guess, which the verdict must say.
                let this = self.transactions.len();
                self.warn(
                    format!(
                        "a row on page {} prints no Dr/Cr or sign and no balance before it is \
                         printed to settle its side: read as a debit",
                        row.raw.page
                    ),
                    this,
                    this,
                );
            }
            return fallback;
        };
        let fits = |side: TransactionType, balance: Decimal| {
            (previous + side.sign() * row.amount - balance).abs() <= TOLERANCE
        };
        if let Some(&side) = sides.iter().find(|&&s| fits(s, printed)) {
            return (side, Some(printed));
        }
        if printed.is_sign_positive() && !printed.is_zero() {
            if let Some(&side) = sides.iter().find(|&&s| fits(s, -printed)) {
                self.sign_flips += 1;
                let this = self.transactions.len();
                self.flipped_rows = Some(match self.flipped_rows {
                    Some((first, _)) => (first, this),
                    None => (this, this),
                });
                return (side, Some(-printed));
            }
        }
        fallback
    }
}

/// How far a row without a balance of its own must move the running balance: the next printed
/// balance less `running` and the rows printed between. Only where every row up to that balance
/// prints its amount and its side, so the rest of the move is this row's alone.
fn move_up_to_next_balance(running: Decimal, ahead: &[ReadRow]) -> Option<Decimal> {
    let mut moved_by_others = Decimal::ZERO;
    for next in ahead {
        let side = next
            .side
            .filter(|_| next.amount_printed && !next.amount.is_zero())?;
        moved_by_others += side.sign() * next.amount;
        if let Some(balance) = next.balance {
            return Some(balance - running - moved_by_others);
        }
    }
    None
}

/// The opening balance of a table with no running balance whose closing balance is printed
/// and its opening not: the closing less the rows' movement, when every row's side is known.
fn opening_from_closing(rows: &[ReadRow], printed: &PrintedFigures) -> Option<Decimal> {
    let mut movement = Decimal::ZERO;
    for row in rows.iter().filter(|r| r.amount_printed) {
        movement += row.side?.sign() * row.amount;
    }
    printed.closing_balance.map(|closing| closing - movement)
}

/// The closing balance is the only figure printed outside the rows: no opening, totals or
/// counts to set it against.
fn closing_only_anchor(printed: &PrintedFigures) -> bool {
    printed.closing_balance.is_some()
        && printed.opening_balance.is_none()
        && printed.total_debits.is_none()
        && printed.total_credits.is_none()
        && printed.debit_count.is_none()
        && printed.credit_count.is_none()
}

/// Whether figures printed outside the rows can check a table with no running balance: an
/// opening and a closing balance (the rows' net movement), totals or counts.
fn totals_printed(printed: &PrintedFigures) -> bool {
    (printed.opening_balance.is_some() && printed.closing_balance.is_some())
        || printed.total_debits.is_some()
        || printed.total_credits.is_some()
        || printed.debit_count.is_some()
        || printed.credit_count.is_some()
}

/// What the verdict of a table with no running balance rests on, said once.
fn no_chain_warning(checked: CheckedAgainst, totals_agree: bool, balances_known: bool) -> String {
    let head = "the table prints no running balance, so its rows cannot be reconciled by a \
                balance chain";
    match (checked, totals_agree) {
        (CheckedAgainst::PrintedTotals, true) => format!(
            "{head}; their totals were checked instead and agree with the figures printed \
             outside the table"
        ),
        (CheckedAgainst::PrintedTotals, false) => format!(
            "{head}; their totals were checked instead and disagree with the figures printed \
             outside the table"
        ),
        _ if balances_known => format!(
            "{head}, and no closing balance or totals are printed to check them against: the \
             balances follow from the printed opening or closing balance alone"
        ),
        _ => format!(
            "{head}, and no opening or closing balance or totals are printed: the rows could \
             not be checked and the account's balances are unknown"
        ),
    }
}

/// A printed opening balance of an overdrawn account printed without its sign: negated when the
/// first row only chains from the negated figure.
fn settle_opening_sign(opening: Decimal, rows: &[ReadRow], warnings: &mut Vec<String>) -> Decimal {
    // The first printed balance, and the movement of the rows before it (a layout printing the
    // balance only on each day's last row leaves them blank), when their sides are known.
    let mut before = Decimal::ZERO;
    let mut first = None;
    for row in rows.iter().filter(|r| r.amount_printed) {
        if row.balance.is_some() {
            first = Some(row);
            break;
        }
        let Some(side) = row.side else {
            return opening;
        };
        before += side.sign() * row.amount;
    }
    let Some(first) = first else {
        return opening;
    };
    let (Some(balance), false) = (
        first.balance,
        opening.is_sign_negative() || opening.is_zero(),
    ) else {
        return opening;
    };
    let sides = match first.side {
        Some(side) => vec![side],
        None => vec![TransactionType::Credit, TransactionType::Debit],
    };
    let chains = |from: Decimal| {
        sides.iter().any(|s| {
            let next = from + before + s.sign() * first.amount;
            (next - balance).abs() <= TOLERANCE || (next + balance).abs() <= TOLERANCE
        })
    };
    if !chains(opening) && chains(-opening) {
        warnings.push(
            "the opening balance was printed without its overdraft sign and is read as negative"
                .to_owned(),
        );
        return -opening;
    }
    opening
}

/// The balance before the first row: the first printed balance less the rows up to it, when
/// their sides are known (a layout printing the balance only on each day's last row leaves the
/// rows before it blank). When the first two balances only chain with the first one negated, the
/// first was an overdrawn balance printed without its sign, and it is corrected here so the walk
/// starts right.
fn implied_opening(rows: &mut [ReadRow]) -> Option<Decimal> {
    let first_index = rows
        .iter()
        .position(|r| r.amount_printed && r.balance.is_some())?;
    let mut before = Decimal::ZERO;
    for row in rows[..first_index].iter().filter(|r| r.amount_printed) {
        before += row.side?.sign() * row.amount;
    }
    // The next printed balance and the movement of the rows up to it, when every side is known.
    let mut movement = Some(Decimal::ZERO);
    let mut second = None;
    for row in rows[first_index + 1..].iter().filter(|r| r.amount_printed) {
        movement = movement
            .zip(row.side)
            .map(|(m, side)| m + side.sign() * row.amount);
        if row.balance.is_some() {
            second = movement.zip(row.balance);
            break;
        }
    }
    let first = &mut rows[first_index];
    let balance = first.balance?;
    if let Some((movement, next)) = second {
        let chains = |b: Decimal, n: Decimal| (b + movement - n).abs() <= TOLERANCE;
        let straight = chains(balance, next) || chains(balance, -next);
        let negated = chains(-balance, -next) || chains(-balance, next);
        if !straight && negated && balance.is_sign_positive() {
            first.balance = Some(-balance);
        }
    }
    Some(first.balance? - first.side?.sign() * first.amount - before)
}

/// Whether a figure printed outside the rows says where they end: a closing balance (not one
/// worded as carried to a next page), totals or counts.
fn closing_figures_printed(printed: &PrintedFigures) -> bool {
    (printed.closing_balance.is_some() && !printed.closing_carried)
        || printed.total_debits.is_some()
        || printed.total_credits.is_some()
        || printed.debit_count.is_some()
        || printed.credit_count.is_some()
}

/// `printed.carries` count transactions. A carried or closing balance printed as the bare
/// magnitude of an overdrawn balance agrees with it: statements that mark overdrawn rows (a
/// Dr column, or nothing, the chain settling the sign) print their summary and carries
/// without the sign.
fn summary_mismatches_of(
    transactions: &[Transaction],
    printed: &PrintedFigures,
    closing: Option<Decimal>,
) -> Vec<Mismatch> {
    let agree = |printed: Decimal, read: Decimal| {
        (printed - read).abs() <= TOLERANCE
            || (read.is_sign_negative()
                && printed.is_sign_positive()
                && (printed + read).abs() <= TOLERANCE)
    };
    let mut out = Vec::new();
    for &(rows_before, carried) in &printed.carries {
        let Some(before) = rows_before.checked_sub(1) else {
            continue;
        };
        if let Some(t) = transactions.get(before) {
            if !agree(carried, t.balance) {
                out.push(Mismatch {
                    text: format!(
                        "balance carried after row {before} is {carried}, the row shows {}",
                        t.balance
                    ),
                    // A carry sits between rows read: missing rows after the last explain
                    // nothing about it.
                    shortfall: false,
                });
            }
        }
    }
    if let (Some(p), Some(c)) = (printed.closing_balance, closing) {
        if !agree(p, c) {
            out.push(Mismatch {
                text: format!(
                    "printed closing balance {p} differs from the last row's balance {c}"
                ),
                shortfall: true,
            });
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
            out.push(Mismatch {
                text: format!("printed total debits {p} differ from the rows' sum {sum}"),
                shortfall: p > sum,
            });
        }
    }
    let count = |t: TransactionType| {
        transactions
            .iter()
            .filter(|x| x.transaction_type == t)
            .count()
    };
    for (printed_count, side, name) in [
        (printed.debit_count, TransactionType::Debit, "debit"),
        (printed.credit_count, TransactionType::Credit, "credit"),
    ] {
        if let Some(p) = printed_count {
            let read = count(side);
            if p != read {
                out.push(Mismatch {
                    text: format!("the statement counts {p} {name} rows, {read} were read"),
                    shortfall: p > read,
                });
            }
        }
    }
    if let Some(p) = printed.total_credits {
        let sum = total(TransactionType::Credit);
        if (p - sum).abs() > TOLERANCE {
            out.push(Mismatch {
                text: format!("printed total credits {p} differ from the rows' sum {sum}"),
                shortfall: p > sum,
            });
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
    use std::fmt::Write as _;
    // The key as `format!("{date}|{note}|{amount}|{balance}|{side:?}")` wrote it, written once
    // into one buffer: the date's usual form by hand (chrono's formatter cost more than the md5).
    let mut key = String::with_capacity(note.len() + 64);
    if let Some(date) = raw.date {
        write_date_time(&mut key, date);
    }
    // Writing into a String cannot fail.
    let _ = write!(key, "|{note}|{amount}|{balance}|{side:?}");
    let n = match occurrences.get_mut(key.as_str()) {
        Some(n) => {
            *n += 1;
            *n
        }
        None => {
            occurrences.insert(key.clone(), 1);
            1
        }
    };
    let _ = write!(key, "|{n}");
    crate::hash::md5_hex(key.as_bytes())
}

/// Writes `date` as its `Display` does ("2025-04-01 00:00:00"): by hand for a four-digit year
/// and whole seconds, through `Display` otherwise (signed years, fractions, leap seconds).
fn write_date_time(out: &mut String, date: chrono::NaiveDateTime) {
    use chrono::{Datelike, Timelike};
    let year = date.year();
    if !(0..=9999).contains(&year) || date.nanosecond() != 0 {
        use std::fmt::Write as _;
        let _ = write!(out, "{date}");
        return;
    }
    fn two(out: &mut String, n: u32) {
        out.push(char::from(b'0' + (n / 10 % 10) as u8));
        out.push(char::from(b'0' + (n % 10) as u8));
    }
    // 0..=9999, so it fits u32.
    let year = year as u32;
    two(out, year / 100);
    two(out, year % 100);
    for (separator, n) in [
        ('-', date.month()),
        ('-', date.day()),
        (' ', date.hour()),
        (':', date.minute()),
        (':', date.second()),
    ] {
        out.push(separator);
        two(out, n);
    }
}

#[cfg(test)]
mod tests {
    use super::{build_transactions, drcr_marker, write_date_time, PrintedFigures};

    #[test]
    fn a_row_keys_date_is_written_as_its_display() {
        let days = [
            (2025, 4, 1),
            (1999, 12, 31),
            (5, 1, 9),
            (0, 2, 29),
            (9999, 12, 31),
        ];
        let times = [
            (0, 0, 0, 0),
            (23, 59, 59, 0),
            (9, 5, 7, 0),
            (10, 42, 0, 500_000_000),
        ];
        let mut dates: Vec<chrono::NaiveDateTime> = Vec::new();
        for (y, m, d) in days {
            for (h, mi, s, nano) in times {
                let day = chrono::NaiveDate::from_ymd_opt(y, m, d).expect("date");
                dates.push(day.and_hms_nano_opt(h, mi, s, nano).expect("time"));
            }
        }
        for (y, m, d) in [(10000, 1, 1), (-1, 6, 30), (-10000, 1, 1)] {
            let day = chrono::NaiveDate::from_ymd_opt(y, m, d).expect("date");
            dates.push(day.and_hms_opt(1, 2, 3).expect("time"));
        }
        // A leap second.
        let day = chrono::NaiveDate::from_ymd_opt(2016, 12, 31).expect("date");
        dates.push(
            day.and_hms_milli_opt(23, 59, 59, 1_000)
                .expect("leap second"),
        );
        for date in dates {
            let mut written = String::new();
            write_date_time(&mut written, date);
            assert_eq!(written, date.to_string());
        }
    }
    use crate::model::{CheckedAgainst, TransactionType};
    use crate::table::RawRow;
    use crate::values::Side;
    use rust_decimal::Decimal;

    fn row(debit: &str, credit: &str, balance: &str) -> RawRow {
        let cell = |text: &str| (!text.is_empty()).then(|| text.to_owned());
        RawRow {
            page: 1,
            date: chrono::NaiveDate::from_ymd_opt(2024, 1, 5).and_then(|d| d.and_hms_opt(0, 0, 0)),
            narration: vec![(0.0, "UPI".to_owned())],
            debit: cell(debit),
            credit: cell(credit),
            balance: cell(balance),
            ..RawRow::default()
        }
    }

    #[test]
    fn a_carry_counts_printed_rows_and_an_overdraft_may_print_unsigned() {
        // A dated note with no amount is the second printed row: the carry after the third
        // printed row follows the second transaction. The closing prints the overdrawn
        // balance's magnitude, as summaries do.
        let mut note = row("", "", "");
        note.narration = vec![(0.0, "LIEN MARKED".to_owned())];
        let rows = vec![
            row("100.00", "", "-100.00"),
            note,
            row("50.00", "", "-150.00"),
            row("", "20.00", "-130.00"),
        ];
        let money = |text: &str| text.parse::<Decimal>().ok();
        let printed = PrintedFigures {
            opening_balance: money("0.00"),
            closing_balance: money("130.00"),
            carries: vec![(3, Decimal::new(15_000, 2))],
            ..PrintedFigures::default()
        };
        let (transactions, reconciliation, _) = build_transactions(rows.clone(), &printed);
        assert_eq!(transactions.len(), 3);
        assert!(reconciliation.reconciled, "{reconciliation:?}");
        let wrong_carry = PrintedFigures {
            carries: vec![(3, Decimal::new(13_000, 2))],
            ..printed
        };
        let (_, reconciliation, _) = build_transactions(rows, &wrong_carry);
        assert_eq!(reconciliation.summary_mismatches.len(), 1);
    }

    #[test]
    fn balances_printed_on_a_days_last_row_only_are_filled_and_chained() {
        // The day's first two rows leave the balance blank; the opening is the first printed
        // balance less them, and a wrong day-end balance still breaks the chain.
        let rows = vec![
            row("100.00", "", ""),
            row("", "50.00", ""),
            row("25.00", "", "925.00"),
            row("", "75.00", ""),
            row("", "", ""),
            row("10.00", "", "990.00"),
        ];
        let (transactions, reconciliation, _) =
            build_transactions(rows.clone(), &PrintedFigures::default());
        let balances: Vec<String> = transactions.iter().map(|t| t.balance.to_string()).collect();
        assert_eq!(
            balances,
            ["900.00", "950.00", "925.00", "1000.00", "990.00"]
        );
        assert_eq!(
            reconciliation.opening_balance.map(|b| b.to_string()),
            Some("1000.00".into())
        );
        assert!(reconciliation.reconciled, "{reconciliation:?}");
        let mut broken = rows;
        broken[5].balance = Some("999.00".to_owned());
        let (_, reconciliation, _) = build_transactions(broken, &PrintedFigures::default());
        assert!(!reconciliation.reconciled);
    }

    #[test]
    fn an_amount_in_the_narration_is_held_to_the_days_end_balance() {
        // The middle row prints its amount against the narration and no balance of its own:
        // the day's printed balance, less the rows between, says it is a debit of 50.
        let mut in_narration = row("", "", "");
        in_narration.narration = vec![(0.0, "NEFT ACME TRADERS 50.00".to_owned())];
        let rows = vec![
            row("100.00", "", ""),
            in_narration,
            row("25.00", "", "825.00"),
        ];
        let printed = PrintedFigures {
            opening_balance: Some(Decimal::new(1000, 0)),
            ..PrintedFigures::default()
        };
        let (transactions, reconciliation, _) = build_transactions(rows.clone(), &printed);
        let read: Vec<(TransactionType, String, String)> = transactions
            .iter()
            .map(|t| {
                (
                    t.transaction_type,
                    t.amount.to_string(),
                    t.balance.to_string(),
                )
            })
            .collect();
        assert_eq!(
            read,
            [
                (TransactionType::Debit, "100.00".into(), "900.00".into()),
                (TransactionType::Debit, "50.00".into(), "850.00".into()),
                (TransactionType::Debit, "25.00".into(), "825.00".into()),
            ]
        );
        assert_eq!(transactions[1].transaction_note, "NEFT ACME TRADERS");
        assert!(reconciliation.reconciled, "{reconciliation:?}");
        // A figure the day's balance does not call for stays in the narration.
        let mut other = rows;
        other[2].balance = Some("800.00".to_owned());
        let (transactions, _, _) = build_transactions(other, &printed);
        assert_eq!(transactions.len(), 2, "{transactions:?}");
    }

    fn unbalanced(debit: &str, credit: &str) -> RawRow {
        row(debit, credit, "")
    }

    /// Three rows of a table with no balance column: net movement -100 + 250 - 30 = +120.
    fn rows_without_balances() -> Vec<RawRow> {
        vec![
            unbalanced("100.00", ""),
            unbalanced("", "250.00"),
            unbalanced("30.00", ""),
        ]
    }

    fn figures(opening: Option<i64>, closing: Option<i64>) -> PrintedFigures {
        PrintedFigures {
            opening_balance: opening.map(|o| Decimal::new(o, 0)),
            closing_balance: closing.map(|c| Decimal::new(c, 0)),
            ..PrintedFigures::default()
        }
    }

    #[test]
    fn a_table_without_balances_is_checked_by_its_printed_opening_and_closing() {
        let (transactions, verdict, _) =
            build_transactions(rows_without_balances(), &figures(Some(1000), Some(1120)));
        let sides: Vec<TransactionType> = transactions.iter().map(|t| t.transaction_type).collect();
        assert_eq!(
            sides,
            [
                TransactionType::Debit,
                TransactionType::Credit,
                TransactionType::Debit
            ]
        );
        let balances: Vec<String> = transactions.iter().map(|t| t.balance.to_string()).collect();
        assert_eq!(balances, ["900.00", "1150.00", "1120.00"]);
        assert!(transactions.iter().all(|t| t.balance_derived));
        assert!(!verdict.reconciled, "no chain, so never reconciled");
        assert_eq!(verdict.checked_against, CheckedAgainst::PrintedTotals);
        assert!(verdict.balances_known);
        assert!(verdict.summary_mismatches.is_empty(), "{verdict:?}");
        assert!(verdict.warnings.iter().any(|w| w.contains("agree")));

        let (_, verdict, _) =
            build_transactions(rows_without_balances(), &figures(Some(1000), Some(1150)));
        assert_eq!(verdict.checked_against, CheckedAgainst::PrintedTotals);
        assert_eq!(verdict.summary_mismatches.len(), 1, "{verdict:?}");
        assert!(verdict.warnings.iter().any(|w| w.contains("disagree")));
    }

    #[test]
    fn a_table_without_balances_takes_its_opening_from_a_printed_closing() {
        let (transactions, verdict, _) =
            build_transactions(rows_without_balances(), &figures(None, Some(1120)));
        assert_eq!(
            verdict.opening_balance.map(|b| b.to_string()),
            Some("1000.00".into())
        );
        assert_eq!(
            transactions.first().map(|t| t.balance.to_string()),
            Some("900.00".into())
        );
        assert_eq!(verdict.checked_against, CheckedAgainst::Nothing);
        assert!(verdict.balances_known && !verdict.reconciled);
    }

    #[test]
    fn a_table_without_any_balance_printed_is_unchecked_and_its_balances_unknown() {
        let (transactions, verdict, _) =
            build_transactions(rows_without_balances(), &PrintedFigures::default());
        assert_eq!(transactions.len(), 3);
        assert_eq!(verdict.checked_against, CheckedAgainst::Nothing);
        assert!(!verdict.balances_known && !verdict.reconciled);
        assert_eq!(
            (verdict.opening_balance, verdict.closing_balance),
            (None, None)
        );
        assert!(verdict.summary_mismatches.is_empty(), "{verdict:?}");
        assert!(verdict.warnings.iter().any(|w| w.contains("unknown")));
    }

    #[test]
    fn a_row_repeated_across_a_page_break_without_balances_is_kept() {
        // Without a balance a second identical row cannot be told from a reprint: both stay.
        let mut rows = vec![unbalanced("100.00", ""), unbalanced("100.00", "")];
        rows[1].page = 2;
        let (transactions, _, _) = build_transactions(rows, &figures(Some(1000), None));
        assert_eq!(transactions.len(), 2);
    }

    #[test]
    fn reads_the_side_out_of_joined_type_and_drcr_cells() {
        assert_eq!(drcr_marker("Cr"), Some(Side::Credit));
        assert_eq!(drcr_marker("CLG Cr"), Some(Side::Credit));
        assert_eq!(drcr_marker("UPI Dr"), Some(Side::Debit));
        assert_eq!(drcr_marker("TRF"), None);
        assert_eq!(drcr_marker("Dr Cr"), None);
        assert_eq!(drcr_marker("CREDIT"), Some(Side::Credit));
        assert_eq!(drcr_marker("TRF Debit"), Some(Side::Debit));
    }
}
