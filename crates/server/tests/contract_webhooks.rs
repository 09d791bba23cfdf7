//! Webhook payloads as the docs show them: the legacy entity notification of webhook.md
//! ({entity_id, statement_id, link_id, progress, reason}, manual uploads only with
//! `webhook_mode` 1) and the session flow's upload completion notification (upload-status.md).

mod common;
mod contract_support;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use common::{fixture, Db, Harness};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::Duration;

type Received = Arc<Mutex<Vec<Value>>>;

async fn receiver() -> (String, Received) {
    let received: Received = Arc::default();
    let app = axum::Router::new()
        .route(
            "/hook",
            post(
                |State(r): State<Received>, body: axum::Json<Value>| async move {
                    r.lock().expect("lock").push(body.0);
                    StatusCode::OK
                },
            ),
        )
        .with_state(received.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{addr}/hook"), received)
}

/// The docs' sample of a webhook (the first ```json block of `file` holding `marker`).
fn documented(file: &str, marker: &str) -> Option<Value> {
    let spec = contract_support::spec_dir()?;
    let text = std::fs::read_to_string(spec.join(file)).ok()?;
    contract_support::json_blocks(&text)
        .into_iter()
        .find(|(_, block)| block.contains(marker))
        .and_then(|(_, block)| contract_support::lenient_json(&block))
}

/// A received payload against its documented sample: every documented key path present, with
/// the sample's JSON types, string formats (timestamps) and key order.
fn matches_sample(name: &str, file: &str, marker: &str, payload: &Value) {
    let Some(sample) = documented(file, marker) else {
        eprintln!("spec not found; {name} not compared");
        return;
    };
    let report = contract_support::compare(name, &sample, payload);
    report.print();
    let problems: Vec<&String> = report
        .missing
        .iter()
        .chain(&report.type_mismatches)
        .chain(&report.format_mismatches)
        .chain(&report.order_mismatches)
        .collect();
    assert!(
        problems.is_empty(),
        "{name} differs from {file}: {problems:?}"
    );
}

async fn wait_for(received: &Received, event: impl Fn(&Value) -> bool) -> Value {
    for _ in 0..600 {
        if let Some(found) = received.lock().expect("lock").iter().find(|p| event(p)) {
            return found.clone();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "no such webhook arrived: {:?}",
        received.lock().expect("lock")
    );
}

async fn webhooks(db: Db) {
    if db == Db::Postgres && !common::postgres_reachable().await {
        eprintln!("PostgreSQL not reachable on 127.0.0.1:5432; skipping");
        return;
    }
    let mut config = common::config(db, common::temp_dir());
    // The receiver is on loopback.
    config.webhook_allow_private = true;
    let h = Harness::start_with(config).await;
    let t = h.tenant("lender").await;
    let (url, received) = receiver().await;
    let (status, body) = h
        .post(
            &t,
            "entity/update_webhook/",
            json!({"webhook_url": url, "webhook_mode": 1}),
        )
        .await;
    assert_eq!(status, 200, "{body}");

    // Legacy: an entity upload, processed at once, notifies with webhook.md's payload.
    let r = h
        .http
        .post(h.url("entity/"))
        .header("x-api-key", &t.api_key)
        .json(&json!({"link_id": "hooked"}))
        .send()
        .await
        .expect("send");
    let entity: Value = r.json().await.expect("json");
    let entity_id = entity["entity_id"].as_str().expect("entity id").to_owned();
    let (pdf, truth) = fixture("hdfc_classic", 61);
    let form = reqwest::multipart::Form::new()
        .part(
            "file",
            reqwest::multipart::Part::bytes(pdf.clone())
                .file_name("statement.pdf")
                .mime_str("application/pdf")
                .expect("mime"),
        )
        .text("bank_name", truth.bank.clone())
        .text("entity_id", entity_id.clone());
    let r = h
        .http
        .post(h.url("statement/upload/"))
        .header("x-api-key", &t.api_key)
        .multipart(form)
        .send()
        .await
        .expect("send");
    assert_eq!(r.status().as_u16(), 200);
    let uploaded: Value = r.json().await.expect("json");
    let payload = wait_for(&received, |p| p["entity_id"] == entity_id.as_str()).await;
    assert_eq!(
        payload,
        json!({
            "entity_id": entity_id,
            "statement_id": uploaded["statement_id"],
            "link_id": "hooked",
            "progress": "completed",
            "reason": "",
        })
    );
    let keys: Vec<&String> = payload
        .as_object()
        .map(|o| o.keys().collect())
        .unwrap_or_default();
    assert_eq!(
        keys,
        ["entity_id", "statement_id", "link_id", "progress", "reason"],
        "webhook.md's key order"
    );
    matches_sample(
        "entity webhook",
        "finbox-docs/session-flow/webhook.md",
        "unique_entity_id",
        &payload,
    );

    // Session flow: the upload completion notification of upload-status.md.
    let sid = h
        .session_for(&t, truth.identity.from_date, truth.identity.to_date)
        .await;
    assert_eq!(h.upload(&t, &sid, &truth.bank, pdf, "").await.0, 200);
    let (status, _) = h
        .post(
            &t,
            &format!("session_data/{sid}/initiate_processing/"),
            json!({}),
        )
        .await;
    assert_eq!(status, 202);
    let completion = wait_for(&received, |p| {
        p["event_name"] == "SESSION_REQUIREMENT_COMPLETION_NOTIFICATION"
            && p["session_id"] == sid.as_str()
    })
    .await;
    let keys: Vec<&String> = completion
        .as_object()
        .map(|o| o.keys().collect())
        .unwrap_or_default();
    assert_eq!(
        keys,
        [
            "session_id",
            "event_name",
            "message",
            "accounts",
            "session_date_range"
        ]
    );
    assert_eq!(completion["message"], "Upload Completed");
    let statement = &completion["accounts"][0]["statements"][0];
    assert_eq!(statement["statement_status"], "completed", "{completion}");
    // Its statements' created_at in the sample's "… 06:48:43.660968+00:00" form.
    matches_sample(
        "SESSION_REQUIREMENT_COMPLETION_NOTIFICATION",
        "finbox-docs/session-flow/upload-status.md",
        "SESSION_REQUIREMENT_COMPLETION_NOTIFICATION",
        &completion,
    );
    // Then ENRICHMENT_NOTIFICATION, in processing-status.md's key order (event_name last; the
    // account's status after its error fields).
    let enrichment = wait_for(&received, |p| {
        p["event_name"] == "ENRICHMENT_NOTIFICATION" && p["session_id"] == sid.as_str()
    })
    .await;
    let keys: Vec<&String> = enrichment
        .as_object()
        .map(|o| o.keys().collect())
        .unwrap_or_default();
    assert_eq!(
        keys,
        ["session_id", "insights_available", "accounts", "event_name"],
        "{enrichment}"
    );
    let account_keys: Vec<&String> = enrichment["accounts"][0]
        .as_object()
        .map(|o| o.keys().collect())
        .unwrap_or_default();
    assert_eq!(
        account_keys,
        [
            "name",
            "account_category",
            "account_id",
            "bank_name",
            "error_code",
            "error_message",
            "account_status",
            "attempt_types"
        ],
        "{enrichment}"
    );
    assert_eq!(enrichment["accounts"][0]["account_status"], "completed");
    // A completed account's error_code/error_message are null, not "": seed 001's success
    // payload writes null and processing-status.md's text says so ("In case of successful
    // completion, the message will be null"); only that page's sample shows "" (seeds win).
    assert_eq!(enrichment["accounts"][0]["error_code"], Value::Null);
    matches_sample(
        "ENRICHMENT_NOTIFICATION",
        "finbox-docs/session-flow/processing-status.md",
        "ENRICHMENT_NOTIFICATION",
        &enrichment,
    );
    assert_eq!(enrichment["accounts"][0]["error_message"], Value::Null);

    // A session whose time runs out before processing is requested: SESSION_EXPIRY_NOTIFICATION.
    let (status, created) = h
        .create_session(&t, json!({"link_id": "late", "session_expiry": 5}))
        .await;
    assert_eq!(status, 200, "{created}");
    let late = created["session_id"]
        .as_str()
        .expect("session id")
        .to_owned();
    expire_now(&h, db, &late).await;
    let expiry = wait_for(&received, |p| {
        p["event_name"] == "SESSION_EXPIRY_NOTIFICATION" && p["session_id"] == late.as_str()
    })
    .await;
    let keys: Vec<&String> = expiry
        .as_object()
        .map(|o| o.keys().collect())
        .unwrap_or_default();
    assert_eq!(
        keys,
        [
            "session_id",
            "event_name",
            "message",
            "accounts",
            "session_date_range"
        ]
    );
    // Announced once, however often the workers look.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let announced = received
        .lock()
        .expect("lock")
        .iter()
        .filter(|p| p["session_id"] == late.as_str())
        .count();
    assert_eq!(announced, 1);
    h.stop().await;
}

/// Moves a session's expiry into the past, as time would.
async fn expire_now(h: &Harness, db: Db, session_id: &str) {
    use sqlx::Connection;
    // A second ago: expiries of the last day are announced.
    let past = chrono::Utc::now().timestamp_millis() - 1000;
    match db {
        Db::Sqlite => {
            let url = format!("sqlite://{}", h.dir.join("ledgerlens.sqlite3").display());
            let mut conn = sqlx::SqliteConnection::connect(&url).await.expect("sqlite");
            sqlx::query("UPDATE sessions SET expires_at = ? WHERE id = ?")
                .bind(past)
                .bind(session_id)
                .execute(&mut conn)
                .await
                .expect("update");
        }
        Db::Postgres => {
            let schema = h.server.state.config.pg_schema.clone().expect("schema");
            let mut conn = sqlx::PgConnection::connect(&common::pg_url())
                .await
                .expect("pg");
            sqlx::query(&format!(
                "UPDATE \"{schema}\".sessions SET expires_at = $1 WHERE id = $2"
            ))
            .bind(past)
            .bind(session_id)
            .execute(&mut conn)
            .await
            .expect("update");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhooks_sqlite() {
    webhooks(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhooks_postgres() {
    webhooks(Db::Postgres).await;
}
