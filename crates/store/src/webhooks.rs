//! The webhook outbox: notifications are written in the same transaction as the state change
//! they announce, then delivered by workers with retries, each attempt recorded.

use crate::{new_id, now_ms, Result, Store};
use sqlx::{Any, Row, Transaction};

#[derive(Debug, Clone)]
pub struct NewWebhook {
    pub client_id: String,
    pub session_id: Option<String>,
    pub event_name: String,
    /// At most one notification per key (e.g. one ENRICHMENT_NOTIFICATION per session).
    pub unique_key: String,
    pub url: String,
    pub secret: Option<String>,
    pub payload: String,
    pub max_attempts: i64,
}

/// A delivery claimed by a worker.
#[derive(Debug, Clone)]
pub struct WebhookDelivery {
    pub id: String,
    pub url: String,
    pub secret: Option<String>,
    pub payload: String,
    pub attempts: i64,
    pub max_attempts: i64,
    token: String,
}

/// One recorded delivery attempt.
#[derive(Debug, Clone)]
pub struct WebhookAttempt {
    pub attempt: i64,
    pub status_code: Option<i64>,
    pub error: Option<String>,
}

/// An outbox row's state, for tests and operators.
#[derive(Debug, Clone)]
pub struct WebhookInfo {
    pub id: String,
    pub state: String,
    pub attempts: i64,
    pub event_name: String,
}

pub(crate) async fn insert_webhook(
    tx: &mut Transaction<'_, Any>,
    webhook: &NewWebhook,
) -> Result<()> {
    let now = now_ms();
    sqlx::query(
        "INSERT INTO webhook_outbox (id, client_id, session_id, event_name, unique_key, url, secret, payload, state, attempts, max_attempts, next_attempt_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', 0, $9, $10, $10) ON CONFLICT (unique_key) DO NOTHING",
    )
    .bind(new_id())
    .bind(&webhook.client_id)
    .bind(webhook.session_id.clone())
    .bind(&webhook.event_name)
    .bind(&webhook.unique_key)
    .bind(&webhook.url)
    .bind(webhook.secret.clone())
    .bind(&webhook.payload)
    .bind(webhook.max_attempts)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

const DUE: &str =
    "((state = 'pending' AND next_attempt_at <= $1) OR (state = 'sending' AND lease_until < $1))";

impl Store {
    /// Claims one due delivery for `lease_ms`.
    pub async fn claim_webhook(&self, lease_ms: i64) -> Result<Option<WebhookDelivery>> {
        let now = now_ms();
        let candidates = sqlx::query(&format!(
            "SELECT id FROM webhook_outbox WHERE {DUE} ORDER BY next_attempt_at LIMIT 8"
        ))
        .bind(now)
        .fetch_all(&self.pool)
        .await?;
        for candidate in candidates {
            let id: String = candidate.try_get("id")?;
            let token = new_id();
            let claimed = sqlx::query(&format!(
                "UPDATE webhook_outbox SET state = 'sending', lease_token = $2, lease_until = $3, attempts = attempts + 1 WHERE id = $4 AND {DUE}"
            ))
            .bind(now)
            .bind(&token)
            .bind(now + lease_ms)
            .bind(&id)
            .execute(&self.pool)
            .await?
            .rows_affected();
            if claimed != 1 {
                continue;
            }
            let row = sqlx::query("SELECT url, secret, payload, attempts, max_attempts FROM webhook_outbox WHERE id = $1 AND lease_token = $2")
                .bind(&id)
                .bind(&token)
                .fetch_optional(&self.pool)
                .await?;
            if let Some(row) = row {
                return Ok(Some(WebhookDelivery {
                    id,
                    url: row.try_get("url")?,
                    secret: row.try_get("secret")?,
                    payload: row.try_get("payload")?,
                    attempts: row.try_get("attempts")?,
                    max_attempts: row.try_get("max_attempts")?,
                    token,
                }));
            }
        }
        Ok(None)
    }

    /// Records an attempt and settles the row: delivered, retried at `retry_at`, or given up.
    pub async fn finish_webhook_attempt(
        &self,
        delivery: &WebhookDelivery,
        status_code: Option<u16>,
        error: Option<&str>,
        duration_ms: i64,
        retry_in_ms: i64,
    ) -> Result<()> {
        let now = now_ms();
        let delivered = error.is_none() && status_code.is_some_and(|s| (200..300).contains(&s));
        let state = if delivered {
            "delivered"
        } else if delivery.attempts >= delivery.max_attempts {
            "failed"
        } else {
            "pending"
        };
        // A settled notification is never sent again: its payload (the holder's name) and the
        // tenant's secret are not kept.
        let settled = i64::from(state != "pending");
        let mut tx = self.pool.begin().await?;
        let changed = sqlx::query(
            "UPDATE webhook_outbox SET state = $1, next_attempt_at = $2, delivered_at = $3, lease_token = NULL, lease_until = NULL, \
             payload = CASE WHEN $6 = 1 THEN '{}' ELSE payload END, secret = CASE WHEN $6 = 1 THEN NULL ELSE secret END \
             WHERE id = $4 AND lease_token = $5",
        )
        .bind(state)
        .bind(now + retry_in_ms)
        .bind(delivered.then_some(now))
        .bind(&delivery.id)
        .bind(&delivery.token)
        .bind(settled)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed != 1 {
            // Another worker took the delivery over after our lease expired; its record counts.
            return Ok(());
        }
        sqlx::query("INSERT INTO webhook_attempts (id, outbox_id, attempt, attempted_at, status_code, error, duration_ms) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(new_id())
            .bind(&delivery.id)
            .bind(delivery.attempts)
            .bind(now)
            .bind(status_code.map(i64::from))
            .bind(error.map(str::to_owned))
            .bind(duration_ms)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The outbox rows of a session, oldest first.
    pub async fn session_webhooks(&self, session_id: &str) -> Result<Vec<WebhookInfo>> {
        let rows = sqlx::query("SELECT id, state, attempts, event_name FROM webhook_outbox WHERE session_id = $1 ORDER BY created_at, id")
            .bind(session_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                Ok(WebhookInfo {
                    id: row.try_get("id")?,
                    state: row.try_get("state")?,
                    attempts: row.try_get("attempts")?,
                    event_name: row.try_get("event_name")?,
                })
            })
            .collect()
    }

    pub async fn webhook_attempts(&self, outbox_id: &str) -> Result<Vec<WebhookAttempt>> {
        let rows = sqlx::query("SELECT attempt, status_code, error FROM webhook_attempts WHERE outbox_id = $1 ORDER BY attempt")
            .bind(outbox_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                Ok(WebhookAttempt {
                    attempt: row.try_get("attempt")?,
                    status_code: row.try_get("status_code")?,
                    error: row.try_get("error")?,
                })
            })
            .collect()
    }
}

impl Store {
    /// Queues a notification that no job announces (a session's expiry), in its own
    /// transaction; a second one with the same unique key is dropped.
    pub async fn enqueue_webhook(&self, webhook: &NewWebhook) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        insert_webhook(&mut tx, webhook).await?;
        tx.commit().await?;
        Ok(())
    }
}
