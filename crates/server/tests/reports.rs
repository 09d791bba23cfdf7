//! Reports over HTTP: xlsx_report links, the insights report URLs, the signed downloads (opened
//! with calamine and checked against the Insights JSON), and get_pdfs messages.

mod common;

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use common::{fixture, Db, Harness};
use serde_json::{json, Value};
use std::io::Cursor;

/// A processed session with one honest statement and one refused (scanned) upload.
async fn processed_session(h: &Harness, t: &common::Tenant) -> String {
    let (pdf, truth) = fixture("hdfc_classic", 7);
    let sid = h
        .session_for(t, truth.identity.from_date, truth.identity.to_date)
        .await;
    let (status, body) = h.upload(t, &sid, &truth.bank, pdf, "").await;
    assert_eq!(status, 200, "{body}");
    let scanned = ledgerlens_fixtures::image_only(7).pdf;
    let (status, body) = h.upload(t, &sid, &truth.bank, scanned, "").await;
    assert_eq!(body["error"]["code"], "PDF_IS_IMAGE", "{status} {body}");
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

async fn download(h: &Harness, link: &str) -> (u16, Vec<u8>) {
    let r = h.http.get(link).send().await.expect("send");
    let status = r.status().as_u16();
    (status, r.bytes().await.expect("body").to_vec())
}

fn credit_total(transactions: &[Value]) -> f64 {
    transactions
        .iter()
        .filter(|t| t["transaction_type"] == "credit")
        .filter_map(|t| t["amount"].as_f64())
        .sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reports_are_signed_links_to_workbooks_matching_insights() {
    let h = Harness::start(Db::Sqlite).await;
    let t = h.tenant("lender").await;
    let other = h.tenant("other").await;
    let sid = processed_session(&h, &t).await;

    let (status, insights) = h.get(&t, &format!("session_data/{sid}/insights/")).await;
    assert_eq!(status, 200, "{insights}");
    let account = &insights["accounts"][0];
    let transactions = account["data"]["transactions"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(!transactions.is_empty());
    for key in ["aggregate_xlsx_report_url", "aggregate_xml_report_url"] {
        assert!(
            insights[key]
                .as_str()
                .is_some_and(|u| u.contains("expires=")),
            "{key}"
        );
    }

    let (status, body) = h.get(&t, &format!("session_data/{sid}/xlsx_report/")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["session_id"], sid.as_str());
    assert_eq!(body["reports"][0]["account_id"], account["account_id"]);
    let link = body["reports"][0]["link"]
        .as_str()
        .expect("link")
        .to_owned();

    // The link needs no API key, and yields the account's workbook.
    let (status, bytes) = download(&h, &link).await;
    assert_eq!(status, 200);
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).expect("xlsx");
    assert!(book.sheet_names().contains(&"Transactions".to_owned()));
    let range = book.worksheet_range("Transactions").expect("sheet");
    assert_eq!(range.height(), transactions.len() + 1);
    let header: Vec<String> = range
        .rows()
        .next()
        .expect("header")
        .iter()
        .map(|c| c.to_string())
        .collect();
    let credit_col = header
        .iter()
        .position(|h| h == "Credit")
        .expect("Credit column");
    let credits: f64 = range
        .rows()
        .skip(1)
        .filter_map(|r| match r.get(credit_col) {
            Some(Data::Float(f)) => Some(*f),
            _ => None,
        })
        .sum();
    assert!((credits - credit_total(&transactions)).abs() < 0.01);
    assert!(matches!(range.get((1, 0)), Some(Data::DateTime(_))));

    // Aggregate XML from insights.
    let xml_link = insights["aggregate_xml_report_url"]
        .as_str()
        .expect("xml link");
    let (status, bytes) = download(&h, xml_link).await;
    assert_eq!(status, 200);
    let text = String::from_utf8(bytes).expect("utf-8");
    assert!(
        text.starts_with("<?xml") && text.contains("<transactions"),
        "{}",
        &text[..200.min(text.len())]
    );

    // Tampering, foreign tenants and other sessions get a plain 404.
    let (status, _) = download(&h, &link.replace("signature=", "signature=0")).await;
    assert_eq!(status, 404);
    let swapped = link.replace(&sid, "00000000-0000-0000-0000-000000000000");
    assert_eq!(download(&h, &swapped).await.0, 404);
    let (status, body) = h
        .get(&other, &format!("session_data/{sid}/xlsx_report/"))
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (404, Some("SESSION_NOT_FOUND"))
    );

    // get_pdfs: the documented messages, a signed link for the stored file.
    let (status, body) = h.get(&t, &format!("session_data/{sid}/get_pdfs/")).await;
    assert_eq!(status, 200, "{body}");
    let messages: Vec<&str> = body["statements"]
        .as_array()
        .expect("statements")
        .iter()
        .filter_map(|s| s["message"].as_str())
        .collect();
    assert!(
        messages.contains(&"Success") && messages.contains(&"Is Image"),
        "{messages:?}"
    );
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn xlsx_report_waits_for_processing() {
    let h = Harness::start(Db::Sqlite).await;
    let t = h.tenant("lender").await;
    let (_, truth) = fixture("hdfc_classic", 7);
    let sid = h
        .session_for(&t, truth.identity.from_date, truth.identity.to_date)
        .await;
    let (status, body) = h.get(&t, &format!("session_data/{sid}/xlsx_report/")).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("PROCESSING_NOT_REQUESTED"))
    );
    h.stop().await;
}
