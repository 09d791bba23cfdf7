//! Revocation and throttling against the real server: revoking a client stops its signed links
//! and hosted-page links at once; authentication failures (per address and per key) and wrong
//! PDF passwords (per session) answer the documented 429 with Retry-After.

mod common;

use common::{config, fixture, temp_dir, Db, Harness, Tenant};
use ledgerlens_fixtures::{encrypted, Encryption};
use serde_json::{json, Value};
use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

fn client_from(source: Ipv4Addr) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(IpAddr::V4(source))
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client")
}

async fn get_status(http: &reqwest::Client, url: &str) -> (u16, Value, Option<String>) {
    let r = http.get(url).send().await.expect("send");
    let status = r.status().as_u16();
    let retry = r
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    (status, r.json().await.unwrap_or(Value::Null), retry)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revoking_a_client_stops_its_links_at_once() {
    let h = Harness::start(Db::Sqlite).await;
    let t = h.tenant("lender").await;
    let (pdf, truth) = fixture("hdfc_classic", 81);
    let (status, created) = h
        .create_session(&t, json!({"link_id": "u", "from_date": truth.identity.from_date.format("%d/%m/%Y").to_string(), "to_date": truth.identity.to_date.format("%d/%m/%Y").to_string()}))
        .await;
    assert_eq!(status, 200, "{created}");
    let sid = created["session_id"].as_str().expect("sid").to_owned();
    let redirect =
        url::Url::parse(created["redirect_url"].as_str().expect("redirect")).expect("url");
    let token = redirect
        .query_pairs()
        .find(|(k, _)| k == "token")
        .map(|(_, v)| v.into_owned())
        .expect("token");
    let journey = format!(
        "{}/journey/api/session?session_id={sid}&token={token}",
        h.base
    );
    assert_eq!(h.upload(&t, &sid, &truth.bank, pdf, "").await.0, 200);
    let path = format!("session_data/{sid}/initiate_processing/");
    assert_eq!(h.post(&t, &path, json!({})).await.0, 202);
    h.wait_processed(&t, &sid).await;
    let (_, pdfs) = h.get(&t, &format!("session_data/{sid}/get_pdfs/")).await;
    let pdf_url = pdfs["statements"][0]["pdf_url"]
        .as_str()
        .expect("pdf url")
        .to_owned();
    let (_, reports) = h.get(&t, &format!("session_data/{sid}/xlsx_report/")).await;
    let report_url = reports["reports"][0]["link"]
        .as_str()
        .expect("report link")
        .to_owned();

    let anyone = reqwest::Client::new();
    for url in [&pdf_url, &report_url, &journey] {
        assert_eq!(get_status(&anyone, url).await.0, 200, "{url} works before");
    }
    let store = &h.server.state.store;
    let client = store
        .client_by_api_key(&t.api_key)
        .await
        .expect("client")
        .expect("active");
    assert!(store.revoke_client(&client.id).await.expect("revoke"));
    assert_eq!(get_status(&anyone, &pdf_url).await.0, 404);
    assert_eq!(get_status(&anyone, &report_url).await.0, 404);
    let (status, body, _) = get_status(&anyone, &journey).await;
    assert_eq!(
        (status, &body["error"]["code"]),
        (403, &json!("INVALID_LINK")),
        "{body}"
    );
    h.stop().await;
}

/// Authenticated and handled (session_status/ of a session not yet processed answers 400).
fn served(status: u16) -> bool {
    !matches!(status, 401 | 403 | 429)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn authentication_failures_are_throttled_per_address_and_key() {
    let mut c = config(Db::Sqlite, temp_dir());
    c.auth_failure_limit = 5;
    c.throttle_window = Duration::from_secs(3);
    let h = Harness::start_with(c).await;
    let t = h.tenant("lender").await;
    let sid = {
        let (pdf, truth) = fixture("hdfc_classic", 82);
        drop(pdf);
        h.session_for(&t, truth.identity.from_date, truth.identity.to_date)
            .await
    };
    let url = h.url(&format!("session_data/{sid}/session_status/"));
    let attacker = client_from(Ipv4Addr::new(127, 0, 0, 1));
    let wrong = |http: &reqwest::Client, key: &str, hash: &str| {
        http.get(&url)
            .header("x-api-key", key)
            .header("server-hash", hash)
            .send()
    };
    for n in 0..5 {
        let r = wrong(&attacker, &format!("wrong-{n}"), "x")
            .await
            .expect("send");
        assert!(matches!(r.status().as_u16(), 401 | 403), "{}", r.status());
    }
    let r = wrong(&attacker, "wrong-6", "x").await.expect("send");
    assert_eq!(r.status().as_u16(), 429);
    let retry: u64 = r.headers()["retry-after"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("secs");
    assert!((1..=3).contains(&retry), "{retry}");
    let body: Value = r.json().await.expect("json");
    assert_eq!(body["error"]["code"], "TOO_MANY_REQUESTS", "{body}");
    // The address is blocked, the right key included; other addresses are not.
    let r = wrong(&attacker, &t.api_key, &t.server_hash)
        .await
        .expect("send");
    assert_eq!(r.status().as_u16(), 429);
    let other = client_from(Ipv4Addr::new(127, 0, 0, 2));
    let r = wrong(&other, &t.api_key, &t.server_hash)
        .await
        .expect("send");
    assert!(served(r.status().as_u16()), "{}", r.status());
    assert_eq!(
        get_status(&attacker, &format!("{}/healthz", h.base))
            .await
            .0,
        200,
        "health is never throttled"
    );

    // A valid key with wrong server hashes from ever new addresses is throttled by key.
    for n in 0..5 {
        let http = client_from(Ipv4Addr::new(127, 0, 1, n + 1));
        let r = wrong(&http, &t.api_key, "wrong-hash").await.expect("send");
        assert_eq!(r.status().as_u16(), 403);
    }
    let fresh = client_from(Ipv4Addr::new(127, 0, 1, 100));
    let r = wrong(&fresh, &t.api_key, "wrong-hash").await.expect("send");
    assert_eq!(r.status().as_u16(), 429);

    // When the window ends, everyone is served again.
    tokio::time::sleep(Duration::from_millis(3500)).await;
    let r = wrong(&attacker, &t.api_key, &t.server_hash)
        .await
        .expect("send");
    assert!(served(r.status().as_u16()), "{}", r.status());
    h.stop().await;
}

async fn upload_with(
    h: &Harness,
    t: &Tenant,
    sid: &str,
    pdf: &[u8],
    bank: &str,
    password: &str,
) -> (u16, Value, Option<String>) {
    let form = reqwest::multipart::Form::new()
        .part(
            "file",
            reqwest::multipart::Part::bytes(pdf.to_vec()).file_name("locked.pdf"),
        )
        .text("bank_name", bank.to_owned())
        .text("session_id", sid.to_owned())
        .text("pdf_password", password.to_owned());
    let r = h
        .http
        .post(h.url("statement/upload_session/"))
        .header("x-api-key", &t.api_key)
        .multipart(form)
        .send()
        .await
        .expect("send");
    let status = r.status().as_u16();
    let retry = r
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    (status, r.json().await.unwrap_or(Value::Null), retry)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_pdf_passwords_are_throttled_per_session() {
    let mut c = config(Db::Sqlite, temp_dir());
    c.password_failure_limit = 3;
    c.throttle_window = Duration::from_secs(60);
    let h = Harness::start_with(c).await;
    let t = h.tenant("lender").await;
    let locked = encrypted("hdfc_classic", 83, Encryption::Aes256).expect("qpdf encrypts");
    let truth = &locked.truth;
    let sid = h
        .session_for(&t, truth.identity.from_date, truth.identity.to_date)
        .await;
    for n in 0..3 {
        let (status, body, _) =
            upload_with(&h, &t, &sid, &locked.pdf, &truth.bank, &format!("guess{n}")).await;
        assert_eq!(
            (status, &body["error"]["code"]),
            (400, &json!("PASSWORD_INCORRECT")),
            "{body}"
        );
    }
    // Even the right password waits: the session is over its attempts.
    let (status, body, retry) = upload_with(
        &h,
        &t,
        &sid,
        &locked.pdf,
        &truth.bank,
        &locked.user_password,
    )
    .await;
    assert_eq!(
        (status, &body["error"]["code"]),
        (429, &json!("TOO_MANY_REQUESTS")),
        "{body}"
    );
    assert_eq!(retry.as_deref(), Some("60"));
    let rows = h.server.state.store.statements(&sid).await.expect("rows");
    assert_eq!(rows.len(), 3, "throttled attempts record nothing");
    // Another session of the same client is not affected.
    let other = h
        .session_for(&t, truth.identity.from_date, truth.identity.to_date)
        .await;
    let (status, body, _) = upload_with(
        &h,
        &t,
        &other,
        &locked.pdf,
        &truth.bank,
        &locked.user_password,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    h.stop().await;
}
