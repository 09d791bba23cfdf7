//! An account assembled from two generated statements, end to end (PDF, engine, enrichment,
//! report): first a table that prints no balance anywhere (a random layout with no balance
//! column and neither an opening nor a closing: its balances are counted from zero and are
//! unknown), then two months of a layout with a running balance. The unknown statement leaves
//! only its own months without balance figures: the printed months' balance metrics and EOD
//! days are the same as for the printed statement alone, the ABB is taken over the printed
//! months, a sum over all months is null, and the report prints no figure (not a 0) where the
//! value is unknown. The statements are synthetic (ledgerlens-fixtures).

use chrono::{Datelike, NaiveDate};
use ledgerlens_analysis::monthly::metric_reads_balances;
use ledgerlens_analysis::{enrich_with_insights, AccountInput, EnrichmentContext, StatementInput};
use ledgerlens_fixtures::{generate_random, generate_with, random_layout, GenerateOptions};
use ledgerlens_report::{account_report, AccountInsights, Cell, Report};
use ledgerlens_statement::{parse_pdf, ParseOptions, ParsedStatement};
use rust_decimal::Decimal;
use serde_json::Value;

/// The first random layout (from seed 0) with no balance column that prints neither an
/// opening nor a closing balance, parsed.
fn statement_without_balances() -> ParsedStatement {
    let (pdf, truth) = (0..2_000)
        .filter(|&seed| random_layout(seed).quirks.no_balance_column)
        .map(|seed| generate_random(seed).expect("fixture renders"))
        .find(|(_, truth)| !truth.opening_printed && !truth.closing_printed)
        .expect("the generator draws tables with no balance anywhere");
    let options = ParseOptions {
        expected_bank: Some(truth.bank.clone()),
        ..ParseOptions::default()
    };
    parse_pdf(pdf, &options).expect("fixture parses")
}

/// Two months of a layout with a running balance, from the first day of `start`'s month.
fn statement_with_balances(start: NaiveDate) -> ParsedStatement {
    let options = GenerateOptions {
        months: Some(2),
        start_date: Some(start),
        ..GenerateOptions::seeded(7)
    };
    let (pdf, _) = generate_with("hdfc_classic", &options).expect("fixture renders");
    parse_pdf(pdf, &ParseOptions::default()).expect("fixture parses")
}

fn account(statements: &[(&str, &ParsedStatement)]) -> AccountInput {
    AccountInput {
        account_id: "acct-1".into(),
        statements: statements
            .iter()
            .map(|(id, parsed)| StatementInput::from_parsed(id, parsed))
            .collect(),
        ..AccountInput::default()
    }
}

/// "Aug-2025" (monthly analysis key) of a day.
fn month_key(day: NaiveDate) -> String {
    day.format("%b-%Y").to_string()
}

fn last_day(parsed: &ParsedStatement) -> NaiveDate {
    parsed
        .transactions
        .iter()
        .map(|t| t.date.date())
        .max()
        .expect("rows")
}

fn first_day(parsed: &ParsedStatement) -> NaiveDate {
    parsed
        .transactions
        .iter()
        .map(|t| t.date.date())
        .min()
        .expect("rows")
}

/// The cell of row `title` (first column) and column `column` of a sheet.
fn cell<'a>(report: &'a Report, sheet: &str, title: &str, column: &str) -> &'a Cell {
    let sheet = report
        .sheets
        .iter()
        .find(|s| s.name == sheet)
        .expect("sheet");
    let at = sheet.column(column).expect("column");
    let row = sheet
        .rows
        .iter()
        .find(|row| matches!(row.first(), Some(Cell::Text(t)) if t == title))
        .expect("row");
    &row[at]
}

fn number(value: &Value) -> Option<Decimal> {
    value.as_f64().and_then(|v| Decimal::try_from(v).ok())
}

#[test]
fn a_statement_without_balances_blanks_only_its_own_months() {
    let unknown = statement_without_balances();
    assert!(!unknown.reconciliation.balances_known);
    let unknown_end = last_day(&unknown);
    let next_month = NaiveDate::from_ymd_opt(unknown_end.year(), unknown_end.month(), 1)
        .and_then(|first| first.checked_add_months(chrono::Months::new(1)))
        .expect("month after");
    let printed = statement_with_balances(next_month);
    assert!(printed.reconciliation.balances_known && printed.reconciliation.reconciled);
    assert!(
        first_day(&printed) > unknown_end,
        "the printed statement follows"
    );
    let context = EnrichmentContext::default();
    let (_, data) = enrich_with_insights(
        &account(&[("no-balance", &unknown), ("printed", &printed)]),
        &context,
    );
    let (_, alone) = enrich_with_insights(&account(&[("printed", &printed)]), &context);

    // Monthly analysis: every balance metric is null in the unknown statement's months and,
    // in the printed months, what the printed statement alone gives.
    let unknown_months: Vec<String> = unknown
        .transactions
        .iter()
        .map(|t| month_key(t.date.date()))
        .collect();
    let printed_months: Vec<String> = printed
        .transactions
        .iter()
        .map(|t| month_key(t.date.date()))
        .collect();
    let monthly = data["monthly_analysis"].as_object().expect("monthly");
    let mut checked = 0;
    for (metric, per_month) in monthly {
        if !metric_reads_balances(metric) {
            continue;
        }
        for month in &unknown_months {
            assert_eq!(per_month[month], Value::Null, "{metric} {month}");
        }
        for month in &printed_months {
            assert_eq!(
                per_month[month], alone["monthly_analysis"][metric][month],
                "{metric} {month}"
            );
            checked += 1;
        }
    }
    assert!(checked > 0);
    // The figures not read from balances are still computed for the unknown months.
    assert!(monthly["amt_debit"][&unknown_months[0]].is_number());

    // EOD: no day before the unknown statement's last one has a balance; the printed months'
    // days are the printed statement's.
    let eod = &data["eod_balances"];
    assert_eq!(eod["starting_balance"], Value::Null);
    for month in eod["Months_order"].as_array().expect("months") {
        let key = month.as_str().expect("month key");
        let Ok(first) = NaiveDate::parse_from_str(&format!("01-{key}"), "%d-%b-%y") else {
            panic!("month key {key}");
        };
        let days = eod[key].as_array().expect("days");
        for (offset, value) in days.iter().enumerate() {
            let day = first + chrono::Days::new(offset as u64);
            // The last day's balance is the printed statement's opening: the balance after
            // that day's rows is the one before the next row.
            if day < unknown_end {
                assert_eq!(value, &Value::Null, "{day}");
            } else if day >= first_day(&printed) {
                assert_eq!(value, &alone["eod_balances"][key][offset], "{day}");
            }
        }
    }
    for month in alone["eod_balances"]["Months_order"]
        .as_array()
        .expect("months")
    {
        assert!(eod["Months_order"]
            .as_array()
            .is_some_and(|months| months.contains(month)));
    }

    // Predictors: the ABB is the mean of the known months' average balances; a sum over
    // months one of which is unknown is null, not an understated total.
    let known: Vec<Decimal> = monthly["avg_bal"]
        .as_object()
        .expect("avg_bal")
        .values()
        .filter_map(number)
        .collect();
    assert_eq!(known.len(), 2, "the printed months");
    let abb = known.iter().sum::<Decimal>() / Decimal::TWO;
    let predicted = number(&data["predictors"]["avg_bank_balance"]).expect("ABB");
    assert!(
        (predicted - abb.round_dp(2)).abs() < Decimal::new(1, 2),
        "{predicted} {abb}"
    );
    assert_eq!(data["predictors"]["total_of_avg_monthly_bal"], Value::Null);
    assert!(alone["predictors"]["total_of_avg_monthly_bal"].is_number());

    // The report: no opening balance for the period (its first rows have none), the closing
    // balance is the printed statement's, and an unknown month's balance figures are empty.
    let report = account_report(&AccountInsights::new("acct-1", data.clone()));
    let overview = |field: &str| cell(&report, "Overview", field, "acct-1").clone();
    assert_eq!(overview("Opening balance"), Cell::Empty);
    let closing = printed.transactions.last().map(|t| t.balance);
    assert_eq!(overview("Closing balance"), Cell::opt_money(closing));
    let rows = data["transactions"].as_array().map_or(0, Vec::len);
    assert_eq!(
        overview("Reconciliation"),
        Cell::text(format!(
            "Reconciled where balances are printed ({} of {rows} rows have none)",
            unknown.transactions.len()
        ))
    );
    // Monthly analysis columns are titled like its keys ("Aug-2025").
    let unknown_column = &unknown_months[0];
    for metric in [
        "opening_balance",
        "avg_bal",
        "min_eod_balance",
        "abb_isto_emi",
    ] {
        assert_eq!(
            cell(&report, "Monthly analysis keys", metric, unknown_column),
            &Cell::Empty,
            "{metric}"
        );
    }
    assert!(matches!(
        cell(
            &report,
            "Monthly analysis keys",
            "amt_debit",
            unknown_column
        ),
        Cell::Money(_)
    ));
    // The no-balance statement's last month shows its last day (the printed statement's
    // opening) but no average or lowest balance of the month; a printed month shows both.
    let last_unknown = month_key(unknown_end);
    let eod_sheet = report.sheet("EOD balances").expect("EOD sheet");
    assert!(eod_sheet.column(&last_unknown).is_some(), "{last_unknown}");
    for row in ["Average", "Lowest"] {
        assert_eq!(
            cell(&report, "EOD balances", row, &last_unknown),
            &Cell::Empty
        );
        assert!(matches!(
            cell(&report, "EOD balances", row, &month_key(last_day(&printed))),
            Cell::Money(_)
        ));
    }
}
