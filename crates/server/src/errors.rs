//! API errors as HTTP answers. The codes, messages, statuses and body shapes are
//! ledgerlens-contract's ([`ledgerlens_contract::errors`]); this adds headers and logging.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use ledgerlens_contract::errors::{self as documented, DocumentedError};
use serde_json::Value;

pub use ledgerlens_contract::errors::ErrorShape;

#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub shape: ErrorShape,
    /// What exactly was wrong ("server-hash header missing", where the JSON breaks), sent as
    /// the `x-error-hint` header: the documented body keeps its documented message.
    pub hint: Option<String>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            shape: ErrorShape::Standard,
            hint: None,
        }
    }

    pub fn bad_request(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, code, message)
    }

    /// A documented row, as is.
    pub fn documented(row: DocumentedError) -> ApiError {
        let status = StatusCode::from_u16(row.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        ApiError::new(status, row.code, row.message)
    }

    /// DRF-style field error: `INVALID_REQUEST` with "field, reason".
    pub fn invalid_field(field: &str, reason: &str) -> ApiError {
        ApiError::bad_request(
            documented::INVALID_REQUEST,
            documented::invalid_field_message(field, reason),
        )
    }

    pub fn session_not_found() -> ApiError {
        ApiError::documented(documented::SESSION_NOT_FOUND)
    }

    pub fn session_deleted() -> ApiError {
        ApiError::documented(documented::SESSION_DELETED)
    }

    pub fn processing_not_requested() -> ApiError {
        ApiError::documented(documented::PROCESSING_NOT_REQUESTED)
    }

    pub fn processing_not_completed() -> ApiError {
        ApiError::documented(documented::PROCESSING_NOT_COMPLETED)
    }

    pub fn duplicate_processing_request() -> ApiError {
        ApiError::documented(documented::DUPLICATE_PROCESSING_REQUEST)
    }

    pub fn unauthenticated() -> ApiError {
        ApiError::documented(documented::AUTHENTICATION_CREDENTIALS_NOT_PROVIDED)
    }

    pub fn access_denied() -> ApiError {
        ApiError::documented(documented::ACCESS_DENIED)
    }

    pub fn not_found(message: &str) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, documented::NOT_FOUND.code, message)
    }

    pub fn method_not_allowed(method: &str) -> ApiError {
        ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            documented::METHOD_NOT_ALLOWED,
            documented::method_not_allowed_message(method),
        )
    }

    pub fn unsupported_media_type(content_type: &str) -> ApiError {
        ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            documented::UNSUPPORTED_MEDIA_TYPE,
            documented::unsupported_media_type_message(content_type),
        )
    }

    pub fn payload_too_large(limit_bytes: usize) -> ApiError {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            documented::FILE_TOO_LARGE,
            documented::file_too_large_message(limit_bytes),
        )
    }

    /// A failure of ours. The cause is logged, never sent to the client.
    pub fn internal(cause: &dyn std::fmt::Display) -> ApiError {
        tracing::error!(error = %cause, "internal error");
        ApiError::documented(documented::INTERNAL_ERROR)
    }

    /// Each API answers with its own table's wording of the session errors
    /// ([`documented::capital_session_id`]).
    pub fn with_capital_session_id(mut self) -> ApiError {
        if let Some(message) = documented::capital_session_id(self.code, &self.message) {
            self.message = message;
        }
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> ApiError {
        self.hint = Some(hint.into());
        self
    }

    pub fn with_shape(mut self, shape: ErrorShape) -> ApiError {
        self.shape = shape;
        self
    }

    pub fn body(&self) -> Value {
        documented::error_body(self.status.as_u16(), self.code, &self.message, &self.shape)
    }
}

/// No parse slot within `parse_queue_wait`: 503 SERVER_BUSY.
impl From<ledgerlens_processing::parse_budget::Busy> for ApiError {
    fn from(busy: ledgerlens_processing::parse_budget::Busy) -> Self {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "SERVER_BUSY",
            busy.to_string(),
        )
    }
}

impl From<ledgerlens_store::StoreError> for ApiError {
    fn from(e: ledgerlens_store::StoreError) -> Self {
        if e.is_unavailable() {
            // A database restart or a cut connection: clients retry a 503 (Retry-After is added
            // by the throttle layer), where a 500 reads as a bug.
            tracing::warn!(error = %e, "database unavailable");
            return ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "SERVER_BUSY",
                "The service is briefly unavailable, retry in a few seconds",
            );
        }
        ApiError::internal(&e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        // Every refusal is logged inside the request's span (which carries its request id), by
        // code only: messages can echo what the client sent (a bank name, a field value).
        if self.status.is_client_error() {
            tracing::info!(
                status = self.status.as_u16(),
                code = self.code,
                hint = self.hint.as_deref().unwrap_or(""),
                "request refused"
            );
        }
        let mut response = (self.status, Json(self.body())).into_response();
        let hint = self
            .hint
            .as_deref()
            .and_then(|h| axum::http::HeaderValue::from_str(h).ok());
        if let Some(hint) = hint {
            response.headers_mut().insert("x-error-hint", hint);
        }
        response
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
