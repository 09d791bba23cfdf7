//! Webhook delivery through the outbox (with a failing first attempt) and concurrent uploads.

mod common;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use common::{fixture, Db, Harness};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::Duration;

type Received = Arc<Mutex<Vec<(Option<String>, Value)>>>;

/// A local receiver that fails its first call, then accepts.
async fn receiver() -> (String, Received) {
    let received: Received = Arc::default();
    let app = axum::Router::new()
        .route(
            "/hook",
            post(|State(r): State<Received>, headers: HeaderMap, body: axum::Json<Value>| async move {
                let mut calls = r.lock().expect("lock");
                let secret = headers.get("x-secret-key").and_then(|v| v.to_str().ok()).map(str::to_owned);
                calls.push((secret, body.0));
                if calls.len() == 1 {
                    StatusCode::INTERNAL_SERVER_ERROR
                } else {
                    StatusCode::OK
                }
            }),
        )
        .with_state(received.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{addr}/hook"), received)
}

async fn webhook_delivery(db: Db) {
    if db == Db::Postgres && !common::postgres_reachable().await {
        return;
    }
    // The receiver is on loopback, which webhooks may reach only when allowed.
    let mut config = common::config(db, common::temp_dir());
    config.webhook_allow_private = true;
    let h = Harness::start_with(config).await;
    let t = h.tenant("lender").await;
    let (url, received) = receiver().await;
    let (status, body) = h
        .post(
            &t,
            "session_data/update_webhook/",
            json!({"webhook_url": url, "webhook_mode": 3, "secret": "s3cret"}),
        )
        .await;
    assert_eq!((status, &body), (200, &json!({"message": "success"})));
    let (pdf, truth) = fixture("hdfc_classic", 31);
    let sid = h
        .session_for(&t, truth.identity.from_date, truth.identity.to_date)
        .await;
    assert_eq!(h.upload(&t, &sid, &truth.bank, pdf, "").await.0, 200);
    assert_eq!(
        h.post(
            &t,
            &format!("session_data/{sid}/initiate_processing/"),
            json!({})
        )
        .await
        .0,
        202
    );
    h.wait_processed(&t, &sid).await;
    // Two notifications (upload-status.md's upload completion, then the enrichment one); the
    // receiver fails its very first call, which is retried: three calls in all.
    for _ in 0..200 {
        if received.lock().expect("lock").len() >= 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let calls = received.lock().expect("lock").clone();
    assert_eq!(calls.len(), 3, "two notifications, one retried: {calls:?}");
    assert!(calls
        .iter()
        .all(|(secret, _)| secret.as_deref() == Some("s3cret")));
    let event = |name: &str| {
        calls
            .iter()
            .rev()
            .find(|(_, p)| p["event_name"] == name)
            .map(|(_, p)| p.clone())
            .unwrap_or_else(|| panic!("no {name}: {calls:?}"))
    };
    let payload = event("ENRICHMENT_NOTIFICATION");
    assert_eq!(payload["session_id"], sid.as_str());
    assert_eq!(payload["accounts"][0]["bank_name"], truth.bank.as_str());
    let completion = event("SESSION_REQUIREMENT_COMPLETION_NOTIFICATION");
    assert_eq!(completion["message"], "Upload Completed");
    assert_eq!(completion["accounts"][0]["bank_name"], truth.bank.as_str());
    let store = &h.server.state.store;
    let outbox = store.session_webhooks(&sid).await.expect("outbox");
    assert_eq!(outbox.len(), 2);
    for _ in 0..100 {
        let rows = store.session_webhooks(&sid).await.expect("outbox");
        if rows.iter().all(|r| r.state == "delivered") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let mut statuses = Vec::new();
    for row in &outbox {
        let attempts = store.webhook_attempts(&row.id).await.expect("attempts");
        statuses.push(attempts.iter().map(|a| a.status_code).collect::<Vec<_>>());
    }
    statuses.sort();
    assert_eq!(statuses, vec![vec![Some(200)], vec![Some(500), Some(200)]]);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhook_delivery_sqlite() {
    webhook_delivery(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhook_delivery_postgres() {
    webhook_delivery(Db::Postgres).await;
}

async fn concurrent_uploads(db: Db) {
    if db == Db::Postgres && !common::postgres_reachable().await {
        return;
    }
    let h = Arc::new(Harness::start(db).await);
    let t = Arc::new(h.tenant("lender").await);
    const UPLOADS: u64 = 50;
    let mut tasks = tokio::task::JoinSet::new();
    for seed in 0..UPLOADS {
        let (h, t) = (h.clone(), t.clone());
        tasks.spawn(async move {
            let (pdf, truth) = fixture("hdfc_classic", 1000 + seed);
            let sid = h
                .session_for(&t, truth.identity.from_date, truth.identity.to_date)
                .await;
            let (status, body) = h.upload(&t, &sid, &truth.bank, pdf, "").await;
            assert_eq!(status, 200, "{body}");
            assert_eq!(
                h.post(
                    &t,
                    &format!("session_data/{sid}/initiate_processing/"),
                    json!({})
                )
                .await
                .0,
                202
            );
            (sid, truth.transactions.len())
        });
    }
    let mut sessions = Vec::new();
    while let Some(done) = tasks.join_next().await {
        sessions.push(done.expect("upload task"));
    }
    assert_eq!(sessions.len() as u64, UPLOADS);
    for (sid, expected) in &sessions {
        h.wait_processed(&t, sid).await;
        let (status, body) = h
            .get(&t, &format!("session_data/{sid}/transactions/"))
            .await;
        assert_eq!(status, 200);
        assert_eq!(
            body["accounts"][0]["transactions"].as_array().map(Vec::len),
            Some(*expected),
            "session {sid}"
        );
    }
    if let Ok(h) = Arc::try_unwrap(h) {
        h.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_concurrent_uploads_sqlite() {
    concurrent_uploads(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_concurrent_uploads_postgres() {
    concurrent_uploads(Db::Postgres).await;
}
