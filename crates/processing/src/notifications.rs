//! The webhook bodies processing queues, and the upload-status view of a session's accounts
//! they share with the polling routes (`session_upload_status/`, `session_status/`). Pure
//! functions over stored rows and assembled accounts; the bodies' types belong to
//! ledgerlens-contract.

use crate::accounts::AccountView;
use ledgerlens_contract::api::{DateRange, SessionStatusStatement, UploadStatusAccount};
use ledgerlens_contract::timestamps::{date_time as timestamp, StatementCreatedAt};
use ledgerlens_contract::webhooks::{
    EnrichmentAccount, EnrichmentNotification, UploadNotification, UploadNotificationAccount,
};
use ledgerlens_store::sessions::SessionRow;
use ledgerlens_store::statements::StatementRow;
use serde_json::Value;

/// A statement with its file name and date range, in the documented order (session_status/ in
/// fetch-data.md, session_upload_status/ in upload-status.md): created_at comes last, in the
/// form of that answer's sample.
pub fn statement_status_detail(
    s: &StatementRow,
    created: StatementCreatedAt,
) -> SessionStatusStatement {
    SessionStatusStatement {
        statement_id: s.id.clone(),
        statement_status: s.status.clone(),
        error_code: s.error_code.clone(),
        error_message: s.error_message.clone(),
        source: s.source.clone(),
        upload_file_name: s.file_name.clone(),
        statement_date_range: DateRange {
            from_date: dd_mm_yyyy(s.from_date.as_deref()),
            to_date: dd_mm_yyyy(s.to_date.as_deref()),
        },
        created_at: created.format(s.created_at),
    }
}

/// The bank's full name ("Axis Bank") from its identifier.
pub fn full_bank_name(bank_name: Option<&str>) -> Option<String> {
    bank_name
        .and_then(ledgerlens_statement::banks::bank_by_id)
        .map(|b| b.name.clone())
}

/// "2025-11-13" → "13/11/2025", the upload status answers' form of a date.
fn dd_mm_yyyy(iso: Option<&str>) -> Option<String> {
    iso.and_then(|d| d.parse::<chrono::NaiveDate>().ok())
        .map(|d| d.format("%d/%m/%Y").to_string())
}

/// The session's period as the upload status answers show it ("DD/MM/YYYY").
pub fn session_date_range(session: &SessionRow) -> DateRange {
    DateRange {
        from_date: dd_mm_yyyy(session.from_date.as_deref()),
        to_date: dd_mm_yyyy(session.to_date.as_deref()),
    }
}

/// accounts[] of session_upload_status/ and of the upload completion webhook (upload-status.md).
pub fn upload_status_accounts(accounts: &[AccountView]) -> Vec<UploadStatusAccount> {
    let text = |a: &AccountView, key: &str| {
        a.details
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    accounts
        .iter()
        .map(|a| UploadStatusAccount {
            account_id: a.account_id.clone(),
            account_number: a.account_number.clone(),
            bank_name: a.bank_name.clone(),
            created_at: timestamp(a.created_at),
            last_updated_at: timestamp(a.updated_at),
            statements: a
                .statements
                .iter()
                .map(|s| statement_status_detail(s, StatementCreatedAt::Offset))
                .collect(),
            account_status: if a.error.is_none() {
                "COMPLETED"
            } else {
                "PARTIAL"
            }
            .to_owned(),
            months: a
                .details
                .get("months")
                .and_then(|m| serde_json::from_value(m.clone()).ok())
                .unwrap_or_default(),
            missing_data: a
                .details
                .get("missing_data")
                .and_then(|m| serde_json::from_value(m.clone()).ok())
                .unwrap_or_default(),
            name: text(a, "name"),
            account_type: text(a, "account_type"),
            full_bank_name: full_bank_name(a.bank_name.as_deref()),
        })
        .collect()
}

/// SESSION_REQUIREMENT_COMPLETION_NOTIFICATION (upload-status.md): "triggered once the upload
/// has been completed by the user", i.e. when processing is requested; it is queued with (and
/// before) the enrichment notification, once the statements are settled. The expiry
/// notification is the same body with its own event name and message.
pub fn upload_completion_payload(
    session: &SessionRow,
    accounts: &[AccountView],
) -> UploadNotification {
    // The webhook sample's accounts stop at missing_data (the polling answer has more).
    let accounts = upload_status_accounts(accounts)
        .into_iter()
        .map(|a| UploadNotificationAccount {
            account_id: a.account_id,
            account_number: a.account_number,
            bank_name: a.bank_name,
            created_at: a.created_at,
            last_updated_at: a.last_updated_at,
            statements: a.statements,
            account_status: a.account_status,
            months: a.months,
            missing_data: a.missing_data,
        })
        .collect();
    UploadNotification {
        session_id: session.id.clone(),
        event_name: "SESSION_REQUIREMENT_COMPLETION_NOTIFICATION".to_owned(),
        message: "Upload Completed".to_owned(),
        accounts,
        session_date_range: session_date_range(session),
    }
}

/// The ENRICHMENT_NOTIFICATION body, keys in processing-status.md's order.
pub fn enrichment_payload(session_id: &str, accounts: &[AccountView]) -> EnrichmentNotification {
    let insights_available = accounts.iter().any(|a| a.document.is_some());
    let accounts = accounts
        .iter()
        .map(|a| {
            let text = |key: &str| {
                a.details
                    .get(key)
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            };
            EnrichmentAccount {
                name: text("name"),
                account_category: text("account_category"),
                account_id: a.account_id.clone(),
                bank_name: a.bank_name.clone(),
                error_code: a.error.as_ref().map(|e| e.0.clone()),
                error_message: a.error.as_ref().map(|e| e.1.clone()),
                account_status: a.status().to_owned(),
                attempt_types: vec!["PDF".to_owned()],
            }
        })
        .collect();
    EnrichmentNotification {
        session_id: session_id.to_owned(),
        insights_available,
        accounts,
        event_name: "ENRICHMENT_NOTIFICATION".to_owned(),
    }
}
