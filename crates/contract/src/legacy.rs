//! Typed bodies of the legacy entity API (bank-connect-legacy, seed 004, rest-api.md,
//! management.md, webhook.md), keys in the samples' order. The server answers with these types
//! and the OpenAPI document is generated from them.

use crate::api::DateRange;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

/// POST entity/ → 201 (seed 004).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"entity_id": "uuid4_generated_by_finbox", "link_id": "link_id_you_sent"}))]
pub struct CreateEntityResponse {
    pub entity_id: String,
    pub link_id: Option<String>,
}

/// GET entity/{entity_id}/ (seed 004) and one entry of the entity list (management.md).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"entity_id": "uuid4_you_sent", "link_id": "link_id_of_entity", "meta_data": null}))]
pub struct EntityResponse {
    pub entity_id: String,
    pub link_id: Option<String>,
    /// What was given as `meta_data` when the entity was created.
    #[schema(value_type = Option<Object>)]
    pub meta_data: Option<Value>,
}

/// GET entity/?page=N (management.md): DRF's pagination, 10 per page.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"count": 1, "next": null, "previous": null, "results": [{"entity_id": "uuid4", "link_id": "borrower-1", "meta_data": null}]}))]
pub struct EntityListResponse {
    pub count: i64,
    /// The next page's URL.
    pub next: Option<String>,
    pub previous: Option<String>,
    pub results: Vec<EntityResponse>,
}

/// One entity of link_overview/.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LinkOverviewEntry {
    pub entity_id: String,
    /// "YYYY-MM".
    pub months: Vec<String>,
    pub bank: Option<String>,
}

/// GET entity/link_overview/?link_id=… (seed 004).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"progress_data": [{"entity_id": "uuid4", "months": ["2025-03"], "bank": "hdfc"}], "link_id": "borrower-1"}))]
pub struct LinkOverviewResponse {
    pub progress_data: Vec<LinkOverviewEntry>,
    pub link_id: String,
}

/// One entity webhook payload (webhook.md), with the time it was due.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct EntityWebhookPayload {
    pub statement_id: String,
    pub entity_id: String,
    pub link_id: Option<String>,
    /// "completed" or "failed".
    pub progress: String,
    /// Why the statement failed; "" when it did not.
    pub reason: String,
    /// "YYYY-MM-DD HH:MM:SS".
    pub date_time: String,
}

/// GET entity/webhook_payloads/?link_id=… (webhook.md), latest first.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct WebhookPayloadsResponse {
    pub payloads: Vec<EntityWebhookPayload>,
}

/// One bank of GET net_banking_health/ (management.md); the answer is an array of these.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"bank": "SBI", "updated_at": "2025-09-01 10:00:00", "health_up": false, "issue_details": "Net banking mode is not offered by this server; upload statements instead"}))]
pub struct NetBankingHealth {
    pub bank: String,
    /// "YYYY-MM-DD HH:MM:SS".
    pub updated_at: String,
    pub health_up: bool,
    /// Why the bank is down; null when it is up (management.md).
    pub issue_details: Option<String>,
}

/// The holder in a legacy upload's answer with `?identity=true` (seed 004).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LegacyUploadIdentity {
    pub account_id: String,
    pub account_number: Option<String>,
    pub address: Option<String>,
    pub name: Option<String>,
    /// Both upload-rest-api.md pages add these two to seed 004's four keys (after them here:
    /// the seed's order wins for the keys it shows).
    #[serde(default)]
    pub account_category: Option<String>,
    /// A whole number, as the docs write it.
    #[serde(default)]
    pub credit_limit: Option<i64>,
}

/// statement/upload/, statement/bankless_upload/ and their `_base64` twins (seed 004): the
/// keys between `entity_id` and `status` only with `?identity=true`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"bank_name": "hdfc", "statement_id": "uuid4_for_statement", "entity_id": "uuid4_for_entity", "status": 1}))]
pub struct LegacyUploadResponse {
    pub bank_name: String,
    pub statement_id: String,
    pub entity_id: String,
    /// "YYYY-MM-DD" (`?identity=true`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_range: Option<DateRange>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_fraud: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<LegacyUploadIdentity>,
    /// Present (possibly null) with `?identity=true`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    #[schema(value_type = Option<String>)]
    pub fraud_type: Option<Option<String>>,
    /// 1: uploaded (upload-rest-api.md).
    pub status: i64,
}

/// A key that is present decodes to `Some` even when its value is null.
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

/// One statement of an entity's `progress` (rest-api.md), in the order seed 004's sample and
/// 10 of rest-api.md's 14 samples write it (status first; accounts/, transactions/, salary/, recurring_transactions/,
/// lender_transactions/, rolling_monthly_analysis/, raw_excel_report/, xlsx_report/,
/// predictors/; identity/, get_expense_categories/, top_credits_debits/ and score/ write
/// statement_id first). Every entity route answers in this one order.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LegacyProgressEntry {
    /// "processing", "completed" or "failed".
    pub status: String,
    pub message: Option<String>,
    /// identity/ only, as its sample shows: the transaction extraction's own status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_status: Option<String>,
    pub statement_id: String,
    pub source: String,
}

/// GET entity/{entity_id}/xlsx_report/ and raw_excel_report/: the links stay empty while a
/// statement is processing.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct EntityReportsResponse {
    pub entity_id: String,
    pub progress: Vec<LegacyProgressEntry>,
    pub reports: Vec<crate::api::ReportLink>,
}

/// A recurring group's keys in entity/{entity_id}/recurring_transactions/, as rest-api.md's
/// only sample of it writes them (the Insights response orders its groups otherwise).
pub const RECURRING_GROUP_ORDER: &[&str] = &[
    "account_id",
    "end_date",
    "clean_transaction_note",
    "transactions",
    "median",
    "start_date",
    "transaction_channel",
];

/// A row's keys in entity/{entity_id}/salary/, as rest-api.md's only sample of it writes them
/// (transactions/ and lender_transactions/ keep theirs: the rows are built in their order).
/// Keys the sample does not show come after.
pub const SALARY_ROW_ORDER: &[&str] = &[
    "balance",
    "hash",
    "description",
    "clean_transaction_note",
    "account_id",
    "transaction_type",
    "date",
    "amount",
    "month_year",
    "merchant_category",
    "transaction_channel",
    "transaction_note",
];

/// A recurring group's row in entity/{entity_id}/recurring_transactions/, as rest-api.md's
/// only sample of it writes them.
pub const RECURRING_ROW_ORDER: &[&str] = &[
    "transaction_channel",
    "transaction_note",
    "clean_transaction_note",
    "hash",
    "account_id",
    "transaction_type",
    "amount",
    "date",
    "balance",
    "description",
];

/// One account of the entity data routes (rest-api.md's accounts[] entry), in the order 5 of
/// the page's 7 samples write it (account_category before account_number; the accounts/
/// sample swaps them, identity/'s has an order of its own), credit_limit where accounts/ puts
/// it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct EntityAccount {
    /// "YYYY-MM".
    pub months: Vec<String>,
    /// Statement ids.
    pub statements: Vec<String>,
    pub account_id: String,
    pub ifsc: Option<String>,
    pub micr: Option<String>,
    pub account_category: Option<String>,
    pub account_number: Option<String>,
    /// A whole number (seed 001 and rest-api.md write 0). Always written; only the accounts/
    /// sample of rest-api.md shows it, so clients written from the others may lack it.
    #[serde(default)]
    pub credit_limit: i64,
    pub bank: Option<String>,
    /// The account's latest statement change, ISO 8601. Always written; some of rest-api.md's
    /// samples leave it out.
    #[serde(default)]
    pub last_updated: String,
}

/// One flagged transaction or statement of the `fraud` field (rest-api.md, Fraud Field).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct EntityFraudEntry {
    pub statement_id: Option<String>,
    pub fraud_type: Option<String>,
    pub account_id: String,
    pub fraud_category: Option<String>,
    pub transaction_hash: Option<String>,
}

/// The `fraud` field of the entity data routes.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct EntityFraud {
    pub fraudulent_statements: Vec<String>,
    pub fraud_type: Vec<EntityFraudEntry>,
}

/// One account's holder in entity/{entity_id}/identity/ (rest-api.md), in its order.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct EntityIdentity {
    pub name: Option<String>,
    pub account_category: Option<String>,
    /// A whole number.
    pub credit_limit: Option<i64>,
    pub account_number: Option<String>,
    pub address: Option<String>,
    pub account_id: String,
}

/// GET entity/{entity_id}/accounts/, and identity/ with `identity` added.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct EntityAccountsResponse {
    pub entity_id: String,
    pub progress: Vec<LegacyProgressEntry>,
    pub accounts: Vec<EntityAccount>,
    pub fraud: EntityFraud,
    /// identity/ only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<Vec<EntityIdentity>>,
}

/// GET entity/{entity_id}/transactions/, salary/ and lender_transactions/: the rows with
/// `month_year` and the entity's accounts and fraud.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct EntityTransactionsResponse {
    pub entity_id: String,
    pub progress: Vec<LegacyProgressEntry>,
    pub accounts: Vec<EntityAccount>,
    pub fraud: EntityFraud,
    #[schema(value_type = Vec<Object>)]
    pub transactions: Vec<Value>,
}

/// The recurring credit and debit sets of entity/{entity_id}/recurring_transactions/.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RecurringSets {
    #[schema(value_type = Vec<Object>)]
    pub credit_transactions: Vec<Value>,
    #[schema(value_type = Vec<Object>)]
    pub debit_transactions: Vec<Value>,
}

/// GET entity/{entity_id}/recurring_transactions/.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct EntityRecurringResponse {
    pub entity_id: String,
    pub progress: Vec<LegacyProgressEntry>,
    pub accounts: Vec<EntityAccount>,
    pub fraud: EntityFraud,
    pub transactions: RecurringSets,
}

/// GET entity/{entity_id}/get_expense_categories/ (percentages sum to 100).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct EntityExpenseCategoriesResponse {
    pub entity_id: String,
    pub progress: Vec<LegacyProgressEntry>,
    #[schema(value_type = Vec<Object>)]
    pub categories: Value,
}

/// GET entity/{entity_id}/top_credits_debits/.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct EntityTopCreditsDebitsResponse {
    pub entity_id: String,
    pub progress: Vec<LegacyProgressEntry>,
    /// {top_5_credit: {month: [...]}, top_5_debit: {month: [...]}}.
    #[schema(value_type = Object)]
    pub top_5_credit_debit: Value,
}

/// `monthly_analysis` of entity/{entity_id}/monthly_analysis_updated/: one
/// `{<account_id>: {monthly_analysis}}` per account under the literal key `account_id`, as
/// documented.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AccountWiseMonthlyAnalysis {
    #[schema(value_type = Vec<Object>)]
    pub account_id: Vec<Value>,
}

/// GET entity/{entity_id}/monthly_analysis_updated/ and monthly_analysis/ (empty while a
/// statement is processing).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct EntityMonthlyAnalysisResponse {
    pub entity_id: String,
    pub progress: Vec<LegacyProgressEntry>,
    pub accounts: Vec<EntityAccount>,
    pub monthly_analysis: AccountWiseMonthlyAnalysis,
}

/// `monthly_analysis` of rolling_monthly_analysis/.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RollingMonthlyAnalysis {
    /// months_order, month_N blocks and 3/6/12-month groups, each field with
    /// sum/avg/max/min/count/amt.
    #[schema(value_type = Object)]
    pub monthly_analysis: Value,
}

/// GET entity/{entity_id}/rolling_monthly_analysis/.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct EntityRollingMonthlyAnalysisResponse {
    pub entity_id: String,
    pub progress: Vec<LegacyProgressEntry>,
    pub monthly_analysis: RollingMonthlyAnalysis,
}

/// One account's predictors in entity/{entity_id}/predictors/.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AccountPredictors {
    pub account_id: String,
    #[schema(value_type = Object)]
    pub predictors: Value,
}

/// GET entity/{entity_id}/predictors/ (empty while a statement is processing).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct EntityPredictorsResponse {
    pub entity_id: String,
    pub progress: Vec<LegacyProgressEntry>,
    pub predictors: Vec<AccountPredictors>,
}

/// One account's score in entity/{entity_id}/score/.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AccountScore {
    pub account_id: String,
    /// 300-900.
    #[schema(value_type = Option<f64>)]
    pub score: Value,
    /// What moved the score (this server's addition; rest-api.md shows account_id and score).
    #[serde(default)]
    #[schema(value_type = Object)]
    pub factors: Value,
}

/// GET entity/{entity_id}/score/ (empty while a statement is processing).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct EntityScoreResponse {
    pub entity_id: String,
    pub progress: Vec<LegacyProgressEntry>,
    pub score: Vec<AccountScore>,
}
