//! Debugging aid: prints the raw rows and balance markers the table reader assembled.
//! `cargo run -p ledgerlens-statement --example table_rows -- FILE.pdf [PASSWORD]`
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: table_rows FILE.pdf [PASSWORD]")?;
    let password = args.next();
    let doc = ledgerlens_pdf::open(
        std::fs::read(path)?,
        password.as_deref(),
        &ledgerlens_pdf::Limits::default(),
    )?;
    let table = ledgerlens_statement::table::read_table(&doc.pages).ok_or("no table")?;
    for (i, row) in table.rows.iter().enumerate() {
        println!(
            "{i:4} p{} {:?} | {} | d={:?} c={:?} a={:?} m={:?} b={:?}",
            row.page,
            row.date.map(|d| d.date()),
            row.narration_text(),
            row.debit,
            row.credit,
            row.amount,
            row.drcr,
            row.balance
        );
    }
    for m in &table.markers {
        println!("marker {m:?}");
    }
    for c in &table.header.columns {
        println!(
            "column {:?} {:.1}-{:.1} {:?}",
            c.role, c.x0, c.x1, c.heading
        );
    }
    for line in &table.leftovers {
        println!("leftover p{} y={:.1} {}", line.page, line.y, line.text());
    }
    Ok(())
}
