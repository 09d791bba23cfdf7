//! Bounds on request bodies other than file uploads, checked before any handler runs.
//!
//! - Size: a body of a route that takes no file (sessions, webhooks, entities…) is at most
//!   `json_body_limit` bytes (413 `REQUEST_TOO_LARGE`); uploads keep `max_body_bytes`.
//! - Fields: each top-level JSON or form field is at most `json_field_limit` bytes once
//!   serialized (400 `INVALID_REQUEST`), so a 40 MB `metadata` is not stored verbatim.
//! - NUL characters in JSON or form strings (keys too) answer 400 `INVALID_REQUEST` ("Null
//!   characters are not allowed.", as DRF does), the same on SQLite and PostgreSQL, whose text
//!   columns refuse them.
//!
//! An oversized body is read to its end (discarded, bounded in size and time) before the 413
//! goes out: a server that answers and closes while the client is still writing makes the
//! client's write fail with a broken pipe, and the client never sees the 413.

use crate::errors::ApiError;
use crate::state::AppState;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;
use serde_json::Value;
use std::time::Duration;

/// Reads a request body to its end without keeping it, for at most `within`.
pub(crate) async fn discard_body(mut body: Body, within: Duration) {
    let _ = tokio::time::timeout(within, async {
        while let Some(frame) = body.frame().await {
            if frame.is_err() {
                break;
            }
        }
    })
    .await;
}

/// Routes whose bodies carry files keep the upload limit.
fn takes_files(path: &str) -> bool {
    path.contains("upload")
}

fn too_large(limit: usize) -> Response {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "REQUEST_TOO_LARGE",
        format!("The request body exceeds the limit of {} KB", limit / 1024),
    )
    .into_response()
}

fn nul() -> Response {
    ApiError::bad_request("INVALID_REQUEST", "Null characters are not allowed.").into_response()
}

fn field_too_long(field: &str, limit: usize) -> Response {
    // The field name is the client's own input: shown only when short and printable.
    let shown: String = if field.len() <= 64 && !field.chars().any(char::is_control) {
        field.to_owned()
    } else {
        "field".to_owned()
    };
    ApiError::invalid_field(
        &shown,
        &format!("Ensure this field has no more than {limit} characters."),
    )
    .into_response()
}

fn has_nul(value: &Value) -> bool {
    match value {
        Value::String(s) => s.contains('\0'),
        Value::Array(items) => items.iter().any(has_nul),
        Value::Object(map) => map.iter().any(|(k, v)| k.contains('\0') || has_nul(v)),
        _ => false,
    }
}

/// Checks a buffered JSON or form body; `Some` is the refusal.
fn check(content_type: &str, bytes: &[u8], field_limit: usize) -> Option<Response> {
    if content_type.starts_with("application/json") {
        // Not JSON: the handler answers its own error.
        let value: Value = serde_json::from_slice(bytes).ok()?;
        if has_nul(&value) {
            return Some(nul());
        }
        if let Value::Object(map) = &value {
            for (key, field) in map {
                let size = match field {
                    Value::String(s) => s.len(),
                    other => serde_json::to_string(other).map_or(usize::MAX, |t| t.len()),
                };
                if size > field_limit {
                    return Some(field_too_long(key, field_limit));
                }
            }
        }
    } else if content_type.starts_with("application/x-www-form-urlencoded") {
        for (key, field) in url::form_urlencoded::parse(bytes) {
            if key.contains('\0') || field.contains('\0') {
                return Some(nul());
            }
            if field.len() > field_limit {
                return Some(field_too_long(&key, field_limit));
            }
        }
    } else if bytes.contains(&0) && content_type.starts_with("multipart/form-data") {
        // Non-file routes take multipart text fields only: a NUL byte is in one of them.
        return Some(nul());
    }
    None
}

/// What reading a body under a size limit gave.
enum Read {
    Within(Vec<u8>),
    /// Over the limit; the rest was read and discarded.
    TooLarge,
    /// The client broke off the body (a disconnect or a malformed chunk).
    Broken,
}

/// Reads `body` up to `limit` bytes; past it, discards the rest (for at most `drain_time`) so
/// that the client finishes writing and reads the refusal instead of a reset connection.
async fn read_bounded(mut body: Body, limit: usize, drain_time: Duration) -> Read {
    let mut kept = Vec::new();
    while let Some(frame) = body.frame().await {
        let Ok(frame) = frame else {
            return Read::Broken;
        };
        let Ok(data) = frame.into_data() else {
            continue; // trailers
        };
        if kept.len().saturating_add(data.len()) > limit {
            discard_body(body, drain_time).await;
            return Read::TooLarge;
        }
        kept.extend_from_slice(&data);
    }
    Read::Within(kept)
}

pub async fn bounded_bodies(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if takes_files(request.uri().path()) {
        return next.run(request).await;
    }
    let limit = state.config.json_body_limit;
    // Draining is bounded by what an upload may send anyway.
    let drain_bound = state.config.max_body_bytes.max(limit);
    let drain_time = state.config.request_timeout;
    let declared = request
        .headers()
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if let Some(len) = declared.filter(|len| *len > limit) {
        // Beyond the drain bound not worth reading: answered at once, the connection closes.
        if len <= drain_bound {
            discard_body(request.into_body(), drain_time).await;
        }
        return too_large(limit);
    }
    let content_type = request
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let (parts, body) = request.into_parts();
    let bytes = match read_bounded(body, limit, drain_time).await {
        Read::Within(bytes) => bytes,
        Read::TooLarge => return too_large(limit),
        Read::Broken => {
            return ApiError::bad_request("INVALID_REQUEST", "The request body could not be read.")
                .into_response()
        }
    };
    if let Some(refused) = check(&content_type, &bytes, state.config.json_field_limit) {
        return refused;
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_nul_and_long_fields() {
        let json = "application/json";
        assert!(check(json, br#"{"link_id": "a\u0000b"}"#, 100).is_some());
        assert!(check(json, br#"{"a\u0000": 1}"#, 100).is_some());
        assert!(check(json, br#"{"m": {"x": ["\u0000"]}}"#, 100).is_some());
        assert!(check(json, br#"{"link_id": "ab", "n": [1, 2]}"#, 100).is_none());
        assert!(check(json, br#"not json"#, 100).is_none());
        let long = format!(r#"{{"metadata": {{"k": "{}"}}}}"#, "x".repeat(200));
        assert!(check(json, long.as_bytes(), 100).is_some());
        let form = "application/x-www-form-urlencoded";
        assert!(check(form, b"link_id=a%00b", 100).is_some());
        assert!(check(form, b"link_id=ab", 100).is_none());
        assert!(check(form, format!("m={}", "x".repeat(200)).as_bytes(), 100).is_some());
        assert!(check("multipart/form-data; boundary=x", b"a\0b", 100).is_some());
    }
}
