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
/// when there are at least `rows_aside` of them, are written on another thread, at their depth,
/// and spliced in.
fn pretty_json(doc: &Value, rows_aside: usize) -> serde_json::Result<Vec<u8>> {
    let Some(rows) = doc
        .pointer("/accounts/0/data/transactions")
        .filter(|rows| rows.as_array().is_some_and(|rows| rows.len() >= rows_aside))
    else {
        let mut out = Vec::new();
        write_pretty(&mut out, doc, 0, None, &mut None)?;
        return Ok(out);
    };
    std::thread::scope(|scope| {
        // The array sits at depth 4: document, accounts, account, data.
        const ROWS_DEPTH: usize = 4;
        let write_rows = || {
            let mut written = Vec::new();
            write_pretty(&mut written, rows, ROWS_DEPTH, None, &mut None).map(|()| written)
        };
        let aside = scope.spawn(write_rows);
        let mut out = Vec::new();
        let mut splice = None;
        write_pretty(&mut out, doc, 0, Some(rows), &mut splice)?;
        let written = match aside.join() {
            Ok(written) => written?,
            // A panic there is redone here, where it surfaces as it would have without threads.
            Err(_) => write_rows()?,
        };
        let Some((at, depth)) = splice else {
            return Ok(out);
        };
        if depth != ROWS_DEPTH {
            // Not where the pointer says it is: written again at the depth found.
            let mut whole = out[..at].to_vec();
            write_pretty(&mut whole, rows, depth, None, &mut None)?;
            whole.extend_from_slice(&out[at..]);
            return Ok(whole);
        }
        let mut whole = Vec::with_capacity(out.len() + written.len());
        whole.extend_from_slice(&out[..at]);
        whole.extend_from_slice(&written);
        whole.extend_from_slice(&out[at..]);
        Ok(whole)
    })
}

/// serde_json's pretty layout (two-space indent, `"key": value`, empty containers as `{}` and
/// `[]`, strings escaped as it escapes them), leaving out `aside` and noting where it goes and
/// at which depth. Written directly: serde_json's writer looks every byte of every string up
/// in its escape table one at a time, 20 M instructions of the 114-page bench statement.
fn write_pretty(
    out: &mut Vec<u8>,
    value: &Value,
    depth: usize,
    aside: Option<&Value>,
    splice: &mut Option<(usize, usize)>,
) -> serde_json::Result<()> {
    if aside.is_some_and(|aside| std::ptr::eq(value, aside)) {
        *splice = Some((out.len(), depth));
        return Ok(());
    }
    match value {
        Value::Object(map) if !map.is_empty() => {
            out.push(b'{');
            for (i, (key, child)) in map.iter().enumerate() {
                out.extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
                indent(out, depth + 1);
                write_str(out, key);
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
        Value::Object(_) => out.extend_from_slice(b"{}"),
        Value::Array(_) => out.extend_from_slice(b"[]"),
        Value::String(text) => write_str(out, text),
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::Number(number) => serde_json::to_writer(&mut *out, number)?,
    }
    Ok(())
}

fn indent(out: &mut Vec<u8>, depth: usize) {
    for _ in 0..depth {
        out.extend_from_slice(b"  ");
    }
}

/// `text` as a JSON string, escaped as serde_json escapes it: a quote and a backslash after a
/// backslash, the control characters as `\b \t \n \f \r` or `\u00xx`, nothing else.
fn write_str(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut run_start = 0;
    while let Some(at) = next_escaped(bytes, run_start) {
        out.extend_from_slice(&bytes[run_start..at]);
        let byte = bytes[at];
        match byte {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            0x08 => out.extend_from_slice(b"\\b"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            0x0C => out.extend_from_slice(b"\\f"),
            b'\r' => out.extend_from_slice(b"\\r"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(&[
                    b'\\',
                    b'u',
                    b'0',
                    b'0',
                    HEX[usize::from(byte >> 4)],
                    HEX[usize::from(byte & 0xF)],
                ]);
            }
        }
        run_start = at + 1;
    }
    out.extend_from_slice(&bytes[run_start..]);
    out.push(b'"');
}

/// The first byte from `from` on that JSON escapes: below 0x20, a quote or a backslash.
fn next_escaped(bytes: &[u8], from: usize) -> Option<usize> {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    let escaped = |byte: u8| byte < 0x20 || byte == b'"' || byte == b'\\';
    let mut at = from;
    // Eight bytes at a time while none of them is escaped. Each test is exact for "some byte of
    // the word": a borrow only carries past a byte that matched.
    while let Some(chunk) = bytes.get(at..at + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let word = u64::from_ne_bytes(word);
        let quote = word ^ (ONES * u64::from(b'"'));
        let backslash = word ^ (ONES * u64::from(b'\\'));
        let found = ((word.wrapping_sub(ONES * 0x20) & !word)
            | (quote.wrapping_sub(ONES) & !quote)
            | (backslash.wrapping_sub(ONES) & !backslash))
            & HIGHS;
        if found != 0 {
            break;
        }
        at += 8;
    }
    bytes
        .get(at..)?
        .iter()
        .position(|&byte| escaped(byte))
        .map(|offset| at + offset)
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
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let mut texts: Vec<String> = (0u8..0x80).map(|b| char::from(b).to_string()).collect();
        for b in 0u8..0x80 {
            for at in 0..19 {
                let mut text: String = "NEFT-é/₹ 12,345".chars().cycle().take(18).collect();
                text.insert(
                    text.char_indices().nth(at).map_or(text.len(), |(i, _)| i),
                    char::from(b),
                );
                texts.push(text);
            }
        }
        texts.extend(["", "\"\"\\\u{7f}\u{1f}x", "a\u{0}b\u{8}\u{c}\r\n\t"].map(String::from));
        for text in &texts {
            let mut written = Vec::new();
            write_str(&mut written, text);
            let expected = serde_json::to_vec(text).unwrap_or_default();
            assert_eq!(
                String::from_utf8_lossy(&written),
                String::from_utf8_lossy(&expected),
                "{text:?}"
            );
        }
    }

    #[test]
    fn fields_with_separators_are_quoted() {
        assert_eq!(csv_field("UPI/123,ok"), "\"UPI/123,ok\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("plain"), "plain");
    }
}
