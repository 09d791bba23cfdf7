//! DEPOSIT FI documents (ReBIT FI schema v1.x) in XML and both JSON dialects, read into a plain
//! model. Research digest §6.
//!
//! The reader is liberal, as the certification rules ask: every field is optional, numbers may
//! be strings and strings numbers, dates may be timestamps (with `Z`, `+hh:mm`, `+hhmm` or no
//! offset) or epoch milliseconds, `type` may be `CREDIT`/`DEBIT` or `CR`/`DR`, and a single
//! object stands for a one-element array. What cannot be used (a row with no amount or no date)
//! is dropped with a warning rather than failing the document.

mod tree;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use ledgerlens_statement::values;
use rust_decimal::Decimal;
use serde::Serialize;
use tree::Node;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FiError {
    /// Neither XML nor JSON (after one optional base64 layer).
    #[error("the FI document is neither XML nor JSON")]
    UnknownFormat,
    #[error("the FI document is not valid XML: {0}")]
    Xml(String),
    #[error("the FI document is not valid JSON: {0}")]
    Json(String),
    #[error("the FI document has no Account element")]
    NoAccount,
    /// Term and recurring deposits have a different schema and no transaction ledger to analyse.
    #[error("FI type {0:?} is not DEPOSIT")]
    NotDeposit(String),
    #[error("the FI document holds {0} accounts; pass one account per document")]
    SeveralAccounts(usize),
}

/// Which rendering the document came in (informational).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Dialect {
    Xml,
    /// Element names as in the XSD (`Profile`, `Summary`, `Transactions`).
    JsonCapitalised,
    /// Lower-camel element names (`profile`, `summary`, `transactions`).
    JsonCamel,
}

/// One account's DEPOSIT data.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DepositAccount {
    pub dialect: Dialect,
    pub masked_acc_number: Option<String>,
    pub linked_acc_ref: Option<String>,
    pub version: Option<String>,
    pub profile: Option<Profile>,
    pub summary: Option<Summary>,
    /// `None` when the element is missing; `Some` with no rows when the FIP sent it empty.
    pub transactions: Option<Transactions>,
    /// What the reader tolerated or dropped, for the reconciliation report.
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Profile {
    /// `SINGLE` | `JOINT`, as sent.
    pub holders_type: Option<String>,
    pub holders: Vec<Holder>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Holder {
    pub name: Option<String>,
    pub dob: Option<NaiveDate>,
    /// As sent (may carry a `91` prefix).
    pub mobile: Option<String>,
    pub nominee: Option<String>,
    pub landline: Option<String>,
    pub address: Option<String>,
    pub email: Option<String>,
    /// As sent: FIPs send invalid PANs in test data, so no pattern is enforced.
    pub pan: Option<String>,
    pub ckyc_compliance: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Summary {
    pub current_balance: Option<Decimal>,
    pub currency: Option<String>,
    pub exchange_rate: Option<String>,
    /// IST wall-clock time.
    pub balance_date_time: Option<NaiveDateTime>,
    /// `SAVINGS` | `CURRENT`, as sent.
    pub account_type: Option<String>,
    pub branch: Option<String>,
    /// `OD` | `CC`.
    pub facility: Option<String>,
    pub ifsc: Option<String>,
    pub micr: Option<String>,
    pub opening_date: Option<NaiveDate>,
    pub current_od_limit: Option<Decimal>,
    pub drawing_limit: Option<Decimal>,
    /// `ACTIVE` | `INACTIVE`.
    pub status: Option<String>,
    pub pending: Vec<Pending>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pending {
    pub transaction_type: Option<TxnType>,
    pub amount: Option<Decimal>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Transactions {
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub list: Vec<FiTransaction>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum TxnType {
    Credit,
    Debit,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FiTransaction {
    pub txn_id: Option<String>,
    /// `None` when the FIP sent no usable type and the amount carried no sign: the balance chain
    /// settles it in [`crate::convert`].
    pub txn_type: Option<TxnType>,
    /// `CASH`, `ATM`, `CARD`, `UPI`, `FT`, `OTHERS`, as sent.
    pub mode: Option<String>,
    /// Positive.
    pub amount: Decimal,
    /// Balance after the transaction, signed.
    pub current_balance: Option<Decimal>,
    /// IST wall-clock time.
    pub timestamp: NaiveDateTime,
    pub value_date: Option<NaiveDate>,
    pub narration: String,
    pub reference: String,
}

impl DepositAccount {
    /// True when the FIP sent no transaction rows (BankConnect's `NO_TRANSACTIONS_FROM_AA`).
    pub fn has_no_transactions(&self) -> bool {
        self.transactions.as_ref().is_none_or(|t| t.list.is_empty())
    }
}

/// Parses one decrypted FI document (bytes as decrypted; one extra base64 layer is undone).
pub fn parse(bytes: &[u8]) -> Result<DepositAccount, FiError> {
    let bytes = crate::crypto::unwrap_document(bytes.to_vec());
    let text = String::from_utf8_lossy(&bytes);
    let text = text.trim_start_matches('\u{feff}').trim();
    match text.as_bytes().first() {
        Some(b'<') => {
            let root = tree::from_xml(text)?;
            read_account(locate_account(&root)?, Dialect::Xml)
        }
        Some(b'{') | Some(b'[') => {
            let value: serde_json::Value =
                serde_json::from_str(text).map_err(|e| FiError::Json(e.to_string()))?;
            parse_json(&value)
        }
        _ => Err(FiError::UnknownFormat),
    }
}

fn parse_json(value: &serde_json::Value) -> Result<DepositAccount, FiError> {
    use serde_json::Value;
    // A bare one-account array is tolerated; several accounts are the caller's to split.
    let value = match value {
        Value::Array(items) if items.len() == 1 => &items[0],
        Value::Array(items) => return Err(FiError::SeveralAccounts(items.len())),
        other => other,
    };
    let root = tree::from_json(value, "root");
    let dialect = if json_has_capitalised_sections(value) {
        Dialect::JsonCapitalised
    } else {
        Dialect::JsonCamel
    };
    read_account(locate_account(&root)?, dialect)
}

/// The account element: the root itself, or the one `Account` found under wrappers some
/// pipelines add (`{"Account": …}`, `<FI><Account …/></FI>`, a TSP's envelope).
fn locate_account(root: &Node) -> Result<&Node, FiError> {
    let is_account = root.name == "account"
        || ["profile", "summary", "transactions"]
            .iter()
            .any(|s| root.child(s).is_some())
        || root.attr("maskedaccnumber").is_some();
    if is_account {
        return Ok(root);
    }
    let mut found = Vec::new();
    collect_accounts(root, &mut found);
    match found.as_slice() {
        [] => Err(FiError::NoAccount),
        [one] => Ok(one),
        several => Err(FiError::SeveralAccounts(several.len())),
    }
}

fn collect_accounts<'a>(node: &'a Node, found: &mut Vec<&'a Node>) {
    for child in &node.children {
        if child.name == "account" {
            found.push(child);
        } else {
            collect_accounts(child, found);
        }
    }
}

/// Dialect A keeps the XSD's capitalised element names somewhere in the document.
fn json_has_capitalised_sections(value: &serde_json::Value) -> bool {
    match value {
        serde_json::Value::Object(map) => map.iter().any(|(k, v)| {
            matches!(
                k.trim_start_matches(['_', '@']),
                "Profile" | "Summary" | "Transactions"
            ) || json_has_capitalised_sections(v)
        }),
        serde_json::Value::Array(items) => items.iter().any(json_has_capitalised_sections),
        _ => false,
    }
}

fn read_account(account: &Node, dialect: Dialect) -> Result<DepositAccount, FiError> {
    if let Some(kind) = account.attr("type") {
        let normalised = kind.to_ascii_lowercase().replace(['-', '_'], "");
        if normalised != "deposit" {
            return Err(FiError::NotDeposit(kind.to_owned()));
        }
    }
    let mut warnings = Vec::new();
    Ok(DepositAccount {
        dialect,
        masked_acc_number: text(account, "maskedaccnumber"),
        linked_acc_ref: text(account, "linkedaccref"),
        version: text(account, "version"),
        profile: account.child("profile").map(read_profile),
        summary: account
            .child("summary")
            .map(|s| read_summary(s, &mut warnings)),
        transactions: account
            .child("transactions")
            .map(|t| read_transactions(t, &mut warnings)),
        warnings,
    })
}

fn text(node: &Node, name: &str) -> Option<String> {
    node.attr(name).map(str::to_owned)
}

fn read_profile(profile: &Node) -> Profile {
    let holders_node = profile.child("holders");
    Profile {
        holders_type: holders_node.and_then(|h| text(h, "type")),
        holders: holders_node
            .into_iter()
            .flat_map(|h| h.children_named("holder"))
            .map(|h| Holder {
                name: text(h, "name"),
                dob: h.attr("dob").and_then(parse_date),
                mobile: text(h, "mobile"),
                nominee: text(h, "nominee"),
                landline: text(h, "landline"),
                address: text(h, "address"),
                email: text(h, "email"),
                pan: text(h, "pan"),
                ckyc_compliance: h.attr("ckyccompliance").and_then(parse_bool),
            })
            .collect(),
    }
}

fn read_summary(summary: &Node, warnings: &mut Vec<String>) -> Summary {
    let balance = |name: &str, warnings: &mut Vec<String>| {
        let raw = summary.attr(name)?;
        let parsed = parse_balance(raw);
        if parsed.is_none() {
            warnings.push(format!("Summary {name} {raw:?} is not a number; ignored"));
        }
        parsed
    };
    Summary {
        current_balance: balance("currentbalance", warnings),
        currency: text(summary, "currency"),
        exchange_rate: text(summary, "exchgerate"),
        balance_date_time: summary.attr("balancedatetime").and_then(parse_timestamp),
        account_type: text(summary, "type"),
        branch: text(summary, "branch"),
        facility: text(summary, "facility"),
        ifsc: text(summary, "ifsccode").or_else(|| text(summary, "ifsc")),
        micr: text(summary, "micrcode").or_else(|| text(summary, "micr")),
        opening_date: summary.attr("openingdate").and_then(parse_date),
        current_od_limit: balance("currentodlimit", warnings),
        drawing_limit: balance("drawinglimit", warnings),
        status: text(summary, "status"),
        pending: summary
            .children_named("pending")
            .map(|p| Pending {
                transaction_type: p.attr("transactiontype").and_then(parse_type),
                amount: p.attr("amount").and_then(parse_balance).map(|a| a.abs()),
            })
            .collect(),
    }
}

fn read_transactions(node: &Node, warnings: &mut Vec<String>) -> Transactions {
    let list = node
        .children_named("transaction")
        .enumerate()
        .filter_map(|(index, row)| read_transaction(row, index, warnings))
        .collect();
    Transactions {
        start_date: node.attr("startdate").and_then(parse_date),
        end_date: node.attr("enddate").and_then(parse_date),
        list,
    }
}

fn read_transaction(row: &Node, index: usize, warnings: &mut Vec<String>) -> Option<FiTransaction> {
    let label = match row.attr("txnid") {
        Some(id) => format!("transaction {} (txnId {id})", index + 1),
        None => format!("transaction {}", index + 1),
    };
    let Some(amount) = row.attr("amount").and_then(values::parse_amount) else {
        warnings.push(format!("{label} has no readable amount; dropped"));
        return None;
    };
    let timestamp = row
        .attr("transactiontimestamp")
        .and_then(parse_timestamp)
        // Older converters drop the timestamp but keep the value date.
        .or_else(|| {
            row.attr("valuedate")
                .and_then(parse_date)
                .map(|d| d.and_time(NaiveTime::MIN))
        });
    let Some(timestamp) = timestamp else {
        warnings.push(format!("{label} has no readable date; dropped"));
        return None;
    };
    // The schema's amount is positive with the side in `type`; some FIPs sign it instead, or
    // mark it Dr/Cr like a printed statement.
    let from_sign = match amount.side {
        Some(values::Side::Debit) => Some(TxnType::Debit),
        Some(values::Side::Credit) => Some(TxnType::Credit),
        None if amount.value.is_sign_negative() => Some(TxnType::Debit),
        None => None,
    };
    let declared = row.attr("type").and_then(parse_type);
    if let (Some(d), Some(s)) = (declared, from_sign) {
        if d != s {
            warnings.push(format!(
                "{label}: type {d:?} disagrees with the amount's sign; the type is kept"
            ));
        }
    }
    let current_balance = row.attr("currentbalance").and_then(parse_balance);
    if current_balance.is_none() && row.attr("currentbalance").is_some() {
        warnings.push(format!("{label}: currentBalance is not a number; ignored"));
    }
    Some(FiTransaction {
        txn_id: text(row, "txnid"),
        txn_type: declared.or(from_sign),
        mode: text(row, "mode"),
        amount: amount.value.abs(),
        current_balance,
        timestamp,
        value_date: row.attr("valuedate").and_then(parse_date),
        narration: row.attr("narration").unwrap_or_default().to_owned(),
        reference: row.attr("reference").unwrap_or_default().to_owned(),
    })
}

fn parse_type(s: &str) -> Option<TxnType> {
    match s.trim().to_ascii_uppercase().as_str() {
        "CREDIT" | "CR" | "C" => Some(TxnType::Credit),
        "DEBIT" | "DR" | "D" => Some(TxnType::Debit),
        _ => None,
    }
}

fn parse_bool(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "true" | "y" | "yes" | "1" => Some(true),
        "false" | "n" | "no" | "0" => Some(false),
        _ => None,
    }
}

/// A signed balance: `-`, Dr markers and Indian digit grouping are understood.
fn parse_balance(s: &str) -> Option<Decimal> {
    values::parse_amount(s).map(|a| a.signed_balance())
}

/// India Standard Time (+05:30), in which FIPs and the AA date transactions and consents.
pub fn ist() -> FixedOffset {
    FixedOffset::east_opt(5 * 3600 + 30 * 60).expect("+05:30 is a valid offset")
}

/// The last second of a calendar day in India.
pub fn ist_end_of_day(day: NaiveDate) -> chrono::DateTime<chrono::Utc> {
    ist_midnight(day) + chrono::Duration::days(1) - chrono::Duration::seconds(1)
}

/// The instant a calendar day begins in India.
pub fn ist_midnight(day: NaiveDate) -> chrono::DateTime<chrono::Utc> {
    let start = day.and_time(chrono::NaiveTime::MIN);
    ist()
        .from_local_datetime(&start)
        .single()
        .map(|t| t.with_timezone(&chrono::Utc))
        .unwrap_or_else(|| start.and_utc())
}

/// A timestamp as IST wall-clock time. Offsets are honoured; offset-less times are taken as
/// IST (what Indian FIPs mean); bare dates are midnight; 13-digit numbers are epoch ms.
pub(crate) fn parse_timestamp(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim();
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        let n: i64 = s.parse().ok()?;
        let utc = match s.len() {
            13 => DateTime::from_timestamp_millis(n)?,
            10 => DateTime::from_timestamp(n, 0)?,
            _ => return None,
        };
        return Some(utc.with_timezone(&ist()).naive_local());
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&ist()).naive_local());
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M:%S%.f%:z",
        "%Y-%m-%d %H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S%.f%:z",
    ] {
        if let Ok(t) = DateTime::parse_from_str(s, format) {
            return Some(t.with_timezone(&ist()).naive_local());
        }
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, format) {
            return Some(t);
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Some(d.and_time(NaiveTime::MIN));
    }
    // Printed forms (15/01/2025, 15-Jan-2025) from converters that reformat dates.
    values::parse_date(s)
}

/// A date. Date-typed fields sent as timestamps keep their written date when the time is
/// midnight (`2019-07-08T00:00:00.000+0000` is the 8th, whatever the offset); other times are
/// read in IST.
pub(crate) fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if let Some(date) = s
        .get(..10)
        .and_then(|p| NaiveDate::parse_from_str(p, "%Y-%m-%d").ok())
    {
        let rest = &s[10..];
        let midnight = rest.is_empty()
            || rest
                .get(1..9)
                .is_some_and(|t| t == "00:00:00" || t.starts_with("00:00"));
        if midnight {
            return Some(date);
        }
    }
    parse_timestamp(s).map(|t| t.date())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    #[test]
    fn timestamps_in_every_documented_form() {
        let ist_930 = at("2025-01-15 09:30:00");
        for s in [
            "2025-01-15T09:30:00+05:30",
            "2025-01-15T09:30:00.000+0530",
            "2025-01-15T04:00:00Z",
            "2025-01-15T04:00:00.000+0000",
            "2025-01-15T04:00:00.000+00:00",
            "2025-01-15T09:30:00",
            "1736913600000",
        ] {
            assert_eq!(parse_timestamp(s), Some(ist_930), "{s}");
        }
        assert_eq!(
            parse_timestamp("2025-01-15"),
            Some(at("2025-01-15 00:00:00"))
        );
        assert_eq!(parse_timestamp("yesterday"), None);
    }

    #[test]
    fn dates_keep_the_written_day_at_midnight() {
        let d = NaiveDate::from_ymd_opt(2019, 7, 8).unwrap();
        for s in [
            "2019-07-08",
            "2019-07-08T00:00:00.000+0000",
            "2019-07-08T00:00:00+05:30",
            "08/07/2019",
        ] {
            assert_eq!(parse_date(s), Some(d), "{s}");
        }
        // 20:00 UTC is 01:30 the next day in IST.
        assert_eq!(parse_date("2019-07-07T20:00:00Z"), Some(d),);
    }

    #[test]
    fn types_and_numbers() {
        assert_eq!(parse_type("dr"), Some(TxnType::Debit));
        assert_eq!(parse_type("CREDIT"), Some(TxnType::Credit));
        assert_eq!(parse_type("REVERSAL"), None);
        assert_eq!(
            parse_balance("1,23,456.70"),
            Some(Decimal::new(12345670, 2))
        );
        assert_eq!(parse_balance("-5.5"), Some(Decimal::new(-55, 1)));
        assert_eq!(parse_balance(""), None);
    }
}
