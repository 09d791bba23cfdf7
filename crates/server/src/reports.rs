//! Excel and XML reports: `xlsx_report/` (session and entity) hands out signed, expiring,
//! tenant-scoped links; the link itself renders the workbook on request from the same Insights
//! data the JSON API serves, so a report never disagrees with the API and nothing is stored.

use crate::auth::{authenticate, Requirement};
use crate::errors::{ApiError, ApiResult};
use crate::session_access::{data_session, owned_entity, require_processed};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::Json;
use ledgerlens_contract::api::{PdfEntry, ReportLink, SessionReportsResponse};
use ledgerlens_contract::legacy::{EntityReportsResponse, LegacyProgressEntry};
use ledgerlens_processing::accounts::{attach_enrichment, build_accounts, insights_data};
use ledgerlens_report::AccountInsights;
use ledgerlens_store::sessions::SessionRow;
use ledgerlens_store::statements::{StatementRow, STATUS_PROCESSING};
use serde_json::{json, Value};
use std::collections::HashMap;

const V1: &str = "/bank-connect/v1";
/// File name of the session-wide report in links.
const AGGREGATE: &str = "aggregate";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Xlsx,
    Xml,
}

impl Format {
    fn extension(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Xml => "xml",
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Xml => "application/xml; charset=utf-8",
        }
    }
}

/// Links to hand out: see [`crate::http_contract::public_base`].
fn public_base(state: &AppState, headers: &HeaderMap) -> String {
    crate::http_contract::public_base(&state.config, headers)
}

/// What a report link signs: the session, the report and its format.
fn object_id(session_id: &str, file: &str) -> String {
    format!("report:{session_id}:{file}")
}

/// A signed link to report `name` (an account id or [`AGGREGATE`]) of `session`.
fn report_link(
    state: &AppState,
    base: &str,
    session: &SessionRow,
    name: &str,
    format: Format,
) -> String {
    let file = format!("{name}.{}", format.extension());
    let query = state
        .links
        .sign(&session.client_id, &object_id(&session.id, &file));
    format!("{base}{V1}/files/reports/{}/{file}?{query}", session.id)
}

/// Adds the report links to an Insights response: per account (`data.xlsx_report_url`,
/// `data.xml_report_url`) and for the session (`aggregate_xlsx_report_url`,
/// `aggregate_xml_report_url`).
pub fn add_report_urls(
    state: &AppState,
    headers: &HeaderMap,
    session: &SessionRow,
    insights: &mut Value,
) {
    let base = public_base(state, headers);
    if let Some(accounts) = insights.get_mut("accounts").and_then(Value::as_array_mut) {
        for account in accounts {
            let id = account
                .get("account_id")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            if let Some(data) = account.get_mut("data").and_then(Value::as_object_mut) {
                let xlsx = report_link(state, &base, session, &id, Format::Xlsx);
                let xml = report_link(state, &base, session, &id, Format::Xml);
                data.insert("xlsx_report_url".into(), json!(xlsx));
                data.insert("xml_report_url".into(), json!(xml));
            }
        }
    }
    insights["aggregate_xlsx_report_url"] =
        json!(report_link(state, &base, session, AGGREGATE, Format::Xlsx));
    insights["aggregate_xml_report_url"] =
        json!(report_link(state, &base, session, AGGREGATE, Format::Xml));
}

/// The account ids of a session that has statements grouped into accounts.
async fn account_ids(state: &AppState, session: &SessionRow) -> ApiResult<Vec<String>> {
    let statements = state.store.statements(&session.id).await?;
    let mut ids: Vec<String> = Vec::new();
    for id in statements.iter().filter_map(|s| s.account_id.clone()) {
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

fn report_entries(
    state: &AppState,
    headers: &HeaderMap,
    session: &SessionRow,
    ids: &[String],
) -> Vec<ReportLink> {
    let base = public_base(state, headers);
    ids.iter()
        .map(|id| ReportLink {
            link: report_link(state, &base, session, id, Format::Xlsx),
            account_id: id.clone(),
        })
        .collect()
}

/// GET session_data/<id>/xlsx_report/.
pub async fn session_xlsx_report(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<Json<SessionReportsResponse>> {
    let session = data_session(&state, &headers, &id)
        .await
        .map_err(ApiError::with_capital_session_id)?;
    require_processed(&session)?;
    let ids = account_ids(&state, &session).await?;
    Ok(Json(SessionReportsResponse {
        reports: report_entries(&state, &headers, &session, &ids),
        session_id: session.id,
    }))
}

fn progress_entry(s: &StatementRow) -> LegacyProgressEntry {
    LegacyProgressEntry {
        status: s.status.clone(),
        message: s.error_message.clone(),
        transaction_status: None,
        statement_id: s.id.clone(),
        source: s.source.clone(),
    }
}

/// GET entity/<id>/xlsx_report/: `reports` stays empty while any statement is processing.
pub async fn entity_xlsx_report(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<Json<EntityReportsResponse>> {
    let client = authenticate(&state, &headers, Requirement::ApiKeyAndServerHash, None).await?;
    let entity = owned_entity(&state, &client, &id).await?;
    let statements = state.store.statements(&entity.id).await?;
    let processing = statements.iter().any(|s| s.status == STATUS_PROCESSING);
    let ids = if processing {
        Vec::new()
    } else {
        account_ids(&state, &entity).await?
    };
    Ok(Json(EntityReportsResponse {
        progress: statements.iter().map(progress_entry).collect(),
        reports: report_entries(&state, &headers, &entity, &ids),
        entity_id: entity.id,
    }))
}

/// The Insights `data` of every account of the session, enriched as the JSON API serves it.
async fn insights_accounts(
    state: &AppState,
    session: SessionRow,
) -> ApiResult<Vec<AccountInsights>> {
    let statements = state.store.statements(&session.id).await?;
    let results = state.store.statement_results(&session.id).await?;
    let stored = state.store.account_results(&session.id).await?;
    tokio::task::spawn_blocking(move || {
        let mut accounts = build_accounts(&session, &statements, &results);
        attach_enrichment(&session, &mut accounts, &results, &stored, true);
        accounts
            .iter()
            .map(|a| {
                let mut data = insights_data(a, &session.id);
                // The workbook's Summary lists the score's factors; Insights does not carry them.
                data["score_factors"] = a.entity_section("score_factors");
                AccountInsights::new(a.account_id.clone(), data)
            })
            .collect()
    })
    .await
    .map_err(|e| ApiError::internal(&e))
}

/// Splits "<name>.<ext>" into the report name and its format.
fn parse_file(file: &str) -> Option<(&str, Format)> {
    if let Some(name) = file.strip_suffix(".xlsx") {
        Some((name, Format::Xlsx))
    } else {
        file.strip_suffix(".xml").map(|name| (name, Format::Xml))
    }
}

/// GET files/reports/<session>/<name>.<xlsx|xml>?client&expires&signature: no API key, the
/// signature is the credential; an unknown, foreign or expired link is a plain 404.
pub async fn download_report(
    State(state): State<AppState>,
    Path((session_id, file)): Path<(String, String)>,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Response> {
    let not_found = || ApiError::not_found("The link is invalid or has expired");
    let client = q.get("client").ok_or_else(not_found)?;
    let expires: i64 = q
        .get("expires")
        .and_then(|e| e.parse().ok())
        .ok_or_else(not_found)?;
    let signature = q.get("signature").ok_or_else(not_found)?;
    let grant = state
        .links
        .verify(&object_id(&session_id, &file), client, expires, signature)
        .ok_or_else(not_found)?;
    // A revoked client's links stop working at once, not when they expire.
    if !state.store.client_is_active(&grant.client_id).await? {
        return Err(not_found());
    }
    let (name, format) = parse_file(&file).ok_or_else(not_found)?;
    let session = state
        .store
        .session_by_id(&session_id)
        .await?
        .filter(|s| s.client_id == grant.client_id && s.deleted_at.is_none())
        .ok_or_else(not_found)?;
    let accounts = insights_accounts(&state, session.clone()).await?;
    let (download_name, selected) = if name == AGGREGATE {
        (format!("entity_report_{}", session.id), accounts)
    } else {
        let one: Vec<AccountInsights> = accounts
            .into_iter()
            .filter(|a| a.account_id == name)
            .collect();
        if one.is_empty() {
            return Err(not_found());
        }
        (format!("account_report_{name}"), one)
    };
    let bytes = render(session.id.clone(), selected, name == AGGREGATE, format).await?;
    let disposition = format!(
        "attachment; filename=\"{download_name}.{}\"",
        format.extension()
    );
    Ok((
        [
            (header::CONTENT_TYPE, format.content_type().to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}

/// Renders off the async runtime: a long statement makes a workbook of thousands of rows.
async fn render(
    session_id: String,
    accounts: Vec<AccountInsights>,
    aggregate: bool,
    format: Format,
) -> ApiResult<Vec<u8>> {
    tokio::task::spawn_blocking(move || match (format, aggregate, accounts.first()) {
        (Format::Xlsx, true, _) => ledgerlens_report::aggregate_xlsx(&session_id, &accounts)
            .map_err(|e| ApiError::internal(&e)),
        (Format::Xml, true, _) => {
            Ok(ledgerlens_report::aggregate_xml(&session_id, &accounts).into_bytes())
        }
        (Format::Xlsx, false, Some(account)) => {
            ledgerlens_report::account_xlsx(account).map_err(|e| ApiError::internal(&e))
        }
        (Format::Xml, false, Some(account)) => {
            Ok(ledgerlens_report::account_xml(account).into_bytes())
        }
        (_, false, None) => Err(ApiError::not_found("The link is invalid or has expired")),
    })
    .await
    .map_err(|e| ApiError::internal(&e))?
}

/// A statement's get_pdfs entry: its signed PDF link (none without a stored file), its
/// password and its documented message.
pub fn pdf_entry(state: &AppState, base: &str, s: &StatementRow) -> PdfEntry {
    let pdf_url = match &s.object_key {
        Some(_) => format!(
            "{base}/bank-connect/v1/files/statements/{}.pdf?{}",
            s.id,
            state.links.sign(&s.client_id, &s.id)
        ),
        None => String::new(),
    };
    PdfEntry {
        statement_id: s.id.clone(),
        bank_name: s.bank_name.clone(),
        pdf_password: state.secrets.reveal(s.pdf_password.as_deref()),
        pdf_url,
        account_id: s.account_id.clone(),
        source: s.source.to_ascii_uppercase(),
        message: pdf_message(s.error_code.as_deref(), None).to_owned(),
    }
}

/// The documented get_pdfs `message` of a statement: its upload error, else the fraud the
/// enrichment confirmed on it, else "Success".
pub fn pdf_message(error_code: Option<&str>, fraud_type: Option<&str>) -> &'static str {
    match error_code {
        Some("PASSWORD_INCORRECT") => "Password Incorrect",
        Some("PDF_IS_IMAGE") => "Is Image",
        Some(
            "STATEMENT_UNSUPPORTED_FORMAT"
            | "STATEMENT_NO_TRANSACTIONS"
            | "BANK_NAME_UNDETECTED"
            | "INVALID_FILE_OBJECT",
        ) => "Not a Statement",
        Some("BANK_NAME_MISMATCH") => "Keyword Not Present",
        Some("NO_TRANSACTIONS_FROM_AA") => "No Transactions from Account Aggregator",
        Some(_) => "New Template",
        None => match fraud_type {
            Some("author_fraud") => "Author Fraud",
            Some("date_fraud") => "Date Fraud",
            _ => "Success",
        },
    }
}

/// statement_id → first confirmed fraud type, from the Insights `fraud` sections.
pub fn statement_frauds(accounts: &[AccountInsights]) -> HashMap<String, String> {
    let mut frauds = HashMap::new();
    for account in accounts {
        let entries = account
            .data
            .get("fraud")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice);
        for entry in entries {
            let statement = entry.get("statement_id").and_then(Value::as_str);
            let kind = entry.get("fraud_type").and_then(Value::as_str);
            if let (Some(statement), Some(kind)) = (statement, kind) {
                frauds
                    .entry(statement.to_owned())
                    .or_insert_with(|| kind.to_owned());
            }
        }
    }
    frauds
}

/// Fraud types per statement of a session, for get_pdfs (empty if enrichment is unavailable).
pub async fn session_statement_frauds(
    state: &AppState,
    session: &SessionRow,
) -> HashMap<String, String> {
    match insights_accounts(state, session.clone()).await {
        Ok(accounts) => statement_frauds(&accounts),
        Err(e) => {
            tracing::warn!(error = %e.message, "fraud types unavailable for get_pdfs");
            HashMap::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_messages_follow_the_documented_list() {
        assert_eq!(pdf_message(None, None), "Success");
        assert_eq!(
            pdf_message(Some("PASSWORD_INCORRECT"), None),
            "Password Incorrect"
        );
        assert_eq!(pdf_message(Some("PDF_IS_IMAGE"), None), "Is Image");
        assert_eq!(
            pdf_message(Some("STATEMENT_UNSUPPORTED_FORMAT"), None),
            "Not a Statement"
        );
        assert_eq!(pdf_message(None, Some("author_fraud")), "Author Fraud");
        assert_eq!(pdf_message(None, Some("date_fraud")), "Date Fraud");
        assert_eq!(
            pdf_message(None, Some("inconsistent_transaction")),
            "Success"
        );
    }

    #[test]
    fn report_files_name_their_format() {
        assert_eq!(
            parse_file("aggregate.xlsx"),
            Some(("aggregate", Format::Xlsx))
        );
        assert_eq!(parse_file("a-b.xml"), Some(("a-b", Format::Xml)));
        assert_eq!(parse_file("a.pdf"), None);
    }
}
