//! Groups a session's processed statements into bank accounts and settles each account's status.
//! Pure functions over stored rows: the handlers only serialise what this returns.

use crate::session_request::expected_months;
use chrono::NaiveDate;
use ledgerlens_store::sessions::SessionRow;
use ledgerlens_store::statements::{StatementResult, StatementRow, STATUS_FAILED};
use serde_json::{json, Value};
use std::collections::{BTreeSet, HashSet};

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
    let missing = missing_months(session, &months);
    details["statements"] = json!(statement_ids);
    details["months"] = json!(months);
    details["uploaded_months"] = json!(months);
    details["missing_data"] = json!(missing.iter().map(|m| month_range(m)).collect::<Vec<_>>());
    details["salary_confidence"] = Value::Null;
    let first = statements.first();
    let account_number = first.and_then(|s| s.account_number.clone());
    let error = account_error(&statements, &datas, account_number.as_deref(), &missing);
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

/// The first applicable account-level failure of the documented table.
fn account_error(
    statements: &[StatementRow],
    datas: &[(Value, bool)],
    account_number: Option<&str>,
    missing: &[String],
) -> Option<(String, String)> {
    let failed = |code: &str, message: String| Some((code.to_owned(), message));
    if datas.is_empty() && statements.iter().all(|s| s.status == STATUS_FAILED) {
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
    if datas.iter().any(|(_, reconciled)| !reconciled) {
        return failed(
            "BALANCE_MISMATCH",
            "Calculated transaction balance does not match".to_owned(),
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
