//! Which dated line a text line printed between two of them belongs to.
//!
//! A table prints each row's wrapped narration around its dated line in one habit: all of it
//! under the dated line (cells hanging from the row's top), all of it above (cells sitting on
//! the row's bottom), evenly around it (centred cells), or one line more under or above it
//! (centred cells snapped to the row's line grid). Between two dated lines, the text lines
//! are the upper row's lines below its dated line followed by the lower row's lines above
//! its own, so each run of text between two dated lines is split at one place.
//!
//! Two kinds of evidence decide the split. (1) The gaps: where rows are padded apart, the
//! gap between two rows' text is wider than any gap inside a row, and one gap of the run
//! stands out. (2) The habit: every row's lines above and below its dated line must fit the
//! table's habit; the splits the gaps decided rule habits out, and along a page's rows the
//! lines one row takes decide what its neighbour has left, so a split may follow from its
//! neighbours'. A split that neither decides (more than one remains possible under the habits
//! still standing) is left as the reader had it and counted, for a warning: it is a guess.

use super::{Classified, LineKind};

/// Whose text a line between two dated lines is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Owner {
    /// The row whose dated line is above it.
    Above,
    /// The row whose dated line is below it.
    Below,
}

/// Where a table prints a row's text around its dated line: (lines above, lines below).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Habit {
    /// Cells hang from the row's top: nothing above.
    Top,
    /// Cells sit on the row's bottom: nothing below.
    Bottom,
    /// Centred: as many lines above as below.
    Centred,
    /// Centred on the line grid, upper middle: as many below as above, or one more.
    UpperMiddle,
    /// Centred on the line grid, lower middle: as many above as below, or one more.
    LowerMiddle,
}

const HABITS: [Habit; 5] = [
    Habit::Top,
    Habit::Bottom,
    Habit::Centred,
    Habit::UpperMiddle,
    Habit::LowerMiddle,
];

/// More wrapped lines than this on one side of a dated line is not a row's.
const MAX_SIDE: usize = 16;

/// A gap must be this much wider than every other gap of its run to mark the rows' border.
const STANDS_OUT: f32 = 1.15;

impl Habit {
    fn allows(self, above: usize, below: usize) -> bool {
        match self {
            Habit::Top => above == 0,
            Habit::Bottom => below == 0,
            Habit::Centred => above == below,
            Habit::UpperMiddle => below == above || below == above + 1,
            Habit::LowerMiddle => above == below || above == below + 1,
        }
    }

    /// Some number of lines above fits `below` (the chain's first row, whose top is unknown).
    fn allows_below(self, below: usize) -> bool {
        (0..=MAX_SIDE).any(|above| self.allows(above, below))
    }

    /// Some number of lines below fits `above` (the chain's last row).
    fn allows_above(self, above: usize) -> bool {
        (0..=MAX_SIDE).any(|below| self.allows(above, below))
    }
}

/// A table line: the index of its page among the table's pages and its index on that page.
type Pos = (usize, usize);

/// The text lines between two dated lines: of one page, or across a page break (the text
/// under a page's last dated line and the text over the next page's first one).
struct Run {
    /// The text lines, top first.
    lines: Vec<Pos>,
    /// Lines that must go to the row above (they end its date cell).
    min_above: usize,
    /// The split the gaps decide: how many lines go to the row above.
    by_gaps: Option<usize>,
    /// The dated line under the run.
    below: Pos,
    /// The run joins a page's last dated line to the next page's first: its text may all sit
    /// on one side of the break (nothing under the one, or over the other).
    across_break: bool,
}

/// Dated rows linked by runs of text only: the rows' shapes constrain each other. A page
/// break links the page's last chain to the next page's first where only page furniture
/// (a footer, the repeated heading, a "contd." note, a balance carried forward) stands
/// between their text: a row the break cut still prints its lines as the habit says, some
/// on each page.
struct Chain {
    /// The first row's lines above its dated line, where known: the table's first row, under
    /// its heading, owns every text line between the two.
    first_above: Option<usize>,
    runs: Vec<Run>,
    /// The chain's first dated line and the text lines over it, when nothing but furniture
    /// stands above them on the page (the page's first row).
    lead: Option<(Pos, Vec<Pos>)>,
    /// The chain's last dated line and the text lines under it, when nothing but furniture
    /// follows them on the page (the page's last row).
    tail: Option<(Pos, Vec<Pos>)>,
}

/// The decided owners of text lines, per page and line (None: left to the reader's rules),
/// and what the evidence said about the table.
#[derive(Default)]
pub(super) struct Plan {
    pub owners: Vec<Vec<Option<Owner>>>,
    /// Runs of text whose split no evidence decides.
    pub ambiguous: usize,
    /// The rows print text above their dated line (no habit left standing hangs cells from
    /// the row's top): the reader must read them as centred, whatever the first rows showed.
    pub text_above_rows: bool,
}

/// Decides, where the evidence does, which row each text line between two dated lines
/// belongs to.
pub(super) fn plan(pages: &[(usize, Vec<Classified>, bool)]) -> Plan {
    let mut owners: Vec<Vec<Option<Owner>>> = pages
        .iter()
        .map(|(_, lines, _)| vec![None; lines.len()])
        .collect();
    let bare = pages_open_on_dated_lines(pages);
    let grids: Vec<Grid> = pages
        .iter()
        .map(|(_, lines, _)| grid_of_page(lines))
        .collect();
    let mut chains: Vec<Chain> = Vec::new();
    let mut orphans = 0;
    for (page, (_, lines, has_header)) in pages.iter().enumerate() {
        let (page_chains, page_orphans) =
            chains_of_page(page, lines, page == 0 && *has_header, bare, &grids[page]);
        // A page whose rows never print text above a dated line at its top (see
        // [`pages_open_on_dated_lines`]) keeps its chains apart: its first row's top is known.
        let mut page_chains = page_chains.into_iter();
        if let Some(first) = page_chains.next() {
            match chains.last_mut() {
                Some(last)
                    if !bare
                        && first.lead.is_some()
                        && last.tail.as_ref().is_some_and(|(at, _)| at.0 + 1 == page) =>
                {
                    link_across_page_break(last, first, pages, &grids);
                }
                _ => chains.push(first),
            }
        }
        chains.extend(page_chains);
        orphans += page_orphans;
    }
    chains.retain(|chain| !chain.runs.is_empty());
    if chains
        .iter()
        .all(|c| c.runs.iter().all(|r| r.lines.is_empty()))
    {
        return Plan {
            owners,
            ..Plan::default()
        };
    }
    // The splits the text decides, per chain and run (see [`Openings`]), found in rounds:
    // each round's decisions rule out readings of their neighbours and teach the next round
    // more of the table's openings.
    let mut by_text: Vec<Vec<Option<usize>>> =
        chains.iter().map(|c| vec![None; c.runs.len()]).collect();
    // The last round whose text decisions every standing habit took.
    let mut settled: Option<Reading> = None;
    let mut round = 0;
    let (by_text, standing, possible) = loop {
        let (standing, possible) = readings(&chains, &by_text);
        if standing.is_empty() {
            // The text's decisions leave no habit standing: they are not the table's.
            break settled.unwrap_or((by_text, standing, possible));
        }
        round += 1;
        if round > TEXT_ROUNDS {
            break (by_text, standing, possible);
        }
        let openings = Openings::learn(pages, &chains, &possible);
        let mut more = by_text.clone();
        let mut found = false;
        for ((chain, text), chain_possible) in chains.iter().zip(&mut more).zip(&possible) {
            for ((run, decided), splits) in
                chain.runs.iter().zip(text.iter_mut()).zip(chain_possible)
            {
                if decided.is_some() || splits.len() < 2 {
                    continue;
                }
                if let Some(split) = openings.split(pages, run).filter(|s| splits.contains(s)) {
                    *decided = Some(split);
                    found = true;
                }
            }
        }
        if !found {
            break (by_text, standing, possible);
        }
        settled = Some((by_text, standing, possible));
        by_text = more;
    };
    let mut ambiguous = 0;
    for ((chain, chain_possible), text) in chains.iter().zip(&possible).zip(&by_text) {
        for ((run, splits), by_text) in chain.runs.iter().zip(chain_possible).zip(text) {
            if run.lines.is_empty() {
                continue;
            }
            // Across a page break the openings alone are a guess, said as one: the rows on
            // either side have no gap between them to confirm it.
            let crosses_page = run.across_break;
            // With no habit standing, only the gaps decide.
            let (decided, by_openings) = match (splits.as_slice(), run.by_gaps) {
                ([one], _) => (Some(*one), false),
                // With no habit standing, the gaps across a page break are two pages' parts
                // measured apart (often a dated line's gap to one line of text, on positions
                // snapped to a screen grid): no row's shape confirms them, so the break is
                // left to the page-break rules, as where no chain crosses it (1800580:
                // centred rows read a line off, with no warning).
                ([], Some(_)) if crosses_page && standing.is_empty() => (None, false),
                ([], Some(split)) => (Some(split), false),
                _ if standing.is_empty() => (None, false),
                _ => (*by_text, true),
            };
            if by_openings && crosses_page && decided.is_some() {
                ambiguous += 1;
            }
            match decided {
                Some(split) => {
                    for (k, &(page, line)) in run.lines.iter().enumerate() {
                        owners[page][line] = Some(if k < split {
                            Owner::Above
                        } else {
                            Owner::Below
                        });
                    }
                }
                None if !standing.is_empty() => ambiguous += 1,
                None => {}
            }
        }
    }
    // Text between a row's money line without a date and a neighbouring row is attached by
    // the reader's rules alone; where the rows print text above their dated lines those rules
    // guess, and say so.
    if standing.iter().any(|&h| HABITS[h] != Habit::Top) {
        ambiguous += orphans;
    }
    Plan {
        owners,
        ambiguous,
        text_above_rows: !standing.is_empty() && !standing.iter().any(|&h| HABITS[h] == Habit::Top),
    }
}

/// Text decisions per chain and run, the standing habits, and the splits they leave possible
/// per chain and run.
type Reading = (Vec<Vec<Option<usize>>>, Vec<usize>, Vec<Vec<Vec<usize>>>);

/// Rounds of text decisions at most (each teaches the next the openings its splits showed).
const TEXT_ROUNDS: usize = 4;

/// The habits every chain can be read under, with the text's decisions `by_text` fixed, and
/// the splits those habits leave possible, per chain and run.
fn readings(
    chains: &[Chain],
    by_text: &[Vec<Option<usize>>],
) -> (Vec<usize>, Vec<Vec<Vec<usize>>>) {
    // Each chain's readings under each habit, worked out once.
    let readings: Vec<Vec<Option<Vec<Vec<usize>>>>> = chains
        .iter()
        .zip(by_text)
        .map(|(chain, text)| {
            HABITS
                .iter()
                .map(|&habit| feasible(chain, text, habit))
                .collect()
        })
        .collect();
    let standing: Vec<usize> = (0..HABITS.len())
        .filter(|&h| readings.iter().all(|chain| chain[h].is_some()))
        .collect();
    // The splits each standing habit leaves possible, run by run, together.
    let possible = chains
        .iter()
        .zip(&readings)
        .map(|(chain, chain_readings)| {
            let mut possible: Vec<Vec<usize>> = vec![Vec::new(); chain.runs.len()];
            for &habit in &standing {
                for (run, splits) in chain_readings[habit].iter().flatten().enumerate() {
                    for &split in splits {
                        if !possible[run].contains(&split) {
                            possible[run].push(split);
                        }
                    }
                }
            }
            possible
        })
        .collect();
    (standing, possible)
}

/// How the table's narrations open, learnt from the rows whose first line the gaps and the
/// habit decide (and the table's rail prefixes, data): a run's split no geometry decides is
/// where the one line that opens a narration stands.
///
/// A line's opening is its narration's leading letters and the character after them
/// ("UPI/", "NEFT-", "ATM "). Every row's first line the evidence shows teaches its opening;
/// every line the evidence shows continuing a narration (the upper row's lines under its dated
/// line, the lower row's after its first) rules its opening out for good: an opening seen
/// inside a narration says nothing. Between two dated lines, exactly one of the places a
/// split could put the lower row's first line (a text line, or the lower dated line itself)
/// must open, and where every other does not, the split is there.
struct Openings {
    starts: std::collections::HashMap<String, usize>,
    inside: std::collections::HashSet<String>,
}

/// An opening learnt from this many rows' first lines opens a narration.
const LEARNT: usize = 2;

/// Rail prefixes that open a narration wherever a bank prints them first (data).
fn rail_openers() -> &'static [Vec<String>] {
    static OPENERS: std::sync::OnceLock<Vec<Vec<String>>> = std::sync::OnceLock::new();
    OPENERS.get_or_init(|| {
        include_str!("../../data/narration_openers.tsv")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|l| l.split_whitespace().map(str::to_string).collect())
            .collect()
    })
}

/// Whether `word` is a rail of its own (data/narration_openers.tsv: "ACH", "NEFT", "ECS"),
/// any case.
pub(super) fn opens_with_rail(word: &str) -> bool {
    rail_openers()
        .iter()
        .any(|opener| opener.len() == 1 && opener[0].eq_ignore_ascii_case(word))
}

/// A line's narration text (its first piece), if it prints one.
fn narration_of(c: &Classified) -> Option<&str> {
    let row = match &c.kind {
        LineKind::Dated(row) | LineKind::Continuation(row) => row,
        _ => return None,
    };
    row.narration
        .iter()
        .map(|(_, text)| text.trim())
        .find(|text| !text.is_empty())
}

/// The opening of a narration line: its leading letters (two at least) and the character
/// after them, or the line's end.
fn opening(text: &str) -> Option<String> {
    let letters: String = text.chars().take_while(char::is_ascii_alphabetic).collect();
    if letters.len() < 2 {
        return None;
    }
    let after = text[letters.len()..].chars().next().unwrap_or('$');
    Some(format!("{letters}{after}"))
}

/// Whether the line starts with one of the rail prefixes (its words in order, the last
/// followed by a character that is no letter or digit, then more text).
fn starts_with_rail(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    rail_openers().iter().any(|prefix| {
        let Some(last) = prefix.len().checked_sub(1) else {
            return false;
        };
        prefix
            .iter()
            .enumerate()
            .all(|(k, word)| match words.get(k) {
                Some(w) if k < last => w == word,
                Some(w) => {
                    w.strip_prefix(word.as_str())
                        .and_then(|rest| rest.chars().next())
                        .is_some_and(|ch| !ch.is_ascii_alphanumeric())
                        || (w == word && words.len() > prefix.len())
                }
                None => false,
            })
    })
}

impl Openings {
    /// Learns from every run whose split the standing habits (or the gaps) decide, and from
    /// every dated line with no text between it and the dated line above (its text opens).
    fn learn(
        pages: &[(usize, Vec<Classified>, bool)],
        chains: &[Chain],
        possible: &[Vec<Vec<usize>>],
    ) -> Openings {
        let mut openings = Openings {
            starts: std::collections::HashMap::new(),
            inside: std::collections::HashSet::new(),
        };
        for (chain, chain_possible) in chains.iter().zip(possible) {
            for (run, splits) in chain.runs.iter().zip(chain_possible) {
                let split = match (splits.as_slice(), run.by_gaps) {
                    ([one], _) => *one,
                    ([], Some(split)) => split,
                    _ => continue,
                };
                for k in 0..=run.lines.len() {
                    let line = line_at(pages, run.lines.get(k).copied().unwrap_or(run.below));
                    let Some(key) = narration_of(line).and_then(opening) else {
                        continue;
                    };
                    if k == split {
                        *openings.starts.entry(key).or_default() += 1;
                    } else {
                        openings.inside.insert(key);
                    }
                }
            }
        }
        openings
    }

    /// Whether the line opens a narration.
    fn opens(&self, c: &Classified) -> bool {
        let Some(text) = narration_of(c) else {
            return false;
        };
        let Some(key) = opening(text) else {
            return false;
        };
        !self.inside.contains(&key)
            && (self.starts.get(&key).is_some_and(|&n| n >= LEARNT) || starts_with_rail(text))
    }

    /// The split of `run` the openings decide: the one place (a text line, or the dated line
    /// under the run) whose line opens a narration.
    fn split(&self, pages: &[(usize, Vec<Classified>, bool)], run: &Run) -> Option<usize> {
        let line = |k: usize| line_at(pages, run.lines.get(k).copied().unwrap_or(run.below));
        let mut opening = (0..=run.lines.len()).filter(|&k| self.opens(line(k)));
        let first = opening.next()?;
        // A line printing no narration (a wrapped reference alone) just above the one that
        // opens may be the lower row's first all the same: nothing decides.
        let joins_above = first
            .checked_sub(1)
            .is_none_or(|k| narration_of(line(k)).is_some());
        (opening.next().is_none() && joins_above).then_some(first)
    }
}

/// Whether every later page's heading is followed by a dated line, with no text between (two
/// pages at least): a row then never prints text above its dated line at a page's top, where
/// nothing but the heading could be above it, and a dated line right under a line that is no
/// text has none above it anywhere in the table.
fn pages_open_on_dated_lines(pages: &[(usize, Vec<Classified>, bool)]) -> bool {
    let tops: Vec<bool> = pages
        .iter()
        .skip(1)
        .filter(|(_, _, has_header)| *has_header)
        .filter_map(|(_, lines, _)| {
            let first = lines.iter().position(is_anchor)?;
            Some(first == 0 || !is_text(&lines[first - 1]))
        })
        .collect();
    tops.len() >= 2 && tops.iter().all(|&bare| bare)
}

/// A row's anchor for this purpose: a dated line carrying money (a dated note without money
/// waits for a money line, which this does not follow).
fn is_anchor(c: &Classified) -> bool {
    matches!(&c.kind, LineKind::Dated(row) if row.has_money())
}

fn is_text(c: &Classified) -> bool {
    matches!(&c.kind, LineKind::Continuation(row)
        if !row.narration.is_empty() || !row.reference.is_empty())
}

/// The page's chains: anchors with only text lines between them. Any other line (money
/// without a date, a marker, furniture) breaks the chain. On the table's first page
/// (`opens_table`), the text lines between the heading (or the opening balance's row) and the
/// first dated line are the first row's top: no row above could own them. The page's first
/// chain notes its [`Chain::lead`] and its last its [`Chain::tail`], for the page breaks.
///
/// Also counts the page's orphan runs: text lines between two lines carrying money, one of
/// them without a date (dates printed on a day's first row only), which no chain holds.
fn chains_of_page(
    page: usize,
    lines: &[Classified],
    opens_table: bool,
    bare_tops: bool,
    grid: &Grid,
) -> (Vec<Chain>, usize) {
    let mut chains = Vec::new();
    let mut current: Option<(usize, Chain)> = None;
    let mut since_anchor: Vec<usize> = Vec::new();
    // Text lines since the last line carrying money, and whether that line had no date.
    let (mut since_money, mut after_dateless) = (0usize, false);
    let mut orphans = 0;
    for (index, c) in lines.iter().enumerate() {
        let dateless = matches!(&c.kind, LineKind::MoneyOnly(row) if row.has_money());
        if is_anchor(c) || dateless {
            if since_money > 0 && (after_dateless || dateless) {
                orphans += 1;
            }
            since_money = 0;
            after_dateless = dateless;
        } else if is_text(c) {
            since_money += 1;
        } else {
            since_money = 0;
            after_dateless = false;
        }
        if is_anchor(c) {
            if let Some((anchor, chain)) = current.as_mut() {
                let run = Run {
                    min_above: since_anchor
                        .iter()
                        .rposition(|&k| lines[k].ends_row_above)
                        .map_or(0, |k| k + 1),
                    by_gaps: split_by_gaps(lines, (*anchor, index), &since_anchor, grid),
                    lines: since_anchor.iter().map(|&k| (page, k)).collect(),
                    below: (page, index),
                    across_break: false,
                };
                chain.runs.push(run);
                *anchor = index;
            } else {
                let first_above = ((opens_table && chains.is_empty())
                    || (bare_tops && since_anchor.is_empty()))
                .then_some(since_anchor.len());
                current = Some((
                    index,
                    Chain {
                        first_above,
                        runs: Vec::new(),
                        lead: None,
                        tail: None,
                    },
                ));
            }
            since_anchor.clear();
        } else if is_text(c) {
            since_anchor.push(index);
        } else {
            chains.extend(current.take().map(|(_, chain)| chain));
            since_anchor.clear();
        }
    }
    chains.extend(current.map(|(_, chain)| chain));
    let positions = |range: std::ops::Range<usize>| range.map(|k| (page, k)).collect();
    // Text as close to the next line as a table's lines sit (a footer at the narration's
    // margin stands farther off, and is no row's).
    let near = |k: usize| {
        let (a, b) = (&lines[k], &lines[k + 1]);
        b.y - a.y <= (a.size.max(b.size) * NEAR_SIZES).max(grid.pitch.unwrap_or(0.0) * NEAR_PITCHES)
    };
    // The page's first row: the text right over its dated line, only furniture above that.
    if let (Some(first), Some(chain)) = (lines.iter().position(is_anchor), chains.first_mut()) {
        let mut start = first;
        while start > 0 && is_text(&lines[start - 1]) && near(start - 1) {
            start -= 1;
        }
        if lines[..start].iter().all(is_furniture) {
            chain.lead = Some(((page, first), positions(start..first)));
        }
    }
    // The page's last row: the text right under its dated line, only furniture below that.
    if let (Some(last), Some(chain)) = (lines.iter().rposition(is_anchor), chains.last_mut()) {
        let mut end = last + 1;
        while end < lines.len() && is_text(&lines[end]) && near(end - 1) {
            end += 1;
        }
        if lines[end..].iter().all(is_furniture) {
            chain.tail = Some(((page, last), positions(last + 1..end)));
        }
    }
    (chains, orphans)
}

/// How far apart, in font sizes or the page's cell pitches, a page's last (or first) row and
/// text of a row the page break cut may sit: rows padded apart, not a footer's distance.
const NEAR_SIZES: f32 = 2.5;
const NEAR_PITCHES: f32 = 1.6;

/// A dated line's gap to the text across from it must be this much wider than its gap to its
/// own text on the other side, and than the page's pitch, to part two rows: a row's padding
/// (12.7 against 10.1 points), not a dated cell dropped a point off its row's line grid.
const ROW_BORDER: f32 = 1.2;

/// Page furniture, or a balance marker: no row's line and no text of one.
fn is_furniture(c: &Classified) -> bool {
    matches!(c.kind, LineKind::Other | LineKind::Marker(_))
}

/// Joins `next`, the first chain of a page, to `chain`, the previous page's last, across the
/// page break: the text under the one page's last dated line and over the next page's first
/// is one run, split at one place (a row the break cut prints some of its lines on each
/// page, a row it did not cut all on one). The gaps decide only inside each page's part of
/// it, where one stands out, or where the page's last dated line, or first, sits a row's gap
/// from the text.
fn link_across_page_break(
    chain: &mut Chain,
    next: Chain,
    pages: &[(usize, Vec<Classified>, bool)],
    grids: &[Grid],
) {
    let (Some((upper, tail)), Some((below, lead))) = (chain.tail.take(), next.lead) else {
        return;
    };
    let lines: Vec<Pos> = tail.iter().chain(&lead).copied().collect();
    let run = Run {
        min_above: lines
            .iter()
            .rposition(|&pos| line_at(pages, pos).ends_row_above)
            .map_or(0, |k| k + 1),
        by_gaps: split_across_page_break(pages, grids, (upper, below), (&tail, &lead)),
        lines,
        below,
        across_break: true,
    };
    chain.runs.push(run);
    chain.runs.extend(next.runs);
    chain.tail = next.tail;
}

/// [`split_by_gaps`] for a run across a page break: the distance from one page's bottom to
/// the next page's top says nothing, so only a gap inside one page's part may stand out from
/// the others (two at least) and the pitch, or, where nothing stands out, a row's gap parting the page's
/// last dated line from the text under it, wider than the one to its text above (all of the
/// run is the next row's), or the text over the next page's first dated line from it, wider
/// than the one to its text below (all of it is the cut row's).
fn split_across_page_break(
    pages: &[(usize, Vec<Classified>, bool)],
    grids: &[Grid],
    (upper, below): (Pos, Pos),
    (tail, lead): (&[Pos], &[Pos]),
) -> Option<usize> {
    let y = |pos: Pos| line_at(pages, pos).y;
    // Gaps inside each part: (split they make, gap, the page's pitch).
    let mut inner: Vec<(usize, f32, Option<f32>)> = Vec::new();
    for (offset, part) in [(0, tail), (tail.len(), lead)] {
        for (k, pair) in part.windows(2).enumerate() {
            inner.push((
                offset + k + 1,
                y(pair[1]) - y(pair[0]),
                grids[pair[0].0].pitch,
            ));
        }
    }
    // One gap alone has nothing to stand out from but the pitch, which a page with few lines
    // may measure between a dated line and its text (half a line apart).
    let widest = inner
        .iter()
        .copied()
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .filter(|_| inner.len() >= 2);
    if let Some((split, gap, Some(pitch))) = widest {
        let apart = gap >= pitch * STANDS_OUT
            && inner
                .iter()
                .all(|&(other, width, _)| other == split || gap >= width * STANDS_OUT);
        if apart {
            return Some(split);
        }
    }
    let widest_inner = inner.iter().map(|&(_, gap, _)| gap).fold(0.0, f32::max);
    // A dated line's gap to the text of its own page's part standing out from its gap to its
    // own text on the other side (and from the part's own gaps): a row's border, as where
    // rows are padded apart. Measured only on pages whose dated lines sit on the text's grid.
    let stands_out = |gap: f32, own: Option<f32>, page: usize| {
        let grid = &grids[page];
        grid.anchors_on_grid
            && grid.pitch.is_some_and(|pitch| gap >= pitch * ROW_BORDER)
            && own.is_some_and(|own| own > 0.0 && gap >= own * ROW_BORDER)
            && gap >= widest_inner * ROW_BORDER
    };
    // The gap between the dated line at `at` and the text line `step` lines from it, if text.
    let own_gap = |(page, line): Pos, step: isize| {
        let other = line.checked_add_signed(step)?;
        let c = pages[page].1.get(other).filter(|c| is_text(c))?;
        Some((c.y - line_at(pages, (page, line)).y).abs())
    };
    let parts_from_upper =
        !tail.is_empty() && stands_out(y(tail[0]) - y(upper), own_gap(upper, -1), upper.0);
    let parts_from_below = !lead.is_empty()
        && stands_out(
            y(below) - y(lead[lead.len() - 1]),
            own_gap(below, 1),
            below.0,
        );
    match (parts_from_upper, parts_from_below) {
        (true, false) => Some(0),
        (false, true) => Some(tail.len() + lead.len()),
        _ => None,
    }
}

fn line_at(pages: &[(usize, Vec<Classified>, bool)], (page, line): Pos) -> &Classified {
    &pages[page].1[line]
}

/// Where the gaps split the text between the anchors `above` and `below`, the page's cell
/// line pitch being `pitch`. A gap between two of the run's text lines wider than every other
/// between its text lines, and than the pitch, by [`STANDS_OUT`], is the rows' border. Only
/// where no such gap parts the text (all of it is one row's) do the gaps to the anchors
/// decide, one of them standing out from the other and from the text's own: a dated line
/// may be printed off its row's line grid (cells dropped below the row, a centred cell
/// merged with a wrapped line), so its gaps speak only where the text's do not. (Around a
/// dated line centred between two text lines the gaps are half a pitch, and the full pitch
/// from the upper row's last line to the lower row's first is their border, padded or not.)
fn split_by_gaps(
    lines: &[Classified],
    (above, below): (usize, usize),
    text: &[usize],
    grid: &Grid,
) -> Option<usize> {
    let pitch = grid.pitch;
    let q = grid.quantum;
    if text.is_empty() {
        return Some(0);
    }
    let y = |k: usize| lines[k].y;
    let inner: Vec<f32> = text.windows(2).map(|p| y(p[1]) - y(p[0])).collect();
    let widest = inner
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .map(|(k, &gap)| (k, gap));
    if let (Some((k, gap)), Some(pitch)) = (widest, pitch) {
        let apart = gap >= pitch * STANDS_OUT
            && inner
                .iter()
                .enumerate()
                .all(|(j, &other)| j == k || gap >= other * STANDS_OUT);
        if apart {
            return Some(k + 1);
        }
    }
    if !grid.anchors_on_grid {
        return None;
    }
    let widest_inner = inner.iter().copied().fold(0.0, f32::max);
    let into = y(text[0]) - y(above);
    let out = y(below) - y(text[text.len() - 1]);
    // The text joins its dated line at a pitch or half a pitch, as a row's own lines do.
    let joins = |gap: f32| {
        pitch.is_some_and(|p| {
            [p, p * 0.5]
                .iter()
                .any(|&d| (gap - d).abs() <= (p * JOINS).max(q))
        })
    };
    let stands_out = |gap: f32, other: f32| gap + q >= other * STANDS_OUT && gap > other;
    if stands_out(into, out) && stands_out(into, widest_inner) && joins(out) {
        Some(0)
    } else if stands_out(out, into) && stands_out(out, widest_inner) && joins(into) {
        Some(text.len())
    } else {
        None
    }
}

/// How the page's lines sit: the pitch of a cell's wrapped lines, and whether its dated lines
/// sit on the text's line grid (a pitch or half a pitch from the nearest text line, or farther
/// than a pitch): only then do the gaps to a dated line say where its row ends.
struct Grid {
    pitch: Option<f32>,
    anchors_on_grid: bool,
    /// The step of a screen's pixel grid the producer placed every line on (0 where lines sit
    /// anywhere): each distance may be off by one step, so no closer match is asked.
    quantum: f32,
}

/// How close to a pitch or half a pitch from its dated line a row's nearest text line sits,
/// as a share of the pitch.
const JOINS: f32 = 0.05;

/// Dated lines off the text's grid by more than this share of the pitch are displaced.
const OFF_GRID: f32 = 0.1;

/// Pixel steps of the screen grids producers place glyphs on: 96 and 72 dpi, in points.
const PIXEL_STEPS: [f32; 2] = [0.75, 1.0];

/// The pixel step every distance between the page's lines is a whole number of, if any (three
/// distances at least; a page whose baselines sit anywhere gives 0).
fn pixel_quantum(lines: &[Classified]) -> f32 {
    let gaps: Vec<f32> = lines
        .windows(2)
        .map(|p| p[1].y - p[0].y)
        .filter(|gap| *gap > 0.0)
        .collect();
    if gaps.len() < 3 {
        return 0.0;
    }
    PIXEL_STEPS
        .into_iter()
        .find(|step| {
            gaps.iter()
                .all(|gap| ((gap / step) - (gap / step).round()).abs() * step < 0.01)
        })
        .unwrap_or(0.0)
}

fn grid_of_page(lines: &[Classified]) -> Grid {
    let pitch = cell_pitch(lines);
    let quantum = pixel_quantum(lines);
    let Some(p) = pitch else {
        return Grid {
            pitch,
            anchors_on_grid: false,
            quantum,
        };
    };
    let (mut near, mut off) = (0usize, 0usize);
    for (k, c) in lines.iter().enumerate() {
        if !is_anchor(c) {
            continue;
        }
        let before = k.checked_sub(1).map(|j| &lines[j]);
        let nearest = before
            .into_iter()
            .chain(lines.get(k + 1))
            .filter(|n| is_text(n))
            .map(|n| (n.y - c.y).abs())
            .reduce(f32::min);
        let Some(d) = nearest.filter(|d| *d < p * (1.0 - OFF_GRID)) else {
            continue;
        };
        near += 1;
        if (d - p * 0.5).abs() > (p * OFF_GRID).max(quantum) {
            off += 1;
        }
    }
    Grid {
        pitch,
        anchors_on_grid: off < 2 || off * 10 < near,
        quantum,
    }
}

/// The pitch of a cell's wrapped lines on the page: the lower quartile of the gaps between
/// consecutive table lines, leaving out gaps under 0.6 of their median (a dated line centred
/// half a pitch from its text, or dropped next to a wrapped line).
fn cell_pitch(lines: &[Classified]) -> Option<f32> {
    let gaps: Vec<f32> = lines
        .windows(2)
        .filter(|p| p.iter().all(|c| is_anchor(c) || is_text(c)))
        .map(|p| p[1].y - p[0].y)
        .filter(|gap| *gap > 0.0)
        .collect();
    let mut sorted = gaps.clone();
    sorted.sort_by(f32::total_cmp);
    let median = *sorted.get(sorted.len() / 2)?;
    let pitch = super::lower_quartile(gaps.into_iter().filter(|g| *g >= median * 0.6).collect())?;
    // Where most rows centre two text lines about their dated line, half a pitch from each,
    // those half pitches are most of the gaps and the quartile is one. No two lines of a cell
    // stand half a pitch apart: where no two text lines stand at the quartile and some stand
    // twice as far apart, those are the pitch.
    let text_gaps: Vec<f32> = lines
        .windows(2)
        .filter(|p| p.iter().all(is_text))
        .map(|p| p[1].y - p[0].y)
        .filter(|gap| *gap > 0.0)
        .collect();
    let near = |gap: f32, to: f32| (gap - to).abs() <= to * OFF_GRID;
    if text_gaps.iter().all(|&gap| !near(gap, pitch)) {
        let doubled: Vec<f32> = text_gaps
            .into_iter()
            .filter(|&gap| near(gap, pitch * 2.0))
            .collect();
        if doubled.len() >= MIN_DOUBLED_PITCHES {
            return super::lower_quartile(doubled);
        }
    }
    Some(pitch)
}

/// Fewest pairs of text lines standing twice the measured pitch apart (and none at it) that
/// show the measured pitch is half the cell's (see [`cell_pitch`]).
const MIN_DOUBLED_PITCHES: usize = 2;

/// For each run of the chain, the splits (lines to the row above) that some reading of the
/// whole chain under `habit` allows; None when no reading does.
fn feasible(chain: &Chain, by_text: &[Option<usize>], habit: Habit) -> Option<Vec<Vec<usize>>> {
    let runs = &chain.runs;
    let candidates: Vec<Vec<usize>> = runs
        .iter()
        .zip(by_text)
        .map(|(run, text)| match run.by_gaps.or(*text) {
            Some(split) if split >= run.min_above => vec![split],
            Some(_) => Vec::new(),
            None => (run.min_above..=run.lines.len()).collect(),
        })
        .collect();
    let n = |j: usize| runs[j].lines.len();
    // Forward: splits reachable from the chain's first row.
    let mut forward: Vec<Vec<usize>> = Vec::with_capacity(runs.len());
    for j in 0..runs.len() {
        let reach: Vec<usize> = candidates[j]
            .iter()
            .copied()
            .filter(|&split| match j {
                0 => match chain.first_above {
                    Some(above) => habit.allows(above, split),
                    None => habit.allows_below(split),
                },
                _ => forward[j - 1]
                    .iter()
                    .any(|&before| habit.allows(n(j - 1) - before, split)),
            })
            .collect();
        forward.push(reach);
    }
    // Backward: splits the rest of the chain can follow.
    let last = runs.len() - 1;
    let mut backward: Vec<Vec<usize>> = vec![Vec::new(); runs.len()];
    for j in (0..runs.len()).rev() {
        backward[j] = candidates[j]
            .iter()
            .copied()
            .filter(|&split| {
                if j == last {
                    habit.allows_above(n(j) - split)
                } else {
                    backward[j + 1]
                        .iter()
                        .any(|&after| habit.allows(n(j) - split, after))
                }
            })
            .collect();
    }
    let both: Vec<Vec<usize>> = forward
        .iter()
        .zip(&backward)
        .map(|(f, b)| f.iter().copied().filter(|s| b.contains(s)).collect())
        .collect();
    (!both.iter().any(Vec::is_empty)).then_some(both)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::RawRow;

    /// A page's table lines by baseline: text lines, and dated lines (with money, and text
    /// where given) where the flag is set.
    fn page(lines: &[(f32, &str, bool)]) -> Vec<Classified> {
        lines
            .iter()
            .map(|&(y, text, anchor)| {
                let row = RawRow {
                    narration: if text.is_empty() {
                        Vec::new()
                    } else {
                        vec![(y, text.to_string())]
                    },
                    balance: anchor.then(|| "1,000.00".to_string()),
                    ..RawRow::default()
                };
                Classified {
                    y,
                    size: 8.0,
                    kind: if anchor {
                        LineKind::Dated(row)
                    } else {
                        LineKind::Continuation(row)
                    },
                    ends_row_above: false,
                    notes_continuation: false,
                    prints_totals: false,
                }
            })
            .collect()
    }

    fn owners(plan: &Plan, page: usize) -> Vec<Option<Owner>> {
        plan.owners[page].clone()
    }

    #[test]
    fn rows_padded_apart_split_where_the_gap_is_widest() {
        // Centred rows 2.5 apart beyond the 10-point pitch: a three-line row, a two-line row
        // whose dated line sits between its lines, a one-line row.
        let lines = page(&[
            (0.0, "NEFT-SBIN-ACME", false),
            (10.0, "TECHNOLOGIES PVT", true),
            (20.0, "LTD-SALARY", false),
            (32.5, "UPI/DR/4598/NIKHIL", false),
            (37.5, "", true),
            (42.5, "PILLAI/ICIC", false),
            (55.0, "ATM WDL", true),
        ]);
        let plan = plan(&[(1, lines, true)]);
        use Owner::{Above, Below};
        assert_eq!(
            owners(&plan, 0),
            [
                None,
                None,
                Some(Above),
                Some(Below),
                None,
                Some(Above),
                None
            ]
        );
        assert_eq!(plan.ambiguous, 0);
    }

    #[test]
    fn unpadded_rows_follow_the_habit_their_first_row_shows() {
        // Cells on the row's bottom, rows at the line pitch: nothing in the gaps; the table's
        // first row, under its heading, prints two lines above its dated line, which only
        // rows sitting on their bottom allow along the rest of the page.
        let lines = page(&[
            (0.0, "NEFT-SBIN-ACME", false),
            (10.0, "TECHNOLOGIES", false),
            (20.0, "LTD-SALARY", true),
            (30.0, "ATM WDL", true),
            (40.0, "UPI/DR/4598/NIKHIL", false),
            (50.0, "PILLAI/ICIC", true),
            (60.0, "BY CLG/CHQ 100160", false),
            (70.0, "AXIS BANK LTD CTS", false),
            (80.0, "CLEARING", true),
        ]);
        let plan = plan(&[(1, lines, true)]);
        use Owner::Below;
        let mut want = vec![None; 9];
        for k in [4, 6, 7] {
            want[k] = Some(Below);
        }
        assert_eq!(owners(&plan, 0), want);
        assert!(plan.text_above_rows);
        assert_eq!(plan.ambiguous, 0);
    }

    #[test]
    fn the_one_line_that_opens_a_narration_decides_an_open_split() {
        // Unpadded rows centred on the line grid (upper middle): a two-line row prints its
        // second line under its dated line, a three-line row one line above and one below.
        // Between two dated lines the gaps say nothing; the rows' first lines ("UPI/",
        // "NEFT-") open narrations, their wrapped lines do not.
        let lines = page(&[
            (0.0, "UPI/DR/4598/NIKHIL", true),
            (10.0, "PILLAI/ICIC", false),
            (20.0, "NEFT-SBIN-ACME", false),
            (30.0, "TECHNOLOGIES PVT", true),
            (40.0, "LTD-SALARY", false),
            (50.0, "UPI/DR/7710/MEERA", true),
            (60.0, "NAIR/HDFC", false),
            (70.0, "ATM WDL", true),
        ]);
        let plan = plan(&[(1, lines, false)]);
        use Owner::{Above, Below};
        assert_eq!(
            owners(&plan, 0),
            [
                None,
                Some(Above),
                Some(Below),
                None,
                Some(Above),
                None,
                Some(Above),
                None
            ]
        );
        assert_eq!(plan.ambiguous, 0);
    }

    #[test]
    fn an_opening_seen_inside_a_narration_decides_nothing() {
        // The same rows, but a wrapped line opens with "UPI/" too (a note): two lines of the
        // run open, so the split stays open and is counted.
        let lines = page(&[
            (0.0, "NEFT-SBIN-ACME", true),
            (10.0, "UPI/NOTE", false),
            (20.0, "UPI/DR/7710/MEERA", false),
            (30.0, "NAIR/HDFC", true),
        ]);
        let plan = plan(&[(1, lines, false)]);
        assert_eq!(owners(&plan, 0), [None, None, None, None]);
        assert_eq!(plan.ambiguous, 1);
    }

    #[test]
    fn a_reference_alone_above_the_opening_line_decides_nothing() {
        // The lower row's first line may print only its reference's first piece: the line
        // opening its narration is then its second, and the reference line could be either
        // row's.
        let mut lines = page(&[
            (0.0, "NEFT-SBIN-ACME", true),
            (10.0, "TECHNOLOGIES", false),
            (20.0, "", false),
            (30.0, "UPI/DR/7710/MEERA", true),
        ]);
        lines[2].kind = LineKind::Continuation(RawRow {
            reference: vec![(20.0, "KKBKN4367167".to_string())],
            ..RawRow::default()
        });
        let plan = plan(&[(1, lines, false)]);
        assert_eq!(owners(&plan, 0), [None, None, None, None]);
        assert_eq!(plan.ambiguous, 1);
    }

    #[test]
    fn a_split_no_evidence_decides_is_counted_not_decided() {
        // A later page of unpadded rows, alone: one text line between two dated lines is the
        // upper row's last or the lower row's first, and nothing says which.
        let first = page(&[(0.0, "ATM WDL", true), (10.0, "POS AMAZON", true)]);
        let later = page(&[
            (0.0, "UPI/DR/4598/NIKHIL", true),
            (10.0, "PILLAI/ICIC", false),
            (20.0, "SALARY CREDIT", true),
        ]);
        let plan = plan(&[(1, first, true), (2, later, false)]);
        assert_eq!(owners(&plan, 1), [None, None, None]);
        assert_eq!(plan.ambiguous, 1);
    }
    #[test]
    fn a_row_cut_by_a_page_break_is_split_across_it_as_the_habit_says() {
        // Rows on their bottom, padded apart (a 10-point pitch, rows 12.5 apart): the page's
        // last line sits a row's gap under the page's last dated line, so it is the top of the
        // next page's first row, not the end of the row above it.
        let first = page(&[
            (0.0, "UPI/DR/401706976235/RAHUL", false),
            (10.0, "MENON/ICIC/groceries", true),
            (22.5, "NEFT-SBIN-ACME", false),
            (32.5, "TECHNOLOGIES", true),
            (45.0, "UPI/CR/420907718951/HARISH", false),
        ]);
        let later = page(&[
            (0.0, "JOSHI/ICIC/dinner", true),
            (12.5, "UPI/DR/348372522930/AMIT", false),
            (22.5, "REDDY/KKBK/loan", true),
        ]);
        let plan = plan(&[(1, first, true), (2, later, false)]);
        use Owner::Below;
        assert_eq!(
            owners(&plan, 0),
            [None, None, Some(Below), None, Some(Below)]
        );
        assert_eq!(owners(&plan, 1), [None, Some(Below), None]);
        assert_eq!(plan.ambiguous, 0);
    }

    #[test]
    fn furniture_between_a_pages_last_row_and_its_text_keeps_the_page_break_apart() {
        // A money line without a date after the page's last dated line: the text under it is
        // not the page's last row's, and no run crosses the break.
        let mut first = page(&[
            (0.0, "UPI/DR/401706976235/RAHUL", false),
            (10.0, "MENON/ICIC/groceries", true),
            (20.0, "", false),
            (30.0, "UPI/CR/420907718951/HARISH", false),
        ]);
        first[2].kind = LineKind::MoneyOnly(RawRow {
            balance: Some("1,000.00".to_string()),
            debit: Some("10.00".to_string()),
            ..RawRow::default()
        });
        let later = page(&[(0.0, "JOSHI/ICIC/dinner", true)]);
        let plan = plan(&[(1, first, true), (2, later, false)]);
        assert_eq!(owners(&plan, 0), [None, None, None, None]);
        assert_eq!(owners(&plan, 1), [None]);
    }
}
