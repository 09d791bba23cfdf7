//! Opens the generated workbooks with calamine (an independent reader) and checks sheets, cell
//! types and totals against the Insights JSON they were made from.

use calamine::{open_workbook_from_rs, Data, DataType, Range, Reader, Xlsx};
use chrono::NaiveDate;
use ledgerlens_analysis::{enrich, AccountInput, EnrichmentContext};
use ledgerlens_report::{
    account_xlsx, account_xml, aggregate_xlsx, aggregate_xml, AccountInsights, INDIAN_NUMBER_FORMAT,
};
use ledgerlens_statement::model::{Transaction, TransactionType};
use rust_decimal::Decimal;
use serde_json::{json, Value};
use std::io::{Cursor, Read};

const SHEETS: [&str; 11] = [
    "Overview",
    "Transactions",
    "Monthly analysis",
    "Monthly totals",
    "EOD balances",
    "Salary",
    "Recurring",
    "Lender",
    "Bounces",
    "Top credits and debits",
    "Fraud",
];

fn txn(date: &str, credit: bool, amount: i64, balance: i64, note: &str) -> Transaction {
    Transaction {
        transaction_type: if credit {
            TransactionType::Credit
        } else {
            TransactionType::Debit
        },
        transaction_note: note.to_owned(),
        chq_num: String::new(),
        // Paise, so the totals exercise decimals.
        amount: Decimal::new(amount, 2),
        balance: Decimal::new(balance, 2),
        date: NaiveDate::parse_from_str(date, "%Y-%m-%d")
            .expect("test date")
            .and_hms_opt(0, 0, 0)
            .expect("midnight"),
        value_date: None,
        hash: format!("{date}-{note}-{amount}"),
        page: 1,
        balance_derived: false,
    }
}

/// Three months of an account with salary, EMI, a bounce and large (lakh-sized) amounts.
fn account(id: &str, number: &str, scale: i64) -> AccountInsights {
    let mut balance = 1_000_000 * scale;
    let mut rows = Vec::new();
    let mut push = |date: &str, credit: bool, amount: i64, note: &str| {
        balance += if credit { amount } else { -amount };
        rows.push(txn(date, credit, amount, balance, note));
    };
    for month in ["06", "07", "08"] {
        push(
            &format!("2025-{month}-01"),
            true,
            8_550_075 * scale,
            "NEFT-SALARY ACME TECHNOLOGIES PVT LTD",
        );
        push(
            &format!("2025-{month}-05"),
            false,
            1_234_550,
            "ACH/BAJAJ FINANCE LTD/EMI",
        );
        push(
            &format!("2025-{month}-12"),
            false,
            45_099,
            "UPI/SWIGGY/food order",
        );
        push(
            &format!("2025-{month}-20"),
            false,
            200_000,
            "ATM WDL SBI ATM",
        );
    }
    push("2025-08-21", false, 59_000, "ACH RETURN CHARGES BOUNCE");
    let input = AccountInput {
        account_id: id.to_owned(),
        account_number: Some(number.to_owned()),
        bank: Some("hdfc".to_owned()),
        ..AccountInput::from_transactions(rows)
    };
    let mut data = enrich(&input, &EnrichmentContext::default()).to_insights_data();
    data["account_details"] = json!({
        "name": "ASHA VERMA",
        "account_number": number,
        "bank": "hdfc",
        "ifsc": "HDFC0000123",
        "account_category": "individual",
        "months": ["2025-06", "2025-07", "2025-08"],
        "missing_data": [],
        "account_date_range": {"from_date": "2025-06-01", "to_date": "2025-08-31"},
    });
    AccountInsights::new(id, data)
}

fn open(bytes: Vec<u8>) -> Xlsx<Cursor<Vec<u8>>> {
    open_workbook_from_rs(Cursor::new(bytes)).expect("calamine opens the workbook")
}

fn sheet(book: &mut Xlsx<Cursor<Vec<u8>>>, name: &str) -> Range<Data> {
    book.worksheet_range(name).expect("sheet exists")
}

fn header(range: &Range<Data>) -> Vec<String> {
    range
        .rows()
        .next()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .unwrap_or_default()
}

fn column(range: &Range<Data>, title: &str) -> Vec<Data> {
    let index = header(range)
        .iter()
        .position(|h| h == title)
        .unwrap_or_else(|| panic!("column {title} in {:?}", header(range)));
    range
        .rows()
        .skip(1)
        .map(|r| r.get(index).cloned().unwrap_or(Data::Empty))
        .collect()
}

fn sum(cells: &[Data]) -> f64 {
    cells
        .iter()
        .map(|c| match c {
            Data::Float(f) => *f,
            Data::Int(i) => *i as f64,
            _ => 0.0,
        })
        .sum()
}

fn json_total(data: &Value, side: &str) -> f64 {
    data["transactions"]
        .as_array()
        .expect("transactions")
        .iter()
        .filter(|t| t["transaction_type"] == side)
        .map(|t| t["amount"].as_f64().expect("amount"))
        .sum()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 0.005
}

#[test]
fn account_workbook_matches_the_insights_json() {
    let acc = account("acc-1", "50100012345678", 1);
    let mut book = open(account_xlsx(&acc).expect("renders"));
    assert_eq!(book.sheet_names(), SHEETS);

    let txns = sheet(&mut book, "Transactions");
    let count = acc.data["transactions"].as_array().map_or(0, Vec::len);
    assert_eq!(
        txns.height(),
        count + 1,
        "header plus one row per transaction"
    );
    let dates = column(&txns, "Date");
    assert!(
        dates.iter().all(|d| matches!(d, Data::DateTime(_))),
        "dates are real Excel dates: {dates:?}"
    );
    let first = acc.data["transactions"][0]["date"].as_str().unwrap_or("");
    assert_eq!(
        dates[0].as_date(),
        NaiveDate::parse_from_str(first, "%Y-%m-%d %H:%M:%S").ok()
    );
    let debits = column(&txns, "Debit");
    assert!(debits
        .iter()
        .all(|d| matches!(d, Data::Float(_) | Data::Empty)));
    assert!(close(sum(&debits), json_total(&acc.data, "debit")));
    assert!(close(
        sum(&column(&txns, "Credit")),
        json_total(&acc.data, "credit")
    ));
    assert!(column(&txns, "Category")
        .iter()
        .all(|c| matches!(c, Data::String(_))));

    // Monthly totals agree with the transactions and with the enrichment's monthly analysis.
    let totals = sheet(&mut book, "Monthly totals");
    assert_eq!(totals.height(), 4);
    assert!(close(
        sum(&column(&totals, "Credits")),
        json_total(&acc.data, "credit")
    ));
    let amt_credit: f64 = acc.data["monthly_analysis"]["amt_credit"]
        .as_object()
        .expect("amt_credit")
        .values()
        .filter_map(Value::as_f64)
        .sum();
    assert!(close(sum(&column(&totals, "Credits")), amt_credit));
    assert!(matches!(column(&totals, "Month")[0], Data::DateTime(_)));

    let overview = sheet(&mut book, "Overview");
    let field = |name: &str| {
        overview
            .rows()
            .find(|r| r.first().map(|c| c.to_string()) == Some(name.to_owned()))
            .and_then(|r| r.get(1).cloned())
            .unwrap_or(Data::Empty)
    };
    assert_eq!(field("Account holder"), Data::String("ASHA VERMA".into()));
    assert_eq!(field("Transactions"), Data::Float(count as f64));
    assert_eq!(field("Reconciliation"), Data::String("Reconciled".into()));
    assert!(matches!(field("Period from"), Data::DateTime(_)));
    assert!(close(
        sum(&[field("Total debits")]),
        json_total(&acc.data, "debit")
    ));
    assert_eq!(
        sum(&[field("Score")]),
        acc.data["score"].as_f64().unwrap_or(-1.0)
    );

    let eod = sheet(&mut book, "EOD balances");
    let non_null = acc.data["eod_balances"]
        .as_object()
        .expect("eod")
        .iter()
        .filter(|(k, _)| k.as_str() != "Months_order" && k.as_str() != "start_date")
        .filter_map(|(_, v)| v.as_array())
        .flatten()
        .filter(|v| v.is_number())
        .count();
    assert_eq!(eod.height(), non_null + 1);

    let salary = sheet(&mut book, "Salary");
    assert!(salary.height() > 1, "the fixture has a salary");
    assert!(
        sheet(&mut book, "Lender").height() > 1,
        "the fixture has an EMI lender"
    );
    assert!(sheet(&mut book, "Top credits and debits").height() > 1);
    assert_eq!(
        salary.height() - 1,
        acc.data["salary_transactions"]
            .as_array()
            .map_or(0, Vec::len)
    );
    let bounces = sheet(&mut book, "Bounces");
    assert_eq!(
        bounces.height().saturating_sub(1),
        acc.data["bounced_or_penal_transactions"]
            .as_array()
            .map_or(0, Vec::len)
    );
}

/// The parts calamine does not expose: number format, frozen header, filter and charts.
#[test]
fn workbook_carries_formats_panes_filters_and_charts() {
    let bytes = account_xlsx(&account("acc-1", "50100012345678", 1)).expect("renders");
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("xlsx is a zip");
    let mut part = |name: &str| {
        let mut text = String::new();
        zip.by_name(name)
            .unwrap_or_else(|_| panic!("{name} in the package"))
            .read_to_string(&mut text)
            .expect("utf-8 part");
        text
    };
    let styles = part("xl/styles.xml");
    let escaped = INDIAN_NUMBER_FORMAT.replace('>', "&gt;");
    assert!(styles.contains(&escaped), "Indian number format in styles");
    let transactions = part("xl/worksheets/sheet2.xml");
    assert!(transactions.contains("state=\"frozen\""));
    assert!(transactions.contains("<autoFilter"));
    let totals_chart = part("xl/charts/chart1.xml");
    assert!(totals_chart.contains("<c:barChart>"));
    let eod_chart = part("xl/charts/chart2.xml");
    assert!(eod_chart.contains("<c:lineChart>"));
}

#[test]
fn aggregate_workbook_spans_accounts() {
    let accounts = [
        account("acc-1", "50100012345678", 1),
        account("acc-2", "91802000011111", 2),
    ];
    let mut book = open(aggregate_xlsx("session-9", &accounts).expect("renders"));
    assert_eq!(book.sheet_names(), SHEETS);
    let txns = sheet(&mut book, "Transactions");
    let labels = column(&txns, "Account");
    let expected: usize = accounts
        .iter()
        .map(|a| a.data["transactions"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(labels.len(), expected);
    assert!(labels.contains(&Data::String("91802000011111".into())));
    let credits: f64 = accounts.iter().map(|a| json_total(&a.data, "credit")).sum();
    assert!(close(sum(&column(&txns, "Credit")), credits));
    let totals = sheet(&mut book, "Monthly totals");
    assert!(close(sum(&column(&totals, "Credits")), credits));
    let eod = sheet(&mut book, "EOD balances");
    assert_eq!(header(&eod), ["Date", "50100012345678", "91802000011111"]);
    let overview = sheet(&mut book, "Overview");
    assert_eq!(overview.width(), 3, "field column plus one per account");
}

#[test]
fn xml_report_carries_the_same_content() {
    let acc = account("acc-1", "50100012345678", 1);
    let text = account_xml(&acc);
    let doc = roxmltree::Document::parse(&text).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.attribute("scope"), Some("account"));
    let transactions = root
        .children()
        .find(|n| n.has_tag_name("transactions"))
        .expect("transactions element");
    let rows: Vec<_> = transactions
        .children()
        .filter(|n| n.has_tag_name("row"))
        .collect();
    assert_eq!(
        rows.len(),
        acc.data["transactions"].as_array().map_or(0, Vec::len)
    );
    let debit_total: f64 = rows
        .iter()
        .flat_map(|r| r.children().filter(|c| c.has_tag_name("debit")))
        .map(|c| {
            assert_eq!(c.attribute("type"), Some("money"));
            c.text().and_then(|t| t.parse::<f64>().ok()).unwrap_or(0.0)
        })
        .sum();
    assert!(close(debit_total, json_total(&acc.data, "debit")));
    let first_date = rows[0]
        .children()
        .find(|c| c.has_tag_name("date"))
        .and_then(|c| c.text());
    assert_eq!(first_date, Some("2025-06-01"));
    for key in [
        "overview",
        "monthly_analysis",
        "monthly_totals",
        "eod_balances",
        "salary",
        "recurring",
        "lender",
        "bounces",
        "top_credits_debits",
        "fraud",
    ] {
        assert!(root.children().any(|n| n.has_tag_name(key)), "{key}");
    }
    let aggregate = aggregate_xml("session-9", std::slice::from_ref(&acc));
    assert!(roxmltree::Document::parse(&aggregate).is_ok());
}

#[test]
fn empty_or_odd_json_still_renders() {
    for data in [
        json!(null),
        json!({}),
        json!({"transactions": "nope", "eod_balances": [1]}),
    ] {
        let acc = AccountInsights::new("x", data);
        let mut book = open(account_xlsx(&acc).expect("renders"));
        assert_eq!(book.sheet_names().len(), SHEETS.len());
        assert_eq!(sheet(&mut book, "Transactions").height(), 1);
        assert!(roxmltree::Document::parse(&account_xml(&acc)).is_ok());
    }
}
