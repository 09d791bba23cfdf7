//! Decompression bombs uploaded at once stay within the parse memory budget: parses beyond its
//! slots wait, and past `parse_queue_wait` answer 503 SERVER_BUSY with Retry-After; the peak
//! memory of the whole process stays under the budget. (Its own test binary: the peak is the
//! process' high-water mark.)

mod common;

use common::{config, temp_dir, Db, Harness};
use ledgerlens_fixtures::pdf::RawPdf;
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;

/// A one-page PDF whose content stream inflates to `inflated` bytes of spaces.
fn bomb(inflated: usize) -> Vec<u8> {
    let compressed = miniz_oxide::deflate::compress_to_vec_zlib(&vec![b' '; inflated], 9);
    RawPdf::one_page("/Filter /FlateDecode", &compressed)
}

/// `VmRSS` or `VmHWM` of this process, in bytes.
fn memory(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("status");
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<u64>().ok())
        .expect("field")
        * 1024
}

const MIB: u64 = 1024 * 1024;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_bombs_stay_within_the_parse_budget() {
    const BOMBS: usize = 8;
    let budget = 700 * MIB;
    let mut c = config(Db::Sqlite, temp_dir());
    c.parse_memory_budget = budget;
    c.parse_memory_per_document = 512 * MIB;
    c.parse_queue_wait = Duration::from_millis(500);
    let h = Arc::new(Harness::start_with(c).await);
    assert_eq!(h.server.state.parse_budget.slot_count, 1);
    let t = Arc::new(h.tenant("lender").await);
    let pdf = bomb(200 * 1024 * 1024);
    assert!(pdf.len() < 512 * 1024, "a small file: {} bytes", pdf.len());
    let mut sessions = Vec::new();
    for _ in 0..BOMBS {
        let from = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).expect("date");
        let to = chrono::NaiveDate::from_ymd_opt(2024, 3, 31).expect("date");
        sessions.push(h.session_for(&t, from, to).await);
    }
    let before = memory("VmRSS:");
    let mut uploads = tokio::task::JoinSet::new();
    for sid in sessions {
        let (h, t, pdf) = (h.clone(), t.clone(), pdf.clone());
        uploads.spawn(async move {
            let form = reqwest::multipart::Form::new()
                .part(
                    "file",
                    reqwest::multipart::Part::bytes(pdf).file_name("bomb.pdf"),
                )
                .text("bank_name", "hdfc")
                .text("session_id", sid);
            let r = h
                .http
                .post(h.url("statement/upload_session/"))
                .header("x-api-key", &t.api_key)
                .multipart(form)
                .send()
                .await
                .expect("send");
            let status = r.status().as_u16();
            let retry = r
                .headers()
                .get("retry-after")
                .map(|v| v.to_str().unwrap_or("").to_owned());
            let body: Value = r.json().await.unwrap_or(Value::Null);
            (status, retry, body)
        });
    }
    let (mut busy, mut parsed) = (0, 0);
    while let Some(done) = uploads.join_next().await {
        let (status, retry, body) = done.expect("upload task");
        match status {
            503 => {
                assert_eq!(body["error"]["code"], "SERVER_BUSY", "{body}");
                assert_eq!(retry.as_deref(), Some("5"));
                busy += 1;
            }
            400 | 413 | 422 => parsed += 1,
            other => panic!("unexpected {other}: {body}"),
        }
    }
    let peak = memory("VmHWM:");
    let grew = peak.saturating_sub(before);
    eprintln!(
        "{parsed} parsed, {busy} refused busy; RSS before {} MiB, peak {} MiB (+{} MiB), budget {} MiB",
        before / MIB,
        peak / MIB,
        grew / MIB,
        budget / MIB
    );
    assert!(busy >= 1, "saturation answers 503");
    assert!(parsed >= 1, "bombs are still read, one at a time");
    assert!(
        grew < budget,
        "peak grew {} MiB, over the {} MiB budget",
        grew / MIB,
        budget / MIB
    );
    if let Ok(h) = Arc::try_unwrap(h) {
        h.stop().await;
    }
}
