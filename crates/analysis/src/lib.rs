//! Enrichment of parsed bank statements: what a lender reads from the
//! transactions (categories, salary, EMIs, bounces, balances, fraud evidence),
//! shaped as the BankConnect Insights `data` sections. No HTTP here.
//!
//! Entry point: [`enrich`]. Money stays [`Decimal`] throughout; f64 appears only
//! when [`Enrichment::to_insights_data`] serialises.

pub mod categorize;
pub mod eod;
pub mod error;
pub mod fraud;
pub mod groups;
pub mod json;
pub mod merge;
pub mod monthly;
pub mod narration;
pub mod output;
pub mod predictors;
pub mod recurring;
pub mod rolling;
pub mod salary;
pub mod score;
pub mod tables;
pub mod vocabulary;

use chrono::NaiveDate;
use ledgerlens_pdf::DocumentMetadata;
use ledgerlens_statement::model::{
    ChainBreak, CheckedAgainst, DateRange, Incomplete, ParsedStatement, Transaction,
};
use rust_decimal::Decimal;
use serde::Serialize;
use std::sync::OnceLock;

pub use categorize::{Categorized, Categorizer};
pub use error::AnalysisError;
pub use narration::{Mode, Narration};

/// Session metadata that sharpens self-transfer and salary detection.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EnrichmentContext {
    /// Account holder names (from identity and from the session).
    pub names: Vec<String>,
    pub employer_names: Vec<String>,
    /// Group companies whose transfers count as the holder's own.
    pub companies_for_self_transfer: Vec<String>,
    /// Day the application was made; predictors measured "from application date" use it.
    pub application_date: Option<NaiveDate>,
}

/// One uploaded statement of the account, as the engine read it.
#[derive(Debug, Clone)]
pub struct StatementInput {
    pub statement_id: String,
    /// FinBox bank id ("hdfc", "axis", ...).
    pub bank: Option<String>,
    pub transactions: Vec<Transaction>,
    pub metadata: Option<DocumentMetadata>,
    pub reconciled: bool,
    /// What the rows were checked against: a table with no running balance has no chain,
    /// so `reconciled` false alone does not mean its figures disagree.
    pub checked_against: CheckedAgainst,
    /// False when the statement prints no balance anywhere (no balance column, no opening
    /// or closing): its rows' balances are counted from zero, so no balance figure is
    /// reported from them. Derived from a printed opening or closing, they are known.
    pub balances_known: bool,
    pub chain_breaks: Vec<ChainBreak>,
    pub page_count: usize,
    /// Fonts declared on each page carrying the table ("BaseFont" or "BaseFont#objnum").
    pub table_fonts: Vec<Vec<String>>,
    /// Per row of `transactions`, the font programs printing its amount and balance (the
    /// engine's `figure_fonts`; empty where not known).
    pub figure_fonts: Vec<ledgerlens_statement::model::FigureFonts>,
    /// Printed figures (count, totals, closing balance) that disagree with the rows.
    pub summary_mismatches: Vec<String>,
    /// Periods inside the statement that its file does not cover (a month left out of merged
    /// monthly statements): missing transactions, reported with the gaps between statements.
    pub missing_periods: Vec<DateRange>,
    /// Evidence that the file lacks the statement's end (cut short, pages missing, printed
    /// closing figures the rows do not reach): missing transactions, not a balance mismatch.
    pub incomplete: Vec<Incomplete>,
    /// Readings the engine was not certain of (its reconciliation warnings).
    pub parse_warnings: Vec<String>,
    /// The rows each of `parse_warnings` concerns, where the engine names them (its
    /// reconciliation's `warning_rows`); a warning with no entry may concern any row.
    pub parse_warning_rows: Vec<ledgerlens_statement::model::WarningRows>,
    /// Statement period as printed, when known.
    pub from_date: Option<NaiveDate>,
    pub to_date: Option<NaiveDate>,
}

impl Default for StatementInput {
    /// An empty statement whose balances are printed and chained.
    fn default() -> Self {
        StatementInput {
            statement_id: String::new(),
            bank: None,
            transactions: Vec::new(),
            metadata: None,
            reconciled: false,
            checked_against: CheckedAgainst::BalanceChain,
            balances_known: true,
            chain_breaks: Vec::new(),
            page_count: 0,
            table_fonts: Vec::new(),
            figure_fonts: Vec::new(),
            summary_mismatches: Vec::new(),
            missing_periods: Vec::new(),
            incomplete: Vec::new(),
            parse_warnings: Vec::new(),
            parse_warning_rows: Vec::new(),
            from_date: None,
            to_date: None,
        }
    }
}

impl StatementInput {
    pub fn from_parsed(statement_id: &str, parsed: &ParsedStatement) -> StatementInput {
        StatementInput {
            statement_id: statement_id.to_string(),
            bank: parsed
                .bank
                .as_ref()
                .map(|evidence| evidence.bank.id.to_ascii_lowercase()),
            transactions: parsed.transactions.clone(),
            metadata: Some(parsed.metadata.clone()),
            reconciled: parsed.reconciliation.reconciled,
            checked_against: parsed.reconciliation.checked_against,
            balances_known: parsed.reconciliation.balances_known,
            chain_breaks: parsed.reconciliation.breaks.clone(),
            page_count: parsed.page_count,
            table_fonts: parsed.table_fonts.clone(),
            figure_fonts: parsed.figure_fonts.clone(),
            summary_mismatches: parsed.reconciliation.summary_mismatches.clone(),
            missing_periods: parsed.reconciliation.missing_periods.clone(),
            incomplete: parsed.reconciliation.incomplete.clone(),
            parse_warnings: parsed.reconciliation.warnings.clone(),
            parse_warning_rows: parsed.reconciliation.warning_rows.clone(),
            from_date: None,
            to_date: None,
        }
    }
}

/// Everything known about one bank account: its statements and identity figures.
#[derive(Debug, Clone, Default)]
pub struct AccountInput {
    pub account_id: String,
    pub account_number: Option<String>,
    pub bank: Option<String>,
    pub ifsc: Option<String>,
    pub holder_name: Option<String>,
    /// "individual" or "corporate".
    pub account_category: Option<String>,
    pub od_limit: Option<Decimal>,
    pub holder: HolderDetails,
    pub statements: Vec<StatementInput>,
}

/// Holder details some statements print in their header. Reported as read (dates as
/// "YYYY-MM-DD"); `None` when the statement does not print them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HolderDetails {
    pub email: Option<String>,
    pub phone_number: Option<String>,
    pub pan_number: Option<String>,
    pub dob: Option<String>,
    pub account_opening_date: Option<String>,
    /// "active", "dormant", ... as the statement words it, lower-cased.
    pub account_status: Option<String>,
    /// "single" or "joint".
    pub holder_type: Option<String>,
}

impl AccountInput {
    /// True when every statement's balances are known. A statement counted from zero
    /// leaves only its own days, months and rows without balances: the EOD series marks
    /// those days unknown, the months they touch report null balance metrics, and the
    /// predictors over several months or days use the ones whose balances are known.
    pub fn balances_known(&self) -> bool {
        self.statements
            .iter()
            .all(|statement| statement.balances_known)
    }

    /// An account with one metadata-less statement: for tests and already-merged lists.
    pub fn from_transactions(transactions: Vec<Transaction>) -> AccountInput {
        AccountInput {
            statements: vec![StatementInput {
                statement_id: "statement-1".into(),
                transactions,
                reconciled: true,
                ..StatementInput::default()
            }],
            ..AccountInput::default()
        }
    }
}

/// A transaction with everything the enrichment learnt about it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EnrichedTransaction {
    pub transaction: Transaction,
    pub transaction_channel: String,
    pub description: String,
    pub merchant_category: String,
    pub category: String,
    pub unclean_merchant: String,
    pub clean_transaction_note: String,
    pub rule_id: String,
    /// The rule and the dictionary entries behind the category ("R290 merchants.tsv:57
    /// swiggy.upi (handle)"); `rule_id` alone is the rule.
    pub decided_by: String,
    pub mode: Mode,
    pub counterparty: Option<String>,
    pub lender: Option<String>,
    pub is_salary: bool,
    pub salary_month: Option<String>,
    pub employer_name: Option<String>,
    /// Which statement of the account the row came from.
    pub statement_index: usize,
    /// False when the row's statement prints no balance anywhere: its balance is counted
    /// from zero and is reported as null.
    #[serde(skip)]
    pub balance_known: bool,
    /// The narration as phrase rules match it (computed once; filters reuse it).
    #[serde(skip)]
    pub normalized_note: String,
}

/// The full enrichment of one account.
#[derive(Debug, Clone, Serialize)]
pub struct Enrichment {
    pub account_id: String,
    pub transactions: Vec<EnrichedTransaction>,
    pub merge: merge::MergeReport,
    pub salary: salary::SalaryReport,
    pub recurring: recurring::RecurringReport,
    pub monthly: monthly::MonthlyAnalysis,
    pub eod: eod::EodBalances,
    pub predictors: predictors::Predictors,
    pub score: score::ScoreReport,
    pub fraud: fraud::FraudReport,
}

/// The embedded tables, loaded once. A defect in them is a build defect caught by
/// the unit tests, so production falls back to an empty rule set rather than panicking.
pub fn categorizer() -> &'static Categorizer {
    static CATEGORIZER: OnceLock<Categorizer> = OnceLock::new();
    CATEGORIZER.get_or_init(|| {
        Categorizer::from_embedded_tables().unwrap_or_else(|_| Categorizer::empty())
    })
}

/// Enriches one account: merges its statements, categorises every row, and derives
/// salary, recurring groups, monthly metrics, EOD balances, predictors, score and fraud.
pub fn enrich(account: &AccountInput, context: &EnrichmentContext) -> Enrichment {
    let merged = merge::merge_statements(&account.statements);
    let mut transactions = categorize_all(&merged.transactions, context);
    mark_unknown_balances(&mut transactions, account);
    let salary = salary::detect(&mut transactions, context);
    let recurring = recurring::detect(&transactions);
    let eod = eod::compute(&transactions);
    let monthly = monthly::compute(&transactions, &eod, account);
    let fraud = fraud::assess(account, &transactions, &merged.report);
    let predictors = predictors::compute(
        account,
        &transactions,
        &monthly,
        &eod,
        &fraud,
        &salary,
        context,
    );
    let score = score::compute(&monthly, &transactions, &salary, &fraud);
    Enrichment {
        account_id: account.account_id.clone(),
        transactions,
        merge: merged.report,
        salary,
        recurring,
        monthly,
        eod,
        predictors,
        score,
        fraud,
    }
}

/// [`enrich`] and [`Enrichment::to_insights_data`] in one: the same enrichment and the same
/// document, with the row sections (`transactions`, recurring groups, lender, top and bounce
/// lists) built on a second thread while the monthly analysis, EOD balances, predictors and
/// score are computed — those sections need only the rows, the salary decisions, the recurring
/// groups and the fraud findings, and on a long statement both halves are tens of milliseconds.
pub fn enrich_with_insights(
    account: &AccountInput,
    context: &EnrichmentContext,
) -> (Enrichment, serde_json::Value) {
    enrich_with_insights_as(account, context, output::RowValues::All)
}

/// [`enrich_with_insights`], with the document's `transactions` and `recurring_transactions`
/// left null when `values` says the caller writes them ([`output::write_transactions_section`],
/// [`output::write_recurring_section`]): building them as values was most of the document's
/// cost on a long statement.
pub fn enrich_with_insights_as(
    account: &AccountInput,
    context: &EnrichmentContext,
    values: output::RowValues,
) -> (Enrichment, serde_json::Value) {
    let merged = merge::merge_statements(&account.statements);
    let mut transactions = categorize_all(&merged.transactions, context);
    mark_unknown_balances(&mut transactions, account);
    let salary = salary::detect(&mut transactions, context);
    let recurring = recurring::detect(&transactions);
    let fraud = fraud::assess(account, &transactions, &merged.report);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let parallel = transactions.len() >= PARALLEL_ROWS && threads >= 2;
    let analysis = |transactions: &[EnrichedTransaction]| {
        let eod = eod::compute(transactions);
        let monthly =
            monthly::compute_on(transactions, &eod, account, if parallel { 2 } else { 1 });
        let predictors = predictors::compute_on(
            account,
            transactions,
            &monthly,
            &eod,
            &fraud,
            &salary,
            context,
            if parallel { 2 } else { 1 },
        );
        let score = score::compute(&monthly, transactions, &salary, &fraud);
        let sections = output::analysis_sections(&monthly, &predictors, &eod, &score, &salary);
        (eod, monthly, predictors, score, sections)
    };
    let rows = output::RowSections {
        account_id: &account.account_id,
        transactions: &transactions,
        salary: &salary,
        recurring: &recurring,
        fraud: &fraud,
    };
    let (row_sections, (eod, monthly, predictors, score, analysis_sections)) = if !parallel {
        (rows.build(values), analysis(&transactions))
    } else {
        std::thread::scope(|scope| {
            let built = scope.spawn(|| rows.build(values));
            let analysed = analysis(&transactions);
            // A thread that panicked is redone here, where a panic surfaces as it would
            // have without threads.
            (
                built.join().unwrap_or_else(|_| rows.build(values)),
                analysed,
            )
        })
    };
    let data = output::insights_data(row_sections, analysis_sections);
    let enrichment = Enrichment {
        account_id: account.account_id.clone(),
        transactions,
        merge: merged.report,
        salary,
        recurring,
        monthly,
        eod,
        predictors,
        score,
        fraud,
    };
    (enrichment, data)
}

/// Rows of a statement that prints no balance anywhere carry balances counted from zero.
fn mark_unknown_balances(transactions: &mut [EnrichedTransaction], account: &AccountInput) {
    for txn in transactions {
        txn.balance_known = account
            .statements
            .get(txn.statement_index)
            .is_none_or(|statement| statement.balances_known);
    }
}

/// Statements at least this long are categorised on several threads; shorter ones finish
/// before a thread would start paying off.
const PARALLEL_ROWS: usize = 1_000;

/// Every row categorised, in order. Rows are independent and reading narrations is most
/// of the enrichment's time, so a long statement is split over the available cores.
fn categorize_all(
    rows: &[(usize, Transaction)],
    context: &EnrichmentContext,
) -> Vec<EnrichedTransaction> {
    let categorizer = categorizer();
    let run = |chunk: &[(usize, Transaction)]| -> Vec<EnrichedTransaction> {
        chunk
            .iter()
            .map(|(statement_index, transaction)| {
                enriched_from(
                    categorizer.categorize(transaction, context),
                    transaction,
                    *statement_index,
                )
            })
            .collect()
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    if rows.len() < PARALLEL_ROWS || threads < 2 {
        return run(rows);
    }
    let size = rows.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let mut chunks = rows.chunks(size);
        let first = chunks.next().unwrap_or_default();
        let spawned: Vec<_> = chunks
            .map(|chunk| (chunk, scope.spawn(move || run(chunk))))
            .collect();
        let mut out = run(first);
        for (chunk, handle) in spawned {
            // A thread that panicked is redone here, where a panic surfaces as it would
            // have without threads.
            out.extend(handle.join().unwrap_or_else(|_| run(chunk)));
        }
        out
    })
}

fn enriched_from(
    categorized: Categorized,
    transaction: &Transaction,
    statement_index: usize,
) -> EnrichedTransaction {
    let decided_by = categorized.decided_by();
    EnrichedTransaction {
        transaction: transaction.clone(),
        transaction_channel: categorized.transaction_channel.to_string(),
        description: categorized.description,
        merchant_category: categorized.merchant_category.to_string(),
        category: categorized.category,
        unclean_merchant: categorized.unclean_merchant,
        clean_transaction_note: categorized.narration.clean_transaction_note.clone(),
        rule_id: categorized.rule_id.to_string(),
        decided_by,
        mode: categorized.narration.mode,
        counterparty: categorized.narration.counterparty.clone(),
        lender: categorized.lender.map(str::to_string),
        is_salary: false,
        salary_month: None,
        employer_name: None,
        statement_index,
        balance_known: true,
        normalized_note: categorized.narration.normalized.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::txn;

    #[test]
    fn parallel_categorisation_keeps_order_and_answers() {
        let notes = [
            "UPI/DR/412345678901/SWIGGY/YESB/swiggy.upi@yesbank/Order",
            "NEFT CR-CITI0000002-ORBITAL WIDGETS PVT LTD-RAHUL SHARMA-CITIN24",
            "ATW-416021XXXXXX1234-S1ANBG12-BANGALORE",
            "SALARY FOR MARCH ACME LTD",
            "ACH D- BAJAJ FINANCE LTD-P400ABC",
        ];
        let rows: Vec<(usize, Transaction)> = (0..PARALLEL_ROWS + 237)
            .map(|n| {
                let note = format!("{} {n}", notes[n % notes.len()]);
                (
                    n % 3,
                    txn("2024-05-02", "debit", 100 + n as i64, 1000, &note),
                )
            })
            .collect();
        let context = EnrichmentContext::default();
        let sequential: Vec<EnrichedTransaction> = rows
            .iter()
            .map(|(index, transaction)| {
                enriched_from(
                    categorizer().categorize(transaction, &context),
                    transaction,
                    *index,
                )
            })
            .collect();
        assert_eq!(categorize_all(&rows, &context), sequential);
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    use chrono::NaiveDate;
    use ledgerlens_statement::model::{Transaction, TransactionType};
    use rust_decimal::Decimal;

    /// Four months of varied rows (salary, EMIs, cash, UPI, an overdraft, interest, a
    /// bounce, a loan credit) with balances chained from `opening`: accounts that differ only
    /// in `opening` differ only in their balances, which the tests that check which figures
    /// read balances compare. Hand-written for those tests.
    pub fn varied_rows(opening: i64) -> Vec<Transaction> {
        // date, side, amount, narration.
        const ROWS: &str = "\
2025-07-03 credit 52000 NEFT CR-ACME LTD-SALARY JUL 2025\n\
2025-07-04 debit 12500 ACH D- BAJAJ FINANCE LTD-P400ABC\n\
2025-07-05 debit 2000 ATW-416021XXXXXX1234-S1ANBG12-BANGALORE\n\
2025-07-09 debit 1450 UPI/DR/412345678901/SWIGGY/YESB/swiggy.upi@yesbank/Order\n\
2025-07-15 credit 8000 CASH DEPOSIT BY SELF\n\
2025-07-21 debit 60000 NEFT DR-HDFC0000001-RAVI KUMAR-RENT\n\
2025-07-30 debit 310 INTEREST CHARGES OD ACCOUNT\n\
2025-08-02 credit 52000 NEFT CR-ACME LTD-SALARY AUG 2025\n\
2025-08-04 debit 12500 ACH D- BAJAJ FINANCE LTD-P400ABC\n\
2025-08-05 credit 12500 ACH RETURN BAJAJ FINANCE LTD-P400ABC INSUFFICIENT FUNDS\n\
2025-08-06 debit 590 ACH RETURN CHARGES\n\
2025-08-12 debit 3000 UPI/DR/412345678902/RAVI KUMAR/SBIN/ravi@okaxis/x\n\
2025-08-18 credit 150000 LOAN DISBURSAL MUTHOOT FINANCE\n\
2025-08-25 debit 140000 RTGS DR-ORBIT TRADERS\n\
2025-09-02 credit 52000 NEFT CR-ACME LTD-SALARY SEP 2025\n\
2025-09-04 debit 12500 ACH D- BAJAJ FINANCE LTD-P400ABC\n\
2025-09-05 debit 5000 ATW-416021XXXXXX1234-S1ANBG12-BANGALORE\n\
2025-09-10 debit 95000 IMPS DR-ORBIT TRADERS\n\
2025-09-29 debit 420 INTEREST CHARGES OD ACCOUNT\n\
2025-10-01 credit 52000 NEFT CR-ACME LTD-SALARY OCT 2025\n\
2025-10-04 debit 12500 ACH D- BAJAJ FINANCE LTD-P400ABC\n\
2025-10-14 credit 20000 CASH DEPOSIT BY SELF\n\
2025-10-30 debit 7777 UPI/DR/412345678903/GROCER/okaxis";
        let mut balance = opening;
        ROWS.lines()
            .filter_map(|line| {
                let mut fields = line.splitn(4, ' ');
                let (date, side) = (fields.next()?, fields.next()?);
                let amount = fields.next()?.parse::<i64>().ok()?;
                balance += if side == "credit" { amount } else { -amount };
                Some(txn(date, side, amount, balance, fields.next()?))
            })
            .collect()
    }

    /// `varied_rows(opening)` as one statement, with an overdraft limit (so that the
    /// overdraft-only figures are computed).
    pub fn varied_account(opening: i64) -> crate::AccountInput {
        let mut account = crate::AccountInput::from_transactions(varied_rows(opening));
        account.od_limit = Some(Decimal::from(200_000));
        account
    }

    /// `varied_account(1_000)` as two statements: July-August printed with balances and
    /// reconciled, September-October from a statement that prints none (its balances counted
    /// from zero, as the engine leaves them).
    pub fn account_with_autumn_balances_unknown() -> crate::AccountInput {
        use chrono::Datelike;
        let rows = varied_rows(1_000);
        let split = rows
            .iter()
            .position(|row| row.date.month() == 9)
            .unwrap_or(rows.len());
        let mut unknown = rows[split..].to_vec();
        let mut counted = Decimal::ZERO;
        for row in &mut unknown {
            counted += row.signed_amount();
            row.balance = counted;
        }
        let mut account = varied_account(1_000);
        account.statements = vec![
            crate::StatementInput {
                statement_id: "printed".into(),
                transactions: rows[..split].to_vec(),
                reconciled: true,
                ..crate::StatementInput::default()
            },
            crate::StatementInput {
                statement_id: "no-balance".into(),
                transactions: unknown,
                checked_against: ledgerlens_statement::model::CheckedAgainst::Nothing,
                balances_known: false,
                ..crate::StatementInput::default()
            },
        ];
        account
    }

    /// A transaction for hand-computed examples: date "YYYY-MM-DD", side "credit"/"debit".
    pub fn txn(date: &str, side: &str, amount: i64, balance: i64, note: &str) -> Transaction {
        Transaction {
            transaction_type: if side == "credit" {
                TransactionType::Credit
            } else {
                TransactionType::Debit
            },
            transaction_note: note.to_string(),
            chq_num: String::new(),
            amount: Decimal::new(amount, 0),
            balance: Decimal::new(balance, 0),
            date: NaiveDate::parse_from_str(date, "%Y-%m-%d")
                .ok()
                .and_then(|day| day.and_hms_opt(0, 0, 0))
                .unwrap_or_default(),
            value_date: None,
            hash: format!("{date}-{note}-{amount}"),
            page: 1,
            balance_derived: false,
        }
    }
}
