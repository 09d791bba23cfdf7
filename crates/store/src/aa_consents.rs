//! Recurring Account Aggregator consents and their pulls. A consent belongs to the client whose
//! session obtained it; every read is scoped by client id, so a foreign consent looks missing.

use crate::{lease_held, new_id, now_ms, Result, Store};
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

/// The FIU's state of one mode=aa session (see migrations 0008 and 0009).
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
    /// The process that holds (or last held) the fetch's lease; read back, never written by
    /// [`Store::put_aa_session`].
    pub lease_owner: Option<String>,
}

const AA_SESSION_COLUMNS: &str = "session_id, client_id, handle, consent_id, stage, failure, redirect_txnid, fi_session_id, fi_keys";

/// A claimed AA fetch: valid while its token is the row's and its expiry is in the future.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AaFetchLease {
    pub session_id: String,
    pub token: String,
}

/// A fetch may be claimed while its session waits for consent or fetches, is not deleted, and
/// nobody holds a live lease on it (the same test as a due job's: `lease_until < now`).
const FETCH_CLAIMABLE: &str = "stage IN ('awaiting_consent', 'fetching') AND (lease_until IS NULL OR lease_until < $1) AND session_id IN (SELECT id FROM sessions WHERE deleted_at IS NULL)";

fn aa_session_from_row(r: &AnyRow) -> Result<AaSessionRow> {
    Ok(AaSessionRow {
        session_id: r.try_get("session_id")?,
        client_id: r.try_get("client_id")?,
        handle: r.try_get("handle")?,
        consent_id: r.try_get("consent_id")?,
        stage: r.try_get("stage")?,
        failure: r.try_get("failure")?,
        redirect_txnid: r.try_get("redirect_txnid")?,
        fi_session_id: r.try_get("fi_session_id")?,
        fi_keys: r.try_get("fi_keys")?,
        lease_owner: r.try_get("lease_owner")?,
    })
}

impl Store {
    /// Writes the session's AA state (insert or replace) where no fetch holds the row: a
    /// consent created, declined, or a recurring pull recorded before its fetch is claimed.
    /// Once claimed, only the lease's holder writes ([`Store::update_aa_session_leased`]).
    pub async fn put_aa_session(&self, row: &AaSessionRow) -> Result<()> {
        sqlx::query(&format!(
            "INSERT INTO aa_sessions ({AA_SESSION_COLUMNS}, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
             ON CONFLICT (session_id) DO UPDATE SET handle = excluded.handle, consent_id = excluded.consent_id, stage = excluded.stage, failure = excluded.failure, redirect_txnid = excluded.redirect_txnid, fi_session_id = excluded.fi_session_id, fi_keys = excluded.fi_keys, updated_at = excluded.updated_at \
             WHERE aa_sessions.lease_token IS NULL"
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
                format!("{AA_SESSION_COLUMNS}, lease_owner")
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
                out.push(aa_session_from_row(r)?);
            }
        }
        Ok(out)
    }

    /// One session's AA state (deleted or not), for a process that did not start its journey.
    pub async fn aa_session(&self, session_id: &str) -> Result<Option<AaSessionRow>> {
        let row = sqlx::query(&format!(
            "SELECT {AA_SESSION_COLUMNS}, lease_owner FROM aa_sessions WHERE session_id = $1"
        ))
        .bind(session_id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(aa_session_from_row).transpose()
    }

    /// The AA state by consent handle (a consent notification that reached another process).
    pub async fn aa_session_by_handle(&self, handle: &str) -> Result<Option<AaSessionRow>> {
        let row = sqlx::query(&format!(
            "SELECT {AA_SESSION_COLUMNS}, lease_owner FROM aa_sessions WHERE handle = $1"
        ))
        .bind(handle)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(aa_session_from_row).transpose()
    }

    /// Fetches that nobody runs: stage `fetching` with no lease or an expired one, sessions not
    /// deleted, written since `since_ms` (oldest first). Candidates only: each must still be
    /// claimed with [`Store::claim_aa_fetch`].
    pub async fn aa_fetches_unowned(&self, since_ms: i64, limit: i64) -> Result<Vec<String>> {
        let rows = sqlx::query(&format!(
            "SELECT session_id FROM aa_sessions WHERE stage = 'fetching' AND updated_at >= $2 AND {FETCH_CLAIMABLE} ORDER BY updated_at LIMIT $3"
        ))
        .bind(now_ms())
        .bind(since_ms)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| Ok(r.try_get("session_id")?)).collect()
    }

    /// Claims the session's FI fetch for `owner` for `lease_ms`, moving it to `fetching`: one
    /// conditional UPDATE, so of processes racing (a notification and the borrower's return
    /// reaching two servers, or two servers taking over a dead one's fetch) exactly one wins.
    /// None when a live lease is held, the fetch has ended, or the session is deleted.
    pub async fn claim_aa_fetch(
        &self,
        session_id: &str,
        owner: &str,
        lease_ms: i64,
    ) -> Result<Option<AaFetchLease>> {
        let now = now_ms();
        let token = new_id();
        let claimed = sqlx::query(&format!(
            "UPDATE aa_sessions SET stage = 'fetching', lease_owner = $2, lease_token = $3, lease_until = $4, updated_at = $1 WHERE session_id = $5 AND {FETCH_CLAIMABLE}"
        ))
        .bind(now)
        .bind(owner)
        .bind(&token)
        .bind(now.saturating_add(lease_ms))
        .bind(session_id)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok((claimed == 1).then(|| AaFetchLease {
            session_id: session_id.to_owned(),
            token,
        }))
    }

    /// Extends the fetch's lease; [`crate::StoreError::LeaseLost`] when another process took it over
    /// or the session was deleted (which drops the lease with the keys).
    pub async fn renew_aa_fetch(&self, lease: &AaFetchLease, lease_ms: i64) -> Result<()> {
        let now = now_ms();
        let changed = sqlx::query(
            "UPDATE aa_sessions SET lease_until = $1 WHERE session_id = $2 AND lease_token = $3",
        )
        .bind(now.saturating_add(lease_ms))
        .bind(&lease.session_id)
        .bind(&lease.token)
        .execute(&self.pool)
        .await?
        .rows_affected();
        lease_held(changed)
    }

    /// The lease holder's write of the row; when the stage is no longer in flight the lease is
    /// released with it (the owner stays, for operators). [`crate::StoreError::LeaseLost`] when the
    /// lease is not ours any more: the write is not made.
    pub async fn update_aa_session_leased(
        &self,
        row: &AaSessionRow,
        lease: &AaFetchLease,
    ) -> Result<()> {
        let ended = !matches!(row.stage.as_str(), "awaiting_consent" | "fetching");
        let changed = sqlx::query(
            "UPDATE aa_sessions SET consent_id = $1, stage = $2, failure = $3, fi_session_id = $4, fi_keys = $5, updated_at = $6, \
             lease_token = CASE WHEN $7 = 1 THEN NULL ELSE lease_token END, lease_until = CASE WHEN $7 = 1 THEN NULL ELSE lease_until END \
             WHERE session_id = $8 AND lease_token = $9",
        )
        .bind(row.consent_id.clone())
        .bind(&row.stage)
        .bind(row.failure.clone())
        .bind(row.fi_session_id.clone())
        .bind(row.fi_keys.clone())
        .bind(now_ms())
        .bind(i64::from(ended))
        .bind(&row.session_id)
        .bind(&lease.token)
        .execute(&self.pool)
        .await?
        .rows_affected();
        lease_held(changed)
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
