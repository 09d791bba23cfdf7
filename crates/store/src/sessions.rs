//! Sessions (session flow) and entities (legacy API): both are containers of statements owned
//! by one client. Every read is scoped by client id, so a foreign id looks exactly like a missing one.

use crate::jobs::{insert_job, NewJob};
use crate::{flag, now_ms, Result, Store, StoreError};
use sqlx::any::AnyRow;
use sqlx::Row;

pub const KIND_SESSION: &str = "session";
pub const KIND_ENTITY: &str = "entity";

#[derive(Debug, Clone)]
pub struct NewSession {
    pub id: String,
    pub client_id: String,
    pub kind: &'static str,
    pub link_id: Option<String>,
    /// ISO `YYYY-MM-DD`.
    pub from_date: Option<String>,
    pub to_date: Option<String>,
    pub bank_name: Option<String>,
    pub is_single_account: bool,
    /// The accepted request parameters (JSON), including metadata kept for enrichment.
    pub params: String,
    pub expires_at: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct SessionRow {
    pub id: String,
    pub client_id: String,
    pub kind: String,
    pub link_id: Option<String>,
    pub from_date: Option<String>,
    pub to_date: Option<String>,
    pub bank_name: Option<String>,
    pub is_single_account: bool,
    pub params: String,
    pub expires_at: Option<i64>,
    pub processing_requested_at: Option<i64>,
    pub processing_completed_at: Option<i64>,
    pub deleted_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

pub(crate) const SESSION_COLUMNS: &str = "id, client_id, kind, link_id, from_date, to_date, bank_name, is_single_account, params, expires_at, processing_requested_at, processing_completed_at, deleted_at, created_at, updated_at";

pub(crate) fn session_from_row(row: &AnyRow) -> Result<SessionRow> {
    Ok(SessionRow {
        id: row.try_get("id")?,
        client_id: row.try_get("client_id")?,
        kind: row.try_get("kind")?,
        link_id: row.try_get("link_id")?,
        from_date: row.try_get("from_date")?,
        to_date: row.try_get("to_date")?,
        bank_name: row.try_get("bank_name")?,
        is_single_account: row.try_get::<i64, _>("is_single_account")? != 0,
        params: row.try_get("params")?,
        expires_at: row.try_get("expires_at")?,
        processing_requested_at: row.try_get("processing_requested_at")?,
        processing_completed_at: row.try_get("processing_completed_at")?,
        deleted_at: row.try_get("deleted_at")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

/// Outcome of asking for processing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProcessingRequest {
    Accepted,
    AlreadyRequested,
}

impl Store {
    pub async fn insert_session(&self, session: &NewSession) -> Result<()> {
        let now = now_ms();
        sqlx::query(
            "INSERT INTO sessions (id, client_id, kind, link_id, from_date, to_date, bank_name, is_single_account, params, expires_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(&session.id)
        .bind(&session.client_id)
        .bind(session.kind)
        .bind(session.link_id.clone())
        .bind(session.from_date.clone())
        .bind(session.to_date.clone())
        .bind(session.bank_name.clone())
        .bind(flag(session.is_single_account))
        .bind(&session.params)
        .bind(session.expires_at)
        .bind(now)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The client's session or entity with that id (deleted ones included; callers decide).
    pub async fn session(
        &self,
        client_id: &str,
        id: &str,
        kind: &str,
    ) -> Result<Option<SessionRow>> {
        let row = sqlx::query(&format!(
            "SELECT {SESSION_COLUMNS} FROM sessions WHERE id = $1 AND client_id = $2 AND kind = $3"
        ))
        .bind(id)
        .bind(client_id)
        .bind(kind)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(session_from_row).transpose()
    }

    /// Without tenant scope: for workers, which act on ids taken from their own queue.
    pub async fn session_by_id(&self, id: &str) -> Result<Option<SessionRow>> {
        let row = sqlx::query(&format!(
            "SELECT {SESSION_COLUMNS} FROM sessions WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(session_from_row).transpose()
    }

    /// One page of the client's entities, oldest first, and the total count.
    pub async fn list_entities(
        &self,
        client_id: &str,
        link_id: Option<&str>,
        offset: i64,
        limit: i64,
    ) -> Result<(i64, Vec<SessionRow>)> {
        // The optional link_id filter (GET entity/?link_id=…) is a second form of each query
        // rather than a nullable bind, whose type PostgreSQL cannot infer.
        let filter = if link_id.is_some() {
            " AND link_id = $3"
        } else {
            ""
        };
        let count_sql = format!(
            "SELECT COUNT(*) AS n FROM sessions WHERE client_id = $1 AND kind = $2 AND deleted_at IS NULL{filter}"
        );
        let mut count_query = sqlx::query(&count_sql).bind(client_id).bind(KIND_ENTITY);
        if let Some(link) = link_id {
            count_query = count_query.bind(link);
        }
        let count: i64 = count_query.fetch_one(&self.pool).await?.try_get("n")?;
        let (limit_at, offset_at) = if link_id.is_some() { (4, 5) } else { (3, 4) };
        let list = format!(
            "SELECT {SESSION_COLUMNS} FROM sessions WHERE client_id = $1 AND kind = $2 AND deleted_at IS NULL{filter} ORDER BY created_at, id LIMIT ${limit_at} OFFSET ${offset_at}"
        );
        let mut rows_query = sqlx::query(&list).bind(client_id).bind(KIND_ENTITY);
        if let Some(link) = link_id {
            rows_query = rows_query.bind(link);
        }
        let rows = rows_query
            .bind(limit)
            .bind(offset)
            .fetch_all(&self.pool)
            .await?;
        Ok((
            count,
            rows.iter().map(session_from_row).collect::<Result<_>>()?,
        ))
    }

    pub async fn entities_by_link(
        &self,
        client_id: &str,
        link_id: &str,
    ) -> Result<Vec<SessionRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {SESSION_COLUMNS} FROM sessions WHERE client_id = $1 AND kind = $2 AND link_id = $3 AND deleted_at IS NULL ORDER BY created_at, id"
        ))
        .bind(client_id)
        .bind(KIND_ENTITY)
        .bind(link_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(session_from_row).collect()
    }

    /// Marks processing as requested and queues the job that finalises the session, atomically.
    pub async fn request_processing(
        &self,
        client_id: &str,
        session_id: &str,
        finalize: NewJob,
    ) -> Result<ProcessingRequest> {
        let mut tx = self.pool.begin().await?;
        let now = now_ms();
        let changed = sqlx::query(
            "UPDATE sessions SET processing_requested_at = $1, updated_at = $1 WHERE id = $2 AND client_id = $3 AND processing_requested_at IS NULL AND deleted_at IS NULL",
        )
        .bind(now)
        .bind(session_id)
        .bind(client_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return Ok(ProcessingRequest::AlreadyRequested);
        }
        insert_job(&mut tx, &finalize).await?;
        tx.commit().await?;
        Ok(ProcessingRequest::Accepted)
    }

    /// Soft-deletes the session and erases its files, stored parses and results (the row stays for
    /// SESSION_DELETED).
    pub async fn delete_session(&self, client_id: &str, session_id: &str) -> Result<bool> {
        // On PostgreSQL a webhook worker can record an attempt for the session's notification
        // between this transaction's removal of the attempts and of the notification (a foreign
        // key violation), or two writers can deadlock: the whole delete is tried again.
        let mut tries = 0;
        loop {
            match self.delete_session_once(client_id, session_id).await {
                Err(StoreError::Database(e)) if tries < 3 && is_transient_conflict(&e) => {
                    tries += 1;
                    tracing::debug!(error = %e, "session delete conflicted; trying again");
                }
                other => return other,
            }
        }
    }

    async fn delete_session_once(&self, client_id: &str, session_id: &str) -> Result<bool> {
        let mut tx = self.pool.begin().await?;
        let now = now_ms();
        let changed = sqlx::query("UPDATE sessions SET deleted_at = $1, updated_at = $1 WHERE id = $2 AND client_id = $3 AND deleted_at IS NULL")
            .bind(now)
            .bind(session_id)
            .bind(client_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if changed == 0 {
            return Ok(false);
        }
        let keys: Vec<String> = sqlx::query(
            "SELECT object_key FROM statements WHERE session_id = $1 AND object_key IS NOT NULL",
        )
        .bind(session_id)
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|r| r.try_get("object_key"))
        .collect::<Result<_, _>>()?;
        sqlx::query("DELETE FROM statement_results WHERE session_id = $1")
            .bind(session_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM account_results WHERE session_id = $1")
            .bind(session_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM statement_parses WHERE session_id = $1")
            .bind(session_id)
            .execute(&mut *tx)
            .await?;
        // Notifications carry the holder's name: not delivered, not kept, after a delete.
        sqlx::query(
            "DELETE FROM webhook_attempts WHERE outbox_id IN (SELECT id FROM webhook_outbox WHERE session_id = $1)",
        )
        .bind(session_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM webhook_outbox WHERE session_id = $1")
            .bind(session_id)
            .execute(&mut *tx)
            .await?;
        // An AA fetch in flight loses its key material and its lease with the session: its
        // holder's next renewal or write fails and it stops; nothing can take it over (a
        // deleted session is never claimable) and its statements would be refused anyway.
        sqlx::query("UPDATE aa_sessions SET fi_keys = NULL, lease_token = NULL, lease_until = NULL, stage = CASE WHEN stage IN ('awaiting_consent', 'fetching') THEN 'failed' ELSE stage END, failure = CASE WHEN stage IN ('awaiting_consent', 'fetching') THEN 'session deleted' ELSE failure END, updated_at = $1 WHERE session_id = $2")
            .bind(now)
            .bind(session_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE statements SET object_key = NULL, identity = NULL, pdf_password = NULL, account_number = NULL, updated_at = $1 WHERE session_id = $2")
            .bind(now)
            .bind(session_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        for key in keys {
            if let Err(e) = self.objects.delete(&key).await {
                tracing::warn!(error = %e, "could not delete an uploaded file of a deleted session");
            }
        }
        self.flush_deleted_pages().await;
        Ok(true)
    }
}

/// A conflict with a concurrent transaction that a retry resolves: a foreign key violation
/// from a row inserted meanwhile, a deadlock or a serialization failure (PostgreSQL codes).
fn is_transient_conflict(e: &sqlx::Error) -> bool {
    e.as_database_error().is_some_and(|db| {
        db.is_foreign_key_violation()
            || matches!(db.code().as_deref(), Some("40P01") | Some("40001"))
    })
}

impl Store {
    /// Sessions whose time ran out before processing was requested and whose client takes
    /// webhooks, not yet announced with SESSION_EXPIRY_NOTIFICATION (upload-status.md). The
    /// outbox's unique key is the "announced" mark, so several workers may scan at once.
    pub async fn expired_sessions_to_announce(&self, limit: i64) -> Result<Vec<SessionRow>> {
        let columns = SESSION_COLUMNS
            .split(", ")
            .map(|c| format!("s.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let rows = sqlx::query(&format!(
            "SELECT {columns} FROM sessions s JOIN clients c ON c.id = s.client_id \
             WHERE s.kind = $1 AND s.expires_at IS NOT NULL AND s.expires_at < $2 AND s.expires_at > $4 \
             AND s.processing_requested_at IS NULL AND s.deleted_at IS NULL \
             AND c.webhook_url IS NOT NULL \
             AND NOT EXISTS (SELECT 1 FROM webhook_outbox w WHERE w.unique_key = 'SESSION_EXPIRY_NOTIFICATION:' || s.id) \
             ORDER BY s.expires_at LIMIT $3"
        ))
        .bind(KIND_SESSION)
        .bind(crate::now_ms())
        .bind(limit)
        // Only expiries of the last day: sessions that expired long before this feature (or a
        // long outage) are not announced in a burst, days late.
        .bind(crate::now_ms() - 24 * 3600 * 1000)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(session_from_row).collect()
    }
}
