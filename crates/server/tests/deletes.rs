//! Deletes that delete: a session deleted while its statement is being processed gets no
//! results afterwards (every job writer checks the tombstone inside its transaction), its
//! notifications are dropped from the outbox, and on SQLite the deleted account numbers and
//! holder names are gone from the raw database files (secure_delete, WAL checkpoint).

mod common;

use axum::routing::post;
use common::{config, fixture, temp_dir, Db, Harness};
use serde_json::json;
use std::path::Path;
use std::time::Duration;

const ROUNDS: u64 = 8;

fn raw_contains(dir: &Path, needle: &str) -> Vec<String> {
    ["ledgerlens.sqlite3", "ledgerlens.sqlite3-wal"]
        .iter()
        .filter(|name| {
            std::fs::read(dir.join(name))
                .map(|bytes| bytes.windows(needle.len()).any(|w| w == needle.as_bytes()))
                .unwrap_or(false)
        })
        .map(|name| (*name).to_owned())
        .collect()
}

async fn races(db: Db) {
    if db == Db::Postgres && !common::postgres_reachable().await {
        eprintln!("PostgreSQL not reachable; skipping");
        return;
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let hook = format!("http://{}/hook", listener.local_addr().expect("addr"));
    // A receiver that never answers in time keeps notifications retrying in the outbox.
    let app = axum::Router::new().route(
        "/hook",
        post(|| async {
            tokio::time::sleep(Duration::from_secs(30)).await;
            "late"
        }),
    );
    tokio::spawn(async move { axum::serve(listener, app).await });

    let mut c = config(db, temp_dir());
    // The job holds its results this long before writing them: deletes land in between.
    c.fault_job_delay = Duration::from_millis(300);
    c.webhook_allow_private = true;
    c.webhook_timeout = Duration::from_millis(200);
    let h = Harness::start_with(c).await;
    let t = h.tenant("lender").await;
    let (status, _) = h
        .post(
            &t,
            "session_data/update_webhook/",
            json!({"webhook_url": hook, "webhook_mode": 1}),
        )
        .await;
    assert_eq!(status, 200);

    let mut deleted = Vec::new();
    for round in 0..ROUNDS {
        let (pdf, truth) = fixture("hdfc_classic", 900 + round);
        let sid = h
            .session_for(&t, truth.identity.from_date, truth.identity.to_date)
            .await;
        assert_eq!(h.upload(&t, &sid, &truth.bank, pdf, "").await.0, 200);
        let path = format!("session_data/{sid}/initiate_processing/");
        assert_eq!(h.post(&t, &path, json!({})).await.0, 202);
        // Before, during and after the job's write.
        tokio::time::sleep(Duration::from_millis(round * 120)).await;
        let r = h
            .http
            .delete(h.url(&format!("session_data/{sid}/delete/")))
            .header("x-api-key", &t.api_key)
            .header("server-hash", &t.server_hash)
            .send()
            .await
            .expect("send");
        let status = r.status().as_u16();
        assert_eq!(status, 200, "{}", r.text().await.unwrap_or_default());
        deleted.push((
            sid,
            truth.identity.account_number.clone(),
            truth.identity.name.clone(),
        ));
    }
    // Every job has run (or been skipped) by now: their delay is 0.3 s, retries 0.1 s apart.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let store = &h.server.state.store;
    for (sid, _, _) in &deleted {
        assert!(
            store
                .statement_results(sid)
                .await
                .expect("results")
                .is_empty(),
            "{sid}: statement results after delete"
        );
        assert!(
            store
                .session_webhooks(sid)
                .await
                .expect("outbox")
                .is_empty(),
            "{sid}: outbox rows after delete"
        );
        let (status, body) = h.get(&t, &format!("session_data/{sid}/insights/")).await;
        assert_eq!(status, 410, "{body}");
    }
    if db == Db::Sqlite {
        // A later delete flushes the WAL too; one more makes sure the last round's is flushed.
        for (sid, number, name) in &deleted {
            let found = raw_contains(&h.dir, number);
            assert!(
                found.is_empty(),
                "{sid}: account number {number} in {found:?}"
            );
            let found = raw_contains(&h.dir, name);
            assert!(found.is_empty(), "{sid}: holder name in {found:?}");
        }
    }
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deletes_racing_processing_leave_nothing_sqlite() {
    races(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deletes_racing_processing_leave_nothing_postgres() {
    races(Db::Postgres).await;
}

async fn no_statement_in_a_deleted_session(db: Db) {
    if db == Db::Postgres && !common::postgres_reachable().await {
        return;
    }
    let h = Harness::start(db).await;
    let t = h.tenant("lender").await;
    let (_, truth) = fixture("hdfc_classic", 950);
    let sid = h
        .session_for(&t, truth.identity.from_date, truth.identity.to_date)
        .await;
    let store = &h.server.state.store;
    let client = store
        .client_by_api_key(&t.api_key)
        .await
        .expect("client")
        .expect("active");
    assert!(store
        .delete_session(&client.id, &sid)
        .await
        .expect("delete"));
    // What an upload that passed its checks just before the delete would write.
    let statement = ledgerlens_store::statements::NewStatement {
        id: uuid::Uuid::new_v4().to_string(),
        client_id: client.id.clone(),
        session_id: sid.clone(),
        content_sha256: "0".repeat(64),
        accepted: true,
        object_key: Some(format!("{}/{sid}/late.pdf", client.id)),
        file_name: None,
        bank_name: Some("hdfc".into()),
        pdf_password: None,
        source: "pdf".into(),
        account_id: None,
        account_number: Some(truth.identity.account_number.clone()),
        identity: None,
        page_count: None,
        from_date: None,
        to_date: None,
        error_code: None,
        error_message: None,
        parse: None,
    };
    let refused = store.insert_statement(&statement, None).await;
    assert!(
        matches!(refused, Err(ledgerlens_store::StoreError::SessionDeleted)),
        "{refused:?}"
    );
    assert!(store.statements(&sid).await.expect("rows").is_empty());
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_statement_lands_in_a_deleted_session_sqlite() {
    no_statement_in_a_deleted_session(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_statement_lands_in_a_deleted_session_postgres() {
    no_statement_in_a_deleted_session(Db::Postgres).await;
}
