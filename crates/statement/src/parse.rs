//! The whole pipeline for one file: open → table → transactions → identity → bank → verdict.

use crate::banks::{self, BankEvidence, BankSignals, Confidence};
use crate::columns::Role;
use crate::completeness::CompletenessFacts;
use crate::error::StatementError;
use crate::identity::{complete_identity, Identity};
use crate::model::{
    ColumnReport, LayoutReport, ParsedStatement, Reconciliation, Transaction, WarningRows,
};
use crate::reconcile::{build_transactions, PrintedFigures};
use crate::table::{read_table_lines, Table, WrapMode};
use crate::text::Line;
use ledgerlens_pdf::{Document, Limits, PageText};
use std::collections::{BTreeSet, HashMap};

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
        return Err(
            if document
                .pages
                .iter()
                .any(|p| p.image_count > 0 || text_drawn_as_shapes(p))
            {
                StatementError::PdfIsImage
            } else {
                StatementError::UnsupportedFormat
            },
        );
    }
    // Each page's lines are built once: the statements merged into the file are read from them
    // again, each on its own pages.
    let (lines, stacked) = crate::table::lines_of_pages(&document.pages);
    let mut whole = read_statement(
        document,
        &document.pages,
        &lines,
        None,
        (!stacked).then_some(false),
    )?;
    let statement = match crate::parts::merged_parts(document, &lines, &mut whole) {
        Some(parts) => crate::parts::join_parts(parts),
        None => whole,
    };
    let ReadStatement {
        table,
        identity,
        transactions,
        mut reconciliation,
        reversed,
        table_fonts,
    } = statement;
    if let Some(warning) = rows_outside_period(&identity, &transactions) {
        reconciliation.warning_rows.push(warning.1);
        reconciliation.warnings.push(warning.0);
    }
    let layout = layout_report(&table);
    let narrations: Vec<&str> = transactions
        .iter()
        .map(|t| t.transaction_note.as_str())
        .collect();
    let settled = settle_bank(
        detect(&table, &identity, &narrations, document),
        options.expected_bank.as_deref(),
    )?;
    // The bank's name concerns no row's figures.
    if let Some(warning) = settled.warning {
        reconciliation.warn_without_figures(warning);
    }
    let bank = settled.bank;
    let figure_fonts = crate::figure_fonts::figure_fonts(&document.pages, &transactions);
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
        figure_fonts,
    })
}

/// Rows dated outside the printed period: the period read may be one part's of a file that
/// joins several statements (their later headers unread), or the rows' dates may be misread;
/// either way the reading is unsure, and the verdict says so with the rows it concerns.
fn rows_outside_period(
    identity: &Identity,
    transactions: &[Transaction],
) -> Option<(String, WarningRows)> {
    let (from, to) = identity.from_date.zip(identity.to_date)?;
    let outside: Vec<usize> = transactions
        .iter()
        .enumerate()
        .filter(|(_, t)| !(from..=to).contains(&t.date.date()))
        .map(|(index, _)| index)
        .collect();
    let (&first, &last) = outside.first().zip(outside.last())?;
    let warning = format!(
        "{} of {} rows are dated outside the printed period {from} to {to} (rows {} to {}): the \
         file may hold more than the statement its period names, or their dates are misread",
        outside.len(),
        transactions.len(),
        first + 1,
        last + 1
    );
    let rows = WarningRows::rows(&warning, first, last);
    Some((warning, rows))
}

/// One statement read from `pages` (the whole file, or one of the statements merged into it):
/// its table, identity, rows and verdict.
pub(crate) struct ReadStatement {
    /// The table, its rows taken.
    pub table: Table,
    pub identity: Identity,
    pub transactions: Vec<Transaction>,
    pub reconciliation: Reconciliation,
    /// The rows were printed newest first.
    pub reversed: bool,
    /// Fonts declared on the pages carrying the table, per page.
    pub table_fonts: Vec<Vec<String>>,
}

/// Reads the statement printed on `pages` of `document`, whose lines are `lines`; `file`, the
/// lines of every page, when `pages` are one of several statements merged into the file;
/// `stacks_dates`, whether `lines` stack their dates where already known.
pub(crate) fn read_statement(
    document: &Document,
    pages: &[PageText],
    lines: &[Vec<Line>],
    file: Option<&[Vec<Line>]>,
    stacks_dates: Option<bool>,
) -> Result<ReadStatement, StatementError> {
    let Some(mut table) = read_table_lines(pages, lines, file, stacks_dates) else {
        return Err(if looks_scanned(document) {
            StatementError::PdfIsImage
        } else if text_unreadable(document) {
            StatementError::ExtractionFailed(
                "the text layer does not decode to the characters it shows (fonts without a \
                 Unicode map, as a print through PostScript re-distilled leaves them): upload \
                 the bank's own file"
                    .to_owned(),
            )
        } else {
            StatementError::UnsupportedFormat
        });
    };
    let mut identity = std::mem::take(&mut table.identity);
    // Pages before the table's first heading are a cover with the account details; the rest
    // of the leftovers are page headers, footers and summaries.
    let first_table_page = table.header_pages.first().copied().unwrap_or(0);
    let (cover, furniture): (Vec<_>, Vec<_>) = table
        .leftovers
        .iter()
        .cloned()
        .partition(|line| line.page < first_table_page);
    complete_identity(&mut identity, &cover, &furniture);
    let mut printed = printed_figures(&table, &identity);
    printed.completeness = CompletenessFacts {
        cut_short: document.cut_short,
        // Page labels print in footers and in the page headers above the table ("Page 1 of
        // 8" over the letterhead): every line outside the table's rows.
        printed_pages: crate::summary::printed_page_total(
            table
                .leftovers
                .iter()
                .chain(&table.preamble)
                .chain(table.page_tops.iter().flatten()),
        ),
        // The pages the reader recovered: a file cut short may list pages it no longer holds.
        pages_present: document.pages.len(),
        period_start: identity.from_date,
        period_end: identity.to_date,
        last_page: crate::completeness::last_page_end(
            &table,
            lines,
            &pages
                .iter()
                .map(|page| (page.number, page.height))
                .collect::<Vec<_>>(),
        ),
        newest_first: false,
    };
    let table_fonts = table
        .table_pages
        .iter()
        .filter_map(|n| document.pages.get(n.saturating_sub(1)))
        .map(|p| p.fonts.clone())
        .collect();
    let mut rows = std::mem::take(&mut table.rows);
    let swapped_dates = table.header.inferred && posting_dates_in_second_column(&mut rows);
    let (transactions, mut reconciliation, reversed) = build_transactions(rows, &printed);
    // Which column holds the transaction date, and which row a wrapped narration line belongs
    // to, concern no row's amount, side or balance.
    if let Some(warning) = unnamed_date_columns_warning(&table, &transactions, swapped_dates) {
        reconciliation.warn_without_figures(warning);
    }
    if table.attachment_guesses > 0 {
        let warning = format!(
            "{} runs of wrapped narration lines between two dated rows could belong to either \
             row: the layout's gaps and its rows' habit do not say which; read as the first \
             rows of the pages suggest",
            table.attachment_guesses
        );
        reconciliation.warn_without_figures(warning);
    }
    if table.cut_guesses > 0 {
        let warning = format!(
            "{} narration lines fill their cell to the edge where the next line could go on \
             with the same word: neither the words nor the table's habit say whether the word \
             was cut; read as two words",
            table.cut_guesses
        );
        reconciliation.warn_without_figures(warning);
    }
    if table.wrap_guesses > 0 {
        let warning = format!(
            "{} wrapped narration lines in a table that breaks words anywhere were joined on \
             the line's length alone: neither the words nor the table's habit say whether a \
             space fell at the wrap; the narrations there may be unsure",
            table.wrap_guesses
        );
        reconciliation.warn_without_figures(warning);
    }
    if transactions.is_empty() {
        return Err(if looks_scanned(document) {
            StatementError::PdfIsImage
        } else {
            StatementError::NoTransactions
        });
    }
    Ok(ReadStatement {
        table,
        identity,
        transactions,
        reconciliation,
        reversed,
        table_fonts,
    })
}

/// Fewer glyphs than a statement page with a handful of rows prints.
const THIN_TEXT_LAYER: usize = 400;

/// Most pages are covered by an image, or show their words as outlines, and carry only a line
/// or two of text (a scanner app's stamp, a footer added on saving): the statement is a
/// picture, whatever text sits on it.
fn looks_scanned(document: &Document) -> bool {
    let scanned = document
        .pages
        .iter()
        .filter(|p| {
            (p.image_coverage >= 0.5 || text_drawn_as_shapes(p)) && p.glyph_count < THIN_TEXT_LAYER
        })
        .count();
    scanned * 2 > document.pages.len()
}

/// The page's words were drawn as filled outlines, not written as text (Ghostscript's
/// -dNoOutputFonts, the "outline fonts" and "flatten" options of converters): as many
/// glyph-sized shapes as a page of a few rows has characters. Such a page is a picture of
/// text and is refused as one, never read.
fn text_drawn_as_shapes(page: &ledgerlens_pdf::PageText) -> bool {
    page.glyph_shapes >= THIN_TEXT_LAYER
}

/// A tenth or more of the document's characters have no Unicode reading (U+FFFD): its fonts
/// carry no map from their codes to characters, and the rest of the text is as likely other
/// letters than the ones shown (a subset font whose codes are its glyph numbers reads
/// "The" as "7KH"). A table the engine cannot find in such text was never readable: the
/// file is refused as unreadable, not as a layout it does not know.
fn text_unreadable(document: &Document) -> bool {
    let (mut characters, mut unmapped) = (0usize, 0usize);
    for run in document.pages.iter().flat_map(|page| &page.runs) {
        for c in run.text.chars().filter(|c| !c.is_whitespace()) {
            characters += 1;
            unmapped += usize::from(c == char::REPLACEMENT_CHARACTER);
        }
    }
    characters >= THIN_TEXT_LAYER && unmapped * 10 >= characters
}

/// Opening/closing balances from marker rows first, then from the header block, then from a
/// summary block; totals and counts from the summary.
fn printed_figures(table: &Table, identity: &Identity) -> PrintedFigures {
    let mut figures = PrintedFigures::from_markers(&table.markers, table.rows.len());
    let summary = crate::summary::printed_summary(&table.leftovers);
    figures.opening_balance = figures
        .opening_balance
        .or(identity.opening_balance)
        .or(summary.opening);
    figures.closing_balance = figures
        .closing_balance
        .or(identity.closing_balance)
        .or(summary.closing);
    figures.total_debits = figures.total_debits.or(summary.debit_total);
    figures.total_credits = figures.total_credits.or(summary.credit_total);
    figures.debit_count = summary.debit_count;
    figures.credit_count = summary.credit_count;
    // A last row carried forward may carry to a page the file lacks: a closing balance
    // printed elsewhere (page 1's header, a summary) is the one to reach.
    if figures.closing_carried {
        if let Some(printed) = identity.closing_balance.or(summary.closing) {
            figures.closing_balance = Some(printed);
            figures.closing_carried = false;
        }
    }
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

fn detect(
    table: &Table,
    identity: &Identity,
    narrations: &[&str],
    document: &Document,
) -> Option<(BankEvidence, Confidence)> {
    // Letterhead first (it weighs most), then page furniture such as footers with the bank's
    // registered office. Narrations are only counted by majority as weak evidence: they name
    // other banks all the time.
    let mut lines: Vec<String> = table.preamble.iter().map(|l| l.text()).collect();
    lines.extend(
        furniture(&table.leftovers, &table.table_pages)
            .into_iter()
            .take(40),
    );
    let headings: Vec<String> = table
        .header
        .columns
        .iter()
        .map(|c| c.heading.clone())
        .collect();
    banks::weigh_bank(&BankSignals {
        header_lines: &lines,
        ifsc: identity.ifsc.as_deref(),
        producer: document.metadata.producer.as_deref(),
        account_number: identity.account_number.as_deref(),
        headings: &headings,
        narrations,
    })
}

/// Leftover lines that are page furniture: a cover page before the table, and on the table's
/// pages the lines printed on more than one page (footers repeat; page numbers aside). A
/// narration line the table reader left out is printed once, and it names other banks, so it
/// must not count as the statement naming its own. With one table page nothing can repeat,
/// and every leftover line counts.
fn furniture(leftovers: &[Line], table_pages: &[usize]) -> Vec<String> {
    let first_table_page = table_pages.first().copied().unwrap_or(0);
    let key = |text: &str| -> String { text.chars().filter(|c| !c.is_ascii_digit()).collect() };
    let mut pages_of: HashMap<String, BTreeSet<usize>> = HashMap::new();
    for line in leftovers {
        pages_of
            .entry(key(&line.text()))
            .or_default()
            .insert(line.page);
    }
    let single_page = table_pages.len() <= 1;
    leftovers
        .iter()
        .map(|line| (line.page, line.text()))
        .filter(|(page, text)| {
            single_page
                || *page < first_table_page
                || pages_of
                    .get(&key(text))
                    .is_some_and(|pages| pages.len() > 1)
        })
        .map(|(_, text)| text)
        .collect()
}

/// The bank a statement is reported under, and what the reader should know about it.
#[derive(Debug)]
struct SettledBank {
    bank: Option<BankEvidence>,
    warning: Option<String>,
}

/// Strong evidence of another bank than the named one refuses the statement; anything less
/// never does. Without a bank, the rows are still returned: only callers that need a bank (a
/// bank-less upload) refuse, and a named bank stands in for an undetected one.
fn settle_bank(
    detected: Option<(BankEvidence, Confidence)>,
    expected: Option<&str>,
) -> Result<SettledBank, StatementError> {
    let expected = expected.map(str::trim).filter(|e| !e.is_empty());
    let named = |found: &BankEvidence| expected.is_some_and(|e| banks::answers_to(found.bank, e));
    let settled = |bank, warning: Option<String>| Ok(SettledBank { bank, warning });
    match (detected, expected) {
        (Some((found, Confidence::Strong)), Some(expected)) if !named(&found) => {
            Err(StatementError::BankMismatch {
                expected: expected.to_lowercase(),
                detected: found.bank.id.clone(),
            })
        }
        (Some((found, Confidence::Strong)), _) => settled(Some(found), None),
        (Some((found, _)), Some(_)) if named(&found) => settled(Some(found), None),
        (Some((found, confidence)), Some(expected)) => settled(
            None,
            Some(format!(
                "the bank is not named in the text; {} evidence points to {}, the named {} is kept",
                confidence_word(confidence),
                found.bank.id,
                expected.to_lowercase()
            )),
        ),
        (Some((found, Confidence::Weak)), None) => {
            let warning = format!(
                "the bank is not named in the text; read as {} from indirect evidence ({})",
                found.bank.id,
                found.reasons.join("; ")
            );
            settled(Some(found), Some(warning))
        }
        (Some((found, _)), None) => settled(
            None,
            Some(format!(
                "bank not detected (the evidence for {} is too weak)",
                found.bank.id
            )),
        ),
        (None, Some(_)) => settled(None, None),
        (None, None) => settled(None, Some("bank not detected".to_owned())),
    }
}

fn confidence_word(confidence: Confidence) -> &'static str {
    match confidence {
        Confidence::Strong => "strong",
        Confidence::Weak => "weak",
        Confidence::Unsure => "thin",
    }
}

/// Without a heading, two date columns are taken as transaction date then value date, the
/// usual order; some banks print the value date first, and nothing on the page says which.
/// Where the two differ the dates may be the wrong way round, and the reader is told so.
/// Of two unnamed date columns, the posting date is the one the ledger is kept in order by;
/// value dates step back where a cheque was credited from an earlier date. A date left blank
/// repeats the one above (some banks print the posting date only on a day's first row, which
/// marks the column as the day's). When the second column's dates stay in order and the first
/// column's do not, or the second is the one printed once a day, or only the second prints the
/// time of day, the two are swapped.
fn posting_dates_in_second_column(rows: &mut [crate::table::RawRow]) -> bool {
    // Only rows with an amount: a dated note (a lien placed on another day) or a reprinted row
    // says nothing of which column the ledger is kept in order by.
    let carried = |pick: fn(&crate::table::RawRow) -> Option<chrono::NaiveDateTime>| {
        let mut last = None;
        rows.iter()
            .map(|r| {
                if r.has_amount() {
                    last = pick(r).or(last);
                }
                last
            })
            .collect::<Vec<_>>()
    };
    let firsts = carried(|r| r.date);
    let seconds = carried(|r| r.value_date);
    let printed = |dates: &[Option<chrono::NaiveDateTime>]| dates.iter().flatten().count();
    if printed(&seconds) < 2 || printed(&seconds) < rows.len() / 2 {
        return false;
    }
    // Printed only where the day changes: blank on rows whose other date is the day above
    // (all but the odd cheque whose value date differs).
    let blanks: Vec<bool> = rows
        .iter()
        .zip(&seconds)
        .filter(|(r, _)| r.value_date.is_none())
        .map(|(r, carried)| r.date.is_some() && r.date == *carried)
        .collect();
    let same_day = blanks.iter().filter(|same| **same).count();
    let groups_by_day = blanks.len() >= 2 && same_day * 10 >= blanks.len() * 9;
    let firsts: Vec<_> = firsts.into_iter().flatten().collect();
    let in_order: Vec<_> = seconds.iter().flatten().collect();
    // A value date is a day; the posting date may carry the time the entry was made.
    let timed = |dates: &[&chrono::NaiveDateTime]| {
        dates
            .iter()
            .filter(|d| d.time() != chrono::NaiveTime::MIN)
            .count()
    };
    let first_refs: Vec<_> = firsts.iter().collect();
    let only_second_timed = timed(&first_refs) == 0 && timed(&in_order) * 2 > in_order.len();
    let swap = (out_of_order(&in_order) == 0 && (out_of_order(&firsts) > 0 || groups_by_day))
        || (only_second_timed && out_of_order(&in_order) <= out_of_order(&firsts));
    if swap {
        for (row, posting) in rows.iter_mut().zip(seconds) {
            let value = row.date.take();
            row.date = posting.or(value);
            row.value_date = value;
        }
    }
    swap
}

/// Steps against the order a sequence mostly runs in (oldest first, or newest first).
fn out_of_order<T: PartialOrd>(dates: &[T]) -> usize {
    let back = dates.windows(2).filter(|w| w[1] < w[0]).count();
    let forward = dates.windows(2).filter(|w| w[1] > w[0]).count();
    back.min(forward)
}

fn unnamed_date_columns_warning(
    table: &Table,
    transactions: &[Transaction],
    swapped: bool,
) -> Option<String> {
    if !table.header.inferred || !table.header.has(Role::ValueDate) {
        return None;
    }
    // A row with one of the two dates left blank is as ambiguous as one where they differ.
    let differing = transactions
        .iter()
        .filter(|t| t.value_date.is_none_or(|v| v != t.date))
        .count();
    (differing > 0).then(|| {
        format!(
            "the table's heading is not in the text layer: of its two date columns the {} is \
             read as the transaction date (its dates run in order) and the other as the value \
             date; they differ, or one is blank, on {differing} rows",
            if swapped { "second" } else { "first" }
        )
    })
}

#[cfg(test)]
mod date_column_tests {
    use super::posting_dates_in_second_column;
    use crate::table::RawRow;
    use chrono::{NaiveDate, NaiveDateTime};

    fn day(d: u32) -> Option<NaiveDateTime> {
        NaiveDate::from_ymd_opt(2024, 4, d).and_then(|d| d.and_hms_opt(0, 0, 0))
    }

    fn rows(pairs: &[(u32, u32)]) -> Vec<RawRow> {
        pairs
            .iter()
            .map(|&(first, second)| RawRow {
                date: day(first),
                value_date: day(second),
                debit: Some("100.00".to_owned()),
                ..RawRow::default()
            })
            .collect()
    }

    #[test]
    fn rows_outside_the_printed_period_are_said() {
        use crate::model::{Transaction, TransactionType};
        use chrono::NaiveDate;
        let day = |month: u32, day: u32| NaiveDate::from_ymd_opt(2023, month, day);
        let row = |month: u32, d: u32| Transaction {
            transaction_type: TransactionType::Debit,
            transaction_note: String::new(),
            chq_num: String::new(),
            amount: rust_decimal::Decimal::ONE,
            balance: rust_decimal::Decimal::ONE,
            date: day(month, d)
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .unwrap_or_default(),
            value_date: None,
            hash: String::new(),
            page: 1,
            balance_derived: false,
        };
        // May's period read from page 1 of a file joining May, June and July.
        let may = crate::identity::Identity {
            from_date: day(5, 1),
            to_date: day(5, 31),
            ..Default::default()
        };
        let rows = [row(5, 2), row(5, 31), row(6, 1), row(7, 29)];
        let (warning, located) = super::rows_outside_period(&may, &rows).expect("said");
        assert!(warning.starts_with("2 of 4 rows"), "{warning}");
        assert_eq!(located.rows, Some((2, 3)));
        assert!(super::rows_outside_period(&may, &rows[..2]).is_none());
        let no_period = crate::identity::Identity::default();
        assert!(super::rows_outside_period(&no_period, &rows).is_none());
    }

    #[test]
    fn a_dated_note_out_of_order_says_nothing_of_the_columns() {
        // A lien note dated the 1st among rows of the 3rd and 4th, with no amount.
        let mut table = rows(&[(2, 2), (3, 3), (1, 1), (4, 4), (5, 5)]);
        table[2].debit = None;
        table[2].value_date = None;
        assert!(!posting_dates_in_second_column(&mut table));
        assert_eq!(table[1].date, day(3));
    }

    #[test]
    fn the_column_kept_in_order_is_the_posting_date() {
        // A cheque credited on the 4th with value from the 5th, printed value date first.
        let mut table = rows(&[(2, 2), (5, 4), (4, 4), (6, 6)]);
        assert!(posting_dates_in_second_column(&mut table));
        let dates: Vec<_> = table.iter().map(|r| r.date).collect();
        assert_eq!(dates, vec![day(2), day(4), day(4), day(6)]);
        assert_eq!(table[1].value_date, day(5));
    }

    #[test]
    fn the_column_printed_once_a_day_is_the_posting_date() {
        // Value dates on every row; the posting date only on each day's first row.
        let mut table = rows(&[(2, 2), (2, 2), (3, 3), (4, 3), (3, 3), (5, 5), (5, 5)]);
        for later_row_of_day in [1, 3, 4, 6] {
            table[later_row_of_day].value_date = None;
        }
        assert!(posting_dates_in_second_column(&mut table));
        let dates: Vec<_> = table.iter().map(|r| r.date).collect();
        assert_eq!(
            dates,
            vec![day(2), day(2), day(3), day(3), day(3), day(5), day(5)]
        );
        assert_eq!(table[3].value_date, day(4));
    }

    #[test]
    fn the_column_printing_the_time_of_day_is_the_posting_date() {
        // Both columns in order and equal by day; only the second prints when it was posted.
        let mut table = rows(&[(2, 2), (3, 3), (3, 3), (5, 5)]);
        for (i, row) in table.iter_mut().enumerate() {
            row.value_date = row
                .value_date
                .and_then(|d| d.date().and_hms_opt(9, i as u32, 30));
        }
        assert!(posting_dates_in_second_column(&mut table));
        assert_eq!(
            table[1].date.map(|d| d.time().to_string()),
            Some("09:01:30".to_owned())
        );
        assert_eq!(table[1].value_date, day(3));
        // Times in both columns, or in none, say nothing.
        let mut untimed = rows(&[(2, 2), (3, 3), (3, 3), (5, 5)]);
        assert!(!posting_dates_in_second_column(&mut untimed));
    }

    #[test]
    fn columns_both_in_order_or_both_out_stay_as_printed() {
        let mut in_order = rows(&[(2, 2), (3, 4), (4, 4)]);
        assert!(!posting_dates_in_second_column(&mut in_order));
        // Newest first is an order too.
        let mut newest_first = rows(&[(6, 6), (4, 5), (4, 4), (2, 2)]);
        assert!(!posting_dates_in_second_column(&mut newest_first));
        assert_eq!(newest_first[1].date, day(4));
    }
}

#[cfg(test)]
mod tests {
    use super::settle_bank;
    use crate::banks::{detect_bank, weigh_bank, BankSignals, Confidence};

    fn strong(text: &str) -> Option<(crate::banks::BankEvidence, Confidence)> {
        detect_bank(&[text.to_owned()], None, None).map(|e| (e, Confidence::Strong))
    }

    fn bank_id(settled: &super::SettledBank) -> Option<&str> {
        settled.bank.as_ref().map(|b| b.bank.id.as_str())
    }

    #[test]
    fn no_bank_found_and_none_named_still_returns_the_statement_with_a_warning() {
        let settled = settle_bank(None, None).expect("rows are returned");
        assert!(settled.bank.is_none());
        assert!(settled.warning.is_some());
        let settled = settle_bank(None, Some("  ")).expect("blank is none");
        assert!(settled.bank.is_none() && settled.warning.is_some());
    }

    #[test]
    fn a_named_bank_stands_in_when_nothing_is_detected() {
        let settled = settle_bank(None, Some("hdfc")).expect("accepted");
        assert!(settled.bank.is_none());
        assert!(settled.warning.is_none());
    }

    #[test]
    fn detected_bank_must_match_the_named_one() {
        let found = strong("HDFC BANK LTD");
        let settled = settle_bank(found.clone(), Some("HDFC")).expect("same bank");
        assert_eq!(bank_id(&settled), Some("hdfc"));
        assert_eq!(
            settle_bank(found, Some("sbi"))
                .expect_err("other bank")
                .kind(),
            crate::ErrorKind::BankMismatch
        );
        // A bank merged into the detected one is the same bank.
        let settled = settle_bank(strong("ANDHRA BANK"), Some("andhra")).expect("merged");
        assert_eq!(bank_id(&settled), Some("ubi"));
    }

    #[test]
    fn only_repeated_leftover_lines_count_as_page_furniture() {
        let line = |page: usize, text: &str| crate::text::Line {
            page,
            y: 700.0,
            size: 8.0,
            words: vec![crate::text::Word {
                text: text.to_owned(),
                x0: 30.0,
                x1: 200.0,
            }],
        };
        let leftovers = [
            line(1, "STATE BANK OF INDIA"),
            line(2, "NEFT ICICI BANK REFUND 99"),
            line(2, "HDFC BANK LTD Page 2 of 3"),
            line(3, "HDFC BANK LTD Page 3 of 3"),
        ];
        let kept = super::furniture(&leftovers, &[2, 3]);
        assert_eq!(
            kept,
            [
                "STATE BANK OF INDIA",
                "HDFC BANK LTD Page 2 of 3",
                "HDFC BANK LTD Page 3 of 3"
            ],
            "cover page and repeated footers, not a one-off narration"
        );
        assert_eq!(
            super::furniture(&leftovers[1..2], &[2]).len(),
            1,
            "one page"
        );
    }

    #[test]
    fn weak_evidence_never_refuses_a_statement() {
        let notes = [
            "NEFT CR-X",
            "ACH D- Y",
            "NWD-1",
            "EAW-2",
            "NEFT DR-3",
            "ACH C- 4",
        ];
        let headings = ["Withdrawal Amt.".to_owned(), "Deposit Amt.".to_owned()];
        let weak = weigh_bank(&BankSignals {
            account_number: Some("50100123456789"),
            headings: &headings,
            narrations: &notes,
            ..BankSignals::default()
        });
        assert_eq!(
            weak.as_ref().map(|(e, c)| (e.bank.id.as_str(), *c)),
            Some(("hdfc", Confidence::Weak))
        );
        // Named as another bank: the named bank stands, with a warning.
        let settled = settle_bank(weak.clone(), Some("sbi")).expect("not a mismatch");
        assert!(settled.bank.is_none());
        assert!(settled.warning.is_some());
        // Nothing named: reported, with a warning saying how it was inferred.
        let settled = settle_bank(weak.clone(), None).expect("reported");
        assert_eq!(bank_id(&settled), Some("hdfc"));
        assert!(settled.warning.is_some());
        // Named as the same bank: agreed, nothing to warn about.
        let settled = settle_bank(weak, Some("hdfc")).expect("agreed");
        assert_eq!(bank_id(&settled), Some("hdfc"));
        assert!(settled.warning.is_none());
    }
}
