//! `ledgerlens parse` analyses one statement offline: the engine's output plus the enrichment
//! sections in the Insights `data` shape, and a category column in CSV.

use serde_json::Value;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_ledgerlens");

fn fixture_file(seed: u64) -> (std::path::PathBuf, ledgerlens_fixtures::StatementTruth) {
    let (pdf, truth) = ledgerlens_fixtures::generate("hdfc_classic", seed).expect("fixture");
    let path = std::env::temp_dir().join(format!(
        "ledgerlens-parse-{}-{seed}.pdf",
        std::process::id()
    ));
    std::fs::write(&path, pdf).expect("write fixture");
    (path, truth)
}

#[test]
fn json_output_carries_enrichment_sections() {
    let (path, truth) = fixture_file(3);
    let out = Command::new(BIN)
        .args(["parse", "--name", "SOMEONE ELSE"])
        .arg(&path)
        .output()
        .expect("run");
    let _ = std::fs::remove_file(&path);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).expect("json");
    let data = &doc["accounts"][0]["data"];
    for section in [
        "account_details",
        "fraud",
        "fraud_details",
        "transactions",
        "salary_transactions",
        "recurring_transactions",
        "lender_transactions",
        "top_credits_debits",
        "expense_categories",
        "self_and_sister_transactions",
        "bounced_or_penal_transactions",
        "monthly_analysis",
        "predictors",
        "eod_balances",
        "score",
        "salary_confidence",
        // Engine-only evidence stays.
        "reconciliation",
        "statement_metadata",
    ] {
        assert!(data.get(section).is_some(), "missing {section}");
    }
    assert_same_shape_as_the_service(&doc);
    let transactions = data["transactions"].as_array().expect("transactions");
    assert_eq!(transactions.len(), truth.transactions.len());
    assert!(transactions
        .iter()
        .all(|t| t["category"].is_string() && t["metadata"]["transaction_channel"].is_string()));
    assert!(data["eod_balances"]["Months_order"]
        .as_array()
        .is_some_and(|m| !m.is_empty()));
    assert_eq!(data["reconciliation"]["reconciled"], true);
    // Holder details the statement prints reach the identity predictors.
    let identity = &truth.identity;
    let predictors = &data["predictors"];
    let dob = identity.dob.map(|d| d.format("%Y-%m-%d").to_string());
    assert!(dob.is_some(), "hdfc_classic prints a date of birth");
    assert_eq!(predictors["dob"].as_str().map(str::to_owned), dob);
    assert_eq!(
        predictors["account_status"].as_str(),
        identity.account_status.as_deref()
    );
    assert_eq!(
        predictors["holder_type"].as_str(),
        identity.holder_type.as_deref()
    );
    assert_eq!(
        predictors["accountnumber"].as_str(),
        Some(identity.account_number.as_str())
    );
}

/// The offline document is the one the service answers for a one-statement session
/// (ledgerlens-contract assembles both): the same top-level keys and `data` order, and the
/// session aggregate, which for one account is that account's monthly analysis.
fn assert_same_shape_as_the_service(doc: &Value) {
    let keys = |v: &Value| -> Vec<String> {
        v.as_object()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    };
    assert_eq!(
        keys(doc),
        [
            "session_id",
            "link_id",
            "session_date_range",
            "accounts",
            "aggregate_monthly_analysis"
        ]
    );
    let data = &doc["accounts"][0]["data"];
    assert_eq!(
        keys(data)[..9],
        [
            "account_details",
            "fraud",
            "fraud_details",
            "transactions",
            "salary_transactions",
            "recurring_transactions",
            "lender_transactions",
            "top_credits_debits",
            "statement_stats"
        ]
    );
    assert!(data["monthly_analysis"]
        .as_object()
        .is_some_and(|m| !m.is_empty()));
    assert_eq!(doc["aggregate_monthly_analysis"], data["monthly_analysis"]);
    let stats = &data["statement_stats"][0];
    assert_eq!(
        stats["transaction_count"].as_u64(),
        data["transactions"].as_array().map(|t| t.len() as u64)
    );
    assert_eq!(stats["source"], "PDF");
    assert_eq!(
        keys(&data["account_details"])[..3],
        ["name", "address", "metadata_analysis"]
    );
}

#[test]
fn csv_output_has_a_category_column() {
    let (path, truth) = fixture_file(4);
    let out = Command::new(BIN)
        .args(["parse", "--format", "csv"])
        .arg(&path)
        .output()
        .expect("run");
    let _ = std::fs::remove_file(&path);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("date,value_date,transaction_type,amount,balance,chq_num,transaction_note,hash,category,channel,merchant")
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), truth.transactions.len());
    // Narrations may hold quoted commas; the enrichment columns are the last three.
    let tail = |r: &&str| -> Vec<String> { r.rsplitn(4, ',').take(3).map(str::to_owned).collect() };
    assert!(
        rows.iter()
            .all(|r| !tail(r)[2].is_empty() && !tail(r)[1].is_empty()),
        "every row has a category and a channel"
    );
    assert!(
        rows.iter().any(|r| !tail(r)[0].is_empty()),
        "some rows name a merchant"
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).is_empty(),
        "a reconciled statement prints no warning"
    );
}
