//! Insights JSON → report sheets. Each builder reads one section of every account; in an
//! aggregate report the list sheets gain a leading "Account" column.

use crate::model::{ChartKind, ChartSpec, Column, Report, Scope, Sheet};
use crate::read::{array, decimal, field_date, field_decimal, field_str, month};
use crate::{AccountInsights, Cell};
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Builds the whole report; `id` is the account id or the session id.
pub fn build(id: &str, scope: Scope, accounts: &[AccountInsights]) -> Report {
    let ctx = Context { scope, accounts };
    Report {
        id: id.to_owned(),
        scope,
        sheets: vec![
            crate::summary::summary(scope, accounts, id),
            overview(&ctx, id),
            transactions(&ctx),
            monthly_analysis(&ctx, MonthlyRows::Labels),
            monthly_analysis(&ctx, MonthlyRows::Keys),
            monthly_totals(&ctx),
            eod_balances(&ctx),
            salary(&ctx),
            recurring(&ctx),
            flat_list(&ctx, "Lender", "lender", "lender_transactions"),
            flat_list(&ctx, "Bounces", "bounces", "bounced_or_penal_transactions"),
            top_credits_debits(&ctx),
            counterparty_sheet(&ctx),
            fraud(&ctx),
        ],
    }
}

struct Context<'a> {
    scope: Scope,
    accounts: &'a [AccountInsights],
}

impl Context<'_> {
    /// The sheet with an "Account" column first when the report spans accounts.
    fn list_sheet(&self, name: &str, key: &str, columns: &[(&str, f64)]) -> Sheet {
        let mut all = Vec::new();
        if self.scope == Scope::Aggregate {
            all.push(Column::new("Account", 20.0));
        }
        all.extend(
            columns
                .iter()
                .map(|(title, width)| Column::new(title, *width)),
        );
        Sheet::new(name, key, all)
    }

    /// Pushes `cells` as a row of `account`, prefixed with its label in aggregates.
    fn push(&self, sheet: &mut Sheet, account: &AccountInsights, cells: Vec<Cell>) {
        let mut row = Vec::with_capacity(cells.len() + 1);
        if self.scope == Scope::Aggregate {
            row.push(Cell::text(account.label()));
        }
        row.extend(cells);
        sheet.rows.push(row);
    }
}

impl AccountInsights {
    fn details(&self) -> &Value {
        self.data.get("account_details").unwrap_or(&Value::Null)
    }

    /// How the account is named in aggregate sheets: its number, else its id.
    pub fn label(&self) -> String {
        field_str(self.details(), "account_number")
            .map_or_else(|| self.account_id.clone(), str::to_owned)
    }

    fn transactions(&self) -> &[Value] {
        array(&self.data, "transactions")
    }
}

fn is_credit(txn: &Value) -> bool {
    field_str(txn, "transaction_type").is_some_and(|t| t.eq_ignore_ascii_case("credit"))
}

fn signed_amount(txn: &Value) -> Decimal {
    let amount = field_decimal(txn, "amount").unwrap_or_default();
    if is_credit(txn) {
        amount
    } else {
        -amount
    }
}

/// Figures the overview shows, computed from the transactions themselves.
struct Totals {
    count: i64,
    credits: Decimal,
    debits: Decimal,
    opening: Option<Decimal>,
    closing: Option<Decimal>,
    first: Option<NaiveDate>,
    last: Option<NaiveDate>,
    /// Rows whose balance does not follow from the previous balance and the amount.
    balance_breaks: usize,
    /// Rows without a balance (their statement prints none anywhere).
    without_balance: usize,
}

fn totals(transactions: &[Value]) -> Totals {
    let mut t = Totals {
        count: i64::try_from(transactions.len()).unwrap_or(i64::MAX),
        credits: Decimal::ZERO,
        debits: Decimal::ZERO,
        opening: None,
        closing: None,
        first: None,
        last: None,
        balance_breaks: 0,
        without_balance: 0,
    };
    let mut previous: Option<Decimal> = None;
    for (index, txn) in transactions.iter().enumerate() {
        let amount = field_decimal(txn, "amount").unwrap_or_default();
        if is_credit(txn) {
            t.credits += amount;
        } else {
            t.debits += amount;
        }
        // A row without a balance comes from a statement that prints none: the balance
        // before the period is unknown when the first row has none, and the next printed
        // balance has no known one before it to be checked against.
        let balance = field_decimal(txn, "balance");
        t.without_balance += usize::from(balance.is_none());
        if let (Some(prev), Some(bal)) = (previous, balance) {
            if prev + signed_amount(txn) != bal {
                t.balance_breaks += 1;
            }
        }
        if index == 0 {
            t.opening = balance.map(|b| b - signed_amount(txn));
        }
        previous = balance;
        let day = field_date(txn, "date");
        t.first = t.first.or(day);
        t.last = day.or(t.last);
    }
    // The last row's balance: unknown when its statement prints none.
    t.closing = previous;
    t
}

/// The engine's verdict when it gave one, checked against the balance chain of the rows.
fn reconciliation_verdict(account: &AccountInsights, totals: &Totals) -> String {
    let verdict = account.data.get("reconciliation");
    let engine = verdict
        .and_then(|r| r.get("reconciled"))
        .and_then(Value::as_bool);
    // A table with no running balance has no chain to reconcile: the engine checked its sums
    // against printed totals, or had nothing printed to check them against.
    let checked_against = verdict
        .and_then(|r| field_str(r, "checked_against"))
        .filter(|checked| *checked != "balance_chain");
    let totals_disagree = verdict
        .map(|r| array(r, "summary_mismatches"))
        .is_some_and(|mismatches| !mismatches.is_empty());
    let flagged = array(&account.data, "fraud")
        .iter()
        .any(|f| field_str(f, "fraud_type") == Some("inconsistent_transaction"));
    // Periods the file leaves out (a month missing from merged monthly statements).
    let missing: Vec<String> = verdict
        .map(|r| array(r, "missing_periods"))
        .unwrap_or_default()
        .iter()
        .filter_map(|p| {
            Some(format!(
                "{} to {}",
                field_str(p, "from_date")?,
                field_str(p, "to_date")?
            ))
        })
        .collect();
    if totals.count == 0 {
        "No transactions".to_owned()
    } else if !missing.is_empty() {
        // The rows either side of a missing period do not chain: one break each is the gap's.
        let mut verdict = format!(
            "Not reconciled: no statement in the file covers {}",
            missing.join(", ")
        );
        if totals.balance_breaks > missing.len() || flagged || totals_disagree {
            verdict.push_str(", and flagged by the engine");
        }
        verdict
    } else if totals.balance_breaks > 0 {
        format!("Not reconciled: {} balance break(s)", totals.balance_breaks)
    } else if flagged || totals_disagree {
        "Not reconciled (flagged by the engine)".to_owned()
    } else if checked_against == Some("printed_totals") {
        "No running balance printed: rows agree with the printed totals".to_owned()
    } else if checked_against == Some("nothing") {
        "No running balance or totals printed: nothing to reconcile against".to_owned()
    } else if engine == Some(false) {
        "Not reconciled (flagged by the engine)".to_owned()
    } else if totals.without_balance > 0 {
        format!(
            "Reconciled where balances are printed ({} of {} rows have none)",
            totals.without_balance, totals.count
        )
    } else {
        "Reconciled".to_owned()
    }
}

/// The reconciliation verdict of one account (Summary and Overview say the same).
pub(crate) fn account_verdict(account: &AccountInsights) -> String {
    reconciliation_verdict(account, &totals(account.transactions()))
}

/// The fraud verdict in words: confirmed findings lead, warnings are named as such.
pub(crate) fn fraud_verdict(account: &AccountInsights) -> String {
    let confirmed = array(&account.data, "fraud").len();
    let flags = fraud_flags(account);
    if flags == "None" {
        "No fraud signals".to_owned()
    } else if confirmed > 0 {
        format!("Fraud suspected: {flags}")
    } else {
        format!("Warnings only: {flags}")
    }
}

fn fraud_flags(account: &AccountInsights) -> String {
    let confirmed = array(&account.data, "fraud")
        .iter()
        .filter_map(|f| field_str(f, "fraud_type"))
        .map(str::to_owned);
    let warnings = account
        .data
        .get("fraud_details")
        .map(|d| array(d, "statement"))
        .unwrap_or(&[])
        .iter()
        .filter_map(|f| field_str(f, "fraud_type"))
        .map(|t| format!("{t} (warning)"));
    let flags: BTreeSet<String> = confirmed.chain(warnings).collect();
    if flags.is_empty() {
        "None".to_owned()
    } else {
        flags.into_iter().collect::<Vec<_>>().join(", ")
    }
}

fn period(account: &AccountInsights, totals: &Totals) -> (Option<NaiveDate>, Option<NaiveDate>) {
    let range = account.details().get("account_date_range");
    let from = range.and_then(|r| field_date(r, "from_date"));
    let to = range.and_then(|r| field_date(r, "to_date"));
    (from.or(totals.first), to.or(totals.last))
}

fn joined(values: &[Value]) -> String {
    values
        .iter()
        .filter_map(|v| {
            v.as_str().map(str::to_owned).or_else(|| {
                Some(format!(
                    "{} to {}",
                    field_str(v, "from_date")?,
                    field_str(v, "to_date")?
                ))
            })
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// One column per account, one row per field.
fn overview(ctx: &Context, id: &str) -> Sheet {
    let mut columns = vec![Column::new("Field", 26.0)];
    columns.extend(
        ctx.accounts
            .iter()
            .map(|a| Column::keyed(&a.label(), 36.0, "account")),
    );
    let mut sheet = Sheet::new("Overview", "overview", columns);
    sheet.filter = false;
    let header = match ctx.scope {
        Scope::Account => "Account report",
        Scope::Aggregate => "Aggregate report of session",
    };
    let mut fields: Vec<(&str, Vec<Cell>)> = vec![(
        header,
        ctx.accounts.iter().map(|_| Cell::text(id)).collect(),
    )];
    let per_account: Vec<Vec<Cell>> = ctx.accounts.iter().map(overview_cells).collect();
    for (index, title) in OVERVIEW_FIELDS.iter().enumerate() {
        let cells = per_account
            .iter()
            .map(|cells| cells.get(index).cloned().unwrap_or(Cell::Empty))
            .collect();
        fields.push((title, cells));
    }
    for (title, cells) in fields {
        let mut row = vec![Cell::text(title)];
        row.extend(cells);
        sheet.rows.push(row);
    }
    sheet
}

const OVERVIEW_FIELDS: [&str; 21] = [
    "Account ID",
    "Account holder",
    "Account number",
    "Bank",
    "IFSC",
    "MICR",
    "Account category",
    "Account type",
    "Period from",
    "Period to",
    "Months covered",
    "Missing periods",
    "Transactions",
    "Total credits",
    "Total debits",
    "Opening balance",
    "Closing balance",
    "Reconciliation",
    "Fraud flags",
    "Score",
    "Salary confidence",
];

/// The values of [`OVERVIEW_FIELDS`], in that order.
fn overview_cells(account: &AccountInsights) -> Vec<Cell> {
    let d = account.details();
    let t = totals(account.transactions());
    let (from, to) = period(account, &t);
    vec![
        Cell::text(account.account_id.as_str()),
        Cell::opt_text(field_str(d, "name")),
        Cell::opt_text(field_str(d, "account_number")),
        Cell::opt_text(field_str(d, "bank")),
        Cell::opt_text(field_str(d, "ifsc")),
        Cell::opt_text(field_str(d, "micr")),
        Cell::opt_text(field_str(d, "account_category")),
        Cell::opt_text(field_str(d, "account_type")),
        Cell::opt_date(from),
        Cell::opt_date(to),
        Cell::text(joined(array(d, "months"))),
        Cell::text(joined(array(d, "missing_data"))),
        Cell::Count(t.count),
        Cell::Money(t.credits),
        Cell::Money(t.debits),
        Cell::opt_money(t.opening),
        Cell::opt_money(t.closing),
        Cell::text(reconciliation_verdict(account, &t)),
        Cell::text(fraud_flags(account)),
        field_decimal(&account.data, "score").map_or(Cell::Empty, Cell::Number),
        Cell::opt_text(field_str(&account.data, "salary_confidence")),
    ]
}

fn transactions(ctx: &Context) -> Sheet {
    let mut sheet = ctx.list_sheet(
        "Transactions",
        "transactions",
        &[
            ("Date", 12.0),
            ("Narration", 48.0),
            ("Cheque no", 12.0),
            ("Type", 8.0),
            ("Debit", 14.0),
            ("Credit", 14.0),
            ("Balance", 16.0),
            ("Category", 22.0),
            ("Channel", 18.0),
            ("Description", 22.0),
            ("Merchant", 22.0),
        ],
    );
    for account in ctx.accounts {
        for txn in account.transactions() {
            let amount = field_decimal(txn, "amount");
            let (debit, credit) = if is_credit(txn) {
                (None, amount)
            } else {
                (amount, None)
            };
            let metadata = txn.get("metadata").unwrap_or(&Value::Null);
            let cells = vec![
                Cell::opt_date(field_date(txn, "date")),
                Cell::opt_text(field_str(txn, "transaction_note")),
                Cell::opt_text(field_str(txn, "chq_num")),
                Cell::opt_text(field_str(txn, "transaction_type")),
                Cell::opt_money(debit),
                Cell::opt_money(credit),
                Cell::opt_money(field_decimal(txn, "balance")),
                Cell::opt_text(field_str(txn, "category")),
                Cell::opt_text(field_str(metadata, "transaction_channel")),
                Cell::opt_text(field_str(metadata, "description")),
                Cell::opt_text(field_str(metadata, "unclean_merchant")),
            ];
            ctx.push(&mut sheet, account, cells);
        }
    }
    sheet
}

/// The typed cell of one monthly metric value: counts, percentages and money differ.
fn metric_cell(metric: &str, value: &Value) -> Cell {
    match value {
        Value::Bool(b) => Cell::Bool(*b),
        Value::String(s) => Cell::text(s.as_str()),
        Value::Number(_) => {
            let Some(number) = decimal(value) else {
                return Cell::Empty;
            };
            let is_count = ["cnt_", "number_", "no_"]
                .iter()
                .any(|p| metric.starts_with(p));
            if is_count && number.fract().is_zero() {
                i64::try_from(number).map_or(Cell::Number(number), Cell::Count)
            } else if metric.starts_with("perc_") {
                Cell::Number(number)
            } else {
                Cell::Money(number)
            }
        }
        _ => Cell::Empty,
    }
}

/// Months of the monthly analysis of every account, in calendar order.
fn analysis_months(ctx: &Context) -> Vec<(NaiveDate, String)> {
    let mut months = BTreeMap::new();
    for account in ctx.accounts {
        let Some(metrics) = account
            .data
            .get("monthly_analysis")
            .and_then(Value::as_object)
        else {
            continue;
        };
        for per_month in metrics.values().filter_map(Value::as_object) {
            for key in per_month.keys() {
                if let Some(first_day) = month(key) {
                    months.entry(first_day).or_insert_with(|| key.clone());
                }
            }
        }
    }
    months.into_iter().collect()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum MonthlyRows {
    /// Readable labels, the metrics an underwriter reads first leading.
    Labels,
    /// The API's keys in the API's order, for matching against the JSON.
    Keys,
}

/// One row per metric, one column per month in calendar order (FinBox's layout: ~400 metrics,
/// few months).
fn monthly_analysis(ctx: &Context, rows: MonthlyRows) -> Sheet {
    let months = analysis_months(ctx);
    let (name, key, first) = match rows {
        MonthlyRows::Labels => ("Monthly analysis", "monthly_analysis", "Metric"),
        MonthlyRows::Keys => ("Monthly analysis keys", "monthly_analysis_keys", "Key"),
    };
    let mut sheet = ctx.list_sheet(name, key, &[(first, 44.0)]);
    sheet.columns.extend(
        months
            .iter()
            .map(|(m, _)| Column::keyed(&m.format("%b-%Y").to_string(), 14.0, "month")),
    );
    for account in ctx.accounts {
        let Some(metrics) = account
            .data
            .get("monthly_analysis")
            .and_then(Value::as_object)
        else {
            continue;
        };
        let mut ordered: Vec<(&String, &Value)> = metrics.iter().collect();
        if rows == MonthlyRows::Labels {
            // Stable: the written-label metrics first, the rest in the API's order.
            ordered.sort_by_key(|(metric, _)| crate::labels::rank(metric));
        }
        for (metric, per_month) in ordered {
            let Some(per_month) = per_month.as_object() else {
                continue;
            };
            let by_month: BTreeMap<NaiveDate, &Value> = per_month
                .iter()
                .filter_map(|(k, v)| Some((month(k)?, v)))
                .collect();
            let title = match rows {
                MonthlyRows::Labels => crate::labels::metric_label(metric),
                MonthlyRows::Keys => metric.clone(),
            };
            let mut cells = vec![Cell::text(title)];
            cells.extend(months.iter().map(|(m, _)| {
                by_month
                    .get(m)
                    .map_or(Cell::Empty, |v| metric_cell(metric, v))
            }));
            ctx.push(&mut sheet, account, cells);
        }
    }
    sheet
}

/// Credits and debits per calendar month over all accounts, from the transactions: the data
/// of the "monthly credits vs debits" chart.
fn monthly_totals(ctx: &Context) -> Sheet {
    let mut sums: BTreeMap<NaiveDate, (Decimal, Decimal)> = BTreeMap::new();
    for txn in ctx.accounts.iter().flat_map(AccountInsights::transactions) {
        let Some(day) = field_date(txn, "date") else {
            continue;
        };
        let first = day.with_day0(0).unwrap_or(day);
        let entry = sums.entry(first).or_default();
        let amount = field_decimal(txn, "amount").unwrap_or_default();
        if is_credit(txn) {
            entry.0 += amount;
        } else {
            entry.1 += amount;
        }
    }
    let columns = ["Month", "Credits", "Debits", "Net"]
        .iter()
        .map(|t| Column::new(t, 16.0))
        .collect();
    let mut sheet = Sheet::new("Monthly totals", "monthly_totals", columns);
    for (first, (credits, debits)) in sums {
        sheet.rows.push(vec![
            Cell::Month(first),
            Cell::Money(credits),
            Cell::Money(debits),
            Cell::Money(credits - debits),
        ]);
    }
    sheet.chart = Some(ChartSpec {
        kind: ChartKind::Column,
        title: "Monthly credits vs debits".to_owned(),
        category_column: 0,
        value_columns: vec![1, 2],
        rows: None,
    });
    sheet
}

/// Day-by-day end-of-day balances of one account (null days skipped).
fn eod_days(account: &AccountInsights) -> BTreeMap<NaiveDate, Decimal> {
    let mut days = BTreeMap::new();
    let Some(eod) = account.data.get("eod_balances").and_then(Value::as_object) else {
        return days;
    };
    for (key, values) in eod {
        let (Some(first), Some(values)) = (month(key), values.as_array()) else {
            continue;
        };
        for (offset, value) in values.iter().enumerate() {
            let day = u64::try_from(offset)
                .ok()
                .and_then(|o| first.checked_add_days(chrono::Days::new(o)));
            if let (Some(day), Some(balance)) = (day, decimal(value)) {
                days.insert(day, balance);
            }
        }
    }
    days
}

/// Day rows (1-31), one column per month in calendar order, then each month's average and
/// lowest EOD balance; in aggregates one block of rows per account. A line per month over the
/// days of the account report.
fn eod_balances(ctx: &Context) -> Sheet {
    let per_account: Vec<BTreeMap<NaiveDate, Decimal>> =
        ctx.accounts.iter().map(eod_days).collect();
    let months: BTreeSet<NaiveDate> = per_account
        .iter()
        .flat_map(|m| m.keys())
        .filter_map(|d| d.with_day(1))
        .collect();
    let mut sheet = ctx.list_sheet("EOD balances", "eod_balances", &[("Day", 8.0)]);
    sheet.filter = false;
    sheet.columns.extend(
        months
            .iter()
            .map(|m| Column::keyed(&m.format("%b-%Y").to_string(), 14.0, "month")),
    );
    for (account, days) in ctx.accounts.iter().zip(&per_account) {
        for day in 1..=31u32 {
            let mut cells = vec![Cell::Count(i64::from(day))];
            cells.extend(months.iter().map(|m| {
                let date = m.with_day(day).and_then(|d| days.get(&d).copied());
                Cell::opt_money(date)
            }));
            ctx.push(&mut sheet, account, cells);
        }
        let without_balances = months_without_balances(account);
        for (label, pick) in [("Average", MonthFold::Mean), ("Lowest", MonthFold::Min)] {
            let mut cells = vec![Cell::text(label)];
            cells.extend(months.iter().map(|m| {
                if without_balances.contains(m) {
                    return Cell::Empty;
                }
                Cell::opt_money(fold_month(days, *m, pick))
            }));
            ctx.push(&mut sheet, account, cells);
        }
    }
    if ctx.scope == Scope::Account && !months.is_empty() {
        let value_columns = (1..=months.len())
            .filter_map(|c| u16::try_from(c).ok())
            .collect();
        sheet.chart = Some(ChartSpec {
            kind: ChartKind::Line,
            title: "End-of-day balance by day of month".to_owned(),
            category_column: 0,
            value_columns,
            rows: Some(31),
        });
    }
    sheet
}

/// Months (their first day) whose balances are not all known: the monthly analysis reports
/// their average balance as null (a statement that prints no balance covers part of them), so
/// the few days shown are not the month's average or lowest.
fn months_without_balances(account: &AccountInsights) -> BTreeSet<NaiveDate> {
    account
        .data
        .get("monthly_analysis")
        .and_then(|m| m.get("avg_bal"))
        .and_then(Value::as_object)
        .map(|per_month| {
            per_month
                .iter()
                .filter(|(_, value)| value.is_null())
                .filter_map(|(key, _)| month(key))
                .collect()
        })
        .unwrap_or_default()
}

#[derive(Clone, Copy)]
enum MonthFold {
    Mean,
    Min,
}

fn fold_month(
    days: &BTreeMap<NaiveDate, Decimal>,
    first: NaiveDate,
    fold: MonthFold,
) -> Option<Decimal> {
    let values: Vec<Decimal> = days
        .range(first..)
        .take_while(|(d, _)| d.month() == first.month() && d.year() == first.year())
        .map(|(_, v)| *v)
        .collect();
    if values.is_empty() {
        return None;
    }
    Some(match fold {
        MonthFold::Mean => {
            (values.iter().sum::<Decimal>() / Decimal::from(values.len())).round_dp(2)
        }
        MonthFold::Min => values.iter().copied().min().unwrap_or_default(),
    })
}

/// Customers (credits) and suppliers (debits) by total, with their share of the side.
fn counterparty_sheet(ctx: &Context) -> Sheet {
    use crate::summary::counterparties;
    let mut sheet = ctx.list_sheet(
        "Counterparties",
        "counterparties",
        &[
            ("Role", 10.0),
            ("Rank", 6.0),
            ("Counterparty", 40.0),
            ("Amount", 16.0),
            ("Share %", 10.0),
        ],
    );
    for account in ctx.accounts {
        for (role, wanted) in [("Customer", true), ("Supplier", false)] {
            let rows = account
                .transactions()
                .iter()
                .filter(|t| is_credit(t) == wanted)
                .filter_map(|t| Some((t, field_decimal(t, "amount")?)));
            let total: Decimal = account
                .transactions()
                .iter()
                .filter(|t| is_credit(t) == wanted)
                .filter_map(|t| field_decimal(t, "amount"))
                .sum();
            for (rank, (name, amount)) in counterparties(rows).into_iter().take(10).enumerate() {
                let share =
                    (!total.is_zero()).then(|| (amount * Decimal::ONE_HUNDRED / total).round_dp(2));
                let cells = vec![
                    Cell::text(role),
                    Cell::Count(i64::try_from(rank + 1).unwrap_or(i64::MAX)),
                    Cell::text(name),
                    Cell::Money(amount),
                    share.map_or(Cell::Empty, Cell::Percent),
                ];
                ctx.push(&mut sheet, account, cells);
            }
        }
    }
    sheet
}

fn salary(ctx: &Context) -> Sheet {
    let mut sheet = ctx.list_sheet(
        "Salary",
        "salary",
        &[
            ("Date", 12.0),
            ("Narration", 48.0),
            ("Amount", 14.0),
            ("Balance", 16.0),
            ("Employer", 24.0),
            ("Salary month", 14.0),
        ],
    );
    for account in ctx.accounts {
        for txn in array(&account.data, "salary_transactions") {
            let cells = vec![
                Cell::opt_date(field_date(txn, "date")),
                Cell::opt_text(field_str(txn, "transaction_note")),
                Cell::opt_money(field_decimal(txn, "amount")),
                Cell::opt_money(field_decimal(txn, "balance")),
                Cell::opt_text(field_str(txn, "employer_name")),
                Cell::opt_text(field_str(txn, "salary_month")),
            ];
            ctx.push(&mut sheet, account, cells);
        }
    }
    sheet
}

fn recurring(ctx: &Context) -> Sheet {
    let mut sheet = ctx.list_sheet(
        "Recurring",
        "recurring",
        &[
            ("Direction", 10.0),
            ("Channel", 18.0),
            ("Counterparty", 36.0),
            ("Median amount", 14.0),
            ("First", 12.0),
            ("Last", 12.0),
            ("Occurrences", 12.0),
            ("Total", 16.0),
        ],
    );
    for account in ctx.accounts {
        let groups = account
            .data
            .get("recurring_transactions")
            .unwrap_or(&Value::Null);
        for (direction, key) in [
            ("Debit", "debit_transactions"),
            ("Credit", "credit_transactions"),
        ] {
            for group in array(groups, key) {
                let members = array(group, "transactions");
                let total: Decimal = members
                    .iter()
                    .filter_map(|t| field_decimal(t, "amount"))
                    .sum();
                let cells = vec![
                    Cell::text(direction),
                    Cell::opt_text(field_str(group, "transaction_channel")),
                    Cell::opt_text(field_str(group, "clean_transaction_note")),
                    Cell::opt_money(field_decimal(group, "median")),
                    Cell::opt_date(field_date(group, "start_date")),
                    Cell::opt_date(field_date(group, "end_date")),
                    Cell::Count(i64::try_from(members.len()).unwrap_or(i64::MAX)),
                    Cell::Money(total),
                ];
                ctx.push(&mut sheet, account, cells);
            }
        }
    }
    sheet
}

/// Lender and bounce lists share the flat transaction shape.
fn flat_list(ctx: &Context, name: &str, key: &str, section: &str) -> Sheet {
    let mut sheet = ctx.list_sheet(
        name,
        key,
        &[
            ("Date", 12.0),
            ("Narration", 48.0),
            ("Type", 8.0),
            ("Amount", 14.0),
            ("Balance", 16.0),
            ("Channel", 18.0),
            ("Description", 24.0),
            ("Category", 22.0),
        ],
    );
    for account in ctx.accounts {
        for txn in array(&account.data, section) {
            let cells = vec![
                Cell::opt_date(field_date(txn, "date")),
                Cell::opt_text(field_str(txn, "transaction_note")),
                Cell::opt_text(field_str(txn, "transaction_type")),
                Cell::opt_money(field_decimal(txn, "amount")),
                Cell::opt_money(field_decimal(txn, "balance")),
                Cell::opt_text(field_str(txn, "transaction_channel")),
                Cell::opt_text(field_str(txn, "description")),
                Cell::opt_text(field_str(txn, "category")),
            ];
            ctx.push(&mut sheet, account, cells);
        }
    }
    sheet
}

fn top_credits_debits(ctx: &Context) -> Sheet {
    let mut sheet = ctx.list_sheet(
        "Top credits and debits",
        "top_credits_debits",
        &[
            ("Month", 12.0),
            ("Type", 8.0),
            ("Rank", 6.0),
            ("Date", 12.0),
            ("Narration", 48.0),
            ("Amount", 14.0),
            ("Balance", 16.0),
            ("Category", 22.0),
        ],
    );
    for account in ctx.accounts {
        for list in array(&account.data, "top_credits_debits") {
            let side = match field_str(list, "type") {
                Some("top_5_credit") => "Credit",
                Some("top_5_debit") => "Debit",
                _ => continue,
            };
            for per_month in array(list, "data") {
                let month_cell = field_str(per_month, "month")
                    .and_then(month)
                    .map_or(Cell::Empty, Cell::Month);
                for (rank, txn) in array(per_month, "data").iter().enumerate() {
                    let cells = vec![
                        month_cell.clone(),
                        Cell::text(side),
                        Cell::Count(i64::try_from(rank + 1).unwrap_or(i64::MAX)),
                        Cell::opt_date(field_date(txn, "date")),
                        Cell::opt_text(field_str(txn, "transaction_note")),
                        Cell::opt_money(field_decimal(txn, "amount")),
                        Cell::opt_money(field_decimal(txn, "balance")),
                        Cell::opt_text(field_str(txn, "category")),
                    ];
                    ctx.push(&mut sheet, account, cells);
                }
            }
        }
    }
    sheet
}

fn fraud(ctx: &Context) -> Sheet {
    let mut sheet = ctx.list_sheet(
        "Fraud",
        "fraud",
        &[
            ("Severity", 10.0),
            ("Fraud type", 26.0),
            ("Category", 14.0),
            ("Statement", 38.0),
            ("Evidence", 60.0),
        ],
    );
    for account in ctx.accounts {
        let warnings = account
            .data
            .get("fraud_details")
            .map(|d| array(d, "statement"))
            .unwrap_or(&[]);
        let entries = array(&account.data, "fraud")
            .iter()
            .map(|f| ("Confirmed", f))
            .chain(warnings.iter().map(|f| ("Warning", f)));
        for (severity, entry) in entries {
            let cells = vec![
                Cell::text(severity),
                Cell::opt_text(field_str(entry, "fraud_type")),
                Cell::opt_text(field_str(entry, "fraud_category")),
                Cell::opt_text(field_str(entry, "statement_id")),
                Cell::opt_text(field_str(entry, "evidence")),
            ];
            ctx.push(&mut sheet, account, cells);
        }
    }
    sheet
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_period_missing_from_the_file_is_named_in_the_verdict() {
        let account = AccountInsights::new(
            "a1",
            json!({
                "reconciliation": {
                    "reconciled": false,
                    "checked_against": "balance_chain",
                    "summary_mismatches": [],
                    "missing_periods": [{"from_date": "2024-02-01", "to_date": "2024-02-29"}],
                },
                "transactions": [
                    {"transaction_type": "credit", "amount": 100.0, "balance": 100.0,
                     "date": "2024-01-02 00:00:00"},
                    {"transaction_type": "credit", "amount": 100.0, "balance": 300.0,
                     "date": "2024-03-02 00:00:00"},
                ],
            }),
        );
        assert_eq!(
            account_verdict(&account),
            "Not reconciled: no statement in the file covers 2024-02-01 to 2024-02-29"
        );
    }
}
