//! The statement engine's facts as BankConnect's `account_details` prints them, over every
//! generated layout: "" where the statement does not say (never null), ISO dates.

use ledgerlens_contract::engine::{account_details_json, insights_json};
use ledgerlens_fixtures::{generate, layout_names};
use ledgerlens_statement::{parse_pdf, ParseOptions};

#[test]
fn account_details_print_absent_holder_facts_as_empty_strings() {
    for layout in layout_names().into_iter().filter(|l| *l != "long_12m") {
        let (pdf, truth) = generate(layout, 7).expect("fixture renders");
        let options = ParseOptions {
            expected_bank: Some(truth.bank.clone()),
            ..ParseOptions::default()
        };
        let parsed = parse_pdf(pdf, &options).expect("fixture parses");
        let details = account_details_json(&parsed, "statement");
        let printed = |key: &str| details[key].as_str().map(str::to_owned);
        let t = &truth.identity;
        assert_eq!(
            printed("dob"),
            Some(
                t.dob
                    .map(|d| d.format("%Y-%m-%d").to_string())
                    .unwrap_or_default()
            ),
            "{layout}: dob"
        );
        assert_eq!(
            printed("account_status"),
            Some(t.account_status.clone().unwrap_or_default()),
            "{layout}: account_status"
        );
        assert_eq!(
            printed("holder_type"),
            Some(t.holder_type.clone().unwrap_or_default()),
            "{layout}: holder_type"
        );
        let doc = insights_json(&parsed, "statement");
        let rows = doc["accounts"][0]["data"]["transactions"]
            .as_array()
            .map_or(0, Vec::len);
        assert_eq!(rows, truth.transactions.len(), "{layout}: transactions");
    }
}
