//! Typed bodies of the legacy entity API (bank-connect-legacy, seed 004, rest-api.md,
//! management.md, webhook.md), keys in the samples' order. The server answers with these types
//! and the OpenAPI document is generated from them.

use crate::api::DateRange;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

/// POST entity/ → 201 (seed 004).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"entity_id": "uuid4_generated_by_finbox", "link_id": "link_id_you_sent"}))]
pub struct CreateEntityResponse {
    pub entity_id: String,
    pub link_id: Option<String>,
}

/// GET entity/{entity_id}/ (seed 004) and one entry of the entity list (management.md).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"entity_id": "uuid4_you_sent", "link_id": "link_id_of_entity", "meta_data": null}))]
pub struct EntityResponse {
    pub entity_id: String,
    pub link_id: Option<String>,
    /// What was given as `meta_data` when the entity was created.
    #[schema(value_type = Option<Object>)]
    pub meta_data: Option<Value>,
}

/// GET entity/?page=N (management.md): DRF's pagination, 10 per page.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"count": 1, "next": null, "previous": null, "results": [{"entity_id": "uuid4", "link_id": "borrower-1", "meta_data": null}]}))]
pub struct EntityListResponse {
    pub count: i64,
    /// The next page's URL.
    pub next: Option<String>,
    pub previous: Option<String>,
    pub results: Vec<EntityResponse>,
}

/// One entity of link_overview/.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LinkOverviewEntry {
    pub entity_id: String,
    /// "YYYY-MM".
    pub months: Vec<String>,
    pub bank: Option<String>,
}

/// GET entity/link_overview/?link_id=… (seed 004).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"progress_data": [{"entity_id": "uuid4", "months": ["2025-03"], "bank": "hdfc"}], "link_id": "borrower-1"}))]
pub struct LinkOverviewResponse {
    pub progress_data: Vec<LinkOverviewEntry>,
    pub link_id: String,
}

/// One entity webhook payload (webhook.md), with the time it was due.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct EntityWebhookPayload {
    pub statement_id: String,
    pub entity_id: String,
    pub link_id: Option<String>,
    /// "completed" or "failed".
    pub progress: String,
    /// Why the statement failed; "" when it did not.
    pub reason: String,
    /// "YYYY-MM-DD HH:MM:SS".
    pub date_time: String,
}

/// GET entity/webhook_payloads/?link_id=… (webhook.md), latest first.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct WebhookPayloadsResponse {
    pub payloads: Vec<EntityWebhookPayload>,
}

/// One bank of GET net_banking_health/ (management.md); the answer is an array of these.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"bank": "SBI", "updated_at": "2025-09-01 10:00:00", "health_up": false, "issue_details": "Net banking mode is not offered by this server; upload statements instead"}))]
pub struct NetBankingHealth {
    pub bank: String,
    /// "YYYY-MM-DD HH:MM:SS".
    pub updated_at: String,
    pub health_up: bool,
    /// Why the bank is down; null when it is up (management.md).
    pub issue_details: Option<String>,
}

/// The holder in a legacy upload's answer with `?identity=true` (seed 004).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LegacyUploadIdentity {
    pub account_id: String,
    pub account_number: Option<String>,
    pub address: Option<String>,
    pub name: Option<String>,
}

/// statement/upload/, statement/bankless_upload/ and their `_base64` twins (seed 004): the
/// keys between `entity_id` and `status` only with `?identity=true`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"bank_name": "hdfc", "statement_id": "uuid4_for_statement", "entity_id": "uuid4_for_entity", "status": 1}))]
pub struct LegacyUploadResponse {
    pub bank_name: String,
    pub statement_id: String,
    pub entity_id: String,
    /// "YYYY-MM-DD" (`?identity=true`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_range: Option<DateRange>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_fraud: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<LegacyUploadIdentity>,
    /// Present (possibly null) with `?identity=true`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    #[schema(value_type = Option<String>)]
    pub fraud_type: Option<Option<String>>,
    /// 1: uploaded (upload-rest-api.md).
    pub status: i64,
}

/// A key that is present decodes to `Some` even when its value is null.
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

/// One statement of an entity's `progress` (rest-api.md).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LegacyProgressEntry {
    pub statement_id: String,
    /// "processing", "completed" or "failed".
    pub status: String,
    pub message: Option<String>,
    pub source: String,
}
