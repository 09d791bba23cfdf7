//! entity/<id>/rolling_monthly_analysis/ (session-flow/rest-api.md; the section is commented out
//! there, its sample is the shape): per rolling 30-day window (`month_0` the latest, ending on
//! the last transaction's date; crates/analysis `rolling`) and per group of 3/6/12 windows,
//! each family's sum/avg/max/min/count/max_date/min_date/amt and the opening and closing
//! balances.

use chrono::Datelike;
use ledgerlens_analysis::rolling::{self, FamilyStats, Window};
use ledgerlens_analysis::{AccountInput, Enrichment};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde_json::{json, Map, Value};

/// The table's families that the monthly analysis defines as `amt_<family>` metrics.
pub const ROLLING_FAMILIES: &[&str] = &[
    "credit",
    "debit",
    "emi_debit",
    "inward_cheque_bounce_credit",
    "outward_cheque_bounce_debit",
    "credit_card_bill_debit",
    "cash_withdrawl_debit",
    "investment",
    "bank_interest_credit",
    "cash_deposit_credit",
    "loan_credits",
    "chq_debit",
    "chq_credit",
    "bank_charge_debit",
    "discretionary_spends",
    "refund_credit",
    "auto_debit_payment_debit",
    "auto_debit_payment_bounce_credit",
    "international_transaction_arbitrage_debit",
    "international_transaction_arbitrage_credit",
    "debit_card_debit",
    "net_banking_transfer_debit",
    "upi_credit",
];

const GROUPS: [usize; 3] = [3, 6, 12];

fn money(value: Decimal) -> Value {
    value.round_dp(2).to_f64().map_or(Value::Null, Value::from)
}

fn day(date: chrono::NaiveDate) -> String {
    date.format("%d-%b-%y").to_string()
}

fn family_json(stats: &FamilyStats) -> Value {
    let avg = if stats.count > 0 {
        stats.sum / Decimal::from(stats.count)
    } else {
        Decimal::ZERO
    };
    json!({
        "sum": money(stats.sum),
        "avg": money(avg),
        "max": stats.max.map(|(amount, _)| money(amount)),
        "min": stats.min.map(|(amount, _)| money(amount)),
        "count": stats.count,
        "max_date": stats.max.map(|(_, date)| day(date)),
        "min_date": stats.min.map(|(_, date)| day(date)),
        "amt": stats.sum.round_dp(2).to_string(),
    })
}

fn balance_json(value: Option<Decimal>) -> Value {
    json!({
        "avg": value.map_or(json!(0.0), money),
        "max": value.map(money),
        "min": value.map(money),
        "count": usize::from(value.is_some()),
        "amt": value.unwrap_or_default().round_dp(2).to_string(),
    })
}

/// The section for one account.
pub fn rolling_monthly_analysis(e: &Enrichment, account: &AccountInput) -> Value {
    let windows = rolling::windows(&e.transactions);
    let groups: Vec<(usize, Window)> = GROUPS
        .into_iter()
        .filter_map(|g| Some((g, rolling::group(&windows, g)?)))
        .collect();
    // Every window and group at once: each family's filter runs once.
    let all: Vec<Window> = windows
        .iter()
        .copied()
        .chain(groups.iter().map(|(_, w)| *w))
        .collect();
    let families: Vec<(&str, Vec<FamilyStats>)> = ROLLING_FAMILIES
        .iter()
        .filter_map(|f| {
            Some((
                *f,
                rolling::family_stats(&e.transactions, account, f, &all)?,
            ))
        })
        .collect();
    let block = |index: usize| {
        let mut out = Map::new();
        let (opening, closing) = rolling::opening_and_closing(&e.transactions, &all[index]);
        out.insert("opening_balance".into(), balance_json(opening));
        out.insert("closing_balance".into(), balance_json(closing));
        for (family, stats) in &families {
            if let Some(stats) = stats.get(index) {
                out.insert((*family).to_owned(), family_json(stats));
            }
        }
        Value::Object(out)
    };
    let n = windows.len();
    let mut order: Vec<String> = (0..n).rev().map(|k| format!("month_{k}")).collect();
    order.extend(groups.iter().map(|(g, _)| format!("{g}_months_group")));
    let mut out = Map::new();
    out.insert("months_order".into(), json!(order));
    out.insert(
        "calander_months_order".into(),
        json!(calendar_months(&windows)),
    );
    for k in (0..n).rev() {
        out.insert(format!("month_{k}"), block(k));
    }
    for (i, (g, _)) in groups.iter().enumerate() {
        out.insert(format!("{g}_months_group"), block(n + i));
    }
    Value::Object(out)
}

/// The calendar months ("Jan-21") the windows span, oldest first.
fn calendar_months(windows: &[Window]) -> Vec<String> {
    let (Some(latest), Some(oldest)) = (windows.first(), windows.last()) else {
        return Vec::new();
    };
    let mut months = Vec::new();
    let mut month = oldest.start.with_day(1).unwrap_or(oldest.start);
    while month <= latest.end {
        months.push(month.format("%b-%y").to_string());
        month = month
            .checked_add_months(chrono::Months::new(1))
            .unwrap_or(latest.end + chrono::Duration::days(1));
    }
    months
}

#[cfg(test)]
mod tests {
    use super::*;
    use ledgerlens_analysis::{enrich, EnrichmentContext};
    use ledgerlens_statement::model::{Transaction, TransactionType};

    fn txn(date: &str, credit: bool, amount: i64, balance: i64) -> Transaction {
        Transaction {
            transaction_type: if credit {
                TransactionType::Credit
            } else {
                TransactionType::Debit
            },
            transaction_note: if credit { "NEFT CR ACME" } else { "ATW-ATM" }.into(),
            chq_num: String::new(),
            amount: Decimal::new(amount, 0),
            balance: Decimal::new(balance, 0),
            date: date
                .parse::<chrono::NaiveDate>()
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .unwrap_or_default(),
            value_date: None,
            hash: date.into(),
            page: 1,
            balance_derived: false,
        }
    }

    #[test]
    fn windows_are_rolling_thirty_days_with_dated_extremes() {
        let input = AccountInput::from_transactions(vec![
            txn("2025-04-25", true, 700, 700),
            txn("2025-05-28", true, 1000, 1700),
            txn("2025-06-20", true, 400, 2100),
            txn("2025-07-02", true, 500, 2600),
            txn("2025-07-31", false, 200, 2400),
        ]);
        let e = enrich(&input, &EnrichmentContext::default());
        let doc = rolling_monthly_analysis(&e, &input);
        assert_eq!(
            doc["months_order"],
            json!(["month_3", "month_2", "month_1", "month_0", "3_months_group"])
        );
        // month_1 is 2 June – 1 July and month_2 3 May – 1 June: 28 May and 20 June, a
        // calendar month apart, land in neighbouring windows; 2 July joins 31 July's window.
        assert_eq!(doc["month_1"]["credit"]["sum"], json!(400.0));
        assert_eq!(doc["month_1"]["credit"]["max_date"], "20-Jun-25");
        // month_2 is 3 May – 1 June: 28 May's 1000.
        assert_eq!(doc["month_2"]["credit"]["sum"], json!(1000.0));
        assert_eq!(doc["month_0"]["credit"]["count"], 1);
        assert_eq!(doc["month_0"]["debit"]["amt"], "200");
        assert_eq!(doc["month_0"]["opening_balance"]["amt"], "2100");
        assert_eq!(doc["month_0"]["closing_balance"]["max"], json!(2400.0));
        assert_eq!(doc["3_months_group"]["credit"]["sum"], json!(1900.0));
        assert_eq!(doc["3_months_group"]["credit"]["min_date"], "20-Jun-25");
        assert_eq!(
            doc["calander_months_order"],
            json!(["Apr-25", "May-25", "Jun-25", "Jul-25"])
        );
    }
}
