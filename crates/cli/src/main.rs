//! `ledgerlens`: the command line of the BankConnect-compatible statement engine.

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};
use ledgerlens_contract::engine::{insights_json, md5_hex, stable_id, DATE_TIME_FORMAT};
use ledgerlens_contract::enrichment::EnrichmentContext;
// The same Insights document the service answers, assembled by the contract crate.
use ledgerlens_contract::insights::offline_document as enriched_insights;
use ledgerlens_statement::banks;
use ledgerlens_statement::{parse_pdf, ParseOptions, ParsedStatement, StatementError};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

mod service;

#[derive(Parser)]
#[command(
    name = "ledgerlens",
    version,
    about = "Self-hosted, BankConnect-compatible bank statement analysis"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Parse one statement PDF, or a decrypted Account Aggregator DEPOSIT FI document (XML or
    /// JSON), and print its Insights-shaped JSON with the enrichment (categories, salary,
    /// recurring, monthly analysis, EOD balances, predictors, score, fraud), or a CSV of its
    /// transactions with their category.
    Parse {
        file: PathBuf,
        /// The PDF's user password; an empty value means none.
        #[arg(long)]
        password: Option<String>,
        /// The bank the statement should belong to (FinBox id, e.g. hdfc, sbi, icici).
        #[arg(long)]
        bank: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
        /// Account holder name(s) for self-transfer detection (session metadata `names`).
        #[arg(long = "name")]
        names: Vec<String>,
        /// Employer name(s) for salary detection (session metadata `employer_names`).
        #[arg(long = "employer")]
        employer_names: Vec<String>,
        /// Group companies whose transfers count as the holder's own
        /// (session metadata `companies_for_self_transfer`).
        #[arg(long = "self-transfer-company")]
        companies_for_self_transfer: Vec<String>,
        /// Print only what the statement engine read (identity, transactions, reconciliation,
        /// PDF evidence), without categories and analysis: the fastest way to extract.
        #[arg(long)]
        no_enrichment: bool,
    },
    #[command(flatten)]
    Service(service::ServiceCommand),
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Json,
    Csv,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Parse {
            file,
            password,
            bank,
            format,
            names,
            employer_names,
            companies_for_self_transfer,
            no_enrichment,
        } => {
            let context = EnrichmentContext {
                names,
                employer_names,
                companies_for_self_transfer,
                application_date: None,
            };
            let context = (!no_enrichment).then_some(context);
            run_parse(file, password, bank, format, context.as_ref())
        }
        Command::Service(command) => service::run(command),
    }
}

fn run_parse(
    file: PathBuf,
    password: Option<String>,
    bank: Option<String>,
    format: Format,
    context: Option<&EnrichmentContext>,
) -> ExitCode {
    let bytes = match std::fs::read(&file) {
        Ok(b) => b,
        Err(e) => {
            return print_error(
                "MISSING_FILE_OBJECT",
                &format!("cannot read {}: {e}", file.display()),
            )
        }
    };
    let statement_id = stable_id(&md5_hex(&bytes));
    let options = ParseOptions {
        password,
        expected_bank: bank,
        ..ParseOptions::default()
    };
    let parsed = if is_fi_document(&bytes) {
        parse_fi_document(&bytes, options.expected_bank.as_deref())
    } else {
        parse_pdf(bytes, &options).map_err(|e| (e.code(), e.to_string()))
    };
    match parsed {
        Ok(parsed) => match write_output(&parsed, &statement_id, format, context) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => print_error("EXTRACTION_FAILED", &format!("{e:#}")),
        },
        Err((code, message)) => print_error(code, &message),
    }
}

/// A decrypted FI document starts with markup or a JSON value; a PDF with `%PDF` (possibly
/// after a few bytes of junk, which never start with `<` or `{`).
fn is_fi_document(bytes: &[u8]) -> bool {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace() && !matches!(b, 0xef | 0xbb | 0xbf));
    matches!(start.map(|i| bytes[i]), Some(b'<' | b'{' | b'['))
}

/// AA data: the FI document read into the statement model, with the same error codes a session
/// would report (`NO_TRANSACTIONS_FROM_AA` when the FIP sent no rows).
fn parse_fi_document(
    bytes: &[u8],
    expected_bank: Option<&str>,
) -> Result<ParsedStatement, (&'static str, String)> {
    let account = ledgerlens_aa::fi::parse(bytes).map_err(|e| {
        let e = StatementError::InvalidFile(format!("File object is invalid: {e}"));
        (e.code(), e.to_string())
    })?;
    if account.has_no_transactions() {
        return Err((
            ledgerlens_aa::convert::NO_TRANSACTIONS_FROM_AA,
            "Not able to fetch transactions from Account Aggregator".to_owned(),
        ));
    }
    let parsed = ledgerlens_aa::convert::to_parsed_statement(&account);
    if let (Some(expected), Some(detected)) = (expected_bank, parsed.bank.as_ref()) {
        if !banks::answers_to(detected.bank, expected) {
            let e = StatementError::BankMismatch {
                expected: expected.to_owned(),
                detected: detected.bank.id.clone(),
            };
            return Err((e.code(), e.to_string()));
        }
    }
    Ok(parsed)
}

fn write_output(
    parsed: &ParsedStatement,
    statement_id: &str,
    format: Format,
    context: Option<&EnrichmentContext>,
) -> anyhow::Result<()> {
    // Pretty JSON is many short lines: unbuffered stdout would write each one separately.
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let doc = match context {
        Some(context) => enriched_insights(parsed, statement_id, context),
        None => insights_json(parsed, statement_id),
    };
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &doc).context("writing JSON")?;
            writeln!(out)?;
        }
        Format::Csv => write_csv(&mut out, parsed, &doc)?,
    }
    out.flush()?;
    Ok(())
}

/// One row per transaction as the engine read it, with the enrichment's category when the
/// document carries one.
fn write_csv(
    out: &mut impl Write,
    parsed: &ParsedStatement,
    doc: &serde_json::Value,
) -> anyhow::Result<()> {
    let categories: std::collections::HashMap<&str, &str> = doc["accounts"][0]["data"]
        ["transactions"]
        .as_array()
        .map(|rows| {
            rows.iter()
                .filter_map(|t| Some((t["hash"].as_str()?, t["category"].as_str()?)))
                .collect()
        })
        .unwrap_or_default();
    writeln!(
        out,
        "date,transaction_type,amount,balance,chq_num,transaction_note,hash,category"
    )?;
    for t in &parsed.transactions {
        writeln!(
            out,
            "{},{},{},{},{},{},{},{}",
            t.date.format(DATE_TIME_FORMAT),
            csv_field(&format!("{:?}", t.transaction_type).to_lowercase()),
            t.amount,
            t.balance,
            csv_field(&t.chq_num),
            csv_field(&t.transaction_note),
            t.hash,
            csv_field(categories.get(t.hash.as_str()).copied().unwrap_or_default()),
        )?;
    }
    Ok(())
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

fn print_error(code: &str, message: &str) -> ExitCode {
    let body = serde_json::json!({"error": {"code": code, "message": message}});
    // stdout may be a closed pipe (`| head`): the exit code still tells.
    let _ = writeln!(std::io::stdout(), "{body}");
    ExitCode::from(2)
}
