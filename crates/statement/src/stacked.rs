//! Rows whose date and narration share one cell, stacked: the date on a line of its own at the
//! cell's left edge, above the narration or under it, as banks' and UPI apps' exports print a
//! transaction ("01 Feb 2024" over "UPI/DR/…/MYNTRA…"), the amount in the next cell with its
//! sign or Cr/Dr, and the running balance in a column, under the amount after a label
//! ("Avl Bal Rs.41,367.43") or absent. A month heading ("FEBRUARY 2024") may stand between
//! the months' rows.
//!
//! The file shows the layout: most lines that begin with a date hold nothing else before the
//! money, and the text next to them (above or below) starts at the date's own left edge. Such
//! a file's lines are rewritten into the shape of a table with a date column: a date printed
//! under its narration moves up to the row's money line and the narration's lines move down
//! one slot; a balance printed under the amount after a label joins the row's money line,
//! right of every figure; month headings go. The table reader then takes the date cell's
//! other lines as narration ([`crate::columns::ColumnGrid::stacked_dates`]).

use crate::text::{Line, Word};
use crate::values;

/// A text line this close to a date's left edge starts at it.
const EDGE_TOLERANCE: f32 = 1.5;
/// Fewer stacked date lines than this say nothing.
const MIN_STACKED: usize = 3;
/// Share of the lines beginning with a date that must be stacked ones.
const MIN_STACKED_SHARE: f32 = 0.6;

/// Words read as the label of a balance printed in the amount's cell.
const BALANCE_LABEL_WORDS: &[&str] = &[
    "bal",
    "balance",
    "avl",
    "avail",
    "available",
    "closing",
    "clr",
    "running",
];

/// Words an export prints for a transaction's direction instead of a sign: in a cell of its own
/// left of the amount ("DEBIT  ₹500.00") or after the figure ("₹500.00 Paid"). Credit's, then
/// debit's; compared without case and a trailing full stop.
const DIRECTION_WORDS: [&[&str]; 2] = [
    &["cr", "credit", "credited", "received", "deposit"],
    &["dr", "debit", "debited", "paid", "sent", "withdrawal"],
];

/// The side a direction word says (see [`DIRECTION_WORDS`]).
fn direction_word(word: &Word) -> Option<values::Side> {
    let bare = word.text.trim_end_matches('.');
    let says = |words: &[&str]| words.iter().any(|w| w.eq_ignore_ascii_case(bare));
    if says(DIRECTION_WORDS[0]) {
        Some(values::Side::Credit)
    } else if says(DIRECTION_WORDS[1]) {
        Some(values::Side::Debit)
    } else {
        None
    }
}

/// The direction word in a cell of its own right before `first` (a money word's index):
/// apart from the text on its left by more than the words of a line are.
fn direction_cell_before(line: &Line, first: usize) -> bool {
    first > 0
        && direction_word(&line.words[first - 1]).is_some()
        && (first == 1
            || line.words[first - 1].x0 - line.words[first - 2].x1 >= line.size * DIRECTION_GAP)
}

/// A direction word's own cell stands at least this many font sizes from the text on its left
/// (two cell paddings); words of a line are a space apart.
const DIRECTION_GAP: f32 = 0.8;

/// A figure of the money cells: with a decimal point or grouping, or a currency, sign or
/// Cr/Dr mark that a reference number never carries ("₹299 Dr", "-Rs.40").
fn is_money_word(word: &Word) -> bool {
    let text = word.text.as_str();
    if !text.chars().any(|c| c.is_ascii_digit()) {
        return false;
    }
    let Some(amount) = values::parse_amount(text) else {
        return false;
    };
    text.contains(['.', ','])
        || amount.side.is_some()
        || text.starts_with(['\u{20B9}', '+', '-'])
        || text.starts_with("Rs")
        || text.starts_with("INR")
}

fn is_label_word(word: &Word) -> bool {
    // Asked of every word left of the money on every line of every file: no copy per word.
    let bare = word.text.trim_end_matches([':', '.', '-']);
    BALANCE_LABEL_WORDS
        .iter()
        .any(|label| label.eq_ignore_ascii_case(bare))
}

/// Where a line's money begins: the first money word, with the balance label before it
/// (words of the label set standing apart from the text on their left).
fn money_start(line: &Line) -> usize {
    let Some(first) = line.words.iter().position(is_money_word) else {
        return line.words.len();
    };
    let mut first = first;
    if first > 0
        && is_lone_sign(&line.words[first - 1])
        && line.words[first].x0 - line.words[first - 1].x1 <= line.size
    {
        first -= 1;
    }
    if direction_cell_before(line, first) {
        first -= 1;
    }
    let mut start = first;
    while start > 0 && is_label_word(&line.words[start - 1]) {
        start -= 1;
    }
    if start < first && start > 0 {
        // The label stands apart from the text before it (another cell), or it is text.
        let gap = line.words[start].x0 - line.words[start - 1].x1;
        if gap < line.size * 2.0 {
            return first;
        }
    }
    start
}

fn is_lone_sign(word: &Word) -> bool {
    matches!(word.text.as_str(), "+" | "-" | "\u{2212}")
}

fn left_text(line: &Line, end: usize) -> String {
    let mut text = String::new();
    write_left_text(line, end, &mut text);
    text
}

/// [`left_text`] written into `out` (cleared first).
fn write_left_text(line: &Line, end: usize, out: &mut String) {
    out.clear();
    for (k, word) in line.words[..end].iter().enumerate() {
        if k > 0 {
            out.push(' ');
        }
        out.push_str(&word.text);
    }
}

/// The left block of `line` is exactly a date.
fn date_only(line: &Line) -> bool {
    let end = money_start(line);
    end > 0 && values::parse_date(&left_text(line, end)).is_some()
}

/// The left block of `line` is text starting at `x` (not a date).
fn text_at(line: &Line, x: f32) -> bool {
    let end = money_start(line);
    end > 0
        && (line.words[0].x0 - x).abs() <= EDGE_TOLERANCE
        && values::find_date_prefix(&left_text(line, end)).is_none()
}

/// Whether a date-only line at index `i` has text starting at its left edge right above or
/// below it.
fn stacked_at(lines: &[Line], i: usize) -> bool {
    let line = &lines[i];
    let x = line.words[0].x0;
    let near = |other: &Line| (other.y - line.y).abs() <= line.size * 2.6;
    let above = i > 0 && near(&lines[i - 1]) && text_at(&lines[i - 1], x);
    let below = lines.get(i + 1).is_some_and(|l| near(l) && text_at(l, x));
    above || below
}

/// Whether the file's rows stack their dates over or under their narrations.
pub(crate) fn stacks_dates(pages: &[Vec<Line>]) -> bool {
    let mut stacked = 0;
    let mut dated = 0;
    // Asked of every line of every file: the left block is written into one buffer, and read
    // once for a date prefix and, on a dated line, for a date alone ([`date_only`]).
    let mut left = String::new();
    for lines in pages {
        for (i, line) in lines.iter().enumerate() {
            let end = money_start(line);
            if end == 0 {
                continue;
            }
            write_left_text(line, end, &mut left);
            if values::find_date_prefix(&left).is_none() {
                continue;
            }
            dated += 1;
            if values::parse_date(&left).is_some() && stacked_at(lines, i) {
                stacked += 1;
            }
        }
    }
    stacked >= MIN_STACKED && stacked as f32 >= dated as f32 * MIN_STACKED_SHARE
}

/// "FEBRUARY 2024", "March 2024": a month's name and a year, nothing else.
fn is_month_heading(line: &Line) -> bool {
    let text = line.text();
    let words: Vec<&str> = text.split_whitespace().collect();
    words.len() == 2
        && words[0].chars().all(|c| c.is_ascii_alphabetic())
        && words[0].len() >= 3
        && words[1].len() == 4
        && values::parse_date(&format!("01 {text}")).is_some()
}

/// Rewrites a stacked file's lines as a table with a date column would print them (see the
/// module's notes). Files that do not stack their dates are left as they are; whether the
/// file stacks them is returned.
pub(crate) fn unstack_dated_cells(pages: &mut [Vec<Line>]) -> bool {
    if !stacks_dates(pages) {
        return false;
    }
    let right_edge = pages
        .iter()
        .flatten()
        .flat_map(|l| l.words.iter().map(|w| w.x1))
        .fold(0.0_f32, f32::max);
    for lines in pages.iter_mut() {
        for line in lines.iter_mut() {
            join_spaced_signs(line);
            sign_by_direction_word(line);
        }
    }
    drop_running_titles(pages);
    for lines in pages.iter_mut() {
        drop_month_headings(lines);
        join_times_below(lines);
        join_balances_below(lines, right_edge);
        move_dates_below_up(lines);
    }
    true
}

/// A title the export repeats at the top of every page ("IDFC FIRST Bank - Account
/// Statement"): text left of every figure, above the page's first money, printed alike on
/// several pages. With no heading between it and the rows it would pass for the end of the
/// previous page's last narration.
fn drop_running_titles(pages: &mut [Vec<Line>]) {
    // The rows' cells start where their dates do; their figures start right of this.
    let date_edges: Vec<f32> = pages
        .iter()
        .flatten()
        .filter(|l| date_only(l))
        .map(|l| l.words[0].x0)
        .collect();
    let money_left = pages
        .iter()
        .flatten()
        .filter(|l| {
            date_edges.iter().any(|x| {
                l.words
                    .first()
                    .is_some_and(|w| (w.x0 - x).abs() <= EDGE_TOLERANCE)
            })
        })
        .flat_map(|l| {
            l.words
                .iter()
                .skip(1)
                .filter(|w| is_money_word(w))
                .map(|w| w.x0)
        })
        .fold(f32::MAX, f32::min);
    let tops = |lines: &[Line]| {
        let first_money = lines
            .iter()
            .position(|l| l.words.iter().any(is_money_word))
            .unwrap_or(lines.len());
        lines[..first_money]
            .iter()
            .filter(|l| {
                !l.words.is_empty()
                    && l.words.iter().all(|w| w.x1 < money_left)
                    && values::find_date_prefix(&l.text()).is_none()
            })
            .map(Line::text)
            .collect::<Vec<_>>()
    };
    let mut pages_printing: std::collections::HashMap<String, usize> =
        std::collections::HashMap::new();
    for lines in pages.iter() {
        let mut texts = tops(lines);
        texts.dedup();
        for text in texts {
            *pages_printing.entry(text).or_default() += 1;
        }
    }
    for lines in pages.iter_mut() {
        let repeated: Vec<String> = tops(lines)
            .into_iter()
            .filter(|t| pages_printing.get(t).is_some_and(|&n| n >= 2))
            .collect();
        if !repeated.is_empty() {
            lines.retain(|l| !repeated.contains(&l.text()));
        }
    }
}

/// A sign printed apart from its figure ("- Rs.1,659.00") is the figure's.
fn join_spaced_signs(line: &mut Line) {
    let mut i = 0;
    while i + 1 < line.words.len() {
        let (sign, figure) = (&line.words[i], &line.words[i + 1]);
        let lone_sign = is_lone_sign(sign);
        if lone_sign
            && figure.x0 - sign.x1 <= line.size
            && is_money_word(figure)
            && !figure.text.starts_with(['+', '-'])
        {
            let sign_text = if sign.text == "+" { "+" } else { "-" };
            line.words[i + 1].text = format!("{sign_text}{}", figure.text);
            line.words[i + 1].x0 = line.words[i].x0;
            line.words.remove(i);
        }
        i += 1;
    }
}

/// A direction word beside the amount ("DEBIT  ₹500.00", "₹500.00 Paid") becomes the amount's
/// sign ("-₹500.00"), as an export printing signs would have printed it.
fn sign_by_direction_word(line: &mut Line) {
    let Some(first) = line.words.iter().position(is_money_word) else {
        return;
    };
    let figure = &line.words[first];
    let signed = figure.text.starts_with(['+', '-', '\u{2212}'])
        || values::parse_amount(&figure.text).is_some_and(|a| a.side.is_some());
    if signed {
        return;
    }
    let after = line
        .words
        .get(first + 1)
        .filter(|w| w.x0 - figure.x1 <= line.size)
        .and_then(direction_word);
    let (side, index) = if let Some(side) = after {
        (side, first + 1)
    } else if direction_cell_before(line, first) {
        match direction_word(&line.words[first - 1]) {
            Some(side) => (side, first - 1),
            None => return,
        }
    } else {
        return;
    };
    let sign = match side {
        values::Side::Credit => "+",
        values::Side::Debit => "-",
    };
    line.words[first].text = format!("{sign}{}", line.words[first].text);
    line.words.remove(index);
}

/// A time of day printed on the line under a date ("02 May 2025" / "10:42 PM") is the date's:
/// it joins the date's line, right after the date.
fn join_times_below(lines: &mut Vec<Line>) {
    for i in 1..lines.len() {
        let (upper, lower) = (&lines[i - 1], &lines[i]);
        if upper.page != lower.page
            || lower.y - upper.y > lower.size * 2.6
            || !date_only(upper)
            || upper.words.is_empty()
        {
            continue;
        }
        let end = money_start(lower);
        let x = upper.words[0].x0;
        let timed = end > 0
            && (lower.words[0].x0 - x).abs() <= EDGE_TOLERANCE
            && values::is_time_of_day(&left_text(lower, end))
            && values::find_date_prefix(&left_text(upper, money_start(upper)))
                .is_some_and(|(at, _)| at.time() == chrono::NaiveTime::MIN);
        if !timed {
            continue;
        }
        // The time goes on in the date's last word, as a date printed with its time is one
        // cell's text. The word keeps the date's extent: the columns were read from the
        // heading and the dates as printed ("Date & Description" over a date a third of its
        // width), and a time laid out beside the date would reach into the next one.
        let time: Vec<Word> = lines[i].words.drain(..end).collect();
        let text = time
            .iter()
            .map(|w| w.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let date_end = money_start(&lines[i - 1]);
        // The row's amount on the date's line (not a labelled balance printed under it).
        let has_money = lines[i - 1]
            .words
            .get(date_end)
            .is_some_and(|w| !is_label_word(w));
        let date = &mut lines[i - 1].words[date_end - 1];
        date.text = format!("{} {text}", date.text);
        if has_money {
            // The date heads the row (its amount on its line): the cell's text under the time
            // moves up one line each, into the slot the time leaves, as the row's text sits
            // right under its money line in every other row.
            let mut k = i;
            while k + 1 < lines.len() {
                let (slot, next) = (&lines[k], &lines[k + 1]);
                if money_start(slot) != 0
                    || next.page != slot.page
                    || next.y - slot.y > next.size * 2.6
                    || !text_at(next, x)
                {
                    break;
                }
                let end = money_start(next);
                let words: Vec<Word> = lines[k + 1].words.drain(..end).collect();
                lines[k].words.splice(0..0, words);
                k += 1;
            }
        }
    }
    lines.retain(|l| !l.words.is_empty());
}

/// Month headings between the rows: a month and a year standing apart from the lines around.
fn drop_month_headings(lines: &mut Vec<Line>) {
    let apart = |lines: &[Line], i: usize| {
        let line = &lines[i];
        let gap_above = i == 0 || line.y - lines[i - 1].y >= line.size * 1.45;
        let gap_below = lines
            .get(i + 1)
            .is_none_or(|next| next.y - line.y >= line.size * 1.45);
        gap_above && gap_below
    };
    let keep: Vec<bool> = (0..lines.len())
        .map(|i| !(is_month_heading(&lines[i]) && apart(lines, i)))
        .collect();
    let mut flags = keep.into_iter();
    lines.retain(|_| flags.next().unwrap_or(true));
}

/// A balance printed under the amount after a label joins the line above it (the row's money
/// line), as a figure right of every other (`right_edge` and beyond).
fn join_balances_below(lines: &mut [Line], right_edge: f32) {
    for i in 1..lines.len() {
        let line = &lines[i];
        let start = money_start(line);
        let money: Vec<&Word> = line.words[start..].iter().collect();
        let labelled = money.len() >= 2
            && is_label_word(money[0])
            && money.iter().filter(|w| is_money_word(w)).count() == 1
            && money.last().is_some_and(|w| is_money_word(w));
        let above = &lines[i - 1];
        if !labelled
            || above.page != line.page
            || line.y - above.y > line.size * 2.6
            || !above.words.iter().any(is_money_word)
            || above
                .words
                .get(money_start(above))
                .is_some_and(is_label_word)
        {
            continue;
        }
        let figure = lines[i].words.last().cloned().expect("a money word");
        lines[i].words.truncate(start);
        let width = figure.x1 - figure.x0;
        let x0 = right_edge + lines[i].size * 2.0;
        lines[i - 1].words.push(Word {
            text: figure.text,
            x0,
            x1: x0 + width,
        });
    }
}

/// A date printed under its narration: the date joins the row's money line (the first line of
/// the cell above it) and the narration's lines move down one line each.
fn move_dates_below_up(lines: &mut Vec<Line>) {
    let mut i = 0;
    while i < lines.len() {
        let line = &lines[i];
        let date_alone = money_start(line) == line.words.len() && date_only(line);
        if !date_alone {
            i += 1;
            continue;
        }
        let x = line.words[0].x0;
        // The cell's lines above: text at the date's edge, the first with money.
        let mut top = None;
        let mut k = i;
        while k > 0 {
            let (upper, lower) = (&lines[k - 1], &lines[k]);
            if upper.page != lower.page
                || lower.y - upper.y > lower.size * 2.6
                || !text_at(upper, x)
            {
                break;
            }
            k -= 1;
            if upper.words.iter().any(is_money_word) {
                top = Some(k);
                break;
            }
        }
        let Some(top) = top else {
            i += 1;
            continue;
        };
        // Slots top..=i: the date and the money on the top line, each text line one lower.
        let date_words = std::mem::take(&mut lines[i].words);
        let start = money_start(&lines[top]);
        let mut carried: Vec<Word> = lines[top].words[..start].to_vec();
        for line in &mut lines[top + 1..=i] {
            carried = std::mem::replace(&mut line.words, carried);
        }
        let money = lines[top].words.split_off(start);
        lines[top].words = date_words;
        lines[top].words.extend(money);
        i += 1;
    }
    lines.retain(|l| !l.words.is_empty());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(y: f32, words: &[(f32, &str)]) -> Line {
        Line {
            page: 1,
            y,
            size: 9.0,
            words: words
                .iter()
                .map(|&(x, t)| Word {
                    text: t.to_string(),
                    x0: x,
                    x1: x + 6.0 * t.len() as f32,
                })
                .collect(),
        }
    }

    #[test]
    fn a_date_under_its_narration_moves_to_the_money_line() {
        let mut pages = vec![Vec::new()];
        for n in 0..4 {
            let y = 100.0 + 40.0 * n as f32;
            pages[0].push(line(y, &[(24.0, "UPI/DR/1/SHOP"), (400.0, "-Rs.5.00")]));
            pages[0].push(line(y + 11.0, &[(24.0, "PAY")]));
            pages[0].push(line(y + 22.0, &[(24.0, "01 Feb 2024")]));
        }
        unstack_dated_cells(&mut pages);
        let texts: Vec<String> = pages[0].iter().map(Line::text).collect();
        assert_eq!(texts[0], "01 Feb 2024 -Rs.5.00");
        assert_eq!(texts[1], "UPI/DR/1/SHOP");
        assert_eq!(texts[2], "PAY");
        assert_eq!(pages[0][2].y, 122.0);
    }

    #[test]
    fn a_labelled_balance_joins_the_amount_and_month_headings_go() {
        let mut pages = vec![vec![line(80.0, &[(24.0, "FEBRUARY 2024")])]];
        for n in 0..4 {
            let y = 100.0 + 40.0 * n as f32;
            pages[0].push(line(y, &[(24.0, "01 Feb 2024"), (400.0, "-Rs.5.00")]));
            pages[0].push(line(
                y + 11.0,
                &[(24.0, "UPI/DR/1/SHOP"), (380.0, "Bal"), (400.0, "Rs.95.00")],
            ));
        }
        unstack_dated_cells(&mut pages);
        let texts: Vec<String> = pages[0].iter().map(Line::text).collect();
        assert_eq!(texts[0], "01 Feb 2024 -Rs.5.00 Rs.95.00");
        assert_eq!(texts[1], "UPI/DR/1/SHOP");
        // A table whose narration sits beside its date is left alone.
        let mut plain = vec![(0..4)
            .map(|n| {
                line(
                    100.0 + 12.0 * n as f32,
                    &[(24.0, "01/02/2024"), (90.0, "NEFT"), (400.0, "5.00")],
                )
            })
            .collect::<Vec<_>>()];
        let before = plain.clone();
        unstack_dated_cells(&mut plain);
        assert_eq!(plain, before);
    }

    #[test]
    fn a_time_under_the_date_joins_it_and_a_direction_word_signs_the_amount() {
        let mut pages = vec![Vec::new()];
        for n in 0..4 {
            let y = 100.0 + 40.0 * n as f32;
            pages[0].push(line(
                y,
                &[
                    (24.0, "02"),
                    (40.0, "May"),
                    (62.0, "2025"),
                    (300.0, "DEBIT"),
                    (400.0, "Rs.5.00"),
                ],
            ));
            pages[0].push(line(y + 11.0, &[(24.0, "10:42"), (56.0, "PM")]));
            pages[0].push(line(
                y + 22.0,
                &[(24.0, "Paid"), (52.0, "to"), (68.0, "ASHA")],
            ));
        }
        unstack_dated_cells(&mut pages);
        let texts: Vec<String> = pages[0].iter().map(Line::text).collect();
        assert_eq!(texts[0], "02 May 2025 10:42 PM -Rs.5.00");
        assert_eq!(texts[1], "Paid to ASHA");
        // The narration took the time's line, right under the money line.
        assert_eq!(pages[0][1].y, 111.0);
        // The time goes on in the date's last word, which keeps the date's extent.
        assert_eq!(pages[0][0].words[2].text, "2025 10:42 PM");
        assert_eq!(pages[0][0].words[2].x1, 62.0 + 6.0 * 4.0);
        // After the figure; a word of the narration a space from its neighbour stays.
        let mut beside = line(
            100.0,
            &[
                (24.0, "Received"),
                (80.0, "from"),
                (300.0, "Rs.5.00"),
                (350.0, "Received"),
            ],
        );
        sign_by_direction_word(&mut beside);
        assert_eq!(beside.text(), "Received from +Rs.5.00");
        let mut narration = line(100.0, &[(24.0, "UPI"), (44.0, "Paid"), (72.0, "Rs.5.00")]);
        sign_by_direction_word(&mut narration);
        assert_eq!(narration.text(), "UPI Paid Rs.5.00");
    }
}
