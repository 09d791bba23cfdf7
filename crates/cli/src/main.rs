//! `ledgerlens`: the command line of the BankConnect-compatible statement engine.

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};
use ledgerlens_statement::bankconnect::{insights_json, stable_id, DATE_TIME_FORMAT};
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
    /// Parse one statement PDF and print its Insights-shaped JSON (or CSV of transactions).
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
        } => run_parse(file, password, bank, format),
        Command::Service(command) => service::run(command),
    }
}

fn run_parse(
    file: PathBuf,
    password: Option<String>,
    bank: Option<String>,
    format: Format,
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
    let statement_id = stable_id(&format!("{:x}", md5_of(&bytes)));
    let options = ParseOptions {
        password,
        expected_bank: bank,
        ..ParseOptions::default()
    };
    match parse_pdf(bytes, &options) {
        Ok(parsed) => match write_output(&parsed, &statement_id, format) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => print_error("EXTRACTION_FAILED", &format!("{e:#}")),
        },
        Err(e) => print_statement_error(&e),
    }
}

fn md5_of(bytes: &[u8]) -> u128 {
    use md5::Digest;
    u128::from_be_bytes(md5::Md5::digest(bytes).into())
}

fn write_output(
    parsed: &ParsedStatement,
    statement_id: &str,
    format: Format,
) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &insights_json(parsed, statement_id))
                .context("writing JSON")?;
            writeln!(out)?;
        }
        Format::Csv => {
            writeln!(
                out,
                "date,transaction_type,amount,balance,chq_num,transaction_note,hash"
            )?;
            for t in &parsed.transactions {
                writeln!(
                    out,
                    "{},{},{},{},{},{},{}",
                    t.date.format(DATE_TIME_FORMAT),
                    csv_field(&format!("{:?}", t.transaction_type).to_lowercase()),
                    t.amount,
                    t.balance,
                    csv_field(&t.chq_num),
                    csv_field(&t.transaction_note),
                    t.hash
                )?;
            }
        }
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

fn print_statement_error(e: &StatementError) -> ExitCode {
    print_error(e.code(), &e.to_string())
}

fn print_error(code: &str, message: &str) -> ExitCode {
    let body = serde_json::json!({"error": {"code": code, "message": message}});
    println!("{body}");
    ExitCode::from(2)
}
