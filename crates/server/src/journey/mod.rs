//! The hosted upload journey behind the Session API's `redirect_url`: a static page (HTML, CSS
//! and JS embedded in the binary, no CDN) and the few JSON calls it makes.
//!
//! The page authenticates with the per-session token carried in its link (an HMAC of the session
//! id under the link-signing key), never with the client's API key or server hash: the link can
//! be handed to a borrower's browser, and only ever uploads into that one session.

use crate::errors::{ApiError, ApiResult, ErrorShape};
use crate::forms::read_form;
use crate::state::AppState;
use crate::upload::{session_upload_response, upload_statement, UploadInput};
use axum::extract::{Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{Datelike, NaiveDate};
use ledgerlens_contract::api::UploadSessionResponse;
use ledgerlens_contract::hosted::{JourneyBank, JourneyBanks, JourneySession, JourneyUpload};
use ledgerlens_store::now_ms;
use ledgerlens_store::sessions::{SessionRow, KIND_SESSION};
use ledgerlens_store::statements::StatementRow;
use serde::Deserialize;
use serde_json::Value;

const INDEX_HTML: &str = include_str!("assets/index.html");
const JOURNEY_CSS: &str = include_str!("assets/journey.css");
const JOURNEY_JS: &str = include_str!("assets/journey.js");
const BANK_HINTS_TSV: &str = include_str!("assets/bank_hints.tsv");

/// The short names and password hint of a bank (assets/bank_hints.tsv), if it has any.
fn bank_hints(id: &str) -> (Vec<&'static str>, Option<&'static str>) {
    let row = BANK_HINTS_TSV
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .find(|fields| fields.first() == Some(&id));
    let Some(fields) = row else {
        return (Vec::new(), None);
    };
    let short = fields
        .get(1)
        .map(|s| {
            s.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let hint = fields.get(2).map(|h| h.trim()).filter(|h| !h.is_empty());
    (short, hint)
}

/// Calendar months of the session's period that no accepted statement touches, as "Jun-2026".
fn missing_months(session: &SessionRow, statements: &[StatementRow]) -> Vec<String> {
    let parse = |d: Option<&str>| d.and_then(|d| d.get(..10)?.parse::<NaiveDate>().ok());
    let (Some(from), Some(to)) = (
        parse(session.from_date.as_deref()),
        parse(session.to_date.as_deref()),
    ) else {
        return Vec::new();
    };
    let covered: Vec<(NaiveDate, NaiveDate)> = statements
        .iter()
        .filter(|s| s.error_code.is_none())
        .filter_map(|s| Some((parse(s.from_date.as_deref())?, parse(s.to_date.as_deref())?)))
        .collect();
    let mut missing = Vec::new();
    let mut month = from.with_day(1).unwrap_or(from);
    while month <= to {
        let next = month
            .checked_add_months(chrono::Months::new(1))
            .unwrap_or(to);
        let touched = covered.iter().any(|(a, b)| *a < next && *b >= month);
        if !touched {
            missing.push(month.format("%b-%Y").to_string());
        }
        if next <= month {
            break;
        }
        month = next;
    }
    missing
}

/// Scripts and styles only from this server; the client's logo may come from anywhere; the page
/// may be framed (the documented iframe workflow).
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' https: http: data:; connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors *";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(index))
        .route("/journey/journey.css", get(css))
        .route("/journey/journey.js", get(js))
        .route("/journey/api/session", get(session_info))
        .route("/journey/api/banks", get(banks))
        .route("/journey/api/upload", post(upload))
}

/// Static asset with the headers every journey response carries.
fn asset(content_type: &'static str, body: &'static str) -> Response {
    let mut response = ([(header::CONTENT_TYPE, content_type)], body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    // The token is in the page's URL: never send it to the logo's host in a Referer.
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

async fn index() -> Response {
    asset("text/html; charset=utf-8", INDEX_HTML)
}

async fn css() -> Response {
    asset("text/css; charset=utf-8", JOURNEY_CSS)
}

async fn js() -> Response {
    asset("text/javascript; charset=utf-8", JOURNEY_JS)
}

#[derive(Debug, Deserialize)]
pub struct JourneyAuth {
    session_id: Option<String>,
    token: Option<String>,
}

fn invalid_link() -> ApiError {
    ApiError::new(
        StatusCode::FORBIDDEN,
        "INVALID_LINK",
        "This link is invalid. Please ask for a new one.",
    )
}

/// The session the token grants, checked before the database is asked, so a guessed id learns
/// nothing.
async fn journey_session(state: &AppState, auth: &JourneyAuth) -> ApiResult<SessionRow> {
    let session_id = auth.session_id.as_deref().unwrap_or_default().trim();
    let token = auth.token.as_deref().unwrap_or_default().trim();
    if session_id.is_empty() || !state.links.journey_token_matches(session_id, token) {
        return Err(invalid_link());
    }
    let session = state
        .store
        .session_by_id(session_id)
        .await?
        .filter(|s| s.kind == KIND_SESSION)
        .ok_or_else(ApiError::session_not_found)?;
    if session.deleted_at.is_some() {
        return Err(ApiError::session_deleted());
    }
    // The token outlives nothing its client has lost: a revoked client's pages stop at once.
    if !state.store.client_is_active(&session.client_id).await? {
        return Err(invalid_link());
    }
    Ok(session)
}

/// Why the session takes no more uploads, if it doesn't.
fn closed_reason(session: &SessionRow) -> Option<&'static str> {
    if session.processing_requested_at.is_some() {
        Some("These statements have already been submitted.")
    } else if session.expires_at.is_some_and(|t| t < now_ms()) {
        Some("This upload link has expired. Please ask for a new one.")
    } else {
        None
    }
}

fn dd_mm_yyyy(iso: Option<&str>) -> Option<String> {
    iso.and_then(|d| d.parse::<NaiveDate>().ok())
        .map(|d| d.format("%d/%m/%Y").to_string())
}

fn bank_full_name(id: &str) -> Option<String> {
    ledgerlens_statement::banks::bank_by_id(id).map(|b| b.name.clone())
}

/// GET /journey/api/session: what the page needs to set itself up.
async fn session_info(
    State(state): State<AppState>,
    Query(auth): Query<JourneyAuth>,
) -> ApiResult<Json<JourneySession>> {
    let session = journey_session(&state, &auth).await?;
    let params: Value = serde_json::from_str(&session.params).unwrap_or(Value::Null);
    let param = |key: &str| params.get(key).and_then(Value::as_str).map(str::to_owned);
    let statements = state.store.statements(&session.id).await?;
    let lender_name = state
        .store
        .client_by_id(&session.client_id)
        .await?
        .map(|c| c.name);
    let uploaded = statements
        .iter()
        .filter(|s| s.error_code.is_none())
        .map(|s| JourneyUpload {
            statement_id: s.id.clone(),
            file_name: s.file_name.clone(),
            bank_name: s.bank_name.clone(),
            bank_full_name: s.bank_name.as_deref().and_then(bank_full_name),
        })
        .collect();
    Ok(Json(JourneySession {
        session_id: session.id.clone(),
        link_id: session.link_id.clone(),
        bank_name: session.bank_name.clone(),
        bank_full_name: session.bank_name.as_deref().and_then(bank_full_name),
        journey_mode: param("journey_mode"),
        logo_url: param("logo_url"),
        redirect_url: param("redirect_url"),
        from_date: dd_mm_yyyy(session.from_date.as_deref()),
        to_date: dd_mm_yyyy(session.to_date.as_deref()),
        closed_reason: closed_reason(&session).map(str::to_owned),
        lender_name,
        missing_months: missing_months(&session, &statements),
        uploaded,
    }))
}

/// GET /journey/api/banks: the catalogue's banks that take PDF uploads.
async fn banks(
    State(state): State<AppState>,
    Query(auth): Query<JourneyAuth>,
) -> ApiResult<Json<JourneyBanks>> {
    journey_session(&state, &auth).await?;
    let banks = ledgerlens_statement::banks::catalogue()
        .iter()
        .filter(|b| b.manual_upload_available)
        .map(|b| {
            let (short_names, password_hint) = bank_hints(&b.id);
            JourneyBank {
                id: b.id.clone(),
                name: b.name.clone(),
                short_names: short_names.into_iter().map(str::to_owned).collect(),
                password_hint: password_hint.map(str::to_owned),
            }
        })
        .collect();
    Ok(Json(JourneyBanks { banks }))
}

/// POST /journey/api/upload: multipart `file`, `bank_name`, `pdf_password`; answers as the
/// upload API does (same codes and messages), so the page can explain each one.
async fn upload(
    State(state): State<AppState>,
    Query(auth): Query<JourneyAuth>,
    headers: HeaderMap,
    request: Request,
) -> Response {
    match upload_inner(&state, &auth, &headers, request).await {
        Ok(body) => Json(body).into_response(),
        Err(e) => e.into_response(),
    }
}

async fn upload_inner(
    state: &AppState,
    auth: &JourneyAuth,
    headers: &HeaderMap,
    request: Request,
) -> ApiResult<UploadSessionResponse> {
    let session = journey_session(state, auth).await?;
    let shape = |statement_id: &str| ErrorShape::Upload {
        session_id: session.id.clone(),
        statement_id: statement_id.to_owned(),
    };
    if let Some(reason) = closed_reason(&session) {
        return Err(ApiError::bad_request("SESSION_EXPIRED", reason).with_shape(shape("")));
    }
    let form = read_form(state, headers, request)
        .await
        .map_err(|e| e.with_shape(shape("")))?;
    // A bank named by the session is the only one its journey offers.
    let bank_name = session.bank_name.clone().or_else(|| form.text("bank_name"));
    let input = UploadInput {
        file: form.file().map_err(|e| e.with_shape(shape("")))?,
        bank_name,
        pdf_password: form.text("pdf_password"),
    };
    match upload_statement(state, &session, input).await {
        Ok(accepted) => {
            tracing::info!(session = %session.id, statement = %accepted.statement_id, "journey upload accepted");
            Ok(session_upload_response(&session, &accepted, false))
        }
        Err(rejected) => {
            let statement_id = rejected.statement_id.unwrap_or_default();
            Err(rejected.error.with_shape(shape(&statement_id)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_hinted_bank_is_a_catalogue_bank() {
        for line in BANK_HINTS_TSV.lines().filter(|l| !l.starts_with('#')) {
            let id = line.split('\t').next().unwrap_or_default();
            assert!(
                ledgerlens_statement::banks::catalogue()
                    .iter()
                    .any(|b| b.id == id && b.manual_upload_available),
                "{id} is not an uploadable catalogue bank"
            );
        }
        assert_eq!(bank_hints("baroda").0, ["BOB", "BoB", "Baroda"]);
        assert!(bank_hints("sbi").1.is_some_and(|h| h.contains("mobile")));
        assert_eq!(bank_hints("pnbbnk").1, None);
    }
}
