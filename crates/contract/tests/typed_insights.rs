//! The Insights document's sections are typed (`ledgerlens_contract::api::AccountData` and the
//! section types it holds, which the OpenAPI document and generated clients use), while the
//! document itself is assembled as JSON. Decoding a real document into the types and writing it
//! back must give the same bytes: a field the types drop, rename, reorder or retype (int/float,
//! null/"") fails here.

use ledgerlens_contract::api::InsightsResponse;
use ledgerlens_contract::enrichment::EnrichmentContext;
use ledgerlens_contract::insights::{account_data, document, offline_document, SessionHeader};
use ledgerlens_fixtures::generate;
use ledgerlens_statement::{parse_pdf, ParseOptions};

/// Written, decoded into the types and written again: the same bytes, or where they part.
fn round_trip(name: &str, doc: &serde_json::Value) {
    let before = serde_json::to_string_pretty(doc).expect("writes");
    let typed: InsightsResponse =
        serde_json::from_str(&before).unwrap_or_else(|e| panic!("{name}: decode: {e}"));
    let after = serde_json::to_string_pretty(&typed).expect("writes");
    if before != after {
        let first = before
            .lines()
            .zip(after.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        let show = |text: &str| {
            text.lines()
                .skip(first.saturating_sub(8))
                .take(16)
                .collect::<Vec<_>>()
                .join("\n")
        };
        panic!(
            "{name}: typed document differs at line {first}\n--- assembled\n{}\n--- typed\n{}",
            show(&before),
            show(&after)
        );
    }
}

/// An account with nothing processed yet: its empty sections (`{}` EOD balances, null score).
#[test]
fn an_account_without_enrichment_round_trips() {
    let (pdf, _) = generate("hdfc_classic", 7).expect("fixture renders");
    let parsed = parse_pdf(pdf, &ParseOptions::default()).expect("fixture parses");
    let mut details = ledgerlens_contract::engine::account_details_json(&parsed, "statement");
    // As the server's account view sets it before any enrichment (server::accounts).
    details["salary_confidence"] = serde_json::Value::Null;
    let account = serde_json::json!({"account_id": "a", "data": account_data(&details, None, &[])});
    let header = SessionHeader {
        session_id: Some("s"),
        link_id: Some("l"),
        from_date: None,
        to_date: None,
    };
    round_trip("unprocessed", &document(&header, vec![account]));
}

#[test]
fn the_insights_document_round_trips_through_its_types() {
    for (layout, seed) in [
        ("long_12m", 42),
        ("hdfc_classic", 7),
        ("icici_style", 3),
        ("sbi_style", 7),
    ] {
        let (pdf, _) = generate(layout, seed).expect("fixture renders");
        let parsed = parse_pdf(pdf, &ParseOptions::default()).expect("fixture parses");
        let context = EnrichmentContext {
            employer_names: vec!["ACME".to_owned()],
            ..EnrichmentContext::default()
        };
        let mut doc = offline_document(&parsed, "statement", &context);
        // The engine's evidence is this server's addition, outside the documented data.
        if let Some(data) = doc
            .pointer_mut("/accounts/0/data")
            .and_then(|d| d.as_object_mut())
        {
            data.shift_remove("reconciliation");
            data.shift_remove("statement_metadata");
        }
        round_trip(layout, &doc);
    }
}
