//! Monthly statements of one account merged into one file, over HTTP against the real server:
//! a file that leaves a month out fails its account with the documented account code for
//! missing data, naming the month, as a gap between two uploaded statements does.

mod common;

use chrono::{Datelike, Months, NaiveDate};
use common::{assert_missing_not_fraud, Db, Harness};
use ledgerlens_fixtures::layout::MergedParts;
use serde_json::json;

/// Seed 3's layout as three monthly statements merged into one file, the second month left out.
fn merged_file_missing_a_month() -> (Vec<u8>, ledgerlens_fixtures::StatementTruth) {
    let seed = 3;
    let mut spec = ledgerlens_fixtures::random_layout(seed);
    let merged = MergedParts {
        parts: 3,
        newest_part_first: false,
        numbering_restarts: true,
        missing_part: true,
    };
    assert!(spec.merge_monthly_parts(merged, ("iLovePDF", "iLovePDF")));
    let (pdf, truth) = ledgerlens_fixtures::generate_spec(&spec, seed).expect("fixture renders");
    assert_eq!((truth.statement_parts, truth.parts_missing), (3, 1));
    (pdf, truth)
}

/// The calendar month after `day`'s, as its first and last days.
fn month_after(day: NaiveDate) -> (NaiveDate, NaiveDate) {
    let first = day.with_day(1).expect("a first day") + Months::new(1);
    let last = (first + Months::new(1)).pred_opt().expect("a last day");
    (first, last)
}

async fn missing_month(db: Db) {
    let h = Harness::start(db).await;
    let t = h.tenant("lender").await;
    let (pdf, truth) = merged_file_missing_a_month();
    let (from, to) = (truth.identity.from_date, truth.identity.to_date);
    let (gap_from, gap_to) = month_after(from);
    let sid = h.session_for(&t, from, to).await;
    h.upload_and_process(&t, &sid, &truth.bank, pdf).await;

    h.assert_missing_transactions(&t, &sid, "a month left out of the file")
        .await;

    let (status, insights) = h.get(&t, &format!("session_data/{sid}/insights/")).await;
    assert_eq!(status, 200, "{insights}");
    let data = &insights["accounts"][0]["data"];
    let rows = data["transactions"].as_array().map_or(0, Vec::len);
    assert_eq!(rows, truth.transactions.len(), "the rows the file prints");
    let gap = json!({"from_date": gap_from.to_string(), "to_date": gap_to.to_string()});
    let missing = data["account_details"]["missing_data"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        missing.iter().filter(|period| **period == gap).count(),
        1,
        "the missing month named once: {missing:?}"
    );
    assert!(
        !missing.iter().any(|period| *period != gap),
        "only that month is missing: {missing:?}"
    );
    assert_missing_not_fraud(data, "a month left out");
    let no_rows_in_gap = data["transactions"].as_array().is_some_and(|rows| {
        rows.iter().all(|row| {
            row["date"]
                .as_str()
                .and_then(|date| date.get(..10))
                .and_then(|date| date.parse::<NaiveDate>().ok())
                .is_some_and(|date| date < gap_from || date > gap_to)
        })
    });
    assert!(no_rows_in_gap, "no row dated in the missing month");
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_month_missing_from_a_merged_file_is_missing_transactions_sqlite() {
    missing_month(Db::Sqlite).await;
}
