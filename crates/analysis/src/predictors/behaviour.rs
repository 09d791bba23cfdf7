//! Behavioural and business predictors (`behaviour:NAME[:ARG]`): payment-rail limit
//! breaches, cash against salary and balance, business-credit trends, obligations,
//! balance persistence and loan-adjusted average balances.

use super::{latest_values, money, month_index, position, Inputs};
use crate::monthly::{self, MonthlyAnalysis};
use crate::output::mode_name;
use crate::tables;
use crate::EnrichedTransaction;
use chrono::{Datelike, NaiveDate};
use ledgerlens_statement::model::TransactionType;
use rust_decimal::Decimal;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::OnceLock;

/// Amount at or above which a transaction counts as a round figure.
const ROUND_FIGURE_UNIT: i64 = 1_000;
/// Monthly EMI outgo above which the obligation flag is raised.
const HIGH_OBLIGATION: i64 = 25_000;
/// A month's credits this far (as a share of the median month) from the median is a
/// high-variance month.
const HIGH_VARIANCE_SHARE_PERCENT: i64 = 50;
/// A business account without any credit for this many days is flagged.
const BUSINESS_CREDIT_GAP_DAYS: i64 = 15;

/// The computations below that read balances: the EOD series, or a monthly metric computed
/// from it (`serve_interest`, `months_over_limit_twice`). Checked by the test
/// `every_predictor_reading_balances_is_declared`.
const BALANCE_READERS: &[&str] = &[
    "cash_over_average_balance",
    "negative_eod_non_business",
    "persistent_negative",
    "min_eod_below_twice_each",
    "months_over_limit_twice",
    "serve_interest",
    "abb_vs_business_credit",
    "loan_adjusted_abb_month",
    "loan_adjusted_abb_days",
];

/// Whether `behaviour:ARGUMENT` reads balances.
pub(super) fn reads_balances(argument: &str) -> bool {
    let name = argument.split(':').next().unwrap_or(argument);
    BALANCE_READERS.contains(&name)
}

pub(super) fn evaluate(key: &str, argument: &'static str, inputs: &Inputs) -> Value {
    let (name, parameter) = argument.split_once(':').unwrap_or((argument, ""));
    let number = parameter.parse::<usize>().ok();
    let monthly = inputs.monthly;
    match name {
        "limit_breach_txn" => Value::from(limit_breach(inputs.transactions, parameter, false)),
        "limit_breach_day" => Value::from(limit_breach(inputs.transactions, parameter, true)),
        "cash_over_salary" => {
            let salary: Decimal = sum_where(inputs.transactions, |txn| txn.is_salary);
            Value::from(cash_deposits(inputs.transactions) > salary.max(Decimal::ZERO))
        }
        "cash_over_average_balance" => {
            let balances: Vec<Decimal> = inputs
                .eod
                .months
                .iter()
                .flat_map(|m| m.in_range())
                .collect();
            // The average over the days whose balance is known.
            let Some(average) = monthly::mean(&balances) else {
                return Value::Null;
            };
            let cash = cash_deposits(inputs.transactions);
            Value::from(cash > Decimal::ZERO && cash > average)
        }
        "cash_majority" => {
            let cash = inputs
                .transactions
                .iter()
                .filter(|txn| is_cash(txn))
                .count();
            Value::from(cash * 2 > inputs.transactions.len())
        }
        "round_figure_majority" => {
            let unit = Decimal::from(ROUND_FIGURE_UNIT);
            let round = inputs
                .transactions
                .iter()
                .filter(|txn| {
                    let amount = txn.transaction.amount;
                    amount >= unit && (amount % unit).is_zero()
                })
                .count();
            Value::from(i64::from(round * 2 > inputs.transactions.len()))
        }
        "annualised" => annualised(monthly, "amt_business_credit", number),
        "avg_monthly_net" => {
            let count = number.unwrap_or(monthly.months.len());
            let credits = latest_values(monthly, "amt_credit", count);
            let debits = latest_values(monthly, "amt_debit", count);
            let nets: Vec<Decimal> = credits.iter().zip(&debits).map(|(c, d)| c - d).collect();
            monthly::mean(&nets).map_or(Value::Null, |mean| money(mean.round_dp(2)))
        }
        "per_day_count" | "per_day_sum" => per_day(name == "per_day_count", parameter, inputs),
        "top_credits_mean" => top_credits_mean(parameter, inputs),
        "high_variance_months" => Value::from(high_variance_months(monthly)),
        "negative_eod_non_business" => {
            let negative = inputs
                .eod
                .months
                .iter()
                .flat_map(|m| m.in_range())
                .any(|balance| balance.is_sign_negative() && !balance.is_zero());
            // No known day negative says nothing of the unknown ones.
            if !is_corporate(inputs) && !negative && inputs.some_balance_unknown {
                return Value::Null;
            }
            Value::from(!is_corporate(inputs) && negative)
        }
        "business_credit_gap" => Value::from(is_corporate(inputs) && credit_gap(inputs)),
        "persistent_negative" => {
            let window = number.unwrap_or(6);
            if recent_months_unknown(inputs, window) {
                return Value::Null;
            }
            Value::from(persistent_negative(inputs, window))
        }
        "min_eod_below_twice_each" => min_eod_below_twice_each(inputs, parameter),
        "emi_obligation_high" => {
            let average = average_monthly(monthly, "amt_emi_debit", 3);
            Value::from(i64::from(average > Decimal::from(HIGH_OBLIGATION)))
        }
        "emi_to_income" => {
            let emi = average_monthly(monthly, "amt_emi_debit", 6);
            let income = average_monthly(monthly, "amt_income_credit", 6);
            if income.is_zero() {
                money(Decimal::ZERO)
            } else {
                money((emi / income).round_dp(2))
            }
        }
        "business_credit_trend" => Value::from(trend(monthly, "amt_business_credit", 3)),
        "business_credit_drop" => Value::from(i64::from(dropped(monthly, "amt_business_credit"))),
        "emi_bounce_recency" => Value::from(emi_bounce_recency(inputs)),
        "avg_debit_count_at_least" => {
            let average = average_monthly(monthly, "cnt_debit", 6);
            let bound = Decimal::from(number.unwrap_or(0) as i64);
            Value::from(i64::from(!monthly.months.is_empty() && average >= bound))
        }
        "months_over_limit_twice" => {
            if recent_months_unknown(inputs, 6) {
                return Value::Null;
            }
            let count = latest_values(monthly, "number_of_days_cc_limit_breached", 6)
                .iter()
                .filter(|days| **days >= Decimal::TWO)
                .count();
            Value::from(count as i64)
        }
        "serve_interest" => serve_interest(monthly, parameter),
        "abb_vs_business_credit" => {
            let count = number.unwrap_or(6);
            let balances: Vec<Decimal> = recent_month_balances(inputs, count)
                .into_iter()
                .flatten()
                .collect();
            // The average over the days whose balance is known.
            let Some(abb) = monthly::mean(&balances) else {
                return Value::Null;
            };
            let business = average_monthly(monthly, "amt_business_credit", count);
            if business.is_zero() {
                money(Decimal::ZERO)
            } else {
                money((abb / business).round_dp(2))
            }
        }
        "loan_adjusted_abb_month" => month_index(key)
            .and_then(|n| position(monthly, n))
            .and_then(|index| monthly.months.get(index))
            .and_then(|&(year, month)| loan_adjusted_month_average(inputs, year, month))
            .map_or(Value::Null, |average| money(average.round_dp(2))),
        "loan_adjusted_abb_days" => {
            loan_adjusted_recent_average(inputs, number.unwrap_or(90) as i64)
                .map_or(Value::Null, |average| money(average.round_dp(2)))
        }
        "estimated_emi_for_latest_loan" => estimated_emi(inputs.transactions),
        _ => Value::Null,
    }
}

fn is_corporate(inputs: &Inputs) -> bool {
    inputs.account.account_category.as_deref() == Some("corporate")
}

fn is_cash(txn: &EnrichedTransaction) -> bool {
    matches!(
        txn.transaction_channel.as_str(),
        "cash_deposit" | "cash_withdrawl"
    )
}

fn is_loan_credit(txn: &EnrichedTransaction) -> bool {
    txn.transaction.transaction_type == TransactionType::Credit
        && txn.description == "lender_transaction"
}

fn sum_where(
    transactions: &[EnrichedTransaction],
    keep: impl Fn(&EnrichedTransaction) -> bool,
) -> Decimal {
    transactions
        .iter()
        .filter(|txn| keep(txn))
        .map(|txn| txn.transaction.amount)
        .sum()
}

fn cash_deposits(transactions: &[EnrichedTransaction]) -> Decimal {
    sum_where(transactions, |txn| {
        txn.transaction_channel == "cash_deposit"
    })
}

/// Mean of a monthly metric over the latest `count` months (0 without data).
fn average_monthly(monthly: &MonthlyAnalysis, metric: &str, count: usize) -> Decimal {
    monthly::mean(&latest_values(monthly, metric, count)).unwrap_or(Decimal::ZERO)
}

struct RailLimit {
    per_txn: Decimal,
    per_day: Decimal,
    higher: Decimal,
    higher_categories: Vec<&'static str>,
}

fn rail_limits() -> &'static HashMap<&'static str, RailLimit> {
    static LIMITS: OnceLock<HashMap<&'static str, RailLimit>> = OnceLock::new();
    LIMITS.get_or_init(|| {
        let amount = |text: &str| text.parse::<Decimal>().unwrap_or(Decimal::MAX);
        tables::rows("payment_limits", tables::PAYMENT_LIMITS_TSV, 5)
            .unwrap_or_default()
            .into_iter()
            .map(|(_, fields)| {
                let limit = RailLimit {
                    per_txn: amount(fields[1]),
                    per_day: amount(fields[2]),
                    higher: amount(fields[3]),
                    higher_categories: fields[4].split(',').filter(|c| *c != "-").collect(),
                };
                (fields[0], limit)
            })
            .collect()
    })
}

/// A transfer on rail `mode` above what the rail allows: one transfer above the
/// per-transaction limit, or (per_day) one day's transfers in one direction above the
/// daily limit. Transfers to higher-limit merchant categories are held to the higher limit.
fn limit_breach(transactions: &[EnrichedTransaction], mode: &str, per_day: bool) -> bool {
    let Some(limit) = rail_limits().get(mode) else {
        return false;
    };
    let allowed = |txn: &EnrichedTransaction, normal: Decimal| {
        if limit
            .higher_categories
            .contains(&txn.merchant_category.as_str())
        {
            limit.higher
        } else {
            normal
        }
    };
    let on_rail = transactions
        .iter()
        .filter(|txn| mode_name(txn.mode) == mode);
    if !per_day {
        return on_rail
            .clone()
            .any(|txn| txn.transaction.amount > allowed(txn, limit.per_txn));
    }
    let mut days: HashMap<(NaiveDate, bool), (Decimal, Decimal)> = HashMap::new();
    for txn in on_rail {
        let credit = txn.transaction.transaction_type == TransactionType::Credit;
        let entry = days
            .entry((txn.transaction.date.date(), credit))
            .or_default();
        if allowed(txn, limit.per_day) > limit.per_day {
            entry.1 += txn.transaction.amount;
        } else {
            entry.0 += txn.transaction.amount;
        }
    }
    days.values()
        .any(|(normal, higher)| *normal > limit.per_day || normal + higher > limit.higher)
}

/// Business credits annualised: over the latest N months scaled to 12 (N fixed, so a
/// short statement is not inflated), or with no N over every month of the statement.
fn annualised(monthly: &MonthlyAnalysis, metric: &str, window: Option<usize>) -> Value {
    let months = window.unwrap_or(monthly.months.len());
    if months == 0 {
        return money(Decimal::ZERO);
    }
    let total: Decimal = latest_values(monthly, metric, months).iter().sum();
    money((total * Decimal::from(12) / Decimal::from(months as i64)).round_dp(2))
}

/// `count|sum` per calendar day of the statement of the filter's rows (count rounded down).
fn per_day(count: bool, filter: &'static str, inputs: &Inputs) -> Value {
    let (Some(first), Some(last)) = (inputs.eod.first_day, inputs.eod.last_day) else {
        return Value::Null;
    };
    let days = Decimal::from((last - first).num_days() + 1);
    let Ok(rows) = inputs.month_views.filter_rows(filter) else {
        return Value::Null;
    };
    if count {
        let per_day = Decimal::from(rows.len() as i64) / days;
        return Value::from(per_day.trunc().to_string().parse::<i64>().unwrap_or(0));
    }
    let total: Decimal = rows
        .iter()
        .map(|&index| inputs.transactions[index].transaction.amount)
        .sum();
    money((total / days).round_dp(2))
}

/// `N:MONTHS`: mean of the N largest credits of the latest MONTHS months, the holder's own
/// transfers left out.
fn top_credits_mean(parameter: &str, inputs: &Inputs) -> Value {
    let Some((top, months)) = parameter.split_once(':') else {
        return Value::Null;
    };
    let (Ok(top), Ok(months)) = (top.parse::<usize>(), months.parse::<usize>()) else {
        return Value::Null;
    };
    let all = &inputs.monthly.months;
    let Some(&first) = all.get(all.len().saturating_sub(months)) else {
        return Value::Null;
    };
    let mut amounts: Vec<Decimal> = inputs
        .transactions
        .iter()
        .filter(|txn| txn.transaction.transaction_type == TransactionType::Credit)
        .filter(|txn| txn.transaction_channel != "self_transfer")
        .filter(|txn| (txn.transaction.date.year(), txn.transaction.date.month()) >= first)
        .map(|txn| txn.transaction.amount)
        .collect();
    amounts.sort_unstable_by(|a, b| b.cmp(a));
    amounts.truncate(top);
    monthly::mean(&amounts).map_or(Value::Null, |mean| money(mean.round_dp(2)))
}

/// Months whose credits are more than half the median month's away from it.
fn high_variance_months(monthly: &MonthlyAnalysis) -> i64 {
    let credits = latest_values(monthly, "amt_credit", monthly.months.len());
    let Some(median) = monthly::median(&credits) else {
        return 0;
    };
    let tolerance = median * Decimal::new(HIGH_VARIANCE_SHARE_PERCENT, 2);
    credits
        .iter()
        .filter(|total| (**total - median).abs() > tolerance)
        .count() as i64
}

/// Some stretch of 15 days or more without a credit, from the first to the last statement day.
fn credit_gap(inputs: &Inputs) -> bool {
    let (Some(first), Some(last)) = (inputs.eod.first_day, inputs.eod.last_day) else {
        return false;
    };
    let mut previous = first;
    for txn in inputs
        .transactions
        .iter()
        .filter(|txn| txn.transaction.transaction_type == TransactionType::Credit)
    {
        let day = txn.transaction.date.date();
        if (day - previous).num_days() >= BUSINESS_CREDIT_GAP_DAYS {
            return true;
        }
        previous = previous.max(day);
    }
    (last - previous).num_days() >= BUSINESS_CREDIT_GAP_DAYS
}

/// Some of the latest `count` months has a balance unknown.
fn recent_months_unknown(inputs: &Inputs, count: usize) -> bool {
    let monthly = inputs.monthly;
    (0..count)
        .filter_map(|n| position(monthly, n))
        .any(|index| !monthly.month_balances_known(index))
}

/// End-of-day balances of the latest `count` months, one list per month, latest first.
fn recent_month_balances(inputs: &Inputs, count: usize) -> Vec<Vec<Decimal>> {
    let monthly = inputs.monthly;
    (0..count)
        .filter_map(|n| position(monthly, n))
        .filter_map(|index| monthly.months.get(index))
        .filter_map(|&(year, month)| inputs.eod.month(year, month))
        .map(|days| days.in_range().collect())
        .collect()
}

/// Negative at the end of more than half the days of each of the latest three months or
/// more, in a row, within the latest `window` months.
fn persistent_negative(inputs: &Inputs, window: usize) -> bool {
    let mut run = 0;
    for balances in recent_month_balances(inputs, window) {
        let negative = balances
            .iter()
            .filter(|b| b.is_sign_negative() && !b.is_zero());
        if negative.count() * 2 > balances.len() {
            run += 1;
            if run >= 3 {
                return true;
            }
        } else {
            run = 0;
        }
    }
    false
}

/// `AMOUNT:MONTHS`: the statement covers MONTHS months and each of them ended at least
/// two days below AMOUNT.
fn min_eod_below_twice_each(inputs: &Inputs, parameter: &str) -> Value {
    let Some((amount, months)) = parameter.split_once(':') else {
        return Value::Null;
    };
    let (Ok(amount), Ok(months)) = (amount.parse::<Decimal>(), months.parse::<usize>()) else {
        return Value::Null;
    };
    if recent_months_unknown(inputs, months) {
        return Value::Null;
    }
    let balances = recent_month_balances(inputs, months);
    Value::from(
        balances.len() == months
            && balances
                .iter()
                .all(|days| days.iter().filter(|b| **b < amount).count() >= 2),
    )
}

/// 1 when the metric rose month on month over the latest N months, -1 when it fell, 0 otherwise.
fn trend(monthly: &MonthlyAnalysis, metric: &str, count: usize) -> i64 {
    let mut values = latest_values(monthly, metric, count);
    if values.len() < count {
        return 0;
    }
    values.reverse();
    if values.windows(2).all(|pair| pair[1] > pair[0]) {
        1
    } else if values.windows(2).all(|pair| pair[1] < pair[0]) {
        -1
    } else {
        0
    }
}

/// The latest month's figure fell below half the previous month's.
fn dropped(monthly: &MonthlyAnalysis, metric: &str) -> bool {
    match latest_values(monthly, metric, 2).as_slice() {
        [latest, previous] => *previous > Decimal::ZERO && *latest * Decimal::TWO < *previous,
        _ => false,
    }
}

/// Months since the latest bounced EMI (1 = it bounced in the latest month); 0 when none.
fn emi_bounce_recency(inputs: &Inputs) -> i64 {
    let Some(&(last_year, last_month)) = inputs.monthly.months.last() else {
        return 0;
    };
    inputs
        .transactions
        .iter()
        .filter(|txn| {
            txn.transaction_channel == "auto_debit_payment_bounce"
                || txn.description == "ach_bounce_charge"
        })
        .map(|txn| txn.transaction.date)
        .max()
        .map_or(0, |date| {
            let months = (last_year - date.year()) * 12 + last_month as i32 - date.month() as i32;
            i64::from(months) + 1
        })
}

/// Days the interest debits of overdraft months kept the account overdrawn: sum, max or avg.
fn serve_interest(monthly: &MonthlyAnalysis, how: &str) -> Value {
    // A month whose balances are unknown has no figure: the maximum and mean are the known
    // months', a sum is not.
    let every_known = (0..monthly.months.len()).all(|index| monthly.month_balances_known(index));
    if how == "sum" && !every_known {
        return Value::Null;
    }
    let days: Vec<Decimal> = monthly
        .values("no_of_days_to_serve_cc_interest")
        .unwrap_or_default()
        .iter()
        .filter_map(|value| match value {
            crate::monthly::MetricValue::Text(text) => text.parse::<Decimal>().ok(),
            other => other.as_decimal(),
        })
        .collect();
    let result = match how {
        "sum" => Some(days.iter().sum()),
        "max" => days.iter().max().copied(),
        _ => monthly::mean(&days).map(|mean| mean.round_dp(2)),
    };
    let value = result.unwrap_or(Decimal::ZERO);
    if how == "avg" {
        money(value)
    } else {
        Value::from(value.trunc().to_string().parse::<i64>().unwrap_or(0))
    }
}

/// Daily balances of one month less the loan money received earlier that month: what the
/// account would have held without borrowing.
fn loan_adjusted_month_average(inputs: &Inputs, year: i32, month: u32) -> Option<Decimal> {
    // A month figure, like the monthly metrics: none for a month some of whose balances are
    // unknown.
    let days = inputs
        .eod
        .month(year, month)
        .filter(|days| !days.has_unknown())?;
    let loans = loan_credits(inputs.transactions);
    let adjusted: Vec<Decimal> = days
        .dated()
        .map(|(day, balance)| {
            let month_start = day.with_day(1).unwrap_or(day);
            balance - loans_between(&loans, month_start, day)
        })
        .collect();
    monthly::mean(&adjusted)
}

/// The same adjustment over the last `window` statement days (loans counted within the window).
fn loan_adjusted_recent_average(inputs: &Inputs, window: i64) -> Option<Decimal> {
    let end = inputs.eod.last_day?;
    let start = end - chrono::Duration::days(window - 1);
    let loans = loan_credits(inputs.transactions);
    let adjusted: Vec<Decimal> = inputs
        .eod
        .dated()
        .filter(|(day, _)| *day >= start && *day <= end)
        .map(|(day, balance)| balance - loans_between(&loans, start, day))
        .collect();
    monthly::mean(&adjusted)
}

/// (day, amount) of every loan credit, listed once so each day's adjustment need not
/// scan the whole statement.
fn loan_credits(transactions: &[EnrichedTransaction]) -> Vec<(NaiveDate, Decimal)> {
    transactions
        .iter()
        .filter(|txn| is_loan_credit(txn))
        .map(|txn| (txn.transaction.date.date(), txn.transaction.amount))
        .collect()
}

fn loans_between(loans: &[(NaiveDate, Decimal)], from: NaiveDate, to: NaiveDate) -> Decimal {
    loans
        .iter()
        .filter(|(day, _)| *day >= from && *day <= to)
        .map(|(_, amount)| amount)
        .sum()
}

/// Median of the lender debits after the latest loan credit: the instalment that loan
/// is being repaid with. 0 when no loan credit or no repayment follows it yet.
fn estimated_emi(transactions: &[EnrichedTransaction]) -> Value {
    let Some(latest_loan) = transactions
        .iter()
        .filter(|txn| is_loan_credit(txn))
        .map(|txn| txn.transaction.date)
        .max()
    else {
        return money(Decimal::ZERO);
    };
    let repayments: Vec<Decimal> = transactions
        .iter()
        .filter(|txn| {
            txn.transaction.transaction_type == TransactionType::Debit
                && txn.description == "lender_transaction"
                && txn.transaction.date > latest_loan
        })
        .map(|txn| txn.transaction.amount)
        .collect();
    money(
        monthly::median(&repayments)
            .unwrap_or(Decimal::ZERO)
            .round_dp(2),
    )
}

#[cfg(test)]
mod tests {
    use crate::predictors::Predictors;
    use crate::test_support::txn;
    use crate::{enrich, AccountInput, EnrichmentContext};
    use serde_json::{json, Value};

    fn predictors(rows: Vec<ledgerlens_statement::model::Transaction>) -> Predictors {
        enrich(
            &AccountInput::from_transactions(rows),
            &EnrichmentContext::default(),
        )
        .predictors
    }

    #[test]
    fn payment_rail_limits() {
        let single = predictors(vec![
            txn("2025-08-01", "credit", 200000, 200000, "NEFT ACME"),
            txn(
                "2025-08-02",
                "debit",
                150000,
                50000,
                "UPI/P2A/512345678901/RAVI KUMAR",
            ),
        ]);
        assert_eq!(single.get("upi_txn_limit_breach"), Some(&json!(true)));
        assert_eq!(single.get("upi_daily_limit_breach"), Some(&json!(true)));
        assert_eq!(single.get("imps_txn_limit_breach"), Some(&json!(false)));
        let split = predictors(vec![
            txn("2025-08-01", "credit", 200000, 200000, "NEFT ACME"),
            txn(
                "2025-08-02",
                "debit",
                60000,
                140000,
                "UPI/P2A/512345678901/RAVI KUMAR",
            ),
            txn(
                "2025-08-02",
                "debit",
                60000,
                80000,
                "UPI/P2A/512345678902/RAVI KUMAR",
            ),
            txn(
                "2025-08-03",
                "debit",
                60000,
                20000,
                "UPI/P2A/512345678903/RAVI KUMAR",
            ),
        ]);
        assert_eq!(split.get("upi_txn_limit_breach"), Some(&json!(false)));
        assert_eq!(split.get("upi_daily_limit_breach"), Some(&json!(true)));
    }

    #[test]
    fn cash_loans_and_obligations() {
        let p = predictors(vec![
            txn("2025-06-01", "credit", 20000, 20000, "CASH DEPOSIT"),
            txn(
                "2025-06-10",
                "credit",
                100000,
                120000,
                "NEFT BAJAJ FINANCE LOAN",
            ),
            txn(
                "2025-07-05",
                "debit",
                9000,
                111000,
                "ACH D- BAJAJ FINANCE EMI",
            ),
            txn(
                "2025-08-05",
                "debit",
                9000,
                102000,
                "ACH D- BAJAJ FINANCE EMI",
            ),
            txn("2025-08-06", "debit", 2000, 100000, "ATW-ATM"),
            txn("2025-08-07", "debit", 1000, 99000, "ATW-ATM"),
            txn("2025-08-08", "debit", 1000, 98000, "ATW-ATM"),
        ]);
        let get = |key: &str| p.get(key).cloned().unwrap_or(Value::Null);
        assert_eq!(get("more_cash_deposited_than_salary_amt"), json!(true));
        assert_eq!(
            get("estimated_emi_amount_for_latest_loan_credit"),
            json!(9000.0)
        );
        // 4 cash rows of 7: a majority.
        assert_eq!(
            get("number_of_cash_transaction_more_than_50_perc"),
            json!(true)
        );
        // June: 20000 for 9 days, then 120000 less the 100000 loan for 21 days.
        assert_eq!(
            get("avg_balance_without_loan_credit_adjusted_2"),
            json!(20000.0)
        );
        // EMI 9000 a month (Jun-Aug: 0, 9000, 9000) is not above 25000.
        assert_eq!(get("obligation_gt25k"), json!(0));
        assert_eq!(get("majority_round_figure_transactions"), json!(1));
        assert_eq!(get("emi_bounce_recency"), json!(0));
    }

    #[test]
    fn balance_persistence_and_upi_per_day() {
        let p = predictors(vec![
            txn(
                "2025-08-01",
                "credit",
                1000,
                1000,
                "UPI/P2A/512345678901/RAVI KUMAR",
            ),
            txn(
                "2025-08-05",
                "debit",
                300,
                700,
                "UPI/P2M/512345678902/SWIGGY",
            ),
            txn(
                "2025-08-10",
                "debit",
                300,
                400,
                "UPI/P2M/512345678903/SWIGGY",
            ),
        ]);
        let get = |key: &str| p.get(key).cloned().unwrap_or(Value::Null);
        // Ten statement days: 2 UPI debits (600) and 1 UPI credit (1000).
        assert_eq!(get("avg_cnt_upi_debit_txn_in_a_day"), json!(0));
        assert_eq!(get("avg_amt_upi_debit_txn_in_a_day"), json!(60.0));
        assert_eq!(get("avg_amt_upi_credit_txn_in_a_day"), json!(100.0));
        assert_eq!(get("avg_upi_txn"), json!(533.33));
        // One month of data: "each of six months" cannot hold.
        assert_eq!(get("min_bal_lt1000_twice_each_6months"), json!(false));
        assert_eq!(get("persistent_negative_balance_last6months"), json!(false));
        assert_eq!(get("debit_cnt_6month_gte5"), json!(0));
        assert_eq!(
            get("avg_top_3_credits_excluding_self_credit_last_6months"),
            json!(1000.0)
        );
    }
}
