//! Which session or entity a data request may read: the client it authenticates as, and the
//! tenancy and lifecycle checks, shared by the route modules so that none of them reaches into
//! another's internals.

use crate::auth::{authenticate, Requirement};
use crate::errors::{ApiError, ApiResult};
use crate::state::AppState;
use axum::http::HeaderMap;
use ledgerlens_store::clients::Client;
use ledgerlens_store::sessions::{SessionRow, KIND_ENTITY, KIND_SESSION};

/// The client's session, not deleted.
pub async fn live_session(
    state: &AppState,
    client: &Client,
    session_id: &str,
) -> ApiResult<SessionRow> {
    let session = state
        .store
        .session(&client.id, session_id.trim(), KIND_SESSION)
        .await?
        .ok_or_else(ApiError::session_not_found)?;
    if session.deleted_at.is_some() {
        return Err(ApiError::session_deleted());
    }
    Ok(session)
}

/// The session a data route names, for a client with its API key and server hash.
pub(crate) async fn data_session(
    state: &AppState,
    headers: &HeaderMap,
    session_id: &str,
) -> ApiResult<SessionRow> {
    let client = authenticate(state, headers, Requirement::ApiKeyAndServerHash, None).await?;
    live_session(state, &client, session_id).await
}

pub(crate) fn require_processed(session: &SessionRow) -> ApiResult<()> {
    if session.processing_requested_at.is_none() {
        return Err(ApiError::processing_not_requested());
    }
    if session.processing_completed_at.is_none() {
        return Err(ApiError::processing_not_completed());
    }
    Ok(())
}

/// The client's legacy entity, not deleted.
pub(crate) async fn owned_entity(
    state: &AppState,
    client: &Client,
    entity_id: &str,
) -> ApiResult<SessionRow> {
    state
        .store
        .session(&client.id, entity_id.trim(), KIND_ENTITY)
        .await?
        .filter(|e| e.deleted_at.is_none())
        .ok_or_else(|| ApiError::not_found("Not found."))
}
