//! The legacy entity API over HTTP (SQLite; the base64 uploads on PostgreSQL too).

mod common;

use base64::Engine;
use common::{fixture, Db, Harness, Tenant};
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

    // accounts/ and identity/ carry the same `fraud` field (rest-api.md, Fraud Field).
    for path in ["accounts", "identity"] {
        let (status, body) = h.get(&t, &format!("entity/{entity_id}/{path}/")).await;
        assert_eq!(status, 200, "{path}: {body}");
        assert_eq!(body["fraud"], transactions["fraud"], "{path}: {body}");
        assert!(body["fraud"]["fraud_type"].is_array(), "{path}: {body}");
        assert_eq!(body["accounts"][0]["account_id"], account_id.as_str());
        assert!(body["progress"].is_array(), "{path}: {body}");
    }

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

/// POSTs a URL-encoded form to a legacy upload route with `?identity=true`.
async fn post_form(h: &Harness, t: &Tenant, path: &str, fields: &[(&str, &str)]) -> (u16, Value) {
    let body: String = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish();
    let r = h
        .http
        .post(format!("{}?identity=true", h.url(path)))
        .header("x-api-key", &t.api_key)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .expect("send");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn base64_uploads_sqlite() {
    base64_uploads(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn base64_uploads_postgres() {
    base64_uploads(Db::Postgres).await;
}

/// statement/upload_base64/ and statement/bankless_upload_base64/ behave as the file uploads.
async fn base64_uploads(db: Db) {
    if db == Db::Postgres && !common::postgres_reachable().await {
        eprintln!("skipping: PostgreSQL is not reachable");
        return;
    }
    let h = Harness::start(db).await;
    let t = h.tenant("lender").await;
    let (status, entity) = h.post(&t, "entity/", json!({"link_id": "B64"})).await;
    assert_eq!(status, 201, "{entity}");
    let entity_id = entity["entity_id"].as_str().expect("id").to_owned();
    let b64 = |pdf: &[u8]| base64::engine::general_purpose::STANDARD.encode(pdf);

    // Legacy routes answer a wrong method with the documented JSON 405, like the session flow.
    for path in [
        "statement/upload/",
        "statement/upload_base64/",
        "entity/link_overview/",
    ] {
        let method_is_wrong = if path.starts_with("statement") {
            h.http.get(h.url(path))
        } else {
            h.http.delete(h.url(path))
        };
        let r = method_is_wrong
            .header("x-api-key", &t.api_key)
            .send()
            .await
            .expect("send");
        assert_eq!(r.status().as_u16(), 405, "{path}");
        assert_eq!(
            r.json::<Value>().await.expect("json")["error"]["code"],
            "METHOD_NOT_ALLOWED",
            "{path}"
        );
    }

    // statement/upload_base64/: URL-encoded, bank given.
    let (pdf, truth) = fixture("hdfc_classic", 41);
    let encoded = b64(&pdf);
    let (status, body) = post_form(
        &h,
        &t,
        "statement/upload_base64/",
        &[
            ("file", encoded.as_str()),
            ("bank_name", truth.bank.as_str()),
            ("entity_id", entity_id.as_str()),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["entity_id"], entity_id.as_str());
    assert_eq!(body["bank_name"], truth.bank.as_str());
    assert!(body["statement_id"].is_string(), "{body}");
    assert_eq!(
        body["identity"]["account_number"],
        truth.identity.account_number.as_str()
    );
    assert!(body["date_range"]["from_date"].is_string(), "{body}");

    // statement/bankless_upload_base64/: multipart with the BASE64 text as a plain field (and
    // a data: URL prefix, as browsers produce it); the bank is detected.
    let (other, other_truth) = fixture("hdfc_classic", 42);
    let form = reqwest::multipart::Form::new()
        .text(
            "file",
            format!("data:application/pdf;base64,{}", b64(&other)),
        )
        .text("entity_id", entity_id.clone());
    let r = h
        .http
        .post(h.url("statement/bankless_upload_base64/"))
        .header("x-api-key", &t.api_key)
        .multipart(form)
        .send()
        .await
        .expect("send");
    assert_eq!(r.status().as_u16(), 200);
    let body: Value = r.json().await.expect("json");
    assert_eq!(body["entity_id"], entity_id.as_str());
    assert_eq!(body["bank_name"], other_truth.bank.as_str());

    // Field errors in the documented form (upload-rest-api.md, "Bad Request Cases"):
    // {"<field>": [message], "status": 0}, exactly as the file uploads answer.
    let cases = [
        (
            "statement/upload_base64/",
            "file",
            vec![("file", "not base64!"), ("bank_name", "hdfc")],
        ),
        (
            "statement/bankless_upload_base64/",
            "file",
            vec![("file", "%%%")],
        ),
        (
            "statement/upload_base64/",
            "bank_name",
            vec![("file", encoded.as_str())],
        ),
    ];
    for (path, field, fields) in cases {
        let mut fields = fields;
        fields.push(("entity_id", entity_id.as_str()));
        let (status, body) = post_form(&h, &t, path, &fields).await;
        assert_eq!(status, 400, "{path} {field}: {body}");
        assert_eq!(body["status"], 0, "{body}");
        assert!(body[field][0].is_string(), "{path}: {body}");
    }
    let (_, body) = post_form(
        &h,
        &t,
        "statement/upload_base64/",
        &[
            ("file", "not base64!"),
            ("bank_name", "hdfc"),
            ("entity_id", entity_id.as_str()),
        ],
    )
    .await;
    assert_eq!(
        body,
        json!({"file": ["Invalid Base 64 string"], "status": 0, "entity_id": entity_id})
    );
    // A missing file answers as statement/bankless_upload/ does.
    let (status, base64_missing) = post_form(
        &h,
        &t,
        "statement/bankless_upload_base64/",
        &[("entity_id", entity_id.as_str())],
    )
    .await;
    let (_, file_missing) = post_form(
        &h,
        &t,
        "statement/bankless_upload/",
        &[("upload_type", "BASE64"), ("entity_id", entity_id.as_str())],
    )
    .await;
    assert_eq!(status, 400, "{base64_missing}");
    // upload-rest-api.md: "Compulsory field is missing".
    assert_eq!(
        base64_missing,
        json!({"file": ["This field is required."], "status": 0, "entity_id": entity_id})
    );
    assert_eq!(base64_missing, file_missing);
    // The same statement again: the duplicate error of the file upload.
    let (status, body) = post_form(
        &h,
        &t,
        "statement/upload_base64/",
        &[
            ("file", encoded.as_str()),
            ("bank_name", truth.bank.as_str()),
            ("entity_id", entity_id.as_str()),
        ],
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["entity_id"], entity_id.as_str());
    // No API key: the documented 401.
    let r = h
        .http
        .post(h.url("statement/upload_base64/"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("file=AAAA")
        .send()
        .await
        .expect("send");
    assert_eq!(r.status().as_u16(), 401);

    // The uploads land in the entity like file uploads.
    let (status, accounts) = h.get(&t, &format!("entity/{entity_id}/accounts/")).await;
    assert_eq!(status, 200);
    assert_eq!(
        accounts["accounts"].as_array().map(Vec::len),
        Some(2),
        "{accounts}"
    );
    assert!(
        accounts["fraud"]["fraudulent_statements"].is_array(),
        "{accounts}"
    );
    h.stop().await;
}
