//! `ledgerlens`: the command line of the BankConnect-compatible statement engine.

use clap::{Parser, Subcommand, ValueEnum};
use ledgerlens_contract::engine::{insights_json, md5_hex, stable_id, DATE_TIME_FORMAT};
use ledgerlens_contract::enrichment::EnrichmentContext;
use ledgerlens_contract::errors::statement_error_code;
// The same Insights document the service answers, assembled by the contract crate.
use ledgerlens_contract::insights::offline_document as enriched_insights;
use ledgerlens_statement::banks;
use ledgerlens_statement::{parse_document, ParseOptions, ParsedStatement, StatementError};
use output::{write_output, Output};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

mod allocator;
mod output;
mod sample;
mod service;

// Small, short-lived allocations on several threads are most of what glibc's malloc spent its
// time on (see Cargo.toml).
#[global_allocator]
static ALLOCATOR: allocator::Allocator = allocator::Allocator;

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
        /// The statement PDF, or a decrypted AA FI document (XML or JSON).
        file: PathBuf,
        /// The PDF's user password; an empty value means none.
        #[arg(long)]
        password: Option<String>,
        /// The bank the statement should belong to (FinBox id, e.g. hdfc, sbi, icici).
        #[arg(long)]
        bank: Option<String>,
        /// What to write: Insights JSON, a CSV of the transactions, or the Excel workbook
        /// (xlsx needs --output or a redirected stdout).
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
        /// Write to this file instead of stdout.
        #[arg(long, short)]
        output: Option<PathBuf>,
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
    /// Write a synthetic statement PDF (invented holder) whose period fits the session the
    /// `serve` walkthrough creates: the six whole months before this one, HDFC layout.
    SampleStatement(sample::SampleArgs),
    #[command(flatten)]
    Service(service::ServiceCommand),
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Json,
    Csv,
    Xlsx,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Parse {
            file,
            password,
            bank,
            format,
            output,
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
            let target = Output {
                format,
                path: output,
            };
            run_parse(file, password, bank, &target, context.as_ref())
        }
        Command::SampleStatement(args) => match sample::run(&args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e:#}");
                ExitCode::FAILURE
            }
        },
        Command::Service(command) => service::run(command),
    }
}

fn run_parse(
    file: PathBuf,
    password: Option<String>,
    bank: Option<String>,
    target: &Output,
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
    let options = ParseOptions {
        password,
        expected_bank: bank,
        ..ParseOptions::default()
    };
    let (statement_id, parsed) = if is_fi_document(&bytes) {
        // The file's digest (the statement's id) needs nothing the parse reads: it is taken on
        // its own thread while the document is read.
        std::thread::scope(|scope| {
            let digest = scope.spawn(|| stable_id(&md5_hex(&bytes)));
            let parsed = parse_fi_document(&bytes, options.expected_bank.as_deref());
            let statement_id = digest
                .join()
                .unwrap_or_else(|_| stable_id(&md5_hex(&bytes)));
            (statement_id, parsed)
        })
    } else {
        parse_statement_pdf(&bytes, &options, context.is_some())
    };
    match parsed {
        Ok(parsed) => match write_output(&parsed, &statement_id, target, context) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => print_error("EXTRACTION_FAILED", &format!("{e:#}")),
        },
        Err((code, message)) => print_error(code, &message),
    }
}

/// [`ledgerlens_statement::parse_pdf`], with the work that needs nothing the engine reads done beside it: the file's
/// digest (the statement's id) and, when the statement is to be enriched, the categoriser's
/// tables (built once per process from the embedded data, ~1.5 % of a long statement's
/// instructions). Both wait until the pages are extracted, which keeps both cores busy on its
/// own, and run while the engine reads the table, most of which runs on one core. The
/// extracted document is not freed: the process ends after writing its answer.
fn parse_statement_pdf(
    bytes: &[u8],
    options: &ParseOptions,
    enriched: bool,
) -> (String, Result<ParsedStatement, (&'static str, String)>) {
    let password = options.password.as_deref().filter(|p| !p.is_empty());
    let document = match ledgerlens_pdf::open(bytes.to_vec(), password, &options.limits) {
        Ok(document) => std::mem::ManuallyDrop::new(document),
        Err(e) => {
            // No statement, so no id to give it.
            let e = StatementError::from(e);
            return (
                String::new(),
                Err((statement_error_code(e.kind()), e.to_string())),
            );
        }
    };
    std::thread::scope(|scope| {
        let beside = scope.spawn(|| {
            let statement_id = stable_id(&md5_hex(bytes));
            if enriched {
                ledgerlens_analysis::categorizer();
            }
            statement_id
        });
        let parsed = parse_document(&document, options)
            .map_err(|e| (statement_error_code(e.kind()), e.to_string()));
        let statement_id = beside.join().unwrap_or_else(|_| stable_id(&md5_hex(bytes)));
        (statement_id, parsed)
    })
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
        (statement_error_code(e.kind()), e.to_string())
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
            return Err((statement_error_code(e.kind()), e.to_string()));
        }
    }
    Ok(parsed)
}

fn print_error(code: &str, message: &str) -> ExitCode {
    let body = serde_json::json!({"error": {"code": code, "message": message}});
    // stdout may be a closed pipe (`| head`): the exit code still tells.
    let _ = writeln!(std::io::stdout(), "{body}");
    ExitCode::from(2)
}

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;

    fn undocumented(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
        for arg in cmd.get_arguments() {
            let id = arg.get_id().as_str();
            if arg.is_hide_set() || id == "help" || id == "version" {
                continue;
            }
            if arg.get_help().is_none() && arg.get_long_help().is_none() {
                missing.push(format!("{path} <{id}>"));
            }
        }
        for sub in cmd.get_subcommands() {
            let path = format!("{path} {}", sub.get_name());
            if sub.get_about().is_none() && sub.get_name() != "help" {
                missing.push(path.clone());
            }
            undocumented(sub, &path, missing);
        }
    }

    #[test]
    fn every_command_flag_and_argument_has_help() {
        let mut missing = Vec::new();
        undocumented(&Cli::command(), "ledgerlens", &mut missing);
        assert!(missing.is_empty(), "without help text: {missing:?}");
    }
}
