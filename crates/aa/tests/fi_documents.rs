//! The same synthetic account in XML and both JSON dialects reads to the same model and the same
//! statement; an empty Transactions element is recognisable as NO_TRANSACTIONS_FROM_AA.

use ledgerlens_aa::convert::to_parsed_statement;
use ledgerlens_aa::fi::{self, Dialect, FiError, TxnType};
use ledgerlens_statement::model::TransactionType;
use rust_decimal::Decimal;
use std::str::FromStr;

const XML: &[u8] = include_bytes!("data/deposit_sample.xml");
const JSON_A: &[u8] = include_bytes!("data/deposit_dialect_a.json");
const JSON_B: &[u8] = include_bytes!("data/deposit_dialect_b.json");
const EMPTY: &[u8] = include_bytes!("data/deposit_no_transactions.xml");
const MINIMAL: &[u8] = include_bytes!("data/minimal_deposit.xml");

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// (date, side, amount, balance, narration, reference) per row.
type Row = (String, TransactionType, Decimal, Decimal, String, String);

fn rows(bytes: &[u8]) -> Vec<Row> {
    let statement = to_parsed_statement(&fi::parse(bytes).unwrap());
    statement
        .transactions
        .iter()
        .map(|t| {
            (
                t.date.to_string(),
                t.transaction_type,
                t.amount,
                t.balance,
                t.transaction_note.clone(),
                t.chq_num.clone(),
            )
        })
        .collect()
}

#[test]
fn three_dialects_give_the_same_statement() {
    assert_eq!(fi::parse(XML).unwrap().dialect, Dialect::Xml);
    assert_eq!(fi::parse(JSON_A).unwrap().dialect, Dialect::JsonCapitalised);
    assert_eq!(fi::parse(JSON_B).unwrap().dialect, Dialect::JsonCamel);

    let expected = rows(XML);
    assert_eq!(expected.len(), 4);
    assert_eq!(expected[0].0, "2025-01-02 10:15:00");
    assert_eq!(expected[3].0, "2025-01-31 00:00:00");
    assert_eq!(expected[2].2, dec("1234.56"));
    assert_eq!(rows(JSON_A), expected, "dialect A");
    assert_eq!(rows(JSON_B), expected, "dialect B");

    for bytes in [XML, JSON_A, JSON_B] {
        let account = fi::parse(bytes).unwrap();
        let statement = to_parsed_statement(&account);
        let r = &statement.reconciliation;
        assert!(r.reconciled, "{r:?}");
        assert_eq!(r.opening_balance, Some(dec("10000.00")));
        assert_eq!(r.closing_balance, Some(dec("54265.44")));
        assert_eq!(r.sides_inferred, 0);
        assert_eq!(
            statement.bank.as_ref().map(|b| b.bank.id.as_str()),
            Some("hdfc")
        );

        let id = &statement.identity;
        assert_eq!(id.name.as_deref(), Some("ASHA VERMA & RAVI VERMA"));
        assert_eq!(id.account_number.as_deref(), Some("XXXXXXXX4020"));
        assert_eq!(id.ifsc.as_deref(), Some("HDFC0001234"));
        assert_eq!(id.micr.as_deref(), Some("400240015"));
        assert_eq!(id.account_type.as_deref(), Some("overdraft"));
        assert_eq!(id.account_category.as_deref(), Some("individual"));
        assert_eq!(id.od_limit, Some(dec("25000")));
        assert_eq!(id.credit_limit, Some(dec("20000")));
        assert_eq!(id.phone_number.as_deref(), Some("9876543210"));
        assert_eq!(id.pan_number.as_deref(), Some("ABCPV1234K"));
        assert_eq!(id.email.as_deref(), Some("asha.verma@example.invalid"));
        assert_eq!(id.dob.map(|d| d.to_string()).as_deref(), Some("1988-03-14"));
        assert_eq!(
            id.account_opening_date.map(|d| d.to_string()).as_deref(),
            Some("2016-04-01")
        );
        assert_eq!(
            id.from_date.map(|d| d.to_string()).as_deref(),
            Some("2025-01-01")
        );
        assert_eq!(
            id.to_date.map(|d| d.to_string()).as_deref(),
            Some("2025-01-31")
        );
        assert_eq!(id.account_status.as_deref(), Some("active"));
        assert_eq!(id.holder_type.as_deref(), Some("joint"));

        let summary = account.summary.as_ref().unwrap();
        assert_eq!(summary.current_balance, Some(dec("54265.44")));
        assert_eq!(summary.branch.as_deref(), Some("SYNTHETIC NAGAR"));
        assert_eq!(summary.pending.len(), 1);
        assert_eq!(summary.pending[0].amount, Some(dec("150")));
        assert_eq!(summary.pending[0].transaction_type, Some(TxnType::Debit));
        assert_eq!(
            summary.balance_date_time.map(|t| t.to_string()).as_deref(),
            Some("2025-01-31 23:59:59")
        );
        let holders = &account.profile.as_ref().unwrap().holders;
        assert_eq!(holders.len(), 2);
        assert_eq!(
            holders[1].dob.map(|d| d.to_string()).as_deref(),
            Some("1985-11-02")
        );
        assert_eq!(holders[1].ckyc_compliance, Some(false));
        let txns = &account.transactions.as_ref().unwrap().list;
        assert!(txns.iter().any(|t| t.txn_id.as_deref() == Some("S100003")
            && t.mode.as_deref() == Some("FT")
            && t.value_date.map(|d| d.to_string()).as_deref() == Some("2025-01-10")));
    }
    // Dialect A arrives unsorted, dialect B newest-first: both are reported, neither breaks.
    let a = to_parsed_statement(&fi::parse(JSON_A).unwrap());
    assert!(a
        .reconciliation
        .warnings
        .iter()
        .any(|w| w.contains("sorted")));
    let b = to_parsed_statement(&fi::parse(JSON_B).unwrap());
    assert!(b.layout.reversed_order);
    // Row hashes are stable and distinct.
    let x = to_parsed_statement(&fi::parse(XML).unwrap());
    let hashes: std::collections::HashSet<_> = x.transactions.iter().map(|t| &t.hash).collect();
    assert_eq!(hashes.len(), 4);
    assert_eq!(
        x.transactions.iter().map(|t| &t.hash).collect::<Vec<_>>(),
        b.transactions.iter().map(|t| &t.hash).collect::<Vec<_>>()
    );
}

#[test]
fn empty_transactions_is_no_transactions_from_aa() {
    let account = fi::parse(EMPTY).unwrap();
    assert!(account.has_no_transactions());
    let statement = to_parsed_statement(&account);
    assert!(statement.transactions.is_empty());
    // Identity and the summary balance still come through.
    assert_eq!(statement.identity.closing_balance, Some(dec("-1520.75")));
    assert_eq!(statement.identity.account_type.as_deref(), Some("current"));
    assert_eq!(
        statement.identity.account_category.as_deref(),
        Some("corporate")
    );
    assert_eq!(
        statement.identity.account_status.as_deref(),
        Some("inactive")
    );
    assert_eq!(statement.identity.holder_type.as_deref(), Some("single"));
    assert_eq!(
        statement.bank.as_ref().map(|b| b.bank.id.as_str()),
        Some("sbi")
    );
    assert_eq!(
        ledgerlens_aa::convert::NO_TRANSACTIONS_FROM_AA,
        "NO_TRANSACTIONS_FROM_AA"
    );
    // Missing Transactions element altogether counts the same.
    let no_element = r#"{"account":{"type":"deposit","maskedAccNumber":"XX11","summary":{"currentBalance":"5"}}}"#;
    assert!(fi::parse(no_element.as_bytes())
        .unwrap()
        .has_no_transactions());
    assert!(!fi::parse(XML).unwrap().has_no_transactions());
}

#[test]
fn the_digests_minimal_document_reads() {
    let account = fi::parse(MINIMAL).unwrap();
    let statement = to_parsed_statement(&account);
    assert_eq!(statement.transactions.len(), 1);
    assert_eq!(
        statement.reconciliation.opening_balance,
        Some(dec("10000.00"))
    );
    assert!(statement.reconciliation.reconciled);
    // TEST0000001 names no bank.
    assert!(
        statement.bank.is_none(),
        "{:?}",
        statement.bank.as_ref().map(|b| (&b.bank.id, &b.reasons))
    );
}

#[test]
fn xml2js_style_and_single_objects() {
    let doc = r#"{"Account":{"$":{"type":"deposit","maskedAccNumber":"XXXX9","version":"1.0"},
      "Profile":{"Holders":{"_type":"SINGLE","Holder":{"_name":"SOLO","_mobile":9999999999}}},
      "Summary":{"@currentBalance":"100.00","@ifscCode":"BARB0SHIPOO","@micrCode":"400012002"},
      "Transactions":{"Transaction":{"_type":"DEBIT","_amount":"50","_currentBalance":"100.00",
        "_transactionTimestamp":"2019-07-14T13:20:00","_narration":"ONE ROW","_txnId":"1"}}}}"#;
    let account = fi::parse(doc.as_bytes()).unwrap();
    assert_eq!(account.masked_acc_number.as_deref(), Some("XXXX9"));
    assert_eq!(
        account.profile.as_ref().unwrap().holders[0].name.as_deref(),
        Some("SOLO")
    );
    let statement = to_parsed_statement(&account);
    assert_eq!(statement.transactions.len(), 1);
    assert_eq!(
        statement.transactions[0].date.to_string(),
        "2019-07-14 13:20:00"
    );
    assert_eq!(
        statement.reconciliation.opening_balance,
        Some(dec("150.00"))
    );
    // The IFSC fails the pattern, the MICR's bank code (012 = Bank of Baroda) still names it.
    assert_eq!(
        statement.bank.as_ref().map(|b| b.bank.id.as_str()),
        Some("baroda")
    );
}

#[test]
fn accounts_inside_wrappers_are_found() {
    let xml =
        String::from_utf8_lossy(XML).replace("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "");
    let wrapped = format!("<FI fipId=\"FIP-1\"><Data>{xml}</Data></FI>");
    assert_eq!(rows(wrapped.as_bytes()), rows(XML));
    let json: serde_json::Value = serde_json::from_slice(JSON_A).unwrap();
    let enveloped = serde_json::json!({"fips": [{"fipId": "FIP-1", "accounts": [{"data": json}]}]});
    let account = fi::parse(enveloped.to_string().as_bytes()).unwrap();
    assert_eq!(account.dialect, Dialect::JsonCapitalised);
    assert_eq!(rows(enveloped.to_string().as_bytes()), rows(XML));
}

#[test]
fn broken_chain_and_inferred_sides_are_reported() {
    let doc = r#"<Account type="deposit" maskedAccNumber="XX1"><Transactions startDate="2025-01-01" endDate="2025-01-31">
      <Transaction txnId="1" type="CREDIT" amount="100" currentBalance="1100" transactionTimestamp="2025-01-02T10:00:00+05:30" narration="A"/>
      <Transaction txnId="2" amount="40" currentBalance="1060" transactionTimestamp="2025-01-03T10:00:00+05:30" narration="B no type"/>
      <Transaction txnId="3" type="DEBIT" amount="10" currentBalance="1000" transactionTimestamp="2025-01-04T10:00:00+05:30" narration="C break"/>
      <Transaction txnId="4" type="DR" amount="-5" transactionTimestamp="2025-01-05T10:00:00+05:30" narration="D no balance"/>
      <Transaction txnId="5" type="CREDIT" amount="" currentBalance="1" transactionTimestamp="2025-01-06T10:00:00+05:30" narration="E no amount"/>
      </Transactions></Account>"#;
    let account = fi::parse(doc.as_bytes()).unwrap();
    assert_eq!(account.transactions.as_ref().unwrap().list.len(), 4);
    assert!(account
        .warnings
        .iter()
        .any(|w| w.contains("txnId 5") && w.contains("dropped")));
    let statement = to_parsed_statement(&account);
    let r = &statement.reconciliation;
    assert!(!r.reconciled);
    assert_eq!(r.sides_inferred, 1);
    assert_eq!(
        statement.transactions[1].transaction_type,
        TransactionType::Debit
    );
    assert_eq!(r.breaks.len(), 1);
    assert_eq!(r.breaks[0].row, 2);
    assert_eq!(r.breaks[0].expected_balance, dec("1050"));
    assert_eq!(r.breaks[0].printed_balance, dec("1000"));
    let last = &statement.transactions[3];
    assert!(last.balance_derived);
    assert_eq!(last.amount, dec("5"));
    assert_eq!(last.balance, dec("995"));
    assert_eq!(r.closing_balance, Some(dec("995")));
}

#[test]
fn rejects_what_is_not_a_deposit_document() {
    assert_eq!(fi::parse(b"hello"), Err(FiError::UnknownFormat));
    assert!(matches!(fi::parse(b"<Account"), Err(FiError::Xml(_))));
    assert!(matches!(fi::parse(b"{\"a\":"), Err(FiError::Json(_))));
    assert_eq!(
        fi::parse(br#"<Account type="term_deposit" maskedAccNumber="X"/>"#),
        Err(FiError::NotDeposit("term_deposit".into()))
    );
    assert_eq!(fi::parse(br#"{"hello":"AA"}"#), Err(FiError::NoAccount));
    assert_eq!(
        fi::parse(br#"<FI><Account type="deposit"/><Account type="deposit"/></FI>"#),
        Err(FiError::SeveralAccounts(2))
    );
    assert_eq!(
        fi::parse(br#"[{"account":{}},{"account":{}}]"#),
        Err(FiError::SeveralAccounts(2))
    );
    // One base64 layer (rahasya REST output) is undone.
    use base64::Engine;
    let wrapped = base64::engine::general_purpose::STANDARD.encode(XML);
    assert_eq!(fi::parse(wrapped.as_bytes()).unwrap().dialect, Dialect::Xml);
}
