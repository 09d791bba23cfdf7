//! Balance predictors against BankConnect's published sample (session-flow/fetch-data.md):
//! the sample's daily EOD balances (Aug 11 - Nov 3 2025) are rebuilt from one row per
//! balance change, and every predictor the sample reports that depends only on those
//! balances must come out as the sample prints it.

use crate::{enrich, AccountInput, EnrichmentContext};
use chrono::NaiveDate;
use ledgerlens_statement::model::{Transaction, TransactionType};
use rust_decimal::Decimal;
use serde_json::{json, Value};
use std::str::FromStr;

/// (day, end-of-day balance) on each day the sample's balance changed.
const SAMPLE_BALANCE_CHANGES: &[(&str, &str)] = &[
    ("2025-08-11", "5.0"),
    ("2025-08-14", "244.0"),
    ("2025-08-26", "10.0"),
    ("2025-08-30", "3903.0"),
    ("2025-09-01", "1003.0"),
    ("2025-09-04", "903.0"),
    ("2025-09-06", "703.0"),
    ("2025-09-07", "503.0"),
    ("2025-09-08", "3.0"),
    ("2025-09-13", "0.0"),
    ("2025-09-29", "2843.0"),
    ("2025-09-30", "2823.0"),
    ("2025-10-01", "26.0"),
    ("2025-10-02", "6.0"),
    ("2025-10-16", "54.0"),
    ("2025-10-17", "4.0"),
    ("2025-10-31", "3349.85"),
    ("2025-11-01", "49.85"),
    ("2025-11-03", "4.85"),
];

/// Values printed in the sample's `predictors` section.
const SAMPLE_VALUES: &[(&str, f64)] = &[
    ("avg_balance_without_loan_credit_adjusted_0", 34.85),
    ("avg_balance_without_loan_credit_adjusted_1", 115.16),
    ("avg_balance_without_loan_credit_adjusted_2", 390.07),
    ("avg_balance_without_loan_credit_adjusted_3", 513.76),
    ("avg_abb_3fullmonths", 317.82),
    ("avg_abb_6fullmonths", 317.82),
    ("avg_abb_12fullmonths", 317.82),
    ("median_abb_5_10_15_20_25_6months", 6.0),
    ("median_abb_6months", 6.0),
    ("median_median_abb_6months", 6.0),
    ("median_abb_5_10_15_20_25_lastday_6months", 6.0),
    ("median_eod_bal_3_month", 4.0),
    ("median_eod_bal_6_month", 6.0),
    ("median_eod_bal_3month_6month", 244.0),
    ("max_days_eod_bal_lt_100_last_6m", 30.0),
    ("max_days_balance_lt_100", 30.0),
    ("cnt_negative_balance_last_6_month", 0.0),
    ("cnt_days_eod_bal_lt_1000", 77.0),
    ("median_eod_balance_c90", 6.0),
    ("median_eod_balance_c180", 6.0),
    ("cnt_eod_bal_less_than_500_c30", 29.0),
    ("cnt_eod_bal_less_than_500_c60", 54.0),
    ("cnt_eod_bal_less_than_500_c90", 73.0),
    ("cnt_eod_bal_less_than_500_c180", 73.0),
    ("cnt_eod_bal_less_than_1000_c30", 29.0),
    ("cnt_eod_bal_less_than_1000_c60", 57.0),
    ("cnt_eod_bal_less_than_1000_c90", 77.0),
    ("cnt_eod_bal_less_than_1000_c180", 77.0),
    ("avg_monthly_closing_balance", 2520.18),
];

fn sample_account() -> AccountInput {
    let mut previous = Decimal::ZERO;
    let rows = SAMPLE_BALANCE_CHANGES
        .iter()
        .enumerate()
        .map(|(index, (day, balance))| {
            let balance = Decimal::from_str(balance).expect("sample balance");
            let change = balance - previous;
            previous = balance;
            Transaction {
                transaction_type: if change.is_sign_negative() {
                    TransactionType::Debit
                } else {
                    TransactionType::Credit
                },
                transaction_note: "NEFT TRANSFER".into(),
                chq_num: String::new(),
                amount: change.abs(),
                balance,
                date: NaiveDate::parse_from_str(day, "%Y-%m-%d")
                    .expect("sample day")
                    .and_hms_opt(0, 0, 0)
                    .expect("midnight"),
                value_date: None,
                hash: format!("sample-{index}"),
                page: 1,
                balance_derived: false,
            }
        })
        .collect();
    AccountInput::from_transactions(rows)
}

#[test]
fn balance_predictors_match_the_bankconnect_sample() {
    let predictors = enrich(&sample_account(), &EnrichmentContext::default()).predictors;
    let mismatches: Vec<String> = SAMPLE_VALUES
        .iter()
        .filter(|(key, expected)| predictors.get(key).and_then(Value::as_f64) != Some(*expected))
        .map(|(key, expected)| format!("{key}: sample {expected}, ours {:?}", predictors.get(key)))
        .collect();
    assert!(mismatches.is_empty(), "{mismatches:#?}");
    assert_eq!(
        predictors.get("month_0"),
        Some(&json!("Nov-25")),
        "month index 0 is the latest month"
    );
}
