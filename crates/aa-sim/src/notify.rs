//! Notifications to the FIU (digest §2.7, §8.4): signed with the AA's key, `aa_api_key` = a
//! token the simulated issuer made for the AA, `Notifier {type: AA}`. Faults apply: bad
//! signature, stale timestamp, duplicates. The FIU's answers are logged for tests.

use crate::state::{Consent, FiSession, SentNotification, Sim};
use chrono::Utc;
use ledgerlens_aa::jws;
use ledgerlens_aa::messages::timestamp;
use serde_json::{json, Value};
use std::sync::Arc;

/// `ConsentStatusNotification` for the consent's current state.
pub fn consent(sim: Arc<Sim>, consent: &Consent) {
    let mut inner = json!({
        "consentHandle": consent.handle,
        "consentStatus": consent.state.as_str(),
    });
    if let Some(id) = &consent.id {
        inner["consentId"] = id.clone().into();
    }
    let ver = consent.ver.clone();
    tokio::spawn(async move {
        let body = envelope(&sim, &ver, "ConsentStatusNotification", inner);
        send(&sim, "/Consent/Notification", body).await;
    });
}

/// FI session progress: ACTIVE with PENDING accounts while the FIP "works" (when there is a
/// delay), then COMPLETED with READY/DENIED per account, or FAILED.
pub fn fi_progress(sim: Arc<Sim>, ver: String, session: FiSession) {
    tokio::spawn(async move {
        let delay_ms = session.faults.fi_delay_ms;
        if delay_ms > 0 {
            let body = fi_body(&sim, &ver, &session, "ACTIVE", |_| "PENDING");
            send(&sim, "/FI/Notification", body).await;
            tokio::time::sleep(std::time::Duration::from_millis(delay_ms)).await;
        }
        let (status, per_account): (&str, fn(bool) -> &'static str) =
            if session.faults.session_failed {
                ("FAILED", |_| "TIMEOUT")
            } else {
                (
                    "COMPLETED",
                    |denied| if denied { "DENIED" } else { "READY" },
                )
            };
        let body = fi_body(&sim, &ver, &session, status, per_account);
        send(&sim, "/FI/Notification", body).await;
    });
}

fn fi_body(
    sim: &Sim,
    ver: &str,
    session: &FiSession,
    status: &str,
    account_status: impl Fn(bool) -> &'static str,
) -> Value {
    let mut fips: Vec<(String, Vec<Value>)> = Vec::new();
    for (account, denied) in &session.accounts {
        let entry = json!({
            "linkRefNumber": account.link_ref,
            "FIStatus": account_status(*denied),
            "description": "",
        });
        match fips.iter_mut().find(|(fip, _)| *fip == account.fip_id) {
            Some((_, list)) => list.push(entry),
            None => fips.push((account.fip_id.clone(), vec![entry])),
        }
    }
    let responses: Vec<Value> = fips
        .into_iter()
        .map(|(fip, accounts)| json!({"fipID": fip, "Accounts": accounts}))
        .collect();
    envelope(
        sim,
        ver,
        "FIStatusNotification",
        json!({"sessionId": session.id, "sessionStatus": status, "FIStatusResponse": responses}),
    )
}

fn envelope(sim: &Sim, ver: &str, name: &str, inner: Value) -> Value {
    let mut body = json!({
        "ver": ver,
        "timestamp": timestamp(sim.now_for_peer()),
        "txnid": uuid::Uuid::new_v4().to_string(),
        "Notifier": {"type": "AA", "id": sim.config.aa_id},
    });
    body[name] = inner;
    body
}

/// The AA's own access token (what a real AA gets from Sahamati).
pub fn aa_token(sim: &Sim) -> String {
    let now = Utc::now().timestamp();
    let claims = json!({
        "iss": format!("{}/auth/realms/sahamati", sim.base_url),
        "sub": sim.config.aa_id, "azp": sim.config.aa_id, "clientId": sim.config.aa_id,
        "roles": ["AA"], "typ": "Bearer", "iat": now, "exp": now + 86_400,
        "jti": uuid::Uuid::new_v4().to_string(),
    });
    sim.config.issuer.sign_jwt(&claims).unwrap_or_default()
}

async fn send(sim: &Sim, path: &str, body: Value) {
    let copies = if sim.faults().duplicate_notifications {
        2
    } else {
        1
    };
    for _ in 0..copies {
        send_once(sim, path, &body).await;
    }
}

/// Up to three attempts with back-off on transport errors and 5xx (the retry policy is not
/// specified anywhere; 4xx means the FIU refused this body, and resending it would not help).
async fn send_once(sim: &Sim, path: &str, body: &Value) {
    let Some(base) = sim.fiu_base_url() else {
        return;
    };
    let bytes = body.to_string().into_bytes();
    let signature = sim.signer().sign_detached(&bytes).unwrap_or_default();
    let mut record = SentNotification {
        path: path.to_owned(),
        body: body.clone(),
        http_status: None,
        answer: None,
        answer_signed: false,
    };
    for attempt in 0..3u32 {
        if attempt > 0 {
            tokio::time::sleep(std::time::Duration::from_millis(200 * u64::from(attempt))).await;
        }
        let result = sim
            .http
            .post(format!("{base}{path}"))
            .header("content-type", "application/json")
            .header("aa_api_key", aa_token(sim))
            .header("x-jws-signature", &signature)
            .body(bytes.clone())
            .send()
            .await;
        let Ok(response) = result else { continue };
        let status = response.status().as_u16();
        let answer_sig = response
            .headers()
            .get("x-jws-signature")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let answer = response.bytes().await.unwrap_or_default();
        record.http_status = Some(status);
        record.answer_signed = answer_sig
            .is_some_and(|s| jws::verify_detached(&s, &answer, &sim.config.fiu_key).is_ok());
        record.answer = serde_json::from_slice(&answer).ok();
        if status < 500 {
            break;
        }
    }
    tracing::info!(path, status = ?record.http_status, "notification sent to the FIU");
    sim.store().notifications.push(record);
}
