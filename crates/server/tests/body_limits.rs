//! Bounded request bodies on both databases: NUL characters answer 400 (not a PostgreSQL 500),
//! oversized fields (metadata) 400, oversized non-upload bodies 413, and the documented upload
//! limit is the configured one.

mod common;

use common::{Db, Harness};
use serde_json::{json, Value};

async fn send(
    h: &Harness,
    api_key: &str,
    path: &str,
    content_type: &str,
    body: Vec<u8>,
) -> (u16, Value) {
    let r = h
        .http
        .post(h.url(path))
        .header("x-api-key", api_key)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .expect("send");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn bounded(db: Db) {
    if db == Db::Postgres && !common::postgres_reachable().await {
        eprintln!("PostgreSQL not reachable; skipping");
        return;
    }
    let h = Harness::start(db).await;
    let t = h.tenant("lender").await;
    let nul = json!({"error": {"code": "INVALID_REQUEST", "message": "Null characters are not allowed."}});
    let json_type = "application/json";

    let (status, body) = send(
        &h,
        &t.api_key,
        "session/",
        json_type,
        br#"{"link_id": "a\u0000b"}"#.to_vec(),
    )
    .await;
    assert_eq!((status, &body), (400, &nul));
    let (status, body) = send(
        &h,
        &t.api_key,
        "session/",
        json_type,
        br#"{"link_id": "a", "metadata": {"k\u0000": 1}}"#.to_vec(),
    )
    .await;
    assert_eq!((status, &body), (400, &nul));
    let form_type = "application/x-www-form-urlencoded";
    let (status, body) = send(
        &h,
        &t.api_key,
        "session/",
        form_type,
        b"link_id=a%00b".to_vec(),
    )
    .await;
    assert_eq!((status, &body), (400, &nul));
    // Upload forms: a NUL in the session id would reach the database as a lookup key.
    let form = reqwest::multipart::Form::new()
        .text("session_id", "abc\0def")
        .text("bank_name", "hdfc")
        .part(
            "file",
            reqwest::multipart::Part::bytes(b"%PDF-1.4".to_vec()).file_name("s.pdf"),
        );
    let r = h
        .http
        .post(h.url("statement/upload_session/"))
        .header("x-api-key", &t.api_key)
        .multipart(form)
        .send()
        .await
        .expect("send");
    assert_eq!(r.status().as_u16(), 400);
    let body: Value = r.json().await.expect("json");
    assert_eq!(
        body["error"]["message"], "Null characters are not allowed.",
        "{body}"
    );

    // A 100 KB metadata is refused, a small one accepted.
    let big = json!({"link_id": "a", "metadata": {"notes": "x".repeat(100 * 1024)}});
    let (status, body) = send(
        &h,
        &t.api_key,
        "session/",
        json_type,
        big.to_string().into_bytes(),
    )
    .await;
    assert_eq!(
        (status, &body),
        (
            400,
            &json!({"error": {"code": "INVALID_REQUEST", "message": "metadata, Ensure this field has no more than 65536 characters."}})
        )
    );
    let small = json!({"link_id": "a", "metadata": {"notes": "x"}});
    let (status, body) = send(
        &h,
        &t.api_key,
        "session/",
        json_type,
        small.to_string().into_bytes(),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    // A 2 MB body of a route that takes no file.
    let huge =
        json!({"link_id": "a", "pad": (0..20).map(|_| "y".repeat(100 * 1024)).collect::<Vec<_>>()});
    let (status, body) = send(
        &h,
        &t.api_key,
        "session/",
        json_type,
        huge.to_string().into_bytes(),
    )
    .await;
    assert_eq!(
        (status, &body["error"]["code"]),
        (413, &json!("REQUEST_TOO_LARGE")),
        "{body}"
    );
    // Nothing of the refused requests was stored, and the server is healthy.
    assert_eq!(
        h.server.state.store.count_clients().await.expect("count"),
        1
    );
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bodies_are_bounded_sqlite() {
    bounded(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bodies_are_bounded_postgres() {
    bounded(Db::Postgres).await;
}

#[test]
fn the_readme_states_the_configured_upload_limit() {
    let config = ledgerlens_server::ServerConfig::new("127.0.0.1:0", std::env::temp_dir(), None);
    let mb = config.max_body_bytes / (1024 * 1024);
    let readme = include_str!("../../../README.md");
    assert!(
        readme.contains(&format!("{mb} MB per upload")),
        "README must state the {mb} MB upload limit"
    );
    assert!(
        !readme.contains("Limits per file: 50 MB"),
        "the engine's own limit is not the upload limit"
    );
}
