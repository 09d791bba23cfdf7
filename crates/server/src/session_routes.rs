//! Handlers of the session flow. Each one authenticates, loads, delegates to a module that
//! owns the logic (validation, upload, accounts) and serialises.

use crate::auth::{authenticate, Requirement};
use crate::errors::{ApiError, ApiResult, ErrorShape};
use crate::forms::{flag_set, read_form, upload_input, UploadQuery};
use crate::reports::pdf_entry;
use crate::session_access::{data_session, live_session, require_processed};
use crate::state::AppState;
use crate::upload::{session_upload_response, upload_statement};
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::Utc;
use ledgerlens_contract::api::{
    CatalogueBank, CatalogueResponse, CreateSessionResponse, DeleteSessionResponse,
    GetPdfsResponse, IdentityEntry, IdentityResponse, InitiateProcessingResponse, MessageResponse,
    MetadataAnalysis, ProgressEntry, ProgressResponse, SectionAccount, SectionResponse,
    SessionStatusAccount, SessionStatusResponse, SessionUploadStatusResponse, TransactionsAccount,
    TransactionsResponse, UploadSessionResponse,
};
use ledgerlens_contract::insights;
pub use ledgerlens_contract::insights::{
    aggregate_monthly_analysis, in_documented_order, whole_limit,
};
use ledgerlens_contract::timestamps::{iso_micros_z, StatementCreatedAt};
use ledgerlens_processing::accounts::{
    attach_enrichment, build_accounts, insights_data, AccountView,
};
use ledgerlens_processing::notifications::{
    full_bank_name, session_date_range, statement_status_detail, upload_status_accounts,
};
use ledgerlens_store::jobs::{JobKind, NewJob};
use ledgerlens_store::sessions::{NewSession, ProcessingRequest, SessionRow, KIND_SESSION};
use ledgerlens_store::statements::{StatementRow, STATUS_COMPLETED, STATUS_PROCESSING};
use ledgerlens_store::{new_id, now_ms};
use serde_json::{json, Map, Value};
use std::collections::HashMap;

/// `"2025-11-13 06:48:44"`: the documented form of most of the API's times.
use ledgerlens_contract::timestamps::date_time as timestamp;

/// Links to hand out: see [`crate::http_contract::public_base`].
fn public_base(state: &AppState, headers: &HeaderMap) -> String {
    crate::http_contract::public_base(&state.config, headers)
}

/// POST session/: JSON or form body; `api_key` may come in the body instead of the header.
pub async fn create_session(
    State(state): State<AppState>,
    headers: HeaderMap,
    request: Request,
) -> ApiResult<Json<CreateSessionResponse>> {
    create(state, headers, request, SessionApi::V1).await
}

/// POST /bank-connect/v2/session/ (session-v2.md): V1's session with AA journey codes and
/// consent overrides; the same answer.
pub async fn create_session_v2(
    State(state): State<AppState>,
    headers: HeaderMap,
    request: Request,
) -> ApiResult<Json<CreateSessionResponse>> {
    create(state, headers, request, SessionApi::V2).await
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SessionApi {
    V1,
    V2,
}

async fn create(
    state: AppState,
    headers: HeaderMap,
    request: Request,
    api: SessionApi,
) -> ApiResult<Json<CreateSessionResponse>> {
    let body = read_session_body(&state, &headers, request).await?;
    let body_api_key = body
        .get("api_key")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let client = authenticate(
        &state,
        &headers,
        Requirement::ApiKey,
        body_api_key.as_deref(),
    )
    .await?;
    let today = Utc::now().date_naive();
    let request = match api {
        SessionApi::V1 => crate::session_request::validate(&body, today)?,
        SessionApi::V2 => crate::session_request::validate_v2(&body, today)?,
    };
    let session_id = new_id();
    let expires_at = request
        .session_expiry_minutes
        .map(|m| now_ms() + m * 60_000);
    state
        .store
        .insert_session(&NewSession {
            id: session_id.clone(),
            client_id: client.id.clone(),
            kind: KIND_SESSION,
            link_id: Some(request.link_id.clone()),
            from_date: Some(request.from_date.to_string()),
            to_date: Some(request.to_date.to_string()),
            bank_name: request.bank_name.clone(),
            is_single_account: false,
            params: serde_json::to_string(&request).map_err(|e| ApiError::internal(&e))?,
            expires_at,
        })
        .await?;
    tracing::info!(session = %session_id, "session created");
    // The hosted journey (crate::journey) authenticates with this per-session token.
    let aa_journey = (request.mode.as_deref() == Some("aa"))
        .then(|| crate::aa_routes::journey_url(&state, &headers, &session_id))
        .flatten();
    let redirect_url = aa_journey.unwrap_or_else(|| {
        format!(
            "{}/?session_id={session_id}&token={}",
            public_base(&state, &headers),
            state.links.journey_token(&session_id)
        )
    });
    Ok(Json(CreateSessionResponse {
        session_id,
        redirect_url,
    }))
}

async fn read_session_body(
    state: &AppState,
    headers: &HeaderMap,
    request: Request,
) -> ApiResult<Map<String, Value>> {
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let limit = state.config.max_body_bytes;
    // The docs send the Session API's fields as form data too (multipart as well as URL-encoded).
    if content_type.starts_with("multipart/form-data") {
        use axum::extract::FromRequest;
        let mut multipart = axum::extract::Multipart::from_request(request, state)
            .await
            .map_err(|_| ApiError::bad_request("INVALID_REQUEST", "Something went wrong"))?;
        let mut fields = Map::new();
        while let Some(field) = multipart
            .next_field()
            .await
            .map_err(|_| ApiError::bad_request("INVALID_REQUEST", "Something went wrong"))?
        {
            let name = field.name().unwrap_or_default().to_owned();
            let value = field
                .text()
                .await
                .map_err(|_| ApiError::bad_request("INVALID_REQUEST", "Something went wrong"))?;
            fields.insert(name, Value::String(value));
        }
        return Ok(fields);
    }
    let bytes = axum::body::to_bytes(request.into_body(), limit)
        .await
        .map_err(|_| ApiError::payload_too_large(limit))?;
    if content_type.starts_with("application/json") {
        // The documented message is "Something went wrong"; the hint says where the body breaks
        // (serde's position, never the body's content).
        match serde_json::from_slice::<Value>(&bytes) {
            Ok(Value::Object(map)) => Ok(map),
            Ok(_) => Err(
                ApiError::bad_request("INVALID_REQUEST", "Something went wrong")
                    .with_hint("the JSON body must be an object"),
            ),
            Err(e) => Err(
                ApiError::bad_request("INVALID_REQUEST", "Something went wrong").with_hint(
                    format!(
                        "the body is not valid JSON ({:?} at line {}, column {})",
                        e.classify(),
                        e.line(),
                        e.column()
                    ),
                ),
            ),
        }
    } else if content_type.starts_with("application/x-www-form-urlencoded") {
        let pairs: Vec<(String, String)> =
            url::form_urlencoded::parse(&bytes).into_owned().collect();
        Ok(pairs
            .into_iter()
            .map(|(k, v)| (k, Value::String(v)))
            .collect())
    } else {
        let shown = if content_type.is_empty() {
            "none".to_owned()
        } else {
            content_type
        };
        Err(ApiError::unsupported_media_type(&shown))
    }
}

/// POST statement/upload_session/.
pub async fn upload_session(
    State(state): State<AppState>,
    Query(query): Query<UploadQuery>,
    headers: HeaderMap,
    request: Request,
) -> Response {
    match upload_session_inner(&state, &query, &headers, request).await {
        Ok(body) => Json(body).into_response(),
        Err(e) => e.into_response(),
    }
}

async fn upload_session_inner(
    state: &AppState,
    query: &UploadQuery,
    headers: &HeaderMap,
    request: Request,
) -> ApiResult<UploadSessionResponse> {
    // submit-data-backend.md: a missing or invalid x-api-key on the upload is 403 (seed 000 has
    // no row for it), as on the data APIs.
    let client = authenticate(state, headers, Requirement::ApiKey, None)
        .await
        .map_err(|e| {
            if e.status == StatusCode::UNAUTHORIZED {
                ApiError::access_denied()
            } else {
                e
            }
        })?;
    let upload_shape = |session_id: &str, statement_id: &str| ErrorShape::Upload {
        session_id: session_id.to_owned(),
        statement_id: statement_id.to_owned(),
    };
    let mut form = read_form(state, headers, request)
        .await
        .map_err(|e| e.with_shape(upload_shape("", "")))?;
    let session_id = form.text("session_id").unwrap_or_default();
    let session = live_session(state, &client, &session_id)
        .await
        .map_err(|e| e.with_capital_session_id().with_shape(upload_shape("", "")))?;
    let shape = |statement_id: &str| upload_shape(&session.id, statement_id);
    if session.processing_requested_at.is_some() || session.expires_at.is_some_and(|t| t < now_ms())
    {
        return Err(ApiError::bad_request(
            "SESSION_EXPIRED",
            "The session has concluded; no more statements can be uploaded",
        )
        .with_shape(shape("")));
    }
    crate::upload::check_upload_type(form.text("upload_type").as_deref())
        .and_then(|()| {
            crate::upload::check_account_category(form.text("account_category").as_deref())
        })
        .map_err(|e| e.with_shape(shape("")))?;
    let input = upload_input(state, &mut form, true)
        .await
        .map_err(|e| e.with_shape(shape("")))?;
    let accepted = match upload_statement(state, &session, input).await {
        Ok(accepted) => accepted,
        Err(rejected) => {
            let statement_id = rejected.statement_id.unwrap_or_default();
            return Err(rejected.error.with_shape(shape(&statement_id)));
        }
    };
    tracing::info!(session = %session.id, statement = %accepted.statement_id, "statement accepted");
    let mut body = session_upload_response(&session, &accepted, flag_set(&query.identity));
    if flag_set(&query.progress) {
        let statements = state.store.statements(&session.id).await?;
        body.progress = Some(statements.iter().map(progress_entry).collect());
    }
    Ok(body)
}

/// A session whose processing has finished, with its statements grouped into accounts.
pub struct Processed {
    pub session: SessionRow,
    pub statements: Vec<StatementRow>,
    pub accounts: Vec<AccountView>,
}

async fn processed(
    state: &AppState,
    headers: &HeaderMap,
    session_id: &str,
) -> ApiResult<Processed> {
    let session = data_session(state, headers, session_id).await?;
    require_processed(&session)?;
    load_accounts(state, session).await
}

/// [`processed`], with each account's enrichment attached (stored by the worker; computed now
/// only for sessions finalised before the analysis stage existed).
async fn processed_enriched(
    state: &AppState,
    headers: &HeaderMap,
    session_id: &str,
) -> ApiResult<Processed> {
    let session = data_session(state, headers, session_id).await?;
    require_processed(&session)?;
    let statements = state.store.statements(&session.id).await?;
    let results = state.store.statement_results(&session.id).await?;
    let stored = state.store.account_results(&session.id).await?;
    let accounts = tokio::task::spawn_blocking(move || {
        let mut accounts = build_accounts(&session, &statements, &results);
        attach_enrichment(&session, &mut accounts, &results, &stored, true);
        Processed {
            session,
            statements,
            accounts,
        }
    })
    .await
    .map_err(|e| ApiError::internal(&e))?;
    Ok(accounts)
}

async fn load_accounts(state: &AppState, session: SessionRow) -> ApiResult<Processed> {
    let statements = state.store.statements(&session.id).await?;
    let results = state.store.statement_results(&session.id).await?;
    let accounts = build_accounts(&session, &statements, &results);
    Ok(Processed {
        session,
        statements,
        accounts,
    })
}

/// POST session_data/<id>/initiate_processing/.
pub async fn initiate_processing(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let session = data_session(&state, &headers, &id).await?;
    let job = NewJob::now(
        JobKind::FinalizeSession,
        &session.id,
        state.config.job_max_attempts,
    );
    match state
        .store
        .request_processing(&session.client_id, &session.id, job)
        .await?
    {
        ProcessingRequest::Accepted => Ok((
            StatusCode::ACCEPTED,
            Json(InitiateProcessingResponse {
                session_id: session.id,
                message: "success".to_owned(),
            }),
        )
            .into_response()),
        ProcessingRequest::AlreadyRequested => Err(ApiError::duplicate_processing_request()),
    }
}

fn progress_entry(s: &StatementRow) -> ProgressEntry {
    ProgressEntry {
        identity_status: s.identity_status.clone(),
        transaction_status: s.transaction_status.clone(),
        processing_status: s.processing_status.clone(),
        fraud_status: s.fraud_status.clone(),
        statement_id: s.id.clone(),
        message: s.error_message.clone(),
        source: s.source.clone(),
    }
}

/// GET session_data/<id>/progress/.
pub async fn progress(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<Json<ProgressResponse>> {
    let session = data_session(&state, &headers, &id).await?;
    if session.processing_requested_at.is_none() {
        return Err(ApiError::processing_not_requested());
    }
    let statements = state.store.statements(&session.id).await?;
    let done = session.processing_completed_at.is_some()
        && statements.iter().all(|s| s.status != STATUS_PROCESSING);
    Ok(Json(ProgressResponse {
        session_id: session.id,
        session_progress: if done {
            STATUS_COMPLETED
        } else {
            STATUS_PROCESSING
        }
        .to_owned(),
        progress: statements.iter().map(progress_entry).collect(),
    }))
}

/// Failed uploads have no account; they are listed under an account entry with a null id.
fn unassigned_statements(statements: &[StatementRow]) -> Vec<&StatementRow> {
    statements
        .iter()
        .filter(|s| s.account_id.is_none())
        .collect()
}

/// GET session_data/<id>/session_status/.
pub async fn session_status(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<Json<SessionStatusResponse>> {
    let p = processed_enriched(&state, &headers, &id).await?;
    let insights_available = p.accounts.iter().any(|a| a.document.is_some());
    let text = |a: &AccountView, key: &str| {
        a.details
            .get(key)
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let mut accounts: Vec<SessionStatusAccount> = p
        .accounts
        .iter()
        .map(|a| SessionStatusAccount {
            name: text(a, "name"),
            account_category: text(a, "account_category"),
            account_id: Some(a.account_id.clone()),
            account_number: a.account_number.clone(),
            bank_name: a.bank_name.clone(),
            error_code: a.error.as_ref().map(|e| e.0.clone()),
            error_message: a.error.as_ref().map(|e| e.1.clone()),
            account_status: a.status().to_owned(),
            created_at: timestamp(a.created_at),
            last_updated_at: timestamp(a.updated_at),
            statements: a
                .statements
                .iter()
                .map(|s| statement_status_detail(s, StatementCreatedAt::IsoZ))
                .collect(),
            attempt_types: vec!["PDF".to_owned()],
            // "SAVINGS" in the documented sample; the statement's own word is lower-case.
            account_type: text(a, "account_type").map(|t| t.to_ascii_uppercase()),
            full_bank_name: full_bank_name(a.bank_name.as_deref()),
        })
        .collect();
    // Statements that failed before an account existed: one entry with a null account_id, in
    // the documented account shape (fetch-data.md's failed-account sample has every key).
    let unassigned = unassigned_statements(&p.statements);
    if let Some(first) = unassigned.first() {
        accounts.push(SessionStatusAccount {
            name: None,
            account_category: None,
            account_id: None,
            account_number: None,
            bank_name: first.bank_name.clone(),
            error_code: first.error_code.clone(),
            error_message: first.error_message.clone(),
            account_status: "failed".to_owned(),
            created_at: timestamp(first.created_at),
            last_updated_at: timestamp(
                unassigned
                    .iter()
                    .map(|s| s.updated_at)
                    .max()
                    .unwrap_or_default(),
            ),
            statements: unassigned
                .iter()
                .map(|s| statement_status_detail(s, StatementCreatedAt::IsoZ))
                .collect(),
            attempt_types: vec!["PDF".to_owned()],
            account_type: None,
            full_bank_name: full_bank_name(first.bank_name.as_deref()),
        });
    }
    Ok(Json(SessionStatusResponse {
        session_id: p.session.id,
        insights_available,
        accounts,
    }))
}

/// GET session_data/<id>/session_upload_status/: available before processing too.
pub async fn session_upload_status(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<Json<SessionUploadStatusResponse>> {
    let session = data_session(&state, &headers, &id).await?;
    let p = load_accounts(&state, session).await?;
    let session = &p.session;
    let expired = session.expires_at.is_some_and(|t| t < now_ms());
    let upload_status = if session.processing_requested_at.is_some() {
        "COMPLETED"
    } else if expired {
        "EXPIRED"
    } else if p.statements.is_empty() {
        "NO UPLOADS"
    } else {
        "IN PROGRESS"
    };
    Ok(Json(SessionUploadStatusResponse {
        session_id: session.id.clone(),
        session_date_range: session_date_range(session),
        upload_status: upload_status.to_owned(),
        session_expiry_timestamp: session.expires_at.map(timestamp),
        accounts: upload_status_accounts(&p.accounts),
        error: Map::new(),
    }))
}

/// GET session_data/<id>/insights/.
pub async fn insights(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let p = processed_enriched(&state, &headers, &id).await?;
    let accounts: Vec<Value> = p
        .accounts
        .iter()
        .map(|a| json!({"account_id": a.account_id, "data": insights_data(a, &p.session.id)}))
        .collect();
    let header = insights::SessionHeader {
        session_id: Some(&p.session.id),
        link_id: p.session.link_id.as_deref(),
        from_date: p.session.from_date.clone(),
        to_date: p.session.to_date.clone(),
    };
    let mut body = insights::document(&header, accounts);
    crate::reports::add_report_urls(&state, &headers, &p.session, &mut body);
    Ok(Json(body))
}

/// GET session_data/<id>/identity/.
pub async fn identity(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<Json<IdentityResponse>> {
    let p = processed(&state, &headers, &id)
        .await
        .map_err(ApiError::with_capital_session_id)?;
    Ok(Json(IdentityResponse {
        accounts: identity_accounts(&p.accounts),
        identity: identity_entries(&p.accounts),
        session_id: p.session.id,
    }))
}

/// accounts[] of the Identity API, as seed 001's sample orders them.
const IDENTITY_ACCOUNT_ORDER: &[&str] = &[
    "account_category",
    "account_id",
    "account_number",
    "account_opening_date",
    "bank",
    "credit_limit",
    "ifsc",
    "micr",
    "missing_data",
    "od_limit",
    "statements",
    "months",
    "country_code",
    "currency_code",
    "last_updated",
];

pub fn identity_accounts(accounts: &[AccountView]) -> Vec<Value> {
    accounts
        .iter()
        .map(|a| {
            let mut details = a.details.clone();
            details["account_id"] = json!(a.account_id);
            // "2024-01-05T15:45:14.657268Z" in seed 001's Identity sample.
            details["last_updated"] = json!(iso_micros_z(a.updated_at));
            for limit in ["credit_limit", "od_limit"] {
                if let Some(value) = details.get_mut(limit) {
                    *value = whole_limit(Some(value));
                }
            }
            in_documented_order(&details, IDENTITY_ACCOUNT_ORDER)
        })
        .collect()
}

pub fn identity_entries(accounts: &[AccountView]) -> Vec<IdentityEntry> {
    accounts
        .iter()
        .map(|a| {
            let d = &a.details;
            let text = |key: &str| d.get(key).and_then(Value::as_str).map(str::to_owned);
            IdentityEntry {
                account_number: a.account_number.clone(),
                address: text("address"),
                account_category: text("account_category"),
                account_id: a.account_id.clone(),
                raw_account_category: text("account_type"),
                name: text("name"),
                micr: text("micr"),
                credit_limit: whole_limit(d.get("credit_limit")).as_i64(),
                bank_name: a.bank_name.clone(),
                ifsc: text("ifsc"),
                metadata_analysis: MetadataAnalysis::default(),
            }
        })
        .collect()
}

/// GET session_data/<id>/transactions/.
pub async fn transactions(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<Json<TransactionsResponse>> {
    let p = processed_enriched(&state, &headers, &id)
        .await
        .map_err(ApiError::with_capital_session_id)?;
    let accounts = p
        .accounts
        .into_iter()
        .map(|a| TransactionsAccount {
            account_id: a.account_id,
            bank_name: a.bank_name,
            account_number: a.account_number,
            transactions: a.transactions,
        })
        .collect();
    Ok(Json(TransactionsResponse {
        session_id: p.session.id,
        accounts,
    }))
}

/// GET session_data/<id>/get_pdfs/: signed, expiring links instead of bucket URLs.
pub async fn get_pdfs(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<Json<GetPdfsResponse>> {
    let p = processed(&state, &headers, &id)
        .await
        .map_err(ApiError::with_capital_session_id)?;
    let base = public_base(&state, &headers);
    let frauds = crate::reports::session_statement_frauds(&state, &p.session).await;
    let statements = p
        .statements
        .iter()
        .map(|s| {
            let mut entry = pdf_entry(&state, &base, s);
            let fraud = frauds.get(&s.id).map(String::as_str);
            entry.message = crate::reports::pdf_message(s.error_code.as_deref(), fraud).to_owned();
            entry
        })
        .collect();
    Ok(Json(GetPdfsResponse { statements }))
}

/// The Insights section each per-section endpoint of the session flow serves.
fn insights_section(endpoint: &str) -> Option<&'static str> {
    Some(match endpoint {
        "predictors" => "predictors",
        "eod_balances" => "eod_balances",
        "monthly_analysis_updated" => "monthly_analysis",
        "recurring_transactions" => "recurring_transactions",
        _ => return None,
    })
}

/// GET session_data/<id>/{predictors,eod_balances,monthly_analysis_updated,recurring_transactions}/:
/// the Insights response cut down to one section, `accounts[].data.<section>`. Other names answer
/// the documented errors first and then 501 (sections this server does not offer).
pub async fn enrichment_section(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, section)): Path<(String, String)>,
) -> ApiResult<Json<SectionResponse>> {
    let Some(name) = insights_section(&section) else {
        let _ = processed(&state, &headers, &id)
            .await
            .map_err(ApiError::with_capital_session_id)?;
        return Err(ApiError::new(
            StatusCode::NOT_IMPLEMENTED,
            "ANALYSIS_NOT_AVAILABLE",
            format!("{section} is not available on this server"),
        ));
    };
    let p = processed_enriched(&state, &headers, &id)
        .await
        .map_err(ApiError::with_capital_session_id)?;
    let accounts = p
        .accounts
        .iter()
        .map(|a| {
            let mut data = Map::new();
            data.insert(name.to_owned(), a.section(name));
            SectionAccount {
                account_id: a.account_id.clone(),
                data,
            }
        })
        .collect();
    Ok(Json(SectionResponse {
        session_id: p.session.id,
        accounts,
    }))
}

/// DELETE session_data/<id>/delete/.
pub async fn delete_session(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<Json<DeleteSessionResponse>> {
    let session = data_session(&state, &headers, &id).await?;
    state
        .store
        .delete_session(&session.client_id, &session.id)
        .await?;
    // The store cleared an AA fetch's keys and lease; this process's copy goes too (a fetch
    // running here stops at its next lease check, another server's likewise).
    if let Some(rt) = ledgerlens_processing::aa_flow::runtime() {
        rt.forget(&session.id);
    }
    Ok(Json(DeleteSessionResponse {
        session_id: session.id,
        message: "success".to_owned(),
    }))
}

/// POST session_data/update_webhook/ (and the legacy entity/update_webhook/).
pub async fn update_webhook(
    State(state): State<AppState>,
    headers: HeaderMap,
    request: Request,
) -> ApiResult<Json<MessageResponse>> {
    let client = authenticate(&state, &headers, Requirement::ApiKeyAndServerHash, None).await?;
    let body = read_session_body(&state, &headers, request).await?;
    let url = body
        .get("webhook_url")
        .and_then(Value::as_str)
        .map(str::trim)
        .unwrap_or_default();
    let valid = url::Url::parse(url)
        .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some());
    if !valid {
        return Err(ApiError::invalid_field("webhook_url", "Enter a valid URL."));
    }
    // Webhooks are requests from inside the deployment's network: the same address policy as
    // file_url, so a tenant cannot point them at loopback, private or metadata addresses.
    let allow_private = state.config.webhooks_may_reach_private();
    if let Err(reason) =
        ledgerlens_processing::outbound::check_registered_url(url, allow_private).await
    {
        tracing::debug!(reason, "webhook_url refused");
        return Err(ApiError::invalid_field(
            "webhook_url",
            "The URL must resolve to a public address.",
        ));
    }
    let mode = match body.get("webhook_mode") {
        None | Some(Value::Null) => 0,
        Some(Value::Number(n)) => n.as_i64().ok_or_else(|| {
            ApiError::invalid_field("webhook_mode", "A valid integer is required.")
        })?,
        Some(Value::String(s)) => s
            .trim()
            .parse()
            .map_err(|_| ApiError::invalid_field("webhook_mode", "A valid integer is required."))?,
        Some(_) => {
            return Err(ApiError::invalid_field(
                "webhook_mode",
                "A valid integer is required.",
            ))
        }
    };
    let secret = body
        .get("secret")
        .or_else(|| body.get("webhook_secret"))
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty());
    state
        .store
        .set_webhook(&client.id, url, mode, secret)
        .await?;
    Ok(Json(MessageResponse {
        message: "success".to_owned(),
    }))
}

/// GET banks/catalogue/.
pub async fn catalogue(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> ApiResult<Json<CatalogueResponse>> {
    authenticate(&state, &headers, Requirement::ApiKey, None).await?;
    let banks: Vec<CatalogueBank> = ledgerlens_statement::banks::catalogue()
        .iter()
        .map(|b| {
            let npci = ledgerlens_statement::banks::bank_by_id(&b.id)
                .and_then(|info| info.ifsc_prefixes.first().cloned());
            CatalogueBank {
                name: b.id.to_ascii_uppercase(),
                full_name: b.name.clone(),
                npci_code: npci,
                logo_url: None,
                is_pdf_upload_available: b.manual_upload_available,
                is_net_banking_available: false,
                is_aa_available: ledgerlens_processing::aa_flow::available_for(&b.id),
            }
        })
        .collect();
    Ok(Json(CatalogueResponse {
        count: i64::try_from(banks.len()).unwrap_or(i64::MAX),
        banks,
    }))
}

/// GET files/statements/<id>.pdf?client&expires&signature: a signed link, no API key needed.
pub async fn download_statement(
    State(state): State<AppState>,
    Path(file): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Response> {
    let not_found = || ApiError::not_found("The link is invalid or has expired");
    let client = q.get("client").ok_or_else(not_found)?;
    let expires: i64 = q
        .get("expires")
        .and_then(|e| e.parse().ok())
        .ok_or_else(not_found)?;
    let signature = q.get("signature").ok_or_else(not_found)?;
    let statement_id = file.strip_suffix(".pdf").unwrap_or(&file);
    let grant = state
        .links
        .verify(statement_id, client, expires, signature)
        .ok_or_else(not_found)?;
    // A revoked client's links stop working at once, not when they expire.
    if !state.store.client_is_active(&grant.client_id).await? {
        return Err(not_found());
    }
    let statement = state
        .store
        .statement_by_id(&grant.object_id)
        .await?
        .filter(|s| s.client_id == grant.client_id)
        .ok_or_else(not_found)?;
    let key = statement.object_key.ok_or_else(not_found)?;
    let bytes = state.store.objects().get(&key).await?;
    Ok(([("content-type", "application/pdf")], bytes).into_response())
}
