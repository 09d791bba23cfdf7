//! A transparent score in 300–900: a 600 base plus listed, bounded factors, each
//! with the figure it came from. No hidden weights.

use crate::fraud::FraudReport;
use crate::monthly::MonthlyAnalysis;
use crate::salary::SalaryReport;
use crate::EnrichedTransaction;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreFactor {
    pub name: &'static str,
    pub points: i32,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct ScoreReport {
    pub score: i32,
    pub factors: Vec<ScoreFactor>,
}

const BASE: i32 = 600;

fn sum_metric(monthly: &MonthlyAnalysis, metric: &str) -> Decimal {
    (0..monthly.months.len())
        .filter_map(|index| monthly.number(metric, index))
        .sum()
}

fn average_metric(monthly: &MonthlyAnalysis, metric: &str) -> Decimal {
    let months = monthly.months.len().max(1);
    sum_metric(monthly, metric) / Decimal::from(months)
}

pub fn compute(
    monthly: &MonthlyAnalysis,
    transactions: &[EnrichedTransaction],
    salary: &SalaryReport,
    fraud: &FraudReport,
) -> ScoreReport {
    let mut factors = Vec::new();
    let average_balance = average_metric(monthly, "avg_bal");
    // No month with an average balance: none is printed (the metric is null), which says
    // nothing about how much the account holds, so it earns and costs nothing.
    let balances_unknown = !monthly.months.is_empty()
        && (0..monthly.months.len()).all(|index| monthly.number("avg_bal", index).is_none());
    let balance_points = match average_balance.to_i64().unwrap_or(0) {
        _ if balances_unknown => 0,
        balance if balance >= 100_000 => 120,
        balance if balance >= 25_000 => 80,
        balance if balance >= 5_000 => 40,
        balance if balance >= 1_000 => 0,
        _ => -60,
    };
    factors.push(ScoreFactor {
        name: "average_balance",
        points: balance_points,
        detail: if balances_unknown {
            "average daily balance unknown: the statement prints no balance".to_string()
        } else {
            format!("average daily balance {}", average_balance.round_dp(2))
        },
    });
    let salary_points = match salary.salary_confidence {
        Some(confidence) if confidence >= 90.0 => 80,
        Some(_) => 40,
        None => 0,
    };
    factors.push(ScoreFactor {
        name: "salary",
        points: salary_points,
        detail: format!("{} salary credits", salary.transactions.len()),
    });
    let bounces = transactions
        .iter()
        .filter(|txn| crate::groups::is_bounce_or_penal(txn))
        .count();
    factors.push(ScoreFactor {
        name: "bounces_and_penalties",
        points: -(40 * bounces as i32).min(200),
        detail: format!("{bounces} bounced or penal transactions"),
    });
    let income = sum_metric(monthly, "amt_income_credit");
    let debits = sum_metric(monthly, "amt_debit");
    let cover_points = if income.is_zero() {
        -40
    } else if debits <= income {
        40
    } else {
        -20
    };
    factors.push(ScoreFactor {
        name: "income_covers_spending",
        points: cover_points,
        detail: format!(
            "income {} vs debits {}",
            income.round_dp(2),
            debits.round_dp(2)
        ),
    });
    let overdrawn_days: Decimal = sum_metric(monthly, "cnt_days_account_overdrawn");
    factors.push(ScoreFactor {
        name: "overdrawn_days",
        points: -(overdrawn_days.to_i32().unwrap_or(0) * 2).min(100),
        detail: format!("{overdrawn_days} days with negative end-of-day balance"),
    });
    let months = monthly.months.len() as i32;
    factors.push(ScoreFactor {
        name: "history_length",
        points: (months * 5).min(60),
        detail: format!("{months} months of transactions"),
    });
    if !fraud.fraud.is_empty() {
        factors.push(ScoreFactor {
            name: "fraud_findings",
            points: -250,
            detail: format!("{} fraud findings", fraud.fraud.len()),
        });
    }
    let total: i32 = BASE + factors.iter().map(|factor| factor.points).sum::<i32>();
    ScoreReport {
        score: total.clamp(300, 900),
        factors,
    }
}
