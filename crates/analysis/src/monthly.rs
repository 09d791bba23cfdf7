//! Monthly analysis driven by one table (data/monthly_metrics.tsv): each metric is a
//! filter over the month's enriched transactions plus an aggregate.
//!
//! Filter grammar: conditions joined by `&`, each optionally negated with `!`:
//! `side=credit`, `channel=a,b`, `desc=a,b`, `category=Exact Name`, `merchant=a,b`,
//! `mode=UPI,IMPS`, `phrase=A+B|C` (whole words of the narration), or a flag:
//! `salary`, `income`, `corporate`, `tech` (technical bounce reason), `sister`,
//! `bounce_or_penal`, `reversal_debit`, `chq_num`. `*` keeps every row.
//!
//! Aggregates over the filtered rows: `sum`, `count`, `max`, `min`, `avg`, `any`,
//! `date_of_max`, `employer`, `emi_by_lender`, `salary_spend_perc`,
//! `salary_spent_within:DAYS`. Over the month's balances: `opening_balance`,
//! `closing_balance`, `median_eod`, `mode_eod`, `avg_eod`, `max_eod`, `min_eod`,
//! `max_txn_balance`, `min_txn_balance`, `eod_on:DAY`, `eod_net_off_on:DAY`,
//! `sum_eod_on:D,D`, `avg_eod_on:D,D`, `cnt_eod_lt:AMOUNT`, `avg_top_eod:N`,
//! `avg_eod_multiple:N`, `sum_eod`, `cnt_eod`, overdraft figures and dates.
//! Derived (evaluated after the rest): `ratio:A/B`, `perc:A/B`, `perc_int:A/B`,
//! `minus:A-B`, `plus:A+B+…`, `copy:A`. `unsupported` yields null and is listed.
//!
//! What an aggregate reads is declared by the function that computes it: [`row_aggregate`]
//! sees the month's rows and calendar only, [`balance_aggregate`] also gets the month's
//! balances, which exist only for a month whose every balance is known (a statement that
//! prints no balance anywhere leaves the months it touches without). A derived metric
//! reads balances when one of its operands does. [`aggregate_reads_balances`] and
//! [`metric_reads_balances`] answer from those functions, for the predictors; the test
//! `every_metric_reading_balances_is_declared` moves every balance and checks that only
//! declared metrics change.

use crate::eod::{EodBalances, MonthDays};
use crate::error::AnalysisError;
use crate::tables::{self, any_alternative_matches, phrase_alternatives, Needle};
use crate::{AccountInput, EnrichedTransaction};
use chrono::{Datelike, NaiveDate};
use ledgerlens_statement::model::TransactionType;
use rust_decimal::Decimal;
use serde::Serialize;
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::rc::Rc;
use std::sync::OnceLock;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum MetricValue {
    Amount(Decimal),
    Count(i64),
    Text(String),
    Bool(bool),
    Object(BTreeMap<String, Decimal>),
    Null,
}

impl MetricValue {
    pub fn as_decimal(&self) -> Option<Decimal> {
        match self {
            MetricValue::Amount(value) => Some(*value),
            MetricValue::Count(value) => Some(Decimal::from(*value)),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct MonthlyAnalysis {
    /// (year, month), oldest first.
    pub months: Vec<(i32, u32)>,
    /// Metric name → one value per month, in table order.
    pub metrics: Vec<(String, Vec<MetricValue>)>,
    /// Metrics the table marks unsupported (always null).
    pub uncomputed: Vec<String>,
    /// One per month: every balance of the month is known, so its balance metrics are
    /// computed (false: they are null).
    #[serde(skip)]
    pub balances_known: Vec<bool>,
}

impl MonthlyAnalysis {
    pub fn values(&self, metric: &str) -> Option<&[MetricValue]> {
        self.metrics
            .iter()
            .find(|(name, _)| name == metric)
            .map(|(_, values)| values.as_slice())
    }

    /// The metric for month `index` (0 = oldest) as a number, when it is one.
    pub fn number(&self, metric: &str, index: usize) -> Option<Decimal> {
        self.values(metric)?.get(index)?.as_decimal()
    }

    /// Whether month `index` (0 = oldest) has every balance known.
    pub fn month_balances_known(&self, index: usize) -> bool {
        self.balances_known.get(index).copied().unwrap_or(true)
    }
}

#[derive(Debug, Clone)]
enum Condition {
    Side(TransactionType),
    Channel(Vec<&'static str>),
    Description(Vec<&'static str>),
    Category(&'static str),
    Merchant(Vec<&'static str>),
    Mode(Vec<&'static str>),
    Phrase(Vec<Vec<Needle>>),
    Flag(&'static str),
    /// amount or day of month compared with a bound: (field, operator, bound).
    Compare(&'static str, &'static str, Decimal),
}

#[derive(Debug, Clone)]
struct MetricDefinition {
    name: &'static str,
    /// The filter as written; metrics sharing one are filtered once (see [`MonthViews`]).
    filter: &'static str,
    conditions: Vec<(Condition, bool)>,
    aggregate: &'static str,
}

fn definitions() -> &'static [MetricDefinition] {
    static DEFINITIONS: OnceLock<Vec<MetricDefinition>> = OnceLock::new();
    DEFINITIONS.get_or_init(|| load_definitions().unwrap_or_default())
}

/// The filter of the monthly metric `name`, as written in monthly_metrics.tsv (the rolling
/// windows select a family's rows with it).
pub fn metric_filter(name: &str) -> Option<&'static str> {
    definitions()
        .iter()
        .find(|definition| definition.name == name)
        .map(|definition| definition.filter)
}

fn load_definitions() -> Result<Vec<MetricDefinition>, AnalysisError> {
    tables::rows("monthly_metrics", tables::MONTHLY_METRICS_TSV, 3)?
        .into_iter()
        .map(|(line, fields)| {
            Ok(MetricDefinition {
                name: fields[0],
                filter: fields[1],
                conditions: parse_filter(fields[1]).map_err(|problem| AnalysisError::Table {
                    table: "monthly_metrics",
                    line,
                    problem,
                })?,
                aggregate: fields[2],
            })
        })
        .collect()
}

const FLAGS: &[&str] = &[
    "salary",
    "income",
    "corporate",
    "tech",
    "sister",
    "bounce_or_penal",
    "reversal_debit",
    "chq_num",
];

/// "amount<10000", "day>=21".
fn parse_comparison(text: &'static str) -> Option<Condition> {
    let field = ["amount", "day"]
        .into_iter()
        .find(|field| text.starts_with(field))?;
    let rest = &text[field.len()..];
    let operator = ["<=", ">=", "<", ">"]
        .into_iter()
        .find(|op| rest.starts_with(op))?;
    let bound = rest[operator.len()..].parse::<Decimal>().ok()?;
    Some(Condition::Compare(field, operator, bound))
}

fn parse_filter(filter: &'static str) -> Result<Vec<(Condition, bool)>, String> {
    if filter == "*" {
        return Ok(Vec::new());
    }
    filter
        .split('&')
        .map(|part| {
            let (wanted, bare) = match part.strip_prefix('!') {
                Some(bare) => (false, bare),
                None => (true, part),
            };
            // Comparisons first: "day<=10" and "amount>=50000" also contain '='.
            if let Some(comparison) = parse_comparison(bare) {
                return Ok((comparison, wanted));
            }
            let condition = match bare.split_once('=') {
                Some(("side", "credit")) => Condition::Side(TransactionType::Credit),
                Some(("side", "debit")) => Condition::Side(TransactionType::Debit),
                Some(("channel", list)) => Condition::Channel(list.split(',').collect()),
                Some(("desc", list)) => Condition::Description(list.split(',').collect()),
                Some(("category", name)) => Condition::Category(name),
                Some(("merchant", list)) => Condition::Merchant(list.split(',').collect()),
                Some(("mode", list)) => Condition::Mode(list.split(',').collect()),
                Some(("phrase", spec)) => Condition::Phrase(phrase_alternatives(spec)),
                None if FLAGS.contains(&bare) => Condition::Flag(bare),
                None => parse_comparison(bare).ok_or_else(|| format!("bad condition {part:?}"))?,
                _ => return Err(format!("bad condition {part:?}")),
            };
            Ok((condition, wanted))
        })
        .collect()
}

/// What a filter needs to know beyond the transaction itself.
struct FilterScope {
    corporate: bool,
}

fn condition_holds(condition: &Condition, txn: &EnrichedTransaction, scope: &FilterScope) -> bool {
    match condition {
        Condition::Side(side) => txn.transaction.transaction_type == *side,
        Condition::Channel(list) => list.contains(&txn.transaction_channel.as_str()),
        Condition::Description(list) => list.contains(&txn.description.as_str()),
        Condition::Category(name) => txn.category == *name,
        Condition::Merchant(list) => list.contains(&txn.merchant_category.as_str()),
        Condition::Mode(list) => list.contains(&crate::output::mode_name(txn.mode)),
        Condition::Phrase(alternatives) => {
            any_alternative_matches(alternatives, &txn.normalized_note)
        }
        Condition::Flag(flag) => flag_holds(flag, txn, scope),
        Condition::Compare(field, operator, bound) => {
            let value = if *field == "day" {
                Decimal::from(txn.transaction.date.day())
            } else {
                txn.transaction.amount
            };
            match *operator {
                "<" => value < *bound,
                "<=" => value <= *bound,
                ">" => value > *bound,
                _ => value >= *bound,
            }
        }
    }
}

const TECHNICAL_REASONS: &str = "TECHNICAL|SIGNATURE|SIGN+DIFFERS|MISMATCH|MANDATE+NOT|ACCOUNT+CLOSED|AC+CLOSED|INVALID|FROZEN|DORMANT|STOPPED|STOP+PAYMENT|IMAGE|DRAWER";

fn flag_holds(flag: &str, txn: &EnrichedTransaction, scope: &FilterScope) -> bool {
    let channel = txn.transaction_channel.as_str();
    match flag {
        "salary" => txn.is_salary,
        "income" => {
            txn.transaction.transaction_type == TransactionType::Credit
                && !matches!(
                    channel,
                    "self_transfer"
                        | "refund"
                        | "inward_cheque_bounce"
                        | "auto_debit_payment_bounce"
                        | "investment_cashin"
                )
                && txn.description != "lender_transaction"
        }
        "corporate" => scope.corporate,
        "tech" => {
            static TECHNICAL: OnceLock<Vec<Vec<Needle>>> = OnceLock::new();
            let alternatives = TECHNICAL.get_or_init(|| phrase_alternatives(TECHNICAL_REASONS));
            any_alternative_matches(alternatives, &txn.normalized_note)
        }
        "sister" => matches!(txn.rule_id.as_str(), "R170" | "R171"),
        "bounce_or_penal" => crate::groups::is_bounce_or_penal(txn),
        "reversal_debit" => {
            txn.transaction.transaction_type == TransactionType::Debit
                && [" REVERSAL ", " REV ", " RVSL ", " REVERSED "]
                    .iter()
                    .any(|word| txn.normalized_note.contains(word))
        }
        "chq_num" => !txn.transaction.chq_num.trim().is_empty(),
        _ => false,
    }
}

/// One month's rows and calendar, as every aggregate sees them.
struct Month<'a> {
    year: i32,
    month: u32,
    rows: Vec<usize>,
    transactions: &'a [EnrichedTransaction],
    /// First and last day (1-based) of the month inside the statement range.
    range: Option<(u32, u32)>,
    od_limit: Decimal,
    is_last: bool,
}

/// One month's balances, as [`balance_aggregate`] sees them: there is one only for a month
/// whose every balance is known (its rows' and its EOD days').
struct MonthBalances<'a> {
    days: Option<&'a MonthDays>,
    opening: Option<Decimal>,
}

/// An empty month and its empty balances: what an aggregate is asked on to tell which of
/// [`row_aggregate`] and [`balance_aggregate`] computes it.
fn empty_month() -> (Month<'static>, MonthBalances<'static>) {
    (
        Month {
            year: 2000,
            month: 1,
            rows: Vec::new(),
            transactions: &[],
            range: None,
            od_limit: Decimal::ZERO,
            is_last: false,
        },
        MonthBalances {
            days: None,
            opening: None,
        },
    )
}

/// Whether an aggregate (`NAME[:ARGUMENT]`) reads the month's balances: it is one that
/// [`balance_aggregate`] computes and [`row_aggregate`] does not.
pub fn aggregate_reads_balances(spec: &str) -> bool {
    let (name, argument) = spec.split_once(':').unwrap_or((spec, ""));
    let (month, balances) = empty_month();
    row_aggregate(name, argument, &[], &month).is_none()
        && balance_aggregate(name, argument, &[], &month, &balances).is_some()
}

/// The table's metrics read from balances, and those derived from them.
fn balance_metrics() -> &'static HashSet<&'static str> {
    static NAMES: OnceLock<HashSet<&'static str>> = OnceLock::new();
    NAMES.get_or_init(|| {
        let definitions = definitions();
        let mut names: HashSet<&'static str> = definitions
            .iter()
            .filter(|d| !is_derived(d.aggregate) && aggregate_reads_balances(d.aggregate))
            .map(|d| d.name)
            .collect();
        // In table order: a derived metric may name one derived before it.
        for definition in definitions.iter().filter(|d| is_derived(d.aggregate)) {
            let (_, expression) = definition.aggregate.split_once(':').unwrap_or_default();
            if expression
                .split(['/', '-', '+'])
                .any(|operand| names.contains(operand))
            {
                names.insert(definition.name);
            }
        }
        names
    })
}

/// Whether the monthly metric `name` reads balances (directly or through a derived
/// metric's operand): null for the months whose balances are unknown.
pub fn metric_reads_balances(name: &str) -> bool {
    balance_metrics().contains(name)
}

pub fn compute(
    transactions: &[EnrichedTransaction],
    eod: &EodBalances,
    account: &AccountInput,
) -> MonthlyAnalysis {
    compute_on(transactions, eod, account, 1)
}

/// [`compute`], its direct metrics shared out over two threads when `threads` allows: on a long
/// statement they are ~20 M instructions that the rest of the analysis waits for while the
/// other core has little to do. Each thread reads its own metrics' filters (every metric of
/// one filter on one thread, so no filter is read twice) from the same rows; each metric's
/// value is the one [`compute`] on one thread gives.
pub fn compute_on(
    transactions: &[EnrichedTransaction],
    eod: &EodBalances,
    account: &AccountInput,
    threads: usize,
) -> MonthlyAnalysis {
    let views = MonthViews::new(transactions, eod, account);
    let definitions = definitions();
    let direct: Vec<&'static MetricDefinition> = definitions
        .iter()
        .filter(|d| !is_derived(d.aggregate))
        .collect();
    let uncomputed = direct
        .iter()
        .filter(|d| d.aggregate == "unsupported")
        .map(|d| d.name.to_string())
        .collect();
    let mut values: HashMap<&str, Vec<MetricValue>> = HashMap::new();
    if threads < 2 || direct.len() < 2 {
        values.extend(direct_metrics(&views, &direct));
    } else {
        let (here, aside) = split_by_filter(&direct);
        let aside_values = std::thread::scope(|scope| {
            let handle = scope
                .spawn(|| direct_metrics(&MonthViews::new(transactions, eod, account), &aside));
            values.extend(direct_metrics(&views, &here));
            handle.join()
        });
        // A thread that panicked is redone here, where a panic surfaces as it would have
        // without threads.
        values.extend(aside_values.unwrap_or_else(|_| direct_metrics(&views, &aside)));
    }
    // A derived metric over balances is null for the months whose balances are unknown,
    // not a ratio or difference of nulls read as zeros.
    let from_balances = balance_metrics();
    for definition in definitions.iter().filter(|d| is_derived(d.aggregate)) {
        let reads_balances = from_balances.contains(definition.name);
        let per_month = (0..views.months.len())
            .map(|index| {
                if reads_balances && views.balances[index].is_none() {
                    MetricValue::Null
                } else {
                    derived(definition.aggregate, index, &values)
                }
            })
            .collect();
        values.insert(definition.name, per_month);
    }
    let metrics = definitions
        .iter()
        .map(|definition| {
            (
                definition.name.to_string(),
                values.remove(definition.name).unwrap_or_default(),
            )
        })
        .collect();
    MonthlyAnalysis {
        months: views.months.iter().map(|m| (m.year, m.month)).collect(),
        metrics,
        uncomputed,
        balances_known: views.balances.iter().map(Option::is_some).collect(),
    }
}

/// Each direct metric of `part` with its value per month.
fn direct_metrics(
    views: &MonthViews<'_>,
    part: &[&'static MetricDefinition],
) -> Vec<(&'static str, Vec<MetricValue>)> {
    part.iter()
        .map(|definition| {
            let rows = views.rows_of(definition.filter, &definition.conditions);
            (
                definition.name,
                views.aggregate_months(&rows, definition.aggregate),
            )
        })
        .collect()
}

/// The direct metrics in two parts of about as many filters each, every filter's metrics in
/// one part: filters in order of first use, taken in turn.
type Parts = (
    Vec<&'static MetricDefinition>,
    Vec<&'static MetricDefinition>,
);

fn split_by_filter(direct: &[&'static MetricDefinition]) -> Parts {
    let mut filters: Vec<&str> = Vec::new();
    let mut parts: Parts = (Vec::new(), Vec::new());
    for definition in direct {
        let index = match filters.iter().position(|f| *f == definition.filter) {
            Some(index) => index,
            None => {
                filters.push(definition.filter);
                filters.len() - 1
            }
        };
        if index % 2 == 0 {
            parts.0.push(definition);
        } else {
            parts.1.push(definition);
        }
    }
    parts
}

fn month_views<'a>(
    transactions: &'a [EnrichedTransaction],
    eod: &'a EodBalances,
    account: &AccountInput,
    months: &[(i32, u32)],
) -> (Vec<Month<'a>>, Vec<Option<MonthBalances<'a>>>) {
    months
        .iter()
        .enumerate()
        .map(|(position, &(year, month))| {
            month_view(
                transactions,
                eod,
                account,
                year,
                month,
                position + 1 == months.len(),
            )
        })
        .unzip()
}

/// The statement split into its calendar months once, so that many ad-hoc filters (the
/// predictor table uses the monthly grammar for figures monthly_analysis lacks) do not each
/// rebuild the months.
pub struct MonthViews<'a> {
    transactions: &'a [EnrichedTransaction],
    months: Vec<Month<'a>>,
    /// Each month's balances: None for a month some of whose balances are unknown.
    balances: Vec<Option<MonthBalances<'a>>>,
    scope: FilterScope,
    /// Each filter's rows per month, computed once: 422 monthly metrics use 87 filters and
    /// the predictors ask for the same filters over many day windows and aggregates.
    filtered: RefCell<HashMap<&'static str, Rc<Vec<Vec<usize>>>>>,
    /// Each filter's rows of every month in statement order ([`MonthViews::filter_rows`]),
    /// gathered and sorted once: the predictors' day windows ask for the same few filters
    /// over many windows and aggregates (92 asks, 7.6 M instructions on a 1,936-row statement).
    statement_order: RefCell<HashMap<&'static str, Rc<Vec<usize>>>>,
    /// Each month's rows on one side: most filters start with a side, and filtering those
    /// rows instead of all of them halves the work.
    side_rows: RefCell<Vec<(TransactionType, RowsByMonth)>>,
}

/// Row indices of each month, oldest month first.
type RowsByMonth = Rc<Vec<Vec<usize>>>;

impl<'a> MonthViews<'a> {
    pub fn new(
        transactions: &'a [EnrichedTransaction],
        eod: &'a EodBalances,
        account: &AccountInput,
    ) -> MonthViews<'a> {
        let (months, balances) = month_views(transactions, eod, account, &month_list(transactions));
        MonthViews {
            transactions,
            months,
            balances,
            scope: FilterScope {
                corporate: account.account_category.as_deref() == Some("corporate"),
            },
            filtered: RefCell::new(HashMap::new()),
            statement_order: RefCell::new(HashMap::new()),
            side_rows: RefCell::new(Vec::new()),
        }
    }

    /// Each month's rows on `side`, in statement order, computed once per side.
    fn rows_on_side(&self, side: TransactionType) -> RowsByMonth {
        if let Some((_, rows)) = self.side_rows.borrow().iter().find(|(s, _)| *s == side) {
            return Rc::clone(rows);
        }
        let rows: Rc<Vec<Vec<usize>>> = Rc::new(
            self.months
                .iter()
                .map(|month| {
                    month
                        .rows
                        .iter()
                        .copied()
                        .filter(|&index| {
                            self.transactions[index].transaction.transaction_type == side
                        })
                        .collect()
                })
                .collect(),
        );
        self.side_rows.borrow_mut().push((side, Rc::clone(&rows)));
        rows
    }

    /// One ad-hoc filter and direct aggregate for every month (oldest first).
    pub fn evaluate(
        &self,
        filter: &'static str,
        aggregate_spec: &str,
    ) -> Result<Vec<MetricValue>, String> {
        let rows = self.parsed_rows_of(filter)?;
        Ok(self.aggregate_months(&rows, aggregate_spec))
    }

    /// Indices (in statement order) of every transaction the filter keeps, whatever its
    /// month; [`filter_rows`] answered from the cache.
    pub fn filter_rows(&self, filter: &'static str) -> Result<Rc<Vec<usize>>, String> {
        if let Some(rows) = self.statement_order.borrow().get(filter) {
            return Ok(Rc::clone(rows));
        }
        let mut rows: Vec<usize> = self
            .parsed_rows_of(filter)?
            .iter()
            .flatten()
            .copied()
            .collect();
        rows.sort_unstable();
        let rows = Rc::new(rows);
        self.statement_order
            .borrow_mut()
            .insert(filter, Rc::clone(&rows));
        Ok(rows)
    }

    fn parsed_rows_of(&self, filter: &'static str) -> Result<Rc<Vec<Vec<usize>>>, String> {
        if let Some(rows) = self.filtered.borrow().get(filter) {
            return Ok(Rc::clone(rows));
        }
        Ok(self.rows_of(filter, &parse_filter(filter)?))
    }

    /// The rows of each month meeting every condition of `filter` (parsed as `conditions`).
    fn rows_of(
        &self,
        filter: &'static str,
        conditions: &[(Condition, bool)],
    ) -> Rc<Vec<Vec<usize>>> {
        if let Some(rows) = self.filtered.borrow().get(filter) {
            return Rc::clone(rows);
        }
        // A side the filter asks for picks the rows to look at; its condition then holds for
        // all of them and is not checked again.
        let side = conditions
            .iter()
            .find_map(|(condition, wanted)| match condition {
                Condition::Side(side) if *wanted => Some(*side),
                _ => None,
            });
        let rest: Vec<&(Condition, bool)> = conditions
            .iter()
            .filter(|(condition, wanted)| {
                !(*wanted && matches!(condition, Condition::Side(s) if Some(*s) == side))
            })
            .collect();
        let on_side = side.map(|side| self.rows_on_side(side));
        let rows: Rc<Vec<Vec<usize>>> = Rc::new(
            self.months
                .iter()
                .enumerate()
                .map(|(at, month)| {
                    let candidates = match &on_side {
                        Some(rows) => &rows[at],
                        None => &month.rows,
                    };
                    candidates
                        .iter()
                        .copied()
                        .filter(|&index| {
                            rest.iter().all(|(condition, wanted)| {
                                condition_holds(condition, &self.transactions[index], &self.scope)
                                    == *wanted
                            })
                        })
                        .collect()
                })
                .collect(),
        );
        self.filtered.borrow_mut().insert(filter, Rc::clone(&rows));
        rows
    }

    /// The aggregate of each month's rows, month by month.
    fn aggregate_months(&self, rows: &[Vec<usize>], aggregate_spec: &str) -> Vec<MetricValue> {
        self.months
            .iter()
            .zip(&self.balances)
            .zip(rows)
            .map(|((month, balances), rows)| {
                aggregate(aggregate_spec, rows, month, balances.as_ref())
            })
            .collect()
    }
}

/// Indices (in statement order) of every transaction the filter keeps, whatever
/// its month: the predictor table's day windows and percentiles start from these.
pub fn filter_rows(
    transactions: &[EnrichedTransaction],
    account: &AccountInput,
    filter: &'static str,
) -> Result<Vec<usize>, String> {
    let conditions = parse_filter(filter)?;
    let scope = FilterScope {
        corporate: account.account_category.as_deref() == Some("corporate"),
    };
    Ok((0..transactions.len())
        .filter(|&index| {
            conditions.iter().all(|(condition, wanted)| {
                condition_holds(condition, &transactions[index], &scope) == *wanted
            })
        })
        .collect())
}

fn month_list(transactions: &[EnrichedTransaction]) -> Vec<(i32, u32)> {
    let mut months: Vec<(i32, u32)> = transactions
        .iter()
        .map(|txn| (txn.transaction.date.year(), txn.transaction.date.month()))
        .collect();
    months.sort_unstable();
    months.dedup();
    // Fill calendar months without rows so every month of the period reports.
    let mut filled = Vec::new();
    if let (Some(&first), Some(&last)) = (months.first(), months.last()) {
        let mut cursor = first;
        while cursor <= last {
            filled.push(cursor);
            cursor = if cursor.1 == 12 {
                (cursor.0 + 1, 1)
            } else {
                (cursor.0, cursor.1 + 1)
            };
        }
    }
    filled
}

fn month_view<'a>(
    transactions: &'a [EnrichedTransaction],
    eod: &'a EodBalances,
    account: &AccountInput,
    year: i32,
    month: u32,
    is_last: bool,
) -> (Month<'a>, Option<MonthBalances<'a>>) {
    let rows: Vec<usize> = transactions
        .iter()
        .enumerate()
        .filter(|(_, txn)| {
            txn.transaction.date.year() == year && txn.transaction.date.month() == month
        })
        .map(|(index, _)| index)
        .collect();
    let days = eod.month(year, month);
    // Every balance of the month known: its rows' (a statement that prints none counts them
    // from zero) and its days' (a day without rows carries an earlier row's balance).
    let balances_known = rows.iter().all(|&index| transactions[index].balance_known)
        && days.is_none_or(|days| !days.has_unknown());
    let balances = balances_known.then(|| MonthBalances {
        days,
        opening: rows
            .first()
            .map(|&index| {
                transactions[index].transaction.balance
                    - transactions[index].transaction.signed_amount()
            })
            .or_else(|| days.and_then(|days| days.in_range().next())),
    });
    let month = Month {
        year,
        month,
        rows,
        transactions,
        range: days.and_then(MonthDays::range),
        od_limit: account.od_limit.unwrap_or(Decimal::ZERO),
        is_last,
    };
    (month, balances)
}

fn is_derived(aggregate: &str) -> bool {
    ["ratio:", "perc:", "perc_int:", "minus:", "plus:", "copy:"]
        .iter()
        .any(|prefix| aggregate.starts_with(prefix))
}

fn round2(value: Decimal) -> Decimal {
    value.round_dp(2)
}

fn amounts(rows: &[usize], month: &Month) -> Vec<Decimal> {
    rows.iter()
        .map(|&index| month.transactions[index].transaction.amount)
        .collect()
}

/// A month's aggregate: computed from its rows and calendar, or from its balances when
/// every one of them is known (else null).
fn aggregate(
    aggregate: &str,
    rows: &[usize],
    month: &Month,
    balances: Option<&MonthBalances>,
) -> MetricValue {
    let (name, argument) = aggregate.split_once(':').unwrap_or((aggregate, ""));
    if let Some(value) = row_aggregate(name, argument, rows, month) {
        return value;
    }
    balances
        .and_then(|balances| balance_aggregate(name, argument, rows, month, balances))
        .unwrap_or(MetricValue::Null)
}

fn amount(value: Option<Decimal>) -> MetricValue {
    MetricValue::Amount(round2(value.unwrap_or(Decimal::ZERO)))
}

/// The aggregates read from the month's rows (dates, amounts, narrations, enrichment) and
/// calendar, never from a balance; None for a name this function does not compute.
fn row_aggregate(name: &str, argument: &str, rows: &[usize], month: &Month) -> Option<MetricValue> {
    let values = amounts(rows, month);
    Some(match name {
        "sum" => amount(Some(values.iter().sum())),
        "count" => MetricValue::Count(values.len() as i64),
        "max" => amount(values.iter().max().copied()),
        // No such transaction that month: the documented sample has null, not 0.0.
        "min" => values
            .iter()
            .min()
            .map_or(MetricValue::Null, |low| MetricValue::Amount(round2(*low))),
        "avg" => amount(mean(&values)),
        "any" => MetricValue::Bool(!rows.is_empty()),
        "date_of_max" => date_of_max(rows, month),
        "employer" => rows
            .iter()
            .find_map(|&index| month.transactions[index].employer_name.clone())
            .map_or(MetricValue::Null, MetricValue::Text),
        "emi_by_lender" => emi_by_lender(rows, month),
        "salary_spend_perc" => salary_spend_percent(rows, month),
        "salary_spent_within" => amount(Some(salary_spent_within(rows, month, argument))),
        "distinct_days" => {
            let mut days: Vec<u32> = rows
                .iter()
                .map(|&index| month.transactions[index].transaction.date.day())
                .collect();
            days.dedup();
            MetricValue::Count(days.len() as i64)
        }
        "od_limit" => amount(Some(month.od_limit)),
        "start_date" => month_boundary(month, true),
        "end_date" => month_boundary(month, false),
        "first_txn_date" => txn_date(month, month.rows.first()),
        "last_txn_date" => txn_date(month, month.rows.last()),
        "is_current_month" => MetricValue::Bool(month.is_last && is_calendar_current(month)),
        "is_complete_month" => MetricValue::Bool(
            month.range == Some((1, crate::eod::days_in_month(month.year, month.month))),
        ),
        _ => return None,
    })
}

/// The aggregates read from the month's balances: its rows' running balances and its EOD
/// series. Asked only for a month whose every balance is known; None for a name this
/// function does not compute.
fn balance_aggregate(
    name: &str,
    argument: &str,
    rows: &[usize],
    month: &Month,
    balances: &MonthBalances,
) -> Option<MetricValue> {
    let eod: Vec<Decimal> = balances
        .days
        .map(|days| days.in_range().collect())
        .unwrap_or_default();
    Some(match name {
        "opening_balance" => amount(balances.opening),
        "closing_balance" => amount(
            month
                .rows
                .last()
                .map(|&index| month.transactions[index].transaction.balance)
                .or(balances.opening),
        ),
        "median_eod" => amount(median(&eod)),
        "mode_eod" => amount(mode(&eod)),
        "avg_eod" => amount(mean(&eod)),
        "max_eod" => amount(eod.iter().max().copied()),
        "min_eod" => amount(eod.iter().min().copied()),
        "max_txn_balance" => amount(txn_balances(month).max().or(balances.opening)),
        "min_txn_balance" => amount(txn_balances(month).min().or(balances.opening)),
        "eod_on" => eod_on(balances, argument),
        "eod_net_off_on" => eod_net_off_on(month, balances, argument),
        "min_eod_on" => {
            amount(days_listed(balances, argument).and_then(|days| days.into_iter().min()))
        }
        "sum_eod_on" => amount(days_listed(balances, argument).map(|days| days.iter().sum())),
        "avg_eod_on" => amount(days_listed(balances, argument).and_then(|days| mean(&days))),
        "cnt_eod_lt" => {
            let limit = argument.parse::<Decimal>().unwrap_or(Decimal::ZERO);
            MetricValue::Count(eod.iter().filter(|value| **value < limit).count() as i64)
        }
        "avg_top_eod" => {
            let count = argument.parse::<usize>().unwrap_or(15);
            let mut sorted = eod.clone();
            sorted.sort_unstable_by(|a, b| b.cmp(a));
            sorted.truncate(count);
            amount(mean(&sorted))
        }
        "avg_eod_multiple" => {
            let step = argument.parse::<Decimal>().unwrap_or(Decimal::ONE);
            amount(mean(&eod).map(|average| (average / step).floor() * step))
        }
        "sum_eod" => amount(Some(eod.iter().sum())),
        "cnt_eod" => MetricValue::Count(eod.len() as i64),
        "max_overdrawn" => amount(eod.iter().min().map(|low| (-*low).max(Decimal::ZERO))),
        "total_overdrawn" => amount(Some(overdrawn_runs(&eod).iter().map(|run| run.1).sum())),
        "overdrawn_instances" => MetricValue::Count(overdrawn_runs(&eod).len() as i64),
        "overdrawn_max_run" => MetricValue::Count(
            overdrawn_runs(&eod)
                .iter()
                .map(|run| run.0)
                .max()
                .unwrap_or(0) as i64,
        ),
        "overdrawn_avg_run" => {
            let runs = overdrawn_runs(&eod);
            let lengths: Vec<Decimal> = runs.iter().map(|run| Decimal::from(run.0)).collect();
            amount(mean(&lengths))
        }
        "max_negative_eod" => amount(eod.iter().filter(|v| v.is_sign_negative()).min().copied()),
        "min_negative_eod" => amount(eod.iter().filter(|v| v.is_sign_negative()).max().copied()),
        "avg_negative_eod" => {
            let negatives: Vec<Decimal> = eod
                .iter()
                .copied()
                .filter(|v| v.is_sign_negative())
                .collect();
            amount(mean(&negatives))
        }
        "sum_negative_eod" => amount(Some(
            eod.iter().copied().filter(|v| v.is_sign_negative()).sum(),
        )),
        "avg_overdraft_used" => amount(mean(&overdraft_used(&eod))),
        "avg_overdraft_used_perc" => amount(overdraft_used_percent(&eod, month.od_limit)),
        "cnt_days_limit_breached" => {
            MetricValue::Count(days_beyond_limit(&eod, month.od_limit) as i64)
        }
        "cnt_days_limit_breached_with_txn" => MetricValue::Count(if rows.is_empty() {
            0
        } else {
            days_beyond_limit(&eod, month.od_limit) as i64
        }),
        "days_to_serve_interest" => {
            MetricValue::Text(days_to_serve_interest(month, balances).to_string())
        }
        _ => return None,
    })
}

fn derived(aggregate: &str, index: usize, values: &HashMap<&str, Vec<MetricValue>>) -> MetricValue {
    let lookup = |name: &str| -> Decimal {
        values
            .get(name)
            .and_then(|per_month| per_month.get(index))
            .and_then(MetricValue::as_decimal)
            .unwrap_or(Decimal::ZERO)
    };
    let (kind, expression) = aggregate.split_once(':').unwrap_or((aggregate, ""));
    let quotient = |scale: Decimal, places: u32| -> MetricValue {
        let (top, bottom) = expression.split_once('/').unwrap_or((expression, ""));
        let denominator = lookup(bottom);
        if denominator.is_zero() {
            return MetricValue::Amount(Decimal::ZERO);
        }
        MetricValue::Amount((lookup(top) * scale / denominator).round_dp(places))
    };
    match kind {
        "ratio" => quotient(Decimal::ONE, 2),
        "perc" => quotient(Decimal::ONE_HUNDRED, 2),
        "perc_int" => quotient(Decimal::ONE_HUNDRED, 0),
        "minus" => {
            let (left, right) = expression.split_once('-').unwrap_or((expression, ""));
            MetricValue::Amount(round2(lookup(left) - lookup(right)))
        }
        "plus" => {
            let total: Decimal = expression.split('+').map(lookup).sum();
            // Sums of counts stay counts.
            if expression.split('+').all(|name| name.starts_with("cnt_")) {
                MetricValue::Count(i64::try_from(total.trunc().mantissa()).unwrap_or(0))
            } else {
                MetricValue::Amount(round2(total))
            }
        }
        "copy" => values
            .get(expression)
            .and_then(|per_month| per_month.get(index))
            .cloned()
            .unwrap_or(MetricValue::Null),
        _ => MetricValue::Null,
    }
}

pub fn mean(values: &[Decimal]) -> Option<Decimal> {
    if values.is_empty() {
        return None;
    }
    Some(values.iter().sum::<Decimal>() / Decimal::from(values.len()))
}

pub fn median(values: &[Decimal]) -> Option<Decimal> {
    if values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    Some(crate::recurring::median(&mut sorted))
}

/// Most frequent value; the lowest among ties.
fn mode(values: &[Decimal]) -> Option<Decimal> {
    let mut counts: BTreeMap<Decimal, usize> = BTreeMap::new();
    for value in values {
        *counts.entry(*value).or_default() += 1;
    }
    let best = counts.values().copied().max()?;
    counts
        .into_iter()
        .find(|(_, count)| *count == best)
        .map(|(value, _)| value)
}

fn txn_balances<'a>(month: &'a Month) -> impl Iterator<Item = Decimal> + 'a {
    month
        .rows
        .iter()
        .map(|&index| month.transactions[index].transaction.balance)
}

fn eod_on(balances: &MonthBalances, argument: &str) -> MetricValue {
    let day = argument.parse::<u32>().unwrap_or(1);
    balances
        .days
        .and_then(|days| days.on(day))
        .map_or(MetricValue::Null, |value| {
            MetricValue::Amount(round2(value))
        })
}

/// EOD balance on a day less the credits received that day: what the holder kept
/// rather than what just arrived.
fn eod_net_off_on(month: &Month, balances: &MonthBalances, argument: &str) -> MetricValue {
    let day = argument.parse::<u32>().unwrap_or(1);
    let Some(balance) = balances.days.and_then(|days| days.on(day)) else {
        return MetricValue::Null;
    };
    let credits_that_day: Decimal = month
        .rows
        .iter()
        .map(|&index| &month.transactions[index].transaction)
        .filter(|txn| txn.date.day() == day && txn.transaction_type == TransactionType::Credit)
        .map(|txn| txn.amount)
        .sum();
    MetricValue::Amount(round2(balance - credits_that_day))
}

/// EOD balances on the listed days that fall inside the statement range.
fn days_listed(balances: &MonthBalances, argument: &str) -> Option<Vec<Decimal>> {
    let days = balances.days?;
    let balances: Vec<Decimal> = argument
        .split(',')
        .filter_map(|day| day.parse::<u32>().ok())
        .filter_map(|day| days.on(day))
        .collect();
    (!balances.is_empty()).then_some(balances)
}

/// Runs of consecutive overdrawn days: (length, deepest overdraft in the run).
fn overdrawn_runs(eod: &[Decimal]) -> Vec<(usize, Decimal)> {
    let mut runs = Vec::new();
    let mut current: Option<(usize, Decimal)> = None;
    for value in eod {
        if value.is_sign_negative() && !value.is_zero() {
            let entry = current.get_or_insert((0, Decimal::ZERO));
            entry.0 += 1;
            entry.1 = entry.1.max(-*value);
        } else if let Some(run) = current.take() {
            runs.push(run);
        }
    }
    runs.extend(current);
    runs
}

fn overdraft_used(eod: &[Decimal]) -> Vec<Decimal> {
    eod.iter()
        .map(|value| (-*value).max(Decimal::ZERO))
        .collect()
}

fn overdraft_used_percent(eod: &[Decimal], limit: Decimal) -> Option<Decimal> {
    if limit.is_zero() {
        return Some(Decimal::ZERO);
    }
    mean(&overdraft_used(eod)).map(|used| used * Decimal::ONE_HUNDRED / limit)
}

fn days_beyond_limit(eod: &[Decimal], limit: Decimal) -> usize {
    if limit.is_zero() {
        return 0;
    }
    eod.iter().filter(|value| -**value > limit).count()
}

/// Days from the month's interest debit back to the last day the account was in credit.
fn days_to_serve_interest(month: &Month, balances: &MonthBalances) -> i64 {
    let interest_day = month
        .rows
        .iter()
        .map(|&index| &month.transactions[index])
        .find(|txn| txn.category == "Interest Charges")
        .map(|txn| txn.transaction.date.date());
    match (interest_day, balances.days) {
        (Some(day), Some(days)) => days
            .days
            .iter()
            .take(day.day() as usize)
            .rev()
            .take_while(|value| value.is_some_and(|balance| balance.is_sign_negative()))
            .count() as i64,
        _ => 0,
    }
}

fn date_of_max(rows: &[usize], month: &Month) -> MetricValue {
    rows.iter()
        .map(|&index| &month.transactions[index].transaction)
        .max_by_key(|txn| txn.amount)
        .map_or(MetricValue::Null, |txn| {
            MetricValue::Text(txn.date.format("%Y-%m-%d").to_string())
        })
}

fn emi_by_lender(rows: &[usize], month: &Month) -> MetricValue {
    let mut by_lender: BTreeMap<String, Decimal> = BTreeMap::new();
    for &index in rows {
        let txn = &month.transactions[index];
        let lender = txn
            .lender
            .clone()
            .unwrap_or_else(|| txn.unclean_merchant.clone());
        *by_lender.entry(lender).or_default() += txn.transaction.amount;
    }
    MetricValue::Object(by_lender)
}

fn salary_credits<'a>(month: &'a Month) -> impl Iterator<Item = &'a EnrichedTransaction> + 'a {
    month
        .rows
        .iter()
        .map(|&index| &month.transactions[index])
        .filter(|txn| txn.is_salary)
}

/// Share of the month's salary spent through the filtered channel, in whole percent.
fn salary_spend_percent(rows: &[usize], month: &Month) -> MetricValue {
    let salary: Decimal = salary_credits(month)
        .map(|txn| txn.transaction.amount)
        .sum();
    if salary.is_zero() {
        return MetricValue::Amount(Decimal::ZERO);
    }
    let Some(first_salary) = salary_credits(month).map(|txn| txn.transaction.date).min() else {
        return MetricValue::Amount(Decimal::ZERO);
    };
    let spent: Decimal = rows
        .iter()
        .map(|&index| &month.transactions[index].transaction)
        .filter(|txn| txn.date >= first_salary)
        .map(|txn| txn.amount)
        .sum();
    MetricValue::Amount((spent.min(salary) * Decimal::ONE_HUNDRED / salary).round_dp(0))
}

/// Debits within `days` days after each salary credit, capped at the salary amount.
fn salary_spent_within(rows: &[usize], month: &Month, days: &str) -> Decimal {
    let window = chrono::Duration::days(days.parse::<i64>().unwrap_or(5));
    salary_credits(month)
        .map(|salary| {
            let start = salary.transaction.date;
            let spent: Decimal = rows
                .iter()
                .map(|&index| &month.transactions[index].transaction)
                .filter(|txn| txn.date >= start && txn.date <= start + window)
                .map(|txn| txn.amount)
                .sum();
            spent.min(salary.transaction.amount)
        })
        .sum()
}

fn month_boundary(month: &Month, start: bool) -> MetricValue {
    let day = month
        .range
        .map(|(first, last)| if start { first } else { last });
    day.and_then(|day| NaiveDate::from_ymd_opt(month.year, month.month, day))
        .map_or(MetricValue::Null, |date| {
            MetricValue::Text(date.format("%d-%b-%Y").to_string())
        })
}

fn txn_date(month: &Month, index: Option<&usize>) -> MetricValue {
    index.map_or(MetricValue::Null, |&index| {
        MetricValue::Text(
            month.transactions[index]
                .transaction
                .date
                // transaction_start_date/end_date are "11-Aug-25" in the documented sample.
                .format("%d-%b-%y")
                .to_string(),
        )
    })
}

fn is_calendar_current(month: &Month) -> bool {
    let today = chrono::Local::now().date_naive();
    today.year() == month.year && today.month() == month.month
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{txn, varied_account};
    use crate::{enrich, AccountInput, EnrichmentContext};

    fn analysis(rows: Vec<ledgerlens_statement::model::Transaction>) -> MonthlyAnalysis {
        enrich(
            &AccountInput::from_transactions(rows),
            &EnrichmentContext::default(),
        )
        .monthly
    }

    fn amount(value: i64, scale: u32) -> MetricValue {
        MetricValue::Amount(Decimal::new(value, scale))
    }

    fn monthly_of(account: &AccountInput) -> MonthlyAnalysis {
        enrich(account, &EnrichmentContext::default()).monthly
    }

    /// The direct metrics shared out over two threads give every metric the value one thread
    /// gives, in the table's order: with every balance known and with some months' unknown.
    #[test]
    fn metrics_shared_over_two_threads_are_those_of_one() {
        for account in [
            varied_account(1_000),
            crate::test_support::account_with_autumn_balances_unknown(),
        ] {
            let enriched = enrich(&account, &EnrichmentContext::default());
            let one = compute(&enriched.transactions, &enriched.eod, &account);
            let two = compute_on(&enriched.transactions, &enriched.eod, &account, 2);
            assert!(one.metrics.len() > 100, "the table's metrics are computed");
            assert_eq!(two, one);
        }
    }

    /// Each filter's metrics are on one side of the split, and every direct metric on one.
    #[test]
    fn the_split_keeps_each_filter_on_one_thread() {
        let direct: Vec<&'static MetricDefinition> = definitions()
            .iter()
            .filter(|d| !is_derived(d.aggregate))
            .collect();
        let (here, aside) = split_by_filter(&direct);
        assert_eq!(here.len() + aside.len(), direct.len());
        assert!(!here.is_empty() && !aside.is_empty());
        for definition in &here {
            assert!(
                aside.iter().all(|other| other.filter != definition.filter),
                "{} on both threads",
                definition.filter
            );
        }
    }

    /// Every metric whose value moves when every balance moves (openings -500,000 and
    /// +500,000 against 1,000: overdrawn throughout, never) is declared to read balances.
    #[test]
    fn every_metric_reading_balances_is_declared() {
        let base = monthly_of(&varied_account(1_000));
        let mut moved_metrics = HashSet::new();
        for opening in [-500_000, 500_000] {
            let moved = monthly_of(&varied_account(opening));
            for ((name, before), (_, after)) in base.metrics.iter().zip(&moved.metrics) {
                if before != after {
                    assert!(
                        metric_reads_balances(name),
                        "{name} moves with the balances but is not declared: {before:?} -> {after:?}"
                    );
                    moved_metrics.insert(name.as_str());
                }
            }
        }
        // The rows reach the balance family: opening, EOD, overdraft and derived metrics.
        for name in [
            "opening_balance",
            "avg_bal",
            "eod_bal_on_05",
            "abb_isto_emi",
        ] {
            assert!(moved_metrics.contains(name), "{name} did not move");
        }
        assert!(moved_metrics.len() >= 60, "{}", moved_metrics.len());
    }

    /// July-August printed with balances, September-October from a statement that prints
    /// none (counted from zero): the first two months are as if all were printed, the last
    /// two have every balance metric null and every other metric unchanged.
    #[test]
    fn balance_metrics_are_null_only_for_months_without_balances() {
        let account = crate::test_support::account_with_autumn_balances_unknown();
        let whole = monthly_of(&varied_account(1_000));
        let mixed = monthly_of(&account);
        assert_eq!(mixed.months, [(2025, 7), (2025, 8), (2025, 9), (2025, 10)]);
        assert_eq!(mixed.balances_known, [true, true, false, false]);
        for ((name, all), (_, some)) in whole.metrics.iter().zip(&mixed.metrics) {
            for month in 0..4 {
                if month >= 2 && metric_reads_balances(name) {
                    assert_eq!(some[month], MetricValue::Null, "{name} month {month}");
                } else {
                    assert_eq!(some[month], all[month], "{name} month {month}");
                }
            }
        }
        // Calendar figures do not read balances.
        assert_eq!(
            mixed.values("end_date").and_then(|v| v.last()).cloned(),
            Some(MetricValue::Text("30-Oct-2025".into()))
        );
    }

    #[test]
    fn table_defines_every_spec_key() {
        let definitions = load_definitions().expect("monthly table parses");
        let names: Vec<&str> = definitions.iter().map(|d| d.name).collect();
        for key in [
            "opening_balance",
            "cnt_days_eod_bal_lt_1000",
            "eod_bal_on_30",
            "amt_debits_wo_reversal",
        ] {
            assert!(names.contains(&key), "{key} missing");
        }
        assert!(definitions.len() >= 391);
    }

    #[test]
    fn balance_family_matches_hand_computation() {
        // August: opening 5; EOD 11th-13th = 5, 14th-25th = 244, 26th-29th = 10, 30th = 3903;
        // the 31st is after the last row, so outside the range: avg = 6886 / 20.
        let monthly = analysis(vec![
            txn(
                "2025-08-11",
                "credit",
                1609,
                1614,
                "MUTHOOT FINANCE/GOLDEN GROWTH",
            ),
            txn("2025-08-11", "debit", 1609, 5, "UPI/P2A/1/RAVI/UPI/SBI"),
            txn(
                "2025-08-14",
                "credit",
                24198,
                24203,
                "MUTHOOT FINANCE/SALARY",
            ),
            txn("2025-08-14", "debit", 23959, 244, "UPI/P2A/2/RAVI/UPI/SBI"),
            txn("2025-08-26", "debit", 234, 10, "ATW-416021XXXXXX1234-ATM"),
            txn("2025-08-30", "credit", 3893, 3903, "NEFT-N123456-ORBIT"),
        ]);
        let first = |name: &str| monthly.values(name).and_then(|v| v.first()).cloned();
        assert_eq!(first("opening_balance"), Some(amount(5, 0)));
        assert_eq!(first("closing_balance"), Some(amount(3903, 0)));
        assert_eq!(first("avg_bal"), Some(amount(34430, 2)));
        assert_eq!(first("median_balance"), Some(amount(244, 0)));
        assert_eq!(first("mode_balance"), Some(amount(244, 0)));
        assert_eq!(first("max_bal"), Some(amount(24203, 0)));
        assert_eq!(first("min_bal"), Some(amount(5, 0)));
        assert_eq!(first("max_eod_balance"), Some(amount(3903, 0)));
        assert_eq!(first("min_eod_balance"), Some(amount(5, 0)));
        assert_eq!(first("eod_bal_on_10"), Some(MetricValue::Null));
        assert_eq!(
            first("cnt_days_eod_bal_lt_1000"),
            Some(MetricValue::Count(19))
        );
        assert_eq!(
            first("start_date"),
            Some(MetricValue::Text("11-Aug-2025".into()))
        );
        assert_eq!(
            first("end_date"),
            Some(MetricValue::Text("30-Aug-2025".into()))
        );
    }

    #[test]
    fn flow_family_and_derived_ratios() {
        let monthly = analysis(vec![
            txn("2024-03-01", "credit", 1000, 1000, "CASH DEPOSIT BY SELF"),
            txn(
                "2024-03-02",
                "credit",
                3000,
                4000,
                "NEFT-N1234567-ORBIT WIDGETS",
            ),
            txn(
                "2024-03-03",
                "debit",
                500,
                3500,
                "ATW-416021XXXXXX1234-S1ANBG12",
            ),
            txn(
                "2024-03-04",
                "debit",
                1500,
                2000,
                "UPI/DR/412345678901/RAVI KUMAR/SBIN/ravi@okaxis/x",
            ),
        ]);
        let first = |name: &str| monthly.values(name).and_then(|v| v.first()).cloned();
        assert_eq!(first("amt_credit"), Some(amount(4000, 0)));
        assert_eq!(first("cnt_debit"), Some(MetricValue::Count(2)));
        assert_eq!(first("amt_cash_deposit_credit"), Some(amount(1000, 0)));
        assert_eq!(first("amt_cash_withdrawl_debit"), Some(amount(500, 0)));
        assert_eq!(first("amt_upi_debit"), Some(amount(1500, 0)));
        assert_eq!(first("net_cash_inflow"), Some(amount(2000, 0)));
        assert_eq!(
            first("perc_cash_deposit_to_total_credit"),
            Some(amount(25, 0))
        );
        assert_eq!(
            first("amt_perc_cash_withdrawal_to_total_debits"),
            Some(amount(25, 0))
        );
        assert_eq!(first("avg_debit_transaction_size"), Some(amount(1000, 0)));
    }
}
