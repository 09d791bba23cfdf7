//! End-of-day balances: for every calendar day from the first to the last
//! transaction, the balance after that day's last row, carried forward over days
//! without rows. Days outside the statement range are None (null), and so are days whose
//! balance comes from a statement that prints no balance anywhere (its rows' balances are
//! counted from zero): those are marked unknown, so that a figure over a span of days can
//! tell a day it does not know from a day outside the statement.

use crate::EnrichedTransaction;
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct EodBalances {
    pub first_day: Option<NaiveDate>,
    pub last_day: Option<NaiveDate>,
    /// Balance before the first transaction (None when the first row's balance is unknown).
    pub starting_balance: Option<Decimal>,
    pub months: Vec<MonthDays>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonthDays {
    pub year: i32,
    pub month: u32,
    /// One entry per calendar day of the month: None outside the statement range and on
    /// the days whose balance is unknown.
    pub days: Vec<Option<Decimal>>,
    /// One entry per calendar day: true for a day inside the statement range whose balance
    /// is unknown (set by a row of a statement that prints no balance anywhere).
    #[serde(skip)]
    pub unknown: Vec<bool>,
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

    /// The balances of the days inside the statement range whose balance is known.
    pub fn in_range(&self) -> impl Iterator<Item = Decimal> + '_ {
        self.days.iter().filter_map(|day| *day)
    }

    /// Some day inside the statement range has an unknown balance.
    pub fn has_unknown(&self) -> bool {
        self.unknown.contains(&true)
    }

    /// Some day inside the statement range has a known balance.
    pub fn has_known(&self) -> bool {
        self.days.iter().any(Option::is_some)
    }

    /// First and last day (1-based) of the month inside the statement range, whether or not
    /// their balances are known.
    pub fn range(&self) -> Option<(u32, u32)> {
        let inside = |offset: usize| {
            self.days[offset].is_some() || self.unknown.get(offset).copied().unwrap_or(false)
        };
        let first = (0..self.days.len()).find(|&offset| inside(offset))?;
        let last = (0..self.days.len()).rev().find(|&offset| inside(offset))?;
        Some((first as u32 + 1, last as u32 + 1))
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

    /// Some day from `from` to `to` (inclusive) inside the statement range has an unknown
    /// balance.
    pub fn unknown_between(&self, from: NaiveDate, to: NaiveDate) -> bool {
        self.months.iter().filter(|m| m.has_unknown()).any(|m| {
            m.unknown.iter().enumerate().any(|(offset, unknown)| {
                *unknown
                    && NaiveDate::from_ymd_opt(m.year, m.month, offset as u32 + 1)
                        .is_some_and(|day| day >= from && day <= to)
            })
        })
    }

    /// Some day of the statement has a known balance.
    pub fn has_known(&self) -> bool {
        self.months.iter().any(MonthDays::has_known)
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

/// The EOD series of the account's rows (merged, in order); a day is unknown when the row
/// that sets its balance (the day's last row, or the last one before it) has an unknown
/// balance and the next row's is unknown too (else the day holds the balance the next row
/// starts from). A statement with printed balances that follows one without is known again:
/// its balances are the bank's, not carried from the earlier rows.
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
    // Whether `balance` is known: it is the balance of the row that set it.
    let mut known = first.balance_known;
    let (mut year, mut month) = (first_day.year(), first_day.month());
    loop {
        let mut days = Vec::new();
        let mut unknown = Vec::new();
        for day in 1..=days_in_month(year, month) {
            let Some(date) = NaiveDate::from_ymd_opt(year, month, day) else {
                continue;
            };
            while cursor < transactions.len()
                && transactions[cursor].transaction.date.date() <= date
            {
                balance = transactions[cursor].transaction.balance;
                known = transactions[cursor].balance_known;
                cursor += 1;
            }
            // A day the unknown rows leave unknown is known when the next row's balance is:
            // it is that row's balance before the row (the statement with printed balances
            // that follows one without starts from it).
            let next_opening = transactions
                .get(cursor)
                .filter(|next| !known && next.balance_known)
                .map(|next| next.transaction.balance - next.transaction.signed_amount());
            let in_range = date >= first_day && date <= last_day;
            let day_balance = if known { Some(balance) } else { next_opening };
            days.push(day_balance.filter(|_| in_range));
            unknown.push(in_range && day_balance.is_none());
        }
        months.push(MonthDays {
            year,
            month,
            days,
            unknown,
        });
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
        starting_balance: first.balance_known.then_some(starting_balance),
        months,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::txn;
    use crate::{enrich, AccountInput, EnrichmentContext};

    /// Aug 11 and 14 from a statement that prints no balance (counted from zero), Aug 20
    /// from one that prints them: 11-13 are unknown, 14-19 hold 5,000 (what the Aug 20 credit
    /// of 1,000 reading 6,000 starts from), the 20th 6,000. Hand-written rows.
    #[test]
    fn days_left_unknown_take_the_next_printed_rows_opening() {
        let statement = |id: &str, known: bool, rows| crate::StatementInput {
            statement_id: id.into(),
            transactions: rows,
            balances_known: known,
            ..crate::StatementInput::default()
        };
        let input = AccountInput {
            statements: vec![
                statement(
                    "no-balance",
                    false,
                    vec![
                        txn("2025-08-11", "credit", 100, 100, "A"),
                        txn("2025-08-14", "debit", 50, 50, "B"),
                    ],
                ),
                statement(
                    "printed",
                    true,
                    vec![txn("2025-08-20", "credit", 1000, 6000, "C")],
                ),
            ],
            ..AccountInput::default()
        };
        let eod = enrich(&input, &EnrichmentContext::default()).eod;
        assert_eq!(eod.starting_balance, None);
        let august = &eod.months[0];
        for day in 11..=13 {
            assert_eq!(august.on(day), None, "{day}");
        }
        for day in 14..=19 {
            assert_eq!(august.on(day), Some(Decimal::new(5000, 0)), "{day}");
        }
        assert_eq!(august.on(20), Some(Decimal::new(6000, 0)));
        assert!(august.has_unknown() && august.has_known());
        assert_eq!(august.range(), Some((11, 20)));
        let unknown = |day| NaiveDate::from_ymd_opt(2025, 8, day).unwrap_or_default();
        assert!(eod.unknown_between(unknown(13), unknown(20)));
        assert!(!eod.unknown_between(unknown(14), unknown(20)));
    }

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
