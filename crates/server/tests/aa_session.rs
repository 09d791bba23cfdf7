//! `mode=aa` end to end over HTTP: `serve` and the AA simulator on loopback. A session goes
//! through the AA journey (approval page driven over HTTP), FI data is fetched, decrypted and
//! processed into Insights like a PDF; the same synthetic account read from its PDF gives the
//! same transactions; declines, empty FI data and bad callbacks end in their documented answers.
//!
//! One test function: the AA runtime is process-wide (configured from the environment, as
//! `serve` is), so the scenarios share one simulator and one server, in sequence.

mod common;

use chrono::{Datelike, Utc};
use common::{Db, Harness, Tenant};
use ledgerlens_aa_sim::{Faults, SimConfig};
use serde_json::{json, Value};
use std::time::Instant;

/// The simulator's default redirection secret (SimConfig::demo).
const SECRET: &str = "fiu-sim-redirect-secret";

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

fn location(r: &reqwest::Response) -> String {
    r.headers()["location"].to_str().unwrap().to_owned()
}

/// The sim's statements cover six whole months before this one.
fn session_body(mobile: &str) -> Value {
    let today = Utc::now().date_naive();
    let first = chrono::NaiveDate::from_ymd_opt(today.year(), today.month(), 1).unwrap();
    let from = first.checked_sub_months(chrono::Months::new(6)).unwrap();
    json!({
        "link_id": "aa-user", "mode": "aa", "bank_name": "hdfc", "mobile_number": mobile,
        "from_date": from.format("%d/%m/%Y").to_string(),
        "to_date": today.format("%d/%m/%Y").to_string(),
        "redirect_url": "https://lender.example/done",
    })
}

/// Session → journey → AA approval page → back; returns the session id and the return page.
async fn through_the_journey(
    h: &Harness,
    t: &Tenant,
    action: &str,
    accounts: &[&str],
) -> (String, String) {
    let (status, body) = h.create_session(t, session_body("9876543210")).await;
    assert_eq!(status, 200, "{body}");
    let sid = body["session_id"].as_str().unwrap().to_owned();
    let journey = body["redirect_url"].as_str().unwrap();
    assert!(journey.contains("/aa/journey/"), "{journey}");
    let http = no_redirects();
    // A prefilled, non-editable mobile number goes straight to the AA.
    let to_aa = http.get(journey).send().await.unwrap();
    assert_eq!(to_aa.status(), 303);
    let webview = location(&to_aa);
    let page = http
        .get(&webview)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("FIU-LEDGERLENS") && page.contains("LRN-SIM-0001"),
        "{page}"
    );
    // The Sahamati web redirection: only fi, reqdate and ecreq travel; the return address,
    // the session and the customer's handle are inside ecreq.
    let query: Vec<(String, String)> = url::Url::parse(&webview)
        .unwrap()
        .query_pairs()
        .into_owned()
        .collect();
    let names: Vec<&str> = query.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(names, ["fi", "reqdate", "ecreq"], "{webview}");
    assert!(!webview.contains("aa%2Freturn") && !webview.contains("9876543210"));
    let mut form: Vec<(&str, &str)> = query
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    form.extend([("otp", "123456"), ("action", action)]);
    form.extend(accounts.iter().map(|a| ("account", *a)));
    let back = http.post(&webview).form(&form).send().await.unwrap();
    assert_eq!(back.status(), 303);
    let back_to = location(&back);
    let answer: Vec<String> = url::Url::parse(&back_to)
        .unwrap()
        .query_pairs()
        .map(|(k, _)| k.into_owned())
        .collect();
    assert_eq!(answer, ["token", "fi", "resdate", "ecres"], "{back_to}");
    let returned = http.get(&back_to).send().await.unwrap();
    assert_eq!(returned.status(), 200);
    (sid, returned.text().await.unwrap())
}

/// A session's trip to the AA and back with a forged or foreign answer: the return page refuses
/// it (400) and the session does not fetch.
async fn forged_returns(h: &Harness, t: &Tenant) {
    use ledgerlens_aa::redirection::{response_params, RedirectResponse};
    let (status, body) = h.create_session(t, session_body("9876543210")).await;
    assert_eq!(status, 200, "{body}");
    let sid = body["session_id"].as_str().unwrap().to_owned();
    let http = no_redirects();
    let to_aa = http
        .get(body["redirect_url"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    let webview = url::Url::parse(&location(&to_aa)).unwrap();
    let get = |k: &str| {
        webview
            .query_pairs()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.into_owned())
            .unwrap()
    };
    // What the AA would open: the request names our return address and session.
    let request = ledgerlens_aa::redirection::open_request(
        "FIU-LEDGERLENS",
        SECRET,
        Some(&get("fi")),
        Some(&get("reqdate")),
        Some(&get("ecreq")),
        Utc::now(),
        chrono::Duration::minutes(3),
    )
    .unwrap();
    assert_eq!(request.sessionid, sid);
    assert_eq!(request.userid, "9876543210@aa-sim");
    let answer = |txnid: &str, secret: &str, clear: bool| {
        let mut url = url::Url::parse(&request.redirect).unwrap();
        let response = RedirectResponse {
            txnid: txnid.into(),
            sessionid: sid.clone(),
            userid: request.userid.clone(),
            status: "S".into(),
            errorcode: "0".into(),
            srcref: None,
        };
        if clear {
            url.query_pairs_mut().append_pair("status", "S");
        } else {
            url.query_pairs_mut().extend_pairs(response_params(
                "AA-SIM",
                secret,
                &response,
                Utc::now(),
            ));
        }
        url.to_string()
    };
    for (forged, why) in [
        (
            answer(&request.txnid, "not-the-secret", false),
            "another key",
        ),
        (answer("another-txnid", SECRET, false), "another txnid"),
        (answer(&request.txnid, SECRET, true), "status in clear"),
    ] {
        let r = http.get(&forged).send().await.unwrap();
        assert_eq!(r.status(), 400, "{why}");
        assert!(r.text().await.unwrap().contains("unverified"), "{why}");
    }
    // The genuine answer is still accepted after the forgeries.
    let r = http
        .get(answer(&request.txnid, SECRET, false))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "the genuine answer");
}

/// (date, amount, balance) of every transaction the Transactions API returns.
async fn rows(h: &Harness, t: &Tenant, sid: &str) -> Vec<(String, String, String)> {
    let (status, body) = h.get(t, &format!("session_data/{sid}/transactions/")).await;
    assert_eq!(status, 200, "{body}");
    let mut out = Vec::new();
    for account in body["accounts"].as_array().unwrap() {
        for txn in account["transactions"].as_array().unwrap() {
            out.push((
                txn["date"].as_str().unwrap_or_default().to_owned(),
                txn["amount"].to_string(),
                txn["balance"].to_string(),
            ));
        }
    }
    out
}

/// The fetch runs in the background and requests processing when the data is in.
async fn wait_aa(h: &Harness, t: &Tenant, sid: &str) {
    for _ in 0..600 {
        let (status, _) = h.get(t, &format!("session_data/{sid}/progress/")).await;
        if status == 200 {
            h.wait_processed(t, sid).await;
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the AA fetch of {sid} never requested processing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mode_aa_end_to_end() {
    let sim = ledgerlens_aa_sim::start(SimConfig::demo(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let base = &sim.base_url;
    common::point_aa_settings_at(base);
    // SAFETY: set before the server starts; this test binary runs no other test. The
    // redirection secret switches the journey to ecreq/ecres (aa_recurring.rs keeps the
    // simulator's clear shortcut).
    unsafe {
        std::env::set_var("LEDGERLENS_AA_BANKS", "hdfc,icici,sbi");
        std::env::set_var("LEDGERLENS_AA_REDIRECT_SECRET", SECRET);
    }
    let h = Harness::start(Db::Sqlite).await;
    sim.sim.set_fiu_base_url(Some(format!("{}/aa", h.base)));
    let t = h.tenant("lender").await;

    // Catalogue and validation.
    let (_, catalogue) = h.get(&t, "banks/catalogue/").await;
    let aa_of = |id: &str| {
        catalogue["banks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["name"] == id.to_uppercase())
            .map(|b| b["is_aa_available"].clone())
    };
    assert_eq!(aa_of("hdfc"), Some(json!(true)));
    assert_eq!(aa_of("kotak"), Some(json!(false)));
    let mut body = session_body("9876543210");
    body["bank_name"] = "kotak".into();
    let (status, answer) = h.create_session(&t, body).await;
    assert_eq!(
        (status, answer["error"]["code"].as_str()),
        (400, Some("MODE_NOT_AVAILABLE")),
        "{answer}"
    );
    let mut body = session_body("12345");
    let (status, answer) = h.create_session(&t, body.clone()).await;
    assert_eq!(
        (status, answer["error"]["code"].as_str()),
        (400, Some("INVALID_MOBILE_NUMBER")),
        "{answer}"
    );
    body = session_body("9876543210");
    body.as_object_mut().unwrap().remove("bank_name");
    let (status, answer) = h.create_session(&t, body).await;
    assert_eq!(
        (status, answer["error"]["code"].as_str()),
        (400, Some("MISSING_BANK_NAME")),
        "{answer}"
    );

    // Approval → FI fetched → Insights, with the consent-to-insights latency.
    let started = Instant::now();
    let (sid, page) = through_the_journey(&h, &t, "approve", &["LRN-SIM-0001"]).await;
    assert!(page.contains("fetching"), "{page}");
    wait_aa(&h, &t, &sid).await;
    let latency = started.elapsed();
    eprintln!("AA consent → insights: {latency:?}");
    let (status, insights) = h.get(&t, &format!("session_data/{sid}/insights/")).await;
    assert_eq!(status, 200, "{insights}");
    let (_, status_body) = h
        .get(&t, &format!("session_data/{sid}/session_status/"))
        .await;
    assert!(
        status_body.to_string().contains("\"source\":\"aa\""),
        "{status_body}"
    );
    let (status, _) = h.get(&t, &format!("session_data/{sid}/xlsx_report/")).await;
    assert_eq!(status, 200, "the XLSX report of an AA session");
    let aa_rows = rows(&h, &t, &sid).await;
    assert!(aa_rows.len() > 20, "{} rows", aa_rows.len());

    // The same account as a PDF, through the PDF path: the same transactions.
    let pdf = reqwest::get(format!("{base}/_sim/accounts/LRN-SIM-0001/statement.pdf"))
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap()
        .to_vec();
    let today = Utc::now().date_naive();
    let pdf_sid = h
        .session_for(&t, today - chrono::Duration::days(250), today)
        .await;
    let (status, up) = h.upload(&t, &pdf_sid, "hdfc", pdf, "").await;
    assert_eq!(status, 200, "{up}");
    let (status, _) = h
        .post(
            &t,
            &format!("session_data/{pdf_sid}/initiate_processing/"),
            json!({}),
        )
        .await;
    assert_eq!(status, 202);
    h.wait_processed(&t, &pdf_sid).await;
    assert_eq!(
        rows(&h, &t, &pdf_sid).await,
        aa_rows,
        "AA and PDF give the same transactions"
    );

    // The FIP sends no transactions: NO_TRANSACTIONS_FROM_AA on the session's statement.
    sim.sim.set_faults(Faults {
        no_transactions: true,
        ..Faults::default()
    });
    let (sid, _) = through_the_journey(&h, &t, "approve", &["LRN-SIM-0002"]).await;
    wait_aa(&h, &t, &sid).await;
    let (_, status_body) = h
        .get(&t, &format!("session_data/{sid}/session_status/"))
        .await;
    assert!(
        status_body.to_string().contains("NO_TRANSACTIONS_FROM_AA"),
        "{status_body}"
    );
    let (_, pdfs) = h.get(&t, &format!("session_data/{sid}/get_pdfs/")).await;
    assert!(
        pdfs.to_string()
            .contains("No Transactions from Account Aggregator"),
        "{pdfs}"
    );

    // Data gone at the AA: the same documented failure.
    sim.sim.set_faults(Faults {
        data_gone: true,
        ..Faults::default()
    });
    let (sid, _) = through_the_journey(&h, &t, "approve", &["LRN-SIM-0003"]).await;
    wait_aa(&h, &t, &sid).await;
    let (_, status_body) = h
        .get(&t, &format!("session_data/{sid}/session_status/"))
        .await;
    assert!(
        status_body.to_string().contains("NO_TRANSACTIONS_FROM_AA"),
        "{status_body}"
    );

    // Declined: the journey offers the PDF upload instead.
    sim.sim.set_faults(Faults::default());
    let (_, page) = through_the_journey(&h, &t, "decline", &[]).await;
    assert!(page.contains("upload-pdf"), "{page}");
    forged_returns(&h, &t).await;

    // Callbacks: the FIU acknowledged the simulator's signed notifications with signed OKs,
    // and refuses forged, stale or foreign ones.
    let log: Value = reqwest::get(format!("{base}/_sim/notifications"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let log = log.as_array().unwrap();
    assert!(
        log.iter().any(|n| n["path"] == "/Consent/Notification"
            && n["http_status"] == 200
            && n["answer_signed"] == true),
        "{log:?}"
    );
    assert!(
        log.iter()
            .any(|n| n["path"] == "/FI/Notification" && n["http_status"] == 200),
        "{log:?}"
    );
    // The AA's answers forged or stale: the FIU discards them and the journey says so.
    for fault in [
        Faults {
            bad_signature: true,
            ..Faults::default()
        },
        Faults {
            stale_timestamp: true,
            ..Faults::default()
        },
    ] {
        sim.sim.set_faults(fault);
        let (status, body) = h.create_session(&t, session_body("9876543210")).await;
        assert_eq!(status, 200, "{body}");
        let r = no_redirects()
            .get(body["redirect_url"].as_str().unwrap())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 502, "the FIU discards a bad AA answer");
    }
    sim.sim.set_faults(Faults::default());
    let forged = json!({"ver": "2.0.0", "timestamp": ledgerlens_aa::messages::timestamp(Utc::now()),
        "txnid": uuid::Uuid::new_v4().to_string(), "Notifier": {"type": "AA", "id": "AA-SIM"},
        "ConsentStatusNotification": {"consentHandle": "x", "consentStatus": "ACTIVE", "consentId": "y"}});
    let r = reqwest::Client::new()
        .post(format!("{}/aa/Consent/Notification", h.base))
        .header("aa_api_key", ledgerlens_aa_sim::notify::aa_token(&sim.sim))
        .header("x-jws-signature", "e30..AAAA")
        .json(&forged)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let answer: Value = r.json().await.unwrap();
    assert_eq!(answer["errorCode"], "SignatureDoesNotMatch");
    let r = reqwest::Client::new()
        .post(format!("{}/aa/FI/Notification", h.base))
        .json(&forged)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401, "no aa_api_key");
    // Correctly signed by the AA, but stale, from another notifier, or for an unknown handle.
    let signed_post = |path: &'static str, body: Value| {
        let bytes = body.to_string().into_bytes();
        let sig = sim.sim.config.aa_signer.sign_detached(&bytes).unwrap();
        reqwest::Client::new()
            .post(format!("{}{path}", h.base))
            .header("aa_api_key", ledgerlens_aa_sim::notify::aa_token(&sim.sim))
            .header("x-jws-signature", sig)
            .header("content-type", "application/json")
            .body(bytes)
            .send()
    };
    let notification = |stamp: chrono::DateTime<Utc>, notifier: &str, handle: &str| {
        json!({"ver": "2.0.0", "timestamp": ledgerlens_aa::messages::timestamp(stamp),
            "txnid": uuid::Uuid::new_v4().to_string(), "Notifier": {"type": "AA", "id": notifier},
            "ConsentStatusNotification": {"consentHandle": handle, "consentStatus": "REJECTED"}})
    };
    for (body, status, code) in [
        (
            notification(Utc::now() - chrono::Duration::minutes(20), "AA-SIM", "h"),
            400,
            "InvalidRequest",
        ),
        (
            notification(Utc::now(), "AA-OTHER", "h"),
            400,
            "InvalidNotifier",
        ),
        (
            notification(Utc::now(), "AA-SIM", "unknown-handle"),
            400,
            "InvalidRequest",
        ),
    ] {
        let r = signed_post("/aa/Consent/Notification", body).await.unwrap();
        assert_eq!(r.status(), status);
        let answer: Value = r.json().await.unwrap();
        assert_eq!(answer["errorCode"], code, "{answer}");
    }
    let mut unknown_session = notification(Utc::now(), "AA-SIM", "h");
    unknown_session
        .as_object_mut()
        .unwrap()
        .remove("ConsentStatusNotification");
    unknown_session["FIStatusNotification"] = json!({"sessionId": "no-such-session", "sessionStatus": "COMPLETED", "FIStatusResponse": []});
    let r = signed_post("/aa/FI/Notification", unknown_session)
        .await
        .unwrap();
    let answer: Value = r.json().await.unwrap();
    assert_eq!(answer["errorCode"], "InvalidSessionId", "{answer}");
    eprintln!("AA consent → insights latency: {} ms", latency.as_millis());

    // DataLife: the AA signs one day (as if the user had shortened it). The deadline is the
    // fetch plus a day, kept in the database: after a restart the sweep, with its clock moved
    // on, deletes the FI document and everything derived, and the API answers SESSION_DELETED.
    sim.sim.set_faults(Faults {
        data_life: Some("DAY:1".into()),
        ..Faults::default()
    });
    let before_fetch = Utc::now();
    let (sid, _) = through_the_journey(&h, &t, "approve", &["LRN-SIM-0001"]).await;
    wait_aa(&h, &t, &sid).await;
    let store = &h.server.state.store;
    let life = store.aa_data_life(&sid).await.unwrap().expect("a deadline");
    assert_eq!((life.unit.as_str(), life.value), ("DAY", 1));
    let day_ms = 86_400_000;
    assert!(
        life.expires_at - life.fetched_at == day_ms
            && life.fetched_at >= before_fetch.timestamp_millis(),
        "{life:?}"
    );
    let documents: Vec<String> = store
        .statements(&sid)
        .await
        .unwrap()
        .into_iter()
        .filter_map(|s| s.object_key)
        .collect();
    assert_eq!(documents.len(), 1, "the decrypted FI document is stored");
    let fetched = chrono::DateTime::from_timestamp_millis(life.fetched_at).unwrap();
    let swept = ledgerlens_processing::aa_flow::sweep_expired_aa_data(
        &h.server.state.processing,
        fetched + chrono::Duration::hours(23),
    )
    .await
    .unwrap();
    assert_eq!(swept, 0, "a day has not passed");
    let (status, _) = h.get(&t, &format!("session_data/{sid}/insights/")).await;
    assert_eq!(status, 200);

    // A borrower is at the AA's page when the server restarts: the consent in flight (its
    // handle and the redirection's txnid) is in the database, not only in memory.
    sim.sim.set_faults(Faults::default());
    let (status, body) = h.create_session(&t, session_body("9876543210")).await;
    assert_eq!(status, 200, "{body}");
    let waiting_sid = body["session_id"].as_str().unwrap().to_owned();
    let http = no_redirects();
    let to_aa = http
        .get(body["redirect_url"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    let waiting_webview = location(&to_aa);
    let old_base = h.base.clone();
    // Another one's fetch is under way (the FIP takes 4 s) when the server restarts: its FI
    // session and sealed keys are recorded, so the restarted server finishes it.
    sim.sim.set_faults(Faults {
        fi_delay_ms: 4000,
        ..Faults::default()
    });
    let (fetching_sid, _) = through_the_journey(&h, &t, "approve", &["LRN-SIM-0002"]).await;
    let mut recorded = false;
    for _ in 0..200 {
        let rows = store.aa_sessions_in(&["fetching"], 0).await.unwrap();
        if rows
            .iter()
            .any(|r| r.session_id == fetching_sid && r.fi_keys.is_some())
        {
            recorded = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    assert!(recorded, "the FI request and its keys are recorded");

    let dir = h.dir.clone();
    h.server.stop().await;
    let h = common::Harness::start_with(common::config(Db::Sqlite, dir)).await;
    sim.sim.set_fiu_base_url(Some(format!("{}/aa", h.base)));
    let store = &h.server.state.store;
    let swept = ledgerlens_processing::aa_flow::sweep_expired_aa_data(
        &h.server.state.processing,
        fetched + chrono::Duration::days(1) + chrono::Duration::seconds(1),
    )
    .await
    .unwrap();
    // The journeys above asked for (and got) the default month: still kept.
    assert_eq!(swept, 1, "only the one-day consent's session expired");
    for path in ["insights", "transactions", "session_status"] {
        let (status, body) = h.get(&t, &format!("session_data/{sid}/{path}/")).await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (410, Some("SESSION_DELETED")),
            "{path}: {body}"
        );
    }
    for key in &documents {
        assert!(
            store.objects().get(key).await.is_err(),
            "the FI document is deleted"
        );
    }
    assert!(store
        .statements(&sid)
        .await
        .unwrap()
        .iter()
        .all(|s| s.object_key.is_none() && s.identity.is_none() && s.account_number.is_none()));

    // The interrupted fetch finishes on the restarted server, once, and its keys are dropped.
    wait_aa(&h, &t, &fetching_sid).await;
    let (status, _) = h
        .get(&t, &format!("session_data/{fetching_sid}/insights/"))
        .await;
    assert_eq!(status, 200);
    let accepted = store
        .statements(&fetching_sid)
        .await
        .unwrap()
        .iter()
        .filter(|s| s.object_key.is_some())
        .count();
    assert_eq!(accepted, 1, "one FI document, not one per server");
    let done = store.aa_sessions_in(&["done"], 0).await.unwrap();
    assert!(done
        .iter()
        .any(|r| r.session_id == fetching_sid && r.fi_keys.is_none()));
    sim.sim.set_faults(Faults::default());

    // The borrower approves after the restart and comes back (to the new port): the restarted
    // server knows the consent and its txnid, fetches and processes.
    let query: Vec<(String, String)> = url::Url::parse(&waiting_webview)
        .unwrap()
        .query_pairs()
        .into_owned()
        .collect();
    let mut form: Vec<(&str, &str)> = query
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    form.extend([
        ("otp", "123456"),
        ("action", "approve"),
        ("account", "LRN-SIM-0001"),
    ]);
    let back = http
        .post(&waiting_webview)
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(back.status(), 303);
    let back_to = location(&back).replacen(&old_base, &h.base, 1);
    let returned = http.get(&back_to).send().await.unwrap();
    assert_eq!(
        returned.status(),
        200,
        "the consent in flight survived the restart"
    );
    assert!(returned.text().await.unwrap().contains("fetching"));
    wait_aa(&h, &t, &waiting_sid).await;
    let (status, _) = h
        .get(&t, &format!("session_data/{waiting_sid}/insights/"))
        .await;
    assert_eq!(status, 200);
    h.stop().await;
}
