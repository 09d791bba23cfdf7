//! API clients (tenants) and their credentials.
//!
//! The API key and the server hash are random secrets shown once; only their SHA-256 is stored.
//! A fast hash is right here: the secrets carry 244 bits of randomness, so there is nothing to
//! brute-force, and the lookup by hash leaks nothing about the key through timing.

use crate::{flag, new_id, now_ms, sha256_hex, Result, Store};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::Row;
use subtle::ConstantTimeEq;

/// A tenant as the server sees it after authentication.
#[derive(Debug, Clone)]
pub struct Client {
    pub id: String,
    pub name: String,
    server_hash_hash: String,
    pub access_secret: Option<String>,
    pub require_access_token: bool,
    pub webhook_url: Option<String>,
    pub webhook_mode: Option<i64>,
    pub webhook_secret: Option<String>,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
}

impl Client {
    /// Constant-time check of a presented `server-hash` header.
    pub fn server_hash_matches(&self, presented: &str) -> bool {
        let presented = sha256_hex(presented.as_bytes());
        bool::from(presented.as_bytes().ct_eq(self.server_hash_hash.as_bytes()))
    }
}

/// The secrets of a newly created client: printed once, never retrievable again.
#[derive(Debug, Clone, Serialize)]
pub struct ClientCredentials {
    pub client_id: String,
    pub name: String,
    pub api_key: String,
    pub server_hash: String,
    /// Key for the optional ACCESS_TOKEN layer; `None` unless it was enabled at creation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_secret: Option<String>,
}

/// A row of `clients list`: no secrets.
#[derive(Debug, Clone, Serialize)]
pub struct ClientSummary {
    pub client_id: String,
    pub name: String,
    pub created_at: i64,
    pub revoked: bool,
    pub require_access_token: bool,
}

fn random_secret() -> String {
    format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}

const CLIENT_COLUMNS: &str = "id, name, server_hash_hash, access_secret, require_access_token, webhook_url, webhook_mode, webhook_secret, created_at, revoked_at";

fn client_from_row(row: &AnyRow) -> Result<Client> {
    Ok(Client {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        server_hash_hash: row.try_get("server_hash_hash")?,
        access_secret: row.try_get("access_secret")?,
        require_access_token: row.try_get::<i64, _>("require_access_token")? != 0,
        webhook_url: row.try_get("webhook_url")?,
        webhook_mode: row.try_get("webhook_mode")?,
        webhook_secret: row.try_get("webhook_secret")?,
        created_at: row.try_get("created_at")?,
        revoked_at: row.try_get("revoked_at")?,
    })
}

impl Store {
    /// Creates a client with fresh secrets. `with_access_token` turns on the ACCESS_TOKEN layer.
    pub async fn create_client(
        &self,
        name: &str,
        with_access_token: bool,
    ) -> Result<ClientCredentials> {
        let credentials = ClientCredentials {
            client_id: new_id(),
            name: name.to_owned(),
            api_key: random_secret(),
            server_hash: random_secret(),
            access_secret: with_access_token.then(random_secret),
        };
        sqlx::query(
            "INSERT INTO clients (id, name, api_key_hash, server_hash_hash, access_secret, require_access_token, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&credentials.client_id)
        .bind(name)
        .bind(sha256_hex(credentials.api_key.as_bytes()))
        .bind(sha256_hex(credentials.server_hash.as_bytes()))
        .bind(credentials.access_secret.clone())
        .bind(flag(with_access_token))
        .bind(now_ms())
        .execute(&self.pool)
        .await?;
        Ok(credentials)
    }

    /// The active client owning `api_key`, if any.
    pub async fn client_by_api_key(&self, api_key: &str) -> Result<Option<Client>> {
        let key_hash = sha256_hex(api_key.as_bytes());
        let row = sqlx::query(&format!("SELECT {CLIENT_COLUMNS}, api_key_hash FROM clients WHERE api_key_hash = $1 AND revoked_at IS NULL"))
            .bind(&key_hash)
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let stored: String = row.try_get("api_key_hash")?;
        if !bool::from(stored.as_bytes().ct_eq(key_hash.as_bytes())) {
            return Ok(None);
        }
        client_from_row(&row).map(Some)
    }

    pub async fn client_by_id(&self, client_id: &str) -> Result<Option<Client>> {
        let row = sqlx::query(&format!(
            "SELECT {CLIENT_COLUMNS} FROM clients WHERE id = $1"
        ))
        .bind(client_id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(client_from_row).transpose()
    }

    pub async fn list_clients(&self) -> Result<Vec<ClientSummary>> {
        let rows = sqlx::query("SELECT id, name, created_at, revoked_at, require_access_token FROM clients ORDER BY created_at, id")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                Ok(ClientSummary {
                    client_id: row.try_get("id")?,
                    name: row.try_get("name")?,
                    created_at: row.try_get("created_at")?,
                    revoked: row.try_get::<Option<i64>, _>("revoked_at")?.is_some(),
                    require_access_token: row.try_get::<i64, _>("require_access_token")? != 0,
                })
            })
            .collect()
    }

    pub async fn count_clients(&self) -> Result<i64> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM clients")
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get("n")?)
    }

    /// Revokes a client; returns false when no active client has that id.
    pub async fn revoke_client(&self, client_id: &str) -> Result<bool> {
        let changed =
            sqlx::query("UPDATE clients SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
                .bind(now_ms())
                .bind(client_id)
                .execute(&self.pool)
                .await?
                .rows_affected();
        Ok(changed == 1)
    }

    pub async fn set_webhook(
        &self,
        client_id: &str,
        url: &str,
        mode: i64,
        secret: Option<&str>,
    ) -> Result<()> {
        sqlx::query("UPDATE clients SET webhook_url = $1, webhook_mode = $2, webhook_secret = $3 WHERE id = $4")
            .bind(url)
            .bind(mode)
            .bind(secret.map(str::to_owned))
            .bind(client_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
