//! Prints how long enrichment of ~1,500 transactions takes (debug or release,
//! whichever profile runs the test).

use ledgerlens_analysis::{enrich, AccountInput, EnrichmentContext};
use ledgerlens_fixtures::{generate_with, GenerateOptions};
use std::time::Instant;
use support::transactions_from_truth;

mod support;

#[test]
fn enrichment_time_for_about_1500_transactions() {
    let options = GenerateOptions {
        months: Some(12),
        density: Some(5.0),
        ..GenerateOptions::seeded(7)
    };
    let Ok((_, truth)) = generate_with("long_12m", &options) else {
        panic!("fixture generation failed");
    };
    let transactions = transactions_from_truth(&truth);
    let count = transactions.len();
    let input = AccountInput::from_transactions(transactions);
    let context = EnrichmentContext {
        names: vec![truth.identity.name.clone()],
        ..EnrichmentContext::default()
    };
    let started = Instant::now();
    let categorizer = ledgerlens_analysis::categorizer();
    for transaction in &input.statements[0].transactions {
        std::hint::black_box(categorizer.categorize(transaction, &context));
    }
    let categorize_time = started.elapsed();
    let started = Instant::now();
    let enrichment = enrich(&input, &context);
    let enrich_time = started.elapsed();
    let started = Instant::now();
    let json = enrichment.to_insights_data();
    let serialise_time = started.elapsed();
    println!(
        "enriched {count} transactions in {enrich_time:?} (categorisation alone {categorize_time:?}); Insights JSON in {serialise_time:?} ({} monthly metrics, {} predictors)",
        enrichment.monthly.metrics.len(),
        enrichment.predictors.values.len()
    );
    assert!(count >= 1000, "only {count} transactions generated");
    // On a year of data only month indices past the statement, ratios without a
    // denominator and details the statement does not print may be null.
    let null: Vec<&str> = enrichment
        .predictors
        .values
        .iter()
        .filter(|(_, value)| value.is_null())
        .map(|(key, _)| key.as_str())
        .collect();
    println!(
        "{} of {} predictor values null: {null:?}",
        null.len(),
        enrichment.predictors.values.len()
    );
    assert!(enrichment.predictors.uncomputed.is_empty());
    assert!(json["transactions"].as_array().map(Vec::len) == Some(count));
}
