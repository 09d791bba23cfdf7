//! The generated OpenAPI document is valid OpenAPI 3.1 (openapi-spec-validator) and good
//! enough to generate a working client (openapi-python-client): the generated client creates a
//! session, uploads a statement, waits on progress and session_status and decodes the
//! Insights, identity, transactions, get_pdfs, session_upload_status, a per-section answer
//! (predictors), xlsx_report, the bank catalogue, healthz and the delete answer into its typed
//! models, against a real server on loopback (SQLite).
//!
//! Needs `pip install openapi-spec-validator openapi-python-client`; without them the test says
//! "skipped", unless LEDGERLENS_REQUIRE_OPENAPI_TOOLS is set (CI), which makes that a failure.

mod common;

use common::{fixture, Db, Harness};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn tool_available(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .output()
        .is_ok_and(|out| out.status.success())
}

fn tools_present() -> bool {
    let present = tool_available("python3", &["-c", "import openapi_spec_validator"])
        && tool_available("openapi-python-client", &["--version"]);
    if !present {
        assert!(
            std::env::var_os("LEDGERLENS_REQUIRE_OPENAPI_TOOLS").is_none(),
            "openapi-spec-validator / openapi-python-client missing"
        );
        eprintln!("skipped: openapi-spec-validator or openapi-python-client not installed");
    }
    present
}

fn run(command: &mut Command) -> String {
    let out = command.output().expect("run");
    assert!(
        out.status.success(),
        "{command:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn generate_client(doc: &Path, dir: &Path) {
    run(Command::new("python3")
        .args(["-m", "openapi_spec_validator"])
        .arg(doc));
    run(Command::new("openapi-python-client")
        .args(["generate", "--meta", "none", "--path"])
        .arg(doc)
        .arg("--output-path")
        .arg(dir.join("bankconnect_client")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_generated_from_the_document_runs_the_session_flow() {
    if !tools_present() {
        return;
    }
    let h = Harness::start(Db::Sqlite).await;
    let tenant = h.tenant("openapi-client").await;
    let doc_text = h
        .http
        .get(format!("{}/openapi.json", h.base))
        .send()
        .await
        .expect("openapi")
        .text()
        .await
        .expect("body");
    let work = h.dir.join("openapi-client");
    std::fs::create_dir_all(&work).expect("dir");
    let doc = work.join("openapi.json");
    std::fs::write(&doc, doc_text).expect("write document");
    let (pdf, truth) = fixture("hdfc_classic", 11);
    let pdf_path = work.join("statement.pdf");
    std::fs::write(&pdf_path, pdf).expect("write pdf");

    let (base, key, hash) = (
        h.base.clone(),
        tenant.api_key.clone(),
        tenant.server_hash.clone(),
    );
    let (work_dir, bank) = (work.clone(), truth.bank.clone());
    let (from, to) = (
        truth.identity.from_date.format("%d/%m/%Y").to_string(),
        truth.identity.to_date.format("%d/%m/%Y").to_string(),
    );
    // The generator and the Python client block: off the runtime that serves them.
    let summary = tokio::task::spawn_blocking(move || {
        generate_client(&doc, &work_dir);
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/openapi_client/flow.py");
        run(Command::new("python3")
            .arg(script)
            .arg(&work_dir)
            .args([&base, &key, &hash])
            .arg(&pdf_path)
            .args([&bank, &from, &to]))
    })
    .await
    .expect("client run");
    let summary: Value = serde_json::from_str(summary.trim()).expect("summary JSON");
    assert_eq!(summary["accounts"], 1, "{summary}");
    assert_eq!(summary["account_status"], "completed", "{summary}");
    assert_eq!(summary["bank"], truth.bank.as_str(), "{summary}");
    assert_eq!(summary["upload_bank"], truth.bank.as_str(), "{summary}");
    assert_eq!(
        summary["transactions"].as_u64(),
        Some(truth.transactions.len() as u64),
        "{summary}"
    );
    assert_eq!(summary["statement_stats"], 1, "{summary}");
    assert_eq!(
        summary["progress"],
        serde_json::json!(["completed"]),
        "{summary}"
    );
    assert_eq!(summary["identity_bank"], truth.bank.as_str(), "{summary}");
    assert_eq!(
        summary["listed_transactions"], summary["transactions"],
        "{summary}"
    );
    assert!(
        summary["aggregate_metrics"]
            .as_u64()
            .is_some_and(|n| n > 10),
        "{summary}"
    );
    // The endpoints typed after the first ones: each decoded into its generated model.
    assert_eq!(
        summary["pdf_sources"],
        serde_json::json!(["PDF"]),
        "{summary}"
    );
    assert_eq!(summary["pdf_message"], "Success", "{summary}");
    assert_eq!(summary["upload_status"], "COMPLETED", "{summary}");
    assert!(
        summary["upload_status_months"]
            .as_u64()
            .is_some_and(|n| n >= 1),
        "{summary}"
    );
    assert_eq!(
        summary["predictor_sections"],
        serde_json::json!(["predictors"]),
        "{summary}"
    );
    assert_eq!(
        summary["report_accounts"].as_array().map(Vec::len),
        Some(1),
        "{summary}"
    );
    assert!(
        summary["catalogue_count"].as_u64().is_some_and(|n| n > 10),
        "{summary}"
    );
    assert_eq!(summary["catalogue_has_bank"], true, "{summary}");
    assert_eq!(summary["health"], "ok", "{summary}");
    assert_eq!(summary["deleted"], "success", "{summary}");
    h.stop().await;
}
