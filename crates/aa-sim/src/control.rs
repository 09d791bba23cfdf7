//! The token service and registry a real AA would sit behind (digest §5.4, §8.1), and the
//! simulator's own test controls under `/_sim` (not part of any spec).

use crate::config::Faults;
use crate::lifecycle::{self, Action};
use crate::state::Sim;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::Utc;
use ledgerlens_aa::messages::timestamp;
use serde_json::{json, Value};
use std::sync::Arc;

type S = State<Arc<Sim>>;

fn form(body: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(body).into_owned().collect()
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn fiu_token(sim: &Sim) -> String {
    let now = Utc::now().timestamp();
    let claims = json!({
        "iss": format!("{}/auth/realms/sahamati", sim.base_url),
        "sub": sim.config.fiu_id, "azp": sim.config.fiu_id, "clientId": sim.config.fiu_id,
        "roles": ["FIU"], "typ": "Bearer", "iat": now, "exp": now + 86_400,
        "jti": uuid::Uuid::new_v4().to_string(),
    });
    sim.config.issuer.sign_jwt(&claims).unwrap_or_default()
}

fn credentials_ok(sim: &Sim, id: Option<&str>, secret: Option<&str>) -> bool {
    id == Some(sim.config.fiu_id.as_str()) && secret == Some(sim.config.fiu_secret.as_str())
}

/// SahamatiNet IAM: form `id`, `secret`.
pub async fn iam_token(State(sim): S, body: Bytes) -> Response {
    let fields = form(&body);
    if !credentials_ok(&sim, field(&fields, "id"), field(&fields, "secret")) {
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({"errorCode": "Unauthorized", "errorMsg": "bad id or secret"})),
        )
            .into_response();
    }
    Json(json!({
        "ver": "1.0.0", "timestamp": timestamp(Utc::now()), "txnId": uuid::Uuid::new_v4().to_string(),
        "accessToken": fiu_token(&sim), "expiresIn": 86_400, "tokenType": "Bearer",
    }))
    .into_response()
}

/// Keycloak client credentials.
pub async fn oidc_token(State(sim): S, body: Bytes) -> Response {
    let fields = form(&body);
    let ok = field(&fields, "grant_type") == Some("client_credentials")
        && credentials_ok(
            &sim,
            field(&fields, "client_id"),
            field(&fields, "client_secret"),
        );
    if !ok {
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({"error": "invalid_client"})),
        )
            .into_response();
    }
    Json(json!({"access_token": fiu_token(&sim), "expires_in": 86_400, "token_type": "Bearer"}))
        .into_response()
}

pub async fn jwks(State(sim): S) -> Json<Value> {
    Json(json!({"keys": [sim.config.issuer.public_key().to_jwk()]}))
}

/// `GET /cr/v2/entityInfo/{type}/{id}`: the AA (with its signing key and web view) or the FIU.
pub async fn entity(State(sim): S, Path((kind, id)): Path<(String, String)>) -> Response {
    let info = match kind.to_ascii_uppercase().as_str() {
        "AA" if id == sim.config.aa_id => json!({
            "name": "ledgerlens AA simulator", "id": id, "code": id,
            "baseurl": sim.base_url, "webviewurl": format!("{}/webview", sim.base_url),
            "certificate": sim.config.aa_signer.public_key().to_jwk(),
            "tokeninfo": {"url": format!("{}/iam/v1/entity/token/generate", sim.base_url), "desc": "simulated"},
        }),
        "FIU" if id == sim.config.fiu_id => json!({
            "name": "FIU under test", "id": id, "code": id,
            "baseurl": sim.fiu_base_url(), "certificate": sim.config.fiu_key.to_jwk(),
        }),
        _ => {
            return (
                StatusCode::NOT_FOUND,
                Json(json!({"errorCode": "NotFound"})),
            )
                .into_response()
        }
    };
    Json(json!({
        "ver": "2.0.0", "timestamp": timestamp(Utc::now()), "txnid": uuid::Uuid::new_v4().to_string(),
        "entityinfo": info,
    }))
    .into_response()
}

pub async fn get_faults(State(sim): S) -> Json<Faults> {
    Json(sim.faults())
}

pub async fn set_faults(State(sim): S, body: Bytes) -> Response {
    let parsed = serde_json::from_slice::<Faults>(&body)
        .map_err(|e| e.to_string())
        .and_then(|faults| match faults.data_life.as_deref() {
            Some(life) => crate::config::data_life_json(life).map(|_| faults),
            None => Ok(faults),
        });
    match parsed {
        Ok(faults) => {
            sim.set_faults(faults.clone());
            Json(faults).into_response()
        }
        Err(e) => (StatusCode::BAD_REQUEST, Json(json!({ "error": e }))).into_response(),
    }
}

/// `POST /_sim/consents/{handle}/{approve|reject|revoke|pause|resume|expire}`, approve taking
/// an optional `{"accounts": [linkRefNumber, ...]}`.
pub async fn consent_action(
    State(sim): S,
    Path((handle, action)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let Some(action) = Action::parse(&action) else {
        return (
            StatusCode::NOT_FOUND,
            Json(json!({"error": "unknown action"})),
        )
            .into_response();
    };
    let accounts: Vec<String> = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|v| v.get("accounts").cloned())
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_default();
    match lifecycle::apply(&sim, &handle, action, &accounts) {
        Ok(state) => Json(json!({"state": state})).into_response(),
        Err(e) => (StatusCode::CONFLICT, Json(json!({"error": e.to_string()}))).into_response(),
    }
}

pub async fn consent_state(State(sim): S, Path(handle): Path<String>) -> Response {
    let store = sim.store();
    match store.consents.get(&handle) {
        Some(c) => {
            Json(json!({"state": c.state, "consentId": c.id, "uses": c.uses.len()})).into_response()
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

pub async fn notifications(State(sim): S) -> Json<Value> {
    Json(json!(sim.store().notifications))
}

pub async fn accounts(State(sim): S) -> Json<Value> {
    let list: Vec<Value> = sim
        .config
        .accounts
        .iter()
        .map(|a| {
            let (bank, masked) = sim
                .statement(a)
                .map(|s| (s.1.bank.clone(), crate::fi_data::masked(&s.1.identity.account_number)))
                .unwrap_or_default();
            json!({"fipId": a.fip_id, "linkRefNumber": a.link_ref, "bank": bank,
                   "maskedAccNumber": masked, "layout": a.layout, "seed": a.seed, "months": a.months})
        })
        .collect();
    Json(json!(list))
}

/// The same account as a PDF statement, for cross-checking the AA path against the PDF path.
pub async fn statement_pdf(State(sim): S, Path(link_ref): Path<String>) -> Response {
    let Some(account) = sim.account(&link_ref) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match sim.statement(&account) {
        Ok(s) => ([(header::CONTENT_TYPE, "application/pdf")], s.0.clone()).into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e).into_response(),
    }
}

/// `POST /_sim/fiu {"base_url": "http://127.0.0.1:port"}`: where notifications go.
pub async fn set_fiu(State(sim): S, body: Bytes) -> Response {
    let url = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|v| v.get("base_url")?.as_str().map(str::to_owned));
    sim.set_fiu_base_url(url.clone());
    Json(json!({"base_url": url})).into_response()
}
