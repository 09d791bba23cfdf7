//! Uploads by `file_url`: the server downloads the statement and treats the bytes as an uploaded
//! file (SQLite). The files are served by a small server on loopback, so these tests turn on
//! `file_url_allow_private`; the last test shows that loopback is refused without it.

mod common;

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use common::{fixture, Db, Harness, Tenant};
use ledgerlens_fixtures::{encrypted, Encryption};
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const LAYOUT: &str = "hdfc_classic";
/// The upload limit of these tests' servers (the default 40 MiB would only slow them down).
const LIMIT: usize = 4 * 1024 * 1024;
const FETCH_TIMEOUT: Duration = Duration::from_secs(2);

/// What the file server serves, and how often it was asked.
struct Files {
    pdf: Vec<u8>,
    locked: Vec<u8>,
    hits: AtomicUsize,
}

/// A loopback file server: an axum router for the well-behaved and slow routes, and a raw TCP
/// listener for bodies no router would send (endless, trickling).
struct FileServer {
    base: String,
    raw: String,
    files: Arc<Files>,
}

impl FileServer {
    async fn start(pdf: Vec<u8>, locked: Vec<u8>) -> FileServer {
        let files = Arc::new(Files {
            pdf,
            locked,
            hits: AtomicUsize::new(0),
        });
        let router = Router::new()
            .route("/files/statement.pdf", get(statement))
            .route("/files/locked.pdf", get(locked_pdf))
            .route("/files/page.html", get(page))
            .route("/files/empty.pdf", get(empty))
            .route("/files/slow.pdf", get(slow))
            .route("/files/declared-huge.pdf", get(declared_huge))
            .route("/hops/{n}", get(hops))
            .route("/loop", get(|| async { Redirect::temporary("/loop") }))
            .route(
                "/to-ftp",
                get(|| async { Redirect::temporary("ftp://127.0.0.1/statement.pdf") }),
            )
            .fallback(|| async { (StatusCode::NOT_FOUND, "not here") })
            .layer(axum::middleware::from_fn_with_state(
                files.clone(),
                count_hits,
            ))
            .with_state(files.clone());
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        let raw = TcpListener::bind("127.0.0.1:0").await.expect("bind raw");
        let raw_addr = raw.local_addr().expect("addr");
        tokio::spawn(raw_server(raw, files.clone()));
        FileServer {
            base: format!("http://{addr}"),
            raw: format!("http://{raw_addr}"),
            files,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn hits(&self) -> usize {
        self.files.hits.load(Ordering::SeqCst)
    }
}

async fn count_hits(
    State(files): State<Arc<Files>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    files.hits.fetch_add(1, Ordering::SeqCst);
    next.run(request).await
}

fn pdf_response(bytes: Vec<u8>) -> Response {
    ([(header::CONTENT_TYPE, "application/pdf")], bytes).into_response()
}

async fn statement(State(files): State<Arc<Files>>) -> Response {
    pdf_response(files.pdf.clone())
}

async fn locked_pdf(State(files): State<Arc<Files>>) -> Response {
    pdf_response(files.locked.clone())
}

async fn page() -> Response {
    (
        [(header::CONTENT_TYPE, "text/html")],
        "<html><body>Sign in</body></html>",
    )
        .into_response()
}

async fn empty() -> Response {
    pdf_response(Vec::new())
}

async fn slow(State(files): State<Arc<Files>>) -> Response {
    tokio::time::sleep(Duration::from_secs(30)).await;
    pdf_response(files.pdf.clone())
}

/// A PDF-looking body one byte over the limit, with its Content-Length.
async fn declared_huge() -> Response {
    let mut body = b"%PDF-1.4\n".to_vec();
    body.resize(LIMIT + 1, b' ');
    pdf_response(body)
}

/// `/hops/{n}`: n redirects, then the statement.
async fn hops(State(files): State<Arc<Files>>, Path(n): Path<u32>) -> Response {
    if n == 0 {
        return pdf_response(files.pdf.clone());
    }
    Redirect::temporary(&format!("/hops/{}", n - 1)).into_response()
}

/// `/endless.pdf` streams a PDF-looking body without a length until the client goes away;
/// `/trickle.pdf` sends a byte every 200 ms.
async fn raw_server(listener: TcpListener, files: Arc<Files>) {
    loop {
        let Ok((mut socket, _)) = listener.accept().await else {
            return;
        };
        let files = files.clone();
        tokio::spawn(async move {
            files.hits.fetch_add(1, Ordering::SeqCst);
            let mut request = Vec::new();
            let mut buf = [0u8; 1024];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") && request.len() < 16 * 1024 {
                match socket.read(&mut buf).await {
                    Ok(0) | Err(_) => return,
                    Ok(n) => request.extend_from_slice(&buf[..n]),
                }
            }
            let head = String::from_utf8_lossy(&request);
            let headers = "HTTP/1.1 200 OK\r\ncontent-type: application/pdf\r\nconnection: close\r\n\r\n%PDF-1.4\n";
            if socket.write_all(headers.as_bytes()).await.is_err() {
                return;
            }
            if head.starts_with("GET /endless.pdf ") {
                let chunk = vec![b'0'; 64 * 1024];
                // Far past any limit; a client that stops reading ends it with an error.
                for _ in 0..4096 {
                    if socket.write_all(&chunk).await.is_err() {
                        return;
                    }
                }
            } else {
                for _ in 0..300 {
                    tokio::time::sleep(Duration::from_millis(200)).await;
                    if socket.write_all(b"0").await.is_err() {
                        return;
                    }
                }
            }
        });
    }
}

async fn start_app(allow_private: bool) -> Harness {
    let mut config = common::config(Db::Sqlite, common::temp_dir());
    config.file_url_allow_private = allow_private;
    config.file_url_timeout = FETCH_TIMEOUT;
    config.max_body_bytes = LIMIT;
    Harness::start_with(config).await
}

async fn send_form(
    h: &Harness,
    t: &Tenant,
    path_and_query: &str,
    form: reqwest::multipart::Form,
) -> (u16, Value) {
    let r = h
        .http
        .post(h.url(path_and_query))
        .header("x-api-key", &t.api_key)
        .multipart(form)
        .send()
        .await
        .expect("send");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// statement/upload_session/ with `file_url` instead of a file.
async fn upload_url(
    h: &Harness,
    t: &Tenant,
    session_id: &str,
    bank: &str,
    url: &str,
    query: &str,
) -> (u16, Value) {
    let form = reqwest::multipart::Form::new()
        .text("file_url", url.to_owned())
        .text("bank_name", bank.to_owned())
        .text("session_id", session_id.to_owned());
    send_form(h, t, &format!("statement/upload_session/{query}"), form).await
}

fn code(body: &Value) -> Option<&str> {
    body["error"]["code"].as_str()
}

/// The upload response without what differs between two sessions by construction.
fn comparable(body: &Value) -> Value {
    let mut body = body.clone();
    if let Some(map) = body.as_object_mut() {
        for key in [
            "session_id",
            "statement_id",
            "entity_id",
            "account_id",
            "progress",
        ] {
            map.remove(key);
        }
    }
    if let Some(identity) = body["identity"].as_object_mut() {
        identity.remove("account_id");
    }
    body
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_url_upload_is_a_direct_upload_of_the_same_bytes() {
    let (pdf, truth) = fixture(LAYOUT, 7);
    let files = FileServer::start(pdf.clone(), Vec::new()).await;
    let h = start_app(true).await;
    let t = h.tenant("lender").await;
    let (from, to) = (truth.identity.from_date, truth.identity.to_date);

    let direct_session = h.session_for(&t, from, to).await;
    let (status, direct) = h
        .upload(
            &t,
            &direct_session,
            &truth.bank,
            pdf.clone(),
            "?identity=true",
        )
        .await;
    assert_eq!(status, 200, "{direct}");

    let sid = h.session_for(&t, from, to).await;
    let (status, by_url) = upload_url(
        &h,
        &t,
        &sid,
        &truth.bank,
        &files.url("/files/statement.pdf?X-Amz-Signature=abc"),
        "?identity=true",
    )
    .await;
    assert_eq!(status, 200, "{by_url}");
    assert_eq!(by_url["session_id"], sid.as_str());
    assert_eq!(
        by_url["identity"]["account_number"],
        truth.identity.account_number.as_str()
    );
    assert!(by_url["date_range"]["from_date"].is_string(), "{by_url}");
    assert_eq!(
        comparable(&by_url),
        comparable(&direct),
        "same identity, date_range and the rest"
    );
    let statement_id = by_url["statement_id"].as_str().expect("id").to_owned();

    // The same bytes again, by URL or as a file: a duplicate either way.
    let (status, body) = upload_url(
        &h,
        &t,
        &sid,
        &truth.bank,
        &files.url("/files/statement.pdf"),
        "",
    )
    .await;
    assert_eq!(
        (status, code(&body)),
        (400, Some("STATEMENT_DUPLICATE")),
        "{body}"
    );
    let (status, body) = h.upload(&t, &sid, &truth.bank, pdf.clone(), "").await;
    assert_eq!(
        (status, code(&body)),
        (400, Some("STATEMENT_DUPLICATE")),
        "{body}"
    );

    let (status, body) = h
        .get(&t, &format!("session_data/{sid}/session_upload_status/"))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["accounts"][0]["statements"][0]["upload_file_name"], "statement.pdf",
        "the file name comes from the URL's path, not its query: {body}"
    );

    h.process(&t, &sid).await;
    let (status, insights) = h.get(&t, &format!("session_data/{sid}/insights/")).await;
    assert_eq!(status, 200, "{insights}");
    let account = &insights["accounts"][0];
    assert_eq!(
        account["data"]["transactions"].as_array().map(Vec::len),
        Some(truth.transactions.len())
    );
    assert_eq!(
        account["data"]["account_details"]["statements"],
        json!([statement_id])
    );
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_legacy_upload_routes_take_file_url() {
    let (pdf, truth) = fixture(LAYOUT, 21);
    let locked = encrypted(LAYOUT, 22, Encryption::Aes256).expect("qpdf encrypts");
    let files = FileServer::start(pdf.clone(), locked.pdf.clone()).await;
    let h = start_app(true).await;
    let t = h.tenant("lender").await;

    // statement/upload/ as a multipart file, then as a URL-encoded form with file_url.
    let form = reqwest::multipart::Form::new()
        .part(
            "file",
            reqwest::multipart::Part::bytes(pdf.clone()).file_name("statement.pdf"),
        )
        .text("bank_name", truth.bank.clone());
    let (status, direct) = send_form(&h, &t, "statement/upload/?identity=true", form).await;
    assert_eq!(status, 200, "{direct}");
    let r = h
        .http
        .post(h.url("statement/upload/?identity=true"))
        .header("x-api-key", &t.api_key)
        .form(&[
            ("file_url", files.url("/files/statement.pdf").as_str()),
            ("bank_name", truth.bank.as_str()),
            ("link_id", "L1"),
        ])
        .send()
        .await
        .expect("send");
    assert_eq!(r.status().as_u16(), 200);
    let by_url: Value = r.json().await.expect("json");
    assert!(by_url["entity_id"].is_string(), "{by_url}");
    assert_eq!(comparable(&by_url), comparable(&direct));
    assert_eq!(
        by_url["identity"]["account_number"],
        truth.identity.account_number.as_str()
    );

    // Into the same entity again: the duplicate the file upload would get, in the legacy shape.
    let entity_id = by_url["entity_id"].as_str().expect("entity").to_owned();
    let form = reqwest::multipart::Form::new()
        .text("file_url", files.url("/files/statement.pdf"))
        .text("bank_name", truth.bank.clone())
        .text("entity_id", entity_id.clone());
    let (status, body) = send_form(&h, &t, "statement/upload/", form).await;
    // upload-rest-api.md's legacy shape {entity_id, message, status} (no `code` there).
    assert_eq!(
        (status, body["message"].as_str(), body["entity_id"].as_str()),
        (
            400,
            Some("A duplicate statement has been detected"),
            Some(entity_id.as_str())
        ),
        "{body}"
    );

    // statement/bankless_upload/: the bank is detected from the downloaded bytes.
    let form = reqwest::multipart::Form::new().text("file_url", files.url("/hops/2"));
    let (status, body) = send_form(&h, &t, "statement/bankless_upload/?identity=true", form).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["bank_name"], truth.bank.as_str());

    // Passwords apply to downloaded files as to uploaded ones.
    let locked_upload = |password: Option<&str>, by_url: bool| {
        let mut form = reqwest::multipart::Form::new().text("bank_name", locked.truth.bank.clone());
        form = if by_url {
            form.text("file_url", files.url("/files/locked.pdf"))
        } else {
            form.part(
                "file",
                reqwest::multipart::Part::bytes(locked.pdf.clone()).file_name("locked.pdf"),
            )
        };
        if let Some(password) = password {
            form = form.text("pdf_password", password.to_owned());
        }
        send_form(&h, &t, "statement/upload/", form)
    };
    let (direct_status, direct) = locked_upload(None, false).await;
    let (status, body) = locked_upload(None, true).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        (status, &body["status"], &body["message"]),
        (direct_status, &direct["status"], &direct["message"]),
        "no password: {body} vs {direct}"
    );
    let (status, body) = locked_upload(Some("wrong"), true).await;
    // upload-rest-api.md: "Password Incorrect | 400 | 3".
    assert_eq!(
        (status, body["message"].as_str(), &body["status"]),
        (400, Some("Password incorrect"), &json!(3)),
        "{body}"
    );
    let (status, body) = locked_upload(Some(&locked.user_password), true).await;
    assert_eq!(status, 200, "{body}");

    // A failed download on a legacy route: the legacy error shape, an entity still created.
    let form = reqwest::multipart::Form::new()
        .text("file_url", files.url("/files/missing.pdf"))
        .text("bank_name", truth.bank.clone());
    let (status, body) = send_form(&h, &t, "statement/upload/", form).await;
    // upload-rest-api.md: {"file": [message], "status": 0}, with the entity's id ("always
    // given in response").
    assert_eq!(
        (status, &body["file"], &body["status"]),
        (400, &json!(["This file url is invalid"]), &json!(0)),
        "{body}"
    );
    assert!(body["entity_id"].is_string(), "{body}");
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_file_urls_answer_like_bad_uploads() {
    let (pdf, truth) = fixture(LAYOUT, 31);
    let files = FileServer::start(pdf.clone(), Vec::new()).await;
    let h = start_app(true).await;
    let t = h.tenant("lender").await;
    let sid = h
        .session_for(&t, truth.identity.from_date, truth.identity.to_date)
        .await;
    let bank = truth.bank.as_str();
    let refused = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr: SocketAddr = listener.local_addr().expect("addr");
        drop(listener);
        format!("http://{addr}/statement.pdf")
    };

    let invalid = [
        files.url("/files/missing.pdf"),
        files.url("/hops/6"),
        files.url("/loop"),
        files.url("/to-ftp"),
        refused,
        "http://no-such-host.invalid/statement.pdf".to_owned(),
        "ftp://127.0.0.1/statement.pdf".to_owned(),
        "file:///etc/passwd".to_owned(),
        "javascript:alert(1)".to_owned(),
        "not a url".to_owned(),
        "http://".to_owned(),
        format!("http://[::1/{}", "x"),
        format!("{}/{}", files.base, "a".repeat(10_000)),
    ];
    for url in &invalid {
        let (status, body) = upload_url(&h, &t, &sid, bank, url, "").await;
        assert_eq!(
            (status, code(&body)),
            (400, Some("INVALID_FILE_URL")),
            "{url}: {body}"
        );
        assert_eq!(body["session_id"], sid.as_str(), "{body}");
        assert_eq!(body["error"]["message"], "This file url is invalid");
    }

    // Slow servers: the download gives up after the configured time, headers or body.
    for path in [
        files.url("/files/slow.pdf"),
        format!("{}/trickle.pdf", files.raw),
    ] {
        let started = Instant::now();
        let (status, body) = upload_url(&h, &t, &sid, bank, &path, "").await;
        assert_eq!(
            (status, code(&body)),
            (400, Some("INVALID_FILE_URL")),
            "{path}: {body}"
        );
        assert!(
            started.elapsed() < FETCH_TIMEOUT + Duration::from_secs(5),
            "{path} took {:?}",
            started.elapsed()
        );
    }

    // Too large, declared or streamed without a length: the direct upload's FILE_TOO_LARGE.
    let mut oversized = b"%PDF-1.4\n".to_vec();
    oversized.resize(LIMIT + 1, b' ');
    let (status, direct) = h.upload(&t, &sid, bank, oversized, "").await;
    assert_eq!(
        (status, code(&direct)),
        (413, Some("FILE_TOO_LARGE")),
        "{direct}"
    );
    for path in [
        files.url("/files/declared-huge.pdf"),
        format!("{}/endless.pdf", files.raw),
    ] {
        let started = Instant::now();
        let (status, body) = upload_url(&h, &t, &sid, bank, &path, "").await;
        assert_eq!(
            (status, code(&body)),
            (413, Some("FILE_TOO_LARGE")),
            "{path}: {body}"
        );
        assert_eq!(body["error"]["message"], direct["error"]["message"]);
        assert!(
            started.elapsed() < FETCH_TIMEOUT,
            "{path} read past the limit"
        );
    }

    // Bytes that are no PDF, or none: what uploading them as a file answers.
    let html = b"<html><body>Sign in</body></html>".to_vec();
    for (path, bytes) in [("/files/page.html", html), ("/files/empty.pdf", Vec::new())] {
        let (direct_status, direct) = h.upload(&t, &sid, bank, bytes, "").await;
        let (status, body) = upload_url(&h, &t, &sid, bank, &files.url(path), "").await;
        assert_eq!(status, 400, "{path}: {body}");
        assert_eq!(
            (status, code(&body)),
            (direct_status, code(&direct)),
            "{path}: {body} vs {direct}"
        );
    }

    // No bank_name: refused before anything is downloaded.
    let hits = files.hits();
    let form = reqwest::multipart::Form::new()
        .text("file_url", files.url("/files/statement.pdf"))
        .text("session_id", sid.clone());
    let (status, body) = send_form(&h, &t, "statement/upload_session/", form).await;
    assert_eq!(
        (status, code(&body)),
        (400, Some("INVALID_BANK_NAME")),
        "{body}"
    );
    assert_eq!(
        files.hits(),
        hits,
        "no download for a request refused anyway"
    );

    // A file part wins over file_url.
    let form = reqwest::multipart::Form::new()
        .part(
            "file",
            reqwest::multipart::Part::bytes(pdf.clone()).file_name("direct.pdf"),
        )
        .text("file_url", files.url("/files/missing.pdf"))
        .text("bank_name", bank.to_owned())
        .text("session_id", sid.clone());
    let (status, body) = send_form(&h, &t, "statement/upload_session/", form).await;
    assert_eq!(status, 200, "{body}");

    // Five redirects are followed (the sixth is refused above).
    let sid = h
        .session_for(&t, truth.identity.from_date, truth.identity.to_date)
        .await;
    let (status, body) = upload_url(&h, &t, &sid, bank, &files.url("/hops/5"), "").await;
    assert_eq!(status, 200, "{body}");
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn private_addresses_are_refused_by_default() {
    let (pdf, truth) = fixture(LAYOUT, 51);
    let files = FileServer::start(pdf, Vec::new()).await;
    let h = start_app(false).await;
    let t = h.tenant("lender").await;
    let sid = h
        .session_for(&t, truth.identity.from_date, truth.identity.to_date)
        .await;
    let port = files.base.rsplit(':').next().expect("port").to_owned();
    for url in [
        files.url("/files/statement.pdf"),
        format!("http://localhost:{port}/files/statement.pdf"),
        format!("http://[::1]:{port}/files/statement.pdf"),
        format!("http://127.1:{port}/files/statement.pdf"),
        format!("http://[::ffff:127.0.0.1]:{port}/files/statement.pdf"),
        format!("http://0.0.0.0:{port}/files/statement.pdf"),
        "http://169.254.169.254/latest/meta-data/".to_owned(),
        "http://10.0.0.1/statement.pdf".to_owned(),
        "http://[fd00::1]/statement.pdf".to_owned(),
    ] {
        let (status, body) = upload_url(&h, &t, &sid, &truth.bank, &url, "").await;
        assert_eq!(
            (status, code(&body)),
            (400, Some("INVALID_FILE_URL")),
            "{url}: {body}"
        );
    }
    let form = reqwest::multipart::Form::new().text("file_url", files.url("/files/statement.pdf"));
    let (status, body) = send_form(&h, &t, "statement/bankless_upload/", form).await;
    // upload-rest-api.md: an invalid field value is {"file": [message], "status": 0}.
    assert_eq!(
        (status, &body["file"], &body["status"]),
        (400, &json!(["This file url is invalid"]), &json!(0)),
        "{body}"
    );
    assert_eq!(files.hits(), 0, "no request reached the loopback server");
    h.stop().await;
}
