//! The AA API (digest §2.1–2.6), both wire versions: 2.0.0 POSTs and the 1.1.2 GETs.

use crate::envelope::{self, accept_get, accept_post, err, invalid, ok, ApiError, Req};
use crate::notify;
use crate::state::{uses_in_unit, Consent, ConsentState, FiSession, Sim};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::{DateTime, Utc};
use ledgerlens_aa::consent::parse_date_time;
use ledgerlens_aa::crypto::{self, FiKeys, KeyMaterial, PublicKey};
use ledgerlens_aa::messages::timestamp;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::sync::Arc;

type S = State<Arc<Sim>>;

async fn delay(sim: &Sim) {
    let ms = sim.faults().response_delay_ms;
    if ms > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
    }
}

/// Runs `handle` on an accepted POST and signs whatever comes out.
async fn post(
    sim: &Sim,
    headers: &HeaderMap,
    body: &[u8],
    handle: impl FnOnce(&Sim, &Req) -> Result<Value, ApiError>,
) -> Response {
    delay(sim).await;
    match accept_post(sim, headers, body) {
        Ok(req) => match handle(sim, &req) {
            Ok(members) => ok(sim, &req, members),
            Err(e) => envelope::error(sim, Some(&req), e),
        },
        Err(refused) => {
            let (req, e) = *refused;
            envelope::error(sim, req.as_ref(), e)
        }
    }
}

async fn get(
    sim: &Sim,
    headers: &HeaderMap,
    path: &str,
    handle: impl FnOnce(&Sim, &Req) -> Result<Value, ApiError>,
) -> Response {
    delay(sim).await;
    match accept_get(sim, headers, path) {
        Ok(req) => match handle(sim, &req) {
            Ok(members) => ok(sim, &req, members),
            Err(e) => envelope::error(sim, Some(&req), e),
        },
        Err(e) => envelope::error(sim, None, e),
    }
}

pub async fn heartbeat(State(sim): S, headers: HeaderMap) -> Response {
    if let Err(e) = envelope::check_token(&sim, &headers) {
        return envelope::error(&sim, None, e);
    }
    envelope::signed(
        &sim,
        axum::http::StatusCode::OK,
        &json!({"ver": "2.0.0", "timestamp": timestamp(Utc::now()), "Status": "UP"}),
    )
}

pub async fn consent_create(State(sim): S, headers: HeaderMap, body: Bytes) -> Response {
    post(&sim, &headers, &body, create_consent).await
}

fn text<'a>(o: &'a Map<String, Value>, name: &str) -> Option<&'a str> {
    o.get(name)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

fn obj<'a>(o: &'a Map<String, Value>, name: &str) -> Option<&'a Map<String, Value>> {
    o.get(name)
        .and_then(Value::as_object)
        .filter(|m| !m.is_empty())
}

fn date(o: &Map<String, Value>, name: &str) -> Result<DateTime<Utc>, ApiError> {
    text(o, name)
        .and_then(parse_date_time)
        .ok_or_else(|| invalid(format!("{name} is missing or not a date-time")))
}

fn create_consent(sim: &Sim, req: &Req) -> Result<Value, ApiError> {
    let detail =
        obj(&req.body, "ConsentDetail").ok_or_else(|| invalid("ConsentDetail is missing"))?;
    let start = date(detail, "consentStart")?;
    let expiry = date(detail, "consentExpiry")?;
    if expiry <= start {
        return Err(invalid("consentExpiry is not after consentStart"));
    }
    for name in ["consentMode", "fetchType"] {
        text(detail, name).ok_or_else(|| invalid(format!("{name} is missing")))?;
    }
    for name in ["consentTypes", "fiTypes"] {
        if detail
            .get(name)
            .and_then(Value::as_array)
            .is_none_or(Vec::is_empty)
        {
            return Err(invalid(format!("{name} is missing")));
        }
    }
    let consumer = obj(detail, "DataConsumer").and_then(|c| text(c, "id"));
    if consumer != Some(sim.config.fiu_id.as_str()) {
        return Err(invalid("DataConsumer.id is not the calling FIU"));
    }
    let customer = obj(detail, "Customer")
        .and_then(|c| text(c, "id"))
        .ok_or_else(|| invalid("Customer.id is missing"))?;
    if !customer.contains('@') {
        return Err(err(
            400,
            "InvalidCustomerAddress",
            "Customer.id is not a handle like 9999999999@aa",
        ));
    }
    let purpose = obj(detail, "Purpose")
        .and_then(|p| text(p, "code"))
        .unwrap_or_default();
    if !["101", "102", "103", "104", "105"].contains(&purpose) {
        return Err(err(
            400,
            "InvalidConsentPurpose",
            "Purpose.code is not 101-105",
        ));
    }
    let range = obj(detail, "FIDataRange").ok_or_else(|| invalid("FIDataRange is missing"))?;
    if date(range, "to")? < date(range, "from")? {
        return Err(invalid("FIDataRange.to is before from"));
    }
    for name in ["DataLife", "Frequency"] {
        obj(detail, name).ok_or_else(|| invalid(format!("{name} is missing")))?;
    }
    let handle = uuid::Uuid::new_v4().to_string();
    let consent = Consent {
        handle: handle.clone(),
        id: None,
        ver: req.ver.clone(),
        detail: detail.clone(),
        state: ConsentState::Pending,
        accounts: Vec::new(),
        signed_consent: None,
        created: Utc::now(),
        uses: Vec::new(),
        customer_id: customer.to_owned(),
    };
    sim.store().consents.insert(handle.clone(), consent);
    Ok(json!({"Customer": {"id": customer}, "ConsentHandle": handle}))
}

pub async fn consent_handle_post(State(sim): S, headers: HeaderMap, body: Bytes) -> Response {
    post(&sim, &headers, &body, |sim, req| {
        let handle = text(&req.body, "ConsentHandle")
            .unwrap_or_default()
            .to_owned();
        consent_status(sim, req, &handle)
    })
    .await
}

pub async fn consent_handle_get(
    State(sim): S,
    headers: HeaderMap,
    Path(handle): Path<String>,
) -> Response {
    let path = format!("/Consent/handle/{handle}");
    get(&sim, &headers, &path, |sim, req| {
        consent_status(sim, req, &handle)
    })
    .await
}

fn consent_status(sim: &Sim, req: &Req, handle: &str) -> Result<Value, ApiError> {
    let store = sim.store();
    let consent = store
        .consents
        .get(handle)
        .ok_or_else(|| err(400, "InvalidConsentHandle", "unknown consent handle"))?;
    let v1 = req.ver == "1.1.2";
    let status = match consent.state {
        ConsentState::Pending => "PENDING",
        ConsentState::Active | ConsentState::Paused | ConsentState::Revoked => "READY",
        ConsentState::Rejected if v1 => "FAILED",
        ConsentState::Rejected => "REJECTED",
        ConsentState::Expired if v1 => "FAILED",
        ConsentState::Expired => "EXPIRED",
    };
    let mut status_obj = json!({"status": status});
    if let Some(id) = &consent.id {
        status_obj["id"] = id.clone().into();
    }
    Ok(json!({"ConsentHandle": handle, "ConsentStatus": status_obj}))
}

pub async fn consent_fetch_post(State(sim): S, headers: HeaderMap, body: Bytes) -> Response {
    post(&sim, &headers, &body, |sim, req| {
        let id = text(&req.body, "consentId").unwrap_or_default().to_owned();
        artefact(sim, &id)
    })
    .await
}

pub async fn consent_fetch_get(
    State(sim): S,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let path = format!("/Consent/{id}");
    get(&sim, &headers, &path, |sim, _| artefact(sim, &id)).await
}

fn artefact(sim: &Sim, id: &str) -> Result<Value, ApiError> {
    let mut store = sim.store();
    let consent = store
        .consent_by_id(id)
        .ok_or_else(|| err(400, "InvalidConsentId", "unknown consentId"))?;
    let last_use = consent.uses.last().copied().unwrap_or(consent.created);
    Ok(json!({
        "consentId": id,
        "status": consent.state.as_str(),
        "createTimestamp": timestamp(consent.created),
        "signedConsent": consent.signed_consent.clone().unwrap_or_default(),
        "ConsentUse": {
            "logUri": "",
            "count": consent.uses.len(),
            "lastUseDateTime": timestamp(last_use),
        },
    }))
}

pub async fn fi_request(State(sim): S, headers: HeaderMap, body: Bytes) -> Response {
    let sim2 = sim.clone();
    post(&sim, &headers, &body, move |_, req| request_fi(&sim2, req)).await
}

fn request_fi(sim: &Arc<Sim>, req: &Req) -> Result<Value, ApiError> {
    let consent_obj = obj(&req.body, "Consent").ok_or_else(|| invalid("Consent is missing"))?;
    let consent_id = text(consent_obj, "id").ok_or_else(|| invalid("Consent.id is missing"))?;
    let signature = text(consent_obj, "digitalSignature").unwrap_or_default();
    let range = obj(&req.body, "FIDataRange").ok_or_else(|| invalid("FIDataRange is missing"))?;
    let (from, to) = (date(range, "from")?, date(range, "to")?);
    let material: KeyMaterial = req
        .body
        .get("KeyMaterial")
        .cloned()
        .and_then(|v| serde_json::from_value(v).ok())
        .ok_or_else(|| err(400, "InvalidKey", "KeyMaterial is missing or malformed"))?;
    check_key_material(&material)?;
    let faults = sim.faults();
    let now = Utc::now();
    let session_id = uuid::Uuid::new_v4().to_string();
    let mut store = sim.store();
    let consent = store
        .consent_by_id(consent_id)
        .ok_or_else(|| err(400, "InvalidConsentId", "unknown consentId"))?;
    if consent.state != ConsentState::Active {
        let message = format!("consent is {}", consent.state.as_str());
        return Err(err(400, "InvalidConsentStatus", message));
    }
    let signed = consent.signed_consent.as_deref().unwrap_or_default();
    if ledgerlens_aa::jws::consent_digital_signature(signed) != Some(signature) {
        return Err(err(
            400,
            "InvalidConsentDetail",
            "digitalSignature is not the artefact's",
        ));
    }
    let consent_range = obj(&consent.detail, "FIDataRange")
        .cloned()
        .unwrap_or_default();
    let (c_from, c_to) = (date(&consent_range, "from")?, date(&consent_range, "to")?);
    if from < c_from || to > c_to || to < from {
        return Err(err(
            400,
            "InvalidDateRange",
            "FIDataRange is outside the consent's",
        ));
    }
    if date(&consent.detail, "consentExpiry")? <= now {
        return Err(err(400, "InvalidConsentStatus", "consent has expired"));
    }
    check_use(consent, now)?;
    consent.uses.push(now);
    let accounts: Vec<_> = consent
        .accounts
        .iter()
        .map(|a| (a.clone(), faults.denies(&a.link_ref)))
        .collect();
    let session = FiSession {
        id: session_id.clone(),
        consent_handle: consent.handle.clone(),
        from,
        to,
        fiu_key: material,
        ready_at: now + chrono::Duration::milliseconds(faults.fi_delay_ms as i64),
        accounts,
        faults,
        fetches: 0,
    };
    store.sessions.insert(session_id.clone(), session.clone());
    drop(store);
    notify::fi_progress(sim.clone(), req.ver.clone(), session);
    Ok(json!({"consentId": consent_id, "sessionId": session_id}))
}

/// ONETIME: one FI request in total; PERIODIC: at most `Frequency.value` per calendar unit.
fn check_use(consent: &Consent, now: DateTime<Utc>) -> Result<(), ApiError> {
    let periodic = text(&consent.detail, "fetchType") == Some("PERIODIC");
    if !periodic {
        return if consent.uses.is_empty() {
            Ok(())
        } else {
            Err(err(
                400,
                "InvalidConsentUse",
                "a ONETIME consent was used already",
            ))
        };
    }
    let frequency = obj(&consent.detail, "Frequency")
        .cloned()
        .unwrap_or_default();
    let unit = text(&frequency, "unit").unwrap_or("MONTH");
    let allowed = frequency.get("value").and_then(Value::as_u64).unwrap_or(1) as usize;
    if unit != "INF" && uses_in_unit(&consent.uses, unit, now) >= allowed {
        return Err(err(
            400,
            "InvalidConsentUse",
            format!("more than {allowed} per {unit}"),
        ));
    }
    Ok(())
}

fn check_key_material(material: &KeyMaterial) -> Result<(), ApiError> {
    PublicKey::parse(&material.dh_public_key.key_value)
        .map_err(|e| err(400, "InvalidKey", format!("DHPublicKey: {e}")))?;
    let nonce_ok = STANDARD
        .decode(material.nonce.trim())
        .is_ok_and(|n| n.len() == crypto::NONCE_LEN);
    if !nonce_ok {
        return Err(err(400, "InvalidKey", "Nonce is not 32 bytes of base64"));
    }
    if let Some(expiry) = parse_date_time(&material.dh_public_key.expiry) {
        if expiry <= Utc::now() {
            return Err(err(400, "InvalidKey", "DHPublicKey has expired"));
        }
    }
    Ok(())
}

pub async fn fi_fetch_post(State(sim): S, headers: HeaderMap, body: Bytes) -> Response {
    post(&sim, &headers, &body, |sim, req| {
        let session = text(&req.body, "sessionId").unwrap_or_default().to_owned();
        let fip = text(&req.body, "fipId").map(str::to_owned);
        let refs: Vec<String> = req
            .body
            .get("linkRefNumber")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|r| r.get("id")?.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        fetch_fi(sim, &session, fip.as_deref(), &refs)
    })
    .await
}

pub async fn fi_fetch_get(
    State(sim): S,
    headers: HeaderMap,
    Path(session): Path<String>,
    Query(query): Query<Vec<(String, String)>>,
) -> Response {
    let path = format!("/FI/fetch/{session}");
    let fip = query
        .iter()
        .find(|(k, _)| k == "fipId")
        .map(|(_, v)| v.clone());
    let refs: Vec<String> = query
        .iter()
        .filter(|(k, _)| k == "linkRefNumber")
        .map(|(_, v)| v.clone())
        .collect();
    get(&sim, &headers, &path, |sim, _| {
        fetch_fi(sim, &session, fip.as_deref(), &refs)
    })
    .await
}

fn fetch_fi(
    sim: &Sim,
    session_id: &str,
    fip_filter: Option<&str>,
    refs: &[String],
) -> Result<Value, ApiError> {
    let mut store = sim.store();
    let session = store
        .sessions
        .get_mut(session_id)
        .ok_or_else(|| err(400, "InvalidSessionId", "unknown sessionId"))?;
    session.fetches += 1;
    let session = session.clone();
    let consent = store
        .consents
        .get(&session.consent_handle)
        .cloned()
        .ok_or_else(|| err(400, "InvalidConsentId", "the session's consent is gone"))?;
    drop(store);
    match consent.state {
        ConsentState::Revoked => return Err(err(403, "ConsentRevoked", "consent was revoked")),
        ConsentState::Paused => return Err(err(403, "ConsentPaused", "consent is paused")),
        ConsentState::Expired => return Err(err(403, "ConsentExpired", "consent has expired")),
        _ => {}
    }
    if Utc::now() < session.ready_at {
        return Err(err(
            403,
            "DataFetchRequestInProgress",
            "data is not ready yet",
        ));
    }
    if session.faults.session_failed {
        return Err(err(404, "NoDataFound", "the FI session failed"));
    }
    if session.faults.data_gone {
        return Err(err(410, "DataGone", "the data was purged"));
    }
    if session.faults.no_data {
        return Err(err(404, "NoDataFound", "no data for this session"));
    }
    let mut by_fip: BTreeMap<String, Vec<&crate::config::SimAccount>> = BTreeMap::new();
    for (account, denied) in &session.accounts {
        let wanted = fip_filter.is_none_or(|f| f == account.fip_id)
            && (refs.is_empty() || refs.contains(&account.link_ref));
        if !denied && wanted {
            by_fip
                .entry(account.fip_id.clone())
                .or_default()
                .push(account);
        }
    }
    if by_fip.is_empty() {
        return Err(err(
            404,
            "NoDataFound",
            "no account of this session has data",
        ));
    }
    let mut fi = Vec::new();
    for (fip_id, accounts) in by_fip {
        fi.push(fip_entry(sim, &session, &consent, &fip_id, &accounts)?);
    }
    Ok(json!({"FI": fi}))
}

/// One FIP's answer: a fresh key pair and nonce, every account encrypted for the FIU.
fn fip_entry(
    sim: &Sim,
    session: &FiSession,
    consent: &Consent,
    fip_id: &str,
    accounts: &[&crate::config::SimAccount],
) -> Result<Value, ApiError> {
    let internal = |e: String| err(500, "InternalError", e);
    let rng = ring::rand::SystemRandom::new();
    let fip_keys =
        FiKeys::generate(sim.config.fip_variant, &rng).map_err(|e| internal(e.to_string()))?;
    let material = fip_keys.key_material(Utc::now() + chrono::Duration::hours(1));
    let types: Vec<&str> = consent
        .detail
        .get("consentTypes")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let ist = ledgerlens_aa::fi::ist();
    let mut data = Vec::new();
    for account in accounts {
        let statement = sim.statement(account).map_err(internal)?;
        let disclosure = crate::fi_data::Disclosure {
            from: session.from.with_timezone(&ist).date_naive(),
            to: session.to.with_timezone(&ist).date_naive(),
            profile: types.contains(&"PROFILE"),
            summary: types.contains(&"SUMMARY"),
            transactions: types.contains(&"TRANSACTIONS"),
            empty_transactions: session.faults.no_transactions,
        };
        let xml =
            crate::fi_data::deposit_xml(account, &statement.1, &consent.mobile(), &disclosure);
        let encrypted = crypto::encrypt_fi(
            &fip_keys.private,
            &material.nonce,
            &session.fiu_key.dh_public_key.key_value,
            &session.fiu_key.nonce,
            xml.as_bytes(),
        )
        .map_err(|e| err(400, "InvalidKey", e.to_string()))?;
        data.push(json!({
            "linkRefNumber": account.link_ref,
            "maskedAccNumber": crate::fi_data::masked(&statement.1.identity.account_number),
            "encryptedFI": encrypted,
        }));
    }
    Ok(json!({"fipID": fip_id, "data": data, "KeyMaterial": material}))
}
