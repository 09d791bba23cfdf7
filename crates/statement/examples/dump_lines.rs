//! Debugging aid: prints a PDF's lines with positions as the engine sees them.
//! `cargo run -p ledgerlens-statement --example dump_lines -- FILE.pdf [PAGE]`

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: dump_lines FILE.pdf [PAGE]")?;
    let only_page: Option<usize> = args.next().map(|p| p.parse()).transpose()?;
    let doc = ledgerlens_pdf::open(
        std::fs::read(path)?,
        None,
        &ledgerlens_pdf::Limits::default(),
    )?;
    for page in &doc.pages {
        if only_page.is_some_and(|p| p != page.number) {
            continue;
        }
        for line in ledgerlens_statement::lines::page_lines(page) {
            let words: Vec<String> = line
                .words
                .iter()
                .map(|w| format!("[{:.1}-{:.1}]{}", w.x0, w.x1, w.text))
                .collect();
            println!(
                "p{} y={:.1} s={:.1} {}",
                line.page,
                line.y,
                line.size,
                words.join(" ")
            );
        }
    }
    Ok(())
}
