//! `enrich_with_insights` builds the row sections on a second thread while the monthly
//! analysis and predictors are computed; its enrichment and document must be exactly those of
//! `enrich` followed by `to_insights_data`, byte for byte once written.

use ledgerlens_analysis::{enrich, enrich_with_insights, AccountInput, EnrichmentContext};
use ledgerlens_fixtures::generate;
use support::transactions_from_truth;

mod support;

fn account(layout: &str, seed: u64) -> (AccountInput, EnrichmentContext) {
    let Ok((_, truth)) = generate(layout, seed) else {
        panic!("fixture generation failed");
    };
    let transactions = transactions_from_truth(&truth);
    let context = EnrichmentContext {
        names: vec![truth.identity.name.clone()],
        ..EnrichmentContext::default()
    };
    (AccountInput::from_transactions(transactions), context)
}

fn assert_same(layout: &str, seed: u64) {
    let (input, context) = account(layout, seed);
    let separate = enrich(&input, &context);
    let separate_data = separate.to_insights_data();
    let (together, together_data) = enrich_with_insights(&input, &context);
    // Written out, not compared as values: a map's equality ignores its key order, which the
    // document must keep.
    let written = |value: &serde_json::Value| serde_json::to_string(value).unwrap_or_default();
    assert_eq!(
        written(&together_data),
        written(&separate_data),
        "{layout}: document"
    );
    assert_eq!(
        serde_json::to_string(&together).unwrap_or_default(),
        serde_json::to_string(&separate).unwrap_or_default(),
        "{layout}: enrichment"
    );
    assert_eq!(
        written(&together.to_insights_data()),
        written(&separate_data),
        "{layout}: the returned enrichment gives the same document"
    );
}

#[test]
fn a_long_statement_split_over_threads_gives_the_same_document() {
    // Well over the row count where the sections move to a second thread.
    let (input, _) = account("long_12m", 42);
    assert!(input.statements[0].transactions.len() >= 1_500);
    assert_same("long_12m", 42);
    assert_same("long_12m", 7);
}

#[test]
fn a_short_statement_gives_the_same_document() {
    assert_same("hdfc_classic", 42);
    assert_same("sbi_style", 3);
}
