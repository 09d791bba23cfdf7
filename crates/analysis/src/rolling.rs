//! Rolling 30-day windows, as rest-api.md's rolling monthly analysis defines every field
//! ("rolling 30 days"): window 0 holds the 30 days that end on the last transaction's date,
//! window 1 the 30 days before those, and so on back to the first transaction. A family's rows
//! are those its monthly metric (`amt_<family>`) selects.

use crate::{monthly, AccountInput, EnrichedTransaction};
use chrono::{Duration, NaiveDate};
use rust_decimal::Decimal;

pub const WINDOW_DAYS: i64 = 30;

/// Days `start..=end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl Window {
    fn holds(&self, day: NaiveDate) -> bool {
        self.start <= day && day <= self.end
    }
}

/// The windows covering the statement, latest first.
pub fn windows(transactions: &[EnrichedTransaction]) -> Vec<Window> {
    let days = transactions.iter().map(|t| t.transaction.date.date());
    let (Some(first), Some(last)) = (days.clone().min(), days.max()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut end = last;
    while end >= first {
        let start = end - Duration::days(WINDOW_DAYS - 1);
        out.push(Window { start, end });
        end = start - Duration::days(1);
    }
    out
}

/// One window joining `windows[..n]` (the latest n), for the 3/6/12 window groups.
pub fn group(windows: &[Window], n: usize) -> Option<Window> {
    let latest = windows.first()?;
    let oldest = windows.get(n.checked_sub(1)?)?;
    Some(Window {
        start: oldest.start,
        end: latest.end,
    })
}

/// Sum, count and extremes (with their dates) of a family's amounts in a window.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FamilyStats {
    pub sum: Decimal,
    pub count: usize,
    pub max: Option<(Decimal, NaiveDate)>,
    pub min: Option<(Decimal, NaiveDate)>,
}

/// The rows of `family` (`amt_<family>`'s filter) in each window; `None` when no monthly metric
/// `amt_<family>` is defined.
pub fn family_stats(
    transactions: &[EnrichedTransaction],
    account: &AccountInput,
    family: &str,
    windows: &[Window],
) -> Option<Vec<FamilyStats>> {
    let filter = monthly::metric_filter(&format!("amt_{family}"))?;
    let rows = monthly::filter_rows(transactions, account, filter).ok()?;
    Some(
        windows
            .iter()
            .map(|window| stats(transactions, &rows, window))
            .collect(),
    )
}

fn stats(transactions: &[EnrichedTransaction], rows: &[usize], window: &Window) -> FamilyStats {
    let mut out = FamilyStats::default();
    for txn in rows.iter().filter_map(|&i| transactions.get(i)) {
        let (amount, day) = (txn.transaction.amount, txn.transaction.date.date());
        if !window.holds(day) {
            continue;
        }
        out.sum += amount;
        out.count += 1;
        // The first of equal amounts keeps its date.
        if out.max.is_none_or(|(max, _)| amount > max) {
            out.max = Some((amount, day));
        }
        if out.min.is_none_or(|(min, _)| amount < min) {
            out.min = Some((amount, day));
        }
    }
    out
}

/// The balance before the window's first transaction and after its last (None: no row in it).
pub fn opening_and_closing(
    transactions: &[EnrichedTransaction],
    window: &Window,
) -> (Option<Decimal>, Option<Decimal>) {
    let inside: Vec<&EnrichedTransaction> = transactions
        .iter()
        .filter(|t| window.holds(t.transaction.date.date()))
        .collect();
    let opening = inside.first().map(|t| {
        let signed = match t.transaction.transaction_type {
            ledgerlens_statement::TransactionType::Credit => t.transaction.amount,
            ledgerlens_statement::TransactionType::Debit => -t.transaction.amount,
        };
        t.transaction.balance - signed
    });
    (opening, inside.last().map(|t| t.transaction.balance))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::txn;
    use crate::{enrich, EnrichmentContext};

    #[test]
    fn windows_count_back_thirty_days_from_the_last_transaction_not_calendar_months() {
        let input = AccountInput::from_transactions(vec![
            txn("2025-06-20", "credit", 1000, 1000, "NEFT CR ACME"),
            txn("2025-07-02", "credit", 500, 1500, "NEFT CR ACME"),
            txn("2025-07-31", "debit", 200, 1300, "ATW-ATM"),
        ]);
        let e = enrich(&input, &EnrichmentContext::default());
        let w = windows(&e.transactions);
        let day = |s: &str| s.parse::<NaiveDate>().expect("date");
        assert_eq!(
            w,
            vec![
                Window {
                    start: day("2025-07-02"),
                    end: day("2025-07-31")
                },
                Window {
                    start: day("2025-06-02"),
                    end: day("2025-07-01")
                },
            ]
        );
        // 2 July is in the latest window with 31 July (a calendar month would agree) but
        // 20 June too is only 41 days back: it sits in window 1, with nothing from July.
        let credits = family_stats(&e.transactions, &input, "credit", &w).expect("credit family");
        assert_eq!(credits[0].sum, Decimal::new(500, 0));
        assert_eq!(credits[0].count, 1);
        assert_eq!(credits[1].sum, Decimal::new(1000, 0));
        assert_eq!(
            credits[1].max,
            Some((Decimal::new(1000, 0), day("2025-06-20")))
        );
        let both = group(&w, 2).expect("group of two");
        let all = family_stats(&e.transactions, &input, "credit", &[both]).expect("credit");
        assert_eq!(all[0].sum, Decimal::new(1500, 0));
        assert_eq!(
            opening_and_closing(&e.transactions, &w[0]),
            (Some(Decimal::new(1000, 0)), Some(Decimal::new(1300, 0)))
        );
        assert!(family_stats(&e.transactions, &input, "no_such_family", &w).is_none());
    }
}
