//! FI data from the fixture generator: each simulated account's statement is synthesised
//! exactly as its PDF would be (same layout, seed and period), then written as a ReBIT DEPOSIT
//! XML document (digest §6.1), so one synthetic account can be read from either source.

use crate::config::SimAccount;
use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use ledgerlens_fixtures::{GenerateOptions, StatementTruth};
use std::fmt::Write;

/// The account's statement: `months` whole calendar months ending with last month.
pub fn statement(account: &SimAccount) -> Result<(Vec<u8>, StatementTruth), String> {
    statement_until(account, Utc::now().date_naive())
}

pub fn statement_until(
    account: &SimAccount,
    today: NaiveDate,
) -> Result<(Vec<u8>, StatementTruth), String> {
    let months = account.months.clamp(1, 24);
    let this_month = NaiveDate::from_ymd_opt(today.year(), today.month(), 1).unwrap_or(today);
    let start = this_month
        .checked_sub_months(chrono::Months::new(months))
        .unwrap_or(this_month);
    let options = GenerateOptions {
        seed: account.seed,
        months: Some(months),
        start_date: Some(start),
        density: None,
    };
    ledgerlens_fixtures::generate_with(&account.layout, &options).map_err(|e| e.to_string())
}

/// Masked the way FIPs show it: all but the last four digits as X.
pub fn masked(account_number: &str) -> String {
    let digits: Vec<char> = account_number
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let keep = digits.len().saturating_sub(4);
    digits
        .iter()
        .enumerate()
        .map(|(i, c)| if i < keep { 'X' } else { *c })
        .collect()
}

/// What the consent and FI request allow the FIP to send.
pub struct Disclosure {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub profile: bool,
    pub summary: bool,
    pub transactions: bool,
    /// The "no transactions" fault: an empty Transactions element.
    pub empty_transactions: bool,
}

/// The DEPOSIT document for `truth`'s account, cut to the disclosure.
pub fn deposit_xml(
    account: &SimAccount,
    truth: &StatementTruth,
    mobile: &str,
    d: &Disclosure,
) -> String {
    let id = &truth.identity;
    let mut xml = String::with_capacity(256 + truth.transactions.len() * 256);
    let _ = write!(
        xml,
        r#"<Account xmlns="http://api.rebit.org.in/FISchema/deposit" linkedAccRef="{}" maskedAccNumber="{}" version="1.1" type="deposit">"#,
        esc(&account.link_ref),
        esc(&masked(&id.account_number)),
    );
    if d.profile {
        let holders = if id.holder_type.as_deref() == Some("joint") {
            "JOINT"
        } else {
            "SINGLE"
        };
        let dob = id
            .dob
            .unwrap_or_else(|| NaiveDate::from_ymd_opt(1990, 1, 1).unwrap_or_default());
        let _ = write!(
            xml,
            r#"<Profile><Holders type="{holders}"><Holder name="{}" dob="{dob}" mobile="{}" nominee="NOT-REGISTERED" address="{}" ckycCompliance="true"/></Holders></Profile>"#,
            esc(&id.name),
            esc(mobile),
            esc(&id.address),
        );
    }
    if d.summary {
        let (kind, facility) = match id.account_type.as_str() {
            "current" => ("CURRENT", None),
            "overdraft" => ("CURRENT", Some("OD")),
            _ => ("SAVINGS", None),
        };
        let _ = write!(
            xml,
            r#"<Summary currentBalance="{}" currency="INR" exchgeRate="" balanceDateTime="{}T23:59:59+05:30" type="{kind}" branch="{}" ifscCode="{}" micrCode="{}" openingDate="2015-06-01" status="ACTIVE""#,
            id.closing_balance,
            id.to_date,
            esc(id
                .address_lines
                .last()
                .map(String::as_str)
                .unwrap_or("MAIN")),
            esc(id.ifsc.as_deref().unwrap_or("")),
            esc(id.micr.as_deref().unwrap_or("")),
        );
        if let Some(facility) = facility {
            let _ = write!(xml, r#" facility="{facility}""#);
        }
        if let Some(limit) = id.od_limit {
            let _ = write!(xml, r#" currentODLimit="{limit}" drawingLimit="{limit}""#);
        }
        xml.push_str("/>");
    }
    if d.transactions {
        let _ = write!(
            xml,
            r#"<Transactions startDate="{}" endDate="{}">"#,
            d.from, d.to
        );
        if !d.empty_transactions {
            for (index, txn) in truth.transactions.iter().enumerate() {
                let day = txn.date.date();
                if day < d.from || day > d.to {
                    continue;
                }
                transaction(&mut xml, account, index, txn);
            }
        }
        xml.push_str("</Transactions>");
    }
    xml.push_str("</Account>");
    xml
}

fn transaction(
    xml: &mut String,
    account: &SimAccount,
    index: usize,
    txn: &ledgerlens_fixtures::TxnTruth,
) {
    let kind = if txn.transaction_type == "credit" {
        "CREDIT"
    } else {
        "DEBIT"
    };
    let _ = write!(
        xml,
        r#"<Transaction txnId="S{}-{index}" type="{kind}" mode="{}" amount="{}" currentBalance="{}" transactionTimestamp="{}" valueDate="{}" narration="{}" reference="{}"/>"#,
        account.seed,
        mode(&txn.transaction_note),
        txn.amount,
        txn.balance,
        timestamp(txn.date),
        txn.date.date(),
        esc(&txn.transaction_note),
        esc(&txn.chq_num),
    );
}

fn timestamp(at: NaiveDateTime) -> String {
    // The fixture's midnight means "no time printed"; FIPs send midnight too (a documented quirk).
    let time = if at.time() == NaiveTime::MIN {
        NaiveTime::MIN
    } else {
        at.time()
    };
    format!("{}T{}+05:30", at.date(), time.format("%H:%M:%S"))
}

fn mode(narration: &str) -> &'static str {
    let upper = narration.to_ascii_uppercase();
    if upper.contains("UPI") {
        "UPI"
    } else if upper.contains("ATM") || upper.contains("ATW") {
        "ATM"
    } else if upper.contains("NEFT") || upper.contains("IMPS") || upper.contains("RTGS") {
        "FT"
    } else if upper.contains("POS") {
        "CARD"
    } else {
        "OTHERS"
    }
}

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::default_accounts;

    #[test]
    fn document_reads_back_with_the_truths_transactions() {
        let account = &default_accounts()[0];
        let today = NaiveDate::from_ymd_opt(2026, 12, 5).unwrap();
        let (_, truth) = statement_until(account, today).unwrap();
        assert_eq!(
            truth.identity.from_date,
            NaiveDate::from_ymd_opt(2026, 6, 1).unwrap()
        );
        let all = Disclosure {
            from: truth.identity.from_date,
            to: truth.identity.to_date,
            profile: true,
            summary: true,
            transactions: true,
            empty_transactions: false,
        };
        let xml = deposit_xml(account, &truth, "9999999999", &all);
        let parsed = ledgerlens_aa::fi::parse(xml.as_bytes()).unwrap();
        let txns = parsed.transactions.unwrap().list;
        assert_eq!(txns.len(), truth.transactions.len());
        assert_eq!(txns[0].amount, truth.transactions[0].amount);
        assert_eq!(
            parsed.profile.unwrap().holders[0].name,
            Some(truth.identity.name.clone())
        );

        let cut = Disclosure {
            from: NaiveDate::from_ymd_opt(2026, 8, 1).unwrap(),
            profile: false,
            ..all
        };
        let parsed =
            ledgerlens_aa::fi::parse(deposit_xml(account, &truth, "1", &cut).as_bytes()).unwrap();
        assert!(parsed.profile.is_none());
        let cut_txns = parsed.transactions.unwrap().list;
        assert!(!cut_txns.is_empty() && cut_txns.len() < truth.transactions.len());
    }

    #[test]
    fn masks_all_but_four() {
        assert_eq!(masked("50100012345678"), "XXXXXXXXXX5678");
        assert_eq!(masked("12"), "12");
    }
}
