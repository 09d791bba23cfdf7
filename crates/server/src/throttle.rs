//! Throttling of failed attempts: authentication failures per client address and per presented
//! API key, and wrong PDF passwords per session. Over a limit the answer is `429`
//! `TOO_MANY_REQUESTS` with `Retry-After` (seconds until the window that counted them ends).
//!
//! Counts are fixed windows kept in this process' memory: several API processes each allow the
//! limit, and a restart forgets them. The address is the TCP peer, so behind a reverse proxy all
//! clients share the proxy's address (limit at the proxy there, or raise the limit).

use crate::errors::ApiError;
use crate::state::AppState;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Keys remembered at most per counter; beyond it expired windows are dropped, and if that is
/// not enough the counter starts afresh (a flood of distinct keys must not grow memory).
const MAX_KEYS: usize = 100_000;

/// Failures counted in fixed windows of `period`; more than `limit` in one window blocks the key
/// until the window ends.
pub struct FailureWindow {
    limit: u32,
    period: Duration,
    counts: Mutex<HashMap<String, (Instant, u32)>>,
}

impl FailureWindow {
    pub fn new(limit: u32, period: Duration) -> FailureWindow {
        FailureWindow {
            limit,
            period,
            counts: Mutex::new(HashMap::new()),
        }
    }

    /// How long `key` stays blocked, if it is.
    pub fn retry_after(&self, key: &str) -> Option<Duration> {
        let counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        let (start, n) = counts.get(key)?;
        let left = self.period.checked_sub(start.elapsed())?;
        (*n >= self.limit).then_some(left)
    }

    /// Counts one failure of `key`.
    pub fn fail(&self, key: &str) {
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        if counts.len() >= MAX_KEYS && !counts.contains_key(key) {
            let period = self.period;
            counts.retain(|_, (start, _)| start.elapsed() < period);
            if counts.len() >= MAX_KEYS {
                counts.clear();
            }
        }
        let entry = counts.entry(key.to_owned()).or_insert((Instant::now(), 0));
        if entry.0.elapsed() >= self.period {
            *entry = (Instant::now(), 0);
        }
        entry.1 = entry.1.saturating_add(1);
    }
}

/// The counters of one process.
pub struct Throttle {
    /// 401/403 answers, per client address and per presented API key.
    pub auth_failures: FailureWindow,
    /// PASSWORD_INCORRECT uploads, per session.
    pub password_failures: FailureWindow,
}

impl Throttle {
    pub fn new(config: &crate::ServerConfig) -> Throttle {
        Throttle {
            auth_failures: FailureWindow::new(config.auth_failure_limit, config.throttle_window),
            password_failures: FailureWindow::new(
                config.password_failure_limit,
                config.throttle_window,
            ),
        }
    }
}

/// The documented 429.
pub fn too_many(retry_after: Duration) -> Response {
    let secs = retry_after.as_secs().max(1);
    let mut response = ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "TOO_MANY_REQUESTS",
        format!("Too many failed attempts, retry in {secs} seconds"),
    )
    .into_response();
    if let Ok(value) = HeaderValue::from_str(&secs.to_string()) {
        response.headers_mut().insert("retry-after", value);
    }
    response
}

/// The 429 a handler returns as an `ApiError` (the middleware adds `Retry-After`).
pub fn too_many_error(retry_after: Duration) -> ApiError {
    ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "TOO_MANY_REQUESTS",
        format!(
            "Too many failed attempts, retry in {} seconds",
            retry_after.as_secs().max(1)
        ),
    )
}

/// A short, non-reversible tag of a presented API key: counters never hold the key itself.
fn key_tag(key: &str) -> String {
    format!(
        "key:{}",
        &ledgerlens_store::sha256_hex(key.as_bytes())[..16]
    )
}

/// Refuses clients (by address or presented key) over the authentication failure limit before
/// their request is handled, and counts every 401/403 answer.
pub async fn auth_failures(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    if path == "/healthz" || path == "/readyz" {
        return next.run(request).await;
    }
    let address = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(peer)| format!("ip:{}", peer.ip()));
    let key = request
        .headers()
        .get("x-api-key")
        .and_then(|v| v.to_str().ok())
        .filter(|k| !k.is_empty())
        .map(key_tag);
    let keys: Vec<String> = address.into_iter().chain(key).collect();
    let window = &state.throttle.auth_failures;
    if let Some(wait) = keys.iter().filter_map(|k| window.retry_after(k)).max() {
        return too_many(wait);
    }
    let mut response = next.run(request).await;
    match response.status() {
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => {
            for key in &keys {
                window.fail(key);
            }
        }
        StatusCode::TOO_MANY_REQUESTS if !response.headers().contains_key("retry-after") => {
            // A handler's own 429 (PDF passwords): the window length bounds the wait.
            let secs = state.config.throttle_window.as_secs().max(1);
            if let Ok(value) = HeaderValue::from_str(&secs.to_string()) {
                response.headers_mut().insert("retry-after", value);
            }
        }
        StatusCode::SERVICE_UNAVAILABLE if !response.headers().contains_key("retry-after") => {
            // SERVER_BUSY (parse budget saturated): a parse takes seconds.
            response
                .headers_mut()
                .insert("retry-after", HeaderValue::from_static("5"));
        }
        _ => {}
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_over_the_limit_until_the_window_ends() {
        let w = FailureWindow::new(3, Duration::from_millis(200));
        for _ in 0..2 {
            w.fail("a");
        }
        assert_eq!(w.retry_after("a"), None);
        w.fail("a");
        assert!(w.retry_after("a").is_some());
        assert_eq!(w.retry_after("b"), None, "keys are apart");
        std::thread::sleep(Duration::from_millis(250));
        assert_eq!(w.retry_after("a"), None, "the window ended");
        w.fail("a");
        assert_eq!(w.retry_after("a"), None, "a new window counts afresh");
    }
}
