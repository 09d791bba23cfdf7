//! Crash recovery with the default (short, heartbeat-renewed) job lease, on SQLite and
//! PostgreSQL, with real processes: `serve` without workers, worker A holding a job (slowed by
//! fault injection), worker B polling. While A lives, its heartbeat keeps B away for longer than
//! a lease; after `kill -9` of A, B finishes the job within seconds, exactly once, and each
//! webhook reaches the receiver exactly once.

use ledgerlens_store::jobs::JobKind;
use ledgerlens_store::{Store, StoreConfig};
use serde_json::{json, Value};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const BIN: &str = env!("CARGO_BIN_EXE_ledgerlens");
/// The default lease (`ServerConfig::job_lease`): the test uses it unchanged.
const LEASE: Duration = Duration::from_secs(5);

/// A child process that is killed when the test ends, however it ends.
struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Db {
    Sqlite,
    Postgres,
}

/// Where the processes keep their state: a data dir, and for PostgreSQL a fresh schema that is
/// dropped at the end.
struct Setup {
    dir: PathBuf,
    env: Vec<(String, String)>,
    schema: Option<String>,
}

impl Drop for Setup {
    fn drop(&mut self) {
        if let Some(schema) = &self.schema {
            let _ = Command::new("psql")
                .args([
                    &pg_url(),
                    "-qc",
                    &format!("DROP SCHEMA IF EXISTS {schema} CASCADE"),
                ])
                .output();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn pg_url() -> String {
    std::env::var("LEDGERLENS_TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

fn setup(db: Db) -> Setup {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let dir = std::env::temp_dir().join(format!(
        "ledgerlens-recovery-{}-{nanos}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).expect("dir");
    let mut env = vec![
        ("LEDGERLENS_DATA_DIR".to_owned(), dir.display().to_string()),
        ("LEDGERLENS_POLL_INTERVAL_MS".to_owned(), "100".to_owned()),
        (
            "LEDGERLENS_WEBHOOK_ALLOW_PRIVATE".to_owned(),
            "true".to_owned(),
        ),
    ];
    let mut schema = None;
    if db == Db::Postgres {
        let name = format!("t_recovery_{nanos}");
        env.push(("LEDGERLENS_DATABASE_URL".to_owned(), pg_url()));
        env.push(("LEDGERLENS_DATABASE_SCHEMA".to_owned(), name.clone()));
        schema = Some(name);
    }
    Setup { dir, env, schema }
}

fn spawn(setup: &Setup, args: &[&str], extra: &[(&str, &str)]) -> Process {
    let mut command = Command::new(BIN);
    command
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command.envs(setup.env.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    command.envs(extra.iter().copied());
    Process(command.spawn().expect("spawn ledgerlens"))
}

fn create_client(setup: &Setup) -> (String, String) {
    let out = Command::new(BIN)
        .args(["clients", "create", "--name", "recovery"])
        .envs(setup.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .output()
        .expect("clients create");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let client: Value = serde_json::from_slice(&out.stdout).expect("client JSON");
    let field = |k: &str| client[k].as_str().expect("credential").to_owned();
    (field("api_key"), field("server_hash"))
}

async fn open_store(setup: &Setup, db: Db) -> Store {
    let url = (db == Db::Postgres).then(pg_url);
    let mut config = StoreConfig::for_data_dir(&setup.dir, url.as_deref()).expect("config");
    config.pg_schema = setup.schema.clone();
    Store::open(&config).await.expect("store")
}

async fn postgres_reachable() -> bool {
    tokio::net::TcpStream::connect("127.0.0.1:5432")
        .await
        .is_ok()
}

/// A webhook receiver answering 200 to every POST; keeps each body's event_name.
async fn receiver() -> (String, Arc<Mutex<Vec<String>>>) {
    let events: Arc<Mutex<Vec<String>>> = Arc::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let seen = events.clone();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let seen = seen.clone();
            tokio::spawn(async move {
                if let Some(body) = read_request_body(&mut stream).await {
                    let event = serde_json::from_slice::<Value>(&body)
                        .ok()
                        .and_then(|v| v["event_name"].as_str().map(str::to_owned))
                        .unwrap_or_default();
                    seen.lock().expect("lock").push(event);
                }
                let _ = stream
                    .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
                    .await;
            });
        }
    });
    (format!("http://{addr}/hook"), events)
}

/// The body of one HTTP/1.1 request with a Content-Length.
async fn read_request_body(stream: &mut tokio::net::TcpStream) -> Option<Vec<u8>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
            continue;
        };
        let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
        let length: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0);
        if buf.len() >= end + 4 + length {
            return Some(buf[end + 4..end + 4 + length].to_vec());
        }
    }
}

struct Api {
    http: reqwest::Client,
    base: String,
    api_key: String,
    server_hash: String,
}

impl Api {
    async fn send(&self, request: reqwest::RequestBuilder) -> (u16, Value) {
        let response = request
            .header("x-api-key", &self.api_key)
            .header("server-hash", &self.server_hash)
            .send()
            .await
            .expect("request");
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    async fn wait_healthy(&self) {
        let root = self.base.trim_end_matches("/bank-connect/v1");
        for _ in 0..200 {
            let ok = self.http.get(format!("{root}/healthz")).send().await;
            if ok.is_ok_and(|r| r.status().is_success()) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("serve did not become healthy");
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

async fn wait_job_state(store: &Store, statement_id: &str, state: &str, within: Duration) -> bool {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        let info = store
            .job_info(JobKind::ProcessStatement, statement_id)
            .await
            .expect("job");
        if info.is_some_and(|i| i.state == state) {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

async fn killed_worker_recovers_within_seconds(db: Db) {
    if db == Db::Postgres && !postgres_reachable().await {
        eprintln!("skipped: no PostgreSQL on 127.0.0.1:5432");
        return;
    }
    let setup = setup(db);
    let (api_key, server_hash) = create_client(&setup);
    let listen = format!("127.0.0.1:{}", free_port());
    let _serve = spawn(
        &setup,
        &["serve", "--listen", &listen, "--workers", "0"],
        &[],
    );
    let api = Api {
        http: reqwest::Client::new(),
        base: format!("http://{listen}/bank-connect/v1"),
        api_key,
        server_hash,
    };
    api.wait_healthy().await;
    let (hook_url, events) = receiver().await;
    let (status, body) = api
        .send(
            api.http
                .post(format!("{}/session_data/update_webhook/", api.base))
                .json(&json!({"webhook_url": hook_url, "webhook_mode": 1})),
        )
        .await;
    assert_eq!(status, 200, "{body}");

    let (pdf, truth) = ledgerlens_fixtures::generate("hdfc_classic", 3).expect("fixture");
    let range = json!({
        "link_id": "recovery",
        "from_date": truth.identity.from_date.format("%d/%m/%Y").to_string(),
        "to_date": truth.identity.to_date.format("%d/%m/%Y").to_string(),
    });
    let (_, session) = api
        .send(api.http.post(format!("{}/session/", api.base)).json(&range))
        .await;
    let sid = session["session_id"]
        .as_str()
        .expect("session id")
        .to_owned();
    let form = reqwest::multipart::Form::new()
        .part(
            "file",
            reqwest::multipart::Part::bytes(pdf).file_name("s.pdf"),
        )
        .text("bank_name", truth.bank.clone())
        .text("session_id", sid.clone())
        .text("upload_type", "PDF");
    let (status, upload) = api
        .send(
            api.http
                .post(format!("{}/statement/upload_session/", api.base))
                .multipart(form),
        )
        .await;
    assert_eq!(status, 200, "{upload}");
    let statement_id = upload["statement_id"]
        .as_str()
        .expect("statement id")
        .to_owned();
    let store = open_store(&setup, db).await;

    // A holds the job far longer than a lease; B polls for work the whole time.
    let mut doomed = spawn(
        &setup,
        &["worker", "--workers", "1"],
        &[("LEDGERLENS_FAULT_JOB_DELAY_MS", "600000")],
    );
    assert!(
        wait_job_state(&store, &statement_id, "running", Duration::from_secs(20)).await,
        "worker A never claimed the job"
    );
    let _survivor = spawn(&setup, &["worker", "--workers", "1"], &[]);
    let (status, _) = api
        .send(api.http.post(format!(
            "{}/session_data/{sid}/initiate_processing/",
            api.base
        )))
        .await;
    assert_eq!(status, 202);
    // Two leases long: without renewal B would have taken the job over by now.
    tokio::time::sleep(LEASE * 2).await;
    let held = store
        .job_info(JobKind::ProcessStatement, &statement_id)
        .await
        .expect("job")
        .expect("job row");
    assert_eq!(
        (held.state.as_str(), held.attempts),
        ("running", 1),
        "A's heartbeat kept the job"
    );

    doomed.0.kill().expect("SIGKILL worker A");
    let killed = Instant::now();
    let _ = doomed.0.wait();
    assert!(
        wait_job_state(&store, &statement_id, "done", Duration::from_secs(30)).await,
        "the job was not recovered"
    );
    let recovery = killed.elapsed();
    eprintln!(
        "recovery after kill -9 ({}): {recovery:?}",
        if db == Db::Sqlite {
            "SQLite"
        } else {
            "PostgreSQL"
        }
    );
    assert!(
        recovery < LEASE + Duration::from_secs(5),
        "recovery took {recovery:?}"
    );

    let info = store
        .job_info(JobKind::ProcessStatement, &statement_id)
        .await
        .expect("job")
        .expect("job row");
    assert_eq!(info.attempts, 2, "{info:?}");
    assert_eq!(
        store
            .count_statement_results(&statement_id)
            .await
            .expect("count"),
        1
    );
    // Both notifications once each; a late duplicate would arrive within this wait.
    let deadline = Instant::now() + Duration::from_secs(20);
    while events.lock().expect("lock").len() < 2 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let mut seen = events.lock().expect("lock").clone();
    seen.sort();
    assert_eq!(
        seen,
        [
            "ENRICHMENT_NOTIFICATION",
            "SESSION_REQUIREMENT_COMPLETION_NOTIFICATION"
        ],
        "each webhook exactly once"
    );
    let outbox = store.session_webhooks(&sid).await.expect("outbox");
    assert!(
        outbox
            .iter()
            .all(|w| w.state == "delivered" && w.attempts == 1),
        "{outbox:?}"
    );
    let (_, txns) = api
        .send(
            api.http
                .get(format!("{}/session_data/{sid}/transactions/", api.base)),
        )
        .await;
    assert_eq!(
        txns["accounts"][0]["transactions"].as_array().map(Vec::len),
        Some(truth.transactions.len())
    );
    store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_worker_recovers_within_seconds_sqlite() {
    killed_worker_recovers_within_seconds(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_worker_recovers_within_seconds_postgres() {
    killed_worker_recovers_within_seconds(Db::Postgres).await;
}
