//! Typed request and response bodies of the session flow, as the docs (fetch-data.md,
//! upload-status.md) show them. The server answers with these types, and the OpenAPI document
//! ([`crate::openapi`]) is generated from them, so the two cannot drift apart.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;

/// POST session/ (JSON or form). Dates are "DD/MM/YYYY" (default: the last 6 months); only
/// `link_id` is required.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"link_id": "borrower-1", "from_date": "01/03/2025", "to_date": "31/08/2025", "bank_name": "hdfc"}))]
pub struct CreateSessionRequest {
    pub link_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bank_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redirect_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logo_url: Option<String>,
    /// "pdf", "aa" or "online".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mobile_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_expiry_minutes: Option<i64>,
    /// names, employer_names, companies_for_self_transfer (lists of strings) steer the analysis.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub metadata: Option<Value>,
}

/// POST /bank-connect/v2/session/ (session-v2.md): V1's fields plus the AA journey code and
/// consent overrides; `bank` is taken for `bank_name`, as the page's scenarios write it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"link_id": "YP-7863", "aa_journey_code": "BCAA001", "bank": "ICICI", "consents": {"CC0001": {"from_date": "01/10/2025", "to_date": "09/12/2025"}}}))]
pub struct CreateSessionV2Request {
    #[serde(flatten)]
    pub v1: CreateSessionRequest,
    /// "BCAA001" (one-time), "BCAA002" (periodic), "BCAA003", "BCAA004".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aa_journey_code: Option<String>,
    /// Consent code → {from_date, to_date, consent_expiry}, dates DD/MM/YYYY.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub consents: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bank: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"session_id": "4f1c2b1e-8a52-4d0e-9d2b-8b1f3c7a9e10", "redirect_url": "https://ledgerlens.example/?session_id=4f1c2b1e-8a52-4d0e-9d2b-8b1f3c7a9e10&token=abc"}))]
pub struct CreateSessionResponse {
    pub session_id: String,
    /// The hosted upload page for the borrower.
    pub redirect_url: String,
}

/// POST statement/upload_session/ (multipart form).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct UploadSessionForm {
    pub session_id: String,
    /// The statement PDF (or `file_url` instead).
    #[schema(value_type = Option<String>, format = Binary)]
    pub file: Option<Vec<u8>>,
    pub file_url: Option<String>,
    pub bank_name: Option<String>,
    pub pdf_password: Option<String>,
    /// "yes" to upload without an expected bank.
    pub accept_anything: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DateRange {
    pub from_date: Option<String>,
    pub to_date: Option<String>,
}

/// `metadata_analysis` of the upload and identity answers (seed 000).
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct MetadataAnalysis {
    #[schema(value_type = Vec<Object>)]
    pub name_matches: Vec<Value>,
}

/// The upload's answer: what the engine read of the statement (seed 000), keys in the sample's
/// order. `identity` only with `?identity=true`, `progress` only with `?progress=true`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"bank_name": "hdfc", "statement_id": "0b6f…", "page_count": 3, "date_range": {"from_date": "2025-03-01", "to_date": "2025-08-31"}, "opening_date": null, "opening_bal": null, "closing_bal": null, "is_fraud": false, "fraud_type": null, "metadata_analysis": {"name_matches": []}, "country_code": "IN", "currency_code": "INR", "extracted_date_range": {"from_date": "2025-03-01", "to_date": "2025-08-31"}, "account_id": "7c1d…", "masked_account_number": "XXXXXXXX1234", "months": ["2025-03"], "missing_months": [], "status": 1, "session_id": "4f1c…"}))]
pub struct UploadSessionResponse {
    pub bank_name: String,
    pub statement_id: String,
    pub page_count: i64,
    /// The holder as read from the statement (`?identity=true`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub identity: Option<Value>,
    /// "YYYY-MM-DD".
    pub date_range: DateRange,
    pub opening_date: Option<String>,
    pub opening_bal: Option<f64>,
    pub closing_bal: Option<f64>,
    pub is_fraud: bool,
    pub fraud_type: Option<String>,
    pub metadata_analysis: MetadataAnalysis,
    pub country_code: String,
    pub currency_code: String,
    pub extracted_date_range: DateRange,
    pub account_id: String,
    pub masked_account_number: String,
    /// "YYYY-MM".
    pub months: Vec<String>,
    pub missing_months: Vec<String>,
    /// 1: uploaded.
    pub status: i64,
    pub session_id: String,
    /// The session's statements (`?progress=true`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub progress: Option<Vec<ProgressEntry>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"session_id": "4f1c…", "message": "success"}))]
pub struct InitiateProcessingResponse {
    pub session_id: String,
    pub message: String,
}

/// One statement of an account in session_status/ and session_upload_status/, in the
/// documented order (fetch-data.md, upload-status.md): created_at last.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SessionStatusStatement {
    pub statement_id: String,
    /// "processing", "completed" or "failed".
    pub statement_status: String,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
    /// "pdf", "aa", …
    pub source: String,
    pub upload_file_name: Option<String>,
    /// "DD/MM/YYYY".
    pub statement_date_range: DateRange,
    /// "2025-11-13T06:48:43.660968Z".
    pub created_at: String,
}

/// One account of session_status/ (fetch-data.md). Statements that failed before an account
/// existed are listed under one entry with a null `account_id`, in the same shape.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SessionStatusAccount {
    pub name: Option<String>,
    pub account_category: Option<String>,
    pub account_id: Option<String>,
    pub account_number: Option<String>,
    pub bank_name: Option<String>,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
    /// "completed" or "failed".
    pub account_status: String,
    /// "YYYY-MM-DD HH:MM:SS".
    pub created_at: String,
    pub last_updated_at: String,
    pub statements: Vec<SessionStatusStatement>,
    pub attempt_types: Vec<String>,
    /// Upper case ("SAVINGS").
    pub account_type: Option<String>,
    pub full_bank_name: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"session_id": "4f1c…", "insights_available": true, "accounts": [{"name": "A HOLDER", "account_category": "individual", "account_id": "7c1d…", "account_number": "XXXX1234", "bank_name": "hdfc", "error_code": null, "error_message": null, "account_status": "completed", "created_at": "2025-09-01 10:00:00", "last_updated_at": "2025-09-01 10:00:05", "statements": [], "attempt_types": ["PDF"], "account_type": "SAVINGS", "full_bank_name": "HDFC Bank"}]}))]
pub struct SessionStatusResponse {
    pub session_id: String,
    pub insights_available: bool,
    pub accounts: Vec<SessionStatusAccount>,
}

/// One account of session_upload_status/ (upload-status.md); the upload completion webhook
/// carries the same entries without `name`, `account_type` and `full_bank_name`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct UploadStatusAccount {
    pub account_id: String,
    pub account_number: Option<String>,
    pub bank_name: Option<String>,
    /// "YYYY-MM-DD HH:MM:SS".
    pub created_at: String,
    pub last_updated_at: String,
    pub statements: Vec<SessionStatusStatement>,
    /// "COMPLETED" or "PARTIAL".
    pub account_status: String,
    /// "YYYY-MM".
    pub months: Vec<String>,
    /// "YYYY-MM-DD" ranges without transactions.
    pub missing_data: Vec<DateRange>,
    /// "" when not read.
    pub name: String,
    pub account_type: String,
    pub full_bank_name: Option<String>,
}

/// GET session_data/{session_id}/session_upload_status/ (upload-status.md).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"session_id": "4f1c…", "session_date_range": {"from_date": "01/03/2025", "to_date": "31/08/2025"}, "upload_status": "IN PROGRESS", "session_expiry_timestamp": null, "accounts": [], "error": {}}))]
pub struct SessionUploadStatusResponse {
    pub session_id: String,
    /// "DD/MM/YYYY".
    pub session_date_range: DateRange,
    /// "NO UPLOADS", "IN PROGRESS", "COMPLETED" or "EXPIRED".
    pub upload_status: String,
    /// "YYYY-MM-DD HH:MM:SS", when the session expires.
    pub session_expiry_timestamp: Option<String>,
    pub accounts: Vec<UploadStatusAccount>,
    /// Always `{}` (the docs' sample).
    #[schema(value_type = Object)]
    pub error: Map<String, Value>,
}

/// One statement of get_pdfs/ (management.md), also the legacy entity get_pdfs/.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PdfEntry {
    pub statement_id: String,
    pub bank_name: Option<String>,
    /// null when the PDF has no password.
    pub pdf_password: Option<String>,
    /// A signed link valid for one hour; "" once the file is gone.
    pub pdf_url: String,
    pub account_id: Option<String>,
    /// "PDF", "AA", …
    pub source: String,
    /// "Success", or why the statement failed ("Password Incorrect", "Not a Statement", …).
    pub message: String,
}

/// GET session_data/{session_id}/get_pdfs/ (management.md).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"statements": [{"statement_id": "0b6f…", "bank_name": "axis", "pdf_password": null, "pdf_url": "https://ledgerlens.example/bank-connect/v1/files/statements/0b6f….pdf?client=…&expires=…&signature=…", "account_id": "7c1d…", "source": "PDF", "message": "Success"}]}))]
pub struct GetPdfsResponse {
    pub statements: Vec<PdfEntry>,
}

/// DELETE session_data/{session_id}/delete/.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"session_id": "4f1c…", "message": "success"}))]
pub struct DeleteSessionResponse {
    pub session_id: String,
    pub message: String,
}

/// `{"message": "success"}` of update_webhook/.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"message": "success"}))]
pub struct MessageResponse {
    pub message: String,
}

/// One bank of banks/catalogue/ (management.md).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CatalogueBank {
    /// The bank identifier in upper case ("HDFC").
    pub name: String,
    pub full_name: String,
    pub npci_code: Option<String>,
    pub logo_url: Option<String>,
    pub is_pdf_upload_available: bool,
    pub is_net_banking_available: bool,
    pub is_aa_available: bool,
}

/// GET banks/catalogue/ (management.md).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"count": 1, "banks": [{"name": "HDFC", "full_name": "HDFC Bank", "npci_code": "HDFC", "logo_url": null, "is_pdf_upload_available": true, "is_net_banking_available": false, "is_aa_available": true}]}))]
pub struct CatalogueResponse {
    pub count: i64,
    pub banks: Vec<CatalogueBank>,
}

/// One account of a per-section endpoint: `data` holds the one Insights section asked for.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SectionAccount {
    pub account_id: String,
    /// `{<section>: …}`: predictors, eod_balances, monthly_analysis or recurring_transactions,
    /// as in the Insights response.
    #[schema(value_type = Object)]
    pub data: Map<String, Value>,
}

/// GET session_data/{session_id}/{predictors,eod_balances,monthly_analysis_updated,
/// recurring_transactions}/: the Insights response cut down to one section.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"session_id": "4f1c…", "accounts": [{"account_id": "7c1d…", "data": {"predictors": {"month_0": "Aug-2025"}}}]}))]
pub struct SectionResponse {
    pub session_id: String,
    pub accounts: Vec<SectionAccount>,
}

/// One report link of xlsx_report/ (seed 001).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReportLink {
    /// A signed link to the workbook, valid for a limited time.
    pub link: String,
    /// An account id, or "aggregate".
    pub account_id: String,
}

/// GET session_data/{session_id}/xlsx_report/ (seed 001).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"session_id": "4f1c…", "reports": [{"link": "https://ledgerlens.example/bank-connect/v1/files/reports/4f1c…/7c1d….xlsx?…", "account_id": "7c1d…"}]}))]
pub struct SessionReportsResponse {
    pub session_id: String,
    pub reports: Vec<ReportLink>,
}

/// One recurring consent of get_recurring_consent_details/ (aa-recurring pull.md).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RecurringConsentDetail {
    pub consent_id: String,
    pub bank_name: Option<String>,
    pub masked_account_number: Option<String>,
    pub tenure_month_count: Option<i64>,
    /// "day", "month", …
    pub frequency_unit: String,
    pub frequency_value: i64,
}

/// POST account_aggregator/get_recurring_consent_details/?session_id=… (aa-recurring pull.md).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"consent_details": [{"consent_id": "8d5fa22b-216a-54e2-90da-65d1c67c8964", "bank_name": "hdfc", "masked_account_number": "XXXXXXXXXXX2304", "tenure_month_count": 24, "frequency_unit": "day", "frequency_value": 3}]}))]
pub struct RecurringConsentDetailsResponse {
    pub consent_details: Vec<RecurringConsentDetail>,
}

/// POST account_aggregator/fetch_recurring_aa_data/ (aa-recurring pull.md).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"consent_id": "8d5fa22b-216a-54e2-90da-65d1c67c8964", "date_time_range_from": "10/10/2025", "date_time_range_to": "10/11/2025"}))]
pub struct FetchRecurringAaDataRequest {
    pub consent_id: String,
    /// "DD/MM/YYYY".
    pub date_time_range_from: String,
    /// "DD/MM/YYYY".
    pub date_time_range_to: String,
}

/// The new session a recurring pull runs in: poll it or wait for its webhooks.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"session_id": "4f1c2b1e-8a52-4d0e-9d2b-8b1f3c7a9e10"}))]
pub struct FetchRecurringAaDataResponse {
    pub session_id: String,
}

/// account_details of an Insights account (fetch-data.md), in the documented order.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AccountDetails {
    pub name: Option<String>,
    pub address: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub metadata_analysis: Option<Value>,
    pub account_category: Option<String>,
    pub account_number: Option<String>,
    pub account_opening_date: Option<String>,
    pub bank: Option<String>,
    /// A whole number, as the seeds write it (fetch-data.md's `0.0` is the later doc).
    pub credit_limit: Option<i64>,
    pub ifsc: Option<String>,
    pub micr: Option<String>,
    pub missing_data: Option<Vec<DateRange>>,
    pub od_limit: Option<i64>,
    pub salary_confidence: Option<f64>,
    pub statements: Option<Vec<String>>,
    pub months: Option<Vec<String>>,
    pub uploaded_months: Option<Vec<String>>,
    pub country_code: Option<String>,
    pub currency_code: Option<String>,
    pub dob: Option<String>,
    pub email: Option<String>,
    pub pan_number: Option<String>,
    pub phone_number: Option<String>,
    pub account_status: Option<String>,
    pub holder_type: Option<String>,
    pub account_date_range: Option<DateRange>,
    pub transaction_date_range: Option<DateRange>,
    /// Not in the documented account_details (session_status/ shows it): after the documented
    /// keys.
    pub account_type: Option<String>,
}

/// One row of `transactions` (enriched).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct InsightsTransaction {
    /// "credit" or "debit".
    pub transaction_type: String,
    pub transaction_note: String,
    pub chq_num: Option<String>,
    pub amount: f64,
    /// Null when the statement prints no balance anywhere (no running balance, no opening or
    /// closing balance): see the reconciliation's `balances_known`.
    pub balance: Option<f64>,
    /// "YYYY-MM-DD HH:MM:SS".
    pub date: String,
    pub hash: String,
    pub category: Option<String>,
    pub metadata: Option<TransactionMetadata>,
}

/// `metadata` of an Insights row (fetch-data.md).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TransactionMetadata {
    pub unclean_merchant: Option<String>,
    /// "upi", "salary", "Other", ….
    pub transaction_channel: Option<String>,
    pub description: Option<String>,
}

/// A key that is present decodes to `Some` even when its value is null, so a row that writes
/// `"chq_num": null` and one without the key come back apart.
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

/// The flat row of `lender_transactions`, `self_and_sister_transactions`,
/// `bounced_or_penal_transactions` and of a recurring group's `transactions` (fetch-data.md):
/// channel, merchant category and description beside the row instead of under `metadata`. A
/// recurring group's rows have no `chq_num`, as documented.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FlatTransaction {
    /// "credit" or "debit".
    pub transaction_type: String,
    pub transaction_note: String,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<String>)]
    pub chq_num: Option<Option<String>>,
    pub amount: Option<f64>,
    pub balance: Option<f64>,
    /// "YYYY-MM-DD HH:MM:SS".
    pub date: String,
    pub transaction_channel: Option<String>,
    pub hash: String,
    pub merchant_category: Option<String>,
    pub description: Option<String>,
    pub category: Option<String>,
}

/// A row of `salary_transactions` (fetch-data.md), with the rule that made it pay.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SalaryTransaction {
    pub transaction_type: String,
    pub transaction_note: String,
    pub chq_num: Option<String>,
    pub amount: Option<f64>,
    pub balance: Option<f64>,
    /// "YYYY-MM-DD HH:MM:SS".
    pub date: String,
    pub hash: String,
    /// "Salary".
    pub category: Option<String>,
    pub employer_name: Option<String>,
    /// "Jul-2025": the month the pay is for.
    pub salary_month: Option<String>,
    /// This server's addition: the detection rule ("R303"), why, and how sure (0-1).
    pub salary_rule: Option<String>,
    pub salary_reason: Option<String>,
    pub salary_confidence: Option<f64>,
    pub metadata: Option<TransactionMetadata>,
}

/// One finding of `fraud` or `fraud_details.statement`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FraudEntry {
    pub statement_id: Option<String>,
    pub fraud_type: String,
    pub fraud_category: Option<String>,
    pub transaction_hash: Option<String>,
    /// This server's addition: what was seen, and the rule that saw it.
    pub evidence: Option<String>,
    pub rule: Option<String>,
}

/// `fraud_details`: warnings per statement and the account's validation codes.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FraudDetails {
    pub statement: Vec<FraudEntry>,
    /// MISSING_TRANSACTIONS, BALANCE_MISMATCH, ….
    pub account: Vec<String>,
}

/// One recurring group of `recurring_transactions`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RecurringGroup {
    pub account_id: String,
    pub transaction_channel: Option<String>,
    pub clean_transaction_note: Option<String>,
    pub median: Option<f64>,
    /// "YYYY-MM-DD HH:MM:SS".
    pub start_date: String,
    pub end_date: String,
    pub transactions: Vec<FlatTransaction>,
}

/// `recurring_transactions`: debits first, as documented.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RecurringTransactions {
    pub debit_transactions: Vec<RecurringGroup>,
    pub credit_transactions: Vec<RecurringGroup>,
}

/// One month of a `top_credits_debits` entry: its largest rows, dated "DD-Mon-YY".
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TopMonth {
    /// "Aug-25".
    pub month: String,
    pub data: Vec<InsightsTransaction>,
}

/// One entry of `top_credits_debits`: `type` "top_5_debit" or "top_5_credit".
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TopCreditsDebits {
    #[serde(rename = "type")]
    pub kind: String,
    pub data: Vec<TopMonth>,
}

/// One entry of `expense_categories`: whole percentages summing to 100.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ExpenseCategory {
    pub category: String,
    pub percentage: i64,
}

fn present_f64<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<f64>>, D::Error> {
    Option::<f64>::deserialize(d).map(Some)
}

/// `eod_balances` (fetch-data.md): the months ("Aug-25") in calendar order, each month's first
/// day with a balance ("11-Aug-25"), then per month one end-of-day balance per calendar day
/// (null before the statement starts or after it ends), then the balance before the first row.
/// `{}` for an account with nothing processed.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct EodBalances {
    #[serde(
        rename = "Months_order",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub months_order: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub start_date: Vec<String>,
    /// "Aug-25" → a balance per day of that month.
    #[serde(flatten)]
    #[schema(value_type = HashMap<String, Vec<Option<f64>>>)]
    pub months: indexmap::IndexMap<String, Vec<Option<f64>>>,
    #[serde(
        default,
        deserialize_with = "present_f64",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<f64>)]
    pub starting_balance: Option<Option<f64>>,
}

/// One account's `data` of the Insights response. Sections whose keys are metric names or
/// months (monthly_analysis, predictors, eod_balances) are maps.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AccountData {
    pub account_details: AccountDetails,
    pub fraud: Vec<FraudEntry>,
    pub fraud_details: FraudDetails,
    pub transactions: Vec<InsightsTransaction>,
    pub salary_transactions: Vec<SalaryTransaction>,
    pub recurring_transactions: RecurringTransactions,
    pub lender_transactions: Vec<FlatTransaction>,
    pub top_credits_debits: Vec<TopCreditsDebits>,
    pub statement_stats: Vec<crate::insights::StatementStats>,
    pub expense_categories: Option<Vec<ExpenseCategory>>,
    pub self_and_sister_transactions: Option<Vec<FlatTransaction>>,
    pub bounced_or_penal_transactions: Option<Vec<FlatTransaction>>,
    /// metric → month ("Aug-2025") → value.
    #[schema(value_type = Option<Object>)]
    pub monthly_analysis: Option<Value>,
    #[schema(value_type = Option<Object>)]
    pub predictors: Option<Value>,
    pub eod_balances: Option<EodBalances>,
    pub score: Option<f64>,
    pub salary_confidence: Option<f64>,
    /// Signed report links, when reports are enabled (absent from `ledgerlens parse`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub xlsx_report_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub xml_report_url: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct InsightsAccount {
    pub account_id: String,
    pub data: AccountData,
}

/// GET session_data/{session_id}/insights/ (fetch-data.md). `ledgerlens parse` prints the
/// same document with null session_id and link_id.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"session_id": "4f1c…", "link_id": "borrower-1", "session_date_range": {"from_date": "2025-03-01", "to_date": "2025-08-31"}, "accounts": [], "aggregate_monthly_analysis": {"cnt_credit_transactions": {"Aug-2025": 12}}}))]
pub struct InsightsResponse {
    pub session_id: Option<String>,
    pub link_id: Option<String>,
    pub session_date_range: DateRange,
    pub accounts: Vec<InsightsAccount>,
    /// The accounts' monthly analyses merged month by month.
    #[schema(value_type = Object)]
    pub aggregate_monthly_analysis: Value,
    /// Signed links to the session's aggregate reports, when reports are enabled (absent from
    /// `ledgerlens parse`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aggregate_xlsx_report_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aggregate_xml_report_url: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ErrorObject {
    pub code: String,
    pub message: String,
}

/// The session flow's error body; 401 adds DRF's `detail`, the upload API echoes the ids.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"error": {"code": "SESSION_NOT_FOUND", "message": "The provided session ID is invalid"}}))]
pub struct ErrorResponse {
    pub error: ErrorObject,
    pub detail: Option<String>,
    pub session_id: Option<String>,
    pub statement_id: Option<String>,
}

/// Django REST framework's body for 404 on the legacy API and unknown paths.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"detail": "Not found."}))]
pub struct DetailResponse {
    pub detail: String,
}

/// One statement's stage statuses in progress/.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ProgressEntry {
    pub identity_status: String,
    pub transaction_status: String,
    pub processing_status: String,
    pub fraud_status: String,
    pub statement_id: String,
    pub message: Option<String>,
    /// "pdf", "aa", …
    pub source: String,
}

/// GET session_data/{session_id}/progress/.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"session_id": "4f1c…", "session_progress": "completed", "progress": [{"identity_status": "completed", "transaction_status": "completed", "processing_status": "completed", "fraud_status": "completed", "statement_id": "0b6f…", "message": null, "source": "pdf"}]}))]
pub struct ProgressResponse {
    pub session_id: String,
    /// "processing" or "completed".
    pub session_progress: String,
    pub progress: Vec<ProgressEntry>,
}

/// One account's holder as identity/ lists it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct IdentityEntry {
    pub account_number: Option<String>,
    pub address: Option<String>,
    pub account_category: Option<String>,
    pub account_id: String,
    pub raw_account_category: Option<String>,
    pub name: Option<String>,
    pub micr: Option<String>,
    /// A whole number: seed 001's Identity sample writes `0` (the seeds win over fetch-data.md's
    /// `0.0`).
    pub credit_limit: Option<i64>,
    pub bank_name: Option<String>,
    pub ifsc: Option<String>,
    pub metadata_analysis: MetadataAnalysis,
}

/// GET session_data/{session_id}/identity/.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct IdentityResponse {
    pub session_id: String,
    #[schema(value_type = Vec<Object>)]
    pub accounts: Vec<Value>,
    pub identity: Vec<IdentityEntry>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TransactionsAccount {
    pub account_id: String,
    pub bank_name: Option<String>,
    pub account_number: Option<String>,
    /// The Insights rows as stored (the openapi_client test decodes them into
    /// InsightsTransaction).
    #[schema(value_type = Vec<InsightsTransaction>)]
    pub transactions: Vec<Value>,
}

/// GET session_data/{session_id}/transactions/.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TransactionsResponse {
    pub session_id: String,
    pub accounts: Vec<TransactionsAccount>,
}

/// GET /healthz and /readyz.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"status": "ready"}))]
pub struct ServiceStatus {
    /// "ok" (healthz), "ready" or "unavailable" (readyz).
    pub status: String,
    /// What readyz could not write to: "database" or "objects".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failing: Option<String>,
}
