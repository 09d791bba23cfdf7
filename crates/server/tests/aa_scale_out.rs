//! Two `serve` instances on one PostgreSQL database running AA journeys against the simulator
//! on loopback (#15): a consent's fetch is claimed by exactly one of them (the return page on
//! one, the AA's notification on the other); a fetch outliving its lease's renewals is never
//! taken over while its server lives; when that server dies the other takes the fetch over
//! once the lease has expired, and the session ends with one FI document and one set of
//! statements. A session deleted while its fetch is in flight loses its key material at once
//! and stores nothing of the fetch's later result.
//!
//! One test function: the AA runtime is process-wide (configured from the environment). The
//! two servers share the data directory (the secrets key that seals FI keys, and the objects).

mod common;

use chrono::{Datelike, Utc};
use common::{Db, Harness, Tenant};
use ledgerlens_aa_sim::{Faults, SimConfig};
use serde_json::{json, Value};
use std::time::Duration;

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

fn location(r: &reqwest::Response) -> String {
    r.headers()["location"].to_str().unwrap().to_owned()
}

fn session_body() -> Value {
    let today = Utc::now().date_naive();
    let first = chrono::NaiveDate::from_ymd_opt(today.year(), today.month(), 1).unwrap();
    let from = first.checked_sub_months(chrono::Months::new(6)).unwrap();
    json!({
        "link_id": "aa-user", "mode": "aa", "bank_name": "hdfc", "mobile_number": "9876543210",
        "from_date": from.format("%d/%m/%Y").to_string(),
        "to_date": today.format("%d/%m/%Y").to_string(),
    })
}

/// Session and journey on `h`, approved at the simulator's page; the borrower comes back to
/// `h`. Returns the session id.
async fn approve_on(h: &Harness, t: &Tenant) -> String {
    let (status, body) = h.create_session(t, session_body()).await;
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
    let redirect = url::Url::parse(&webview)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "redirect")
        .unwrap()
        .1
        .into_owned();
    let form = [
        ("otp", "123456"),
        ("action", "approve"),
        ("redirect", redirect.as_str()),
        ("account", "LRN-SIM-0001"),
    ];
    let back = http.post(&webview).form(&form).send().await.unwrap();
    assert_eq!(back.status(), 303);
    let returned = http.get(location(&back)).send().await.unwrap();
    assert_eq!(returned.status(), 200);
    sid
}

async fn wait_aa(h: &Harness, t: &Tenant, sid: &str) {
    for _ in 0..600 {
        let (status, _) = h.get(t, &format!("session_data/{sid}/progress/")).await;
        if status == 200 {
            h.wait_processed(t, sid).await;
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the AA fetch of {sid} never requested processing");
}

/// (FI documents stored, statements, transactions) of a finished session.
async fn outcome(h: &Harness, t: &Tenant, sid: &str) -> (usize, usize, usize) {
    let statements = h.server.state.store.statements(sid).await.unwrap();
    let documents = statements.iter().filter(|s| s.object_key.is_some()).count();
    let (status, txns) = h.get(t, &format!("session_data/{sid}/transactions/")).await;
    assert_eq!(status, 200, "{txns}");
    let transactions = txns["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["transactions"].as_array().map_or(0, Vec::len))
        .sum();
    (documents, statements.len(), transactions)
}

/// Waits until the session's FI request and sealed keys are recorded; returns the lease owner.
async fn wait_fetching(h: &Harness, sid: &str) -> String {
    for _ in 0..400 {
        let row = h.server.state.store.aa_session(sid).await.unwrap();
        if let Some(row) = row.filter(|r| r.stage == "fetching" && r.fi_keys.is_some()) {
            return row.lease_owner.expect("a claimed fetch has an owner");
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("the FI request of {sid} was never recorded");
}

/// Every file under `dir` whose path names the session.
fn files_of(dir: &std::path::Path, sid: &str) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.to_string_lossy().contains(sid) {
                out.push(path);
            }
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_share_aa_fetches() {
    let sim = ledgerlens_aa_sim::start(SimConfig::demo(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    common::point_aa_settings_at(&sim.base_url);
    // One database schema and one data directory, two servers; short leases so that a dead
    // server's fetch is taken over within the test.
    let lease = Duration::from_millis(1000);
    let mut config_a = common::config(Db::Postgres, common::temp_dir());
    config_a.job_lease = lease;
    let mut config_b = config_a.clone();
    config_b.listen = "127.0.0.1:0".into();
    let a = Harness::start_with(config_a).await;
    let b = Harness::start_with(config_b).await;
    let owner_a = a.server.state.aa_fetches.owner.clone();
    let owner_b = b.server.state.aa_fetches.owner.clone();
    assert_ne!(owner_a, owner_b);
    let t = a.tenant("lender").await;

    // The borrower returns to A while the AA's consent notification reaches B: both try to
    // start the fetch, one claims it, the session ends with one FI document.
    sim.sim.set_fiu_base_url(Some(format!("{}/aa", b.base)));
    let first = approve_on(&a, &t).await;
    wait_aa(&a, &t, &first).await;
    let (documents, statements, transactions) = outcome(&a, &t, &first).await;
    assert_eq!((documents, statements), (1, 1), "one fetch stored once");
    assert!(transactions > 0);
    let row = a
        .server
        .state
        .store
        .aa_session(&first)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((row.stage.as_str(), row.fi_keys.is_none()), ("done", true));

    // A fetch on A that lasts three leases (the FIP takes 3 s): A renews its lease, so B (whose
    // takeover pass runs every half lease) never takes it over while A lives...
    sim.sim.set_fiu_base_url(Some(format!("{}/aa", a.base)));
    sim.sim.set_faults(Faults {
        fi_delay_ms: 3000,
        ..Faults::default()
    });
    let second = approve_on(&a, &t).await;
    assert_eq!(wait_fetching(&a, &second).await, owner_a);
    tokio::time::sleep(lease * 3 / 2).await;
    let row = a
        .server
        .state
        .store
        .aa_session(&second)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (row.stage.as_str(), row.lease_owner.as_deref()),
        ("fetching", Some(owner_a.as_str())),
        "a live lease is not taken over"
    );
    // ...then A dies mid-fetch (its fetch stops where it is, its lease is not released): B
    // takes the fetch over once the lease has expired and finishes it with the stored keys.
    let died = std::time::Instant::now();
    sim.sim.set_fiu_base_url(Some(format!("{}/aa", b.base)));
    // `a`'s other fields (its schema guard) stay until the end of the test.
    let dir = a.dir.clone();
    a.server.stop().await;
    wait_aa(&b, &t, &second).await;
    eprintln!(
        "dead server's AA fetch finished by the other in {} ms (lease {} ms)",
        died.elapsed().as_millis(),
        lease.as_millis()
    );
    let row = b
        .server
        .state
        .store
        .aa_session(&second)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            row.stage.as_str(),
            row.lease_owner.as_deref(),
            row.fi_keys.is_none()
        ),
        ("done", Some(owner_b.as_str()), true),
        "B took the fetch over and finished it"
    );
    assert_eq!(
        outcome(&b, &t, &second).await,
        (1, 1, transactions),
        "one FI document and one set of statements, the same as the uninterrupted fetch"
    );

    // A session deleted while B's fetch is in flight: its stored key material is gone at once,
    // and the fetch's later result is not stored (no statement, no FI document).
    let third = approve_on(&b, &t).await;
    assert_eq!(wait_fetching(&b, &third).await, owner_b);
    let r = b
        .http
        .delete(b.url(&format!("session_data/{third}/delete/")))
        .header("x-api-key", &t.api_key)
        .header("server-hash", &t.server_hash)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let store = &b.server.state.store;
    let row = store.aa_session(&third).await.unwrap().unwrap();
    assert_eq!(
        (row.stage.as_str(), row.fi_keys.is_none()),
        ("failed", true),
        "the delete cleared the FI keys"
    );
    // Past the FIP's delay and a lease: the fetch would have stored its data by now.
    tokio::time::sleep(Duration::from_millis(3000) + lease * 2).await;
    assert!(store.statements(&third).await.unwrap().is_empty());
    let row = store.aa_session(&third).await.unwrap().unwrap();
    assert_eq!(
        (
            row.stage.as_str(),
            row.fi_keys.is_none(),
            row.failure.as_deref()
        ),
        ("failed", true, Some("session deleted")),
        "the fetch wrote nothing back"
    );
    assert_eq!(files_of(&dir, &third), Vec::<std::path::PathBuf>::new());
    let (status, _) = b.get(&t, &format!("session_data/{third}/insights/")).await;
    assert_eq!(status, 410);

    sim.sim.set_faults(Faults::default());
    b.stop().await;
}
