//! Recurring Account Aggregator pulls (aa-recurring pull.md): the consents a session's journey
//! obtained, and a pull under one of them, which becomes a new session run through the same
//! FI fetch → statements → insights pipeline. Consents and their use counts live in the store.
//!
//! HTTP statuses of these errors are not documented; they answer 400 like the Session API's
//! other validation errors.

use crate::auth::{authenticate, Requirement};
use crate::errors::{ApiError, ApiResult};
use crate::session_request::parse_dd_mm_yyyy;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use chrono::{DateTime, Utc};
use ledgerlens_aa::client::{ClientError, FiSession};
use ledgerlens_aa::consent::ConsentArtefact;
use ledgerlens_aa::fi::{ist, ist_end_of_day, ist_midnight};
use ledgerlens_contract::api::{
    FetchRecurringAaDataResponse, RecurringConsentDetail, RecurringConsentDetailsResponse,
};
use ledgerlens_processing::aa_flow::{self, AaRuntime};
use ledgerlens_store::aa_consents::AaConsent;
use ledgerlens_store::new_id;
use ledgerlens_store::sessions::{NewSession, SessionRow, KIND_SESSION};
use serde::Deserialize;
use serde_json::{Map, Value};

fn invalid_session() -> ApiError {
    ApiError::bad_request(
        "INVALID_SESSION_ID",
        "Session is invalid, expired, or closed",
    )
}

fn invalid_consent() -> ApiError {
    ApiError::bad_request(
        "INVALID_CONSENT_ID",
        "Consent not found or not linked to session",
    )
}

fn revoked() -> ApiError {
    ApiError::bad_request("CONSENT_REVOKED", "User has revoked the recurring consent")
}

fn overused() -> ApiError {
    ApiError::bad_request(
        "CONSENT_OVERUSED",
        "Consent usage limit exhausted per Sahamati rules",
    )
}

fn invalid_range() -> ApiError {
    ApiError::bad_request(
        "INVALID_DATE_RANGE",
        "Date range invalid for recurring pull",
    )
}

#[derive(Deserialize)]
pub struct SessionQuery {
    #[serde(default)]
    session_id: String,
}

/// POST account_aggregator/get_recurring_consent_details/?session_id=…
pub async fn get_recurring_consent_details(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<SessionQuery>,
) -> ApiResult<Json<RecurringConsentDetailsResponse>> {
    let client = authenticate(&state, &headers, Requirement::ApiKeyAndServerHash, None).await?;
    // The documentation writes a stray `/` after the id inside the query.
    let session_id = q.session_id.trim().trim_end_matches('/');
    let session = state
        .store
        .session(&client.id, session_id, KIND_SESSION)
        .await?
        .filter(|s| s.deleted_at.is_none())
        .ok_or_else(invalid_session)?;
    let consents = state
        .store
        .aa_consents_of_session(&client.id, &session.id)
        .await?;
    let details: Vec<RecurringConsentDetail> = consents
        .iter()
        .map(|c| RecurringConsentDetail {
            consent_id: c.consent_id.clone(),
            bank_name: c.bank_name.clone(),
            masked_account_number: c.masked_account_number.clone(),
            tenure_month_count: c.tenure_month_count,
            frequency_unit: c.frequency_unit.clone(),
            frequency_value: c.frequency_value,
        })
        .collect();
    Ok(Json(RecurringConsentDetailsResponse {
        consent_details: details,
    }))
}

/// POST account_aggregator/fetch_recurring_aa_data/ `{consent_id, date_time_range_from,
/// date_time_range_to}` (DD/MM/YYYY) → `{session_id}` of the new session.
pub async fn fetch_recurring_aa_data(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Json<FetchRecurringAaDataResponse>> {
    let client = authenticate(&state, &headers, Requirement::ApiKeyAndServerHash, None).await?;
    let body = match serde_json::from_slice::<Value>(&body) {
        Ok(Value::Object(map)) => map,
        _ => {
            return Err(ApiError::bad_request(
                "INVALID_REQUEST",
                "Something went wrong",
            ))
        }
    };
    let consent_id = text(&body, "consent_id")
        .ok_or_else(|| ApiError::invalid_field("consent_id", "This field is required."))?;
    let consent = state
        .store
        .aa_consent(&client.id, &consent_id)
        .await?
        .ok_or_else(invalid_consent)?;
    let (from, to) = requested_range(&body, Utc::now())?;
    if from < millis(consent.fi_data_from) || to > millis(consent.fi_data_to) {
        return Err(invalid_range());
    }
    let rt = aa_flow::runtime().ok_or_else(|| {
        ApiError::new(
            StatusCode::FORBIDDEN,
            "MODE_NOT_ENABLED",
            "Specified mode not enabled. Contact FinBox Admin.",
        )
    })?;
    let artefact = active_artefact(rt, &consent).await?;
    let fi = request_within_frequency(&state, rt, &consent, &artefact, from, to).await?;
    let session = new_pull_session(&state, &consent, from, to).await?;
    state
        .store
        .insert_aa_pull(
            &session.id,
            &consent.consent_id,
            from.timestamp_millis(),
            to.timestamp_millis(),
        )
        .await?;
    rt.track_pull(&session, &consent.consent_id, fi.clone());
    aa_flow::persist(&state.processing, rt, &session.id).await;
    tracing::info!(session = %session.id, "recurring AA pull started");
    let session_id = session.id.clone();
    let local = state.aa_fetches.clone();
    local.spawn(async move {
        // Recorded above without a lease: this server claims it like any fetch (another
        // server's takeover could have been first; then that one runs it).
        let Some(lease) = aa_flow::claim(&state.processing, rt, &session.id).await else {
            return;
        };
        let outcome = aa_flow::leased(
            &state.processing,
            &lease,
            aa_flow::fetch_and_process(&state.processing, rt, &session, &artefact, &fi, &lease),
        )
        .await;
        aa_flow::finish(&state.processing, rt, &session.id, &lease, outcome).await;
    });
    Ok(Json(FetchRecurringAaDataResponse { session_id }))
}

fn text(body: &Map<String, Value>, field: &str) -> Option<String> {
    body.get(field)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

fn millis(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

/// Whole IST days `from` 00:00 to the end of `to`, never past `now`; one day is a valid pull.
fn requested_range(
    body: &Map<String, Value>,
    now: DateTime<Utc>,
) -> ApiResult<(DateTime<Utc>, DateTime<Utc>)> {
    let (from_field, to_field) = ("date_time_range_from", "date_time_range_to");
    let (Some(from), Some(to)) = (text(body, from_field), text(body, to_field)) else {
        return Err(ApiError::bad_request(
            "MISSING_DATE_FIELD",
            format!("`{from_field}` and `{to_field}` are required."),
        ));
    };
    let (Some(from), Some(to)) = (parse_dd_mm_yyyy(&from), parse_dd_mm_yyyy(&to)) else {
        return Err(ApiError::bad_request(
            "INVALID_DATE_FORMAT",
            format!("Invalid `{from_field}` or `{to_field}` format. Use `DD/MM/YYYY`."),
        ));
    };
    let start = ist_midnight(from);
    let end = ist_end_of_day(to).min(now);
    if from > to || start >= end {
        return Err(invalid_range());
    }
    Ok((start, end))
}

/// The artefact as the AA holds it now: a revoked consent is refused before anything is used.
async fn active_artefact(rt: &AaRuntime, consent: &AaConsent) -> ApiResult<ConsentArtefact> {
    let artefact = rt
        .client
        .fetch_artefact(&consent.consent_id)
        .await
        .map_err(aa_refusal)?;
    match artefact.status.as_deref() {
        None | Some("ACTIVE") => Ok(artefact),
        Some("REVOKED") => Err(revoked()),
        // Paused or expired: not usable, and no documented code says which.
        Some(_) => Err(invalid_consent()),
    }
}

/// Claims a use of the consent for this calendar unit, then asks the AA for the data; a use
/// the AA refuses for another reason is given back.
async fn request_within_frequency(
    state: &AppState,
    rt: &AaRuntime,
    consent: &AaConsent,
    artefact: &ConsentArtefact,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> ApiResult<FiSession> {
    let period = aa_flow::frequency_period(&consent.aa_frequency_unit, Utc::now());
    if !state
        .store
        .claim_aa_consent_use(&consent.consent_id, &period)
        .await?
    {
        return Err(overused());
    }
    match rt.client.request_fi(artefact, from, to).await {
        Ok(fi) => Ok(fi),
        Err(e) => {
            if e.aa_code() != Some("InvalidConsentUse") {
                state
                    .store
                    .release_aa_consent_use(&consent.consent_id, &period)
                    .await?;
            }
            Err(aa_refusal(e))
        }
    }
}

/// The AA's refusal as the documented error; anything else is the AA being unavailable.
fn aa_refusal(e: ClientError) -> ApiError {
    match e.aa_code() {
        Some("ConsentRevoked") => revoked(),
        Some("InvalidConsentUse") => overused(),
        Some("InvalidDateRange") => invalid_range(),
        Some("InvalidConsentId" | "ConsentNotFound" | "InvalidConsentStatus") => invalid_consent(),
        _ => {
            tracing::warn!(error = %e, "recurring AA pull: the AA failed");
            ApiError::new(
                StatusCode::BAD_GATEWAY,
                "AA_UNAVAILABLE",
                "The Account Aggregator could not be reached. Please retry.",
            )
        }
    }
}

/// The pull's own session: the journey session's link and parameters, the pulled dates.
async fn new_pull_session(
    state: &AppState,
    consent: &AaConsent,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> ApiResult<SessionRow> {
    let origin = state
        .store
        .session(&consent.client_id, &consent.session_id, KIND_SESSION)
        .await?
        .ok_or_else(invalid_consent)?;
    let day = |t: DateTime<Utc>| t.with_timezone(&ist()).date_naive().to_string();
    let id = new_id();
    state
        .store
        .insert_session(&NewSession {
            id: id.clone(),
            client_id: origin.client_id.clone(),
            kind: KIND_SESSION,
            link_id: origin.link_id.clone(),
            from_date: Some(day(from)),
            to_date: Some(day(to)),
            bank_name: origin.bank_name.clone(),
            is_single_account: origin.is_single_account,
            params: origin.params.clone(),
            expires_at: None,
        })
        .await?;
    state
        .store
        .session(&origin.client_id, &id, KIND_SESSION)
        .await?
        .ok_or_else(|| ApiError::internal(&"the new session is gone"))
}
