//! What `ledgerlens parse` writes: the Insights JSON, a CSV of the transactions with their
//! enrichment, or the Excel workbook the service would serve for the account.

use super::{enriched_insights, insights_json, EnrichmentContext, Format, DATE_TIME_FORMAT};
use anyhow::Context;
use ledgerlens_contract::enrichment::enrich_parsed;
use ledgerlens_statement::ParsedStatement;
use serde_json::Value;
use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

/// The format and, when given, the file to write instead of stdout.
pub struct Output {
    pub format: Format,
    pub path: Option<PathBuf>,
}

pub fn write_output(
    parsed: &ParsedStatement,
    statement_id: &str,
    target: &Output,
    context: Option<&EnrichmentContext>,
) -> anyhow::Result<()> {
    let doc = match context {
        Some(context) => enriched_insights(parsed, statement_id, context),
        None => insights_json(parsed, statement_id),
    };
    if matches!(target.format, Format::Csv) {
        warn_if_unreconciled(parsed);
    }
    let bytes = match target.format {
        Format::Json => {
            let mut bytes = serde_json::to_vec_pretty(&doc).context("writing JSON")?;
            bytes.push(b'\n');
            bytes
        }
        Format::Csv => {
            let mut bytes = Vec::new();
            write_csv(&mut bytes, parsed, &doc)?;
            bytes
        }
        Format::Xlsx => workbook(doc, parsed, statement_id, context)?,
    };
    match &target.path {
        Some(path) => {
            std::fs::write(path, &bytes).with_context(|| format!("writing {}", path.display()))
        }
        None => {
            let mut out = std::io::stdout().lock();
            if matches!(target.format, Format::Xlsx) && out.is_terminal() {
                anyhow::bail!("an XLSX workbook is binary: give --output FILE or redirect stdout");
            }
            out.write_all(&bytes)?;
            out.flush()?;
            Ok(())
        }
    }
}

/// The account workbook, as `GET …/xlsx_report/` links to it (with the score's factors, which
/// the service adds from the enrichment).
fn workbook(
    doc: Value,
    parsed: &ParsedStatement,
    statement_id: &str,
    context: Option<&EnrichmentContext>,
) -> anyhow::Result<Vec<u8>> {
    let accounts = ledgerlens_report::AccountInsights::from_insights(&doc);
    let mut account = accounts
        .into_iter()
        .next()
        .context("the statement gave no account to report on")?;
    if let Some(context) = context {
        let mut enrichment = enrich_parsed(statement_id, &account.account_id, parsed, context);
        account.data["score_factors"] = enrichment.entity["score_factors"].take();
    }
    ledgerlens_report::account_xlsx(&account).context("building the workbook")
}

/// A CSV reader sees only rows: an unreconciled statement must say so somewhere else.
fn warn_if_unreconciled(parsed: &ParsedStatement) {
    let r = &parsed.reconciliation;
    if r.reconciled {
        return;
    }
    let mut reasons: Vec<String> = Vec::new();
    if !r.breaks.is_empty() {
        let rows: Vec<String> = r.breaks.iter().map(|b| (b.row + 1).to_string()).collect();
        reasons.push(format!("balance breaks at rows {}", rows.join(", ")));
    }
    reasons.extend(r.summary_mismatches.iter().cloned());
    if reasons.is_empty() {
        reasons.push("the balance chain does not hold".to_owned());
    }
    eprintln!(
        "warning: the statement is NOT reconciled ({}); check the rows against the PDF",
        reasons.join("; ")
    );
}

const CSV_HEADER: &str = "date,value_date,transaction_type,amount,balance,chq_num,transaction_note,hash,category,channel,merchant";

/// One row per transaction as the engine read it, with the enrichment's category, channel and
/// merchant when the document carries them.
fn write_csv(out: &mut impl Write, parsed: &ParsedStatement, doc: &Value) -> anyhow::Result<()> {
    let enriched: HashMap<&str, &Value> = doc["accounts"][0]["data"]["transactions"]
        .as_array()
        .map(|rows| {
            rows.iter()
                .filter_map(|t| Some((t["hash"].as_str()?, t)))
                .collect()
        })
        .unwrap_or_default();
    writeln!(out, "{CSV_HEADER}")?;
    for t in &parsed.transactions {
        let row = enriched
            .get(t.hash.as_str())
            .copied()
            .unwrap_or(&Value::Null);
        let text = |v: &Value| csv_field(v.as_str().unwrap_or_default());
        writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{}",
            t.date.format(DATE_TIME_FORMAT),
            t.value_date
                .map(|d| d.format(DATE_TIME_FORMAT).to_string())
                .unwrap_or_default(),
            csv_field(&format!("{:?}", t.transaction_type).to_lowercase()),
            t.amount,
            t.balance,
            csv_field(&t.chq_num),
            csv_field(&t.transaction_note),
            t.hash,
            text(&row["category"]),
            text(&row["metadata"]["transaction_channel"]),
            text(&row["metadata"]["unclean_merchant"]),
        )?;
    }
    Ok(())
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_with_separators_are_quoted() {
        assert_eq!(csv_field("UPI/123,ok"), "\"UPI/123,ok\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("plain"), "plain");
    }
}
