//! Fraud and validation. Three kinds of evidence are kept apart: the document (who
//! wrote the PDF, when, and how its pages are built), accounting (does the balance chain
//! hold) and behaviour (patterns in the transactions).
//!
//! A false "fraud" changes a credit decision, so each kind must stand on its own before it
//! is called fraud, and every entry names the rule that decided it:
//!
//! * a balance-chain break is first a *reading* problem: a layout the engine does not fully
//!   understand breaks the chain too. It is fraud only when the break itself has the shape
//!   of an edit (`edited_balance`, `edited_amount`: a text layer is read character for
//!   character, so a reading can lose, join or move digits but never turn one digit into
//!   another; a figure off by a one- or two-digit round amount while its neighbours agree
//!   was typed; where the engine warned of a reading it is unsure of, no break's shape near
//!   the rows the warning names is trusted, nor any where a warning names no rows (the
//!   engine's `warning_rows`; a reading of no row's figures, a narration line's attachment or
//!   the date columns, names none to avoid), but the note that a file joins several
//!   statements is no such reading: an edit in one month of merged statements keeps its
//!   shape) or when the document carries
//!   independent evidence of editing
//!   (`chain_break_with_document_evidence`; an editor's name alone counts only where the
//!   engine raised no warning about its reading); otherwise it is a parse warning;
//! * an editor in Producer/Creator is a warning (people unlock, compress and merge
//!   statements with such tools) unless corroborated by a late ModDate, an incremental update
//!   or pages carrying their own font copies; it is never promoted because the parse broke,
//!   nor does it promote a chain break (`chain_break_unexplained` names it). A printer-driver
//!   re-save (`resave_tool`) and a ModDate long after CreationDate (`late_modification`) are
//!   fraud on their own, unless CreationDate is before the statement's last row: then it is
//!   not the rendering's date (a report template's, an engine's default) and the gap measures
//!   nothing (`creation_date_before_rows`, a warning), or the late ModDate is the save of a
//!   program that re-writes whole files and names itself in Producer, with no revision
//!   appended (a borrower saving the statement in Preview days later:
//!   `late_modification_by_rewrite`, a warning);
//! * banks sign their statements after rendering them, appending the signature, its
//!   validation data and a document timestamp as incremental updates, and move ModDate to
//!   the signing time (days later for a statement signed when downloaded from the archive):
//!   revisions that only sign are no evidence of editing, nor are revisions a signature
//!   came after (the signer signed the file that held them) or revisions appended within the
//!   hour of CreationDate as ModDate dates them (the writing pipeline's stamper: a warning,
//!   `appended_when_written`), nor, where CreationDate is before the statement's rows (not
//!   the rendering's) or where the file writes no ModDate at all (its pipeline writes no
//!   dates, or no document information), revisions nothing dates against the writing
//!   (`appended_creation_date_unknown`, a warning, unless an editor is named beside them); a
//!   late ModDate that is a signature's signing time, with
//!   nothing else appended after the signature, is a warning (`modified_when_signed`);
//! * a ModDate a year or more after CreationDate, with nothing appended, written by a PDF
//!   library the file names, is the bank writing the statement again (re-issued from its
//!   archive through the library that encrypts it; the name stays a warning of its own): a
//!   warning (`modified_a_year_later`); under the bank's own producer it is a date-only
//!   modification, `late_modification` however late; a late ModDate a library's modifying
//!   step records in Producer ("...; modified using iText"), nothing appended, is a bank's
//!   download step (`modified_by_library_step`, a warning);
//! * pages carrying their own copies of a font that the rest of the document shares are
//!   the trace of overlaying new text on each page with a PDF library, and of a bank's mailer
//!   stamping its pages the same way (the pdf layer lists only the fonts a page's text
//!   operators select, so an overlay that strokes a rule and types nothing is not counted):
//!   fraud with an editing tool named or a later change
//!   (late ModDate, appended revision: `per_page_font_copies`), alone a warning
//!   (`per_page_font_copies_alone`); in a file joined from several files (each keeping its
//!   own fonts) an editor's name is the merger's and corroborates no font structure. A typeface on one middle page only (a symbol font for one
//!   row) is a warning unless a later change corroborates it; typefaces are compared without
//!   their subset tags (engines subset per file, per merged part or per page);
//! * a page typing with two objects of one typeface, the document's own and a copy an overlay
//!   brought (PyPDF2's merged pages adding rows, a viewer's text boxes typed over figures;
//!   merged files and per-page subsets give a page one object of a face) is fraud with an
//!   editing tool, a later change or a viewer's later save (`overlay_font_copies`, and
//!   `editor_and_font_structure` beside an editor's name); with none of them, it is fraud
//!   where its span has an edit's shape (`overlay_on_some_pages_to_the_last`: two table pages
//!   or more carry the copy, the last among them, while some other table page types the face
//!   through the document's object only: an edit carries its balances to the statement's end
//!   and leaves the pages before it as they were, where a mailer's stamp goes on every page and
//!   a signer's note on one), otherwise a warning;
//! * a chain break is corroborated only by document evidence that is fraud on its own: two
//!   warnings, one of them a reading problem, do not make fraud;
//! * printed totals or counts that disagree with the rows are reported as evidence
//!   (`printed_summary_gap`), never as fraud by themselves; where every balance chains, the
//!   engine was sure of every figure and the document shows a signal short of fraud (a tool's
//!   or a viewer's later save, an appended revision, a font structure), each corroborates the
//!   other (`summary_gap_with_document_evidence`): an edit that carried the balances but not
//!   the bank's totals.

use crate::merge::MergeReport;
use crate::tables;
use crate::{AccountInput, EnrichedTransaction, StatementInput};
use chrono::{Datelike, NaiveDate, Weekday};
use ledgerlens_pdf::PdfDate;
use ledgerlens_statement::model::{ChainBreak, CheckedAgainst, TransactionType};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::OnceLock;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FraudEntry {
    pub statement_id: String,
    pub fraud_type: &'static str,
    /// "metadata", "accounting", "parse" or "behavioural".
    pub fraud_category: &'static str,
    pub transaction_hash: Option<String>,
    /// Human-readable reason, without account data.
    pub evidence: String,
    /// The rule that made this entry fraud or kept it a warning (see the module docs).
    pub rule: &'static str,
}

/// The flags (in [`FraudReport::flags`]) read from balances: each holds when some known
/// balance shows it, and says nothing of the balances a statement does not print.
pub const BALANCE_FLAGS: &[&str] = &["negative_balance"];

#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct FraudReport {
    /// Confirmed findings (the Insights `fraud` array).
    pub fraud: Vec<FraudEntry>,
    /// Signals that did not reach the bar for fraud on their own.
    pub warnings: Vec<FraudEntry>,
    /// statement_id → (is_fraud, first fraud_type).
    pub statements: BTreeMap<String, (bool, Option<&'static str>)>,
    /// Predictor booleans (author_fraud, negative_balance, ...).
    pub flags: BTreeMap<&'static str, bool>,
    /// Account-level validation codes (MISSING_TRANSACTIONS, ...).
    pub validation_codes: Vec<&'static str>,
}

/// Modification more than this long after creation counts as "late".
const LATE_MODIFICATION_HOURS: i64 = 24;
/// A ModDate this long after CreationDate (days), with nothing else showing a change, is the
/// bank writing the statement again, not an edit.
const REWRITTEN_BY_BANK_DAYS: i64 = 365;
/// A ModDate this close to a signature's signing time is that signing.
const SIGNED_WITHIN_SECONDS: i64 = 3_600;
/// India's UTC offset, the zone a date written without one was most likely written in.
const INDIA_OFFSET_SECONDS: i64 = 330 * 60;
/// RBI's minimum RTGS amount.
const MIN_RTGS_AMOUNT: i64 = 200_000;
/// Balances within this of each other agree (the engine's own chain tolerance).
const TOLERANCE: Decimal = Decimal::from_parts(1, 0, 0, false, 2);

/// How a tool named in Producer/Creator is judged (data/pdf_editors.tsv), in the order a
/// file naming two of them is judged by: the first kind found in either field wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum ToolKind {
    Resave,
    Editor,
    /// A program that re-writes whole files without editing them (re-distilled by
    /// Ghostscript, printed to PDF through cairo): a fact to report, no evidence of editing.
    Rewrite,
}

/// What one statement's document says about how it was made.
#[derive(Debug, Default)]
struct DocumentEvidence {
    /// (field, tool, kind) of the first editing tool named.
    tool: Option<(&'static str, &'static str, ToolKind)>,
    late_modification_days: Option<i64>,
    /// A late ModDate measured from a CreationDate before the statement's last row: not the
    /// rendering's date (a template's, an engine's default), so the gap measures nothing.
    creation_before_rows_days: Option<i64>,
    /// A late ModDate that is the time a signature appended to the file records: the bank
    /// signed the statement after writing it (days later when it is signed on download).
    modified_when_signed: bool,
    /// A late ModDate written by a program that re-writes whole files and names itself in
    /// Producer (a viewer's save, a re-distil), in a file with no appended revision: the date
    /// of the re-save, which says nothing of what the pages show.
    rewritten_later_days: Option<i64>,
    /// A program that re-writes whole files named in Producer, its ModDate more than the hour
    /// of the writing after CreationDate (a save after the file was first written, however
    /// soon): not how a bank's pipeline that writes through it dates the file.
    rewritten_after_writing: bool,
    signed_days_after: i64,
    /// Appended revisions other than signing ones (a signature, a document timestamp,
    /// validation data: banks append those to the statements they render), not signed over
    /// and not appended when the file was written.
    incremental_updates: usize,
    /// Revisions appended within the hour of CreationDate, as ModDate dates the last one.
    appended_when_written: usize,
    /// Revisions appended to a file whose CreationDate is before the statement's rows (a
    /// template's, not the rendering's), or to a file that writes no ModDate: nothing dates
    /// them against the writing.
    appended_undated: usize,
    /// Why `appended_undated` revisions are undated.
    undated_because: &'static str,
    /// A late ModDate a year or more after CreationDate, in a file no revision was appended
    /// to and no printer driver re-saved: the bank wrote the statement again long after it
    /// first wrote it (re-issued from its archive), not an edit made to obtain credit now.
    rewritten_by_bank_days: Option<i64>,
    font_on_one_page: Option<String>,
    per_page_font_copies: Option<String>,
    /// A typeface the pages share as one object that some pages also type with a copy of
    /// their own (typeface, pages carrying a copy): text typed over the pages through an
    /// overlay bringing its own fonts (PyPDF2's merged pages, a viewer's text boxes), beside
    /// the bank's text in the same face.
    overlay_font_copies: Option<(String, usize)>,
    /// The table pages (1-based, in table order) carrying the overlay's copy, where its span
    /// has an edit's shape (see [`overlay_span_of_an_edit`]).
    overlay_span_of_an_edit: Option<Vec<usize>>,
    /// A late ModDate written by a PDF library's step that modifies files and records itself
    /// in Producer ("...; modified using iText"), in a file with no appended revision: a
    /// bank's download step (encrypting or linearising the stored statement), not an edit of
    /// what the pages show.
    modified_by_library_days: Option<i64>,
    /// The file joins several files, each with its own fonts (see [`joined_files`]).
    joined_files: bool,
    /// Row figures typed through a font program unlike the one that types the rest of their
    /// page's figures, in the shape an edit leaves (see [`retyped_figures`]).
    retyped_figures: Option<RetypedFigures>,
}

/// Figures retyped from one row on (see [`retyped_figures`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct RetypedFigures {
    /// The first row (0-based, in the statement's rows) with a retyped figure.
    first_row: usize,
    /// Rows after it whose balance is retyped while their amount is still typed as the
    /// page's other amounts: balances carried by the edit.
    carried_rows: usize,
    /// Figures retyped in all.
    cells: usize,
}

impl DocumentEvidence {
    fn editor(&self) -> bool {
        self.tool
            .is_some_and(|(_, _, kind)| kind == ToolKind::Editor)
    }

    /// A tool named that re-saved or edited the file, not explained by a merge: in a file
    /// joined from several files the editor's name is the merger's (borrowers merge their
    /// monthly statements), which does not vouch for how the pages were made.
    fn editing_tool(&self) -> bool {
        self.tool.is_some_and(|(_, _, kind)| match kind {
            ToolKind::Resave => true,
            ToolKind::Editor => !self.joined_files,
            ToolKind::Rewrite => false,
        })
    }

    /// A change made after the file was written: a late ModDate or a revision appended that
    /// does not sign.
    fn later_change(&self) -> bool {
        self.late_modification_days.is_some() || self.incremental_updates > 0
    }

    /// Signals of a change after the bank wrote the file, short of fraud on their own, that a
    /// printed summary disagreeing with chained rows corroborates (see `printed_summary_gap`).
    /// A CreationDate before the rows, a signing time or a bank's re-issue a year later say
    /// nothing of a later change and are left out.
    fn summary_corroborating_signals(&self) -> Vec<&'static str> {
        let mut signals = Vec::new();
        // A program that re-writes whole files, named with no later date, is how some banks
        // write their statements (Ghostscript, cairo): no sign of a change after the writing.
        if self
            .tool
            .is_some_and(|(_, _, kind)| kind != ToolKind::Rewrite)
        {
            signals.push("a PDF tool named in the metadata");
        }
        if self.rewritten_later_days.is_some() || self.rewritten_after_writing {
            signals.push("a later save by a program that re-writes whole files");
        }
        if self.incremental_updates + self.appended_undated > 0 {
            signals.push("an appended revision");
        }
        if self.per_page_font_copies.is_some() || self.overlay_font_copies.is_some() {
            signals.push("per-page font copies");
        }
        if self.font_on_one_page.is_some() {
            signals.push("a font on one page");
        }
        if self.retyped_figures.is_some() {
            signals.push("figures typed in another font");
        }
        signals
    }

    /// Signals short of fraud on their own, named where a chain break stays a warning.
    fn weak_signals(&self) -> Vec<&'static str> {
        let mut signals = Vec::new();
        if self.tool.is_some() {
            signals.push("a PDF tool named in the metadata");
        }
        if self.incremental_updates + self.appended_undated > 0 {
            signals.push("an appended revision");
        }
        if self.creation_before_rows_days.is_some() {
            signals.push("a CreationDate before the rows");
        }
        if self.font_on_one_page.is_some() {
            signals.push("a font on one page");
        }
        if self.per_page_font_copies.is_some() || self.overlay_font_copies.is_some() {
            signals.push("per-page font copies");
        }
        if self.retyped_figures.is_some() {
            signals.push("figures typed in another font");
        }
        signals
    }

    /// A change made after the bank wrote the file, as the document itself shows it: a tool's
    /// name, a later date or revision, or a later save by a program that re-writes whole files
    /// (saving text typed over the pages is what wrote the file again).
    fn changed_after_writing(&self) -> bool {
        self.editing_tool()
            || self.later_change()
            || self.rewritten_later_days.is_some()
            || self.rewritten_after_writing
    }
}

pub fn assess(
    account: &AccountInput,
    transactions: &[EnrichedTransaction],
    merge: &MergeReport,
) -> FraudReport {
    let mut report = FraudReport::default();
    let mut any_breaks = false;
    for statement in &account.statements {
        any_breaks |= !statement.chain_breaks.is_empty();
        let before = report.fraud.len();
        assess_statement(statement, &mut report);
        let first = report.fraud[before..].first().map(|entry| entry.fraud_type);
        report
            .statements
            .insert(statement.statement_id.clone(), (first.is_some(), first));
    }
    let confirmed = |fraud_type: &str| {
        report
            .fraud
            .iter()
            .any(|entry| entry.fraud_type == fraud_type)
    };
    let author_fraud = confirmed("author_fraud");
    let date_fraud = confirmed("date_fraud");
    let inconsistent = confirmed("inconsistent_transaction");
    report.flags = behavioural_flags(transactions);
    report.flags.insert("author_fraud", author_fraud);
    report.flags.insert("date_fraud", date_fraud);
    report
        .flags
        .insert("inconsistent_transaction", inconsistent);
    report.flags.insert("transaction_fraud", inconsistent);
    report.flags.insert("transaction_fraud_v2", inconsistent);
    report.validation_codes = validation_codes(account, transactions, merge, any_breaks);
    report
}

fn assess_statement(statement: &StatementInput, report: &mut FraudReport) {
    let evidence = document_evidence(statement);
    let entry = |fraud_type, fraud_category, rule, evidence: String| FraudEntry {
        statement_id: statement.statement_id.clone(),
        fraud_type,
        fraud_category,
        transaction_hash: None,
        evidence,
        rule,
    };
    let metadata_fraud_before = report.fraud.len();
    let late = evidence.late_modification_days;
    // A typeface on one page does not corroborate an editor's name: unlocking, merging and
    // compressing tools rewrite every page, and banks print a symbol or bold face on one row.
    let font_corroborates = (evidence.per_page_font_copies.is_some()
        || evidence.overlay_font_copies.is_some())
        && !evidence.joined_files;

    if let Some((field, tool, kind)) = evidence.tool {
        let text = format!("{field} names the PDF tool {tool}");
        let corroborated_rule = match kind {
            ToolKind::Resave => Some("resave_tool"),
            ToolKind::Rewrite => None,
            ToolKind::Editor if late.is_some() => Some("editor_and_late_modification"),
            ToolKind::Editor if evidence.incremental_updates > 0 => {
                Some("editor_and_incremental_update")
            }
            ToolKind::Editor if font_corroborates => Some("editor_and_font_structure"),
            ToolKind::Editor => None,
        };
        match corroborated_rule {
            Some(rule) => report
                .fraud
                .push(entry("author_fraud", "metadata", rule, text)),
            None if kind == ToolKind::Rewrite => report.warnings.push(entry(
                "author_fraud",
                "metadata",
                "rewritten_by_program",
                format!(
                    "{text}, which re-writes whole files (re-distilled or printed to PDF): the file may not be the bank's own, though nothing in it shows an edit"
                ),
            )),
            None => report.warnings.push(entry(
                "author_fraud",
                "metadata",
                "editor_uncorroborated",
                format!("{text}; nothing else in the document shows an edit"),
            )),
        }
    }
    if let Some(days) = late {
        let rule = if evidence.editor() {
            "editor_and_late_modification"
        } else {
            "late_modification"
        };
        report.fraud.push(entry(
            "date_fraud",
            "metadata",
            rule,
            format!("ModDate is {days} days after CreationDate"),
        ));
    }
    if let Some(days) = evidence.rewritten_later_days {
        report.warnings.push(entry(
            "date_fraud",
            "metadata",
            "late_modification_by_rewrite",
            format!(
                "ModDate is {days} days after CreationDate, written when a program that re-writes whole files saved it again (named in Producer, no revision appended): the file was re-saved after the bank wrote it; nothing in its pages shows an edit"
            ),
        ));
    }
    if let Some(days) = evidence.modified_by_library_days {
        report.warnings.push(entry(
            "date_fraud",
            "metadata",
            "modified_by_library_step",
            format!(
                "ModDate is {days} days after CreationDate, written by a PDF library's step that modifies files and records itself in Producer (\"modified using\"), with no revision appended: a bank's download step encrypting or linearising the stored statement; nothing in its pages shows an edit"
            ),
        ));
    }
    if let Some(days) = evidence.rewritten_by_bank_days {
        report.warnings.push(entry(
            "date_fraud",
            "metadata",
            "modified_a_year_later",
            format!(
                "ModDate is {days} days after CreationDate: a year or more, with nothing appended, as when the bank writes an archived statement again; an edit made to obtain credit is dated within weeks of the statement"
            ),
        ));
    }
    if let Some(days) = evidence.creation_before_rows_days {
        report.warnings.push(entry(
            "date_fraud",
            "metadata",
            "creation_date_before_rows",
            format!(
                "ModDate is {days} days after CreationDate, but CreationDate is before the statement's last row: it is not when the statement was rendered (a report template's or the engine's default date), so the gap shows no later change"
            ),
        ));
    }
    if evidence.modified_when_signed {
        report.warnings.push(entry(
            "date_fraud",
            "metadata",
            "modified_when_signed",
            format!(
                "ModDate is {} days after CreationDate, at the signing time of the digital signature appended to the file, and nothing else was appended: signed after it was written, not edited",
                evidence.signed_days_after
            ),
        ));
    }
    if evidence.incremental_updates > 0 {
        let text = format!(
            "file was appended to {} time(s) after it was written, not to sign it",
            evidence.incremental_updates
        );
        if evidence.editor() {
            report.fraud.push(entry(
                "incremental_update",
                "metadata",
                "editor_and_incremental_update",
                text,
            ));
        } else {
            // Honest tools append too (a reader saving a form fill or a note).
            report.warnings.push(entry(
                "incremental_update",
                "metadata",
                "incremental_update_alone",
                text,
            ));
        }
    }
    if evidence.appended_when_written > 0 {
        report.warnings.push(entry(
            "incremental_update",
            "metadata",
            "appended_when_written",
            format!(
                "file was appended to {} time(s), not to sign it, within the hour of its CreationDate (ModDate): the writing pipeline's own step, no later change",
                evidence.appended_when_written
            ),
        ));
    }
    if evidence.appended_undated > 0 {
        report.warnings.push(entry(
            "incremental_update",
            "metadata",
            "appended_creation_date_unknown",
            format!(
                "file was appended to {} time(s), not to sign it, but {}, so nothing dates the revision against the writing: no evidence of a later change on its own",
                evidence.appended_undated, evidence.undated_because
            ),
        ));
    }
    if let Some(font) = &evidence.per_page_font_copies {
        let text = format!(
            "every table page carries its own copy of the font {font} while the document's other fonts are shared by its pages: something was overlaid page by page"
        );
        let edited = evidence.editing_tool() || evidence.later_change();
        if edited {
            report.fraud.push(entry(
                "font_inconsistency",
                "metadata",
                "per_page_font_copies",
                format!("{text}, in a file an editing tool or a later change also marks"),
            ));
        } else {
            // Banks' mailers stamp their pages through the same overlays.
            report.warnings.push(entry(
                "font_inconsistency",
                "metadata",
                "per_page_font_copies_alone",
                format!("{text}; nothing else in the document shows an edit (banks' mailers stamp pages the same way)"),
            ));
        }
    }
    if let Some((font, pages)) = &evidence.overlay_font_copies {
        let text = format!(
            "{pages} table page(s) type with a copy of their own of the font {font} beside the copy the document's pages share: text was typed over the pages through an overlay bringing its own fonts"
        );
        // A viewer's later save counts here: saving the text boxes typed over the pages is
        // what wrote the file again.
        if evidence.changed_after_writing() {
            report.fraud.push(entry(
                "font_inconsistency",
                "metadata",
                "overlay_font_copies",
                format!("{text}, in a file an editing tool or a later change also marks"),
            ));
        } else if let Some(span) = &evidence.overlay_span_of_an_edit {
            report.fraud.push(entry(
                "font_inconsistency",
                "metadata",
                "overlay_on_some_pages_to_the_last",
                format!(
                    "{text}; the copy is typed on table pages {} of {}, the last among them, and the other pages type the face through the document's own object only: an overlay on some pages and not others, reaching the statement's end, as an edit carrying its balances leaves (a mailer's stamp goes on every page, a signer's note on one)",
                    page_list(span),
                    statement.table_fonts.len()
                ),
            ));
        } else {
            report.warnings.push(entry(
                "font_inconsistency",
                "metadata",
                "overlay_font_copies_alone",
                format!("{text}; nothing else in the document shows an edit"),
            ));
        }
    }
    if let Some(font) = &evidence.font_on_one_page {
        let text = format!("font {font} appears on one middle table page only");
        if evidence.later_change() {
            report.fraud.push(entry(
                "font_inconsistency",
                "metadata",
                "font_on_one_page_with_document_evidence",
                text,
            ));
        } else {
            report.warnings.push(entry(
                "font_inconsistency",
                "metadata",
                "font_on_one_page_alone",
                text,
            ));
        }
    }
    if let Some(retyped) = evidence.retyped_figures {
        let row = retyped.first_row;
        let mut found = entry(
            "font_inconsistency",
            "metadata",
            "figures_retyped_alone",
            format!(
                "{} figure(s) from row {} on are typed through a font program the rest of their pages' figures are not typed with",
                retyped.cells,
                row + 1
            ),
        );
        found.transaction_hash = statement.transactions.get(row).map(|txn| txn.hash.clone());
        if retyped.carried_rows > 0 {
            // Only an edit types a tail of balances again and leaves their amounts alone: a
            // bank that types its balances in another face does so on every row, and a file
            // joined from another producer's retypes amounts too.
            found.rule = "figures_retyped_carrying_balances";
            found.evidence.push_str(&format!(
                ": the balances of the {} rows after it are retyped while their amounts stay in the statement's own font, as an edit carrying a changed figure's balances to the end leaves them",
                retyped.carried_rows
            ));
            report.fraud.push(found);
        } else if evidence.changed_after_writing() {
            found.rule = "figures_retyped_with_document_evidence";
            found.evidence.push_str(
                ", in a file an editing tool, a later change or a later save also marks: figures typed again by an editor",
            );
            report.fraud.push(found);
        } else {
            found
                .evidence
                .push_str("; nothing else in the document shows an edit");
            report.warnings.push(found);
        }
    }
    let document_fraud = report.fraud.len() > metadata_fraud_before;
    accounting_entries(statement, &evidence, document_fraud, report);
    if !statement.summary_mismatches.is_empty() {
        let text = format!(
            "the statement's printed summary disagrees with its rows: {}",
            statement.summary_mismatches.join("; ")
        );
        report.warnings.push(entry(
            "printed_summary_mismatch",
            "accounting",
            "printed_summary_gap",
            text.clone(),
        ));
        // Rows whose balances all chain but whose printed totals, counts or closing disagree
        // were changed after the bank summed them (a credit raised and every later balance
        // carried, rows added), unless the engine misread some figure: beside a document signal
        // short of fraud on its own (a tool's or viewer's save, an appended revision, a font
        // structure) and no unsure reading, the two corroborate each other.
        let signals = evidence.summary_corroborating_signals();
        if statement.chain_breaks.is_empty() && !figures_unsure(statement) && !signals.is_empty() {
            report.fraud.push(entry(
                "inconsistent_transaction",
                "accounting",
                "summary_gap_with_document_evidence",
                format!(
                    "{text}, while every balance chains and the engine was sure of every figure; the document also shows {}",
                    signals.join(", ")
                ),
            ));
        }
    }
}

fn editors() -> &'static [(String, &'static str, ToolKind)] {
    static EDITORS: OnceLock<Vec<(String, &'static str, ToolKind)>> = OnceLock::new();
    EDITORS.get_or_init(|| {
        tables::rows("pdf_editors", tables::PDF_EDITORS_TSV, 3)
            .unwrap_or_default()
            .into_iter()
            .map(|(_, fields)| {
                let kind = match fields[2] {
                    "resave" => ToolKind::Resave,
                    "rewrite" => ToolKind::Rewrite,
                    _ => ToolKind::Editor,
                };
                (fields[0].to_lowercase(), fields[1], kind)
            })
            .collect()
    })
}

fn document_evidence(statement: &StatementInput) -> DocumentEvidence {
    let overlay = overlay_font_copies(&statement.table_fonts);
    let mut evidence = DocumentEvidence {
        font_on_one_page: font_only_on_one_middle_page(&statement.table_fonts),
        per_page_font_copies: per_page_font_copies(&statement.table_fonts),
        overlay_span_of_an_edit: overlay
            .as_ref()
            .and_then(|(face, _)| overlay_span_of_an_edit(&statement.table_fonts, face)),
        overlay_font_copies: overlay,
        // A page typing with two copies of a face is an overlay's, whatever else the fonts
        // look like (a merged file gives each page one).
        joined_files: joined_files(&statement.table_fonts)
            && overlay_font_copies(&statement.table_fonts).is_none(),
        retyped_figures: retyped_figures(statement),
        ..DocumentEvidence::default()
    };
    let Some(metadata) = &statement.metadata else {
        return evidence;
    };
    // A re-distilling program names itself in Producer and keeps the Creator it was given:
    // an editor named in either field is judged as one, whichever field names the other.
    for (field, value) in [
        ("Producer", &metadata.producer),
        ("Creator", &metadata.creator),
    ] {
        let Some(value) = value else { continue };
        let lowered = value.to_lowercase();
        if let Some((_, tool, kind)) = editors()
            .iter()
            .find(|(needle, _, _)| lowered.contains(needle.as_str()))
        {
            if evidence.tool.is_none_or(|(_, _, found)| *kind < found) {
                evidence.tool = Some((field, tool, *kind));
            }
        }
    }
    if let (Some(created), Some(modified)) = (metadata.creation_date, metadata.modification_date) {
        let hours = hours_between(created, modified);
        // A day's slack: a date written without its zone is read as UTC.
        let last_row = statement
            .transactions
            .iter()
            .map(|txn| txn.date.date())
            .max();
        let creation_day = NaiveDate::from_ymd_opt(
            i32::from(created.year),
            u32::from(created.month),
            u32::from(created.day),
        );
        let before_rows = matches!(
            (creation_day, last_row),
            (Some(day), Some(last)) if day + chrono::Duration::days(1) < last
        );
        if hours > LATE_MODIFICATION_HOURS && before_rows {
            evidence.creation_before_rows_days = Some(hours / 24);
        } else if hours > LATE_MODIFICATION_HOURS {
            evidence.late_modification_days = Some(hours / 24);
        }
    }
    if let (Some(days), Some(modified)) =
        (evidence.late_modification_days, metadata.modification_date)
    {
        // The same instant, or the same clock reading where one of the two was written
        // without its zone (or in another one).
        let signed_then = metadata
            .signing_times
            .iter()
            .any(|signed| same_run(*signed, modified));
        // Only where nothing but signing was appended after the first signature: an edit
        // appended after a signature carries its own ModDate.
        if signed_then
            && metadata.signature_updates + metadata.updates_signed_over
                == metadata.incremental_updates
        {
            evidence.late_modification_days = None;
            evidence.modified_when_signed = true;
            evidence.signed_days_after = days;
        }
    }
    // A whole-file rewriter named in Producer wrote the late ModDate when it saved the file
    // (a borrower opening the statement in Preview and saving it days later): the re-save is
    // a fact, not an edit, unless something in the content shows one (an edit-shaped break is
    // fraud on its own; fonts are judged by their own rules).
    let rewriter_in_producer = evidence
        .tool
        .is_some_and(|(field, _, kind)| field == "Producer" && kind == ToolKind::Rewrite);
    if let (true, Some(created), Some(modified)) = (
        rewriter_in_producer,
        metadata.creation_date,
        metadata.modification_date,
    ) {
        evidence.rewritten_after_writing =
            modified.unix_seconds() > created.unix_seconds() && !same_run(created, modified);
    }
    if rewriter_in_producer && metadata.incremental_updates == 0 {
        if let Some(days) = evidence.late_modification_days.take() {
            evidence.rewritten_later_days = Some(days);
        }
    }
    // A PDF library's modifying step recorded in Producer (iText's stamper writes
    // "...; modified using iText") dated the late ModDate: the bank's download step, unless an
    // editor is named or a revision was appended.
    let library_step = metadata
        .producer
        .as_deref()
        .is_some_and(|producer| producer.to_lowercase().contains("modified using"));
    if library_step && metadata.incremental_updates == 0 && evidence.tool.is_none() {
        if let Some(days) = evidence.late_modification_days.take() {
            evidence.modified_by_library_days = Some(days);
        }
    }
    // A ModDate a year or more after CreationDate, with nothing appended, written by a PDF
    // library the file names (a statement re-issued from the archive keeps its first
    // CreationDate; the pipeline that encrypts it again names its library): the bank writing
    // the file again. Under the bank's own producer, with nothing naming the step that wrote
    // it, the late ModDate is a date-only modification however late (an edit made now to a
    // statement of an earlier year), fraud as any late ModDate. A printer driver's re-save
    // stays fraud on its own; a re-writing program has its rule.
    let library_named = evidence
        .tool
        .is_some_and(|(_, _, kind)| kind == ToolKind::Editor);
    if library_named && metadata.incremental_updates == 0 {
        if let Some(days) = evidence
            .late_modification_days
            .filter(|days| *days >= REWRITTEN_BY_BANK_DAYS)
        {
            evidence.late_modification_days = None;
            evidence.rewritten_by_bank_days = Some(days);
        }
    }
    // A revision the bank's signature came after was in the file it signed.
    evidence.incremental_updates = metadata
        .incremental_updates
        .saturating_sub(metadata.signature_updates + metadata.updates_signed_over);
    // Revisions appended in the run that wrote the file: ModDate, which the last revision
    // wrote, is within the hour of CreationDate (a bank's stamper adding page labels or a
    // note as it writes the statement). A later edit dates itself later, or writes no date.
    if let (true, Some(created), Some(modified)) = (
        evidence.incremental_updates > 0,
        metadata.creation_date,
        metadata.modification_date,
    ) {
        if same_run(created, modified) {
            evidence.appended_when_written = evidence.incremental_updates;
            evidence.incremental_updates = 0;
        }
    }
    // A CreationDate before the statement's rows is not the rendering's (a report template's
    // or the engine's default date), so ModDate measured from it cannot tell a revision the
    // writing pipeline appended from a later one: undated, a warning like the late ModDate.
    if evidence.incremental_updates > 0 && evidence.creation_before_rows_days.is_some() {
        evidence.appended_undated = evidence.incremental_updates;
        evidence.undated_because =
            "its CreationDate is before the statement's last row (not when it was rendered)";
        evidence.incremental_updates = 0;
    }
    // A file that writes no ModDate dates no revision (its pipeline writes no dates, or no
    // document information at all): nothing tells a revision appended as it was written from
    // a later one. An editor named beside the revision is still judged as an editor's.
    if evidence.incremental_updates > 0
        && metadata.modification_date.is_none()
        && !evidence.editor()
    {
        evidence.appended_undated = evidence.incremental_updates;
        evidence.undated_because = "the file writes no ModDate";
        evidence.incremental_updates = 0;
    }
    evidence
}

/// Two dates within the hour of each other, as instants or as clock readings (one of them
/// written in another zone), or once India's offset is taken off one of them (a date written
/// without its zone is read as UTC: India's clock reading, beside one written in UTC).
fn same_run(first: PdfDate, second: PdfDate) -> bool {
    let wall = |date: &PdfDate| date.unix_seconds() + i64::from(date.utc_offset_minutes) * 60;
    let apart = first.unix_seconds() - second.unix_seconds();
    [apart, wall(&first) - wall(&second)].iter().any(|gap| {
        [-INDIA_OFFSET_SECONDS, 0, INDIA_OFFSET_SECONDS]
            .iter()
            .any(|zone| (gap - zone).abs() <= SIGNED_WITHIN_SECONDS)
    })
}

fn hours_between(from: PdfDate, to: PdfDate) -> i64 {
    let instant = |date: PdfDate| {
        NaiveDate::from_ymd_opt(
            i32::from(date.year),
            u32::from(date.month),
            u32::from(date.day),
        )
        .and_then(|day| {
            day.and_hms_opt(
                u32::from(date.hour),
                u32::from(date.minute),
                u32::from(date.second),
            )
        })
        .map(|time| time - chrono::Duration::minutes(i64::from(date.utc_offset_minutes)))
    };
    match (instant(from), instant(to)) {
        (Some(start), Some(end)) => (end - start).num_hours(),
        _ => 0,
    }
}

/// A declared font as the engine records it: "BaseFont" or "BaseFont#objnum".
fn split_font(entry: &str) -> (&str, Option<&str>) {
    match entry.rsplit_once('#') {
        Some((name, object)) if object.chars().all(|c| c.is_ascii_digit()) => (name, Some(object)),
        _ => (entry, None),
    }
}

/// A font's typeface: its BaseFont without a subset tag ("ABCDEF+Arial-BoldMT" is a subset
/// of "Arial-BoldMT"; ISO 32000 9.9.2). Engines subset once per file, per merged part or per
/// page, so the tags of one typeface differ between pages of honest files.
fn typeface(base_font: &str) -> &str {
    match base_font.split_once('+') {
        Some((tag, rest)) if tag.len() == 6 && tag.bytes().all(|b| b.is_ascii_uppercase()) => rest,
        _ => base_font,
    }
}

/// A font used on exactly one middle page of three or more table pages: the mark of a
/// pasted edit. First and last pages are left out because banks print headers and
/// summaries there in fonts the other pages do not need.
fn font_only_on_one_middle_page(pages: &[Vec<String>]) -> Option<String> {
    if pages.len() < 3 {
        return None;
    }
    let mut pages_per_font: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (number, page) in pages.iter().enumerate() {
        let unique: BTreeSet<&str> = page
            .iter()
            .map(|font| typeface(split_font(font).0))
            .collect();
        for font in unique {
            pages_per_font.entry(font).or_default().push(number);
        }
    }
    pages_per_font
        .into_iter()
        .find(|(_, on)| on.len() == 1 && on[0] != 0 && on[0] + 1 != pages.len())
        .map(|(font, _)| font.to_string())
}

/// A font whose every table page holds a different object of it, in a document whose
/// other fonts are single objects shared by the pages: what PyPDF-style overlays leave
/// (each merged page brings its own font objects). A generator that writes per-page fonts
/// does so for all of them, which this does not flag.
fn per_page_font_copies(pages: &[Vec<String>]) -> Option<String> {
    if pages.len() < 2 {
        return None;
    }
    // base name -> object -> pages holding it
    let mut objects: BTreeMap<&str, BTreeMap<&str, BTreeSet<usize>>> = BTreeMap::new();
    for (number, page) in pages.iter().enumerate() {
        for font in page {
            if let (name, Some(object)) = split_font(font) {
                objects
                    .entry(name)
                    .or_default()
                    .entry(object)
                    .or_default()
                    .insert(number);
            }
        }
    }
    let shared_font = objects
        .values()
        .any(|by_object| by_object.values().any(|on| on.len() >= 2));
    if !shared_font {
        return None;
    }
    objects
        .into_iter()
        .find(|(_, by_object)| {
            let pages_with: BTreeSet<usize> = by_object.values().flatten().copied().collect();
            by_object.len() >= 2
                && pages_with.len() >= 2
                && by_object.values().all(|on| on.len() == 1)
        })
        .map(|(name, _)| name.to_string())
}

/// The file joins several files, as a merger writes it: some typeface is written as two or
/// more objects, each shared by a run of consecutive pages of its own, one run at least two
/// pages long (each joined file keeps its own fonts; copies on single pages are no join).
fn joined_files(pages: &[Vec<String>]) -> bool {
    let mut objects: BTreeMap<&str, BTreeMap<&str, Vec<usize>>> = BTreeMap::new();
    for (number, page) in pages.iter().enumerate() {
        for font in page {
            if let (name, Some(object)) = split_font(font) {
                let on = objects
                    .entry(typeface(name))
                    .or_default()
                    .entry(object)
                    .or_default();
                if on.last() != Some(&number) {
                    on.push(number);
                }
            }
        }
    }
    objects.values().any(|by_object| {
        let mut pages: Vec<usize> = by_object.values().flatten().copied().collect();
        let held = pages.len();
        pages.sort_unstable();
        pages.dedup();
        // Each joined file's pages hold its own copy only: a page typing with two copies of
        // one typeface is an overlay's, not a join's.
        by_object.len() >= 2
            && pages.len() == held
            && by_object.values().any(|on| on.len() >= 2)
            && by_object
                .values()
                .all(|on| on.windows(2).all(|pair| pair[1] == pair[0] + 1))
    })
}

/// A page typing with two objects of one typeface: the document's own and a copy an overlay
/// brought along (PyPDF2's merged pages, a viewer's text boxes typed over the page). Subset
/// tags are ignored (an overlay brings the face again, tagged or not); a merged file's parts
/// and per-page subsets give each page one object of a face. (typeface, pages carrying two.)
fn overlay_font_copies(pages: &[Vec<String>]) -> Option<(String, usize)> {
    // typeface -> pages holding two or more of its objects
    let mut carrying: BTreeMap<&str, usize> = BTreeMap::new();
    for page in pages {
        let mut objects: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for font in page {
            if let (name, Some(object)) = split_font(font) {
                objects.entry(typeface(name)).or_default().insert(object);
            }
        }
        for (name, held) in objects {
            if held.len() >= 2 {
                *carrying.entry(name).or_default() += 1;
            }
        }
    }
    carrying
        .into_iter()
        .max_by_key(|(_, pages)| *pages)
        .map(|(name, pages)| (name.to_string(), pages))
}

/// The table pages (indices into `pages`) typing with two or more objects of `face`.
fn pages_typing_two_copies(pages: &[Vec<String>], face: &str) -> Vec<usize> {
    pages
        .iter()
        .enumerate()
        .filter(|(_, page)| {
            let objects: BTreeSet<&str> = page
                .iter()
                .filter_map(|font| match split_font(font) {
                    (name, Some(object)) if typeface(name) == face => Some(object),
                    _ => None,
                })
                .collect();
            objects.len() >= 2
        })
        .map(|(number, _)| number)
        .collect()
}

/// The overlay's span when it has the shape an edit leaves (1-based table pages carrying the
/// copy): two table pages or more, the last table page among them, while some other table
/// page types `face` through one object only. An edit that raises or adds a row carries every
/// later balance, so it retypes each page from its row to the statement's end (and perhaps a
/// summary on the first page) and leaves the pages between as the bank drew them; a bank's
/// mailer stamps every page, and a signer's note or stamp sits on one page. A statement of
/// one table page, or an overlay on every page, says nothing here.
fn overlay_span_of_an_edit(pages: &[Vec<String>], face: &str) -> Option<Vec<usize>> {
    let carrying = pages_typing_two_copies(pages, face);
    let last = pages.len().checked_sub(1)?;
    let untouched_page_types_the_face = pages.iter().enumerate().any(|(number, page)| {
        !carrying.contains(&number)
            && page.iter().any(|font| {
                let (name, object) = split_font(font);
                object.is_some() && typeface(name) == face
            })
    });
    (carrying.len() >= 2 && carrying.contains(&last) && untouched_page_types_the_face)
        .then(|| carrying.iter().map(|number| number + 1).collect())
}

/// Figures an editor typed again, read from the font programs printing each row's amount and
/// balance (the engine's `figure_fonts`). On each page the amounts are typed through one
/// program, the page's (a bank subsets per file or per page); a figure typed through another
/// is retyped; where one program types the amounts of two pages
/// or more, the document is one program's and each page is judged against it. The shape an
/// edit that keeps the chain leaves:
/// from one row on, that row's amount and every later balance retyped (the changed figure and
/// the balances carried to the end), every later amount left as the bank typed it, and the
/// rows before typed as the bank typed them. A bank printing its balances in a face of its
/// own does so on every row; a statement joined from another producer's file retypes its
/// amounts as well; a bold closing balance retypes no amount. None when the figures' fonts
/// are unknown or show no such shape.
fn retyped_figures(statement: &StatementInput) -> Option<RetypedFigures> {
    let fonts = &statement.figure_fonts;
    let rows = &statement.transactions;
    if fonts.len() != rows.len() || rows.len() < 3 {
        return None;
    }
    // How often each program types an amount, over the statement and per page.
    let mut overall: BTreeMap<u64, usize> = BTreeMap::new();
    let mut per_page: BTreeMap<usize, BTreeMap<u64, usize>> = BTreeMap::new();
    for (row, font) in rows.iter().zip(fonts) {
        if let Some(program) = font.amount {
            *overall.entry(program).or_default() += 1;
            *per_page
                .entry(row.page)
                .or_default()
                .entry(program)
                .or_default() += 1;
        }
    }
    // The document's program: the one typing most amounts. Where it types amounts on two
    // pages or more, the document types its figures through one program and every page is
    // judged against it (a page holding only the edited rows then shows them retyped);
    // otherwise the producer subsets per page, and each page is judged against the program
    // typing most of its own amounts, a tie going to the one typing most amounts overall.
    let document = overall
        .iter()
        .max_by_key(|(_, count)| **count)
        .map(|(program, _)| *program);
    let shared = document.is_some_and(|document| {
        per_page
            .values()
            .filter(|counts| counts.contains_key(&document))
            .count()
            >= 2
    });
    let page_program: BTreeMap<usize, u64> = per_page
        .into_iter()
        .filter_map(|(page, counts)| match document {
            Some(document) if shared => Some((page, document)),
            _ => counts
                .into_iter()
                .max_by_key(|(program, count)| (*count, overall.get(program).copied()))
                .map(|(program, _)| (page, program)),
        })
        .collect();
    let retyped = |row: usize, program: Option<u64>| -> Option<bool> {
        let own = page_program.get(&rows[row].page)?;
        program.map(|program| program != *own)
    };
    let amounts: Vec<Option<bool>> = (0..rows.len())
        .map(|r| retyped(r, fonts[r].amount))
        .collect();
    let balances: Vec<Option<bool>> = (0..rows.len())
        .map(|r| retyped(r, fonts[r].balance))
        .collect();
    let first_row =
        (0..rows.len()).find(|&r| amounts[r] == Some(true) || balances[r] == Some(true))?;
    // The rows before it show the bank's own typing.
    let typed_before =
        (0..first_row).any(|r| amounts[r] == Some(false) || balances[r] == Some(false));
    // No later amount retyped; every known balance from the first row on retyped.
    let later_amounts_kept = amounts[first_row + 1..]
        .iter()
        .all(|amount| *amount != Some(true));
    let balances_retyped = !balances[first_row..].contains(&Some(false))
        && balances[first_row..].contains(&Some(true));
    // The changed figure itself: the row's amount retyped, or where its amount is unknown, a
    // balance carried after it.
    let carried_rows = (first_row + 1..rows.len())
        .filter(|&r| balances[r] == Some(true) && amounts[r] == Some(false))
        .count();
    let changed = match amounts[first_row] {
        Some(retyped) => retyped,
        None => carried_rows > 0,
    };
    if !(typed_before && later_amounts_kept && balances_retyped && changed) {
        return None;
    }
    let cells = amounts
        .iter()
        .chain(&balances)
        .filter(|cell| **cell == Some(true))
        .count();
    Some(RetypedFigures {
        first_row,
        carried_rows,
        cells,
    })
}

/// "2, 4–6" for pages 2, 4, 5 and 6.
fn page_list(pages: &[usize]) -> String {
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for &page in pages {
        match runs.last_mut() {
            Some((_, end)) if *end + 1 == page => *end = page,
            _ => runs.push((page, page)),
        }
    }
    runs.iter()
        .map(|&(start, end)| {
            if start == end {
                start.to_string()
            } else {
                format!("{start}\u{2013}{end}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Chain breaks, judged: an edit-shaped break or any document evidence makes
/// `inconsistent_transaction` fraud; otherwise the break is a reading problem to report.
fn accounting_entries(
    statement: &StatementInput,
    evidence: &DocumentEvidence,
    document_fraud: bool,
    report: &mut FraudReport,
) {
    let breaks = &statement.chain_breaks;
    // Where the engine was unsure of some readings, a break's shape proves nothing near them:
    // the unsure reading may be the break. A break away from every row the warnings name keeps
    // its shape; a warning that names no rows may concern any, and then no break is trusted.
    // The note that the file joins several statements is no unsure reading: an edit in one
    // month of merged statements keeps its shape.
    let unsure = statement
        .parse_warnings
        .iter()
        .filter(|warning| !ledgerlens_statement::is_parts_note(warning))
        .count();
    let near = unsure_rows(statement);
    let edited = match &near {
        Some(near) => trusted_edits(edit_shaped_breaks(statement), breaks, near),
        None => BTreeMap::new(),
    };
    for (position, chain_break) in breaks.iter().enumerate() {
        let gap = (chain_break.printed_balance - chain_break.expected_balance).abs();
        let mut entry = FraudEntry {
            statement_id: statement.statement_id.clone(),
            fraud_type: "inconsistent_transaction",
            fraud_category: "accounting",
            transaction_hash: Some(chain_break.hash.clone()),
            evidence: format!(
                "row {}: printed balance differs from previous balance ± amount by {gap}",
                chain_break.row
            ),
            rule: "chain_break_with_document_evidence",
        };
        if let Some(rule) = edited.get(&position) {
            entry.rule = rule;
            entry.evidence.push_str(match *rule {
                "edited_balance" => {
                    "; the next row continues from the unedited balance and the difference is a digit edit"
                }
                _ => "; the balance runs on from the printed figure and the amount differs from it by a digit edit",
            });
            if unsure > 0 {
                entry.evidence.push_str(&format!(
                    " (the engine was unsure of {unsure} reading(s), each of other rows)"
                ));
            }
            report.fraud.push(entry);
        } else if document_fraud {
            // Only evidence that is fraud on its own corroborates a break: a signal short of
            // it (an editor's name, an appended revision, a font on one page) beside a break
            // the engine may have caused by its reading is two warnings, not fraud.
            entry
                .evidence
                .push_str("; the document also shows signs of editing");
            report.fraud.push(entry);
        } else {
            entry.fraud_type = "unexplained_chain_break";
            entry.fraud_category = "parse";
            entry.rule = "chain_break_unexplained";
            let weak = evidence.weak_signals();
            if weak.is_empty() {
                entry.evidence.push_str(
                    "; no sign of editing: reported as a reading or layout problem, not fraud",
                );
            } else {
                entry.evidence.push_str(&format!(
                    "; no evidence of editing that stands on its own ({} only): reported as a reading or layout problem, not fraud",
                    weak.join(", ")
                ));
            }
            if unsure > 0 {
                entry
                    .evidence
                    .push_str(&format!(" (the engine was unsure of {unsure} reading(s))"));
            }
            report.warnings.push(entry);
        }
    }
}

/// The rows the engine's unsure readings concern, each widened by a row on either side (a
/// reading that changed a row's balance breaks the chain at that row and the next): None when
/// some warning names no rows, so that any row may be the one read unsure. Warnings that
/// concern no row's figures (a narration line's attachment, the date columns, the bank's
/// name) and the note that the file joins several statements add no rows.
fn unsure_rows(statement: &StatementInput) -> Option<Vec<(usize, usize)>> {
    let mut near = Vec::new();
    for warning in &statement.parse_warnings {
        if ledgerlens_statement::is_parts_note(warning) {
            continue;
        }
        let mut located = statement
            .parse_warning_rows
            .iter()
            .filter(|entry| entry.warning == *warning)
            .peekable();
        located.peek()?;
        near.extend(
            located
                .filter_map(|entry| entry.rows)
                .map(|(first, last)| (first.saturating_sub(1), last + 1)),
        );
    }
    Some(near)
}

/// True when the engine warned of a reading that may concern some row's figures: a warning
/// naming rows, or one naming none at all (it may concern any). A warning the engine says
/// concerns no row's figures (a narration line's attachment, a word cut at a line end) and the
/// note that the file joins several statements cannot make printed totals disagree.
fn figures_unsure(statement: &StatementInput) -> bool {
    statement
        .parse_warnings
        .iter()
        .filter(|warning| !ledgerlens_statement::is_parts_note(warning))
        .any(|warning| {
            let mut located = statement
                .parse_warning_rows
                .iter()
                .filter(|entry| entry.warning == *warning)
                .peekable();
            located.peek().is_none() || located.any(|entry| entry.rows.is_some())
        })
}

/// The edit-shaped breaks (see [`edit_shaped_breaks`]) away from every row an unsure reading
/// concerns (`near`); a balance edit's pair is kept or dropped whole.
fn trusted_edits(
    edited: BTreeMap<usize, &'static str>,
    breaks: &[ChainBreak],
    near: &[(usize, usize)],
) -> BTreeMap<usize, &'static str> {
    let is_near = |position: usize| {
        breaks.get(position).is_some_and(|found| {
            near.iter()
                .any(|&(first, last)| (first..=last).contains(&found.row))
        })
    };
    let untrusted = |position: usize, rule: &str| {
        is_near(position)
            || (rule == "edited_balance"
                && [position.checked_sub(1), position.checked_add(1)]
                    .into_iter()
                    .flatten()
                    .any(|partner| {
                        edited.get(&partner) == Some(&"edited_balance") && is_near(partner)
                    }))
    };
    edited
        .iter()
        .filter(|(position, rule)| !untrusted(**position, rule))
        .map(|(position, rule)| (*position, *rule))
        .collect()
}

/// Positions (in `chain_breaks`) of breaks shaped like a typed edit, with their rule.
fn edit_shaped_breaks(statement: &StatementInput) -> BTreeMap<usize, &'static str> {
    let breaks = &statement.chain_breaks;
    let gap = |b: &ChainBreak| b.printed_balance - b.expected_balance;
    let mut found = BTreeMap::new();
    for (position, chain_break) in breaks.iter().enumerate() {
        if found.contains_key(&position) {
            continue;
        }
        let derived = statement
            .transactions
            .get(chain_break.row)
            .is_none_or(|txn| txn.balance_derived);
        if derived {
            continue;
        }
        let next = breaks
            .get(position + 1)
            .filter(|next| next.row == chain_break.row + 1);
        // One balance changed: this row is off by X and the next row is off by -X.
        if let Some(next) = next {
            if (gap(chain_break) + gap(next)).abs() <= TOLERANCE
                && digit_edit(chain_break.expected_balance, chain_break.printed_balance)
            {
                found.insert(position, "edited_balance");
                found.insert(position + 1, "edited_balance");
                continue;
            }
        }
        // One amount changed: the balances run on, the amount disagrees with them.
        let next_row_holds = next.is_none();
        if let (true, Some(txn)) = (next_row_holds, statement.transactions.get(chain_break.row)) {
            let previous = chain_break.expected_balance - txn.signed_amount();
            let implied = (chain_break.printed_balance - previous) * txn.transaction_type.sign();
            if implied > Decimal::ZERO && digit_edit(implied, txn.amount) {
                found.insert(position, "edited_amount");
            }
        }
    }
    found
}

/// True when `shown` (as read) differs from `actual` (what the chain says) the way a typed
/// edit does and a reading of the text layer cannot: the same number of digits with at
/// most two of them changed, or a difference of one or two significant digits (a round
/// amount added) where the figure read is not the actual one with digits lost at an end.
fn digit_edit(actual: Decimal, shown: Decimal) -> bool {
    if actual == shown {
        return false;
    }
    let digits = |value: Decimal| -> String {
        format!("{:.2}", value.abs())
            .chars()
            .filter(char::is_ascii_digit)
            .collect::<String>()
            .trim_start_matches('0')
            .to_string()
    };
    // The difference is a round amount: one or two significant digits, a rupee or more.
    let round_difference = || {
        let significant = digits(shown - actual).trim_end_matches('0').len();
        significant <= 2 && (shown - actual).abs() >= Decimal::ONE
    };
    if actual.is_sign_negative() != shown.is_sign_negative() {
        // A sign is read from a marker ("Dr", "-") a reading can lose or misplace, never the
        // digits: the same figure with the other sign is a reading. A round amount added
        // across zero (an overdraft typed into a credit balance) changed the figure itself.
        return actual.abs() != shown.abs() && round_difference();
    }
    let (a, b) = (digits(actual), digits(shown));
    // A figure read with fewer decimals than its actual value has lost its last digit(s)
    // to the cell's edge (a digit wrapped or cut by a page break: "221868.3" for
    // 221868.32); padded to two decimals it would look like one digit changed.
    if shown.scale() < actual.scale() {
        let written: String = shown
            .abs()
            .to_string()
            .chars()
            .filter(char::is_ascii_digit)
            .collect();
        if a.starts_with(written.trim_start_matches('0')) {
            return false;
        }
    }
    if a.len() == b.len() {
        // Two digits changed, or a round amount added whose carry ran through several
        // nines (19,99,999.00 + 10,000 = 20,09,999.00: three digits).
        let changed = a.chars().zip(b.chars()).filter(|(x, y)| x != y).count();
        return changed <= 2 || round_difference();
    }
    // A reading loses digits at a cell's edge (a wrapped last digit, a clipped first one);
    // digits gained in front of an intact figure by a round amount were typed.
    let truncated = a.starts_with(&b) || a.ends_with(&b);
    !truncated && round_difference()
}

fn bank_holidays() -> &'static HashSet<NaiveDate> {
    static HOLIDAYS: OnceLock<HashSet<NaiveDate>> = OnceLock::new();
    HOLIDAYS.get_or_init(|| {
        tables::rows("bank_holidays", tables::BANK_HOLIDAYS_TSV, 2)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|(_, fields)| NaiveDate::parse_from_str(fields[0], "%Y-%m-%d").ok())
            .collect()
    })
}

/// Branches are shut on national holidays, Sundays and the 2nd and 4th Saturdays.
pub fn is_bank_holiday(date: NaiveDate) -> bool {
    let week_of_month = (date.day() - 1) / 7 + 1;
    bank_holidays().contains(&date)
        || date.weekday() == Weekday::Sun
        || (date.weekday() == Weekday::Sat && matches!(week_of_month, 2 | 4))
}

fn behavioural_flags(transactions: &[EnrichedTransaction]) -> BTreeMap<&'static str, bool> {
    let channel_is = |txn: &EnrichedTransaction, channel: &str| txn.transaction_channel == channel;
    let on_holiday = |channel: &str| {
        transactions
            .iter()
            .any(|txn| channel_is(txn, channel) && is_bank_holiday(txn.transaction.date.date()))
    };
    let salaries: Vec<Decimal> = transactions
        .iter()
        .filter(|txn| txn.is_salary)
        .map(|txn| txn.transaction.amount)
        .collect();
    let thousand = Decimal::new(1000, 0);
    let hundred = Decimal::ONE_HUNDRED;
    let total = |side: TransactionType| -> Decimal {
        transactions
            .iter()
            .filter(|txn| txn.transaction.transaction_type == side)
            .map(|txn| txn.transaction.amount)
            .sum()
    };
    let cash_deposits: Decimal = transactions
        .iter()
        .filter(|txn| channel_is(txn, "cash_deposit"))
        .map(|txn| txn.transaction.amount)
        .sum();
    let cash_rows = transactions
        .iter()
        .filter(|txn| channel_is(txn, "cash_deposit") || channel_is(txn, "cash_withdrawl"))
        .count();
    let taxes: Vec<Decimal> = transactions
        .iter()
        .filter(|txn| txn.category == "Tax")
        .map(|txn| txn.transaction.amount)
        .collect();
    let mut flags = BTreeMap::new();
    // Only a known balance counts: one counted from zero (a statement that prints none)
    // goes negative with any debit before the first credit.
    flags.insert(
        "negative_balance",
        transactions.iter().any(|txn| {
            txn.balance_known
                && txn.transaction.balance.is_sign_negative()
                && !txn.transaction.balance.is_zero()
        }),
    );
    flags.insert(
        "salary_1000_multiple",
        !salaries.is_empty() && salaries.iter().all(|amount| (*amount % thousand).is_zero()),
    );
    flags.insert(
        "salary_remains_unchanged",
        salaries.len() >= 3 && salaries.windows(2).all(|pair| pair[0] == pair[1]),
    );
    flags.insert(
        "more_cash_deposits_than_salary",
        !salaries.is_empty() && cash_deposits > salaries.iter().sum(),
    );
    flags.insert(
        "mostly_cash_transactions",
        !transactions.is_empty() && cash_rows * 2 > transactions.len(),
    );
    let credits = total(TransactionType::Credit);
    flags.insert(
        "equal_credit_debit",
        !credits.is_zero() && credits == total(TransactionType::Debit),
    );
    flags.insert(
        "tax_100_multiple",
        !taxes.is_empty() && taxes.iter().all(|amount| (*amount % hundred).is_zero()),
    );
    flags.insert(
        "min_rtgs_amount",
        transactions.iter().any(|txn| {
            txn.mode == crate::Mode::Rtgs
                && txn.transaction.amount < Decimal::new(MIN_RTGS_AMOUNT, 0)
        }),
    );
    flags.insert(
        "cash_deposit_bank_holiday_transaction",
        on_holiday("cash_deposit"),
    );
    flags.insert("chq_bank_holiday_transaction", on_holiday("chq"));
    flags.insert(
        "outward_cheque_bounce_bank_holiday_transaction",
        on_holiday("outward_cheque_bounce"),
    );
    flags.insert(
        "inward_cheque_bounce_bank_holiday_transaction",
        on_holiday("inward_cheque_bounce"),
    );
    flags.insert(
        "more_than_15_days_credit",
        more_than_15_credit_days(transactions),
    );
    flags
}

/// Credits on more than 15 distinct days of some month.
fn more_than_15_credit_days(transactions: &[EnrichedTransaction]) -> bool {
    let mut days: BTreeMap<(i32, u32), BTreeSet<u32>> = BTreeMap::new();
    for txn in transactions {
        if txn.transaction.transaction_type == TransactionType::Credit {
            let date = txn.transaction.date;
            days.entry((date.year(), date.month()))
                .or_default()
                .insert(date.day());
        }
    }
    days.values().any(|set| set.len() > 15)
}

/// A statement whose balances do not hold: a chain that breaks or does not reconcile, or,
/// for a table with no running balance (nothing to chain), printed totals or an opening and
/// closing that disagree with the rows. Having no chain is not itself a mismatch, nor is a
/// period its file leaves out with every printed figure holding, nor an end the file lacks
/// (missing transactions).
fn balances_disagree(statement: &StatementInput) -> bool {
    let only_periods_missing = (!statement.missing_periods.is_empty()
        || !statement.incomplete.is_empty())
        && statement.chain_breaks.is_empty()
        && statement.summary_mismatches.is_empty();
    match statement.checked_against {
        CheckedAgainst::BalanceChain => !statement.reconciled && !only_periods_missing,
        CheckedAgainst::PrintedTotals | CheckedAgainst::Nothing => {
            !statement.summary_mismatches.is_empty()
        }
    }
}

fn validation_codes(
    account: &AccountInput,
    transactions: &[EnrichedTransaction],
    merge: &MergeReport,
    any_breaks: bool,
) -> Vec<&'static str> {
    let mut codes = Vec::new();
    // A file that lacks its statement's end misses the rows after the last one read, whether
    // or not the printed period names the days.
    if !merge.missing_data.is_empty() || account.statements.iter().any(|s| !s.incomplete.is_empty())
    {
        codes.push("MISSING_TRANSACTIONS");
    }
    if any_breaks || account.statements.iter().any(balances_disagree) {
        codes.push("BALANCE_MISMATCH");
    }
    if account
        .account_number
        .as_deref()
        .is_none_or(|number| number.trim().is_empty())
    {
        codes.push("NULL_ACCOUNT_NUMBER");
    }
    if let (Some(first), Some(last)) = (transactions.first(), transactions.last()) {
        let from = account.statements.iter().filter_map(|s| s.from_date).min();
        let to = account.statements.iter().filter_map(|s| s.to_date).max();
        let covered_from = from.unwrap_or(first.transaction.date.date());
        let covered_to = to.unwrap_or(last.transaction.date.date());
        if covered_from.day() != 1 || covered_to.succ_opt().is_some_and(|next| next.day() != 1) {
            codes.push("INCOMPLETE_MONTHS");
        }
        if from.is_some_and(|from| first.transaction.date.date() > from + chrono::Duration::days(7))
            || to.is_some_and(|to| last.transaction.date.date() + chrono::Duration::days(7) < to)
        {
            codes.push("INCOMPLETE_DATES_UPLOAD");
        }
    }
    codes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::txn;
    use crate::{enrich, EnrichmentContext};
    use ledgerlens_pdf::DocumentMetadata;
    use ledgerlens_statement::model::ChainBreak;

    fn date(day: u8) -> PdfDate {
        PdfDate {
            year: 2024,
            month: 5,
            day,
            hour: 10,
            minute: 0,
            second: 0,
            utc_offset_minutes: 330,
        }
    }

    fn statement(producer: &str, modified_day: u8, breaks: Vec<ChainBreak>) -> StatementInput {
        StatementInput {
            statement_id: "s1".into(),
            transactions: vec![txn("2024-04-02", "credit", 100, 100, "NEFT-N1234567-ORBIT")],
            metadata: Some(DocumentMetadata {
                producer: Some(producer.into()),
                creation_date: Some(date(1)),
                modification_date: Some(date(modified_day)),
                ..DocumentMetadata::default()
            }),
            reconciled: breaks.is_empty(),
            chain_breaks: breaks,
            ..StatementInput::default()
        }
    }

    fn assess_one(statement: StatementInput) -> FraudReport {
        let account = AccountInput {
            account_number: Some("1".into()),
            statements: vec![statement],
            ..AccountInput::default()
        };
        enrich(&account, &EnrichmentContext::default()).fraud
    }

    fn chain_break(row: usize, expected: i64, printed: i64) -> ChainBreak {
        ChainBreak {
            row,
            hash: format!("h{row}"),
            expected_balance: Decimal::new(expected, 2),
            printed_balance: Decimal::new(printed, 2),
        }
    }

    fn rules(entries: &[FraudEntry]) -> Vec<(&'static str, &'static str)> {
        entries
            .iter()
            .map(|entry| (entry.fraud_type, entry.rule))
            .collect()
    }

    #[test]
    fn print_to_pdf_resave_is_author_fraud() {
        let report = assess_one(statement("Microsoft: Print To PDF", 1, Vec::new()));
        assert_eq!(rules(&report.fraud), [("author_fraud", "resave_tool")]);
        assert!(report.flags["author_fraud"]);
        assert_eq!(report.statements["s1"], (true, Some("author_fraud")));
    }

    #[test]
    fn editor_alone_is_a_warning() {
        let report = assess_one(statement("iLovePDF", 1, Vec::new()));
        assert!(report.fraud.is_empty());
        assert_eq!(
            rules(&report.warnings),
            [("author_fraud", "editor_uncorroborated")]
        );
        assert!(!report.flags["author_fraud"]);
        assert_eq!(report.statements["s1"], (false, None));
    }

    #[test]
    fn a_rewriting_program_is_a_warning_and_no_evidence_for_a_break() {
        let report = assess_one(statement("GPL Ghostscript 10.00.0", 1, Vec::new()));
        assert!(report.fraud.is_empty());
        assert_eq!(
            rules(&report.warnings),
            [("author_fraud", "rewritten_by_program")]
        );
        // A break in a re-distilled file is judged as in the bank's own: a reading problem.
        let broken = assess_one(statement(
            "cairo 1.16.0 (https://cairographics.org)",
            1,
            vec![chain_break(0, 100_000, 193_745)],
        ));
        assert!(broken.fraud.is_empty(), "{:?}", broken.fraud);
        assert!(rules(&broken.warnings)
            .contains(&("unexplained_chain_break", "chain_break_unexplained")));
        // An editor named in Creator is judged as one whichever program wrote the file.
        let mut edited = statement("GPL Ghostscript 10.00.0", 20, Vec::new());
        if let Some(metadata) = edited.metadata.as_mut() {
            metadata.creator = Some("iLovePDF".into());
        }
        let edited = assess_one(edited);
        assert!(rules(&edited.fraud).contains(&("author_fraud", "editor_and_late_modification")));
    }

    #[test]
    fn date_only_modification_is_fraud_not_just_a_detail() {
        let report = assess_one(statement("Bank statement generator 4.2", 20, Vec::new()));
        assert_eq!(rules(&report.fraud), [("date_fraud", "late_modification")]);
        assert!(report.warnings.is_empty());
        assert!(report.flags["date_fraud"]);
    }

    #[test]
    fn editor_and_late_moddate_is_fraud() {
        let report = assess_one(statement("iLovePDF", 20, Vec::new()));
        assert_eq!(
            rules(&report.fraud),
            [
                ("author_fraud", "editor_and_late_modification"),
                ("date_fraud", "editor_and_late_modification")
            ]
        );
        assert!(report.flags["author_fraud"]);
    }

    #[test]
    fn unexplained_chain_break_is_a_parse_warning() {
        // 1,000.00 expected, 1,937.45 printed: no digit edit, no document evidence.
        let report = assess_one(statement(
            "iText",
            1,
            vec![chain_break(0, 100_000, 193_745)],
        ));
        assert!(report.fraud.is_empty(), "{:?}", report.fraud);
        assert_eq!(
            rules(&report.warnings),
            [("unexplained_chain_break", "chain_break_unexplained")]
        );
        assert_eq!(report.warnings[0].transaction_hash.as_deref(), Some("h0"));
        assert!(!report.flags["inconsistent_transaction"]);
        assert!(report.validation_codes.contains(&"BALANCE_MISMATCH"));
    }

    #[test]
    fn chain_break_beside_an_editor_name_alone_is_two_warnings() {
        // A borrower unlocked the file with iLovePDF and the engine misread a row: neither
        // promotes the other.
        let report = assess_one(statement(
            "iLovePDF",
            1,
            vec![chain_break(0, 100_000, 193_745)],
        ));
        assert!(report.fraud.is_empty(), "{:?}", report.fraud);
        assert_eq!(
            rules(&report.warnings),
            [
                ("author_fraud", "editor_uncorroborated"),
                ("unexplained_chain_break", "chain_break_unexplained")
            ]
        );
        assert!(report.warnings[1]
            .evidence
            .contains("a PDF tool named in the metadata only"));
        assert!(!report.flags["inconsistent_transaction"]);
        assert!(!report.flags["author_fraud"]);
        // An appended revision that does not sign, alone, is no more.
        let report = assess_one(signed(
            statement("iText", 1, vec![chain_break(0, 100_000, 193_745)]),
            1,
            0,
        ));
        assert!(report.fraud.is_empty(), "{:?}", report.fraud);
        // Evidence that is fraud on its own (the editor and a late ModDate) corroborates it.
        let report = assess_one(statement(
            "iLovePDF",
            20,
            vec![chain_break(0, 100_000, 193_745)],
        ));
        assert!(rules(&report.fraud).contains(&(
            "inconsistent_transaction",
            "chain_break_with_document_evidence"
        )));
        assert!(report.flags["inconsistent_transaction"]);
    }

    #[test]
    fn a_creation_date_before_the_rows_is_not_the_rendering_date() {
        // A template's CreationDate, months before the statement's rows: the late ModDate is
        // the rendering's, a warning; the same gap after the rows is still fraud.
        let mut input = statement("Oracle BI Publisher 12.2.1.4.0", 20, Vec::new());
        input.transactions = vec![txn("2024-06-02", "credit", 100, 100, "NEFT-N1-ORBIT")];
        let report = assess_one(input);
        assert!(report.fraud.is_empty(), "{:?}", report.fraud);
        assert_eq!(
            rules(&report.warnings),
            [("date_fraud", "creation_date_before_rows")]
        );
        assert!(!report.flags["date_fraud"]);
        let report = assess_one(statement("Oracle BI Publisher 12.2.1.4.0", 20, Vec::new()));
        assert_eq!(rules(&report.fraud), [("date_fraud", "late_modification")]);
    }

    #[test]
    fn chain_break_with_an_editor_among_unsure_readings_is_a_warning() {
        let mut input = statement("iLovePDF", 1, vec![chain_break(0, 100_000, 193_745)]);
        input.parse_warnings = vec!["a balance's sign was settled by the chain".into()];
        let report = assess_one(input);
        assert!(report.fraud.is_empty(), "{:?}", report.fraud);
        assert_eq!(
            rules(&report.warnings),
            [
                ("author_fraud", "editor_uncorroborated"),
                ("unexplained_chain_break", "chain_break_unexplained")
            ]
        );
        assert!(!report.flags["inconsistent_transaction"]);
        // Evidence beyond the name still makes the same break fraud.
        let mut input = statement("iLovePDF", 20, vec![chain_break(0, 100_000, 193_745)]);
        input.parse_warnings = vec!["the file holds 3 statements of the account".into()];
        let report = assess_one(input);
        assert!(report
            .fraud
            .iter()
            .any(|e| e.rule == "chain_break_with_document_evidence"));
    }

    fn signed(mut input: StatementInput, updates: usize, signatures: usize) -> StatementInput {
        if let Some(metadata) = input.metadata.as_mut() {
            metadata.incremental_updates = updates;
            metadata.signature_updates = signatures;
            metadata.signing_times = metadata.modification_date.into_iter().collect();
        }
        input
    }

    #[test]
    fn revisions_that_only_sign_are_no_evidence_of_editing() {
        // PyPDF2 encrypting a ReportLab statement, then the bank's signature and its DSS.
        let report = assess_one(signed(statement("PyPDF2", 1, Vec::new()), 2, 2));
        assert!(report.fraud.is_empty(), "{:?}", report.fraud);
        assert_eq!(
            rules(&report.warnings),
            [("author_fraud", "editor_uncorroborated")]
        );
        // A break among readings the engine warned about stays a reading problem.
        let mut input = signed(
            statement("iText", 1, vec![chain_break(0, 100_000, 193_745)]),
            3,
            3,
        );
        input.parse_warnings = vec!["a balance's sign was settled by the chain".into()];
        let report = assess_one(input);
        assert!(report.fraud.is_empty(), "{:?}", report.fraud);
        assert_eq!(
            rules(&report.warnings),
            [("unexplained_chain_break", "chain_break_unexplained")]
        );
        // A revision that does not sign, dated a day after the file was written, still
        // corroborates an editor.
        let report = assess_one(signed(statement("PyPDF2", 2, Vec::new()), 2, 1));
        assert!(rules(&report.fraud).contains(&("author_fraud", "editor_and_incremental_update")));
    }

    #[test]
    fn late_moddate_at_the_signing_time_is_a_warning() {
        let report = assess_one(signed(statement("iText", 20, Vec::new()), 1, 1));
        assert!(report.fraud.is_empty(), "{:?}", report.fraud);
        assert_eq!(
            rules(&report.warnings),
            [("date_fraud", "modified_when_signed")]
        );
        assert!(!report.flags["date_fraud"]);
        // The same signing time written without its zone (read as UTC) still matches.
        let mut input = signed(statement("iText", 20, Vec::new()), 1, 1);
        if let Some(metadata) = input.metadata.as_mut() {
            metadata.signing_times[0].utc_offset_minutes = 0;
        }
        assert!(assess_one(input).fraud.is_empty());
        // Something appended after the signature: the ModDate is that edit's.
        let report = assess_one(signed(statement("iText", 20, Vec::new()), 2, 1));
        assert!(rules(&report.fraud).contains(&("date_fraud", "late_modification")));
        // A signature made at another time does not explain the ModDate.
        let mut input = signed(statement("iText", 20, Vec::new()), 1, 1);
        if let Some(metadata) = input.metadata.as_mut() {
            metadata.signing_times = vec![date(2)];
        }
        let report = assess_one(input);
        assert_eq!(rules(&report.fraud), [("date_fraud", "late_modification")]);
    }

    /// Row 1's balance edited from 54,512.30 to 84,512.30; row 2 continues from the original.
    fn edited_balance_statement() -> StatementInput {
        let mut input = statement(
            "iText",
            1,
            vec![
                chain_break(1, 5_451_230, 8_451_230),
                chain_break(2, 8_201_230, 5_201_230),
            ],
        );
        input.transactions = vec![
            txn("2024-04-02", "credit", 60000, 60000, "A"),
            txn("2024-04-03", "debit", 5488, 84512, "B"),
            txn("2024-04-04", "debit", 2500, 52012, "C"),
        ];
        input
    }

    #[test]
    fn edited_balance_is_fraud_on_its_own() {
        let input = edited_balance_statement();
        let report = assess_one(input);
        assert_eq!(
            rules(&report.fraud),
            [
                ("inconsistent_transaction", "edited_balance"),
                ("inconsistent_transaction", "edited_balance")
            ]
        );
    }

    #[test]
    fn edit_shaped_break_among_unsure_readings_is_a_warning() {
        let mut input = edited_balance_statement();
        input.parse_warnings = vec!["a balance's sign was settled by the chain".into()];
        let report = assess_one(input);
        assert!(report.fraud.is_empty(), "{:?}", report.fraud);
        assert_eq!(report.warnings.len(), 2);
        assert!(report.warnings[0].evidence.contains("unsure of 1 reading"));
    }

    #[test]
    fn edit_shaped_break_away_from_the_rows_warned_about_is_fraud() {
        use ledgerlens_statement::model::WarningRows;
        let warning =
            "a row on page 3 repeats the row before it with the same balance and was read once";
        let mut input = edited_balance_statement();
        input.transactions.extend(
            (5..=12).map(|day| txn(&format!("2024-04-{day:02}"), "debit", 100, 51912, "D")),
        );
        input.parse_warnings = vec![warning.into()];
        // The warning names rows 8-9: the edit at rows 1-2 is away from it.
        input.parse_warning_rows = vec![WarningRows::rows(warning, 8, 9)];
        let report = assess_one(input.clone());
        assert_eq!(
            rules(&report.fraud),
            [
                ("inconsistent_transaction", "edited_balance"),
                ("inconsistent_transaction", "edited_balance")
            ]
        );
        assert!(report.fraud[0].evidence.contains("each of other rows"));
        // Rows 2-3: beside the edit's second row, so the pair is a reading problem.
        input.parse_warning_rows = vec![WarningRows::rows(warning, 3, 3)];
        let report = assess_one(input.clone());
        assert!(report.fraud.is_empty(), "{:?}", report.fraud);
        // A warning about no row's figures (a narration line's attachment) blocks nothing.
        input.parse_warning_rows = vec![WarningRows::no_figures(warning)];
        assert_eq!(assess_one(input.clone()).fraud.len(), 2);
        // A second warning naming no rows may concern any row: nothing is trusted.
        input
            .parse_warnings
            .push("a balance's sign was settled by the chain".into());
        let report = assess_one(input);
        assert!(report.fraud.is_empty(), "{:?}", report.fraud);
    }

    #[test]
    fn an_edit_in_one_of_merged_statements_keeps_its_shape() {
        // Monthly statements joined into one file: the engine notes the join, which is no
        // reading it is unsure of, so the edited balance in one month is still fraud.
        let mut input = edited_balance_statement();
        input.parse_warnings = vec![
            "the file holds 3 statements of the account, each with its own period and printed figures: read as one statement in date order".into(),
        ];
        let report = assess_one(input.clone());
        assert_eq!(
            rules(&report.fraud),
            [
                ("inconsistent_transaction", "edited_balance"),
                ("inconsistent_transaction", "edited_balance")
            ]
        );
        // Beside a reading the engine is unsure of, the same break is a warning.
        input
            .parse_warnings
            .push("a balance's sign was settled by the chain".into());
        let report = assess_one(input);
        assert!(report.fraud.is_empty(), "{:?}", report.fraud);
    }

    #[test]
    fn digit_edits_and_readings_are_told_apart() {
        let d = |units: i64| Decimal::new(units, 2);
        assert!(digit_edit(d(5_451_230), d(8_451_230)), "one digit changed");
        assert!(
            digit_edit(d(9_543_210), d(10_543_210)),
            "round amount with carry"
        );
        assert!(!digit_edit(d(1_234_567), d(234_567)), "leading digit lost");
        assert!(!digit_edit(d(1_234_567), d(123_456)), "trailing digit lost");
        assert!(
            !digit_edit(d(22_186_832), Decimal::new(2_218_683, 1)),
            "last paisa digit lost: 221868.3 read for 221868.32"
        );
        assert!(
            digit_edit(d(22_186_832), Decimal::new(2_218_693, 1)),
            "a changed digit is an edit whatever the decimals read"
        );
        assert!(
            digit_edit(d(517_143), d(4_517_143)),
            "a digit typed in front"
        );
        assert!(!digit_edit(d(1_234_567), d(-1_234_567)), "sign");
        assert!(
            digit_edit(d(-1_234_567), d(1_765_433)),
            "an overdraft of 12,345.67 typed up by 30,000 across zero"
        );
        assert!(
            !digit_edit(d(-1_234_567), d(1_234_500)),
            "the other sign and a figure that is no round amount away"
        );
        assert!(!digit_edit(d(1_234_567), d(9_876_543)), "another figure");
        assert!(
            digit_edit(d(199_999_900), d(200_999_900)),
            "a round amount whose carry changed three digits"
        );
    }

    #[test]
    fn per_page_font_copies_are_fraud_and_shared_fonts_are_not() {
        let page = |extra: &str| vec!["ArialMT#7".to_string(), extra.to_string()];
        let overlaid = vec![
            page("Helvetica#31"),
            page("Helvetica#35"),
            page("Helvetica#39"),
        ];
        assert_eq!(
            per_page_font_copies(&overlaid).as_deref(),
            Some("Helvetica")
        );
        let shared = vec![
            page("Helvetica#9"),
            page("Helvetica#9"),
            page("Helvetica#9"),
        ];
        assert_eq!(per_page_font_copies(&shared), None);
        // A generator that writes every font per page is not an overlay.
        let per_page = vec![
            vec!["ArialMT#7".to_string()],
            vec!["ArialMT#17".to_string()],
        ];
        assert_eq!(per_page_font_copies(&per_page), None);
        let mut input = statement("PyPDF2", 1, Vec::new());
        input.table_fonts = overlaid.clone();
        let report = assess_one(input);
        assert!(rules(&report.fraud).contains(&("font_inconsistency", "per_page_font_copies")));
        assert!(rules(&report.fraud).contains(&("author_fraud", "editor_and_font_structure")));
        // Alone (a bank's mailer stamps its pages through the same overlays): a warning.
        let mut input = statement("iText", 1, Vec::new());
        input.table_fonts = overlaid;
        let report = assess_one(input);
        assert!(report.fraud.is_empty(), "{:?}", report.fraud);
        assert_eq!(
            rules(&report.warnings),
            [("font_inconsistency", "per_page_font_copies_alone")]
        );
        // A stamper's revision the bank then signed over (a day after writing the file) is
        // no later change; appended after the signature, it is.
        let mut input = signed(statement("iText", 2, Vec::new()), 2, 1);
        input.table_fonts = per_page_stamped();
        if let Some(metadata) = input.metadata.as_mut() {
            metadata.updates_signed_over = 1;
        }
        assert!(assess_one(input).fraud.is_empty());
        let mut input = signed(statement("iText", 2, Vec::new()), 2, 1);
        input.table_fonts = per_page_stamped();
        assert!(rules(&assess_one(input).fraud)
            .contains(&("font_inconsistency", "per_page_font_copies")));
        // Subsets of one typeface on every page are no copies of one font.
        let subsets = vec![
            vec!["ArialMT#7".to_string(), "AAAAAB+DejaVuSans#31".to_string()],
            vec!["ArialMT#7".to_string(), "AAAAAC+DejaVuSans#35".to_string()],
            vec!["ArialMT#7".to_string(), "AAAAAD+DejaVuSans#39".to_string()],
        ];
        assert_eq!(per_page_font_copies(&subsets), None);
        assert_eq!(font_only_on_one_middle_page(&subsets), None);
    }

    #[test]
    fn a_revision_appended_when_the_file_was_written_is_no_later_change() {
        // ModDate (the appended revision's) 20 minutes after CreationDate.
        let mut input = statement("PyPDF2", 1, Vec::new());
        input.table_fonts = per_page_stamped();
        if let Some(metadata) = input.metadata.as_mut() {
            metadata.incremental_updates = 1;
            metadata.modification_date = Some(PdfDate {
                minute: 20,
                ..date(1)
            });
        }
        let report = assess_one(input.clone());
        assert!(rules(&report.warnings).contains(&("incremental_update", "appended_when_written")));
        assert!(!rules(&report.fraud)
            .contains(&("incremental_update", "editor_and_incremental_update")));
        // The editor's per-page fonts still are fraud (the editor corroborates them).
        assert!(rules(&report.fraud).contains(&("font_inconsistency", "per_page_font_copies")));
        // A ModDate written without its zone (India's clock read as UTC) beside a
        // CreationDate written in UTC: the same run.
        let mut zoneless = input.clone();
        if let Some(metadata) = zoneless.metadata.as_mut() {
            metadata.creation_date = Some(PdfDate {
                hour: 4,
                minute: 30,
                utc_offset_minutes: 0,
                ..date(1)
            });
            metadata.modification_date = Some(PdfDate {
                minute: 20,
                utc_offset_minutes: 0,
                ..date(1)
            });
        }
        assert!(rules(&assess_one(zoneless).warnings)
            .contains(&("incremental_update", "appended_when_written")));
        // Appended a day later: a later change.
        if let Some(metadata) = input.metadata.as_mut() {
            metadata.modification_date = Some(date(2));
        }
        let report = assess_one(input);
        assert!(
            rules(&report.fraud).contains(&("incremental_update", "editor_and_incremental_update"))
        );
    }

    #[test]
    fn a_revision_appended_to_a_file_with_a_template_creation_date_is_undated() {
        // CreationDate years before the rows (a template's), ModDate the rendering and the
        // revision it appended: nothing says the revision came later than the writing.
        let mut input = statement("Statement Generator", 1, Vec::new());
        input.table_fonts = per_page_stamped();
        if let Some(metadata) = input.metadata.as_mut() {
            metadata.incremental_updates = 1;
            metadata.creation_date = Some(PdfDate {
                year: 2019,
                ..date(1)
            });
        }
        let report = assess_one(input.clone());
        assert!(report.fraud.is_empty(), "{:?}", rules(&report.fraud));
        let warned = rules(&report.warnings);
        assert!(warned.contains(&("incremental_update", "appended_creation_date_unknown")));
        assert!(warned.contains(&("font_inconsistency", "per_page_font_copies_alone")));
        // With a CreationDate that is the rendering's, the revision a day later is a change.
        if let Some(metadata) = input.metadata.as_mut() {
            metadata.creation_date = Some(date(1));
            metadata.modification_date = Some(date(2));
        }
        let report = assess_one(input);
        assert!(rules(&report.fraud).contains(&("font_inconsistency", "per_page_font_copies")));
    }

    #[test]
    fn a_late_moddate_written_by_a_viewers_resave_is_a_warning() {
        // Preview (PDFKit through Quartz) saved the bank's file 20 days later: it names itself
        // in Producer and dates ModDate the save; nothing was appended.
        let input = statement(
            "macOS Version 14.4.1 (Build 23E224) Quartz PDFContext",
            21,
            Vec::new(),
        );
        let report = assess_one(input.clone());
        assert!(report.fraud.is_empty(), "{:?}", rules(&report.fraud));
        assert!(rules(&report.warnings).contains(&("date_fraud", "late_modification_by_rewrite")));
        // The same late ModDate from the bank's own producer is a date-only modification.
        let report = assess_one(statement("Statement Generator", 21, Vec::new()));
        assert!(rules(&report.fraud).contains(&("date_fraud", "late_modification")));
        // An edit-shaped break in the re-saved file is fraud by its shape.
        let mut edited = input;
        // Row 1 printed 84,512.30 instead of 54,512.30; row 2 continues from the latter.
        edited.transactions = vec![
            txn("2024-04-02", "credit", 60000, 60000, "A"),
            txn("2024-04-03", "debit", 5488, 84512, "B"),
            txn("2024-04-04", "debit", 2500, 52012, "C"),
        ];
        edited.chain_breaks = vec![
            chain_break(1, 5_451_230, 8_451_230),
            chain_break(2, 8_201_230, 5_201_230),
        ];
        edited.reconciled = false;
        let report = assess_one(edited);
        assert!(
            rules(&report.fraud).contains(&("inconsistent_transaction", "edited_balance")),
            "{:?}",
            rules(&report.fraud)
        );
    }

    fn per_page_stamped() -> Vec<Vec<String>> {
        (0..3)
            .map(|page| vec!["ArialMT#7".to_string(), format!("Helvetica#{}", 31 + page)])
            .collect()
    }

    #[test]
    fn a_mergers_name_does_not_corroborate_the_font_structure_of_joined_files() {
        // Two monthly statements, each stamped page by page by the bank's mailer, joined by
        // a merger: each part shares its own ArialMT.
        let pages: Vec<Vec<String>> = [7, 7, 40, 40]
            .iter()
            .enumerate()
            .map(|(page, arial)| {
                vec![
                    format!("ArialMT#{arial}"),
                    format!("Helvetica#{}", 90 + page),
                ]
            })
            .collect();
        assert!(joined_files(&pages));
        assert!(!joined_files(&per_page_stamped()));
        let mut input = statement("SAMBox 3.0.7 (www.sejda.org)", 1, Vec::new());
        input.table_fonts = pages;
        let report = assess_one(input);
        assert!(report.fraud.is_empty(), "{:?}", report.fraud);
        assert!(
            rules(&report.warnings).contains(&("font_inconsistency", "per_page_font_copies_alone"))
        );
    }

    #[test]
    fn a_typeface_on_one_page_needs_a_later_change() {
        let pages = vec![
            vec!["ABCDEF+Arial#5".to_string()],
            vec!["GHIJKL+Arial#9".to_string(), "ZapfDingbats#12".to_string()],
            vec!["MNOPQR+Arial#14".to_string()],
        ];
        assert_eq!(
            font_only_on_one_middle_page(&pages).as_deref(),
            Some("ZapfDingbats")
        );
        assert_eq!(typeface("ABCDEF+Arial-BoldMT"), "Arial-BoldMT");
        assert_eq!(typeface("Arial+Bold"), "Arial+Bold");
        // An unlocking tool's name does not make it fraud; a late ModDate does.
        let mut input = statement("iLovePDF", 1, Vec::new());
        input.table_fonts = pages.clone();
        let report = assess_one(input);
        assert!(report.fraud.is_empty(), "{:?}", report.fraud);
        let mut input = statement("iLovePDF", 20, Vec::new());
        input.table_fonts = pages;
        let report = assess_one(input);
        assert!(rules(&report.fraud).contains(&(
            "font_inconsistency",
            "font_on_one_page_with_document_evidence"
        )));
    }

    #[test]
    fn a_revision_in_a_file_that_writes_no_moddate_is_undated() {
        // No ModDate (a pipeline writing no dates, or no document information at all), a
        // revision appended and a mailer's stamp: nothing dates the revision as later.
        let mut input = statement("", 1, Vec::new());
        input.table_fonts = per_page_stamped();
        if let Some(metadata) = input.metadata.as_mut() {
            metadata.producer = None;
            metadata.creation_date = None;
            metadata.modification_date = None;
            metadata.incremental_updates = 1;
        }
        let report = assess_one(input.clone());
        assert!(report.fraud.is_empty(), "{:?}", rules(&report.fraud));
        let warned = rules(&report.warnings);
        assert!(warned.contains(&("incremental_update", "appended_creation_date_unknown")));
        assert!(warned.contains(&("font_inconsistency", "per_page_font_copies_alone")));
        // An editor named beside the revision is still judged as an editor's.
        if let Some(metadata) = input.metadata.as_mut() {
            metadata.producer = Some("Foxit PDF Editor 12.1".into());
        }
        let report = assess_one(input);
        assert!(rules(&report.fraud).contains(&("author_fraud", "editor_and_incremental_update")));
    }

    #[test]
    fn a_moddate_years_later_is_the_bank_writing_again_only_where_a_library_is_named() {
        let years_later = |producer: &str| {
            let mut input = statement(producer, 1, Vec::new());
            if let Some(metadata) = input.metadata.as_mut() {
                metadata.modification_date = Some(PdfDate {
                    year: 2026,
                    ..date(3)
                });
            }
            input
        };
        // The bank's own producer, nothing naming what wrote the late ModDate: a date-only
        // modification, however late.
        let report = assess_one(years_later("Statement Generator"));
        assert_eq!(rules(&report.fraud), [("date_fraud", "late_modification")]);
        // The library's modifying step recorded in Producer.
        let report = assess_one(years_later("iText 5.5.13.2; modified using iText 5.5.13.2"));
        assert!(report.fraud.is_empty(), "{:?}", rules(&report.fraud));
        // A PDF library a bank's pipeline encrypts with stays a warning of its own; a printer
        // driver's re-save is fraud on its own; a revision appended is a later change.
        let report = assess_one(years_later("PyPDF2"));
        assert!(report.fraud.is_empty(), "{:?}", rules(&report.fraud));
        assert_eq!(
            rules(&report.warnings),
            [
                ("author_fraud", "editor_uncorroborated"),
                ("date_fraud", "modified_a_year_later")
            ]
        );
        let report = assess_one(years_later("Microsoft: Print To PDF"));
        assert!(rules(&report.fraud).contains(&("author_fraud", "resave_tool")));
        let mut appended = years_later("Statement Generator");
        if let Some(metadata) = appended.metadata.as_mut() {
            metadata.incremental_updates = 1;
        }
        let report = assess_one(appended);
        assert!(rules(&report.fraud).contains(&("date_fraud", "late_modification")));
        // Weeks later is a date-only modification, fraud.
        let report = assess_one(statement("Statement Generator", 31, Vec::new()));
        assert_eq!(rules(&report.fraud), [("date_fraud", "late_modification")]);
    }

    #[test]
    fn printed_summary_gap_is_evidence_not_fraud() {
        let mut input = statement("iText", 1, Vec::new());
        input.summary_mismatches = vec!["printed debit count 41, rows 40".into()];
        let report = assess_one(input);
        assert!(report.fraud.is_empty());
        assert_eq!(
            rules(&report.warnings),
            [("printed_summary_mismatch", "printed_summary_gap")]
        );
    }

    #[test]
    fn a_printed_summary_gap_and_a_later_save_corroborate_each_other() {
        // A credit raised and every later balance carried, then saved in Preview weeks later:
        // the chain holds, the bank's printed totals do not.
        let viewer = "macOS Version 14.4.1 (Build 23E224) Quartz PDFContext";
        let mut input = statement(viewer, 21, Vec::new());
        input.summary_mismatches =
            vec!["printed credit total 1,20,000.00, rows 1,50,000.00".into()];
        let report = assess_one(input.clone());
        assert_eq!(
            rules(&report.fraud),
            [(
                "inconsistent_transaction",
                "summary_gap_with_document_evidence"
            )]
        );
        assert!(report.flags["inconsistent_transaction"]);
        assert!(rules(&report.warnings).contains(&("date_fraud", "late_modification_by_rewrite")));
        // Either alone stays a warning.
        let report = assess_one(statement(viewer, 21, Vec::new()));
        assert!(report.fraud.is_empty(), "{:?}", rules(&report.fraud));
        let mut alone = statement("Statement Generator", 1, Vec::new());
        alone.summary_mismatches = input.summary_mismatches.clone();
        assert!(assess_one(alone).fraud.is_empty());
        // A reading the engine was unsure of may be the gap: no corroboration, whether the
        // warning names the rows or none at all.
        let mut unsure = input.clone();
        let warning = "row 3: amount read from a merged cell";
        unsure.parse_warnings = vec![warning.into()];
        let report = assess_one(unsure.clone());
        assert!(report.fraud.is_empty(), "{:?}", rules(&report.fraud));
        unsure.parse_warning_rows = vec![ledgerlens_statement::model::WarningRows::rows(
            warning, 3, 3,
        )];
        let report = assess_one(unsure.clone());
        assert!(report.fraud.is_empty(), "{:?}", rules(&report.fraud));
        // One the engine says concerns no row's figures (a narration line's attachment) leaves
        // the totals as read.
        unsure.parse_warning_rows = vec![ledgerlens_statement::model::WarningRows {
            warning: warning.into(),
            rows: None,
        }];
        let report = assess_one(unsure);
        assert_eq!(
            rules(&report.fraud),
            [(
                "inconsistent_transaction",
                "summary_gap_with_document_evidence"
            )]
        );
        // A CreationDate before the rows (a template's) says nothing of a later change.
        let mut template = statement("Statement Generator", 21, Vec::new());
        if let Some(metadata) = template.metadata.as_mut() {
            metadata.creation_date = Some(PdfDate {
                month: 3,
                ..date(1)
            });
        }
        template.summary_mismatches = input.summary_mismatches;
        let report = assess_one(template);
        assert!(
            !rules(&report.fraud).contains(&(
                "inconsistent_transaction",
                "summary_gap_with_document_evidence"
            )),
            "{:?}",
            rules(&report.fraud)
        );
    }

    #[test]
    fn text_typed_over_the_pages_with_font_copies_of_a_shared_face_is_an_overlay() {
        // PyPDF2 merged an overlay onto the last two pages: each types with a Helvetica of its
        // own beside the one every page shares; PyPDF2 writes no dates.
        let overlaid = || {
            vec![
                vec!["Helvetica#5".to_string(), "Helvetica-Bold#6".to_string()],
                vec![
                    "Helvetica#5".to_string(),
                    "Helvetica-Bold#6".to_string(),
                    "Helvetica#40".to_string(),
                ],
                vec![
                    "Helvetica#5".to_string(),
                    "Helvetica-Bold#6".to_string(),
                    "Helvetica#41".to_string(),
                ],
            ]
        };
        let mut input = statement("PyPDF2", 1, Vec::new());
        if let Some(metadata) = input.metadata.as_mut() {
            metadata.creation_date = None;
            metadata.modification_date = None;
        }
        input.table_fonts = overlaid();
        let report = assess_one(input.clone());
        assert_eq!(
            rules(&report.fraud),
            [
                ("author_fraud", "editor_and_font_structure"),
                ("font_inconsistency", "overlay_font_copies")
            ]
        );
        // The bank's own producer and nothing dated later (PyPDF2's writer given the bank's
        // document information): the copies on the last two pages and not the first are an
        // edit's span.
        let mut kept = statement("Statement Generator", 1, Vec::new());
        kept.table_fonts = overlaid();
        let report = assess_one(kept);
        assert_eq!(
            rules(&report.fraud),
            [("font_inconsistency", "overlay_on_some_pages_to_the_last")]
        );
        assert!(report.fraud[0]
            .evidence
            .contains("table pages 2\u{2013}3 of 3"));
        // A copy on every page (a mailer's stamp typing its line) or on the last page alone
        // (a signer's note): a warning. The first page (its summary) and the last retyped,
        // the page between left as the bank drew it: an edit's span.
        for (pages_with_copy, span_of_an_edit) in
            [(vec![0, 1, 2], false), (vec![2], false), (vec![0, 2], true)]
        {
            let mut alone = statement("Statement Generator", 1, Vec::new());
            alone.table_fonts = (0..3)
                .map(|page| {
                    let mut fonts = vec!["Helvetica#5".to_string()];
                    if pages_with_copy.contains(&page) {
                        fonts.push(format!("Helvetica#{}", 40 + page));
                    }
                    fonts
                })
                .collect();
            let report = assess_one(alone);
            let (decided, expected) = if span_of_an_edit {
                (&report.fraud, "overlay_on_some_pages_to_the_last")
            } else {
                (&report.warnings, "overlay_font_copies_alone")
            };
            assert_eq!(
                rules(decided),
                [("font_inconsistency", expected)],
                "{pages_with_copy:?}: fraud {:?}",
                rules(&report.fraud)
            );
        }
        // A text box typed on one page and saved in a viewer weeks later.
        let mut boxed = statement(
            "macOS Version 14.4.1 (Build 23E224) Quartz PDFContext",
            21,
            Vec::new(),
        );
        boxed.table_fonts = vec![
            vec!["Helvetica#5".to_string()],
            vec!["Helvetica#5".to_string(), "Helvetica#40".to_string()],
        ];
        let report = assess_one(boxed);
        assert_eq!(
            rules(&report.fraud),
            [("font_inconsistency", "overlay_font_copies")]
        );
        // Monthly files joined by a merger keep one copy per part, never two on a page: the
        // merger's name corroborates nothing.
        let mut merged = statement("PyPDF2", 1, Vec::new());
        merged.table_fonts = vec![
            vec!["Helvetica#5".to_string()],
            vec!["Helvetica#5".to_string()],
            vec!["Helvetica#9".to_string()],
            vec!["Helvetica#9".to_string()],
        ];
        let report = assess_one(merged);
        assert!(report.fraud.is_empty(), "{:?}", rules(&report.fraud));
    }

    #[test]
    fn a_late_moddate_a_library_step_records_is_a_warning() {
        // The bank's download step encrypting the stored statement with iText weeks later.
        let stamped = "iText 5.5.13.2 (AGPL-version); modified using iText 5.5.13.2 (AGPL-version)";
        let report = assess_one(statement(stamped, 20, Vec::new()));
        assert!(report.fraud.is_empty(), "{:?}", rules(&report.fraud));
        assert_eq!(
            rules(&report.warnings),
            [("date_fraud", "modified_by_library_step")]
        );
        // The engine's own producer with the same ModDate is a date-only modification.
        let report = assess_one(statement("iText 5.5.13.2 (AGPL-version)", 20, Vec::new()));
        assert_eq!(rules(&report.fraud), [("date_fraud", "late_modification")]);
    }

    #[test]
    fn a_rewriting_program_named_without_a_later_date_corroborates_no_summary_gap() {
        // Some banks write their statements through Ghostscript: a misread summary beside its
        // name, with nothing dated later, is two warnings.
        let mut input = statement("GPL Ghostscript 9.56.1", 1, Vec::new());
        input.summary_mismatches = vec!["printed debit count 41, rows 40".into()];
        let report = assess_one(input);
        assert!(report.fraud.is_empty(), "{:?}", rules(&report.fraud));
        assert!(
            rules(&report.warnings).contains(&("printed_summary_mismatch", "printed_summary_gap"))
        );
        // A viewer's save a day after the writing (no late ModDate yet) is a later save.
        let mut saved = statement(
            "macOS Version 14.4.1 (Build 23E224) Quartz PDFContext",
            2,
            Vec::new(),
        );
        saved.summary_mismatches = vec!["printed debit count 41, rows 40".into()];
        let report = assess_one(saved);
        assert_eq!(
            rules(&report.fraud),
            [(
                "inconsistent_transaction",
                "summary_gap_with_document_evidence"
            )]
        );
    }

    /// Six chained rows on one page whose figures' fonts are `fonts` ((amount, balance) per
    /// row), in a file from `producer` modified on `modified_day`.
    fn typed(producer: &str, modified_day: u8, fonts: &[(u64, u64)]) -> StatementInput {
        let mut input = statement(producer, modified_day, Vec::new());
        input.transactions = (0..fonts.len())
            .map(|row| {
                let day = format!("2024-04-{:02}", row + 2);
                let balance = 10_000 + 1_000 * (row as i64 + 1);
                txn(&day, "credit", 1_000, balance, &format!("ROW {row}"))
            })
            .collect();
        input.figure_fonts = fonts
            .iter()
            .map(
                |&(amount, balance)| ledgerlens_statement::model::FigureFonts {
                    amount: Some(amount),
                    balance: Some(balance),
                },
            )
            .collect();
        input
    }

    #[test]
    fn a_figure_retyped_in_another_font_with_its_balances_carried_is_fraud() {
        // Row 3's amount raised and typed in the editor's face, the balances after it carried
        // and typed in it too, their amounts left as the bank typed them.
        let fonts = [(1, 1), (1, 1), (1, 1), (2, 2), (1, 2), (1, 2)];
        let report = assess_one(typed("Statement Generator", 1, &fonts));
        assert_eq!(
            rules(&report.fraud),
            [("font_inconsistency", "figures_retyped_carrying_balances")]
        );
        assert_eq!(
            report.fraud[0].transaction_hash.as_deref(),
            Some("2024-04-05-ROW 3-1000")
        );
        // The same edit on the last row carries nothing: fraud beside a viewer's later save,
        // a warning alone.
        let last = [(1, 1), (1, 1), (1, 1), (1, 1), (1, 1), (2, 2)];
        let viewer = "macOS Version 14.4.1 (Build 23E224) Quartz PDFContext";
        let report = assess_one(typed(viewer, 21, &last));
        assert!(
            rules(&report.fraud).contains(&(
                "font_inconsistency",
                "figures_retyped_with_document_evidence"
            )),
            "{:?}",
            rules(&report.fraud)
        );
        let report = assess_one(typed("Statement Generator", 1, &last));
        assert!(report.fraud.is_empty(), "{:?}", rules(&report.fraud));
        assert!(rules(&report.warnings).contains(&("font_inconsistency", "figures_retyped_alone")));
        // The edited row alone on the last page: judged against the program the other pages
        // share, not against its own page's only amount.
        let mut alone = typed(viewer, 21, &last);
        for (row, txn) in alone.transactions.iter_mut().enumerate() {
            txn.page = 1 + row / 3 + usize::from(row == 5);
        }
        let report = assess_one(alone);
        assert!(
            rules(&report.fraud).contains(&(
                "font_inconsistency",
                "figures_retyped_with_document_evidence"
            )),
            "{:?}",
            rules(&report.fraud)
        );
    }

    #[test]
    fn figures_in_a_face_of_their_own_by_the_banks_habit_are_no_edit() {
        let viewer = "macOS Version 14.4.1 (Build 23E224) Quartz PDFContext";
        for fonts in [
            // Balances printed in a face of their own (bold) on every row.
            [(1, 2), (1, 2), (1, 2), (1, 2), (1, 2), (1, 2)],
            // A statement joined from another producer's file: amounts retyped as well.
            [(1, 1), (1, 1), (1, 1), (2, 2), (2, 2), (2, 2)],
            // A bold closing balance: no amount retyped.
            [(1, 1), (1, 1), (1, 1), (1, 1), (1, 1), (1, 2)],
            // Credits in bold, here and there.
            [(1, 1), (2, 1), (1, 1), (2, 1), (1, 1), (1, 1)],
        ] {
            let report = assess_one(typed(viewer, 21, &fonts));
            let all: Vec<_> = rules(&report.fraud)
                .into_iter()
                .chain(rules(&report.warnings))
                .collect();
            assert!(
                !all.iter()
                    .any(|(_, rule)| rule.starts_with("figures_retyped")),
                "{fonts:?}: {all:?}"
            );
        }
        // A producer subsetting per page: each page's figures through a program of its own.
        let mut per_page = typed(
            viewer,
            21,
            &[(1, 1), (1, 1), (2, 2), (2, 2), (3, 3), (3, 3)],
        );
        for (row, txn) in per_page.transactions.iter_mut().enumerate() {
            txn.page = 1 + row / 2;
        }
        let report = assess_one(per_page);
        assert!(
            !rules(&report.fraud)
                .into_iter()
                .chain(rules(&report.warnings))
                .any(|(_, rule)| rule.starts_with("figures_retyped")),
            "{:?}",
            rules(&report.fraud)
        );
    }

    #[test]
    fn holidays_include_second_saturday_and_republic_day() {
        assert!(is_bank_holiday(
            NaiveDate::from_ymd_opt(2024, 1, 26).unwrap_or_default()
        ));
        assert!(is_bank_holiday(
            NaiveDate::from_ymd_opt(2024, 6, 8).unwrap_or_default()
        ));
        assert!(!is_bank_holiday(
            NaiveDate::from_ymd_opt(2024, 6, 7).unwrap_or_default()
        ));
    }
}
