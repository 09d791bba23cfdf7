//! Crash recovery across processes: `serve` without workers, a `worker` killed with SIGKILL
//! while it holds a job, a second worker that finishes the job exactly once.

use ledgerlens_store::jobs::JobKind;
use ledgerlens_store::{Store, StoreConfig};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_ledgerlens");

/// A child process that is killed when the test ends, however it ends.
struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn data_dir() -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let dir = std::env::temp_dir().join(format!("ledgerlens-crash-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    dir
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

fn spawn(args: &[&str], env: &[(&str, &str)]) -> Process {
    let mut command = Command::new(BIN);
    command
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    for (k, v) in env {
        command.env(k, v);
    }
    Process(command.spawn().expect("spawn ledgerlens"))
}

fn create_client(dir: &Path) -> Value {
    let out = Command::new(BIN)
        .args(["clients", "create", "--name", "crash-test", "--data-dir"])
        .arg(dir)
        .output()
        .expect("clients create");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("client JSON")
}

async fn get_json(http: &reqwest::Client, url: &str, api_key: &str, server_hash: &str) -> Value {
    http.get(url)
        .header("x-api-key", api_key)
        .header("server-hash", server_hash)
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_worker_job_completes_once_after_restart() {
    let dir = data_dir();
    let client = create_client(&dir);
    let api_key = client["api_key"].as_str().expect("key").to_owned();
    let server_hash = client["server_hash"].as_str().expect("hash").to_owned();
    let dir_arg = dir.to_str().expect("utf-8 dir").to_owned();
    let listen = format!("127.0.0.1:{}", free_port());
    let _serve = spawn(
        &[
            "serve",
            "--listen",
            &listen,
            "--data-dir",
            &dir_arg,
            "--workers",
            "0",
        ],
        &[],
    );
    let http = reqwest::Client::new();
    let base = format!("http://{listen}/bank-connect/v1");
    let mut ready = false;
    for _ in 0..100 {
        if http
            .get(format!("http://{listen}/healthz"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            ready = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(ready, "serve did not become healthy");

    let (pdf, truth) = ledgerlens_fixtures::generate("hdfc_classic", 5).expect("fixture");
    let range = json!({
        "link_id": "crash",
        "from_date": truth.identity.from_date.format("%d/%m/%Y").to_string(),
        "to_date": truth.identity.to_date.format("%d/%m/%Y").to_string(),
    });
    let session: Value = http
        .post(format!("{base}/session/"))
        .header("x-api-key", &api_key)
        .json(&range)
        .send()
        .await
        .expect("session")
        .json()
        .await
        .expect("json");
    let sid = session["session_id"].as_str().expect("sid").to_owned();
    let form = reqwest::multipart::Form::new()
        .part(
            "file",
            reqwest::multipart::Part::bytes(pdf).file_name("s.pdf"),
        )
        .text("bank_name", truth.bank.clone())
        .text("session_id", sid.clone())
        .text("upload_type", "PDF");
    let upload: Value = http
        .post(format!("{base}/statement/upload_session/"))
        .header("x-api-key", &api_key)
        .multipart(form)
        .send()
        .await
        .expect("upload")
        .json()
        .await
        .expect("json");
    let statement_id = upload["statement_id"]
        .as_str()
        .expect("statement id")
        .to_owned();

    let store = Store::open(&StoreConfig::for_data_dir(&dir, None).expect("config"))
        .await
        .expect("store");
    let slow = [
        ("LEDGERLENS_FAULT_JOB_DELAY_MS", "60000"),
        ("LEDGERLENS_JOB_LEASE_MS", "1500"),
        ("LEDGERLENS_POLL_INTERVAL_MS", "50"),
    ];
    let mut doomed = spawn(&["worker", "--data-dir", &dir_arg, "--workers", "1"], &slow);
    let mut claimed = false;
    for _ in 0..200 {
        let info = store
            .job_info(JobKind::ProcessStatement, &statement_id)
            .await
            .expect("job");
        if info.is_some_and(|i| i.state == "running") {
            claimed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(claimed, "the first worker never claimed the job");
    doomed.0.kill().expect("SIGKILL the worker");
    let _ = doomed.0.wait();

    let fast = [
        ("LEDGERLENS_JOB_LEASE_MS", "1500"),
        ("LEDGERLENS_POLL_INTERVAL_MS", "50"),
    ];
    let _survivor = spawn(&["worker", "--data-dir", &dir_arg, "--workers", "1"], &fast);
    let r = http
        .post(format!("{base}/session_data/{sid}/initiate_processing/"))
        .header("x-api-key", &api_key)
        .header("server-hash", &server_hash)
        .send()
        .await
        .expect("initiate");
    assert_eq!(r.status().as_u16(), 202);
    let mut done = false;
    for _ in 0..600 {
        let p = get_json(
            &http,
            &format!("{base}/session_data/{sid}/progress/"),
            &api_key,
            &server_hash,
        )
        .await;
        if p["session_progress"] == "completed" {
            done = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(done, "processing did not finish after the restart");
    let info = store
        .job_info(JobKind::ProcessStatement, &statement_id)
        .await
        .expect("job")
        .expect("job row");
    assert_eq!(
        (info.state.as_str(), info.attempts),
        ("done", 2),
        "{info:?}"
    );
    assert_eq!(
        store
            .count_statement_results(&statement_id)
            .await
            .expect("count"),
        1
    );
    let txns = get_json(
        &http,
        &format!("{base}/session_data/{sid}/transactions/"),
        &api_key,
        &server_hash,
    )
    .await;
    assert_eq!(
        txns["accounts"][0]["transactions"].as_array().map(Vec::len),
        Some(truth.transactions.len())
    );
    store.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}
