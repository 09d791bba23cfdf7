//! Fraud and validation. Three kinds of evidence are kept apart:
//! metadata (who wrote the PDF and when), accounting (does the balance chain hold)
//! and behaviour (patterns in the transactions). Metadata alone is weak: an honest
//! re-save changes it too, so a statement whose content reconciles is only called
//! fraud on metadata when an editing tool wrote it *and* it was modified after
//! creation; otherwise the signal is reported as a warning with its evidence.

use crate::merge::MergeReport;
use crate::tables;
use crate::{AccountInput, EnrichedTransaction, StatementInput};
use chrono::{Datelike, NaiveDate, Weekday};
use ledgerlens_pdf::PdfDate;
use ledgerlens_statement::model::TransactionType;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::OnceLock;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FraudEntry {
    pub statement_id: String,
    pub fraud_type: &'static str,
    /// "metadata", "accounting" or "behavioural".
    pub fraud_category: &'static str,
    pub transaction_hash: Option<String>,
    /// Human-readable reason, without account data.
    pub evidence: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct FraudReport {
    /// Confirmed findings (the Insights `fraud` array).
    pub fraud: Vec<FraudEntry>,
    /// Signals that did not reach the bar for fraud on their own.
    pub warnings: Vec<FraudEntry>,
    /// statement_id → (is_fraud, first fraud_type).
    pub statements: BTreeMap<String, (bool, Option<&'static str>)>,
    /// Predictor booleans (author_fraud, negative_balance, ...).
    pub flags: BTreeMap<&'static str, bool>,
    /// Account-level validation codes (MISSING_TRANSACTIONS, ...).
    pub validation_codes: Vec<&'static str>,
}

/// Modification more than this long after creation counts as "late".
const LATE_MODIFICATION_HOURS: i64 = 24;
/// RBI's minimum RTGS amount.
const MIN_RTGS_AMOUNT: i64 = 200_000;

pub fn assess(
    account: &AccountInput,
    transactions: &[EnrichedTransaction],
    merge: &MergeReport,
) -> FraudReport {
    let mut report = FraudReport::default();
    let mut author_fraud = false;
    let mut date_fraud = false;
    let mut any_breaks = false;
    for statement in &account.statements {
        let signals = metadata_signals(statement);
        let breaks = accounting_entries(statement);
        any_breaks |= !breaks.is_empty();
        let content_reconciles = breaks.is_empty();
        let editor = signals
            .iter()
            .any(|entry| entry.fraud_type == "author_fraud");
        let late = signals.iter().any(|entry| entry.fraud_type == "date_fraud");
        let metadata_confirmed = !content_reconciles || (editor && late);
        for entry in signals {
            author_fraud |= metadata_confirmed && entry.fraud_type == "author_fraud";
            date_fraud |= metadata_confirmed && entry.fraud_type == "date_fraud";
            if metadata_confirmed {
                report.fraud.push(entry);
            } else {
                report.warnings.push(entry);
            }
        }
        report.fraud.extend(breaks);
        let first = report
            .fraud
            .iter()
            .find(|entry| entry.statement_id == statement.statement_id)
            .map(|entry| entry.fraud_type);
        report
            .statements
            .insert(statement.statement_id.clone(), (first.is_some(), first));
    }
    report.flags = behavioural_flags(transactions);
    report.flags.insert("author_fraud", author_fraud);
    report.flags.insert("date_fraud", date_fraud);
    report.flags.insert("inconsistent_transaction", any_breaks);
    report.flags.insert("transaction_fraud", any_breaks);
    report.flags.insert("transaction_fraud_v2", any_breaks);
    report.validation_codes = validation_codes(account, transactions, merge, any_breaks);
    report
}

fn editors() -> &'static [(String, &'static str)] {
    static EDITORS: OnceLock<Vec<(String, &'static str)>> = OnceLock::new();
    EDITORS.get_or_init(|| {
        tables::rows("pdf_editors", tables::PDF_EDITORS_TSV, 2)
            .unwrap_or_default()
            .into_iter()
            .map(|(_, fields)| (fields[0].to_lowercase(), fields[1]))
            .collect()
    })
}

fn metadata_signals(statement: &StatementInput) -> Vec<FraudEntry> {
    let Some(metadata) = &statement.metadata else {
        return Vec::new();
    };
    let entry = |fraud_type, evidence: String| FraudEntry {
        statement_id: statement.statement_id.clone(),
        fraud_type,
        fraud_category: "metadata",
        transaction_hash: None,
        evidence,
    };
    let mut signals = Vec::new();
    for (field, value) in [
        ("Producer", &metadata.producer),
        ("Creator", &metadata.creator),
    ] {
        let Some(value) = value else { continue };
        let lowered = value.to_lowercase();
        if let Some((_, tool)) = editors()
            .iter()
            .find(|(needle, _)| lowered.contains(needle.as_str()))
        {
            signals.push(entry(
                "author_fraud",
                format!("{field} names the PDF editor {tool}"),
            ));
            break;
        }
    }
    if let (Some(created), Some(modified)) = (metadata.creation_date, metadata.modification_date) {
        let hours = hours_between(created, modified);
        if hours > LATE_MODIFICATION_HOURS {
            signals.push(entry(
                "date_fraud",
                format!("ModDate is {} days after CreationDate", hours / 24),
            ));
        }
    }
    if metadata.incremental_updates > 0 {
        signals.push(entry(
            "incremental_update",
            format!(
                "file was appended to {} time(s) after it was written",
                metadata.incremental_updates
            ),
        ));
    }
    if let Some(font) = font_only_on_one_page(&statement.table_fonts) {
        signals.push(entry(
            "font_inconsistency",
            format!("font {font} appears on one table page only"),
        ));
    }
    signals
}

fn hours_between(from: PdfDate, to: PdfDate) -> i64 {
    let instant = |date: PdfDate| {
        NaiveDate::from_ymd_opt(
            i32::from(date.year),
            u32::from(date.month),
            u32::from(date.day),
        )
        .and_then(|day| {
            day.and_hms_opt(
                u32::from(date.hour),
                u32::from(date.minute),
                u32::from(date.second),
            )
        })
        .map(|time| time - chrono::Duration::minutes(i64::from(date.utc_offset_minutes)))
    };
    match (instant(from), instant(to)) {
        (Some(start), Some(end)) => (end - start).num_hours(),
        _ => 0,
    }
}

/// A font used on exactly one of three or more table pages: the mark of a pasted edit.
fn font_only_on_one_page(pages: &[Vec<String>]) -> Option<String> {
    if pages.len() < 3 {
        return None;
    }
    let mut pages_per_font: BTreeMap<&str, usize> = BTreeMap::new();
    for page in pages {
        let unique: BTreeSet<&str> = page.iter().map(String::as_str).collect();
        for font in unique {
            *pages_per_font.entry(font).or_default() += 1;
        }
    }
    pages_per_font
        .into_iter()
        .find(|(_, count)| *count == 1)
        .map(|(font, _)| font.to_string())
}

fn accounting_entries(statement: &StatementInput) -> Vec<FraudEntry> {
    statement
        .chain_breaks
        .iter()
        .map(|chain_break| FraudEntry {
            statement_id: statement.statement_id.clone(),
            fraud_type: "inconsistent_transaction",
            fraud_category: "accounting",
            transaction_hash: Some(chain_break.hash.clone()),
            evidence: format!(
                "row {}: printed balance differs from previous balance ± amount by {}",
                chain_break.row,
                (chain_break.printed_balance - chain_break.expected_balance).abs()
            ),
        })
        .collect()
}

fn bank_holidays() -> &'static HashSet<NaiveDate> {
    static HOLIDAYS: OnceLock<HashSet<NaiveDate>> = OnceLock::new();
    HOLIDAYS.get_or_init(|| {
        tables::rows("bank_holidays", tables::BANK_HOLIDAYS_TSV, 2)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|(_, fields)| NaiveDate::parse_from_str(fields[0], "%Y-%m-%d").ok())
            .collect()
    })
}

/// Branches are shut on national holidays, Sundays and the 2nd and 4th Saturdays.
pub fn is_bank_holiday(date: NaiveDate) -> bool {
    let week_of_month = (date.day() - 1) / 7 + 1;
    bank_holidays().contains(&date)
        || date.weekday() == Weekday::Sun
        || (date.weekday() == Weekday::Sat && matches!(week_of_month, 2 | 4))
}

fn behavioural_flags(transactions: &[EnrichedTransaction]) -> BTreeMap<&'static str, bool> {
    let channel_is = |txn: &EnrichedTransaction, channel: &str| txn.transaction_channel == channel;
    let on_holiday = |channel: &str| {
        transactions
            .iter()
            .any(|txn| channel_is(txn, channel) && is_bank_holiday(txn.transaction.date.date()))
    };
    let salaries: Vec<Decimal> = transactions
        .iter()
        .filter(|txn| txn.is_salary)
        .map(|txn| txn.transaction.amount)
        .collect();
    let thousand = Decimal::new(1000, 0);
    let hundred = Decimal::ONE_HUNDRED;
    let total = |side: TransactionType| -> Decimal {
        transactions
            .iter()
            .filter(|txn| txn.transaction.transaction_type == side)
            .map(|txn| txn.transaction.amount)
            .sum()
    };
    let cash_deposits: Decimal = transactions
        .iter()
        .filter(|txn| channel_is(txn, "cash_deposit"))
        .map(|txn| txn.transaction.amount)
        .sum();
    let cash_rows = transactions
        .iter()
        .filter(|txn| channel_is(txn, "cash_deposit") || channel_is(txn, "cash_withdrawl"))
        .count();
    let taxes: Vec<Decimal> = transactions
        .iter()
        .filter(|txn| txn.category == "Tax")
        .map(|txn| txn.transaction.amount)
        .collect();
    let mut flags = BTreeMap::new();
    flags.insert(
        "negative_balance",
        transactions.iter().any(|txn| {
            txn.transaction.balance.is_sign_negative() && !txn.transaction.balance.is_zero()
        }),
    );
    flags.insert(
        "salary_1000_multiple",
        !salaries.is_empty() && salaries.iter().all(|amount| (*amount % thousand).is_zero()),
    );
    flags.insert(
        "salary_remains_unchanged",
        salaries.len() >= 3 && salaries.windows(2).all(|pair| pair[0] == pair[1]),
    );
    flags.insert(
        "more_cash_deposits_than_salary",
        !salaries.is_empty() && cash_deposits > salaries.iter().sum(),
    );
    flags.insert(
        "mostly_cash_transactions",
        !transactions.is_empty() && cash_rows * 2 > transactions.len(),
    );
    let credits = total(TransactionType::Credit);
    flags.insert(
        "equal_credit_debit",
        !credits.is_zero() && credits == total(TransactionType::Debit),
    );
    flags.insert(
        "tax_100_multiple",
        !taxes.is_empty() && taxes.iter().all(|amount| (*amount % hundred).is_zero()),
    );
    flags.insert(
        "min_rtgs_amount",
        transactions.iter().any(|txn| {
            txn.mode == crate::Mode::Rtgs
                && txn.transaction.amount < Decimal::new(MIN_RTGS_AMOUNT, 0)
        }),
    );
    flags.insert(
        "cash_deposit_bank_holiday_transaction",
        on_holiday("cash_deposit"),
    );
    flags.insert("chq_bank_holiday_transaction", on_holiday("chq"));
    flags.insert(
        "outward_cheque_bounce_bank_holiday_transaction",
        on_holiday("outward_cheque_bounce"),
    );
    flags.insert(
        "inward_cheque_bounce_bank_holiday_transaction",
        on_holiday("inward_cheque_bounce"),
    );
    flags.insert(
        "more_than_15_days_credit",
        more_than_15_credit_days(transactions),
    );
    flags
}

/// Credits on more than 15 distinct days of some month.
fn more_than_15_credit_days(transactions: &[EnrichedTransaction]) -> bool {
    let mut days: BTreeMap<(i32, u32), BTreeSet<u32>> = BTreeMap::new();
    for txn in transactions {
        if txn.transaction.transaction_type == TransactionType::Credit {
            let date = txn.transaction.date;
            days.entry((date.year(), date.month()))
                .or_default()
                .insert(date.day());
        }
    }
    days.values().any(|set| set.len() > 15)
}

fn validation_codes(
    account: &AccountInput,
    transactions: &[EnrichedTransaction],
    merge: &MergeReport,
    any_breaks: bool,
) -> Vec<&'static str> {
    let mut codes = Vec::new();
    if !merge.missing_data.is_empty() {
        codes.push("MISSING_TRANSACTIONS");
    }
    if any_breaks
        || account
            .statements
            .iter()
            .any(|statement| !statement.reconciled)
    {
        codes.push("BALANCE_MISMATCH");
    }
    if account
        .account_number
        .as_deref()
        .is_none_or(|number| number.trim().is_empty())
    {
        codes.push("NULL_ACCOUNT_NUMBER");
    }
    if let (Some(first), Some(last)) = (transactions.first(), transactions.last()) {
        let from = account.statements.iter().filter_map(|s| s.from_date).min();
        let to = account.statements.iter().filter_map(|s| s.to_date).max();
        let covered_from = from.unwrap_or(first.transaction.date.date());
        let covered_to = to.unwrap_or(last.transaction.date.date());
        if covered_from.day() != 1 || covered_to.succ_opt().is_some_and(|next| next.day() != 1) {
            codes.push("INCOMPLETE_MONTHS");
        }
        if from.is_some_and(|from| first.transaction.date.date() > from + chrono::Duration::days(7))
            || to.is_some_and(|to| last.transaction.date.date() + chrono::Duration::days(7) < to)
        {
            codes.push("INCOMPLETE_DATES_UPLOAD");
        }
    }
    codes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::txn;
    use crate::{enrich, EnrichmentContext};
    use ledgerlens_pdf::DocumentMetadata;
    use ledgerlens_statement::model::ChainBreak;

    fn date(day: u8) -> PdfDate {
        PdfDate {
            year: 2024,
            month: 5,
            day,
            hour: 10,
            minute: 0,
            second: 0,
            utc_offset_minutes: 330,
        }
    }

    fn statement(producer: &str, modified_day: u8, breaks: Vec<ChainBreak>) -> StatementInput {
        StatementInput {
            statement_id: "s1".into(),
            transactions: vec![txn("2024-04-02", "credit", 100, 100, "NEFT-N1234567-ORBIT")],
            metadata: Some(DocumentMetadata {
                producer: Some(producer.into()),
                creation_date: Some(date(1)),
                modification_date: Some(date(modified_day)),
                ..DocumentMetadata::default()
            }),
            reconciled: breaks.is_empty(),
            chain_breaks: breaks,
            ..StatementInput::default()
        }
    }

    fn assess_one(statement: StatementInput) -> FraudReport {
        let account = AccountInput {
            account_number: Some("1".into()),
            statements: vec![statement],
            ..AccountInput::default()
        };
        enrich(&account, &EnrichmentContext::default()).fraud
    }

    #[test]
    fn honest_resave_is_a_warning_not_fraud() {
        let report = assess_one(statement("Microsoft: Print To PDF", 20, Vec::new()));
        assert!(report.fraud.is_empty());
        assert_eq!(report.warnings.len(), 1);
        assert_eq!(report.warnings[0].fraud_type, "date_fraud");
        assert_eq!(report.statements["s1"], (false, None));
    }

    #[test]
    fn editor_and_late_moddate_is_fraud() {
        let report = assess_one(statement("iLovePDF", 20, Vec::new()));
        assert!(report
            .fraud
            .iter()
            .any(|entry| entry.fraud_type == "author_fraud"));
        assert!(report.flags["author_fraud"]);
    }

    #[test]
    fn chain_break_is_inconsistent_transaction_with_hash() {
        let chain_break = ChainBreak {
            row: 0,
            hash: "abc".into(),
            expected_balance: Decimal::new(100, 0),
            printed_balance: Decimal::new(900, 0),
        };
        let report = assess_one(statement("iText", 1, vec![chain_break]));
        let entry = &report.fraud[0];
        assert_eq!(entry.fraud_type, "inconsistent_transaction");
        assert_eq!(entry.transaction_hash.as_deref(), Some("abc"));
        assert!(report.validation_codes.contains(&"BALANCE_MISMATCH"));
    }

    #[test]
    fn holidays_include_second_saturday_and_republic_day() {
        assert!(is_bank_holiday(
            NaiveDate::from_ymd_opt(2024, 1, 26).unwrap_or_default()
        ));
        assert!(is_bank_holiday(
            NaiveDate::from_ymd_opt(2024, 6, 8).unwrap_or_default()
        ));
        assert!(!is_bank_holiday(
            NaiveDate::from_ymd_opt(2024, 6, 7).unwrap_or_default()
        ));
    }
}
