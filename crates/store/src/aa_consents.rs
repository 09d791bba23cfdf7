//! Recurring Account Aggregator consents and their pulls. A consent belongs to the client whose
//! session obtained it; every read is scoped by client id, so a foreign consent looks missing.

use crate::{now_ms, Result, Store};
use sqlx::any::AnyRow;
use sqlx::Row;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AaConsent {
    pub consent_id: String,
    pub client_id: String,
    pub session_id: String,
    pub bank_name: Option<String>,
    pub masked_account_number: Option<String>,
    pub tenure_month_count: Option<i64>,
    /// As the lender asked (`day`, `month`, …).
    pub frequency_unit: String,
    pub frequency_value: i64,
    /// As the consent was signed (`DAY`, `MONTH`, …): what the AA counts uses by.
    pub aa_frequency_unit: String,
    pub aa_frequency_value: i64,
    /// Unix ms.
    pub fi_data_from: i64,
    pub fi_data_to: i64,
    pub consent_expiry: i64,
}

const COLUMNS: &str = "consent_id, client_id, session_id, bank_name, masked_account_number, tenure_month_count, frequency_unit, frequency_value, aa_frequency_unit, aa_frequency_value, fi_data_from, fi_data_to, consent_expiry";

fn from_row(row: &AnyRow) -> Result<AaConsent> {
    Ok(AaConsent {
        consent_id: row.try_get("consent_id")?,
        client_id: row.try_get("client_id")?,
        session_id: row.try_get("session_id")?,
        bank_name: row.try_get("bank_name")?,
        masked_account_number: row.try_get("masked_account_number")?,
        tenure_month_count: row.try_get("tenure_month_count")?,
        frequency_unit: row.try_get("frequency_unit")?,
        frequency_value: row.try_get("frequency_value")?,
        aa_frequency_unit: row.try_get("aa_frequency_unit")?,
        aa_frequency_value: row.try_get("aa_frequency_value")?,
        fi_data_from: row.try_get("fi_data_from")?,
        fi_data_to: row.try_get("fi_data_to")?,
        consent_expiry: row.try_get("consent_expiry")?,
    })
}

/// When a session's FI data must be deleted (the consent's DataLife from the fetch).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AaDataLife {
    pub session_id: String,
    pub client_id: String,
    pub consent_id: String,
    /// `DAY`, `MONTH` or `YEAR` (INF is never recorded: nothing expires).
    pub unit: String,
    pub value: i64,
    /// Unix ms.
    pub fetched_at: i64,
    pub expires_at: i64,
}

/// The FIU's state of one mode=aa session (see migration 0008).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AaSessionRow {
    pub session_id: String,
    pub client_id: String,
    pub handle: String,
    pub consent_id: Option<String>,
    pub stage: String,
    pub failure: Option<String>,
    pub redirect_txnid: Option<String>,
    pub fi_session_id: Option<String>,
    /// Sealed by the caller; the store never sees the key in clear.
    pub fi_keys: Option<String>,
}

const AA_SESSION_COLUMNS: &str = "session_id, client_id, handle, consent_id, stage, failure, redirect_txnid, fi_session_id, fi_keys";

impl Store {
    /// Writes the session's AA state (insert or replace).
    pub async fn put_aa_session(&self, row: &AaSessionRow) -> Result<()> {
        sqlx::query(&format!(
            "INSERT INTO aa_sessions ({AA_SESSION_COLUMNS}, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
             ON CONFLICT (session_id) DO UPDATE SET handle = excluded.handle, consent_id = excluded.consent_id, stage = excluded.stage, failure = excluded.failure, redirect_txnid = excluded.redirect_txnid, fi_session_id = excluded.fi_session_id, fi_keys = excluded.fi_keys, updated_at = excluded.updated_at"
        ))
        .bind(&row.session_id)
        .bind(&row.client_id)
        .bind(&row.handle)
        .bind(row.consent_id.clone())
        .bind(&row.stage)
        .bind(row.failure.clone())
        .bind(row.redirect_txnid.clone())
        .bind(row.fi_session_id.clone())
        .bind(row.fi_keys.clone())
        .bind(now_ms())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The AA state of sessions not deleted, in one of `stages`, written since `since_ms`.
    pub async fn aa_sessions_in(
        &self,
        stages: &[&str],
        since_ms: i64,
    ) -> Result<Vec<AaSessionRow>> {
        let mut out = Vec::new();
        for stage in stages {
            let rows = sqlx::query(&format!(
                "SELECT {} FROM aa_sessions a JOIN sessions s ON s.id = a.session_id WHERE a.stage = $1 AND a.updated_at >= $2 AND s.deleted_at IS NULL ORDER BY a.updated_at",
                AA_SESSION_COLUMNS
                    .split(", ")
                    .map(|c| format!("a.{c}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
            .bind(*stage)
            .bind(since_ms)
            .fetch_all(&self.pool)
            .await?;
            for r in &rows {
                out.push(AaSessionRow {
                    session_id: r.try_get("session_id")?,
                    client_id: r.try_get("client_id")?,
                    handle: r.try_get("handle")?,
                    consent_id: r.try_get("consent_id")?,
                    stage: r.try_get("stage")?,
                    failure: r.try_get("failure")?,
                    redirect_txnid: r.try_get("redirect_txnid")?,
                    fi_session_id: r.try_get("fi_session_id")?,
                    fi_keys: r.try_get("fi_keys")?,
                });
            }
        }
        Ok(out)
    }

    /// Records when a session's FI data expires; a second fetch for the same session keeps the
    /// earlier deadline (the data it stored first must not outlive its own DataLife).
    pub async fn insert_aa_data_life(&self, life: &AaDataLife) -> Result<()> {
        sqlx::query(
            "INSERT INTO aa_data_life (session_id, client_id, consent_id, data_life_unit, data_life_value, fetched_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (session_id) DO NOTHING",
        )
        .bind(&life.session_id)
        .bind(&life.client_id)
        .bind(&life.consent_id)
        .bind(&life.unit)
        .bind(life.value)
        .bind(life.fetched_at)
        .bind(life.expires_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn aa_data_life(&self, session_id: &str) -> Result<Option<AaDataLife>> {
        let row = sqlx::query(
            "SELECT session_id, client_id, consent_id, data_life_unit, data_life_value, fetched_at, expires_at FROM aa_data_life WHERE session_id = $1",
        )
        .bind(session_id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| -> Result<AaDataLife> {
            Ok(AaDataLife {
                session_id: r.try_get("session_id")?,
                client_id: r.try_get("client_id")?,
                consent_id: r.try_get("consent_id")?,
                unit: r.try_get("data_life_unit")?,
                value: r.try_get("data_life_value")?,
                fetched_at: r.try_get("fetched_at")?,
                expires_at: r.try_get("expires_at")?,
            })
        })
        .transpose()
    }

    /// Sessions whose FI data expired at or before `now_ms` and that are not deleted yet,
    /// soonest first: (client id, session id).
    pub async fn aa_data_expired(&self, now_ms: i64, limit: i64) -> Result<Vec<(String, String)>> {
        let rows = sqlx::query(
            "SELECT l.client_id, l.session_id FROM aa_data_life l JOIN sessions s ON s.id = l.session_id WHERE l.expires_at <= $1 AND s.deleted_at IS NULL ORDER BY l.expires_at, l.session_id LIMIT $2",
        )
        .bind(now_ms)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("client_id")?, r.try_get("session_id")?)))
            .collect()
    }

    /// Records a consent once (the first fetch under it wins; later calls change nothing).
    pub async fn insert_aa_consent(&self, consent: &AaConsent) -> Result<()> {
        sqlx::query(&format!(
            "INSERT INTO aa_consents ({COLUMNS}, period, period_uses, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, '', 0, $14) ON CONFLICT (consent_id) DO NOTHING"
        ))
        .bind(&consent.consent_id)
        .bind(&consent.client_id)
        .bind(&consent.session_id)
        .bind(consent.bank_name.clone())
        .bind(consent.masked_account_number.clone())
        .bind(consent.tenure_month_count)
        .bind(&consent.frequency_unit)
        .bind(consent.frequency_value)
        .bind(&consent.aa_frequency_unit)
        .bind(consent.aa_frequency_value)
        .bind(consent.fi_data_from)
        .bind(consent.fi_data_to)
        .bind(consent.consent_expiry)
        .bind(now_ms())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn aa_consent(&self, client_id: &str, consent_id: &str) -> Result<Option<AaConsent>> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM aa_consents WHERE consent_id = $1 AND client_id = $2"
        ))
        .bind(consent_id)
        .bind(client_id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(from_row).transpose()
    }

    /// The consents a session's journey obtained, oldest first.
    pub async fn aa_consents_of_session(
        &self,
        client_id: &str,
        session_id: &str,
    ) -> Result<Vec<AaConsent>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM aa_consents WHERE client_id = $1 AND session_id = $2 ORDER BY created_at, consent_id"
        ))
        .bind(client_id)
        .bind(session_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(from_row).collect()
    }

    /// Claims one use of the consent in `period` (its Frequency's calendar unit, e.g.
    /// `2026-12-05`); false when the period's uses are spent. One conditional UPDATE of the
    /// consent's row, so concurrent claims cannot both take the last use.
    pub async fn claim_aa_consent_use(&self, consent_id: &str, period: &str) -> Result<bool> {
        let claimed = sqlx::query(
            "UPDATE aa_consents SET period_uses = CASE WHEN period = $2 THEN period_uses + 1 ELSE 1 END, period = $2 WHERE consent_id = $1 AND (period <> $2 OR period_uses < aa_frequency_value)",
        )
        .bind(consent_id)
        .bind(period)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(claimed == 1)
    }

    /// Gives back a use the AA then refused (it never counted it).
    pub async fn release_aa_consent_use(&self, consent_id: &str, period: &str) -> Result<()> {
        sqlx::query(
            "UPDATE aa_consents SET period_uses = period_uses - 1 WHERE consent_id = $1 AND period = $2 AND period_uses > 0",
        )
        .bind(consent_id)
        .bind(period)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Records a pull: the new session created under the consent, for the FI range asked.
    pub async fn insert_aa_pull(
        &self,
        session_id: &str,
        consent_id: &str,
        fi_from: i64,
        fi_to: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO aa_consent_pulls (session_id, consent_id, fi_from, fi_to, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(session_id)
        .bind(consent_id)
        .bind(fi_from)
        .bind(fi_to)
        .bind(now_ms())
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}
