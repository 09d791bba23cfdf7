//! Bank knowledge as data: the FinBox bank catalogue plus a detection table (IFSC prefixes, MICR
//! codes, printed names, PDF producers), and the scoring that names a statement's bank.
//!
//! Both tables are embedded TSV files so adding a bank or an alias is a one-line data change.
//! They are parsed once, on first use.

use aho_corasick::AhoCorasick;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::OnceLock;

const DETECTION_TABLE: &str = include_str!("../data/banks.tsv");
const CATALOGUE_TABLE: &str = include_str!("../data/finbox_banks.tsv");
const SIGNAL_TABLE: &str = include_str!("../data/bank_signals.tsv");

/// Marks a detection row whose aliases name something that is not a bank (a regulator, say).
const NOT_A_BANK: &str = "-";

/// One bank FinBox knows, as listed in its bank-identifier appendix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CatalogueEntry {
    /// Lower-case FinBox id, as used in API responses (`hdfc`, `pnbbnk`).
    pub id: String,
    pub name: String,
    pub net_banking_available: bool,
    pub manual_upload_available: bool,
}

/// Everything known about one bank; every catalogue bank has one, big banks carry detection data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BankInfo {
    /// Lower-case FinBox id.
    pub id: String,
    pub name: String,
    /// Four-letter IFSC prefixes, including those of banks merged into this one.
    pub ifsc_prefixes: Vec<String>,
    /// Three-digit MICR bank codes (digits 4–6 of a MICR code).
    pub micr_codes: Vec<String>,
    /// Names as printed on statements, normalised (see [`normalise_name`]).
    pub aliases: Vec<String>,
    /// Substrings of the PDF producer/creator unique to this bank's e-statements.
    pub producer_hints: Vec<String>,
}

/// The detected bank with the evidence that named it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BankEvidence {
    pub bank: &'static BankInfo,
    pub score: u32,
    pub reasons: Vec<String>,
}

/// A defect in one of the embedded tables (caught by this module's tests).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BankTableError {
    #[error("{table} line {line}: {problem}")]
    Malformed {
        table: &'static str,
        line: usize,
        problem: String,
    },
}

/// All 346 FinBox bank identifiers, in the appendix's order.
pub fn catalogue() -> &'static [CatalogueEntry] {
    &registry().catalogue
}

/// Looks a bank up by FinBox id, ignoring case (`"HDFC"` and `"hdfc"` both work).
pub fn bank_by_id(id: &str) -> Option<&'static BankInfo> {
    let registry = registry();
    let index = *registry.by_id.get(&id.trim().to_ascii_lowercase())?;
    registry.banks.get(index)
}

/// Whether a statement detected as `detected` may be filed under the FinBox id `named`: the
/// same bank, or one merged into it (an Andhra Bank statement reads as Union Bank of India,
/// whose detection row carries Andhra Bank's name and IFSC prefix).
pub fn answers_to(detected: &BankInfo, named: &str) -> bool {
    let named = named.trim();
    if detected.id.eq_ignore_ascii_case(named) {
        return true;
    }
    let registry = registry();
    registry
        .by_id
        .get(&named.to_ascii_lowercase())
        .and_then(|index| registry.catalogue.get(*index))
        .is_some_and(|entry| {
            let name = catalogue_alias(&entry.name);
            detected.aliases.contains(&name)
        })
}

/// The bank owning an IFSC (`HDFC0001234`) or a bare four-letter prefix (`HDFC`).
pub fn bank_from_ifsc(ifsc: &str) -> Option<&'static BankInfo> {
    let code = ifsc.trim().to_ascii_uppercase();
    let is_bare_prefix = code.len() == 4 && code.bytes().all(|b| b.is_ascii_uppercase());
    if !is_ifsc(&code) && !is_bare_prefix {
        return None;
    }
    let registry = registry();
    let index = *registry.by_ifsc_prefix.get(code.get(..4)?)?;
    registry.banks.get(index)
}

/// The bank owning a nine-digit MICR code (city, bank, branch: the middle three name the bank).
pub fn bank_from_micr(micr: &str) -> Option<&'static BankInfo> {
    let code = micr.trim();
    if !is_micr(code) {
        return None;
    }
    let registry = registry();
    let index = *registry.by_micr_code.get(code.get(3..6)?)?;
    registry.banks.get(index)
}

/// True when `text` names any bank (word-boundary match on the known aliases), e.g. to keep a
/// letterhead line from being mistaken for the account holder's name.
pub fn mentions_bank(text: &str) -> bool {
    !registry().mentions_in(text).is_empty()
}

/// `AAAA0XXXXXX`: four letters, a zero, six letters or digits (upper-case, as printed).
pub fn is_ifsc(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 11
        && b[..4].iter().all(|c| c.is_ascii_uppercase())
        && b[4] == b'0'
        && b[5..]
            .iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

/// Nine digits.
pub fn is_micr(s: &str) -> bool {
    s.len() == 9 && s.bytes().all(|b| b.is_ascii_digit())
}

/// Upper-cases, reads `&` as `AND`, turns all other punctuation into spaces and collapses runs
/// of spaces, so "The Jammu & Kashmir Bank Ltd." and "THE JAMMU AND KASHMIR BANK LTD" compare equal.
pub fn normalise_name(text: &str) -> String {
    let mut spaced = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => spaced.push_str(" AND "),
            c if c.is_ascii_alphanumeric() => spaced.push(c.to_ascii_uppercase()),
            _ => spaced.push(' '),
        }
    }
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

// ---------------------------------------------------------------------------------------------
// Detection
// ---------------------------------------------------------------------------------------------

/// An IFSC handed over by the caller (from the identity block) is near-proof of the bank.
const SCORE_GIVEN_IFSC: u32 = 100;
/// An IFSC merely seen in the text could be a counterparty's, so it counts for less.
const SCORE_IFSC_IN_TEXT: u32 = 60;
const SCORE_MICR_IN_TEXT: u32 = 30;
const SCORE_PRODUCER_HINT: u32 = 40;
const SCORE_PRODUCER_NAME: u32 = 20;
/// Each repeat mention of an already-seen bank adds a little, capped, so a bank named in many
/// narrations cannot outvote the one named once in the letterhead.
const SCORE_REPEAT_MENTION: u32 = 2;
const MAX_REPEAT_BONUS: u32 = 6;
/// Below this, the evidence is too thin to name a bank.
const MIN_DETECTION_SCORE: u32 = 10;

// Indirect signals: each is shared with other banks or borrowed by them, so each weighs little
// and a bank is named from them only when several kinds agree (see [`Confidence::Weak`]).
/// An account number of the bank's length and prefix; a bare length is shared by many banks.
const SCORE_ACCOUNT_PREFIX: u32 = 8;
const SCORE_ACCOUNT_LENGTH: u32 = 3;
const SCORE_PHRASE: u32 = 8;
/// Per heading phrase of the bank's own statements, at most [`MAX_HEADING_SCORE`] in all.
const SCORE_HEADING: u32 = 4;
const MAX_HEADING_SCORE: u32 = 8;
/// The bank's own narration conventions on a good share of the rows.
const SCORE_NARRATION_CONVENTION: u32 = 10;
/// IFSC prefixes in narrations are mostly counterparties'; the majority one is the account's
/// own bank only on statements whose narrations carry the bank's own code.
const SCORE_NARRATION_IFSC: u32 = 6;
/// Rows needed before narrations count at all, and the share a bank's marks must reach.
const MIN_NARRATION_ROWS: usize = 5;
const MIN_NARRATION_SHARE: f64 = 0.3;
const MIN_IFSC_SHARE: f64 = 0.5;
/// Indirect evidence naming a bank on its own: at least this, twice the runner-up's, from at
/// least two kinds of signal. Borrowed wording plus a shared account shape stays below it;
/// the bank's own narration conventions on many rows plus one more kind reach it.
const MIN_INDIRECT_SCORE: u32 = 18;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SignalKind {
    Account,
    Phrase,
    Heading,
    Narration,
    NarrationIfsc,
}

/// One row of `bank_signals.tsv`.
struct Signal {
    bank: usize,
    kind: SignalKind,
    /// Account shapes: the length; others unused.
    length: usize,
    /// Account prefix, normalised phrase/heading (padded with spaces), or upper-cased
    /// narration start.
    text: String,
}

fn score_indirect(registry: &Registry, tally: &mut Tally, signals: &BankSignals) {
    if let Some(account) = signals.account_number {
        score_account_shape(registry, tally, account);
    }
    let header = format!(" {} ", normalise_name(&signals.header_lines.join(" ")));
    let headings = format!(" {} ", normalise_name(&signals.headings.join(" ")));
    let mut heading_scores: HashMap<usize, u32> = HashMap::new();
    for signal in &registry.signals {
        match signal.kind {
            SignalKind::Phrase if header.contains(&signal.text) => {
                let reason = format!("\"{}\" in the header", signal.text.trim());
                tally.add_indirect(signal.bank, SignalKind::Phrase, SCORE_PHRASE, reason);
            }
            SignalKind::Heading if headings.contains(&signal.text) => {
                let so_far = heading_scores.entry(signal.bank).or_insert(0);
                let score = SCORE_HEADING.min(MAX_HEADING_SCORE.saturating_sub(*so_far));
                *so_far += score;
                let reason = format!("column heading \"{}\"", signal.text.trim());
                tally.add_indirect(signal.bank, SignalKind::Heading, score, reason);
            }
            _ => {}
        }
    }
    score_narrations(registry, tally, signals.narrations);
}

fn score_account_shape(registry: &Registry, tally: &mut Tally, account: &str) {
    let printed: String = account.chars().filter(|c| !c.is_whitespace()).collect();
    let length = printed.chars().count();
    let digits_only = printed.chars().all(|c| c.is_ascii_digit());
    // One score per bank: the best-fitting shape.
    let mut best: HashMap<usize, u32> = HashMap::new();
    for signal in registry
        .signals
        .iter()
        .filter(|s| s.kind == SignalKind::Account)
    {
        if signal.length != length {
            continue;
        }
        let score = if signal.text.is_empty() {
            SCORE_ACCOUNT_LENGTH
        } else if digits_only && printed.starts_with(&signal.text) {
            SCORE_ACCOUNT_PREFIX
        } else {
            continue;
        };
        let entry = best.entry(signal.bank).or_insert(0);
        *entry = (*entry).max(score);
    }
    let mut banks: Vec<(usize, u32)> = best.into_iter().collect();
    banks.sort_unstable();
    for (bank, score) in banks {
        let reason = format!("account number of {length} characters");
        tally.add_indirect(bank, SignalKind::Account, score, reason);
    }
}

/// Narration conventions and IFSC prefixes, by majority over the rows.
fn score_narrations(registry: &Registry, tally: &mut Tally, narrations: &[&str]) {
    if narrations.len() < MIN_NARRATION_ROWS {
        return;
    }
    let mut convention_rows: HashMap<usize, usize> = HashMap::new();
    let mut ifsc_rows: HashMap<usize, usize> = HashMap::new();
    let mut rows_with_ifsc = 0;
    for note in narrations {
        let upper = note.trim_start().to_uppercase();
        let mut marked: Vec<usize> = registry
            .signals
            .iter()
            .filter(|s| s.kind == SignalKind::Narration && upper.starts_with(&s.text))
            .map(|s| s.bank)
            .collect();
        marked.dedup();
        for bank in marked {
            *convention_rows.entry(bank).or_insert(0) += 1;
        }
        let mut banks: Vec<usize> = upper
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter_map(|token| ifsc_bank_index(registry, token))
            .collect();
        banks.sort_unstable();
        banks.dedup();
        if !banks.is_empty() {
            rows_with_ifsc += 1;
        }
        for bank in banks {
            *ifsc_rows.entry(bank).or_insert(0) += 1;
        }
    }
    let rows = narrations.len() as f64;
    if let Some((bank, count)) = majority(&convention_rows) {
        if count >= MIN_NARRATION_ROWS && count as f64 >= rows * MIN_NARRATION_SHARE {
            let reason = format!("own narration conventions on {count} rows");
            tally.add_indirect(
                bank,
                SignalKind::Narration,
                SCORE_NARRATION_CONVENTION,
                reason,
            );
        }
    }
    if let Some((bank, count)) = majority(&ifsc_rows) {
        if count >= MIN_NARRATION_ROWS && count as f64 >= rows_with_ifsc as f64 * MIN_IFSC_SHARE {
            let reason = format!("IFSC prefix on {count} of {rows_with_ifsc} narrations");
            tally.add_indirect(
                bank,
                SignalKind::NarrationIfsc,
                SCORE_NARRATION_IFSC,
                reason,
            );
        }
    }
}

/// The bank with the most rows, if no other bank has as many.
fn majority(counts: &HashMap<usize, usize>) -> Option<(usize, usize)> {
    let (&bank, &count) = counts
        .iter()
        .max_by_key(|(bank, count)| (**count, std::cmp::Reverse(**bank)))?;
    let tied = counts.iter().any(|(b, c)| *b != bank && *c == count);
    (!tied).then_some((bank, count))
}

/// Names the statement's bank from header/footer text, an IFSC and the PDF producer.
///
/// `lines_text` should be the lines above the transaction table of page 1 followed by footer
/// lines, top first: earlier lines weigh more, because the letterhead is where a bank names
/// itself. Returns `None` when nothing credible was found.
pub fn detect_bank(
    lines_text: &[String],
    ifsc: Option<&str>,
    producer: Option<&str>,
) -> Option<BankEvidence> {
    let signals = BankSignals {
        header_lines: lines_text,
        ifsc,
        producer,
        ..BankSignals::default()
    };
    weigh_bank(&signals)
        .filter(|(_, confidence)| *confidence == Confidence::Strong)
        .map(|(evidence, _)| evidence)
}

/// Everything a statement offers about its bank.
#[derive(Debug, Clone, Copy, Default)]
pub struct BankSignals<'a> {
    /// Page 1's lines above the table, then page furniture (footers), top first.
    pub header_lines: &'a [String],
    /// The IFSC read from the identity block.
    pub ifsc: Option<&'a str>,
    pub producer: Option<&'a str>,
    /// As printed (possibly masked).
    pub account_number: Option<&'a str>,
    /// The table's column headings.
    pub headings: &'a [String],
    /// Every row's narration.
    pub narrations: &'a [&'a str],
}

/// How far the evidence for the best-scoring bank goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// Named or coded in the header, footer or producer: enough to refuse a statement that
    /// was uploaded as another bank's.
    Strong,
    /// Only indirect signals (account shape, wording, narration conventions), several of them
    /// agreeing and no other bank close: a reading to report, never grounds for a refusal.
    Weak,
    /// Some evidence, not enough to name the bank.
    Unsure,
}

/// The best-supported bank and how sure the evidence makes it. Header evidence (names, IFSC,
/// MICR, producer) decides whenever there is any; indirect signals only choose among banks
/// the header leaves equal, or stand alone when the header names no bank at all.
pub fn weigh_bank(signals: &BankSignals) -> Option<(BankEvidence, Confidence)> {
    let registry = registry();
    let mut tally = Tally::default();
    if let Some(code) = signals.ifsc {
        if let Some(index) = ifsc_bank_index(registry, code) {
            tally.add(
                index,
                SCORE_GIVEN_IFSC,
                format!("IFSC {} given", code.trim()),
            );
        }
    }
    for (position, line) in signals.header_lines.iter().enumerate() {
        score_line(registry, &mut tally, position, line);
    }
    if let Some(producer) = signals.producer {
        score_producer(registry, &mut tally, producer);
    }
    score_indirect(registry, &mut tally, signals);
    tally.judge(registry)
}

/// Running per-bank scores, in order of first evidence (which breaks ties).
#[derive(Default)]
struct Tally {
    entries: Vec<(usize, u32, Vec<String>)>,
    name_mentions: HashMap<usize, u32>,
    /// Indirect evidence per bank: score and the kinds of signal that gave it.
    indirect: HashMap<usize, (u32, Vec<SignalKind>)>,
}

impl Tally {
    fn add(&mut self, bank: usize, score: u32, reason: String) {
        match self.entries.iter_mut().find(|(b, _, _)| *b == bank) {
            Some((_, total, reasons)) => {
                *total += score;
                reasons.push(reason);
            }
            None => self.entries.push((bank, score, vec![reason])),
        }
    }

    fn add_indirect(&mut self, bank: usize, kind: SignalKind, score: u32, reason: String) {
        let (total, kinds) = self.indirect.entry(bank).or_default();
        *total += score;
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
        self.add(bank, score, reason);
    }

    fn indirect_score(&self, bank: usize) -> u32 {
        self.indirect.get(&bank).map_or(0, |(score, _)| *score)
    }

    /// Picks the bank with the most header evidence (total score breaking ties), or, with no
    /// header evidence anywhere, the one with the most indirect evidence; then grades it.
    fn judge(self, registry: &'static Registry) -> Option<(BankEvidence, Confidence)> {
        let direct = |entry: &(usize, u32, Vec<String>)| {
            entry.1.saturating_sub(self.indirect_score(entry.0))
        };
        let mut best: Option<&(usize, u32, Vec<String>)> = None;
        for entry in &self.entries {
            let better = best.is_none_or(|b| {
                let (d, bd) = (
                    direct(entry) >= MIN_DETECTION_SCORE,
                    direct(b) >= MIN_DETECTION_SCORE,
                );
                (d, entry.1) > (bd, b.1)
            });
            if better {
                best = Some(entry);
            }
        }
        let (bank, score, reasons) = best?.clone();
        let runner_up = self
            .entries
            .iter()
            .filter(|entry| entry.0 != bank)
            .map(|entry| entry.1)
            .max()
            .unwrap_or(0);
        let kinds = self.indirect.get(&bank).map_or(0, |(_, kinds)| kinds.len());
        let confidence = if score.saturating_sub(self.indirect_score(bank)) >= MIN_DETECTION_SCORE {
            Confidence::Strong
        } else if score >= MIN_INDIRECT_SCORE && score >= 2 * runner_up && kinds >= 2 {
            Confidence::Weak
        } else {
            Confidence::Unsure
        };
        let evidence = BankEvidence {
            bank: registry.banks.get(bank)?,
            score,
            reasons,
        };
        Some((evidence, confidence))
    }

    /// The first mention of a bank's name scores in full; repeats add a small capped bonus.
    fn add_name_mention(&mut self, bank: usize, weight: u32, reason: String) {
        let seen = self.name_mentions.entry(bank).or_insert(0);
        *seen += 1;
        let score = if *seen == 1 {
            weight
        } else if (*seen - 1) * SCORE_REPEAT_MENTION <= MAX_REPEAT_BONUS {
            SCORE_REPEAT_MENTION
        } else {
            0
        };
        self.add(bank, score, reason);
    }
}

/// Lines near the top of the header are the letterhead; later ones are addresses and footers.
fn position_weight(position: usize) -> u32 {
    match position {
        0..=1 => 40,
        2..=5 => 25,
        6..=11 => 15,
        _ => 10,
    }
}

fn score_line(registry: &Registry, tally: &mut Tally, position: usize, line: &str) {
    let weight = position_weight(position);
    for mention in registry.mentions_in(line) {
        // One-word aliases (SBI, HDFC, AXIS) also occur in product and counterparty names.
        let alias_weight = if mention.word_count >= 2 {
            weight
        } else {
            weight / 2
        };
        let reason = format!("\"{}\" on line {}", mention.alias, position + 1);
        tally.add_name_mention(mention.bank, alias_weight, reason);
    }
    for token in line.split(|c: char| !c.is_ascii_alphanumeric()) {
        if is_ifsc(token) {
            if let Some(index) = ifsc_bank_index(registry, token) {
                let reason = format!("IFSC {token} on line {}", position + 1);
                tally.add(index, SCORE_IFSC_IN_TEXT, reason);
            }
        }
    }
    if line.to_ascii_uppercase().contains("MICR") {
        for token in line.split(|c: char| !c.is_ascii_digit()) {
            if let Some(index) = micr_bank_index(registry, token) {
                let reason = format!("MICR {token} on line {}", position + 1);
                tally.add(index, SCORE_MICR_IN_TEXT, reason);
            }
        }
    }
}

fn score_producer(registry: &Registry, tally: &mut Tally, producer: &str) {
    let lowered = producer.to_lowercase();
    for (index, bank) in registry.banks.iter().enumerate() {
        let hinted = bank
            .producer_hints
            .iter()
            .any(|hint| lowered.contains(&hint.to_lowercase()));
        if hinted {
            let reason = format!("producer \"{producer}\"");
            tally.add(index, SCORE_PRODUCER_HINT, reason);
        }
    }
    for mention in registry.mentions_in(producer) {
        let reason = format!("\"{}\" in producer", mention.alias);
        tally.add(mention.bank, SCORE_PRODUCER_NAME, reason);
    }
}

fn ifsc_bank_index(registry: &Registry, code: &str) -> Option<usize> {
    // Asked of every token of every narration: an IFSC is 11 bytes, upper-cased or not, so
    // other tokens are turned away before a copy is made.
    let code = code.trim();
    if code.len() != 11 {
        return None;
    }
    let code = code.to_ascii_uppercase();
    is_ifsc(&code).then_some(())?;
    registry.by_ifsc_prefix.get(code.get(..4)?).copied()
}

fn micr_bank_index(registry: &Registry, code: &str) -> Option<usize> {
    is_micr(code).then_some(())?;
    registry.by_micr_code.get(code.get(3..6)?).copied()
}

// ---------------------------------------------------------------------------------------------
// Registry
// ---------------------------------------------------------------------------------------------

struct Registry {
    catalogue: Vec<CatalogueEntry>,
    /// One per catalogue entry, same order.
    banks: Vec<BankInfo>,
    by_id: HashMap<String, usize>,
    by_ifsc_prefix: HashMap<String, usize>,
    by_micr_code: HashMap<String, usize>,
    /// Longest first, so the first non-overlapping match is the most specific name.
    aliases: Vec<Alias>,
    /// Indirect evidence (`bank_signals.tsv`).
    signals: Vec<Signal>,
    /// Every padded alias in one automaton, pattern ids in `aliases` order: one pass over a
    /// line says which aliases occur at all, instead of one substring search per alias.
    /// `None` (the automaton could not be built) means every alias is searched for.
    alias_finder: Option<AhoCorasick>,
}

struct Alias {
    /// Normalised, padded with one space each side for word-boundary search.
    padded: String,
    word_count: usize,
    /// `None` for phrases that are not banks but contain bank names.
    bank: Option<usize>,
}

struct Mention<'a> {
    bank: usize,
    alias: &'a str,
    word_count: usize,
}

impl Registry {
    /// Bank names found in `text` on word boundaries; where names overlap ("SOUTH INDIAN BANK"
    /// contains "INDIAN BANK") only the longest counts.
    fn mentions_in(&self, text: &str) -> Vec<Mention<'_>> {
        let padded = format!(" {} ", normalise_name(text));
        let mut taken: Vec<(usize, usize)> = Vec::new();
        let mut mentions = Vec::new();
        for alias in self.occurring_aliases(&padded) {
            for (start, _) in padded.match_indices(&alias.padded) {
                let span = (start + 1, start + alias.padded.len() - 1);
                if taken.iter().any(|&(s, e)| span.0 < e && s < span.1) {
                    continue;
                }
                taken.push(span);
                if let Some(bank) = alias.bank {
                    mentions.push(Mention {
                        bank,
                        alias: alias.padded.trim(),
                        word_count: alias.word_count,
                    });
                }
            }
        }
        mentions
    }

    /// The aliases that occur in `padded` at least once, in `aliases` order (longest first).
    fn occurring_aliases<'r>(&'r self, padded: &str) -> impl Iterator<Item = &'r Alias> {
        let indices: Vec<usize> = match &self.alias_finder {
            Some(finder) => {
                let mut found: Vec<usize> = finder
                    .find_overlapping_iter(padded)
                    .map(|m| m.pattern().as_usize())
                    .collect();
                found.sort_unstable();
                found.dedup();
                found
            }
            None => (0..self.aliases.len()).collect(),
        };
        indices
            .into_iter()
            .filter_map(|index| self.aliases.get(index))
    }
}

fn registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        build_registry(CATALOGUE_TABLE, DETECTION_TABLE)
            .and_then(|mut registry| {
                registry.signals = parse_signals(&registry, SIGNAL_TABLE)?;
                Ok(registry)
            })
            .expect("embedded bank tables are valid (checked by banks::tests)")
    })
}

fn build_registry(catalogue_tsv: &str, detection_tsv: &str) -> Result<Registry, BankTableError> {
    let catalogue = parse_catalogue(catalogue_tsv)?;
    let mut registry = Registry {
        banks: catalogue
            .iter()
            .map(|entry| BankInfo {
                id: entry.id.clone(),
                name: entry.name.clone(),
                ifsc_prefixes: Vec::new(),
                micr_codes: Vec::new(),
                aliases: Vec::new(),
                producer_hints: Vec::new(),
            })
            .collect(),
        by_id: catalogue
            .iter()
            .enumerate()
            .map(|(index, entry)| (entry.id.clone(), index))
            .collect(),
        catalogue,
        by_ifsc_prefix: HashMap::new(),
        by_micr_code: HashMap::new(),
        aliases: Vec::new(),
        signals: Vec::new(),
        alias_finder: None,
    };
    for (line_number, fields) in data_rows(detection_tsv) {
        apply_detection_row(&mut registry, line_number, &fields)?;
    }
    add_catalogue_aliases(&mut registry);
    registry
        .aliases
        .sort_by_key(|alias| std::cmp::Reverse(alias.padded.len()));
    registry.alias_finder = AhoCorasick::new(registry.aliases.iter().map(|a| &a.padded)).ok();
    Ok(registry)
}

/// Non-comment, non-blank lines split on tabs, with 1-based line numbers.
fn data_rows(tsv: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    tsv.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|(index, line)| (index + 1, line.split('\t').map(str::trim).collect()))
}

fn parse_signals(registry: &Registry, tsv: &str) -> Result<Vec<Signal>, BankTableError> {
    const TABLE: &str = "bank_signals.tsv";
    data_rows(tsv)
        .map(|(line, fields)| {
            let [id, kind, value] = fields[..] else {
                return Err(malformed(TABLE, line, "expected 3 fields"));
            };
            let bank = *registry
                .by_id
                .get(id)
                .ok_or_else(|| malformed(TABLE, line, format!("unknown bank id {id:?}")))?;
            let (kind, length, text) = match kind {
                "account" => {
                    let (length, prefix) = value.split_once(':').unwrap_or((value, ""));
                    let length = length
                        .parse::<usize>()
                        .map_err(|_| malformed(TABLE, line, format!("bad length {value:?}")))?;
                    if !prefix.bytes().all(|b| b.is_ascii_digit()) {
                        return Err(malformed(TABLE, line, format!("bad prefix {value:?}")));
                    }
                    (SignalKind::Account, length, prefix.to_string())
                }
                "phrase" => (
                    SignalKind::Phrase,
                    0,
                    format!(" {} ", normalise_name(value)),
                ),
                "heading" => (
                    SignalKind::Heading,
                    0,
                    format!(" {} ", normalise_name(value)),
                ),
                "narration" => (SignalKind::Narration, 0, value.to_uppercase()),
                other => return Err(malformed(TABLE, line, format!("unknown kind {other:?}"))),
            };
            if text.trim().is_empty() && kind != SignalKind::Account {
                return Err(malformed(TABLE, line, "empty value"));
            }
            Ok(Signal {
                bank,
                kind,
                length,
                text,
            })
        })
        .collect()
}

fn malformed(table: &'static str, line: usize, problem: impl Into<String>) -> BankTableError {
    BankTableError::Malformed {
        table,
        line,
        problem: problem.into(),
    }
}

fn parse_catalogue(tsv: &str) -> Result<Vec<CatalogueEntry>, BankTableError> {
    let yes_no = |value: &str, line: usize| match value {
        "Yes" => Ok(true),
        "No" => Ok(false),
        other => Err(malformed(
            "finbox_banks.tsv",
            line,
            format!("expected Yes/No, got {other:?}"),
        )),
    };
    data_rows(tsv)
        .map(|(line, fields)| {
            let [id, name, net_banking, manual] = fields[..] else {
                return Err(malformed("finbox_banks.tsv", line, "expected 4 fields"));
            };
            Ok(CatalogueEntry {
                id: id.to_ascii_lowercase(),
                name: name.to_string(),
                net_banking_available: yes_no(net_banking, line)?,
                manual_upload_available: yes_no(manual, line)?,
            })
        })
        .collect()
}

fn apply_detection_row(
    registry: &mut Registry,
    line: usize,
    fields: &[&str],
) -> Result<(), BankTableError> {
    const TABLE: &str = "banks.tsv";
    let field = |index: usize| fields.get(index).copied().unwrap_or("");
    let list = |index: usize, separator: char| {
        field(index)
            .split(separator)
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .collect::<Vec<_>>()
    };
    let (id, name) = (field(0), field(1));
    if fields.len() > 6 || id.is_empty() {
        return Err(malformed(TABLE, line, "expected 6 fields"));
    }
    let bank = if id == NOT_A_BANK {
        None
    } else {
        let index = *registry
            .by_id
            .get(id)
            .ok_or_else(|| malformed(TABLE, line, format!("unknown bank id {id:?}")))?;
        Some(index)
    };
    for alias in list(4, ';') {
        add_alias(registry, alias, bank).map_err(|problem| malformed(TABLE, line, problem))?;
    }
    let Some(index) = bank else {
        return Ok(());
    };
    for prefix in list(2, ',') {
        let valid = prefix.len() == 4 && prefix.bytes().all(|b| b.is_ascii_uppercase());
        if !valid
            || registry
                .by_ifsc_prefix
                .insert(prefix.to_string(), index)
                .is_some()
        {
            return Err(malformed(
                TABLE,
                line,
                format!("bad or duplicate IFSC prefix {prefix:?}"),
            ));
        }
        registry.banks[index].ifsc_prefixes.push(prefix.to_string());
    }
    for code in list(3, ',') {
        let valid = code.len() == 3 && code.bytes().all(|b| b.is_ascii_digit());
        if !valid
            || registry
                .by_micr_code
                .insert(code.to_string(), index)
                .is_some()
        {
            return Err(malformed(
                TABLE,
                line,
                format!("bad or duplicate MICR code {code:?}"),
            ));
        }
        registry.banks[index].micr_codes.push(code.to_string());
    }
    let info = &mut registry.banks[index];
    info.name = name.to_string();
    info.producer_hints
        .extend(list(5, ';').into_iter().map(str::to_string));
    Ok(())
}

/// Registers a printed name; an explicit alias may be claimed by only one row.
fn add_alias(registry: &mut Registry, alias: &str, bank: Option<usize>) -> Result<(), String> {
    let normalised = normalise_name(alias);
    if normalised.is_empty() {
        return Err(format!("empty alias {alias:?}"));
    }
    let padded = format!(" {normalised} ");
    if registry.aliases.iter().any(|a| a.padded == padded) {
        return Err(format!("alias {alias:?} listed twice"));
    }
    registry.aliases.push(Alias {
        word_count: normalised.split(' ').count(),
        padded,
        bank,
    });
    if let Some(index) = bank {
        registry.banks[index].aliases.push(normalised);
    }
    Ok(())
}

/// Every catalogue bank is recognisable by its own display name, minus legal suffixes, unless
/// the detection table already gave that name to someone (e.g. a merged bank's successor).
fn add_catalogue_aliases(registry: &mut Registry) {
    for index in 0..registry.catalogue.len() {
        let name = catalogue_alias(&registry.catalogue[index].name);
        let padded = format!(" {name} ");
        let too_generic = !name.contains(' ');
        if too_generic || registry.aliases.iter().any(|a| a.padded == padded) {
            continue;
        }
        registry.aliases.push(Alias {
            word_count: name.split(' ').count(),
            padded,
            bank: Some(index),
        });
        registry.banks[index].aliases.push(name);
    }
}

/// "The Surat Mercantile Co-Op. Bank Ltd, India" → "SURAT MERCANTILE CO OP BANK".
fn catalogue_alias(display_name: &str) -> String {
    let mut name = normalise_name(display_name);
    if let Some(rest) = name.strip_prefix("THE ") {
        name = rest.to_string();
    }
    for suffix in [" INDIA", " PUNE", " LIMITED", " LTD", " NIYAMITA"] {
        if let Some(rest) = name.strip_suffix(suffix) {
            name = rest.to_string();
        }
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(texts: &[&str]) -> Vec<String> {
        texts.iter().map(|t| t.to_string()).collect()
    }

    fn detected(texts: &[&str], ifsc: Option<&str>, producer: Option<&str>) -> Option<String> {
        detect_bank(&lines(texts), ifsc, producer).map(|e| e.bank.id.clone())
    }

    #[test]
    fn embedded_tables_parse() {
        let registry = build_registry(CATALOGUE_TABLE, DETECTION_TABLE);
        assert!(registry.is_ok(), "{:?}", registry.err());
        if let Ok(registry) = registry {
            let signals = parse_signals(&registry, SIGNAL_TABLE);
            assert!(signals.is_ok_and(|s| !s.is_empty()));
            assert!(parse_signals(&registry, "hdfc\taccount\tx14\n").is_err());
            assert!(parse_signals(&registry, "hdfc\tcolour\tblue\n").is_err());
            assert!(parse_signals(&registry, "nope\tphrase\tX\n").is_err());
        }
        assert_eq!(catalogue().len(), 346);
        assert!(catalogue()
            .iter()
            .all(|e| e.id == e.id.to_ascii_lowercase()));
    }

    #[test]
    fn table_defects_are_reported_with_line_numbers() {
        let catalogue = "HDFC\tHDFC Bank\tYes\tYes\n";
        let unknown = build_registry(catalogue, "# header\nnope\tNope\tNOPE\t\t\t\n");
        assert!(matches!(
            unknown,
            Err(BankTableError::Malformed { line: 2, .. })
        ));
        let bad_prefix = build_registry(catalogue, "hdfc\tHDFC\tHD1\t\t\t\n");
        assert!(bad_prefix.is_err());
        let bad_bool = build_registry("HDFC\tHDFC Bank\tMaybe\tYes\n", "");
        assert!(bad_bool.is_err());
    }

    #[test]
    fn required_ids_are_known_with_ifsc_prefixes() {
        let ids = [
            "hdfc",
            "sbi",
            "icici",
            "axis",
            "kotak",
            "yesbnk",
            "idfc",
            "federal",
            "canara",
            "pnbbnk",
            "baroda",
            "ubi",
            "boi",
            "indbnk",
            "central",
            "iob",
            "uco",
            "indusind",
            "idbi",
            "bandhan",
            "rbl",
            "sib",
            "karur",
            "city_union",
            "dcbbnk",
            "ausfbnk",
            "citi",
            "hsbc",
            "stanchar",
            "mahabk",
            "punjab_sind",
            "jnkbnk",
            "karnataka",
            "tamil_mercantile",
            "dhanlaxmi",
            "csbbnk",
            "equitas",
            "ujjivan",
            "saraswat",
            "airtel",
            "paytm",
            "finobnk",
        ];
        for id in ids {
            let bank = bank_by_id(id);
            assert!(bank.is_some_and(|b| !b.ifsc_prefixes.is_empty()), "{id}");
        }
        assert_eq!(
            bank_by_id("HDFC").map(|b| b.name.as_str()),
            Some("HDFC Bank")
        );
        assert_eq!(bank_by_id("andhra").map(|b| b.id.as_str()), Some("andhra"));
        assert!(bank_by_id("nosuchbank").is_none());
    }

    #[test]
    fn ifsc_lookup_including_merged_banks() {
        let id = |code: &str| bank_from_ifsc(code).map(|b| b.id.as_str());
        assert_eq!(id("HDFC0001234"), Some("hdfc"));
        assert_eq!(id("hdfc0001234"), Some("hdfc"));
        assert_eq!(id("BARB0MGROAD"), Some("baroda"));
        assert_eq!(id("IDIB000A123"), Some("indbnk"));
        assert_eq!(id("UTIB"), Some("axis"));
        assert_eq!(id("ANDB0001234"), Some("ubi"));
        assert_eq!(id("CORP0001234"), Some("ubi"));
        assert_eq!(id("SYNB0001234"), Some("canara"));
        assert_eq!(id("ALLA0211234"), Some("indbnk"));
        assert_eq!(id("ORBC0101234"), Some("pnbbnk"));
        assert_eq!(id("UTBI0ABC123"), Some("pnbbnk"));
        assert_eq!(id("VIJB0001234"), Some("baroda"));
        assert_eq!(id("BKDN0001234"), Some("baroda"));
        assert_eq!(id("HDFC1001234"), None, "fifth character must be 0");
        assert_eq!(id("ZZZZ0001234"), None);
        assert_eq!(id("HDFC000123"), None);
    }

    #[test]
    fn micr_lookup() {
        let id = |code: &str| bank_from_micr(code).map(|b| b.id.as_str());
        assert_eq!(id("400240015"), Some("hdfc"));
        assert_eq!(id("110002123"), Some("sbi"));
        assert_eq!(id("40024001"), None);
    }

    #[test]
    fn names_match_on_word_boundaries_longest_first() {
        let cases = [
            ("SOUTH INDIAN BANK", "sib"),
            ("Indian Bank", "indbnk"),
            ("INDIAN OVERSEAS BANK", "iob"),
            ("City Union Bank Ltd", "city_union"),
            ("Union Bank of India", "ubi"),
            ("CENTRAL BANK OF INDIA", "central"),
            ("State Bank of India", "sbi"),
            ("Bank of India", "boi"),
            ("IDBI BANK", "idbi"),
            ("IDFC FIRST Bank", "idfc"),
            ("The Jammu & Kashmir Bank Ltd.", "jnkbnk"),
            ("Punjab & Sind Bank", "punjab_sind"),
            ("Kotak Mahindra Bank", "kotak"),
            ("The Federal Bank Ltd", "federal"),
            ("Karnataka Gramin Bank", "karnataka_gramin"),
            ("The Cosmos Co-Op Bank Ltd", "cosmos"),
        ];
        for (text, id) in cases {
            assert_eq!(detected(&[text], None, None).as_deref(), Some(id), "{text}");
        }
        assert_eq!(detected(&["INDIAN BANKS' ASSOCIATION"], None, None), None);
        assert_eq!(
            detected(&["Regulated by the Reserve Bank of India"], None, None),
            None
        );
    }

    #[test]
    fn the_alias_automaton_finds_what_searching_every_alias_finds() {
        let with_automaton = registry();
        assert!(with_automaton.alias_finder.is_some());
        let mut every_alias = build_registry(CATALOGUE_TABLE, DETECTION_TABLE).expect("tables");
        every_alias.alias_finder = None;
        let found = |registry: &Registry, text: &str| -> Vec<(usize, String, usize)> {
            registry
                .mentions_in(text)
                .into_iter()
                .map(|m| (m.bank, m.alias.to_string(), m.word_count))
                .collect()
        };
        let texts = [
            "",
            "SOUTH INDIAN BANK, Indian Bank and Indian Overseas Bank",
            "HDFC BANK HDFC BANK",
            "SBI SBI SBI",
            "NEFT-HDFC0001234-ICICI BANK LTD-AXIS",
            "Regulated by the Reserve Bank of India; State Bank of India",
            "The Jammu & Kashmir Bank Ltd. / Punjab & Sind Bank",
            "UPI/DR/412345678901/RAVI KUMAR/okicici/payment",
        ];
        for text in texts {
            assert_eq!(
                found(with_automaton, text),
                found(&every_alias, text),
                "{text}"
            );
        }
        assert!(!found(with_automaton, texts[1]).is_empty());
    }

    #[test]
    fn letterhead_outweighs_narration_and_footer_mentions() {
        let text = [
            "HDFC BANK LIMITED",
            "Statement of Account",
            "MR RAHUL SHARMA",
            "NEFT CR-ICICI BANK-SALARY",
            "IMPS ICICI BANK transfer",
            "UPI to ICICI BANK",
            "RTGS ICICI BANK",
            "ICICI BANK refund",
            "ICICI BANK again",
            "ICICI BANK and again",
        ];
        assert_eq!(detected(&text, None, None).as_deref(), Some("hdfc"));
    }

    #[test]
    fn given_ifsc_is_strongest() {
        let text = ["Axis Bank Mutual Fund", "STATE BANK OF INDIA"];
        let evidence = detect_bank(&lines(&text), Some("SBIN0001234"), None);
        assert_eq!(evidence.as_ref().map(|e| e.bank.id.as_str()), Some("sbi"));
        let evidence = detect_bank(&lines(&["Statement"]), Some("KKBK0000123"), None);
        assert_eq!(
            evidence.map(|e| (e.bank.id.as_str(), e.score)),
            Some(("kotak", 100))
        );
    }

    #[test]
    fn codes_in_text_and_producer_count() {
        let text = ["Statement of Account", "IFSC Code : YESB0000123"];
        assert_eq!(detected(&text, None, None).as_deref(), Some("yesbnk"));
        let text = ["Statement of Account", "MICR : 560229002"];
        assert_eq!(detected(&text, None, None).as_deref(), Some("icici"));
        assert_eq!(
            detected(&["Statement"], None, Some("Kotak Report Engine")).as_deref(),
            Some("kotak")
        );
        assert_eq!(detected(&["Statement"], None, Some("iText 2.1.7")), None);
    }

    #[test]
    fn nothing_credible_means_none() {
        assert_eq!(detected(&[], None, None), None);
        assert_eq!(
            detected(&["Statement of Account", "Page 1 of 3"], None, None),
            None
        );
        assert_eq!(detected(&["x"], Some("not an ifsc"), None), None);
    }

    fn weighed(signals: &BankSignals) -> Option<(String, Confidence)> {
        weigh_bank(signals).map(|(e, c)| (e.bank.id.clone(), c))
    }

    #[test]
    fn logo_only_statement_is_named_by_agreeing_indirect_signals() {
        let header = lines(&["MR RAHUL SHARMA", "Statement of account"]);
        let headings = lines(&["Date", "Narration", "Withdrawal Amt.", "Deposit Amt."]);
        let notes = [
            "NEFT CR-ICIC0000123-ACME LTD-SALARY",
            "ACH D- BAJAJ FINANCE-12345",
            "NWD-XXXX1234-ATM CASH",
            "UPI-SWIGGY-SWIGGY@ICICI",
            "NEFT CR-SBIN0001234-RENT",
            "ACH D- HDFC LIFE-987",
            "EAW-XXXX1234-CASH",
        ];
        let signals = BankSignals {
            header_lines: &header,
            account_number: Some("50100123456789"),
            headings: &headings,
            narrations: &notes,
            ..BankSignals::default()
        };
        assert_eq!(
            weighed(&signals),
            Some(("hdfc".to_string(), Confidence::Weak))
        );
        // The bare account shape is shared by many banks: not enough.
        let signals = BankSignals {
            header_lines: &header,
            account_number: Some("123456789012345"),
            ..BankSignals::default()
        };
        assert_ne!(weighed(&signals).map(|(_, c)| c), Some(Confidence::Strong));
        assert_ne!(weighed(&signals).map(|(_, c)| c), Some(Confidence::Weak));
        assert_eq!(detect_bank(&header, None, None), None);
    }

    #[test]
    fn narrations_never_outvote_the_header() {
        // Every row carries another bank's IFSC and conventions; the header names the bank.
        let header = lines(&["Statement of Account", "IFSC : KKBK0000123"]);
        let notes = ["INF/INFT/ICIC0000001/X"; 12];
        let headings = lines(&["Transaction Remarks", "Withdrawal Amount (INR)"]);
        let signals = BankSignals {
            header_lines: &header,
            account_number: Some("123456789012"),
            headings: &headings,
            narrations: &notes,
            ..BankSignals::default()
        };
        assert_eq!(
            weighed(&signals),
            Some(("kotak".to_string(), Confidence::Strong))
        );
    }

    #[test]
    fn merged_banks_answer_to_their_old_names() {
        let ubi = bank_by_id("ubi").expect("known");
        assert!(answers_to(ubi, "UBI"));
        assert!(answers_to(ubi, "andhra"));
        assert!(!answers_to(ubi, "sbi"));
        assert!(!answers_to(ubi, "nosuchbank"));
        let canara = bank_by_id("canara").expect("known");
        assert!(answers_to(canara, "syndicate"));
        let indian = bank_by_id("indbnk").expect("known");
        assert!(answers_to(indian, "allahabad"));
        assert!(!answers_to(indian, "iob"));
    }

    #[test]
    fn normalisation() {
        assert_eq!(
            normalise_name("The Jammu & Kashmir Bank Ltd."),
            "THE JAMMU AND KASHMIR BANK LTD"
        );
        assert_eq!(normalise_name("  Co.-Op.  Bank "), "CO OP BANK");
        assert_eq!(normalise_name("J&K"), "J AND K");
        assert_eq!(
            catalogue_alias("The Surat Mercantile Co-Op. Bank Ltd, India"),
            "SURAT MERCANTILE CO OP BANK"
        );
    }
}
