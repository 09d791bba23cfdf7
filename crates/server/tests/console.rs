//! The analyst console over HTTP: sign-in (console users and API keys), cookies, CSRF and
//! origin checks, throttling, tenant isolation, the session list's search and the session page.

mod common;

use common::{config, fixture, temp_dir, Db, Harness, Tenant};
use serde_json::json;
use std::time::Duration;

/// A browser-like client that keeps no cookies and follows no redirects: the test sees both.
fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(120))
        .build()
        .expect("client")
}

struct Signed {
    cookie: String,
    set_cookie: String,
}

async fn sign_in(h: &Harness, form: &[(&str, &str)]) -> (u16, Option<Signed>, String) {
    let r = browser()
        .post(format!("{}/console/sign-in", h.base))
        .form(form)
        .send()
        .await
        .expect("send");
    let status = r.status().as_u16();
    let set_cookie = r
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = r.text().await.unwrap_or_default();
    let signed = set_cookie.map(|set_cookie| Signed {
        cookie: set_cookie.split(';').next().unwrap_or_default().to_owned(),
        set_cookie,
    });
    (status, signed, body)
}

async fn get_page(
    h: &Harness,
    cookie: Option<&str>,
    path: &str,
) -> (u16, String, reqwest::header::HeaderMap) {
    let mut request = browser().get(format!("{}{path}", h.base));
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let r = request.send().await.expect("send");
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    (status, r.text().await.unwrap_or_default(), headers)
}

async fn add_user(h: &Harness, tenant_client: &str, name: &str, password: &str) {
    h.server
        .state
        .store
        .add_console_user(tenant_client, name, password)
        .await
        .expect("user added");
}

/// A tenant and its client id (the harness hands out keys only).
async fn tenant_with_id(h: &Harness, name: &str) -> (Tenant, String) {
    let c = h
        .server
        .state
        .store
        .create_client(name, false)
        .await
        .expect("client");
    (
        Tenant {
            api_key: c.api_key,
            server_hash: c.server_hash,
        },
        c.client_id,
    )
}

async fn processed_session(h: &Harness, t: &Tenant, link_id: &str) -> String {
    let (pdf, truth) = fixture("hdfc_classic", 7);
    let (status, body) = h
        .create_session(
            t,
            json!({"link_id": link_id, "from_date": truth.identity.from_date.format("%d/%m/%Y").to_string(), "to_date": truth.identity.to_date.format("%d/%m/%Y").to_string()}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let sid = body["session_id"].as_str().expect("id").to_owned();
    let (status, body) = h.upload(t, &sid, &truth.bank, pdf, "").await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = h
        .post(
            t,
            &format!("session_data/{sid}/initiate_processing/"),
            json!({}),
        )
        .await;
    assert_eq!(status, 202, "{body}");
    h.wait_processed(t, &sid).await;
    sid
}

/// The CSRF token a signed-in page carries in its sign-out form.
fn csrf_of(page: &str) -> String {
    page.split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or_default()
        .to_owned()
}

async fn console_flow(db: Db) {
    let h = Harness::start(db).await;
    let (lender, lender_id) = tenant_with_id(&h, "lender").await;
    let (other, other_id) = tenant_with_id(&h, "other").await;
    add_user(&h, &lender_id, "asha", "correct horse battery").await;
    add_user(&h, &other_id, "omar", "another long password").await;
    let sid = processed_session(&h, &lender, "borrower-42").await;
    let (status, body) = h
        .create_session(&other, json!({"link_id": "foreign-7"}))
        .await;
    assert_eq!(status, 200, "{body}");
    let foreign = body["session_id"].as_str().expect("id").to_owned();

    // Not signed in: pages send the browser to the sign-in form.
    let (status, _, headers) = get_page(&h, None, "/console/").await;
    assert_eq!(status, 303);
    assert_eq!(headers["location"], "/console/sign-in");
    let (status, form, headers) = get_page(&h, None, "/console/sign-in").await;
    assert_eq!(status, 200);
    assert!(form.contains("name=\"password\""));
    assert!(headers["content-security-policy"]
        .to_str()
        .is_ok_and(|csp| csp.contains("default-src 'none'") && !csp.contains("unsafe")));

    let (status, signed, body) =
        sign_in(&h, &[("username", "asha"), ("password", "wrong password!")]).await;
    assert_eq!(status, 401, "{body}");
    assert!(signed.is_none());
    assert!(body.contains("role=\"alert\""));

    let (status, signed, _) = sign_in(
        &h,
        &[("username", "asha"), ("password", "correct horse battery")],
    )
    .await;
    assert_eq!(status, 303);
    let signed = signed.expect("a session cookie");
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/console"] {
        assert!(
            signed.set_cookie.contains(attribute),
            "{}",
            signed.set_cookie
        );
    }
    assert!(
        !signed.set_cookie.contains("Secure"),
        "plain http: no Secure"
    );

    // The list shows the client's own sessions only, and searches by link id and status.
    let (status, list, _) = get_page(&h, Some(&signed.cookie), "/console/").await;
    assert_eq!(status, 200, "{list}");
    assert!(list.contains("borrower-42") && list.contains(&sid));
    assert!(!list.contains("foreign-7") && !list.contains(&foreign));
    let (_, found, _) = get_page(
        &h,
        Some(&signed.cookie),
        "/console/?link_id=ROWER-4&status=completed&bank=hdfc",
    )
    .await;
    assert!(found.contains(&sid), "case-insensitive part of the link id");
    let (_, none, _) = get_page(&h, Some(&signed.cookie), "/console/?status=open").await;
    assert!(none.contains("No sessions match") && !none.contains(&sid));
    let (_, none, _) = get_page(&h, Some(&signed.cookie), "/console/?from=2999-01-01").await;
    assert!(none.contains("No sessions match"));

    // The session page: reconciliation, charts, evidence and the transaction table.
    let (status, page, _) = get_page(
        &h,
        Some(&signed.cookie),
        &format!("/console/sessions/{sid}"),
    )
    .await;
    assert_eq!(status, 200, "{page}");
    for part in [
        "id=\"reconciliation\"",
        "class=\"num computed-closing\"",
        "<svg class=\"chart\"",
        "id=\"chart-eod\"",
        "id=\"txn-table\"",
        "id=\"dl-xlsx\"",
        "/bank-connect/v1/files/statements/",
        "id=\"fraud\"",
    ] {
        assert!(page.contains(part), "{part} missing");
    }
    let rows = page.matches("<tr id=\"t-").count();
    assert!(rows > 5, "{rows} transaction rows");
    assert!(page.contains("class=\"rule\">R"), "each row names its rule");
    // Filtering happens on the server: debits only.
    let (_, debits, _) = get_page(
        &h,
        Some(&signed.cookie),
        &format!("/console/sessions/{sid}?side=debit"),
    )
    .await;
    let kept = debits.matches("<tr id=\"t-").count();
    assert!(kept > 0 && kept < rows, "{kept} of {rows}");
    assert!(debits.contains(&format!("{kept} of {rows} transactions match")));

    // The XLSX link is the API's signed download.
    let xlsx = page
        .split("id=\"dl-xlsx\" href=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("xlsx link")
        .replace("&amp;", "&");
    let r = h.http.get(&xlsx).send().await.expect("download");
    assert_eq!(r.status(), 200);
    assert!(r.bytes().await.expect("bytes").starts_with(b"PK"));

    // Another client's session is not found, exactly like a missing one.
    let (status, _, _) = get_page(
        &h,
        Some(&signed.cookie),
        &format!("/console/sessions/{foreign}"),
    )
    .await;
    assert_eq!(status, 404);
    let (status, _, _) = get_page(&h, Some(&signed.cookie), "/console/sessions/no-such-id").await;
    assert_eq!(status, 404);

    // The other client's user sees their own session, not this one.
    let (_, omar, _) = sign_in(
        &h,
        &[("username", "omar"), ("password", "another long password")],
    )
    .await;
    let omar = omar.expect("signed in");
    let (_, list, _) = get_page(&h, Some(&omar.cookie), "/console/").await;
    assert!(list.contains(&foreign) && !list.contains(&sid));
    let (status, open, _) = get_page(
        &h,
        Some(&omar.cookie),
        &format!("/console/sessions/{foreign}"),
    )
    .await;
    assert_eq!(status, 200);
    assert!(open.contains("has not finished processing") && !open.contains("<svg"));
    let (status, _, _) =
        get_page(&h, Some(&omar.cookie), &format!("/console/sessions/{sid}")).await;
    assert_eq!(status, 404);

    // Sign-in with the client's API key and server hash.
    let (status, keyed, _) = sign_in(
        &h,
        &[("api_key", &lender.api_key), ("server_hash", "wrong")],
    )
    .await;
    assert_eq!(status, 401);
    assert!(keyed.is_none());
    let (status, keyed, _) = sign_in(
        &h,
        &[
            ("api_key", &lender.api_key),
            ("server_hash", &lender.server_hash),
        ],
    )
    .await;
    assert_eq!(status, 303);
    let keyed = keyed.expect("signed in");
    let (_, list, _) = get_page(&h, Some(&keyed.cookie), "/console/").await;
    assert!(list.contains(&sid) && list.contains("API key"));

    // Sign-out needs the page's CSRF token and this origin.
    let csrf = csrf_of(&list);
    assert!(!csrf.is_empty());
    let sign_out =
        |cookie: String, form: Vec<(&'static str, String)>, origin: Option<&'static str>| {
            let base = h.base.clone();
            async move {
                let mut request = browser()
                    .post(format!("{base}/console/sign-out"))
                    .header("cookie", cookie)
                    .form(&form);
                if let Some(origin) = origin {
                    request = request.header("origin", origin);
                }
                request.send().await.expect("send").status().as_u16()
            }
        };
    assert_eq!(
        sign_out(keyed.cookie.clone(), vec![], None).await,
        403,
        "no token"
    );
    assert_eq!(
        sign_out(keyed.cookie.clone(), vec![("csrf", "forged".into())], None).await,
        403
    );
    assert_eq!(
        sign_out(
            keyed.cookie.clone(),
            vec![("csrf", csrf.clone())],
            Some("http://evil.test")
        )
        .await,
        403,
        "another site's form"
    );
    assert_eq!(
        sign_out(keyed.cookie.clone(), vec![("csrf", csrf.clone())], None).await,
        303
    );
    let (status, _, _) = get_page(&h, Some(&keyed.cookie), "/console/").await;
    assert_eq!(status, 303, "the cookie no longer signs in");

    // A sign-in form posted from another site is refused before credentials are checked.
    let r = browser()
        .post(format!("{}/console/sign-in", h.base))
        .header("origin", "http://evil.test")
        .form(&[("username", "asha"), ("password", "correct horse battery")])
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 403);
    assert!(r.headers().get("set-cookie").is_none());

    // A new password and a removed user sign their browsers out; so does a revoked client.
    let store = &h.server.state.store;
    assert!(store
        .set_console_password("asha", "a brand new password")
        .await
        .expect("passwd"));
    let (status, _, _) = get_page(&h, Some(&signed.cookie), "/console/").await;
    assert_eq!(status, 303);
    assert!(store.remove_console_user("omar").await.expect("removed"));
    let (status, _, _) = get_page(&h, Some(&omar.cookie), "/console/").await;
    assert_eq!(status, 303);
    let (_, again, _) = sign_in(
        &h,
        &[("username", "asha"), ("password", "a brand new password")],
    )
    .await;
    let again = again.expect("signed in");
    assert!(store.revoke_client(&lender_id).await.expect("revoked"));
    let (status, _, _) = get_page(&h, Some(&again.cookie), "/console/").await;
    assert_eq!(status, 303);
    let (status, _, _) = sign_in(
        &h,
        &[("username", "asha"), ("password", "a brand new password")],
    )
    .await;
    assert_eq!(status, 401, "a revoked client's users cannot sign in");
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn console_on_sqlite() {
    console_flow(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn console_on_postgres() {
    if !common::postgres_reachable().await {
        eprintln!("PostgreSQL not reachable at 127.0.0.1:5432; skipped");
        return;
    }
    console_flow(Db::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_sign_ins_are_throttled_and_https_cookies_are_secure() {
    let mut cfg = config(Db::Sqlite, temp_dir());
    cfg.auth_failure_limit = 3;
    cfg.public_url = Some("https://bc.lender.test".into());
    let h = Harness::start_with(cfg).await;
    let (_, client_id) = tenant_with_id(&h, "lender").await;
    add_user(&h, &client_id, "asha", "correct horse battery").await;

    let (status, signed, _) = sign_in(
        &h,
        &[("username", "asha"), ("password", "correct horse battery")],
    )
    .await;
    assert_eq!(status, 303);
    assert!(signed.expect("cookie").set_cookie.contains("; Secure"));

    // Keys of a client that demands ACCESS_TOKEN signatures do not open the console.
    let signed_client = h
        .server
        .state
        .store
        .create_client("signed", true)
        .await
        .expect("client");
    let (status, none, _) = sign_in(
        &h,
        &[
            ("api_key", &signed_client.api_key),
            ("server_hash", &signed_client.server_hash),
        ],
    )
    .await;
    assert_eq!(status, 401);
    assert!(none.is_none());

    for attempt in 0..2 {
        let (status, _, _) = sign_in(&h, &[("username", "asha"), ("password", "guess")]).await;
        assert_eq!(status, 401, "attempt {attempt}");
    }
    // Three failures from this address (the refused keys and two guesses): over the limit
    // even the right password waits, so a guesser cannot tell.
    let (status, signed, _) = sign_in(
        &h,
        &[("username", "asha"), ("password", "correct horse battery")],
    )
    .await;
    assert_eq!(status, 429);
    assert!(signed.is_none());
    h.stop().await;
}
