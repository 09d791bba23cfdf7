//! A statement whose table prints no running balance (engine verdict `checked_against`
//! printed_totals or nothing): with no opening or closing printed either, its balances are
//! counted from zero and the Insights output reports none of them (null rows, no EOD days,
//! null balance metrics and predictors); with a printed opening they are real and used.
//! Having no chain is not a BALANCE_MISMATCH; printed totals that disagree still are.
//! Rows and figures are hand-written for these tests.

use chrono::NaiveDate;
use ledgerlens_analysis::{
    enrich_with_insights, AccountInput, Enrichment, EnrichmentContext, StatementInput,
};
use ledgerlens_statement::model::{CheckedAgainst, Transaction, TransactionType};
use rust_decimal::Decimal;
use serde_json::{json, Value};

/// Three August rows; balances carried from `opening` (zero when nothing is printed).
fn rows(opening: i64) -> Vec<Transaction> {
    let movements = [
        (
            2,
            TransactionType::Credit,
            40_000,
            "NEFT CR-ACME LTD-SALARY AUG",
        ),
        (
            5,
            TransactionType::Debit,
            1_500,
            "UPI/DR/412345678901/GROCER/okaxis",
        ),
        (
            20,
            TransactionType::Debit,
            12_000,
            "ACH D- BAJAJ FINANCE LTD-P400ABC",
        ),
    ];
    let mut balance = Decimal::from(opening);
    movements
        .iter()
        .map(|&(day, side, amount, note)| {
            let amount = Decimal::from(amount);
            balance += side.sign() * amount;
            Transaction {
                transaction_type: side,
                transaction_note: note.to_string(),
                chq_num: String::new(),
                amount,
                balance,
                date: NaiveDate::from_ymd_opt(2025, 8, day)
                    .and_then(|date| date.and_hms_opt(0, 0, 0))
                    .unwrap_or_default(),
                value_date: None,
                hash: format!("row-{day}"),
                page: 1,
                balance_derived: true,
            }
        })
        .collect()
}

fn account(statement: StatementInput) -> AccountInput {
    AccountInput {
        account_id: "acct-1".into(),
        account_number: Some("XXXX1234".into()),
        statements: vec![statement],
        ..AccountInput::default()
    }
}

/// A no-balance table with neither opening nor closing printed, checked against nothing.
fn unknown_balances() -> StatementInput {
    StatementInput {
        statement_id: "s1".into(),
        transactions: rows(0),
        reconciled: false,
        checked_against: CheckedAgainst::Nothing,
        balances_known: false,
        ..StatementInput::default()
    }
}

fn insights(statement: StatementInput) -> (Enrichment, Value) {
    enrich_with_insights(&account(statement), &EnrichmentContext::default())
}

fn balance_points(enrichment: &Enrichment) -> Option<i32> {
    enrichment
        .score
        .factors
        .iter()
        .find(|factor| factor.name == "average_balance")
        .map(|factor| factor.points)
}

fn predictor<'a>(data: &'a Value, key: &str) -> &'a Value {
    &data["predictors"][key]
}

#[test]
fn balances_counted_from_zero_are_reported_as_null() {
    let (enrichment, data) = insights(unknown_balances());
    let codes = &enrichment.fraud.validation_codes;
    let transactions = data["transactions"].as_array().cloned().unwrap_or_default();
    assert_eq!(transactions.len(), 3);
    for row in &transactions {
        assert_eq!(row["balance"], Value::Null, "{row}");
        assert!(row["amount"].is_number(), "{row}");
    }
    let eod = &data["eod_balances"];
    assert_eq!(eod["Months_order"], json!([]), "{eod}");
    assert_eq!(eod["Aug-25"], Value::Null, "{eod}");
    assert_eq!(eod["starting_balance"], Value::Null, "{eod}");
    let monthly = &data["monthly_analysis"];
    // abb_isto_emi is derived from avg_bal (a ratio): null with it, not 0.
    for metric in [
        "opening_balance",
        "closing_balance",
        "avg_bal",
        "max_eod_balance",
        "abb_isto_emi",
    ] {
        assert_eq!(monthly[metric]["Aug-2025"], Value::Null, "{metric}");
    }
    // Figures not read from balances are still computed.
    assert!(
        monthly["amt_debit"]["Aug-2025"].is_number(),
        "{}",
        monthly["amt_debit"]
    );
    for key in [
        "bal_last_0",
        "balance_on_5th_0",
        "median_eod_balance_c30",
        "adjusted_abb_c90",
        "more_cash_deposit_than_average_bank_balance",
    ] {
        assert_eq!(predictor(&data, key), &Value::Null, "{key}");
    }
    assert!(!codes.contains(&"BALANCE_MISMATCH"), "{codes:?}");
    // An unknown balance is not scored as a low one.
    assert_eq!(balance_points(&enrichment), Some(0));
}

#[test]
fn printed_totals_that_disagree_are_still_a_balance_mismatch() {
    let statement = StatementInput {
        checked_against: CheckedAgainst::PrintedTotals,
        summary_mismatches: vec!["printed debit total 14000.00, rows 13500.00".into()],
        ..unknown_balances()
    };
    let (enrichment, _) = insights(statement);
    let codes = &enrichment.fraud.validation_codes;
    assert!(codes.contains(&"BALANCE_MISMATCH"), "{codes:?}");
}

#[test]
fn balances_carried_from_a_printed_opening_are_used() {
    // Opening 5,000 printed, no balance column: 45,000 / 43,500 / 31,500.
    let statement = StatementInput {
        statement_id: "s1".into(),
        transactions: rows(5_000),
        reconciled: false,
        checked_against: CheckedAgainst::PrintedTotals,
        balances_known: true,
        ..StatementInput::default()
    };
    let (enrichment, data) = insights(statement);
    let codes = &enrichment.fraud.validation_codes;
    let balances: Vec<Value> = data["transactions"]
        .as_array()
        .map(|rows| rows.iter().map(|row| row["balance"].clone()).collect())
        .unwrap_or_default();
    assert_eq!(balances, [json!(45000.0), json!(43500.0), json!(31500.0)]);
    let eod = &data["eod_balances"];
    assert_eq!(eod["Months_order"], json!(["Aug-25"]), "{eod}");
    assert_eq!(eod["starting_balance"], json!(5000.0));
    assert_eq!(eod["Aug-25"][4], json!(43500.0), "{eod}");
    let monthly = &data["monthly_analysis"];
    assert_eq!(monthly["opening_balance"]["Aug-2025"], json!(5000.0));
    assert_eq!(monthly["closing_balance"]["Aug-2025"], json!(31500.0));
    // EOD Aug 2-4 45,000, Aug 5-19 43,500, Aug 20 31,500: 819,000 / 19 days.
    assert_eq!(monthly["avg_bal"]["Aug-2025"], json!(43105.26));
    assert!(monthly["abb_isto_emi"]["Aug-2025"].is_number());
    assert_eq!(predictor(&data, "balance_on_5th_0"), &json!(43500.0));
    assert_eq!(predictor(&data, "bal_last_0"), &json!(31500.0));
    // An average balance of 43,105 scores as one of 25,000 or more.
    assert_eq!(balance_points(&enrichment), Some(80));
    assert!(!codes.contains(&"BALANCE_MISMATCH"), "{codes:?}");
}
