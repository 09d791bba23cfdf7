//! Debugging aid: per-page facts the engine decides on (glyphs, images, image coverage, fonts).
//! `cargo run -p ledgerlens-statement --example page_facts -- FILE.pdf`
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: page_facts FILE.pdf")?;
    let doc = ledgerlens_pdf::open(std::fs::read(path)?, None, &Default::default())?;
    println!("cut_short {} encrypted {}", doc.cut_short, doc.encrypted);
    for p in &doc.pages {
        println!(
            "page {} glyphs {} images {} coverage {:.2} fonts {:?}",
            p.number, p.glyph_count, p.image_count, p.image_coverage, p.fonts
        );
    }
    Ok(())
}
