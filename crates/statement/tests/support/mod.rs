//! What the statement tests that compare two renderings of one layout share: reading a
//! generated PDF the way a reader of the statement sees it.

use ledgerlens_statement::{parse_pdf, ParseOptions, ParsedStatement};

/// What a reader of the statement gets: rows, identity, bank, verdict. (Column edges are left
/// out: a kerned or condensed cell may end a hundredth of a point elsewhere.)
pub fn reading(parsed: &ParsedStatement) -> String {
    format!(
        "{:#?}\n{:#?}\n{:?}\n{:#?}\npages {}",
        parsed.transactions,
        parsed.identity,
        parsed.bank.as_ref().map(|b| &b.bank.id),
        parsed.reconciliation,
        parsed.page_count
    )
}

/// Parses `pdf` as a statement of `bank` (the session's bank name) and returns its reading, or
/// the error kind it was refused with.
pub fn read_pdf(pdf: Vec<u8>, bank: &str) -> Result<String, String> {
    let options = ParseOptions {
        expected_bank: Some(bank.to_owned()),
        ..ParseOptions::default()
    };
    parse_pdf(pdf, &options)
        .map(|parsed| reading(&parsed))
        .map_err(|e| format!("{:?}", e.kind()))
}
