//! Narration understanding: splits an Indian bank narration into its parts
//! (payment mode, counterparty, UPI handle, IFSC, reference) with a hand-written
//! tokeniser. Banks differ mostly in separator and field order, so the parser
//! classifies each segment by shape instead of trusting positions.

use serde::Serialize;

/// The payment rail a narration names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Mode {
    Upi,
    Neft,
    Imps,
    Rtgs,
    /// ACH, NACH, ECS, standing instructions: mandate-driven debits and credits.
    Ach,
    Atm,
    /// Card swipe or e-commerce on a debit card.
    Card,
    Cheque,
    Cash,
    Interest,
    Charge,
    Bbps,
    /// Internal or internet-banking transfer that names no rail.
    Transfer,
    Other,
}

/// The structured parts of one narration.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Narration {
    pub mode: Mode,
    pub counterparty: Option<String>,
    pub upi_handle: Option<String>,
    pub ifsc: Option<String>,
    pub bank: Option<String>,
    pub reference: Option<String>,
    /// Upper-case words that identify the payee, with numbers, months and filler removed.
    pub clean_transaction_note: String,
    /// The narration upper-cased with every non-alphanumeric run turned into one
    /// space and padded with spaces, so whole-word phrases match with `contains`.
    #[serde(skip)]
    pub normalized: String,
}

/// Leading keywords that name the rail, checked against the start of the narration
/// and then anywhere (some banks prefix "BY TRANSFER-" or "TO ").
const MODE_PREFIXES: &[(&str, Mode)] = &[
    ("UPI", Mode::Upi),
    ("BHIM", Mode::Upi),
    ("NEFT", Mode::Neft),
    ("IMPS", Mode::Imps),
    ("MMT", Mode::Imps),
    ("RTGS", Mode::Rtgs),
    ("NACH", Mode::Ach),
    ("ACH", Mode::Ach),
    ("ECS", Mode::Ach),
    ("ATW", Mode::Atm),
    ("ATM", Mode::Atm),
    ("NWD", Mode::Atm),
    ("EAW", Mode::Atm),
    ("CSW", Mode::Atm),
    ("POS", Mode::Card),
    ("PCD", Mode::Card),
    ("VPS", Mode::Card),
    ("IPS", Mode::Card),
    ("BBPS", Mode::Bbps),
    ("CLG", Mode::Cheque),
    ("CHQ", Mode::Cheque),
    ("CHEQUE", Mode::Cheque),
    ("INT", Mode::Interest),
];

/// Phrases that settle the mode wherever they occur; first match wins.
const MODE_PHRASES: &[(&str, Mode)] = &[
    (" UPI ", Mode::Upi),
    (" NEFT ", Mode::Neft),
    (" IMPS ", Mode::Imps),
    (" RTGS ", Mode::Rtgs),
    (" NACH ", Mode::Ach),
    (" ACH ", Mode::Ach),
    (" ECS ", Mode::Ach),
    (" SI ", Mode::Ach),
    (" ATM ", Mode::Atm),
    (" CASH WDL ", Mode::Atm),
    (" CASH WITHDRAWAL ", Mode::Atm),
    (" DEBIT CARD ", Mode::Card),
    (" POS ", Mode::Card),
    (" CARD ", Mode::Card),
    (" BBPS ", Mode::Bbps),
    (" CLEARING ", Mode::Cheque),
    (" CLG ", Mode::Cheque),
    (" CHQ ", Mode::Cheque),
    (" CHEQUE ", Mode::Cheque),
    (" CASH DEP ", Mode::Cash),
    (" CASH DEPOSIT ", Mode::Cash),
    (" BY CASH ", Mode::Cash),
    (" CDM ", Mode::Cash),
    (" CASH ", Mode::Cash),
    (" INTEREST ", Mode::Interest),
    (" INT PD ", Mode::Interest),
    (" INT CR ", Mode::Interest),
    (" INT COLL ", Mode::Interest),
    (" CHARGES ", Mode::Charge),
    (" CHARGE ", Mode::Charge),
    (" CHRG ", Mode::Charge),
    (" CHGS ", Mode::Charge),
    (" CHG ", Mode::Charge),
    (" FEE ", Mode::Charge),
    (" GST ", Mode::Charge),
    (" TRANSFER ", Mode::Transfer),
    (" TRF ", Mode::Transfer),
    (" INB ", Mode::Transfer),
    (" IB ", Mode::Transfer),
    (" FT ", Mode::Transfer),
];

/// Segment words that carry no counterparty information.
const FILLER_WORDS: &[&str] = &[
    "UPI",
    "P2A",
    "P2M",
    "P2P",
    "DR",
    "CR",
    "NEFT",
    "IMPS",
    "RTGS",
    "MMT",
    "NACH",
    "ACH",
    "ECS",
    "BY",
    "TO",
    "TRANSFER",
    "TRF",
    "INB",
    "IB",
    "FT",
    "PAYMENT",
    "PAY",
    "PAID",
    "SENT",
    "USING",
    "NA",
    "NULL",
    "INW",
    "OUTW",
    "INWARD",
    "OUTWARD",
    "D",
    "C",
    "REF",
    "NO",
    "TXN",
    "TRANSACTION",
    "FROM",
    "ONLINE",
    "MOB",
    "MOBILE",
    "BANKING",
    "NET",
    "COLLECT",
    "REQUEST",
    "PAYTM",
    "BHIM",
    "DEBIT",
    "CREDIT",
    "FUND",
    "FUNDS",
    "AC",
    "A",
    "ACCOUNT",
    "IFT",
    "OTH",
    "OTHER",
    "OTHERS",
];

/// Words dropped from clean_transaction_note (the recurring-group key).
const CLEAN_NOTE_STOP_WORDS: &[&str] = &[
    "UPI",
    "P2A",
    "P2M",
    "P2P",
    "NEFT",
    "IMPS",
    "RTGS",
    "MMT",
    "NACH",
    "ACH",
    "ECS",
    "BANK",
    "OF",
    "THE",
    "AND",
    "BY",
    "TO",
    "FROM",
    "DR",
    "CR",
    "TRANSFER",
    "TRF",
    "PAYMENT",
    "LTD",
    "LIMITED",
    "PVT",
    "PRIVATE",
    "INB",
    "IB",
    "FT",
    "REF",
    "NO",
    "NA",
    "SENT",
    "USING",
    "PAY",
    "JAN",
    "FEB",
    "MAR",
    "APR",
    "MAY",
    "JUN",
    "JUL",
    "AUG",
    "SEP",
    "SEPT",
    "OCT",
    "NOV",
    "DEC",
    "JANUARY",
    "FEBRUARY",
    "MARCH",
    "APRIL",
    "JUNE",
    "JULY",
    "AUGUST",
    "SEPTEMBER",
    "OCTOBER",
    "NOVEMBER",
    "DECEMBER",
    "ATW",
    "ATM",
    "POS",
    "CARD",
    "DEBIT",
    "CREDIT",
];

/// Words that end the name of a bank when they follow it ("STATE BANK OF INDIA").
const BANK_WORDS: &[&str] = &["BANK", "BK", "BNK"];

/// Short bank codes seen as a separate UPI or IMPS segment.
const BANK_CODES: &[&str] = &[
    "SBIN", "HDFC", "ICIC", "UTIB", "KKBK", "PUNB", "BARB", "CNRB", "UBIN", "IDIB", "IOBA", "YESB",
    "INDB", "FDRL", "IDFB", "BKID", "MAHB", "CBIN", "PYTM", "AIRP", "SBI", "ICICI", "AXIS",
    "KOTAK", "PNB", "BOB", "YES", "IDFC", "HDFCBANK", "AUBL", "RATN", "ESFB",
];

pub fn parse(note: &str) -> Narration {
    let normalized = normalize(note);
    let mode = detect_mode(&normalized);
    let segments = split_segments(note);
    let upi_handle = segments.iter().find_map(|segment| find_upi_handle(segment));
    let ifsc = segments
        .iter()
        .flat_map(|segment| segment.split_whitespace())
        .find(|word| is_ifsc(word))
        .map(str::to_string);
    let reference = find_reference(&segments);
    let bank = segments
        .iter()
        .find(|s| is_bank_segment(s))
        .map(|s| title_case(s));
    let counterparty = find_counterparty(&segments, mode);
    let clean_transaction_note = clean_note(note);
    Narration {
        mode,
        counterparty,
        upi_handle,
        ifsc,
        bank,
        reference,
        clean_transaction_note,
        normalized,
    }
}

/// Upper-cases, turns every run of non-alphanumerics into a single space, pads with spaces.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push(' ');
    let mut last_space = true;
    for character in text.chars() {
        if character.is_ascii_alphanumeric() {
            out.push(character.to_ascii_uppercase());
            last_space = false;
        } else if !last_space {
            out.push(' ');
            last_space = true;
        }
    }
    if !last_space {
        out.push(' ');
    }
    out
}

fn detect_mode(normalized: &str) -> Mode {
    let first_word = normalized.split_whitespace().next().unwrap_or("");
    // "INT.PD" and "INTEREST" start with INT, but so does "INTERNET BANKING": require the exact word.
    for (prefix, mode) in MODE_PREFIXES {
        if first_word == *prefix
            || (first_word.starts_with(prefix) && prefix.len() >= 3 && *mode != Mode::Interest)
        {
            return refine_leading_mode(*mode, normalized);
        }
    }
    for (phrase, mode) in MODE_PHRASES {
        if normalized.contains(phrase) {
            return *mode;
        }
    }
    if normalized.contains('@') {
        return Mode::Upi;
    }
    Mode::Other
}

/// "CHQ DEP" and "CLG" stay cheques; "ATM CASH DEP" is a cash deposit machine.
fn refine_leading_mode(mode: Mode, normalized: &str) -> Mode {
    match mode {
        Mode::Atm if normalized.contains(" DEP") || normalized.contains(" CDM ") => Mode::Cash,
        _ => mode,
    }
}

/// Splits on the separators banks put between fields; spaces stay inside a segment.
fn split_segments(note: &str) -> Vec<String> {
    note.split(['/', '-', '*', ':', '|', '\\', ',', '#'])
        .map(|segment| segment.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|segment| !segment.is_empty())
        .collect()
}

fn find_upi_handle(segment: &str) -> Option<String> {
    segment
        .split_whitespace()
        .find(|word| {
            let mut parts = word.split('@');
            matches!((parts.next(), parts.next(), parts.next()), (Some(user), Some(domain), None)
                if !user.is_empty() && domain.len() >= 2 && domain.chars().all(|c| c.is_ascii_alphanumeric()))
        })
        .map(str::to_ascii_lowercase)
}

/// IFSC: four letters, a zero, six alphanumerics.
pub fn is_ifsc(word: &str) -> bool {
    let bytes = word.as_bytes();
    bytes.len() == 11
        && bytes[..4].iter().all(u8::is_ascii_alphabetic)
        && bytes[4] == b'0'
        && bytes[5..].iter().all(u8::is_ascii_alphanumeric)
}

/// The longest run of digits (UTR, RRN) or a digit-heavy alphanumeric token.
fn find_reference(segments: &[String]) -> Option<String> {
    segments
        .iter()
        .flat_map(|segment| segment.split_whitespace())
        .filter(|word| is_reference_like(word) && !is_ifsc(word) && !word.contains('@'))
        .max_by_key(|word| word.chars().filter(char::is_ascii_digit).count())
        .map(str::to_ascii_uppercase)
}

fn is_reference_like(word: &str) -> bool {
    let digits = word.chars().filter(char::is_ascii_digit).count();
    digits >= 6 && word.chars().all(|c| c.is_ascii_alphanumeric())
}

fn is_bank_segment(segment: &str) -> bool {
    let upper = segment.to_ascii_uppercase();
    let words: Vec<&str> = upper.split_whitespace().collect();
    if words.len() == 1 && BANK_CODES.contains(&words[0]) {
        return true;
    }
    words.len() >= 2 && words.iter().any(|word| BANK_WORDS.contains(word))
}

fn find_counterparty(segments: &[String], mode: Mode) -> Option<String> {
    if matches!(mode, Mode::Interest | Mode::Charge | Mode::Cash | Mode::Atm) {
        return None;
    }
    segments
        .iter()
        .filter(|segment| !is_bank_segment(segment) || mode == Mode::Ach)
        .filter_map(|segment| counterparty_words(segment))
        .next()
}

/// The meaningful words of a segment, or None when it is a reference, code or filler.
fn counterparty_words(segment: &str) -> Option<String> {
    if segment.contains('@') || segment.split_whitespace().any(is_ifsc) {
        return None;
    }
    let words: Vec<String> = segment
        .split_whitespace()
        .map(|word| {
            word.trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '&')
                .to_ascii_uppercase()
        })
        .filter(|word| !word.is_empty())
        // Names carry no digits; a word with digits is a reference, code or a wrapped fragment of one.
        .filter(|word| !word.chars().any(|c| c.is_ascii_digit()))
        .filter(|word| !FILLER_WORDS.contains(&word.as_str()))
        .filter(|word| !MODE_PREFIXES.iter().any(|(prefix, _)| word == prefix))
        .collect();
    let letters: usize = words.iter().map(|word| word.len()).sum();
    if words.is_empty()
        || letters < 3
        || (words.len() == 1 && BANK_CODES.contains(&words[0].as_str()))
    {
        return None;
    }
    Some(words.join(" "))
}

/// Recurring-group key: payee words without numbers, months, one- and two-letter tokens or filler.
pub fn clean_note(note: &str) -> String {
    normalize(note)
        .split_whitespace()
        .filter(|word| word.len() > 2)
        .filter(|word| !word.chars().any(|c| c.is_ascii_digit()))
        .filter(|word| !CLEAN_NOTE_STOP_WORDS.contains(word))
        .collect::<Vec<_>>()
        .join(" ")
}

fn title_case(text: &str) -> String {
    text.split_whitespace()
        .map(|word| {
            let lower = word.to_ascii_lowercase();
            let mut characters = lower.chars();
            match characters.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + characters.as_str(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upi_p2a_axis_style() {
        let parsed = parse("UPI/P2A/268652272235/ANANDA P /UPI/INDIAN OVERSEAS BANK");
        assert_eq!(parsed.mode, Mode::Upi);
        assert_eq!(parsed.counterparty.as_deref(), Some("ANANDA P"));
        assert_eq!(parsed.reference.as_deref(), Some("268652272235"));
        assert_eq!(parsed.bank.as_deref(), Some("Indian Overseas Bank"));
        assert_eq!(parsed.clean_transaction_note, "ANANDA INDIAN OVERSEAS");
    }

    #[test]
    fn upi_hdfc_style_with_handle_and_ifsc() {
        let parsed = parse("UPI-RAVI KUMAR-ravi.k@okicici-ICIC0001234-412345678901-DINNER");
        assert_eq!(parsed.mode, Mode::Upi);
        assert_eq!(parsed.counterparty.as_deref(), Some("RAVI KUMAR"));
        assert_eq!(parsed.upi_handle.as_deref(), Some("ravi.k@okicici"));
        assert_eq!(parsed.ifsc.as_deref(), Some("ICIC0001234"));
        assert_eq!(parsed.reference.as_deref(), Some("412345678901"));
    }

    #[test]
    fn neft_credit_names_remitter() {
        let parsed = parse("NEFT CR-HDFC0000240-ACME TECHNOLOGIES PVT LTD-N123456789012");
        assert_eq!(parsed.mode, Mode::Neft);
        assert_eq!(
            parsed.counterparty.as_deref(),
            Some("ACME TECHNOLOGIES PVT LTD")
        );
        assert_eq!(parsed.ifsc.as_deref(), Some("HDFC0000240"));
    }

    #[test]
    fn atm_and_card_and_interest_modes() {
        assert_eq!(
            parse("ATW-416021XXXXXX1234-S1ANBG12-BANGALORE").mode,
            Mode::Atm
        );
        assert_eq!(parse("POS 416021XXXXXX1234 AMAZON IN").mode, Mode::Card);
        assert_eq!(
            parse("INT.PD:01-04-2024 TO 30-06-2024").mode,
            Mode::Interest
        );
        assert_eq!(parse("Credit Interest").mode, Mode::Interest);
        assert_eq!(
            parse("ACH D- BAJAJ FINANCE LTD-ABCD12345678").mode,
            Mode::Ach
        );
        assert_eq!(parse("CASH DEPOSIT BY SELF").mode, Mode::Cash);
        assert_eq!(parse("BY CLG CHQ NO 123456").mode, Mode::Cheque);
    }

    #[test]
    fn ach_counterparty_is_the_mandate_owner() {
        let parsed = parse("ACH D- BAJAJ FINANCE LTD-ABCD12345678");
        assert_eq!(parsed.counterparty.as_deref(), Some("BAJAJ FINANCE LTD"));
    }

    #[test]
    fn clean_note_drops_months_and_numbers() {
        assert_eq!(
            clean_note("MUTHOOT FINANCE/GOLDEN GROWTH MAY 2025"),
            "MUTHOOT FINANCE GOLDEN GROWTH"
        );
        assert_eq!(
            clean_note("MUTHOOT SECURIT/VI INC JUN 25"),
            "MUTHOOT SECURIT INC"
        );
    }
}
