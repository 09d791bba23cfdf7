//! The durable job queue.
//!
//! A worker claims a due job by compare-and-set on its row, which gives it a lease (a random
//! token and an expiry) that it renews by heartbeat. A worker that dies simply stops renewing;
//! once the lease expires any worker may claim the job again. All writes a job makes go through
//! [`JobTx`], whose first statement completes the job *only if the lease token still matches*:
//! a worker that lost its lease cannot commit, so a job's results are written at most once.

use crate::statements::{AccountResult, StatementResult, STATUS_COMPLETED, STATUS_FAILED};
use crate::{flag, lease_held, new_id, now_ms, Result, Store, StoreError};
use sqlx::{Any, Row, Transaction};

/// What a job does; stored as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobKind {
    /// Extract transactions from one uploaded statement and store the results.
    ProcessStatement,
    /// After processing was requested: wait for the statements, settle account statuses, notify.
    FinalizeSession,
}

impl JobKind {
    pub fn as_str(self) -> &'static str {
        match self {
            JobKind::ProcessStatement => "process_statement",
            JobKind::FinalizeSession => "finalize_session",
        }
    }

    fn parse(s: &str) -> Option<JobKind> {
        match s {
            "process_statement" => Some(JobKind::ProcessStatement),
            "finalize_session" => Some(JobKind::FinalizeSession),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct NewJob {
    pub kind: JobKind,
    pub subject_id: String,
    pub max_attempts: i64,
    pub run_at: i64,
}

impl NewJob {
    pub fn now(kind: JobKind, subject_id: &str, max_attempts: i64) -> NewJob {
        NewJob {
            kind,
            subject_id: subject_id.to_owned(),
            max_attempts,
            run_at: now_ms(),
        }
    }

    /// One job per (kind, subject): queueing the same work twice is a no-op.
    fn unique_key(&self) -> String {
        format!("{}:{}", self.kind.as_str(), self.subject_id)
    }
}

/// A claimed job; valid while `lease_until` is in the future and the token matches.
#[derive(Debug, Clone)]
pub struct JobLease {
    pub job_id: String,
    pub kind: JobKind,
    pub subject_id: String,
    pub attempts: i64,
    pub max_attempts: i64,
    pub token: String,
}

/// A job's row, for status reporting and tests.
#[derive(Debug, Clone)]
pub struct JobInfo {
    pub state: String,
    pub attempts: i64,
    pub last_error: Option<String>,
}

pub(crate) async fn insert_job(tx: &mut Transaction<'_, Any>, job: &NewJob) -> Result<()> {
    let now = now_ms();
    sqlx::query(
        "INSERT INTO jobs (id, kind, subject_id, unique_key, state, attempts, max_attempts, run_at, created_at, updated_at) VALUES ($1, $2, $3, $4, 'queued', 0, $5, $6, $7, $7) ON CONFLICT (unique_key) DO NOTHING",
    )
    .bind(new_id())
    .bind(job.kind.as_str())
    .bind(&job.subject_id)
    .bind(job.unique_key())
    .bind(job.max_attempts)
    .bind(job.run_at)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

const DUE: &str =
    "((state = 'queued' AND run_at <= $1) OR (state = 'running' AND lease_until < $1))";

impl Store {
    pub async fn enqueue_job(&self, job: &NewJob) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        insert_job(&mut tx, job).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Claims one due job (queued and due, or running with an expired lease) for `worker`.
    pub async fn claim_job(&self, worker: &str, lease_ms: i64) -> Result<Option<JobLease>> {
        let now = now_ms();
        let candidates = sqlx::query(&format!(
            "SELECT id FROM jobs WHERE {DUE} ORDER BY run_at LIMIT 8"
        ))
        .bind(now)
        .fetch_all(&self.pool)
        .await?;
        for candidate in candidates {
            let id: String = candidate.try_get("id")?;
            let token = new_id();
            // The due condition is repeated so that of two racing workers only one matches.
            let claimed = sqlx::query(&format!(
                "UPDATE jobs SET state = 'running', lease_owner = $2, lease_token = $3, lease_until = $4, attempts = attempts + 1, updated_at = $1 WHERE id = $5 AND {DUE}"
            ))
            .bind(now)
            .bind(worker)
            .bind(&token)
            .bind(now + lease_ms)
            .bind(&id)
            .execute(&self.pool)
            .await?
            .rows_affected();
            if claimed == 1 {
                return self.lease_for(&id, token).await;
            }
        }
        Ok(None)
    }

    async fn lease_for(&self, job_id: &str, token: String) -> Result<Option<JobLease>> {
        let row = sqlx::query("SELECT kind, subject_id, attempts, max_attempts FROM jobs WHERE id = $1 AND lease_token = $2")
            .bind(job_id)
            .bind(&token)
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let kind_text: String = row.try_get("kind")?;
        let kind = JobKind::parse(&kind_text)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown job kind {kind_text}")))?;
        Ok(Some(JobLease {
            job_id: job_id.to_owned(),
            kind,
            subject_id: row.try_get("subject_id")?,
            attempts: row.try_get("attempts")?,
            max_attempts: row.try_get("max_attempts")?,
            token,
        }))
    }

    /// Extends the lease; [`StoreError::LeaseLost`] if another worker has taken the job over.
    pub async fn heartbeat(&self, lease: &JobLease, lease_ms: i64) -> Result<()> {
        let now = now_ms();
        let changed = sqlx::query("UPDATE jobs SET lease_until = $1, updated_at = $2 WHERE id = $3 AND lease_token = $4 AND state = 'running'")
            .bind(now + lease_ms)
            .bind(now)
            .bind(&lease.job_id)
            .bind(&lease.token)
            .execute(&self.pool)
            .await?
            .rows_affected();
        lease_held(changed)
    }

    /// Records a failed attempt: retried after `retry_in_ms`, or dead once attempts are used up.
    pub async fn fail_job(&self, lease: &JobLease, error: &str, retry_in_ms: i64) -> Result<bool> {
        let now = now_ms();
        let dead = lease.attempts >= lease.max_attempts;
        let changed = sqlx::query(
            "UPDATE jobs SET state = $1, run_at = $2, last_error = $3, lease_token = NULL, lease_until = NULL, updated_at = $4 WHERE id = $5 AND lease_token = $6",
        )
        .bind(if dead { "dead" } else { "queued" })
        .bind(now + retry_in_ms)
        .bind(error)
        .bind(now)
        .bind(&lease.job_id)
        .bind(&lease.token)
        .execute(&self.pool)
        .await?
        .rows_affected();
        lease_held(changed)?;
        Ok(dead)
    }

    /// Puts the job back without spending an attempt (its inputs are not ready yet).
    pub async fn defer_job(&self, lease: &JobLease, delay_ms: i64) -> Result<()> {
        let now = now_ms();
        let changed = sqlx::query(
            "UPDATE jobs SET state = 'queued', run_at = $1, attempts = attempts - 1, lease_token = NULL, lease_until = NULL, updated_at = $2 WHERE id = $3 AND lease_token = $4",
        )
        .bind(now + delay_ms)
        .bind(now)
        .bind(&lease.job_id)
        .bind(&lease.token)
        .execute(&self.pool)
        .await?
        .rows_affected();
        lease_held(changed)
    }

    /// Starts the transaction that completes the job; fails with LeaseLost if it is not ours.
    pub async fn complete_job(&self, lease: &JobLease) -> Result<JobTx<'static>> {
        let mut tx = self.pool.begin().await?;
        let changed = sqlx::query("UPDATE jobs SET state = 'done', lease_token = NULL, lease_until = NULL, updated_at = $1 WHERE id = $2 AND lease_token = $3 AND state = 'running'")
            .bind(now_ms())
            .bind(&lease.job_id)
            .bind(&lease.token)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        lease_held(changed)?;
        Ok(JobTx { tx })
    }

    /// The job for (kind, subject), if any.
    pub async fn job_info(&self, kind: JobKind, subject_id: &str) -> Result<Option<JobInfo>> {
        let row = sqlx::query("SELECT state, attempts, last_error FROM jobs WHERE unique_key = $1")
            .bind(format!("{}:{}", kind.as_str(), subject_id))
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| {
            Ok(JobInfo {
                state: row.try_get("state")?,
                attempts: row.try_get("attempts")?,
                last_error: row.try_get("last_error")?,
            })
        })
        .transpose()
    }
}

/// The writes of a job that holds its lease, committed together with the job's completion.
pub struct JobTx<'c> {
    tx: Transaction<'c, Any>,
}

impl JobTx<'_> {
    /// The tombstone every job writer checks, inside its transaction: whether the session of
    /// `where_clause` (bound to `id`) is not deleted. It is a no-op write to the session row, so
    /// on PostgreSQL it waits for a concurrent delete (which updates that row first) and then
    /// sees it; on SQLite writers are serialised anyway. A deleted session gets no results.
    async fn session_alive(&mut self, where_clause: &str, id: &str) -> Result<bool> {
        let changed = sqlx::query(&format!(
            "UPDATE sessions SET updated_at = updated_at WHERE {where_clause} AND deleted_at IS NULL"
        ))
        .bind(id)
        .execute(&mut *self.tx)
        .await?
        .rows_affected();
        Ok(changed > 0)
    }

    async fn statement_session_alive(&mut self, statement_id: &str) -> Result<bool> {
        self.session_alive(
            "id = (SELECT session_id FROM statements WHERE id = $1)",
            statement_id,
        )
        .await
    }

    /// Stores a statement's results (replacing any, so a retried job can never duplicate them)
    /// and marks every stage of the statement completed. The upload-time parse is discarded: the
    /// results hold what later stages need of it.
    pub async fn save_statement_result(
        &mut self,
        result: &StatementResult,
        from_date: Option<&str>,
        to_date: Option<&str>,
    ) -> Result<()> {
        if !self.statement_session_alive(&result.statement_id).await? {
            return self.discard_statement_parse(&result.statement_id).await;
        }
        let now = now_ms();
        sqlx::query("DELETE FROM statement_results WHERE statement_id = $1")
            .bind(&result.statement_id)
            .execute(&mut *self.tx)
            .await?;
        sqlx::query(
            "INSERT INTO statement_results (statement_id, session_id, insights, transaction_count, reconciled, enrichment, created_at) SELECT id, session_id, $2, $3, $4, $5, $6 FROM statements WHERE id = $1",
        )
        .bind(&result.statement_id)
        .bind(&result.insights)
        .bind(result.transaction_count)
        .bind(flag(result.reconciled))
        .bind(result.enrichment.clone())
        .bind(now)
        .execute(&mut *self.tx)
        .await?;
        sqlx::query(
            "UPDATE statements SET status = $1, transaction_status = $1, processing_status = $1, fraud_status = $1, from_date = COALESCE(from_date, $2), to_date = COALESCE(to_date, $3), updated_at = $4 WHERE id = $5",
        )
        .bind(STATUS_COMPLETED)
        .bind(from_date.map(str::to_owned))
        .bind(to_date.map(str::to_owned))
        .bind(now)
        .bind(&result.statement_id)
        .execute(&mut *self.tx)
        .await?;
        self.discard_statement_parse(&result.statement_id).await
    }

    /// Marks a statement failed with an error code (a permanent failure, or attempts used up) and
    /// discards its upload-time parse.
    pub async fn fail_statement(
        &mut self,
        statement_id: &str,
        code: &str,
        message: &str,
    ) -> Result<()> {
        if !self.statement_session_alive(statement_id).await? {
            return self.discard_statement_parse(statement_id).await;
        }
        sqlx::query(
            "UPDATE statements SET status = $1, transaction_status = $1, processing_status = $1, fraud_status = $1, error_code = $2, error_message = $3, updated_at = $4 WHERE id = $5",
        )
        .bind(STATUS_FAILED)
        .bind(code)
        .bind(message)
        .bind(now_ms())
        .bind(statement_id)
        .execute(&mut *self.tx)
        .await?;
        self.discard_statement_parse(statement_id).await
    }

    /// A settled statement's parse is not needed any more; it is as personal as the file.
    async fn discard_statement_parse(&mut self, statement_id: &str) -> Result<()> {
        sqlx::query("DELETE FROM statement_parses WHERE statement_id = $1")
            .bind(statement_id)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    /// Stores an account's enrichment, replacing an earlier one (a retried job writes it once).
    pub async fn save_account_result(&mut self, result: &AccountResult) -> Result<()> {
        if !self.session_alive("id = $1", &result.session_id).await? {
            return Ok(());
        }
        sqlx::query("DELETE FROM account_results WHERE session_id = $1 AND account_id = $2")
            .bind(&result.session_id)
            .bind(&result.account_id)
            .execute(&mut *self.tx)
            .await?;
        let mut ids = result.statement_ids.clone();
        ids.sort();
        sqlx::query(
            "INSERT INTO account_results (session_id, account_id, statement_ids, document, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&result.session_id)
        .bind(&result.account_id)
        .bind(ids.join(","))
        .bind(&result.document)
        .bind(now_ms())
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    pub async fn mark_session_processed(&mut self, session_id: &str) -> Result<()> {
        if !self.session_alive("id = $1", session_id).await? {
            return Ok(());
        }
        let now = now_ms();
        sqlx::query("UPDATE sessions SET processing_completed_at = $1, updated_at = $1 WHERE id = $2 AND processing_completed_at IS NULL")
            .bind(now)
            .bind(session_id)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    pub async fn enqueue_webhook(&mut self, webhook: &crate::webhooks::NewWebhook) -> Result<()> {
        // A deleted session's notification would carry the holder's name after the delete.
        if let Some(session_id) = &webhook.session_id {
            if !self.session_alive("id = $1", session_id).await? {
                return Ok(());
            }
        }
        crate::webhooks::insert_webhook(&mut self.tx, webhook).await
    }

    pub async fn commit(self) -> Result<()> {
        self.tx.commit().await?;
        Ok(())
    }
}
