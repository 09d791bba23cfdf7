//! The statement engine's results in BankConnect's response shapes (field names and formats as
//! the Insights API documents them). Money becomes a JSON number only here.

use chrono::{Datelike, NaiveDate};
pub use ledgerlens_statement::hash::md5_hex;
use ledgerlens_statement::model::{ParsedStatement, Transaction};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde_json::{json, Value};

/// `"2023-11-05 00:00:00"` (see [`crate::timestamps`]).
pub use crate::timestamps::DATE_TIME_FORMAT;

/// A Decimal as a JSON number (2 decimals are exact in f64 for any realistic balance).
pub fn money(value: Decimal) -> Value {
    value
        .to_f64()
        .and_then(serde_json::Number::from_f64)
        .map_or(Value::Null, Value::Number)
}

/// One row as BankConnect prints it. `balance_known` false (a statement that prints no
/// balance anywhere, see [`ledgerlens_statement::model::Reconciliation::balances_known`]):
/// "balance" is null rather than a figure the statement never gave.
pub fn transaction_json(t: &Transaction, balance_known: bool) -> Value {
    json!({
        "transaction_type": t.transaction_type,
        "transaction_note": t.transaction_note,
        "chq_num": t.chq_num,
        "amount": money(t.amount),
        "balance": if balance_known { money(t.balance) } else { Value::Null },
        "date": crate::timestamps::naive_date_time(&t.date),
        "hash": t.hash,
    })
}

/// A UUID-shaped id derived from `seed`, so the same account or file gets the same id offline.
pub fn stable_id(seed: &str) -> String {
    let hex = md5_hex(seed.as_bytes());
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// Months ("YYYY-MM") from `from` to `to` inclusive.
pub fn months_between(from: NaiveDate, to: NaiveDate) -> Vec<String> {
    let mut out = Vec::new();
    let (mut y, mut m) = (from.year(), from.month());
    while (y, m) <= (to.year(), to.month()) {
        out.push(format!("{y:04}-{m:02}"));
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    out
}

/// `account_details` as the Insights response names its fields.
pub fn account_details_json(p: &ParsedStatement, statement_id: &str) -> Value {
    let id = &p.identity;
    let txn_from = p.transactions.first().map(|t| t.date.date());
    let txn_to = p.transactions.last().map(|t| t.date.date());
    let from = id.from_date.or(txn_from);
    let to = id.to_date.or(txn_to);
    let months = match (from, to) {
        (Some(f), Some(t)) => months_between(f, t),
        _ => Vec::new(),
    };
    let date = |d: Option<NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string());
    json!({
        "name": id.name,
        "address": id.address,
        "metadata_analysis": {"name_matches": []},
        "account_category": id.account_category,
        "account_number": id.account_number,
        "account_opening_date": date(id.account_opening_date),
        "bank": p.bank.as_ref().map(|b| b.bank.id.to_lowercase()),
        "credit_limit": money(id.credit_limit.unwrap_or_default()),
        "ifsc": id.ifsc,
        "micr": id.micr,
        "missing_data": [],
        "od_limit": money(id.od_limit.unwrap_or_default()),
        "statements": [statement_id],
        "months": months,
        "uploaded_months": months,
        "country_code": "IN",
        "currency_code": "INR",
        // BankConnect prints "" rather than null for these when the statement does not say.
        "dob": date(id.dob).unwrap_or_default(),
        "email": id.email.clone().unwrap_or_default(),
        "pan_number": id.pan_number.clone().unwrap_or_default(),
        "phone_number": id.phone_number.clone().unwrap_or_default(),
        "account_status": id.account_status.clone().unwrap_or_default(),
        "holder_type": id.holder_type.clone().unwrap_or_default(),
        "account_type": id.account_type,
        "account_date_range": {"from_date": date(from), "to_date": date(to)},
        "transaction_date_range": {"from_date": date(txn_from), "to_date": date(txn_to)},
    })
}

/// The statement's account id: stable for one bank and account number (the statement id
/// stands in for a number the statement does not print).
pub fn account_id(p: &ParsedStatement, statement_id: &str) -> String {
    let account_seed = format!(
        "{}|{}",
        p.bank.as_ref().map_or("", |b| b.bank.id.as_str()),
        p.identity.account_number.as_deref().unwrap_or(statement_id)
    );
    stable_id(&account_seed)
}

/// One statement as a single-account Insights document, plus the engine's evidence.
pub fn insights_json(p: &ParsedStatement, statement_id: &str) -> Value {
    let mut doc = json!({
        "accounts": [{
            "account_id": account_id(p, statement_id),
            "data": {
                "account_details": account_details_json(p, statement_id),
                "transactions": [],
                "reconciliation": reconciliation_json(p),
                "statement_metadata": statement_metadata_json(p, statement_id),
            }
        }]
    });
    // Set afterwards, in its place: inside `json!` the rows would be built and then deep-copied.
    let balances_known = p.reconciliation.balances_known;
    doc["accounts"][0]["data"]["transactions"] = p
        .transactions
        .iter()
        .map(|t| transaction_json(t, balances_known))
        .collect();
    doc
}

/// `statement_metadata`: the PDF's own metadata and what the engine found out about the file.
pub fn statement_metadata_json(p: &ParsedStatement, statement_id: &str) -> Value {
    json!({
        "statement_id": statement_id,
        "page_count": p.page_count,
        "encrypted": p.encrypted,
        "pdf": p.metadata,
        "table_fonts": p.table_fonts,
        "bank_evidence": p.bank.as_ref().map(|b| json!({"bank": b.bank.id.to_lowercase(), "score": b.score, "reasons": b.reasons})),
        "layout": p.layout,
    })
}

/// `reconciliation`: whether the balance chain holds, and where it breaks.
pub fn reconciliation_json(p: &ParsedStatement) -> Value {
    let r = &p.reconciliation;
    json!({
        "reconciled": r.reconciled,
        "checked_against": r.checked_against,
        "balances_known": r.balances_known,
        "opening_balance": r.opening_balance.map(money),
        "closing_balance": r.closing_balance.map(money),
        "breaks": r.breaks.iter().map(|b| json!({
            "row": b.row,
            "hash": b.hash,
            "expected_balance": money(b.expected_balance),
            "printed_balance": money(b.printed_balance),
        })).collect::<Vec<_>>(),
        "summary_mismatches": r.summary_mismatches,
        "missing_periods": r.missing_periods,
        "incomplete": r.incomplete,
        "sides_inferred": r.sides_inferred,
        "warnings": r.warnings,
    })
}
