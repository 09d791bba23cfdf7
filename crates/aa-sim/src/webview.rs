//! The user's side: a consent approval page with a fake OTP, account selection and
//! Approve / Decline. On submit the consent changes state (notifications go out) and the
//! browser returns to the FIU.
//!
//! Two ways in: `GET /webview?fi=&reqdate=&ecreq=` is the Sahamati web redirection (the FIU's
//! request encrypted with the secret this AA shares with it; the answer goes back as `fi`,
//! `resdate`, `ecres`); `GET /webview/{handle}?redirect=` is a simulator shortcut for FIUs
//! without that secret, which returns `status`, `errorcode` and `srcref` in clear.

use crate::lifecycle::{self, Action, LifecycleError};
use crate::state::{ConsentState, Sim};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use ledgerlens_aa::redirection::{self, RedirectRequest, RedirectResponse};
use serde::Deserialize;
use std::fmt::Write;
use std::sync::Arc;

#[derive(Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    redirect: Option<String>,
}

/// `GET /webview/{handle}?redirect=` (the shortcut without `ecreq`).
pub async fn page(
    State(sim): State<Arc<Sim>>,
    Path(handle): Path<String>,
    Query(query): Query<PageQuery>,
) -> Response {
    render(
        &sim,
        &handle,
        &[("redirect", query.redirect.as_deref().unwrap_or_default())],
    )
}

#[derive(Deserialize)]
pub struct RedirectedQuery {
    fi: Option<String>,
    reqdate: Option<String>,
    ecreq: Option<String>,
}

/// How long the page's form may take once the request was opened fresh (within 180 s).
fn form_window() -> chrono::Duration {
    chrono::Duration::minutes(30)
}

fn open(
    sim: &Sim,
    fi: Option<&str>,
    reqdate: Option<&str>,
    ecreq: Option<&str>,
    max_age: chrono::Duration,
) -> Result<RedirectRequest, Refusal> {
    redirection::open_request(
        &sim.config.fiu_id,
        &sim.config.redirect_secret,
        fi,
        reqdate,
        ecreq,
        chrono::Utc::now(),
        max_age,
    )
    .map_err(|e| {
        tracing::debug!(error = %e, "web redirection request refused");
        Refusal(format!("The request from the FIU is not valid: {e}."))
    })
}

/// `GET /webview?fi=&reqdate=&ecreq=`: the consent named by `srcref` (the first one: the FIU
/// asks for one per journey), with the encrypted request carried on to the form.
pub async fn redirected_page(
    State(sim): State<Arc<Sim>>,
    Query(q): Query<RedirectedQuery>,
) -> Response {
    let request = match open(
        &sim,
        q.fi.as_deref(),
        q.reqdate.as_deref(),
        q.ecreq.as_deref(),
        chrono::Duration::seconds(redirection::MAX_AGE_SECONDS),
    ) {
        Ok(r) => r,
        Err(refusal) => return refusal.page(),
    };
    let handle = request.srcref.split(',').next().unwrap_or_default();
    render(
        &sim,
        handle,
        &[
            ("fi", q.fi.as_deref().unwrap_or_default()),
            ("reqdate", q.reqdate.as_deref().unwrap_or_default()),
            ("ecreq", q.ecreq.as_deref().unwrap_or_default()),
        ],
    )
}

/// The redirected page's form: the request opened again, the choice applied, and the browser
/// sent to the FIU's `redirect` with `fi`, `resdate` and `ecres`.
pub async fn redirected_submit(State(sim): State<Arc<Sim>>, body: Bytes) -> Response {
    let form = Form::parse(&body);
    let request = match open(
        &sim,
        form.get("fi"),
        form.get("reqdate"),
        form.get("ecreq"),
        form_window(),
    ) {
        Ok(r) => r,
        Err(refusal) => return refusal.page(),
    };
    let handle = request.srcref.split(',').next().unwrap_or_default();
    let (status, code) = match decide(&sim, handle, &form) {
        Ok(v) => v,
        Err(refusal) => return refusal.page(),
    };
    let Ok(mut url) = url::Url::parse(&request.redirect) else {
        return page_error(
            StatusCode::BAD_REQUEST,
            "The FIU's return address is not a URL.",
        );
    };
    let response = RedirectResponse {
        txnid: request.txnid,
        sessionid: request.sessionid,
        userid: request.userid,
        status: status.into(),
        errorcode: code.into(),
        // srcref goes back to LSPs only (§2.10).
        srcref: None,
    };
    let params = redirection::response_params(
        &sim.config.aa_id,
        &sim.config.redirect_secret,
        &response,
        sim.now_for_peer(),
    );
    url.query_pairs_mut().extend_pairs(params);
    (StatusCode::SEE_OTHER, [(header::LOCATION, url.to_string())]).into_response()
}

/// The approval page for `handle`, its form carrying `hidden` fields back.
fn render(sim: &Sim, handle: &str, hidden: &[(&str, &str)]) -> Response {
    let store = sim.store();
    let Some(consent) = store.consents.get(handle) else {
        return (
            StatusCode::NOT_FOUND,
            Html(shell(
                "Consent not found",
                "<p>No such consent request.</p>",
            )),
        )
            .into_response();
    };
    if consent.state != ConsentState::Pending {
        let body = format!(
            "<p id=\"state\">This consent is {}.</p>",
            consent.state.as_str()
        );
        return Html(shell("Consent", &body)).into_response();
    }
    let detail = &consent.detail;
    let get = |path: &[&str]| -> String {
        let mut v = serde_json::Value::Object(detail.clone());
        for p in path {
            v = v.get(*p).cloned().unwrap_or_default();
        }
        match v {
            serde_json::Value::String(s) => s,
            serde_json::Value::Null => String::new(),
            other => other.to_string(),
        }
    };
    let mut body = String::new();
    let _ = write!(
        body,
        "<dl><dt>Requested by</dt><dd id=\"fiu\">{}</dd><dt>Purpose</dt><dd>{}</dd>\
         <dt>Information</dt><dd>{} ({})</dd><dt>Data from</dt><dd>{} to {}</dd>\
         <dt>Fetch</dt><dd>{} — frequency {}</dd><dt>Kept for</dt><dd>{}</dd>\
         <dt>Consent valid until</dt><dd>{}</dd></dl>",
        esc(&get(&["DataConsumer", "id"])),
        esc(&get(&["Purpose", "text"])),
        esc(&get(&["fiTypes"])),
        esc(&get(&["consentTypes"])),
        esc(&get(&["FIDataRange", "from"])),
        esc(&get(&["FIDataRange", "to"])),
        esc(&get(&["fetchType"])),
        esc(&get(&["Frequency"])),
        esc(&get(&["DataLife"])),
        esc(&get(&["consentExpiry"])),
    );
    body.push_str("<form method=\"post\">");
    for (name, value) in hidden {
        let _ = write!(
            body,
            "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
            esc(name),
            esc(value)
        );
    }
    let _ = write!(
        body,
        "<p><label>OTP sent to {} (simulator: use {}) <input name=\"otp\" id=\"otp\" inputmode=\"numeric\" autocomplete=\"one-time-code\"></label></p>\
         <fieldset><legend>Accounts to share</legend>",
        esc(&consent.customer_id),
        esc(&sim.config.otp),
    );
    for account in &sim.config.accounts {
        let (bank, masked) = sim
            .statement(account)
            .map(|s| {
                (
                    s.1.bank.to_uppercase(),
                    crate::fi_data::masked(&s.1.identity.account_number),
                )
            })
            .unwrap_or_default();
        let _ = write!(
            body,
            "<label><input type=\"checkbox\" name=\"account\" value=\"{0}\" checked> {1} {2} ({3})</label><br>",
            esc(&account.link_ref),
            esc(&bank),
            esc(&masked),
            esc(&account.fip_id),
        );
    }
    body.push_str(
        "</fieldset><p><button name=\"action\" value=\"approve\" id=\"approve\">Approve</button> \
         <button name=\"action\" value=\"decline\" id=\"decline\">Decline</button></p></form>",
    );
    Html(shell("Approve consent", &body)).into_response()
}

/// Why the page cannot go on: shown to the user with 400.
struct Refusal(String);

impl Refusal {
    fn page(self) -> Response {
        page_error(StatusCode::BAD_REQUEST, &self.0)
    }
}

/// The approval form's fields (`account` repeats).
struct Form {
    fields: Vec<(String, String)>,
}

impl Form {
    fn parse(body: &[u8]) -> Form {
        Form {
            fields: url::form_urlencoded::parse(body).into_owned().collect(),
        }
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Applies the user's choice to the consent: the ReBIT result (`status`, `errorcode`), or a
/// page asking again.
fn decide(
    sim: &Arc<Sim>,
    handle: &str,
    form: &Form,
) -> Result<(&'static str, &'static str), Refusal> {
    let accounts: Vec<String> = form
        .fields
        .iter()
        .filter(|(k, _)| k == "account")
        .map(|(_, v)| v.clone())
        .collect();
    let Some(action) = Action::parse(form.get("action").unwrap_or_default())
        .filter(|a| matches!(a, Action::Approve | Action::Reject))
    else {
        return Err(Refusal("Choose Approve or Decline.".into()));
    };
    if action == Action::Approve && form.get("otp").map(str::trim) != Some(sim.config.otp.as_str())
    {
        return Err(Refusal("Wrong OTP.".into()));
    }
    Ok(match lifecycle::apply(sim, handle, action, &accounts) {
        Ok(ConsentState::Rejected) => ("F", "1"),
        // Approved, even if a fault revoked or paused it right after.
        Ok(_) if action == Action::Approve => ("S", "0"),
        Ok(_) => ("F", "1"),
        Err(LifecycleError::UnknownHandle) => ("F", "2"),
        Err(LifecycleError::NoAccounts) => {
            return Err(Refusal("Select at least one account.".into()))
        }
        Err(LifecycleError::WrongState(_)) => ("F", "3"),
    })
}

/// The shortcut's form: the result goes back in clear.
pub async fn submit(
    State(sim): State<Arc<Sim>>,
    Path(handle): Path<String>,
    body: Bytes,
) -> Response {
    let form = Form::parse(&body);
    let redirect = form.get("redirect").unwrap_or_default().to_owned();
    let (status, code) = match decide(&sim, &handle, &form) {
        Ok(v) => v,
        Err(refusal) => return refusal.page(),
    };
    if redirect.is_empty() {
        let text = format!(
            "<p id=\"state\">Done: {}.</p>",
            if status == "S" {
                "approved"
            } else {
                "not approved"
            }
        );
        return Html(shell("Consent", &text)).into_response();
    }
    let Ok(mut url) = url::Url::parse(&redirect) else {
        return page_error(
            StatusCode::BAD_REQUEST,
            "The FIU's return address is not a URL.",
        );
    };
    url.query_pairs_mut()
        .append_pair("status", status)
        .append_pair("errorcode", code)
        .append_pair("srcref", &handle);
    (StatusCode::SEE_OTHER, [(header::LOCATION, url.to_string())]).into_response()
}

fn page_error(status: StatusCode, message: &str) -> Response {
    (
        status,
        Html(shell(
            "Error",
            &format!("<p id=\"error\">{}</p>", esc(message)),
        )),
    )
        .into_response()
}

fn shell(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{0} — AA simulator</title>\
         <meta name=\"viewport\" content=\"width=device-width\"></head><body><h1>{0}</h1>{1}\
         <p><small>Account Aggregator simulator: synthetic data only.</small></p></body></html>",
        esc(title),
        body
    )
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
