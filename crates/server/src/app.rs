//! The router: BankConnect's routes (trailing slashes as documented) plus /healthz and
//! /openapi.json, wrapped in request ids, tracing, a body limit and a timeout.

use crate::errors::ApiError;
use crate::http_contract::with_405;
use crate::reports as r;
use crate::session_routes as s;
use crate::state::AppState;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderName, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::Router;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

const V1: &str = "/bank-connect/v1";

/// The OpenAPI document, generated from the contract's types (ledgerlens-contract::openapi).
async fn openapi() -> Response {
    (
        [("content-type", "application/json")],
        ledgerlens_contract::openapi::json(),
    )
        .into_response()
}

/// Refuses oversized bodies by their declared length before reading them.
async fn declared_length_limit(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let limit = state.config.max_body_bytes;
    let declared = request
        .headers()
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if let Some(len) = declared.filter(|len| *len > limit) {
        // Answering before the body is read makes the server close the connection while the
        // client is still sending, and most clients then report a reset instead of this 413.
        // Bodies up to four times the limit are read and discarded first (bounded in time).
        if len <= limit.saturating_mul(4) {
            crate::body_limits::discard_body(request.into_body(), state.config.request_timeout)
                .await;
        }
        return ApiError::payload_too_large(limit).into_response();
    }
    next.run(request).await
}

fn session_routes() -> Router<AppState> {
    let data = |path: &str| format!("{V1}/session_data/{{session_id}}/{path}/");
    Router::new()
        .route(&format!("{V1}/session/"), with_405(post(s::create_session)))
        .route(
            "/bank-connect/v2/session/",
            with_405(post(s::create_session_v2)),
        )
        .route(
            &format!("{V1}/statement/upload_session/"),
            with_405(post(s::upload_session)),
        )
        .route(
            &data("initiate_processing"),
            with_405(post(s::initiate_processing)),
        )
        .route(&data("progress"), with_405(get(s::progress)))
        .route(&data("session_status"), with_405(get(s::session_status)))
        .route(
            &data("session_upload_status"),
            with_405(get(s::session_upload_status)),
        )
        .route(&data("insights"), with_405(get(s::insights)))
        .route(&data("identity"), with_405(get(s::identity)))
        .route(&data("transactions"), with_405(get(s::transactions)))
        .route(&data("get_pdfs"), with_405(get(s::get_pdfs)))
        .route(&data("delete"), with_405(delete(s::delete_session)))
        .route(
            &format!("{V1}/session_data/{{session_id}}/{{section}}/"),
            with_405(get(s::enrichment_section)),
        )
        .route(
            &format!("{V1}/session_data/update_webhook/"),
            with_405(post(s::update_webhook)),
        )
        // Recurring Account Aggregator pulls (crate::aa_recurring).
        .route(
            &format!("{V1}/account_aggregator/get_recurring_consent_details/"),
            with_405(post(crate::aa_recurring::get_recurring_consent_details)),
        )
        .route(
            &format!("{V1}/account_aggregator/fetch_recurring_aa_data/"),
            with_405(post(crate::aa_recurring::fetch_recurring_aa_data)),
        )
        .route(
            &format!("{V1}/banks/catalogue/"),
            with_405(get(s::catalogue)),
        )
        .route(
            &format!("{V1}/banks/catalogue"),
            with_405(get(s::catalogue)),
        )
        .route(
            &format!("{V1}/files/statements/{{file}}"),
            with_405(get(s::download_statement)),
        )
        // Reports (crate::reports): links, and the signed downloads they point at.
        .route(&data("xlsx_report"), with_405(get(r::session_xlsx_report)))
        .route(
            &format!("{V1}/entity/{{entity_id}}/xlsx_report/"),
            with_405(get(r::entity_xlsx_report)),
        )
        .route(
            &format!("{V1}/files/reports/{{session_id}}/{{file}}"),
            with_405(get(r::download_report)),
        )
}

pub fn router(state: AppState) -> Router {
    let request_id = HeaderName::from_static("x-request-id");
    let trace = TraceLayer::new_for_http().make_span_with(|request: &Request| {
        let id = request.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
        // Paths carry only opaque ids; bodies (names, numbers, narrations) are never logged here.
        tracing::info_span!("http", method = %request.method(), path = %request.uri().path(), request_id = %id)
    });
    let documented = Router::new()
        .route("/healthz", get(crate::health::healthz))
        .route("/readyz", get(crate::health::readyz))
        .route("/openapi.json", get(openapi))
        .merge(session_routes())
        .merge(crate::legacy::routes())
        .merge(crate::journey::routes())
        .merge(crate::aa_routes::routes())
        .merge(crate::console::routes())
        .route("/metrics", get(crate::metrics::serve_metrics))
        .route_layer(middleware::from_fn(crate::metrics::tag_route));
    // Paths without their trailing slash are retried with it before answering 404.
    crate::http_contract::accept_missing_trailing_slash(documented, state.clone())
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::http_contract::cors,
        ))
        .layer(DefaultBodyLimit::max(state.config.max_body_bytes))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::body_limits::bounded_bodies,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            declared_length_limit,
        ))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            state.config.request_timeout,
        ))
        // Outside the timeout: a throttled client is answered at once.
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::throttle::auth_failures,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::metrics::track_requests,
        ))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(trace)
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
        .with_state(state)
}
