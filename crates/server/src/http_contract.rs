//! What the BankConnect contract asks of every route, whatever it serves: paths answer with and
//! without their trailing slash, browsers get CORS (preflight included) from the origins the
//! operator allows, and links handed out use the public address, not the internal one.

use crate::config::ServerConfig;
use crate::errors::ApiError;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::header::{HeaderName, HeaderValue};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::MethodRouter;
use axum::Router;
use tower::ServiceExt;

async fn method_not_allowed(method: Method) -> ApiError {
    ApiError::method_not_allowed(method.as_str())
}

/// DRF's `{"detail": "Not found."}` for a path no route serves.
pub(crate) async fn not_found() -> ApiError {
    ApiError::not_found("Not found.")
}

pub(crate) fn not_found_response() -> Response {
    ApiError::not_found("Not found.").into_response()
}

/// Every route answers a wrong method with the documented 405 body.
pub(crate) fn with_405(route: MethodRouter<AppState>) -> MethodRouter<AppState> {
    route.fallback(method_not_allowed)
}

/// The base of links given to borrowers and lenders ("https://api.example.com").
///
/// The configured public URL wins. Otherwise, only when the operator trusts a proxy in front,
/// its X-Forwarded-Proto/Host say how the client reached us; else the Host header over http.
/// A forwarded or Host value that is not a plain host[:port] is ignored, so a request cannot
/// make the server print links to somewhere else in someone else's response.
pub fn public_base(config: &ServerConfig, headers: &HeaderMap) -> String {
    if let Some(url) = config.public_url.as_deref().map(str::trim) {
        if !url.is_empty() {
            return url.trim_end_matches('/').to_owned();
        }
    }
    let first = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .map(str::trim)
            .filter(|v| !v.is_empty())
    };
    let host_header = first("host").filter(|h| plain_host(h));
    let (scheme, host) = if config.trust_forwarded_headers {
        let scheme = match first("x-forwarded-proto").map(str::to_ascii_lowercase) {
            Some(p) if p == "https" => "https",
            _ => "http",
        };
        let host = first("x-forwarded-host")
            .filter(|h| plain_host(h))
            .or(host_header);
        (scheme, host)
    } else {
        ("http", host_header)
    };
    format!("{scheme}://{}", host.unwrap_or("localhost"))
}

fn plain_host(host: &str) -> bool {
    host.len() <= 255
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
}

/// `router` with a fallback that retries a path without its trailing slash with one: the docs
/// write `…/session/` but clients and proxies often drop the slash. A path that matches neither
/// way gets the documented 404.
pub fn accept_missing_trailing_slash(
    router: Router<AppState>,
    state: AppState,
) -> Router<AppState> {
    let retry = router.clone().fallback(not_found).with_state(state);
    router.fallback(move |request: Request| {
        let retry = retry.clone();
        async move {
            let Some(with_slash) = with_trailing_slash(request.uri()) else {
                return not_found_response();
            };
            let (mut parts, body) = request.into_parts();
            parts.uri = with_slash;
            match retry.oneshot(Request::from_parts(parts, body)).await {
                Ok(response) => response,
                Err(never) => match never {},
            }
        }
    })
}

fn with_trailing_slash(uri: &Uri) -> Option<Uri> {
    let path = uri.path();
    if path.ends_with('/') || !path.starts_with("/bank-connect/") {
        return None;
    }
    let rewritten = match uri.query() {
        Some(query) => format!("{path}/?{query}"),
        None => format!("{path}/"),
    };
    rewritten.parse().ok()
}

const ALLOWED_METHODS: &str = "GET, POST, DELETE, OPTIONS";
const ALLOWED_HEADERS: &str =
    "x-api-key, server-hash, content-type, access_token, timestamp, authorization, x-request-id";

/// Whether `origin` may call from a browser (`*` in the list allows any).
fn origin_allowed(config: &ServerConfig, origin: &str) -> bool {
    config
        .cors_allowed_origins
        .iter()
        .any(|allowed| allowed == "*" || allowed.trim_end_matches('/') == origin)
}

/// CORS: answers every OPTIONS (a browser's preflight among them) with 204 and the allowed
/// methods, and marks responses to allowed origins. Origins outside the list get no CORS
/// headers, which is how a browser is told no.
pub async fn cors(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let origin = request
        .headers()
        .get("origin")
        .and_then(|v| v.to_str().ok())
        .filter(|o| origin_allowed(&state.config, o))
        .and_then(|o| HeaderValue::from_str(o).ok());
    let mut response = if request.method() == Method::OPTIONS {
        let mut response = StatusCode::NO_CONTENT.into_response();
        response.headers_mut().insert(
            HeaderName::from_static("allow"),
            HeaderValue::from_static(ALLOWED_METHODS),
        );
        response
    } else {
        next.run(request).await
    };
    if let Some(origin) = origin {
        let headers = response.headers_mut();
        headers.insert("access-control-allow-origin", origin);
        headers.insert(
            "access-control-allow-methods",
            HeaderValue::from_static(ALLOWED_METHODS),
        );
        headers.insert(
            "access-control-allow-headers",
            HeaderValue::from_static(ALLOWED_HEADERS),
        );
        headers.insert("access-control-max-age", HeaderValue::from_static("600"));
        headers.append("vary", HeaderValue::from_static("origin"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn config() -> ServerConfig {
        ServerConfig::new("127.0.0.1:0", PathBuf::from("/nonexistent"), None)
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn public_base_prefers_the_setting_then_a_trusted_proxy() {
        let mut c = config();
        let h = headers(&[
            ("host", "internal:8000"),
            ("x-forwarded-proto", "https"),
            ("x-forwarded-host", "api.lender.in"),
        ]);
        assert_eq!(public_base(&c, &h), "http://internal:8000");
        c.trust_forwarded_headers = true;
        assert_eq!(public_base(&c, &h), "https://api.lender.in");
        c.public_url = Some("https://bc.lender.in/".into());
        assert_eq!(public_base(&c, &h), "https://bc.lender.in");
        let mut c = config();
        c.trust_forwarded_headers = true;
        let hostile = headers(&[("host", "a.in"), ("x-forwarded-host", "evil.in/x?y")]);
        assert_eq!(public_base(&c, &hostile), "http://a.in");
    }

    #[test]
    fn only_documented_paths_get_a_slash() {
        let uri: Uri = "/bank-connect/v1/session?x=1".parse().unwrap_or_default();
        assert_eq!(
            with_trailing_slash(&uri).map(|u| u.to_string()),
            Some("/bank-connect/v1/session/?x=1".to_owned())
        );
        let done: Uri = "/bank-connect/v1/session/".parse().unwrap_or_default();
        assert_eq!(with_trailing_slash(&done), None);
        let other: Uri = "/healthz".parse().unwrap_or_default();
        assert_eq!(with_trailing_slash(&other), None);
    }
}
