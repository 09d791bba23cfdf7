//! Accuracy on hand-labelled narrations per bank and rail (tests/data/labelled_narrations.tsv).
//!
//! The set is written by the same hand as the rules and dictionaries, so it is not an
//! independent measure: it guards the grammar and dictionaries on formats beyond their
//! own unit-test examples, and shows which bank × rail families still fail. The
//! independent figures come from the held-out fixture layouts (labelled_accuracy.rs)
//! and from real statements measured outside the repository.

use chrono::NaiveDate;
use ledgerlens_analysis::{categorizer, Categorized, EnrichmentContext};
use ledgerlens_statement::model::{Transaction, TransactionType};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::str::FromStr;

const LABELLED: &str = include_str!("data/labelled_narrations.tsv");
/// Written after the rules were frozen; its first measurement is recorded in its header.
const FRESH: &str = include_str!("data/labelled_narrations_fresh.tsv");
/// Formats not covered before, written before the rules learnt them.
const FRESH_FORMATS: &str = include_str!("data/labelled_narrations_fresh2.tsv");
/// Held-out batches written by another session from bank formats, each measured before
/// any rule change made for it (first-sight figures in the test below).
const HELD_OUT: &str = include_str!("data/labelled_narrations_heldout.tsv");
/// Held-out batch D: formats collected from public statement parsers and references, written
/// and labelled before any rule change made for them (first-sight figures in its test).
const HELD_OUT_D: &str = include_str!("data/labelled_narrations_heldout_d.tsv");
/// Held-out batches I-K: formats not covered by the sets above (more banks, UPI AutoPay and
/// mandates, APBS/DBT, cheque and NACH returns, payroll processors, pensions, gold loans, ...),
/// labelled by hand before the rules were run on them (first-sight figures in its test).
const HELD_OUT_I: &str = include_str!("data/labelled_narrations_heldout_i.tsv");
/// Held-out batch M: 305 rows in more bank shapes, brands the dictionaries lack and traps (a
/// brand sharing a word with a lender or bank), labelled by hand before the rules were run on
/// them (first-sight figures in its test).
const HELD_OUT_M: &str = include_str!("data/labelled_narrations_heldout_m.tsv");
/// Held-out batch P: business current accounts, payees printed by their legal names, BBPS per bank,
/// MCC words on card rows, fintech lenders, labelled by hand before the rules were run on them
/// (first-sight figures in its test).
const HELD_OUT_P: &str = include_str!("data/labelled_narrations_heldout_p.tsv");
/// Held-out batch Q: remittances, international and prepaid rows, more legal names, housing and
/// microfinance lenders, gig payouts, more banks, labelled by hand before the rules were run on
/// them (first-sight figures in its test).
const HELD_OUT_Q: &str = include_str!("data/labelled_narrations_heldout_q.tsv");
/// Held-out batch R: an ordinary month's mix across 35 banks, not aimed at any gap, labelled by
/// hand before the rules were run on it (first-sight figures in the test of batch Q).
const HELD_OUT_R: &str = include_str!("data/labelled_narrations_heldout_r.tsv");
/// Held-out batch S: brands by legal name over NEFT/IMPS/RTGS, FASTag per issuer, people named like
/// brands, narrations cut inside a word, business flows, payroll companies, NBFCs and BNPL, insurers,
/// charges, interest and reversals per bank, labelled by hand before the rules were run on it
/// (first-sight figures in its test).
const HELD_OUT_S: &str = include_str!("data/labelled_narrations_heldout_s.tsv");
/// Held-out batch T: an ordinary month of a salaried person and of a small shop, not aimed at any
/// gap, labelled by hand before the rules were run on it (first-sight figures in its test).
const HELD_OUT_T: &str = include_str!("data/labelled_narrations_heldout_t.tsv");
/// Held-out batch U: narrations as a PDF's narrow cell delivers them (a space where a line broke inside
/// a name, handle, UTR or rail code; words glued; cut mid-word) and a control group whose joined words
/// would spell another name, labelled by hand before the rules were run on it (first-sight figures in
/// its test).
const HELD_OUT_U: &str = include_str!("data/labelled_narrations_heldout_u.tsv");
/// Held-out batch V: narration shapes taken from real narrations in public sources (Axis's padded P2M
/// layout, ICICI cut at 50 characters by an account-aggregator feed, Kotak's narrow cell, PNB's P2V,
/// IndusInd, Federal, aggregator-first NACH, SBI's 8-character payees, Canara's masked handles, City
/// Union Bank) and controls, labelled by hand before the rules were run on it (first-sight figures in
/// its test).
const HELD_OUT_V: &str = include_str!("data/labelled_narrations_heldout_v.tsv");
/// Held-out batch W: narration shapes of banks and rails batches A-V hold few or none of (PNB's Remarks column and
/// NEFT_IN/NEFT_OUT, Central Bank's UPI/RRN, Bank of India, Union Bank, Axis INB/BRN codes, Federal's corporate codes,
/// Indian Bank, J&K Bank, Canara mobile IMPS, DCB, cooperative banks; charges, taxes, reversals and sweeps by their
/// short codes), taken from real narrations in public sources, and controls, labelled by hand before the rules were
/// run on it (first-sight figures in its test).
const HELD_OUT_W: &str = include_str!("data/labelled_narrations_heldout_w.tsv");
/// Held-out batch X: a small batch in real shapes (Tamilnad Mercantile Bank, SBI's cut payees, Axis IMPS naming
/// nobody) written after batch W's fixes, labelled by hand before the rules were run on it (first sight in its test).
const HELD_OUT_X: &str = include_str!("data/labelled_narrations_heldout_x.tsv");
/// Held-out batch Y: shapes from real narrations in public sources that batches A-X lack (a regional rural bank's
/// colon-separated CBS rows, SBI's CEMTEX DEP credits, e-TDR and INB rows, NACH debits as destination banks print
/// them, Federal's card and markup rows, HDFC's UPI rows with gateway handles), labelled by hand before the rules were
/// run on it (first sight in its test).
const HELD_OUT_Y: &str = include_str!("data/labelled_narrations_heldout_y.tsv");
/// Held-out batch Z: auto-debits to lenders, NBFCs, BNPL and insurers in real shapes (names squashed and cut by the
/// sponsor bank, UMRNs glued, standing instructions) and controls, labelled by hand before the rules were run on it
/// (first sight in its test).
const HELD_OUT_Z: &str = include_str!("data/labelled_narrations_heldout_z.tsv");
/// Held-out batch AA: what a borrower's statement is mostly made of (UPI to small merchants, card spends with MCC words,
/// cash, transfers to firms and people, auto-debits, bills, charges, interest, refunds, self transfers, taxes,
/// dividends) in shapes and with payees batches A-Z lack, labelled by hand before the rules were run on it (first sight
/// in its test).
const HELD_OUT_AA: &str = include_str!("data/labelled_narrations_heldout_aa.tsv");
/// Held-out batch AB: a small business's current account (customers and suppliers that are firms printed without a
/// legal suffix, GST/TDS/EPF/ESIC, card and QR settlements, cheques, cash, CC/OD interest, wages), labelled by hand
/// before the rules were run on it (first sight in its test).
const HELD_OUT_AB: &str = include_str!("data/labelled_narrations_heldout_ab.tsv");
/// Held-out batch AC: the banks and rails batches A-AB hold fewest rows of (small-finance, co-operative and payments
/// banks; RTGS, ECS, UPI collect/autopay/lite, cheque returns, charges, TDS, FD/RD, sweeps), labelled by hand before the
/// rules were run on it (first sight in its test).
const HELD_OUT_AC: &str = include_str!("data/labelled_narrations_heldout_ac.tsv");
/// Held-out batch AD: an ordinary borrower's mix in the thirteen banks most statements come from, aimed at the families
/// issue 10 item 6 lists (reference tokens naming nobody, firms without a suffix, merchant QR and card spends, self
/// transfers, refund codes, NBFC/BNPL auto-debits, disbursals, taxes, brokers), labelled by hand before the rules were run
/// on it (first sight in its test).
const HELD_OUT_AD: &str = include_str!("data/labelled_narrations_heldout_ad.tsv");
/// Held-out batch AE: the shapes batches A-AD hold fewest of (card spends with MCC words and merchant cities in more banks,
/// small merchants printed like persons, a business current account, NBFC and fintech loans by legal names, insurers,
/// brokers and MF clearing, refunds, reordered self transfers, utilities, card bills, rent, education, government fees,
/// state schemes by ACH, under-covered banks), labelled by hand before the rules were run on it (first sight in its test).
const HELD_OUT_AE: &str = include_str!("data/labelled_narrations_heldout_ae.tsv");
/// Held-out batch AF: the shapes batches A-AE hold fewest of (LIC with its name cut, tailors, HP dealers, ICEGATE, Vi, NACH
/// to BNPL and fintech lenders by legal names, salary advances, gold loans, chit funds, society maintenance, fees, hospitals,
/// rent through apps, card bills through BBPS, government payments, charges, interest, reversals, FD/RD, brokers, crypto,
/// gaming, forex cards, UPI Lite, payments banks), labelled by hand before the rules were run on it (first sight in its test).
const HELD_OUT_AF: &str = include_str!("data/labelled_narrations_heldout_af.tsv");
/// Held-out batch AG: everyday chains and apps (retail, fashion, grocery, food, travel, subscriptions, diagnostics, fuel
/// retailers), salaries, mandates and bills, written after batch AF's fixes and labelled by hand before the rules were run
/// on it (first sight in its test).
const HELD_OUT_AG: &str = include_str!("data/labelled_narrations_heldout_ag.tsv");
/// Held-out batch AH: the banks and rails batches A-AG hold fewest of (co-operative, small-finance, regional rural and
/// payments banks; a firm's current account; taxes; disbursals beside account checks; FD sweeps; refunds and cheque returns
/// per bank; web-print card rows; small shops printed like persons) and batch AF/AG's leftovers, labelled by hand before
/// the rules were run on it (first sight in its test).
const HELD_OUT_AH: &str = include_str!("data/labelled_narrations_heldout_ah.tsv");
/// Held-out batch AI: the banks batches A-AH hold fewest of (Central, BoI, IOB, UCO, IDBI, Indian, Punjab & Sind, Maharashtra,
/// Bandhan, RBL, DCB, CSB, Dhanlaxmi, J&K, KBL, SIB, KVB, CUB, TMB) and issue 10 item 6's families (references naming nobody,
/// firms without a suffix, MCC/QR spends, reordered self transfers, refunds, NBFC/BNPL debits, disbursals beside account checks,
/// taxes, brokers, MF, dividends, sweeps, insurers) and batch AH's leftovers, labelled by hand before the rules were run on it
/// (first sight in its test).
const HELD_OUT_AI: &str = include_str!("data/labelled_narrations_heldout_ai.tsv");
/// Held-out batch AJ: the families batch AI left weak (trade notes to shops printed like persons, services like Lenskart,
/// cult.fit and Urban Company, employers' credits naming no salary word, BNPL and digital lenders, insurers' credits, brokers'
/// payouts, MCC words in card rows, reversals per bank) and an ordinary month in ten banks' shapes, labelled by hand before
/// the rules were run on it (first sight in its test).
const HELD_OUT_AJ: &str = include_str!("data/labelled_narrations_heldout_aj.tsv");
/// Held-out batch AK: batch AJ's families in new shapes, written after AJ's fixes, labelled by hand before the rules were
/// run on it and measured once, with no rule changed for it (the lane's never-run-after check; figure in its test).
const HELD_OUT_AK: &str = include_str!("data/labelled_narrations_heldout_ak.tsv");
/// Held-out batch AL: what real statements hold that batches A-AK held few of (non-IT employers and the state paying with no
/// salary word, bare MCC codes beside card digits, chain stores, BONUS/INCENTIVE/ARREARS, insurers, BNPL, brokers, taxes,
/// reversals per bank, reordered self transfers, a month across banks), labelled by hand before the rules were run on it
/// (first sight in its test).
const HELD_OUT_AL: &str = include_str!("data/labelled_narrations_heldout_al.tsv");
/// Held-out batch AM: batch AL's families in new shapes, written after AL's fixes, labelled by hand before the rules were
/// run on it and measured once, with no rule changed for it (the lane's never-run-after check; figure in its test).
const HELD_OUT_AM: &str = include_str!("data/labelled_narrations_heldout_am.tsv");
const HELD_OUT_AN: &str = include_str!("data/labelled_narrations_heldout_an.tsv");
const HELD_OUT_AO: &str = include_str!("data/labelled_narrations_heldout_ao.tsv");
const HELD_OUT_AP: &str = include_str!("data/labelled_narrations_heldout_ap.tsv");
const HELD_OUT_AQ: &str = include_str!("data/labelled_narrations_heldout_aq.tsv");
const DEFAULT_HOLDER: &str = "RAHUL KUMAR SHARMA";

struct Row {
    bank: &'static str,
    rail: &'static str,
    side: TransactionType,
    amount: Decimal,
    holder: &'static str,
    narration: &'static str,
    channel: &'static str,
    category: &'static str,
    counterparty: &'static str,
}

fn rows(table: &'static str) -> Vec<Row> {
    let mut rows = Vec::new();
    let mut header_seen = false;
    for (index, line) in table.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        if !header_seen {
            header_seen = true;
            continue;
        }
        let fields: Vec<&'static str> = line.split('\t').collect();
        assert_eq!(fields.len(), 9, "line {}: {line:?}", index + 1);
        rows.push(Row {
            bank: fields[0],
            rail: fields[1],
            side: if fields[2] == "credit" {
                TransactionType::Credit
            } else {
                TransactionType::Debit
            },
            amount: Decimal::from_str(fields[3])
                .unwrap_or_else(|_| panic!("line {}: bad amount", index + 1)),
            holder: if fields[4] == "-" {
                DEFAULT_HOLDER
            } else {
                fields[4]
            },
            narration: fields[5],
            channel: fields[6],
            category: fields[7],
            counterparty: fields[8],
        });
    }
    rows
}

fn transaction(row: &Row) -> Transaction {
    Transaction {
        transaction_type: row.side,
        transaction_note: row.narration.to_string(),
        chq_num: String::new(),
        amount: row.amount,
        balance: Decimal::new(100_000, 0),
        date: NaiveDate::from_ymd_opt(2024, 5, 15)
            .and_then(|day| day.and_hms_opt(0, 0, 0))
            .unwrap_or_default(),
        value_date: None,
        hash: "labelled".into(),
        page: 1,
        balance_derived: false,
    }
}

/// Upper-case alphanumeric words, so "Bajaj Finance" and "BAJAJ FINANCE" compare equal.
fn words(text: &str) -> String {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_ascii_uppercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// "Transfer to" / "Transfer from" labels accept any transfer of that direction (the
/// name is scored by the counterparty column); other labels must match exactly.
fn category_agrees(expected: &str, got: &str) -> bool {
    if expected == "Transfer to" || expected == "Transfer from" {
        return got.starts_with(&format!("{expected} "));
    }
    expected == got
}

/// "-" expects no counterparty at all; otherwise the expected name and the output
/// must agree on whole words, one containing the other ("Bajaj Finance" vs
/// "BAJAJ FINANCE LTD"), so a dictionary's display name and the printed name both pass.
fn counterparty_agrees(expected: &str, got: &str) -> bool {
    let got = words(got);
    if expected == "-" {
        return got.is_empty();
    }
    let expected = words(expected);
    if got.is_empty() {
        return false;
    }
    let padded_got = format!(" {got} ");
    let padded_expected = format!(" {expected} ");
    // A brand written with or without its space ("Money View" / "MoneyView") is one name.
    let squashed = |text: &str| text.replace(' ', "");
    padded_got.contains(&padded_expected)
        || padded_expected.contains(&padded_got)
        || squashed(&got) == squashed(&expected)
}

#[derive(Default)]
struct Score {
    rows: usize,
    channel: usize,
    category: usize,
    /// Category right with a transfer's name right too ("Transfer to X" names X).
    strict: usize,
    counterparty: usize,
    all: usize,
}

impl Score {
    fn add(&mut self, channel: bool, category: bool, counterparty: bool) {
        self.rows += 1;
        self.channel += usize::from(channel);
        self.category += usize::from(category);
        self.strict += usize::from(category && counterparty);
        self.counterparty += usize::from(counterparty);
        self.all += usize::from(channel && category && counterparty);
    }

    fn percent(part: usize, whole: usize) -> f64 {
        if whole == 0 {
            0.0
        } else {
            100.0 * part as f64 / whole as f64
        }
    }

    fn line(&self) -> String {
        format!(
            "{:>4} rows  category {:5.1}% (strict {:5.1}%)  channel {:5.1}%  counterparty {:5.1}%  all three {:5.1}%",
            self.rows,
            Self::percent(self.category, self.rows),
            Self::percent(self.strict, self.rows),
            Self::percent(self.channel, self.rows),
            Self::percent(self.counterparty, self.rows),
            Self::percent(self.all, self.rows),
        )
    }
}

fn describe(row: &Row, result: &Categorized) -> String {
    format!(
        "{}/{} {:?}: want {} | {} | {}; got {} | {} | {:?} [{}]",
        row.bank,
        row.rail,
        row.narration,
        row.channel,
        row.category,
        row.counterparty,
        result.transaction_channel,
        result.category,
        result.unclean_merchant,
        result.decided_by(),
    )
}

/// Scores every row of a table, prints per-bank figures and the misses, and returns the
/// total score.
fn score_table(name: &str, table: &'static str) -> Score {
    score_rows(name, &rows(table))
}

fn score_rows(name: &str, rows: &[Row]) -> Score {
    let categorizer = categorizer();
    let mut total = Score::default();
    let mut by_bank: BTreeMap<&str, Score> = BTreeMap::new();
    let mut misses = Vec::new();
    for row in rows {
        let context = EnrichmentContext {
            names: vec![row.holder.to_string()],
            ..EnrichmentContext::default()
        };
        let result = categorizer.categorize(&transaction(row), &context);
        let channel = result.transaction_channel == row.channel;
        let category = category_agrees(row.category, &result.category);
        let counterparty = counterparty_agrees(row.counterparty, &result.unclean_merchant);
        total.add(channel, category, counterparty);
        by_bank
            .entry(row.bank)
            .or_default()
            .add(channel, category, counterparty);
        if !(channel && category && counterparty) {
            misses.push(describe(row, &result));
        }
    }
    println!("{name}, all banks: {}", total.line());
    for (bank, score) in &by_bank {
        println!("  {bank:<9} {}", score.line());
    }
    for miss in &misses {
        println!("  miss: {miss}");
    }
    total
}

#[test]
fn accuracy_on_hand_labelled_narrations() {
    let total = score_table("labelled_narrations.tsv", LABELLED);
    assert!(total.rows >= 300, "only {} labelled rows", total.rows);
    let category = Score::percent(total.category, total.rows);
    let channel = Score::percent(total.channel, total.rows);
    let counterparty = Score::percent(total.counterparty, total.rows);
    // Floors a little under the measured figures (99-100 %): the set is the rules' own
    // hand, so a drop means a regression, not a harder set.
    assert!(category >= 97.0, "category accuracy {category:.1}%");
    assert!(channel >= 97.0, "channel accuracy {channel:.1}%");
    assert!(
        counterparty >= 95.0,
        "counterparty accuracy {counterparty:.1}%"
    );
}

#[test]
fn accuracy_on_the_fresh_batch() {
    let total = score_table("labelled_narrations_fresh.tsv", FRESH);
    assert!(total.rows >= 100, "only {} fresh rows", total.rows);
    let category = Score::percent(total.category, total.rows);
    let channel = Score::percent(total.channel, total.rows);
    let counterparty = Score::percent(total.counterparty, total.rows);
    // First measured at 97.1 / 99.0 / 98.1 % before any fix; floors under that.
    assert!(category >= 95.0, "category accuracy {category:.1}%");
    assert!(channel >= 95.0, "channel accuracy {channel:.1}%");
    assert!(
        counterparty >= 95.0,
        "counterparty accuracy {counterparty:.1}%"
    );
}

#[test]
fn accuracy_on_formats_added_later() {
    let total = score_table("labelled_narrations_fresh2.tsv", FRESH_FORMATS);
    assert!(total.rows >= 40, "only {} rows", total.rows);
    let category = Score::percent(total.category, total.rows);
    let channel = Score::percent(total.channel, total.rows);
    let counterparty = Score::percent(total.counterparty, total.rows);
    // First measured at 90.0 / 95.0 / 65.0 %; 100 / 100 / 97.5 % after the fixes.
    assert!(category >= 95.0, "category accuracy {category:.1}%");
    assert!(channel >= 95.0, "channel accuracy {channel:.1}%");
    assert!(
        counterparty >= 92.0,
        "counterparty accuracy {counterparty:.1}%"
    );
}

#[test]
fn accuracy_on_held_out_batches() {
    let total = score_table("labelled_narrations_heldout.tsv", HELD_OUT);
    assert!(total.rows >= 165, "only {} rows", total.rows);
    let category = Score::percent(total.category, total.rows);
    let channel = Score::percent(total.channel, total.rows);
    let counterparty = Score::percent(total.counterparty, total.rows);
    // Batch A (77 rows) first measured at category 93.5 %, channel 97.4 %, counterparty
    // 84.4 % (all three 81.8 %); 100 / 100 / 98.7 % after the general fixes it showed.
    // Batch B (55 rows, written after those fixes) first measured at 96.4 / 96.4 / 92.7 %
    // (all three 87.3 %); both batches 99.2 / 100 / 98.5 % after its fixes. Batch C (38 rows,
    // written after B's fixes) first measured at 92.1 / 97.4 / 94.7 % (all three 89.5 %); all
    // 170 rows 99.4 / 100 / 98.8 % after its fixes.
    assert!(category >= 97.0, "category accuracy {category:.1}%");
    assert!(channel >= 97.0, "channel accuracy {channel:.1}%");
    assert!(
        counterparty >= 95.0,
        "counterparty accuracy {counterparty:.1}%"
    );
}

#[test]
fn accuracy_on_public_format_batch() {
    let total = score_table("labelled_narrations_heldout_d.tsv", HELD_OUT_D);
    assert!(total.rows >= 200, "only {} rows", total.rows);
    let category = Score::percent(total.category, total.rows);
    let channel = Score::percent(total.channel, total.rows);
    let counterparty = Score::percent(total.counterparty, total.rows);
    // Batches D+E first measured at 89.1 / 90.1 / 88.1 % (all three 79.2 %) before any change
    // made for them, 99.0 / 100 / 97.0 % after; batch F (written after those fixes) first
    // measured at 93.0 / 97.7 / 88.4 %; all 144 rows 99.3 / 100 / 96.5 % after its fixes.
    // Batch G (small merchants at QR codes and card terminals) first measured at 84.2 / 100 /
    // 92.1 %; all 182 rows 99.5 / 100 / 97.3 % after its fixes. Batch H first measured at
    // 100 / 100 / 96.4 %; all 210 rows 99.5 / 100 / 97.6 % after its fix.
    assert!(category >= 97.0, "category accuracy {category:.1}%");
    assert!(channel >= 97.0, "channel accuracy {channel:.1}%");
    assert!(
        counterparty >= 95.0,
        "counterparty accuracy {counterparty:.1}%"
    );
}

/// Rows per batch of labelled_narrations_heldout_i.tsv, in file order (I, J, K, L).
const HELD_OUT_I_BATCHES: [(&str, usize); 4] = [
    ("batch I", 77),
    ("batch J", 89),
    ("batch K", 84),
    ("batch L", 43),
];

/// Scores a file of labelled batches, printing each batch's line, and returns the whole file's
/// category, channel and counterparty accuracy.
fn score_batches(file: &str, text: &'static str, batches: &[(&str, usize)]) -> (f64, f64, f64) {
    let all = rows(text);
    let total = score_rows(file, &all);
    assert_eq!(
        total.rows,
        batches.iter().map(|(_, n)| n).sum::<usize>(),
        "batch sizes out of date"
    );
    let mut start = 0;
    for &(name, count) in batches {
        let batch = score_rows(name, &all[start..start + count]);
        println!("{name}: {}", batch.line());
        start += count;
    }
    (
        Score::percent(total.category, total.rows),
        Score::percent(total.channel, total.rows),
        Score::percent(total.counterparty, total.rows),
    )
}

#[test]
fn accuracy_on_batches_i_to_k() {
    let (category, channel, counterparty) = score_batches(
        "labelled_narrations_heldout_i.tsv",
        HELD_OUT_I,
        &HELD_OUT_I_BATCHES,
    );
    // First measured, before any rule change made for them, at category 90.8 % (strict 82.8 %),
    // channel 92.8 %, counterparty 88.4 % (all three 81.2 %); 99.2 (95.6) / 99.2 / 96.4 % after
    // the general fixes (APBS/AEPS rails, government-transfer, pension, dividend, wallet top-up
    // and cheque-return vocabulary, ICICI's note only before a bank, the longest handle token).
    // Batch L (written after those fixes) first measured at 88.4 (76.7) / 88.4 / 83.7 %; all
    // 293 rows 99.0 (95.2) / 99.0 / 96.2 % after its fixes. Batch M's round: its rules 99.3 (95.6)
    // / 99.3 / 96.2 %; with the Lenskart, IOCL and KFintech labels decided, 99.7 (96.6) / 99.3 /
    // 96.9 %.
    assert!(category >= 97.0, "category accuracy {category:.1}%");
    assert!(channel >= 97.0, "channel accuracy {channel:.1}%");
    assert!(
        counterparty >= 94.0,
        "counterparty accuracy {counterparty:.1}%"
    );
}

/// Rows per batch of labelled_narrations_heldout_m.tsv, in file order (M, N).
const HELD_OUT_M_BATCHES: [(&str, usize); 3] = [("batch M", 305), ("batch N", 63), ("batch O", 55)];

#[test]
fn accuracy_on_batch_m() {
    let (category, channel, counterparty) = score_batches(
        "labelled_narrations_heldout_m.tsv",
        HELD_OUT_M,
        &HELD_OUT_M_BATCHES,
    );
    // Batch N (63 rows, written after batch M's fixes) first measured at category 71.4 % (strict
    // 69.8 %), channel 95.2 %, counterparty 93.7 % (all three 69.8 %); 98.4 (93.7) / 100 / 95.2 %
    // after its fixes (dictionary and lender entries, disbursal words before the holder's name);
    // all 368 rows 97.6 (94.0) / 98.9 / 95.9 %. Batch O (55 rows aimed at the grammar, written after
    // batch N's fixes) first measured at 89.1 (89.1) / 94.5 / 94.5 % (all three 89.1 %); 96.4
    // (96.4) / 96.4 / 100 % after its fixes; all 423 rows 97.4 (94.3) / 98.6 / 96.5 %.
    // Batch M first measured, before any rule change made for it, at category 79.0 % (strict 74.1 %),
    // channel 93.4 %, counterparty 91.5 % (all three 73.1 %); 97.4 (94.1) / 98.7 / 96.1 % after
    // the general fixes (dictionary entries, rule phrases, SBI's glued terminal codes, banks
    // printed without "bank", a brand outnaming a lender's word, pay-later providers as lenders).
    assert!(category >= 96.0, "category accuracy {category:.1}%");
    assert!(channel >= 97.0, "channel accuracy {channel:.1}%");
    assert!(
        counterparty >= 94.0,
        "counterparty accuracy {counterparty:.1}%"
    );
}

/// Rows per batch of labelled_narrations_heldout_p.tsv, in file order.
const HELD_OUT_P_BATCHES: [(&str, usize); 1] = [("batch P", 222)];

#[test]
fn accuracy_on_batch_p() {
    let (category, channel, counterparty) = score_batches(
        "labelled_narrations_heldout_p.tsv",
        HELD_OUT_P,
        &HELD_OUT_P_BATCHES,
    );
    // Batch P (222 rows, labelled by the same team as the rules) first measured, before any
    // rule change made for it (rules of 710a734), at category 87.4 % (strict 77.5 %), channel
    // 90.5 %, counterparty 82.0 % (all three 73.9 %). After the general fixes (legal names of
    // brands, lenders and electricity distributors; MCC names printed instead of codes; a bill
    // or EMI word in the note of a transfer to an unlisted payee; taxes found by their
    // authority; CMS credits; marketplace payouts' "DISBURSEMENT"; DBT rows; Paytm's one-field
    // UPI rows) and with 5 labels decided after first sight (see the file's header): 99.1
    // (94.1) / 99.1 / 94.6 % (all three 94.1 %).
    assert!(category >= 97.0, "category accuracy {category:.1}%");
    assert!(channel >= 97.0, "channel accuracy {channel:.1}%");
    assert!(
        counterparty >= 92.0,
        "counterparty accuracy {counterparty:.1}%"
    );
}

/// Rows per batch of labelled_narrations_heldout_q.tsv, in file order.
const HELD_OUT_Q_BATCHES: [(&str, usize); 1] = [("batch Q", 151)];
/// Rows per batch of labelled_narrations_heldout_r.tsv, in file order.
const HELD_OUT_R_BATCHES: [(&str, usize); 1] = [("batch R", 76)];

#[test]
fn accuracy_on_batch_q() {
    let (category, channel, counterparty) = score_batches(
        "labelled_narrations_heldout_q.tsv",
        HELD_OUT_Q,
        &HELD_OUT_Q_BATCHES,
    );
    // Batch Q (151 rows, labelled by the same team as the rules) first measured, before any
    // rule change made for it (rules of acb929f), at category 82.8 % (strict 76.8 %), channel
    // 90.7 %, counterparty 88.1 % (all three 76.2 %); after the general fixes (legal names,
    // remittance rails and words, TCS on LRS, forex-card loads, UPI Lite and NCMC, government
    // fee portals, trade words) and one label error corrected: see the file's header.
    assert!(category >= 95.0, "category accuracy {category:.1}%");
    assert!(channel >= 96.0, "channel accuracy {channel:.1}%");
    assert!(
        counterparty >= 95.0,
        "counterparty accuracy {counterparty:.1}%"
    );
}

#[test]
fn accuracy_on_batch_r() {
    let (category, channel, counterparty) = score_batches(
        "labelled_narrations_heldout_r.tsv",
        HELD_OUT_R,
        &HELD_OUT_R_BATCHES,
    );
    // Batch R (76 rows, an ordinary month's mix not aimed at any gap, labelled by the same team as
    // the rules) first measured, before any rule change made for it (rules of d236ea5), at
    // category 92.1 % (strict 92.1 %), channel 100 %, counterparty 100 %; 93.4 / 100 / 100 % after
    // adding hotel chains (the rest are judgements, listed in the file's header).
    assert!(category >= 92.0, "category accuracy {category:.1}%");
    assert!(channel >= 97.0, "channel accuracy {channel:.1}%");
    assert!(
        counterparty >= 97.0,
        "counterparty accuracy {counterparty:.1}%"
    );
}

/// Rows per batch of labelled_narrations_heldout_s.tsv, in file order.
const HELD_OUT_S_BATCHES: [(&str, usize); 1] = [("batch S", 209)];

#[test]
fn accuracy_on_batch_s() {
    let (category, channel, counterparty) = score_batches(
        "labelled_narrations_heldout_s.tsv",
        HELD_OUT_S,
        &HELD_OUT_S_BATCHES,
    );
    // Batch S (209 rows aimed at what batches A-R do not cover, labelled by the same team as the
    // rules) first measured, before any rule change made for it (rules of 1c9cdbc), at category
    // 83.3 % (strict 79.4 %), channel 90.4 %, counterparty 92.3 % (all three 76.6 %); 98.6 (95.7)
    // / 99.5 / 96.7 % after the general fixes and 3 channel labels corrected (see the file's header).
    assert!(category >= 97.0, "category accuracy {category:.1}%");
    assert!(channel >= 98.0, "channel accuracy {channel:.1}%");
    assert!(
        counterparty >= 95.0,
        "counterparty accuracy {counterparty:.1}%"
    );
}

/// Rows per batch of labelled_narrations_heldout_t.tsv, in file order.
const HELD_OUT_T_BATCHES: [(&str, usize); 1] = [("batch T", 61)];

#[test]
fn accuracy_on_batch_t() {
    let (category, channel, counterparty) = score_batches(
        "labelled_narrations_heldout_t.tsv",
        HELD_OUT_T,
        &HELD_OUT_T_BATCHES,
    );
    // Batch T (61 rows, an ordinary month of a salaried person and of a small shop, not aimed at any
    // gap, labelled by the same team as the rules) first measured, before any rule change made for
    // it (rules of d3266b2), at category 95.1 % (strict 91.8 %), channel 98.4 %, counterparty 96.7 %
    // (all three 91.8 %); 96.7 (95.1) / 100 / 98.4 % after its fixes (BharatPe's legal name,
    // professional-tax wordings).
    assert!(category >= 95.0, "category accuracy {category:.1}%");
    assert!(channel >= 98.0, "channel accuracy {channel:.1}%");
    assert!(
        counterparty >= 95.0,
        "counterparty accuracy {counterparty:.1}%"
    );
}

/// Rows per batch of labelled_narrations_heldout_u.tsv, in file order: the wrapped rows, then the
/// control group.
const HELD_OUT_U_BATCHES: [(&str, usize); 2] = [("batch U wrapped", 128), ("batch U controls", 31)];

#[test]
fn accuracy_on_batch_u() {
    let (category, channel, counterparty) = score_batches(
        "labelled_narrations_heldout_u.tsv",
        HELD_OUT_U,
        &HELD_OUT_U_BATCHES,
    );
    // Batch U (159 rows: 128 narrations wrapped, glued or cut as a PDF cell delivers them and 31
    // controls, labelled by the same team as the rules) first measured, before any rule change made
    // for it (rules of f3d5644), at category 57.9 % (strict 49.1 %), channel 97.5 %, counterparty
    // 62.3 % (with 9 labels corrected openly, see the file's header); 94.3 (90.6) / 98.7 / 91.8 %
    // after names are rejoined from their field (joined, glued, cut) and split handles and rail
    // codes are read whole. The controls stay at 93.5 / 100 / 96.8 %.
    assert!(category >= 92.0, "category accuracy {category:.1}%");
    assert!(channel >= 97.0, "channel accuracy {channel:.1}%");
    assert!(
        counterparty >= 89.0,
        "counterparty accuracy {counterparty:.1}%"
    );
}

/// Rows per group of labelled_narrations_heldout_v.tsv, in file order: the shape groups, then the
/// controls.
const HELD_OUT_V_BATCHES: [(&str, usize); 11] = [
    ("batch V axis padded/BRN/ACH", 26),
    ("batch V icici cut at 50", 24),
    ("batch V kotak narrow cell", 27),
    ("batch V pnb P2V", 12),
    ("batch V indusind/federal", 11),
    ("batch V aggregator NACH", 8),
    ("batch V axis codes", 9),
    ("batch V sbi 8-character payee", 8),
    ("batch V canara masked handle", 9),
    ("batch V city union", 4),
    ("batch V controls", 30),
];

#[test]
fn accuracy_on_batch_v() {
    let (category, channel, counterparty) = score_batches(
        "labelled_narrations_heldout_v.tsv",
        HELD_OUT_V,
        &HELD_OUT_V_BATCHES,
    );
    // Batch V (168 rows: 138 in shapes taken from real narrations in public sources and 30 controls,
    // labelled by the same team as the rules) first measured, before any rule change made for it
    // (rules of 25df88f), at category 85.1 % (strict 81.5 %), channel 92.3 %, counterparty 88.7 %
    // (all three 81.0 %); 96.4 (94.0) / 99.4 / 95.8 % after the general fixes and 3 counterparty
    // labels corrected (see the file's header).
    assert!(category >= 95.0, "category accuracy {category:.1}%");
    assert!(channel >= 98.0, "channel accuracy {channel:.1}%");
    assert!(
        counterparty >= 94.0,
        "counterparty accuracy {counterparty:.1}%"
    );
}

/// Rows per group of labelled_narrations_heldout_w.tsv, in file order: the shape groups, then the
/// controls.
const HELD_OUT_W_BATCHES: [(&str, usize); 13] = [
    ("batch W pnb/iob remarks, NEFT_IN/OUT, IMPS-IN", 16),
    ("batch W central bank UPI/RRN", 9),
    ("batch W bank of india", 8),
    ("batch W union bank NEFTO/RTGSO", 7),
    ("batch W axis INB/BRN", 16),
    ("batch W federal corporate codes", 11),
    ("batch W indian bank", 6),
    ("batch W j&k bank", 6),
    ("batch W canara mobile IMPS, kotak VAN", 10),
    ("batch W icici/idfc/dcb/svc, SBI TO ACH Dr", 22),
    ("batch W short codes", 30),
    ("batch W under-covered banks and rails", 27),
    ("batch W controls", 15),
];

#[test]
fn accuracy_on_batch_w() {
    let (category, channel, counterparty) = score_batches(
        "labelled_narrations_heldout_w.tsv",
        HELD_OUT_W,
        &HELD_OUT_W_BATCHES,
    );
    // Batch W (183 rows: 168 in shapes taken from real narrations in public sources and 15 controls,
    // labelled by the same team as the rules) first measured, before any rule change made for it
    // (rules of de79ce5), at category 89.6 % (strict 81.4 %), channel 83.6 %, counterparty 86.9 %
    // (all three 78.1 %); 99.5 (99.5) / 99.5 / 100 % after the general fixes (banks' rail codes as
    // data, tax, reversal, sweep and cash codes, Federal's "DD:") and 6 labels corrected to the
    // batches' own conventions (see the file's header).
    assert!(category >= 97.0, "category accuracy {category:.1}%");
    assert!(channel >= 97.0, "channel accuracy {channel:.1}%");
    assert!(
        counterparty >= 97.0,
        "counterparty accuracy {counterparty:.1}%"
    );
}

/// Rows per batch of labelled_narrations_heldout_x.tsv.
const HELD_OUT_X_BATCHES: [(&str, usize); 1] = [("batch X", 28)];

#[test]
fn accuracy_on_batch_x() {
    let (category, channel, counterparty) = score_batches(
        "labelled_narrations_heldout_x.tsv",
        HELD_OUT_X,
        &HELD_OUT_X_BATCHES,
    );
    // Batch X (28 rows, written after batch W's fixes, labelled by the same team as the rules) first
    // measured, before any rule change made for it (rules of 711e599), at category 82.1 % (strict
    // 82.1 %), channel 92.9 %, counterparty 96.4 %; 96.4 (96.4) / 100 / 100 % after its fixes.
    assert!(category >= 92.0, "category accuracy {category:.1}%");
    assert!(channel >= 97.0, "channel accuracy {channel:.1}%");
    assert!(
        counterparty >= 97.0,
        "counterparty accuracy {counterparty:.1}%"
    );
}

/// Rows per group of labelled_narrations_heldout_y.tsv, in file order: the shape groups, then the controls.
const HELD_OUT_Y_BATCHES: [(&str, usize); 6] = [
    ("batch Y regional rural bank colon rows", 42),
    ("batch Y sbi CEMTEX/INB/POS/ACHDr", 37),
    ("batch Y NACH by destination bank, federal", 25),
    ("batch Y hdfc UPI gateway handles, cash wordings", 23),
    ("batch Y more of the same shapes", 8),
    ("batch Y controls", 15),
];

#[test]
fn accuracy_on_batch_y() {
    let (category, channel, counterparty) = score_batches(
        "labelled_narrations_heldout_y.tsv",
        HELD_OUT_Y,
        &HELD_OUT_Y_BATCHES,
    );
    // Batch Y (150 rows: 135 in shapes taken from real narrations in public sources and 15 controls,
    // labelled by the same team as the rules) first measured, before any rule change made for it
    // (rules of c626f90), at category 81.3 % (strict 78.0 %), channel 88.7 %, counterparty 84.7 %
    // (all three 78.0 %); 98.0 (94.7) / 99.3 / 96.7 % after the general fixes (SBI's CEMTEX code and a
    // NACH credit from a company as its dividend, trade words run together with a shop's name or
    // handle, e-TDR deposits, DCC/markup rows, aggregator-first mandates) and 4 labels corrected to
    // the batches' own conventions (see the file's header).
    assert!(category >= 96.0, "category accuracy {category:.1}%");
    assert!(channel >= 97.0, "channel accuracy {channel:.1}%");
    assert!(
        counterparty >= 94.0,
        "counterparty accuracy {counterparty:.1}%"
    );
}

/// Rows per group of labelled_narrations_heldout_z.tsv, in file order: lenders, insurers, controls.
const HELD_OUT_Z_BATCHES: [(&str, usize); 3] = [
    ("batch Z lenders, NBFCs, BNPL", 45),
    ("batch Z insurers", 9),
    ("batch Z controls", 11),
];

#[test]
fn accuracy_on_batch_z() {
    let (category, channel, counterparty) = score_batches(
        "labelled_narrations_heldout_z.tsv",
        HELD_OUT_Z,
        &HELD_OUT_Z_BATCHES,
    );
    // Every row labelled EMI Payment must also be a lender transaction: that is what feeds the EMI
    // and lender predictors and the monthly EMI amounts.
    let categorizer = categorizer();
    let rows = rows(HELD_OUT_Z);
    let emi: Vec<&Row> = rows
        .iter()
        .filter(|row| row.category == "EMI Payment")
        .collect();
    let as_lender = emi
        .iter()
        .filter(|row| {
            let context = EnrichmentContext {
                names: vec![row.holder.to_string()],
                ..EnrichmentContext::default()
            };
            categorizer
                .categorize(&transaction(row), &context)
                .description
                == "lender_transaction"
        })
        .count();
    println!(
        "batch Z EMI rows read as lender transactions: {as_lender}/{}",
        emi.len()
    );
    // Batch Z (65 rows: 45 lender, NBFC and BNPL debits, 9 insurers, 11 controls, labelled by the same
    // team as the rules) first measured, before any rule change made for it (rules of c626f90), at
    // category 92.3 % (strict 92.3 %), channel 96.9 % (98.5 % with one label corrected to the
    // batches' convention, see the file's header), counterparty 96.9 %; EMI rows read as lender
    // transactions 41 of 45. After a lender's form words glued after its name are read
    // (categorize::LENDER_FORM_WORDS) and two lenders' names added: 98.5 (96.9) / 98.5 / 96.9 %,
    // 45 of 45.
    assert!(category >= 98.0, "category accuracy {category:.1}%");
    assert!(channel >= 98.0, "channel accuracy {channel:.1}%");
    assert!(
        counterparty >= 96.0,
        "counterparty accuracy {counterparty:.1}%"
    );
    assert_eq!(
        as_lender,
        emi.len(),
        "lender transactions {as_lender}/{}",
        emi.len()
    );
}

/// Rows per group of labelled_narrations_heldout_aa.tsv, in file order.
const HELD_OUT_AA_BATCHES: [(&str, usize); 9] = [
    ("batch AA UPI to small merchants and people", 52),
    ("batch AA card spends, MCC words", 15),
    ("batch AA cash and ATM", 8),
    ("batch AA NEFT/RTGS/IMPS to firms and people", 15),
    ("batch AA NACH/ACH/ECS", 14),
    ("batch AA bills and card bills", 12),
    ("batch AA charges", 12),
    ("batch AA interest, refunds, self, tax, PF, dividends", 26),
    ("batch AA controls", 3),
];

#[test]
fn accuracy_on_batch_aa() {
    let (category, channel, counterparty) = score_batches(
        "labelled_narrations_heldout_aa.tsv",
        HELD_OUT_AA,
        &HELD_OUT_AA_BATCHES,
    );
    // Batch AA (157 rows, labelled by the same team as the rules) first measured, before any rule change made for it
    // (rules of b5c29b7), at category 85.4 % (strict 81.5 %), channel 92.4 %, counterparty 91.7 % (all three 80.9 %);
    // 97.5 (94.9) / 99.4 / 96.8 % after the general fixes (cuisine and dish words, a trade word cut at the name's end,
    // SBI's deposit-machine CEMTEX credit, IndusInd's biller slot, card bills collected over UPI, BBPS repayments on
    // UPI, glued fee and cashback codes, URL-encoded spaces, PF claims, dictionary entries); 98.1 (96.2) / 100 / 97.5 %
    // after a transfer naming only banks noted "self" (R176N) and a deposit's row naming the holder's first name.
    assert!(category >= 97.0, "category accuracy {category:.1}%");
    assert!(channel >= 99.0, "channel accuracy {channel:.1}%");
    assert!(
        counterparty >= 96.0,
        "counterparty accuracy {counterparty:.1}%"
    );
}

/// Rows per group of labelled_narrations_heldout_ab.tsv, in file order.
const HELD_OUT_AB_BATCHES: [(&str, usize); 8] = [
    ("batch AB customer receipts from firms", 24),
    ("batch AB supplier payments", 14),
    ("batch AB taxes", 11),
    ("batch AB card and QR settlements", 11),
    ("batch AB cheques and cash", 12),
    ("batch AB interest, charges, business loan", 11),
    ("batch AB wages", 7),
    ("batch AB controls", 5),
];

#[test]
fn accuracy_on_batch_ab() {
    let (category, channel, counterparty) = score_batches(
        "labelled_narrations_heldout_ab.tsv",
        HELD_OUT_AB,
        &HELD_OUT_AB_BATCHES,
    );
    // Batch AB (95 rows, labelled by the same team as the rules) first measured, before any rule change made for it
    // (rules of 6937edb), at category 94.7 % (strict 93.7 %), channel 97.9 %, counterparty 97.9 % (all three 93.7 %);
    // 97.9 (96.8) / 100 / 98.9 % after a gateway's settlement naming the merchant after itself, a firm named
    // "ELECTRIC" before its trade paid by transfer (R209E) and firms paid by UPI from a firm's account (R292
    // !business).
    assert!(category >= 97.0, "category accuracy {category:.1}%");
    assert!(channel >= 99.0, "channel accuracy {channel:.1}%");
    assert!(
        counterparty >= 98.0,
        "counterparty accuracy {counterparty:.1}%"
    );
}

/// Rows per group of labelled_narrations_heldout_ac.tsv, in file order.
const HELD_OUT_AC_BATCHES: [(&str, usize); 10] = [
    ("batch AC UPI P2P, P2M, collect, autopay, lite", 50),
    ("batch AC IMPS/NEFT/RTGS", 29),
    ("batch AC NACH/ACH/ECS", 23),
    ("batch AC card, ATM, cash", 25),
    ("batch AC cheques", 12),
    ("batch AC charges", 21),
    ("batch AC interest, TDS, FD/RD, sweeps", 22),
    ("batch AC payments banks", 10),
    ("batch AC self transfers and refunds", 8),
    ("batch AC controls", 2),
];

#[test]
fn accuracy_on_batch_ac() {
    let (category, channel, counterparty) = score_batches(
        "labelled_narrations_heldout_ac.tsv",
        HELD_OUT_AC,
        &HELD_OUT_AC_BATCHES,
    );
    // Batch AC (202 rows, labelled by the same team as the rules) first measured, before any rule change made for it
    // (rules of 9c7649c), at category 93.1 % (strict 88.6 %), channel 100 %, counterparty 94.1 % (all three 88.6 %);
    // 98.5 (95.5) / 100 / 96.5 % after lenders printed by their kind cut or glued (MICROFIN, HOMEFIN, HOUSING FIN) and
    // KreditBee's legal name (lenders.tsv), shop trade words and brands (BASTRALAYA, SILKS, CREAMERY, MITHAIWALE, Pocket
    // FM, Supplyco; Apple Media Services a subscription), South Indian Bank's and Karnataka Bank's initials before a card
    // row and a deposit's own words (BOOKED, TERM, BREAK) naming nobody (narration_words.tsv).
    assert!(category >= 97.0, "category accuracy {category:.1}%");
    assert!(channel >= 99.0, "channel accuracy {channel:.1}%");
    assert!(
        counterparty >= 95.0,
        "counterparty accuracy {counterparty:.1}%"
    );
}

/// Rows per group of labelled_narrations_heldout_ad.tsv, in file order.
const HELD_OUT_AD_BATCHES: [(&str, usize); 15] = [
    (
        "batch AD UPI to shops, cafes, fuel, hospitals, retail, people",
        69,
    ),
    ("batch AD naming nobody", 13),
    ("batch AD card spends, MCC words, web-print CASH W/D", 27),
    ("batch AD ATM and cash", 8),
    ("batch AD NEFT/IMPS/RTGS to and from firms and people", 31),
    ("batch AD salary", 5),
    ("batch AD NACH/ACH/ECS", 22),
    ("batch AD bills and card bills", 9),
    ("batch AD charges", 12),
    ("batch AD taxes", 6),
    ("batch AD interest, sweeps, dividends, brokers, claims", 16),
    ("batch AD refunds, reversals, cashback", 15),
    ("batch AD self transfers", 11),
    ("batch AD disbursals and account checks", 6),
    ("batch AD cheques", 8),
];

#[test]
fn accuracy_on_batch_ad() {
    let (category, channel, counterparty) = score_batches(
        "labelled_narrations_heldout_ad.tsv",
        HELD_OUT_AD,
        &HELD_OUT_AD_BATCHES,
    );
    // Batch AD (258 rows, labelled by the same team as the rules) first measured, before any rule change made for it
    // (rules of 06602aa), at category 92.6 % (strict 91.5 %), channel 98.8 %, counterparty 97.3 % (all three 91.5 %);
    // 98.4 (97.3) / 100 / 98.8 % after a trade phrase cut inside its last word ("FILLING STAT", "EYE HOSP"), a trade
    // word run into the handle of a payee whose name the field cut ("KRISHNA" / krishnamedicals@sbi, which also keeps
    // a cut "ANNAPURN" from Annapurna Finance), an app in the payee's place of a UPI cashback or account check paying
    // itself, and data (merchants.tsv KHAMAN, SUPERMARKETS, VEG RESTAURANT, FUEL POINT, SALOON, V2 RETAIL, SWIGGY
    // INSTAMART; lenders.tsv UPWARDS FINTECH; rules.tsv MAT+PROCEEDS, DISPUTE credits). Left: see the file's header.
    assert!(category >= 97.0, "category accuracy {category:.1}%");
    assert!(channel >= 99.0, "channel accuracy {channel:.1}%");
    assert!(
        counterparty >= 97.0,
        "counterparty accuracy {counterparty:.1}%"
    );
}

/// Rows per group of labelled_narrations_heldout_ae.tsv, in file order.
const HELD_OUT_AE_BATCHES: [(&str, usize); 17] = [
    ("batch AE card spends, MCC words, merchant cities", 42),
    ("batch AE UPI to small merchants printed like persons", 35),
    ("batch AE gambling, alcohol, wallets", 8),
    ("batch AE business current account", 33),
    ("batch AE NBFC and fintech loans, BNPL", 32),
    ("batch AE insurance", 9),
    ("batch AE investments, MF clearing, NPS", 12),
    ("batch AE refunds and reversals", 15),
    ("batch AE self transfers, reordered names", 13),
    ("batch AE utilities and card bills", 22),
    ("batch AE rent, education, government, state schemes", 14),
    ("batch AE salary", 5),
    ("batch AE transfers in under-covered banks", 12),
    ("batch AE ATM and cash", 6),
    ("batch AE charges", 10),
    ("batch AE interest", 5),
    ("batch AE cheques", 5),
];

#[test]
fn accuracy_on_batch_ae() {
    let (category, channel, counterparty) = score_batches(
        "labelled_narrations_heldout_ae.tsv",
        HELD_OUT_AE,
        &HELD_OUT_AE_BATCHES,
    );
    // Batch AE (278 rows, labelled by the same team as the rules) first measured, before any rule change made for it
    // (rules of 19c5007), at category 91.0 % (strict 87.4 %), channel 98.9 %, counterparty 95.3 % (all three 87.4 %);
    // 100 (99.6) / 100 / 99.6 % after a brand cut inside its last word ("SWIGGY INSTAMA"), shop trade words in the payee's
    // handle (completing a cut name, ending a handle that spells the printed name, opening a merchant-only handle), a bare
    // MCC after a network's "DEBIT POS", the scheme behind a government's ACH credit, a card bill's bank, data (services
    // "Others", HP Pay as HPCL, GRAS, cut "CREDIT C", gaming add-money) and 3 labels corrected openly (see the file's header).
    assert!(category >= 99.0, "category accuracy {category:.1}%");
    assert!(channel >= 99.0, "channel accuracy {channel:.1}%");
    assert!(
        counterparty >= 99.0,
        "counterparty accuracy {counterparty:.1}%"
    );
}

/// Rows per group of labelled_narrations_heldout_af.tsv, in file order.
const HELD_OUT_AF_BATCHES: [(&str, usize); 28] = [
    ("batch AF LIC with a cut name", 11),
    ("batch AF tailors", 7),
    ("batch AF HP petrol-pump dealers", 9),
    ("batch AF ICEGATE customs duty", 5),
    ("batch AF Vi recharges", 8),
    (
        "batch AF NACH to BNPL and fintech lenders by legal names",
        23,
    ),
    ("batch AF salary advances", 11),
    ("batch AF gold loans", 10),
    ("batch AF chit funds", 7),
    ("batch AF society maintenance", 6),
    ("batch AF school and college fees", 9),
    ("batch AF hospitals and pharmacies", 16),
    ("batch AF rent through CRED and NoBroker", 6),
    ("batch AF card bills through BBPS", 12),
    ("batch AF RuPay credit card bills over UPI", 4),
    ("batch AF government payments", 12),
    ("batch AF bank charges", 23),
    ("batch AF interest", 11),
    ("batch AF reversals and refunds", 13),
    ("batch AF FD and RD", 12),
    ("batch AF brokers, demat, dividends", 13),
    ("batch AF crypto exchanges", 7),
    ("batch AF gaming and betting", 11),
    ("batch AF forex cards", 6),
    ("batch AF UPI Lite", 5),
    ("batch AF payments banks", 8),
    ("batch AF salary in less-covered banks", 4),
    ("batch AF controls", 6),
];

#[test]
fn accuracy_on_batch_af() {
    let (category, channel, counterparty) = score_batches(
        "labelled_narrations_heldout_af.tsv",
        HELD_OUT_AF,
        &HELD_OUT_AF_BATCHES,
    );
    // Batch AF (275 rows, labelled by the same team as the rules) first measured, before any rule change made for it
    // (rules of 41ef930), at category 81.1 % (strict 68.4 %), channel 89.1 %, counterparty 81.1 % (all three 67.6 %);
    // with 4 labels corrected openly (see the file's header) 81.1 (69.8) / 89.1 / 82.5 %. 98.2 (96.4) / 99.3 / 97.8 %
    // after a cut name refining a trade phrase it opens with ("LIFE INSURANCE CORPO" is LIC), a dealer network's outlet
    // keeping its own name (HP dealers), a shop named after a lender ("MANAPPURAM JEWELLERS"), a card bill's bank in the
    // biller handle's place, an employer named as printed and a bank paying a salary, a forex-card load naming nobody,
    // SBI Collect as a transfer, and data (LIC's cut forms, tailors as a service, chit funds, crypto exchanges, NoBroker,
    // card issuers, Jan Aushadhi, fintech lenders' legal names; rules for e-challans, gold-loan interest and transfers,
    // salary advances, rent through bills apps, "CC" billers, fees to institutions as billers, e-TDR closures, TD bookings).
    assert!(category >= 97.0, "category accuracy {category:.1}%");
    assert!(channel >= 99.0, "channel accuracy {channel:.1}%");
    assert!(
        counterparty >= 96.0,
        "counterparty accuracy {counterparty:.1}%"
    );
}

/// Rows per group of labelled_narrations_heldout_ag.tsv, in file order.
const HELD_OUT_AG_BATCHES: [(&str, usize); 5] = [
    ("batch AG everyday chains by UPI", 28),
    ("batch AG subscriptions and apps", 9),
    ("batch AG card spends", 8),
    ("batch AG transfers, salary, loans", 15),
    ("batch AG bills and misc", 15),
];

#[test]
fn accuracy_on_batch_ag() {
    let (category, channel, counterparty) = score_batches(
        "labelled_narrations_heldout_ag.tsv",
        HELD_OUT_AG,
        &HELD_OUT_AG_BATCHES,
    );
    // Batch AG (75 rows, labelled by the same team as the rules) first measured, before any rule change made for it
    // (rules of 97749ee), at category 90.7 % (strict 86.7 %), channel 98.7 %, counterparty 94.7 % (all three 86.7 %);
    // 93.3 (93.3) / 98.7 / 100 % after data only (names shown as printed where the dictionary put a sibling's name:
    // TRENT, TNEB, TNPDCL; Metro's "and"; Apple's media-services handle; paan shops). Left: see the file's header.
    assert!(category >= 92.0, "category accuracy {category:.1}%");
    assert!(channel >= 98.0, "channel accuracy {channel:.1}%");
    assert!(
        counterparty >= 98.0,
        "counterparty accuracy {counterparty:.1}%"
    );
}

/// Rows per group of labelled_narrations_heldout_ah.tsv, in file order.
const HELD_OUT_AH_BATCHES: [(&str, usize); 13] = [
    ("batch AH co-operative banks", 30),
    ("batch AH small-finance banks", 25),
    ("batch AH regional rural banks", 25),
    ("batch AH payments banks", 22),
    ("batch AH a firm's current account", 25),
    ("batch AH GST, TDS, EPFO, ESIC", 15),
    ("batch AH disbursals and account checks", 15),
    ("batch AH FD sweeps", 12),
    ("batch AH refunds and reversals", 20),
    ("batch AH cheque returns", 16),
    ("batch AH ATM and card rows", 18),
    ("batch AH small shops printed like persons", 20),
    ("batch AH last round's leftovers", 28),
];

#[test]
fn accuracy_on_batch_ah() {
    let (category, channel, counterparty) = score_batches(
        "labelled_narrations_heldout_ah.tsv",
        HELD_OUT_AH,
        &HELD_OUT_AH_BATCHES,
    );
    // Batch AH (271 rows, labelled by the same team as the rules) first measured, before any rule change made for it
    // (rules of 7c84d41), at category 85.2 % (strict 80.1 %), channel 95.2 %, counterparty 92.3 % (all three 80.1 %);
    // 93.0 (91.1) / 98.5 / 97.8 % after: a registrar's dividend naming the company, a government's payment system as a
    // credit's only payer (PFMS), a UPI card bill naming its issuer ("KOTAK RUPAY CC"), a trade word in the payee's
    // field beside a filler word ("JAI AMBE HP AUTO"), a weak trade word confirmed by the note ("SAI BALAJI HP" / Fuel),
    // and data (shops' trade words, Vi's handle token, "TDS 281"; rules for a reversed charge, SBI's MOD deposits,
    // redeemed FDs, "ECOM REF", SBI's "POS ATM PURCH", UPI card bills, a GST invoice paid to a supplier; reference and
    // note words). Left: see the file's header.
    assert!(category >= 92.0, "category accuracy {category:.1}%");
    assert!(channel >= 98.0, "channel accuracy {channel:.1}%");
    assert!(
        counterparty >= 97.0,
        "counterparty accuracy {counterparty:.1}%"
    );
}

/// Rows per group of labelled_narrations_heldout_ai.tsv, in file order.
const HELD_OUT_AI_BATCHES: [(&str, usize); 13] = [
    ("batch AI thin public-sector banks", 40),
    ("batch AI thin private banks", 32),
    ("batch AI naming nobody", 14),
    ("batch AI firms without a suffix", 16),
    ("batch AI MCC words, QR and card spends", 24),
    ("batch AI self transfers", 16),
    ("batch AI refunds and reversals", 16),
    ("batch AI NBFC and BNPL auto-debits", 16),
    ("batch AI disbursals and account checks", 12),
    ("batch AI taxes", 14),
    ("batch AI brokers, MF, dividends, sweeps, insurers", 20),
    ("batch AI charges, interest, cash, cheques", 16),
    ("batch AI last round's leftovers", 25),
];

#[test]
fn accuracy_on_batch_ai() {
    let (category, channel, counterparty) = score_batches(
        "labelled_narrations_heldout_ai.tsv",
        HELD_OUT_AI,
        &HELD_OUT_AI_BATCHES,
    );
    // Batch AI (261 rows, labelled by the same team as the rules) first measured, before any rule change made for it
    // (rules of 0f31892), at category 91.2 % (strict 88.9 %), channel 97.3 %, counterparty 96.6 % (all three 88.9 %);
    // 95.4 (95.4) / 98.9 / 100 % after: a gateway's one-rupee check naming the holder after itself sent by the gateway,
    // a bank's reversal of its own charge naming nobody (word_lists.tsv nameless_rule), a tax named only by its own words
    // naming nobody (tax_own_word: PROF TAX), a two-letter payee in a UPI field of its own (short_payee: VI), and data
    // (regional food and chemist trade words, IIFL FINANCE glued, CAN REF, TDR/FDR closures and bookings, FDR as a deposit's word, district towns).
    // Left: see the file's header.
    assert!(category >= 95.0, "category accuracy {category:.1}%");
    assert!(channel >= 98.0, "channel accuracy {channel:.1}%");
    assert!(
        counterparty >= 98.0,
        "counterparty accuracy {counterparty:.1}%"
    );
}

/// Rows per group of labelled_narrations_heldout_aj.tsv, in file order.
const HELD_OUT_AJ_BATCHES: [(&str, usize); 10] = [
    ("batch AJ trade notes to shops printed like persons", 24),
    (
        "batch AJ services like Lenskart, cult.fit, Urban Company",
        20,
    ),
    ("batch AJ employers' credits naming no salary word", 18),
    ("batch AJ BNPL and digital lenders", 23),
    ("batch AJ insurers' credits", 12),
    ("batch AJ brokers", 12),
    ("batch AJ MCC words in card rows", 24),
    ("batch AJ reversals per bank", 24),
    ("batch AJ ten banks' ordinary month", 81),
    ("batch AJ leftovers", 11),
];

#[test]
fn accuracy_on_batch_aj() {
    let (category, channel, counterparty) = score_batches(
        "labelled_narrations_heldout_aj.tsv",
        HELD_OUT_AJ,
        &HELD_OUT_AJ_BATCHES,
    );
    // Batch AJ (249 rows, labelled by the same team as the rules) first measured, before any rule change made for it
    // (rules of 4a5c2f5), at category 81.1 % (strict 80.7 %), channel 93.2 %, counterparty 99.6 % (all three 80.3 %);
    // with 2 labels corrected openly (see the file's header) 81.1 (80.7) / 94.0 / 100 %. 96.4 (96.4) / 97.6 / 100 % after:
    // a note saying what was bought on a row marking a merchant (P2M, a shop's QR code handle), employers whose
    // credits to a person are pay (R133), a firm's transfer naming the month's pay (R130P), FREE LOOK and SURRENDER,
    // personal services as Others. Batch AI rose from 95.4 to 98.5 % with them. Left: see the file's header.
    assert!(category >= 95.0, "category accuracy {category:.1}%");
    assert!(channel >= 96.0, "channel accuracy {channel:.1}%");
    assert!(
        counterparty >= 99.0,
        "counterparty accuracy {counterparty:.1}%"
    );
}

/// Rows per group of labelled_narrations_heldout_ak.tsv, in file order.
const HELD_OUT_AK_BATCHES: [(&str, usize); 9] = [
    ("batch AK trade notes and person controls", 12),
    ("batch AK employers' credits", 8),
    ("batch AK BNPL and digital lenders", 8),
    ("batch AK insurers' credits", 5),
    ("batch AK brokers", 4),
    ("batch AK MCC words and codes", 8),
    ("batch AK reversals", 8),
    ("batch AK ten banks' month", 20),
    ("batch AK self transfers and services", 5),
];

#[test]
fn accuracy_on_batch_ak() {
    let (category, channel, counterparty) = score_batches(
        "labelled_narrations_heldout_ak.tsv",
        HELD_OUT_AK,
        &HELD_OUT_AK_BATCHES,
    );
    // Batch AK (78 rows, same hand as batch AJ and its fixes) measured once, with no rule changed for it (rules of
    // 1c5892d): category 96.2 % (strict 96.2 %), channel 97.4 %, counterparty 100 % (all three 96.2 %). Left: two large
    // employers' bare credits outside the IT-services list (Bajaj Auto, Hindustan Unilever), IDBI's bare MCC 5812 after
    // "POS DR" (a restaurant named without a trade word).
    assert!(category >= 95.0, "category accuracy {category:.1}%");
    assert!(channel >= 96.0, "channel accuracy {channel:.1}%");
    assert!(
        counterparty >= 99.0,
        "counterparty accuracy {counterparty:.1}%"
    );
}

/// Rows per group of labelled_narrations_heldout_al.tsv, in file order.
const HELD_OUT_AL_BATCHES: [(&str, usize); 11] = [
    (
        "batch AL non-IT employers and the state naming no salary word",
        34,
    ),
    ("batch AL bare MCC codes and card digits", 24),
    ("batch AL chain stores by card and UPI", 24),
    ("batch AL BONUS, INCENTIVE, ARREARS", 16),
    ("batch AL insurers", 16),
    ("batch AL BNPL", 16),
    ("batch AL brokers, MF, dividends", 16),
    ("batch AL taxes", 16),
    ("batch AL refunds and reversals per bank", 27),
    ("batch AL self transfers with reordered names", 16),
    ("batch AL a month across banks", 55),
];

#[test]
fn accuracy_on_batch_al() {
    let (category, channel, counterparty) = score_batches(
        "labelled_narrations_heldout_al.tsv",
        HELD_OUT_AL,
        &HELD_OUT_AL_BATCHES,
    );
    // Batch AL (260 rows, labelled by the same team as the rules) first measured, before any rule change made for it
    // (rules of 6fe5aca), at category 82.3 % (strict 79.2 %), channel 83.1 %, counterparty 93.8 % (all three 78.1 %); with 3
    // channel labels corrected openly (see the file's header) 82.3 (79.2) / 84.2 / 93.8 %. 98.5 (95.8) / 99.2 / 96.9 % after:
    // large non-IT employers and PSUs as known employers (R133), a government pay office's credit (R134, and no dividend
    // read from a division's "DIV"), a firm's transfer naming BONUS / INCENTIVE / ARREARS (R135, those words a note and
    // never the payer), IDBI's bare MCC after "POS DR", a chain's storefront after its legal entity, a brand's salon, a
    // cut mutual fund's name. Batches AJ and AK rose to 98.4 and 100 % with them. Left: see the file's header.
    assert!(category >= 97.0, "category accuracy {category:.1}%");
    assert!(channel >= 98.0, "channel accuracy {channel:.1}%");
    assert!(
        counterparty >= 95.0,
        "counterparty accuracy {counterparty:.1}%"
    );
}

/// Rows per group of labelled_narrations_heldout_am.tsv, in file order.
const HELD_OUT_AM_BATCHES: [(&str, usize); 8] = [
    ("batch AM employers and pay offices", 12),
    ("batch AM pay extras", 5),
    ("batch AM MCC codes and card digits", 6),
    ("batch AM chains by legal name", 5),
    ("batch AM insurers, BNPL, brokers, taxes", 8),
    ("batch AM reversals", 4),
    ("batch AM self transfers", 3),
    ("batch AM ordinary rows", 5),
];

#[test]
fn accuracy_on_batch_am() {
    let (category, channel, counterparty) = score_batches(
        "labelled_narrations_heldout_am.tsv",
        HELD_OUT_AM,
        &HELD_OUT_AM_BATCHES,
    );
    // Batch AM (48 rows, same hand as batch AL and its fixes) measured once, with no rule changed for it (rules of
    // 9743679): category 77.1 % (strict 75.0 %), channel 77.1 %, counterparty 95.8 % (all three 75.0 %). Left: eight
    // employers naming no salary word outside the known-employer list (R133 is a dictionary and does not reach an
    // employer it does not name; a sub treasury and a zilla parishad's DDO were read by R134), a pay extra printed "PLI"
    // or "EX GRATIA" (not R135's words; ICICI's MMT then names EX GRATIA as the payer), a sweet shop's Diwali bonus (a
    // dictionary trade word blocks R135), L&T Finance's name spelt "L AND T".
    assert!(category >= 75.0, "category accuracy {category:.1}%");
    assert!(channel >= 75.0, "channel accuracy {channel:.1}%");
    assert!(
        counterparty >= 95.0,
        "counterparty accuracy {counterparty:.1}%"
    );
}

/// Rows per group of labelled_narrations_heldout_an.tsv, in file order.
const HELD_OUT_AN_BATCHES: [(&str, usize); 12] = [
    ("batch AN employers naming no salary word", 24),
    ("batch AN firms' credits that are not pay", 12),
    ("batch AN pay extras", 14),
    ("batch AN merchants by handle and name", 22),
    ("batch AN UPI formats, gateways, self and family", 14),
    ("batch AN card rows", 14),
    ("batch AN EMIs and insurers", 14),
    ("batch AN refunds and reversals", 10),
    ("batch AN taxes", 8),
    ("batch AN investments", 8),
    ("batch AN ordinary rows", 11),
    ("batch AN counterparty spellings", 4),
];

#[test]
fn accuracy_on_batch_an() {
    let (category, channel, counterparty) = score_batches(
        "labelled_narrations_heldout_an.tsv",
        HELD_OUT_AN,
        &HELD_OUT_AN_BATCHES,
    );
    // Batch AN (155 rows, lane E; same hand as the fixes) first measured, before any rule change made for it (rules of
    // 73503ac), at category 74.8 % (strict 70.3 %), channel 76.8 %, counterparty 92.3 % (all three 70.3 %); 91.6 (87.1) /
    // 93.5 / 92.3 % after: a public limited company's pay-sized credit naming nothing else read as pay by its shape (R136,
    // undone by the statement's pattern over two months or more), PLI / EX-GRATIA / GRATUITY / LEAVE ENCASHMENT / VARIABLE
    // PAY as pay extras (R135, a trade-named shop as a firm payer), ICICI's "MCD REF" a refund, a reference label before a
    // name and a note after a legal form no part of the name. Left: private companies' and an LLP's bare credits (left to
    // the pattern: batches A-AK label such rows transfers), a fuel PSU and a bank as employers (brand / bank payee),
    // ONGC by its acronym, a glued "HDFCCC" card bill, Netflix by BillDesk read as a bill, counterparty spellings.
    assert!(category >= 90.0, "category accuracy {category:.1}%");
    assert!(channel >= 92.0, "channel accuracy {channel:.1}%");
    assert!(
        counterparty >= 91.0,
        "counterparty accuracy {counterparty:.1}%"
    );
}

/// Rows per group of labelled_narrations_heldout_ao.tsv, in file order.
const HELD_OUT_AO_BATCHES: [(&str, usize); 9] = [
    ("batch AO employers naming no salary word", 11),
    ("batch AO firms' credits, pay extras and controls", 9),
    ("batch AO merchants and UPI formats", 15),
    ("batch AO card rows", 6),
    ("batch AO EMIs and insurers", 6),
    ("batch AO refunds", 4),
    ("batch AO taxes", 3),
    ("batch AO investments", 3),
    ("batch AO ordinary rows", 5),
];

#[test]
fn accuracy_on_batch_ao() {
    let (category, channel, counterparty) = score_batches(
        "labelled_narrations_heldout_ao.tsv",
        HELD_OUT_AO,
        &HELD_OUT_AO_BATCHES,
    );
    // Batch AO (62 rows, lane E, same hand as batch AN and its fixes), no rule changed for it. Run first, by mistake, with
    // the whole test binary on the lane's intermediate rules (R136 then read private companies too): 100 (95.2) / 100 /
    // 95.2 %. On the final rules, once: category 96.8 % (strict 91.9 %), channel 96.8 %, counterparty 95.2 % (all three
    // 91.9 %). Left: a private cloud firm's and a private agro firm's bare credits (left to the pattern), three
    // counterparty spellings (BPCL, Health & Glow, a professional tax naming no payee).
    assert!(category >= 95.0, "category accuracy {category:.1}%");
    assert!(channel >= 95.0, "channel accuracy {channel:.1}%");
    assert!(
        counterparty >= 94.0,
        "counterparty accuracy {counterparty:.1}%"
    );
}

/// Rows per group of labelled_narrations_heldout_ap.tsv, in file order.
const HELD_OUT_AP_BATCHES: [(&str, usize); 13] = [
    ("batch AP money-transfer firms and remittances", 12),
    ("batch AP family remittances", 8),
    ("batch AP limited companies' credits that are not pay", 14),
    ("batch AP banks as employers and banks' other credits", 10),
    ("batch AP employers naming no salary word", 8),
    ("batch AP merchants by handle and name", 16),
    ("batch AP UPI formats, self and family", 10),
    ("batch AP card rows", 8),
    ("batch AP EMIs and insurers", 10),
    ("batch AP refunds and reversals", 8),
    ("batch AP taxes", 5),
    ("batch AP investments", 6),
    ("batch AP ordinary rows", 9),
];

#[test]
fn accuracy_on_batch_ap() {
    let (category, channel, counterparty) = score_batches(
        "labelled_narrations_heldout_ap.tsv",
        HELD_OUT_AP,
        &HELD_OUT_AP_BATCHES,
    );
    // Batch AP (124 rows, lane G; same hand as the fixes), labelled before any run. First sight (rules of 5d115a0):
    // category 90.3 % (strict 87.1 %), channel 94.4 %, counterparty 93.5 %: money-transfer firms 58.3 % (UAE Exchange,
    // Unimoni, Western Union read as lenders by "FINANCIAL SERVICES"; Wise, EbixCash as pay by R136), banks as employers
    // 60 % (a bank printed before the holder read as a self transfer, alone as nobody). After (salary_signals.tsv
    // money_trade / exchange_house, narration::bank_printed_first, R136 banks, R178R a lender's rent): category 98.4 % (strict 96.0 %), channel 99.2 %, counterparty 97.6 %; AN 91.6 -> 92.3 %, AL
    // 98.8 -> 99.2 %, M 98.8 % (strict 95.7 -> 96.0), others unchanged. Left:
    // a listed company's CONSULTANCY fee read as pay (R136), a sweet shop's MCC 5499 read as Groceries, spellings.
    assert!(category >= 95.0, "category accuracy {category:.1}%");
    assert!(channel >= 95.0, "channel accuracy {channel:.1}%");
    assert!(
        counterparty >= 95.0,
        "counterparty accuracy {counterparty:.1}%"
    );
}

/// Rows per group of labelled_narrations_heldout_aq.tsv, in file order.
const HELD_OUT_AQ_BATCHES: [(&str, usize); 12] = [
    ("batch AQ money-transfer firms and remittances", 8),
    ("batch AQ family remittances", 5),
    ("batch AQ limited companies' credits that are not pay", 10),
    ("batch AQ banks as employers and banks' other credits", 8),
    ("batch AQ employers naming no salary word", 8),
    ("batch AQ merchants by handle and name", 10),
    ("batch AQ UPI formats and self transfers", 6),
    ("batch AQ card rows", 5),
    ("batch AQ EMIs and insurers", 6),
    ("batch AQ refunds", 4),
    ("batch AQ taxes and investments", 5),
    ("batch AQ ordinary rows", 5),
];

#[test]
fn accuracy_on_batch_aq() {
    let (category, channel, counterparty) = score_batches(
        "labelled_narrations_heldout_aq.tsv",
        HELD_OUT_AQ,
        &HELD_OUT_AQ_BATCHES,
    );
    // Batch AQ (80 rows, lane G's once-after batch, same hand as batch AP and its fixes), measured once on the lane's
    // final rules, no rule changed for it: category 97.5 % (strict 97.5 %), channel 97.5 %, counterparty 100 %. Left:
    // a dealer's receipt from TVS Motor read as pay (a known employer, R133), Vi's recharge handle read as a transfer.
    assert!(category >= 95.0, "category accuracy {category:.1}%");
    assert!(channel >= 95.0, "channel accuracy {channel:.1}%");
    assert!(
        counterparty >= 95.0,
        "counterparty accuracy {counterparty:.1}%"
    );
}
