//! BankConnect's error answers: the documented codes with their HTTP status and message, and
//! the body shapes each API family uses. The server adds transport (headers, logging) only.

use ledgerlens_statement::ErrorKind;
use serde_json::{json, Value};

/// One documented error row: HTTP status, code, message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocumentedError {
    pub status: u16,
    pub code: &'static str,
    pub message: &'static str,
}

const fn row(status: u16, code: &'static str, message: &'static str) -> DocumentedError {
    DocumentedError {
        status,
        code,
        message,
    }
}

pub const SESSION_NOT_FOUND: DocumentedError = row(
    404,
    "SESSION_NOT_FOUND",
    "The provided session ID is invalid",
);
pub const SESSION_DELETED: DocumentedError = row(
    410,
    "SESSION_DELETED",
    "The provided session ID has been deleted",
);
pub const PROCESSING_NOT_REQUESTED: DocumentedError = row(
    400,
    "PROCESSING_NOT_REQUESTED",
    "Cannot proceed as the processing has not been requested yet",
);
pub const PROCESSING_NOT_COMPLETED: DocumentedError = row(
    400,
    "PROCESSING_NOT_COMPLETED",
    "The processing for this session is currently in progress",
);
pub const DUPLICATE_PROCESSING_REQUEST: DocumentedError = row(
    409,
    "DUPLICATE_PROCESSING_REQUEST",
    "Request for processing have already been initiated",
);
/// Seed 002's matrix, verbatim (no full stop; DRF's `detail` has one).
pub const AUTHENTICATION_CREDENTIALS_NOT_PROVIDED: DocumentedError = row(
    401,
    "AUTHENTICATION_CREDENTIALS_NOT_PROVIDED",
    "Authentication credentials were not provided",
);
pub const ACCESS_DENIED: DocumentedError = row(
    403,
    "ACCESS_DENIED",
    "Authentication credentials were not provided",
);
/// DRF's 404 detail, as the legacy docs show it.
pub const NOT_FOUND: DocumentedError = row(404, "NOT_FOUND", "Not found.");
pub const INTERNAL_ERROR: DocumentedError =
    row(500, "INTERNAL_ERROR", "Something went wrong, please retry");

/// Codes whose message carries a value (the method, the media type, the limit, the field).
pub const INVALID_REQUEST: &str = "INVALID_REQUEST";
pub const METHOD_NOT_ALLOWED: &str = "METHOD_NOT_ALLOWED";
pub const UNSUPPORTED_MEDIA_TYPE: &str = "UNSUPPORTED_MEDIA_TYPE";
pub const FILE_TOO_LARGE: &str = "FILE_TOO_LARGE";

pub fn method_not_allowed_message(method: &str) -> String {
    format!("Method {method} not allowed.")
}

pub fn unsupported_media_type_message(content_type: &str) -> String {
    format!("Unsupported media type `{content_type}`")
}

pub fn file_too_large_message(limit_bytes: usize) -> String {
    format!(
        "The request body exceeds the limit of {} MB",
        limit_bytes / (1024 * 1024)
    )
}

/// The code an engine failure is reported with (seed 000's upload table). The statement engine
/// names its failures in its own terms; they become BankConnect codes only here.
/// `EXTRACTION_FAILED` (a file over the parser's limits) is this server's own, undocumented.
pub fn statement_error_code(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::PasswordIncorrect => "PASSWORD_INCORRECT",
        ErrorKind::InvalidFile => "INVALID_FILE_OBJECT",
        ErrorKind::PdfIsImage => "PDF_IS_IMAGE",
        ErrorKind::UnsupportedFormat => "STATEMENT_UNSUPPORTED_FORMAT",
        ErrorKind::NoTransactions => "STATEMENT_NO_TRANSACTIONS",
        ErrorKind::BankUndetected => "BANK_NAME_UNDETECTED",
        ErrorKind::BankMismatch => "BANK_NAME_MISMATCH",
        ErrorKind::TooManyPages => "STATEMENT_TOO_MANY_PAGES",
        ErrorKind::ExtractionFailed => "EXTRACTION_FAILED",
    }
}

/// DRF-style field error message: "field, reason".
pub fn invalid_field_message(field: &str, reason: &str) -> String {
    format!("{field}, {reason}")
}

/// Seed 001 writes "The provided Session ID is invalid / has been deleted" for the identity,
/// transactions, predictors, EOD, monthly, recurring, Excel and PDF APIs (and seed 000's
/// upload sample), but "session ID" for initiate_processing, progress, session_status and
/// insights: each API answers with its own table's wording.
pub fn capital_session_id(code: &str, message: &str) -> Option<String> {
    matches!(code, "SESSION_NOT_FOUND" | "SESSION_DELETED")
        .then(|| message.replace("session ID", "Session ID"))
}

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

/// The documented body of an error answer.
pub fn error_body(status: u16, code: &str, message: &str, shape: &ErrorShape) -> Value {
    let error = json!({"code": code, "message": message});
    match shape {
        ErrorShape::Standard if status == 401 => {
            // The legacy docs promise DRF's `detail` for 401; the session docs the error object.
            let detail = if message.ends_with('.') {
                message.to_owned()
            } else {
                format!("{message}.")
            };
            json!({"detail": detail, "error": error})
        }
        // Django REST framework's 404 body, as the legacy docs show it.
        ErrorShape::Standard if code == NOT_FOUND.code => json!({"detail": message}),
        ErrorShape::Standard => json!({"error": error}),
        ErrorShape::Upload {
            session_id,
            statement_id,
        } => json!({"session_id": session_id, "statement_id": statement_id, "error": error}),
        ErrorShape::Legacy { entity_id } => legacy_body(code, message, entity_id),
    }
}

/// The legacy upload APIs' bodies, "Bad Request Cases" of bank-connect-legacy/upload-rest-api.md:
/// field errors as `{"<field>": [message], "status": 0}`, statement errors as
/// `{entity_id, message, status}` with the documented status value and wording.
fn legacy_body(code: &str, message: &str, entity_id: &str) -> Value {
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
    match code {
        "MISSING_FILE_OBJECT" => field("file", "This field is required."),
        "INVALID_BASE_64" | "EMPTY_FILE" | "INVALID_FILE_URL" => field("file", message),
        "INVALID_FILE_OBJECT" if message.starts_with("This field must be") => {
            field("file", message)
        }
        "INVALID_BANK_NAME" => field("bank_name", message),
        "TRIAL_PERIOD_EXPIRED" => json!({"message": message, "status": 2}),
        "PASSWORD_INCORRECT" => statement(3, "Password incorrect"),
        // "Not axis statement" (the session flow says "Not axis bank statement").
        "BANK_NAME_MISMATCH" => statement(4, &message.replace(" bank statement", " statement")),
        "BANK_NAME_UNDETECTED" => statement(5, message),
        "PDF_IS_IMAGE" | "INVALID_FILE_OBJECT" | "EXTRACTION_FAILED" => {
            statement(6, "PDF is not parsable")
        }
        "STATEMENT_UNSUPPORTED_FORMAT" | "STATEMENT_NO_TRANSACTIONS" => statement(
            7,
            "Unsupported Bank Statement Format. It should have balance, date and amount columns.",
        ),
        // Not in the legacy table (duplicates, date range, …): the same shape, status 0.
        _ => statement(0, message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_engine_failure_has_its_own_documented_code() {
        let codes: Vec<&str> = ErrorKind::ALL
            .iter()
            .map(|k| statement_error_code(*k))
            .collect();
        let mut distinct = codes.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct.len(), codes.len(), "{codes:?}");
        // The seeds' error tables (000's upload table, 001/003's processing tables) list every
        // code but this server's own EXTRACTION_FAILED.
        let spec = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/spec");
        let Ok(entries) = std::fs::read_dir(&spec) else {
            eprintln!("SKIPPED: the docs are not at {}", spec.display());
            return;
        };
        let seeds: String = entries
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().starts_with("00"))
            .filter_map(|e| std::fs::read_to_string(e.path()).ok())
            .collect();
        assert!(!seeds.is_empty(), "no seeds in {}", spec.display());
        for code in codes.iter().filter(|c| **c != "EXTRACTION_FAILED") {
            let listed = seeds.match_indices(code).any(|(at, _)| {
                !seeds[at + code.len()..].starts_with(|c: char| c == '_' || c.is_ascii_uppercase())
            });
            assert!(listed, "{code} is in no seed's error table");
        }
    }

    #[test]
    fn bodies_take_each_api_familys_shape() {
        let standard = error_body(400, "X", "m", &ErrorShape::Standard);
        assert_eq!(standard, json!({"error": {"code": "X", "message": "m"}}));
        let unauthenticated = AUTHENTICATION_CREDENTIALS_NOT_PROVIDED;
        let body = error_body(
            unauthenticated.status,
            unauthenticated.code,
            unauthenticated.message,
            &ErrorShape::Standard,
        );
        assert_eq!(
            body["detail"],
            "Authentication credentials were not provided."
        );
        let legacy = ErrorShape::Legacy {
            entity_id: "e1".into(),
        };
        assert_eq!(
            error_body(400, "PASSWORD_INCORRECT", "Incorrect password", &legacy),
            json!({"entity_id": "e1", "message": "Password incorrect", "status": 3})
        );
        assert_eq!(
            error_body(400, "MISSING_FILE_OBJECT", "x", &legacy),
            json!({"file": ["This field is required."], "status": 0, "entity_id": "e1"})
        );
        assert_eq!(
            capital_session_id("SESSION_DELETED", SESSION_DELETED.message).as_deref(),
            Some("The provided Session ID has been deleted")
        );
    }
}
