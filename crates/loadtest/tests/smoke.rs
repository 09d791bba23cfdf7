//! The harness end to end, briefly: one `serve`, one `worker` (the debug build of the real
//! binary), SQLite, a few seconds of small statements; the run must finish without errors and
//! with every webhook delivered once. Real measurements use the release build (README).

use std::path::PathBuf;
use std::process::Command;

/// The `ledgerlens` binary of this build, next to the harness's own.
fn ledgerlens_bin() -> PathBuf {
    let harness = PathBuf::from(env!("CARGO_BIN_EXE_ledgerlens-load"));
    let bin = harness.with_file_name("ledgerlens");
    if !bin.exists() {
        let built = Command::new(env!("CARGO"))
            .args(["build", "-p", "ledgerlens", "--bin", "ledgerlens"])
            .status()
            .expect("cargo build");
        assert!(built.success(), "building ledgerlens");
    }
    bin
}

#[test]
fn a_short_run_completes_sessions_and_delivers_each_webhook_once() {
    let report_path =
        std::env::temp_dir().join(format!("ledgerlens-load-smoke-{}.json", std::process::id()));
    let logs =
        std::env::temp_dir().join(format!("ledgerlens-load-smoke-logs-{}", std::process::id()));
    let out = Command::new(env!("CARGO_BIN_EXE_ledgerlens-load"))
        .arg("--bin")
        .arg(ledgerlens_bin())
        .args([
            "--duration",
            "4",
            "--concurrency",
            "2",
            "--sizes",
            "small",
            "--layouts",
            "2",
        ])
        .arg("--log-dir")
        .arg(&logs)
        .arg("--json")
        .arg(&report_path)
        .output()
        .expect("run the harness");
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&report_path).expect("report")).expect("JSON");
    let completed = report["sessions"]["completed"].as_u64().unwrap_or(0);
    assert!(completed >= 1, "{report}");
    assert_eq!(
        report["sessions"]["started"].as_u64(),
        Some(completed),
        "{report}"
    );
    assert_eq!(
        report["webhooks"]["sessions_checked"].as_u64(),
        Some(completed)
    );
    assert_eq!(report["webhooks"]["not_exactly_once"].as_u64(), Some(0));
    for step in ["create", "upload", "initiate", "processing", "insights"] {
        assert_eq!(
            report["steps"][step]["n"].as_u64(),
            Some(completed),
            "{step}"
        );
    }
    assert!(
        report["cpu"]["seconds_per_statement"]
            .as_f64()
            .unwrap_or(0.0)
            > 0.0
    );
    let _ = std::fs::remove_file(&report_path);
    let _ = std::fs::remove_dir_all(&logs);
}
