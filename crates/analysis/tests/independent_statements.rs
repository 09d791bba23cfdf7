//! Accuracy on statements from a narration generator written independently of the rules.
//!
//! Who wrote it: a helper session of the same team (same project, same model), not the
//! session that wrote rules.tsv, merchants.tsv, narration_words.tsv or salary.rs, and
//! without reading salary.rs. The narrations follow what eight banks print (SBI, HDFC,
//! ICICI, Axis, Kotak, PNB, Federal, Canara) for NEFT/IMPS/UPI/NACH/card/ATM/interest
//! rows; the merchants are common Indian brands and local shops named by their trade; the
//! payers are employers (with and without the word salary, with and without a company
//! form, paid on a fixed day, on the last working day, by IMPS, changing jobs), business
//! clients, freelance clients, tenants and family. Every row carries the label a credit
//! analyst would give it. The generator shares no tables with the rules.
//!
//! Figures are printed with `-- --nocapture`; floors sit a little under the first
//! measurement so a regression fails.

// Amounts are written in paise as rupees_paise (18_000_00 is ₹18,000.00).
#![allow(clippy::inconsistent_digit_grouping)]

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use ledgerlens_analysis::{enrich, AccountInput, EnrichedTransaction, EnrichmentContext};
use ledgerlens_statement::model::{Transaction, TransactionType};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// xorshift64*: deterministic, no shared code with the fixtures crate.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
    fn digits(&mut self, count: usize) -> String {
        (0..count)
            .map(|_| char::from(b'0' + self.below(10) as u8))
            .collect()
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Style {
    Sbi,
    Hdfc,
    Icici,
    Axis,
    Kotak,
    Pnb,
    Federal,
    Canara,
}

const STYLES: &[Style] = &[
    Style::Sbi,
    Style::Hdfc,
    Style::Icici,
    Style::Axis,
    Style::Kotak,
    Style::Pnb,
    Style::Federal,
    Style::Canara,
];

/// (printed name, UPI handle, analyst's category).
const MERCHANTS: &[(&str, &str, &str)] = &[
    ("SWIGGY", "swiggy.stores@axb", "Food"),
    ("ZOMATO LIMITED", "zomato.payu@hdfcbank", "Food"),
    ("DOMINOS PIZZA", "dominospizza.jfl@icici", "Food"),
    ("MCDONALDS", "mcdonalds.hrpl@hdfcbank", "Food"),
    ("STARBUCKS COFFEE", "tatastarbucks@icici", "Food"),
    ("HALDIRAM SNACKS", "haldiram.rzp@axisbank", "Food"),
    (
        "SHRI KRISHNA RESTAURANT",
        "paytmqr2810050501013xyz@paytm",
        "Food",
    ),
    ("ANNAPURNA SWEETS", "q274512398@ybl", "Food"),
    ("BIGBASKET", "bigbasket.rzp@icici", "Groceries"),
    ("BLINKIT", "blinkit.payu@axisbank", "Groceries"),
    ("ZEPTO", "zeptonow.esbz@icici", "Groceries"),
    ("DMART", "avenuesupermarts@hdfcbank", "Groceries"),
    (
        "SHARMA GENERAL STORE",
        "paytmqr5512300011@paytm",
        "Groceries",
    ),
    ("MOTHER DAIRY", "motherdairy.bnpl@icici", "Groceries"),
    ("INDIAN OIL", "iocl.fuel@sbi", "Fuel"),
    ("HP PETROL PUMP", "hpcl.10045@icici", "Fuel"),
    ("BHARAT PETROLEUM", "bpcl.smartfleet@hdfcbank", "Fuel"),
    ("SAI BABA FUEL STATION", "q918273645@ybl", "Fuel"),
    ("AMAZON", "amazon@apl", "Online Shopping"),
    ("FLIPKART", "flipkart@axisbank", "Online Shopping"),
    ("MYNTRA", "myntra.payu@hdfcbank", "Online Shopping"),
    ("NYKAA", "nykaa.rzp@icici", "Online Shopping"),
    ("CROMA", "croma.tcpl@hdfcbank", "Shopping"),
    ("DECATHLON", "decathlon.payu@hdfcbank", "Shopping"),
    (
        "NEW FASHION GARMENTS",
        "paytmqr7712003300@paytm",
        "Shopping",
    ),
    ("UBER", "uber.india@icici", "Travel"),
    ("OLA", "olacabs.rzp@icici", "Travel"),
    ("IRCTC", "irctcwebeticket@sbi", "Travel"),
    ("MAKEMYTRIP", "makemytrip.payu@icici", "Travel"),
    ("REDBUS", "redbus.payu@hdfcbank", "Travel"),
    ("BOOKMYSHOW", "bookmyshow.payu@hdfcbank", "Entertainment"),
    ("PVR INOX", "pvrinox.rzp@icici", "Entertainment"),
    ("NETFLIX", "netflix.upi@hdfcbank", "Entertainment"),
    ("APOLLO PHARMACY", "apollopharmacy.payu@hdfcbank", "Medical"),
    (
        "NEW LIFE MEDICAL STORE",
        "paytmqr9900112233@paytm",
        "Medical",
    ),
    ("PHARMEASY", "pharmeasy.rzp@icici", "Medical"),
];

/// (creditor printed on the mandate, category).
const MANDATES: &[(&str, &str)] = &[
    ("BAJAJ FINANCE LTD", "EMI Payment"),
    ("HDFC BANK LTD LOAN", "EMI Payment"),
    ("TATA CAPITAL FINANCIAL SERVICES", "EMI Payment"),
    ("HOME CREDIT INDIA FINANCE", "EMI Payment"),
    ("LIC OF INDIA", "Insurance"),
    ("HDFC LIFE INSURANCE", "Insurance"),
    ("SBI MUTUAL FUND", "Investment"),
    ("ICICI PRUDENTIAL MF", "Investment"),
];

const PEOPLE: &[&str] = &[
    "SURESH YADAV",
    "ANITA DESAI",
    "MOHAMMED RAFIQ",
    "KAVYA REDDY",
    "GURPREET SINGH",
    "LAKSHMI NARAYANAN",
    "DEEPAK CHAURASIA",
    "FATIMA SHAIKH",
];

const EMPLOYERS: &[&str] = &[
    "KESTREL ANALYTICS PVT LTD",
    "ORBIT DIGITAL SOLUTIONS",
    "NILGIRI HEALTHCARE LIMITED",
    "VARDHAMAN TEXTILE MILLS",
    "BLUE RIDGE LOGISTICS PRIVATE LIMITED",
    "SAPTAGIRI ENGINEERING WORKS",
];

const CLIENTS: &[&str] = &[
    "MEHTA TRADING CO",
    "SUNRISE AGRO EXPORTS",
    "GANESH HARDWARE",
    "PATEL BROTHERS",
    "NOVA INTERIORS",
    "RAJDHANI CARRIERS",
    "OM SAI CONSTRUCTIONS",
    "GREENLEAF ORGANICS",
];

const HOLDER: &str = "VIKRAM ADITYA RAO";

/// What the analyst says a row is.
#[derive(Clone, Copy, PartialEq, Eq, Debug, PartialOrd, Ord)]
enum Label {
    Spend(&'static str),
    Mandate(&'static str),
    TransferOut,
    TransferIn,
    Salary,
    Atm,
    Interest,
    Charge,
    Tax,
    SelfTransfer,
}

impl Label {
    fn name(self) -> String {
        match self {
            Label::Spend(category) => format!("spend {category}"),
            Label::Mandate(category) => format!("mandate {category}"),
            other => format!("{other:?}"),
        }
    }
}

struct Row {
    date: NaiveDate,
    credit: bool,
    paise: i64,
    note: String,
    label: Label,
}

struct Statement {
    name: String,
    context: EnrichmentContext,
    rows: Vec<Row>,
}

fn bank_code(dice: &mut Dice) -> (&'static str, &'static str) {
    *dice.pick(&[
        ("HDFC", "HDFC BANK"),
        ("ICIC", "ICICI Bank"),
        ("SBIN", "State Bank Of India"),
        ("UTIB", "Axis Bank"),
        ("KKBK", "Kotak Mahindra Bank"),
        ("PUNB", "Punjab National Bank"),
    ])
}

fn neft_credit(style: Style, dice: &mut Dice, payer: &str, note: &str) -> String {
    let (code, _) = bank_code(dice);
    let utr = format!("{code}N{}", dice.digits(11));
    let ifsc = format!("{code}0{}", dice.digits(6));
    let named = if note.is_empty() {
        payer.to_string()
    } else {
        format!("{payer} {note}")
    };
    match style {
        Style::Sbi => format!("BY TRANSFER-NEFT*{ifsc}*{utr}*{named}*"),
        Style::Hdfc => format!("NEFT CR-{ifsc}-{payer}-{HOLDER}-{utr}{}", suffix(note)),
        Style::Icici => format!(
            "NEFT-{utr}-{payer}-{}-{}-{ifsc}",
            if note.is_empty() { "PAYMENT" } else { note },
            dice.digits(12)
        ),
        Style::Axis => format!("NEFT/{utr}/{named}/HDFC BANK"),
        Style::Kotak => format!("NEFT {utr} {named}"),
        Style::Pnb => format!("NEFT_IN:{utr}//{ifsc}/{named}"),
        Style::Federal => format!("NEFT IN/{utr}/{named}"),
        Style::Canara => format!("NEFT CR {utr} {named}"),
    }
}

fn suffix(note: &str) -> String {
    if note.is_empty() {
        String::new()
    } else {
        format!("-{note}")
    }
}

fn imps_credit(style: Style, dice: &mut Dice, payer: &str, note: &str) -> String {
    let (code, bank) = bank_code(dice);
    let rrn = dice.digits(12);
    let note_or_na = if note.is_empty() { "NA" } else { note };
    match style {
        Style::Sbi => format!("BY TRANSFER-IMPS/P2A/{rrn}/{payer}/{code}/{note_or_na}"),
        Style::Hdfc => format!(
            "IMPS-{rrn}-{payer}-{code}-XXXXXXXX{}-{note_or_na}",
            dice.digits(4)
        ),
        Style::Icici => format!("MMT/IMPS/{rrn}/{note_or_na}/{payer}/{bank}"),
        Style::Axis => format!("IMPS/P2A/{rrn}/{payer}/{code}/{note_or_na}"),
        Style::Kotak => format!("IMPS-{rrn}-{payer}-{code}-XXXXXXX{}", dice.digits(4)),
        Style::Pnb => format!("IMPS-IN/{rrn}/{payer}/{note_or_na}"),
        Style::Federal => format!("IMPS IN/{rrn}/{payer}/{note_or_na}"),
        Style::Canara => format!("IMPS-CR/{rrn}/{payer}/{code}"),
    }
}

/// A UPI row to or from a payee (a merchant or a person) with its handle.
fn upi(
    style: Style,
    dice: &mut Dice,
    credit: bool,
    name: &str,
    handle: &str,
    note: &str,
) -> String {
    let (code, bank) = bank_code(dice);
    let rrn = dice.digits(12);
    let ifsc = format!("{code}0{}", dice.digits(6));
    let merchant = handle.contains("qr") || !handle.chars().any(|c| c.is_ascii_digit());
    let (dr, to, inout) = if credit {
        ("CR", "BY", "IN")
    } else {
        ("DR", "TO", "OUT")
    };
    match style {
        Style::Sbi => format!("{to} TRANSFER-UPI/{dr}/{rrn}/{name}/{code}/{handle}/{note}"),
        Style::Hdfc => format!("UPI-{name}-{handle}-{ifsc}-{rrn}-{note}"),
        Style::Icici => format!("UPI/{rrn}/{note}/{handle}/{bank}/ICI{}", dice.digits(8)),
        Style::Axis => {
            let kind = if merchant && !credit { "P2M" } else { "P2A" };
            format!("UPI/{kind}/{rrn}/{name}/{note}/{bank}")
        }
        Style::Kotak => format!("UPI/{name}/{rrn}/{note}"),
        Style::Pnb | Style::Canara => format!("UPI/{dr}/{rrn}/{name}/{code}/{handle}/{note}"),
        Style::Federal => format!("UPI {inout}/{rrn}/{handle}/{name}"),
    }
}

fn is_qr_code(handle: &str) -> bool {
    handle.starts_with("paytmqr")
        || (handle.starts_with('q') && handle[1..2].chars().all(|c| c.is_ascii_digit()))
}

fn atm(style: Style, dice: &mut Dice, day: NaiveDate) -> String {
    let place = dice.pick(&["PUNE", "NAGPUR", "KOCHI", "INDORE", "MYSORE"]);
    let card = format!("416021XXXXXX{}", dice.digits(4));
    match style {
        Style::Sbi => format!("ATM WDL-ATM CASH {} {place}", dice.digits(4)),
        Style::Hdfc => format!("NWD-{card}-S1AN{}-{place}", dice.digits(4)),
        Style::Icici => format!(
            "NFS/CASH WDL/{}/{}/{place}",
            day.format("%d-%m-%y"),
            dice.digits(4)
        ),
        Style::Axis => format!("ATM-CASH-AXIS/{place}/{}", dice.digits(12)),
        Style::Kotak => format!(
            "ATW/{}/S1CN{}/{place}{}/11:40",
            dice.digits(4),
            dice.digits(4),
            day.format("%d%m%y")
        ),
        Style::Pnb | Style::Canara => format!("ATM CASH WDL {} {place}", dice.digits(4)),
        Style::Federal => format!("ATM WDL/{place}/{}", dice.digits(6)),
    }
}

fn card_spend(style: Style, dice: &mut Dice, merchant: &str, day: NaiveDate) -> String {
    let card = format!("416021XXXXXX{}", dice.digits(4));
    match style {
        Style::Sbi => format!("TO DEBIT CARD-SBIPOS{} {merchant}", dice.digits(12)),
        Style::Hdfc => format!("POS {card} {merchant} POS DEBIT"),
        Style::Icici => format!(
            "VPS/{merchant}/ {}/ {}/MUMBAI",
            dice.digits(12),
            dice.digits(6)
        ),
        Style::Axis => format!("POS/{merchant}/DELHI/{}", dice.digits(12)),
        Style::Kotak => format!(
            "PCD/{}/{merchant}/PUNE{}/19:05",
            dice.digits(4),
            day.format("%d%m%y")
        ),
        Style::Pnb => format!("POS/{merchant}/LUCKNOW"),
        Style::Federal => format!("POS/{merchant}/{}", dice.digits(12)),
        Style::Canara => format!("POS {card} {merchant}"),
    }
}

fn mandate(style: Style, dice: &mut Dice, creditor: &str) -> String {
    let reference = format!("{}{}", &creditor[..3], dice.digits(9));
    match style {
        Style::Sbi => format!("DEBIT-ACHDr UTIB70{} {creditor}", dice.digits(14)),
        Style::Hdfc => format!("ACH D- {creditor}-{reference}"),
        Style::Icici => format!("ACH/{creditor}/{reference}"),
        Style::Axis => format!("ECS/{creditor}/{reference}"),
        Style::Kotak => format!("NACH-DR-TP-{creditor}-{reference}"),
        Style::Pnb => format!("ECS/ACH DR/{creditor}/{reference}"),
        Style::Federal => format!("ACH DR {creditor}-{}", dice.digits(10)),
        Style::Canara => format!("ACH-DR-{creditor}-{reference}"),
    }
}

fn interest(style: Style, dice: &mut Dice) -> String {
    let account = dice.digits(12);
    match style {
        Style::Sbi => "CREDIT INTEREST--".into(),
        Style::Hdfc => "INTEREST PAID TILL 30-JUN-2024".into(),
        Style::Icici | Style::Axis => format!("{account}:Int.Pd:01-04-2024 to 30-06-2024"),
        Style::Kotak => format!("Int.Pd:{account}:01-04-2024 to 30-06-2024"),
        Style::Pnb => "SB INT CR 01-04-2024 TO 30-06-2024".into(),
        Style::Federal => "SB INTEREST CREDIT".into(),
        Style::Canara => "SBINT:01-04-2024 TO 30-06-2024".into(),
    }
}

fn charge(dice: &mut Dice) -> String {
    dice.pick(&[
        "SMS ALERT CHARGES QTR",
        "DEBIT CARD ANNUAL FEE INCL GST",
        "ATM DECLINE CHARGES",
        "NON MAINTENANCE OF MIN BAL CHRGS",
    ])
    .to_string()
}

fn self_transfer(style: Style, dice: &mut Dice) -> String {
    // The holder's other account, printed as banks print the beneficiary.
    let name = dice.pick(&["VIKRAM ADITYA RAO", "VIKRAM A RAO", "RAO VIKRAM ADITYA"]);
    match style {
        Style::Sbi => format!("TO TRANSFER-INB {name}"),
        Style::Hdfc => format!(
            "IMPS-{}-{name}-ICIC-XXXXXXXX{}-OWN AC",
            dice.digits(12),
            dice.digits(4)
        ),
        Style::Icici => format!("MMT/IMPS/{}/Self/{name}/HDFC BANK", dice.digits(12)),
        Style::Axis => format!("IMPS/P2A/{}/{name}/HDFC/SELF", dice.digits(12)),
        Style::Kotak => format!("MB:SENT TO {name}"),
        Style::Pnb | Style::Canara | Style::Federal => {
            format!("NEFT/DR/{}/{name}/SELF", dice.digits(12))
        }
    }
}

fn day_in(year: i32, month: u32, day: u32) -> NaiveDate {
    let first = NaiveDate::from_ymd_opt(year, month, 1).unwrap_or_default();
    let last = (first + Duration::days(40)).with_day(1).unwrap_or(first) - Duration::days(1);
    first.with_day(day.min(last.day())).unwrap_or(first)
}

fn last_working_day(year: i32, month: u32) -> NaiveDate {
    let mut day = day_in(year, month, 31);
    while matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
        day -= Duration::days(1);
    }
    day
}

/// A weekend pay day moves to the Friday before.
fn working(day: NaiveDate) -> NaiveDate {
    match day.weekday() {
        Weekday::Sat => day - Duration::days(1),
        Weekday::Sun => day - Duration::days(2),
        _ => day,
    }
}

const MONTHS: u32 = 9;

fn month_at(index: u32) -> (i32, u32) {
    let zero_based = 2024 * 12 + 2 + index; // March 2024 onwards
    ((zero_based / 12) as i32, zero_based % 12 + 1)
}

/// Everyday spending of one month in the bank's style.
fn everyday(
    style: Style,
    dice: &mut Dice,
    year: i32,
    month: u32,
    rows: &mut Vec<Row>,
    mandates: &[(&'static str, &'static str)],
) {
    for _ in 0..(6 + dice.below(6)) {
        let (name, handle, category) = *dice.pick(MERCHANTS);
        let day = day_in(year, month, 1 + dice.below(28) as u32);
        let paise = (150 + dice.below(3500) as i64) * 100;
        let by_card = dice.below(4) == 0;
        let note = if by_card {
            card_spend(style, dice, name, day)
        } else {
            let typed = *dice.pick(&["UPI", "Payment", "Pay", "order"]);
            upi(style, dice, false, name, handle, typed)
        };
        // ICICI prints the handle, not the name: a shop's QR code says nothing of its trade,
        // so the analyst can only call it a spend of unknown kind.
        let unknowable = style == Style::Icici && !by_card && is_qr_code(handle);
        rows.push(Row {
            date: day,
            credit: false,
            paise,
            note,
            label: Label::Spend(if unknowable { "Others" } else { category }),
        });
    }
    for _ in 0..(1 + dice.below(3)) {
        let person = *dice.pick(PEOPLE);
        let handle = format!(
            "{}{}@oksbi",
            person.split(' ').next().unwrap_or("x").to_lowercase(),
            dice.digits(2)
        );
        let credit = dice.below(3) == 0;
        let typed = *dice.pick(&["dinner", "share", "NA", "tickets", "UPI"]);
        let note = upi(style, dice, credit, person, &handle, typed);
        rows.push(Row {
            date: day_in(year, month, 1 + dice.below(28) as u32),
            credit,
            paise: (200 + dice.below(4000) as i64) * 100,
            note,
            label: if credit {
                Label::TransferIn
            } else {
                Label::TransferOut
            },
        });
    }
    let atm_day = day_in(year, month, 2 + dice.below(25) as u32);
    rows.push(Row {
        date: atm_day,
        credit: false,
        paise: (2 + dice.below(8) as i64) * 1_000_00,
        note: atm(style, dice, atm_day),
        label: Label::Atm,
    });
    for (index, (creditor, category)) in mandates.iter().enumerate() {
        rows.push(Row {
            date: day_in(year, month, 5 + index as u32 * 5),
            credit: false,
            paise: 3_450_00 + index as i64 * 1_111_00,
            note: mandate(style, dice, creditor),
            label: Label::Mandate(category),
        });
    }
    if month.is_multiple_of(3) {
        rows.push(Row {
            date: day_in(year, month, 30),
            credit: true,
            paise: 100_00 + dice.below(90_000) as i64,
            note: interest(style, dice),
            label: Label::Interest,
        });
        rows.push(Row {
            date: day_in(year, month, 15),
            credit: false,
            paise: 17_70 + dice.below(50_000) as i64,
            note: charge(dice),
            label: Label::Charge,
        });
    }
    if dice.below(4) == 0 {
        rows.push(Row {
            date: day_in(year, month, 20),
            credit: false,
            paise: (5 + dice.below(20) as i64) * 1_000_00,
            note: self_transfer(style, dice),
            label: Label::SelfTransfer,
        });
    }
}

#[derive(Clone, Copy, Debug)]
enum Persona {
    SalaryKeyword,
    SalaryFixedDay,
    SalaryLastWorkingDay,
    SalaryByImps,
    SalarySessionEmployer,
    SalaryJobChange,
    SalaryTruncatedEmployer,
    SalaryGovernment,
    SalaryWithReimbursements,
    Business,
    Freelancer,
    TenantAndFamily,
}

const PERSONAS: &[Persona] = &[
    Persona::SalaryKeyword,
    Persona::SalaryFixedDay,
    Persona::SalaryLastWorkingDay,
    Persona::SalaryByImps,
    Persona::SalarySessionEmployer,
    Persona::SalaryJobChange,
    Persona::SalaryTruncatedEmployer,
    Persona::SalaryGovernment,
    Persona::SalaryWithReimbursements,
    Persona::Business,
    Persona::Freelancer,
    Persona::TenantAndFamily,
];

fn salary_rows(
    persona: Persona,
    style: Style,
    dice: &mut Dice,
    context: &mut EnrichmentContext,
) -> Vec<Row> {
    let employer = *dice.pick(EMPLOYERS);
    let second = EMPLOYERS
        [(EMPLOYERS.iter().position(|e| *e == employer).unwrap_or(0) + 1) % EMPLOYERS.len()];
    let base = (35 + dice.below(80) as i64) * 1_000_00;
    let pay_day = *dice.pick(&[1u32, 5, 7, 10, 25, 28, 30]);
    // Banks cut the remitter's name at their own field width, the same every month.
    let width = 14 + dice.below(8) as usize;
    let truncated: String = employer.chars().take(width).collect::<String>();
    let truncated = truncated.trim_end();
    let treasury = *dice.pick(&[
        "DISTRICT TREASURY OFFICER NASHIK",
        "PAO CENTRAL GST BHOPAL",
        "TREASURY OFFICER JAIPUR",
    ]);
    let mut rows = Vec::new();
    for index in 0..MONTHS {
        let (year, month) = month_at(index);
        // Variable pay moves the credit by up to 3 %; an increment in the seventh month.
        let jitter = base * dice.below(300) as i64 / 10_000;
        let paise = if index >= 6 { base * 108 / 100 } else { base } + jitter;
        let (payer, date, note) = match persona {
            Persona::SalaryKeyword => {
                let month_name = day_in(year, month, 1)
                    .format("%b %Y")
                    .to_string()
                    .to_uppercase();
                (
                    employer,
                    working(day_in(year, month, pay_day)),
                    format!("SALARY {month_name}"),
                )
            }
            Persona::SalaryFixedDay | Persona::SalaryByImps => (
                employer,
                working(day_in(year, month, pay_day)),
                String::new(),
            ),
            Persona::SalaryLastWorkingDay => {
                (employer, last_working_day(year, month), String::new())
            }
            Persona::SalarySessionEmployer => {
                context.employer_names = vec![employer.to_string()];
                (
                    employer,
                    day_in(year, month, 3 + dice.below(8) as u32),
                    String::new(),
                )
            }
            Persona::SalaryJobChange => {
                let payer = if index < 4 { employer } else { second };
                (payer, last_working_day(year, month), String::new())
            }
            Persona::SalaryTruncatedEmployer => {
                (truncated, last_working_day(year, month), String::new())
            }
            Persona::SalaryGovernment => (treasury, day_in(year, month, 1), String::new()),
            Persona::SalaryWithReimbursements => {
                // Expense claims from the same employer, on other days and amounts.
                for _ in 0..(1 + dice.below(2)) {
                    let claim_day = day_in(year, month, 8 + dice.below(15) as u32);
                    let claim = neft_credit(style, dice, employer, "");
                    rows.push(Row {
                        date: claim_day,
                        credit: true,
                        paise: (800 + dice.below(7_000) as i64) * 100,
                        note: claim,
                        label: Label::TransferIn,
                    });
                }
                (
                    employer,
                    working(day_in(year, month, pay_day)),
                    String::new(),
                )
            }
            _ => return rows,
        };
        let text = match persona {
            Persona::SalaryByImps => imps_credit(style, dice, payer, &note),
            _ => neft_credit(style, dice, payer, &note),
        };
        rows.push(Row {
            date,
            credit: true,
            paise,
            note: text,
            label: Label::Salary,
        });
    }
    rows
}

fn other_income(persona: Persona, style: Style, dice: &mut Dice) -> Vec<Row> {
    let mut rows = Vec::new();
    match persona {
        Persona::Business => {
            for index in 0..MONTHS {
                let (year, month) = month_at(index);
                for _ in 0..(3 + dice.below(4)) {
                    let client = *dice.pick(CLIENTS);
                    let note = if dice.below(2) == 0 {
                        neft_credit(style, dice, client, "")
                    } else {
                        imps_credit(style, dice, client, "INV")
                    };
                    rows.push(Row {
                        date: day_in(year, month, 1 + dice.below(28) as u32),
                        credit: true,
                        paise: (20 + dice.below(200) as i64) * 1_000_00,
                        note,
                        label: Label::TransferIn,
                    });
                }
                rows.push(Row {
                    date: day_in(year, month, 20),
                    credit: false,
                    paise: (5 + dice.below(30) as i64) * 1_000_00,
                    note: format!("GST PAYMENT CPIN 24{}", dice.digits(12)),
                    label: Label::Tax,
                });
            }
        }
        Persona::Freelancer => {
            for index in 0..MONTHS {
                let (year, month) = month_at(index);
                if dice.below(3) == 0 {
                    continue;
                }
                let client = *dice.pick(&CLIENTS[..3]);
                rows.push(Row {
                    date: day_in(year, month, 1 + dice.below(28) as u32),
                    credit: true,
                    paise: (15 + dice.below(90) as i64) * 1_000_00,
                    note: neft_credit(style, dice, client, ""),
                    label: Label::TransferIn,
                });
            }
        }
        Persona::TenantAndFamily => {
            let tenant = PEOPLE[1];
            let father = PEOPLE[5];
            for index in 0..MONTHS {
                let (year, month) = month_at(index);
                let handle = "anita.desai@okicici";
                rows.push(Row {
                    date: day_in(year, month, 3),
                    credit: true,
                    paise: 18_000_00,
                    note: upi(style, dice, true, tenant, handle, "rent"),
                    label: Label::TransferIn,
                });
                rows.push(Row {
                    date: day_in(year, month, 1),
                    credit: true,
                    paise: 25_000_00,
                    note: imps_credit(style, dice, father, ""),
                    label: Label::TransferIn,
                });
            }
        }
        _ => {}
    }
    rows
}

fn statement(style: Style, persona: Persona, seed: u64) -> Statement {
    let mut dice = Dice(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut context = EnrichmentContext {
        names: vec![HOLDER.to_string()],
        ..EnrichmentContext::default()
    };
    let mandates: Vec<(&str, &str)> = (0..dice.below(3)).map(|_| *dice.pick(MANDATES)).collect();
    let mut rows = salary_rows(persona, style, &mut dice, &mut context);
    rows.extend(other_income(persona, style, &mut dice));
    for index in 0..MONTHS {
        let (year, month) = month_at(index);
        everyday(style, &mut dice, year, month, &mut rows, &mandates);
    }
    rows.sort_by_key(|row| row.date);
    Statement {
        name: format!("{style:?}/{persona:?}/{seed}"),
        context,
        rows,
    }
}

fn transactions(rows: &[Row]) -> Vec<Transaction> {
    let mut balance = Decimal::new(250_000_00, 2);
    rows.iter()
        .enumerate()
        .map(|(index, row)| {
            let amount = Decimal::new(row.paise, 2);
            balance += if row.credit { amount } else { -amount };
            Transaction {
                transaction_type: if row.credit {
                    TransactionType::Credit
                } else {
                    TransactionType::Debit
                },
                transaction_note: row.note.clone(),
                chq_num: String::new(),
                amount,
                balance,
                date: row.date.and_hms_opt(0, 0, 0).unwrap_or_default(),
                value_date: None,
                hash: format!("{index:08}"),
                page: 1,
                balance_derived: false,
            }
        })
        .collect()
}

/// Lenient: the category a credit analyst would accept for the label.
fn category_agrees(label: Label, enriched: &EnrichedTransaction) -> bool {
    let category = enriched.category.as_str();
    match label {
        Label::Spend(expected) | Label::Mandate(expected) => category == expected,
        Label::TransferOut => category.starts_with("Transfer to"),
        Label::TransferIn => category.starts_with("Transfer from"),
        Label::Salary => category == "Salary",
        Label::Atm => category == "Cash Withdrawal",
        Label::Interest => category == "Interest",
        Label::Charge => category == "Bank Charges",
        Label::Tax => category == "Tax",
        Label::SelfTransfer => category == "Self Transfer",
    }
}

#[derive(Default)]
struct Tally {
    rows: usize,
    right: usize,
    per_label: BTreeMap<String, (usize, usize)>,
    salary_tp: usize,
    salary_fp: usize,
    salary_fn: usize,
    unnamed_decisions: usize,
    statements: usize,
    statements_with_fraud: usize,
    misses: Vec<String>,
    salary_misses: Vec<String>,
}

fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        100.0
    } else {
        100.0 * part as f64 / whole as f64
    }
}

fn score(statement: &Statement, tally: &mut Tally) {
    let input = AccountInput::from_transactions(transactions(&statement.rows));
    let enrichment = enrich(&input, &statement.context);
    tally.statements += 1;
    tally.statements_with_fraud += usize::from(!enrichment.fraud.fraud.is_empty());
    for (row, enriched) in statement.rows.iter().zip(&enrichment.transactions) {
        let right = category_agrees(row.label, enriched);
        tally.rows += 1;
        tally.right += usize::from(right);
        let entry = tally.per_label.entry(row.label.name()).or_default();
        entry.0 += 1;
        entry.1 += usize::from(right);
        tally.unnamed_decisions += usize::from(enriched.decided_by.is_empty());
        if !right && tally.misses.len() < 30 {
            tally.misses.push(format!(
                "{}: {:?} want {} got {} / {} [{}]",
                statement.name,
                row.note,
                row.label.name(),
                enriched.transaction_channel,
                enriched.category,
                enriched.decided_by
            ));
        }
        let expected = row.label == Label::Salary;
        match (expected, enriched.is_salary) {
            (true, true) => tally.salary_tp += 1,
            (false, true) => tally.salary_fp += 1,
            (true, false) => tally.salary_fn += 1,
            (false, false) => {}
        }
        if expected != enriched.is_salary && tally.salary_misses.len() < 20 {
            tally.salary_misses.push(format!(
                "{} {}: {:?} want salary={expected}",
                statement.name, row.date, row.note
            ));
        }
    }
}

#[test]
fn accuracy_on_independently_generated_statements() {
    let mut tally = Tally::default();
    for (style_index, style) in STYLES.iter().enumerate() {
        for (persona_index, persona) in PERSONAS.iter().enumerate() {
            for seed in 0..2u64 {
                let seed = 1_000 + seed * 97 + style_index as u64 * 13 + persona_index as u64;
                score(&statement(*style, *persona, seed), &mut tally);
            }
        }
    }
    let category = percent(tally.right, tally.rows);
    let precision = percent(tally.salary_tp, tally.salary_tp + tally.salary_fp);
    let recall = percent(tally.salary_tp, tally.salary_tp + tally.salary_fn);
    let fraud = percent(tally.statements_with_fraud, tally.statements);
    println!(
        "independent statements: {} statements, {} rows; categories {:.2}% (lenient); salary precision {precision:.1}% recall {recall:.1}% (tp {}, fp {}, fn {}); fraud entries on {} clean statements ({fraud:.1}%)",
        tally.statements, tally.rows, category, tally.salary_tp, tally.salary_fp, tally.salary_fn, tally.statements_with_fraud
    );
    for (label, (total, right)) in &tally.per_label {
        println!("  {label:<26} {right:>5}/{total:<5}");
    }
    for miss in tally.misses.iter().chain(&tally.salary_misses) {
        println!("  miss: {miss}");
    }
    assert_eq!(tally.unnamed_decisions, 0, "rows without decided_by");
    assert!(tally.rows > 5_000, "only {} rows", tally.rows);
    // First measured (rules of commit 3903456, before any change for this set): categories
    // 98.38 % and salary precision 100 % recall 86.2 % (tp 745, fn 119: every miss was an
    // employer named without a company form or an organisation word the detector knew,
    // "VARDHAMAN TEXTILE MILLS", read as a person). The label of 177 ICICI rows that print
    // only a shop's QR handle was then corrected to "Others" (their trade cannot be read),
    // and salary_signals.tsv learnt organisation words (MILLS, WORKS, SONS, ...): 99.88 %,
    // 100 % / 100 %. The remaining misses are ICICI rows naming IRCTC only by
    // "irctcwebeticket@sbi". Fraud: these inputs carry rows only (no PDF metadata, no
    // chain breaks), so the figure guards the row-level checks; tampering is measured on
    // rendered PDFs in fraud_fixtures.rs.
    // Three personas added afterwards (employer name cut at the bank's field width,
    // government treasury pay, expense claims from the employer besides the pay), first
    // measured over all 192 statements: categories 99.57 %, salary precision 100 % recall
    // 94.4 % (fn 72: the cut names, "BLUE RIDGE LOGIST", read as persons). A cut last word
    // that starts an organisation word now marks a firm: 99.81 %, 100 % / 99.3 %. Left: one
    // statement whose pay on the 1st (moved to the 31st/30th on weekends) sits among the
    // employer's mid-month claims.
    assert!(category >= 99.5, "categories {category:.2}%");
    assert!(precision >= 98.0, "salary precision {precision:.1}%");
    assert!(recall >= 98.0, "salary recall {recall:.1}%");
    assert!(fraud <= 2.0, "fraud on {fraud:.1}% of clean statements");
}
