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
    let account_id = transactions["accounts"][0]["account_id"]
        .as_str()
        .expect("account id")
        .to_owned();
    assert!(
        transactions["transactions"]
            .as_array()
            .is_some_and(
                |rows| rows.iter().all(|t| t["transaction_channel"].is_string()
                    && t["description"].is_string()
                    && t["account_id"] == account_id.as_str())
            ),
        "entity transactions are enriched"
    );
    assert!(transactions["fraud"]["fraudulent_statements"].is_array());

    // Every enrichment endpoint answers with its documented key and the progress field.
    for (section, key) in [
        ("salary", "transactions"),
        ("recurring_transactions", "transactions"),
        ("lender_transactions", "transactions"),
        ("get_expense_categories", "categories"),
        ("top_credits_debits", "top_5_credit_debit"),
        ("monthly_analysis_updated", "monthly_analysis"),
        ("predictors", "predictors"),
        ("score", "score"),
    ] {
        let (status, body) = h.get(&t, &format!("entity/{entity_id}/{section}/")).await;
        assert_eq!(status, 200, "{section}: {body}");
        assert!(body["progress"].is_array(), "{section}: {body}");
        assert!(!body[key].is_null(), "{section} has {key}: {body}");
    }
    let salary_labels = truth
        .transactions
        .iter()
        .filter(|t| t.label == "salary")
        .count();
    let (_, salary) = h.get(&t, &format!("entity/{entity_id}/salary/")).await;
    if salary_labels > 0 {
        assert!(
            salary["transactions"].as_array().is_some_and(
                |rows| !rows.is_empty() && rows.iter().all(|r| r["month_year"].is_string())
            ),
            "{salary}"
        );
    }
    let (_, predictors) = h.get(&t, &format!("entity/{entity_id}/predictors/")).await;
    assert_eq!(
        predictors["predictors"][0]["account_id"],
        account_id.as_str()
    );
    assert!(predictors["predictors"][0]["predictors"]
        .as_object()
        .is_some_and(|p| p.len() > 874));
    let (_, score) = h.get(&t, &format!("entity/{entity_id}/score/")).await;
    let value = score["score"][0]["score"].as_f64().expect("score");
    assert!((300.0..=900.0).contains(&value), "{score}");
    let (_, monthly) = h
        .get(&t, &format!("entity/{entity_id}/monthly_analysis_updated/"))
        .await;
    assert!(
        monthly["monthly_analysis"]["account_id"][0][account_id.as_str()]["monthly_analysis"]
            ["opening_balance"]
            .is_object(),
        "{monthly}"
    );
    let (status, filtered) = h
        .get(
            &t,
            &format!("entity/{entity_id}/transactions/?account_id=nope"),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(filtered["transactions"], json!([]));

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
