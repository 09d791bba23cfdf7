//! The analyst console at `/console/`: server-rendered pages (HTML, one stylesheet, inline SVG
//! charts; no script, nothing from a CDN) over the same stored results the API serves.
//!
//! Who may sign in: console users (`ledgerlens users …`, Argon2id passwords), each belonging to
//! one client, or anyone holding a client's API key and server hash. Either way the browser gets
//! a random session token in an HttpOnly, SameSite=Strict cookie (Secure when the public URL is
//! https) and sees only that client's sessions. Every POST must come from this origin and, once
//! signed in, carry the session's CSRF token. Failed sign-ins answer 401, so the API's
//! authentication throttle counts them per address; they are also counted per user name.

mod charts;
mod html;
mod pages;
mod session_view;
mod transactions;

use crate::errors::ApiError;
use crate::state::AppState;
use axum::extract::{Form, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use html::{esc, page, Chrome};
use ledgerlens_store::console::ConsoleSession;
use serde::Deserialize;

const CONSOLE_CSS: &str = include_str!("assets/console.css");
const COOKIE: &str = "ledgerlens_console";
/// A signed-in browser stays signed in for a working day.
const SESSION_LIFETIME_MS: i64 = 12 * 60 * 60 * 1000;
/// Only this server's stylesheet; inline SVG needs nothing more. Forms post only here.
const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/console/", get(pages::home))
        .route("/console/console.css", get(css))
        .route("/console/sign-in", get(sign_in_form).post(sign_in))
        .route("/console/sign-out", post(sign_out))
        .route("/console/sessions/{session_id}", get(pages::session_page))
}

/// Security headers every console response carries.
fn harden(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // Pages hold signed download links: never leak them to another site in a Referer.
    // ("no-referrer" would also make the browser send `Origin: null` with the console's own
    // forms, which the origin check must then refuse.)
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// An HTML answer with the console's headers.
pub(crate) fn html_response(status: StatusCode, body: String) -> Response {
    harden(
        (
            status,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            body,
        )
            .into_response(),
    )
}

/// A page explaining what went wrong, with a way back.
pub(crate) fn error_page(status: StatusCode, message: &str) -> Response {
    let body = format!(
        "<section class=\"card narrow\"><h1>{}</h1><p>{}</p><p><a href=\"/console/\">Back to sessions</a></p></section>",
        status.canonical_reason().unwrap_or("Error"),
        esc(message)
    );
    html_response(status, page("Error", None, &body))
}

/// A storage or internal failure: logged without personal data, shown as a plain 500.
pub(crate) fn internal(error: &ApiError) -> Response {
    tracing::error!(error = %error.message, "console request failed");
    error_page(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Something went wrong on the server. Please try again.",
    )
}

async fn css() -> Response {
    let mut response = (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        CONSOLE_CSS,
    )
        .into_response();
    response.headers_mut().insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.trim().to_owned())
        .filter(|v| !v.is_empty())
}

/// The signed-in browser's session, if the cookie names a live one.
pub(crate) async fn signed_in(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<ConsoleSession>, ApiError> {
    let Some(token) = cookie_token(headers) else {
        return Ok(None);
    };
    Ok(state.store.console_session(&token).await?)
}

/// The page header's name for who is signed in.
pub(crate) fn who(session: &ConsoleSession) -> String {
    match &session.username {
        Some(name) => name.clone(),
        None => "API key".to_owned(),
    }
}

pub(crate) fn chrome<'a>(session: &'a ConsoleSession, who: &'a str) -> Chrome<'a> {
    Chrome {
        who,
        csrf: &session.csrf_token,
    }
}

fn https(state: &AppState) -> bool {
    state
        .config
        .public_url
        .as_deref()
        .is_some_and(|u| u.trim().to_ascii_lowercase().starts_with("https://"))
}

fn session_cookie(state: &AppState, token: &str, max_age_secs: i64) -> String {
    let secure = if https(state) { "; Secure" } else { "" };
    format!("{COOKIE}={token}; Path=/console; HttpOnly; SameSite=Strict; Max-Age={max_age_secs}{secure}")
}

/// A POST from another site is refused: the browser's Origin (or Sec-Fetch-Site) must say
/// this origin. SameSite=Strict already keeps the cookie off such requests; this also stops a
/// foreign page from signing a victim in to the attacker's account.
fn same_origin(state: &AppState, headers: &HeaderMap) -> bool {
    let value = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(origin) = value("origin") {
        let own = crate::http_contract::public_base(&state.config, headers);
        return origin.trim_end_matches('/').eq_ignore_ascii_case(&own);
    }
    !matches!(value("sec-fetch-site"), Some(site) if site != "same-origin" && site != "none")
}

fn forbidden_origin() -> Response {
    error_page(
        StatusCode::FORBIDDEN,
        "This form was sent from another site and was refused.",
    )
}

#[derive(Debug, Default, Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    api_key: String,
    #[serde(default)]
    server_hash: String,
}

fn sign_in_page(status: StatusCode, message: Option<&str>, username: &str) -> Response {
    let alert = message
        .map(|m| {
            format!(
                "<p class=\"alert\" role=\"alert\" id=\"sign-in-error\">{}</p>",
                esc(m)
            )
        })
        .unwrap_or_default();
    let described = if message.is_some() {
        " aria-describedby=\"sign-in-error\""
    } else {
        ""
    };
    let body = format!(
        "<section class=\"card narrow\"><h1>Sign in</h1>{alert}\
<form method=\"post\" action=\"/console/sign-in\" class=\"stack\">\
<label for=\"username\">User name</label><input id=\"username\" name=\"username\" autocomplete=\"username\" value=\"{}\"{described}>\
<label for=\"password\">Password</label><input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\"{described}>\
<button type=\"submit\">Sign in</button></form>\
<details><summary>Sign in with an API key instead</summary>\
<form method=\"post\" action=\"/console/sign-in\" class=\"stack\">\
<label for=\"api_key\">API key (x-api-key)</label><input id=\"api_key\" name=\"api_key\" type=\"password\" autocomplete=\"off\">\
<label for=\"server_hash\">Server hash</label><input id=\"server_hash\" name=\"server_hash\" type=\"password\" autocomplete=\"off\">\
<button type=\"submit\">Sign in with key</button></form></details>\
<p class=\"muted\">Console users are created with <code>ledgerlens users add</code>.</p></section>",
        esc(username)
    );
    html_response(status, page("Sign in", None, &body))
}

async fn sign_in_form(State(state): State<AppState>, headers: HeaderMap) -> Response {
    match signed_in(&state, &headers).await {
        Ok(Some(_)) => Redirect::to("/console/").into_response(),
        Ok(None) => sign_in_page(StatusCode::OK, None, ""),
        Err(e) => internal(&e),
    }
}

/// A non-reversible counter key for a user name (counters never hold the name itself).
fn username_key(username: &str) -> String {
    format!(
        "console-user:{}",
        &ledgerlens_store::sha256_hex(username.to_lowercase().as_bytes())[..16]
    )
}

/// Who the form proves to be: (client id, user id).
async fn check_credentials(
    state: &AppState,
    form: &SignInForm,
) -> Result<Option<(String, Option<String>)>, ApiError> {
    if !form.api_key.trim().is_empty() {
        let client = state.store.client_by_api_key(form.api_key.trim()).await?;
        // A client that demands ACCESS_TOKEN signatures cannot be entered with its keys alone
        // (a form cannot sign): its analysts sign in as console users.
        return Ok(client
            .filter(|c| c.server_hash_matches(form.server_hash.trim()))
            .filter(|c| !c.require_access_token)
            .map(|c| (c.id, None)));
    }
    if form.username.trim().is_empty() || form.password.is_empty() {
        return Ok(None);
    }
    let user = state
        .store
        .check_console_password(form.username.trim(), &form.password)
        .await?;
    Ok(user.map(|u| (u.client_id, Some(u.user_id))))
}

async fn sign_in(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<SignInForm>,
) -> Response {
    if !same_origin(&state, &headers) {
        return forbidden_origin();
    }
    let window = &state.throttle.auth_failures;
    let user_key = username_key(form.username.trim());
    let by_name = !form.username.trim().is_empty() && form.api_key.trim().is_empty();
    if by_name {
        if let Some(wait) = window.retry_after(&user_key) {
            let message = format!(
                "Too many failed sign-ins for this user. Try again in {} seconds.",
                wait.as_secs().max(1)
            );
            let mut response = sign_in_page(
                StatusCode::TOO_MANY_REQUESTS,
                Some(&message),
                &form.username,
            );
            if let Ok(v) = HeaderValue::from_str(&wait.as_secs().max(1).to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, v);
            }
            return response;
        }
    }
    match check_credentials(&state, &form).await {
        Ok(Some((client_id, user_id))) => {
            match state
                .store
                .create_console_session(&client_id, user_id.as_deref(), SESSION_LIFETIME_MS)
                .await
            {
                Ok(token) => {
                    tracing::info!(with_key = user_id.is_none(), "console sign-in");
                    let mut response = Redirect::to("/console/").into_response();
                    let cookie = session_cookie(&state, &token, SESSION_LIFETIME_MS / 1000);
                    if let Ok(v) = HeaderValue::from_str(&cookie) {
                        response.headers_mut().insert(header::SET_COOKIE, v);
                    }
                    harden(response)
                }
                Err(e) => internal(&e.into()),
            }
        }
        Ok(None) => {
            if by_name {
                window.fail(&user_key);
            }
            tracing::info!("console sign-in refused");
            sign_in_page(
                StatusCode::UNAUTHORIZED,
                Some("The user name and password (or the API key and server hash) do not match."),
                &form.username,
            )
        }
        Err(e) => internal(&e),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

async fn sign_out(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Response {
    if !same_origin(&state, &headers) {
        return forbidden_origin();
    }
    let session = match signed_in(&state, &headers).await {
        Ok(Some(session)) => session,
        Ok(None) => return Redirect::to("/console/sign-in").into_response(),
        Err(e) => return internal(&e),
    };
    if !csrf_matches(&session, &form.csrf) {
        return error_page(
            StatusCode::FORBIDDEN,
            "This form has expired. Reload the page and try again.",
        );
    }
    if let Some(token) = cookie_token(&headers) {
        if let Err(e) = state.store.end_console_session(&token).await {
            return internal(&e.into());
        }
    }
    let mut response = Redirect::to("/console/sign-in").into_response();
    if let Ok(v) = HeaderValue::from_str(&session_cookie(&state, "", 0)) {
        response.headers_mut().insert(header::SET_COOKIE, v);
    }
    harden(response)
}

fn csrf_matches(session: &ConsoleSession, presented: &str) -> bool {
    use subtle::ConstantTimeEq;
    !presented.is_empty() && bool::from(presented.as_bytes().ct_eq(session.csrf_token.as_bytes()))
}

/// `ledgerlens users …`: console users against the data dir / database of `config`.
pub mod users_cli {
    use crate::ServerConfig;
    use anyhow::Context;
    use ledgerlens_store::{Store, StoreError};

    async fn open(config: &ServerConfig) -> anyhow::Result<Store> {
        Ok(Store::open(&config.store_config()?).await?)
    }

    /// A password for a user created without one: 24 characters of a random UUID pair.
    pub fn generated_password() -> String {
        let raw = format!(
            "{}{}",
            uuid::Uuid::new_v4().simple(),
            uuid::Uuid::new_v4().simple()
        );
        raw.chars().take(24).collect()
    }

    pub async fn add(
        config: &ServerConfig,
        client_id: &str,
        username: &str,
        password: &str,
    ) -> anyhow::Result<serde_json::Value> {
        let store = open(config).await?;
        let active = store.client_is_active(client_id).await?;
        anyhow::ensure!(
            active,
            "no active client {client_id} (see `ledgerlens clients list`)"
        );
        match store.add_console_user(client_id, username, password).await {
            Ok(user) => Ok(serde_json::to_value(user)?),
            Err(StoreError::Duplicate) => {
                anyhow::bail!("a console user named {username} already exists")
            }
            Err(e) => Err(e).context("adding the console user"),
        }
    }

    pub async fn list(
        config: &ServerConfig,
        client_id: Option<&str>,
    ) -> anyhow::Result<serde_json::Value> {
        let store = open(config).await?;
        Ok(serde_json::to_value(store.console_users(client_id).await?)?)
    }

    pub async fn remove(config: &ServerConfig, username: &str) -> anyhow::Result<bool> {
        Ok(open(config).await?.remove_console_user(username).await?)
    }

    pub async fn passwd(
        config: &ServerConfig,
        username: &str,
        password: &str,
    ) -> anyhow::Result<bool> {
        Ok(open(config)
            .await?
            .set_console_password(username, password)
            .await?)
    }
}
