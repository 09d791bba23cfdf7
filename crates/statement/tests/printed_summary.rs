//! The summary block a statement prints after its table (HDFC's "STATEMENT SUMMARY :-" with
//! opening balance, debit/credit counts and totals, closing balance) is read and checked.

use ledgerlens_fixtures::generate;
use ledgerlens_statement::summary::printed_summary;
use ledgerlens_statement::table::read_table;
use rust_decimal::Decimal;

#[test]
fn hdfc_statement_summary_is_read_with_counts_and_totals() {
    for seed in [1, 2, 3] {
        let (pdf, truth) = generate("hdfc_classic", seed).expect("fixture");
        let document =
            ledgerlens_pdf::open(pdf, None, &ledgerlens_pdf::Limits::default()).expect("opens");
        let table = read_table(&document.pages).expect("table");
        let summary = printed_summary(&table.leftovers);
        let side = |credit: bool| {
            truth
                .transactions
                .iter()
                .filter(move |t| (t.transaction_type == "credit") == credit)
        };
        assert_eq!(
            summary.debit_count,
            Some(side(false).count()),
            "seed {seed}"
        );
        assert_eq!(
            summary.credit_count,
            Some(side(true).count()),
            "seed {seed}"
        );
        assert_eq!(
            summary.debit_total,
            Some(side(false).map(|t| t.amount).sum::<Decimal>()),
            "seed {seed}"
        );
        assert_eq!(
            summary.credit_total,
            Some(side(true).map(|t| t.amount).sum::<Decimal>()),
            "seed {seed}"
        );
        let last = truth.transactions.last().map(|t| t.balance);
        assert_eq!(summary.closing, last, "seed {seed}");
    }
}
