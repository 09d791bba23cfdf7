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
    let redirect = url::Url::parse(&webview)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "redirect")
        .unwrap()
        .1
        .into_owned();
    let mut form = vec![
        ("otp", "123456"),
        ("action", action),
        ("redirect", redirect.as_str()),
    ];
    form.extend(accounts.iter().map(|a| ("account", *a)));
    let back = http.post(&webview).form(&form).send().await.unwrap();
    assert_eq!(back.status(), 303);
    let returned = http.get(location(&back)).send().await.unwrap();
    assert_eq!(returned.status(), 200);
    (sid, returned.text().await.unwrap())
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
    // SAFETY: set before the server starts; this test binary runs no other test.
    unsafe { std::env::set_var("LEDGERLENS_AA_BANKS", "hdfc,icici,sbi") };
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
    h.stop().await;
}
