//! Debugging aid: parses the truncated-file fixture and prints the verdict.
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let seed: u64 = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "9".into())
        .parse()?;
    let fixture = ledgerlens_fixtures::corrupt_truncated(seed)?;
    match ledgerlens_statement::parse_pdf(fixture.pdf, &Default::default()) {
        Ok(p) => println!(
            "rows {} pages {} reconciled {} mismatches {:?} warnings {:?}",
            p.transactions.len(),
            p.page_count,
            p.reconciliation.reconciled,
            p.reconciliation.summary_mismatches,
            p.reconciliation.warnings
        ),
        Err(e) => println!("error {:?}", e.kind()),
    }
    let (full, truth) = ledgerlens_fixtures::generate("hdfc_classic", seed)?;
    let p = ledgerlens_statement::parse_pdf(full, &Default::default())?;
    println!(
        "full: rows {} truth {} pages {}",
        p.transactions.len(),
        truth.transactions.len(),
        p.page_count
    );
    Ok(())
}
