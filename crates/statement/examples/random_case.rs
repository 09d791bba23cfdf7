//! Debugging aid for the randomised layouts: writes `random_<seed>.pdf`, then prints what the
//! engine read next to the truth, row by row where they differ.
//! `cargo run -p ledgerlens-statement --example random_case -- SEED [OUT_DIR] [ENCODING]`
//! ENCODING, an index into `TextEncoding::all()`, writes the seed's layout in that encoding.

use ledgerlens_statement::{parse_pdf, ParseOptions};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let seed: u64 = args
        .next()
        .ok_or("usage: random_case SEED [OUT_DIR] [ENCODING]")?
        .parse()?;
    let out = std::path::PathBuf::from(args.next().unwrap_or_else(|| "/tmp".into()));
    let (pdf, truth) = match args.next() {
        Some(index) => {
            let encoding = ledgerlens_fixtures::pdf::TextEncoding::all()
                .get(index.parse::<usize>()?)
                .copied()
                .ok_or("no encoding with that index")?;
            println!("encoding {encoding:?}");
            let spec = ledgerlens_fixtures::LayoutSpec {
                encoding,
                ..ledgerlens_fixtures::random_layout(seed)
            };
            ledgerlens_fixtures::generate_spec(&spec, seed)?
        }
        None => ledgerlens_fixtures::generate_random(seed)?,
    };
    std::fs::write(out.join(format!("random_{seed}.pdf")), &pdf)?;
    let options = ParseOptions {
        expected_bank: Some(truth.bank.clone()),
        ..Default::default()
    };
    let parsed = match parse_pdf(pdf, &options) {
        Ok(p) => p,
        Err(e) => {
            println!("error {:?}: {e}", e.kind());
            let doc = ledgerlens_pdf::open(
                std::fs::read(out.join(format!("random_{seed}.pdf")))?,
                None,
                &Default::default(),
            )?;
            if let Some(table) = ledgerlens_statement::table::read_table(&doc.pages) {
                println!(
                    "heading: {:?}",
                    table
                        .header
                        .columns
                        .iter()
                        .map(|c| format!("{}={}", c.role.name(), c.heading))
                        .collect::<Vec<_>>()
                );
                println!("rows {} markers {}", table.rows.len(), table.markers.len());
            }
            return Ok(());
        }
    };
    println!(
        "columns: {:?}",
        parsed
            .layout
            .columns
            .iter()
            .map(|c| format!("{}={}", c.role, c.heading))
            .collect::<Vec<_>>()
    );
    println!(
        "wrap {} header pages {:?} reversed {}",
        parsed.layout.wrap_mode, parsed.layout.header_pages, parsed.layout.reversed_order
    );
    println!(
        "rows {} want {}; reconciled {}",
        parsed.transactions.len(),
        truth.transactions.len(),
        parsed.reconciliation.reconciled
    );
    if !parsed.reconciliation.reconciled {
        let r = &parsed.reconciliation;
        println!(
            "breaks {:?}",
            r.breaks.iter().map(|b| b.row).collect::<Vec<_>>()
        );
        println!("mismatches {:?}", r.summary_mismatches);
    }
    println!(
        "identity name {:?} want {:?}",
        parsed.identity.name, truth.identity.name
    );
    let mut shown = 0;
    for (i, (g, w)) in parsed
        .transactions
        .iter()
        .zip(&truth.transactions)
        .enumerate()
    {
        let got = format!(
            "{} | {} | {} | {} {:?} | {}",
            g.date,
            g.transaction_note,
            g.chq_num,
            g.amount.normalize(),
            g.transaction_type,
            g.balance.normalize()
        );
        let want = format!(
            "{} | {} | {} | {} {} | {}",
            w.date,
            w.transaction_note,
            w.chq_num,
            w.amount.normalize(),
            w.transaction_type,
            w.balance.normalize()
        );
        if got.to_lowercase() != want.to_lowercase() && shown < 6 {
            println!("row {i}\n  got  {got}\n  want {want}");
            shown += 1;
        }
    }
    Ok(())
}
