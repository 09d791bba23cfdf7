//! The embedded, versioned data tables (rules, dictionaries, calendars, metric
//! definitions) and the small TSV reader they share.

use crate::error::AnalysisError;

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
                    Needle {
                        text: format!(" {words} "),
                        anchored,
                    }
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
}

impl Needle {
    pub fn found_in(&self, normalized: &str) -> bool {
        if self.anchored {
            normalized.starts_with(&self.text)
        } else {
            normalized.contains(&self.text)
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
    fn every_embedded_table_parses() {
        assert!(rows("rules", RULES_TSV, 8).is_ok());
        assert!(rows("merchants", MERCHANTS_TSV, 5).is_ok());
        assert!(rows("lenders", LENDERS_TSV, 2).is_ok());
        assert!(rows("bank_holidays", BANK_HOLIDAYS_TSV, 2).is_ok());
        assert!(rows("pdf_editors", PDF_EDITORS_TSV, 3).is_ok());
        assert!(rows("payment_limits", PAYMENT_LIMITS_TSV, 5).is_ok());
    }
}
