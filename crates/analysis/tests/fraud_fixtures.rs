//! Fraud on real PDFs from the fixture generator: tampered statements must be reported as
//! fraud (recall), clean ones must carry no fraud entry (false alarms). The clean set is
//! every built-in layout and a range of random layouts, parsed by the engine.

use ledgerlens_analysis::{enrich, AccountInput, EnrichmentContext, StatementInput};
use ledgerlens_fixtures::{
    generate, generate_random, layouts, tampered_balance, tampered_metadata,
};
use ledgerlens_statement::{parse_pdf, ParseOptions};

fn fraud_of(pdf: Vec<u8>) -> Option<ledgerlens_analysis::fraud::FraudReport> {
    let parsed = parse_pdf(pdf, &ParseOptions::default()).ok()?;
    let account = AccountInput {
        account_number: parsed.identity.account_number.clone(),
        statements: vec![StatementInput::from_parsed("s1", &parsed)],
        ..AccountInput::default()
    };
    Some(enrich(&account, &EnrichmentContext::default()).fraud)
}

#[test]
fn tampered_balances_are_fraud_by_the_edited_balance_rule() {
    let mut checked = 0;
    for layout in [
        "hdfc_classic",
        "kotak_style",
        "pnb_amount_drcr",
        "baroda_overdraft",
        "sbi_style",
        "icici_style",
    ] {
        for seed in [3, 21, 77] {
            let Ok(fixture) = tampered_balance(layout, seed) else {
                continue;
            };
            let report = fraud_of(fixture.pdf).expect("tampered statement parses");
            assert!(
                report
                    .fraud
                    .iter()
                    .any(|entry| entry.fraud_type == "inconsistent_transaction"
                        && entry.rule == "edited_balance"),
                "{layout} seed {seed}: {:?} / warnings {:?}",
                report.fraud,
                report.warnings
            );
            assert!(report.flags["inconsistent_transaction"]);
            checked += 1;
        }
    }
    println!("tampered balances flagged: {checked}/{checked}");
    assert!(checked >= 12);
}

#[test]
fn tampered_metadata_is_fraud() {
    for (layout, seed) in [("sbi_style", 1), ("icici_style", 4), ("hdfc_classic", 9)] {
        let fixture = tampered_metadata(layout, seed).expect("fixture");
        let report = fraud_of(fixture.pdf).expect("parses");
        let types: Vec<&str> = report.fraud.iter().map(|entry| entry.fraud_type).collect();
        assert!(types.contains(&"author_fraud"), "{layout}: {types:?}");
        assert!(types.contains(&"date_fraud"), "{layout}: {types:?}");
    }
}

#[test]
fn clean_statements_carry_no_fraud() {
    let mut statements = 0;
    let mut with_fraud = Vec::new();
    let mut with_breaks = 0;
    let mut names: Vec<String> = layouts()
        .into_iter()
        .map(|spec| spec.name.to_string())
        .collect();
    names.sort();
    let built_in = names
        .iter()
        .flat_map(|name| [1, 2].map(|seed| (name.clone(), seed)));
    // Random layouts exercise the reading of layouts the engine was not written from.
    let random = (0..60u64).map(|seed| ("random".to_string(), seed));
    for (name, seed) in built_in.chain(random) {
        {
            let generated = if name == "random" {
                generate_random(seed)
            } else {
                generate(&name, seed)
            };
            let Ok((pdf, _truth)) = generated else {
                continue;
            };
            let Ok(parsed) = parse_pdf(pdf.clone(), &ParseOptions::default()) else {
                continue;
            };
            statements += 1;
            if !parsed.reconciliation.breaks.is_empty() {
                with_breaks += 1;
            }
            let report = fraud_of(pdf).expect("parses");
            if !report.fraud.is_empty() {
                with_fraud.push(format!("{name}/{seed}: {:?}", report.fraud));
            }
        }
    }
    // Before the rules named their evidence, every chain break was fraud.
    println!(
        "clean statements: {statements}; with a chain break (fraud under the old rule): {with_breaks}; with fraud now: {}",
        with_fraud.len()
    );
    assert!(statements >= 80);
    assert!(with_fraud.is_empty(), "{with_fraud:#?}");
}
