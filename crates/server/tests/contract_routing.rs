//! Routing as the docs use it: paths with and without the trailing slash, CORS preflight,
//! form-encoded Session API calls, the entity list's page size and link_id filter, the 404
//! body, and links built from the public base URL.

mod common;

use common::{Db, Harness};
use serde_json::{json, Value};

async fn available(db: Db) -> bool {
    if db == Db::Postgres && !common::postgres_reachable().await {
        eprintln!("PostgreSQL not reachable on 127.0.0.1:5432; skipping");
        return false;
    }
    true
}

async fn routing(db: Db) {
    if !available(db).await {
        return;
    }
    let mut config = common::config(db, common::temp_dir());
    config.cors_allowed_origins = vec!["https://app.lender.in".into()];
    config.public_url = Some("https://bc.lender.in/".into());
    let h = Harness::start_with(config).await;
    let t = h.tenant("lender").await;

    // Without the trailing slash the documented route still answers.
    let r = h
        .http
        .post(format!("{}/bank-connect/v1/session", h.base))
        .header("x-api-key", &t.api_key)
        .json(&json!({"link_id": "no-slash"}))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status().as_u16(), 200);
    let body: Value = r.json().await.expect("json");
    let sid = body["session_id"].as_str().expect("session id").to_owned();
    // The redirect link is built from the configured public URL, not the Host header.
    let redirect = body["redirect_url"].as_str().unwrap_or_default();
    assert!(
        redirect.starts_with("https://bc.lender.in/?session_id="),
        "{redirect}"
    );
    let (status, body) = h.get(&t, &format!("session_data/{sid}/progress")).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("PROCESSING_NOT_REQUESTED")),
        "{body}"
    );

    // The documented bodies keep their documented messages; x-error-hint says what was wrong.
    let r = h
        .http
        .get(h.url(&format!("session_data/{sid}/progress/")))
        .header("x-api-key", &t.api_key)
        .send()
        .await
        .expect("send");
    assert_eq!(r.status().as_u16(), 403);
    assert_eq!(
        r.headers()
            .get("x-error-hint")
            .and_then(|v| v.to_str().ok()),
        Some("server-hash header missing")
    );
    let r = h
        .http
        .post(h.url("session/"))
        .header("x-api-key", &t.api_key)
        .header("content-type", "application/json")
        .body("{\"link_id\": ")
        .send()
        .await
        .expect("send");
    assert_eq!(r.status().as_u16(), 400);
    let hint = r
        .headers()
        .get("x-error-hint")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(hint.contains("line 1"), "{hint}");
    assert_eq!(
        r.json::<Value>().await.expect("json")["error"]["message"],
        "Something went wrong"
    );

    // Unknown paths: DRF's body.
    let r = h
        .http
        .get(format!("{}/bank-connect/v1/nowhere/", h.base))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status().as_u16(), 404);
    assert_eq!(
        r.json::<Value>().await.expect("json"),
        json!({"detail": "Not found."})
    );

    // A browser's preflight: 204 with the CORS headers for an allowed origin, none for others.
    let preflight = |origin: &'static str| {
        h.http
            .request(reqwest::Method::OPTIONS, h.url("session/"))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "x-api-key, content-type")
            .send()
    };
    let r = preflight("https://app.lender.in").await.expect("send");
    assert_eq!(r.status().as_u16(), 204);
    assert_eq!(
        r.headers()
            .get("access-control-allow-origin")
            .and_then(|v| v.to_str().ok()),
        Some("https://app.lender.in")
    );
    assert!(r
        .headers()
        .get("access-control-allow-headers")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("x-api-key")));
    let r = preflight("https://evil.example").await.expect("send");
    assert_eq!(r.status().as_u16(), 204);
    assert!(r.headers().get("access-control-allow-origin").is_none());
    // An actual cross-origin call carries the header too.
    let r = h
        .http
        .post(h.url("session/"))
        .header("origin", "https://app.lender.in")
        .header("x-api-key", &t.api_key)
        .json(&json!({"link_id": "cors"}))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.headers().get("access-control-allow-origin").is_some());

    // The Session API takes form fields, multipart as well as URL-encoded.
    let form = reqwest::multipart::Form::new()
        .text("link_id", "multipart-user")
        .text("from_date", "01/01/2024")
        .text("to_date", "01/03/2024");
    let r = h
        .http
        .post(h.url("session/"))
        .header("x-api-key", &t.api_key)
        .multipart(form)
        .send()
        .await
        .expect("send");
    assert_eq!(r.status().as_u16(), 200, "multipart session/");
    let r = h
        .http
        .post(h.url("session/"))
        .header("x-api-key", &t.api_key)
        .form(&[("link_id", "form-user")])
        .send()
        .await
        .expect("send");
    assert_eq!(r.status().as_u16(), 200, "urlencoded session/");

    // Entity list: 10 per page (management.md), link_id filter, links from the public URL.
    for i in 0..12 {
        let link = if i < 3 { "wanted" } else { "other" };
        let r = h
            .http
            .post(h.url("entity/"))
            .header("x-api-key", &t.api_key)
            .json(&json!({"link_id": link}))
            .send()
            .await
            .expect("send");
        assert_eq!(r.status().as_u16(), 201);
    }
    let (status, page) = h.get(&t, "entity/").await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["count"], 12);
    assert_eq!(page["results"].as_array().map(Vec::len), Some(10));
    assert_eq!(page["results"][0]["meta_data"], Value::Null);
    assert_eq!(
        page["next"],
        "https://bc.lender.in/bank-connect/v1/entity/?page=2"
    );
    let (status, page) = h.get(&t, "entity/?link_id=wanted").await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["count"], 3);
    assert!(page["results"]
        .as_array()
        .is_some_and(|r| r.iter().all(|e| e["link_id"] == "wanted")));
    // meta_data given at creation comes back on GET entity/<id>/ (management.md).
    let r = h
        .http
        .post(h.url("entity/"))
        .header("x-api-key", &t.api_key)
        .json(&json!({"link_id": "meta", "meta_data": "branch-42"}))
        .send()
        .await
        .expect("send");
    let created: Value = r.json().await.expect("json");
    let id = created["entity_id"].as_str().unwrap_or_default();
    let (status, one) = h.get(&t, &format!("entity/{id}/")).await;
    assert_eq!(status, 200, "{one}");
    assert_eq!(
        one,
        json!({"entity_id": id, "link_id": "meta", "meta_data": "branch-42"})
    );
    let (status, body) = h.get(&t, "entity/?page=9").await;
    assert_eq!((status, body), (404, json!({"detail": "Invalid page."})));
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn routing_sqlite() {
    routing(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn routing_postgres() {
    routing(Db::Postgres).await;
}
