//! Recurring Account Aggregator pulls over HTTP: `serve` and the AA simulator on loopback. A
//! session with a recurring consent goes through the journey; the consent is listed by
//! get_recurring_consent_details; each fetch_recurring_aa_data creates a new session that ends
//! in Insights; Frequency is counted (CONSENT_OVERUSED), a revoked consent, an unknown consent
//! and dates outside the consent end in their documented errors. SQLite and PostgreSQL.
//!
//! One test function: the AA runtime is process-wide (configured from the environment).

mod common;

use chrono::{Datelike, Months, NaiveDate, Utc};
use common::{Db, Harness, Tenant};
use ledgerlens_aa_sim::SimConfig;
use serde_json::{json, Value};

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

fn location(r: &reqwest::Response) -> String {
    r.headers()["location"].to_str().unwrap().to_owned()
}

/// The first day of the month `back` months before this one (the sim's data covers six).
fn month_start(back: u32) -> NaiveDate {
    let today = Utc::now().date_naive();
    let first = NaiveDate::from_ymd_opt(today.year(), today.month(), 1).unwrap();
    first.checked_sub_months(Months::new(back)).unwrap()
}

fn dmy(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// Session (recurring, 3 pulls a day) → journey → approval; returns (session id, AA handle).
async fn recurring_session(h: &Harness, t: &Tenant, account: &str) -> (String, String) {
    let body = json!({
        "link_id": "aa-monitor", "mode": "aa", "bank_name": "hdfc", "mobile_number": "9876543210",
        "from_date": dmy(month_start(6)), "to_date": dmy(Utc::now().date_naive()),
        "aa_journey_mode": "once_with_recurring", "aa_recurring_tenure_month_count": 12,
        "aa_recurring_frequency_unit": "day", "aa_recurring_frequency_value": 3,
    });
    let (status, body) = h.create_session(t, body).await;
    assert_eq!(status, 200, "{body}");
    let sid = body["session_id"].as_str().unwrap().to_owned();
    let http = no_redirects();
    let to_aa = http
        .get(body["redirect_url"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(to_aa.status(), 303);
    let webview = location(&to_aa);
    let url = url::Url::parse(&webview).unwrap();
    let handle = url.path_segments().unwrap().next_back().unwrap().to_owned();
    let redirect = url
        .query_pairs()
        .find(|(k, _)| k == "redirect")
        .unwrap()
        .1
        .into_owned();
    let form = [
        ("otp", "123456"),
        ("action", "approve"),
        ("redirect", redirect.as_str()),
        ("account", account),
    ];
    let back = http.post(&webview).form(&form).send().await.unwrap();
    assert_eq!(back.status(), 303);
    let returned = http.get(location(&back)).send().await.unwrap();
    assert_eq!(returned.status(), 200);
    wait_aa(h, t, &sid).await;
    (sid, handle)
}

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

async fn pull(
    h: &Harness,
    t: &Tenant,
    consent: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> (u16, Value) {
    h.post(
        t,
        "account_aggregator/fetch_recurring_aa_data/",
        json!({"consent_id": consent, "date_time_range_from": dmy(from), "date_time_range_to": dmy(to)}),
    )
    .await
}

fn code(answer: &(u16, Value)) -> (u16, Option<&str>) {
    (answer.0, answer.1["error"]["code"].as_str())
}

/// Insights of a pulled session, with its transaction count.
async fn pulled_insights(h: &Harness, t: &Tenant, sid: &str) -> usize {
    wait_aa(h, t, sid).await;
    let (status, insights) = h.get(t, &format!("session_data/{sid}/insights/")).await;
    assert_eq!(status, 200, "{insights}");
    let (status, txns) = h.get(t, &format!("session_data/{sid}/transactions/")).await;
    assert_eq!(status, 200, "{txns}");
    txns["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["transactions"].as_array().map_or(0, Vec::len))
        .sum()
}

async fn scenario(db: Db, sim: &ledgerlens_aa_sim::RunningSim) {
    let h = Harness::start(db).await;
    sim.sim.set_fiu_base_url(Some(format!("{}/aa", h.base)));
    let t = h.tenant("lender").await;
    let (sid, _) = recurring_session(&h, &t, "LRN-SIM-0001").await;

    let (status, details) = h
        .post(
            &t,
            &format!("account_aggregator/get_recurring_consent_details/?session_id={sid}"),
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{details}");
    let consents = details["consent_details"].as_array().unwrap();
    assert_eq!(consents.len(), 1, "{details}");
    let c = &consents[0];
    assert_eq!(
        (
            &c["bank_name"],
            &c["tenure_month_count"],
            &c["frequency_unit"],
            &c["frequency_value"]
        ),
        (&json!("hdfc"), &json!(12), &json!("day"), &json!(3)),
        "{details}"
    );
    assert!(
        c["masked_account_number"]
            .as_str()
            .is_some_and(|m| m.contains('X')),
        "{details}"
    );
    let consent = c["consent_id"].as_str().unwrap().to_owned();

    // Two pulls: two new sessions, each with Insights over its own months.
    let first = pull(
        &h,
        &t,
        &consent,
        month_start(6),
        month_start(4) - chrono::Duration::days(1),
    )
    .await;
    assert_eq!(first.0, 200, "{}", first.1);
    let second = pull(
        &h,
        &t,
        &consent,
        month_start(3),
        month_start(1) - chrono::Duration::days(1),
    )
    .await;
    assert_eq!(second.0, 200, "{}", second.1);
    let (s1, s2) = (
        first.1["session_id"].as_str().unwrap().to_owned(),
        second.1["session_id"].as_str().unwrap().to_owned(),
    );
    assert!(s1 != s2 && s1 != sid && s2 != sid);
    let (n1, n2) = (
        pulled_insights(&h, &t, &s1).await,
        pulled_insights(&h, &t, &s2).await,
    );
    assert!(n1 > 5 && n2 > 5, "{n1} and {n2} transactions");

    // The journey's fetch and two pulls spent today's three uses.
    let third = pull(&h, &t, &consent, month_start(2), month_start(1)).await;
    assert_eq!(code(&third), (400, Some("CONSENT_OVERUSED")), "{}", third.1);

    // Dates: reversed, or before the consent's FI data range.
    let reversed = pull(&h, &t, &consent, month_start(2), month_start(3)).await;
    assert_eq!(
        code(&reversed),
        (400, Some("INVALID_DATE_RANGE")),
        "{}",
        reversed.1
    );
    let too_early = pull(&h, &t, &consent, month_start(9), month_start(5)).await;
    assert_eq!(
        code(&too_early),
        (400, Some("INVALID_DATE_RANGE")),
        "{}",
        too_early.1
    );
    let (status, bad_format) = h
        .post(
            &t,
            "account_aggregator/fetch_recurring_aa_data/",
            json!({"consent_id": consent, "date_time_range_from": "2025-10-10", "date_time_range_to": "10/11/2025"}),
        )
        .await;
    assert_eq!(
        (status, bad_format["error"]["code"].as_str()),
        (400, Some("INVALID_DATE_FORMAT"))
    );

    // Unknown ids, and a consent of another client.
    let unknown = pull(&h, &t, "no-such-consent", month_start(3), month_start(2)).await;
    assert_eq!(
        code(&unknown),
        (400, Some("INVALID_CONSENT_ID")),
        "{}",
        unknown.1
    );
    let other = h.tenant("other-lender").await;
    let foreign = pull(&h, &other, &consent, month_start(3), month_start(2)).await;
    assert_eq!(
        code(&foreign),
        (400, Some("INVALID_CONSENT_ID")),
        "{}",
        foreign.1
    );
    let (status, answer) = h
        .post(
            &t,
            "account_aggregator/get_recurring_consent_details/?session_id=no-such-session",
            json!({}),
        )
        .await;
    assert_eq!(
        (status, answer["error"]["code"].as_str()),
        (400, Some("INVALID_SESSION_ID"))
    );

    // Revoked at the AA: refused without using the consent.
    let (second_sid, handle) = recurring_session(&h, &t, "LRN-SIM-0002").await;
    let (_, details) = h
        .post(
            &t,
            &format!("account_aggregator/get_recurring_consent_details/?session_id={second_sid}"),
            json!({}),
        )
        .await;
    let revoked_consent = details["consent_details"][0]["consent_id"]
        .as_str()
        .expect("the second journey's consent")
        .to_owned();
    assert_ne!(revoked_consent, consent);
    let r = reqwest::Client::new()
        .post(format!("{}/_sim/consents/{handle}/revoke", sim.base_url))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.status());
    let revoked = pull(&h, &t, &revoked_consent, month_start(3), month_start(2)).await;
    assert_eq!(
        code(&revoked),
        (400, Some("CONSENT_REVOKED")),
        "{}",
        revoked.1
    );
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recurring_pulls() {
    let sim = ledgerlens_aa_sim::start(SimConfig::demo(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    common::point_aa_settings_at(&sim.base_url);
    let started = std::time::Instant::now();
    scenario(Db::Sqlite, &sim).await;
    eprintln!("recurring pulls on SQLite: {:?}", started.elapsed());
    let started = std::time::Instant::now();
    scenario(Db::Postgres, &sim).await;
    eprintln!("recurring pulls on PostgreSQL: {:?}", started.elapsed());
}
