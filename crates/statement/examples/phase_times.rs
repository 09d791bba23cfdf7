//! Where parse time goes: PDF extraction vs the statement engine, on one file.
//! `cargo run --release -p ledgerlens-statement --example phase_times -- FILE.pdf [THREADS]`

use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: phase_times FILE.pdf [THREADS]")?;
    let mut limits = ledgerlens_pdf::Limits::default();
    if let Some(t) = args.next() {
        limits.threads = t.parse()?;
    }
    let bytes = std::fs::read(path)?;
    for _ in 0..3 {
        let t0 = Instant::now();
        let doc = ledgerlens_pdf::open(bytes.clone(), None, &limits)?;
        let t1 = Instant::now();
        let options = ledgerlens_statement::ParseOptions {
            limits: limits.clone(),
            ..Default::default()
        };
        let parsed = ledgerlens_statement::parse_document(&doc, &options)?;
        let t2 = Instant::now();
        println!(
            "pages {} rows {}: extract {:.1} ms, engine {:.1} ms",
            doc.pages.len(),
            parsed.transactions.len(),
            (t1 - t0).as_secs_f64() * 1e3,
            (t2 - t1).as_secs_f64() * 1e3
        );
    }
    Ok(())
}
