//! The enrichment stage between the engine and the data endpoints. No HTTP here.
//!
//! Processing a statement stores its *enrichment input* (transactions, PDF metadata,
//! balance-chain breaks) next to its engine output, so an account can be enriched over all of
//! its statements without parsing any file again. Finalising a session enriches each account
//! once (crates/analysis merges the statements) with the session's metadata as context, and
//! stores the resulting [`AccountDocument`]; the legacy entity API, which has no finalisation,
//! enriches on read from the same inputs.

use chrono::{NaiveDate, NaiveDateTime};
pub use ledgerlens_analysis::EnrichmentContext;
use ledgerlens_analysis::{
    enrich, groups, merge, AccountInput, EnrichedTransaction, Enrichment, HolderDetails,
    StatementInput,
};
use ledgerlens_pdf::{DocumentMetadata, PdfDate};
use ledgerlens_statement::identity::Identity;
use ledgerlens_statement::model::{ChainBreak, ParsedStatement, Transaction, TransactionType};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

/// Bumped when [`StoredInput`] changes incompatibly; older inputs are then ignored.
const INPUT_VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
struct StoredInput {
    version: u32,
    bank: Option<String>,
    transactions: Vec<StoredTransaction>,
    metadata: Option<StoredMetadata>,
    reconciled: bool,
    chain_breaks: Vec<StoredBreak>,
    page_count: usize,
    table_fonts: Vec<Vec<String>>,
    /// Absent from inputs stored before it existed.
    #[serde(default)]
    summary_mismatches: Vec<String>,
    #[serde(default)]
    parse_warnings: Vec<String>,
    from_date: Option<NaiveDate>,
    to_date: Option<NaiveDate>,
}

/// A transaction as stored (in enrichment inputs and in upload-time parses).
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct StoredTransaction {
    credit: bool,
    transaction_note: String,
    chq_num: String,
    amount: Decimal,
    balance: Decimal,
    date: NaiveDateTime,
    value_date: Option<NaiveDateTime>,
    hash: String,
    page: usize,
    balance_derived: bool,
}

/// PDF document information as stored.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct StoredMetadata {
    producer: Option<String>,
    creator: Option<String>,
    author: Option<String>,
    title: Option<String>,
    subject: Option<String>,
    keywords: Option<String>,
    creation_date: Option<StoredPdfDate>,
    modification_date: Option<StoredPdfDate>,
    page_count: usize,
    incremental_updates: usize,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
struct StoredPdfDate {
    year: u16,
    month: u8,
    day: u8,
    hour: u8,
    minute: u8,
    second: u8,
    utc_offset_minutes: i16,
}

/// A balance-chain break as stored.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct StoredBreak {
    row: usize,
    hash: String,
    expected_balance: Decimal,
    printed_balance: Decimal,
}

impl From<PdfDate> for StoredPdfDate {
    fn from(d: PdfDate) -> Self {
        StoredPdfDate {
            year: d.year,
            month: d.month,
            day: d.day,
            hour: d.hour,
            minute: d.minute,
            second: d.second,
            utc_offset_minutes: d.utc_offset_minutes,
        }
    }
}

impl From<StoredPdfDate> for PdfDate {
    fn from(d: StoredPdfDate) -> Self {
        PdfDate {
            year: d.year,
            month: d.month,
            day: d.day,
            hour: d.hour,
            minute: d.minute,
            second: d.second,
            utc_offset_minutes: d.utc_offset_minutes,
        }
    }
}

impl From<&Transaction> for StoredTransaction {
    fn from(t: &Transaction) -> Self {
        StoredTransaction {
            credit: t.transaction_type == TransactionType::Credit,
            transaction_note: t.transaction_note.clone(),
            chq_num: t.chq_num.clone(),
            amount: t.amount,
            balance: t.balance,
            date: t.date,
            value_date: t.value_date,
            hash: t.hash.clone(),
            page: t.page,
            balance_derived: t.balance_derived,
        }
    }
}

impl From<StoredTransaction> for Transaction {
    fn from(t: StoredTransaction) -> Self {
        Transaction {
            transaction_type: if t.credit {
                TransactionType::Credit
            } else {
                TransactionType::Debit
            },
            transaction_note: t.transaction_note,
            chq_num: t.chq_num,
            amount: t.amount,
            balance: t.balance,
            date: t.date,
            value_date: t.value_date,
            hash: t.hash,
            page: t.page,
            balance_derived: t.balance_derived,
        }
    }
}

impl From<&DocumentMetadata> for StoredMetadata {
    fn from(m: &DocumentMetadata) -> Self {
        StoredMetadata {
            producer: m.producer.clone(),
            creator: m.creator.clone(),
            author: m.author.clone(),
            title: m.title.clone(),
            subject: m.subject.clone(),
            keywords: m.keywords.clone(),
            creation_date: m.creation_date.map(Into::into),
            modification_date: m.modification_date.map(Into::into),
            page_count: m.page_count,
            incremental_updates: m.incremental_updates,
        }
    }
}

impl From<StoredMetadata> for DocumentMetadata {
    fn from(m: StoredMetadata) -> Self {
        DocumentMetadata {
            producer: m.producer,
            creator: m.creator,
            author: m.author,
            title: m.title,
            subject: m.subject,
            keywords: m.keywords,
            creation_date: m.creation_date.map(Into::into),
            modification_date: m.modification_date.map(Into::into),
            page_count: m.page_count,
            incremental_updates: m.incremental_updates,
        }
    }
}

impl From<&ChainBreak> for StoredBreak {
    fn from(b: &ChainBreak) -> Self {
        StoredBreak {
            row: b.row,
            hash: b.hash.clone(),
            expected_balance: b.expected_balance,
            printed_balance: b.printed_balance,
        }
    }
}

impl From<StoredBreak> for ChainBreak {
    fn from(b: StoredBreak) -> Self {
        ChainBreak {
            row: b.row,
            hash: b.hash,
            expected_balance: b.expected_balance,
            printed_balance: b.printed_balance,
        }
    }
}

/// The analysis input of one statement, as the engine read it (printed period included).
pub fn statement_input(statement_id: &str, parsed: &ParsedStatement) -> StatementInput {
    StatementInput {
        from_date: parsed.identity.from_date,
        to_date: parsed.identity.to_date,
        ..StatementInput::from_parsed(statement_id, parsed)
    }
}

/// [`statement_input`] as stored in `statement_results.enrichment`.
pub fn encode_input(input: &StatementInput) -> Result<String, serde_json::Error> {
    let stored = StoredInput {
        version: INPUT_VERSION,
        bank: input.bank.clone(),
        transactions: input.transactions.iter().map(Into::into).collect(),
        metadata: input.metadata.as_ref().map(Into::into),
        reconciled: input.reconciled,
        chain_breaks: input.chain_breaks.iter().map(Into::into).collect(),
        page_count: input.page_count,
        table_fonts: input.table_fonts.clone(),
        summary_mismatches: input.summary_mismatches.clone(),
        parse_warnings: input.parse_warnings.clone(),
        from_date: input.from_date,
        to_date: input.to_date,
    };
    serde_json::to_string(&stored)
}

/// Reads a stored input back; `None` when it is missing, corrupt or of another version.
pub fn decode_input(statement_id: &str, text: &str) -> Option<StatementInput> {
    let stored: StoredInput = serde_json::from_str(text).ok()?;
    if stored.version != INPUT_VERSION {
        return None;
    }
    Some(StatementInput {
        statement_id: statement_id.to_owned(),
        bank: stored.bank,
        transactions: stored.transactions.into_iter().map(Into::into).collect(),
        metadata: stored.metadata.map(Into::into),
        reconciled: stored.reconciled,
        chain_breaks: stored.chain_breaks.into_iter().map(Into::into).collect(),
        page_count: stored.page_count,
        table_fonts: stored.table_fonts,
        summary_mismatches: stored.summary_mismatches,
        parse_warnings: stored.parse_warnings,
        from_date: stored.from_date,
        to_date: stored.to_date,
    })
}

/// The upload-time fraud verdict of one statement (metadata and balance-chain checks only):
/// `(is_fraud, fraud_type)` as upload responses report them.
pub fn upload_fraud(statement_id: &str, parsed: &ParsedStatement) -> (bool, Option<String>) {
    let input = statement_input(statement_id, parsed);
    let account = AccountInput {
        account_number: parsed.identity.account_number.clone(),
        statements: vec![input],
        ..AccountInput::default()
    };
    let merged = merge::merge_statements(&account.statements);
    let report = ledgerlens_analysis::fraud::assess(&account, &[], &merged.report);
    report
        .statements
        .get(statement_id)
        .map_or((false, None), |(is_fraud, kind)| {
            (*is_fraud, kind.map(str::to_owned))
        })
}

/// names / employer_names / companies_for_self_transfer of the session's stored parameters,
/// plus the account holder's name as the engine read it.
pub fn context(session_params: &str, holder_name: Option<&str>) -> EnrichmentContext {
    let params: Value = serde_json::from_str(session_params).unwrap_or(Value::Null);
    let list = |key: &str| -> Vec<String> {
        params
            .get("metadata")
            .and_then(|m| m.get(key))
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut names = list("names");
    if let Some(holder) = holder_name.map(str::trim).filter(|n| !n.is_empty()) {
        if !names.iter().any(|n| n.eq_ignore_ascii_case(holder)) {
            names.push(holder.to_owned());
        }
    }
    EnrichmentContext {
        names,
        employer_names: list("employer_names"),
        companies_for_self_transfer: list("companies_for_self_transfer"),
        application_date: None,
    }
}

/// What the data endpoints show of one account's enrichment; stored as JSON.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AccountDocument {
    /// The Insights `data` sections of crates/analysis (fraud … salary_confidence).
    pub data: Value,
    /// The legacy entity API's shapes of the same results.
    pub entity: Value,
    /// Account-level validation codes (MISSING_TRANSACTIONS, BALANCE_MISMATCH, …).
    pub validation_codes: Vec<String>,
    /// Gaps between the account's statements: `{from_date, to_date}`.
    pub missing_data: Vec<Value>,
    /// Statement id → (is_fraud, first fraud type).
    pub statement_fraud: Vec<(String, bool, Option<String>)>,
}

/// Identity facts of the account that sharpen the analysis.
#[derive(Debug, Clone, Default)]
pub struct AccountFacts {
    pub account_id: String,
    pub account_number: Option<String>,
    pub bank: Option<String>,
    pub ifsc: Option<String>,
    pub holder_name: Option<String>,
    pub account_category: Option<String>,
    pub od_limit: Option<Decimal>,
    pub holder: HolderDetails,
}

/// Enriches a single statement as its own account (offline analysis: `ledgerlens parse`).
/// The holder's name as read joins `context.names`. No legacy entity sections are built.
pub fn enrich_parsed(
    statement_id: &str,
    account_id: &str,
    parsed: &ParsedStatement,
    context: &EnrichmentContext,
) -> AccountDocument {
    let id = &parsed.identity;
    let facts = AccountFacts {
        account_id: account_id.to_owned(),
        account_number: id.account_number.clone(),
        bank: parsed
            .bank
            .as_ref()
            .map(|evidence| evidence.bank.id.to_ascii_lowercase()),
        ifsc: id.ifsc.clone(),
        holder_name: id.name.clone(),
        account_category: id.account_category.clone(),
        od_limit: id.od_limit,
        holder: holder_details(&parsed.identity),
    };
    let mut context = context.clone();
    if let Some(holder) = id.name.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
        if !context.names.iter().any(|n| n.eq_ignore_ascii_case(holder)) {
            context.names.push(holder.to_owned());
        }
    }
    let account = account_input(&facts, vec![statement_input(statement_id, parsed)]);
    insights_document(&enrich(&account, &context))
}

/// The holder details the statement printed, as the predictors report them.
fn holder_details(identity: &Identity) -> HolderDetails {
    let day = |date: Option<NaiveDate>| date.map(|d| d.format("%Y-%m-%d").to_string());
    HolderDetails {
        email: identity.email.clone(),
        phone_number: identity.phone_number.clone(),
        pan_number: identity.pan_number.clone(),
        dob: day(identity.dob),
        account_opening_date: day(identity.account_opening_date),
        account_status: identity.account_status.clone(),
        holder_type: identity.holder_type.clone(),
    }
}

/// Enriches one account over its statements' inputs.
pub fn enrich_account(
    facts: &AccountFacts,
    statements: Vec<StatementInput>,
    context: &EnrichmentContext,
) -> AccountDocument {
    document(&enrich(&account_input(facts, statements), context))
}

fn account_input(facts: &AccountFacts, statements: Vec<StatementInput>) -> AccountInput {
    AccountInput {
        account_id: facts.account_id.clone(),
        account_number: facts.account_number.clone(),
        bank: facts.bank.clone(),
        ifsc: facts.ifsc.clone(),
        holder_name: facts.holder_name.clone(),
        account_category: facts.account_category.clone(),
        od_limit: facts.od_limit,
        holder: facts.holder.clone(),
        statements,
    }
}

fn document(e: &Enrichment) -> AccountDocument {
    AccountDocument {
        entity: entity_sections(e),
        ..insights_document(e)
    }
}

/// The document without the legacy entity sections (offline analysis serves no entity API).
fn insights_document(e: &Enrichment) -> AccountDocument {
    AccountDocument {
        data: e.to_insights_data(),
        entity: Value::Null,
        validation_codes: e
            .fraud
            .validation_codes
            .iter()
            .map(|c| (*c).to_owned())
            .collect(),
        missing_data: e
            .merge
            .missing_data
            .iter()
            .map(
                |m| json!({"from_date": m.from_date.to_string(), "to_date": m.to_date.to_string()}),
            )
            .collect(),
        statement_fraud: e
            .fraud
            .statements
            .iter()
            .map(|(id, (is_fraud, kind))| (id.clone(), *is_fraud, kind.map(str::to_owned)))
            .collect(),
    }
}

fn money(value: Decimal) -> Value {
    value.round_dp(2).to_f64().map_or(Value::Null, Value::from)
}

fn side(t: TransactionType) -> &'static str {
    match t {
        TransactionType::Credit => "credit",
        TransactionType::Debit => "debit",
    }
}

/// The flat transaction of the entity API (rest-api.md, Transactions).
fn entity_row(account_id: &str, txn: &EnrichedTransaction) -> Value {
    json!({
        "transaction_note": txn.transaction.transaction_note,
        "hash": txn.transaction.hash,
        "description": txn.description,
        "account_id": account_id,
        "transaction_type": side(txn.transaction.transaction_type),
        "amount": money(txn.transaction.amount),
        "date": txn.transaction.date.format("%Y-%m-%d %H:%M:%S").to_string(),
        "merchant_category": txn.merchant_category,
        "balance": money(txn.transaction.balance),
        "transaction_channel": txn.transaction_channel,
        "clean_transaction_note": txn.clean_transaction_note,
        "category": txn.category,
    })
}

fn rows(e: &Enrichment, indices: &[usize]) -> Vec<Value> {
    indices
        .iter()
        .filter_map(|&i| e.transactions.get(i))
        .map(|t| entity_row(&e.account_id, t))
        .collect()
}

fn entity_sections(e: &Enrichment) -> Value {
    let salary: Vec<Value> = e
        .salary
        .transactions
        .iter()
        .filter_map(|&i| e.transactions.get(i))
        .map(|t| {
            let mut row = entity_row(&e.account_id, t);
            row["month_year"] = json!(t.transaction.date.format("%-m-%Y").to_string());
            row["salary_month"] = json!(t.salary_month);
            row["employer_name"] = json!(t.employer_name);
            row
        })
        .collect();
    let recurring = |groups: &[ledgerlens_analysis::recurring::RecurringGroup]| -> Vec<Value> {
        groups
            .iter()
            .map(|g| {
                json!({
                    "account_id": e.account_id,
                    "start_date": g.start_date.format("%Y-%m-%d %H:%M:%S").to_string(),
                    "end_date": g.end_date.format("%Y-%m-%d %H:%M:%S").to_string(),
                    "transaction_channel": g.transaction_channel.to_ascii_uppercase(),
                    "median": money(g.median),
                    "clean_transaction_note": g.clean_transaction_note,
                    "transactions": rows(e, &g.transactions),
                })
            })
            .collect()
    };
    let top = |wanted: TransactionType| -> Value {
        let mut months = Map::new();
        for ((year, month), indices) in groups::top_by_month(&e.transactions, wanted) {
            let mut notes = Map::new();
            for txn in indices.iter().filter_map(|&i| e.transactions.get(i)) {
                // Notes repeat (the same payee twice in a month): keep the larger, listed first.
                notes
                    .entry(txn.transaction.transaction_note.clone())
                    .or_insert_with(|| money(txn.transaction.amount));
            }
            months.insert(
                ledgerlens_analysis::output::short_month_key(year, month),
                Value::Object(notes),
            );
        }
        Value::Object(months)
    };
    json!({
        "transactions": rows(e, &(0..e.transactions.len()).collect::<Vec<_>>()),
        "salary": salary,
        "recurring_transactions": {
            "credit_transactions": recurring(&e.recurring.credit_transactions),
            "debit_transactions": recurring(&e.recurring.debit_transactions),
        },
        "lender_transactions": rows(e, &groups::lender_transactions(&e.transactions)),
        "top_5_credit_debit": {
            "top_5_credit": top(TransactionType::Credit),
            "top_5_debit": top(TransactionType::Debit),
        },
        "score_factors": e.score.factors.iter().map(|f| json!({"name": f.name, "points": f.points, "detail": f.detail})).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn txn(day: u32, credit: bool, amount: i64, balance: i64, note: &str) -> Transaction {
        Transaction {
            transaction_type: if credit {
                TransactionType::Credit
            } else {
                TransactionType::Debit
            },
            transaction_note: note.to_owned(),
            chq_num: String::new(),
            amount: Decimal::new(amount, 0),
            balance: Decimal::new(balance, 2),
            date: NaiveDate::from_ymd_opt(2025, 8, day)
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .unwrap_or_default(),
            value_date: None,
            hash: format!("h{day}"),
            page: 1,
            balance_derived: false,
        }
    }

    #[test]
    fn stored_input_round_trips() {
        let input = StatementInput {
            statement_id: "s1".into(),
            bank: Some("hdfc".into()),
            transactions: vec![
                txn(1, true, 5000, 500012, "NEFT SALARY ACME"),
                txn(2, false, 12, 498812, "UPI/123/SHOP"),
            ],
            metadata: Some(DocumentMetadata {
                producer: Some("iText".into()),
                creation_date: Some(PdfDate {
                    year: 2025,
                    month: 9,
                    day: 1,
                    hour: 1,
                    minute: 2,
                    second: 3,
                    utc_offset_minutes: 330,
                }),
                page_count: 2,
                ..DocumentMetadata::default()
            }),
            reconciled: false,
            chain_breaks: vec![ChainBreak {
                row: 1,
                hash: "h2".into(),
                expected_balance: Decimal::new(1, 1),
                printed_balance: Decimal::new(2, 1),
            }],
            page_count: 2,
            table_fonts: vec![vec!["Helvetica".into()]],
            summary_mismatches: vec!["closing balance".into()],
            parse_warnings: vec!["a balance's sign was settled by the chain".into()],
            from_date: NaiveDate::from_ymd_opt(2025, 8, 1),
            to_date: NaiveDate::from_ymd_opt(2025, 8, 31),
        };
        let text = encode_input(&input).expect("encodes");
        let back = decode_input("s1", &text).expect("decodes");
        assert_eq!(back.transactions, input.transactions);
        assert_eq!(back.metadata, input.metadata);
        assert_eq!(back.chain_breaks, input.chain_breaks);
        assert_eq!(
            (back.from_date, back.to_date, back.reconciled),
            (input.from_date, input.to_date, false)
        );
        assert!(decode_input("s1", "{\"version\": 99}").is_none());
    }

    #[test]
    fn context_reads_session_metadata_and_holder() {
        let params = r#"{"metadata": {"names": ["ANANDA P"], "employer_names": ["ACME LTD"], "companies_for_self_transfer": ["ACME HOLDINGS", ""]}}"#;
        let ctx = context(params, Some("RAVI K"));
        assert_eq!(ctx.names, vec!["ANANDA P".to_owned(), "RAVI K".to_owned()]);
        assert_eq!(ctx.employer_names, vec!["ACME LTD".to_owned()]);
        assert_eq!(
            ctx.companies_for_self_transfer,
            vec!["ACME HOLDINGS".to_owned()]
        );
        assert_eq!(context("{}", None), EnrichmentContext::default());
    }
}
