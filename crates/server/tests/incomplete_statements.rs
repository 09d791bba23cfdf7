//! Files that lack the end of their statement (issue #9 item 13), over HTTP against the real
//! server: bytes cut short, the last pages left out, rows that stop before the printed period
//! ends, or, printed newest first, start after it begins. The rows the file holds are read, the statement completes, and the account fails with
//! the documented account code for missing data, never reconciled or reported clean.

mod common;

use common::{assert_missing_not_fraud, Db, Harness};
use ledgerlens_fixtures::{generate_incomplete_as, Incompleteness, StatementTruth};

/// One file of each kind (and a newest-first one), from seeds whose rows the engine reads
/// exactly.
fn incomplete_files() -> Vec<(Incompleteness, Vec<u8>, StatementTruth)> {
    [
        (Incompleteness::BytesCut, 1),
        (Incompleteness::LastPagesDropped, 2),
        (Incompleteness::RowsStopShort, 4),
        // Printed newest first (seed 3): the pages left out held the oldest rows.
        (Incompleteness::RowsStopShort, 3),
    ]
    .into_iter()
    .map(|(kind, seed)| {
        let (pdf, truth) = generate_incomplete_as(seed, kind).expect("fixture renders");
        (kind, pdf, truth)
    })
    .collect()
}

async fn incomplete_statements(db: Db) {
    let h = Harness::start(db).await;
    let t = h.tenant("lender").await;
    for (kind, pdf, truth) in incomplete_files() {
        let (from, to) = (truth.identity.from_date, truth.identity.to_date);
        let sid = h.session_for(&t, from, to).await;
        h.upload_and_process(&t, &sid, &truth.bank, pdf).await;

        h.assert_missing_transactions(&t, &sid, &format!("{kind:?}: a statement missing its end"))
            .await;

        let (status, insights) = h.get(&t, &format!("session_data/{sid}/insights/")).await;
        assert_eq!(status, 200, "{kind:?}: {insights}");
        let data = &insights["accounts"][0]["data"];
        let rows = data["transactions"].as_array().map_or(0, Vec::len);
        assert_eq!(
            rows,
            truth.transactions.len(),
            "{kind:?}: the rows the file holds"
        );
        assert_missing_not_fraud(data, &format!("{kind:?}: a missing end"));
    }
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn statements_missing_their_end_are_missing_transactions_sqlite() {
    incomplete_statements(Db::Sqlite).await;
}
