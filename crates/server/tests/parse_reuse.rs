//! The processing job reuses the parse the upload stored instead of reading the file again; it
//! falls back to the file when there is no stored parse; deleting a session erases stored parses.
//!
//! The server runs without processing workers so that the files and parses can be tampered with
//! between upload and processing; the test starts the workers on the server's state afterwards.

mod common;

use common::{fixture, Db, Harness, Tenant};
use serde_json::{json, Value};
use tokio::sync::watch;
use tokio::task::JoinSet;

async fn available(db: Db) -> bool {
    if db == Db::Postgres && !common::postgres_reachable().await {
        eprintln!("PostgreSQL not reachable on 127.0.0.1:5432; skipping");
        return false;
    }
    true
}

/// The real server with no processing workers of its own.
async fn start_idle(db: Db) -> Harness {
    let mut config = common::config(db, common::temp_dir());
    config.workers = 0;
    Harness::start_with(config).await
}

/// Processing workers on the harness's state, started on demand.
struct Workers {
    stop: watch::Sender<bool>,
    set: JoinSet<()>,
}

impl Workers {
    fn start(h: &Harness) -> Workers {
        let (stop, shutdown) = watch::channel(false);
        let set = ledgerlens_server::spawn_workers(&h.server.state, 1, shutdown);
        Workers { stop, set }
    }

    async fn stop(mut self) {
        let _ = self.stop.send(true);
        while self.set.join_next().await.is_some() {}
    }
}

/// A fresh session holding the fixture; answers (session id, statement id).
async fn upload(
    h: &Harness,
    t: &Tenant,
    pdf: &[u8],
    truth: &ledgerlens_fixtures::StatementTruth,
) -> (String, String) {
    let sid = h
        .session_for(t, truth.identity.from_date, truth.identity.to_date)
        .await;
    let (status, body) = h.upload(t, &sid, &truth.bank, pdf.to_vec(), "").await;
    assert_eq!(status, 200, "{body}");
    let statement_id = body["statement_id"].as_str().expect("statement id");
    (sid, statement_id.to_owned())
}

async fn initiate(h: &Harness, t: &Tenant, sid: &str) {
    let (status, body) = h
        .post(
            t,
            &format!("session_data/{sid}/initiate_processing/"),
            json!({}),
        )
        .await;
    assert_eq!(status, 202, "{body}");
}

/// The session's transactions without the fields that name the session's own ids.
async fn transactions(h: &Harness, t: &Tenant, sid: &str) -> Vec<Value> {
    let (status, body) = h.get(t, &format!("session_data/{sid}/transactions/")).await;
    assert_eq!(status, 200, "{body}");
    let rows = body["accounts"][0]["transactions"]
        .as_array()
        .cloned()
        .unwrap_or_else(|| panic!("transactions: {body}"));
    rows.into_iter()
        .map(|mut row| {
            if let Some(fields) = row.as_object_mut() {
                for id in ["account_id", "statement_id", "session_id"] {
                    fields.remove(id);
                }
            }
            row
        })
        .collect()
}

/// (1) With its file gone from object storage, a statement is still processed from the parse
/// stored at upload. (2) Without a stored parse (as uploaded by an older version), the job
/// parses the file, to the same transactions. Both parses are gone once processed.
async fn processing_reuses_the_upload_parse(db: Db) {
    if !available(db).await {
        return;
    }
    let h = start_idle(db).await;
    let t = h.tenant("lender").await;
    let store = &h.server.state.store;
    let (pdf, truth) = fixture("hdfc_classic", 23);

    // (1) The stored parse is all the job gets: the file is deleted before processing.
    let (reused_sid, reused_id) = upload(&h, &t, &pdf, &truth).await;
    assert!(
        store
            .statement_parse(&reused_id)
            .await
            .expect("parse")
            .is_some(),
        "the upload stores its parse"
    );
    let key = store
        .statement_by_id(&reused_id)
        .await
        .expect("statement")
        .and_then(|s| s.object_key)
        .expect("object key");
    store.objects().delete(&key).await.expect("delete the file");
    assert!(
        store.objects().get(&key).await.is_err(),
        "the file is unreadable"
    );

    // (2) The fallback: no stored parse, so the job reads and parses the file.
    let (fallback_sid, fallback_id) = upload(&h, &t, &pdf, &truth).await;
    assert!(store
        .discard_statement_parse(&fallback_id)
        .await
        .expect("discard"));
    assert!(store
        .statement_parse(&fallback_id)
        .await
        .expect("parse")
        .is_none());

    initiate(&h, &t, &reused_sid).await;
    initiate(&h, &t, &fallback_sid).await;
    let workers = Workers::start(&h);
    h.wait_processed(&t, &reused_sid).await;
    h.wait_processed(&t, &fallback_sid).await;
    workers.stop().await;

    for (sid, statement_id) in [(&reused_sid, &reused_id), (&fallback_sid, &fallback_id)] {
        let statement = store
            .statement_by_id(statement_id)
            .await
            .expect("statement")
            .expect("row");
        assert_eq!(
            (statement.status.as_str(), statement.error_code.as_deref()),
            ("completed", None),
            "session {sid}"
        );
        assert_eq!(
            store
                .count_statement_results(statement_id)
                .await
                .expect("count"),
            1
        );
        assert_eq!(
            store.count_statement_parses(sid).await.expect("count"),
            0,
            "a processed statement's parse is discarded"
        );
    }
    let reused = transactions(&h, &t, &reused_sid).await;
    let fallback = transactions(&h, &t, &fallback_sid).await;
    assert_eq!(reused.len(), truth.transactions.len());
    assert_eq!(
        reused, fallback,
        "the stored parse and the file give the same transactions"
    );
    let (status, insights) = h
        .get(&t, &format!("session_data/{reused_sid}/insights/"))
        .await;
    assert_eq!(status, 200, "{insights}");
    assert_eq!(
        insights["accounts"][0]["data"]["transactions"]
            .as_array()
            .map(Vec::len),
        Some(truth.transactions.len())
    );
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn processing_reuses_the_upload_parse_sqlite() {
    processing_reuses_the_upload_parse(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn processing_reuses_the_upload_parse_postgres() {
    processing_reuses_the_upload_parse(Db::Postgres).await;
}

/// (3) The stored parse is as personal as the file: deleting the session erases it.
async fn session_delete_erases_the_stored_parse(db: Db) {
    if !available(db).await {
        return;
    }
    let h = start_idle(db).await;
    let t = h.tenant("lender").await;
    let store = &h.server.state.store;
    let (pdf, truth) = fixture("hdfc_classic", 24);
    let (sid, statement_id) = upload(&h, &t, &pdf, &truth).await;
    assert_eq!(store.count_statement_parses(&sid).await.expect("count"), 1);

    let r = h
        .http
        .delete(h.url(&format!("session_data/{sid}/delete/")))
        .header("x-api-key", &t.api_key)
        .header("server-hash", &t.server_hash)
        .send()
        .await
        .expect("delete");
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(store.count_statement_parses(&sid).await.expect("count"), 0);
    assert!(store
        .statement_parse(&statement_id)
        .await
        .expect("parse")
        .is_none());
    let statement = store
        .statement_by_id(&statement_id)
        .await
        .expect("statement")
        .expect("row");
    assert_eq!(
        (statement.object_key, statement.identity),
        (None, None),
        "file and identity go with the parse"
    );

    // The queued job finds nothing to process and settles quietly.
    let workers = Workers::start(&h);
    for _ in 0..200 {
        let job = store
            .job_info(ledgerlens_store::JobKind::ProcessStatement, &statement_id)
            .await
            .expect("job");
        if job.is_some_and(|j| j.state == "done") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    workers.stop().await;
    let job = store
        .job_info(ledgerlens_store::JobKind::ProcessStatement, &statement_id)
        .await
        .expect("job")
        .expect("row");
    assert_eq!(job.state, "done");
    assert_eq!(store.count_statement_parses(&sid).await.expect("count"), 0);
    assert_eq!(
        store
            .count_statement_results(&statement_id)
            .await
            .expect("count"),
        0
    );
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn session_delete_erases_the_stored_parse_sqlite() {
    session_delete_erases_the_stored_parse(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn session_delete_erases_the_stored_parse_postgres() {
    session_delete_erases_the_stored_parse(Db::Postgres).await;
}
