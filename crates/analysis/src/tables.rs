//! The embedded, versioned data tables (rules, dictionaries, calendars, metric
//! definitions) and the small TSV reader they share.

use crate::error::AnalysisError;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// Hashes the tables' short keys (words, phrases, handles) a word at a time with a multiply
/// and rotate, as rustc's FxHash does. SipHash's defence against chosen keys buys nothing for
/// tables compiled into the binary, and it was a few per cent of a long statement's parse
/// (every narration word is looked up several times).
#[derive(Debug, Default, Clone, Copy)]
pub struct WordHasher(u64);

impl WordHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    fn write_usize(&mut self, value: usize) {
        self.add(value as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A list of upper-case words and phrases indexed by each entry's first word: which of them a
/// normalised text holds with a space on each side ([`SpacedWords::first_held`]).
pub(crate) struct SpacedWords {
    words: &'static [&'static str],
    /// Positions in `words` of the entries opening with each first word, in list order.
    by_first: WordMap<&'static str, Vec<usize>>,
}

impl SpacedWords {
    pub(crate) fn new(words: &'static [&'static str]) -> SpacedWords {
        let mut by_first: WordMap<&'static str, Vec<usize>> = WordMap::default();
        for (position, word) in words.iter().enumerate() {
            let first = word.split(' ').next().unwrap_or_default();
            by_first.entry(first).or_default().push(position);
        }
        SpacedWords { words, by_first }
    }

    /// The first of the words, in list order, that `text` holds with a space on each side (as a
    /// scan trying every entry at every word start answers). An entry held at a word's start opens with that word
    /// (the text up to its next space), so only the entries opening with each word of the text
    /// are tried: trying every entry at every word start was ~15 M instructions of the 114-page
    /// bench statement (the known-employer list on every credit row).
    pub(crate) fn first_held(&self, text: &str) -> Option<&'static str> {
        let bytes = text.as_bytes();
        let mut best: Option<usize> = None;
        for (space, _) in bytes.iter().enumerate().filter(|&(_, &byte)| byte == b' ') {
            let start = space + 1;
            let end = bytes[start..]
                .iter()
                .position(|&byte| byte == b' ')
                .map_or(bytes.len(), |length| start + length);
            // Both ends are next to an ASCII space (or the text's end): character boundaries.
            let Some(positions) = text
                .get(start..end)
                .and_then(|word| self.by_first.get(word))
            else {
                continue;
            };
            for &position in positions {
                if best.is_some_and(|found| found <= position) {
                    break;
                }
                let word = self.words[position].as_bytes();
                if bytes[start..].starts_with(word) && bytes.get(start + word.len()) == Some(&b' ')
                {
                    best = Some(position);
                    break;
                }
            }
        }
        best.map(|position| self.words[position])
    }
}

/// A map keyed by table words, hashed with [`WordHasher`].
pub type WordMap<K, V> = HashMap<K, V, BuildHasherDefault<WordHasher>>;
/// A set of table words, hashed with [`WordHasher`].
pub type WordSet<K> = HashSet<K, BuildHasherDefault<WordHasher>>;

pub const RULES_TSV: &str = include_str!("../data/rules.tsv");
pub const MERCHANTS_TSV: &str = include_str!("../data/merchants.tsv");
pub const LENDERS_TSV: &str = include_str!("../data/lenders.tsv");
pub const BANK_HOLIDAYS_TSV: &str = include_str!("../data/bank_holidays.tsv");
pub const MONTHLY_METRICS_TSV: &str = include_str!("../data/monthly_metrics.tsv");
pub const PREDICTORS_TSV: &str = include_str!("../data/predictors.tsv");
pub const PDF_EDITORS_TSV: &str = include_str!("../data/pdf_editors.tsv");
pub const PAYMENT_LIMITS_TSV: &str = include_str!("../data/payment_limits.tsv");
pub const NUMBER_KINDS_TSV: &str = include_str!("../data/number_kinds.tsv");

/// Data rows of a TSV table: `#` comments and the header row (first non-comment
/// line) are skipped; each row must have exactly `columns` fields.
pub fn rows(
    table: &'static str,
    text: &'static str,
    columns: usize,
) -> Result<Vec<(usize, Vec<&'static str>)>, AnalysisError> {
    let mut out = Vec::new();
    let mut header_seen = false;
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim_end();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if !header_seen {
            header_seen = true;
            continue;
        }
        let fields: Vec<&'static str> = trimmed.split('\t').map(str::trim).collect();
        if fields.len() != columns {
            return Err(AnalysisError::Table {
                table,
                line: index + 1,
                problem: format!("expected {columns} columns, found {}", fields.len()),
            });
        }
        out.push((index + 1, fields));
    }
    Ok(out)
}

/// Splits a phrase list ("A B|C+D") into alternatives of all-required phrases,
/// each rendered as a padded whole-word needle (" A B ").
pub fn phrase_alternatives(spec: &str) -> Vec<Vec<Needle>> {
    if spec == "*" || spec.is_empty() {
        return Vec::new();
    }
    spec.split('|')
        .map(|alternative| {
            alternative
                .split('+')
                .map(|phrase| {
                    let anchored = phrase.starts_with('^');
                    let words = phrase.trim_start_matches('^').trim();
                    Needle::new(format!(" {words} "), anchored)
                })
                .collect()
        })
        .collect()
}

/// A whole-word phrase to look for in a normalised narration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Needle {
    pub text: String,
    pub anchored: bool,
    /// (index tag, pattern) once a [`PhraseIndex`] holds this phrase.
    indexed: Option<(u32, u32)>,
}

impl Needle {
    pub fn new(text: String, anchored: bool) -> Needle {
        Needle {
            text,
            anchored,
            indexed: None,
        }
    }

    pub fn found_in(&self, normalized: &str) -> bool {
        if self.anchored {
            normalized.starts_with(&self.text)
        } else {
            normalized.contains(&self.text)
        }
    }

    /// The needle's pattern in `index`, when `index` holds it.
    pub fn pattern_in(&self, index: &PhraseIndex) -> Option<u32> {
        match self.indexed {
            Some((tag, pattern)) if tag == index.tag && index.automaton.is_some() => Some(pattern),
            _ => None,
        }
    }

    /// Like [`Needle::found_in`], answered from one [`PhraseIndex::scan`] of the same text
    /// when the index holds this needle.
    pub fn found(&self, found: &Found, normalized: &str) -> bool {
        match self.indexed {
            Some((tag, pattern)) if tag == found.tag => found.has(pattern, self.anchored),
            _ => self.found_in(normalized),
        }
    }
}

/// True when any alternative has all its phrases present (an empty list always matches).
pub fn any_alternative_matches(alternatives: &[Vec<Needle>], normalized: &str) -> bool {
    alternatives.is_empty()
        || alternatives
            .iter()
            .any(|all| all.iter().all(|needle| needle.found_in(normalized)))
}

/// [`any_alternative_matches`] answered from a [`PhraseIndex::scan`] of `normalized`.
pub fn any_alternative_found(
    alternatives: &[Vec<Needle>],
    found: &Found,
    normalized: &str,
) -> bool {
    alternatives.is_empty()
        || alternatives
            .iter()
            .any(|all| all.iter().all(|needle| needle.found(found, normalized)))
}

/// Every phrase of a set of tables, looked for in one pass over a narration (Aho-Corasick)
/// instead of one substring search per phrase: with a few thousand phrases the separate
/// searches were most of the categorisation time.
#[derive(Debug, Clone, Default)]
pub struct PhraseIndex {
    automaton: Option<aho_corasick::AhoCorasick>,
    patterns: usize,
    tag: u32,
}

/// The phrases of one [`PhraseIndex`] present in one text.
#[derive(Debug, Clone)]
pub struct Found {
    tag: u32,
    anywhere: Vec<u64>,
    at_start: Vec<u64>,
}

impl Found {
    /// True when none of the index's phrases is present.
    pub fn is_empty(&self) -> bool {
        self.anywhere.iter().all(|word| *word == 0)
    }

    /// True when this is a scan by `index`.
    pub fn is_scan_of(&self, index: &PhraseIndex) -> bool {
        self.tag == index.tag
    }

    /// Calls `f` with each pattern present anywhere in the text.
    pub fn for_each_present(&self, mut f: impl FnMut(u32)) {
        for (word, &bits) in self.anywhere.iter().enumerate() {
            let mut bits = bits;
            while bits != 0 {
                // Patterns are u32 (see `PhraseIndex::build`).
                f((word * 64) as u32 + bits.trailing_zeros());
                bits &= bits - 1;
            }
        }
    }

    fn has(&self, pattern: u32, at_start: bool) -> bool {
        let bits = if at_start {
            &self.at_start
        } else {
            &self.anywhere
        };
        let pattern = pattern as usize;
        bits.get(pattern / 64)
            .is_some_and(|word| word & (1 << (pattern % 64)) != 0)
    }
}

impl PhraseIndex {
    /// Indexes the needles (each remembers its pattern); needles with the same text share one.
    /// Should the automaton fail to build, the needles stay unindexed and are searched one by
    /// one as before.
    pub fn build<'a>(needles: impl IntoIterator<Item = &'a mut Needle>) -> PhraseIndex {
        static NEXT_TAG: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);
        let mut needles: Vec<&mut Needle> = needles.into_iter().collect();
        let mut patterns: std::collections::HashMap<String, u32> = Default::default();
        let mut texts: Vec<&str> = Vec::new();
        let mut ids = Vec::with_capacity(needles.len());
        for needle in &needles {
            let next = patterns.len() as u32;
            let id = *patterns.entry(needle.text.clone()).or_insert(next);
            if id == next {
                texts.push(&needle.text);
            }
            ids.push(id);
        }
        // Standard semantics: every phrase is reported, overlapping ones included.
        let Ok(automaton) = aho_corasick::AhoCorasick::new(&texts) else {
            return PhraseIndex::default();
        };
        let count = texts.len();
        let tag = NEXT_TAG.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        for (needle, id) in needles.iter_mut().zip(ids) {
            needle.indexed = Some((tag, id));
        }
        PhraseIndex {
            automaton: Some(automaton),
            patterns: count,
            tag,
        }
    }

    /// The indexed phrases present in `normalized`, found in one pass.
    pub fn scan(&self, normalized: &str) -> Found {
        let words = self.patterns.div_ceil(64);
        let mut found = Found {
            tag: self.tag,
            anywhere: vec![0; words],
            at_start: vec![0; words],
        };
        if let Some(automaton) = &self.automaton {
            for hit in automaton.find_overlapping_iter(normalized) {
                let pattern = hit.pattern().as_usize();
                let (word, bit) = (pattern / 64, 1u64 << (pattern % 64));
                if let Some(slot) = found.anywhere.get_mut(word) {
                    *slot |= bit;
                }
                if hit.start() == 0 {
                    if let Some(slot) = found.at_start.get_mut(word) {
                        *slot |= bit;
                    }
                }
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_match_whole_words_only() {
        let alternatives = phrase_alternatives("CASH+DEP|CDM");
        assert!(any_alternative_matches(
            &alternatives,
            " BY CASH DEP AT BRANCH "
        ));
        assert!(any_alternative_matches(&alternatives, " CDM 1234 "));
        assert!(!any_alternative_matches(&alternatives, " CDMA RECHARGE "));
    }

    #[test]
    fn index_answers_like_separate_searches() {
        let mut alternatives = phrase_alternatives("CASH+DEP|CDM|^NEFT|DEP AT");
        let mut unindexed = alternatives.clone();
        let index = PhraseIndex::build(alternatives.iter_mut().flatten());
        for text in [
            " BY CASH DEP AT BRANCH ",
            " CDM 1234 ",
            " CDMA RECHARGE ",
            " NEFT CR ACME ",
            " CR NEFT ACME ",
            " DEP AT ",
            " ",
        ] {
            let found = index.scan(text);
            for (indexed, plain) in alternatives
                .iter()
                .flatten()
                .zip(unindexed.iter_mut().flatten())
            {
                assert_eq!(
                    indexed.found(&found, text),
                    plain.found_in(text),
                    "{text:?} {plain:?}"
                );
            }
            assert_eq!(
                any_alternative_found(&alternatives, &found, text),
                any_alternative_matches(&unindexed, text),
                "{text:?}"
            );
        }
        // A scan of another index is not mistaken for this one's.
        let mut other = phrase_alternatives("ZZZ");
        let other_index = PhraseIndex::build(other.iter_mut().flatten());
        let foreign = other_index.scan(" CDM ");
        assert!(alternatives[1][0].found(&foreign, " CDM "));
    }

    #[test]
    fn every_embedded_table_parses() {
        assert!(rows("rules", RULES_TSV, 8).is_ok());
        assert!(rows("merchants", MERCHANTS_TSV, 5).is_ok());
        assert!(rows("lenders", LENDERS_TSV, 2).is_ok());
        assert!(rows("bank_holidays", BANK_HOLIDAYS_TSV, 2).is_ok());
        assert!(rows("pdf_editors", PDF_EDITORS_TSV, 3).is_ok());
        assert!(rows("payment_limits", PAYMENT_LIMITS_TSV, 5).is_ok());
    }
}
