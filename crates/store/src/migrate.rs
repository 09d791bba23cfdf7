//! Versioned schema migrations, applied on start by every process (server and workers).
//!
//! Each migration runs in its own transaction that first claims its version row: when two
//! processes start together, the loser blocks on that row and then sees the version as taken.

use crate::{now_ms, Result, StoreError};
use sqlx::AnyPool;

struct Migration {
    version: i64,
    name: &'static str,
    sql: &'static str,
}

const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "initial",
        sql: include_str!("../migrations/0001_initial.sql"),
    },
    Migration {
        version: 2,
        name: "account_results",
        sql: include_str!("../migrations/0002_account_results.sql"),
    },
    Migration {
        version: 3,
        name: "statement_parses",
        sql: include_str!("../migrations/0003_statement_parses.sql"),
    },
    Migration {
        version: 4,
        name: "readiness_probe",
        sql: include_str!("../migrations/0004_readiness_probe.sql"),
    },
    Migration {
        version: 5,
        name: "console",
        sql: include_str!("../migrations/0005_console.sql"),
    },
    Migration {
        version: 6,
        name: "aa_consents",
        sql: include_str!("../migrations/0006_aa_consents.sql"),
    },
    Migration {
        version: 7,
        name: "aa_data_life",
        sql: include_str!("../migrations/0007_aa_data_life.sql"),
    },
    Migration {
        version: 8,
        name: "aa_sessions",
        sql: include_str!("../migrations/0008_aa_sessions.sql"),
    },
    Migration {
        version: 9,
        name: "aa_fetch_leases",
        sql: include_str!("../migrations/0009_aa_fetch_leases.sql"),
    },
];

pub(crate) async fn apply(pool: &AnyPool) -> Result<()> {
    sqlx::raw_sql(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
    )
    .execute(pool)
    .await?;
    for migration in MIGRATIONS {
        apply_one(pool, migration).await?;
    }
    Ok(())
}

async fn apply_one(pool: &AnyPool, migration: &Migration) -> Result<()> {
    let mut tx = pool.begin().await?;
    let claimed = sqlx::query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3) ON CONFLICT (version) DO NOTHING")
        .bind(migration.version)
        .bind(migration.name)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if claimed == 0 {
        return Ok(());
    }
    sqlx::raw_sql(migration.sql)
        .execute(&mut *tx)
        .await
        .map_err(|e| {
            StoreError::Config(format!(
                "migration {} ({}) failed: {e}",
                migration.version, migration.name
            ))
        })?;
    tx.commit().await?;
    tracing::info!(
        version = migration.version,
        name = migration.name,
        "applied migration"
    );
    Ok(())
}
