//! Groups a session's processed statements into bank accounts and settles each account's status.
//! Pure functions over stored rows: the server's handlers only serialise what this returns.

use crate::enrichment::{self, AccountDocument, AccountFacts};
use chrono::{Datelike, NaiveDate};
use ledgerlens_analysis::HolderDetails;
use ledgerlens_contract::insights::{self, StatementStats};
use ledgerlens_store::sessions::SessionRow;
use ledgerlens_store::statements::{AccountResult, StatementResult, StatementRow, STATUS_FAILED};
use rust_decimal::Decimal;
use serde_json::{json, Value};
use std::collections::{BTreeSet, HashSet};
use std::str::FromStr;

/// One bank account of a session with everything the data endpoints show about it.
#[derive(Debug, Clone)]
pub struct AccountView {
    pub account_id: String,
    pub bank_name: Option<String>,
    pub account_number: Option<String>,
    pub statements: Vec<StatementRow>,
    /// The engine's `account_details`, merged over the account's statements.
    pub details: Value,
    /// Transactions of all statements, in date order, each once.
    pub transactions: Vec<Value>,
    pub error: Option<(String, String)>,
    pub created_at: i64,
    pub updated_at: i64,
    /// The account's enrichment, once attached by [`attach_enrichment`].
    pub document: Option<AccountDocument>,
    /// Months of the session's range without any transaction ("2023-11").
    missing_months: Vec<String>,
    /// Whether every processed statement's balance chain reconciled.
    reconciled: bool,
    /// Processed statements of the account (those with a stored result).
    processed_ids: Vec<String>,
}

impl AccountView {
    pub fn status(&self) -> &'static str {
        if self.error.is_some() {
            "failed"
        } else {
            "completed"
        }
    }
}

fn account_data(result: &StatementResult) -> Option<Value> {
    let doc: Value = serde_json::from_str(&result.insights).ok()?;
    doc.get("accounts")?.get(0)?.get("data").cloned()
}

/// Accounts of the session, in order of their first statement. Failed uploads have no account.
pub fn build_accounts(
    session: &SessionRow,
    statements: &[StatementRow],
    results: &[StatementResult],
) -> Vec<AccountView> {
    let mut order: Vec<String> = Vec::new();
    for s in statements {
        if let Some(id) = &s.account_id {
            if !order.contains(id) {
                order.push(id.clone());
            }
        }
    }
    order
        .into_iter()
        .map(|account_id| {
            let members: Vec<StatementRow> = statements
                .iter()
                .filter(|s| s.account_id.as_deref() == Some(&account_id))
                .cloned()
                .collect();
            build_account(session, account_id, members, results)
        })
        .collect()
}

fn build_account(
    session: &SessionRow,
    account_id: String,
    statements: Vec<StatementRow>,
    results: &[StatementResult],
) -> AccountView {
    let datas: Vec<(Value, bool)> = statements
        .iter()
        .filter_map(|s| results.iter().find(|r| r.statement_id == s.id))
        .filter_map(|r| account_data(r).map(|d| (d, r.reconciled)))
        .collect();
    let transactions = merged_transactions(datas.iter().map(|(d, _)| d));
    let months = transaction_months(&transactions);
    let mut details = datas
        .first()
        .and_then(|(d, _)| d.get("account_details").cloned())
        .unwrap_or_else(|| json!({}));
    let statement_ids: Vec<&str> = statements.iter().map(|s| s.id.as_str()).collect();
    let processed_ids: Vec<String> = statements
        .iter()
        .filter(|s| results.iter().any(|r| r.statement_id == s.id))
        .map(|s| s.id.clone())
        .collect();
    let missing = missing_months(session, &months);
    details["statements"] = json!(statement_ids);
    details["months"] = json!(months);
    details["uploaded_months"] = json!(months);
    details["missing_data"] = json!(missing.iter().map(|m| month_range(m)).collect::<Vec<_>>());
    details["salary_confidence"] = Value::Null;
    let first = statements.first();
    let account_number = first.and_then(|s| s.account_number.clone());
    let reconciled = datas.iter().all(|(_, reconciled)| *reconciled);
    let error = account_error(
        &statements,
        !datas.is_empty(),
        reconciled,
        account_number.as_deref(),
        &missing,
        None,
    );
    AccountView {
        account_id,
        bank_name: first.and_then(|s| s.bank_name.clone()),
        account_number,
        created_at: statements
            .iter()
            .map(|s| s.created_at)
            .min()
            .unwrap_or_default(),
        updated_at: statements
            .iter()
            .map(|s| s.updated_at)
            .max()
            .unwrap_or_default(),
        statements,
        details,
        transactions,
        error,
        document: None,
        missing_months: missing,
        reconciled,
        processed_ids,
    }
}

/// What the analysis needs to know about the account from its identity.
fn facts(account: &AccountView) -> AccountFacts {
    let text = |key: &str| {
        account
            .details
            .get(key)
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    // account_details carries "" for what the statement did not print.
    let printed = |key: &str| text(key).filter(|value| !value.trim().is_empty());
    AccountFacts {
        account_id: account.account_id.clone(),
        account_number: account.account_number.clone(),
        bank: account.bank_name.clone(),
        ifsc: text("ifsc"),
        holder_name: text("name"),
        account_category: text("account_category"),
        od_limit: account
            .details
            .get("od_limit")
            .and_then(Value::as_f64)
            .and_then(|v| Decimal::from_str(&v.to_string()).ok())
            .filter(|v| !v.is_zero()),
        holder: HolderDetails {
            email: printed("email"),
            phone_number: printed("phone_number"),
            pan_number: printed("pan_number"),
            dob: printed("dob"),
            account_opening_date: printed("account_opening_date"),
            account_status: printed("account_status"),
            holder_type: printed("holder_type"),
        },
    }
}

/// Enriches one account over its processed statements (none processed: `None`).
pub fn compute_document(
    session: &SessionRow,
    account: &AccountView,
    results: &[StatementResult],
) -> Option<AccountDocument> {
    let inputs: Vec<_> = account
        .processed_ids
        .iter()
        .filter_map(|id| {
            let result = results.iter().find(|r| &r.statement_id == id)?;
            enrichment::decode_input(id, result.enrichment.as_deref()?)
        })
        .collect();
    if inputs.is_empty() {
        return None;
    }
    let facts = facts(account);
    let context = enrichment::context(&session.params, facts.holder_name.as_deref());
    Some(enrichment::enrich_account(&facts, inputs, &context))
}

/// Attaches each account's enrichment: the stored one when it covers exactly the account's
/// processed statements, else computed now (`compute`) or left out. Settles statuses again
/// with the enrichment's validation codes and shows its transactions (category + metadata).
pub fn attach_enrichment(
    session: &SessionRow,
    accounts: &mut [AccountView],
    results: &[StatementResult],
    stored: &[AccountResult],
    compute: bool,
) {
    for account in accounts.iter_mut() {
        let mut ids = account.processed_ids.clone();
        ids.sort();
        let document = stored
            .iter()
            .find(|r| r.account_id == account.account_id && r.statement_ids == ids)
            .and_then(|r| serde_json::from_str::<AccountDocument>(&r.document).ok())
            .or_else(|| {
                compute
                    .then(|| compute_document(session, account, results))
                    .flatten()
            });
        if let Some(document) = document {
            set_document(account, document);
        }
    }
}

/// Puts `document` on the account: transactions, details and status follow it.
pub fn set_document(account: &mut AccountView, document: AccountDocument) {
    if let Some(transactions) = document.data.get("transactions").and_then(Value::as_array) {
        account.transactions = transactions.clone();
    }
    account.details["salary_confidence"] = document
        .data
        .get("salary_confidence")
        .cloned()
        .unwrap_or(Value::Null);
    if let Some(missing) = account
        .details
        .get_mut("missing_data")
        .and_then(Value::as_array_mut)
    {
        for period in &document.missing_data {
            if !missing.contains(period) {
                missing.push(period.clone());
            }
        }
    }
    account.error = account_error(
        &account.statements,
        !account.processed_ids.is_empty(),
        account.reconciled,
        account.account_number.as_deref(),
        &account.missing_months,
        Some(&document.validation_codes),
    );
    account.document = Some(document);
}

impl AccountView {
    /// The ids of the statements the account's enrichment covers.
    pub fn processed_ids(&self) -> &[String] {
        &self.processed_ids
    }

    /// A section of the enrichment's Insights data (`Null` without enrichment).
    pub fn section(&self, name: &str) -> Value {
        self.document
            .as_ref()
            .and_then(|d| d.data.get(name).cloned())
            .unwrap_or(Value::Null)
    }

    /// A section of the entity API's shapes (`Null` without enrichment).
    pub fn entity_section(&self, name: &str) -> Value {
        self.document
            .as_ref()
            .and_then(|d| d.entity.get(name).cloned())
            .unwrap_or(Value::Null)
    }
}

fn merged_transactions<'a>(datas: impl Iterator<Item = &'a Value>) -> Vec<Value> {
    let mut seen = HashSet::new();
    let mut all: Vec<Value> = datas
        .flat_map(|d| {
            d.get("transactions")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        })
        .filter(|t| {
            seen.insert(
                t.get("hash")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned(),
            )
        })
        .collect();
    // Stable sort: rows of one day keep their printed order.
    all.sort_by_key(date_of);
    all
}

fn date_of(t: &Value) -> String {
    t.get("date")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

fn transaction_months(transactions: &[Value]) -> Vec<String> {
    let months: BTreeSet<String> = transactions
        .iter()
        .filter_map(|t| date_of(t).get(0..7).map(str::to_owned))
        .collect();
    months.into_iter().collect()
}

/// Months the journey expects: from `from` through `to`, except that a `to` in the first week
/// of its month does not count that month.
pub fn expected_months(from: NaiveDate, to: NaiveDate) -> Vec<String> {
    let last = if to.day() <= 7 {
        to.with_day(1).and_then(|d| d.pred_opt()).unwrap_or(to)
    } else {
        to
    };
    if last < from {
        return Vec::new();
    }
    ledgerlens_contract::engine::months_between(from, last)
}

fn missing_months(session: &SessionRow, covered: &[String]) -> Vec<String> {
    let parse = |d: &Option<String>| d.as_deref().and_then(|d| d.parse::<NaiveDate>().ok());
    match (parse(&session.from_date), parse(&session.to_date)) {
        (Some(from), Some(to)) => expected_months(from, to)
            .into_iter()
            .filter(|m| !covered.contains(m))
            .collect(),
        _ => Vec::new(),
    }
}

fn month_range(month: &str) -> Value {
    let first = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").ok();
    let last = first
        .and_then(|f| f.checked_add_months(chrono::Months::new(1)))
        .and_then(|d| d.pred_opt());
    json!({"from_date": first.map(|d| d.to_string()), "to_date": last.map(|d| d.to_string())})
}

/// "2023-11" → "Nov 2023".
fn month_label(month: &str) -> String {
    NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d")
        .map_or_else(|_| month.to_owned(), |d| d.format("%b %Y").to_string())
}

/// The first applicable account-level failure of the documented table. The default acceptance
/// criteria fail an account on UNPARSABLE, NULL_ACCOUNT_NUMBER, BALANCE_MISMATCH,
/// MISSING_TRANSACTIONS (gaps between its statements, or inside a statement's file) and
/// INCOMPLETE_MONTHS (a month of the
/// session's range without transactions). The enrichment's other codes (partial months or dates
/// inside an upload: a non-default criterion) are reported in `fraud_details.account` only.
fn account_error(
    statements: &[StatementRow],
    any_processed: bool,
    reconciled: bool,
    account_number: Option<&str>,
    missing: &[String],
    validation_codes: Option<&[String]>,
) -> Option<(String, String)> {
    let failed = |code: &str, message: String| Some((code.to_owned(), message));
    let flagged =
        |code: &str| validation_codes.is_some_and(|codes| codes.iter().any(|c| c == code));
    if !any_processed && statements.iter().all(|s| s.status == STATUS_FAILED) {
        return failed(
            "UNPARSABLE",
            "Failed to process because of an unparsable statement".to_owned(),
        );
    }
    if account_number.is_none_or(|n| n.trim().is_empty()) {
        return failed(
            "NULL_ACCOUNT_NUMBER",
            "Account number is unavailable or unidentified".to_owned(),
        );
    }
    // Once the enrichment has weighed the statements, a statement left unreconciled only by a
    // period its file leaves out (a month missing from merged monthly statements, every printed
    // figure holding) is missing transactions, as a gap between two statements is.
    let balance_mismatch = match validation_codes {
        Some(_) => flagged("BALANCE_MISMATCH") || (!reconciled && !flagged("MISSING_TRANSACTIONS")),
        None => !reconciled,
    };
    if balance_mismatch {
        return failed(
            "BALANCE_MISMATCH",
            "Calculated transaction balance does not match".to_owned(),
        );
    }
    if flagged("MISSING_TRANSACTIONS") {
        return failed(
            "MISSING_TRANSACTIONS",
            "One or more transactions are missing in the specified date range".to_owned(),
        );
    }
    if !missing.is_empty() {
        let months: Vec<String> = missing.iter().map(|m| month_label(m)).collect();
        return failed(
            "INCOMPLETE_MONTHS",
            format!(
                "Insufficient data to generate report. There are no transactions for {}",
                months.join(", ")
            ),
        );
    }
    None
}

/// One account's Insights `data`, in the documented key order (ledgerlens-contract).
pub fn insights_data(a: &AccountView, session_id: &str) -> Value {
    let sections = a.document.as_ref().map(|d| &d.data);
    insights::account_data(&a.details, sections, &statement_stats(a, session_id))
}

/// `statement_stats`: one entry per processed statement of the account.
fn statement_stats(a: &AccountView, session_id: &str) -> Vec<StatementStats> {
    let timestamp_of = |iso: Option<&str>| iso.map(|d| format!("{d} 00:00:00"));
    let timestamp_at = |row: Option<&&Value>| {
        row.and_then(|t| t.get("date"))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    a.statements
        .iter()
        .filter(|s| a.processed_ids().contains(&s.id))
        .map(|s| {
            let rows: Vec<&Value> = a
                .transactions
                .iter()
                .filter(|t| {
                    // Rows of this statement: within its period (merged lists drop duplicates).
                    let date = t.get("date").and_then(Value::as_str).unwrap_or_default();
                    s.from_date.as_deref().is_none_or(|f| date >= f)
                        && s.to_date
                            .as_deref()
                            .is_none_or(|to| date.get(0..10).is_some_and(|d| d <= to))
                })
                .collect();
            StatementStats {
                session_id: Some(session_id.to_owned()),
                account_id: a.account_id.clone(),
                statement_id: s.id.clone(),
                first_transaction_timestamp: timestamp_at(rows.first()),
                last_transaction_timestamp: timestamp_at(rows.last()),
                bank: s.bank_name.clone(),
                source: s.source.to_ascii_uppercase(),
                upload_file_name: s.file_name.clone(),
                page_count: s.page_count,
                transaction_count: rows.len(),
                from_date: timestamp_of(s.from_date.as_deref()),
                to_date: timestamp_of(s.to_date.as_deref()),
                is_scanned_pdf: false,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn to_date_in_first_week_drops_its_month() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        assert_eq!(
            expected_months(d(2023, 12, 1), d(2024, 3, 5)),
            vec!["2023-12", "2024-01", "2024-02"]
        );
        assert_eq!(
            expected_months(d(2023, 12, 1), d(2024, 3, 8)),
            vec!["2023-12", "2024-01", "2024-02", "2024-03"]
        );
    }
}
