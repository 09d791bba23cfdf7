//! Debugging aid: parses the tampered-balance fixture of a layout and prints the chain breaks
//! with the rows around them. `cargo run -p ledgerlens-statement --example tampered_case -- LAYOUT SEED`
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let layout = args.next().ok_or("usage: tampered_case LAYOUT SEED")?;
    let seed: u64 = args.next().ok_or("seed")?.parse()?;
    let fixture = ledgerlens_fixtures::tampered_balance(&layout, seed)?;
    let parsed = ledgerlens_statement::parse_pdf(fixture.pdf, &Default::default())?;
    println!("truth breaks {:?}", fixture.tampered_rows);
    for b in &parsed.reconciliation.breaks {
        println!(
            "break at {}: expected {} printed {}",
            b.row, b.expected_balance, b.printed_balance
        );
        for t in parsed
            .transactions
            .iter()
            .skip(b.row.saturating_sub(2))
            .take(4)
        {
            println!(
                "   {} {:?} {} {} | {}",
                t.date, t.transaction_type, t.amount, t.balance, t.transaction_note
            );
        }
    }
    println!("warnings {:?}", parsed.reconciliation.warnings);
    Ok(())
}
