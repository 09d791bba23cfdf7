//! What `ledgerlens parse` writes: the Insights JSON, a CSV of the transactions with their
//! enrichment, or the Excel workbook the service would serve for the account.

use super::{enriched_insights, insights_json, EnrichmentContext, Format, DATE_TIME_FORMAT};
use anyhow::Context;
use ledgerlens_contract::enrichment::enrich_parsed;
use ledgerlens_statement::model::CheckedAgainst;
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
    // The process ends once this is written: freeing a long statement's document value by
    // value cost 11 M instructions (114-page bench statement), so it is left to the exit.
    let doc = std::mem::ManuallyDrop::new(doc);
    if matches!(target.format, Format::Csv) {
        warn_if_unreconciled(parsed);
    }
    let bytes = match target.format {
        Format::Json => {
            let mut bytes = pretty_json(&doc, ROWS_WRITTEN_ASIDE).context("writing JSON")?;
            bytes.push(b'\n');
            bytes
        }
        Format::Csv => {
            let mut bytes = Vec::new();
            write_csv(&mut bytes, parsed, &doc)?;
            bytes
        }
        Format::Xlsx => workbook(
            std::mem::ManuallyDrop::into_inner(doc),
            parsed,
            statement_id,
            context,
        )?,
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

/// Statements with at least this many rows have their `transactions` array written on a second
/// thread: on a long statement it is a third of the document and writing JSON is the last,
/// single-threaded step of the parse.
const ROWS_WRITTEN_ASIDE: usize = 1_000;

/// `doc` exactly as `serde_json::to_vec_pretty` writes it. The first account's transactions,
/// when there are at least `rows_aside` of them, are written on another thread and spliced in:
/// a JSON string never holds a raw newline (it is escaped), so every newline of that part is
/// structural and indenting it for its depth is inserting spaces after each one.
fn pretty_json(doc: &Value, rows_aside: usize) -> serde_json::Result<Vec<u8>> {
    let Some(rows) = doc
        .pointer("/accounts/0/data/transactions")
        .filter(|rows| rows.as_array().is_some_and(|rows| rows.len() >= rows_aside))
    else {
        return serde_json::to_vec_pretty(doc);
    };
    std::thread::scope(|scope| {
        let aside = scope.spawn(|| serde_json::to_vec_pretty(rows));
        let mut out = Vec::new();
        let mut splice = None;
        write_pretty(&mut out, doc, 0, rows, &mut splice)?;
        let written = match aside.join() {
            Ok(written) => written?,
            // A panic there is redone here, where it surfaces as it would have without threads.
            Err(_) => serde_json::to_vec_pretty(rows)?,
        };
        let Some((at, depth)) = splice else {
            return Ok(out);
        };
        let mut whole = Vec::with_capacity(out.len() + written.len() + written.len() / 8);
        whole.extend_from_slice(&out[..at]);
        for (i, line) in written.split(|&b| b == b'\n').enumerate() {
            if i > 0 {
                whole.push(b'\n');
                indent(&mut whole, depth);
            }
            whole.extend_from_slice(line);
        }
        whole.extend_from_slice(&out[at..]);
        Ok(whole)
    })
}

/// serde_json's pretty layout (two-space indent, `"key": value`, empty containers as `{}` and
/// `[]`), leaving out `aside` and noting where it goes and at which depth.
fn write_pretty(
    out: &mut Vec<u8>,
    value: &Value,
    depth: usize,
    aside: &Value,
    splice: &mut Option<(usize, usize)>,
) -> serde_json::Result<()> {
    if std::ptr::eq(value, aside) {
        *splice = Some((out.len(), depth));
        return Ok(());
    }
    match value {
        Value::Object(map) if !map.is_empty() => {
            out.push(b'{');
            for (i, (key, child)) in map.iter().enumerate() {
                out.extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
                indent(out, depth + 1);
                serde_json::to_writer(&mut *out, key)?;
                out.extend_from_slice(b": ");
                write_pretty(out, child, depth + 1, aside, splice)?;
            }
            out.push(b'\n');
            indent(out, depth);
            out.push(b'}');
        }
        Value::Array(items) if !items.is_empty() => {
            out.push(b'[');
            for (i, child) in items.iter().enumerate() {
                out.extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
                indent(out, depth + 1);
                write_pretty(out, child, depth + 1, aside, splice)?;
            }
            out.push(b'\n');
            indent(out, depth);
            out.push(b']');
        }
        // Scalars and empty containers: the same bytes in either layout.
        other => serde_json::to_writer(&mut *out, other)?,
    }
    Ok(())
}

fn indent(out: &mut Vec<u8>, depth: usize) {
    for _ in 0..depth {
        out.extend_from_slice(b"  ");
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
    if r.checked_against != CheckedAgainst::BalanceChain {
        reasons.push("the table prints no running balance, so its rows cannot be chained".into());
    }
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
            // Empty where the statement prints no balance anywhere (see `balances_known`).
            if parsed.reconciliation.balances_known {
                t.balance.to_string()
            } else {
                String::new()
            },
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
    fn the_document_is_written_as_serde_json_writes_it() {
        let doc = serde_json::json!({
            "session_id": null,
            "empty": {},
            "accounts": [{
                "account_id": "a\"1\n",
                "data": {
                    "none": [],
                    "transactions": [
                        {"note": "UPI/1\nX \\ \u{1}", "amount": 1.5, "n": 3, "meta": {"a": [1, [], {}]}},
                        {"note": "two", "amount": -0.25, "flag": true, "meta": {}},
                    ],
                    "after": {"x": [1, 2, {"y": "z"}]},
                },
            }],
            "aggregate": {"k": 1},
        });
        let expected = serde_json::to_vec_pretty(&doc).unwrap_or_default();
        for rows_aside in [0, 2, 3] {
            let written = pretty_json(&doc, rows_aside).unwrap_or_default();
            assert_eq!(
                String::from_utf8_lossy(&written),
                String::from_utf8_lossy(&expected),
                "rows aside from {rows_aside}"
            );
        }
        // Without the transactions where they are looked for, the whole is written at once.
        let other = serde_json::json!({"accounts": [], "x": [1]});
        assert_eq!(
            pretty_json(&other, 0).unwrap_or_default(),
            serde_json::to_vec_pretty(&other).unwrap_or_default()
        );
    }

    #[test]
    fn a_long_statement_document_is_written_as_serde_json_writes_it() {
        let (pdf, _) = ledgerlens_fixtures::generate("long_12m", 42).expect("fixture renders");
        let parsed = ledgerlens_statement::parse_pdf(pdf, &Default::default()).expect("parses");
        let doc = enriched_insights(&parsed, "statement", &EnrichmentContext::default());
        let rows = doc["accounts"][0]["data"]["transactions"]
            .as_array()
            .map_or(0, Vec::len);
        assert!(rows >= ROWS_WRITTEN_ASIDE, "{rows} rows: not written aside");
        let written = pretty_json(&doc, ROWS_WRITTEN_ASIDE).unwrap_or_default();
        assert!(
            written == serde_json::to_vec_pretty(&doc).unwrap_or_default(),
            "the spliced document differs"
        );
    }

    #[test]
    fn fields_with_separators_are_quoted() {
        assert_eq!(csv_field("UPI/123,ok"), "\"UPI/123,ok\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("plain"), "plain");
    }
}
