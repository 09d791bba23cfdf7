//! Authentication: `x-api-key` on every call, `server-hash` on data calls, and the optional
//! ACCESS_TOKEN + TIMESTAMP layer (hex HMAC-SHA256 of the TIMESTAMP string keyed with the
//! client's access secret; TIMESTAMP in Unix seconds within the allowed skew).

use crate::errors::{ApiError, ApiResult};
use crate::state::AppState;
use axum::http::HeaderMap;
use hmac::{Hmac, Mac};
use ledgerlens_store::clients::Client;
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// What a route demands beyond the API key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requirement {
    ApiKey,
    ApiKeyAndServerHash,
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

/// Authenticates a request from its headers; `body_api_key` is the Session API's `api_key` field.
pub async fn authenticate(
    state: &AppState,
    headers: &HeaderMap,
    requirement: Requirement,
    body_api_key: Option<&str>,
) -> ApiResult<Client> {
    // Seeds 001/003 document a missing or wrong key on the data APIs (server-hash routes) as
    // 403 ACCESS_DENIED; the Session API's own table (seed 002) keeps 401.
    let no_credentials = || match requirement {
        Requirement::ApiKeyAndServerHash => ApiError::access_denied(),
        Requirement::ApiKey => ApiError::unauthenticated(),
    };
    let api_key = header(headers, "x-api-key")
        .or(body_api_key)
        .ok_or_else(|| no_credentials().with_hint("x-api-key header missing"))?;
    let client = state
        .store
        .client_by_api_key(api_key)
        .await?
        .ok_or_else(|| no_credentials().with_hint("x-api-key not recognised"))?;
    if requirement == Requirement::ApiKeyAndServerHash {
        let presented = header(headers, "server-hash")
            .ok_or_else(|| ApiError::access_denied().with_hint("server-hash header missing"))?;
        if !client.server_hash_matches(presented) {
            return Err(
                ApiError::access_denied().with_hint("server-hash does not match this x-api-key")
            );
        }
    }
    if client.require_access_token {
        check_access_token(&client, headers, state.config.access_token_skew.as_secs())?;
    }
    Ok(client)
}

fn check_access_token(client: &Client, headers: &HeaderMap, max_skew_secs: u64) -> ApiResult<()> {
    let secret = client
        .access_secret
        .as_deref()
        .ok_or_else(ApiError::access_denied)?;
    let token = header(headers, "access_token").ok_or_else(ApiError::access_denied)?;
    let timestamp = header(headers, "timestamp").ok_or_else(ApiError::access_denied)?;
    let sent_at: i64 = timestamp.parse().map_err(|_| ApiError::access_denied())?;
    let now = ledgerlens_store::now_ms() / 1000;
    if now.abs_diff(sent_at) > max_skew_secs {
        return Err(ApiError::access_denied());
    }
    let expected = access_token(secret, timestamp);
    if bool::from(
        expected
            .as_bytes()
            .ct_eq(token.to_ascii_lowercase().as_bytes()),
    ) {
        Ok(())
    } else {
        Err(ApiError::access_denied())
    }
}

/// The ACCESS_TOKEN a client must send with `timestamp`.
pub fn access_token(secret: &str, timestamp: &str) -> String {
    hmac_hex(secret.as_bytes(), timestamp.as_bytes())
}

pub fn hmac_hex(key: &[u8], message: &[u8]) -> String {
    // HMAC accepts keys of any length, so construction cannot fail.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key)
        .unwrap_or_else(|_| unreachable!("HMAC takes any key length"));
    mac.update(message);
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
