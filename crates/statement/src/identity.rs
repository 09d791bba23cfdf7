//! Account identity (holder, account, IFSC, period, balances) from the lines above the
//! transaction table on page 1.
//!
//! Header blocks differ per bank in arrangement more than in vocabulary, so the extraction is
//! label-driven: every line is cut into cells by horizontal gaps, known labels are found inside
//! the cells on word boundaries, and each label's value is taken from the rest of its cell, the
//! next cell on the line, or the cell below it (two-row tables). Unlabelled facts (the holder's
//! name printed alone, the address under it, the statement period) get dedicated scanners.

use crate::banks::{is_ifsc, is_micr, mentions_bank};
use crate::text::{Line, Word};
use crate::values::{find_date_prefix, parse_amount, Amount};
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;
use serde::Serialize;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Identity {
    pub name: Option<String>,
    /// Printed address lines joined with ", ".
    pub address: Option<String>,
    pub account_number: Option<String>,
    pub ifsc: Option<String>,
    pub micr: Option<String>,
    /// "individual" | "corporate".
    pub account_category: Option<String>,
    /// "savings" | "current" | "overdraft" | "cash_credit".
    pub account_type: Option<String>,
    /// `None` when no limit is printed or the printed limit is zero.
    pub od_limit: Option<Decimal>,
    pub credit_limit: Option<Decimal>,
    pub from_date: Option<NaiveDate>,
    pub to_date: Option<NaiveDate>,
    /// Signed: a Dr-marked balance is negative.
    pub opening_balance: Option<Decimal>,
    pub closing_balance: Option<Decimal>,
    pub email: Option<String>,
    pub phone_number: Option<String>,
    pub pan_number: Option<String>,
    pub account_opening_date: Option<NaiveDate>,
    /// The holder's date of birth.
    pub dob: Option<NaiveDate>,
    /// "active" | "inactive" | "dormant" | "closed" | "frozen".
    pub account_status: Option<String>,
    /// "single" | "joint".
    pub holder_type: Option<String>,
}

/// Reads the identity block. `lines` are page 1's lines above the transaction table, top first.
pub fn extract_identity(lines: &[Line]) -> Identity {
    let joined = join_labels_wrapped_around_values(lines);
    let header = Header::new(&joined);
    let mut identity = Identity::default();
    fill_labelled_fields(&header, &mut identity);
    fill_currency_title(&header, &mut identity);
    fill_period(&joined, &mut identity);
    settle_dob(&mut identity);
    fill_balance_as_on(&header, &mut identity);
    fill_name_and_address(&header, &mut identity);
    fill_unlabelled_codes(&header, &mut identity);
    fill_account_in_sentence(&header, &mut identity);
    let primary = identity
        .name
        .take()
        .and_then(|name| without_relation(&name))
        .and_then(|name| primary_holder(&name));
    if let Some((name, joint)) = primary {
        identity.name = Some(name);
        if joint && identity.holder_type.is_none() {
            identity.holder_type = Some("joint".to_string());
        }
    }
    // "2. SUNITA SHARMA" beside or under "1. RAJESH KUMAR": a numbered list of holders.
    if identity.holder_type.is_none() && header.all_cells().any(|c| is_listed_holder(&c.text)) {
        identity.holder_type = Some("joint".to_string());
    }
    identity.account_category = account_category(&header, &identity);
    identity
}

/// A label that wrapped in its cell with its value centred beside it: a browser prints
/// "Account Holder" over "Name" in the label cell and ": NAVRANG ENTERPRISES" in the value cell
/// on a line between them, so no line holds the whole label. Where the two label lines start
/// in one column, hold nothing else in that column, sit a line apart around a line whose words
/// there all stand to their right, and only together read as a label (the label ends in the
/// lower line's words), the label joins the value's line: the label, then the value. Lines
/// may hold other columns' text beside the label (a right-hand block's label wraps beside the
/// left-hand block's address lines): it stays where it is.
/// A label that wrapped with its value beside its first line ("Customer" and ": RAJESH
/// KUMAR", "Name" alone in the label's column under "Customer") joins the same way.
fn join_labels_wrapped_around_values(lines: &[Line]) -> std::borrow::Cow<'_, [Line]> {
    let mut out: Vec<Line> = Vec::new();
    let mut changed = false;
    let mut index = 0;
    // Every join takes a label's words off a line, so a bounded number of joins is tried.
    let mut joins_left: usize = lines.iter().map(|l| l.words.len()).sum();
    let mut work: Vec<Line> = lines.to_vec();
    while index < work.len() {
        let joined = if joins_left == 0 {
            false
        } else if let Some([above, below]) = work
            .get(index..index + 3)
            .and_then(|three| label_wrapped_around_value(&three[0], &three[1], &three[2]))
        {
            work[index] = above;
            work[index + 2] = below;
            // The value's line held only the value (nothing in or left of the label's
            // column): its words went up with the label.
            work.remove(index + 1);
            true
        } else if let Some([line, below]) = work
            .get(index..index + 2)
            .and_then(|two| label_wrapped_under_value(&two[0], &two[1]))
        {
            work[index] = line;
            work[index + 1] = below;
            true
        } else {
            false
        };
        if joined {
            changed = true;
            joins_left -= 1;
            // The same lines again: another column may hold a wrapped label too.
            continue;
        }
        index += 1;
    }
    if !changed {
        return std::borrow::Cow::Borrowed(lines);
    }
    // A line whose words all joined the label above it stays, empty, where it was: the block
    // keeps its line spacing (an address under the name is no farther from it).
    out.extend(work);
    std::borrow::Cow::Owned(out)
}

/// The words of `line` inside `x0..=x1` (a phrase's extent), and the others.
fn split_words(line: &Line, x0: f32, x1: f32) -> (Vec<Word>, Vec<Word>) {
    let eps = 0.01;
    line.words
        .iter()
        .cloned()
        .partition(|w| w.x0 >= x0 - eps && w.x1 <= x1 + eps)
}

/// `line` with `words` only, sorted left to right.
fn with_words(line: &Line, mut words: Vec<Word>) -> Line {
    words.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    Line {
        page: line.page,
        y: line.y,
        size: line.size,
        words,
    }
}

/// `above` and `below` as one label with `value`'s words after it, on the label's first line
/// (see [`join_labels_wrapped_around_values`]): the label's two lines as they then are. The
/// value's line is left to its caller: a centred value's line holds nothing else.
fn label_wrapped_around_value(above: &Line, value: &Line, below: &Line) -> Option<[Line; 2]> {
    let size = above.size.max(value.size).max(below.size).max(1.0);
    if above.page != value.page || value.page != below.page {
        return None;
    }
    let (up, down) = (value.y - above.y, below.y - value.y);
    let centred = up > 0.0 && down > 0.0 && up <= size * 1.5 && down <= size * 1.5;
    if !centred || (up - down).abs() > size * 0.35 {
        return None;
    }
    let below_phrases = below.phrases(CELL_GAP_FACTOR);
    above.phrases(CELL_GAP_FACTOR).into_iter().find_map(|head| {
        let tail = below_phrases
            .iter()
            .find(|q| (q.x0 - head.x0).abs() <= size * 0.3)?;
        let label_start = head.x0.min(tail.x0);
        let label_end = head.x1.max(tail.x1);
        // Nothing of the value's line in the label's column; its first word past the label
        // is the value, with nothing of the label's lines between them.
        let in_column = |w: &Word| w.x1 > label_start - size * 0.3 && w.x0 <= label_end;
        if value.words.iter().any(in_column) {
            return None;
        }
        let first = value.words.iter().find(|w| w.x0 > label_end)?;
        let between = |w: &Word| w.x0 > label_end && w.x0 < first.x1;
        if above.words.iter().any(between) || below.words.iter().any(between) {
            return None;
        }
        let value_text = value
            .words
            .iter()
            .filter(|w| w.x0 >= first.x0)
            .map(|w| w.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let label = format!("{} {}", head.text, tail.text);
        let hit = find_labels_before(
            &label,
            first.text.starts_with(':'),
            opens_with_number(&value_text),
        )
        .into_iter()
        .next()
        .filter(|hit| hit.start == 0 && hit.end > head.text.len())?;
        // The hit is the whole label: nothing of the two lines is left over as a value.
        if !clean_value(&label[hit.end..]).is_empty() {
            return None;
        }
        // Only a value's line that holds nothing but values right of the label moves up.
        if value.words.iter().any(|w| w.x0 <= label_end) {
            return None;
        }
        let (_, mut words) = split_words(above, head.x0, head.x1);
        let (_, below_rest) = split_words(below, tail.x0, tail.x1);
        // The label as one run where its two lines stood (written out on one line it may be
        // wider than its cell and run into the value).
        words.push(Word {
            text: label,
            x0: label_start,
            x1: label_end,
        });
        words.extend(value.words.iter().cloned());
        let joined = Line {
            size,
            ..with_words(above, words)
        };
        Some([joined, with_words(below, below_rest)])
    })
}

/// A label that wrapped in its cell with its value beside the first line: "Customer" and
/// ": RAJESH KUMAR" on one line, "Name" alone in the label's column on the next. Where the
/// lower line's cell starts in the label's column, a line apart, and the label's first cell
/// and that cell read together (and only together) as a label ending there, the line holds
/// the whole label, then the value; the lower line keeps its other columns' words.
fn label_wrapped_under_value(line: &Line, below: &Line) -> Option<[Line; 2]> {
    let size = line.size.max(below.size).max(1.0);
    let down = below.y - line.y;
    if line.page != below.page || down <= 0.0 || down > size * 2.0 {
        return None;
    }
    below.phrases(CELL_GAP_FACTOR).into_iter().find_map(|tail| {
        // The label's first line starts in the tail's column.
        let start = line
            .words
            .iter()
            .position(|w| (w.x0 - tail.x0).abs() <= size * 0.3)?;
        // Nothing of the lower line right of the tail until past the value's first word.
        let words = &line.words[start..];
        // A line already opening with a whole label as printed ("Customer Name  GOLDEN …"
        // over an "Address" label of its own) is no label's first line.
        let column_text = words
            .iter()
            .map(|w| w.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let printed_label_end = find_labels(&column_text)
            .first()
            .filter(|hit| hit.start == 0)
            .map_or(0, |hit| hit.end);
        // The label's first line is the longest run of words before a gap wider than a space
        // that, with the lower line's cell, reads as a label and nothing else; the value
        // follows it.
        (1..words.len()).rev().find_map(|cut| {
            let (head, value) = words.split_at(cut);
            let (last, next) = (head.last()?, value.first()?);
            if next.x0 - last.x1 < size * 0.5 || tail.x1 >= next.x0 {
                return None;
            }
            let below_between = below
                .words
                .iter()
                .any(|w| w.x0 > tail.x1 + 0.01 && w.x0 < next.x1);
            if below_between {
                return None;
            }
            let head_text = head
                .iter()
                .map(|w| w.text.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            if printed_label_end > head_text.len() {
                return None;
            }
            let value_text = value
                .iter()
                .map(|w| w.text.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            let label = format!("{head_text} {}", tail.text);
            let hit = find_labels_before(
                &label,
                next.text.starts_with(':'),
                opens_with_number(&value_text),
            )
            .into_iter()
            .next()
            .filter(|hit| hit.start == 0 && hit.end > head_text.len())?;
            if !clean_value(&label[hit.end..]).is_empty() {
                return None;
            }
            let first = head.first()?;
            // The label as one run where its two lines stood (written out on one line it
            // would be wider than its cell and run into the value).
            let mut kept: Vec<Word> = line.words[..start].to_vec();
            kept.push(Word {
                text: label,
                x0: first.x0.min(tail.x0),
                x1: last.x1.max(tail.x1),
            });
            kept.extend(value.iter().cloned());
            let (_, below_rest) = split_words(below, tail.x0, tail.x1);
            Some([
                Line {
                    size,
                    ..with_words(line, kept)
                },
                with_words(below, below_rest),
            ])
        })
    })
}

/// Furniture lines searched for codes by [`complete_identity`].
const MAX_FURNITURE_LINES: usize = 400;

/// Fills what page 1's block left out. `cover` holds pages printed before the table (a cover
/// page with the account details), read like the block itself; `furniture` holds page headers
/// and footers on the table's pages, from which only codes printed at the start of a cell
/// after their label are taken ("Account No : …" repeated on every page), never text that
/// could be a narration naming another account.
pub fn complete_identity(identity: &mut Identity, cover: &[Line], furniture: &[Line]) {
    if !cover.is_empty() {
        merge_missing(identity, extract_identity(cover));
    }
    // Page headers repeat on every page: the first pages' furniture is enough.
    let header = Header::new(&furniture[..furniture.len().min(MAX_FURNITURE_LINES)]);
    let mut found = Identity::default();
    for cell in header.all_cells() {
        let Some(hit) = cell.hits.first().filter(|hit| hit.start == 0) else {
            continue;
        };
        // Only its codes are kept from `found` (below).
        fill_slashed_labels(&header, cell, &mut found);
        if matches!(hit.field, Field::AccountNumber | Field::Ifsc | Field::Micr) {
            for value in value_candidates(&header, cell, hit) {
                if store(&mut found, hit.field, &value) {
                    break;
                }
            }
        }
    }
    // A footer's sentence naming the statement's account ("Statement of account no. 5010…").
    if found.account_number.is_none() {
        fill_account_in_sentence(&header, &mut found);
    }
    identity.account_number = identity.account_number.take().or(found.account_number);
    identity.ifsc = identity.ifsc.take().or(found.ifsc);
    identity.micr = identity.micr.take().or(found.micr);
}

/// Every field `identity` lacks, taken from `other`.
fn merge_missing(identity: &mut Identity, other: Identity) {
    fn fill<T>(slot: &mut Option<T>, value: Option<T>) {
        if slot.is_none() {
            *slot = value;
        }
    }
    let had_name = identity.name.is_some();
    fill(&mut identity.name, other.name);
    fill(&mut identity.address, other.address);
    fill(&mut identity.account_number, other.account_number);
    fill(&mut identity.ifsc, other.ifsc);
    fill(&mut identity.micr, other.micr);
    fill(&mut identity.account_type, other.account_type);
    fill(&mut identity.od_limit, other.od_limit);
    fill(&mut identity.credit_limit, other.credit_limit);
    fill(&mut identity.from_date, other.from_date);
    fill(&mut identity.to_date, other.to_date);
    fill(&mut identity.opening_balance, other.opening_balance);
    fill(&mut identity.closing_balance, other.closing_balance);
    fill(&mut identity.email, other.email);
    fill(&mut identity.phone_number, other.phone_number);
    fill(&mut identity.pan_number, other.pan_number);
    fill(
        &mut identity.account_opening_date,
        other.account_opening_date,
    );
    fill(&mut identity.dob, other.dob);
    fill(&mut identity.account_status, other.account_status);
    fill(&mut identity.holder_type, other.holder_type);
    // The category follows the name it was read from.
    if had_name {
        fill(&mut identity.account_category, other.account_category);
    } else if other.account_category.is_some() {
        identity.account_category = other.account_category;
    }
}

// ---------------------------------------------------------------------------------------------
// Labels
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Name,
    Address,
    AccountNumber,
    Ifsc,
    Micr,
    AccountType,
    OdLimit,
    CreditLimit,
    OpeningBalance,
    ClosingBalance,
    /// "Balance as on <date>": opening or closing depending on the date.
    BalanceAsOn,
    FromDate,
    ToDate,
    Email,
    Phone,
    Pan,
    OpeningDate,
    Dob,
    AccountStatus,
    /// Mode of operation or holding: single or joint.
    HolderType,
    /// A joint holder's name; printing one makes the account joint.
    JointHolder,
    /// Known labels whose values we do not report; recognising them stops their words being
    /// read as someone else's value ("Branch Name" is not the holder's "Name").
    Other,
}

/// Labels as printed, with the field each one introduces (`data/identity_labels.tsv`).
const LABEL_TABLE: &str = include_str!("../data/identity_labels.tsv");

impl Field {
    /// The field named in the label table.
    fn from_name(name: &str) -> Option<Field> {
        Some(match name {
            "name" => Field::Name,
            "address" => Field::Address,
            "account_number" => Field::AccountNumber,
            "ifsc" => Field::Ifsc,
            "micr" => Field::Micr,
            "account_type" => Field::AccountType,
            "od_limit" => Field::OdLimit,
            "credit_limit" => Field::CreditLimit,
            "opening_balance" => Field::OpeningBalance,
            "closing_balance" => Field::ClosingBalance,
            "balance_as_on" => Field::BalanceAsOn,
            "from_date" => Field::FromDate,
            "to_date" => Field::ToDate,
            "email" => Field::Email,
            "phone" => Field::Phone,
            "pan" => Field::Pan,
            "opening_date" => Field::OpeningDate,
            "dob" => Field::Dob,
            "account_status" => Field::AccountStatus,
            "holder_type" => Field::HolderType,
            "joint_holder" => Field::JointHolder,
            "other" => Field::Other,
            _ => return None,
        })
    }
}

/// A defect in the embedded label table (caught by this module's tests).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("identity_labels.tsv line {line}: {problem}")]
pub struct LabelTableError {
    line: usize,
    problem: String,
}

/// `(label, field)` rows of a label table; comments and blank lines skipped.
/// One row of the label table: text, field, whether it counts only before a colon, and whether
/// only before a number.
type LabelRow = (String, Field, bool, bool);

fn parse_label_table(tsv: &str) -> Result<Vec<LabelRow>, LabelTableError> {
    tsv.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|(index, line)| {
            let problem = |problem: String| LabelTableError {
                line: index + 1,
                problem,
            };
            let mut columns = line.split('\t');
            let (Some(label), Some(field)) = (columns.next(), columns.next()) else {
                return Err(problem("expected label<TAB>field".to_string()));
            };
            let field = Field::from_name(field.trim())
                .ok_or_else(|| problem(format!("unknown field {field:?}")))?;
            if tokens(label).is_empty() {
                return Err(problem(format!("label {label:?} has no words")));
            }
            let (colon_only, number_only) = match columns.next().map(str::trim) {
                None | Some("") => (false, false),
                Some("colon") => (true, false),
                Some("number") => (false, true),
                Some(other) => return Err(problem(format!("unknown position {other:?}"))),
            };
            Ok((label.trim().to_string(), field, colon_only, number_only))
        })
        .collect()
}

/// Single generic words ("Name", "Product") count as labels only where a human would read them
/// as one: at the start of a cell or right before a colon. These few are distinctive enough to
/// count anywhere, like every multi-word label.
const DISTINCTIVE_SINGLE_WORD_LABELS: [&str; 2] = ["IFSC", "MICR"];

struct Label {
    tokens: Vec<String>,
    field: Field,
    anywhere: bool,
    /// Too common as a plain word ("Account", "A/C"): a label only right before a colon.
    colon_only: bool,
    /// Also a value of another label ("Savings Account", an account type): a label only right
    /// before a number (its colon or dash between), "Savings Account 0123…".
    number_only: bool,
}

fn labels() -> &'static [Label] {
    static LABELS: std::sync::OnceLock<Vec<Label>> = std::sync::OnceLock::new();
    LABELS.get_or_init(|| {
        let rows = parse_label_table(LABEL_TABLE)
            .expect("the embedded label table is valid (checked by identity::tests)");
        let mut table: Vec<Label> = rows
            .iter()
            .map(|(text, field, colon_only, number_only)| {
                let tokens: Vec<String> = tokens(text).into_iter().map(|t| t.upper).collect();
                let anywhere = tokens.len() >= 2
                    || tokens
                        .first()
                        .is_some_and(|t| DISTINCTIVE_SINGLE_WORD_LABELS.contains(&t.as_str()));
                Label {
                    tokens,
                    field: *field,
                    anywhere,
                    colon_only: *colon_only,
                    number_only: *number_only,
                }
            })
            .collect();
        // Longest first, so "Branch Name" wins over "Name" at the same position.
        table.sort_by_key(|label| std::cmp::Reverse(label.tokens.len()));
        table
    })
}

/// The labels whose first token is `first`, in [`labels`]' order (longest first): a cell's
/// word is tried against these only, not against the whole table.
fn labels_starting_with(first: &str) -> &'static [&'static Label] {
    static BY_FIRST: std::sync::OnceLock<FxHashMap<&'static str, Vec<&'static Label>>> =
        std::sync::OnceLock::new();
    let by_first = BY_FIRST.get_or_init(|| {
        let mut index: FxHashMap<&'static str, Vec<&'static Label>> = FxHashMap::default();
        for label in labels() {
            if let Some(first) = label.tokens.first() {
                index.entry(first.as_str()).or_default().push(label);
            }
        }
        index
    });
    by_first.get(first).map_or(&[], Vec::as_slice)
}

/// An alphanumeric run of a cell's text with its byte span.
struct Token {
    upper: String,
    start: usize,
    end: usize,
}

/// Alphanumeric runs, plus `#` as a word of its own: "Account #" is a label as much as
/// "Account No" is.
fn tokens(text: &str) -> Vec<Token> {
    let mut found = Vec::new();
    let mut start = None;
    for (index, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        match (start, c.is_alphanumeric()) {
            (None, true) => start = Some(index),
            (Some(s), false) => {
                found.push(Token {
                    upper: text[s..index].to_uppercase(),
                    start: s,
                    end: index,
                });
                start = None;
            }
            _ => {}
        }
        if c == '#' {
            found.push(Token {
                upper: "#".to_string(),
                start: index,
                end: index + 1,
            });
        }
    }
    found
}

// ---------------------------------------------------------------------------------------------
// Cells
// ---------------------------------------------------------------------------------------------

/// Gap (in font sizes) that separates two cells on one line.
const CELL_GAP_FACTOR: f32 = 1.0;
/// How far (in font sizes) a value may sit to the right of its label on the same line.
const MAX_LABEL_VALUE_GAP: f32 = 15.0;
/// How far (in font sizes) below a label row its value row may sit.
const MAX_ROW_DROP: f32 = 3.0;

/// How far (in font sizes) a title ("MR", "M/s.") may sit left of the name it belongs to.
const MAX_HONORIFIC_GAP: f32 = 12.0;

/// Words printed with a holder's name that are not the name (see the table's header).
const NAME_WORD_TABLE: &str = include_str!("../data/holder_name_words.tsv");

/// What a row of the name-word table is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NameWord {
    /// "MR", "M/s." before a name.
    Honorific,
    /// "SBA-" before a name: the product's code.
    ProductPrefix,
    /// "(Primary)", "(Joint)" after a name.
    HolderMark,
    /// "Dear" opening a letter's greeting.
    Salutation,
    /// "ROAD", "NAGAR": a word of an address line.
    AddressWord,
    /// "NEW", "WEST": a word that opens a place's name and never ends an address part.
    PlaceHead,
    /// "NAGAR", "PRADESH": a word that ends a place's name and never opens an address part.
    PlaceTail,
    /// "SECTOR", "PHASE": a word an address prints a number after ("SECTOR 9"), so a line
    /// ending with it was cut before its number.
    NumberHead,
    /// A bank's tagline ("Relationship beyond banking"): printed under its name, never a name.
    Tagline,
}

impl NameWord {
    fn from_name(name: &str) -> Option<NameWord> {
        Some(match name {
            "honorific" => NameWord::Honorific,
            "product_prefix" => NameWord::ProductPrefix,
            "holder_mark" => NameWord::HolderMark,
            "salutation" => NameWord::Salutation,
            "address_word" => NameWord::AddressWord,
            "place_head" => NameWord::PlaceHead,
            "place_tail" => NameWord::PlaceTail,
            "number_head" => NameWord::NumberHead,
            "tagline" => NameWord::Tagline,
            _ => return None,
        })
    }
}

/// `(kind, words)` rows of the name-word table, the words upper-cased and joined by single
/// spaces as [`tokens`] splits them.
fn parse_name_word_table(tsv: &str) -> Result<Vec<(NameWord, String)>, LabelTableError> {
    tsv.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|(index, line)| {
            let problem = |problem: String| LabelTableError {
                line: index + 1,
                problem,
            };
            let (kind, words) = line
                .split_once('\t')
                .ok_or_else(|| problem("expected kind<TAB>words".to_string()))?;
            let kind = NameWord::from_name(kind.trim())
                .ok_or_else(|| problem(format!("unknown kind {kind:?}")))?;
            let joined = joined_words(words);
            if joined.is_empty() || joined.len() >= HONORIFIC_BOUND && kind == NameWord::Honorific {
                return Err(problem(format!("words {words:?} empty or too long")));
            }
            Ok((kind, joined))
        })
        .collect()
}

/// The text's [`tokens`], upper-cased and joined by single spaces: "M/s." is "M S".
fn joined_words(text: &str) -> String {
    tokens(text)
        .into_iter()
        .map(|t| t.upper)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The entries of one kind of the name-word table.
fn name_words(kind: NameWord) -> &'static [String] {
    static TABLE: std::sync::OnceLock<Vec<(NameWord, Vec<String>)>> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let rows = parse_name_word_table(NAME_WORD_TABLE)
            .expect("the embedded name-word table is valid (checked by identity::tests)");
        let kinds = [
            NameWord::Honorific,
            NameWord::ProductPrefix,
            NameWord::HolderMark,
            NameWord::Salutation,
            NameWord::AddressWord,
            NameWord::PlaceHead,
            NameWord::PlaceTail,
            NameWord::NumberHead,
            NameWord::Tagline,
        ];
        kinds
            .into_iter()
            .map(|kind| {
                let words = rows.iter().filter(|(k, _)| *k == kind);
                (kind, words.map(|(_, w)| w.clone()).collect())
            })
            .collect()
    });
    table
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or(&[], |(_, words)| words.as_slice())
}

/// Whether `text`'s words are one entry of `kind` in the name-word table.
fn is_name_word(text: &str, kind: NameWord) -> bool {
    let joined = joined_words(text);
    name_words(kind).contains(&joined)
}

/// Longer than any honorific of the name-word table (checked when it is read).
const HONORIFIC_BOUND: usize = 8;

/// Whether the text's [`tokens`], upper-cased and joined by single spaces, are one of
/// [`HONORIFICS`]. Called for every word of every header line, so the joined words are built in
/// a small stack buffer and given up on as soon as they cannot be a title (too long, not ASCII,
/// a `#`) instead of allocating per token.
fn is_honorific(text: &str) -> bool {
    let mut joined = [0u8; HONORIFIC_BOUND];
    let mut len = 0;
    let mut in_word = false;
    for c in text.chars() {
        if !c.is_alphanumeric() {
            if c == '#' {
                return false;
            }
            in_word = false;
            continue;
        }
        let separator = (!in_word && len > 0).then_some(' ');
        in_word = true;
        for upper in separator.into_iter().chain(c.to_uppercase()) {
            if !upper.is_ascii() || len == HONORIFIC_BOUND {
                return false;
            }
            joined[len] = upper as u8;
            len += 1;
        }
    }
    len > 0
        && name_words(NameWord::Honorific)
            .iter()
            .any(|h| h.as_bytes() == &joined[..len])
}

/// The text without replacement characters, control codes, zero-width marks and private-use
/// glyphs.
fn printable(text: &str) -> String {
    text.chars()
        .filter(|&c| {
            !(c.is_control()
                || c == '\u{FFFD}'
                || c == '\u{FEFF}'
                || ('\u{200B}'..='\u{200D}').contains(&c)
                || ('\u{E000}'..='\u{F8FF}').contains(&c))
        })
        .collect()
}

/// A group of adjacent words on one line, with the labels found in it.
struct Cell {
    line: usize,
    text: String,
    x0: f32,
    x1: f32,
    /// Byte span of each word in `text`, with its horizontal extent.
    words: Vec<(usize, usize, f32, f32)>,
    hits: Vec<LabelHit>,
}

struct LabelHit {
    field: Field,
    start: usize,
    end: usize,
    /// Text after the label up to the next label in the same cell, separators trimmed.
    value: String,
}

impl Cell {
    fn starts_with_label(&self) -> bool {
        self.hits.first().is_some_and(|hit| hit.start == 0)
    }

    /// Horizontal extent of a byte range of the text.
    fn extent(&self, start: usize, end: usize) -> (f32, f32) {
        let covered = self
            .words
            .iter()
            .filter(|(s, e, _, _)| *s < end && start < *e);
        covered.fold((f32::MAX, f32::MIN), |(x0, x1), (_, _, wx0, wx1)| {
            (x0.min(*wx0), x1.max(*wx1))
        })
    }
}

struct Header<'a> {
    lines: &'a [Line],
    /// Cells of each line, left to right.
    cells: Vec<Vec<Cell>>,
}

impl<'a> Header<'a> {
    fn new(lines: &'a [Line]) -> Self {
        let mut cells: Vec<Vec<Cell>> = Vec::with_capacity(lines.len());
        for (index, line) in lines.iter().enumerate() {
            // Under a row of labels each value starts where its label does: a long value
            // ("SHREE GANESH ENTERPRISES") may end closer to the next one than cells usually
            // stand apart.
            let starts = match (index.checked_sub(1), cells.last()) {
                (Some(above), Some(labels)) if line.y - lines[above].y <= line.size * 2.5 => {
                    label_row_starts(labels)
                }
                _ => Vec::new(),
            };
            cells.push(cells_of(index, line, &starts));
        }
        number_only_labels_over_numbers(lines, &mut cells);
        Header { lines, cells }
    }

    fn all_cells(&self) -> impl Iterator<Item = &Cell> {
        self.cells.iter().flatten()
    }

    /// The first line after `line` with words: a line left empty by a wrapped label joined
    /// above it is passed over.
    fn next_printed_line(&self, line: usize) -> usize {
        (line + 1..self.lines.len())
            .find(|&index| self.lines.get(index).is_some_and(|l| !l.words.is_empty()))
            .unwrap_or(line + 1)
    }

    /// The baseline a line's distance from the one above it is measured from: the line right
    /// above it, printed or left empty by a wrapped label (whose lines kept the block's pitch).
    fn y_above(&self, line: usize) -> Option<f32> {
        self.lines.get(line.checked_sub(1)?).map(|l| l.y)
    }

    fn size(&self, line: usize) -> f32 {
        self.lines.get(line).map_or(8.0, |l| l.size.max(1.0))
    }
}

/// A number-only label printed alone in its cell ("Savings Account") with its number in the
/// cell under it (label boxes over value boxes) is a label as much as one before its number.
fn number_only_labels_over_numbers(lines: &[Line], cells: &mut [Vec<Cell>]) {
    for index in 0..cells.len().saturating_sub(1) {
        let (Some(line), Some(below)) = (lines.get(index), lines.get(index + 1)) else {
            continue;
        };
        let near = below.page == line.page && below.y - line.y <= line.size.max(1.0) * MAX_ROW_DROP;
        if !near {
            continue;
        }
        let (upper, lower) = cells.split_at_mut(index + 1);
        let (Some(row), Some(under)) = (upper.last_mut(), lower.first()) else {
            continue;
        };
        for cell in row.iter_mut().filter(|c| c.hits.is_empty()) {
            let number_under = under
                .iter()
                .any(|c| c.x1.min(cell.x1) - c.x0.max(cell.x0) > 0.0 && opens_with_number(&c.text));
            if number_under {
                cell.hits = find_labels_before(&cell.text, false, true);
            }
        }
    }
}

/// The left edges of a line of two or more cells that are each a label and nothing else.
fn label_row_starts(cells: &[Cell]) -> Vec<f32> {
    let bare_label =
        |c: &Cell| c.starts_with_label() && c.hits.len() == 1 && c.hits[0].value.is_empty();
    if cells.len() >= 2 && cells.iter().all(bare_label) {
        cells.iter().map(|c| c.x0).collect()
    } else {
        Vec::new()
    }
}

/// The line's words grouped into cells; a word starting at one of `column_starts` (the labels
/// of the row above) always starts a cell.
fn cells_of(line_index: usize, line: &Line, column_starts: &[f32]) -> Vec<Cell> {
    let max_gap = line.size.max(1.0) * CELL_GAP_FACTOR;
    let at_column_start = |x: f32| {
        column_starts
            .iter()
            .any(|s| (x - s).abs() <= line.size * 0.3)
    };
    let max_honorific_gap = line.size.max(1.0) * MAX_HONORIFIC_GAP;
    let mut cells: Vec<Cell> = Vec::new();
    // Where the last word dropped as unprintable ended, when it stood close after the last
    // cell: a glyph the text layer cannot name ("1. ? RAVI …", U+FFFD) still fills the space
    // between the words around it, and the cell runs on through it.
    let mut bridge: Option<f32> = None;
    for word in &line.words {
        // Replacement characters and control codes come from fonts without a usable
        // ToUnicode map; they are never part of a name or a number.
        let text = printable(&word.text);
        if text.is_empty() {
            let from = bridge.or(cells.last().map(|c| c.x1));
            bridge = from
                .filter(|&x1| word.x0 - x1 <= max_gap)
                .map(|x1| x1.max(word.x1));
            continue;
        }
        let last_x1 = |c: &Cell| bridge.map_or(c.x1, |b| b.max(c.x1));
        // "MR" set apart from the name it belongs to (a fixed-width title field) is still
        // one name: the title joins the cell after it.
        // A "DR"/"CR" marker before an amount is not a title: names never start with a digit.
        let starts_name = text.starts_with(char::is_alphabetic) && !is_honorific(&text);
        let follows_honorific = cells.last().is_some_and(|c| {
            is_honorific(&c.text) && word.x0 - c.x1 <= max_honorific_gap && starts_name
        });
        let joins_previous = (cells
            .last()
            .is_some_and(|c| word.x0 - last_x1(c) <= max_gap)
            || follows_honorific)
            && !at_column_start(word.x0);
        bridge = None;
        if !joins_previous {
            cells.push(Cell {
                line: line_index,
                text: String::new(),
                x0: word.x0,
                x1: word.x1,
                words: Vec::new(),
                hits: Vec::new(),
            });
        }
        if let Some(cell) = cells.last_mut() {
            if !cell.text.is_empty() {
                cell.text.push(' ');
            }
            let start = cell.text.len();
            cell.text.push_str(&text);
            cell.words.push((start, cell.text.len(), word.x0, word.x1));
            cell.x1 = cell.x1.max(word.x1);
        }
    }
    // A colon printed apart from its label ("Statement From      : 01/04/2024") still makes a
    // colon-only label a label.
    // So does a number printed apart for a number-only label ("Savings Account   0123…").
    let after: Vec<(bool, bool)> = (0..cells.len())
        .map(|index| {
            let next = cells.get(index + 1);
            (
                next.is_some_and(|next| next.text.starts_with(':')),
                next.is_some_and(|next| opens_with_number(&next.text)),
            )
        })
        .collect();
    for (cell, (colon_after, number_after)) in cells.iter_mut().zip(after) {
        cell.hits = find_labels_before(&cell.text, colon_after, number_after);
    }
    cells
}

fn find_labels(text: &str) -> Vec<LabelHit> {
    find_labels_before(text, false, false)
}

/// Labels in `text`; `colon_after` says the next cell starts with a colon, which then follows
/// a label that ends the text; `number_after`, that it starts with a number.
fn find_labels_before(text: &str, colon_after: bool, number_after: bool) -> Vec<LabelHit> {
    let words = tokens(text);
    let mut spans: Vec<(Field, usize, usize)> = Vec::new();
    let mut index = 0;
    while index < words.len() {
        let candidates = labels_starting_with(&words[index].upper);
        let matched = candidates.iter().find(|label| {
            let candidate = words.get(index..index + label.tokens.len());
            let same =
                candidate.is_some_and(|c| c.iter().zip(&label.tokens).all(|(w, l)| w.upper == *l));
            same && candidate.is_some_and(|c| ends_glued_if_one_letter(text, c))
                && candidate.is_some_and(|c| !spans_spaced_slash(text, c))
                && {
                    let last = index + label.tokens.len() - 1;
                    // The colon or number a label needs may follow its slash qualifier
                    // ("Savings Account/ Type : 0123… / SAVINGS"): the qualifier is part of it.
                    let qualifier = slash_qualifier(text, &words[last + 1..]).unwrap_or(0);
                    // "Savings Account/ Type : 4110…" with no account number after it: its
                    // "Account" is no label of its own before the same qualifier (a label
                    // with no qualifier, its colon set apart, still stands).
                    let inside_number_label =
                        label.colon_only && qualifier > 0 && ends_number_only_label(&words, index);
                    let rest = &text[words[last + qualifier].end..];
                    // "Account No / IFSC : 5010… / HDFC…": the colon or number a label needs
                    // may follow the labels printed after it over a slash.
                    let beyond = past_slashed_labels(rest);
                    let colon = followed_by_colon(rest)
                        || followed_by_colon(beyond)
                        || (colon_after && beyond.trim_matches([' ', '.', ')']).is_empty());
                    // "Account Number / UCIC : …": a label joined to the one before it by a
                    // slash stands where a cell would start.
                    let after_slashed_label = spans.last().is_some_and(|&(_, _, end)| {
                        slash_joined(text.get(end..words[index].start).unwrap_or_default())
                    });
                    !inside_number_label
                        && (index == 0 || label.anywhere || colon || after_slashed_label)
                        && (colon || !label.colon_only)
                        && (!label.number_only
                            || opens_with_number(rest)
                            || opens_with_number(beyond)
                            || (number_after && beyond.trim_matches([' ', '.', ':']).is_empty()))
                }
        });
        match matched {
            Some(label) => {
                let mut last = index + label.tokens.len() - 1;
                // "Account No/ Type : 5010… / SAVINGS": the words after a slash name a second
                // part of the same value, so they belong to the label, not the value.
                if let Some(extra) = slash_qualifier(text, &words[last + 1..]) {
                    last += extra;
                }
                spans.push((label.field, words[index].start, words[last].end));
                index = last + 1;
            }
            None => index += 1,
        }
    }
    let value_ends: Vec<usize> = spans
        .iter()
        .skip(1)
        .map(|(_, start, _)| *start)
        .chain(std::iter::once(text.len()))
        .collect();
    spans
        .iter()
        .zip(value_ends)
        .map(|(&(field, start, end), value_end)| LabelHit {
            field,
            start,
            end,
            value: clean_value(&text[end..value_end.max(end)]).to_string(),
        })
        .collect()
}

/// A label's one-letter last word is glued to the word before it ("Holder(s)", "A/C"): "A/C
/// Holder - S. KULKARNI" has an initial after the label, not "Holder(s)".
fn ends_glued_if_one_letter(text: &str, words: &[Token]) -> bool {
    match words {
        [.., before, last]
            if last.upper.chars().count() == 1 && last.upper.chars().all(char::is_alphabetic) =>
        {
            !text[before.end..last.start].contains(char::is_whitespace)
        }
        _ => true,
    }
}

/// Whether the word at `index` ends a number-only label of two words or more printed before
/// it ("Savings Account"): where that label found no number, its last word ("Account") is no
/// label of its own.
fn ends_number_only_label(words: &[Token], index: usize) -> bool {
    (1..=index).any(|back| {
        let first = index - back;
        labels_starting_with(&words[first].upper)
            .iter()
            .any(|label| {
                label.number_only
                    && label.tokens.len() == back + 1
                    && words
                        .get(first..=index)
                        .is_some_and(|c| c.iter().zip(&label.tokens).all(|(w, t)| w.upper == *t))
            })
    })
}

/// Whether a spaced slash stands between two of a label's words: "Account/ Type : 5010… /
/// CURRENT" prints two labels for two values, the account's number and its type, not the
/// "Account Type" label ("A/C" glues its slash and stays one label).
fn spans_spaced_slash(text: &str, words: &[Token]) -> bool {
    words.windows(2).any(|pair| {
        let between = text.get(pair[0].end..pair[1].start).unwrap_or_default();
        between.contains('/') && between.contains(char::is_whitespace)
    })
}

/// Most words a label's slash qualifier has ("/ Type", "/ Product Type").
const MAX_QUALIFIER_WORDS: usize = 2;

/// How many of `after` (the words following a label) are a qualifier printed after a slash and
/// before the label's colon or the end of its cell ("Account No/ Type :"); `None` when there is
/// none, or when the words are a label of their own ("Branch/IFSC : …" keeps its IFSC).
fn slash_qualifier(text: &str, after: &[Token]) -> Option<usize> {
    let first = after.first()?;
    let before_first = text.get(..first.start)?;
    let gap_start = before_first.trim_end().len();
    let gap = text.get(gap_start..first.start)?;
    // The slash sits right before the first word, after the label's last word.
    let slash_before = before_first.trim_end().ends_with('/') && gap.trim().is_empty();
    if !slash_before {
        return None;
    }
    (1..=MAX_QUALIFIER_WORDS.min(after.len())).find(|&count| {
        let words = &after[..count];
        let rest = text.get(words[count - 1].end..).unwrap_or_default();
        // The label ends at its colon, at the end of its cell, or where the value starts
        // after a plain gap ("Account No/ Type 5010… / SAVINGS").
        let next_is_value = after
            .get(count)
            .is_some_and(|next| next.upper.chars().any(|c| c.is_ascii_digit()));
        let ends_label =
            rest.trim_start().starts_with(':') || rest.trim().is_empty() || next_is_value;
        let all_letters = words
            .iter()
            .all(|w| w.upper.chars().all(char::is_alphabetic));
        let qualifier_text = text
            .get(first.start..words[count - 1].end)
            .unwrap_or_default();
        ends_label && all_letters && find_labels(qualifier_text).is_empty()
    })
}

/// Fewest characters (digits, or a masked number's "X" / "*") of the number a number-only label
/// labels: an account number is 10 digits or more where a MICR code or a customer number, often
/// printed in the next cell, is 9.
const MIN_LABELLED_NUMBER_CHARS: usize = 10;

/// Whether `rest` (the text after a label) opens with an account number, past a colon or dash.
fn opens_with_number(rest: &str) -> bool {
    let rest = rest.trim_start_matches([' ', ':', '-', '.']);
    let glued = rest
        .chars()
        .take_while(|c| c.is_ascii_digit() || matches!(c, 'X' | 'x' | '*'))
        .count();
    // Or printed in groups ("5010 0123 4567 89").
    let grouped = || {
        account_number_in(rest).is_some_and(|number| {
            number.contains(' ')
                && number.chars().filter(|c| !c.is_whitespace()).count()
                    >= MIN_LABELLED_NUMBER_CHARS
        })
    };
    let first_word = rest.split_whitespace().next().unwrap_or_default();
    glued >= MIN_LABELLED_NUMBER_CHARS
        || (rest.starts_with(|c: char| c.is_ascii_digit()) && grouped())
        || hyphenated_number(first_word)
        || is_short_mask(first_word)
}

/// An account number printed in groups joined by hyphens ("5010-0123-4567-89", "XXXX-XXXX-
/// 1234"): three groups or more of digits (or mask characters), at least
/// [`MIN_LABELLED_NUMBER_CHARS`] of them, the last group of digits. A date has fewer.
fn hyphenated_number(word: &str) -> bool {
    let groups: Vec<&str> = word.split('-').collect();
    let is_group = |g: &&str| {
        !g.is_empty()
            && g.chars()
                .all(|c| c.is_ascii_digit() || matches!(c, 'X' | 'x' | '*'))
    };
    let counted: usize = groups.iter().map(|g| g.len()).sum();
    groups.len() >= 3
        && groups.iter().all(is_group)
        && groups
            .last()
            .is_some_and(|g| g.chars().all(|c| c.is_ascii_digit()))
        && counted >= MIN_LABELLED_NUMBER_CHARS
}

/// An account number masked down to its last digits ("XX1033", "XXXX1033", "**1033"): two
/// mask characters or more, then three digits or more, nothing else.
fn is_short_mask(word: &str) -> bool {
    let masked = word
        .chars()
        .take_while(|c| matches!(c, 'X' | 'x' | '*'))
        .count();
    let digits = &word[masked..];
    masked >= 2 && digits.len() >= 3 && digits.chars().all(|c| c.is_ascii_digit())
}

fn followed_by_colon(rest: &str) -> bool {
    rest.trim_start_matches([' ', '.', ')']).starts_with(':')
}

/// Drops the separators between a label and its value: spaces, `:`, `.`, a lone `-`, `)` left
/// from labels like "Account Holder(s)".
fn clean_value(raw: &str) -> &str {
    let mut value = raw.trim();
    loop {
        let next = if let Some(rest) = value.strip_prefix([':', '.', ')']) {
            rest
        } else if let Some(rest) = value.strip_prefix("- ") {
            rest
        } else if value == "-" {
            ""
        } else {
            break;
        };
        value = next.trim_start();
    }
    value.trim_end()
}

// ---------------------------------------------------------------------------------------------
// Labelled fields
// ---------------------------------------------------------------------------------------------

fn fill_labelled_fields(header: &Header, identity: &mut Identity) {
    for cell in header.all_cells() {
        fill_slashed_labels(header, cell, identity);
        for hit in &cell.hits {
            for value in value_candidates(header, cell, hit) {
                if store(identity, hit.field, &value) {
                    break;
                }
            }
        }
    }
}

/// Labels printed over one slash with their values in the same order ("Account No / IFSC :
/// 5010… / HDFC0001234", "A/c No. / Cust ID : 5010… / 123456789"): each label between two
/// labels is followed by nothing but the slash (and words of no label, "RTGS/NEFT"), and the
/// last label's value, wherever it is printed, splits at its slashes into as many parts as
/// there are labels. Each label then takes its part; where the parts do not count the labels,
/// nothing is taken here.
fn fill_slashed_labels(header: &Header, cell: &Cell, identity: &mut Identity) {
    let mut first = 0;
    while first < cell.hits.len() {
        // The run of labels joined by slashes from `first`.
        let mut last = first;
        while last + 1 < cell.hits.len() && slash_between(cell, last) {
            last += 1;
        }
        if last > first {
            let run = &cell.hits[first..=last];
            for value in value_candidates(header, cell, &cell.hits[last]) {
                let Some(parts) = slashed_parts(&value, run.len()) else {
                    continue;
                };
                for (hit, part) in run.iter().zip(&parts) {
                    store(identity, hit.field, part);
                }
                break;
            }
        }
        first = last + 1;
    }
}

/// Whether the hit at `index` and the next one are joined by a slash: the text between them
/// holds a slash and no digit (a label's value would have one, or be a word of its own).
fn slash_between(cell: &Cell, index: usize) -> bool {
    let (Some(hit), Some(next)) = (cell.hits.get(index), cell.hits.get(index + 1)) else {
        return false;
    };
    slash_joined(cell.text.get(hit.end..next.start).unwrap_or_default())
}

/// Whether `between`, the text between two labels, joins them over a slash: it opens with the
/// slash and holds no digit, its words (if any) glued to a slash of their own ("/ RTGS/NEFT").
fn slash_joined(between: &str) -> bool {
    let words = tokens(between);
    // "Account No / RTGS/NEFT IFSC": a qualifier glued by its own slash is part of the label.
    let glued_words = words.iter().all(|w| {
        w.upper.chars().all(char::is_alphabetic)
            && (between[..w.start].ends_with('/') || between[w.end..].starts_with('/'))
    });
    between.trim_start_matches([' ', '.', ')']).starts_with('/')
        && !between.chars().any(|c| c.is_ascii_digit())
        && (words.is_empty() || glued_words)
}

/// `rest` (the text after a label) past the labels printed after it over slashes ("/ IFSC
/// Code" in "Account No / IFSC Code : …"); `rest` itself when none follows.
fn past_slashed_labels(rest: &str) -> &str {
    let mut rest = rest;
    while let Some(after_slash) = rest.trim_start_matches([' ', '.', ')']).strip_prefix('/') {
        let slash_at = rest.len() - after_slash.len() - 1;
        let next = find_labels(after_slash).into_iter().next().filter(|hit| {
            slash_joined(&rest[slash_at..rest.len() - after_slash.len() + hit.start])
        });
        match next {
            Some(hit) => rest = &after_slash[hit.end..],
            None => break,
        }
    }
    rest
}

/// `value` cut at its slashes into `count` parts: at spaced slashes where it has them, else at
/// every slash; `None` when that does not give `count` parts, or a part is empty.
fn slashed_parts(value: &str, count: usize) -> Option<Vec<String>> {
    let cut: Vec<&str> = if value.contains(" / ") {
        value.split(" / ").collect()
    } else {
        value.split('/').collect()
    };
    let parts: Vec<String> = cut
        .iter()
        .map(|part| clean_value(part).to_string())
        .collect();
    (parts.len() == count && parts.iter().all(|part| !part.is_empty())).then_some(parts)
}

/// Where a label's value may be printed, nearest first: after it in the same cell, in the next
/// cell of the line (label and value columns), or in the row below (two-row tables).
fn value_candidates(header: &Header, cell: &Cell, hit: &LabelHit) -> Vec<String> {
    if hit.field == Field::Name && is_honorific(&hit.value) {
        // "Name : MR" with the name set apart beside it, or "Name : M/s." over the firm.
        let (x0, x1) = cell.extent(hit.end, cell.text.len());
        let rest = next_cell_value(header, cell).or_else(|| {
            cell_below(header, cell.line, x0, x1).map(|c| clean_value(&c.text).to_string())
        });
        if let Some(rest) = rest {
            return vec![format!("{} {rest}", hit.value)];
        }
    }
    if !hit.value.is_empty() {
        return vec![hit.value.clone()];
    }
    let is_last_hit = cell.hits.last().is_some_and(|last| last.start == hit.start);
    let mut candidates = Vec::new();
    if is_last_hit {
        if let Some((_, value_cell)) = value_cells(header, cell) {
            let value = clean_value(&value_cell.text);
            // "Name : MR" with the name on the line under the title, in the value column.
            if hit.field == Field::Name && is_honorific(value) {
                let below = cell_below(header, value_cell.line, value_cell.x0, value_cell.x1);
                if let Some(below) = below {
                    candidates.push(format!("{value} {}", clean_value(&below.text)));
                }
            }
            candidates.push(value.to_string());
        }
    }
    // Under an empty "Joint Holders :" line sits the next block (address, nominee), and any
    // text there reads like a name; only a value beside the label names a joint holder.
    if hit.field == Field::JointHolder {
        return candidates;
    }
    let (x0, x1) = cell.extent(hit.start, hit.end);
    if let Some(below) = cell_below(header, cell.line, x0, x1) {
        candidates.push(clean_value(&below.text).to_string());
    }
    // "Name   M/s." with the firm on the next line: one name, title included.
    let title_cell = next_cell(header, cell).filter(|next| is_honorific(&next.text));
    if let (Field::Name, Some(title)) = (hit.field, title_cell) {
        if let Some(below) = cell_below(header, title.line, title.x0, title.x1) {
            candidates.insert(0, format!("{} {}", title.text, clean_value(&below.text)));
        }
    }
    candidates
}

fn next_cell<'h>(header: &'h Header, cell: &Cell) -> Option<&'h Cell> {
    header.cells.get(cell.line)?.iter().find(|c| c.x0 > cell.x1)
}

fn next_cell_value(header: &Header, cell: &Cell) -> Option<String> {
    value_cells(header, cell).map(|(_, value)| clean_value(&value.text).to_string())
}

/// The cell holding a label's value on the label's line, with the separator cell before it
/// when the colon is printed in a column of its own ("Account No      :      5010…"). The
/// value is the next cell when it is near the label, or far but in a value column: a
/// label/value table as wide as the page puts every value far right of its label.
fn value_cells<'h>(header: &'h Header, cell: &Cell) -> Option<(Option<&'h Cell>, &'h Cell)> {
    let row = header.cells.get(cell.line)?;
    let max_gap = header.size(cell.line) * MAX_LABEL_VALUE_GAP;
    let mut after = row.iter().filter(|c| c.x0 > cell.x1);
    let next = after.next()?;
    let reachable = |from: &Cell, to: &Cell| {
        !to.starts_with_label() && (to.x0 - from.x1 <= max_gap || in_value_column(header, cell, to))
    };
    if !reachable(cell, next) {
        return None;
    }
    if !is_separator_cell(next) {
        return Some((None, next));
    }
    match after.next() {
        Some(value) if reachable(next, value) => Some((Some(next), value)),
        // A separator with nothing after it: the value is empty (or printed below).
        _ => Some((None, next)),
    }
}

/// A cell holding only a label/value separator (":", "-", ":-").
fn is_separator_cell(cell: &Cell) -> bool {
    !cell.text.is_empty()
        && cell
            .text
            .chars()
            .all(|c| matches!(c, ':' | '-' | ' ' | '.'))
}

/// Other lines of a label/value table that support reading `value` as the value of `label`
/// although they are far apart: at least this many lines with a label cell at the label's x
/// and a value cell at the value's x (one: a cover page leaves only the period's two lines
/// above the table).
const MIN_TABLE_LINES: usize = 1;

/// Whether `value` sits in a value column of a two-column label/value table whose label column
/// holds `label`: other lines print a label at the label's x and a value at the value's x, and
/// the value ends its line (or the next pair's label follows it).
fn in_value_column(header: &Header, label: &Cell, value: &Cell) -> bool {
    let tolerance = header.size(label.line) * COLUMN_TOLERANCE;
    let page = header.lines.get(label.line).map(|l| l.page);
    let ends_pair = header.cells.get(value.line).is_some_and(|row| {
        let mut after = row.iter().filter(|c| c.x0 > value.x1);
        // A colon printed apart is followed by its value, which then ends the pair.
        if is_separator_cell(value) {
            after.next();
        }
        after.next().is_none_or(Cell::starts_with_label)
    });
    if !ends_pair {
        return false;
    }
    let supporting = header
        .cells
        .iter()
        .enumerate()
        .filter(|(index, row)| {
            *index != label.line
                && header.lines.get(*index).map(|l| l.page) == page
                && row
                    .iter()
                    .any(|c| c.starts_with_label() && (c.x0 - label.x0).abs() <= tolerance)
                && row
                    .iter()
                    .any(|c| !c.starts_with_label() && (c.x0 - value.x0).abs() <= tolerance)
        })
        .count();
    if supporting >= MIN_TABLE_LINES {
        return true;
    }
    // A label printed alone on its line with its value's lines under it in the value column
    // ("Address" over "FLAT NO 206, …" far right): another label at the label's x, and a
    // line near it whose only text starts at the value's x.
    let near = |index: usize| index != label.line && index.abs_diff(label.line) <= MAX_TABLE_REACH;
    let rows = || {
        header.cells.iter().enumerate().filter(move |(index, _)| {
            near(*index) && header.lines.get(*index).map(|l| l.page) == page
        })
    };
    let other_label = rows().any(|(_, row)| {
        row.iter()
            .any(|c| c.starts_with_label() && (c.x0 - label.x0).abs() <= tolerance)
    });
    let value_alone = rows().any(|(_, row)| {
        matches!(row.as_slice(), [only] if !only.starts_with_label()
            && (only.x0 - value.x0).abs() <= tolerance)
    });
    other_label && value_alone
}

/// How many lines from a label [`in_value_column`] looks for its table's other lines.
const MAX_TABLE_REACH: usize = 6;

/// The cell of the next line that sits under `x0..x1`, for label rows over value rows.
fn cell_below<'h>(header: &'h Header, line: usize, x0: f32, x1: f32) -> Option<&'h Cell> {
    let this = header.lines.get(line)?;
    let next_line = header.next_printed_line(line);
    let below = header.lines.get(next_line)?;
    let above_y = header.y_above(next_line).unwrap_or(this.y);
    if below.page != this.page || below.y - above_y > header.size(line) * MAX_ROW_DROP {
        return None;
    }
    let overlap = |c: &Cell| c.x1.min(x1) - c.x0.max(x0);
    let cells = header.cells.get(next_line)?;
    // A value that follows a label of its own on that line ("MICR  682026555" under an
    // "Account No." whose value was left blank) is that label's, not ours.
    // A label that printed its own value ("Joint Holder(s) : RAVI KHAN") is not waiting for one.
    // (Its own label: one the value is within reach of, not a caption far to its left.)
    let labelled = |value: &Cell| {
        cells.iter().any(|c| {
            c.starts_with_label()
                && c.x1 <= value.x0 + 0.5
                && c.hits.last().is_some_and(|hit| hit.value.is_empty())
                && value_cells(header, c).is_some_and(|(_, v)| std::ptr::eq(v, value))
        })
    };
    cells
        .iter()
        .filter(|c| !c.starts_with_label() && overlap(c) > 0.0 && !labelled(c))
        .max_by(|a, b| overlap(a).total_cmp(&overlap(b)))
}

/// Currency codes a title line prints between the account number and the holder's name.
const TITLE_CURRENCIES: &[&str] = &["INR", "USD", "EUR", "GBP"];

/// "Account Statement for 50100123456789 (INR) - RAHUL SHARMA": an unlabelled account number
/// and name on one title line, recognised by the currency in brackets between them.
fn fill_currency_title(header: &Header, identity: &mut Identity) {
    for cell in header.all_cells() {
        let Some((account, name)) = currency_title(&cell.text) else {
            continue;
        };
        if identity.account_number.is_none() {
            identity.account_number = account_number_in(&account);
        }
        if identity.name.is_none() {
            identity.name = name.and_then(|n| holder_name(&n));
        }
    }
}

/// The account number before "(INR)" and the name after it, if the text has that shape.
fn currency_title(text: &str) -> Option<(String, Option<String>)> {
    let open = text.find('(')?;
    let close = open + text[open..].find(')')?;
    let code = text[open + 1..close].trim().to_ascii_uppercase();
    if !TITLE_CURRENCIES.contains(&code.as_str()) {
        return None;
    }
    let account = text[..open].split_whitespace().next_back()?;
    account_number_in(account)?;
    let rest = text[close + 1..].trim_start();
    let name = rest
        .strip_prefix(['-', ':', '–'])
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string);
    Some((account.to_string(), name))
}

/// Validates and records one labelled value; returns false when the value did not fit, so the
/// next candidate location can be tried. The first good value of a field wins.
fn store(identity: &mut Identity, field: Field, value: &str) -> bool {
    fn set<T>(slot: &mut Option<T>, found: Option<T>) -> bool {
        match found {
            Some(v) if slot.is_none() => {
                *slot = Some(v);
                true
            }
            Some(_) => true,
            None => false,
        }
    }
    match field {
        Field::Name => set(&mut identity.name, holder_name(value)),
        Field::AccountNumber => set(&mut identity.account_number, account_number_in(value)),
        Field::Ifsc => set(&mut identity.ifsc, labelled_ifsc_in(value)),
        Field::Micr => set(&mut identity.micr, micr_in(value)),
        Field::AccountType => set(&mut identity.account_type, account_type_of(value)),
        Field::OdLimit => store_limit(&mut identity.od_limit, value),
        Field::CreditLimit => store_limit(&mut identity.credit_limit, value),
        Field::OpeningBalance => set(&mut identity.opening_balance, balance_in(value)),
        Field::ClosingBalance => set(&mut identity.closing_balance, balance_in(value)),
        Field::FromDate => set(&mut identity.from_date, first_date_in(value)),
        Field::ToDate => set(&mut identity.to_date, first_date_in(value)),
        Field::OpeningDate => set(&mut identity.account_opening_date, first_date_in(value)),
        Field::Email => set(&mut identity.email, email_in(value)),
        Field::Phone => set(&mut identity.phone_number, phone_in(value)),
        Field::Pan => set(&mut identity.pan_number, pan_in(value)),
        Field::Dob => set(&mut identity.dob, first_date_in(value)),
        Field::AccountStatus => set(&mut identity.account_status, account_status_of(value)),
        Field::HolderType => set(&mut identity.holder_type, holder_type_of(value)),
        Field::JointHolder => store_joint_holder(&mut identity.holder_type, value),
        // Address and "balance as on" need context; they are read by their own passes.
        Field::Address | Field::BalanceAsOn | Field::Other => true,
    }
}

/// Value tokens with surrounding punctuation removed.
fn value_words(value: &str) -> impl Iterator<Item = &str> {
    value
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| matches!(c, ':' | ',' | ';' | '(' | ')' | '[' | ']')))
        .filter(|w| !w.is_empty())
}

fn holder_name(value: &str) -> Option<String> {
    let looks_like_name = value.chars().any(char::is_alphabetic)
        && !value.contains(':')
        && value.chars().filter(char::is_ascii_digit).count() <= 2
        && !is_honorific(value)
        && !is_label_text(value)
        && !is_prose(value);
    looks_like_name.then(|| value.to_string())
}

/// Words no label is made of beyond those in the label table: row and branch identifiers.
const EXTRA_LABEL_WORDS: &[&str] = &["ID", "NO", "SR", "SL", "S", "DETAILS", "INFORMATION"];

/// Text that is itself a label ("SolId", "S No.", "COMMUNICATION", "Customer ID"): it starts
/// with a known label, or every word of it is a label word. A name cell left empty by the bank
/// puts the next label there.
fn is_label_text(value: &str) -> bool {
    static LABEL_WORDS: std::sync::OnceLock<rustc_hash::FxHashSet<String>> =
        std::sync::OnceLock::new();
    let label_words = LABEL_WORDS.get_or_init(|| {
        labels()
            .iter()
            .flat_map(|label| label.tokens.iter().cloned())
            .chain(EXTRA_LABEL_WORDS.iter().map(|w| w.to_string()))
            .collect()
    });
    let words = tokens(value);
    let starts_with_label = find_labels(value).first().is_some_and(|hit| hit.start == 0);
    starts_with_label || (!words.is_empty() && words.iter().all(|w| label_words.contains(&w.upper)))
}

/// Words of a sentence rather than a name: a bank's tagline ("We understand your world") or a
/// greeting sits where an unlabelled name would.
const PROSE_WORDS: &[&str] = &[
    "WE",
    "OUR",
    "YOUR",
    "YOU",
    "US",
    "IS",
    "ARE",
    "WILL",
    "THANK",
    "THANKS",
    "PLEASE",
    "WELCOME",
    "UNDERSTAND",
    "THAT",
    "THIS",
];

fn is_prose(value: &str) -> bool {
    tokens(value)
        .iter()
        .any(|w| PROSE_WORDS.contains(&w.upper.as_str()))
        || is_name_word(value, NameWord::Tagline)
}

/// Account numbers: digits, possibly masked (`XXXXXX1234`) or hyphenated; at least six
/// characters with four digits, and never a date.
/// Product abbreviations some banks print before the number ("SB 50100123456789").
const ACCOUNT_PREFIXES: &[&str] = &["SB", "SBA", "CA", "CD", "OD", "CC", "SA"];

fn account_number_in(value: &str) -> Option<String> {
    let mut words = value_words(value).peekable();
    if words
        .peek()
        .is_some_and(|w| ACCOUNT_PREFIXES.contains(&w.to_ascii_uppercase().as_str()))
    {
        words.next();
    }
    let first = words.next()?;
    if let Some(number) = account_word(without_zero_decimals(first)) {
        return Some(number);
    }
    // Printed in groups, masked or not ("XXXX XXXX 1234"): kept as printed.
    let is_group = |w: &str| {
        w.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, 'X' | 'x' | '*'))
    };
    let mut groups: Vec<&str> = Vec::new();
    for word in std::iter::once(first).chain(words) {
        // A last group of one digit after groups of one length, three or more ("3012 3456
        // 7890 1"): the number's rest, cut where the groups are counted from its start.
        let tail = word.len() == 1
            && groups.len() >= 2
            && groups[0].len() >= 3
            && groups.iter().all(|g| g.len() == groups[0].len());
        if !is_group(word) || (word.len() < 2 && !tail) {
            break;
        }
        groups.push(word);
        if word.len() < 2 {
            break;
        }
    }
    (groups.len() >= 2 && account_word(&groups.concat()).is_some()).then(|| groups.join(" "))
}

/// A whole number printed as a figure with zero paise ("302211485.00", "9798969493.0"), as
/// spreadsheet exports print every numeric cell: the number without them. Any other word as
/// it is.
fn without_zero_decimals(word: &str) -> &str {
    match word.split_once('.') {
        Some((digits, zeros))
            if !digits.is_empty()
                && digits.chars().all(|c| c.is_ascii_digit())
                && (1..=2).contains(&zeros.len())
                && zeros.chars().all(|c| c == '0') =>
        {
            digits
        }
        _ => word,
    }
}

fn account_word(word: &str) -> Option<String> {
    let digits = word.chars().filter(char::is_ascii_digit).count();
    let allowed = word
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '*' | '-' | '/'));
    let plausible = allowed && word.len() >= 6 && digits >= 4 && !is_ifsc(word);
    let is_date = find_date_prefix(word).is_some_and(|(_, len)| len == word.len());
    (plausible && !is_date).then(|| word.to_string())
}

fn ifsc_in(value: &str) -> Option<String> {
    // Split on punctuation too: "Code:SBIN0001234" glues the code to its label.
    tokens(value)
        .into_iter()
        .map(|t| t.upper)
        .find(|w| is_ifsc(w))
}

/// An IFSC after its label, where some headers space the bank's four letters from the branch
/// part ("SBIN 0001234"); only there, since any two words may join into that shape.
fn labelled_ifsc_in(value: &str) -> Option<String> {
    ifsc_in(value).or_else(|| {
        let words: Vec<String> = tokens(value).into_iter().map(|t| t.upper).collect();
        words
            .windows(2)
            .map(|pair| format!("{}{}", pair[0], pair[1]))
            .find(|joined| is_ifsc(joined))
    })
}

fn micr_in(value: &str) -> Option<String> {
    value_words(value)
        .map(without_zero_decimals)
        .find(|w| is_micr(w))
        .map(str::to_string)
}

/// Maps product/scheme wording to FinBox's account types; the most specific wins, so
/// "CASH CREDIT OVERDRAFT ACCOUNT" is an overdraft.
fn account_type_of(value: &str) -> Option<String> {
    let words: Vec<String> = tokens(value).into_iter().map(|t| t.upper).collect();
    let has = |w: &str| words.iter().any(|x| x == w);
    let has_pair = |a: &str, b: &str| words.windows(2).any(|p| p[0] == a && p[1] == b);
    let kind = if has("OVERDRAFT") || has("OD") {
        "overdraft"
    } else if has_pair("CASH", "CREDIT") || has("CC") {
        "cash_credit"
    } else if has("CURRENT") || has("CA") {
        "current"
    } else if has("SAVINGS") || has("SAVING") || has("SB") || has("SBA") || has("SA") {
        "savings"
    } else {
        return None;
    };
    Some(kind.to_string())
}

/// Longest run of up to three words that parses as an amount, first from the left, so
/// "INR 12,345.00 Cr" and "01/01/2024 : 12,345.00" both yield their amount.
fn first_amount_in(value: &str) -> Option<Amount> {
    let words: Vec<&str> = value.split_whitespace().collect();
    (0..words.len()).find_map(|start| {
        (1..=3)
            .rev()
            .filter_map(|len| words.get(start..start + len))
            .find_map(|run| parse_amount(&run.join(" ")))
    })
}

fn balance_in(value: &str) -> Option<Decimal> {
    first_amount_in(value).map(|a| a.signed_balance())
}

/// A printed zero limit means "no limit", which FinBox reports as absent; it still counts as
/// the label's value, so no other cell is searched for one.
fn store_limit(slot: &mut Option<Decimal>, value: &str) -> bool {
    let Some(amount) = first_amount_in(value) else {
        return false;
    };
    let limit = amount.value.abs();
    if slot.is_none() && !limit.is_zero() {
        *slot = Some(limit);
    }
    true
}

fn first_date_in(value: &str) -> Option<NaiveDate> {
    dates_in(value).first().map(|(date, _, _)| *date)
}

fn email_in(value: &str) -> Option<String> {
    value_words(value).find_map(|word| {
        let word = word.trim_end_matches('.');
        let (user, domain) = word.split_once('@')?;
        let valid = !user.is_empty() && domain.contains('.') && !domain.starts_with('.');
        valid.then(|| word.to_string())
    })
}

/// Phone numbers as printed (`+91 98765 43210`, `XXXXXX3210`), at least ten digits or masks.
fn phone_in(value: &str) -> Option<String> {
    let end = value
        .find(|c: char| c.is_alphabetic() && !matches!(c, 'X' | 'x'))
        .unwrap_or(value.len());
    let number = value[..end].trim().trim_end_matches([',', '/', '-']).trim();
    let counted = number
        .chars()
        .filter(|c| c.is_ascii_digit() || matches!(c, 'X' | 'x' | '*'))
        .count();
    let allowed = number
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, 'X' | 'x' | '*' | '+' | ' ' | '-'));
    (allowed && counted >= 10).then(|| number.to_string())
}

/// PAN: five letters, four digits, one letter (masks use X, which is a letter).
fn pan_in(value: &str) -> Option<String> {
    value_words(value).find(|w| is_pan(w)).map(str::to_string)
}

fn is_pan(word: &str) -> bool {
    let b = word.as_bytes();
    b.len() == 10
        && b[..5].iter().all(u8::is_ascii_uppercase)
        && b[5..9].iter().all(|c| c.is_ascii_digit() || *c == b'X')
        && b[9].is_ascii_uppercase()
}

/// Printed account states, normalised; anything else is not an account status (a bare
/// "Status" label also heads cheque, KYC and transaction states).
fn account_status_of(value: &str) -> Option<String> {
    let words: Vec<String> = tokens(value).into_iter().map(|t| t.upper).collect();
    let first = words.first()?.as_str();
    // "Debit Freeze" / "Total Freeze": the qualifier says what is frozen, not whether.
    let word = match (first, words.get(1).map(String::as_str)) {
        ("DEBIT" | "CREDIT" | "TOTAL" | "PARTIAL", Some(next @ ("FREEZE" | "FROZEN"))) => next,
        _ => first,
    };
    let status = match word {
        // HDFC prints "Regular" for an account in normal operation.
        "ACTIVE" | "OPERATIVE" | "REGULAR" | "OPEN" | "LIVE" => "active",
        "INACTIVE" | "INOPERATIVE" => "inactive",
        "DORMANT" => "dormant",
        "CLOSED" => "closed",
        "FROZEN" | "FREEZE" | "FREEZED" => "frozen",
        _ => return None,
    };
    Some(status.to_string())
}

/// Mode of operation or holding as "single" or "joint"; "Either or Survivor" and its
/// relatives are joint modes.
fn holder_type_of(value: &str) -> Option<String> {
    let words: Vec<String> = tokens(value).into_iter().map(|t| t.upper).collect();
    let first = words.first()?.as_str();
    let has = |w: &str| words.iter().any(|x| x == w);
    let kind = if matches!(first, "SINGLE" | "SELF" | "INDIVIDUAL" | "SOLE" | "SINGLY") {
        "single"
    } else if has("JOINT") || has("JOINTLY") || has("SURVIVOR") || has("SURVIVORS") {
        "joint"
    } else {
        return None;
    };
    Some(kind.to_string())
}

/// Fillers printed where a joint holder's name would go.
const NO_JOINT_HOLDER: &[&str] = &["NA", "N A", "NIL", "NONE", "NO", "NOT APPLICABLE"];

/// A joint holder's name makes the account joint; a filler ("NA", "NIL") is the label's value
/// too, just not a name, so no other cell is searched for one.
fn store_joint_holder(slot: &mut Option<String>, value: &str) -> bool {
    let words: Vec<String> = tokens(value).into_iter().map(|t| t.upper).collect();
    if words.is_empty() {
        return false;
    }
    let is_filler = NO_JOINT_HOLDER.contains(&words.join(" ").as_str());
    // A cell holding labels of its own is the next field, not a name.
    let is_name = holder_name(value).is_some() && find_labels(value).is_empty();
    if !is_filler && is_name && slot.is_none() {
        *slot = Some("joint".to_string());
    }
    true
}

/// Dates are read with two-digit years as 20yy; a birth date after the statement ends was
/// printed with the previous century's two digits.
fn settle_dob(identity: &mut Identity) {
    let (Some(dob), Some(end)) = (identity.dob, identity.to_date) else {
        return;
    };
    if dob > end {
        identity.dob = dob.with_year(dob.year() - 100);
    }
}

// ---------------------------------------------------------------------------------------------
// Period and "balance as on"
// ---------------------------------------------------------------------------------------------

/// Every date in `text` with its byte span, found at word starts.
fn dates_in(text: &str) -> Vec<(NaiveDate, usize, usize)> {
    let mut found = Vec::new();
    let mut index = 0;
    while index < text.len() {
        let at_word_start = text[..index]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        if at_word_start {
            if let Some((date, len)) = find_date_prefix(&text[index..]) {
                found.push((date.date(), index, index + len));
                index += len;
                continue;
            }
        }
        index += text[index..].chars().next().map_or(1, char::len_utf8);
    }
    found
}

/// Words that join the two dates of a period: "01/01/2024 to 31/03/2024", "… - …", "… To : …".
fn is_period_connector(between: &str) -> bool {
    let squeezed: String = between
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, ':' | '(' | ')'))
        .collect::<String>()
        .to_lowercase();
    matches!(
        squeezed.as_str(),
        "to" | "-" | "–" | "till" | "upto" | "through" | "and"
    )
}

fn fill_period(lines: &[Line], identity: &mut Identity) {
    for line in lines {
        let text = line.text();
        let dates = dates_in(&text);
        let period = dates.windows(2).find(|pair| {
            let (from, _, from_end) = pair[0];
            let (to, to_start, _) = pair[1];
            from <= to && is_period_connector(&text[from_end..to_start])
        });
        if let Some(pair) = period {
            identity.from_date.get_or_insert(pair[0].0);
            identity.to_date.get_or_insert(pair[1].0);
            return;
        }
    }
}

/// "Balance as on 01-01-2024 : 12,345.00" is the opening balance when the date opens the
/// period and the closing balance when it ends it.
fn fill_balance_as_on(header: &Header, identity: &mut Identity) {
    for cell in header.all_cells() {
        for hit in cell.hits.iter().filter(|h| h.field == Field::BalanceAsOn) {
            // The amount may sit in the next cell: "Balance as on 01-01-2024   : 12,345.00".
            let mut text = hit.value.clone();
            if let Some(next) = next_cell_value(header, cell) {
                text.push(' ');
                text.push_str(&next);
            }
            let date = first_date_in(&text);
            let after_date = match dates_in(&text).first() {
                Some((_, _, end)) => &text[*end..],
                None => text.as_str(),
            };
            // Or on the line below, under the label: "Balance as on 1 Aug 2023" / ": 2,38,449.38".
            let below = || {
                cell_below(header, cell.line, cell.x0, cell.x1)
                    .and_then(|c| balance_in(clean_value(&c.text)))
            };
            let Some(balance) = balance_in(after_date).or_else(below) else {
                continue;
            };
            let is_closing =
                date.is_some() && date == identity.to_date && date != identity.from_date;
            let slot = if is_closing {
                &mut identity.closing_balance
            } else {
                &mut identity.opening_balance
            };
            slot.get_or_insert(balance);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Name and address
// ---------------------------------------------------------------------------------------------

/// Most address lines a header prints; more means we are reading something else.
const MAX_ADDRESS_LINES: usize = 8;
/// The gap (in font sizes) an "Address" label's line may stand below the name's.
const MAX_LABELLED_ADDRESS_GAP: f32 = 4.0;
/// A vertical gap larger than this (in font sizes) ends the address block.
const MAX_ADDRESS_LINE_GAP: f32 = 2.5;
/// Horizontal tolerance (in font sizes) for "the same column".
const COLUMN_TOLERANCE: f32 = 1.5;

fn fill_name_and_address(header: &Header, identity: &mut Identity) {
    // A letter's greeting naming the holder ("Dear RAJESH KUMAR,") outweighs a line merely
    // read like a name where no label says so: an address's line may read like one when the
    // block prints no name above it.
    let greeting = greeting_name(header);
    let unlabelled = || {
        unlabelled_name(header).filter(|anchor| {
            greeting
                .as_deref()
                .is_none_or(|greeted| names_the_same(&anchor.name, greeted))
        })
    };
    let anchor = labelled_name_anchor(header, identity).or_else(unlabelled);
    if anchor.is_none() && identity.name.is_none() {
        identity.name = greeting;
    }
    if let Some(mut anchor) = anchor {
        let read_here = identity
            .name
            .as_ref()
            .is_none_or(|name| *name == anchor.name);
        extend_name(header, &mut anchor);
        if read_here {
            identity.name = Some(anchor.name.clone());
        }
        if primary_holder(&anchor.name).is_some_and(|(_, joint)| joint) {
            identity
                .holder_type
                .get_or_insert_with(|| "joint".to_string());
        }
        if let Some(joint_line) = joint_name_below(header, &anchor) {
            // The address starts under the joint holder's name.
            anchor.line = joint_line;
            identity
                .holder_type
                .get_or_insert_with(|| "joint".to_string());
        }
        let lines = address_below(header, anchor.line, &anchor.columns);
        if !lines.is_empty() {
            identity.address = Some(join_address_lines(&lines));
            return;
        }
    }
    identity.address = labelled_address(header);
}

/// Addressees of a greeting that name nobody ("Dear Customer", "Dear Sir/Madam").
const GENERIC_ADDRESSEES: &[&str] = &[
    "CUSTOMER",
    "CUSTOMERS",
    "SIR",
    "MADAM",
    "SIRS",
    "VALUED",
    "MEMBER",
    "PATRON",
    "USER",
    "CLIENT",
    "ACCOUNT",
    "HOLDER",
    "ALL",
    "FRIEND",
];

/// The holder named by a letter's greeting, "Dear RAJESH KUMAR," (a cell opening with the
/// greeting's word, the name after it up to its comma); not a greeting to nobody in
/// particular ("Dear Customer,", "Dear Sir/Madam").
fn greeting_name(header: &Header) -> Option<String> {
    header.all_cells().find_map(|cell| {
        let (first, rest) = cell.text.trim().split_once(' ')?;
        if !is_name_word(first, NameWord::Salutation) {
            return None;
        }
        let name = rest
            .trim()
            .trim_end_matches([',', ':', ';', '.', '!'])
            .trim_end();
        let words = tokens(name);
        let generic = words
            .iter()
            .any(|w| GENERIC_ADDRESSEES.contains(&w.upper.as_str()));
        if words.is_empty() || generic || name.contains(',') {
            return None;
        }
        holder_name(name)
    })
}

/// Whether a name read elsewhere and a greeting's name are the same holder's: every word of
/// the greeting's is one of the name's ("Dear SUNITA," for "SUNITA SHARMA").
fn names_the_same(name: &str, greeted: &str) -> bool {
    let words: Vec<String> = tokens(name).into_iter().map(|t| t.upper).collect();
    tokens(greeted).iter().all(|t| words.contains(&t.upper))
}

/// Where the holder's name sits: its line and the x positions its address may align to.
struct NameAnchor {
    name: String,
    line: usize,
    columns: Vec<f32>,
}

fn labelled_name_anchor(header: &Header, identity: &Identity) -> Option<NameAnchor> {
    let name = identity.name.clone()?;
    for row in &header.cells {
        for (position, cell) in row.iter().enumerate() {
            let Some(hit) = cell.hits.iter().find(|h| h.field == Field::Name) else {
                continue;
            };
            let mut columns = vec![cell.x0];
            if hit.value.is_empty() {
                // Label and value in separate cells: the address may align under either (or
                // under a colon printed in a column of its own).
                match value_cells(header, cell) {
                    Some((separator, value_cell)) => {
                        columns.extend(separator.map(|c| c.x0));
                        columns.push(value_cell.x0);
                    }
                    None => columns.extend(row.get(position + 1).map(|c| c.x0)),
                }
            } else if let Some(&(_, _, value_x, _)) =
                cell.words.iter().find(|(start, end, _, _)| {
                    *start >= hit.end && cell.text[*start..*end].chars().any(char::is_alphanumeric)
                })
            {
                // "Name : NAVRANG INDUSTRIES" over "PVT LTD": a wrapped name continues under
                // the value, not under the label.
                columns.push(value_x);
            }
            // The name may sit under its label; the address starts below the name, not below
            // the label.
            let under = header.next_printed_line(cell.line);
            let name_below = header.cells.get(under).is_some_and(|below| {
                below
                    .iter()
                    .any(|c| name.ends_with(clean_value(&c.text)) && !c.text.trim().is_empty())
            });
            let line = if name_below && !name_on_line(row, &name) {
                under
            } else {
                cell.line
            };
            return Some(NameAnchor {
                name,
                line,
                columns,
            });
        }
    }
    None
}

fn name_on_line(row: &[Cell], name: &str) -> bool {
    row.iter().any(|c| {
        c.hits
            .iter()
            .any(|h| h.field == Field::Name && !h.value.is_empty() && name.ends_with(&h.value))
            || (c.hits.is_empty() && name.ends_with(clean_value(&c.text)))
    })
}

/// The holder's name printed without a label: the first left-column cell that reads like a
/// person's or firm's name rather than a bank name, title, label or code. A title alone on its
/// line ("M/s.") takes the name under it.
fn unlabelled_name(header: &Header) -> Option<NameAnchor> {
    let left_margin = header.all_cells().map(|c| c.x0).fold(f32::MAX, f32::min);
    header.cells.iter().find_map(|row| {
        let cell = row.first()?;
        let in_left_column = cell.x0 <= left_margin + header.size(cell.line) * 2.0;
        if !in_left_column {
            return None;
        }
        if is_honorific(&cell.text) {
            // "MR" in a title column and the name in the next one, far apart; not the label
            // of a block beside it ("M/s." beside "City : MUMBAI": the name is under the title).
            let labels_a_value = |index: usize| {
                row.get(index).is_some_and(|next| is_label_text(&next.text))
                    || row.get(index + 1).is_some_and(|after| {
                        is_separator_cell(after) || after.text.trim_start().starts_with(':')
                    })
            };
            if let Some(next) = row
                .get(1)
                .filter(|next| reads_like_unlabelled_name(next) && !labels_a_value(1))
            {
                return Some(NameAnchor {
                    name: format!("{} {}", cell.text, next.text),
                    line: cell.line,
                    columns: vec![cell.x0, next.x0],
                });
            }
            let below = cell_below(header, cell.line, cell.x0, cell.x1)
                .filter(|below| reads_like_unlabelled_name(below))?;
            return Some(NameAnchor {
                name: format!("{} {}", cell.text, below.text),
                line: below.line,
                columns: vec![cell.x0],
            });
        }
        reads_like_unlabelled_name(cell).then(|| NameAnchor {
            name: cell.text.clone(),
            line: cell.line,
            columns: name_columns(cell),
        })
    })
}

/// Where lines under an unlabelled name may start: under the name's cell, and under the name
/// itself when a title or an enumerator stands before it ("MR" in a column of its own, "1.").
fn name_columns(cell: &Cell) -> Vec<f32> {
    let mut columns = vec![cell.x0];
    let name_start = cell.words.iter().find(|(start, end, _, _)| {
        let word = &cell.text[*start..*end];
        !is_honorific(word) && enumerator(word).is_none()
    });
    if let Some(&(_, _, x0, _)) = name_start.filter(|(start, _, _, _)| *start > 0) {
        columns.push(x0);
    }
    columns
}

/// Relations some banks print after a person's name ("RAVI KUMAR S/O RAMESH KUMAR"): son,
/// daughter, wife, husband of, care of. What follows is another person.
const RELATION_WORDS: &[&str] = &["S/O", "D/O", "W/O", "H/O", "C/O"];

/// The name without a relation printed after it ("… S/O RAMESH KUMAR", "… SON OF …"); `None`
/// when nothing is left before the relation.
fn without_relation(name: &str) -> Option<String> {
    let words: Vec<&str> = name.split_whitespace().collect();
    let upper: Vec<String> = words
        .iter()
        .map(|w| w.trim_end_matches([',', '.', ':']).to_ascii_uppercase())
        .collect();
    let relation_at = (0..upper.len()).find(|&i| {
        RELATION_WORDS.contains(&upper[i].as_str())
            || (matches!(upper[i].as_str(), "SON" | "DAUGHTER" | "WIFE" | "HUSBAND")
                && upper.get(i + 1).is_some_and(|next| next == "OF"))
    });
    match relation_at {
        None => Some(name.to_string()),
        Some(0) => None,
        Some(end) => Some(words[..end].join(" ").trim_end_matches(',').to_string()),
    }
}

/// The primary holder's name from a name as printed, and whether a joint holder was printed
/// with it: holder marks ("(Primary)") and a product prefix ("SBA-") dropped, a listed or
/// slashed joint holder ("1. A 2. B", "A / B") cut off, a title glued to the name set apart
/// ("MR.RAJESH" is "MR. RAJESH"). `None` when nothing of a name is left.
fn primary_holder(name: &str) -> Option<(String, bool)> {
    let unmarked = without_holder_marks(name);
    let unprefixed = without_product_prefix(&unmarked);
    let (first, joint) = first_listed_holder(&unprefixed);
    let name = title_apart(&first);
    let name = name.trim().trim_end_matches([',', ';']).trim_end();
    (!name.is_empty() && name.chars().any(char::is_alphabetic)).then(|| (name.to_string(), joint))
}

/// The name without bracketed holder marks: "(Primary)", "(Joint)", "(FIRST HOLDER)".
fn without_holder_marks(name: &str) -> String {
    let mut kept = String::with_capacity(name.len());
    let mut rest = name;
    while let Some(open) = rest.find('(') {
        let Some(close) = rest[open..].find(')').map(|c| open + c) else {
            break;
        };
        kept.push_str(&rest[..open]);
        let inside = &rest[open + 1..close];
        if !is_name_word(inside, NameWord::HolderMark) {
            kept.push_str(&rest[open..=close]);
        }
        rest = &rest[close + 1..];
    }
    kept.push_str(rest);
    kept.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The name without a product code before it: "SBA-RAJESH KUMAR", "CA - ACME TRADERS".
fn without_product_prefix(name: &str) -> String {
    let trimmed = name.trim_start();
    let (head, rest) = trimmed.split_once('-').unwrap_or((trimmed, ""));
    let rest = rest.trim_start();
    let is_prefix = is_name_word(head, NameWord::ProductPrefix)
        && !head.trim().contains(' ')
        && rest.starts_with(char::is_alphabetic);
    if is_prefix {
        rest.to_string()
    } else {
        name.to_string()
    }
}

/// An enumerator before a listed holder: "1.", "1)", "(1)".
fn enumerator(word: &str) -> Option<u32> {
    let digits = word
        .strip_prefix('(')
        .unwrap_or(word)
        .strip_suffix(['.', ')'])?;
    digits.parse().ok().filter(|n| (1..=9).contains(n))
}

/// The first of the holders a name lists, and whether another was listed: "1. RAJESH 2. SUNITA"
/// and "RAJESH / SUNITA" (a slash between spaces; "M/S" and "S/O" have none) give "RAJESH". A
/// title before the first enumerator stays: "MR 1. RAJESH" is "MR RAJESH".
fn first_listed_holder(name: &str) -> (String, bool) {
    let words: Vec<&str> = name.split_whitespace().collect();
    let titles = words.iter().take_while(|w| is_honorific(w)).count();
    let mut kept: Vec<&str> = words[..titles].to_vec();
    let mut joint = false;
    for (index, word) in words.iter().enumerate().skip(titles) {
        let listed = enumerator(word);
        if listed == Some(1) && index == titles {
            continue;
        }
        if listed.is_some_and(|n| n > 1) || *word == "/" {
            joint = kept.len() > titles;
            if joint {
                break;
            }
        }
        kept.push(word);
    }
    (kept.join(" "), joint)
}

/// A title glued to the name set apart: "MR.RAJESH KUMAR" is "MR. RAJESH KUMAR", "M/S.ACME"
/// is "M/S. ACME". Initials ("R.K.SHARMA") are no title and stay as printed.
fn title_apart(name: &str) -> String {
    let Some(first) = name.split_whitespace().next() else {
        return name.to_string();
    };
    let glued = first.find('.').filter(|&dot| {
        let rest = &first[dot + 1..];
        is_honorific(&first[..dot]) && rest.chars().next().is_some_and(char::is_alphabetic)
    });
    match glued {
        Some(dot) => {
            let start = name.len() - name.trim_start().len();
            let at = start + dot + 1;
            format!("{} {}", &name[..at], &name[at..])
        }
        None => name.to_string(),
    }
}

/// Words that end a firm's name and may be wrapped onto a line of their own.
const NAME_TAIL_WORDS: &[&str] = &[
    "PVT",
    "PRIVATE",
    "LTD",
    "LIMITED",
    "LLP",
    "OPC",
    "CO",
    "COMPANY",
    "CORPORATION",
    "INC",
    "AND",
    "SONS",
    "BROTHERS",
    "BROS",
];

/// Words after which a firm's name must go on: "… PRIVATE" / "LIMITED", "… &" / "SONS".
const NAME_OPEN_ENDS: &[&str] = &["AND", "PVT", "PRIVATE", "OF", "THE"];

/// A firm's name wrapped over two lines: the line under the name, in its column, continues it
/// when it holds only company-form words ("PRIVATE LIMITED", "LLP") or the name ended on a
/// word that cannot end one ("… &", "… PRIVATE").
fn extend_name(header: &Header, anchor: &mut NameAnchor) {
    let next_line = header.next_printed_line(anchor.line);
    let (Some(this), Some(below)) = (header.lines.get(anchor.line), header.lines.get(next_line))
    else {
        return;
    };
    let size = header.size(anchor.line);
    let above_y = header.y_above(next_line).unwrap_or(this.y);
    if below.page != this.page || below.y - above_y > size * MAX_ADDRESS_LINE_GAP {
        return;
    }
    let tolerance = size * COLUMN_TOLERANCE;
    let Some(cell) = header.cells.get(next_line).and_then(|row| {
        row.iter()
            .find(|c| anchor.columns.iter().any(|x| (c.x0 - x).abs() <= tolerance))
    }) else {
        return;
    };
    let words: Vec<String> = tokens(&cell.text).into_iter().map(|t| t.upper).collect();
    let name_words: Vec<String> = tokens(&anchor.name).into_iter().map(|t| t.upper).collect();
    let only_tail_words =
        !words.is_empty() && words.iter().all(|w| NAME_TAIL_WORDS.contains(&w.as_str()));
    let open_ended = anchor.name.trim_end().ends_with('&')
        || name_words
            .last()
            .is_some_and(|w| NAME_OPEN_ENDS.contains(&w.as_str()));
    let continues = only_tail_words
        || (open_ended && holder_name(&cell.text).is_some())
        || completes_firm_name(&name_words, &words);
    if continues && cell.hits.is_empty() && !cell.text.chars().any(|c| c.is_ascii_digit()) {
        anchor.name = format!("{} {}", anchor.name, cell.text.trim());
        anchor.line = next_line;
    }
}

/// Most words of a person's name printed alone on a line.
const MAX_PERSON_NAME_WORDS: usize = 4;

/// A second person's name on the line right under a person's name, in its column and without
/// a label: a joint holder, printed before the address. Its line, if so. An address line has
/// digits, punctuation or address words; a name has none.
fn joint_name_below(header: &Header, anchor: &NameAnchor) -> Option<usize> {
    let next_line = header.next_printed_line(anchor.line);
    let this = header.lines.get(anchor.line)?;
    let below = header.lines.get(next_line)?;
    let size = header.size(anchor.line);
    let above_y = header.y_above(next_line).unwrap_or(this.y);
    if below.page != this.page || below.y - above_y > size * MAX_ADDRESS_LINE_GAP {
        return None;
    }
    let is_firm = |text: &str| {
        tokens(text)
            .iter()
            .any(|w| CORPORATE_WORDS.contains(&w.upper.as_str()))
    };
    if is_firm(&anchor.name) || anchor.name.to_uppercase().starts_with("M/S") {
        return None;
    }
    let tolerance = size * COLUMN_TOLERANCE;
    let cell = header
        .cells
        .get(next_line)?
        .iter()
        .find(|c| anchor.columns.iter().any(|x| (c.x0 - x).abs() <= tolerance))?;
    if is_listed_holder(&cell.text) {
        return Some(next_line);
    }
    let text = without_holder_marks(&cell.text);
    // Unmarked, a second name is taken only when it shares the holder's surname (a family's
    // joint account): two words under a name may as well be a building starting the address.
    let marked = text.len() < cell.text.trim().len();
    // The holder's surname may be printed first ("MEHTA J", "MEHTA A K"): the second name's
    // last word is any word of the holder's name but an initial.
    let surname = tokens(&text).last().map(|w| w.upper.clone());
    let shares_surname = surname.is_some_and(|surname| {
        tokens(&anchor.name).iter().any(|w| {
            w.upper == surname && w.upper.chars().filter(|c| c.is_alphabetic()).count() >= 2
        })
    });
    if !marked && !shares_surname {
        return None;
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    let name_like_word = |w: &&str| {
        w.trim_end_matches('.').chars().all(char::is_alphabetic)
            && !is_name_word(w, NameWord::AddressWord)
            && !is_name_word(w, NameWord::Salutation)
    };
    let reads_like_person = (2..=MAX_PERSON_NAME_WORDS).contains(&words.len())
        && words.iter().all(name_like_word)
        && cell.hits.is_empty()
        && !is_firm(&text)
        && !mentions_bank(&text)
        && !words
            .iter()
            .any(|w| NOT_NAME_WORDS.contains(&joined_words(w).as_str()))
        && holder_name(&text).is_some();
    reads_like_person.then_some(next_line)
}

/// Most words of a firm name's second line ("INDUSTRIES PVT LTD").
const MAX_FIRM_TAIL_WORDS: usize = 3;

/// A firm's name cut at a word boundary: the line under it ends with a firm's word ("SHREE
/// GANESH" over "TRADERS", "M/S OM SAI" over "STEEL SUPPLIERS") that the name still lacks.
fn completes_firm_name(name_words: &[String], below: &[String]) -> bool {
    let firm_word = |w: &String| CORPORATE_WORDS.contains(&w.as_str());
    let name_complete = name_words.last().is_some_and(firm_word);
    let below_ends_firm = below.last().is_some_and(firm_word);
    !name_complete
        && below_ends_firm
        && below.len() <= MAX_FIRM_TAIL_WORDS
        && below.iter().all(|w| w.chars().all(char::is_alphabetic))
        && !below.iter().any(|w| is_name_word(w, NameWord::AddressWord))
}

/// Words that mark a line as a title, greeting or caption rather than a name.
const NOT_NAME_WORDS: &[&str] = &[
    "STATEMENT",
    "ACCOUNT",
    "BRANCH",
    "PERIOD",
    "PAGE",
    "DETAILED",
    "TRANSACTION",
    "TRANSACTIONS",
    "DEAR",
    "CUSTOMER",
    "SUMMARY",
    "DETAILS",
    "REPORT",
    "GENERATED",
    "BANK",
    "JOINT",
    "HOLDER",
    "HOLDERS",
    "NOMINEE",
    "DATE",
    "FROM",
    "SEARCH",
    "INR",
    "BALANCE",
];

fn reads_like_unlabelled_name(cell: &Cell) -> bool {
    // The first of numbered holders ("1. RAJESH KUMAR"), holder marks ("(Joint)") dropped.
    let unmarked = without_holder_marks(&cell.text);
    let text = match unmarked.split_once(' ') {
        Some((first, rest)) if enumerator(first) == Some(1) => rest,
        _ => unmarked.as_str(),
    };
    let words = tokens(text);
    let has_letters = text.chars().any(char::is_alphabetic);
    let has_digits = text.chars().any(|c| c.is_ascii_digit());
    let has_caption_word = words
        .iter()
        .any(|w| NOT_NAME_WORDS.contains(&w.upper.as_str()));
    has_letters
        && !has_digits
        && !cell.text.contains(':')
        && !cell.text.contains('@')
        && cell.hits.is_empty()
        && !has_caption_word
        && !mentions_bank(&cell.text)
        && !crate::columns::in_other_language_only(&cell.text)
        && !crate::columns::opens_with_other_language(&cell.text)
        && holder_name(&cell.text).is_some()
}

/// Address lines printed under the name, in the same column, until a label, a date line, a
/// wide vertical gap or something that is plainly not an address.
fn address_below(header: &Header, name_line: usize, columns: &[f32]) -> Vec<String> {
    address_from(header, name_line + 1, columns)
}

/// Address lines from line `first` down (see [`address_below`]).
fn address_from(header: &Header, first: usize, columns: &[f32]) -> Vec<String> {
    // Each line's text, and whether it ended with the comma that joins it to the next.
    let mut address: Vec<(String, bool)> = Vec::new();
    // Each line's right end and its first word's width, to see a value wrapped in its cell.
    let mut extents: Vec<(f32, f32)> = Vec::new();
    // An "Address" label met beside or below the address's first line: a browser centring
    // its label beside a value cell that wrapped, so the lines are one value.
    let mut one_wrapped_value = false;
    // Where a labelled first line's cell starts (its label, or the colon opening its value
    // cell) and where its value's text starts: a next line starting at the cell's start, left
    // of the value, is the same cell's text wrapped ("Address: FLAT NO 12, …" over "NAGAR,
    // …" under the label; ": FLAT NO 12, …" over "DELHI …" under the colon).
    let mut labelled_start: Option<(f32, f32)> = None;
    let mut last_y = first
        .checked_sub(1)
        .and_then(|above| header.lines.get(above))
        .or_else(|| header.lines.get(first))
        .map_or(0.0, |l| l.y);
    for (index, row) in header.cells.iter().enumerate().skip(first) {
        let size = header.size(index);
        let line_y = header.lines.get(index).map_or(last_y, |l| l.y);
        // A line opening with the "Address" label is the address however far below the
        // name: a name's label wrapped over two lines ("Customer" over "Name") leaves a
        // line's gap the joined label no longer shows.
        let opens_with_address = address.is_empty()
            && row.first().is_some_and(|c| {
                c.starts_with_label() && c.hits.first().is_some_and(|h| h.field == Field::Address)
            });
        let max_gap = if opens_with_address {
            MAX_LABELLED_ADDRESS_GAP
        } else {
            MAX_ADDRESS_LINE_GAP
        };
        if line_y - last_y > size * max_gap || address.len() >= MAX_ADDRESS_LINES {
            break;
        }
        let tolerance = size * COLUMN_TOLERANCE;
        let in_column = |c: &&Cell| columns.iter().any(|x| (c.x0 - x).abs() <= tolerance);
        // Cells left of the address column (labels of a label/value layout) also end it.
        let leftmost_relevant = row
            .iter()
            .filter(|c| c.x0 <= columns.iter().fold(f32::MIN, |a, b| a.max(*b)) + tolerance)
            .find(|c| in_column(c) || c.starts_with_label());
        let Some(cell) = leftmost_relevant else {
            // A line left empty by a wrapped label joined above it keeps the block going.
            if row.is_empty() && header.lines.get(index).is_some_and(|l| l.words.is_empty()) {
                last_y = line_y;
            }
            // A line belonging only to the right-hand block; keep looking below it.
            continue;
        };
        // "Joint Holder(s)" with its name in the next cell: a joint holder's line, passed over.
        let joint_holder_line = cell
            .hits
            .first()
            .is_some_and(|hit| hit.start == 0 && hit.field == Field::JointHolder)
            && next_cell_value(header, cell).is_some_and(|value| holder_name(&value).is_some());
        // The cell the line's text is read from, and whether a label opened it.
        let mut text_cell = cell;
        let mut labelled = false;
        let line = if joint_holder_line {
            AddressLine::Label
        } else if centred_label_is_address(header, index, cell) {
            // ": FLAT NO 912, …" with no label of its own: the first of a wrapped value's
            // lines, its "Address" label centred beside the value on the line below.
            one_wrapped_value = true;
            AddressLine::Text(clean_value(&cell.text).to_string())
        } else if is_bare_address_label(cell) {
            one_wrapped_value |= !address.is_empty();
            // "Address" in a cell of its own, its value in the next cell (": FLAT NO 12, …")
            // or, where that is empty, on the lines below.
            match value_cells(header, cell) {
                Some((_, value)) if !clean_value(&value.text).is_empty() => {
                    text_cell = value;
                    labelled = true;
                    AddressLine::Text(clean_value(&value.text).to_string())
                }
                _ => AddressLine::Label,
            }
        } else {
            let line = address_line_of(cell);
            labelled = cell.starts_with_label() && matches!(line, AddressLine::Text(_));
            line
        };
        match line {
            // A wrapped value's line ends with the comma that joins it to the next.
            AddressLine::Text(text) => {
                if address.len() == 1 {
                    if let Some((start, value_start)) = labelled_start {
                        let tolerance = size * 0.3;
                        one_wrapped_value |= (text_cell.x0 - start).abs() <= tolerance
                            && text_cell.x0 < value_start - size * 0.5;
                    }
                }
                if address.is_empty() && labelled {
                    labelled_start = value_text_start(text_cell).map(|x| (text_cell.x0, x));
                }
                let text = text.trim_end();
                let trimmed = text.trim_end_matches(',');
                address.push((trimmed.to_string(), trimmed.len() < text.len()));
                let first_word = text_cell
                    .words
                    .first()
                    .map_or(0.0, |(_, _, x0, x1)| x1 - x0);
                extents.push((text_cell.x1, first_word));
            }
            AddressLine::Label => {}
            AddressLine::End => break,
        }
        last_y = line_y;
    }
    if one_wrapped_value || wrapped_in_its_cell(&address, &extents, header.size(first)) {
        merge_wrapped_lines(address)
    } else {
        address.into_iter().map(|(text, _)| text).collect()
    }
}

/// Where the value of a cell opened by a label or a colon starts: its first word past the
/// label and the separators.
fn value_text_start(cell: &Cell) -> Option<f32> {
    let after = cell
        .hits
        .first()
        .filter(|hit| hit.start == 0)
        .map_or(0, |hit| hit.end);
    cell.words
        .iter()
        .find(|(start, end, _, _)| {
            *start >= after && cell.text[*start..*end].chars().any(char::is_alphanumeric)
        })
        .map(|&(_, _, x0, _)| x0)
}

/// The address printed as one value wrapped in a narrow cell ("FLAT NO 912, SUNRISE" over
/// "APARTMENTS, MG ROAD, …"): its parts end with the commas between them, so a line ends
/// with one where the wrap fell between parts; and a line ending without one filled its
/// cell (the next line's first word would have taken it past the block's widest line). An
/// address printed a part per line, without commas at the ends, is left as it is.
fn wrapped_in_its_cell(lines: &[(String, bool)], extents: &[(f32, f32)], size: f32) -> bool {
    if lines.len() < 2 || extents.len() != lines.len() {
        return false;
    }
    let last = lines.len() - 1;
    // A line ending with the comma between parts, or a cut that falls inside a place's name
    // by its words ("LAJPAT" over "NAGAR, …", "…, NEW" over "DELHI …").
    // A line ending with a joining character ("NEW DELHI -" over "110053") or the next one
    // opening with it: the value was cut inside a part ("CITY - PIN"), so it wrapped.
    let joiner_cut =
        (0..last).any(|i| lines[i].0.ends_with(['-', '/', '&']) || lines[i + 1].0.starts_with('-'));
    let comma_ended = lines[..last].iter().any(|(_, ends_part)| *ends_part)
        || joiner_cut
        || (0..last).any(|i| !lines[i].1 && cut_inside_a_place(&lines[i].0, &lines[i + 1].0));
    let widest = extents.iter().map(|(x1, _)| *x1).fold(f32::MIN, f32::max);
    let space = size * 0.25;
    let cut_inside_a_part = (0..last).any(|i| !lines[i].1);
    let every_cut_filled = (0..last)
        .filter(|&i| !lines[i].1)
        .all(|i| extents[i].0 + space + extents[i + 1].1 > widest);
    comma_ended && cut_inside_a_part && every_cut_filled
}

/// Whether the words around a line break say it fell inside a place's name: the line's last
/// part is only words that open a name ("NEW", "WEST") or the next line's first part only
/// words that end one ("NAGAR", "SOCIETY", "PRADESH"); no address part is that alone.
fn cut_inside_a_place(line: &str, next: &str) -> bool {
    let only = |part: &str, kind: NameWord| {
        let words = tokens(part);
        !words.is_empty() && words.iter().all(|w| is_name_word(&w.upper, kind))
    };
    let last_part = line.rsplit(',').next().unwrap_or_default();
    let first_part = next.split(',').next().unwrap_or_default();
    // "ROHINI SECTOR" over "9, NEW DELHI": the number the last word announces opens the
    // next line.
    let number_cut = line
        .split_whitespace()
        .last()
        .is_some_and(|word| is_name_word(word, NameWord::NumberHead))
        && next.trim_start().starts_with(|c: char| c.is_ascii_digit());
    only(last_part, NameWord::PlaceHead) || only(first_part, NameWord::PlaceTail) || number_cut
}

/// The lines of one value that wrapped in its cell: the value's own commas separate its
/// parts, so a line that does not end with one wrapped inside a part ("… DWARKA SECTOR 7,
/// NEW" over "DELHI 110047"), which goes on after a space.
fn merge_wrapped_lines(lines: Vec<(String, bool)>) -> Vec<String> {
    let mut merged: Vec<String> = Vec::new();
    let mut previous_ended_part = true;
    for (text, ends_part) in lines {
        match merged.last_mut() {
            Some(last) if !previous_ended_part => {
                last.push(' ');
                last.push_str(&text);
            }
            _ => merged.push(text),
        }
        previous_ended_part = ends_part;
    }
    merged
}

/// `cell`, on line `index`, is a value printed without its label (it starts with the
/// separator) and the line just below holds nothing but an "Address" label to its left: a
/// browser centres a label cell beside a value that wraps over two or three lines.
fn centred_label_is_address(header: &Header, index: usize, cell: &Cell) -> bool {
    if !cell.text.trim_start().starts_with(':') {
        return false;
    }
    let (Some(line), Some(below), Some(below_cells)) = (
        header.lines.get(index),
        header.lines.get(index + 1),
        header.cells.get(index + 1),
    ) else {
        return false;
    };
    below.y - line.y <= header.size(index) * 1.2
        && matches!(below_cells.as_slice(), [label] if label.x1 < cell.x0 && is_bare_address_label(label))
}

/// The address lines as one text, ", " between lines, except after a line that ends with a
/// joining character ("HYDERABAD -" over "500047"): there the value wrapped inside one of its
/// parts, which goes on after a space.
fn join_address_lines(lines: &[String]) -> String {
    let mut text = String::new();
    for line in lines {
        if !text.is_empty() {
            // "KOCHI" over "- 682044" too: the joining character opens the next line.
            text.push_str(
                if text.ends_with(['-', '/', '&']) || line.starts_with('-') {
                    " "
                } else {
                    ", "
                },
            );
        }
        text.push_str(line);
    }
    text
}

/// A cell that is an "Address" label and nothing else.
fn is_bare_address_label(cell: &Cell) -> bool {
    cell.starts_with_label()
        && cell
            .hits
            .first()
            .is_some_and(|hit| hit.field == Field::Address && hit.value.is_empty())
}

enum AddressLine {
    Text(String),
    /// An "Address :" label line with nothing else, or a joint holder's line: transparent.
    Label,
    End,
}

/// A later holder of a numbered list on a line of its own: "2. SUNITA SHARMA".
fn is_listed_holder(text: &str) -> bool {
    let mut words = text.split_whitespace();
    let numbered = words.next().and_then(enumerator).is_some_and(|n| n > 1);
    let rest: Vec<&str> = words.collect();
    numbered && !rest.is_empty() && holder_name(&rest.join(" ")).is_some()
}

fn address_line_of(cell: &Cell) -> AddressLine {
    if let Some(first) = cell.hits.first().filter(|_| cell.starts_with_label()) {
        return match (first.field, first.value.is_empty()) {
            (Field::Address, true) => AddressLine::Label,
            (Field::Address, false) => AddressLine::Text(first.value.clone()),
            // "Joint Holder(s) : SUNITA SHARMA" between the name and the address, or after it;
            // an empty "JOINT HOLDERS :" heads the next block.
            (Field::JointHolder, false) => AddressLine::Label,
            _ => AddressLine::End,
        };
    }
    let text = cell.text.trim();
    if is_listed_holder(text) {
        return AddressLine::Label;
    }
    let opens_greeting = text
        .split_whitespace()
        .next()
        .is_some_and(|w| is_name_word(w, NameWord::Salutation));
    if opens_greeting {
        return AddressLine::End;
    }
    // "S/O RAMESH KUMAR" under the holder's name: a relative, not where the holder lives
    // ("C/O" lines are the address's: the post goes there).
    let relation = text.split_whitespace().next().is_some_and(|w| {
        let w = w.to_ascii_uppercase();
        RELATION_WORDS.contains(&w.as_str()) && w != "C/O"
    });
    if relation && without_relation(text).is_none() {
        return AddressLine::Label;
    }
    let upper = text.to_uppercase();
    let is_caption = ["STATEMENT", "PERIOD", "TRANSACTION"]
        .iter()
        .any(|w| upper.contains(w));
    let ends = text.starts_with(':')
        || !cell.hits.is_empty()
        || is_caption
        || !dates_in(text).is_empty()
        || text.contains('@');
    if ends {
        AddressLine::End
    } else {
        AddressLine::Text(text.to_string())
    }
}

/// Fallback when no name anchors the address: lines from an "Address" label downwards.
/// The address under its label. Where several labels say "Address" (the home branch's block
/// beside the holder's), the first read in the block's left-hand column, else the first.
fn labelled_address(header: &Header) -> Option<String> {
    let left_margin = header.all_cells().map(|c| c.x0).fold(f32::MAX, f32::min);
    let mut first: Option<Option<String>> = None;
    for row in &header.cells {
        for (position, cell) in row.iter().enumerate() {
            let Some(hit) = cell.hits.iter().find(|h| h.field == Field::Address) else {
                continue;
            };
            let found = address_at_label(header, row, position, cell, hit);
            let left = cell.x0 <= left_margin + header.size(cell.line) * 2.0;
            if found.is_some() && left {
                return found;
            }
            first.get_or_insert(found);
        }
    }
    first.flatten()
}

/// The address under the label `hit` of `cell`, the `position`th cell of `row`.
fn address_at_label(
    header: &Header,
    row: &[Cell],
    position: usize,
    cell: &Cell,
    hit: &LabelHit,
) -> Option<String> {
    // A label alone on its line ("Address" with nothing after it) over its value's lines
    // printed in a value column right of it: that column.
    let column_below = || {
        let next = header.next_printed_line(cell.line);
        let line = header.lines.get(next)?;
        let this = header.lines.get(cell.line)?;
        let near = line.page == this.page
            && line.y - this.y <= header.size(cell.line) * MAX_LABELLED_ADDRESS_GAP;
        let first = header.cells.get(next)?.first()?;
        (near && first.x0 > cell.x1 && !first.starts_with_label()).then_some(first.x0)
    };
    // The label opening its line, its value beside it: the lines are read from the label's
    // own line down, so a value wrapped in its cell is seen as one.
    if position == 0 && hit.start == 0 {
        let mut columns = vec![cell.x0];
        match value_cells(header, cell) {
            Some((separator, value_cell)) => {
                columns.extend(separator.map(|c| c.x0));
                columns.push(value_cell.x0);
            }
            None if hit.value.is_empty() => columns.extend(column_below()),
            None => {}
        }
        let lines = address_from(header, cell.line, &columns);
        if !lines.is_empty() {
            return Some(join_address_lines(&lines));
        }
    }
    let mut lines = Vec::new();
    if !hit.value.is_empty() {
        lines.push(hit.value.clone());
    }
    let mut columns = vec![cell.x0];
    if hit.value.is_empty() {
        match value_cells(header, cell) {
            Some((separator, value_cell)) => {
                columns.extend(separator.map(|c| c.x0));
                columns.push(value_cell.x0);
            }
            None => columns.extend(row.get(position + 1).map(|c| c.x0).or_else(column_below)),
        }
    }
    lines.extend(address_below(header, cell.line, &columns));
    (!lines.is_empty()).then(|| join_address_lines(&lines))
}

// ---------------------------------------------------------------------------------------------
// Fallbacks and category
// ---------------------------------------------------------------------------------------------

/// Words naming an account in a sentence without a label's colon ("Statement of account for
/// A/c 5010… from …", "A/c 5010… - Statement …").
const ACCOUNT_WORDS: &[&str] = &["A/C", "AC", "ACCT", "ACC", "ACCOUNT"];

/// Fewest digits (or digits and mask characters) of an account number read from a sentence:
/// a bare "Account 1" or a year must not pass for one.
const MIN_SENTENCE_ACCOUNT_CHARS: usize = 9;

/// Words before an account word that make it another account's (a transfer's counterparty
/// printed in the header, "TRANSFER TO A/C 5010…"), not the statement's.
const TRANSFER_WORDS: &[&str] = &["TO", "FROM", "BY", "TRANSFER", "TRF"];

/// Without a labelled account number, one printed right after an account word in the
/// statement's title sentence (a cell that says "Statement").
fn fill_account_in_sentence(header: &Header, identity: &mut Identity) {
    if identity.account_number.is_some() {
        return;
    }
    identity.account_number = header
        .all_cells()
        .filter(|cell| tokens(&cell.text).iter().any(|w| w.upper == "STATEMENT"))
        .find_map(|cell| account_after_word(&cell.text));
}

fn account_after_word(text: &str) -> Option<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    (0..words.len().saturating_sub(1)).find_map(|index| {
        let word = words[index]
            .trim_end_matches(['.', ':'])
            .to_ascii_uppercase();
        let before = index.checked_sub(1).map(|i| words[i].to_ascii_uppercase());
        let names_other = before.is_some_and(|w| TRANSFER_WORDS.contains(&w.as_str()));
        if !ACCOUNT_WORDS.contains(&word.as_str()) || names_other {
            return None;
        }
        // "account no. 5010…", "A/c Number 5010…": the number after the number's word;
        // "Statement of account for 5010…", "Account Statement for 5010…": after "for".
        let mut next = index + 1;
        let number_word = |w: &str| {
            let w = w.trim_end_matches(['.', ':']).to_ascii_uppercase();
            matches!(
                w.as_str(),
                "NO" | "NUMBER" | "NUM" | "#" | "FOR" | "STATEMENT"
            )
        };
        while next < index + 3 && words.get(next).is_some_and(|w| number_word(w)) {
            next += 1;
        }
        let printed = words.get(next)?.trim_end_matches([',', ';', ':', '.']);
        let number = account_word(without_zero_decimals(printed))?;
        let counted = number
            .chars()
            .filter(|c| c.is_ascii_digit() || matches!(c, 'X' | 'x' | '*'))
            .count();
        let long_enough = counted >= MIN_SENTENCE_ACCOUNT_CHARS || is_short_mask(&number);
        (long_enough && number.chars().any(|c| c.is_ascii_digit())).then_some(number)
    })
}

/// Codes printed without a recognisable label, and account types stated in a title line.
fn fill_unlabelled_codes(header: &Header, identity: &mut Identity) {
    for cell in header.all_cells() {
        if identity.ifsc.is_none() {
            identity.ifsc = ifsc_in(&cell.text);
        }
        if identity.email.is_none() {
            identity.email = email_in(&cell.text);
        }
        if identity.pan_number.is_none() {
            identity.pan_number = pan_in(&cell.text);
        }
    }
    if identity.account_type.is_none() {
        identity.account_type = header
            .all_cells()
            .find_map(|cell| account_type_in_title(&cell.text));
    }
}

/// "SAVINGS ACCOUNT STATEMENT", "Current Account" and the like.
fn account_type_in_title(text: &str) -> Option<String> {
    let words: Vec<String> = tokens(text).into_iter().map(|t| t.upper).collect();
    let phrases = [
        (["SAVINGS", "ACCOUNT"], "savings"),
        (["SAVING", "ACCOUNT"], "savings"),
        (["SAVINGS", "BANK"], "savings"),
        (["CURRENT", "ACCOUNT"], "current"),
        (["OVERDRAFT", "ACCOUNT"], "overdraft"),
        (["CASH", "CREDIT"], "cash_credit"),
    ];
    phrases.iter().find_map(|(pair, kind)| {
        words
            .windows(2)
            .any(|w| w[0] == pair[0] && w[1] == pair[1])
            .then(|| kind.to_string())
    })
}

/// Words that make an account holder a business rather than a person.
const CORPORATE_WORDS: &[&str] = &[
    "PVT",
    "PRIVATE",
    "LTD",
    "LIMITED",
    "LLP",
    "TRADERS",
    "TRADING",
    "ENTERPRISES",
    "ENTERPRISE",
    "INDUSTRIES",
    "AGENCIES",
    "AGENCY",
    "SUPPLIERS",
    "CORPORATION",
    "COMPANY",
    "ASSOCIATES",
    "SOLUTIONS",
    "SERVICES",
    "TECHNOLOGIES",
    "EXPORTS",
    "IMPORTS",
    "STORES",
    "INDUSTRY",
    "MOTORS",
    "CONSTRUCTIONS",
    "BUILDERS",
    "DEVELOPERS",
    "TRUST",
    "SOCIETY",
    "FOUNDATION",
    "HOSPITAL",
    "CLINIC",
    "SCHOOL",
    "PHARMA",
    "INFRA",
    "VENTURES",
    "INC",
];

fn account_category(header: &Header, identity: &Identity) -> Option<String> {
    let Some(name) = &identity.name else {
        return description_category(header);
    };
    let upper = name.to_uppercase();
    let words: Vec<String> = tokens(name).into_iter().map(|t| t.upper).collect();
    let is_firm = upper.starts_with("M/S")
        || words.windows(2).any(|w| w[0] == "AND" && w[1] == "CO")
        || upper.contains("& CO")
        || words.iter().any(|w| CORPORATE_WORDS.contains(&w.as_str()));
    Some(if is_firm { "corporate" } else { "individual" }.to_string())
}

/// Without a name, a product description such as "SB CHQ-INDIVIDUALS" may still say it.
fn description_category(header: &Header) -> Option<String> {
    header.all_cells().find_map(|cell| {
        let upper = cell.text.to_uppercase();
        if upper.contains("INDIVIDUAL") {
            Some("individual".to_string())
        } else if upper.contains("CORPORATE") {
            Some("corporate".to_string())
        } else {
            None
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Word;
    use std::str::FromStr;

    const SIZE: f32 = 8.0;
    /// Rough Helvetica advance per character at 8 pt.
    const CHAR_WIDTH: f32 = 4.4;
    const SPACE: f32 = 2.2;

    #[test]
    fn honorifics_match_their_joined_upper_case_words_only() {
        let honorifics = name_words(NameWord::Honorific);
        assert!(honorifics.iter().all(|h| h.len() < HONORIFIC_BOUND));
        // The joined-words reading the stack buffer stands in for.
        let joined = |text: &str| {
            let words = joined_words(text);
            !words.is_empty() && honorifics.contains(&words)
        };
        let samples = [
            "MR",
            "mr.",
            "Mr",
            " Mrs. ",
            "M/s.",
            "M/S",
            "m s",
            "M  S",
            "MS#",
            "#",
            "",
            "..",
            "MESSRS",
            "Messrs.",
            "MESSRSX",
            "KUMARI",
            "Kumari:",
            "Dr.",
            "DR",
            "CR",
            "MR 12",
            "M S X",
            "Shri.",
            "ſmt",
            "mıss",
            "MİSS",
            "Ｍｒ",
            "Mr\u{FFFD}",
            "(Prof)",
            "Capt.Col",
            "RAVI KUMAR",
            "M/s. Ravi Traders",
            "\u{E000}MR",
        ];
        for sample in samples {
            assert_eq!(is_honorific(sample), joined(sample), "{sample:?}");
        }
    }

    /// A line from `(x, text)` segments; words inside a segment are one space apart.
    fn line(y: f32, segments: &[(f32, &str)]) -> Line {
        let mut words = Vec::new();
        for (x, text) in segments {
            let mut cursor = *x;
            for word in text.split_whitespace() {
                let width = word.chars().count() as f32 * CHAR_WIDTH;
                words.push(Word {
                    text: word.to_string(),
                    x0: cursor,
                    x1: cursor + width,
                });
                cursor += width + SPACE;
            }
        }
        words.sort_by(|a, b| a.x0.total_cmp(&b.x0));
        Line {
            page: 1,
            y,
            size: SIZE,
            words,
        }
    }

    /// "Balance as on 1 Sep 2021 : 5,000.00" in every arrangement seen: one run of words, the
    /// amount in a cell of its own, and the amount under the label. The day number is never
    /// the balance.
    #[test]
    fn balance_as_on_a_single_digit_day_reads_the_amount_not_the_day() {
        let arrangements: [&[&[(f32, &str)]]; 3] = [
            &[
                &[(30.0, "Statement from 1 Sep 2021 to 30 Sep 2021")],
                &[(30.0, "Balance as on 1 Sep 2021 : 5,000.00")],
            ],
            &[
                &[(30.0, "Statement from 1 Sep 2021 to 30 Sep 2021")],
                &[(30.0, "Balance as on 1 Sep 2021"), (200.0, ": 5,000.00")],
            ],
            &[
                &[(30.0, "Statement from 1 Sep 2021 to 30 Sep 2021")],
                &[(30.0, "Balance as on 1 Sep 2021")],
                &[(30.0, ": 5,000.00")],
            ],
        ];
        for rows in arrangements {
            let identity = extract_identity(&block(rows));
            assert_eq!(identity.opening_balance, dec("5000.00"), "{rows:?}");
        }
    }

    #[test]
    fn name_word_table_parses_and_reports_defects() {
        let rows = parse_name_word_table(NAME_WORD_TABLE);
        assert!(rows.as_ref().is_ok_and(|r| r.len() > 50), "{rows:?}");
        assert!(parse_name_word_table("honorific\tMR\n").is_ok());
        assert!(parse_name_word_table("title\tMR\n").is_err());
        assert!(parse_name_word_table("honorific\tMESSIEURS\n").is_err());
        assert!(parse_name_word_table("honorific MR\n").is_err());
    }

    /// Header lines as (x, text) segments, top first.
    type Rows<'a> = &'a [&'a [(f32, &'a str)]];

    #[test]
    fn joint_holders_leave_the_primary_holder_as_the_name() {
        let cases: [(Rows, &str, &str); 6] = [
            (
                &[
                    &[(L, "Name : RAJESH KUMAR SHARMA")],
                    &[(L, "Joint Holder(s) : SUNITA SHARMA")],
                    &[(L, "12 LAKE ROAD, KOLKATA 700029")],
                ],
                "RAJESH KUMAR SHARMA",
                "12 LAKE ROAD, KOLKATA 700029",
            ),
            (
                &[
                    &[(L, "RAJESH KUMAR SHARMA / SUNITA SHARMA")],
                    &[(L, "12 LAKE ROAD, KOLKATA 700029")],
                ],
                "RAJESH KUMAR SHARMA",
                "12 LAKE ROAD, KOLKATA 700029",
            ),
            (
                &[
                    &[(L, "1. RAJESH KUMAR SHARMA")],
                    &[(L, "2. SUNITA SHARMA")],
                    &[(L, "12 LAKE ROAD, KOLKATA 700029")],
                ],
                "RAJESH KUMAR SHARMA",
                "12 LAKE ROAD, KOLKATA 700029",
            ),
            (
                &[
                    &[(L, "RAJESH KUMAR SHARMA (Primary)")],
                    &[(L, "SUNITA SHARMA (Joint)")],
                    &[(L, "12 LAKE ROAD, KOLKATA 700029")],
                ],
                "RAJESH KUMAR SHARMA",
                "12 LAKE ROAD, KOLKATA 700029",
            ),
            (
                &[
                    &[(L, "RAJESH KUMAR SHARMA")],
                    &[(L, "SUNITA SHARMA")],
                    &[(L, "12 LAKE ROAD, KOLKATA 700029")],
                ],
                "RAJESH KUMAR SHARMA",
                "12 LAKE ROAD, KOLKATA 700029",
            ),
            (
                &[
                    &[(L, "Customer Name: MR. RAJESH K SHARMA (Primary)")],
                    &[(L, "Address : 12 LAKE ROAD, KOLKATA 700029")],
                ],
                "MR. RAJESH K SHARMA",
                "12 LAKE ROAD, KOLKATA 700029",
            ),
        ];
        for (index, (rows, name, address)) in cases.into_iter().enumerate() {
            let identity = extract_identity(&block(rows));
            assert_eq!(identity.name, some(name), "{rows:?}");
            assert_eq!(identity.address, some(address), "{rows:?}");
            let joint = (index < 5).then(|| "joint".to_string());
            assert_eq!(identity.holder_type, joint, "{rows:?}");
        }
    }

    #[test]
    fn an_address_line_without_digits_under_the_name_stays_the_address() {
        let cases: [(Rows, &str, &str); 2] = [
            (
                &[
                    &[(L, "RAJESH KUMAR SHARMA")],
                    &[(L, "SHANTI NIKETAN")],
                    &[(L, "12 LAKE ROAD, KOLKATA 700029")],
                ],
                "RAJESH KUMAR SHARMA",
                "SHANTI NIKETAN, 12 LAKE ROAD, KOLKATA 700029",
            ),
            (
                &[
                    &[(L, "M/S SHREE GANESH")],
                    &[(L, "OPP CITY HOSPITAL")],
                    &[(L, "12 LAKE ROAD, KOLKATA 700029")],
                ],
                "M/S SHREE GANESH",
                "OPP CITY HOSPITAL, 12 LAKE ROAD, KOLKATA 700029",
            ),
        ];
        for (rows, name, address) in cases {
            let identity = extract_identity(&block(rows));
            assert_eq!(identity.name, some(name), "{rows:?}");
            assert_eq!(identity.address, some(address), "{rows:?}");
            assert_eq!(identity.holder_type, None, "{rows:?}");
        }
    }

    #[test]
    fn names_keep_initials_and_lose_prefixes_greetings_and_glue() {
        let cases: [(Rows, &str); 7] = [
            (&[&[(L, "A/C Holder - S. KULKARNI")]], "S. KULKARNI"),
            (&[&[(L, "Name : SHARMA R K")]], "SHARMA R K"),
            (&[&[(L, "K.V.RAMANA MURTHY")]], "K.V.RAMANA MURTHY"),
            (&[&[(L, "Name : MRS.ANITA DESAI")]], "MRS. ANITA DESAI"),
            (&[&[(L, "SBA-RAJESH KUMAR")]], "RAJESH KUMAR"),
            (
                &[&[(L, "Dear Customer,")], &[(L, "CA-ACME TRADERS")]],
                "ACME TRADERS",
            ),
            (
                &[&[(L, "M/S ACME STEEL")], &[(L, "SUPPLIERS PVT LTD")]],
                "M/S ACME STEEL SUPPLIERS PVT LTD",
            ),
        ];
        for (rows, name) in cases {
            let identity = extract_identity(&block(rows));
            assert_eq!(identity.name, some(name), "{rows:?}");
        }
    }

    /// A browser's label/value table: each label in a cell of its own, its value in the next
    /// cell after a colon, the address one row under the name.
    #[test]
    fn an_address_in_the_cell_beside_its_label_is_read() {
        let rows: &[&[(f32, &str)]] = &[
            &[(L, "Account Holder"), (L + 70.0, ": KARAN PILLAI")],
            &[
                (L, "Address"),
                (L + 70.0, ": FLAT NO 812, STATION ROAD, KOCHI 682042"),
            ],
            &[(L, "A/c No."), (L + 70.0, ": 804453869808023")],
        ];
        let identity = extract_identity(&block(rows));
        assert_eq!(identity.name, some("KARAN PILLAI"));
        assert_eq!(
            identity.address,
            some("FLAT NO 812, STATION ROAD, KOCHI 682042")
        );
        assert_eq!(identity.account_number, some("804453869808023"));
    }

    #[test]
    fn address_lines_wrapped_after_a_joining_character_go_on_after_a_space() {
        let lines = |texts: &[&str]| texts.iter().map(|t| t.to_string()).collect::<Vec<_>>();
        assert_eq!(
            join_address_lines(&lines(&[
                "H NO 26-16, BANJARA HILLS, HYDERABAD -",
                "500047"
            ])),
            "H NO 26-16, BANJARA HILLS, HYDERABAD - 500047"
        );
        assert_eq!(
            join_address_lines(&lines(&["12 LAKE ROAD", "KOLKATA 700029"])),
            "12 LAKE ROAD, KOLKATA 700029"
        );
    }

    #[test]
    /// Chrome's labels-above-values block: the company name ends 9.6 pt before the account
    /// number at 9.7 pt, closer than cells usually stand apart; each value starts under its
    /// label.
    fn values_under_a_row_of_labels_split_where_the_labels_start() {
        let lines = vec![
            Line {
                page: 1,
                y: 60.6,
                size: 13.4,
                words: vec![
                    Word {
                        text: "Punjab".into(),
                        x0: 34.4,
                        x1: 79.0,
                    },
                    Word {
                        text: "National".into(),
                        x0: 82.7,
                        x1: 135.5,
                    },
                    Word {
                        text: "Bank".into(),
                        x0: 139.2,
                        x1: 171.9,
                    },
                ],
            },
            Line {
                page: 1,
                y: 79.9,
                size: 9.7,
                words: vec![
                    Word {
                        text: "Name".into(),
                        x0: 39.6,
                        x1: 66.0,
                    },
                    Word {
                        text: "Account".into(),
                        x0: 196.9,
                        x1: 235.6,
                    },
                    Word {
                        text: "No".into(),
                        x0: 238.2,
                        x1: 251.1,
                    },
                    Word {
                        text: "IFSC".into(),
                        x0: 292.5,
                        x1: 314.5,
                    },
                    Word {
                        text: "CODE".into(),
                        x0: 317.2,
                        x1: 345.1,
                    },
                    Word {
                        text: "Branch".into(),
                        x0: 366.6,
                        x1: 399.9,
                    },
                ],
            },
            Line {
                page: 1,
                y: 94.8,
                size: 9.7,
                words: vec![
                    Word {
                        text: "SHREE".into(),
                        x0: 39.6,
                        x1: 72.9,
                    },
                    Word {
                        text: "GANESH".into(),
                        x0: 75.6,
                        x1: 116.4,
                    },
                    Word {
                        text: "ENTERPRISES".into(),
                        x0: 119.1,
                        x1: 187.3,
                    },
                    Word {
                        text: "8792269524938971".into(),
                        x0: 196.9,
                        x1: 282.9,
                    },
                    Word {
                        text: "PUNB0408752".into(),
                        x0: 292.5,
                        x1: 357.0,
                    },
                    Word {
                        text: "NEW".into(),
                        x0: 366.6,
                        x1: 389.2,
                    },
                    Word {
                        text: "DELHI".into(),
                        x0: 391.9,
                        x1: 420.3,
                    },
                    Word {
                        text: "KAROL".into(),
                        x0: 423.0,
                        x1: 455.7,
                    },
                    Word {
                        text: "BAGH".into(),
                        x0: 458.1,
                        x1: 485.4,
                    },
                ],
            },
            Line {
                page: 1,
                y: 111.1,
                size: 9.7,
                words: vec![
                    Word {
                        text: "Address:".into(),
                        x0: 34.4,
                        x1: 72.6,
                    },
                    Word {
                        text: "H".into(),
                        x0: 75.2,
                        x1: 82.2,
                    },
                    Word {
                        text: "NO".into(),
                        x0: 84.9,
                        x1: 99.4,
                    },
                    Word {
                        text: "84-229,".into(),
                        x0: 102.1,
                        x1: 134.8,
                    },
                    Word {
                        text: "ROHINI".into(),
                        x0: 137.5,
                        x1: 171.3,
                    },
                    Word {
                        text: "SECTOR".into(),
                        x0: 174.0,
                        x1: 214.1,
                    },
                    Word {
                        text: "9,".into(),
                        x0: 216.8,
                        x1: 224.8,
                    },
                    Word {
                        text: "NEW".into(),
                        x0: 227.5,
                        x1: 250.1,
                    },
                    Word {
                        text: "DELHI".into(),
                        x0: 252.7,
                        x1: 281.2,
                    },
                    Word {
                        text: "-".into(),
                        x0: 283.9,
                        x1: 287.1,
                    },
                    Word {
                        text: "110094".into(),
                        x0: 289.8,
                        x1: 321.3,
                    },
                ],
            },
            Line {
                page: 1,
                y: 122.3,
                size: 9.7,
                words: vec![
                    Word {
                        text: "Statement".into(),
                        x0: 34.4,
                        x1: 78.5,
                    },
                    Word {
                        text: "Period:".into(),
                        x0: 81.2,
                        x1: 111.8,
                    },
                    Word {
                        text: "01-05-2024".into(),
                        x0: 114.4,
                        x1: 163.9,
                    },
                    Word {
                        text: "to".into(),
                        x0: 166.5,
                        x1: 174.6,
                    },
                    Word {
                        text: "30-06-2024".into(),
                        x0: 177.3,
                        x1: 226.7,
                    },
                ],
            },
        ];
        let identity = extract_identity(&lines);
        assert_eq!(identity.name, some("SHREE GANESH ENTERPRISES"));
        assert_eq!(identity.account_number, some("8792269524938971"));
        assert_eq!(identity.ifsc, some("PUNB0408752"));
    }

    /// The address wraps in its value cell and the browser centres the "Address" label beside
    /// it: the value's first line stands above the label's, with no label of its own.
    #[test]
    fn a_wrapped_address_beside_a_centred_label_is_read() {
        let lines = vec![
            line(80.0, &[(L, "Account Holder"), (L + 82.0, ": FARAH KHAN")]),
            line(
                94.5,
                &[(L + 82.0, ": FLAT NO 912, MAPLE COURT, JAIPUR - 302011,")],
            ),
            line(100.5, &[(L, "Address")]),
            line(105.8, &[(L + 82.0, "RAJASTHAN")]),
            line(120.0, &[(L, "Account #"), (L + 82.0, ": 991942262446688")]),
        ];
        let identity = extract_identity(&lines);
        assert_eq!(identity.name, some("FARAH KHAN"));
        assert_eq!(
            identity.address,
            some("FLAT NO 912, MAPLE COURT, JAIPUR - 302011, RAJASTHAN")
        );
        assert_eq!(identity.account_number, some("991942262446688"));
    }

    /// The wrapped address breaks inside a part ("NEW" over "DELHI"), not after a comma: the
    /// part goes on after a space, as the one value printed it.
    #[test]
    fn a_wrapped_address_broken_inside_a_part_goes_on_after_a_space() {
        let lines = vec![
            line(80.0, &[(L, "Account Holder"), (L + 82.0, ": FARAH KHAN")]),
            line(
                94.5,
                &[(
                    L + 82.0,
                    ": FLAT NO 609, STATION ROAD, DWARKA SECTOR 7, NEW",
                )],
            ),
            line(100.5, &[(L, "Address")]),
            line(105.8, &[(L + 82.0, "DELHI 110047")]),
            line(120.0, &[(L, "Account #"), (L + 82.0, ": 991942262446688")]),
        ];
        let identity = extract_identity(&lines);
        assert_eq!(
            identity.address,
            some("FLAT NO 609, STATION ROAD, DWARKA SECTOR 7, NEW DELHI 110047")
        );
        // The colon printed with the label, the label centred on a line of its own.
        let label_colon = vec![
            line(80.0, &[(L, "Primary Holder :"), (L + 82.0, "FARAH KHAN")]),
            line(
                94.5,
                &[(L + 82.0, "FLAT NO 911, GREEN PARK SOCIETY, BENGALURU")],
            ),
            line(100.5, &[(L, "Address :")]),
            line(105.8, &[(L + 82.0, "560032")]),
            line(120.0, &[(L, "IFS Code :"), (L + 82.0, "PUNB0936959")]),
        ];
        assert_eq!(
            extract_identity(&label_colon).address,
            some("FLAT NO 911, GREEN PARK SOCIETY, BENGALURU 560032")
        );
    }

    /// "Account Holder" over "Name" in the label cell, the value centred on a line between
    /// them: one label and its value, and the address under it still read.
    #[test]
    fn a_label_wrapped_around_its_centred_value_is_one_label() {
        let lines = vec![
            line(70.5, &[(L, "Account Holder")]),
            line(75.8, &[(L + 89.0, ": NAVRANG ENTERPRISES")]),
            line(81.0, &[(L, "Name")]),
            line(
                94.5,
                &[(L + 89.0, ": FLAT NO 303, RIVERVIEW TOWERS, HYDERABAD -")],
            ),
            line(99.8, &[(L, "Address")]),
            line(105.0, &[(L + 89.0, "500074, TELANGANA")]),
            line(118.5, &[(L, "ACCOUNT NO"), (L + 89.0, ": 285833034112")]),
        ];
        let identity = extract_identity(&lines);
        assert_eq!(identity.name, some("NAVRANG ENTERPRISES"));
        assert_eq!(
            identity.address,
            some("FLAT NO 303, RIVERVIEW TOWERS, HYDERABAD - 500074, TELANGANA")
        );
        assert_eq!(identity.account_number, some("285833034112"));
        // A whole label over another around a value line: not one label wrapped.
        let apart = vec![
            line(70.5, &[(L, "IFSC")]),
            line(75.8, &[(L + 89.0, ": ICIC0984630")]),
            line(81.0, &[(L, "Name")]),
        ];
        assert!(matches!(
            join_labels_wrapped_around_values(&apart),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    /// A label wrapped in a narrow cell with its value beside the first line ("Account" and
    /// ": SHRI NIKHIL SINGH", "Holder" under "Account"): one label; the address under it read.
    #[test]
    fn a_label_wrapped_under_its_value_line_is_one_label() {
        let lines = vec![
            line(70.0, &[(L, "Account"), (L + 50.0, ": SHRI NIKHIL SINGH")]),
            line(81.0, &[(L, "Holder")]),
            line(92.0, &[(L, "Address"), (L + 50.0, ":")]),
            line(103.0, &[(L + 50.0, "H NO 79-551, ADYAR")]),
            line(114.0, &[(L + 50.0, "CHENNAI - 600098")]),
            line(125.0, &[(L, "A/c"), (L + 50.0, ": 113204501981258")]),
            line(136.0, &[(L, "No.")]),
            // No colon, the value a narrow gap after the label's first line.
            line(147.0, &[(L, "ACCOUNT"), (L + 40.0, "XXXXXXX7902")]),
            line(158.0, &[(L, "NO")]),
        ];
        // A whole label as printed, over a label of its own: not one label wrapped.
        let apart = vec![
            line(
                70.0,
                &[(L, "Customer Name"), (L + 90.0, "GOLDEN LEAF ENTERPRISES")],
            ),
            line(81.0, &[(L, "Address")]),
        ];
        assert!(matches!(
            join_labels_wrapped_around_values(&apart),
            std::borrow::Cow::Borrowed(_)
        ));
        let identity = extract_identity(&lines);
        assert_eq!(identity.name, some("SHRI NIKHIL SINGH"));
        assert_eq!(
            identity.address,
            some("H NO 79-551, ADYAR, CHENNAI - 600098")
        );
        assert_eq!(identity.account_number, some("113204501981258"));
    }

    #[test]
    fn a_title_in_a_column_of_its_own_takes_the_name_beside_it() {
        let rows: &[&[(f32, &str)]] = &[
            &[(L, "MR"), (L + 140.0, "RAJESH KUMAR SHARMA")],
            &[(L + 140.0, "12 LAKE ROAD, KOLKATA 700029")],
        ];
        let identity = extract_identity(&block(rows));
        assert_eq!(identity.name, some("MR RAJESH KUMAR SHARMA"));
        assert_eq!(identity.address, some("12 LAKE ROAD, KOLKATA 700029"));
    }

    /// Lines 11 pt apart starting at y = 100.
    fn block(rows: &[&[(f32, &str)]]) -> Vec<Line> {
        rows.iter()
            .enumerate()
            .map(|(index, segments)| line(100.0 + index as f32 * 11.0, segments))
            .collect()
    }

    fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    fn dec(s: &str) -> Option<Decimal> {
        Decimal::from_str(s).ok()
    }

    fn some(s: &str) -> Option<String> {
        Some(s.to_string())
    }

    const L: f32 = 32.0;
    const R: f32 = 307.0;
    const PAIR: f32 = 88.0;

    #[test]
    fn hdfc_style_unlabelled_name_with_right_hand_pairs() {
        let lines = block(&[
            &[(250.0, "HDFC BANK")],
            &[(240.0, "Statement of Account")],
            &[
                (L, "MR RAHUL KUMAR SHARMA"),
                (R, "Account Branch"),
                (R + PAIR, ": ANDHERI EAST"),
            ],
            &[
                (L, "FLAT NO 101, SAI KRUPA APARTMENTS"),
                (R, "Cust ID"),
                (R + PAIR, ": 123456789"),
            ],
            &[
                (L, "MG ROAD, ANDHERI EAST"),
                (R, "Account No"),
                (R + PAIR, ": 50100012345678"),
            ],
            &[
                (L, "MUMBAI 400069"),
                (R, "A/C Open Date"),
                (R + PAIR, ": 14/08/2016"),
            ],
            &[
                (L, "JOINT HOLDERS :"),
                (R, "Account Status"),
                (R + PAIR, ": Regular"),
            ],
            &[(R, "RTGS/NEFT IFSC"), (R + PAIR, ": HDFC0001234")],
            &[(R, "MICR"), (R + PAIR, ": 400240015")],
            &[(R, "Product Code"), (R + PAIR, ": 100 SAVINGS REGULAR")],
            &[(L, "Statement From : 01/01/2024 To : 31/03/2024")],
        ]);
        let identity = extract_identity(&lines);
        assert_eq!(identity.name, some("MR RAHUL KUMAR SHARMA"));
        assert_eq!(
            identity.address,
            some("FLAT NO 101, SAI KRUPA APARTMENTS, MG ROAD, ANDHERI EAST, MUMBAI 400069")
        );
        assert_eq!(identity.account_number, some("50100012345678"));
        assert_eq!(identity.ifsc, some("HDFC0001234"));
        assert_eq!(identity.micr, some("400240015"));
        assert_eq!(identity.account_type, some("savings"));
        assert_eq!(identity.account_category, some("individual"));
        assert_eq!(identity.account_opening_date, date(2016, 8, 14));
        assert_eq!(identity.account_status, some("active"), "HDFC's Regular");
        assert_eq!(identity.holder_type, None, "no joint holder printed");
        assert_eq!(identity.from_date, date(2024, 1, 1));
        assert_eq!(identity.to_date, date(2024, 3, 31));
    }

    #[test]
    fn sbi_style_label_value_columns_on_the_left() {
        let lines = block(&[
            &[(L, "Account Name"), (L + PAIR, ": Mrs. PRIYA DEVI IYER")],
            &[(L, "Address"), (L + PAIR, ":")],
            &[(L + PAIR, "H NO 12-345, KOTHRUD")],
            &[(L + PAIR, "PUNE - 411038")],
            &[(L, "Date"), (L + PAIR, ": 31-03-2024")],
            &[(L, "Account Number"), (L + PAIR, ": 00000012345678901")],
            &[
                (L, "Account Description"),
                (L + PAIR, ": REGULAR SB CHQ-INDIVIDUALS"),
            ],
            &[(L, "Branch"), (L + PAIR, ": PUNE KOTHRUD")],
            &[(L, "Drawing Power"), (L + PAIR, ": 0.00")],
            &[(L, "Interest Rate(% p.a.)"), (L + PAIR, ": 2.7")],
            &[(L, "IFS Code"), (L + PAIR, ": SBIN0001234")],
            &[(L, "MICR Code"), (L + PAIR, ": 411002123")],
            &[
                (L, "Balance as on 1 Jan 2024"),
                (L + PAIR + 20.0, ": 12,345.67"),
            ],
            &[(L, "Account Statement from 1 Jan 2024 to 31 Mar 2024")],
        ]);
        let identity = extract_identity(&lines);
        assert_eq!(identity.name, some("Mrs. PRIYA DEVI IYER"));
        assert_eq!(
            identity.address,
            some("H NO 12-345, KOTHRUD, PUNE - 411038")
        );
        assert_eq!(identity.account_number, some("00000012345678901"));
        assert_eq!(identity.account_type, some("savings"));
        assert_eq!(identity.od_limit, None, "a zero drawing power is no limit");
        assert_eq!(identity.ifsc, some("SBIN0001234"));
        assert_eq!(identity.micr, some("411002123"));
        assert_eq!(identity.opening_balance, dec("12345.67"));
        assert_eq!(identity.closing_balance, None);
        assert_eq!(identity.from_date, date(2024, 1, 1));
        assert_eq!(identity.to_date, date(2024, 3, 31));
        assert_eq!(identity.account_category, some("individual"));
    }

    #[test]
    fn pnb_style_colon_lines_in_one_column() {
        let lines = block(&[
            &[(240.0, "PUNJAB NATIONAL BANK")],
            &[(240.0, "Branch Name : CHEMBUR")],
            &[(L, "Customer Name : ANITA REDDY")],
            &[(L, "Customer Address :")],
            &[(L, "FLAT NO 305, LOTUS HEIGHTS")],
            &[(L, "STATION ROAD, CHEMBUR")],
            &[(L, "MUMBAI - 400071")],
            &[(L, "MAHARASHTRA")],
            &[(L, "Account No : 1234000100012345")],
            &[(L, "IFSC : PUNB0123400   MICR : 400024012")],
            &[(L, "Account Type : SAVINGS")],
            &[(L, "Period : 01/01/2024 - 31/03/2024")],
            &[(L, "Opening Balance : 1,23,456.78 Cr")],
            &[(L, "Closing Balance : 2,500.00 Dr")],
        ]);
        let identity = extract_identity(&lines);
        assert_eq!(identity.name, some("ANITA REDDY"));
        assert_eq!(
            identity.address,
            some("FLAT NO 305, LOTUS HEIGHTS, STATION ROAD, CHEMBUR, MUMBAI - 400071, MAHARASHTRA")
        );
        assert_eq!(identity.account_number, some("1234000100012345"));
        assert_eq!(identity.ifsc, some("PUNB0123400"));
        assert_eq!(identity.micr, some("400024012"));
        assert_eq!(identity.account_type, some("savings"));
        assert_eq!(identity.from_date, date(2024, 1, 1));
        assert_eq!(identity.to_date, date(2024, 3, 31));
        assert_eq!(identity.opening_balance, dec("123456.78"));
        assert_eq!(identity.closing_balance, dec("-2500.00"));
    }

    #[test]
    fn two_row_table_and_corporate_current_account() {
        let lines = block(&[
            &[(L, "Name : M/S SHREE GANESH TRADERS")],
            &[(L, "12 MAIN BAZAAR ROAD, JAIPUR 302001")],
            &[],
            &[
                (L, "Account Number"),
                (150.0, "IFSC"),
                (250.0, "MICR"),
                (350.0, "Account Type"),
            ],
            &[
                (L, "912020012345678"),
                (150.0, "UTIB0000123"),
                (250.0, "302211002"),
                (350.0, "CURRENT"),
            ],
            &[(L, "from 01-Jan-2024 to 31-Mar-2024")],
            &[(L, "Opening Balance"), (150.0, "Closing Balance")],
            &[(L, "(1,000.00)"), (150.0, "25,000.00")],
        ]);
        let identity = extract_identity(&lines);
        assert_eq!(identity.name, some("M/S SHREE GANESH TRADERS"));
        assert_eq!(identity.address, some("12 MAIN BAZAAR ROAD, JAIPUR 302001"));
        assert_eq!(identity.account_number, some("912020012345678"));
        assert_eq!(identity.ifsc, some("UTIB0000123"));
        assert_eq!(identity.micr, some("302211002"));
        assert_eq!(identity.account_type, some("current"));
        assert_eq!(identity.account_category, some("corporate"));
        assert_eq!(identity.from_date, date(2024, 1, 1));
        assert_eq!(identity.to_date, date(2024, 3, 31));
        assert_eq!(identity.opening_balance, dec("-1000.00"));
        assert_eq!(identity.closing_balance, dec("25000.00"));
    }

    #[test]
    fn baroda_style_overdraft_with_limit() {
        let lines = block(&[
            &[(250.0, "BANK OF BARODA")],
            &[
                (L, "NAVRANG INDUSTRIES PVT LTD"),
                (R, "Account Number : 29040200001234"),
            ],
            &[
                (L, "PLOT 7, MIDC AREA"),
                (R, "Product : CASH CREDIT OVERDRAFT ACCOUNT"),
            ],
            &[
                (L, "NAGPUR 440016"),
                (R, "Drawing Power / OD Limit : 5,00,000.00"),
            ],
            &[(R, "IFSC : BARB0MGROAD")],
            &[(R, "MICR : 440012002")],
            &[(
                L,
                "Statement of account for the period 01-01-2024 to 31-03-2024",
            )],
        ]);
        let identity = extract_identity(&lines);
        assert_eq!(identity.name, some("NAVRANG INDUSTRIES PVT LTD"));
        assert_eq!(identity.address, some("PLOT 7, MIDC AREA, NAGPUR 440016"));
        assert_eq!(identity.account_number, some("29040200001234"));
        assert_eq!(identity.account_type, some("overdraft"));
        assert_eq!(identity.od_limit, dec("500000.00"));
        assert_eq!(identity.ifsc, some("BARB0MGROAD"));
        assert_eq!(identity.micr, some("440012002"));
        assert_eq!(identity.account_category, some("corporate"));
        assert_eq!(identity.from_date, date(2024, 1, 1));
        assert_eq!(identity.to_date, date(2024, 3, 31));
    }

    #[test]
    fn icici_style_captions_before_the_name() {
        let lines = block(&[
            &[(250.0, "ICICI Bank")],
            &[(240.0, "DETAILED STATEMENT")],
            &[(L, "Transactions List - ROHAN NAIR - 123405001234")],
            &[(
                L,
                "Search for : Transaction Period From 05/01/2024 To 04/04/2024",
            )],
            &[
                (L, "ROHAN NAIR"),
                (R, "Account Number"),
                (R + PAIR, "123405001234 ( INR ) - ROHAN NAIR"),
            ],
            &[
                (L, "GANGA VIHAR, 10TH CROSS ROAD"),
                (R, "Account Type"),
                (R + PAIR, "SAVINGS ACCOUNT"),
            ],
            &[
                (L, "BENGALURU 560038"),
                (R, "IFSC Code"),
                (R + PAIR, "ICIC0001234"),
            ],
            &[(R, "MICR Code"), (R + PAIR, "560229002")],
            &[
                (L, "Email : rohan.nair@example.com"),
                (R, "Mobile No"),
                (R + PAIR, "+91 98XXXXX210"),
            ],
            &[(L, "PAN : ABCPN1234K")],
        ]);
        let identity = extract_identity(&lines);
        assert_eq!(identity.name, some("ROHAN NAIR"));
        assert_eq!(
            identity.address,
            some("GANGA VIHAR, 10TH CROSS ROAD, BENGALURU 560038")
        );
        assert_eq!(identity.account_number, some("123405001234"));
        assert_eq!(identity.account_type, some("savings"));
        assert_eq!(identity.ifsc, some("ICIC0001234"));
        assert_eq!(identity.micr, some("560229002"));
        assert_eq!(identity.from_date, date(2024, 1, 5));
        assert_eq!(identity.to_date, date(2024, 4, 4));
        assert_eq!(identity.email, some("rohan.nair@example.com"));
        assert_eq!(identity.phone_number, some("+91 98XXXXX210"));
        assert_eq!(identity.pan_number, some("ABCPN1234K"));
    }

    #[test]
    fn idfc_style_pairs_with_indented_address_and_kotak_style_bare_period() {
        let lines = block(&[
            &[(240.0, "IDFC FIRST Bank")],
            &[(L, "05 Jan 2024 - 04 Apr 2024")],
            &[
                (L, "CUSTOMER NAME"),
                (L + PAIR, "KAVYA SINGH"),
                (R, "ACCOUNT NUMBER"),
                (R + PAIR, "10012345678"),
            ],
            &[(L, "ADDRESS"), (R, "ACCOUNT TYPE"), (R + PAIR, "SAVINGS")],
            &[
                (L + PAIR, "MAPLE COURT, LINK ROAD"),
                (R, "IFSC"),
                (R + PAIR, "IDFB0040101"),
            ],
            &[
                (L + PAIR, "KOCHI - 682016"),
                (R, "MICR"),
                (R + PAIR, "682751002"),
            ],
            &[
                (L + PAIR, "KERALA"),
                (R, "CUSTOMER ID"),
                (R + PAIR, "5551234567"),
            ],
            &[(
                L,
                "Statement of account for the period 05 Jan 2024 to 04 Apr 2024",
            )],
            &[(L, "Opening Balance : INR 12,345.00")],
        ]);
        let identity = extract_identity(&lines);
        assert_eq!(identity.name, some("KAVYA SINGH"));
        assert_eq!(
            identity.address,
            some("MAPLE COURT, LINK ROAD, KOCHI - 682016, KERALA")
        );
        assert_eq!(identity.account_number, some("10012345678"));
        assert_eq!(identity.account_type, some("savings"));
        assert_eq!(identity.ifsc, some("IDFB0040101"));
        assert_eq!(identity.micr, some("682751002"));
        assert_eq!(identity.from_date, date(2024, 1, 5));
        assert_eq!(identity.to_date, date(2024, 4, 4));
        assert_eq!(identity.opening_balance, dec("12345.00"));
    }

    #[test]
    fn axis_style_glued_colons_and_account_in_the_period_line() {
        let lines = block(&[
            &[(250.0, "AXIS BANK")],
            &[(250.0, "ANDHERI EAST BRANCH")],
            &[(L, "SNEHA PATEL"), (R, "Customer ID :987654321")],
            &[(L, "SHANTI NIKETAN, NEHRU MARG"), (R, "IFSC Code :UTIB0000456")],
            &[(L, "AHMEDABAD 380009"), (R, "MICR Code :380211003")],
            &[(R, "Scheme :SAVINGS ACCOUNT")],
            &[(L, "Statement of Account No :917010012345678 for the period (From : 01-01-2024 To : 31-03-2024)")],
        ]);
        let identity = extract_identity(&lines);
        assert_eq!(identity.name, some("SNEHA PATEL"));
        assert_eq!(
            identity.address,
            some("SHANTI NIKETAN, NEHRU MARG, AHMEDABAD 380009")
        );
        assert_eq!(identity.account_number, some("917010012345678"));
        assert_eq!(identity.ifsc, some("UTIB0000456"));
        assert_eq!(identity.micr, some("380211003"));
        assert_eq!(identity.account_type, some("savings"));
        assert_eq!(identity.from_date, date(2024, 1, 1));
        assert_eq!(identity.to_date, date(2024, 3, 31));
    }

    #[test]
    fn canara_style_labels_without_colons() {
        let lines = block(&[
            &[(L, "Name IMRAN KHAN")],
            &[(L, "H NO 4-56, BANER")],
            &[(L, "PUNE - 411045")],
            &[(L, "Account Number 0123101012345")],
            &[(L, "IFSC Code CNRB0000123")],
            &[(L, "MICR Code 411015002")],
            &[(L, "Product SB GENERAL")],
            &[(L, "Statement Period 01-01-2024 to 31-03-2024")],
            &[(L, "Opening Balance 5,000.00")],
        ]);
        let identity = extract_identity(&lines);
        assert_eq!(identity.name, some("IMRAN KHAN"));
        assert_eq!(identity.address, some("H NO 4-56, BANER, PUNE - 411045"));
        assert_eq!(identity.account_number, some("0123101012345"));
        assert_eq!(identity.ifsc, some("CNRB0000123"));
        assert_eq!(identity.micr, some("411015002"));
        assert_eq!(identity.account_type, some("savings"));
        assert_eq!(identity.opening_balance, dec("5000.00"));
        assert_eq!(identity.from_date, date(2024, 1, 1));
    }

    /// Bank of Baroda's "Savings Account 0123…": the product's name labels the number that
    /// follows it, and stays the account type's value where no number follows.
    #[test]
    fn a_product_name_before_a_number_labels_the_account_number() {
        let lines = block(&[
            &[(L, "Name IMRAN KHAN")],
            &[(L, "H NO 4-56, BANER")],
            &[(L, "PUNE - 411045")],
            &[(L, "Savings Account 01230100012345")],
            &[(L, "IFSC Code BARB0BANERX")],
        ]);
        let identity = extract_identity(&lines);
        assert_eq!(identity.account_number, some("01230100012345"));
        assert_eq!(identity.address, some("H NO 4-56, BANER, PUNE - 411045"));
        let lines = block(&[
            &[(L, "Name IMRAN KHAN")],
            &[(L, "H NO 4-56, BANER")],
            &[(L, "Savings Account"), (L + 140.0, "01230100012345")],
        ]);
        let identity = extract_identity(&lines);
        assert_eq!(identity.account_number, some("01230100012345"));
        assert_eq!(identity.address, some("H NO 4-56, BANER"));
        let lines = block(&[
            &[(L, "Name IMRAN KHAN")],
            &[(L, "Account No : 01230100012345")],
            &[(L, "Account Type : Savings Account")],
        ]);
        let identity = extract_identity(&lines);
        assert_eq!(identity.account_number, some("01230100012345"));
        assert_eq!(identity.account_type, some("savings"));
        // A value under its label: the account type's is not a label of the MICR code beside it.
        let lines = block(&[
            &[
                (L, "Account No"),
                (L + 140.0, "Account Type"),
                (L + 280.0, "MICR"),
            ],
            &[
                (L, "01230100012345"),
                (L + 140.0, "Savings Account"),
                (L + 280.0, "411015002"),
            ],
        ]);
        let identity = extract_identity(&lines);
        assert_eq!(identity.account_number, some("01230100012345"));
        assert_eq!(identity.account_type, some("savings"));
    }

    /// A number-only label with a slash qualifier ("Savings Account/ Type : 0123… / SAVINGS"):
    /// its number follows the qualifier, so it still labels the number, and the type printed
    /// under its own label elsewhere stays the type.
    #[test]
    fn a_qualified_product_name_before_a_number_labels_the_account_number() {
        let rows: [&[(f32, &str)]; 4] = [
            &[(L, "A/C Holder : ADITI BANERJEE")],
            &[(L, "H NO 65-242, NAVRANGPURA")],
            &[(L, "Savings Account/ Type : 69642275327611 / SAVINGS")],
            &[(L, "Product : SAVINGS")],
        ];
        let identity = extract_identity(&block(&rows));
        assert_eq!(identity.account_number, some("69642275327611"));
        assert_eq!(identity.account_type, some("savings"));
        assert_eq!(identity.account_category, some("individual"));
        assert_eq!(identity.address, some("H NO 65-242, NAVRANGPURA"));
        let apart = extract_identity(&block(&[
            &[
                (L, "SAVINGS ACCOUNT/ TYPE"),
                (L + PAIR, ": 7005241365 / SAVINGS"),
            ],
            &[(L, "PRODUCT"), (L + PAIR, ": SAVINGS")],
        ]));
        assert_eq!(apart.account_number, some("7005241365"));
        assert_eq!(apart.account_type, some("savings"));
        // A short number after the qualifier is no account number's.
        let short = extract_identity(&block(&[&[(L, "Savings Account/ Type : 411002123")]]));
        assert_eq!(short.account_number, None);
    }

    #[test]
    fn customer_number_labels_of_other_banks_are_neither_address_nor_account() {
        // Labels of the customer's number as public parsers of real statements list them
        // (Kotak's "Cust. Reln. No.", "Client ID", "Relationship No."), and "Account ID".
        let lines = block(&[
            &[(L, "Name : RAVI KUMAR")],
            &[(L, "Client ID : 12345678")],
            &[(L, "Relationship No. : 87654321")],
            &[(L, "Account ID : 12345678901234")],
        ]);
        let identity = extract_identity(&lines);
        assert_eq!(identity.name, some("RAVI KUMAR"));
        assert_eq!(identity.address, None);
        assert_eq!(identity.account_number, some("12345678901234"));
        let lines = block(&[
            &[(240.0, "Account Statement")],
            &[(L, "RAVI KUMAR NAIR")],
            &[
                (L, "12 LAKE VIEW ROAD"),
                (R, "Cust. Reln. No."),
                (R + PAIR, "123456789"),
            ],
            &[
                (L, "KOCHI 682016"),
                (R, "Account No."),
                (R + PAIR, "1234567890"),
            ],
            &[
                (L, "KERALA"),
                (R, "Period"),
                (R + PAIR, "From 01/04/2024 To 30/06/2024"),
            ],
            &[(R, "CIF Number"), (R + PAIR, "555123456")],
            &[(R, "IFSC"), (R + PAIR, "KKBK0001234")],
        ]);
        let identity = extract_identity(&lines);
        assert_eq!(identity.name, some("RAVI KUMAR NAIR"));
        assert_eq!(identity.account_number, some("1234567890"));
        assert_eq!(
            identity.address,
            some("12 LAKE VIEW ROAD, KOCHI 682016, KERALA")
        );
        assert_eq!(identity.from_date, date(2024, 4, 1));
    }

    #[test]
    fn empty_or_unrelated_lines_give_an_empty_identity() {
        assert_eq!(extract_identity(&[]), Identity::default());
        let lines = block(&[&[(250.0, "STATE BANK OF INDIA")], &[(L, "Page 1 of 4")]]);
        let identity = extract_identity(&lines);
        assert_eq!(identity.name, None);
        assert_eq!(identity.account_number, None);
    }

    #[test]
    fn labels_are_found_on_word_boundaries() {
        let fields =
            |text: &str| -> Vec<Field> { find_labels(text).iter().map(|h| h.field).collect() };
        assert_eq!(fields("Branch Name : X"), vec![Field::Other]);
        assert_eq!(fields("NAMEETA SHAH"), Vec::<Field>::new());
        assert_eq!(fields("IFSC : X MICR : Y"), vec![Field::Ifsc, Field::Micr]);
        assert_eq!(
            fields("RAHUL PRODUCT HOUSE"),
            Vec::<Field>::new(),
            "generic word mid-cell"
        );
        assert_eq!(fields("Account Status : X"), vec![Field::AccountStatus]);
        assert_eq!(fields("KYC Status : X"), vec![Field::Other]);
        assert_eq!(fields("Payment Status Pending"), Vec::<Field>::new());
        assert_eq!(fields("Date of Birth : X"), vec![Field::Dob]);
        assert_eq!(fields("Joint Holder(s) : X"), vec![Field::JointHolder]);
        let hits = find_labels("A/C No. : 1234567");
        assert_eq!(hits.first().map(|h| h.value.as_str()), Some("1234567"));
    }

    #[test]
    fn dob_status_and_mode_in_label_value_columns() {
        let lines = block(&[
            &[(L, "Account Name"), (L + PAIR, ": MEERA JOSHI")],
            &[(L, "Account Number"), (L + PAIR, ": 00000012345678901")],
            &[(L, "Date of Birth"), (L + PAIR, ": 12/03/1985")],
            &[(L, "A/C Status"), (L + PAIR, ": DORMANT")],
            &[(L, "Mode of Operation"), (L + PAIR, ": Either or Survivor")],
            &[(L, "A/C Open Date"), (L + PAIR, ": 14/08/2016")],
            &[(L, "Account Statement from 1 Jan 2024 to 31 Mar 2024")],
        ]);
        let identity = extract_identity(&lines);
        assert_eq!(identity.name, some("MEERA JOSHI"));
        assert_eq!(identity.account_number, some("00000012345678901"));
        assert_eq!(identity.dob, date(1985, 3, 12));
        assert_eq!(identity.account_status, some("dormant"));
        assert_eq!(identity.holder_type, some("joint"));
        assert_eq!(identity.account_opening_date, date(2016, 8, 14));
        assert_eq!(identity.from_date, date(2024, 1, 1));
        assert_eq!(identity.to_date, date(2024, 3, 31));
    }

    #[test]
    fn dob_label_variants_and_two_digit_years() {
        let dob_of = |row: &[(f32, &str)]| {
            let lines = block(&[
                &[(L, "Name : ARJUN MEHTA")],
                row,
                &[(L, "Period : 01/01/2024 to 31/03/2024")],
            ]);
            extract_identity(&lines).dob
        };
        assert_eq!(dob_of(&[(L, "DOB : 05-Jan-1990")]), date(1990, 1, 5));
        assert_eq!(dob_of(&[(L, "D.O.B. : 05/01/90")]), date(1990, 1, 5));
        assert_eq!(
            dob_of(&[(L, "Birth Date"), (150.0, "5 Jan 1990")]),
            date(1990, 1, 5)
        );
        assert_eq!(
            dob_of(&[(L, "Customer ID : 1234"), (R, "Date Of Birth : 05.01.1990")]),
            date(1990, 1, 5)
        );
        assert_eq!(dob_of(&[(L, "DOB : NOT AVAILABLE")]), None);
    }

    #[test]
    fn account_status_only_from_account_state_words() {
        let identity_of = |rows: &[&[(f32, &str)]]| extract_identity(&block(rows));
        let identity = identity_of(&[
            &[(L, "Name : ARJUN MEHTA"), (R, "Status : Active")],
            &[(L, "Account No : 1234567890")],
        ]);
        assert_eq!(identity.account_status, some("active"));
        assert_eq!(identity.name, some("ARJUN MEHTA"));
        assert_eq!(identity.account_number, some("1234567890"));
        // Another thing's status, or a status word outside the list, is not the account's.
        let identity = identity_of(&[
            &[(L, "Name : ARJUN MEHTA")],
            &[(L, "Status : Completed")],
            &[(L, "KYC Status : Active")],
            &[(L, "Transaction Status : Closed")],
            &[(L, "Request Status Pending")],
        ]);
        assert_eq!(identity.account_status, None);
        assert_eq!(identity.name, some("ARJUN MEHTA"));
        let identity = identity_of(&[&[(L, "Acct Status : Debit Freeze")]]);
        assert_eq!(identity.account_status, some("frozen"));
    }

    #[test]
    fn holder_type_from_mode_of_operation_or_joint_holder_names() {
        let holder_type_of_rows =
            |rows: &[&[(f32, &str)]]| extract_identity(&block(rows)).holder_type;
        assert_eq!(
            holder_type_of_rows(&[&[(L, "Mode of Op : SELF")]]),
            some("single")
        );
        assert_eq!(
            holder_type_of_rows(&[&[(L, "Holder Type"), (L + PAIR, "Individual")]]),
            some("single")
        );
        assert_eq!(
            holder_type_of_rows(&[&[(L, "Joint Holder(s) : SUNITA RAO")]]),
            some("joint")
        );
        assert_eq!(
            holder_type_of_rows(&[&[(L, "Joint Holders"), (L + PAIR, ": NIL")]]),
            None
        );
        assert_eq!(
            holder_type_of_rows(&[&[(L, "Operation Mode : Proprietor")]]),
            None,
            "not a single/joint word"
        );
        // An empty joint-holder line does not borrow the next line as a name.
        let identity = extract_identity(&block(&[
            &[(L, "KIRAN DESAI")],
            &[(L, "12 LAKE ROAD, KOLKATA 700029")],
            &[(L, "JOINT HOLDERS :")],
            &[(L, "SALT LAKE CITY BRANCH")],
        ]));
        assert_eq!(identity.holder_type, None);
        assert_eq!(identity.name, some("KIRAN DESAI"));
        assert_eq!(identity.address, some("12 LAKE ROAD, KOLKATA 700029"));
        // "Account Holder Type" is not the holder's name.
        let identity = extract_identity(&block(&[
            &[(L, "Account Holder Name : RAVI VERMA")],
            &[(L, "Account Holder Type : Jointly")],
        ]));
        assert_eq!(identity.name, some("RAVI VERMA"));
        assert_eq!(identity.holder_type, some("joint"));
    }

    #[test]
    fn value_readers() {
        assert_eq!(account_type_of("CA-GENERAL"), some("current"));
        assert_eq!(account_type_of("CASH CREDIT"), some("cash_credit"));
        assert_eq!(account_type_of("OD AGAINST FD"), some("overdraft"));
        assert_eq!(account_type_of("REGULAR"), None);
        assert_eq!(account_number_in("05/01/2024"), None);
        assert_eq!(account_number_in("XXXXXXXX1234"), some("XXXXXXXX1234"));
        assert_eq!(phone_in("9876543210"), some("9876543210"));
        assert_eq!(phone_in("1800 1080"), None);
        assert_eq!(email_in("mail: a.b@c.in."), some("a.b@c.in"));
        assert_eq!(account_status_of("Inoperative"), some("inactive"));
        assert_eq!(account_status_of("CLOSED ON 01/02/2024"), some("closed"));
        assert_eq!(account_status_of("Not Active"), None);
        assert_eq!(account_status_of(""), None);
        assert_eq!(holder_type_of("Former or Survivor"), some("joint"));
        assert_eq!(holder_type_of("ANYONE OR SURVIVOR"), some("joint"));
        assert_eq!(holder_type_of("Sole"), some("single"));
        assert_eq!(holder_type_of("Proprietor"), None);
        assert!(is_period_connector(" To : "));
        assert!(!is_period_connector(" and then "));
    }
    #[test]
    fn cover_pages_and_page_headers_complete_the_block() {
        let mut identity = extract_identity(&block(&[&[(L, "Statement of Account")]]));
        let cover = block(&[
            &[(L, "Customer Name : KAVYA SINGH")],
            &[(L, "IFSC : IDFB0040101")],
        ]);
        let furniture = block(&[
            &[(L, "TRANSFER TO A/C NO 1234567890")],
            &[(L, "Account No : 10012345678"), (R, "Page 2 of 3")],
        ]);
        complete_identity(&mut identity, &cover, &furniture);
        assert_eq!(identity.name, some("KAVYA SINGH"));
        assert_eq!(identity.ifsc, some("IDFB0040101"));
        assert_eq!(identity.account_number, some("10012345678"));
        assert_eq!(identity.account_category, some("individual"));
        // A narration naming another account is not the statement's account.
        let mut identity = Identity::default();
        complete_identity(
            &mut identity,
            &[],
            &block(&[&[(L, "TRANSFER TO A/C NO 1234567890")]]),
        );
        assert_eq!(identity.account_number, None);
        // A footer's sentence naming the statement's account, "no." before the number.
        let mut identity = Identity::default();
        complete_identity(
            &mut identity,
            &[],
            &block(&[&[(L, "Statement of account no. 10012345678"), (R, "Page 1")]]),
        );
        assert_eq!(identity.account_number, some("10012345678"));
    }

    /// "S/O RAMESH KUMAR" under the holder's name is a relative, not the address's first
    /// line; "C/O" is where the post goes, and stays.
    #[test]
    fn a_relation_under_the_name_is_not_the_address() {
        let rows: &[&[(f32, &str)]] = &[
            &[(L, "RAJESH KUMAR SHARMA")],
            &[(L, "S/O RAMESH KUMAR")],
            &[(L, "12 LAKE ROAD, KOLKATA 700029")],
        ];
        let identity = extract_identity(&block(rows));
        assert_eq!(identity.name, some("RAJESH KUMAR SHARMA"));
        assert_eq!(identity.address, some("12 LAKE ROAD, KOLKATA 700029"));
        let rows: &[&[(f32, &str)]] = &[
            &[(L, "RAJESH KUMAR SHARMA")],
            &[(L, "C/O RAMESH KUMAR")],
            &[(L, "12 LAKE ROAD, KOLKATA 700029")],
        ];
        let identity = extract_identity(&block(rows));
        assert_eq!(
            identity.address,
            some("C/O RAMESH KUMAR, 12 LAKE ROAD, KOLKATA 700029")
        );
    }

    /// An address printed as one value wrapped in a narrow cell: a line ending with a comma
    /// ended a part; one filled to the cell's edge without it wrapped inside a part. An
    /// address printed a part per line is left as printed.
    #[test]
    fn an_address_wrapped_inside_its_parts_is_joined_with_a_space() {
        let rows: &[&[(f32, &str)]] = &[
            &[(L, "RAJESH KUMAR SHARMA")],
            &[(L, "FLAT NO 912, SUNRISE")],
            &[(L, "APARTMENTS, MG ROAD,")],
            &[(L, "DWARKA SECTOR 7, NEW")],
            &[(L, "DELHI 110047")],
        ];
        let identity = extract_identity(&block(rows));
        assert_eq!(
            identity.address,
            some("FLAT NO 912, SUNRISE APARTMENTS, MG ROAD, DWARKA SECTOR 7, NEW DELHI 110047")
        );
        let rows: &[&[(f32, &str)]] = &[
            &[(L, "RAJESH KUMAR SHARMA")],
            &[(L, "FLAT NO 912, SUNRISE APARTMENTS")],
            &[(L, "MG ROAD, DWARKA SECTOR 7")],
            &[(L, "NEW DELHI - 110047")],
        ];
        let identity = extract_identity(&block(rows));
        assert_eq!(
            identity.address,
            some("FLAT NO 912, SUNRISE APARTMENTS, MG ROAD, DWARKA SECTOR 7, NEW DELHI - 110047")
        );
    }

    /// Two labels over one slash, their values over a slash in the same order: each label
    /// takes its part, wherever the value is printed (in the cell, or far right past a colon
    /// cell), also after a number-only label ("Savings Account") or before a one-word label
    /// ("UCIC") that would not count in the middle of a cell on its own.
    #[test]
    fn labels_over_one_slash_take_their_values_in_order() {
        type Case<'a> = (&'a [(f32, &'a str)], &'a str, Option<&'a str>);
        let cases: [Case; 5] = [
            (
                &[(L, "Account No / IFSC : 50100123456789 / HDFC0001234")],
                "50100123456789",
                Some("HDFC0001234"),
            ),
            (
                &[(L, "A/c No. / Cust ID : 50100123456789 / 123456789")],
                "50100123456789",
                None,
            ),
            (
                &[(L, "Savings Account / IFSC CODE  1691924263 / IDIB000U537")],
                "1691924263",
                Some("IDIB000U537"),
            ),
            (
                &[(L, "Account Number / UCIC *********8725 / 805904549")],
                "*********8725",
                None,
            ),
            (
                &[
                    (R, "A/C NO. / CIF NO."),
                    (R + 100.0, "3748934533765628 / 5512"),
                ],
                "3748934533765628",
                None,
            ),
        ];
        for (row, account, ifsc) in cases {
            let identity = extract_identity(&block(&[&[(L, "RAJESH KUMAR")], row]));
            assert_eq!(identity.account_number, some(account), "{row:?}");
            assert_eq!(identity.ifsc.as_deref(), ifsc, "{row:?}");
        }
        // Parts that do not count the labels: nothing is split ("Branch / IFSC : HDFC…").
        assert_eq!(slashed_parts("HDFC0001234", 2), None);
        assert_eq!(slashed_parts("01/04/2024/ACTIVE", 2), None);
        assert_eq!(
            slashed_parts("01/04/2024 / ACTIVE", 2),
            Some(vec!["01/04/2024".to_string(), "ACTIVE".to_string()])
        );
    }

    /// "Customer Name" beside "Savings Account" in label boxes, the name and the number in the
    /// boxes under them: a number-only label over its number is a label.
    #[test]
    fn a_number_only_label_over_its_number_in_a_box_is_read() {
        let rows: &[&[(f32, &str)]] = &[
            &[(L, "Account Holder Names"), (R, "Savings Account")],
            &[(L, "FARAH PATEL"), (R, "3685291335")],
            &[(L, "H NO 43-188, CHEMBUR")],
            &[(L, "MUMBAI - 400040")],
        ];
        let identity = extract_identity(&block(rows));
        assert_eq!(identity.name, some("FARAH PATEL"));
        assert_eq!(identity.account_number, some("3685291335"));
        assert_eq!(
            identity.address,
            some("H NO 43-188, CHEMBUR, MUMBAI - 400040")
        );
    }

    /// An account number printed in groups of four, its last group one digit, stays whole; a
    /// number-only label before such a number is a label; a CKYC number before it is not the
    /// account's.
    #[test]
    fn an_account_number_in_groups_is_read_whole_and_kyc_numbers_are_not() {
        let identity = extract_identity(&block(&[
            &[(L, "RAJESH KUMAR")],
            &[(L, "CKYC No : 30012345678901")],
            &[(L, "A/C NO. : 3012 3456 7890 1")],
        ]));
        assert_eq!(identity.account_number, some("3012 3456 7890 1"));
        let identity = extract_identity(&block(&[
            &[(L, "RAJESH KUMAR")],
            &[(L, "Savings Account : 9042 6002 204")],
        ]));
        assert_eq!(identity.account_number, some("9042 6002 204"));
        let identity = extract_identity(&block(&[
            &[(L, "RAJESH KUMAR")],
            &[(L, "CKYC Number : 30012345678901")],
            &[(L, "PAN : ABCPK1234L")],
        ]));
        assert_eq!(identity.account_number, None);
        assert_eq!(identity.pan_number, some("ABCPK1234L"));
        // A lone digit after groups of differing lengths is no part of the number.
        assert_eq!(account_number_in("12 3456 7"), some("12 3456"));
    }

    /// An address value wrapped in a narrow cell with no line ending at a comma, but one
    /// ending with "-" (the city cut from its PIN): it wrapped inside its parts, so a line
    /// that ends without a comma goes on after a space ("ROHINI" over "SECTOR 9, …").
    #[test]
    fn an_address_cut_before_its_pin_wrapped_in_its_cell() {
        let rows: &[&[(f32, &str)]] = &[
            &[(L, "RAJESH KUMAR SHARMA")],
            &[(L, "H NO 32-788, ROHINI")],
            &[(L, "SECTOR 9, NEW DELHI -")],
            &[(L, "110053")],
        ];
        let identity = extract_identity(&block(rows));
        assert_eq!(
            identity.address,
            some("H NO 32-788, ROHINI SECTOR 9, NEW DELHI - 110053")
        );
    }

    /// A right-hand block's label wrapped in its cell beside the left-hand block's address
    /// lines: centred ("ACCOUNT" / ": 8699…" / "NUMBER") and beside its first line ("Account"
    /// and the number, "number" under it). The label is read with its value; the address
    /// beside it is untouched.
    #[test]
    fn a_wrapped_label_beside_another_column_is_one_label() {
        let lines = vec![
            line(70.0, &[(L, "SANJAY VERMA")]),
            line(81.0, &[(L, "FLAT NO 105, MAPLE COURT"), (R, "ACCOUNT")]),
            line(86.5, &[(R + 90.0, ": 869996965375")]),
            line(92.0, &[(L, "LAJPAT NAGAR"), (R, "NUMBER")]),
            line(
                103.0,
                &[
                    (L, "NEW DELHI 110056"),
                    (R, "IFSC"),
                    (R + 90.0, ": ICIC0743041"),
                ],
            ),
        ];
        let identity = extract_identity(&lines);
        assert_eq!(identity.name, some("SANJAY VERMA"));
        assert_eq!(identity.account_number, some("869996965375"));
        assert_eq!(
            identity.address,
            some("FLAT NO 105, MAPLE COURT, LAJPAT NAGAR, NEW DELHI 110056")
        );
        let lines = vec![
            line(
                70.0,
                &[
                    (L, "M/s. OM SAI INDUSTRIES"),
                    (R, "Account"),
                    (R + 90.0, "903851517634006"),
                ],
            ),
            line(81.0, &[(L, "PVT LTD"), (R, "number")]),
            line(92.0, &[(L, "FLAT NO 511, MAPLE COURT")]),
            line(
                103.0,
                &[
                    (L, "CHENNAI - 600020"),
                    (R, "IFSC CODE"),
                    (R + 90.0, "YESB0807891"),
                ],
            ),
        ];
        let identity = extract_identity(&lines);
        assert_eq!(identity.name, some("M/s. OM SAI INDUSTRIES PVT LTD"));
        assert_eq!(identity.account_number, some("903851517634006"));
        assert_eq!(
            identity.address,
            some("FLAT NO 511, MAPLE COURT, CHENNAI - 600020")
        );
    }

    #[test]
    fn label_table_parses_and_reports_defects() {
        let rows = parse_label_table(LABEL_TABLE);
        assert!(rows.as_ref().is_ok_and(|r| r.len() > 100), "{rows:?}");
        assert_eq!(
            parse_label_table("# c\nName\tname\n").map(|r| r.len()),
            Ok(1)
        );
        let bad = parse_label_table("Name\tnickname\n");
        assert_eq!(bad.map_err(|e| e.line), Err(1));
        assert!(parse_label_table("Name name\n").is_err());
        assert!(parse_label_table(":\tname\n").is_err());
        assert!(parse_label_table("A/C\taccount_number\tcolon\n").is_ok_and(|r| r[0].2));
        assert!(
            parse_label_table("Savings Account\taccount_number\tnumber\n")
                .is_ok_and(|r| r[0].3 && !r[0].2)
        );
        assert!(parse_label_table("A/C\taccount_number\tsomewhere\n").is_err());
    }

    #[test]
    fn account_number_label_variants() {
        let account_of = |row: &[(f32, &str)]| {
            extract_identity(&block(&[&[(L, "Name : ARJUN MEHTA")], row])).account_number
        };
        let want = some("50100123456789");
        assert_eq!(account_of(&[(L, "Account number : 50100123456789")]), want);
        assert_eq!(account_of(&[(L, "Account # 50100123456789")]), want);
        assert_eq!(account_of(&[(L, "Account #: 50100123456789")]), want);
        assert_eq!(account_of(&[(L, "ACCOUNT NO :50100123456789")]), want);
        assert_eq!(account_of(&[(L, "A/c No. 50100123456789")]), want);
        assert_eq!(account_of(&[(L, "Account No : SB 50100123456789")]), want);
        // App exports: a bare "A/C" or "Account" before a colon.
        assert_eq!(account_of(&[(L, "A/C: 50100123456789")]), want);
        assert_eq!(account_of(&[(L, "Account : 50100123456789")]), want);
        assert_eq!(account_of(&[(L, "Acct: 50100123456789")]), want);
        // Without the colon they are words of a title or a narration.
        assert_eq!(
            account_of(&[
                (L, "Account Statement"),
                (R, "TRANSFER TO A/C 50100123456789")
            ]),
            None
        );
        assert_eq!(
            account_of(&[(L, "A/c No."), (L + PAIR, ": 50100123456789")]),
            want
        );
        // Masked numbers are kept as printed.
        assert_eq!(
            account_of(&[(L, "Account No : XXXXXXXXXX6789")]),
            some("XXXXXXXXXX6789")
        );
        assert_eq!(
            account_of(&[(L, "Account No : ******6789")]),
            some("******6789")
        );
        assert_eq!(
            account_of(&[(L, "Account No : XXXX XXXX 6789")]),
            some("XXXX XXXX 6789")
        );
    }

    /// "Account No      :      5010…": the colon printed in a column of its own, apart from
    /// both label and value; the address under the colon or under the value.
    #[test]
    fn a_colon_column_apart_leads_to_the_value_after_it() {
        const COLON: f32 = L + PAIR;
        const VALUE: f32 = COLON + 16.0;
        let identity = extract_identity(&block(&[
            &[(L, "Account Name"), (COLON, ":"), (VALUE, "ARJUN MEHTA")],
            &[(L, "Address"), (COLON, ":")],
            &[(COLON, "FLAT NO 12, LAKE VIEW ROAD")],
            &[(COLON, "PUNE - 411001")],
            &[
                (L, "Account Number"),
                (COLON, ":"),
                (VALUE, "50100123456789"),
            ],
            &[(L, "MICR Code"), (COLON, ":"), (VALUE, "411240002")],
            &[(L, "Statement From"), (COLON, ":"), (VALUE, "01/04/2024")],
            &[(L, "Statement To"), (COLON, ":"), (VALUE, "30/09/2024")],
        ]));
        assert_eq!(identity.name, some("ARJUN MEHTA"));
        assert_eq!(identity.account_number, some("50100123456789"));
        assert_eq!(identity.micr, some("411240002"));
        assert_eq!(
            identity.address,
            some("FLAT NO 12, LAKE VIEW ROAD, PUNE - 411001")
        );
        assert_eq!(identity.from_date, date(2024, 4, 1));
        assert_eq!(identity.to_date, date(2024, 9, 30));
    }

    /// A two-column label/value table as wide as the page: every value far right of its
    /// label, read because the other lines print their values in the same column; a lone far
    /// cell beside a label is not its value.
    #[test]
    fn a_page_wide_label_value_table_reads_its_value_column() {
        const FAR: f32 = 260.0;
        let identity = extract_identity(&block(&[
            &[(L, "Customer Name :"), (FAR, "ARJUN MEHTA")],
            &[(L, "Account Number :"), (FAR, "50100123456789")],
            &[(L, "IFSC :"), (FAR, "HDFC0001234")],
            &[(L, "MICR :"), (FAR, "411240002")],
        ]));
        assert_eq!(identity.name, some("ARJUN MEHTA"));
        assert_eq!(identity.account_number, some("50100123456789"));
        assert_eq!(identity.micr, some("411240002"));
        // The same table with its colons in a column of their own, far from the labels.
        let colons = extract_identity(&block(&[
            &[
                (L, "Customer Name"),
                (FAR, ":"),
                (FAR + 16.0, "ARJUN MEHTA"),
            ],
            &[
                (L, "Account Number"),
                (FAR, ":"),
                (FAR + 16.0, "50100123456789"),
            ],
            &[(L, "MICR"), (FAR, ":"), (FAR + 16.0, "411240002")],
        ]));
        assert_eq!(colons.name, some("ARJUN MEHTA"));
        assert_eq!(colons.account_number, some("50100123456789"));
        assert_eq!(colons.micr, some("411240002"));
        let lone = extract_identity(&block(&[
            &[(L, "Account Number :"), (FAR, "50100123456789")],
            &[(L, "Branch : ANDHERI")],
        ]));
        assert_eq!(lone.account_number, None);
    }

    /// "Account No/ Type : 5010… / SAVINGS": the qualifier after the slash is part of the
    /// label; a slash before another label ("Branch/IFSC") is not.
    #[test]
    fn a_slash_qualifier_belongs_to_its_label() {
        let identity_of = |rows: &[&[(f32, &str)]]| extract_identity(&block(rows));
        let want = some("50100123456789");
        assert_eq!(
            identity_of(&[&[(L, "Account No/ Type : 50100123456789 / SAVINGS")]]).account_number,
            want
        );
        assert_eq!(
            identity_of(&[&[
                (L, "ACCOUNT NUMBER/ TYPE"),
                (L + PAIR, ": 50100123456789 / CURRENT")
            ]])
            .account_number,
            want
        );
        assert_eq!(
            identity_of(&[&[
                (L, "Account Number/Type"),
                (L + PAIR, ": XXXXXXXXXX6789 / SAVINGS")
            ]])
            .account_number,
            some("XXXXXXXXXX6789")
        );
        assert_eq!(
            identity_of(&[&[(L, "Account No/ Type 50100123456789 / SAVINGS")]]).account_number,
            want
        );
        assert_eq!(
            identity_of(&[&[(L, "Branch/IFSC : HDFC0001234")]]).ifsc,
            some("HDFC0001234")
        );
    }

    /// A relation printed after a person's name is not part of it.
    #[test]
    fn a_relation_after_the_name_is_not_part_of_it() {
        let name_of = |rows: &[&[(f32, &str)]]| extract_identity(&block(rows)).name;
        assert_eq!(
            name_of(&[&[(L, "Name : RAVI KUMAR S/O RAMESH KUMAR")]]),
            some("RAVI KUMAR")
        );
        assert_eq!(
            name_of(&[
                &[(L, "MRS ANITA RAO W/o K NARAYANAN")],
                &[(L, "FLAT NO 12, LAKE VIEW ROAD")]
            ]),
            some("MRS ANITA RAO")
        );
        assert_eq!(
            name_of(&[&[
                (L, "Account Name"),
                (L + PAIR, ": PRIYA SHAH D/O MOHAN LAL")
            ]]),
            some("PRIYA SHAH")
        );
        assert_eq!(
            name_of(&[&[(L, "Name : SUNIL JAIN SON OF ASHOK JAIN")]]),
            some("SUNIL JAIN")
        );
        // Names that only look alike keep every word.
        assert_eq!(
            name_of(&[&[(L, "Name : M/S. SONA TRADERS")]]),
            some("M/S. SONA TRADERS")
        );
    }

    /// The period's halves on lines of their own, with the colon beside the label or apart.
    #[test]
    fn a_period_over_two_lines_reads_both_dates() {
        let halves: [&[&[(f32, &str)]]; 3] = [
            &[&[(L, "From : 01/04/2024")], &[(L, "To : 30/09/2024")]],
            &[
                &[(L, "Period From"), (L + PAIR, ": 01-Apr-2024")],
                &[(L, "Period To"), (L + PAIR, ": 30-Sep-2024")],
            ],
            &[
                &[(L, "From"), (L + PAIR, ": 01/04/2024")],
                &[(L, "To"), (L + PAIR, ": 30/09/2024")],
            ],
        ];
        for rows in halves {
            let identity = extract_identity(&block(rows));
            assert_eq!(identity.from_date, date(2024, 4, 1), "{rows:?}");
            assert_eq!(identity.to_date, date(2024, 9, 30), "{rows:?}");
        }
    }

    /// The account number printed only in the statement's title sentence, after "A/c",
    /// "Acct" or "Account"; never a counterparty's ("TRANSFER TO A/C …") nor a short number.
    #[test]
    fn an_account_number_in_the_title_sentence_is_read_without_a_label() {
        let account_of = |title: &str| {
            extract_identity(&block(&[&[(L, "ARJUN MEHTA")], &[(L, title)]])).account_number
        };
        let want = some("50100123456789");
        for title in [
            "Statement of account for A/c 50100123456789 from 01-04-2024 to 30-09-2024",
            "Statement for Acct 50100123456789 from 01-04-2024 to 30-09-2024",
            "A/c 50100123456789 - Statement from 01-04-2024 to 30-09-2024",
            "Statement of Account 50100123456789 for the period 01-04-2024 to 30-09-2024",
        ] {
            assert_eq!(account_of(title), want, "{title}");
        }
        assert_eq!(
            account_of("Statement of Account XXXXXXXXXX6789 for the period"),
            some("XXXXXXXXXX6789")
        );
        assert_eq!(
            account_of("Statement: TRANSFER TO A/C 50100123456789"),
            None
        );
        assert_eq!(
            account_of("Statement of Account 2024 for Account 1234"),
            None
        );
        // A labelled number wins over the title's.
        let labelled = extract_identity(&block(&[
            &[(L, "Account No : 50100999999999")],
            &[(L, "Statement of A/c 50100123456789 for the period")],
        ]));
        assert_eq!(labelled.account_number, some("50100999999999"));
    }

    #[test]
    fn values_in_the_cell_below_their_label() {
        let identity = extract_identity(&block(&[
            &[(L, "Account Number :"), (R, "IFS Code")],
            &[(L, "50100123456789"), (R, "SBIN0001234")],
            &[(L, "Customer Name")],
            &[(L, "KAVYA SINGH")],
            &[(L, "12 LAKE ROAD, KOLKATA 700029")],
            &[(L, "Period : 01/01/2024 to 31/03/2024")],
        ]));
        assert_eq!(identity.account_number, some("50100123456789"));
        assert_eq!(identity.ifsc, some("SBIN0001234"));
        assert_eq!(identity.name, some("KAVYA SINGH"));
        assert_eq!(identity.address, some("12 LAKE ROAD, KOLKATA 700029"));
    }

    #[test]
    fn a_blank_label_does_not_take_the_next_labels_value() {
        // "Account No." printed with its value left blank; the number is in the title.
        let identity = extract_identity(&block(&[
            &[(
                L,
                "Account Statement for 817248060971852 (INR) - LAXMI FOODS LLP",
            )],
            &[(L, "Account No.")],
            &[(L, "MICR"), (L + 32.0, "682026555")],
            &[(L, "Period : 01/03/2024 to 31/05/2024")],
        ]));
        assert_eq!(identity.account_number, some("817248060971852"));
        assert_eq!(identity.micr, some("682026555"));
    }

    #[test]
    fn sbi_ifs_code_label() {
        let identity = extract_identity(&block(&[
            &[(L, "Account Name"), (L + PAIR, ": ARJUN MEHTA")],
            &[(L, "IFS Code"), (L + PAIR, ": SBIN0012345")],
            &[(L, "IFS Code:SBIN0054321")],
        ]));
        assert_eq!(identity.ifsc, some("SBIN0012345"));
        let identity = extract_identity(&block(&[&[(L, "IFS Code:SBIN0054321")]]));
        assert_eq!(identity.ifsc, some("SBIN0054321"));
        let identity = extract_identity(&block(&[&[(L, "IFSC : SBIN 0054321")]]));
        assert_eq!(identity.ifsc, some("SBIN0054321"));
    }

    #[test]
    fn currency_title_line_names_account_and_holder() {
        let identity = extract_identity(&block(&[
            &[(250.0, "HDFC BANK")],
            &[(
                L,
                "Account Statement for 50100123456789 (INR) - RAHUL SHARMA",
            )],
            &[(L, "Period : 01/01/2024 to 31/03/2024")],
        ]));
        assert_eq!(identity.account_number, some("50100123456789"));
        assert_eq!(identity.name, some("RAHUL SHARMA"));
        assert_eq!(currency_title("Total (INR) 1,234.00"), None);
    }

    #[test]
    fn honorific_set_apart_joins_the_name() {
        // Same line, wide gap.
        let identity = extract_identity(&block(&[
            &[
                (L, "MR"),
                (L + 40.0, "RAHUL KUMAR SHARMA"),
                (R, "Cust ID : 1234"),
            ],
            &[(L, "FLAT NO 101, SAI KRUPA APARTMENTS")],
            &[(L, "MUMBAI 400069")],
        ]));
        assert_eq!(identity.name, some("MR RAHUL KUMAR SHARMA"));
        assert_eq!(
            identity.address,
            some("FLAT NO 101, SAI KRUPA APARTMENTS, MUMBAI 400069")
        );
        // Labelled, title in the value cell and the name beside it.
        let identity = extract_identity(&block(&[&[(L, "Name : MR"), (L + 90.0, "RAHUL SHARMA")]]));
        assert_eq!(identity.name, some("MR RAHUL SHARMA"));
        // A Dr marker set apart before an amount stays a cell of its own.
        let cells = cells_of(0, &line(100.0, &[(L, "DR"), (L + 60.0, "5,000.00")]), &[]);
        assert_eq!(cells.len(), 2);
        // Title alone on its line, the firm under it.
        let identity = extract_identity(&block(&[
            &[(L, "M/s.")],
            &[(L, "NAVRANG INDUSTRIES PVT LTD")],
            &[(L, "PLOT 7, MIDC AREA")],
        ]));
        assert_eq!(identity.name, some("M/s. NAVRANG INDUSTRIES PVT LTD"));
        assert_eq!(identity.address, some("PLOT 7, MIDC AREA"));
        assert_eq!(identity.account_category, some("corporate"));
        let identity = extract_identity(&block(&[
            &[(L, "Customer Name"), (L + PAIR, "M/S.")],
            &[(L + PAIR, "SHREE GANESH TRADERS")],
        ]));
        assert_eq!(identity.name, some("M/S. SHREE GANESH TRADERS"));
    }

    #[test]
    fn label_text_and_taglines_are_not_names() {
        for text in ["SolId", "S No.", "COMMUNICATION", "Customer ID", "SOL ID"] {
            assert!(holder_name(text).is_none(), "{text}");
        }
        assert!(holder_name("We understand your world").is_none());
        assert!(holder_name("MR").is_none());
        assert_eq!(holder_name("KAVYA SINGH"), some("KAVYA SINGH"));
        // An empty name cell followed by the next label's text.
        let identity = extract_identity(&block(&[
            &[(L, "Customer Name"), (L + PAIR, "SolId")],
            &[(L, "S No."), (L + PAIR, "COMMUNICATION")],
        ]));
        assert_eq!(identity.name, None);
        let identity = extract_identity(&block(&[
            &[(250.0, "HDFC BANK")],
            &[(250.0, "We understand your world")],
            &[(L, "RAHUL SHARMA")],
            &[(L, "12 LAKE ROAD, KOLKATA 700029")],
        ]));
        assert_eq!(identity.name, some("RAHUL SHARMA"));
    }

    #[test]
    fn two_line_company_names_are_joined() {
        let identity = extract_identity(&block(&[
            &[
                (L, "NAVRANG INDUSTRIES PRIVATE"),
                (R, "Account No : 29040200001234"),
            ],
            &[(L, "LIMITED")],
            &[(L, "PLOT 7, MIDC AREA")],
            &[(L, "NAGPUR 440016")],
        ]));
        assert_eq!(identity.name, some("NAVRANG INDUSTRIES PRIVATE LIMITED"));
        assert_eq!(identity.address, some("PLOT 7, MIDC AREA, NAGPUR 440016"));
        let identity = extract_identity(&block(&[
            &[(L, "Account Name"), (L + PAIR, ": SHREE GANESH FOODS")],
            &[(L + PAIR, "LLP")],
            &[(L, "Address"), (L + PAIR, ": 12 MAIN BAZAAR ROAD")],
        ]));
        assert_eq!(identity.name, some("SHREE GANESH FOODS LLP"));
        // The value in the label's cell, its wrapped end under the value.
        let identity = extract_identity(&block(&[
            &[(L, "Customer Name : NAVRANG INDUSTRIES")],
            &[(L + 63.8, "PVT LTD")],
            &[(L, "Account No : 29040200001234")],
        ]));
        assert_eq!(identity.name, some("NAVRANG INDUSTRIES PVT LTD"));
        // A person's name is not extended by the address under it.
        let identity = extract_identity(&block(&[
            &[(L, "KAVYA SINGH")],
            &[(L, "MAPLE COURT, LINK ROAD")],
        ]));
        assert_eq!(identity.name, some("KAVYA SINGH"));
    }

    #[test]
    fn replacement_and_control_characters_are_dropped() {
        let identity = extract_identity(&block(&[
            &[(L, "\u{FFFD} RAHUL SHARMA")],
            &[(L, "12 LAKE\u{0007} ROAD, KOLKATA 700029")],
            &[(L, "Account No : \u{FFFD}50100123456789")],
        ]));
        assert_eq!(identity.name, some("RAHUL SHARMA"));
        assert_eq!(identity.address, some("12 LAKE ROAD, KOLKATA 700029"));
        assert_eq!(identity.account_number, some("50100123456789"));
    }

    #[test]
    fn a_glyph_without_unicode_between_an_enumerator_and_the_name_joins_them() {
        // "1. ? RAVI DEVI DESAI" (seed 2401744): the dropped glyph leaves a gap wider than a
        // word space between "1." and the name; the value cell runs on through it.
        let mut first = line(
            100.0,
            &[(120.0, "Account Holder Names"), (270.0, ":"), (276.2, "1.")],
        );
        first.words.push(Word {
            text: "\u{FFFD}".into(),
            x0: 288.3,
            x1: 294.0,
        });
        for (text, x0, x1) in [
            ("RAVI", 297.0, 319.4),
            ("DEVI", 322.4, 345.1),
            ("DESAI", 348.1, 376.7),
        ] {
            first.words.push(Word {
                text: text.into(),
                x0,
                x1,
            });
        }
        let lines = vec![
            first,
            line(114.0, &[(276.0, "2. SANJAY LAL SHARMA")]),
            line(128.0, &[(120.0, "Address"), (270.0, ":")]),
            line(142.0, &[(270.0, "H NO 95-840, VAISHALI NAGAR")]),
        ];
        let identity = extract_identity(&lines);
        assert_eq!(identity.name, some("RAVI DEVI DESAI"));
        assert_eq!(identity.holder_type, some("joint"));
    }

    /// An address value wrapped in its cell whose lines start under the label ("Address:"
    /// in bold, the value after it) or under the colon opening the value cell is one value:
    /// a line ending without a comma broke inside a part. Lines aligned under the value are
    /// the address's own lines, as printed.
    #[test]
    fn an_address_wrapped_back_to_its_cell_start_is_one_value() {
        let inline = vec![
            line(80.0, &[(L, "Name: RAVI KUMAR")]),
            line(
                92.0,
                &[(L, "Address: FLAT NO 301, GREEN PARK SOCIETY, LAJPAT")],
            ),
            line(104.0, &[(L, "NAGAR, NEW DELHI 110018")]),
            line(116.0, &[(L, "Account No: 50100123456789")]),
        ];
        let identity = extract_identity(&inline);
        assert_eq!(
            identity.address,
            some("FLAT NO 301, GREEN PARK SOCIETY, LAJPAT NAGAR, NEW DELHI 110018")
        );
        // The label wrapped too ("Account Holder" over "Name"), the value's continuation under
        // the colon that opens its cell.
        let colon = vec![
            line(
                80.0,
                &[(L, "Account Holder"), (L + 82.0, ": LAXMI FOODS LLP")],
            ),
            line(91.0, &[(L, "Name")]),
            line(
                102.0,
                &[(L, "Address"), (L + 82.0, ": FLAT NO 911, MG ROAD, JAIPUR")],
            ),
            line(113.0, &[(L + 82.0, "302086")]),
            line(124.0, &[(L, "ACCOUNT NO"), (L + 82.0, ": 50100123456789")]),
        ];
        let identity = extract_identity(&colon);
        assert_eq!(identity.name, some("LAXMI FOODS LLP"));
        assert_eq!(
            identity.address,
            some("FLAT NO 911, MG ROAD, JAIPUR 302086")
        );
        assert_eq!(identity.account_number, some("50100123456789"));
        // Under the value, not back at the colon: lines of their own.
        let own_lines = vec![
            line(80.0, &[(L, "Name"), (L + 82.0, ": RAVI KUMAR")]),
            line(
                92.0,
                &[(L, "Address"), (L + 82.0, ": FLAT NO 12, SUNRISE APTS")],
            ),
            line(104.0, &[(L + 82.0 + CHAR_WIDTH + SPACE, "MG ROAD")]),
            line(
                116.0,
                &[(L + 82.0 + CHAR_WIDTH + SPACE, "BENGALURU 560034")],
            ),
        ];
        assert_eq!(
            extract_identity(&own_lines).address,
            some("FLAT NO 12, SUNRISE APTS, MG ROAD, BENGALURU 560034")
        );
    }

    /// A value wrapped in a narrow cell with no line ending at a comma: a line opening with a
    /// place name's last word alone ("NAGAR, …") or ending with its first ("…, NEW") broke
    /// inside a part. An address printed a part per line stays as printed.
    #[test]
    fn a_cut_inside_a_place_name_joins_its_lines() {
        let wrapped = vec![
            line(80.0, &[(L, "RAVI KUMAR")]),
            line(92.0, &[(L, "H NO 54-873, LAJPAT")]),
            line(104.0, &[(L, "NAGAR, NEW DELHI -")]),
            line(116.0, &[(L, "110098")]),
        ];
        assert_eq!(
            extract_identity(&wrapped).address,
            some("H NO 54-873, LAJPAT NAGAR, NEW DELHI - 110098")
        );
        let head = vec![
            line(80.0, &[(L, "RAVI KUMAR")]),
            line(92.0, &[(L, "FLAT NO 8, MG ROAD, NEW")]),
            line(104.0, &[(L, "DELHI 110001")]),
        ];
        assert_eq!(
            extract_identity(&head).address,
            some("FLAT NO 8, MG ROAD, NEW DELHI 110001")
        );
        let part_per_line = vec![
            line(80.0, &[(L, "RAVI KUMAR")]),
            line(92.0, &[(L, "FLAT NO 12, SUNRISE APTS")]),
            line(104.0, &[(L, "MG ROAD, KORAMANGALA")]),
            line(116.0, &[(L, "BENGALURU 560034")]),
        ];
        assert_eq!(
            extract_identity(&part_per_line).address,
            some("FLAT NO 12, SUNRISE APTS, MG ROAD, KORAMANGALA, BENGALURU 560034")
        );
    }

    /// "ROHINI SECTOR" over "9, NEW DELHI": a line ending with a word an address prints a
    /// number after was cut before that number.
    #[test]
    fn a_cut_before_a_sector_number_joins_its_lines() {
        let wrapped = vec![
            line(80.0, &[(L, "KARAN PILLAI")]),
            line(92.0, &[(L, "H NO 90-229, ROHINI SECTOR")]),
            line(104.0, &[(L, "9, NEW DELHI - 110099")]),
        ];
        assert_eq!(
            extract_identity(&wrapped).address,
            some("H NO 90-229, ROHINI SECTOR 9, NEW DELHI - 110099")
        );
        assert!(cut_inside_a_place("DLF PHASE", "2, GURGAON"));
        // A point of the compass ends a place's name as well as opening one.
        assert!(cut_inside_a_place(
            "H NO 35-733, ANDHERI",
            "EAST, MUMBAI - 400058"
        ));
        assert!(!cut_inside_a_place("MG ROAD", "12 CROSS"));
        assert!(!cut_inside_a_place("ROHINI SECTOR", "NEW DELHI"));
        // "4TH" over "BLOCK": a block, stage or phase ends the place its ordinal opened.
        assert!(cut_inside_a_place(
            "H NO 87-382, JAYANAGAR 4TH",
            "BLOCK, BENGALURU - 560026"
        ));
    }

    /// Numbers printed as figures with zero paise, as spreadsheet exports print every number.
    #[test]
    fn numbers_printed_with_zero_paise_are_read_without_them() {
        assert_eq!(without_zero_decimals("302211485.00"), "302211485");
        assert_eq!(without_zero_decimals("9798969493.0"), "9798969493");
        assert_eq!(without_zero_decimals("1,200.00"), "1,200.00");
        assert_eq!(without_zero_decimals("302211485.50"), "302211485.50");
        assert_eq!(micr_in(": 302211485.00"), some("302211485"));
        assert_eq!(account_number_in("9798969493.00"), some("9798969493"));
        assert_eq!(
            account_after_word("Account Statement for 9798969493.00"),
            some("9798969493")
        );
    }

    /// A bank's tagline under its name, left-aligned over the holder's block, is no name.
    #[test]
    fn a_listed_tagline_over_the_block_is_no_name() {
        for tagline in ["Relationship beyond banking", "Hum Hai Na", "Dil Se Open"] {
            assert!(holder_name(tagline).is_none(), "{tagline}");
            let identity = extract_identity(&block(&[
                &[(L, "Bank of India")],
                &[(L, tagline)],
                &[(L, "SUNITA DEVI")],
                &[(L, "12 LAKE ROAD, KOLKATA 700029")],
            ]));
            assert_eq!(identity.name, some("SUNITA DEVI"), "{tagline}");
        }
        assert_eq!(holder_name("HUMA KHAN"), some("HUMA KHAN"));
    }

    /// "Account/ Type : 5010… / CURRENT": the account's number and its type under one label
    /// split by a spaced slash, not the "Account Type" label.
    #[test]
    fn a_spaced_slash_splits_account_and_type_labels() {
        let lines = vec![
            line(80.0, &[(L, "RAVI KUMAR")]),
            line(92.0, &[(L, "Account/ Type : 50100123456789 / CURRENT")]),
            line(104.0, &[(L, "A/C Type : SAVINGS")]),
        ];
        let identity = extract_identity(&lines);
        assert_eq!(identity.account_number, some("50100123456789"));
        assert_eq!(identity.account_type, some("savings"));
    }

    /// A title sentence naming the account by its number after "for".
    #[test]
    fn an_account_number_after_for_in_the_title_is_read() {
        for (title, number) in [
            ("Statement of Account for 50100123456789", "50100123456789"),
            ("Account Statement for XXXXXXXX6789", "XXXXXXXX6789"),
            ("STATEMENT OF ACCOUNT FOR 50100123456789", "50100123456789"),
        ] {
            let lines = vec![line(70.0, &[(L, title)]), line(82.0, &[(L, "RAVI KUMAR")])];
            assert_eq!(
                extract_identity(&lines).account_number,
                some(number),
                "{title}"
            );
        }
        // Not the period: "for the period".
        let lines = vec![line(
            70.0,
            &[(
                L,
                "Account Statement for the period 01/04/2024 to 30/04/2024",
            )],
        )];
        assert_eq!(extract_identity(&lines).account_number, None);
    }

    /// Account numbers printed with hyphens between groups, or masked down to their last four
    /// digits, are read as printed: after a number-only label in a box over its number, after
    /// a label on its line, and in a title sentence. A date is no hyphenated number.
    #[test]
    fn hyphenated_numbers_and_short_masks_are_account_numbers() {
        for number in ["5010-0123-4567-89", "XX1033", "XXXX1033"] {
            let rows: &[&[(f32, &str)]] = &[
                &[(L, "Savings Account"), (L + 120.0, "IFSC")],
                &[(L, number), (L + 120.0, "HDFC0001234")],
                &[(L, "RAJESH KUMAR")],
            ];
            let identity = extract_identity(&block(rows));
            assert_eq!(identity.account_number, some(number), "{number}");
            assert_eq!(identity.ifsc, some("HDFC0001234"));
            let rows: &[&[(f32, &str)]] = &[&[(L, &format!("Savings Account {number}"))]];
            assert_eq!(
                extract_identity(&block(rows)).account_number,
                some(number),
                "{number}"
            );
        }
        let title: &[&[(f32, &str)]] = &[&[(L, "STATEMENT OF ACCOUNT FOR XX4649")]];
        assert_eq!(
            extract_identity(&block(title)).account_number,
            some("XX4649")
        );
        assert!(hyphenated_number("5010-0123-4567-89"));
        assert!(!hyphenated_number("01-04-2024"));
        assert!(!hyphenated_number("022-2345"));
        assert!(is_short_mask("XX1033") && is_short_mask("**1033"));
        assert!(!is_short_mask("X1033") && !is_short_mask("XX") && !is_short_mask("XXL"));
    }

    /// A letter's greeting names the holder where no line of the block does; the address is
    /// then read under its own caption, not under an address line taken for a name. A greeting
    /// to nobody in particular names no one.
    #[test]
    fn a_greeting_names_the_holder_where_nothing_else_does() {
        let rows: &[&[(f32, &str)]] = &[
            &[(L, "Mailing Address :"), (R, "Account No : 50100123456789")],
            &[(L, "FLAT NO 811, LOTUS HEIGHTS"), (R, "IFSC : HDFC0001234")],
            &[(L, "STATION ROAD, VYTTILA")],
            &[(L, "KOCHI 682008")],
            &[(L, "Dear IMRAN BANERJEE,")],
            &[(L, "Statement From : 01/04/2024 To : 30/04/2024")],
        ];
        let identity = extract_identity(&block(rows));
        assert_eq!(identity.name, some("IMRAN BANERJEE"));
        assert_eq!(
            identity.address,
            some("FLAT NO 811, LOTUS HEIGHTS, STATION ROAD, VYTTILA, KOCHI 682008")
        );
        assert_eq!(identity.account_number, some("50100123456789"));
        for greeting in ["Dear Customer,", "Dear Sir/Madam,", "Dear Valued Customer"] {
            let rows: &[&[(f32, &str)]] = &[
                &[(L, "Address :")],
                &[(L, "FLAT NO 811, LOTUS HEIGHTS")],
                &[(L, greeting)],
            ];
            assert_eq!(extract_identity(&block(rows)).name, None, "{greeting}");
        }
        // The block's own name stays where the greeting names the same holder.
        let rows: &[&[(f32, &str)]] = &[
            &[(L, "MR RAJESH KUMAR")],
            &[(L, "12 LAKE ROAD, KOLKATA 700029")],
            &[(L, "Dear RAJESH KUMAR,")],
        ];
        assert_eq!(extract_identity(&block(rows)).name, some("MR RAJESH KUMAR"));
    }

    /// "Name : MR" with the name on the line under the title, in the value column: the title
    /// and the name, and the address under the name.
    #[test]
    fn a_title_heading_its_value_cell_takes_the_name_under_it() {
        let rows: &[&[(f32, &str)]] = &[
            &[(L, "CUSTOMER NAME"), (L + 120.0, ": SHRI")],
            &[(L + 128.0, "IMRAN KUMAR SINGH")],
            &[(L, "ADDRESS"), (L + 120.0, ":")],
            &[(L + 128.0, "FLAT NO 104, SHANTI NIKETAN")],
            &[(L + 128.0, "CHENNAI 600099")],
            &[(L, "ACCOUNT NUMBER"), (L + 120.0, ": 50100123456789")],
        ];
        let identity = extract_identity(&block(rows));
        assert_eq!(identity.name, some("SHRI IMRAN KUMAR SINGH"));
        assert_eq!(identity.account_number, some("50100123456789"));
        assert_eq!(
            identity.address,
            some("FLAT NO 104, SHANTI NIKETAN, CHENNAI 600099")
        );
    }

    /// A caption ending in a colon far left of a value under another label ("Communication
    /// Address :" beside "ACCOUNT NUMBER"'s number) does not take that value; a label alone on
    /// its line takes the address printed under it in a value column; the holder's "Address"
    /// on the left is read before the home branch's on the right.
    #[test]
    fn a_far_caption_does_not_take_a_value_under_another_label() {
        let rows: &[&[(f32, &str)]] = &[
            &[(L, "SOL ID : 00459"), (R, "ACCOUNT NUMBER")],
            &[(L, "Communication Address :"), (R, "9796-6109-4198-88")],
            &[(L, "H NO 56-420, BORIVALI WEST"), (R, "IFS CODE")],
            &[(L, "MUMBAI - 400001"), (R, "BARB0SYOPBU")],
            &[(L, "Dear HARISH NAIR")],
        ];
        let identity = extract_identity(&block(rows));
        assert_eq!(identity.account_number, some("9796-6109-4198-88"));
        assert_eq!(identity.name, some("HARISH NAIR"));
        assert_eq!(
            identity.address,
            some("H NO 56-420, BORIVALI WEST, MUMBAI - 400001")
        );
        let rows: &[&[(f32, &str)]] = &[
            &[(L, "Sol Id")],
            &[(L, "00459")],
            &[(L, "ADDRESS"), (R, "Address : 22, PARK STREET")],
            &[
                (L + 120.0, "FLAT NO 601, LOTUS HEIGHTS"),
                (R, "City : KOLKATA 700016"),
            ],
            &[(L + 120.0, "NEW DELHI 110023")],
            &[(L, "A/C NO. : 50100123456789")],
            &[(L, "Dear IMRAN RAO")],
        ];
        let identity = extract_identity(&block(rows));
        assert_eq!(identity.name, some("IMRAN RAO"));
        assert_eq!(
            identity.address,
            some("FLAT NO 601, LOTUS HEIGHTS, NEW DELHI 110023")
        );
    }
}
