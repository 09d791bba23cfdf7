//! Webhook URLs follow the file_url address policy: loopback, private, link-local and metadata
//! addresses are refused at registration (documented INVALID_REQUEST) and again at delivery,
//! on the resolved address and on every redirect, unless `webhook_allow_private` (or
//! `file_url_allow_private`) is set.

mod common;

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{any, post};
use common::{config, fixture, temp_dir, Db, Harness};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// A loopback receiver: `/hook` counts calls; `/to-ip` and `/to-name` redirect (307) to it by
/// IP literal and by `localhost`.
async fn receiver() -> (u16, Arc<AtomicUsize>) {
    let hits = Arc::new(AtomicUsize::new(0));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let app = axum::Router::new()
        .route(
            "/hook",
            post(|State(hits): State<Arc<AtomicUsize>>| async move {
                hits.fetch_add(1, Ordering::SeqCst);
                StatusCode::OK
            }),
        )
        .route(
            "/to-ip",
            any(move || async move {
                let to = format!("http://127.0.0.1:{port}/hook");
                (StatusCode::TEMPORARY_REDIRECT, [(header::LOCATION, to)]).into_response()
            }),
        )
        .route(
            "/to-name",
            any(move || async move {
                let to = format!("http://localhost:{port}/hook");
                (StatusCode::TEMPORARY_REDIRECT, [(header::LOCATION, to)]).into_response()
            }),
        )
        .with_state(hits.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (port, hits)
}

fn refused_urls(port: u16) -> Vec<String> {
    vec![
        format!("http://127.0.0.1:{port}/hook"),
        format!("http://[::1]:{port}/hook"),
        format!("http://127.1:{port}/hook"),
        format!("http://[::ffff:127.0.0.1]:{port}/hook"),
        "http://169.254.169.254/latest/meta-data/".to_owned(),
        "http://10.0.0.1/hook".to_owned(),
        "http://192.168.1.10/hook".to_owned(),
        "http://[fd00::1]/hook".to_owned(),
        // A host name that resolves to loopback only.
        format!("http://localhost:{port}/hook"),
    ]
}

async fn register(h: &Harness, t: &common::Tenant, url: &str) -> (u16, Value) {
    h.post(
        t,
        "session_data/update_webhook/",
        json!({"webhook_url": url, "webhook_mode": 1, "secret": "s3cret"}),
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registration_refuses_private_addresses_unless_allowed() {
    let (port, hits) = receiver().await;
    let h = Harness::start(Db::Sqlite).await;
    let t = h.tenant("lender").await;
    for url in refused_urls(port) {
        let (status, body) = register(&h, &t, &url).await;
        assert_eq!(
            (status, &body),
            (
                400,
                &json!({"error": {"code": "INVALID_REQUEST", "message": "webhook_url, The URL must resolve to a public address."}})
            ),
            "{url}"
        );
    }
    let client = h
        .server
        .state
        .store
        .client_by_api_key(&t.api_key)
        .await
        .expect("client")
        .expect("exists");
    assert_eq!(client.webhook_url, None, "nothing was registered");
    h.stop().await;

    for (webhook, file_url) in [(true, false), (false, true)] {
        let mut c = config(Db::Sqlite, temp_dir());
        c.webhook_allow_private = webhook;
        c.file_url_allow_private = file_url;
        let h = Harness::start_with(c).await;
        let t = h.tenant("lender").await;
        for url in refused_urls(port) {
            let (status, body) = register(&h, &t, &url).await;
            assert_eq!(
                (status, &body),
                (200, &json!({"message": "success"})),
                "{url}"
            );
        }
        h.stop().await;
    }
    assert_eq!(hits.load(Ordering::SeqCst), 0, "registration sends nothing");
}

/// Processes one statement so the session's ENRICHMENT_NOTIFICATION is queued; returns the
/// session id.
async fn process_one(h: &Harness, t: &common::Tenant, seed: u64) -> String {
    let (pdf, truth) = fixture("hdfc_classic", seed);
    let sid = h
        .session_for(t, truth.identity.from_date, truth.identity.to_date)
        .await;
    assert_eq!(h.upload(t, &sid, &truth.bank, pdf, "").await.0, 200);
    let path = format!("session_data/{sid}/initiate_processing/");
    assert_eq!(h.post(t, &path, json!({})).await.0, 202);
    h.wait_processed(t, &sid).await;
    sid
}

/// Waits (bounded) for the session's first webhook attempt: its status and error.
async fn first_attempt(h: &Harness, sid: &str) -> (Option<i64>, Option<String>) {
    let store = &h.server.state.store;
    for _ in 0..200 {
        let outbox = store.session_webhooks(sid).await.expect("outbox");
        if let Some(row) = outbox.first() {
            let attempts = store.webhook_attempts(&row.id).await.expect("attempts");
            if let Some(first) = attempts.first() {
                return (first.status_code, first.error.clone());
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no webhook attempt recorded for {sid}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delivery_refuses_private_addresses_stored_earlier() {
    let (port, hits) = receiver().await;
    let h = Harness::start(Db::Sqlite).await;
    let t = h.tenant("lender").await;
    let store = &h.server.state.store;
    let client = store
        .client_by_api_key(&t.api_key)
        .await
        .expect("client")
        .expect("exists");
    // Stored directly, as a URL registered before the policy (or whose host's DNS answer has
    // changed since) would be.
    for (seed, url) in [
        (41, format!("http://127.0.0.1:{port}/hook")),
        (42, format!("http://localhost:{port}/hook")),
        (43, format!("http://[::1]:{port}/hook")),
    ] {
        store
            .set_webhook(&client.id, &url, 1, Some("s3cret"))
            .await
            .expect("set webhook");
        let sid = process_one(&h, &t, seed).await;
        let (status, error) = first_attempt(&h, &sid).await;
        assert_eq!(status, None, "{url}: no receiver answered");
        let error = error.expect("an error");
        assert!(
            error.contains("refused") || error.contains("error sending request"),
            "{url}: {error}"
        );
    }
    assert_eq!(
        hits.load(Ordering::SeqCst),
        0,
        "no webhook reached loopback"
    );
    h.stop().await;

    // The same delivery with the setting on reaches the receiver: the refusal above is the
    // policy, not a broken receiver.
    let mut c = config(Db::Sqlite, temp_dir());
    c.webhook_allow_private = true;
    let h = Harness::start_with(c).await;
    let t = h.tenant("lender").await;
    let (status, _) = register(&h, &t, &format!("http://localhost:{port}/hook")).await;
    assert_eq!(status, 200);
    let sid = process_one(&h, &t, 44).await;
    assert_eq!(first_attempt(&h, &sid).await, (Some(200), None));
    // Two notifications per session (upload completion, then enrichment): both delivered.
    for _ in 0..200 {
        let rows = h
            .server
            .state
            .store
            .session_webhooks(&sid)
            .await
            .expect("outbox");
        if rows.len() == 2 && rows.iter().all(|r| r.state == "delivered") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(hits.load(Ordering::SeqCst), 2);
    // Delivered: the payload (the holder's name) and the secret are not kept.
    let db = sqlx::SqlitePool::connect(&format!(
        "sqlite://{}",
        h.dir.join("ledgerlens.sqlite3").display()
    ))
    .await
    .expect("open the database");
    let rows: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT payload, secret FROM webhook_outbox WHERE session_id = ?")
            .bind(&sid)
            .fetch_all(&db)
            .await
            .expect("outbox rows");
    assert_eq!(rows.len(), 2);
    for (payload, secret) in rows {
        assert_eq!((payload.as_str(), secret), ("{}", None));
    }
    db.close().await;
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redirects_to_private_addresses_are_refused() {
    let (port, hits) = receiver().await;
    // The delivery client; its first hop (an IP literal) is the caller's to check, so a
    // loopback first hop stands in for a public receiver that redirects.
    let client = ledgerlens_processing::outbound::guarded_client(false, Duration::from_secs(10))
        .build()
        .expect("client");
    for path in ["to-ip", "to-name"] {
        let sent = client
            .post(format!("http://127.0.0.1:{port}/{path}"))
            .body("{}")
            .send()
            .await;
        assert!(sent.is_err(), "{path}: the redirect must be refused");
    }
    assert_eq!(hits.load(Ordering::SeqCst), 0);
    let allowed = ledgerlens_processing::outbound::guarded_client(true, Duration::from_secs(10))
        .build()
        .expect("client");
    for path in ["to-ip", "to-name"] {
        let sent = allowed
            .post(format!("http://127.0.0.1:{port}/{path}"))
            .body("{}")
            .send()
            .await
            .expect("followed when allowed");
        assert_eq!(sent.status().as_u16(), 200);
    }
    assert_eq!(hits.load(Ordering::SeqCst), 2);
}
