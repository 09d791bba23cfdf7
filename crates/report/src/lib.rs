//! Reports of ledgerlens: the Excel workbook credit analysts read and its XML twin, per account
//! and per session (aggregate), built from the Insights-shaped JSON the server already has.
//! No HTTP and no storage here: bytes in memory out.
//!
//! Both renderings come from one table model ([`model::Report`]), so they carry the same content.

mod labels;
pub mod model;
mod read;
mod sections;
mod summary;
pub mod xlsx;
pub mod xml;

pub use model::{Cell, Report, Scope};
pub use xlsx::{indian_money_format, INDIAN_NUMBER_FORMAT};

use serde_json::Value;

/// One account of the Insights response: its id and its `data` object (account_details,
/// transactions, monthly_analysis, eod_balances, salary_transactions, ...).
#[derive(Debug, Clone, PartialEq)]
pub struct AccountInsights {
    pub account_id: String,
    pub data: Value,
}

impl AccountInsights {
    pub fn new(account_id: impl Into<String>, data: Value) -> AccountInsights {
        AccountInsights {
            account_id: account_id.into(),
            data,
        }
    }

    /// The accounts of an Insights response (`{"accounts": [{"account_id", "data"}]}`).
    pub fn from_insights(insights: &Value) -> Vec<AccountInsights> {
        insights
            .get("accounts")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .map(|a| {
                AccountInsights::new(
                    a.get("account_id")
                        .and_then(Value::as_str)
                        .unwrap_or_default(),
                    a.get("data").cloned().unwrap_or(Value::Null),
                )
            })
            .collect()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("could not write the workbook: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
}

/// The report model of one account.
pub fn account_report(account: &AccountInsights) -> Report {
    sections::build(
        &account.account_id,
        Scope::Account,
        std::slice::from_ref(account),
    )
}

/// The report model of a session: every account, lists tagged with the account.
pub fn aggregate_report(session_id: &str, accounts: &[AccountInsights]) -> Report {
    sections::build(session_id, Scope::Aggregate, accounts)
}

pub fn account_xlsx(account: &AccountInsights) -> Result<Vec<u8>, ReportError> {
    Ok(xlsx::render(&account_report(account))?)
}

pub fn aggregate_xlsx(
    session_id: &str,
    accounts: &[AccountInsights],
) -> Result<Vec<u8>, ReportError> {
    Ok(xlsx::render(&aggregate_report(session_id, accounts))?)
}

pub fn account_xml(account: &AccountInsights) -> String {
    xml::render(&account_report(account))
}

pub fn aggregate_xml(session_id: &str, accounts: &[AccountInsights]) -> String {
    xml::render(&aggregate_report(session_id, accounts))
}
