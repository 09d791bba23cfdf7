//! The enrichment stage between the engine and the data endpoints. No HTTP here.
//!
//! Processing a statement stores its *enrichment input* (transactions, PDF metadata,
//! balance-chain breaks) next to its engine output, so an account can be enriched over all of
//! its statements without parsing any file again. Finalising a session enriches each account
//! once (crates/analysis merges the statements) with the session's metadata as context, and
//! stores the resulting [`AccountDocument`]; the legacy entity API, which has no finalisation,
//! enriches on read from the same inputs. The documents' shapes belong to ledgerlens-contract;
//! this module keeps what is stored and re-exports the rest under its old paths.

use chrono::{NaiveDate, NaiveDateTime};
use ledgerlens_analysis::{merge, AccountInput, StatementInput};
pub use ledgerlens_contract::enrichment::{
    context, enrich_account, enrich_parsed, statement_input, AccountDocument, AccountFacts,
    EnrichmentContext,
};
use ledgerlens_pdf::{DocumentMetadata, PdfDate};
use ledgerlens_statement::model::{
    ChainBreak, CheckedAgainst, DateRange, FigureFonts, Incomplete, ParsedStatement, Transaction,
    TransactionType, WarningRows,
};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Bumped when [`StoredInput`] changes incompatibly; older inputs are then ignored.
const INPUT_VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
struct StoredInput {
    version: u32,
    bank: Option<String>,
    transactions: Vec<StoredTransaction>,
    metadata: Option<StoredMetadata>,
    reconciled: bool,
    /// Added with tables that print no running balance; inputs stored before were all read
    /// against their balance chain, with balances known.
    #[serde(default = "balance_chain")]
    checked_against: CheckedAgainst,
    #[serde(default = "known")]
    balances_known: bool,
    chain_breaks: Vec<StoredBreak>,
    page_count: usize,
    table_fonts: Vec<Vec<String>>,
    /// Absent from inputs stored before figures' fonts were read.
    #[serde(default)]
    figure_fonts: Vec<FigureFonts>,
    /// Absent from inputs stored before it existed.
    #[serde(default)]
    summary_mismatches: Vec<String>,
    /// Absent from inputs stored before merged files that leave a month out were read.
    #[serde(default)]
    missing_periods: Vec<DateRange>,
    /// Absent from inputs stored before incomplete files were told apart.
    #[serde(default)]
    incomplete: Vec<Incomplete>,
    #[serde(default)]
    parse_warnings: Vec<String>,
    /// Absent from inputs stored before warnings named their rows.
    #[serde(default)]
    parse_warning_rows: Vec<WarningRows>,
    from_date: Option<NaiveDate>,
    to_date: Option<NaiveDate>,
}

fn balance_chain() -> CheckedAgainst {
    CheckedAgainst::BalanceChain
}

fn known() -> bool {
    true
}

/// A transaction as stored (in enrichment inputs and in upload-time parses).
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct StoredTransaction {
    credit: bool,
    transaction_note: String,
    chq_num: String,
    amount: Decimal,
    balance: Decimal,
    date: NaiveDateTime,
    value_date: Option<NaiveDateTime>,
    hash: String,
    page: usize,
    balance_derived: bool,
}

/// PDF document information as stored.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct StoredMetadata {
    producer: Option<String>,
    creator: Option<String>,
    author: Option<String>,
    title: Option<String>,
    subject: Option<String>,
    keywords: Option<String>,
    creation_date: Option<StoredPdfDate>,
    modification_date: Option<StoredPdfDate>,
    page_count: usize,
    incremental_updates: usize,
    #[serde(default)]
    signature_updates: usize,
    #[serde(default)]
    signing_times: Vec<StoredPdfDate>,
    #[serde(default)]
    updates_signed_over: usize,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
struct StoredPdfDate {
    year: u16,
    month: u8,
    day: u8,
    hour: u8,
    minute: u8,
    second: u8,
    utc_offset_minutes: i16,
}

/// A balance-chain break as stored.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct StoredBreak {
    row: usize,
    hash: String,
    expected_balance: Decimal,
    printed_balance: Decimal,
}

impl From<PdfDate> for StoredPdfDate {
    fn from(d: PdfDate) -> Self {
        StoredPdfDate {
            year: d.year,
            month: d.month,
            day: d.day,
            hour: d.hour,
            minute: d.minute,
            second: d.second,
            utc_offset_minutes: d.utc_offset_minutes,
        }
    }
}

impl From<StoredPdfDate> for PdfDate {
    fn from(d: StoredPdfDate) -> Self {
        PdfDate {
            year: d.year,
            month: d.month,
            day: d.day,
            hour: d.hour,
            minute: d.minute,
            second: d.second,
            utc_offset_minutes: d.utc_offset_minutes,
        }
    }
}

impl From<&Transaction> for StoredTransaction {
    fn from(t: &Transaction) -> Self {
        StoredTransaction {
            credit: t.transaction_type == TransactionType::Credit,
            transaction_note: t.transaction_note.clone(),
            chq_num: t.chq_num.clone(),
            amount: t.amount,
            balance: t.balance,
            date: t.date,
            value_date: t.value_date,
            hash: t.hash.clone(),
            page: t.page,
            balance_derived: t.balance_derived,
        }
    }
}

impl From<StoredTransaction> for Transaction {
    fn from(t: StoredTransaction) -> Self {
        Transaction {
            transaction_type: if t.credit {
                TransactionType::Credit
            } else {
                TransactionType::Debit
            },
            transaction_note: t.transaction_note,
            chq_num: t.chq_num,
            amount: t.amount,
            balance: t.balance,
            date: t.date,
            value_date: t.value_date,
            hash: t.hash,
            page: t.page,
            balance_derived: t.balance_derived,
        }
    }
}

impl From<&DocumentMetadata> for StoredMetadata {
    fn from(m: &DocumentMetadata) -> Self {
        StoredMetadata {
            producer: m.producer.clone(),
            creator: m.creator.clone(),
            author: m.author.clone(),
            title: m.title.clone(),
            subject: m.subject.clone(),
            keywords: m.keywords.clone(),
            creation_date: m.creation_date.map(Into::into),
            modification_date: m.modification_date.map(Into::into),
            page_count: m.page_count,
            incremental_updates: m.incremental_updates,
            signature_updates: m.signature_updates,
            signing_times: m.signing_times.iter().copied().map(Into::into).collect(),
            updates_signed_over: m.updates_signed_over,
        }
    }
}

impl From<StoredMetadata> for DocumentMetadata {
    fn from(m: StoredMetadata) -> Self {
        DocumentMetadata {
            producer: m.producer,
            creator: m.creator,
            author: m.author,
            title: m.title,
            subject: m.subject,
            keywords: m.keywords,
            creation_date: m.creation_date.map(Into::into),
            modification_date: m.modification_date.map(Into::into),
            page_count: m.page_count,
            incremental_updates: m.incremental_updates,
            signature_updates: m.signature_updates,
            signing_times: m.signing_times.into_iter().map(Into::into).collect(),
            updates_signed_over: m.updates_signed_over,
        }
    }
}

impl From<&ChainBreak> for StoredBreak {
    fn from(b: &ChainBreak) -> Self {
        StoredBreak {
            row: b.row,
            hash: b.hash.clone(),
            expected_balance: b.expected_balance,
            printed_balance: b.printed_balance,
        }
    }
}

impl From<StoredBreak> for ChainBreak {
    fn from(b: StoredBreak) -> Self {
        ChainBreak {
            row: b.row,
            hash: b.hash,
            expected_balance: b.expected_balance,
            printed_balance: b.printed_balance,
        }
    }
}

/// [`statement_input`] as stored in `statement_results.enrichment`.
pub fn encode_input(input: &StatementInput) -> Result<String, serde_json::Error> {
    let stored = StoredInput {
        version: INPUT_VERSION,
        bank: input.bank.clone(),
        transactions: input.transactions.iter().map(Into::into).collect(),
        metadata: input.metadata.as_ref().map(Into::into),
        reconciled: input.reconciled,
        checked_against: input.checked_against,
        balances_known: input.balances_known,
        chain_breaks: input.chain_breaks.iter().map(Into::into).collect(),
        page_count: input.page_count,
        table_fonts: input.table_fonts.clone(),
        figure_fonts: input.figure_fonts.clone(),
        summary_mismatches: input.summary_mismatches.clone(),
        missing_periods: input.missing_periods.clone(),
        incomplete: input.incomplete.clone(),
        parse_warnings: input.parse_warnings.clone(),
        parse_warning_rows: input.parse_warning_rows.clone(),
        from_date: input.from_date,
        to_date: input.to_date,
    };
    serde_json::to_string(&stored)
}

/// Reads a stored input back; `None` when it is missing, corrupt or of another version.
pub fn decode_input(statement_id: &str, text: &str) -> Option<StatementInput> {
    let stored: StoredInput = serde_json::from_str(text).ok()?;
    if stored.version != INPUT_VERSION {
        return None;
    }
    Some(StatementInput {
        statement_id: statement_id.to_owned(),
        bank: stored.bank,
        transactions: stored.transactions.into_iter().map(Into::into).collect(),
        metadata: stored.metadata.map(Into::into),
        reconciled: stored.reconciled,
        checked_against: stored.checked_against,
        balances_known: stored.balances_known,
        chain_breaks: stored.chain_breaks.into_iter().map(Into::into).collect(),
        page_count: stored.page_count,
        table_fonts: stored.table_fonts,
        figure_fonts: stored.figure_fonts,
        summary_mismatches: stored.summary_mismatches,
        missing_periods: stored.missing_periods,
        incomplete: stored.incomplete,
        parse_warnings: stored.parse_warnings,
        parse_warning_rows: stored.parse_warning_rows,
        from_date: stored.from_date,
        to_date: stored.to_date,
    })
}

/// The upload-time fraud verdict of one statement (metadata and balance-chain checks only):
/// `(is_fraud, fraud_type)` as upload responses report them.
pub fn upload_fraud(statement_id: &str, parsed: &ParsedStatement) -> (bool, Option<String>) {
    let input = statement_input(statement_id, parsed);
    let account = AccountInput {
        account_number: parsed.identity.account_number.clone(),
        statements: vec![input],
        ..AccountInput::default()
    };
    let merged = merge::merge_statements(&account.statements);
    let report = ledgerlens_analysis::fraud::assess(&account, &[], &merged.report);
    report
        .statements
        .get(statement_id)
        .map_or((false, None), |(is_fraud, kind)| {
            (*is_fraud, kind.map(str::to_owned))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ledgerlens_statement::model::IncompleteEvidence;

    fn txn(day: u32, credit: bool, amount: i64, balance: i64, note: &str) -> Transaction {
        Transaction {
            transaction_type: if credit {
                TransactionType::Credit
            } else {
                TransactionType::Debit
            },
            transaction_note: note.to_owned(),
            chq_num: String::new(),
            amount: Decimal::new(amount, 0),
            balance: Decimal::new(balance, 2),
            date: NaiveDate::from_ymd_opt(2025, 8, day)
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .unwrap_or_default(),
            value_date: None,
            hash: format!("h{day}"),
            page: 1,
            balance_derived: false,
        }
    }

    #[test]
    fn stored_input_round_trips() {
        let input = StatementInput {
            statement_id: "s1".into(),
            bank: Some("hdfc".into()),
            transactions: vec![
                txn(1, true, 5000, 500012, "NEFT SALARY ACME"),
                txn(2, false, 12, 498812, "UPI/123/SHOP"),
            ],
            metadata: Some(DocumentMetadata {
                producer: Some("iText".into()),
                creation_date: Some(PdfDate {
                    year: 2025,
                    month: 9,
                    day: 1,
                    hour: 1,
                    minute: 2,
                    second: 3,
                    utc_offset_minutes: 330,
                }),
                page_count: 2,
                ..DocumentMetadata::default()
            }),
            reconciled: false,
            checked_against: CheckedAgainst::Nothing,
            balances_known: false,
            chain_breaks: vec![ChainBreak {
                row: 1,
                hash: "h2".into(),
                expected_balance: Decimal::new(1, 1),
                printed_balance: Decimal::new(2, 1),
            }],
            page_count: 2,
            table_fonts: vec![vec!["Helvetica".into()]],
            figure_fonts: vec![
                FigureFonts {
                    amount: Some(7),
                    balance: Some(7),
                },
                FigureFonts {
                    amount: Some(7),
                    balance: None,
                },
            ],
            summary_mismatches: vec!["closing balance".into()],
            missing_periods: vec![DateRange {
                from_date: NaiveDate::from_ymd_opt(2025, 7, 1).unwrap_or_default(),
                to_date: NaiveDate::from_ymd_opt(2025, 7, 31).unwrap_or_default(),
            }],
            incomplete: vec![Incomplete {
                evidence: IncompleteEvidence::PagesMissing,
                detail: "the page labels count 3 pages".into(),
            }],
            parse_warnings: vec!["a balance's sign was settled by the chain".into()],
            parse_warning_rows: vec![WarningRows::rows(
                "a balance's sign was settled by the chain",
                3,
                4,
            )],
            from_date: NaiveDate::from_ymd_opt(2025, 8, 1),
            to_date: NaiveDate::from_ymd_opt(2025, 8, 31),
        };
        let text = encode_input(&input).expect("encodes");
        let back = decode_input("s1", &text).expect("decodes");
        assert_eq!(back.transactions, input.transactions);
        assert_eq!(back.metadata, input.metadata);
        assert_eq!(back.chain_breaks, input.chain_breaks);
        assert_eq!(back.missing_periods, input.missing_periods);
        assert_eq!(back.incomplete, input.incomplete);
        assert_eq!(back.parse_warning_rows, input.parse_warning_rows);
        assert_eq!(back.figure_fonts, input.figure_fonts);
        assert_eq!(
            (back.from_date, back.to_date, back.reconciled),
            (input.from_date, input.to_date, false)
        );
        assert_eq!(
            (back.checked_against, back.balances_known),
            (CheckedAgainst::Nothing, false)
        );
        // An input stored before the verdict existed was read against its chain.
        let older = text
            .replace(",\"checked_against\":\"nothing\"", "")
            .replace(",\"balances_known\":false", "");
        assert!(!older.contains("balances_known"), "{older}");
        let back = decode_input("s1", &older).expect("decodes");
        assert_eq!(
            (back.checked_against, back.balances_known),
            (CheckedAgainst::BalanceChain, true)
        );
        assert!(decode_input("s1", "{\"version\": 99}").is_none());
    }
}
