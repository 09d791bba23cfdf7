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
            // Seed 002's matrix, verbatim (no full stop; DRF's `detail` has one).
            "Authentication credentials were not provided",
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

    /// Seed 001 writes "The provided Session ID is invalid / has been deleted" for the identity,
    /// transactions, predictors, EOD, monthly, recurring, Excel and PDF APIs (and seed 000's
    /// upload sample), but "session ID" for initiate_processing, progress, session_status and
    /// insights: each API answers with its own table's wording.
    pub fn with_capital_session_id(mut self) -> ApiError {
        if matches!(self.code, "SESSION_NOT_FOUND" | "SESSION_DELETED") {
            self.message = self.message.replace("session ID", "Session ID");
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
        let error = json!({"code": self.code, "message": self.message});
        match &self.shape {
            ErrorShape::Standard if self.status == StatusCode::UNAUTHORIZED => {
                // The legacy docs promise DRF's `detail` for 401; the session docs the error object.
                let detail = if self.message.ends_with('.') {
                    self.message.clone()
                } else {
                    format!("{}.", self.message)
                };
                json!({"detail": detail, "error": error})
            }
            // Django REST framework's 404 body, as the legacy docs show it.
            ErrorShape::Standard if self.code == "NOT_FOUND" => json!({"detail": self.message}),
            ErrorShape::Standard => json!({"error": error}),
            ErrorShape::Upload {
                session_id,
                statement_id,
            } => {
                json!({"session_id": session_id, "statement_id": statement_id, "error": error})
            }
            ErrorShape::Legacy { entity_id } => self.legacy_body(entity_id),
        }
    }
}

impl ApiError {
    /// The legacy upload APIs' bodies, "Bad Request Cases" of
    /// bank-connect-legacy/upload-rest-api.md: field errors as `{"<field>": [message],
    /// "status": 0}`, statement errors as `{entity_id, message, status}` with the documented
    /// status value and wording.
    fn legacy_body(&self, entity_id: &str) -> Value {
        // The same page says an entity is created and its id "always given in response", even
        // when the upload fails: field errors carry it too once the entity exists.
        let field = |name: &str, message: &str| {
            let mut body = json!({name: [message], "status": 0});
            if !entity_id.is_empty() {
                body["entity_id"] = json!(entity_id);
            }
            body
        };
        let statement = |status: u8, message: &str| json!({"entity_id": entity_id, "message": message, "status": status});
        match self.code {
            "MISSING_FILE_OBJECT" => field("file", "This field is required."),
            "INVALID_BASE_64" | "EMPTY_FILE" | "INVALID_FILE_URL" => field("file", &self.message),
            "INVALID_FILE_OBJECT" if self.message.starts_with("This field must be") => {
                field("file", &self.message)
            }
            "INVALID_BANK_NAME" => field("bank_name", &self.message),
            "TRIAL_PERIOD_EXPIRED" => json!({"message": self.message, "status": 2}),
            "PASSWORD_INCORRECT" => statement(3, "Password incorrect"),
            // "Not axis statement" (the session flow says "Not axis bank statement").
            "BANK_NAME_MISMATCH" => statement(
                4,
                &self.message.replace(" bank statement", " statement"),
            ),
            "BANK_NAME_UNDETECTED" => statement(5, &self.message),
            "PDF_IS_IMAGE" | "INVALID_FILE_OBJECT" | "EXTRACTION_FAILED" => {
                statement(6, "PDF is not parsable")
            }
            "STATEMENT_UNSUPPORTED_FORMAT" | "STATEMENT_NO_TRANSACTIONS" => statement(
                7,
                "Unsupported Bank Statement Format. It should have balance, date and amount columns.",
            ),
            // Not in the legacy table (duplicates, date range, …): the same shape, status 0.
            _ => statement(0, &self.message),
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
