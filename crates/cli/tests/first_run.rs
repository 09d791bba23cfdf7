//! A newcomer's first run, as the README tells it: `ledgerlens serve` on an empty data dir prints
//! credentials and a walkthrough; the walkthrough's lines, run by a shell as printed, take the
//! sample statement from upload to insights and the workbook. Plus the CLI's edges a first run
//! meets: `clients list` on a wrong data dir, timestamps, `parse` CSV and XLSX output.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_ledgerlens");

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ledgerlens-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// Kills the server when the test ends, passed or not.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `serve` and returns it with everything it printed up to the walkthrough's end.
fn serve(dir: &Path) -> (Server, String) {
    let log = std::fs::File::create(dir.join("stderr.log")).expect("log file");
    let mut child = Command::new(BIN)
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--workers",
            "1",
            "--data-dir",
        ])
        .arg(dir.join("data"))
        .env("RUST_LOG", "debug")
        .stdout(Stdio::piped())
        .stderr(log)
        .spawn()
        .expect("serve starts");
    let stdout = child.stdout.take().expect("stdout");
    let server = Server(child);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut printed = String::new();
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            printed.push_str(&line);
            printed.push('\n');
            if line.starts_with("# --- end of walkthrough") {
                let _ = tx.send(printed.clone());
            }
        }
    });
    let printed = rx
        .recv_timeout(Duration::from_secs(60))
        .expect("serve prints its walkthrough within a minute");
    (server, printed)
}

fn walkthrough(printed: &str) -> String {
    let start = printed
        .find("# --- walkthrough")
        .expect("walkthrough start");
    printed[start..].to_owned()
}

#[test]
fn the_printed_walkthrough_reaches_insights_and_the_workbook() {
    let dir = scratch("first-run");
    let (server, printed) = serve(&dir);
    let api_key = printed
        .lines()
        .find_map(|l| l.trim().strip_prefix("api_key:"))
        .map(str::trim)
        .expect("first start prints the api_key")
        .to_owned();
    let script = walkthrough(&printed);
    assert!(script.contains(&format!("API_KEY='{api_key}'")));
    let work = dir.join("work");
    std::fs::create_dir_all(&work).expect("work dir");
    let started = Instant::now();
    let run = Command::new("timeout")
        .args(["180", "bash", "-euo", "pipefail", "-c"])
        .arg(&script)
        .current_dir(&work)
        .output()
        .expect("bash runs the walkthrough");
    let out = String::from_utf8_lossy(&run.stdout);
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "walkthrough failed:\n{out}\n{err}");
    eprintln!("walkthrough ran in {:?}", started.elapsed());
    assert!(!out.contains("OUT_OF_DATE_RANGE"), "{out}");
    assert!(out.contains(r#""session_progress":"completed""#), "{out}");
    let insights: serde_json::Value = serde_json::from_slice(
        &std::fs::read(work.join("insights.json")).expect("insights.json written"),
    )
    .expect("insights is JSON");
    let data = &insights["accounts"][0]["data"];
    assert!(
        data["transactions"]
            .as_array()
            .is_some_and(|t| t.len() > 50),
        "six months of transactions"
    );
    assert_eq!(data["account_details"]["bank"], "hdfc");
    let xlsx = std::fs::read(work.join("report.xlsx")).expect("report.xlsx downloaded");
    assert!(
        xlsx.starts_with(b"PK"),
        "an XLSX (zip) file, not an error body"
    );
    let server_hash = printed
        .lines()
        .find_map(|l| l.trim().strip_prefix("server_hash:"))
        .map(str::trim)
        .expect("first start prints the server_hash");
    let console_page = out
        .lines()
        .rev()
        .find(|l| l.contains("/console/sessions/"))
        .expect("the walkthrough prints the session's console page")
        .trim();
    let page = signed_in_console_page(console_page, &api_key, server_hash, &work);
    assert!(
        page.contains("<svg") && page.contains("Reconciliation"),
        "the console shows the processed session with its charts: {}",
        &page[..page.len().min(400)]
    );
    drop(server);
    let log = std::fs::read_to_string(dir.join("stderr.log")).expect("log");
    assert!(log.contains("listening"), "the log stream is stderr: {log}");
    assert!(
        !log.contains(&api_key),
        "the api_key never reaches the log stream, even at debug"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Signs in to the console with the client's keys (as the walkthrough says) and fetches `page`.
fn signed_in_console_page(page: &str, api_key: &str, server_hash: &str, work: &Path) -> String {
    let base = page.split("/console/").next().expect("a console URL");
    let jar = work.join("console-cookies");
    let sign_in = Command::new("curl")
        .args(["-s", "-o", "/dev/null", "-w", "%{http_code}", "-c"])
        .arg(&jar)
        .args(["-H", &format!("Origin: {base}")])
        .args(["--data-urlencode", &format!("api_key={api_key}")])
        .args(["--data-urlencode", &format!("server_hash={server_hash}")])
        .arg(format!("{base}/console/sign-in"))
        .output()
        .expect("curl signs in");
    let status = String::from_utf8_lossy(&sign_in.stdout).to_string();
    assert!(status.starts_with('3'), "sign-in redirects, got {status}");
    let fetched = Command::new("curl")
        .args(["-s", "-b"])
        .arg(&jar)
        .arg(page)
        .output()
        .expect("curl fetches the console page");
    String::from_utf8_lossy(&fetched.stdout).to_string()
}

#[test]
fn a_restart_prints_the_walkthrough_without_secrets() {
    let dir = scratch("restart");
    let (first, printed) = serve(&dir);
    drop(first);
    let (second, again) = serve(&dir);
    drop(second);
    assert!(printed.contains("api_key:"));
    assert!(!again.contains("api_key:") && again.contains("API_KEY='<your api_key>'"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn clients_list_on_a_missing_data_dir_fails_without_creating_it() {
    let dir = scratch("clients");
    let missing = dir.join("no-such-dir");
    let out = Command::new(BIN)
        .args(["clients", "list", "--data-dir"])
        .arg(&missing)
        .env_remove("LEDGERLENS_DATABASE_URL")
        .output()
        .expect("run");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no ledgerlens database in"), "{err}");
    assert!(!missing.exists(), "nothing created");

    let data = dir.join("data");
    let created = Command::new(BIN)
        .args(["clients", "create", "--name", "lender", "--data-dir"])
        .arg(&data)
        .output()
        .expect("run");
    assert!(created.status.success());
    let listed = Command::new(BIN)
        .args(["clients", "list", "--data-dir"])
        .arg(&data)
        .output()
        .expect("run");
    assert!(listed.status.success());
    let clients: serde_json::Value = serde_json::from_slice(&listed.stdout).expect("json");
    let created_at = clients[0]["created_at"].as_str().expect("created_at text");
    assert!(
        chrono::DateTime::parse_from_rfc3339(created_at).is_ok(),
        "ISO timestamp: {created_at}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn sample_statement_parses_clean_for_the_walkthrough_period() {
    let dir = scratch("sample");
    let pdf = dir.join("s.pdf");
    let wrote = Command::new(BIN)
        .args(["sample-statement", "--out"])
        .arg(&pdf)
        .output()
        .expect("run");
    assert!(wrote.status.success());
    let parsed = Command::new(BIN)
        .args(["parse", "--no-enrichment", "--bank", "hdfc"])
        .arg(&pdf)
        .output()
        .expect("run");
    assert!(parsed.status.success());
    let doc: serde_json::Value = serde_json::from_slice(&parsed.stdout).expect("json");
    let data = &doc["accounts"][0]["data"];
    assert_eq!(data["reconciliation"]["reconciled"], true);
    let today = chrono::Utc::now().date_naive();
    let (from, to) = ledgerlens_server::first_run::sample_period(today);
    let range = &data["account_details"]["account_date_range"];
    assert_eq!(range["from_date"], from.format("%Y-%m-%d").to_string());
    assert_eq!(range["to_date"], to.format("%Y-%m-%d").to_string());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn parse_warns_on_an_unreconciled_csv_and_writes_the_workbook() {
    let dir = scratch("parse-out");
    let tampered = ledgerlens_fixtures::tampered_balance("hdfc_classic", 5).expect("fixture");
    let pdf = dir.join("tampered.pdf");
    std::fs::write(&pdf, &tampered.pdf).expect("write");
    let csv = Command::new(BIN)
        .args(["parse", "--format", "csv"])
        .arg(&pdf)
        .output()
        .expect("run");
    assert!(csv.status.success());
    let warning = String::from_utf8_lossy(&csv.stderr);
    assert!(
        warning.contains("NOT reconciled"),
        "an unreconciled statement is flagged on stderr: {warning}"
    );

    let xlsx = dir.join("report.xlsx");
    let out = Command::new(BIN)
        .args(["parse", "--format", "xlsx", "--output"])
        .arg(&xlsx)
        .arg(&pdf)
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let bytes = std::fs::read(&xlsx).expect("workbook written");
    assert!(bytes.starts_with(b"PK") && bytes.len() > 10_000);
    let _ = std::fs::remove_dir_all(&dir);
}
