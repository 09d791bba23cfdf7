//! The legacy entity API (seed 004). An entity is stored like a session of kind "entity";
//! its statements are processed as soon as they are uploaded, and every data endpoint carries
//! a per-statement `progress` array instead of the session flow's processing errors.

use crate::auth::{authenticate, Requirement};
use crate::errors::{ApiError, ApiResult, ErrorShape};
use crate::forms::read_form;
use crate::forms::{flag_set, upload_input, UploadQuery};
use crate::reports::pdf_entry;
use crate::session_access::owned_entity;
use crate::state::AppState;
use crate::upload::upload_statement;
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use ledgerlens_contract::api::{DateRange, GetPdfsResponse};
use ledgerlens_contract::insights::whole_limit;
use ledgerlens_contract::legacy::{
    AccountPredictors, AccountScore, AccountWiseMonthlyAnalysis, CreateEntityResponse,
    EntityAccount, EntityAccountsResponse, EntityExpenseCategoriesResponse, EntityFraud,
    EntityFraudEntry, EntityIdentity, EntityListResponse, EntityMonthlyAnalysisResponse,
    EntityPredictorsResponse, EntityRecurringResponse, EntityResponse,
    EntityRollingMonthlyAnalysisResponse, EntityScoreResponse, EntityTopCreditsDebitsResponse,
    EntityTransactionsResponse, EntityWebhookPayload, LegacyProgressEntry, LegacyUploadIdentity,
    LegacyUploadResponse, LinkOverviewEntry, LinkOverviewResponse, NetBankingHealth, RecurringSets,
    RollingMonthlyAnalysis, WebhookPayloadsResponse,
};
use ledgerlens_processing::accounts::{attach_enrichment, build_accounts, AccountView};
use ledgerlens_store::clients::Client;
use ledgerlens_store::new_id;
use ledgerlens_store::sessions::{NewSession, SessionRow, KIND_ENTITY};
use ledgerlens_store::statements::StatementRow;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::http_contract::with_405;

const V1: &str = "/bank-connect/v1";
/// Entities per page of GET entity/ (the Postman collection's sample pages hold 10).
const PAGE_SIZE: i64 = 10;

pub fn routes() -> Router<AppState> {
    let entity = |path: &str| format!("{V1}/entity/{{entity_id}}/{path}/");
    Router::new()
        .route(
            &format!("{V1}/entity/"),
            with_405(post(create_entity).get(list_entities)),
        )
        .route(
            &format!("{V1}/entity/link_overview/"),
            with_405(get(link_overview)),
        )
        .route(
            &format!("{V1}/entity/update_webhook/"),
            with_405(post(crate::session_routes::update_webhook)),
        )
        .route(
            &format!("{V1}/entity/webhook_payloads/"),
            with_405(get(webhook_payloads)),
        )
        .route(
            &format!("{V1}/net_banking_health/"),
            with_405(get(net_banking_health)),
        )
        .route(
            &format!("{V1}/entity/{{entity_id}}/"),
            with_405(get(get_entity)),
        )
        .route(
            &format!("{V1}/statement/upload/"),
            with_405(post(upload::<true, false>)),
        )
        .route(
            &format!("{V1}/statement/bankless_upload/"),
            with_405(post(upload::<false, false>)),
        )
        .route(
            &format!("{V1}/statement/upload_base64/"),
            with_405(post(upload::<true, true>)),
        )
        .route(
            &format!("{V1}/statement/bankless_upload_base64/"),
            with_405(post(upload::<false, true>)),
        )
        .route(&entity("accounts"), with_405(get(accounts)))
        .route(&entity("identity"), with_405(get(identity)))
        .route(&entity("transactions"), with_405(get(transactions)))
        .route(&entity("get_pdfs"), with_405(get(get_pdfs)))
        .route(
            &format!("{V1}/entity/{{entity_id}}/{{section}}/"),
            with_405(get(section)),
        )
}

async fn read_json_or_form(
    headers: &HeaderMap,
    request: Request,
) -> ApiResult<serde_json::Map<String, Value>> {
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let bytes = axum::body::to_bytes(request.into_body(), 1024 * 1024)
        .await
        .map_err(|_| ApiError::payload_too_large(1024 * 1024))?;
    if bytes.is_empty() {
        return Ok(serde_json::Map::new());
    }
    if content_type.starts_with("application/json") {
        match serde_json::from_slice::<Value>(&bytes) {
            Ok(Value::Object(map)) => Ok(map),
            _ => Err(ApiError::bad_request(
                "INVALID_REQUEST",
                "Something went wrong",
            )),
        }
    } else if content_type.starts_with("application/x-www-form-urlencoded") {
        Ok(url::form_urlencoded::parse(&bytes)
            .into_owned()
            .map(|(k, v)| (k, Value::String(v)))
            .collect())
    } else {
        Err(ApiError::unsupported_media_type(&content_type))
    }
}

async fn new_entity(
    state: &AppState,
    client: &Client,
    link_id: Option<String>,
    is_single_account: bool,
    meta_data: Value,
) -> ApiResult<String> {
    let id = new_id();
    state
        .store
        .insert_session(&NewSession {
            id: id.clone(),
            client_id: client.id.clone(),
            kind: KIND_ENTITY,
            link_id,
            from_date: None,
            to_date: None,
            bank_name: None,
            is_single_account,
            // The entity's `meta_data` (management.md), kept with its other parameters.
            params: json!({"meta_data": meta_data}).to_string(),
            expires_at: None,
        })
        .await?;
    Ok(id)
}

/// The `meta_data` given when the entity was created (null when none was).
fn meta_data(entity: &SessionRow) -> Option<Value> {
    serde_json::from_str::<Value>(&entity.params)
        .ok()
        .and_then(|params| params.get("meta_data").cloned())
        .filter(|m| !m.is_null())
}

fn entity_response(entity: &SessionRow) -> EntityResponse {
    EntityResponse {
        entity_id: entity.id.clone(),
        link_id: entity.link_id.clone(),
        meta_data: meta_data(entity),
    }
}

/// POST entity/ → 201 {entity_id, link_id}.
async fn create_entity(
    State(state): State<AppState>,
    headers: HeaderMap,
    request: Request,
) -> ApiResult<Response> {
    let client = authenticate(&state, &headers, Requirement::ApiKey, None).await?;
    let body = read_json_or_form(&headers, request).await?;
    let link_id = body.get("link_id").and_then(|v| match v {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    });
    let is_single_account = match body.get("is_single_account") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => true,
        Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => false,
        Some(_) => {
            return Err(ApiError::invalid_field(
                "is_single_account",
                "Must be a valid boolean.",
            ))
        }
    };
    let meta_data = body.get("meta_data").cloned().unwrap_or(Value::Null);
    let entity_id = new_entity(
        &state,
        &client,
        link_id.clone(),
        is_single_account,
        meta_data,
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(CreateEntityResponse { entity_id, link_id }),
    )
        .into_response())
}

#[derive(Debug, Deserialize)]
struct PageQuery {
    page: Option<String>,
    link_id: Option<String>,
}

/// GET entity/?page=N: DRF-style pagination.
async fn list_entities(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<PageQuery>,
) -> ApiResult<Json<EntityListResponse>> {
    let client = authenticate(&state, &headers, Requirement::ApiKeyAndServerHash, None).await?;
    let page: i64 = match q.page.as_deref() {
        None => 1,
        Some(p) => p
            .trim()
            .parse()
            .ok()
            .filter(|p| *p >= 1)
            .ok_or_else(|| ApiError::not_found("Invalid page."))?,
    };
    // management.md: "link_id — to filter based on link_id".
    let link_id = q
        .link_id
        .as_deref()
        .map(str::trim)
        .filter(|l| !l.is_empty());
    let (count, rows) = state
        .store
        .list_entities(&client.id, link_id, (page - 1) * PAGE_SIZE, PAGE_SIZE)
        .await?;
    if page > 1 && rows.is_empty() {
        return Err(ApiError::not_found("Invalid page."));
    }
    let base = crate::http_contract::public_base(&state.config, &headers);
    let filter: String = link_id
        .map(|l| {
            url::form_urlencoded::Serializer::new(String::new())
                .append_pair("link_id", l)
                .finish()
        })
        .map(|q| format!("&{q}"))
        .unwrap_or_default();
    let link = |p: i64| format!("{base}{V1}/entity/?page={p}{filter}");
    Ok(Json(EntityListResponse {
        count,
        next: (page * PAGE_SIZE < count).then(|| link(page + 1)),
        previous: (page > 1).then(|| link(page - 1)),
        results: rows.iter().map(entity_response).collect(),
    }))
}

#[derive(Debug, Deserialize)]
struct LinkQuery {
    link_id: Option<String>,
}

/// GET entity/link_overview/?link_id=….
async fn link_overview(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<LinkQuery>,
) -> ApiResult<Json<LinkOverviewResponse>> {
    let client = authenticate(&state, &headers, Requirement::ApiKeyAndServerHash, None).await?;
    let link_id = q
        .link_id
        .filter(|l| !l.trim().is_empty())
        .ok_or_else(|| ApiError::invalid_field("link_id", "This field is required."))?;
    let mut progress_data = Vec::new();
    for entity in state.store.entities_by_link(&client.id, &link_id).await? {
        let statements = state.store.statements(&entity.id).await?;
        let results = state.store.statement_results(&entity.id).await?;
        let accounts = build_accounts(&entity, &statements, &results);
        let months: Vec<String> = accounts
            .iter()
            .flat_map(|a| {
                a.details
                    .get("months")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default()
            })
            .filter_map(|m| m.as_str().map(str::to_owned))
            .collect();
        progress_data.push(LinkOverviewEntry {
            entity_id: entity.id.clone(),
            months,
            bank: accounts.first().and_then(|a| a.bank_name.clone()),
        });
    }
    Ok(Json(LinkOverviewResponse {
        progress_data,
        link_id,
    }))
}

/// GET entity/webhook_payloads/?link_id=… (webhook.md): the entity webhook payloads of a
/// link_id, latest first, each with the `date_time` it was due. They are derived from the
/// statements themselves (one per settled statement), so they are there whether or not a
/// webhook URL was registered or reachable.
async fn webhook_payloads(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<LinkQuery>,
) -> ApiResult<Json<WebhookPayloadsResponse>> {
    let client = authenticate(&state, &headers, Requirement::ApiKeyAndServerHash, None).await?;
    let link_id = q
        .link_id
        .filter(|l| !l.trim().is_empty())
        .ok_or_else(|| ApiError::invalid_field("link_id", "This field is required."))?;
    let mut payloads: Vec<(i64, EntityWebhookPayload)> = Vec::new();
    for entity in state.store.entities_by_link(&client.id, &link_id).await? {
        for s in state.store.statements(&entity.id).await? {
            if s.status == ledgerlens_store::statements::STATUS_PROCESSING {
                continue;
            }
            let failed = s.status == ledgerlens_store::statements::STATUS_FAILED;
            payloads.push((
                s.updated_at,
                EntityWebhookPayload {
                    statement_id: s.id.clone(),
                    entity_id: entity.id.clone(),
                    link_id: entity.link_id.clone(),
                    progress: if failed { "failed" } else { "completed" }.to_owned(),
                    reason: if failed {
                        s.error_message.clone().unwrap_or_default()
                    } else {
                        String::new()
                    },
                    date_time: ledgerlens_contract::timestamps::date_time(s.updated_at),
                },
            ));
        }
    }
    payloads.sort_by_key(|p| std::cmp::Reverse(p.0));
    Ok(Json(WebhookPayloadsResponse {
        payloads: payloads.into_iter().map(|(_, p)| p).collect(),
    }))
}

/// GET net_banking_health/ (management.md): one entry per bank the catalogue lists with net
/// banking. This server fetches no statements through net banking, so every bank is reported
/// down with the reason, rather than claiming a health it does not check.
async fn net_banking_health(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> ApiResult<Json<Vec<NetBankingHealth>>> {
    authenticate(&state, &headers, Requirement::ApiKey, None).await?;
    let now = ledgerlens_contract::timestamps::date_time(ledgerlens_store::now_ms());
    Ok(Json(
        ledgerlens_statement::banks::catalogue()
            .iter()
            .filter(|b| b.net_banking_available)
            .map(|b| NetBankingHealth {
                bank: b.id.to_ascii_uppercase(),
                updated_at: now.clone(),
                health_up: false,
                issue_details: Some(
                    "Net banking mode is not offered by this server; upload statements instead"
                        .to_owned(),
                ),
            })
            .collect(),
    ))
}

/// GET entity/<id>/.
async fn get_entity(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(entity_id): Path<String>,
) -> ApiResult<Json<EntityResponse>> {
    let client = authenticate(&state, &headers, Requirement::ApiKeyAndServerHash, None).await?;
    let entity = owned_entity(&state, &client, &entity_id).await?;
    Ok(Json(entity_response(&entity)))
}

/// The four legacy upload routes: `BANK` when `bank_name` is required (statement/upload/ and
/// statement/upload_base64/), `BASE64` when `file` is BASE64 text (the `*_base64/` routes).
async fn upload<const BANK: bool, const BASE64: bool>(
    State(state): State<AppState>,
    Query(q): Query<UploadQuery>,
    headers: HeaderMap,
    request: Request,
) -> Response {
    legacy_upload(&state, &q, &headers, request, BANK, BASE64)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

/// statement/upload/, statement/bankless_upload/ and their `_base64` twins: errors as
/// {entity_id, message}; an entity is created when none is given, even if the upload then fails.
async fn legacy_upload(
    state: &AppState,
    q: &UploadQuery,
    headers: &HeaderMap,
    request: Request,
    bank_required: bool,
    base64: bool,
) -> Result<Response, ApiError> {
    let client = authenticate(state, headers, Requirement::ApiKey, None).await?;
    // Form errors come before any entity exists; the legacy shape still applies to them.
    let mut form = read_form(state, headers, request).await.map_err(|e| {
        e.with_shape(ErrorShape::Legacy {
            entity_id: String::new(),
        })
    })?;
    if base64 {
        form = form.expect_base64();
    }
    let entity = match form.text("entity_id") {
        Some(id) => owned_entity(state, &client, &id).await?,
        None => {
            let id = new_entity(state, &client, None, false, Value::Null).await?;
            owned_entity(state, &client, &id).await?
        }
    };
    let legacy = |e: ApiError| {
        e.with_shape(ErrorShape::Legacy {
            entity_id: entity.id.clone(),
        })
    };
    let input = upload_input(state, &mut form, bank_required)
        .await
        .map_err(legacy)?;
    let accepted = upload_statement(state, &entity, input)
        .await
        .map_err(|r| legacy(r.error))?;
    // Keys in the order of seed 004's sample; `status` 1 as upload-rest-api.md's table says.
    let with_identity = flag_set(&q.identity);
    let text = |key: &str| {
        accepted
            .identity
            .get(key)
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let body = LegacyUploadResponse {
        bank_name: accepted.bank_name.clone(),
        statement_id: accepted.statement_id.clone(),
        entity_id: entity.id.clone(),
        date_range: with_identity.then(|| DateRange {
            from_date: accepted.from_date.map(|d| d.to_string()),
            to_date: accepted.to_date.map(|d| d.to_string()),
        }),
        is_fraud: with_identity.then_some(accepted.is_fraud),
        identity: with_identity.then(|| LegacyUploadIdentity {
            account_id: accepted.account_id.clone(),
            account_number: text("account_number"),
            address: text("address"),
            name: text("name"),
            account_category: text("account_category"),
            credit_limit: whole_limit(accepted.identity.get("credit_limit")).as_i64(),
        }),
        fraud_type: with_identity.then(|| accepted.fraud_type.clone()),
        status: 1,
    };
    Ok(Json(body).into_response())
}

fn progress(statements: &[StatementRow]) -> Vec<LegacyProgressEntry> {
    statements
        .iter()
        .map(|s| LegacyProgressEntry {
            status: s.status.clone(),
            message: s.error_message.clone(),
            transaction_status: None,
            statement_id: s.id.clone(),
            source: s.source.clone(),
        })
        .collect()
}

struct EntityData {
    entity: SessionRow,
    statements: Vec<StatementRow>,
    accounts: Vec<ledgerlens_processing::accounts::AccountView>,
}

async fn entity_data(
    state: &AppState,
    headers: &HeaderMap,
    entity_id: &str,
) -> ApiResult<EntityData> {
    let client = authenticate(state, headers, Requirement::ApiKeyAndServerHash, None).await?;
    let entity = owned_entity(state, &client, entity_id).await?;
    let statements = state.store.statements(&entity.id).await?;
    let results = state.store.statement_results(&entity.id).await?;
    let accounts = build_accounts(&entity, &statements, &results);
    Ok(EntityData {
        entity,
        statements,
        accounts,
    })
}

/// The entity's accounts as the accounts route answers them (the identity route adds to it).
fn accounts_body(data: &EntityData) -> EntityAccountsResponse {
    EntityAccountsResponse {
        entity_id: data.entity.id.clone(),
        progress: progress(&data.statements),
        accounts: account_entries(data),
        fraud: fraud_field(&data.accounts),
        identity: None,
    }
}

fn account_entries(data: &EntityData) -> Vec<EntityAccount> {
    data.accounts
        .iter()
        .map(|a| {
            let d = &a.details;
            let text = |key: &str| d.get(key).and_then(Value::as_str).map(str::to_owned);
            let list = |key: &str| {
                d.get(key)
                    .and_then(|v| serde_json::from_value(v.clone()).ok())
                    .unwrap_or_default()
            };
            // rest-api.md's accounts[] entry, in its order: credit_limit an integer,
            // last_updated the account's latest statement change (ISO-8601, as documented).
            EntityAccount {
                months: list("months"),
                statements: list("statements"),
                account_id: a.account_id.clone(),
                ifsc: text("ifsc"),
                micr: text("micr"),
                account_number: a.account_number.clone(),
                account_category: text("account_category"),
                credit_limit: d
                    .get("credit_limit")
                    .and_then(Value::as_f64)
                    .map_or(0, |l| l.round() as i64),
                bank: a.bank_name.clone(),
                last_updated: ledgerlens_contract::timestamps::iso_micros_z(a.updated_at),
            }
        })
        .collect()
}

async fn accounts(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(entity_id): Path<String>,
) -> ApiResult<Json<EntityAccountsResponse>> {
    let data =
        entity_data_enriched(&state, &headers, &entity_id, &AccountFilter::default()).await?;
    Ok(Json(accounts_body(&data)))
}

async fn identity(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(entity_id): Path<String>,
) -> ApiResult<Json<EntityAccountsResponse>> {
    let data =
        entity_data_enriched(&state, &headers, &entity_id, &AccountFilter::default()).await?;
    let mut body = accounts_body(&data);
    // identity/'s sample adds each statement's transaction_status to its progress entry.
    for (entry, s) in body.progress.iter_mut().zip(&data.statements) {
        entry.transaction_status = Some(s.transaction_status.clone());
    }
    // rest-api.md's identity entry: six keys in its order (it was the session flow's
    // eleven-key entry).
    body.identity = Some(
        data.accounts
            .iter()
            .map(|a| {
                let d = &a.details;
                let text = |key: &str| d.get(key).and_then(Value::as_str).map(str::to_owned);
                EntityIdentity {
                    name: text("name"),
                    account_category: text("account_category"),
                    credit_limit: whole_limit(d.get("credit_limit")).as_i64(),
                    account_number: a.account_number.clone(),
                    address: text("address"),
                    account_id: a.account_id.clone(),
                }
            })
            .collect(),
    );
    Ok(Json(body))
}

#[derive(Debug, Deserialize, Default)]
struct AccountFilter {
    account_id: Option<String>,
}

/// The entity's data with each account enriched over its processed statements (entities have
/// no finalisation step, so this runs on read), optionally narrowed to one account.
async fn entity_data_enriched(
    state: &AppState,
    headers: &HeaderMap,
    entity_id: &str,
    filter: &AccountFilter,
) -> ApiResult<EntityData> {
    let client = authenticate(state, headers, Requirement::ApiKeyAndServerHash, None).await?;
    let entity = owned_entity(state, &client, entity_id).await?;
    let statements = state.store.statements(&entity.id).await?;
    let results = state.store.statement_results(&entity.id).await?;
    let stored = state.store.account_results(&entity.id).await?;
    let wanted = filter.account_id.clone().filter(|a| !a.trim().is_empty());
    tokio::task::spawn_blocking(move || {
        let mut accounts = build_accounts(&entity, &statements, &results);
        if let Some(wanted) = wanted {
            accounts.retain(|a| a.account_id == wanted.trim());
        }
        attach_enrichment(&entity, &mut accounts, &results, &stored, true);
        EntityData {
            entity,
            statements,
            accounts,
        }
    })
    .await
    .map_err(|e| ApiError::internal(&e))
}

/// The `fraud` field of the analysis endpoints (rest-api.md, Fraud Field).
fn fraud_field(accounts: &[AccountView]) -> EntityFraud {
    let mut statements: Vec<String> = Vec::new();
    let mut kinds: Vec<EntityFraudEntry> = Vec::new();
    for a in accounts {
        let Some(entries) = a.section("fraud").as_array().cloned() else {
            continue;
        };
        for entry in entries {
            let text = |key: &str| entry.get(key).and_then(Value::as_str).map(str::to_owned);
            let statement_id = text("statement_id");
            if let Some(id) = &statement_id {
                if !statements.contains(id) {
                    statements.push(id.clone());
                }
            }
            kinds.push(EntityFraudEntry {
                statement_id,
                fraud_type: text("fraud_type"),
                account_id: a.account_id.clone(),
                fraud_category: text("fraud_category"),
                transaction_hash: text("transaction_hash"),
            });
        }
    }
    EntityFraud {
        fraudulent_statements: statements,
        fraud_type: kinds,
    }
}

/// Entity rows of every account: `section` of the entity shapes, concatenated.
/// A stored recurring group in the documented order of recurring_transactions/, its rows too.
fn recurring_group(group: &Value) -> Value {
    use ledgerlens_contract::insights::in_documented_order;
    use ledgerlens_contract::legacy::{RECURRING_GROUP_ORDER, RECURRING_ROW_ORDER};
    let mut group = in_documented_order(group, RECURRING_GROUP_ORDER);
    if let Some(rows) = group.get_mut("transactions").and_then(Value::as_array_mut) {
        for row in rows.iter_mut() {
            *row = in_documented_order(row, RECURRING_ROW_ORDER);
        }
    }
    group
}

fn entity_rows(accounts: &[AccountView], section: &str) -> Vec<Value> {
    let rows = accounts.iter().flat_map(|a| {
        a.entity_section(section)
            .as_array()
            .cloned()
            .unwrap_or_default()
    });
    // salary/'s sample orders its rows' keys its own way; stored rows are reordered to it.
    if section == "salary" {
        rows.map(|row| {
            ledgerlens_contract::insights::in_documented_order(
                &row,
                ledgerlens_contract::legacy::SALARY_ROW_ORDER,
            )
        })
        .collect()
    } else {
        rows.collect()
    }
}

async fn transactions(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(entity_id): Path<String>,
    Query(filter): Query<AccountFilter>,
) -> ApiResult<Json<EntityTransactionsResponse>> {
    let data = entity_data_enriched(&state, &headers, &entity_id, &filter).await?;
    Ok(Json(entity_transactions(&data, "transactions")))
}

/// transactions/, salary/ and lender_transactions/: the `section` rows of every account.
fn entity_transactions(data: &EntityData, section: &str) -> EntityTransactionsResponse {
    EntityTransactionsResponse {
        entity_id: data.entity.id.clone(),
        progress: progress(&data.statements),
        accounts: account_entries(data),
        fraud: fraud_field(&data.accounts),
        transactions: entity_rows(&data.accounts, section),
    }
}

async fn get_pdfs(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(entity_id): Path<String>,
) -> ApiResult<Json<GetPdfsResponse>> {
    let data = entity_data(&state, &headers, &entity_id).await?;
    let base = crate::http_contract::public_base(&state.config, &headers);
    Ok(Json(GetPdfsResponse {
        statements: data
            .statements
            .iter()
            .map(|s| pdf_entry(&state, &base, s))
            .collect(),
    }))
}

/// The enrichment endpoints of rest-api.md (salary, recurring_transactions, lender_transactions,
/// get_expense_categories, top_credits_debits, monthly_analysis_updated, predictors, score), each
/// with the per-statement `progress`. Account-wise lists (predictors, score, monthly analysis)
/// stay empty while any statement is still processing, as documented.
async fn section(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((entity_id, section)): Path<(String, String)>,
    Query(filter): Query<AccountFilter>,
) -> ApiResult<Response> {
    // entity/<id>/raw_excel_report/ (rest-api.md, commented out there but routed): the same
    // answer as xlsx_report/, account-wise report links once every statement is processed.
    if section == "raw_excel_report" {
        return crate::reports::entity_xlsx_report(State(state), headers, Path(entity_id))
            .await
            .map(IntoResponse::into_response);
    }
    // monthly_analysis/ is listed in the Postman collection without a sample: it answers as
    // monthly_analysis_updated/, the documented monthly analysis.
    let section = if section == "monthly_analysis" {
        "monthly_analysis_updated".to_owned()
    } else {
        section
    };
    const KNOWN: &[&str] = &[
        "salary",
        "recurring_transactions",
        "lender_transactions",
        "get_expense_categories",
        "top_credits_debits",
        "monthly_analysis_updated",
        "rolling_monthly_analysis",
        "predictors",
        "score",
    ];
    if !KNOWN.contains(&section.as_str()) {
        let _ = entity_data(&state, &headers, &entity_id).await?;
        return Err(ApiError::new(
            StatusCode::NOT_IMPLEMENTED,
            "ANALYSIS_NOT_AVAILABLE",
            format!("{section} is not available on this server"),
        ));
    }
    let data = entity_data_enriched(&state, &headers, &entity_id, &filter).await?;
    let settled = data
        .statements
        .iter()
        .all(|s| s.status != ledgerlens_store::statements::STATUS_PROCESSING);
    let enriched: Vec<&AccountView> = data
        .accounts
        .iter()
        .filter(|a| a.document.is_some())
        .collect();
    let entity_id = data.entity.id.clone();
    let progress = progress(&data.statements);
    Ok(match section.as_str() {
        "salary" => Json(entity_transactions(&data, "salary")).into_response(),
        "lender_transactions" => {
            Json(entity_transactions(&data, "lender_transactions")).into_response()
        }
        "recurring_transactions" => {
            let mut credit = Vec::new();
            let mut debit = Vec::new();
            for a in &enriched {
                let sets = a.entity_section("recurring_transactions");
                for (side, out) in [
                    ("credit_transactions", &mut credit),
                    ("debit_transactions", &mut debit),
                ] {
                    // Stored documents keep the order they were built in; the answer takes
                    // the documented one.
                    out.extend(
                        sets.get(side)
                            .and_then(Value::as_array)
                            .into_iter()
                            .flatten()
                            .map(recurring_group),
                    );
                }
            }
            Json(EntityRecurringResponse {
                entity_id,
                progress,
                accounts: account_entries(&data),
                fraud: fraud_field(&data.accounts),
                transactions: RecurringSets {
                    credit_transactions: credit,
                    debit_transactions: debit,
                },
            })
            .into_response()
        }
        // One account: its categories. Several: the first enriched account's (the documented
        // shape has no account dimension; filter with ?account_id=).
        "get_expense_categories" => Json(EntityExpenseCategoriesResponse {
            entity_id,
            progress,
            categories: enriched
                .first()
                .map_or_else(|| json!([]), |a| a.section("expense_categories")),
        })
        .into_response(),
        "top_credits_debits" => Json(EntityTopCreditsDebitsResponse {
            entity_id,
            progress,
            top_5_credit_debit: enriched.first().map_or_else(
                || json!({"top_5_credit": {}, "top_5_debit": {}}),
                |a| a.entity_section("top_5_credit_debit"),
            ),
        })
        .into_response(),
        "monthly_analysis_updated" => {
            let per_account: Vec<Value> = if settled {
                enriched
                    .iter()
                    .map(|a| json!({ a.account_id.clone(): {"monthly_analysis": a.section("monthly_analysis")} }))
                    .collect()
            } else {
                Vec::new()
            };
            Json(EntityMonthlyAnalysisResponse {
                entity_id,
                progress,
                accounts: account_entries(&data),
                monthly_analysis: AccountWiseMonthlyAnalysis {
                    account_id: per_account,
                },
            })
            .into_response()
        }
        // One account's, like get_expense_categories (?account_id= picks another).
        "rolling_monthly_analysis" => Json(EntityRollingMonthlyAnalysisResponse {
            entity_id,
            progress,
            monthly_analysis: RollingMonthlyAnalysis {
                monthly_analysis: enriched
                    .first()
                    .filter(|_| settled)
                    .map(|a| a.entity_section("rolling_monthly_analysis"))
                    .filter(|section| !section.is_null())
                    .unwrap_or_else(|| json!({})),
            },
        })
        .into_response(),
        "predictors" => Json(EntityPredictorsResponse {
            entity_id,
            progress,
            predictors: if settled {
                enriched
                    .iter()
                    .map(|a| AccountPredictors {
                        account_id: a.account_id.clone(),
                        predictors: a.section("predictors"),
                    })
                    .collect()
            } else {
                Vec::new()
            },
        })
        .into_response(),
        _ => Json(EntityScoreResponse {
            entity_id,
            progress,
            score: if settled {
                enriched
                    .iter()
                    .map(|a| AccountScore {
                        account_id: a.account_id.clone(),
                        score: a.section("score"),
                        factors: a.entity_section("score_factors"),
                    })
                    .collect()
            } else {
                Vec::new()
            },
        })
        .into_response(),
    })
}
