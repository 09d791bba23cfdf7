//! Parsing the cell values of Indian bank statements: dates, money amounts and Dr/Cr markers.
//!
//! Everything here is a hand-written byte scanner rather than a regex: the grammar is small, the
//! functions run on every cell of every page, and strictness (exact comma positions, day-first
//! dates, no trailing junk) matters more than flexibility because a false positive turns a
//! narration fragment into a transaction.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use rust_decimal::Decimal;
use serde::Serialize;

// ---------------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------------

/// Parses a cell that is exactly a date, optionally followed by a time of day.
///
/// Day-first always (Indian convention); two-digit years mean 20yy. Surrounding whitespace is
/// ignored, anything else left over makes the whole cell "not a date".
pub fn parse_date(s: &str) -> Option<NaiveDateTime> {
    let trimmed = s.trim();
    let (date, consumed) = find_date_prefix(trimmed)?;
    (consumed == trimmed.len()).then_some(date)
}

/// True when the whole cell is a date (see [`parse_date`]).
pub fn looks_like_date(s: &str) -> bool {
    parse_date(s).is_some()
}

/// Finds a date (plus optional time) at the very start of `s`, returning it with the number of
/// bytes it occupies, so callers can split cells such as `"05/01/2024 UPI/123/..."`.
///
/// Leading whitespace is skipped and counted in the length. The date must not run into further
/// digits (`"05/01/20245"` is not a date), but may run into letters, because PDF text extraction
/// often glues the narration to the date.
pub fn find_date_prefix(s: &str) -> Option<(NaiveDateTime, usize)> {
    let bytes = s.as_bytes();
    let start = bytes.iter().take_while(|b| b.is_ascii_whitespace()).count();
    let mut scanner = Scanner { bytes, pos: start };
    let date = scan_date(&mut scanner)?;
    let date_end = scanner.pos;
    let (time, end) = match scan_time(&mut scanner) {
        Some(time) => (time, scanner.pos),
        None => (NaiveTime::MIN, date_end),
    };
    Some((date.and_time(time), end))
}

/// Cursor over ASCII bytes; every scan either advances past what it recognised or restores.
struct Scanner<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn eat(&mut self, wanted: u8) -> bool {
        let found = self.peek() == Some(wanted);
        if found {
            self.pos += 1;
        }
        found
    }

    /// Reads between `min` and `max` ASCII digits; restores and fails on any other count.
    fn digits(&mut self, min: usize, max: usize) -> Option<u32> {
        let run = self.bytes[self.pos..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if run < min || run > max {
            return None;
        }
        let value = self.bytes[self.pos..self.pos + run]
            .iter()
            .fold(0u32, |acc, b| acc * 10 + u32::from(b - b'0'));
        self.pos += run;
        Some(value)
    }

    fn skip_spaces(&mut self) -> usize {
        let run = self.bytes[self.pos..]
            .iter()
            .take_while(|b| **b == b' ' || **b == b'\t')
            .count();
        self.pos += run;
        run
    }

    /// Reads a run of ASCII letters.
    fn letters(&mut self) -> &[u8] {
        let run = self.bytes[self.pos..]
            .iter()
            .take_while(|b| b.is_ascii_alphabetic())
            .count();
        let word = &self.bytes[self.pos..self.pos + run];
        self.pos += run;
        word
    }

    fn at_digit(&self) -> bool {
        self.peek().is_some_and(|b| b.is_ascii_digit())
    }

    /// Runs `scan`, rewinding if it fails, so alternatives can be tried in turn.
    fn attempt<T>(&mut self, scan: impl FnOnce(&mut Self) -> Option<T>) -> Option<T> {
        let saved = self.pos;
        let result = scan(self);
        if result.is_none() {
            self.pos = saved;
        }
        result
    }
}

fn scan_date(sc: &mut Scanner) -> Option<NaiveDate> {
    sc.attempt(scan_iso_date)
        .or_else(|| sc.attempt(scan_numeric_date))
        .or_else(|| sc.attempt(scan_day_month_name_date))
        .or_else(|| sc.attempt(scan_month_name_first_date))
        .or_else(|| sc.attempt(scan_glued_date))
}

/// `05MAR2024`, `05MAR24`: day, month abbreviation and year with nothing between them. Being
/// easy to meet inside a reference, it must stand alone: two-digit day, three letters, and
/// no letter or digit after the year.
fn scan_glued_date(sc: &mut Scanner) -> Option<NaiveDate> {
    let day = sc.digits(2, 2)?;
    let name = sc.letters();
    (name.len() == 3).then_some(())?;
    let month = month_from_name(name)?;
    let year = scan_year(sc)?;
    (!sc.peek().is_some_and(|b| b.is_ascii_alphabetic())).then_some(())?;
    make_date(year, month, day)
}

/// `2024-01-05`.
fn scan_iso_date(sc: &mut Scanner) -> Option<NaiveDate> {
    let year = sc.digits(4, 4)?;
    let sep = sc.peek().filter(|b| matches!(b, b'-' | b'/' | b'.'))?;
    sc.pos += 1;
    let month = sc.digits(1, 2)?;
    sc.eat(sep).then_some(())?;
    let day = sc.digits(1, 2)?;
    ends_cleanly(sc)?;
    let year = year as i32;
    YEAR_RANGE.contains(&year).then_some(())?;
    make_date(year, month, day)
}

/// `05/01/2024`, `5-1-24`, `05.01.2024`: day, month, year with one repeated separator.
fn scan_numeric_date(sc: &mut Scanner) -> Option<NaiveDate> {
    let day = sc.digits(1, 2)?;
    let sep = sc.peek().filter(|b| matches!(b, b'/' | b'-' | b'.'))?;
    sc.pos += 1;
    let month = sc.digits(1, 2)?;
    sc.eat(sep).then_some(())?;
    let year = scan_year(sc)?;
    make_date(year, month, day)
}

/// `05-Jan-2024`, `05 JAN 24`, `1 January 2024`, `05/Jan/2024`.
fn scan_day_month_name_date(sc: &mut Scanner) -> Option<NaiveDate> {
    let day = sc.digits(1, 2)?;
    let sep = sc
        .peek()
        .filter(|b| matches!(b, b'/' | b'-' | b'.' | b' '))?;
    sc.pos += 1;
    let month = month_from_name(sc.letters())?;
    if sep == b' ' {
        // "5 Jun'25": an apostrophe before a two-digit year (Paytm's UPI statement).
        if let Some(year) = sc.attempt(scan_apostrophe_year) {
            return make_date(year, month, day);
        }
        // "05 Jan, 2024" is printed by some net-banking exports.
        sc.eat(b',');
        (sc.skip_spaces() > 0).then_some(())?;
    } else {
        sc.eat(sep).then_some(())?;
    }
    let year = scan_year(sc)?;
    make_date(year, month, day)
}

/// `Jan 05, 2024` / `January 5 2024` / `June30, 2025` (net-banking exports glue the day on).
fn scan_month_name_first_date(sc: &mut Scanner) -> Option<NaiveDate> {
    let month = month_from_name(sc.letters())?;
    sc.skip_spaces();
    let day = sc.digits(1, 2)?;
    sc.eat(b',');
    (sc.skip_spaces() > 0).then_some(())?;
    let year = scan_year(sc)?;
    make_date(year, month, day)
}

/// `'25` or `’25` glued to the month's name: an apostrophe (straight or typographic, as a font
/// may map it) and two digits meaning 20yy, nothing glued after them.
fn scan_apostrophe_year(sc: &mut Scanner) -> Option<i32> {
    const TYPOGRAPHIC: &[u8] = "\u{2019}".as_bytes();
    if sc.bytes[sc.pos..].starts_with(TYPOGRAPHIC) {
        sc.pos += TYPOGRAPHIC.len();
    } else {
        sc.eat(b'\'').then_some(())?;
    }
    let year = 2000 + sc.digits(2, 2)? as i32;
    ends_cleanly(sc)?;
    (!sc.peek().is_some_and(|b| b.is_ascii_alphabetic())).then_some(year)
}

/// Four-digit year, or two digits meaning 20yy; must not be followed by another digit.
fn scan_year(sc: &mut Scanner) -> Option<i32> {
    let year = sc
        .attempt(|sc| sc.digits(4, 4))
        .map(|y| y as i32)
        .or_else(|| sc.attempt(|sc| sc.digits(2, 2)).map(|y| 2000 + y as i32))?;
    ends_cleanly(sc)?;
    YEAR_RANGE.contains(&year).then_some(year)
}

/// Years a statement can plausibly mention; outside this a "date" is a reference fragment.
const YEAR_RANGE: std::ops::RangeInclusive<i32> = 1900..=2099;

fn ends_cleanly(sc: &Scanner) -> Option<()> {
    (!sc.at_digit()).then_some(())
}

fn make_date(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day)
}

fn month_from_name(word: &[u8]) -> Option<u32> {
    const FULL: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    // Compared ignoring ASCII case in place: every date read asks, and a lower-cased copy per
    // word was an allocation each time.
    FULL.iter()
        .position(|full| {
            full.as_bytes().eq_ignore_ascii_case(word)
                || (word.len() == 3 && full.as_bytes()[..3].eq_ignore_ascii_case(word))
        })
        .or_else(|| b"sept".eq_ignore_ascii_case(word).then_some(8))
        .map(|index| index as u32 + 1)
}

/// A day and month printed without a year (`May 02`, `02 May`, `02-May`), as some statements
/// print their rows when the period header already names the year. Returns (month, day).
pub fn parse_day_month(s: &str) -> Option<(u32, u32)> {
    let trimmed = s.trim();
    let mut sc = Scanner {
        bytes: trimmed.as_bytes(),
        pos: 0,
    };
    let (month, day) = sc
        .attempt(|sc| {
            let day = sc.digits(1, 2)?;
            sc.peek().filter(|b| matches!(b, b'-' | b' ' | b'/'))?;
            sc.pos += 1;
            sc.skip_spaces();
            let month = month_from_name(sc.letters())?;
            // "01 Mar," over "2023": a day-first date cut before its year.
            sc.eat(b',');
            Some((month, day))
        })
        .or_else(|| {
            sc.attempt(|sc| {
                let month = month_from_name(sc.letters())?;
                sc.skip_spaces();
                let day = sc.digits(1, 2)?;
                // "Jan 05," / "August28," over "2024": a month-first date cut before its year.
                sc.eat(b',');
                Some((month, day))
            })
        })?;
    (sc.pos == sc.bytes.len() && (1..=31).contains(&day)).then_some((month, day))
}

/// The date `day month` falls on within a statement period: the year that puts it inside the
/// period (or nearest to it), so a December–January statement gets both years right.
pub fn date_in_period(
    (month, day): (u32, u32),
    from: NaiveDate,
    to: NaiveDate,
) -> Option<NaiveDateTime> {
    use chrono::Datelike;
    let candidates = (from.year() - 1..=to.year() + 1).filter_map(|y| make_date(y, month, day));
    let distance = |d: &NaiveDate| {
        if *d < from {
            (from - *d).num_days()
        } else if *d > to {
            (*d - to).num_days()
        } else {
            0
        }
    };
    candidates
        .min_by_key(distance)
        .filter(|d| distance(d) <= 62)
        .map(|d| d.and_time(NaiveTime::MIN))
}

/// Whether `s` is a time of day alone (`10:15`, `10:15:22`, `10:15 AM`), as printed on a date
/// cell's second line.
pub fn is_time_of_day(s: &str) -> bool {
    let padded = format!(" {}", s.trim());
    let mut sc = Scanner {
        bytes: padded.as_bytes(),
        pos: 0,
    };
    scan_time(&mut sc).is_some() && sc.pos == padded.len()
}

/// Optional time after a date: a comma or not, whitespace, `hh:mm`, optional `:ss`, optional
/// `AM`/`PM` ("02 May 2025, 10:42 AM", as apps print it).
fn scan_time(sc: &mut Scanner) -> Option<NaiveTime> {
    sc.attempt(|sc| {
        sc.eat(b',');
        (sc.skip_spaces() > 0).then_some(())?;
        let mut hour = sc.digits(1, 2)?;
        sc.eat(b':').then_some(())?;
        let minute = sc.digits(2, 2)?;
        let second = sc
            .attempt(|sc| {
                sc.eat(b':').then_some(())?;
                sc.digits(2, 2)
            })
            .unwrap_or(0);
        ends_cleanly(sc)?;
        if let Some(is_pm) = sc.attempt(scan_meridiem) {
            if !(1..=12).contains(&hour) {
                return None;
            }
            hour = hour % 12 + if is_pm { 12 } else { 0 };
        }
        NaiveTime::from_hms_opt(hour, minute, second)
    })
}

/// ` AM` / `PM` (space optional); returns whether it is PM.
fn scan_meridiem(sc: &mut Scanner) -> Option<bool> {
    sc.skip_spaces();
    let word = sc.letters().to_ascii_lowercase();
    match word.as_slice() {
        b"am" => Some(false),
        b"pm" => Some(true),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Amounts
// ---------------------------------------------------------------------------------------------

/// Which side of the account an amount or balance sits on, as printed by a Cr/Dr marker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Credit,
    Debit,
}

/// A money amount as printed in a cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Amount {
    /// The number with its printed sign (`-`, parentheses, trailing minus make it negative).
    pub value: Decimal,
    /// Set when the cell carried a Cr/Dr marker; the marker does not change `value`'s sign.
    pub side: Option<Side>,
}

impl Amount {
    /// The amount read as a balance: a Dr marker means the account is overdrawn, so the
    /// magnitude becomes negative; otherwise the printed sign stands.
    pub fn signed_balance(&self) -> Decimal {
        match self.side {
            Some(Side::Debit) => -self.value.abs(),
            _ => self.value,
        }
    }
}

/// Longest integer part accepted without any grouping comma or decimal point: anything longer
/// is a reference or account number, not money.
const MAX_BARE_INTEGER_DIGITS: usize = 12;
/// Longest integer part accepted at all (₹ 10^15 is beyond any statement).
const MAX_INTEGER_DIGITS: usize = 15;

/// Parses a money cell: Indian (`1,23,456.78`) or western (`123,456.78`) grouping, optional
/// currency (`₹`, `Rs.`, `INR`), sign (`-`, `+`, `(…)`, trailing `-`) and Cr/Dr marker.
/// A figure ending `text` ("…SWIGGY 13,641.05", "…HDFC 14,658"), with the text before it: an
/// amount printed against the narration column. A figure has a decimal point or digit-group
/// commas, or is a short run of digits (whole rupees printed bare); a longer run is a reference.
pub fn figure_ending(text: &str) -> Option<(&str, Amount)> {
    let (head, last) = text.rsplit_once(' ').unwrap_or(("", text));
    let has_digit = last.chars().any(|c| c.is_ascii_digit());
    let formatted = last.contains('.') || last.contains(',');
    let short_whole =
        last.len() <= MAX_BARE_FIGURE_DIGITS && last.chars().all(|c| c.is_ascii_digit());
    (has_digit && (formatted || short_whole))
        .then(|| parse_amount(last))
        .flatten()
        .map(|amount| (head.trim_end(), amount))
}

/// Longest run of bare digits read as whole rupees at a narration's end (₹ 99,99,999):
/// references, UTRs and account numbers are longer.
const MAX_BARE_FIGURE_DIGITS: usize = 7;

pub fn parse_amount(s: &str) -> Option<Amount> {
    // Every amount read holds a digit (the grouped number needs one), and a cell of nothing but
    // digits, commas and points carries no sign, marker, currency or padding: both shapes are
    // settled without the strips below, with what they would return (amounts are read several
    // times per row, most of them plain figures, the rest mostly words).
    let mut plain = true;
    let mut digits = false;
    for byte in s.bytes() {
        match byte {
            b'0'..=b'9' => digits = true,
            b',' | b'.' => {}
            _ => plain = false,
        }
    }
    if !digits {
        return None;
    }
    if plain {
        return parse_grouped_number(s).map(|value| Amount { value, side: None });
    }
    let mut rest = s.trim();
    let mut side = None;
    let mut negative = false;

    if let Some((marker, after)) = strip_side_prefix(rest) {
        side = Some(marker);
        rest = after;
    }
    if let Some((marker, before)) = strip_side_suffix(rest) {
        if side.is_some() {
            return None;
        }
        side = Some(marker);
        rest = before;
    }
    rest = strip_currency_suffix(rest);
    if let Some(inner) = rest.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        negative = true;
        rest = inner.trim();
    }
    rest = strip_currency_prefix(rest);
    if let Some(before) = rest.strip_suffix('-') {
        negative = flip_once(negative)?;
        rest = before.trim_end();
    }
    if let Some(after) = rest.strip_prefix('-') {
        negative = flip_once(negative)?;
        rest = after.trim_start();
    } else if let Some(after) = rest.strip_prefix('+') {
        rest = after.trim_start();
    }
    // Currency may also follow the sign: "-₹ 1,234.00".
    rest = strip_currency_prefix(rest);

    let magnitude = parse_grouped_number(rest)?;
    let value = if negative { -magnitude } else { magnitude };
    Some(Amount { value, side })
}

/// Only one negation marker is believable; "-(1,234)" or "-1,234-" is not an amount.
fn flip_once(already_negative: bool) -> Option<bool> {
    (!already_negative).then_some(true)
}

/// `CR 1,234.00`, `Dr.1,234.00`: marker then at least a space or dot before the number.
fn strip_side_prefix(s: &str) -> Option<(Side, &str)> {
    let head = s.get(..2)?;
    let side = side_from_letters(head)?;
    let after = &s[2..];
    let after_dot = after.strip_prefix('.').unwrap_or(after);
    let separated = after_dot.len() < after.len() || after.starts_with(' ');
    separated.then(|| (side, after_dot.trim_start()))
}

/// `1,234.00 Cr`, `1,234.00Dr`, `1,234.00 (Cr)`, `1,234.00 CR.`.
fn strip_side_suffix(s: &str) -> Option<(Side, &str)> {
    let body = s.strip_suffix('.').unwrap_or(s);
    let (body, bracketed) = match body.strip_suffix(')') {
        Some(inner) => (inner, true),
        None => (body, false),
    };
    let split = body.len().checked_sub(2)?;
    let tail = body.get(split..)?;
    let side = side_from_letters(tail)?;
    let mut before = body[..split].trim_end();
    if bracketed {
        before = before.strip_suffix('(')?.trim_end();
    }
    // "ABCR" is not "AB" + Cr: the marker must follow the number or a space.
    let glued_to_letter = before.ends_with(|c: char| c.is_alphabetic()) && before.len() == split;
    (!glued_to_letter && !before.is_empty()).then_some((side, before))
}

fn side_from_letters(two: &str) -> Option<Side> {
    if two.eq_ignore_ascii_case("cr") {
        Some(Side::Credit)
    } else if two.eq_ignore_ascii_case("dr") {
        Some(Side::Debit)
    } else {
        None
    }
}

const CURRENCY_PREFIXES: [&str; 6] = ["₹", "Rs.", "Rs", "INR", "RS.", "RS"];

fn strip_currency_prefix(s: &str) -> &str {
    for prefix in CURRENCY_PREFIXES {
        if let Some(after) = s.strip_prefix(prefix) {
            return after.trim_start();
        }
    }
    s
}

fn strip_currency_suffix(s: &str) -> &str {
    s.strip_suffix("INR").map(str::trim_end).unwrap_or(s)
}

/// Parses digits with optional grouping commas and an optional 1–2 digit fraction, checking
/// that the commas sit where an Indian or western writer would put them.
///
/// One pass over the integer part, gathering the digits into the mantissa and the group lengths
/// as it goes (amounts are read several times per row, and splitting into groups first and
/// gathering the digits after cost more than the rest of an amount's reading).
fn parse_grouped_number(s: &str) -> Option<Decimal> {
    let bytes = s.as_bytes();
    let (integer, fraction) = match bytes.iter().position(|&b| b == b'.') {
        Some(at) => (&bytes[..at], Some(&bytes[at + 1..])),
        None => (bytes, None),
    };
    if let Some(fraction) = fraction {
        let valid = (1..=2).contains(&fraction.len()) && fraction.iter().all(u8::is_ascii_digit);
        valid.then_some(())?;
    }
    // ".83": some exports drop the zero before the decimal point.
    let integer: &[u8] = if integer.is_empty() && fraction.is_some() {
        b"0"
    } else {
        integer
    };
    // Digits in groups parted by single commas, none empty. Wrapping: a run too long to fit is
    // refused below, before the mantissa is used.
    let mut mantissa: u64 = 0;
    let mut commas = 0;
    let mut group = 0;
    let mut first_group = 0;
    let mut middle_threes = true;
    let mut middle_twos = true;
    for &byte in integer {
        if byte.is_ascii_digit() {
            group += 1;
            mantissa = mantissa
                .wrapping_mul(10)
                .wrapping_add(u64::from(byte - b'0'));
        } else if byte == b',' && group > 0 {
            if commas == 0 {
                first_group = group;
            } else {
                middle_threes &= group == 3;
                middle_twos &= group == 2;
            }
            commas += 1;
            group = 0;
        } else {
            return None;
        }
    }
    if group == 0 {
        return None;
    }
    let digit_count = integer.len() - commas;
    if commas >= MAX_INTEGER_DIGITS || digit_count > MAX_INTEGER_DIGITS {
        return None;
    }
    if commas == 0 {
        let is_reference_like = fraction.is_none()
            && (integer.len() > MAX_BARE_INTEGER_DIGITS
                || (integer.len() > 1 && integer[0] == b'0'));
        if is_reference_like {
            return None;
        }
    } else {
        // Western: `d{1,3}(,ddd)+`. Indian: `d{1,2}(,dd)*,ddd`. `group` is the last group.
        let western = (1..=3).contains(&first_group) && middle_threes;
        let indian = (1..=2).contains(&first_group) && middle_twos;
        if group != 3 || integer[0] == b'0' || !(western || indian) {
            return None;
        }
    }
    // At most 15 integer digits and 2 of fraction: the mantissa fits a u64. The fraction's
    // length is the scale ("1234.50" keeps scale 2, as `Decimal::from_str` reads it).
    let fraction = fraction.unwrap_or(b"");
    let mantissa = fraction
        .iter()
        .fold(mantissa, |m, &b| m * 10 + u64::from(b - b'0'));
    Some(Decimal::from_i128_with_scale(
        i128::from(mantissa),
        fraction.len() as u32,
    ))
}

/// A filler some banks print in a cell that has nothing to show ("NA", "-", "N/A", "NIL"):
/// no reference, no amount.
pub fn is_placeholder(s: &str) -> bool {
    let trimmed = s.trim();
    trimmed.chars().all(|c| c == '-') && !trimmed.is_empty()
        || ["na", "n/a", "n.a.", "nil"]
            .iter()
            .any(|filler| trimmed.eq_ignore_ascii_case(filler))
}

/// Money cut before its last digit by a cell too narrow for it ("3548." over "0", "17,00"
/// over "0"): not money itself, but money once one more digit follows.
pub fn is_cut_amount(s: &str) -> bool {
    s.bytes().any(|b| b.is_ascii_digit())
        && parse_amount(s).is_none()
        && parse_amount(&format!("{s}0")).is_some()
}

/// A debit/credit pair where one side reads zero and the other a non-zero amount: the zero is
/// the filler some banks print in the unused cell ("0.00"), not a second amount, so it is
/// dropped. A row with both sides zero keeps them (it is what it says).
pub fn drop_zero_side(debit: &mut Option<String>, credit: &mut Option<String>) {
    let value = |cell: &Option<String>| cell.as_deref().and_then(parse_amount).map(|a| a.value);
    match (value(debit), value(credit)) {
        (Some(d), Some(c)) if d.is_zero() && !c.is_zero() => *debit = None,
        (Some(d), Some(c)) if c.is_zero() && !d.is_zero() => *credit = None,
        _ => {}
    }
}

/// Reads a separate Dr/Cr column cell: `DR`, `Dr`, `Dr.`, `D`, `CR`, `Cr`, `Cr.`, `C`.
pub fn is_dr_cr_marker(s: &str) -> Option<Side> {
    let trimmed = s.trim();
    let word = trimmed.strip_suffix('.').unwrap_or(trimmed);
    match word.to_ascii_lowercase().as_str() {
        "dr" | "d" => Some(Side::Debit),
        "cr" | "c" => Some(Side::Credit),
        _ => None,
    }
}

/// A mark of two letters standing alone, as a narrow money cell wraps it under its figure:
/// `Cr`, `DR`, `Dr.`, `(Cr)`. A lone `D` or `C` is no such mark (it may be an initial).
pub fn lone_side_mark(s: &str) -> Option<Side> {
    let trimmed = s.trim();
    let inner = match trimmed.strip_prefix('(') {
        Some(open) => open.strip_suffix(')')?,
        None => trimmed,
    };
    let letters = inner.strip_suffix('.').unwrap_or(inner);
    (letters.len() == 2)
        .then(|| is_dr_cr_marker(letters))
        .flatten()
}

/// The side a Dr/Cr column's cell names: a marker ([`is_dr_cr_marker`]) or the whole word
/// "Debit" / "Credit" (any case, a full stop after it), as Bank of Baroda's "Type" and Axis's
/// "Debit/Credit" columns print it. Only for a cell of that column: in a narration the words
/// say nothing of the row's side.
pub fn side_word(s: &str) -> Option<Side> {
    if let Some(side) = is_dr_cr_marker(s) {
        return Some(side);
    }
    let trimmed = s.trim();
    let word = trimmed.strip_suffix('.').unwrap_or(trimmed);
    if word.eq_ignore_ascii_case("debit") {
        Some(Side::Debit)
    } else if word.eq_ignore_ascii_case("credit") {
        Some(Side::Credit)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .expect("valid test date")
    }

    fn ymd_hms(y: i32, m: u32, d: u32, h: u32, mi: u32, s: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|d| d.and_hms_opt(h, mi, s))
            .expect("valid test date")
    }

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).expect("valid test decimal")
    }

    #[test]
    fn a_figure_ending_a_narration_is_money_a_reference_is_not() {
        let figure = |text: &str| figure_ending(text).map(|(head, a)| (head.to_owned(), a.value));
        assert_eq!(
            figure("UPI/SWIGGY 13,641.05"),
            Some(("UPI/SWIGGY".to_owned(), dec("13641.05")))
        );
        assert_eq!(
            figure("ACH D- HDFC 14,658"),
            Some(("ACH D- HDFC".to_owned(), dec("14658")))
        );
        assert_eq!(
            figure("ATM WDL 6000"),
            Some(("ATM WDL".to_owned(), dec("6000")))
        );
        assert_eq!(figure("IMPS 421928893193"), None, "a reference, not money");
        assert_eq!(figure("NEFT-UTIBN43517513132010"), None);
    }

    /// Western: `d{1,3}(,ddd)+`. Indian: `d{1,2}(,dd)*,ddd`.
    fn has_valid_grouping(groups: &[&str]) -> bool {
        let Some((last, rest)) = groups.split_last() else {
            return false;
        };
        let Some((first, middle)) = rest.split_first() else {
            return false;
        };
        if last.len() != 3 || first.starts_with('0') {
            return false;
        }
        let western = (1..=3).contains(&first.len()) && middle.iter().all(|g| g.len() == 3);
        let indian = (1..=2).contains(&first.len()) && middle.iter().all(|g| g.len() == 2);
        western || indian
    }

    /// Every string of up to 7 characters over digits, commas, points and a letter, and longer
    /// grouped figures: the one-pass reading agrees with the text reading, value and scale.
    #[test]
    fn grouped_numbers_agree_with_the_text_reading_exhaustively() {
        const ALPHABET: &[u8] = b"0159,.a";
        let mut text = Vec::new();
        let mut check = |text: &[u8]| {
            let Ok(text) = std::str::from_utf8(text) else {
                return;
            };
            let (fast, slow) = (parse_grouped_number(text), grouped_number_via_text(text));
            assert_eq!(
                fast.map(|d| (d, d.to_string(), d.scale())),
                slow.map(|d| (d, d.to_string(), d.scale())),
                "{text}"
            );
        };
        fn extend(text: &mut Vec<u8>, left: usize, check: &mut dyn FnMut(&[u8])) {
            check(text);
            if left == 0 {
                return;
            }
            for &b in ALPHABET {
                text.push(b);
                extend(text, left - 1, check);
                text.pop();
            }
        }
        extend(&mut text, 7, &mut check);
        // Longer figures: every grouping of 1-17 digits into Indian, western and odd groups.
        let digits = b"90817263544536271";
        for length in 1..=17 {
            for cut in 0..(1u32 << (length - 1)).min(1 << 12) {
                let mut text = Vec::new();
                for (at, &d) in digits[..length].iter().enumerate() {
                    if at > 0 && cut & (1 << (at - 1)) != 0 {
                        text.push(b',');
                    }
                    text.push(d);
                }
                for fraction in [&b""[..], b".5", b".05", b".", b".123"] {
                    let mut whole = text.clone();
                    whole.extend_from_slice(fraction);
                    check(&whole);
                }
            }
        }
    }

    /// The reading before the digits went straight into the decimal: split into groups, joined
    /// into a plain string and parsed as text.
    fn grouped_number_via_text(s: &str) -> Option<Decimal> {
        let (integer, fraction) = match s.split_once('.') {
            Some((integer, fraction)) => (integer, Some(fraction)),
            None => (s, None),
        };
        if let Some(fraction) = fraction {
            let valid =
                (1..=2).contains(&fraction.len()) && fraction.bytes().all(|b| b.is_ascii_digit());
            valid.then_some(())?;
        }
        let integer = if integer.is_empty() && fraction.is_some() {
            "0"
        } else {
            integer
        };
        let groups: Vec<&str> = integer.split(',').collect();
        if !groups
            .iter()
            .all(|g| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit()))
        {
            return None;
        }
        let digit_count: usize = groups.iter().map(|g| g.len()).sum();
        if groups.len() == 1 {
            let bare = groups[0];
            let is_reference_like = fraction.is_none()
                && (bare.len() > MAX_BARE_INTEGER_DIGITS
                    || (bare.len() > 1 && bare.starts_with('0')));
            if is_reference_like {
                return None;
            }
        } else if !has_valid_grouping(&groups) {
            return None;
        }
        if digit_count > MAX_INTEGER_DIGITS {
            return None;
        }
        let plain: String =
            groups.concat() + &fraction.map(|f| format!(".{f}")).unwrap_or_default();
        Decimal::from_str(&plain).ok()
    }

    /// Same value, same scale (what the JSON prints) and same refusals as the text reading.
    #[test]
    fn amounts_read_as_the_text_reading_did() {
        let mut samples: Vec<String> = [
            "0",
            "7",
            "0.5",
            ".83",
            "0.00",
            "10.10",
            "1,234.50",
            "12,34,567.8",
            "999,999,999.99",
            "123456789012",
            "1234567890123",
            "1,23,45,67,89,012.34",
            "100",
            "5.",
            "1,2345",
            "00.5",
            "0,123",
            "007",
            "",
            ".",
            ",",
            "1,,234",
            "1,234,",
            ",123",
            "1.234",
            "1.2.3",
            "9,99,99,99,99,99,999.99",
            "999,999,999,999,999.99",
            "9,999,999,999,999,999",
            "1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0",
            "12a",
            "1,23a",
            "٣",
            "1,234.5x",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for n in [1u64, 12, 123, 1234, 12345, 123456, 1234567, 98765432109] {
            for fraction in ["", ".0", ".05", ".50", ".123"] {
                samples.push(format!("{n}{fraction}"));
                let western = n
                    .to_string()
                    .as_bytes()
                    .rchunks(3)
                    .rev()
                    .map(|c| String::from_utf8_lossy(c).into_owned())
                    .collect::<Vec<_>>()
                    .join(",");
                samples.push(format!("{western}{fraction}"));
            }
        }
        for text in &samples {
            let (fast, slow) = (parse_grouped_number(text), grouped_number_via_text(text));
            assert_eq!(fast, slow, "{text}");
            assert_eq!(
                fast.map(|d| (d.to_string(), d.scale())),
                slow.map(|d| (d.to_string(), d.scale())),
                "{text}"
            );
        }
    }

    #[test]
    fn numeric_dates_are_day_first() {
        let jan5 = ymd(2024, 1, 5);
        for s in [
            "05/01/24",
            "05/01/2024",
            "05-01-24",
            "05-01-2024",
            "05.01.2024",
            "5/1/2024",
            " 05/01/2024 ",
        ] {
            assert_eq!(parse_date(s), Some(jan5), "{s}");
        }
        assert_eq!(parse_date("13/01/2024"), Some(ymd(2024, 1, 13)));
        assert_eq!(
            parse_date("01/13/2024"),
            None,
            "month-first is never assumed"
        );
    }

    #[test]
    fn month_name_dates() {
        let jan5 = ymd(2024, 1, 5);
        for s in [
            "05-Jan-2024",
            "05-JAN-24",
            "05 Jan 2024",
            "05-Jan-24",
            "05/Jan/2024",
            "Jan 05, 2024",
            "January 5, 2024",
            "5 January 2024",
            "05 Jan, 2024",
        ] {
            assert_eq!(parse_date(s), Some(jan5), "{s}");
        }
        assert_eq!(parse_date("1 Jan 2024"), Some(ymd(2024, 1, 1)));
        assert_eq!(parse_date("June30, 2025"), Some(ymd(2025, 6, 30)));
        assert_eq!(parse_date("30 Sept 2023"), Some(ymd(2023, 9, 30)));
    }

    #[test]
    fn dates_without_a_year_take_it_from_the_period() {
        assert_eq!(parse_day_month("May 02"), Some((5, 2)));
        assert_eq!(parse_day_month("02 May"), Some((5, 2)));
        assert_eq!(parse_day_month("2-May"), Some((5, 2)));
        assert_eq!(parse_day_month("Jan 05,"), Some((1, 5)));
        assert_eq!(parse_day_month("August28,"), Some((8, 28)));
        // "05 Jan," over "2024": a day-first date cut before its year (seed 2402282).
        assert_eq!(parse_day_month("05 Jan,"), Some((1, 5)));
        assert_eq!(parse_day_month("05 Jan,,"), None);
        assert_eq!(parse_day_month("Jan 05,,"), None);
        assert_eq!(parse_day_month("02 May 2024"), None);
        assert_eq!(parse_day_month("Mayank 02"), None);
        assert_eq!(parse_day_month("May 45"), None);
        let from = NaiveDate::from_ymd_opt(2023, 12, 1).expect("date");
        let to = NaiveDate::from_ymd_opt(2024, 1, 31).expect("date");
        assert_eq!(date_in_period((12, 28), from, to), Some(ymd(2023, 12, 28)));
        assert_eq!(date_in_period((1, 3), from, to), Some(ymd(2024, 1, 3)));
        assert_eq!(date_in_period((7, 3), from, to), None);
    }

    #[test]
    fn time_of_day_alone() {
        assert!(is_time_of_day("10:15"));
        assert!(is_time_of_day("10:15:22"));
        assert!(is_time_of_day(" 01:05 PM"));
        assert!(!is_time_of_day("2024"));
        assert!(!is_time_of_day("10:15 UPI"));
        assert!(!is_time_of_day(""));
    }

    #[test]
    fn apostrophe_before_a_two_digit_year() {
        // Paytm's UPI statement: "5 Jun'25" (round five of the fixtures' real formats).
        assert_eq!(parse_date("5 Jun'25"), Some(ymd(2025, 6, 5)));
        assert_eq!(parse_date("05 Jun'25"), Some(ymd(2025, 6, 5)));
        assert_eq!(parse_date("05 JUN\u{2019}25"), Some(ymd(2025, 6, 5)));
        assert_eq!(
            parse_date("05 Jun'25 10:15 AM"),
            Some(ymd_hms(2025, 6, 5, 10, 15, 0))
        );
        assert_eq!(parse_date("05 Jun'2025"), None);
        assert_eq!(parse_date("05 Jun'25x"), None);
        assert_eq!(parse_date("05 Jun'"), None);
        assert_eq!(parse_date("05-Jun'25"), None);
    }

    #[test]
    fn glued_day_month_year() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).map(|d| d.and_time(NaiveTime::MIN));
        assert_eq!(parse_date("05MAR2024"), day(2024, 3, 5));
        assert_eq!(parse_date("31dec23"), day(2023, 12, 31));
        assert_eq!(
            find_date_prefix("05MAR2024 UPI/123"),
            day(2024, 3, 5).map(|d| (d, 9))
        );
        // Inside a reference it is not a date.
        assert_eq!(parse_date("05MAR2024X"), None);
        assert_eq!(find_date_prefix("05MAR2024X7"), None);
        assert_eq!(parse_date("5MAR2024"), None);
        assert_eq!(parse_date("05MARCH2024"), None);
    }

    #[test]
    fn iso_dates() {
        assert_eq!(parse_date("2024-01-05"), Some(ymd(2024, 1, 5)));
        assert_eq!(parse_date("2024-13-05"), None);
    }

    #[test]
    fn dates_with_times() {
        assert_eq!(
            parse_date("05/01/2024 10:32:11"),
            Some(ymd_hms(2024, 1, 5, 10, 32, 11))
        );
        assert_eq!(
            parse_date("05/01/2024 10:32"),
            Some(ymd_hms(2024, 1, 5, 10, 32, 0))
        );
        assert_eq!(
            parse_date("05-01-2024 10:32:11 AM"),
            Some(ymd_hms(2024, 1, 5, 10, 32, 11))
        );
        assert_eq!(
            parse_date("05-01-2024 12:05:00 AM"),
            Some(ymd_hms(2024, 1, 5, 0, 5, 0))
        );
        assert_eq!(
            parse_date("05-01-2024 01:05 PM"),
            Some(ymd_hms(2024, 1, 5, 13, 5, 0))
        );
        assert_eq!(
            parse_date("02 May 2025, 10:42 AM"),
            Some(ymd_hms(2025, 5, 2, 10, 42, 0))
        );
        assert_eq!(
            parse_date("May 02, 2025, 10:42 PM"),
            Some(ymd_hms(2025, 5, 2, 22, 42, 0))
        );
        assert_eq!(parse_date("02 May 2025, "), None);
        assert_eq!(
            parse_date("05-Jan-2024 23:59"),
            Some(ymd_hms(2024, 1, 5, 23, 59, 0))
        );
        assert_eq!(parse_date("05/01/2024 25:00"), None);
    }

    #[test]
    fn impossible_or_partial_dates_are_rejected() {
        for s in [
            "32/01/2024",
            "29/02/2023",
            "00/01/2024",
            "05/00/2024",
            "12/01",
            "05/01/20245",
            "05/01-2024",
            "05 Foo 2024",
            "1,234.00",
            "",
            "05/01/2024 UPI",
            "Jan 2024",
        ] {
            assert_eq!(parse_date(s), None, "{s}");
        }
        assert_eq!(parse_date("29/02/2024"), Some(ymd(2024, 2, 29)));
        assert!(looks_like_date("31-Mar-2024"));
        assert!(!looks_like_date("Opening Balance"));
    }

    #[test]
    fn date_prefix_reports_consumed_bytes() {
        assert_eq!(
            find_date_prefix("05/01/2024 UPI/1234/ABC"),
            Some((ymd(2024, 1, 5), 10))
        );
        assert_eq!(
            find_date_prefix("05/01/2024UPI/1234"),
            Some((ymd(2024, 1, 5), 10))
        );
        assert_eq!(
            find_date_prefix("05/01/2024 10:32:11 NEFT"),
            Some((ymd_hms(2024, 1, 5, 10, 32, 11), 19))
        );
        assert_eq!(
            find_date_prefix("05-Jan-24 ATM WDL"),
            Some((ymd(2024, 1, 5), 9))
        );
        assert_eq!(
            find_date_prefix("  05 Jan 2024 x"),
            Some((ymd(2024, 1, 5), 13))
        );
        assert_eq!(find_date_prefix("UPI 05/01/2024"), None);
        assert_eq!(find_date_prefix("050120241234"), None);
    }

    fn amount(value: &str, side: Option<Side>) -> Option<Amount> {
        Some(Amount {
            value: dec(value),
            side,
        })
    }

    #[test]
    fn plain_and_grouped_amounts() {
        assert_eq!(parse_amount("1,23,456.78"), amount("123456.78", None));
        assert_eq!(
            parse_amount("12,34,56,789.00"),
            amount("123456789.00", None)
        );
        assert_eq!(parse_amount("123,456.78"), amount("123456.78", None));
        assert_eq!(parse_amount("1,234,567.00"), amount("1234567.00", None));
        assert_eq!(parse_amount("1234.5"), amount("1234.5", None));
        assert_eq!(parse_amount("1234"), amount("1234", None));
        assert_eq!(parse_amount("0.00"), amount("0.00", None));
        assert_eq!(parse_amount("0"), amount("0", None));
    }

    #[test]
    fn signed_amounts() {
        assert_eq!(parse_amount("-1,234.00"), amount("-1234.00", None));
        assert_eq!(parse_amount("(1,234.00)"), amount("-1234.00", None));
        assert_eq!(parse_amount("+1,234.00"), amount("1234.00", None));
        assert_eq!(parse_amount("1,234.00-"), amount("-1234.00", None));
        assert_eq!(parse_amount("-₹ 1,234.00"), amount("-1234.00", None));
        assert_eq!(parse_amount("-(1,234.00)"), None);
        assert_eq!(parse_amount("-1,234.00-"), None);
    }

    #[test]
    fn dr_cr_marked_amounts() {
        let cr = Some(Side::Credit);
        let dr = Some(Side::Debit);
        assert_eq!(parse_amount("1,234.00 Cr"), amount("1234.00", cr));
        assert_eq!(parse_amount("1,234.00Dr"), amount("1234.00", dr));
        assert_eq!(parse_amount("1,234.00 (Cr)"), amount("1234.00", cr));
        assert_eq!(parse_amount("1,234.00(Dr)"), amount("1234.00", dr));
        assert_eq!(parse_amount("1,234.00 CR."), amount("1234.00", cr));
        assert_eq!(parse_amount("CR 1,234.00"), amount("1234.00", cr));
        assert_eq!(parse_amount("Dr. 1,234.00"), amount("1234.00", dr));
        assert_eq!(parse_amount("-1,234.00 Dr"), amount("-1234.00", dr));
        assert_eq!(parse_amount("CR 1,234.00 Dr"), None);
        let overdrawn = parse_amount("5,000.00 Dr").map(|a| a.signed_balance());
        assert_eq!(overdrawn, Some(dec("-5000.00")));
    }

    #[test]
    fn currency_marked_amounts() {
        assert_eq!(parse_amount("₹ 1,234.00"), amount("1234.00", None));
        assert_eq!(parse_amount("₹1,234.00"), amount("1234.00", None));
        assert_eq!(parse_amount("Rs. 1,234.00"), amount("1234.00", None));
        assert_eq!(parse_amount("Rs.1,234.00"), amount("1234.00", None));
        assert_eq!(parse_amount("INR 1,234.00"), amount("1234.00", None));
        assert_eq!(parse_amount("1,234.00 INR"), amount("1234.00", None));
        assert_eq!(parse_amount("INR34,279.01"), amount("34279.01", None));
        assert_eq!(parse_amount(".83"), amount("0.83", None));
        assert_eq!(parse_amount("6000.0"), amount("6000.0", None));
        assert_eq!(
            parse_amount("Rs. 1,234.00 Cr"),
            amount("1234.00", Some(Side::Credit))
        );
    }

    #[test]
    fn non_amounts_are_rejected() {
        for s in [
            "",
            "-",
            "Cr",
            "05/01/2024",
            "2024-01-05",
            "05.01.2024",
            "12/01",
            "1234567890123",
            "50100012345678",
            "001234567",
            "12,34",
            "1,2345.00",
            "1,23,4567.00",
            "12,345,67.00",
            ",123.00",
            "1,234.",
            "1,234.567",
            "12.34.56",
            "UPI/1234",
            "ABCR",
            "1 234.00",
            "(1,234.00",
            "Total",
        ] {
            assert_eq!(parse_amount(s), None, "{s:?}");
        }
    }

    #[test]
    fn placeholders_are_empty_cells() {
        for s in ["NA", "na", " - ", "--", "N/A", "NIL", "n.a."] {
            assert!(is_placeholder(s), "{s}");
        }
        for s in ["", "NAV", "0.00", "-12", "NEFT", "N"] {
            assert!(!is_placeholder(s), "{s}");
        }
    }

    #[test]
    fn amounts_cut_before_their_last_digit() {
        for s in ["3548.", "17,00", "1,23,45", "INR1,234."] {
            assert!(is_cut_amount(s), "{s}");
        }
        for s in ["3548.0", "1,234.00", "NEFT", "", "-", "12/0"] {
            assert!(!is_cut_amount(s), "{s}");
        }
    }

    #[test]
    fn a_zero_beside_an_amount_is_a_filler() {
        let cell = |s: &str| Some(s.to_owned());
        let (mut d, mut c) = (cell("0.00"), cell("1,234.00"));
        drop_zero_side(&mut d, &mut c);
        assert_eq!((d, c), (None, cell("1,234.00")));
        let (mut d, mut c) = (cell("12.5"), cell("0"));
        drop_zero_side(&mut d, &mut c);
        assert_eq!((d, c), (cell("12.5"), None));
        let (mut d, mut c) = (cell("0.00"), cell("0.00"));
        drop_zero_side(&mut d, &mut c);
        assert_eq!((d, c), (cell("0.00"), cell("0.00")));
        let (mut d, mut c) = (cell("0.00"), None);
        drop_zero_side(&mut d, &mut c);
        assert_eq!((d, c), (cell("0.00"), None));
    }

    #[test]
    fn a_dr_cr_column_names_the_side_in_words() {
        for s in ["Debit", "DEBIT", "debit.", "Dr.", "DR"] {
            assert_eq!(side_word(s), Some(Side::Debit), "{s}");
        }
        for s in ["Credit", "CREDIT", "Cr.", "C"] {
            assert_eq!(side_word(s), Some(Side::Credit), "{s}");
        }
        for s in ["", "Debited", "CREDIT CARD", "TRF", "1.00"] {
            assert_eq!(side_word(s), None, "{s}");
        }
    }

    #[test]
    fn lone_marks_of_two_letters() {
        for s in ["Dr", "DR", "Dr.", "(Dr)", "(DR)"] {
            assert_eq!(lone_side_mark(s), Some(Side::Debit), "{s}");
        }
        for s in ["Cr", "CR.", "(Cr)", " (Cr) "] {
            assert_eq!(lone_side_mark(s), Some(Side::Credit), "{s}");
        }
        for s in ["D", "C", "(C)", "Dr)", "(Cr", "Credit", "CRS", ""] {
            assert_eq!(lone_side_mark(s), None, "{s}");
        }
    }

    #[test]
    fn dr_cr_column_markers() {
        for s in ["DR", "Dr", "D", "Dr.", "dr", " DR "] {
            assert_eq!(is_dr_cr_marker(s), Some(Side::Debit), "{s}");
        }
        for s in ["CR", "Cr", "C", "Cr.", "cr"] {
            assert_eq!(is_dr_cr_marker(s), Some(Side::Credit), "{s}");
        }
        for s in ["", "Debit", "CRD", "1.00", "."] {
            assert_eq!(is_dr_cr_marker(s), None, "{s}");
        }
    }
}
