//! The user's side: a consent approval page with a fake OTP, account selection and
//! Approve / Decline. On submit the consent changes state (notifications go out) and the
//! browser returns to the FIU's `redirect` with `status` `S`/`F` and `errorcode` (the ReBIT
//! redirection result, sent in clear here rather than as `ecres`: this is a simulator).

use crate::lifecycle::{self, Action, LifecycleError};
use crate::state::{ConsentState, Sim};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use std::fmt::Write;
use std::sync::Arc;

#[derive(Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    redirect: Option<String>,
}

pub async fn page(
    State(sim): State<Arc<Sim>>,
    Path(handle): Path<String>,
    Query(query): Query<PageQuery>,
) -> Response {
    let store = sim.store();
    let Some(consent) = store.consents.get(&handle) else {
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
    let _ = write!(
        body,
        "<form method=\"post\"><input type=\"hidden\" name=\"redirect\" value=\"{}\">\
         <p><label>OTP sent to {} (simulator: use {}) <input name=\"otp\" id=\"otp\" inputmode=\"numeric\" autocomplete=\"one-time-code\"></label></p>\
         <fieldset><legend>Accounts to share</legend>",
        esc(query.redirect.as_deref().unwrap_or_default()),
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

pub async fn submit(
    State(sim): State<Arc<Sim>>,
    Path(handle): Path<String>,
    body: Bytes,
) -> Response {
    let mut otp = String::new();
    let mut redirect = String::new();
    let mut action = String::new();
    let mut accounts = Vec::new();
    for (k, v) in url::form_urlencoded::parse(&body) {
        match k.as_ref() {
            "otp" => otp = v.trim().to_owned(),
            "redirect" => redirect = v.into_owned(),
            "action" => action = v.into_owned(),
            "account" => accounts.push(v.into_owned()),
            _ => {}
        }
    }
    let Some(action) =
        Action::parse(&action).filter(|a| matches!(a, Action::Approve | Action::Reject))
    else {
        return page_error(StatusCode::BAD_REQUEST, "Choose Approve or Decline.");
    };
    if action == Action::Approve && otp != sim.config.otp {
        return page_error(StatusCode::BAD_REQUEST, "Wrong OTP.");
    }
    let result = lifecycle::apply(&sim, &handle, action, &accounts);
    let (status, code) = match &result {
        Ok(ConsentState::Rejected) => ("F", "1"),
        // Approved, even if a fault revoked or paused it right after.
        Ok(_) if action == Action::Approve => ("S", "0"),
        Ok(_) => ("F", "1"),
        Err(LifecycleError::UnknownHandle) => ("F", "2"),
        Err(LifecycleError::NoAccounts) => {
            return page_error(StatusCode::BAD_REQUEST, "Select at least one account.")
        }
        Err(LifecycleError::WrongState(_)) => ("F", "3"),
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
