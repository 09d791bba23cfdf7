//! The legacy entity API over HTTP (SQLite).

mod common;

use common::{fixture, Db, Harness};
use serde_json::{json, Value};
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn entity_lifecycle() {
    let h = Harness::start(Db::Sqlite).await;
    let t = h.tenant("lender").await;
    let r = h
        .http
        .post(h.url("entity/"))
        .header("x-api-key", &t.api_key)
        .json(&json!({"link_id": "L1", "is_single_account": true}))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status().as_u16(), 201);
    let entity: Value = r.json().await.expect("json");
    let entity_id = entity["entity_id"].as_str().expect("id").to_owned();
    assert_eq!(entity["link_id"], "L1");

    let upload = |pdf: Vec<u8>, bank: &str, path: &str| {
        let form = reqwest::multipart::Form::new()
            .part(
                "file",
                reqwest::multipart::Part::bytes(pdf).file_name("s.pdf"),
            )
            .text("bank_name", bank.to_owned())
            .text("entity_id", entity_id.clone());
        h.http
            .post(format!("{}?identity=true", h.url(path)))
            .header("x-api-key", &t.api_key)
            .multipart(form)
            .send()
    };
    let (pdf, truth) = fixture("hdfc_classic", 41);
    let r = upload(pdf, &truth.bank, "statement/upload/")
        .await
        .expect("upload");
    assert_eq!(r.status().as_u16(), 200);
    let body: Value = r.json().await.expect("json");
    assert_eq!(body["entity_id"], entity_id.as_str());
    assert_eq!(
        body["identity"]["account_number"],
        truth.identity.account_number.as_str()
    );

    // Another account into a single-account entity: refused with the legacy error shape.
    let (other, other_truth) = fixture("hdfc_classic", 42);
    let r = upload(other, &other_truth.bank, "statement/bankless_upload/")
        .await
        .expect("upload");
    assert_eq!(r.status().as_u16(), 400);
    let body: Value = r.json().await.expect("json");
    assert_eq!(body["entity_id"], entity_id.as_str());
    assert!(body["message"].is_string(), "{body}");

    let mut transactions = Value::Null;
    for _ in 0..300 {
        let (status, body) = h
            .get(&t, &format!("entity/{entity_id}/transactions/"))
            .await;
        assert_eq!(status, 200);
        if body["progress"]
            .as_array()
            .is_some_and(|p| p.iter().all(|s| s["status"] != "processing"))
        {
            transactions = body;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        transactions["transactions"].as_array().map(Vec::len),
        Some(truth.transactions.len())
    );

    let (status, list) = h.get(&t, "entity/").await;
    assert_eq!((status, &list["count"]), (200, &json!(1)));
    let (status, overview) = h.get(&t, "entity/link_overview/?link_id=L1").await;
    assert_eq!(status, 200);
    assert_eq!(overview["progress_data"][0]["bank"], truth.bank.as_str());
    let (status, _) = h.get(&t, &format!("entity/{entity_id}/")).await;
    assert_eq!(status, 200);
    let stranger = h.tenant("stranger").await;
    let (status, _) = h.get(&stranger, &format!("entity/{entity_id}/")).await;
    assert_eq!(status, 404);
    h.stop().await;
}
