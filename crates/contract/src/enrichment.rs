//! The enrichment's results as BankConnect documents them: the Insights `data` sections, the
//! legacy entity API's sections, and the session metadata that steers the analysis. The
//! analysis crate computes; this module only shapes.

use chrono::NaiveDate;
use ledgerlens_analysis::output::RowValues;
pub use ledgerlens_analysis::EnrichmentContext;
use ledgerlens_analysis::{
    enrich_with_insights, enrich_with_insights_as, groups, AccountInput, EnrichedTransaction,
    Enrichment, HolderDetails, StatementInput,
};
use ledgerlens_statement::identity::Identity;
use ledgerlens_statement::model::{ParsedStatement, TransactionType};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

/// The analysis input of one statement, as the engine read it (printed period included).
pub fn statement_input(statement_id: &str, parsed: &ParsedStatement) -> StatementInput {
    StatementInput {
        from_date: parsed.identity.from_date,
        to_date: parsed.identity.to_date,
        ..StatementInput::from_parsed(statement_id, parsed)
    }
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
    enrich_parsed_as(statement_id, account_id, parsed, context, RowValues::All).0
}

/// [`enrich_parsed`], with the enrichment itself, and the document's `transactions` and
/// `recurring_transactions` left null when `values` says the caller writes them from it.
pub fn enrich_parsed_as(
    statement_id: &str,
    account_id: &str,
    parsed: &ParsedStatement,
    context: &EnrichmentContext,
    values: RowValues,
) -> (AccountDocument, Enrichment) {
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
    let (enrichment, data) = enrich_with_insights_as(&account, &context, values);
    (insights_document(&enrichment, data), enrichment)
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
    let account = account_input(facts, statements);
    let (enrichment, data) = enrich_with_insights(&account, context);
    document(&enrichment, data, &account)
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

fn document(e: &Enrichment, data: Value, account: &AccountInput) -> AccountDocument {
    let mut entity = entity_sections(e);
    entity["rolling_monthly_analysis"] = crate::rolling::rolling_monthly_analysis(e, account);
    AccountDocument {
        entity,
        ..insights_document(e, data)
    }
}

/// The document without the legacy entity sections (offline analysis serves no entity API);
/// `data` is `e`'s Insights data ([`enrich_with_insights`] builds both).
fn insights_document(e: &Enrichment, data: Value) -> AccountDocument {
    AccountDocument {
        data,
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
        "date": crate::timestamps::naive_date_time(&txn.transaction.date),
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
                    "start_date": crate::timestamps::naive_date_time(&g.start_date),
                    "end_date": crate::timestamps::naive_date_time(&g.end_date),
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
