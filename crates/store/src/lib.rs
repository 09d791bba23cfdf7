//! Durable state of the ledgerlens service.
//!
//! One SQL layer (sqlx's `Any` driver) runs the same statements on SQLite — the embedded,
//! zero-configuration default — and on PostgreSQL. Portability rules kept by every query here:
//! `$n` placeholders, `TEXT`/`BIGINT` columns only (booleans are 0/1, times are Unix milliseconds),
//! `ON CONFLICT` and `RETURNING` only where both engines agree, and every write transaction starts
//! with a write so SQLite never has to upgrade a read lock (which fails instead of waiting).
//!
//! Uploaded files live behind [`objects::Objects`], an `object_store` wrapper: a local directory by
//! default, or an S3-compatible bucket shared by processes on several machines.

pub mod aa_consents;
pub mod clients;
mod connect;
pub mod console;
mod hardening;
pub mod jobs;
mod migrate;
pub mod objects;
pub mod sessions;
pub mod statements;
pub mod stats;
pub mod webhooks;

pub use connect::{Backend, StoreConfig};
pub use jobs::{JobKind, JobLease, JobTx};
pub use objects::{ObjectsConfig, S3Config};

use sqlx::AnyPool;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

/// Everything that can go wrong below the HTTP layer.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("object store error: {0}")]
    Objects(#[from] object_store::Error),
    #[error("a row with the same unique key already exists")]
    Duplicate,
    #[error("the job lease was lost to another worker")]
    LeaseLost,
    /// The session was deleted (a write into it would outlive the delete).
    #[error("the session has been deleted")]
    SessionDeleted,
    #[error("invalid configuration: {0}")]
    Config(String),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
}

impl StoreError {
    /// Maps a unique-constraint violation to [`StoreError::Duplicate`], other errors unchanged.
    fn from_insert(e: sqlx::Error) -> Self {
        match e.as_database_error() {
            Some(db) if db.is_unique_violation() => StoreError::Duplicate,
            _ => StoreError::Database(e),
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The database pool plus the file store; cheap to clone.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    objects: Arc<objects::Objects>,
}

impl Store {
    /// Connects, creates the schema (PostgreSQL) if asked, and applies pending migrations.
    pub async fn open(config: &StoreConfig) -> Result<Store> {
        // Objects first: a bad bucket setting is reported before the database is migrated.
        let objects = Arc::new(objects::Objects::new(&config.objects)?);
        let (pool, backend) = connect::connect(config).await?;
        migrate::apply(&pool).await?;
        Ok(Store {
            pool,
            backend,
            objects,
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn objects(&self) -> &objects::Objects {
        &self.objects
    }

    /// A trivial round trip, for readiness checks.
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Unix time in milliseconds: the one time format stored in the database.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// A write guarded by a lease token changes exactly one row while the lease is held; none when
/// another process took the lease over (or the row went away).
pub(crate) fn lease_held(rows_changed: u64) -> Result<()> {
    if rows_changed == 1 {
        Ok(())
    } else {
        Err(StoreError::LeaseLost)
    }
}

/// A fresh random identifier in UUID form.
pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Lower-case hex SHA-256, used for content fingerprints and for storing secrets.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Booleans are stored as 0/1 so one schema fits both engines.
fn flag(value: bool) -> i64 {
    i64::from(value)
}
