//! Narration understanding: splits an Indian bank narration into its parts
//! (payment mode, counterparty, UPI handle, IFSC, reference) with a hand-written
//! tokeniser. Banks differ mostly in separator and field order, so the parser
//! classifies each segment by shape instead of trusting positions.

use crate::error::AnalysisError;
use crate::tables::{self, WordMap, WordSet};
use serde::Serialize;
use std::sync::OnceLock;

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

impl Mode {
    /// Every mode, in declaration order.
    pub const ALL: [Mode; 14] = [
        Mode::Upi,
        Mode::Neft,
        Mode::Imps,
        Mode::Rtgs,
        Mode::Ach,
        Mode::Atm,
        Mode::Card,
        Mode::Cheque,
        Mode::Cash,
        Mode::Interest,
        Mode::Charge,
        Mode::Bbps,
        Mode::Transfer,
        Mode::Other,
    ];
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
    /// A card number printed with its middle digits masked ("416021XXXXXX1234"): the row
    /// is a card spend or a card bill even when it names no rail.
    pub masked_card: bool,
    /// The merchant category code some banks print on card rows ("POS/MCC 5812/...").
    pub mcc: Option<u16>,
    /// The payee was reached through a payment gateway or app (Razorpay, PayU, ...), so
    /// the gateway's name is not the counterparty.
    pub via_gateway: bool,
    /// Which grammar found the counterparty ("upi", "tail", "first", "handle", "gateway", "none").
    pub counterparty_source: &'static str,
    /// Off UPI, the gateway a narration names when it names nobody else ("IMPS-<ref>-CASHFREE
    /// PAYMENTS-PENNY DROP"): on a credit the gateway itself paid (an account check, a payout
    /// it settles); on a debit it only carried the payment, so the categoriser decides.
    #[serde(skip)]
    pub gateway_payer: Option<String>,
    /// Off UPI, a gateway named beside a settlement word in one field ("NEFT CR-<ifsc>-BHARATPE
    /// SETTLEMENT-<merchant>-<utr>"): on a credit the gateway settled the merchant's collections,
    /// so it is the remitter even when the merchant (often the holder) is named after it.
    #[serde(skip)]
    pub gateway_settles: Option<String>,
    /// On UPI, the gateway or app printed in the payee's place, or as the payee's whole handle,
    /// when the narration names nobody else ("UPI/<ref>/CR/PHONEPE/YESB/cashback@ybl",
    /// "verify.razorpay@icici"): the categoriser decides whether it paid itself.
    pub upi_gateway: Option<String>,
    /// The field the counterparty was read from, normalised, with the words the name leaves out
    /// ("ZOMA TO LTD" for the name "ZOMA LTD"): a name wrapped inside a narrow cell is rejoined
    /// from the field, not from the name.
    #[serde(skip)]
    pub counterparty_field: Option<String>,
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
    // The Aadhaar payment bridge carries government transfers as bulk credits, like ACH.
    ("APBS", Mode::Ach),
    ("APB", Mode::Ach),
    // Aadhaar-enabled payments at a business correspondent: cash out (or in) with a thumbprint.
    ("AEPS", Mode::Atm),
    ("ATW", Mode::Atm),
    ("ATM", Mode::Atm),
    // Kotak: "ATL/card/terminal/place" (cash at another bank's ATM).
    ("ATL", Mode::Atm),
    ("NWD", Mode::Atm),
    ("EAW", Mode::Atm),
    ("CSW", Mode::Atm),
    ("POS", Mode::Card),
    // Axis's card purchase code ("PUR/<ref>/<merchant>/<city>").
    ("PUR", Mode::Card),
    ("PCD", Mode::Card),
    ("VPS", Mode::Card),
    // ICICI Mastercard debit-card rows ("MCD/MERCHANT/ ref/ terminal/CITY").
    ("MCD", Mode::Card),
    // ICICI Visa debit-card rows ("VIN/MERCHANT/datetime/ref/").
    ("VIN", Mode::Card),
    // SBI debit-card e-commerce rows ("TO ECM/ref/MERCHANT \address").
    ("ECM", Mode::Card),
    ("IPS", Mode::Card),
    ("BBPS", Mode::Bbps),
    ("CLG", Mode::Cheque),
    ("CHQ", Mode::Cheque),
    ("CHEQUE", Mode::Cheque),
    ("INT", Mode::Interest),
    ("MB", Mode::Transfer),
    // Mobile-banking fund transfer ("MOBFT/NAME/NOTE/ref").
    ("MOBFT", Mode::Transfer),
    ("ECOM", Mode::Card),
    ("OS", Mode::Card),
];

/// Phrases that settle the mode wherever they occur; first match wins.
const MODE_PHRASES: &[(&str, Mode)] = &[
    // SBI transfers posted by the branch ("DIRECT DR <account> OF <name> AT <branch>").
    (" DIRECT DR ", Mode::Transfer),
    (" DIRECT CR ", Mode::Transfer),
    (" UPI ", Mode::Upi),
    (" APBS ", Mode::Ach),
    (" AEPS ", Mode::Atm),
    // The government's insurance and pension schemes are renewed by auto-debit under the
    // account holder's consent ("PMJJBY PREMIUM RENEWAL", "APY CONTRIBUTION").
    (" PMJJBY ", Mode::Ach),
    (" PMSBY ", Mode::Ach),
    (" APY ", Mode::Ach),
    (" NEFT ", Mode::Neft),
    (" IMPS ", Mode::Imps),
    (" RTGS ", Mode::Rtgs),
    (" NACH ", Mode::Ach),
    (" ACH ", Mode::Ach),
    (" ECS ", Mode::Ach),
    // SBI prints the mandate rail glued to its direction ("DEBIT-ACHDr HDFC7021...").
    (" ACHDR ", Mode::Ach),
    (" ACHCR ", Mode::Ach),
    (" NACHDR ", Mode::Ach),
    (" NACHCR ", Mode::Ach),
    // Remittances across borders ("INWARD REMITTANCE-SWIFT-...", "INW REM/...", "OUTWARD
    // REMITTANCE/LRS/...") are bank transfers.
    (" INWARD REMITTANCE ", Mode::Transfer),
    (" OUTWARD REMITTANCE ", Mode::Transfer),
    (" INW REM ", Mode::Transfer),
    (" BILLPAY ", Mode::Bbps),
    (" BPAY ", Mode::Bbps),
    (" BIL ONL ", Mode::Bbps),
    // A bulk upload's credit (IDFC FIRST "BULK POSTING_<payer> <ref>": payroll, vendor payouts).
    (" BULK POSTING ", Mode::Transfer),
    // Batch AF: a fee paid to an institution through SBI Collect ("TO TRANSFER-INB SBI COLLECT <institution> EXAM
    // FEE") is a transfer to it, not the bank's fee.
    (" SBI COLLECT ", Mode::Transfer),
    (" TPT ", Mode::Transfer),
    (" TPFT ", Mode::Transfer),
    (" MOBFT ", Mode::Transfer),
    (" INFT ", Mode::Transfer),
    (" INET ", Mode::Transfer),
    (" SI ", Mode::Ach),
    (" ATM ", Mode::Atm),
    (" CASH WDL ", Mode::Atm),
    (" CASH WITHDRAWAL ", Mode::Atm),
    (" DEBIT CARD ", Mode::Card),
    (" ECM ", Mode::Card),
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
    (" CHRGS ", Mode::Charge),
    (" CHGS ", Mode::Charge),
    (" CHG ", Mode::Charge),
    (" FEE ", Mode::Charge),
    // A tax paid through net banking ("IB TAX PAYMENT-GST-CPIN…") is a transfer to the
    // government, not the bank's GST on its own charges.
    (" TAX PAYMENT ", Mode::Transfer),
    (" CPIN ", Mode::Transfer),
    (" GST ", Mode::Charge),
    (" TRANSFER ", Mode::Transfer),
    (" TRF ", Mode::Transfer),
    (" INB ", Mode::Transfer),
    (" IB ", Mode::Transfer),
    (" FT ", Mode::Transfer),
    // A direct benefit transfer named without its rail ("IPPB/DBT/<scheme>/<ref>") is a bulk
    // government credit, like the Aadhaar payment bridge's.
    (" DBT ", Mode::Ach),
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

/// Banks as ICICI and others print them in a transfer's last field without the word "bank"
/// ("MMT/IMPS/<ref>/<note>/<payer>/Kotak Mahindra").
const BANK_NAMES_WITHOUT_BANK_WORD: &[&str] = &[
    "KOTAK MAHINDRA",
    "IDFC FIRST",
    "AU SMALL FINANCE",
    "EQUITAS SMALL FINANCE",
    "UJJIVAN SMALL FINANCE",
    "CITIBANK NA",
    "CITIBANK N A",
    "STANDARD CHARTERED",
    "PAYTM PAYMENTS",
    "AIRTEL PAYMENTS",
    "FINO PAYMENTS",
];

/// True when a normalised name ends with a lending bank's name printed without the word "bank"
/// ("TPCAPFRST IDFC FIRST"): payments banks lend nothing, so they are left out.
pub fn ends_with_lending_bank(normalized: &str) -> bool {
    let trimmed = normalized.trim_end();
    BANK_NAMES_WITHOUT_BANK_WORD
        .iter()
        .filter(|bank| !bank.ends_with(" PAYMENTS"))
        .any(|bank| {
            trimmed
                .strip_suffix(bank)
                .is_some_and(|before| before.is_empty() || before.ends_with(' '))
        })
}

/// Short bank codes seen as a separate UPI or IMPS segment.
const BANK_CODES: &[&str] = &[
    "SBIN", "HDFC", "ICIC", "UTIB", "KKBK", "PUNB", "BARB", "CNRB", "UBIN", "IDIB", "IOBA", "YESB",
    "INDB", "FDRL", "IDFB", "BKID", "MAHB", "CBIN", "PYTM", "AIRP", "SBI", "ICICI", "AXIS",
    "KOTAK", "PNB", "BOB", "YES", "IDFC", "HDFCBANK", "AUBL", "RATN", "ESFB",
];

/// Legal forms of an incorporated company: a name ends with them (see `counterparty_words`).
const LEGAL_FORMS_ENDING_A_NAME: &[&str] = &["PVT", "PRIVATE", "LTD", "LIMITED", "LLP"];

/// The narration vocabulary (data/narration_words.tsv): words that never name anybody.
const NARRATION_WORDS_TSV: &str = include_str!("../data/narration_words.tsv");

/// What a word of a narration is when it is not part of a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WordKind {
    /// Rail, direction and banking words: dropped wherever they appear.
    Filler,
    /// Reference labels (RRN, UTR, INET): a segment of only these names nobody.
    Reference,
    /// Typed notes and month names: a segment of only these names nobody.
    Note,
    /// Honorifics: dropped from names.
    Title,
    /// Payment gateways and apps standing between payer and payee.
    Gateway,
    /// Places printed after card and ATM rows.
    City,
}

/// The vocabulary, loaded once. A malformed table is a build defect caught by the unit
/// tests; production then runs with an empty vocabulary rather than panicking.
fn vocabulary() -> &'static WordMap<&'static str, WordKind> {
    static VOCABULARY: OnceLock<WordMap<&'static str, WordKind>> = OnceLock::new();
    VOCABULARY.get_or_init(|| load_vocabulary().unwrap_or_default())
}

fn load_vocabulary() -> Result<WordMap<&'static str, WordKind>, AnalysisError> {
    tables::rows("narration_words", NARRATION_WORDS_TSV, 2)?
        .into_iter()
        .map(|(line, fields)| {
            let kind = match fields[1] {
                "filler" => WordKind::Filler,
                rail if rail_code_mode(rail).is_some() => WordKind::Filler,
                "reference" => WordKind::Reference,
                "note" => WordKind::Note,
                "title" => WordKind::Title,
                "gateway" => WordKind::Gateway,
                "city" => WordKind::City,
                other => {
                    return Err(AnalysisError::Table {
                        table: "narration_words",
                        line,
                        problem: format!("unknown kind {other:?}"),
                    })
                }
            };
            Ok((fields[0], kind))
        })
        .collect()
}

fn word_kind(word: &str) -> Option<WordKind> {
    vocabulary().get(word).copied()
}

/// The mode a `rail-<mode>` kind of narration_words.tsv names.
fn rail_code_mode(kind: &str) -> Option<Mode> {
    Some(match kind.strip_prefix("rail-")? {
        "neft" => Mode::Neft,
        "imps" => Mode::Imps,
        "rtgs" => Mode::Rtgs,
        "transfer" => Mode::Transfer,
        "cash" => Mode::Cash,
        "atm" => Mode::Atm,
        _ => return None,
    })
}

/// Banks' own one-word codes for a rail (narration_words.tsv kind `rail-<mode>`): a rail glued
/// to its channel or direction ("IBRTGS", Union's "NEFTO-", "RTGSFR:"), cut ("NFT/", "RTG/",
/// Federal), or a channel's transfer code ("FTIMPS", J&K's "mTFR", "SELFFT", "CASHDEP").
/// They name no party, and they settle the rail where no rail word is printed.
fn rail_codes() -> &'static WordMap<&'static str, Mode> {
    static RAIL_CODES: OnceLock<WordMap<&'static str, Mode>> = OnceLock::new();
    RAIL_CODES.get_or_init(|| {
        tables::rows("narration_words", NARRATION_WORDS_TSV, 2)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|(_, fields)| rail_code_mode(fields[1]).map(|mode| (fields[0], mode)))
            .collect()
    })
}

/// True for a word of a normalised narration that is no part of anybody's name: a word with
/// digits (references, codes) or one of the vocabulary's rail, reference, note, title, city or
/// gateway words.
pub fn names_nobody(word: &str) -> bool {
    word.bytes().any(|byte| byte.is_ascii_digit()) || word_kind(word).is_some()
}

/// A payment gateway or aggregator's word ("RAZORPAY", "CASHFREE", "LOTUSPAY"), also with a
/// code of up to three letters glued before it: Axis prints a NACH sponsor's code that way
/// ("ACH-DR-CTRAZORPAY-<creditor><mandate>-UTIB70").
pub fn is_gateway_word(word: &str) -> bool {
    (0..=3.min(word.len())).any(|glued| {
        word.is_char_boundary(glued)
            && word.len() - glued >= 3
            && word_kind(&word[glued..]) == Some(WordKind::Gateway)
    })
}

/// The card networks' names of merchant category codes (data/mcc_names.tsv).
const MCC_NAMES_TSV: &str = include_str!("../data/mcc_names.tsv");

fn mcc_names() -> &'static WordMap<&'static str, u16> {
    static NAMES: OnceLock<WordMap<&'static str, u16>> = OnceLock::new();
    NAMES.get_or_init(|| load_mcc_names().unwrap_or_default())
}

fn load_mcc_names() -> Result<WordMap<&'static str, u16>, AnalysisError> {
    tables::rows("mcc_names", MCC_NAMES_TSV, 2)?
        .into_iter()
        .map(|(line, fields)| {
            let code = fields[1].parse::<u16>().map_err(|_| AnalysisError::Table {
                table: "mcc_names",
                line,
                problem: format!("bad code {:?}", fields[1]),
            })?;
            Ok((fields[0], code))
        })
        .collect()
}

/// The code whose network name a card row's field prints ("EATING PLACES RESTAURANTS",
/// "MCC 5411-GROCERY STORES" split at its dash); the word "MCC" and numbers set aside.
fn mcc_of_segment(segment: &str) -> Option<u16> {
    let words: Vec<String> = segment
        .split_whitespace()
        .map(|word| {
            word.chars()
                .filter(char::is_ascii_alphanumeric)
                .collect::<String>()
                .to_ascii_uppercase()
        })
        .filter(|word| {
            !word.is_empty() && word != "MCC" && !word.chars().all(|c| c.is_ascii_digit())
        })
        .collect();
    if words.is_empty() {
        return None;
    }
    mcc_names().get(words.join(" ").as_str()).copied()
}

pub fn parse(note: &str) -> Narration {
    let rewritten = rewrite_bank_shapes(note);
    let note = rewritten.as_str();
    let normalized = normalize(note);
    let masked_card = normalized.split_whitespace().any(is_masked_card);
    let mode = detect_mode(&normalized, masked_card);
    let without_firm_mark = strip_firm_mark(note);
    let handle = find_upi_handle(&without_firm_mark).or_else(|| {
        (mode == Mode::Upi)
            .then(|| find_cut_handle(&without_firm_mark))
            .flatten()
    });
    // The handle is replaced by a lone "@" so separators inside it ("zomato-order@...")
    // do not split it, and the grammars still see where it stood.
    let text = match &handle {
        Some(found) => format!(
            "{}/@/{}",
            &without_firm_mark[..found.start],
            &without_firm_mark[found.end..]
        ),
        None => without_firm_mark.clone(),
    };
    let segments = split_segments(&text);
    let upi_handle = handle.map(|found| found.handle);
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
    let found = find_counterparty(&segments, &normalized, mode, upi_handle.as_deref());
    let clean_transaction_note = clean_note(note);
    let gateway_payer = found
        .name
        .is_none()
        .then(|| gateway_payer(&segments, mode))
        .flatten();
    let upi_gateway = (mode == Mode::Upi && found.name.is_none())
        .then(|| {
            // Only in the payee's place, the first field printing words: an app named after a
            // note ("UPI/P2M/<ref>/CASHBACK/Paytm/...") is the payer's own app.
            segments
                .iter()
                .find(|segment| {
                    normalized_words(segment).any(|word| {
                        word.bytes().any(|byte| byte.is_ascii_alphabetic())
                            && upper_word_kind(word) != Some(WordKind::Filler)
                    })
                })
                .filter(|segment| is_gateway_segment(segment))
                .and_then(|segment| gateway_words(segment))
                .or_else(|| {
                    let user = upi_handle.as_deref()?.split('@').next()?;
                    is_gateway_segment(user)
                        .then(|| gateway_words(user))
                        .flatten()
                })
        })
        .flatten();
    Narration {
        upi_gateway,
        mode,
        counterparty: found.name,
        upi_handle,
        ifsc,
        bank,
        reference,
        clean_transaction_note,
        masked_card,
        mcc: find_mcc(&normalized).or_else(|| {
            (mode == Mode::Card)
                .then(|| segments.iter().find_map(|segment| mcc_of_segment(segment)))
                .flatten()
        }),
        via_gateway: found.via_gateway,
        counterparty_source: found.source,
        gateway_payer,
        gateway_settles: (mode != Mode::Upi)
            .then(|| {
                segments
                    .iter()
                    .filter(|segment| is_gateway_settlement(segment))
                    .find_map(|segment| gateway_words(segment))
            })
            .flatten(),
        counterparty_field: found.field.map(normalize),
        normalized,
    }
}

/// Undoes print shapes that hide a narration's fields, before anything else reads it:
/// - SBI's branch trailer "<account> AT <branch code> <branch>" after transfer rows names
///   the holder's branch, never the counterparty: it is cut;
/// - SBI's "DIRECT DR <account> OF <name>": the name after "OF" is its own field;
/// - a reference glued to the text after it ("414308898332FLIPKART" on SBI card rows,
///   "SentIMPS421512345102Jyoti" on Kotak) is split from it, and a rail glued before a
///   reference ("SentIMPS", "rev:imps") is split off too. Handles ("q4829157@ybl") and
///   references with letters first (UTRs such as "HDFCH24134512345") are left alone.
fn rewrite_bank_shapes(note: &str) -> String {
    let decoded;
    let note = if note.contains("%20") {
        // Spaces URL-encoded by an export ("EXCESS%20REFUND %20<n>").
        decoded = note.replace("%20", " ");
        decoded.as_str()
    } else {
        note
    };
    let text = cut_branch_trailer(note);
    let text = split_direct_transfer(text);
    let text = rejoin_wrapped_handle(text);
    let text = rejoin_split_rail(text);
    unglue_references(text)
}

/// Characters that separate a narration's fields (a space separates words inside one).
fn is_field_separator(byte: u8) -> bool {
    matches!(
        byte,
        b'/' | b'-' | b':' | b'|' | b'\\' | b',' | b'*' | b'#' | b'_'
    )
}

/// A UPI handle is one word, so a narrow cell breaks it where the line ends and the statement
/// engine joins the lines with a space ("swiggy.u pi@icici", "amazonupi @apl", "spotify@hdfc
/// bank"). Banks print names in capitals: a lower-case piece that stands alone in its field,
/// next to a handle's edge, is the rest of the handle, and the space goes.
fn rejoin_wrapped_handle(note: String) -> String {
    if !note.contains('@') {
        return note;
    }
    let bytes = note.as_bytes();
    let piece_byte = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_');
    let lower_piece = |piece: &[u8]| {
        !piece.is_empty()
            && piece.iter().any(u8::is_ascii_lowercase)
            && !piece.iter().any(u8::is_ascii_uppercase)
    };
    let mut spaces: Vec<usize> = Vec::new();
    for (at, _) in note.match_indices('@') {
        // The handle's user part as printed right before '@' (possibly empty).
        let mut user_start = at;
        while user_start > 0 && piece_byte(bytes[user_start - 1]) {
            user_start -= 1;
        }
        let user_is_lower = !bytes[user_start..at].iter().any(u8::is_ascii_uppercase);
        if user_start >= 2 && bytes[user_start - 1] == b' ' && user_is_lower {
            let piece_end = user_start - 1;
            let mut piece_start = piece_end;
            while piece_start > 0 && piece_byte(bytes[piece_start - 1]) {
                piece_start -= 1;
            }
            // Federal prints a space after the separator ("UPIOUT/<ref>/ amazonpay @apl/6540").
            let mut field_start = piece_start;
            while field_start > 0 && bytes[field_start - 1] == b' ' {
                field_start -= 1;
            }
            let opens_field = field_start == 0 || is_field_separator(bytes[field_start - 1]);
            if opens_field && lower_piece(&bytes[piece_start..piece_end]) {
                spaces.push(piece_end);
            }
        }
        // The domain: "@ icici" or "@hdfc bank", the rest ending its field.
        let mut domain_end = at + 1;
        while domain_end < bytes.len() && bytes[domain_end].is_ascii_alphanumeric() {
            domain_end += 1;
        }
        let domain_is_lower = !bytes[at + 1..domain_end].iter().any(u8::is_ascii_uppercase);
        if domain_is_lower && bytes.get(domain_end) == Some(&b' ') {
            let rest_start = domain_end + 1;
            let mut rest_end = rest_start;
            while rest_end < bytes.len() && bytes[rest_end].is_ascii_alphanumeric() {
                rest_end += 1;
            }
            let closes_field = rest_end == bytes.len() || is_field_separator(bytes[rest_end]);
            if closes_field && lower_piece(&bytes[rest_start..rest_end]) {
                spaces.push(domain_end);
            }
        }
    }
    without_spaces_at(note, &spaces)
}

/// `note` without the spaces at byte offsets `spaces` (the joins a wrapped cell put inside
/// one token).
fn without_spaces_at(note: String, spaces: &[usize]) -> String {
    if spaces.is_empty() {
        return note;
    }
    note.char_indices()
        .filter(|(at, _)| !spaces.contains(at))
        .map(|(_, character)| character)
        .collect()
}

/// Rails whose code a wrapped cell may print in two pieces ("TO TRANSFER-UP I/DR/...", "NE FT-...").
const SPLIT_RAILS: &[&str] = &["UPI", "NEFT", "IMPS", "RTGS", "NACH"];

/// A rail code broken by the cell's edge and joined with a space: two short letter pieces that
/// fill a field between separators and spell a rail are the rail.
fn rejoin_split_rail(note: String) -> String {
    let bytes = note.as_bytes();
    let mut spaces: Vec<usize> = Vec::new();
    for (space, _) in note.match_indices(' ') {
        let mut left = space;
        while left > 0 && bytes[left - 1].is_ascii_alphabetic() {
            left -= 1;
        }
        let mut right = space + 1;
        while right < bytes.len() && bytes[right].is_ascii_alphabetic() {
            right += 1;
        }
        let (first, second) = (&note[left..space], &note[space + 1..right]);
        let opens = left == 0 || is_field_separator(bytes[left - 1]);
        let closes = right == bytes.len() || is_field_separator(bytes[right]);
        let joined_length = first.len() + second.len();
        if opens
            && closes
            && !first.is_empty()
            && !second.is_empty()
            && SPLIT_RAILS.iter().any(|rail| {
                rail.len() == joined_length
                    && rail[..first.len()].eq_ignore_ascii_case(first)
                    && rail[first.len()..].eq_ignore_ascii_case(second)
            })
        {
            spaces.push(space);
        }
    }
    without_spaces_at(note, &spaces)
}

/// `text` starts with `prefix` (ASCII), ignoring ASCII case.
fn starts_with_ignoring_case(text: &str, prefix: &str) -> bool {
    text.as_bytes()
        .get(..prefix.len())
        .is_some_and(|start| start.eq_ignore_ascii_case(prefix.as_bytes()))
}

fn cut_branch_trailer(note: &str) -> &str {
    // Most rows print no word "AT": they are not split into words at all.
    if !note.split(' ').any(|word| word.eq_ignore_ascii_case("AT")) {
        return note;
    }
    let words: Vec<(usize, &str)> = note
        .split(' ')
        .scan(0, |offset, word| {
            let start = *offset;
            *offset += word.len() + 1;
            Some((start, word))
        })
        .filter(|(_, word)| !word.is_empty())
        .collect();
    let all_digits = |word: &str| !word.is_empty() && word.bytes().all(|b| b.is_ascii_digit());
    let sbi_transfer = ["DIRECT ", "WDL TFR", "DEP TFR"]
        .iter()
        .any(|start| starts_with_ignoring_case(note, start));
    for (index, window) in words.windows(2).enumerate() {
        let [(at_at, at), (_, branch)] = window else {
            continue;
        };
        if !(at.eq_ignore_ascii_case("AT") && (4..=6).contains(&branch.len()) && all_digits(branch))
        {
            continue;
        }
        // The account printed before "AT", or an SBI transfer row that prints none there.
        let account = index
            .checked_sub(1)
            .and_then(|before| words.get(before))
            .filter(|(_, word)| (9..=17).contains(&word.len()) && all_digits(word));
        match account {
            Some((account_at, _)) => return note[..*account_at].trim_end(),
            None if sbi_transfer => return note[..*at_at].trim_end(),
            None => {}
        }
    }
    note
}

/// SBI names an account's holder after the account: "DIRECT DR <account> OF <name>", and on its
/// transfer rows "WDL TFR INB E-TDR/E-STDR <deposit> OF Mr <holder>", "DEP TFR INT TRF FRM <account>
/// TO <account> OF MR <name>": the name after "OF" is its own field. Elsewhere "OF" stays inside
/// names ("BANK OF BARODA").
fn split_direct_transfer(note: &str) -> String {
    let upper = note.to_ascii_uppercase();
    if upper.starts_with("DIRECT DR ") || upper.starts_with("DIRECT CR ") {
        return match upper.find(" OF ") {
            Some(at) => format!("{}/{}", &note[..at], &note[at + 4..]),
            None => note.to_string(),
        };
    }
    if !(upper.starts_with("WDL TFR") || upper.starts_with("DEP TFR")) {
        return note.to_string();
    }
    let after_account = upper.match_indices(" OF ").find(|(at, _)| {
        let account = upper[..*at].rsplit(' ').next().unwrap_or("");
        (9..=17).contains(&account.len()) && account.bytes().all(|byte| byte.is_ascii_digit())
    });
    match after_account {
        Some((at, _)) => format!("{}/{}", &note[..at], &note[at + 4..]),
        None => note.to_string(),
    }
}

/// Rails that banks glue to the reference that follows them; SBI glues its card-terminal
/// codes too ("OTHPOS508112340006WILDCRAFT INDIA"). Longer codes first.
/// Canara glues the GST portal's code to the challan's CPIN ("GSTN<CPIN>-<ref>").
const GLUED_RAILS: &[&str] = &[
    "OTHPOS", "SBIPOS", "OTHPG", "SBIPG", "GSTN", "IMPS", "NEFT", "RTGS", "UPI",
];

fn unglue_references(note: String) -> String {
    let bytes = note.as_bytes();
    let mut out = String::with_capacity(note.len() + 8);
    let mut position = 0;
    while position < bytes.len() {
        if !bytes[position].is_ascii_alphanumeric() {
            let character = note[position..].chars().next().unwrap_or(' ');
            out.push(character);
            position += character.len_utf8();
            continue;
        }
        let end = position
            + bytes[position..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric())
                .count();
        let in_handle = bytes.get(end).is_some_and(|b| matches!(b, b'@' | b'.'))
            || (position > 0 && matches!(bytes[position - 1], b'@' | b'.'));
        let token = &note[position..end];
        if in_handle {
            out.push_str(token);
        } else if let Some(split) = reference_tail(&out, token) {
            // A wrap broke a reference and glued its last digits to the next word ("SentIMPS
            // 51641351234 8RAHUL KUMAR"): the digits rejoin the reference, the word stands alone.
            out.pop();
            out.push_str(&token[..split]);
            out.push(' ');
            out.push_str(&token[split..]);
        } else {
            unglue_token_into(token, &mut out);
        }
        position = end;
    }
    out
}

/// Where the digits end in `token` when it is one to three digits glued to a word of three or
/// more letters and `out` ends with a reference (eight or more digits) and one space.
fn reference_tail(out: &str, token: &str) -> Option<usize> {
    let digits = token.bytes().take_while(u8::is_ascii_digit).count();
    let letters = token[digits..]
        .bytes()
        .take_while(u8::is_ascii_alphabetic)
        .count();
    if !(1..=3).contains(&digits) || letters < 3 || digits + letters != token.len() {
        return None;
    }
    let before = out.strip_suffix(' ')?;
    let reference = before.bytes().rev().take_while(u8::is_ascii_digit).count();
    let starts_word = before.len() == reference
        || !before.as_bytes()[before.len() - reference - 1].is_ascii_alphanumeric();
    (reference >= 8 && starts_word).then_some(digits)
}

/// "414308898332FLIPKART" -> "414308898332 FLIPKART"; "SentIMPS4215123451Jyoti" ->
/// "Sent IMPS 4215123451 Jyoti". Only a run of eight or more digits is a reference.
#[cfg(test)]
fn unglue_token(token: &str) -> String {
    let mut out = String::new();
    unglue_token_into(token, &mut out);
    out
}

/// Charge codes a bank glues to the card's last digits (ICICI's annual debit-card fee,
/// "DCARDFEE4412APR26-MAR27").
const GLUED_CARD_CODES: &[&str] = &["DCARDFEE"];

/// Refund words an app types glued after its own name ("BHIMCASHBACK", printed "B HIMCASHBACK" by a
/// narrow cell): a word ending with one after three or more letters is parted before it.
const GLUED_REFUND_WORDS: &[&str] = &["CASHBACK", "REFUND"];

/// A word of letters only, written onto `out` with a refund word glued at its end parted
/// ("HIMCASHBACK" -> "HIM CASHBACK").
fn unglue_refund_word_into(token: &str, out: &mut String) {
    let glued = GLUED_REFUND_WORDS.iter().find(|word| {
        token.len() >= word.len() + 3
            && token[token.len() - word.len()..].eq_ignore_ascii_case(word)
    });
    match glued {
        Some(word) => {
            let at = token.len() - word.len();
            out.push_str(&token[..at]);
            out.push(' ');
            out.push_str(&token[at..]);
        }
        None => out.push_str(token),
    }
}

/// [`unglue_token`] written onto `out` (called for every token of every narration: no
/// `String` of its own).
fn unglue_token_into(token: &str, out: &mut String) {
    let bytes = token.as_bytes();
    let digits_start = bytes.iter().position(u8::is_ascii_digit);
    let Some(start) = digits_start else {
        unglue_refund_word_into(token, out);
        return;
    };
    if let Some(code) = GLUED_CARD_CODES
        .iter()
        .find(|code| token[..start].eq_ignore_ascii_case(code))
    {
        // A charge code glued to the card's last digits and the fee's period ("DCARDFEE4412APR26"):
        // the code, the card and the rest stand apart.
        let digits = bytes[start..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if (3..=4).contains(&digits) {
            out.push_str(&token[..code.len()]);
            out.push(' ');
            out.push_str(&token[start..start + digits]);
            if start + digits < token.len() {
                out.push(' ');
                out.push_str(&token[start + digits..]);
            }
            return;
        }
    }
    let digits = bytes[start..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    let after = start + digits;
    let letters_after = bytes[after..]
        .iter()
        .take_while(|b| b.is_ascii_alphabetic())
        .count();
    if digits < 8 {
        out.push_str(token);
        return;
    }
    let head = &token[..start];
    let rail = GLUED_RAILS.iter().find(|rail| {
        head.len() >= rail.len() && head[head.len() - rail.len()..].eq_ignore_ascii_case(rail)
    });
    match rail {
        Some(rail) => {
            let before = &head[..head.len() - rail.len()];
            if !before.is_empty() {
                out.push_str(before);
                out.push(' ');
            }
            out.push_str(&head[before.len()..]);
            out.push(' ');
        }
        // Letters before the digits without a rail: a UTR or code ("HDFCH2413..."), kept whole.
        None if !head.is_empty() => {
            out.push_str(token);
            return;
        }
        None => {}
    }
    out.push_str(&token[start..after]);
    let rest = &token[after..];
    if !rest.is_empty() {
        if letters_after >= 3 || rail.is_some() {
            out.push(' ');
            unglue_token_into(rest, out);
        } else {
            out.push_str(rest);
        }
    }
}

/// Upper-cases, turns every run of non-alphanumerics into a single space, pads with spaces.
pub fn normalize(text: &str) -> String {
    // Byte by byte into a buffer sized once (called for every narration and many of their
    // fields): each byte of a multi-byte character is >= 0x80, never ASCII alphanumeric, so
    // the character still reads as a separator, and the result is ASCII.
    let mut out = vec![b' '; text.len() + 2];
    let mut length = 1;
    let mut last_space = true;
    let bytes = text.as_bytes();
    let mut position = 0;
    while position < bytes.len() {
        let byte = bytes[position];
        position += 1;
        if byte == b'%' && bytes.get(position..position + 2) == Some(b"20".as_slice()) {
            // A space URL-encoded by an export ("EXCESS%20REFUND %20<n>") separates words too.
            position += 2;
            if !last_space {
                out[length] = b' ';
                length += 1;
                last_space = true;
            }
        } else if byte.is_ascii_alphanumeric() {
            out[length] = byte.to_ascii_uppercase();
            length += 1;
            last_space = false;
        } else if !last_space {
            out[length] = b' ';
            length += 1;
            last_space = true;
        }
    }
    if !last_space {
        // Already a space: the buffer was filled with them.
        length += 1;
    }
    out.truncate(length);
    String::from_utf8(out).unwrap_or_default()
}

/// The words `normalize(text)` gives, as printed (not upper-cased): the runs of ASCII letters
/// and digits.
fn normalized_words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
}

/// The vocabulary's kind of `word` upper-cased, without allocating for a word of usual length.
fn upper_word_kind(word: &str) -> Option<WordKind> {
    let mut buffer = [0u8; 32];
    match buffer.get_mut(..word.len()) {
        Some(upper) => {
            upper.copy_from_slice(word.as_bytes());
            upper.make_ascii_uppercase();
            std::str::from_utf8(upper).ok().and_then(word_kind)
        }
        None => word_kind(&word.to_ascii_uppercase()),
    }
}

/// Rails that a card number printed in the row does not override.
const RAILS_BEFORE_CARD: &[&str] = &[
    " UPI ",
    " NEFT ",
    " IMPS ",
    " RTGS ",
    " ACH ",
    " NACH ",
    " ECS ",
    " ATM ",
    " NFS ",
    " BILLPAY ",
    " BPAY ",
    " BBPS ",
    " CASH WDL ",
];

fn detect_mode(normalized: &str, masked_card: bool) -> Mode {
    if is_machine_deposit(normalized) {
        return Mode::Cash;
    }
    let first_word = normalized.split_whitespace().next().unwrap_or("");
    // "INT.PD" and "INTEREST" start with INT, but so does "INTERNET BANKING": require the exact word.
    for (prefix, mode) in MODE_PREFIXES {
        if first_word == *prefix
            || (first_word.starts_with(prefix) && prefix.len() >= 3 && *mode != Mode::Interest)
        {
            return refine_leading_mode(*mode, normalized);
        }
    }
    if let Some(mode) = rail_codes().get(first_word) {
        return *mode;
    }
    // A masked card number settles a card row before words like "CASH" in a web-print's
    // "CASH W/D" column label can call it cash.
    if masked_card
        && !RAILS_BEFORE_CARD
            .iter()
            .any(|rail| normalized.contains(rail))
    {
        return Mode::Card;
    }
    for (phrase, mode) in MODE_PHRASES {
        if normalized.contains(phrase) {
            return *mode;
        }
    }
    if normalized.contains('@') {
        return Mode::Upi;
    }
    // A rail code after a channel word ("MOB/SELFFT/<name>/<account>").
    normalized
        .split_whitespace()
        .find_map(|word| rail_codes().get(word).copied())
        .unwrap_or(Mode::Other)
}

/// SBI's bulk-credit posting code followed by nothing but numbers ("CEMTEX DEP 00000004413 0 40623") is a cash
/// deposit machine's credit: every other CEMTEX credit names its rail, payer or purpose ("CEMTEX DEP ACHCr <ref>
/// <company>", "CEMTEX DEP:IMPS <rrn> DRC <account>", "CEMTEX DEP BY SALARY").
fn is_machine_deposit(normalized: &str) -> bool {
    normalized
        .trim_start()
        .strip_prefix("CEMTEX DEP ")
        .is_some_and(|rest| {
            let mut words = rest.split_whitespace().peekable();
            words.peek().is_some() && words.all(|word| word.bytes().all(|b| b.is_ascii_digit()))
        })
}

/// "CHQ DEP" and "CLG" stay cheques; "ATM CASH DEP" is a cash deposit machine.
fn refine_leading_mode(mode: Mode, normalized: &str) -> Mode {
    match mode {
        Mode::Atm if normalized.contains(" DEP") || normalized.contains(" CDM ") => Mode::Cash,
        _ => mode,
    }
}

/// A card number with its middle masked: 4-9 leading digits (BIN, sometimes zero-padded),
/// four or more X, 3-4 trailing digits. A masked account ("XXXXXXX1234") has no BIN.
fn is_masked_card(word: &str) -> bool {
    let bytes = word.as_bytes();
    let leading = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    let masks = bytes[leading..]
        .iter()
        .take_while(|b| **b == b'X' || **b == b'x')
        .count();
    let trailing = bytes.len() - leading - masks;
    (4..=9).contains(&leading)
        && masks >= 4
        && (3..=4).contains(&trailing)
        && bytes[leading + masks..].iter().all(u8::is_ascii_digit)
}

/// "MCC 5812" as printed by some banks' card rows, or the four digits Federal Bank prints
/// last on its UPI rows ("UPIOUT/ref/handle/note/5814"; "0000" when the payee has none).
fn find_mcc(normalized: &str) -> Option<u16> {
    let federal_upi = [" UPIOUT ", " UPI OUT ", " UPI IN ", " UPIIN "]
        .iter()
        .any(|start| normalized.starts_with(start));
    if federal_upi {
        let last = normalized.split_whitespace().last().unwrap_or("");
        if last.len() == 4 {
            if let Ok(code) = last.parse::<u16>() {
                if code != 0 {
                    return Some(code);
                }
            }
        }
    }
    // A card network's debit row prints the code bare after "POS" (Central Bank's "VISA
    // DEBIT/POS/5411/<merchant>/<city>"), IDBI's card row after "POS DR" ("POS DR/5541/<merchant>/
    // <city>/<ref>"; batches AK, AL); elsewhere a bare number there is a card's last digits
    // (Kotak's "PCD/<digits>/...").
    let network_debit = [
        " VISA DEBIT POS ",
        " RUPAY DEBIT POS ",
        " MASTERCARD DEBIT POS ",
    ]
    .iter()
    .any(|start| normalized.starts_with(start));
    let pos_debit = normalized.starts_with(" POS DR ");
    let mut previous = "";
    let mut words = normalized.split_whitespace();
    while let Some(word) = words.next() {
        let code_follows = (network_debit && word == "POS" && previous == "DEBIT")
            || (pos_debit && word == "DR" && previous == "POS");
        if word == "MCC" || code_follows {
            return words
                .next()
                .filter(|code| code.len() == 4)
                .and_then(|code| code.parse().ok());
        }
        previous = word;
    }
    None
}

/// "M/S" (messrs) before a firm's name would otherwise split into "M" and "S FIRM". Only
/// the standalone mark goes ("Premium/starhealth" keeps its "m/s").
fn strip_firm_mark(note: &str) -> String {
    let bytes = note.as_bytes();
    let mut text = String::with_capacity(note.len());
    let mut position = 0;
    while position < bytes.len() {
        let starts_word = position == 0 || !bytes[position - 1].is_ascii_alphanumeric();
        let is_mark = bytes.len() >= position + 3
            && bytes[position].eq_ignore_ascii_case(&b'm')
            && bytes[position + 1] == b'/'
            && bytes[position + 2].eq_ignore_ascii_case(&b's')
            && bytes
                .get(position + 3)
                .is_none_or(|next| !next.is_ascii_alphanumeric());
        if starts_word && is_mark {
            text.push(' ');
            position += 3;
            if bytes.get(position) == Some(&b'.') {
                position += 1;
            }
            continue;
        }
        let Some(character) = note[position..].chars().next() else {
            break;
        };
        text.push(character);
        position += character.len_utf8();
    }
    text
}

/// Splits on the separators banks put between fields; spaces stay inside a segment.
fn split_segments(note: &str) -> Vec<String> {
    // '_' too: "NEFT_IN:null//SBIN0001234/NAME" (handles were set aside before splitting).
    note.split(['/', '-', '*', ':', '|', '\\', ',', '#', '_'])
        .map(|segment| {
            let mut joined = String::with_capacity(segment.len());
            for word in segment.split_whitespace() {
                if !joined.is_empty() {
                    joined.push(' ');
                }
                joined.push_str(word);
            }
            joined
        })
        .filter(|segment| !segment.is_empty())
        .collect()
}

struct FoundHandle {
    handle: String,
    start: usize,
    end: usize,
}

/// The first UPI handle in the raw narration. Handles may contain '.', '-' and '_', which
/// HDFC also uses as its field separator ("UPI-ZOMATO LTD-zomato-order@ptybl-PYTM0..."):
/// of the dash-separated pieces before '@', the handle keeps the trailing pieces typed in
/// lower case (banks print names upper case), or only the last piece when all are upper.
fn find_upi_handle(note: &str) -> Option<FoundHandle> {
    let bytes = note.as_bytes();
    let is_handle_char = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_');
    for (at, _) in note.match_indices('@') {
        let mut domain_end = at
            + 1
            + bytes[at + 1..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric())
                .count();
        // An account's address keeps its dotted suffix ("<account>@<IFSC>.ifsc.npci").
        while bytes.get(domain_end) == Some(&b'.') {
            let piece = bytes[domain_end + 1..]
                .iter()
                .take_while(|b| b.is_ascii_lowercase())
                .count();
            let piece_end = domain_end + 1 + piece;
            if piece < 2 || bytes.get(piece_end).is_some_and(u8::is_ascii_alphanumeric) {
                break;
            }
            domain_end = piece_end;
        }
        let mut start = at;
        while start > 0 && is_handle_char(bytes[start - 1]) {
            start -= 1;
        }
        let run = &note[start..at];
        let pieces: Vec<&str> = run.split('-').collect();
        let lower_suffix = pieces
            .iter()
            .rev()
            .take_while(|piece| !piece.is_empty() && !piece.bytes().any(|b| b.is_ascii_uppercase()))
            .count();
        let kept = pieces.len() - lower_suffix.max(1);
        let prefix_start = start
            + pieces[..kept]
                .iter()
                .map(|piece| piece.len() + 1)
                .sum::<usize>();
        // Separators left at the edges belong to the narration, not the handle.
        let untrimmed = &note[prefix_start..at];
        let leading_separators =
            untrimmed.len() - untrimmed.trim_start_matches(['.', '-', '_']).len();
        let user = untrimmed.trim_matches(['.', '-', '_']);
        if user.is_empty() || domain_end - at - 1 < 2 {
            continue;
        }
        let user_start = prefix_start + leading_separators;
        return Some(FoundHandle {
            handle: format!("{}@{}", user, &note[at + 1..domain_end]).to_ascii_lowercase(),
            start: user_start,
            end: domain_end,
        });
    }
    None
}

/// A UPI handle printed without its "@domain" because the column cut it
/// ("UPIOUT/ref/indianrailwayca318204.rz/4112"): a slash-separated field of one lower-case
/// word with a dot in it. Names are printed upper case and references carry no dot.
fn find_cut_handle(note: &str) -> Option<FoundHandle> {
    let mut offset = 0;
    for field in note.split('/') {
        let start = offset;
        offset += field.len() + 1;
        let trimmed = field.trim();
        let lead = field.len() - field.trim_start().len();
        let handle_like = trimmed.len() >= 6
            && trimmed.contains('.')
            && trimmed.bytes().any(|b| b.is_ascii_lowercase())
            && !trimmed.bytes().any(|b| b.is_ascii_uppercase())
            && trimmed
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
            && trimmed
                .split('.')
                .next()
                .is_some_and(|user| user.bytes().filter(u8::is_ascii_alphabetic).count() >= 3);
        if handle_like {
            return Some(FoundHandle {
                handle: trimmed.to_string(),
                start: start + lead,
                end: start + lead + trimmed.len(),
            });
        }
    }
    None
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
    // Called for most segments of every narration: words are compared as printed, ignoring
    // ASCII case, with no upper-cased copy, word list or joined string (13 M instructions
    // on a 1,936-row statement before).
    let is_code = |word: &str| {
        BANK_CODES
            .iter()
            .any(|code| code.eq_ignore_ascii_case(word))
    };
    let mut words = segment.split_whitespace();
    let (Some(first), second) = (words.next(), words.next()) else {
        return false;
    };
    if second.is_none() {
        // A bank's code, alone or glued to the word "bank" ("YesBank_Yespay", "AXISBANK").
        let glued_code = first
            .len()
            .checked_sub(4)
            .filter(|&cut| first.as_bytes()[cut..].eq_ignore_ascii_case(b"BANK"))
            .is_some_and(|cut| is_code(&first[..cut]));
        if is_code(first) || glued_code {
            return true;
        }
    }
    // The segment is split again only when its first word opens one of these names.
    let names_bank_without_bank_word = BANK_NAMES_WITHOUT_BANK_WORD.iter().any(|name| {
        let opens_name = name.as_bytes().get(first.len()) == Some(&b' ')
            && name.as_bytes()[..first.len()].eq_ignore_ascii_case(first.as_bytes());
        opens_name && {
            let mut printed = segment.split_whitespace().skip(1);
            name[first.len() + 1..]
                .split(' ')
                .all(|word| printed.next().is_some_and(|p| p.eq_ignore_ascii_case(word)))
                && printed.next().is_none()
        }
    });
    if names_bank_without_bank_word {
        return true;
    }
    let is_bank_word = |word: &str| {
        BANK_WORDS
            .iter()
            .any(|bank| bank.eq_ignore_ascii_case(word))
    };
    second.is_some_and(|second| {
        is_bank_word(first) || is_bank_word(second) || words.any(is_bank_word)
    })
}

/// A segment of numbers and codes only ("412345678901", "ICI1a2b3c4d", "XX1234").
fn is_reference_segment(segment: &str) -> bool {
    segment
        .split_whitespace()
        .all(|word| word.chars().any(|c| c.is_ascii_digit()))
}

struct FoundCounterparty<'a> {
    name: Option<String>,
    via_gateway: bool,
    source: &'static str,
    /// The segment the name was read from.
    field: Option<&'a str>,
}

/// The counterparty by the grammar of the narration's family:
/// - UPI ("UPI/P2M/ref/NAME/...", "UPI/DR/ref/NAME/BANK/handle", "UPI-NAME-handle-IFSC-ref",
///   "UPI/NAME/ref/NOTE", "UPI OUT/ref/handle/NAME", "UPI/ref/DR/NAME/..."): the first name
///   after the rail, except ICICI's "UPI/ref/NOTE/handle/BANK" whose text is a typed note;
/// - third-party transfers printing the payee last ("acct-TPT-NOTE-NAME", "BIL/INFT/ref/NOTE/NAME");
/// - everything else (NEFT, IMPS, RTGS, ACH, cards, cheques): the first segment that names
///   someone after filler, references, notes, cities and bank codes are set aside.
///
/// When no segment names anybody, a person-like UPI handle stands for the payee; a
/// gateway's handle ("lenskart.rzp@icici") gives the merchant behind it. Reference tokens
/// never become names: no name is better than an invented one.
fn find_counterparty<'a>(
    segments: &'a [String],
    normalized: &str,
    mode: Mode,
    handle: Option<&str>,
) -> FoundCounterparty<'a> {
    let none = |source| FoundCounterparty {
        name: None,
        via_gateway: false,
        source,
        field: None,
    };
    if matches!(mode, Mode::Interest | Mode::Charge | Mode::Cash | Mode::Atm) {
        return none("none");
    }
    let via_gateway = segments.iter().any(|segment| is_gateway_segment(segment));
    if let Some((name, source)) = fixed_slot_name(segments, normalized, mode) {
        return FoundCounterparty {
            name: name.as_ref().map(|(name, _)| name.clone()),
            via_gateway,
            source,
            field: name.map(|(_, field)| field),
        };
    }
    let allow_bank = mode == Mode::Ach;
    // A card row's merchant-category name ("DRUG STORES PHARMACIES") says what was bought, not from whom.
    let usable = |segment: &String| {
        segment != "@"
            && (allow_bank || !is_bank_segment(segment))
            && !(mode == Mode::Card && mcc_of_segment(segment).is_some())
    };
    // The segment that names the rail: "UPI", "UPI OUT", "WDL TFR UPI" (SBI), "UPIAR" (Union).
    let upi_start = segments.iter().position(|segment| {
        let mut words = segment.split_whitespace();
        let first_is_rail = words
            .next()
            .is_some_and(|word| starts_with_ignoring_case(word, "UPI") && word.len() <= 6);
        first_is_rail
            || segment
                .split_whitespace()
                .last()
                .is_some_and(|word| word.eq_ignore_ascii_case("UPI"))
    });
    let (name, source) = if let (Mode::Upi, Some(start)) = (mode, upi_start) {
        let rest = &segments[start + 1..];
        // Bank of Baroda: "UPI/<ref>/<hh:mm:ss>/UPI/<handle>/<note>": the payee is known by
        // the handle alone and the text after it is the remitter's note.
        let rest = if is_time_stamped_upi(rest) {
            let handle_at = rest.iter().position(|segment| segment == "@");
            &rest[..handle_at.unwrap_or(rest.len())]
        } else {
            rest
        };
        // Paytm Payments Bank prints one field, the rail last ("Received from <NAME> <ref> UPI").
        let printed_alone = rest.is_empty();
        let name =
            upi_name(rest).or_else(|| printed_alone.then(|| named_by(&segments[start])).flatten());
        (name, "upi")
    } else if normalized.contains(" TPT ")
        || normalized.contains(" INFT ")
        // ICICI "MMT/IMPS/ref/NOTE/NAME/BANK": the remitter's note comes before the payee.
        || normalized.starts_with(" MMT IMPS ")
    {
        (
            segments
                .iter()
                .rev()
                .filter(|segment| usable(segment))
                .find_map(|segment| named_by(segment)),
            "tail",
        )
    } else {
        (
            bank_printed_first(segments, normalized, mode).or_else(|| {
                segments
                    .iter()
                    .filter(|segment| usable(segment))
                    .find_map(|segment| named_by(segment))
            }),
            "first",
        )
    };
    if let Some((name, field)) = name {
        return FoundCounterparty {
            name: Some(name),
            via_gateway,
            source,
            field: Some(field),
        };
    }
    // Some banks print the payee's handle without its "@<psp>" in the name slot
    // ("UPI/<ref>/ravikumar1987/SBIN/UPI", Tamilnad Mercantile): read it as a handle.
    let bare_handle = (mode == Mode::Upi && handle.is_none())
        .then(|| segments.iter().find(|segment| is_bare_handle(segment)))
        .flatten()
        .map(String::as_str);
    match handle
        .or(bare_handle)
        .and_then(|handle| handle_counterparty(handle, via_gateway))
    {
        Some(name) => FoundCounterparty {
            name: Some(name),
            via_gateway,
            source: "handle",
            field: None,
        },
        None => FoundCounterparty {
            name: None,
            via_gateway,
            source: "none",
            field: None,
        },
    }
}

/// Most words of a bank's own name before its legal form ("JAMMU AND KASHMIR BANK").
const MAX_BANK_NAME_WORDS: usize = 5;

/// Batch AP / salary sets Q and S: a bank's own name printed as the first name of a NEFT, IMPS
/// or RTGS narration ("NEFT/CR/<utr>/AXIS BANK LTD/<holder>", "BY TRANSFER-NEFT*<ifsc>*<utr>*ICICI
/// BANK LIMITED*--") is the remitter: a bank paying its officer, refunding or disbursing. Read
/// otherwise the holder printed after it was the payer (a self transfer), or nobody was. A bank
/// printed after another name ("<firm>/HDFC BANK LTD") is that name's bank and stays skipped, and so
/// does a bank's code alone ("HDFC", "SBIN"). The name must be a bank's ([`names_a_bank`]).
///
/// A transfer noted "self" or "own" that names nobody but banks goes to the holder's own account at
/// that bank (rules.tsv R176N): the bank is no remitter there.
fn bank_printed_first<'a>(
    segments: &'a [String],
    normalized: &str,
    mode: Mode,
) -> Option<(String, &'a str)> {
    if !matches!(mode, Mode::Neft | Mode::Imps | Mode::Rtgs)
        || [" SELF ", " OWN "]
            .iter()
            .any(|word| normalized.contains(word))
    {
        return None;
    }
    let (name, segment) = segments
        .iter()
        .filter(|segment| *segment != "@")
        .find_map(|segment| named_by(segment))?;
    if !is_bank_segment(segment) {
        return None;
    }
    let words: Vec<&str> = name.split_whitespace().collect();
    names_a_bank(&words, LEGAL_FORMS_ENDING_A_NAME).then_some((name, segment))
}

/// Whether a name's words, the `legal_forms` ending it aside, are a bank's: they end with BANK
/// or read "<...> BANK OF <...>", at most [`MAX_BANK_NAME_WORDS`] of them.
pub(crate) fn names_a_bank(words: &[&str], legal_forms: &[&str]) -> bool {
    let core_len = words
        .iter()
        .rposition(|word| !legal_forms.contains(word))
        .map_or(0, |at| at + 1);
    let core = &words[..core_len];
    (2..=MAX_BANK_NAME_WORDS).contains(&core.len())
        && (core.last() == Some(&"BANK") || core.windows(2).any(|pair| pair == ["BANK", "OF"]))
}

/// Shapes that print the other party in one fixed slot, read from that slot alone (None inside when the
/// slot names nobody; the outer None leaves the narration to the general grammar):
/// - IndusInd's bill payments "Billpay/<ref>/<biller category>/<biller>": the biller comes after its
///   category ("Electricity", "Credit Card"), and a card's biller is the bank that issued it;
/// - Kotak's "Recd:IMPS/<ref>/<remitter>/<bank>/X<account>/<note>": a remitter that names nobody (a bank's
///   IMPS service verifying the account) leaves nobody; the payer's note is no name.
fn fixed_slot_name<'a>(
    segments: &'a [String],
    normalized: &str,
    mode: Mode,
) -> Option<(Option<(String, &'a str)>, &'static str)> {
    if mode == Mode::Bbps && normalized.starts_with(" BILLPAY ") {
        if let [_, reference, _, biller, ..] = segments {
            if is_reference_segment(reference) {
                return Some((named_by(biller), "billpay"));
            }
        }
    }
    if normalized.starts_with(" RECD IMPS ") {
        if let [_, _, reference, remitter, ..] = segments {
            if is_reference_segment(reference) {
                let name = (!is_bank_segment(remitter))
                    .then(|| named_by(remitter))
                    .flatten();
                return Some((name, "first"));
            }
        }
    }
    None
}

/// A handle's user part printed alone: one lower-case token of letters and digits, at least
/// three letters, more letters than digits (a name is printed in capitals, a reference in
/// digits).
fn is_bare_handle(segment: &str) -> bool {
    let letters = segment.bytes().filter(u8::is_ascii_lowercase).count();
    let digits = segment.bytes().filter(u8::is_ascii_digit).count();
    segment
        .bytes()
        .all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'.')
        && digits > 0
        && letters >= 3
        && letters > digits
}

/// The name a segment gives and the segment itself (see `Narration::counterparty_field`).
fn named_by(segment: &str) -> Option<(String, &str)> {
    counterparty_words(segment).map(|name| (name, segment))
}

/// The gateway named off UPI when the narration names nobody else (see
/// `Narration::gateway_payer`). On UPI the gateway is the payer's app ("Paytm"), which says
/// nothing of the other party.
fn gateway_payer(segments: &[String], mode: Mode) -> Option<String> {
    if mode == Mode::Upi {
        return None;
    }
    segments
        .iter()
        .filter(|segment| is_gateway_segment(segment))
        .find_map(|segment| gateway_words(segment))
}

/// "<ref>/<hh>/<mm>/<ss>/UPI/...": a reference, a time of day (split at its colons) and the
/// rail printed again.
fn is_time_stamped_upi(rest: &[String]) -> bool {
    let two_digits =
        |segment: &String| segment.len() == 2 && segment.bytes().all(|byte| byte.is_ascii_digit());
    rest.len() >= 5
        && rest[0].len() >= 8
        && rest[0].bytes().all(|byte| byte.is_ascii_digit())
        && rest[1..4].iter().all(two_digits)
        && rest[4].eq_ignore_ascii_case("UPI")
}

/// The payee's name among the segments after "UPI", with the segment it was read from.
fn upi_name(rest: &[String]) -> Option<(String, &str)> {
    let is_marker = |segment: &String| {
        segment
            .split_whitespace()
            .all(|word| matches!(upper_word_kind(word), Some(WordKind::Filler)))
    };
    let meaningful: Vec<&String> = rest.iter().filter(|segment| !is_marker(segment)).collect();
    // A direction marker printed before the text ("UPI/ref/DR/NAME/handle", IDFC FIRST,
    // Union) means the bank prints the payee's name there; ICICI prints none.
    let direction_marked = rest.iter().take(3).any(|segment| {
        matches!(
            segment.to_ascii_uppercase().as_str(),
            "DR" | "CR" | "DEBIT" | "CREDIT"
        )
    });
    // ICICI: "UPI/ref/NOTE/handle/BANK": a text between the reference and the handle is what
    // the payer typed, unless it reads "Paid to X" (Paytm), which names the payee.
    // The payee's bank printed after the handle marks ICICI's shape; other banks print
    // "UPI/ref/NAME/handle/NOTE" (Standard Chartered, Citi, HSBC), where the text is the name.
    let icici_note = match meaningful.as_slice() {
        [reference, text, handle, bank, ..]
            if !direction_marked
                && is_reference_segment(reference)
                && handle.as_str() == "@"
                && is_bank_segment(bank) =>
        {
            let upper = text.to_ascii_uppercase();
            let names_payee = ["PAID TO ", "SENT TO ", "RECEIVED FROM "]
                .iter()
                .any(|start| upper.starts_with(start));
            (!names_payee).then_some(text.as_str())
        }
        _ => None,
    };
    meaningful
        .iter()
        .filter(|segment| segment.as_str() != "@" && !is_bank_segment(segment))
        .filter(|segment| Some(segment.as_str()) != icici_note)
        .find_map(|segment| named_by(segment))
}

/// A segment that only names a gateway ("RAZORPAY", "Pay via Razorpay").
fn is_gateway_segment(segment: &str) -> bool {
    // Called for most segments of every narration: one look-up per word, and the first word
    // that is no gateway, filler or note settles it.
    let mut names_a_gateway = false;
    for word in normalized_words(segment) {
        match upper_word_kind(word) {
            Some(WordKind::Gateway) => names_a_gateway = true,
            Some(WordKind::Filler | WordKind::Note) => {}
            _ => return false,
        }
    }
    names_a_gateway
}

/// A gateway-only segment that says it settles ("BHARATPE SETTLEMENT", "PHONEPE STLMT").
fn is_gateway_settlement(segment: &str) -> bool {
    is_gateway_segment(segment)
        && normalized_words(segment).any(|word| {
            matches!(
                word.to_ascii_uppercase().as_str(),
                "SETTLEMENT" | "SETTL" | "STLMT" | "SETL" | "SETTLE"
            )
        })
}

/// The gateway words of a gateway-only segment ("CASHFREE PAYMENTS" -> "CASHFREE"), fillers
/// and notes dropped.
fn gateway_words(segment: &str) -> Option<String> {
    let words: Vec<String> = normalize(segment)
        .split_whitespace()
        .filter(|word| word_kind(word) == Some(WordKind::Gateway))
        .map(str::to_string)
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// The payee a UPI handle stands for when the narration prints no name: behind a gateway,
/// the handle's other tokens ("lenskart.rzp" -> "LENSKART"); otherwise the whole handle
/// when it reads like a person's ("ravi.k@okicici"), never a merchant QR code
/// ("paytmqr28100...", "q812345678") or a bare mobile number.
fn handle_counterparty(handle: &str, via_gateway: bool) -> Option<String> {
    let user = handle.split('@').next().unwrap_or("");
    let tokens: Vec<String> = user
        .split(['.', '-', '_'])
        .map(str::to_ascii_uppercase)
        .filter(|token| !token.is_empty())
        .collect();
    let has_gateway_token = tokens
        .iter()
        .any(|token| word_kind(token) == Some(WordKind::Gateway));
    if via_gateway || has_gateway_token {
        let merchant: Vec<&str> = tokens
            .iter()
            .filter(|token| word_kind(token).is_none())
            .filter(|token| token.chars().all(|c| c.is_ascii_alphabetic()) && token.len() >= 3)
            .map(String::as_str)
            .collect();
        return (!merchant.is_empty()).then(|| merchant.join(" "));
    }
    let letters = user.chars().filter(char::is_ascii_alphabetic).count();
    let digits = user.chars().filter(char::is_ascii_digit).count();
    (letters >= 3 && letters > digits && !is_merchant_code_handle(user)).then(|| handle.to_string())
}

/// Whether a UPI handle's user part is a merchant QR code's ("paytmqr28100...", "q812345678",
/// "bharatpe.9000..."): issued to shops, never to people.
pub(crate) fn is_merchant_code_handle(user: &str) -> bool {
    let digits = user.chars().filter(char::is_ascii_digit).count();
    let lower = user.to_ascii_lowercase();
    lower.starts_with("paytmqr")
        || lower.starts_with("bharatpe")
        || (lower.starts_with('q') && digits >= 6)
        || lower.contains("qr")
}

/// The meaningful words of a segment, or None when it names nobody: filler and titles are
/// dropped word by word; a segment left with only references, notes, cities, gateways,
/// codes or fewer than three letters is not a name.
/// Words an app types before its own name in a payment's note ("Paid via CRED", "Pay via
/// SuperMoney"): the word after them names the app the payer used, not the payee.
const APP_NOTE_OPENINGS: &[[&str; 2]] = &[["PAID", "VIA"], ["PAY", "VIA"], ["SENT", "VIA"]];

/// True when `words[at]` follows an app's note opening ("CRED" in "PAID VIA CRED"), unless
/// it is a payment gateway's word, which the vocabulary already reads as naming nobody.
fn names_the_app<S: AsRef<str>>(words: &[S], at: usize) -> bool {
    at >= 2
        && APP_NOTE_OPENINGS.iter().any(|[first, second]| {
            words[at - 2].as_ref() == *first && words[at - 1].as_ref() == *second
        })
        && word_kind(words[at].as_ref()) != Some(WordKind::Gateway)
}

/// A normalised narration without the app named by a payment's note ("PAID VIA CRED" ->
/// "PAID VIA"), so a brand lookup on the whole text does not take the app for the payee.
pub fn without_app_names(normalized: &str) -> String {
    let words: Vec<&str> = normalized.split_whitespace().collect();
    if !words.contains(&"VIA") {
        return normalized.to_string();
    }
    let kept: Vec<&str> = (0..words.len())
        .filter(|&at| !names_the_app(&words, at))
        .map(|at| words[at])
        .collect();
    format!(" {} ", kept.join(" "))
}

/// Filler words that are also common words of firms' names (see `counterparty_words`).
const NAME_WORDS_ALSO_FILLER: &[&str] = &["AUTO"];

fn counterparty_words(segment: &str) -> Option<String> {
    // An IFSC inside a segment is dropped with the other coded words below (Kotak prints
    // "NEFT <UTR> <NAME> <IFSC>" as one field); a handle makes the segment no name.
    if segment.contains('@') {
        return None;
    }
    // One upper-cased copy of the segment, its words borrowed from it (upper-casing ASCII
    // letters moves no word's edges).
    let upper = segment.to_ascii_uppercase();
    let raw: Vec<&str> = upper
        .split_whitespace()
        .map(|word| word.trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '&'))
        .filter(|word| !word.is_empty())
        .collect();
    // "FUND TRANSFER TO <account> <name>" (Kotak's "IB:FUND TRANSFER TO ..."): "FUND" belongs
    // to the rail, not the name; elsewhere ("HDFC MUTUAL FUND") it is part of one.
    let rail_fund = |at: usize| {
        matches!(raw[at], "FUND" | "FUNDS")
            && raw
                .get(at + 1)
                .is_some_and(|next| matches!(*next, "TRANSFER" | "TRF" | "TFR"))
    };
    // "AUTO" opens a mandate's words ("AUTO DEBIT", "AUTO SWEEP") but inside a firm's name
    // ("SUPREME AUTO SPARES") it is the trade: between two words that name, it stays.
    let plain_name_word = |at: usize| {
        raw.get(at).is_some_and(|word| {
            word.chars().all(|c| c.is_ascii_alphabetic()) && word_kind(word).is_none()
        })
    };
    let name_word_inside = |at: usize| {
        NAME_WORDS_ALSO_FILLER.contains(&raw[at])
            && at > 0
            && plain_name_word(at - 1)
            && plain_name_word(at + 1)
    };
    let words: Vec<&str> = (0..raw.len())
        .filter(|&at| !rail_fund(at))
        .filter(|&at| !names_the_app(&raw, at))
        .filter(|&at| {
            name_word_inside(at)
                || !matches!(word_kind(raw[at]), Some(WordKind::Filler | WordKind::Title))
        })
        .map(|at| raw[at])
        // Names carry no digits; a word with digits is a reference, code or a wrapped fragment of one.
        .filter(|word| !word.chars().any(|c| c.is_ascii_digit()))
        // Masked account or card digits printed as X ("XXXXXX").
        .filter(|word| !word.chars().all(|c| c == 'X'))
        .filter(|word| !MODE_PREFIXES.iter().any(|(prefix, _)| word == prefix))
        .collect();
    // Batch AN / set Q: a reference label printed before the name ("NEFT IN UTR <utr> KEC
    // INTERNATIONAL LTD") labels the number, not the name.
    let leading_labels = words
        .iter()
        .take_while(|word| word_kind(word) == Some(WordKind::Reference))
        .count();
    let words = if leading_labels < words.len() {
        &words[leading_labels..]
    } else {
        &words[..]
    };
    // Batch AN: an incorporated company's name ends with its legal form; words printed after
    // it in the same field that say what the credit is are the narration's note ("SUNDRAM FASTENERS
    // LIMITED LEAVE ENCASHMENT"). A storefront or gateway after the legal entity ("TRENT LIMITED
    // WESTSIDE", "INFIBEAM AVENUES LTD CCAVENUE") stays part of the name.
    let words = match words
        .iter()
        .skip(1)
        .position(|word| LEGAL_FORMS_ENDING_A_NAME.contains(word))
    {
        Some(skipped) => {
            let form_start = skipped + 1;
            let form_words = words[form_start..]
                .iter()
                .take_while(|word| LEGAL_FORMS_ENDING_A_NAME.contains(*word))
                .count();
            let name_end = form_start + form_words;
            let note_follows = words[name_end..].iter().any(|word| {
                crate::salary::is_pay_note_word(word) || word_kind(word) == Some(WordKind::Note)
            });
            if note_follows {
                &words[..name_end]
            } else {
                words
            }
        }
        None => words,
    };
    let letters: usize = words.iter().map(|word| word.len()).sum();
    // A fragment of one or two letters left by a cut field ("PAYTM PAYMENTS BA") does not
    // make a segment of bank, note or gateway words name somebody.
    // An aggregator with its sponsor's code glued before it ("ACHDR/CTLOTUSPAY/<ref>") is the
    // aggregator still.
    let names_nobody = words.iter().filter(|word| word.len() > 2).all(|word| {
        matches!(
            word_kind(word),
            Some(WordKind::Reference | WordKind::Note | WordKind::City | WordKind::Gateway)
        ) || BANK_CODES.contains(word)
            || is_gateway_word(word)
    });
    if words.is_empty() || letters < 3 || names_nobody {
        return None;
    }
    Some(words.join(" "))
}

/// Recurring-group key: payee words without numbers, months, one- and two-letter tokens or filler.
pub fn clean_note(note: &str) -> String {
    // Written straight into the result (no normalised copy, no word list to join): called
    // for every row. A word is upper-cased in place and taken back if it is a stop word.
    let mut clean = String::with_capacity(note.len());
    for word in normalized_words(note)
        .filter(|word| word.len() > 2)
        .filter(|word| !word.bytes().any(|b| b.is_ascii_digit()))
    {
        let before = clean.len();
        if before > 0 {
            clean.push(' ');
        }
        let start = clean.len();
        clean.push_str(word);
        clean[start..].make_ascii_uppercase();
        if clean_note_stop_words().contains(&clean[start..]) {
            clean.truncate(before);
        }
    }
    clean
}

/// [`CLEAN_NOTE_STOP_WORDS`] as a set: every word of every narration is checked.
fn clean_note_stop_words() -> &'static WordSet<&'static str> {
    static WORDS: OnceLock<WordSet<&'static str>> = OnceLock::new();
    WORDS.get_or_init(|| CLEAN_NOTE_STOP_WORDS.iter().copied().collect())
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
    fn every_mode_is_listed_once() {
        // The match is exhaustive: a new mode fails to compile here until ALL lists it.
        let declared = |mode: Mode| match mode {
            Mode::Upi
            | Mode::Neft
            | Mode::Imps
            | Mode::Rtgs
            | Mode::Ach
            | Mode::Atm
            | Mode::Card
            | Mode::Cheque
            | Mode::Cash
            | Mode::Interest
            | Mode::Charge
            | Mode::Bbps
            | Mode::Transfer
            | Mode::Other => mode as usize,
        };
        for (index, mode) in Mode::ALL.into_iter().enumerate() {
            assert_eq!(declared(mode), index, "{mode:?}");
        }
    }

    /// Batch AN: a reference label printed before a name names nothing, and a company's name
    /// ends with its legal form (the words after it in one field are the note).
    #[test]
    fn a_label_before_a_name_and_a_note_after_a_legal_form_are_no_part_of_it() {
        for (note, name) in [
            (
                "NEFT IN UTR SBIN426334123512 KEC INTERNATIONAL LTD",
                "KEC INTERNATIONAL LTD",
            ),
            (
                "NEFT UTIBN52026113000541 SUNDRAM FASTENERS LIMITED LEAVE ENCASHMENT",
                "SUNDRAM FASTENERS LIMITED",
            ),
            (
                "NEFT HDFCN52026113000531 ACME WIDGETS PVT LTD",
                "ACME WIDGETS PVT LTD",
            ),
        ] {
            assert_eq!(parse(note).counterparty.as_deref(), Some(name), "{note}");
        }
    }

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
        assert_eq!(parse("ATL/9876/S1CNDL34/DELHI010724/09:15").mode, Mode::Atm);
        assert_eq!(
            parse("MCD/CROMA RETAIL/ 419900112235/ 654321/PUNE").mode,
            Mode::Card
        );
        assert_eq!(parse("DEBIT-ANNUAL MAINT CHRGS 2024").mode, Mode::Charge);
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
    fn vocabulary_table_loads() {
        assert!(load_vocabulary().is_ok_and(|words| words.len() > 100));
    }

    #[test]
    fn upi_grammars_name_the_payee_not_the_rail_or_note() {
        let name = |note: &str| parse(note).counterparty;
        // SBI: the name after the reference, not "TRANSFER".
        assert_eq!(
            name("TO TRANSFER-UPI/DR/412938475612/SURESH KUMAR/SBIN/suresh@oksbi/Payment")
                .as_deref(),
            Some("SURESH KUMAR")
        );
        // Federal: "UPI OUT/ref/handle/NAME" is not "Transfer to OUT".
        assert_eq!(
            name("UPI OUT/412312345679/ravi.k@okicici/RAVI KUMAR").as_deref(),
            Some("RAVI KUMAR")
        );
        // ICICI: the text before the handle is a typed note; the handle stands for the payee.
        assert_eq!(
            name("UPI/412345678901/Dinner/ravi.k@okicici/ICICI Bank/ICI1a2b3c4d").as_deref(),
            Some("ravi.k@okicici")
        );
        // Kotak: "UPI/NAME/ref/NOTE".
        assert_eq!(
            name("UPI/POOJA NAIR/412312345681/Rent").as_deref(),
            Some("POOJA NAIR")
        );
        // A direction marker before the text: the bank prints the payee there, not a note.
        assert_eq!(
            name("UPI/419900112233/CR/LEENA DSOUZA/leena.d@okaxis").as_deref(),
            Some("LEENA DSOUZA")
        );
        // ICICI IMPS: "MMT/IMPS/ref/NOTE/NAME/BANK" names the payee after the note.
        assert_eq!(
            name("MMT/IMPS/419900112234/School fees/ARUN PILLAI/HDFC Bank").as_deref(),
            Some("ARUN PILLAI")
        );
        // A gateway names the merchant behind it through the handle.
        let gateway =
            parse("UPI-RAZORPAY-lenskart.rzp@icici-ICIC0DC0099-412345678907-PAY VIA RAZORPAY");
        assert!(gateway.via_gateway);
        assert_eq!(gateway.counterparty.as_deref(), Some("LENSKART"));
        assert_eq!(gateway.upi_handle.as_deref(), Some("lenskart.rzp@icici"));
        // HDFC: a dash inside the handle does not split it.
        assert_eq!(
            parse("UPI-ZOMATO LTD-zomato-order@ptybl-PYTM0123456-412345678901-UPIINTENT")
                .upi_handle
                .as_deref(),
            Some("zomato-order@ptybl")
        );
    }

    #[test]
    fn reference_tokens_and_qr_codes_name_nobody() {
        for note in [
            "NEFT CR-SBIN0000001-RRN 412312345678-UTR-SBIN424123456789",
            "IMPS/DR/412312345711/XXXXXXXX1234/BANGALORE",
            "NEFT/DR/CLEARING/SBIN424123456791",
            "TRF TO 00000031234567890",
            "UPI/DR/412312345681/NA/YESB/q912345678@ybl/UPI",
            "INF/INET/000123456790/123456789012",
        ] {
            assert_eq!(parse(note).counterparty, None, "{note}");
        }
    }

    #[test]
    fn a_card_rows_merchant_category_name_is_no_payee() {
        assert!(load_mcc_names().is_ok());
        let row = parse("RUPAY POS/EATING PLACES RESTAURANTS/ANNAPOORNA MESS/4123");
        assert_eq!(row.counterparty.as_deref(), Some("ANNAPOORNA MESS"));
        assert_eq!(row.mcc, Some(5812));
        let coded = parse("POS-PURCHASE/RUPAY/MCC 5411-GROCERY STORES/SRI LAKSHMI STORE/MYSURU");
        assert_eq!(coded.counterparty.as_deref(), Some("SRI LAKSHMI STORE"));
        assert_eq!(coded.mcc, Some(5411));
        // Off a card row the same words are somebody's name or note: no code is read from them.
        assert_eq!(
            parse("UPI/DR/4123/BOOK STORES/SBIN/books@oksbi/UPI").mcc,
            None
        );
    }

    #[test]
    fn a_benefit_transfer_without_its_rail_names_the_scheme() {
        let row = parse("IPPB/DBT/PM KISAN SAMMAN NIDHI/517812340510");
        assert_eq!(row.mode, Mode::Ach);
        assert_eq!(row.counterparty.as_deref(), Some("PM KISAN SAMMAN NIDHI"));
    }

    #[test]
    fn remittances_are_transfers_named_by_the_remitter() {
        let inward = parse("INWARD REMITTANCE-SWIFT-CITIUS33-ACME CLOUD INC-USD 2200.00-FIRC 2507");
        assert_eq!(inward.mode, Mode::Transfer);
        assert_eq!(inward.counterparty.as_deref(), Some("ACME CLOUD INC"));
        let short = parse("INW REM/0725IR012345/KAVITA SHARMA/GBP 560.00/FAMILY MAINTENANCE");
        assert_eq!(short.mode, Mode::Transfer);
        assert_eq!(short.counterparty.as_deref(), Some("KAVITA SHARMA"));
        let outward = parse("OUTWARD REMITTANCE/LRS/UNIVERSITY OF MELBOURNE/TUITION FEES");
        assert_eq!(
            outward.counterparty.as_deref(),
            Some("UNIVERSITY OF MELBOURNE")
        );
    }

    #[test]
    fn a_one_field_upi_row_names_its_payer() {
        let row = parse("Received from ROHIT BANSAL 517812340513 UPI");
        assert_eq!(row.mode, Mode::Upi);
        assert_eq!(row.counterparty.as_deref(), Some("ROHIT BANSAL"));
    }

    #[test]
    fn masked_card_and_mcc() {
        let web_print = parse("CASH W/D POS/416021XXXXXX1234/MCDONALDS/DELHI");
        assert!(web_print.masked_card);
        assert_eq!(web_print.mode, Mode::Card);
        assert_eq!(parse("POS/MCC 5812/SAGAR RATNA/DELHI").mcc, Some(5812));
        // A masked account number is not a card.
        assert!(!parse("IMPS-412312345678-RAVI KUMAR-SBIN-XXXXXXX1234-NA").masked_card);
        assert_eq!(
            parse("CASH W/D 416021XXXXXX1234 ATM SBI MG ROAD").mode,
            Mode::Atm
        );
    }

    #[test]
    fn firm_mark_is_dropped_only_as_a_word() {
        assert_eq!(
            parse("NEFT/CR/M/S SHARMA TRADERS/SBIN424123456789")
                .counterparty
                .as_deref(),
            Some("SHARMA TRADERS")
        );
        assert_eq!(
            parse("UPI/412345678913/Premium/starhealth@hdfcbank/HDFC Bank/ICI0a1b2c3d")
                .upi_handle
                .as_deref(),
            Some("starhealth@hdfcbank")
        );
    }

    #[test]
    fn print_shapes_that_hide_fields_are_undone() {
        // SBI's branch trailer names the holder's branch, not the payer.
        let trailer = parse(
            "DEP TFR NEFT*HDFC0000240*HDFCH24134512345*ACME TRADERS 0097690161234 AT 04321 KORAMANGALA",
        );
        assert_eq!(trailer.counterparty.as_deref(), Some("ACME TRADERS"));
        // "DIRECT DR <account> OF <name>": the name after OF, on a transfer.
        let direct = parse("DIRECT DR 0041836312345 OF Mr. GANESH RAO AT 04321 KORAMANGALA");
        assert_eq!(direct.mode, Mode::Transfer);
        assert_eq!(direct.counterparty.as_deref(), Some("GANESH RAO"));
        // A reference glued to the merchant after it, and a rail glued before a reference; SBI's
        // purchase code names nobody (batch Y).
        assert_eq!(
            parse("POS ATM PURCH OTHPG 414308898332ACME STORES 224092000")
                .counterparty
                .as_deref(),
            Some("ACME STORES")
        );
        // SBI glues its card-terminal code and the reference to the merchant.
        assert_eq!(
            parse("BY DEBIT CARD-OTHPOS508112340006WILDCRAFT INDIA PVT L--")
                .counterparty
                .as_deref(),
            Some("WILDCRAFT INDIA PVT L")
        );
        // A bank printed without the word "bank" is not the payer.
        assert_eq!(
            parse("MMT/IMPS/508112340056/Loan repay/PRAKASH NAI/Kotak Mahindra")
                .counterparty
                .as_deref(),
            Some("PRAKASH NAI")
        );
        let glued = parse("SentIMPS421512345102Jyoti Enterp/HDFCX8951/P");
        assert_eq!(glued.mode, Mode::Imps);
        assert_eq!(glued.counterparty.as_deref(), Some("JYOTI ENTERP"));
        // UTRs (letters first) and handles stay whole.
        assert_eq!(unglue_token("HDFCH24134512345"), "HDFCH24134512345");
        assert_eq!(
            parse("UPI/DR/412312345681/NA/YESB/q912345678abc@ybl/UPI")
                .upi_handle
                .as_deref(),
            Some("q912345678abc@ybl")
        );
    }

    #[test]
    fn one_field_neft_and_tax_payments_name_their_payee() {
        // Kotak prints UTR, name and IFSC in one field.
        let kotak = parse("NEFT HDFCH00902111234 KETAN VORA HDFC0000240");
        assert_eq!(kotak.counterparty.as_deref(), Some("KETAN VORA"));
        // A tax paid by net banking is a transfer to the government, not a bank charge.
        let gst = parse("IB TAX PAYMENT-GST-CPIN24071234567890");
        assert_eq!(gst.mode, Mode::Transfer);
        assert_eq!(gst.counterparty.as_deref(), Some("GST"));
        assert_eq!(parse("GST @18% ON ANNUAL FEE").mode, Mode::Charge);
        // The NACH mutual-fund code names nobody.
        assert_eq!(
            parse("NACH-MUT-DR-DSP MUTUAL FUND-DSP1234567")
                .counterparty
                .as_deref(),
            Some("DSP MUTUAL FUND")
        );
    }

    #[test]
    fn federal_upi_rows_carry_the_mcc_and_cut_handles() {
        let row = parse("UPIOUT/421312345002/indianrailwayca318204.rz/4112");
        assert_eq!(row.mode, Mode::Upi);
        assert_eq!(row.mcc, Some(4112));
        assert_eq!(row.upi_handle.as_deref(), Some("indianrailwayca318204.rz"));
        // "0000": the payee has no merchant category.
        assert_eq!(parse("UPI IN/421312345005/ajith.m@okicici/0000").mcc, None);
        // Only Federal's UPI rows end in the code; a reference tail elsewhere is no MCC.
        assert_eq!(parse("UPI/P2A/412312345684/RAVI K/Self/5411").mcc, None);
    }

    /// A handle or rail code broken by a narrow cell and joined with a space is read whole; the
    /// field the counterparty came from is kept for rejoining names.
    #[test]
    fn handles_and_rails_split_by_a_wrapped_cell_are_rejoined() {
        for (note, handle) in [
            (
                "UPI-SWIGGY-swiggy.u pi@icici-ICIC0DC0099-417479856549-UPI",
                "swiggy.upi@icici",
            ),
            (
                "UPI-ZOMATO ONLINE-zomato-ord er@paytm-PYTM0123456-4174798565",
                "zomato-order@paytm",
            ),
            (
                "UPI-AMAZON-amazonupi @apl-UTIB0000100-417479856558-UPI",
                "amazonupi@apl",
            ),
            (
                "UPI-SPOTIFY-spotify@hdfc bank-HDFC0000499-417479856554-UPI",
                "spotify@hdfcbank",
            ),
            (
                "UPI/417479856581/UPI/netflix@ ybl/Yes Bank/ICI1a2b3c4f",
                "netflix@ybl",
            ),
        ] {
            assert_eq!(parse(note).upi_handle.as_deref(), Some(handle), "{note}");
        }
        // Words of a sentence before a handle are no part of it.
        let sentence = parse("UPI/417479856722/paid to ravi@okaxis/Axis Bank/ICI1a2b3c60");
        assert_eq!(sentence.upi_handle.as_deref(), Some("ravi@okaxis"));
        let rail = parse("TO TRANSFER-UP I/DR/417479856608/AMAZON/UTIB/amazon@apl/Order--");
        assert_eq!(rail.mode, Mode::Upi);
        assert_eq!(
            parse("NE FT-UTIBN24136012311-ZOMATO LIMITED-ADS").mode,
            Mode::Neft
        );
        // Two short words that spell no rail stay apart.
        assert_eq!(rejoin_split_rail("TO/UP NO/1".to_string()), "TO/UP NO/1");
        let field = parse("UPI/P2M/417479856530/ZOMA TO LTD/Order/AXIS BANK");
        assert_eq!(field.counterparty.as_deref(), Some("ZOMA LTD"));
        assert_eq!(field.counterparty_field.as_deref(), Some(" ZOMA TO LTD "));
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

    /// The byte loops read a multi-byte character as one separator, as the character loops did,
    /// and a gateway's segment, a counterparty and a clean note come out as before.
    #[test]
    fn normalised_words_treat_other_characters_as_separators() {
        assert_eq!(normalize("café—Zomato  ltd/₹12"), " CAF ZOMATO LTD 12 ");
        assert_eq!(normalize("—"), " ");
        assert_eq!(normalize(""), " ");
        assert_eq!(clean_note("Café—Zomato foods 2025 jan"), "CAF ZOMATO FOODS");
        assert!(is_gateway_segment("Pay via Razorpay"));
        assert!(!is_gateway_segment("Razorpay Zomato"));
        assert_eq!(
            counterparty_words("rahul  kumar.").as_deref(),
            Some("RAHUL KUMAR")
        );
    }

    /// Shapes batch V took from real narrations: a reference's last digits glued to the next word
    /// by a wrap, an account's dotted IFSC address, a handle wrapped before "@" after a
    /// separator and a space, a bank's code glued to "bank", Axis's PUR card code.
    #[test]
    fn wrapped_references_account_addresses_and_glued_bank_codes() {
        assert_eq!(
            unglue_references("SentIMPS52071234567 3MEERA JOSHI".to_string()),
            "Sent IMPS 520712345673 MEERA JOSHI"
        );
        // Digits glued to a word with no reference before stay as printed.
        assert_eq!(
            unglue_references("PLOT 12B SHOP".to_string()),
            "PLOT 12B SHOP"
        );
        let address = parse("UPI/520812345678/P2A/5551234567@HDFC0001234.ifsc.npci/");
        assert_eq!(
            address.upi_handle.as_deref(),
            Some("5551234567@hdfc0001234.ifsc.npci")
        );
        assert_eq!(address.counterparty, None);
        assert_eq!(
            rejoin_wrapped_handle("UPIOUT/520812345679/ flipkartwallet @apl/6540".to_string()),
            "UPIOUT/520812345679/ flipkartwallet@apl/6540"
        );
        assert!(is_bank_segment("AxisBank"));
        assert!(!is_bank_segment("RIVERBANK"));
        assert_eq!(
            detect_mode(" PUR 520812345680 CROMA RETAIL PUNE ", false),
            Mode::Card
        );
        assert!(is_gateway_word("CTRAZORPAY"));
        assert!(!is_gateway_word("SURESHRAZORPAY"));
    }

    #[test]
    fn banks_rail_codes_settle_the_rail_and_name_nobody() {
        for (note, mode, payee) in [
            (
                "IBRTGS/KKBK/SHREE BALAJI AGRO TRA",
                Mode::Rtgs,
                "SHREE BALAJI AGRO TRA",
            ),
            (
                "NEFTO-KRISHNA ENTERPRISES 516012345678",
                Mode::Neft,
                "KRISHNA ENTERPRISES",
            ),
            (
                "RTGSFR:NAVKAR POLYMERS/UBINR52025061812345",
                Mode::Rtgs,
                "NAVKAR POLYMERS",
            ),
            ("NFT/JOSEPH MATHEW", Mode::Neft, "JOSEPH MATHEW"),
            (
                "FTIMPS/IFI/516012345685/ANJU THOMAS/SUPP",
                Mode::Imps,
                "ANJU THOMAS",
            ),
            ("mTFR/516012345692/TARIQ AHMAD", Mode::Imps, "TARIQ AHMAD"),
            (
                "MOB/SELFFT/RAHUL KUMAR SHA/50100123456789",
                Mode::Transfer,
                "RAHUL KUMAR SHA",
            ),
        ] {
            let parsed = parse(note);
            assert_eq!(parsed.mode, mode, "{note}");
            assert_eq!(parsed.counterparty.as_deref(), Some(payee), "{note}");
        }
        assert_eq!(parse("CASHDEP ANDHERI EAST-516912345703").mode, Mode::Cash);
        assert_eq!(parse("CCWD/516912345712/CARDLESS").mode, Mode::Atm);
    }

    #[test]
    fn sbi_account_holders_and_posting_codes_name_their_party() {
        // "<account> OF <name>" on SBI's transfer rows; "OF" inside a bank's name stays.
        let internal = parse("DEP TFR INT TRF FRM 41812346114 TO 10191234734 OF MR SURESH NAIDU");
        assert_eq!(internal.counterparty.as_deref(), Some("SURESH NAIDU"));
        let bank = parse("WDL TFR UPI/DR/512312340301/ANIL/BANK OF BARODA/anil@okaxis/UPI");
        assert_eq!(bank.counterparty.as_deref(), Some("ANIL"));
        // SBI's bulk-credit code and a remittance by cheque name nobody; the company or payee does.
        let dividend = parse("CEMTEX DEP   ACHCr NACH000 00000056295 MAZAGON DOCK S");
        assert_eq!(dividend.mode, Mode::Ach);
        assert_eq!(dividend.counterparty.as_deref(), Some("MAZAGON DOCK S"));
        let cheque =
            parse("REMT THRU CHQ:AT PAR CA CHQ:NEFT HDFC0004015 TGRBN26181234485 VENKYS INDIA LTD");
        assert_eq!(cheque.counterparty.as_deref(), Some("VENKYS INDIA LTD"));
        // An aggregator behind its sponsor's code and a NACH trace number name nobody.
        let mandate = parse("ACHDR/CTLOTUSPAY/FDRL7022912340931/STAN:124971");
        assert_eq!(mandate.counterparty, None);
    }

    #[test]
    fn auto_inside_a_firms_name_stays() {
        let parsed = parse("IMPS-INET/516912345699/0/SUPREME AUTO SPARES");
        assert_eq!(parsed.counterparty.as_deref(), Some("SUPREME AUTO SPARES"));
        let mandate = parse("NACH AUTO DEBIT/BAJAJ FINANCE LTD/4020CD1234567");
        assert_eq!(mandate.counterparty.as_deref(), Some("BAJAJ FINANCE LTD"));
    }

    #[test]
    fn a_handle_printed_without_its_psp_in_the_name_slot_names_the_payee() {
        let parsed = parse("UPI/615212345609/ravikumar1987/SBIN/UPI");
        assert_eq!(parsed.counterparty.as_deref(), Some("ravikumar1987"));
        // A QR code's number is no payee.
        assert_eq!(
            parse("UPI/615212345610/q12345678/SBIN/UPI").counterparty,
            None
        );
    }

    /// Batch AA: a deposit machine's CEMTEX credit is cash, URL-encoded spaces separate words, ICICI's
    /// card fee code is parted from the card's digits, a cashback word glued to an app's name is parted,
    /// IndusInd's biller is read after its category and Kotak's IMPS credit names its remitter only.
    #[test]
    fn batch_aa_shapes_parse() {
        assert_eq!(parse("CEMTEX DEP 00000004413 0 40623").mode, Mode::Cash);
        assert_ne!(
            parse("CEMTEX DEP ACHCr NACH00000000006531 INDIAN RAILWAY").mode,
            Mode::Cash
        );
        assert_ne!(parse("CEMTEX DEP BY SALARY").mode, Mode::Cash);
        assert_eq!(normalize("EXCESS%20REFUND %20416"), " EXCESS REFUND 416 ");
        assert_eq!(unglue_token("DCARDFEE4412APR26"), "DCARDFEE 4412 APR26");
        assert_eq!(unglue_token("HIMCASHBACK"), "HIM CASHBACK");
        assert_eq!(unglue_token("CASHBACK"), "CASHBACK");
        assert_eq!(
            parse("Billpay/175412345678901/Electricity/PVVNL Postpaid")
                .counterparty
                .as_deref(),
            Some("PVVNL POSTPAID")
        );
        assert_eq!(
            parse("Recd:IMPS/526312348883/IDFC IMPS/KKBK/X2170/BankA").counterparty,
            None
        );
        assert_eq!(
            parse("Recd:IMPS/526312348881/ANKIT VERMA/HDFC/X4412/rent share")
                .counterparty
                .as_deref(),
            Some("ANKIT VERMA")
        );
    }
}
