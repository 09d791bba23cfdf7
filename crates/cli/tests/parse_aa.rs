//! `ledgerlens parse` on decrypted Account Aggregator FI documents (the synthetic samples of
//! crates/aa/tests/data): same Insights output as for a PDF, AA error codes when it cannot be.

use serde_json::Value;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_ledgerlens");

fn sample(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../aa/tests/data")
        .join(name)
}

fn parse(args: &[&str], file: &str) -> Output {
    Command::new(BIN)
        .arg("parse")
        .args(args)
        .arg(sample(file))
        .output()
        .expect("run")
}

#[test]
fn fi_documents_parse_like_statements() {
    for file in [
        "deposit_sample.xml",
        "deposit_dialect_a.json",
        "deposit_dialect_b.json",
    ] {
        let out = parse(&[], file);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{file}: {stdout}");
        let doc: Value = serde_json::from_slice(&out.stdout).expect("json");
        let account = &doc["accounts"][0];
        let data = &account["data"];
        let details = &data["account_details"];
        assert_eq!(details["account_number"], "XXXXXXXX4020", "{file}");
        assert_eq!(details["bank"], "hdfc", "{file}");
        assert_eq!(details["ifsc"], "HDFC0001234", "{file}");
        assert_eq!(data["reconciliation"]["reconciled"], true, "{file}");
        let transactions = data["transactions"].as_array().expect("transactions");
        assert_eq!(transactions.len(), 4, "{file}");
        assert!(
            transactions.iter().all(|t| t["category"].is_string()),
            "{file}"
        );
    }
}

#[test]
fn csv_and_engine_only_output() {
    let out = parse(
        &["--format", "csv", "--no-enrichment"],
        "deposit_dialect_b.json",
    );
    assert!(out.status.success());
    let csv = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 5, "{csv}");
    // Oldest first although the FIP sent newest first.
    assert!(lines[1].contains("UPI/CR/501234"), "{csv}");
    assert!(lines[4].contains("SALARY JAN 2025"), "{csv}");
}

#[test]
fn aa_error_codes() {
    let error_code = |out: &Output| {
        let doc: Value = serde_json::from_slice(&out.stdout).expect("json error");
        doc["error"]["code"].as_str().unwrap_or_default().to_owned()
    };
    let out = parse(&[], "deposit_no_transactions.xml");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(error_code(&out), "NO_TRANSACTIONS_FROM_AA");

    let out = parse(&["--bank", "sbi"], "deposit_sample.xml");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(error_code(&out), "BANK_NAME_MISMATCH");

    let broken = std::env::temp_dir().join(format!("ledgerlens-aa-{}.json", std::process::id()));
    std::fs::write(&broken, r#"{"account": {"type": "term_deposit"}}"#).expect("write");
    let out = Command::new(BIN)
        .arg("parse")
        .arg(&broken)
        .output()
        .expect("run");
    let _ = std::fs::remove_file(&broken);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(error_code(&out), "INVALID_FILE_OBJECT");
}
