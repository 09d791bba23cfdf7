//! Statement upload: validate the file, read identity synchronously, store the file and queue the
//! rest of the processing. Shared by the session flow and the legacy entity API.

use crate::errors::{ApiError, ApiResult};
use crate::state::AppState;
use bytes::Bytes;
use chrono::NaiveDate;
use ledgerlens_contract::api::{DateRange, MetadataAnalysis, UploadSessionResponse};
use ledgerlens_contract::engine::months_between;
use ledgerlens_processing::intake::{accepted_view, account_id_for, Accepted};
use ledgerlens_statement::{ParsedStatement, StatementError};
use ledgerlens_store::jobs::{JobKind, NewJob};
use ledgerlens_store::sessions::SessionRow;
use ledgerlens_store::statements::NewStatement;
use ledgerlens_store::{new_id, sha256_hex, StoreError};
use serde_json::Value;

/// The file part of an upload, as received.
#[derive(Debug, Clone)]
pub enum FileInput {
    Missing,
    Bytes {
        bytes: Bytes,
        file_name: Option<String>,
    },
}

#[derive(Debug, Clone)]
pub struct UploadInput {
    pub file: FileInput,
    /// The bank the uploader named; `None` for bankless uploads (detected instead).
    pub bank_name: Option<String>,
    pub pdf_password: Option<String>,
}

/// A rejected upload: the documented error plus the statement id it was recorded under (if any).
#[derive(Debug, Clone)]
pub struct Rejected {
    pub error: ApiError,
    pub statement_id: Option<String>,
}

impl From<ApiError> for Rejected {
    fn from(error: ApiError) -> Self {
        Rejected {
            error,
            statement_id: None,
        }
    }
}

/// The `x-error-hint` of BANK_NAME_MISMATCH, followed by the detected bank's id.
pub const DETECTED_BANK_HINT: &str = "detected bank: ";

/// The message each engine error is reported with (seed 000's table).
fn statement_error(e: &StatementError, bank: Option<&str>) -> ApiError {
    let code = ledgerlens_contract::errors::statement_error_code(e.kind());
    let message = match e {
        StatementError::PasswordIncorrect(_) => "The provided password is incorrect".to_owned(),
        StatementError::InvalidFile(_) => "File object is invalid".to_owned(),
        StatementError::PdfIsImage => "Scanned images are not supported".to_owned(),
        StatementError::UnsupportedFormat => "The statement format is not supported".to_owned(),
        StatementError::NoTransactions => {
            "No transactions were identified in the uploaded statement".to_owned()
        }
        StatementError::BankUndetected => {
            "Unable to detect bank. Please provide BANK NAME.".to_owned()
        }
        StatementError::BankMismatch { expected, detected } => {
            // The documented message names only the expected bank; the hint tells the caller
            // (and the hosted journey's "switch bank?") which bank the statement looks like.
            let message = format!("Not {} bank statement", bank.unwrap_or(expected));
            return ApiError::bad_request(code, message)
                .with_hint(format!("{DETECTED_BANK_HINT}{detected}"));
        }
        StatementError::TooManyPages { .. } => {
            "The statement exceeds the allowed page limit".to_owned()
        }
        StatementError::ExtractionFailed(_) => {
            "Failed to extract information from the statement".to_owned()
        }
    };
    ApiError::bad_request(code, message)
}

fn validated_bank(bank_name: Option<&str>) -> ApiResult<Option<String>> {
    let Some(name) = bank_name.map(str::trim).filter(|b| !b.is_empty()) else {
        return Ok(None);
    };
    let lower = name.to_ascii_lowercase();
    if ledgerlens_statement::banks::catalogue()
        .iter()
        .any(|b| b.id == lower)
    {
        Ok(Some(lower))
    } else {
        Err(invalid_upload_bank())
    }
}

/// An upload's bank_name that is not a bank identifier. submit-data-backend.md: "Please use
/// following bank strings: [...]" (seed 000 has no row); the list as Python prints one.
pub fn invalid_upload_bank() -> ApiError {
    let ids: Vec<String> = ledgerlens_statement::banks::catalogue()
        .iter()
        .map(|b| format!("'{}'", b.id))
        .collect();
    ApiError::bad_request(
        "INVALID_BANK_NAME",
        format!("Please use following bank strings: [{}]", ids.join(", ")),
    )
}

/// upload_type (seed 000: "PDF, BASE64"); absent means PDF, as clients predating it send.
pub fn check_upload_type(value: Option<&str>) -> Result<(), ApiError> {
    match value.map(str::trim) {
        None => Ok(()),
        Some(t) if t.eq_ignore_ascii_case("pdf") || t.eq_ignore_ascii_case("base64") => Ok(()),
        Some(other) => Err(ApiError::invalid_field(
            "upload_type",
            &format!("\"{other}\" is not a valid choice."),
        )),
    }
}

/// account_category on an upload: seed 000's INVALID_ACCOUNT_CATEGORY (its message verbatim;
/// submit-data-backend.md's "Account category is invalid" is the older, shorter wording).
pub fn check_account_category(value: Option<&str>) -> Result<(), ApiError> {
    match value.map(str::trim) {
        None | Some("") => Ok(()),
        Some(c)
            if ["savings", "current", "overdraft"].contains(&c.to_ascii_lowercase().as_str()) =>
        {
            Ok(())
        }
        Some(_) => Err(ApiError::bad_request(
            "INVALID_ACCOUNT_CATEGORY",
            "account_category' should be 'SAVINGS', 'CURRENT' or 'OVERDRAFT'",
        )),
    }
}

/// Accepts one statement into `session` (a session or an entity).
pub async fn upload_statement(
    state: &AppState,
    session: &SessionRow,
    input: UploadInput,
) -> Result<Accepted, Rejected> {
    let bank = validated_bank(input.bank_name.as_deref())?;
    let FileInput::Bytes { bytes, file_name } = input.file else {
        return Err(
            ApiError::bad_request("MISSING_FILE_OBJECT", "This file object is required").into(),
        );
    };
    if !looks_like_pdf(&bytes) {
        return Err(ApiError::bad_request("INVALID_FILE_OBJECT", "File object is invalid").into());
    }
    let content_sha256 = sha256_hex(&bytes);
    if state
        .store
        .has_statement_content(&session.id, &content_sha256)
        .await
        .map_err(ApiError::from)?
    {
        return Err(duplicate().into());
    }
    // Wrong passwords are throttled per session: each costs a parse and records a rejection.
    if let Some(wait) = state.throttle.password_failures.retry_after(&session.id) {
        return Err(crate::throttle::too_many_error(wait).into());
    }
    let password = input.pdf_password.clone().filter(|p| !p.is_empty());
    let statement_id = new_id();
    let record = |error: &ApiError, bank_name: Option<String>| NewStatement {
        id: statement_id.clone(),
        client_id: session.client_id.clone(),
        session_id: session.id.clone(),
        content_sha256: content_sha256.clone(),
        accepted: false,
        object_key: None,
        file_name: file_name.clone(),
        bank_name,
        pdf_password: None,
        source: "pdf".to_owned(),
        account_id: None,
        account_number: None,
        identity: None,
        page_count: None,
        from_date: None,
        to_date: None,
        error_code: Some(error.code.to_owned()),
        error_message: Some(error.message.clone()),
        parse: None,
    };
    // The engine returns the rows even when it cannot tell the bank; a bank-less upload has
    // nothing to file them under, so that is where an undetected bank is refused.
    // Within the parse memory budget (503 SERVER_BUSY when saturated).
    let parsed = ledgerlens_processing::parse_budget::parse_for_upload(
        &state.processing,
        bytes.clone(),
        password.clone(),
        bank.clone(),
    )
    .await
    .map_err(ApiError::from)?;
    let parsed = match parsed {
        Ok(parsed) if parsed.bank.is_none() && bank.is_none() => {
            Err(StatementError::BankUndetected)
        }
        other => other,
    };
    let parsed = match parsed {
        Ok(parsed) => parsed,
        Err(e) => {
            if matches!(e, StatementError::PasswordIncorrect(_)) && password.is_some() {
                state.throttle.password_failures.fail(&session.id);
            }
            let error = statement_error(&e, bank.as_deref());
            return Err(record_rejection(
                state,
                record(&error, bank.clone()),
                error,
                &statement_id,
            )
            .await);
        }
    };
    let detected_bank = parsed
        .bank
        .as_ref()
        .map(|b| b.bank.id.to_ascii_lowercase())
        .or(bank.clone())
        .unwrap_or_default();
    let checks = match check_date_range(session, &parsed) {
        Ok(()) => check_single_account(state, session, &parsed).await,
        Err(e) => Err(e),
    };
    if let Err(error) = checks {
        return Err(record_rejection(
            state,
            record(&error, Some(detected_bank)),
            error,
            &statement_id,
        )
        .await);
    }
    let account_id = account_id_for(
        session,
        &detected_bank,
        parsed.identity.account_number.as_deref(),
        &statement_id,
    );
    let mut accepted = accepted_view(&parsed, &statement_id, &account_id, &detected_bank);
    (accepted.is_fraud, accepted.fraud_type) =
        ledgerlens_processing::enrichment::upload_fraud(&statement_id, &parsed);
    let object_key = format!("{}/{}/{}.pdf", session.client_id, session.id, statement_id);
    state
        .store
        .objects()
        .put(&object_key, bytes)
        .await
        .map_err(ApiError::from)?;
    // Kept for the processing job, which then neither fetches nor parses the file again.
    let stored_parse = match ledgerlens_processing::stored_parse::encode(&parsed) {
        Ok(text) => Some(text),
        Err(e) => {
            tracing::warn!(statement = %statement_id, error = %e, "could not encode the parse; the job will parse the file");
            None
        }
    };
    let statement = NewStatement {
        accepted: true,
        parse: stored_parse,
        object_key: Some(object_key),
        // Encrypted at rest; get_pdfs and the job decrypt it.
        pdf_password: password
            .as_deref()
            .map(|p| state.secrets.seal(p))
            .transpose()
            .map_err(|e| ApiError::internal(&e))?,
        account_id: Some(account_id),
        account_number: parsed.identity.account_number.clone(),
        identity: Some(accepted.identity.to_string()),
        page_count: i64::try_from(parsed.page_count).ok(),
        from_date: accepted.from_date.map(|d| d.to_string()),
        to_date: accepted.to_date.map(|d| d.to_string()),
        error_code: None,
        error_message: None,
        bank_name: Some(detected_bank),
        ..record(&duplicate(), None)
    };
    let job = NewJob::now(
        JobKind::ProcessStatement,
        &statement_id,
        state.config.job_max_attempts,
    );
    let inserted = state.store.insert_statement(&statement, Some(&job)).await;
    if inserted.is_err() {
        // No row names the file: remove it rather than leave an orphan.
        if let Some(key) = &statement.object_key {
            if let Err(e) = state.store.objects().delete(key).await {
                tracing::warn!(statement = %statement_id, error = %e, "could not remove the file of an upload that was not recorded");
            }
        }
    }
    match inserted {
        Ok(()) => Ok(accepted),
        Err(StoreError::Duplicate) => Err(duplicate().into()),
        Err(StoreError::SessionDeleted) => Err(ApiError::session_deleted().into()),
        Err(e) => Err(ApiError::from(e).into()),
    }
}

fn check_date_range(session: &SessionRow, parsed: &ParsedStatement) -> ApiResult<()> {
    let window = session
        .from_date
        .as_deref()
        .and_then(|f| f.parse::<NaiveDate>().ok())
        .zip(
            session
                .to_date
                .as_deref()
                .and_then(|t| t.parse::<NaiveDate>().ok()),
        );
    let Some((from, to)) = window else {
        return Ok(());
    };
    let in_range = parsed
        .transactions
        .iter()
        .any(|t| (from..=to).contains(&t.date.date()));
    if in_range {
        Ok(())
    } else {
        Err(ApiError::bad_request(
            "OUT_OF_DATE_RANGE",
            "No transactions in expected date range",
        ))
    }
}

/// An entity created with is_single_account takes statements of one account only.
async fn check_single_account(
    state: &AppState,
    session: &SessionRow,
    parsed: &ParsedStatement,
) -> ApiResult<()> {
    if !session.is_single_account {
        return Ok(());
    }
    let incoming = parsed
        .identity
        .account_number
        .as_deref()
        .map(|n| n.trim().to_ascii_uppercase());
    let statements = state.store.statements(&session.id).await?;
    let conflicting = statements
        .iter()
        .filter(|s| s.status != ledgerlens_store::statements::STATUS_FAILED)
        .any(|s| {
            s.account_number
                .as_deref()
                .map(|n| n.trim().to_ascii_uppercase())
                != incoming
        });
    if conflicting {
        Err(ApiError::bad_request(
            "ACCOUNT_MISMATCH",
            "Statement belongs to a different account than the single account of this entity",
        ))
    } else {
        Ok(())
    }
}

fn duplicate() -> ApiError {
    ApiError::bad_request(
        "STATEMENT_DUPLICATE",
        "A duplicate statement has been detected",
    )
}

async fn record_rejection(
    state: &AppState,
    statement: NewStatement,
    error: ApiError,
    statement_id: &str,
) -> Rejected {
    match state.store.insert_statement(&statement, None).await {
        Ok(()) => Rejected {
            error,
            statement_id: Some(statement_id.to_owned()),
        },
        Err(e) => {
            tracing::warn!(error = %e, "could not record a rejected upload");
            Rejected {
                error,
                statement_id: None,
            }
        }
    }
}

fn looks_like_pdf(bytes: &[u8]) -> bool {
    // Some generators put a few bytes of junk before the header; PDF readers accept 1 KiB of it.
    bytes.windows(5).take(1024).any(|w| w == b"%PDF-")
}

/// `missing_months`: the session's expected months the statement does not cover.
pub fn missing_months(session: &SessionRow, covered: &[String]) -> Vec<String> {
    let window = session
        .from_date
        .as_deref()
        .and_then(|f| f.parse::<NaiveDate>().ok())
        .zip(
            session
                .to_date
                .as_deref()
                .and_then(|t| t.parse::<NaiveDate>().ok()),
        );
    let Some((from, to)) = window else {
        return Vec::new();
    };
    ledgerlens_processing::accounts::expected_months(from, to)
        .into_iter()
        .filter(|m| !covered.contains(m))
        .collect()
}

/// The upload_session success body (seed 000); identity and progress parts on request.
pub fn session_upload_response(
    session: &SessionRow,
    a: &Accepted,
    with_identity: bool,
) -> UploadSessionResponse {
    let months = match (a.from_date, a.to_date) {
        (Some(f), Some(t)) => months_between(f, t),
        _ => Vec::new(),
    };
    let range = DateRange {
        from_date: a.from_date.map(|d| d.to_string()),
        to_date: a.to_date.map(|d| d.to_string()),
    };
    let account_number = a
        .identity
        .get("account_number")
        .and_then(Value::as_str)
        .unwrap_or_default();
    // In the documented order (seed 000): identity, when asked for, follows page_count.
    UploadSessionResponse {
        bank_name: a.bank_name.clone(),
        statement_id: a.statement_id.clone(),
        page_count: i64::try_from(a.page_count).unwrap_or(i64::MAX),
        identity: with_identity.then(|| a.identity.clone()),
        date_range: range.clone(),
        opening_date: None,
        opening_bal: a.opening_balance,
        closing_bal: a.closing_balance,
        is_fraud: a.is_fraud,
        fraud_type: a.fraud_type.clone(),
        metadata_analysis: MetadataAnalysis::default(),
        country_code: "IN".to_owned(),
        currency_code: "INR".to_owned(),
        extracted_date_range: range,
        account_id: a.account_id.clone(),
        masked_account_number: mask(account_number),
        missing_months: missing_months(session, &months),
        months,
        status: 1,
        session_id: session.id.clone(),
        progress: None,
    }
}

/// All but the last four characters replaced by X.
pub fn mask(account_number: &str) -> String {
    let count = account_number.chars().count();
    account_number
        .chars()
        .enumerate()
        .map(|(i, c)| if i + 4 < count { 'X' } else { c })
        .collect()
}
