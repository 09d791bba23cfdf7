//! Several statements of one account merged into one file, as borrowers upload them: monthly
//! e-statements joined with a PDF merger, or a bank's download that restarts its report for
//! each month. Each part starts on a new page with its own letterhead, identity block and
//! period, its own opening and closing balance rows, totals and summary. Read as one table,
//! a part's opening row looks like a page carry that disagrees with the chain and its printed
//! totals are compared with every part's rows; merged newest month first, the rows run
//! backwards between the parts and forwards inside them.
//!
//! So each part is read as the statement it is, its printed figures checked against its own
//! rows, and the parts are joined in date order into one: the rows of every part (each in its
//! printed order), the period from the first part's start to the last one's end, the earliest
//! part's opening and the latest part's closing balance. The join is checked too: each part
//! must open at the balance the one before it closed at, and the periods must follow each
//! other without a gap or an overlap.

use crate::identity::extract_identity;
use crate::model::{
    ChainBreak, CheckedAgainst, DateRange, IncompleteEvidence, Reconciliation, WarningRows,
};
use crate::parse::{read_statement, ReadStatement};
use crate::text::Line;
use chrono::NaiveDate;
use ledgerlens_pdf::Document;
use rust_decimal::Decimal;

/// How the note that a file joins several statements begins (see [`is_parts_note`]).
const PARTS_NOTE: &str = "the file holds ";

/// Whether a reconciliation warning is only the note that the file joins several statements
/// of the account: a fact about the file's structure, not a reading the engine is unsure of
/// (the fraud checks still trust the shape of a break beside it).
pub fn is_parts_note(warning: &str) -> bool {
    warning.starts_with(PARTS_NOTE)
}

/// Within half a paisa: printed figures are rounded to two decimals.
const TOLERANCE: Decimal = Decimal::from_parts(5, 0, 0, false, 3);

type Period = (NaiveDate, NaiveDate);

/// The statements merged into the file, each read on its own pages; `None` when the file holds
/// one statement, or when a part cannot be read on its own: then the whole stays as read, and
/// its verdict and period say that it joins statements it could not read apart (see
/// [`unread_parts`]).
pub(crate) fn merged_parts(
    document: &Document,
    lines: &[Vec<Line>],
    whole: &mut ReadStatement,
) -> Option<Vec<ReadStatement>> {
    let starts = later_part_starts(whole);
    if starts.is_empty() {
        return None;
    }
    let mut bounds: Vec<usize> = vec![0];
    bounds.extend(starts.iter().map(|(page, _)| page - 1));
    bounds.push(document.pages.len());
    let mut parts = Vec::with_capacity(bounds.len() - 1);
    for (index, window) in bounds.windows(2).enumerate() {
        let read = document
            .pages
            .get(window[0]..window[1])
            .zip(lines.get(window[0]..window[1]))
            // A part's own pages may stack their dates where the whole file does not.
            .and_then(|(pages, part_lines)| {
                read_statement(document, pages, part_lines, Some(lines), None).ok()
            });
        match read {
            Some(part) => parts.push(part),
            None => {
                unread_parts(whole, &starts, window[0] + 1, index, bounds.len() - 1);
                return None;
            }
        }
    }
    Some(parts)
}

/// The file joins statements of the account (later pages print the account with periods of
/// their own) but part `index` of `count`, from page `first_page`, cannot be read on its own:
/// the rows stay as the whole file's table read them, which may have missed rows laid out as
/// the other parts lay them out. The verdict says so and is not reconciled (no part's figures
/// were checked against its own rows), and the period runs over every part printed.
fn unread_parts(
    whole: &mut ReadStatement,
    starts: &[(usize, Period)],
    first_page: usize,
    index: usize,
    count: usize,
) {
    let periods: Vec<Period> = whole
        .identity
        .from_date
        .zip(whole.identity.to_date)
        .into_iter()
        .chain(starts.iter().map(|(_, period)| *period))
        .collect();
    if let Some(from) = periods.iter().map(|(from, _)| *from).min() {
        whole.identity.from_date = Some(from);
    }
    if let Some(to) = periods.iter().map(|(_, to)| *to).max() {
        whole.identity.to_date = Some(to);
    }
    let pages: Vec<String> = starts.iter().map(|(page, _)| page.to_string()).collect();
    let warning = format!(
        "pages {} start statements of the account with periods of their own ({count} \
         statements in the file), but statement {} of {count}, from page {first_page}, could \
         not be read on its own: read as one table, whose rows may miss those laid out \
         otherwise; no statement's printed figures were checked against its own rows",
        pages.join(", "),
        index + 1
    );
    let verdict = &mut whole.reconciliation;
    verdict.reconciled = false;
    verdict.warn_without_figures(warning);
}

/// First pages (1-based) of the statements after the first: pages whose lines above the
/// table's heading (or, with no heading in the text layer, above the first money) print an
/// identity block, an account number with a statement period other than the one in force. A
/// page header repeating the period, or the identity block printed on every page, names the
/// same one; a narration alone ("INT.PD:01-01-2024 TO 31-03-2024") names no account.
fn later_part_starts(whole: &ReadStatement) -> Vec<(usize, Period)> {
    let mut current: Option<Period> = whole.identity.from_date.zip(whole.identity.to_date);
    let mut starts = Vec::new();
    let has_rows = |page: usize| whole.transactions.iter().any(|t| t.page == page);
    let mut previous_top: Option<(usize, &[Line])> = None;
    for top in &whole.table.page_tops {
        let Some(page) = top.first().map(|line| line.page) else {
            continue;
        };
        // A page with no rows just before is the statement's cover (the account details
        // printed on a page of their own, the period above the table).
        let cover =
            previous_top.filter(|(cover_page, _)| cover_page + 1 == page && !has_rows(*cover_page));
        previous_top = Some((page, top.as_slice()));
        let printed = extract_identity(top);
        let Some(period) = printed.from_date.zip(printed.to_date) else {
            continue;
        };
        // The part starts on its cover only when the cover names the account: a page with no
        // rows before the heading may as well be the end of the part before (its summary).
        // So does the holder's name over a period of its own: a statement whose account
        // number is printed only in its page footers.
        let names_holder = printed.name.is_some() && printed.name == whole.identity.name;
        let start = if printed.account_number.is_some() || names_holder {
            page
        } else {
            match cover.filter(|(_, lines)| extract_identity(lines).account_number.is_some()) {
                Some((cover_page, _)) => cover_page,
                None => continue,
            }
        };
        if current.is_some_and(|current| current != period) {
            starts.push((start, period));
        }
        current = Some(period);
    }
    starts
}

/// Where a part sits in time: its printed period, else the dates of its rows.
fn part_period(part: &ReadStatement) -> Option<Period> {
    let from = part
        .identity
        .from_date
        .or_else(|| part.transactions.first().map(|t| t.date.date()));
    let to = part
        .identity
        .to_date
        .or_else(|| part.transactions.last().map(|t| t.date.date()));
    from.zip(to)
}

/// "statement 2 of 3 (2024-02-01 to 2024-02-29)": how a part is named in the verdict.
fn part_name(index: usize, count: usize, period: Option<Period>) -> String {
    match period {
        Some((from, to)) => format!("statement {} of {count} ({from} to {to})", index + 1),
        None => format!("statement {} of {count}", index + 1),
    }
}

/// The parts as one statement, in date order.
pub(crate) fn join_parts(mut parts: Vec<ReadStatement>) -> ReadStatement {
    let count = parts.len();
    let in_file_order: Vec<Option<Period>> = parts.iter().map(part_period).collect();
    // The identity printed first in the file (page 1) stands for the account.
    let mut identity = parts[0].identity.clone();
    parts.sort_by_key(|part| part_period(part).map(|(from, _)| from));
    let periods: Vec<Option<Period>> = parts.iter().map(part_period).collect();
    let out_of_order = in_file_order != periods;
    let mut joined = Reconciliation {
        reconciled: true,
        checked_against: CheckedAgainst::BalanceChain,
        balances_known: true,
        opening_balance: parts[0].reconciliation.opening_balance,
        closing_balance: parts[count - 1].reconciliation.closing_balance,
        breaks: Vec::new(),
        summary_mismatches: Vec::new(),
        missing_periods: Vec::new(),
        incomplete: Vec::new(),
        sides_inferred: 0,
        warnings: Vec::new(),
        warning_rows: Vec::new(),
    };
    joined.warnings.push(format!(
        "{PARTS_NOTE}{count} statements of the account, each with its own period and \
         printed figures{}: read as one statement in date order, each checked against its own \
         printed figures and each opening against the closing before it",
        if out_of_order {
            " (merged out of date order)"
        } else {
            ""
        }
    ));
    check_accounts(&parts, &mut joined);
    let mut transactions = Vec::new();
    let mut table_fonts = Vec::new();
    let mut previous: Option<(usize, Option<Period>, Option<Decimal>)> = None;
    for (index, part) in parts.iter_mut().enumerate() {
        let name = part_name(index, count, periods[index]);
        let verdict = &mut part.reconciliation;
        let offset = transactions.len();
        let warned_before = joined.warnings.len();
        if let Some((before, before_period, before_closing)) = previous {
            check_join(
                (
                    &part_name(before, count, before_period),
                    before_period,
                    before_closing,
                ),
                (&name, periods[index], verdict.opening_balance),
                &mut joined,
            );
        }
        // What the join noted (a period missing between two parts) concerns the rows on
        // either side of it.
        let join_rows: Vec<WarningRows> = joined.warnings[warned_before..]
            .iter()
            .map(|warning| WarningRows::rows(warning, offset.saturating_sub(1), offset))
            .collect();
        joined.warning_rows.extend(join_rows);
        joined.reconciled &= verdict.reconciled;
        joined.balances_known &= verdict.balances_known;
        if verdict.checked_against != CheckedAgainst::BalanceChain {
            joined.checked_against = verdict.checked_against;
        }
        joined.sides_inferred += verdict.sides_inferred;
        joined
            .breaks
            .extend(verdict.breaks.drain(..).map(|found| ChainBreak {
                row: found.row + offset,
                ..found
            }));
        joined.summary_mismatches.extend(
            verdict
                .summary_mismatches
                .drain(..)
                .map(|mismatch| format!("{name}: {mismatch}")),
        );
        joined.warnings.extend(
            verdict
                .warnings
                .drain(..)
                .map(|warning| format!("{name}: {warning}")),
        );
        joined
            .warning_rows
            .extend(verdict.warning_rows.drain(..).map(|located| {
                WarningRows {
                    warning: format!("{name}: {}", located.warning),
                    rows: located
                        .rows
                        .map(|(first, last)| (first + offset, last + offset)),
                }
            }));
        join_incomplete(&name, verdict, &mut joined);
        previous = Some((index, periods[index], verdict.closing_balance));
        transactions.append(&mut part.transactions);
        table_fonts.append(&mut part.table_fonts);
    }
    joined.reconciled &= joined.breaks.is_empty()
        && joined.summary_mismatches.is_empty()
        && joined.missing_periods.is_empty();
    let first = periods.iter().flatten().map(|(from, _)| *from).min();
    let last = periods.iter().flatten().map(|(_, to)| *to).max();
    identity.from_date = first.or(identity.from_date);
    identity.to_date = last.or(identity.to_date);
    identity.opening_balance = parts[0].identity.opening_balance;
    identity.closing_balance = parts[count - 1].identity.closing_balance;
    // The file's first part (page 1) carries the layout; the other parts' pages join it.
    let reversed = parts.iter().any(|part| part.reversed);
    let mut table_parts = parts.into_iter().map(|part| part.table);
    let mut table = table_parts
        .next()
        .expect("join_parts is called with at least two parts");
    for other in table_parts {
        table.header_pages.extend(other.header_pages);
        table.table_pages.extend(other.table_pages);
        table.leftovers.extend(other.leftovers);
        table.markers.extend(other.markers);
    }
    table.header_pages.sort_unstable();
    table.table_pages.sort_unstable();
    table.leftovers.sort_by_key(|line| line.page);
    ReadStatement {
        table,
        identity,
        transactions,
        reconciliation: joined,
        reversed,
        table_fonts,
    }
}

/// A part's evidence that the file lacks an end: what the file's structure and page labels
/// say is said once for the file; what a part's own rows fall short of is named by the part.
fn join_incomplete(name: &str, verdict: &mut Reconciliation, joined: &mut Reconciliation) {
    joined.missing_periods.append(&mut verdict.missing_periods);
    for mut found in verdict.incomplete.drain(..) {
        let of_the_file = matches!(
            found.evidence,
            IncompleteEvidence::FileCutShort | IncompleteEvidence::PagesMissing
        );
        if of_the_file {
            if joined
                .incomplete
                .iter()
                .all(|i| i.evidence != found.evidence)
            {
                joined.incomplete.push(found);
            }
        } else {
            found.detail = format!("{name}: {}", found.detail);
            joined.incomplete.push(found);
        }
    }
}

/// Parts naming different account numbers are not one account's statements: the rows are
/// still joined, and the verdict says so.
fn check_accounts(parts: &[ReadStatement], joined: &mut Reconciliation) {
    let accounts: Vec<&str> = parts
        .iter()
        .filter_map(|part| part.identity.account_number.as_deref())
        .collect();
    if accounts.windows(2).any(|pair| pair[0] != pair[1]) {
        joined
            .summary_mismatches
            .push("the statements merged into the file name different account numbers".to_owned());
    }
}

/// A part must open at the balance the one before it closed at, the day after that one's
/// period ends. Days between the two that no part covers are a period missing from the file
/// (its rows are not there to read): named as such, and the balances on either side of it are
/// not compared, as the rows of the missing days moved the balance.
fn check_join(
    (before_name, before_period, closing): (&str, Option<Period>, Option<Decimal>),
    (name, period, opening): (&str, Option<Period>, Option<Decimal>),
    joined: &mut Reconciliation,
) {
    if let (Some((_, before_to)), Some((from, _))) = (before_period, period) {
        match before_to.succ_opt() {
            Some(next_day) if from > next_day => {
                let last_day = from.pred_opt().unwrap_or(from);
                joined.missing_periods.push(DateRange {
                    from_date: next_day,
                    to_date: last_day,
                });
                joined.warnings.push(format!(
                    "no statement in the file covers {next_day} to {last_day}: a period is \
                     missing between {before_name} and {name}, and its rows with it"
                ));
                return;
            }
            _ if from <= before_to => joined.summary_mismatches.push(format!(
                "{name} overlaps {before_name}: rows of the same days may be counted twice"
            )),
            _ => {}
        }
    }
    if let (Some(closing), Some(opening)) = (closing, opening) {
        if (closing - opening).abs() > TOLERANCE {
            joined.summary_mismatches.push(format!(
                "{name} opens at {opening} but {before_name} closed at {closing}: the \
                 statements do not follow each other"
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, month, day).unwrap_or_default()
    }

    fn verdict() -> Reconciliation {
        Reconciliation {
            reconciled: true,
            checked_against: CheckedAgainst::BalanceChain,
            balances_known: true,
            opening_balance: None,
            closing_balance: None,
            breaks: Vec::new(),
            summary_mismatches: Vec::new(),
            missing_periods: Vec::new(),
            incomplete: Vec::new(),
            sides_inferred: 0,
            warnings: Vec::new(),
            warning_rows: Vec::new(),
        }
    }

    fn join(before: (Period, Decimal), after: (Period, Decimal)) -> Reconciliation {
        let mut joined = verdict();
        check_join(
            ("statement 1 of 2", Some(before.0), Some(before.1)),
            ("statement 2 of 2", Some(after.0), Some(after.1)),
            &mut joined,
        );
        joined
    }

    #[test]
    fn consecutive_months_that_chain_join_cleanly() {
        let march = ((day(3, 1), day(3, 31)), Decimal::new(123_450, 2));
        let april = ((day(4, 1), day(4, 30)), Decimal::new(123_450, 2));
        let joined = join(march, april);
        assert!(joined.summary_mismatches.is_empty() && joined.missing_periods.is_empty());
    }

    #[test]
    fn a_missing_month_an_overlap_or_a_balance_gap_is_named() {
        let march = ((day(3, 1), day(3, 31)), Decimal::new(500, 0));
        // April's rows moved the balance: only the missing month is named.
        let may = ((day(5, 1), day(5, 31)), Decimal::new(750, 0));
        let gap = join(march, may);
        let april = DateRange {
            from_date: day(4, 1),
            to_date: day(4, 30),
        };
        assert_eq!(gap.missing_periods, vec![april]);
        assert!(gap.summary_mismatches.is_empty(), "{gap:?}");
        assert!(
            gap.warnings[0].contains("2024-04-01 to 2024-04-30"),
            "{gap:?}"
        );
        let overlapping = ((day(3, 15), day(4, 14)), Decimal::new(500, 0));
        let overlap = join(march, overlapping).summary_mismatches;
        assert!(overlap[0].contains("overlaps"), "{overlap:?}");
        let april = ((day(4, 1), day(4, 30)), Decimal::new(600, 0));
        let unchained = join(march, april).summary_mismatches;
        assert!(unchained[0].contains("opens at 600"), "{unchained:?}");
    }
}
