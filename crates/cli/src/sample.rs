//! `ledgerlens sample-statement`: writes a synthetic statement (from the fixture generator, an
//! invented holder) whose period is the one `serve`'s walkthrough asks its session for.

use anyhow::Context;
use clap::Args;
use ledgerlens_fixtures::{generate_with, GenerateOptions};
use ledgerlens_server::first_run::{sample_period, SAMPLE_BANK, SAMPLE_FILE, SAMPLE_MONTHS};
use std::path::PathBuf;

/// The fixture layout of the sample: HDFC-like, standard fonts, reconciles exactly.
const SAMPLE_LAYOUT: &str = "hdfc_classic";

#[derive(Args)]
pub struct SampleArgs {
    /// Where to write the PDF.
    #[arg(long, short, default_value = SAMPLE_FILE)]
    out: PathBuf,
    /// Seed of the invented holder and transactions (the same seed writes the same file).
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

pub fn run(args: &SampleArgs) -> anyhow::Result<()> {
    let today = chrono::Utc::now().date_naive();
    let (from, to) = sample_period(today);
    let options = GenerateOptions {
        seed: args.seed,
        months: Some(SAMPLE_MONTHS),
        start_date: Some(from),
        density: None,
    };
    let (pdf, truth) = generate_with(SAMPLE_LAYOUT, &options)
        .map_err(|e| anyhow::anyhow!("generating the sample statement: {e}"))?;
    std::fs::write(&args.out, &pdf).with_context(|| format!("writing {}", args.out.display()))?;
    eprintln!(
        "wrote {}: a synthetic {} statement, {} to {}, {} transactions, {} pages (upload it with bank_name={SAMPLE_BANK})",
        args.out.display(),
        SAMPLE_BANK.to_uppercase(),
        from.format("%d/%m/%Y"),
        to.format("%d/%m/%Y"),
        truth.transactions.len(),
        truth.pages,
    );
    Ok(())
}
