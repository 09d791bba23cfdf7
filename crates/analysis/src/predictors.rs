//! Predictors, driven by data/predictors.tsv: each key names its source (a monthly
//! metric at a month index, an aggregate over months, a fraud flag, ...). Month
//! index 0 is the latest month; indices beyond the data are null.

use crate::eod::EodBalances;
use crate::fraud::FraudReport;
use crate::monthly::{self, MetricValue, MonthlyAnalysis};
use crate::output::{money, short_month_key};
use crate::salary::SalaryReport;
use crate::tables;
use crate::{AccountInput, EnrichedTransaction, EnrichmentContext};
use chrono::Datelike;
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::{Map, Value};
use std::cell::RefCell;
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Predictors {
    /// In table order.
    pub values: Vec<(String, Value)>,
    /// Keys whose definition is not yet settled (always null).
    pub uncomputed: Vec<String>,
}

impl Predictors {
    pub fn to_json(&self) -> Value {
        Value::Object(self.values.iter().cloned().collect::<Map<String, Value>>())
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.values
            .iter()
            .find(|(name, _)| name == key)
            .map(|(_, value)| value)
    }
}

/// Everything a source may read.
struct Inputs<'a> {
    account: &'a AccountInput,
    transactions: &'a [EnrichedTransaction],
    monthly: &'a MonthlyAnalysis,
    eod: &'a EodBalances,
    fraud: &'a FraudReport,
    salary: &'a SalaryReport,
    context: &'a EnrichmentContext,
    /// Ad-hoc monthly evaluations, shared by the twelve month-indexed keys of one source.
    adhoc_cache: RefCell<HashMap<&'static str, Option<Vec<MetricValue>>>>,
}

pub fn compute(
    account: &AccountInput,
    transactions: &[EnrichedTransaction],
    monthly: &MonthlyAnalysis,
    eod: &EodBalances,
    fraud: &FraudReport,
    salary: &SalaryReport,
    context: &EnrichmentContext,
) -> Predictors {
    let inputs = Inputs {
        account,
        transactions,
        monthly,
        eod,
        fraud,
        salary,
        context,
        adhoc_cache: RefCell::new(HashMap::new()),
    };
    let rows = tables::rows("predictors", tables::PREDICTORS_TSV, 2).unwrap_or_default();
    let mut predictors = Predictors::default();
    for (_, fields) in rows {
        let (key, source) = (fields[0], fields[1]);
        if source == "unsupported" {
            predictors.uncomputed.push(key.to_string());
        }
        predictors
            .values
            .push((key.to_string(), evaluate(key, source, &inputs)));
    }
    predictors
}

/// Month index (0 = latest) encoded as the key's numeric suffix.
fn month_index(key: &str) -> Option<usize> {
    key.rsplit('_').next()?.parse().ok()
}

/// Position in `monthly.months` (oldest first) of month index `n` (0 = latest).
fn position(monthly: &MonthlyAnalysis, n: usize) -> Option<usize> {
    monthly.months.len().checked_sub(n + 1)
}

fn metric_value(value: &MetricValue) -> Value {
    match value {
        MetricValue::Amount(amount) => money(*amount),
        MetricValue::Count(count) => Value::from(*count),
        MetricValue::Text(text) => Value::from(text.clone()),
        MetricValue::Bool(flag) => Value::from(*flag),
        MetricValue::Object(_) | MetricValue::Null => Value::Null,
    }
}

fn evaluate(key: &str, source: &'static str, inputs: &Inputs) -> Value {
    let (kind, argument) = source.split_once(':').unwrap_or((source, ""));
    let monthly = inputs.monthly;
    match kind {
        "identity" => identity(argument, inputs),
        "month_label" => month_index(key)
            .and_then(|n| position(monthly, n))
            .and_then(|index| monthly.months.get(index))
            .map_or(Value::Null, |&(year, month)| {
                Value::from(short_month_key(year, month))
            }),
        "m" => month_index(key)
            .and_then(|n| position(monthly, n))
            .and_then(|index| monthly.values(argument)?.get(index))
            .map_or(Value::Null, metric_value),
        "m_ratio" => month_index(key)
            .and_then(|n| position(monthly, n))
            .and_then(|index| {
                let (top, bottom) = argument.split_once('/')?;
                let denominator = monthly.number(bottom, index)?;
                let numerator = monthly.number(top, index)?;
                (!denominator.is_zero()).then(|| money((numerator / denominator).round_dp(2)))
            })
            .unwrap_or(Value::Null),
        "mq" => month_index(key)
            .and_then(|n| position(monthly, n))
            .and_then(|index| adhoc(argument, inputs)?.get(index).map(metric_value))
            .unwrap_or(Value::Null),
        "q" => whole_period(argument, inputs, None),
        "q6" => whole_period(argument, inputs, Some(6)),
        "flag" => inputs
            .fraud
            .flags
            .get(argument)
            .map_or(Value::Null, |flag| Value::from(*flag)),
        "months_with" => Value::from(months_where(monthly, argument, |value| {
            value > Decimal::ZERO
        })),
        "months_without" => Value::from(months_where(monthly, argument, |value| value.is_zero())),
        "months_with_lt" => {
            let (metric, limit) = argument.split_once(':').unwrap_or((argument, "0"));
            let limit = limit.parse::<Decimal>().unwrap_or(Decimal::ZERO);
            Value::from(months_where(monthly, metric, |value| value < limit))
        }
        "range6_11" => {
            let values = latest_values(monthly, argument, 12);
            money(values.iter().skip(6).sum())
        }
        "special" => special(argument, inputs),
        _ => window_aggregate(kind, argument, monthly),
    }
}

fn identity(field: &str, inputs: &Inputs) -> Value {
    let account = inputs.account;
    let text = |value: &Option<String>| value.clone().map_or(Value::Null, Value::from);
    match field {
        "account_number" => text(&account.account_number),
        "bank" => text(&account.bank),
        "ifsc" => text(&account.ifsc),
        "name" => text(
            &account
                .holder_name
                .clone()
                .or_else(|| inputs.context.names.first().cloned()),
        ),
        "account_category" => text(&account.account_category),
        "od_limit" => money(account.od_limit.unwrap_or(Decimal::ZERO)),
        _ => Value::Null,
    }
}

fn adhoc(argument: &'static str, inputs: &Inputs) -> Option<Vec<MetricValue>> {
    if let Some(cached) = inputs.adhoc_cache.borrow().get(argument) {
        return cached.clone();
    }
    let (filter, aggregate) = argument.split_once('|')?;
    let values = monthly::evaluate(
        inputs.transactions,
        inputs.eod,
        inputs.account,
        filter,
        aggregate,
    )
    .ok();
    inputs
        .adhoc_cache
        .borrow_mut()
        .insert(argument, values.clone());
    values
}

/// Combines per-month ad-hoc values over the period: sums for sum/count, extremes
/// for max/min, mean of the months otherwise.
fn whole_period(argument: &'static str, inputs: &Inputs, latest: Option<usize>) -> Value {
    let Some(per_month) = adhoc(argument, inputs) else {
        return Value::Null;
    };
    let skip = latest.map_or(0, |count| per_month.len().saturating_sub(count));
    let numbers: Vec<Decimal> = per_month
        .iter()
        .skip(skip)
        .filter_map(MetricValue::as_decimal)
        .collect();
    let aggregate = argument
        .split_once('|')
        .map_or("", |(_, aggregate)| aggregate);
    let combined = match aggregate.split(':').next().unwrap_or("") {
        "sum" | "count" | "distinct_days" => Some(numbers.iter().sum()),
        "max" => numbers.iter().max().copied(),
        "min" | "min_eod_on" => numbers.iter().min().copied(),
        _ => monthly::mean(&numbers),
    };
    match (combined, aggregate) {
        (Some(total), "count") => {
            Value::from(total.trunc().to_string().parse::<i64>().unwrap_or(0))
        }
        (Some(total), _) => money(total.round_dp(2)),
        (None, _) => Value::Null,
    }
}

/// Values of `metric` for the latest `count` months, latest first.
fn latest_values(monthly: &MonthlyAnalysis, metric: &str, count: usize) -> Vec<Decimal> {
    (0..count.min(monthly.months.len()))
        .filter_map(|n| monthly.number(metric, position(monthly, n)?))
        .collect()
}

fn months_where(monthly: &MonthlyAnalysis, metric: &str, keep: impl Fn(Decimal) -> bool) -> i64 {
    (0..monthly.months.len())
        .filter_map(|index| monthly.number(metric, index))
        .filter(|value| keep(*value))
        .count() as i64
}

/// sum|avg|max|min over every month, or with a digit suffix over the latest N months.
fn window_aggregate(kind: &str, metric: &str, monthly: &MonthlyAnalysis) -> Value {
    let digits_at = kind
        .find(|c: char| c.is_ascii_digit())
        .unwrap_or(kind.len());
    let (operation, window) = kind.split_at(digits_at);
    let count = window.parse::<usize>().unwrap_or(monthly.months.len());
    let values = latest_values(monthly, metric, count);
    let integral = metric.starts_with("cnt_") || metric.starts_with("number_of_");
    let result = match operation {
        "sum" => Some(values.iter().sum()),
        "avg" => monthly::mean(&values).map(|value| value.round_dp(2)),
        "max" => values.iter().max().copied(),
        "min" => values.iter().min().copied(),
        _ => return Value::Null,
    };
    match result {
        Some(value) if integral && operation != "avg" => {
            Value::from(value.trunc().to_string().parse::<i64>().unwrap_or(0))
        }
        Some(value) => money(value),
        None => Value::Null,
    }
}

fn special(name: &str, inputs: &Inputs) -> Value {
    let transactions = inputs.transactions;
    let first = transactions.first().map(|txn| txn.transaction.date.date());
    let last = transactions.last().map(|txn| txn.transaction.date.date());
    let reference_day = inputs
        .context
        .application_date
        .or_else(|| {
            inputs
                .account
                .statements
                .iter()
                .filter_map(|s| s.to_date)
                .max()
        })
        .or(last);
    let monthly = inputs.monthly;
    match name {
        "start_date" => first.map_or(Value::Null, |day| {
            Value::from(day.format("%Y-%m-%d").to_string())
        }),
        "end_date" => last.map_or(Value::Null, |day| {
            Value::from(day.format("%Y-%m-%d").to_string())
        }),
        "month_duration" => Value::from(monthly.months.len() as i64),
        "day_duration" => match (first, last) {
            (Some(first), Some(last)) => Value::from((last - first).num_days() + 1),
            _ => Value::Null,
        },
        "recency_days" | "days_after_last_transaction" | "transaction_gap_latest_date" => {
            match (last, reference_day) {
                (Some(last), Some(reference)) => Value::from((reference - last).num_days()),
                _ => Value::Null,
            }
        }
        "latest_consecutive_months" => Value::from(latest_consecutive_months(monthly)),
        "latest_salary_month" => inputs
            .salary
            .transactions
            .last()
            .and_then(|&index| transactions.get(index))
            .map_or(Value::Null, |txn| {
                let date = txn.transaction.date;
                Value::from(short_month_key(date.year(), date.month()))
            }),
        "latest_salary_in_last_35_days" => {
            let latest = inputs
                .salary
                .transactions
                .last()
                .and_then(|&index| transactions.get(index))
                .map(|txn| txn.transaction.date.date());
            match (latest, reference_day) {
                (Some(salary_day), Some(reference)) => {
                    Value::from((reference - salary_day).num_days() <= 35)
                }
                _ => Value::from(false),
            }
        }
        "missing_months" => Value::from(months_where(monthly, "cnt_transactions", |count| {
            count.is_zero()
        })),
        "bank_connect_status" => Value::from("completed"),
        "is_salary_present" => Value::from(!inputs.salary.transactions.is_empty()),
        "salary_confidence" => inputs
            .salary
            .salary_confidence
            .map_or(Value::Null, Value::from),
        "annualised_credit" => {
            let months = monthly.months.len().max(1);
            let total: Decimal = latest_values(monthly, "amt_credit", months).iter().sum();
            money(total * Decimal::from(12) / Decimal::from(months))
        }
        "cash_withdrawal_percentage" => {
            percent_of_totals(monthly, "amt_cash_withdrawl_debit", "amt_debit")
        }
        "expense_to_income_percentage" => {
            percent_of_totals(monthly, "amt_debit", "amt_income_credit")
        }
        _ => Value::Null,
    }
}

fn percent_of_totals(monthly: &MonthlyAnalysis, part: &str, whole: &str) -> Value {
    let months = monthly.months.len();
    let part: Decimal = latest_values(monthly, part, months).iter().sum();
    let whole: Decimal = latest_values(monthly, whole, months).iter().sum();
    if whole.is_zero() {
        return Value::Null;
    }
    money((part * Decimal::ONE_HUNDRED / whole).round_dp(2))
}

/// Months with transactions counted back from the latest until the first empty one.
fn latest_consecutive_months(monthly: &MonthlyAnalysis) -> i64 {
    (0..monthly.months.len())
        .rev()
        .take_while(|&index| {
            monthly
                .number("cnt_transactions", index)
                .is_some_and(|count| count > Decimal::ZERO)
        })
        .count() as i64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::txn;
    use crate::{enrich, AccountInput};
    use serde_json::json;

    #[test]
    fn month_indexing_counts_back_from_latest() {
        let input = AccountInput::from_transactions(vec![
            txn("2025-08-11", "credit", 1000, 1000, "SALARY AUG"),
            txn("2025-08-20", "debit", 400, 600, "ATW-ATM"),
            txn("2025-09-05", "debit", 100, 500, "ATW-ATM"),
        ]);
        let predictors = enrich(&input, &EnrichmentContext::default()).predictors;
        assert_eq!(predictors.get("month_0"), Some(&json!("Sep-25")));
        assert_eq!(predictors.get("month_1"), Some(&json!("Aug-25")));
        assert_eq!(predictors.get("month_2"), Some(&Value::Null));
        assert_eq!(predictors.get("debits_0"), Some(&json!(100.0)));
        assert_eq!(predictors.get("expense_1"), Some(&json!(400.0)));
        assert_eq!(predictors.get("bal_last_0"), Some(&json!(500.0)));
        assert_eq!(
            predictors.get("expense_to_income_ratio_0"),
            Some(&Value::Null)
        );
        assert_eq!(
            predictors.get("expense_to_income_ratio_1"),
            Some(&json!(0.4))
        );
        assert_eq!(predictors.get("balance_on_5th_0"), Some(&json!(500.0)));
        assert_eq!(predictors.get("balance_on_10th_0"), Some(&Value::Null));
        assert_eq!(predictors.get("debits"), Some(&json!(500.0)));
        assert_eq!(predictors.get("negative_balance"), Some(&json!(false)));
    }
}
