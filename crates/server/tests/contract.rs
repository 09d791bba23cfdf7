//! The documented responses, as a contract: a real server on loopback is driven through the
//! session flow and every answer is compared with the docs' sample (shared/spec) for key paths,
//! JSON types (int vs float), date/number formats and key order.
//!
//! Which sample wins where the docs disagree: the seeds (000–004) win, then the newer doc. The
//! samples used here: upload_session/ — seed 000; session/ — seed 002; session_status/ and
//! insights/ — finbox-docs/session-flow/fetch-data.md (seed 003 has only a skeleton of both; the
//! fetch-data.md samples are the newer, complete ones and agree with the seed where both speak).

mod common;
mod contract_support;

use common::{fixture, Db, Harness};
use contract_support::{compare, entity_samples, json_blocks, lenient_json, spec_dir, Report};
use serde_json::{json, Value};
use std::path::Path;

const LAYOUT: &str = "hdfc_classic";

/// The first ```json block of `file` that contains `marker`, parsed leniently.
fn sample(spec: &Path, file: &str, marker: &str) -> Value {
    let path = spec.join(file);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    json_blocks(&text)
        .into_iter()
        .find(|(_, block)| block.contains(marker))
        .and_then(|(line, block)| {
            let parsed = lenient_json(&block);
            assert!(parsed.is_some(), "{file}:{line}: sample does not parse");
            parsed
        })
        .unwrap_or_else(|| panic!("{file}: no json sample containing {marker}"))
}

/// The documented gaps still open, by path prefix; anything else failing fails the test.
/// Each entry says why it is not (yet) produced.
const KNOWN_GAPS: &[&str] = &[
    // Seed 003's Insights sample and seed 001's Identity sample write the limits as `0`;
    // fetch-data.md writes `0.0`. Seeds win: integers.
    ".accounts[].data.account_details.credit_limit:",
    ".accounts[].data.account_details.od_limit:",
    // rest-api.md's score sample holds the placeholder string "score"; the number it stands for
    // (300-900) is a float as in the Insights sample ("score": 496.0).
    ".score[].score:",
    // Seed 003's Insights skeleton dates a top_credits_debits row "2023-12-15 00:00:00" (under
    // month "Oct-23"); fetch-data.md's sample, a real capture, "14-Aug-25" (under "Aug-25").
    // The answer keeps fetch-data.md's: the seed's row contradicts its own month, and the
    // docs' full Insights sample is the one integrators are pointed to. (A decision against the
    // seeds-win rule, for the lead to confirm.)
    ".accounts[].data.top_credits_debits[].data[].data[].date:",
];

fn known(line: &str) -> bool {
    KNOWN_GAPS.iter().any(|gap| line.starts_with(gap))
}

/// PostgreSQL on 127.0.0.1:5432 (db `test`) when it answers; the SQLite runs cover the rest.
async fn available(db: Db) -> bool {
    if db == Db::Postgres && !common::postgres_reachable().await {
        eprintln!("PostgreSQL not reachable on 127.0.0.1:5432; skipping");
        return false;
    }
    true
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn responses_match_the_documented_samples_sqlite() {
    session_flow_contract(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn responses_match_the_documented_samples_postgres() {
    session_flow_contract(Db::Postgres).await;
}

async fn session_flow_contract(db: Db) {
    let Some(spec) = spec_dir() else {
        return;
    };
    if !available(db).await {
        return;
    }
    let h = Harness::start(db).await;
    let t = h.tenant("lender").await;
    let (pdf, truth) = fixture(LAYOUT, 7);
    let mut reports: Vec<Report> = Vec::new();

    let (status, created) = h
        .create_session(
            &t,
            json!({
                "link_id": "contract",
                "from_date": truth.identity.from_date.format("%d/%m/%Y").to_string(),
                "to_date": truth.identity.to_date.format("%d/%m/%Y").to_string(),
            }),
        )
        .await;
    assert_eq!(status, 200, "{created}");
    reports.push(compare(
        "session/ (seed 002)",
        &sample(&spec, "002_b980edded2fc1032.txt", "redirect_url"),
        &created,
    ));
    let sid = created["session_id"]
        .as_str()
        .expect("session id")
        .to_owned();

    let (status, uploaded) = h.upload(&t, &sid, &truth.bank, pdf, "?identity=true").await;
    assert_eq!(status, 200, "{uploaded}");
    reports.push(compare(
        "statement/upload_session/ (seed 000)",
        &sample(&spec, "000_fc112ddd1de04994.txt", "page_count"),
        &uploaded,
    ));
    // The newer doc's sample of the same answer (submit-data-backend.md) must agree too.
    reports.push(compare(
        "statement/upload_session/ (submit-data-backend.md)",
        &sample(
            &spec,
            "finbox-docs/session-flow/submit-data-backend.md",
            "page_count",
        ),
        &uploaded,
    ));

    let (status, initiated) = h
        .post(
            &t,
            &format!("session_data/{sid}/initiate_processing/"),
            json!({}),
        )
        .await;
    let body = initiated.clone();
    assert_eq!(status, 202, "{body}");
    reports.push(compare(
        "initiate_processing/ (get-data.md)",
        &sample(
            &spec,
            "finbox-docs/session-flow/get-data.md",
            "\"message\": \"success\"",
        ),
        &body,
    ));
    let progress = h.wait_processed(&t, &sid).await;
    reports.push(compare(
        "progress/ (processing-status.md)",
        &sample(
            &spec,
            "finbox-docs/session-flow/processing-status.md",
            "session_progress",
        ),
        &progress,
    ));
    let (status, upload_status) = h
        .get(&t, &format!("session_data/{sid}/session_upload_status/"))
        .await;
    assert_eq!(status, 200, "{upload_status}");
    reports.push(compare(
        "session_upload_status/ (upload-status.md)",
        &sample(
            &spec,
            "finbox-docs/session-flow/upload-status.md",
            "\"upload_status\"",
        ),
        &upload_status,
    ));
    let (status, pdfs) = h.get(&t, &format!("session_data/{sid}/get_pdfs/")).await;
    assert_eq!(status, 200, "{pdfs}");
    reports.push(compare(
        "get_pdfs/ (management.md)",
        &sample(
            &spec,
            "finbox-docs/session-flow/management.md",
            "pdf_password",
        ),
        &pdfs,
    ));
    // Seed 001's own samples (grid boxes) of the APIs the other docs do not show.
    let seed_001 =
        std::fs::read_to_string(spec.join("001_b40a3ad6d418039e.txt")).expect("seed 001");
    let boxes = contract_support::grid_samples(&seed_001);
    let seed_sample = |section: &str| {
        boxes
            .iter()
            .find(|(s, v)| s == section && v.get("error").is_none())
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("seed 001: no sample in {section}"))
    };
    for (section, path) in [
        ("Identity API", "identity"),
        ("Detailed Excel Report API", "xlsx_report"),
    ] {
        let (status, body) = h.get(&t, &format!("session_data/{sid}/{path}/")).await;
        assert_eq!(status, 200, "{path}: {body}");
        reports.push(compare(
            &format!("{path}/ (seed 001)"),
            &seed_sample(section),
            &body,
        ));
    }
    let (status, catalogue) = h.get(&t, "banks/catalogue/").await;
    assert_eq!(status, 200);
    reports.push(compare(
        "banks/catalogue/ (management.md)",
        &sample(&spec, "finbox-docs/session-flow/management.md", "npci_code"),
        &catalogue,
    ));

    let (status, session_status) = h
        .get(&t, &format!("session_data/{sid}/session_status/"))
        .await;
    assert_eq!(status, 200, "{session_status}");
    reports.push(compare(
        "session_status/ (fetch-data.md)",
        &sample(
            &spec,
            "finbox-docs/session-flow/fetch-data.md",
            "\"insights_available\": true",
        ),
        &session_status,
    ));
    // Seed 001's own samples of the answers above (its older, shorter shapes: every key it
    // shows must be there too, with its type and format).
    for (section, answer) in [
        ("Backend integration", &uploaded),
        ("Initiate Processing API", &initiated),
        ("BankConnect: Check Processing Status", &progress),
        ("Get Session Status", &session_status),
        ("Get PDFs API", &pdfs),
    ] {
        let mut report = compare(
            &format!("{section} (seed 001)"),
            &seed_sample(section),
            answer,
        );
        if section == "Get Session Status" {
            // The one conflict of order: seeds 001 and 003 list an account's keys as bank_name,
            // account_number, account_id, account_status, error_code…, fetch-data.md (and
            // processing-status.md's webhook) as account_id, account_number, bank_name,
            // error_code, error_message, account_status…; no order satisfies both. The seeds'
            // samples are skeletons ("" and null values, 9 of the 15 keys); the answer keeps
            // fetch-data.md's complete sample's order, checked above. Paths, types and formats
            // of the seed's sample are still enforced.
            report.order_mismatches.clear();
        }
        reports.push(report);
    }

    let (status, insights) = h.get(&t, &format!("session_data/{sid}/insights/")).await;
    assert_eq!(status, 200, "{insights}");
    // Seed 003's samples of session_status/ and insights/: skeletons in an order of their own
    // (account_details nearly alphabetical, session_status as seed 001); their key paths, types
    // and formats are enforced, their order is fetch-data.md's complete samples' (above/below).
    for (name, marker, answer) in [
        (
            "session_status/ (seed 003)",
            "\"account_status\": \"completed\"",
            &session_status,
        ),
        ("insights/ (seed 003)", "account_details", &insights),
    ] {
        let mut report = compare(
            name,
            &sample(&spec, "003_4cefd0bee74adc80.txt", marker),
            answer,
        );
        report.order_mismatches.clear();
        reports.push(report);
    }
    // For a look at the whole answer: LEDGERLENS_CONTRACT_DUMP=<file>.
    if let Ok(file) = std::env::var("LEDGERLENS_CONTRACT_DUMP") {
        let _ = std::fs::write(file, insights.to_string());
    }
    reports.push(compare(
        "insights/ (fetch-data.md)",
        &sample(
            &spec,
            "finbox-docs/session-flow/fetch-data.md",
            "\"predictors\"",
        ),
        &insights,
    ));
    h.stop().await;

    let (mut matched, mut total) = (0, 0);
    let mut failures = Vec::new();
    for report in &reports {
        report.print();
        matched += report.paths_matched;
        total += report.paths_total;
        for line in report
            .type_mismatches
            .iter()
            .chain(&report.format_mismatches)
            .chain(&report.order_mismatches)
        {
            if !known(line) {
                failures.push(format!("{}: {line}", report.name));
            }
        }
    }
    println!("[contract] key paths matched: {matched} of {total} documented");
    // A ratchet: what matches today must keep matching. The paths still missing are data the
    // fixture does not produce (missing_data[] of a fully covered range, missing_months[]).
    // Before this suite: insights 3167 of 3980. 4159 -> 4196 with submit-data-backend.md's
    // upload sample compared too (its one missing path is missing_months[] of a covered range),
    // 4248 with seed 001's samples of upload, initiate, progress, session status and PDFs,
    // 4380 with seed 003's session_status and Insights skeletons (the 8 paths missing there are
    // a fraud finding and missing_data of a statement that has neither).
    assert!(
        matched >= 4380,
        "key paths matched fell to {matched} of {total}"
    );
    assert!(
        failures.is_empty(),
        "responses differ from the documented samples:\n{}",
        failures.join("\n")
    );
}

#[test]
fn the_lenient_reader_repairs_the_published_defects() {
    let text = r#"{"a": [1, 2, ....], "b": {"c": 1,}, "d": [{"e": 1} "f": 2}"#;
    let commented = "{\"a\": [1, // more rows\n 2]}";
    assert_eq!(lenient_json(commented), Some(json!({"a": [1, 2]})));
    assert_eq!(
        lenient_json(text),
        Some(json!({"a": [1, 2], "b": {"c": 1}, "d": [{"e": 1}], "f": 2}))
    );
}

/// `object`'s keys start with `order`'s, in that order (keys the sample does not show after).
fn documented_first(object: &Value, order: &[&str]) -> bool {
    let keys: Vec<&str> = object
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    keys.len() >= order.len() && keys[..order.len()] == *order
}

/// The docs' two microsecond forms are different formats to a client's parser: the comparison
/// tells them apart (it once took both for "ISO-8601" and let a "Z" pass for "+00:00").
#[test]
fn the_documented_time_forms_are_told_apart() {
    use contract_support::format_of;
    assert_eq!(
        format_of("2025-11-13T06:48:43.660968Z"),
        Some("YYYY-MM-DDTHH:MM:SS.ffffffZ")
    );
    assert_eq!(
        format_of("2025-11-13 06:48:43.660968+00:00"),
        Some("YYYY-MM-DD HH:MM:SS.ffffff+00:00")
    );
    assert_eq!(
        format_of("2025-11-13 06:48:44"),
        Some("YYYY-MM-DD HH:MM:SS")
    );
    assert_eq!(format_of("2025-11-13T06:48:44Z"), Some("ISO-8601 (other)"));
    assert_eq!(
        format_of("2025-11-13 06:48:43.660968Z"),
        Some("date-time (other)")
    );
    assert_eq!(format_of("2025-11-13 06:48:4é"), Some("date-time (other)"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn legacy_responses_match_the_documented_samples_sqlite() {
    legacy_contract(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn legacy_responses_match_the_documented_samples_postgres() {
    legacy_contract(Db::Postgres).await;
}

async fn legacy_contract(db: Db) {
    let Some(spec) = spec_dir() else {
        return;
    };
    if !available(db).await {
        return;
    }
    let h = Harness::start(db).await;
    let t = h.tenant("lender").await;
    let (pdf, truth) = fixture(LAYOUT, 7);
    let mut reports: Vec<Report> = Vec::new();
    let seed = "004_2256cf757963966d.txt";

    let r = h
        .http
        .post(h.url("entity/"))
        .header("x-api-key", &t.api_key)
        .json(&json!({"link_id": "contract"}))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status().as_u16(), 201);
    let created: Value = r.json().await.expect("json");
    reports.push(compare(
        "entity/ POST (seed 004)",
        &sample(&spec, seed, "link_id_you_sent"),
        &created,
    ));
    let entity_id = created["entity_id"].as_str().expect("entity id").to_owned();

    let form = reqwest::multipart::Form::new()
        .part(
            "file",
            reqwest::multipart::Part::bytes(pdf)
                .file_name("statement.pdf")
                .mime_str("application/pdf")
                .expect("mime"),
        )
        .text("bank_name", truth.bank.clone())
        .text("entity_id", entity_id.clone());
    let r = h
        .http
        .post(format!("{}?identity=true", h.url("statement/upload/")))
        .header("x-api-key", &t.api_key)
        .multipart(form)
        .send()
        .await
        .expect("send");
    assert_eq!(r.status().as_u16(), 200);
    let uploaded: Value = r.json().await.expect("json");
    reports.push(compare(
        "statement/upload/ (seed 004)",
        &sample(&spec, seed, "uuid4_for_statement\","),
        &uploaded,
    ));
    // The two upload-rest-api.md pages' samples of the same answer.
    for file in [
        "finbox-docs/session-flow/upload-rest-api.md",
        "finbox-docs/bank-connect-legacy/upload-rest-api.md",
    ] {
        reports.push(compare(
            &format!("statement/upload/ ({file})"),
            &sample(&spec, file, "uuid4_for_statement"),
            &uploaded,
        ));
    }

    // Processing of an entity's statement starts at upload; wait for it to settle.
    for _ in 0..1200 {
        let (_, body) = h
            .get(&t, &format!("entity/{entity_id}/transactions/"))
            .await;
        let settled = body["progress"]
            .as_array()
            .is_some_and(|p| !p.is_empty() && p.iter().all(|s| s["status"] != "processing"));
        if settled {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let (status, list) = h.get(&t, "entity/").await;
    assert_eq!(status, 200, "{list}");
    reports.push(compare(
        "entity/ GET (management.md)",
        &sample(
            &spec,
            "finbox-docs/bank-connect-legacy/management.md",
            "\"count\"",
        ),
        &list,
    ));
    let (status, one) = h.get(&t, &format!("entity/{entity_id}/")).await;
    assert_eq!(status, 200, "{one}");
    reports.push(compare(
        "entity/<id>/ (seed 004)",
        &sample(&spec, seed, "uuid4_you_sent"),
        &one,
    ));
    let (status, overview) = h.get(&t, "entity/link_overview/?link_id=contract").await;
    assert_eq!(status, 200, "{overview}");
    reports.push(compare(
        "entity/link_overview/ (seed 004)",
        &sample(&spec, seed, "progress_data"),
        &overview,
    ));

    let (status, payloads) = h.get(&t, "entity/webhook_payloads/?link_id=contract").await;
    assert_eq!(status, 200, "{payloads}");
    assert_eq!(payloads["payloads"][0]["entity_id"], entity_id.as_str());
    reports.push(compare(
        "entity/webhook_payloads/ (webhook.md)",
        &sample(&spec, "finbox-docs/session-flow/webhook.md", "\"payloads\""),
        &payloads,
    ));
    let r = h
        .http
        .get(h.url("net_banking_health/"))
        .header("x-api-key", &t.api_key)
        .send()
        .await
        .expect("send");
    assert_eq!(r.status().as_u16(), 200);
    let health: Value = r.json().await.expect("json");
    reports.push(compare(
        "net_banking_health/ (management.md)",
        &sample(
            &spec,
            "finbox-docs/bank-connect-legacy/management.md",
            "health_up",
        ),
        &health,
    ));
    // rolling_monthly_analysis/ (its rest-api.md section is commented out; the sample's shape):
    // month_N blocks, the 3-month group, and for each field sum/avg/max/min/count/amt.
    let (status, rolling) = h
        .get(&t, &format!("entity/{entity_id}/rolling_monthly_analysis/"))
        .await;
    assert_eq!(status, 200, "{rolling}");
    let analysis = &rolling["monthly_analysis"]["monthly_analysis"];
    let order = analysis["months_order"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(order.len() >= 2, "{rolling}");
    for key in &order {
        let block = &analysis[key.as_str().unwrap_or_default()];
        assert!(block["credit"]["sum"].is_f64(), "{key}: {block}");
        assert!(block["credit"]["count"].is_i64(), "{key}: {block}");
        assert!(block["credit"]["amt"].is_string(), "{key}: {block}");
        assert!(block["opening_balance"]["avg"].is_f64(), "{key}: {block}");
    }
    // progress[]: seed 004's sample and 10 of rest-api.md's 14 write it status-first, 4
    // statement_id first; every route answers status-first (identity/ adds transaction_status,
    // as its sample does).
    let mut progress_orders = Vec::new();
    for (endpoint, documented) in entity_samples(&spec) {
        let (status, body) = h.get(&t, &format!("entity/{entity_id}/{endpoint}/")).await;
        assert_eq!(status, 200, "{endpoint}: {body}");
        if let Some(entry) = body["progress"].get(0).and_then(Value::as_object) {
            let keys: Vec<&str> = entry.keys().map(String::as_str).collect();
            let expected: &[&str] = if endpoint == "identity" {
                &[
                    "status",
                    "message",
                    "transaction_status",
                    "statement_id",
                    "source",
                ]
            } else {
                &["status", "message", "statement_id", "source"]
            };
            if keys != expected {
                progress_orders.push(format!("{endpoint}: {keys:?}"));
            }
        }
        // accounts[]: the order 5 of the page's 7 samples write (see legacy::EntityAccount).
        if let Some(account) = body["accounts"].get(0).and_then(Value::as_object) {
            let keys: Vec<&str> = account.keys().map(String::as_str).collect();
            let expected = [
                "months",
                "statements",
                "account_id",
                "ifsc",
                "micr",
                "account_category",
                "account_number",
                "credit_limit",
                "bank",
                "last_updated",
            ];
            if keys != expected {
                progress_orders.push(format!("{endpoint} accounts[]: {keys:?}"));
            }
        }
        if endpoint == "salary" {
            for row in body["transactions"].as_array().into_iter().flatten() {
                if !documented_first(row, ledgerlens_contract::legacy::SALARY_ROW_ORDER) {
                    progress_orders.push(format!("salary row: {row}"));
                }
            }
        }
        if endpoint == "recurring_transactions" {
            for side in ["credit_transactions", "debit_transactions"] {
                for group in body["transactions"][side].as_array().into_iter().flatten() {
                    let keys: Vec<&str> = group
                        .as_object()
                        .map(|o| o.keys().map(String::as_str).collect())
                        .unwrap_or_default();
                    if keys != ledgerlens_contract::legacy::RECURRING_GROUP_ORDER {
                        progress_orders.push(format!("recurring {side}: {keys:?}"));
                    }
                    for row in group["transactions"].as_array().into_iter().flatten() {
                        if !documented_first(row, ledgerlens_contract::legacy::RECURRING_ROW_ORDER)
                        {
                            progress_orders.push(format!("recurring {side} row: {row}"));
                        }
                    }
                }
            }
        }
        reports.push(compare(
            &format!("entity/<id>/{endpoint}/ (rest-api.md)"),
            &documented,
            &body,
        ));
    }
    let (status, reports_body) = h.get(&t, &format!("entity/{entity_id}/xlsx_report/")).await;
    assert_eq!(status, 200, "{reports_body}");
    let keys: Vec<&String> = reports_body["progress"][0]
        .as_object()
        .map(|o| o.keys().collect())
        .unwrap_or_default();
    assert_eq!(keys, ["status", "message", "statement_id", "source"]);
    assert!(
        progress_orders.is_empty(),
        "progress[], accounts[] or a recurring group in another order: {progress_orders:?}"
    );
    h.stop().await;

    let (mut matched, mut total) = (0, 0);
    let mut failures = Vec::new();
    for report in &reports {
        report.print();
        matched += report.paths_matched;
        total += report.paths_total;
        // Key order is reported, not enforced, for the legacy API: its samples disagree with
        // each other (accounts[] is ordered three different ways on the same page).
        for line in report
            .type_mismatches
            .iter()
            .chain(&report.format_mismatches)
        {
            if !known(line) {
                failures.push(format!("{}: {line}", report.name));
            }
        }
    }
    println!("[contract] legacy key paths matched: {matched} of {total} documented");
    // A ratchet, as for the session flow: 406 of 456 once both upload-rest-api.md pages were
    // compared (what is missing: the fraud field's entries of a statement without fraud, the
    // samples' placeholder keys "uuid4_for_account" and "SOME LONG TRANSACTION NOTE").
    assert!(
        matched >= 406,
        "legacy key paths matched fell to {matched} of {total}"
    );
    assert!(
        failures.is_empty(),
        "legacy responses differ from the documented samples:\n{}",
        failures.join("\n")
    );
}

/// A statement that failed before any account existed is listed in session_status/ under an
/// account with a null `account_id`, in the documented account shape (fetch-data.md's failed
/// account sample has every key: name, account_category, attempt_types, account_type,
/// full_bank_name, and each statement's upload_file_name and statement_date_range). Before the
/// bodies were typed this entry had 9 of the 15 keys, in another order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_upload_is_listed_in_the_documented_account_shape() {
    let Some(spec) = spec_dir() else {
        return;
    };
    let h = Harness::start(Db::Sqlite).await;
    let t = h.tenant("lender").await;
    let (_, truth) = fixture(LAYOUT, 7);
    let (status, created) = h
        .create_session(&t, json!({"link_id": "failed-upload"}))
        .await;
    assert_eq!(status, 200, "{created}");
    let sid = created["session_id"]
        .as_str()
        .expect("session id")
        .to_owned();
    let (status, refused) = h
        .upload(
            &t,
            &sid,
            &truth.bank,
            b"%PDF-1.4 not really a statement".to_vec(),
            "",
        )
        .await;
    assert_eq!(status, 400, "{refused}");
    h.process(&t, &sid).await;
    let (status, session_status) = h
        .get(&t, &format!("session_data/{sid}/session_status/"))
        .await;
    assert_eq!(status, 200, "{session_status}");
    h.stop().await;
    let accounts = session_status["accounts"].as_array().expect("accounts");
    assert_eq!(accounts.len(), 1, "{session_status}");
    assert!(accounts[0]["account_id"].is_null(), "{session_status}");
    assert_eq!(accounts[0]["account_status"], "failed", "{session_status}");
    assert_eq!(
        accounts[0]["statements"][0]["statement_status"], "failed",
        "{session_status}"
    );
    let report = compare(
        "session_status/ failed upload (fetch-data.md)",
        &sample(
            &spec,
            "finbox-docs/session-flow/fetch-data.md",
            "\"insights_available\": false",
        ),
        &session_status,
    );
    report.print();
    assert_eq!(
        report.paths_matched, report.paths_total,
        "missing: {:?}",
        report.missing
    );
    let mismatches: Vec<&String> = report
        .type_mismatches
        .iter()
        .chain(&report.order_mismatches)
        .collect();
    assert!(mismatches.is_empty(), "{mismatches:?}");
}
