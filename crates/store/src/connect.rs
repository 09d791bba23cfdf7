use crate::objects::ObjectsConfig;
use crate::{Result, StoreError};
use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Connection};
use std::path::Path;
use std::time::Duration;

/// Which SQL engine the pool talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Where the state lives.
#[derive(Debug, Clone)]
pub struct StoreConfig {
    /// `sqlite://…` or `postgres://…`.
    pub database_url: String,
    /// Where uploaded files live: `<data_dir>/objects` unless a bucket is configured.
    pub objects: ObjectsConfig,
    /// PostgreSQL only: a schema to create and use (isolates test runs and tenants of a cluster).
    pub pg_schema: Option<String>,
    pub max_connections: u32,
}

impl StoreConfig {
    /// The embedded default: `<data_dir>/ledgerlens.sqlite3` and `<data_dir>/objects/`, unless a
    /// database URL is given.
    pub fn for_data_dir(data_dir: &Path, database_url: Option<&str>) -> Result<StoreConfig> {
        std::fs::create_dir_all(data_dir).map_err(|e| {
            StoreError::Config(format!(
                "cannot create data dir {}: {e}",
                data_dir.display()
            ))
        })?;
        let data_dir = data_dir.canonicalize().map_err(|e| {
            StoreError::Config(format!(
                "cannot resolve data dir {}: {e}",
                data_dir.display()
            ))
        })?;
        let database_url = match database_url.filter(|u| !u.trim().is_empty()) {
            Some(url) => url.trim().to_owned(),
            None => format!(
                "sqlite://{}?mode=rwc",
                data_dir.join("ledgerlens.sqlite3").display()
            ),
        };
        Ok(StoreConfig {
            database_url,
            objects: ObjectsConfig::Local(data_dir.join("objects")),
            pg_schema: None,
            max_connections: 8,
        })
    }

    pub fn backend(&self) -> Result<Backend> {
        let url = self.database_url.to_ascii_lowercase();
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(StoreError::Config(
                "database URL must start with sqlite:// or postgres://".into(),
            ))
        }
    }
}

pub(crate) async fn connect(config: &StoreConfig) -> Result<(AnyPool, Backend)> {
    sqlx::any::install_default_drivers();
    let backend = config.backend()?;
    let schema = match (&config.pg_schema, backend) {
        (Some(schema), Backend::Postgres) => Some(valid_schema_name(schema)?),
        _ => None,
    };
    if let Some(schema) = &schema {
        create_schema(&config.database_url, schema).await?;
    }
    let session_setup = session_setup_sql(backend, schema.as_deref());
    let pool = AnyPoolOptions::new()
        .max_connections(config.max_connections.max(1))
        .acquire_timeout(Duration::from_secs(30))
        .after_connect(move |conn, _meta| {
            let statements = session_setup.clone();
            Box::pin(async move {
                for statement in statements.iter() {
                    sqlx::query(statement).execute(&mut *conn).await?;
                }
                Ok(())
            })
        })
        .after_release(move |conn, _meta| {
            Box::pin(async move {
                if backend != Backend::Sqlite {
                    return Ok(true);
                }
                Ok(sqlite_connection_is_clean(conn).await)
            })
        })
        .connect(&config.database_url)
        .await?;
    Ok((pool, backend))
}

/// Whether a SQLite connection back in the pool is outside any transaction. After a failed
/// COMMIT or ROLLBACK (a full disk: SQLITE_FULL, SQLite may roll back by itself) sqlx's count of
/// open transactions can disagree with SQLite's, and a later rollback then only rolls back to a
/// savepoint and leaves a transaction open: that connection holds the write lock ("database is
/// locked" for every other one) and reads an old snapshot until the process restarts. Such a
/// connection is closed instead of reused, and the pool opens a fresh one. `BEGIN` fails only
/// inside a transaction, and a deferred BEGIN takes no lock and writes nothing.
async fn sqlite_connection_is_clean(conn: &mut sqlx::AnyConnection) -> bool {
    match sqlx::query("BEGIN").execute(&mut *conn).await {
        Ok(_) => sqlx::query("ROLLBACK").execute(&mut *conn).await.is_ok(),
        Err(e) => {
            tracing::warn!(error = %e, "closing a SQLite connection left inside a transaction");
            false
        }
    }
}

/// Per-connection settings: WAL and a generous busy timeout let the `serve` process and separate
/// `worker` processes share one SQLite file.
fn session_setup_sql(backend: Backend, schema: Option<&str>) -> std::sync::Arc<Vec<String>> {
    let statements = match (backend, schema) {
        (Backend::Sqlite, _) => [
            "PRAGMA busy_timeout=15000",
            "PRAGMA journal_mode=WAL",
            "PRAGMA synchronous=NORMAL",
            "PRAGMA foreign_keys=ON",
            // Deleted rows are overwritten with zeros, not left readable in free pages.
            "PRAGMA secure_delete=ON",
        ]
        .map(str::to_owned)
        .to_vec(),
        (Backend::Postgres, Some(schema)) => vec![format!("SET search_path TO \"{schema}\"")],
        (Backend::Postgres, None) => Vec::new(),
    };
    std::sync::Arc::new(statements)
}

async fn create_schema(url: &str, schema: &str) -> Result<()> {
    let mut conn = sqlx::AnyConnection::connect(url).await?;
    sqlx::raw_sql(&format!("CREATE SCHEMA IF NOT EXISTS \"{schema}\""))
        .execute(&mut conn)
        .await?;
    conn.close().await?;
    Ok(())
}

/// Schema names are interpolated into SQL, so only plain identifiers are accepted.
fn valid_schema_name(schema: &str) -> Result<String> {
    let ok = !schema.is_empty()
        && schema.len() <= 63
        && schema
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !schema.starts_with(|c: char| c.is_ascii_digit());
    if ok {
        Ok(schema.to_owned())
    } else {
        Err(StoreError::Config(format!(
            "invalid PostgreSQL schema name {schema:?}"
        )))
    }
}
