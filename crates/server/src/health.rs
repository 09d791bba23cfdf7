//! Liveness (`/healthz`) and readiness (`/readyz`).
//!
//! Liveness answers whenever the process serves HTTP: restarting a live process does not fix a
//! full disk. Readiness makes a real write to the database and the object store, so a full or
//! read-only disk, or a lost database, takes the instance out of rotation until it can write
//! again; it comes back by itself, without a restart. The result is reused for a second so a
//! flood of readiness requests cannot turn into a flood of writes.

use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use ledgerlens_contract::api::ServiceStatus;
use std::time::{Duration, Instant};

/// How long a probe result is reused.
const REUSE: Duration = Duration::from_secs(1);
/// A probe slower than this counts as a failure.
const PROBE_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Default)]
pub struct Readiness {
    last: tokio::sync::Mutex<Option<(Instant, Result<(), &'static str>)>>,
}

impl Readiness {
    /// `Err` names what cannot write: "database" or "objects".
    pub async fn check(&self, state: &AppState) -> Result<(), &'static str> {
        // Held across the probe: concurrent requests wait for one probe instead of each writing.
        let mut last = self.last.lock().await;
        if let Some((at, result)) = *last {
            if at.elapsed() < REUSE {
                return result;
            }
        }
        let result = probe(state).await;
        *last = Some((Instant::now(), result));
        result
    }
}

async fn probe(state: &AppState) -> Result<(), &'static str> {
    match tokio::time::timeout(PROBE_TIMEOUT, state.store.write_probe()).await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "readiness: the database cannot take writes");
            return Err("database");
        }
        Err(_) => {
            tracing::warn!("readiness: the database write probe timed out");
            return Err("database");
        }
    }
    // Objects::check bounds itself in time.
    if let Err(e) = state.store.objects().check().await {
        tracing::warn!(error = %e, "readiness: the object store cannot take writes");
        return Err("objects");
    }
    Ok(())
}

fn status(status: &str, failing: Option<&str>) -> ServiceStatus {
    ServiceStatus {
        status: status.to_owned(),
        failing: failing.map(str::to_owned),
    }
}

/// GET /healthz: the process is alive and serving.
pub async fn healthz() -> Response {
    (StatusCode::OK, Json(status("ok", None))).into_response()
}

/// GET /readyz: the instance can take work (its database and object store accept writes).
pub async fn readyz(State(state): State<AppState>) -> Response {
    match state.readiness.check(&state).await {
        Ok(()) => (StatusCode::OK, Json(status("ready", None))).into_response(),
        Err(failing) => (
            StatusCode::SERVICE_UNAVAILABLE,
            [("retry-after", "5")],
            Json(status("unavailable", Some(failing))),
        )
            .into_response(),
    }
}
