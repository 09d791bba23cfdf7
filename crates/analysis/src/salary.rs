//! Salary detection. A lender reads salary as "one employer pays this person about the same
//! amount about the same time every month", so the narration's word "salary" is only one
//! signal among several. Each decision names its rule:
//!
//! * `keyword` — the narration says salary (rule table R130) or names the pay bill another
//!   way (salary_signals.tsv `pay_phrase`: "PAY AND ALLOWANCES"); its payer's other credits
//!   of a similar amount join it (`keyword_payer`), since employers do not always say salary,
//!   as do a month paid as an advance and the balance, its credits naming a bonus, arrears
//!   or a final settlement, a smaller credit on the pay day in the month before the first
//!   pay or after the last (a month joined or left part-way), and its one other credit in
//!   every month paid, on a steady day (the pay's second part: "SAL MAY25" and "FBP MAY25");
//! * `session_employer` — the narration names an employer the caller gave in
//!   `metadata.employer_names` (legal-form words ignored: "ACME LTD" ~ "ACME LIMITED"; the
//!   last word may be cut at the bank's field width; or its initials as one word, "MLSPL" for
//!   "Meridian Logistics Solutions Pvt Ltd"); a smaller credit alone in the first or
//!   last month is a joiner's or leaver's part-month pay;
//! * `monthly_pattern` — no word at all: one payer that is not a person, or is printed like
//!   one but names the month each credit pays for or sends odd sums varying month to month
//!   over six months (a firm's name cut to two plain words), (names cut at
//!   different widths are one payer; a NEFT/RTGS payer printed by no name but its branch's
//!   IFSC is one payer too, with no employer named) credits, by bank transfer, one similar amount (within
//!   20 % of the median) in each of at least three consecutive pay cycles (two when the
//!   statement is that short), on a consistent day of the month, a working day around the
//!   month end, or any day from the 1st to the 10th (the wage-payment window); a firm that
//!   pays every month in two tranches, or a fixed part and a smaller part on a steady day,
//!   pays both; a month paid as an advance and the balance pays their
//!   total; a quarter of the months (a third from six) may pay more (bonus, arrears) or less
//!   down to half (unpaid leave); the employer's credits that say bonus, incentive, arrears
//!   or a final settlement are pay too, and so is a credit of a whole number of months of a
//!   raise (arrears of a DA increase); a firm's smaller credits in a month without pay next to
//!   or inside the run, a quarter of the pay or more, are a month joined or left part-way, and
//!   the first or last month may fall on another day when three or more others keep the pay
//!   day (a joiner's off-cycle first pay, a leaver's settlement). Credits read as a lender's stay candidates (lenders
//!   employ people; loans are not disbursed monthly). Rent, refunds, interest, pensions and
//!   similar credits named as such never qualify, nor do credits through a money-transfer
//!   service (salary_signals.tsv `passes_on`: a remittance from abroad) unless it names a firm
//!   as the sender (a foreign employer's pay, judged under the firm's name), nor a payer that
//!   names what it pays in some months (rent, a licence fee: `not_salary_payer`); and an
//!   account that is paid by many firms, or by many payers of like sums month after month (a
//!   business's customers), or whose holder is named as a firm, or that pays GST
//!   (`business_tax`: a registered business or professional), gets no pattern salary,
//!   because client receipts look the same;
//! * `employer_second_account` — a monthly pattern in months already paid, from a payer that
//!   shares a distinctive word of its name with the employer paid then (the employer's own
//!   account beside its payroll processor: the variable part of the pay);
//! * `pay_office_extra` — a government pay office (treasury, PAO, DDO) that pays the monthly
//!   salary: its other credits naming nothing else are arrears, bonus or allowances;
//! * `gap_month` — a month inside an employer's run with no salary, where one credit from a
//!   payer that is not a person brings the usual amount (within 5 %) on the usual pay day:
//!   the same pay printed under another name that month;
//! * `unnamed_employer_extra` — pay that names no employer (a bank's bulk salary product)
//!   beside one firm's credits naming a bonus, incentive or arrears: that firm's extras are pay;
//! * `pay_in_arrears` — a firm paying late on no steady day, each credit a whole number (1-3)
//!   of one monthly pay, most of one month, some of several, as many months in all as the
//!   credits span (a health society paying contract staff through PFMS), with its credits
//!   naming an incentive (PBI) or bonus;
//! * `second_job_pattern` — a firm's monthly pattern in months another employer already pays,
//!   naming no pay either, whose sums vary month to month in odd amounts as pay for sessions
//!   or shifts does (two part-time jobs); rent, retainers and family support are fixed or round.
//!
//! Cheques deposited with no drawer printed are one unnamed payer, judged by the pattern only
//! where most of its sums are worked out to the rupee (pay after deductions; rent and gifts
//! come in round thousands). A change of job may share two months between the employers' runs
//! (the old employer paying each month on the first days of the next).

use crate::fraud::is_bank_holiday;
use crate::{EnrichedTransaction, EnrichmentContext, Mode};
use chrono::{Datelike, Months, NaiveDate};
use ledgerlens_statement::model::TransactionType;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

const SALARY_SIGNALS_TSV: &str = include_str!("../data/salary_signals.tsv");

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SalaryReport {
    /// Indices into the enriched transactions, in statement order.
    pub transactions: Vec<usize>,
    pub employer_name: Option<String>,
    /// 0–100.
    pub salary_confidence: Option<f64>,
    /// The rule of the strongest decision: "narration", "employer_name" or "recurring_payer"
    /// (kept for callers of the first version; `decisions` has the detail).
    pub evidence: Option<&'static str>,
    /// One entry per payer whose credits were called salary, with its rule and reason.
    pub decisions: Vec<SalaryDecision>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SalaryDecision {
    /// "keyword", "keyword_payer", "session_employer", "monthly_pattern",
    /// "employer_second_account", "gap_month", "pay_office_extra", "unnamed_employer_extra",
    /// "pay_in_arrears", "second_job_pattern", "weekly_wages", "keyword_payer_pattern",
    /// "cheque_beside_pay", "second_job_round_sums" or "payer_reading".
    pub rule: &'static str,
    pub employer_name: Option<String>,
    /// 0–100.
    pub confidence: f64,
    /// Why, in words a credit analyst can check against the statement.
    pub reason: String,
    pub transactions: Vec<usize>,
}

const MONTH_NAMES: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];

/// Smallest credit treated as a possible salary when no narration says so: below a
/// month's minimum wage a monthly credit is an allowance or a transfer, not pay.
const MIN_INFERRED_SALARY: i64 = 5_000;
/// A pay cycle's amount may differ from the median by this share (increments, arrears).
const AMOUNT_TOLERANCE_PERCENT: i64 = 20;
/// Share of the usual pay, in percent, from which the employer's second credit in a month
/// already paid is a bonus or arrears even with no word for it (see `monthly_pattern`).
const BONUS_SHARE_PERCENT: i64 = 40;
/// Calendar days a pay day may drift (weekends and holidays move it).
const MAX_DAY_SPREAD: i64 = 5;
/// Working days a month-end pay day may drift.
const MAX_WORKING_DAY_SPREAD: i64 = 2;
/// Last day of the month by which wages for the month before must be paid (Payment of Wages
/// Act 1936 s.5: before the 7th or the 10th day after the wage period; Code on Wages 2019
/// s.17: the 7th). Employers that pay "by the 7th" or "by the 10th" pay on any day up to it,
/// so a pay day wandering between the 1st and the 10th is one pay day.
const WAGE_WINDOW_LAST_DAY: u32 = 10;
/// This many distinct firms crediting the account make it a business account, whose
/// client receipts must not be read as pay.
const BUSINESS_FIRM_PAYERS: usize = 5;
/// This many distinct payers (people or firms) crediting the account in RECURRING_PAYER_MONTHS
/// or more months each make it a business's collections account (see `recurring_payers`).
const BUSINESS_RECURRING_PAYERS: usize = 5;
/// Months a payer must credit to count as a recurring payer.
const RECURRING_PAYER_MONTHS: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WordKind {
    Firm,
    /// A government pay office ("TREASURY", "PAO", "DDO", "PCDA"): a firm whose only business
    /// with a person is pay (see `pay_office_extras`).
    PayOffice,
    Suffix,
    Person,
    NotSalary,
    /// Not pay, and names what the payer pays ("RENT", "LICENCE", "ANNUITY"): the payer's
    /// credits that name nothing are the same thing (see `names_what_payer_pays`).
    NotSalaryPayer,
    /// A debit paying GST ("GST PAYMENT", "CPIN"): the account is a registered business's or
    /// professional's (see `pays_gst`).
    BusinessTax,
    /// Not pay ("PAYOUT": a broker's, a platform's weekly payout) unless the word beside it
    /// names a month ("MAY PAYOUT"): an employer's month's payout.
    NotSalaryUnlessMonth,
    /// Pay beyond the monthly salary ("BONUS", "INCENTIVE", "ARREARS"): from the employer it
    /// is pay too.
    PayExtra,
    /// Words that say the credit is pay as "salary" does ("PAY AND ALLOWANCES").
    PayPhrase,
    /// A payroll processor paying employees on their employers' behalf ("RAZORPAYX PAYROLL",
    /// "KEKA PAYOUTS"): its credits are pay, as a pay phrase's, and the name printed after it is
    /// the employer's (see `processor_employer`).
    PayrollProcessor,
    /// A money-transfer service ("WISE PAYMENTS", "REMITLY", "WESTERN UNION"): it passes on
    /// someone else's money (a family remittance from abroad, a client's payment), so its
    /// monthly credits are never an employer's pay unless the narration says salary.
    PassesOn,
    /// A word that makes a payer's name a money-transfer or foreign-exchange business's ("FOREX",
    /// "REMIT"): its credits pass on someone else's money, as [`WordKind::PassesOn`]'s do (see
    /// [`trades_money`]).
    MoneyTrade,
    /// "EXCHANGE": as [`WordKind::MoneyTrade`] unless a [`WordKind::Market`] word comes before it
    /// or "OF" after it (a stock or commodity exchange).
    ExchangeHouse,
    /// A market's word before "EXCHANGE" ("STOCK", "COMMODITY").
    Market,
    /// A gig platform settling its partners' earnings weekly ("BUNDL TECHNOLOGIES", "URBANCLAP"):
    /// income, not an employer's pay, so its weekly credits are never weekly wages.
    GigPlatform,
}

/// Hashed with the tables' word hasher: every word of every credit's narration is looked up
/// here (SipHash's lookups were 6 M instructions of the 114-page bench statement).
fn signal_words() -> &'static crate::tables::WordMap<&'static str, WordKind> {
    static WORDS: OnceLock<crate::tables::WordMap<&'static str, WordKind>> = OnceLock::new();
    WORDS.get_or_init(|| {
        crate::tables::rows("salary_signals", SALARY_SIGNALS_TSV, 2)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|(_, fields)| {
                let kind = match fields[1] {
                    "firm" => WordKind::Firm,
                    "pay_office" => WordKind::PayOffice,
                    "not_salary_unless_month" => WordKind::NotSalaryUnlessMonth,
                    "suffix" => WordKind::Suffix,
                    "person" => WordKind::Person,
                    "not_salary" => WordKind::NotSalary,
                    "not_salary_payer" => WordKind::NotSalaryPayer,
                    "business_tax" => WordKind::BusinessTax,
                    "pay_extra" => WordKind::PayExtra,
                    "pay_phrase" => WordKind::PayPhrase,
                    "passes_on" => WordKind::PassesOn,
                    "gig_platform" => WordKind::GigPlatform,
                    "money_trade" => WordKind::MoneyTrade,
                    "exchange_house" => WordKind::ExchangeHouse,
                    "market" => WordKind::Market,
                    "payroll_processor" => WordKind::PayrollProcessor,
                    _ => return None,
                };
                Some((fields[0], kind))
            })
            .collect()
    })
}

fn kind_of(word: &str) -> Option<WordKind> {
    signal_words().get(word).copied()
}

/// An organisation word: a firm's, or a government pay office's.
fn is_firm_kind(kind: WordKind) -> bool {
    matches!(kind, WordKind::Firm | WordKind::PayOffice)
}

/// Who a payer looks like from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PayerKind {
    Firm,
    Person,
    Unknown,
}

/// A name printed the way firms name themselves (an organisation word, a legal form, a firm word
/// cut at the field's width or glued): the holder of a business account.
pub(crate) fn reads_as_firm(name: &str) -> bool {
    payer_kind(name) == PayerKind::Firm
}

fn payer_kind(name: &str) -> PayerKind {
    let normalized = crate::narration::normalize(name);
    let words: Vec<&str> = normalized.split_whitespace().collect();
    if words.iter().any(|word| {
        matches!(
            kind_of(word),
            Some(WordKind::Firm | WordKind::PayOffice | WordKind::Suffix)
        ) && word.len() > 1
    }) || ends_in_cut_firm_word(&normalized, &words)
        || words.iter().any(|word| glues_a_firm_word(word))
    {
        return PayerKind::Firm;
    }
    if words
        .iter()
        .any(|word| kind_of(word) == Some(WordKind::Person))
    {
        return PayerKind::Person;
    }
    let alphabetic = words
        .iter()
        .all(|word| word.chars().all(|c| c.is_ascii_alphabetic()));
    // Two to four plain words ("RAMESH KUMAR", "A K SHARMA") are how banks print people.
    if alphabetic && (2..=4).contains(&words.len()) {
        PayerKind::Person
    } else {
        PayerKind::Unknown
    }
}

/// Shortest cheque number as banks print it in a deposit's narration.
const MIN_CHEQUE_NUMBER_DIGITS: usize = 6;

/// The drawer of a deposited cheque, when the bank prints it after the cheque's number and
/// before the drawee bank ("BY CLG 000341 JOSHI KELKAR ASSO HDFC BANK": a firm paying its
/// staff by cheque; issue 10 salary set K), read only where it is a firm's name and the
/// narration grammar named no counterparty.
fn cheque_drawer(txn: &EnrichedTransaction) -> Option<String> {
    if txn.mode != Mode::Cheque || txn.counterparty.is_some() {
        return None;
    }
    let words: Vec<&str> = txn.normalized_note.split_whitespace().collect();
    let number = words.iter().position(|word| {
        word.len() >= MIN_CHEQUE_NUMBER_DIGITS && word.bytes().all(|b| b.is_ascii_digit())
    })?;
    let mut name: Vec<&str> = words[number + 1..]
        .iter()
        .copied()
        .take_while(|word| !word.bytes().any(|b| b.is_ascii_digit()))
        .collect();
    // The drawee bank closes the narration: "HDFC BANK", "BANK OF BARODA".
    if let Some(bank) = name.iter().position(|word| *word == "BANK") {
        name.truncate(bank.saturating_sub(1));
    }
    let name = name.join(" ");
    (payer_kind(&name) == PayerKind::Firm).then_some(name)
}

/// Shortest printed name taken to be cut at a bank's field width (banks cut at 14-35).
const MIN_CUT_NAME_LENGTH: usize = 14;

/// A name as long as a bank's field whose last word starts an organisation word
/// ("BLUE RIDGE LOGIST", "SAPTAGIRI ENGI"): the field cut a firm's name.
fn ends_in_cut_firm_word(normalized: &str, words: &[&str]) -> bool {
    let Some(last) = words.last() else {
        return false;
    };
    normalized.trim().len() >= MIN_CUT_NAME_LENGTH
        && last.len() >= 4
        && firm_words()
            .firm_or_suffix
            .iter()
            .any(|word| word.len() > last.len() && word.starts_with(last))
}

/// Shortest organisation word read at the end of a longer word: shorter ones ("SONS",
/// "MILL", "TRUST") end too many people's names.
const MIN_GLUED_FIRM_WORD: usize = 6;

/// A word that ends in an organisation word glued to what comes before it
/// ("INFOSOLUTIONS", "NETSYSTEMS", "AGROINDUSTRIES"): firms name themselves so; people do not.
fn glues_a_firm_word(word: &str) -> bool {
    firm_words()
        .glued
        .iter()
        .any(|firm_word| word.len() >= firm_word.len() + 2 && word.ends_with(firm_word))
}

/// The words of [`signal_words`] the firm checks compare a name's words with, listed once:
/// going through the whole table (every kind) for every word of every payer's name was most of
/// `payer_kind`'s cost (~10 M instructions of the 114-page bench statement).
struct FirmWords {
    /// Organisation words (firm, pay office).
    firm: Vec<&'static str>,
    /// Organisation words and legal-form suffixes.
    firm_or_suffix: Vec<&'static str>,
    /// Organisation words long enough to be read glued to the end of a word.
    glued: Vec<&'static str>,
}

fn firm_words() -> &'static FirmWords {
    static WORDS: OnceLock<FirmWords> = OnceLock::new();
    WORDS.get_or_init(|| {
        let of = |keep: &dyn Fn(&str, WordKind) -> bool| -> Vec<&'static str> {
            signal_words()
                .iter()
                .filter(|(word, kind)| keep(word, **kind))
                .map(|(word, _)| *word)
                .collect()
        };
        FirmWords {
            firm: of(&|_, kind| is_firm_kind(kind)),
            firm_or_suffix: of(&|_, kind| is_firm_kind(kind) || kind == WordKind::Suffix),
            glued: of(&|word, kind| is_firm_kind(kind) && word.len() >= MIN_GLUED_FIRM_WORD),
        }
    })
}

/// The payer's words as printed, with legal-form words, numbers and months dropped (at most
/// three): what a session's employer name is looked for in a narration.
fn payer_words(name: &str) -> Vec<String> {
    let normalized = crate::narration::normalize(name);
    // Words after the legal form that closes a firm's name are the narration's note.
    let mut closed = false;
    let mut named = false;
    normalized
        .split_whitespace()
        .take_while(|word| {
            if closed && kind_of(word) != Some(WordKind::Suffix) {
                return false;
            }
            if named && CLOSING_LEGAL_FORMS.contains(word) {
                closed = true;
            }
            named |= kind_of(word) != Some(WordKind::Suffix);
            true
        })
        .filter(|word| kind_of(word) != Some(WordKind::Suffix))
        .filter(|word| word.chars().any(|c| c.is_ascii_alphabetic()))
        .filter(|word| !word.chars().any(|c| c.is_ascii_digit()))
        .filter(|word| !matches!(*word, "SALARY" | "SAL" | "NEFT" | "IMPS" | "RTGS"))
        .filter(|word| !MONTH_NAMES.contains(word))
        .take(3)
        .map(str::to_string)
        .collect()
}

/// The payer's name with legal-form words, numbers and months dropped, so spellings of
/// one firm compare equal; at most three words (banks truncate long names differently).
/// Banks also cut a long name at their field width, at different widths from one month to
/// the next ("… HOSPITA", "… HOS", "… HOSPITAL"): a last word that is an organisation word
/// or the start of one is compared by its first three letters only.
fn payer_key(name: &str) -> Option<String> {
    let mut key = payer_words(name);
    if key.len() >= 2 {
        if let Some(last) = key.last_mut() {
            let starts_firm_word = last.len() >= 3
                && firm_words()
                    .firm
                    .iter()
                    .any(|firm_word| firm_word.starts_with(last.as_str()));
            if starts_firm_word {
                last.truncate(3);
            }
        }
    }
    (!key.is_empty()).then(|| key.join(" "))
}

/// The pay phrase the narration prints ("PAY AND ALLOWANCES"), if any.
fn pay_phrase(txn: &EnrichedTransaction) -> Option<&'static str> {
    pay_phrases()
        .iter()
        .find(|(_, padded)| txn.normalized_note.contains(padded.as_str()))
        .map(|(phrase, _)| *phrase)
}

/// The pay phrases of [`signal_words`] in its order, each with the spaces that make it match
/// whole words: built once, not one padded copy per phrase per row.
fn pay_phrases() -> &'static [(&'static str, String)] {
    static PHRASES: OnceLock<Vec<(&'static str, String)>> = OnceLock::new();
    PHRASES.get_or_init(|| {
        let mut phrases = padded_phrases(WordKind::PayPhrase);
        phrases.extend(processor_phrases().iter().cloned());
        phrases
    })
}

/// The payroll processors of [`signal_words`], padded as [`pay_phrases`] are.
fn processor_phrases() -> &'static [(&'static str, String)] {
    static PHRASES: OnceLock<Vec<(&'static str, String)>> = OnceLock::new();
    PHRASES.get_or_init(|| padded_phrases(WordKind::PayrollProcessor))
}

/// Most words of an employer's name read after a payroll processor's.
const MAX_PROCESSOR_EMPLOYER_WORDS: usize = 5;

/// The employer a payroll processor's credit names after the processor's own name
/// ("RAZORPAYX PAYROLL QUILLBYTE LABS PVT LTD" names QUILLBYTE LABS PVT LTD): the processor's
/// legal-form words skipped, the name up to its own legal form, no reference numbers, read as a
/// firm. None when no firm follows (ADP's credit names only ADP, or the holder).
fn processor_employer(txn: &EnrichedTransaction) -> Option<String> {
    let note = txn.normalized_note.as_str();
    let (at, padded) = processor_phrases()
        .iter()
        .filter_map(|(_, padded)| note.find(padded.as_str()).map(|at| (at, padded)))
        .min_by_key(|(at, _)| *at)?;
    let after = note.get(at + padded.len()..)?;
    let mut words = after
        .split_whitespace()
        .skip_while(|word| kind_of(word) == Some(WordKind::Suffix))
        .peekable();
    let mut name: Vec<&str> = Vec::new();
    while let Some(word) = words.next() {
        if word.bytes().any(|b| b.is_ascii_digit()) || name.len() == MAX_PROCESSOR_EMPLOYER_WORDS {
            break;
        }
        name.push(word);
        let legal_form_ends = kind_of(word) == Some(WordKind::Suffix)
            && words
                .peek()
                .is_none_or(|next| kind_of(next) != Some(WordKind::Suffix));
        if legal_form_ends {
            break;
        }
    }
    // Only a firm's name: after the processor's name banks also print the beneficiary (the
    // holder: "RAZORPAYX PAYROLL-RAHUL SHARMA") or a note ("NA").
    let named = name
        .iter()
        .any(|word| kind_of(word) != Some(WordKind::Suffix) && word.len() > 1);
    let name = name.join(" ");
    (named && payer_kind(&name) == PayerKind::Firm).then_some(name)
}

/// The money-transfer services of [`signal_words`], padded as [`pay_phrases`] are.
fn passes_on_phrases() -> &'static [(&'static str, String)] {
    static PHRASES: OnceLock<Vec<(&'static str, String)>> = OnceLock::new();
    PHRASES.get_or_init(|| padded_phrases(WordKind::PassesOn))
}

fn padded_phrases(wanted: WordKind) -> Vec<(&'static str, String)> {
    signal_words()
        .iter()
        .filter(|(_, kind)| **kind == wanted)
        .map(|(phrase, _)| (*phrase, format!(" {phrase} ")))
        .collect()
}

/// The gig platforms of [`signal_words`], padded as [`pay_phrases`] are.
fn gig_platform_phrases() -> &'static [(&'static str, String)] {
    static PHRASES: OnceLock<Vec<(&'static str, String)>> = OnceLock::new();
    PHRASES.get_or_init(|| padded_phrases(WordKind::GigPlatform))
}

/// The gig platform a credit names, if any (see [`WordKind::GigPlatform`]).
fn gig_platform(txn: &EnrichedTransaction) -> Option<&'static str> {
    let note = format!(" {} ", txn.normalized_note);
    gig_platform_phrases()
        .iter()
        .find(|(_, padded)| note.contains(padded.as_str()))
        .map(|(phrase, _)| *phrase)
}

/// The credit comes through a money-transfer service (see [`WordKind::PassesOn`]), named by a
/// phrase or by its name's shape (see [`trades_money`]).
fn passed_on(txn: &EnrichedTransaction) -> bool {
    names_passes_on_phrase(&txn.normalized_note)
        || txn.counterparty.as_deref().is_some_and(trades_money)
}

/// A money-transfer service's phrase printed in a normalised narration (see [`WordKind::PassesOn`]).
pub(crate) fn names_passes_on_phrase(normalized: &str) -> bool {
    // As `contains(padded)` for each phrase of `passes_on_phrases`, looked up by word.
    static PHRASES: OnceLock<crate::tables::SpacedWords> = OnceLock::new();
    static WORDS: OnceLock<Vec<&'static str>> = OnceLock::new();
    PHRASES
        .get_or_init(|| {
            crate::tables::SpacedWords::new(WORDS.get_or_init(|| {
                passes_on_phrases()
                    .iter()
                    .map(|(phrase, _)| *phrase)
                    .collect()
            }))
        })
        .first_held(normalized)
        .is_some()
}

/// Salary sets R and S, batch AP: a payer's name that says it is a money-transfer or
/// foreign-exchange business by its words, not by a list of names: "... FOREX PVT LTD", "... REMIT",
/// "UAE EXCHANGE AND FINANCIAL SERVICES LTD", "AL ANSARI EXCHANGE LLC" ([`WordKind::MoneyTrade`],
/// [`WordKind::ExchangeHouse`] unless a stock or commodity market's: "NATIONAL STOCK EXCHANGE",
/// "MULTI COMMODITY EXCHANGE OF INDIA"). Such a firm's monthly credit to a person is a remittance
/// it passes on (family abroad), not its pay, unless the narration says salary.
pub(crate) fn trades_money(name: &str) -> bool {
    let normalized = crate::narration::normalize(name);
    let words: Vec<&str> = normalized.split_whitespace().collect();
    words
        .iter()
        .enumerate()
        .any(|(at, word)| match kind_of(word) {
            Some(WordKind::MoneyTrade) => true,
            Some(WordKind::ExchangeHouse) => {
                let market_before = at
                    .checked_sub(1)
                    .is_some_and(|before| kind_of(words[before]) == Some(WordKind::Market));
                let of_after = words.get(at + 1) == Some(&"OF");
                !market_before && !of_after
            }
            _ => false,
        })
}

/// The firm a money-transfer service's credit names as its sender after the service's name
/// ("WISE PAYMENTS LIMITED/HELIOGRAPH INC": a foreign employer paying through the service): the
/// service's own legal-form words skipped, the sender's name up to its own legal form, at most
/// four words. None when the sender reads as a person (family abroad, a friend), is a bank, or
/// nothing follows: such credits stay passed-on money.
fn passed_on_firm_sender(txn: &EnrichedTransaction) -> Option<String> {
    let note = txn.normalized_note.as_str();
    let at = passes_on_phrases()
        .iter()
        .find_map(|(_, padded)| note.find(padded.as_str()).map(|at| at + padded.len()))?;
    let mut name: Vec<&str> = Vec::new();
    for word in note[at..]
        .split_whitespace()
        .skip_while(|word| kind_of(word) == Some(WordKind::Suffix))
    {
        if word.chars().any(|c| c.is_ascii_digit()) {
            break;
        }
        name.push(word);
        if CLOSING_LEGAL_FORMS.contains(&word) || name.len() == 4 {
            break;
        }
    }
    // Salary set R: words continuing the service's own name ("UNIMONI FINANCIAL SERVICES
    // LTD", "... EXCHANGE AND FINANCIAL SERVICES LTD") name no sender: they open with AND, & or
    // FINANCIAL, or hold no word of their own (organisation and legal-form words only).
    let continues_service = name
        .first()
        .is_some_and(|word| matches!(*word, "AND" | "&" | "FINANCIAL"));
    let own_word = !continues_service
        && name
            .iter()
            .any(|word| !matches!(kind_of(word), Some(WordKind::Suffix | WordKind::Firm)));
    let name = name.join(" ");
    (own_word
        && payer_kind(&name) == PayerKind::Firm
        && !name.split(' ').any(|word| word == "BANK"))
    .then_some(name)
}

/// Legal-form words that end a firm's name: words printed after them are the narration's note
/// ("HALCYON RETAIL PVT LTD ANNUAL BONUS FY25" is HALCYON RETAIL's bonus).
const CLOSING_LEGAL_FORMS: &[&str] = &[
    "PVT", "PRIVATE", "PRIV", "LTD", "LIMITED", "LIMI", "LLP", "INC", "OPC",
];

/// Batch AN (rules.tsv R136): a credit that reads as pay from its payer's shape alone: the
/// payer's name is a public limited company's ([`PUBLIC_COMPANY_FORMS`]: "KAJARIA CERAMICS
/// LIMITED", "SUPREME INDUSTRIES LTD"; no [`PRIVATE_FIRM_FORMS`]), the sum is pay-sized (at least
/// [`MIN_INFERRED_SALARY`]) and the narration names nothing else the credit is (see
/// [`text_says_not_salary`]). A private company, an LLP or a firm word alone ("STEEL
/// CORPORATION", "AGRO EXPORTS") pays clients, landlords and suppliers as often as staff and is
/// left to the statement's pattern (earlier batches label such rows transfers).
///
/// Batch AP, salary sets Q and S: a bank is such a company, with or without its legal form (a
/// public sector bank is a statutory body: "UNION BANK OF INDIA", "CANARA BANK"): a bank printed as
/// the remitter pays its officer (the narration grammar reads a bank as the payer only where it is
/// printed before any other name: `narration::bank_printed_first`). A money-transfer firm ([`trades_money`],
/// salary_signals.tsv `passes_on`) passes on someone else's money and is no employer by its shape.
pub(crate) fn company_pay_reading(payer: &str, amount: Decimal, normalized: &str) -> bool {
    let payer = crate::narration::normalize(payer);
    let words: Vec<&str> = payer.split_whitespace().collect();
    amount >= Decimal::new(MIN_INFERRED_SALARY, 0)
        && (words
            .iter()
            .skip(1)
            .any(|word| PUBLIC_COMPANY_FORMS.contains(word))
            || crate::narration::names_a_bank(&words, PUBLIC_COMPANY_FORMS))
        && !words.iter().any(|word| PRIVATE_FIRM_FORMS.contains(word))
        && !trades_money(&payer)
        && !names_passes_on_phrase(normalized)
        && !text_says_not_salary(normalized)
}

/// Legal forms of a public limited company: "LIMITED" with no "PRIVATE" before it.
const PUBLIC_COMPANY_FORMS: &[&str] = &["LTD", "LIMITED", "LIMI"];

/// Legal forms of a private company, a partnership or a foreign firm: such firms pay people as
/// clients, landlords and suppliers as often as employees (see [`company_pay_reading`]).
const PRIVATE_FIRM_FORMS: &[&str] = &["PVT", "PRIVATE", "PRIV", "LLP", "INC", "OPC"];

/// Batch AN: a word that says what a credit is (a pay extra, a not-salary word, the salary
/// word itself): printed after a company's legal form in one field, it is the note, not the name
/// (see `narration::counterparty_words`).
pub(crate) fn is_pay_note_word(word: &str) -> bool {
    matches!(
        kind_of(word),
        Some(WordKind::PayExtra | WordKind::NotSalary | WordKind::NotSalaryPayer)
    ) || matches!(word, "SALARY" | "SAL" | "REIMB" | "REIMBURSEMENT")
}

/// Names what the payer pays ("LICENCE FEE", "RENT"): see [`WordKind::NotSalaryPayer`].
fn names_what_payer_pays(txn: &EnrichedTransaction) -> bool {
    txn.normalized_note
        .split_whitespace()
        .any(|word| kind_of(word) == Some(WordKind::NotSalaryPayer))
}

/// Fewest months with a GST payment that make the account a registered business's: quarterly
/// filers pay four times a year.
const MIN_GST_MONTHS: usize = 2;

/// The account pays GST (salary_signals.tsv `business_tax`) in MIN_GST_MONTHS or more months:
/// only a registered business or professional does, so its clients' steady monthly credits
/// are fees, not pay (issue 10 salary set J: a GST-registered designer's client LLP).
/// Returns the GST the account paid over the statement, or None when it pays none in
/// MIN_GST_MONTHS months.
fn pays_gst(transactions: &[EnrichedTransaction]) -> Option<Decimal> {
    static PHRASES: OnceLock<Vec<(&'static str, String)>> = OnceLock::new();
    let phrases = PHRASES.get_or_init(|| padded_phrases(WordKind::BusinessTax));
    let payments: Vec<&EnrichedTransaction> = transactions
        .iter()
        .filter(|txn| txn.transaction.transaction_type == TransactionType::Debit)
        .filter(|txn| {
            phrases
                .iter()
                .any(|(_, padded)| txn.normalized_note.contains(padded.as_str()))
        })
        .collect();
    let months = payments
        .iter()
        .map(|txn| month_of(txn))
        .collect::<BTreeSet<_>>()
        .len();
    (months >= MIN_GST_MONTHS).then(|| {
        payments
            .iter()
            .map(|txn| txn.transaction.amount)
            .sum::<Decimal>()
    })
}

/// Fewest monthly credits of one fixed sum that make a firm's credits fixed pay (see [`fixed_pay`]).
const MIN_FIXED_PAY_MONTHS: usize = 6;

/// True when a firm pays one fixed sum month after month, raised at most once (the same
/// 78,400 for three months, then 84,650 for nine): fixed pay. Customers' monthly bills vary with
/// what they bought (a co-working firm's lunch bill, set I), and an account that many customers
/// pay regularly is a business's, except for such a payer: the holder's employer beside her side
/// business (issue 10 salary set K). Each sum is one credit a month; the lower sum's months all
/// come before the higher's; together they are MIN_FIXED_PAY_MONTHS or more credits and at least
/// three quarters of the payer's credits of MIN_INFERRED_SALARY or more (a bonus month may add one).
fn fixed_pay(transactions: &[EnrichedTransaction], indices: &[usize]) -> bool {
    let firm = employer_for(transactions, indices)
        .is_some_and(|name| payer_kind(&name) == PayerKind::Firm);
    let mut sized: Vec<usize> = indices
        .iter()
        .copied()
        .filter(|&index| {
            transactions[index].transaction.amount >= Decimal::new(MIN_INFERRED_SALARY, 0)
        })
        .collect();
    sized.sort_by_key(|&index| transactions[index].transaction.date);
    let mut by_sum: BTreeMap<Decimal, Vec<usize>> = BTreeMap::new();
    for &index in &sized {
        by_sum
            .entry(transactions[index].transaction.amount.normalize())
            .or_default()
            .push(index);
    }
    let mut sums: Vec<(Decimal, Vec<usize>)> = by_sum.into_iter().collect();
    sums.sort_by_key(|(_, rows)| std::cmp::Reverse(rows.len()));
    sums.truncate(2);
    let fixed: Vec<usize> = sums.iter().flat_map(|(_, rows)| rows.clone()).collect();
    let one_a_month = |rows: &[usize]| {
        let months: BTreeSet<(i32, u32)> = rows
            .iter()
            .map(|&index| month_of(&transactions[index]))
            .collect();
        months.len() == rows.len()
    };
    let raised_once = match sums.as_slice() {
        [(_, rows)] => one_a_month(rows),
        [(first, first_rows), (second, second_rows)] => {
            let (low, high) = if first < second {
                (first_rows, second_rows)
            } else {
                (second_rows, first_rows)
            };
            let last_low = low
                .iter()
                .map(|&index| transactions[index].transaction.date)
                .max();
            let first_high = high
                .iter()
                .map(|&index| transactions[index].transaction.date)
                .min();
            one_a_month(&fixed) && last_low < first_high
        }
        _ => false,
    };
    firm && raised_once && fixed.len() >= MIN_FIXED_PAY_MONTHS && fixed.len() * 4 >= sized.len() * 3
}

/// GST paid below this share (percent) of a payer's credits cannot be the GST on them: the
/// lowest rate on services is 5 % of the fee (a fee of 1,05,000 carries 5,000). A payer whose
/// credits the GST paid could not cover is no client of the registered business but pays the
/// holder otherwise: a salaried holder's employer beside her GST-registered side business
/// (issue 10 salary set K). A client's fees carry 15 % of the sum received at 18 % (set J).
const GST_COVER_PERCENT: i64 = 4;

/// True when the GST the account paid could be the GST on `indices`' credits.
fn gst_covers(transactions: &[EnrichedTransaction], indices: &[usize], gst: Decimal) -> bool {
    let received: Decimal = indices
        .iter()
        .map(|&index| transactions[index].transaction.amount)
        .sum();
    gst * Decimal::ONE_HUNDRED >= received * Decimal::from(GST_COVER_PERCENT)
}

/// Salary set S: a money-transfer firm named as the payer (see [`passed_on`]) whose credits in
/// other months say salary employs the holder (its counter staff): its other credits are judged as
/// any keyword payer's, not as remittances it passes on.
fn money_trade_employer(txn: &EnrichedTransaction, keyword_payers: &BTreeSet<String>) -> bool {
    passed_on(txn)
        && passed_on_firm_sender(txn).is_none()
        && !text_says_not_salary(&txn.normalized_note)
        && txn
            .counterparty
            .as_deref()
            .and_then(payer_key)
            .is_some_and(|key| keyword_payers.contains(&key))
}

fn says_not_salary(txn: &EnrichedTransaction) -> bool {
    if passed_on(txn) && passed_on_firm_sender(txn).is_none() {
        return true;
    }
    text_says_not_salary(&txn.normalized_note)
}

/// Whether a normalised narration says what a credit is and it is not pay (salary_signals.tsv
/// `not_salary`, `not_salary_payer`, `not_salary_unless_month` without a month beside it: "REIMB",
/// "INVOICE", "REFUND"); a pay-extra word anywhere ("BONUS", "ARREARS") overrules them.
pub(crate) fn text_says_not_salary(normalized: &str) -> bool {
    // One pass over the words: a pay-extra word anywhere overrules a not-salary word.
    let mut not_salary = false;
    let mut previous: Option<&str> = None;
    let mut words = normalized.split_whitespace().peekable();
    while let Some(word) = words.next() {
        match kind_of(word) {
            Some(WordKind::PayExtra) => return false,
            Some(WordKind::NotSalary | WordKind::NotSalaryPayer) => not_salary = true,
            // "MAY PAYOUT", "PAYOUT FOR MAY": the month's pay, not a platform's payout.
            Some(WordKind::NotSalaryUnlessMonth) => {
                let next = words.peek().copied();
                let after_for = (next == Some("FOR"))
                    .then(|| words.clone().nth(1))
                    .flatten();
                if ![previous, next, after_for]
                    .into_iter()
                    .flatten()
                    .any(is_month_word)
                {
                    not_salary = true;
                }
            }
            _ => {}
        }
        previous = Some(word);
    }
    not_salary
}

/// A month's name, short ("MAY") or full ("JANUARY").
fn is_month_word(word: &str) -> bool {
    MONTH_NAMES.contains(&word) || full_month_name(word)
}

/// The narration names pay beyond the monthly salary ("BONUS", "ARREARS", "FNF"): such a
/// credit ("FNF SETTLEMENT") is no settlement of a claim, and it joins an employer's salary
/// without shaping its usual amount or day.
fn says_pay_extra(txn: &EnrichedTransaction) -> bool {
    txn.normalized_note
        .split_whitespace()
        .any(|word| kind_of(word) == Some(WordKind::PayExtra))
}

/// Rules that read a bank transfer as pay from its payer alone (data/rules.tsv R133 a known
/// employer, R134 a government pay office, R135 a firm naming a bonus, incentive or arrears, R136
/// an incorporated company's pay-sized credit naming nothing else).
const PAYER_PAY_RULES: &[&str] = &["R133", "R134", "R135", "R136"];

/// The rule that reads a company's pay-sized credit as pay from the payer's shape alone
/// (data/rules.tsv R136; see [`company_pay_reading`]).
const COMPANY_PAY_RULE: &str = "R136";

/// The rule a credit was read by, with a payer-alone pay reading (see [`PAYER_PAY_RULES`]) taken
/// as the plain transfer it is on the statement (R310): a pay office's months read both ways are
/// one employer's credits.
fn plain_transfer_reading(rule: &str) -> &str {
    if PAYER_PAY_RULES.contains(&rule) {
        "R310"
    } else {
        rule
    }
}

/// Rules that read a credit by its payer alone (data/rules.tsv): a company's ACH credit as a
/// dividend (R303), a credit from a tax authority as a refund (R111). Some employers pay by
/// the same ACH credit, and the tax department's own pay office ("PAO CBDT") pays its staff;
/// a dividend or a refund never recurs monthly at a stable amount, so such credits stay pay
/// candidates and only the pattern can make them salary.
const PAYER_ONLY_CREDIT_RULES: &[&str] = &["R303", "R111"];

/// Channels a pay credit can arrive on; everything else (refunds, interest, investment
/// income, own-account transfers, cash, cheque bounces) was already explained otherwise.
fn channel_can_be_pay(txn: &EnrichedTransaction) -> bool {
    (matches!(
        txn.transaction_channel.as_str(),
        "net_banking_transfer" | "upi" | "auto_credit" | "Others" | "salary" | "chq"
    ) || PAYER_ONLY_CREDIT_RULES.contains(&txn.rule_id.as_str()))
        && txn.lender.is_none()
        && txn.description != "lender_transaction"
}

/// A credit the categoriser read as a lender's (a loan disbursal from a name like
/// "... FINSERV"): lenders employ people too, and a loan is not disbursed in one similar
/// amount every month, so such credits stay candidates for the monthly pattern only.
fn lender_credit_on_a_pay_rail(txn: &EnrichedTransaction) -> bool {
    (txn.lender.is_some() || txn.description == "lender_transaction")
        && txn.transaction_channel == "net_banking_transfer"
}

fn is_credit(txn: &EnrichedTransaction) -> bool {
    txn.transaction.transaction_type == TransactionType::Credit
}

pub fn detect(
    transactions: &mut [EnrichedTransaction],
    context: &EnrichmentContext,
) -> SalaryReport {
    // A firm named as the sender of a money-transfer service's credit is its payer (see
    // `passed_on_firm_sender`): the credit is judged under that firm's name, and the
    // counterparty as read is put back before returning.
    let senders: Vec<(usize, Option<String>)> = transactions
        .iter_mut()
        .enumerate()
        .filter(|(_, txn)| is_credit(txn) && passed_on(txn))
        .filter_map(|(index, txn)| {
            let sender = passed_on_firm_sender(txn)?;
            Some((index, txn.counterparty.replace(sender)))
        })
        .collect();
    // A cheque deposit's drawer, printed after the cheque's number, is its payer where the
    // narration grammar named none (see `cheque_drawer`).
    let drawers: Vec<usize> = transactions
        .iter_mut()
        .enumerate()
        .filter(|(_, txn)| is_credit(txn))
        .filter_map(|(index, txn)| {
            let drawer = cheque_drawer(txn)?;
            txn.counterparty = Some(drawer);
            Some(index)
        })
        .collect();
    let mut report = detect_by_payer(transactions, context);
    for index in drawers {
        transactions[index].counterparty = None;
    }
    for decision in &mut report.decisions {
        if decision
            .transactions
            .iter()
            .any(|index| senders.iter().any(|(sent, _)| sent == index))
        {
            decision.reason.push_str(
                "; paid through a money-transfer service that names the firm as its sender",
            );
        }
    }
    for (index, counterparty) in senders {
        transactions[index].counterparty = counterparty;
    }
    report
}

fn detect_by_payer(
    transactions: &mut [EnrichedTransaction],
    context: &EnrichmentContext,
) -> SalaryReport {
    let mut decisions: Vec<SalaryDecision> = Vec::new();
    let mut taken: BTreeSet<usize> = BTreeSet::new();

    let employers: Vec<SessionEmployer> = context
        .employer_names
        .iter()
        .map(|name| SessionEmployer::new(name))
        .filter(|employer| !employer.words.is_empty())
        .collect();
    let session_employer = |indices: &[usize]| {
        indices.iter().find_map(|&index| {
            employers
                .iter()
                .find(|employer| employer.named_in(&transactions[index].normalized_note))
                .map(|employer| employer.name.clone())
        })
    };

    // 1. The narration says salary, or names the pay another way ("PAY AND ALLOWANCES").
    let keyword: Vec<usize> = (0..transactions.len())
        .filter(|&i| {
            let txn = &transactions[i];
            is_credit(txn)
                && (txn.rule_id == "R130" || (channel_can_be_pay(txn) && pay_phrase(txn).is_some()))
        })
        .collect();
    for (key, indices) in group_by_payer(transactions, &keyword) {
        // The caller's spelling of the employer when the narration names it.
        let employer = session_employer(&indices).or_else(|| employer_for(transactions, &indices));
        let months = months_covered(transactions, &indices);
        decisions.push(SalaryDecision {
            rule: "keyword",
            employer_name: employer,
            confidence: 100.0,
            reason: format!(
                "narration says {} ({} credit(s) in {months} month(s){})",
                indices
                    .iter()
                    .find_map(|&index| pay_phrase(&transactions[index]))
                    .unwrap_or("salary"),
                indices.len(),
                key.as_deref()
                    .map(|k| format!(" from {k}"))
                    .unwrap_or_default()
            ),
            transactions: indices.clone(),
        });
        taken.extend(indices);
    }

    // 2. The narration names an employer given with the session.
    let mut by_employer: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (index, txn) in transactions.iter().enumerate() {
        if taken.contains(&index)
            || !is_credit(txn)
            || !channel_can_be_pay(txn)
            || says_not_salary(txn)
        {
            continue;
        }
        if let Some(which) = employers
            .iter()
            .position(|employer| employer.named_in(&txn.normalized_note))
        {
            by_employer.entry(which).or_default().push(index);
        }
    }
    for (which, indices) in by_employer {
        let name = employers.get(which).map(|employer| employer.name.clone());
        let indices = drop_small_extras(transactions, indices);
        let partial = partial_months(transactions, &indices);
        decisions.push(SalaryDecision {
            rule: "session_employer",
            confidence: 100.0,
            reason: format!(
                "narration names the employer given with the session ({}) in {} month(s){}",
                name.as_deref().unwrap_or(""),
                months_covered(transactions, &indices),
                if partial > 0 {
                    format!("; {partial} smaller first or last month (joined or left part-way)")
                } else {
                    String::new()
                }
            ),
            employer_name: name,
            transactions: indices.clone(),
        });
        taken.extend(indices);
    }

    // 3. The pattern: payers grouped, each group judged as a monthly pay.
    let keyword_payers: BTreeSet<String> = decisions
        .iter()
        .filter(|decision| decision.rule == "keyword")
        .flat_map(|decision| decision.transactions.iter())
        .filter_map(|&index| transactions[index].counterparty.as_deref())
        .filter_map(payer_key)
        .collect();
    let candidates: Vec<usize> = (0..transactions.len())
        .filter(|index| !taken.contains(index))
        .filter(|&index| {
            let txn = &transactions[index];
            is_credit(txn)
                && (channel_can_be_pay(txn) || lender_credit_on_a_pay_rail(txn))
                && (!says_not_salary(txn) || money_trade_employer(txn, &keyword_payers))
                && !insurer_credit(txn)
        })
        .collect();
    let groups = group_by_payer(transactions, &candidates);
    // A firm's own account (the holder is named as a firm) receives customers' payments,
    // never a salary, however regular a customer's monthly payment is.
    let holder_is_firm = context
        .names
        .iter()
        .any(|name| payer_kind(name) == PayerKind::Firm);
    // So is an account that many payers credit month after month (a tiffin service's or a
    // tutor's customers paying their monthly bills): a firm's monthly payment there is one
    // more customer's bill.
    // So is an account paying GST: a registered business's or professional's, whose clients'
    // monthly fees look like pay (see `pays_gst`).
    let business = holder_is_firm || firm_payers(transactions, &groups) >= BUSINESS_FIRM_PAYERS;
    // Many regular customers: their business's, unless a firm pays one fixed sum every month
    // (see `fixed_pay`): a salaried holder's side business (a home bakery's customers).
    let collections = recurring_payers(transactions, &groups) >= BUSINESS_RECURRING_PAYERS;
    // GST paid makes a payer's credits a client's fees only where it could be their GST (see
    // `gst_covers`): a salaried holder's side business pays GST on other receipts.
    let gst_paid = pays_gst(transactions);
    // A payer that names what it pays in some months (rent, a licence fee, an annuity) pays the
    // same in the months it names nothing: never a monthly pattern.
    let names_its_payments: BTreeSet<String> = transactions
        .iter()
        .filter(|txn| is_credit(txn) && names_what_payer_pays(txn))
        .filter_map(|txn| txn.counterparty.as_deref().and_then(payer_key))
        .collect();
    let span = statement_cycles(transactions);
    let holder_words = name_words(&context.names);
    let mut patterns: Vec<(SalaryDecision, Decimal)> = Vec::new();
    for (key, indices) in groups {
        let Some(key) = key else { continue };
        // The employer already known from the keyword: its other pay-sized credits are pay.
        if keyword_payers.contains(&key) {
            if let Some(decision) = keyword_payer(transactions, &decisions, &key, &indices) {
                taken.extend(decision.transactions.iter().copied());
                decisions.push(decision);
            }
            if let Some(decision) = keyword_payer_pattern(
                transactions,
                &decisions,
                &key,
                &indices,
                &taken,
                span,
                &holder_words,
            ) {
                taken.extend(decision.transactions.iter().copied());
                decisions.push(decision);
            }
            if let Some(decision) = keyword_payer_wages(transactions, &decisions, &key, &indices) {
                taken.extend(decision.transactions.iter().copied());
                decisions.push(decision);
            }
            if let Some(decision) = keyword_payer_extras(transactions, &decisions, &key, &indices) {
                taken.extend(decision.transactions.iter().copied());
                decisions.push(decision);
            }
            continue;
        }
        if business || names_its_payments.contains(&key) {
            continue;
        }
        if collections && !fixed_pay(transactions, &indices) {
            continue;
        }
        if gst_paid.is_some_and(|gst| gst_covers(transactions, &indices, gst)) {
            continue;
        }
        let found = monthly_pattern(transactions, &indices, span, &holder_words)
            .or_else(|| pay_in_arrears(transactions, &indices))
            .or_else(|| weekly_wages(transactions, &indices))
            .or_else(|| fortnightly_wages(transactions, &indices))
            .or_else(|| round_sum_second_job(transactions, &indices, span));
        if let Some(mut found) = found {
            if collections {
                found.0.reason.push_str(
                    "; many regular payers credit the account (a business's customers), but this firm pays one fixed sum a month, raised at most once: fixed pay",
                );
            }
            if gst_paid.is_some() {
                found.0.reason.push_str(
                    "; the account pays GST, but less than its lowest rate on this payer's credits: they are no client's fees",
                );
            }
            patterns.push(found);
        }
    }
    // The strongest pattern wins its months; a second payer is only another salary when
    // its months do not overlap (a change of job), since two "salaries" at once are more
    // likely rent or a retainer.
    patterns.sort_by(|a, b| {
        b.0.confidence
            .total_cmp(&a.0.confidence)
            .then(b.1.cmp(&a.1))
    });
    let mut salary_months: BTreeSet<(i32, u32)> = decisions
        .iter()
        .flat_map(|decision| decision.transactions.iter())
        .map(|&index| month_of(&transactions[index]))
        .collect();
    // The months paid by credits that say they are pay (the word, a pay bill, a payroll
    // processor) or name the caller's employer: a second employer's pattern may share them.
    let said_months = salary_months.clone();
    for (mut decision, _) in patterns {
        // The months of its pay; a credit naming a bonus or a final settlement may come in the
        // next employer's months (a leaver's settlement weeks after the last pay).
        let months: BTreeSet<(i32, u32)> = decision
            .transactions
            .iter()
            .filter(|&&index| !says_pay_extra(&transactions[index]))
            .map(|&index| month_of(&transactions[index]))
            .collect();
        if decision.rule == ROUND_SUM_SECOND_JOB_RULE {
            // Round sums are a second job's pay only beside pay already found in its months;
            // alone they are as much a client's or a relative's.
            if !months.is_disjoint(&salary_months) {
                salary_months.extend(months);
                decisions.push(decision);
            }
            continue;
        }
        if months.is_disjoint(&salary_months) {
            salary_months.extend(months);
            decisions.push(decision);
        } else if second_employer_at_once(
            transactions,
            &decision,
            &months,
            &salary_months,
            &said_months,
        ) {
            // Two jobs at once: the pay the narration names and a firm's monthly credits that vary
            // as pay does (a nurse's hospital beside a lab paying her weekend shifts).
            decision.reason.push_str(
                "; a second employer at once: its months are also paid by credits that say they are pay, and its sums vary month to month in odd amounts as pay does (rent, a lease or a retainer is fixed)",
            );
            salary_months.extend(months);
            decisions.push(decision);
        } else if let Some(month) = handover_month(&months, &salary_months) {
            // A change of job: the old employer's last pay (a final settlement) and the next
            // employer's first in one month.
            decision.reason.push_str(&format!(
                "; its {} month {}-{:02} is the {} employer's {} (a change of job)",
                if months.last() == Some(&month) {
                    "last"
                } else {
                    "first"
                },
                month.0,
                month.1,
                if months.last() == Some(&month) {
                    "next"
                } else {
                    "previous"
                },
                if months.last() == Some(&month) {
                    "first"
                } else {
                    "last"
                },
            ));
            salary_months.extend(months);
            decisions.push(decision);
        } else if let Some((word, other)) = same_employer_as(&decision, &decisions, &holder_words) {
            // The same employer paying a second part of the pay from its own account beside
            // its payroll processor or payroll bank (RAZORPAYX PAYROLL KESTREL at the month
            // end, KESTREL LOGISTICS PVT LTD's variable pay on the 7th).
            decision.rule = "employer_second_account";
            decision.confidence = (decision.confidence - 10.0).max(50.0);
            decision.reason = format!(
                "a second monthly pay from the employer's own account: the payer shares the name {word} with the employer {other} paid in the same months; {}",
                decision.reason
            );
            salary_months.extend(months);
            decisions.push(decision);
        } else if second_job_by_pattern(transactions, &decision) {
            // Two part-time jobs, neither naming pay: a firm whose sums vary month to month in
            // odd amounts as pay for sessions or shifts does, beside the pay already found.
            decision.rule = "second_job_pattern";
            decision.confidence = (decision.confidence - 15.0).max(50.0);
            decision.reason.push_str(
                "; a second job at once: its months are paid by another employer too, and this firm's sums vary month to month in odd amounts as pay for sessions or shifts does (rent, a lease or a retainer is fixed)",
            );
            salary_months.extend(months);
            decisions.push(decision);
        } else if let Some((round, _)) =
            round_sum_second_job(transactions, &decision.transactions, span)
        {
            // A firm's monthly round sums that the pattern read as one pay (most months the
            // same sum) beside the pay already found: a second job's shifts or classes.
            salary_months.extend(months);
            decisions.push(round);
        }
    }

    let gaps = gap_months(transactions, &decisions);
    decisions.extend(gaps);
    let beside = cheques_beside_pay(transactions, &decisions);
    decisions.extend(beside);
    let pay_office = pay_office_extras(transactions, &decisions);
    decisions.extend(pay_office);
    if let Some(extra) = unnamed_employer_extras(transactions, &decisions) {
        decisions.push(extra);
    }

    undo_company_pay_readings(transactions, &decisions, span);
    let receipts = business || collections || gst_paid.is_some();
    if let Some(decision) = one_month_payer_pay(transactions, &decisions, span, receipts) {
        decisions.push(decision);
    }
    apply(transactions, decisions)
}

/// Salary set S, batch AP: on a statement too short for the pattern (one month), a bank
/// transfer read as pay by its payer alone (data/rules.tsv R133-R136: a known employer, a pay office,
/// a firm naming a bonus, a public limited company naming nothing else) is the month's pay when one
/// payer alone is read so, no other salary was found and the account is no business's: the row's
/// category already says Salary, and the salary report says it too, naming the rule. Two or more
/// payers read so in one month, salary already found, or a business's account (the holder named as
/// a firm, many firms or regular payers crediting it, GST paid) make them a business's receipts:
/// R136's company readings go back to the plain transfer (R310), saying why.
fn one_month_payer_pay(
    transactions: &mut [EnrichedTransaction],
    decisions: &[SalaryDecision],
    span: i64,
    receipts: bool,
) -> Option<SalaryDecision> {
    if span >= MIN_CYCLES_TO_JUDGE_COMPANY_PAY {
        return None;
    }
    let taken: BTreeSet<usize> = decisions
        .iter()
        .flat_map(|decision| decision.transactions.iter().copied())
        .collect();
    let rows: Vec<usize> = (0..transactions.len())
        .filter(|index| !taken.contains(index))
        .filter(|&index| {
            let txn = &transactions[index];
            is_credit(txn) && PAYER_PAY_RULES.contains(&txn.rule_id.as_str())
        })
        .collect();
    let payers: BTreeSet<String> = rows
        .iter()
        .filter_map(|&index| transactions[index].counterparty.as_deref())
        .filter_map(payer_key)
        .collect();
    let payer = payers.iter().next().cloned()?;
    if receipts || payers.len() >= 2 || !decisions.is_empty() {
        let why = if receipts {
            "the account is a business's (its holder named as a firm, many firms or regular payers crediting it, or GST paid)".to_string()
        } else if payers.len() >= 2 {
            format!(
                "{} payers are read as pay in one month (a business's receipts)",
                payers.len()
            )
        } else {
            "salary is already found in its month".to_string()
        };
        for &index in &rows {
            if transactions[index].rule_id == COMPANY_PAY_RULE {
                put_back_to_transfer(
                    &mut transactions[index],
                    &format!("R136 undone by salary.rs one_month_payer_pay: {why}"),
                );
            }
        }
        return None;
    }
    let rules: BTreeSet<&str> = rows
        .iter()
        .map(|&index| transactions[index].rule_id.as_str())
        .collect();
    Some(SalaryDecision {
        rule: "payer_reading",
        employer_name: employer_for(transactions, &rows),
        confidence: ONE_MONTH_PAYER_PAY_CONFIDENCE,
        reason: format!(
            "a statement of one month, too short for the monthly pattern: {payer}'s {} credit(s) read as pay by the payer alone ({}), no other payer read so and the account is no business's",
            rows.len(),
            rules.into_iter().collect::<Vec<_>>().join(", ")
        ),
        transactions: rows,
    })
}

/// Confidence of a one-month statement's pay read by its payer alone (see [`one_month_payer_pay`]):
/// below a pattern's, which sees the same payer month after month.
const ONE_MONTH_PAYER_PAY_CONFIDENCE: f64 = 70.0;

/// Puts an R136 company reading back to the plain transfer it is (R310), `why` in its `decided_by`.
fn put_back_to_transfer(txn: &mut EnrichedTransaction, why: &str) {
    let Some(payer) = txn.counterparty.clone() else {
        return;
    };
    txn.category = format!("Transfer from {payer}");
    txn.description.clone_from(&txn.category);
    txn.transaction_channel = "net_banking_transfer".into();
    txn.rule_id = "R310".into();
    txn.decided_by = format!("R310 ({why})");
}

/// Fewest months a statement must span before the pattern, not one row's reading, decides whether a
/// company's credit is pay (see [`undo_company_pay_readings`]).
const MIN_CYCLES_TO_JUDGE_COMPANY_PAY: i64 = 2;

/// R136 (rules.tsv), salary set Q: a company's pay-sized credit read as pay from the payer's
/// shape alone is the one row's best reading; on a statement of two months or more the statement
/// decides. Such a credit no salary decision takes is put back to the plain transfer it is (R310:
/// "Transfer from <payer>"), its `decided_by` naming why: a retainer, a client's fees, a one-off
/// payment are not pay that the pattern did not find.
fn undo_company_pay_readings(
    transactions: &mut [EnrichedTransaction],
    decisions: &[SalaryDecision],
    span: i64,
) {
    if span < MIN_CYCLES_TO_JUDGE_COMPANY_PAY {
        return;
    }
    let taken: BTreeSet<usize> = decisions
        .iter()
        .flat_map(|decision| decision.transactions.iter().copied())
        .collect();
    for (index, txn) in transactions.iter_mut().enumerate() {
        if txn.rule_id != COMPANY_PAY_RULE || taken.contains(&index) {
            continue;
        }
        let Some(payer) = txn.counterparty.clone() else {
            continue;
        };
        put_back_to_transfer(
            txn,
            &format!(
                "R136 undone by salary.rs undo_company_pay_readings: over {span} months no salary pattern takes {payer}'s credit"
            ),
        );
    }
}

/// True when a pattern whose months overlap salary already found is a second job held at the
/// same time: every month it shares is paid by credits that say they are pay (`said_months`:
/// the word, a pay bill, a payroll processor, the caller's employer), the payer is a firm, and
/// its sums vary as pay does (see [`varies_like_pay`]); two patterns with no word are never two
/// jobs, since two "salaries" at once are more likely rent or a retainer beside the pay.
fn second_employer_at_once(
    transactions: &[EnrichedTransaction],
    decision: &SalaryDecision,
    months: &BTreeSet<(i32, u32)>,
    salary_months: &BTreeSet<(i32, u32)>,
    said_months: &BTreeSet<(i32, u32)>,
) -> bool {
    months
        .intersection(salary_months)
        .all(|month| said_months.contains(month))
        && decision
            .employer_name
            .as_deref()
            .is_some_and(|name| payer_kind(name) == PayerKind::Firm)
        && decision.transactions.len() >= MIN_VARYING_PAY_RUN
        && varies_like_pay(transactions, &decision.transactions)
}

/// True when a pattern whose months overlap pay already found is a second part-time job although
/// no credit says it is pay (a physiotherapist's clinic paying her sessions beside a gym chain's
/// fixed fee; issue 10 salary set L): a firm paying at least MIN_VARYING_PAY_RUN credits whose
/// sums vary as pay does (see [`varies_like_pay`]), none through a money-transfer service (a
/// foreign client's retainer moves with the exchange rate). Rent, a lease, family support and a
/// retainer beside the pay come in fixed or round sums.
fn second_job_by_pattern(transactions: &[EnrichedTransaction], decision: &SalaryDecision) -> bool {
    decision
        .employer_name
        .as_deref()
        .is_some_and(|name| payer_kind(name) == PayerKind::Firm)
        && decision.transactions.len() >= MIN_VARYING_PAY_RUN
        && !decision
            .transactions
            .iter()
            .any(|&index| passed_on(&transactions[index]))
        && varies_like_pay(transactions, &decision.transactions)
}

/// Fewest months a second job's round sums come in (see [`round_sum_second_job`]).
const MIN_ROUND_SUM_MONTHS: usize = 6;
/// The rule of a second job paid in round sums (see [`round_sum_second_job`]).
const ROUND_SUM_SECOND_JOB_RULE: &str = "second_job_round_sums";
/// Confidence of such a second job: below every single-payer pattern, so the main pay is
/// judged first and its months are known.
const ROUND_SUM_SECOND_JOB_CONFIDENCE: f64 = 60.0;

/// A second job paid in round sums (issue 10 salary set P: a diagnostics lab paying a nurse's
/// weekend shifts 5,000, 10,000 or 15,000; a coaching class paying evening teaching 10,000 or
/// 15,000): a firm crediting by bank transfer at most once a month, on a consistent day of the
/// month (within MAX_DAY_SPREAD days), in at least MIN_ROUND_SUM_MONTHS months and half the
/// statement's, every credit a whole number of thousands of at least MIN_INFERRED_SALARY, in at
/// least two different sums (the shifts or classes worked). Rent, a lease or a retainer is one
/// fixed sum; family and tenants are people; a client names its invoices (not_salary words
/// keep those credits out of the candidates). `detect_by_payer` takes it only beside pay
/// already found in its months.
fn round_sum_second_job(
    transactions: &[EnrichedTransaction],
    indices: &[usize],
    statement_span: i64,
) -> Option<(SalaryDecision, Decimal)> {
    let thousand = Decimal::new(1_000, 0);
    let bank_transfer = |txn: &EnrichedTransaction| {
        matches!(
            txn.mode,
            Mode::Neft | Mode::Imps | Mode::Rtgs | Mode::Transfer
        )
    };
    let all_round_transfers = indices.iter().all(|&index| {
        let txn = &transactions[index];
        let amount = txn.transaction.amount;
        bank_transfer(txn)
            && !passed_on(txn)
            && amount >= Decimal::new(MIN_INFERRED_SALARY, 0)
            && (amount % thousand).is_zero()
    });
    if !all_round_transfers || indices.len() < MIN_ROUND_SUM_MONTHS {
        return None;
    }
    let name = employer_for(transactions, indices)?;
    if payer_kind(&name) != PayerKind::Firm {
        return None;
    }
    let months: BTreeSet<(i32, u32)> = indices
        .iter()
        .map(|&index| month_of(&transactions[index]))
        .collect();
    let once_a_month = months.len() == indices.len();
    let most_of_the_statement = (months.len() as i64) * 2 >= statement_span;
    let amounts: Vec<Decimal> = indices
        .iter()
        .map(|&index| transactions[index].transaction.amount)
        .collect();
    let distinct: BTreeSet<Decimal> = amounts.iter().map(|amount| amount.normalize()).collect();
    let dates: Vec<NaiveDate> = indices
        .iter()
        .map(|&index| transactions[index].transaction.date.date())
        .collect();
    let (_, day_spread) = pay_days(&dates);
    if !once_a_month || !most_of_the_statement || distinct.len() < 2 || day_spread > MAX_DAY_SPREAD
    {
        return None;
    }
    let usual = median(&amounts)?;
    Some((
        SalaryDecision {
            rule: ROUND_SUM_SECOND_JOB_RULE,
            employer_name: Some(name.clone()),
            confidence: ROUND_SUM_SECOND_JOB_CONFIDENCE,
            reason: format!(
                "a second job beside the pay: firm payer {name} credited round sums ({} different, {} to {}) in {} month(s) by bank transfer on a consistent day of month (spread {day_spread} days), as shifts or classes worked are paid (rent, a lease or a retainer is one fixed sum)",
                distinct.len(),
                distinct.first().copied().unwrap_or_default(),
                distinct.last().copied().unwrap_or_default(),
                months.len()
            ),
            transactions: indices.to_vec(),
        },
        usual,
    ))
}

/// Fewest credits of a payer paying its staff's pay late (see [`pay_in_arrears`]).
const MIN_ARREARS_PAY_CREDITS: usize = 6;
/// How far, in percent, such a credit may be from a whole number of months of the usual pay (a
/// raise of a few percent during the year).
const ARREARS_MULTIPLE_TOLERANCE_PERCENT: i64 = 6;
/// Most months of pay one late credit brings.
const MAX_MONTHS_IN_ONE_CREDIT: i64 = 3;
/// Longest wait, in days, between two such credits (pay two months late).
const MAX_ARREARS_GAP_DAYS: i64 = 80;
/// Longest wait, in days, between two such credits from a government pay office: a quarter's
/// pay in one credit (MAX_MONTHS_IN_ONE_CREDIT months) and the days its bill takes to pass.
const MAX_PAY_OFFICE_ARREARS_GAP_DAYS: i64 = 100;

/// Pay in arrears: a firm (a health society, a scheme's implementing agency) paying contract
/// staff through a government payment system late and on no steady day, sometimes two or three
/// months in one credit (issue 10 salary sets K, L: NHM nurses and community health officers
/// paid through PFMS). At least MIN_ARREARS_PAY_CREDITS bank transfers, each pay-sized credit a
/// whole number (1 to MAX_MONTHS_IN_ONE_CREDIT) of one usual pay, most of them one month's, at
/// least one of them several; together they pay as many months as their first and last fall
/// in (one either way), none more than MAX_ARREARS_GAP_DAYS after the one before. A client
/// paying invoices late pays uneven sums; family and tenants are people; the payer's credits
/// naming a bonus or incentive are pay too.
fn pay_in_arrears(
    transactions: &[EnrichedTransaction],
    indices: &[usize],
) -> Option<(SalaryDecision, Decimal)> {
    let mut eligible: Vec<usize> = indices
        .iter()
        .copied()
        .filter(|&index| {
            let txn = &transactions[index];
            txn.transaction.amount >= Decimal::new(MIN_INFERRED_SALARY, 0)
                && !says_pay_extra(txn)
                && !passed_on(txn)
                && matches!(
                    txn.mode,
                    Mode::Neft | Mode::Rtgs | Mode::Transfer | Mode::Imps
                )
        })
        .collect();
    eligible.sort_by_key(|&index| transactions[index].transaction.date);
    let name = employer_for(transactions, &eligible)?;
    if payer_kind(&name) != PayerKind::Firm {
        return None;
    }
    // A government pay office (a CDPO paying Anganwadi honoraria through PFMS) pays nothing
    // else: its scheme's funds come a quarter at a time, so more of its credits may bring
    // several months and it may wait up to a quarter between them (issue 10 salary set M).
    let office = is_pay_office(&name);
    let (max_wait, several_share) = if office {
        (MAX_PAY_OFFICE_ARREARS_GAP_DAYS, 2)
    } else {
        (MAX_ARREARS_GAP_DAYS, 3)
    };
    let amounts: Vec<Decimal> = eligible
        .iter()
        .map(|&index| transactions[index].transaction.amount)
        .collect();
    let usual = median(&amounts)?;
    // Credits below half the usual pay (a claim, an allowance) are neither pay nor a break.
    let pay: Vec<usize> = eligible
        .iter()
        .copied()
        .filter(|&index| transactions[index].transaction.amount * Decimal::TWO >= usual)
        .collect();
    if pay.len() < MIN_ARREARS_PAY_CREDITS {
        return None;
    }
    let mut months_paid = 0i64;
    let mut several = 0usize;
    for &index in &pay {
        let amount = transactions[index].transaction.amount;
        let months = (amount / usual).round().to_i64()?;
        if !(1..=MAX_MONTHS_IN_ONE_CREDIT).contains(&months) {
            return None;
        }
        let expected = usual * Decimal::from(months);
        if (amount - expected).abs() * Decimal::ONE_HUNDRED
            > expected * Decimal::from(ARREARS_MULTIPLE_TOLERANCE_PERCENT)
        {
            return None;
        }
        months_paid += months;
        several += usize::from(months > 1);
    }
    let dates: Vec<NaiveDate> = pay
        .iter()
        .map(|&index| transactions[index].transaction.date.date())
        .collect();
    let (first, last) = (*dates.first()?, *dates.last()?);
    let month_number = |d: NaiveDate| i64::from(d.year()) * 12 + i64::from(d.month0());
    let span = month_number(last) - month_number(first) + 1;
    let longest_wait = dates
        .windows(2)
        .map(|pair| (pair[1] - pair[0]).num_days())
        .max()
        .unwrap_or(0);
    if several == 0
        || several * several_share > pay.len()
        || (months_paid - span).abs() > 1
        || longest_wait > max_wait
    {
        return None;
    }
    let mut rows = pay.clone();
    let extras = pay_extras(transactions, indices, &rows);
    let extras_count = extras.len();
    rows.extend(extras);
    rows.sort_unstable();
    let mut reason = format!(
        "firm payer {name} paid {} credit(s) over {span} month(s), each a whole number of months (1 to {MAX_MONTHS_IN_ONE_CREDIT}) of one pay of {} (within {ARREARS_MULTIPLE_TOLERANCE_PERCENT} %), {several} of them several months at once, {months_paid} months in all, at most {longest_wait} days apart: pay in arrears, as schemes pay contract staff late",
        pay.len(),
        usual.round_dp(2)
    );
    if office && (several * 3 > pay.len() || longest_wait > MAX_ARREARS_GAP_DAYS) {
        reason.push_str(
            "; a government pay office, whose scheme funds come a quarter at a time: more credits of several months and longer waits allowed",
        );
    }
    if extras_count > 0 {
        reason.push_str(&format!(
            "; {extras_count} more credit(s) naming pay beyond salary (bonus, incentive, arrears)"
        ));
    }
    let total: Decimal = amounts.iter().sum();
    Some((
        SalaryDecision {
            rule: "pay_in_arrears",
            employer_name: Some(name),
            confidence: 70.0,
            reason,
            transactions: rows,
        },
        total,
    ))
}

/// The credits of a month's pay held into the next month (see `monthly_pattern`), each with
/// the cycle it was found in: a cycle holding exactly two pay-sized credits (at least half of
/// `reference`) within AMOUNT_TOLERANCE_PERCENT of each other, the cycle before it empty, and
/// a cycle before that (the run goes on before the held month). The earlier credit is the held
/// month's pay.
fn late_pay_moves(
    transactions: &[EnrichedTransaction],
    by_cycle: &BTreeMap<i64, Vec<usize>>,
    reference: Decimal,
) -> Vec<(usize, i64)> {
    let Some(&first) = by_cycle.keys().next() else {
        return Vec::new();
    };
    by_cycle
        .iter()
        .filter(|(cycle, _)| **cycle - 1 > first && !by_cycle.contains_key(&(**cycle - 1)))
        .filter_map(|(cycle, rows)| {
            let pay_sized: Vec<usize> = rows
                .iter()
                .copied()
                .filter(|&index| transactions[index].transaction.amount * Decimal::TWO >= reference)
                .collect();
            let [a, b] = pay_sized.as_slice() else {
                return None;
            };
            let (amount_a, amount_b) = (
                transactions[*a].transaction.amount,
                transactions[*b].transaction.amount,
            );
            if !within_tolerance(amount_a, amount_b, AMOUNT_TOLERANCE_PERCENT) {
                return None;
            }
            let earlier = if transactions[*a].transaction.date <= transactions[*b].transaction.date
            {
                *a
            } else {
                *b
            };
            Some((earlier, *cycle))
        })
        .collect()
}

/// The payer's credits among `indices`, outside `rows`, that say they are pay beyond the
/// salary (bonus, incentive, arrears): pay too, whatever their amount or day.
fn pay_extras(
    transactions: &[EnrichedTransaction],
    indices: &[usize],
    rows: &[usize],
) -> Vec<usize> {
    indices
        .iter()
        .copied()
        .filter(|&index| !rows.contains(&index) && says_pay_extra(&transactions[index]))
        .collect()
}

/// Fewest credits a week apart that make weekly wages.
const MIN_WEEKLY_CREDITS: usize = 8;
/// Smallest weekly credit read as a week's wages (a few days' work at a minimum wage).
const MIN_WEEKLY_WAGE: i64 = 1_000;
/// Most weeks between two weekly credits (weeks without work: a shutdown, a festival).
const MAX_WEEKS_BETWEEN_WAGES: i64 = 3;
/// How far, in percent, a week's wages may be from the median week's (days worked, overtime).
const WEEKLY_WAGE_TOLERANCE_PERCENT: i64 = 50;

/// A firm's bank-transfer credits that may be wages: at least `min_credits` of at least
/// MIN_WEEKLY_WAGE, none naming pay beyond wages, none passed on or from a gig platform, from one
/// firm. Returns them in date order with the firm's name and their dates.
fn firm_wage_credits(
    transactions: &[EnrichedTransaction],
    indices: &[usize],
    min_credits: usize,
) -> Option<(Vec<usize>, String, Vec<NaiveDate>)> {
    let mut eligible: Vec<usize> = indices
        .iter()
        .copied()
        .filter(|&index| {
            let txn = &transactions[index];
            txn.transaction.amount >= Decimal::new(MIN_WEEKLY_WAGE, 0)
                && !says_pay_extra(txn)
                && matches!(
                    txn.mode,
                    Mode::Neft | Mode::Imps | Mode::Rtgs | Mode::Transfer | Mode::Upi
                )
        })
        .collect();
    if eligible.len() < min_credits
        || eligible.iter().any(|&index| {
            passed_on(&transactions[index]) || gig_platform(&transactions[index]).is_some()
        })
    {
        return None;
    }
    eligible.sort_by_key(|&index| transactions[index].transaction.date);
    let name = employer_for(transactions, &eligible)?;
    if payer_kind(&name) != PayerKind::Firm {
        return None;
    }
    let dates: Vec<NaiveDate> = eligible
        .iter()
        .map(|&index| transactions[index].transaction.date.date())
        .collect();
    Some((eligible, name, dates))
}

/// Credits whose cadence was judged wages; `cadence` says how their dates were judged.
struct WageRun {
    eligible: Vec<usize>,
    name: String,
    first: NaiveDate,
    last: NaiveDate,
    cadence: String,
    /// "weekly" or "fortnightly", for the reason.
    kind: &'static str,
    rule: &'static str,
}

/// Wages whose amounts stay within WEEKLY_WAGE_TOLERANCE_PERCENT of their median (days worked
/// vary them), with the firm's credits naming a bonus or arrears as pay too.
fn steady_wages(
    transactions: &[EnrichedTransaction],
    indices: &[usize],
    run: WageRun,
) -> Option<(SalaryDecision, Decimal)> {
    let WageRun {
        eligible,
        name,
        first,
        last,
        cadence,
        kind,
        rule,
    } = run;
    let amounts: Vec<Decimal> = eligible
        .iter()
        .map(|&index| transactions[index].transaction.amount)
        .collect();
    let usual = median(&amounts)?;
    if !amounts
        .iter()
        .all(|amount| within_tolerance(*amount, usual, WEEKLY_WAGE_TOLERANCE_PERCENT))
    {
        return None;
    }
    let mut rows = eligible.clone();
    let extras = pay_extras(transactions, indices, &rows);
    let extras_count = extras.len();
    rows.extend(extras);
    rows.sort_unstable();
    let mut reason = format!(
        "firm payer {name} credited {} times from {first} to {last}, {cadence}, each within {WEEKLY_WAGE_TOLERANCE_PERCENT} % of the median {}: {kind} wages; no gig platform",
        eligible.len(),
        usual.round_dp(2)
    );
    if extras_count > 0 {
        reason.push_str(&format!(
            "; {extras_count} more credit(s) naming pay beyond the wages (bonus, arrears)"
        ));
    }
    let total: Decimal = amounts.iter().sum();
    Some((
        SalaryDecision {
            rule,
            employer_name: Some(name),
            confidence: 75.0,
            reason,
            transactions: rows,
        },
        total,
    ))
}

/// `weekly_wages` — a firm paying wages every week (a knitting unit, a mill, a construction
/// contractor paying every Saturday): at least MIN_WEEKLY_CREDITS bank transfers, each a whole
/// number of weeks (1 to MAX_WEEKS_BETWEEN_WAGES, a day either way for a holiday) after the one
/// before, most of them one week, each within WEEKLY_WAGE_TOLERANCE_PERCENT of the median week
/// (days worked vary it), over two months or more. A gig platform's weekly settlement
/// (salary_signals.tsv `gig_platform`) is income but no employer's pay; people, money-transfer
/// services and cheques are not judged. The firm's credits naming a bonus are pay too (issue 10
/// salary set M).
fn weekly_wages(
    transactions: &[EnrichedTransaction],
    indices: &[usize],
) -> Option<(SalaryDecision, Decimal)> {
    let (eligible, name, dates) = firm_wage_credits(transactions, indices, MIN_WEEKLY_CREDITS)?;
    let mut one_week = 0usize;
    for pair in dates.windows(2) {
        let days = (pair[1] - pair[0]).num_days();
        let weeks = (days + 3) / 7;
        if !(1..=MAX_WEEKS_BETWEEN_WAGES).contains(&weeks) || (days - 7 * weeks).abs() > 1 {
            return None;
        }
        one_week += usize::from(weeks == 1);
    }
    let gaps = dates.len() - 1;
    let (first, last) = (*dates.first()?, *dates.last()?);
    if one_week * 4 < gaps * 3 || first.month0() == last.month0() && first.year() == last.year() {
        return None;
    }
    let cadence = format!(
        "each a whole number of weeks after the one before ({one_week} of {gaps} one week; longer gaps are weeks without work)"
    );
    steady_wages(
        transactions,
        indices,
        WageRun {
            eligible,
            name,
            first,
            last,
            cadence,
            kind: "weekly",
            rule: "weekly_wages",
        },
    )
}

/// Batch N (issue 10 salary set N): an insurer's credit the categoriser read as the insurer's (a claim, an annuity,
/// a survival benefit: rules R123, R125, R126). LIC's monthly annuity naming nothing recurs on one day at one sum as
/// pay does, but an insurer pays its own staff's salary naming it (the keyword path), never a policyholder's.
fn insurer_credit(txn: &EnrichedTransaction) -> bool {
    txn.merchant_category == "insurance" && matches!(txn.rule_id.as_str(), "R123" | "R125" | "R126")
}

/// Fewest credits about a fortnight apart that make fortnightly wages.
const MIN_FORTNIGHTLY_CREDITS: usize = 8;
/// Fewest and most days between two fortnightly credits: paid every other week (14 days, a day
/// either way for a holiday) or twice a month on two dates (the 1st-15th on the 18th-20th, the rest
/// on the 3rd-5th of the next month: 13 to 18 days apart).
const FORTNIGHT_DAYS: std::ops::RangeInclusive<i64> = 12..=18;
/// Days between two credits when one fortnight in between went unpaid (a shutdown, a festival).
const TWO_FORTNIGHTS_DAYS: std::ops::RangeInclusive<i64> = 26..=36;

/// `fortnightly_wages` — a firm paying wages every fortnight or twice a month (a garment exporter
/// paying the 1st-15th on the 18th-20th and the rest on the 3rd-5th; a contractor paying every other
/// Friday; issue 10 salary sets M, N): at least MIN_FORTNIGHTLY_CREDITS bank transfers, each 12 to 18
/// days after the one before (or 26 to 36 for one fortnight unpaid, at most a quarter of the gaps),
/// each within WEEKLY_WAGE_TOLERANCE_PERCENT of the median (days worked vary it), over three months or
/// more. As for weekly wages, a gig platform's settlements are income but no employer's pay, and
/// people, money-transfer services and cheques are not judged. The firm's credits naming a bonus are
/// pay too.
fn fortnightly_wages(
    transactions: &[EnrichedTransaction],
    indices: &[usize],
) -> Option<(SalaryDecision, Decimal)> {
    let (eligible, name, dates) =
        firm_wage_credits(transactions, indices, MIN_FORTNIGHTLY_CREDITS)?;
    let mut skipped = 0usize;
    for pair in dates.windows(2) {
        let days = (pair[1] - pair[0]).num_days();
        if TWO_FORTNIGHTS_DAYS.contains(&days) {
            skipped += 1;
        } else if !FORTNIGHT_DAYS.contains(&days) {
            return None;
        }
    }
    let gaps = dates.len() - 1;
    let months: BTreeSet<(i32, u32)> = dates.iter().map(|d| (d.year(), d.month())).collect();
    if skipped * 4 > gaps || months.len() < 3 {
        return None;
    }
    let (first, last) = (*dates.first()?, *dates.last()?);
    let cadence = format!(
        "each 12 to 18 days after the one before ({skipped} of {gaps} gaps a fortnight unpaid)"
    );
    steady_wages(
        transactions,
        indices,
        WageRun {
            eligible,
            name,
            first,
            last,
            cadence,
            kind: "fortnightly",
            rule: "fortnightly_wages",
        },
    )
}

/// The rows already called pay whose payer is `key`.
fn rows_paid_by(
    transactions: &[EnrichedTransaction],
    decisions: &[SalaryDecision],
    key: &str,
) -> Vec<usize> {
    let mut rows: Vec<usize> = decisions
        .iter()
        .flat_map(|decision| decision.transactions.iter().copied())
        .filter(|&index| {
            transactions[index]
                .counterparty
                .as_deref()
                .and_then(payer_key)
                .as_deref()
                == Some(key)
        })
        .collect();
    rows.sort_unstable();
    rows.dedup();
    rows
}

/// `keyword_payer_wages` — a payer whose credits say WAGES now and then and pay every week or
/// fortnight (a contractor printing the word on two of eighteen fortnightly credits; issue 10 salary
/// set N): its credits as a whole, those called pay and the rest, are weekly or fortnightly wages
/// (see [`weekly_wages`], [`fortnightly_wages`]), so the rest are pay too, whatever their amount.
fn keyword_payer_wages(
    transactions: &[EnrichedTransaction],
    decisions: &[SalaryDecision],
    key: &str,
    indices: &[usize],
) -> Option<SalaryDecision> {
    let said = rows_paid_by(transactions, decisions, key);
    let rest: Vec<usize> = indices
        .iter()
        .copied()
        .filter(|index| !said.contains(index))
        .collect();
    if rest.is_empty() {
        return None;
    }
    let mut all: Vec<usize> = said.iter().chain(rest.iter()).copied().collect();
    all.sort_unstable();
    let (found, _) =
        weekly_wages(transactions, &all).or_else(|| fortnightly_wages(transactions, &all))?;
    let rows: Vec<usize> = found
        .transactions
        .iter()
        .copied()
        .filter(|index| rest.contains(index))
        .collect();
    if rows.is_empty() {
        return None;
    }
    Some(SalaryDecision {
        rule: "keyword_payer_wages",
        employer_name: found.employer_name,
        confidence: 90.0,
        reason: format!(
            "{} more credit(s) from {key}, whose credits the narration calls pay in some weeks: {}",
            rows.len(),
            found.reason
        ),
        transactions: rows,
    })
}

/// Smallest share, in percent, of the employer's usual pay an extra credit naming nothing must be
/// to be read as pay beyond the salary (arrears of a raise, a bonus, a performance pay).
const KEYWORD_PAYER_EXTRA_MIN_PERCENT: i64 = 20;
/// Largest multiple of the usual pay such an extra may be.
const KEYWORD_PAYER_EXTRA_MAX_MULTIPLE: i64 = 3;
/// Fewest months of pay before an employer's credit naming nothing is read as arrears or a bonus.
const MIN_EXTRA_PAY_MONTHS: usize = 3;
/// Pay months per extra credit naming nothing: an employer paying something besides the salary
/// in most months (an allowance, a reimbursement) pays it as a habit, not as arrears or a bonus.
const PAY_MONTHS_PER_EXTRA: usize = 4;

/// `keyword_payer_extra` — the employer the narration names as paying salary (the keyword) also
/// credits, now and then, a sum naming nothing (a raise's arrears on 12 September, a performance bonus
/// in March, a wage revision's arrears in two equal parts, a Diwali bonus by the company's cheque;
/// issue 10 salary sets M, N): each such credit, on a pay rail and saying nothing else it is (a
/// reimbursement names itself), between KEYWORD_PAYER_EXTRA_MIN_PERCENT % and
/// KEYWORD_PAYER_EXTRA_MAX_MULTIPLE times its usual pay, paid between the first and the last pay of at
/// least MIN_EXTRA_PAY_MONTHS months (a credit before the first pay is no arrears), is pay too, when there
/// are at most two or one per PAY_MONTHS_PER_EXTRA pay months.
fn keyword_payer_extras(
    transactions: &[EnrichedTransaction],
    decisions: &[SalaryDecision],
    key: &str,
    indices: &[usize],
) -> Option<SalaryDecision> {
    let said = rows_paid_by(transactions, decisions, key);
    let amounts: Vec<Decimal> = said
        .iter()
        .filter(|&&index| !says_pay_extra(&transactions[index]))
        .map(|&index| transactions[index].transaction.amount)
        .collect();
    let usual = median(&amounts)?;
    let pay_months = months_covered(transactions, &said);
    let date_of = |index: usize| transactions[index].transaction.date.date();
    let first = said.iter().map(|&index| date_of(index)).min()?;
    let last = said.iter().map(|&index| date_of(index)).max()?;
    if pay_months < MIN_EXTRA_PAY_MONTHS {
        return None;
    }
    let rows: Vec<usize> = indices
        .iter()
        .copied()
        .filter(|index| !said.contains(index))
        .filter(|&index| {
            let txn = &transactions[index];
            let amount = txn.transaction.amount;
            (first..=last).contains(&date_of(index))
                && channel_can_be_pay(txn)
                && !says_not_salary(txn)
                && amount * Decimal::ONE_HUNDRED
                    >= usual * Decimal::from(KEYWORD_PAYER_EXTRA_MIN_PERCENT)
                && amount <= usual * Decimal::from(KEYWORD_PAYER_EXTRA_MAX_MULTIPLE)
        })
        .collect();
    if rows.is_empty() || rows.len() > (pay_months / PAY_MONTHS_PER_EXTRA).max(2) {
        return None;
    }
    Some(SalaryDecision {
        rule: "keyword_payer_extra",
        employer_name: employer_for(transactions, &rows),
        confidence: 80.0,
        reason: format!(
            "{} credit(s) from {key}, whose credits the narration calls salary in {pay_months} month(s), naming nothing and {KEYWORD_PAYER_EXTRA_MIN_PERCENT} % to {KEYWORD_PAYER_EXTRA_MAX_MULTIPLE} times its usual pay {}: arrears or a bonus",
            rows.len(),
            usual.round_dp(2)
        ),
        transactions: rows,
    })
}

/// `keyword_payer_pattern` — a payer whose credits the narration calls pay (the keyword) only
/// where they are a settlement or an extra ("BAL OF WAGES" on signing off a ship), whose other
/// credits keep the monthly pattern in months the keyword and its payer's credits do not pay,
/// at half or more of the amount the narration calls pay: the monthly pay itself (a seafarer's
/// allotment; issue 10 salary set M). An employer's smaller monthly reimbursement in its pay
/// months is neither.
fn keyword_payer_pattern(
    transactions: &[EnrichedTransaction],
    decisions: &[SalaryDecision],
    key: &str,
    indices: &[usize],
    taken: &BTreeSet<usize>,
    span: i64,
    holder_words: &BTreeSet<String>,
) -> Option<SalaryDecision> {
    // The payer's credits already called pay: the keyword's and its payer's.
    let said: Vec<usize> = decisions
        .iter()
        .flat_map(|decision| decision.transactions.iter().copied())
        .filter(|&index| {
            transactions[index]
                .counterparty
                .as_deref()
                .and_then(payer_key)
                .as_deref()
                == Some(key)
        })
        .collect();
    let rest: Vec<usize> = indices
        .iter()
        .copied()
        .filter(|index| !taken.contains(index))
        .collect();
    let said_amounts: Vec<Decimal> = said
        .iter()
        .map(|&index| transactions[index].transaction.amount)
        .collect();
    let said_usual = median(&said_amounts)?;
    let (mut decision, _) = monthly_pattern(transactions, &rest, span, holder_words)?;
    let pattern_months: BTreeSet<(i32, u32)> = decision
        .transactions
        .iter()
        .map(|&index| month_of(&transactions[index]))
        .collect();
    let said_months: BTreeSet<(i32, u32)> = said
        .iter()
        .map(|&index| month_of(&transactions[index]))
        .collect();
    let amounts: Vec<Decimal> = decision
        .transactions
        .iter()
        .map(|&index| transactions[index].transaction.amount)
        .collect();
    let usual = median(&amounts)?;
    if !pattern_months.is_disjoint(&said_months) || usual * Decimal::TWO < said_usual {
        return None;
    }
    decision.rule = "keyword_payer_pattern";
    decision.confidence = (decision.confidence - 5.0).max(50.0);
    decision.reason = format!(
        "the payer's other credits, in months its credits naming pay do not pay: {}",
        decision.reason
    );
    Some(decision)
}

/// An employer the caller named (`metadata.employer_names`): its words as a narration prints
/// them, and its initials, as banks print long names ("MLSPL" or "MLS" for "Meridian
/// Logistics Solutions Pvt Ltd": the name's initials, then its legal form's).
struct SessionEmployer {
    name: String,
    words: Vec<String>,
    initials: Vec<String>,
}

/// Fewest initials a name needs before they are read as the name.
const MIN_EMPLOYER_INITIALS: usize = 3;

impl SessionEmployer {
    fn new(name: &str) -> Self {
        let normalized = crate::narration::normalize(name);
        let initials = |suffix: bool| -> String {
            normalized
                .split_whitespace()
                .filter(|word| (kind_of(word) == Some(WordKind::Suffix)) == suffix)
                .filter(|word| word.chars().all(|c| c.is_ascii_alphabetic()))
                .filter_map(|word| word.chars().next())
                .collect()
        };
        let name_initials = initials(false);
        let initials = if name_initials.len() >= MIN_EMPLOYER_INITIALS {
            vec![
                name_initials.clone(),
                format!("{name_initials}{}", initials(true)),
            ]
        } else {
            Vec::new()
        };
        SessionEmployer {
            name: name.trim().to_string(),
            words: payer_words(name),
            initials,
        }
    }

    /// The narration names the employer: its words, or its initials as one word.
    fn named_in(&self, normalized: &str) -> bool {
        names_words(normalized, &self.words)
            || normalized
                .split_whitespace()
                .any(|word| self.initials.iter().any(|initials| initials == word))
    }
}

/// The one month a pattern's months share with the months already paid, when it is the
/// pattern's last month and the first month paid by the others or the pattern's first and their
/// last: one job ending and the next beginning in the same month.
///
/// Or the two months an employer paying each month's pay on the first days of the next shares
/// with the next employer paying at the month end: the old employer's last month's pay and its
/// notice days' pay in the new employer's first two months (issue 10 salary set L). The shared
/// months must be the last months of one run and the first of the other; the first of them is
/// returned.
fn handover_month(
    months: &BTreeSet<(i32, u32)>,
    salary_months: &BTreeSet<(i32, u32)>,
) -> Option<(i32, u32)> {
    let shared: Vec<(i32, u32)> = months.intersection(salary_months).copied().collect();
    if shared.is_empty() || shared.len() > MAX_HANDOVER_MONTHS {
        return None;
    }
    let head =
        |set: &BTreeSet<(i32, u32)>| set.iter().take(shared.len()).copied().collect::<Vec<_>>();
    let tail = |set: &BTreeSet<(i32, u32)>| {
        let mut last: Vec<(i32, u32)> = set.iter().rev().take(shared.len()).copied().collect();
        last.reverse();
        last
    };
    let ends_into = tail(months) == shared && head(salary_months) == shared;
    let starts_from = head(months) == shared && tail(salary_months) == shared;
    (ends_into || starts_from).then(|| shared[0])
}

/// Most months one employer's run and the next one's may share at a change of job.
const MAX_HANDOVER_MONTHS: usize = 2;

/// Shortest word of an employer's name that identifies it (see [`same_employer_as`]).
const MIN_EMPLOYER_NAME_WORD: usize = 4;

/// The words of a payer's name that name this employer and no other: letters only, at least
/// MIN_EMPLOYER_NAME_WORD long, not an organisation, legal-form, pay or month word (LOGISTICS,
/// PVT, PAYROLL, SALARY, MAY) and not the holder's name.
fn distinctive_name_words(name: &str, holder_words: &BTreeSet<String>) -> BTreeSet<String> {
    crate::narration::normalize(name)
        .split_whitespace()
        .filter(|word| word.len() >= MIN_EMPLOYER_NAME_WORD)
        .filter(|word| word.bytes().all(|b| b.is_ascii_alphabetic()))
        .filter(|word| kind_of(word).is_none() && !is_month_word(word))
        .filter(|word| !TRAILING_PAY_WORDS.contains(word) && *word != "PAYROLL")
        .filter(|word| !holder_words.contains(*word))
        .map(str::to_string)
        .collect()
}

/// A monthly pay found in months another decision already pays, from a payer that shares a
/// distinctive word of its name with that decision's employer (see [`distinctive_name_words`]):
/// the word and the other employer's name. Two employers at once are more likely rent or a
/// retainer, but one employer paying from two accounts (its payroll processor's and its own)
/// names itself in both.
fn same_employer_as(
    decision: &SalaryDecision,
    decisions: &[SalaryDecision],
    holder_words: &BTreeSet<String>,
) -> Option<(String, String)> {
    let own = distinctive_name_words(decision.employer_name.as_deref()?, holder_words);
    decisions.iter().find_map(|other| {
        let name = other.employer_name.as_deref()?;
        let shared = distinctive_name_words(name, holder_words)
            .intersection(&own)
            .next()
            .cloned()?;
        Some((shared, name.to_string()))
    })
}

/// Smallest credit from a pay office taken as pay beside its monthly pay: an account check or
/// a one-rupee credit is no pay.
const MIN_PAY_OFFICE_EXTRA: i64 = 1_000;
/// Days before the first and after the last monthly pay a pay office's other credit may come.
const PAY_OFFICE_EXTRA_DAYS: i64 = 31;

/// A government pay office's name (see `WordKind::PayOffice`).
pub(crate) fn is_pay_office(name: &str) -> bool {
    crate::narration::normalize(name)
        .split_whitespace()
        .any(|word| kind_of(word) == Some(WordKind::PayOffice))
}

/// A government pay office (a treasury, a PAO, a DDO, a defence accounts office) deals with a
/// person only as its employee: beside the monthly pay it found, its other credits of at least
/// MIN_PAY_OFFICE_EXTRA rupees, from the month before the first pay to the month after the
/// last, that say nothing else (no pension, GPF advance, refund), are pay too: DA arrears net
/// of NPS and tax (no whole number of months of the raise), a festival bonus, an allowance.
fn pay_office_extras(
    transactions: &[EnrichedTransaction],
    decisions: &[SalaryDecision],
) -> Vec<SalaryDecision> {
    let mut salary_rows: BTreeSet<usize> = decisions
        .iter()
        .flat_map(|decision| decision.transactions.iter().copied())
        .collect();
    let mut found = Vec::new();
    for decision in decisions {
        let keys: BTreeSet<String> = decision
            .transactions
            .iter()
            .filter_map(|&index| transactions[index].counterparty.as_deref())
            .filter(|name| is_pay_office(name))
            .filter_map(payer_key)
            .collect();
        let dates = decision
            .transactions
            .iter()
            .map(|&index| transactions[index].transaction.date.date());
        let (Some(first), Some(last)) = (dates.clone().min(), dates.max()) else {
            continue;
        };
        if keys.is_empty() {
            continue;
        }
        let window = chrono::Duration::days(PAY_OFFICE_EXTRA_DAYS);
        let rows: Vec<usize> = transactions
            .iter()
            .enumerate()
            .filter(|(index, txn)| {
                let date = txn.transaction.date.date();
                !salary_rows.contains(index)
                    && is_credit(txn)
                    && channel_can_be_pay(txn)
                    && !says_not_salary(txn)
                    && txn.transaction.amount >= Decimal::new(MIN_PAY_OFFICE_EXTRA, 0)
                    && date >= first - window
                    && date <= last + window
                    && txn
                        .counterparty
                        .as_deref()
                        .and_then(payer_key)
                        .is_some_and(|key| keys.contains(&key))
            })
            .map(|(index, _)| index)
            .collect();
        if rows.is_empty() {
            continue;
        }
        salary_rows.extend(rows.iter().copied());
        let payer = keys.iter().cloned().collect::<Vec<_>>().join(", ");
        found.push(SalaryDecision {
            rule: "pay_office_extra",
            employer_name: decision.employer_name.clone(),
            confidence: 80.0,
            reason: format!(
                "{} more credit(s) from the government pay office {payer} that pays the monthly salary ({}), naming nothing else: arrears, bonus or allowances",
                rows.len(),
                decision.rule
            ),
            transactions: rows,
        });
    }
    found
}

/// Smallest share, in percent, of the usual pay a bonus or incentive from an employer the pay
/// does not name must be: a dividend or a cashback is far smaller.
const UNNAMED_EMPLOYER_EXTRA_MIN_PERCENT: i64 = 10;

/// Pay printed without the employer's name (a bank's bulk salary product: "SALARY CREDIT
/// BULK"), beside one firm's credits that name pay beyond the salary (an incentive, a bonus,
/// arrears): the firm is the employer paying its extras from its own account. Only when every
/// salary decision names no employer, one firm alone sends such credits, and each is at least
/// a tenth and at most twice the usual pay, and only credits the categoriser read as plain
/// transfers: an insurer's bonus, a gaming wallet's bonus or a dividend was explained otherwise.
fn unnamed_employer_extras(
    transactions: &[EnrichedTransaction],
    decisions: &[SalaryDecision],
) -> Option<SalaryDecision> {
    if decisions.is_empty()
        || decisions
            .iter()
            .any(|decision| decision.employer_name.is_some())
    {
        return None;
    }
    let salary_rows: BTreeSet<usize> = decisions
        .iter()
        .flat_map(|decision| decision.transactions.iter().copied())
        .collect();
    let amounts: Vec<Decimal> = salary_rows
        .iter()
        .map(|&index| transactions[index].transaction.amount)
        .collect();
    let usual = median(&amounts)?;
    let mut by_firm: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (index, txn) in transactions.iter().enumerate() {
        let amount = txn.transaction.amount;
        let fits = !salary_rows.contains(&index)
            && is_credit(txn)
            && channel_can_be_pay(txn)
            // A firm's transfer naming a bonus or incentive is read as pay by the categoriser
            // (R135) only on its own words; with two such firms the employer is still unknown.
            && (txn.category.starts_with("Transfer from ") || txn.rule_id == "R135")
            && says_pay_extra(txn)
            && amount * Decimal::ONE_HUNDRED
                >= usual * Decimal::from(UNNAMED_EMPLOYER_EXTRA_MIN_PERCENT)
            && amount <= usual * Decimal::TWO;
        let firm = txn
            .counterparty
            .as_deref()
            .filter(|name| payer_kind(name) == PayerKind::Firm)
            .and_then(payer_key);
        if let (true, Some(firm)) = (fits, firm) {
            by_firm.entry(firm).or_default().push(index);
        }
    }
    if by_firm.len() != 1 {
        return None;
    }
    let (firm, rows) = by_firm.into_iter().next()?;
    Some(SalaryDecision {
        rule: "unnamed_employer_extra",
        employer_name: employer_for(transactions, &rows),
        confidence: 70.0,
        reason: format!(
            "the pay names no employer; firm {firm} alone credits pay beyond salary (bonus, incentive, arrears) in {} credit(s) of {UNNAMED_EMPLOYER_EXTRA_MIN_PERCENT} % to twice the usual pay {}: taken as the employer",
            rows.len(),
            usual.round_dp(2)
        ),
        transactions: rows,
    })
}

/// Closest a gap month's credit must be to the employer's usual pay, in percent.
const GAP_AMOUNT_TOLERANCE_PERCENT: i64 = 5;

/// A month inside an employer's run of salary with no salary credit, where one credit from a
/// payer that is not a person brings the usual amount (within 5 %) on the usual pay day: the
/// same pay printed under another name that month (a pay office's code instead of the pay
/// bill's name, a new payroll bank). A credit analyst reads the month as paid. The credit
/// must be read by the same rule as the employer's own (an insurer's claim is not).
fn gap_months(
    transactions: &[EnrichedTransaction],
    decisions: &[SalaryDecision],
) -> Vec<SalaryDecision> {
    let salary_rows: BTreeSet<usize> = decisions
        .iter()
        .flat_map(|decision| decision.transactions.iter().copied())
        .collect();
    let mut paid_months: BTreeSet<(i32, u32)> = salary_rows
        .iter()
        .map(|&index| month_of(&transactions[index]))
        .collect();
    let mut found = Vec::new();
    for decision in decisions {
        let months = months_covered(transactions, &decision.transactions);
        if months < 3 {
            continue;
        }
        let amounts: Vec<Decimal> = decision
            .transactions
            .iter()
            .map(|&index| transactions[index].transaction.amount)
            .collect();
        let Some(usual) = median(&amounts) else {
            continue;
        };
        let dates: Vec<NaiveDate> = decision
            .transactions
            .iter()
            .map(|&index| transactions[index].transaction.date.date())
            .collect();
        let (Some(first), Some(last)) = (dates.iter().min(), dates.iter().max()) else {
            continue;
        };
        let (days, _) = pay_days(&dates);
        let wrapped_days = days.iter().any(|day| *day <= 0);
        let day_of = |date: NaiveDate| {
            let day = i64::from(date.day());
            if wrapped_days && day >= 16 {
                day - i64::from(days_in_month(date))
            } else {
                day
            }
        };
        let (Some(&earliest), Some(&latest)) = (days.iter().min(), days.iter().max()) else {
            continue;
        };
        // Only a credit the categoriser read by the same rule as the employer's own credits
        // (a plain transfer): one it explained otherwise (an insurer's claim) is not pay.
        let pay_rules: BTreeSet<&str> = decision
            .transactions
            .iter()
            .map(|&index| plain_transfer_reading(&transactions[index].rule_id))
            .collect();
        // An employer paying by cheque: a cheque printed with no drawer in a month its cheque is
        // missing is its cheque (issue 10 salary sets K, M).
        let pay_by_cheque = decision
            .transactions
            .iter()
            .all(|&index| transactions[index].mode == Mode::Cheque);
        let mut rows = Vec::new();
        for (index, txn) in transactions.iter().enumerate() {
            let date = txn.transaction.date.date();
            let day = day_of(date);
            let read_like_the_pay = pay_rules.contains(plain_transfer_reading(&txn.rule_id));
            let fits = date > *first
                && date < *last
                && read_like_the_pay
                && !salary_rows.contains(&index)
                && !paid_months.contains(&month_of(txn))
                && is_credit(txn)
                && channel_can_be_pay(txn)
                && !says_not_salary(txn)
                && (txn
                    .counterparty
                    .as_deref()
                    .is_some_and(|name| payer_kind(name) != PayerKind::Person)
                    || (pay_by_cheque && txn.counterparty.is_none() && txn.mode == Mode::Cheque))
                && within_tolerance(txn.transaction.amount, usual, GAP_AMOUNT_TOLERANCE_PERCENT)
                && day >= earliest - MAX_DAY_SPREAD
                && day <= latest + MAX_DAY_SPREAD;
            if fits {
                rows.push(index);
            }
        }
        // One such credit per month, or the month is left unread.
        let mut by_month: BTreeMap<(i32, u32), Vec<usize>> = BTreeMap::new();
        for index in rows {
            by_month
                .entry(month_of(&transactions[index]))
                .or_default()
                .push(index);
        }
        let filled: Vec<usize> = by_month
            .into_iter()
            .filter(|(_, rows)| rows.len() == 1)
            .flat_map(|(_, rows)| rows)
            .collect();
        if filled.is_empty() {
            continue;
        }
        paid_months.extend(filled.iter().map(|&index| month_of(&transactions[index])));
        found.push(SalaryDecision {
            rule: "gap_month",
            employer_name: decision
                .employer_name
                .clone()
                .or_else(|| employer_for(transactions, &filled)),
            confidence: (decision.confidence - 10.0).max(50.0),
            reason: format!(
                "in {} month(s) of the {} salary run with no salary credit, one credit of the usual amount (within {GAP_AMOUNT_TOLERANCE_PERCENT} % of {}) on the usual pay day, printed as {}",
                filled.len(),
                decision.rule,
                usual.round_dp(2),
                employer_for(transactions, &filled)
                    .unwrap_or_else(|| "a cheque with no drawer, among the employer's cheques".into())
            ),
            transactions: filled,
        });
    }
    found
}

/// `cheque_beside_pay` — an employer paying by cheque (every row of a decision a cheque, three
/// months or more): a cheque printed with no drawer deposited the same day as its pay cheque, of
/// at least BONUS_SHARE_PERCENT and at most the usual pay, once in the statement, is its second
/// cheque (a festival bonus drawn on another cheque, deposited with the pay; issue 10 salary
/// sets L, M). A smaller undrawn cheque, or one on another day, may be anyone's.
fn cheques_beside_pay(
    transactions: &[EnrichedTransaction],
    decisions: &[SalaryDecision],
) -> Vec<SalaryDecision> {
    let salary_rows: BTreeSet<usize> = decisions
        .iter()
        .flat_map(|decision| decision.transactions.iter().copied())
        .collect();
    let mut found = Vec::new();
    for decision in decisions {
        let cheques = decision
            .transactions
            .iter()
            .all(|&index| transactions[index].mode == Mode::Cheque);
        if !cheques || months_covered(transactions, &decision.transactions) < 3 {
            continue;
        }
        let amounts: Vec<Decimal> = decision
            .transactions
            .iter()
            .map(|&index| transactions[index].transaction.amount)
            .collect();
        let Some(usual) = median(&amounts) else {
            continue;
        };
        let pay_dates: BTreeSet<NaiveDate> = decision
            .transactions
            .iter()
            .map(|&index| transactions[index].transaction.date.date())
            .collect();
        let rows: Vec<usize> = transactions
            .iter()
            .enumerate()
            .filter(|(index, txn)| {
                let amount = txn.transaction.amount;
                !salary_rows.contains(index)
                    && is_credit(txn)
                    && txn.mode == Mode::Cheque
                    && txn.counterparty.is_none()
                    && !says_not_salary(txn)
                    && pay_dates.contains(&txn.transaction.date.date())
                    && amount * Decimal::ONE_HUNDRED >= usual * Decimal::from(BONUS_SHARE_PERCENT)
                    && amount <= usual
            })
            .map(|(index, _)| index)
            .collect();
        if rows.len() != 1 {
            continue;
        }
        found.push(SalaryDecision {
            rule: "cheque_beside_pay",
            employer_name: decision.employer_name.clone(),
            confidence: (decision.confidence - 20.0).max(50.0),
            reason: format!(
                "a cheque printed with no drawer, deposited the same day as the employer's pay cheque ({}), of at least {BONUS_SHARE_PERCENT} % of the usual pay of {}: the employer's second cheque (a bonus)",
                decision.rule,
                usual.round_dp(2)
            ),
            transactions: rows,
        });
    }
    found
}

/// Marks the decided rows and builds the report.
fn apply(transactions: &mut [EnrichedTransaction], decisions: Vec<SalaryDecision>) -> SalaryReport {
    for decision in &decisions {
        for &index in &decision.transactions {
            let txn = &mut transactions[index];
            txn.is_salary = true;
            txn.transaction_channel = "salary".into();
            txn.category = "Salary".into();
            txn.salary_month = Some(salary_month(txn));
            txn.employer_name = decision.employer_name.clone();
        }
    }
    let mut all: Vec<usize> = decisions
        .iter()
        .flat_map(|decision| decision.transactions.iter().copied())
        .collect();
    all.sort_unstable();
    all.dedup();
    // The report's employer is the one paying most recently: the current job (among the
    // decisions that name one: a pay bill's name alone names no employer).
    // Two jobs paying in the same last month: the one paying more is the main one.
    let latest = decisions
        .iter()
        .filter(|decision| decision.employer_name.is_some())
        .max_by_key(|decision| {
            let paid: Vec<&EnrichedTransaction> = decision
                .transactions
                .iter()
                .filter_map(|&index| transactions.get(index))
                .collect();
            let last_month = paid.iter().map(|txn| month_of(txn)).max();
            let total: Decimal = paid.iter().map(|txn| txn.transaction.amount).sum();
            (last_month, total)
        });
    let best = decisions
        .iter()
        .map(|decision| decision.confidence)
        .fold(None, |acc: Option<f64>, value| {
            Some(acc.map_or(value, |a| a.max(value)))
        });
    let evidence = decisions
        .iter()
        .max_by(|a, b| a.confidence.total_cmp(&b.confidence))
        .map(|decision| match decision.rule {
            "keyword" | "keyword_payer" => "narration",
            "session_employer" => "employer_name",
            _ => "recurring_payer",
        });
    SalaryReport {
        transactions: all,
        employer_name: latest.and_then(|decision| decision.employer_name.clone()),
        salary_confidence: best,
        evidence,
        decisions,
    }
}

fn month_of(txn: &EnrichedTransaction) -> (i32, u32) {
    (txn.transaction.date.year(), txn.transaction.date.month())
}

/// The month `step` months after (before, when negative) `month`.
fn month_step((year, month): (i32, u32), step: i32) -> (i32, u32) {
    let index = year * 12 + month as i32 - 1 + step;
    (index.div_euclid(12), index.rem_euclid(12) as u32 + 1)
}

/// Credits grouped by payer key, in statement order; rows without a payer share the `None` group.
fn group_by_payer(
    transactions: &[EnrichedTransaction],
    indices: &[usize],
) -> BTreeMap<Option<String>, Vec<usize>> {
    let mut groups: BTreeMap<Option<String>, Vec<usize>> = BTreeMap::new();
    for &index in indices {
        let txn = &transactions[index];
        let key = txn
            .counterparty
            .as_deref()
            .and_then(payer_key)
            .or_else(|| unnamed_payer_key(txn));
        groups.entry(key).or_default().push(index);
    }
    merge_cut_payers(groups)
}

/// Marks the key of a payer known only by its bank branch (see [`unnamed_payer_key`]).
const UNNAMED_PAYER_PREFIX: &str = "UNNAMED PAYER AT ";
/// Stands for the drawer of cheques deposited with no drawer printed (see [`unnamed_payer_key`]).
const UNNAMED_CHEQUE_DRAWER: &str = "CHEQUE CLEARING";

/// A NEFT or RTGS credit that names nobody but prints the remitting branch's IFSC
/// ("NEFT_IN:<n><UTR><IFSC>//<UTR>/", PNB): the branch stands for the payer, so a payroll
/// sent without the employer's name is still one payer's monthly credit. The holder's own
/// branch code is as likely as any; only the cadence and amount make it pay.
///
/// Cheques deposited with no drawer printed ("CHQ DEP - MICR CLG - THANE - CTS 624919"; HDFC):
/// all are one unnamed payer, so a school paying its staff by cheque every month is one payer's
/// monthly credit; only the cadence and sums worked out to the rupee make it pay (see
/// [`monthly_pattern`]; issue 10 salary set L).
fn unnamed_payer_key(txn: &EnrichedTransaction) -> Option<String> {
    if txn.counterparty.is_none() && txn.mode == Mode::Cheque {
        return Some(format!("{UNNAMED_PAYER_PREFIX}{UNNAMED_CHEQUE_DRAWER}"));
    }
    if txn.counterparty.is_some() || !matches!(txn.mode, Mode::Neft | Mode::Rtgs) {
        return None;
    }
    txn.normalized_note
        .split_whitespace()
        .find_map(ifsc_in_word)
        .map(|ifsc| format!("{UNNAMED_PAYER_PREFIX}{ifsc}"))
}

/// The IFSC a word is or ends with: banks glue it after the UTR ("12HDFCN5202...HDFC0000240").
fn ifsc_in_word(word: &str) -> Option<&str> {
    if word.len() < 11 || !word.is_char_boundary(word.len() - 11) {
        return None;
    }
    let tail = &word[word.len() - 11..];
    crate::narration::is_ifsc(tail).then_some(tail)
}

/// Banks cut a long payer name at their field width, at different widths from one month to
/// the next or from one rail to another ("GREENFIELD AGRO F" beside "GREENFIELD AGRO FOODS
/// PVT", "VERTEX ANALYTICS INDI" beside "VERTEX ANALYTICS INDIA PVT LTD"): a key as long as
/// a cut name that begins a longer key is the same payer, joined to the longest such key
/// with the most rows. Shorter keys ("RAMESH KUMAR" before "RAMESH KUMAR SHARMA") are
/// never taken as cut.
fn merge_cut_payers(
    mut groups: BTreeMap<Option<String>, Vec<usize>>,
) -> BTreeMap<Option<String>, Vec<usize>> {
    let keys: Vec<String> = groups.keys().flatten().cloned().collect();
    for short in &keys {
        if short.len() < MIN_CUT_NAME_LENGTH {
            continue;
        }
        let longer = keys
            .iter()
            .filter(|long| long.len() > short.len() && long.starts_with(short.as_str()))
            .max_by_key(|long| {
                (
                    groups.get(&Some((*long).clone())).map_or(0, Vec::len),
                    long.len(),
                )
            })
            .cloned();
        if let Some(longer) = longer {
            if let Some(rows) = groups.remove(&Some(short.clone())) {
                let target = groups.entry(Some(longer)).or_default();
                target.extend(rows);
                target.sort_unstable();
            }
        }
    }
    groups
}

/// Distinct firm payers crediting the account repeatedly (two or more credits of at least
/// ₹1,000): clients do; a salaried person's one-off credits from firms (a payout, an
/// insurer, a reward) do not make the account a business's.
fn firm_payers(
    transactions: &[EnrichedTransaction],
    groups: &BTreeMap<Option<String>, Vec<usize>>,
) -> usize {
    groups
        .iter()
        .filter(|(key, indices)| {
            let firm_credits = indices
                .iter()
                .filter(|&&index| {
                    let txn = &transactions[index];
                    txn.transaction.amount >= Decimal::new(1_000, 0)
                        && txn
                            .counterparty
                            .as_deref()
                            .is_some_and(|name| payer_kind(name) == PayerKind::Firm)
                })
                .count();
            key.is_some() && firm_credits >= 2
        })
        .count()
}

/// Distinct payers, people or firms, crediting the account at least ₹1,000 in each of
/// RECURRING_PAYER_MONTHS or more months: a salaried person's family, tenant and own other
/// account are a few; a business's regular customers are many.
///
/// Counted among payers of like sums only: a business's customers pay like bills for like
/// service (a tiffin service's monthly bills of 2,450-3,600), while a salaried person's
/// regular payers pay sums of different kinds (two rents, a father's allowance, a loan
/// repaid, a chit fund's dividend; issue 10 salary set J). The most payers whose usual sums
/// lie within a factor of LIKE_SUMS_FACTOR of one another.
fn recurring_payers(
    transactions: &[EnrichedTransaction],
    groups: &BTreeMap<Option<String>, Vec<usize>>,
) -> usize {
    let mut usual_sums: Vec<Decimal> = groups
        .iter()
        .filter(|(key, _)| key.is_some())
        .filter_map(|(_, indices)| {
            let rows: Vec<usize> = indices
                .iter()
                .copied()
                .filter(|&index| transactions[index].transaction.amount >= Decimal::new(1_000, 0))
                .collect();
            let months: BTreeSet<(i32, u32)> = rows
                .iter()
                .map(|&index| month_of(&transactions[index]))
                .collect();
            (months.len() >= RECURRING_PAYER_MONTHS).then(|| {
                median(
                    &rows
                        .iter()
                        .map(|&index| transactions[index].transaction.amount)
                        .collect::<Vec<_>>(),
                )
            })?
        })
        .collect();
    usual_sums.sort_unstable();
    (0..usual_sums.len())
        .map(|low| {
            usual_sums[low..]
                .iter()
                .take_while(|sum| **sum <= usual_sums[low] * Decimal::from(LIKE_SUMS_FACTOR))
                .count()
        })
        .max()
        .unwrap_or(0)
}

/// How far apart the usual sums of a business's regular customers may lie (see
/// [`recurring_payers`]).
const LIKE_SUMS_FACTOR: i64 = 2;

/// True when `words` appear consecutively as whole words of the padded normalised text, the
/// last one possibly cut at the bank's field width ("LUMEN DENTAL CLINIC" for the session's
/// "Lumen Dental Clinics Pvt Ltd") when the words before it, at least five letters, match.
fn names_words(normalized: &str, words: &[String]) -> bool {
    if words.is_empty() || words.iter().map(String::len).sum::<usize>() < 3 {
        return false;
    }
    if normalized.contains(&format!(" {} ", words.join(" "))) {
        return true;
    }
    let Some((last, leading)) = words.split_last() else {
        return false;
    };
    if leading.is_empty() || leading.iter().map(String::len).sum::<usize>() < 5 {
        return false;
    }
    let prefix = format!(" {} ", leading.join(" "));
    normalized.match_indices(&prefix).any(|(at, _)| {
        normalized[at + prefix.len()..]
            .split_whitespace()
            .next()
            .is_some_and(|cut| last.starts_with(cut))
    })
}

/// The employer's name as the statement prints it: the most frequent payer of the rows.
fn employer_for(transactions: &[EnrichedTransaction], indices: &[usize]) -> Option<String> {
    // Pay through a payroll processor names the employer after the processor's name.
    let mut processed: BTreeMap<String, usize> = BTreeMap::new();
    for &index in indices {
        if let Some(employer) = processor_employer(&transactions[index]) {
            *processed.entry(employer).or_default() += 1;
        }
    }
    if let Some((employer, _)) = processed.into_iter().max_by_key(|(_, count)| *count) {
        return Some(employer);
    }
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for &index in indices {
        if let Some(payer) = &transactions[index].counterparty {
            let words = crate::narration::normalize(payer);
            let names_pay_only = signal_words().iter().any(|(phrase, kind)| {
                *kind == WordKind::PayPhrase && words == format!(" {phrase} ")
            });
            if !words.contains(" SALARY ") && !names_pay_only {
                *counts.entry(without_trailing_pay_words(payer)).or_default() += 1;
            }
        }
    }
    counts
        .into_iter()
        .max_by_key(|(_, count)| *count)
        .map(|(name, _)| name.to_string())
}

/// Words printed after an employer's name that describe the pay, not the payer: the pay's
/// name and its month ("DEAN GOVT MEDICAL COLL MONTHLY STIPEND MAY" names the college).
const TRAILING_PAY_WORDS: &[&str] = &["SALARY", "SAL", "STIPEND", "MONTHLY", "WAGES", "PAY", "FOR"];

/// The payer's name without the pay words and month printed after it (see
/// [`TRAILING_PAY_WORDS`]); the name itself as printed when nothing would be left.
fn without_trailing_pay_words(payer: &str) -> &str {
    let describes_pay = |word: &str| {
        let upper = word.to_ascii_uppercase();
        let letters = upper.trim_end_matches(|c: char| c.is_ascii_digit());
        TRAILING_PAY_WORDS.contains(&upper.as_str())
            || upper.bytes().all(|b| b.is_ascii_digit())
            || MONTH_NAMES.contains(&letters)
            || full_month_name(letters)
    };
    let mut rest = payer.trim_end();
    while let Some((head, last)) = rest.rsplit_once(' ') {
        if !describes_pay(last) {
            break;
        }
        rest = head.trim_end();
    }
    rest
}

/// The one branch key every credit of `indices` shares when none names its payer.
fn unnamed_payer_of(transactions: &[EnrichedTransaction], indices: &[usize]) -> Option<String> {
    let mut keys = indices
        .iter()
        .map(|&index| unnamed_payer_key(&transactions[index]));
    let first = keys.next()??;
    keys.all(|key| key.as_deref() == Some(first.as_str()))
        .then_some(first)
}

fn months_covered(transactions: &[EnrichedTransaction], indices: &[usize]) -> usize {
    indices
        .iter()
        .map(|&index| month_of(&transactions[index]))
        .collect::<BTreeSet<_>>()
        .len()
}

fn median(values: &[Decimal]) -> Option<Decimal> {
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    sorted.get(sorted.len() / 2).copied()
}

fn within_tolerance(amount: Decimal, median: Decimal, percent: i64) -> bool {
    (amount - median).abs() * Decimal::ONE_HUNDRED <= median * Decimal::from(percent)
}

/// The employer's pay-sized credits (at least half the median); a reimbursement the
/// employer sends besides the pay is not salary. A smaller credit alone in the first or the
/// last month, on the usual pay day, is the pay of a month joined or left part-way through.
fn drop_small_extras(transactions: &[EnrichedTransaction], indices: Vec<usize>) -> Vec<usize> {
    let amounts: Vec<Decimal> = indices
        .iter()
        .map(|&index| transactions[index].transaction.amount)
        .collect();
    let Some(median) = median(&amounts) else {
        return indices;
    };
    let pay_sized = |index: usize| transactions[index].transaction.amount * Decimal::TWO >= median;
    let pay_dates: Vec<NaiveDate> = indices
        .iter()
        .copied()
        .filter(|&index| pay_sized(index))
        .map(|index| transactions[index].transaction.date.date())
        .collect();
    let months: Vec<(i32, u32)> = indices
        .iter()
        .map(|&index| month_of(&transactions[index]))
        .collect();
    let (first, last) = (months.iter().min(), months.iter().max());
    indices
        .iter()
        .copied()
        .filter(|&index| {
            let txn = &transactions[index];
            let month = month_of(txn);
            pay_sized(index)
                || ((Some(&month) == first || Some(&month) == last)
                    && months.iter().filter(|m| **m == month).count() == 1
                    && pay_dates.len() >= 2
                    && txn.transaction.amount >= Decimal::new(MIN_INFERRED_SALARY, 0)
                    && on_usual_pay_day(&pay_dates, txn.transaction.date.date()))
        })
        .collect()
}

/// Credits below half the median among an employer's kept rows: the part-way months
/// `drop_small_extras` keeps.
fn partial_months(transactions: &[EnrichedTransaction], indices: &[usize]) -> usize {
    let amounts: Vec<Decimal> = indices
        .iter()
        .map(|&index| transactions[index].transaction.amount)
        .collect();
    median(&amounts).map_or(0, |median| {
        amounts
            .iter()
            .filter(|amount| **amount * Decimal::TWO < median)
            .count()
    })
}

/// True when `date` falls within the pay-day spread of `pay_dates` (days near the month end
/// counted back from it when the pay days straddle it).
fn on_usual_pay_day(pay_dates: &[NaiveDate], date: NaiveDate) -> bool {
    let (days, _) = pay_days(pay_dates);
    let wrapped = days.iter().any(|day| *day <= 0);
    let day = i64::from(date.day());
    let day = if wrapped && day >= 16 {
        day - i64::from(days_in_month(date))
    } else {
        day
    };
    match (days.iter().min(), days.iter().max()) {
        (Some(&earliest), Some(&latest)) => {
            day >= earliest - MAX_DAY_SPREAD && day <= latest + MAX_DAY_SPREAD
        }
        _ => false,
    }
}

/// Credits of the keyword employer that carry no keyword but a pay-sized amount, a month's pay
/// in parts, or a word for pay beyond the salary.
fn keyword_payer(
    transactions: &[EnrichedTransaction],
    decisions: &[SalaryDecision],
    key: &str,
    indices: &[usize],
) -> Option<SalaryDecision> {
    let keyword_rows: Vec<usize> = decisions
        .iter()
        .filter(|decision| decision.rule == "keyword")
        .flat_map(|decision| decision.transactions.iter().copied())
        .filter(|&index| {
            transactions[index]
                .counterparty
                .as_deref()
                .and_then(payer_key)
                .as_deref()
                == Some(key)
        })
        .collect();
    let amounts: Vec<Decimal> = keyword_rows
        .iter()
        .map(|&index| transactions[index].transaction.amount)
        .collect();
    let median = median(&amounts)?;
    let paid_months: BTreeSet<(i32, u32)> = keyword_rows
        .iter()
        .map(|&index| month_of(&transactions[index]))
        .collect();
    let mut joined: Vec<usize> = indices
        .iter()
        .copied()
        .filter(|&index| {
            let txn = &transactions[index];
            within_tolerance(txn.transaction.amount, median, AMOUNT_TOLERANCE_PERCENT)
                && !paid_months.contains(&month_of(txn))
        })
        .collect();
    let within = joined.len();
    // A month paid in parts (a wage advance mid-month, the balance on the pay day): a short
    // credit in a month without pay whose payer's other credits since the previous pay bring
    // it within the tolerance of the usual pay holds them all, as in `monthly_pattern`.
    let date_of = |index: usize| transactions[index].transaction.date.date();
    let mut by_date: Vec<usize> = indices.to_vec();
    by_date.sort_by_key(|&index| (date_of(index), index));
    let mut parts_months = 0;
    for &index in &by_date {
        let month = month_of(&transactions[index]);
        let paid_month = |rows: &[usize]| rows.iter().any(|&i| month_of(&transactions[i]) == month);
        if joined.contains(&index) || paid_months.contains(&month) || paid_month(&joined) {
            continue;
        }
        let date = date_of(index);
        let Some(since) = keyword_rows
            .iter()
            .chain(joined.iter())
            .map(|&i| date_of(i))
            .filter(|d| *d < date)
            .max()
        else {
            continue;
        };
        let window: Vec<usize> = by_date
            .iter()
            .copied()
            .filter(|&i| i != index && !joined.contains(&i))
            .filter(|&i| date_of(i) > since && date_of(i) <= date)
            .filter(|&i| !says_pay_extra(&transactions[i]))
            .collect();
        let total_with = |others: &[usize]| -> Decimal {
            std::iter::once(index)
                .chain(others.iter().copied())
                .map(|i| transactions[i].transaction.amount)
                .sum()
        };
        // A month paid in two credits the same day (a transfer limit) is those two alone: the
        // payer's other credits since the last pay (a driver's fuel money) are not pay.
        let same_day: Vec<usize> = window
            .iter()
            .copied()
            .filter(|&i| date_of(i) == date)
            .collect();
        let others = if !same_day.is_empty()
            && within_tolerance(total_with(&same_day), median, AMOUNT_TOLERANCE_PERCENT)
        {
            same_day
        } else {
            window
        };
        let total = total_with(&others);
        if !others.is_empty() && within_tolerance(total, median, AMOUNT_TOLERANCE_PERCENT) {
            joined.push(index);
            joined.extend(others);
            parts_months += 1;
        }
    }
    // The employer's credits that say they are pay beyond the salary (a bonus, arrears, a
    // leaver's full and final settlement) are pay too, whatever their amount or day.
    let extras: Vec<usize> = indices
        .iter()
        .copied()
        .filter(|index| !joined.contains(index) && says_pay_extra(&transactions[*index]))
        .collect();
    let extras_count = extras.len();
    joined.extend(extras);
    // Pay printed in two credits every month (the salary and its flexible-benefit part, "SAL
    // MAY25" and "FBP MAY25"): the payer's one other credit in each month the pay was paid,
    // in every such month, on a consistent day.
    let second_parts = second_pay_parts(transactions, &keyword_rows, &joined, indices);
    let second_count = second_parts.len();
    joined.extend(second_parts);
    // A month joined or left part-way: the payer's one smaller credit in the month before its
    // first pay or after its last, on the usual pay day (a pro-rated first or last pay).
    let pay_rows: Vec<usize> = keyword_rows.iter().chain(joined.iter()).copied().collect();
    let pay_dates: Vec<NaiveDate> = pay_rows.iter().map(|&index| date_of(index)).collect();
    let pay_months: BTreeSet<(i32, u32)> = pay_rows
        .iter()
        .map(|&index| month_of(&transactions[index]))
        .collect();
    let edge_months: Vec<(i32, u32)> = pay_months
        .first()
        .map(|&first| month_step(first, -1))
        .into_iter()
        .chain(pay_months.last().map(|&last| month_step(last, 1)))
        .collect();
    let mut part_months = 0;
    for month in edge_months {
        let in_month: Vec<usize> = indices
            .iter()
            .copied()
            .filter(|&index| month_of(&transactions[index]) == month)
            .collect();
        if let [index] = in_month[..] {
            let amount = transactions[index].transaction.amount;
            if !joined.contains(&index)
                && amount >= Decimal::new(MIN_INFERRED_SALARY, 0)
                && amount < median
                && pay_dates.len() >= 2
                && on_usual_pay_day(&pay_dates, date_of(index))
            {
                joined.push(index);
                part_months += 1;
            }
        }
    }
    joined.sort_unstable();
    joined.dedup();
    if joined.is_empty() {
        return None;
    }
    let mut reason = format!(
        "same payer ({key}) as credits the narration calls salary, amount within {AMOUNT_TOLERANCE_PERCENT} % of their median, in a month without one"
    );
    if within == 0 {
        reason = format!("same payer ({key}) as credits the narration calls salary");
    }
    if parts_months > 0 {
        reason.push_str(&format!(
            "; {parts_months} month(s) paid in parts (an advance and the balance) adding up to it"
        ));
    }
    if extras_count > 0 {
        reason.push_str(&format!(
            "; {extras_count} more credit(s) naming pay beyond salary (bonus, arrears, final settlement)"
        ));
    }
    if part_months > 0 {
        reason.push_str(&format!(
            "; {part_months} smaller credit(s) on the usual pay day in the month before the first pay or after the last (a month joined or left part-way)"
        ));
    }
    if second_count > 0 {
        reason.push_str(&format!(
            "; a second part of the pay in each of its {second_count} month(s), on a consistent day"
        ));
    }
    Some(SalaryDecision {
        rule: "keyword_payer",
        employer_name: employer_for(transactions, &joined),
        confidence: 95.0,
        reason,
        transactions: joined,
    })
}

/// Fewest months a keyword employer's second credit must come in (see [`second_pay_parts`]).
const MIN_SECOND_PART_MONTHS: usize = 3;

/// The keyword employer's second part of the pay: its credits (not yet pay, of at least
/// MIN_INFERRED_SALARY) when there is exactly one in every month the pay was paid and none in
/// other months, at least MIN_SECOND_PART_MONTHS of them, on a consistent day. Expense claims
/// say what they are or come on no steady day and not every month.
fn second_pay_parts(
    transactions: &[EnrichedTransaction],
    keyword_rows: &[usize],
    joined: &[usize],
    indices: &[usize],
) -> Vec<usize> {
    let paid_months: BTreeSet<(i32, u32)> = keyword_rows
        .iter()
        .chain(joined)
        .map(|&index| month_of(&transactions[index]))
        .collect();
    let others: Vec<usize> = indices
        .iter()
        .copied()
        .filter(|index| !joined.contains(index) && !keyword_rows.contains(index))
        .filter(|&index| {
            transactions[index].transaction.amount >= Decimal::new(MIN_INFERRED_SALARY, 0)
        })
        .collect();
    let months: BTreeSet<(i32, u32)> = others
        .iter()
        .map(|&index| month_of(&transactions[index]))
        .collect();
    let dates: Vec<NaiveDate> = others
        .iter()
        .map(|&index| transactions[index].transaction.date.date())
        .collect();
    // The variable part of a month's pay often comes in the next month, so the first month
    // paid may have none (or the last, its part after the statement ends).
    let missing: Vec<&(i32, u32)> = paid_months.difference(&months).collect();
    let edge_missing = match missing[..] {
        [] => true,
        [month] => paid_months.first() == Some(month) || paid_months.last() == Some(month),
        _ => false,
    };
    let one_a_month =
        others.len() == months.len() && months.is_subset(&paid_months) && edge_missing;
    if one_a_month && others.len() >= MIN_SECOND_PART_MONTHS && pay_days(&dates).1 <= MAX_DAY_SPREAD
    {
        others
    } else {
        Vec::new()
    }
}

/// Pay-cycle index of a day: months since year 0, after moving the day so the payer's
/// usual pay day falls mid-month (a pay day on the 30th/1st stays in one cycle).
fn cycle_of(date: NaiveDate, offset_days: i64) -> i64 {
    let shifted = date + chrono::Duration::days(offset_days);
    i64::from(shifted.year()) * 12 + i64::from(shifted.month0())
}

/// Days of the month written so a pay day straddling the month end stays contiguous:
/// the representation (1..31 or month-end as negative) with the smaller spread.
fn pay_days(dates: &[NaiveDate]) -> (Vec<i64>, i64) {
    let raw: Vec<i64> = dates.iter().map(|d| i64::from(d.day())).collect();
    let wrapped: Vec<i64> = dates
        .iter()
        .map(|d| {
            let day = i64::from(d.day());
            if day >= 16 {
                day - i64::from(days_in_month(*d))
            } else {
                day
            }
        })
        .collect();
    let spread = |days: &[i64]| days.iter().max().unwrap_or(&0) - days.iter().min().unwrap_or(&0);
    if spread(&wrapped) < spread(&raw) {
        let s = spread(&wrapped);
        (wrapped, s)
    } else {
        let s = spread(&raw);
        (raw, s)
    }
}

fn days_in_month(date: NaiveDate) -> u32 {
    date.with_day(1)
        .and_then(|first| first.checked_add_months(Months::new(1)))
        .and_then(|next| next.pred_opt())
        .map_or(31, |last| last.day())
}

/// Signed working-day distance to the nearest month end (see predictors): the last
/// working day of every month has the same position whatever its calendar day.
fn working_day_position(day: NaiveDate) -> i64 {
    let working = |from: NaiveDate, to: NaiveDate| {
        from.iter_days()
            .take_while(|d| *d <= to)
            .filter(|d| !is_bank_holiday(*d))
            .count() as i64
    };
    if day.day() <= 15 {
        working(day.with_day(1).unwrap_or(day), day)
    } else {
        let month_end = day.with_day(days_in_month(day)).unwrap_or(day);
        match day.succ_opt() {
            Some(next) if next <= month_end => -working(next, month_end),
            _ => 0,
        }
    }
}

/// Pay cycles the statement covers (first to last row, counted as months).
fn statement_cycles(transactions: &[EnrichedTransaction]) -> i64 {
    let dates = transactions.iter().map(|txn| txn.transaction.date.date());
    match (dates.clone().min(), dates.max()) {
        (Some(first), Some(last)) => {
            let months = |d: NaiveDate| i64::from(d.year()) * 12 + i64::from(d.month0());
            months(last) - months(first) + 1
        }
        _ => 0,
    }
}

/// Judges one payer's credits as a monthly pay; `Some((decision, total))` when they are.
fn monthly_pattern(
    transactions: &[EnrichedTransaction],
    indices: &[usize],
    statement_span: i64,
    holder_words: &BTreeSet<String>,
) -> Option<(SalaryDecision, Decimal)> {
    let eligible: Vec<usize> = indices
        .iter()
        .copied()
        .filter(|&index| {
            let txn = &transactions[index];
            txn.transaction.amount >= Decimal::new(MIN_INFERRED_SALARY, 0)
                && !says_pay_extra(txn)
                && matches!(
                    txn.mode,
                    Mode::Neft
                        | Mode::Imps
                        | Mode::Rtgs
                        | Mode::Transfer
                        | Mode::Ach
                        | Mode::Upi
                        | Mode::Cheque
                        | Mode::Other
                )
        })
        .collect();
    if eligible.len() < 2 {
        return None;
    }
    // A payer known only by its branch's IFSC (see `unnamed_payer_key`) is of unknown kind.
    let (name, kind) = match employer_for(transactions, &eligible) {
        Some(name) => {
            let kind = payer_kind(&name);
            (name, kind)
        }
        None => (
            unnamed_payer_of(transactions, &eligible)?,
            PayerKind::Unknown,
        ),
    };
    let unnamed = name.starts_with(UNNAMED_PAYER_PREFIX);
    // Cheques naming no drawer may be anyone's: a tenant's rent or a relative's gift comes as
    // a fixed or round sum, pay after deductions as sums worked out to the rupee.
    if name.ends_with(UNNAMED_CHEQUE_DRAWER) && !mostly_odd_sums(transactions, &eligible) {
        return None;
    }
    // A payer printed like a person (a shop's name cut to three plain words: "SHREE GANESH
    // HAR") pays wages when every credit's note names the month it pays for, month after
    // month; tenants name the rent. A payer sharing a name with the holder is family (a
    // father's monthly allowance noted "JAN", "FEB"), never an employer.
    let months_named = kind == PayerKind::Person
        && !shares_a_name(&name, holder_words)
        && names_the_months_paid(transactions, &eligible);
    // Or a payer printed like a person (a firm's name cut to two plain words: "BRIGHTLOOP TE")
    // whose amounts vary month to month in odd sums, as pay with incentives and unpaid leave
    // does; people send fixed or round sums (see `varies_like_pay`).
    let varying_pay = kind == PayerKind::Person
        && !months_named
        && !shares_a_name(&name, holder_words)
        && varies_like_pay(transactions, &eligible);
    if kind == PayerKind::Person && !months_named && !varying_pay {
        return None;
    }
    // UPI is how people pay people; from an unnamed kind of payer it is not pay.
    let upi = eligible
        .iter()
        .any(|&index| transactions[index].mode == Mode::Upi);
    if upi && kind != PayerKind::Firm {
        return None;
    }
    // The usual pay day is read from the pay-sized credits only: an employer's smaller
    // credits (expense claims, reimbursements) on other days must not move it, or a pay day
    // on the 1st is split from one paid early on the 31st.
    let mut amounts_desc: Vec<Decimal> = eligible
        .iter()
        .map(|&index| transactions[index].transaction.amount)
        .collect();
    amounts_desc.sort_unstable_by(|a, b| b.cmp(a));
    let reference = median(&amounts_desc[..amounts_desc.len().div_ceil(2)])?;
    let dates: Vec<NaiveDate> = eligible
        .iter()
        .filter(|&&index| transactions[index].transaction.amount * Decimal::TWO >= reference)
        .map(|&index| transactions[index].transaction.date.date())
        .collect();
    let (days, _) = pay_days(&dates);
    let mut sorted_days = days.clone();
    sorted_days.sort_unstable();
    let median_day = sorted_days[sorted_days.len() / 2];
    // Move the usual pay day to the 15th so one cycle never splits around it.
    let offset = 15 - median_day;
    let mut by_cycle: BTreeMap<i64, Vec<usize>> = BTreeMap::new();
    for &index in &eligible {
        let date = transactions[index].transaction.date.date();
        by_cycle
            .entry(cycle_of(date, offset))
            .or_default()
            .push(index);
    }
    // A month's pay held into the next (a treasury's year-end closing, a bill passed late): a
    // cycle inside the run holding no credit, followed by one holding two credits of the usual
    // amount, the earlier of them that month's pay. Its day is left out of the timing.
    let late = late_pay_moves(transactions, &by_cycle, reference);
    let late: BTreeSet<usize> = if late.len() <= off_months_allowed(by_cycle.len() + late.len()) {
        for &(index, from) in &late {
            if let Some(rows) = by_cycle.get_mut(&from) {
                rows.retain(|row| *row != index);
            }
            by_cycle.insert(from - 1, vec![index]);
        }
        late.iter().map(|(index, _)| *index).collect()
    } else {
        BTreeSet::new()
    };
    // One pay per cycle. A client paying several invoices a month is no employer, so
    // pay-sized second credits in more than a quarter of the cycles reject the payer; in
    // the other cycles (a bonus month) the credit nearest the usual amount is the pay.
    let largest: Vec<Decimal> = by_cycle
        .values()
        .filter_map(|rows| {
            rows.iter()
                .map(|&i| transactions[i].transaction.amount)
                .max()
        })
        .collect();
    let usual = median(&largest)?;
    let mut crowded = 0;
    let mut chosen: Vec<(i64, usize)> = Vec::new();
    let mut pay_sized_by_cycle: Vec<(i64, Vec<usize>)> = Vec::new();
    for (cycle, rows) in &by_cycle {
        let pay_sized: Vec<usize> = rows
            .iter()
            .copied()
            .filter(|&i| transactions[i].transaction.amount * Decimal::TWO >= usual)
            .collect();
        if pay_sized.len() > 1 {
            crowded += 1;
        }
        // A cycle with only smaller credits from the payer (an expense claim) holds no pay.
        if pay_sized.is_empty() {
            continue;
        }
        let nearest = rows
            .iter()
            .copied()
            .min_by_key(|&i| (transactions[i].transaction.amount - usual).abs())?;
        chosen.push((*cycle, nearest));
        pay_sized_by_cycle.push((*cycle, pay_sized));
    }
    // Pay split into two tranches every month (by components, or by the employer's bank): a
    // firm whose every paid cycle holds exactly two pay-sized credits, the later one on a
    // consistent day too, pays the two together. Clients' invoices do not keep that count
    // and day month after month.
    let split = crowded * 4 > chosen.len()
        && kind == PayerKind::Firm
        && pay_sized_by_cycle.iter().all(|(_, rows)| rows.len() == 2)
        && {
            let later: Vec<NaiveDate> = pay_sized_by_cycle
                .iter()
                .filter_map(|(_, rows)| {
                    rows.iter()
                        .map(|&i| transactions[i].transaction.date.date())
                        .max()
                })
                .collect();
            pay_days(&later).1 <= MAX_DAY_SPREAD
        };
    // Pay in a larger and a smaller part (the fixed pay at the month end, the variable part a
    // week later) whose smaller part is near half the larger, so some months count it as
    // pay-sized and others not: see `larger_and_smaller_parts`.
    let parts = if crowded * 4 > chosen.len() && !split && kind == PayerKind::Firm {
        larger_and_smaller_parts(transactions, &by_cycle, usual)
    } else {
        None
    };
    if crowded * 4 > chosen.len() && !split && parts.is_none() {
        return None;
    }
    // Each cycle's pay: its rows and their total.
    let mut paid: Vec<(i64, Vec<usize>)> = if split {
        pay_sized_by_cycle
    } else if let Some((larger, _)) = &parts {
        larger
            .iter()
            .map(|&(cycle, index)| (cycle, vec![index]))
            .collect()
    } else {
        chosen
            .iter()
            .map(|&(cycle, index)| (cycle, vec![index]))
            .collect()
    };
    let total_of = |rows: &[usize]| -> Decimal {
        rows.iter()
            .map(|&index| transactions[index].transaction.amount)
            .sum()
    };
    // A month paid in parts (an advance mid-month, the balance on the pay day): a short
    // pay whose payer's other credits since the previous pay bring it within the tolerance
    // of the usual pay holds them all.
    let usual_pay = median(
        &paid
            .iter()
            .map(|(_, rows)| total_of(rows))
            .collect::<Vec<_>>(),
    )?;
    let date_of = |index: usize| transactions[index].transaction.date.date();
    let mut assigned: BTreeSet<usize> = paid.iter().flat_map(|(_, rows)| rows.clone()).collect();
    let mut parts_months = 0;
    let mut previous_pay: Option<NaiveDate> = None;
    let mut parts_cycles: BTreeSet<i64> = BTreeSet::new();
    for (cycle, rows) in paid.iter_mut() {
        let total = total_of(rows);
        let pay_date = rows.iter().map(|&index| date_of(index)).max();
        let since = previous_pay;
        previous_pay = pay_date;
        if within_tolerance(total, usual_pay, AMOUNT_TOLERANCE_PERCENT) || total > usual_pay {
            continue;
        }
        let (Some(since), Some(pay_date)) = (since, pay_date) else {
            continue;
        };
        let others: Vec<usize> = eligible
            .iter()
            .copied()
            .filter(|index| !assigned.contains(index))
            .filter(|&index| date_of(index) > since && date_of(index) <= pay_date)
            .collect();
        if !others.is_empty()
            && within_tolerance(
                total + total_of(&others),
                usual_pay,
                AMOUNT_TOLERANCE_PERCENT,
            )
        {
            assigned.extend(others.iter().copied());
            rows.extend(others);
            rows.sort_unstable();
            parts_months += 1;
            parts_cycles.insert(*cycle);
        }
    }
    let amounts: Vec<Decimal> = paid.iter().map(|(_, rows)| total_of(rows)).collect();
    let median_amount = median(&amounts)?;
    // A bonus month pays more than the usual amount; a month with unpaid leave (loss of pay)
    // pays less, but at least half. At most a quarter of the cycles may be such months, a
    // third from six cycles on (an arrears month and an unpaid-leave month in six): three
    // cycles with one off are as much a client's varying invoices as a salary.
    let outside =
        |amount: &&Decimal| !within_tolerance(**amount, median_amount, AMOUNT_TOLERANCE_PERCENT);
    let bonus_months = amounts
        .iter()
        .filter(outside)
        .filter(|amount| **amount > median_amount)
        .count();
    let short_months = amounts
        .iter()
        .filter(outside)
        .filter(|amount| **amount < median_amount)
        .count();
    let at_least_half = amounts
        .iter()
        .all(|amount| *amount * Decimal::TWO >= median_amount);
    if !at_least_half || bonus_months + short_months > off_months_allowed(amounts.len()) {
        return None;
    }
    // Consecutive cycles: salary does not skip months.
    let cycles: Vec<i64> = paid.iter().map(|(cycle, _)| *cycle).collect();
    let run = longest_run(&cycles);
    let needed = if statement_span <= 3 { 2 } else { 3 };
    if run < needed || run * 2 < cycles.len() {
        return None;
    }
    // The pay day is the first tranche's day; in a month paid in parts, the balance's day.
    let chosen_dates: Vec<NaiveDate> = paid
        .iter()
        .filter_map(|(cycle, rows)| {
            let dates = rows
                .iter()
                .map(|&index| transactions[index].transaction.date.date());
            if parts_cycles.contains(cycle) {
                dates.max()
            } else {
                dates.min()
            }
        })
        .collect();
    let mut rows: Vec<usize> = paid
        .iter()
        .flat_map(|(_, rows)| rows.iter().copied())
        .collect();
    // The employer's credits that say they are pay beyond the salary (a bonus, incentive or
    // arrears) are pay too, whatever their amount or day.
    let extras = pay_extras(transactions, indices, &rows);
    // Pay in two parts of different sizes (a fixed part, then the variable part a week
    // later): a firm whose every cycle holds the pay and exactly one smaller credit, the
    // smaller ones on a consistent day, pays both. Expense claims come on no steady day and
    // not every month.
    let second_parts: Vec<usize> = if let Some((_, smaller)) = parts {
        smaller
    } else if !split && kind == PayerKind::Firm && paid.len() >= 3 {
        let first_cycle = by_cycle.keys().next().copied();
        let last_cycle = by_cycle.keys().next_back().copied();
        // Each cycle's smaller part: None where a cycle breaks the shape, Some(None) for a cycle
        // at the statement's edge whose smaller part fell outside it (December's pay on the
        // 31st, its variable part in January).
        let seconds: Vec<Option<Option<usize>>> = by_cycle
            .iter()
            .map(|(cycle, cycle_rows)| {
                let edge = Some(*cycle) == first_cycle || Some(*cycle) == last_cycle;
                let Some(pay) = paid.iter().find(|(paid_cycle, _)| paid_cycle == cycle) else {
                    // A cycle at the statement's edge holding only the smaller part: its
                    // month's pay fell outside the statement (the variable part of December's
                    // pay on 3 January).
                    return (edge && cycle_rows.len() == 1).then(|| Some(cycle_rows[0]));
                };
                let mut others: Vec<usize> = cycle_rows
                    .iter()
                    .copied()
                    .filter(|index| !pay.1.contains(index))
                    .collect();
                // In a month that also brings a bonus or arrears with no word (a credit of
                // BONUS_SHARE_PERCENT of the pay or more), the smaller part is the one below it.
                if others.len() > 1 {
                    others.retain(|&index| {
                        transactions[index].transaction.amount * Decimal::ONE_HUNDRED
                            < median_amount * Decimal::from(BONUS_SHARE_PERCENT)
                    });
                }
                match others.as_slice() {
                    [only] => Some(Some(*only)),
                    [] if edge => Some(None),
                    _ => None,
                }
            })
            .collect();
        let seconds: Option<Vec<usize>> = seconds
            .into_iter()
            .collect::<Option<Vec<Option<usize>>>>()
            .map(|rows| rows.into_iter().flatten().collect());
        seconds
            .filter(|rows| rows.len() >= 3)
            .filter(|rows| {
                let dates: Vec<NaiveDate> = rows
                    .iter()
                    .map(|&index| transactions[index].transaction.date.date())
                    .collect();
                pay_days(&dates).1 <= MAX_DAY_SPREAD
            })
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    let second_count = second_parts.len();
    rows.extend(second_parts);
    let extras_count = extras.len();
    rows.extend(extras);
    // A bonus or arrears paid alone, printed with no word for it: the employer's credit of at
    // least BONUS_SHARE_PERCENT of the usual pay in a month it already paid, in no more months
    // than the months allowed off the usual amount. Reimbursements and expense claims are
    // smaller parts of a month's pay; a client's several invoices were rejected above.
    let paid_cycles: BTreeSet<i64> = paid.iter().map(|(cycle, _)| *cycle).collect();
    let unworded: Vec<usize> = eligible
        .iter()
        .copied()
        .filter(|index| !rows.contains(index))
        .filter(|&index| {
            let amount = transactions[index].transaction.amount;
            amount * Decimal::ONE_HUNDRED >= median_amount * Decimal::from(BONUS_SHARE_PERCENT)
                && paid_cycles.contains(&cycle_of(date_of(index), offset))
        })
        .collect();
    let unworded_count = if unworded.len() <= off_months_allowed(paid.len()) {
        rows.extend(unworded.iter().copied());
        unworded.len()
    } else {
        0
    };
    // Arrears of a raise printed with no word for it (a DA increase paid back for the months
    // before it was announced): the payer's credit of a whole number of months of the raise.
    let arrears = raise_arrears(transactions, indices, &rows, &paid, offset);
    let arrears_count = arrears.len();
    rows.extend(arrears);
    // A month joined or left part-way: see `part_month_pay`.
    let part_month = if kind == PayerKind::Firm {
        part_month_pay(
            transactions,
            &eligible,
            &rows,
            &paid_cycles,
            offset,
            median_amount,
        )
    } else {
        Vec::new()
    };
    let part_month_count = part_month.len();
    rows.extend(part_month);
    rows.sort_unstable();
    // Months paid late (see `late_pay_moves`) keep no pay day.
    let on_time: Vec<bool> = paid
        .iter()
        .map(|(_, rows)| !rows.iter().any(|index| late.contains(index)))
        .collect();
    let chosen_dates: Vec<NaiveDate> = chosen_dates
        .iter()
        .zip(&on_time)
        .filter(|(_, on_time)| **on_time)
        .map(|(date, _)| *date)
        .collect();
    let timing_amounts: Vec<Decimal> = amounts
        .iter()
        .zip(&on_time)
        .filter(|(_, on_time)| **on_time)
        .map(|(amount, _)| *amount)
        .collect();
    let timing_on_all = pay_timing(&chosen_dates);
    let mut edge_off_day = false;
    // A month paid an unusual amount (a leaver's full and final settlement, a bonus or arrears
    // month) is often paid on another day. When the months paid the usual amount keep the pay
    // day and the unusual ones are no more than the months allowed off the amount, the timing
    // is read from the usual months: see `usual_month_dates`.
    let (timing, off_day_months) = if timing_on_all.holds {
        (timing_on_all, 0)
    } else {
        let (usual_dates, off) = usual_month_dates(&chosen_dates, &timing_amounts, median_amount);
        match pay_timing(&usual_dates) {
            timing if timing.holds && off > 0 && usual_dates.len() >= needed => (timing, off),
            _ => {
                let timing = edge_month_off_day(&chosen_dates)?;
                edge_off_day = true;
                (timing, 0)
            }
        }
    };
    let PayTiming {
        day_spread,
        working_spread,
        month_end,
        wage_window,
        ..
    } = timing;
    // An unnamed kind of payer (one word, no legal form) needs the stronger cadence, and a
    // person-like one known only by its varying sums a longer one still.
    if (kind == PayerKind::Unknown && run < 3) || (varying_pay && run < MIN_VARYING_PAY_RUN) {
        return None;
    }
    let tight = bonus_months + short_months == 0
        && amounts
            .iter()
            .all(|amount| within_tolerance(*amount, median_amount, 5));
    let mut confidence: f64 = 50.0 + 10.0 * (run.min(5) as f64 - 2.0);
    if kind == PayerKind::Firm {
        confidence += 10.0;
    }
    if tight {
        confidence += 5.0;
    }
    if month_end {
        confidence += 5.0;
    }
    // A pay day wandering over the wage window is a weaker sign than one steady day.
    if wage_window {
        confidence -= 5.0;
    }
    let confidence = confidence.min(95.0);
    let timing = if month_end {
        format!("around the month end (working-day spread {working_spread})")
    } else if wage_window {
        format!(
            "on a day from the 1st to the {WAGE_WINDOW_LAST_DAY}th, the wage-payment window (spread {day_spread} days)"
        )
    } else {
        format!("on a consistent day of month (spread {day_spread} days)")
    };
    let mut reason = format!(
        "{} payer {name} credited one amount a month in {run} consecutive month(s), each within {} % of the median {}, {timing}",
        match kind {
            PayerKind::Firm => "firm",
            PayerKind::Person => "person-like",
            PayerKind::Unknown => "non-person",
        },
        if tight { 5 } else { AMOUNT_TOLERANCE_PERCENT },
        median_amount.round_dp(2),
    );
    if split {
        reason.push_str("; paid in two credits each month");
    }
    if months_named {
        reason.push_str(
            "; the payer reads as a person, but every credit's note names the month it pays for",
        );
    }
    if varying_pay {
        reason.push_str(
            "; the payer reads as a person, but its sums vary month to month in odd amounts (not whole thousands), as pay with incentives and unpaid leave does",
        );
    }
    if bonus_months > 0 {
        reason.push_str(&format!("; {bonus_months} month(s) above it (bonus)"));
    }
    if short_months > 0 {
        reason.push_str(&format!(
            "; {short_months} month(s) below it (unpaid leave)"
        ));
    }
    if parts_months > 0 {
        reason.push_str(&format!(
            "; {parts_months} month(s) paid in parts adding up to it"
        ));
    }
    if second_count > 0 {
        reason.push_str(&format!(
            "; a second, smaller part of the pay in {second_count} month(s), on a consistent day"
        ));
    }
    if extras_count > 0 {
        reason.push_str(&format!(
            "; {extras_count} more credit(s) naming pay beyond salary (bonus, arrears, final settlement)"
        ));
    }
    if arrears_count > 0 {
        reason.push_str(&format!(
            "; {arrears_count} more credit(s) of a whole number of months of the pay's rise (arrears of a raise)"
        ));
    }
    if unworded_count > 0 {
        reason.push_str(&format!(
            "; {unworded_count} more credit(s) of at least {BONUS_SHARE_PERCENT} % of the pay in a month already paid (a bonus or arrears printed with no word for it)"
        ));
    }
    if off_day_months > 0 {
        reason.push_str(&format!(
            "; {off_day_months} month(s) of an unusual amount paid on another day (a settlement, bonus or arrears month)"
        ));
    }
    if edge_off_day {
        reason.push_str(
            "; its first or last month paid on another day (a joiner's first pay or a leaver's settlement)",
        );
    }
    if !late.is_empty() {
        reason.push_str(&format!(
            "; {} month(s) paid late, in the next month beside that month's own pay (pay held by a year-end closing or a late bill)",
            late.len()
        ));
    }
    if part_month_count > 0 {
        reason.push_str(&format!(
            "; {part_month_count} smaller credit(s) in a month without pay next to or inside the run (a month joined or left part-way, a pro-rated pay)"
        ));
    }
    let total: Decimal = amounts.iter().sum();
    Some((
        SalaryDecision {
            rule: "monthly_pattern",
            employer_name: (!unnamed).then_some(name),
            confidence,
            reason,
            transactions: rows,
        },
        total,
    ))
}

/// The words of the holder's names (three letters or more, honorifics and legal forms left
/// out): a person-like payer sharing one is family.
fn name_words(names: &[String]) -> BTreeSet<String> {
    names
        .iter()
        .flat_map(|name| {
            crate::narration::normalize(name)
                .split_whitespace()
                .filter(|word| word.len() >= 3 && kind_of(word).is_none())
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// True when the payer's name carries a word of the holder's names.
fn shares_a_name(payer: &str, holder_words: &BTreeSet<String>) -> bool {
    crate::narration::normalize(payer)
        .split_whitespace()
        .any(|word| holder_words.contains(word))
}

/// Fewest consecutive months a person-like payer known only by its varying sums must pay
/// (see [`varies_like_pay`]).
const MIN_VARYING_PAY_RUN: usize = 6;
/// Fewest distinct sums among such a payer's credits.
const MIN_VARYING_PAY_SUMS: usize = 3;
/// Least spread, in percent of the smallest, of such a payer's sums: rent with the month's
/// electricity, or a fixed sum sent from abroad, varies by a few percent.
const MIN_VARYING_PAY_SPREAD_PERCENT: i64 = 10;

/// True when a payer's credits vary as pay does: at least MIN_VARYING_PAY_SUMS distinct sums
/// spread over at least MIN_VARYING_PAY_SPREAD_PERCENT, and at least half of the credits not a
/// whole number of thousands (54,800, 61,750: pay with incentives, overtime or unpaid leave
/// worked out to the rupee). People who send money every month (family, tenants, a friend
/// repaying) send a fixed sum, round thousands, or a fixed sum plus a few percent.
fn varies_like_pay(transactions: &[EnrichedTransaction], indices: &[usize]) -> bool {
    let amounts: Vec<Decimal> = indices
        .iter()
        .map(|&index| transactions[index].transaction.amount)
        .collect();
    let distinct: BTreeSet<Decimal> = amounts.iter().map(|amount| amount.normalize()).collect();
    let thousand = Decimal::new(1_000, 0);
    let odd = amounts
        .iter()
        .filter(|amount| !(**amount % thousand).is_zero())
        .count();
    let spread = match (distinct.first(), distinct.last()) {
        (Some(low), Some(high)) => {
            (*high - *low) * Decimal::ONE_HUNDRED
                >= *low * Decimal::from(MIN_VARYING_PAY_SPREAD_PERCENT)
        }
        _ => false,
    };
    distinct.len() >= MIN_VARYING_PAY_SUMS && spread && odd * 2 >= amounts.len()
}

/// True when at least half of the credits are not a whole number of thousands (31,200, 54,800:
/// pay worked out to the rupee after deductions); rent and family support come in round sums.
fn mostly_odd_sums(transactions: &[EnrichedTransaction], indices: &[usize]) -> bool {
    let thousand = Decimal::new(1_000, 0);
    let odd = indices
        .iter()
        .filter(|&&index| !(transactions[index].transaction.amount % thousand).is_zero())
        .count();
    odd * 2 >= indices.len() && !indices.is_empty()
}

/// Fewest credits whose notes must name the months they pay for (see [`names_the_months_paid`]).
const MIN_MONTH_NAMED_CREDITS: usize = 3;

/// The month a credit's note names, if it names one (the word "JAN" or "JANUARY").
fn named_month(txn: &EnrichedTransaction) -> Option<u32> {
    txn.normalized_note.split_whitespace().find_map(|word| {
        MONTH_NAMES
            .iter()
            .position(|month| {
                word == *month
                    || (word.len() > 3 && word.starts_with(month) && full_month_name(word))
            })
            .map(|index| index as u32 + 1)
    })
}

/// True when at least MIN_MONTH_NAMED_CREDITS credits are given and every one's note names
/// the month it pays for: the credit's own month or the month before (wages for January paid
/// early in February), as an employer labels a month's wages ("MOB-IMPS-CR/<payer>/../Jan/").
/// A name that happens to be a month's ("MAY") fits two months of a year, not three.
fn names_the_months_paid(transactions: &[EnrichedTransaction], indices: &[usize]) -> bool {
    indices.len() >= MIN_MONTH_NAMED_CREDITS
        && indices.iter().all(|&index| {
            let txn = &transactions[index];
            let credit_month = txn.transaction.date.month();
            let previous = if credit_month == 1 {
                12
            } else {
                credit_month - 1
            };
            named_month(txn).is_some_and(|month| month == credit_month || month == previous)
        })
}

/// How a payer's pay days hold together: whether they do (a consistent day of the month, the
/// month end by working days, or any day of the wage-payment window, the 1st to the 10th),
/// the calendar-day spread, the working-day spread and whether they are month-end days.
fn pay_timing(dates: &[NaiveDate]) -> PayTiming {
    let (_, day_spread) = pay_days(dates);
    let positions: Vec<i64> = dates.iter().map(|d| working_day_position(*d)).collect();
    let working_spread =
        positions.iter().max().unwrap_or(&0) - positions.iter().min().unwrap_or(&0);
    let month_end =
        positions.iter().all(|p| (-3..=3).contains(p)) && working_spread <= MAX_WORKING_DAY_SPREAD;
    let consistent_day = day_spread <= MAX_DAY_SPREAD;
    let wage_window =
        !consistent_day && !month_end && dates.iter().all(|d| d.day() <= WAGE_WINDOW_LAST_DAY);
    PayTiming {
        holds: consistent_day || month_end || wage_window,
        day_spread,
        working_spread,
        month_end,
        wage_window,
    }
}

/// How a payer's pay days hold together (see [`pay_timing`]).
#[derive(Debug, Clone, Copy)]
struct PayTiming {
    /// A consistent day of the month, the month end by working days, or the wage window.
    holds: bool,
    day_spread: i64,
    working_spread: i64,
    month_end: bool,
    /// Days too far apart for one pay day, all within the first WAGE_WINDOW_LAST_DAY days of
    /// the month: an employer paying by the statutory deadline, on a different day each month.
    wage_window: bool,
}

/// Fewest months that must keep the pay day when the first or last is paid on another day.
const MIN_STEADY_MONTHS_BESIDE_EDGE: usize = 3;

/// The timing of a pay whose first or last month alone falls on another day (a joiner's first
/// pay off-cycle, a leaver's settlement weeks after the last pay day): the other months, at
/// least MIN_STEADY_MONTHS_BESIDE_EDGE, keep one day of the month or the month end (the
/// wandering wage window is too weak a sign to excuse a month). `dates` are per cycle, in
/// cycle order.
fn edge_month_off_day(dates: &[NaiveDate]) -> Option<PayTiming> {
    if dates.len() <= MIN_STEADY_MONTHS_BESIDE_EDGE {
        return None;
    }
    [&dates[..dates.len() - 1], &dates[1..]]
        .into_iter()
        .map(pay_timing)
        .find(|timing| timing.holds && !timing.wage_window)
}

/// Least share, in percent of the usual pay, of a month joined or left part-way (about a week's
/// pay): the employer's expense claims in a month without pay are smaller.
const PART_MONTH_MIN_PERCENT: i64 = 25;

/// Pay for a month joined or left part-way (a pro-rated first or last pay, a joining bonus
/// beside it) or for a month of long unpaid leave: a firm's credits (pay-candidates of at least
/// MIN_INFERRED_SALARY) in a cycle it paid no pay in, from the cycle before its first pay to the
/// cycle after its last, whose total is below the usual pay and at least
/// PART_MONTH_MIN_PERCENT of it. Such a month pays less than half the usual amount, so the
/// cycle held no pay-sized credit.
fn part_month_pay(
    transactions: &[EnrichedTransaction],
    eligible: &[usize],
    rows: &[usize],
    paid_cycles: &BTreeSet<i64>,
    offset: i64,
    usual: Decimal,
) -> Vec<usize> {
    let (Some(&first), Some(&last)) = (paid_cycles.first(), paid_cycles.last()) else {
        return Vec::new();
    };
    let mut by_cycle: BTreeMap<i64, Vec<usize>> = BTreeMap::new();
    for &index in eligible.iter().filter(|index| !rows.contains(index)) {
        let cycle = cycle_of(transactions[index].transaction.date.date(), offset);
        if (first - 1..=last + 1).contains(&cycle) && !paid_cycles.contains(&cycle) {
            by_cycle.entry(cycle).or_default().push(index);
        }
    }
    by_cycle
        .into_values()
        .filter(|cycle_rows| {
            let total: Decimal = cycle_rows
                .iter()
                .map(|&index| transactions[index].transaction.amount)
                .sum();
            total < usual
                && total * Decimal::ONE_HUNDRED >= usual * Decimal::from(PART_MONTH_MIN_PERCENT)
        })
        .flatten()
        .collect()
}

/// The pay dates of the months paid within the tolerance of the usual amount, and how many
/// months were left out for paying an unusual amount (`dates` and `amounts` are per cycle, in
/// the same order).
fn usual_month_dates(
    dates: &[NaiveDate],
    amounts: &[Decimal],
    usual: Decimal,
) -> (Vec<NaiveDate>, usize) {
    let usual_dates: Vec<NaiveDate> = dates
        .iter()
        .zip(amounts)
        .filter(|(_, amount)| within_tolerance(**amount, usual, AMOUNT_TOLERANCE_PERCENT))
        .map(|(date, _)| *date)
        .collect();
    let off = dates.len() - usual_dates.len();
    (usual_dates, off)
}

/// Months of a raise one arrears credit may pay back (a DA increase is announced up to half a
/// year late; a pay revision's arrears may cover a year).
const MAX_ARREARS_MONTHS: i64 = 12;
/// Smallest raise, in rupees, whose multiples are read as arrears: smaller steps are rounding.
const MIN_RAISE_RUPEES: i64 = 100;

/// The payer's credits, not already pay, that pay back a raise: where the pay rises from one
/// paid cycle to the next (and does not fall back the cycle after), a credit in the raise's
/// cycle or the three after it that is a whole number of months (1 to MAX_ARREARS_MONTHS) of
/// the rise, to the rupee per month. Government DA arrears and pay-revision arrears are
/// computed so: the new rate less the old, times the months; an expense claim or a refund of
/// that exact sum is a coincidence of about one in several hundred.
fn raise_arrears(
    transactions: &[EnrichedTransaction],
    indices: &[usize],
    rows: &[usize],
    paid: &[(i64, Vec<usize>)],
    offset: i64,
) -> Vec<usize> {
    let total_of = |rows: &[usize]| -> Decimal {
        rows.iter()
            .map(|&index| transactions[index].transaction.amount)
            .sum()
    };
    let totals: Vec<(i64, Decimal)> = paid
        .iter()
        .map(|(cycle, rows)| (*cycle, total_of(rows)))
        .collect();
    let raises: Vec<(i64, Decimal)> = totals
        .windows(2)
        .enumerate()
        .filter_map(|(at, pair)| {
            let ((before_cycle, before), (cycle, after)) = (pair[0], pair[1]);
            let rise = after - before;
            let kept = totals.get(at + 2).is_none_or(|(_, next)| *next >= after);
            (cycle == before_cycle + 1
                && rise >= Decimal::from(MIN_RAISE_RUPEES)
                && within_tolerance(after, before, AMOUNT_TOLERANCE_PERCENT)
                && kept)
                .then_some((cycle, rise))
        })
        .collect();
    indices
        .iter()
        .copied()
        .filter(|index| !rows.contains(index))
        .filter(|&index| {
            let txn = &transactions[index];
            let cycle = cycle_of(txn.transaction.date.date(), offset);
            let amount = txn.transaction.amount;
            raises.iter().any(|&(raise_cycle, rise)| {
                (raise_cycle..=raise_cycle + 3).contains(&cycle)
                    && (1..=MAX_ARREARS_MONTHS).any(|months| {
                        let months = Decimal::from(months);
                        (amount - rise * months).abs() <= months
                    })
            })
        })
        .collect()
}

/// Each cycle's larger part of a pay (cycle, row), and every smaller part's row.
type PayParts = (Vec<(i64, usize)>, Vec<usize>);

/// A firm's pay in a larger and a smaller part each month: every cycle holds at most two
/// of its credits; where it holds two, the larger is within the tolerance of the usual pay
/// and the smaller below it; the smaller parts fall on a consistent day; a cycle at the
/// statement's edge may hold only a smaller part (its month's larger part fell outside the
/// statement). Returns the larger parts by cycle and every smaller part. Clients' invoices
/// do not keep two sizes on two steady days month after month.
fn larger_and_smaller_parts(
    transactions: &[EnrichedTransaction],
    by_cycle: &BTreeMap<i64, Vec<usize>>,
    usual: Decimal,
) -> Option<PayParts> {
    let amount = |index: usize| transactions[index].transaction.amount;
    let first = *by_cycle.keys().next()?;
    let last = *by_cycle.keys().next_back()?;
    let mut larger = Vec::new();
    let mut smaller = Vec::new();
    for (&cycle, rows) in by_cycle {
        let mut rows = rows.clone();
        rows.sort_by_key(|&index| std::cmp::Reverse(amount(index)));
        match rows.as_slice() {
            [big, small] if amount(*small) < amount(*big) => {
                larger.push((cycle, *big));
                smaller.push(*small);
            }
            [only] if within_tolerance(amount(*only), usual, AMOUNT_TOLERANCE_PERCENT) => {
                larger.push((cycle, *only));
            }
            [only] if cycle == first || cycle == last => smaller.push(*only),
            _ => return None,
        }
    }
    let two_part_cycles = by_cycle.values().filter(|rows| rows.len() == 2).count();
    let dates: Vec<NaiveDate> = smaller
        .iter()
        .map(|&index| transactions[index].transaction.date.date())
        .collect();
    let steady = larger
        .iter()
        .all(|&(_, index)| within_tolerance(amount(index), usual, AMOUNT_TOLERANCE_PERCENT));
    (two_part_cycles * 2 >= by_cycle.len()
        && larger.len() >= 3
        && steady
        && pay_days(&dates).1 <= MAX_DAY_SPREAD)
        .then_some((larger, smaller))
}

/// Months a pay may be off its usual amount (bonus, arrears, unpaid leave) among `cycles`.
fn off_months_allowed(cycles: usize) -> usize {
    if cycles >= 6 {
        cycles / 3
    } else {
        cycles / 4
    }
}

fn longest_run(cycles: &[i64]) -> usize {
    let mut best = 0;
    let mut current = 0;
    let mut previous: Option<i64> = None;
    for &cycle in cycles {
        current = if previous.is_some_and(|p| cycle == p + 1) {
            current + 1
        } else {
            1
        };
        best = best.max(current);
        previous = Some(cycle);
    }
    best
}

/// The month the salary is for: a month the narration names, else the credit month
/// when paid from the 16th on, else the previous month ("Jul-2025" for 14 Aug).
pub fn salary_month(txn: &EnrichedTransaction) -> String {
    let date = txn.transaction.date.date();
    let words = crate::narration::normalize(&txn.transaction.transaction_note);
    let named = MONTH_NAMES.iter().position(|month| {
        words.contains(&format!(" {month} "))
            || words
                .split_whitespace()
                .any(|word| word.len() > 3 && word.starts_with(month) && full_month_name(word))
    });
    let (year, month) = match named {
        Some(index) => {
            let month = index as u32 + 1;
            // A name later in the year than the credit belongs to last year (Dec salary paid in Jan).
            let year = if month > date.month() + 1 {
                date.year() - 1
            } else {
                date.year()
            };
            (year, month)
        }
        None if date.day() >= 16 => (date.year(), date.month()),
        None if date.month() == 1 => (date.year() - 1, 12),
        None => (date.year(), date.month() - 1),
    };
    format!("{}-{year}", crate::output::month_abbrev(month))
}

fn full_month_name(word: &str) -> bool {
    [
        "JANUARY",
        "FEBRUARY",
        "MARCH",
        "APRIL",
        "JUNE",
        "JULY",
        "AUGUST",
        "SEPTEMBER",
        "SEPT",
        "OCTOBER",
        "NOVEMBER",
        "DECEMBER",
    ]
    .contains(&word)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::txn;
    use crate::{enrich, AccountInput};

    #[test]
    fn keyword_salary_with_month_names() {
        let input = AccountInput::from_transactions(vec![
            txn(
                "2025-08-14",
                "credit",
                10126,
                10454,
                "MUTHOOT FINANCE/Q1 SALARY INCENTIVE",
            ),
            txn(
                "2025-08-30",
                "credit",
                24193,
                34647,
                "MUTHOOT FINANCE/MUTHOOT SALARY AUGUST 2025",
            ),
        ]);
        let result = enrich(&input, &EnrichmentContext::default());
        assert_eq!(result.salary.transactions, vec![0, 1]);
        assert_eq!(
            result.transactions[0].salary_month.as_deref(),
            Some("Jul-2025")
        );
        assert_eq!(
            result.transactions[1].salary_month.as_deref(),
            Some("Aug-2025")
        );
        assert_eq!(result.salary.salary_confidence, Some(100.0));
        assert_eq!(result.salary.decisions[0].rule, "keyword");
    }

    /// A not-salary word marks a credit unless a pay-extra word is printed too, read in one
    /// pass; pay phrases match whole words, in the table's order.
    #[test]
    fn not_salary_words_and_pay_phrases() {
        let input = AccountInput::from_transactions(vec![
            txn("2025-08-01", "credit", 5000, 5000, "NEFT-N01-ACME-RENT AUG"),
            txn(
                "2025-08-02",
                "credit",
                5000,
                10000,
                "NEFT-N02-ACME-RENT ARREARS",
            ),
            txn(
                "2025-08-03",
                "credit",
                5000,
                15000,
                "PAO/PAY AND ALLOWANCES AUG",
            ),
        ]);
        let result = enrich(&input, &EnrichmentContext::default());
        let rows = &result.transactions;
        assert!(says_not_salary(&rows[0]));
        assert!(!says_not_salary(&rows[1]));
        assert!(!says_not_salary(&rows[2]));
        assert_eq!(pay_phrase(&rows[2]), Some("PAY AND ALLOWANCES"));
        assert_eq!(pay_phrase(&rows[0]), None);
        assert!(pay_phrases()
            .iter()
            .all(|(phrase, padded)| *padded == format!(" {phrase} ")));
    }

    /// R136 (rules.tsv): a company's pay-sized credit is pay by its shape on one row, but over
    /// two months or more the pattern decides: a company's one credit beside the pay is a transfer.
    #[test]
    fn a_company_credit_no_pattern_takes_is_put_back_to_a_transfer() {
        let input = AccountInput::from_transactions(vec![
            txn(
                "2024-01-31",
                "credit",
                50000,
                50000,
                "NEFT-N0123456-ORBIT WIDGETS PVT LTD",
            ),
            txn(
                "2024-02-15",
                "credit",
                12000,
                62000,
                "NEFT-N0123457-PRISMA ADVISORY LIMITED",
            ),
            txn(
                "2024-02-29",
                "credit",
                50000,
                112000,
                "NEFT-N0123458-ORBIT WIDGETS PVT LTD",
            ),
            txn(
                "2024-03-29",
                "credit",
                50000,
                162000,
                "NEFT-N0123459-ORBIT WIDGETS PVT LTD",
            ),
        ]);
        let result = enrich(&input, &EnrichmentContext::default());
        assert_eq!(result.salary.transactions, vec![0, 2, 3]);
        let retainer = &result.transactions[1];
        assert_eq!(retainer.category, "Transfer from PRISMA ADVISORY LIMITED");
        assert_eq!(retainer.rule_id, "R310");
        assert!(retainer.decided_by.contains("R136 undone"));
        assert_eq!(result.transactions[0].category, "Salary");
    }

    /// Salary sets R and S: an exchange house's monthly remittance is passed-on money by its
    /// name's shape; a bank printed first pays its officer; a one-month statement's single company
    /// credit is its pay, and two companies' credits in one month are a business's receipts.
    #[test]
    fn exchange_houses_banks_and_one_month_company_credits() {
        assert!(trades_money("LULU INTERNATIONAL EXCHANGE LTD"));
        assert!(trades_money("SHARAF FOREX PVT LTD"));
        assert!(!trades_money("NATIONAL STOCK EXCHANGE OF INDIA LTD"));
        assert!(!trades_money("MULTI COMMODITY EXCHANGE OF INDIA LTD"));
        assert!(!trades_money("KAJARIA CERAMICS LIMITED"));
        let remittance: Vec<(&str, i64, &str)> = (1..=6)
            .map(|month| {
                (
                    [
                        "2025-01-10",
                        "2025-02-10",
                        "2025-03-10",
                        "2025-04-10",
                        "2025-05-12",
                        "2025-06-10",
                    ][month - 1],
                    41_230 + 40 * month as i64,
                    "NEFT/SIBLN1234/CR/GULF STAR EXCHANGE LTD/REMITTANCE",
                )
            })
            .collect();
        assert!(credits(&remittance).salary.transactions.is_empty());
        let bank_pay: Vec<(&str, i64, &str)> = ["2025-01-31", "2025-02-28", "2025-03-31"]
            .iter()
            .map(|&date| (date, 45_600, "NEFT/CR/UTIBN5123/AXIS BANK LTD/SHWETHA RAO"))
            .collect();
        let result = enrich(
            &AccountInput::from_transactions(
                bank_pay
                    .iter()
                    .scan(0, |balance, &(date, amount, note)| {
                        *balance += amount;
                        Some(txn(date, "credit", amount, *balance, note))
                    })
                    .collect(),
            ),
            &EnrichmentContext {
                names: vec!["SHWETHA RAO".into()],
                ..EnrichmentContext::default()
            },
        );
        assert_eq!(result.salary.transactions, vec![0, 1, 2]);
        assert!(result
            .salary
            .employer_name
            .as_deref()
            .is_some_and(|name| name.contains("AXIS BANK")));
        let one = credits(&[(
            "2025-09-30",
            57_900,
            "NEFT CR-HDFC0000240-CUMMINS INDIA LIMITED-X-HDFCN5123",
        )]);
        assert_eq!(one.salary.transactions, vec![0]);
        assert_eq!(one.salary.decisions[0].rule, "payer_reading");
        let two = credits(&[
            (
                "2025-10-03",
                27_500,
                "NEFT-SBIN4123-ORVANTA CABLES LIMITED-0004-SBIN0000001",
            ),
            (
                "2025-10-15",
                54_300,
                "NEFT-HDFCN5123-SILVERPEAK CASTINGS LIMITED-0004-HDFC0000240",
            ),
        ]);
        assert!(two.salary.transactions.is_empty());
        assert!(two
            .transactions
            .iter()
            .all(|row| row.decided_by.contains("R136 undone")));
    }

    #[test]
    fn recurring_neft_payer_is_inferred_salary() {
        let input = AccountInput::from_transactions(vec![
            txn(
                "2024-01-31",
                "credit",
                50000,
                50000,
                "NEFT-N0123456-ORBIT WIDGETS PVT LTD",
            ),
            txn(
                "2024-02-29",
                "credit",
                50000,
                100000,
                "NEFT-N0223456-ORBIT WIDGETS PVT LTD",
            ),
            txn(
                "2024-04-01",
                "credit",
                52000,
                152000,
                "NEFT-N0323456-ORBIT WIDGETS PVT LTD",
            ),
        ]);
        let result = enrich(&input, &EnrichmentContext::default());
        assert_eq!(result.salary.evidence, Some("recurring_payer"));
        assert_eq!(result.salary.transactions.len(), 3);
        assert_eq!(
            result.salary.employer_name.as_deref(),
            Some("ORBIT WIDGETS PVT LTD")
        );
        // Three months (60) from a firm (+10), within 5 % (+5), around the month end (+5).
        assert_eq!(result.salary.salary_confidence, Some(80.0));
        assert_eq!(result.salary.decisions[0].rule, "monthly_pattern");
    }

    #[test]
    fn payer_kinds_and_keys() {
        assert_eq!(payer_kind("ACME TECHNOLOGIES PVT LTD"), PayerKind::Firm);
        assert_eq!(payer_kind("RAMESH KUMAR"), PayerKind::Person);
        assert_eq!(payer_kind("MR SUNIL K"), PayerKind::Person);
        assert_eq!(payer_kind("INFOSYS"), PayerKind::Firm);
        assert_eq!(payer_kind("ZOMATO"), PayerKind::Unknown);
        // A bank's field cut the firm word; a short name is never taken as cut.
        assert_eq!(payer_kind("KAVERI SPICES PHARMAC"), PayerKind::Firm);
        assert_eq!(payer_kind("R INDU"), PayerKind::Person);
        assert_eq!(
            payer_key("Zenith Logistics Pvt. Ltd."),
            payer_key("ZENITH LOGISTICS PRIVATE LIMITED")
        );
        // Two letters left of a cut word say nothing: "BRIGHTLOOP TE" (a firm's "TECH") and
        // "VENKATARAMANAN SU" (a father's surname) print alike, and both read as people.
        assert_eq!(payer_kind("VENKATARAMANAN SU"), PayerKind::Person);
        assert_eq!(payer_kind("RAKESH KUMAR SH"), PayerKind::Person);
    }

    #[test]
    fn cut_names_are_one_payer_and_name_the_session_employer() {
        let mut groups: BTreeMap<Option<String>, Vec<usize>> = BTreeMap::new();
        groups.insert(payer_key("GREENFIELD AGRO F"), vec![2]);
        groups.insert(payer_key("GREENFIELD AGRO FOODS PVT"), vec![0, 5]);
        groups.insert(payer_key("RAMESH KUMAR"), vec![1]);
        groups.insert(payer_key("RAMESH KUMAR SHARMA"), vec![3]);
        let merged = merge_cut_payers(groups);
        assert_eq!(
            merged.get(&payer_key("GREENFIELD AGRO FOODS")),
            Some(&vec![0, 2, 5])
        );
        // Too short to be a cut name: two people.
        assert_eq!(merged.len(), 3);
        let employer = payer_words("Lumen Dental Clinics Pvt Ltd");
        assert!(names_words(" NEFT LUMEN DENTAL CLINIC ICICI ", &employer));
        assert!(!names_words(" NEFT LUMEN DENTAL CARE ", &employer));
    }

    #[test]
    fn two_credits_in_a_two_month_statement_need_a_firm() {
        let firm = AccountInput::from_transactions(vec![
            txn(
                "2024-05-31",
                "credit",
                30000,
                30000,
                "NEFT-N01-ACME SOFTWARE LLP",
            ),
            txn(
                "2024-06-28",
                "credit",
                30000,
                60000,
                "NEFT-N02-ACME SOFTWARE LLP",
            ),
        ]);
        let result = enrich(&firm, &EnrichmentContext::default());
        assert_eq!(result.salary.transactions.len(), 2);
        let unnamed = AccountInput::from_transactions(vec![
            txn("2024-05-31", "credit", 30000, 30000, "NEFT-N01-ACMEWORKS"),
            txn("2024-06-28", "credit", 30000, 60000, "NEFT-N02-ACMEWORKS"),
        ]);
        let result = enrich(&unnamed, &EnrichmentContext::default());
        assert!(result.salary.transactions.is_empty());
    }

    #[test]
    fn pay_printed_with_reference_codes_only_is_one_payer_by_its_branch() {
        assert_eq!(
            ifsc_in_word("12HDFCN5202013140050HDFC0000240"),
            Some("HDFC0000240")
        );
        assert_eq!(ifsc_in_word("HDFCN5202013140050"), None);
        let rows: Vec<_> = (1..=6)
            .map(|month| {
                txn(
                    &format!("2025-{month:02}-28"),
                    "credit",
                    52300,
                    52300 * i64::from(month),
                    &format!("NEFT_IN:12HDFCN520250{month}2812345HDFC0000240//HDFCN520250{month}2812345/"),
                )
            })
            .collect();
        let result = enrich(
            &AccountInput::from_transactions(rows),
            &EnrichmentContext::default(),
        );
        assert_eq!(result.salary.transactions.len(), 6);
        assert_eq!(result.salary.employer_name, None);
        assert!(result.salary.decisions[0].reason.contains("HDFC0000240"));
    }

    /// Rows of a firm paying 45,000 at each month end and a smaller part on `small_days`.
    fn two_part_pay(small_days: [u32; 6]) -> Vec<ledgerlens_statement::model::Transaction> {
        let month_ends = ["01-31", "02-28", "03-31", "04-30", "05-30", "06-30"];
        let mut rows = Vec::new();
        let mut balance = 0;
        for (month, (end, small_day)) in month_ends.iter().zip(small_days).enumerate() {
            let small = 22000 + 500 * (month as i64 % 3);
            balance += small;
            rows.push(txn(
                &format!("2025-{:02}-{small_day:02}", month + 1),
                "credit",
                small,
                balance,
                &format!("IMPS/50311234{month:04}/CR/ZENOVA SOLUTIONS/ICIC"),
            ));
            balance += 45000;
            rows.push(txn(
                &format!("2025-{end}"),
                "credit",
                45000,
                balance,
                &format!("BULK POSTING_ZENOVA SOLUTIONS PVT LTD 5031123{month:05}"),
            ));
        }
        rows
    }

    #[test]
    fn pay_in_a_larger_and_a_smaller_part_is_both_paid() {
        let steady = enrich(
            &AccountInput::from_transactions(two_part_pay([7; 6])),
            &EnrichmentContext::default(),
        );
        assert_eq!(steady.salary.transactions.len(), 12);
        assert!(steady.salary.decisions[0].reason.contains("smaller part"));
        // The smaller credits on no steady day are a client's invoices, not part of a pay.
        let scattered = enrich(
            &AccountInput::from_transactions(two_part_pay([3, 14, 9, 21, 5, 12])),
            &EnrichmentContext::default(),
        );
        assert!(scattered.salary.transactions.is_empty());
    }

    /// A firm's month-end NEFT pay: (date, amount) rows.
    fn firm_pay(rows: &[(&str, i64)]) -> AccountInput {
        let mut balance = 0;
        AccountInput::from_transactions(
            rows.iter()
                .enumerate()
                .map(|(n, (date, amount))| {
                    balance += amount;
                    txn(
                        date,
                        "credit",
                        *amount,
                        balance,
                        &format!("DEP TFR NEFT*UTIB0000123*AXNPN2500{n:04}*ORCHID HOSPITALIT"),
                    )
                })
                .collect(),
        )
    }

    #[test]
    fn a_leavers_settlement_on_another_day_keeps_the_pay_run() {
        let leaver = enrich(
            &firm_pay(&[
                ("2025-01-31", 38400),
                ("2025-02-28", 38400),
                ("2025-03-28", 36900),
                ("2025-04-30", 38400),
                ("2025-05-16", 61750),
            ]),
            &EnrichmentContext::default(),
        );
        assert_eq!(leaver.salary.transactions.len(), 5);
        assert!(leaver.salary.decisions[0].reason.contains("another day"));
        // The usual months themselves on no steady day are no pay run.
        let scattered = enrich(
            &firm_pay(&[
                ("2025-01-03", 38400),
                ("2025-02-14", 38400),
                ("2025-03-09", 36900),
                ("2025-04-21", 38400),
                ("2025-05-16", 61750),
            ]),
            &EnrichmentContext::default(),
        );
        assert!(scattered.salary.transactions.is_empty());
    }

    #[test]
    fn a_bonus_paid_alone_with_no_word_is_pay() {
        let months = [
            "2025-01-31",
            "2025-02-28",
            "2025-03-28",
            "2025-04-30",
            "2025-05-30",
            "2025-06-30",
        ];
        let with_extra = |extra: i64| {
            let mut rows: Vec<(&str, i64)> = months.iter().map(|day| (*day, 82450)).collect();
            rows.push(("2025-03-21", extra));
            rows.sort();
            enrich(&firm_pay(&rows), &EnrichmentContext::default())
        };
        let bonus = with_extra(41000);
        assert_eq!(bonus.salary.transactions.len(), 7);
        assert!(bonus.salary.decisions[0].reason.contains("no word for it"));
        // A smaller credit (an expense claim) from the employer is not pay.
        let claim = with_extra(15000);
        assert_eq!(claim.salary.transactions.len(), 6);
    }

    #[test]
    fn the_employer_name_drops_the_pay_words_printed_after_it() {
        assert_eq!(
            without_trailing_pay_words("DEAN GOVT MEDICAL COLL MONTHLY STIPEND MAY"),
            "DEAN GOVT MEDICAL COLL"
        );
        assert_eq!(
            without_trailing_pay_words("ORBIT LOGISTICS PVT LTD SAL"),
            "ORBIT LOGISTICS PVT LTD"
        );
        assert_eq!(
            without_trailing_pay_words("ACME SALARY FOR MARCH 2025"),
            "ACME"
        );
        assert_eq!(
            without_trailing_pay_words("KESTREL AUTOCOMP PAYROLL"),
            "KESTREL AUTOCOMP PAYROLL"
        );
        assert_eq!(without_trailing_pay_words("SALARY"), "SALARY");
    }

    /// Credits (date, amount, note) enriched as one statement, balances running.
    fn credits(rows: &[(&str, i64, &str)]) -> crate::Enrichment {
        let mut balance = 0;
        let transactions = rows
            .iter()
            .map(|&(date, amount, note)| {
                balance += amount;
                txn(date, "credit", amount, balance, note)
            })
            .collect();
        enrich(
            &AccountInput::from_transactions(transactions),
            &EnrichmentContext::default(),
        )
    }

    /// Issue 10 salary set P: a second employer paying round sums that vary with the shifts worked,
    /// once a month on a steady day beside the pay, is a second job; the same sums from a firm
    /// with no pay beside them, or one fixed sum (rent, a retainer), are not.
    #[test]
    fn a_second_job_paid_in_round_sums() {
        const PAY: &str = "NEFT/HDFCN5123/APOLLO HOSPITALS ENTERPRISE/HDFC0000001";
        const SHIFTS: &str = "IMPS/P2A/123456789012/KAUVERY DIAGNOSTICS LLP/SHIFTS/HDFC BANK";
        let months = ["04", "05", "06", "07", "08", "09", "10"];
        let shift_sums = [10000, 5000, 15000, 10000, 15000, 5000, 10000];
        let rows = |with_pay: bool, sums: [i64; 7]| -> Vec<(String, i64, &'static str)> {
            let mut rows = Vec::new();
            for (month, sum) in months.iter().zip(sums) {
                if with_pay {
                    rows.push((format!("2025-{month}-07"), 34620, PAY));
                }
                rows.push((format!("2025-{month}-15"), sum, SHIFTS));
            }
            rows
        };
        let run = |rows: Vec<(String, i64, &'static str)>| {
            let rows: Vec<(&str, i64, &str)> = rows
                .iter()
                .map(|(day, amount, note)| (day.as_str(), *amount, *note))
                .collect();
            credits(&rows)
        };
        let both = run(rows(true, shift_sums));
        assert_eq!(both.salary.transactions.len(), 14);
        assert!(both
            .salary
            .decisions
            .iter()
            .any(|decision| decision.rule == ROUND_SUM_SECOND_JOB_RULE));
        let alone = run(rows(false, shift_sums));
        assert!(alone.salary.transactions.is_empty());
        let fixed = run(rows(true, [12000; 7]));
        assert_eq!(fixed.salary.transactions.len(), 7);
    }

    /// Issue 10 salary set N: wages twice a month naming nothing (the 1st-15th on the 18th-20th, the
    /// rest on the 3rd-5th) are fortnightly wages; the same credits from a person are not judged.
    #[test]
    fn fortnightly_wages_twice_a_month() {
        let days = [
            "2025-05-03",
            "2025-05-19",
            "2025-06-04",
            "2025-06-18",
            "2025-07-03",
            "2025-07-19",
            "2025-08-04",
            "2025-08-20",
            "2025-09-04",
            "2025-09-20",
        ];
        let amounts = [8960, 7840, 8400, 9240, 7840, 9240, 8680, 9240, 8680, 8960];
        let rows = |note: &'static str| -> Vec<(&'static str, i64, &'static str)> {
            days.iter()
                .zip(amounts)
                .map(|(&day, amount)| (day, amount, note))
                .collect()
        };
        let result = credits(&rows("NEFT-HDFCN5123456789-KAVERI APPARELS PVT LTD"));
        assert_eq!(result.salary.transactions, (0..10).collect::<Vec<_>>());
        assert!(result
            .salary
            .decisions
            .iter()
            .any(|decision| decision.rule == "fortnightly_wages"));
        let result = credits(&rows(
            "UPI/CR/123456789012/SUNITA DEVI/SBIN/sunitad@oksbi/UPI",
        ));
        assert!(result.salary.transactions.is_empty());
    }

    /// Issue 10 salary set N: a keyword employer's credit naming nothing inside its pay run (a raise's
    /// arrears) is pay; one naming a reimbursement is not, nor one before the first pay.
    #[test]
    fn keyword_employers_credit_naming_nothing_is_arrears() {
        const PAY: &str = "NEFT CR-CITI0000004-NEXORA SYSTEMS PVT LTD-ANIKET D-CITIN1-SALARY";
        const BARE: &str = "NEFT CR-CITI0000004-NEXORA SYSTEMS PVT LTD-ANIKET D-CITIN2";
        const REIMB: &str =
            "NEFT CR-CITI0000004-NEXORA SYSTEMS PVT LTD-ANIKET D-CITIN3-REIMB TRAVEL";
        let result = credits(&[
            ("2025-04-30", 82400, PAY),
            ("2025-05-30", 82400, PAY),
            ("2025-06-30", 82400, PAY),
            ("2025-07-31", 88600, PAY),
            ("2025-08-12", 24800, BARE),
            ("2025-08-18", 7420, REIMB),
            ("2025-08-29", 88600, PAY),
        ]);
        assert_eq!(result.salary.transactions, vec![0, 1, 2, 3, 4, 6]);
        assert!(result
            .salary
            .decisions
            .iter()
            .any(|decision| decision.rule == "keyword_payer_extra"));
    }

    /// Issue 10 salary set N: an insurer's monthly annuity naming nothing recurs as pay does, but an
    /// insurer pays no policyholder a salary.
    #[test]
    fn an_insurers_monthly_annuity_is_no_pay() {
        const NOTE: &str = "NEFT SBIN4123456789 LIFE INSURANCE CORPORATION OF INDIA";
        let days = [
            "2025-04-21",
            "2025-05-20",
            "2025-06-20",
            "2025-07-21",
            "2025-08-20",
            "2025-09-20",
        ];
        let rows: Vec<(&str, i64, &str)> = days.iter().map(|&day| (day, 8350, NOTE)).collect();
        assert!(credits(&rows).salary.transactions.is_empty());
    }

    /// Pay days anywhere from the 1st to the 10th (paid by the statutory deadline) hold; a
    /// day past the window with the same spread does not.
    #[test]
    fn pay_days_wandering_over_the_wage_window() {
        const NOTE: &str = "-KESTRELWORKS TECHNO-YESB-XX4821-NA";
        let notes: Vec<String> = (501..=504).map(|n| format!("IMPS-{n}{NOTE}")).collect();
        let rows = |days: [&'static str; 4]| -> Vec<(&str, i64, &str)> {
            days.iter()
                .zip([48000, 51500, 46200, 52900])
                .zip(&notes)
                .map(|((&day, amount), note)| (day, amount, note.as_str()))
                .collect()
        };
        let result = credits(&rows([
            "2025-04-04",
            "2025-05-09",
            "2025-06-03",
            "2025-07-10",
        ]));
        assert_eq!(result.salary.transactions, vec![0, 1, 2, 3]);
        let decision = &result.salary.decisions[0];
        assert!(
            decision.reason.contains("wage-payment window"),
            "{}",
            decision.reason
        );
        // The same spread with May's pay on the 13th, past the window.
        let late = credits(&rows([
            "2025-04-04",
            "2025-05-13",
            "2025-06-03",
            "2025-07-10",
        ]));
        assert!(late.salary.transactions.is_empty());
    }

    /// A payer printed like a person pays wages when every note names the month paid for; the
    /// same payer with no month, or one month's name every time, does not.
    #[test]
    fn a_person_like_payer_naming_the_months_paid() {
        let named = credits(&[
            (
                "2025-01-03",
                18000,
                "MOB-IMPS-CR/SHREE GANESH HAR/BARB/**1234/Dec/",
            ),
            (
                "2025-02-03",
                18000,
                "MOB-IMPS-CR/SHREE GANESH HAR/BARB/**1234/Jan/",
            ),
            (
                "2025-03-04",
                18000,
                "MOB-IMPS-CR/SHREE GANESH HAR/BARB/**1234/Feb/",
            ),
        ]);
        assert_eq!(named.salary.transactions, vec![0, 1, 2]);
        assert!(named.salary.decisions[0].reason.contains("names the month"));
        for notes in [["NA", "NA", "NA"], ["Jan", "Jan", "Jan"]] {
            let rows: Vec<String> = notes
                .iter()
                .map(|note| format!("MOB-IMPS-CR/SHREE GANESH HAR/BARB/**1234/{note}/"))
                .collect();
            let result = credits(&[
                ("2025-01-03", 18000, &rows[0]),
                ("2025-02-03", 18000, &rows[1]),
                ("2025-03-04", 18000, &rows[2]),
            ]);
            assert!(result.salary.transactions.is_empty(), "{notes:?}");
        }
        // The holder's father noting each month: family, not wages.
        let father: Vec<_> = ["JAN", "FEB", "MAR"]
            .iter()
            .zip(["2025-01-02", "2025-02-03", "2025-03-03"])
            .enumerate()
            .map(|(n, (month, date))| {
                let note = format!("IMPS-50{n}-RAMAKRISHNA IYER-SBIN-XX1122-{month}");
                txn(date, "credit", 15000, 15000 * (n as i64 + 1), &note)
            })
            .collect();
        let context = EnrichmentContext {
            names: vec!["KAVYA IYER".into()],
            ..EnrichmentContext::default()
        };
        let family = enrich(&AccountInput::from_transactions(father), &context);
        assert!(family.salary.transactions.is_empty());
    }

    /// A credit of a whole number of months of the pay's rise, to the rupee a month, is the
    /// raise's arrears; a sum near it is not (from a firm). From a government pay office the
    /// sum near it is pay all the same, by `pay_office_extra` (arrears net of NPS and tax).
    #[test]
    fn arrears_of_a_raise() {
        for (payer, arrears, wanted, rule) in [
            ("ORBIT WIDGETS PVT LTD", 6840, true, "monthly_pattern"),
            ("ORBIT WIDGETS PVT LTD", 6900, false, ""),
            ("PAO CBIC NAGPUR", 6840, true, "monthly_pattern"),
            ("PAO CBIC NAGPUR", 6900, true, "pay_office_extra"),
        ] {
            let notes: Vec<String> = (1..=7).map(|n| format!("NEFT/RBIN{n}/{payer}")).collect();
            let result = credits(&[
                ("2025-06-30", 78450, notes[0].as_str()),
                ("2025-07-31", 78450, notes[1].as_str()),
                ("2025-08-29", 78450, notes[2].as_str()),
                ("2025-09-30", 78450, notes[3].as_str()),
                ("2025-10-24", arrears, notes[4].as_str()),
                ("2025-10-31", 80730, notes[5].as_str()),
                ("2025-11-28", 80730, notes[6].as_str()),
            ]);
            assert_eq!(
                result.transactions[4].is_salary, wanted,
                "{payer} {arrears}"
            );
            assert_eq!(result.salary.transactions.len(), 6 + usize::from(wanted));
            if wanted {
                let decision = result
                    .salary
                    .decisions
                    .iter()
                    .find(|decision| decision.transactions.contains(&4))
                    .expect("a decision for the arrears");
                assert_eq!(decision.rule, rule, "{payer} {arrears}");
            }
        }
    }

    /// The keyword employer's month paid as an advance and the balance holds both; its final
    /// settlement joins whatever its amount; a small reimbursement does not.
    #[test]
    fn keyword_payer_advance_balance_and_settlement() {
        let result = credits(&[
            (
                "2025-05-03",
                14000,
                "UPI/ACME TRADERS/acme@ybl/salary april/YES BANK/1",
            ),
            (
                "2025-06-02",
                14000,
                "UPI/ACME TRADERS/acme@ybl/NA/YES BANK/2",
            ),
            (
                "2025-06-16",
                4000,
                "UPI/ACME TRADERS/acme@ybl/advance/YES BANK/3",
            ),
            (
                "2025-07-01",
                10000,
                "UPI/ACME TRADERS/acme@ybl/NA/YES BANK/4",
            ),
            (
                "2025-07-21",
                1500,
                "UPI/ACME TRADERS/acme@ybl/petrol/YES BANK/5",
            ),
            (
                "2025-08-04",
                14500,
                "UPI/ACME TRADERS/acme@ybl/salary july/YES BANK/6",
            ),
            (
                "2025-08-20",
                31000,
                "UPI/ACME TRADERS/acme@ybl/FNF SETTLEMENT/YES BANK/7",
            ),
        ]);
        assert_eq!(result.salary.transactions, vec![0, 1, 2, 3, 5, 6]);
        let joined = result
            .salary
            .decisions
            .iter()
            .find(|decision| decision.rule == "keyword_payer")
            .expect("keyword_payer decision");
        assert!(joined.reason.contains("paid in parts"), "{}", joined.reason);
        assert!(joined.reason.contains("beyond salary"), "{}", joined.reason);
    }

    /// Pay naming no employer beside one firm's incentive: the incentive is pay, named by its
    /// firm; two firms' incentives name no one; a dividend or an insurer's bonus is never pay.
    #[test]
    fn an_unnamed_employers_incentive() {
        let pay = [
            (
                "2025-04-01",
                36800,
                "BY TRANSFER-SALARY CREDIT BULK-20250401",
            ),
            (
                "2025-05-02",
                36800,
                "BY TRANSFER-SALARY CREDIT BULK-20250502",
            ),
            (
                "2025-06-02",
                36800,
                "BY TRANSFER-SALARY CREDIT BULK-20250602",
            ),
        ];
        let incentive = (
            "2025-06-15",
            11200,
            "NEFT-HDFCN5-VERIDIAN PHARMA LTD-INCENTIVE Q1",
        );
        let other = (
            "2025-06-18",
            9000,
            "NEFT-HDFCN6-ORBIT LOGISTICS PVT LTD-INCENTIVE",
        );
        let dividend = (
            "2025-06-20",
            612,
            "ACH CR-ACH123-VERIDIAN PHARMA LTD-FINAL DIV",
        );
        let one = credits(&[pay[0], pay[1], pay[2], incentive, dividend]);
        assert_eq!(one.salary.transactions, vec![0, 1, 2, 3]);
        let extra = one.salary.decisions.last().expect("decision");
        assert_eq!(extra.rule, "unnamed_employer_extra");
        assert_eq!(extra.employer_name.as_deref(), Some("VERIDIAN PHARMA LTD"));
        let two = credits(&[pay[0], pay[1], pay[2], incentive, other]);
        assert_eq!(two.salary.transactions, vec![0, 1, 2]);
        // An insurer's bonus was explained by the categoriser (Insurance): not pay.
        let insurer = (
            "2025-05-20",
            24500,
            "NEFT-SBIN0001234-LIFE INSURANCE CORPORATION OF INDIA-SB BONUS POLICY 123456",
        );
        let policy = credits(&[pay[0], pay[1], pay[2], insurer]);
        assert_eq!(policy.salary.transactions, vec![0, 1, 2]);
    }

    /// "PAYOUT" is not pay unless a month's name is printed beside it: "MAY PAYOUT" and
    /// "PAYOUT FOR MAY" are a month's pay; "WEEKLY PAYOUT" and a broker's payout are not.
    #[test]
    fn a_payout_naming_its_month() {
        let result = credits(&[
            ("2025-06-05", 49900, "IMPS-IN/5156/HEXAPLANE SO/MAY PAYOUT"),
            (
                "2025-06-06",
                49900,
                "IMPS-IN/5157/HEXAPLANE SO/PAYOUT FOR MAY",
            ),
            (
                "2025-06-10",
                2960,
                "NEFT-IN/YESBN1/ROPPEN TRANSPORTATION/WEEKLY PAYOUT",
            ),
            (
                "2025-06-11",
                8200,
                "NEFT-IN/HDFCN2/ZERODHA BROKING LTD/PAYOUT",
            ),
            (
                "2025-06-12",
                8200,
                "NEFT-IN/HDFCN3/ZERODHA BROKING LTD/MAY RENT",
            ),
        ]);
        let rows = &result.transactions;
        assert!(!says_not_salary(&rows[0]));
        assert!(!says_not_salary(&rows[1]));
        assert!(says_not_salary(&rows[2]));
        assert!(says_not_salary(&rows[3]));
        assert!(says_not_salary(&rows[4]));
    }

    /// A treasury that pays the monthly salary: its other credits naming nothing else (DA
    /// arrears net of NPS and tax, a festival bonus) are pay; its GPF advance and a pension are
    /// not; a firm that is no pay office gets no such rule (its small credit stays out).
    #[test]
    fn a_pay_offices_other_credits() {
        let treasury = |n: u32| format!("NEFT-RBIN4250{n}-DISTRICT TREASURY SALEM");
        let notes: Vec<String> = (10..17).map(treasury).collect();
        let result = credits(&[
            ("2025-01-10", 3000, notes[0].as_str()),
            ("2025-01-31", 58430, notes[1].as_str()),
            ("2025-02-28", 58430, notes[2].as_str()),
            (
                "2025-03-17",
                50000,
                "NEFT-RBIN425077-DISTRICT TREASURY SALEM GPF ADVANCE",
            ),
            ("2025-03-28", 58430, notes[3].as_str()),
            ("2025-04-30", 58430, notes[4].as_str()),
            ("2025-05-16", 4164, notes[5].as_str()),
            (
                "2025-05-20",
                21000,
                "NEFT-RBIN425140-DISTRICT TREASURY SALEM PENSION",
            ),
            ("2025-05-30", 59546, notes[6].as_str()),
        ]);
        assert_eq!(result.salary.transactions, vec![0, 1, 2, 4, 5, 6, 8]);
        let extra = result
            .salary
            .decisions
            .iter()
            .find(|decision| decision.rule == "pay_office_extra")
            .expect("pay_office_extra decision");
        assert_eq!(extra.transactions, vec![0, 6]);
        assert_eq!(extra.confidence, 80.0);
        assert!(
            extra.reason.contains("DISTRICT TREASURY SALEM"),
            "{}",
            extra.reason
        );

        let firm = |n: u32| format!("NEFT-HDFCN{n}-ORBIT WIDGETS PVT LTD");
        let notes: Vec<String> = (10..15).map(firm).collect();
        let result = credits(&[
            ("2025-01-31", 58430, notes[0].as_str()),
            ("2025-02-28", 58430, notes[1].as_str()),
            ("2025-03-28", 58430, notes[2].as_str()),
            ("2025-04-16", 4164, notes[3].as_str()),
            ("2025-04-30", 58430, notes[4].as_str()),
        ]);
        assert_eq!(result.salary.transactions, vec![0, 1, 2, 4]);
    }

    /// Pay through a payroll processor at the month end and the variable part from the
    /// employer's own account on the 7th: both pay, the second named by the shared word. A
    /// different firm paying in the same months (no shared word) stays out.
    #[test]
    fn the_employers_second_account() {
        let rows = |second: &'static str| -> Vec<(String, i64, String)> {
            let mut rows = Vec::new();
            for (month, amount) in [(1, 11250), (2, 9600), (3, 13900), (4, 10400)] {
                let next = month + 1;
                rows.push((
                    format!("2025-{month:02}-28"),
                    71840,
                    format!("ACH C- RAZORPAYX PAYROLL KESTREL-RPX{month}"),
                ));
                rows.push((
                    format!("2025-{next:02}-07"),
                    amount,
                    format!("NEFT CR-UTIB0000553-{second}-ADITI RAO-AXISCN{month}"),
                ));
            }
            rows
        };
        let run = |rows: &[(String, i64, String)]| {
            let borrowed: Vec<(&str, i64, &str)> = rows
                .iter()
                .map(|(date, amount, note)| (date.as_str(), *amount, note.as_str()))
                .collect();
            credits(&borrowed)
        };
        let result = run(&rows("KESTREL LOGISTICS PVT LTD"));
        assert_eq!(result.salary.transactions, (0..8).collect::<Vec<_>>());
        let second = result
            .salary
            .decisions
            .iter()
            .find(|decision| decision.rule == "employer_second_account")
            .expect("employer_second_account decision");
        assert!(second.reason.contains("KESTREL"), "{}", second.reason);
        assert_eq!(
            second.employer_name.as_deref(),
            Some("KESTREL LOGISTICS PVT LTD")
        );
        let result = run(&rows("ZENTRIX DIGITAL LLP"));
        assert_eq!(result.salary.transactions, vec![0, 2, 4, 6]);
    }

    /// A change of job: the old employer's final settlement and the next employer's
    /// pro-rated first pay in one month. Both runs are pay; the joiner's smaller first credit
    /// joins the keyword employer. Two months shared are two employers at once: not a change.
    #[test]
    fn a_change_of_job_in_one_month() {
        let a = |n: u32| format!("NEFT CR-DEUT0784PBC-AURORA BIOSCIENCES PVT LT-VIKRAM SETH-D{n}");
        let b = |n: &str| format!("NEFT CR-KKBK0000958-QUILLSTONE CAPITAL ADVISO-VIKRAM SETH-{n}");
        let notes = [
            a(1),
            a(2),
            a(3),
            b("K1"),
            a(4),
            b("SALARY CREDIT"),
            b("SALARY CREDIT"),
        ];
        let result = credits(&[
            ("2025-01-24", 84500, notes[0].as_str()),
            ("2025-02-25", 84500, notes[1].as_str()),
            ("2025-03-25", 84500, notes[2].as_str()),
            ("2025-05-02", 29030, notes[3].as_str()),
            ("2025-05-20", 121340, notes[4].as_str()),
            ("2025-06-02", 90000, notes[5].as_str()),
            ("2025-07-01", 90000, notes[6].as_str()),
        ]);
        assert_eq!(result.salary.transactions, (0..7).collect::<Vec<_>>());
        assert!(result
            .salary
            .decisions
            .iter()
            .any(|decision| decision.reason.contains("a change of job")));
        assert!(result
            .salary
            .decisions
            .iter()
            .any(|decision| decision.reason.contains("joined or left part-way")));
        // A smaller credit on another day than the pay day is not a part-month pay.
        let result = credits(&[
            ("2025-05-19", 29030, notes[3].as_str()),
            ("2025-06-02", 90000, notes[5].as_str()),
            ("2025-07-01", 90000, notes[6].as_str()),
        ]);
        assert_eq!(result.salary.transactions, vec![1, 2]);
        let months = |list: &[(i32, u32)]| list.iter().copied().collect::<BTreeSet<_>>();
        assert_eq!(
            handover_month(
                &months(&[(2025, 3), (2025, 4)]),
                &months(&[(2025, 4), (2025, 5)])
            ),
            Some((2025, 4))
        );
        // Two months shared at the runs' ends: the old employer paying each month on the first
        // days of the next (its last month and the notice days) while the new one pays at the
        // month end (issue 10 salary set L).
        assert_eq!(
            handover_month(
                &months(&[(2025, 3), (2025, 4), (2025, 5)]),
                &months(&[(2025, 4), (2025, 5), (2025, 6)])
            ),
            Some((2025, 4))
        );
        // Three months shared, or two not at the runs' ends, are two payers at once.
        assert_eq!(
            handover_month(
                &months(&[(2025, 2), (2025, 3), (2025, 4), (2025, 5)]),
                &months(&[(2025, 3), (2025, 4), (2025, 5), (2025, 6)])
            ),
            None
        );
        assert_eq!(
            handover_month(
                &months(&[(2025, 3), (2025, 4), (2025, 5), (2025, 6)]),
                &months(&[(2025, 4), (2025, 5), (2025, 7)])
            ),
            None
        );
    }

    /// A health society paying a contract nurse late through PFMS, two months in one credit
    /// twice, on no steady day: pay in arrears. The same dates with uneven sums (a client paying
    /// invoices late) are not.
    #[test]
    fn pay_in_arrears_two_months_in_one_credit() {
        let dates = [
            "2025-05-22",
            "2025-06-19",
            "2025-08-26",
            "2025-09-15",
            "2025-10-30",
            "2025-12-10",
            "2026-01-13",
            "2026-02-24",
        ];
        let notes: Vec<String> = (0..8)
            .map(|n| format!("BY TRANSFER-NEFT*RBIS0PFMS01*RBI21225441{n:02}*STATE HEALTH SOCIETY JHARKHAND*"))
            .collect();
        let rows = |amounts: [i64; 8]| -> Vec<(&str, i64, &str)> {
            dates
                .iter()
                .zip(amounts)
                .zip(&notes)
                .map(|((&date, amount), note)| (date, amount, note.as_str()))
                .collect()
        };
        let late = credits(&rows([
            25000, 25000, 50000, 25000, 25000, 52500, 26250, 26250,
        ]));
        assert_eq!(late.salary.transactions, (0..8).collect::<Vec<_>>());
        assert!(late
            .salary
            .decisions
            .iter()
            .any(|decision| decision.rule == "pay_in_arrears"));
        let invoices = credits(&rows([
            25000, 31000, 50000, 18000, 25000, 44000, 26250, 39000,
        ]));
        assert!(invoices.salary.transactions.is_empty());
    }

    /// Cheques deposited with no drawer printed, one a month on the 2nd-8th in sums worked
    /// out to the rupee, are one unnamed payer's pay; round sums (a tenant's rent) are not.
    #[test]
    fn cheques_naming_no_drawer_paying_odd_sums_monthly() {
        let dates = [
            "2025-04-06",
            "2025-05-07",
            "2025-06-04",
            "2025-07-05",
            "2025-08-05",
            "2025-09-06",
        ];
        let notes: Vec<String> = (0..6)
            .map(|n| format!("CHQ DEP - MICR CLG - THANE - CTS 62491{n}"))
            .collect();
        let rows = |amounts: [i64; 6]| -> Vec<(&str, i64, &str)> {
            dates
                .iter()
                .zip(amounts)
                .zip(&notes)
                .map(|((&date, amount), note)| (date, amount, note.as_str()))
                .collect()
        };
        let pay = credits(&rows([31200, 31200, 33800, 33800, 33800, 33800]));
        assert_eq!(pay.salary.transactions, (0..6).collect::<Vec<_>>());
        assert_eq!(pay.salary.employer_name, None);
        let rent = credits(&rows([18000, 18000, 18000, 18000, 18000, 18000]));
        assert!(rent.salary.transactions.is_empty());
    }

    /// A person-like payer (a firm's name cut to two plain words) whose sums vary in odd
    /// amounts every month for six months is pay; one sending varying round thousands (a son's
    /// remittance) is not, nor the same odd sums over five months.
    #[test]
    fn a_cut_firm_name_read_as_a_person_paying_varying_sums() {
        let dates = [
            "2024-04-02",
            "2024-05-03",
            "2024-06-03",
            "2024-07-01",
            "2024-08-05",
            "2024-09-02",
        ];
        let notes: Vec<String> = (0..6)
            .map(|n| format!("MMT/IMPS/40931234567{n}/PAYMENT/BRIGHTLOOP TE/HDFC Bank"))
            .collect();
        let run = |amounts: &[i64], months: usize| {
            let rows: Vec<(&str, i64, &str)> = dates
                .iter()
                .zip(amounts)
                .zip(&notes)
                .take(months)
                .map(|((&date, &amount), note)| (date, amount, note.as_str()))
                .collect();
            credits(&rows)
        };
        let odd = [54000, 61750, 54000, 57900, 54800, 66400];
        let result = run(&odd, 6);
        assert_eq!(result.salary.transactions, (0..6).collect::<Vec<_>>());
        assert!(result.salary.decisions[0].reason.contains("odd amounts"));
        assert!(run(&odd, 5).salary.transactions.is_empty());
        let round = [40000, 35000, 50000, 42000, 40000, 45000];
        assert!(run(&round, 6).salary.transactions.is_empty());
        // Rent with the month's electricity: odd sums a few percent apart.
        let rent = [12640, 12415, 12890, 12555, 12730, 12480];
        assert!(run(&rent, 6).salary.transactions.is_empty());
    }

    #[test]
    fn a_remittance_through_a_money_transfer_firm_is_not_pay() {
        let month_days = [
            "2025-04-09",
            "2025-05-08",
            "2025-06-10",
            "2025-07-09",
            "2025-08-08",
        ];
        let amounts = [51237, 52018, 53406, 52871, 54112];
        let rows = |payer: &str| -> Vec<(&'static str, i64, String)> {
            month_days
                .iter()
                .zip(amounts)
                .enumerate()
                .map(|(n, (date, amount))| {
                    (
                        *date,
                        amount,
                        format!("BY TRANSFER-NEFT*YESB0000001*YESF2500{n}217*{payer}--"),
                    )
                })
                .collect()
        };
        let run = |payer: &str| {
            let rows = rows(payer);
            let borrowed: Vec<(&str, i64, &str)> = rows
                .iter()
                .map(|(date, amount, note)| (*date, *amount, note.as_str()))
                .collect();
            credits(&borrowed).salary.transactions.len()
        };
        assert_eq!(run("WISE PAYMENTS LIMITED"), 0);
        assert_eq!(run("WESTERN UNION FINANCIAL"), 0);
        // The same credits from a firm that employs people are its pay.
        assert_eq!(run("KESTREL FREIGHT PVT LTD"), 5);
    }

    #[test]
    fn many_payers_every_month_make_a_collections_account() {
        let months = ["2025-04", "2025-05", "2025-06", "2025-07", "2025-08"];
        let firm = [34560, 41280, 38400, 45120, 36480];
        let people = [
            "PRIYANKA SHAH",
            "ROHIT DAVE",
            "HETAL JOSHI",
            "NIRAV PANCHAL",
            "KINJAL DESAI",
        ];
        let statement = |customers: usize| {
            let mut rows: Vec<(String, i64, String)> = Vec::new();
            for (m, month) in months.iter().enumerate() {
                rows.push((
                    format!("{month}-0{}", 3 + m),
                    firm[m],
                    format!("NEFT:HDFCN5202500{m}1234:CORPVISTA COWORKING LLP"),
                ));
                for (c, name) in people.iter().take(customers).enumerate() {
                    rows.push((
                        format!("{month}-0{}", 1 + c),
                        3200,
                        format!("UPI/CR/51{m}{c}0934128/{name}/cust{c}@okicici/tiffin"),
                    ));
                }
            }
            rows.sort();
            let borrowed: Vec<(&str, i64, &str)> = rows
                .iter()
                .map(|(date, amount, note)| (date.as_str(), *amount, note.as_str()))
                .collect();
            credits(&borrowed).salary.transactions.len()
        };
        // Five customers paying every month: the firm's monthly bill is a customer's too.
        assert_eq!(statement(5), 0);
        // With two people paying (family, a tenant) the firm's monthly credits are pay.
        assert_eq!(statement(2), 5);
    }

    #[test]
    fn a_joiners_off_cycle_first_pay_and_a_leavers_last_months() {
        let joiner = enrich(
            &firm_pay(&[
                ("2025-01-14", 21640),
                ("2025-01-31", 58300),
                ("2025-02-28", 58300),
                ("2025-03-28", 58300),
                ("2025-04-30", 58300),
            ]),
            &EnrichmentContext::default(),
        );
        assert_eq!(joiner.salary.transactions.len(), 5);
        assert!(joiner.salary.decisions[0].reason.contains("part-way"));
        // A pro-rated last pay on the pay day, then the settlement weeks later on another day.
        let leaver = enrich(
            &firm_pay(&[
                ("2025-01-31", 94250),
                ("2025-02-28", 94250),
                ("2025-03-28", 94250),
                ("2025-04-30", 94250),
                ("2025-05-30", 42580),
                ("2025-07-09", 112760),
            ]),
            &EnrichmentContext::default(),
        );
        assert_eq!(leaver.salary.transactions.len(), 6);
        assert!(leaver.salary.decisions[0].reason.contains("leaver"));
        // A small claim in a month without pay is no part month.
        let claim = enrich(
            &firm_pay(&[
                ("2025-01-31", 58300),
                ("2025-02-28", 58300),
                ("2025-03-28", 58300),
                ("2025-04-30", 58300),
                ("2025-05-20", 6100),
            ]),
            &EnrichmentContext::default(),
        );
        assert_eq!(claim.salary.transactions.len(), 4);
    }

    #[test]
    fn a_keyword_pay_in_two_credits_every_month() {
        let mut rows: Vec<(String, i64, String)> = Vec::new();
        for (m, (day, month)) in [
            ("2025-01-31", "JAN"),
            ("2025-02-28", "FEB"),
            ("2025-03-31", "MAR"),
            ("2025-04-30", "APR"),
        ]
        .iter()
        .enumerate()
        {
            rows.push((
                day.to_string(),
                100000,
                format!("NEFT/CITIN52025{m}1111/ASTERWAVE SYSTEMS PVT L/CITI/SAL {month}25"),
            ));
            rows.push((
                day.to_string(),
                18340,
                format!("NEFT/CITIN52025{m}1112/ASTERWAVE SYSTEMS PVT L/CITI/FBP {month}25"),
            ));
        }
        let count = |rows: &[(String, i64, String)]| {
            let borrowed: Vec<(&str, i64, &str)> = rows
                .iter()
                .map(|(date, amount, note)| (date.as_str(), *amount, note.as_str()))
                .collect();
            credits(&borrowed).salary.transactions.len()
        };
        assert_eq!(count(&rows), 8);
        // The second credit in two of the four months only is no part of the pay.
        let some: Vec<(String, i64, String)> = rows
            .iter()
            .enumerate()
            .filter(|(n, row)| row.1 == 100000 || *n < 4)
            .map(|(_, row)| row.clone())
            .collect();
        assert_eq!(count(&some), 4);
    }

    /// Six month-end credits from `payer` (rupees), with `extra` rows (date, side, amount, note)
    /// beside them; the enrichment with `context`.
    fn six_months_from(
        payer: &dyn Fn(usize) -> String,
        amounts: [i64; 6],
        extra: &[(&str, &str, i64, &str)],
        context: &EnrichmentContext,
    ) -> crate::Enrichment {
        let days = [
            "2025-01-31",
            "2025-02-28",
            "2025-03-28",
            "2025-04-30",
            "2025-05-30",
            "2025-06-30",
        ];
        let mut rows: Vec<(String, &str, i64, String)> = days
            .iter()
            .zip(amounts)
            .enumerate()
            .map(|(n, (day, amount))| (day.to_string(), "credit", amount, payer(n)))
            .collect();
        rows.extend(
            extra.iter().map(|&(day, side, amount, note)| {
                (day.to_string(), side, amount, note.to_string())
            }),
        );
        rows.sort();
        let mut balance = 1_000_000;
        let transactions = rows
            .iter()
            .map(|(day, side, amount, note)| {
                balance += if *side == "credit" { *amount } else { -*amount };
                txn(day, side, *amount, balance, note)
            })
            .collect();
        enrich(&AccountInput::from_transactions(transactions), context)
    }

    /// A firm named as the sender through a money-transfer service is judged as any firm (a
    /// foreign employer's pay); a person sending through one stays family money.
    #[test]
    fn a_firm_paying_through_a_money_transfer_service() {
        let amounts = [269262, 267057, 269577, 268443, 275369, 277383];
        let through = |sender: &'static str| {
            move |n: usize| format!("IMPS/P2A/50{n}212004471/WISE PAYMENTS LIMITED/{sender}")
        };
        let default = EnrichmentContext::default();
        let firm = six_months_from(&through("HELIOGRAPH INC"), amounts, &[], &default);
        assert_eq!(firm.salary.transactions.len(), 6);
        assert_eq!(firm.salary.employer_name.as_deref(), Some("HELIOGRAPH INC"));
        assert!(firm.salary.decisions[0]
            .reason
            .contains("money-transfer service"));
        // The counterparty as read is kept.
        assert_eq!(
            firm.transactions[0].counterparty.as_deref(),
            Some("WISE PAYMENTS LIMITED")
        );
        let person = six_months_from(&through("MARK THOMPSON"), amounts, &[], &default);
        assert!(person.salary.transactions.is_empty());
    }

    /// A salaried holder's regular payers pay sums of different kinds (rents, an allowance, a
    /// loan repaid): not a business's customers paying like bills.
    #[test]
    fn regular_payers_of_different_sums_leave_the_pay() {
        let pay = |n: usize| {
            format!("BY TRANSFER-NEFT*UTIB0000412*AXISCN0{n}2503112001*NEELGIRI AGRO FOODS*--")
        };
        let mut owned: Vec<(String, &str, i64, String)> = Vec::new();
        for month in 1..=6 {
            for (n, (name, amount)) in [
                ("ARUN BHAT", 14000),
                ("DIVYA NAIR", 11500),
                ("SURESH KAMATH", 10000),
                ("SRINIVAS RAO", 5000),
                ("MEENA GOPAL", 3000),
            ]
            .into_iter()
            .enumerate()
            {
                owned.push((
                    format!("2025-{month:02}-{:02}", 2 + 3 * n),
                    "credit",
                    amount,
                    format!("BY TRANSFER-UPI/CR/5{month}{n}12340001/{name}/SBIN/p{n}@oksbi/--"),
                ));
            }
        }
        let extra_refs: Vec<(&str, &str, i64, &str)> = owned
            .iter()
            .map(|(day, side, amount, note)| (day.as_str(), *side, *amount, note.as_str()))
            .collect();
        let default = EnrichmentContext::default();
        let paid = six_months_from(
            &pay,
            [54620, 54620, 54620, 57900, 57900, 52110],
            &extra_refs,
            &default,
        );
        assert_eq!(paid.salary.transactions.len(), 6);
        assert_eq!(recurring_payers_of(&paid), 3);
    }

    fn recurring_payers_of(result: &crate::Enrichment) -> usize {
        let credits: Vec<usize> = (0..result.transactions.len())
            .filter(|&index| is_credit(&result.transactions[index]))
            .collect();
        recurring_payers(
            &result.transactions,
            &group_by_payer(&result.transactions, &credits),
        )
    }

    /// GST paid from the account makes a client firm's steady monthly credits fees.
    #[test]
    fn gst_paid_from_the_account_makes_steady_client_credits_fees() {
        let client = |n: usize| format!("NEFT N15725040{n}112233 PIXELFORGE STUDIOS LLP");
        let amounts = [42300, 45000, 40500, 45000, 47700, 45000];
        let default = EnrichmentContext::default();
        let gst = [
            (
                "2025-02-19",
                "debit",
                11025,
                "GST PAYMENT CPIN 25040700123456 GSTN",
            ),
            (
                "2025-04-20",
                "debit",
                16940,
                "GST PAYMENT CPIN 25050700221874 GSTN",
            ),
        ];
        let registered = six_months_from(&client, amounts, &gst, &default);
        assert!(registered.salary.transactions.is_empty());
        // One GST payment is not yet a habit; bank charges' GST is no payment of GST.
        let charges = [
            (
                "2025-02-19",
                "debit",
                11025,
                "GST PAYMENT CPIN 25040700123456 GSTN",
            ),
            ("2025-04-20", "debit", 18, "CGST ON SMS CHARGES"),
        ];
        let salaried = six_months_from(&client, amounts, &charges, &default);
        assert_eq!(salaried.salary.transactions.len(), 6);
    }

    /// A payer naming a licence fee (or rent) in some months pays the same in the others; a
    /// pension system's and a pension office's credits are never pay.
    #[test]
    fn a_payer_naming_what_it_pays_and_pension_offices() {
        let default = EnrichmentContext::default();
        let fee = |n: usize| {
            let note = if n % 3 == 1 {
                "LICENCE FEE"
            } else {
                "SAROJA PILLAI"
            };
            format!("NEFT CR-KKBK0000958-VANTIX ENGINEERING PVT LTD-{note}-KKBKH2500{n}001234")
        };
        let amounts = [43200; 6];
        assert!(six_months_from(&fee, amounts, &[], &default)
            .salary
            .transactions
            .is_empty());
        let sparsh = |n: usize| {
            format!("BY TRANSFER-NEFT*RBIS0PFMS01*RBIS2501{n}1110045*PCDA P PRAYAGRAJ SPARSH--")
        };
        assert!(six_months_from(&sparsh, [38640; 6], &[], &default)
            .salary
            .transactions
            .is_empty());
        let cpao = |n: usize| format!("NEFT_IN:RBIN2501{n}1110045//RBIN0000001/CPAO NEW DELHI");
        assert!(six_months_from(&cpao, [38640; 6], &[], &default)
            .salary
            .transactions
            .is_empty());
        // A defence accounts office pays an officer's pay.
        let pcda =
            |n: usize| format!("BY TRANSFER-NEFT*RBIS0PFMS01*RBIS2501{n}1110045*PCDA O PUNE--");
        assert_eq!(
            six_months_from(&pcda, [98640; 6], &[], &default)
                .salary
                .transactions
                .len(),
            6
        );
    }

    /// The caller's employer printed as its initials ("MLSPL", "MLS") is the employer; the
    /// words after a firm's legal form are the narration's note, not its name.
    #[test]
    fn employer_initials_and_words_after_the_legal_form() {
        let employer = SessionEmployer::new("Meridian Logistics Solutions Pvt Ltd");
        assert!(employer.named_in(" NEFT IN UTIB AXISP00250407556 MLSPL "));
        assert!(employer.named_in(" NEFT MLS SALARY "));
        assert!(employer.named_in(" NEFT MERIDIAN LOGISTICS SOL "));
        assert!(!employer.named_in(" NEFT MLSX "));
        assert!(SessionEmployer::new("Acme Ltd").initials.is_empty());
        let context = EnrichmentContext {
            employer_names: vec!["Meridian Logistics Solutions Pvt Ltd".into()],
            ..EnrichmentContext::default()
        };
        let pay = |n: usize| format!("NEFT-IN/UTIB/AXISP002504{n}7556/MLSPL");
        let result = six_months_from(
            &pay,
            [33480, 35120, 33480, 34260, 33480, 36940],
            &[],
            &context,
        );
        assert_eq!(result.salary.transactions.len(), 6);
        assert_eq!(result.salary.decisions[0].rule, "session_employer");
        assert_eq!(
            payer_key("HALCYON RETAIL PVT LTD ANNUAL BONUS"),
            payer_key("HALCYON RETAIL PVT LTD")
        );
        assert_eq!(payer_key("M S ACME TRADERS"), Some("ACME TRA".into()));
    }

    /// A leaver's final settlement named as such may fall in the next employer's months; the
    /// keyword pay's variable part from the month after the first pay is its second part.
    #[test]
    fn a_settlement_in_the_next_jobs_months_and_a_part_from_the_second_month() {
        let old =
            |n: usize| format!("NEFT/HDFCN520250{n}312345/ORCHID HEALTHCARE PVT LTD/HDFC BANK");
        let extra = [
            (
                "2025-07-31",
                "credit",
                60480,
                "NEFT/YESBN1202507311/CALYX DIAGNOSTICS LLP SALARY/YES",
            ),
            (
                "2025-08-13",
                "credit",
                52730,
                "NEFT/HDFCN52025081398765/ORCHID HEALTHCARE PVT LTD/FNF SETTLEMENT",
            ),
            (
                "2025-08-29",
                "credit",
                75000,
                "NEFT/YESBN1202508291/CALYX DIAGNOSTICS LLP SALARY/YES",
            ),
            (
                "2025-09-30",
                "credit",
                75000,
                "NEFT/YESBN1202509301/CALYX DIAGNOSTICS LLP SALARY/YES",
            ),
        ];
        let default = EnrichmentContext::default();
        let result = six_months_from(
            &old,
            [64200, 64200, 64200, 68900, 68900, 68900],
            &extra,
            &default,
        );
        assert_eq!(result.salary.transactions.len(), 10);
        let sal = |n: usize| format!("SAL CR-KORVEX AUTO COMPONENTS P L-M{n} 2025");
        let variable = [
            (
                "2025-02-10",
                "credit",
                8400,
                "NEFT-HDFCN52025021012345-KORVEX AUTO COMPONENTS PVT LTD-MEGHA IYER",
            ),
            (
                "2025-03-10",
                "credit",
                9150,
                "NEFT-HDFCN52025031033107-KORVEX AUTO COMPONENTS PVT LTD-MEGHA IYER",
            ),
            (
                "2025-04-10",
                "credit",
                6720,
                "NEFT-HDFCN52025041029981-KORVEX AUTO COMPONENTS PVT LTD-MEGHA IYER",
            ),
            (
                "2025-05-09",
                "credit",
                8880,
                "NEFT-HDFCN52025050940012-KORVEX AUTO COMPONENTS PVT LTD-MEGHA IYER",
            ),
            (
                "2025-06-10",
                "credit",
                9600,
                "NEFT-HDFCN52025061035520-KORVEX AUTO COMPONENTS PVT LTD-MEGHA IYER",
            ),
        ];
        let result = six_months_from(&sal, [58230; 6], &variable, &default);
        assert_eq!(result.salary.transactions.len(), 11);
        // Missing in a month inside the run, they are no second part.
        let result = six_months_from(
            &sal,
            [58230; 6],
            &[variable[0], variable[1], variable[3], variable[4]],
            &default,
        );
        assert_eq!(result.salary.transactions.len(), 6);
    }
}
