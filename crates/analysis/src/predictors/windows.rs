//! Month-window sources: a filter evaluated per month and combined over a span of
//! month indices, end-of-day balances of a span of months or of the latest full
//! months, ratios and differences of two windows, and thresholds over any source.

use super::{adhoc, evaluate, latest_values, money, position, Inputs};
use crate::eod::{days_in_month, EodBalances};
use crate::monthly::{self, MetricValue, MonthlyAnalysis};
use rust_decimal::Decimal;
use serde_json::Value;

/// `FROM-TO` month indices (0 = latest), inclusive.
fn span(text: &str) -> Option<(usize, usize)> {
    let (from, to) = text.split_once('-')?;
    Some((from.parse().ok()?, to.parse().ok()?))
}

/// Positions in `monthly.months` (oldest first) of month indices FROM..=TO that exist,
/// oldest first.
fn positions(monthly: &MonthlyAnalysis, (from, to): (usize, usize)) -> Vec<usize> {
    let mut found: Vec<usize> = (from..=to).filter_map(|n| position(monthly, n)).collect();
    found.reverse();
    found
}

/// Combines per-month numbers: sum, min, max, avg (mean of the months) or median.
fn combine(numbers: &[Decimal], how: &str) -> Option<Decimal> {
    match how {
        "sum" => Some(numbers.iter().sum()),
        "min" => numbers.iter().min().copied(),
        "max" => numbers.iter().max().copied(),
        "avg" => monthly::mean(numbers),
        "median" => monthly::median(numbers),
        _ => None,
    }
}

/// Per-month values of `FILTER|AGGREGATE` for the month span, oldest first (a month whose
/// balances are unknown has none of an aggregate over balances).
fn window_numbers(span_text: &str, query: &'static str, inputs: &Inputs) -> Option<Vec<Decimal>> {
    let per_month = adhoc(query, inputs)?;
    let numbers = positions(inputs.monthly, span(span_text)?)
        .into_iter()
        .filter_map(|index| per_month.get(index).and_then(MetricValue::as_decimal))
        .collect();
    Some(numbers)
}

/// The query's aggregate reads balances and some month of the span has them unknown: a
/// sum over the span would understate.
fn balances_missing_in_span(span_text: &str, query: &str, inputs: &Inputs) -> bool {
    let aggregate = query
        .rsplit_once('|')
        .map_or("", |(_, aggregate)| aggregate);
    monthly::aggregate_reads_balances(aggregate)
        && span(span_text).is_some_and(|range| {
            positions(inputs.monthly, range)
                .into_iter()
                .any(|index| !inputs.monthly.month_balances_known(index))
        })
}

fn number_json(value: Decimal, integral: bool) -> Value {
    if integral {
        Value::from(value.trunc().to_string().parse::<i64>().unwrap_or(0))
    } else {
        money(value.round_dp(2))
    }
}

/// `mw:FROM-TO:COMBINE:FILTER|AGGREGATE`: the filter's monthly aggregate over month
/// indices FROM..=TO, combined with sum|min|max|avg|median. Counts stay integers.
/// Months outside the data are skipped; an empty span gives 0.
pub(super) fn month_window(argument: &'static str, inputs: &Inputs) -> Value {
    let mut parts = argument.splitn(3, ':');
    let (Some(span_text), Some(how), Some(query)) = (parts.next(), parts.next(), parts.next())
    else {
        return Value::Null;
    };
    let Some(numbers) = window_numbers(span_text, query, inputs) else {
        return Value::Null;
    };
    // min|max|avg|median are the known months'; a sum is not, nor is nothing a zero.
    if balances_missing_in_span(span_text, query, inputs) && (how == "sum" || numbers.is_empty()) {
        return Value::Null;
    }
    let integral = query.ends_with("|count") && matches!(how, "sum" | "min" | "max");
    let combined = if numbers.is_empty() {
        Some(Decimal::ZERO)
    } else {
        combine(&numbers, how)
    };
    combined.map_or(Value::Null, |value| number_json(value, integral))
}

/// Sum of one `FILTER|AGGREGATE` over a month span (None when it reads balances some
/// month of the span does not know).
fn window_sum(span_text: &str, query: &'static str, inputs: &Inputs) -> Option<Decimal> {
    if balances_missing_in_span(span_text, query, inputs) {
        return None;
    }
    Some(window_numbers(span_text, query, inputs)?.iter().sum())
}

/// `mratio:FROM-TO:SCALE:A;B`: sum over the span of query A divided by that of query B
/// (each `FILTER|AGGREGATE`), times SCALE, 2 places; 0 when B sums to zero, as the
/// BankConnect sample reports ratios of absent activity.
pub(super) fn month_ratio(argument: &'static str, inputs: &Inputs) -> Value {
    let mut parts = argument.splitn(3, ':');
    let (Some(span_text), Some(scale), Some(pair)) = (parts.next(), parts.next(), parts.next())
    else {
        return Value::Null;
    };
    let (Some((top, bottom)), Ok(scale)) = (pair.split_once(';'), scale.parse::<Decimal>()) else {
        return Value::Null;
    };
    match (
        window_sum(span_text, top, inputs),
        window_sum(span_text, bottom, inputs),
    ) {
        (Some(_), Some(bottom)) if bottom.is_zero() => money(Decimal::ZERO),
        (Some(top), Some(bottom)) => money((top * scale / bottom).round_dp(2)),
        _ => Value::Null,
    }
}

/// `mdiff:FROM-TO:A;B`: sum over the span of query A minus that of query B.
pub(super) fn month_difference(argument: &'static str, inputs: &Inputs) -> Value {
    let Some((span_text, pair)) = argument.split_once(':') else {
        return Value::Null;
    };
    let Some((top, bottom)) = pair.split_once(';') else {
        return Value::Null;
    };
    match (
        window_sum(span_text, top, inputs),
        window_sum(span_text, bottom, inputs),
    ) {
        (Some(top), Some(bottom)) => money((top - bottom).round_dp(2)),
        _ => Value::Null,
    }
}

/// `at_least:N:SOURCE`: whether the number SOURCE yields is at least N (false when null).
pub(super) fn at_least(key: &str, argument: &'static str, inputs: &Inputs) -> Value {
    let Some((bound, source)) = argument.split_once(':') else {
        return Value::Null;
    };
    let Ok(bound) = bound.parse::<f64>() else {
        return Value::Null;
    };
    let value = evaluate(key, source, inputs);
    Value::from(value.as_f64().is_some_and(|number| number >= bound))
}

/// `all_months_at_least:METRIC:N`: every month of the statement has METRIC >= N.
pub(super) fn all_months_at_least(argument: &str, monthly: &MonthlyAnalysis) -> Value {
    let Some((metric, bound)) = argument.split_once(':') else {
        return Value::Null;
    };
    let Ok(bound) = bound.parse::<Decimal>() else {
        return Value::Null;
    };
    let every_month: Vec<usize> = (0..monthly.months.len()).collect();
    if super::balances_missing_in(monthly, metric, &every_month) {
        return Value::Null;
    }
    let values = latest_values(monthly, metric, monthly.months.len());
    Value::from(!values.is_empty() && values.iter().all(|value| *value >= bound))
}

/// `odcc:SOURCE`: SOURCE for overdraft and cash-credit accounts (an OD limit was read);
/// zero of the same kind for other accounts, whose balances never draw on a limit.
pub(super) fn overdraft_only(key: &str, argument: &'static str, inputs: &Inputs) -> Value {
    let value = evaluate(key, argument, inputs);
    let has_limit = inputs
        .account
        .od_limit
        .is_some_and(|limit| limit > Decimal::ZERO);
    match value {
        _ if has_limit => value,
        Value::Number(number) if number.is_i64() => Value::from(0),
        Value::Bool(_) => Value::from(false),
        _ => money(Decimal::ZERO),
    }
}

/// End-of-day balances of the months at `positions` (oldest first), in date order.
fn balances_of(eod: &EodBalances, monthly: &MonthlyAnalysis, positions: &[usize]) -> Vec<Decimal> {
    positions
        .iter()
        .filter_map(|&index| monthly.months.get(index))
        .filter_map(|&(year, month)| eod.month(year, month))
        .flat_map(|days| days.in_range())
        .collect()
}

/// `eodm:FROM-TO:AGGREGATE`: end-of-day balances of the days in month indices FROM..=TO.
pub(super) fn eod_months(argument: &str, inputs: &Inputs) -> Value {
    let Some((span_text, aggregate)) = argument.split_once(':') else {
        return Value::Null;
    };
    let Some(range) = span(span_text) else {
        return Value::Null;
    };
    let chosen = positions(inputs.monthly, range);
    let balances = balances_of(inputs.eod, inputs.monthly, &chosen);
    let some_unknown = chosen
        .iter()
        .filter_map(|&index| inputs.monthly.months.get(index))
        .filter_map(|&(year, month)| inputs.eod.month(year, month))
        .any(|days| days.has_unknown());
    super::aggregate_balances(&balances, aggregate, some_unknown)
}

/// Positions of the latest `count` full months: the last month is left out when the
/// statement stops before its end (a part month understates its average balance).
fn full_month_positions(monthly: &MonthlyAnalysis, eod: &EodBalances, count: usize) -> Vec<usize> {
    let last_is_partial = match (monthly.months.last(), eod.last_day) {
        (Some(&(year, month)), Some(last_day)) => {
            use chrono::Datelike;
            (last_day.year(), last_day.month()) == (year, month)
                && last_day.day() < days_in_month(year, month)
        }
        _ => false,
    };
    let skip = usize::from(last_is_partial);
    positions(monthly, (skip, skip + count.saturating_sub(1)))
}

/// `eodfull:N:AGGREGATE`: balances of the latest N full months. AGGREGATE is `avg` or
/// `median` (over every day), `median_of_medians` (of each month's median day),
/// `median_on:D,D,..` (the balances on those days of each month) or `median_on_last:D,..`
/// (those days and each month's last day).
pub(super) fn eod_full_months(argument: &str, inputs: &Inputs) -> Value {
    let Some((count, aggregate)) = argument.split_once(':') else {
        return Value::Null;
    };
    let Ok(count) = count.parse::<usize>() else {
        return Value::Null;
    };
    let (eod, monthly) = (inputs.eod, inputs.monthly);
    let chosen = full_month_positions(monthly, eod, count);
    let months: Vec<_> = chosen
        .iter()
        .filter_map(|&index| monthly.months.get(index))
        .filter_map(|&(year, month)| eod.month(year, month))
        .collect();
    let (name, days) = aggregate.split_once(':').unwrap_or((aggregate, ""));
    let listed: Vec<u32> = days.split(',').filter_map(|d| d.parse().ok()).collect();
    let values: Vec<Decimal> = match name {
        "avg" | "median" => months.iter().flat_map(|m| m.in_range()).collect(),
        "median_of_medians" => months
            .iter()
            .filter_map(|m| monthly::median(&m.in_range().collect::<Vec<_>>()))
            .collect(),
        "median_on" | "median_on_last" => months
            .iter()
            .flat_map(|m| {
                let last = (name == "median_on_last")
                    .then(|| m.days.iter().rev().find_map(|day| *day))
                    .flatten();
                listed.iter().filter_map(|&day| m.on(day)).chain(last)
            })
            .collect(),
        _ => return Value::Null,
    };
    let result = if name == "avg" {
        monthly::mean(&values)
    } else {
        monthly::median(&values)
    };
    result.map_or(Value::Null, |value| money(value.round_dp(2)))
}

#[cfg(test)]
mod tests {
    use crate::predictors::Predictors;
    use crate::test_support::txn;
    use crate::{enrich, AccountInput, EnrichmentContext};
    use serde_json::json;

    /// EOD: Aug 11-19 1000, Aug 20-31 100 | Sep 1-9 100, Sep 10-24 5100, Sep 25-30 50 |
    /// Oct 1-4 50, Oct 5-31 250 | Nov 1-2 250, Nov 3 150 (the statement stops mid-November).
    fn balances() -> Predictors {
        let input = AccountInput::from_transactions(vec![
            txn("2025-08-11", "credit", 1000, 1000, "NEFT ACME TRADERS"),
            txn("2025-08-20", "debit", 900, 100, "ATW-ATM"),
            txn("2025-09-10", "credit", 5000, 5100, "NEFT ACME TRADERS"),
            txn("2025-09-25", "debit", 5050, 50, "ATW-ATM"),
            txn("2025-10-05", "credit", 200, 250, "NEFT ACME TRADERS"),
            txn("2025-11-03", "debit", 100, 150, "ATW-ATM"),
        ]);
        enrich(&input, &EnrichmentContext::default()).predictors
    }

    #[test]
    fn full_months_leave_out_a_part_last_month() {
        let p = balances();
        // (9*1000 + 12*100 + 9*100 + 15*5100 + 6*50 + 4*50 + 27*250) / 82 days.
        assert_eq!(p.get("avg_abb_3fullmonths"), Some(&json!(1156.71)));
        assert_eq!(p.get("avg_abb_12fullmonths"), Some(&json!(1156.71)));
        // Days 5,10,15,20,25 of Aug (15-25 only), Sep and Oct: 13 values, median 250.
        assert_eq!(
            p.get("median_abb_5_10_15_20_25_6months"),
            Some(&json!(250.0))
        );
        assert_eq!(
            p.get("median_abb_5_10_15_20_25_lastday_6months"),
            Some(&json!(250.0))
        );
        // Month medians 100, 2600, 250.
        assert_eq!(p.get("median_median_abb_6months"), Some(&json!(250.0)));
        // 82 days: 10 at 50, 30 at 100 ... the 41st and 42nd are 250.
        assert_eq!(p.get("median_abb_6months"), Some(&json!(250.0)));
    }

    #[test]
    fn eod_month_spans() {
        let p = balances();
        // Sep-Nov: 10 at 50, 9 at 100, 1 at 150, 29 at 250, 15 at 5100.
        assert_eq!(p.get("median_eod_bal_3_month"), Some(&json!(250.0)));
        // August alone: 9 at 1000, 12 at 100.
        assert_eq!(p.get("median_eod_bal_3month_6month"), Some(&json!(100.0)));
        // Sep 25 - Oct 4 below 100.
        assert_eq!(p.get("max_days_eod_bal_lt_100_last_6m"), Some(&json!(10)));
        assert_eq!(p.get("cnt_negative_balance_last_6_month"), Some(&json!(0)));
        // Loan-free months: the adjusted average is the plain one (Nov: 650 / 3).
        assert_eq!(
            p.get("avg_balance_without_loan_credit_adjusted_0"),
            Some(&json!(216.67))
        );
        assert_eq!(
            p.get("avg_balance_without_loan_credit_adjusted_4"),
            Some(&json!(null))
        );
        // Not an overdraft account.
        assert_eq!(p.get("cnt_days_cc_od_eod_bal_gt_25000"), Some(&json!(0)));
        assert_eq!(p.get("avg_cc_od_balance_last12months"), Some(&json!(0.0)));
    }

    /// A current account of a business: NEFT credits from customers (business credits)
    /// and vendor payments, with one cheque credit.
    fn business() -> Predictors {
        let mut rows = Vec::new();
        let mut balance = 0;
        for (month, credit, debit) in [(6, 40000, 30000), (7, 60000, 50000), (8, 30000, 20000)] {
            balance += credit;
            rows.push(txn(
                &format!("2025-{month:02}-05"),
                "credit",
                credit,
                balance,
                "NEFT/ACME TRADERS/INV",
            ));
            balance -= debit;
            rows.push(txn(
                &format!("2025-{month:02}-20"),
                "debit",
                debit,
                balance,
                "NEFT/SHREE SUPPLIERS/PAY",
            ));
        }
        balance += 5000;
        rows.push(txn(
            "2025-08-25",
            "credit",
            5000,
            balance,
            "CHQ DEP 000123 RAVI",
        ));
        let mut input = AccountInput::from_transactions(rows);
        input.account_category = Some("corporate".into());
        enrich(&input, &EnrichmentContext::default()).predictors
    }

    #[test]
    fn month_windows_ratios_and_differences() {
        let p = business();
        assert_eq!(
            p.get("turnover_excluding_non_business_and_loan_credits_last_3_months"),
            Some(&json!(135000.0))
        );
        assert_eq!(
            p.get("cnt_business_credit_in_month_m1_to_m6"),
            Some(&json!(2))
        );
        assert_eq!(
            p.get("median_business_credit_6months"),
            Some(&json!(40000.0))
        );
        assert_eq!(
            p.get("atleast_12_business_credit_6month"),
            Some(&json!(false))
        );
        assert_eq!(p.get("has_min_3_credits_each_month"), Some(&json!(false)));
        // One cheque credit of four credits.
        assert_eq!(
            p.get("ratio_cnt_chq_credit_to_total_credit_wo_bounce_6_months"),
            Some(&json!(0.25))
        );
        assert_eq!(
            p.get("non_business_and_loan_credits_last_3_months"),
            Some(&json!(0.0))
        );
        assert_eq!(p.get("total_cnt_business_debit"), Some(&json!(3)));
        assert_eq!(
            p.get("gambling_percentage_to_business_credit"),
            Some(&json!(0.0))
        );
        assert_eq!(
            p.get("cnt_month_business_credits_except_intrest_eq_0"),
            Some(&json!(0))
        );
    }
}
