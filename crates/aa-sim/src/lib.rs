//! A local Account Aggregator for demos and tests: one process plays the Sahamati token service
//! and registry, the AA (ReBIT API 2.0.0 and 1.1.2), its consent approval page, and FIPs whose
//! accounts come from the fixture generator. Real HTTP, real signatures, real rahasya
//! encryption; faults on demand. See the README section "Connecting to an Account Aggregator".

pub mod api;
pub mod config;
pub mod control;
pub mod envelope;
pub mod fi_data;
pub mod lifecycle;
pub mod notify;
pub mod state;
pub mod webview;

use axum::routing::{get, post};
use axum::Router;
use std::net::SocketAddr;
use std::sync::Arc;

pub use config::{Faults, SimAccount, SimConfig};
pub use state::Sim;

pub fn router(sim: Arc<Sim>) -> Router {
    Router::new()
        .route("/Heartbeat", get(api::heartbeat))
        .route("/Consent", post(api::consent_create))
        .route("/Consent/handle", post(api::consent_handle_post))
        .route("/Consent/handle/{handle}", get(api::consent_handle_get))
        .route("/Consent/fetch", post(api::consent_fetch_post))
        .route("/Consent/{id}", get(api::consent_fetch_get))
        .route("/FI/request", post(api::fi_request))
        .route("/FI/fetch", post(api::fi_fetch_post))
        .route("/FI/fetch/{session}", get(api::fi_fetch_get))
        .route(
            "/webview",
            get(webview::redirected_page).post(webview::redirected_submit),
        )
        .route(
            "/webview/{handle}",
            get(webview::page).post(webview::submit),
        )
        .route("/iam/v1/entity/token/generate", post(control::iam_token))
        .route(
            "/auth/realms/sahamati/protocol/openid-connect/token",
            post(control::oidc_token),
        )
        .route(
            "/auth/realms/sahamati/protocol/openid-connect/certs",
            get(control::jwks),
        )
        .route("/cr/v2/entityInfo/{kind}/{id}", get(control::entity))
        .route(
            "/_sim/faults",
            get(control::get_faults).post(control::set_faults),
        )
        .route("/_sim/fiu", post(control::set_fiu))
        .route("/_sim/consents/{handle}", get(control::consent_state))
        .route(
            "/_sim/consents/{handle}/{action}",
            post(control::consent_action),
        )
        .route("/_sim/notifications", get(control::notifications))
        .route("/_sim/accounts", get(control::accounts))
        .route(
            "/_sim/accounts/{link_ref}/statement.pdf",
            get(control::statement_pdf),
        )
        .with_state(sim)
}

/// A running simulator.
pub struct RunningSim {
    pub addr: SocketAddr,
    pub base_url: String,
    pub sim: Arc<Sim>,
    pub task: tokio::task::JoinHandle<()>,
}

/// Binds `addr` (port 0 for any) and serves in the background.
pub async fn start(config: SimConfig, addr: SocketAddr) -> std::io::Result<RunningSim> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    let base_url = format!("http://{addr}");
    let sim = Arc::new(Sim::new(config, base_url.clone()));
    let app = router(sim.clone());
    let task = tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, app).await {
            tracing::error!(error = %e, "AA simulator stopped");
        }
    });
    Ok(RunningSim {
        addr,
        base_url,
        sim,
        task,
    })
}
