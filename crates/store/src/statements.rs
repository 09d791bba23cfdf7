//! Uploaded statements, their per-stage statuses and their processed results.

use crate::jobs::{insert_job, NewJob};
use crate::{now_ms, Result, Store, StoreError};
use sqlx::any::AnyRow;
use sqlx::Row;

pub const STATUS_PROCESSING: &str = "processing";
pub const STATUS_COMPLETED: &str = "completed";
pub const STATUS_FAILED: &str = "failed";

/// A statement to record. Rejected uploads are recorded too (status failed, no dedupe key) so
/// that status endpoints can report their error codes.
#[derive(Debug, Clone)]
pub struct NewStatement {
    pub id: String,
    pub client_id: String,
    pub session_id: String,
    pub content_sha256: String,
    /// `Some` for accepted statements: makes a second upload of the same file a duplicate.
    pub accepted: bool,
    pub object_key: Option<String>,
    pub file_name: Option<String>,
    pub bank_name: Option<String>,
    pub pdf_password: Option<String>,
    pub source: String,
    pub account_id: Option<String>,
    pub account_number: Option<String>,
    pub identity: Option<String>,
    pub page_count: Option<i64>,
    pub from_date: Option<String>,
    pub to_date: Option<String>,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
    /// The engine's reading of the file (JSON), kept for the processing job so it need not parse
    /// the file again. Stored for accepted statements only; as personal as the file itself.
    pub parse: Option<String>,
}

#[derive(Debug, Clone)]
pub struct StatementRow {
    pub id: String,
    pub client_id: String,
    pub session_id: String,
    pub content_sha256: String,
    pub object_key: Option<String>,
    pub file_name: Option<String>,
    pub bank_name: Option<String>,
    pub pdf_password: Option<String>,
    pub source: String,
    pub account_id: Option<String>,
    pub account_number: Option<String>,
    pub identity: Option<String>,
    pub page_count: Option<i64>,
    pub from_date: Option<String>,
    pub to_date: Option<String>,
    pub status: String,
    pub identity_status: String,
    pub transaction_status: String,
    pub processing_status: String,
    pub fraud_status: String,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

const STATEMENT_COLUMNS: &str = "id, client_id, session_id, content_sha256, object_key, file_name, bank_name, pdf_password, source, account_id, account_number, identity, page_count, from_date, to_date, status, identity_status, transaction_status, processing_status, fraud_status, error_code, error_message, created_at, updated_at";

fn statement_from_row(row: &AnyRow) -> Result<StatementRow> {
    Ok(StatementRow {
        id: row.try_get("id")?,
        client_id: row.try_get("client_id")?,
        session_id: row.try_get("session_id")?,
        content_sha256: row.try_get("content_sha256")?,
        object_key: row.try_get("object_key")?,
        file_name: row.try_get("file_name")?,
        bank_name: row.try_get("bank_name")?,
        pdf_password: row.try_get("pdf_password")?,
        source: row.try_get("source")?,
        account_id: row.try_get("account_id")?,
        account_number: row.try_get("account_number")?,
        identity: row.try_get("identity")?,
        page_count: row.try_get("page_count")?,
        from_date: row.try_get("from_date")?,
        to_date: row.try_get("to_date")?,
        status: row.try_get("status")?,
        identity_status: row.try_get("identity_status")?,
        transaction_status: row.try_get("transaction_status")?,
        processing_status: row.try_get("processing_status")?,
        fraud_status: row.try_get("fraud_status")?,
        error_code: row.try_get("error_code")?,
        error_message: row.try_get("error_message")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

/// A processed statement's stored output.
#[derive(Debug, Clone)]
pub struct StatementResult {
    pub statement_id: String,
    /// The engine's output in the Insights shape (JSON).
    pub insights: String,
    pub transaction_count: i64,
    pub reconciled: bool,
    /// The statement's enrichment input (JSON): what the per-account analysis needs of it
    /// (transactions, PDF metadata, balance-chain breaks), so accounts are enriched without
    /// parsing the file again. `None` for rows written before the analysis stage existed.
    pub enrichment: Option<String>,
}

/// The enrichment of one bank account of a processed session.
#[derive(Debug, Clone)]
pub struct AccountResult {
    pub session_id: String,
    pub account_id: String,
    /// The statements the document was computed from (sorted).
    pub statement_ids: Vec<String>,
    /// JSON document (the Insights `data` sections and the account's validation codes).
    pub document: String,
}

impl Store {
    /// Records a statement and, for accepted ones, queues its processing job, atomically.
    /// An accepted statement whose content the session already holds is [`StoreError::Duplicate`].
    pub async fn insert_statement(
        &self,
        statement: &NewStatement,
        job: Option<&NewJob>,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        // The tombstone, checked (and, on PostgreSQL, the session row locked against a
        // concurrent delete) before the statement lands: a statement inserted into a deleted
        // session would keep its file and account number past the delete.
        let alive = sqlx::query(
            "UPDATE sessions SET updated_at = updated_at WHERE id = $1 AND deleted_at IS NULL",
        )
        .bind(&statement.session_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if alive == 0 {
            return Err(StoreError::SessionDeleted);
        }
        let now = now_ms();
        let (status, stage) = if statement.accepted {
            (STATUS_PROCESSING, STATUS_PROCESSING)
        } else {
            (STATUS_FAILED, STATUS_FAILED)
        };
        let identity_status = if statement.accepted {
            STATUS_COMPLETED
        } else {
            STATUS_FAILED
        };
        sqlx::query(
            "INSERT INTO statements (id, client_id, session_id, dedupe_key, content_sha256, object_key, file_name, bank_name, pdf_password, source, account_id, account_number, identity, page_count, from_date, to_date, status, identity_status, transaction_status, processing_status, fraud_status, error_code, error_message, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25)",
        )
        .bind(&statement.id)
        .bind(&statement.client_id)
        .bind(&statement.session_id)
        .bind(statement.accepted.then(|| statement.content_sha256.clone()))
        .bind(&statement.content_sha256)
        .bind(statement.object_key.clone())
        .bind(statement.file_name.clone())
        .bind(statement.bank_name.clone())
        .bind(statement.pdf_password.clone())
        .bind(&statement.source)
        .bind(statement.account_id.clone())
        .bind(statement.account_number.clone())
        .bind(statement.identity.clone())
        .bind(statement.page_count)
        .bind(statement.from_date.clone())
        .bind(statement.to_date.clone())
        .bind(status)
        .bind(identity_status)
        .bind(stage)
        .bind(stage)
        .bind(stage)
        .bind(statement.error_code.clone())
        .bind(statement.error_message.clone())
        .bind(now)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::from_insert)?;
        if let Some(parse) = statement.parse.as_ref().filter(|_| statement.accepted) {
            sqlx::query(
                "INSERT INTO statement_parses (statement_id, session_id, parse, created_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(&statement.id)
            .bind(&statement.session_id)
            .bind(parse)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        if let Some(job) = job {
            insert_job(&mut tx, job).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Whether the session already holds an accepted statement with this content.
    pub async fn has_statement_content(
        &self,
        session_id: &str,
        content_sha256: &str,
    ) -> Result<bool> {
        let row =
            sqlx::query("SELECT id FROM statements WHERE session_id = $1 AND dedupe_key = $2")
                .bind(session_id)
                .bind(content_sha256)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.is_some())
    }

    /// The session's statements, oldest first.
    pub async fn statements(&self, session_id: &str) -> Result<Vec<StatementRow>> {
        let rows = sqlx::query(&format!("SELECT {STATEMENT_COLUMNS} FROM statements WHERE session_id = $1 ORDER BY created_at, id"))
            .bind(session_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(statement_from_row).collect()
    }

    pub async fn statement_by_id(&self, statement_id: &str) -> Result<Option<StatementRow>> {
        let row = sqlx::query(&format!(
            "SELECT {STATEMENT_COLUMNS} FROM statements WHERE id = $1"
        ))
        .bind(statement_id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(statement_from_row).transpose()
    }

    /// The stored upload-time parse of a statement (JSON), if one was kept and not yet discarded.
    pub async fn statement_parse(&self, statement_id: &str) -> Result<Option<String>> {
        let row = sqlx::query("SELECT parse FROM statement_parses WHERE statement_id = $1")
            .bind(statement_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.try_get("parse")).transpose()?)
    }

    /// Discards a statement's stored parse; its job then parses the file. True if one existed.
    pub async fn discard_statement_parse(&self, statement_id: &str) -> Result<bool> {
        let deleted = sqlx::query("DELETE FROM statement_parses WHERE statement_id = $1")
            .bind(statement_id)
            .execute(&self.pool)
            .await?
            .rows_affected();
        Ok(deleted > 0)
    }

    /// How many stored parses the session's statements have (tests check erasure with it).
    pub async fn count_statement_parses(&self, session_id: &str) -> Result<i64> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM statement_parses WHERE session_id = $1")
            .bind(session_id)
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get("n")?)
    }

    /// Processed results of the session's statements.
    pub async fn statement_results(&self, session_id: &str) -> Result<Vec<StatementResult>> {
        let rows = sqlx::query(
            "SELECT statement_id, insights, transaction_count, reconciled, enrichment FROM statement_results WHERE session_id = $1 ORDER BY statement_id",
        )
        .bind(session_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(StatementResult {
                    statement_id: row.try_get("statement_id")?,
                    insights: row.try_get("insights")?,
                    transaction_count: row.try_get("transaction_count")?,
                    reconciled: row.try_get::<i64, _>("reconciled")? != 0,
                    enrichment: row.try_get("enrichment")?,
                })
            })
            .collect()
    }

    /// Stored account enrichments of the session.
    pub async fn account_results(&self, session_id: &str) -> Result<Vec<AccountResult>> {
        let rows = sqlx::query(
            "SELECT session_id, account_id, statement_ids, document FROM account_results WHERE session_id = $1 ORDER BY account_id",
        )
        .bind(session_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let ids: String = row.try_get("statement_ids")?;
                Ok(AccountResult {
                    session_id: row.try_get("session_id")?,
                    account_id: row.try_get("account_id")?,
                    statement_ids: ids
                        .split(',')
                        .filter(|id| !id.is_empty())
                        .map(str::to_owned)
                        .collect(),
                    document: row.try_get("document")?,
                })
            })
            .collect()
    }

    /// How many result rows a statement has (0 or 1 by construction; tests check it).
    pub async fn count_statement_results(&self, statement_id: &str) -> Result<i64> {
        let row =
            sqlx::query("SELECT COUNT(*) AS n FROM statement_results WHERE statement_id = $1")
                .bind(statement_id)
                .fetch_one(&self.pool)
                .await?;
        Ok(row.try_get("n")?)
    }
}
