//! API errors with BankConnect's codes, messages, HTTP statuses and body shapes.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

/// Where the error is reported, which decides the body's shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorShape {
    /// `{"error": {"code", "message"}}`.
    Standard,
    /// The upload API also echoes the ids: `{"session_id", "statement_id", "error": {…}}`.
    Upload {
        session_id: String,
        statement_id: String,
    },
    /// The legacy upload API: `{"entity_id", "message"}`.
    Legacy { entity_id: String },
}

#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub shape: ErrorShape,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            shape: ErrorShape::Standard,
        }
    }

    pub fn bad_request(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, code, message)
    }

    /// DRF-style field error: `INVALID_REQUEST` with "field, reason".
    pub fn invalid_field(field: &str, reason: &str) -> ApiError {
        ApiError::bad_request("INVALID_REQUEST", format!("{field}, {reason}"))
    }

    pub fn session_not_found() -> ApiError {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "SESSION_NOT_FOUND",
            "The provided session ID is invalid",
        )
    }

    pub fn session_deleted() -> ApiError {
        ApiError::new(
            StatusCode::GONE,
            "SESSION_DELETED",
            "The provided session ID has been deleted",
        )
    }

    pub fn processing_not_requested() -> ApiError {
        ApiError::bad_request(
            "PROCESSING_NOT_REQUESTED",
            "Cannot proceed as the processing has not been requested yet",
        )
    }

    pub fn processing_not_completed() -> ApiError {
        ApiError::bad_request(
            "PROCESSING_NOT_COMPLETED",
            "The processing for this session is currently in progress",
        )
    }

    pub fn duplicate_processing_request() -> ApiError {
        ApiError::new(
            StatusCode::CONFLICT,
            "DUPLICATE_PROCESSING_REQUEST",
            "Request for processing have already been initiated",
        )
    }

    pub fn unauthenticated() -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "AUTHENTICATION_CREDENTIALS_NOT_PROVIDED",
            "Authentication credentials were not provided.",
        )
    }

    pub fn access_denied() -> ApiError {
        ApiError::new(
            StatusCode::FORBIDDEN,
            "ACCESS_DENIED",
            "Authentication credentials were not provided",
        )
    }

    pub fn not_found(message: &str) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "NOT_FOUND", message)
    }

    pub fn method_not_allowed(method: &str) -> ApiError {
        ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "METHOD_NOT_ALLOWED",
            format!("Method {method} not allowed."),
        )
    }

    pub fn unsupported_media_type(content_type: &str) -> ApiError {
        ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UNSUPPORTED_MEDIA_TYPE",
            format!("Unsupported media type `{content_type}`"),
        )
    }

    pub fn payload_too_large(limit_bytes: usize) -> ApiError {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "FILE_TOO_LARGE",
            format!(
                "The request body exceeds the limit of {} MB",
                limit_bytes / (1024 * 1024)
            ),
        )
    }

    /// A failure of ours. The cause is logged, never sent to the client.
    pub fn internal(cause: &dyn std::fmt::Display) -> ApiError {
        tracing::error!(error = %cause, "internal error");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL_ERROR",
            "Something went wrong, please retry",
        )
    }

    pub fn with_shape(mut self, shape: ErrorShape) -> ApiError {
        self.shape = shape;
        self
    }

    pub fn body(&self) -> Value {
        let error = json!({"code": self.code, "message": self.message});
        match &self.shape {
            ErrorShape::Standard if self.status == StatusCode::UNAUTHORIZED => {
                // The legacy docs promise DRF's `detail` for 401; the session docs the error object.
                json!({"detail": self.message, "error": error})
            }
            ErrorShape::Standard => json!({"error": error}),
            ErrorShape::Upload {
                session_id,
                statement_id,
            } => {
                json!({"session_id": session_id, "statement_id": statement_id, "error": error})
            }
            ErrorShape::Legacy { entity_id } => {
                json!({"entity_id": entity_id, "message": self.message, "code": self.code})
            }
        }
    }
}

impl From<ledgerlens_store::StoreError> for ApiError {
    fn from(e: ledgerlens_store::StoreError) -> Self {
        ApiError::internal(&e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body())).into_response()
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
