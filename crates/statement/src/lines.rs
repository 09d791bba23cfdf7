//! Words from the PDF layer grouped into visual lines.

use crate::text::{Line, Word};
use crate::values;
use ledgerlens_pdf::PageText;

/// Groups a page's words into lines: words whose baselines are within a third of the font size.
/// Where the page is one of a file's, [`file_lines`] reads the whole file: a Dr/Cr column's
/// heading printed on one page tells how every page's amounts and marks belong together.
pub fn page_lines(page: &PageText) -> Vec<Line> {
    let mut lines = baseline_lines(page);
    crate::whole_rupees::read_whole_rupees(std::slice::from_mut(&mut lines));
    let marker_columns = marker_column_spans(std::slice::from_ref(&lines));
    finish_lines(lines, &marker_columns)
}

/// The words of a page in visual lines, each line's words left to right, nothing joined yet.
pub(crate) fn baseline_lines(page: &PageText) -> Vec<Line> {
    let mut lines: Vec<Line> = Vec::new();
    // The baseline of each line's first run, which the line's other runs are measured from.
    let mut first_baselines: Vec<f32> = Vec::new();
    // The PDF layer returns words in baseline bands, top to bottom and left to right.
    for run in &page.runs {
        let word = Word {
            text: run.text.clone(),
            x0: run.x0,
            x1: run.x1,
        };
        match (lines.last_mut(), first_baselines.last()) {
            (Some(line), Some(&first))
                if (run.y - first).abs() <= line.size.max(run.size) * 0.35 =>
            {
                line.size = line.size.max(run.size);
                // The line sits at its highest run's baseline whichever run comes first: a
                // cell dropped onto a wrapped line's baseline then reads alike whether the
                // columns run date first or narration first.
                line.y = line.y.min(run.y);
                line.words.push(word);
            }
            _ => {
                first_baselines.push(run.y);
                lines.push(Line {
                    page: page.number,
                    y: run.y,
                    size: run.size,
                    words: vec![word],
                });
            }
        }
    }
    for line in &mut lines {
        line.words.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    }
    lines
}

/// Joins the words of each line that are one value (a date in several words, an amount and
/// its Dr/Cr mark) and the cells of one row printed on slightly different baselines.
/// `marker_columns`: the horizontal spans of the file's Dr/Cr column headings.
pub(crate) fn finish_lines(mut lines: Vec<Line>, marker_columns: &[(f32, f32)]) -> Vec<Line> {
    for line in &mut lines {
        let words = split_glued_marks(std::mem::take(&mut line.words), line.size, marker_columns);
        line.words = merge_compound_words(words, line.size, marker_columns);
    }
    join_offset_cells(lines)
}

/// Splits a word that is an amount and a Dr/Cr mark printed with no space between them
/// ("152.34D") where the mark stands under a Dr/Cr column's heading: a sheet converted to PDF
/// prints a right-aligned amount and a left-aligned mark in the next, narrow column flush
/// against each other, and the two cells came out as one word. The mark's position is
/// estimated from the word's average character width.
fn split_glued_marks(words: Vec<Word>, size: f32, marker_columns: &[(f32, f32)]) -> Vec<Word> {
    if marker_columns.is_empty() {
        return words;
    }
    let mut out: Vec<Word> = Vec::with_capacity(words.len());
    for word in words {
        match glued_mark_split(&word, size, marker_columns) {
            Some((amount, mark)) => {
                out.push(amount);
                out.push(mark);
            }
            None => {
                // Printed as two words but flush: an amount reaching a little past the Dr/Cr
                // heading's left edge is still its own column's.
                if let (Some(previous), Some(heading)) = (
                    out.last_mut(),
                    heading_over_mark(&word, size, marker_columns),
                ) {
                    let amount_before = previous.x0 < heading.0
                        && previous.x1 > heading.0
                        && word.x0 - previous.x1 < size * 0.5
                        && values::parse_amount(&previous.text).is_some_and(|a| a.side.is_none());
                    if amount_before {
                        previous.x1 = heading.0 - 0.1;
                    }
                }
                out.push(word);
            }
        }
    }
    out
}

/// The Dr/Cr heading span over `word` when the word is a Dr/Cr mark.
fn heading_over_mark(word: &Word, size: f32, marker_columns: &[(f32, f32)]) -> Option<(f32, f32)> {
    values::is_dr_cr_marker(&word.text)?;
    marker_heading_over(word, size, marker_columns)
}

fn glued_mark_split(word: &Word, size: f32, marker_columns: &[(f32, f32)]) -> Option<(Word, Word)> {
    let text = word.text.as_str();
    let last_digit = text.rfind(|c: char| c.is_ascii_digit())?;
    let (amount, mark) = text.split_at(last_digit + 1);
    if mark.is_empty() || values::is_dr_cr_marker(mark).is_none() {
        return None;
    }
    let amount_side = values::parse_amount(amount)?.side;
    if amount_side.is_some() || !amount.contains(['.', ',']) {
        return None;
    }
    let per_char = (word.x1 - word.x0) / text.chars().count().max(1) as f32;
    let split_x = word.x1 - per_char * mark.chars().count() as f32;
    let mark_word = Word {
        text: mark.to_string(),
        x0: split_x,
        x1: word.x1,
    };
    let heading = heading_over_mark(&mark_word, size, marker_columns)?;
    // The amount is its own column's: it ends before the Dr/Cr heading begins, where the
    // flush cells' boundary is (the estimate can overshoot it by part of a glyph).
    let amount_word = Word {
        text: amount.to_string(),
        x0: word.x0,
        x1: split_x.min(heading.0 - 0.1).max(word.x0),
    };
    Some((amount_word, mark_word))
}

/// Where a file prints a Dr/Cr column: the spans of its heading words ("Dr/Cr", "Type",
/// "Debit/" over "Credit") on lines that print no money and no date. A mark under such a
/// heading is that column's cell, however close the amount before it (a browser pads cells by
/// little more than a space); a mark anywhere else follows its amount in one cell.
pub(crate) fn marker_column_spans(pages: &[Vec<Line>]) -> Vec<(f32, f32)> {
    let mut spans: Vec<(f32, f32)> = Vec::new();
    let mut found: Vec<(f32, f32)> = Vec::new();
    let mut word = String::new();
    for line in pages.iter().flatten() {
        // Lines none of whose words can open such a heading (every narration line a row wraps
        // to) are passed over before their words are normalised.
        let may_head = line
            .words
            .iter()
            .any(|w| crate::columns::could_open_drcr_heading(&w.text, &mut word));
        if !may_head || has_money(line) {
            continue;
        }
        // A row of account details' labels ("A/C TYPE" beside "IFSC") heads no Dr/Cr column.
        if crate::columns::reads_as_identity_labels(std::slice::from_ref(line)) {
            continue;
        }
        let texts: Vec<String> = line.words.iter().map(|w| normalise(&w.text)).collect();
        found.clear();
        for start in 0..line.words.len() {
            if let Some(len) = crate::columns::drcr_heading_len(&texts[start..]) {
                found.push((line.words[start].x0, line.words[start + len - 1].x1));
            }
        }
        // Whether the line prints a date is asked only of the few lines naming such a
        // heading (every narration line a row wraps to has no money either).
        if found.is_empty() || has_date_cell(line) {
            continue;
        }
        for &span in &found {
            if !spans.contains(&span) {
                spans.push(span);
            }
        }
    }
    spans
}

/// Cells of one row printed on slightly different baselines (a serial number and date a few
/// points below the amounts, as re-printed or Ghostscript-converted statements do) become one
/// line again. Two neighbouring lines are joined when they sit well within a line pitch, do not
/// overlap horizontally, and only together hold both a date and money: a line of values only
/// (dates, numbers, amounts) completing a line that lacks them.
fn join_offset_cells(lines: Vec<Line>) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::with_capacity(lines.len());
    for line in lines {
        match out.last_mut() {
            Some(previous) if belong_together(previous, &line) => {
                // The line with the words a reader follows (narration, amounts) keeps its place:
                // a line of date and serial cells only, dropped off a line of text, does not
                // move it, however many cells it holds (a row printing its money on a line
                // above leaves its first narration line fewer words than its dropped serial
                // number, date and value date, and its lines must stay a pitch apart).
                let follows_reader = if dropped_cells_only(&line) != dropped_cells_only(previous) {
                    dropped_cells_only(previous)
                } else {
                    line.words.len() > previous.words.len()
                };
                if follows_reader {
                    previous.y = line.y;
                }
                previous.size = previous.size.max(line.size);
                previous.words.extend(line.words);
                previous.words.sort_by(|a, b| a.x0.total_cmp(&b.x0));
            }
            _ => out.push(line),
        }
    }
    out
}

fn belong_together(a: &Line, b: &Line) -> bool {
    let size = a.size.max(b.size);
    if b.y - a.y > size * 0.65 || a.page != b.page {
        return false;
    }
    let overlap = a.words.iter().any(|u| {
        b.words
            .iter()
            .any(|v| u.x0 < v.x1 - 0.5 && v.x0 < u.x1 - 0.5)
    });
    if overlap {
        return false;
    }
    let (a_date, a_money) = (has_date(a), has_money(a));
    let (b_date, b_money) = (has_date(b), has_money(b));
    // Within about half a font size, a line with the date and no money and one with money and
    // no date are one row whatever else they carry (a dropped date cell landing on a wrapped
    // line). Wrapped text lines sit at least a line pitch apart, so half a pitch (0.55 sizes
    // and more) from the dated line is where a centred layout's text begins.
    // The date need not lead its line here: where the narration is the first column it stands
    // after the narration's words, and two lines this close are one row's cells anyway.
    let (a_dated, b_dated) = (a_date || has_date_cell(a), b_date || has_date_cell(b));
    let complementary = (a_dated && !a_money && b_money && !b_dated)
        || (b_dated && !b_money && a_money && !a_dated);
    if complementary && b.y - a.y <= size * 0.55 {
        return true;
    }
    // The same with figures no money word shows: whole rupees under 1,000 print neither a
    // decimal point nor grouping ("979(Dr) 486", a table with no balance column printing
    // "590" alone). A line of such figures only, that close to a dated line with no money,
    // holds that row's dropped cells (its amounts, or its serial number).
    let dropped_figures = |x: &Line, x_dated: bool, other_dated: bool, other_money: bool| {
        !x_dated && other_dated && !other_money && figures_only(x)
    };
    if b.y - a.y <= size * 0.55
        && (dropped_figures(a, a_dated, b_dated, b_money)
            || dropped_figures(b, b_dated, a_dated, a_money))
    {
        return true;
    }
    // A serial number dropped off a row whose date cell is blank (dates printed on a day's
    // first row only) completes that row's money line as a dropped date does a dated one.
    let dateless_money = |x: &Line, x_date: bool| has_money(x) && !x_date && !has_date_cell(x);
    if b.y - a.y <= size * 0.55
        && ((serial_only(a) && dateless_money(b, b_date))
            || (serial_only(b) && dateless_money(a, a_date)))
    {
        return true;
    }
    // The same off a row's first narration line where the row prints its money on a line
    // above and its date on the day's first row only: that line holds no date and no money,
    // and a lone serial half a size under it (a wrapped line sits a pitch under) is its cell.
    let bare_text = |x: &Line, x_date: bool, x_money: bool| {
        !x_date && !x_money && !has_date_cell(x) && !values_only(x)
    };
    if b.y - a.y <= size * 0.55
        && ((serial_only(b) && bare_text(a, a_date, a_money))
            || (serial_only(a) && bare_text(b, b_date, b_money)))
    {
        return true;
    }
    if !(values_only(a) || values_only(b)) {
        return false;
    }
    let complete_alone = (a_date && a_money) || (b_date && b_money);
    // A date with nothing but values beside it, dropped off a line that has no date of its own
    // (the row's text, with or without money: a note has none).
    let lone_date = |x: &Line, x_date: bool, x_money: bool, other_date: bool| {
        values_only(x) && x_date && !x_money && !other_date
    };
    !complete_alone
        && (a_date || b_date)
        && (a_money
            || b_money
            || lone_date(a, a_date, a_money, b_date)
            || lone_date(b, b_date, b_money, a_date))
}

/// A date in one word, or a day and month without a year over two ("Apr 01").
/// Only the first two words count: a row's date leads its line (after a serial number at
/// most), while dates further along are inside a narration ("INT.PD:01-07-2023 TO 30-09-2023").
fn has_date(line: &Line) -> bool {
    let lead = &line.words[..line.words.len().min(2)];
    lead.iter()
        .any(|w| values::looks_like_date(&w.text) || is_date_head(&w.text))
        || line.words.windows(2).take(2).any(|pair| {
            values::parse_day_month(&format!("{} {}", pair[0].text, pair[1].text)).is_some()
        })
}

/// A word anywhere on the line that is a whole date by itself (a date cell after the
/// narration), not a date glued into a narration's word ("INT.PD:01-07-2023").
fn has_date_cell(line: &Line) -> bool {
    line.words.iter().any(|w| values::looks_like_date(&w.text))
        || line.words.windows(2).any(|pair| {
            values::parse_day_month(&format!("{} {}", pair[0].text, pair[1].text)).is_some()
        })
}

fn has_money(line: &Line) -> bool {
    line.words.iter().any(|w| is_money_word(&w.text))
}

fn is_money_word(text: &str) -> bool {
    (text.contains('.') || text.contains(','))
        && text.chars().any(|c| c.is_ascii_digit())
        && values::parse_amount(text).is_some()
}

/// The first part of a date whose year wrapped to the next line: "02/11/", "02-Nov-".
pub(crate) fn is_date_head(text: &str) -> bool {
    (text.ends_with(['/', '-', '.']) && values::looks_like_date(&format!("{text}2024")))
        // "September01," over "2024": a month-first date wrapped before its year.
        || (text.ends_with(',') && values::looks_like_date(&format!("{text} 2024")))
}

/// A line of figures only (amounts with or without a Dr/Cr mark, bare digits), at least one.
fn figures_only(line: &Line) -> bool {
    !line.words.is_empty()
        && line.words.iter().all(|w| {
            w.text.chars().any(|c| c.is_ascii_digit())
                && !values::looks_like_date(&w.text)
                && values::parse_amount(&w.text).is_some()
        })
}

/// One short run of digits and nothing else: a row's serial number.
fn serial_only(line: &Line) -> bool {
    matches!(line.words.as_slice(), [only]
        if (1..=6).contains(&only.text.len()) && only.text.chars().all(|c| c.is_ascii_digit()))
}

/// A row's date and serial cells only (values, no money): what a row's other cells are
/// printed beside, never the line a reader follows.
fn dropped_cells_only(line: &Line) -> bool {
    values_only(line) && !has_money(line)
}

/// Every word a date, a number or an amount (with its Dr/Cr).
fn values_only(line: &Line) -> bool {
    line.words.iter().all(|w| {
        values::looks_like_date(&w.text)
            || is_date_head(&w.text)
            || values::parse_amount(&w.text).is_some()
            || w.text.chars().all(|c| c.is_ascii_digit())
            || could_start_date(&w.text) && w.text.len() <= 9
    })
}

/// Joins words that are one value printed with spaces: a date spread over words
/// (`01 JUN 2023`, `05/01/2024 10:32:11 AM`) or an amount with its side marker
/// (`1,234.00 Cr`). Column inference then sees one cell, not several narrow ones.
fn merge_compound_words(words: Vec<Word>, size: f32, marker_columns: &[(f32, f32)]) -> Vec<Word> {
    let max_gap = size.max(1.0) * 1.0;
    let mut out: Vec<Word> = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        let span = longest_date_span(&words[i..], max_gap)
            .or_else(|| amount_with_marker(&words[i..], max_gap, size, marker_columns))
            .or_else(|| sign_before_amount(&words[i..], size))
            .or_else(|| currency_before_amount(&words[i..], max_gap, size, marker_columns))
            .unwrap_or(1);
        out.push(join_span(&words[i..i + span]));
        i += span;
    }
    out
}

fn join_span(words: &[Word]) -> Word {
    match words {
        [only] => only.clone(),
        _ => Word {
            text: crate::text::join_words(words.iter()),
            x0: words[0].x0,
            x1: words[words.len() - 1].x1,
        },
    }
}

/// Number of leading words (2–5) that together read as one date, optionally with a time,
/// set with even spaces ([`evenly_spaced`]).
fn longest_date_span(words: &[Word], max_gap: f32) -> Option<usize> {
    if !could_start_date(&words[0].text) {
        return None;
    }
    let close = close_prefix(words, max_gap, 5);
    (2..=close).rev().find(|&n| {
        evenly_spaced(&words[..n], max_gap) && {
            let text = crate::text::join_words(words[..n].iter());
            values::parse_date(&text).is_some()
        }
    })
}

/// Whether no gap between `words` is more than [`UNEVEN_GAPS`] times another and half an em
/// (`em`) wide: a date printed with spaces is set with one space between its parts, while a
/// narration's "SALARY AUG 2" beside the next cell's "89" (a reference wrapped in a narrow
/// column, a padding away) only reads as a date ("AUG 2 89") across a gap several spaces wide.
fn evenly_spaced(words: &[Word], em: f32) -> bool {
    let gaps = words
        .windows(2)
        .map(|pair| (pair[1].x0 - pair[0].x1).max(0.0));
    let (narrowest, widest) = gaps.fold((f32::INFINITY, 0.0_f32), |(lo, hi), gap| {
        (lo.min(gap), hi.max(gap))
    });
    widest <= (narrowest * UNEVEN_GAPS).max(em * 0.5)
}

/// How many times the narrowest gap between a date's words its widest may be.
const UNEVEN_GAPS: f32 = 2.5;

/// A day number or a month name: the only ways a date printed with spaces can begin.
fn could_start_date(word: &str) -> bool {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    match word.chars().next() {
        Some(c) if c.is_ascii_digit() => true,
        Some(c) if c.is_ascii_alphabetic() => word
            .get(..3)
            .is_some_and(|head| MONTHS.iter().any(|m| head.eq_ignore_ascii_case(m))),
        _ => false,
    }
}

fn amount_with_marker(
    words: &[Word],
    max_gap: f32,
    size: f32,
    marker_columns: &[(f32, f32)],
) -> Option<usize> {
    if close_prefix(words, max_gap, 2) < 2 || under_marker_heading(&words[1], size, marker_columns)
    {
        return None;
    }
    let is_amount = words[0].text.chars().any(|c| c.is_ascii_digit())
        && values::parse_amount(&words[0].text).is_some();
    (is_amount
        && values::parse_amount(&words[0].text)?.side.is_none()
        && values::is_dr_cr_marker(words[1].text.trim_matches(['(', ')', '.'])).is_some()
        && words[1].text.len() <= 5)
        .then_some(2)
}

/// A sign printed a space before its amount ("- 1,200.00", "+ 500.00", "- Rs.1,200", as
/// Paytm's UPI statement prints them): the two words are one signed amount. Only a word-space
/// apart, closer than two cells' padding, so a "-" filling an empty cell is never taken for
/// the sign of the amount in the next column.
fn sign_before_amount(words: &[Word], size: f32) -> Option<usize> {
    let [sign, amount, ..] = words else {
        return None;
    };
    let lone_sign = matches!(sign.text.as_str(), "-" | "+" | "\u{2212}");
    let gap = amount.x0 - sign.x1;
    // In a monospaced font (the sign as wide as the amount's characters) a space is one
    // character wide, give or take rounding; in a proportional one, about a third of the size.
    let amount_char = char_width(amount);
    // The sign is one character: its width is its character's.
    let monospaced = (char_width(sign) - amount_char).abs() <= amount_char * 0.1;
    let word_space = if monospaced {
        (gap - amount_char).abs() <= amount_char * 0.15
    } else {
        gap >= 0.0 && gap <= (size * 0.4).min(3.5)
    };
    let unsigned_amount = unsigned_figure(&amount.text)
        && !amount.text.ends_with('-')
        && values::parse_amount(&amount.text).is_some_and(|a| a.side.is_none());
    (lone_sign && word_space && unsigned_amount).then_some(2)
}

/// A word's width per character: in a monospaced font, one character's (and a space's) width.
fn char_width(word: &Word) -> f32 {
    (word.x1 - word.x0) / word.text.chars().count().max(1) as f32
}

/// Text that may be an amount printed without a sign of its own: digits, no leading sign or
/// bracket, and a decimal point or grouping comma unless short enough to be whole rupees.
fn unsigned_figure(text: &str) -> bool {
    text.chars().any(|c| c.is_ascii_digit())
        && !text.starts_with(['-', '+', '(', '\u{2212}'])
        && (text.contains(['.', ',']) || text.len() <= 7)
}

/// A currency printed a space before its amount ("INR 3,000.00", as Indian Bank prints
/// money; "₹ 1,200.00", "Rs. 500.00"), with the amount's own Cr/Dr after it ("INR 12,345.00
/// CR"): one amount, so the currency is never read as a word of the narration beside the
/// money column. Only a word-space apart, as [`sign_before_amount`] takes a sign.
fn currency_before_amount(
    words: &[Word],
    max_gap: f32,
    size: f32,
    marker_columns: &[(f32, f32)],
) -> Option<usize> {
    let [currency, amount, ..] = words else {
        return None;
    };
    // An overdrawn balance's sign goes before the currency: "-INR 5,019.00".
    let bare = currency
        .text
        .strip_prefix(['-', '\u{2212}'])
        .unwrap_or(&currency.text);
    let lone_currency = matches!(bare, "\u{20B9}" | "Rs." | "Rs" | "RS." | "INR");
    let gap = amount.x0 - currency.x1;
    // In a monospaced font a space is one character wide (see `sign_before_amount`).
    let amount_char = char_width(amount);
    let monospaced = (char_width(currency) - amount_char).abs() <= amount_char * 0.1;
    // A word space, wider in a font with a wide space (DejaVu's, 3.2 pt at 10 pt, kerned
    // apart by a little more); a currency column's cell stands at least 8 pt away.
    let word_space = (gap >= 0.0 && gap <= (size * 0.45).min(4.5))
        || (monospaced && (gap - amount_char).abs() <= amount_char * 0.15);
    let unsigned_amount =
        unsigned_figure(&amount.text) && values::parse_amount(&amount.text).is_some();
    if !(lone_currency && word_space && unsigned_amount) {
        return None;
    }
    let marked = amount_with_marker(&words[1..], max_gap, size, marker_columns).is_some();
    // A figure that running text goes on after ("Rs. 5 lakh per depositor" in a footer) is
    // a phrase of that text, not a money cell.
    let in_text = !marked
        && words.get(2).is_some_and(|next| {
            let gap = next.x0 - amount.x1;
            gap >= 0.0 && gap <= (size * 0.4).min(3.5)
        });
    (!in_text).then_some(2 + usize::from(marked))
}

/// The word stands under a Dr/Cr column's heading.
fn under_marker_heading(word: &Word, size: f32, marker_columns: &[(f32, f32)]) -> bool {
    marker_heading_over(word, size, marker_columns).is_some()
}

/// The Dr/Cr heading span the word stands under (a quarter of a font size's slack: a mark
/// printed as a suffix ends its amount's cell, before the next column's padding).
fn marker_heading_over(
    word: &Word,
    size: f32,
    marker_columns: &[(f32, f32)],
) -> Option<(f32, f32)> {
    let slack = size * 0.25;
    marker_columns
        .iter()
        .copied()
        .find(|&(x0, x1)| word.x0 < x1 + slack && word.x1 > x0 - slack)
}

/// How many leading words (up to `limit`) follow each other with gaps of at most `max_gap`.
fn close_prefix(words: &[Word], max_gap: f32, limit: usize) -> usize {
    let mut n = 1;
    while n < words.len().min(limit) && words[n].x0 - words[n - 1].x1 <= max_gap {
        n += 1;
    }
    n.min(words.len())
}

/// Lower case, dots dropped, spaces around "/" removed, runs of spaces collapsed: the form the
/// data tables are written in.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    normalise_into(text, &mut out, false);
    out
}

/// The first space-separated token of [`normalise`]`(text)`, written into `out`, without
/// normalising the rest: what normalising would write up to the first space it puts in.
pub(crate) fn first_normalised_word(text: &str, out: &mut String) {
    out.clear();
    normalise_into(text, out, true);
}

/// [`normalise`]'s one pass, appending to `out`; with `first_word_only` it stops where the
/// first space would be written (the per-word checks of the table reader want only that much).
fn normalise_into(text: &str, out: &mut String, first_word_only: bool) {
    // A space is held back until the next word character, so runs collapse and none trails.
    let mut pending_space = false;
    for c in text.chars() {
        match c {
            c if is_word_break(c) => pending_space = true,
            '/' => {
                pending_space = false;
                out.push('/');
            }
            c => {
                if pending_space && !out.is_empty() && !out.ends_with('/') {
                    if first_word_only {
                        return;
                    }
                    out.push(' ');
                }
                pending_space = false;
                if c.is_ascii() {
                    out.push(c.to_ascii_lowercase());
                } else {
                    out.extend(c.to_lowercase());
                }
            }
        }
    }
}

/// Characters [`normalise`] reads as a break between words.
pub(crate) fn is_word_break(c: char) -> bool {
    matches!(c, '.' | ':' | '(' | ')' | '[' | ']' | ',' | '_' | '-' | '*') || c.is_whitespace()
}

/// Whether [`normalise`] keeps at least `count` characters of `text`, found without building its
/// result. Each kept character adds a byte or more, so the result is then `count` bytes or longer.
pub fn keeps_at_least(text: &str, count: usize) -> bool {
    count == 0
        || text
            .chars()
            .filter(|&c| !is_word_break(c))
            .nth(count - 1)
            .is_some()
}

#[cfg(test)]
mod tests {
    use super::{belong_together, is_date_head, join_offset_cells, keeps_at_least, normalise};

    fn line(y: f32, spec: &[(&str, f32, f32)]) -> Line {
        Line {
            page: 1,
            y,
            size: 8.0,
            words: words(spec),
        }
    }

    #[test]
    fn a_serial_dropped_off_a_dateless_money_line_joins_it() {
        let money = line(
            100.0,
            &[
                ("POS", 120.0, 140.0),
                ("1,503.79", 400.0, 430.0),
                ("7,677.20", 480.0, 510.0),
            ],
        );
        let serial = line(103.8, &[("3", 30.0, 34.0)]);
        assert!(belong_together(&money, &serial));
        // A line pitch away it is something else (a wrapped number's digits, a page number).
        let far = line(110.0, &[("3", 30.0, 34.0)]);
        assert!(!belong_together(&money, &far));
        // Beside a dated line the serial was printed with the date, not dropped alone.
        let dated = line(
            100.0,
            &[("02-OCT-23", 60.0, 100.0), ("1,503.79", 400.0, 430.0)],
        );
        assert!(!belong_together(&dated, &serial));
    }

    #[test]
    fn whole_rupee_figures_dropped_off_a_dated_line_join_it() {
        let dated = line(
            103.0,
            &[
                ("31", 38.0, 45.0),
                ("25/4/2023", 68.0, 97.0),
                ("Pay", 162.0, 173.0),
            ],
        );
        let figures = line(
            100.0,
            &[
                ("1247", 411.0, 426.0),
                ("979(Dr)", 475.0, 497.0),
                ("486", 546.0, 557.0),
            ],
        );
        assert!(belong_together(&figures, &dated));
        // A single figure (a table with no balance column) joins as well.
        let alone = line(100.0, &[("590", 472.0, 487.0)]);
        assert!(belong_together(&alone, &dated));
        // A line pitch away, or beside a dated line that has its money, it is something else.
        let far = line(93.0, &[("590", 472.0, 487.0)]);
        assert!(!belong_together(&far, &dated));
        let priced = line(
            103.0,
            &[("25/4/2023", 68.0, 97.0), ("1,503.79", 400.0, 430.0)],
        );
        assert!(!belong_together(&alone, &priced));
        // Words are no dropped figures.
        let text = line(100.0, &[("via", 472.0, 487.0)]);
        assert!(!belong_together(&text, &dated));
    }

    #[test]
    fn date_cells_dropped_off_a_narration_line_leave_it_in_place() {
        // A row printing its money on the line above: the serial number, date and value date
        // dropped 4 points off the narration's first line (one word) join it, and the row's
        // line stays where its narration is, a pitch above the narration's next line.
        let narration = line(241.8, &[("TRANSFER-UPI/CR/435648", 318.0, 454.0)]);
        let dates = line(
            246.6,
            &[
                ("1", 105.0, 110.0),
                ("01/08/2023", 156.0, 222.0),
                ("01/08/2023", 248.0, 314.0),
            ],
        );
        let next = line(257.0, &[("462375/ROHAN", 318.0, 387.0)]);
        let joined = join_offset_cells(vec![narration, dates, next]);
        assert_eq!(joined.len(), 2);
        assert_eq!(joined[0].words.len(), 4);
        assert!((joined[0].y - 241.8).abs() < 0.01, "{}", joined[0].y);
        // Money beside the narration: the line with the money keeps its place as before.
        let priced = line(100.0, &[("NEFT", 318.0, 340.0), ("1,503.79", 400.0, 430.0)]);
        let dropped = line(104.0, &[("3", 30.0, 34.0), ("02/10/2023", 60.0, 100.0)]);
        let joined = join_offset_cells(vec![priced, dropped]);
        assert_eq!(joined.len(), 1);
        assert!((joined[0].y - 100.0).abs() < 0.01);
    }

    #[test]
    fn a_serial_dropped_off_a_narration_line_with_no_money_joins_it() {
        // Money printed on the line above, the date on the day's first row only: the row's
        // first line is its narration, its serial number dropped 3.2 points under it.
        let narration = line(678.2, &[("NEFT-CBINN45813747303619-RO", 153.5, 288.3)]);
        let serial = line(681.4, &[("9", 42.5, 47.6)]);
        assert!(belong_together(&narration, &serial));
        let joined = join_offset_cells(vec![narration.clone(), serial]);
        assert_eq!(joined.len(), 1);
        assert!((joined[0].y - 678.2).abs() < 0.01);
        // A line pitch under it, the number is a line of its own.
        let far = line(690.6, &[("9", 42.5, 47.6)]);
        assert!(!belong_together(&narration, &far));
        // Beside a dated line the serial was printed with the date, not dropped alone.
        let dated = line(
            678.2,
            &[
                ("21 Jun 2023", 86.9, 135.1),
                ("NEFT", 153.5, 170.0),
                ("1,503.79", 400.0, 430.0),
            ],
        );
        let under = line(681.4, &[("9", 42.5, 47.6)]);
        assert!(!belong_together(&dated, &under));
    }

    #[test]
    fn dates_cut_before_their_year() {
        for head in ["02/11/", "02-Nov-", "05.01.", "September01,", "Jan 05,"] {
            assert!(is_date_head(head), "{head}");
        }
        for text in ["02/11/2024", "NEFT,", "Jan,", "05,", "September32,"] {
            assert!(!is_date_head(text), "{text}");
        }
    }

    #[test]
    fn what_normalise_keeps_bounds_its_length() {
        assert!(keeps_at_least("Opening Balance :", 14));
        assert!(!keeps_at_least("Opening Balance :", 15));
        assert!(keeps_at_least("", 0));
        assert!(!keeps_at_least("-- ..", 1));
        let samples = [
            "",
            "Opening Balance",
            "OPENING  BALANCE :",
            "b / f.",
            "Balance b/f **",
            "CLOSING BALANCE (CR)",
            "İSTANBUL",
            "\u{212A}ELVIN",
            "UPI/DR/412345678901/RAVI/okicici/payment",
        ];
        for sample in samples {
            let actual = normalise(sample).len();
            for count in 0..actual + 3 {
                if keeps_at_least(sample, count) {
                    assert!(actual >= count, "{sample:?} at {count}");
                }
            }
        }
    }

    use super::merge_compound_words;
    use crate::text::{Line, Word};

    fn words(spec: &[(&str, f32, f32)]) -> Vec<Word> {
        spec.iter()
            .map(|(t, a, b)| Word {
                text: (*t).into(),
                x0: *a,
                x1: *b,
            })
            .collect()
    }

    #[test]
    fn joins_dates_times_and_side_markers() {
        let merged = merge_compound_words(
            words(&[
                ("01", 47.5, 56.5),
                ("JUN", 61.0, 74.5),
                ("2023", 79.0, 97.0),
                ("NEFT-X", 101.0, 140.0),
                ("1,46,903.54", 377.0, 426.5),
                ("Dr", 431.0, 440.0),
                ("05/01/2024", 450.0, 480.0),
                ("10:32:11", 483.0, 500.0),
            ]),
            7.5,
            &[],
        );
        let texts: Vec<&str> = merged.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "01 JUN 2023",
                "NEFT-X",
                "1,46,903.54 Dr",
                "05/01/2024 10:32:11"
            ]
        );
        assert_eq!((merged[0].x0, merged[0].x1), (47.5, 97.0));
    }

    #[test]
    fn a_narrations_month_and_day_take_no_number_from_the_next_cell_as_a_year() {
        // Printed seed 241 (page_breakall): "…SALARY AUG 2" wrapped in the narration, the
        // reference's last digits "89" a cell padding (6.8 pt, three spaces) further: read as
        // "AUG 2 89" the date took the reference's digits into the narration.
        let merged = merge_compound_words(
            words(&[
                ("LTD-SALARY", 164.6, 214.7),
                ("AUG", 216.4, 232.4),
                ("2", 234.7, 239.3),
                ("89", 248.8, 258.0),
                ("12", 300.0, 309.0),
                ("Aug", 311.3, 325.0),
                ("2023", 327.3, 345.0),
            ]),
            8.2,
            &[],
        );
        let texts: Vec<&str> = merged.iter().map(|w| w.text.as_str()).collect();
        assert!(texts.contains(&"89"), "{texts:?}");
        assert!(texts.contains(&"12 Aug 2023"), "{texts:?}");
    }

    #[test]
    fn a_currency_a_space_before_its_amount_is_one_amount() {
        // "INR 3,000.00", "₹ 1,200.00 CR", "-Rs. 5,019.00" (round six of the fixtures' real
        // formats), 8 pt type: a word space (2.2 pt) apart.
        let merged = merge_compound_words(
            words(&[
                ("NEFT/ACME", 60.0, 110.0),
                ("INR", 200.0, 214.0),
                ("3,000.00", 216.2, 246.0),
                ("\u{20B9}", 300.0, 304.5),
                ("1,200.00", 306.7, 336.0),
                ("CR", 338.2, 348.0),
                ("-Rs.", 400.0, 414.0),
                ("5,019.00", 416.2, 446.0),
            ]),
            8.0,
            &[],
        );
        let texts: Vec<&str> = merged.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "NEFT/ACME",
                "INR 3,000.00",
                "\u{20B9} 1,200.00 CR",
                "-Rs. 5,019.00"
            ]
        );
        // IDBI's "INR" in a currency column of its own, two cells' padding (4 pt) before the
        // amount, stays a word of its own.
        let apart = merge_compound_words(
            words(&[("INR", 200.0, 214.0), ("3,000.00", 218.0, 248.0)]),
            8.0,
            &[],
        );
        assert_eq!(apart.len(), 2);
        // A figure inside running text ("Rs. 5 lakh per depositor") stays words of that text.
        let text = merge_compound_words(
            words(&[
                ("Rs.", 158.3, 170.0),
                ("5", 172.2, 176.9),
                ("lakh", 179.2, 193.8),
            ]),
            8.0,
            &[],
        );
        assert_eq!(text.len(), 3);
    }

    #[test]
    fn a_sign_a_space_before_its_amount_is_one_signed_amount() {
        // "- 1,200.00" / "+ 500.00" (round five of the fixtures' real formats), 8 pt type: a
        // word space (2.2 pt) apart.
        let merged = merge_compound_words(
            words(&[
                ("UPI/PAYTM", 60.0, 110.0),
                ("-", 300.0, 302.7),
                ("1,200.00", 304.9, 336.0),
                ("+", 400.0, 404.7),
                ("Rs.500", 406.9, 430.0),
            ]),
            8.0,
            &[],
        );
        let texts: Vec<&str> = merged.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(texts, ["UPI/PAYTM", "- 1,200.00", "+ Rs.500"]);
        // A "-" filling an empty withdrawal cell, two cells' padding (4 pt) before a deposit
        // printed at the left of its own cell, stays a filler; a signed figure takes no sign.
        let apart = merge_compound_words(
            words(&[
                ("-", 300.0, 302.7),
                ("1,200.00", 306.7, 336.0),
                ("-", 400.0, 402.7),
                ("-500.00", 404.9, 430.0),
            ]),
            8.0,
            &[],
        );
        assert_eq!(apart.len(), 4);
        // A monospaced font's space is a character wide (Courier, 8 pt: 4.8 pt).
        let courier = merge_compound_words(
            words(&[("-", 300.0, 304.8), ("1,200.00", 309.6, 348.0)]),
            8.0,
            &[],
        );
        assert_eq!(courier.len(), 1);
    }

    #[test]
    fn keeps_an_amount_apart_from_its_own_dr_cr_column() {
        // Chrome's print of "4,953.00" | "D" under a "Dr/Cr" heading: the two cells' padding,
        // 6 pt at 9.75 pt, is narrower than a font size.
        let merged = merge_compound_words(
            words(&[("4,953.00", 664.3, 702.5), ("D", 708.5, 715.5)]),
            9.75,
            &[(708.5, 730.0)],
        );
        assert_eq!(merged.len(), 2);
    }

    #[test]
    fn splits_an_amount_glued_to_the_mark_under_a_dr_cr_heading() {
        // LibreOffice's "152.34D": the amount right-aligned and the mark left-aligned in the
        // next column, flush; "D/C" heads 459.3-468.4.
        let columns = [(459.3, 468.4)];
        let split = super::split_glued_marks(
            words(&[("01/02/23", 50.8, 72.0), ("152.34D", 441.9, 462.9)]),
            4.7,
            &columns,
        );
        let texts: Vec<&str> = split.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(texts, ["01/02/23", "152.34", "D"]);
        assert!(
            split[1].x1 < 459.3,
            "the amount ends before the D/C heading"
        );
        // Two words, flush, the amount reaching 0.9 pt under "Dr/Cr" (451.6-467.0).
        let flush = super::split_glued_marks(
            words(&[("31,470.00", 423.5, 452.5), ("D", 452.5, 455.7)]),
            5.3,
            &[(451.6, 467.0)],
        );
        assert!(flush[0].x1 < 451.6 && flush[1].x0 == 452.5);
        // The same word where no Dr/Cr heading stands over its end stays whole, as does a
        // reference that ends in a letter.
        let whole = super::split_glued_marks(
            words(&[("152.34D", 441.9, 462.9), ("CHQ1234D", 300.0, 330.0)]),
            4.7,
            &[(560.0, 580.0)],
        );
        assert_eq!(whole.len(), 2);
    }

    #[test]
    fn joins_a_suffix_mark_where_no_dr_cr_heading_stands_over_it() {
        // A 96-dpi screen grid's "7,904.00 Dr": a space a little wider than the amount's
        // average character, and the file's Dr/Cr heading (for the balance) further right.
        let merged = merge_compound_words(
            words(&[("7,904.00", 400.0, 437.0), ("Dr", 442.2, 452.0)]),
            9.0,
            &[(560.0, 580.0)],
        );
        assert_eq!(merged.len(), 1);
        assert_eq!(merged[0].text, "7,904.00 Dr");
    }

    #[test]
    fn finds_dr_cr_headings_on_lines_without_figures() {
        let line = |y: f32, spec: &[(&str, f32, f32)]| Line {
            page: 1,
            y,
            size: 9.0,
            words: words(spec),
        };
        let pages = vec![vec![
            line(
                100.0,
                &[
                    ("Date", 10.0, 30.0),
                    ("Amount", 300.0, 340.0),
                    ("Debit/", 360.0, 390.0),
                ],
            ),
            line(110.0, &[("Credit", 360.0, 388.0)]),
            line(
                130.0,
                &[
                    ("01/02/2024", 10.0, 60.0),
                    ("Type", 100.0, 120.0),
                    ("5.00", 320.0, 340.0),
                ],
            ),
        ]];
        assert_eq!(super::marker_column_spans(&pages), vec![(360.0, 390.0)]);
    }

    #[test]
    fn keeps_neighbouring_dates_apart() {
        let merged = merge_compound_words(
            words(&[("05/01/2024", 10.0, 50.0), ("06/01/2024", 53.0, 93.0)]),
            8.0,
            &[],
        );
        assert_eq!(merged.len(), 2);
    }

    #[test]
    fn normalises_headings() {
        assert_eq!(normalise("Chq./Ref.No."), "chq/ref no");
        assert_eq!(
            normalise("Withdrawal Amount (INR )"),
            "withdrawal amount inr"
        );
        assert_eq!(normalise("Dr / Cr"), "dr/cr");
        assert_eq!(normalise("  Value   Dt "), "value dt");
    }
}
