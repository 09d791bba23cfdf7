//! The console's pages: the session list and one session's accounts.

use super::html::{esc, page, url_value};
use super::{chrome, error_page, html_response, internal, signed_in, who};
use crate::errors::ApiError;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use ledgerlens_processing::accounts::{attach_enrichment, build_accounts, AccountView};
use ledgerlens_store::console::{ConsoleSession, SessionSearch, SessionState};
use ledgerlens_store::now_ms;
use ledgerlens_store::sessions::{SessionRow, KIND_SESSION};
use ledgerlens_store::statements::{StatementResult, StatementRow};
use serde::Deserialize;
use std::collections::HashMap;

const PAGE_SIZE: i64 = 20;

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    link_id: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    bank: String,
    /// Created on or after (YYYY-MM-DD).
    #[serde(default)]
    from: String,
    /// Created on or before (YYYY-MM-DD).
    #[serde(default)]
    to: String,
    #[serde(default)]
    page: String,
}

fn day_start_ms(text: &str) -> Option<i64> {
    let day = text.trim().parse::<NaiveDate>().ok()?;
    Some(day.and_hms_opt(0, 0, 0)?.and_utc().timestamp_millis())
}

impl ListQuery {
    fn search(&self) -> SessionSearch {
        SessionSearch {
            link_id: Some(self.link_id.trim().to_owned()).filter(|s| !s.is_empty()),
            status: SessionState::parse(self.status.trim()),
            bank: Some(self.bank.trim().to_owned()).filter(|s| !s.is_empty()),
            created_from: day_start_ms(&self.from),
            created_before: day_start_ms(&self.to).map(|ms| ms + 24 * 60 * 60 * 1000),
        }
    }

    fn page(&self) -> i64 {
        self.page
            .trim()
            .parse::<i64>()
            .unwrap_or(1)
            .clamp(1, 1_000_000)
    }

    /// The query string of this search at another page.
    fn at_page(&self, page: i64) -> String {
        format!(
            "?link_id={}&status={}&bank={}&from={}&to={}&page={page}",
            url_value(&self.link_id),
            url_value(&self.status),
            url_value(&self.bank),
            url_value(&self.from),
            url_value(&self.to)
        )
    }
}

/// The signed-in session, or the answer that sends the browser to sign in.
async fn require_sign_in(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<ConsoleSession, Response> {
    match signed_in(state, headers).await {
        Ok(Some(session)) => Ok(session),
        Ok(None) => Err(Redirect::to("/console/sign-in").into_response()),
        Err(e) => Err(internal(&e)),
    }
}

pub fn iso_day(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_default()
}

fn status_badge(state: SessionState) -> String {
    format!(
        "<span class=\"badge {}\">{}</span>",
        state.as_str(),
        state.as_str()
    )
}

fn select(name: &str, label: &str, current: &str, options: &[(&str, &str)]) -> String {
    let opts: String = options
        .iter()
        .map(|(value, text)| {
            let selected = if *value == current { " selected" } else { "" };
            format!(
                "<option value=\"{}\"{selected}>{}</option>",
                esc(value),
                esc(text)
            )
        })
        .collect();
    format!("<label for=\"{name}\">{label}</label><select id=\"{name}\" name=\"{name}\">{opts}</select>")
}

fn input(name: &str, label: &str, kind: &str, value: &str) -> String {
    format!(
        "<label for=\"{name}\">{label}</label><input id=\"{name}\" name=\"{name}\" type=\"{kind}\" value=\"{}\">",
        esc(value)
    )
}

fn search_form(q: &ListQuery) -> String {
    let statuses = [
        ("", "Any"),
        ("open", "Open"),
        ("processing", "Processing"),
        ("completed", "Completed"),
        ("expired", "Expired"),
    ];
    format!(
        "<form method=\"get\" action=\"/console/\" class=\"filters\" role=\"search\">\
<div>{}</div><div>{}</div><div>{}</div><div>{}</div><div>{}</div>\
<div class=\"actions\"><button type=\"submit\">Search</button> <a href=\"/console/\">Clear</a></div></form>",
        input("link_id", "Link id", "search", &q.link_id),
        select("status", "Status", q.status.trim(), &statuses),
        input("bank", "Bank", "search", &q.bank),
        input("from", "Created from", "date", &q.from),
        input("to", "Created to", "date", &q.to),
    )
}

fn bank_names(statements: &[StatementRow], session: &SessionRow) -> String {
    let mut banks: Vec<&str> = statements
        .iter()
        .filter_map(|s| s.bank_name.as_deref())
        .collect();
    if banks.is_empty() {
        banks.extend(session.bank_name.as_deref());
    }
    banks.sort_unstable();
    banks.dedup();
    banks.join(", ")
}

async fn session_rows(state: &AppState, sessions: &[SessionRow]) -> Result<String, ApiError> {
    let now = now_ms();
    let mut rows = String::new();
    for s in sessions {
        let statements = state.store.statements(&s.id).await?;
        let accepted = statements
            .iter()
            .filter(|st| st.error_code.is_none())
            .count();
        rows.push_str(&format!(
            "<tr><td data-label=\"Created\">{}</td><td data-label=\"Link id\">{}</td><td data-label=\"Session\"><a href=\"/console/sessions/{}\">{}</a></td><td data-label=\"Bank\">{}</td><td data-label=\"Statements\" class=\"num\">{accepted}</td><td data-label=\"Status\">{}</td></tr>",
            esc(&iso_day(s.created_at)),
            esc(s.link_id.as_deref().unwrap_or("")),
            esc(&s.id),
            esc(&s.id),
            esc(&bank_names(&statements, s)),
            status_badge(SessionState::of(s, now)),
        ));
    }
    Ok(rows)
}

fn pager(q: &ListQuery, page: i64, total: i64) -> String {
    let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let prev = if page > 1 {
        format!(
            "<a rel=\"prev\" href=\"{}\">← Newer</a>",
            esc(&q.at_page(page - 1))
        )
    } else {
        String::new()
    };
    let next = if page < pages {
        format!(
            "<a rel=\"next\" href=\"{}\">Older →</a>",
            esc(&q.at_page(page + 1))
        )
    } else {
        String::new()
    };
    format!("<nav class=\"pager\" aria-label=\"Pages\">{prev}<span>Page {page} of {pages} · {total} sessions</span>{next}</nav>")
}

/// GET /console/: the client's sessions, newest first, searchable and paged.
pub async fn home(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> Response {
    let session = match require_sign_in(&state, &headers).await {
        Ok(s) => s,
        Err(response) => return response,
    };
    let page_no = q.page();
    let search = q.search();
    let found = state
        .store
        .search_sessions(
            &session.client_id,
            &search,
            (page_no - 1) * PAGE_SIZE,
            PAGE_SIZE,
        )
        .await;
    let (total, sessions) = match found {
        Ok(found) => found,
        Err(e) => return internal(&e.into()),
    };
    let rows = match session_rows(&state, &sessions).await {
        Ok(rows) => rows,
        Err(e) => return internal(&e),
    };
    let table = if sessions.is_empty() {
        "<p class=\"muted\" id=\"no-sessions\">No sessions match.</p>".to_owned()
    } else {
        format!("<table class=\"list\" id=\"sessions\"><thead><tr><th>Created</th><th>Link id</th><th>Session</th><th>Bank</th><th class=\"num\">Statements</th><th>Status</th></tr></thead><tbody>{rows}</tbody></table>")
    };
    let body = format!(
        "<h1>Sessions</h1>{}{table}{}",
        search_form(&q),
        pager(&q, page_no, total)
    );
    let name = who(&session);
    html_response(
        StatusCode::OK,
        page("Sessions", Some(&chrome(&session, &name)), &body),
    )
}

/// Everything the session page shows, loaded once.
pub struct Loaded {
    pub session: SessionRow,
    pub statements: Vec<StatementRow>,
    pub results: Vec<StatementResult>,
    pub accounts: Vec<AccountView>,
}

/// The client's live session with its accounts enriched as the API serves them.
async fn load(
    state: &AppState,
    client_id: &str,
    session_id: &str,
) -> Result<Option<Loaded>, ApiError> {
    let Some(session) = state
        .store
        .session(client_id, session_id, KIND_SESSION)
        .await?
        .filter(|s| s.deleted_at.is_none())
    else {
        return Ok(None);
    };
    let statements = state.store.statements(&session.id).await?;
    let results = state.store.statement_results(&session.id).await?;
    let stored = state.store.account_results(&session.id).await?;
    let processed = session.processing_completed_at.is_some();
    tokio::task::spawn_blocking(move || {
        let mut accounts = if processed {
            build_accounts(&session, &statements, &results)
        } else {
            Vec::new()
        };
        attach_enrichment(&session, &mut accounts, &results, &stored, true);
        Some(Loaded {
            session,
            statements,
            results,
            accounts,
        })
    })
    .await
    .map_err(|e| ApiError::internal(&e))
}

/// Query of the session page: which account, and the transaction table's filters.
#[derive(Debug, Default, Clone)]
pub struct SessionQuery {
    pub account: String,
    pub filter: super::transactions::Filter,
}

/// GET /console/sessions/<id>: one session, one account at a time.
pub async fn session_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(session_id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let signed = match require_sign_in(&state, &headers).await {
        Ok(s) => s,
        Err(response) => return response,
    };
    let query = SessionQuery {
        account: q.get("account").cloned().unwrap_or_default(),
        filter: super::transactions::Filter::from_query(&q),
    };
    // Another client's session looks exactly like a missing one.
    let loaded = match load(&state, &signed.client_id, &session_id).await {
        Ok(Some(loaded)) => loaded,
        Ok(None) => {
            return error_page(StatusCode::NOT_FOUND, "No such session.");
        }
        Err(e) => return internal(&e),
    };
    let body = super::session_view::render(&state, &headers, &loaded, &query).await;
    let name = who(&signed);
    let title = loaded
        .session
        .link_id
        .clone()
        .unwrap_or_else(|| loaded.session.id.clone());
    html_response(
        StatusCode::OK,
        page(&title, Some(&chrome(&signed, &name)), &body),
    )
}
