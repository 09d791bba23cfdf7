//! A statement accepted into a session or entity, whether uploaded or fetched from an Account
//! Aggregator: the account it is filed under and what the answers show of it.

use chrono::NaiveDate;
use ledgerlens_contract::engine::stable_id;
use ledgerlens_statement::ParsedStatement;
use ledgerlens_store::sessions::SessionRow;
use rust_decimal::prelude::ToPrimitive;
use serde_json::{json, Value};

/// A statement accepted into a session or entity.
#[derive(Debug, Clone)]
pub struct Accepted {
    pub statement_id: String,
    pub account_id: String,
    pub bank_name: String,
    pub page_count: usize,
    pub identity: Value,
    pub from_date: Option<NaiveDate>,
    pub to_date: Option<NaiveDate>,
    pub opening_balance: Option<f64>,
    pub closing_balance: Option<f64>,
    /// The upload-time fraud check (PDF metadata, balance chain) of crates/analysis.
    pub is_fraud: bool,
    pub fraud_type: Option<String>,
}

/// Statements of the same bank account in one session share an account id.
pub fn account_id_for(
    session: &SessionRow,
    bank: &str,
    account_number: Option<&str>,
    statement_id: &str,
) -> String {
    let account_key = account_number
        .map(|n| n.trim().to_ascii_uppercase())
        .unwrap_or_else(|| format!("statement:{statement_id}"));
    let id = stable_id(&format!(
        "{}|{}|{}|{}",
        session.client_id, session.id, bank, account_key
    ));
    uuid_v4_form(&id)
}

/// The docs call account_id a UUID4: keep the id derived (statements of one account must meet
/// on it) but give it version 4 and the RFC 4122 variant, as clients validating UUIDs expect.
pub fn uuid_v4_form(id: &str) -> String {
    match uuid::Uuid::parse_str(id) {
        Ok(parsed) => uuid::Builder::from_random_bytes(*parsed.as_bytes())
            .into_uuid()
            .to_string(),
        Err(_) => id.to_owned(),
    }
}

fn whole_rupees(d: Option<rust_decimal::Decimal>) -> i64 {
    d.and_then(|v| v.round().to_i64()).unwrap_or(0)
}

fn money(d: Option<rust_decimal::Decimal>) -> Option<f64> {
    d.and_then(|v| v.to_f64())
}

/// What an upload answer shows of a statement just accepted: its account, identity, period and
/// balances (the fraud verdict is the caller's to add).
pub fn accepted_view(
    parsed: &ParsedStatement,
    statement_id: &str,
    account_id: &str,
    bank: &str,
) -> Accepted {
    let id = &parsed.identity;
    let from_date = id
        .from_date
        .or_else(|| parsed.transactions.first().map(|t| t.date.date()));
    let to_date = id
        .to_date
        .or_else(|| parsed.transactions.last().map(|t| t.date.date()));
    let identity = json!({
        "account_number": id.account_number,
        "name": id.name,
        "address": id.address,
        "ifsc": id.ifsc,
        "micr": id.micr,
        "account_category": id.account_category,
        "account_type": id.account_type,
        // Integers in the documented samples (seed 000, fetch-data.md): limits are whole rupees.
        "credit_limit": whole_rupees(id.credit_limit),
        "od_limit": whole_rupees(id.od_limit),
        "account_id": account_id,
        "bank_name": bank,
    });
    Accepted {
        statement_id: statement_id.to_owned(),
        account_id: account_id.to_owned(),
        bank_name: bank.to_owned(),
        page_count: parsed.page_count,
        identity,
        from_date,
        to_date,
        opening_balance: money(parsed.reconciliation.opening_balance.or(id.opening_balance)),
        closing_balance: money(parsed.reconciliation.closing_balance.or(id.closing_balance)),
        is_fraud: false,
        fraud_type: None,
    }
}
