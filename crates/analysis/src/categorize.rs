//! Four-layer categorisation (transaction_channel, description, merchant_category,
//! human category) driven by the rule table and the merchant and lender dictionaries.
//! Every result names the rule that produced it.

use crate::error::AnalysisError;
use crate::narration::{self, Mode, Narration};
use crate::tables::{
    self, any_alternative_found, phrase_alternatives, Found, Needle, PhraseIndex, SpacedWords,
    WordMap, WordSet,
};
use crate::EnrichmentContext;
use ledgerlens_statement::model::{Transaction, TransactionType};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::HashMap;

/// Merchant category codes printed on some card rows (data/mcc.tsv).
const MCC_TSV: &str = include_str!("../data/mcc.tsv");

/// Credits at or below this are account-validation pennies ("₹1 to check the account"),
/// never a loan disbursal.
const PENNY_CHECK_LIMIT: Decimal = Decimal::TEN;

/// The grammar's short closed word lists (data/word_lists.tsv): outlet, government, scheme,
/// legal-name, lender-form, company-form and own-credit words, people's and merchants' UPI handle
/// domains, share registrars.
const WORD_LISTS_TSV: &str = include_str!("../data/word_lists.tsv");

/// The lists data/word_lists.tsv may hold.
const WORD_LIST_NAMES: &[&str] = &[
    "outlet",
    "government",
    "scheme",
    "legal_name",
    "lender_form",
    "company_form",
    "own_credit",
    "personal_handle_domain",
    "business_handle_domain",
    "registrar",
    "government_payer",
    "card_issuer",
    "tax_own_word",
    "nameless_rule",
    "short_payee",
    "known_employer",
];

fn load_word_lists() -> Result<HashMap<&'static str, Vec<&'static str>>, AnalysisError> {
    parse_word_lists(WORD_LISTS_TSV)
}

/// Reads a word_lists table. Every row must name a known list and hold one entry as the grammar
/// compares it (upper-case words a single space apart as `narration::normalize` leaves them; a
/// handle domain in lower case), once per list, and every list must hold a word: a row the
/// grammar could never match is an error naming its line, not a silently shorter list.
fn parse_word_lists(
    text: &'static str,
) -> Result<HashMap<&'static str, Vec<&'static str>>, AnalysisError> {
    let mut lists: HashMap<&'static str, Vec<&'static str>> = HashMap::new();
    for (line, fields) in tables::rows("word_lists", text, 2)? {
        let (list, word) = (fields[0], fields[1]);
        let problem = if !WORD_LIST_NAMES.contains(&list) {
            Some(format!("unknown list {list:?}"))
        } else if !word_list_entry_is_clean(list, word) {
            Some(format!(
                "{word:?} is not one entry of list {list} as the grammar compares it"
            ))
        } else if lists.get(list).is_some_and(|words| words.contains(&word)) {
            Some(format!("{word:?} twice in list {list}"))
        } else {
            None
        };
        if let Some(problem) = problem {
            return Err(AnalysisError::Table {
                table: "word_lists",
                line,
                problem,
            });
        }
        lists.entry(list).or_default().push(word);
    }
    if let Some(missing) = WORD_LIST_NAMES
        .iter()
        .find(|name| !lists.contains_key(*name))
    {
        return Err(AnalysisError::Table {
            table: "word_lists",
            line: text.lines().count(),
            problem: format!("list {missing} has no words"),
        });
    }
    Ok(lists)
}

/// Whether `word` is an entry the grammar can match in `list`: a handle domain is lower-case
/// letters, digits, dots and hyphens; any other entry is upper-case words as normalisation
/// leaves a narration (no punctuation, one space between words).
fn word_list_entry_is_clean(list: &str, word: &str) -> bool {
    if word.is_empty() {
        return false;
    }
    if list.ends_with("_handle_domain") {
        return word.bytes().all(|byte| {
            byte.is_ascii_lowercase() || byte.is_ascii_digit() || b".-".contains(&byte)
        });
    }
    narration::normalize(word).trim() == word
}

/// The word lists, or a panic naming the table's defect. The table is compiled into the
/// binary, so a malformed row is a build defect: it fails the first categorisation of every
/// run and every test that categorises a narration, loudly, instead of leaving the grammar
/// silently without its lists.
fn word_lists_or_fail(
    loaded: Result<HashMap<&'static str, Vec<&'static str>>, AnalysisError>,
) -> HashMap<&'static str, Vec<&'static str>> {
    match loaded {
        Ok(lists) => lists,
        Err(defect) => panic!("data/word_lists.tsv is malformed: {defect}"),
    }
}

/// One list of data/word_lists.tsv, loaded once (see [`word_lists_or_fail`]). A name that is not
/// one of [`WORD_LIST_NAMES`] is a defect of the calling code and fails as loudly.
fn word_list(name: &str) -> &'static [&'static str] {
    static LISTS: std::sync::OnceLock<HashMap<&'static str, Vec<&'static str>>> =
        std::sync::OnceLock::new();
    match LISTS
        .get_or_init(|| word_lists_or_fail(load_word_lists()))
        .get(name)
    {
        Some(words) => words,
        None => panic!("word list {name:?} is not one of data/word_lists.tsv's lists"),
    }
}

/// Whether a name is only words that name a tax (word_lists.tsv "tax_own_word": "PROF TAX").
fn names_only_the_tax(name: &str) -> bool {
    let name = narration::normalize(name);
    let mut words = name.split_whitespace().peekable();
    words.peek().is_some() && words.all(|word| word_list("tax_own_word").contains(&word))
}

/// Facts about a transaction that rules can require.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flag {
    Lender,
    Merchant,
    SelfTransfer,
    Sister,
    Employer,
    /// Batch AJ: the payer is an employer whose credits to a person's account are pay
    /// (word_lists.tsv "known_employer": IT services and outsourcing majors), and the narration
    /// says nothing else the credit is (a reimbursement, an invoice, a refund).
    KnownEmployer,
    /// Batch AL: the payer is a government pay office (salary_signals.tsv pay_office: a treasury,
    /// a PAO, a DDO), and the narration says nothing else the credit is (a pension, a refund).
    PayOffice,
    /// Batch AL: the payer reads as a firm or a pay office (salary_signals.tsv firm, suffix and
    /// pay_office words), not a person.
    FirmPayer,
    /// Batch AN: the payer is an incorporated company (a legal form in its name: LTD,
    /// LIMITED, PVT, LLP, INC), the credit is pay-sized, and the narration says nothing else it
    /// is (see `crate::salary::company_pay_reading`).
    Company,
    Insufficient,
    Upi,
    /// A credit small enough to be an account-validation penny.
    Penny,
    /// The counterparty is a bank ("IDFC FIRST BANK LTD" on a NACH debit: a loan).
    BankPayee,
    /// The narration names no counterparty, merchant or lender (a transfer naming only banks).
    Nobody,
    /// The narration prints a masked card number.
    MaskedCard,
    /// The holder's name reads as a firm's: a business account, whose payments to firms are
    /// purchases from suppliers, not the holder's own spends.
    Business,
    /// The merchant is a brand known by name or handle, not a trade word or a card's MCC.
    Brand,
    /// A payee named by a UPI or third-party-transfer grammar that no dictionary knows, whose
    /// printed name and handle hold none of the rules' phrases (a person, a small shop): the
    /// payer's note does not say who was paid.
    Person,
    /// The merchant found has this merchant_category ("mc:insurance").
    MerchantCategory(&'static str),
}

#[derive(Debug, Clone)]
struct Rule {
    id: &'static str,
    side: Option<TransactionType>,
    modes: Vec<Mode>,
    requires: Vec<(Flag, bool)>,
    phrases: Vec<Vec<Needle>>,
    channel: &'static str,
    description: &'static str,
    category: &'static str,
}

/// How a merchant-dictionary key is matched (merchants.tsv, column "kind").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MerchantKind {
    /// A UPI handle's prefix or token: matched on the handle only.
    Handle,
    /// A brand: its display name replaces the printed one.
    Name,
    /// A trade word: settles the category, keeps the printed name.
    Word,
}

/// Where a trade word of merchants.tsv is looked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reach {
    /// In the payee's name (kind "word").
    Name,
    /// Batch AH: in the payer's note ("Fuel", "Petrol"), only to confirm a `Weak` word of the same
    /// trade in the payee's name (kind "note").
    Note,
    /// Batch AH: in the payee's name, too common alone to say the trade ("HP" ends people's
    /// initials), counted where the payer's note names the same trade (kind "weak").
    Weak,
}

#[derive(Debug, Clone)]
struct MerchantEntry {
    key: &'static str,
    kind: MerchantKind,
    name: &'static str,
    merchant_category: &'static str,
    category: &'static str,
    /// Where a trade word counts (merchants.tsv kinds "note" and "weak"); brands and handles reach
    /// everywhere.
    reach: Reach,
    /// A dealer network's brand (merchants.tsv kinds "outlet" and "outlet-handle"): matched as a
    /// name or handle, but the outlet's own printed name is the payee where the row prints one.
    outlet: bool,
    table: &'static str,
    line: usize,
}

/// Which dictionary entry settled the merchant and what it was matched on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MerchantMatch {
    /// "merchants.tsv" or "mcc.tsv".
    pub table: &'static str,
    pub line: usize,
    pub key: &'static str,
    /// "handle", "counterparty", "narration" or "mcc"; "counterparty rejoined", "counterparty
    /// glued" or "counterparty cut" when the name was found in a field printed wrapped in a narrow
    /// cell (a space inside the name), with its words run together, or cut short.
    pub matched_on: &'static str,
}

#[derive(Debug, Clone)]
struct LenderEntry {
    needle: Needle,
    name: &'static str,
    line: usize,
}

/// The merchant dictionary indexed for lookups by handle token and by word n-gram.
#[derive(Debug, Clone, Default)]
struct MerchantIndex {
    entries: Vec<MerchantEntry>,
    /// Handle keys ("swiggy.upi", "hpcl") and brand keys without spaces ("INDIANOIL").
    by_handle: WordMap<String, usize>,
    /// Brand phrases ("BHARAT PETROLEUM") -> entry.
    names: WordMap<&'static str, usize>,
    /// Trade-word phrases ("MEDICAL STORE") -> entry.
    words: WordMap<&'static str, usize>,
    /// Trade words of a payer's note ("FUEL", "PETROL") -> entry (kind "note").
    notes: WordMap<&'static str, usize>,
    /// Trade words too common alone ("HP") -> entry (kind "weak").
    weak_words: WordMap<&'static str, usize>,
    /// Longest phrase, in words.
    longest_phrase: usize,
    /// Every phrase's leading words short of the whole ("BHARAT" of "BHARAT PETROLEUM"): an
    /// n-gram that is not one cannot grow into a phrase.
    prefixes: WordSet<&'static str>,
    /// `names`, `words`, `notes` and `weak_words` with `prefixes`, one look-up per n-gram
    /// (see [`PhraseSteps`]).
    steps: [PhraseSteps; 4],
    by_mcc: HashMap<u16, usize>,
    /// Brand keys without their spaces, for names printed wrapped, glued or cut.
    squashed: SquashedKeys,
    /// Shop trade words of [`MIN_GLUED_TRADE_WORD`] letters or more, without their spaces, longest
    /// first, for a shop's name run into its trade ("YASHODAHOSPITAL", "FUELLINGSTATION").
    glued_trade_words: Vec<(String, usize)>,
    /// Each of `glued_trade_words` -> its first place in that list (its rank: longest first),
    /// and its first place as a key of several words (the only ones a whole word may be), so a
    /// name's words are looked up by their endings instead of every trade word being tried
    /// against every word. (A key listed twice apart stays in the list twice.)
    glued_trade_ranks: WordMap<String, (usize, Option<usize>)>,
    /// Shop trade words of one word longer than [`MIN_CUT_TRADE_WORD`] letters, for a payee's name cut
    /// inside its last word ("SURAKSHAA HEALTHCA").
    cut_trade_words: Vec<(&'static str, usize)>,
    /// Trade words of several words ("FILLING STATION", "EYE HOSPITAL"), for a payee's name cut
    /// inside the phrase's last word: each phrase's last word, its words before that, and its
    /// entry (split once here, not for every phrase on every row: 46 M instructions on a
    /// 1,936-row statement).
    cut_trade_phrases: Vec<CutTradePhrase>,
    /// Brands of several words ("SWIGGY INSTAMART"), for a payee's name cut inside the brand's last
    /// word after its other words printed whole; split once here, as `cut_trade_phrases` are
    /// (split for every row, 41 M instructions on a 1,936-row statement).
    cut_brand_phrases: Vec<CutTradePhrase>,
    /// Trade words of one word, letters only, [`MIN_SHORT_TRADE_WORD`] letters or more -> entry, for
    /// a trade word inside the payee's handle.
    handle_trade_words: WordMap<&'static str, usize>,
    /// The longest of `handle_trade_words`, in letters.
    longest_handle_trade_word: usize,
}

/// Which phrase table of the merchant index [`MerchantIndex::longest_phrase_in`] looks in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phrases {
    Names = 0,
    Words = 1,
    Notes = 2,
    WeakWords = 3,
}

/// One phrase table and the phrases' leading words in one map: an n-gram is looked up once to
/// learn both whether it is a phrase and whether it can grow into one (two look-ups per n-gram
/// were most of the phrase search, ~15 M instructions of the 114-page bench statement).
type PhraseSteps = WordMap<&'static str, PhraseStep>;

#[derive(Debug, Clone, Copy, Default)]
struct PhraseStep {
    /// The entry the n-gram is a phrase of.
    position: Option<usize>,
    /// Some phrase starts with the n-gram's words and has more.
    prefix: bool,
}

/// A trade phrase or brand of several words split into its last word and the words before it.
#[derive(Debug, Clone)]
struct CutTradePhrase {
    last: &'static str,
    before: Vec<&'static str>,
    position: usize,
}

/// The fewest letters left of a trade word cut at the end of a payee's name: shorter heads are whole
/// words of their own ("STATION" of "STATIONERS", "SUPER" of "SUPERMARKET").
const MIN_CUT_TRADE_WORD: usize = 8;
/// How a trade word cut at the end of the payee's name was found (see `decided_by`).
const CUT_TRADE_WORD: &str = "trade word cut";
/// The fewest letters left of a trade phrase's last word cut at the end of the payee's name: the
/// phrase's whole words before it already say the trade ("FILLING STAT", "SANCHAR NIG").
const MIN_CUT_PHRASE_HEAD: usize = 3;
/// How a trade word run into the payee's handle was found where the printed name is cut short of
/// it (see `decided_by`).
const GLUED_IN_HANDLE: &str = "trade word glued in handle";

/// The fewest letters of a trade word found run together with the shop's name: shorter ones
/// end common words ("CORPO-RATION", "INCI-DENTAL").
const MIN_GLUED_TRADE_WORD: usize = 7;
/// The fewest letters of the name a trade word is glued to ("KIMS" of "KIMSHOSPITALS").
const MIN_GLUED_NAME: usize = 3;
/// Categories whose trade words name a shop; an insurer's, fund's, wallet's or utility's
/// words end other words ("YOUTUBEPREMIUM") and are left to the printed words.
const GLUED_TRADE_CATEGORIES: &[&str] = &[
    "Food",
    "Groceries",
    "Medical",
    "Fuel",
    "Shopping",
    "Alcohol",
    "Travel",
    "Entertainment",
];
/// How a trade word run together with the shop's name was found (see `decided_by`).
const GLUED_TRADE_WORD: &str = "trade word glued";
/// The fewest letters left of a brand phrase's last word cut at the end of the payee's name: the
/// phrase's whole words before it already name the brand ("SWIGGY INSTAMA").
const MIN_CUT_BRAND_HEAD: usize = 4;
/// How a brand of several words cut inside its last word was found (see `decided_by`).
const CUT_BRAND: &str = "brand cut";
/// The fewest letters of a trade word that ends a UPI handle after the shop's name
/// ("maheshpatelgrocery", "drrakeshclinic"): shorter ones end people's names.
const MIN_HANDLE_TRADE_WORD: usize = 6;
/// The fewest letters of a trade word a merchant's handle opens with or that the handle completes
/// where the printed name was cut inside it ("cafeirani", "GUPTA DH" / guptadhaba).
const MIN_SHORT_TRADE_WORD: usize = 4;
/// The fewest letters of the shop's name after a trade word that opens a merchant's handle.
const MIN_NAME_AFTER_TRADE_WORD: usize = 4;
/// UPI handle domains that only merchants hold (Google Pay for Business, "<shop>@okbizaxis").
fn business_handle_domains() -> &'static [&'static str] {
    word_list("business_handle_domain")
}
/// How a trade word in the payee's handle was found (see `decided_by`).
const TRADE_WORD_IN_HANDLE: &str = "trade word in handle";
/// How a trade word too common alone was confirmed by the payer's note (see `decided_by`).
const WEAK_WORD_AND_NOTE: &str = "trade word confirmed by the note";
/// Batch AJ: how a payer's note said the trade of a payee the row marks as a merchant (see
/// `decided_by`).
const NOTE_ON_MERCHANT_ROW: &str = "note on a merchant's row";

/// The outcome for one transaction.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Categorized {
    pub transaction_channel: &'static str,
    pub description: String,
    pub merchant_category: &'static str,
    pub category: String,
    pub unclean_merchant: String,
    pub rule_id: &'static str,
    pub merchant: Option<&'static str>,
    pub lender: Option<&'static str>,
    /// The merchant-dictionary or MCC entry that was found, if any.
    pub merchant_match: Option<MerchantMatch>,
    /// The lenders.tsv line that was found, if any.
    pub lender_line: Option<usize>,
    /// How the lender's name was found when the narration printed it wrapped, glued or cut
    /// ("rejoined", "glued", "cut"); None when it was printed whole.
    #[serde(skip)]
    pub lender_rejoined: Option<&'static str>,
    pub narration: Narration,
}

impl Categorized {
    /// The rule and the dictionary entries that made the decision, e.g.
    /// "R290 merchants.tsv:57 swiggy.upi (handle)".
    pub fn decided_by(&self) -> String {
        let mut text = self.rule_id.to_string();
        if let Some(found) = &self.merchant_match {
            text.push_str(&format!(
                " {}:{} {} ({})",
                found.table, found.line, found.key, found.matched_on
            ));
        }
        if let Some(line) = self.lender_line {
            text.push_str(&format!(" lenders.tsv:{line}"));
            if let Some(how) = self.lender_rejoined {
                text.push_str(&format!(" (counterparty {how})"));
            }
        }
        text
    }
}

/// Loaded rule and dictionary tables; build once, reuse for every account.
#[derive(Debug, Clone)]
pub struct Categorizer {
    rules: Vec<Rule>,
    /// For each side and rail, the rules that name neither another side nor only other rails.
    candidates: RuleCandidates,
    merchants: MerchantIndex,
    lenders: Vec<LenderEntry>,
    /// Lender phrases without their spaces, for names printed wrapped, glued or cut.
    squashed_lenders: SquashedKeys,
    insufficient: Vec<Vec<Needle>>,
    /// Every phrase of the rules, lenders and insufficient-funds list, found in one pass.
    phrases: PhraseIndex,
    /// Which rules a row's phrases leave possible.
    screen: RuleScreen,
}

const INSUFFICIENT_PHRASES: &str = "INSUFF|INSUFFICIENT|FUNDS+INSUFFICIENT|INSUFFICIENT+FUNDS|EXCEEDS+ARRANGEMENT|INSUF|FUND+INSUFF|NO+FUNDS";

impl Categorizer {
    pub fn from_embedded_tables() -> Result<Categorizer, AnalysisError> {
        let mut rules = load_rules()?;
        let mut lenders = load_lenders()?;
        let mut insufficient = phrase_alternatives(INSUFFICIENT_PHRASES);
        let phrases = PhraseIndex::build(
            rules
                .iter_mut()
                .flat_map(|rule| rule.phrases.iter_mut().flatten())
                .chain(lenders.iter_mut().map(|entry| &mut entry.needle))
                .chain(insufficient.iter_mut().flatten()),
        );
        Ok(Categorizer {
            candidates: RuleCandidates::build(&rules),
            screen: RuleScreen::build(&rules, &phrases),
            rules,
            merchants: load_merchants()?,
            squashed_lenders: SquashedKeys::build(
                lenders
                    .iter()
                    .enumerate()
                    .filter(|(_, entry)| !is_generic_lender(entry))
                    .map(|(position, entry)| (entry.needle.text.as_str(), position, entry.name)),
            )
            .with_tail_words(lender_form_words()),
            lenders,
            insufficient,
            phrases,
        })
    }

    /// No rules at all: every transaction falls back to "Others".
    pub fn empty() -> Categorizer {
        Categorizer {
            rules: Vec::new(),
            candidates: RuleCandidates::build(&[]),
            screen: RuleScreen::default(),
            merchants: MerchantIndex::default(),
            lenders: Vec::new(),
            squashed_lenders: SquashedKeys::default(),
            insufficient: Vec::new(),
            phrases: PhraseIndex::default(),
        }
    }

    pub fn categorize(
        &self,
        transaction: &Transaction,
        context: &EnrichmentContext,
    ) -> Categorized {
        let mut parsed = narration::parse(&transaction.transaction_note);
        if transaction.transaction_type == TransactionType::Credit {
            // A gateway's settlement names the merchant it pays (often the holder) after itself:
            // the gateway is the remitter.
            if let Some(gateway) = parsed.gateway_settles.clone() {
                parsed.counterparty = Some(gateway);
                parsed.counterparty_source = "gateway";
            }
        }
        if transaction.transaction_type == TransactionType::Credit && parsed.counterparty.is_none()
        {
            // A gateway that credits the account and names nobody behind it paid itself.
            if let Some(gateway) = parsed.gateway_payer.clone() {
                parsed.counterparty = Some(gateway);
                parsed.counterparty_source = "gateway";
            }
        }
        if transaction.transaction_type == TransactionType::Credit && parsed.counterparty.is_none()
        {
            // On UPI the app or gateway printed in the payee's place paid itself only where the
            // credit is its own: a one-rupee account check or a cashback.
            let own_credit = transaction.amount <= PENNY_CHECK_LIMIT
                || narration::normalize(&transaction.transaction_note)
                    .split_whitespace()
                    .any(|word| own_credit_words().contains(&word));
            if let Some(gateway) = parsed.upi_gateway.clone().filter(|_| own_credit) {
                parsed.counterparty = Some(gateway);
                parsed.counterparty_source = "gateway";
            }
        }
        if transaction.transaction_type == TransactionType::Credit && parsed.mode == Mode::Ach {
            // A government paying by ACH pays a scheme: the scheme is the payer.
            if let Some(scheme) = scheme_behind_government(&transaction.transaction_note, &parsed) {
                parsed.counterparty = Some(scheme);
                parsed.counterparty_source = "scheme";
            }
        }
        if transaction.transaction_type == TransactionType::Credit && parsed.counterparty.is_none()
        {
            // Batch AH: a government's payment system printed as the only payer ("NEFT <utr> PFMS
            // SBI", "IMPS/<ref>/CR/PFMS SBI/SCHOLARSHIP") paid: it is the payer, not nobody.
            if let Some(payer) = spaced_word_list("government_payer").first_held(&parsed.normalized)
            {
                parsed.counterparty = Some((*payer).to_string());
                parsed.counterparty_source = "government";
            }
        }
        if transaction.transaction_type == TransactionType::Debit
            && parsed.mode == Mode::Upi
            && parsed.counterparty.is_none()
        {
            // Batch AI: a payee whose whole name is shorter than the three letters a printed name
            // needs, printed as a field of its own ("UPI/VI/<ref>/Recharge", "UPI/P2M/<ref>/Vi/
            // Recharge/<bank>"; word_lists.tsv "short_payee").
            let short = transaction.transaction_note.split('/').find_map(|field| {
                word_list("short_payee")
                    .iter()
                    .find(|name| field.trim().eq_ignore_ascii_case(name))
            });
            if let Some(name) = short {
                parsed.counterparty = Some((*name).to_string());
                parsed.counterparty_source = "short payee";
            }
        }
        if transaction.transaction_type == TransactionType::Credit
            && transaction.amount <= PENNY_CHECK_LIMIT
            && counterparty_is_holder(&parsed, context)
        {
            // Batch AI: a gateway's account check prints the holder it checks after itself ("NEFT
            // CR-<ifsc>-CASHFREE PAYMENTS INDIA-<holder>-<utr>", SBI's "*CASHFREE PAYMENTS*<holder>--"):
            // the gateway sent the rupee; the holder paid nothing to themselves.
            let gateway = parsed
                .normalized
                .split_whitespace()
                .find(|word| narration::is_gateway_word(word))
                .map(str::to_string);
            if let Some(gateway) = gateway {
                parsed.counterparty = Some(gateway);
                parsed.counterparty_source = "gateway";
            }
        }
        let match_text = match_text(&transaction.transaction_note, &parsed);
        // "SHELL KUMAR" paid at shellkumar88@oksbi is a person whose name holds a brand's word:
        // a brand or lender shorter than the name the person's own handle spells is not the payee.
        let personal_name_words = self.name_spelt_by_personal_handle(&parsed);
        // A trade word ("DHABA", "MESS") still says what a shop named that way sells.
        let shorter_than_name = |key: &str| {
            personal_name_words.is_some_and(|words| key.split_whitespace().count() < words)
        };
        let printed_hit = self
            .merchants
            .find(&parsed, &match_text)
            .filter(|(entry, _)| entry.kind == MerchantKind::Word || !shorter_than_name(entry.key))
            .or_else(|| {
                (transaction.transaction_type == TransactionType::Debit)
                    .then(|| self.merchants.note_on_merchant_row(&parsed, &match_text))
                    .flatten()
            });
        let found = self.phrases.scan(&match_text);
        let printed_lender = self
            .lenders
            .iter()
            .find(|entry| entry.needle.found(&found, &match_text));
        // A name the narrow cell printed with a space inside, its words run together or cut short
        // ("SWI GGY", "BUNDLTECHNOLOGIESPVTLTD", "MAKEMYTR"), looked up in the field it was read from.
        let side = transaction.transaction_type;
        let rejoined = self
            .rejoined_name(&parsed, printed_hit, printed_lender)
            .or_else(|| {
                (side == TransactionType::Debit
                    && parsed.mode == Mode::Ach
                    && printed_lender.is_none()
                    && printed_hit.is_none())
                .then(|| self.creditor_behind_aggregator(&parsed))
                .flatten()
            });
        // Facts that do not depend on which dictionary entry was found, worked out once.
        let penny = side == TransactionType::Credit && transaction.amount <= PENNY_CHECK_LIMIT;
        let bank_payee = parsed.counterparty.as_deref().is_some_and(|name| {
            let name = narration::normalize(name);
            name.contains(" BANK ") || narration::ends_with_lending_bank(&name)
        });
        let self_transfer = counterparty_is_holder(&parsed, context);
        let sister = names_any(&match_text, &context.companies_for_self_transfer);
        let employer = names_any(&match_text, &context.employer_names);
        let known_employer = side == TransactionType::Credit
            && spaced_word_list("known_employer")
                .first_held(&parsed.normalized)
                .is_some()
            && !crate::salary::text_says_not_salary(&parsed.normalized);
        let payer = (side == TransactionType::Credit)
            .then_some(parsed.counterparty.as_deref())
            .flatten();
        let pay_office = payer.is_some_and(crate::salary::is_pay_office)
            && !crate::salary::text_says_not_salary(&parsed.normalized);
        let firm_payer = payer.is_some_and(|name| {
            crate::salary::reads_as_firm(name) || crate::salary::is_pay_office(name)
        });
        let company = payer.is_some_and(|name| {
            crate::salary::company_pay_reading(name, transaction.amount, &parsed.normalized)
        });
        // Batch AP: a money-transfer firm or exchange house passing on a remittance ("UAE
        // EXCHANGE AND FINANCIAL SERVICES LTD", "WESTERN UNION FINANCIAL SERVICES") lends
        // nothing: a finance company's words in its name make no lender of it. Asked only of a
        // row a lender was found on.
        let passes_on_money = || {
            side == TransactionType::Credit
                && (payer.is_some_and(crate::salary::trades_money)
                    || crate::salary::names_passes_on_phrase(&parsed.normalized))
        };
        let insufficient = any_alternative_found(&self.insufficient, &found, &match_text)
            && !self.insufficient.is_empty();
        let possible = self.screen.possible(&found, &self.phrases);
        // The merchant, lender and first rule that applies, given what the lookups found.
        let decide = |rejoined| {
            let merchant_hit = match rejoined {
                Some(RejoinedName::Merchant(entry, how)) => Some((entry, how.merchant_label())),
                _ => printed_hit,
            };
            let merchant = merchant_hit.map(|(entry, _)| entry);
            let (lender, lender_rejoined) = match rejoined {
                Some(RejoinedName::Lender(entry, how)) => (Some(entry), Some(how.label())),
                // A lender's word made by the break ("BSES RAJ DHANI") is no lender when the
                // rejoined brand holds it.
                Some(RejoinedName::Merchant(entry, _)) => (
                    printed_lender
                        .filter(|lender| !squashed_contains(entry.key, &lender.needle.text)),
                    None,
                ),
                None => (printed_lender, None),
            };
            let lender = lender
                .filter(|_| !passes_on_money())
                .filter(|entry| !brand_outnames_lender(merchant, entry))
                .filter(|entry| !shop_named_after_lender(merchant, entry, &parsed))
                .filter(|entry| !shorter_than_name(&entry.needle.text));
            let flags = FlagSet {
                // A buy-now-pay-later provider found by its handle lends as much as one named in
                // lenders.tsv: paying it is a repayment.
                lender: lender.is_some()
                    || merchant.is_some_and(|entry| entry.merchant_category == "bnpl"),
                merchant: merchant.is_some(),
                merchant_category: merchant.map(|entry| entry.merchant_category),
                penny,
                bank_payee,
                nobody: parsed.counterparty.is_none() && merchant.is_none() && lender.is_none(),
                masked_card: parsed.masked_card,
                business: context
                    .names
                    .iter()
                    .any(|holder| crate::salary::reads_as_firm(holder)),
                // A shop's trade word in the handle ("SHARMA K" / sharmakirana@ybl) makes the payee a
                // shop even where the printed name could be the holder's cut.
                self_transfer: self_transfer
                    && !merchant_hit.is_some_and(|(_, matched_on)| {
                        matched_on == TRADE_WORD_IN_HANDLE || matched_on == GLUED_IN_HANDLE
                    }),
                sister,
                employer,
                known_employer,
                pay_office,
                // Batch AN: a shop named by a trade word ("AGARWAL SWEETS PALACE") pays its
                // staff as a firm does.
                firm_payer: firm_payer
                    || (payer.is_some()
                        && merchant.is_some_and(|entry| entry.kind == MerchantKind::Word)),
                company,
                insufficient,
                upi: parsed.mode == Mode::Upi,
                person: side == TransactionType::Debit
                    && merchant.is_none()
                    && lender.is_none()
                    && self.payee_is_unlisted_party(&parsed),
                brand: merchant_hit.is_some_and(|(entry, matched_on)| {
                    matched_on != "mcc" && entry.kind != MerchantKind::Word
                }),
            };
            let applies = |&(index, rule): &(usize, &Rule)| {
                self.screen.admits(index, &possible)
                    && rule.applies(
                        transaction.transaction_type,
                        parsed.mode,
                        &flags,
                        &found,
                        &match_text,
                    )
            };
            let rule = match self
                .candidates
                .of(transaction.transaction_type, parsed.mode)
            {
                Some(candidates) => candidates
                    .iter()
                    .filter_map(|&index| Some((index, self.rules.get(index)?)))
                    .find(applies),
                None => self.rules.iter().enumerate().find(applies),
            }
            .map(|(_, rule)| rule);
            (merchant_hit, lender, lender_rejoined, rule)
        };
        // A cut name is the weakest reading: it is used only where the printed words leave the
        // row unexplained (a transfer to an unknown name, or nothing), never to rename a row
        // they already explain ("KERALA STATE ELECTRI" is an electricity bill as printed).
        // Batch AF: nor where the printed words found only a trade word of the same merchant category
        // opening the payee's name ("LIFE INSURANCE CORPO" is LIC, not "a life insurer"): the cut name
        // names the payee. A name that begins with its own word before the trade word ("BANDHAN
        // MUTUAL F") is named as printed.
        let rejoined = rejoined.filter(|name| {
            !name.is_cut() || {
                let (printed_merchant, _, _, printed_rule) = decide(None);
                printed_rule.is_none_or(|rule| {
                    rule.category == "{transfer}"
                        || (rule.category == "{merchant}" && printed_merchant.is_none())
                }) || matches!(
                    (name, printed_merchant),
                    (RejoinedName::Merchant(cut, _), Some((printed, _)))
                        if printed.kind == MerchantKind::Word
                            && !printed.merchant_category.is_empty()
                            && printed.merchant_category == cut.merchant_category
                            && opens_the_payee(&parsed, printed.key)
                )
            }
        });
        let (merchant_hit, lender, lender_rejoined, rule) = decide(rejoined);
        let merchant = merchant_hit.map(|(entry, _)| entry);
        let Some(rule) = rule else {
            return fallback(parsed);
        };
        let merchant_match = merchant_hit.map(|(entry, matched_on)| MerchantMatch {
            table: entry.table,
            line: entry.line,
            key: entry.key,
            matched_on,
        });
        let transfer = transfer_label(transaction.transaction_type, &parsed);
        let merchant_category_label = merchant.map(|entry| entry.category).unwrap_or("Others");
        let merchant_category = if lender.is_some() && rule.description == "lender_transaction" {
            // A buy-now-pay-later provider stays "bnpl"; other lenders are "loans".
            merchant
                .map(|entry| entry.merchant_category)
                .filter(|category| *category == "bnpl")
                .unwrap_or("loans")
        } else {
            merchant.map(|entry| entry.merchant_category).unwrap_or("")
        };
        let unclean_merchant = if NAMELESS_CHANNELS.contains(&rule.channel)
            // Batch AI: a rule whose rows name nobody (word_lists.tsv "nameless_rule": a bank reversing
            // its own charge refunds the charge, whichever lender the charge was for).
            || word_list("nameless_rule").contains(&rule.id)
            // A deposit opened or closed in the holder's own name ("<acct> FD clos <date>
            // <holder>") has no counterparty either: the holder is no payee of their own deposit.
            || (matches!(rule.channel, "investment" | "investment_cashin")
                && (self_transfer || counterparty_heads_holder(&parsed, context)))
            // Batch AF: money loaded by a transfer on a prepaid card ("FOREX CARD LOAD/MULTI CURRENCY
            // CARD/EUR 600") moves into the holder's own instrument: nobody is paid unless a seller
            // is named (BookMyForex).
            || (rule.category == "E-Wallet"
                && rule.channel == "net_banking_transfer"
                && merchant.is_none())
        {
            // The bank's own charges, interest and cash rows have no counterparty.
            String::new()
        } else if let Some(company) = (rule.channel == "investment_cashin")
            .then(|| company_paying_through_registrar(&parsed.normalized))
            .flatten()
        {
            company
        } else if rule.channel == "salary" && parsed.counterparty.is_some() {
            // Batch AF: an employer is named as the row prints it ("AVENUE SUPERMARTS LTD" pays a
            // salary; DMart is the shop it runs).
            parsed.counterparty.clone().unwrap_or_default()
        } else {
            lender
                .filter(|_| rule.description == "lender_transaction" || merchant.is_none())
                .map(|entry| lender_display(entry, &parsed))
                .or_else(|| {
                    merchant_hit.and_then(|(entry, matched_on)| {
                        merchant_display(entry, matched_on, &parsed)
                    })
                })
                // Batch AF: a card bill whose payee field printed the bank's name, read as no
                // payee, and left the biller's handle in its place names the bank.
                .or_else(|| {
                    parsed.counterparty.clone().filter(|name| {
                        !(rule.description == "credit_card_bill"
                            && name.contains('@')
                            && (parsed
                                .bank
                                .as_deref()
                                .is_some_and(|bank| bank.contains(' '))
                                || (parsed.bank.is_none()
                                    && parsed.mode == Mode::Upi
                                    && card_issuer_named(&parsed.normalized).is_some())))
                    })
                })
                // A loan row naming no lender but a bank ("NEFT/CR/<ifsc>/AU SMALL FINANCE
                // BANK/LOAN DISBURSAL") was lent by that bank; a card bill naming only a bank
                // ("BIL/ONL/<ref>/HDFC BANK CREDIT C/<card>") pays that bank's card.
                // Batch AF: a salary paid by a bank names the bank ("NEFT/CR/<utr>/HDFC BANK
                // LTD/SALARY JUN26").
                .or_else(|| {
                    (matches!(rule.description, "lender_transaction" | "credit_card_bill")
                        || rule.channel == "salary")
                        .then(|| parsed.bank.clone())
                        .flatten()
                })
                // Batch AH: a card bill paid by UPI naming its issuer by a word no bank grammar
                // reads as a bank ("UPI/KOTAK RUPAY CC/<ref>/Card bill") pays that issuer's card.
                .or_else(|| {
                    (rule.description == "credit_card_bill" && parsed.mode == Mode::Upi)
                        .then(|| card_issuer_named(&parsed.normalized))
                        .flatten()
                })
                .unwrap_or_default()
        };
        // Batch AI: a tax row whose counterparty is only the tax's own words ("PROF TAX", "Professional
        // Tax") names no payee: the words say what was paid, not to whom.
        let unclean_merchant = if rule.category == "Tax" && names_only_the_tax(&unclean_merchant) {
            String::new()
        } else {
            unclean_merchant
        };
        Categorized {
            transaction_channel: rule.channel,
            description: expand(rule.description, &transfer, merchant_category_label),
            merchant_category,
            category: expand(rule.category, &transfer, merchant_category_label),
            unclean_merchant,
            rule_id: rule.id,
            merchant: merchant.map(|entry| entry.name),
            lender: lender.map(|entry| entry.name),
            merchant_match,
            lender_line: lender.map(|entry| entry.line),
            lender_rejoined: lender.and(lender_rejoined),
            narration: parsed,
        }
    }

    /// A brand or lender named by the counterparty's field once the cell's breaks are undone,
    /// when it says more than what the printed words found: nothing was found, only a trade word
    /// or MCC, or a shorter brand or lender that the rejoined name holds ("BSES" and the lender
    /// "DHANI" in "BSES RAJ DHANI POWER"). A handle's brand stands.
    fn rejoined_name<'a>(
        &'a self,
        parsed: &Narration,
        printed_hit: Option<(&'a MerchantEntry, &'static str)>,
        printed_lender: Option<&'a LenderEntry>,
    ) -> Option<RejoinedName<'a>> {
        let field = parsed.counterparty_field.as_deref()?;
        if printed_hit.is_some_and(|(_, matched_on)| matched_on == "handle") {
            return None;
        }
        let brand = self.merchants.squashed.find(field);
        let lender = self.squashed_lenders.find(field);
        let (found, is_lender) = match (brand, lender) {
            (Some(brand), Some(lender)) if lender.letters > brand.letters => (lender, true),
            (Some(brand), _) => (brand, false),
            (None, Some(lender)) => (lender, true),
            (None, None) => return None,
        };
        let printed_brand = printed_hit
            .filter(|(entry, matched_on)| entry.kind == MerchantKind::Name && *matched_on != "mcc")
            .map(|(entry, _)| entry.key);
        let printed_lender = printed_lender.map(|entry| entry.needle.text.as_str());
        // What the printed words found stands unless the rejoined name is longer and holds it.
        let outnames = |printed: &str| {
            squashed_length(printed) < found.letters && squashed_contains(found.key, printed)
        };
        if !printed_brand
            .into_iter()
            .chain(printed_lender)
            .all(outnames)
        {
            return None;
        }

        if is_lender {
            self.lenders
                .get(found.target)
                .map(|entry| RejoinedName::Lender(entry, found.how))
        } else {
            self.merchants
                .entries
                .get(found.target)
                .map(|entry| RejoinedName::Merchant(entry, found.how))
        }
    }

    /// The creditor of a mandate debit an aggregator collected (Razorpay, Cashfree, LotusPay,
    /// Digio): the words after the aggregator's are looked at one by one, and a word whose letters
    /// start with a lender's or brand's name (whole, or cut after six letters when every name
    /// starting so is one creditor) names it, whatever reference is glued after it
    /// ("EARLYSALARM9tkyd..." is EarlySalary cut at ten letters).
    fn creditor_behind_aggregator(&self, parsed: &Narration) -> Option<RejoinedName<'_>> {
        // The narration names nobody but the aggregator: its name is the counterparty, or no
        // field names anybody (HSBC "ECS-CASHFREE PAYMENTS IN P LENDINGKART1 <seq>").
        let names_only_aggregator = parsed.counterparty.as_deref().is_none_or(|name| {
            narration::normalize(name)
                .split_whitespace()
                .any(narration::is_gateway_word)
        });
        if !names_only_aggregator {
            return None;
        }
        let words: Vec<&str> = parsed.normalized.split_whitespace().collect();
        let after = words
            .iter()
            .position(|word| narration::is_gateway_word(word))?;
        words[after + 1..].iter().find_map(|word| {
            if is_legal_word(word, false) {
                return None;
            }
            let letters = word
                .as_bytes()
                .iter()
                .take_while(|byte| byte.is_ascii_alphabetic())
                .count();
            let letters = &word.as_bytes()[..letters];
            if let Some(found) = self.squashed_lenders.prefix_of(letters) {
                return self
                    .lenders
                    .get(found)
                    .map(|entry| RejoinedName::Lender(entry, Rejoin::Behind));
            }
            self.merchants
                .squashed
                .prefix_of(letters)
                .and_then(|found| self.merchants.entries.get(found))
                .filter(|entry| entry.kind == MerchantKind::Name)
                .map(|entry| RejoinedName::Merchant(entry, Rejoin::Behind))
        })
    }

    /// The number of words of a UPI payee's printed name when the payee's handle, on a domain
    /// that issues handles to people, spells that whole name of two or more words and the name
    /// holds none of the rules' phrases ("SHELL KUMAR" / shellkumar88@oksbi). A shop's handle
    /// rarely spells its printed name on these domains, and a brand's own name (one key) is
    /// never shorter than itself.
    fn name_spelt_by_personal_handle(&self, parsed: &Narration) -> Option<usize> {
        if parsed.mode != Mode::Upi {
            return None;
        }
        let (user, domain) = parsed.upi_handle.as_deref()?.split_once('@')?;
        if !personal_handle_domains().contains(&domain.to_ascii_lowercase().as_str()) {
            return None;
        }
        let name = narration::normalize(parsed.counterparty.as_deref()?);
        let words: Vec<&str> = name.split_whitespace().collect();
        if words.len() < 2 || !self.phrases.scan(&name).is_empty() {
            return None;
        }
        let spelt: String = words.concat().to_ascii_lowercase();
        let letters: String = user
            .chars()
            .filter(char::is_ascii_alphabetic)
            .map(|c| c.to_ascii_lowercase())
            .collect();
        (letters == spelt).then_some(words.len())
    }

    /// A payee printed by name by a UPI row (or known by a person-like handle) or last by a
    /// third-party transfer ("BIL/INFT/<ref>/<note>/<NAME>"), not paid as a merchant (P2M), whose
    /// name and handle hold none of the rules' phrases: a bill or EMI word in the note
    /// ("electricity", "EMI") is what the payer typed, not who was paid.
    fn payee_is_unlisted_party(&self, parsed: &Narration) -> bool {
        let named_by_grammar = match parsed.mode {
            Mode::Upi => matches!(parsed.counterparty_source, "upi" | "handle"),
            Mode::Neft | Mode::Imps | Mode::Rtgs | Mode::Transfer => {
                parsed.counterparty_source == "tail"
            }
            _ => false,
        };
        if !named_by_grammar || parsed.normalized.contains(" P2M ") {
            return false;
        }
        let Some(name) = parsed.counterparty.as_deref() else {
            return false;
        };
        let user = parsed
            .upi_handle
            .as_deref()
            .and_then(|handle| handle.split('@').next())
            .unwrap_or("");
        let payee = narration::normalize(&format!("{name} {user}"));
        self.phrases.scan(&payee).is_empty()
    }
}

/// UPI handle domains issued to people by Google Pay and PhonePe (merchants get others,
/// "@okbizaxis", a bank's merchant domain).
fn personal_handle_domains() -> &'static [&'static str] {
    word_list("personal_handle_domain")
}

/// Words of a credit an app or gateway pays from its own pocket ("UPI/<ref>/CR/PHONEPE/YESB/cashback@ybl").
fn own_credit_words() -> &'static [&'static str] {
    word_list("own_credit")
}

/// Channels whose rows are the bank's own doing or cash: no counterparty is shown.
const NAMELESS_CHANNELS: &[&str] = &[
    "bank_charge",
    "bank_interest",
    "cash_withdrawl",
    "cash_deposit",
    "international_transaction_arbitrage",
];

/// A brand shows its dictionary name; a trade word or MCC keeps the printed name, and
/// names nobody when nothing is printed (an MCC says what was bought, not from whom).
fn merchant_display(entry: &MerchantEntry, matched_on: &str, parsed: &Narration) -> Option<String> {
    match entry.kind {
        MerchantKind::Word if matched_on == GLUED_TRADE_WORD => parsed
            .counterparty
            .as_deref()
            .and_then(|name| glued_trade_name(name, entry.key))
            .or_else(|| parsed.counterparty.clone()),
        MerchantKind::Word => parsed.counterparty.clone(),
        MerchantKind::Handle | MerchantKind::Name if entry.outlet => parsed
            .counterparty
            .clone()
            .filter(|printed| names_an_outlet(printed, entry.key))
            .or_else(|| Some(entry.name.to_string())),
        MerchantKind::Handle | MerchantKind::Name => Some(entry.name.to_string()),
    }
}

/// Words a dealer's outlet prints beside its network's brand that name no dealer ("HP PETROL PUMP",
/// "M S ... FILLING STATION").
fn outlet_words() -> &'static [&'static str] {
    word_list("outlet")
}

/// Whether a printed payee names the dealer's outlet, not only its network: a word of three letters
/// or more beyond the brand's key and the outlet words ("KRISHNA HP PETROL PUMP", "JAI HANUMAN
/// AUTOMOBILES" at an hpcl.<outlet> handle; not "HP PETROL PUMP").
fn names_an_outlet(printed: &str, key: &str) -> bool {
    let key = key.to_ascii_uppercase();
    let key_words: Vec<&str> = key
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .collect();
    narration::normalize(printed)
        .split_whitespace()
        .any(|word| {
            word.len() >= 3
                && word.bytes().all(|byte| byte.is_ascii_alphabetic())
                && !key_words.contains(&word)
                && !outlet_words().contains(&word)
                && !narration::names_nobody(word)
        })
}

/// Words a government's payer names print with ("RAJASTHAN GOVT", "GOVT OF GUJARAT").
fn government_words() -> &'static [&'static str] {
    word_list("government")
}
/// Words that end or carry a welfare scheme's name ("MAJHI LADKI BAHIN YOJANA", "KISAN SAMMAN NIDHI",
/// "RYTHU BANDHU").
fn scheme_words() -> &'static [&'static str] {
    word_list("scheme")
}

/// The scheme an ACH credit from a government pays, printed after the government's name in its own
/// field ("ACH CR/MAHARASHTRA GOVT/MAJHI LADKI BAHIN YOJANA") or in the same one ("ACH CR TELANGANA
/// GOVT RYTHU BANDHU"): the words after the government's that hold a scheme word.
fn scheme_behind_government(note: &str, parsed: &Narration) -> Option<String> {
    let payer = narration::normalize(parsed.counterparty.as_deref()?);
    if !payer
        .split_whitespace()
        .any(|word| government_words().contains(&word))
    {
        return None;
    }
    let words_of = |text: &str| -> Vec<String> {
        narration::normalize(text)
            .split_whitespace()
            .filter(|word| !narration::names_nobody(word))
            .map(str::to_string)
            .collect()
    };
    let holds_scheme = |words: &[String]| {
        words
            .iter()
            .any(|word| scheme_words().contains(&word.as_str()))
    };
    let fields: Vec<&str> = note.split(['/', ':', '*']).collect();
    let government = fields.iter().position(|field| {
        narration::normalize(field)
            .split_whitespace()
            .any(|word| government_words().contains(&word))
    })?;
    // The government's own field, from its government word on.
    let own: Vec<String> = words_of(fields[government])
        .into_iter()
        .skip_while(|word| !government_words().contains(&word.as_str()))
        .skip(1)
        .collect();
    if own.first().map(String::as_str) != Some("OF") && holds_scheme(&own) {
        return Some(own.join(" "));
    }
    fields[government + 1..]
        .iter()
        .map(|field| words_of(field))
        .find(|words| holds_scheme(words))
        .map(|words| words.join(" "))
}

/// The payee's handle, normalised, where it spells the printed name and goes on past it: the name
/// was cut by its field and the handle keeps the rest ("KRISHNA" / krishnamedicals@sbi).
fn handle_beyond_name(parsed: &Narration, counterparty: &str) -> Option<String> {
    let user = narration::normalize(parsed.upi_handle.as_deref()?.split('@').next()?);
    let name = squash(counterparty);
    let letters = squash(&user);
    (name.len() >= MIN_GLUED_NAME && letters.len() > name.len() && letters.starts_with(&name))
        .then_some(user)
}

/// The word of a normalised name that is a shop's name run together with `squashed_key`
/// (the trade word without its spaces): the whole word when the key has several words
/// ("FUELLINGSTATION"), else a word ending with the key after [`MIN_GLUED_NAME`] letters
/// ("YASHODAHOSPITAL"). Words with digits (a handle's number) are no names.
fn glued_word_at<'a>(normalized: &'a str, squashed_key: &str, multi_word: bool) -> Option<&'a str> {
    normalized.split_whitespace().find(|word| {
        word.bytes().all(|byte| byte.is_ascii_alphabetic())
            && ((multi_word && *word == squashed_key)
                || (word.len() >= squashed_key.len() + MIN_GLUED_NAME
                    && word.ends_with(squashed_key)))
    })
}

/// The payee's name with the trade word parted from it ("YASHODAHOSPITAL 42512345 HDFCBAN" ->
/// "YASHODA HOSPITAL", "SAMAHITA FUELLINGSTATION" -> "SAMAHITA FUELLING STATION"): the name's
/// words up to the glued one, without words that carry digits.
fn glued_trade_name(name: &str, key: &str) -> Option<String> {
    let normalized = narration::normalize(name);
    let squashed_key = squash(key).to_ascii_uppercase();
    let glued = glued_word_at(&normalized, &squashed_key, key.contains(' '))?;
    let mut words: Vec<&str> = normalized
        .split_whitespace()
        .take_while(|word| !std::ptr::eq(*word, glued))
        .filter(|word| word.bytes().all(|byte| byte.is_ascii_alphabetic()))
        .collect();
    let shop = &glued[..glued.len() - squashed_key.len()];
    if !shop.is_empty() {
        words.push(shop);
    }
    let mut display = words.join(" ");
    if !display.is_empty() {
        display.push(' ');
    }
    display.push_str(key);
    Some(display)
}

impl MerchantIndex {
    fn build(entries: Vec<MerchantEntry>) -> MerchantIndex {
        let mut index = MerchantIndex::default();
        for (position, entry) in entries.iter().enumerate() {
            match entry.kind {
                MerchantKind::Handle => {
                    index
                        .by_handle
                        .entry(entry.key.to_string())
                        .or_insert(position);
                }
                MerchantKind::Name => {
                    index.names.entry(entry.key).or_insert(position);
                    if entry.key.contains(' ') {
                        let mut before: Vec<&'static str> = entry.key.split_whitespace().collect();
                        if let Some(last) = before.pop() {
                            index.cut_brand_phrases.push(CutTradePhrase {
                                last,
                                before,
                                position,
                            });
                        }
                    }
                    let squashed: String = entry
                        .key
                        .chars()
                        .filter(|c| c.is_ascii_alphanumeric())
                        .collect::<String>()
                        .to_ascii_lowercase();
                    // Short brand keys ("OLA", "LIC") would match people's handles.
                    if squashed.len() >= 4 {
                        index.by_handle.entry(squashed).or_insert(position);
                    }
                }
                MerchantKind::Word if entry.reach == Reach::Note => {
                    index.notes.entry(entry.key).or_insert(position);
                }
                MerchantKind::Word if entry.reach == Reach::Weak => {
                    index.weak_words.entry(entry.key).or_insert(position);
                }
                MerchantKind::Word => {
                    index.words.entry(entry.key).or_insert(position);
                    if entry.key.len() >= MIN_SHORT_TRADE_WORD
                        && entry.key.bytes().all(|byte| byte.is_ascii_uppercase())
                    {
                        index
                            .handle_trade_words
                            .entry(entry.key)
                            .or_insert(position);
                        index.longest_handle_trade_word =
                            index.longest_handle_trade_word.max(entry.key.len());
                    }
                    let squashed = squash(entry.key).to_ascii_uppercase();
                    if squashed.len() >= MIN_GLUED_TRADE_WORD
                        && GLUED_TRADE_CATEGORIES.contains(&entry.category)
                    {
                        index.glued_trade_words.push((squashed, position));
                    }
                    if !entry.key.contains(' ')
                        && entry.key.len() > MIN_CUT_TRADE_WORD
                        && GLUED_TRADE_CATEGORIES.contains(&entry.category)
                    {
                        index.cut_trade_words.push((entry.key, position));
                    }
                    if entry.key.contains(' ') {
                        let mut before: Vec<&'static str> = entry.key.split_whitespace().collect();
                        if let Some(last) = before.pop() {
                            index.cut_trade_phrases.push(CutTradePhrase {
                                last,
                                before,
                                position,
                            });
                        }
                    }
                }
            }
            index.longest_phrase = index
                .longest_phrase
                .max(entry.key.split_whitespace().count());
            if matches!(entry.kind, MerchantKind::Name | MerchantKind::Word) {
                let key = entry.key;
                index.prefixes.extend(
                    key.char_indices()
                        .filter(|&(_, c)| c == ' ')
                        .map(|(at, _)| &key[..at]),
                );
            }
        }
        // Longest first: "HOSPITALS" before "HOSPITAL"; a key listed twice keeps its first row.
        index
            .glued_trade_words
            .sort_by(|(a, at), (b, bt)| b.len().cmp(&a.len()).then(at.cmp(bt)));
        index
            .glued_trade_words
            .dedup_by(|later, kept| later.0 == kept.0);
        for (rank, (squashed, position)) in index.glued_trade_words.iter().enumerate() {
            let multi_word = entries
                .get(*position)
                .is_some_and(|entry| entry.key.contains(' '));
            let (_, first_multi_word) = index
                .glued_trade_ranks
                .entry(squashed.clone())
                .or_insert((rank, None));
            if multi_word && first_multi_word.is_none() {
                *first_multi_word = Some(rank);
            }
        }
        index.squashed = SquashedKeys::build(
            entries
                .iter()
                .enumerate()
                .filter(|(_, entry)| entry.kind == MerchantKind::Name)
                .map(|(position, entry)| (entry.key, position, entry.name)),
        );
        index.entries = entries;
        // MCC rows are reachable only through the code, never as phrases.
        let entries = &index.entries;
        index.words.retain(|_, position| {
            entries
                .get(*position)
                .is_some_and(|entry| entry.table != "mcc.tsv")
        });
        index.index_steps();
        index
    }

    /// Builds [`MerchantIndex::steps`] from the final phrase tables and `prefixes`.
    fn index_steps(&mut self) {
        let tables = [&self.names, &self.words, &self.notes, &self.weak_words];
        self.steps = tables.map(|table| {
            let mut steps: PhraseSteps = table
                .iter()
                .map(|(&phrase, &position)| {
                    let step = PhraseStep {
                        position: Some(position),
                        prefix: false,
                    };
                    (phrase, step)
                })
                .collect();
            for &prefix in &self.prefixes {
                steps.entry(prefix).or_default().prefix = true;
            }
            steps
        });
    }

    #[cfg(test)]
    fn table(&self, phrases: Phrases) -> &WordMap<&'static str, usize> {
        match phrases {
            Phrases::Names => &self.names,
            Phrases::Words => &self.words,
            Phrases::Notes => &self.notes,
            Phrases::WeakWords => &self.weak_words,
        }
    }

    /// The merchant by the payee's handle, then a brand in the counterparty or the
    /// narration, then a trade word in the counterparty, then the MCC.
    fn find(&self, parsed: &Narration, match_text: &str) -> Option<(&MerchantEntry, &'static str)> {
        let by_handle = parsed
            .upi_handle
            .as_deref()
            .and_then(|handle| self.find_by_handle(handle))
            .map(|entry| (entry, "handle"));
        let counterparty = parsed.counterparty.as_deref().map(narration::normalize);
        let in_counterparty = |phrases| {
            let text = counterparty.as_deref()?;
            self.longest_phrase_in(text, phrases)
                .map(|entry| (entry, "counterparty"))
        };
        let in_narration = |phrases| {
            self.longest_phrase_in(match_text, phrases)
                .map(|entry| (entry, "narration"))
        };
        let by_mcc = || {
            let position = *self.by_mcc.get(&parsed.mcc?)?;
            self.entries.get(position).map(|entry| (entry, "mcc"))
        };
        // A brand of several words cut inside its last word ("SWIGGY INSTAMA") says more than the
        // shorter brand its whole words spell and it starts with ("SWIGGY"). Only then: a cut name
        // no whole brand begins ("KERALA STATE ELECTRI") keeps its printed words.
        let whole_name = in_counterparty(Phrases::Names);
        let cut_brand = || {
            let (whole, _) = whole_name?;
            self.cut_brand_phrase(counterparty.as_deref()?)
                .filter(|cut| cut.key.len() > whole.key.len() && cut.key.starts_with(whole.key))
                .map(|entry| (entry, CUT_BRAND))
        };
        by_handle
            .or_else(cut_brand)
            .or(whole_name)
            .or_else(|| in_narration(Phrases::Names))
            // The merchant category code the card network printed says what the shop sells
            // better than a trade word in its name ("HOTEL SAGAR INN" under "HOTELS MOTELS
            // RESORTS" is lodging, not a restaurant).
            .or_else(by_mcc)
            // A trade word counts only in the payee's name: "groceries" typed as a UPI
            // note to a person does not make the person a grocer.
            .or_else(|| in_counterparty(Phrases::Words))
            // Batch AH: or in the field the name was read from, beside a word the name leaves out
            // ("JAI AMBE HP AUTO", whose "AUTO" is filler in a name).
            .or_else(|| {
                let field = parsed.counterparty_field.as_deref()?;
                self.longest_phrase_in(field, Phrases::Words)
                    .map(|entry| (entry, "counterparty field"))
            })
            // Or run together with the shop's name, in the name or the handle that stands for it
            // ("SAMAHITA FUELLINGSTATION", "yashodahospital.<n>@hdfcbank").
            .or_else(|| {
                self.glued_trade_word(counterparty.as_deref()?)
                    .map(|entry| (entry, GLUED_TRADE_WORD))
            })
            // Or cut inside its last word at the field's width ("SURAKSHAA HEALTHCA").
            .or_else(|| {
                let name = counterparty.as_deref()?;
                self.cut_trade_word(name)
                    .or_else(|| self.cut_trade_phrase(name))
                    .map(|entry| (entry, CUT_TRADE_WORD))
            })
            // Or run into the payee's handle where the printed name is cut short of it ("KRISHNA"
            // paid at krishnamedicals@sbi: SBI prints eight letters of the payee).
            .or_else(|| {
                self.glued_trade_word(&handle_beyond_name(parsed, counterparty.as_deref()?)?)
                    .map(|entry| (entry, GLUED_IN_HANDLE))
            })
            // Or in the handle alone: completing a name the field cut inside the trade word ("GUPTA
            // DH" / guptadhaba@pnb), ending the handle after the shop's name ("maheshpatelgrocery"),
            // or opening a handle only merchants hold ("cafeirani.56@okbizaxis").
            .or_else(|| {
                self.handle_trade_word(parsed, counterparty.as_deref())
                    .map(|entry| (entry, TRADE_WORD_IN_HANDLE))
            })
            .or_else(|| self.trade_in_note(parsed, match_text, counterparty.as_deref()))
    }

    /// Batch AJ: what the payer's note says was bought ("Vegetables", "Tablets", "Haircut"; kind
    /// "note"), on a UPI debit that marks its payee a merchant and prints the payee's name: "P2M",
    /// a shop's QR code handle ("paytmqr...", "q<digits>@ybl", "bharatpe...") or a domain only
    /// merchants hold ("UPI/DR/<ref>/RAMESH/YESB/q330012001@ybl/Vegetables"): the shop sells what the
    /// note names, though its name reads as a person's. A person's account ("P2A", a handle that
    /// spells a name) is paid back for a shared bill: the note says nothing of the payee there.
    fn note_on_merchant_row(
        &self,
        parsed: &Narration,
        match_text: &str,
    ) -> Option<(&MerchantEntry, &'static str)> {
        if parsed.mode != Mode::Upi || parsed.counterparty.is_none() || self.notes.is_empty() {
            return None;
        }
        let marked_p2m = parsed.normalized.contains(" P2M ");
        let merchant_handle = parsed.upi_handle.as_deref().is_some_and(|handle| {
            let (user, domain) = handle.split_once('@').unwrap_or((handle, ""));
            narration::is_merchant_code_handle(user)
                || business_handle_domains()
                    .iter()
                    .any(|known| domain.eq_ignore_ascii_case(known))
        });
        if !(marked_p2m || merchant_handle) || parsed.normalized.contains(" P2A ") {
            return None;
        }
        self.longest_phrase_in(match_text, Phrases::Notes)
            .map(|entry| (entry, NOTE_ON_MERCHANT_ROW))
    }

    /// Batch AH: a payee whose name holds a word too common to say the trade alone ("HP" also ends
    /// people's initials) sells that trade where the payer's note names the same trade ("SAI BALAJI
    /// HP" paid with the note "Fuel"). A note alone says nothing of who was paid: earlier batches
    /// and the held-out fixtures label "UPI/P2M/<ref>/<person>/dinner", "q112299884@ybl/Tea" and
    /// "P2A/.../Milk" by the payee, not the note.
    fn trade_in_note(
        &self,
        parsed: &Narration,
        match_text: &str,
        counterparty: Option<&str>,
    ) -> Option<(&MerchantEntry, &'static str)> {
        if self.notes.is_empty() {
            return None;
        }
        let note = self.longest_phrase_in(match_text, Phrases::Notes)?;
        let weak = counterparty
            .and_then(|name| self.longest_phrase_in(name, Phrases::WeakWords))
            .or_else(|| {
                self.longest_phrase_in(parsed.counterparty_field.as_deref()?, Phrases::WeakWords)
            })?;
        (weak.category == note.category).then_some((weak, WEAK_WORD_AND_NOTE))
    }

    /// The brand of several words whose last word the payee's name ends with cut inside, its other
    /// words printed whole before it ("SWIGGY INSTAMA"): every brand so headed must be one merchant.
    fn cut_brand_phrase(&self, counterparty: &str) -> Option<&MerchantEntry> {
        let words: Vec<&str> = counterparty.split_whitespace().collect();
        let (last, before) = words.split_last()?;
        if last.len() < MIN_CUT_BRAND_HEAD || !last.bytes().all(|byte| byte.is_ascii_alphabetic()) {
            return None;
        }
        let mut heads = self
            .cut_brand_phrases
            .iter()
            .filter(|phrase| {
                phrase.last.len() > last.len()
                    && phrase.last.starts_with(last)
                    && !phrase.before.is_empty()
                    && before.ends_with(&phrase.before)
            })
            .filter_map(|phrase| self.entries.get(phrase.position));
        let first = heads.next()?;
        heads.all(|entry| entry.name == first.name).then_some(first)
    }

    /// A shop trade word in the payee's UPI handle (its first token, letters only), where the
    /// printed name does not say the trade: the word the handle completes after a printed name cut
    /// inside it ([`MIN_SHORT_TRADE_WORD`] letters), a trade word of [`MIN_HANDLE_TRADE_WORD`]
    /// letters ending the handle after the shop's name, or, on a domain only merchants hold, a trade
    /// word opening or ending the handle. The longest such word wins.
    fn handle_trade_word(
        &self,
        parsed: &Narration,
        counterparty: Option<&str>,
    ) -> Option<&MerchantEntry> {
        let handle = parsed.upi_handle.as_deref()?;
        let (user, domain) = handle.split_once('@')?;
        let business = business_handle_domains()
            .iter()
            .any(|known| domain.eq_ignore_ascii_case(known));
        let token: String = user
            .split(['.', '-', '_'])
            .next()?
            .chars()
            .filter(char::is_ascii_alphabetic)
            .collect::<String>()
            .to_ascii_uppercase();
        // Where the printed name stops inside the handle, when the handle spells it and goes on.
        let printed = counterparty
            .map(squash)
            .map(|name| name.to_ascii_uppercase())
            .filter(|name| name.len() >= MIN_GLUED_NAME && token.starts_with(name.as_str()))
            .map(|name| name.len());
        // A shop's trade only: an insurer's, fund's or utility's words end other words.
        // The printed name's words: a trade word ending a handle counts only when the handle's
        // name part spells one of them ("MAHESH BHAI PATEL" / maheshpatelgrocery), so a person
        // printed by name and paid at someone else's shop handle stays a person.
        let printed_words: Vec<String> = counterparty
            .map(narration::normalize)
            .map(|name| {
                name.split_whitespace()
                    .filter(|word| word.len() >= MIN_GLUED_NAME)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        let spells_printed = |name_part: &str| {
            printed_words
                .iter()
                .any(|word| name_part.contains(word.as_str()))
        };
        let lookup = |word: &str| {
            self.handle_trade_words
                .get(word)
                .copied()
                .filter(|&position| {
                    self.entries.get(position).is_some_and(|entry| {
                        entry.merchant_category.is_empty()
                            || GLUED_TRADE_CATEGORIES.contains(&entry.category)
                    })
                })
        };
        // (letters, entry position) of every trade word found; the longest wins, then the first.
        let mut found: Vec<(usize, usize)> = Vec::new();
        let longest = self.longest_handle_trade_word.min(token.len());
        for length in MIN_SHORT_TRADE_WORD..=longest {
            // Ending the handle after the shop's name.
            let start = token.len() - length;
            let straddles = printed.is_some_and(|end| start < end && end < token.len());
            let named = length >= MIN_HANDLE_TRADE_WORD && spells_printed(&token[..start]);
            if start >= MIN_GLUED_NAME && (straddles || named || business) {
                found.extend(lookup(&token[start..]).map(|position| (length, position)));
            }
            // Opening a merchant's handle before the shop's name.
            if business && token.len() >= length + MIN_NAME_AFTER_TRADE_WORD {
                found.extend(lookup(&token[..length]).map(|position| (length, position)));
            }
        }
        found
            .into_iter()
            .max_by_key(|&(length, position)| (length, std::cmp::Reverse(position)))
            .and_then(|(_, position)| self.entries.get(position))
    }

    /// The trade phrase of several words the payee's name ends with, its last word cut inside at the
    /// field's width ("MAA TARINI FILLING STAT", "AGARWALS EYE HOSP"): the phrase's other words are
    /// printed whole before the cut, so a short head says the trade where alone it would not
    /// ("STAT"). Every phrase so headed must say the same category.
    fn cut_trade_phrase(&self, counterparty: &str) -> Option<&MerchantEntry> {
        let words: Vec<&str> = counterparty.split_whitespace().collect();
        let (last, before) = words.split_last()?;
        if last.len() < MIN_CUT_PHRASE_HEAD || !last.bytes().all(|byte| byte.is_ascii_alphabetic())
        {
            return None;
        }
        let mut heads = self
            .cut_trade_phrases
            .iter()
            .filter(|phrase| {
                phrase.last.len() > last.len()
                    && phrase.last.starts_with(last)
                    && before.ends_with(&phrase.before)
            })
            .filter_map(|phrase| self.entries.get(phrase.position));
        let first = heads.next()?;
        heads
            .all(|entry| entry.category == first.category)
            .then_some(first)
    }

    /// The shop trade word the payee's last word is the head of, when that word is at least
    /// [`MIN_CUT_TRADE_WORD`] letters and every trade word it heads says the same category
    /// ("HEALTHCA" of "HEALTHCARE"); a name of one word is no shop's name cut short.
    fn cut_trade_word(&self, counterparty: &str) -> Option<&MerchantEntry> {
        let mut words = counterparty.split_whitespace();
        let last = words.next_back()?;
        if words.next().is_none()
            || last.len() < MIN_CUT_TRADE_WORD
            || !last.bytes().all(|byte| byte.is_ascii_alphabetic())
        {
            return None;
        }
        let mut heads = self
            .cut_trade_words
            .iter()
            .filter(|(key, _)| key.len() > last.len() && key.starts_with(last))
            .filter_map(|(_, position)| self.entries.get(*position));
        let first = heads.next()?;
        heads
            .all(|entry| entry.category == first.category)
            .then_some(first)
    }

    /// The longest shop trade word a word of the payee's name ends with, run together with the
    /// shop's name (see [`glued_word_at`]).
    ///
    /// The first trade word in `glued_trade_words` order that [`glued_word_at`] finds in some
    /// word: found by looking up each letters-only word's endings that leave the shop's name
    /// [`MIN_GLUED_NAME`] letters or more (and the whole word, for keys of several words) and
    /// keeping the best rank, instead of trying every trade word against every word (122 M
    /// instructions on a 1,936-row statement).
    fn glued_trade_word(&self, counterparty: &str) -> Option<&MerchantEntry> {
        let mut best: Option<usize> = None;
        for word in counterparty
            .split_whitespace()
            .filter(|word| word.bytes().all(|byte| byte.is_ascii_alphabetic()))
        {
            // Letters only: every byte offset is a character boundary.
            let whole = std::iter::once(0);
            let glued = MIN_GLUED_NAME..=word.len().saturating_sub(MIN_GLUED_TRADE_WORD);
            for start in whole.chain(glued) {
                let rank = match self.glued_trade_ranks.get(&word[start..]) {
                    Some(&(first, _)) if start > 0 => Some(first),
                    Some(&(_, first_multi_word)) => first_multi_word,
                    None => None,
                };
                if let Some(rank) = rank.filter(|&rank| best.is_none_or(|kept| rank < kept)) {
                    best = Some(rank);
                }
            }
        }
        let (_, position) = self.glued_trade_words.get(best?)?;
        self.entries.get(*position)
    }

    /// The whole handle prefix, one of its tokens ("swiggy" of "swiggy.upi"), or a brand
    /// the prefix starts with when the brand is long enough not to be a person's name.
    fn find_by_handle(&self, handle: &str) -> Option<&MerchantEntry> {
        let user = handle.split('@').next().unwrap_or("");
        let lookup = |key: &str| {
            self.by_handle
                .get(key)
                .and_then(|&position| self.entries.get(position))
        };
        if let Some(entry) = lookup(user) {
            return Some(entry);
        }
        let tokens: Vec<String> = user
            .split(['.', '-', '_'])
            .map(|token| token.trim_matches(|c: char| c.is_ascii_digit()).to_string())
            .filter(|token| token.len() >= 3)
            .collect();
        // Of several tokens that are keys, the longest is the most specific ("swiggy.instamart"
        // is Instamart, not Swiggy); at equal length the first.
        let by_token = tokens
            .iter()
            .filter_map(|token| lookup(token).map(|entry| (token.len(), entry)))
            .fold(
                None,
                |best: Option<(usize, &MerchantEntry)>, found| match best {
                    Some(kept) if kept.0 >= found.0 => Some(kept),
                    _ => Some(found),
                },
            );
        if let Some((_, entry)) = by_token {
            return Some(entry);
        }
        // The longest brand spelt anywhere in the handle ("swiggyinstamart" is Instamart,
        // not Swiggy); at equal length the one nearer the start.
        let letters: String = user.chars().filter(char::is_ascii_alphabetic).collect();
        (6..letters.len())
            .rev()
            .flat_map(|length| (0..=letters.len() - length).map(move |at| (at, length)))
            .filter_map(|(at, length)| letters.get(at..at + length))
            .filter_map(lookup)
            .find(|entry| entry.kind == MerchantKind::Name)
    }

    /// The longest dictionary phrase present as whole words in a normalised text.
    fn longest_phrase_in(&self, normalized: &str, phrases: Phrases) -> Option<&MerchantEntry> {
        let steps = &self.steps[phrases as usize];
        // A normalised text has single spaces between words, so every n-gram is a slice of
        // it: no phrase is built.
        let mut spans: Vec<(usize, usize)> = Vec::new();
        let mut word_start = None;
        for (at, byte) in normalized.bytes().enumerate() {
            match (byte == b' ', word_start) {
                (false, None) => word_start = Some(at),
                (true, Some(start)) => {
                    spans.push((start, at));
                    word_start = None;
                }
                _ => {}
            }
        }
        if let Some(start) = word_start {
            spans.push((start, normalized.len()));
        }
        let mut best: Option<usize> = None;
        for first in 0..spans.len() {
            for &(_, end) in spans.iter().skip(first).take(self.longest_phrase) {
                let phrase = &normalized[spans[first].0..end];
                // Neither a phrase nor the start of one: nothing longer from here is either.
                let Some(step) = steps.get(phrase) else {
                    break;
                };
                if let Some(position) = step.position {
                    let longer = best.is_none_or(|current| {
                        self.entries[position].key.len() > self.entries[current].key.len()
                    });
                    if longer {
                        best = Some(position);
                    }
                }
                if !step.prefix {
                    break;
                }
            }
        }
        best.and_then(|position| self.entries.get(position))
    }
}

/// How a dictionary name was found in a field a narrow PDF cell printed. The statement engine
/// joins a wrapped cell's lines with a space unless a line fills the cell, so a name arrives with a
/// space inside ("SWI GGY", "AMA ZON PAY INDIA"), its words run together where a break fell between
/// words ("ZOMATOLTD", "BUNDLTECHNOLOGIESPVTLTD"), or cut at the cell's end ("MAKEMYTR").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rejoin {
    /// One or two spaces inside the name removed.
    Joined,
    /// The name's words printed run together, alone or with its legal words ("ZOMATOLTD").
    Glued,
    /// The field ends inside the name.
    Cut,
    /// A mandate's creditor printed after the aggregator that collects for it, its name (cut or
    /// whole) glued to the mandate's reference ("ACH-DR-CTRAZORPAY-EARLYSALARM9tk...-UTIB70").
    Behind,
}

impl Rejoin {
    fn label(self) -> &'static str {
        match self {
            Rejoin::Joined => "rejoined",
            Rejoin::Glued => "glued",
            Rejoin::Cut => "cut",
            Rejoin::Behind => "behind its aggregator",
        }
    }

    fn merchant_label(self) -> &'static str {
        match self {
            Rejoin::Joined => "counterparty rejoined",
            Rejoin::Glued => "counterparty glued",
            Rejoin::Cut => "counterparty cut",
            Rejoin::Behind => "creditor behind its aggregator",
        }
    }
}

/// A brand or lender found by [`SquashedKeys::find`].
#[derive(Debug, Clone, Copy)]
enum RejoinedName<'a> {
    Merchant(&'a MerchantEntry, Rejoin),
    Lender(&'a LenderEntry, Rejoin),
}

impl RejoinedName<'_> {
    fn is_cut(&self) -> bool {
        matches!(
            self,
            RejoinedName::Merchant(_, Rejoin::Cut) | RejoinedName::Lender(_, Rejoin::Cut)
        )
    }
}

/// Spaces a wrapped name may have gained: a narration cell of 2-4 lines breaks a name at most
/// once or twice.
const MAX_REJOINED_BREAKS: usize = 2;
/// The shortest key (in letters) found by removing a space or cutting a glued tail: "OLA" or
/// "LIC" would be spelt by many a pair of fragments.
const MIN_REJOINED_KEY: usize = 5;
/// The fewest letters a field cut at the cell's end must keep of a key to be read as that key,
/// and then only when every key starting so names one merchant or lender.
const MIN_CUT_PREFIX: usize = 6;
/// The longest window of squashed letters tried; longer fields are left to the printed words.
const MAX_SQUASHED_LETTERS: usize = 64;
/// The most words of a field looked at.
const MAX_FIELD_WORDS: usize = 24;

/// Words a firm's printed name carries beside its brand ("PVT LTD", "INDIA", "SERVICES",
/// "INSURANCE"). A rejoined, glued or cut name counts only when the rest of its field is these or
/// words that name nobody: "HOME TOWN KIRANA" is a grocer, not the HomeTown store, and "DHA NI RAM"
/// a person, not the lender Dhani.
fn legal_name_words() -> &'static [&'static str] {
    word_list("legal_name")
}

/// A legal word, or (the field's last word, cut by the cell) the start of one ("SERVI", "LIMI").
fn is_legal_word(word: &str, last: bool) -> bool {
    legal_name_words().contains(&word)
        || (last
            && word.len() >= 3
            && legal_name_words()
                .iter()
                .any(|legal| legal.len() > word.len() && legal.starts_with(word)))
}

/// Words a lender's legal name carries after its brand, which a sponsor bank's squashed creditor
/// field glues to it ("PIRAMALCAPITAL", "SMFGINDIACREDIT", "PNBHOUSINGFIN"): after a lender's key,
/// letters made of these and legal words still name that lender.
fn lender_form_words() -> &'static [&'static str] {
    word_list("lender_form")
}

/// Letters made of legal words (see [`is_legal_tail`]) and `extra` words run together, the last
/// one possibly cut.
fn is_tail(letters: &[u8], extra: &[&str]) -> bool {
    if extra.is_empty() {
        return is_legal_tail(letters);
    }
    if letters.is_empty() {
        return false;
    }
    is_legal_tail(letters)
        || legal_name_words().iter().chain(extra).any(|word| {
            let word = word.as_bytes();
            if letters.starts_with(word) {
                let rest = &letters[word.len()..];
                rest.is_empty() || is_tail(rest, extra)
            } else {
                letters.len() >= 2 && word.len() > letters.len() && word.starts_with(letters)
            }
        })
}

/// Letters that are legal words run together ("PVTLTD", "SERVICES"), the last possibly cut
/// ("LIMI"); empty letters are no tail.
fn is_legal_tail(letters: &[u8]) -> bool {
    if letters.is_empty() {
        return false;
    }
    legal_name_words().iter().any(|legal| {
        let legal = legal.as_bytes();
        if letters.starts_with(legal) {
            let rest = &letters[legal.len()..];
            rest.is_empty() || is_legal_tail(rest)
        } else {
            letters.len() >= 2 && legal.len() > letters.len() && legal.starts_with(letters)
        }
    })
}

/// The letters and digits of a key or phrase, spaces and punctuation removed, upper case.
fn squash(text: &str) -> String {
    text.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

fn squashed_length(text: &str) -> usize {
    text.bytes().filter(u8::is_ascii_alphanumeric).count()
}

/// True when `outer` spelt without spaces holds `inner` spelt without spaces.
fn squashed_contains(outer: &str, inner: &str) -> bool {
    squash(outer).contains(&squash(inner))
}

/// One dictionary key without its spaces.
#[derive(Debug, Clone)]
struct SquashedKey {
    letters: String,
    /// Words of the key as the dictionary writes it.
    words: usize,
    /// Bit n set when a word of the key ends after n + 1 letters (the first 64 letters): a field
    /// ending there holds the key's first words whole, which is no cut ("FLIPKART" is Flipkart,
    /// not the start of "FLIPKART PAY LATER").
    word_ends: u64,
    /// The entry's position in its table.
    target: usize,
    /// The merchant or lender it names: a cut key must be the only one named by its start.
    name: &'static str,
}

/// A name found by [`SquashedKeys::find`].
#[derive(Debug, Clone, Copy)]
struct SquashedFind<'a> {
    key: &'a str,
    letters: usize,
    target: usize,
    how: Rejoin,
}

/// Dictionary keys without their spaces, sorted, so a field's words can be tried run together
/// and a cut field's end found as the start of a key (one binary search per window). Built once
/// with the dictionaries; a lookup allocates nothing.
#[derive(Debug, Clone, Default)]
struct SquashedKeys {
    /// Sorted by letters, then most words first (the fewest breaks to explain).
    keys: Vec<SquashedKey>,
    /// The most words of any key.
    longest_key_words: usize,
    /// One bit per three-character start of a key (digits and capitals): most runs of a field's
    /// words start no key, and one bit says so before any search.
    starts: Vec<u64>,
    /// Words besides the legal ones that may follow a key glued to it (see
    /// the lender-form word list).
    tail_words: &'static [&'static str],
}

/// The bit of a three-character start in [`SquashedKeys::starts`], for digits and capitals.
fn trigram_bit(letters: &[u8]) -> Option<usize> {
    let code = |byte: u8| match byte {
        b'0'..=b'9' => Some(usize::from(byte - b'0')),
        b'A'..=b'Z' => Some(usize::from(byte - b'A') + 10),
        _ => None,
    };
    match letters {
        [a, b, c, ..] => Some((code(*a)? * 36 + code(*b)?) * 36 + code(*c)?),
        _ => None,
    }
}

impl SquashedKeys {
    fn build<'k>(items: impl Iterator<Item = (&'k str, usize, &'static str)>) -> SquashedKeys {
        let mut keys: Vec<SquashedKey> = items
            .map(|(key, target, name)| SquashedKey {
                letters: squash(key),
                words: key.split_whitespace().count(),
                word_ends: key
                    .split_whitespace()
                    .scan(0, |letters, word| {
                        *letters += squashed_length(word);
                        Some(*letters)
                    })
                    .filter(|&letters| (1..=64).contains(&letters))
                    .fold(0u64, |ends, letters| ends | (1u64 << (letters - 1))),
                target,
                name,
            })
            .filter(|key| key.letters.len() >= MIN_REJOINED_KEY)
            .collect();
        keys.sort_by(|a, b| {
            a.letters
                .cmp(&b.letters)
                .then(b.words.cmp(&a.words))
                .then(a.target.cmp(&b.target))
        });
        let longest_key_words = keys.iter().map(|key| key.words).max().unwrap_or(0);
        let mut starts = vec![0u64; (36 * 36 * 36usize).div_ceil(64)];
        for bit in keys
            .iter()
            .filter_map(|key| trigram_bit(key.letters.as_bytes()))
        {
            starts[bit / 64] |= 1 << (bit % 64);
        }
        SquashedKeys {
            keys,
            longest_key_words,
            starts,
            tail_words: &[],
        }
    }

    /// The same keys, also found glued to the words in `tail_words`.
    fn with_tail_words(self, tail_words: &'static [&'static str]) -> SquashedKeys {
        SquashedKeys { tail_words, ..self }
    }

    /// The keys whose letters start with `letters`.
    fn starting_with(&self, letters: &[u8]) -> &[SquashedKey] {
        // Sorted keys: those below `letters`, then those starting with it, then the rest.
        let from = self
            .keys
            .partition_point(|key| key.letters.as_bytes() < letters);
        let to = self.keys.partition_point(|key| {
            key.letters.as_bytes() < letters || key.letters.as_bytes().starts_with(letters)
        });
        &self.keys[from..to]
    }

    /// The entry named by the longest start of `letters` that is a whole key, or a start of six
    /// or more letters that only one name's keys begin with (a name cut, then a reference glued).
    fn prefix_of(&self, letters: &[u8]) -> Option<usize> {
        if letters.len() < MIN_CUT_PREFIX {
            return None;
        }
        (MIN_CUT_PREFIX..=letters.len().min(MAX_SQUASHED_LETTERS))
            .rev()
            .find_map(|end| {
                let start = &letters[..end];
                if let Some(key) = self.exact(start) {
                    return Some(key.target);
                }
                let keys = self.starting_with(start);
                let first = keys.first()?;
                keys.iter()
                    .all(|key| key.name == first.name)
                    .then_some(first.target)
            })
    }

    /// The key whose letters are exactly `letters` (the one with the most words).
    fn exact(&self, letters: &[u8]) -> Option<&SquashedKey> {
        self.starting_with(letters)
            .first()
            .filter(|key| key.letters.as_bytes() == letters)
    }

    /// The longest key a normalised field names once its wrap is undone: a run of the field's
    /// words that spells a key with one or two spaces too many (joined), with its words run
    /// together or followed by legal words in one word (glued), or that the field's end cuts
    /// (cut). The field's other words must be legal words or name nobody. A key printed as its
    /// own words is left to the printed lookups.
    fn find<'s>(&'s self, field: &str) -> Option<SquashedFind<'s>> {
        if self.keys.is_empty() {
            return None;
        }
        let mut spans = [(0usize, 0usize); MAX_FIELD_WORDS];
        let mut count = 0;
        let mut start = None;
        for (at, byte) in field
            .bytes()
            .enumerate()
            .chain(std::iter::once((field.len(), b' ')))
        {
            match (byte == b' ', start) {
                (false, None) => start = Some(at),
                (true, Some(from)) => {
                    if count == MAX_FIELD_WORDS {
                        return None;
                    }
                    spans[count] = (from, at);
                    count += 1;
                    start = None;
                }
                _ => {}
            }
        }
        let words = &spans[..count];
        let longest_window = self.longest_key_words + MAX_REJOINED_BREAKS;
        let mut best: Option<(SquashedFind<'s>, usize, usize)> = None;
        let mut buffer = [0u8; MAX_SQUASHED_LETTERS];
        for first in 0..words.len() {
            let mut length = 0;
            // Where the window's words end, in letters, as [`SquashedKey::word_ends`] marks them.
            let mut window_ends = 0u64;
            for last in first..words.len().min(first + longest_window) {
                let word = &field.as_bytes()[words[last].0..words[last].1];
                if length + word.len() > MAX_SQUASHED_LETTERS {
                    break;
                }
                let before_word = length;
                buffer[length..length + word.len()].copy_from_slice(word);
                length += word.len();
                if length <= 64 {
                    window_ends |= 1u64 << (length - 1);
                }
                // Keys have five letters or more: a shorter run only grows, and a run whose
                // first three characters start no key never will.
                if length < 3 {
                    continue;
                }
                let starts_a_key = trigram_bit(&buffer[..3]).is_some_and(|bit| {
                    self.starts
                        .get(bit / 64)
                        .is_some_and(|word| word & (1 << (bit % 64)) != 0)
                });
                if !starts_a_key {
                    break;
                }
                let letters = &buffer[..length];
                let window_words = last - first + 1;
                let starting = self.starting_with(letters);
                let found = if starting.is_empty() {
                    // A key ending inside the window's last word, the rest of that word legal
                    // words run together ("ZOMATOLTD"): the window's letters are grown a letter
                    // at a time while some key still starts with them, the longest key kept.
                    let mut glued = None;
                    // The key needs MIN_REJOINED_KEY letters and the tail two.
                    let first_end = (before_word + 1).max(MIN_REJOINED_KEY);
                    for end in first_end..length.saturating_sub(1) {
                        let keys = self.starting_with(&buffer[..end]);
                        let Some(shortest) = keys.first() else {
                            break;
                        };
                        if end >= MIN_REJOINED_KEY
                            && shortest.letters.len() == end
                            && is_tail(&buffer[end..length], self.tail_words)
                        {
                            glued = Some((shortest, Rejoin::Glued));
                        }
                    }
                    glued
                } else if let Some(key) = self.exact(letters) {
                    let printed_as_key = starting
                        .iter()
                        .take_while(|other| other.letters.len() == length)
                        .any(|other| other.word_ends == window_ends);
                    match window_words.checked_sub(key.words) {
                        // Printed as the key's own words: the printed lookups' business.
                        _ if printed_as_key => None,
                        Some(breaks) if breaks <= MAX_REJOINED_BREAKS => {
                            Some((key, Rejoin::Joined))
                        }
                        Some(_) => None,
                        None => Some((key, Rejoin::Glued)),
                    }
                } else if last + 1 == words.len() && length >= MIN_CUT_PREFIX {
                    let inside_a_word = |key: &SquashedKey| {
                        length > 64 || key.word_ends & (1u64 << (length - 1)) == 0
                    };
                    let shortest = starting.iter().min_by_key(|key| key.letters.len());
                    shortest
                        .filter(|key| starting.iter().all(|other| other.name == key.name))
                        .filter(|_| starting.iter().all(inside_a_word))
                        .filter(|key| window_words <= key.words + MAX_REJOINED_BREAKS)
                        .map(|key| (key, Rejoin::Cut))
                } else {
                    None
                };
                if let Some((key, how)) = found {
                    let longer = best
                        .as_ref()
                        .is_none_or(|(kept, _, _)| key.letters.len() > kept.letters);
                    if longer {
                        best = Some((
                            SquashedFind {
                                key: &key.letters,
                                letters: key.letters.len(),
                                target: key.target,
                                how,
                            },
                            first,
                            last,
                        ));
                    }
                }
                if starting.is_empty() {
                    break;
                }
            }
        }
        let (found, first, last) = best?;
        let rest_names_nobody = words.iter().enumerate().all(|(at, &(from, to))| {
            let word = &field[from..to];
            (first..=last).contains(&at)
                || narration::names_nobody(word)
                || is_legal_word(word, at + 1 == words.len())
        });
        rest_names_nobody.then_some(found)
    }
}

struct FlagSet {
    lender: bool,
    merchant: bool,
    merchant_category: Option<&'static str>,
    penny: bool,
    bank_payee: bool,
    nobody: bool,
    masked_card: bool,
    business: bool,
    self_transfer: bool,
    sister: bool,
    employer: bool,
    known_employer: bool,
    pay_office: bool,
    firm_payer: bool,
    company: bool,
    insufficient: bool,
    upi: bool,
    person: bool,
    brand: bool,
}

impl FlagSet {
    fn get(&self, flag: Flag) -> bool {
        match flag {
            Flag::Lender => self.lender,
            Flag::Merchant => self.merchant,
            Flag::SelfTransfer => self.self_transfer,
            Flag::Sister => self.sister,
            Flag::Employer => self.employer,
            Flag::KnownEmployer => self.known_employer,
            Flag::PayOffice => self.pay_office,
            Flag::FirmPayer => self.firm_payer,
            Flag::Company => self.company,
            Flag::Insufficient => self.insufficient,
            Flag::Upi => self.upi,
            Flag::Penny => self.penny,
            Flag::BankPayee => self.bank_payee,
            Flag::Nobody => self.nobody,
            Flag::MaskedCard => self.masked_card,
            Flag::Business => self.business,
            Flag::Person => self.person,
            Flag::Brand => self.brand,
            Flag::MerchantCategory(wanted) => self.merchant_category == Some(wanted),
        }
    }
}

/// The indices, in table order, of the rules whose side and rails admit each side and mode.
/// Most rules name one side or a few rails, and every row used to be tried against all of
/// them; the first rule that applies is the same either way.
#[derive(Debug, Clone)]
struct RuleCandidates {
    by_slot: Vec<Vec<usize>>,
}

impl RuleCandidates {
    fn build(rules: &[Rule]) -> RuleCandidates {
        let by_slot = [TransactionType::Credit, TransactionType::Debit]
            .into_iter()
            .flat_map(|side| {
                Mode::ALL.iter().map(move |&mode| {
                    (0..rules.len())
                        .filter(|&index| {
                            let rule = &rules[index];
                            rule.side.is_none_or(|wanted| wanted == side)
                                && (rule.modes.is_empty() || rule.modes.contains(&mode))
                        })
                        .collect()
                })
            })
            .collect();
        RuleCandidates { by_slot }
    }

    fn of(&self, side: TransactionType, mode: Mode) -> Option<&[usize]> {
        let side_offset = match side {
            TransactionType::Credit => 0,
            TransactionType::Debit => Mode::ALL.len(),
        };
        let position = Mode::ALL.iter().position(|m| *m == mode)?;
        self.by_slot.get(side_offset + position).map(Vec::as_slice)
    }
}

/// The rules a row's phrases leave possible, worked out once per row from the phrases its
/// scan found: a rule all of whose phrases are indexed needs at least one of them present, so
/// the rules whose phrases are all absent (most of them) are passed over without looking at
/// their alternatives one needle at a time.
#[derive(Debug, Clone, Default)]
struct RuleScreen {
    /// For each indexed pattern, the rules (one bit each) holding it in one of their phrases.
    by_pattern: Vec<Vec<u64>>,
    /// The rules the screen may pass over: phrases required, every alternative holding one,
    /// every phrase indexed. Any other rule is always admitted.
    screened: Vec<bool>,
}

impl RuleScreen {
    fn build(rules: &[Rule], index: &PhraseIndex) -> RuleScreen {
        let words = rules.len().div_ceil(64);
        let mut by_pattern: Vec<Vec<u64>> = Vec::new();
        let mut screened = Vec::with_capacity(rules.len());
        for (position, rule) in rules.iter().enumerate() {
            let needles = || rule.phrases.iter().flatten();
            let patterns: Option<Vec<u32>> = needles().map(|n| n.pattern_in(index)).collect();
            let screens = !rule.phrases.is_empty()
                && rule
                    .phrases
                    .iter()
                    .all(|alternative| !alternative.is_empty())
                && patterns.is_some();
            screened.push(screens);
            for pattern in patterns.into_iter().flatten() {
                let pattern = pattern as usize;
                if by_pattern.len() <= pattern {
                    by_pattern.resize(pattern + 1, Vec::new());
                }
                let bits = &mut by_pattern[pattern];
                bits.resize(words, 0);
                bits[position / 64] |= 1 << (position % 64);
            }
        }
        RuleScreen {
            by_pattern,
            screened,
        }
    }

    /// One bit per rule holding a phrase that `found` found; None when `found` is no scan
    /// by `index` (every rule is then admitted).
    fn possible(&self, found: &Found, index: &PhraseIndex) -> Option<Vec<u64>> {
        if !found.is_scan_of(index) {
            return None;
        }
        let mut possible = vec![0u64; self.screened.len().div_ceil(64)];
        found.for_each_present(|pattern| {
            if let Some(rules) = self.by_pattern.get(pattern as usize) {
                for (word, bits) in possible.iter_mut().zip(rules) {
                    *word |= bits;
                }
            }
        });
        Some(possible)
    }

    /// False when the rule at `position` cannot apply: it needs a phrase and none of its
    /// phrases was found.
    fn admits(&self, position: usize, possible: &Option<Vec<u64>>) -> bool {
        let Some(possible) = possible else {
            return true;
        };
        !self.screened.get(position).copied().unwrap_or(false)
            || possible
                .get(position / 64)
                .is_some_and(|word| word & (1 << (position % 64)) != 0)
    }
}

impl Rule {
    fn applies(
        &self,
        side: TransactionType,
        mode: Mode,
        flags: &FlagSet,
        found: &Found,
        text: &str,
    ) -> bool {
        self.side.is_none_or(|wanted| wanted == side)
            && (self.modes.is_empty() || self.modes.contains(&mode))
            && self
                .requires
                .iter()
                .all(|(flag, wanted)| flags.get(*flag) == *wanted)
            && any_alternative_found(&self.phrases, found, text)
    }
}

/// A brand whose name holds the lender's phrase and is no lender ("CHOLA MS" the insurer
/// over "CHOLA" the lender, "NAVI MUTUAL FUND" over "NAVI"): the longer name says what the
/// payee is, as it does between two brands.
fn brand_outnames_lender(merchant: Option<&MerchantEntry>, lender: &LenderEntry) -> bool {
    merchant.is_some_and(|entry| {
        entry.kind == MerchantKind::Name
            && !matches!(entry.merchant_category, "bnpl" | "loans")
            && entry.key.len() + 2 > lender.needle.text.len()
            && format!(" {} ", entry.key).contains(lender.needle.text.as_str())
    })
}

/// Whether the payee's printed name begins with a dictionary key's words.
fn opens_the_payee(parsed: &Narration, key: &str) -> bool {
    parsed.counterparty.as_deref().is_some_and(|name| {
        format!("{} ", narration::normalize(name).trim_start()).starts_with(&format!("{key} "))
    })
}

/// Batch AF: a shop's trade word printed right after a lender's name in the payee's name makes the
/// payee a shop named so ("MANAPPURAM JEWELLERS"), not the lender: no lender is named for a trade.
fn shop_named_after_lender(
    merchant: Option<&MerchantEntry>,
    lender: &LenderEntry,
    parsed: &Narration,
) -> bool {
    let (Some(entry), Some(name)) = (merchant, parsed.counterparty.as_deref()) else {
        return false;
    };
    entry.kind == MerchantKind::Word
        && !matches!(entry.merchant_category, "bnpl" | "loans")
        && format!(" {} ", narration::normalize(name))
            .contains(&format!("{}{} ", lender.needle.text, entry.key))
}

/// The lender's name as the narration spells it when the dictionary entry is generic.
/// A lenders.tsv row that names a kind of lender, not one ("FINANCE LTD": a finance company).
fn is_generic_lender(entry: &LenderEntry) -> bool {
    entry.name == "Loan" || entry.name.ends_with("company")
}

fn lender_display(entry: &LenderEntry, parsed: &Narration) -> String {
    if is_generic_lender(entry) {
        parsed
            .counterparty
            .clone()
            .unwrap_or_else(|| entry.name.to_string())
    } else {
        entry.name.to_string()
    }
}

fn fallback(parsed: Narration) -> Categorized {
    Categorized {
        transaction_channel: "Others",
        description: String::new(),
        merchant_category: "",
        category: "Others".to_string(),
        unclean_merchant: parsed.counterparty.clone().unwrap_or_default(),
        rule_id: "none",
        merchant: None,
        lender: None,
        merchant_match: None,
        lender_line: None,
        lender_rejoined: None,
        narration: parsed,
    }
}

/// The normalised narration with the UPI handle's domain ("@jio", "@airtel", which would
/// look like a biller) removed but its prefix's tokens kept ("uhbvn@hdfcbank" -> "UHBVN"):
/// the prefix is often the only clean name of the payee.
/// The words of a dividend's narration that name its payer.
const DIVIDEND_WORDS: &[&str] = &["DIV", "DIVIDEND", "DIVD"];
/// Words of a dividend's kind printed between the company and the dividend word.
const DIVIDEND_KIND_WORDS: &[&str] = &["FINAL", "INTERIM", "SPECIAL"];

/// Batch AH: the company a share registrar pays a dividend for ("ACH C- LINK INTIME INDIA PVT-ITC LTD
/// FINAL DIV", "KFIN TECH-WIPRO INTERIM DIV"): the words after the registrar's name (data/word_lists.tsv,
/// list "registrar") and its legal words, up to the dividend word. A registrar's own payment (a
/// fund's redemption through KFintech) prints no dividend word after it and keeps the registrar.
fn company_paying_through_registrar(normalized: &str) -> Option<String> {
    let words: Vec<&str> = normalized.split_whitespace().collect();
    let after_registrar = word_list("registrar")
        .iter()
        .filter_map(|registrar| {
            let needle: Vec<&str> = registrar.split_whitespace().collect();
            words
                .windows(needle.len())
                .position(|window| window == needle.as_slice())
                .map(|at| at + needle.len())
        })
        .max()?;
    let rest = words.get(after_registrar..)?;
    let dividend_at = rest.iter().position(|word| DIVIDEND_WORDS.contains(word))?;
    let company: Vec<&str> = rest[..dividend_at]
        .iter()
        .copied()
        .skip_while(|word| is_legal_word(word, false))
        .filter(|word| {
            !DIVIDEND_KIND_WORDS.contains(word) && !word.bytes().any(|byte| byte.is_ascii_digit())
        })
        .collect();
    (!company.is_empty()).then(|| company.join(" "))
}

/// Batch AH: the card issuer a card bill's narration names by a word of data/word_lists.tsv (list
/// "card_issuer": "KOTAK", "HDFC"), first in the narration.
fn card_issuer_named(normalized: &str) -> Option<String> {
    normalized
        .split_whitespace()
        .find(|word| word_list("card_issuer").contains(word))
        .map(str::to_string)
}

fn match_text(note: &str, parsed: &Narration) -> String {
    let text = match &parsed.upi_handle {
        Some(handle) => {
            let lowered = note.to_ascii_lowercase();
            let user = handle.split('@').next().unwrap_or("");
            let without = lowered.replacen(handle.as_str(), " ", 1);
            narration::normalize(&format!("{without} {user}"))
        }
        None => parsed.normalized.clone(),
    };
    if text.contains(" VIA ") {
        narration::without_app_names(&text)
    } else {
        text
    }
}

fn transfer_label(side: TransactionType, parsed: &Narration) -> String {
    match (&parsed.counterparty, side) {
        (Some(name), TransactionType::Debit) => format!("Transfer to {name}"),
        (Some(name), TransactionType::Credit) => format!("Transfer from {name}"),
        (None, _) => "Others".to_string(),
    }
}

fn expand(template: &str, transfer: &str, merchant_category: &str) -> String {
    match template {
        "-" => String::new(),
        "{transfer}" => transfer.to_string(),
        "{merchant}" => merchant_category.to_string(),
        literal => literal.to_string(),
    }
}

/// True when a session name (employer, sister company) appears as whole words.
/// Whether `text` holds `word` with a space on each side, as `text.contains(&format!(" {word} "))`
/// says, without building the padded needle: asked for every word of a list on every credit row,
/// the formatting and its allocation were ~33 M instructions of the 114-page bench statement.
/// The word's first byte is compared before the rest: most spaces are followed by another
/// letter, and the slice comparison it spares was most of this function's cost.
/// Kept as the word-by-word answer [`first_held_spaced`] is checked against.
#[cfg(test)]
fn holds_spaced(text: &str, word: &str) -> bool {
    let (text, word) = (text.as_bytes(), word.as_bytes());
    let Some(&first) = word.first() else {
        // " " + "" + " ": two spaces in a row.
        return text.windows(2).any(|pair| pair == b"  ");
    };
    text.iter().enumerate().any(|(at, &byte)| {
        byte == b' '
            && text.get(at + 1) == Some(&first)
            && text[at + 1..].starts_with(word)
            && text.get(at + 1 + word.len()) == Some(&b' ')
    })
}

/// One list of data/word_lists.tsv indexed for [`SpacedWords::first_held`], built once.
fn spaced_word_list(name: &str) -> &'static SpacedWords {
    static LISTS: std::sync::OnceLock<HashMap<&'static str, SpacedWords>> =
        std::sync::OnceLock::new();
    match LISTS
        .get_or_init(|| {
            WORD_LIST_NAMES
                .iter()
                .map(|&list| (list, SpacedWords::new(word_list(list))))
                .collect()
        })
        .get(name)
    {
        Some(words) => words,
        None => panic!("word list {name:?} is not one of data/word_lists.tsv's lists"),
    }
}

/// The first of `words`, in list order, that `text` holds with a space on each side (as
/// `words.iter().find(|word| holds_spaced(text, word))` answers). The text's spaces are found
/// once and each word is tried only where a word starts. Kept as the answer
/// [`SpacedWords::first_held`] is checked against.
#[cfg(test)]
fn first_held_spaced(text: &str, words: &[&'static str]) -> Option<&'static str> {
    let bytes = text.as_bytes();
    let starts: Vec<usize> = bytes
        .iter()
        .enumerate()
        .filter(|&(_, &byte)| byte == b' ')
        .map(|(at, _)| at + 1)
        .collect();
    words.iter().copied().find(|word| {
        let word = word.as_bytes();
        starts.iter().any(|&start| {
            (word.is_empty() || bytes.get(start) == word.first())
                && bytes[start..].starts_with(word)
                && bytes.get(start + word.len()) == Some(&b' ')
        })
    })
}

fn names_any(match_text: &str, names: &[String]) -> bool {
    names.iter().any(|name| {
        let needle = narration::normalize(name);
        needle.trim().len() >= 3 && match_text.contains(&needle)
    })
}

/// The counterparty is the holder when its words are the holder's words (reordered,
/// initials, a truncated last word, two names printed joined), or when the payee's UPI
/// handle spells the holder's name ("rahulsharma90@okicici").
/// The counterparty is the first word or words of a holder's name ("RAHUL" of "RAHUL KUMAR SHARMA"): on a
/// deposit's own row (Kotak "FD MATURITY PROCEEDS :<deposit>/<date>/RAHUL TO") that is the depositor, the
/// holder cut at the field's width. Not used for transfers: another Rahul may be paid.
fn counterparty_heads_holder(parsed: &Narration, context: &EnrichmentContext) -> bool {
    let Some(counterparty) = parsed.counterparty.as_deref() else {
        return false;
    };
    let printed = narration::normalize(counterparty);
    let printed: Vec<&str> = printed.split_whitespace().collect();
    !printed.is_empty()
        && context.names.iter().any(|holder| {
            let holder = narration::normalize(holder);
            let holder: Vec<&str> = holder.split_whitespace().collect();
            holder.len() > printed.len() && holder[..printed.len()] == printed[..]
        })
}

/// Each holder name's normalised words, worked out once per thread for the names of the
/// statement being enriched (asked on every row: re-normalising the names each time was most of
/// [`counterparty_is_holder`]'s cost).
fn with_holder_words<T>(names: &[String], use_words: impl FnOnce(&[Vec<String>]) -> T) -> T {
    thread_local! {
        static HOLDER_WORDS: std::cell::RefCell<(Vec<String>, Vec<Vec<String>>)> =
            const { std::cell::RefCell::new((Vec::new(), Vec::new())) };
    }
    HOLDER_WORDS.with(|cache| {
        let mut cache = cache.borrow_mut();
        if cache.0 != names {
            let words = names
                .iter()
                .map(|holder| {
                    narration::normalize(holder)
                        .split_whitespace()
                        .map(str::to_string)
                        .collect()
                })
                .collect();
            *cache = (names.to_vec(), words);
        }
        use_words(&cache.1)
    })
}

fn counterparty_is_holder(parsed: &Narration, context: &EnrichmentContext) -> bool {
    with_holder_words(&context.names, |holders| {
        counterparty_is_among(parsed, holders)
    })
}

fn counterparty_is_among(parsed: &Narration, holders: &[Vec<String>]) -> bool {
    // The payer's own note ("self", "own") vouches for a name cut shorter than a field width.
    let own_note = [" SELF ", " OWN "]
        .iter()
        .any(|word| parsed.normalized.contains(word));
    if let Some(counterparty) = &parsed.counterparty {
        if !counterparty.contains('@') {
            let counterparty_words: Vec<String> = narration::normalize(counterparty)
                .split_whitespace()
                .map(str::to_string)
                .collect();
            // A name printed as one run of letters ("RAHULKSHARMA") is read like a handle.
            let joined = counterparty_words.len() == 1
                && holders.iter().any(|holder| {
                    handle_spells_holder(&counterparty_words[0], holder)
                        || run_cuts_holder(&counterparty_words[0], holder)
                });
            if joined
                || holders
                    .iter()
                    .any(|holder| words_are_holder(&counterparty_words, holder, own_note))
            {
                return true;
            }
        }
    }
    parsed.upi_handle.as_deref().is_some_and(|handle| {
        holders
            .iter()
            .any(|holder| handle_spells_holder(handle, holder))
    })
}

/// The shortest printed name taken to be cut at a field width (banks cut at 15-35).
const MIN_TRUNCATED_NAME_LENGTH: usize = 14;

/// Company-form words a narration may print or drop ("SHARMA TRADERS" for the holder
/// "M/S SHARMA TRADERS PRIVATE LIMITED").
fn company_forms() -> &'static [&'static str] {
    word_list("company_form")
}

fn words_are_holder(counterparty: &[String], holder: &[String], own_note: bool) -> bool {
    // "M/S" normalises to "M S"; as a firm's prefix it is no part of the name.
    fn strip_messrs(words: &[String]) -> &[String] {
        match words {
            [m, s, rest @ ..] if m == "M" && s == "S" && !rest.is_empty() => rest,
            _ => words,
        }
    }
    let (counterparty, holder) = (strip_messrs(counterparty), strip_messrs(holder));
    // Looked up once, not once per word.
    let forms = company_forms();
    let without_forms = |words: &[String]| -> Vec<String> {
        let kept: Vec<String> = words
            .iter()
            .filter(|word| !forms.contains(&word.as_str()))
            .cloned()
            .collect();
        if kept.is_empty() {
            words.to_vec()
        } else {
            kept
        }
    };
    let is_firm = holder.iter().any(|word| forms.contains(&word.as_str()))
        || counterparty
            .iter()
            .any(|word| forms.contains(&word.as_str()));
    if is_firm {
        let (counterparty, holder) = (without_forms(counterparty), without_forms(holder));
        return words_match_holder(&counterparty, &holder, own_note);
    }
    words_match_holder(counterparty, holder, own_note)
}

fn words_match_holder(counterparty: &[String], holder: &[String], own_note: bool) -> bool {
    if counterparty.is_empty() || holder.is_empty() {
        return false;
    }
    // Two of the holder's names printed joined ("RAHULKUMAR"), compared without building them.
    let is_joined_pair = |word: &str| {
        holder.windows(2).any(|pair| {
            word.len() == pair[0].len() + pair[1].len()
                && word.starts_with(pair[0].as_str())
                && word.ends_with(pair[1].as_str())
        })
    };
    let last = counterparty.len() - 1;
    // Statements cut long names at a field width ("RAHUL KUMAR SHA", 15 characters); a
    // short name ending in a prefix of the holder's ("MANOJ KHAN" for "MANOJ KHANNA") is
    // more likely another person.
    let printed_length = counterparty
        .iter()
        .map(|word| word.len() + 1)
        .sum::<usize>()
        - 1;
    let cut_at_field_width = printed_length >= MIN_TRUNCATED_NAME_LENGTH || own_note;
    let mut strong = 0;
    for (position, word) in counterparty.iter().enumerate() {
        let exact = holder.contains(word) || is_joined_pair(word.as_str());
        let truncated = cut_at_field_width
            && position == last
            && word.len() >= 2
            && holder.iter().any(|own| own.starts_with(word.as_str()));
        let initial = word.len() == 1 && holder.iter().any(|own| own.starts_with(word.as_str()));
        if !(exact || truncated || initial) {
            return false;
        }
        if exact && word.len() >= 3 {
            strong += 1;
        }
    }
    let joined_single = counterparty.len() == 1 && is_joined_pair(counterparty[0].as_str());
    strong >= 1 && (counterparty.len() >= 2 || holder.len() == 1 || joined_single)
}

/// A name printed as one run of letters and cut at a field width ("RAHULKUMARSHARM", 15
/// letters): the run starts the holder's names run together, in printed order or with the last
/// name first, and holds at least two of them whole.
fn run_cuts_holder(run: &str, holder: &[String]) -> bool {
    if run.len() < MIN_TRUNCATED_NAME_LENGTH || holder.len() < 2 {
        return false;
    }
    let rotated: Vec<String> = holder[holder.len() - 1..]
        .iter()
        .chain(&holder[..holder.len() - 1])
        .cloned()
        .collect();
    [holder, &rotated[..]].iter().any(|names| {
        let joined: String = names.concat();
        let whole = names
            .iter()
            .scan(0, |letters, name| {
                *letters += name.len();
                Some(*letters)
            })
            .filter(|&letters| letters <= run.len())
            .count();
        joined.starts_with(run) && whole >= 2
    })
}

/// The handle's letters are made of at least two of the holder's names (and at most
/// two stray letters), so "rahulsharma90" and "sharma.rahul" are the holder, "rahul.k" is not.
fn handle_spells_holder(handle: &str, holder: &[String]) -> bool {
    let user = handle.split('@').next().unwrap_or("");
    let mut letters: String = user
        .chars()
        .filter(char::is_ascii_alphabetic)
        .collect::<String>()
        .to_ascii_uppercase();
    let mut names_found = 0;
    let mut names: Vec<&String> = holder.iter().filter(|name| name.len() >= 3).collect();
    names.sort_by_key(|name| std::cmp::Reverse(name.len()));
    for name in names {
        if let Some(at) = letters.find(name.as_str()) {
            letters.replace_range(at..at + name.len(), "");
            names_found += 1;
        }
    }
    names_found >= 2 && letters.len() <= 2
}

fn load_rules() -> Result<Vec<Rule>, AnalysisError> {
    tables::rows("rules", tables::RULES_TSV, 8)?
        .into_iter()
        .map(|(line, fields)| parse_rule(line, &fields))
        .collect()
}

fn parse_rule(line: usize, fields: &[&'static str]) -> Result<Rule, AnalysisError> {
    let problem = |problem: String| AnalysisError::Table {
        table: "rules",
        line,
        problem,
    };
    let side = match fields[1] {
        "credit" => Some(TransactionType::Credit),
        "debit" => Some(TransactionType::Debit),
        "*" => None,
        other => return Err(problem(format!("bad side {other:?}"))),
    };
    let modes = if fields[2] == "*" {
        Vec::new()
    } else {
        fields[2]
            .split(',')
            .map(|name| parse_mode(name).ok_or_else(|| problem(format!("bad mode {name:?}"))))
            .collect::<Result<_, _>>()?
    };
    let requires = if fields[3] == "*" {
        Vec::new()
    } else {
        fields[3]
            .split(',')
            .map(|name| {
                let (wanted, bare) = match name.strip_prefix('!') {
                    Some(bare) => (false, bare),
                    None => (true, name),
                };
                parse_flag(bare)
                    .map(|flag| (flag, wanted))
                    .ok_or_else(|| problem(format!("bad flag {name:?}")))
            })
            .collect::<Result<_, _>>()?
    };
    if !crate::vocabulary::TRANSACTION_CHANNELS.contains(&fields[5]) {
        return Err(problem(format!("unknown channel {:?}", fields[5])));
    }
    Ok(Rule {
        id: fields[0],
        side,
        modes,
        requires,
        phrases: phrase_alternatives(fields[4]),
        channel: fields[5],
        description: fields[6],
        category: fields[7],
    })
}

fn parse_mode(name: &str) -> Option<Mode> {
    Some(match name {
        "UPI" => Mode::Upi,
        "NEFT" => Mode::Neft,
        "IMPS" => Mode::Imps,
        "RTGS" => Mode::Rtgs,
        "ACH" => Mode::Ach,
        "ATM" => Mode::Atm,
        "CARD" => Mode::Card,
        "CHEQUE" => Mode::Cheque,
        "CASH" => Mode::Cash,
        "INTEREST" => Mode::Interest,
        "CHARGE" => Mode::Charge,
        "BBPS" => Mode::Bbps,
        "TRANSFER" => Mode::Transfer,
        "OTHER" => Mode::Other,
        _ => return None,
    })
}

fn parse_flag(name: &'static str) -> Option<Flag> {
    Some(match name {
        "lender" => Flag::Lender,
        "merchant" => Flag::Merchant,
        "self" => Flag::SelfTransfer,
        "sister" => Flag::Sister,
        "employer" => Flag::Employer,
        "knownemployer" => Flag::KnownEmployer,
        "payoffice" => Flag::PayOffice,
        "firmpayer" => Flag::FirmPayer,
        "company" => Flag::Company,
        "insufficient" => Flag::Insufficient,
        "upi" => Flag::Upi,
        "penny" => Flag::Penny,
        "bankpayee" => Flag::BankPayee,
        "nobody" => Flag::Nobody,
        "maskedcard" => Flag::MaskedCard,
        "business" => Flag::Business,
        "person" => Flag::Person,
        "brand" => Flag::Brand,
        other => match other.strip_prefix("mc:") {
            Some(category) if crate::vocabulary::MERCHANT_CATEGORIES.contains(&category) => {
                Flag::MerchantCategory(category)
            }
            _ => return None,
        },
    })
}

fn load_merchants() -> Result<MerchantIndex, AnalysisError> {
    let mut entries = Vec::new();
    for (line, fields) in tables::rows("merchants", tables::MERCHANTS_TSV, 5)? {
        let problem = |problem: String| AnalysisError::Table {
            table: "merchants",
            line,
            problem,
        };
        let (kind, outlet, reach) = match fields[1] {
            "handle" => (MerchantKind::Handle, false, Reach::Name),
            "name" => (MerchantKind::Name, false, Reach::Name),
            "word" => (MerchantKind::Word, false, Reach::Name),
            "note" => (MerchantKind::Word, false, Reach::Note),
            "weak" => (MerchantKind::Word, false, Reach::Weak),
            "outlet" => (MerchantKind::Name, true, Reach::Name),
            "outlet-handle" => (MerchantKind::Handle, true, Reach::Name),
            other => return Err(problem(format!("unknown kind {other:?}"))),
        };
        // "-": a service no appendix merchant category fits (a salon); the category says "Others".
        let merchant_category = if fields[3] == "-" { "" } else { fields[3] };
        if !merchant_category.is_empty()
            && !crate::vocabulary::MERCHANT_CATEGORIES.contains(&merchant_category)
        {
            return Err(problem(format!(
                "unknown merchant_category {:?}",
                fields[3]
            )));
        }
        entries.push(MerchantEntry {
            key: fields[0],
            kind,
            name: fields[2],
            merchant_category,
            category: fields[4],
            outlet,
            reach,
            table: "merchants.tsv",
            line,
        });
    }
    let mut mcc_rows = Vec::new();
    for (line, fields) in tables::rows("mcc", MCC_TSV, 3)? {
        let code: u16 = fields[0].parse().map_err(|_| AnalysisError::Table {
            table: "mcc",
            line,
            problem: format!("bad code {:?}", fields[0]),
        })?;
        mcc_rows.push((code, entries.len()));
        entries.push(MerchantEntry {
            key: fields[0],
            kind: MerchantKind::Word,
            name: fields[2],
            merchant_category: fields[1],
            category: fields[2],
            outlet: false,
            reach: Reach::Name,
            table: "mcc.tsv",
            line,
        });
    }
    let mut index = MerchantIndex::build(entries);
    index.by_mcc = mcc_rows.into_iter().collect();
    Ok(index)
}

fn load_lenders() -> Result<Vec<LenderEntry>, AnalysisError> {
    let mut entries: Vec<LenderEntry> = tables::rows("lenders", tables::LENDERS_TSV, 2)?
        .into_iter()
        .map(|(line, fields)| LenderEntry {
            needle: Needle::new(format!(" {} ", fields[0]), false),
            name: fields[1],
            line,
        })
        .collect();
    // A named lender before a generic legal form ("WHIZDM FINANCE PVT LTD" is MoneyView, not
    // "a finance company"), then the longest phrase first.
    entries.sort_by_key(|entry| {
        (
            is_generic_lender(entry),
            std::cmp::Reverse(entry.needle.text.len()),
        )
    });
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use rust_decimal::Decimal;

    /// `first_held_spaced` finds the word a word-by-word `holds_spaced` search finds.
    #[test]
    fn first_held_spaced_answers_as_holds_spaced_word_by_word() {
        let lists: [&[&'static str]; 4] = [
            &["A B A", "B", "TCS"],
            &["PFMS SBI", "PFMS", "SBI"],
            &["", "X"],
            &["INFOSYS LIMITED", "INFOSYS", "WIPRO"],
        ];
        let texts = [
            " A B A B A ",
            "A B A B A ",
            " PFMS SBI ",
            " NEFT PFMS SBI 1234 ",
            "  ",
            " ",
            "",
            " X ",
            " É INFOSYS ",
            " INFOSYS LIMITED SALARY ",
            " WIPROLTD ",
        ];
        for words in lists {
            for text in texts {
                assert_eq!(
                    first_held_spaced(text, words),
                    words.iter().copied().find(|word| holds_spaced(text, word)),
                    "{text:?} {words:?}"
                );
                assert_eq!(
                    SpacedWords::new(words).first_held(text),
                    first_held_spaced(text, words),
                    "{text:?} {words:?}"
                );
            }
        }
    }

    /// The first-word index answers as the scan of every word start, on every text of up to
    /// seven characters drawn from "A", "B" and a space, for lists of one to three entries of
    /// one or two words (list order decides between entries held at different places).
    #[test]
    fn spaced_words_answer_as_first_held_spaced() {
        let alphabet = [b'A', b'B', b' '];
        let mut texts = vec![String::new()];
        for length in 1..=7u32 {
            for mut code in 0..3usize.pow(length) {
                let mut text = Vec::new();
                for _ in 0..length {
                    text.push(alphabet[code % 3]);
                    code /= 3;
                }
                texts.push(String::from_utf8(text).expect("ASCII"));
            }
        }
        let entries = ["A", "B", "AB", "BA", "A B", "B A", "A A", "AB A"];
        let mut lists: Vec<Vec<&'static str>> = Vec::new();
        for (i, first) in entries.iter().enumerate() {
            lists.push(vec![first]);
            for (j, second) in entries.iter().enumerate() {
                if i != j {
                    lists.push(vec![first, second]);
                    lists.push(vec![first, second, entries[(i + j) % entries.len()]]);
                }
            }
        }
        for list in lists {
            let words: &'static [&'static str] = Box::leak(list.into_boxed_slice());
            let index = SpacedWords::new(words);
            for text in &texts {
                assert_eq!(
                    index.first_held(text),
                    first_held_spaced(text, words),
                    "{text:?} {words:?}"
                );
            }
        }
    }

    /// `holds_spaced` answers as the padded `contains` it replaced, on overlapping, multi-word,
    /// edge, empty and non-ASCII cases and on every pair drawn from a small alphabet.
    #[test]
    fn holds_spaced_answers_as_padded_contains() {
        let padded = |text: &str, word: &str| text.contains(&format!(" {word} "));
        let fixed = [
            ("A B A B A ", "A B A"),
            (" TCS LTD ", "TCS"),
            ("TCS LTD ", "TCS"),
            (" TCS", "TCS"),
            (" TCSL ", "TCS"),
            ("  ", ""),
            (" ", ""),
            ("", ""),
            (" É ", "É"),
            (" PFMS SBI ", "PFMS SBI"),
            (" AA AAA AA ", "AA"),
        ];
        for (text, word) in fixed {
            assert_eq!(
                holds_spaced(text, word),
                padded(text, word),
                "{text:?} {word:?}"
            );
        }
        let alphabet = [" ", "A", "B", "É"];
        let mut strings: Vec<String> = (0..4usize.pow(5))
            .flat_map(|n| {
                (0..=5).map(move |len| {
                    (0..len)
                        .map(|i| alphabet[(n / 4usize.pow(i as u32)) % 4])
                        .collect::<String>()
                })
            })
            .collect();
        strings.sort();
        strings.dedup();
        let words: Vec<&String> = strings.iter().filter(|s| s.chars().count() <= 3).collect();
        for text in &strings {
            for word in &words {
                assert_eq!(
                    holds_spaced(text, word),
                    padded(text, word),
                    "{text:?} {word:?}"
                );
            }
        }
    }

    /// Every list data/word_lists.tsv may hold loads, none empty, and a list it does not know is
    /// refused.
    #[test]
    fn word_lists_load_from_data() {
        let lists = load_word_lists().expect("word_lists.tsv loads");
        for name in WORD_LIST_NAMES {
            assert!(
                lists.get(name).is_some_and(|words| !words.is_empty()),
                "list {name} empty"
            );
        }
        assert!(outlet_words().contains(&"PUMP"));
        assert!(government_words().contains(&"GOVT"));
        assert!(scheme_words().contains(&"YOJANA"));
    }

    /// Each kind of malformed word_lists row is an error naming its line, never a shorter list.
    #[test]
    fn malformed_word_list_rows_are_errors() {
        let line_of = |text: &'static str| match parse_word_lists(text) {
            Err(AnalysisError::Table { line, .. }) => Some(line),
            Ok(_) => None,
        };
        // Columns, an unknown list, a lower-case word, punctuation, two spaces, an upper-case
        // handle domain, a word twice: each on line 3, after the header and one good row.
        for text in [
            "list\tword\noutlet\tPUMP\noutlet\tSTATION\textra\n",
            "list\tword\noutlet\tPUMP\noutlets\tSTATION\n",
            "list\tword\noutlet\tPUMP\noutlet\tstation\n",
            "list\tword\noutlet\tPUMP\nlegal_name\tPVT.\n",
            "list\tword\noutlet\tPUMP\nregistrar\tLINK  INTIME\n",
            "list\tword\noutlet\tPUMP\npersonal_handle_domain\tOKSBI\n",
            "list\tword\noutlet\tPUMP\noutlet\tPUMP\n",
        ] {
            assert_eq!(line_of(text), Some(3), "{text:?}");
        }
        // Well-formed rows but lists left without a word: an error too, not empty lists.
        assert!(line_of("list\tword\noutlet\tPUMP\n").is_some());
        assert!(word_list_entry_is_clean("registrar", "LINK INTIME INDIA"));
        assert!(word_list_entry_is_clean(
            "personal_handle_domain",
            "okhdfcbank"
        ));
    }

    /// A malformed table fails loudly where the grammar first reads it, naming the line.
    #[test]
    #[should_panic(expected = "data/word_lists.tsv is malformed: table word_lists line 3")]
    fn a_malformed_word_list_fails_loudly() {
        word_lists_or_fail(parse_word_lists(
            "list\tword\noutlet\tPUMP\noutlet\tSTATION\textra\n",
        ));
    }

    /// A registrar's dividend names the company it pays for; its own payments keep the registrar.
    #[test]
    fn dividend_through_a_registrar_names_the_company() {
        let company = |text: &str| company_paying_through_registrar(&narration::normalize(text));
        assert_eq!(
            company("ACH C- LINK INTIME INDIA PVT-ITC LTD FINAL DIV").as_deref(),
            Some("ITC LTD")
        );
        assert_eq!(
            company("ACH/KFIN TECH-WIPRO INTERIM DIV/650112341019").as_deref(),
            Some("WIPRO")
        );
        assert_eq!(
            company(
                "BY TRANSFER-NEFT*HDFC0000001*N178251234588*KFIN TECHNOLOGIES LTD*REDEMPTION--"
            ),
            None
        );
        assert_eq!(company("ACH CR/HDFC BANK LTD/INTERIM DIVIDEND 2026"), None);
    }

    /// The phrase search stops growing an n-gram once no phrase starts with it; it must find
    /// what trying every n-gram up to the longest phrase finds.
    #[test]
    fn phrase_search_stops_early_without_missing_a_phrase() {
        let categorizer = Categorizer::from_embedded_tables().expect("tables load");
        let index = &categorizer.merchants;
        let every_ngram = |text: &str, phrases: &WordMap<&'static str, usize>| {
            let words: Vec<&str> = text.split(' ').filter(|w| !w.is_empty()).collect();
            let mut best: Option<usize> = None;
            for first in 0..words.len() {
                for n in 1..=index.longest_phrase.min(words.len() - first) {
                    if let Some(&position) = phrases.get(words[first..first + n].join(" ").as_str())
                    {
                        if best.is_none_or(|current| {
                            index.entries[position].key.len() > index.entries[current].key.len()
                        }) {
                            best = Some(position);
                        }
                    }
                }
            }
            best.map(|position| (index.entries[position].key, index.entries[position].line))
        };
        let keys: Vec<&str> = index
            .names
            .keys()
            .chain(index.words.keys())
            .copied()
            .collect();
        let mut texts: Vec<String> = Vec::new();
        for (n, key) in keys.iter().enumerate() {
            let next = keys[(n * 7 + 3) % keys.len()];
            texts.push(format!("UPI/DR/4123/{key}/YESB/PAY"));
            texts.push(format!("NEFT CR {key} {next} PVT LTD"));
            // Cut short and run together: a phrase's first words alone, then another phrase.
            let cut = key.rsplit_once(' ').map_or(*key, |(head, _)| head);
            texts.push(format!("{cut} {next} {cut}"));
        }
        let mut found = 0;
        for text in &texts {
            let text = narration::normalize(text);
            for phrases in [
                Phrases::Names,
                Phrases::Words,
                Phrases::Notes,
                Phrases::WeakWords,
            ] {
                let quick = index
                    .longest_phrase_in(&text, phrases)
                    .map(|entry| (entry.key, entry.line));
                assert_eq!(quick, every_ngram(&text, index.table(phrases)), "{text}");
                found += usize::from(quick.is_some());
            }
        }
        assert!(found >= keys.len(), "only {found} phrases found");
    }

    fn transaction(side: TransactionType, note: &str) -> Transaction {
        Transaction {
            transaction_type: side,
            transaction_note: note.to_string(),
            chq_num: String::new(),
            amount: Decimal::new(100, 0),
            balance: Decimal::new(1000, 0),
            date: NaiveDate::from_ymd_opt(2025, 8, 11)
                .and_then(|day| day.and_hms_opt(0, 0, 0))
                .unwrap_or_default(),
            value_date: None,
            hash: "h".into(),
            page: 1,
            balance_derived: false,
        }
    }

    fn categorize(side: TransactionType, note: &str) -> Categorized {
        let categorizer = Categorizer::from_embedded_tables().expect("tables load");
        let context = EnrichmentContext {
            names: vec!["ANANDA P".into()],
            ..EnrichmentContext::default()
        };
        categorizer.categorize(&transaction(side, note), &context)
    }

    /// The rule screen passes over only rules that cannot apply: for narrations of every rail,
    /// every rule whose phrases a narration holds is still admitted.
    #[test]
    fn the_rule_screen_admits_every_rule_that_applies() {
        let categorizer = Categorizer::from_embedded_tables().expect("tables load");
        let notes = [
            "UPI/DR/412345678901/SWIGGY/YESB/swiggy.upi@ybl/Payment",
            "NEFT CR-HDFC0001234-ACME TECHNOLOGIES PVT LTD-SALARY AUG-HDFCN52345678901234",
            "ACH D- BAJAJ FINANCE LTD-EMI 123456",
            "ATM WDL/CASH 12345 MUMBAI",
            "NACH RETURN CHARGES INSUFFICIENT FUNDS",
            "INT.PD:01-08-2025 TO 31-08-2025",
            "POS 416021XXXXXX0851 AMAZON PAY INDIA",
            "CHQ DEP/CLG/000123/HDFC BANK",
            "IMPS-412345678901-RAHUL KUMAR-SBIN-XX1234-LOAN REPAYMENT",
            "BY CASH DEPOSIT",
        ];
        let mut screened = 0;
        for note in notes {
            let parsed = narration::parse(note);
            let text = match_text(note, &parsed);
            let found = categorizer.phrases.scan(&text);
            let possible = categorizer.screen.possible(&found, &categorizer.phrases);
            assert!(possible.is_some(), "the scan is the categoriser's own");
            for (index, rule) in categorizer.rules.iter().enumerate() {
                let phrases_hold = tables::any_alternative_found(&rule.phrases, &found, &text);
                let admitted = categorizer.screen.admits(index, &possible);
                assert!(
                    admitted || !phrases_hold,
                    "{} passed over on {note:?}",
                    rule.id
                );
                screened += usize::from(!admitted);
            }
        }
        assert!(screened > 0, "the screen passes over some rules");
    }

    /// The trade-word index finds what trying every trade word against every word of the name
    /// finds (the search it replaced): for each trade word glued after names of 0 to 4 letters,
    /// alone, printed apart, among other words, after a word with digits, and beside a longer
    /// trade word that ends with it.
    #[test]
    fn glued_trade_words_are_found_as_by_trying_every_trade_word() {
        let categorizer = Categorizer::from_embedded_tables().expect("tables load");
        let index = &categorizer.merchants;
        let every_trade_word = |counterparty: &str| {
            index
                .glued_trade_words
                .iter()
                .find(|(squashed, position)| {
                    let multi_word = index
                        .entries
                        .get(*position)
                        .is_some_and(|entry| entry.key.contains(' '));
                    glued_word_at(counterparty, squashed, multi_word).is_some()
                })
                .and_then(|(_, position)| index.entries.get(*position))
                .map(|entry| entry.key)
        };
        assert!(index.glued_trade_words.len() > 20, "trade words indexed");
        let mut names = vec![
            String::new(),
            "RAVI KUMAR".to_string(),
            "YASHODAHOSPITAL 42512345 HDFCBAN".to_string(),
            "SAMAHITA FUELLINGSTATION".to_string(),
        ];
        for (squashed, _) in &index.glued_trade_words {
            for name in ["", "A", "AB", "ABC", "ABCD"] {
                names.push(format!("{name}{squashed}"));
                names.push(format!("SHRI {name}{squashed} 1234"));
                names.push(format!("{name}{squashed}9 {name} {squashed}"));
            }
            names.push(format!("{squashed}{squashed}"));
            names.push(squashed.to_ascii_lowercase());
        }
        let mut found = 0;
        for name in &names {
            let expected = every_trade_word(name);
            let indexed = index.glued_trade_word(name).map(|entry| entry.key);
            assert_eq!(indexed, expected, "{name}");
            found += usize::from(expected.is_some());
        }
        assert!(found > index.glued_trade_words.len(), "most names hold one");
    }

    /// Names as a narrow PDF cell delivers them: a space where a line broke inside the name, the
    /// words run together where the break fell between words, or cut at the cell's end. Each
    /// decision names how the name was found.
    #[test]
    fn names_wrapped_glued_or_cut_by_a_narrow_cell_are_found() {
        let wrapped = categorize(
            TransactionType::Debit,
            "UPI/P2M/417479856529/SWI GGY/Punjab National Bank/Pay via Razorpay",
        );
        assert_eq!(wrapped.category, "Food");
        assert_eq!(wrapped.unclean_merchant, "Swiggy");
        assert!(
            wrapped.decided_by().contains("(counterparty rejoined)"),
            "{}",
            wrapped.decided_by()
        );
        // Two breaks, and the brand's legal words beside it.
        let amazon = categorize(
            TransactionType::Debit,
            "UPI/P2M/417479856532/AMA ZON PAY INDIA/Order/AXIS BANK",
        );
        assert_eq!(amazon.category, "Online Shopping");
        // A filler word made by the break ("TO") is read from the field, not the name.
        let zomato = categorize(
            TransactionType::Debit,
            "UPI/P2M/417479856530/ZOMA TO LTD/Order/AXIS BANK",
        );
        assert_eq!(zomato.unclean_merchant, "Zomato");
        let glued = categorize(
            TransactionType::Debit,
            "NEFT/UTIBN24136012399/BUNDLTECHNOLOGIESPVTLTD/TEAM LUNCH",
        );
        assert_eq!(glued.category, "Food");
        assert!(glued.decided_by().contains("(counterparty glued)"));
        let cut = categorize(TransactionType::Debit, "UPI/P2M/417479856604/MAKEMYTR");
        assert_eq!(cut.category, "Travel");
        assert!(cut.decided_by().contains("(counterparty cut)"));
        // Lenders likewise, and the explanation says so.
        let lender = categorize(
            TransactionType::Debit,
            "NACH-10-DR-MUTHOOT FIN ANCE LTD-GL123456",
        );
        assert_eq!(lender.category, "EMI Payment");
        assert_eq!(lender.lender, Some("Muthoot Finance"));
        assert!(
            lender.decided_by().ends_with("(counterparty rejoined)"),
            "{}",
            lender.decided_by()
        );
        let glued_lender = categorize(TransactionType::Debit, "ACH DR BAJAJFINANCELTD P400PSM5555");
        assert_eq!(glued_lender.lender, Some("Bajaj Finance"));
        let cut_lender = categorize(TransactionType::Debit, "ACH/KREDITB");
        assert_eq!(cut_lender.lender, Some("KreditBee"));
        // A lender's word made by the break is no lender once the brand is rejoined.
        let bses = categorize(
            TransactionType::Debit,
            "BBPS/BSES RAJ DHANI POWER/417479856593",
        );
        assert_eq!(bses.category, "Utilities");
        assert_eq!(bses.lender, None);
    }

    /// Joining is bounded: the rest of the field must be legal words or name nobody, a cut must
    /// end inside a word and be the start of one merchant's keys only, and a cut never renames a
    /// row its printed words already explain.
    #[test]
    fn joining_does_not_invent_a_brand_from_real_words() {
        // Two real words of a shop's name that spell a brand when joined.
        let shop = categorize(
            TransactionType::Debit,
            "UPI/P2M/417479856701/LIFE STYLE TAILORS/Stitching/HDFC BANK",
        );
        assert_eq!(shop.unclean_merchant, "LIFE STYLE TAILORS");
        // A person whose split name joined spells a lender or a brand.
        for note in [
            "UPI/P2A/417479856716/DHA NI RAM/Milk/PUNJAB NATIONAL BANK",
            "UPI/P2A/417479856707/MANI PAL SINGH/Rent/PUNJAB NATIONAL BANK",
            "UPI/P2A/417479856730/BAJA J SINGH/Loan return/AXIS BANK",
        ] {
            let person = categorize(TransactionType::Debit, note);
            assert!(
                person.category.starts_with("Transfer to "),
                "{note}: {person:?}"
            );
            assert_eq!(person.lender, None, "{note}");
            assert_eq!(person.merchant, None, "{note}");
        }
        // A whole word that starts a longer key is no cut: Flipkart, not its pay-later arm.
        let whole = categorize(TransactionType::Debit, "ECOM PUR/FLIPKART/412312345679");
        assert_eq!(whole.lender, None);
        assert_eq!(whole.unclean_merchant, "Flipkart");
        // A name that starts with a brand and goes on with no legal word is somebody else's.
        let name = categorize(
            TransactionType::Debit,
            "UPI/P2A/417479856720/ZOMATOV RAJU/Rent/AXIS BANK",
        );
        assert_eq!(name.merchant, None);
        // Printed words that already explain the row keep their printed name.
        let bill = categorize(
            TransactionType::Debit,
            "UPI/P2M/508112340085/KERALA STATE ELECTRI/Bill/HDFC BANK",
        );
        assert_eq!(bill.category, "Utilities");
        assert_eq!(bill.unclean_merchant, "KERALA STATE ELECTRI");
    }

    #[test]
    fn squashed_keys_find_joined_glued_and_cut_names() {
        let keys = SquashedKeys::build(
            [
                ("BIG BASKET", 0, "BigBasket"),
                ("BIGBASKET", 1, "BigBasket"),
                ("RELIANCE JIO", 2, "Jio"),
                ("RELIANCE DIGITAL", 3, "Reliance Digital"),
            ]
            .into_iter(),
        );
        let find = |field: &str| keys.find(field).map(|found| (found.target, found.how));
        // The same letters spaced differently from every key is a wrap.
        assert_eq!(find(" BIGBA SKET "), Some((0, Rejoin::Joined)));
        // Printed as a key's own words: left to the printed lookups.
        assert_eq!(find(" BIG BASKET "), None);
        assert_eq!(find(" BIGBASKETLTD "), Some((0, Rejoin::Glued)));
        assert_eq!(find(" RELIANCEJIO "), Some((2, Rejoin::Glued)));
        assert_eq!(find(" BIGBASK "), Some((0, Rejoin::Cut)));
        // The start of two merchants' keys names neither.
        assert_eq!(find(" RELIANCE "), None);
        assert_eq!(find(" RELIAN "), None);
        assert_eq!(find(" RELIANCE DIGIT "), Some((3, Rejoin::Cut)));
        // Other words of the field must name nobody or be legal words.
        assert_eq!(find(" BIGBA SKET PVT LTD "), Some((0, Rejoin::Joined)));
        assert_eq!(find(" BIGBA SKET KIRANA "), None);
        // Too many breaks.
        assert_eq!(find(" B I G B ASKET "), None);
    }

    #[test]
    fn self_transfer_from_holder_name() {
        let result = categorize(
            TransactionType::Debit,
            "UPI/P2A/268652272235/ANANDA P /UPI/INDIAN OVERSEAS BANK",
        );
        assert_eq!(result.transaction_channel, "self_transfer");
        assert_eq!(result.category, "Self Transfer");
        assert_eq!(result.rule_id, "R175");
    }

    #[test]
    fn p2p_upi_is_transfer_to_counterparty() {
        let result = categorize(
            TransactionType::Debit,
            "UPI/P2A/686081232265/DHARANI SIVAKUMAR /UPI/State Bank Of India",
        );
        assert_eq!(result.transaction_channel, "upi");
        assert_eq!(result.category, "Transfer to DHARANI SIVAKUMAR");
        assert_eq!(result.description, "Transfer to DHARANI SIVAKUMAR");
    }

    #[test]
    fn lender_credit_is_loan_disbursed() {
        let result = categorize(
            TransactionType::Credit,
            "MUTHOOT FINANCE/GOLDEN GROWTH MAY 2025",
        );
        assert_eq!(result.description, "lender_transaction");
        assert_eq!(result.category, "Loan Disbursed");
        assert_eq!(result.merchant_category, "loans");
    }

    #[test]
    fn emi_by_nach_and_bounce_charge() {
        let emi = categorize(
            TransactionType::Debit,
            "ACH D- BAJAJ FINANCE LTD-ABCD12345678",
        );
        assert_eq!(emi.transaction_channel, "auto_debit_payment");
        assert_eq!(emi.category, "EMI Payment");
        let charge = categorize(TransactionType::Debit, "ACH RETURN CHARGES BAJAJ FINANCE");
        assert_eq!(charge.description, "ach_bounce_charge");
    }

    #[test]
    fn auto_debits_by_payee_and_decisions_name_their_entries() {
        let bank_loan = categorize(
            TransactionType::Debit,
            "NACH DR IDFC FIRST BANK LTD-L94123456789",
        );
        assert_eq!(bank_loan.category, "EMI Payment");
        assert_eq!(bank_loan.description, "lender_transaction");
        assert_eq!(bank_loan.rule_id, "R205");
        let insurer = categorize(
            TransactionType::Debit,
            "ACH D- HDFC LIFE INSURANCE CO LTD-1234567",
        );
        assert_eq!(insurer.category, "Insurance");
        assert_eq!(insurer.transaction_channel, "auto_debit_payment");
        assert!(insurer.decided_by().starts_with("R185 merchants.tsv:"));
        let unknown = categorize(TransactionType::Debit, "AUTO DEBIT/SI/1234567890");
        assert_eq!(unknown.transaction_channel, "auto_debit_payment");
        assert_ne!(unknown.category, "Auto Debit");
        let handle = categorize(
            TransactionType::Debit,
            "UPI/412345678904/NA/makemytrip@icici/ICICI Bank/ICI2a3b4c5d",
        );
        assert_eq!(handle.category, "Travel");
        assert!(handle
            .decided_by()
            .to_ascii_lowercase()
            .ends_with("makemytrip (handle)"));
    }

    #[test]
    fn a_firm_is_its_own_payee_with_or_without_its_company_form() {
        let words =
            |text: &str| -> Vec<String> { text.split_whitespace().map(str::to_string).collect() };
        let holder = words("M S SHARMA TRADERS PRIVATE LIMITED");
        assert!(words_are_holder(&words("SHARMA TRADERS"), &holder, false));
        assert!(words_are_holder(
            &words("SHARMA TRADERS PVT LTD"),
            &holder,
            false
        ));
        assert!(!words_are_holder(
            &words("SHARMA STEELS PVT LTD"),
            &holder,
            false
        ));
        assert!(!words_are_holder(
            &words("RAHUL VERMA"),
            &words("RAHUL KUMAR SHARMA"),
            false
        ));
        assert!(words_are_holder(
            &words("SHARMA RAHUL K"),
            &words("RAHUL KUMAR SHARMA"),
            false
        ));
        // A name cut short of a field width is the holder only where the payer's note says so.
        let cut = words("RAHUL KU");
        assert!(!words_are_holder(&cut, &words("RAHUL KUMAR SHARMA"), false));
        assert!(words_are_holder(&cut, &words("RAHUL KUMAR SHARMA"), true));
    }

    #[test]
    fn a_person_named_like_a_brand_is_paid_at_their_own_handle() {
        // The handle spells the whole printed name: a person whose name holds a brand's word.
        let person = categorize(
            TransactionType::Debit,
            "UPI-AMAZON SINGH-amazonsingh1985@okhdfcbank-HDFC0000123-519412340051-DHABA BILL",
        );
        assert_eq!(person.category, "Transfer to AMAZON SINGH");
        // A shop's handle spelling its name keeps the trade word the name holds.
        let shop = categorize(
            TransactionType::Debit,
            "UPI/DR/419012345614/GUPTA DHABA/PUNB/guptadhaba@ybl/UPI",
        );
        assert_eq!(shop.category, "Food");
        // The brand itself, at a handle that is not a person's, stays the brand.
        let brand = categorize(
            TransactionType::Debit,
            "UPI/DR/519412340064/AMAZON/UTIB/amazon@apl/Order",
        );
        assert_eq!(brand.category, "Online Shopping");
    }

    #[test]
    fn a_named_lender_outranks_a_generic_legal_form_and_a_brand_paid_by_neft_is_a_purchase() {
        let disbursal = categorize(
            TransactionType::Credit,
            "IMPS/CR/517812340505/WHIZDM FINANCE PVT LTD/LOAN DISB",
        );
        assert_eq!(disbursal.lender, Some("MoneyView"));
        let order = categorize(
            TransactionType::Debit,
            "NEFT DR-ICIC0000104-BUNDL TECHNOLOGIES PVT LTD-NETBANK, MUM-N194251234501-ORDER",
        );
        assert_eq!(
            (order.transaction_channel, order.category.as_str()),
            ("net_banking_transfer", "Food")
        );
        let toll = categorize(
            TransactionType::Debit,
            "NETC TOLL/MH04AB1234/KHALAPUR TOLL PLAZA/519412340035",
        );
        assert_eq!(
            (
                toll.transaction_channel,
                toll.category.as_str(),
                toll.unclean_merchant.as_str()
            ),
            ("auto_debit_payment", "Travel", "KHALAPUR TOLL PLAZA")
        );
    }

    #[test]
    fn a_brand_holding_a_lenders_name_is_not_the_lender() {
        // "NAVI" and "CHOLA" are lenders; the fund house and the insurer named after them are not.
        let fund = categorize(
            TransactionType::Debit,
            "NACH-MUT-DR-NAVI MUTUAL FUND-NAVIMF12345678",
        );
        assert_eq!(fund.category, "Investment");
        let insurer = categorize(
            TransactionType::Debit,
            "ACH/CHOLA MS GENERAL INSURANCE/CMGI1234567",
        );
        assert_eq!(insurer.category, "Insurance");
        let lender = categorize(
            TransactionType::Debit,
            "ACH DR/CHOLAMANDALAM INVESTMENT/CIFCL1",
        );
        assert_eq!(lender.category, "EMI Payment");
    }

    #[test]
    fn paying_a_pay_later_provider_found_by_its_handle_is_a_repayment() {
        let result = categorize(
            TransactionType::Debit,
            "UPI/412345678901/Pay Later/amazonpaylater@apl/Axis Bank/ICI5f6e7d06",
        );
        assert_eq!(result.category, "EMI Payment");
        assert_eq!(result.description, "lender_transaction");
        assert_eq!(result.merchant_category, "bnpl");
    }

    #[test]
    fn a_bill_word_in_the_note_to_a_person_is_a_transfer() {
        for note in [
            "UPI-SUNITA DEVI-sunitadevi77@okicici-ICIC0001234-412312345601-ELECTRICITY",
            "UPI/DR/412312345602/GEETA/PUNB/geeta1985@okhdfcbank/Water bill",
            "UPI/DR/412312345603/VIJAY KUMAR/KKBK/vijayk@ybl/EMI",
            "BIL/INFT/035123456789/Electricity Share/ROHAN MEHTA",
        ] {
            let result = categorize(TransactionType::Debit, note);
            assert!(
                result.category.starts_with("Transfer to "),
                "{note}: {result:?}"
            );
            assert_eq!(
                result.rule_id,
                if note.starts_with("BIL") {
                    "R197"
                } else {
                    "R188"
                }
            );
        }
        // The biller's own name or handle still makes it a bill, and a known lender an EMI.
        for (note, category) in [
            (
                "UPI/DR/412312345604/MANGALORE ELECTRICITY SUPPLY/HDFC/mescom.bbps@hdfcbank/Bill",
                "Utilities",
            ),
            (
                "UPI/DR/412312345605/SATYA MICROCAPITAL/ICIC/satya.emi@icici/EMI",
                "EMI Payment",
            ),
            (
                "UPI/DR/412312345606/KSEB LTD/SIBL/q123456789@ybl/Bill",
                "Utilities",
            ),
        ] {
            assert_eq!(
                categorize(TransactionType::Debit, note).category,
                category,
                "{note}"
            );
        }
    }

    /// Batch AJ: a note saying what was bought settles the trade of a payee printed like a person on
    /// a row marking a merchant (P2M, a QR code handle); on a person's account (P2A, a handle that
    /// spells a name) and where no payee is printed, it does not.
    #[test]
    fn a_note_on_a_merchants_row_says_the_trade() {
        for (note, category) in [
            (
                "UPI/DR/670112340001/RAMESH/YESB/q330012001@ybl/Vegetables",
                "Groceries",
            ),
            (
                "UPI/P2M/670112340002/MANOJ KUMAR/Medicines/HDFC BANK",
                "Medical",
            ),
            (
                "UPI-LAXMI DEVI-paytmqr1a2b3c@paytm-PYTM0123456-670112340004-VEGETABLES",
                "Groceries",
            ),
            (
                "UPI/DR/670112340011/MOHAMMED SALIM/AUBL/paytmqr5k6l7m@paytm/Haircut",
                "Others",
            ),
        ] {
            let result = categorize(TransactionType::Debit, note);
            assert_eq!(result.category, category, "{note}: {result:?}");
            assert_eq!(
                result.merchant_match.map(|found| found.matched_on),
                Some(NOTE_ON_MERCHANT_ROW),
                "{note}"
            );
        }
        for note in [
            "UPI/P2A/670112340020/RAMESH CHAND/Vegetables/State Bank Of India",
            "UPI-SUNIL PATIL-sunilpatil77@okhdfcbank-HDFC0001234-670112340021-Medicine",
            "UPI/518012340036/08:14:22/UPI/q112299884@ybl/Tea",
        ] {
            let result = categorize(TransactionType::Debit, note);
            assert_ne!(
                result.merchant_match.map(|found| found.matched_on),
                Some(NOTE_ON_MERCHANT_ROW),
                "{note}: {result:?}"
            );
        }
    }

    /// Batch AJ: an IT services major's bank credit to a person is pay without the word; its
    /// reimbursement, and its payment to a firm's account, are not.
    #[test]
    fn a_known_employers_credit_is_pay() {
        let pay = categorize(
            TransactionType::Credit,
            "NEFT-HSBCN26363123447-HCL TECHNOLOGIES LTD-000405012345-HSBC0400002",
        );
        assert_eq!((pay.rule_id, pay.category.as_str()), ("R133", "Salary"));
        let reimbursed = categorize(
            TransactionType::Credit,
            "BY TRANSFER-NEFT*HDFC0000001*HDFCN52026123100061*WIPRO LIMITED*REIMB TRAVEL--",
        );
        assert!(reimbursed.category.starts_with("Transfer from "));
        let month_pay = categorize(
            TransactionType::Credit,
            "IMPS-670112340058-BRIGHTWAVE SOFTWARE SOLUTIONS P-ICIC-XXXXXXX0001-NOV PAY",
        );
        assert_eq!(month_pay.rule_id, "R130P");
    }

    /// Batch AN: a public limited company's pay-sized bank credit naming nothing else is pay
    /// by its shape (R136); a small one, one naming an expense claim, a trader named without a legal
    /// form, a private company's and an RTGS are not; PLI, EX-GRATIA and a trade-named shop's Diwali bonus are pay extras
    /// (R135).
    #[test]
    fn a_companys_pay_sized_credit_is_pay_by_its_shape() {
        let categorizer = Categorizer::from_embedded_tables().expect("tables load");
        let context = EnrichmentContext {
            names: vec!["RAHUL KUMAR SHARMA".into()],
            ..EnrichmentContext::default()
        };
        let read = |note: &str, rupees: i64| {
            let mut txn = transaction(TransactionType::Credit, note);
            txn.amount = Decimal::new(rupees, 0);
            categorizer.categorize(&txn, &context)
        };
        let kajaria =
            "NEFT CR-UTIB0000123-KAJARIA CERAMICS LIMITED-RAHUL KUMAR SHARMA-UTIBN52026113000501";
        for note in [kajaria, "NEFT/SBIN426334123510/CR/DEEPAK NITRITE LIMITED"] {
            let pay = read(note, 54_200);
            assert_eq!(
                (pay.rule_id, pay.category.as_str()),
                ("R136", "Salary"),
                "{note}"
            );
        }
        for (note, rupees) in [
            (kajaria, 1_200),
            ("NEFT/CR/HDFCN52026113000535/TRIDENT LIMITED/EXP CLAIM", 26_000),
            (
                "NEFT CR-SBIN0004321-MAHALAXMI STEEL CORPORATION-RAHUL KUMAR SHARMA-SBIN426312348876",
                40_000,
            ),
            ("RTGS/CR/HDFCR52026051512346/SHAH POLYMERS PVT LTD", 250_000),
            (
                "NEFT CR-HDFC0000240-ACME TECHNOLOGIES PVT LTD-RAHUL KUMAR SHARMA-HDFCN52024051512345",
                45_000,
            ),
        ] {
            let other = read(note, rupees);
            assert!(other.category.starts_with("Transfer from "), "{note}");
        }
        for note in [
            "MMT/IMPS/633412340538/PLI PAYOUT/ZETAVERSE LABS PVT",
            "IMPS/P2A/633412340539/SHREE GANESH MOTORS/EX-GRATIA/ICICI Bank",
            "IMPS/P2A/633412340542/AGARWAL SWEETS PALACE/DIWALI BONUS/PUNB",
        ] {
            let extra = read(note, 4_100);
            assert_eq!(
                (extra.rule_id, extra.category.as_str()),
                ("R135", "Salary"),
                "{note}"
            );
        }
    }

    /// Batch AL: a large non-IT employer's or a government pay office's credit naming nothing is
    /// pay; a firm's transfer naming a bonus, incentive or arrears is pay, a person's is not; a pay
    /// office's abbreviated division is no dividend.
    #[test]
    fn employers_and_pay_offices_naming_no_salary_word() {
        let cases = [
            ("NEFT/SBIN426363123621/NTPC LIMITED/SBIN0000001", "R133"),
            (
                "BY TRANSFER-NEFT*SBIN0008079*SBIN426363123617*TREASURY OFFICER JAIPUR CITY*--",
                "R134",
            ),
            (
                "NEFT/SBIN413761244402/DDO ROADS AND BUILDING DIV VADODARA",
                "R134",
            ),
            ("MMT/IMPS/690112340503/SHREE CEMENT LTD/ARREARS", "R133"),
            (
                "IMPS/690112340507/CR/SAI KRUPA MOTORS/INCENTIVE NOV",
                "R135",
            ),
        ];
        for (note, rule) in cases {
            let pay = categorize(TransactionType::Credit, note);
            assert_eq!(
                (pay.rule_id, pay.category.as_str()),
                (rule, "Salary"),
                "{note}"
            );
        }
        let arrears = categorize(
            TransactionType::Credit,
            "IMPS-IN/690112340513/RENT ARREARS/SUNITA KAPOOR/HDFC",
        );
        assert_eq!(arrears.category, "Transfer from SUNITA KAPOOR");
        let pension = categorize(
            TransactionType::Credit,
            "NEFT/SBIN426363123620/DISTRICT TREASURY OFFICE PUNE/PENSION",
        );
        assert!(pension.category.starts_with("Transfer from "));
    }

    /// Batch AL: IDBI prints the merchant category code bare after "POS DR"; Kotak's four digits
    /// after "PCD" are the card's.
    #[test]
    fn a_bare_code_after_pos_dr_is_the_merchant_category() {
        let fuel = categorize(
            TransactionType::Debit,
            "POS DR/5541/SHREE GANESH AGENCIES/NAGPUR/690112340302",
        );
        assert_eq!(fuel.category, "Fuel");
        let card_digits = categorize(
            TransactionType::Debit,
            "PCD/5541/SHREE GANESH AGENCIES/NAGPUR/690112340302",
        );
        assert_ne!(card_digits.category, "Fuel");
    }

    #[test]
    fn a_marketplace_payout_is_no_loan_disbursal() {
        let payout = categorize(
            TransactionType::Credit,
            "NEFT/CITIN24123456789/AMAZON SELLER SERVICES PVT LTD/DISBURSEMENT",
        );
        assert_eq!(payout.rule_id, "R177");
        assert!(payout.category.starts_with("Transfer from "));
        let loan = categorize(
            TransactionType::Credit,
            "NEFT/CITIN24123456790/BAJAJ FINANCE LTD/DISBURSEMENT",
        );
        assert_eq!(loan.category, "Loan Disbursed");
    }

    #[test]
    fn a_penny_from_a_lender_is_not_a_disbursal() {
        let mut check = transaction(
            TransactionType::Credit,
            "IMPS-412312345601-KREDITBEE-HDFC-XXXXXXX1234-ACCOUNT VALIDATION",
        );
        check.amount = Decimal::ONE;
        let categorizer = Categorizer::from_embedded_tables().expect("tables load");
        let result = categorizer.categorize(&check, &EnrichmentContext::default());
        assert_ne!(result.category, "Loan Disbursed");
        let loan = categorize(
            TransactionType::Credit,
            "IMPS-412312345680-KREDITBEE-UTIB-XXXXXXX0001-LOAN DISB",
        );
        assert_eq!(loan.category, "Loan Disbursed");
    }

    #[test]
    fn cred_is_a_card_bill_only_when_paying_cred() {
        let merchant = categorize(
            TransactionType::Debit,
            "UPI-BLINKIT-blinkit.payu@hdfcbank-HDFC0MERUPI-412345678905-PAID VIA CRED",
        );
        assert_eq!(merchant.category, "Groceries");
        let bill = categorize(
            TransactionType::Debit,
            "UPI-CRED CLUB-cred.club@axisb-UTIB0000114-412345678906-CREDIT CARD BILL",
        );
        assert_eq!(bill.description, "credit_card_bill");
    }

    #[test]
    fn merchants_bills_cash_and_interest() {
        let food = categorize(
            TransactionType::Debit,
            "UPI/DR/412345678901/SWIGGY/YESB/swiggy@ybl/Order",
        );
        assert_eq!(food.merchant_category, "food");
        assert_eq!(food.category, "Food");
        let power = categorize(
            TransactionType::Debit,
            "BBPS/BESCOM/ELECTRICITY BILL/123456",
        );
        assert_eq!(power.description, "electric_bill");
        let atm = categorize(
            TransactionType::Debit,
            "ATW-416021XXXXXX1234-S1ANBG12-BANGALORE",
        );
        assert_eq!(atm.transaction_channel, "cash_withdrawl");
        let interest = categorize(TransactionType::Credit, "INT.PD:01-04-2024 TO 30-06-2024");
        assert_eq!(interest.transaction_channel, "bank_interest");
    }

    /// ICICI prints "UPI/ref/NOTE/handle/BANK/ref" (the text is a typed note); other banks
    /// print "UPI/ref/NAME/handle/NOTE" (the text is the payee).
    #[test]
    fn upi_text_before_a_handle_names_the_payee_unless_a_bank_follows() {
        let other = categorize(
            TransactionType::Debit,
            "UPI/500100200300/KIRAN BEDI/kiranb@okaxis/driver salary",
        );
        assert_eq!(other.category, "Transfer to KIRAN BEDI");
        assert_eq!(other.transaction_channel, "upi");
        let icici = categorize(
            TransactionType::Debit,
            "UPI/500100200301/Tuition fee/kiranb@okaxis/Axis Bank Ltd/ICI0a1b2c3d",
        );
        assert_ne!(icici.unclean_merchant, "TUITION FEE");
    }

    /// Off UPI, a gateway that credits the account and names nobody behind it is the payer;
    /// on a debit it only carried the payment.
    #[test]
    fn a_gateway_names_the_payer_of_a_credit_only() {
        let credit = categorize(
            TransactionType::Credit,
            "IMPS-500100200302-CASHFREE PAYMENTS-UTIB-XXXXXXX0001-PENNY DROP",
        );
        assert_eq!(credit.unclean_merchant, "CASHFREE");
        assert_eq!(credit.narration.counterparty_source, "gateway");
        let debit = categorize(
            TransactionType::Debit,
            "IMPS-500100200303-CASHFREE PAYMENTS-UTIB",
        );
        assert_ne!(debit.narration.counterparty_source, "gateway");
    }

    /// Of two brand tokens in a handle, the longer (more specific) one is the merchant.
    #[test]
    fn the_longest_brand_token_of_a_handle_wins() {
        let result = categorize(
            TransactionType::Debit,
            "UPI/DR/500100200304/NA/YESB/swiggy.instamart@icici/Order",
        );
        assert_eq!(result.merchant, Some("Instamart"));
    }

    /// Bank of Baroda prints "UPI/<ref>/<hh:mm:ss>/UPI/<handle>/<note>": the note after the
    /// handle is not the payee; Kotak's "FUND TRANSFER TO <account> <name>" names the payee.
    #[test]
    fn time_stamped_upi_note_and_fund_transfer_names() {
        let bob = categorize(
            TransactionType::Credit,
            "UPI/500100200305/11:22:33/UPI/meena.k77@okicici/Pocket money",
        );
        assert_eq!(bob.unclean_merchant, "meena.k77@okicici");
        let kotak = categorize(
            TransactionType::Debit,
            "IB:FUND TRANSFER TO 5001002003061 GIRISH PATIL",
        );
        assert_eq!(kotak.category, "Transfer to GIRISH PATIL");
    }

    fn categorize_for(holder: &str, side: TransactionType, note: &str) -> Categorized {
        let categorizer = Categorizer::from_embedded_tables().expect("tables load");
        let context = EnrichmentContext {
            names: vec![holder.into()],
            ..EnrichmentContext::default()
        };
        categorizer.categorize(&transaction(side, note), &context)
    }

    /// Batch AI: a gateway's one-rupee check naming the holder after itself was sent by the gateway;
    /// a bank's reversal of its own charge and a tax named only by its own words name nobody; a
    /// two-letter payee printed as a UPI field of its own is the payee.
    #[test]
    fn checks_reversed_charges_taxes_and_short_payees_name_the_right_party() {
        let categorizer = Categorizer::from_embedded_tables().expect("tables load");
        let context = EnrichmentContext {
            names: vec!["RAHUL KUMAR SHARMA".into()],
            ..EnrichmentContext::default()
        };
        let mut check = transaction(
            TransactionType::Credit,
            "BY TRANSFER-NEFT*YESB0000001*YESBN12026121512453*CASHFREE PAYMENTS*RAHUL KUMAR SHARMA--",
        );
        check.amount = Decimal::ONE;
        let found = categorizer.categorize(&check, &context);
        assert_eq!(found.unclean_merchant, "CASHFREE");
        assert_ne!(found.category, "Self Transfer");
        // The holder's own transfer of more than a check stays a self transfer.
        check.amount = Decimal::new(5000, 0);
        assert_eq!(
            categorizer.categorize(&check, &context).category,
            "Self Transfer"
        );
        let reversed = categorize(
            TransactionType::Credit,
            "REV-NACH RETURN CHARGES-BAJAJ FINANCE",
        );
        assert_eq!(
            (
                reversed.category.as_str(),
                reversed.unclean_merchant.as_str()
            ),
            ("Refund", "")
        );
        for note in [
            "PROF TAX/WEST BENGAL/GRIPS 2612",
            "TO TRANSFER-INB PROFESSIONAL TAX KARNATAKA--",
        ] {
            let tax = categorize(TransactionType::Debit, note);
            assert_eq!(
                (tax.category.as_str(), tax.unclean_merchant.as_str()),
                ("Tax", ""),
                "{note}"
            );
        }
        let named = categorize(
            TransactionType::Debit,
            "IB/PT PAYMENT/PUNE MUNICIPAL CORP/526312349001",
        );
        assert_eq!(named.unclean_merchant, "PUNE MUNICIPAL CORP");
        let vi = categorize(TransactionType::Debit, "UPI/VI/660112340249/Recharge");
        assert_eq!(
            (vi.category.as_str(), vi.unclean_merchant.as_str()),
            ("Utilities", "VI")
        );
        // Two letters inside a longer field are no payee.
        assert_ne!(
            categorize(
                TransactionType::Debit,
                "UPI/DR/660112340250/VI KUMAR/SBIN/vikumar@oksbi"
            )
            .unclean_merchant,
            "VI"
        );
    }

    /// A sponsor bank squashes a lender's legal name and cuts it: the words of a lender's form
    /// glued after its name ("CAPITAL", "CREDIT", "HOUSINGFIN") still name the lender; a brand
    /// key is not followed by them.
    #[test]
    fn a_lender_glued_to_its_form_words_is_the_creditor() {
        for (note, lender) in [
            (
                "ACH D- TP ACH PIRAMALCAPITAL-PCHFL1234567",
                "Piramal Finance",
            ),
            (
                "ACH D- TP ACH SMFGINDIACREDIT-1234567890",
                "SMFG India Credit",
            ),
            ("ACH D- HOMECRINDFINPVTLTD-4012345678", "Home Credit"),
        ] {
            let found = categorize(TransactionType::Debit, note);
            assert_eq!(found.category, "EMI Payment", "{note}");
            assert_eq!(found.description, "lender_transaction", "{note}");
            assert_eq!(found.unclean_merchant, lender, "{note}");
        }
        assert!(is_tail(b"CAPITALPVTLTD", lender_form_words()));
        assert!(is_tail(b"HOUSINGFIN", lender_form_words()));
        assert!(!is_tail(b"CAPITAL", &[]));
        assert!(!is_tail(b"CAPITALMARKETS", lender_form_words()));
    }

    /// Batch AC (issue 10): a lender printed by its kind, cut or glued by the sponsor bank ("MICROFIN", "HOMEFIN",
    /// "HOUSING FIN"), is the creditor under its printed name, and KreditBee's NBFC by its legal name disburses; a firm
    /// whose name only begins like one ("HOUSING FINISHERS") is no lender. A bank's initials before a card row and a
    /// term deposit's own words name nobody.
    #[test]
    fn lenders_by_their_kind_cut_or_glued_and_deposit_words_naming_nobody() {
        for (note, payee) in [
            (
                "NACH DR/MIDLAND MICROFIN LTD/MML7712345",
                "MIDLAND MICROFIN",
            ),
            (
                "ACH DR/MUTHOOT HOMEFIN INDIA LTD/MHIL7712345",
                "MUTHOOT HOMEFIN",
            ),
            (
                "ACH DR/MAHINDRA RURAL HOUSING FIN/MRHFL77123",
                "MAHINDRA RURAL HOUSING FIN",
            ),
        ] {
            let found = categorize(TransactionType::Debit, note);
            assert_eq!(found.category, "EMI Payment", "{note}");
            assert_eq!(found.description, "lender_transaction", "{note}");
            assert!(
                found.unclean_merchant.contains(payee),
                "{note}: {}",
                found.unclean_merchant
            );
        }
        let disbursal = categorize(
            TransactionType::Credit,
            "IMPS/627112340125/CR/FINNOVATION TECH SOLUTIONS/ICIC",
        );
        assert_eq!(disbursal.category, "Loan Disbursed");
        assert_eq!(disbursal.unclean_merchant, "KreditBee");
        let firm = categorize(
            TransactionType::Debit,
            "NEFT/DR/IDFBN26196012345/SHREE HOUSING FINISHERS/INV 12",
        );
        assert_eq!(firm.category, "Transfer to SHREE HOUSING FINISHERS");
        let card = categorize(
            TransactionType::Debit,
            "SIB POS/KALYAN SILKS/THRISSUR/627112340316",
        );
        assert_eq!(card.category, "Shopping");
        assert_eq!(card.unclean_merchant, "KALYAN SILKS");
        for note in [
            "FD BOOKED :8291234590",
            "TRANSFER TO TERM DEPOSIT 1234567000001",
            "SWEEP IN FROM FD 2202123456789 BREAK",
        ] {
            let side = if note.starts_with("SWEEP IN") {
                TransactionType::Credit
            } else {
                TransactionType::Debit
            };
            let found = categorize(side, note);
            assert_eq!(found.unclean_merchant, "", "{note}");
        }
    }

    /// A mandate collected by an aggregator prints the aggregator first; the creditor after it is
    /// found whole or cut, with the mandate's reference glued on, and the decision says so.
    #[test]
    fn the_creditor_behind_a_mandate_aggregator_is_the_payee() {
        let cut = categorize(
            TransactionType::Debit,
            "ACH-DR-CTRAZORPAY-KREDITBEQ7r8s9-UTIB71",
        );
        assert_eq!(cut.category, "EMI Payment");
        assert_eq!(cut.unclean_merchant, "KreditBee");
        assert!(
            cut.decided_by().contains("behind its aggregator"),
            "{}",
            cut.decided_by()
        );
        let insurer = categorize(
            TransactionType::Debit,
            "ECS-LOTUSPAY SOLUTIONS P STARHEALTH 8023456712",
        );
        assert_eq!(insurer.category, "Insurance");
        // Without an aggregator the same glued word is left alone.
        let plain = categorize(
            TransactionType::Debit,
            "ACH-DR-SURESHTRADERS-KREDITBEQ7r8s9-UTIB71",
        );
        assert_ne!(plain.unclean_merchant, "KreditBee");
    }

    /// A lending bank printed without the word "bank" after an abbreviation is the lender of an
    /// ACH debit; a payments bank is not.
    #[test]
    fn an_ach_debit_to_a_bank_named_without_bank_is_an_emi() {
        let emi = categorize(
            TransactionType::Debit,
            "ACH/TPKOTAK KOTAK MAHINDRA/KKBK7021109/0211",
        );
        assert_eq!(emi.category, "EMI Payment");
        assert!(narration::ends_with_lending_bank(" XYZ IDFC FIRST "));
        assert!(!narration::ends_with_lending_bank(" TOPUP PAYTM PAYMENTS "));
        assert!(!narration::ends_with_lending_bank(" SHREE AU "));
    }

    /// The holder's names run together and cut at a field width are the holder; a shorter run
    /// or another person's run is not.
    #[test]
    fn the_holders_name_run_together_and_cut_is_a_self_transfer() {
        let own = categorize_for(
            "PRIYA RANJAN MEHTA",
            TransactionType::Debit,
            "UPI/PRIYARANJANMEHT/ 520811112222/Sent via app",
        );
        assert_eq!(own.category, "Self Transfer");
        let reordered = categorize_for(
            "PRIYA RANJAN MEHTA",
            TransactionType::Debit,
            "UPI/MEHTAPRIYARANJA/520811112223/NA",
        );
        assert_eq!(reordered.category, "Self Transfer");
        let other = categorize_for(
            "PRIYA RANJAN MEHTA",
            TransactionType::Debit,
            "UPI/PRIYARANJANKUMA/520811112224/NA",
        );
        assert_ne!(other.category, "Self Transfer");
        assert!(!run_cuts_holder(
            "PRIYARANJ",
            &["PRIYA".into(), "RANJAN".into()]
        ));
    }

    /// "Paid via <app>" names the app the payer used, not the payee.
    #[test]
    fn the_app_a_note_names_is_not_the_payee() {
        let person = categorize(
            TransactionType::Debit,
            "UPI/520811112225/Paid via CRED/9812312345@ybl/Sta",
        );
        assert_ne!(person.category, "Credit Card Payment");
        assert_eq!(
            narration::without_app_names(" UPI PAID VIA CRED REF "),
            " UPI PAID VIA REF "
        );
        // A gateway after "via" stays: the vocabulary reads it.
        assert_eq!(
            narration::without_app_names(" PAY VIA RAZORPAY "),
            " PAY VIA RAZORPAY "
        );
    }

    /// A deposit closed in the holder's own name has no counterparty.
    #[test]
    fn a_deposit_in_the_holders_name_names_no_counterparty() {
        let closed = categorize_for(
            "PRIYA RANJAN MEHTA",
            TransactionType::Credit,
            "450212345678 FD clos 02-02-2025 PRIYA RANJAN MEHTA",
        );
        assert_eq!(closed.transaction_channel, "investment_cashin");
        assert_eq!(closed.unclean_merchant, "");
    }

    /// Batch Y: a shop's trade word run together with its name, in the handle that stands for the
    /// payee or in the printed name, settles the category and is parted for display; words that
    /// only end like a trade word, and trades whose words end other words, are left alone.
    #[test]
    fn a_trade_word_run_together_with_the_shops_name_is_found() {
        let hospital = categorize(
            TransactionType::Debit,
            "WDL TFR:UPI  773812345917 yashodahospital.42512345@hdfcban:TRF TO 0093551234333",
        );
        assert_eq!(hospital.category, "Medical");
        assert_eq!(hospital.unclean_merchant, "YASHODA HOSPITAL");
        assert!(
            hospital.decided_by().contains("(trade word glued)"),
            "{}",
            hospital.decided_by()
        );
        let pump = categorize(
            TransactionType::Debit,
            "UPI-SAMAHITA FUELLINGSTATION-paytmqr1234567@paytm-PYTM0123456-512345678917-UPI",
        );
        assert_eq!(pump.category, "Fuel");
        assert_eq!(pump.unclean_merchant, "SAMAHITA FUELLING STATION");
        // "CORPORATION" ends with "RATION" (six letters, too short to be read glued); a premium
        // is an insurer's word, not a shop's; a person's handle holds no trade.
        for note in [
            "UPI/P2A/512312340201/SRINIDHI CORPORATION/SBI/Payment",
            "UPI/P2M/512312340202/YOUTUBEPREMIUM/Subscription/HDFC",
            "UPI-RAJESH KUMAR-rajeshkumar88@oksbi-SBIN0000001-512312340203-UPI",
        ] {
            let row = categorize(TransactionType::Debit, note);
            assert!(
                !row.decided_by().contains("trade word glued"),
                "{note}: {}",
                row.decided_by()
            );
        }
    }

    /// Batch Y: a NACH credit is a company's bulk payout, a dividend whoever the company is (a bank,
    /// a lender, an insurer, a name cut at 14 characters); a government scheme's credit and pay
    /// stay what they were.
    #[test]
    fn a_nach_credit_from_a_company_is_investment_income() {
        for note in [
            "CEMTEX DEP   ACHCr NACH00000000006516 IDFC FIRST BAN",
            "CEMTEX DEP ACHCr NACH00000000006602 BAJAJ FINANCE",
            "CEMTEX DEP   ACHCr NACH000 00000056295 MAZAGON DOCK S",
            "CEMTEX DEP ACHCr NACH00000000007789 LIC OF INDIA",
        ] {
            let row = categorize(TransactionType::Credit, note);
            assert_eq!(row.category, "Investment Income", "{note}");
            assert_eq!(row.transaction_channel, "investment_cashin", "{note}");
        }
        let lender = categorize(
            TransactionType::Credit,
            "CEMTEX DEP ACHCr NACH00000000006602 BAJAJ FINANCE",
        );
        assert_eq!(lender.rule_id, "R303");
        let scheme = categorize(TransactionType::Credit, "NACH CR PM KISAN");
        assert_eq!(scheme.transaction_channel, "auto_credit");
        assert_eq!(scheme.category, "Transfer from PM KISAN");
        let pay = categorize(TransactionType::Credit, "CEMTEX DEP   BY SALARY");
        assert_eq!(pay.category, "Salary");
        assert_eq!(pay.unclean_merchant, "");
    }

    /// Batch Y: a term deposit opened online, a card's forex-markup rows and a mandate an aggregator
    /// collects for a lender it prints after itself with no other field naming anybody.
    #[test]
    fn deposits_markups_and_aggregator_first_mandates() {
        let deposit = categorize_for(
            "RAHUL KUMAR SHARMA",
            TransactionType::Debit,
            "WDL TFR INB E-TDR/E-STDR 00451234164971 OF Mr RAHUL KUMAR SHARMA",
        );
        assert_eq!(deposit.category, "Investment");
        assert_eq!(deposit.unclean_merchant, "");
        for note in [
            "TO INTL. ECM DCC/798012/OPENAI *CHATGPT \\SAN FRANCISCO",
            "TO INTL. ECM MRK/612912345911/MIDJOURNEY INC SUBSCRIPTI",
        ] {
            let markup = categorize(TransactionType::Debit, note);
            assert_eq!(
                markup.transaction_channel, "international_transaction_arbitrage",
                "{note}"
            );
        }
        let mandate = categorize(
            TransactionType::Debit,
            "ECS-CASHFREE PAYMENTS IN P LENDINGKART1 7012345692",
        );
        assert_eq!(mandate.category, "EMI Payment");
        assert_eq!(mandate.unclean_merchant, "Lendingkart");
        let nobody = categorize(
            TransactionType::Debit,
            "ACHDR/CTLOTUSPAY/FDRL7022912340931/STAN:124971",
        );
        assert_eq!(nobody.unclean_merchant, "");
    }

    /// Batch AA: a trade word cut at the end of the payee's name, SBI's deposit-machine credit, a
    /// charge code glued to the card's digits, URL-encoded spaces, a cashback word glued to the app's
    /// name, IndusInd's biller slot, card bills collected over UPI, a loan repaid through BBPS on UPI
    /// and a PF claim settled; each case says which rule took it.
    #[test]
    fn batch_aa_shapes_are_read() {
        use TransactionType::{Credit, Debit};
        for (side, note, channel, category, merchant, rule) in [
            (
                Debit,
                "UPI/526312348847/surakshaa.healthcare@okbizaxis/SURAKSHAA HEALTHCA",
                "upi",
                "Medical",
                "SURAKSHAA HEALTHCA",
                "R290",
            ),
            (
                Credit,
                "CEMTEX DEP 00000007712 0 11024",
                "cash_deposit",
                "Cash Deposit",
                "",
                "R150",
            ),
            (
                Debit,
                "DCARDFEE4412APR26-MAR27",
                "bank_charge",
                "Bank Charges",
                "",
                "R081",
            ),
            (
                Credit,
                "EXCESS%20REFUND %204166444203660001",
                "refund",
                "Refund",
                "",
                "R110",
            ),
            (
                Credit,
                "UPI/NPCI BHIM/101124142600/B HIMCASHBACK",
                "refund",
                "Refund",
                "BHIM",
                "R110",
            ),
            (
                Debit,
                "Billpay/175412345678901/Electricity/PVVNL Postpaid",
                "bill_payment",
                "Utilities",
                "PVVNL POSTPAID",
                "R210",
            ),
            (
                Debit,
                "Billpay/174935888712345/Credit Card/Kotak Mahindra",
                "bill_payment",
                "Credit Card Payment",
                "KOTAK MAHINDRA",
                "R200",
            ),
            (
                Debit,
                "UPI/PICE/52631234890 0/CC Bill Pay for",
                "bill_payment",
                "Credit Card Payment",
                "PICE",
                "R187C",
            ),
            (
                Debit,
                "UPI/Shriram Finance/101118270332/ BBPS",
                "bill_payment",
                "EMI Payment",
                "Shriram Finance",
                "R199",
            ),
            (
                Credit,
                "BY TRANSFER-NEFT*SBIN0000691*EPFO0526312*EPFO CLAIM SETTLEMENT*--",
                "net_banking_transfer",
                "Transfer from EPFO CLAIM SETTLEMENT",
                "EPFO",
                "R108",
            ),
        ] {
            let found = categorize(side, note);
            assert_eq!(found.transaction_channel, channel, "{note}");
            assert_eq!(found.category, category, "{note}");
            assert_eq!(found.unclean_merchant, merchant, "{note}");
            assert_eq!(found.rule_id, rule, "{note}");
        }
        // Heads too short to be a cut trade word, a one-word name, and CEMTEX credits that say what
        // they are stay as they were.
        for (side, note, category) in [
            (
                Debit,
                "UPI/DR/412345678901/POLICE STATION/SBIN/q1234567@ybl/UPI",
                "Transfer to POLICE STATION",
            ),
            (
                Debit,
                "UPI/DR/412345678902/HEALTHCA/SBIN/q1234568@ybl/UPI",
                "Transfer to HEALTHCA",
            ),
            (
                Credit,
                "CEMTEX DEP ACHCr NACH00000000006531 INDIAN RAILWAY",
                "Investment Income",
            ),
            (
                Credit,
                "CEMTEX DEP:IMPS 617112345562 DRC 79011234702",
                "Others",
            ),
        ] {
            assert_eq!(categorize(side, note).category, category, "{note}");
        }
        assert!(categorize(
            Debit,
            "UPI/526312348847/surakshaa.healthcare@okbizaxis/SURAKSHAA HEALTHCA"
        )
        .decided_by()
        .contains("(trade word cut)"));
    }

    /// Batch AA: a transfer naming only banks and noted "self" is the holder's own; a deposit's row
    /// printing the holder's first name names no counterparty. A party named beside "self" and a person
    /// who shares the holder's first name stay transfers.
    #[test]
    fn self_notes_and_deposit_rows_name_the_holder() {
        use TransactionType::{Credit, Debit};
        let own = categorize(
            Debit,
            "IMPS/NA/XXXX5999/RRN:526312348884/2374394198660001/KOTAK MAHINDRA BANK LIMITED/KOTAK/self 526312348884",
        );
        assert_eq!(own.category, "Self Transfer");
        assert_eq!(own.rule_id, "R176N");
        let group = categorize(Credit, "NEFT/CR/SBIN0001234/MAHILA SELF HELP GROUP");
        assert!(
            group.category.starts_with("Transfer from "),
            "{}",
            group.category
        );
        let deposit = categorize(
            Credit,
            "FD MATURITY PROCEEDS :8280123456/23-05-26/ANANDA TO",
        );
        assert_eq!(deposit.category, "Investment Income");
        assert_eq!(deposit.unclean_merchant, "");
        let namesake = categorize(Debit, "UPI/ANANDA/526312348816/UPI");
        assert_eq!(namesake.category, "Transfer to ANANDA");
    }

    /// Batch AB (a business's current account): a gateway's settlement naming the merchant after
    /// itself, a firm named "ELECTRIC" before its trade paid by transfer, and a firm paid by UPI
    /// from a firm's account.
    #[test]
    fn business_account_payments_to_and_from_firms() {
        use TransactionType::{Credit, Debit};
        let categorizer = Categorizer::from_embedded_tables().expect("tables load");
        let held_by = |holder: &str, side, note: &str| {
            let context = EnrichmentContext {
                names: vec![holder.into()],
                ..EnrichmentContext::default()
            };
            categorizer.categorize(&transaction(side, note), &context)
        };
        let firm = "KESHAV AGRO TRADERS";
        let settled = held_by(
            firm,
            Credit,
            "NEFT CR-YESB0000001-BHARATPE SETTLEMENT-KESHAV AGRO TRADERS-YESBN12026072212346",
        );
        assert!(
            settled.category.starts_with("Transfer from "),
            "{}",
            settled.category
        );
        assert!(settled
            .unclean_merchant
            .to_ascii_uppercase()
            .contains("BHARATPE"));
        // Negative: the holder's own transfer naming no gateway is still a self transfer.
        let own = held_by(
            firm,
            Credit,
            "NEFT CR-SBIN0001234-KESHAV AGRO TRADERS-KESHAV AGRO TRADERS-SBINN52026072212346",
        );
        assert_eq!(own.category, "Self Transfer");
        let works = held_by(firm, Debit, "IMPS/DR/618012345704/PREM ELECTRIC WORKS/SBIN");
        assert_eq!(works.category, "Transfer to PREM ELECTRIC WORKS");
        // Negative: an electricity bill paid by transfer is still the bill.
        let bill = held_by(firm, Debit, "NEFT DR/UBINN26178123456/ELECTRIC BILL MSEDCL");
        assert_eq!(bill.category, "Utilities");
        let agency = "UPI-SAI KRUPA AGRO AGENCIES-saikrupaagro@ybl-YESB0YBLUPI-617712345702-UPI";
        let supplier = held_by(firm, Debit, agency);
        assert!(
            supplier.category.starts_with("Transfer to "),
            "{}",
            supplier.category
        );
        // Negative: the same payment from a person's account stays a shop's "Others".
        let shop = held_by("RAHUL KUMAR SHARMA", Debit, agency);
        assert_eq!(shop.category, "Others");
    }

    /// Batch AD: a trade phrase cut inside its last word after its other words printed whole, and a
    /// trade word run into the handle of a payee whose printed name the field cut short, say what the
    /// shop sells; an app in the payee's place of a UPI cashback or account check paid itself. The
    /// same short head without the phrase's words, a handle that does not spell the printed name, and
    /// an app printed after a note stay as they were.
    #[test]
    fn cut_phrases_handles_beyond_cut_names_and_apps_paying_themselves() {
        use TransactionType::{Credit, Debit};
        for (note, category, merchant, decided) in [
            (
                "UPI/P2M/612345678901/JAI MATA DI FILLING STAT/UPI/Bank of Baroda",
                "Fuel",
                "JAI MATA DI FILLING STAT",
                "(trade word cut)",
            ),
            (
                "UPI/P2M/612345678902/SUNRISE EYE HOSP/OPD/HDFC BANK",
                "Medical",
                "SUNRISE EYE HOSP",
                "(trade word cut)",
            ),
            (
                "TO TRANSFER-UPI/DR/612345678903/MAHAVEER/SBIN/mahaveermedicals@sbi/Medic--",
                "Medical",
                "MAHAVEER",
                "(trade word glued in handle)",
            ),
        ] {
            let found = categorize(Debit, note);
            assert_eq!(found.category, category, "{note}");
            assert_eq!(found.unclean_merchant, merchant, "{note}");
            assert!(
                found.decided_by().contains(decided),
                "{note}: {}",
                found.decided_by()
            );
        }
        for (note, category) in [
            (
                "UPI/P2M/612345678904/RAMESH STAT/UPI/Bank of Baroda",
                "Transfer to RAMESH STAT",
            ),
            (
                "TO TRANSFER-UPI/DR/612345678905/GOVIND K/SBIN/mahaveermedicals@sbi/Medic--",
                "Transfer to GOVIND K",
            ),
        ] {
            assert_eq!(categorize(Debit, note).category, category, "{note}");
        }
        let cashback = categorize(Credit, "UPI/612345678906/CR/PHONEPE/ICIC/cashback@ybl");
        assert_eq!(cashback.category, "Refund");
        assert_eq!(cashback.unclean_merchant, "PHONEPE");
        let app_after_note = categorize(
            Credit,
            "UPI/P2M/612345678907/CASHBACK/Paytm/Paytm Payments Bank",
        );
        assert_eq!(app_after_note.unclean_merchant, "");
        let categorizer = Categorizer::from_embedded_tables().expect("tables load");
        let mut check = transaction(
            Credit,
            "UPI/612345678908/Account verification/verify.cashfree@icici/ICICI Bank/ICI1a2b3c4d",
        );
        check.amount = Decimal::ONE;
        let check = categorizer.categorize(&check, &EnrichmentContext::default());
        assert!(
            check.category.starts_with("Transfer from "),
            "{}",
            check.category
        );
        // A gateway's UPI credit that is neither a check nor a cashback names nobody, as before.
        let payment = categorize(Credit, "UPI/612345678909/CR/PHONEPE/YESB/q1234567@ybl");
        assert_eq!(payment.unclean_merchant, "");
    }

    /// Batch AE: a brand cut inside its last word, trade words only the handle holds (completing a
    /// cut name, ending the handle, opening a merchant-only handle), a bare MCC after a network's
    /// "DEBIT POS", a scheme paid by a government's ACH, and services with no merchant category.
    #[test]
    fn cut_brands_trade_words_in_handles_schemes_and_services() {
        use TransactionType::{Credit, Debit};
        for (holder, side, note, category, merchant, decided) in [
            (
                "ANANDA P",
                Debit,
                "POS/SWIGGY INSTAM/PUNE/010126/20:10/612345670001",
                "Groceries",
                "Instamart",
                "(brand cut)",
            ),
            (
                "NEHA JOSHI",
                Debit,
                "TO TRANSFER-UPI/DR/612345670002/JOSHI K/YESB/joshikirana@ybl/UPI--",
                "Groceries",
                "JOSHI K",
                "(trade word in handle)",
            ),
            (
                "ANANDA P",
                Debit,
                "UPI/612345670003/DR/SUNIL KUMAR VERMA/BARB/sunilvermagrocery@okaxis",
                "Groceries",
                "SUNIL KUMAR VERMA",
                "(trade word in handle)",
            ),
            (
                "ANANDA P",
                Debit,
                "UPI/612345670004/Payment from Ph/bakeryhouse.12@okbizaxis/Axis Bank Ltd./ICI1a2b3c4e",
                "Food",
                "bakeryhouse.12@okbizaxis",
                "(trade word in handle)",
            ),
            (
                "ANANDA P",
                Debit,
                "RUPAY DEBIT/POS/5912/SHIV SHAKTI/KANPUR",
                "Medical",
                "SHIV SHAKTI",
                "(mcc)",
            ),
            (
                "ANANDA P",
                Debit,
                "UPI/P2M/612345670005/GLAMOUR UNISEX SALON/UPI/HDFC BANK",
                "Others",
                "GLAMOUR UNISEX SALON",
                "SALON (counterparty)",
            ),
        ] {
            let found = categorize_for(holder, side, note);
            assert_eq!(found.category, category, "{note}");
            assert_eq!(found.unclean_merchant, merchant, "{note}");
            assert!(
                found.decided_by().contains(decided),
                "{note}: {}",
                found.decided_by()
            );
        }
        let salon = categorize(
            Debit,
            "UPI/P2M/612345670005/GLAMOUR UNISEX SALON/UPI/HDFC BANK",
        );
        assert_eq!(salon.merchant_category, "");
        // Controls: a person's handle ending in a short word, a bare number after a bank's own "POS"
        // (a card's last digits), a cut word no brand of several words heads.
        for (note, category) in [
            (
                "UPI/612345670006/DR/PRIYA MEHTA/BARB/priyamehtacafe@okaxis",
                "Transfer to PRIYA MEHTA",
            ),
            ("POS/5411/RAMESH KUMAR/KANPUR/612345670007", "Others"),
        ] {
            assert_eq!(categorize(Debit, note).category, category, "{note}");
        }
        for (note, payer) in [
            (
                "ACH CR/BIHAR GOVT/MUKHYAMANTRI KANYA UTTHAN YOJANA",
                "MUKHYAMANTRI KANYA UTTHAN YOJANA",
            ),
            ("ACH CR ODISHA GOVT KALIA SCHEME", "KALIA SCHEME"),
            (
                "ACH CR/GOVT OF ASSAM/ORUNODOI YOJANA/AS123",
                "ORUNODOI YOJANA",
            ),
        ] {
            let found = categorize(Credit, note);
            assert_eq!(found.category, format!("Transfer from {payer}"), "{note}");
            assert_eq!(found.transaction_channel, "auto_credit", "{note}");
        }
        // A company's ACH credit stays a dividend; a government naming no scheme stays the payer.
        assert_eq!(
            categorize(Credit, "ACH CR/NTPC LIMITED/FINAL DIV").category,
            "Investment Income"
        );
        assert_eq!(
            categorize(Credit, "ACH CR/GOVT OF GOA/REF 12345").category,
            "Transfer from GOVT OF GOA"
        );
    }

    #[test]
    fn batch_af_cut_insurers_dealers_chits_exchanges_and_card_bills() {
        use TransactionType::{Credit, Debit};
        let mut wrong = Vec::new();
        for (side, note, category, merchant, decided) in [
            // A cut LIC after the trade phrase its name opens with.
            (
                Debit,
                "ACH D- LIFE INSURANCE CORPORATI-LIC123456789",
                "Insurance",
                "LIC",
                "(counterparty cut)",
            ),
            // A bank's own words before the trade word: named as printed.
            (
                Debit,
                "UPI/P2M/612345670101/SHREE MUTUAL BENEFIT FUN/SIP/HDFC BANK",
                "Investment",
                "SHREE MUTUAL BENEFIT FUN",
                "R2",
            ),
            // An HP dealer keeps its own name; the bare network keeps the brand.
            (
                Debit,
                "POS/M S KRISHNA HP PETROL PUMP/NAGPUR/150626/08:12/612345670102",
                "Fuel",
                "M S KRISHNA HP PETROL PUMP",
                "HP PETROL",
            ),
            (
                Debit,
                "POS 416021XXXXXX1234 HP PETROL PUMP",
                "Fuel",
                "HPCL",
                "HP PETROL",
            ),
            (
                Debit,
                "UPIAR/612345670103/DR/JAI HANUMAN AUTOMOBILES/HDFC/hpcl.13624510@hdfcbank",
                "Fuel",
                "JAI HANUMAN AUTOMOBILES",
                "(handle)",
            ),
            // A jeweller named after a gold lender is a shop.
            (
                Debit,
                "UPI/P2M/612345670104/MANAPPURAM JEWELLERS/Gold/ICICI BANK",
                "Shopping",
                "MANAPPURAM JEWELLERS",
                "JEWELLERS",
            ),
            // Chit funds are savings; crypto exchanges are trading.
            (
                Debit,
                "ACH D- SHRIRAM CHITS PVT LTD-SCPL123456",
                "Investment",
                "SHRIRAM CHITS PVT LTD",
                "R242",
            ),
            (
                Credit,
                "NEFT/UTIBN26166123405/SHRIRAM CHITS TAMILNADU/PRIZE AMOUNT",
                "Investment Income",
                "SHRIRAM CHITS TAMILNADU",
                "R122",
            ),
            (
                Debit,
                "UPI-ZANMAI LABS PVT LTD-wazirx.payu@hdfcbank-HDFC0MERUPI-612345670105-DEPOSIT",
                "Investment",
                "WazirX",
                "R241",
            ),
            // A card bill naming the bank where the payee's field stood.
            (
                Debit,
                "UPI-HDFC BANK RUPAY CC-hdfcrupaycc@hdfcbank-HDFC0000001-612345670106-CC BILL",
                "Credit Card Payment",
                "Hdfc Bank Rupay Cc",
                "R187C",
            ),
            (
                Debit,
                "BBPS/AU SMALL FINANCE BANK CC/PNB/612345670107",
                "Credit Card Payment",
                "Au Small Finance Bank Cc",
                "R201C",
            ),
            // An employer named as printed; a bank paying a salary named too.
            (
                Credit,
                "NEFT CR/SAL/JUN26/AVENUE SUPERMARTS LTD",
                "Salary",
                "AVENUE SUPERMARTS LTD",
                "R130",
            ),
            // A salary advance from a lender is a loan; rent through a bills app a transfer.
            (
                Credit,
                "UPI/CR/612345670108/REFYNE/ICIC/refyne.disb@icici/Salary advance",
                "Loan Disbursed",
                "Refyne",
                "R129U",
            ),
            (
                Debit,
                "UPI/CRED/612345670109/Rent payment",
                "Transfer to CRED",
                "CRED",
                "R196B",
            ),
            // A forex card loaded names nobody; a gold loan's interest is its EMI.
            (
                Debit,
                "FOREX CARD LOAD/MULTI CURRENCY CARD/EUR 600",
                "E-Wallet",
                "",
                "R069",
            ),
            (
                Debit,
                "GOLD LOAN INTEREST DEBITED 12345678",
                "EMI Payment",
                "",
                "R059G",
            ),
            (
                Debit,
                "TO TRANSFER-INB SBI COLLECT ANNA UNIVERSITY EXAM FEE--",
                "Transfer to SBI ANNA UNIVERSITY EXAM FEE",
                "SBI ANNA UNIVERSITY EXAM FEE",
                "R079",
            ),
        ] {
            let found = categorize_for("ANANDA P", side, note);
            if found.category != category
                || found.unclean_merchant != merchant
                || !found.decided_by().contains(decided)
            {
                wrong.push(format!(
                    "{note}: {} | {:?} [{}]",
                    found.category,
                    found.unclean_merchant,
                    found.decided_by()
                ));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }
}
