//! A full disk under the SQLite database and the stored files: readiness (/readyz) turns 503
//! while writes fail, liveness (/healthz) keeps answering, and once space returns the same
//! process becomes ready again and finishes new and earlier work, without a restart.
//!
//! The disk is a small tmpfs mounted for the test (needs root, as in CI and this project's dev
//! container); where mounting is not allowed the test says so and does nothing.

mod common;

use common::{config, fixture, Db, Harness};
use serde_json::json;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Unmounts (lazily, so a still-open file cannot keep it) when dropped, also on panic.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(size: &str) -> Option<Tmpfs> {
        let dir =
            std::env::temp_dir().join(format!("ledgerlens-full-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).ok()?;
        let mounted = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&dir)
            .status()
            .is_ok_and(|s| s.success());
        if !mounted {
            let _ = std::fs::remove_dir(&dir);
            return None;
        }
        Some(Tmpfs(dir))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(&self.0)
            .status();
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Writes a file until the disk refuses more; returns its path.
fn fill(dir: &Path) -> PathBuf {
    let path = dir.join("filler");
    let mut file = std::fs::File::create(&path).expect("filler");
    let chunk = vec![0_u8; 64 * 1024];
    loop {
        if file.write_all(&chunk).is_err() {
            break;
        }
    }
    // Whatever fits in less than a chunk too.
    for _ in 0..64 * 1024 {
        if file.write_all(&[0_u8; 1]).is_err() {
            break;
        }
    }
    path
}

async fn status(h: &Harness, path: &str) -> u16 {
    match h.http.get(format!("{}{path}", h.base)).send().await {
        Ok(r) => r.status().as_u16(),
        Err(_) => 0,
    }
}

/// Polls `path` until it answers `want` (bounded).
async fn wait_status(h: &Harness, path: &str, want: u16, within: Duration) -> bool {
    let until = Instant::now() + within;
    while Instant::now() < until {
        if status(h, path).await == want {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    false
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_is_not_ready_and_recovers_without_restart() {
    let Some(disk) = Tmpfs::mount("48m") else {
        eprintln!("cannot mount a tmpfs here (not root?); skipping the disk-full test");
        return;
    };
    let data_dir = disk.0.join("data");
    let mut c = config(Db::Sqlite, data_dir);
    // Jobs hold their result this long before writing it: they write into the full disk.
    c.fault_job_delay = Duration::from_millis(1500);
    // Long enough that waiting for a lease to expire would fail the bound below.
    c.job_lease = Duration::from_secs(90);
    let h = Harness::start_with(c).await;
    let t = h.tenant("lender").await;
    assert_eq!(status(&h, "/readyz").await, 200);

    // Uploaded before the disk fills; processed after.
    let (pdf, truth) = fixture("hdfc_classic", 61);
    let early = h
        .session_for(&t, truth.identity.from_date, truth.identity.to_date)
        .await;
    assert_eq!(h.upload(&t, &early, &truth.bank, pdf, "").await.0, 200);

    // Processing when the disk fills: their results are written into the full disk.
    let mut busy = Vec::new();
    for seed in 63..66 {
        let (pdf, truth) = fixture("hdfc_classic", seed);
        let sid = h
            .session_for(&t, truth.identity.from_date, truth.identity.to_date)
            .await;
        assert_eq!(h.upload(&t, &sid, &truth.bank, pdf, "").await.0, 200);
        let path = format!("session_data/{sid}/initiate_processing/");
        assert_eq!(h.post(&t, &path, json!({})).await.0, 202);
        busy.push(sid);
    }
    let filler = fill(&disk.0);
    // Let the held jobs fail against the full disk.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert!(
        wait_status(&h, "/readyz", 503, Duration::from_secs(10)).await,
        "a full disk is reported as not ready"
    );
    assert_eq!(status(&h, "/healthz").await, 200, "still alive");
    // Writes fail with an error, quickly, instead of hanging.
    let (pdf, truth) = fixture("hdfc_classic", 62);
    let (status_during, _) = h
        .create_session(&t, json!({"link_id": "during", "from_date": truth.identity.from_date.format("%d/%m/%Y").to_string(), "to_date": truth.identity.to_date.format("%d/%m/%Y").to_string()}))
        .await;
    let _ = h
        .post(
            &t,
            &format!("session_data/{early}/initiate_processing/"),
            json!({}),
        )
        .await;
    eprintln!("create_session during the full disk: {status_during}");

    std::fs::remove_file(&filler).expect("free the disk");
    let freed = Instant::now();
    assert!(
        wait_status(&h, "/readyz", 200, Duration::from_secs(30)).await,
        "ready again once space returns, without a restart"
    );
    eprintln!("ready {:?} after space returned", freed.elapsed());
    // Earlier work completes (initiated again if the first request failed) and new work runs.
    let (code, body) = h
        .post(
            &t,
            &format!("session_data/{early}/initiate_processing/"),
            json!({}),
        )
        .await;
    assert!(
        code == 202 || (code == 409 && body["error"]["code"] == "DUPLICATE_PROCESSING_REQUEST"),
        "{code} {body}"
    );
    h.wait_processed(&t, &early).await;
    for sid in &busy {
        h.wait_processed(&t, sid).await;
    }
    eprintln!(
        "earlier session processed {:?} after space returned",
        freed.elapsed()
    );
    let fresh = h
        .session_for(&t, truth.identity.from_date, truth.identity.to_date)
        .await;
    assert_eq!(h.upload(&t, &fresh, &truth.bank, pdf, "").await.0, 200);
    let path = format!("session_data/{fresh}/initiate_processing/");
    assert_eq!(h.post(&t, &path, json!({})).await.0, 202);
    h.wait_processed(&t, &fresh).await;
    eprintln!(
        "new session processed {:?} after space returned",
        freed.elapsed()
    );
    // Seconds in practice; a job stuck until its 90 s lease expires would take far longer.
    assert!(
        freed.elapsed() < Duration::from_secs(45),
        "{:?}",
        freed.elapsed()
    );
    h.stop().await;
    drop(disk);
}
