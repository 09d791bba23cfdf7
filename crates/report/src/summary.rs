//! The Summary sheet an underwriter reads first, and the counterparty concentration of the
//! accounts: figures computed from the Insights sections, each labelled with how it was made.

use crate::model::{Cell, Column, Scope, Sheet};
use crate::read::{array, decimal, field_decimal, field_str, month};
use crate::AccountInsights;
use rust_decimal::Decimal;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

/// One Summary row: its label and one cell per account.
type Row = (String, Vec<Cell>);

pub fn summary(scope: Scope, accounts: &[AccountInsights], id: &str) -> Sheet {
    let mut columns = vec![Column::new("Item", 64.0)];
    columns.extend(
        accounts
            .iter()
            .map(|a| Column::keyed(&a.label(), 30.0, "account")),
    );
    let mut sheet = Sheet::new("Summary", "summary", columns);
    sheet.filter = false;
    let title = match scope {
        Scope::Account => "Account report",
        Scope::Aggregate => "Session report",
    };
    let mut rows: Vec<Row> = vec![(
        title.to_owned(),
        accounts.iter().map(|_| Cell::text(id)).collect(),
    )];
    let figures: Vec<Figures> = accounts.iter().map(Figures::of).collect();
    let per = |f: &dyn Fn(&Figures) -> Cell| figures.iter().map(f).collect::<Vec<_>>();
    let mut add = |label: &str, cells: Vec<Cell>| rows.push((label.to_owned(), cells));
    add("Account holder", per(&|f| f.text("name")));
    add("Bank", per(&|f| f.text("bank")));
    add("Account number", per(&|f| f.text("account_number")));
    add("Account type", per(&|f| f.text("account_type")));
    add("Holder category", per(&|f| f.text("account_category")));
    add("Months analysed", per(&|f| Cell::Count(f.months)));
    add(
        "Reconciliation",
        per(&|f| Cell::text(f.reconciliation.clone())),
    );
    add(
        "Average bank balance (ABB: mean of the monthly average EOD balances)",
        per(&|f| Cell::opt_money(f.mean("avg_bal"))),
    );
    add(
        "Lowest EOD balance",
        per(&|f| Cell::opt_money(f.min("min_eod_balance"))),
    );
    add(
        "Average monthly credits",
        per(&|f| Cell::opt_money(f.mean("amt_credit"))),
    );
    add(
        "Average monthly debits",
        per(&|f| Cell::opt_money(f.mean("amt_debit"))),
    );
    add(
        "Average monthly salary (months with salary)",
        per(&|f| Cell::opt_money(f.salary)),
    );
    add("Employer", per(&|f| Cell::opt_text(f.employer.as_deref())));
    add(
        "EMIs paid in the period",
        per(&|f| Cell::opt_money(f.sum("amt_emi_debit"))),
    );
    add(
        "Average monthly EMI",
        per(&|f| Cell::opt_money(f.mean("amt_emi_debit"))),
    );
    add(
        "FOIR (average monthly EMI / average monthly salary)",
        per(&|f| f.foir().map_or(Cell::text("no salary"), Cell::Percent)),
    );
    add(
        "Bounced or penal transactions",
        per(&|f| Cell::Count(f.bounces)),
    );
    add(
        "Cash deposits (% of credits)",
        per(&|f| {
            f.share("amt_cash_deposit_credit", "amt_credit")
                .map_or(Cell::Empty, Cell::Percent)
        }),
    );
    add(
        "Inward cheque returns (count)",
        per(&|f| f.count("cnt_inward_cheque_bounce_credit")),
    );
    add(
        "Outward cheque returns (count)",
        per(&|f| f.count("cnt_outward_cheque_bounce_debit")),
    );
    add(
        "Score (300-900)",
        per(&|f| f.score.map_or(Cell::Empty, Cell::Number)),
    );
    for name in factor_names(&figures) {
        add(
            &format!("Score factor: {}", name.replace('_', " ")),
            per(&|f| f.factor(&name)),
        );
    }
    add("Fraud verdict", per(&|f| Cell::text(f.fraud.clone())));
    if figures.iter().any(|f| f.is_current) {
        concentration_rows(&figures, &mut rows);
    }
    for (label, cells) in rows {
        let mut row = vec![Cell::text(label)];
        row.extend(cells);
        sheet.rows.push(row);
    }
    sheet
}

fn concentration_rows(figures: &[Figures], rows: &mut Vec<Row>) {
    let share = |side: Side, top: usize| -> Vec<Cell> {
        figures
            .iter()
            .map(|f| {
                if !f.is_current {
                    return Cell::Empty;
                }
                let parties = f.counterparties(side);
                let total = f.side_total(side);
                let top_sum: Decimal = parties.iter().take(top).map(|(_, a)| *a).sum();
                percent(top_sum, total).map_or(Cell::Empty, Cell::Percent)
            })
            .collect()
    };
    let largest = |side: Side| -> Vec<Cell> {
        figures
            .iter()
            .map(|f| {
                let parties = f.counterparties(side);
                match parties.first() {
                    Some((name, _)) if f.is_current => Cell::text(name.as_str()),
                    _ => Cell::Empty,
                }
            })
            .collect()
    };
    rows.push((
        "Largest customer (credits)".to_owned(),
        largest(Side::Credit),
    ));
    rows.push((
        "Largest customer, % of credits".to_owned(),
        share(Side::Credit, 1),
    ));
    rows.push((
        "Top 5 customers, % of credits".to_owned(),
        share(Side::Credit, 5),
    ));
    rows.push(("Largest supplier (debits)".to_owned(), largest(Side::Debit)));
    rows.push((
        "Largest supplier, % of debits".to_owned(),
        share(Side::Debit, 1),
    ));
    rows.push((
        "Top 5 suppliers, % of debits".to_owned(),
        share(Side::Debit, 5),
    ));
}

fn factor_names(figures: &[Figures]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for f in figures {
        for (name, _) in &f.factors {
            if !names.contains(name) {
                names.push(name.clone());
            }
        }
    }
    names
}

fn percent(part: Decimal, whole: Decimal) -> Option<Decimal> {
    (!whole.is_zero()).then(|| (part * Decimal::ONE_HUNDRED / whole).round_dp(2))
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Credit,
    Debit,
}

/// The figures of one account the Summary is made of.
struct Figures<'a> {
    account: &'a AccountInsights,
    /// Monthly-analysis values per metric, by month.
    monthly: HashMap<&'a str, BTreeMap<chrono::NaiveDate, Decimal>>,
    months: i64,
    salary: Option<Decimal>,
    employer: Option<String>,
    bounces: i64,
    score: Option<Decimal>,
    factors: Vec<(String, Cell)>,
    fraud: String,
    reconciliation: String,
    is_current: bool,
}

impl<'a> Figures<'a> {
    fn of(account: &'a AccountInsights) -> Figures<'a> {
        let monthly = monthly_values(&account.data);
        let months = monthly
            .values()
            .flat_map(|m| m.keys())
            .collect::<std::collections::BTreeSet<_>>()
            .len();
        let (salary, employer) = salary(&account.data);
        let details = account.data.get("account_details").unwrap_or(&Value::Null);
        let kind = [
            field_str(details, "account_category"),
            field_str(details, "account_type"),
        ];
        Figures {
            account,
            monthly,
            months: i64::try_from(months).unwrap_or(i64::MAX),
            salary,
            employer,
            bounces: count(array(&account.data, "bounced_or_penal_transactions")),
            score: field_decimal(&account.data, "score"),
            factors: factors(&account.data),
            fraud: crate::sections::fraud_verdict(account),
            reconciliation: crate::sections::account_verdict(account),
            is_current: kind
                .iter()
                .flatten()
                .any(|k| k.to_ascii_lowercase().contains("current")),
        }
    }

    fn text(&self, key: &str) -> Cell {
        let details = self
            .account
            .data
            .get("account_details")
            .unwrap_or(&Value::Null);
        Cell::opt_text(field_str(details, key))
    }

    fn values(&self, metric: &str) -> Vec<Decimal> {
        self.monthly
            .get(metric)
            .map(|m| m.values().copied().collect())
            .unwrap_or_default()
    }

    fn sum(&self, metric: &str) -> Option<Decimal> {
        let values = self.values(metric);
        (!values.is_empty()).then(|| values.iter().sum())
    }

    fn mean(&self, metric: &str) -> Option<Decimal> {
        let values = self.values(metric);
        let n = Decimal::from(values.len());
        (!values.is_empty()).then(|| (values.iter().sum::<Decimal>() / n).round_dp(2))
    }

    fn min(&self, metric: &str) -> Option<Decimal> {
        self.values(metric).into_iter().min()
    }

    fn count(&self, metric: &str) -> Cell {
        self.sum(metric)
            .and_then(|n| i64::try_from(n.trunc()).ok())
            .map_or(Cell::Empty, Cell::Count)
    }

    fn share(&self, part: &str, whole: &str) -> Option<Decimal> {
        percent(self.sum(part)?, self.sum(whole)?)
    }

    fn foir(&self) -> Option<Decimal> {
        let salary = self.salary.filter(|s| !s.is_zero())?;
        percent(self.mean("amt_emi_debit").unwrap_or_default(), salary)
    }

    fn factor(&self, name: &str) -> Cell {
        self.factors
            .iter()
            .find(|(n, _)| n == name)
            .map_or(Cell::Empty, |(_, c)| c.clone())
    }

    fn side_total(&self, side: Side) -> Decimal {
        self.transactions(side).map(|(_, amount)| amount).sum()
    }

    fn transactions(&self, side: Side) -> impl Iterator<Item = (&'a Value, Decimal)> + '_ {
        let wanted = match side {
            Side::Credit => "credit",
            Side::Debit => "debit",
        };
        array(&self.account.data, "transactions")
            .iter()
            .filter(move |t| {
                field_str(t, "transaction_type").is_some_and(|s| s.eq_ignore_ascii_case(wanted))
            })
            .filter_map(|t| Some((t, field_decimal(t, "amount")?)))
    }

    /// Named counterparties of one side, largest total first.
    fn counterparties(&self, side: Side) -> Vec<(String, Decimal)> {
        counterparties(self.transactions(side))
    }
}

/// Counterparty totals, largest first; rows without a named counterparty (cash, charges,
/// interest) are left out of the ranking but stay in the side's total.
pub fn counterparties<'v>(
    rows: impl Iterator<Item = (&'v Value, Decimal)>,
) -> Vec<(String, Decimal)> {
    let mut totals: HashMap<String, Decimal> = HashMap::new();
    for (txn, amount) in rows {
        if let Some(name) = counterparty(txn) {
            *totals.entry(name).or_default() += amount;
        }
    }
    let mut ranked: Vec<(String, Decimal)> = totals.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    ranked
}

/// The merchant, else the party of a "Transfer to/from X" description.
fn counterparty(txn: &Value) -> Option<String> {
    let metadata = txn.get("metadata").unwrap_or(&Value::Null);
    if let Some(merchant) = field_str(metadata, "unclean_merchant") {
        return Some(merchant.to_uppercase());
    }
    let description = field_str(metadata, "description")?;
    ["Transfer to ", "Transfer from "]
        .iter()
        .find_map(|p| description.strip_prefix(p))
        .map(|name| name.trim().to_uppercase())
        .filter(|name| !name.is_empty())
}

fn count(rows: &[Value]) -> i64 {
    i64::try_from(rows.len()).unwrap_or(i64::MAX)
}

fn monthly_values(data: &Value) -> HashMap<&str, BTreeMap<chrono::NaiveDate, Decimal>> {
    let Some(metrics) = data.get("monthly_analysis").and_then(Value::as_object) else {
        return HashMap::new();
    };
    metrics
        .iter()
        .filter_map(|(metric, per_month)| {
            let per_month = per_month.as_object()?;
            let values = per_month
                .iter()
                .filter_map(|(k, v)| Some((month(k)?, decimal(v)?)))
                .collect();
            Some((metric.as_str(), values))
        })
        .collect()
}

/// Average salary over the months that had one, and the employer most often named.
fn salary(data: &Value) -> (Option<Decimal>, Option<String>) {
    let rows = array(data, "salary_transactions");
    let mut per_month: BTreeMap<String, Decimal> = BTreeMap::new();
    let mut employers: BTreeMap<&str, usize> = BTreeMap::new();
    for row in rows {
        let Some(amount) = field_decimal(row, "amount") else {
            continue;
        };
        let month = field_str(row, "salary_month")
            .map(str::to_owned)
            .or_else(|| field_str(row, "date").map(|d| d.chars().take(7).collect()))
            .unwrap_or_default();
        *per_month.entry(month).or_default() += amount;
        if let Some(employer) = field_str(row, "employer_name") {
            *employers.entry(employer).or_default() += 1;
        }
    }
    let average = (!per_month.is_empty()).then(|| {
        (per_month.values().sum::<Decimal>() / Decimal::from(per_month.len())).round_dp(2)
    });
    let employer = employers
        .into_iter()
        .max_by_key(|(_, n)| *n)
        .map(|(name, _)| name.to_owned());
    (average, employer)
}

/// `score_factors` (name, points, detail) as "+80: average daily balance 12345".
fn factors(data: &Value) -> Vec<(String, Cell)> {
    array(data, "score_factors")
        .iter()
        .filter_map(|f| {
            let name = field_str(f, "name")?.to_owned();
            let points = field_decimal(f, "points").unwrap_or_default();
            let detail = field_str(f, "detail").unwrap_or_default();
            let sign = if points.is_sign_negative() { "" } else { "+" };
            Some((name, Cell::text(format!("{sign}{points}: {detail}"))))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn counterparties_rank_named_parties_only() {
        let rows = [
            json!({"amount": 100, "metadata": {"description": "Transfer from ACME LTD"}}),
            json!({"amount": 50, "metadata": {"unclean_merchant": "zeta"}}),
            json!({"amount": 70, "metadata": {"description": "Transfer from Acme Ltd"}}),
            json!({"amount": 999, "metadata": {"description": "cash_deposit"}}),
        ];
        let ranked = counterparties(
            rows.iter()
                .map(|t| (t, field_decimal(t, "amount").unwrap_or_default())),
        );
        assert_eq!(
            ranked,
            vec![
                ("ACME LTD".to_owned(), Decimal::from(170)),
                ("ZETA".to_owned(), Decimal::from(50))
            ]
        );
    }
}
