//! Test harness: the real server on a random loopback port, driven over HTTP.
#![allow(dead_code)]

use ledgerlens_server::{RunningServer, ServerConfig};
use serde_json::{json, Value};
use std::path::PathBuf;
use std::time::Duration;

pub const PG_URL_DEFAULT: &str = "postgres://postgres@127.0.0.1:5432/test";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Db {
    Sqlite,
    Postgres,
}

pub struct Harness {
    pub server: RunningServer,
    pub base: String,
    pub http: reqwest::Client,
    pub dir: PathBuf,
    /// Drops the test's PostgreSQL schema when the harness goes away, also when a test panics.
    _schema: Option<SchemaGuard>,
}

/// Owns a per-test `t_<uuid>` schema; dropping the guard drops the schema.
pub struct SchemaGuard {
    url: String,
    schema: String,
}

impl SchemaGuard {
    pub fn new(url: String, schema: String) -> SchemaGuard {
        SchemaGuard { url, schema }
    }
}

impl Drop for SchemaGuard {
    fn drop(&mut self) {
        // Drop runs inside the test's runtime (or while a panic unwinds through it), where
        // blocking on async work is not allowed: use a short-lived runtime on its own thread.
        let (url, schema) = (self.url.clone(), self.schema.clone());
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| e.to_string())?;
            runtime.block_on(drop_schema(&url, &schema))
        })
        .join();
        match dropped {
            Ok(Ok(())) => {}
            Ok(Err(e)) => eprintln!("could not drop test schema {}: {e}", self.schema),
            Err(_) => eprintln!("dropping test schema {} panicked", self.schema),
        }
    }
}

async fn drop_schema(url: &str, schema: &str) -> Result<(), String> {
    use sqlx::Connection;
    if !schema.starts_with("t_")
        || !schema
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        return Err(format!("refusing to drop schema {schema:?}"));
    }
    let mut conn = sqlx::postgres::PgConnection::connect(url)
        .await
        .map_err(|e| e.to_string())?;
    // A worker of a panicked test may still hold locks: give up rather than hang.
    sqlx::query("SET lock_timeout = '10s'")
        .execute(&mut conn)
        .await
        .map_err(|e| e.to_string())?;
    sqlx::query(&format!("DROP SCHEMA IF EXISTS \"{schema}\" CASCADE"))
        .execute(&mut conn)
        .await
        .map_err(|e| e.to_string())?;
    conn.close().await.map_err(|e| e.to_string())
}

pub struct Tenant {
    pub api_key: String,
    pub server_hash: String,
}

pub fn pg_url() -> String {
    std::env::var("LEDGERLENS_TEST_DATABASE_URL").unwrap_or_else(|_| PG_URL_DEFAULT.to_owned())
}

pub fn temp_dir() -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("ledgerlens-test-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

pub fn config(db: Db, dir: PathBuf) -> ServerConfig {
    let database_url = match db {
        Db::Sqlite => None,
        Db::Postgres => Some(pg_url()),
    };
    let mut config = ServerConfig::new("127.0.0.1:0", dir, database_url);
    if db == Db::Postgres {
        // A fresh schema per test run keeps runs and tests apart.
        config.pg_schema = Some(format!("t_{}", uuid::Uuid::new_v4().simple()));
    }
    config.poll_interval = Duration::from_millis(50);
    config.job_retry_base = Duration::from_millis(100);
    config.webhook_retry_base = Duration::from_millis(100);
    // Tests send many wrong credentials and passwords on purpose from one address; the
    // throttling tests (abuse_limits.rs) set their own limits.
    config.auth_failure_limit = u32::MAX;
    config.password_failure_limit = u32::MAX;
    config
}

impl Harness {
    pub async fn start(db: Db) -> Harness {
        Harness::start_with(config(db, temp_dir())).await
    }

    pub async fn start_with(config: ServerConfig) -> Harness {
        let dir = config.data_dir.clone();
        let schema = config
            .pg_schema
            .clone()
            .map(|schema| SchemaGuard::new(pg_url(), schema));
        let server = ledgerlens_server::start(config)
            .await
            .expect("server starts");
        let base = format!("http://{}", server.addr);
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(120))
            .build()
            .expect("client");
        Harness {
            server,
            base,
            http,
            dir,
            _schema: schema,
        }
    }

    pub async fn tenant(&self, name: &str) -> Tenant {
        let c = self
            .server
            .state
            .store
            .create_client(name, false)
            .await
            .expect("client");
        Tenant {
            api_key: c.api_key,
            server_hash: c.server_hash,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}/bank-connect/v1/{path}", self.base)
    }

    pub async fn create_session(&self, t: &Tenant, body: Value) -> (u16, Value) {
        let r = self
            .http
            .post(self.url("session/"))
            .header("x-api-key", &t.api_key)
            .json(&body)
            .send()
            .await
            .expect("send");
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    pub async fn session_for(
        &self,
        t: &Tenant,
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
    ) -> String {
        let (status, body) = self
            .create_session(t, json!({"link_id": "user-1", "from_date": from.format("%d/%m/%Y").to_string(), "to_date": to.format("%d/%m/%Y").to_string()}))
            .await;
        assert_eq!(status, 200, "{body}");
        body["session_id"].as_str().expect("session id").to_owned()
    }

    pub async fn upload(
        &self,
        t: &Tenant,
        session_id: &str,
        bank: &str,
        pdf: Vec<u8>,
        query: &str,
    ) -> (u16, Value) {
        let form = reqwest::multipart::Form::new()
            .part(
                "file",
                reqwest::multipart::Part::bytes(pdf)
                    .file_name("statement.pdf")
                    .mime_str("application/pdf")
                    .expect("mime"),
            )
            .text("bank_name", bank.to_owned())
            .text("session_id", session_id.to_owned())
            .text("upload_type", "PDF");
        let r = self
            .http
            .post(format!("{}{query}", self.url("statement/upload_session/")))
            .header("x-api-key", &t.api_key)
            .multipart(form)
            .send()
            .await
            .expect("send");
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    pub async fn get(&self, t: &Tenant, path: &str) -> (u16, Value) {
        let r = self
            .http
            .get(self.url(path))
            .header("x-api-key", &t.api_key)
            .header("server-hash", &t.server_hash)
            .send()
            .await
            .expect("send");
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    pub async fn post(&self, t: &Tenant, path: &str, body: Value) -> (u16, Value) {
        let r = self
            .http
            .post(self.url(path))
            .header("x-api-key", &t.api_key)
            .header("server-hash", &t.server_hash)
            .json(&body)
            .send()
            .await
            .expect("send");
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// Polls progress/ until the session is processed.
    /// Starts the session's processing (`initiate_processing/`, 202) and waits until it
    /// completes; the last progress body.
    pub async fn process(&self, t: &Tenant, session_id: &str) -> Value {
        let (status, body) = self
            .post(
                t,
                &format!("session_data/{session_id}/initiate_processing/"),
                json!({}),
            )
            .await;
        assert_eq!(status, 202, "initiate_processing: {body}");
        self.wait_processed(t, session_id).await
    }

    /// Uploads `pdf` for `bank` (200), then [`Harness::process`].
    pub async fn upload_and_process(
        &self,
        t: &Tenant,
        session_id: &str,
        bank: &str,
        pdf: Vec<u8>,
    ) -> Value {
        let (status, body) = self.upload(t, session_id, bank, pdf, "").await;
        assert_eq!(status, 200, "upload: {body}");
        self.process(t, session_id).await
    }

    /// The session's one statement is read (completed) and its account failed with the
    /// documented MISSING_TRANSACTIONS code and message; `why` says what the file lacks.
    pub async fn assert_missing_transactions(&self, t: &Tenant, session_id: &str, why: &str) {
        let (status, body) = self
            .get(t, &format!("session_data/{session_id}/session_status/"))
            .await;
        assert_eq!(status, 200, "{why}: {body}");
        let account = &body["accounts"][0];
        assert_eq!(
            account["statements"][0]["statement_status"], "completed",
            "{why}: the rows the file holds are read: {body}"
        );
        assert_eq!(
            (
                account["account_status"].as_str(),
                account["error_code"].as_str(),
                account["error_message"].as_str(),
            ),
            (
                Some("failed"),
                Some("MISSING_TRANSACTIONS"),
                Some("One or more transactions are missing in the specified date range"),
            ),
            "{why}: missing data, not a balance mismatch: {body}"
        );
    }

    pub async fn wait_processed(&self, t: &Tenant, session_id: &str) -> Value {
        for _ in 0..1200 {
            let (status, body) = self
                .get(t, &format!("session_data/{session_id}/progress/"))
                .await;
            assert_eq!(status, 200, "{body}");
            if body["session_progress"] == "completed" {
                return body;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("session {session_id} did not finish processing");
    }

    /// Stops the server, removes the data dir and drops the PostgreSQL schema (if any).
    pub async fn stop(self) {
        let Harness {
            server,
            dir,
            _schema,
            ..
        } = self;
        server.stop().await;
        let _ = std::fs::remove_dir_all(&dir);
        drop(_schema);
    }
}

/// A fixture statement and the session range that covers it.
/// An account's Insights `data` flags missing transactions, not a balance mismatch, and no
/// fraud: rows a file leaves out are no evidence of an edit.
pub fn assert_missing_not_fraud(data: &Value, why: &str) {
    let codes = data["fraud_details"]["account"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        codes.contains(&json!("MISSING_TRANSACTIONS"))
            && !codes.contains(&json!("BALANCE_MISMATCH")),
        "{why}: {codes:?}"
    );
    assert_eq!(
        data["fraud"],
        json!([]),
        "{why}: missing rows are not fraud"
    );
}

pub fn fixture(layout: &str, seed: u64) -> (Vec<u8>, ledgerlens_fixtures::StatementTruth) {
    ledgerlens_fixtures::generate(layout, seed).expect("fixture")
}

pub async fn postgres_reachable() -> bool {
    let addr = "127.0.0.1:5432";
    tokio::time::timeout(Duration::from_secs(2), tokio::net::TcpStream::connect(addr))
        .await
        .is_ok_and(|r| r.is_ok())
}

/// Points the server's Account Aggregator settings (LEDGERLENS_AA_*) at a simulator on
/// loopback, with the committed demo FIU key. Call before the server starts, from a test binary
/// that runs no other test (the settings are process environment).
pub fn point_aa_settings_at(base: &str) {
    let key = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../aa-sim/keys/fiu-demo.pk8.der"
    );
    for (k, v) in [
        ("LEDGERLENS_AA_BASE_URL", base.to_owned()),
        ("LEDGERLENS_AA_ID", "AA-SIM".into()),
        ("LEDGERLENS_AA_FIU_ID", "FIU-LEDGERLENS".into()),
        ("LEDGERLENS_AA_SIGNING_KEY", key.into()),
        ("LEDGERLENS_AA_SIGNING_KID", "fiu-demo-1".into()),
        ("LEDGERLENS_AA_REGISTRY_URL", format!("{base}/cr")),
        (
            "LEDGERLENS_AA_ISSUER_JWKS_URL",
            format!("{base}/auth/realms/sahamati/protocol/openid-connect/certs"),
        ),
        (
            "LEDGERLENS_AA_TOKEN_URL",
            format!("{base}/iam/v1/entity/token/generate"),
        ),
        ("LEDGERLENS_AA_CLIENT_SECRET", "fiu-sim-secret".into()),
    ] {
        // SAFETY: the caller sets these before the server starts, in a single-test binary.
        unsafe { std::env::set_var(k, v) };
    }
}
