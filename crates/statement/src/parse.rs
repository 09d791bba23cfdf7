//! The whole pipeline for one file: open → table → transactions → identity → bank → verdict.

use crate::banks::{self, BankEvidence};
use crate::error::StatementError;
use crate::identity::{extract_identity, Identity};
use crate::model::{ColumnReport, LayoutReport, ParsedStatement};
use crate::reconcile::{build_transactions, PrintedFigures};
use crate::table::{read_table, Table, WrapMode};
use ledgerlens_pdf::{Document, Limits};

/// What the caller knows about the file.
#[derive(Debug, Clone, Default)]
pub struct ParseOptions {
    /// `None` or empty: no password given.
    pub password: Option<String>,
    /// The bank the uploader named (FinBox id, any case); a different detected bank is an error.
    pub expected_bank: Option<String>,
    pub limits: Limits,
}

/// Parses statement bytes.
pub fn parse_pdf(
    bytes: Vec<u8>,
    options: &ParseOptions,
) -> Result<ParsedStatement, StatementError> {
    let password = options.password.as_deref().filter(|p| !p.is_empty());
    let document = ledgerlens_pdf::open(bytes, password, &options.limits)?;
    parse_document(&document, options)
}

/// Parses an already opened document.
pub fn parse_document(
    document: &Document,
    options: &ParseOptions,
) -> Result<ParsedStatement, StatementError> {
    if document.pages_skipped > 0 {
        return Err(StatementError::TooManyPages {
            pages: document.metadata.page_count,
            limit: options.limits.max_pages,
        });
    }
    if document.glyph_count() == 0 {
        return Err(if document.pages.iter().any(|p| p.image_count > 0) {
            StatementError::PdfIsImage
        } else {
            StatementError::UnsupportedFormat
        });
    }
    let mut table = read_table(&document.pages).ok_or(StatementError::UnsupportedFormat)?;
    let identity = extract_identity(&table.preamble);
    let printed = printed_figures(&table, &identity);
    let layout = layout_report(&table);
    let table_fonts = table
        .table_pages
        .iter()
        .filter_map(|n| document.pages.get(n.saturating_sub(1)))
        .map(|p| p.fonts.clone())
        .collect();
    let (transactions, reconciliation, reversed) =
        build_transactions(std::mem::take(&mut table.rows), &printed);
    if transactions.is_empty() {
        return Err(StatementError::NoTransactions);
    }
    let bank = settle_bank(
        detect(&table, &identity, document),
        options.expected_bank.as_deref(),
    )?;
    Ok(ParsedStatement {
        bank,
        identity,
        transactions,
        reconciliation,
        metadata: document.metadata.clone(),
        layout: LayoutReport {
            reversed_order: reversed,
            ..layout
        },
        page_count: document.metadata.page_count,
        encrypted: document.encrypted,
        table_fonts,
    })
}

/// Opening/closing balances from marker rows first, then from the header block.
fn printed_figures(table: &Table, identity: &Identity) -> PrintedFigures {
    let mut figures = PrintedFigures::from_markers(&table.markers, table.rows.len());
    figures.opening_balance = figures.opening_balance.or(identity.opening_balance);
    figures.closing_balance = figures.closing_balance.or(identity.closing_balance);
    figures
}

fn layout_report(table: &Table) -> LayoutReport {
    LayoutReport {
        columns: table
            .header
            .columns
            .iter()
            .map(|c| ColumnReport {
                role: c.role.name().to_owned(),
                heading: c.heading.clone(),
                x0: c.x0,
                x1: c.x1,
            })
            .collect(),
        wrap_mode: match table.wrap_mode {
            WrapMode::Below => "below",
            WrapMode::Centred => "centred",
        },
        header_pages: table.header_pages.clone(),
        reversed_order: false,
    }
}

fn detect(table: &Table, identity: &Identity, document: &Document) -> Option<BankEvidence> {
    // Letterhead first (it weighs most), then page furniture such as footers with the bank's
    // registered office — never the narrations, which name other banks all the time.
    let mut lines: Vec<String> = table.preamble.iter().map(|l| l.text()).collect();
    lines.extend(table.leftovers.iter().take(40).map(|l| l.text()));
    banks::detect_bank(
        &lines,
        identity.ifsc.as_deref(),
        document.metadata.producer.as_deref(),
    )
}

fn settle_bank(
    detected: Option<BankEvidence>,
    expected: Option<&str>,
) -> Result<Option<BankEvidence>, StatementError> {
    match (detected, expected.filter(|e| !e.trim().is_empty())) {
        (Some(found), Some(expected)) if !found.bank.id.eq_ignore_ascii_case(expected.trim()) => {
            Err(StatementError::BankMismatch {
                expected: expected.trim().to_lowercase(),
                detected: found.bank.id.clone(),
            })
        }
        (Some(found), _) => Ok(Some(found)),
        (None, Some(_)) => Ok(None),
        (None, None) => Err(StatementError::BankUndetected),
    }
}

#[cfg(test)]
mod tests {
    use super::settle_bank;
    use crate::banks::detect_bank;

    fn evidence(text: &str) -> Option<crate::banks::BankEvidence> {
        detect_bank(&[text.to_owned()], None, None)
    }

    #[test]
    fn no_bank_found_and_none_named_is_bank_name_undetected() {
        let err = settle_bank(None, None).expect_err("nothing to go on");
        assert_eq!(err.code(), "BANK_NAME_UNDETECTED");
        assert_eq!(
            settle_bank(None, Some("  "))
                .expect_err("blank is none")
                .code(),
            "BANK_NAME_UNDETECTED"
        );
    }

    #[test]
    fn a_named_bank_stands_in_when_nothing_is_detected() {
        assert!(settle_bank(None, Some("hdfc")).expect("accepted").is_none());
    }

    #[test]
    fn detected_bank_must_match_the_named_one() {
        let found = evidence("HDFC BANK LTD").expect("detected");
        assert_eq!(
            settle_bank(Some(found.clone()), Some("HDFC"))
                .expect("same bank")
                .map(|b| b.bank.id.clone()),
            Some(found.bank.id.clone())
        );
        assert_eq!(
            settle_bank(Some(found), Some("sbi"))
                .expect_err("other bank")
                .code(),
            "BANK_NAME_MISMATCH"
        );
    }
}
