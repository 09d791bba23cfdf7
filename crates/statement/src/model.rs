//! What the engine hands to the rest of the system: one model whichever layout it came from.

use crate::banks::BankEvidence;
use crate::identity::Identity;
use chrono::{NaiveDate, NaiveDateTime};
use ledgerlens_pdf::DocumentMetadata;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TransactionType {
    Credit,
    Debit,
}

impl TransactionType {
    /// +1 for credits, -1 for debits: the effect on the balance of a positive amount.
    pub fn sign(self) -> Decimal {
        match self {
            Self::Credit => Decimal::ONE,
            Self::Debit => Decimal::NEGATIVE_ONE,
        }
    }
}

/// One statement row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Transaction {
    pub transaction_type: TransactionType,
    /// The full narration; wrapped lines joined by single spaces.
    pub transaction_note: String,
    pub chq_num: String,
    /// As printed: positive, except the negative withdrawals some banks print for reversals.
    pub amount: Decimal,
    /// Signed: negative when the account is overdrawn.
    pub balance: Decimal,
    pub date: NaiveDateTime,
    pub value_date: Option<NaiveDateTime>,
    /// Stable identifier (md5 hex of the row's content and its occurrence number).
    pub hash: String,
    /// 1-based page the row starts on.
    pub page: usize,
    /// True when the balance was not printed on the row and was carried from the chain.
    pub balance_derived: bool,
}

impl Transaction {
    /// The row's effect on the balance.
    pub fn signed_amount(&self) -> Decimal {
        self.transaction_type.sign() * self.amount
    }
}

/// Whether the balance chain holds from the opening balance through every row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reconciliation {
    /// True when every row, the opening and the closing balance agree. Never true for a table
    /// that prints no running balance: its rows cannot be chained (see `checked_against`).
    pub reconciled: bool,
    /// What the rows could be checked against: the balance chain, or for a table with no
    /// running balance only the printed totals, or nothing.
    pub checked_against: CheckedAgainst,
    /// False when no balance is printed anywhere (no running balance, no opening or closing
    /// balance): each row's `balance` is then only the movement since the statement's start,
    /// an opening of zero assumed, and is not the account's balance (the API prints null).
    pub balances_known: bool,
    pub opening_balance: Option<Decimal>,
    pub closing_balance: Option<Decimal>,
    /// Rows (0-based) where printed balance ≠ previous balance ± amount.
    pub breaks: Vec<ChainBreak>,
    /// Printed figures (closing balance, totals) that disagree with the rows.
    pub summary_mismatches: Vec<String>,
    /// Periods inside the statement's range that nothing in the file covers: a month left out
    /// of monthly statements merged into one file. Their rows are missing, not misread: the
    /// statement is not reconciled, and the service reports it as missing transactions.
    pub missing_periods: Vec<DateRange>,
    /// What shows that the file lacks the end of the statement (bytes cut short, pages the
    /// page labels count but the file does not hold, printed closing figures the rows do not
    /// reach, rows that stop long before the printed period's end). Such a statement is never
    /// reconciled; the service reports its rows as missing transactions. Where the period's
    /// end is printed, the days after the last row read are also in `missing_periods`.
    pub incomplete: Vec<Incomplete>,
    /// Rows whose debit/credit side was settled by the balance chain rather than by the layout.
    pub sides_inferred: usize,
    /// Readings the engine made but is not certain of, or lines it left out on purpose (a lien
    /// note, a row printed twice, a balance whose sign only the chain could settle). They do not
    /// by themselves make the statement unreconciled, but they are never silent.
    pub warnings: Vec<String>,
    /// The rows each warning's reading concerns, where the engine knows them (see
    /// [`WarningRows`]); a warning with no entry here names no rows (it may concern any).
    /// Kept out of the serialised verdict: the warnings' sentences say where, for people.
    #[serde(skip)]
    pub warning_rows: Vec<WarningRows>,
}

impl Reconciliation {
    /// Says `warning` about a reading that concerns no row's amount, side or balance.
    pub(crate) fn warn_without_figures(&mut self, warning: String) {
        self.warning_rows.push(WarningRows::no_figures(&warning));
        self.warnings.push(warning);
    }
}

/// Where an entry of [`Reconciliation::warnings`] applies: the rows (0-based, as in the
/// statement's transactions, both ends included) whose amount, side or balance its unsure
/// reading may have changed, or between which it left a line out; or no row's figures at all
/// (a narration line's attachment, the date columns, the bank's name), which no balance-chain
/// break can come from. The fraud checks trust the shape of a chain break away from every
/// such row (issue 10 item 7).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WarningRows {
    /// The warning, word for word as in `warnings`.
    pub warning: String,
    /// First and last row concerned; None when the reading concerns no row's figures.
    pub rows: Option<(usize, usize)>,
}

impl WarningRows {
    /// A warning about rows `first..=last`.
    pub fn rows(warning: &str, first: usize, last: usize) -> Self {
        WarningRows {
            warning: warning.to_owned(),
            rows: Some((first.min(last), first.max(last))),
        }
    }

    /// A warning about no row's amount, side or balance.
    pub fn no_figures(warning: &str) -> Self {
        WarningRows {
            warning: warning.to_owned(),
            rows: None,
        }
    }
}

/// What a statement's rows were checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckedAgainst {
    /// Every row's printed running balance follows from the row before it.
    BalanceChain,
    /// The table prints no running balance: the rows' sums were checked against the printed
    /// opening and closing balances (their net movement) and printed totals or counts. A
    /// check of totals, not of each row: two errors can cancel.
    PrintedTotals,
    /// The table prints no running balance and nothing printed outside the rows (an opening
    /// and closing balance, totals, counts) to check their sums against.
    Nothing,
}

/// One piece of evidence that the statement is incomplete, with the sentence the verdict
/// prints for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Incomplete {
    pub evidence: IncompleteEvidence,
    pub detail: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IncompleteEvidence {
    /// The file stops before its end-of-file marker (a failed download or upload): the PDF
    /// reader recovered the pages it could.
    FileCutShort,
    /// Page labels ("Page 3 of 5") count more pages than the file holds.
    PagesMissing,
    /// The balance chain holds, yet the rows do not reach the printed closing balance, totals
    /// or counts, and something else says the rows stop early.
    PrintedFiguresNotReached,
    /// Nothing printed to reach, but the rows stop far before the printed period's end: longer
    /// than any quiet spell between the statement's own rows.
    RowsEndBeforePeriodEnd,
    /// Nothing printed to start from, but the rows start far after the printed period's start:
    /// longer than any quiet spell between the statement's own rows, and the balance before
    /// the first row is not zero (an account opened that day starts there). A newest-first
    /// statement whose last pages, holding its oldest rows, were left out reads so.
    RowsStartAfterPeriodStart,
}

/// Days from `from_date` to `to_date`, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateRange {
    pub from_date: NaiveDate,
    pub to_date: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChainBreak {
    pub row: usize,
    pub hash: String,
    pub expected_balance: Decimal,
    pub printed_balance: Decimal,
}

/// How the table was read: which headings became which columns.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LayoutReport {
    pub columns: Vec<ColumnReport>,
    /// "below" when narrations wrap under the dated line, "centred" when around it.
    pub wrap_mode: &'static str,
    pub header_pages: Vec<usize>,
    pub reversed_order: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ColumnReport {
    pub role: String,
    pub heading: String,
    pub x0: f32,
    pub x1: f32,
}

/// Everything read from one statement file.
#[derive(Debug, Clone, Serialize)]
pub struct ParsedStatement {
    pub bank: Option<BankEvidence>,
    pub identity: Identity,
    pub transactions: Vec<Transaction>,
    pub reconciliation: Reconciliation,
    pub metadata: DocumentMetadata,
    pub layout: LayoutReport,
    pub page_count: usize,
    pub encrypted: bool,
    /// Fonts declared on the pages carrying the table, per page (fraud evidence).
    pub table_fonts: Vec<Vec<String>>,
    /// Per row of `transactions`, in their order, the font programs that print its figures
    /// (fraud evidence; not part of the engine's output).
    #[serde(skip_serializing)]
    pub figure_fonts: Vec<FigureFonts>,
}

/// The font programs of the runs printing one row's amount and balance (content hashes, see
/// `ledgerlens_pdf::TextRun::font_program`), where one program alone prints that value on the
/// row's page; `None` where it cannot be told or the row prints no balance.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FigureFonts {
    pub amount: Option<u64>,
    pub balance: Option<u64>,
}
