//! What `ledgerlens parse` writes: the Insights JSON, a CSV of the transactions with their
//! enrichment, or the Excel workbook the service would serve for the account.

use super::{enriched_insights, insights_json, EnrichmentContext, Format, DATE_TIME_FORMAT};
use anyhow::Context;
use ledgerlens_analysis::json;
use ledgerlens_analysis::output::{write_recurring_section, write_transactions_section, RowValues};
use ledgerlens_analysis::Enrichment;
use ledgerlens_contract::enrichment::enrich_parsed;
use ledgerlens_contract::insights::offline_document_as;
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
    // The JSON's two longest sections (the rows and the recurring groups) are written from the
    // enrichment: building them as values first was a third of the document's cost.
    let (doc, enrichment) = match (context, target.format) {
        (Some(context), Format::Json) => {
            let (doc, enrichment) =
                offline_document_as(parsed, statement_id, context, RowValues::WrittenByCaller);
            (doc, Some(enrichment))
        }
        (Some(context), _) => (enriched_insights(parsed, statement_id, context), None),
        (None, _) => (insights_json(parsed, statement_id), None),
    };
    // The process ends once this is written: freeing a long statement's document value by
    // value cost 11 M instructions (114-page bench statement), so it is left to the exit, as
    // is the enrichment.
    let doc = std::mem::ManuallyDrop::new(doc);
    let enrichment = std::mem::ManuallyDrop::new(enrichment);
    if matches!(target.format, Format::Csv) {
        warn_if_unreconciled(parsed);
    }
    let bytes = match target.format {
        Format::Json => {
            let mut bytes = pretty_json(&doc, ROWS_WRITTEN_ASIDE, enrichment.as_ref())
                .context("writing JSON")?;
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

/// A section of the document written apart from the rest, by its own writer (at a depth): the
/// sections the enrichment writes (null in the document) and, on a long statement, the rows,
/// written on another thread.
type Section<'a> = (
    &'a Value,
    Box<dyn Fn(&mut Vec<u8>, usize) -> serde_json::Result<()> + Send + Sync + 'a>,
);

/// The depth of the first account's sections: document, accounts, account, data, section.
const SECTION_DEPTH: usize = 4;

/// Bytes reserved per row for each of the document's per-row parts (a row of `transactions`
/// is ~520 bytes pretty-printed, a row's share of the recurring groups ~440), and for the
/// rest of a short document: a long statement's buffers were grown by doubling, each growth
/// copying all written so far (~5 M instructions on the 114-page bench statement). Reserved,
/// not written: untouched capacity costs no memory.
const ROW_BYTES: usize = 640;
const DOCUMENT_BYTES: usize = 64 * 1024;

/// `doc` exactly as `serde_json::to_vec_pretty` writes it, with the first account's
/// `transactions` and `recurring_transactions` written from `enrichment` when it is given (the
/// document holds null there: [`RowValues::WrittenByCaller`]). The transactions, when there are
/// at least `rows_aside` of them, are written on another thread and spliced in.
fn pretty_json(
    doc: &Value,
    rows_aside: usize,
    enrichment: Option<&Enrichment>,
) -> serde_json::Result<Vec<u8>> {
    let data = doc.pointer("/accounts/0/data");
    let mut sections: Vec<Section<'_>> = Vec::new();
    let mut aside = false;
    let mut rows_count = 0;
    match (enrichment, data.and_then(|data| data.get("transactions"))) {
        (Some(enrichment), Some(rows)) => {
            rows_count = enrichment.transactions.len();
            aside = enrichment.transactions.len() >= rows_aside;
            sections.push((
                rows,
                Box::new(move |out: &mut Vec<u8>, depth| {
                    write_transactions_section(out, depth, &enrichment.transactions)
                }),
            ));
        }
        (None, Some(rows)) if rows.as_array().is_some_and(|rows| rows.len() >= rows_aside) => {
            rows_count = rows.as_array().map_or(0, Vec::len);
            aside = true;
            sections.push((
                rows,
                Box::new(move |out: &mut Vec<u8>, depth| json::write_value(out, rows, depth)),
            ));
        }
        _ => {}
    }
    if let (Some(enrichment), Some(recurring)) = (
        enrichment,
        data.and_then(|data| data.get("recurring_transactions")),
    ) {
        sections.push((
            recurring,
            Box::new(move |out: &mut Vec<u8>, depth| {
                write_recurring_section(
                    out,
                    depth,
                    &enrichment.account_id,
                    &enrichment.recurring,
                    &enrichment.transactions,
                )
            }),
        ));
    }
    std::thread::scope(|scope| {
        // The rows are the first section; written aside at the depth they are expected at.
        let spawned = sections.first().filter(|_| aside).map(|(_, write)| {
            scope.spawn(move || {
                let mut written = Vec::with_capacity(rows_count * ROW_BYTES);
                write(&mut written, SECTION_DEPTH).map(|()| written)
            })
        });
        let mut out = Vec::with_capacity(DOCUMENT_BYTES + rows_count * ROW_BYTES);
        let mut splices = Vec::new();
        write_pretty(&mut out, doc, 0, &sections, &mut splices)?;
        let mut spawned = spawned.map(|handle| handle.join());
        if splices.is_empty() {
            return Ok(out);
        }
        let aside_bytes = match &spawned {
            Some(Ok(Ok(written))) => written.len(),
            _ => 0,
        };
        // Room for the rows and recurring groups written here and the caller's final newline.
        let mut whole =
            Vec::with_capacity(out.len() + aside_bytes + 2 * rows_count * ROW_BYTES + 1);
        let mut from = 0;
        for (at, depth, index) in splices {
            whole.extend_from_slice(&out[from..at]);
            from = at;
            let written_aside = if index == 0 && depth == SECTION_DEPTH {
                spawned.take()
            } else {
                None
            };
            match written_aside {
                Some(Ok(written)) => whole.extend_from_slice(&written?),
                // A panic there is redone here, where it surfaces as it would have without
                // threads; a section found at another depth is written here at its depth.
                _ => {
                    if let Some((_, write)) = sections.get(index) {
                        write(&mut whole, depth)?;
                    }
                }
            }
        }
        whole.extend_from_slice(&out[from..]);
        Ok(whole)
    })
}

/// serde_json's pretty layout (two-space indent, `"key": value`, empty containers as `{}` and
/// `[]`, strings escaped as it escapes them), leaving out the `sections` and noting where each
/// goes and at which depth: (offset, depth, index).
fn write_pretty(
    out: &mut Vec<u8>,
    value: &Value,
    depth: usize,
    sections: &[Section<'_>],
    splices: &mut Vec<(usize, usize, usize)>,
) -> serde_json::Result<()> {
    if let Some(index) = sections
        .iter()
        .position(|(section, _)| std::ptr::eq(value, *section))
    {
        splices.push((out.len(), depth, index));
        return Ok(());
    }
    match value {
        Value::Object(map) if !map.is_empty() => {
            let mut object = json::Object::begin(out, depth);
            for (key, child) in map {
                write_pretty(object.key(key), child, depth + 1, sections, splices)?;
            }
            object.end();
        }
        Value::Array(items) if !items.is_empty() => {
            let mut array = json::Array::begin(out, depth);
            for child in items {
                write_pretty(array.item(), child, depth + 1, sections, splices)?;
            }
            array.end();
        }
        // Scalars and empty containers.
        other => json::write_value(out, other, depth)?,
    }
    Ok(())
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
    reasons.extend(r.incomplete.iter().map(|found| found.detail.clone()));
    reasons.extend(r.missing_periods.iter().map(|gap| {
        format!(
            "no statement in the file covers {} to {}: its rows are missing",
            gap.from_date, gap.to_date
        )
    }));
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
            let written = pretty_json(&doc, rows_aside, None).unwrap_or_default();
            assert_eq!(
                String::from_utf8_lossy(&written),
                String::from_utf8_lossy(&expected),
                "rows aside from {rows_aside}"
            );
        }
        // Without the transactions where they are looked for, the whole is written at once.
        let other = serde_json::json!({"accounts": [], "x": [1]});
        assert_eq!(
            pretty_json(&other, 0, None).unwrap_or_default(),
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
        let written = pretty_json(&doc, ROWS_WRITTEN_ASIDE, None).unwrap_or_default();
        let expected = serde_json::to_vec_pretty(&doc).unwrap_or_default();
        assert!(written == expected, "the spliced document differs");
        // The rows and recurring groups written from the enrichment, aside or not.
        let (deferred, enrichment) = offline_document_as(
            &parsed,
            "statement",
            &EnrichmentContext::default(),
            RowValues::WrittenByCaller,
        );
        assert!(
            deferred["accounts"][0]["data"]["transactions"].is_null()
                && deferred["accounts"][0]["data"]["recurring_transactions"].is_null()
        );
        let groups = enrichment.recurring.debit_transactions.len()
            + enrichment.recurring.credit_transactions.len();
        assert!(groups > 0, "no recurring groups to write");
        for rows_aside in [ROWS_WRITTEN_ASIDE, usize::MAX] {
            let written = pretty_json(&deferred, rows_aside, Some(&enrichment)).unwrap_or_default();
            assert!(
                written == expected,
                "the document written from the enrichment differs (rows aside from {rows_aside})"
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
