//! Debugging aid: renders a hand-written layout with the date cells dropped below the row and
//! prints the first rows that differ from the truth.
//! `cargo run -p ledgerlens-statement --example quirk_case -- LAYOUT DROP`
use ledgerlens_fixtures::{find_layout, generate_spec, LayoutSpec};
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let name = args.next().ok_or("usage: quirk_case LAYOUT DROP")?;
    let drop: f32 = args.next().ok_or("drop")?.parse()?;
    let base = find_layout(&name)?;
    let mut quirks = base.quirks;
    quirks.date_cell_drop = drop;
    quirks.date_on_first_row_of_day = std::env::var("FIRST_ROW").is_ok();
    quirks.heading_not_in_text = std::env::var("NO_HEADING").is_ok();
    quirks.chunked_narration = std::env::var("CHUNKED").is_ok();
    quirks.bilingual_headings = std::env::var("BILINGUAL").ok().map(|v| v == "above");
    quirks.identity_on_every_page = std::env::var("IDENTITY_EVERY_PAGE").is_ok();
    quirks.balance_on_day_end_only = std::env::var("DAY_END_BALANCE").is_ok();
    let mut spec = LayoutSpec { quirks, ..base };
    if let Ok(order) = std::env::var("REORDER") {
        spec.reorder_columns(order == "narration");
    }
    let (pdf, truth) = generate_spec(&spec, 7)?;
    std::fs::write(format!("/tmp/{name}_quirk.pdf"), &pdf)?;
    let parsed = match ledgerlens_statement::parse_pdf(pdf, &Default::default()) {
        Ok(p) => p,
        Err(e) => {
            println!("error {:?}: {e} (truth bank {})", e.kind(), truth.bank);
            return Ok(());
        }
    };
    println!(
        "bank {:?} truth {}",
        parsed.bank.as_ref().map(|b| b.bank.id.clone()),
        truth.bank
    );
    let mut shown = 0;
    for (got, want) in parsed.transactions.iter().zip(&truth.transactions) {
        if got.transaction_note != want.transaction_note
            || got.date != want.date
            || got.chq_num != want.chq_num
        {
            println!(
                "got  {} | {} | {}\nwant {} | {} | {}",
                got.date,
                got.transaction_note,
                got.chq_num,
                want.date,
                want.transaction_note,
                want.chq_num
            );
            shown += 1;
            if shown > 3 {
                break;
            }
        }
    }
    Ok(())
}
