//! The consent artefact (`/Consent/fetch` 2.0.0, `GET /Consent/{id}` 1.1.2): verify the AA's
//! signature on `signedConsent`, then read its payload. Digest §2.3 and §3.
//!
//! The payload is read from the verified bytes (never re-serialised) and liberally: member names
//! case-insensitively (`ConsentUse`/`consentUse`), dates as ISO 8601 with `Z`, `+hh:mm`, `+hhmm`
//! or as epoch milliseconds (Finvu), and the legacy `TERM-DEPOSIT` spelling.

use crate::jws::{self, JwsError, RsaPublicKey};
use chrono::{DateTime, NaiveDateTime, Utc};
use serde::Serialize;
use serde_json::{Map, Value};

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConsentError {
    #[error("consent artefact is not valid JSON: {0}")]
    Json(String),
    #[error("consent artefact has no {0}")]
    Missing(&'static str),
    #[error("consent artefact {field} {value:?} is not a date-time")]
    BadDate { field: &'static str, value: String },
    /// Maps to `SignatureDoesNotMatch` / discarding the response.
    #[error("signedConsent: {0}")]
    Signature(#[from] JwsError),
    /// The envelope and the signed payload name different consents.
    #[error("artefact consentId {envelope:?} differs from the signed payload's {signed:?}")]
    ConsentIdMismatch { envelope: String, signed: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum FetchType {
    Onetime,
    Periodic,
}

/// A `{unit, value}` pair (`DataLife`, `Frequency`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitValue {
    /// `HOUR`, `DAY`, `MONTH`, `YEAR`, `INF`, as sent.
    pub unit: String,
    pub value: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConsentAccount {
    pub fi_type: Option<String>,
    pub fip_id: Option<String>,
    pub acc_type: Option<String>,
    pub link_ref_number: Option<String>,
    pub masked_acc_number: Option<String>,
}

/// The signed `SignedConsentDetail`, as far as an FIU acts on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConsentDetail {
    pub consent_id: Option<String>,
    pub consent_start: DateTime<Utc>,
    pub consent_expiry: DateTime<Utc>,
    pub consent_mode: Option<String>,
    pub fetch_type: Option<FetchType>,
    pub consent_types: Vec<String>,
    /// Normalised to the underscore spelling (`TERM_DEPOSIT`).
    pub fi_types: Vec<String>,
    pub data_consumer_id: Option<String>,
    pub customer_id: Option<String>,
    pub purpose_code: Option<String>,
    pub fi_data_from: DateTime<Utc>,
    pub fi_data_to: DateTime<Utc>,
    pub data_life: Option<UnitValue>,
    pub frequency: Option<UnitValue>,
    pub accounts: Vec<ConsentAccount>,
}

/// The verified artefact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentArtefact {
    pub consent_id: String,
    /// `ACTIVE`, `PAUSED`, `REVOKED`, `EXPIRED`, as sent.
    pub status: Option<String>,
    pub signed_consent: String,
    /// `Consent.digitalSignature` for every FI request under this consent.
    pub digital_signature: String,
    pub detail: ConsentDetail,
}

/// Verifies and reads an artefact response body with the AA's registered key.
pub fn verify_artefact(
    body: &[u8],
    aa_key: &RsaPublicKey,
) -> Result<ConsentArtefact, ConsentError> {
    let value: Value =
        serde_json::from_slice(body).map_err(|e| ConsentError::Json(e.to_string()))?;
    let envelope = value
        .as_object()
        .ok_or(ConsentError::Missing("body object"))?;
    let signed_consent =
        string(envelope, "signedConsent").ok_or(ConsentError::Missing("signedConsent"))?;
    let (_, payload) = jws::verify_compact(&signed_consent, aa_key)?;
    let detail = read_detail(&payload)?;
    let consent_id = string(envelope, "consentId")
        .or_else(|| detail.consent_id.clone())
        .ok_or(ConsentError::Missing("consentId"))?;
    if let Some(signed) = &detail.consent_id {
        if *signed != consent_id {
            return Err(ConsentError::ConsentIdMismatch {
                envelope: consent_id,
                signed: signed.clone(),
            });
        }
    }
    let digital_signature = jws::consent_digital_signature(&signed_consent)
        .ok_or(ConsentError::Missing("signature segment"))?
        .to_owned();
    Ok(ConsentArtefact {
        consent_id,
        status: string(envelope, "status"),
        signed_consent,
        digital_signature,
        detail,
    })
}

/// Reads a `SignedConsentDetail` payload (already verified).
pub fn read_detail(payload: &[u8]) -> Result<ConsentDetail, ConsentError> {
    let value: Value =
        serde_json::from_slice(payload).map_err(|e| ConsentError::Json(e.to_string()))?;
    let detail = value
        .as_object()
        .ok_or(ConsentError::Missing("payload object"))?;
    let range = object(detail, "FIDataRange").ok_or(ConsentError::Missing("FIDataRange"))?;
    let strings = |name: &str| -> Vec<String> {
        member(detail, name)
            .and_then(Value::as_array)
            .map(|items| items.iter().filter_map(scalar).collect())
            .unwrap_or_default()
    };
    Ok(ConsentDetail {
        consent_id: string(detail, "consentId"),
        consent_start: date(detail, "consentStart")?,
        consent_expiry: date(detail, "consentExpiry")?,
        consent_mode: string(detail, "consentMode"),
        fetch_type: string(detail, "fetchType").and_then(|f| {
            match f.to_ascii_uppercase().as_str() {
                "ONETIME" => Some(FetchType::Onetime),
                "PERIODIC" => Some(FetchType::Periodic),
                _ => None,
            }
        }),
        consent_types: strings("consentTypes"),
        fi_types: strings("fiTypes")
            .into_iter()
            .map(|t| t.replace('-', "_"))
            .collect(),
        data_consumer_id: object(detail, "DataConsumer").and_then(|o| string(o, "id")),
        customer_id: object(detail, "Customer").and_then(|o| string(o, "id")),
        purpose_code: object(detail, "Purpose").and_then(|o| string(o, "code")),
        fi_data_from: date(range, "from")?,
        fi_data_to: date(range, "to")?,
        data_life: object(detail, "DataLife").and_then(unit_value),
        frequency: object(detail, "Frequency").and_then(unit_value),
        accounts: member(detail, "Accounts")
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(Value::as_object)
                    .map(|a| ConsentAccount {
                        fi_type: string(a, "fiType").map(|t| t.replace('-', "_")),
                        fip_id: string(a, "fipId"),
                        acc_type: string(a, "accType"),
                        link_ref_number: string(a, "linkRefNumber"),
                        masked_acc_number: string(a, "maskedAccNumber"),
                    })
                    .collect()
            })
            .unwrap_or_default(),
    })
}

/// Case-insensitive member lookup (AAs disagree on `ConsentUse`/`consentUse` and the like).
fn member<'a>(object: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    object
        .get(name)
        .or_else(|| {
            object
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v)
        })
        .filter(|v| !v.is_null())
}

fn object<'a>(object: &'a Map<String, Value>, name: &str) -> Option<&'a Map<String, Value>> {
    member(object, name).and_then(Value::as_object)
}

fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn string(object: &Map<String, Value>, name: &str) -> Option<String> {
    member(object, name).and_then(scalar)
}

fn unit_value(object: &Map<String, Value>) -> Option<UnitValue> {
    let value = match member(object, "value")? {
        Value::Number(n) => u32::try_from(n.as_u64()?).ok()?,
        Value::String(s) => s.trim().parse().ok()?,
        _ => return None,
    };
    Some(UnitValue {
        unit: string(object, "unit")?.to_ascii_uppercase(),
        value,
    })
}

fn date(object: &Map<String, Value>, field: &'static str) -> Result<DateTime<Utc>, ConsentError> {
    let value = member(object, field).ok_or(ConsentError::Missing(field))?;
    let text = scalar(value).ok_or(ConsentError::Missing(field))?;
    parse_date_time(&text).ok_or(ConsentError::BadDate { field, value: text })
}

/// ISO 8601 with `Z`, `+hh:mm` or `+hhmm`; offset-less as UTC (the protocol's timestamps are
/// UTC); epoch milliseconds.
pub fn parse_date_time(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        return DateTime::from_timestamp_millis(s.parse().ok()?);
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    if let Ok(t) = DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f%z") {
        return Some(t.with_timezone(&Utc));
    }
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
        .ok()
        .map(|t| t.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jws::RsaSigner;

    const TEST_KEY: &[u8] = include_bytes!("../tests/data/jws_test_key.pk8.der");

    /// A Finvu-flavoured payload: epoch-ms dates, `+0000`, TERM-DEPOSIT, CRLF pretty-printing.
    const PAYLOAD: &str = "{\r\n  \"consentStart\": 1735725600000,\r\n  \"consentExpiry\": \"2025-01-02T10:00:00.000+0000\",\r\n  \"consentMode\": \"STORE\",\r\n  \"fetchType\": \"ONETIME\",\r\n  \"consentTypes\": [\"PROFILE\", \"SUMMARY\", \"TRANSACTIONS\"],\r\n  \"fiTypes\": [\"DEPOSIT\", \"TERM-DEPOSIT\"],\r\n  \"DataConsumer\": {\"id\": \"FIU-SIM\", \"type\": \"FIU\"},\r\n  \"DataProvider\": {\"id\": \"AA-SIM\", \"type\": \"AA\"},\r\n  \"Customer\": {\"id\": \"9999999999@aa-sim\"},\r\n  \"Accounts\": [{\"fiType\": \"DEPOSIT\", \"fipId\": \"FIP-SIM-1\", \"accType\": \"SAVINGS\", \"linkRefNumber\": \"LRN-SYN-4020\", \"maskedAccNumber\": \"XXXXXXXX4020\"}],\r\n  \"Purpose\": {\"code\": \"103\", \"refUri\": \"https://api.rebit.org.in/aa/purpose/103.xml\", \"text\": \"Aggregated statement\"},\r\n  \"FIDataRange\": {\"from\": \"2024-07-01T00:00:00.000Z\", \"to\": \"2025-01-01T00:00:00+05:30\"},\r\n  \"DataLife\": {\"unit\": \"MONTH\", \"value\": 1},\r\n  \"Frequency\": {\"unit\": \"month\", \"value\": \"1\"}\r\n}";

    fn artefact_body(signed: &str, consent_id: &str) -> Vec<u8> {
        serde_json::to_vec(&serde_json::json!({
            "ver": "2.0.0", "txnid": "0b811819-9044-4856-b0ee-8c88035f8858",
            "consentId": consent_id, "status": "ACTIVE",
            "createTimestamp": "2025-01-01T10:04:00.000Z",
            "signedConsent": signed,
            "consentUse": {"logUri": "x", "count": 0, "lastUseDateTime": "2025-01-01T10:04:00.000Z"}
        }))
        .unwrap()
    }

    #[test]
    fn verifies_and_reads_a_quirky_artefact() {
        let aa = RsaSigner::from_pkcs8_der("aa-sim-1", TEST_KEY).unwrap();
        let signed = aa.sign_compact(PAYLOAD.as_bytes()).unwrap();
        let body = artefact_body(&signed, "654024c8-29c8-41e8-8868-0289437bf331");
        let artefact = verify_artefact(&body, &aa.public_key()).unwrap();
        assert_eq!(artefact.status.as_deref(), Some("ACTIVE"));
        assert_eq!(
            artefact.digital_signature,
            signed.rsplit('.').next().unwrap()
        );
        let d = &artefact.detail;
        assert_eq!(d.consent_start.to_rfc3339(), "2025-01-01T10:00:00+00:00");
        assert_eq!(d.consent_expiry.to_rfc3339(), "2025-01-02T10:00:00+00:00");
        assert_eq!(d.fi_data_to.to_rfc3339(), "2024-12-31T18:30:00+00:00");
        assert_eq!(d.fetch_type, Some(FetchType::Onetime));
        assert_eq!(d.fi_types, ["DEPOSIT", "TERM_DEPOSIT"]);
        assert_eq!(d.purpose_code.as_deref(), Some("103"));
        assert_eq!(d.data_consumer_id.as_deref(), Some("FIU-SIM"));
        assert_eq!(d.customer_id.as_deref(), Some("9999999999@aa-sim"));
        assert_eq!(
            d.frequency,
            Some(UnitValue {
                unit: "MONTH".into(),
                value: 1
            })
        );
        assert_eq!(d.accounts.len(), 1);
        assert_eq!(
            d.accounts[0].masked_acc_number.as_deref(),
            Some("XXXXXXXX4020")
        );
    }

    #[test]
    fn rejects_bad_signatures_and_mismatches() {
        let aa = RsaSigner::from_pkcs8_der("aa-sim-1", TEST_KEY).unwrap();
        let signed = aa.sign_compact(PAYLOAD.as_bytes()).unwrap();
        // Another AA's key (the digest's test key) does not verify it.
        let other = RsaPublicKey::from_jwk_parts(None, "4SSJECut-QkMWYk8oTurAWFE3Y-1lzUjRvl8d9vIFo-s8fT2XCu13wp70fTseAecnTLui3qnfXP2e-NCb22kV_Mhuv2Az3k967iu38goBtTSUDy2ts6YdNS6FvgN9CJZL-wkkyQk9ltes7PV0Y9fBUU7rMdKyf9JhyHqZNg7zDF-FNhMRNaJT85KIUfh7KWgGKOjTfXbQFHZJyv7U_ZwPnf2rMBevPIKGxq924pDwnY214glf_CdErMAgMo16U5qtxHVqSZFnUl_mhhUgEVoe4_lYqpXARJ0bvAJOluYZVwwaUx4ir1X52x8RyCBNZr2HYNAmeX40ToyIPapUxWNBw", "AQAB").unwrap();
        assert_eq!(
            verify_artefact(&artefact_body(&signed, "c1"), &other),
            Err(ConsentError::Signature(JwsError::BadSignature))
        );
        let with_id = PAYLOAD.replacen('{', "{\"consentId\": \"signed-id\",", 1);
        let signed = aa.sign_compact(with_id.as_bytes()).unwrap();
        assert!(matches!(
            verify_artefact(&artefact_body(&signed, "other-id"), &aa.public_key()),
            Err(ConsentError::ConsentIdMismatch { .. })
        ));
        let bad_date = PAYLOAD.replace("1735725600000", "\"01/01/2025\"");
        let signed = aa.sign_compact(bad_date.as_bytes()).unwrap();
        assert!(matches!(
            verify_artefact(&artefact_body(&signed, "c1"), &aa.public_key()),
            Err(ConsentError::BadDate {
                field: "consentStart",
                ..
            })
        ));
    }
}
