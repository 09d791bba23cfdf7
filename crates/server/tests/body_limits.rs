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

/// Writes a `size`-byte JSON body in two parts with a pause between them (the server has
/// decided by then), and returns what the server answered. A write failing (broken pipe or
/// reset: the server closed under the client) is returned as the answer.
async fn slow_oversized_write(addr: std::net::SocketAddr, api_key: &str, size: usize) -> String {
    let api_key = api_key.to_owned();
    tokio::task::spawn_blocking(move || {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(addr).expect("connect");
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(30)))
            .expect("timeout");
        let head = format!(
            "POST /bank-connect/v1/session/ HTTP/1.1\r\nHost: {addr}\r\nx-api-key: {api_key}\r\n\
             content-type: application/json\r\ncontent-length: {size}\r\n\r\n"
        );
        let body = vec![b' '; size];
        let first = 64 * 1024;
        let written = stream
            .write_all(head.as_bytes())
            .and_then(|()| stream.write_all(&body[..first]))
            .and_then(|()| {
                std::thread::sleep(std::time::Duration::from_millis(300));
                stream.write_all(&body[first..])
            });
        if let Err(e) = written {
            return format!("write failed: {e}");
        }
        let mut answer = Vec::new();
        let mut chunk = [0u8; 4096];
        // The answer's JSON is small: read until the body's closing brace or the end.
        loop {
            match stream.read(&mut chunk) {
                Ok(0) => break,
                Ok(n) => {
                    answer.extend_from_slice(&chunk[..n]);
                    if answer.ends_with(b"}") {
                        break;
                    }
                }
                Err(e) => return format!("read failed: {e}"),
            }
        }
        String::from_utf8_lossy(&answer).into_owned()
    })
    .await
    .expect("join")
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
    // A client that is slow to write its oversized body still reads the 413: the server reads
    // the body to its end before answering, instead of closing the connection under it.
    let answer = slow_oversized_write(h.server.addr, &t.api_key, 2 * 1024 * 1024).await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("REQUEST_TOO_LARGE"), "{answer}");
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
