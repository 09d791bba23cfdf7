//! Salary detection. Three kinds of evidence, strongest first: the narration says
//! salary (or names a session employer), or one payer credits a similar amount at a
//! similar day of month in several months. Confidence reflects which evidence held.

use crate::{EnrichedTransaction, EnrichmentContext, Mode};
use chrono::{Datelike, NaiveDate};
use ledgerlens_statement::model::TransactionType;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SalaryReport {
    /// Indices into the enriched transactions.
    pub transactions: Vec<usize>,
    pub employer_name: Option<String>,
    /// 0–100.
    pub salary_confidence: Option<f64>,
    /// How the salary was found: "narration", "employer_name" or "recurring_payer".
    pub evidence: Option<&'static str>,
}

const MONTH_NAMES: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];

/// Smallest credit treated as a possible salary when no narration says so.
const MIN_INFERRED_SALARY: i64 = 5_000;

pub fn detect(
    transactions: &mut [EnrichedTransaction],
    context: &EnrichmentContext,
) -> SalaryReport {
    let mut evidence = None;
    let mut salary: Vec<usize> = transactions
        .iter()
        .enumerate()
        .filter(|(_, txn)| txn.transaction_channel == "salary")
        .map(|(index, _)| index)
        .collect();
    if !salary.is_empty() {
        let by_employer = salary
            .iter()
            .any(|&index| transactions[index].rule_id == "R131");
        evidence = Some(if by_employer {
            "employer_name"
        } else {
            "narration"
        });
    } else if let Some(group) = recurring_payer(transactions) {
        salary = group;
        evidence = Some("recurring_payer");
    }
    let employer_name = employer(transactions, &salary, context);
    for &index in &salary {
        let txn = &mut transactions[index];
        txn.is_salary = true;
        txn.transaction_channel = "salary".into();
        txn.category = "Salary".into();
        txn.salary_month = Some(salary_month(txn));
        txn.employer_name = employer_name.clone();
    }
    SalaryReport {
        salary_confidence: evidence
            .map(|kind| confidence(kind, months_covered(transactions, &salary))),
        transactions: salary,
        employer_name,
        evidence,
    }
}

fn confidence(evidence: &str, months: usize) -> f64 {
    match evidence {
        "narration" | "employer_name" => 100.0,
        // One month of a repeating payer proves little; each further month adds trust.
        _ => (40.0 + 15.0 * months as f64).min(90.0),
    }
}

fn months_covered(transactions: &[EnrichedTransaction], indices: &[usize]) -> usize {
    let mut months: Vec<(i32, u32)> = indices
        .iter()
        .map(|&index| {
            let date = transactions[index].transaction.date;
            (date.year(), date.month())
        })
        .collect();
    months.sort_unstable();
    months.dedup();
    months.len()
}

/// Credits from one payer over NEFT/IMPS/RTGS/transfer, at most one a month, in at
/// least three months, amounts within 25% of their median and paid within a
/// seven-day window of the month.
fn recurring_payer(transactions: &[EnrichedTransaction]) -> Option<Vec<usize>> {
    let mut by_payer: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (index, txn) in transactions.iter().enumerate() {
        let eligible = txn.transaction.transaction_type == TransactionType::Credit
            && matches!(
                txn.mode,
                Mode::Neft | Mode::Imps | Mode::Rtgs | Mode::Transfer | Mode::Other
            )
            && txn.transaction_channel == "net_banking_transfer"
            && txn.transaction.amount >= Decimal::new(MIN_INFERRED_SALARY, 0);
        if let (true, Some(payer)) = (eligible, &txn.counterparty) {
            by_payer.entry(payer.clone()).or_default().push(index);
        }
    }
    by_payer
        .into_values()
        .filter(|indices| looks_like_salary(transactions, indices))
        .max_by_key(|indices| indices.len())
}

fn looks_like_salary(transactions: &[EnrichedTransaction], indices: &[usize]) -> bool {
    let months = months_covered(transactions, indices);
    if months < 3 || months != indices.len() {
        return false;
    }
    let mut amounts: Vec<Decimal> = indices
        .iter()
        .map(|&index| transactions[index].transaction.amount)
        .collect();
    amounts.sort_unstable();
    let median = amounts[amounts.len() / 2];
    let tolerance = median * Decimal::new(25, 2);
    let amounts_steady = amounts
        .iter()
        .all(|amount| (*amount - median).abs() <= tolerance);
    let days: Vec<i64> = indices
        .iter()
        .map(|&index| day_of_cycle(transactions[index].transaction.date.date()))
        .collect();
    let spread = days.iter().max().unwrap_or(&0) - days.iter().min().unwrap_or(&0);
    amounts_steady && spread <= 7
}

/// Day of month shifted so a pay day straddling the month end (30th, 1st) stays close.
fn day_of_cycle(date: NaiveDate) -> i64 {
    let day = i64::from(date.day());
    if day >= 20 {
        day - 31
    } else {
        day
    }
}

fn employer(
    transactions: &[EnrichedTransaction],
    salary: &[usize],
    context: &EnrichmentContext,
) -> Option<String> {
    if salary.is_empty() {
        return None;
    }
    if let Some(name) = context.employer_names.first() {
        return Some(name.clone());
    }
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for &index in salary {
        if let Some(payer) = &transactions[index].counterparty {
            if !payer.contains("SALARY") {
                *counts.entry(payer.as_str()).or_default() += 1;
            }
        }
    }
    counts
        .into_iter()
        .max_by_key(|(_, count)| *count)
        .map(|(name, _)| name.to_string())
}

/// The month the salary is for: a month the narration names, else the credit month
/// when paid from the 16th on, else the previous month ("Jul-2025" for 14 Aug).
pub fn salary_month(txn: &EnrichedTransaction) -> String {
    let date = txn.transaction.date.date();
    let words = crate::narration::normalize(&txn.transaction.transaction_note);
    let named = MONTH_NAMES.iter().position(|month| {
        words.contains(&format!(" {month} "))
            || words
                .split_whitespace()
                .any(|word| word.len() > 3 && word.starts_with(month) && full_month_name(word))
    });
    let (year, month) = match named {
        Some(index) => {
            let month = index as u32 + 1;
            // A name later in the year than the credit belongs to last year (Dec salary paid in Jan).
            let year = if month > date.month() + 1 {
                date.year() - 1
            } else {
                date.year()
            };
            (year, month)
        }
        None if date.day() >= 16 => (date.year(), date.month()),
        None if date.month() == 1 => (date.year() - 1, 12),
        None => (date.year(), date.month() - 1),
    };
    format!("{}-{year}", crate::output::month_abbrev(month))
}

fn full_month_name(word: &str) -> bool {
    [
        "JANUARY",
        "FEBRUARY",
        "MARCH",
        "APRIL",
        "JUNE",
        "JULY",
        "AUGUST",
        "SEPTEMBER",
        "SEPT",
        "OCTOBER",
        "NOVEMBER",
        "DECEMBER",
    ]
    .contains(&word)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::txn;
    use crate::{enrich, AccountInput};

    #[test]
    fn keyword_salary_with_month_names() {
        let input = AccountInput::from_transactions(vec![
            txn(
                "2025-08-14",
                "credit",
                10126,
                10454,
                "MUTHOOT FINANCE/Q1 SALARY INCENTIVE",
            ),
            txn(
                "2025-08-30",
                "credit",
                24193,
                34647,
                "MUTHOOT FINANCE/MUTHOOT SALARY AUGUST 2025",
            ),
        ]);
        let result = enrich(&input, &EnrichmentContext::default());
        assert_eq!(result.salary.transactions, vec![0, 1]);
        assert_eq!(
            result.transactions[0].salary_month.as_deref(),
            Some("Jul-2025")
        );
        assert_eq!(
            result.transactions[1].salary_month.as_deref(),
            Some("Aug-2025")
        );
        assert_eq!(result.salary.salary_confidence, Some(100.0));
    }

    #[test]
    fn recurring_neft_payer_is_inferred_salary() {
        let input = AccountInput::from_transactions(vec![
            txn(
                "2024-01-31",
                "credit",
                50000,
                50000,
                "NEFT-N0123456-ORBIT WIDGETS PVT LTD",
            ),
            txn(
                "2024-02-29",
                "credit",
                50000,
                100000,
                "NEFT-N0223456-ORBIT WIDGETS PVT LTD",
            ),
            txn(
                "2024-04-01",
                "credit",
                52000,
                152000,
                "NEFT-N0323456-ORBIT WIDGETS PVT LTD",
            ),
        ]);
        let result = enrich(&input, &EnrichmentContext::default());
        assert_eq!(result.salary.evidence, Some("recurring_payer"));
        assert_eq!(result.salary.transactions.len(), 3);
        assert_eq!(
            result.salary.employer_name.as_deref(),
            Some("ORBIT WIDGETS PVT LTD")
        );
        assert_eq!(result.salary.salary_confidence, Some(85.0));
    }
}
