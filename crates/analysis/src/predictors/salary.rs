//! Salary predictors (`salary:NAME[:ARG]`), computed from the salary credits the salary
//! detector found. Windows of "the latest N months" are calendar months of the statement,
//! counted back from its last month; "from application date" windows end on the
//! reference day (the application date, else the statement's end).

use super::{latest_values, money, month_index, reference_day, Inputs};
use crate::fraud::is_bank_holiday;
use crate::monthly;
use crate::narration::normalize;
use chrono::{Datelike, Months, NaiveDate};
use ledgerlens_statement::model::Transaction;
use rust_decimal::Decimal;
use serde_json::Value;

/// Salary credits more than this share away from the median are not "regular" salary.
const REGULAR_SALARY_TOLERANCE_PERCENT: i64 = 10;
/// A salary day further than this from the median day is inconsistent.
const CONSISTENT_DAY_SPREAD: i64 = 10;
/// Longest gap between salaries (or since the last one) before salary counts as delayed.
const SALARY_DELAY_DAYS: i64 = 45;

pub(super) fn evaluate(key: &str, argument: &str, inputs: &Inputs) -> Value {
    let (name, parameter) = argument.split_once(':').unwrap_or((argument, ""));
    let months = parameter.parse::<usize>().unwrap_or(0);
    let credits = salary_credits(inputs);
    match name {
        "count_in_months" => Value::from(in_latest_months(&credits, inputs, months).len() as i64),
        "count_90_days_before_months" => count_before_months(key, &credits, inputs),
        "day_variance_working" => working_day_spread(&in_latest_months(&credits, inputs, months))
            .map_or(Value::Null, Value::from),
        "day_spread" => calendar_day_spread(&in_latest_months(&credits, inputs, months))
            .map_or(Value::Null, Value::from),
        "regular_mean" => regular_mean(&in_latest_months(&credits, inputs, months))
            .map_or(Value::Null, |mean| money(mean.round_dp(2))),
        "monthly_median" => monthly::median(&salary_months(inputs, months))
            .map_or(Value::Null, |median| money(median.round_dp(2))),
        "monthly_mean" => monthly::mean(&salary_months(inputs, months))
            .map_or(Value::Null, |mean| money(mean.round_dp(2))),
        "amount_varies" => Value::from(i64::from(amount_varies(&salary_months(inputs, months)))),
        "confidence_band" => confidence_band(inputs.salary.salary_confidence),
        "delayed" => Value::from(delayed(&credits, reference_day(inputs))),
        "days_consistent" => Value::from(days_consistent(&credits)),
        "matching_employer_note" => Value::from(matching_employer(&credits, inputs)),
        "employer_months" => employer_months(inputs).map_or(Value::Null, Value::from),
        _ => Value::Null,
    }
}

/// The detected salary credits, oldest first.
fn salary_credits<'a>(inputs: &Inputs<'a>) -> Vec<&'a Transaction> {
    let mut credits: Vec<&Transaction> = inputs
        .salary
        .transactions
        .iter()
        .filter_map(|&index| inputs.transactions.get(index))
        .map(|txn| &txn.transaction)
        .collect();
    credits.sort_by_key(|txn| txn.date);
    credits
}

/// Credits dated in the statement's latest `months` calendar months.
fn in_latest_months<'a>(
    credits: &[&'a Transaction],
    inputs: &Inputs,
    months: usize,
) -> Vec<&'a Transaction> {
    let all = &inputs.monthly.months;
    let Some(&first) = all.get(all.len().saturating_sub(months.max(1))) else {
        return Vec::new();
    };
    credits
        .iter()
        .copied()
        .filter(|txn| (txn.date.year(), txn.date.month()) >= first)
        .collect()
}

/// Salary credits in the 90 days ending N months (the key's suffix) before the reference day.
fn count_before_months(key: &str, credits: &[&Transaction], inputs: &Inputs) -> Value {
    let (Some(back), Some(reference)) = (month_index(key), reference_day(inputs)) else {
        return Value::Null;
    };
    let Some(end) = reference.checked_sub_months(Months::new(back as u32)) else {
        return Value::Null;
    };
    let count = credits
        .iter()
        .filter(|txn| (0..90).contains(&(end - txn.date.date()).num_days()))
        .count();
    Value::from(count as i64)
}

/// Signed working-day distance to the nearest month end: days in the first half of a
/// month count working days since the previous month end (+), later days count working
/// days still to come before the month end (-). A salary paid on the last working day, or
/// on the first working day after a holiday-closed month end, keeps the same position.
fn working_day_position(day: NaiveDate) -> i64 {
    let working = |from: NaiveDate, to: NaiveDate| {
        from.iter_days()
            .take_while(|d| *d <= to)
            .filter(|d| !is_bank_holiday(*d))
            .count() as i64
    };
    if day.day() <= 15 {
        let month_start = day.with_day(1).unwrap_or(day);
        working(month_start, day)
    } else {
        let month_end = day
            .with_day(1)
            .and_then(|start| start.checked_add_months(Months::new(1)))
            .and_then(|next| next.pred_opt())
            .unwrap_or(day);
        match day.succ_opt() {
            Some(next) if next <= month_end => -working(next, month_end),
            _ => 0,
        }
    }
}

/// Max minus min of the working-day positions; null without salary.
fn working_day_spread(credits: &[&Transaction]) -> Option<i64> {
    let positions: Vec<i64> = credits
        .iter()
        .map(|txn| working_day_position(txn.date.date()))
        .collect();
    Some(positions.iter().max()? - positions.iter().min()?)
}

/// Max minus min of the calendar days of the month; null without salary.
fn calendar_day_spread(credits: &[&Transaction]) -> Option<i64> {
    let days: Vec<i64> = credits.iter().map(|txn| txn.date.day() as i64).collect();
    Some(days.iter().max()? - days.iter().min()?)
}

/// Mean of the credits within 10 % of their median (one-off bonuses and arrears left out).
fn regular_mean(credits: &[&Transaction]) -> Option<Decimal> {
    let amounts: Vec<Decimal> = credits.iter().map(|txn| txn.amount).collect();
    let median = monthly::median(&amounts)?;
    let tolerance = median * Decimal::new(REGULAR_SALARY_TOLERANCE_PERCENT, 2);
    let regular: Vec<Decimal> = amounts
        .into_iter()
        .filter(|amount| (*amount - median).abs() <= tolerance)
        .collect();
    monthly::mean(&regular)
}

/// Salary received in each of the latest `months` months that had any (the monthly
/// analysis' total_amount_of_salary).
fn salary_months(inputs: &Inputs, months: usize) -> Vec<Decimal> {
    latest_values(inputs.monthly, "total_amount_of_salary", months.max(1))
        .into_iter()
        .filter(|total| *total > Decimal::ZERO)
        .collect()
}

/// Whether some month's salary is more than 10 % away from the median month's.
fn amount_varies(totals: &[Decimal]) -> bool {
    let Some(median) = monthly::median(totals) else {
        return false;
    };
    let tolerance = median * Decimal::new(REGULAR_SALARY_TOLERANCE_PERCENT, 2);
    totals
        .iter()
        .any(|total| (*total - median).abs() > tolerance)
}

/// salary_confidence (0-100) in words; null when no salary was found.
fn confidence_band(confidence: Option<f64>) -> Value {
    let Some(confidence) = confidence else {
        return Value::Null;
    };
    let band = match confidence {
        c if c >= 80.0 => "Very High",
        c if c >= 60.0 => "High",
        c if c >= 40.0 => "Medium",
        _ => "Low",
    };
    Value::from(band)
}

/// A gap of more than 45 days between salaries, or since the last one.
fn delayed(credits: &[&Transaction], reference: Option<NaiveDate>) -> bool {
    let days: Vec<NaiveDate> = credits.iter().map(|txn| txn.date.date()).collect();
    let gap_inside = days
        .windows(2)
        .any(|pair| (pair[1] - pair[0]).num_days() > SALARY_DELAY_DAYS);
    let gap_since = match (days.last(), reference) {
        (Some(last), Some(reference)) => (reference - *last).num_days() > SALARY_DELAY_DAYS,
        _ => false,
    };
    gap_inside || gap_since
}

/// Every salary day of the month within 10 days of the median day, measured around the
/// month end (the 30th and the 2nd are 3 days apart).
fn days_consistent(credits: &[&Transaction]) -> bool {
    let days: Vec<Decimal> = credits
        .iter()
        .map(|txn| Decimal::from(txn.date.day()))
        .collect();
    let Some(median) = monthly::median(&days) else {
        return false;
    };
    days.iter().all(|day| {
        let apart = (*day - median).abs();
        let around = Decimal::from(30) - apart;
        apart.min(around) <= Decimal::from(CONSISTENT_DAY_SPREAD)
    })
}

/// Salary credits whose narration names an employer given with the session.
fn matching_employer(credits: &[&Transaction], inputs: &Inputs) -> i64 {
    let employers: Vec<String> = inputs
        .context
        .employer_names
        .iter()
        .map(|name| normalize(name))
        .filter(|name| !name.trim().is_empty())
        .collect();
    credits
        .iter()
        .filter(|txn| {
            let note = normalize(&txn.transaction_note);
            employers.iter().any(|name| note.contains(name.trim()))
        })
        .count() as i64
}

/// Calendar months from the first salary of the latest employer to the statement's last
/// month, inclusive: how long the borrower has been with the current employer.
fn employer_months(inputs: &Inputs) -> Option<i64> {
    let salary_rows: Vec<_> = inputs
        .salary
        .transactions
        .iter()
        .filter_map(|&index| inputs.transactions.get(index))
        .collect();
    let latest = salary_rows.iter().max_by_key(|txn| txn.transaction.date)?;
    let employer = |txn: &crate::EnrichedTransaction| {
        txn.employer_name
            .clone()
            .or_else(|| txn.counterparty.clone())
            .unwrap_or_default()
    };
    let current = employer(latest);
    let first = salary_rows
        .iter()
        .filter(|txn| employer(txn) == current)
        .map(|txn| txn.transaction.date)
        .min()?;
    let &(last_year, last_month) = inputs.monthly.months.last()?;
    let months = (last_year - first.year()) * 12 + last_month as i32 - first.month() as i32;
    Some(i64::from(months) + 1)
}

#[cfg(test)]
mod tests {
    use super::confidence_band;
    use crate::predictors::Predictors;
    use crate::test_support::txn;
    use crate::{enrich, AccountInput, EnrichmentContext};
    use chrono::NaiveDate;
    use serde_json::{json, Value};

    /// Salary on Jun 30 (Mon), Jul 31 (Thu) and Aug 30 (Sat; Aug 31 is a Sunday, so it is
    /// the last working day); the statement ends Sep 5.
    fn salaried(application_date: Option<NaiveDate>) -> Predictors {
        let input = AccountInput::from_transactions(vec![
            txn("2025-06-02", "credit", 500, 500, "CASH DEPOSIT"),
            txn("2025-06-30", "credit", 50000, 50500, "SALARY JUN ACME CORP"),
            txn("2025-07-10", "debit", 40000, 10500, "NEFT TO RENT"),
            txn("2025-07-31", "credit", 50000, 60500, "SALARY JUL ACME CORP"),
            txn("2025-08-10", "debit", 40000, 20500, "NEFT TO RENT"),
            txn("2025-08-30", "credit", 52000, 72500, "SALARY AUG ACME CORP"),
            txn("2025-09-05", "debit", 40000, 32500, "NEFT TO RENT"),
        ]);
        let context = EnrichmentContext {
            employer_names: vec!["Acme Corp".into()],
            application_date,
            ..EnrichmentContext::default()
        };
        enrich(&input, &context).predictors
    }

    #[test]
    fn salary_amounts_over_recent_months() {
        let p = salaried(None);
        let get = |key: &str| p.get(key).cloned().unwrap_or(Value::Null);
        // Latest three months are Jul, Aug, Sep: salaries of 50000 and 52000.
        assert_eq!(get("salary_txn_frequency"), json!(2));
        assert_eq!(
            get("net_salary_last_3months_basis_10_perc_variance"),
            json!(51000.0)
        );
        assert_eq!(get("avg_banking_salary_credits_3months"), json!(51000.0));
        assert_eq!(get("avg_banking_salary_credits_6months"), json!(50666.67));
        assert_eq!(get("salary_v2"), json!(50000.0));
        assert_eq!(get("salary_credit_difference_last_3months"), json!(0));
        assert_eq!(get("cnt_matching_salary_txn_note"), json!(3));
        assert_eq!(get("recent_company_stability_months"), json!(4));
        assert_eq!(get("more_cash_deposited_than_salary_amt"), json!(false));
    }

    #[test]
    fn salary_days_count_working_days_around_month_end() {
        let p = salaried(None);
        let get = |key: &str| p.get(key).cloned().unwrap_or(Value::Null);
        // Calendar days 31 and 30 differ by one ...
        assert_eq!(get("salary_credit_days_difference_last_3months"), json!(1));
        // ... but each was paid on its month's last working day.
        assert_eq!(
            get("salary_days_variance_last_3months_considering_bank_holidays"),
            json!(0)
        );
        assert_eq!(
            get("salary_days_variance_last_6months_considering_bank_holidays"),
            json!(0)
        );
        assert_eq!(
            get("salary_days_consistent_within_10days_of_median_flag"),
            json!(true)
        );
        assert_eq!(get("salary_delay_45days_flag"), json!(false));
    }

    #[test]
    fn salary_windows_before_the_application_date() {
        let p = salaried(NaiveDate::from_ymd_opt(2025, 9, 10));
        let get = |key: &str| p.get(key).cloned().unwrap_or(Value::Null);
        // (Jun 12, Sep 10]: three salaries; (May 12, Aug 10]: two.
        assert_eq!(
            get("cnt_salary_last_90days_and_application_date_minus_0"),
            json!(3)
        );
        assert_eq!(
            get("cnt_salary_last_90days_and_application_date_minus_1"),
            json!(2)
        );
        // 41 days after the last salary is not late; 51 days is.
        let recent = salaried(NaiveDate::from_ymd_opt(2025, 10, 10));
        assert_eq!(recent.get("salary_delay_45days_flag"), Some(&json!(false)));
        let late = salaried(NaiveDate::from_ymd_opt(2025, 10, 20));
        assert_eq!(late.get("salary_delay_45days_flag"), Some(&json!(true)));
    }

    #[test]
    fn confidence_in_words() {
        assert_eq!(confidence_band(Some(100.0)), json!("Very High"));
        assert_eq!(confidence_band(Some(65.0)), json!("High"));
        assert_eq!(confidence_band(Some(40.0)), json!("Medium"));
        assert_eq!(confidence_band(Some(10.0)), json!("Low"));
        assert_eq!(confidence_band(None), Value::Null);
    }
}
