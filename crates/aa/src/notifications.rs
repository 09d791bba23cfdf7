//! The FIU's callbacks (`POST {fiu}/Consent/Notification`, `POST {fiu}/FI/Notification`) as pure
//! functions: validate a body the way the certification rules require and produce the
//! documented answer (digest §2.0, §2.7). The HTTP side (API-key check, routing, correlating
//! handles and sessions with stored state) belongs to the server; it maps a [`Rejection`] to
//! the response status and body.
//!
//! Order, as CERT tests it: JSON syntax → schema → business rules.

use crate::consent::parse_date_time;
use crate::jws::{self, RsaPublicKey};
use crate::messages::{timestamp, TIMESTAMP_WINDOW};
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{json, Map, Value};

/// Why a callback is refused: the HTTP status and ReBIT `errorCode` to answer with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    pub http_status: u16,
    pub error_code: &'static str,
    pub message: String,
}

fn reject(http_status: u16, error_code: &'static str, message: impl Into<String>) -> Rejection {
    Rejection {
        http_status,
        error_code,
        message: message.into(),
    }
}

fn invalid(message: impl Into<String>) -> Rejection {
    reject(400, "InvalidRequest", message)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum ConsentStatus {
    Active,
    Pending,
    Revoked,
    Paused,
    Rejected,
    Expired,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentNotification {
    pub ver: String,
    pub txnid: String,
    pub timestamp: DateTime<Utc>,
    pub notifier_id: String,
    /// Absent when the user rejected before approving: correlate by handle then.
    pub consent_id: Option<String>,
    pub consent_handle: Option<String>,
    pub status: ConsentStatus,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum SessionStatus {
    Active,
    Completed,
    Expired,
    Failed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum FiStatus {
    Ready,
    Denied,
    Pending,
    Delivered,
    Timeout,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountStatus {
    pub fip_id: String,
    pub link_ref_number: String,
    pub status: FiStatus,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FiNotification {
    pub ver: String,
    pub txnid: String,
    pub timestamp: DateTime<Utc>,
    pub notifier_id: String,
    pub session_id: String,
    pub session_status: SessionStatus,
    pub accounts: Vec<AccountStatus>,
}

/// The versions this FIU answers; anything else is 404 `NoSuchVersion`.
const SUPPORTED_VERSIONS: [&str; 2] = ["1.1.2", "2.0.0"];

/// 400 `SignatureDoesNotMatch` unless `x-jws-signature` verifies over the body as received.
pub fn check_signature(
    jws_header: Option<&str>,
    body: &[u8],
    aa_key: &RsaPublicKey,
) -> Result<(), Rejection> {
    let header = jws_header
        .filter(|h| !h.trim().is_empty())
        .ok_or_else(|| reject(400, "SignatureDoesNotMatch", "x-jws-signature is missing"))?;
    jws::verify_detached(header, body, aa_key)
        .map(|_| ())
        .map_err(|e| reject(400, "SignatureDoesNotMatch", e.to_string()))
}

/// Validates a consent notification from the AA `expected_aa_id`.
pub fn read_consent_notification(
    body: &[u8],
    expected_aa_id: &str,
    now: DateTime<Utc>,
) -> Result<ConsentNotification, Rejection> {
    let (object, envelope) = envelope(body, expected_aa_id, now)?;
    let inner = obj(&object, "ConsentStatusNotification")
        .ok_or_else(|| invalid("ConsentStatusNotification is missing"))?;
    let status_text = text(inner, "consentStatus")
        .ok_or_else(|| invalid("ConsentStatusNotification.consentStatus is missing"))?;
    let status = match status_text.to_ascii_uppercase().as_str() {
        "ACTIVE" => ConsentStatus::Active,
        "PENDING" => ConsentStatus::Pending,
        "REVOKED" => ConsentStatus::Revoked,
        "PAUSED" => ConsentStatus::Paused,
        "REJECTED" => ConsentStatus::Rejected,
        "EXPIRED" => ConsentStatus::Expired,
        // Finvu's older simulator sent READY for an approved consent (FSBX).
        "READY" => ConsentStatus::Active,
        _ => {
            return Err(reject(
                400,
                "InvalidConsentStatus",
                format!("consentStatus {status_text:?} is not a consent status"),
            ))
        }
    };
    let consent_id = text(inner, "consentId");
    let consent_handle = text(inner, "consentHandle");
    // An approved (or later) consent has an id; only a rejection may come without one.
    if consent_id.is_none() && !matches!(status, ConsentStatus::Rejected | ConsentStatus::Pending) {
        return Err(reject(400, "InvalidConsentId", "consentId is missing"));
    }
    if consent_id.is_none() && consent_handle.is_none() {
        return Err(invalid("neither consentId nor consentHandle is given"));
    }
    Ok(ConsentNotification {
        ver: envelope.ver,
        txnid: envelope.txnid,
        timestamp: envelope.timestamp,
        notifier_id: envelope.notifier_id,
        consent_id,
        consent_handle,
        status,
    })
}

/// Validates an FI notification from the AA `expected_aa_id`.
pub fn read_fi_notification(
    body: &[u8],
    expected_aa_id: &str,
    now: DateTime<Utc>,
) -> Result<FiNotification, Rejection> {
    let (object, envelope) = envelope(body, expected_aa_id, now)?;
    let inner = obj(&object, "FIStatusNotification")
        .ok_or_else(|| invalid("FIStatusNotification is missing"))?;
    let session_id = text(inner, "sessionId")
        .ok_or_else(|| reject(400, "InvalidSessionId", "sessionId is missing"))?;
    let status_text = text(inner, "sessionStatus").unwrap_or_default();
    let session_status = match status_text.to_ascii_uppercase().as_str() {
        "ACTIVE" => SessionStatus::Active,
        "COMPLETED" => SessionStatus::Completed,
        "EXPIRED" => SessionStatus::Expired,
        "FAILED" => SessionStatus::Failed,
        _ => {
            return Err(reject(
                400,
                "InvalidSessionStatus",
                format!("sessionStatus {status_text:?} is not a session status"),
            ))
        }
    };
    let mut accounts = Vec::new();
    for fip in array(inner, "FIStatusResponse") {
        let fip_id = text(fip, "fipID")
            .or_else(|| text(fip, "fipId"))
            .ok_or_else(|| invalid("FIStatusResponse.fipID is missing"))?;
        for account in array(fip, "Accounts") {
            let status_text = text(account, "FIStatus").unwrap_or_default();
            let status = match status_text.to_ascii_uppercase().as_str() {
                "READY" => FiStatus::Ready,
                "DENIED" => FiStatus::Denied,
                "PENDING" => FiStatus::Pending,
                "DELIVERED" => FiStatus::Delivered,
                "TIMEOUT" => FiStatus::Timeout,
                _ => {
                    return Err(reject(
                        400,
                        "InvalidFIStatus",
                        format!("FIStatus {status_text:?} is not an account status"),
                    ))
                }
            };
            accounts.push(AccountStatus {
                fip_id: fip_id.clone(),
                link_ref_number: text(account, "linkRefNumber")
                    .ok_or_else(|| invalid("Accounts.linkRefNumber is missing"))?,
                status,
                description: text(account, "description"),
            });
        }
    }
    Ok(FiNotification {
        ver: envelope.ver,
        txnid: envelope.txnid,
        timestamp: envelope.timestamp,
        notifier_id: envelope.notifier_id,
        session_id,
        session_status,
        accounts,
    })
}

/// The success answer (sign it before sending): `{"ver","timestamp","txnid","response":"OK"}`.
pub fn ack_body(ver: &str, txnid: &str, now: DateTime<Utc>) -> Vec<u8> {
    json!({"ver": ver, "timestamp": timestamp(now), "txnid": txnid, "response": "OK"})
        .to_string()
        .into_bytes()
}

/// The error answer for a rejection (sign it too). `ver`/`txnid` echo the request when it had
/// them.
pub fn error_body(ver: &str, txnid: &str, now: DateTime<Utc>, rejection: &Rejection) -> Vec<u8> {
    json!({
        "ver": ver, "timestamp": timestamp(now), "txnid": txnid,
        "errorCode": rejection.error_code, "errorMsg": rejection.message,
    })
    .to_string()
    .into_bytes()
}

struct Envelope {
    ver: String,
    txnid: String,
    timestamp: DateTime<Utc>,
    notifier_id: String,
}

fn envelope(
    body: &[u8],
    expected_aa_id: &str,
    now: DateTime<Utc>,
) -> Result<(Map<String, Value>, Envelope), Rejection> {
    let value: Value =
        serde_json::from_slice(body).map_err(|e| invalid(format!("body is not JSON: {e}")))?;
    let Value::Object(object) = value else {
        return Err(invalid("body is not a JSON object"));
    };
    let ver = text(&object, "ver").ok_or_else(|| invalid("ver is missing"))?;
    if !SUPPORTED_VERSIONS.contains(&ver.as_str()) {
        return Err(reject(
            404,
            "NoSuchVersion",
            format!("version {ver} is not supported"),
        ));
    }
    let txnid = text(&object, "txnid").ok_or_else(|| invalid("txnid is missing"))?;
    if !is_uuid(&txnid) {
        return Err(invalid("txnid is not a UUID"));
    }
    let stamp = text(&object, "timestamp").ok_or_else(|| invalid("timestamp is missing"))?;
    let timestamp = parse_date_time(&stamp)
        .filter(|t| (*t - now).abs() <= TIMESTAMP_WINDOW)
        .ok_or_else(|| invalid(format!("timestamp {stamp} is not within 15 minutes of now")))?;
    let notifier = obj(&object, "Notifier").ok_or_else(|| invalid("Notifier is missing"))?;
    let notifier_type = text(notifier, "type").unwrap_or_default();
    let notifier_id = text(notifier, "id").unwrap_or_default();
    if !notifier_type.eq_ignore_ascii_case("AA") || notifier_id != expected_aa_id {
        return Err(reject(
            400,
            "InvalidNotifier",
            format!("notifier {notifier_type}/{notifier_id} is not the AA {expected_aa_id}"),
        ));
    }
    let envelope = Envelope {
        ver,
        txnid,
        timestamp,
        notifier_id,
    };
    Ok((object, envelope))
}

/// 36 characters, hyphens at 9, 14, 19, 24 (1-based), hex elsewhere. The version nibble is not
/// checked: CERT asks for v4, but AAs and the spec's own examples use v1 UUIDs, and reading is
/// to be liberal.
fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && s.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

fn text(object: &Map<String, Value>, name: &str) -> Option<String> {
    // Case-insensitive: Finvu's simulator capitalises `ConsentStatus`.
    let value = object.get(name).or_else(|| {
        object
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    })?;
    match value {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn obj<'a>(object: &'a Map<String, Value>, name: &str) -> Option<&'a Map<String, Value>> {
    object
        .get(name)
        .and_then(Value::as_object)
        .filter(|o| !o.is_empty())
}

fn array<'a>(
    object: &'a Map<String, Value>,
    name: &str,
) -> impl Iterator<Item = &'a Map<String, Value>> {
    let items: &'a [Value] = match object.get(name) {
        Some(Value::Array(items)) => items,
        Some(single @ Value::Object(_)) => std::slice::from_ref(single),
        _ => &[],
    };
    items.iter().filter_map(Value::as_object)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jws::RsaSigner;

    fn now() -> DateTime<Utc> {
        parse_date_time("2025-01-01T10:04:30.000Z").unwrap()
    }

    fn consent(status: &str, extra: Value) -> Vec<u8> {
        let mut body = json!({
            "ver": "2.0.0", "timestamp": "2025-01-01T10:04:00.000Z",
            "txnid": "0b811819-9044-4856-b0ee-8c88035f8858",
            "Notifier": {"type": "AA", "id": "AA-1"},
            "ConsentStatusNotification": {
                "consentId": "654024c8-29c8-41e8-8868-0289437bf331",
                "consentHandle": "39e108fe-9243-41e8-b9f2-0256d88baae8",
                "consentStatus": status
            }
        });
        if let (Some(target), Value::Object(extra)) = (body.as_object_mut(), extra) {
            target.extend(extra);
        }
        body.to_string().into_bytes()
    }

    fn code(r: Result<impl std::fmt::Debug, Rejection>) -> (u16, &'static str) {
        let e = r.unwrap_err();
        (e.http_status, e.error_code)
    }

    #[test]
    fn consent_notifications() {
        let n = read_consent_notification(&consent("ACTIVE", json!({})), "AA-1", now()).unwrap();
        assert_eq!(n.status, ConsentStatus::Active);
        assert_eq!(
            n.consent_id.as_deref(),
            Some("654024c8-29c8-41e8-8868-0289437bf331")
        );
        assert_eq!(
            code(read_consent_notification(
                &consent("ACTIVE", json!({})),
                "AA-2",
                now()
            )),
            (400, "InvalidNotifier")
        );
        assert_eq!(
            code(read_consent_notification(
                &consent("APPROVED", json!({})),
                "AA-1",
                now()
            )),
            (400, "InvalidConsentStatus")
        );
        assert_eq!(
            code(read_consent_notification(
                &consent("ACTIVE", json!({"ver": "3.0.0"})),
                "AA-1",
                now()
            )),
            (404, "NoSuchVersion")
        );
        assert_eq!(
            code(read_consent_notification(
                &consent("ACTIVE", json!({"timestamp": "2025-01-01T09:40:00.000Z"})),
                "AA-1",
                now()
            )),
            (400, "InvalidRequest")
        );
        assert_eq!(
            code(read_consent_notification(
                &consent("ACTIVE", json!({"txnid": "123"})),
                "AA-1",
                now()
            )),
            (400, "InvalidRequest")
        );
        assert_eq!(
            code(read_consent_notification(b"{not json", "AA-1", now())),
            (400, "InvalidRequest")
        );
        assert_eq!(
            code(read_consent_notification(
                &consent("ACTIVE", json!({"Notifier": {"type": "FIP", "id": "AA-1"}})),
                "AA-1",
                now()
            )),
            (400, "InvalidNotifier")
        );
        // A rejection before approval has no consentId: fine, correlate by handle.
        let rejected = json!({
            "ver": "2.0.0", "timestamp": "2025-01-01T10:04:00.000Z",
            "txnid": "0b811819-9044-4856-b0ee-8c88035f8858",
            "Notifier": {"type": "AA", "id": "AA-1"},
            "ConsentStatusNotification": {"consentHandle": "h", "consentStatus": "REJECTED"}
        });
        let n = read_consent_notification(rejected.to_string().as_bytes(), "AA-1", now()).unwrap();
        assert_eq!(n.consent_id, None);
        // An ACTIVE without consentId is not.
        let no_id = rejected.to_string().replace("REJECTED", "ACTIVE");
        assert_eq!(
            code(read_consent_notification(no_id.as_bytes(), "AA-1", now())),
            (400, "InvalidConsentId")
        );
        // Finvu's old simulator: capitalised member, READY value.
        let finvu = consent("x", json!({}))
            .iter()
            .map(|b| *b as char)
            .collect::<String>()
            .replace("\"consentStatus\":\"x\"", "\"ConsentStatus\":\"READY\"");
        let n = read_consent_notification(finvu.as_bytes(), "AA-1", now()).unwrap();
        assert_eq!(n.status, ConsentStatus::Active);
    }

    #[test]
    fn fi_notifications() {
        let body = json!({
            "ver": "1.1.2", "timestamp": "2025-01-01T10:06:30.000Z",
            "txnid": "0b811819-9044-4856-b0ee-8c88035f8858",
            "Notifier": {"type": "AA", "id": "AA-1"},
            "FIStatusNotification": {
                "sessionId": "caa2f259-2dc2-4075-87aa-6d81018b6183",
                "sessionStatus": "COMPLETED",
                "FIStatusResponse": [
                    {"fipID": "FIP-1", "Accounts": [
                        {"linkRefNumber": "L1", "FIStatus": "READY", "description": ""},
                        {"linkRefNumber": "L2", "FIStatus": "DENIED", "description": "closed"}]}]
            }
        });
        let n = read_fi_notification(body.to_string().as_bytes(), "AA-1", now()).unwrap();
        assert_eq!(n.session_status, SessionStatus::Completed);
        assert_eq!(n.accounts.len(), 2);
        assert_eq!(n.accounts[1].status, FiStatus::Denied);
        assert_eq!(n.accounts[0].description, None);
        let bad = body.to_string().replace("DENIED", "LOST");
        assert_eq!(
            code(read_fi_notification(bad.as_bytes(), "AA-1", now())),
            (400, "InvalidFIStatus")
        );
        let bad = body.to_string().replace("COMPLETED", "DONE");
        assert_eq!(
            code(read_fi_notification(bad.as_bytes(), "AA-1", now())),
            (400, "InvalidSessionStatus")
        );
        let bad = body.to_string().replace(
            "\"sessionId\":\"caa2f259-2dc2-4075-87aa-6d81018b6183\",",
            "",
        );
        assert_eq!(
            code(read_fi_notification(bad.as_bytes(), "AA-1", now())),
            (400, "InvalidSessionId")
        );
    }

    #[test]
    fn signatures_and_answers() {
        let aa =
            RsaSigner::from_pkcs8_der("aa-1", include_bytes!("../tests/data/jws_test_key.pk8.der"))
                .unwrap();
        let body = consent("ACTIVE", json!({}));
        let jws = aa.sign_detached(&body).unwrap();
        assert_eq!(check_signature(Some(&jws), &body, &aa.public_key()), Ok(()));
        let mut tampered = body.clone();
        tampered[10] ^= 1;
        assert_eq!(
            check_signature(Some(&jws), &tampered, &aa.public_key())
                .unwrap_err()
                .error_code,
            "SignatureDoesNotMatch"
        );
        assert_eq!(
            check_signature(None, &body, &aa.public_key())
                .unwrap_err()
                .error_code,
            "SignatureDoesNotMatch"
        );
        let ack: Value = serde_json::from_slice(&ack_body("2.0.0", "t", now())).unwrap();
        assert_eq!(ack["response"], "OK");
        let rejection = reject(400, "InvalidNotifier", "no");
        let err: Value =
            serde_json::from_slice(&error_body("2.0.0", "t", now(), &rejection)).unwrap();
        assert_eq!(err["errorCode"], "InvalidNotifier");
        assert_eq!(err["timestamp"], "2025-01-01T10:04:30.000Z");
    }
}
