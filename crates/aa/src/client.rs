//! The FIU's calls to an AA (digest §1.3, §2.1–2.5): token, consent create / status / artefact,
//! FI request with fresh key material, FI fetch and decryption. Every request is signed
//! (`x-jws-signature` over the body, or over the path for 1.1.2 GETs) and every answer, errors
//! included, must verify with the AA's registered key and match our `ver`, `txnid` and clock
//! before anything in it is believed (CERT 1011–1041, 2016–2026).
//!
//! HTTP client only: the FIU's callbacks are served elsewhere.

use crate::consent::{self, ConsentArtefact, ConsentError, FetchType, UnitValue};
use crate::crypto::{CryptoError, FiKeys, Variant};
use crate::fetch::{self, FiFetchResponse, OpenedAccount};
use crate::jws::{self, JwsError, RsaPublicKey, RsaSigner};
use crate::messages::{self, check_response, timestamp, EnvelopeError, FiFetch, WireVersion};
use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};
use std::sync::Mutex;

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("could not reach the AA: {0}")]
    Transport(String),
    #[error("token service: {0}")]
    Token(String),
    /// The AA refused, with its ReBIT error code (`InvalidConsentUse`, `DataGone`, ...).
    #[error("AA answered {status} {code}: {message}")]
    Aa {
        status: u16,
        code: String,
        message: String,
    },
    #[error("AA response signature: {0}")]
    Signature(#[from] JwsError),
    #[error("AA response envelope: {0}")]
    Envelope(#[from] EnvelopeError),
    #[error("AA response: {0}")]
    Malformed(String),
    #[error("consent artefact: {0}")]
    Consent(#[from] ConsentError),
    #[error(transparent)]
    Crypto(#[from] CryptoError),
}

impl ClientError {
    /// The AA's error code, when it gave one.
    pub fn aa_code(&self) -> Option<&str> {
        match self {
            Self::Aa { code, .. } => Some(code),
            _ => None,
        }
    }
}

type Result<T> = std::result::Result<T, ClientError>;

/// How to reach and authenticate to one AA.
#[derive(Clone)]
pub struct FiuConfig {
    pub aa_base_url: String,
    pub aa_id: String,
    pub fiu_id: String,
    pub version: WireVersion,
    /// SahamatiNet-style token endpoint (`…/iam/v1/entity/token/generate`, form `id`, `secret`).
    pub token_url: Option<String>,
    pub client_secret: Option<String>,
    /// A token obtained elsewhere (used when no token URL is configured).
    pub static_token: Option<String>,
    /// Key agreement for our FI key material (W unless the AA says otherwise).
    pub key_variant: Variant,
}

impl std::fmt::Debug for FiuConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FiuConfig")
            .field("aa_base_url", &self.aa_base_url)
            .field("aa_id", &self.aa_id)
            .field("fiu_id", &self.fiu_id)
            .field("version", &self.version)
            .field("token_url", &self.token_url)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "<redacted>"),
            )
            .field(
                "static_token",
                &self.static_token.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

/// What the lender asks the user to consent to.
#[derive(Debug, Clone)]
pub struct ConsentRequest {
    /// The user's AA handle, e.g. `9999999999@finvu`.
    pub customer_id: String,
    pub mobile: Option<String>,
    pub purpose_code: String,
    pub purpose_text: String,
    pub fetch_type: FetchType,
    pub consent_types: Vec<String>,
    pub fi_types: Vec<String>,
    pub consent_start: DateTime<Utc>,
    pub consent_expiry: DateTime<Utc>,
    pub fi_from: DateTime<Utc>,
    pub fi_to: DateTime<Utc>,
    pub data_life: UnitValue,
    pub frequency: UnitValue,
}

impl ConsentRequest {
    /// A one-time consent for an aggregated statement (purpose 103) over `fi_from..fi_to`.
    pub fn one_time_statement(
        customer_id: &str,
        fi_from: DateTime<Utc>,
        fi_to: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> ConsentRequest {
        ConsentRequest {
            customer_id: customer_id.to_owned(),
            mobile: None,
            purpose_code: "103".into(),
            purpose_text: "Aggregated statement".into(),
            fetch_type: FetchType::Onetime,
            consent_types: vec!["PROFILE".into(), "SUMMARY".into(), "TRANSACTIONS".into()],
            fi_types: vec!["DEPOSIT".into()],
            consent_start: now,
            consent_expiry: now + Duration::days(30),
            fi_from,
            fi_to,
            data_life: UnitValue {
                unit: "MONTH".into(),
                value: 1,
            },
            frequency: UnitValue {
                unit: "MONTH".into(),
                value: 1,
            },
        }
    }

    fn detail(&self, version: WireVersion, fiu_id: &str) -> Value {
        let fetch_type = match self.fetch_type {
            FetchType::Onetime => "ONETIME",
            FetchType::Periodic => "PERIODIC",
        };
        let mut customer = json!({"id": self.customer_id});
        let mut consumer = json!({"id": fiu_id});
        if version == WireVersion::V2_0_0 {
            consumer["type"] = "FIU".into();
            if let Some(mobile) = &self.mobile {
                customer["Identifiers"] = json!([{"type": "MOBILE", "value": mobile}]);
            }
        }
        json!({
            "consentStart": timestamp(self.consent_start),
            "consentExpiry": timestamp(self.consent_expiry),
            "consentMode": "STORE",
            "fetchType": fetch_type,
            "consentTypes": self.consent_types,
            "fiTypes": self.fi_types,
            "DataConsumer": consumer,
            "Customer": customer,
            "Purpose": {
                "code": self.purpose_code,
                "refUri": format!("https://api.rebit.org.in/aa/purpose/{}.xml", self.purpose_code),
                "text": self.purpose_text,
                "Category": {"type": "string"},
            },
            "FIDataRange": {"from": timestamp(self.fi_from), "to": timestamp(self.fi_to)},
            "DataLife": {"unit": self.data_life.unit, "value": self.data_life.value},
            "Frequency": {"unit": self.frequency.unit, "value": self.frequency.value},
        })
    }
}

/// `ConsentStatus` by handle, in one vocabulary for both versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HandleStatus {
    Pending,
    /// `READY` / `APPROVED`: the consent id is known.
    Approved(String),
    Rejected,
    Expired,
    Failed,
}

/// An FI request's session and the keys its data will be encrypted for.
#[derive(Debug, Clone)]
pub struct FiSession {
    pub session_id: String,
    pub keys: FiKeys,
}

pub struct FiuClient {
    http: reqwest::Client,
    config: FiuConfig,
    signer: RsaSigner,
    aa_key: RsaPublicKey,
    token: Mutex<Option<(String, DateTime<Utc>)>>,
}

enum Call<'a> {
    Post {
        path: &'a str,
        body: Vec<u8>,
    },
    Get {
        path: String,
        query: Vec<(String, String)>,
    },
}

impl FiuClient {
    pub fn new(config: FiuConfig, signer: RsaSigner, aa_key: RsaPublicKey) -> FiuClient {
        let http = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(30))
            .build()
            .unwrap_or_default();
        FiuClient {
            http,
            config,
            signer,
            aa_key,
            token: Mutex::new(None),
        }
    }

    pub fn config(&self) -> &FiuConfig {
        &self.config
    }

    /// Our access token, renewed an hour before it runs out.
    pub async fn token(&self) -> Result<String> {
        if let Some((token, until)) = self.token.lock().unwrap_or_else(|e| e.into_inner()).clone() {
            if until > Utc::now() {
                return Ok(token);
            }
        }
        let (Some(url), Some(secret)) = (&self.config.token_url, &self.config.client_secret) else {
            return self.config.static_token.clone().ok_or_else(|| {
                ClientError::Token("no token URL/secret and no static token".into())
            });
        };
        let response = self
            .http
            .post(url)
            .form(&[
                ("id", self.config.fiu_id.as_str()),
                ("secret", secret.as_str()),
            ])
            .send()
            .await
            .map_err(|e| ClientError::Token(e.to_string()))?;
        let status = response.status();
        let body: Value = response
            .json()
            .await
            .map_err(|e| ClientError::Token(e.to_string()))?;
        let token = body
            .get("accessToken")
            .or_else(|| body.get("access_token"))
            .and_then(Value::as_str)
            .filter(|_| status.is_success())
            .ok_or_else(|| ClientError::Token(format!("HTTP {status}, no accessToken")))?
            .to_owned();
        let lifetime = body
            .get("expiresIn")
            .or_else(|| body.get("expires_in"))
            .and_then(Value::as_i64)
            .unwrap_or(86_400);
        let until = Utc::now() + Duration::seconds((lifetime - 3_600).max(60));
        *self.token.lock().unwrap_or_else(|e| e.into_inner()) = Some((token.clone(), until));
        Ok(token)
    }

    /// Signs, sends, verifies the answer's signature, then its envelope. Returns the parsed
    /// body and its raw bytes (the artefact is re-read from them, never re-serialised).
    /// `txnid` is None for 1.1.2 GETs, where the AA chooses it.
    async fn exchange(&self, call: Call<'_>, txnid: Option<&str>) -> Result<(Value, Vec<u8>)> {
        let token = self.token().await?;
        let base = self.config.aa_base_url.trim_end_matches('/');
        let (builder, signed) = match call {
            Call::Post { path, body } => {
                let sig = self.signer.sign_detached(&body)?;
                let b = self
                    .http
                    .post(format!("{base}{path}"))
                    .header("content-type", "application/json")
                    .body(body);
                (b, sig)
            }
            Call::Get { path, query } => {
                let sig = self.signer.sign_detached(path.as_bytes())?;
                (self.http.get(format!("{base}{path}")).query(&query), sig)
            }
        };
        let response = builder
            .header("client_api_key", token)
            .header("x-jws-signature", signed)
            .send()
            .await
            .map_err(|e| ClientError::Transport(e.to_string()))?;
        let status = response.status().as_u16();
        let signature = response
            .headers()
            .get("x-jws-signature")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let bytes = response
            .bytes()
            .await
            .map_err(|e| ClientError::Transport(e.to_string()))?
            .to_vec();
        let signature = signature.ok_or(JwsError::Malformed("x-jws-signature is missing"))?;
        jws::verify_detached(&signature, &bytes, &self.aa_key)?;
        let body: Value = serde_json::from_slice(&bytes)
            .map_err(|e| ClientError::Malformed(format!("not JSON: {e}")))?;
        if status != 200 {
            let text = |name: &str| {
                body.get(name)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned()
            };
            return Err(ClientError::Aa {
                status,
                code: text("errorCode"),
                message: text("errorMsg"),
            });
        }
        let answer_txnid = body
            .get("txnid")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let expected = txnid.unwrap_or(answer_txnid).to_owned();
        check_response(&body, self.config.version, &expected, Utc::now())?;
        Ok((body, bytes))
    }

    fn envelope(&self, txnid: &str, members: Value) -> Vec<u8> {
        let mut body = json!({
            "ver": self.config.version.as_str(),
            "timestamp": timestamp(Utc::now()),
            "txnid": txnid,
        });
        if let (Some(target), Value::Object(extra)) = (body.as_object_mut(), members) {
            target.extend(extra);
        }
        body.to_string().into_bytes()
    }

    /// `POST /Consent` → the consent handle.
    pub async fn create_consent(&self, request: &ConsentRequest) -> Result<String> {
        let txnid = new_txnid();
        let detail = request.detail(self.config.version, &self.config.fiu_id);
        let body = self.envelope(&txnid, json!({"ConsentDetail": detail}));
        let (answer, _) = self
            .exchange(
                Call::Post {
                    path: "/Consent",
                    body,
                },
                Some(&txnid),
            )
            .await?;
        let customer = answer.pointer("/Customer/id").and_then(Value::as_str);
        if customer.is_some_and(|c| c != request.customer_id) {
            return Err(ClientError::Malformed(
                "Customer.id is not the one we asked for".into(),
            ));
        }
        answer
            .get("ConsentHandle")
            .and_then(Value::as_str)
            .filter(|h| !h.trim().is_empty())
            .map(str::to_owned)
            .ok_or_else(|| ClientError::Malformed("no ConsentHandle".into()))
    }

    /// Consent request status by handle (`POST /Consent/handle`, 1.1.2 `GET /Consent/handle/{h}`).
    pub async fn consent_status(&self, handle: &str) -> Result<HandleStatus> {
        let (answer, _) = match self.config.version {
            WireVersion::V2_0_0 => {
                let txnid = new_txnid();
                let body = self.envelope(&txnid, json!({"ConsentHandle": handle}));
                self.exchange(
                    Call::Post {
                        path: "/Consent/handle",
                        body,
                    },
                    Some(&txnid),
                )
                .await?
            }
            WireVersion::V1_1_2 => {
                self.get(format!("/Consent/handle/{handle}"), Vec::new())
                    .await?
            }
        };
        let status = answer
            .pointer("/ConsentStatus/status")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_ascii_uppercase();
        let id = answer
            .pointer("/ConsentStatus/id")
            .and_then(Value::as_str)
            .filter(|s| !s.trim().is_empty())
            .map(str::to_owned);
        Ok(match (status.as_str(), id) {
            ("READY" | "APPROVED", Some(id)) => HandleStatus::Approved(id),
            ("READY" | "APPROVED" | "PENDING", None) | ("PENDING", _) => HandleStatus::Pending,
            ("REJECTED", _) => HandleStatus::Rejected,
            ("EXPIRED", _) => HandleStatus::Expired,
            ("FAILED", _) => HandleStatus::Failed,
            (other, _) => return Err(ClientError::Malformed(format!("consent status {other:?}"))),
        })
    }

    async fn get(&self, path: String, query: Vec<(String, String)>) -> Result<(Value, Vec<u8>)> {
        self.exchange(Call::Get { path, query }, None).await
    }

    /// The signed consent artefact, verified with the AA's key and checked to be ours.
    pub async fn fetch_artefact(&self, consent_id: &str) -> Result<ConsentArtefact> {
        let (_, bytes) = match self.config.version {
            WireVersion::V2_0_0 => {
                let txnid = new_txnid();
                let body = self.envelope(&txnid, json!({"consentId": consent_id}));
                self.exchange(
                    Call::Post {
                        path: "/Consent/fetch",
                        body,
                    },
                    Some(&txnid),
                )
                .await?
            }
            WireVersion::V1_1_2 => {
                self.get(format!("/Consent/{consent_id}"), Vec::new())
                    .await?
            }
        };
        let artefact = consent::verify_artefact(&bytes, &self.aa_key)?;
        if artefact.consent_id != consent_id {
            return Err(ClientError::Malformed(
                "the artefact is for another consent".into(),
            ));
        }
        if artefact
            .detail
            .data_consumer_id
            .as_deref()
            .is_some_and(|c| c != self.config.fiu_id)
        {
            return Err(ClientError::Malformed(
                "the artefact names another FIU".into(),
            ));
        }
        Ok(artefact)
    }

    /// `POST /FI/request` with a fresh key pair and nonce (kept in the returned session: the
    /// only way to read this request's data).
    pub async fn request_fi(
        &self,
        artefact: &ConsentArtefact,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<FiSession> {
        let rng = ring::rand::SystemRandom::new();
        let keys = FiKeys::generate(self.config.key_variant, &rng)?;
        let now = Utc::now();
        let material = keys.key_material(now + Duration::hours(24));
        let txnid = new_txnid();
        let body = messages::fi_request_body(
            self.config.version,
            &messages::FiRequest {
                txnid: &txnid,
                now,
                consent_id: &artefact.consent_id,
                digital_signature: &artefact.digital_signature,
                from,
                to,
                key_material: &material,
            },
        );
        let (answer, _) = self
            .exchange(
                Call::Post {
                    path: "/FI/request",
                    body,
                },
                Some(&txnid),
            )
            .await?;
        let session_id = answer
            .get("sessionId")
            .and_then(Value::as_str)
            .filter(|s| !s.trim().is_empty())
            .ok_or_else(|| ClientError::Malformed("no sessionId".into()))?
            .to_owned();
        Ok(FiSession { session_id, keys })
    }

    /// `/FI/fetch` for the session, every account decrypted and parsed on its own.
    pub async fn fetch_fi(&self, session: &FiSession) -> Result<Vec<OpenedAccount>> {
        let txnid = new_txnid();
        let call = messages::fi_fetch(
            self.config.version,
            &txnid,
            Utc::now(),
            &session.session_id,
            None,
            &[],
        );
        let (_, bytes) = match call {
            FiFetch::Post { body } => {
                self.exchange(
                    Call::Post {
                        path: "/FI/fetch",
                        body,
                    },
                    Some(&txnid),
                )
                .await?
            }
            FiFetch::Get { path, query } => self.get(path, query).await?,
        };
        let response: FiFetchResponse = serde_json::from_slice(&bytes)
            .map_err(|e| ClientError::Malformed(format!("FI fetch body: {e}")))?;
        Ok(fetch::open(&session.keys, &response))
    }
}

pub fn new_txnid() -> String {
    uuid::Uuid::new_v4().to_string()
}
