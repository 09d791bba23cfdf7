//! The webhook payloads this server sends (processing-status.md, upload-status.md, webhook.md),
//! keys in the samples' order. They are POSTed to the client's `webhook_url` as JSON, with
//! `x-secret-key` when a secret was registered; the OpenAPI document lists them under
//! `webhooks`.

use crate::api::{DateRange, SessionStatusStatement};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One account of ENRICHMENT_NOTIFICATION.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct EnrichmentAccount {
    pub name: Option<String>,
    pub account_category: Option<String>,
    pub account_id: String,
    pub bank_name: Option<String>,
    /// null when the account completed (the sample writes "", its text says null).
    pub error_code: Option<String>,
    pub error_message: Option<String>,
    /// "completed" or "failed".
    pub account_status: String,
    pub attempt_types: Vec<String>,
}

/// ENRICHMENT_NOTIFICATION (processing-status.md): the session's processing is over.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct EnrichmentNotification {
    pub session_id: String,
    pub insights_available: bool,
    pub accounts: Vec<EnrichmentAccount>,
    /// "ENRICHMENT_NOTIFICATION".
    pub event_name: String,
}

/// One account of the upload notifications: session_upload_status/'s entry up to
/// `missing_data`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct UploadNotificationAccount {
    pub account_id: String,
    pub account_number: Option<String>,
    pub bank_name: Option<String>,
    /// "YYYY-MM-DD HH:MM:SS".
    pub created_at: String,
    pub last_updated_at: String,
    pub statements: Vec<SessionStatusStatement>,
    /// "COMPLETED" or "PARTIAL".
    pub account_status: String,
    /// "YYYY-MM".
    pub months: Vec<String>,
    pub missing_data: Vec<DateRange>,
}

/// SESSION_REQUIREMENT_COMPLETION_NOTIFICATION ("Upload Completed", when processing is
/// requested) and SESSION_EXPIRY_NOTIFICATION ("Session Expired") of upload-status.md.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct UploadNotification {
    pub session_id: String,
    pub event_name: String,
    pub message: String,
    pub accounts: Vec<UploadNotificationAccount>,
    /// "DD/MM/YYYY".
    pub session_date_range: DateRange,
}

/// The legacy entity webhook (webhook.md): one per statement once it is extracted or failed.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct EntityStatementNotification {
    pub entity_id: String,
    pub statement_id: String,
    pub link_id: Option<String>,
    /// "completed" or "failed".
    pub progress: String,
    /// Why the statement failed; "" when it did not.
    pub reason: String,
}
