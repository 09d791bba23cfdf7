//! What every AA API call goes through (digest §2.0): the FIU's token in `client_api_key`, its
//! `x-jws-signature` over the body (or, for 1.1.2 GETs, the path), JSON, `ver`, a UUID `txnid`
//! never seen before, a timestamp within 15 minutes; and every answer signed.

use crate::state::Sim;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use ledgerlens_aa::consent::parse_date_time;
use ledgerlens_aa::jws;
use ledgerlens_aa::messages::{timestamp, TIMESTAMP_WINDOW};
use serde_json::{json, Map, Value};

pub const VERSIONS: [&str; 2] = ["1.1.2", "2.0.0"];

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

pub fn err(status: u16, code: &'static str, message: impl Into<String>) -> ApiError {
    ApiError {
        status: StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST),
        code,
        message: message.into(),
    }
}

pub fn invalid(message: impl Into<String>) -> ApiError {
    err(400, "InvalidRequest", message)
}

/// An accepted request.
pub struct Req {
    pub ver: String,
    pub txnid: String,
    pub body: Map<String, Value>,
}

/// Checks the caller's token: signed by the simulated Sahamati issuer, unexpired, for the FIU.
pub fn check_token(sim: &Sim, headers: &HeaderMap) -> Result<(), ApiError> {
    let token = headers
        .get("client_api_key")
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.trim().is_empty())
        .ok_or_else(|| err(401, "Unauthorized", "client_api_key is missing"))?;
    let claims = jws::verify_jwt(token, &sim.config.issuer.public_key())
        .map_err(|e| err(401, "Unauthorized", format!("client_api_key: {e}")))?;
    let exp = claims.get("exp").and_then(Value::as_i64).unwrap_or(0);
    if exp <= Utc::now().timestamp() {
        return Err(err(401, "Unauthorized", "client_api_key has expired"));
    }
    if claims.get("azp").and_then(Value::as_str) != Some(sim.config.fiu_id.as_str()) {
        return Err(invalid("client_api_key is not the FIU's"));
    }
    Ok(())
}

fn check_signature(sim: &Sim, headers: &HeaderMap, signed: &[u8]) -> Result<(), ApiError> {
    let header = headers
        .get("x-jws-signature")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| err(400, "SignatureDoesNotMatch", "x-jws-signature is missing"))?;
    jws::verify_detached(header, signed, &sim.config.fiu_key)
        .map(|_| ())
        .map_err(|e| err(400, "SignatureDoesNotMatch", e.to_string()))
}

/// A POST: token, signature over the body, then the envelope.
/// A refused request, with what was read of it (to echo `ver`/`txnid` in the error).
pub type Refused = Box<(Option<Req>, ApiError)>;

pub fn accept_post(sim: &Sim, headers: &HeaderMap, body: &[u8]) -> Result<Req, Refused> {
    check_token(sim, headers).map_err(|e| Box::new((None, e)))?;
    check_signature(sim, headers, body).map_err(|e| Box::new((None, e)))?;
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| (None, invalid(format!("body is not JSON: {e}"))))?;
    let Value::Object(body) = value else {
        return Err(Box::new((None, invalid("body is not a JSON object"))));
    };
    let text = |name: &str| {
        body.get(name)
            .and_then(Value::as_str)
            .map(str::trim)
            .unwrap_or_default()
            .to_owned()
    };
    let req = Req {
        ver: text("ver"),
        txnid: text("txnid"),
        body: body.clone(),
    };
    if !VERSIONS.contains(&req.ver.as_str()) {
        let message = format!("version {:?} is not supported", req.ver);
        return Err(Box::new((Some(req), err(404, "NoSuchVersion", message))));
    }
    if !is_uuid(&req.txnid) {
        return Err(Box::new((Some(req), invalid("txnid is not a UUID"))));
    }
    let stamp = text("timestamp");
    if parse_date_time(&stamp).is_none_or(|t| (t - Utc::now()).abs() > TIMESTAMP_WINDOW) {
        let message = format!("timestamp {stamp:?} is not within 15 minutes of now");
        return Err(Box::new((Some(req), invalid(message))));
    }
    if !sim.store().txnids.insert(req.txnid.clone()) {
        let e = err(409, "IdempotencyError", "txnid was used before");
        return Err(Box::new((Some(req), e)));
    }
    Ok(req)
}

/// A 1.1.2 GET: token and signature over the path; the AA makes the txnid up.
pub fn accept_get(sim: &Sim, headers: &HeaderMap, path: &str) -> Result<Req, ApiError> {
    check_token(sim, headers)?;
    check_signature(sim, headers, path.as_bytes())?;
    Ok(Req {
        ver: "1.1.2".into(),
        txnid: uuid::Uuid::new_v4().to_string(),
        body: Map::new(),
    })
}

/// The signed answer: envelope members first, then `members`.
pub fn ok(sim: &Sim, req: &Req, members: Value) -> Response {
    let mut body = json!({
        "ver": req.ver,
        "timestamp": timestamp(sim.now_for_peer()),
        "txnid": req.txnid,
    });
    if let (Some(target), Value::Object(extra)) = (body.as_object_mut(), members) {
        for (k, v) in extra {
            target.insert(k, v);
        }
    }
    signed(sim, StatusCode::OK, &body)
}

/// The signed error body (`errorCode`, `errorMsg`), echoing `ver`/`txnid` when known.
pub fn error(sim: &Sim, req: Option<&Req>, e: ApiError) -> Response {
    let body = json!({
        "ver": req.map(|r| r.ver.as_str()).filter(|v| !v.is_empty()).unwrap_or("2.0.0"),
        "timestamp": timestamp(sim.now_for_peer()),
        "txnid": req.map(|r| r.txnid.as_str()).unwrap_or_default(),
        "errorCode": e.code,
        "errorMsg": e.message,
    });
    signed(sim, e.status, &body)
}

pub fn signed(sim: &Sim, status: StatusCode, body: &Value) -> Response {
    let bytes = body.to_string().into_bytes();
    let mut response = (status, bytes.clone()).into_response();
    let headers = response.headers_mut();
    headers.insert("content-type", HeaderValue::from_static("application/json"));
    if let Ok(sig) = sim.signer().sign_detached(&bytes) {
        if let Ok(value) = HeaderValue::from_str(&sig) {
            headers.insert("x-jws-signature", value);
        }
    }
    response
}

pub fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && s.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}
