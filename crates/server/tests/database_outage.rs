//! A database that cannot be reached (here: its pool closed under a running server) is answered
//! with 503 SERVER_BUSY and Retry-After, which clients retry, instead of a 500.

mod common;

use common::{Db, Harness};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_database_answers_503_with_retry_after() {
    let h = Harness::start(Db::Sqlite).await;
    let t = h.tenant("outage").await;
    let (status, _) = h.create_session(&t, json!({"link_id": "before"})).await;
    assert_eq!(status, 200);
    h.server.state.store.close().await;
    let r = h
        .http
        .post(h.url("session/"))
        .header("x-api-key", &t.api_key)
        .json(&json!({"link_id": "during"}))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status().as_u16(), 503);
    assert!(r.headers().contains_key("retry-after"));
    let body: serde_json::Value = r.json().await.expect("json");
    assert!(body.to_string().contains("SERVER_BUSY"), "{body}");
    h.stop().await;
}
