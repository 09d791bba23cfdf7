//! Whether the file holds the whole statement. A file cut short in transfer, a print that left
//! out the last pages, or a statement saved before its end all read as a clean table with a
//! clean chain: every row present chains, and only what the statement says about itself (its
//! page labels, its closing figures, its period) or the file's own structure shows that rows
//! are missing after the last one. Each becomes evidence in the verdict, never reconciled.

use crate::model::{DateRange, Incomplete, IncompleteEvidence, Transaction};
use crate::table::{MarkerKind, Table};
use crate::text::Line;
use chrono::NaiveDate;
use std::collections::HashSet;

/// What the file and the statement say about their own extent.
#[derive(Debug, Clone, Default)]
pub struct CompletenessFacts {
    /// The file stops before its end-of-file marker.
    pub cut_short: bool,
    /// The page count the page labels print ("Page 3 of 9"), if any.
    pub printed_pages: Option<usize>,
    /// Pages the file holds.
    pub pages_present: usize,
    /// The printed period.
    pub period_start: Option<NaiveDate>,
    pub period_end: Option<NaiveDate>,
    /// Whether the statement's last page shows where the table ends (see [`last_page_end`]).
    pub last_page: PageEnd,
    /// The rows were printed newest first: an open last page lost the oldest rows, not the
    /// newest.
    pub newest_first: bool,
}

/// What the statement's last page shows about the end of its table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PageEnd {
    /// Not known: no other page with rows to learn the table's foot from.
    #[default]
    Unknown,
    /// Filled with rows to the foot the other pages fill to, nothing printed after them but
    /// the furniture every page prints: a page break, not the end of the table, stopped them.
    Open,
    /// [`PageEnd::Open`], and the page's last line carries the balance forward, as the other
    /// pages' last lines do: the statement says it goes on, on a page the file does not hold.
    Carried,
    /// The rows stop with room for more under them, or a closing row, total, summary or end
    /// line follows them: the file holds the end of the table.
    Closed,
}

/// A printed figure the rows disagree with, and whether rows missing after the last one read
/// could explain it: a closing balance not reached, totals or counts above the rows' own.
pub(crate) struct Mismatch {
    pub text: String,
    pub shortfall: bool,
}

/// The rows of a quiet account can pause for weeks; a pause at the end counts as rows missing
/// only when it is at least this long and more than twice the longest pause between the
/// statement's own rows (their gaps are the account's habit).
const LONGEST_HONEST_TAIL_DAYS: i64 = 7;
const TAIL_OVER_LONGEST_GAP: i64 = 2;
/// Fewer rows say too little about the account's habit.
const MIN_ROWS_FOR_HABIT: usize = 5;
/// A page filled with rows to its foot with nothing after them may as well be followed by a
/// page the file lacks: then a silence at that end of the rows of at least this many days,
/// longer than any between the rows, counts as rows missing when the account's own habit (the
/// share of the days its rows span that carry a row) makes it less likely than
/// [`MAX_SILENCE_CHANCE`].
const MIN_SILENT_DAYS: i64 = 3;
const MAX_SILENCE_CHANCE: f64 = 0.02;
/// With fewer rows than [`MIN_ROWS_FOR_HABIT`] neither the pauses nor the page's fill can
/// judge a silence at the end; one of at least this many days before the printed period ends,
/// with nothing printed that shows the end, is said (a warning: a quiet account can be honest).
const FEW_ROWS_SILENT_DAYS: i64 = 30;

/// The verdict on completeness: its evidence, and the days missing rows would fill: before
/// the first row read from the printed period's start, after the last one to its end.
pub(crate) struct Judged {
    pub incomplete: Vec<Incomplete>,
    pub missing: Vec<DateRange>,
    /// An end the file may lack, where nothing shows whether it does (see
    /// [`open_end_warnings`]).
    pub warnings: Vec<String>,
}

/// What was printed around the rows, beside the figures they disagree with.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct PrintedAround {
    /// A closing balance, total or count is printed: the rows' end is checked against it.
    pub closing_figures: bool,
    /// An opening balance is printed: the rows' start is checked against it by the chain.
    pub opening_balance: bool,
    /// The balance before the first row read (opening printed or implied), when known.
    pub balance_before_first_row: Option<rust_decimal::Decimal>,
}

/// Judges `transactions` (oldest first) against `facts`. `mismatches` are the printed figures
/// the rows disagree with: those that missing rows explain move into the evidence. `chain_holds`
/// is false when a row's balance does not follow from the one before (a misreading, not a
/// missing end); `closing_figures_printed` when a closing balance, total or count is printed.
pub(crate) fn judge(
    facts: &CompletenessFacts,
    transactions: &[Transaction],
    mismatches: &mut Vec<Mismatch>,
    chain_holds: bool,
    printed: PrintedAround,
) -> Judged {
    let mut incomplete = direct_evidence(facts);
    let last_row = transactions.iter().map(|t| t.date.date()).max();
    let ends_early = facts
        .period_end
        .zip(last_row)
        .is_some_and(|(end, last)| last < end);
    // The last page ends the newest rows in a table printed oldest first, the oldest in one
    // printed newest first; page 1 shows the other end.
    let (tail_end, head_end) = if facts.newest_first {
        (PageEnd::Unknown, facts.last_page)
    } else {
        (facts.last_page, PageEnd::Unknown)
    };
    let tail_open = matches!(tail_end, PageEnd::Open | PageEnd::Carried);
    if facts.last_page == PageEnd::Carried && chain_holds {
        incomplete.push(Incomplete {
            evidence: IncompleteEvidence::PagesMissing,
            detail: "the last page is filled with rows to its foot and ends carrying the balance \
                     forward, as the statement's other pages do, but the file holds no page \
                     after it: pages are missing"
                .to_owned(),
        });
    }
    let explained = chain_holds
        && !mismatches.is_empty()
        && mismatches.iter().all(|m| m.shortfall)
        && (ends_early || !incomplete.is_empty() || tail_open);
    if explained {
        let figures: Vec<String> = mismatches.drain(..).map(|m| m.text).collect();
        incomplete.push(Incomplete {
            evidence: IncompleteEvidence::PrintedFiguresNotReached,
            detail: format!(
                "the rows stop short of the statement's printed figures ({}){}{}: rows after \
                 the last one read are missing",
                figures.join("; "),
                match (last_row, facts.period_end) {
                    (Some(last), Some(end)) if last < end =>
                        format!(", the last row is dated {last} and the period ends {end}"),
                    _ => String::new(),
                },
                if tail_open {
                    ", and the last page is filled with rows to its foot with nothing printed \
                     after them"
                } else {
                    ""
                }
            ),
        });
    }
    let quiet = incomplete.is_empty() && chain_holds && mismatches.is_empty();
    if quiet && !printed.closing_figures {
        incomplete.extend(rows_end_before_period_end(facts, transactions, tail_end));
    }
    let head = quiet && !printed.opening_balance && opened_before_first_row(printed);
    let mut missing = Vec::new();
    if let Some((found, days_before)) = head
        .then(|| rows_start_after_period_start(facts, transactions, head_end))
        .flatten()
    {
        missing.extend(days_before);
        incomplete.push(found);
    }
    let tail_evidence = incomplete
        .iter()
        .any(|i| i.evidence != IncompleteEvidence::RowsStartAfterPeriodStart);
    if let (Some(last), Some(end)) = (last_row, facts.period_end) {
        if last < end && tail_evidence {
            if let Some(from) = last.succ_opt() {
                missing.push(DateRange {
                    from_date: from,
                    to_date: end,
                });
            }
        }
    }
    let warnings = if incomplete.is_empty() && chain_holds && mismatches.is_empty() {
        open_end_warnings(facts, transactions, printed, tail_end, head_end)
    } else {
        Vec::new()
    };
    Judged {
        incomplete,
        missing,
        warnings,
    }
}

/// A last page filled with rows to its foot with nothing after them that shows the
/// statement's end, where the rows stop before the printed period does (or, printed newest
/// first, start after it): whether a page is missing after it is not known either way (an
/// honest statement's rows can fill its last page), and the verdict says so.
fn open_end_warnings(
    facts: &CompletenessFacts,
    transactions: &[Transaction],
    printed: PrintedAround,
    tail_end: PageEnd,
    head_end: PageEnd,
) -> Vec<String> {
    let open = |end: PageEnd| matches!(end, PageEnd::Open | PageEnd::Carried);
    let days = sorted_days(transactions);
    let mut warnings = Vec::new();
    if let (true, false, Some(&last), Some(end)) = (
        transactions.len() < MIN_ROWS_FOR_HABIT && !open(tail_end),
        printed.closing_figures,
        days.last(),
        facts.period_end,
    ) {
        let silent = (end - last).num_days();
        if silent >= FEW_ROWS_SILENT_DAYS {
            warnings.push(format!(
                "only {} rows, the last on {last}, {silent} days before the printed period ends \
                 on {end}, and nothing printed after them (no closing balance, total or end \
                 line) shows where the statement ends: too few rows to judge the silence; a \
                 page after them may be missing from the file",
                transactions.len()
            ));
        }
    }
    if let (true, false, Some(&last), Some(end)) = (
        open(tail_end),
        printed.closing_figures,
        days.last(),
        facts.period_end,
    ) {
        if last < end {
            warnings.push(format!(
                "the last page is filled with rows to its foot and nothing printed after them \
                 (no closing balance, total or end line) shows where the statement ends; the \
                 rows stop on {last}, {} days before the printed period ends on {end}: a page \
                 after it may be missing from the file",
                (end - last).num_days()
            ));
        }
    }
    let opened = !printed.opening_balance && opened_before_first_row(printed);
    if let (true, true, Some(&first), Some(start)) =
        (open(head_end), opened, days.first(), facts.period_start)
    {
        if first > start {
            warnings.push(format!(
                "the last page, holding the oldest rows of a statement printed newest first, is \
                 filled with rows to its foot and nothing printed after them (no opening \
                 balance) shows where the statement starts; the rows start on {first}, {} days \
                 after the printed period starts on {start}: a page after it may be missing \
                 from the file",
                (first - start).num_days()
            ));
        }
    }
    warnings
}

/// An account whose balance before its first row is zero was opened with that row: days
/// before it in the period are no missing rows. Unknown counts as opened before.
fn opened_before_first_row(printed: PrintedAround) -> bool {
    printed
        .balance_before_first_row
        .is_none_or(|balance| !balance.is_zero())
}

/// What the file's structure and page labels say by themselves.
fn direct_evidence(facts: &CompletenessFacts) -> Vec<Incomplete> {
    let mut found = Vec::new();
    if facts.cut_short {
        found.push(Incomplete {
            evidence: IncompleteEvidence::FileCutShort,
            detail: "the file ends before the end of the PDF document (cut short in transfer?): \
                     the pages after those recovered, and their rows, are missing"
                .to_owned(),
        });
    }
    if let Some(printed) = facts.printed_pages.filter(|&p| p > facts.pages_present) {
        found.push(Incomplete {
            evidence: IncompleteEvidence::PagesMissing,
            detail: format!(
                "the statement's page labels count {printed} pages but the file holds {}: pages \
                 are missing",
                facts.pages_present
            ),
        });
    }
    found
}

/// How many times the longest pause between the rows a pause at the statement's end (its
/// last page's side) must exceed: twice where the page says nothing, once where the page is
/// filled to its foot with nothing printed after its rows; none where the page shows the
/// table's end (the quiet days are the account's, the file holds every row).
fn pause_factor(end: PageEnd) -> Option<i64> {
    match end {
        PageEnd::Unknown => Some(TAIL_OVER_LONGEST_GAP),
        PageEnd::Open | PageEnd::Carried => Some(1),
        PageEnd::Closed => None,
    }
}

/// Rows that stop long before the printed period ends, with nothing printed to reach: the
/// pause after the last row against the longest pause between rows (and before the first).
/// `page`: what the page holding the newest rows shows of the table's end.
fn rows_end_before_period_end(
    facts: &CompletenessFacts,
    transactions: &[Transaction],
    page: PageEnd,
) -> Option<Incomplete> {
    let end = facts.period_end?;
    let factor = pause_factor(page)?;
    let open = matches!(page, PageEnd::Open | PageEnd::Carried);
    if transactions.len() < MIN_ROWS_FOR_HABIT {
        return None;
    }
    let mut days = sorted_days(transactions);
    let last = *days.last()?;
    let tail = (end - last).num_days();
    if let Some(start) = facts.period_start.filter(|s| *s <= days[0]) {
        days.insert(0, start);
    }
    let longest_gap = longest_pause(&days);
    // A page filled to its foot with nothing after its rows shows no end: a pause longer
    // than any between the rows is enough, and so is a shorter one the account's habit
    // makes unlikely.
    let long = tail >= LONGEST_HONEST_TAIL_DAYS && tail > factor * longest_gap;
    let habit = Habit::of(transactions);
    let unlikely = open && tail >= longest_gap && habit.unlikely_silence(tail);
    (long || unlikely).then(|| Incomplete {
        evidence: IncompleteEvidence::RowsEndBeforePeriodEnd,
        detail: format!(
            "the rows stop on {last} but the printed period ends {end}: {tail} days with no \
                 row, where {}{}; its last pages are likely missing",
            if long {
                format!("the statement's rows are never more than {longest_gap} days apart")
            } else {
                habit.describe(tail)
            },
            if open {
                ", and the last page is filled with rows to its foot with nothing printed \
                     after them"
            } else {
                ""
            }
        ),
    })
}

/// How often the account moves: the days carrying a row among the days its rows span.
struct Habit {
    active_days: usize,
    span_days: i64,
}

impl Habit {
    fn of(transactions: &[Transaction]) -> Habit {
        let mut days = sorted_days(transactions);
        days.dedup();
        let span_days = match (days.first(), days.last()) {
            (Some(first), Some(last)) => (*last - *first).num_days() + 1,
            _ => 0,
        };
        Habit {
            active_days: days.len(),
            span_days,
        }
    }

    /// The chance that `silent` days in a row carry no row, each day carrying one as often as
    /// the account's days do.
    fn silence_chance(&self, silent: i64) -> f64 {
        if self.span_days <= 0 || silent <= 0 {
            return 1.0;
        }
        // One quiet day more than seen: a span with a row every day still allows a pause.
        let share = self.active_days as f64 / (self.span_days + 1) as f64;
        (1.0 - share).powi(i32::try_from(silent).unwrap_or(i32::MAX))
    }

    /// A silence of `silent` days at an open end is rows missing when the habit makes it
    /// unlikely.
    fn unlikely_silence(&self, silent: i64) -> bool {
        silent >= MIN_SILENT_DAYS && self.silence_chance(silent) <= MAX_SILENCE_CHANCE
    }

    fn describe(&self, silent: i64) -> String {
        let chance = self.silence_chance(silent);
        let one_in = if chance > 0.0 {
            format!("about 1 in {:.0}", 1.0 / chance)
        } else {
            "less than 1 in 1000".to_owned()
        };
        format!(
            "the account's rows fall on {} of the {} days they span, which leaves {silent} \
             quiet days in a row a chance of {one_in}",
            self.active_days, self.span_days
        )
    }
}

/// Rows that start long after the printed period starts, with no opening figure printed: the
/// pause before the first row against the longest pause between rows (and after the last).
/// With the days before the first row, from the period's start, that missing rows would fill.
fn rows_start_after_period_start(
    facts: &CompletenessFacts,
    transactions: &[Transaction],
    page: PageEnd,
) -> Option<(Incomplete, Option<DateRange>)> {
    let start = facts.period_start?;
    let factor = pause_factor(page)?;
    if transactions.len() < MIN_ROWS_FOR_HABIT {
        return None;
    }
    let mut days = sorted_days(transactions);
    let first = *days.first()?;
    let head = (first - start).num_days();
    if let Some(end) = facts.period_end.filter(|end| *end >= days[days.len() - 1]) {
        days.push(end);
    }
    let longest_gap = longest_pause(&days);
    let long = head >= LONGEST_HONEST_TAIL_DAYS && head > factor * longest_gap;
    let habit = Habit::of(transactions);
    let open = matches!(page, PageEnd::Open | PageEnd::Carried);
    let unlikely = open && head >= longest_gap && habit.unlikely_silence(head);
    (long || unlikely).then(|| {
        let found = Incomplete {
            evidence: IncompleteEvidence::RowsStartAfterPeriodStart,
            detail: format!(
                "the printed period starts {start} but the rows start on {first}: {head} days \
                 with no row and no opening balance printed, where {}{}; its oldest rows are \
                 likely missing (a newest-first statement's last pages)",
                if long {
                    format!("the statement's rows are never more than {longest_gap} days apart")
                } else {
                    habit.describe(head)
                },
                if open {
                    ", and the last page, holding the oldest rows, is filled with rows to its \
                     foot with nothing printed after them"
                } else {
                    ""
                }
            ),
        };
        let days_before = first.pred_opt().map(|to| DateRange {
            from_date: start,
            to_date: to,
        });
        (found, days_before)
    })
}

/// What the statement's last page shows of the table's end. A table whose page breaks fall
/// where the next row no longer fits ends its other pages within one row's height of the
/// lowest line any of them reaches. A last page that reaches as low, with no closing row,
/// total, summary or end line under its rows (only the furniture every page prints), shows no
/// end: the page after it may be missing ([`PageEnd::Open`]). One whose rows stop higher, or
/// with such a line under them, holds the end ([`PageEnd::Closed`]). `lines` are the
/// statement's pages, each page's lines; `table` the table read on them, its rows not yet
/// taken; `heights` each page's number and height, for a table on one page (see
/// [`single_page_end`]).
pub(crate) fn last_page_end(
    table: &Table,
    lines: &[Vec<Line>],
    heights: &[(usize, f32)],
) -> PageEnd {
    let Some(last_page) = lines
        .iter()
        .rev()
        .find_map(|page| page.first().map(|l| l.page))
    else {
        return PageEnd::Unknown;
    };
    // Pages after the last row's (a summary page) are judged by nobody here.
    if table.rows.iter().map(|row| row.page).max() != Some(last_page) {
        return PageEnd::Unknown;
    }
    let page_lines = |page: usize| {
        lines
            .iter()
            .find(|p| p.first().is_some_and(|l| l.page == page))
            .map_or(&[][..], Vec::as_slice)
    };
    let furniture: HashSet<(usize, u32)> = table
        .leftovers
        .iter()
        .map(|line| (line.page, line.y.to_bits()))
        .collect();
    // The lowest line of the table (rows, carried and closing lines) on a page.
    let bottom = |page: usize| {
        page_lines(page)
            .iter()
            .filter(|line| !furniture.contains(&(line.page, line.y.to_bits())))
            .map(|line| line.y)
            .reduce(f32::max)
    };
    let mut row_pages: Vec<usize> = table.rows.iter().map(|row| row.page).collect();
    row_pages.dedup();
    let foot = row_pages
        .iter()
        .filter(|&&page| page < last_page)
        .filter_map(|&page| bottom(page))
        .reduce(f32::max);
    // The most height a row takes, its first line to the next row's first line.
    let tops: Vec<(usize, f32)> = table
        .rows
        .iter()
        .filter_map(|row| {
            let top = row.narration.iter().map(|(y, _)| *y).reduce(f32::min)?;
            Some((row.page, top))
        })
        .collect();
    let advance = tops
        .windows(2)
        .filter(|pair| pair[0].0 == pair[1].0 && pair[1].1 > pair[0].1)
        .map(|pair| pair[1].1 - pair[0].1)
        .reduce(f32::max);
    let closes = table.markers.iter().any(|m| {
        m.page == last_page
            && m.kind == MarkerKind::Closing
            && !crate::table::is_carry_phrase(m.phrase)
    });
    // A note under the last page's rows saying the table goes on ("Contd...", "Continued on
    // next page"): the statement itself says a page follows.
    let last_row_line = table
        .rows
        .iter()
        .filter(|row| row.page == last_page)
        .flat_map(|row| row.narration.iter().map(|(y, _)| *y))
        .reduce(f32::max);
    let goes_on_note = |line: &Line| {
        last_row_line.is_some_and(|y| line.y > y) && says_the_table_goes_on(&line.text())
    };
    let noted = page_lines(last_page).iter().any(goes_on_note);
    if foot.is_none() && row_pages.iter().all(|&page| page == last_page) {
        let height = heights
            .iter()
            .find(|(page, _)| *page == last_page)
            .map(|(_, height)| *height);
        return match (advance, bottom(last_page), height) {
            (Some(advance), Some(last_bottom), Some(height)) if !closes => {
                match single_page_end(
                    page_lines(last_page).iter().map(|line| line.y),
                    last_bottom,
                    advance,
                    height,
                ) {
                    PageEnd::Open if noted => PageEnd::Carried,
                    end => end,
                }
            }
            _ => PageEnd::Unknown,
        };
    }
    let (Some(foot), Some(advance), Some(last_bottom)) = (foot, advance, bottom(last_page)) else {
        return PageEnd::Unknown;
    };
    if foot - last_bottom >= advance {
        return PageEnd::Closed;
    }
    // The table's last line a balance carried forward, as on the pages before.
    let carried = table.markers.last().is_some_and(|last| {
        last.page == last_page
            && last.kind == MarkerKind::Closing
            && last.rows_before == table.rows.len()
            && crate::table::is_carry_phrase(last.phrase)
            && table.markers.iter().any(|m| {
                m.page < last_page && m.kind == MarkerKind::Closing && m.phrase == last.phrase
            })
    });
    // Under the rows, only what other pages print too (footers, page numbers) leaves the end
    // unseen: their words, without the figures and the Dr/Cr marks that change from page to
    // page (a balance carried "272,046.42 Cr" on one page, "1,057,883.48 Dr" on the next).
    let shape = |line: &Line| line_shape(&line.text());
    // Furniture is printed on every other page with rows: an end line a merged file prints
    // at each part's end is not.
    let others: Vec<usize> = row_pages
        .iter()
        .copied()
        .filter(|&page| page < last_page)
        .collect();
    let shapes_of =
        |page: usize| -> HashSet<String> { page_lines(page).iter().map(shape).collect() };
    let mut elsewhere: Option<HashSet<String>> = None;
    for &page in &others {
        let on_page = shapes_of(page);
        elsewhere = Some(match elsewhere {
            None => on_page,
            Some(seen) => seen.intersection(&on_page).cloned().collect(),
        });
    }
    let elsewhere = elsewhere.unwrap_or_default();
    let ended = page_lines(last_page)
        .iter()
        .filter(|line| line.y > last_bottom && !goes_on_note(line))
        .any(|line| !elsewhere.contains(&shape(line)));
    if closes || ended {
        PageEnd::Closed
    } else if carried || noted {
        PageEnd::Carried
    } else {
        PageEnd::Open
    }
}

/// A line's words for comparing furniture across pages: lower case, figures and the Dr/Cr
/// marks beside them dropped, the letters of a word glued to a figure kept ("Page3" reads
/// "page").
fn line_shape(text: &str) -> String {
    let is_mark = |w: &str| matches!(w, "dr" | "cr");
    let shape = text
        .split_whitespace()
        .filter_map(|word| {
            let word = word.to_lowercase();
            let letters: String = if word.chars().any(|c| c.is_ascii_digit()) {
                word.chars().filter(|c| c.is_alphabetic()).collect()
            } else {
                word.trim_matches(|c: char| !c.is_alphanumeric()).to_owned()
            };
            let kept = if letters.is_empty() { word } else { letters };
            let figure_or_mark = is_mark(kept.as_str())
                || kept
                    .chars()
                    .all(|c| c.is_ascii_digit() || !c.is_alphanumeric());
            (!figure_or_mark).then_some(kept)
        })
        .collect::<Vec<_>>()
        .join(" ");
    if shape.is_empty() {
        // Only figures: their punctuation still tells a total from a wrapped digit.
        let text: String = text.chars().filter(|c| !c.is_ascii_digit()).collect();
        return text.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    shape
}

/// A note saying the table goes on past the page: "Contd...", "(Continued)", "Continued on
/// next page", "contd. on page 3", "Continued overleaf". Its first word says it goes on, the
/// rest only where.
fn says_the_table_goes_on(text: &str) -> bool {
    let words = crate::table::note_words(text);
    let Some((first, rest)) = words.split_first() else {
        return false;
    };
    matches!(first.as_str(), "contd" | "cont" | "continued" | "continues")
        && words.len() <= 6
        && rest.iter().all(|w| {
            matches!(
                w.as_str(),
                "on" | "to" | "the" | "next" | "page" | "overleaf" | "over" | "pto"
            ) || w.chars().all(|c| c.is_ascii_digit())
        })
}

/// A table on one page has no other page to learn its foot from: the page itself is the
/// measure. Rows whose last line (`last_bottom`) reaches, with one more row's `advance`, into
/// the lowest [`SINGLE_PAGE_FOOT_SHARE`] of the page's `height`, with no closing line and only
/// the page's foot (lines in its lowest [`SINGLE_PAGE_FURNITURE_SHARE`]: a page number, a
/// registered office) under them, stopped where the page ran out, not where the statement
/// ended ([`PageEnd::Open`]). Rows stopping higher, or with anything printed between them and
/// the foot, leave the end unknown: one page alone says too little to call it closed.
fn single_page_end(
    ys: impl Iterator<Item = f32>,
    last_bottom: f32,
    advance: f32,
    height: f32,
) -> PageEnd {
    if height <= 0.0 {
        return PageEnd::Unknown;
    }
    let reaches_foot = last_bottom + advance >= height * (1.0 - SINGLE_PAGE_FOOT_SHARE);
    let foot_only = ys
        .filter(|&y| y > last_bottom)
        .all(|y| y >= height * (1.0 - SINGLE_PAGE_FURNITURE_SHARE));
    if reaches_foot && foot_only {
        PageEnd::Open
    } else {
        PageEnd::Unknown
    }
}

/// See [`single_page_end`]: shares of a page's height, from its bottom edge.
const SINGLE_PAGE_FOOT_SHARE: f32 = 0.12;
const SINGLE_PAGE_FURNITURE_SHARE: f32 = 0.08;

fn sorted_days(transactions: &[Transaction]) -> Vec<NaiveDate> {
    let mut days: Vec<NaiveDate> = transactions.iter().map(|t| t.date.date()).collect();
    days.sort_unstable();
    days
}

/// The longest pause, in days, between consecutive `points` (sorted).
fn longest_pause(points: &[NaiveDate]) -> i64 {
    points
        .windows(2)
        .map(|pair| (pair[1] - pair[0]).num_days())
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::TransactionType;
    use rust_decimal::Decimal;

    fn row(day: u32) -> Transaction {
        Transaction {
            transaction_type: TransactionType::Debit,
            transaction_note: String::new(),
            chq_num: String::new(),
            amount: Decimal::ONE,
            balance: Decimal::ONE,
            date: NaiveDate::from_ymd_opt(2024, 1, day)
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .expect("date"),
            value_date: None,
            hash: String::new(),
            page: 1,
            balance_derived: false,
        }
    }

    fn closing(printed: bool) -> PrintedAround {
        PrintedAround {
            closing_figures: printed,
            ..PrintedAround::default()
        }
    }

    fn january() -> CompletenessFacts {
        CompletenessFacts {
            pages_present: 2,
            period_start: NaiveDate::from_ymd_opt(2024, 1, 1),
            period_end: NaiveDate::from_ymd_opt(2024, 1, 31),
            ..CompletenessFacts::default()
        }
    }

    fn closing_not_reached() -> Vec<Mismatch> {
        vec![Mismatch {
            text: "printed closing balance 10 differs from the last row's balance 1".to_owned(),
            shortfall: true,
        }]
    }

    #[test]
    fn a_closing_balance_not_reached_by_rows_that_stop_early_is_a_missing_end() {
        let rows: Vec<_> = [2, 3, 5, 8, 9, 12].into_iter().map(row).collect();
        let mut mismatches = closing_not_reached();
        let judged = judge(&january(), &rows, &mut mismatches, true, closing(true));
        assert!(mismatches.is_empty());
        assert_eq!(
            judged.incomplete[0].evidence,
            IncompleteEvidence::PrintedFiguresNotReached
        );
        let tail = judged.missing[0];
        assert_eq!(
            tail.from_date,
            NaiveDate::from_ymd_opt(2024, 1, 13).expect("day")
        );
    }

    #[test]
    fn a_few_rows_stopping_long_before_the_period_end_are_said_not_judged() {
        let quarter = CompletenessFacts {
            period_end: NaiveDate::from_ymd_opt(2024, 3, 31),
            ..january()
        };
        let rows: Vec<_> = [2, 3, 9].into_iter().map(row).collect();
        let judged = judge(&quarter, &rows, &mut Vec::new(), true, closing(false));
        assert!(judged.incomplete.is_empty());
        assert_eq!(judged.warnings.len(), 1, "{:?}", judged.warnings);
        assert!(
            judged.warnings[0].contains("82 days before"),
            "{:?}",
            judged.warnings
        );
        // A closing printed, a short silence or enough rows to judge: nothing said here.
        let judged = judge(&quarter, &rows, &mut Vec::new(), true, closing(true));
        assert!(judged.warnings.is_empty());
        let judged = judge(&january(), &rows, &mut Vec::new(), true, closing(false));
        assert!(judged.warnings.is_empty());
    }

    #[test]
    fn a_broken_chain_or_a_last_row_on_the_last_day_stays_a_mismatch() {
        let rows: Vec<_> = [2, 3, 5, 8, 9, 31].into_iter().map(row).collect();
        let mut mismatches = closing_not_reached();
        assert!(
            judge(&january(), &rows, &mut mismatches, true, closing(true))
                .incomplete
                .is_empty()
        );
        assert_eq!(mismatches.len(), 1);
        let early: Vec<_> = [2, 3, 5].into_iter().map(row).collect();
        assert!(
            judge(&january(), &early, &mut mismatches, false, closing(true))
                .incomplete
                .is_empty()
        );
        assert_eq!(mismatches.len(), 1);
    }

    #[test]
    fn page_labels_and_a_cut_file_speak_for_themselves() {
        let rows: Vec<_> = [2, 3, 5, 8, 9, 31].into_iter().map(row).collect();
        let facts = CompletenessFacts {
            cut_short: true,
            printed_pages: Some(3),
            ..january()
        };
        let judged = judge(&facts, &rows, &mut Vec::new(), true, closing(true));
        let kinds: Vec<_> = judged.incomplete.iter().map(|i| i.evidence).collect();
        assert_eq!(
            kinds,
            [
                IncompleteEvidence::FileCutShort,
                IncompleteEvidence::PagesMissing
            ]
        );
        assert!(judged.missing.is_empty(), "the last row is on the last day");
    }

    #[test]
    fn a_quiet_end_is_weighed_against_the_account_habit() {
        // Rows every 1-3 days stopping on the 12th: 19 silent days.
        let busy: Vec<_> = [1, 2, 4, 6, 7, 9, 12].into_iter().map(row).collect();
        let judged = judge(&january(), &busy, &mut Vec::new(), true, closing(false));
        assert_eq!(
            judged.incomplete[0].evidence,
            IncompleteEvidence::RowsEndBeforePeriodEnd
        );
        // Rows ten days apart: a 19-day pause at the end is the account's habit.
        let quiet: Vec<_> = [1, 3, 13, 14, 15, 12].into_iter().map(row).collect();
        assert!(
            judge(&january(), &quiet, &mut Vec::new(), true, closing(false))
                .incomplete
                .is_empty()
        );
        // A printed closing figure decides instead.
        assert!(
            judge(&january(), &busy, &mut Vec::new(), true, closing(true))
                .incomplete
                .is_empty()
        );
    }

    fn last_page(end: PageEnd) -> CompletenessFacts {
        CompletenessFacts {
            last_page: end,
            ..january()
        }
    }

    #[test]
    fn a_last_page_full_to_its_foot_explains_a_closing_not_reached_on_the_last_day() {
        // The last row on the period's last day: only the open page says rows are missing.
        let rows: Vec<_> = [2, 3, 5, 8, 9, 31].into_iter().map(row).collect();
        let mut mismatches = closing_not_reached();
        let judged = judge(
            &last_page(PageEnd::Open),
            &rows,
            &mut mismatches,
            true,
            closing(true),
        );
        assert!(mismatches.is_empty());
        assert_eq!(
            judged.incomplete[0].evidence,
            IncompleteEvidence::PrintedFiguresNotReached
        );
        assert!(judged.missing.is_empty(), "the last row is on the last day");
        // Printed newest first, the open page lost the oldest rows: the closing is the newest.
        let mut mismatches = closing_not_reached();
        let newest_first = CompletenessFacts {
            newest_first: true,
            ..last_page(PageEnd::Open)
        };
        assert!(
            judge(&newest_first, &rows, &mut mismatches, true, closing(true))
                .incomplete
                .is_empty()
        );
        assert_eq!(mismatches.len(), 1);
    }

    #[test]
    fn a_quiet_end_is_weighed_by_what_the_last_page_shows() {
        // Rows 1-6 days apart stopping on the 23rd: 8 silent days, not twice the longest pause.
        let rows: Vec<_> = [1, 3, 9, 12, 14, 17, 20, 23].into_iter().map(row).collect();
        let judged = |end: PageEnd| {
            judge(
                &last_page(end),
                &rows,
                &mut Vec::new(),
                true,
                closing(false),
            )
            .incomplete
            .iter()
            .map(|i| i.evidence)
            .collect::<Vec<_>>()
        };
        assert!(judged(PageEnd::Unknown).is_empty());
        // Filled to its foot with nothing after: longer than any pause is enough.
        assert_eq!(
            judged(PageEnd::Open),
            [IncompleteEvidence::RowsEndBeforePeriodEnd]
        );
        // Busy rows stopping on the 12th, but the page shows the table's end: the account's.
        let busy: Vec<_> = [1, 2, 4, 6, 7, 9, 12].into_iter().map(row).collect();
        assert!(judge(
            &last_page(PageEnd::Closed),
            &busy,
            &mut Vec::new(),
            true,
            closing(false)
        )
        .incomplete
        .is_empty());
    }

    #[test]
    fn a_short_silence_at_an_open_end_is_weighed_by_how_often_the_account_moves() {
        // Rows on 25 of the 26 days from the 1st to the 26th, then nothing to the 31st: 5
        // quiet days, longer than any pause between the rows but within the week.
        let busy: Vec<_> = (1..=26).filter(|&d| d != 10).map(row).collect();
        let tail = |end: PageEnd, rows: &[Transaction]| {
            let judged = judge(&last_page(end), rows, &mut Vec::new(), true, closing(false));
            (
                judged
                    .incomplete
                    .iter()
                    .map(|i| i.evidence)
                    .collect::<Vec<_>>(),
                judged.warnings.len(),
            )
        };
        assert_eq!(
            tail(PageEnd::Open, &busy),
            (vec![IncompleteEvidence::RowsEndBeforePeriodEnd], 0)
        );
        // A page that says nothing of the table's foot: the week is the account's to keep.
        assert_eq!(tail(PageEnd::Unknown, &busy), (vec![], 0));
        // Rows on one day in three: four quiet days at the end are no evidence, and the open
        // page is said to leave the end unknown.
        let sparse: Vec<_> = [1, 4, 7, 10, 13, 16, 19, 22, 25, 27]
            .into_iter()
            .map(row)
            .collect();
        assert_eq!(tail(PageEnd::Open, &sparse), (vec![], 1));
        assert_eq!(tail(PageEnd::Closed, &sparse), (vec![], 0));
        // Nothing said when the rows reach the period's last day.
        let full: Vec<_> = [1, 4, 7, 10, 13, 16, 19, 22, 25, 31]
            .into_iter()
            .map(row)
            .collect();
        assert_eq!(tail(PageEnd::Open, &full), (vec![], 0));
    }

    #[test]
    fn one_page_filled_to_its_foot_with_only_the_footer_under_it_is_open() {
        // A 1008-point page, rows 12 points apart down to 930, a page number at 990.
        let rows = (0..60)
            .map(|k| 220.0 + 12.0 * k as f32)
            .filter(|y| *y <= 930.0);
        let page = |footer: &[f32]| {
            rows.clone()
                .chain(footer.iter().copied())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            single_page_end(page(&[990.0]).into_iter(), 928.0, 12.0, 1008.0),
            PageEnd::Open
        );
        // A line between the rows and the foot (a closing line, a summary): not open.
        assert_eq!(
            single_page_end(
                [868.0, 880.0, 900.0, 990.0].into_iter(),
                880.0,
                12.0,
                1008.0
            ),
            PageEnd::Unknown
        );
        // Rows stopping halfway down the page: the statement's end, or not known.
        assert_eq!(
            single_page_end(page(&[990.0]).into_iter(), 500.0, 12.0, 1008.0),
            PageEnd::Unknown
        );
    }

    #[test]
    fn a_balance_carried_reads_alike_on_every_page_whatever_its_figure() {
        assert_eq!(
            line_shape("Balance Carried 272,046.42 Cr"),
            line_shape("Balance Carried 1,057,883.48 Dr")
        );
        assert_eq!(line_shape("Page3 of 9"), "page of");
        // Figures alone keep their punctuation: a total is no wrapped digit.
        assert_ne!(line_shape("1,234.00 5,678.00"), line_shape("2"));
        assert_ne!(
            line_shape("Closing Balance 10.00"),
            line_shape("Balance Carried 10.00")
        );
    }

    #[test]
    fn a_note_that_the_table_goes_on_is_told_from_other_text() {
        for note in [
            "Contd...",
            "(Continued)",
            "Continued on next page",
            "contd. on page 3",
            "Continued overleaf",
        ] {
            assert!(says_the_table_goes_on(note), "{note}");
        }
        for text in [
            "Continued from previous page",
            "CONTINUED SUPPORT FEE",
            "NEFT-CONTD PAYMENT",
            "",
        ] {
            assert!(!says_the_table_goes_on(text), "{text}");
        }
    }

    #[test]
    fn a_late_start_with_no_opening_printed_is_a_missing_head() {
        // Rows every 1-3 days from the 14th: 13 silent days after the period starts.
        let late: Vec<_> = [14, 15, 17, 19, 20, 22, 25, 28, 30]
            .into_iter()
            .map(row)
            .collect();
        let judged = judge(&january(), &late, &mut Vec::new(), true, closing(true));
        assert_eq!(
            judged.incomplete[0].evidence,
            IncompleteEvidence::RowsStartAfterPeriodStart
        );
        let head = judged.missing[0];
        assert_eq!(
            (head.from_date, head.to_date),
            (
                NaiveDate::from_ymd_opt(2024, 1, 1).expect("day"),
                NaiveDate::from_ymd_opt(2024, 1, 13).expect("day")
            )
        );
        // A printed opening balance is checked by the chain instead.
        let opening = PrintedAround {
            opening_balance: true,
            ..closing(true)
        };
        assert!(judge(&january(), &late, &mut Vec::new(), true, opening)
            .incomplete
            .is_empty());
        // An account opened with its first row (nothing before it) starts there.
        let opened = PrintedAround {
            balance_before_first_row: Some(Decimal::ZERO),
            ..closing(true)
        };
        assert!(judge(&january(), &late, &mut Vec::new(), true, opened)
            .incomplete
            .is_empty());
        // Rows ten days apart: a 13-day pause at the start is the account's habit.
        let quiet: Vec<_> = [14, 15, 16, 26, 27, 28].into_iter().map(row).collect();
        let judged = judge(&january(), &quiet, &mut Vec::new(), true, closing(true));
        assert!(judged.incomplete.is_empty());
    }
}
