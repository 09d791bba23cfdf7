//! Store support for hardening: re-encrypting stored secrets and the readiness write probe.

use crate::{now_ms, Result, Store};
use sqlx::Row;

impl Store {
    /// Every stored PDF password: (statement id, stored value).
    pub async fn stored_pdf_passwords(&self) -> Result<Vec<(String, String)>> {
        let rows =
            sqlx::query("SELECT id, pdf_password FROM statements WHERE pdf_password IS NOT NULL")
                .fetch_all(&self.pool)
                .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("id")?, r.try_get("pdf_password")?)))
            .collect()
    }

    /// Replaces a stored PDF password if it still holds `expected` (a concurrent delete wins).
    pub async fn replace_pdf_password(
        &self,
        id: &str,
        expected: &str,
        value: &str,
    ) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE statements SET pdf_password = $1, updated_at = $2 WHERE id = $3 AND pdf_password = $4",
        )
        .bind(value)
        .bind(now_ms())
        .bind(id)
        .bind(expected)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    /// A real write (one row upserted), for readiness: fails while the database cannot take
    /// writes (disk full, read-only file, lost connection).
    pub async fn write_probe(&self) -> Result<()> {
        sqlx::query(
            "INSERT INTO readiness_probe (id, checked_at) VALUES ('probe', $1) \
             ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at",
        )
        .bind(now_ms())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Whether `client_id` is a client that has not been revoked. Signed links and hosted-page
    /// tokens are checked against it on every use, so revoking a client stops them at once.
    pub async fn client_is_active(&self, client_id: &str) -> Result<bool> {
        let row = sqlx::query("SELECT id FROM clients WHERE id = $1 AND revoked_at IS NULL")
            .bind(client_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.is_some())
    }

    /// SQLite: copies the WAL into the database file and truncates it, so deleted rows (zeroed
    /// there by `secure_delete`) do not linger in WAL frames. Best effort: a busy database is
    /// flushed by a later delete or SQLite's own checkpoints.
    pub(crate) async fn flush_deleted_pages(&self) {
        if self.backend != crate::Backend::Sqlite {
            return;
        }
        if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&self.pool)
            .await
        {
            tracing::debug!(error = %e, "checkpoint after a delete failed");
        }
    }

    /// Sessions (and entities) created before `cutoff_ms` and not deleted yet, oldest first:
    /// (client id, session id).
    pub async fn sessions_created_before(
        &self,
        cutoff_ms: i64,
        limit: i64,
    ) -> Result<Vec<(String, String)>> {
        let rows = sqlx::query(
            "SELECT client_id, id FROM sessions WHERE deleted_at IS NULL AND created_at < $1 ORDER BY created_at LIMIT $2",
        )
        .bind(cutoff_ms)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("client_id")?, r.try_get("id")?)))
            .collect()
    }

    /// Deletes stored files no statement names and older than `min_age_ms` (younger ones may
    /// belong to an upload whose row is being written): left by a crash between storing a file
    /// and recording it, or by a file delete that failed after its session was deleted. Returns
    /// how many were deleted.
    pub async fn sweep_orphan_files(&self, min_age_ms: i64) -> Result<usize> {
        let cutoff = now_ms().saturating_sub(min_age_ms);
        // Listed first: a file written after the listing is younger than the cutoff anyway.
        let candidates = self.objects.keys_older_than(cutoff).await?;
        if candidates.is_empty() {
            return Ok(0);
        }
        let named: std::collections::HashSet<String> =
            sqlx::query("SELECT object_key FROM statements WHERE object_key IS NOT NULL")
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(|r| r.try_get("object_key"))
                .collect::<std::result::Result<_, _>>()?;
        let mut deleted = 0;
        for key in candidates.into_iter().filter(|k| !named.contains(k)) {
            self.objects.delete(&key).await?;
            deleted += 1;
        }
        Ok(deleted)
    }
}
