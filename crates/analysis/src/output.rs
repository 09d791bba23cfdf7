//! Serialisation to the Insights `data` sections' exact shapes. Decimal becomes
//! f64 only here.

use crate::eod::EodBalances;
use crate::fraud::FraudReport;
use crate::groups;
use crate::json;
use crate::monthly::{MetricValue, MonthlyAnalysis};
use crate::predictors::Predictors;
use crate::recurring::{RecurringGroup, RecurringReport};
use crate::salary::{SalaryDecision, SalaryReport};
use crate::score::ScoreReport;
use crate::{EnrichedTransaction, Enrichment, Mode};
use chrono::{Datelike, NaiveDateTime, Timelike};
use ledgerlens_statement::model::TransactionType;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde_json::{json, Map, Value};

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

pub fn month_abbrev(month: u32) -> &'static str {
    MONTHS
        .get(month.saturating_sub(1) as usize)
        .copied()
        .unwrap_or("")
}

/// "Aug-2025" (monthly analysis keys).
pub fn month_key(year: i32, month: u32) -> String {
    format!("{}-{year}", month_abbrev(month))
}

/// "Aug-25" (EOD balances, top credits/debits, predictors).
pub fn short_month_key(year: i32, month: u32) -> String {
    format!("{}-{:02}", month_abbrev(month), year.rem_euclid(100))
}

pub fn mode_name(mode: Mode) -> &'static str {
    match mode {
        Mode::Upi => "UPI",
        Mode::Neft => "NEFT",
        Mode::Imps => "IMPS",
        Mode::Rtgs => "RTGS",
        Mode::Ach => "ACH",
        Mode::Atm => "ATM",
        Mode::Card => "CARD",
        Mode::Cheque => "CHEQUE",
        Mode::Cash => "CASH",
        Mode::Interest => "INTEREST",
        Mode::Charge => "CHARGE",
        Mode::Bbps => "BBPS",
        Mode::Transfer => "TRANSFER",
        Mode::Other => "OTHER",
    }
}

/// Int or float, per field, as the published Insights sample types it (data/number_kinds.tsv).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberKind {
    Int,
    Float,
}

/// The documented number kind of `key` in `section` ("predictors" or "monthly").
pub fn number_kind(section: &str, key: &str) -> Option<NumberKind> {
    use std::collections::HashMap;
    use std::sync::OnceLock;
    static KINDS: OnceLock<HashMap<(&'static str, &'static str), NumberKind>> = OnceLock::new();
    let kinds = KINDS.get_or_init(|| {
        crate::tables::rows("number_kinds", crate::tables::NUMBER_KINDS_TSV, 3)
            .unwrap_or_default()
            .into_iter()
            .map(|(_, fields)| {
                let kind = if fields[2] == "int" {
                    NumberKind::Int
                } else {
                    NumberKind::Float
                };
                ((fields[0], fields[1]), kind)
            })
            .collect()
    });
    kinds.get(&(section, key)).copied()
}

/// Gives a number (or flag) the documented kind: a client that decodes `5.0` as a float fails
/// on `5`, and one expecting an int fails on `5.0`. Where the sample documents an int the value
/// is rounded, as BankConnect's integer fields are whole numbers.
pub fn conform_number(section: &str, key: &str, value: Value) -> Value {
    conform_to(number_kind(section, key), value)
}

/// [`conform_number`] with the kind already looked up (once per metric, not per month).
pub fn conform_to(kind: Option<NumberKind>, value: Value) -> Value {
    let Some(kind) = kind else {
        return value;
    };
    let number = match &value {
        Value::Number(n) => n.as_f64(),
        // Flags are documented as 0.0/1.0 (is_complete_month, is_salary_imps, ...).
        Value::Bool(flag) => Some(if *flag { 1.0 } else { 0.0 }),
        _ => None,
    };
    match (kind, number) {
        (NumberKind::Float, Some(x)) => {
            serde_json::Number::from_f64(x).map_or(value, Value::Number)
        }
        (NumberKind::Int, Some(x)) if x.is_finite() && x.abs() < 9.0e15 => {
            Value::from(x.round() as i64)
        }
        _ => value,
    }
}

pub fn money(value: Decimal) -> Value {
    value.round_dp(2).to_f64().map_or(Value::Null, Value::from)
}

/// `date` as "%Y-%m-%d %H:%M:%S". Every row's dates are written this way, several times over
/// in a long statement's sections, and chrono parses the format string anew for each: the
/// digits are written directly for the years it pads to four digits, with no leap second.
fn timestamp(date: NaiveDateTime) -> String {
    let year = date.year();
    if !(0..=9999).contains(&year) || date.nanosecond() >= 1_000_000_000 {
        return date.format("%Y-%m-%d %H:%M:%S").to_string();
    }
    let year = year.unsigned_abs();
    let mut out = String::with_capacity(19);
    for (value, separator) in [
        (year / 100, None),
        (year % 100, Some('-')),
        (date.month(), Some('-')),
        (date.day(), Some(' ')),
        (date.hour(), Some(':')),
        (date.minute(), Some(':')),
        (date.second(), None),
    ] {
        push_two_digits(&mut out, value);
        out.extend(separator);
    }
    out
}

/// `value` (below 100) as two digits.
fn push_two_digits(out: &mut String, value: u32) {
    for digit in [value / 10, value % 10] {
        out.push(char::from_digit(digit, 10).unwrap_or('0'));
    }
}

fn side(side: TransactionType) -> &'static str {
    match side {
        TransactionType::Credit => "credit",
        TransactionType::Debit => "debit",
    }
}

/// The row's balance, null where its statement prints no balance anywhere.
fn row_balance(txn: &EnrichedTransaction) -> Value {
    if txn.balance_known {
        money(txn.transaction.balance)
    } else {
        Value::Null
    }
}

/// The `transactions[]` shape: with category and nested metadata. Each object is made at its
/// final size (`json!` grows it from empty, rehashing its keys as it goes): a long statement
/// writes one per row.
pub fn transaction_json(txn: &EnrichedTransaction, date: String) -> Value {
    let mut metadata = Map::with_capacity(3);
    metadata.insert("unclean_merchant".into(), json!(txn.unclean_merchant));
    metadata.insert("transaction_channel".into(), json!(txn.transaction_channel));
    metadata.insert("description".into(), json!(txn.description));
    let mut object = Map::with_capacity(9);
    object.insert(
        "transaction_type".into(),
        side(txn.transaction.transaction_type).into(),
    );
    object.insert(
        "transaction_note".into(),
        json!(txn.transaction.transaction_note),
    );
    object.insert("chq_num".into(), json!(txn.transaction.chq_num));
    object.insert("amount".into(), money(txn.transaction.amount));
    object.insert("balance".into(), row_balance(txn));
    object.insert("date".into(), Value::String(date));
    object.insert("hash".into(), json!(txn.transaction.hash));
    object.insert("category".into(), json!(txn.category));
    object.insert("metadata".into(), Value::Object(metadata));
    Value::Object(object)
}

/// The flat shape of lender, self/sister and bounce lists.
pub fn flat_transaction_json(txn: &EnrichedTransaction, with_chq: bool) -> Value {
    let mut object = Map::with_capacity(11);
    object.insert(
        "transaction_type".into(),
        side(txn.transaction.transaction_type).into(),
    );
    object.insert(
        "transaction_note".into(),
        txn.transaction.transaction_note.clone().into(),
    );
    if with_chq {
        object.insert("chq_num".into(), txn.transaction.chq_num.clone().into());
    }
    object.insert("amount".into(), money(txn.transaction.amount));
    object.insert("balance".into(), row_balance(txn));
    object.insert("date".into(), timestamp(txn.transaction.date).into());
    object.insert(
        "transaction_channel".into(),
        txn.transaction_channel.clone().into(),
    );
    object.insert("hash".into(), txn.transaction.hash.clone().into());
    object.insert(
        "merchant_category".into(),
        txn.merchant_category.clone().into(),
    );
    object.insert("description".into(), txn.description.clone().into());
    object.insert("category".into(), txn.category.clone().into());
    Value::Object(object)
}

fn salary_json(txn: &EnrichedTransaction, decision: Option<&SalaryDecision>) -> Value {
    json!({
        "transaction_type": side(txn.transaction.transaction_type),
        "transaction_note": txn.transaction.transaction_note,
        "chq_num": txn.transaction.chq_num,
        "amount": money(txn.transaction.amount),
        "balance": row_balance(txn),
        "date": timestamp(txn.transaction.date),
        "hash": txn.transaction.hash,
        "category": "Salary",
        "employer_name": txn.employer_name,
        "salary_month": txn.salary_month,
        // Not in the documented row, added so every salary decision names its rule.
        "salary_rule": decision.map(|d| d.rule),
        "salary_reason": decision.map(|d| d.reason.as_str()),
        "salary_confidence": decision.map(|d| d.confidence),
        "metadata": {
            "unclean_merchant": txn.unclean_merchant,
            "transaction_channel": "salary",
            "description": txn.counterparty.as_ref().map(|name| format!("Transfer from {name}")).unwrap_or_default(),
        }
    })
}

/// An object from already built values, moved in. `json!` would pass each value through
/// `to_value`, a deep copy of every row of a large section.
fn object<const N: usize>(entries: [(&str, Value); N]) -> Value {
    Value::Object(
        entries
            .into_iter()
            .map(|(key, value)| (key.to_string(), value))
            .collect(),
    )
}

fn recurring_json(
    account_id: &str,
    group: &RecurringGroup,
    transactions: &[EnrichedTransaction],
) -> Value {
    let rows: Vec<Value> = group
        .transactions
        .iter()
        .filter_map(|&index| transactions.get(index))
        .map(|txn| flat_transaction_json(txn, false))
        .collect();
    object([
        ("account_id", account_id.into()),
        (
            "transaction_channel",
            group.transaction_channel.clone().into(),
        ),
        (
            "clean_transaction_note",
            group.clean_transaction_note.clone().into(),
        ),
        ("median", money(group.median)),
        ("start_date", timestamp(group.start_date).into()),
        ("end_date", timestamp(group.end_date).into()),
        ("transactions", Value::Array(rows)),
    ])
}

/// [`transaction_json`] written straight into `out` at `depth`, byte for byte as the pretty
/// writer writes that value.
fn write_transaction(
    out: &mut Vec<u8>,
    depth: usize,
    txn: &EnrichedTransaction,
    date: &str,
) -> serde_json::Result<()> {
    let mut object = json::Object::begin(out, depth);
    json::write_str(
        object.field("transaction_type"),
        side(txn.transaction.transaction_type),
    );
    json::write_str(
        object.field("transaction_note"),
        &txn.transaction.transaction_note,
    );
    json::write_str(object.field("chq_num"), &txn.transaction.chq_num);
    json::write_money(object.field("amount"), txn.transaction.amount)?;
    write_row_balance(object.field("balance"), txn)?;
    json::write_str(object.field("date"), date);
    json::write_str(object.field("hash"), &txn.transaction.hash);
    json::write_str(object.field("category"), &txn.category);
    let mut metadata = json::Object::begin(object.field("metadata"), depth + 1);
    json::write_str(metadata.field("unclean_merchant"), &txn.unclean_merchant);
    json::write_str(
        metadata.field("transaction_channel"),
        &txn.transaction_channel,
    );
    json::write_str(metadata.field("description"), &txn.description);
    metadata.end();
    object.end();
    Ok(())
}

/// [`row_balance`] written.
fn write_row_balance(out: &mut Vec<u8>, txn: &EnrichedTransaction) -> serde_json::Result<()> {
    if txn.balance_known {
        json::write_money(out, txn.transaction.balance)
    } else {
        out.extend_from_slice(b"null");
        Ok(())
    }
}

/// [`flat_transaction_json`] written straight into `out` at `depth`.
fn write_flat_transaction(
    out: &mut Vec<u8>,
    depth: usize,
    txn: &EnrichedTransaction,
    with_chq: bool,
) -> serde_json::Result<()> {
    let mut object = json::Object::begin(out, depth);
    json::write_str(
        object.field("transaction_type"),
        side(txn.transaction.transaction_type),
    );
    json::write_str(
        object.field("transaction_note"),
        &txn.transaction.transaction_note,
    );
    if with_chq {
        json::write_str(object.field("chq_num"), &txn.transaction.chq_num);
    }
    json::write_money(object.field("amount"), txn.transaction.amount)?;
    write_row_balance(object.field("balance"), txn)?;
    json::write_str(object.field("date"), &timestamp(txn.transaction.date));
    json::write_str(
        object.field("transaction_channel"),
        &txn.transaction_channel,
    );
    json::write_str(object.field("hash"), &txn.transaction.hash);
    json::write_str(object.field("merchant_category"), &txn.merchant_category);
    json::write_str(object.field("description"), &txn.description);
    json::write_str(object.field("category"), &txn.category);
    object.end();
    Ok(())
}

/// [`recurring_json`] written straight into `out` at `depth`.
fn write_recurring_group(
    out: &mut Vec<u8>,
    depth: usize,
    account_id: &str,
    group: &RecurringGroup,
    transactions: &[EnrichedTransaction],
) -> serde_json::Result<()> {
    let mut object = json::Object::begin(out, depth);
    json::write_str(object.field("account_id"), account_id);
    json::write_str(
        object.field("transaction_channel"),
        &group.transaction_channel,
    );
    json::write_str(
        object.field("clean_transaction_note"),
        &group.clean_transaction_note,
    );
    json::write_money(object.field("median"), group.median)?;
    json::write_str(object.field("start_date"), &timestamp(group.start_date));
    json::write_str(object.field("end_date"), &timestamp(group.end_date));
    let mut rows = json::Array::begin(object.field("transactions"), depth + 1);
    for txn in group
        .transactions
        .iter()
        .filter_map(|&index| transactions.get(index))
    {
        write_flat_transaction(rows.item(), depth + 2, txn, false)?;
    }
    rows.end();
    object.end();
    Ok(())
}

/// The `transactions` section, as [`RowSections`] builds it, written straight into `out` at
/// `depth` (where the document holds it: 4 in the Insights response).
pub fn write_transactions_section(
    out: &mut Vec<u8>,
    depth: usize,
    transactions: &[EnrichedTransaction],
) -> serde_json::Result<()> {
    // About 520 bytes a row at depth 4: grown once, not doubled from empty.
    out.reserve(transactions.len() * 520);
    let mut rows = json::Array::begin(out, depth);
    for txn in transactions {
        write_transaction(
            rows.item(),
            depth + 1,
            txn,
            &timestamp(txn.transaction.date),
        )?;
    }
    rows.end();
    Ok(())
}

/// The `recurring_transactions` section, as [`RowSections`] builds it, written straight into
/// `out` at `depth`.
pub fn write_recurring_section(
    out: &mut Vec<u8>,
    depth: usize,
    account_id: &str,
    recurring: &RecurringReport,
    transactions: &[EnrichedTransaction],
) -> serde_json::Result<()> {
    let mut object = json::Object::begin(out, depth);
    for (key, groups) in [
        ("debit_transactions", &recurring.debit_transactions),
        ("credit_transactions", &recurring.credit_transactions),
    ] {
        let mut list = json::Array::begin(object.field(key), depth + 1);
        for group in groups {
            write_recurring_group(list.item(), depth + 2, account_id, group, transactions)?;
        }
        list.end();
    }
    object.end();
    Ok(())
}

/// Whether [`RowSections::build`] builds every section or leaves the two longest for the caller
/// to write with [`write_transactions_section`] and [`write_recurring_section`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowValues {
    All,
    /// `transactions` and `recurring_transactions` are null in the document.
    WrittenByCaller,
}

fn metric_json(value: &MetricValue) -> Value {
    match value {
        MetricValue::Amount(amount) => money(*amount),
        MetricValue::Count(count) => Value::from(*count),
        MetricValue::Text(text) => Value::from(text.clone()),
        MetricValue::Bool(flag) => Value::from(*flag),
        MetricValue::Object(map) => Value::Object(
            map.iter()
                .map(|(key, amount)| (key.clone(), money(*amount)))
                .collect(),
        ),
        MetricValue::Null => Value::Null,
    }
}

/// What the row sections (`fraud` … `bounced_or_penal_transactions`) are built from: the rows
/// after salary detection, the recurring groups and the fraud findings. They do not need the
/// monthly analysis or the predictors, so a long statement builds them on a second core while
/// those are computed ([`crate::enrich_with_insights`]).
pub(crate) struct RowSections<'a> {
    pub account_id: &'a str,
    pub transactions: &'a [EnrichedTransaction],
    pub salary: &'a SalaryReport,
    pub recurring: &'a RecurringReport,
    pub fraud: &'a FraudReport,
}

impl RowSections<'_> {
    fn pick(&self, indices: &[usize], with_chq: bool) -> Vec<Value> {
        indices
            .iter()
            .filter_map(|&index| self.transactions.get(index))
            .map(|txn| flat_transaction_json(txn, with_chq))
            .collect()
    }

    fn transactions_json(&self) -> Value {
        Value::Array(
            self.transactions
                .iter()
                .map(|txn| transaction_json(txn, timestamp(txn.transaction.date)))
                .collect(),
        )
    }

    fn top_json(&self, side_wanted: TransactionType, label: &str) -> Value {
        let data: Vec<Value> = groups::top_by_month(self.transactions, side_wanted)
            .into_iter()
            .map(|((year, month), indices)| {
                let rows: Vec<Value> = indices
                    .iter()
                    .filter_map(|&index| self.transactions.get(index))
                    .map(|txn| {
                        transaction_json(txn, txn.transaction.date.format("%d-%b-%y").to_string())
                    })
                    .collect();
                object([
                    ("month", short_month_key(year, month).into()),
                    ("data", Value::Array(rows)),
                ])
            })
            .collect();
        object([("type", label.into()), ("data", Value::Array(data))])
    }

    fn fraud_json(&self) -> Value {
        Value::Array(
            self.fraud
                .fraud
                .iter()
                .map(|entry| {
                    json!({
                        "statement_id": entry.statement_id,
                        "fraud_type": entry.fraud_type,
                        "fraud_category": entry.fraud_category,
                        "transaction_hash": entry.transaction_hash,
                        "evidence": entry.evidence,
                        "rule": entry.rule,
                    })
                })
                .collect(),
        )
    }

    /// The sections from `fraud` to `bounced_or_penal_transactions`, in the documented order.
    pub(crate) fn build(&self, values: RowValues) -> [(&'static str, Value); 10] {
        let written_by_caller = values == RowValues::WrittenByCaller;
        let decision_of = |index: usize| {
            self.salary
                .decisions
                .iter()
                .find(|decision| decision.transactions.contains(&index))
        };
        let salary_rows: Vec<Value> = self
            .salary
            .transactions
            .iter()
            .filter_map(|&index| {
                self.transactions
                    .get(index)
                    .map(|txn| salary_json(txn, decision_of(index)))
            })
            .collect();
        let recurring = |groups: &[RecurringGroup]| -> Vec<Value> {
            groups
                .iter()
                .map(|group| recurring_json(self.account_id, group, self.transactions))
                .collect()
        };
        let warnings: Vec<Value> = self
            .fraud
            .warnings
            .iter()
            .map(|entry| {
                json!({
                    "statement_id": entry.statement_id,
                    "fraud_type": entry.fraud_type,
                    "fraud_category": entry.fraud_category,
                    "transaction_hash": entry.transaction_hash,
                    "evidence": entry.evidence,
                    "rule": entry.rule,
                })
            })
            .collect();
        let expense_categories: Vec<Value> = groups::expense_categories(self.transactions)
            .into_iter()
            .map(|(category, percentage)| json!({"category": category, "percentage": percentage}))
            .collect();
        [
            ("fraud", self.fraud_json()),
            (
                "fraud_details",
                object([
                    ("statement", Value::Array(warnings)),
                    ("account", json!(self.fraud.validation_codes)),
                ]),
            ),
            (
                "transactions",
                if written_by_caller {
                    Value::Null
                } else {
                    self.transactions_json()
                },
            ),
            ("salary_transactions", Value::Array(salary_rows)),
            (
                "recurring_transactions",
                if written_by_caller {
                    Value::Null
                } else {
                    object([
                        (
                            "debit_transactions",
                            Value::Array(recurring(&self.recurring.debit_transactions)),
                        ),
                        (
                            "credit_transactions",
                            Value::Array(recurring(&self.recurring.credit_transactions)),
                        ),
                    ])
                },
            ),
            (
                "lender_transactions",
                Value::Array(self.pick(&groups::lender_transactions(self.transactions), true)),
            ),
            (
                "top_credits_debits",
                Value::Array(vec![
                    self.top_json(TransactionType::Debit, "top_5_debit"),
                    self.top_json(TransactionType::Credit, "top_5_credit"),
                ]),
            ),
            ("expense_categories", Value::Array(expense_categories)),
            (
                "self_and_sister_transactions",
                Value::Array(self.pick(
                    &groups::self_and_sister_transactions(self.transactions),
                    true,
                )),
            ),
            (
                "bounced_or_penal_transactions",
                Value::Array(self.pick(
                    &groups::bounced_or_penal_transactions(self.transactions),
                    true,
                )),
            ),
        ]
    }
}

/// The sections after the row sections: monthly analysis, predictors, EOD balances, score and
/// salary confidence.
pub(crate) fn analysis_sections(
    monthly: &MonthlyAnalysis,
    predictors: &Predictors,
    eod: &EodBalances,
    score: &ScoreReport,
    salary: &SalaryReport,
) -> [(&'static str, Value); 5] {
    [
        ("monthly_analysis", monthly_analysis_json(monthly)),
        ("predictors", predictors.to_json()),
        ("eod_balances", eod_json(eod)),
        ("score", json!(f64::from(score.score))),
        ("salary_confidence", json!(salary.salary_confidence)),
    ]
}

/// The Insights `data` object from its two halves, in the documented order.
pub(crate) fn insights_data(
    rows: [(&'static str, Value); 10],
    analysis: [(&'static str, Value); 5],
) -> Value {
    Value::Object(
        rows.into_iter()
            .chain(analysis)
            .map(|(key, value)| (key.to_string(), value))
            .collect(),
    )
}

fn monthly_analysis_json(monthly: &MonthlyAnalysis) -> Value {
    // Month keys formatted once, not once per metric.
    let keys: Vec<String> = monthly
        .months
        .iter()
        .map(|&(year, month)| month_key(year, month))
        .collect();
    let mut object = Map::new();
    for (name, values) in &monthly.metrics {
        let kind = number_kind("monthly", name);
        let per_month: Map<String, Value> = keys
            .iter()
            .zip(values)
            .map(|(key, value)| (key.clone(), conform_to(kind, metric_json(value))))
            .collect();
        object.insert(name.clone(), Value::Object(per_month));
    }
    Value::Object(object)
}

impl Enrichment {
    fn row_sections(&self) -> RowSections<'_> {
        RowSections {
            account_id: &self.account_id,
            transactions: &self.transactions,
            salary: &self.salary,
            recurring: &self.recurring,
            fraud: &self.fraud,
        }
    }

    pub fn transactions_json(&self) -> Value {
        self.row_sections().transactions_json()
    }

    pub fn monthly_analysis_json(&self) -> Value {
        monthly_analysis_json(&self.monthly)
    }

    pub fn eod_balances_json(&self) -> Value {
        eod_json(&self.eod)
    }

    /// The Insights `data` object sections this library owns (account_details,
    /// statement_stats and URLs belong to the caller).
    pub fn to_insights_data(&self) -> Value {
        insights_data(
            self.row_sections().build(RowValues::All),
            analysis_sections(
                &self.monthly,
                &self.predictors,
                &self.eod,
                &self.score,
                &self.salary,
            ),
        )
    }
}

/// The documented EOD shape: Months_order, start_date, one daily array per month. Days whose
/// balance is unknown (a statement that prints no balance anywhere) are null, and a month
/// without one known day is left out: there is no balance of it to report.
pub fn eod_json(eod: &EodBalances) -> Value {
    let mut object = Map::new();
    let months: Vec<&crate::eod::MonthDays> = eod.months.iter().filter(|m| m.has_known()).collect();
    object.insert(
        "Months_order".into(),
        months
            .iter()
            .map(|m| Value::from(short_month_key(m.year, m.month)))
            .collect(),
    );
    let starts: Vec<Value> = months
        .iter()
        .map(|m| {
            let first_day = m.days.iter().position(Option::is_some).unwrap_or(0) + 1;
            Value::from(format!(
                "{first_day:02}-{}",
                short_month_key(m.year, m.month)
            ))
        })
        .collect();
    object.insert("start_date".into(), Value::Array(starts));
    for m in &months {
        let days: Vec<Value> = m
            .days
            .iter()
            .map(|day| day.map_or(Value::Null, money))
            .collect();
        object.insert(short_month_key(m.year, m.month), Value::Array(days));
    }
    object.insert(
        "starting_balance".into(),
        eod.starting_balance.map_or(Value::Null, money),
    );
    Value::Object(object)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::txn;
    use crate::{enrich, AccountInput, EnrichmentContext};

    #[test]
    fn timestamps_read_as_chrono_writes_them() {
        let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).expect("date");
        let dates = [
            day(2024, 2, 29).and_hms_opt(0, 0, 0),
            day(2023, 12, 31).and_hms_opt(23, 59, 59),
            day(1999, 1, 5).and_hms_opt(7, 8, 9),
            day(5, 3, 4).and_hms_opt(10, 0, 1),
            day(10_000, 1, 1).and_hms_opt(1, 2, 3),
            day(-1, 6, 30).and_hms_opt(12, 30, 0),
            day(2016, 12, 31).and_hms_milli_opt(23, 59, 59, 1_500),
        ];
        for date in dates.into_iter().map(|d| d.expect("time")) {
            assert_eq!(
                timestamp(date),
                date.format("%Y-%m-%d %H:%M:%S").to_string()
            );
        }
    }

    #[test]
    fn eod_shape_matches_contract() {
        let input = AccountInput::from_transactions(vec![
            txn(
                "2025-08-11",
                "credit",
                1609,
                1614,
                "MUTHOOT FINANCE/GOLDEN GROWTH MAY 2025",
            ),
            txn("2025-09-03", "debit", 14, 1600, "ATW-ATM"),
        ]);
        let data = enrich(&input, &EnrichmentContext::default()).to_insights_data();
        let eod = &data["eod_balances"];
        assert_eq!(eod["Months_order"], json!(["Aug-25", "Sep-25"]));
        assert_eq!(eod["start_date"], json!(["11-Aug-25", "01-Sep-25"]));
        assert_eq!(eod["Aug-25"].as_array().map(Vec::len), Some(31));
        assert_eq!(eod["Aug-25"][9], Value::Null);
        assert_eq!(eod["Aug-25"][10], json!(1614.0));
        assert_eq!(eod["Sep-25"][3], Value::Null);
        assert_eq!(eod["starting_balance"], json!(5.0));
        assert_eq!(
            data["transactions"][0]["date"],
            json!("2025-08-11 00:00:00")
        );
        assert_eq!(data["transactions"][0]["category"], json!("Loan Disbursed"));
        assert_eq!(
            data["monthly_analysis"]["opening_balance"]["Aug-2025"],
            json!(5.0)
        );
        assert_eq!(
            data["top_credits_debits"][1]["data"][0]["data"][0]["date"],
            json!("11-Aug-25")
        );
    }
}
