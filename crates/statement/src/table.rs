//! Turning the lines under a table heading into raw rows.
//!
//! A row starts at a line with a date in the date column. Lines with text only in wrapping
//! columns (narration, reference) belong to a neighbouring dated line: the one above in
//! "below" layouts, the nearest one in layouts that centre the dated line in its row. Page
//! furniture (footers, disclaimers, "Page 2 of 9"), summaries and totals never join a row.

use crate::columns::{
    count_data_rows, data_coverage, first_row_under, heading_lines, heading_of_another_table,
    inferred_columns, inferred_header, inferred_header_without_balance, single_figure_coverage,
    with_strips_of_dateless_rows, ColumnGrid, Header, HeadingReadings, Role,
};
use crate::lines::{baseline_lines, finish_lines, keeps_at_least, marker_column_spans, normalise};
use crate::text::{Line, Word};
use crate::values;
use chrono::NaiveDateTime;
use ledgerlens_pdf::PageText;
use rustc_hash::FxHashSet;
use std::sync::OnceLock;

mod attach;

/// A row before its values are interpreted.
#[derive(Debug, Clone, Default)]
pub struct RawRow {
    pub page: usize,
    pub date: Option<NaiveDateTime>,
    pub value_date: Option<NaiveDateTime>,
    /// Narration fragments with the baseline they were printed on.
    pub narration: Vec<(f32, String)>,
    /// Where each narration fragment sits, by baseline.
    pub narration_edges: Vec<(f32, PieceEdges)>,
    /// The narration text's left and right limits over the whole table: a line that reaches
    /// the right one may have broken a word too long for any line.
    pub narration_bounds: Option<(f32, f32)>,
    /// Set when the bank cuts narrations into fixed-length pieces (see [`fixed_chunks`]):
    /// (characters per piece, left edge of the narration text).
    pub narration_chunk: Option<(usize, f32)>,
    /// Set when the table's narration breaks words anywhere (see [`breaks_words_anywhere`]):
    /// a line that reaches the column's right limit continues the same word on the next line.
    pub narration_breaks_anywhere: bool,
    /// Baselines of narration lines that reach the right limit of a table breaking words
    /// anywhere but end a word all the same (see [`word_ends_at_the_edge`]).
    pub narration_words_ended_at: Vec<f32>,
    /// Of [`RawRow::narration_words_ended_at`], the baselines where only one side's word is
    /// printed whole elsewhere (see [`word_ends_at_the_edge`]): where the line fills its
    /// cell to the edge the reading is unsure.
    pub narration_words_weakly_ended_at: Vec<f32>,
    /// Baselines of narration lines that reach the right limit of a table breaking words
    /// anywhere where the words on either side make one run by evidence beyond the geometry
    /// ([`surely_cut`]: a number, an IFSC, a word printed whole elsewhere or of the
    /// vocabulary, a handle): the next line continues the word.
    pub narration_words_joined_at: Vec<f32>,
    /// Baselines of narration lines, in a table breaking words anywhere, whose last letters
    /// and the next line's first could as well be two words as one (see
    /// [`words_maybe_apart_at_the_edge`]): a cut read from the geometry alone is unsure there.
    pub narration_words_maybe_apart_at: Vec<f32>,
    /// Baselines of narration lines cut inside a word too long for a line of its own (see
    /// [`words_cut_on_lines_of_their_own`]): the next line continues the word.
    pub narration_cut_at: Vec<f32>,
    /// Debit/credit markers the table's narrations print glued to the word after their hyphen
    /// inside a line ("NEFT CR-HDFC0538104-...") and never before a space (see
    /// [`markers_glued_to_the_next_word`]): a line ending in such a marker's hyphen continues
    /// its word.
    pub narration_glued_markers: Vec<String>,
    /// Punctuation marks the table's narrations print, inside a line, always glued to the
    /// next character (`true`: "ICIC/farah…") or always before a space (`false`: ", "), with
    /// enough occurrences to tell (see [`punctuation_habits`]): in a table breaking words
    /// anywhere a line ending in such a mark was broken inside its word, or at its space.
    pub narration_punctuation: Vec<(char, bool)>,
    pub reference: Vec<(f32, String)>,
    pub debit: Option<String>,
    pub credit: Option<String>,
    pub amount: Option<String>,
    pub drcr: Option<String>,
    pub balance: Option<String>,
}

/// Horizontal extent of one narration fragment and of its first and last words.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PieceEdges {
    pub x0: f32,
    pub x1: f32,
    pub first_word_width: f32,
    pub last_word_width: f32,
}

impl RawRow {
    /// A line of money under an empty date cell that is a transaction of its own, not a total:
    /// one amount (a total line fills both sides) and, where the table has one, a balance.
    /// Where balances are printed, the balance must follow from the row above (either way
    /// round, for newest-first statements), which no summary or total line does.
    fn is_own_row(&self, previous: &RawRow, has_balance_column: bool) -> bool {
        if !self.single_amount(has_balance_column) {
            return false;
        }
        if !has_balance_column {
            // No balance to chain: only the line's text tells a row from a summary's figures.
            return !self.text_holds_figures();
        }
        let (Some(balance), Some(before)) = (self.balance_readings(), previous.balance_readings())
        else {
            return false;
        };
        // The previous row's amount may sit at the end of its narration (printed against the
        // narration column); in newest-first tables the move between the two lines is its.
        let steps: Vec<rust_decimal::Decimal> = [self.amount_value(), previous.amount_value()]
            .into_iter()
            .flatten()
            .chain(previous.figures_ending_narration())
            .collect();
        let tolerance = rust_decimal::Decimal::new(1, 2);
        balance.iter().flatten().any(|balance| {
            before.iter().flatten().any(|before| {
                let moved = (balance - before).abs();
                steps
                    .iter()
                    .any(|step| (moved - step.abs()).abs() < tolerance)
            })
        })
    }

    /// Figures with a decimal point among the line's text cells: a summary block's values
    /// printed across the table ("82,896.31 CR | 132 | 23 | 8,38,318.49 | …"), which a row's
    /// narration or reference does not print.
    fn text_holds_figures(&self) -> bool {
        self.narration
            .iter()
            .chain(&self.reference)
            .flat_map(|(_, text)| text.split_whitespace())
            .any(|word| {
                word.contains('.')
                    && word.chars().any(|c| c.is_ascii_digit())
                    && values::parse_amount(word).is_some()
            })
    }

    /// Figures with a decimal point that end a narration piece of a row with no amount cell.
    fn figures_ending_narration(&self) -> Vec<rust_decimal::Decimal> {
        if self.amount_value().is_some() {
            return Vec::new();
        }
        self.narration
            .iter()
            .filter_map(|(_, text)| values::figure_ending(text).map(|(_, a)| a.value))
            .collect()
    }

    /// The balance as printed and, when it carries neither sign nor Dr/Cr side, also negated:
    /// some layouts print an overdrawn balance unsigned, and only the chain tells.
    fn balance_readings(&self) -> Option<[Option<rust_decimal::Decimal>; 2]> {
        let amount = values::parse_amount(self.balance.as_deref()?)?;
        let signed = amount.signed_balance();
        let unsigned = amount.side.is_none() && !signed.is_sign_negative();
        Some([Some(signed), unsigned.then_some(-signed)])
    }

    /// One amount (a total line fills both sides) and, where the table has one, a balance.
    fn single_amount(&self, has_balance_column: bool) -> bool {
        let amounts = [&self.debit, &self.credit, &self.amount];
        amounts.iter().filter(|a| a.is_some()).count() == 1
            && (self.balance.is_some() || !has_balance_column)
    }

    fn amount_value(&self) -> Option<rust_decimal::Decimal> {
        let text = self
            .debit
            .as_deref()
            .or(self.credit.as_deref())
            .or(self.amount.as_deref())?;
        values::parse_amount(text).map(|a| a.value)
    }

    /// A balance with no amount beside it on a line that prints its own value date: a row whose
    /// date cell was left blank (dates on each day's first row only) and whose amount went
    /// elsewhere (into the narration column), not a balance note.
    fn dated_balance_without_amount(&self) -> bool {
        self.value_date.is_some() && self.balance.is_some() && !self.has_amount()
    }

    /// A balance with no amount beside it that differs from the previous row's balance: the
    /// row's amount was printed elsewhere (against the narration) and its date cell left blank.
    /// The reconciliation then finds the amount or reports the gap. A lone "0.00" is the
    /// filler of the empty cell, not an amount.
    fn balance_moves_without_amount(&self, previous: &RawRow) -> bool {
        let (Some(balance), Some(before)) = (self.balance_readings(), previous.balance_readings())
        else {
            return false;
        };
        self.amount_value().is_none_or(|amount| amount.is_zero())
            && !balance.iter().flatten().any(|b| {
                before
                    .iter()
                    .flatten()
                    .any(|p| (b - p).abs() < rust_decimal::Decimal::new(1, 2))
            })
    }

    /// Whether a debit, credit or amount cell holds anything.
    pub(crate) fn has_amount(&self) -> bool {
        self.debit.is_some() || self.credit.is_some() || self.amount.is_some()
    }

    fn has_money(&self) -> bool {
        self.has_amount() || self.balance.is_some()
    }

    /// Fragments in reading order, joined by single spaces — except where a bank that cuts
    /// narrations into fixed-length pieces cut inside a word: a full-length piece followed by
    /// one that starts at the column's edge (a piece starting after a space is indented by it).
    pub fn narration_text(&self) -> String {
        let Some((chars, left)) = self.narration_chunk else {
            return self.word_wrapped_text();
        };
        let mut parts: Vec<(f32, &str, f32)> = self
            .narration
            .iter()
            .map(|(y, text)| {
                let x0 = self.edges_at(*y).map_or(left, |e| e.x0);
                (*y, text.as_str(), x0)
            })
            .collect();
        parts.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut out = String::new();
        let mut previous_full = false;
        for (_, text, x0) in parts {
            let continues_word = previous_full && x0 - left < CHUNK_EDGE_TOLERANCE;
            if !out.is_empty() && !continues_word {
                out.push(' ');
            }
            out.push_str(text);
            // A piece that began with a cut space lost it from its visible length.
            let indented = x0 - left >= CHUNK_EDGE_TOLERANCE;
            let visible = text.chars().count() + usize::from(indented);
            previous_full = visible == chars;
        }
        out
    }

    fn edges_at(&self, y: f32) -> Option<PieceEdges> {
        self.narration_edges
            .iter()
            .find(|(ey, _)| *ey == y)
            .map(|(_, e)| *e)
    }

    /// Lines of a word-wrapped narration joined by spaces, except where a line was cut inside
    /// a number (a UTR or account number too long for the column): it reaches the column's
    /// right limit, and the number, run on into the next line, would not fit on any line (word
    /// wrapping would have moved a word that fits to the next line whole).
    fn word_wrapped_text(&self) -> String {
        self.read_word_wrapped().0
    }

    /// How many of the narration's wraps in a table breaking words anywhere were read on
    /// the geometry alone, near its limit (see [`RawRow::anywhere_wrap`]): the verdict says
    /// the narration is unsure.
    pub(crate) fn unsure_wraps(&self) -> usize {
        if self.narration_chunk.is_some() || !self.narration_breaks_anywhere {
            return 0;
        }
        self.read_word_wrapped().1
    }

    /// [`RawRow::word_wrapped_text`], with the count of its unsure wraps.
    fn read_word_wrapped(&self) -> (String, usize) {
        let mut unsure = 0;
        let mut parts: Vec<&(f32, String)> = self
            .narration
            .iter()
            .filter(|(_, t)| !t.is_empty())
            .collect();
        parts.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut out = String::new();
        let mut previous: Option<(PieceEdges, &str)> = None;
        let mut before_y = f32::NAN;
        for (y, text) in parts {
            let edges = self.edges_at(*y);
            // Where the table does not break words anywhere, a number is glued by geometry; a
            // word of letters only where the table's wrapper cut it (`narration_cut_at`: a
            // word too long for any line, [`words_cut_filling_their_lines`], or moved to a
            // line of its own, [`words_cut_on_lines_of_their_own`]): geometry alone cannot
            // tell a long word broken at the line's end from two words that happen to fill
            // the line.
            let inside_number = out.ends_with(|c: char| c.is_ascii_digit())
                && text.starts_with(|c: char| c.is_ascii_digit());
            let cut_inside_word = match (previous, edges, self.narration_bounds) {
                (Some((before, line)), Some(after), Some((left, right))) => {
                    if self.narration_breaks_anywhere {
                        let wrap =
                            self.anywhere_wrap((before, line), (after, text), before_y, right);
                        unsure += usize::from(!wrap.sure);
                        wrap.joined
                    } else {
                        let glyph = widest_glyph(before.last_word_width, line);
                        (inside_number && breaks_inside_word(before, glyph, after, left, right))
                            || (broken_at_slash(line, text)
                                && (right - before.x1 <= glyph
                                    || before.last_word_width + after.first_word_width
                                        > right - left))
                            || self.narration_cut_at.contains(&before_y)
                    }
                }
                _ => false,
            };
            if !out.is_empty()
                && !cut_inside_word
                && !broken_after_hyphen(&out, &self.narration_glued_markers)
            {
                out.push(' ');
            }
            out.push_str(text);
            previous = edges.map(|e| (e, text.as_str()));
            before_y = *y;
        }
        (out, unsure)
    }

    /// How a wrap in a table breaking words anywhere is read: a punctuation mark's habit
    /// decides a line ending in it; else the words on either side, printed apart elsewhere
    /// ([`word_ends_at_the_edge`]) or making one run ([`surely_cut`]); else the geometry.
    /// The glyph that did not fit is the next line's first: a line cut inside a word leaves
    /// less slack than it, one broken at a space less than that glyph and the space (they did
    /// not fit together). So slack under the glyph fits either reading: a line filling its
    /// cell is read as one word, unsure where the letters on either side could be two words
    /// ([`words_maybe_apart_at_the_edge`]); slack of the glyph and more is a space, sure only
    /// well past the glyph (its width is estimated from the next line's first word).
    fn anywhere_wrap(
        &self,
        (before, line): (PieceEdges, &str),
        (after, text): (PieceEdges, &str),
        before_y: f32,
        right: f32,
    ) -> WrapReading {
        let habit = line
            .chars()
            .next_back()
            .filter(|_| text.starts_with(|c: char| !c.is_whitespace()))
            .and_then(|mark| {
                self.narration_punctuation
                    .iter()
                    .find(|(m, _)| *m == mark)
                    .map(|(_, glued)| *glued)
            });
        if let Some(joined) = habit {
            return WrapReading { joined, sure: true };
        }
        if lone_mark_at_wrap(line, text) {
            return WrapReading {
                joined: false,
                sure: true,
            };
        }
        // The last word's glyphs stand in where the next word's width is unknown.
        let next = first_glyph_width(after, text);
        let glyph = if next > 0.0 {
            next
        } else {
            line_end_glyph(before, line) * first_unit(text) / 1.1
        };
        let slack = right - before.x1;
        if self.narration_words_ended_at.contains(&before_y) {
            // One side printed whole elsewhere is weak evidence against a line that fills its
            // cell ("CAPITAL" / "ISED", where "CAPITAL" prints whole in "TATA CAPITAL").
            let weak = self.narration_words_weakly_ended_at.contains(&before_y);
            return WrapReading {
                joined: false,
                sure: !(weak && slack <= glyph * 1.1),
            };
        }
        if self.narration_words_joined_at.contains(&before_y) {
            return WrapReading {
                joined: true,
                sure: true,
            };
        }
        if slack <= glyph * 1.1 {
            WrapReading {
                joined: true,
                sure: !self.narration_words_maybe_apart_at.contains(&before_y),
            }
        } else {
            WrapReading {
                joined: false,
                sure: slack > glyph * SURE_SPACE_GLYPHS,
            }
        }
    }

    /// A wrapped reference cell's lines joined without a space (the column is narrow, so a
    /// reference number is cut wherever the line ends), except between a word and the word or
    /// number after it ("TRANSFER FROM" / "7128896219489"), where a wrapper broke at a space.
    pub fn reference_text(&self) -> String {
        let mut sorted: Vec<&(f32, String)> = self.reference.iter().collect();
        sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut out = String::new();
        for (_, text) in sorted.into_iter().filter(|(_, t)| !t.is_empty()) {
            if words_then_number(&out, text) && !cut_inside_listed_word(&out, text) {
                out.push(' ');
            }
            out.push_str(text);
        }
        out
    }
}

/// A wrap's reading in a table breaking words anywhere: whether the next line continues the
/// word, and whether evidence beyond a near call of the geometry says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct WrapReading {
    joined: bool,
    sure: bool,
}

/// Slack at a line's end, in estimated widths of the next line's first glyph, past which a
/// table breaking words anywhere surely broke the line at a space: the estimate (Helvetica's
/// proportions of the next word's width) errs by a fraction of a glyph.
const SURE_SPACE_GLYPHS: f32 = 1.5;

/// Whether a line ending `line` and the next opening `next` meet at a mark printed alone
/// between spaces ("… BANK -" / "CTS CLG", "… 663979814" / "- PUNJAB …"): the mark stands
/// between words, so the wrap fell at one of its spaces.
fn lone_mark_at_wrap(line: &str, next: &str) -> bool {
    let marks_only = |token: &str| !token.is_empty() && !token.chars().any(char::is_alphanumeric);
    let ends_alone = line
        .rsplit_once(' ')
        .is_some_and(|(_, last)| marks_only(last));
    let opens_alone = next
        .split_once(' ')
        .is_some_and(|(first, _)| marks_only(first));
    ends_alone || opens_alone
}

/// Whether `before` ends in a word of letters and `after` starts with one or with a number
/// ("TRANSFER" / "FROM", "TRANSFER FROM" / "7128896219489"): a wrapper parted them at their
/// space. A reference cut inside itself runs letters into digits or digits on.
fn words_then_number(before: &str, after: &str) -> bool {
    let letters = |w: &str| !w.is_empty() && w.chars().all(char::is_alphabetic);
    let ends_in_word = !before.ends_with(char::is_whitespace)
        && before.split_whitespace().next_back().is_some_and(letters);
    let first = after.split_whitespace().next().unwrap_or("");
    ends_in_word && (letters(first) || after.starts_with(|c: char| c.is_ascii_digit()))
}

/// Whether the letters ending `before` and opening `after` make one of the narrations' words
/// (data) that neither part is ("TRANSF" / "ER FROM"): a word cut where a narrow cell's line
/// ended, not two words parted at a space ("TRANSFER" / "FROM").
fn cut_inside_listed_word(before: &str, after: &str) -> bool {
    let tail = before
        .rsplit(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or("");
    let head = after
        .split(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or("");
    !tail.is_empty()
        && !head.is_empty()
        && listed_word(&format!("{tail}{head}"))
        && !listed_word(tail)
        && !listed_word(head)
}

/// A line ending within a glyph of the column's right limit whose last word, run on into the
/// next line's first word, is wider than the column.
fn breaks_inside_word(
    before: PieceEdges,
    glyph: f32,
    after: PieceEdges,
    left: f32,
    right: f32,
) -> bool {
    let column = right - left;
    column > 0.0
        && right - before.x1 <= glyph
        && before.last_word_width + after.first_word_width > column - SCREEN_PIXEL
}

/// Whether a line that holds one run of characters (no space) was cut inside it: renderers
/// that wrap at spaces cut a word only when it does not fit on a line of its own (LibreOffice
/// moves it to a new line and cuts it there, as browsers' `overflow-wrap` does), so a line
/// cut inside a word holds nothing but that word, and the slack it leaves at
/// the column's right limit is less than the glyph that went on to the next line. A line
/// holding a space was broken at a space. A word that fits, alone on its line, may end
/// within a glyph of the limit too: [`words_cut_on_lines_of_their_own`] decides.
fn cut_in_a_line_of_its_own(
    before: PieceEdges,
    line: &str,
    after: PieceEdges,
    text: &str,
    right: f32,
) -> bool {
    let ends_in_run = line.chars().next_back().is_some_and(|c| !c.is_whitespace());
    let starts_run = text.chars().next().is_some_and(|c| !c.is_whitespace());
    ends_in_run
        && starts_run
        && !line.contains(char::is_whitespace)
        && right - before.x1 < first_glyph_width(after, text) * CUT_GLYPH_SLACK
}

/// A row's narration lines in reading order, each with its extent.
fn pieces_with_edges(row: &RawRow) -> Vec<(f32, &str, PieceEdges)> {
    let mut pieces: Vec<(f32, &str, PieceEdges)> = row
        .narration
        .iter()
        .filter_map(|(y, text)| row.edges_at(*y).map(|e| (*y, text.as_str(), e)))
        .collect();
    pieces.sort_by(|a, b| a.0.total_cmp(&b.0));
    pieces
}

/// Whether the table's wrapper moves a word too long for a line to a line of its own and cuts
/// it there (LibreOffice's cells; see [`cut_in_a_line_of_its_own`]): a line that stops short
/// of the column's right limit, with room left for a space and the next line's first glyph,
/// followed by a line of one run that reaches the limit and goes on on a third line. A
/// wrapper that fills a line before cutting never leaves that room (its line above a cut holds
/// words and reaches the limit, which must be rare beside the moved ones); a word wrapper
/// leaves it only where a whole word happens to fill its line, so the cut words must end in
/// [`MOVED_WORDS_SEEN`] different ways, and a line whose last letters and the next line's
/// first are words the statement prints whole elsewhere and never together
/// ([`kept_apart`]: "…/swiggy.stores@axb/HDFC" / "BANK LTD", "…/Kotak" / "Mahindra Bank",
/// a whole compound that filled its line) shows no cut.
fn moves_words_to_lines_of_their_own(rows: &[RawRow], right: f32, whole: &WholeWords) -> bool {
    let mut tails: Vec<&str> = Vec::new();
    let (mut moved, mut filled) = (0usize, 0usize);
    for row in rows {
        let pieces = pieces_with_edges(row);
        for three in pieces.windows(3) {
            let ((_, above, short), (_, line, cut), (_, next, after)) =
                (three[0], three[1], three[2]);
            if !cut_in_a_line_of_its_own(cut, line, after, next, right) {
                continue;
            }
            let glyph = first_glyph_width(cut, line) * CUT_GLYPH_SLACK;
            let room = right - short.x1;
            if room > 2.0 * glyph {
                if kept_apart(line, next, whole) {
                    continue;
                }
                moved += 1;
                let tail = last_run(line);
                if !tails.contains(&tail) {
                    tails.push(tail);
                }
            } else if room <= glyph && above.contains(char::is_whitespace) {
                // Words, then the start of a long word filling the line: cut there.
                filled += 1;
            }
        }
    }
    tails.len() >= MOVED_WORDS_SEEN && filled * 4 <= moved
}

/// Different word ends cut on lines of their own that show a table's wrapper cuts so.
const MOVED_WORDS_SEEN: usize = 3;

/// Baselines of `row`'s narration lines cut inside a word in a table that moves words too long
/// for a line to lines of their own ([`moves_words_to_lines_of_their_own`]): the line may have
/// been cut ([`cut_in_a_line_of_its_own`]), unless the letters on both sides are words the
/// statement prints whole elsewhere and never together, as [`word_ends_at_the_edge`] tells
/// in tables that break anywhere; here "together" counts only as printed ("AMAZON" / "PAY"
/// beside "Pay via" stays apart though the payee's handle prints "amazonpay").
fn words_cut_on_lines_of_their_own(row: &RawRow, right: f32, whole: &WholeWords) -> Vec<f32> {
    pieces_with_edges(row)
        .windows(2)
        .filter_map(|pair| {
            let ((y, line, before), (_, next, after)) = (pair[0], pair[1]);
            (cut_in_a_line_of_its_own(before, line, after, next, right)
                && !kept_apart(line, next, whole)
                && !vocabulary_parts_them(line, next, whole))
            .then_some(y)
        })
        .collect()
}

/// Baselines of `row`'s narration lines cut inside a word by a wrapper that fills a line
/// before cutting a word too long for any line (a report engine's, our own writer's): the
/// line reaches the column's right limit with less room left than the glyph that went on to
/// the next line, its last word and the next line's first are together wider than the
/// column (a word that fits on a line is moved to the next whole, never cut), and the cut
/// word began on that line after a space, or opens the narration, or goes on from a line cut
/// above it: such a wrapper never starts a line with a word it cuts otherwise, so a line
/// holding one word that fills it ("GOLDEN" / "LEAF") ended a word. Where the letters on both
/// sides are words the statement prints whole elsewhere and never together
/// ([`kept_apart`]), or words of the narrations' vocabulary that make none together
/// ([`vocabulary_parts_them`]), the wrapper broke at a space that fell at the line's end.
/// Tables that move a long word to a line of its own ([`moves_words_to_lines_of_their_own`])
/// are read by [`words_cut_on_lines_of_their_own`] instead.
#[cfg(test)]
fn words_cut_filling_their_lines(
    row: &RawRow,
    bounds: (f32, f32),
    whole: &WholeWords,
) -> Vec<(f32, bool)> {
    filled_line_cuts(row, bounds, whole).cuts
}

/// What [`filled_line_cuts`] reads of one row: the cuts it takes (baseline, whether evidence
/// beyond the geometry shows it), and the lines where the geometry shows a cut but the only
/// word evidence against it is a reference's digits before a word, which a statement prints
/// both glued ("OTHPOS<digits>BIGBASKET") and spaced: left parted, and undecided.
struct FilledLineCuts {
    cuts: Vec<(f32, bool)>,
    undecided: usize,
}

impl FilledLineCuts {
    /// Only the cuts on lines holding a space (a word cut where its line ended after other
    /// words), for a table whose lines of one word [`words_cut_on_lines_of_their_own`] reads.
    fn after_other_words(mut self, row: &RawRow) -> Self {
        self.cuts.retain(|(y, _)| {
            row.narration
                .iter()
                .any(|(at, text)| at == y && text.trim().contains(char::is_whitespace))
        });
        self
    }
}

/// [`words_cut_filling_their_lines`], with the lines it could not decide.
fn filled_line_cuts(row: &RawRow, (left, right): (f32, f32), whole: &WholeWords) -> FilledLineCuts {
    let pieces = pieces_with_edges(row);
    // Whether line k reaches the limit with less room left than line k+1's first glyph.
    let filled: Vec<bool> = pieces
        .windows(2)
        .map(|pair| {
            let ((_, _, before), (_, next, after)) = (pair[0], pair[1]);
            let glyph = first_glyph_width(after, next);
            glyph > 0.0 && right - before.x1 < glyph * CUT_GLYPH_SLACK
        })
        .collect();
    let mut out = Vec::new();
    let mut undecided = 0;
    let mut previous_cut = false;
    for (k, pair) in pieces.windows(2).enumerate() {
        let ((y, line, before), (_, next, after)) = (pair[0], pair[1]);
        // A comma or semicolon ends a word: the wrapper broke at the space after it. An amount
        // printed against the narration ends its line ("…/NEHA 4312.00") and no word.
        let ends_in_run = line
            .chars()
            .next_back()
            .is_some_and(|c| !c.is_whitespace() && c != ',' && c != ';')
            && !line
                .split_whitespace()
                .next_back()
                .is_some_and(ends_in_figure);
        let starts_run = next.chars().next().is_some_and(|c| !c.is_whitespace());
        let at_edge = filled[k];
        // The next line is one run filling its line: the word goes on past it.
        let runs_on = !next.contains(char::is_whitespace) && filled.get(k + 1) == Some(&true);
        // Widths shared by Helvetica's advances are a few per cent off another face's.
        let column = right - left;
        let too_long = runs_on
            || before.last_word_width + after.first_word_width
                > column - SCREEN_PIXEL.max(column * WIDTH_SHARE_ERROR);
        // A word the wrapper cuts starts on a line of its own only where the line above had
        // no room for a space and its first glyph.
        let no_room_above =
            k.checked_sub(1)
                .and_then(|i| pieces.get(i))
                .is_some_and(|&(_, _, above)| {
                    right - above.x1
                        < (space_width(before, line) + first_glyph_width(before, line))
                            * CUT_GLYPH_SLACK
                });
        let started_here =
            line.contains(char::is_whitespace) || k == 0 || previous_cut || no_room_above;
        let apart = kept_apart(line, next, whole) || vocabulary_parts_them(line, next, whole);
        let geometry = ends_in_run && starts_run && at_edge && too_long && started_here;
        let cut = geometry && !apart;
        if geometry
            && apart
            && !kept_apart_by(line, next, whole, false)
            && !parted_by_words(line, next, whole, false)
            && (!digits_then_letters(line, next) || printed_glued_to_letters(line, whole))
        {
            undecided += 1;
        }
        // A word moved to a line of its own and cut there, as LibreOffice does, where the
        // table shows that habit too seldom to be told by it
        // ([`moves_words_to_lines_of_their_own`]): taken where the run on both sides is surely
        // one ("…/flipkart.payu@hdfcbank/P" / "ay via", "…/Paymen" / "t for").
        let moved = !cut
            && !apart
            && !started_here
            && cut_in_a_line_of_its_own(before, line, after, next, right)
            && surely_cut(line, next, whole);
        if cut || moved {
            out.push((y, moved || surely_cut(line, next, whole)));
        }
        previous_cut = cut || moved;
    }
    FilledLineCuts {
        cuts: out,
        undecided,
    }
}

/// The run of letters and digits ending `text` ("" where it ends in punctuation or a space).
fn last_run(text: &str) -> &str {
    text.rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("")
}

/// The run of letters and digits opening `text` ("" where it opens with punctuation or a space).
fn first_run(text: &str) -> &str {
    text.split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("")
}

/// Whether the run ending `line` and the one opening `next` make one run on evidence beyond
/// the geometry: a number cut inside ("…4518" / "2207"), a bank's IFSC ("ICIC" / "0936780"),
/// a word the statement prints whole elsewhere or the narrations' vocabulary holds.
fn surely_cut(line: &str, next: &str, whole: &WholeWords) -> bool {
    let tail = last_run(line);
    let head = first_run(next);
    if inside_handle(line, next) {
        return true;
    }
    if tail.is_empty() || head.is_empty() {
        return false;
    }
    let joined = format!("{tail}{head}");
    let number = tail.ends_with(|c: char| c.is_ascii_digit())
        && head.starts_with(|c: char| c.is_ascii_digit());
    let mixed = joined.chars().any(|c| c.is_ascii_digit())
        && joined.chars().any(|c| c.is_ascii_alphabetic());
    number
        || is_ifsc(&joined)
        || (mixed && whole.shapes.contains(&shape(&joined)))
        || (joined.chars().count() >= 3 && (whole.contains(&joined) || listed_word(&joined)))
}

/// Whether the run ending `line` ends in a digit and the one opening `next` starts with a
/// letter: a reference's digits before a word.
fn digits_then_letters(line: &str, next: &str) -> bool {
    line.ends_with(|c: char| c.is_ascii_digit()) && next.starts_with(|c: char| c.is_alphabetic())
}

/// Whether the statement prints, on one line, a run of the shape of the one ending `line`
/// ("OTHPOS<digits>") glued to letters ("OTHPOS<digits>SWIGGY"): its habit glues such a
/// reference to the word after it, whatever the word.
fn printed_glued_to_letters(line: &str, whole: &WholeWords) -> bool {
    let tail = last_run(line);
    if tail.is_empty() {
        return false;
    }
    let prefix = shape(tail);
    whole.shapes.iter().any(|printed| {
        printed.match_indices(&prefix).any(|(at, _)| {
            let opens = printed[..at]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric());
            let glued = printed[at + prefix.len()..]
                .chars()
                .next()
                .is_some_and(char::is_alphabetic);
            opens && glued
        })
    })
}

/// Whether `word` is a figure with paise ("4312.00", "4,406.73").
fn ends_in_figure(word: &str) -> bool {
    let bytes = word.as_bytes();
    bytes.len() >= 4
        && bytes[bytes.len() - 3] == b'.'
        && bytes[bytes.len() - 2..].iter().all(u8::is_ascii_digit)
        && is_money_text(word)
}

/// How far off a word's width shared among a line's words by Helvetica's advances may be.
const WIDTH_SHARE_ERROR: f32 = 0.02;

/// A space's width at the size of the line starting `text`: its first word's width shared by
/// Helvetica's advances ([`advance_units`]).
fn space_width(edges: PieceEdges, text: &str) -> f32 {
    let word = text.split_whitespace().next().unwrap_or("");
    let total: f32 = word.chars().map(advance_units).sum();
    if total <= 0.0 {
        return 0.0;
    }
    edges.first_word_width * advance_units(' ') / total
}

/// Whether the narrations' vocabulary (data) says a line ending `line` and the next opening
/// `next` were parted at a space, as [`word_ends_at_the_edge`] reads it: two of its words
/// that make none together ("CTS" / "CLEARING"), one of its words before a number ("CARD" /
/// "XXXX7237") or after one ("…604245" / "GSTN"); never where the two make a word the
/// statement prints whole or the vocabulary holds ("Pay" / "ment"), or a bank's IFSC
/// ("ICIC" / "0936780").
fn vocabulary_parts_them(line: &str, next: &str, whole: &WholeWords) -> bool {
    parted_by_words(line, next, whole, true)
}

/// [`vocabulary_parts_them`]; a reference's digits before a word, or a number before a
/// word of the vocabulary, count only with `after_a_reference`: a statement prints a card
/// reference glued to the merchant ("OTHPOS<digits>BIGBASKET") as often as spaced. A whole
/// date before a word parts them too ([`date_before_word`]: "…01-04-2024" / "TO …").
fn parted_by_words(line: &str, next: &str, whole: &WholeWords, after_a_reference: bool) -> bool {
    let tail = last_run(line);
    let head = first_run(next);
    let (tail_chars, head_chars) = (tail.chars().count(), head.chars().count());
    let joined = format!("{tail}{head}");
    let digits = |w: &str| w.chars().any(|c| c.is_ascii_digit());
    let letters = |w: &str| w.chars().all(char::is_alphabetic);
    // One long word of the vocabulary beside a run of letters that makes no word with it
    // ("SUNRISE" / "TEXTILES").
    let one_long = |listed: &str, other: &str| {
        listed.chars().count() >= 5
            && listed_word(listed)
            && other.chars().count() >= 3
            && letters(other)
    };
    // A word's ending after one of the vocabulary's words is that word's inflection
    // ("CAPITAL" / "ISED"), not a second word.
    let one_long_before = |listed: &str, other: &str| one_long(listed, other) && !is_ending(other);
    // A name of the vocabulary before an initial ("GURPREET" / "M-ICIC-…", "NEHA" / "M-…").
    let initial = head_chars == 1
        && letters(head)
        && next[head.len()..].starts_with(['-', '/', '.'])
        && tail_chars >= 3
        && listed_word(tail);
    // A reference's digits before a word ("…PUNBN46944341322420" / "ORCHID"), unless the
    // statement prints such a reference glued to such a word ("OTHPOS4360886783BIGBASKET").
    let after_reference = after_a_reference
        && tail.chars().filter(char::is_ascii_digit).count() >= 6
        && tail.ends_with(|c: char| c.is_ascii_digit())
        && head_chars >= 3
        && letters(head);
    let listed = (tail_chars >= 2 && head_chars >= 2 && listed_word(tail) && listed_word(head))
        || (tail_chars >= 2 && listed_word(tail) && digits(head))
        || (after_a_reference
            && head_chars >= 3
            && listed_word(head)
            && digits(tail)
            && tail_chars >= 6)
        || one_long_before(tail, head)
        || one_long(head, tail)
        || initial
        || after_reference
        || listed_token_before_number(line, next)
        || date_before_word(line, next, whole);
    let shape_printed = digits(&joined) && whole.shapes.contains(&shape(&joined));
    listed
        && !whole.printed.contains(&joined)
        && !one_run(&joined, head)
        && !inside_handle(line, next)
        && !shape_printed
}

/// Whether `line` ends in a whole date with its year ("INT.PD:01-04-2024", "…/30-Jun-24") and
/// `next` opens with a word of letters ("TO 30-06-2024"): a date is a unit of its own, so the
/// wrap fell at a space, unless the statement prints such a date glued to letters inside a
/// line (see [`prints_dates_glued_to_letters`]).
fn date_before_word(line: &str, next: &str, whole: &WholeWords) -> bool {
    let head = first_run(next);
    let opens_word = head.chars().count() >= 2 && head.chars().all(char::is_alphabetic);
    opens_word && ends_in_whole_date(line) && !prints_dates_glued_to_letters(whole)
}

/// Whether the last token of `line` ends in a whole date with its year: a suffix starting the
/// token or after a mark, read as a date, ending in a year of two or four digits after a
/// separator.
fn ends_in_whole_date(line: &str) -> bool {
    let Some(token) = line.split_whitespace().next_back() else {
        return false;
    };
    let year = token.chars().rev().take_while(char::is_ascii_digit).count();
    let before_year = token[..token.len() - year].chars().next_back();
    if !matches!(year, 2 | 4) || !before_year.is_some_and(|c| matches!(c, '-' | '/' | '.')) {
        return false;
    }
    token.char_indices().any(|(at, _)| {
        let opens = token[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        opens && values::parse_date(&token[at..]).is_some()
    })
}

/// Whether the statement prints, inside a line, a date glued to the letters after it
/// ("01/10/23TO"): a token shape with a date's shape ("#-#-#", "#/X/#") before a letter.
fn prints_dates_glued_to_letters(whole: &WholeWords) -> bool {
    whole.token_shapes.iter().any(|shape| {
        let chars: Vec<char> = shape.chars().collect();
        chars.windows(2).enumerate().any(|(i, pair)| {
            pair[0] == '#' && pair[1].is_alphabetic() && date_shape_ends_at(&chars[..=i])
        })
    })
}

/// Whether `shape` ends in a date's shape: "#", a separator, "#" or a month's letters, the same
/// separator, "#".
fn date_shape_ends_at(shape: &[char]) -> bool {
    let mut rev = shape.iter().rev();
    if rev.next() != Some(&'#') {
        return false;
    }
    let Some(&sep) = rev.next().filter(|c| matches!(c, '-' | '/' | '.')) else {
        return false;
    };
    let middle: Vec<char> = rev.clone().take_while(|c| **c != sep).copied().collect();
    let month = middle == ['#'] || (middle.len() == 3 && middle.iter().all(|c| c.is_alphabetic()));
    let mut rest = rev.skip(middle.len());
    month && rest.next() == Some(&sep) && rest.next() == Some(&'#')
}

/// Whether `run` is an ending English words take ("ISED", "MENT", "ING"): after a word it
/// continues that word.
fn is_ending(run: &str) -> bool {
    const ENDINGS: [&str; 14] = [
        "ing", "ised", "ized", "isation", "ization", "ment", "ments", "ation", "ations", "ance",
        "ence", "ity", "ers", "ies",
    ];
    ENDINGS.iter().any(|e| run.eq_ignore_ascii_case(e))
}

/// Whether the line's last token, its marks dropped, is one of the vocabulary's words
/// ("A/C" is "ac") and the next line opens with a number or a masked one ("9391716355",
/// "XXXX7444"): a word printed with a slash or dot before a number, parted at a space.
fn listed_token_before_number(line: &str, next: &str) -> bool {
    let Some(token) = line.rsplit(' ').next() else {
        return false;
    };
    let bare: String = token.chars().filter(|c| !matches!(c, '/' | '.')).collect();
    let numbered = next
        .trim_start_matches(['X', 'x', '*'])
        .starts_with(|c: char| c.is_ascii_digit());
    bare.chars().count() >= 2
        && bare.len() < token.len()
        && bare.chars().all(char::is_alphabetic)
        && listed_word(&bare)
        && numbered
}

/// Whether `word` has the shape of an IFSC: four letters, a zero, six letters or digits.
fn is_ifsc(word: &str) -> bool {
    let bytes = word.as_bytes();
    bytes.len() == 11
        && bytes[..4].iter().all(u8::is_ascii_alphabetic)
        && bytes[4] == b'0'
        && bytes[5..].iter().all(u8::is_ascii_alphanumeric)
}

/// Whether the letters ending `line` and those opening `next` are words the statement prints
/// whole elsewhere ([`WholeWords`]) and never together as printed: two words, not one cut.
fn kept_apart(line: &str, next: &str, whole: &WholeWords) -> bool {
    kept_apart_by(line, next, whole, true)
}

/// [`kept_apart`]; one side printed whole elsewhere counts only with `either_side`.
fn kept_apart_by(line: &str, next: &str, whole: &WholeWords, either_side: bool) -> bool {
    let tail = last_run(line);
    let head = first_run(next);
    let (tail_chars, head_chars) = (tail.chars().count(), head.chars().count());
    let both = tail_chars >= 2 && head_chars >= 2 && whole.contains(tail) && whole.contains(head);
    let either = either_side
        && tail_chars >= 3
        && head_chars >= 3
        && (whole.contains(tail) || whole.contains(head));
    let joined = format!("{tail}{head}");
    (both || either)
        && !whole.printed.contains(&joined)
        && !one_run(&joined, head)
        && !inside_handle(line, next)
}

/// Whether a line ending `line` and the next opening `next` were parted inside a UPI handle
/// or an e-mail address ("…/zepto.payu@axis" / "bank/Pay", "…/amazon" / "pay@apl/…"): the
/// part of the path on either side of the break holds its "@", and a handle has no space.
fn inside_handle(line: &str, next: &str) -> bool {
    let separator = |c: char| matches!(c, '/' | '-' | '*' | '|');
    let tail = line
        .split_whitespace()
        .next_back()
        .and_then(|w| w.rsplit(separator).next())
        .unwrap_or("");
    let head = next
        .split_whitespace()
        .next()
        .and_then(|w| w.split(separator).next())
        .unwrap_or("");
    // A handle is printed in lowercase: its letters on the other side of the break too.
    let handle_char = |c: Option<char>| {
        c.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_'))
    };
    (tail.contains('@') && handle_char(next.chars().next()))
        || (head.contains('@') && handle_char(line.chars().next_back()))
}

/// Whether `joined` (a line's last letters and the next line's first, `head`) reads as one run
/// whatever the words on either side: a word of the narrations' vocabulary, a bank's IFSC
/// ("ICIC" / "0936780"), or a reference cut before its last letter ("HDFC" / "N5999865…",
/// "SBI" / "N0501139": one letter then digits is no word of its own).
fn one_run(joined: &str, head: &str) -> bool {
    // The letters before the head: a bank's code ("HDFC", "SBI"), not a word ("ORDER").
    let code = joined.chars().count() - head.chars().count() <= 4;
    let mut chars = head.chars();
    let letter_then_digits = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.clone().skip_while(char::is_ascii_alphabetic).count() >= 6
        && head.chars().filter(char::is_ascii_alphabetic).count() <= 2
        && chars
            .skip_while(char::is_ascii_alphabetic)
            .all(|c| c.is_ascii_digit());
    listed_word(joined) || is_ifsc(joined) || (code && letter_then_digits)
}

/// A run's shape: each run of digits as one "#" ("OTHPOS4360886783BIGBASKET" is
/// "OTHPOS#BIGBASKET").
fn shape(run: &str) -> String {
    let mut out = String::new();
    for c in run.chars() {
        if c.is_ascii_digit() {
            if !out.ends_with('#') {
                out.push('#');
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// A token's shape: [`shape`], with each run of a mask's "X" or "*" as one "X" ("XXXX" and
/// "XXXXXXXX2056" are "X" and "X#", and so is "XXXXXXXXXXXX2056", the mask they cut).
fn token_shape(token: &str) -> String {
    let mut out = String::new();
    for c in shape(token).chars() {
        let c = if matches!(c, 'x' | '*') { 'X' } else { c };
        if !(c == 'X' && out.ends_with('X')) {
            out.push(c);
        }
    }
    out
}

/// How much wider than its Helvetica estimate ([`first_glyph_width`]) the glyph a cut moved
/// to the next line may be: faces differ from Helvetica by a fraction of a glyph.
const CUT_GLYPH_SLACK: f32 = 1.25;

/// A pixel of a 96 dpi screen, in points: glyphs placed on a screen's pixel grid (a page
/// printed from a browser or viewer) measure up to this much off their font's widths.
const SCREEN_PIXEL: f32 = 0.75;

/// Whether a narration line ending `text` was broken after a hyphen inside a word
/// ("NEFT-" / "HDFC..."): browsers and report engines break there without a space, so the
/// next line continues the word. A hyphen after a debit/credit marker ("ACH D- ", "NACH-DR- ")
/// is followed by a space in the narrations banks print, and a lone hyphen stands between
/// words ("CHQ DEP - MICR"), except after a marker in `glued_markers`, which the table prints
/// glued to the word after it ("NEFT CR-HDFC...").
fn broken_after_hyphen(text: &str, glued_markers: &[String]) -> bool {
    let Some(word) = text.strip_suffix('-') else {
        return false;
    };
    let part = last_run(word);
    let upper = part.to_ascii_uppercase();
    !part.is_empty()
        && (!DIRECTION_MARKERS.contains(&upper.as_str())
            || glued_markers.contains(&upper)
            || initial_after_name(word, part))
}

/// Whether a one-letter `part` ending `word` ("…-NEHA D") is a name's initial, not a
/// debit/credit marker: it follows a word of three letters or more across a space, and that
/// word is no rail a marker follows ("ACH D- ", "ECS C- "; data/narration_openers.tsv).
fn initial_after_name(word: &str, part: &str) -> bool {
    if part.chars().count() != 1 {
        return false;
    }
    let Some(before) = word[..word.len() - part.len()].strip_suffix(' ') else {
        return false;
    };
    let name = last_run(before);
    name.chars().count() >= 3
        && name.chars().all(char::is_alphabetic)
        && !attach::opens_with_rail(name)
}

/// The debit/credit markers ([`DIRECTION_MARKERS`]) the table's narrations print, inside a
/// line, glued to the word after their hyphen ("NEFT CR-HDFC0538104") and never followed by a
/// space there ("ACH D- BAJAJ"): a bank prints a narration's marker one way, so a line ending
/// in such a marker's hyphen was broken inside the word.
fn markers_glued_to_the_next_word(rows: &[RawRow]) -> Vec<String> {
    let (mut glued, mut spaced): (Vec<String>, Vec<String>) = (Vec::new(), Vec::new());
    for (_, text) in rows.iter().flat_map(|r| &r.narration) {
        let chars: Vec<char> = text.chars().collect();
        for (i, &c) in chars.iter().enumerate() {
            // A hyphen ending the line tells nothing: the line may have been broken there.
            let Some(&next) = chars.get(i + 1) else {
                continue;
            };
            if c != '-' {
                continue;
            }
            let start = chars[..i]
                .iter()
                .rposition(|c| !c.is_alphanumeric())
                .map_or(0, |p| p + 1);
            let marker: String = chars[start..i]
                .iter()
                .collect::<String>()
                .to_ascii_uppercase();
            if !DIRECTION_MARKERS.contains(&marker.as_str()) {
                continue;
            }
            let seen = if next.is_whitespace() {
                &mut spaced
            } else if next.is_alphanumeric() {
                &mut glued
            } else {
                continue;
            };
            if !seen.contains(&marker) {
                seen.push(marker);
            }
        }
    }
    glued.retain(|m| !spaced.contains(m));
    glued
}

/// Whether a line ending `before` and the next beginning `after` were parted beside a slash
/// inside a path ("UPI/DR/.../HDFC/" / "swiggy.stores@axb/Pay", "...@axisbank" / "/Pay"):
/// LibreOffice breaks a word too long for its cell there. The caller asks too that the line
/// reaches the column's limit or the two words together would not fit on a line: the word
/// had to be broken somewhere.
fn broken_at_slash(before: &str, after: &str) -> bool {
    let word_char = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let mut tail = before.chars().rev();
    let (last, before_last) = (tail.next(), tail.next());
    let mut head = after.chars();
    let (first, second) = (head.next(), head.next());
    (last == Some('/') && word_char(before_last) && word_char(first))
        || (first == Some('/') && word_char(second) && word_char(last))
}

/// Debit/credit markers a narration prints before a hyphen and a space.
const DIRECTION_MARKERS: &[&str] = &["D", "C", "DR", "CR"];

/// Glyphs a line must take together at its start: its first letter and the punctuation after
/// it that no line may begin with ("N/aditi...": a line cannot break before the slash, so a
/// line cut before "N/" may leave the slack of both).
fn first_unit(line: &str) -> f32 {
    let unbreakable_before =
        |c: &char| matches!(c, '/' | '.' | ',' | ':' | ';' | ')' | ']' | '!' | '?');
    1.0 + line.chars().skip(1).take_while(unbreakable_before).count() as f32
}

/// The slack a line cut inside a word may leave at the column's right limit: a generous glyph
/// of its last word, or of the line where that word is one narrow letter.
fn line_end_glyph(edges: PieceEdges, line: &str) -> f32 {
    let chars = line.chars().count().max(1) as f32;
    let line_glyph = (edges.x1 - edges.x0) / chars * 1.5;
    widest_glyph(edges.last_word_width, line).max(line_glyph)
}

/// The width of the glyphs a line starting `text` must take first ([`first_unit`]): its first
/// word's width shared among its glyphs by their advances in Helvetica (an "@" is four times
/// an "i"; faces differ less from one another than glyphs do within one).
fn first_glyph_width(after: PieceEdges, text: &str) -> f32 {
    let word = text.split_whitespace().next().unwrap_or("");
    let total: f32 = word.chars().map(advance_units).sum();
    if total <= 0.0 {
        return 0.0;
    }
    let unit = first_unit(word) as usize;
    let first: f32 = word.chars().take(unit).map(advance_units).sum();
    after.first_word_width * first / total
}

/// Helvetica's advance widths (per 1000 em; Arial's and Liberation Sans' are the same) of the
/// printable ASCII characters; any other character counts as a digit's.
fn advance_units(c: char) -> f32 {
    match c {
        'i' | 'j' | 'l' => 222.0,
        ' ' | '!' | ',' | '.' | '/' | ':' | ';' | 'I' | '[' | '\\' | ']' | 'f' | 't' => 278.0,
        '\'' => 191.0,
        '|' => 260.0,
        '(' | ')' | '-' | '`' | 'r' => 333.0,
        '{' | '}' => 334.0,
        '"' => 355.0,
        '*' => 389.0,
        '^' => 469.0,
        'J' | 'c' | 'k' | 's' | 'v' | 'x' | 'y' | 'z' => 500.0,
        '+' | '<' | '=' | '>' | '~' => 584.0,
        'F' | 'T' | 'Z' => 611.0,
        '&' | 'A' | 'B' | 'E' | 'K' | 'P' | 'S' | 'V' | 'X' | 'Y' => 667.0,
        'C' | 'D' | 'H' | 'N' | 'R' | 'U' | 'w' => 722.0,
        'G' | 'O' | 'Q' => 778.0,
        'M' | 'm' => 833.0,
        '%' => 889.0,
        'W' => 944.0,
        '@' => 1015.0,
        _ => 556.0,
    }
}

/// A generous width for one glyph of a line's last word: half again its average glyph (the
/// slack a line cut inside a word leaves is less than the glyph that did not fit).
fn widest_glyph(last_word_width: f32, line: &str) -> f32 {
    let chars = line
        .split_whitespace()
        .last()
        .map_or(1, |w| w.chars().count().max(1));
    last_word_width / chars as f32 * 1.5
}

/// A printed balance that is not a transaction: opening, B/F, C/F, closing, totals.
#[derive(Debug, Clone, PartialEq)]
pub struct BalanceMarker {
    pub kind: MarkerKind,
    pub page: usize,
    pub balance: Option<String>,
    pub debit: Option<String>,
    pub credit: Option<String>,
    /// Transactions read before this marker: 0 for a true opening balance, all of them for a
    /// true closing one; anything else is a page carry (B/F, C/F) inside the table.
    pub rows_before: usize,
    /// The marker phrase printed (`data/balance_markers.tsv`, normalised): a last marker
    /// printed as the page carries are is one more carry, not the statement's closing.
    pub phrase: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkerKind {
    Opening,
    Closing,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WrapMode {
    /// Wrapped narration lines follow the dated line.
    Below,
    /// The dated line sits in the middle of its row.
    Centred,
}

/// Everything the table yielded.
#[derive(Debug, Clone)]
pub struct Table {
    pub header: Header,
    pub rows: Vec<RawRow>,
    pub markers: Vec<BalanceMarker>,
    pub wrap_mode: WrapMode,
    /// Runs of narration lines between two dated lines that could belong to either row:
    /// neither the gaps nor the table's habit decide them (see [`attach`]).
    pub attachment_guesses: usize,
    /// Narration lines filling their cell to the edge whose last word may go on on the next
    /// line, read with a space where neither the words nor the table's habit decide (see
    /// [`filled_line_cuts`]).
    pub cut_guesses: usize,
    /// Wraps of a table breaking words anywhere read on the geometry alone, near its limit:
    /// a line filling its cell read as going on with the same word, or a space read from a
    /// slack a little wider than the next glyph (see [`RawRow::anywhere_wrap`]).
    pub wrap_guesses: usize,
    pub header_pages: Vec<usize>,
    /// Lines above the first heading on its page: where identity is printed.
    pub preamble: Vec<Line>,
    /// The identity read from the preamble (read once: the table needs its period for dates
    /// printed without a year, the parse needs all of it).
    pub identity: crate::identity::Identity,
    /// Lines not used by the table on any page (summaries, footers): for printed totals.
    pub leftovers: Vec<Line>,
    /// Pages the table runs over.
    pub table_pages: Vec<usize>,
    /// The lines above the heading on each later page that prints it, or above the first line
    /// with money on a page that does not: a page header, or the letterhead and identity block
    /// (or cover page) of another statement merged into the file. Top first.
    pub page_tops: Vec<Vec<Line>>,
}

/// What a line is, once its words are in columns.
#[derive(Debug)]
enum LineKind {
    Dated(RawRow),
    /// Money but no date: amounts of a row whose date line came first, or a total.
    MoneyOnly(RawRow),
    /// Text only in wrapping columns.
    Continuation(RawRow),
    Marker(BalanceMarker),
    Other,
}

struct Classified {
    y: f32,
    size: f32,
    kind: LineKind,
    /// The line carried the end of the date cell of a row above it ("28 Dec" / "2019"): it is
    /// that row's bottom, whatever the layout does with other wrapped text.
    ends_row_above: bool,
    /// A note that the row above goes on ("contd.", "Continued..."): page furniture, but what
    /// follows it continues the table as closely as if it were a table line.
    notes_continuation: bool,
    /// Page furniture printing two figures with paise or grouping and no date ("Page Total
    /// 74,728.43 102,268.99", its label a furniture word): a page's totals line.
    prints_totals: bool,
}

/// Narration text with a word of its own: figures and their Dr/Cr marks under the narration
/// (a summary block's values row: "30434.14 Cr 78 16 …") name nothing.
fn names_something(narration: &str) -> bool {
    narration.split_whitespace().any(|word| {
        word.chars().any(char::is_alphabetic) && values::is_dr_cr_marker(word).is_none()
    })
}

/// Fewer lines than this printing a date and two figures make a table without a running
/// balance (the odd narration printing a number aside).
const MIN_TWO_FIGURE_ROWS: usize = 5;

/// Reads the transaction table across all pages. `None` when no page has a recognisable heading.
pub fn read_table(pages: &[PageText]) -> Option<Table> {
    let (lines, stacked) = lines_of_pages(pages);
    read_table_lines(pages, &lines, None, (!stacked).then_some(false))
}

/// The lines of each page, as [`read_table_lines`] reads them. Words join into values with
/// what the whole file prints: a Dr/Cr column's heading on the first page only still keeps the
/// later pages' marks apart from their amounts. With them, whether the file stacks its dates
/// (its lines were rewritten by [`crate::stacked::unstack_dated_cells`]): lines left as they
/// were do not, which [`read_table_lines`] need not work out again.
pub(crate) fn lines_of_pages(pages: &[PageText]) -> (Vec<Vec<Line>>, bool) {
    let mut lines = each_page(pages, baseline_lines);
    // Figures printed in whole rupees are read as money where the balance chain says so.
    crate::whole_rupees::read_whole_rupees(&mut lines);
    let marker_columns = marker_column_spans(&lines);
    each_page_in_place(&mut lines, |page| {
        *page = finish_lines(std::mem::take(page), &marker_columns)
    });
    let stacked = crate::stacked::unstack_dated_cells(&mut lines);
    (lines, stacked)
}

/// Reads the table on `pages`, whose lines are `all_lines`. `file`: the lines of every page of
/// the file when `pages` are one of several statements merged into it. The statements of one
/// account print one layout, so where this one's heading is not in the text layer its columns
/// are read from the rows of the whole file: the few rows of one month can leave a strip of the
/// narration empty, or fill a column only the other months use. `stacks_dates`: whether
/// `all_lines` stack their dates, where already known ([`lines_of_pages`]).
pub(crate) fn read_table_lines(
    pages: &[PageText],
    all_lines: &[Vec<Line>],
    file: Option<&[Vec<Line>]>,
    stacks_dates: Option<bool>,
) -> Option<Table> {
    let mut grid: Option<ColumnGrid> = None;
    let mut first_header: Option<Header> = None;
    let mut preamble = Vec::new();
    let mut leftovers = Vec::new();
    let mut header_pages = Vec::new();
    let mut table_pages = Vec::new();
    let mut per_page: Vec<(usize, Vec<Classified>, bool)> = Vec::new();
    let mut bodies: Vec<TableBody> = Vec::new();
    let mut page_tops: Vec<Vec<Line>> = Vec::new();

    // Rows printed without a year ("May 02") take it from the statement period above the table.
    let mut period: Option<Period> = None;
    let mut identity = crate::identity::Identity::default();
    // Whether each line looks like a data row (a date and two figures), worked out once: the
    // white space, the table's kind and the rows on each page below all ask.
    let data_row: Vec<Vec<bool>> = each_page(all_lines, |lines| {
        lines
            .iter()
            .map(crate::columns::looks_like_data_row)
            .collect()
    });
    let first_data_rows = || {
        all_lines
            .iter()
            .flatten()
            .zip(data_row.iter().flatten())
            .take(4_000)
            .filter_map(|(line, &data)| data.then_some(line))
    };
    // Columns sit at the same place on every page, so white space is measured over all of them
    // (as `data_coverage` measures it).
    let mut coverage = crate::columns::covered_intervals(first_data_rows());
    // A table without a running balance prints a date and one figure on its rows: where next
    // to no line prints two, those rows say where the columns are.
    let mut single_figure_table = first_data_rows().count() < MIN_TWO_FIGURE_ROWS;
    // Rows printing their money on a line above the rest print no line with a date and its
    // figures either: the white space between the columns is measured on the rows with their
    // money lines joined by shape (the heading's words are read against it, as for any table;
    // the money lines themselves are joined by the heading's columns further down).
    // The joined pages, once looked for (None: not yet).
    let mut money_joined: Option<Option<Vec<Vec<Line>>>> = None;
    if single_figure_table {
        let found = join_money_lines_above_by_shape(all_lines);
        if let Some(joined) = &found {
            let rows: Vec<&Line> = joined
                .iter()
                .flatten()
                .filter(|l| crate::columns::looks_like_data_row(l))
                .take(4_000)
                .collect();
            if rows.len() >= MIN_TWO_FIGURE_ROWS {
                coverage = crate::columns::covered_intervals(rows.into_iter());
                single_figure_table = false;
            }
        }
        money_joined = Some(found);
    }
    if single_figure_table {
        coverage = single_figure_coverage(all_lines.iter().flatten().take(4_000));
    }
    let readings = HeadingReadings::new(&coverage);
    let stacked_dates = stacks_dates.unwrap_or_else(|| crate::stacked::stacks_dates(all_lines));
    // Whether the amounts after a balance's Dr/Cr column print their own sign: read once, on
    // the first heading's columns.
    let mut amounts_signed: Option<bool> = None;
    let mut headers: Vec<Option<Header>> =
        each_page(all_lines, |lines| readings.find_header(lines));
    reread_headings_like_the_first(all_lines, &mut headers, &coverage);
    for header in headers.iter_mut().flatten() {
        amounts_under_marker_heading(header, all_lines, &coverage);
    }
    let data_rows_on: Vec<usize> = data_row
        .iter()
        .map(|page| page.iter().filter(|&&data| data).count())
        .collect();
    forget_heading_found_after_the_rows(all_lines, &data_rows_on, &mut headers);
    // No heading anywhere (printed as an image, or not at all): columns from the data rows.
    if headers.iter().all(Option::is_none) {
        // Rows printing their money on a line above the rest leave no line with a date and
        // its figures to read the columns from: the money lines are joined to their rows by
        // the lines' shapes, and the table read again from the joined lines.
        let joined = money_joined
            .take()
            .unwrap_or_else(|| join_money_lines_above_by_shape(all_lines));
        if let Some(joined) = joined {
            return read_table_lines(pages, &joined, file, stacks_dates);
        }
        // Rows centring their cells print a figure's Dr/Cr mark on the line under it, around
        // the dated line: no line holds a date with its marked figures. The marks are joined
        // to their figures by the lines' shapes, each figure taken to its row's line, and the
        // columns read from the joined lines (the whole file's too, for a merged part).
        if let Some(joined) = join_marks_below_figures_by_shape(all_lines) {
            let file_joined =
                file.map(|f| join_marks_below_figures_by_shape(f).unwrap_or_else(|| f.to_vec()));
            return read_table_lines(pages, &joined, file_joined.as_deref(), stacks_dates);
        }
        let found = match file {
            Some(file) if !single_figure_table => {
                coverage = with_strips_of_dateless_rows(
                    file,
                    data_coverage(file.iter().flatten().take(4_000)),
                );
                inferred_columns(file, &coverage)
                    .and_then(|header| first_row_under(all_lines, header))
            }
            _ if single_figure_table => {
                coverage = with_strips_of_dateless_rows(all_lines, coverage);
                inferred_header_without_balance(all_lines, &coverage)
            }
            _ => {
                coverage = with_strips_of_dateless_rows(all_lines, coverage);
                inferred_header(all_lines, &coverage)
            }
        };
        // A page or two kept of a table that prints its balance on each day's last row only:
        // too few lines of either shape above, read from every dated line with a figure.
        let found = found.or_else(|| {
            file.is_none()
                .then(|| crate::columns::inferred_header_from_dated_figures(all_lines))
                .flatten()
        });
        if let Some((page, header)) = found {
            headers[page] = Some(header);
        }
    }
    // Set once another table's heading follows the transactions; a page printing the table's
    // own heading again opens it again.
    let mut table_closed = false;
    // Rows that look like data on the pages after each page: another table after the
    // transactions is short, so a "heading of another table" with many rows under it is the
    // table's own heading read differently, and the rows stay the table's.
    let mut data_rows_after = vec![0; data_rows_on.len()];
    for p in (1..data_rows_on.len()).rev() {
        data_rows_after[p - 1] = data_rows_after[p] + data_rows_on[p];
    }
    for (index, ((page, lines), header)) in pages.iter().zip(all_lines).zip(headers).enumerate() {
        let short_table_from = |from: usize| {
            data_row[index][from..].iter().filter(|&&data| data).count() + data_rows_after[index]
                <= MAX_ROWS_OF_ANOTHER_TABLE
        };
        let own_heading = match (&header, &first_header) {
            (Some(h), Some(first)) => same_table_heading(h, first),
            _ => false,
        };
        if table_closed {
            if !own_heading {
                leftovers.extend_from_slice(lines);
                continue;
            }
            table_closed = false;
        }
        // A page whose first heading has other columns than the table's own, once the table
        // has begun, heads another table (the heading was read again in the first page's
        // shape where it could be): the lines above it still continue the table.
        let other_table_from = header
            .as_ref()
            .filter(|h| !own_heading && !h.inferred && h.has(Role::Date) && grid.is_some())
            .map(|h| h.last_line + 1 - heading_lines(lines, h))
            .filter(|&from| short_table_from(from));
        let header = if other_table_from.is_some() {
            None
        } else {
            header
        };
        // Rows printed above a heading that is not the page's first table line: a report
        // printed several pages to a sheet, whose next heading comes mid-page.
        let mut rows_above_heading: Vec<Line> = Vec::new();
        let body_start = match &header {
            Some(h) => {
                header_pages.push(page.number);
                let mut page_grid = ColumnGrid::new(h, &coverage);
                page_grid.stacked_dates = stacked_dates;
                let signed = *amounts_signed
                    .get_or_insert_with(|| amounts_after_marker_signed(&page_grid, all_lines));
                page_grid.amounts_signed = signed;
                page_grid.join_stacked_cell();
                let (heading_start, body_start) = if h.inferred {
                    let start = wrapped_text_above(lines, h.last_line, &page_grid);
                    (start, start)
                } else {
                    (h.last_line + 1 - heading_lines(lines, h), h.last_line + 1)
                };
                if first_header.is_none() {
                    preamble = lines[..heading_start].to_vec();
                    identity = crate::identity::extract_identity(&preamble);
                    period = identity.from_date.zip(identity.to_date);
                    first_header = Some(h.clone());
                } else if lines[..heading_start].iter().any(|l| money_words(l) >= 2)
                    || dated_figure_lines(&lines[..heading_start]) >= 2
                {
                    rows_above_heading = lines[..heading_start].to_vec();
                } else if !h.inferred && heading_start > 0 {
                    page_tops.push(lines[..heading_start].to_vec());
                }
                grid = Some(page_grid);
                // Rules printed with characters under the heading ("********" under each
                // column, as HDFC's text statements print) close the heading; the rows, and a
                // row carried from the previous page, start below them.
                body_start
                    + lines[body_start..]
                        .iter()
                        .take_while(|l| is_rule_line(l))
                        .count()
            }
            None if grid.is_some() => {
                // A page without the heading (printed on page 1 only, or missing from the
                // text layer and inferred on one page) may still start another statement
                // merged into the file: its identity block or cover, above the first money.
                let top = lines.iter().take_while(|l| money_words(l) == 0).count();
                if top > 0 {
                    page_tops.push(lines[..top].to_vec());
                }
                // Rows stacking date and narration begin at their date's line: the text above
                // a page's first one is the page's own (a running title, a heading naming no
                // date), not the previous page's last narration.
                if stacked_dates {
                    lines
                        .iter()
                        .position(|l| values::find_date_prefix(&l.text()).is_some())
                        .unwrap_or(0)
                } else {
                    0
                }
            }
            None => {
                if first_header.is_none() {
                    leftovers.extend_from_slice(lines);
                }
                continue;
            }
        };
        let Some(grid) = grid.as_ref() else { continue };
        table_pages.push(page.number);
        let mut body_end = other_table_from.unwrap_or(lines.len());
        if let Some(first) = first_header.as_ref() {
            let body = &lines[body_start..body_end];
            // A heading the earlier pages print too (above their rows) is the table's own
            // where its columns were read from the rows: it opens no other table.
            let printed_before = |other: usize| {
                let text = body[other].text();
                first.inferred
                    && all_lines[..index]
                        .iter()
                        .flatten()
                        .any(|line| line.text() == text)
            };
            if let Some(other) = heading_of_another_table(body, &coverage, first)
                .filter(|&other| short_table_from(body_start + other) && !printed_before(other))
            {
                body_end = body_start + other;
            }
        }
        // Another table's heading with no money line above it on the page: what text stands
        // there is that table's title ("LINKED FIXED DEPOSIT DETAILS" at the narration's
        // margin), not the end of the previous page's last row. (A row printing whole rupees
        // has no money word with a point or grouping: its date and figure make it a row.)
        if body_end < lines.len()
            && !lines[body_start..body_end]
                .iter()
                .any(|l| money_words(l) > 0)
            && dated_figure_lines(&lines[body_start..body_end]) == 0
        {
            body_end = body_start + cut_rest_above_title(&lines[body_start..body_end], grid);
        }
        // A line ending the statement ("END OF STATEMENT") ends the page's rows: what the page
        // prints under it (a sweep-deposit table, a summary, a disclaimer at the narration's
        // margin) is no transaction. The rest of a row the page break cut may stand above it
        // with no money of its own, and a merged file's next statement opens on a later page.
        let statement_end = lines[body_start..body_end]
            .iter()
            .position(is_end_line)
            .map(|end| body_start + end);
        if let Some(end) = statement_end {
            leftovers.extend_from_slice(&lines[end..body_end]);
        }
        if body_end < lines.len() {
            leftovers.extend_from_slice(&lines[body_end..]);
            table_closed = true;
        }
        if let Some(end) = statement_end {
            body_end = end;
        }
        // Under a printed heading the body's first line is no page's first line.
        let opens_under_heading =
            header.as_ref().is_some_and(|h| !h.inferred) && rows_above_heading.is_empty();
        rows_above_heading.extend_from_slice(&lines[body_start..body_end]);
        let (body, date_tail_ys) =
            join_split_dates(split_dates_glued_to_text(rows_above_heading, grid), grid);
        let body = join_marks_below_figures(join_wrapped_money(body, grid), grid);
        bodies.push(TableBody {
            page: page.number,
            lines: body,
            date_tail_ys,
            grid: grid.clone(),
            has_header: header.is_some(),
            opens_under_heading,
        });
    }
    join_date_tails_across_pages(&mut bodies);
    join_wrapped_money_across_pages(&mut bodies);
    join_marks_below_figures_across_pages(&mut bodies);
    join_money_lines_above(&mut bodies);
    // Every table page is classified against the first heading and the period above it, both
    // known by now, so the pages are classified side by side.
    let header_ref = first_header.as_ref();
    let classified_pages = each_page(&bodies, |body| classify_body(body, header_ref, period));
    for (body, classified) in bodies.iter().zip(classified_pages) {
        let has_balance_column = body.grid.columns.iter().any(|c| c.role == Role::Balance);
        for (line, c) in body.lines.iter().zip(&classified) {
            // A money line with its own narration, one amount and a balance is a row whose date
            // was left blank, not page furniture: its text must not count as the letterhead.
            let row_like = matches!(&c.kind, LineKind::MoneyOnly(m)
                if names_something(&m.narration_text())
                    && m.single_amount(has_balance_column));
            if matches!(c.kind, LineKind::Other | LineKind::MoneyOnly(_)) && !row_like {
                leftovers.push(line.clone());
            }
        }
        per_page.push((body.page, classified, body.has_header));
    }

    let header = first_header?;
    // A stacked cell's date (moved to its money line where printed under the narration) is
    // the row's first line: its narration is below it.
    let wrap_mode = if stacked_dates {
        WrapMode::Below
    } else {
        detect_wrap_mode(&per_page)
    };
    // Which row each text line between two dated lines belongs to, where the gaps between
    // the lines and the table's habit decide it. Rows printing their own text above their
    // dated line are read as centred ones, whatever the first rows of the pages showed.
    let plan = if stacked_dates {
        attach::Plan::default()
    } else {
        attach::plan(&per_page)
    };
    let wrap_mode = if plan.text_above_rows {
        WrapMode::Centred
    } else {
        wrap_mode
    };
    let has_balance_column = header.has(Role::Balance);
    let (mut rows, markers, unclaimed) =
        assemble(per_page, wrap_mode, has_balance_column, &plan.owners);
    // Text no row took (a report's header repeated mid-page, a footer at the narration's
    // margin) is page furniture as much as the lines classified so, in its place on the page.
    if !unclaimed.is_empty() {
        for body in &bodies {
            leftovers.extend(
                body.lines
                    .iter()
                    .filter(|line| unclaimed.contains(&(body.page, line.y)))
                    .cloned(),
            );
        }
        leftovers.sort_by(|a, b| a.page.cmp(&b.page).then(a.y.total_cmp(&b.y)));
    }
    let chunk = fixed_chunks(&rows);
    let bounds = narration_bounds(&rows);
    // The words the table prints whole tell a word cut at a line's end from one that happened
    // to fill its line, where the table breaks words anywhere or cuts a word too long for a
    // line of its own.
    let whole_words = if chunk.is_none() && bounds.is_some() {
        words_printed_whole(&rows)
    } else {
        WholeWords::default()
    };
    let anywhere =
        chunk.is_none() && bounds.is_some_and(|b| breaks_words_anywhere(&rows, b, &whole_words));
    let may_cut = !anywhere && chunk.is_none() && bounds.is_some();
    let cuts = may_cut
        && bounds.is_some_and(|(_, right)| {
            moves_words_to_lines_of_their_own(&rows, right, &whole_words)
        });
    // A wrapper that fills a line before cutting a word: the cuts its lines show, taken where
    // the table shows at least one it surely made. A table that moves a word to a line of its
    // own where it fits one may still cut a word no line can hold where its line ends, after
    // other words ("BY TRANSFER-NEFT*…*NAVR" / "ANG INDUSTRIES"): its lines holding a space
    // are read the same way.
    let filled: Vec<FilledLineCuts> = match bounds {
        Some(bounds) if may_cut => rows
            .iter()
            .map(|row| {
                let read = filled_line_cuts(row, bounds, &whole_words);
                if cuts {
                    read.after_other_words(row)
                } else {
                    read
                }
            })
            .collect(),
        _ => Vec::new(),
    };
    let fills_then_cuts = filled
        .iter()
        .flat_map(|row| &row.cuts)
        .any(|(_, evident)| *evident);
    // Lines filling their cell whose word may go on on the next line, where neither the words
    // nor the table's habit decide: where the table shows no sure cut, every cut the geometry
    // shows is left a space, unsure (a statement of references cut at the edge, "S1ARF" /
    // "J05", with no number, IFSC or vocabulary word cut elsewhere); and a reference's digits
    // before a word are parted, unsure.
    let cut_guesses: usize = filled
        .iter()
        .map(|row| row.undecided + if fills_then_cuts { 0 } else { row.cuts.len() })
        .sum();
    let filled_cuts: Vec<Vec<(f32, bool)>> = filled.into_iter().map(|row| row.cuts).collect();
    let glued_markers = markers_glued_to_the_next_word(&rows);
    let punctuation = if anywhere {
        punctuation_habits(&rows)
    } else {
        Vec::new()
    };
    for (index, row) in rows.iter_mut().enumerate() {
        row.narration_glued_markers.clone_from(&glued_markers);
        row.narration_punctuation.clone_from(&punctuation);
        row.narration_chunk = chunk;
        row.narration_bounds = bounds;
        row.narration_breaks_anywhere = anywhere;
        if anywhere {
            let ends = word_ends_at_the_edge(row, &whole_words);
            row.narration_words_ended_at = ends.iter().map(|(y, _)| *y).collect();
            row.narration_words_weakly_ended_at = ends
                .iter()
                .filter(|(_, strong)| !strong)
                .map(|(y, _)| *y)
                .collect();
            row.narration_words_joined_at = words_joined_at_the_edge(row, &whole_words);
            row.narration_words_maybe_apart_at = words_maybe_apart_at_the_edge(row, &whole_words);
        }
        if let (true, Some((_, right))) = (cuts, bounds) {
            row.narration_cut_at = words_cut_on_lines_of_their_own(row, right, &whole_words);
            if let Some(cut) = filled_cuts.get(index).filter(|_| fills_then_cuts) {
                row.narration_cut_at.extend(cut.iter().map(|(y, _)| *y));
            }
        } else if let Some(cut) = filled_cuts.get(index).filter(|_| fills_then_cuts) {
            row.narration_cut_at = cut.iter().map(|(y, _)| *y).collect();
        }
    }
    let wrap_guesses = rows
        .iter()
        .filter(|row| row.has_money())
        .map(RawRow::unsure_wraps)
        .sum();
    Some(Table {
        header,
        rows,
        markers,
        wrap_mode,
        attachment_guesses: plan.ambiguous,
        cut_guesses,
        wrap_guesses,
        header_pages,
        preamble,
        identity,
        leftovers,
        table_pages,
        page_tops,
    })
}

/// `read` applied to every page, in page order, on the available cores: pages are read
/// independently here, and on a long statement their lines and headings are a visible share of
/// the parse. A short statement stays on this thread, where a thread would cost more.
/// [`each_page`] for work that changes each page where it is.
fn each_page_in_place<P: Send>(pages: &mut [P], work: impl Fn(&mut P) + Sync) {
    let threads = page_threads(pages.len());
    if threads == 1 {
        pages.iter_mut().for_each(work);
        return;
    }
    let work = &work;
    let chunk_len = pages.len().div_ceil(threads);
    std::thread::scope(|scope| {
        for chunk in pages.chunks_mut(chunk_len) {
            scope.spawn(move || chunk.iter_mut().for_each(work));
        }
    });
}

/// How many threads read `pages` pages: one per 16 pages, at most 4 (and the machine's cores).
fn page_threads(pages: usize) -> usize {
    const MIN_PAGES_PER_THREAD: usize = 16;
    std::thread::available_parallelism()
        .map_or(1, |n| n.get().min(4))
        .min(pages / MIN_PAGES_PER_THREAD)
        .max(1)
}

fn each_page<P: Sync, R: Send>(pages: &[P], read: impl Fn(&P) -> R + Sync) -> Vec<R> {
    let threads = page_threads(pages.len());
    if threads == 1 {
        return pages.iter().map(read).collect();
    }
    let read = &read;
    let read_all = move |chunk: &[P]| chunk.iter().map(read).collect::<Vec<R>>();
    std::thread::scope(|scope| {
        let mut chunks = pages.chunks(pages.len().div_ceil(threads));
        let first = chunks.next().unwrap_or_default();
        let spawned: Vec<_> = chunks
            .map(|chunk| (chunk, scope.spawn(move || read_all(chunk))))
            .collect();
        let mut out = read_all(first);
        for (chunk, handle) in spawned {
            // A thread that panicked is redone here, where the panic surfaces as it would
            // have without threads.
            out.extend(handle.join().unwrap_or_else(|_| read_all(chunk)));
        }
        out
    })
}

/// The table lines of one page, ready to classify.
struct TableBody {
    page: usize,
    lines: Vec<Line>,
    /// Baselines of the date tails joined into the rows above them.
    date_tail_ys: Vec<f32>,
    grid: ColumnGrid,
    has_header: bool,
    /// The first line is the first under the page's printed heading.
    opens_under_heading: bool,
}

fn classify_body(
    body: &TableBody,
    first_header: Option<&Header>,
    period: Option<Period>,
) -> Vec<Classified> {
    // The baseline of the last line that repeated the heading: the heading's next line
    // ("PARTICULARS" under "TRANSACTION") names only one column but belongs to it.
    let mut heading_above: Option<f32> = None;
    let enough = first_header.map_or(usize::MAX, |h| 2.min(h.columns.len()));
    let mut classified: Vec<Classified> = body
        .lines
        .iter()
        .map(|line| {
            let named = first_header.map_or(0, |h| columns_named_by_heading_words(line, h));
            let continues = named >= 1
                && heading_above.is_some_and(|y| line.y - y <= line.size * HEADING_LINE_PITCH);
            let repeats = named >= enough || continues;
            heading_above = repeats.then_some(line.y);
            let kind = if repeats {
                LineKind::Other
            } else {
                classify(line, &body.grid, body.page, period)
            };
            Classified {
                y: line.y,
                size: line.size,
                ends_row_above: body.date_tail_ys.contains(&line.y),
                notes_continuation: matches!(kind, LineKind::Other)
                    && is_continuation_note(&line.text()),
                prints_totals: matches!(kind, LineKind::Other)
                    && (money_words(line) >= 2 || labelled_whole_totals(line))
                    && !crate::columns::starts_with_date_somewhere(line),
                kind,
            }
        })
        .collect();
    mark_page_numbers(&body.lines, &mut classified, body.opens_under_heading);
    classified
}

/// Where a table with no printed heading starts: its first data row, or the narration lines
/// just above it that belong to a centred first row (close together, text only in wrapping
/// columns).
fn wrapped_text_above(lines: &[Line], first_row: usize, grid: &ColumnGrid) -> usize {
    // The pitch of the first row's own text below its dated line, when it wraps there: the
    // text above sits as far from it (a pitch of 1.6 sizes is common, so equality matters).
    let row_pitch = lines
        .get(first_row + 1)
        .filter(|next| {
            next.words
                .iter()
                .all(|w| grid.role(grid.column_of(w)).wraps())
        })
        .map(|next| next.y - lines[first_row].y);
    let mut start = first_row;
    while start > 0 {
        let (above, below) = (&lines[start - 1], &lines[start]);
        let gap = below.y - above.y;
        let size = below.size.max(above.size);
        // A dated line rebuilt from cells on offset baselines (dates dropped below the row)
        // sits off its row's centre: the gaps above and below then differ, but still average
        // a line pitch.
        let close = gap <= size * 1.6
            || row_pitch.is_some_and(|pitch| gap <= pitch * 1.05 || gap + pitch <= size * 3.2);
        let wrapping = above
            .words
            .iter()
            .all(|w| grid.role(grid.column_of(w)).wraps());
        if !(close && wrapping) || first_row - start >= 3 {
            break;
        }
        start -= 1;
    }
    start
}

/// A later page's heading read with other columns than the first page's (its first row taken
/// for a heading line) is read again in the first page's shape, where that shape is there.
fn reread_headings_like_the_first(
    all_lines: &[Vec<Line>],
    headers: &mut [Option<Header>],
    coverage: &[(f32, f32)],
) {
    let Some(first) = headers.iter().flatten().next().cloned() else {
        return;
    };
    for (lines, header) in all_lines.iter().zip(headers.iter_mut()) {
        let Some(h) = header.as_ref() else { continue };
        if h.roles().eq(first.roles()) {
            continue;
        }
        // The heading's own lines may not all count as its lines (a word printed under a
        // heading that names a column of its own: "BRANCH", the rest of a row the page break
        // cut, under "DESCRIPTION"): the first page's shape is looked for a line or two
        // higher too.
        let start = h.last_line + 1 - heading_lines(lines, h);
        let same_shape = (start.saturating_sub(2)..=start)
            .rev()
            .find_map(|from| crate::columns::heading_like(lines, from, coverage, &first));
        if let Some(same_shape) = same_shape {
            *header = Some(same_shape);
        }
    }
}

/// The first heading found, when most of the document's rows come before it, heads another
/// table printed after the transactions (deposits, tax deducted) whose own heading is not in
/// the text layer: it is forgotten, so the transactions' columns are read from their rows.
fn forget_heading_found_after_the_rows(
    all_lines: &[Vec<Line>],
    data_rows_on: &[usize],
    headers: &mut [Option<Header>],
) {
    let Some(page) = headers.iter().position(Option::is_some) else {
        return;
    };
    let Some(heading) = headers[page].as_ref() else {
        return;
    };
    let above_on_page = count_data_rows(all_lines[page][..=heading.last_line].iter());
    let rows_before = data_rows_on[..page].iter().sum::<usize>() + above_on_page;
    let rows_after = data_rows_on[page..].iter().sum::<usize>() - above_on_page;
    if rows_before >= ROWS_BEFORE_A_LATE_HEADING && rows_before > rows_after * 2 {
        headers.iter_mut().for_each(|h| *h = None);
    }
}

/// Whether `heading` is the table's own, read again: the columns it names are those of `first`,
/// or all among them, or it names all of `first`'s (a title line read into one of the two).
fn same_table_heading(heading: &Header, first: &Header) -> bool {
    let roles = |h: &Header| h.known_roles().collect::<std::collections::HashSet<Role>>();
    let (these, first_roles) = (roles(heading), roles(first));
    these.is_subset(&first_roles) || first_roles.is_subset(&these)
}

/// The most data rows another table after the transactions is taken to have.
const MAX_ROWS_OF_ANOTHER_TABLE: usize = 12;

/// Rows printed above the first heading found that make it another table's.
const ROWS_BEFORE_A_LATE_HEADING: usize = 5;

/// The statement period printed above the table, for dates printed without a year.
type Period = (chrono::NaiveDate, chrono::NaiveDate);

/// A row's date: as printed, or from a day and month printed without a year, placed in the
/// statement period.
fn row_date(text: &str, period: Option<Period>) -> Option<NaiveDateTime> {
    values::parse_date(text).or_else(|| {
        let (from, to) = period?;
        values::date_in_period(values::parse_day_month(text)?, from, to)
    })
}

/// The date cell's text without a value date printed in parentheses at its end ("23-Nov-25
/// (23-Nov-25)", or "(23-Nov-25)" alone on the cell's second line): what is left, empty when the
/// cell held only that; None when the cell ends with no parenthesised date.
fn without_value_date(text: &str, period: Option<Period>) -> Option<&str> {
    let trimmed = text.trim_end();
    let open = trimmed.strip_suffix(')')?.rfind('(')?;
    row_date(&trimmed[open + 1..trimmed.len() - 1], period)?;
    let rest = trimmed[..open].trim_end();
    (rest.is_empty() || row_date(rest, period).is_some()).then_some(rest)
}

/// Furthest a heading's next line sits below it, in font sizes.
const HEADING_LINE_PITCH: f32 = 1.9;

/// A heading printed again inside a page (reports printed several to a sheet, or a heading
/// repeated every so many rows): every word sits under a column whose heading contains it.
/// Returns how many columns the line names that way (0 when any word is not a heading word).
fn columns_named_by_heading_words(line: &Line, header: &Header) -> usize {
    // Headings hold no figures; most table lines do, and are ruled out without normalising.
    if header.inferred
        || line
            .words
            .iter()
            .any(|w| w.text.bytes().any(|b| b.is_ascii_digit()))
    {
        return 0;
    }
    let mut columns_named = std::collections::HashSet::new();
    let all_heading_words = line.words.iter().all(|w| {
        let word = normalise(&w.text);
        // A parenthesis or a rule printed apart from its heading word ("Balance (INR )") names
        // no column and rules out none.
        if word.is_empty() {
            return true;
        }
        header.columns.iter().enumerate().any(|(k, c)| {
            // Only the columns under the word are worth normalising a heading for.
            let overlaps = w.x0 < c.x1 + 2.0 && c.x0 < w.x1 + 2.0;
            let named =
                overlaps && !word.is_empty() && normalise(&c.heading).contains(word.as_str());
            if named {
                columns_named.insert(k);
            }
            named
        })
    });
    if all_heading_words {
        columns_named.len()
    } else {
        0
    }
}

/// Dashed or dotted rules drawn with characters ("-------", "=====") are not text.
fn is_rule_line(line: &Line) -> bool {
    // Asked of every table line: its words are read in place (most fail on their first
    // character) instead of joined and collected per line.
    let mut visible = 0;
    for c in line
        .words
        .iter()
        .flat_map(|w| w.text.chars())
        .filter(|c| !c.is_whitespace())
    {
        if !matches!(c, '-' | '=' | '_' | '*' | '.' | '~') {
            return false;
        }
        visible += 1;
    }
    visible >= 3
}

/// Splits a date cell's date from the next column's text glued to it ("01/10/23TO" /
/// "TRANSFER-…"): a sheet converted by LibreOffice in a small type prints the value date
/// flush against the narration's first word, closer than any word gap, so the two read as
/// one word and the narration lost its first word ("TO", "BY") or took the date
/// ("04/10/23DEBIT-ACHDr"). Split where a whole date ends, letters follow, and the next
/// column's heading starts within a glyph of that point.
fn split_dates_glued_to_text(mut lines: Vec<Line>, grid: &ColumnGrid) -> Vec<Line> {
    let dated = |role: Role| matches!(role, Role::Date | Role::ValueDate);
    let columns = &grid.columns;
    for line in &mut lines {
        let mut k = 0;
        while k < line.words.len() {
            let word = &line.words[k];
            let next_heading = columns.windows(2).find_map(|pair| {
                (dated(pair[0].role)
                    && word.x0 >= pair[0].x0 - line.size
                    && pair[1].x0 > word.x0
                    && pair[1].x0 < word.x1)
                    .then_some(pair[1].x0)
            });
            let split = next_heading.and_then(|heading| glued_date_end(word, heading, line.size));
            if let Some((at, x)) = split {
                let (date, rest) = word.text.split_at(at);
                let (date, rest) = (date.to_string(), rest.to_string());
                let x1 = word.x1;
                line.words[k].text = date;
                line.words[k].x1 = x;
                line.words.insert(
                    k + 1,
                    Word {
                        text: rest,
                        x0: x,
                        x1,
                    },
                );
            }
            k += 1;
        }
    }
    lines
}

/// Where in `word` a whole date ends with letters glued after it, the date's end placed
/// within a glyph of `heading` (the next column's left edge, the width shared among the
/// glyphs by Helvetica's advances): the byte offset and the estimated x.
fn glued_date_end(word: &Word, heading: f32, size: f32) -> Option<(usize, f32)> {
    let units: f32 = word.text.chars().map(advance_units).sum();
    if units <= 0.0 {
        return None;
    }
    let per_unit = (word.x1 - word.x0) / units;
    let mut before = 0.0;
    for (at, c) in word.text.char_indices() {
        let x = word.x0 + before * per_unit;
        before += advance_units(c);
        if at == 0 || !c.is_alphabetic() {
            continue;
        }
        let (date, _) = word.text.split_at(at);
        if (x - heading).abs() <= size * 0.6
            && date.ends_with(|c: char| c.is_ascii_digit())
            && values::parse_date(date).is_some()
        {
            return Some((at, x));
        }
    }
    None
}

/// A date cell wrapped over two lines ("28 Dec" / "2019", "28/12/" / "2019") is put back on the
/// row's line, so the row keeps its date and the year line does not end the table. The tail is
/// looked for in the next few lines within two line pitches, as wrapped narration lines
/// of other columns may sit between. Also returns the baselines of the lines that gave up a
/// tail and still hold other text.
fn join_split_dates(mut lines: Vec<Line>, grid: &ColumnGrid) -> (Vec<Line>, Vec<f32>) {
    let mut tail_ys = Vec::new();
    let date_words = |line: &Line| -> Vec<usize> {
        (0..line.words.len())
            .filter(|&i| grid.role(grid.column_of(&line.words[i])) == Role::Date)
            .collect()
    };
    let mut i = 0;
    while i < lines.len() {
        let mut up = date_words(&lines[i]);
        // A narration running on into the date column leaves its last words before the date
        // there ("PAYMENT 04-Mar-2023"): the cell starts at its date.
        if let Some(start) = up.iter().position(|&k| {
            let text = &lines[i].words[k].text;
            values::looks_like_date(text) || crate::lines::is_date_head(text)
        }) {
            up.drain(..start);
        }
        let head = crate::text::join_words(up.iter().map(|&k| &lines[i].words[k]));
        // A whole date may still have its time of day on the cell's next line ("05/03/2024"
        // over "10:15:22"); only a time may join it then.
        let whole_date = values::parse_date(&head).is_some();
        if up.is_empty() || (whole_date && head.contains(':')) {
            i += 1;
            continue;
        }
        let reach = lines[i].y + lines[i].size * 2.2;
        let tail_line = (i + 1..lines.len().min(i + 4))
            .take_while(|&j| lines[j].y <= reach)
            .find(|&j| !date_words(&lines[j]).is_empty());
        if let Some(j) = tail_line {
            let down = date_words(&lines[j]);
            let tail = crate::text::join_words(down.iter().map(|&k| &lines[j].words[k]));
            let glued = if head.ends_with(['/', '-', '.']) {
                format!("{head}{tail}")
            } else {
                format!("{head} {tail}")
            };
            let joins = !whole_date || values::is_time_of_day(&tail);
            if joins && values::parse_date(&glued).is_some() {
                let x1 = down
                    .iter()
                    .map(|&k| lines[j].words[k].x1)
                    .fold(f32::MIN, f32::max);
                let word = &mut lines[i].words[up[0]];
                word.text = glued;
                word.x1 = word.x1.max(x1);
                for k in up[1..].iter().rev() {
                    lines[i].words.remove(*k);
                }
                for k in down.iter().rev() {
                    lines[j].words.remove(*k);
                }
                if lines[j].words.is_empty() {
                    lines.remove(j);
                } else {
                    tail_ys.push(lines[j].y);
                }
            }
        }
        i += 1;
    }
    (lines, tail_ys)
}

/// The lines opening a page above another table's title that are the rest of the previous
/// page's last row, cut by the page break, as their count (0 for none): the title is the block
/// of lines right above that table's heading, one line pitch apart; text a wider gap above it
/// printed only in the table's wrapping columns is the row's.
fn cut_rest_above_title(lines: &[Line], grid: &ColumnGrid) -> usize {
    let Some(last) = lines.last() else {
        return 0;
    };
    let mut title_top = lines.len() - 1;
    while title_top > 0 && lines[title_top].y - lines[title_top - 1].y <= last.size * 1.6 {
        title_top -= 1;
    }
    let rest = &lines[..title_top];
    let in_wrapping_cells = |line: &Line| {
        !line.words.is_empty()
            && line
                .words
                .iter()
                .all(|w| grid.role(grid.column_of(w)).wraps())
    };
    if rest.iter().all(in_wrapping_cells) {
        title_top
    } else {
        0
    }
}

/// A date cell cut by a page break: the time of day or the year its last row's date wrapped
/// onto ("09-07-2024" over "06:33") opens the next page, before any date there. It is joined to
/// that date as [`join_split_dates`] joins it on one page, and the rest of its line is marked
/// as the end of that row.
fn join_date_tails_across_pages(bodies: &mut [TableBody]) {
    for next in 1..bodies.len() {
        let (done, rest) = bodies.split_at_mut(next);
        let (Some(before), Some(after)) = (done.last_mut(), rest.first_mut()) else {
            continue;
        };
        let date_words = |line: &Line, grid: &ColumnGrid| -> Vec<usize> {
            (0..line.words.len())
                .filter(|&i| grid.role(grid.column_of(&line.words[i])) == Role::Date)
                .collect()
        };
        let Some(j) = after
            .lines
            .iter()
            .position(|l| !date_words(l, &after.grid).is_empty())
        else {
            continue;
        };
        let down = date_words(&after.lines[j], &after.grid);
        let tail = crate::text::join_words(down.iter().map(|&k| &after.lines[j].words[k]));
        if values::parse_date(&tail).is_some() || stamped_time(&after.lines[j], &down) {
            continue;
        }
        let tail_size = after.lines[j].size;
        // The page's last dated line, above its footers (which may start in the date column).
        let joined = before
            .lines
            .iter()
            .enumerate()
            .rev()
            // A footer line starting in the date column ("Statement of account no. ...")
            // prints more words there than a cut date cell's head holds.
            .filter(|(_, l)| (1..=4).contains(&date_words(l, &before.grid).len()))
            .take(4)
            .find_map(|(i, line)| {
                // A cell's two lines are printed in one font: a smaller line opening the page
                // (a browser's or report's page header) is not the cut cell's tail.
                if (line.size - tail_size).abs() > line.size * 0.15 {
                    return None;
                }
                let up = date_words(line, &before.grid);
                let head = crate::text::join_words(up.iter().map(|&k| &line.words[k]));
                let whole_date = values::parse_date(&head).is_some();
                if whole_date && head.contains(':') {
                    return None;
                }
                let glued = if head.ends_with(['/', '-', '.']) {
                    format!("{head}{tail}")
                } else {
                    format!("{head} {tail}")
                };
                let joins = !whole_date || values::is_time_of_day(&tail);
                (joins && values::parse_date(&glued).is_some()).then_some((i, up, glued))
            });
        let Some((i, up, glued)) = joined else {
            continue;
        };
        let word = &mut before.lines[i].words[up[0]];
        word.text = glued;
        for k in up[1..].iter().rev() {
            before.lines[i].words.remove(*k);
        }
        for k in down.iter().rev() {
            after.lines[j].words.remove(*k);
        }
        if after.lines[j].words.is_empty() {
            after.lines.remove(j);
        } else {
            after.date_tail_ys.push(after.lines[j].y);
        }
    }
}

/// Whether the date-column words `down` of `line` are a time printed right after a date of
/// its own ("12/6/26, 8:44 PM": the printing stamp of a browser's page header, on a page that
/// repeats no heading): that time is the stamp's, not the tail of a date cut by the page break.
fn stamped_time(line: &Line, down: &[usize]) -> bool {
    let Some(&first) = down.first() else {
        return false;
    };
    first
        .checked_sub(1)
        .and_then(|k| line.words.get(k))
        .is_some_and(|w| values::parse_date(w.text.trim_end_matches([',', ';'])).is_some())
}

/// An amount or balance whose last digits wrapped under it (see [`join_wrapped_money`]) in a
/// row the page break cut: the digits open the next page, on its first line with anything in
/// the money columns, before any dated line. They are joined back to the figure on the
/// previous page's last money line when that figure stops short of two decimals ("383,035.3"
/// over "0") and with them reads as money with two; the rest of their line stays the row's.
fn join_wrapped_money_across_pages(bodies: &mut [TableBody]) {
    for next in 1..bodies.len() {
        let (done, rest) = bodies.split_at_mut(next);
        let (Some(before), Some(after)) = (done.last_mut(), rest.first_mut()) else {
            continue;
        };
        let grid = &before.grid;
        let money_columns: Vec<usize> = (0..grid.columns.len())
            .filter(|&k| grid.role(k).is_money())
            .collect();
        let in_money = |line: &Line, grid: &ColumnGrid| {
            line.words
                .iter()
                .any(|w| money_columns.contains(&grid.column_of(w)))
        };
        // A page header printing words across a money column ("Page No.: 2") is no wrapped
        // figure's tail: the digits open the table under it.
        let worded = |line: &Line, grid: &ColumnGrid| {
            line.words.iter().any(|w| {
                money_columns.contains(&grid.column_of(w))
                    && w.text.chars().filter(|c| c.is_alphabetic()).count() >= 3
            })
        };
        let Some(j) = after
            .lines
            .iter()
            .position(|l| in_money(l, &after.grid) && !worded(l, &after.grid))
        else {
            continue;
        };
        if after.lines[..=j]
            .iter()
            .any(|l| dated_in_date_columns(l, &after.grid))
        {
            continue;
        }
        // A figure cut inside its digit groups ("1,31" over "7", whole rupees) is no money of
        // its own yet.
        let cut_money = |l: &Line| {
            l.words.iter().any(|w| {
                money_columns.contains(&grid.column_of(w))
                    && values::is_cut_amount(
                        w.text
                            .trim_end_matches(|c: char| c.is_alphabetic() || "() ".contains(c)),
                    )
            })
        };
        let Some(i) = before
            .lines
            .iter()
            .rposition(|l| money_words(l) > 0 || cut_money(l))
        else {
            continue;
        };
        let mut joined = false;
        for &k in &money_columns {
            let upper: Vec<usize> = (0..before.lines[i].words.len())
                .filter(|&w| grid.column_of(&before.lines[i].words[w]) == k)
                .collect();
            let [only] = upper.as_slice() else { continue };
            let word = &before.lines[i].words[*only];
            let head = word
                .text
                .trim_end_matches(|c: char| c.is_alphabetic() || "() ".contains(c));
            let marker = word.text[head.len()..].to_string();
            let decimals = head.rsplit_once('.').map(|(_, d)| d.len());
            // Cut inside its groups with no decimals ("2,73,54" over "3"), or short of its
            // second decimal.
            let cut_group = decimals.is_none() && values::is_cut_amount(head);
            if (!cut_group && decimals.is_none_or(|d| d >= 2))
                || !head.ends_with(|c: char| c.is_ascii_digit())
            {
                continue;
            }
            let (x0, x1) = (word.x0, word.x1);
            let below: Vec<usize> = (0..after.lines[j].words.len())
                .filter(|&w| {
                    let tail = &after.lines[j].words[w];
                    after.grid.column_of(tail) == k && tail.x1 > x0 && tail.x0 < x1
                })
                .collect();
            let [w] = below.as_slice() else { continue };
            let tail = after.lines[j].words[*w].text.clone();
            let glued = format!("{head}{tail}");
            let two_decimals = glued.rsplit_once('.').is_some_and(|(_, d)| d.len() == 2);
            if tail.len() <= 2
                && tail.bytes().all(|b| b.is_ascii_digit())
                && (two_decimals || (cut_group && !glued.contains('.')))
                && values::parse_amount(&glued).is_some()
            {
                let tail_x1 = after.lines[j].words[*w].x1;
                let word = &mut before.lines[i].words[*only];
                word.text = format!("{glued}{marker}");
                word.x1 = word.x1.max(tail_x1);
                after.lines[j].words.remove(*w);
                joined = true;
            }
        }
        if joined && after.lines[j].words.is_empty() {
            after.lines.remove(j);
        }
    }
}

/// An amount or balance whose last digits wrapped under it in a cell one digit too narrow
/// ("12,345.6" over "7") is joined back: a lone fragment of up to three digits in the same money
/// column on one of the next two lines, which together with the value above reads as money.
fn join_wrapped_money(mut lines: Vec<Line>, grid: &ColumnGrid) -> Vec<Line> {
    let reads_as_money_or_cut = |text: &str| {
        let head = text.trim_end_matches(|c: char| c.is_alphabetic() || "() ".contains(c));
        is_money_text(head) || values::is_cut_amount(head)
    };
    let words_in = |line: &Line, k: usize| -> Vec<usize> {
        (0..line.words.len())
            .filter(|&i| grid.column_of(&line.words[i]) == k)
            .collect()
    };
    for i in 0..lines.len() {
        for k in (0..grid.columns.len()).filter(|&k| grid.role(k).is_money()) {
            // The column's one figure: a narration wrapped wide may put words in its span.
            let upper: Vec<usize> = words_in(&lines[i], k)
                .into_iter()
                .filter(|&w| reads_as_money_or_cut(&lines[i].words[w].text))
                .collect();
            let [only] = upper.as_slice() else { continue };
            let word = lines[i].words[*only].text.clone();
            // A Dr/Cr marker printed right after the number ("531,126.9 CR") stays after it.
            let head = word.trim_end_matches(|c: char| c.is_alphabetic() || "() ".contains(c));
            let marker = &word[head.len()..];
            let cut = values::is_cut_amount(head);
            if !cut && (!head.ends_with(|c: char| c.is_ascii_digit()) || !is_money_text(head)) {
                continue;
            }
            let reach = lines[i].y + lines[i].size * 1.7;
            // Only words under the number count: a narration wrapped wide (a table with no
            // balance column gives it the room) may reach into the money column's span.
            let (x0, x1) = (lines[i].words[*only].x0, lines[i].words[*only].x1);
            let under = |line: &Line, w: usize| line.words[w].x1 > x0 && line.words[w].x0 < x1;
            let found = (i + 1..lines.len().min(i + 3))
                .take_while(|&j| lines[j].y <= reach)
                .find_map(|j| {
                    let below: Vec<usize> = words_in(&lines[j], k)
                        .into_iter()
                        .filter(|&w| under(&lines[j], w))
                        .collect();
                    match below.as_slice() {
                        [w] => Some((j, *w)),
                        _ => None,
                    }
                });
            let Some((j, w)) = found else { continue };
            let tail = &lines[j].words[w].text;
            // Two dated lines are two rows ("876" over the next row's "418" when whole rupees
            // print bare), not a number and its wrapped tail. Only a date in a date column
            // counts: a wrapped narration may print one ("INT.PD:01-10-2023 TO" / "31-12-2023").
            let dated = |line: &Line| dated_in_date_columns(line, grid);
            // A whole number complete in itself ("500") over a line that is a row of its own
            // (dated, or printing a whole figure in another money column: "23 Jan … 86 |
            // 3,87,061.07") is two rows' amounts; only a number cut short needs its tail.
            let own_row = |line: &Line| {
                dated(line)
                    || line.words.iter().any(|word| {
                        let column = grid.column_of(word);
                        column != k
                            && grid.role(column).is_money()
                            && (word.text.contains('.') || word.text.contains(','))
                            && is_money_text(&word.text)
                    })
            };
            let is_digit_tail = (1..=3).contains(&tail.len())
                && tail.bytes().all(|b| b.is_ascii_digit())
                && !(dated(&lines[i]) && dated(&lines[j]))
                && (cut || !own_row(&lines[j]));
            let glued = format!("{head}{tail}");
            if is_digit_tail && values::parse_amount(&glued).is_some() {
                let x1 = lines[j].words[w].x1;
                let word = &mut lines[i].words[*only];
                word.text = format!("{glued}{marker}");
                word.x1 = word.x1.max(x1);
                lines[j].words.remove(w);
            }
        }
    }
    lines.retain(|l| !l.words.is_empty());
    lines
}

/// A Dr/Cr mark wrapped under its figure in a narrow money cell ("12,345.00" over "(Cr)", as
/// Union Bank prints amounts and balances) is joined back after the figure: the only word of
/// the same money column on one of the next two lines, under a figure that names no side, when
/// it is a mark of two letters and nothing else. Read apart, the figure loses its side (an
/// overdrawn balance reads as a credit one) and the mark looks like narration.
fn join_marks_below_figures(mut lines: Vec<Line>, grid: &ColumnGrid) -> Vec<Line> {
    // Which lines print a word that is a lone mark: a figure's mark is looked for only on the
    // next two lines, so a line with none there is passed by before its columns are read. (A
    // figure moved below carries its mark after a space: it is never a lone mark itself.)
    let lone_marks: Vec<bool> = lines
        .iter()
        .map(|l| {
            l.words
                .iter()
                .any(|w| values::lone_side_mark(&w.text).is_some())
        })
        .collect();
    for i in 0..lines.len() {
        if !lone_marks[(i + 1).min(lines.len())..lines.len().min(i + 3)]
            .iter()
            .any(|&m| m)
        {
            continue;
        }
        for k in (0..grid.columns.len()).filter(|&k| holds_marked_figures(grid, k)) {
            let Some((only, x0, x1)) = unmarked_figure(&lines[i], grid, k) else {
                continue;
            };
            let reach = lines[i].y + lines[i].size * 1.7;
            let mut found = None;
            for j in (i + 1..lines.len().min(i + 3)).take_while(|&j| lines[j].y <= reach) {
                match lone_mark_in(&lines[j], x0, x1) {
                    MarkBelow::Nothing => continue,
                    MarkBelow::Mark(w) => found = Some((j, w)),
                    MarkBelow::Other => {}
                }
                break;
            }
            let Some((j, w)) = found else { continue };
            let mark = lines[j].words.remove(w);
            mark_figure(&mut lines[i].words[only], &mark);
            // A row that centres or bottom-aligns its cells prints the two-line cell around
            // its dated line: the figure above it, the mark on it or below it. The cell is that
            // row's, where the figure's own line prints no date and the dated line leaves the
            // column empty.
            // A row printing no date (a day's next rows) is anchored by its one-line figures.
            let other_money = |line: &Line| {
                line.words
                    .iter()
                    .zip(grid.columns_of_line(&line.words, line.size))
                    .any(|(w, c)| c != k && money_cell_word(w, grid.role(c)))
            };
            if !dated_in_date_columns(&lines[i], grid) {
                let dated = (i + 1..=j)
                    .find(|&d| dated_in_date_columns(&lines[d], grid))
                    .or_else(|| {
                        (i + 1..=j)
                            .find(|&d| other_money(&lines[d]))
                            .filter(|_| !other_money(&lines[i]))
                    });
                let free = |line: &Line| !in_column(line, grid, k);
                // A line at the middle of the two-line cell is where a one-line cell of the
                // row is centred (a dated line dropped below its row's middle leaves it there).
                let middle = (lines[i].y + lines[j].y) / 2.0;
                let centre = (i + 1..j).find(|&c| {
                    (lines[c].y - middle).abs() <= lines[c].size * 0.15 && free(&lines[c])
                });
                if let Some(d) = dated
                    .and_then(|d| centre.or(Some(d)))
                    .filter(|&d| free(&lines[d]))
                {
                    let figure = lines[i].words.remove(only);
                    put_word(&mut lines[d], figure);
                }
            }
        }
    }
    lines.retain(|l| !l.words.is_empty());
    lines
}

/// Fewest figures with a Dr/Cr mark on a line under them that make the habit of a table
/// whose heading is not in the text layer (see [`join_marks_below_figures_by_shape`]).
const MIN_MARKS_BELOW_BY_SHAPE: usize = 5;

/// [`join_marks_below_figures`] where no heading names the columns: a figure written as money
/// and naming no side, with only a lone Dr/Cr mark under it on one of the next two lines
/// (nothing between), is one two-line cell. Where most rows show it (at least
/// [`MIN_MARKS_BELOW_BY_SHAPE`], and as many as half the dated lines), every such mark is
/// joined after its figure and a figure off its row's dated line goes to that line between
/// the two (the mark's own line where it is dated), or else to the two-line cell's middle
/// line, or a line between printing other money (rows printing a date only on a day's first
/// row); always where the line prints nothing under the figure. None where the table shows
/// no such habit, changing nothing.
fn join_marks_below_figures_by_shape(pages: &[Vec<Line>]) -> Option<Vec<Vec<Line>>> {
    let figure = |w: &Word| {
        w.text.contains(['.', ','])
            && w.text.ends_with(|c: char| c.is_ascii_digit())
            && !values::looks_like_date(&w.text)
            && values::parse_amount(&w.text).is_some_and(|a| a.side.is_none())
    };
    let dated = |l: &Line| {
        crate::columns::starts_with_date_somewhere(l) || crate::columns::date_opens_later_cell(l)
    };
    // The line under figure `w` of line `i` holding its lone mark, with the mark's index.
    let mark_under = |lines: &[Line], i: usize, w: usize| -> Option<(usize, usize)> {
        let (x0, x1) = (lines[i].words[w].x0, lines[i].words[w].x1);
        let reach = lines[i].y + lines[i].size * 1.7;
        for j in (i + 1..lines.len().min(i + 3)).take_while(|&j| lines[j].y <= reach) {
            match lone_mark_in(&lines[j], x0, x1) {
                MarkBelow::Nothing => continue,
                MarkBelow::Mark(m) => return Some((j, m)),
                MarkBelow::Other => return None,
            }
        }
        None
    };
    let (mut pairs, mut dated_lines) = (0usize, 0usize);
    for lines in pages {
        for i in 0..lines.len() {
            dated_lines += usize::from(dated(&lines[i]));
            pairs += (0..lines[i].words.len())
                .filter(|&w| figure(&lines[i].words[w]) && mark_under(lines, i, w).is_some())
                .count();
        }
    }
    if pairs < MIN_MARKS_BELOW_BY_SHAPE || pairs * 2 < dated_lines {
        return None;
    }
    let mut joined = pages.to_vec();
    for lines in &mut joined {
        for i in 0..lines.len() {
            let mut w = 0;
            while w < lines[i].words.len() {
                let found = figure(&lines[i].words[w])
                    .then(|| mark_under(lines, i, w))
                    .flatten();
                let Some((j, m)) = found else {
                    w += 1;
                    continue;
                };
                let mark = lines[j].words.remove(m);
                mark_figure(&mut lines[i].words[w], &mark);
                if dated(&lines[i]) {
                    w += 1;
                    continue;
                }
                let (x0, x1) = (lines[i].words[w].x0, lines[i].words[w].x1);
                let free = |line: &Line| line.words.iter().all(|o| o.x1 <= x0 || o.x0 >= x1);
                let middle = (lines[i].y + lines[j].y) / 2.0;
                let target = (i + 1..=j)
                    .find(|&d| dated(&lines[d]))
                    .or_else(|| {
                        (i + 1..j).find(|&c| (lines[c].y - middle).abs() <= lines[c].size * 0.15)
                    })
                    .or_else(|| (i + 1..=j).find(|&d| lines[d].words.iter().any(&figure)))
                    .filter(|&d| free(&lines[d]));
                match target {
                    Some(d) => {
                        let moved = lines[i].words.remove(w);
                        put_word(&mut lines[d], moved);
                    }
                    None => w += 1,
                }
            }
        }
        lines.retain(|l| !l.words.is_empty());
    }
    Some(joined)
}

/// `word` put among a line's words in its place left to right.
fn put_word(line: &mut Line, word: Word) {
    let at = line.words.partition_point(|w| w.x0 <= word.x0);
    line.words.insert(at, word);
}

/// Whether a table line opens a row: a date in a date column, or a serial number in a serial
/// column (the next rows of a day whose date is printed on its first row only).
fn opens_row(line: &Line, grid: &ColumnGrid) -> bool {
    dated_in_date_columns(line, grid)
        || line
            .words
            .iter()
            .zip(grid.columns_of_line(&line.words, line.size))
            .any(|(w, k)| {
                let digits = w.text.trim_end_matches('.');
                grid.role(k) == Role::Serial
                    && !digits.is_empty()
                    && digits.bytes().all(|b| b.is_ascii_digit())
            })
}

/// Whether a word in a column of `role` reads as that column's value: a figure in a money
/// column, a mark in a Dr/Cr column (a narration running on past its column prints neither).
fn money_cell_word(word: &Word, role: Role) -> bool {
    let figure = || {
        word.text.bytes().any(|b| b.is_ascii_digit()) && values::parse_amount(&word.text).is_some()
    };
    (role.is_money() && figure())
        || (role == Role::DrCr && (values::is_dr_cr_marker(&word.text).is_some() || figure()))
}

/// Whether the line prints a figure in a money column or a mark in a Dr/Cr column.
fn prints_money_cells(line: &Line, grid: &ColumnGrid) -> bool {
    line.words
        .iter()
        .zip(grid.columns_of_line(&line.words, line.size))
        .any(|(w, k)| money_cell_word(w, grid.role(k)))
}

/// A line printing a row's money and nothing else: every word in a money, Dr/Cr or currency
/// column (a placeholder in an empty amount cell too), one of them a figure.
fn is_money_line(line: &Line, grid: &ColumnGrid) -> bool {
    let columns = grid.columns_of_line(&line.words, line.size);
    let in_money_cells = line.words.iter().zip(&columns).all(|(w, &k)| {
        let role = grid.role(k);
        role.is_money() || matches!(role, Role::DrCr | Role::Currency) || names_currency(&w.text)
    });
    in_money_cells
        && line
            .words
            .iter()
            .zip(&columns)
            .any(|(w, &k)| money_cell_word(w, grid.role(k)))
}

/// A currency's code or sign printed in a row's currency cell ("INR", "₹"), whatever column
/// the heading read there.
fn names_currency(text: &str) -> bool {
    matches!(text.trim_end_matches('.'), "INR" | "Rs" | "₹")
}

/// A money line close over a line opening a row that prints no money of its own: the row's
/// figures printed a line higher than the rest of it.
fn money_over_row(lines: &[Line], m: usize, grid: &ColumnGrid) -> bool {
    lines.get(m + 1).is_some_and(|next| {
        is_money_line(&lines[m], grid)
            && opens_row(next, grid)
            && !prints_money_cells(next, grid)
            && next.y - lines[m].y <= next.size.max(lines[m].size) * MAX_CELL_PITCH
    })
}

/// [`join_money_lines_above`] for a table whose heading is not in the text layer, by the
/// lines' shapes alone: a line of figures (with their Dr/Cr marks or Debit/Credit words, a currency, "NA") close over
/// a dated line printing no money, where no line prints a date with its figures, most dated
/// lines sit under such a line, more than over one, and each page's last line of figures has
/// its dated line under it. The pages with the money lines joined; None where the habit does
/// not show.
fn join_money_lines_above_by_shape(pages: &[Vec<Line>]) -> Option<Vec<Vec<Line>>> {
    // Lines printing a date with figures written as money (paise or digit groups): a table
    // printing its rows whole. A cheque or card number in a narration beside the date makes
    // no such line (it is money-like, but not written as money).
    let figure_rows = pages
        .iter()
        .flatten()
        .filter(|l| money_words(l) >= 2 && crate::columns::looks_like_data_row(l))
        .count();
    let figure = |w: &Word| {
        w.text.bytes().any(|b| b.is_ascii_digit())
            && values::parse_amount(&w.text).is_some()
            && !values::looks_like_date(&w.text)
    };
    let money_line = |l: &Line| {
        l.words.len() <= 8
            && l.words.iter().any(figure)
            && l.words.iter().all(|w| {
                figure(w)
                    || values::side_word(&w.text).is_some()
                    || names_currency(&w.text)
                    || matches!(w.text.as_str(), "NA" | "-")
            })
    };
    let dated = |l: &Line| {
        money_words(l) == 0
            && (crate::columns::starts_with_date_somewhere(l)
                || crate::columns::date_opens_later_cell(l))
    };
    let serial = serial_column_by_shape(pages, &dated);
    // A day's next rows print no date: where the dated lines open with a serial number, a
    // line opening with one where they do opens a row too.
    let opener = |l: &Line| {
        dated(l)
            || serial.is_some_and(|x| {
                l.words.len() >= 2
                    && bare_serial(&l.words[0].text)
                    && (l.words[0].x0 - x).abs() <= l.size * 1.5
                    && money_words(&Line {
                        page: l.page,
                        y: l.y,
                        size: l.size,
                        words: l.words[1..].to_vec(),
                    }) == 0
            })
    };
    let close = |a: &Line, b: &Line| b.y - a.y <= a.size.max(b.size) * MAX_CELL_PITCH;
    let over = |lines: &[Line], m: usize| {
        lines
            .get(m + 1)
            .is_some_and(|n| money_line(&lines[m]) && opener(n) && close(&lines[m], n))
    };
    let (mut openers, mut above, mut below, mut ends) = (0usize, 0usize, 0usize, 0isize);
    for lines in pages {
        for (n, line) in lines.iter().enumerate() {
            if !opener(line) {
                continue;
            }
            openers += 1;
            if n > 0 && over(lines, n - 1) {
                above += 1;
            }
            if lines
                .get(n + 1)
                .is_some_and(|next| money_line(next) && close(line, next))
            {
                below += 1;
            }
        }
        if let Some(last) = (0..lines.len()).rev().find(|&n| money_line(&lines[n])) {
            ends += if over(lines, last) { 1 } else { -1 };
        }
    }
    // Most rows print no figures on their dated line: the few that seem to are a narration's
    // numbers, not rows printed whole.
    let habit = above >= 3
        && above * 2 > openers
        && figure_rows * 4 <= above
        && above as isize - below as isize + 2 * ends >= 2;
    if !habit {
        return None;
    }
    let mut joined = pages.to_vec();
    for lines in &mut joined {
        for m in 0..lines.len() {
            if !over(lines, m) {
                continue;
            }
            let money = std::mem::take(&mut lines[m].words);
            for word in money {
                put_word(&mut lines[m + 1], word);
            }
        }
        lines.retain(|l| !l.words.is_empty());
    }
    Some(joined)
}

/// Whether a word is a bare serial number ("12", "12.").
fn bare_serial(text: &str) -> bool {
    let digits = text.trim_end_matches('.');
    (1..=5).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Where most of the `dated` lines open with a serial number, the left edge of the first one's
/// (the serial column's), read by shape where no heading names it; None otherwise.
fn serial_column_by_shape(pages: &[Vec<Line>], dated: &impl Fn(&Line) -> bool) -> Option<f32> {
    let firsts: Vec<&Word> = pages
        .iter()
        .flatten()
        .filter(|l| dated(l))
        .filter_map(|l| l.words.first())
        .collect();
    let serials: Vec<f32> = firsts
        .iter()
        .filter(|w| bare_serial(&w.text))
        .map(|w| w.x0)
        .collect();
    (serials.len() >= 3 && serials.len() * 4 >= firsts.len() * 3)
        .then(|| serials.iter().copied().fold(f32::MAX, f32::min))
}

/// Rows printing their money on a line of their own above the line of their serial number,
/// date and narration (as some core-banking prints set the figures a line higher than the
/// rest of the row) have the money line joined into the row's line under it. Read as it
/// stands, each money line would go to the row above (a dated line with no money takes the
/// figures under it), shifting every amount and balance one row while the chain still links.
/// The table's habit decides, over all its pages: most rows open with a line printing no
/// money right under a money line; more do so than have a money line right under them; and
/// the pages' first and last rows agree (the money line over a page's first row opens the
/// page's table, the last money line of a page has its row under it). Where the habit does
/// not show, the lines stay as they are.
fn join_money_lines_above(bodies: &mut [TableBody]) {
    let (mut openers, mut above, mut below, mut ends) = (0usize, 0usize, 0usize, 0isize);
    for body in bodies.iter() {
        let (lines, grid) = (&body.lines, &body.grid);
        let close = |a: &Line, b: &Line| b.y - a.y <= a.size.max(b.size) * MAX_CELL_PITCH;
        // Each line's shape worked out once ([`opens_row`], [`is_money_line`], and
        // [`prints_money_cells`] where the line opens a row): the habit asks of most lines
        // several times.
        let opens: Vec<bool> = lines.iter().map(|l| opens_row(l, grid)).collect();
        let money: Vec<bool> = lines.iter().map(|l| is_money_line(l, grid)).collect();
        let opener_prints: Vec<bool> = lines
            .iter()
            .zip(&opens)
            .map(|(l, &opens)| opens && prints_money_cells(l, grid))
            .collect();
        // [`money_over_row`] from the shapes above.
        let over_row = |m: usize| {
            lines.get(m + 1).is_some_and(|next| {
                money[m]
                    && opens[m + 1]
                    && !opener_prints[m + 1]
                    && next.y - lines[m].y <= next.size.max(lines[m].size) * MAX_CELL_PITCH
            })
        };
        for (n, line) in lines.iter().enumerate() {
            if !opens[n] {
                continue;
            }
            openers += 1;
            if opener_prints[n] {
                continue;
            }
            if n > 0 && over_row(n - 1) {
                above += 1;
            }
            if lines
                .get(n + 1)
                .is_some_and(|next| money[n + 1] && close(line, next))
            {
                below += 1;
            }
        }
        // A money line prints money cells, so `!prints || money` needs the cells only of a
        // line that opens a row.
        if let Some(first) = (0..lines.len()).find(|&n| money[n] || opens[n]) {
            if over_row(first) {
                ends += 1;
            } else if money[first] || !opener_prints[first] {
                ends -= 1;
            }
        }
        if let Some(last) = (0..lines.len()).rev().find(|&n| money[n]) {
            ends += if over_row(last) { 1 } else { -1 };
        }
    }
    let habit =
        above >= 2 && above * 2 > openers && above as isize - below as isize + 2 * ends >= 2;
    if !habit {
        return;
    }
    for body in bodies.iter_mut() {
        for m in 0..body.lines.len() {
            if !money_over_row(&body.lines, m, &body.grid) {
                continue;
            }
            let money = std::mem::take(&mut body.lines[m].words);
            for word in money {
                put_word(&mut body.lines[m + 1], word);
            }
        }
        body.lines.retain(|l| !l.words.is_empty());
    }
}

/// A Dr/Cr mark wrapped under its figure (see [`join_marks_below_figures`]) in a row the page
/// break cut: the mark opens the next page, on its first line with anything in the figure's
/// column, under the page's last figure in that column; a dated line printing nothing in the
/// column may stand between (a centred row's dated line between its figure and its mark).
/// The cell is then the dated row's, as on one page: the figure goes to the dated line after
/// it on its page, or else to the one over the mark on the next.
fn join_marks_below_figures_across_pages(bodies: &mut [TableBody]) {
    for next in 1..bodies.len() {
        let (done, rest) = bodies.split_at_mut(next);
        let (Some(before), Some(after)) = (done.last_mut(), rest.first_mut()) else {
            continue;
        };
        let grid = &before.grid;
        if !before.lines.iter().any(|l| money_words(l) > 0) {
            continue;
        }
        for k in (0..grid.columns.len()).filter(|&k| holds_marked_figures(grid, k)) {
            let in_column = |line: &Line| in_column(line, grid, k);
            // The page's last figure in the column: a footer under the rows ("Page 2") may
            // print words there too.
            let figure_in_column = |line: &Line| {
                line.words
                    .iter()
                    .zip(grid.columns_of_line(&line.words, line.size))
                    .any(|(w, c)| c == k && money_cell_word(w, grid.role(k)))
                    && !is_page_number(&line.text())
                    && !is_noise(line)
            };
            let Some(i) = before.lines.iter().rposition(figure_in_column) else {
                continue;
            };
            let Some((only, x0, x1)) = unmarked_figure(&before.lines[i], grid, k) else {
                continue;
            };
            let mut found = None;
            let mut dated_between = None;
            for (j, line) in after.lines.iter().enumerate() {
                let dated = dated_in_date_columns(line, &after.grid);
                if dated && (dated_between.is_some() || in_column(line)) {
                    break;
                }
                if dated {
                    dated_between = Some(j);
                }
                match lone_mark_in(line, x0, x1) {
                    MarkBelow::Nothing => continue,
                    MarkBelow::Mark(w) => found = Some((j, w)),
                    MarkBelow::Other => {}
                }
                break;
            }
            let Some((j, w)) = found else { continue };
            let mark = after.lines[j].words.remove(w);
            mark_figure(&mut before.lines[i].words[only], &mark);
            if dated_in_date_columns(&before.lines[i], grid) {
                continue;
            }
            let free = |line: &Line| !in_column(line);
            if let Some(d) = (i + 1..before.lines.len())
                .find(|&d| dated_in_date_columns(&before.lines[d], grid))
                .filter(|&d| free(&before.lines[d]))
            {
                let figure = before.lines[i].words.remove(only);
                put_word(&mut before.lines[d], figure);
            } else if let Some(d) = dated_between.filter(|&d| free(&after.lines[d])) {
                let figure = before.lines[i].words.remove(only);
                put_word(&mut after.lines[d], figure);
            }
        }
        before.lines.retain(|l| !l.words.is_empty());
        after.lines.retain(|l| !l.words.is_empty());
    }
}

/// Columns whose figures may carry a Dr/Cr mark: the money columns, and a Dr/Cr heading that
/// stands over one money column with its marks ("Withdrawal (Dr)/" over "Deposit (Cr)").
fn holds_marked_figures(grid: &ColumnGrid, k: usize) -> bool {
    grid.role(k).is_money() || grid.role(k) == Role::DrCr
}

/// The line's one word in column `k` when it is a figure naming no side ("12,345.00"), with
/// its index and span.
fn unmarked_figure(line: &Line, grid: &ColumnGrid, k: usize) -> Option<(usize, f32, f32)> {
    // A narration running on past its column keeps its words (see `columns_of_line`).
    let in_column: Vec<usize> = grid
        .columns_of_line(&line.words, line.size)
        .into_iter()
        .enumerate()
        .filter(|&(_, c)| c == k)
        .map(|(w, _)| w)
        .collect();
    let [only] = in_column[..] else { return None };
    let figure = &line.words[only];
    let unmarked = values::parse_amount(&figure.text).is_some_and(|a| a.side.is_none())
        && figure.text.ends_with(|c: char| c.is_ascii_digit());
    unmarked.then_some((only, figure.x0, figure.x1))
}

/// Whether the line prints a word in column `k`: a narration running on past its column
/// keeps its words (see `columns_of_line`), so its last words are no cell of the column.
fn in_column(line: &Line, grid: &ColumnGrid, k: usize) -> bool {
    grid.columns_of_line(&line.words, line.size).contains(&k)
}

/// What a line under a figure spanning `x0..x1` prints under it.
enum MarkBelow {
    Nothing,
    /// Only a lone Dr/Cr mark under the figure: the word's index.
    Mark(usize),
    Other,
}

/// Read by span, not by column: a heading split over a money column ("Withdrawal (Dr)/" over
/// "Deposit (Cr)") may put a wide figure in one of its parts and the narrow mark under its
/// end in the other.
fn lone_mark_in(line: &Line, x0: f32, x1: f32) -> MarkBelow {
    let under: Vec<usize> = (0..line.words.len())
        .filter(|&w| line.words[w].x1 > x0 && line.words[w].x0 < x1)
        .collect();
    match under[..] {
        [] => MarkBelow::Nothing,
        [w] if values::lone_side_mark(&line.words[w].text).is_some() => MarkBelow::Mark(w),
        _ => MarkBelow::Other,
    }
}

/// The figure with its wrapped mark after a space, as a cell wide enough prints it.
fn mark_figure(figure: &mut Word, mark: &Word) {
    figure.text = format!("{} {}", figure.text, mark.text);
    figure.x1 = figure.x1.max(mark.x1);
}

/// Whether a date starts among the line's words that sit in a date column.
fn dated_in_date_columns(line: &Line, grid: &ColumnGrid) -> bool {
    let words: Vec<Word> = line
        .words
        .iter()
        .filter(|w| matches!(grid.role(grid.column_of(w)), Role::Date | Role::ValueDate))
        .cloned()
        .collect();
    !words.is_empty()
        && crate::columns::starts_with_date_somewhere(&Line {
            page: line.page,
            y: line.y,
            size: line.size,
            words,
        })
}

fn classify(line: &Line, grid: &ColumnGrid, page: usize, period: Option<Period>) -> LineKind {
    if is_rule_line(line) {
        return LineKind::Other;
    }
    let mut cells: Vec<Vec<&Word>> = vec![Vec::new(); grid.columns.len().max(1)];
    let last = cells.len() - 1;
    for (word, k) in line
        .words
        .iter()
        .zip(grid.columns_of_line(&line.words, line.size))
    {
        cells[k.min(last)].push(word);
    }
    // The words of a role's cells joined as `join_words` joins them, without collecting them
    // first (called for every role of every line).
    let text_of = |role: Role| -> Option<String> {
        let mut text = String::new();
        let mut any_word = false;
        for word in (0..cells.len())
            .filter(|&k| grid.role(k) == role)
            .flat_map(|k| cells[k].iter())
        {
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(&word.text);
            any_word = true;
        }
        any_word.then_some(text)
    };
    let money = |role: Role| text_of(role).filter(|t| values::parse_amount(t).is_some());
    let drcr = drcr_cells(&cells, grid);
    let mut own_balance = money(Role::Balance);
    // Rows stacking date and narration in one cell with the balance printed under the amount:
    // the balance joined the amount's line right of it, in the last column when the heading
    // names no balance.
    let mut stacked_amount = None;
    if grid.stacked_dates && own_balance.is_none() {
        let last_money = (0..cells.len())
            .rev()
            .find(|&k| grid.role(k).is_money() && !cells[k].is_empty());
        if let Some(k) = last_money {
            let figures: Vec<&str> = cells[k].iter().map(|w| w.text.as_str()).collect();
            if figures.len() == 2 && figures.iter().all(|t| is_money_text(t)) {
                own_balance = Some(figures[1].to_string());
                stacked_amount = Some((grid.role(k), figures[0].to_string()));
            }
        }
    }
    let money = |role: Role| match &stacked_amount {
        Some((r, text)) if *r == role => Some(text.clone()),
        _ => money(role),
    };
    // Money under a Dr/Cr heading right after a balance that printed its own is the row's
    // amount (the balance printed before a "Debit/Credit" amount column), not a spilled balance.
    let (spilled_balance, amount_after_balance) = match own_balance {
        Some(_) => (None, drcr.balance),
        None => (drcr.balance, None),
    };
    let mut row = RawRow {
        page,
        debit: money(Role::Debit),
        credit: money(Role::Credit),
        amount: money(Role::Amount).or(drcr.amount).or(amount_after_balance),
        drcr: drcr.side,
        balance: own_balance.or(spilled_balance),
        ..RawRow::default()
    };
    values::drop_zero_side(&mut row.debit, &mut row.credit);
    if let (Some(balance), Some(marker)) = (row.balance.as_mut(), drcr.balance_marker) {
        balance.push(' ');
        balance.push_str(&marker);
    }
    // A value date printed in parentheses with the row's date, after it or on the cell's next
    // line (IOB's "Date(Value Date)", SBI's "23-Nov-25 (23-Nov-25)"), is not the row's date and
    // keeps the line it sits on from being a row's wrapped text.
    let (date_text, value_date_only) = match text_of(Role::Date) {
        Some(text) => match without_value_date(&text, period) {
            Some("") => (None, true),
            Some(date) => (Some(date.to_string()), false),
            None => (Some(text), false),
        },
        None => (None, false),
    };
    // A stacked cell's lines that are not its date are its narration.
    let stacked_text = grid.stacked_dates
        && date_text
            .as_deref()
            .is_some_and(|t| values::find_date_prefix(t).is_none());
    let narration_role =
        |k: usize| grid.role(k) == Role::Narration || (stacked_text && grid.role(k) == Role::Date);
    let narration_words: Vec<&Word> = (0..cells.len())
        .filter(|&k| narration_role(k))
        .flat_map(|k| cells[k].iter().copied())
        .collect();
    let narration_text = (!narration_words.is_empty()).then(|| {
        narration_words
            .iter()
            .map(|w| w.text.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    });
    let date_text = if stacked_text { None } else { date_text };
    if let Some(n) = narration_text {
        let words = narration_words;
        if let Some(edges) = piece_edges(&words) {
            row.narration_edges.push((line.y, edges));
        }
        row.narration.push((line.y, n));
    }
    if let Some(r) = text_of(Role::Reference) {
        row.reference.push((line.y, r));
    }
    row.date = date_text.as_deref().and_then(|t| row_date(t, period));
    row.value_date = text_of(Role::ValueDate)
        .as_deref()
        .and_then(|t| row_date(t, period));

    if let Some((kind, phrase)) =
        marker_kind(&row.narration_text()).or_else(|| line_marker_kind(line))
    {
        if row.has_money() || row.date.is_some() {
            // "CARRIED FORWARD : 2,065.38Cr" printed under the credit column is a balance, not
            // a credit total: one side filled, no balance cell, and no "total" in the label.
            let is_total = line.text().to_lowercase().contains("total");
            let (mut debit, mut credit) = (row.debit, row.credit);
            let lone_side = match (&debit, &credit) {
                (Some(_), None) if !is_total => debit.take(),
                (None, Some(_)) if !is_total => credit.take(),
                _ => None,
            };
            return LineKind::Marker(BalanceMarker {
                kind,
                page,
                balance: row.balance.or(row.amount).or(lone_side),
                debit,
                credit,
                rows_before: 0,
                phrase,
            });
        }
    }
    if row.date.is_some() && date_text.is_some() {
        return LineKind::Dated(row);
    }
    if is_noise(line) {
        return LineKind::Other;
    }
    if row.has_money() {
        // Money with words in the date column (a label such as "Total") is a summary line.
        return if date_text.is_none() {
            LineKind::MoneyOnly(row)
        } else {
            LineKind::Other
        };
    }
    // "Closing Balance as on 31-MAR-2024 : Rs.5,42,429.02" under a table whose narration is
    // its first column: the statement's closing line, its words and figure all in the
    // narration column, is no row's wrapped text (at a page's top it would read as the rest
    // of a row cut by the page break).
    if states_a_balance(line) {
        return LineKind::Other;
    }
    let only_wrapping = (0..cells.len()).all(|k| {
        cells[k].is_empty()
            || grid.role(k).wraps()
            || ((value_date_only || stacked_text) && grid.role(k) == Role::Date)
    });
    if only_wrapping {
        LineKind::Continuation(row)
    } else {
        LineKind::Other
    }
}

/// Words of a line that read as money with a decimal point or grouping: a row's amount and
/// balance, not a reference number.
/// Lines that begin with a date and print a figure after it: rows, even where none prints
/// two figures with a decimal point or grouping (a table with no balance column printing
/// whole rupees, "12/2/2023 … INR 761"), which no page header above a heading does.
fn dated_figure_lines(lines: &[Line]) -> usize {
    lines
        .iter()
        .filter(|line| {
            crate::columns::starts_with_date_somewhere(line)
                && line.words.iter().any(|w| {
                    is_money_text(&w.text)
                        && !values::looks_like_date(&w.text)
                        && values::parse_day_month(&w.text).is_none()
                })
        })
        .count()
}

/// Whether a line prints a "total" label followed by two figures of digits only ("Page Total
/// 2042202 1961031"): a whole-rupee page's totals, whose figures print no decimal point or
/// grouping for [`money_words`] to see.
fn labelled_whole_totals(line: &Line) -> bool {
    let Some(label) = line
        .words
        .iter()
        .position(|w| matches!(normalise(&w.text).as_str(), "total" | "totals"))
    else {
        return false;
    };
    line.words[label + 1..]
        .iter()
        .filter(|w| !w.text.is_empty() && w.text.bytes().all(|b| b.is_ascii_digit()))
        .count()
        >= 2
}

fn money_words(line: &Line) -> usize {
    line.words
        .iter()
        .filter(|w| (w.text.contains('.') || w.text.contains(',')) && is_money_text(&w.text))
        .count()
}

fn is_money_text(text: &str) -> bool {
    text.chars().any(|c| c.is_ascii_digit()) && values::parse_amount(text).is_some()
}

/// The Dr/Cr cells of a line, each read for what it holds.
struct DrCrCells {
    /// Side markers of the transaction ("Dr", "CLG Cr").
    side: Option<String>,
    /// The Dr/Cr of the balance, from a column right after the balance ("5,019.00 | DR").
    balance_marker: Option<String>,
    /// Money under a Dr/Cr heading: "DEBIT/CREDIT(₹)" over "+15,878.00" names an amount column.
    amount: Option<String>,
    /// A balance whose marker column it spilled into ("53,324.52 CR" read as one word).
    balance: Option<String>,
}

fn drcr_cells(cells: &[Vec<&Word>], grid: &ColumnGrid) -> DrCrCells {
    let mut out = DrCrCells {
        side: None,
        balance_marker: None,
        amount: None,
        balance: None,
    };
    let mut side_words: Vec<&Word> = Vec::new();
    for (k, words) in cells.iter().enumerate() {
        if grid.role(k) != Role::DrCr || words.is_empty() {
            continue;
        }
        let text = crate::text::join_words(words.iter().copied());
        let after_balance = k > 0
            && grid.role(k - 1) == Role::Balance
            && !marks_the_amount_after_it(cells, grid, k);
        if after_balance && values::is_dr_cr_marker(&text).is_some() {
            out.balance_marker = Some(text);
        } else if after_balance && is_money_text(&text) {
            out.balance = Some(text);
        } else if is_money_text(&text) {
            out.amount.get_or_insert(text);
        } else {
            side_words.extend(words.iter().copied());
        }
    }
    if !side_words.is_empty() {
        out.side = Some(crate::text::join_words(side_words.into_iter()));
    }
    out
}

/// A Dr/Cr heading right after the balance names the balance's marker, or the spill of a
/// balance printed wider than its column; but where it holds money on the lines whose balance
/// is printed in the balance column ("CLOSING BALANCE | DEBIT/CREDIT(INR)" over "1,10,446.16 CR
/// | -14,500.00", the balance printed before the amounts), it heads the signed amounts.
fn amounts_under_marker_heading(header: &mut Header, pages: &[Vec<Line>], coverage: &[(f32, f32)]) {
    let grid = ColumnGrid::new(header, coverage);
    for k in 1..grid.columns.len() {
        if grid.role(k) != Role::DrCr || grid.role(k - 1) != Role::Balance {
            continue;
        }
        let (mut beside_balance, mut markers) = (0usize, 0usize);
        for line in pages.iter().flatten().take(4_000) {
            let in_column = |c: usize, test: fn(&str) -> bool| {
                line.words
                    .iter()
                    .any(|w| grid.column_of(w) == c && test(&w.text))
            };
            let marker = |text: &str| values::is_dr_cr_marker(text).is_some();
            if in_column(k, is_money_text) && in_column(k - 1, is_money_text) {
                beside_balance += 1;
            } else if in_column(k, marker) {
                markers += 1;
            }
        }
        if beside_balance >= MIN_ROWS_WITH_AMOUNTS_UNDER_MARKER && beside_balance > markers {
            header.columns[k].role = Role::Amount;
        }
    }
}

/// Fewest lines with money both in the balance column and under the Dr/Cr heading after it
/// that make the Dr/Cr heading the amounts'.
const MIN_ROWS_WITH_AMOUNTS_UNDER_MARKER: usize = 3;

/// Whether the amount column after a Dr/Cr column that follows the balance prints minus-signed
/// figures on a few lines ("Balance | Dr/Cr | Amount" over "5,19,013.25 | DR | -23.60"): the
/// amounts then carry their own side, the unsigned ones being credits, and the marker is the
/// balance's on every row (see [`marks_the_amount_after_it`]).
fn amounts_after_marker_signed(grid: &ColumnGrid, pages: &[Vec<Line>]) -> bool {
    let amount_columns: Vec<usize> = (1..grid.columns.len())
        .filter(|&k| grid.role(k) == Role::DrCr && grid.role(k - 1) == Role::Balance)
        .filter_map(|k| {
            (k + 1..grid.columns.len())
                .find(|&c| grid.role(c) != Role::Currency)
                .filter(|&c| grid.role(c) == Role::Amount)
        })
        .collect();
    if amount_columns.is_empty() {
        return false;
    }
    let signed = pages
        .iter()
        .flatten()
        .take(4_000)
        .flat_map(|line| &line.words)
        .filter(|w| amount_columns.contains(&grid.column_of(w)))
        .filter(|w| {
            w.text.trim_start().starts_with('-')
                && values::parse_amount(&w.text)
                    .is_some_and(|a| a.side.is_none() && a.value.is_sign_negative())
        })
        .count();
    signed >= MIN_SIGNED_AMOUNTS
}

/// Fewest minus-signed amounts that make a table's amount column signed.
const MIN_SIGNED_AMOUNTS: usize = 3;

/// A table's only Dr/Cr column printed between the balance and an amount column ("Balance |
/// Dr/Cr | Transaction Amount", the balance moved before the amounts) marks the amount when
/// the amount carries no side of its own: unmarked, the amount could not be typed at all,
/// while an unmarked balance is simply in credit. Where the table's amounts are signed
/// ([`amounts_after_marker_signed`]), an unsigned one is a credit and the marker the balance's.
fn marks_the_amount_after_it(cells: &[Vec<&Word>], grid: &ColumnGrid, k: usize) -> bool {
    if grid.amounts_signed {
        return false;
    }
    let only_marker_column = (0..grid.columns.len())
        .filter(|&c| grid.role(c) == Role::DrCr)
        .count()
        == 1;
    // A currency column ("CR/DR | CCY | Trxn Amount") stands between them.
    let next = (k + 1..grid.columns.len())
        .find(|&c| grid.role(c) != Role::Currency)
        .unwrap_or(k + 1);
    let amount_cell = cells
        .get(next)
        .filter(|_| grid.role(next) == Role::Amount && only_marker_column);
    amount_cell.is_some_and(|words| {
        let text = crate::text::join_words(words.iter().copied());
        let signed = text.trim_start().starts_with('+');
        !signed
            && values::parse_amount(&text)
                .is_some_and(|a| a.side.is_none() && a.value.is_sign_positive())
    })
}

/// "- 2 -", "2/7", "Page 2 of 7" printed as the page's first or last line is page furniture,
/// even when it falls inside the narration column. The first line under a printed heading
/// (`under_heading`) is not the page's first: a lone number there ("2023") is the end of a
/// row the page break cut, a row gap above the next row's text.
fn mark_page_numbers(lines: &[Line], classified: &mut [Classified], under_heading: bool) {
    let Some(last) = lines.len().checked_sub(1) else {
        return;
    };
    let first = (!under_heading).then_some((0, 1));
    for (index, neighbour) in first.into_iter().chain([(last, last.wrapping_sub(1))]) {
        if !is_page_number(&lines[index].text()) {
            continue;
        }
        let is_text = matches!(classified[index].kind, LineKind::Continuation(_));
        let wraps_row = is_text
            && (lines
                .get(neighbour)
                .zip(classified.get(neighbour))
                .is_some_and(|(near, c)| continues_row(&lines[index], near, &c.kind))
                || sits_as_rows_do(lines, classified, index, neighbour));
        if !wraps_row {
            classified[index].kind = LineKind::Other;
        }
    }
}

/// A wrapped reference's last digits ("6339") can be a page's last line; unlike a page number
/// they sit in a wrapping column one line pitch from the row they continue — which may be a
/// money line whose date cell is blank (dates on each day's first row only).
fn continues_row(line: &Line, near: &Line, near_kind: &LineKind) -> bool {
    let in_row = matches!(
        near_kind,
        LineKind::Dated(_) | LineKind::Continuation(_) | LineKind::MoneyOnly(_)
    );
    in_row && (line.y - near.y).abs() <= line.size.max(near.size) * 1.6
}

/// Whether the text line `index` at a page's top or bottom sits as the page's rows do: as far
/// from its `neighbour` (a line of a row) as the widest gap, within three sizes, between two
/// lines of rows elsewhere on the page (rows padded apart: a row's last digits, "831",
/// opening a page with no repeated heading, a row's gap above the next row's top), and
/// starting where another text line of the page starts (a cell's left edge; a page number is
/// centred or at the margin).
fn sits_as_rows_do(
    lines: &[Line],
    classified: &[Classified],
    index: usize,
    neighbour: usize,
) -> bool {
    let in_row = |k: usize| {
        matches!(
            classified[k].kind,
            LineKind::Dated(_) | LineKind::Continuation(_) | LineKind::MoneyOnly(_)
        )
    };
    let (Some(line), Some(near)) = (lines.get(index), lines.get(neighbour)) else {
        return false;
    };
    if !in_row(neighbour) {
        return false;
    }
    let gap = (line.y - near.y).abs();
    let row_gap = (0..lines.len().saturating_sub(1))
        .filter(|&k| k != index && k + 1 != index && in_row(k) && in_row(k + 1))
        .map(|k| lines[k + 1].y - lines[k].y)
        .filter(|&g| g <= lines[index].size * 3.0)
        .reduce(f32::max);
    let Some(left) = line.words.first().map(|w| w.x0) else {
        return false;
    };
    let aligned = (0..lines.len()).any(|k| {
        k != index
            && matches!(classified[k].kind, LineKind::Continuation(_))
            && lines[k]
                .words
                .first()
                .is_some_and(|w| (w.x0 - left).abs() <= 1.0)
    });
    aligned && row_gap.is_some_and(|row_gap| gap <= row_gap + 0.5)
}

/// A note's words in lower case, split at every character that is neither letter nor digit
/// ("(Contd.)" reads "contd"): the words [`is_continuation_note`] and the page-foot note of
/// `completeness.rs` are told by.
pub(crate) fn note_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// A line saying only that a row goes on: "contd.", "(Contd.)", "Continued...", "..contd",
/// "Continued from previous page".
fn is_continuation_note(text: &str) -> bool {
    let words = note_words(text);
    let opens = words
        .first()
        .is_some_and(|w| matches!(w.as_str(), "contd" | "cont" | "continued"));
    let rest_says_where = words[1.min(words.len())..]
        .iter()
        .all(|w| matches!(w.as_str(), "from" | "previous" | "last" | "page"));
    opens && rest_says_where
}

fn is_page_number(text: &str) -> bool {
    // Only digits, separators and the letters of "page", "pg", "no" and "of" can be left
    // standing below (no other character lower-cases to one of those letters): any other
    // character, as on most lines, says no before the words are built.
    let possible = text.chars().all(|c| {
        c.is_whitespace()
            || c.is_ascii_digit()
            || matches!(c, '-' | '(' | ')' | '[' | ']' | '|' | ':' | '.' | '/')
            || matches!(
                c.to_ascii_lowercase(),
                'p' | 'a' | 'g' | 'e' | 'n' | 'o' | 'f'
            )
    });
    if !possible {
        return false;
    }
    let words: Vec<String> = text
        .split(|c: char| {
            c.is_whitespace() || matches!(c, '-' | '(' | ')' | '[' | ']' | '|' | ':' | '.')
        })
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .filter(|w| !matches!(w.as_str(), "page" | "pg" | "no" | "of"))
        .collect();
    let numbers: Vec<&str> = words
        .iter()
        .flat_map(|w| w.split('/'))
        .filter(|n| !n.is_empty())
        .collect();
    (1..=2).contains(&numbers.len())
        && numbers
            .iter()
            .all(|n| n.len() <= 4 && n.chars().all(|c| c.is_ascii_digit()))
}

/// [`marker_kind`] of the line's text. Its words are joined with spaces, which normalising
/// drops, so a line whose words keep too many characters is turned away as `marker_kind`
/// would, without joining them (most lines are rows far longer than any marker).
fn line_marker_kind(line: &Line) -> Option<(MarkerKind, &'static str)> {
    let limit = longest_marker() + 4;
    let mut kept = 0;
    for word in &line.words {
        kept += word
            .text
            .chars()
            .filter(|&c| !crate::lines::is_word_break(c))
            .take(limit - kept)
            .count();
        if kept >= limit {
            return None;
        }
    }
    marker_kind(&line.text())
}

/// The longest marker phrase, normalised.
fn longest_marker() -> usize {
    marker_table().first().map_or(0, |(_, p)| p.len())
}

fn marker_kind(narration: &str) -> Option<(MarkerKind, &'static str)> {
    let table = marker_table();
    // A marker is a phrase plus at most three characters (below), and most narrations run far
    // longer: those are turned away before their normalised form is built.
    if keeps_at_least(narration, longest_marker() + 4) {
        return None;
    }
    // The narration's normalised form starts with a phrase followed by a space or nothing, so
    // its first word is a phrase's first word: the short lines that open with none (a row's
    // wrapped narration) are turned away before the whole form is built.
    let mut first_word = String::new();
    crate::lines::first_normalised_word(narration, &mut first_word);
    if !marker_first_words().contains(first_word.as_str()) {
        return None;
    }
    let n = normalise(narration);
    if n.is_empty() {
        return None;
    }
    // The marker must be the whole narration (a UPI note may well contain the word "total").
    table
        .iter()
        .find(|(_, p)| {
            n == *p
                || n.strip_prefix(p.as_str())
                    .is_some_and(|rest| rest.starts_with(' ') && rest.len() < 4)
        })
        .map(|(k, p)| (*k, p.as_str()))
}

/// Whether a marker phrase words its balance as carried to a next page ("carried forward",
/// "c/f": kind `carry` in `data/balance_markers.tsv`).
pub(crate) fn is_carry_phrase(phrase: &str) -> bool {
    include_str!("../data/balance_markers.tsv")
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .any(|(kind, p)| kind == "carry" && normalise(p) == phrase)
}

/// The first words of the balance-marker phrases ([`marker_table`]).
fn marker_first_words() -> &'static FxHashSet<&'static str> {
    static FIRST: OnceLock<FxHashSet<&'static str>> = OnceLock::new();
    FIRST.get_or_init(|| {
        marker_table()
            .iter()
            .map(|(_, phrase)| phrase.split(' ').next().unwrap_or_default())
            .collect()
    })
}

/// Balance-marker phrases (`data/balance_markers.tsv`), normalised, longest first.
fn marker_table() -> &'static [(MarkerKind, String)] {
    static TABLE: OnceLock<Vec<(MarkerKind, String)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t: Vec<(MarkerKind, String)> = include_str!("../data/balance_markers.tsv")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let (kind, phrase) = l.split_once('\t')?;
                let kind = match kind {
                    "opening" => MarkerKind::Opening,
                    "closing" | "carry" => MarkerKind::Closing,
                    _ => return None,
                };
                Some((kind, normalise(phrase)))
            })
            .collect();
        t.sort_by_key(|(_, p)| std::cmp::Reverse(p.len()));
        t
    })
}

/// Whether a line opens with a balance phrase of more than one word ("closing balance",
/// "opening balance", "brought forward": `data/balance_markers.tsv`) and ends with a figure
/// printed with paise or grouping: a line stating the statement's balance, wherever its
/// figure sits.
fn states_a_balance(line: &Line) -> bool {
    let Some(last) = line.words.last() else {
        return false;
    };
    let figure = (last.text.contains('.') || last.text.contains(',')) && is_money_text(&last.text);
    if !figure || line.words.len() < 3 {
        return false;
    }
    let mut first_word = String::new();
    crate::lines::first_normalised_word(&line.text(), &mut first_word);
    if !marker_first_words().contains(first_word.as_str()) {
        return false;
    }
    let text = normalise(&line.text());
    marker_table().iter().any(|(_, phrase)| {
        phrase.contains(' ')
            && text
                .strip_prefix(phrase.as_str())
                .is_some_and(|rest| rest.starts_with(' '))
    })
}

fn is_noise(line: &Line) -> bool {
    // A browser's footer opens with the page's address ("https://…", "file:///…"), one word
    // the phrase table cannot split.
    if line
        .words
        .first()
        .is_some_and(|w| w.text.as_bytes().windows(3).any(|b| b == b"://"))
    {
        return true;
    }
    let text = line.text();
    if is_dashed_page_number(&text) {
        return true;
    }
    static PHRASES: OnceLock<NoisePhrases> = OnceLock::new();
    let phrases = PHRASES.get_or_init(|| {
        NoisePhrases::new(
            include_str!("../data/noise_lines.tsv")
                .lines()
                .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
                .map(|l| normalise(l).split(' ').map(str::to_owned).collect())
                .collect(),
        )
    });
    let normalised = normalise(&text);
    let tokens: Vec<&str> = normalised.split(' ').collect();
    phrases.found_in(&tokens)
}

/// The phrases of `data/noise_lines.tsv`, each a list of normalised words, with the phrases
/// sorted by their first word: a line's words are looked up there, rather than every phrase
/// tried at every word (the line classifier asks this of most body lines).
struct NoisePhrases {
    phrases: Vec<Vec<String>>,
    /// (first word, phrase index), sorted.
    by_first: Vec<(String, usize)>,
}

impl NoisePhrases {
    fn new(phrases: Vec<Vec<String>>) -> Self {
        let mut by_first: Vec<(String, usize)> = phrases
            .iter()
            .enumerate()
            .filter_map(|(i, p)| p.first().map(|first| (first.clone(), i)))
            .collect();
        by_first.sort();
        Self { phrases, by_first }
    }

    /// Whether some phrase is a run of consecutive `tokens`.
    fn found_in(&self, tokens: &[&str]) -> bool {
        (0..tokens.len()).any(|i| {
            let token = tokens[i];
            let from = self.by_first.partition_point(|(f, _)| f.as_str() < token);
            self.by_first[from..]
                .iter()
                .take_while(|(f, _)| f.as_str() == token)
                .any(|&(_, p)| {
                    let phrase = &self.phrases[p];
                    tokens.len() - i >= phrase.len()
                        && tokens[i..i + phrase.len()]
                            .iter()
                            .zip(phrase)
                            .all(|(a, b)| *a == b)
                })
        })
    }
}

/// Whether a line is, word for word, a phrase of `data/end_lines.tsv` ("END OF STATEMENT",
/// "-- End Of Statement --").
fn is_end_line(line: &Line) -> bool {
    static PHRASES: OnceLock<Vec<String>> = OnceLock::new();
    let phrases = PHRASES.get_or_init(|| {
        include_str!("../data/end_lines.tsv")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .map(normalise)
            .collect()
    });
    line.words.len() <= 8 && {
        let text = normalise(&line.text());
        phrases.contains(&text)
    }
}

/// A page number between dashes ("- 3 -"), a line of its own at a page's foot: no phrase names
/// it, and under a table whose last column is the narration it would join the page's last row.
fn is_dashed_page_number(text: &str) -> bool {
    let Some(inner) = text
        .trim()
        .strip_prefix('-')
        .and_then(|t| t.strip_suffix('-'))
    else {
        return false;
    };
    let digits = inner.trim();
    (1..=4).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Centred layouts print a wrapped first row around its dated line, with text directly above
/// and below it; "below" layouts print it only underneath. Each page with a heading votes with
/// its first row (a row split across a page break can fake one vote, not most of them).
fn detect_wrap_mode(pages: &[(usize, Vec<Classified>, bool)]) -> WrapMode {
    if dated_lines_sit_between_text_lines(pages)
        || dated_lines_split_text_pairs(pages)
        || text_hugs_the_dated_line_below(pages)
    {
        return WrapMode::Centred;
    }
    let (mut centred, mut below) = (0, 0);
    // A page printing few wrapped cells has no pitch of its own: the table's is used; where no
    // cell wraps onto a third line, the gap from a dated line to the text under it.
    let table_pitch = text_line_pitch_of_pages(pages.iter().map(|(_, lines, _)| lines.as_slice()))
        .or_else(|| dated_to_text_pitch(pages));
    for (_, lines, has_header) in pages {
        let Some(first_dated) = lines
            .iter()
            .position(|c| matches!(c.kind, LineKind::Dated(_)))
        else {
            continue;
        };
        if !has_header {
            continue;
        }
        let is_continuation = |c: &&Classified| matches!(c.kind, LineKind::Continuation(_));
        // Only text a row could own counts: a heading's second line left under the heading
        // ("DEBIT/" over "CREDIT" in a column of its own) is not a centred row's top.
        let holds_row_text = |c: &&Classified| {
            matches!(&c.kind, LineKind::Continuation(row)
                if !row.narration.is_empty() || !row.reference.is_empty())
        };
        let above = lines[..first_dated]
            .iter()
            .rev()
            .take_while(is_continuation)
            .filter(|c| !c.ends_row_above)
            .filter(holds_row_text)
            .count();
        let under = lines[first_dated + 1..]
            .iter()
            .take_while(is_continuation)
            .count();
        // Text a row gap above the page's first dated line, farther than a cell's lines sit
        // apart, is the rest of the previous page's last row cut by the page break, not the top
        // of a centred row.
        let carried_rest = first_dated > 0
            && text_line_pitch(lines)
                .or(table_pitch)
                .is_some_and(|pitch| lines[first_dated].y - lines[first_dated - 1].y > pitch * 1.1);
        let above = if carried_rest { 0 } else { above };
        match (above, under) {
            (0, 0) => {}
            (0, _) => below += 1,
            _ => centred += 1,
        }
    }
    if centred > below {
        WrapMode::Centred
    } else {
        WrapMode::Below
    }
}

/// The lower quartile of the gaps from a dated line to a text line right under it: the line
/// pitch of a table whose wrapped cells are never more than two lines (no two text lines meet).
fn dated_to_text_pitch(pages: &[(usize, Vec<Classified>, bool)]) -> Option<f32> {
    let gaps = pages
        .iter()
        .flat_map(|(_, lines, _)| lines.windows(2))
        .filter(|pair| {
            matches!(pair[0].kind, LineKind::Dated(_))
                && matches!(pair[1].kind, LineKind::Continuation(_))
        })
        .map(|pair| pair[1].y - pair[0].y)
        .filter(|gap| *gap > 0.0)
        .collect();
    lower_quartile(gaps)
}

/// A cell's wrapped lines sit at most this many font sizes apart (a pitch of 2.06 sizes is
/// printed).
const MAX_CELL_PITCH: f32 = 2.5;

/// A row with an even number of narration lines, centred, puts its dated line half a line
/// pitch from the text around it — something a "below" layout never does.
fn dated_lines_sit_between_text_lines(pages: &[(usize, Vec<Classified>, bool)]) -> bool {
    let is_text = |c: &Classified| matches!(c.kind, LineKind::Continuation(_));
    let is_dated = |c: &Classified| matches!(c.kind, LineKind::Dated(_));
    let mut pitches = Vec::new();
    let mut offsets = Vec::new();
    for (_, lines, _) in pages {
        for pair in lines.windows(2) {
            let gap = pair[1].y - pair[0].y;
            // Text a few sizes under the last row (a footer at the narration's margin) is no
            // cell's wrapped line: its gap would pass for the pitch and every row for centred.
            if is_text(&pair[0]) && is_text(&pair[1]) {
                if gap <= pair[0].size.max(pair[1].size) * MAX_CELL_PITCH {
                    pitches.push(gap);
                }
            } else if (is_text(&pair[0]) && !pair[0].ends_row_above && is_dated(&pair[1]))
                || (is_dated(&pair[0]) && is_text(&pair[1]))
            {
                offsets.push(gap);
            }
        }
    }
    if pitches.len() < 3 || offsets.is_empty() {
        return false;
    }
    pitches.sort_by(f32::total_cmp);
    let pitch = pitches[pitches.len() / 2];
    let half_offsets = offsets
        .iter()
        .filter(|&&d| d > 0.0 && d < pitch * 0.7)
        .count();
    half_offsets >= 2 && half_offsets * 4 >= offsets.len()
}

/// A centred two-line row prints its dated line halfway between its two text lines, with no
/// text line next to another to measure the pitch by. The gaps above and below are equal and
/// add up to one text line pitch, less than a row's pitch; in a "below" layout the text above
/// a dated line belongs to the previous row, a full row pitch away.
fn dated_lines_split_text_pairs(pages: &[(usize, Vec<Classified>, bool)]) -> bool {
    let is_text = |c: &Classified| matches!(c.kind, LineKind::Continuation(_));
    // A row's anchor: its dated line, or, where the date is printed on a day's first row only,
    // a money line whose narration is all on the lines around it.
    let is_dated = |c: &Classified| match &c.kind {
        LineKind::Dated(_) => true,
        LineKind::MoneyOnly(row) => row.narration.is_empty(),
        _ => false,
    };
    let mut row_pitches = Vec::new();
    let mut splits = Vec::new();
    for (_, lines, _) in pages {
        for pair in lines.windows(2) {
            if is_dated(&pair[0]) && is_dated(&pair[1]) {
                row_pitches.push(pair[1].y - pair[0].y);
            }
        }
        for (k, triple) in lines.windows(3).enumerate() {
            if is_text(&triple[0])
                && !triple[0].ends_row_above
                && is_dated(&triple[1])
                && is_text(&triple[2])
            {
                let (up, down) = (triple[1].y - triple[0].y, triple[2].y - triple[1].y);
                // A centred row ends at its lower text line: the next line is a row gap away.
                // Text going on closer than that is a "below" row's wrap, and the text above
                // the dated line was the previous row's.
                let wrap_goes_on = lines
                    .get(k + 3)
                    .is_some_and(|next| next.y - triple[2].y < down * 0.9);
                if !wrap_goes_on {
                    splits.push((up, down, triple[1].size));
                }
            }
        }
    }
    row_pitches.sort_by(f32::total_cmp);
    let row_pitch = row_pitches.get(row_pitches.len() / 2).copied();
    // Without single-line rows to measure, the font size stands in: the limit, 1.8 sizes, is
    // above common text pitches and below the two pitches of a "below" layout's split.
    // Lines half a pitch apart overlap; no "below" layout prints that, so one row is proof.
    let overlapping =
        |&&(up, down, size): &&(f32, f32, f32)| is_half_pitch_split(up, down, size * 1.3);
    if splits.iter().any(|s| overlapping(&s)) {
        return true;
    }
    // Measured against rows, equal gaps can also be a "below" layout whose wrapped lines sit a
    // row gap apart: a centred layout shows them on most of its rows, a "below" one by chance.
    let Some(row_pitch) = row_pitch else {
        return false;
    };
    let symmetric = splits
        .iter()
        .filter(|&&(up, down, _)| is_half_pitch_split(up, down, row_pitch))
        .count();
    symmetric >= 1 && symmetric * 2 >= splits.len()
}

/// Rows whose cells sit on their last text line (bottom-aligned, or centred cells pushed down
/// onto the lower line) print wrapped text a line pitch above the dated line and a row gap below
/// the previous one: the reverse of a "below" layout, whose text follows its dated line at the
/// line pitch and leads into the next row across a row gap. Compares the typical gap from text
/// into a dated line with the typical gap from a dated line into text.
fn text_hugs_the_dated_line_below(pages: &[(usize, Vec<Classified>, bool)]) -> bool {
    let is_text = |c: &Classified| matches!(c.kind, LineKind::Continuation(_));
    let is_dated = |c: &Classified| matches!(c.kind, LineKind::Dated(_));
    let (mut leads, mut trails) = (Vec::new(), Vec::new());
    for (_, lines, _) in pages {
        for pair in lines.windows(2) {
            let gap = pair[1].y - pair[0].y;
            if is_text(&pair[0]) && !pair[0].ends_row_above && is_dated(&pair[1]) {
                leads.push(gap);
            } else if is_dated(&pair[0]) && is_text(&pair[1]) {
                trails.push(gap);
            }
        }
    }
    // Two rows suffice: text nearer the dated line below than a row gap never happens in a
    // "below" layout, and statements with few wrapped rows still need reading right.
    const ENOUGH_ROWS: usize = 2;
    if leads.len() < ENOUGH_ROWS || trails.len() < ENOUGH_ROWS {
        return false;
    }
    let median = |gaps: &mut Vec<f32>| {
        gaps.sort_by(f32::total_cmp);
        gaps[gaps.len() / 2]
    };
    let (lead, trail) = (median(&mut leads), median(&mut trails));
    lead > 0.0 && lead < trail * 0.75
}

/// Equal gaps above and below a dated line that together stay well under a row's pitch.
fn is_half_pitch_split(up: f32, down: f32, row_pitch: f32) -> bool {
    up > 0.0
        && down > 0.0
        && (up - down).abs() <= 0.15 * up.max(down)
        && up + down < row_pitch * 1.4
}

/// The rows and balance markers of the classified pages, and where (page, baseline) the text
/// lines no row took stand.
fn assemble(
    pages: Vec<(usize, Vec<Classified>, bool)>,
    mode: WrapMode,
    has_balance_column: bool,
    owners: &[Vec<Option<attach::Owner>>],
) -> (Vec<RawRow>, Vec<BalanceMarker>, Vec<(usize, f32)>) {
    let mut rows: Vec<RawRow> = Vec::new();
    let mut markers = Vec::new();
    let mut unclaimed = Vec::new();
    let notes = dated_lines_without_money_are_notes(&pages);
    // A table with no balance column leaves no balance blank: its rows are told by their text.
    let sparse = has_balance_column && balances_left_blank(&pages);
    let last_page = pages.last().map(|(page, _, _)| *page);
    // A row cut by a page break, in a centred layout (see [`CutRow`]).
    let mut cut = CutRow::default();
    // The table's rows ended at a printed closing balance or grand total (not a balance carried
    // to the next page), and no dated line came after it.
    let mut closed = false;
    for (page_index, (page, lines, _)) in pages.into_iter().enumerate() {
        let planned = owners.get(page_index);
        let dated_ys = row_anchors(&lines, has_balance_column && !sparse, notes);
        let header_block_end = page_header_block_end(&lines);
        let mut carried = std::mem::take(&mut cut.carried);
        let first_row_on_page = rows.len();
        let tail_end = if mode == WrapMode::Centred && cut.owed == 0 && !rows.is_empty() {
            tail_of_row_above(&lines, header_block_end)
        } else {
            0
        };
        let reach = line_pitch(&lines).map_or(0.0, |pitch| pitch * 1.25);
        // Where the page's rows are padded apart, a line a wrapped line's pitch from the one
        // before is that line's row, across a page break too: the lines opening the page above
        // its first anchor, each a pitch from the next, are that row's own top (the previous
        // page's last row owes nothing), and a line a pitch under the page's last row is its
        // own, not the top of a row whose anchor went to the next page.
        let padded = if mode == WrapMode::Centred {
            padded_row_pitch(&lines)
        } else {
            None
        };
        let within_row = |gap: f32| padded.is_some_and(|pitch| gap <= pitch * WITHIN_ROW_PITCHES);
        let first_rows_own_top = padded.is_some() && {
            let from = header_block_end;
            lines
                .iter()
                .skip(from)
                .position(|c| !matches!(c.kind, LineKind::Continuation(_)))
                .map(|k| from + k)
                .is_some_and(|anchor| {
                    anchor > from
                        && matches!(
                            lines[anchor].kind,
                            LineKind::Dated(_) | LineKind::MoneyOnly(_)
                        )
                        && lines[from..=anchor]
                            .windows(2)
                            .all(|pair| within_row(pair[1].y - pair[0].y))
                })
        };
        // Continuations waiting for the next dated line (centred layouts).
        let mut pending: Vec<RawRow> = Vec::new();
        // The last line accepted into the table on this page, for the gap check. After the
        // table's closing figure, text on a later page above any row of its own is the
        // statement's end matter (a disclaimer at the narration's margin on a last page that
        // prints no rows), not the rest of a row the page break cut.
        let mut last_table_y: Option<(f32, f32)> = closed.then_some((f32::INFINITY, 0.0));
        // Lowest baseline the current centred row may reach.
        let mut centred_bottom: Option<f32> = None;
        // A page holding no row of its own, the page break having come inside the table's last
        // row (a centred row whose lower lines, past its reach, were carried here as the top
        // of a next row that never came): the carried lines and the text opening this page
        // under its heading, each within a line's reach of the one before, are that row's
        // rest (Chrome splits a table's last row at a page break and repeats the heading).
        let rest_page = mode == WrapMode::Centred
            && dated_ys.is_empty()
            && !carried.is_empty()
            && !rows.is_empty()
            && !closed;
        let mut rest_open = rest_page;
        let mut rest_y: Option<f32> = None;
        for (index, c) in lines.into_iter().enumerate() {
            if rest_open && index >= header_block_end {
                let near = rest_y.is_none_or(|y| c.y - y <= reach.max(c.size * 1.6));
                if near && matches!(c.kind, LineKind::Continuation(_)) {
                    take_carried(&mut rows, &mut carried);
                    if let (Some(row), LineKind::Continuation(cont)) = (rows.last_mut(), c.kind) {
                        merge_text(row, cont);
                    }
                    rest_y = Some(c.y);
                    last_table_y = Some((c.y, c.size));
                    continue;
                }
                rest_open = false;
            }
            // Two sizes, or a little more than the table's own line pitch where it prints
            // with wide leading (a pitch of 2.06 sizes is printed).
            // Nothing is close once the page's table has ended (an infinite last baseline).
            let close_to_table = |y: f32, size: f32| {
                last_table_y.is_none_or(|(ly, ls)| {
                    ly.is_finite() && y - ly <= (ls.max(size) * 2.0).max(reach)
                })
            };
            match c.kind {
                LineKind::Dated(row) => {
                    closed = false;
                    cut.open_row(&pending, carried.len(), &row, c.y);
                    centred_bottom = Some(start_row(&mut rows, row, &mut pending, c.y));
                    take_carried(&mut rows, &mut carried);
                    last_table_y = Some((c.y, c.size));
                }
                LineKind::Marker(m) => {
                    // Text after the printed closing balance is the statement's end matter
                    // (a note, a disclaimer at the narration's margin), not the last row's.
                    let closes = m.kind == MarkerKind::Closing && rows.len() > first_row_on_page;
                    closed = closes && !is_carry_phrase(m.phrase);
                    // Text under a centred last row that waited for the next row's anchor: the
                    // table closes instead, so no row below owns it; it is the last row's
                    // lower half where it sits as close to that row as the row's own lines.
                    if closed && mode == WrapMode::Centred {
                        if let Some(row) = rows.last_mut() {
                            if lower_half_of(row, &pending, page, c.size) {
                                cut.below += pending.len();
                                for text in pending.drain(..) {
                                    merge_text(row, text);
                                }
                            }
                        }
                    }
                    markers.push(BalanceMarker {
                        rows_before: rows.len(),
                        ..m
                    });
                    last_table_y = Some(if closes {
                        (f32::INFINITY, 0.0)
                    } else {
                        (c.y, c.size)
                    });
                }
                LineKind::MoneyOnly(mut money) => {
                    // The nearest row above with money: the one this line's balance follows.
                    let anchor = rows[first_row_on_page..]
                        .iter()
                        .rev()
                        .take(3)
                        .find(|r| r.has_money());
                    // A money line before the page's first row whose balance follows from the
                    // previous page's last row continues its day (dates printed only on a day's
                    // first row, and the page break cut the row that opens this page): a row of
                    // its own. Only a balance that chains tells it from a total at the top.
                    let from_last_page = (rows.len() == first_row_on_page && has_balance_column)
                        .then(|| rows.iter().rev().take(3).find(|r| r.has_money()))
                        .flatten()
                        .filter(|a| money.is_own_row(a, true));
                    // The page's first money line under the top of a centred row the page break
                    // left on the previous page (see [`CutRow::carried`]) is that row's anchor.
                    let anchors_carried = rows.len() == first_row_on_page
                        && !carried.is_empty()
                        && money.single_amount(false);
                    let row_on_page = rows.len() > first_row_on_page
                        || from_last_page.is_some()
                        || anchors_carried;
                    let anchor = anchor.or(from_last_page);
                    // After the printed closing balance a line without a date opens no row:
                    // what follows is a summary block's figures, not the table.
                    let after_closing = markers.last().is_some_and(|m: &BalanceMarker| {
                        m.kind == MarkerKind::Closing && m.rows_before == rows.len()
                    });
                    let own_row = row_on_page
                        && !after_closing
                        && (anchor.is_some_and(|a| {
                            money.is_own_row(a, has_balance_column)
                                || money.balance_moves_without_amount(a)
                        }) || anchors_carried
                            || money.dated_balance_without_amount()
                            // Balances printed only on some rows (each day's last): one amount
                            // is a row of its own when the row above has its money, unless both
                            // print balances, which must then chain.
                            || (sparse
                                && money.single_amount(false)
                                && (money.balance.is_none()
                                    || rows.last().is_some_and(|r| r.balance.is_none()))))
                        && rows.last().is_some_and(|last| {
                            // A dated line with no money waits for its amounts, unless it has
                            // its own text and so does this line (a note above the day's row),
                            // this line prints a value date of its own, or the table's dated
                            // lines carry their money and so one without is a note.
                            last.has_money()
                                || (!money.narration.is_empty() && !last.narration.is_empty())
                                || money.value_date.is_some()
                                || notes
                        });
                    match rows.last_mut() {
                        Some(row) if own_row => {
                            // Dates printed only on each day's first row: the next rows of the
                            // day carry their amounts and balance under an empty date cell.
                            money.date = row.date;
                            money.value_date = money.value_date.or(row.value_date);
                            cut.open_row(&pending, carried.len(), &money, c.y);
                            centred_bottom = Some(start_row(&mut rows, money, &mut pending, c.y));
                            take_carried(&mut rows, &mut carried);
                            last_table_y = Some((c.y, c.size));
                        }
                        Some(row)
                            if row_on_page && !row.has_money() && close_to_table(c.y, c.size) =>
                        {
                            row.debit = money.debit;
                            row.credit = money.credit;
                            row.amount = money.amount;
                            row.drcr = money.drcr.or(row.drcr.take());
                            row.balance = money.balance;
                            merge_text(
                                row,
                                RawRow {
                                    page: money.page,
                                    narration: money.narration,
                                    reference: money.reference,
                                    ..RawRow::default()
                                },
                            );
                            last_table_y = Some((c.y, c.size));
                        }
                        // Under the page's rows a money line that is no row is a total or a
                        // summary's figures: the table on this page is over. The line stays
                        // with the page's other leftovers, where a summary block under its
                        // labels is read (a table with no balance column takes its opening
                        // and closing from there).
                        _ if row_on_page => {
                            last_table_y = Some((f32::INFINITY, 0.0));
                            unclaimed.push((page, c.y));
                        }
                        _ => {
                            last_table_y = None;
                            unclaimed.push((page, c.y));
                        }
                    }
                }
                LineKind::Continuation(_) if index < header_block_end => pending.clear(),
                // Text between two dated lines whose row the layout decides (see [`attach`]),
                // across a page break too: a line over the page's first row may be the end of
                // the previous page's last, a line under the page's last row the top of the
                // next page's first. What the plan decided there, no rule of a page break's
                // below redoes.
                LineKind::Continuation(cont)
                    if index >= header_block_end
                        && planned
                            .and_then(|p| p.get(index))
                            .copied()
                            .flatten()
                            .is_some() =>
                {
                    if rows.len() == first_row_on_page {
                        cut.owed = 0;
                    }
                    let above = planned.and_then(|p| p.get(index)).copied().flatten()
                        == Some(attach::Owner::Above);
                    if above {
                        if let Some(row) = rows.last_mut() {
                            merge_text(row, cont);
                            cut.below += 1;
                        }
                    } else if dated_ys.iter().any(|&y| y > c.y) {
                        pending.push(cont);
                    } else {
                        cut.carried.push(cont);
                    }
                    last_table_y = Some((c.y, c.size));
                }
                // The end of the previous page's last row, split by the page break (see
                // [`tail_of_row_above`]), after the lines carried from that page's bottom.
                LineKind::Continuation(cont) if index < tail_end => {
                    take_carried(&mut rows, &mut carried);
                    if let Some(row) = rows.last_mut() {
                        merge_text(row, cont);
                    }
                    last_table_y = Some((c.y, c.size));
                }
                // The lines a centred row cut by the page break still owes below its anchor
                // open the next page, before its first row.
                LineKind::Continuation(cont)
                    if cut.owed > 0
                        && rows.len() == first_row_on_page
                        && !rows.is_empty()
                        && !first_rows_own_top =>
                {
                    if let Some(row) = rows.last_mut() {
                        merge_text(row, cont);
                    }
                    cut.owed -= 1;
                    last_table_y = Some((c.y, c.size));
                }
                LineKind::Continuation(cont) => {
                    let next_dated = dated_ys.iter().copied().find(|&y| y > c.y);
                    let has_row_here = rows.len() > first_row_on_page;
                    // Under a centred page's last row, past its reach, text on a page that is
                    // not the last is the top of a row whose anchor the page break carried to
                    // the next page.
                    let opens_next_page = mode == WrapMode::Centred
                        && has_row_here
                        && next_dated.is_none()
                        && !c.ends_row_above
                        && Some(page) != last_page
                        && close_to_table(c.y, c.size)
                        && centred_bottom.is_some_and(|b| c.y > b + c.size * 0.35)
                        && !last_table_y
                            .is_some_and(|(ly, _)| ly.is_finite() && within_row(c.y - ly));
                    if opens_next_page {
                        cut.carried.push(cont);
                        last_table_y = Some((c.y, c.size));
                        continue;
                    }
                    let belongs_above = match mode {
                        WrapMode::Below => !rows.is_empty(),
                        WrapMode::Centred => {
                            has_row_here
                                && (next_dated.is_none()
                                    || c.ends_row_above
                                    || centred_bottom.is_some_and(|b| c.y <= b + c.size * 0.35))
                        }
                    };
                    // A centred row reaches as far below its anchor as its text starts above
                    // it, however far that is from the last line taken (a cell's own line may
                    // have merged into the anchor line, leaving a wider gap).
                    // Below the page's last row only as far as that row reaches: a title under
                    // the table at the narration's margin (the narration printed first) is not
                    // its text.
                    let inside_centred_row = mode == WrapMode::Centred
                        && last_table_y.is_some_and(|(ly, _)| ly.is_finite())
                        && (next_dated.is_some()
                            || centred_bottom.is_some_and(|b| c.y <= b + c.size * 0.35));
                    // A line that carried the end of the date cell above is that row's
                    // bottom however far the cells' baselines drifted apart. A row whose top
                    // was carried from the previous page reaches as many lines further down.
                    let owed_here = mode == WrapMode::Centred
                        && has_row_here
                        && cut.owed > 0
                        && close_to_table(c.y, c.size);
                    if belongs_above
                        && (inside_centred_row || c.ends_row_above || close_to_table(c.y, c.size))
                    {
                        if let Some(row) = rows.last_mut() {
                            merge_text(row, cont);
                            last_table_y = Some((c.y, c.size));
                            cut.below += 1;
                        }
                    } else if owed_here {
                        if let Some(row) = rows.last_mut() {
                            merge_text(row, cont);
                            last_table_y = Some((c.y, c.size));
                            cut.below += 1;
                            cut.owed -= 1;
                        }
                    } else if mode == WrapMode::Centred
                        || next_dated
                            .is_some_and(|ny| ny - c.y <= c.size * 2.2 * (pending.len() + 1) as f32)
                    {
                        if next_dated.is_some() {
                            pending.push(cont);
                            last_table_y = Some((c.y, c.size));
                        } else {
                            unclaimed.push((page, c.y));
                        }
                    } else {
                        release(&mut pending, page, &mut unclaimed);
                        unclaimed.push((page, c.y));
                    }
                }
                LineKind::Other => {
                    release(&mut pending, page, &mut unclaimed);
                    // A note that the row cut at the previous page's bottom goes on, above its
                    // rest: that rest is as close to the table as the note is.
                    let opens_cut_rest = c.notes_continuation
                        && rows.len() == first_row_on_page
                        && last_table_y.is_some_and(|(ly, _)| ly.is_finite());
                    if opens_cut_rest {
                        last_table_y = Some((c.y, c.size));
                    } else if rows.len() > first_row_on_page {
                        // Below the rows: the table on this page is over.
                        last_table_y = Some((f32::INFINITY, 0.0));
                    }
                }
            }
        }
        // Text carried here that found no row on this page stands unclaimed, unless the page
        // holds no row at all: then it is the rest of the row above it.
        if rest_page {
            take_carried(&mut rows, &mut carried);
        }
        release(&mut carried, page, &mut unclaimed);
        cut.owed = if mode == WrapMode::Centred && rows.len() > first_row_on_page {
            cut.owed_at_page_end()
        } else {
            0
        };
    }
    (rows, markers, unclaimed)
}

/// A centred row prints as many lines below its anchor (the dated line) as above it. A page
/// break that cuts one leaves either its top at the page's bottom, under the last row's reach
/// (the anchor went to the next page), or its anchor with fewer lines below than above (the
/// rest went). Both are joined again across the break.
#[derive(Default)]
struct CutRow {
    /// Lines of the current row above its anchor and below it.
    above: usize,
    below: usize,
    /// Whether the anchor line prints no text of its own: the row's text lines sit above and
    /// below it (an even number of them).
    bare_anchor: bool,
    /// The gap from the current row's lowest line above its anchor down to the anchor.
    gap_above: Option<f32>,
    /// Rows so far whose anchor prints text and has text above it, by that gap: how many fewer
    /// lines they print below it than above (none where the anchor prints a middle line; one
    /// where cells dropped below the row's others took its lower line into the anchor's line).
    shapes: Vec<(f32, isize)>,
    /// Lines the row still owes below its anchor: the lines that open the next page (the page's
    /// last row), or that lie past its reach (a row whose top was carried to it).
    owed: usize,
    /// The top of a row whose anchor is on the next page.
    carried: Vec<RawRow>,
}

impl CutRow {
    /// A row opens with `pending` lines above its anchor on its page and `carried` from the
    /// previous page's bottom: it owes as many lines below as were carried, past its reach.
    fn open_row(&mut self, pending: &[RawRow], carried: usize, anchor: &RawRow, y: f32) {
        if let (false, Some(gap)) = (self.bare_anchor, self.gap_above) {
            self.shapes
                .push((gap, self.above as isize - self.below as isize));
        }
        self.gap_above = pending
            .iter()
            .flat_map(|p| p.narration.iter().chain(&p.reference))
            .map(|(line_y, _)| y - line_y)
            .reduce(f32::min);
        self.above = pending.len() + carried;
        self.below = 0;
        self.owed = carried;
        self.bare_anchor = anchor.narration.is_empty() && anchor.reference.is_empty();
    }

    /// The lines the page's last row owes the next page: those it printed above its anchor and
    /// not below, less the lines the table's rows whose anchor prints text as far under the
    /// text above it mostly print fewer below than above (where the anchor's line holds the
    /// row's lower text line, cells dropped onto it, a row one line short below is whole; one
    /// two lines short owes one). A row whose anchor prints no text owes them all; with no such
    /// rows to go by, a row owes nothing.
    fn owed_at_page_end(&self) -> usize {
        let owed = self.above.saturating_sub(self.below);
        if self.bare_anchor {
            return owed;
        }
        let Some(own) = self.gap_above else {
            return 0;
        };
        let mut counts: Vec<(isize, usize)> = Vec::new();
        for &(gap, short) in &self.shapes {
            if (gap - own).abs() <= own.abs() * 0.1 {
                match counts.iter_mut().find(|(s, _)| *s == short.max(0)) {
                    Some((_, n)) => *n += 1,
                    None => counts.push((short.max(0), 1)),
                }
            }
        }
        // The most common shortfall; a tie goes to the larger (the row reads as whole sooner).
        let usual = counts
            .iter()
            .max_by_key(|&&(short, n)| (n, short))
            .map(|&(short, _)| short);
        match usual {
            Some(short) => owed.saturating_sub(short.unsigned_abs()),
            None => 0,
        }
    }
}

/// How much wider than a cell's line pitch the gap between two rows' text must be to tell a
/// row's end from the next row's top: a browser pads rows apart (Chrome's 3 px above and below
/// a cell is 1.4 pitches at 9-10 pt); a table drawn with no padding prints its rows a pitch or
/// a quarter more apart.
const ROW_GAP_IN_PITCHES: f32 = 1.35;

/// How far apart, in a padded page's wrapped-line pitches, two lines of one row may be.
const WITHIN_ROW_PITCHES: f32 = 1.1;

/// How much wider than the wrapped-line pitch a padded page's gaps between rows are, at least
/// (a few points of padding at 8-10 pt: 12.7 against 10.2).
const PADDING_IN_PITCHES: f32 = 1.2;

/// A centred page's wrapped-line pitch ([`centred_line_pitch`]) where its rows are padded
/// apart: at least [`MIN_EVEN_ROWS`] gaps between its table lines are wider than
/// [`PADDING_IN_PITCHES`] of it. None where rows print with no padding (a line a pitch from
/// the row above may then be either row's) or the pitch cannot be measured.
fn padded_row_pitch(lines: &[Classified]) -> Option<f32> {
    let pitch = centred_line_pitch(lines)?;

    let ys: Vec<f32> = lines
        .iter()
        .filter(|c| !matches!(c.kind, LineKind::Other | LineKind::Marker(_)))
        .map(|c| c.y)
        .collect();
    let gaps: Vec<f32> = ys.windows(2).map(|pair| pair[1] - pair[0]).collect();
    let row_gaps = gaps
        .iter()
        .filter(|&&gap| gap > pitch * PADDING_IN_PITCHES)
        .count();
    // Only where every line sits on the rows' line grid: each gap a pitch (within a row) or
    // wider than the padding (between rows). Date cells dropped below their row's line, or
    // anchors half-way between two text lines, part lines closer: a gap measured from such an
    // anchor says nothing of the rows.
    let off_grid = gaps
        .iter()
        .filter(|&&gap| {
            gap < pitch * (2.0 - WITHIN_ROW_PITCHES)
                || (gap > pitch * WITHIN_ROW_PITCHES && gap <= pitch * PADDING_IN_PITCHES)
        })
        .count();
    (row_gaps >= MIN_EVEN_ROWS && off_grid * 10 <= gaps.len()).then_some(pitch)
}

/// Fewest rows whose lines sit evenly about their anchor that measure a centred page's pitch.
const MIN_EVEN_ROWS: usize = 3;

/// The pitch of a cell's wrapped lines on a centred page, measured on the rows whose text sits
/// evenly about their anchor: a row printing no text on its anchor line has its two middle
/// lines a pitch apart with the anchor half-way; one printing its middle line there has a line
/// a pitch above and below. (The nearest lines of rows whose dated cells dropped onto a
/// wrapped line are not even, and the gaps between rows are not inside one.) The median of at
/// least [`MIN_EVEN_ROWS`] such rows.
fn centred_line_pitch(lines: &[Classified]) -> Option<f32> {
    let has_text = |c: &Classified| match &c.kind {
        LineKind::Dated(row) | LineKind::MoneyOnly(row) | LineKind::Continuation(row) => {
            !row.narration.is_empty()
        }
        _ => false,
    };
    let mut pitches: Vec<f32> = lines
        .windows(3)
        .filter(|w| {
            matches!(w[0].kind, LineKind::Continuation(_))
                && matches!(w[1].kind, LineKind::Dated(_))
                && matches!(w[2].kind, LineKind::Continuation(_))
                && has_text(&w[0])
                && has_text(&w[2])
        })
        .filter_map(|w| {
            let (up, down) = (w[1].y - w[0].y, w[2].y - w[1].y);
            let even = (up - down).abs() <= (up + down) * 0.1;
            let pitch = if has_text(&w[1]) {
                up.min(down)
            } else {
                up + down
            };
            even.then_some(pitch)
        })
        .collect();
    if pitches.len() < MIN_EVEN_ROWS {
        return None;
    }
    pitches.sort_by(f32::total_cmp);
    Some(pitches[pitches.len() / 2])
}

/// The lines opening a centred page that end the previous page's last row, as the index after
/// them (0 for none). A browser that splits a row at a page break prints the rest of its text
/// at the next page's top, apart from the page's first row by the padding rows have between
/// them: where the text lines before the page's first anchor part at a gap wider than
/// [`ROW_GAP_IN_PITCHES`] of the page's line pitch ([`centred_line_pitch`]), the lines above
/// that gap (and the lines carried from the previous page's bottom) are the previous row's,
/// not the top of this one.
fn tail_of_row_above(lines: &[Classified], from: usize) -> usize {
    let Some(anchor) = lines
        .iter()
        .skip(from)
        .position(|c| !matches!(c.kind, LineKind::Continuation(_)))
        .map(|k| from + k)
    else {
        return 0;
    };
    if anchor == from
        || !matches!(
            lines[anchor].kind,
            LineKind::Dated(_) | LineKind::MoneyOnly(_)
        )
    {
        return 0;
    }
    let Some(pitch) = centred_line_pitch(lines) else {
        return 0;
    };
    let ys: Vec<f32> = lines[from..=anchor]
        .iter()
        .filter(|c| match &c.kind {
            LineKind::Dated(row) | LineKind::MoneyOnly(row) | LineKind::Continuation(row) => {
                !row.narration.is_empty()
            }
            _ => false,
        })
        .map(|c| c.y)
        .collect();
    let widest = ys
        .windows(2)
        .enumerate()
        .map(|(k, p)| (k, p[1] - p[0]))
        .max_by(|a, b| a.1.total_cmp(&b.1));
    match widest {
        Some((k, gap)) if gap > pitch * ROW_GAP_IN_PITCHES => from + k + 1,
        _ => 0,
    }
}

/// Puts text carried from the previous page's bottom into the row just opened: the top of that
/// row, cut off by the page break.
fn take_carried(rows: &mut [RawRow], carried: &mut Vec<RawRow>) {
    if let Some(row) = rows.last_mut() {
        for text in carried.drain(..) {
            merge_text(row, text);
        }
    }
}

/// Lines above the page's first dated row that are followed by page furniture before that row
/// belong to the page's header block (an identity line repeated on every page that happens to
/// sit under a column), not to the previous page's last row: text carried over from that row
/// leads straight into the page's rows. The index after the block's last furniture line. (A
/// header line can read as money — "ACCOUNT NUMBER - 4448896737" under an amount column — so
/// only a date starts the rows here.)
fn page_header_block_end(lines: &[Classified]) -> usize {
    // A page with no dated row (the last, holding only the rest of a row the page break cut):
    // its rows' place is taken by a closing total, else by its last text line (the furniture
    // below that is the page's footer).
    // A page total or balance carried forward under the rest of that row, before the page's
    // report header and first dated row (a report printed several pages to a sheet), closes
    // the row: the text above it is the row's, not the header block's.
    // (A page's totals line whose label names no marker, "Page Total", prints two figures
    // with paise or grouping and no date; an identity line read as money prints neither.)
    let totals = |row: &RawRow| {
        [&row.debit, &row.credit, &row.amount, &row.balance]
            .into_iter()
            .flatten()
            .filter(|m| m.contains('.') || m.contains(','))
            .count()
            >= 2
    };
    let first_total = lines.iter().position(|c| match &c.kind {
        LineKind::Marker(m) => m.kind == MarkerKind::Closing,
        LineKind::MoneyOnly(row) => totals(row),
        LineKind::Other => c.prints_totals,
        _ => false,
    });
    let first_row = lines
        .iter()
        .position(|c| matches!(c.kind, LineKind::Dated(_)))
        .map(|dated| first_total.map_or(dated, |total| total.min(dated)))
        .or_else(|| {
            lines
                .iter()
                .position(|c| matches!(c.kind, LineKind::Marker(_)))
        })
        .or_else(|| {
            lines
                .iter()
                .rposition(|c| matches!(c.kind, LineKind::Continuation(_)))
        })
        .unwrap_or(lines.len());
    lines[..first_row]
        .iter()
        .rposition(|c| matches!(c.kind, LineKind::Other))
        .map_or(0, |last_furniture| last_furniture + 1)
}

/// Drops the text waiting for a row that did not come, noting where it stood.
fn release(pending: &mut Vec<RawRow>, page: usize, unclaimed: &mut Vec<(usize, f32)>) {
    for text in pending.drain(..) {
        let pieces = text.narration.iter().chain(&text.reference);
        unclaimed.extend(pieces.map(|(y, _)| (page, *y)));
    }
}

/// The gap between two consecutive lines of wrapped text in one cell on a page, if it has
/// enough: the lower quartile of the gaps between consecutive text lines (the others run from
/// one row's last line to the next row's first, across the rows' gap).
fn text_line_pitch(lines: &[Classified]) -> Option<f32> {
    text_line_pitch_of_pages(std::iter::once(lines))
}

/// [`text_line_pitch`] over the text lines of several pages, each page's pairs on their own.
fn text_line_pitch_of_pages<'a>(pages: impl Iterator<Item = &'a [Classified]>) -> Option<f32> {
    let is_text = |c: &Classified| matches!(c.kind, LineKind::Continuation(_));
    let gaps: Vec<f32> = pages
        .flat_map(|lines| lines.windows(2))
        .filter(|pair| is_text(&pair[0]) && is_text(&pair[1]))
        .map(|pair| pair[1].y - pair[0].y)
        .filter(|gap| *gap > 0.0)
        .collect();
    lower_quartile(gaps)
}

/// The pitch of the table's tightest lines on a page (a wrapped cell's lines): the lower
/// quartile of the gaps between consecutive table lines, if there are enough of them.
fn line_pitch(lines: &[Classified]) -> Option<f32> {
    let table_lines: Vec<f32> = lines
        .iter()
        .filter(|c| !matches!(c.kind, LineKind::Other | LineKind::Marker(_)))
        .map(|c| c.y)
        .collect();
    let gaps: Vec<f32> = table_lines
        .windows(2)
        .map(|pair| pair[1] - pair[0])
        .filter(|gap| *gap > 0.0)
        .collect();
    lower_quartile(gaps)
}

/// The lower quartile of a page's line gaps (its tightest lines), when there are enough of
/// them to tell.
fn lower_quartile(mut gaps: Vec<f32>) -> Option<f32> {
    if gaps.len() < 4 {
        return None;
    }
    gaps.sort_by(f32::total_cmp);
    gaps.get(gaps.len() / 4).copied()
}

/// Whether `pending`, text lines under `row` on `page` waiting for a next row, follow the row's
/// own lowest line there, each within two sizes of the line above it.
fn lower_half_of(row: &RawRow, pending: &[RawRow], page: usize, size: f32) -> bool {
    let baselines = |r: &RawRow| {
        r.narration
            .iter()
            .chain(&r.reference)
            .map(|(y, _)| *y)
            .collect::<Vec<f32>>()
    };
    let own = baselines(row);
    let Some(mut lowest) = own.into_iter().reduce(f32::max) else {
        return false;
    };
    if row.page != page || pending.is_empty() {
        return false;
    }
    for text in pending {
        let Some(top) = baselines(text).into_iter().reduce(f32::min) else {
            return false;
        };
        if text.page != page || top <= lowest || top - lowest > size * 2.0 {
            return false;
        }
        lowest = baselines(text).into_iter().fold(top, f32::max);
    }
    true
}

/// Opens a row at its anchor line (the dated line, or the money line of a row whose date is
/// not printed) with the text waiting above it; returns the lowest baseline a centred row may
/// reach, as far below its anchor as its text starts above.
fn start_row(rows: &mut Vec<RawRow>, mut row: RawRow, pending: &mut Vec<RawRow>, y: f32) -> f32 {
    let top = pending
        .iter()
        .flat_map(|p| p.narration.iter().chain(&p.reference))
        .map(|(y, _)| *y)
        .fold(y, f32::min);
    for p in pending.drain(..) {
        merge_text(&mut row, p);
    }
    rows.push(row);
    2.0 * y - top
}

/// Whether the table leaves the balance blank on many rows that print an amount (the running
/// balance printed only on each day's last row): a line with one amount and no balance is then
/// a row like any other.
fn balances_left_blank(pages: &[(usize, Vec<Classified>, bool)]) -> bool {
    let (mut with_amount, mut blank) = (0usize, 0usize);
    for (_, lines, _) in pages {
        for c in lines {
            if let LineKind::Dated(row) = &c.kind {
                if row.has_amount() {
                    with_amount += 1;
                    blank += usize::from(row.balance.is_none());
                }
            }
        }
    }
    blank >= 3 && blank * 5 >= with_amount
}

/// Baselines of the lines that open a row: dated lines, and money lines under an empty date
/// cell that follow a row with money (dates printed only on a day's first row).
/// Whether a dated line without money is a note (a lien or hold, a waived charge) rather than
/// a row whose amounts follow on a line of their own: most dated lines carry their money.
fn dated_lines_without_money_are_notes(pages: &[(usize, Vec<Classified>, bool)]) -> bool {
    let (mut with, mut without) = (0usize, 0usize);
    for (_, lines, _) in pages {
        for c in lines {
            if let LineKind::Dated(row) = &c.kind {
                if row.has_money() {
                    with += 1;
                } else {
                    without += 1;
                }
            }
        }
    }
    with > 3 * without
}

fn row_anchors(lines: &[Classified], has_balance_column: bool, notes: bool) -> Vec<f32> {
    let mut previous_has_money = false;
    let mut anchors = Vec::new();
    let mut last_with_money: Option<&RawRow> = None;
    for c in lines {
        match &c.kind {
            LineKind::Dated(row) => {
                previous_has_money = row.has_money() || notes;
                anchors.push(c.y);
                if row.has_money() {
                    last_with_money = Some(row);
                }
            }
            LineKind::MoneyOnly(money) => {
                let opens_row = previous_has_money || money.value_date.is_some();
                let moved = last_with_money.is_some_and(|p| money.balance_moves_without_amount(p));
                if opens_row
                    && (money.single_amount(has_balance_column)
                        || money.dated_balance_without_amount()
                        || moved)
                {
                    anchors.push(c.y);
                }
                previous_has_money = true;
                last_with_money = Some(money);
            }
            _ => {}
        }
    }
    anchors
}

/// How far right of the narration's left edge a piece may start and still be at the edge
/// (a space is wider than this at any statement font size).
const CHUNK_EDGE_TOLERANCE: f32 = 1.0;

/// Pieces of one length that make a table read as cut into fixed lengths even with a longer
/// piece among them (a narration that overflowed), when no piece is indented.
const EVIDENT_CHUNK_PIECES: usize = 16;

/// Some core-banking reports cut every narration into pieces of a fixed number of characters
/// ("UPI/DR/1234/NATIONAL ELE" / "CTRICALS/SBIN/…"), breaking inside words. Such a table shows
/// it: most pieces before a row's last have one length, and a piece that begins right after a
/// cut space is indented by that space — which word wrapping never does. Returns the piece
/// length and the narration's left edge.
fn fixed_chunks(rows: &[RawRow]) -> Option<(usize, f32)> {
    let left = rows
        .iter()
        .flat_map(|r| r.narration_edges.iter().map(|(_, e)| e.x0))
        .fold(f32::INFINITY, f32::min);
    let mut lengths: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
    let mut non_last = 0;
    let mut indented = 0;
    // Pieces before a row's last with the piece after them: a word wrapper's short line is
    // one the next word did not fit on, which no cut at a fixed length leaves.
    let mut consecutive: Vec<(usize, usize)> = Vec::new();
    for row in rows.iter().filter(|r| r.narration.len() >= 2) {
        let mut parts: Vec<&(f32, String)> = row.narration.iter().collect();
        parts.sort_by(|a, b| a.0.total_cmp(&b.0));
        for pair in parts.windows(2) {
            let (piece, next) = (&pair[0].1, &pair[1].1);
            let length = piece.chars().count();
            *lengths.entry(length).or_default() += 1;
            non_last += 1;
            let next_word = next
                .split_whitespace()
                .next()
                .map_or(0, |w| w.chars().count());
            consecutive.push((length, next_word));
        }
        indented += row
            .narration_edges
            .iter()
            .filter(|(_, e)| {
                (CHUNK_EDGE_TOLERANCE..CHUNK_EDGE_TOLERANCE * 7.0).contains(&(e.x0 - left))
            })
            .count();
    }
    let (&chars, &count) = lengths.iter().max_by_key(|(len, n)| (**n, **len))?;
    // An indented piece is near-proof; without one, the lengths alone must be overwhelming.
    let proven = indented >= 1 && count * 10 >= non_last * 4;
    // Word wrapping gives one length too when a few narrations of one format wrap alike (a
    // merchant's UPI string). Cut pieces are never longer than the cut, so on few pieces one
    // longer piece is enough to rule the cutting out.
    let longer: usize = lengths
        .iter()
        .filter(|(len, _)| **len > chars)
        .map(|(_, n)| n)
        .sum();
    let wrapped_short = consecutive
        .iter()
        .filter(|(length, next_word)| length + 2 <= chars && length + 1 + next_word > chars)
        .count();
    // Measured: cut tables show none; a fixed-pitch font's word-wrapped UPI strings, whose
    // long lines all have one length, show one in six.
    let evident = (non_last >= EVIDENT_CHUNK_PIECES || longer == 0)
        && count * 10 >= non_last * 8
        && wrapped_short * 20 <= non_last;
    (non_last >= 8 && chars >= 10 && (proven || evident)).then_some((chars, left))
}

/// Whether the table's narration breaks words anywhere (a browser's `word-break: break-all`,
/// a report engine filling each line to the cell's edge): nearly every line followed by
/// another of its row ends within a glyph of the column's right limit, where a word wrapper
/// leaves the slack of the word it moved to the next line, and words that would have fitted
/// on the next line whole were broken. Then a line reaching the limit continues its word.
///
/// A browser breaking at a space where the space and the next glyph would not fit leaves up
/// to both as slack, which a word wrapper leaves too where the next word is short: so lines
/// ending short of a glyph, within a space and the next line's first glyph, count only in a
/// table that also cuts words it prints whole elsewhere ("Razor" / "pay", "Pay" / "ment":
/// [`ANYWHERE_CUT_WORDS`] of them), which a word wrapper never does to a word that fits a line.
fn breaks_words_anywhere(rows: &[RawRow], (left, right): (f32, f32), whole: &WholeWords) -> bool {
    let column = right - left;
    let (mut non_last, mut at_edge, mut needless) = (0usize, 0usize, 0usize);
    let (mut near_edge, mut cut_whole) = (0usize, 0usize);
    for row in rows.iter().filter(|r| r.narration_edges.len() >= 2) {
        let mut pieces: Vec<(f32, &str, PieceEdges)> = row
            .narration
            .iter()
            .filter_map(|(y, text)| row.edges_at(*y).map(|e| (*y, text.as_str(), e)))
            .collect();
        pieces.sort_by(|a, b| a.0.total_cmp(&b.0));
        for pair in pieces.windows(2) {
            let ((_, text, before), (_, next, after)) = (pair[0], pair[1]);
            non_last += 1;
            let slack = right - before.x1;
            let fits_whole = before.last_word_width + after.first_word_width <= column;
            if slack <= line_end_glyph(before, text) {
                at_edge += 1;
                if fits_whole {
                    needless += 1;
                }
            }
            let next_glyph = first_glyph_width(after, next) * CUT_GLYPH_SLACK;
            if slack <= line_end_glyph(before, text).max(space_width(after, next) + next_glyph) {
                near_edge += 1;
                let (tail, head) = (last_run(text), first_run(next));
                let joined = format!("{tail}{head}");
                if !tail.is_empty()
                    && !head.is_empty()
                    && !text.ends_with(' ')
                    && fits_whole
                    && joined.chars().count() >= 4
                    && whole.printed.contains(&joined)
                {
                    cut_whole += 1;
                }
            }
        }
    }
    let strict = at_edge * 10 >= non_last * 9 && needless >= 3;
    let near = near_edge * 10 >= non_last * 9 && cut_whole >= ANYWHERE_CUT_WORDS;
    non_last >= ANYWHERE_MIN_BREAKS && (strict || near)
}

/// Fewest wraps cutting a word the table prints whole elsewhere that show a table breaking
/// words anywhere where its lines end within a space and a glyph of the edge.
const ANYWHERE_CUT_WORDS: usize = 3;

/// Punctuation marks ("/", ",", "-", "@", ".", ":", ";") the table's narrations print inside
/// a line always glued to the next character or always before a space, seen at least
/// [`PUNCTUATION_HABIT_SEEN`] times and never the other way: (mark, glued). A mark ending a
/// line tells nothing (the line may have been broken there).
fn punctuation_habits(rows: &[RawRow]) -> Vec<(char, bool)> {
    const MARKS: [char; 7] = ['/', ',', '-', '@', '.', ':', ';'];
    let mut counts = [(0usize, 0usize); MARKS.len()];
    for (_, text) in rows.iter().flat_map(|r| &r.narration) {
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            let (Some(k), Some(next)) = (MARKS.iter().position(|m| *m == c), chars.peek()) else {
                continue;
            };
            if next.is_whitespace() {
                counts[k].1 += 1;
            } else {
                counts[k].0 += 1;
            }
        }
    }
    MARKS
        .iter()
        .zip(counts)
        .filter_map(|(mark, (glued, spaced))| match (glued, spaced) {
            (g, 0) if g >= PUNCTUATION_HABIT_SEEN => Some((*mark, true)),
            (0, s) if s >= PUNCTUATION_HABIT_SEEN => Some((*mark, false)),
            _ => None,
        })
        .collect()
}

/// Fewest occurrences inside lines, all one way, that make a punctuation mark's habit.
const PUNCTUATION_HABIT_SEEN: usize = 5;

/// The narration's pieces of a row in reading order.
fn pieces_in_order(row: &RawRow) -> Vec<&(f32, String)> {
    let mut pieces: Vec<&(f32, String)> = row.narration.iter().collect();
    pieces.sort_by(|a, b| a.0.total_cmp(&b.0));
    pieces
}

/// Runs of letters and digits the table's narrations print whole: bounded on both sides by
/// another character inside a line, or by the narration's own start or end. A run at the end
/// or start of a wrapped line may be a piece of a word broken there, and is not counted.
fn words_printed_whole(rows: &[RawRow]) -> WholeWords {
    let mut whole = WholeWords::default();
    for row in rows {
        let pieces = pieces_in_order(row);
        for (k, (_, text)) in pieces.iter().enumerate() {
            let tokens: Vec<&str> = text.split(' ').collect();
            let last_token = tokens.len() - 1;
            for (i, token) in tokens.iter().enumerate() {
                let closed = (i > 0 || k == 0) && (i < last_token || k + 1 == pieces.len());
                if !token.is_empty() && closed {
                    whole.token_shapes.insert(token_shape(token));
                }
            }
            let runs: Vec<&str> = text.split(|c: char| !c.is_alphanumeric()).collect();
            let last = runs.len() - 1;
            for (i, run) in runs.iter().enumerate() {
                let opens = i > 0 || k == 0;
                let closes = i < last || k + 1 == pieces.len();
                if !run.is_empty() && opens && closes {
                    if run.chars().any(char::is_lowercase) {
                        whole.lowercase.insert(run.to_lowercase());
                    }
                    if run.chars().any(|c| c.is_ascii_digit())
                        && run.chars().any(|c| c.is_ascii_alphabetic())
                    {
                        whole.shapes.insert(shape(run));
                    }
                    whole.printed.insert((*run).to_string());
                }
            }
        }
    }
    whole
}

/// The runs a table's narrations print whole ([`words_printed_whole`]), as printed and, of
/// those printed with lowercase letters, in lowercase.
#[derive(Debug, Default)]
struct WholeWords {
    printed: FxHashSet<String>,
    lowercase: FxHashSet<String>,
    /// The [`shape`] of each printed run mixing letters and digits.
    shapes: FxHashSet<String>,
    /// The [`token_shape`] of each space-separated token printed whole ("A/C", "X#").
    token_shapes: FxHashSet<String>,
}

impl WholeWords {
    /// Whether `word` prints whole; a word in capitals also where it prints in lowercase: a
    /// payee's name at a line's end ("UPI/DR/<ref>/ANJALI" / "MENON/...") prints whole in the
    /// payee's handle ("anjali.m26@okhdfcbank"). A word in lowercase must print as it is (a
    /// handle's "ola" / "cabs@ybl" is not the name's "OLA CABS").
    fn contains(&self, word: &str) -> bool {
        self.printed.contains(word)
            || (word.chars().any(char::is_uppercase)
                && !word.chars().any(char::is_lowercase)
                && self.lowercase.contains(&word.to_lowercase()))
    }
}

/// [`word_ends_at_the_edge`]'s baselines.
#[cfg(test)]
fn words_ended_at_the_edge(row: &RawRow, whole: &WholeWords) -> Vec<f32> {
    word_ends_at_the_edge(row, whole)
        .into_iter()
        .map(|(y, _)| y)
        .collect()
}

/// Baselines of a row's narration lines that end a word although they reach the column's
/// limit in a table that breaks words anywhere: the browser broke the line at a space that
/// fell at its end. Geometry cannot tell that from a word cut there; the statement's other
/// narrations can: the letters before and after the break are never printed together as one
/// word, and are each printed whole elsewhere ("Pay" / "via Razorpay" where "Pay via" is
/// printed on one line), or one of them is, both three letters or more ("SURESH" / "DAS"
/// where "SURESH" always ends a line but "DAS" prints whole; a name in capitals also prints
/// whole in the payee's lowercase handle, "ANJALI" in "anjali.m26@okhdfcbank", see
/// [`WholeWords::contains`]). A word's first letters alone
/// are rarely a word the statement prints ("Razo" / "rpay"); where they are ("PAY" / "MENT"),
/// the whole word usually is too ("PAYMENT"), and the letters stay joined.
/// Each baseline comes with whether the evidence is strong: both sides printed whole, the
/// vocabulary or the tokens part them, not only one side printed whole.
fn word_ends_at_the_edge(row: &RawRow, whole: &WholeWords) -> Vec<(f32, bool)> {
    let pieces = pieces_in_order(row);
    pieces
        .windows(2)
        .filter_map(|pair| {
            let (y, before) = (pair[0].0, pair[0].1.as_str());
            let after = pair[1].1.as_str();
            let tail = before.rsplit(|c: char| !c.is_alphanumeric()).next()?;
            let head = after.split(|c: char| !c.is_alphanumeric()).next()?;
            let (tail_chars, head_chars) = (tail.chars().count(), head.chars().count());
            let both =
                tail_chars >= 2 && head_chars >= 2 && whole.contains(tail) && whole.contains(head);
            let either = tail_chars >= 3
                && head_chars >= 3
                && (whole.contains(tail) || whole.contains(head));
            let joined = format!("{tail}{head}");
            // The narrations' vocabulary (data) says the same where the statement prints a word
            // whole nowhere: two of its words that make none together were parted at a space
            // ("CTS" / "CLEARING", "SELF" / "AT", "SWATI" / "PATEL"), as was one of its words
            // before or after a number ("CARD" / "XXXXXXXXXXXX7237"); a cut that makes one of
            // its words ("Pay" / "ment") or an IFSC ("ICIC" / "0936780") stays joined.
            let listed = vocabulary_parts_them(before, after, whole);
            let printed_apart =
                (both || either) && !whole.contains(&joined) && !one_run(&joined, head);
            let tokens = tokens_printed_apart(before, after, whole);
            let strong = (printed_apart && both)
                || listed
                || tokens_printed_apart_by(before, after, whole, false);
            // A bank's code before digits may as well be glued to them (an IFSC, a mandate's
            // or a transfer's reference, "SBIN" / "82739092345"), though the statement prints
            // the code whole elsewhere: no evidence either way.
            ((printed_apart || tokens || strong) && !bank_code_before_digits(before, after))
                .then_some((y, strong))
        })
        .collect()
}

/// Baselines of a row's narration lines, in a table that breaks words anywhere, whose last
/// run and the next line's first make one run on evidence beyond the geometry
/// ([`surely_cut`]: a number cut inside, an IFSC, a word the statement prints whole elsewhere
/// or the vocabulary holds, a handle).
fn words_joined_at_the_edge(row: &RawRow, whole: &WholeWords) -> Vec<f32> {
    pieces_in_order(row)
        .windows(2)
        .filter(|pair| surely_cut(&pair[0].1, &pair[1].1, whole))
        .map(|pair| pair[0].0)
        .collect()
}

/// Baselines of a row's narration lines, in a table that breaks words anywhere, ending in
/// letters where the next line opens with letters, one side a word of three letters or more
/// the statement prints whole elsewhere or the vocabulary holds ("QTR" / "INCL GST"), and
/// the two making no such word together; or ending in a bank's code before digits
/// ([`bank_code_before_digits`]): a space may have fallen at the wrap, and a line filling its
/// cell says nothing against it (the space and the next glyph did not fit).
fn words_maybe_apart_at_the_edge(row: &RawRow, whole: &WholeWords) -> Vec<f32> {
    let word = |run: &str| {
        run.chars().count() >= 3
            && run.chars().all(char::is_alphabetic)
            && (whole.contains(run) || listed_word(run))
    };
    pieces_in_order(row)
        .windows(2)
        .filter(|pair| {
            let (line, next) = (pair[0].1.as_str(), pair[1].1.as_str());
            let (tail, head) = (last_run(line), first_run(next));
            let letters = |run: &str| !run.is_empty() && run.chars().all(char::is_alphabetic);
            (letters(tail) && letters(head) && (word(tail) || word(head)))
                || bank_code_before_digits(line, next)
        })
        .map(|pair| pair[0].0)
        .collect()
}

/// Whether the space-separated tokens ending `before` and opening `after` ("TO" / "A/C …",
/// "A/C" / "XXXXXXXX7444") were parted at a space: each is printed whole elsewhere (by
/// [`token_shape`]: digits as one "#", a mask as one "X") or is a word of the narrations'
/// vocabulary, both of two characters or more; or one is, printed whole, both of three
/// characters or more. Never where the token they would make together is printed whole, or
/// makes one of the vocabulary's words or an IFSC.
fn tokens_printed_apart(before: &str, after: &str, whole: &WholeWords) -> bool {
    tokens_printed_apart_by(before, after, whole, true)
}

/// [`tokens_printed_apart`]; one side printed whole counts only with `either_side`.
fn tokens_printed_apart_by(
    before: &str,
    after: &str,
    whole: &WholeWords,
    either_side: bool,
) -> bool {
    let (Some(tail), Some(head)) = (before.split(' ').next_back(), after.split(' ').next()) else {
        return false;
    };
    let lettered = |token: &str| token.chars().any(char::is_alphabetic);
    let printed = |token: &str| lettered(token) && whole.token_shapes.contains(&token_shape(token));
    let sure = |token: &str| {
        token.chars().count() >= 2
            && (printed(token) || (token.chars().all(char::is_alphabetic) && listed_word(token)))
    };
    let long = |token: &str| token.chars().count() >= 3;
    let joined = format!("{tail}{head}");
    let together = whole.token_shapes.contains(&token_shape(&joined))
        || one_run(
            &format!("{}{}", last_run(tail), first_run(head)),
            first_run(head),
        );
    let either = either_side && long(tail) && long(head) && (printed(tail) || printed(head));
    ((sure(tail) && sure(head)) || either) && !together
}

/// Whether the run ending `line` is a bank's IFSC prefix in capitals ("SBIN", data/banks.tsv)
/// and `next` opens with a digit: banks print their code glued to digits (an IFSC, a
/// mandate's or transfer's reference) as well as apart from them.
fn bank_code_before_digits(line: &str, next: &str) -> bool {
    static CODES: OnceLock<FxHashSet<String>> = OnceLock::new();
    let tail = last_run(line);
    tail.len() == 4
        && tail.chars().all(|c| c.is_ascii_uppercase())
        && next.starts_with(|c: char| c.is_ascii_digit())
        && CODES
            .get_or_init(|| ifsc_prefixes().map(str::to_uppercase).collect())
            .contains(tail)
}

/// The four-letter IFSC prefixes data/banks.tsv lists for each bank ("SBIN", "UTIB").
fn ifsc_prefixes() -> impl Iterator<Item = &'static str> {
    include_str!("../data/banks.tsv")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split('\t').nth(2))
        .flat_map(|ifsc| ifsc.split(','))
        .map(str::trim)
        .filter(|p| p.len() == 4)
}

/// Whether `word` is one of the words bank narrations print (data, any case): the narrations'
/// vocabulary and the banks' IFSC prefixes ("UTIB", "PUNB"; data/banks.tsv).
fn listed_word(word: &str) -> bool {
    static WORDS: OnceLock<FxHashSet<String>> = OnceLock::new();
    WORDS
        .get_or_init(|| {
            let vocabulary = include_str!("../data/narration_vocabulary.tsv")
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(str::to_lowercase);
            let prefixes = ifsc_prefixes().map(str::to_lowercase);
            vocabulary.chain(prefixes).collect()
        })
        .contains(&word.to_lowercase())
}

/// Fewest wrapped lines from which a table's narration is taken to break words anywhere.
const ANYWHERE_MIN_BREAKS: usize = 5;

/// The extent of a narration fragment and of its first and last space-separated tokens (a
/// PDF word may hold several tokens set close together: their widths are shared by length).
fn piece_edges(words: &[&Word]) -> Option<PieceEdges> {
    let first = words.iter().min_by(|a, b| a.x0.total_cmp(&b.x0))?;
    let last = words.iter().max_by(|a, b| a.x1.total_cmp(&b.x1))?;
    // Shared by the glyphs' advances (Helvetica's; faces differ less from one another than
    // glyphs do within one), not by their count: "UPI/CR/3867 NAIR/SBIN/rahul.n36" gives its
    // digits more room than its slashes and dots.
    let units = |text: &str| text.chars().map(advance_units).sum::<f32>();
    let token_width = |word: &Word, token: Option<&str>| {
        let all = units(&word.text).max(1.0);
        (word.x1 - word.x0) * token.map_or(0.0, units) / all
    };
    Some(PieceEdges {
        x0: first.x0,
        x1: last.x1,
        first_word_width: token_width(first, first.text.split_whitespace().next()),
        last_word_width: token_width(last, last.text.split_whitespace().last()),
    })
}

/// The narration text's left and right limits over the table, from every fragment of its transactions.
fn narration_bounds(rows: &[RawRow]) -> Option<(f32, f32)> {
    // A dated line without money is no transaction (a period line in an identity block
    // repeated on every page, "Period : 01-Jun-2023 To 31-Jul-2023", a hold note): its text
    // is not the narration column's and must not widen it.
    let edges = rows
        .iter()
        .filter(|r| r.has_money())
        .flat_map(|r| r.narration_edges.iter().map(|(_, e)| e));
    let (left, right) = edges.fold((f32::INFINITY, f32::NEG_INFINITY), |(l, r), e| {
        (l.min(e.x0), r.max(e.x1))
    });
    (left < right).then_some((left, right))
}

/// How far past a row's own page the baselines of its text printed on another page are
/// counted: farther than any page is tall, so the text sorts after (or before) the row's own.
const LATER_PAGE_SPAN: f32 = 10_000.0;

/// Adds `extra`'s text to `row`. Text from another page (the rest of a row cut by the page
/// break, at the next page's top, or its top at the previous page's bottom) is placed after or
/// before the row's own in reading order: baselines count from the top of each page.
fn merge_text(row: &mut RawRow, mut extra: RawRow) {
    if extra.page != row.page {
        let shift = (extra.page as f32 - row.page as f32) * LATER_PAGE_SPAN;
        let baselines = extra.narration.iter_mut().map(|(y, _)| y);
        let baselines = baselines.chain(extra.reference.iter_mut().map(|(y, _)| y));
        for y in baselines.chain(extra.narration_edges.iter_mut().map(|(y, _)| y)) {
            *y += shift;
        }
    }
    row.narration_edges.extend(extra.narration_edges);
    row.narration.extend(extra.narration);
    row.reference.extend(extra.reference);
}

#[cfg(test)]
mod tests {
    use super::{
        breaks_words_anywhere, classify, columns_named_by_heading_words, dated_figure_lines,
        dated_lines_sit_between_text_lines, each_page, is_continuation_note, is_dashed_page_number,
        is_end_line, is_noise, is_page_number, join_date_tails_across_pages,
        join_marks_below_figures, join_marks_below_figures_by_shape, join_money_lines_above,
        join_money_lines_above_by_shape, join_wrapped_money, labelled_whole_totals,
        mark_page_numbers, states_a_balance, tail_of_row_above, without_value_date, Classified,
        LineKind, PieceEdges, RawRow, TableBody,
    };
    use crate::columns::{find_header, ColumnGrid};
    use crate::text::{Line, Word};

    fn line(y: f32, words: &[(&str, f32, f32)]) -> Line {
        Line {
            page: 1,
            y,
            size: 8.5,
            words: words
                .iter()
                .map(|&(text, x0, x1)| Word {
                    text: text.into(),
                    x0,
                    x1,
                })
                .collect(),
        }
    }

    /// Words placed one after another, 40 points apart.
    fn spaced(words: &[&str]) -> Line {
        let placed: Vec<(&str, f32, f32)> = words
            .iter()
            .enumerate()
            .map(|(i, w)| (*w, 40.0 * i as f32, 40.0 * i as f32 + 30.0))
            .collect();
        line(100.0, &placed)
    }

    #[test]
    fn a_line_stating_the_balance_is_told_from_a_narration() {
        let states = |words: &[&str]| states_a_balance(&spaced(words));
        assert!(states(&[
            "Closing",
            "Balance",
            "as",
            "on",
            "31-MAR-2024",
            ":",
            "Rs.5,42,429.02"
        ]));
        assert!(states(&["Opening", "Balance", "INR", "1,200.00"]));
        // A narration naming a balance, or a balance phrase with no figure after it.
        assert!(!states(&["NEFT", "CLOSING", "BALANCE", "TRF", "1,200.00"]));
        assert!(!states(&["Closing", "Balance", "as", "on", "31-MAR-2024"]));
        // One word of a phrase opens many narrations ("TOTAL ENERGIES").
        assert!(!states(&["TOTAL", "ENERGIES", "PUMP", "1,200.00"]));
    }

    #[test]
    fn whole_rupee_page_totals_are_a_totals_line() {
        let totals = |words: &[&str]| labelled_whole_totals(&spaced(words));
        assert!(totals(&["Page", "Total", "2042202", "1961031"]));
        assert!(!totals(&["Page", "3", "of", "4"]));
        assert!(!totals(&["Page", "Total", "2042202"]));
        assert!(!totals(&["BATCH", "154134", "STAFF", "580013"]));
    }

    #[test]
    fn a_statements_end_line_is_told_from_a_narration_naming_it() {
        let end = |words: &[&str]| {
            let placed: Vec<(&str, f32, f32)> = words
                .iter()
                .enumerate()
                .map(|(i, w)| (*w, 40.0 * i as f32, 40.0 * i as f32 + 30.0))
                .collect();
            is_end_line(&line(100.0, &placed))
        };
        assert!(end(&["END", "OF", "STATEMENT"]));
        assert!(end(&["---", "End", "Of", "Statement", "---"]));
        assert!(end(&["***", "End", "of", "Report", "***"]));
        assert!(!end(&["NEFT", "END", "OF", "STATEMENT", "FEE"]));
        assert!(!end(&["Statement", "of", "Account"]));
    }

    #[test]
    fn rows_above_a_repeated_heading_are_told_by_their_dates_and_figures() {
        // A table with no balance column printing whole rupees: no line has two figures with
        // a decimal point, but each opens with its date and prints its amount.
        let rows = [
            line(
                100.0,
                &[
                    ("12/2/2023", 30.0, 70.0),
                    ("UPI/DR/3505", 90.0, 160.0),
                    ("761", 480.0, 500.0),
                ],
            ),
            line(
                114.0,
                &[
                    ("14/2/2023", 30.0, 70.0),
                    ("POS", 90.0, 110.0),
                    ("309", 480.0, 500.0),
                ],
            ),
        ];
        assert_eq!(dated_figure_lines(&rows), 2);
        // A page header: a date, but no figure after it, or a figure but no date first.
        let header = [
            line(
                100.0,
                &[
                    ("Statement", 30.0, 70.0),
                    ("Date", 72.0, 90.0),
                    ("12/2/2023", 92.0, 130.0),
                ],
            ),
            line(
                114.0,
                &[
                    ("PUNJAB", 30.0, 70.0),
                    ("NATIONAL", 72.0, 110.0),
                    ("BANK", 112.0, 140.0),
                ],
            ),
            line(
                128.0,
                &[
                    ("12/2/2023", 30.0, 70.0),
                    ("to", 72.0, 80.0),
                    ("31/3/2023", 82.0, 120.0),
                ],
            ),
        ];
        assert_eq!(dated_figure_lines(&header), 0);
    }

    #[test]
    fn a_browser_footer_opening_with_the_page_address_is_furniture() {
        let footer = line(
            820.0,
            &[
                (
                    "https://netbanking.example.com/acct/statement?id=7",
                    24.0,
                    190.0,
                ),
                ("2/5", 560.0, 572.0),
            ],
        );
        assert!(is_noise(&footer));
        let narration = line(
            300.0,
            &[(
                "UPI/DR/468349714607/SWIGGY/HDFC/swiggy@axb/Pay",
                90.0,
                260.0,
            )],
        );
        assert!(!is_noise(&narration));
    }

    #[test]
    fn noise_phrases_looked_up_by_first_word_find_what_every_window_finds() {
        let phrases: Vec<Vec<String>> =
            ["page", "page no", "generated on", "end of statement", "www"]
                .iter()
                .map(|p| p.split(' ').map(str::to_owned).collect())
                .collect();
        let indexed = super::NoisePhrases::new(phrases.clone());
        let lines = [
            "page 2 of 5",
            "statement generated on 01/02/2024",
            "this is the end of statement",
            "end of the statement",
            "no page",
            "generated",
            "www",
            "",
            "upi/dr/468349714607/swiggy/hdfc",
            "of statement end",
        ];
        for text in lines {
            let tokens: Vec<&str> = text.split(' ').collect();
            let every_window = phrases.iter().any(|p| {
                tokens
                    .windows(p.len())
                    .any(|w| w.iter().zip(p).all(|(a, b)| *a == b))
            });
            assert_eq!(indexed.found_in(&tokens), every_window, "{text}");
        }
    }

    #[test]
    fn only_page_number_characters_pass_the_page_number_prefilter() {
        for text in ["Page 2 of 5", "- 3 -", "Pg. 12/40", "(4)", "PAGE NO: 7"] {
            assert!(is_page_number(text), "{text}");
        }
        for text in [
            "Page 2 of 5 Total",
            "Opening Balance 12",
            "12/40/7",
            "pägé 2",
        ] {
            assert!(!is_page_number(text), "{text}");
        }
    }

    #[test]
    fn a_wrapped_narrations_date_does_not_stop_a_wrapped_amount_joining() {
        let heading = line(
            40.0,
            &[
                ("Date", 40.0, 60.0),
                ("Narration", 161.0, 200.0),
                ("Deposit", 455.0, 488.0),
                ("Balance", 530.0, 572.0),
            ],
        );
        let rows = vec![
            line(
                60.0,
                &[
                    ("31/12/23", 40.0, 78.2),
                    ("INT.PD:01-10-2023", 161.0, 241.7),
                    ("TO", 244.4, 256.3),
                    ("2,436.9", 455.6, 488.0),
                    ("261,413.0", 528.8, 572.0),
                ],
            ),
            line(
                70.6,
                &[
                    ("31-12-2023", 161.0, 210.4),
                    ("5", 482.6, 488.0),
                    ("6", 566.6, 572.0),
                ],
            ),
        ];
        let coverage = [(40.0, 78.2), (161.0, 256.3), (455.6, 488.0), (528.8, 572.0)];
        let header = find_header(&[heading], &coverage).expect("a heading");
        let grid = ColumnGrid::new(&header, &coverage);
        let joined = join_wrapped_money(rows, &grid);
        let texts: Vec<String> = joined.iter().map(|l| l.text()).collect();
        assert_eq!(
            texts,
            [
                "31/12/23 INT.PD:01-10-2023 TO 2,436.95 261,413.06",
                "31-12-2023"
            ]
        );
    }

    /// The grid of a table "Date | Narration | Withdrawal | Deposit | Balance".
    fn money_grid() -> ColumnGrid {
        let heading = line(
            40.0,
            &[
                ("Date", 40.0, 60.0),
                ("Narration", 161.0, 200.0),
                ("Withdrawal", 390.0, 440.0),
                ("Deposit", 455.0, 488.0),
                ("Balance", 530.0, 572.0),
            ],
        );
        let coverage = [
            (40.0, 78.2),
            (161.0, 256.3),
            (400.0, 440.0),
            (455.6, 488.0),
            (528.8, 572.0),
        ];
        let header = find_header(&[heading], &coverage).expect("a heading");
        ColumnGrid::new(&header, &coverage)
    }

    #[test]
    fn a_date_glued_to_the_next_cells_first_word_is_split_at_that_columns_heading() {
        // Printed seed 135 (sheet_grid, 5.4 pt type): LibreOffice printed the value date
        // flush against the narration ("01/10/23TO" / "TRANSFER-UPI/…"), the narration's
        // first word starting where its heading does. At 8.5 pt the date's glyphs take 33.1.
        use super::split_dates_glued_to_text;
        let heading = line(
            40.0,
            &[
                ("Date", 40.0, 58.0),
                ("Particulars", 73.1, 110.0),
                ("Withdrawal", 390.0, 440.0),
                ("Balance", 530.0, 572.0),
            ],
        );
        let coverage = [(40.0, 73.0), (73.1, 256.3), (400.0, 440.0), (528.8, 572.0)];
        let header = find_header(&[heading], &coverage).expect("a heading");
        let grid = ColumnGrid::new(&header, &coverage);
        let rows = vec![
            line(
                60.0,
                &[
                    ("01/10/23TO", 40.0, 84.9),
                    ("TRANSFER-UPI/DR/4300", 86.5, 160.0),
                    ("6,030.00", 410.0, 440.0),
                    ("101,252.84", 535.0, 572.0),
                ],
            ),
            // A word of the date column that runs on past the heading at no date's end stays.
            line(
                70.0,
                &[
                    ("OPENINGBALANCE", 40.0, 110.0),
                    ("101,252.84", 535.0, 572.0),
                ],
            ),
        ];
        let split = split_dates_glued_to_text(rows, &grid);
        let texts: Vec<&str> = split[0].words.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "01/10/23",
                "TO",
                "TRANSFER-UPI/DR/4300",
                "6,030.00",
                "101,252.84"
            ]
        );
        assert!((split[0].words[1].x0 - 73.1).abs() < 0.5);
        assert_eq!(split[1].words[0].text, "OPENINGBALANCE");
    }

    fn one_page(lines: Vec<Line>, grid: &ColumnGrid) -> Vec<TableBody> {
        vec![TableBody {
            page: 1,
            lines,
            date_tail_ys: Vec::new(),
            grid: grid.clone(),
            has_header: true,
            opens_under_heading: true,
        }]
    }

    #[test]
    fn money_lines_printed_above_their_rows_join_them_where_the_table_shows_it() {
        let grid = money_grid();
        let money = |y: f32, withdrawal: bool, amount: &str, balance: &str| {
            let at = if withdrawal {
                (400.0, 440.0)
            } else {
                (455.6, 488.0)
            };
            line(y, &[(amount, at.0, at.1), (balance, 528.8, 572.0)])
        };
        let dated =
            |y: f32, date: &str, text: &str| line(y, &[(date, 40.0, 78.2), (text, 161.0, 200.0)]);
        let lines = vec![
            money(60.0, true, "1,000.00", "9,000.00"),
            dated(70.0, "01/01/24", "UPI/ONE"),
            line(80.0, &[("SHOP", 161.0, 190.0)]),
            money(92.0, false, "500.00", "9,500.00"),
            dated(102.0, "02/01/24", "NEFT/TWO"),
            money(114.0, true, "200.00", "9,300.00"),
            dated(124.0, "03/01/24", "CASH"),
        ];
        let mut bodies = one_page(lines, &grid);
        join_money_lines_above(&mut bodies);
        let texts: Vec<String> = bodies[0].lines.iter().map(|l| l.text()).collect();
        assert_eq!(
            texts,
            [
                "01/01/24 UPI/ONE 1,000.00 9,000.00",
                "SHOP",
                "02/01/24 NEFT/TWO 500.00 9,500.00",
                "03/01/24 CASH 200.00 9,300.00"
            ]
        );
        // The same lines with each money line under its dated line: the habit does not show
        // (the page's first row opens with its date, its last money line has no row under it),
        // and nothing moves.
        let lines = vec![
            dated(60.0, "01/01/24", "UPI/ONE"),
            money(70.0, true, "1,000.00", "9,000.00"),
            line(80.0, &[("SHOP", 161.0, 190.0)]),
            dated(92.0, "02/01/24", "NEFT/TWO"),
            money(102.0, false, "500.00", "9,500.00"),
            dated(114.0, "03/01/24", "CASH"),
            money(124.0, true, "200.00", "9,300.00"),
        ];
        let mut bodies = one_page(lines.clone(), &grid);
        join_money_lines_above(&mut bodies);
        assert_eq!(bodies[0].lines, lines);
    }

    #[test]
    fn money_lines_above_their_rows_join_them_by_shape_where_no_heading_is_printed() {
        let money = |y: f32, amount: &str, balance: &str| {
            line(y, &[(amount, 400.0, 440.0), (balance, 528.8, 572.0)])
        };
        let dated = |y: f32, serial: &str, date: &str, text: &str| {
            line(
                y,
                &[
                    (serial, 20.0, 26.0),
                    (date, 40.0, 78.2),
                    (text, 161.0, 200.0),
                ],
            )
        };
        let above = vec![
            money(60.0, "1,000.00", "9,000.00"),
            dated(70.0, "1", "01/01/24", "UPI/ONE"),
            line(80.0, &[("SHOP", 161.0, 190.0)]),
            money(92.0, "500.00", "9,500.00"),
            dated(102.0, "2", "02/01/24", "NEFT/TWO"),
            money(114.0, "200.00", "9,300.00"),
            dated(124.0, "3", "03/01/24", "CASH"),
            money(136.0, "100.00", "9,200.00"),
            dated(146.0, "4", "04/01/24", "ATM"),
        ];
        let joined = join_money_lines_above_by_shape(&[above]).expect("money above its rows");
        let texts: Vec<String> = joined[0].iter().map(|l| l.text()).collect();
        assert_eq!(
            texts,
            [
                "1 01/01/24 UPI/ONE 1,000.00 9,000.00",
                "SHOP",
                "2 02/01/24 NEFT/TWO 500.00 9,500.00",
                "3 03/01/24 CASH 200.00 9,300.00",
                "4 04/01/24 ATM 100.00 9,200.00"
            ]
        );
        // Each money line under its dated line: the page's last one has no row under it.
        let below = vec![
            dated(60.0, "1", "01/01/24", "UPI/ONE"),
            money(70.0, "1,000.00", "9,000.00"),
            line(80.0, &[("SHOP", 161.0, 190.0)]),
            dated(92.0, "2", "02/01/24", "NEFT/TWO"),
            money(102.0, "500.00", "9,500.00"),
            dated(114.0, "3", "03/01/24", "CASH"),
            money(124.0, "200.00", "9,300.00"),
            dated(136.0, "4", "04/01/24", "ATM"),
            money(146.0, "100.00", "9,200.00"),
        ];
        assert!(join_money_lines_above_by_shape(&[below]).is_none());
    }

    /// Cheque numbers beside the dates do not make the rows look printed whole, and a day's
    /// next row, printing its serial number but no date, takes the money line over it.
    #[test]
    fn money_lines_above_join_by_shape_past_cheque_numbers_and_undated_rows() {
        let money = |y: f32, amount: &str, balance: &str| {
            line(y, &[(amount, 400.0, 440.0), (balance, 528.8, 572.0)])
        };
        let row = |y: f32, serial: &str, date: &str, text: &str| {
            let mut words = vec![(serial, 20.0, 26.0)];
            if !date.is_empty() {
                words.push((date, 40.0, 78.2));
            }
            words.push(("CHQ", 161.0, 180.0));
            words.push((text, 184.0, 220.0));
            line(y, &words)
        };
        let mut lines = Vec::new();
        let mut expected = Vec::new();
        for n in 0..8 {
            let y = 60.0 + n as f32 * 24.0;
            let serial = (n + 1).to_string();
            let date = if n == 3 {
                String::new()
            } else {
                format!("0{}/01/24", n / 2 + 1)
            };
            let cheque = format!("10015{n}");
            lines.push(money(y, "1,000.00", "9,000.00"));
            lines.push(row(y + 10.0, &serial, &date, &cheque));
            let dated = if date.is_empty() {
                String::new()
            } else {
                format!("{date} ")
            };
            expected.push(format!("{serial} {dated}CHQ {cheque} 1,000.00 9,000.00"));
        }
        let joined = join_money_lines_above_by_shape(&[lines]).expect("money above its rows");
        let texts: Vec<String> = joined[0].iter().map(|l| l.text()).collect();
        assert_eq!(texts, expected);
    }

    #[test]
    fn a_figure_over_its_mark_around_a_centred_dated_line_is_that_rows() {
        let grid = money_grid();
        let lines = vec![
            line(
                60.0,
                &[("POS DMART", 161.0, 220.0), ("2,23,392.22", 528.8, 572.0)],
            ),
            line(
                65.0,
                &[("01/01/24", 40.0, 78.2), ("7,983.92", 400.0, 440.0)],
            ),
            line(70.0, &[("SUPERMARTS", 161.0, 230.0), ("CR", 560.0, 572.0)]),
        ];
        let joined = join_marks_below_figures(lines, &grid);
        let texts: Vec<String> = joined.iter().map(|l| l.text()).collect();
        assert_eq!(
            texts,
            [
                "POS DMART",
                "01/01/24 7,983.92 2,23,392.22 CR",
                "SUPERMARTS"
            ]
        );
    }

    #[test]
    fn a_figure_over_its_mark_beside_a_narration_running_past_its_column_is_that_rows() {
        // The narration runs on, a word-space at a time, past its column into the amount's
        // strip on the figure's line and on the dated line: its words are no amount cell.
        let grid = money_grid();
        let lines = vec![
            line(
                60.0,
                &[
                    ("NEFT-OM", 161.0, 250.0),
                    ("SAI", 252.0, 330.0),
                    ("AGENCIES-INV", 332.0, 388.0),
                    ("7,983.92", 400.0, 440.0),
                    ("2,23,392.22", 528.8, 572.0),
                ],
            ),
            line(
                65.0,
                &[
                    ("01/01/24", 40.0, 78.2),
                    ("ACH D-", 161.0, 250.0),
                    ("FULLERTON", 252.0, 330.0),
                    ("LTD-TEPA98", 332.0, 388.0),
                ],
            ),
            line(70.0, &[("Dr.", 430.0, 440.0), ("CR", 560.0, 572.0)]),
        ];
        let joined = join_marks_below_figures(lines, &grid);
        let texts: Vec<String> = joined.iter().map(|l| l.text()).collect();
        assert_eq!(
            texts,
            [
                "NEFT-OM SAI AGENCIES-INV",
                "01/01/24 ACH D- FULLERTON LTD-TEPA98 7,983.92 Dr. 2,23,392.22 CR",
            ]
        );
    }

    /// A centred row of a table whose heading is not in the text layer: the balance above the
    /// dated line, its mark below, the amount on the dated line.
    fn centred_marked_row(y: f32, day: u32, amount: &str, balance: &str) -> Vec<Line> {
        vec![
            line(y, &[("UPI/DR/1234", 161.0, 220.0), (balance, 528.8, 572.0)]),
            line(
                y + 7.0,
                &[
                    (&format!("{day:02}/01/24"), 40.0, 78.2),
                    ("NA", 400.0, 412.0),
                    (amount, 455.6, 488.0),
                ],
            ),
            line(y + 14.0, &[("SWIGGY", 161.0, 200.0), ("CR", 560.0, 572.0)]),
        ]
    }

    #[test]
    fn marks_under_figures_join_by_shape_where_the_table_shows_the_habit() {
        let rows = |n: u32| -> Vec<Line> {
            (0..n)
                .flat_map(|r| {
                    centred_marked_row(60.0 + 30.0 * r as f32, r + 1, "500.00", "1,500.00")
                })
                .collect()
        };
        let joined = join_marks_below_figures_by_shape(&[rows(5)]).expect("the habit");
        let texts: Vec<String> = joined[0].iter().take(3).map(|l| l.text()).collect();
        assert_eq!(
            texts,
            ["UPI/DR/1234", "01/01/24 NA 500.00 1,500.00 CR", "SWIGGY"]
        );
        // Four such rows are no habit: the lines stay as printed.
        assert!(join_marks_below_figures_by_shape(&[rows(4)]).is_none());
        // Nor is a table whose lines under its figures print anything but a lone mark.
        let mut other = rows(6);
        for line in &mut other {
            for word in &mut line.words {
                if word.text == "CR" {
                    word.text = "CREDIT ADJ".into();
                }
            }
        }
        assert!(join_marks_below_figures_by_shape(&[other]).is_none());
    }

    #[test]
    fn a_heading_repeated_mid_page_with_its_parenthesis_apart_names_its_columns() {
        // "Balance (INR )": the closing parenthesis printed apart is no heading word, and
        // rules out no line (a report printed several to a sheet repeats its heading).
        let heading = line(
            40.0,
            &[
                ("Date", 40.0, 60.0),
                ("Particulars", 161.0, 210.0),
                ("Debits", 440.0, 470.0),
                ("Balance", 520.0, 552.0),
                ("(INR", 555.0, 570.0),
                (")", 572.0, 575.0),
            ],
        );
        let coverage = [(40.0, 88.0), (161.0, 300.0), (440.0, 488.0), (520.0, 575.0)];
        let header = find_header(std::slice::from_ref(&heading), &coverage).expect("a heading");
        let again = Line {
            y: 400.0,
            ..heading
        };
        assert_eq!(columns_named_by_heading_words(&again, &header), 4);
        let parenthesis = line(410.0, &[(")", 572.0, 575.0)]);
        assert_eq!(columns_named_by_heading_words(&parenthesis, &header), 0);
        let row = line(
            420.0,
            &[("12-12-2023", 40.0, 80.0), ("Particulars", 161.0, 210.0)],
        );
        assert_eq!(columns_named_by_heading_words(&row, &header), 0);
    }

    #[test]
    fn a_value_date_in_parentheses_is_not_the_rows_date() {
        // SBI's "23-Nov-25 (24-Nov-25)" on the dated line, IOB's "(24-Nov-25)" alone under it.
        assert_eq!(
            without_value_date("23-Nov-25 (24-Nov-25)", None),
            Some("23-Nov-25")
        );
        assert_eq!(without_value_date("(24-Nov-25)", None), Some(""));
        assert_eq!(without_value_date("(June 1, 2024)", None), Some(""));
        assert_eq!(without_value_date("23-Nov-25", None), None);
        assert_eq!(without_value_date("(Contd.)", None), None);
        assert_eq!(without_value_date("Total (24-Nov-25)", None), None);

        // IOB's date cell: the value date's line carries the narration's second line, which
        // stays the row's wrapped text.
        let heading = line(
            40.0,
            &[
                ("Date(Value", 40.0, 85.0),
                ("Date)", 89.5, 112.0),
                ("Particulars", 161.0, 205.0),
                ("Debit(Rs)", 440.0, 488.0),
                ("Balance(Rs)", 520.0, 572.0),
            ],
        );
        let coverage = [(40.0, 88.0), (161.0, 300.0), (455.6, 488.0), (528.8, 572.0)];
        let header = find_header(&[heading], &coverage).expect("a heading");
        let grid = ColumnGrid::new(&header, &coverage);
        let dated = line(
            60.0,
            &[
                ("23-Nov-25", 40.0, 80.0),
                ("UPI/DR/592270/BIGBASKET", 161.0, 270.0),
                ("3,124.00", 450.0, 488.0),
                ("87,457.00", 530.0, 572.0),
            ],
        );
        let under = line(
            70.0,
            &[("(24-Nov-25)", 40.0, 88.0), ("PAYMENT", 161.0, 200.0)],
        );
        let LineKind::Dated(row) = classify(&dated, &grid, 1, None) else {
            panic!("the first line is the row's dated line");
        };
        assert_eq!(
            row.date.map(|d| d.to_string()).as_deref(),
            Some("2025-11-23 00:00:00")
        );
        let LineKind::Continuation(rest) = classify(&under, &grid, 1, None) else {
            panic!("the value date's line continues the row");
        };
        assert_eq!(rest.narration_text(), "PAYMENT");
    }

    /// A row of two narration lines, 4 points a glyph, in a column from x=100 to x=200.
    fn two_line_row(first: &str, second: &str) -> RawRow {
        let edges = |text: &str| {
            let x1 = 100.0 + 4.0 * text.chars().count() as f32;
            let token = |t: Option<&str>| 4.0 * t.map_or(0, |t| t.chars().count()) as f32;
            PieceEdges {
                x0: 100.0,
                x1,
                first_word_width: token(text.split(' ').next()),
                last_word_width: token(text.split(' ').next_back()),
            }
        };
        RawRow {
            narration: vec![(10.0, first.to_owned()), (20.0, second.to_owned())],
            narration_edges: vec![(10.0, edges(first)), (20.0, edges(second))],
            narration_bounds: Some((100.0, 200.0)),
            ..RawRow::default()
        }
    }

    #[test]
    fn a_wrapped_reference_keeps_the_space_between_words_and_a_number() {
        let row = |lines: &[&str]| RawRow {
            reference: lines
                .iter()
                .enumerate()
                .map(|(i, t)| (i as f32 * 10.0, (*t).to_owned()))
                .collect(),
            ..RawRow::default()
        };
        assert_eq!(
            row(&["TRANSFER FROM", "7128896219489"]).reference_text(),
            "TRANSFER FROM 7128896219489"
        );
        assert_eq!(row(&["4102938", "47561"]).reference_text(), "410293847561");
        assert_eq!(
            row(&["TRANSFER", "FROM", "7128896219489"]).reference_text(),
            "TRANSFER FROM 7128896219489"
        );
        assert_eq!(row(&["UTIB0001", "234"]).reference_text(), "UTIB0001234");
    }

    #[test]
    fn a_path_broken_beside_a_slash_continues_its_word() {
        // 25 glyphs fill the column; neither path fits on a line with the word it runs into.
        let row = two_line_row("ZEPTO/HDFC/", "swiggy.stores@axb/Pay via");
        assert_eq!(row.narration_text(), "ZEPTO/HDFC/swiggy.stores@axb/Pay via");
        let row = two_line_row("HDFC/zepto.payu@axisbank", "/Pay via Razorpay");
        assert_eq!(
            row.narration_text(),
            "HDFC/zepto.payu@axisbank/Pay via Razorpay"
        );
        // Short of the edge, with room for both words: a space the narration printed.
        let row = two_line_row("REF NEFT/", "ABC DEF");
        assert_eq!(row.narration_text(), "REF NEFT/ ABC DEF");
    }

    #[test]
    fn a_number_broken_at_the_line_end_is_joined_again() {
        // 25 glyphs fill the column; the UTR did not fit on any line.
        let row = two_line_row("NEFT-IDIBN310696424096060", "6-GOLDEN LEAF");
        assert_eq!(
            row.narration_text(),
            "NEFT-IDIBN3106964240960606-GOLDEN LEAF"
        );
    }

    #[test]
    fn a_number_broken_a_pixel_short_of_the_widest_line_is_joined_again() {
        // Glyphs on a screen's pixel grid: the number's two pieces measure as wide as the
        // column, not wider, though it did not fit on a line.
        let row = two_line_row("123456789012345678901234", "5 SELF");
        assert_eq!(row.narration_text(), "1234567890123456789012345 SELF");
    }

    #[test]
    fn words_wrapped_short_of_the_line_end_keep_their_space() {
        let row = two_line_row("IMPS 1234 TRANSFER 2023", "4410 SELF");
        assert_eq!(row.narration_text(), "IMPS 1234 TRANSFER 2023 4410 SELF");
        // At the line end, but the two numbers together would have fitted on a line.
        let row = two_line_row("IMPS 12345 TRANSFER 20234", "4410 SELF");
        assert_eq!(row.narration_text(), "IMPS 12345 TRANSFER 20234 4410 SELF");
        // Letters at the line end keep the space: geometry cannot tell them from a wrap.
        let row = two_line_row("UPI/DR/4793603910/AMAZONPAY", "INDIA/PUNB");
        assert_eq!(
            row.narration_text(),
            "UPI/DR/4793603910/AMAZONPAY INDIA/PUNB"
        );
    }

    /// A row of narration lines 10 points apart, 4 points a glyph, in a column from x=100 to
    /// x=200 (as [`two_line_row`]).
    fn row_of_lines(lines: &[&str]) -> RawRow {
        let mut row = RawRow {
            narration_bounds: Some((100.0, 200.0)),
            ..RawRow::default()
        };
        for (i, text) in lines.iter().enumerate() {
            let edges = two_line_row(text, text).narration_edges[0].1;
            let y = 10.0 * (i + 1) as f32;
            row.narration.push((y, (*text).to_owned()));
            row.narration_edges.push((y, edges));
        }
        row
    }

    #[test]
    fn a_word_cut_on_a_line_of_its_own_continues_on_the_next() {
        use super::{moves_words_to_lines_of_their_own, words_cut_on_lines_of_their_own};
        // LibreOffice moves a word too long for a line to a line of its own ("TO" /
        // "TRANSFER-UPI/.../GURPRE" / "ET IYER"), and the words cut end in several ways.
        let moved = |line: &str, next: &str| row_of_lines(&["TO", line, next]);
        let mut rows = vec![
            moved("UPI/DR/47260981447/GURPRE", "ET IYER"),
            moved("UPI/DR/48672696936/BIGBAS", "KET/HDFC"),
        ];
        let gate = |rows: &[RawRow]| {
            moves_words_to_lines_of_their_own(rows, 200.0, &super::words_printed_whole(rows))
        };
        assert!(!gate(&rows));
        rows.push(moved("UPI/DR/36178708180/BOOKMY", "SHOW/KKBK"));
        assert!(gate(&rows));
        // A word wrapper moving whole compounds that fill their line ("…/HDFC" / "BANK
        // LTD"): the words on both sides print whole elsewhere and never together.
        let mut rows = vec![
            moved("Razorpay/swiggy@axbk/HDFC", "BANK LTD/ICI"),
            moved("Razorpay/bkmyshow/Punjab", "National Bank"),
            moved("Razorpay/zepto@axis/Kotak", "Mahindra Bank"),
            moved("Razorpay/zepto@axis/State", "Bank Of India"),
        ];
        rows.push(row_of_lines(&[
            "HDFC BANK LTD Punjab National Kotak Mahindra State Bank",
        ]));
        assert!(!gate(&rows));
        // A wrapper that fills the line before cutting leaves no room on the line above.
        let filled =
            |line: &str, next: &str| row_of_lines(&["TO TRANSFER FROM ACCOUNTS", line, next]);
        let rows = [
            filled("UPI/DR/47260981447/GURPRE", "ET IYER"),
            filled("UPI/DR/48672696936/BIGBAS", "KET/HDFC"),
            filled("UPI/DR/36178708180/BOOKMY", "SHOW/KKBK"),
        ];
        assert!(!gate(&rows));
        // What the statement prints whole elsewhere: the handles "bigbasket@icici" and
        // "amazonpay@apl", "SUNRISE TEXTILES LTD", "Pay via".
        let elsewhere = two_line_row(
            "UPI/bigbasket@icici/amazonpay@apl/SUNRISE TEXTILES LTD/Pay via",
            "Razorpay",
        );
        let whole = super::words_printed_whole(&[elsewhere]);
        let cut = |first: &str, second: &str| {
            let mut row = two_line_row(first, second);
            row.narration_cut_at = words_cut_on_lines_of_their_own(&row, 200.0, &whole);
            row.narration_text()
        };
        // LibreOffice's "BIGBASK" / "ET": the word runs on.
        assert_eq!(
            cut("TRANSFER-UPI/4867269/BIGBASK", "ET/HDFC"),
            "TRANSFER-UPI/4867269/BIGBASKET/HDFC"
        );
        // Punctuation meeting the cut.
        assert_eq!(
            cut("NEFT*ICIC0261835*ICICN210450", "*ACME LTD"),
            "NEFT*ICIC0261835*ICICN210450*ACME LTD"
        );
        // "PAY" prints as a word of its own ("Pay via"): a name that filled its line.
        assert_eq!(
            cut("TRANSFER-UPI/3157117/AMAZON", "PAY INDIA"),
            "TRANSFER-UPI/3157117/AMAZON PAY INDIA"
        );
        // Words printed apart elsewhere and never together, a line holding a space, a line
        // short of the edge.
        assert_eq!(
            cut("NEFT/ICICN51459886/SUNRISE", "TEXTILES LTD"),
            "NEFT/ICICN51459886/SUNRISE TEXTILES LTD"
        );
        assert_eq!(
            cut("PAID TO BIGBASKET BIGBASK", "ET"),
            "PAID TO BIGBASKET BIGBASK ET"
        );
        assert_eq!(cut("UPI/BIGBASK", "ET"), "UPI/BIGBASK ET");
    }

    #[test]
    fn a_reference_the_statement_glues_to_a_word_is_undecided_at_a_line_end() {
        use super::{digits_then_letters, printed_glued_to_letters, WholeWords};
        let mut whole = WholeWords::default();
        whole.shapes.insert("OTHPOS#SWIGGY".to_string());
        assert!(digits_then_letters(
            "CARD-OTHPOS347243963280",
            "BIGBASKET--"
        ));
        assert!(!digits_then_letters("WDL/S1ARF", "J05/BANGALORE"));
        assert!(printed_glued_to_letters("CARD-OTHPOS347243963280", &whole));
        // A NEFT reference the statement never glues to a word: parted by the vocabulary.
        assert!(!printed_glued_to_letters(
            "NEFT-HDFCN35078041051409",
            &whole
        ));
        whole.shapes.insert("XOTHPOS#SWIGGY".to_string());
        assert!(!printed_glued_to_letters("NEFT-THPOS3472", &whole));
    }

    #[test]
    fn a_word_cut_where_the_wrapper_filled_its_line_continues_on_the_next() {
        use super::{words_cut_filling_their_lines, WholeWords};
        // 25 glyphs fill the column (4 points each, 100 to 200).
        let read = |lines: &[&str], whole: &WholeWords| {
            let mut row = row_of_lines(lines);
            row.narration_cut_at = words_cut_filling_their_lines(&row, (100.0, 200.0), whole)
                .into_iter()
                .map(|(y, _)| y)
                .collect();
            row.narration_text()
        };
        let none = WholeWords::default();
        // The handle "nimbus.pay@axisbank/Pay" is too long for a line after "NIMBUS/KKB/": the
        // wrapper filled the line and cut it.
        assert_eq!(
            read(
                &["UPI/DR/4871 NIMBUS/KKB/ni", "mbus.pay@axisbank/Pay via"],
                &none
            ),
            "UPI/DR/4871 NIMBUS/KKB/nimbus.pay@axisbank/Pay via"
        );
        // A word that fits on a line is moved to the next whole, never cut: "TRA" / "DERS"
        // filling the line is two words as far as this wrapper goes.
        assert_eq!(
            read(&["NEFT 123456 SAPTAGIRI TRA", "DERS LTD"], &none),
            "NEFT 123456 SAPTAGIRI TRA DERS LTD"
        );
        // A line holding one word that fills it, under a line with room to spare, ended a word:
        // the wrapper starts no line with a word it cuts.
        assert_eq!(
            read(&["PAID TO", "GOLDENLEAFTRADERSPVTLTD/X", "LEAF"], &none),
            "PAID TO GOLDENLEAFTRADERSPVTLTD/X LEAF"
        );
        // A word moved to a line of its own and cut there, where the pieces make a word of the
        // vocabulary ("P" / "ay").
        assert_eq!(
            read(
                &["PAID TO", "UPI/DR/1234567/FLIPKART/P", "ay via Razorpay"],
                &none
            ),
            "PAID TO UPI/DR/1234567/FLIPKART/Pay via Razorpay"
        );
        // Two words of the vocabulary that make none together were parted at a space; inside
        // a UPI handle they were not ("axis" / "bank" of "@axisbank").
        assert_eq!(
            read(
                &["UPI/DR/123456789012/SWATI", "PATEL/HDFC/swati.p@okaxis"],
                &none
            ),
            "UPI/DR/123456789012/SWATI PATEL/HDFC/swati.p@okaxis"
        );
        assert_eq!(
            read(
                &["IMPS 1234/zepto.payu@axis", "bank/Pay via Razorpay"],
                &none
            ),
            "IMPS 1234/zepto.payu@axisbank/Pay via Razorpay"
        );
        // Words the statement prints whole elsewhere and never together, too.
        let elsewhere = row_of_lines(&["TO KESTREL ANALYTICS"]);
        let whole = super::words_printed_whole(&[elsewhere]);
        assert_eq!(
            read(&["NEFT/PUNBN5320988/KESTREL", "ANALYTICS INDIA"], &whole),
            "NEFT/PUNBN5320988/KESTREL ANALYTICS INDIA"
        );
    }

    #[test]
    fn the_vocabulary_parts_names_initials_and_references_but_not_an_ifsc() {
        use super::vocabulary_parts_them as parts;
        let none = super::WholeWords::default();
        assert!(parts("IMPS-4632546-GURPREET", "M-ICIC-XXXX1562", &none));
        assert!(parts("NEFT/ORCHID/SUNRISE", "TEXTILES LTD", &none));
        assert!(parts(
            "GST PMT CIN QONL82562941604245",
            "GSTN/80QFFVH1Z4",
            &none
        ));
        assert!(!parts(
            "UPI-DMART-dmart.pos@sbi-ICIC",
            "0936780-4219",
            &none
        ));
        assert!(!parts(
            "UPI/CR/4949/sneha.r44@oksbi/Payme",
            "nt for order",
            &none
        ));
        // A reference's digits before a word, unless the statement prints the two glued.
        assert!(parts(
            "NEFT PUNBN46944341322420",
            "ORCHID HEALTHCARE",
            &none
        ));
        let glued =
            super::words_printed_whole(&[row_of_lines(&["CARD-OTHPOS4360886783BIGBASKET--"])]);
        assert!(!parts("CARD-OTHPOS3472439632", "BIGBASKET--", &glued));
        // An order number after "ORDER" is no bank's code run on.
        assert!(parts("REFUND-SWIGGY-ORDER", "HO0317462943", &none));
        assert!(!super::kept_apart(
            "NETBANK, MUM-HDFC",
            "N59999865304941-VENDOR",
            &{ super::words_printed_whole(&[row_of_lines(&["HDFC BANK"])]) }
        ));
    }

    #[test]
    fn a_line_broken_after_a_hyphen_inside_a_word_continues_it() {
        let row = two_line_row("NEFT-UTIBN4589-TATA CAPITAL-", "LOAN DISBURSAL");
        assert_eq!(
            row.narration_text(),
            "NEFT-UTIBN4589-TATA CAPITAL-LOAN DISBURSAL"
        );
        // A debit/credit marker's hyphen and a lone hyphen stand before a space.
        for (first, second, whole) in [
            ("ACH D-", "MAHINDRA FIN", "ACH D- MAHINDRA FIN"),
            ("NACH-DR-", "HDFC LTD", "NACH-DR- HDFC LTD"),
            ("CHQ DEP -", "MICR 1234", "CHQ DEP - MICR 1234"),
        ] {
            assert_eq!(two_line_row(first, second).narration_text(), whole);
        }
        // Unless the table prints that marker glued to the next word inside a line.
        let glued = two_line_row("NEFT CR-SBIN0150920-GOLDEN LEAF", "TRADERS");
        let mut broken = two_line_row("NEFT CR-", "HDFC0538104-KAVERI");
        let markers = super::markers_glued_to_the_next_word(&[glued.clone(), broken.clone()]);
        assert_eq!(markers, ["CR"]);
        broken.narration_glued_markers = markers;
        assert_eq!(broken.narration_text(), "NEFT CR-HDFC0538104-KAVERI");
        // A name's initial before a hyphen is no marker ("…-NEHA D-" / "UTIB-…"); after a
        // rail it is ("ACH D-" / "BAJAJ").
        assert_eq!(
            two_line_row("IMPS-4009207-NEHA D-", "UTIB-XXXXXXX3532-rent").narration_text(),
            "IMPS-4009207-NEHA D-UTIB-XXXXXXX3532-rent"
        );
        assert_eq!(
            two_line_row("ACH D-", "BAJAJ FINANCE").narration_text(),
            "ACH D- BAJAJ FINANCE"
        );
        // A marker printed both ways keeps its space.
        let spaced = two_line_row("NEFT CR- AXIS", "BANK");
        assert!(super::markers_glued_to_the_next_word(&[glued, spaced, broken]).is_empty());
    }

    #[test]
    fn lines_filled_to_the_edge_continue_their_word_where_the_table_breaks_anywhere() {
        // 25 glyphs fill the column: every line but a row's last reaches its right limit.
        let broken = |first: &str, second: &str| {
            assert_eq!(first.chars().count(), 25);
            two_line_row(first, second)
        };
        let mut rows: Vec<RawRow> = (0..8)
            .map(|_| broken("UPI/DR/34871053/MEERA BAN", "ERJEE/ICIC/rent"))
            .collect();
        assert!(breaks_words_anywhere(
            &rows,
            (100.0, 200.0),
            &super::WholeWords::default()
        ));
        for row in &mut rows {
            row.narration_breaks_anywhere = true;
        }
        assert_eq!(
            rows[0].narration_text(),
            "UPI/DR/34871053/MEERA BANERJEE/ICIC/rent"
        );
        // Word wrapping leaves the slack of the word it moved: the same lines, most of them
        // short of the limit, do not make the table break anywhere.
        rows.extend((0..4).map(|_| two_line_row("UPI/DR/34871053/MEERA", "BANERJEE/ICIC/rent")));
        assert!(!breaks_words_anywhere(
            &rows,
            (100.0, 200.0),
            &super::WholeWords::default()
        ));
    }

    #[test]
    fn a_punctuation_marks_habit_decides_a_line_ending_in_it_where_the_table_breaks_anywhere() {
        use super::punctuation_habits;
        // The statement prints "/" glued to what follows and "," before a space, inside
        // lines, every time: a line ending in either, short of the edge or at it, is read so.
        let mut rows: Vec<RawRow> = (0..6)
            .map(|_| two_line_row("UPI/DR/34871053/MEERA", "SHOP, KOLKATA"))
            .collect();
        let habits = punctuation_habits(&rows);
        assert!(habits.contains(&('/', true)) && habits.contains(&(',', false)));
        rows.push(two_line_row(
            "UPI/DR/371868549138/FARAH SHARMA/ICIC/",
            "farah.s81@okaxis",
        ));
        rows.push(two_line_row("RENT FOR FLAT 4B,", "KOLKATA"));
        for row in &mut rows {
            row.narration_breaks_anywhere = true;
            row.narration_punctuation.clone_from(&habits);
        }
        // The first line ends well short of the column's limit (200): geometry alone says
        // a space.
        rows[6].narration_edges[0].1.x1 = 190.0;
        assert_eq!(
            rows[6].narration_text(),
            "UPI/DR/371868549138/FARAH SHARMA/ICIC/farah.s81@okaxis"
        );
        // At the edge: geometry alone says the word goes on.
        rows[7].narration_edges[0].1.x1 = 200.0;
        assert_eq!(rows[7].narration_text(), "RENT FOR FLAT 4B, KOLKATA");
    }

    #[test]
    fn tokens_printed_whole_apart_were_parted_at_a_space() {
        use super::{tokens_printed_apart, words_printed_whole};
        let rows = vec![
            row_of_lines(&["NEFT-LOAN DISBURSAL A/C 1311779637 DONE"]),
            row_of_lines(&["IMPS-SELF TRANSFER FROM A/C XXXXXXXX4114 OK"]),
        ];
        let whole = words_printed_whole(&rows);
        // "TO" is a word of the vocabulary, "A/C" prints whole: "TOA/C" is printed nowhere.
        assert!(tokens_printed_apart(
            "SELF TRANSFER TO",
            "A/C XXXXXXXX4114",
            &whole
        ));
        // "A/C" prints whole, the mask's shape too.
        assert!(tokens_printed_apart("FROM A/C", "XXXXXXXX7444", &whole));
        // A mask cut inside stays one ("XXXX" / "XXXXXXXX2056").
        assert!(!tokens_printed_apart("CARDS XXXX", "XXXXXXXX2056", &whole));
        // An IFSC cut inside stays one.
        assert!(!tokens_printed_apart(
            "MARKETPLACE/IC",
            "IC0001234/zepto",
            &whole
        ));
        // A word cut where neither piece prints whole stays one.
        assert!(!tokens_printed_apart("FULLERTON IN", "DIA CREDIT", &whole));
    }

    #[test]
    fn a_wrap_the_words_decide_is_sure_and_one_the_gap_alone_reads_is_unsure() {
        use super::{
            words_ended_at_the_edge, words_joined_at_the_edge, words_maybe_apart_at_the_edge,
            words_printed_whole,
        };
        let mut rows = vec![
            row_of_lines(&["UPI/DR/1234/ZEPTO/Pay via Razorpay"]),
            two_line_row("UPI/DR/5678/UBER/Pay vi", "a Razorpay"),
            two_line_row("NEFT/ABCD QWE", "ZYRT/XYZ"),
            two_line_row("SMS ALERT CHARGES QTR", "INCL GST"),
        ];
        let whole = words_printed_whole(&rows);
        for row in &mut rows {
            row.narration_breaks_anywhere = true;
            row.narration_words_ended_at = words_ended_at_the_edge(row, &whole);
            row.narration_words_joined_at = words_joined_at_the_edge(row, &whole);
            row.narration_words_maybe_apart_at = words_maybe_apart_at_the_edge(row, &whole);
        }
        // "via" prints whole elsewhere: the word was cut, though the line ends 8 short of the
        // limit where the "a" (4 wide) would have fitted by the estimate.
        rows[1].narration_edges[0].1.x1 = 192.0;
        assert_eq!(
            rows[1].narration_text(),
            "UPI/DR/5678/UBER/Pay via Razorpay"
        );
        assert_eq!(rows[1].unsure_wraps(), 0);
        // Nothing says whether "QWE" and "ZYRT" are one word, and neither is a word: a line
        // filling its cell is read as one word; a slack a little wider than the "Z" as a
        // space, unsure; a slack of two glyphs as a space, sure.
        let read = |index: usize, x1: f32| {
            let mut row = rows[index].clone();
            row.narration_edges[0].1.x1 = x1;
            (row.narration_text(), row.unsure_wraps())
        };
        assert_eq!(read(2, 198.0), ("NEFT/ABCD QWEZYRT/XYZ".to_string(), 0));
        assert_eq!(read(2, 195.0), ("NEFT/ABCD QWE ZYRT/XYZ".to_string(), 1));
        assert_eq!(read(2, 192.0), ("NEFT/ABCD QWE ZYRT/XYZ".to_string(), 0));
        // "INCL" is a word of the vocabulary: "QTR" / "INCL" filling the cell may be two
        // words; read as one, unsure.
        assert_eq!(
            read(3, 198.0),
            ("SMS ALERT CHARGES QTRINCL GST".to_string(), 1)
        );
    }

    #[test]
    fn a_whole_date_before_a_word_at_a_wrap_was_parted_at_a_space() {
        // Printed seeds 247 and 268: "INT.PD:01-04-2024" filled its cell and "TO 30-06-2024"
        // went on on the next line; nothing else prints "2024" or "TO" whole, and the line
        // filled the cell, but a date with its year is a unit of its own.
        use super::{ends_in_whole_date, words_ended_at_the_edge, words_printed_whole};
        let mut rows = vec![
            row_of_lines(&["UPI/DR/1234/ZEPTO/Pay via Razorpay"]),
            two_line_row("INT.PD:01-04-2024", "TO 30-06-2024"),
            two_line_row("REF 2024-04-15T", "10:22 PAID"),
        ];
        let whole = words_printed_whole(&rows);
        for row in &mut rows {
            row.narration_breaks_anywhere = true;
            row.narration_words_ended_at = words_ended_at_the_edge(row, &whole);
        }
        rows[1].narration_edges[0].1.x1 = 199.0;
        assert_eq!(rows[1].narration_text(), "INT.PD:01-04-2024 TO 30-06-2024");
        assert_eq!(rows[1].unsure_wraps(), 0);
        assert!(ends_in_whole_date("SALARY 30/06/24"));
        assert!(ends_in_whole_date("CHQ/30-Jun-2024"));
        assert!(!ends_in_whole_date("CHQ/30-Jun"));
        assert!(!ends_in_whole_date("REF20240615"));
        assert!(!ends_in_whole_date("A/C 1-2-34567"));
        // A statement printing a date glued to letters inside a line shows the habit: the
        // date tells nothing there.
        let glued = vec![
            row_of_lines(&["INT.PD:01-01-2024TO 31-03-2024"]),
            two_line_row("INT.PD:01-04-2024", "TO 30-06-2024"),
        ];
        let whole = words_printed_whole(&glued);
        assert!(words_ended_at_the_edge(&glued[1], &whole).is_empty());
    }

    #[test]
    fn a_table_cutting_words_it_prints_whole_breaks_anywhere_with_a_space_and_a_glyph_of_slack() {
        // Printed seed 202: a wide narration whose browser broke at spaces as often as inside
        // words; the lines end up to a space and the next glyph short of the limit, more than
        // one glyph, yet cut words the statement prints whole ("Razor" / "pay").
        use super::{words_printed_whole, WholeWords};
        let mut rows = vec![row_of_lines(&["UPI/DR/9 Pay via Razorpay"])];
        rows.extend((0..6).map(|_| {
            let mut row = two_line_row("UPI/DR/1234 ZEPTO Razor", "pay via Razorpay");
            row.narration_edges[0].1.x1 = 193.0;
            row
        }));
        let whole = words_printed_whole(&rows);
        assert!(breaks_words_anywhere(&rows, (100.0, 200.0), &whole));
        // The same slack with no word the statement prints whole cut is a word wrapper's.
        assert!(!breaks_words_anywhere(
            &rows,
            (100.0, 200.0),
            &WholeWords::default()
        ));
    }

    #[test]
    fn a_listed_word_with_its_slash_before_a_number_and_a_words_ending_are_read_by_the_words() {
        // Printed seeds 219 and 239: "… DISBURSAL A/C" / "9391716355" was parted at a space
        // ("A/C" is the vocabulary's "ac"); "CREDIT INTEREST CAPITAL" / "ISED" is one word.
        use super::{vocabulary_parts_them, WholeWords};
        let whole = WholeWords::default();
        assert!(vocabulary_parts_them(
            "HDFC LTD-LOAN DISBURSAL A/C",
            "9391716355",
            &whole
        ));
        assert!(vocabulary_parts_them(
            "TRANSFER TO A/C",
            "XXXXXXXX7444",
            &whole
        ));
        assert!(!vocabulary_parts_them("UPI/DR/1234/A/C", "ABC", &whole));
        assert!(!vocabulary_parts_them(
            "CREDIT INTEREST CAPITAL",
            "ISED",
            &whole
        ));
        // A word of the vocabulary before letters that make no word with it still parts them.
        assert!(vocabulary_parts_them("SUNRISE", "TEXTILES", &whole));
    }

    #[test]
    fn a_mark_printed_alone_at_a_wrap_keeps_its_spaces_where_the_table_breaks_anywhere() {
        // Printed seed 239: "CHQ DEP - MICR 663979814 - PUNJAB NATIONAL BANK - CTS CLG" with
        // both wraps at a lone hyphen's space, the lines filling their cell.
        let mut row = row_of_lines(&[
            "CHQ DEP - MICR 663979814",
            "- PUNJAB NATIONAL BANK -",
            "CTS CLG",
        ]);
        row.narration_breaks_anywhere = true;
        for (_, edges) in row.narration_edges.iter_mut().take(2) {
            edges.x1 = 199.0;
        }
        assert_eq!(
            row.narration_text(),
            "CHQ DEP - MICR 663979814 - PUNJAB NATIONAL BANK - CTS CLG"
        );
        assert_eq!(row.unsure_wraps(), 0);
    }

    #[test]
    fn one_side_printed_whole_against_a_line_filling_its_cell_is_unsure() {
        // Printed seed 239: "CAPITAL" printed whole ("TATA CAPITAL") made "CAPITAL" / "ISED"
        // two words although the line fills its cell: such a reading is unsure (a word of no
        // list, so only the statement's own printing speaks).
        use super::{word_ends_at_the_edge, words_printed_whole};
        let mut rows = vec![
            row_of_lines(&["ACH D- TATA ZORBEX FINANCE"]),
            two_line_row("CREDIT INTEREST ZORBEX", "ISED"),
        ];
        let whole = words_printed_whole(&rows);
        let row = &mut rows[1];
        row.narration_breaks_anywhere = true;
        row.narration_edges[0].1.x1 = 199.0;
        let ends = word_ends_at_the_edge(row, &whole);
        assert_eq!(ends, vec![(10.0, false)]);
        row.narration_words_ended_at = vec![10.0];
        row.narration_words_weakly_ended_at = vec![10.0];
        assert_eq!(row.unsure_wraps(), 1);
        // Ending well short of the edge, the space is sure.
        row.narration_edges[0].1.x1 = 190.0;
        assert_eq!(row.unsure_wraps(), 0);
    }

    #[test]
    fn slack_wider_than_the_next_lines_first_glyph_is_a_space_where_the_table_breaks_anywhere() {
        // The column ends at 200; "KOLKATA"'s "K" is about 4 wide. A line ending 5 short of
        // the limit could have taken it: the browser broke at a space, whatever the glyphs of
        // the line's own last word ("AT", 4 each, half again 6) would allow.
        let row = |first: &str, x1: f32, second: &str| {
            let mut row = two_line_row(first, second);
            row.narration_edges[0].1.x1 = x1;
            row.narration_breaks_anywhere = true;
            row
        };
        assert_eq!(
            row("CASH DEPOSIT BY SELF AT", 195.0, "KOLKATA BRANCH").narration_text(),
            "CASH DEPOSIT BY SELF AT KOLKATA BRANCH"
        );
        // 3 short of it, the "K" did not fit: the word goes on.
        assert_eq!(
            row("CASH DEPOSIT BY SELF KOL", 197.0, "KATA BRANCH").narration_text(),
            "CASH DEPOSIT BY SELF KOLKATA BRANCH"
        );
    }

    #[test]
    fn a_space_the_browser_broke_at_the_edge_is_kept_where_both_words_print_whole() {
        let mut row = two_line_row("UPI/DR/4871/ZEPTO/Pay", "via Razorpay");
        row.narration_breaks_anywhere = true;
        let mut other = two_line_row("UPI/DR/4872/DMART/Pay via Razo", "rpay");
        other.narration_breaks_anywhere = true;
        let whole = super::words_printed_whole(&[row.clone(), other.clone()]);
        // "Pay" and "via" print whole in the other row, "Payvia" nowhere: a space.
        row.narration_words_ended_at = super::words_ended_at_the_edge(&row, &whole);
        assert_eq!(row.narration_words_ended_at, vec![10.0]);
        // "Razo" and "rpay" are printed whole nowhere: the word goes on.
        assert!(!whole.contains("Razo") && whole.contains("Razorpay"));
        other.narration_words_ended_at = super::words_ended_at_the_edge(&other, &whole);
        assert!(other.narration_words_ended_at.is_empty());
        // A payee's name in capitals ends a line before every surname: it prints whole in
        // the payee's handle, so the space stays; a handle's lowercase letters must print as
        // they are ("ola" / "cabs@ybl" beside the name "OLA CABS" goes on).
        let mut name = two_line_row(
            "UPI/DR/4531/ANJALI",
            "MENON/PUNB/anjali.m26@okhdfcbank/rent",
        );
        name.narration_breaks_anywhere = true;
        let mut handle = two_line_row("UPI/DR/4532/OLA CABS/PUNB/ola", "cabs@ybl/Pay");
        handle.narration_breaks_anywhere = true;
        let whole = super::words_printed_whole(&[name.clone(), handle.clone()]);
        assert!(!whole.contains("MENON") && !whole.contains("ola"));
        assert_eq!(super::words_ended_at_the_edge(&name, &whole), vec![10.0]);
        assert!(super::words_ended_at_the_edge(&handle, &whole).is_empty());
        // No line begins with a slash: a line cut before "N/" may leave the slack of both.
        assert_eq!(super::first_unit("N/aditi.s84@oksbi"), 2.0);
        assert_eq!(super::first_unit("via Razorpay"), 1.0);
    }

    #[test]
    fn pages_read_on_several_threads_come_back_in_order() {
        for pages in [0, 1, 15, 16, 33, 120] {
            let numbers: Vec<usize> = (1..=pages).collect();
            let read = each_page(&numbers, |n| format!("page {n}"));
            let expected: Vec<String> = numbers.iter().map(|n| format!("page {n}")).collect();
            assert_eq!(read, expected);
        }
    }

    #[test]
    fn continuation_notes_say_only_that_a_row_goes_on() {
        for note in [
            "contd.",
            "(Contd.)",
            "Continued...",
            "..contd",
            "Continued from previous page",
        ] {
            assert!(is_continuation_note(note), "{note}");
        }
        for text in [
            "",
            "CONTINENTAL TRADERS",
            "contd. 1,200.00",
            "Continued on 2 pages",
            "page",
        ] {
            assert!(!is_continuation_note(text), "{text}");
        }
    }

    #[test]
    fn recognises_page_numbers_only() {
        for text in [
            "- 2 -",
            "2",
            "2/7",
            "Page 2 of 7",
            "Page No .: 3",
            "(4)",
            "Pg 2 / 9",
        ] {
            assert!(is_page_number(text), "{text}");
        }
        for text in ["4128187084", "A/C 2796625611", "Razorpay", "12 Jan", ""] {
            assert!(!is_page_number(text), "{text}");
        }
    }

    #[test]
    fn a_lone_number_under_the_heading_is_no_page_number() {
        // A row cut at the page break: its last line ("2023") under the repeated heading, a
        // row gap above the next row's text; the page number is the page's last line.
        let lines = [
            line(60.3, &[("2023", 137.0, 157.0)]),
            line(75.6, &[("UPI/DR/460945345115/RAHUL", 137.0, 263.1)]),
            line(
                800.0,
                &[
                    ("-", 537.9, 540.7),
                    ("2", 543.1, 547.8),
                    ("-", 550.2, 553.0),
                ],
            ),
        ];
        let text = |c: &Line| Classified {
            y: c.y,
            size: c.size,
            kind: LineKind::Continuation(RawRow::default()),
            ends_row_above: false,
            notes_continuation: false,
            prints_totals: false,
        };
        let is_text = |c: &Classified| matches!(c.kind, LineKind::Continuation(_));
        let mut under: Vec<Classified> = lines.iter().map(text).collect();
        mark_page_numbers(&lines, &mut under, true);
        assert!(is_text(&under[0]) && !is_text(&under[2]));
        let mut top: Vec<Classified> = lines.iter().map(text).collect();
        mark_page_numbers(&lines, &mut top, false);
        assert!(!is_text(&top[0]));
    }

    #[test]
    fn a_rows_last_digits_opening_a_page_of_padded_rows_are_no_page_number() {
        // Rows padded apart (17.5 points between rows, 14 inside one): the previous page's
        // last row ends with "831" at this page's top, a row's gap above the next row's text
        // and at that text's left edge. A centred "2" a row's gap above is a page number.
        let page = |top: (&'static str, f32, f32)| {
            let lines = vec![
                line(26.0, &[top]),
                line(43.5, &[("CASH DEPOSIT BY SELF AT", 70.0, 160.0)]),
                line(
                    57.5,
                    &[("06-Oct-23", 20.0, 60.0), ("28,000.0", 400.0, 440.0)],
                ),
                line(71.5, &[("MUMBAI BRANCH", 70.0, 130.0)]),
                line(89.0, &[("ACH D- BAJAJ FINANCE LT", 70.0, 160.0)]),
                line(
                    103.0,
                    &[("08-Oct-23", 20.0, 60.0), ("17,622.0", 400.0, 440.0)],
                ),
            ];
            let classified: Vec<Classified> = lines
                .iter()
                .map(|l| Classified {
                    y: l.y,
                    size: l.size,
                    kind: if l.words.len() == 2 {
                        LineKind::Dated(RawRow::default())
                    } else {
                        LineKind::Continuation(RawRow::default())
                    },
                    ends_row_above: false,
                    notes_continuation: false,
                    prints_totals: false,
                })
                .collect();
            (lines, classified)
        };
        let (lines, mut digits) = page(("831", 70.0, 84.0));
        mark_page_numbers(&lines, &mut digits, false);
        assert!(matches!(digits[0].kind, LineKind::Continuation(_)));
        let (lines, mut numbered) = page(("2", 300.0, 305.0));
        mark_page_numbers(&lines, &mut numbered, false);
        assert!(matches!(numbered[0].kind, LineKind::Other));
    }

    #[test]
    fn a_footer_under_below_rows_makes_no_pitch() {
        // "Below" rows: a dated line, its wrapped line under it; the page's footer at the
        // narration's margin three rows' height lower is no cell's line.
        let at = |y: f32, dated: bool| Classified {
            y,
            size: 8.0,
            kind: if dated {
                LineKind::Dated(RawRow::default())
            } else {
                LineKind::Continuation(RawRow::default())
            },
            ends_row_above: false,
            notes_continuation: false,
            prints_totals: false,
        };
        let pages: Vec<(usize, Vec<Classified>, bool)> = (1..=4)
            .map(|page| {
                let lines = vec![
                    at(50.0, true),
                    at(62.4, false),
                    at(77.9, true),
                    at(90.3, false),
                    at(132.0, false),
                ];
                (page, lines, true)
            })
            .collect();
        assert!(!dated_lines_sit_between_text_lines(&pages));
    }

    #[test]
    fn a_page_number_between_dashes_is_furniture_anywhere() {
        for text in ["- 2 -", "-2-", " - 113 - "] {
            assert!(is_dashed_page_number(text), "{text}");
        }
        for text in ["2", "- 2", "-12345-", "- A -", "-", "--", "- 2 - PAYMENT"] {
            assert!(!is_dashed_page_number(text), "{text}");
        }
    }

    /// A centred page's lines: text lines (Continuation) and anchors (Dated, with or without
    /// text on them), by baseline.
    fn centred_page(lines: &[(f32, &str, bool)]) -> Vec<Classified> {
        lines
            .iter()
            .map(|&(y, text, anchor)| {
                let row = RawRow {
                    narration: if text.is_empty() {
                        Vec::new()
                    } else {
                        vec![(y, text.to_string())]
                    },
                    ..RawRow::default()
                };
                Classified {
                    y,
                    size: 8.3,
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

    #[test]
    fn a_last_rows_rest_on_a_page_of_no_rows_is_that_rows_text() {
        // Printed seeds 254 and 257 (page_zebra): Chrome split the table's last row at a page
        // break; its second line, past the row's reach, waited for a next row's anchor, and
        // its third opens the last page under the repeated heading, with no row after it.
        use super::{assemble, WrapMode};
        let with_money = |mut lines: Vec<Classified>, page: usize| {
            for c in &mut lines {
                match &mut c.kind {
                    LineKind::Dated(row) => {
                        row.page = page;
                        row.debit = Some("6,301.00".to_string());
                        row.balance = Some("4,18,206.51".to_string());
                    }
                    LineKind::Continuation(row) => row.page = page,
                    _ => {}
                }
            }
            lines
        };
        let first = with_money(
            centred_page(&[
                (60.0, "UPI/111/Pay via", false),
                (69.7, "Razorpay/zepto.payu@axisbank", true),
                (79.4, "Ltd/ICIkvc279166690", false),
                (93.3, "UPI/419018957154/rent", true),
                (103.0, "share/gurpreet.p39@okhdfcbank/State Bank Of", false),
            ]),
            1,
        );
        let last = with_money(centred_page(&[(40.0, "India/ICIlrv687370436", false)]), 2);
        let (rows, _, unclaimed) = assemble(
            vec![(1, first, true), (2, last, true)],
            WrapMode::Centred,
            true,
            &[],
        );
        assert_eq!(rows.len(), 2);
        assert_eq!(
            rows[1].narration_text(),
            "UPI/419018957154/rent share/gurpreet.p39@okhdfcbank/State Bank Of India/ICIlrv687370436"
        );
        assert!(unclaimed.is_empty());
    }

    #[test]
    fn a_rows_end_split_to_the_next_page_is_told_from_the_first_rows_top() {
        // Chrome split the last row of the page before: its last line ("order") opens this
        // page, a row's padding (13.9) above the first row's top line; a cell's lines are 9.7
        // apart.
        let page = centred_page(&[
            (60.4, "order", false),
            (74.3, "NEFT-UTIBN40591509717055-BLUE", false),
            (79.2, "", true),
            (84.0, "STEEL SUPPLIERS-INV PAYMENT", false),
            (97.9, "NEFT-IOBAN34679854211097-SHREE", false),
            (102.8, "", true),
            (107.7, "GANESH FOODS LLP-PAYMENT", false),
            (121.5, "UPI/CR/473047208601/SNEHA", false),
            (131.3, "SHARMA/HDFC/sneha.s39@paytm/Payment", true),
            (141.0, "for order", false),
        ]);
        assert_eq!(tail_of_row_above(&page, 0), 1);
        // Rows drawn a pitch and a quarter apart with no padding: the page's first lines are
        // its first row's.
        let page = centred_page(&[
            (32.0, "UPI/DR/463371566968/", false),
            (46.3, "BOOKMYSHOW/KKBK/b", false),
            (53.5, "", true),
            (60.6, "ookmyshow@icici/Pay", false),
            (74.9, "via Razorpay", false),
            (92.8, "UPI/DR/427966639583/", false),
            (107.1, "FLIPKART INTERNET/PU", false),
            (114.2, "", true),
            (121.4, "NB/flipkart.payu@hdfc", false),
            (135.7, "bank/Pay via Razorpay", false),
            (153.6, "UPI/CR/452833052060/", false),
            (167.9, "GURPREET IYER", true),
            (182.2, "loan return", false),
        ]);
        assert_eq!(tail_of_row_above(&page, 0), 0);
    }

    #[test]
    fn a_page_headers_printing_time_is_not_a_cut_dates_tail() {
        let heading = line(
            40.0,
            &[
                ("S.No", 10.0, 28.0),
                ("Date", 40.0, 60.0),
                ("Narration", 161.0, 200.0),
                ("Debit", 455.0, 488.0),
                ("Balance", 530.0, 572.0),
            ],
        );
        let coverage = [
            (10.0, 28.0),
            (40.0, 78.2),
            (161.0, 256.3),
            (455.6, 488.0),
            (528.8, 572.0),
        ];
        let header = find_header(&[heading], &coverage).expect("a heading");
        let grid = ColumnGrid::new(&header, &coverage);
        let body = |page: usize, lines: Vec<Line>| TableBody {
            page,
            lines,
            date_tail_ys: Vec::new(),
            grid: grid.clone(),
            has_header: page == 1,
            opens_under_heading: page == 1,
        };
        let last_row = || {
            line(
                700.0,
                &[
                    ("83", 14.0, 24.0),
                    ("29-08-2024", 40.0, 78.2),
                    ("NEFT-BLUEWAVE", 161.0, 230.0),
                    ("1,000.00", 455.6, 488.0),
                    ("5,000.00", 528.8, 572.0),
                ],
            )
        };
        // A browser's page header on the next page, which repeats no heading: a smaller line
        // whose time follows a date of its own.
        let stamp = |size: f32| Line {
            size,
            ..line(
                22.5,
                &[
                    ("12/6/26,", 4.0, 30.0),
                    ("8:44", 40.0, 52.0),
                    ("PM", 54.0, 62.0),
                    ("Bank", 300.0, 320.0),
                ],
            )
        };
        for size in [7.0, 8.5] {
            let mut bodies = vec![body(1, vec![last_row()]), body(2, vec![stamp(size)])];
            join_date_tails_across_pages(&mut bodies);
            assert_eq!(
                bodies[0].lines[0].words[1].text, "29-08-2024",
                "size {size}"
            );
            assert_eq!(bodies[1].lines[0].words.len(), 4);
        }
        // The cut cell's own time, in the row's font, still joins its date.
        let tail = line(60.0, &[("10:15", 40.0, 62.0), ("SALARY", 161.0, 190.0)]);
        let mut bodies = vec![body(1, vec![last_row()]), body(2, vec![tail])];
        join_date_tails_across_pages(&mut bodies);
        assert_eq!(bodies[0].lines[0].words[1].text, "29-08-2024 10:15");
        assert_eq!(bodies[1].lines[0].text(), "SALARY");
    }
}
