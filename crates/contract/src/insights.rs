//! The Insights document (fetch-data.md): one account's `data` in the documented key order,
//! the session's `aggregate_monthly_analysis`, and the same document built offline from one
//! parsed statement. The server and `ledgerlens parse` both assemble it here.

use crate::engine;
use crate::enrichment::{enrich_parsed_as, EnrichmentContext};
use crate::timestamps;
use chrono::{Datelike, NaiveDate};
use ledgerlens_analysis::output::RowValues;
use ledgerlens_analysis::Enrichment;
use ledgerlens_statement::ParsedStatement;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

/// account_details' keys as the Insights sample lists them (fetch-data.md).
pub const ACCOUNT_DETAILS_ORDER: &[&str] = &[
    "name",
    "address",
    "metadata_analysis",
    "account_category",
    "account_number",
    "account_opening_date",
    "bank",
    "credit_limit",
    "ifsc",
    "micr",
    "missing_data",
    "od_limit",
    "salary_confidence",
    "statements",
    "months",
    "uploaded_months",
    "country_code",
    "currency_code",
    "dob",
    "email",
    "pan_number",
    "phone_number",
    "account_status",
    "holder_type",
    "account_date_range",
    "transaction_date_range",
];

/// The sections that come before `statement_stats` in the documented `data`.
const SECTIONS_BEFORE_STATS: &[&str] = &[
    "fraud",
    "fraud_details",
    "transactions",
    "salary_transactions",
    "recurring_transactions",
    "lender_transactions",
    "top_credits_debits",
];

/// One entry of `statement_stats`, fields in the documented order.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct StatementStats {
    /// Null offline: a statement parsed on its own belongs to no session.
    pub session_id: Option<String>,
    pub account_id: String,
    pub statement_id: String,
    pub first_transaction_timestamp: Option<String>,
    pub last_transaction_timestamp: Option<String>,
    pub bank: Option<String>,
    /// Upper case: "PDF", "AA".
    pub source: String,
    pub upload_file_name: Option<String>,
    pub page_count: Option<i64>,
    pub transaction_count: usize,
    /// "YYYY-MM-DD 00:00:00".
    pub from_date: Option<String>,
    pub to_date: Option<String>,
    pub is_scanned_pdf: bool,
}

/// The Insights `data` sections of an account without enrichment (no statement processed).
pub fn empty_sections() -> Map<String, Value> {
    let mut map = Map::new();
    map.insert("fraud".into(), json!([]));
    map.insert(
        "fraud_details".into(),
        json!({"statement": [], "account": []}),
    );
    map.insert("transactions".into(), json!([]));
    map.insert("salary_transactions".into(), json!([]));
    map.insert(
        "recurring_transactions".into(),
        json!({"debit_transactions": [], "credit_transactions": []}),
    );
    map.insert("lender_transactions".into(), json!([]));
    map.insert("top_credits_debits".into(), json!([]));
    map.insert("expense_categories".into(), json!([]));
    map.insert("self_and_sister_transactions".into(), json!([]));
    map.insert("bounced_or_penal_transactions".into(), json!([]));
    map.insert("monthly_analysis".into(), json!({}));
    map.insert("predictors".into(), json!({}));
    map.insert("eod_balances".into(), json!({}));
    map.insert("score".into(), Value::Null);
    map.insert("salary_confidence".into(), Value::Null);
    map
}

/// credit_limit / od_limit as the seeds write them: `0`, an integer (seed 003's Insights and
/// seed 001's Identity samples; fetch-data.md's `0.0` is the later doc, and seeds win).
pub fn whole_limit(value: Option<&Value>) -> Value {
    match value {
        Some(Value::Number(n)) => n
            .as_f64()
            .filter(|x| x.is_finite() && x.abs() < 9.0e15)
            .map_or(Value::Null, |x| Value::from(x.round() as i64)),
        Some(Value::Null) | None => Value::Null,
        Some(other) => other.clone(),
    }
}

/// `object` with the `order` keys first, in that order, then any others as they were.
pub fn in_documented_order(object: &Value, order: &[&str]) -> Value {
    let Value::Object(map) = object else {
        return object.clone();
    };
    let mut out = Map::new();
    for key in order {
        if let Some(value) = map.get(*key) {
            out.insert((*key).to_owned(), value.clone());
        }
    }
    for (key, value) in map {
        if !out.contains_key(key) {
            out.insert(key.clone(), value.clone());
        }
    }
    Value::Object(out)
}

/// One account's Insights `data`, in the documented key order: `details` is the account's
/// `account_details`, `sections` the enrichment's sections (None: not enriched).
pub fn account_data(details: &Value, sections: Option<&Value>, stats: &[StatementStats]) -> Value {
    let sections = match sections {
        Some(Value::Object(map)) => map.clone(),
        _ => empty_sections(),
    };
    account_data_from(details, sections, stats)
}

/// [`account_data`] from sections the caller gives up: the transaction and predictor sections
/// are most of a long statement's document, and copying them cost as much as building them.
fn account_data_from(
    details: &Value,
    mut sections: Map<String, Value>,
    stats: &[StatementStats],
) -> Value {
    let mut data = Map::new();
    let mut details = in_documented_order(details, ACCOUNT_DETAILS_ORDER);
    for limit in ["credit_limit", "od_limit"] {
        if let Some(value) = details.get_mut(limit) {
            *value = whole_limit(Some(value));
        }
    }
    data.insert("account_details".into(), details);
    for key in SECTIONS_BEFORE_STATS {
        // shift_remove keeps the remaining sections in order (remove would swap the last in).
        data.insert(
            (*key).into(),
            sections.shift_remove(*key).unwrap_or(Value::Null),
        );
    }
    data.insert("statement_stats".into(), json!(stats));
    for (key, value) in sections {
        data.insert(key, value);
    }
    Value::Object(data)
}

/// The session part of the document around its accounts (`{account_id, data}` each).
pub struct SessionHeader<'a> {
    pub session_id: Option<&'a str>,
    pub link_id: Option<&'a str>,
    pub from_date: Option<String>,
    pub to_date: Option<String>,
}

/// The whole Insights response: the session, its accounts and their aggregate.
pub fn document(header: &SessionHeader<'_>, accounts: Vec<Value>) -> Value {
    let aggregate = aggregate_monthly_analysis(&accounts);
    // Built key by key: `json!` would deep-copy the accounts (serialising them into a new
    // value), and they are nearly the whole document.
    let mut doc = Map::new();
    doc.insert("session_id".into(), json!(header.session_id));
    doc.insert("link_id".into(), json!(header.link_id));
    doc.insert(
        "session_date_range".into(),
        json!({"from_date": header.from_date, "to_date": header.to_date}),
    );
    doc.insert("accounts".into(), Value::Array(accounts));
    doc.insert("aggregate_monthly_analysis".into(), aggregate);
    Value::Object(doc)
}

/// The session's `aggregate_monthly_analysis` (fetch-data.md): every account's monthly analysis
/// merged month by month. Amounts and counts add up across accounts; a ratio, percentage,
/// flag or date cannot be added, so it is kept only where a single account has that month.
pub fn aggregate_monthly_analysis(accounts: &[Value]) -> Value {
    let analyses: Vec<&Map<String, Value>> = accounts
        .iter()
        .filter_map(|a| {
            a.pointer("/data/monthly_analysis")
                .and_then(Value::as_object)
        })
        .collect();
    let mut out = Map::new();
    for analysis in &analyses {
        for (metric, per_month) in analysis.iter() {
            let Some(per_month) = per_month.as_object() else {
                continue;
            };
            let merged = out
                .entry(metric.clone())
                .or_insert_with(|| Value::Object(Map::new()));
            if let Some(merged) = merged.as_object_mut() {
                merge_months(merged, metric, per_month);
            }
        }
    }
    // Accounts may cover different months: keep every metric's months in calendar order.
    for per_month in out.values_mut() {
        if let Some(map) = per_month.as_object_mut() {
            let mut entries: Vec<(String, Value)> = std::mem::take(map).into_iter().collect();
            // Each key's order computed once (a sort compares every key many times).
            entries.sort_by_cached_key(|(month, _)| month_order(month));
            map.extend(entries);
        }
    }
    Value::Object(out)
}

fn is_additive(metric: &str) -> bool {
    !(metric.starts_with("perc")
        || metric.contains("ratio")
        || metric.starts_with("is_")
        || metric.contains("_perc"))
}

fn merge_months(merged: &mut Map<String, Value>, metric: &str, per_month: &Map<String, Value>) {
    for (month, value) in per_month {
        let combined = match (merged.get(month), value) {
            (None, value) => value.clone(),
            (Some(Value::Number(a)), Value::Number(b)) if is_additive(metric) => add_numbers(a, b),
            (Some(Value::Null), value) => value.clone(),
            (Some(existing), Value::Null) => existing.clone(),
            _ => Value::Null,
        };
        merged.insert(month.clone(), combined);
    }
}

/// Sums two JSON numbers, keeping an int an int (counts) and a float a float (amounts).
fn add_numbers(a: &serde_json::Number, b: &serde_json::Number) -> Value {
    match (a.as_i64(), b.as_i64()) {
        (Some(x), Some(y)) if !a.is_f64() && !b.is_f64() => json!(x.saturating_add(y)),
        _ => {
            let sum = a.as_f64().unwrap_or(0.0) + b.as_f64().unwrap_or(0.0);
            json!((sum * 100.0).round() / 100.0)
        }
    }
}

/// "Aug-2025" as (2025, 8) for sorting; other keys last.
fn month_order(key: &str) -> (i32, u32) {
    // The keys the analysis writes ("Aug-2025") are read directly; anything else goes through
    // chrono, which also takes full month names and other cases.
    if let Some((month, year)) = key.split_once('-') {
        let month = MONTH_ABBREVIATIONS.iter().position(|m| *m == month);
        let four_digits = year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit());
        if let (Some(month), true, Ok(year)) = (month, four_digits, year.parse::<i32>()) {
            return (year, month as u32 + 1);
        }
    }
    NaiveDate::parse_from_str(&format!("01-{key}"), "%d-%b-%Y")
        .map(|d| (d.year(), d.month()))
        .unwrap_or((i32::MAX, 0))
}

const MONTH_ABBREVIATIONS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The Insights document of one statement parsed offline (`ledgerlens parse`): the same
/// shape the service answers for a session holding only this statement (no session id, link
/// or report URLs), plus the engine's evidence (`reconciliation`, `statement_metadata`).
pub fn offline_document(
    parsed: &ParsedStatement,
    statement_id: &str,
    context: &EnrichmentContext,
) -> Value {
    offline_document_as(parsed, statement_id, context, RowValues::All).0
}

/// [`offline_document`] and the enrichment it was made from; the first account's
/// `transactions` and `recurring_transactions` are null when `values` says the caller writes
/// them from the enrichment (`ledgerlens_analysis::output::write_transactions_section`,
/// `write_recurring_section`).
pub fn offline_document_as(
    parsed: &ParsedStatement,
    statement_id: &str,
    context: &EnrichmentContext,
    values: RowValues,
) -> (Value, Enrichment) {
    // Of the engine's document only its account details and evidence are used: its
    // transactions are the enrichment's, with categories.
    let account_id = engine::account_id(parsed, statement_id);
    let (enrichment, analysed) =
        enrich_parsed_as(statement_id, &account_id, parsed, context, values);
    let mut details = engine::account_details_json(parsed, statement_id);
    details["salary_confidence"] = enrichment.data["salary_confidence"].clone();
    details["missing_data"] = Value::Array(enrichment.missing_data);
    let stats = offline_stats(parsed, statement_id, &account_id);
    let sections = match enrichment.data {
        Value::Object(map) => map,
        _ => empty_sections(),
    };
    let mut data = account_data_from(&details, sections, &[stats]);
    if let Some(data) = data.as_object_mut() {
        data.insert("reconciliation".into(), engine::reconciliation_json(parsed));
        data.insert(
            "statement_metadata".into(),
            engine::statement_metadata_json(parsed, statement_id),
        );
    }
    let range = &details["account_date_range"];
    let header = SessionHeader {
        session_id: None,
        link_id: None,
        from_date: range["from_date"].as_str().map(str::to_owned),
        to_date: range["to_date"].as_str().map(str::to_owned),
    };
    let mut account = Map::new();
    account.insert("account_id".into(), Value::String(account_id));
    account.insert("data".into(), data);
    (document(&header, vec![Value::Object(account)]), analysed)
}

fn offline_stats(parsed: &ParsedStatement, statement_id: &str, account_id: &str) -> StatementStats {
    let timestamp = |date: Option<NaiveDate>| date.map(timestamps::day_start);
    let when = |t: &ledgerlens_statement::Transaction| timestamps::naive_date_time(&t.date);
    StatementStats {
        session_id: None,
        account_id: account_id.to_owned(),
        statement_id: statement_id.to_owned(),
        first_transaction_timestamp: parsed.transactions.first().map(when),
        last_transaction_timestamp: parsed.transactions.last().map(when),
        bank: parsed.bank.as_ref().map(|b| b.bank.id.to_lowercase()),
        source: "PDF".to_owned(),
        upload_file_name: None,
        page_count: i64::try_from(parsed.page_count).ok(),
        transaction_count: parsed.transactions.len(),
        from_date: timestamp(parsed.identity.from_date),
        to_date: timestamp(parsed.identity.to_date),
        is_scanned_pdf: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aggregate_adds_amounts_and_keeps_ratios_of_one_account() {
        let account = |amount: f64, count: i64, ratio: f64| {
            json!({"data": {"monthly_analysis": {
                "total_amount_of_credit_transactions": {"Sep-2025": amount},
                "cnt_credit_transactions": {"Sep-2025": count, "Aug-2025": count},
                "ratio_of_x": {"Sep-2025": ratio},
            }}})
        };
        let merged = aggregate_monthly_analysis(&[account(10.5, 2, 0.5), account(1.25, 3, 0.1)]);
        assert_eq!(
            merged["total_amount_of_credit_transactions"]["Sep-2025"],
            json!(11.75)
        );
        assert_eq!(merged["cnt_credit_transactions"]["Sep-2025"], json!(5));
        assert_eq!(merged["ratio_of_x"]["Sep-2025"], Value::Null);
        let months: Vec<&String> = merged["cnt_credit_transactions"]
            .as_object()
            .map(|m| m.keys().collect())
            .unwrap_or_default();
        assert_eq!(months, ["Aug-2025", "Sep-2025"], "calendar order");
    }

    #[test]
    fn month_keys_order_as_chrono_reads_them() {
        let by_chrono = |key: &str| {
            NaiveDate::parse_from_str(&format!("01-{key}"), "%d-%b-%Y")
                .map(|d| (d.year(), d.month()))
                .unwrap_or((i32::MAX, 0))
        };
        let mut keys: Vec<String> = (2019..=2026)
            .flat_map(|year| {
                MONTH_ABBREVIATIONS
                    .iter()
                    .map(move |m| format!("{m}-{year}"))
            })
            .collect();
        keys.extend(
            [
                "AUG-2025",
                "August-2025",
                "Aug-25",
                "Aug-02025",
                "total",
                "Aug-",
                "-2025",
            ]
            .map(String::from),
        );
        for key in &keys {
            assert_eq!(month_order(key), by_chrono(key), "{key}");
        }
        assert_eq!(month_order("Aug-2025"), (2025, 8));
        assert_eq!(month_order("total"), (i32::MAX, 0));
    }

    #[test]
    fn account_data_keeps_the_documented_order_and_whole_limits() {
        let details = json!({"od_limit": 2500.0, "name": "A", "bank": "hdfc"});
        let data = account_data(&details, None, &[]);
        let keys: Vec<&String> = data
            .as_object()
            .map(|m| m.keys().collect())
            .unwrap_or_default();
        assert_eq!(keys[0], "account_details");
        assert_eq!(keys[8], "statement_stats");
        assert_eq!(data["account_details"]["od_limit"], json!(2500));
        let detail_keys: Vec<&String> = data["account_details"]
            .as_object()
            .map(|m| m.keys().collect())
            .unwrap_or_default();
        assert_eq!(detail_keys, ["name", "bank", "od_limit"]);
    }
}
