//! Bounds on request bodies other than file uploads, checked before any handler runs.
//!
//! - Size: a body of a route that takes no file (sessions, webhooks, entities…) is at most
//!   `json_body_limit` bytes (413 `REQUEST_TOO_LARGE`); uploads keep `max_body_bytes`.
//! - Fields: each top-level JSON or form field is at most `json_field_limit` bytes once
//!   serialized (400 `INVALID_REQUEST`), so a 40 MB `metadata` is not stored verbatim.
//! - NUL characters in JSON or form strings (keys too) answer 400 `INVALID_REQUEST` ("Null
//!   characters are not allowed.", as DRF does), the same on SQLite and PostgreSQL, whose text
//!   columns refuse them.

use crate::errors::ApiError;
use crate::state::AppState;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::Value;

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

pub async fn bounded_bodies(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if takes_files(request.uri().path()) {
        return next.run(request).await;
    }
    let limit = state.config.json_body_limit;
    let declared = request
        .headers()
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|len| len > limit) {
        return too_large(limit);
    }
    let content_type = request
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, limit).await else {
        return too_large(limit);
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
