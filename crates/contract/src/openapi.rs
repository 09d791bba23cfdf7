//! The OpenAPI 3.1 document of the service, generated: the schemas come from the Rust types of
//! [`crate::api`] (utoipa), the operations from the route table below, error examples from the
//! documented rows of [`crate::errors`]. The server serves it at /openapi.json, and a test
//! checks that every route the router defines is in the table.

use crate::api::*;
use crate::errors::{self, DocumentedError, ErrorShape};
use crate::hosted::*;
use crate::insights::StatementStats;
use crate::legacy::*;
use crate::webhooks::*;
use serde_json::{json, Map, Value};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(components(schemas(
    CreateSessionRequest,
    CreateSessionV2Request,
    CreateSessionResponse,
    UploadSessionForm,
    UploadSessionResponse,
    InitiateProcessingResponse,
    SessionStatusResponse,
    InsightsResponse,
    ProgressResponse,
    IdentityResponse,
    TransactionsResponse,
    StatementStats,
    ErrorResponse,
    DetailResponse,
    SessionUploadStatusResponse,
    GetPdfsResponse,
    DeleteSessionResponse,
    MessageResponse,
    CatalogueResponse,
    SectionResponse,
    SessionReportsResponse,
    RecurringConsentDetailsResponse,
    FetchRecurringAaDataRequest,
    FetchRecurringAaDataResponse,
    CreateEntityResponse,
    EntityResponse,
    EntityListResponse,
    LinkOverviewResponse,
    WebhookPayloadsResponse,
    NetBankingHealth,
    LegacyUploadResponse,
    ServiceStatus,
    EntityReportsResponse,
    EntityAccountsResponse,
    EntityTransactionsResponse,
    EntityRecurringResponse,
    EntityExpenseCategoriesResponse,
    EntityTopCreditsDebitsResponse,
    EntityMonthlyAnalysisResponse,
    EntityRollingMonthlyAnalysisResponse,
    EntityPredictorsResponse,
    EntityScoreResponse,
    JourneySession,
    JourneyBanks,
    AaAck,
    AaError,
    EnrichmentNotification,
    UploadNotification,
    EntityStatementNotification
)))]
struct Schemas;

/// Which credentials an operation takes (headers `x-api-key`, `server-hash`).
#[derive(Debug, Clone, Copy)]
pub enum Auth {
    None,
    Key,
    KeyAndHash,
}

/// A query parameter or a form field.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    /// "string", "integer", "boolean", "binary", "uri", "array", "object".
    pub ty: &'static str,
    pub required: bool,
    pub description: &'static str,
    pub values: &'static [&'static str],
}

#[derive(Debug, Clone, Copy)]
pub enum Body {
    None,
    /// A typed body: the schema of a type in [`crate::api`]. One media type: generated
    /// clients (openapi-python-client) send one model under a single content type; the server
    /// also takes the same fields as a form, as the route's summary says.
    Schema {
        mimes: &'static [&'static str],
        schema: &'static str,
    },
    /// Form fields (the legacy upload APIs).
    Fields {
        mimes: &'static [&'static str],
        fields: &'static [Field],
    },
}

#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// A type of [`crate::api`] or [`crate::legacy`].
    Schema(&'static str),
    /// An array of such a type.
    SchemaArray(&'static str),
    Object,
    ObjectArray,
    /// Another media type (a file, a page).
    Media(&'static str),
    Empty,
}

#[derive(Debug, Clone, Copy)]
pub struct Ok {
    pub status: u16,
    pub description: &'static str,
    pub kind: Kind,
}

#[derive(Debug, Clone, Copy)]
pub struct Route {
    pub method: &'static str,
    pub path: &'static str,
    pub operation_id: &'static str,
    pub tag: &'static str,
    pub summary: &'static str,
    pub auth: Auth,
    pub query: &'static [Field],
    pub body: Body,
    pub ok: Ok,
    /// Status and the codes it may carry.
    pub errors: &'static [(u16, &'static str)],
}

const TAGS: &[(&str, &str)] = &[
    (
        "Session flow",
        "Create a session, upload, process, fetch the results (fetch-data.md)",
    ),
    ("Banks", "The supported banks"),
    (
        "Reports and files",
        "Signed downloads of statements and reports",
    ),
    (
        "Legacy entity API",
        "The entity-based API (bank-connect-legacy)",
    ),
    ("Hosted journey", "The borrower's upload page"),
    (
        "Account Aggregator",
        "The borrower's AA journey (mode=aa) and the callbacks the AA calls (ReBIT FIU API)",
    ),
    ("Service", "Health and this document"),
    (
        "Webhooks",
        "Notifications POSTed to the webhook_url set with update_webhook/ (webhook.md, processing-status.md, upload-status.md)",
    ),
];

/// The document as JSON text (built once).
pub fn json() -> &'static str {
    static TEXT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    TEXT.get_or_init(|| serde_json::to_string_pretty(&document()).unwrap_or_default())
}

/// The whole document.
pub fn document() -> Value {
    let mut doc = serde_json::to_value(Schemas::openapi()).unwrap_or_else(|_| json!({}));
    doc["info"] = json!({
        "title": "ledgerlens BankConnect-compatible API",
        "version": env!("CARGO_PKG_VERSION"),
        "description": "Self-hosted reimplementation of the BankConnect REST API. Errors are {\"error\": {\"code\", \"message\"}} unless stated.",
    });
    doc["servers"] = json!([{"url": "http://127.0.0.1:8000"}]);
    doc["tags"] = TAGS
        .iter()
        .map(|(name, description)| json!({"name": name, "description": description}))
        .collect();
    doc["components"]["securitySchemes"] = json!({
        "apiKey": {"type": "apiKey", "in": "header", "name": "x-api-key"},
        "serverHash": {"type": "apiKey", "in": "header", "name": "server-hash"},
    });
    doc["webhooks"] = webhooks();
    let mut paths = Map::new();
    for route in ROUTES {
        let item = paths
            .entry(route.path.to_owned())
            .or_insert_with(|| json!({}));
        item[route.method] = operation(route);
    }
    doc["paths"] = Value::Object(paths);
    doc
}

/// The notifications POSTed to the client's webhook_url (OpenAPI 3.1 `webhooks`): (event,
/// schema, what triggers it).
const WEBHOOKS: &[(&str, &str, &str)] = &[
    (
        "SESSION_REQUIREMENT_COMPLETION_NOTIFICATION",
        "UploadNotification",
        "The borrower finished uploading (processing was requested); sent before ENRICHMENT_NOTIFICATION once the statements are settled, with webhook_mode bit 1",
    ),
    (
        "SESSION_EXPIRY_NOTIFICATION",
        "UploadNotification",
        "The session expired before processing was requested (message \"Session Expired\")",
    ),
    (
        "ENRICHMENT_NOTIFICATION",
        "EnrichmentNotification",
        "The session's processing is over: insights/ and the other data routes answer",
    ),
    (
        "ENTITY_STATEMENT_NOTIFICATION",
        "EntityStatementNotification",
        "Legacy entity API: a statement was extracted or failed (also listed by entity/webhook_payloads/)",
    ),
];

fn webhooks() -> Value {
    let mut hooks = Map::new();
    for (event, schema, summary) in WEBHOOKS {
        hooks.insert(
            (*event).to_owned(),
            json!({"post": {
                "operationId": format!("webhook_{}", event.to_ascii_lowercase()),
                "tags": ["Webhooks"],
                "summary": summary,
                "description": "POSTed as JSON to the registered webhook_url, with x-secret-key when a secret was registered; any 2xx acknowledges, anything else is retried with backoff.",
                "requestBody": {"required": true, "content": {"application/json": {"schema": schema_ref(schema)}}},
                "responses": {"200": {"description": "received"}},
            }}),
        );
    }
    Value::Object(hooks)
}

fn schema_ref(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

fn field_schema(field: &Field) -> Value {
    let mut schema = match field.ty {
        "binary" => json!({"type": "string", "format": "binary"}),
        "uri" => json!({"type": "string", "format": "uri"}),
        "array" => json!({"type": "array", "items": {"type": "string"}}),
        other => json!({"type": other}),
    };
    if !field.values.is_empty() {
        schema["enum"] = json!(field.values);
    }
    if !field.description.is_empty() {
        schema["description"] = json!(field.description);
    }
    schema
}

fn parameters(route: &Route) -> Vec<Value> {
    let path_params = route
        .path
        .split('/')
        .filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
        .map(|name| json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}));
    let query = route.query.iter().map(|field| {
        json!({"name": field.name, "in": "query", "required": field.required, "schema": field_schema(field)})
    });
    path_params.chain(query).collect()
}

fn request_body(body: &Body) -> Option<Value> {
    let (mimes, schema) = match body {
        Body::None => return None,
        Body::Schema { mimes, schema } => (*mimes, schema_ref(schema)),
        Body::Fields { mimes, fields } => {
            let properties: Map<String, Value> = fields
                .iter()
                .map(|f| (f.name.to_owned(), field_schema(f)))
                .collect();
            let required: Vec<&str> = fields
                .iter()
                .filter(|f| f.required)
                .map(|f| f.name)
                .collect();
            (
                *mimes,
                json!({"type": "object", "properties": properties, "required": required}),
            )
        }
    };
    let content: Map<String, Value> = mimes
        .iter()
        .map(|mime| ((*mime).to_owned(), json!({"schema": schema})))
        .collect();
    Some(json!({"required": true, "content": content}))
}

fn success(ok: &Ok) -> Value {
    let content = match ok.kind {
        Kind::Schema(name) => Some(("application/json", schema_ref(name))),
        Kind::SchemaArray(name) => Some((
            "application/json",
            json!({"type": "array", "items": schema_ref(name)}),
        )),
        Kind::Object => Some(("application/json", json!({"type": "object"}))),
        Kind::ObjectArray => Some((
            "application/json",
            json!({"type": "array", "items": {"type": "object"}}),
        )),
        Kind::Media(mime) if mime.starts_with("text/") => Some((mime, json!({"type": "string"}))),
        Kind::Media(mime) => Some((mime, json!({"type": "string", "format": "binary"}))),
        Kind::Empty => None,
    };
    let mut response = json!({"description": ok.description});
    if let Some((mime, schema)) = content {
        response["content"] = json!({mime: {"schema": schema}});
    }
    response
}

/// The documented rows an error response may be illustrated with.
const EXAMPLE_ROWS: &[DocumentedError] = &[
    errors::SESSION_NOT_FOUND,
    errors::SESSION_DELETED,
    errors::PROCESSING_NOT_REQUESTED,
    errors::PROCESSING_NOT_COMPLETED,
    errors::DUPLICATE_PROCESSING_REQUEST,
    errors::AUTHENTICATION_CREDENTIALS_NOT_PROVIDED,
    errors::ACCESS_DENIED,
];

/// An example body for an error response: the documented row whose code the description
/// names first, else the first code it names; a 404 naming none is DRF's `{"detail"}`.
/// `None` when the description names no code (the body is not documented).
fn error_example(status: u16, description: &str) -> Option<Value> {
    let row = EXAMPLE_ROWS
        .iter()
        .filter(|row| row.status == status && description.contains(row.code))
        .min_by_key(|row| description.find(row.code));
    if let Some(row) = row {
        return Some(errors::error_body(
            row.status,
            row.code,
            row.message,
            &ErrorShape::Standard,
        ));
    }
    let code = description
        .split(|c: char| !(c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit()))
        .find(|word| word.len() > 3 && word.contains('_'));
    match code {
        Some(code) => Some(errors::error_body(
            status,
            code,
            description,
            &ErrorShape::Standard,
        )),
        None if status == errors::NOT_FOUND.status => Some(errors::error_body(
            status,
            errors::NOT_FOUND.code,
            errors::NOT_FOUND.message,
            &ErrorShape::Standard,
        )),
        None => None,
    }
}

fn error_response(status: u16, description: &str) -> Value {
    let Some(example) = error_example(status, description) else {
        return json!({"description": description});
    };
    let schema = if example.get("error").is_some() {
        schema_ref("ErrorResponse")
    } else {
        schema_ref("DetailResponse")
    };
    json!({
        "description": description,
        "content": {"application/json": {"schema": schema, "example": example}},
    })
}

fn operation(route: &Route) -> Value {
    let mut responses = Map::new();
    responses.insert(route.ok.status.to_string(), success(&route.ok));
    for (status, description) in route.errors {
        responses.insert(status.to_string(), error_response(*status, description));
    }
    let mut op = json!({
        "operationId": route.operation_id,
        "tags": [route.tag],
        "summary": route.summary,
        "responses": responses,
    });
    match route.auth {
        Auth::None => {}
        Auth::Key => op["security"] = json!([{"apiKey": []}]),
        Auth::KeyAndHash => op["security"] = json!([{"apiKey": [], "serverHash": []}]),
    }
    let parameters = parameters(route);
    if !parameters.is_empty() {
        op["parameters"] = json!(parameters);
    }
    if let Some(body) = request_body(&route.body) {
        op["requestBody"] = body;
    }
    op
}

/// Every documented operation. The router's routes are checked against it by the server's
/// openapi test.
// Parts the four legacy upload routes share.
const IDENTITY_QUERY: Field = Field {
    name: "identity",
    ty: "string",
    required: false,
    description: "",
    values: &["true", "false"],
};
const UPLOAD_ENTITY_ID: Field = Field {
    name: "entity_id",
    ty: "string",
    required: false,
    description: "upload into this entity (one is created when absent)",
    values: &[],
};
const LEGACY_UPLOAD_OK: Ok = Ok {
    status: 200,
    description:
        "{entity_id, statement_id, bank_name[, identity, date_range, is_fraud, fraud_type]}",
    kind: Kind::Schema("LegacyUploadResponse"),
};
const LEGACY_UPLOAD_ERRORS: &[(u16, &str)] = &[(400, "{entity_id, message, code}")];

pub const ROUTES: &[Route] = &[
    Route {
        method: "get",
        path: "/healthz",
        operation_id: "get_healthz",
        tag: "Service",
        summary: "Liveness: 200 while the process serves HTTP",
        auth: Auth::None,
        query: &[],
        body: Body::None,
        ok: Ok { status: 200, description: "alive: {status: ok}", kind: Kind::Schema("ServiceStatus") },
        errors: &[],
    },
    Route {
        method: "get",
        path: "/readyz",
        operation_id: "get_readyz",
        tag: "Service",
        summary: "Readiness: 200 when the database and the object store accept a write; 503 (Retry-After) otherwise, back to 200 by itself once they do",
        auth: Auth::None,
        query: &[],
        body: Body::None,
        ok: Ok { status: 200, description: "ready: {status: ready}", kind: Kind::Schema("ServiceStatus") },
        errors: &[(503, "not ready: {\"status\": \"unavailable\", \"failing\": \"database\" | \"objects\"}")],
    },
    Route {
        method: "get",
        path: "/metrics",
        operation_id: "get_metrics",
        tag: "Service",
        summary: "Prometheus metrics (text exposition format 0.0.4): requests, jobs, parses, webhooks, queue depths, pool usage. Answered to loopback clients only, unless LEDGERLENS_METRICS_TOKEN is set: then to any client sending `Authorization: Bearer <token>`. Everyone else gets 404",
        auth: Auth::None,
        query: &[],
        body: Body::None,
        ok: Ok { status: 200, description: "metrics", kind: Kind::Media("text/plain") },
        errors: &[(404, "not a loopback client, or the bearer token is missing or wrong")],
    },
    Route {
        method: "get",
        path: "/openapi.json",
        operation_id: "get_openapi_json",
        tag: "Service",
        summary: "This document",
        auth: Auth::None,
        query: &[],
        body: Body::None,
        ok: Ok { status: 200, description: "OpenAPI 3 document", kind: Kind::Empty },
        errors: &[],
    },
    Route {
        method: "post",
        path: "/bank-connect/v1/session/",
        operation_id: "post_session",
        tag: "Session flow",
        summary: "Create a session (dates DD/MM/YYYY; default last 6 months). The same fields are also accepted as a urlencoded or multipart form",
        auth: Auth::Key,
        query: &[],
        body: Body::Schema { mimes: &["application/json"], schema: "CreateSessionRequest" },
        ok: Ok { status: 200, description: "{session_id, redirect_url}", kind: Kind::Schema("CreateSessionResponse") },
        errors: &[(400, "INVALID_REQUEST, INVALID_DATE_FORMAT, INVALID_DATE_RANGE, MISSING_DATE_FIELD, INVALID_BANK_NAME, MISSING_BANK_NAME, MODE_NOT_AVAILABLE, INVALID_MOBILE_NUMBER, INVALID_SESSION_EXPIRY, INVALID_AA_PARAMETER, MISSING_AA_PARAMETER, INVALID_PARAMETER_COUNT"), (401, "AUTHENTICATION_CREDENTIALS_NOT_PROVIDED"), (403, "MODE_NOT_ENABLED"), (405, "METHOD_NOT_ALLOWED"), (415, "UNSUPPORTED_MEDIA_TYPE")],
    },
    Route {
        method: "post",
        path: "/bank-connect/v2/session/",
        operation_id: "post_session_v2",
        tag: "Session flow",
        summary: "Create a session with the Session API V2 (session-v2.md): V1's fields plus aa_journey_code and consent overrides; a journey code with a bank and no mode opens the AA journey for that bank",
        auth: Auth::Key,
        query: &[],
        body: Body::Schema { mimes: &["application/json"], schema: "CreateSessionV2Request" },
        ok: Ok { status: 200, description: "{session_id, redirect_url}", kind: Kind::Schema("CreateSessionResponse") },
        errors: &[(400, "INVALID_REQUEST, INVALID_DATE_FORMAT, INVALID_DATE_RANGE, MISSING_DATE_FIELD, INVALID_BANK_NAME, MISSING_BANK_NAME, MODE_NOT_AVAILABLE, INVALID_MOBILE_NUMBER, INVALID_SESSION_EXPIRY, INVALID_AA_PARAMETER, MISSING_AA_PARAMETER, INVALID_PARAMETER_COUNT"), (401, "AUTHENTICATION_CREDENTIALS_NOT_PROVIDED"), (403, "MODE_NOT_ENABLED"), (405, "METHOD_NOT_ALLOWED"), (415, "UNSUPPORTED_MEDIA_TYPE")],
    },
    Route {
        method: "post",
        path: "/bank-connect/v1/statement/upload_session/",
        operation_id: "post_statement_upload_session",
        tag: "Session flow",
        summary: "Upload a statement into a session; identity read synchronously. A urlencoded form (file_url or BASE64 file) is accepted too",
        auth: Auth::Key,
        query: &[Field { name: "identity", ty: "string", required: false, description: "", values: &["true", "false"] },
            Field { name: "progress", ty: "string", required: false, description: "", values: &["true", "false"] }],
        body: Body::Schema { mimes: &["multipart/form-data"], schema: "UploadSessionForm" },
        ok: Ok { status: 200, description: "statement_id, bank_name, identity (?identity=true), date_range, months, missing_months, progress (?progress=true)", kind: Kind::Schema("UploadSessionResponse") },
        errors: &[(400, "MISSING_FILE_OBJECT, INVALID_FILE_OBJECT, INVALID_FILE_URL, INVALID_BASE_64, INVALID_BANK_NAME, PASSWORD_INCORRECT, PDF_IS_IMAGE, STATEMENT_UNSUPPORTED_FORMAT, STATEMENT_NO_TRANSACTIONS, BANK_NAME_UNDETECTED, BANK_NAME_MISMATCH, OUT_OF_DATE_RANGE, STATEMENT_DUPLICATE, STATEMENT_TOO_MANY_PAGES, SESSION_EXPIRED"), (403, "ACCESS_DENIED: x-api-key missing or unknown (submit-data-backend.md)"), (404, "SESSION_NOT_FOUND"), (410, "SESSION_DELETED"), (413, "FILE_TOO_LARGE")],
    },
    Route {
        method: "post",
        path: "/bank-connect/v1/session_data/{session_id}/initiate_processing/",
        operation_id: "post_session_data_by_session_id_initiate_processing",
        tag: "Session flow",
        summary: "Request processing; closes the session to uploads",
        auth: Auth::KeyAndHash,
        query: &[],
        body: Body::None,
        ok: Ok { status: 202, description: "{session_id, message: success}", kind: Kind::Schema("InitiateProcessingResponse") },
        errors: &[(400, "PROCESSING_NOT_REQUESTED / PROCESSING_NOT_COMPLETED"), (403, "ACCESS_DENIED"), (404, "SESSION_NOT_FOUND"), (410, "SESSION_DELETED"), (409, "DUPLICATE_PROCESSING_REQUEST")],
    },
    Route {
        method: "get",
        path: "/bank-connect/v1/session_data/{session_id}/progress/",
        operation_id: "get_session_data_by_session_id_progress",
        tag: "Session flow",
        summary: "Per-statement identity/transaction/processing/fraud status",
        auth: Auth::KeyAndHash,
        query: &[],
        body: Body::None,
        ok: Ok { status: 200, description: "Per-statement identity/transaction/processing/fraud status", kind: Kind::Schema("ProgressResponse") },
        errors: &[(400, "PROCESSING_NOT_REQUESTED / PROCESSING_NOT_COMPLETED"), (403, "ACCESS_DENIED"), (404, "SESSION_NOT_FOUND"), (410, "SESSION_DELETED")],
    },
    Route {
        method: "get",
        path: "/bank-connect/v1/session_data/{session_id}/session_status/",
        operation_id: "get_session_data_by_session_id_session_status",
        tag: "Session flow",
        summary: "Account- and statement-level statuses and error codes",
        auth: Auth::KeyAndHash,
        query: &[],
        body: Body::None,
        ok: Ok { status: 200, description: "Account- and statement-level statuses and error codes", kind: Kind::Schema("SessionStatusResponse") },
        errors: &[(400, "PROCESSING_NOT_REQUESTED / PROCESSING_NOT_COMPLETED"), (403, "ACCESS_DENIED"), (404, "SESSION_NOT_FOUND"), (410, "SESSION_DELETED")],
    },
    Route {
        method: "get",
        path: "/bank-connect/v1/session_data/{session_id}/session_upload_status/",
        operation_id: "get_session_data_by_session_id_session_upload_status",
        tag: "Session flow",
        summary: "Upload status (no processing required)",
        auth: Auth::KeyAndHash,
        query: &[],
        body: Body::None,
        ok: Ok { status: 200, description: "Upload status (no processing required)", kind: Kind::Schema("SessionUploadStatusResponse") },
        errors: &[(400, "PROCESSING_NOT_REQUESTED / PROCESSING_NOT_COMPLETED"), (403, "ACCESS_DENIED"), (404, "SESSION_NOT_FOUND"), (410, "SESSION_DELETED")],
    },
    Route {
        method: "get",
        path: "/bank-connect/v1/session_data/{session_id}/insights/",
        operation_id: "get_session_data_by_session_id_insights",
        tag: "Session flow",
        summary: "Account details and transactions per account (enrichment sections fill in as the analysis stage lands)",
        auth: Auth::KeyAndHash,
        query: &[],
        body: Body::None,
        ok: Ok { status: 200, description: "Account details and transactions per account (enrichment sections fill in as the analysis stage lands)", kind: Kind::Schema("InsightsResponse") },
        errors: &[(400, "PROCESSING_NOT_REQUESTED / PROCESSING_NOT_COMPLETED"), (403, "ACCESS_DENIED"), (404, "SESSION_NOT_FOUND"), (410, "SESSION_DELETED")],
    },
    Route {
        method: "get",
        path: "/bank-connect/v1/session_data/{session_id}/identity/",
        operation_id: "get_session_data_by_session_id_identity",
        tag: "Session flow",
        summary: "Identity per account",
        auth: Auth::KeyAndHash,
        query: &[],
        body: Body::None,
        ok: Ok { status: 200, description: "Identity per account", kind: Kind::Schema("IdentityResponse") },
        errors: &[(400, "PROCESSING_NOT_REQUESTED / PROCESSING_NOT_COMPLETED"), (403, "ACCESS_DENIED"), (404, "SESSION_NOT_FOUND"), (410, "SESSION_DELETED")],
    },
    Route {
        method: "get",
        path: "/bank-connect/v1/session_data/{session_id}/transactions/",
        operation_id: "get_session_data_by_session_id_transactions",
        tag: "Session flow",
        summary: "Transactions per account",
        auth: Auth::KeyAndHash,
        query: &[],
        body: Body::None,
        ok: Ok { status: 200, description: "Transactions per account", kind: Kind::Schema("TransactionsResponse") },
        errors: &[(400, "PROCESSING_NOT_REQUESTED / PROCESSING_NOT_COMPLETED"), (403, "ACCESS_DENIED"), (404, "SESSION_NOT_FOUND"), (410, "SESSION_DELETED")],
    },
    Route {
        method: "get",
        path: "/bank-connect/v1/session_data/{session_id}/get_pdfs/",
        operation_id: "get_session_data_by_session_id_get_pdfs",
        tag: "Session flow",
        summary: "Statement PDFs as signed links valid for one hour",
        auth: Auth::KeyAndHash,
        query: &[],
        body: Body::None,
        ok: Ok { status: 200, description: "Statement PDFs as signed links valid for one hour", kind: Kind::Schema("GetPdfsResponse") },
        errors: &[(400, "PROCESSING_NOT_REQUESTED / PROCESSING_NOT_COMPLETED"), (403, "ACCESS_DENIED"), (404, "SESSION_NOT_FOUND"), (410, "SESSION_DELETED")],
    },
    Route {
        method: "get",
        path: "/bank-connect/v1/session_data/{session_id}/predictors/",
        operation_id: "get_session_data_by_session_id_predictors",
        tag: "Session flow",
        summary: "Predictors of each account (all contract keys, month-indexed): {session_id, accounts:[{account_id, data:{predictors}}]}",
        auth: Auth::KeyAndHash,
        query: &[],
        body: Body::None,
        ok: Ok { status: 200, description: "Predictors of each account (all contract keys, month-indexed): {session_id, accounts:[{account_id, data:{predictors}}]}", kind: Kind::Schema("SectionResponse") },
        errors: &[(400, "PROCESSING_NOT_REQUESTED / PROCESSING_NOT_COMPLETED"), (403, "ACCESS_DENIED"), (404, "SESSION_NOT_FOUND"), (410, "SESSION_DELETED")],
    },
    Route {
        method: "get",
        path: "/bank-connect/v1/session_data/{session_id}/eod_balances/",
        operation_id: "get_session_data_by_session_id_eod_balances",
        tag: "Session flow",
        summary: "EOD balances of each account (Months_order, start_date, per-month daily arrays): {session_id, accounts:[{account_id, data:{eod_balances}}]}",
        auth: Auth::KeyAndHash,
        query: &[],
        body: Body::None,
        ok: Ok { status: 200, description: "EOD balances of each account (Months_order, start_date, per-month daily arrays): {session_id, accounts:[{account_id, data:{eod_balances}}]}", kind: Kind::Schema("SectionResponse") },
        errors: &[(400, "PROCESSING_NOT_REQUESTED / PROCESSING_NOT_COMPLETED"), (403, "ACCESS_DENIED"), (404, "SESSION_NOT_FOUND"), (410, "SESSION_DELETED")],
    },
    Route {
        method: "get",
        path: "/bank-connect/v1/session_data/{session_id}/monthly_analysis_updated/",
        operation_id: "get_session_data_by_session_id_monthly_analysis_updated",
        tag: "Session flow",
        summary: "Monthly analysis of each account (Insights monthly_analysis): {session_id, accounts:[{account_id, data:{monthly_analysis}}]}",
        auth: Auth::KeyAndHash,
        query: &[],
        body: Body::None,
        ok: Ok { status: 200, description: "Monthly analysis of each account (Insights monthly_analysis): {session_id, accounts:[{account_id, data:{monthly_analysis}}]}", kind: Kind::Schema("SectionResponse") },
        errors: &[(400, "PROCESSING_NOT_REQUESTED / PROCESSING_NOT_COMPLETED"), (403, "ACCESS_DENIED"), (404, "SESSION_NOT_FOUND"), (410, "SESSION_DELETED")],
    },
    Route {
        method: "get",
        path: "/bank-connect/v1/session_data/{session_id}/recurring_transactions/",
        operation_id: "get_session_data_by_session_id_recurring_transactions",
        tag: "Session flow",
        summary: "Recurring credit and debit sets of each account: {session_id, accounts:[{account_id, data:{recurring_transactions}}]}",
        auth: Auth::KeyAndHash,
        query: &[],
        body: Body::None,
        ok: Ok { status: 200, description: "Recurring credit and debit sets of each account: {session_id, accounts:[{account_id, data:{recurring_transactions}}]}", kind: Kind::Schema("SectionResponse") },
        errors: &[(400, "PROCESSING_NOT_REQUESTED / PROCESSING_NOT_COMPLETED"), (403, "ACCESS_DENIED"), (404, "SESSION_NOT_FOUND"), (410, "SESSION_DELETED")],
    },
    Route {
        method: "get",
        path: "/bank-connect/v1/session_data/{session_id}/xlsx_report/",
        operation_id: "get_session_data_by_session_id_xlsx_report",
        tag: "Session flow",
        summary: "Signed, expiring report links: {session_id, reports:[{link, account_id}]} (files/reports/…)",
        auth: Auth::KeyAndHash,
        query: &[],
        body: Body::None,
        ok: Ok { status: 200, description: "{session_id, reports:[{link, account_id}]}", kind: Kind::Schema("SessionReportsResponse") },
        errors: &[(400, "PROCESSING_NOT_REQUESTED / PROCESSING_NOT_COMPLETED"), (403, "ACCESS_DENIED"), (404, "SESSION_NOT_FOUND"), (410, "SESSION_DELETED")],
    },
    Route {
        method: "delete",
        path: "/bank-connect/v1/session_data/{session_id}/delete/",
        operation_id: "delete_session_data_by_session_id_delete",
        tag: "Session flow",
        summary: "Delete a session, its files and results; SESSION_DELETED (410) afterwards",
        auth: Auth::KeyAndHash,
        query: &[],
        body: Body::None,
        ok: Ok { status: 200, description: "{session_id, message}", kind: Kind::Schema("DeleteSessionResponse") },
        errors: &[(400, "PROCESSING_NOT_REQUESTED / PROCESSING_NOT_COMPLETED"), (403, "ACCESS_DENIED"), (404, "SESSION_NOT_FOUND"), (410, "SESSION_DELETED")],
    },
    Route {
        method: "post",
        path: "/bank-connect/v1/session_data/update_webhook/",
        operation_id: "post_session_data_update_webhook",
        tag: "Session flow",
        summary: "Set webhook_url, webhook_mode (bit 1: PDF uploads) and optional secret (sent as x-secret-key)",
        auth: Auth::KeyAndHash,
        query: &[],
        body: Body::Fields { mimes: &["application/json"], fields: &[Field { name: "webhook_url", ty: "string", required: true, description: "", values: &[] },
            Field { name: "webhook_mode", ty: "integer", required: false, description: "", values: &[] },
            Field { name: "secret", ty: "string", required: false, description: "", values: &[] }] },
        ok: Ok { status: 200, description: "{message: success}", kind: Kind::Schema("MessageResponse") },
        errors: &[(400, "INVALID_REQUEST"), (401, ""), (403, "ACCESS_DENIED")],
    },
    Route {
        method: "post",
        path: "/bank-connect/v1/account_aggregator/get_recurring_consent_details/",
        operation_id: "post_account_aggregator_get_recurring_consent_details",
        tag: "Session flow",
        summary: "Recurring AA consents a session's journey obtained: {consent_details:[{consent_id, bank_name, masked_account_number, tenure_month_count, frequency_unit, frequency_value}]}",
        auth: Auth::KeyAndHash,
        query: &[Field { name: "session_id", ty: "string", required: true, description: "", values: &[] }],
        body: Body::None,
        ok: Ok { status: 200, description: "The session's recurring consents", kind: Kind::Schema("RecurringConsentDetailsResponse") },
        errors: &[(400, "INVALID_SESSION_ID"), (403, "ACCESS_DENIED")],
    },
    Route {
        method: "post",
        path: "/bank-connect/v1/account_aggregator/fetch_recurring_aa_data/",
        operation_id: "post_account_aggregator_fetch_recurring_aa_data",
        tag: "Session flow",
        summary: "A recurring pull under a consent (dates DD/MM/YYYY): a new session fetched and processed like the journey's; {session_id}",
        auth: Auth::KeyAndHash,
        query: &[],
        body: Body::Schema { mimes: &["application/json"], schema: "FetchRecurringAaDataRequest" },
        ok: Ok { status: 200, description: "{session_id} of the new session", kind: Kind::Schema("FetchRecurringAaDataResponse") },
        errors: &[(400, "INVALID_CONSENT_ID / CONSENT_REVOKED / CONSENT_OVERUSED / INVALID_DATE_RANGE / INVALID_DATE_FORMAT / MISSING_DATE_FIELD"), (403, "ACCESS_DENIED / MODE_NOT_ENABLED"), (502, "AA_UNAVAILABLE")],
    },
    Route {
        method: "get",
        path: "/bank-connect/v1/banks/catalogue/",
        operation_id: "get_banks_catalogue",
        tag: "Banks",
        summary: "Bank catalogue",
        auth: Auth::Key,
        query: &[],
        body: Body::None,
        ok: Ok { status: 200, description: "{count, banks}", kind: Kind::Schema("CatalogueResponse") },
        errors: &[(401, "")],
    },
    Route {
        method: "get",
        path: "/bank-connect/v1/banks/catalogue",
        operation_id: "get_banks_catalogue_without_slash",
        tag: "Banks",
        summary: "Bank catalogue (same as banks/catalogue/, without the trailing slash)",
        auth: Auth::Key,
        query: &[],
        body: Body::None,
        ok: Ok { status: 200, description: "{count, banks}", kind: Kind::Schema("CatalogueResponse") },
        errors: &[(401, "")],
    },
    Route {
        method: "get",
        path: "/bank-connect/v1/files/statements/{file}",
        operation_id: "get_files_statements_by_file",
        tag: "Reports and files",
        summary: "Download a statement PDF through a signed, expiring, tenant-scoped link",
        auth: Auth::None,
        query: &[Field { name: "client", ty: "string", required: true, description: "", values: &[] },
            Field { name: "expires", ty: "integer", required: true, description: "", values: &[] },
            Field { name: "signature", ty: "string", required: true, description: "", values: &[] }],
        body: Body::None,
        ok: Ok { status: 200, description: "application/pdf", kind: Kind::Empty },
        errors: &[(404, "invalid or expired link")],
    },
    Route {
        method: "get",
        path: "/bank-connect/v1/files/reports/{session_id}/{file}",
        operation_id: "get_files_reports_by_session_id_by_file",
        tag: "Reports and files",
        summary: "Download a report (<account_id or aggregate>.xlsx|.xml) through a signed, expiring, tenant-scoped link from xlsx_report/ or insights/",
        auth: Auth::None,
        query: &[Field { name: "client", ty: "string", required: true, description: "", values: &[] },
            Field { name: "expires", ty: "integer", required: true, description: "", values: &[] },
            Field { name: "signature", ty: "string", required: true, description: "", values: &[] }],
        body: Body::None,
        ok: Ok { status: 200, description: "the workbook (application/vnd.openxmlformats-officedocument.spreadsheetml.sheet) or XML, as an attachment", kind: Kind::Empty },
        errors: &[(404, "invalid, foreign or expired link")],
    },
    Route {
        method: "post",
        path: "/bank-connect/v1/entity/",
        operation_id: "post_entity",
        tag: "Legacy entity API",
        summary: "Create an entity (201 {entity_id, link_id})",
        auth: Auth::Key,
        query: &[],
        body: Body::Fields { mimes: &["application/json"], fields: &[Field { name: "link_id", ty: "string", required: false, description: "", values: &[] },
            Field { name: "is_single_account", ty: "boolean", required: false, description: "", values: &[] }] },
        ok: Ok { status: 201, description: "created", kind: Kind::Schema("CreateEntityResponse") },
        errors: &[],
    },
    Route {
        method: "get",
        path: "/bank-connect/v1/entity/",
        operation_id: "get_entity",
        tag: "Legacy entity API",
        summary: "List entities, 20 per page",
        auth: Auth::KeyAndHash,
        query: &[Field { name: "page", ty: "integer", required: false, description: "", values: &[] }],
        body: Body::None,
        ok: Ok { status: 200, description: "{count, next, previous, results}", kind: Kind::Schema("EntityListResponse") },
        errors: &[(404, "Invalid page.")],
    },
    Route {
        method: "get",
        path: "/bank-connect/v1/entity/link_overview/",
        operation_id: "get_entity_link_overview",
        tag: "Legacy entity API",
        summary: "Entities of a link_id with months and bank",
        auth: Auth::KeyAndHash,
        query: &[Field { name: "link_id", ty: "string", required: true, description: "", values: &[] }],
        body: Body::None,
        ok: Ok { status: 200, description: "{progress_data, link_id}", kind: Kind::Schema("LinkOverviewResponse") },
        errors: &[(400, "link_id required")],
    },
    Route {
        method: "post",
        path: "/bank-connect/v1/entity/update_webhook/",
        operation_id: "post_entity_update_webhook",
        tag: "Legacy entity API",
        summary: "Legacy alias of update_webhook",
        auth: Auth::KeyAndHash,
        query: &[],
        body: Body::None,
        ok: Ok { status: 200, description: "{message}", kind: Kind::Schema("MessageResponse") },
        errors: &[],
    },
    Route {
        method: "get",
        path: "/bank-connect/v1/entity/{entity_id}/",
        operation_id: "get_entity_by_entity_id",
        tag: "Legacy entity API",
        summary: "link_id of an entity",
        auth: Auth::KeyAndHash,
        query: &[],
        body: Body::None,
        ok: Ok { status: 200, description: "{entity_id, link_id}", kind: Kind::Schema("EntityResponse") },
        errors: &[(404, "not found")],
    },
    Route {
        method: "post",
        path: "/bank-connect/v1/statement/upload/",
        operation_id: "post_statement_upload",
        tag: "Legacy entity API",
        summary: "Upload with bank_name (entity created when entity_id is absent)",
        auth: Auth::Key,
        query: &[IDENTITY_QUERY],
        body: Body::Fields { mimes: &["multipart/form-data", "application/x-www-form-urlencoded"], fields: &[Field { name: "file", ty: "binary", required: false, description: "PDF, or BASE64 text when upload_type=BASE64; required unless file_url is given", values: &[] },
            Field { name: "file_url", ty: "uri", required: false, description: "publicly accessible http(s) URL of the statement PDF, downloaded by the server when no file is sent (bounded in time and size, at most 5 redirects; loopback and private addresses are refused unless --file-url-allow-private); the download is then treated exactly as an uploaded file. An invalid or unreachable URL or an error status answers 400 INVALID_FILE_URL, a body over the upload limit 413 FILE_TOO_LARGE", values: &[] },
            Field { name: "bank_name", ty: "string", required: false, description: "", values: &[] },
            Field { name: "session_id", ty: "string", required: false, description: "", values: &[] },
            Field { name: "upload_type", ty: "string", required: false, description: "", values: &["PDF", "BASE64"] },
            Field { name: "pdf_password", ty: "string", required: false, description: "", values: &[] },
            UPLOAD_ENTITY_ID,
            Field { name: "link_id", ty: "string", required: false, description: "", values: &[] }] },
        ok: LEGACY_UPLOAD_OK,
        errors: LEGACY_UPLOAD_ERRORS,
    },
    Route {
        method: "post",
        path: "/bank-connect/v1/statement/bankless_upload/",
        operation_id: "post_statement_bankless_upload",
        tag: "Legacy entity API",
        summary: "Upload, bank detected (entity created when entity_id is absent)",
        auth: Auth::Key,
        query: &[IDENTITY_QUERY],
        body: Body::Fields { mimes: &["multipart/form-data", "application/x-www-form-urlencoded"], fields: &[Field { name: "file", ty: "binary", required: false, description: "PDF, or BASE64 text when upload_type=BASE64; required unless file_url is given", values: &[] },
            Field { name: "file_url", ty: "uri", required: false, description: "publicly accessible http(s) URL of the statement PDF, downloaded by the server when no file is sent (bounded in time and size, at most 5 redirects; loopback and private addresses are refused unless --file-url-allow-private); the download is then treated exactly as an uploaded file. An invalid or unreachable URL or an error status answers 400 INVALID_FILE_URL, a body over the upload limit 413 FILE_TOO_LARGE", values: &[] },
            Field { name: "bank_name", ty: "string", required: false, description: "", values: &[] },
            Field { name: "session_id", ty: "string", required: false, description: "", values: &[] },
            Field { name: "upload_type", ty: "string", required: false, description: "", values: &["PDF", "BASE64"] },
            Field { name: "pdf_password", ty: "string", required: false, description: "", values: &[] },
            UPLOAD_ENTITY_ID,
            Field { name: "link_id", ty: "string", required: false, description: "", values: &[] }] },
        ok: LEGACY_UPLOAD_OK,
        errors: LEGACY_UPLOAD_ERRORS,
    },
    Route {
        method: "post",
        path: "/bank-connect/v1/statement/upload_base64/",
        operation_id: "post_statement_upload_base64",
        tag: "Legacy entity API",
        summary: "Upload a BASE64-encoded statement with bank_name (entity created when entity_id is absent); responses as statement/upload/",
        auth: Auth::Key,
        query: &[IDENTITY_QUERY],
        body: Body::Fields { mimes: &["application/x-www-form-urlencoded", "multipart/form-data"], fields: &[Field { name: "file", ty: "string", required: true, description: "the statement PDF, BASE64-encoded (a data: URL prefix and line breaks are accepted); bad BASE64 answers 400 {entity_id, message, code: INVALID_BASE_64}", values: &[] },
            Field { name: "bank_name", ty: "string", required: true, description: "", values: &[] },
            UPLOAD_ENTITY_ID,
            Field { name: "link_id", ty: "string", required: false, description: "", values: &[] },
            Field { name: "pdf_password", ty: "string", required: false, description: "", values: &[] }] },
        ok: LEGACY_UPLOAD_OK,
        errors: LEGACY_UPLOAD_ERRORS,
    },
    Route {
        method: "post",
        path: "/bank-connect/v1/statement/bankless_upload_base64/",
        operation_id: "post_statement_bankless_upload_base64",
        tag: "Legacy entity API",
        summary: "Upload a BASE64-encoded statement, bank detected (entity created when entity_id is absent); responses as statement/bankless_upload/",
        auth: Auth::Key,
        query: &[IDENTITY_QUERY],
        body: Body::Fields { mimes: &["application/x-www-form-urlencoded", "multipart/form-data"], fields: &[Field { name: "file", ty: "string", required: true, description: "the statement PDF, BASE64-encoded (a data: URL prefix and line breaks are accepted); bad BASE64 answers 400 {entity_id, message, code: INVALID_BASE_64}", values: &[] },
            UPLOAD_ENTITY_ID,
            Field { name: "link_id", ty: "string", required: false, description: "", values: &[] },
            Field { name: "pdf_password", ty: "string", required: false, description: "", values: &[] }] },
        ok: LEGACY_UPLOAD_OK,
        errors: LEGACY_UPLOAD_ERRORS,
    },
    Route {
        method: "get",
        path: "/bank-connect/v1/entity/{entity_id}/accounts/",
        operation_id: "get_entity_by_entity_id_accounts",
        tag: "Legacy entity API",
        summary: "Entity accounts with fraud and progress",
        auth: Auth::KeyAndHash,
        query: &[],
        body: Body::None,
        ok: Ok { status: 200, description: "{entity_id, accounts, fraud:{fraudulent_statements, fraud_type}, progress}", kind: Kind::Schema("EntityAccountsResponse") },
        errors: &[(404, "not found")],
    },
    Route {
        method: "get",
        path: "/bank-connect/v1/entity/{entity_id}/identity/",
        operation_id: "get_entity_by_entity_id_identity",
        tag: "Legacy entity API",
        summary: "Entity identity with fraud and progress",
        auth: Auth::KeyAndHash,
        query: &[],
        body: Body::None,
        ok: Ok { status: 200, description: "{entity_id, accounts, identity, fraud:{fraudulent_statements, fraud_type}, progress}", kind: Kind::Schema("EntityAccountsResponse") },
        errors: &[(404, "not found")],
    },
    Route {
        method: "get",
        path: "/bank-connect/v1/entity/{entity_id}/transactions/",
        operation_id: "get_entity_by_entity_id_transactions",
        tag: "Legacy entity API",
        summary: "Entity transactions with progress",
        auth: Auth::KeyAndHash,
        query: &[],
        body: Body::None,
        ok: Ok { status: 200, description: "... and progress", kind: Kind::Schema("EntityTransactionsResponse") },
        errors: &[(404, "not found")],
    },
    Route {
        method: "get",
        path: "/bank-connect/v1/entity/{entity_id}/get_pdfs/",
        operation_id: "get_entity_by_entity_id_get_pdfs",
        tag: "Legacy entity API",
        summary: "Statement PDFs of an entity as signed links valid for one hour",
        auth: Auth::KeyAndHash,
        query: &[],
        body: Body::None,
        ok: Ok { status: 200, description: "{statements: [...]}, as session_data/{session_id}/get_pdfs/", kind: Kind::Schema("GetPdfsResponse") },
        errors: &[(404, "not found")],
    },
    Route {
        method: "get",
        path: "/bank-connect/v1/entity/{entity_id}/salary/",
        operation_id: "get_entity_by_entity_id_salary",
        tag: "Legacy entity API",
        summary: "Salary transactions (entity rows with month_year) with progress, accounts, fraud",
        auth: Auth::KeyAndHash,
        query: &[],
        body: Body::None,
        ok: Ok { status: 200, description: "the section, with the per-statement progress field", kind: Kind::Schema("EntityTransactionsResponse") },
        errors: &[(404, "not found")],
    },
    Route {
        method: "get",
        path: "/bank-connect/v1/entity/{entity_id}/recurring_transactions/",
        operation_id: "get_entity_by_entity_id_recurring_transactions",
        tag: "Legacy entity API",
        summary: "Recurring credit/debit sets with progress, accounts, fraud",
        auth: Auth::KeyAndHash,
        query: &[],
        body: Body::None,
        ok: Ok { status: 200, description: "the section, with the per-statement progress field", kind: Kind::Schema("EntityRecurringResponse") },
        errors: &[(404, "not found")],
    },
    Route {
        method: "get",
        path: "/bank-connect/v1/entity/{entity_id}/lender_transactions/",
        operation_id: "get_entity_by_entity_id_lender_transactions",
        tag: "Legacy entity API",
        summary: "Lender transactions with progress, accounts, fraud",
        auth: Auth::KeyAndHash,
        query: &[],
        body: Body::None,
        ok: Ok { status: 200, description: "the section, with the per-statement progress field", kind: Kind::Schema("EntityTransactionsResponse") },
        errors: &[(404, "not found")],
    },
    Route {
        method: "get",
        path: "/bank-connect/v1/entity/{entity_id}/get_expense_categories/",
        operation_id: "get_entity_by_entity_id_get_expense_categories",
        tag: "Legacy entity API",
        summary: "Expense categories (percentages sum to 100) with progress",
        auth: Auth::KeyAndHash,
        query: &[],
        body: Body::None,
        ok: Ok { status: 200, description: "the section, with the per-statement progress field", kind: Kind::Schema("EntityExpenseCategoriesResponse") },
        errors: &[(404, "not found")],
    },
    Route {
        method: "get",
        path: "/bank-connect/v1/entity/{entity_id}/top_credits_debits/",
        operation_id: "get_entity_by_entity_id_top_credits_debits",
        tag: "Legacy entity API",
        summary: "Top 5 credits and debits per month with progress",
        auth: Auth::KeyAndHash,
        query: &[],
        body: Body::None,
        ok: Ok { status: 200, description: "the section, with the per-statement progress field", kind: Kind::Schema("EntityTopCreditsDebitsResponse") },
        errors: &[(404, "not found")],
    },
    Route {
        method: "get",
        path: "/bank-connect/v1/entity/{entity_id}/monthly_analysis_updated/",
        operation_id: "get_entity_by_entity_id_monthly_analysis_updated",
        tag: "Legacy entity API",
        summary: "Account-wise monthly analysis with progress (empty while a statement is processing)",
        auth: Auth::KeyAndHash,
        query: &[],
        body: Body::None,
        ok: Ok { status: 200, description: "the section, with the per-statement progress field", kind: Kind::Schema("EntityMonthlyAnalysisResponse") },
        errors: &[(404, "not found")],
    },
    Route {
        method: "get",
        path: "/bank-connect/v1/entity/{entity_id}/xlsx_report/",
        operation_id: "get_entity_by_entity_id_xlsx_report",
        tag: "Legacy entity API",
        summary: "Signed, expiring report links with progress: {entity_id, progress, reports} (reports empty while a statement is processing)",
        auth: Auth::KeyAndHash,
        query: &[],
        body: Body::None,
        ok: Ok { status: 200, description: "{entity_id, progress, reports:[{link, account_id}]}", kind: Kind::Schema("EntityReportsResponse") },
        errors: &[(404, "not found")],
    },
    Route {
        method: "get",
        path: "/bank-connect/v1/entity/{entity_id}/predictors/",
        operation_id: "get_entity_by_entity_id_predictors",
        tag: "Legacy entity API",
        summary: "Account-wise predictors with progress (empty while a statement is processing)",
        auth: Auth::KeyAndHash,
        query: &[],
        body: Body::None,
        ok: Ok { status: 200, description: "the section, with the per-statement progress field", kind: Kind::Schema("EntityPredictorsResponse") },
        errors: &[(404, "not found")],
    },
    Route {
        method: "get",
        path: "/bank-connect/v1/entity/{entity_id}/score/",
        operation_id: "get_entity_by_entity_id_score",
        tag: "Legacy entity API",
        summary: "Account-wise score 300-900 and its factors, with progress (empty while a statement is processing)",
        auth: Auth::KeyAndHash,
        query: &[],
        body: Body::None,
        ok: Ok { status: 200, description: "the section, with the per-statement progress field", kind: Kind::Schema("EntityScoreResponse") },
        errors: &[(404, "not found")],
    },
    Route {
        method: "get",
        path: "/",
        operation_id: "get_journey_page",
        tag: "Hosted journey",
        summary: "The hosted upload journey page behind the session redirect_url (HTML)",
        auth: Auth::None,
        query: &[],
        body: Body::None,
        ok: Ok { status: 200, description: "text/html", kind: Kind::Media("text/html") },
        errors: &[],
    },
    Route {
        method: "get",
        path: "/journey/journey.css",
        operation_id: "get_journey_journey_css",
        tag: "Hosted journey",
        summary: "Journey page stylesheet",
        auth: Auth::None,
        query: &[],
        body: Body::None,
        ok: Ok { status: 200, description: "text/css", kind: Kind::Media("text/css") },
        errors: &[],
    },
    Route {
        method: "get",
        path: "/journey/journey.js",
        operation_id: "get_journey_journey_js",
        tag: "Hosted journey",
        summary: "Journey page script",
        auth: Auth::None,
        query: &[],
        body: Body::None,
        ok: Ok { status: 200, description: "application/javascript", kind: Kind::Empty },
        errors: &[],
    },
    Route {
        method: "get",
        path: "/journey/api/session",
        operation_id: "get_journey_api_session",
        tag: "Hosted journey",
        summary: "Journey: the session the link grants (dates, bank, mode, uploads so far, closed_reason)",
        auth: Auth::None,
        query: &[Field { name: "session_id", ty: "string", required: true, description: "", values: &[] },
            Field { name: "token", ty: "string", required: true, description: "", values: &[] }],
        body: Body::None,
        ok: Ok { status: 200, description: "{session_id, link_id, bank_name, bank_full_name, journey_mode, logo_url, redirect_url, from_date, to_date, closed_reason, uploaded}", kind: Kind::Schema("JourneySession") },
        errors: &[(403, "INVALID_LINK"), (404, "SESSION_NOT_FOUND"), (410, "SESSION_DELETED")],
    },
    Route {
        method: "get",
        path: "/journey/api/banks",
        operation_id: "get_journey_api_banks",
        tag: "Hosted journey",
        summary: "Journey: banks that take PDF uploads",
        auth: Auth::None,
        query: &[Field { name: "session_id", ty: "string", required: true, description: "", values: &[] },
            Field { name: "token", ty: "string", required: true, description: "", values: &[] }],
        body: Body::None,
        ok: Ok { status: 200, description: "{banks:[{id, name}]}", kind: Kind::Schema("JourneyBanks") },
        errors: &[(403, "INVALID_LINK"), (404, "SESSION_NOT_FOUND"), (410, "SESSION_DELETED")],
    },
    Route {
        method: "post",
        path: "/journey/api/upload",
        operation_id: "post_journey_api_upload",
        tag: "Hosted journey",
        summary: "Journey: upload a statement into the link's session; answers as statement/upload_session/",
        auth: Auth::None,
        query: &[Field { name: "session_id", ty: "string", required: true, description: "", values: &[] },
            Field { name: "token", ty: "string", required: true, description: "", values: &[] }],
        body: Body::Fields { mimes: &["multipart/form-data"], fields: &[Field { name: "file", ty: "binary", required: false, description: "", values: &[] },
            Field { name: "bank_name", ty: "string", required: false, description: "", values: &[] },
            Field { name: "pdf_password", ty: "string", required: false, description: "", values: &[] }] },
        ok: Ok { status: 200, description: "as statement/upload_session/", kind: Kind::Schema("UploadSessionResponse") },
        errors: &[(400, "upload errors (statement/upload_session/ codes), SESSION_EXPIRED"), (403, "INVALID_LINK"), (404, "SESSION_NOT_FOUND"), (410, "SESSION_DELETED")],
    },
    Route {
        method: "get",
        path: "/bank-connect/v1/entity/webhook_payloads/",
        operation_id: "get_entity_webhook_payloads",
        tag: "Legacy entity API",
        summary: "Entity webhook payloads of a link_id, latest first (webhook.md)",
        auth: Auth::KeyAndHash,
        query: &[Field { name: "link_id", ty: "string", required: true, description: "", values: &[] }],
        body: Body::None,
        ok: Ok { status: 200, description: "{payloads:[{statement_id, entity_id, link_id, progress, reason, date_time}]}", kind: Kind::Schema("WebhookPayloadsResponse") },
        errors: &[(400, "link_id required")],
    },
    Route {
        method: "get",
        path: "/bank-connect/v1/net_banking_health/",
        operation_id: "get_net_banking_health",
        tag: "Legacy entity API",
        summary: "Net banking health per bank (management.md); every bank reported down: no net banking mode here",
        auth: Auth::Key,
        query: &[],
        body: Body::None,
        ok: Ok { status: 200, description: "[{bank, updated_at, health_up, issue_details}]", kind: Kind::SchemaArray("NetBankingHealth") },
        errors: &[(401, "No or unknown x-api-key")],
    },
    Route {
        method: "get",
        path: "/bank-connect/v1/entity/{entity_id}/monthly_analysis/",
        operation_id: "get_entity_by_entity_id_monthly_analysis",
        tag: "Legacy entity API",
        summary: "Monthly analysis (the Postman collection's older route): as monthly_analysis_updated/",
        auth: Auth::KeyAndHash,
        query: &[],
        body: Body::None,
        ok: Ok { status: 200, description: "Monthly analysis (the Postman collection's older route): as monthly_analysis_updated/", kind: Kind::Schema("EntityMonthlyAnalysisResponse") },
        errors: &[(404, "not found")],
    },
    Route {
        method: "get",
        path: "/bank-connect/v1/entity/{entity_id}/rolling_monthly_analysis/",
        operation_id: "get_entity_by_entity_id_rolling_monthly_analysis",
        tag: "Legacy entity API",
        summary: "Rolling monthly analysis: month_N and 3/6/12-month groups, sum/avg/max/min/count/amt per field",
        auth: Auth::KeyAndHash,
        query: &[],
        body: Body::None,
        ok: Ok { status: 200, description: "Rolling monthly analysis: month_N and 3/6/12-month groups, sum/avg/max/min/count/amt per field", kind: Kind::Schema("EntityRollingMonthlyAnalysisResponse") },
        errors: &[(404, "not found")],
    },
    Route {
        method: "get",
        path: "/bank-connect/v1/entity/{entity_id}/raw_excel_report/",
        operation_id: "get_entity_by_entity_id_raw_excel_report",
        tag: "Legacy entity API",
        summary: "Account-wise Excel report links, as xlsx_report/",
        auth: Auth::KeyAndHash,
        query: &[],
        body: Body::None,
        ok: Ok { status: 200, description: "Account-wise Excel report links, as xlsx_report/", kind: Kind::Schema("EntityReportsResponse") },
        errors: &[(404, "not found")],
    },
    Route {
        method: "get",
        path: "/aa/journey/{session_id}",
        operation_id: "get_aa_journey_by_session_id",
        tag: "Account Aggregator",
        summary: "The borrower's AA journey (the redirect_url of a mode=aa session): the mobile number form, or straight to the AA's consent page when the session carries a non-editable number (HTML)",
        auth: Auth::None,
        query: &[Field { name: "token", ty: "string", required: true, description: "the journey token of the redirect_url", values: &[] }],
        body: Body::None,
        ok: Ok { status: 200, description: "the page (text/html), or 303 to the AA", kind: Kind::Media("text/html") },
        errors: &[(403, "the link is not valid"), (404, "no Account Aggregator configured, or no such session"), (502, "the AA could not be reached (the page offers the PDF upload)")],
    },
    Route {
        method: "post",
        path: "/aa/journey/{session_id}",
        operation_id: "post_aa_journey_by_session_id",
        tag: "Account Aggregator",
        summary: "The journey's mobile number form: asks the AA for consent and sends the borrower to its approval page",
        auth: Auth::None,
        query: &[Field { name: "token", ty: "string", required: true, description: "the journey token of the redirect_url", values: &[] }],
        body: Body::Fields { mimes: &["application/x-www-form-urlencoded"], fields: &[Field { name: "mobile_number", ty: "string", required: true, description: "10 digits starting 6-9 (a +91/91 prefix is accepted)", values: &[] }] },
        ok: Ok { status: 200, description: "303 to the AA's approval page, or a page saying why not (text/html)", kind: Kind::Media("text/html") },
        errors: &[(400, "invalid mobile number"), (403, "the link is not valid"), (404, "no Account Aggregator configured, or no such session"), (502, "the AA could not be reached (the page offers the PDF upload)")],
    },
    Route {
        method: "get",
        path: "/aa/return/{session_id}",
        operation_id: "get_aa_return_by_session_id",
        tag: "Account Aggregator",
        summary: "Where the AA sends the borrower back: the consent's outcome and the fetch's progress; after a decline, the PDF upload instead (HTML)",
        auth: Auth::None,
        query: &[Field { name: "token", ty: "string", required: true, description: "", values: &[] },
            Field { name: "status", ty: "string", required: false, description: "the AA's hint (S: approved); the signed consent status decides", values: &[] }],
        body: Body::None,
        ok: Ok { status: 200, description: "text/html", kind: Kind::Media("text/html") },
        errors: &[(403, "the link is not valid"), (404, "no Account Aggregator configured, or no such session")],
    },
    Route {
        method: "post",
        path: "/aa/Consent/Notification",
        operation_id: "post_aa_consent_notification",
        tag: "Account Aggregator",
        summary: "ReBIT FIU callback: the AA reports a consent's status (header aa_api_key, detached JWS in x-jws-signature); answered with a signed acknowledgement",
        auth: Auth::None,
        query: &[],
        body: Body::Fields { mimes: &["application/json"], fields: &[Field { name: "ver", ty: "string", required: true, description: "", values: &[] },
            Field { name: "timestamp", ty: "string", required: true, description: "", values: &[] },
            Field { name: "txnid", ty: "string", required: true, description: "", values: &[] },
            Field { name: "Notifier", ty: "object", required: true, description: "", values: &[] },
            Field { name: "ConsentStatusNotification", ty: "object", required: true, description: "", values: &[] }] },
        ok: Ok { status: 200, description: "{ver, timestamp, txnid, response: OK}, signed in x-jws-signature; refusals are AaError bodies {ver, timestamp, txnid, errorCode, errorMsg}, signed too", kind: Kind::Schema("AaAck") },
        errors: &[(400, "InvalidRequest, InvalidConsentId, signature or body refused ({ver, timestamp, txnid, errorCode, errorMsg})"), (401, "Unauthorized: aa_api_key missing, invalid or expired"), (404, "no Account Aggregator configured")],
    },
    Route {
        method: "post",
        path: "/aa/FI/Notification",
        operation_id: "post_aa_fi_notification",
        tag: "Account Aggregator",
        summary: "ReBIT FIU callback: the AA reports a data session's status (header aa_api_key, detached JWS in x-jws-signature); answered with a signed acknowledgement",
        auth: Auth::None,
        query: &[],
        body: Body::Fields { mimes: &["application/json"], fields: &[Field { name: "ver", ty: "string", required: true, description: "", values: &[] },
            Field { name: "timestamp", ty: "string", required: true, description: "", values: &[] },
            Field { name: "txnid", ty: "string", required: true, description: "", values: &[] },
            Field { name: "Notifier", ty: "object", required: true, description: "", values: &[] },
            Field { name: "FIStatusNotification", ty: "object", required: true, description: "", values: &[] }] },
        ok: Ok { status: 200, description: "{ver, timestamp, txnid, response: OK}, signed in x-jws-signature; refusals are AaError bodies {ver, timestamp, txnid, errorCode, errorMsg}, signed too", kind: Kind::Schema("AaAck") },
        errors: &[(400, "InvalidRequest, InvalidSessionId, signature or body refused ({ver, timestamp, txnid, errorCode, errorMsg})"), (401, "Unauthorized: aa_api_key missing, invalid or expired"), (404, "no Account Aggregator configured")],
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_operations_reference_generated_schemas() {
        let doc = document();
        let schemas = doc["components"]["schemas"].as_object().expect("schemas");
        for name in [
            "CreateSessionRequest",
            "UploadSessionResponse",
            "SessionStatusResponse",
            "InsightsResponse",
            "AccountData",
            "AccountDetails",
            "StatementStats",
            "ErrorResponse",
        ] {
            assert!(schemas.contains_key(name), "schema {name} missing");
        }
        let insights = &doc["paths"]["/bank-connect/v1/session_data/{session_id}/insights/"]["get"];
        assert_eq!(
            insights["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/InsightsResponse"
        );
        assert_eq!(
            insights["responses"]["404"]["content"]["application/json"]["example"],
            json!({"error": {"code": "SESSION_NOT_FOUND", "message": "The provided session ID is invalid"}})
        );
        // Every $ref resolves.
        let text = doc.to_string();
        for reference in text.split("\"#/components/schemas/").skip(1) {
            let name = reference.split('"').next().unwrap_or_default();
            assert!(schemas.contains_key(name), "dangling $ref {name}");
        }
    }

    /// Every JSON success body is a generated schema: a route answering JSON with a bare
    /// `Kind::Object` (or no content) would leave generated clients with an untyped dict.
    #[test]
    fn every_json_success_body_is_typed() {
        let doc = document();
        let mut untyped = Vec::new();
        for (path, item) in doc["paths"].as_object().expect("paths") {
            for (method, operation) in item.as_object().expect("path item") {
                let responses = operation["responses"].as_object().expect("responses");
                let Some((_, ok)) = responses.iter().find(|(code, _)| code.starts_with('2')) else {
                    untyped.push(format!("{method} {path}: no success response"));
                    continue;
                };
                let schema = &ok["content"]["application/json"]["schema"];
                if schema.is_null() {
                    continue;
                }
                let typed = schema.get("$ref").is_some() || schema["items"].get("$ref").is_some();
                if !typed {
                    untyped.push(format!("{method} {path}: {schema}"));
                }
            }
        }
        assert!(untyped.is_empty(), "untyped JSON bodies: {untyped:#?}");
        // The routes that answer without a JSON body: files, this document, a script.
        let bodiless: Vec<&str> = ROUTES
            .iter()
            .filter(|r| matches!(r.ok.kind, Kind::Empty))
            .map(|r| r.path)
            .collect();
        assert_eq!(
            bodiless,
            [
                "/openapi.json",
                "/bank-connect/v1/files/statements/{file}",
                "/bank-connect/v1/files/reports/{session_id}/{file}",
                "/journey/journey.js",
            ]
        );
    }

    #[test]
    fn the_offline_document_decodes_as_the_typed_insights_response() {
        let doc = json!({
            "session_id": null, "link_id": null,
            "session_date_range": {"from_date": "2025-01-01", "to_date": "2025-01-31"},
            "accounts": [], "aggregate_monthly_analysis": {},
        });
        let typed: InsightsResponse = serde_json::from_value(doc).expect("decodes");
        assert!(typed.accounts.is_empty());
    }
}
