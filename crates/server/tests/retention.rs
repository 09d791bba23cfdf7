//! Retention: sessions older than the configured age are deleted with their files, results and
//! notifications, as an API delete would; younger ones stay.

mod common;

use common::{config, fixture, temp_dir, Db, Harness};
use serde_json::json;
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_past_retention_are_deleted() {
    let retention = Duration::from_secs(3);
    let mut c = config(Db::Sqlite, temp_dir());
    c.retention = Some(retention);
    c.retention_check_interval = Duration::from_millis(200);
    let h = Harness::start_with(c).await;
    let t = h.tenant("lender").await;
    let (pdf, truth) = fixture("hdfc_classic", 71);
    let created = Instant::now();
    let old = h
        .session_for(&t, truth.identity.from_date, truth.identity.to_date)
        .await;
    assert_eq!(h.upload(&t, &old, &truth.bank, pdf, "").await.0, 200);
    let path = format!("session_data/{old}/initiate_processing/");
    assert_eq!(h.post(&t, &path, json!({})).await.0, 202);
    h.wait_processed(&t, &old).await;
    let store = &h.server.state.store;
    let key = store.statements(&old).await.expect("rows")[0]
        .object_key
        .clone()
        .expect("stored file");
    assert!(
        created.elapsed() < retention,
        "processed within the retention (slow machine?)"
    );
    assert_eq!(
        h.get(&t, &format!("session_data/{old}/insights/")).await.0,
        200
    );

    let mut gone = false;
    for _ in 0..150 {
        if h.get(&t, &format!("session_data/{old}/insights/")).await.0 == 410 {
            gone = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(gone, "deleted once older than the retention");
    assert!(created.elapsed() >= retention, "not before");
    assert!(store
        .statement_results(&old)
        .await
        .expect("results")
        .is_empty());
    assert!(store.statements(&old).await.expect("rows")[0]
        .object_key
        .is_none());
    assert!(
        store.objects().get(&key).await.is_err(),
        "the PDF is deleted"
    );

    let young = h
        .session_for(&t, truth.identity.from_date, truth.identity.to_date)
        .await;
    tokio::time::sleep(Duration::from_millis(600)).await;
    let (status, body) = h
        .get(&t, &format!("session_data/{young}/session_status/"))
        .await;
    assert_ne!(status, 410, "a young session stays: {body}");
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn orphaned_files_are_swept() {
    let mut c = config(Db::Sqlite, temp_dir());
    c.orphan_min_age = Duration::from_millis(800);
    c.orphan_sweep_interval = Duration::from_millis(200);
    let h = Harness::start_with(c).await;
    let t = h.tenant("lender").await;
    let store = &h.server.state.store;
    // What a crash between storing a file and recording it leaves.
    let orphan = "client/session/orphan.pdf";
    store
        .objects()
        .put(orphan, bytes::Bytes::from_static(b"%PDF-1.4 orphan"))
        .await
        .expect("put");
    let (pdf, truth) = fixture("hdfc_classic", 72);
    let sid = h
        .session_for(&t, truth.identity.from_date, truth.identity.to_date)
        .await;
    assert_eq!(h.upload(&t, &sid, &truth.bank, pdf, "").await.0, 200);
    let named = store.statements(&sid).await.expect("rows")[0]
        .object_key
        .clone()
        .expect("stored file");
    let mut swept = false;
    for _ in 0..100 {
        if store.objects().get(orphan).await.is_err() {
            swept = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        swept,
        "the orphan is deleted once older than the minimum age"
    );
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert!(
        store.objects().get(&named).await.is_ok(),
        "a file a statement names stays"
    );
    h.stop().await;
}
