//! The engine's reading of an uploaded statement, kept from upload to processing.
//!
//! The upload handler has to parse the file anyway (identity, bank, date range, duplicates), so
//! it stores the [`ParsedStatement`] with the statement (`statement_parses`) and the processing
//! job reads it back instead of fetching the file from object storage and parsing it again.
//! [`decode`] answers `None` for anything it cannot trust (corrupt text, another format version,
//! a bank or layout value this build does not know); the job then parses the file as before.
//!
//! The engine's model is serialise-only (it borrows static bank data), hence the mirror types.

use crate::enrichment::{StoredBreak, StoredMetadata, StoredTransaction};
use chrono::NaiveDate;
use ledgerlens_statement::banks::{bank_by_id, BankEvidence};
use ledgerlens_statement::identity::Identity;
use ledgerlens_statement::model::{
    CheckedAgainst, ColumnReport, DateRange, FigureFonts, Incomplete, LayoutReport, Reconciliation,
    WarningRows,
};
use ledgerlens_statement::ParsedStatement;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Bumped when [`StoredParse`] changes incompatibly; older parses are then ignored (re-parsed).
const PARSE_VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
struct StoredParse {
    version: u32,
    bank: Option<StoredBank>,
    #[serde(with = "IdentityDef")]
    identity: Identity,
    transactions: Vec<StoredTransaction>,
    reconciliation: StoredReconciliation,
    metadata: StoredMetadata,
    layout: StoredLayout,
    page_count: usize,
    encrypted: bool,
    table_fonts: Vec<Vec<String>>,
    /// Absent from parses stored before figures' fonts were read.
    #[serde(default)]
    figure_fonts: Vec<FigureFonts>,
}

#[derive(Debug, Serialize, Deserialize)]
struct StoredBank {
    /// FinBox bank id; looked up in this build's bank table when read back.
    id: String,
    score: u32,
    reasons: Vec<String>,
}

#[derive(Debug, Serialize, Deserialize)]
struct StoredReconciliation {
    reconciled: bool,
    opening_balance: Option<Decimal>,
    closing_balance: Option<Decimal>,
    breaks: Vec<StoredBreak>,
    summary_mismatches: Vec<String>,
    /// Added with merged files that leave a month out; older stored parses named none.
    #[serde(default)]
    missing_periods: Vec<DateRange>,
    /// Added with the evidence of incomplete files; older stored parses named none.
    #[serde(default)]
    incomplete: Vec<Incomplete>,
    sides_inferred: usize,
    /// Added after version 1 was written; older stored parses read as "no warnings".
    #[serde(default)]
    warnings: Vec<String>,
    /// The rows each warning concerns; older stored parses name none (every warning may
    /// concern any row).
    #[serde(default)]
    warning_rows: Vec<WarningRows>,
    /// Added with tables that print no running balance; older stored parses were all read
    /// against their balance chain.
    #[serde(default = "balance_chain")]
    checked_against: CheckedAgainst,
    #[serde(default = "known")]
    balances_known: bool,
}

fn balance_chain() -> CheckedAgainst {
    CheckedAgainst::BalanceChain
}

fn known() -> bool {
    true
}

#[derive(Debug, Serialize, Deserialize)]
struct StoredLayout {
    columns: Vec<StoredColumn>,
    wrap_mode: String,
    header_pages: Vec<usize>,
    reversed_order: bool,
}

#[derive(Debug, Serialize, Deserialize)]
struct StoredColumn {
    role: String,
    heading: String,
    x0: f32,
    x1: f32,
}

/// [`Identity`] field for field (serde checks the mirror against the real type).
#[derive(Serialize, Deserialize)]
#[serde(remote = "Identity")]
struct IdentityDef {
    name: Option<String>,
    address: Option<String>,
    account_number: Option<String>,
    ifsc: Option<String>,
    micr: Option<String>,
    account_category: Option<String>,
    account_type: Option<String>,
    od_limit: Option<Decimal>,
    credit_limit: Option<Decimal>,
    from_date: Option<NaiveDate>,
    to_date: Option<NaiveDate>,
    opening_balance: Option<Decimal>,
    closing_balance: Option<Decimal>,
    email: Option<String>,
    phone_number: Option<String>,
    pan_number: Option<String>,
    account_opening_date: Option<NaiveDate>,
    dob: Option<NaiveDate>,
    account_status: Option<String>,
    holder_type: Option<String>,
}

/// The engine's wrap modes, as the static strings [`LayoutReport`] holds.
fn wrap_mode(name: &str) -> Option<&'static str> {
    match name {
        "below" => Some("below"),
        "centred" => Some("centred"),
        _ => None,
    }
}

/// The parse as stored in `statement_parses.parse` (JSON).
pub fn encode(parsed: &ParsedStatement) -> Result<String, serde_json::Error> {
    let r = &parsed.reconciliation;
    let stored = StoredParse {
        version: PARSE_VERSION,
        bank: parsed.bank.as_ref().map(|b| StoredBank {
            id: b.bank.id.clone(),
            score: b.score,
            reasons: b.reasons.clone(),
        }),
        identity: parsed.identity.clone(),
        transactions: parsed.transactions.iter().map(Into::into).collect(),
        reconciliation: StoredReconciliation {
            reconciled: r.reconciled,
            opening_balance: r.opening_balance,
            closing_balance: r.closing_balance,
            breaks: r.breaks.iter().map(Into::into).collect(),
            summary_mismatches: r.summary_mismatches.clone(),
            missing_periods: r.missing_periods.clone(),
            incomplete: r.incomplete.clone(),
            sides_inferred: r.sides_inferred,
            warnings: r.warnings.clone(),
            warning_rows: r.warning_rows.clone(),
            checked_against: r.checked_against,
            balances_known: r.balances_known,
        },
        metadata: (&parsed.metadata).into(),
        layout: StoredLayout {
            columns: parsed
                .layout
                .columns
                .iter()
                .map(|c| StoredColumn {
                    role: c.role.clone(),
                    heading: c.heading.clone(),
                    x0: c.x0,
                    x1: c.x1,
                })
                .collect(),
            wrap_mode: parsed.layout.wrap_mode.to_owned(),
            header_pages: parsed.layout.header_pages.clone(),
            reversed_order: parsed.layout.reversed_order,
        },
        page_count: parsed.page_count,
        encrypted: parsed.encrypted,
        table_fonts: parsed.table_fonts.clone(),
        figure_fonts: parsed.figure_fonts.clone(),
    };
    serde_json::to_string(&stored)
}

/// Reads a stored parse back; `None` when it is corrupt, of another version, or names a bank or
/// layout this build does not know (the caller parses the file instead).
pub fn decode(text: &str) -> Option<ParsedStatement> {
    let stored: StoredParse = serde_json::from_str(text).ok()?;
    if stored.version != PARSE_VERSION {
        return None;
    }
    let bank = match stored.bank {
        Some(b) => Some(BankEvidence {
            bank: bank_by_id(&b.id)?,
            score: b.score,
            reasons: b.reasons,
        }),
        None => None,
    };
    let r = stored.reconciliation;
    Some(ParsedStatement {
        bank,
        identity: stored.identity,
        transactions: stored.transactions.into_iter().map(Into::into).collect(),
        reconciliation: Reconciliation {
            reconciled: r.reconciled,
            checked_against: r.checked_against,
            balances_known: r.balances_known,
            opening_balance: r.opening_balance,
            closing_balance: r.closing_balance,
            breaks: r.breaks.into_iter().map(Into::into).collect(),
            summary_mismatches: r.summary_mismatches,
            missing_periods: r.missing_periods,
            incomplete: r.incomplete,
            sides_inferred: r.sides_inferred,
            warnings: r.warnings,
            warning_rows: r.warning_rows,
        },
        metadata: stored.metadata.into(),
        layout: LayoutReport {
            columns: stored
                .layout
                .columns
                .into_iter()
                .map(|c| ColumnReport {
                    role: c.role,
                    heading: c.heading,
                    x0: c.x0,
                    x1: c.x1,
                })
                .collect(),
            wrap_mode: wrap_mode(&stored.layout.wrap_mode)?,
            header_pages: stored.layout.header_pages,
            reversed_order: stored.layout.reversed_order,
        },
        page_count: stored.page_count,
        encrypted: stored.encrypted,
        table_fonts: stored.table_fonts,
        figure_fonts: stored.figure_fonts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ledgerlens_contract::engine::insights_json;
    use ledgerlens_statement::{parse_pdf, ParseOptions};
    use serde_json::Value;

    fn parsed(layout: &str, seed: u64) -> ParsedStatement {
        let (pdf, truth) = ledgerlens_fixtures::generate(layout, seed).expect("fixture");
        let options = ParseOptions {
            expected_bank: Some(truth.bank),
            ..ParseOptions::default()
        };
        parse_pdf(pdf, &options).unwrap_or_else(|e| panic!("{layout}: {e}"))
    }

    #[test]
    fn round_trip_reproduces_the_parse_and_its_outputs() {
        let layouts = ledgerlens_fixtures::layout_names();
        assert!(!layouts.is_empty());
        for (n, layout) in layouts.iter().enumerate() {
            let original = parsed(layout, 11 + n as u64);
            let text = encode(&original).expect("encode");
            let back = decode(&text).unwrap_or_else(|| panic!("{layout}: decodes"));
            assert_eq!(
                serde_json::to_value(&back).expect("json"),
                serde_json::to_value(&original).expect("json"),
                "{layout}: the whole parse survives"
            );
            assert_eq!(
                insights_json(&back, "s1"),
                insights_json(&original, "s1"),
                "{layout}"
            );
            let (input, input_back) = (
                crate::enrichment::statement_input("s1", &original),
                crate::enrichment::statement_input("s1", &back),
            );
            assert_eq!(
                crate::enrichment::encode_input(&input).expect("encode"),
                crate::enrichment::encode_input(&input_back).expect("encode"),
                "{layout}: the enrichment input is the same"
            );
        }
    }

    #[test]
    fn untrusted_text_is_refused() {
        let text = encode(&parsed("hdfc_classic", 3)).expect("encode");
        assert!(decode(&text).is_some());
        assert!(decode("").is_none());
        assert!(decode("{\"version\": 1}").is_none());
        let mut value: Value = serde_json::from_str(&text).expect("json");
        value["version"] = Value::from(PARSE_VERSION + 1);
        assert!(decode(&value.to_string()).is_none(), "another version");
        let mut value: Value = serde_json::from_str(&text).expect("json");
        value["bank"]["id"] = Value::from("no-such-bank");
        assert!(decode(&value.to_string()).is_none(), "an unknown bank");
        let mut value: Value = serde_json::from_str(&text).expect("json");
        value["layout"]["wrap_mode"] = Value::from("sideways");
        assert!(decode(&value.to_string()).is_none(), "an unknown wrap mode");
    }
}
