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

const SHEETS: [&str; 14] = [
    "Summary",
    "Overview",
    "Transactions",
    "Monthly analysis",
    "Monthly analysis keys",
    "Monthly totals",
    "EOD balances",
    "Salary",
    "Recurring",
    "Lender",
    "Bounces",
    "Top credits and debits",
    "Counterparties",
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
    let enrichment = enrich(&input, &EnrichmentContext::default());
    let mut data = enrichment.to_insights_data();
    // The server adds the score's factors to the report's data (they are not an Insights key).
    data["score_factors"] = json!(enrichment.score.factors);
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
    let filled = eod
        .rows()
        .skip(1)
        .take(31)
        .flat_map(|r| r.iter().skip(1))
        .filter(|c| matches!(c, Data::Float(_)))
        .count();
    assert_eq!(filled, non_null, "one cell per day with a balance");
    assert_eq!(
        eod.height(),
        1 + 31 + 2,
        "days 1-31, then average and lowest"
    );
    assert_eq!(header(&eod), ["Day", "Jun-2025", "Jul-2025", "Aug-2025"]);

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
    let lakh = r"##\,##\,##0.00;-##\,##\,##0.00";
    assert!(styles.contains(lakh), "lakh pattern with its minus sign");
    let transactions = part("xl/worksheets/sheet3.xml");
    assert!(transactions.contains("state=\"frozen\""));
    assert!(transactions.contains("<autoFilter"));
    assert!(transactions.contains("orientation=\"landscape\""));
    assert!(transactions.contains("fitToHeight=\"0\""));
    assert!(transactions.contains("<pageSetUpPr fitToPage=\"1\"/>"));
    let workbook = part("xl/workbook.xml");
    assert!(
        workbook.contains("_xlnm.Print_Titles\" localSheetId=\"2\">Transactions!$1:$1"),
        "header row repeated on printed pages: {workbook}"
    );
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
    assert_eq!(header(&eod)[..2], ["Account", "Day"]);
    assert_eq!(eod.height(), 1 + 2 * 33, "a block of 33 rows per account");
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
    assert!(
        !text.contains("<c_5010") && !text.contains("<c_9180"),
        "no element named after an account number"
    );
    let overview = root
        .children()
        .find(|n| n.has_tag_name("overview"))
        .expect("overview");
    assert!(overview
        .descendants()
        .any(|n| n.has_tag_name("account") && n.attribute("column") == Some("50100012345678")));
    for key in [
        "summary",
        "overview",
        "monthly_analysis",
        "monthly_analysis_keys",
        "counterparties",
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

fn summary_field(book: &mut Xlsx<Cursor<Vec<u8>>>, name: &str) -> Data {
    let summary = sheet(book, "Summary");
    summary
        .rows()
        .find(|r| r.first().map(|c| c.to_string()) == Some(name.to_owned()))
        .and_then(|r| r.get(1).cloned())
        .unwrap_or_else(|| panic!("Summary row {name}"))
}

fn mean_of_metric(data: &Value, metric: &str) -> f64 {
    let values: Vec<f64> = data["monthly_analysis"][metric]
        .as_object()
        .map(|m| m.values().filter_map(Value::as_f64).collect())
        .unwrap_or_default();
    values.iter().sum::<f64>() / values.len() as f64
}

#[test]
fn summary_sheet_comes_first_with_the_underwriting_figures() {
    let acc = account("acc-1", "50100012345678", 1);
    let mut book = open(account_xlsx(&acc).expect("renders"));
    assert_eq!(book.sheet_names()[0], "Summary");
    let abb = summary_field(
        &mut book,
        "Average bank balance (ABB: mean of the monthly average EOD balances)",
    );
    assert!(close(sum(&[abb]), mean_of_metric(&acc.data, "avg_bal")));
    let credits = summary_field(&mut book, "Average monthly credits");
    assert!(close(
        sum(&[credits]),
        mean_of_metric(&acc.data, "amt_credit")
    ));
    let emi = sum(&[summary_field(&mut book, "Average monthly EMI")]);
    assert!(close(emi, mean_of_metric(&acc.data, "amt_emi_debit")));
    assert!(emi > 0.0, "the fixture pays an EMI");
    let salary = sum(&[summary_field(
        &mut book,
        "Average monthly salary (months with salary)",
    )]);
    assert!(
        close(salary, 85_500.75),
        "three salaries of 85,500.75: {salary}"
    );
    let foir = sum(&[summary_field(
        &mut book,
        "FOIR (average monthly EMI / average monthly salary)",
    )]);
    assert!((foir - emi * 100.0 / salary).abs() < 0.01, "FOIR {foir}");
    assert_eq!(
        summary_field(&mut book, "Bounced or penal transactions"),
        Data::Float(
            acc.data["bounced_or_penal_transactions"]
                .as_array()
                .map_or(0, Vec::len) as f64
        )
    );
    assert_eq!(
        summary_field(&mut book, "Fraud verdict"),
        Data::String("No fraud signals".into())
    );
    let factor = summary_field(&mut book, "Score factor: average balance").to_string();
    assert!(factor.contains("average daily balance"), "{factor}");
    assert!(
        !sheet(&mut book, "Summary")
            .rows()
            .any(|r| r[0].to_string().contains("customer")),
        "no concentration rows for a savings account"
    );
}

#[test]
fn current_accounts_show_customer_and_supplier_concentration() {
    let mut acc = account("acc-1", "50100012345678", 1);
    acc.data["account_details"]["account_type"] = json!("current");
    let mut book = open(account_xlsx(&acc).expect("renders"));
    let supplier = summary_field(&mut book, "Largest supplier (debits)").to_string();
    assert!(!supplier.is_empty());
    let share = sum(&[summary_field(&mut book, "Top 5 suppliers, % of debits")]);
    let largest = sum(&[summary_field(&mut book, "Largest supplier, % of debits")]);
    assert!(
        largest > 0.0 && largest <= share && share <= 100.0,
        "{largest} {share}"
    );
    let parties = sheet(&mut book, "Counterparties");
    assert!(column(&parties, "Role").contains(&Data::String("Supplier".into())));
}

#[test]
fn monthly_analysis_reads_in_words_and_months_in_order() {
    let acc = account("acc-1", "50100012345678", 1);
    let mut book = open(account_xlsx(&acc).expect("renders"));
    let labelled = sheet(&mut book, "Monthly analysis");
    assert_eq!(
        header(&labelled),
        ["Metric", "Jun-2025", "Jul-2025", "Aug-2025"]
    );
    let first: Vec<String> = labelled
        .rows()
        .skip(1)
        .take(3)
        .map(|r| r[0].to_string())
        .collect();
    assert_eq!(
        first,
        ["Opening balance", "Closing balance", "Median EOD balance"]
    );
    assert!(
        !labelled
            .rows()
            .skip(1)
            .any(|r| r[0].to_string().contains('_')),
        "no raw keys"
    );
    let keys = sheet(&mut book, "Monthly analysis keys");
    assert_eq!(
        labelled.height(),
        keys.height(),
        "the same metrics on both sheets"
    );
    let metrics = acc.data["monthly_analysis"]
        .as_object()
        .map_or(0, |m| m.len());
    assert_eq!(keys.height(), metrics + 1);
    assert!(keys
        .rows()
        .any(|r| r[0] == Data::String("amt_emi_debit".into())));
}

/// An overdrawn account: balances below zero, some beyond a lakh.
fn overdrawn() -> AccountInsights {
    let mut balance: i64 = -12_345_678; // -1,23,456.78
    let mut rows = Vec::new();
    for (day, credit, amount) in [
        ("01", false, 100_000),
        ("09", true, 50_000),
        ("20", false, 2_500_000_000),
    ] {
        balance += if credit { amount } else { -amount };
        rows.push(txn(
            &format!("2025-06-{day}"),
            credit,
            amount,
            balance,
            "NEFT TO SUPPLIER",
        ));
    }
    let input = AccountInput {
        account_id: "od".to_owned(),
        ..AccountInput::from_transactions(rows)
    };
    AccountInsights::new(
        "od",
        enrich(&input, &EnrichmentContext::default()).to_insights_data(),
    )
}

#[test]
fn negative_amounts_keep_their_sign() {
    let acc = overdrawn();
    let mut book = open(account_xlsx(&acc).expect("renders"));
    let balances = column(&sheet(&mut book, "Transactions"), "Balance");
    assert_eq!(balances[0], Data::Float(-124_456.78));
    assert_eq!(balances[2], Data::Float(-25_123_956.78));
}

/// Renders `bytes` with LibreOffice (headless) to PDF text, or None when it is not installed and
/// the tests are not required (`LEDGERLENS_REQUIRE_OFFICE_TESTS=1` in CI makes that a failure).
fn render_with_libreoffice(bytes: &[u8], name: &str) -> Option<(usize, String)> {
    use std::process::Command;
    let installed = Command::new("soffice")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !installed {
        assert!(
            std::env::var_os("LEDGERLENS_REQUIRE_OFFICE_TESTS").is_none(),
            "LibreOffice (soffice) is required by LEDGERLENS_REQUIRE_OFFICE_TESTS"
        );
        eprintln!("skipped: soffice not installed (apt-get install libreoffice-calc-nogui)");
        return None;
    }
    let dir = std::env::temp_dir().join(format!("ledgerlens-render-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let xlsx = dir.join(format!("{name}.xlsx"));
    std::fs::write(&xlsx, bytes).expect("write xlsx");
    // A private profile: parallel test processes must not share LibreOffice's user directory.
    let profile = format!(
        "-env:UserInstallation=file://{}",
        dir.join("profile").display()
    );
    let status = Command::new("soffice")
        .args([
            profile.as_str(),
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
        ])
        .arg(&dir)
        .arg(&xlsx)
        .output()
        .expect("soffice runs");
    assert!(status.status.success(), "soffice: {status:?}");
    let pdf = dir.join(format!("{name}.pdf"));
    let info = Command::new("pdfinfo")
        .arg(&pdf)
        .output()
        .expect("pdfinfo runs");
    let pages = String::from_utf8_lossy(&info.stdout)
        .lines()
        .find_map(|l| {
            l.strip_prefix("Pages:")
                .map(|n| n.trim().parse::<usize>().unwrap_or(0))
        })
        .unwrap_or(0);
    let text = Command::new("pdftotext")
        .args(["-layout"])
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    let _ = std::fs::remove_dir_all(&dir);
    Some((pages, String::from_utf8_lossy(&text.stdout).into_owned()))
}

#[test]
fn libreoffice_prints_signs_and_indian_grouping() {
    let Some((_, text)) =
        render_with_libreoffice(&account_xlsx(&overdrawn()).expect("renders"), "signs")
    else {
        return;
    };
    for shown in [
        "-1,24,456.78",
        "-2,51,23,956.78",
        "25,000,000.00",
        "2,50,00,000.00",
    ] {
        let expected = !shown.starts_with("25,");
        assert_eq!(text.contains(shown), expected, "{shown} in:\n{text}");
    }
}

/// A six-month statement from the fixture generator, parsed and enriched as the service does.
fn six_month_statement() -> AccountInsights {
    let options = ledgerlens_fixtures::GenerateOptions {
        months: Some(6),
        ..ledgerlens_fixtures::GenerateOptions::seeded(7)
    };
    let (pdf, _) = ledgerlens_fixtures::generate_with("hdfc_classic", &options).expect("fixture");
    let parsed =
        ledgerlens_statement::parse_pdf(pdf, &ledgerlens_statement::ParseOptions::default())
            .expect("parses");
    let input = AccountInput {
        account_id: "six".to_owned(),
        account_number: parsed.identity.account_number.clone(),
        ..AccountInput::from_transactions(parsed.transactions)
    };
    let enrichment = enrich(&input, &EnrichmentContext::default());
    let mut data = enrichment.to_insights_data();
    data["score_factors"] = json!(enrichment.score.factors);
    AccountInsights::new("six", data)
}

#[test]
fn a_six_month_statement_prints_on_a_sane_number_of_pages() {
    let acc = six_month_statement();
    let Some((pages, text)) = render_with_libreoffice(&account_xlsx(&acc).expect("renders"), "six")
    else {
        return;
    };
    eprintln!("six-month statement: {pages} pages");
    assert!((5..40).contains(&pages), "{pages} pages");
    // Every printed page of the transactions repeats the header row.
    let transaction_pages = text
        .split('\u{c}')
        .filter(|p| p.contains("Narration"))
        .count();
    assert!(transaction_pages >= 2, "{transaction_pages}");
    assert!(text.contains("Summary") && text.contains("Average monthly credits"));
}
