//! Figures for operators (`/metrics`): the pool's connections and the queues' depths.

use crate::{Result, Store};
use sqlx::Row;

/// The database pool right now.
#[derive(Debug, Clone, Copy)]
pub struct PoolStats {
    /// Open connections, idle or in use.
    pub open: u32,
    pub idle: u32,
    pub max: u32,
}

/// Rows per (kind or event, state) of the job queue and the webhook outbox. Finished work
/// (`done`, `delivered`) is left out: it only grows and the counters in the process cover it.
#[derive(Debug, Clone, Default)]
pub struct QueueDepths {
    pub jobs: Vec<(String, String, i64)>,
    pub webhooks: Vec<(String, i64)>,
}

impl Store {
    pub fn pool_stats(&self) -> PoolStats {
        let idle = u32::try_from(self.pool.num_idle()).unwrap_or(u32::MAX);
        PoolStats {
            open: self.pool.size(),
            idle,
            max: self.pool.options().get_max_connections(),
        }
    }

    pub async fn queue_depths(&self) -> Result<QueueDepths> {
        let jobs = sqlx::query(
            "SELECT kind, state, COUNT(*) AS n FROM jobs WHERE state <> 'done' GROUP BY kind, state",
        )
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(|row| Ok((row.try_get("kind")?, row.try_get("state")?, row.try_get("n")?)))
        .collect::<Result<Vec<_>>>()?;
        let webhooks = sqlx::query(
            "SELECT state, COUNT(*) AS n FROM webhook_outbox WHERE state <> 'delivered' GROUP BY state",
        )
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(|row| Ok((row.try_get("state")?, row.try_get("n")?)))
        .collect::<Result<Vec<_>>>()?;
        Ok(QueueDepths { jobs, webhooks })
    }
}

impl crate::StoreError {
    /// The database could not be reached at all (connection refused or cut, the pool closed or
    /// out of connections, the server shutting down), as opposed to a query that failed: worth
    /// answering "try again shortly" rather than an internal error.
    pub fn is_unavailable(&self) -> bool {
        let crate::StoreError::Database(e) = self else {
            return false;
        };
        match e {
            sqlx::Error::Io(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed => true,
            // PostgreSQL's admin_shutdown, crash_shutdown and cannot_connect_now.
            sqlx::Error::Database(db) => {
                matches!(db.code().as_deref(), Some("57P01" | "57P02" | "57P03"))
            }
            _ => false,
        }
    }
}
