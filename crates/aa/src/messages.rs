//! ReBIT message envelopes: building the FIU's requests (bytes to send and to sign) and the
//! checks the certification rules require before trusting an AA response (digest §2.0: wrong
//! `ver`, a `txnid` that is not ours, or a stale `timestamp` → discard the response).

use crate::consent::parse_date_time;
use crate::crypto::KeyMaterial;
use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};

/// The two wire versions an FIU must speak, chosen per AA.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WireVersion {
    V1_1_2,
    V2_0_0,
}

impl WireVersion {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::V1_1_2 => "1.1.2",
            Self::V2_0_0 => "2.0.0",
        }
    }
}

/// How far a peer's `timestamp` may be from our clock (CERT general guidelines).
pub const TIMESTAMP_WINDOW: Duration = Duration::minutes(15);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum EnvelopeError {
    #[error("response is not a JSON object")]
    NotAnObject,
    #[error("response ver {found:?}, request was {expected:?}")]
    WrongVersion { expected: String, found: String },
    #[error("response txnid {found:?} is not the request's {expected:?}")]
    TxnIdMismatch { expected: String, found: String },
    #[error("response has no timestamp")]
    MissingTimestamp,
    #[error("response timestamp {0:?} is not within 15 minutes of now")]
    StaleTimestamp(String),
}

/// The protocol's timestamp form: UTC with milliseconds and `Z`.
pub fn timestamp(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// Checks a parsed AA response against the request it answers. The consent artefact carries
/// `createTimestamp` instead of `timestamp`; either is accepted.
pub fn check_response(
    body: &Value,
    version: WireVersion,
    txnid: &str,
    now: DateTime<Utc>,
) -> Result<(), EnvelopeError> {
    let object = body.as_object().ok_or(EnvelopeError::NotAnObject)?;
    let text = |name: &str| object.get(name).and_then(Value::as_str).map(str::trim);
    let ver = text("ver").unwrap_or_default();
    if ver != version.as_str() {
        return Err(EnvelopeError::WrongVersion {
            expected: version.as_str().to_owned(),
            found: ver.to_owned(),
        });
    }
    let found = text("txnid").unwrap_or_default();
    if !found.eq_ignore_ascii_case(txnid) {
        return Err(EnvelopeError::TxnIdMismatch {
            expected: txnid.to_owned(),
            found: found.to_owned(),
        });
    }
    let stamp = text("timestamp")
        .or_else(|| text("createTimestamp"))
        .filter(|s| !s.is_empty())
        .ok_or(EnvelopeError::MissingTimestamp)?;
    match parse_date_time(stamp) {
        Some(t) if (t - now).abs() <= TIMESTAMP_WINDOW => Ok(()),
        _ => Err(EnvelopeError::StaleTimestamp(stamp.to_owned())),
    }
}

/// What `/FI/request` needs from the caller.
#[derive(Debug, Clone)]
pub struct FiRequest<'a> {
    pub txnid: &'a str,
    pub now: DateTime<Utc>,
    pub consent_id: &'a str,
    /// The third segment of the artefact's `signedConsent`.
    pub digital_signature: &'a str,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub key_material: &'a KeyMaterial,
}

/// The `/FI/request` body as compact JSON bytes: sign exactly these bytes
/// ([`crate::jws::RsaSigner::sign_detached`]) and send them unchanged. Same shape in both
/// versions.
pub fn fi_request_body(version: WireVersion, request: &FiRequest) -> Vec<u8> {
    let body = json!({
        "ver": version.as_str(),
        "timestamp": timestamp(request.now),
        "txnid": request.txnid,
        "FIDataRange": {"from": timestamp(request.from), "to": timestamp(request.to)},
        "Consent": {"id": request.consent_id, "digitalSignature": request.digital_signature},
        "KeyMaterial": request.key_material,
    });
    body.to_string().into_bytes()
}

/// `/FI/fetch` for a session: 2.0.0 POSTs a body, 1.1.2 GETs a path whose text is what gets
/// signed (query parameters are not part of the signed path, digest §5.1).
pub enum FiFetch {
    Post {
        body: Vec<u8>,
    },
    Get {
        path: String,
        query: Vec<(String, String)>,
    },
}

pub fn fi_fetch(
    version: WireVersion,
    txnid: &str,
    now: DateTime<Utc>,
    session_id: &str,
    fip_id: Option<&str>,
    link_ref_numbers: &[&str],
) -> FiFetch {
    match version {
        WireVersion::V2_0_0 => {
            let mut body = json!({
                "ver": version.as_str(),
                "timestamp": timestamp(now),
                "txnid": txnid,
                "sessionId": session_id,
            });
            if let Some(fip) = fip_id {
                body["fipId"] = fip.into();
            }
            if !link_ref_numbers.is_empty() {
                body["linkRefNumber"] = link_ref_numbers
                    .iter()
                    .map(|id| json!({"id": id}))
                    .collect::<Vec<_>>()
                    .into();
            }
            FiFetch::Post {
                body: body.to_string().into_bytes(),
            }
        }
        WireVersion::V1_1_2 => {
            let mut query: Vec<(String, String)> = fip_id
                .map(|f| ("fipId".to_owned(), f.to_owned()))
                .into_iter()
                .collect();
            query.extend(
                link_ref_numbers
                    .iter()
                    .map(|l| ("linkRefNumber".to_owned(), (*l).to_owned())),
            );
            FiFetch::Get {
                path: format!("/FI/fetch/{session_id}"),
                query,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::{FiKeys, Variant};
    use crate::jws::{verify_detached, RsaSigner};

    fn at(s: &str) -> DateTime<Utc> {
        parse_date_time(s).unwrap()
    }

    #[test]
    fn response_checks() {
        let now = at("2025-01-01T10:05:00.000Z");
        let txnid = "795038d3-86fb-4d3a-a681-2d39e8f4fc3c";
        let ok = json!({"ver": "2.0.0", "timestamp": "2025-01-01T10:05:00.200Z", "txnid": txnid});
        assert_eq!(check_response(&ok, WireVersion::V2_0_0, txnid, now), Ok(()));
        assert!(matches!(
            check_response(&ok, WireVersion::V1_1_2, txnid, now),
            Err(EnvelopeError::WrongVersion { .. })
        ));
        assert!(matches!(
            check_response(&ok, WireVersion::V2_0_0, "another", now),
            Err(EnvelopeError::TxnIdMismatch { .. })
        ));
        let stale =
            json!({"ver": "2.0.0", "timestamp": "2025-01-01T09:49:59.000Z", "txnid": txnid});
        assert!(matches!(
            check_response(&stale, WireVersion::V2_0_0, txnid, now),
            Err(EnvelopeError::StaleTimestamp(_))
        ));
        // The artefact's createTimestamp, with a +0530 offset.
        let artefact = json!({"ver": "2.0.0", "createTimestamp": "2025-01-01T15:40:00.000+0530", "txnid": txnid});
        assert_eq!(
            check_response(&artefact, WireVersion::V2_0_0, txnid, now),
            Ok(())
        );
        let none = json!({"ver": "2.0.0", "txnid": txnid});
        assert_eq!(
            check_response(&none, WireVersion::V2_0_0, txnid, now),
            Err(EnvelopeError::MissingTimestamp)
        );
    }

    #[test]
    fn fi_request_is_signed_over_the_exact_bytes() {
        let rng = ring::rand::SystemRandom::new();
        let keys = FiKeys::generate(Variant::W, &rng).unwrap();
        let now = at("2025-01-01T10:06:00Z");
        let material = keys.key_material(now + Duration::hours(24));
        let body = fi_request_body(
            WireVersion::V2_0_0,
            &FiRequest {
                txnid: "e8cc6822-d4bb-4eb1-9e1b-4996fbff8acb",
                now,
                consent_id: "654024c8-29c8-41e8-8868-0289437bf331",
                digital_signature: "sig",
                from: at("2024-07-01T00:00:00Z"),
                to: at("2025-01-01T00:00:00Z"),
                key_material: &material,
            },
        );
        let parsed: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(parsed["timestamp"], "2025-01-01T10:06:00.000Z");
        assert_eq!(
            parsed["KeyMaterial"]["DHPublicKey"]["expiry"],
            "2025-01-02T10:06:00.000Z"
        );
        assert_eq!(parsed["KeyMaterial"]["curve"], "Curve25519");
        assert_eq!(parsed["Consent"]["digitalSignature"], "sig");
        let signer = RsaSigner::from_pkcs8_der(
            "fiu-1",
            include_bytes!("../tests/data/jws_test_key.pk8.der"),
        )
        .unwrap();
        let jws = signer.sign_detached(&body).unwrap();
        verify_detached(&jws, &body, &signer.public_key()).unwrap();
    }

    #[test]
    fn fi_fetch_in_both_versions() {
        let now = at("2025-01-01T10:07:00Z");
        match fi_fetch(
            WireVersion::V1_1_2,
            "t",
            now,
            "caa2f259-2dc2-4075-87aa-6d81018b6183",
            Some("FIP-1"),
            &["A", "B"],
        ) {
            FiFetch::Get { path, query } => {
                assert_eq!(path, "/FI/fetch/caa2f259-2dc2-4075-87aa-6d81018b6183");
                assert_eq!(query.len(), 3);
            }
            FiFetch::Post { .. } => panic!("1.1.2 fetch is a GET"),
        }
        match fi_fetch(WireVersion::V2_0_0, "t", now, "s", None, &["A"]) {
            FiFetch::Post { body } => {
                let v: Value = serde_json::from_slice(&body).unwrap();
                assert_eq!(v["linkRefNumber"][0]["id"], "A");
                assert!(v.get("fipId").is_none());
            }
            FiFetch::Get { .. } => panic!("2.0.0 fetch is a POST"),
        }
    }
}
