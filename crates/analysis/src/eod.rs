//! End-of-day balances: for every calendar day from the first to the last
//! transaction, the balance after that day's last row, carried forward over days
//! without rows. Days outside the statement range are None (null).

use crate::EnrichedTransaction;
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct EodBalances {
    pub first_day: Option<NaiveDate>,
    pub last_day: Option<NaiveDate>,
    /// Balance before the first transaction.
    pub starting_balance: Option<Decimal>,
    pub months: Vec<MonthDays>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonthDays {
    pub year: i32,
    pub month: u32,
    /// One entry per calendar day of the month.
    pub days: Vec<Option<Decimal>>,
}

impl MonthDays {
    /// (day, balance) for the days inside the statement range.
    pub fn dated(&self) -> impl Iterator<Item = (NaiveDate, Decimal)> + '_ {
        self.days
            .iter()
            .enumerate()
            .filter_map(|(offset, balance)| {
                let day = NaiveDate::from_ymd_opt(self.year, self.month, offset as u32 + 1)?;
                Some((day, (*balance)?))
            })
    }

    /// EOD balance on day `day` (1-based) of this month.
    pub fn on(&self, day: u32) -> Option<Decimal> {
        self.days
            .get(day.checked_sub(1)? as usize)
            .copied()
            .flatten()
    }

    /// The days inside the statement range.
    pub fn in_range(&self) -> impl Iterator<Item = Decimal> + '_ {
        self.days.iter().filter_map(|day| *day)
    }
}

impl EodBalances {
    /// (day, balance) for every day of the statement range, oldest first.
    pub fn dated(&self) -> impl Iterator<Item = (NaiveDate, Decimal)> + '_ {
        self.months.iter().flat_map(MonthDays::dated)
    }

    pub fn month(&self, year: i32, month: u32) -> Option<&MonthDays> {
        self.months
            .iter()
            .find(|days| days.year == year && days.month == month)
    }
}

pub fn days_in_month(year: i32, month: u32) -> u32 {
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    };
    next.and_then(|day| day.pred_opt())
        .map_or(30, |day| day.day())
}

pub fn compute(transactions: &[EnrichedTransaction]) -> EodBalances {
    let (Some(first), Some(last)) = (transactions.first(), transactions.last()) else {
        return EodBalances::default();
    };
    // Rows stay in printed order, which a bank may break by a day or two (late postings):
    // the range is the earliest to the latest date, the starting balance the first row's.
    let first_day = transactions
        .iter()
        .map(|txn| txn.transaction.date.date())
        .min()
        .unwrap_or(first.transaction.date.date());
    let last_day = transactions
        .iter()
        .map(|txn| txn.transaction.date.date())
        .max()
        .unwrap_or(last.transaction.date.date());
    let starting_balance = first.transaction.balance - first.transaction.signed_amount();
    let mut months = Vec::new();
    let mut cursor = 0;
    let mut balance = starting_balance;
    let (mut year, mut month) = (first_day.year(), first_day.month());
    loop {
        let mut days = Vec::new();
        for day in 1..=days_in_month(year, month) {
            let Some(date) = NaiveDate::from_ymd_opt(year, month, day) else {
                continue;
            };
            while cursor < transactions.len()
                && transactions[cursor].transaction.date.date() <= date
            {
                balance = transactions[cursor].transaction.balance;
                cursor += 1;
            }
            let in_range = date >= first_day && date <= last_day;
            days.push(in_range.then_some(balance));
        }
        months.push(MonthDays { year, month, days });
        if (year, month) >= (last_day.year(), last_day.month()) {
            break;
        }
        (year, month) = if month == 12 {
            (year + 1, 1)
        } else {
            (year, month + 1)
        };
    }
    EodBalances {
        first_day: Some(first_day),
        last_day: Some(last_day),
        starting_balance: Some(starting_balance),
        months,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::txn;
    use crate::{enrich, AccountInput, EnrichmentContext};

    #[test]
    fn carries_forward_and_nulls_outside_range() {
        let input = AccountInput::from_transactions(vec![
            txn("2025-08-11", "credit", 1609, 1614, "A"),
            txn("2025-08-11", "debit", 1609, 5, "B"),
            txn("2025-08-14", "credit", 239, 244, "C"),
            txn("2025-09-02", "debit", 44, 200, "D"),
        ]);
        let eod = enrich(&input, &EnrichmentContext::default()).eod;
        assert_eq!(eod.starting_balance, Some(Decimal::new(5, 0)));
        let august = &eod.months[0];
        assert_eq!(august.days.len(), 31);
        assert_eq!(august.on(10), None);
        assert_eq!(august.on(11), Some(Decimal::new(5, 0)));
        assert_eq!(august.on(13), Some(Decimal::new(5, 0)));
        assert_eq!(august.on(31), Some(Decimal::new(244, 0)));
        let september = &eod.months[1];
        assert_eq!(september.days.len(), 30);
        assert_eq!(september.on(1), Some(Decimal::new(244, 0)));
        assert_eq!(september.on(2), Some(Decimal::new(200, 0)));
        assert_eq!(september.on(3), None);
    }
}
