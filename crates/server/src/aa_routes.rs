//! HTTP side of `mode=aa`: the journey's AA path (mobile number → the AA's approval page →
//! back here → progress, or PDF upload after a decline) and the FIU callbacks the AA calls
//! (`{public}/aa/Consent/Notification`, `{public}/aa/FI/Notification`), validated as the
//! certification rules require and answered with signed bodies.

use crate::http_contract::public_base;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use chrono::Utc;
use ledgerlens_aa::notifications::{self, ConsentStatus, Rejection};
use ledgerlens_processing::aa_flow::{self, AaRuntime, AaStage};
use ledgerlens_store::sessions::SessionRow;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/aa/journey/{session_id}",
            get(journey_page).post(journey_submit),
        )
        .route("/aa/return/{session_id}", get(journey_return))
        .route("/aa/Consent/Notification", post(consent_notification))
        .route("/aa/FI/Notification", post(fi_notification))
}

/// The URL `create_session` hands out for `mode=aa` sessions when an AA is configured.
pub fn journey_url(state: &AppState, headers: &HeaderMap, session_id: &str) -> Option<String> {
    aa_flow::runtime()?;
    Some(format!(
        "{}/aa/journey/{session_id}?token={}",
        public_base(&state.config, headers),
        state.links.journey_token(session_id)
    ))
}

#[derive(Deserialize)]
struct TokenQuery {
    #[serde(default)]
    token: String,
}

/// The session a journey link names, if the link is its own and the session still takes data.
/// `returning`: the borrower's way back from the AA, which may arrive after the AA's own
/// notification has already fetched the data and queued processing; that session is still theirs.
async fn authorised_session(
    state: &AppState,
    session_id: &str,
    token: &str,
    returning: bool,
) -> Result<(SessionRow, &'static AaRuntime), Response> {
    let Some(rt) = aa_flow::runtime() else {
        return Err(page(
            StatusCode::NOT_FOUND,
            "Account Aggregator is not configured.",
            "",
        ));
    };
    if !state.links.journey_token_matches(session_id, token) {
        return Err(page(StatusCode::FORBIDDEN, "This link is not valid.", ""));
    }
    match state.store.session_by_id(session_id).await {
        Ok(Some(s))
            if s.deleted_at.is_none() && (returning || s.processing_requested_at.is_none()) =>
        {
            Ok((s, rt))
        }
        Ok(_) => Err(page(
            StatusCode::GONE,
            "This session no longer accepts data.",
            "",
        )),
        Err(e) => {
            tracing::error!(error = %e, "AA journey: loading the session");
            Err(page(
                StatusCode::SERVICE_UNAVAILABLE,
                "Please try again shortly.",
                "",
            ))
        }
    }
}

fn params(session: &SessionRow) -> serde_json::Value {
    serde_json::from_str(&session.params).unwrap_or_default()
}

/// Mobile number form; with a prefilled, non-editable number it goes straight to the AA.
async fn journey_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(session_id): Path<String>,
    Query(q): Query<TokenQuery>,
) -> Response {
    let (session, rt) = match authorised_session(&state, &session_id, &q.token, false).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let p = params(&session);
    let mobile = p["mobile_number"]
        .as_str()
        .map(normalise_mobile)
        .unwrap_or_default();
    let editable = p["is_mobile_field_editable"].as_bool().unwrap_or(false);
    if !mobile.is_empty() && !editable {
        return go_to_aa(&state, &headers, rt, &session, &mobile, &q.token).await;
    }
    let form = format!(
        "<form method=\"post\"><label>Mobile number registered with your Account Aggregator \
         <input name=\"mobile_number\" id=\"mobile_number\" value=\"{}\" inputmode=\"numeric\"></label> \
         <button id=\"continue\">Continue</button></form>",
        esc(&mobile)
    );
    page(StatusCode::OK, "Share your bank statement", &form)
}

async fn journey_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(session_id): Path<String>,
    Query(q): Query<TokenQuery>,
    body: Bytes,
) -> Response {
    let (session, rt) = match authorised_session(&state, &session_id, &q.token, false).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let mobile = url::form_urlencoded::parse(&body)
        .find(|(k, _)| k == "mobile_number")
        .map(|(_, v)| normalise_mobile(&v))
        .unwrap_or_default();
    if mobile.len() != 10 || !mobile.starts_with(['6', '7', '8', '9']) {
        return page(StatusCode::BAD_REQUEST, "Invalid mobile number.", "");
    }
    go_to_aa(&state, &headers, rt, &session, &mobile, &q.token).await
}

fn normalise_mobile(raw: &str) -> String {
    let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
    match digits.len() {
        12 if digits.starts_with("91") => digits[2..].to_owned(),
        _ => digits,
    }
}

async fn go_to_aa(
    state: &AppState,
    headers: &HeaderMap,
    rt: &AaRuntime,
    session: &SessionRow,
    mobile: &str,
    token: &str,
) -> Response {
    let return_url = format!(
        "{}/aa/return/{}?token={token}",
        public_base(&state.config, headers),
        session.id
    );
    match aa_flow::start_consent(&state.processing, rt, session, mobile, &return_url).await {
        Ok(url) => redirect(&url),
        Err(e) => {
            tracing::warn!(session = %session.id, error = %e, "AA consent request failed");
            let upload = pdf_link(state, headers, &session.id);
            page(
                StatusCode::BAD_GATEWAY,
                "The Account Aggregator could not be reached.",
                &format!(
                    "<p><a id=\"upload-pdf\" href=\"{}\">Upload a PDF statement instead</a></p>",
                    esc(&upload)
                ),
            )
        }
    }
}

fn pdf_link(state: &AppState, headers: &HeaderMap, session_id: &str) -> String {
    format!(
        "{}/?session_id={session_id}&token={}",
        public_base(&state.config, headers),
        state.links.journey_token(session_id)
    )
}

#[derive(Deserialize)]
struct ReturnQuery {
    #[serde(default)]
    token: String,
    /// The simulator shortcut's result in clear (no redirection secret configured).
    #[serde(default)]
    status: String,
    /// The web redirection's result: `fi`, `resdate`, `ecres`.
    fi: Option<String>,
    resdate: Option<String>,
    ecres: Option<String>,
}

/// The AA's answer: with a redirection secret, `ecres` must decrypt, come from our AA within
/// 180 s and carry the `txnid` and session we sent; without one, the clear `status`.
fn approved_by_return(
    rt: &AaRuntime,
    session_id: &str,
    q: &ReturnQuery,
) -> Result<bool, ledgerlens_aa::redirection::RedirectError> {
    let Some(secret) = &rt.settings.redirect_secret else {
        return Ok(q.status == "S");
    };
    let answer = ledgerlens_aa::redirection::open_response(
        &rt.settings.fiu.aa_id,
        secret,
        q.fi.as_deref(),
        q.resdate.as_deref(),
        q.ecres.as_deref(),
        Utc::now(),
    )?;
    use ledgerlens_aa::redirection::RedirectError::Mismatch;
    if answer.sessionid != session_id {
        return Err(Mismatch("sessionid"));
    }
    let sent = rt.session(session_id).and_then(|s| s.redirect_txnid);
    if sent.as_deref() != Some(answer.txnid.as_str()) {
        return Err(Mismatch("txnid"));
    }
    Ok(answer.approved())
}

/// Back from the AA. Approval is only a hint (the signed status call decides); a decline
/// offers the PDF upload instead; an answer that does not check out is refused.
async fn journey_return(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(session_id): Path<String>,
    Query(q): Query<ReturnQuery>,
) -> Response {
    let (session, rt) = match authorised_session(&state, &session_id, &q.token, true).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    // The journey may have begun on another server sharing the database: its txnid is there.
    let _ = aa_flow::session_state(&state.processing, rt, &session.id).await;
    let approved = match approved_by_return(rt, &session.id, &q) {
        Ok(approved) => approved,
        Err(e) => {
            tracing::warn!(session = %session.id, error = %e, "AA redirection answer refused");
            let upload = pdf_link(&state, &headers, &session.id);
            return page(
                StatusCode::BAD_REQUEST,
                "The Account Aggregator's answer could not be verified.",
                &format!(
                    "<p id=\"unverified\">Please start again, or upload a PDF statement.</p><p><a id=\"upload-pdf\" href=\"{}\">Upload PDF</a></p>",
                    esc(&upload)
                ),
            );
        }
    };
    let already_fetched = session.processing_requested_at.is_some();
    if already_fetched && !approved {
        return page(StatusCode::GONE, "This session no longer accepts data.", "");
    }
    if !approved {
        aa_flow::reject(&state.processing, rt, &session.id).await;
        let upload = pdf_link(&state, &headers, &session.id);
        return page(
            StatusCode::OK,
            "Consent not given",
            &format!("<p id=\"declined\">You can upload a PDF statement instead.</p><p><a id=\"upload-pdf\" href=\"{}\">Upload PDF</a></p>", esc(&upload)),
        );
    }
    if !already_fetched {
        aa_flow::spawn_fetch(state.processing.clone(), session.id.clone());
    }
    let next = params(&session)["redirect_url"].as_str().map(str::to_owned);
    let link = next
        .map(|u| {
            format!(
                "<p><a id=\"continue\" href=\"{}\">Continue</a></p>",
                esc(&u)
            )
        })
        .unwrap_or_default();
    page(
        StatusCode::OK,
        "Thank you",
        &format!("<p id=\"fetching\">Your bank statement is being fetched through your Account Aggregator.</p>{link}"),
    )
}

fn redirect(url: &str) -> Response {
    match HeaderValue::from_str(url) {
        Ok(v) => (StatusCode::SEE_OTHER, [(header::LOCATION, v)]).into_response(),
        Err(_) => page(
            StatusCode::BAD_GATEWAY,
            "The Account Aggregator gave an unusable address.",
            "",
        ),
    }
}

fn page(status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" \
         content=\"width=device-width\"><title>{0}</title></head><body><h1>{0}</h1>{1}</body></html>",
        esc(title),
        body
    );
    (status, Html(html)).into_response()
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

// ---- FIU callbacks ----

/// 401 unless `aa_api_key` is a token the issuer made for the AA that owns our consents.
fn check_api_key(rt: &AaRuntime, headers: &HeaderMap) -> Result<(), Rejection> {
    let unauthorised = |m: &str| Rejection {
        http_status: 401,
        error_code: "Unauthorized",
        message: m.to_owned(),
    };
    let token = headers
        .get("aa_api_key")
        .and_then(|v| v.to_str().ok())
        .filter(|t| !t.trim().is_empty())
        .ok_or_else(|| unauthorised("aa_api_key is missing"))?;
    let Some(issuer) = &rt.settings.issuer_key else {
        return Ok(());
    };
    let claims = ledgerlens_aa::jws::verify_jwt(token, issuer)
        .map_err(|e| unauthorised(&format!("aa_api_key: {e}")))?;
    if claims["exp"].as_i64().unwrap_or(0) <= Utc::now().timestamp() {
        return Err(unauthorised("aa_api_key has expired"));
    }
    if claims["azp"].as_str() != Some(rt.settings.fiu.aa_id.as_str()) {
        return Err(Rejection {
            http_status: 400,
            error_code: "InvalidRequest",
            message: "aa_api_key belongs to another entity".into(),
        });
    }
    Ok(())
}

fn answer(rt: &AaRuntime, body: &[u8], result: Result<(), Rejection>) -> Response {
    let request: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
    let ver = request["ver"].as_str().unwrap_or("2.0.0");
    let txnid = request["txnid"].as_str().unwrap_or_default();
    let now = Utc::now();
    let (status, bytes) = match &result {
        Ok(()) => (200, notifications::ack_body(ver, txnid, now)),
        Err(r) => {
            tracing::info!(code = r.error_code, "AA callback refused");
            (r.http_status, notifications::error_body(ver, txnid, now, r))
        }
    };
    let mut response = (
        StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST),
        [(header::CONTENT_TYPE, "application/json")],
        bytes.clone(),
    )
        .into_response();
    if let Ok(sig) = rt.signer.sign_detached(&bytes) {
        if let Ok(v) = HeaderValue::from_str(&sig) {
            response.headers_mut().insert("x-jws-signature", v);
        }
    }
    response
}

fn not_configured() -> Response {
    (
        StatusCode::NOT_FOUND,
        "Account Aggregator is not configured",
    )
        .into_response()
}

async fn consent_notification(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(rt) = aa_flow::runtime() else {
        return not_configured();
    };
    let result = handle_consent(&state, rt, &headers, &body).await;
    answer(rt, &body, result)
}

async fn handle_consent(
    state: &AppState,
    rt: &AaRuntime,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<(), Rejection> {
    check_api_key(rt, headers)?;
    let sig = headers.get("x-jws-signature").and_then(|v| v.to_str().ok());
    notifications::check_signature(sig, body, &rt.settings.aa_key)?;
    let n = notifications::read_consent_notification(body, &rt.settings.fiu.aa_id, Utc::now())?;
    let session = match n.consent_handle.as_deref() {
        Some(h) => aa_flow::session_state_by_handle(&state.processing, rt, h).await,
        None => None,
    };
    let session = session.ok_or_else(|| Rejection {
        http_status: 400,
        error_code: "InvalidRequest",
        message: "unknown consent handle".into(),
    })?;
    if let (Some(id), Some(known)) = (&n.consent_id, &session.consent_id) {
        if id != known {
            return Err(Rejection {
                http_status: 400,
                error_code: "InvalidConsentId",
                message: "consentId does not match the handle's".into(),
            });
        }
    }
    match n.status {
        ConsentStatus::Active => aa_flow::spawn_fetch(state.processing.clone(), session.session_id),
        ConsentStatus::Rejected => {
            aa_flow::reject(&state.processing, rt, &session.session_id).await
        }
        // Revoked/paused/expired after the one-time fetch change nothing for this session; a
        // fetch still running sees the artefact's status.
        _ => {}
    }
    Ok(())
}

async fn fi_notification(
    State(_state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(rt) = aa_flow::runtime() else {
        return not_configured();
    };
    let result = handle_fi(rt, &headers, &body).await;
    answer(rt, &body, result)
}

async fn handle_fi(rt: &AaRuntime, headers: &HeaderMap, body: &[u8]) -> Result<(), Rejection> {
    check_api_key(rt, headers)?;
    let sig = headers.get("x-jws-signature").and_then(|v| v.to_str().ok());
    notifications::check_signature(sig, body, &rt.settings.aa_key)?;
    let n = notifications::read_fi_notification(body, &rt.settings.fiu.aa_id, Utc::now())?;
    // The AA may notify before its /FI/request answer has reached us (the session id is
    // only learnt from that answer): give it a moment before calling the id unknown.
    let mut session = rt.session_by_fi_session(&n.session_id);
    for _ in 0..20 {
        if session.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        session = rt.session_by_fi_session(&n.session_id);
    }
    let session = session.ok_or_else(|| Rejection {
        http_status: 400,
        error_code: "InvalidSessionId",
        message: "unknown sessionId".into(),
    })?;
    // The fetch loop polls on its own; the notification is logged for operators. A stage
    // other than Fetching means the data has been handled already (duplicates are fine).
    tracing::info!(
        session = %session.session_id,
        status = ?n.session_status,
        fetching = session.stage == AaStage::Fetching,
        "FI notification"
    );
    Ok(())
}
