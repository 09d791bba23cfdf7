//! The session flow over HTTP against the real server, on SQLite and on PostgreSQL.

mod common;

use common::{fixture, Db, Harness};
use serde_json::{json, Value};

const LAYOUT: &str = "hdfc_classic";

async fn available(db: Db) -> bool {
    if db == Db::Postgres && !common::postgres_reachable().await {
        eprintln!("PostgreSQL not reachable on 127.0.0.1:5432; skipping");
        return false;
    }
    true
}

async fn end_to_end(db: Db) {
    if !available(db).await {
        return;
    }
    let h = Harness::start(db).await;
    let t = h.tenant("lender").await;
    let (pdf, truth) = fixture(LAYOUT, 7);
    let sid = h
        .session_for(&t, truth.identity.from_date, truth.identity.to_date)
        .await;

    let (status, body) = h.get(&t, &format!("session_data/{sid}/insights/")).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("PROCESSING_NOT_REQUESTED")),
        "{body}"
    );

    let (status, body) = h
        .upload(
            &t,
            &sid,
            &truth.bank,
            pdf.clone(),
            "?identity=true&progress=true",
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["bank_name"], truth.bank.as_str());
    assert_eq!(body["session_id"], sid.as_str());
    assert_eq!(
        body["identity"]["account_number"],
        truth.identity.account_number.as_str()
    );
    assert_eq!(body["status"], 1);
    assert!(body["progress"].is_array(), "{body}");
    assert_eq!(
        (&body["is_fraud"], &body["fraud_type"]),
        (&json!(false), &Value::Null),
        "an honest fixture is not fraud at upload"
    );
    let statement_id = body["statement_id"]
        .as_str()
        .expect("statement id")
        .to_owned();

    let (status, body) = h.upload(&t, &sid, &truth.bank, pdf.clone(), "").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("STATEMENT_DUPLICATE")),
        "{body}"
    );
    assert_eq!(body["session_id"], sid.as_str());

    let (status, body) = h
        .get(&t, &format!("session_data/{sid}/session_upload_status/"))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["upload_status"], "IN PROGRESS");

    let (status, body) = h
        .post(
            &t,
            &format!("session_data/{sid}/initiate_processing/"),
            json!({}),
        )
        .await;
    assert_eq!(
        (status, &body["message"]),
        (202, &json!("success")),
        "{body}"
    );
    let (status, body) = h
        .post(
            &t,
            &format!("session_data/{sid}/initiate_processing/"),
            json!({}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("DUPLICATE_PROCESSING_REQUEST")),
        "{body}"
    );
    let (status, body) = h
        .upload(&t, &sid, &truth.bank, fixture(LAYOUT, 8).0, "")
        .await;
    assert_eq!(
        status, 400,
        "no uploads after processing was requested: {body}"
    );

    let progress = h.wait_processed(&t, &sid).await;
    assert_eq!(
        progress["progress"][0]["transaction_status"], "completed",
        "{progress}"
    );

    let (status, insights) = h.get(&t, &format!("session_data/{sid}/insights/")).await;
    assert_eq!(status, 200, "{insights}");
    let account = &insights["accounts"][0];
    let transactions = account["data"]["transactions"]
        .as_array()
        .expect("transactions");
    assert_eq!(transactions.len(), truth.transactions.len());
    assert_eq!(
        account["data"]["account_details"]["statements"],
        json!([statement_id])
    );
    assert_enrichment(&account["data"], &truth);
    for (endpoint, section) in [
        ("predictors", "predictors"),
        ("eod_balances", "eod_balances"),
        ("monthly_analysis_updated", "monthly_analysis"),
        ("recurring_transactions", "recurring_transactions"),
    ] {
        let (status, body) = h.get(&t, &format!("session_data/{sid}/{endpoint}/")).await;
        assert_eq!(status, 200, "{endpoint}: {body}");
        assert_eq!(body["session_id"], sid.as_str());
        assert_eq!(
            body["accounts"][0]["data"][section], account["data"][section],
            "{endpoint} serves the Insights section"
        );
    }

    let (status, body) = h
        .get(&t, &format!("session_data/{sid}/transactions/"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        body["accounts"][0]["transactions"].as_array().map(Vec::len),
        Some(truth.transactions.len())
    );
    assert!(
        body["accounts"][0]["transactions"]
            .as_array()
            .is_some_and(|rows| rows
                .iter()
                .all(|t| t["category"].is_string()
                    && t["metadata"]["transaction_channel"].is_string())),
        "transactions carry category and metadata"
    );
    let (status, body) = h.get(&t, &format!("session_data/{sid}/identity/")).await;
    assert_eq!(status, 200);
    assert_eq!(
        body["identity"][0]["account_number"],
        truth.identity.account_number.as_str()
    );
    let (status, body) = h
        .get(&t, &format!("session_data/{sid}/session_status/"))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["accounts"][0]["statements"][0]["statement_status"],
        "completed"
    );
    assert_eq!(body["insights_available"], true, "{body}");
    assert_eq!(
        (
            body["accounts"][0]["account_status"].as_str(),
            &body["accounts"][0]["error_code"]
        ),
        (Some("completed"), &Value::Null),
        "one reconciled statement covering the session range: {body}"
    );

    // The PDF link works without credentials, and only as signed.
    let (status, pdfs) = h.get(&t, &format!("session_data/{sid}/get_pdfs/")).await;
    assert_eq!(status, 200);
    let link = pdfs["statements"][0]["pdf_url"]
        .as_str()
        .expect("pdf url")
        .to_owned();
    let downloaded = h.http.get(&link).send().await.expect("download");
    assert_eq!(downloaded.status().as_u16(), 200);
    assert_eq!(downloaded.bytes().await.expect("bytes").to_vec(), pdf);
    let tampered = link.replace("signature=", "signature=0");
    assert_eq!(
        h.http
            .get(&tampered)
            .send()
            .await
            .expect("download")
            .status()
            .as_u16(),
        404
    );

    // Exactly one result row even though a job might have been retried.
    assert_eq!(
        h.server
            .state
            .store
            .count_statement_results(&statement_id)
            .await
            .expect("count"),
        1
    );

    let r = h
        .http
        .delete(h.url(&format!("session_data/{sid}/delete/")))
        .header("x-api-key", &t.api_key)
        .header("server-hash", &t.server_hash)
        .send()
        .await
        .expect("delete");
    assert_eq!(r.status().as_u16(), 200);
    let (status, body) = h.get(&t, &format!("session_data/{sid}/insights/")).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (410, Some("SESSION_DELETED"))
    );
    assert_eq!(
        h.http
            .get(&link)
            .send()
            .await
            .expect("download")
            .status()
            .as_u16(),
        404,
        "files go with the session"
    );
    h.stop().await;
}

/// "Aug-2025" and "Aug-25" keys of every month from the first to the last transaction.
fn truth_months(truth: &ledgerlens_fixtures::StatementTruth) -> (Vec<String>, Vec<String>) {
    use chrono::Datelike;
    let (Some(first), Some(last)) = (truth.transactions.first(), truth.transactions.last()) else {
        return (Vec::new(), Vec::new());
    };
    let mut month = first.date.date().with_day(1).expect("first of month");
    let mut long = Vec::new();
    let mut short = Vec::new();
    while month <= last.date.date() {
        long.push(month.format("%b-%Y").to_string());
        short.push(month.format("%b-%y").to_string());
        month = month
            .checked_add_months(chrono::Months::new(1))
            .expect("next month");
    }
    (long, short)
}

/// Predictor keys with their month index written as the contract's key list does ("_N").
fn predictor_templates<'a>(
    keys: impl Iterator<Item = &'a String>,
) -> std::collections::BTreeSet<String> {
    keys.map(|key| match key.rsplit_once('_') {
        // "_04" (a day of month) is part of the key; "_4" is a month index.
        Some((stem, n)) if n.parse::<u8>().is_ok_and(|v| v <= 11 && v.to_string() == n) => {
            format!("{stem}_N")
        }
        _ => key.clone(),
    })
    .collect()
}

/// The enrichment sections of one account's Insights `data` against the fixture's truth.
fn assert_enrichment(data: &Value, truth: &ledgerlens_fixtures::StatementTruth) {
    let transactions = data["transactions"].as_array().expect("transactions");
    assert!(
        transactions
            .iter()
            .all(|t| t["category"].is_string() && t["metadata"]["description"].is_string()),
        "every transaction has category and metadata"
    );
    let salary_labels = truth
        .transactions
        .iter()
        .filter(|t| t.label == "salary")
        .count();
    let salary_rows = data["salary_transactions"].as_array().map_or(0, Vec::len);
    if salary_labels > 0 {
        assert!(
            salary_rows > 0,
            "{salary_labels} salary credits in the fixture, none found"
        );
        assert!(data["salary_confidence"].is_number());
    }
    let (months, short_months) = truth_months(truth);
    let opening = data["monthly_analysis"]["opening_balance"]
        .as_object()
        .expect("monthly opening_balance");
    let mut analysed: Vec<&String> = opening.keys().collect();
    let order =
        |key: &&String| chrono::NaiveDate::parse_from_str(&format!("01-{key}"), "%d-%b-%Y").ok();
    analysed.sort_by_key(order);
    assert_eq!(
        analysed,
        months.iter().collect::<Vec<_>>(),
        "monthly analysis covers the statement's months"
    );
    assert_eq!(
        data["eod_balances"]["Months_order"],
        json!(short_months),
        "EOD months"
    );
    for month in &short_months {
        assert!(
            data["eod_balances"][month.as_str()].is_array(),
            "EOD array for {month}"
        );
    }
    let predictors = data["predictors"].as_object().expect("predictors");
    let templates = predictor_templates(predictors.keys());
    assert_eq!(templates.len(), 874, "every predictor key of the contract");
    if let Ok(spec) = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/spec/finbox_predictor_keys.txt"
    )) {
        let spec: std::collections::BTreeSet<String> = spec
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect();
        assert_eq!(templates, spec, "predictor keys are the contract's");
    }
    let score = data["score"].as_f64().expect("score");
    assert!((300.0..=900.0).contains(&score), "score {score}");
    assert!(
        data["fraud"].as_array().is_some_and(Vec::is_empty),
        "honest fixture: {}",
        data["fraud"]
    );
    assert!(data["recurring_transactions"]["debit_transactions"].is_array());
    let percentages: u64 = data["expense_categories"]
        .as_array()
        .expect("expense categories")
        .iter()
        .filter_map(|c| c["percentage"].as_u64())
        .sum();
    assert!(
        percentages == 100 || percentages == 0,
        "percentages sum {percentages}"
    );
    assert_eq!(
        data["statement_stats"][0]["transaction_count"],
        json!(truth.transactions.len())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn end_to_end_sqlite() {
    end_to_end(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn end_to_end_postgres() {
    end_to_end(Db::Postgres).await;
}

async fn documented_errors(db: Db) {
    if !available(db).await {
        return;
    }
    let h = Harness::start(db).await;
    let t = h.tenant("lender").await;
    let (pdf, truth) = fixture(LAYOUT, 11);
    let sid = h
        .session_for(&t, truth.identity.from_date, truth.identity.to_date)
        .await;

    let r = h
        .http
        .get(h.url("session/"))
        .header("x-api-key", &t.api_key)
        .send()
        .await
        .expect("send");
    assert_eq!(r.status().as_u16(), 405);
    assert_eq!(
        r.json::<Value>().await.expect("json")["error"]["code"],
        "METHOD_NOT_ALLOWED"
    );
    let r = h
        .http
        .post(h.url("session/"))
        .header("x-api-key", &t.api_key)
        .header("content-type", "text/plain")
        .body("link_id=x")
        .send()
        .await
        .expect("send");
    assert_eq!(r.status().as_u16(), 415);
    assert_eq!(
        r.json::<Value>().await.expect("json")["error"]["code"],
        "UNSUPPORTED_MEDIA_TYPE"
    );
    let r = h
        .http
        .post(h.url("session/"))
        .json(&json!({"link_id": "x"}))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status().as_u16(), 401);
    let (status, body) = h
        .create_session(
            &t,
            json!({"link_id": "x", "from_date": "2024-01-01", "to_date": "01/02/2024"}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("INVALID_DATE_FORMAT"))
    );
    let r = h
        .http
        .post(h.url("session/"))
        .json(&json!({"link_id": "x", "api_key": t.api_key}))
        .send()
        .await
        .expect("send");
    assert_eq!(
        r.status().as_u16(),
        200,
        "api_key in the body authenticates"
    );

    let r = h
        .http
        .get(h.url(&format!("session_data/{sid}/progress/")))
        .header("x-api-key", &t.api_key)
        .send()
        .await
        .expect("send");
    assert_eq!(
        r.status().as_u16(),
        403,
        "server-hash required on data calls"
    );
    let (status, body) = h
        .get(
            &t,
            "session_data/00000000-0000-0000-0000-000000000000/insights/",
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (404, Some("SESSION_NOT_FOUND"))
    );

    let (status, body) = h.upload(&t, "nope", &truth.bank, pdf.clone(), "").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (404, Some("SESSION_NOT_FOUND")),
        "{body}"
    );
    let (status, body) = h
        .upload(&t, &sid, &truth.bank, b"not a pdf".to_vec(), "")
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("INVALID_FILE_OBJECT")),
        "{body}"
    );
    let other_bank = if truth.bank == "sbi" { "icici" } else { "sbi" };
    let (status, body) = h.upload(&t, &sid, other_bank, pdf.clone(), "").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("BANK_NAME_MISMATCH")),
        "{body}"
    );
    assert_eq!(
        body["error"]["message"],
        format!("Not {other_bank} bank statement")
    );

    let form = |fields: Vec<(&str, String)>| {
        fields
            .into_iter()
            .fold(reqwest::multipart::Form::new(), |f, (k, v)| {
                f.text(k.to_owned(), v)
            })
    };
    let send = |form: reqwest::multipart::Form| {
        h.http
            .post(h.url("statement/upload_session/"))
            .header("x-api-key", &t.api_key)
            .multipart(form)
            .send()
    };
    let base = || {
        vec![
            ("bank_name", truth.bank.clone()),
            ("session_id", sid.clone()),
        ]
    };
    let r = send(form(base())).await.expect("send");
    assert_eq!(
        r.json::<Value>().await.expect("json")["error"]["code"],
        "MISSING_FILE_OBJECT"
    );
    let mut fields = base();
    fields.extend([
        ("upload_type", "BASE64".to_owned()),
        ("file", "@@not-base64@@".to_owned()),
    ]);
    let r = send(form(fields)).await.expect("send");
    assert_eq!(
        r.json::<Value>().await.expect("json")["error"]["code"],
        "INVALID_BASE_64"
    );
    let mut fields = base();
    use base64::Engine;
    fields.extend([
        ("upload_type", "BASE64".to_owned()),
        (
            "file",
            base64::engine::general_purpose::STANDARD.encode(&pdf),
        ),
    ]);
    let r = send(form(fields)).await.expect("send");
    assert_eq!(r.status().as_u16(), 200, "BASE64 upload");

    // A session whose window misses the statement entirely.
    let far = chrono::NaiveDate::from_ymd_opt(2015, 1, 1).expect("date");
    let old_sid = h.session_for(&t, far, far + chrono::Days::new(90)).await;
    let (status, body) = h
        .upload(&t, &old_sid, &truth.bank, fixture(LAYOUT, 12).0, "")
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("OUT_OF_DATE_RANGE")),
        "{body}"
    );

    // 60 MB gets a clean 413 JSON error, not a dropped connection or a 500.
    let big = vec![b'x'; 60 * 1024 * 1024];
    let (status, body) = h.upload(&t, &sid, &truth.bank, big, "").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (413, Some("FILE_TOO_LARGE")),
        "{body}"
    );

    let r = h
        .http
        .get(format!("{}/healthz", h.base))
        .send()
        .await
        .expect("healthz");
    assert_eq!(r.status().as_u16(), 200);
    let r = h
        .http
        .get(format!("{}/openapi.json", h.base))
        .send()
        .await
        .expect("openapi");
    assert_eq!(r.json::<Value>().await.expect("json")["openapi"], "3.1.0");
    let (status, body) = h.get(&t, "banks/catalogue/").await;
    assert_eq!(status, 200);
    assert_eq!(body["count"], 346);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn documented_errors_sqlite() {
    documented_errors(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn documented_errors_postgres() {
    documented_errors(Db::Postgres).await;
}

async fn tenant_isolation(db: Db) {
    if !available(db).await {
        return;
    }
    let h = Harness::start(db).await;
    let (alice, mallory) = (h.tenant("alice").await, h.tenant("mallory").await);
    let (pdf, truth) = fixture(LAYOUT, 21);
    let sid = h
        .session_for(&alice, truth.identity.from_date, truth.identity.to_date)
        .await;
    let (status, _) = h.upload(&alice, &sid, &truth.bank, pdf.clone(), "").await;
    assert_eq!(status, 200);
    for path in [
        "progress",
        "session_status",
        "session_upload_status",
        "insights",
        "identity",
        "transactions",
        "get_pdfs",
    ] {
        let (status, body) = h
            .get(&mallory, &format!("session_data/{sid}/{path}/"))
            .await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (404, Some("SESSION_NOT_FOUND")),
            "{path}: {body}"
        );
    }
    let (status, _) = h
        .post(
            &mallory,
            &format!("session_data/{sid}/initiate_processing/"),
            json!({}),
        )
        .await;
    assert_eq!(status, 404);
    let (status, _) = h.upload(&mallory, &sid, &truth.bank, pdf.clone(), "").await;
    assert_eq!(status, 404);
    // The same file in another tenant's own session is not a duplicate of alice's.
    let msid = h
        .session_for(&mallory, truth.identity.from_date, truth.identity.to_date)
        .await;
    let (status, _) = h.upload(&mallory, &msid, &truth.bank, pdf, "").await;
    assert_eq!(status, 200);
    // Mixing one tenant's api key with the other's server hash is refused.
    let mixed = common::Tenant {
        api_key: alice.api_key.clone(),
        server_hash: mallory.server_hash.clone(),
    };
    let (status, _) = h
        .get(
            &mixed,
            &format!("session_data/{sid}/session_upload_status/"),
        )
        .await;
    assert_eq!(status, 403);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tenant_isolation_sqlite() {
    tenant_isolation(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tenant_isolation_postgres() {
    tenant_isolation(Db::Postgres).await;
}
