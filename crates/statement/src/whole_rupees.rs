//! Statements printed in whole rupees ("14719 CR", "534876", "1,25,000 Dr"), as co-operative
//! and small-finance banks and passbook prints keep their accounts: no figure carries paise,
//! so nothing in a token tells an amount or balance from a serial, cheque or reference number
//! beside it. The data does: where a line's bare integer differs from the balance on the row
//! above by another bare integer of the two rows, the running balance chain holds, and the
//! columns those figures stand in are the money columns. Their figures are then written with
//! the paise the bank left out ("534876" -> "534876.00", the same value), so every later step
//! reads them as money as it reads any statement's, and integers elsewhere (serial numbers, a
//! cheque number column, the digits of a narration, the header's MICR) stay what they are.
//! Nothing here names a bank: the chain decides.

use rust_decimal::Decimal;

use crate::text::{Line, Word};
use crate::values;

/// Rows whose balance must follow from the row above, by one of their bare integers, before
/// a file is read as printed in whole rupees.
const MIN_LINKS: usize = 4;
/// Chain figures a column must hold to be a money column.
const MIN_FIGURES_IN_STRIP: usize = 3;
/// Links whose three figures all reach a thousand that make a chain on their own, however few
/// of the file's pairs of lines link (a balance printed only at the end of each day).
const MIN_STRONG_LINKS: usize = 8;

/// A figure printed without paise: digits (grouped or not) with the sign, currency or Dr/Cr
/// mark money may carry, no decimal point, not a date. Its magnitude.
fn bare_figure(text: &str) -> Option<Decimal> {
    if text.contains('.') || !text.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    if values::looks_like_date(text) {
        return None;
    }
    values::parse_amount(text).map(|amount| amount.value.abs())
}

/// Where a chained figure stands: page index, line index, word index.
type At = (usize, usize, usize);
/// A line's bare figures: word index and magnitude.
type Figures = Vec<(usize, Decimal)>;

/// Finds the money columns of a file printed in whole rupees by its balance chain and writes
/// their figures with paise (".00" after the last digit); a file whose chain does not hold on
/// bare integers is left as it is.
pub(crate) fn read_whole_rupees(pages: &mut [Vec<Line>]) {
    let Some((strips, spans, starts, outside)) = money_strips(pages) else {
        return;
    };
    // Amounts printed against the narration first, while their words are where the chain
    // found them (joining wrapped digits below moves words).
    for &(p, l, k) in &outside {
        if let Some(word) = pages[p].get_mut(l).and_then(|line| line.words.get_mut(k)) {
            with_paise(word);
        }
    }
    for (p, lines) in pages.iter_mut().enumerate() {
        let span = spans[p];
        let in_strip = |word: &Word| strips.iter().any(|&(a, b)| word.x0 < b && a < word.x1);
        // A row's line prints an amount and a balance, or (the balance printed at the day's
        // end only) an amount of four digits or more: a wrapped tail has one to three.
        let row_figures = |line: &Line| {
            let bare: Vec<&Word> = line
                .words
                .iter()
                .enumerate()
                .filter(|&(k, w)| {
                    in_strip(w) && bare_figure(&w.text).is_some() && !date_part(line, k)
                })
                .map(|(_, w)| w)
                .collect();
            match bare.as_slice() {
                [] => false,
                [only] => only.text.bytes().filter(u8::is_ascii_digit).count() >= 4,
                _ => true,
            }
        };
        // Between the page's first and last chained line; past them (a balance printed at the
        // day's end only leaves a page's first rows unchained), a line that starts where the
        // chained rows start (their serial or date column), which a header's line does not.
        let in_table = |line: &Line| {
            span.is_some_and(|(top, bottom)| line.y >= top - 0.5 && line.y <= bottom + 0.5)
                || line
                    .words
                    .first()
                    .is_some_and(|w| starts.iter().any(|&x| (w.x0 - x).abs() < 1.0))
        };
        for i in 0..lines.len() {
            // A lone short figure may be the digits of one wrapped from the line above ("53487"
            // over "6"), joined to it first: with paise written, the figure would no longer
            // take its tail.
            if !in_table(&lines[i]) || !row_figures(&lines[i]) {
                continue;
            }
            join_wrapped_digits(lines, i, &in_strip);
            let dates: Vec<bool> = (0..lines[i].words.len())
                .map(|k| date_part(&lines[i], k))
                .collect();
            for (word, _) in lines[i]
                .words
                .iter_mut()
                .zip(dates)
                .filter(|(w, in_date)| in_strip(w) && !in_date)
            {
                with_paise(word);
            }
        }
        lines.retain(|l| !l.words.is_empty());
    }
}

/// A bare figure whose last digits wrapped under it in a cell too narrow ("21122" over "0"):
/// one to three digits alone under it on the next line within a line and a half (or the one
/// after, past a narration line) are its tail and are glued back (a Dr/Cr or minus after the
/// figure stays after it). A line printing a longer figure in the money columns is a row of
/// its own, and ends the search.
fn join_wrapped_digits(lines: &mut [Line], i: usize, in_strip: &dyn Fn(&Word) -> bool) {
    let is_tail =
        |text: &str| (1..=3).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit());
    let reach = lines[i].y + lines[i].size * 1.7;
    for j in i + 1..lines.len().min(i + 3) {
        if lines[j].y > reach {
            return;
        }
        let own_row = prints_split_date(&lines[j])
            || lines[j].words.iter().any(|w| {
                values::looks_like_date(&w.text)
                    || (in_strip(w) && bare_figure(&w.text).is_some() && !is_tail(&w.text))
            });
        if own_row {
            return;
        }
        let mut joined = false;
        for k in 0..lines[i].words.len() {
            let word = &lines[i].words[k];
            if !in_strip(word) || bare_figure(&word.text).is_none() {
                continue;
            }
            let (x0, x1) = (word.x0, word.x1);
            let under: Vec<usize> = (0..lines[j].words.len())
                .filter(|&w| lines[j].words[w].x1 > x0 && lines[j].words[w].x0 < x1)
                .collect();
            let [w] = under.as_slice() else {
                continue;
            };
            let tail = lines[j].words[*w].text.clone();
            if !is_tail(&tail) {
                continue;
            }
            let Some(last_digit) = word.text.rfind(|c: char| c.is_ascii_digit()) else {
                continue;
            };
            let mut glued = word.text.clone();
            glued.insert_str(last_digit + 1, &tail);
            if bare_figure(&glued).is_none() {
                continue;
            }
            let tail_x1 = lines[j].words[*w].x1;
            let word = &mut lines[i].words[k];
            word.text = glued;
            word.x1 = word.x1.max(tail_x1);
            lines[j].words.remove(*w);
            joined = true;
        }
        if joined {
            return;
        }
    }
}

/// Whether a date printed as two or three words starts at one of the line's words ("Apr 13"
/// with the year only in the period, "13 Apr 2024"): a dated line is a row of its own, and a
/// short figure on it is that row's amount ("3386" over the next day's "870"), not the digits
/// of the figure above wrapped under it.
fn prints_split_date(line: &Line) -> bool {
    (0..line.words.len().saturating_sub(1)).any(|i| {
        let two = crate::text::join_words(line.words[i..].iter().take(2));
        let three = crate::text::join_words(line.words[i..].iter().take(3));
        values::parse_day_month(&two).is_some()
            || values::looks_like_date(&two)
            || values::looks_like_date(&three)
    })
}

/// The money columns' horizontal strips and, per page, the span of lines between its first and
/// last chained figure (the table: a header's MICR or customer number above it stays as is).
/// Then the left edges of the chained lines' first words. Last, amounts outside the strips
/// whose two balances stand in a strip: a row's amount printed against its narration ("AMAZON
/// PAY INR2933"), which the balance chain names money as it names the columns.
type Strips = (Vec<(f32, f32)>, Vec<Option<(f32, f32)>>, Vec<f32>, Vec<At>);

fn money_strips(pages: &[Vec<Line>]) -> Option<Strips> {
    let figures_of = |line: &Line| -> Figures {
        line.words
            .iter()
            .enumerate()
            .filter_map(|(k, w)| bare_figure(&w.text).map(|v| (k, v)))
            .collect()
    };
    let mut chained: Vec<At> = Vec::new();
    let mut links = 0;
    let mut strong = 0;
    let mut pairs = 0;
    let mut previous: Option<(usize, usize, Figures)> = None;
    for (p, lines) in pages.iter().enumerate() {
        for (l, line) in lines.iter().enumerate() {
            let figures = figures_of(line);
            if figures.len() < 2 {
                continue;
            }
            if let Some((pp, pl, before)) = &previous {
                pairs += 1;
                if let Some((b, q, a, amount_here)) = link(&figures, before) {
                    links += 1;
                    let at = |pl: &Figures, k: usize| pl.iter().find(|f| f.0 == k).map(|f| f.1);
                    let amount = if amount_here {
                        at(&figures, a)
                    } else {
                        at(before, a)
                    };
                    let thousand = Decimal::from(1000);
                    if [at(&figures, b), at(before, q), amount]
                        .iter()
                        .all(|v| v.is_some_and(|v| v >= thousand))
                    {
                        strong += 1;
                    }
                    chained.push((p, l, b));
                    chained.push((*pp, *pl, q));
                    chained.push(if amount_here {
                        (p, l, a)
                    } else {
                        (*pp, *pl, a)
                    });
                }
            }
            previous = Some((p, l, figures));
        }
    }
    // A balance printed only at the day's end links only where a day has one row; four-digit
    // figures that chain (balance, balance before and amount) do not do so by chance.
    let chain_holds = links >= MIN_LINKS && links * 2 >= pairs;
    let strong_chain = strong >= MIN_STRONG_LINKS && strong * 20 >= pairs;
    if !chain_holds && !strong_chain {
        return None;
    }
    // A file printing more figures with paise ("71,500.00", "0.00") than the chain holds
    // prints paise: there small numbers added up by chance (page numbers "Page 3 of 5" beside
    // the last digits an amount and a balance wrapped onto their next line, "2" and "7").
    let paise = pages
        .iter()
        .flatten()
        .flat_map(|line| &line.words)
        .filter(|word| prints_paise(&word.text))
        .count();
    if paise > chained.len() {
        return None;
    }
    let word = |&(p, l, k): &At| -> &Word { &pages[p][l].words[k] };
    // A file that groups its digits ("1,25,000") prints money every reader already knows by
    // its commas; only figures with no mark at all need the chain.
    let long: Vec<&Word> = chained
        .iter()
        .map(word)
        .filter(|w| w.text.bytes().filter(u8::is_ascii_digit).count() >= 4)
        .collect();
    if long.iter().filter(|w| w.text.contains(',')).count() * 2 > long.len() {
        return None;
    }
    let mut spans: Vec<(f32, f32, bool)> = chained
        .iter()
        .map(|at| {
            let w = word(at);
            let sizable = bare_figure(&w.text).is_some_and(|v| v >= Decimal::from(100));
            (w.x0, w.x1, sizable)
        })
        .collect();
    spans.sort_by(|a, b| a.0.total_cmp(&b.0));
    // Overlapping spans are one column's figures (right-aligned figures share their right
    // edge, left-aligned ones their left), counted with those of three digits or more.
    let mut strips: Vec<((f32, f32), usize, usize)> = Vec::new();
    for (x0, x1, sizable) in spans {
        match strips.last_mut() {
            Some(((_, end), count, sizable_count)) if x0 < *end => {
                *end = end.max(x1);
                *count += 1;
                *sizable_count += usize::from(sizable);
            }
            _ => strips.push(((x0, x1), 1, usize::from(sizable))),
        }
    }
    // Words with letters the chained lines print across a strip: a money column holds figures
    // (and their Dr/Cr marks), a narration holds words. Amounts a bank printed against the
    // narration chain there too, but the narration's own numbers (a cheque number in "RETURN
    // CLG CHQ 100165") are no money: such a strip is no money column (its chained amounts are
    // taken one by one below, as figures outside the strips).
    let mut chained_lines: Vec<(usize, usize)> = chained.iter().map(|&(p, l, _)| (p, l)).collect();
    chained_lines.sort_unstable();
    chained_lines.dedup();
    let text_across = |(a, b): (f32, f32)| {
        chained_lines
            .iter()
            .flat_map(|&(p, l)| &pages[p][l].words)
            .filter(|w| w.x0 < b && a < w.x1)
            .filter(|w| {
                w.text.chars().any(char::is_alphabetic)
                    && bare_figure(&w.text).is_none()
                    && values::is_dr_cr_marker(&w.text).is_none()
            })
            .count()
    };
    // Strips made of one- and two-digit figures only are numbers that added up by chance (page
    // numbers, a date's day beside its year), not money.
    let strips: Vec<(f32, f32)> = strips
        .into_iter()
        .filter(|&(strip, count, sizable)| {
            count >= MIN_FIGURES_IN_STRIP
                && sizable >= MIN_FIGURES_IN_STRIP
                && text_across(strip) * 2 <= count
        })
        .map(|(strip, _, _)| strip)
        .collect();
    if strips.is_empty() {
        return None;
    }
    let mut table_spans: Vec<Option<(f32, f32)>> = vec![None; pages.len()];
    let mut starts: Vec<f32> = Vec::new();
    for &(p, l, _) in &chained {
        if let Some(first) = pages[p][l].words.first() {
            if !starts.iter().any(|&x| (x - first.x0).abs() < 1.0) {
                starts.push(first.x0);
            }
        }
        let y = pages[p][l].y;
        let span = table_spans[p].get_or_insert((y, y));
        span.0 = span.0.min(y);
        span.1 = span.1.max(y);
    }
    let in_strip = |at: &At| {
        let w = word(at);
        strips.iter().any(|&(a, b)| w.x0 < b && a < w.x1)
    };
    // The triple's roles may trade places (a balance less an amount is the amount's partner):
    // the one figure outside the strips, where the other two stand in them, on a line whose
    // only figure in the strips is its balance (a narration repeating the amount printed in
    // its column stays as printed).
    let figures_in_strips = |&(p, l, _): &At| {
        (0..pages[p][l].words.len())
            .filter(|&k| in_strip(&(p, l, k)) && bare_figure(&pages[p][l].words[k].text).is_some())
            .count()
    };
    let outside: Vec<At> = chained
        .chunks(3)
        .filter_map(|triple| {
            let mut out = triple.iter().filter(|at| !in_strip(at));
            match (out.next(), out.next()) {
                (Some(at), None) if figures_in_strips(at) == 1 => Some(*at),
                _ => None,
            }
        })
        .collect();
    Some((strips, table_spans, starts, outside))
}

/// Whether a word is money printed with its paise: two digits after a decimal point, then
/// nothing but a Dr/Cr mark, a minus or a closing parenthesis.
fn prints_paise(text: &str) -> bool {
    let head = text.trim_end_matches(|c: char| c.is_alphabetic() || matches!(c, ')' | '-' | ' '));
    head.rsplit_once('.')
        .is_some_and(|(_, paise)| paise.len() == 2 && paise.bytes().all(|b| b.is_ascii_digit()))
        && values::parse_amount(text).is_some()
}

/// A balance on this line that moved from one on the line before by an amount printed on one
/// of the two (the newer row's, in either order of rows): the words of the balance here, the
/// balance before, the amount, and whether the amount is on this line. Magnitudes only: an
/// overdrawn balance printed unsigned, or its Dr/Cr in a column of its own, moves the same.
/// Where several triples add up, the one with the largest figures is the row's: serial
/// numbers and the day numbers of dates printed apart from their month ("26" | "Nov") add up
/// by chance often enough ("33" - "32" = the day "1") that the first triple found, read from
/// the left, named the serial and date columns money.
fn link(
    here: &[(usize, Decimal)],
    before: &[(usize, Decimal)],
) -> Option<(usize, usize, usize, bool)> {
    let mut best: Option<((usize, usize, usize, bool), Decimal)> = None;
    let mut consider = |found: (usize, usize, usize, bool), size: Decimal| {
        if best.is_none_or(|(_, largest)| size > largest) {
            best = Some((found, size));
        }
    };
    for &(b, balance) in here {
        for &(q, previous) in before {
            let moved = (balance - previous).abs();
            // A zero balance moves by the other figure itself, which any number printed on
            // both lines (a narration's digits) would match.
            if moved.is_zero() || balance.is_zero() || previous.is_zero() {
                continue;
            }
            let size = balance + previous + moved;
            if let Some(&(a, _)) = here.iter().find(|&&(a, v)| a != b && v == moved) {
                consider((b, q, a, true), size);
            }
            if let Some(&(a, _)) = before.iter().find(|&&(a, v)| a != q && v == moved) {
                consider((b, q, a, false), size);
            }
        }
    }
    best.map(|(found, _)| found)
}

/// Writes a bare figure with the paise its bank left out, after its last digit ("534876" ->
/// "534876.00", "14719CR" -> "14719.00CR", "(5019)" -> "(5019.00)"); anything else, or a
/// figure that would not read back as the same value, is left as it is.
/// Whether word `k` of `line` is the day or the year of a date printed as words ("1 Jun 2023",
/// "Jun 30, 2023"), set a space from its month: a header's period that reaches over the money
/// columns ("STATEMENT PERIOD : 1 Jun 2023 to 30 Jun 2023") prints no figures.
fn date_part(line: &Line, k: usize) -> bool {
    let words = &line.words;
    let close = |a: usize, b: usize| match (words.get(a), words.get(b)) {
        (Some(left), Some(right)) => right.x0 - left.x1 <= line.size * 0.8,
        _ => false,
    };
    let pair = |a: usize, b: usize| {
        close(a, b)
            && values::parse_day_month(&format!("{} {}", words[a].text, words[b].text)).is_some()
    };
    let month = |a: usize| values::parse_day_month(&format!("1 {}", words[a].text)).is_some();
    let text = words[k].text.trim_end_matches(',');
    let year = text.len() == 4 && (text.starts_with("19") || text.starts_with("20"));
    pair(k, k + 1)
        || (k >= 1 && pair(k - 1, k))
        || (year && k >= 1 && close(k - 1, k) && (month(k - 1) || (k >= 2 && pair(k - 2, k - 1))))
}

fn with_paise(word: &mut Word) {
    let Some(value) = bare_figure(&word.text) else {
        return;
    };
    let Some(last_digit) = word.text.rfind(|c: char| c.is_ascii_digit()) else {
        return;
    };
    let mut text = word.text.clone();
    text.insert_str(last_digit + 1, ".00");
    if values::parse_amount(&text).is_some_and(|amount| amount.value.abs() == value) {
        word.text = text;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(y: f32, words: &[(&str, f32, f32)]) -> Line {
        Line {
            page: 1,
            y,
            size: 8.0,
            words: words
                .iter()
                .map(|&(text, x0, x1)| Word {
                    text: text.to_string(),
                    x0,
                    x1,
                })
                .collect(),
        }
    }

    /// Serial | date | narration with digits | cheque no. | withdrawal | deposit | balance, all
    /// whole rupees; a header line with a MICR above the table.
    fn whole_rupee_page() -> Vec<Line> {
        let mut lines = vec![line(
            40.0,
            &[("MICR", 300.0, 320.0), ("682240677", 330.0, 372.0)],
        )];
        let rows = [
            ("1", "100", "", "4900"),
            ("2", "", "2500", "7400"),
            ("3", "400", "", "7000"),
            ("4", "1000", "", "6000"),
            ("5", "", "25", "6025"),
            ("6", "6025", "", "0"),
            ("7", "", "500", "500"),
            ("8", "200", "", "300"),
        ];
        for (i, (serial, debit, credit, balance)) in rows.iter().enumerate() {
            let y = 100.0 + 20.0 * i as f32;
            let mut words = vec![
                (*serial, 20.0, 25.0),
                ("01/03/2024", 40.0, 80.0),
                ("BATCH", 100.0, 130.0),
                ("507274", 132.0, 160.0),
                ("123456", 250.0, 280.0),
            ];
            if !debit.is_empty() {
                words.push((debit, 360.0 - 5.0 * debit.len() as f32, 360.0));
            }
            if !credit.is_empty() {
                words.push((credit, 420.0 - 5.0 * credit.len() as f32, 420.0));
            }
            words.push((balance, 480.0 - 5.0 * balance.len() as f32, 480.0));
            lines.push(line(y, &words));
        }
        lines
    }

    fn texts(lines: &[Line]) -> Vec<Vec<&str>> {
        lines
            .iter()
            .map(|l| l.words.iter().map(|w| w.text.as_str()).collect())
            .collect()
    }

    #[test]
    fn the_balance_chain_names_the_money_columns_of_a_whole_rupee_table() {
        let mut pages = vec![whole_rupee_page()];
        read_whole_rupees(&mut pages);
        let read = texts(&pages[0]);
        // The header's MICR, the serials, the narration's digits and the cheque numbers stay.
        assert_eq!(read[0], vec!["MICR", "682240677"]);
        assert_eq!(
            read[1],
            vec![
                "1",
                "01/03/2024",
                "BATCH",
                "507274",
                "123456",
                "100.00",
                "4900.00"
            ]
        );
        assert_eq!(
            read[2],
            vec![
                "2",
                "01/03/2024",
                "BATCH",
                "507274",
                "123456",
                "2500.00",
                "7400.00"
            ]
        );
        assert_eq!(read[6][5..], ["6025.00", "0.00"]);
    }

    #[test]
    fn a_period_printed_over_the_money_columns_keeps_its_days_and_years() {
        // A later statement's header merged into the file, its period reaching over the
        // withdrawal, deposit and balance columns from where the serials start.
        let period = line(
            60.0,
            &[
                ("STATEMENT", 20.0, 60.0),
                ("PERIOD", 62.0, 90.0),
                (":", 300.0, 302.0),
                ("1", 352.0, 356.0),
                ("Jun", 359.0, 371.0),
                ("2023", 374.0, 390.0),
                ("to", 393.0, 401.0),
                ("30", 440.0, 448.0),
                ("Jun", 451.0, 463.0),
                ("2023", 466.0, 482.0),
            ],
        );
        let mut page = whole_rupee_page();
        page.insert(1, period);
        let mut pages = vec![page];
        read_whole_rupees(&mut pages);
        let read = texts(&pages[0]);
        assert_eq!(
            read[1],
            [
                "STATEMENT",
                "PERIOD",
                ":",
                "1",
                "Jun",
                "2023",
                "to",
                "30",
                "Jun",
                "2023"
            ]
        );
        assert_eq!(read[2][5..], ["100.00", "4900.00"]);
    }

    #[test]
    fn the_largest_triple_that_adds_up_is_the_rows_link() {
        // Serial | day ("15" | "Nov") | amount | balance, newest first: the day here and the
        // serial and day before add up ("15" + "17" = "32") as the balances and amount do.
        let figures = |values: [i64; 4]| -> Figures {
            values
                .iter()
                .enumerate()
                .map(|(k, &v)| (k, Decimal::from(v)))
                .collect()
        };
        let here = figures([33, 15, 3269, 385283]);
        let before = figures([32, 17, 7500, 377783]);
        // The amount and the balance before may trade places (the same three figures).
        let (b, q, a, amount_here) = link(&here, &before).expect("the rows link");
        assert_eq!((b, amount_here), (3, false));
        assert_eq!([q.min(a), q.max(a)], [2, 3]);
    }

    #[test]
    fn figures_that_do_not_chain_are_left_as_printed() {
        // The same table with balances that do not follow from the amounts.
        let mut pages = vec![whole_rupee_page()];
        for (i, line) in pages[0].iter_mut().skip(1).enumerate() {
            if let Some(last) = line.words.last_mut() {
                last.text = format!("{}", 1000 + 37 * i * i);
            }
        }
        let before = pages.clone();
        read_whole_rupees(&mut pages);
        assert_eq!(pages, before);
        // A statement with paise is not touched either.
        let mut paise = vec![vec![
            line(
                100.0,
                &[
                    ("1", 20.0, 25.0),
                    ("100.00", 330.0, 360.0),
                    ("4,900.00", 440.0, 480.0),
                ],
            ),
            line(
                120.0,
                &[
                    ("2", 20.0, 25.0),
                    ("2,500.00", 390.0, 420.0),
                    ("7,400.00", 440.0, 480.0),
                ],
            ),
        ]];
        let before = paise.clone();
        read_whole_rupees(&mut paise);
        assert_eq!(paise, before);
    }

    #[test]
    fn a_wrapped_figures_digits_are_joined_before_its_paise() {
        // Serial | narration | withdrawal | balance; row 5's amount and balance wrapped their
        // last digit onto the narration's next line ("450" over "0", "18450" over "0").
        let mut balance = 200_000;
        let mut page = Vec::new();
        for row in 1..=8 {
            let amount = 1_000 + 700 * row;
            balance -= amount;
            let (serial, amount, shown) =
                (row.to_string(), amount.to_string(), balance.to_string());
            let y = 100.0 + 20.0 * page.len() as f32;
            let (amount, shown) = if row == 5 {
                (
                    amount[..amount.len() - 1].to_string(),
                    shown[..shown.len() - 1].to_string(),
                )
            } else {
                (amount, shown)
            };
            page.push(line(
                y,
                &[
                    (serial.as_str(), 20.0, 25.0),
                    ("BATCH", 100.0, 130.0),
                    (amount.as_str(), 340.0, 360.0),
                    (shown.as_str(), 455.0, 480.0),
                ],
            ));
            if row == 5 {
                page.push(line(
                    y + 10.0,
                    &[
                        ("CONTD", 100.0, 130.0),
                        ("0", 355.0, 360.0),
                        ("0", 475.0, 480.0),
                    ],
                ));
            }
        }
        let mut pages = vec![page];
        read_whole_rupees(&mut pages);
        let read = texts(&pages[0]);
        assert_eq!(read[4][2..], ["4500.00", "184500.00"]);
        assert_eq!(read[5], ["CONTD"]);
        assert_eq!(read[6][2..], ["5200.00", "179300.00"]);
    }

    #[test]
    fn a_balance_printed_at_the_days_end_only_still_chains() {
        // Each day's last row prints the balance, the others only their amount: days of one
        // row and of two alternate, so only a third of the pairs of lines link. The first rows,
        // above any chained line, start where the chained rows do.
        let mut lines = Vec::new();
        let mut balance = 500_000_i64;
        for day in 0..20_i64 {
            let rows = if day % 2 == 0 { 1 } else { 2 };
            for k in 0..rows {
                let amount = 12_345 + 1_000 * day + 777 * k;
                balance -= amount;
                let y = 100.0 + 20.0 * lines.len() as f32;
                let (amount, shown) = (amount.to_string(), balance.to_string());
                let mut words = vec![("1", 20.0, 25.0), ("BATCH", 100.0, 130.0)];
                words.push((amount.as_str(), 330.0, 360.0));
                if k + 1 == rows {
                    words.push((shown.as_str(), 440.0, 480.0));
                }
                lines.push(line(y, &words));
            }
        }
        let mut pages = vec![lines];
        read_whole_rupees(&mut pages);
        let read = texts(&pages[0]);
        assert_eq!(read[0][2..], ["12345.00", "487655.00"]);
        assert_eq!(read[1], ["1", "BATCH", "13345.00"]);
        assert_eq!(read[2][2..], ["14122.00", "460188.00"]);
    }

    #[test]
    fn small_numbers_adding_up_in_a_file_that_prints_paise_stay_as_printed() {
        // Page numbers ("Page 3 of 5") and the last digits of an amount and a balance wrapped
        // under them ("2" and "7") add up by chance ("5" - "2" = "3"), between rows printed
        // with paise.
        let mut lines = Vec::new();
        for page in 1..=5 {
            let y = 100.0 * page as f32;
            for k in 0..4 {
                lines.push(line(
                    y + 10.0 * k as f32,
                    &[
                        ("NEFT", 100.0, 130.0),
                        ("1,57,432.58", 330.0, 360.0),
                        ("0.00", 400.0, 420.0),
                        ("15,50,049.59", 440.0, 480.0),
                    ],
                ));
            }
            let page_number = page.to_string();
            lines.push(line(
                y + 50.0,
                &[
                    ("Page", 440.0, 455.0),
                    (page_number.as_str(), 457.0, 460.0),
                    ("of", 462.0, 470.0),
                    ("5", 472.0, 480.0),
                ],
            ));
            lines.push(line(
                y + 60.0,
                &[
                    ("VENI", 100.0, 120.0),
                    ("2", 415.0, 420.0),
                    ("7", 475.0, 480.0),
                ],
            ));
        }
        let mut pages = vec![lines];
        let before = pages.clone();
        read_whole_rupees(&mut pages);
        assert_eq!(pages, before);
        assert!(prints_paise("2,35,033.67") && prints_paise("7,460.84 Dr") && prints_paise("0.00"));
        assert!(!prints_paise("17,07,482.1") && !prints_paise("01.01.2023") && !prints_paise("5"));
    }

    #[test]
    fn a_short_amount_on_a_dated_line_is_no_wrapped_tail() {
        // "Apr 12 … 3386" over "Apr 13 … 870" (dates without the year, printed as two words,
        // the balance at the day's end only): two rows, not "3386870".
        let in_strip = |word: &Word| word.x0 >= 330.0;
        let mut lines = vec![
            line(
                100.0,
                &[
                    ("Apr", 20.0, 35.0),
                    ("12", 37.0, 45.0),
                    ("OLA", 100.0, 120.0),
                    ("3386", 340.0, 360.0),
                ],
            ),
            line(
                110.0,
                &[
                    ("Apr", 20.0, 35.0),
                    ("13", 37.0, 45.0),
                    ("ZOMATO", 100.0, 130.0),
                    ("870", 345.0, 360.0),
                ],
            ),
        ];
        join_wrapped_digits(&mut lines, 0, &in_strip);
        assert_eq!(
            texts(&lines),
            [["Apr", "12", "OLA", "3386"], ["Apr", "13", "ZOMATO", "870"]]
        );
        // An undated line's lone digits under the figure are still its tail.
        lines[1].words.drain(..2);
        join_wrapped_digits(&mut lines, 0, &in_strip);
        assert_eq!(texts(&lines)[0], ["Apr", "12", "OLA", "3386870"]);
    }

    #[test]
    fn a_bare_figure_takes_its_paise_after_its_last_digit() {
        let written = |text: &str| {
            let mut word = Word {
                text: text.to_string(),
                x0: 0.0,
                x1: 1.0,
            };
            with_paise(&mut word);
            word.text
        };
        assert_eq!(written("534876"), "534876.00");
        assert_eq!(written("1,25,000"), "1,25,000.00");
        assert_eq!(written("14719CR"), "14719.00CR");
        assert_eq!(written("(5019)"), "(5019.00)");
        assert_eq!(written("5019-"), "5019.00-");
        assert_eq!(written("INR34279"), "INR34279.00");
        assert_eq!(written("6000.0"), "6000.0");
        assert_eq!(written("01/03/2024"), "01/03/2024");
        assert_eq!(written("CR"), "CR");
    }
}
