//! Bodies of the routes this server adds around the BankConnect API: the hosted journey page's
//! own calls (/journey/api/…) and the answers to the Account Aggregator's callbacks (ReBIT FIU
//! API). Typed here so the OpenAPI document describes them like the rest.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A statement already uploaded through the journey.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct JourneyUpload {
    pub statement_id: String,
    pub file_name: Option<String>,
    pub bank_name: Option<String>,
    pub bank_full_name: Option<String>,
}

/// GET /journey/api/session: what the page needs to set itself up.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct JourneySession {
    pub session_id: String,
    pub link_id: Option<String>,
    /// The bank the session asks for, if any.
    pub bank_name: Option<String>,
    pub bank_full_name: Option<String>,
    pub journey_mode: Option<String>,
    pub logo_url: Option<String>,
    pub redirect_url: Option<String>,
    /// "DD/MM/YYYY".
    pub from_date: Option<String>,
    pub to_date: Option<String>,
    /// Why no more uploads are taken (submitted, expired), else null.
    pub closed_reason: Option<String>,
    pub lender_name: Option<String>,
    /// "YYYY-MM" months of the period no upload covers yet.
    pub missing_months: Vec<String>,
    pub uploaded: Vec<JourneyUpload>,
}

/// A bank the journey offers for PDF upload.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct JourneyBank {
    pub id: String,
    pub name: String,
    /// Other names the borrower may search with.
    pub short_names: Vec<String>,
    /// How the bank builds its statements' passwords, when known.
    pub password_hint: Option<String>,
}

/// GET /journey/api/banks.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct JourneyBanks {
    pub banks: Vec<JourneyBank>,
}

/// The acknowledgement of an AA callback (signed in `x-jws-signature`).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"ver": "2.0.0", "timestamp": "2025-09-01T10:00:00.000Z", "txnid": "f35761ac-4a18-11e8-96ff-0277a9fbfedc", "response": "OK"}))]
pub struct AaAck {
    pub ver: String,
    pub timestamp: String,
    pub txnid: String,
    /// "OK".
    pub response: String,
}

/// A refused AA callback (signed too).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"ver": "2.0.0", "timestamp": "2025-09-01T10:00:00.000Z", "txnid": "f35761ac-4a18-11e8-96ff-0277a9fbfedc", "errorCode": "InvalidRequest", "errorMsg": "unknown consent handle"}))]
pub struct AaError {
    pub ver: String,
    pub timestamp: String,
    pub txnid: String,
    #[serde(rename = "errorCode")]
    pub error_code: String,
    #[serde(rename = "errorMsg")]
    pub error_msg: String,
}
