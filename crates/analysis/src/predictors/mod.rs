//! Predictors, driven by data/predictors.tsv: each key names its source (a monthly
//! metric at a month index, an aggregate over months, a fraud flag, ...). Month
//! index 0 is the latest month; indices beyond the data are null.
//!
//! Balances a statement does not print (see [`crate::StatementInput::balances_known`]):
//! which sources read balances is declared where they are computed
//! ([`source_reads_balances`]). A month-indexed figure is null for a month whose balances
//! are unknown; an average, median, minimum or maximum over several months or days (ABB and
//! its kin) is taken over the ones whose balances are known, null when there is none; a
//! sum or count over them is null when one of them is unknown (it would understate); a
//! flag that some balance was negative holds when a known one was and is null otherwise.
//! With no balance known at all, every source that reads balances is null.

mod behaviour;
mod salary;
#[cfg(test)]
mod sample_conformance;
mod windows;

use crate::eod::EodBalances;
use crate::fraud::FraudReport;
use crate::monthly::{self, MetricValue, MonthlyAnalysis};
use crate::output::{self, money, short_month_key};
use crate::salary::SalaryReport;
use crate::tables;
use crate::{AccountInput, EnrichedTransaction, EnrichmentContext};
use chrono::Datelike;
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::{Map, Value};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Predictors {
    /// In table order.
    pub values: Vec<(String, Value)>,
    /// Keys whose definition is not yet settled (always null).
    pub uncomputed: Vec<String>,
}

impl Predictors {
    pub fn to_json(&self) -> Value {
        Value::Object(
            self.values
                .iter()
                .map(|(key, value)| {
                    (
                        key.clone(),
                        output::conform_number("predictors", key, value.clone()),
                    )
                })
                .collect::<Map<String, Value>>(),
        )
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
    /// The statement's months, split once for every ad-hoc query.
    month_views: monthly::MonthViews<'a>,
    /// Some row's balance is known: else every source reading balances is null.
    any_balance_known: bool,
    /// Some row's balance is unknown (see [`AccountInput::balances_known`]).
    some_balance_unknown: bool,
    /// Ad-hoc monthly evaluations, shared by the twelve month-indexed keys of one source.
    adhoc_cache: RefCell<HashMap<&'static str, Option<Vec<MetricValue>>>>,
    /// The amounts a percentile's filter keeps in its latest months, sorted once for the ten
    /// ranks asked of each (`pctl:P:MONTHS:FILTER`).
    sorted_amounts: RefCell<HashMap<(usize, &'static str), SortedAmounts>>,
}

/// Amounts sorted ascending, shared by the ranks asked of one percentile's filter.
type SortedAmounts = Rc<Vec<Decimal>>;

pub fn compute(
    account: &AccountInput,
    transactions: &[EnrichedTransaction],
    monthly: &MonthlyAnalysis,
    eod: &EodBalances,
    fraud: &FraudReport,
    salary: &SalaryReport,
    context: &EnrichmentContext,
) -> Predictors {
    compute_on(
        account,
        transactions,
        monthly,
        eod,
        fraud,
        salary,
        context,
        1,
    )
}

/// [`compute`] on `threads` threads. The table is cut into short runs of keys that the threads
/// take in turn, each thread with its own caches: the keys' costs are very uneven (the month-
/// indexed ad-hoc figures and day windows sit together), so halves would leave one thread
/// waiting. Every key is evaluated from the same inputs, so the values and their order are
/// the same; a long statement's ~2,000 keys are tens of milliseconds.
#[allow(clippy::too_many_arguments)]
pub fn compute_on(
    account: &AccountInput,
    transactions: &[EnrichedTransaction],
    monthly: &MonthlyAnalysis,
    eod: &EodBalances,
    fraud: &FraudReport,
    salary: &SalaryReport,
    context: &EnrichmentContext,
    threads: usize,
) -> Predictors {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let rows = tables::rows("predictors", tables::PREDICTORS_TSV, 2).unwrap_or_default();
    let inputs = || Inputs {
        account,
        transactions,
        monthly,
        eod,
        fraud,
        salary,
        context,
        month_views: monthly::MonthViews::new(transactions, eod, account),
        any_balance_known: transactions.iter().any(|txn| txn.balance_known),
        some_balance_unknown: transactions.iter().any(|txn| !txn.balance_known),
        adhoc_cache: RefCell::new(HashMap::new()),
        sorted_amounts: RefCell::new(HashMap::new()),
    };
    let evaluate_rows = |rows: &[(usize, Vec<&'static str>)], inputs: &Inputs| -> Predictors {
        let mut predictors = Predictors::default();
        for (_, fields) in rows {
            let (key, source) = (fields[0], fields[1]);
            if source == "unsupported" {
                predictors.uncomputed.push(key.to_string());
            }
            predictors
                .values
                .push((key.to_string(), evaluate(key, source, inputs)));
        }
        predictors
    };
    if threads < 2 || rows.len() < 2 {
        return evaluate_rows(&rows, &inputs());
    }
    // Runs long enough to share most ad-hoc figures within one, short enough to even out.
    let runs: Vec<&[(usize, Vec<&'static str>)]> =
        rows.chunks(rows.len().div_ceil(threads * 8)).collect();
    let next = AtomicUsize::new(0);
    let work = || -> Vec<(usize, Predictors)> {
        let inputs = inputs();
        let mut done = Vec::new();
        loop {
            let run = next.fetch_add(1, Ordering::Relaxed);
            let Some(keys) = runs.get(run) else {
                return done;
            };
            done.push((run, evaluate_rows(keys, &inputs)));
        }
    };
    let mut done: Vec<(usize, Predictors)> = std::thread::scope(|scope| {
        let spawned: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let mut done = work();
        for handle in spawned {
            // A thread that panicked loses its runs; they are redone below.
            done.extend(handle.join().unwrap_or_default());
        }
        done
    });
    done.sort_by_key(|(run, _)| *run);
    let mut predictors = Predictors::default();
    let mut parts = done.into_iter().peekable();
    let mut redo: Option<Inputs> = None;
    for (run, keys) in runs.iter().enumerate() {
        let part = match parts.next_if(|(done, _)| *done == run) {
            Some((_, part)) => part,
            None => evaluate_rows(keys, redo.get_or_insert_with(inputs)),
        };
        predictors.values.extend(part.values);
        predictors.uncomputed.extend(part.uncomputed);
    }
    predictors
}

/// Special sources (`special:NAME`) computed from balances.
const SPECIAL_BALANCE_READERS: &[&str] = &["eod_balances"];

/// Whether a source reads balances, as declared where each is computed: the EOD kinds
/// (`eod_days`, `eodm`, `eodfull`), the behaviour, special and fraud-flag computations
/// listed beside them, and any monthly metric or aggregate the source names that the monthly
/// engine computes from balances ([`monthly::metric_reads_balances`],
/// [`monthly::aggregate_reads_balances`]). The test `every_predictor_reading_balances_is_declared`
/// moves every balance and checks that only declared sources change.
pub fn source_reads_balances(source: &str) -> bool {
    let (kind, argument) = source.split_once(':').unwrap_or((source, ""));
    match kind {
        "eod_days" | "eodm" | "eodfull" => true,
        "behaviour" => behaviour::reads_balances(argument),
        "special" => SPECIAL_BALANCE_READERS.contains(&argument),
        "flag" => crate::fraud::BALANCE_FLAGS.contains(&argument),
        "at_least" => argument
            .split_once(':')
            .is_some_and(|(_, inner)| source_reads_balances(inner)),
        "odcc" => source_reads_balances(argument),
        "identity" | "month_label" | "salary" => false,
        // Every other kind names monthly metrics (`m:`, `avg6:`, `ratio_sum:N:A/B`, ...) or
        // `FILTER|AGGREGATE` queries (`mq:`, `q:`, `mw:`, ...) in its argument.
        _ => argument.split([':', '/', ';', '|']).any(|name| {
            monthly::metric_reads_balances(name) || monthly::aggregate_reads_balances(name)
        }),
    }
}

/// `metric` reads balances and one of the months at `positions` (oldest first) has them
/// unknown: a sum or count over those months would understate.
fn balances_missing_in(monthly: &MonthlyAnalysis, metric: &str, positions: &[usize]) -> bool {
    monthly::metric_reads_balances(metric)
        && positions
            .iter()
            .any(|&index| !monthly.month_balances_known(index))
}

/// Positions (oldest first) of the latest `count` months.
fn latest_positions(monthly: &MonthlyAnalysis, count: usize) -> Vec<usize> {
    (0..count.min(monthly.months.len()))
        .filter_map(|n| position(monthly, n))
        .collect()
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
    if !inputs.any_balance_known && source_reads_balances(source) {
        return Value::Null;
    }
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
        "flag" => match inputs.fraud.flags.get(argument) {
            // A flag that some balance was negative is certain when a known one was, and
            // unknown when none was but some balances are not known.
            Some(false)
                if inputs.some_balance_unknown
                    && crate::fraud::BALANCE_FLAGS.contains(&argument) =>
            {
                Value::Null
            }
            Some(flag) => Value::from(*flag),
            None => Value::Null,
        },
        "months_with" | "months_without" | "months_with_lt"
            if balances_missing_in(
                monthly,
                argument.split(':').next().unwrap_or(argument),
                &latest_positions(monthly, monthly.months.len()),
            ) =>
        {
            Value::Null
        }
        "months_with" => Value::from(months_where(monthly, argument, |value| {
            value > Decimal::ZERO
        })),
        // months_with_in:N:METRIC / months_without_in:N:METRIC: the latest N months only.
        "months_with_in" | "months_without_in" => {
            let Some((count, metric)) = argument.split_once(':') else {
                return Value::Null;
            };
            let count = count.parse::<usize>().unwrap_or(0);
            if balances_missing_in(monthly, metric, &latest_positions(monthly, count)) {
                return Value::Null;
            }
            let values = latest_values(monthly, metric, count);
            let with = values
                .iter()
                .filter(|value| **value > Decimal::ZERO)
                .count();
            Value::from(if kind == "months_with_in" {
                with as i64
            } else {
                (values.len() - with) as i64
            })
        }
        "share" => share(argument, inputs),
        "ratio_sum" | "perc_sum" => ratio_of_sums(kind == "perc_sum", argument, monthly),
        "months_without" => Value::from(months_where(monthly, argument, |value| value.is_zero())),
        "months_with_lt" => {
            let (metric, limit) = argument.split_once(':').unwrap_or((argument, "0"));
            let limit = limit.parse::<Decimal>().unwrap_or(Decimal::ZERO);
            Value::from(months_where(monthly, metric, |value| value < limit))
        }
        "range6_11" => {
            if balances_missing_in(monthly, argument, &latest_positions(monthly, 12)) {
                return Value::Null;
            }
            let values = latest_values(monthly, argument, 12);
            money(values.iter().skip(6).sum())
        }
        "range" => {
            // range:FROM-TO:METRIC sums month indices FROM..=TO (0 = latest).
            let parsed = argument.split_once(':').and_then(|(span, metric)| {
                let (from, to) = span.split_once('-')?;
                Some((
                    from.parse::<usize>().ok()?,
                    to.parse::<usize>().ok()?,
                    metric,
                ))
            });
            parsed.map_or(Value::Null, |(from, to, metric)| {
                let span: Vec<usize> = (from..=to).filter_map(|n| position(monthly, n)).collect();
                if balances_missing_in(monthly, metric, &span) {
                    return Value::Null;
                }
                let values = latest_values(monthly, metric, to + 1);
                let total: Decimal = values.iter().skip(from).sum();
                if metric.starts_with("cnt_") {
                    Value::from(total.trunc().to_string().parse::<i64>().unwrap_or(0))
                } else {
                    money(total)
                }
            })
        }
        "days" => day_window(argument, inputs),
        "eod_days" => eod_window(argument, inputs.eod),
        "pctl" => percentile(argument, inputs),
        "special" => special(argument, inputs),
        "mw" => windows::month_window(argument, inputs),
        "mratio" => windows::month_ratio(argument, inputs),
        "mdiff" => windows::month_difference(argument, inputs),
        "at_least" => windows::at_least(key, argument, inputs),
        "all_months_at_least" => windows::all_months_at_least(argument, monthly),
        "odcc" => windows::overdraft_only(key, argument, inputs),
        "eodm" => windows::eod_months(argument, inputs),
        "eodfull" => windows::eod_full_months(argument, inputs),
        "salary" => salary::evaluate(key, argument, inputs),
        "behaviour" => behaviour::evaluate(key, argument, inputs),
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
        "email" => text(&account.holder.email),
        "phone_number" => text(&account.holder.phone_number),
        "pan_number" => text(&account.holder.pan_number),
        "dob" => text(&account.holder.dob),
        "account_opening_date" => text(&account.holder.account_opening_date),
        "account_status" => text(&account.holder.account_status),
        "holder_type" => text(&account.holder.holder_type),
        _ => Value::Null,
    }
}

fn adhoc(argument: &'static str, inputs: &Inputs) -> Option<Vec<MetricValue>> {
    if let Some(cached) = inputs.adhoc_cache.borrow().get(argument) {
        return cached.clone();
    }
    let (filter, aggregate) = argument.rsplit_once('|')?;
    let values = inputs.month_views.evaluate(filter, aggregate).ok();
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
        .rsplit_once('|')
        .map_or("", |(_, aggregate)| aggregate);
    let operation = aggregate.split(':').next().unwrap_or("");
    // A sum or count over months some of whose balances are unknown would understate.
    if matches!(operation, "sum" | "count" | "distinct_days")
        && monthly::aggregate_reads_balances(aggregate)
        && !(skip..per_month.len()).all(|index| inputs.monthly.month_balances_known(index))
    {
        return Value::Null;
    }
    let combined = match operation {
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

/// sum|avg|max|min (or any: some month above zero) over every month, or with a digit suffix over the latest N months.
fn window_aggregate(kind: &str, metric: &str, monthly: &MonthlyAnalysis) -> Value {
    let digits_at = kind
        .find(|c: char| c.is_ascii_digit())
        .unwrap_or(kind.len());
    let (operation, window) = kind.split_at(digits_at);
    let count = window.parse::<usize>().unwrap_or(monthly.months.len());
    // avg|max|min are taken over the months whose balances are known (their values; the
    // others are null), a sum or `any` is not.
    if matches!(operation, "sum" | "any")
        && balances_missing_in(monthly, metric, &latest_positions(monthly, count))
    {
        return Value::Null;
    }
    let values = latest_values(monthly, metric, count);
    let integral = metric.starts_with("cnt_") || metric.starts_with("number_of_");
    let result = match operation {
        "sum" => Some(values.iter().sum()),
        "avg" => monthly::mean(&values).map(|value| value.round_dp(2)),
        "max" => values.iter().max().copied(),
        "min" => values.iter().min().copied(),
        "any" => return Value::from(values.iter().any(|value| *value > Decimal::ZERO)),
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

/// `share:PART;WHOLE`: whole-period sum of the PART filter's amounts over the WHOLE
/// filter's, rounded to 2 places; null when WHOLE sums to zero.
fn share(argument: &'static str, inputs: &Inputs) -> Value {
    let Some((part, whole)) = argument.split_once(';') else {
        return Value::Null;
    };
    let total = |filter: &'static str| -> Option<Decimal> {
        let rows = inputs.month_views.filter_rows(filter).ok()?;
        Some(
            rows.iter()
                .map(|&index| inputs.transactions[index].transaction.amount)
                .sum(),
        )
    };
    match (total(part), total(whole)) {
        (Some(part), Some(whole)) if !whole.is_zero() => money((part / whole).round_dp(2)),
        _ => Value::Null,
    }
}

/// `ratio_sum:N:A/B` (or `perc_sum`, times 100): the sum of monthly metric A over
/// the latest N months (`all`: every month) divided by the sum of B, 2 places.
fn ratio_of_sums(percent: bool, argument: &str, monthly: &MonthlyAnalysis) -> Value {
    let Some((window, pair)) = argument.split_once(':') else {
        return Value::Null;
    };
    let Some((top, bottom)) = pair.split_once('/') else {
        return Value::Null;
    };
    let count = window.parse::<usize>().unwrap_or(monthly.months.len());
    let span = latest_positions(monthly, count);
    if balances_missing_in(monthly, top, &span) || balances_missing_in(monthly, bottom, &span) {
        return Value::Null;
    }
    let top: Decimal = latest_values(monthly, top, count).iter().sum();
    let bottom: Decimal = latest_values(monthly, bottom, count).iter().sum();
    if bottom.is_zero() {
        return Value::Null;
    }
    let scale = if percent {
        Decimal::ONE_HUNDRED
    } else {
        Decimal::ONE
    };
    money((top * scale / bottom).round_dp(2))
}

/// Last statement day: day windows count back from it (age 0 = that day).
fn window_end(inputs: &Inputs) -> Option<chrono::NaiveDate> {
    inputs.eod.last_day.or_else(|| {
        inputs
            .transactions
            .last()
            .map(|txn| txn.transaction.date.date())
    })
}

/// `days:FROM-TO:FILTER|AGGREGATE`: rows of the filter whose age in days (0 = the
/// last statement day) is in FROM..TO, aggregated with sum|count|max|min|avg|median
/// (empty windows give 0, as monthly aggregates do).
fn day_window(argument: &'static str, inputs: &Inputs) -> Value {
    let Some((range, query)) = argument.split_once(':') else {
        return Value::Null;
    };
    let Some((filter, aggregate)) = query.rsplit_once('|') else {
        return Value::Null;
    };
    let bounds = range
        .split_once('-')
        .and_then(|(from, to)| Some((from.parse::<i64>().ok()?, to.parse::<i64>().ok()?)));
    let (Some((from, to)), Some(end)) = (bounds, window_end(inputs)) else {
        return Value::Null;
    };
    let Ok(rows) = inputs.month_views.filter_rows(filter) else {
        return Value::Null;
    };
    let amounts: Vec<Decimal> = rows
        .iter()
        .map(|&index| &inputs.transactions[index].transaction)
        .filter(|txn| (from..to).contains(&(end - txn.date.date()).num_days()))
        .map(|txn| txn.amount)
        .collect();
    let value = match aggregate {
        "count" => return Value::from(amounts.len() as i64),
        "sum" => Some(amounts.iter().sum()),
        "max" => amounts.iter().max().copied(),
        "min" => amounts.iter().min().copied(),
        "avg" => monthly::mean(&amounts),
        "median" => monthly::median(&amounts),
        _ => return Value::Null,
    };
    money(value.unwrap_or(Decimal::ZERO).round_dp(2))
}

/// `eod_days:N:AGGREGATE`: end-of-day balances of the last N statement days
/// (ending on the last statement day): avg, median, cnt_lt:AMOUNT, cnt_gt:AMOUNT or
/// max_run_lt:AMOUNT (longest run of consecutive days below AMOUNT).
fn eod_window(argument: &str, eod: &EodBalances) -> Value {
    let Some((days, aggregate)) = argument.split_once(':') else {
        return Value::Null;
    };
    let (Ok(days), Some(end)) = (days.parse::<i64>(), eod.last_day) else {
        return Value::Null;
    };
    let balances: Vec<Decimal> = eod
        .dated()
        .filter(|(day, _)| (0..days).contains(&(end - *day).num_days()))
        .map(|(_, balance)| balance)
        .collect();
    let start = end - chrono::Duration::days(days - 1);
    aggregate_balances(&balances, aggregate, eod.unknown_between(start, end))
}

/// avg, median, cnt_lt:AMOUNT, cnt_gt:AMOUNT or max_run_lt:AMOUNT (the longest run of
/// consecutive days below AMOUNT) of end-of-day balances in date order: the known days'
/// (`balances`). When some day of the span is unknown (`some_unknown`), the average and
/// median are the known days', and a count or run is null.
fn aggregate_balances(balances: &[Decimal], aggregate: &str, some_unknown: bool) -> Value {
    let (name, bound) = aggregate.split_once(':').unwrap_or((aggregate, ""));
    if some_unknown && !matches!(name, "avg" | "median") {
        return Value::Null;
    }
    let limit = bound.parse::<Decimal>().unwrap_or(Decimal::ZERO);
    match name {
        "avg" => monthly::mean(balances).map_or(Value::Null, |v| money(v.round_dp(2))),
        "median" => monthly::median(balances).map_or(Value::Null, |v| money(v.round_dp(2))),
        "cnt_lt" => Value::from(balances.iter().filter(|value| **value < limit).count() as i64),
        "cnt_gt" => Value::from(balances.iter().filter(|value| **value > limit).count() as i64),
        "max_run_lt" => {
            let (mut run, mut longest) = (0_i64, 0_i64);
            for value in balances {
                run = if *value < limit { run + 1 } else { 0 };
                longest = longest.max(run);
            }
            Value::from(longest)
        }
        _ => Value::Null,
    }
}

/// `pctl:P:MONTHS:FILTER`: nearest-rank P-th percentile of the amounts the filter
/// keeps in the latest MONTHS calendar months (the smallest amount with at least
/// P% of the amounts at or below it). Null when no amount qualifies.
fn percentile(argument: &'static str, inputs: &Inputs) -> Value {
    let mut parts = argument.splitn(3, ':');
    let (Some(rank), Some(months), Some(filter)) = (parts.next(), parts.next(), parts.next())
    else {
        return Value::Null;
    };
    let (Ok(rank), Ok(months)) = (rank.parse::<u32>(), months.parse::<usize>()) else {
        return Value::Null;
    };
    let Some(amounts) = sorted_amounts(months, filter, inputs) else {
        return Value::Null;
    };
    if amounts.is_empty() {
        return Value::Null;
    }
    let position = (rank as usize * amounts.len()).div_ceil(100).max(1);
    money(amounts[position.min(amounts.len()) - 1].round_dp(2))
}

/// The amounts `filter` keeps in the latest `months` calendar months, sorted; None when the
/// statement has no such months or the filter does not parse.
fn sorted_amounts(months: usize, filter: &'static str, inputs: &Inputs) -> Option<SortedAmounts> {
    if let Some(amounts) = inputs.sorted_amounts.borrow().get(&(months, filter)) {
        return Some(Rc::clone(amounts));
    }
    let monthly = inputs.monthly;
    let &first_month = monthly
        .months
        .get(monthly.months.len().saturating_sub(months))?;
    let rows = inputs.month_views.filter_rows(filter).ok()?;
    let mut amounts: Vec<Decimal> = rows
        .iter()
        .map(|&index| &inputs.transactions[index].transaction)
        .filter(|txn| (txn.date.year(), txn.date.month()) >= first_month)
        .map(|txn| txn.amount)
        .collect();
    amounts.sort_unstable();
    let amounts = Rc::new(amounts);
    inputs
        .sorted_amounts
        .borrow_mut()
        .insert((months, filter), Rc::clone(&amounts));
    Some(amounts)
}

/// The day "from application date" predictors count back from: the application date,
/// else the statement's printed end, else its last transaction.
fn reference_day(inputs: &Inputs) -> Option<chrono::NaiveDate> {
    inputs
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
        .or_else(|| {
            inputs
                .transactions
                .last()
                .map(|txn| txn.transaction.date.date())
        })
}

fn special(name: &str, inputs: &Inputs) -> Value {
    let transactions = inputs.transactions;
    let first = transactions.first().map(|txn| txn.transaction.date.date());
    let last = transactions.last().map(|txn| txn.transaction.date.date());
    let reference_day = reference_day(inputs);
    let monthly = inputs.monthly;
    match name {
        // The documented sample writes predictor dates as "11-Aug-25".
        "start_date" => first.map_or(Value::Null, |day| {
            Value::from(day.format("%d-%b-%y").to_string())
        }),
        "end_date" => last.map_or(Value::Null, |day| {
            Value::from(day.format("%d-%b-%y").to_string())
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
        // The latest month of that run, "Nov-2025" as documented; null without transactions.
        "latest_consecutive_month" => match monthly.months.last() {
            Some(&(year, month)) if latest_consecutive_months(monthly) > 0 => {
                Value::from(output::month_key(year, month))
            }
            _ => Value::Null,
        },
        "avg_transaction_cnt_per_month_for_latest_consecutive_months" => {
            let months = latest_consecutive_months(monthly) as usize;
            let counts = latest_values(monthly, "cnt_transactions", months);
            monthly::mean(&counts).map_or(Value::Null, |mean| money(mean.round_dp(2)))
        }
        "latest_salary_month" => inputs
            .salary
            .transactions
            .last()
            .and_then(|&index| transactions.get(index))
            .map_or(Value::Null, |txn| {
                let date = txn.transaction.date;
                // "Oct-2025" in the documented sample (long form, unlike month_N's "Oct-25").
                Value::from(output::month_key(date.year(), date.month()))
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
        "days_since_latest_salary_from_application_date" => {
            let latest = inputs
                .salary
                .transactions
                .last()
                .and_then(|&index| transactions.get(index))
                .map(|txn| txn.transaction.date.date());
            match (latest, inputs.context.application_date) {
                (Some(salary_day), Some(application)) => {
                    Value::from((application - salary_day).num_days())
                }
                _ => Value::Null,
            }
        }
        "missing_months" => Value::from(months_where(monthly, "cnt_transactions", |count| {
            count.is_zero()
        })),
        "bank_connect_status" => Value::from("completed"),
        "eod_balances" => output::eod_json(inputs.eod),
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
    use crate::test_support::{txn, varied_account};
    use crate::{enrich, AccountInput};
    use serde_json::json;

    /// The filters a source holds (recursing into wrapped sources).
    fn filters_of(source: &'static str) -> Vec<&'static str> {
        let (kind, argument) = source.split_once(':').unwrap_or((source, ""));
        let query_filter = |query: &'static str| query.rsplit_once('|').map(|(f, _)| f);
        match kind {
            "q" | "q6" | "mq" => query_filter(argument).into_iter().collect(),
            "days" => argument
                .split_once(':')
                .and_then(|(_, query)| query_filter(query))
                .into_iter()
                .collect(),
            "mw" => argument
                .splitn(3, ':')
                .nth(2)
                .and_then(query_filter)
                .into_iter()
                .collect(),
            "mratio" | "mdiff" => {
                let pair = if kind == "mratio" {
                    argument.splitn(3, ':').nth(2)
                } else {
                    argument.split_once(':').map(|(_, pair)| pair)
                };
                pair.map(|pair| pair.split(';').filter_map(query_filter).collect())
                    .unwrap_or_default()
            }
            "at_least" => argument
                .split_once(':')
                .map(|(_, inner)| filters_of(inner))
                .unwrap_or_default(),
            "odcc" => filters_of(argument),
            "behaviour" => match argument.split_once(':') {
                Some(("per_day_count" | "per_day_sum", filter)) => vec![filter],
                _ => Vec::new(),
            },
            _ => Vec::new(),
        }
    }

    #[test]
    fn every_source_is_well_formed() {
        const KINDS: &[&str] = &[
            "identity",
            "month_label",
            "m",
            "m_ratio",
            "mq",
            "q",
            "q6",
            "flag",
            "months_with",
            "months_with_in",
            "months_without_in",
            "share",
            "ratio_sum",
            "perc_sum",
            "months_without",
            "months_with_lt",
            "range6_11",
            "range",
            "days",
            "eod_days",
            "pctl",
            "special",
            "mw",
            "mratio",
            "mdiff",
            "at_least",
            "all_months_at_least",
            "odcc",
            "eodm",
            "eodfull",
            "salary",
            "behaviour",
            "sum",
            "avg",
            "max",
            "min",
            "any",
        ];
        let rows = tables::rows("predictors", tables::PREDICTORS_TSV, 2).expect("table");
        assert_eq!(rows.len(), 2172, "874 keys, _N keys expanded for 12 months");
        let account = AccountInput::default();
        for (line, fields) in rows {
            let source = fields[1];
            let kind = source.split(':').next().unwrap_or("");
            let windowed = kind.trim_end_matches(|c: char| c.is_ascii_digit());
            assert!(
                KINDS.contains(&kind) || KINDS.contains(&windowed),
                "line {line}: unknown source {source}"
            );
            assert_ne!(
                source, "unsupported",
                "line {line}: {} undefined",
                fields[0]
            );
            for filter in filters_of(source) {
                assert!(
                    monthly::filter_rows(&[], &account, filter).is_ok(),
                    "line {line}: bad filter {filter:?}"
                );
            }
        }
    }

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

    /// Last statement day 2025-08-31; credits aged 0 (none), 11, 47 and 82 days.
    fn window_predictors() -> Predictors {
        let input = AccountInput::from_transactions(vec![
            txn("2025-06-10", "credit", 20000, 20000, "NEFT ACME TRADERS"),
            txn("2025-07-15", "credit", 4000, 24000, "UPI/RAVI KUMAR"),
            txn("2025-08-05", "debit", 50, 23950, "ATW-ATM"),
            txn("2025-08-20", "credit", 12000, 35950, "NEFT ACME TRADERS"),
            txn("2025-08-31", "debit", 950, 35000, "ATW-ATM"),
        ]);
        enrich(&input, &EnrichmentContext::default()).predictors
    }

    #[test]
    fn day_windows_count_back_from_the_last_statement_day() {
        let p = window_predictors();
        let get = |key: &str| p.get(key).cloned();
        assert_eq!(get("amt_credit_last_30_days"), Some(json!(12000.0)));
        assert_eq!(get("cnt_credit_last_30_days"), Some(json!(1)));
        assert_eq!(get("avg_amt_credit_last_30_days"), Some(json!(12000.0)));
        assert_eq!(get("amt_credit_last_30_days_lt_10k"), Some(json!(0.0)));
        assert_eq!(get("max_amt_credit_last_30_days_lt_10k"), Some(json!(0.0)));
        assert_eq!(get("cnt_credit_last_31_60_days_lt_10k"), Some(json!(1)));
        assert_eq!(get("amt_credit_last_31_60_days_lt_5k"), Some(json!(4000.0)));
        assert_eq!(get("max_amt_credit_last_61_90_days"), Some(json!(20000.0)));
        assert_eq!(get("amt_credit_last_61_90_days_lt_10k"), Some(json!(0.0)));
        assert_eq!(get("amt_credit_last_91_120_days_lt_10k"), Some(json!(0.0)));
        assert_eq!(get("cnt_loan_credit_c15"), Some(json!(0)));
        // Business credits need a corporate account.
        assert_eq!(get("amt_business_credit_c90"), Some(json!(0.0)));
    }

    #[test]
    fn eod_day_windows() {
        let p = window_predictors();
        // Aug 2-4 at 24000, Aug 5-19 at 23950, Aug 20-30 at 35950, Aug 31 at 35000.
        assert_eq!(p.get("avg_eod_bal_c30"), Some(&json!(28723.33)));
        assert_eq!(p.get("median_eod_balance_c30"), Some(&json!(23975.0)));
        assert_eq!(p.get("cnt_eod_bal_less_than_500_c30"), Some(&json!(0)));
        // Jun 10 - Aug 31 is 83 days, all above 5000; Aug 20-31 above 25000.
        assert_eq!(p.get("cnt_days_eod_bal_gt_5000"), Some(&json!(83)));
        assert_eq!(p.get("cnt_days_eod_bal_gt_25000"), Some(&json!(12)));
    }

    #[test]
    fn nearest_rank_percentiles_over_six_months() {
        let p = window_predictors();
        // Debits above 100: [950]; credits above 100: [4000, 12000, 20000].
        assert_eq!(
            p.get("percentile10_6months_gt100_debit"),
            Some(&json!(950.0))
        );
        assert_eq!(
            p.get("percentile10_6months_gt100_credit"),
            Some(&json!(4000.0))
        );
        assert_eq!(
            p.get("percentile60_6months_gt100_credit"),
            Some(&json!(12000.0))
        );
        assert_eq!(
            p.get("percentile70_6months_gt100_credit"),
            Some(&json!(20000.0))
        );
        assert_eq!(
            p.get("percentile100_6months_gt100_credit"),
            Some(&json!(20000.0))
        );
    }

    #[test]
    fn month_windows_over_monthly_metrics() {
        let p = window_predictors();
        assert_eq!(p.get("credit_cnt_last6months"), Some(&json!(3)));
        assert_eq!(p.get("debit_cnt_last6months"), Some(&json!(2)));
        assert_eq!(
            p.get("min_credit_cnt_per_month_last3months"),
            Some(&json!(1))
        );
        assert_eq!(
            p.get("min_debit_cnt_per_month_last6months"),
            Some(&json!(0))
        );
        assert_eq!(p.get("avg_credit_amt_last_3months"), Some(&json!(12000.0)));
        assert_eq!(p.get("avg_cnt_debit_txn_2_months"), Some(&json!(1.0)));
        assert_eq!(p.get("max_debit_amt_last_12_months"), Some(&json!(950.0)));
        assert_eq!(p.get("cnt_business_credit_m3_to_m5"), Some(&json!(0)));
        // Jun-Aug all have rows: (1 + 1 + 3) / 3.
        let key = "avg_transaction_cnt_per_month_for_latest_consecutive_months";
        assert_eq!(p.get(key), Some(&json!(1.67)));
        // No EMI debits: the ratio has no denominator.
        let key = "ratio_of_avg_credit_amt_last_3month_to_emi_amt_debit_last_3_month";
        assert_eq!(p.get(key), Some(&Value::Null));
        assert!(!p
            .uncomputed
            .iter()
            .any(|key| key == "credit_cnt_last6months"));
        // Every key has a definition; identity the statement did not print stays null.
        assert!(p.uncomputed.is_empty());
        assert_eq!(p.get("phone_number"), Some(&Value::Null));
        assert_eq!(p.get("pan_number"), Some(&Value::Null));
    }

    /// Salary on Jun 1 and Jul 1; UPI debits 1000 (Dream11, Jun 3) and 3000
    /// (BigBasket, Jun 15); balance below 100 from Jul 20 to Aug 4; last day Aug 5.
    fn salary_and_upi_predictors(application_date: Option<chrono::NaiveDate>) -> Predictors {
        let input = AccountInput::from_transactions(vec![
            txn("2025-06-01", "credit", 30000, 30000, "SALARY JUN ACME CORP"),
            txn("2025-06-03", "debit", 1000, 29000, "UPI/DREAM11/123"),
            txn("2025-06-15", "debit", 3000, 26000, "UPI/BIGBASKET/456"),
            txn("2025-07-01", "credit", 30000, 56000, "SALARY JUL ACME CORP"),
            txn("2025-07-20", "debit", 55950, 50, "NEFT TO RENT"),
            txn("2025-08-05", "credit", 1000, 1050, "CASH DEPOSIT"),
        ]);
        let context = EnrichmentContext {
            application_date,
            ..EnrichmentContext::default()
        };
        enrich(&input, &context).predictors
    }

    #[test]
    fn salary_month_and_day_windows() {
        let p = salary_and_upi_predictors(chrono::NaiveDate::from_ymd_opt(2025, 8, 10));
        let get = |key: &str| p.get(key).cloned();
        assert_eq!(
            get("cnt_of_months_with_salary_credits_4months"),
            Some(json!(2))
        );
        assert_eq!(
            get("cnt_of_months_with_no_salary_credits_4months"),
            Some(json!(1))
        );
        assert_eq!(
            get("cnt_of_months_with_no_salary_credits_6months"),
            Some(json!(1))
        );
        assert_eq!(get("has_salary_in_last_3_months"), Some(json!(true)));
        assert_eq!(get("salary_present_in_recent_month"), Some(json!(false)));
        assert_eq!(get("amt_median_salary_c120"), Some(json!(30000.0)));
        assert_eq!(get("cnt_salary_through_upi_and_imps_c120"), Some(json!(0)));
        // Aug 10 - Jul 1.
        assert_eq!(
            get("days_since_latest_salary_from_application_date"),
            Some(json!(40))
        );
        let without_date = salary_and_upi_predictors(None);
        assert_eq!(
            without_date.get("days_since_latest_salary_from_application_date"),
            Some(&Value::Null)
        );
    }

    #[test]
    fn spend_shares_runs_and_gambling_windows() {
        let p = salary_and_upi_predictors(None);
        let get = |key: &str| p.get(key).cloned();
        let groceries = "ratio_amt_upi_spend_on_groceries_to_total_upi_debits";
        assert_eq!(get(groceries), Some(json!(0.75)));
        let entertainment = "ratio_amt_upi_spend_on_entertainment_to_total_upi_debits";
        assert_eq!(get(entertainment), Some(json!(0.0)));
        let first_days = "ratio_upi_amt_spent_in_first_10_days_to_total_upi_debits";
        assert_eq!(get(first_days), Some(json!(0.25)));
        // Comparisons containing '=' ("day<=10") parse as comparisons.
        assert_eq!(get("amt_upi_spent_in_first_10_days"), Some(json!(1000.0)));
        let last_days = "ratio_upi_amt_spent_in_last_10_days_to_total_upi_debits";
        assert_eq!(get(last_days), Some(json!(0.0)));
        // Last 10 days (21st on) hold no UPI spend.
        let first_to_last = "ratio_upi_amt_spent_in_first_10_days_to_amt_spent_in_last_10_days";
        assert_eq!(get(first_to_last), Some(Value::Null));
        // Jun 3 is 63 days before Aug 5.
        assert_eq!(
            get("max_debit_amt_of_gambling_inlast_61_90days"),
            Some(json!(1000.0))
        );
        assert_eq!(
            get("max_debit_amt_of_gambling_inlast_30days"),
            Some(json!(0.0))
        );
        // Jul 20 - Aug 4 at 50.
        assert_eq!(get("max_days_balance_lt_100"), Some(json!(16)));
        assert_eq!(get("perc_self_credit_to_total_credit"), Some(json!(0.0)));
        assert_eq!(
            get("ratio_cnt_chq_credit_to_total_credit_6_months"),
            Some(json!(0.0))
        );
        assert_eq!(
            get("cnt_turnover_txn_excluding_loan_and_self_credits"),
            Some(json!(3))
        );
        assert_eq!(get("min_monthly_credit_amt_6_months"), Some(json!(1000.0)));
        assert_eq!(
            get("avg_credit_transaction_count_6months"),
            Some(json!(1.0))
        );
    }

    fn sources() -> Vec<(&'static str, &'static str)> {
        tables::rows("predictors", tables::PREDICTORS_TSV, 2)
            .expect("predictor table parses")
            .into_iter()
            .map(|(_, fields)| (fields[0], fields[1]))
            .collect()
    }

    /// Every predictor whose value moves when every balance moves (openings -500,000 and
    /// +500,000 against 1,000) has a source declared to read balances.
    #[test]
    fn every_predictor_reading_balances_is_declared() {
        let predictors = |opening: i64| {
            enrich(&varied_account(opening), &EnrichmentContext::default()).predictors
        };
        let base = predictors(1_000);
        let sources = sources();
        let mut moved = 0;
        for opening in [-500_000, 500_000] {
            let other = predictors(opening);
            for ((key, before), (_, after)) in base.values.iter().zip(&other.values) {
                if before == after {
                    continue;
                }
                let source = sources
                    .iter()
                    .find(|(name, _)| name == key)
                    .map_or("", |(_, source)| *source);
                assert!(
                    source_reads_balances(source),
                    "{key} ({source}) moves with the balances but is not declared: {before} -> {after}"
                );
                moved += 1;
            }
        }
        assert!(moved >= 200, "{moved}");
    }

    /// July-August printed with balances, September-October from a statement that prints
    /// none: month-indexed balance figures are null for the last two months and as printed
    /// for the first two, averages over months are the known months', sums and counts over
    /// a span with an unknown month are null, the last 30 days (all unknown) have no EOD
    /// figure, and every predictor not declared to read balances is as if all were printed.
    #[test]
    fn predictors_use_the_months_whose_balances_are_known() {
        let account = crate::test_support::account_with_autumn_balances_unknown();
        let context = EnrichmentContext::default();
        let whole = enrich(&varied_account(1_000), &context);
        let mixed = enrich(&account, &context);
        let (all, some) = (&whole.predictors, &mixed.predictors);
        let get =
            |predictors: &Predictors, key: &str| predictors.get(key).cloned().unwrap_or_default();
        for (key, source) in sources() {
            let (before, after) = (get(all, key), get(some, key));
            if !source_reads_balances(source) {
                assert_eq!(after, before, "{key} ({source}) does not read balances");
                continue;
            }
            let kind = source.split(':').next().unwrap_or("");
            if kind == "m" {
                match month_index(key) {
                    Some(0 | 1) => assert_eq!(after, Value::Null, "{key} ({source})"),
                    _ => assert_eq!(after, before, "{key} ({source})"),
                }
            }
        }
        // ABB over July and August, the months with known balances.
        let avg_bal = |index: usize| whole.monthly.number("avg_bal", index).unwrap_or_default();
        let abb = ((avg_bal(0) + avg_bal(1)) / Decimal::TWO).round_dp(2);
        assert_eq!(get(some, "avg_bank_balance"), money(abb));
        assert_ne!(get(all, "avg_bank_balance"), money(abb));
        // A sum over months, one of which is unknown, would understate.
        assert_eq!(get(some, "total_of_avg_monthly_bal"), Value::Null);
        assert!(get(all, "total_of_avg_monthly_bal").is_number());
        // The last 30 days are all in October: no EOD figure of them.
        assert_eq!(get(some, "median_eod_balance_c30"), Value::Null);
        // The overdraft account was negative in July (known): certain.
        assert_eq!(get(some, "negative_balance"), json!(true));
    }
}
