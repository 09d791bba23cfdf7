//! Four-layer categorisation (transaction_channel, description, merchant_category,
//! human category) driven by the rule table and the merchant and lender dictionaries.
//! Every result names the rule that produced it.

use crate::error::AnalysisError;
use crate::narration::{self, Mode, Narration};
use crate::tables::{self, any_alternative_matches, phrase_alternatives, Needle};
use crate::EnrichmentContext;
use ledgerlens_statement::model::{Transaction, TransactionType};
use serde::Serialize;

/// Facts about a transaction that rules can require.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flag {
    Lender,
    Merchant,
    SelfTransfer,
    Sister,
    Employer,
    Insufficient,
    Upi,
}

#[derive(Debug, Clone)]
struct Rule {
    id: &'static str,
    side: Option<TransactionType>,
    modes: Vec<Mode>,
    requires: Vec<(Flag, bool)>,
    phrases: Vec<Vec<Needle>>,
    channel: &'static str,
    description: &'static str,
    category: &'static str,
}

#[derive(Debug, Clone)]
struct MerchantEntry {
    needle: Needle,
    name: &'static str,
    merchant_category: &'static str,
    category: &'static str,
}

#[derive(Debug, Clone)]
struct LenderEntry {
    needle: Needle,
    name: &'static str,
}

/// The outcome for one transaction.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Categorized {
    pub transaction_channel: &'static str,
    pub description: String,
    pub merchant_category: &'static str,
    pub category: String,
    pub unclean_merchant: String,
    pub rule_id: &'static str,
    pub merchant: Option<&'static str>,
    pub lender: Option<&'static str>,
    pub narration: Narration,
}

/// Loaded rule and dictionary tables; build once, reuse for every account.
#[derive(Debug, Clone)]
pub struct Categorizer {
    rules: Vec<Rule>,
    merchants: Vec<MerchantEntry>,
    lenders: Vec<LenderEntry>,
    insufficient: Vec<Vec<Needle>>,
}

const INSUFFICIENT_PHRASES: &str = "INSUFF|INSUFFICIENT|FUNDS+INSUFFICIENT|INSUFFICIENT+FUNDS|EXCEEDS+ARRANGEMENT|INSUF|FUND+INSUFF|NO+FUNDS";

impl Categorizer {
    pub fn from_embedded_tables() -> Result<Categorizer, AnalysisError> {
        Ok(Categorizer {
            rules: load_rules()?,
            merchants: load_merchants()?,
            lenders: load_lenders()?,
            insufficient: phrase_alternatives(INSUFFICIENT_PHRASES),
        })
    }

    /// No rules at all: every transaction falls back to "Others".
    pub fn empty() -> Categorizer {
        Categorizer {
            rules: Vec::new(),
            merchants: Vec::new(),
            lenders: Vec::new(),
            insufficient: Vec::new(),
        }
    }

    pub fn categorize(
        &self,
        transaction: &Transaction,
        context: &EnrichmentContext,
    ) -> Categorized {
        let parsed = narration::parse(&transaction.transaction_note);
        let match_text = match_text(&transaction.transaction_note, &parsed);
        let merchant = self
            .merchants
            .iter()
            .find(|entry| entry.needle.found_in(&match_text));
        let lender = self
            .lenders
            .iter()
            .find(|entry| entry.needle.found_in(&match_text));
        let flags = FlagSet {
            lender: lender.is_some(),
            merchant: merchant.is_some(),
            self_transfer: counterparty_is_holder(&parsed, context),
            sister: names_any(&match_text, &context.companies_for_self_transfer),
            employer: names_any(&match_text, &context.employer_names),
            insufficient: any_alternative_matches(&self.insufficient, &match_text)
                && !self.insufficient.is_empty(),
            upi: parsed.mode == Mode::Upi,
        };
        let rule = self.rules.iter().find(|rule| {
            rule.applies(
                transaction.transaction_type,
                parsed.mode,
                &flags,
                &match_text,
            )
        });
        let Some(rule) = rule else {
            return fallback(parsed);
        };
        let transfer = transfer_label(transaction.transaction_type, &parsed);
        let merchant_category_label = merchant.map(|entry| entry.category).unwrap_or("Others");
        let merchant_category = if lender.is_some() && rule.description == "lender_transaction" {
            "loans"
        } else {
            merchant.map(|entry| entry.merchant_category).unwrap_or("")
        };
        let unclean_merchant = lender
            .filter(|_| rule.description == "lender_transaction")
            .map(|entry| lender_display(entry, &parsed))
            .or_else(|| merchant.map(|entry| entry.name.to_string()))
            .or_else(|| parsed.counterparty.clone())
            .unwrap_or_default();
        Categorized {
            transaction_channel: rule.channel,
            description: expand(rule.description, &transfer, merchant_category_label),
            merchant_category,
            category: expand(rule.category, &transfer, merchant_category_label),
            unclean_merchant,
            rule_id: rule.id,
            merchant: merchant.map(|entry| entry.name),
            lender: lender.map(|entry| entry.name),
            narration: parsed,
        }
    }
}

struct FlagSet {
    lender: bool,
    merchant: bool,
    self_transfer: bool,
    sister: bool,
    employer: bool,
    insufficient: bool,
    upi: bool,
}

impl FlagSet {
    fn get(&self, flag: Flag) -> bool {
        match flag {
            Flag::Lender => self.lender,
            Flag::Merchant => self.merchant,
            Flag::SelfTransfer => self.self_transfer,
            Flag::Sister => self.sister,
            Flag::Employer => self.employer,
            Flag::Insufficient => self.insufficient,
            Flag::Upi => self.upi,
        }
    }
}

impl Rule {
    fn applies(&self, side: TransactionType, mode: Mode, flags: &FlagSet, text: &str) -> bool {
        self.side.is_none_or(|wanted| wanted == side)
            && (self.modes.is_empty() || self.modes.contains(&mode))
            && self
                .requires
                .iter()
                .all(|(flag, wanted)| flags.get(*flag) == *wanted)
            && any_alternative_matches(&self.phrases, text)
    }
}

/// The lender's name as the narration spells it when the dictionary entry is generic.
fn lender_display(entry: &LenderEntry, parsed: &Narration) -> String {
    if entry.name == "Loan" || entry.name.ends_with("company") {
        parsed
            .counterparty
            .clone()
            .unwrap_or_else(|| entry.name.to_string())
    } else {
        entry.name.to_string()
    }
}

fn fallback(parsed: Narration) -> Categorized {
    Categorized {
        transaction_channel: "Others",
        description: String::new(),
        merchant_category: "",
        category: "Others".to_string(),
        unclean_merchant: parsed.counterparty.clone().unwrap_or_default(),
        rule_id: "none",
        merchant: None,
        lender: None,
        narration: parsed,
    }
}

/// The normalised narration without the UPI handle, whose domain ("@jio", "@airtel")
/// would otherwise look like a merchant or biller.
fn match_text(note: &str, parsed: &Narration) -> String {
    match &parsed.upi_handle {
        Some(handle) => {
            let lowered = note.to_ascii_lowercase();
            let without = lowered.replacen(handle.as_str(), " ", 1);
            narration::normalize(&without)
        }
        None => parsed.normalized.clone(),
    }
}

fn transfer_label(side: TransactionType, parsed: &Narration) -> String {
    match (&parsed.counterparty, side) {
        (Some(name), TransactionType::Debit) => format!("Transfer to {name}"),
        (Some(name), TransactionType::Credit) => format!("Transfer from {name}"),
        (None, _) => "Others".to_string(),
    }
}

fn expand(template: &str, transfer: &str, merchant_category: &str) -> String {
    match template {
        "-" => String::new(),
        "{transfer}" => transfer.to_string(),
        "{merchant}" => merchant_category.to_string(),
        literal => literal.to_string(),
    }
}

/// True when a session name (employer, sister company) appears as whole words.
fn names_any(match_text: &str, names: &[String]) -> bool {
    names.iter().any(|name| {
        let needle = narration::normalize(name);
        needle.trim().len() >= 3 && match_text.contains(&needle)
    })
}

/// The counterparty is the holder when its words are the holder's words (initials allowed).
fn counterparty_is_holder(parsed: &Narration, context: &EnrichmentContext) -> bool {
    let Some(counterparty) = &parsed.counterparty else {
        return false;
    };
    let counterparty_words: Vec<String> = narration::normalize(counterparty)
        .split_whitespace()
        .map(str::to_string)
        .collect();
    context.names.iter().any(|holder| {
        let holder_words: Vec<String> = narration::normalize(holder)
            .split_whitespace()
            .map(str::to_string)
            .collect();
        words_are_holder(&counterparty_words, &holder_words)
    })
}

fn words_are_holder(counterparty: &[String], holder: &[String]) -> bool {
    if counterparty.is_empty() || holder.is_empty() {
        return false;
    }
    let word_matches = |word: &String| {
        holder
            .iter()
            .any(|own| own == word || (word.len() == 1 && own.starts_with(word.as_str())))
    };
    let all_match = counterparty.iter().all(word_matches);
    let strong = counterparty
        .iter()
        .filter(|word| word.len() >= 3 && holder.contains(word))
        .count();
    all_match && strong >= 1 && (counterparty.len() >= 2 || holder.len() == 1)
}

fn load_rules() -> Result<Vec<Rule>, AnalysisError> {
    tables::rows("rules", tables::RULES_TSV, 8)?
        .into_iter()
        .map(|(line, fields)| parse_rule(line, &fields))
        .collect()
}

fn parse_rule(line: usize, fields: &[&'static str]) -> Result<Rule, AnalysisError> {
    let problem = |problem: String| AnalysisError::Table {
        table: "rules",
        line,
        problem,
    };
    let side = match fields[1] {
        "credit" => Some(TransactionType::Credit),
        "debit" => Some(TransactionType::Debit),
        "*" => None,
        other => return Err(problem(format!("bad side {other:?}"))),
    };
    let modes = if fields[2] == "*" {
        Vec::new()
    } else {
        fields[2]
            .split(',')
            .map(|name| parse_mode(name).ok_or_else(|| problem(format!("bad mode {name:?}"))))
            .collect::<Result<_, _>>()?
    };
    let requires = if fields[3] == "*" {
        Vec::new()
    } else {
        fields[3]
            .split(',')
            .map(|name| {
                let (wanted, bare) = match name.strip_prefix('!') {
                    Some(bare) => (false, bare),
                    None => (true, name),
                };
                parse_flag(bare)
                    .map(|flag| (flag, wanted))
                    .ok_or_else(|| problem(format!("bad flag {name:?}")))
            })
            .collect::<Result<_, _>>()?
    };
    if !crate::vocabulary::TRANSACTION_CHANNELS.contains(&fields[5]) {
        return Err(problem(format!("unknown channel {:?}", fields[5])));
    }
    Ok(Rule {
        id: fields[0],
        side,
        modes,
        requires,
        phrases: phrase_alternatives(fields[4]),
        channel: fields[5],
        description: fields[6],
        category: fields[7],
    })
}

fn parse_mode(name: &str) -> Option<Mode> {
    Some(match name {
        "UPI" => Mode::Upi,
        "NEFT" => Mode::Neft,
        "IMPS" => Mode::Imps,
        "RTGS" => Mode::Rtgs,
        "ACH" => Mode::Ach,
        "ATM" => Mode::Atm,
        "CARD" => Mode::Card,
        "CHEQUE" => Mode::Cheque,
        "CASH" => Mode::Cash,
        "INTEREST" => Mode::Interest,
        "CHARGE" => Mode::Charge,
        "BBPS" => Mode::Bbps,
        "TRANSFER" => Mode::Transfer,
        "OTHER" => Mode::Other,
        _ => return None,
    })
}

fn parse_flag(name: &str) -> Option<Flag> {
    Some(match name {
        "lender" => Flag::Lender,
        "merchant" => Flag::Merchant,
        "self" => Flag::SelfTransfer,
        "sister" => Flag::Sister,
        "employer" => Flag::Employer,
        "insufficient" => Flag::Insufficient,
        "upi" => Flag::Upi,
        _ => return None,
    })
}

fn load_merchants() -> Result<Vec<MerchantEntry>, AnalysisError> {
    let mut entries: Vec<MerchantEntry> = tables::rows("merchants", tables::MERCHANTS_TSV, 4)?
        .into_iter()
        .map(|(_, fields)| MerchantEntry {
            needle: Needle {
                text: format!(" {} ", fields[0]),
                anchored: false,
            },
            name: fields[1],
            merchant_category: fields[2],
            category: fields[3],
        })
        .collect();
    // Longer phrases first so "AMAZON PAY LATER" wins over "AMAZON".
    entries.sort_by_key(|entry| std::cmp::Reverse(entry.needle.text.len()));
    Ok(entries)
}

fn load_lenders() -> Result<Vec<LenderEntry>, AnalysisError> {
    let mut entries: Vec<LenderEntry> = tables::rows("lenders", tables::LENDERS_TSV, 2)?
        .into_iter()
        .map(|(_, fields)| LenderEntry {
            needle: Needle {
                text: format!(" {} ", fields[0]),
                anchored: false,
            },
            name: fields[1],
        })
        .collect();
    entries.sort_by_key(|entry| std::cmp::Reverse(entry.needle.text.len()));
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use rust_decimal::Decimal;

    fn transaction(side: TransactionType, note: &str) -> Transaction {
        Transaction {
            transaction_type: side,
            transaction_note: note.to_string(),
            chq_num: String::new(),
            amount: Decimal::new(100, 0),
            balance: Decimal::new(1000, 0),
            date: NaiveDate::from_ymd_opt(2025, 8, 11)
                .and_then(|day| day.and_hms_opt(0, 0, 0))
                .unwrap_or_default(),
            value_date: None,
            hash: "h".into(),
            page: 1,
            balance_derived: false,
        }
    }

    fn categorize(side: TransactionType, note: &str) -> Categorized {
        let categorizer = Categorizer::from_embedded_tables().expect("tables load");
        let context = EnrichmentContext {
            names: vec!["ANANDA P".into()],
            ..EnrichmentContext::default()
        };
        categorizer.categorize(&transaction(side, note), &context)
    }

    #[test]
    fn self_transfer_from_holder_name() {
        let result = categorize(
            TransactionType::Debit,
            "UPI/P2A/268652272235/ANANDA P /UPI/INDIAN OVERSEAS BANK",
        );
        assert_eq!(result.transaction_channel, "self_transfer");
        assert_eq!(result.category, "Self Transfer");
        assert_eq!(result.rule_id, "R175");
    }

    #[test]
    fn p2p_upi_is_transfer_to_counterparty() {
        let result = categorize(
            TransactionType::Debit,
            "UPI/P2A/686081232265/DHARANI SIVAKUMAR /UPI/State Bank Of India",
        );
        assert_eq!(result.transaction_channel, "upi");
        assert_eq!(result.category, "Transfer to DHARANI SIVAKUMAR");
        assert_eq!(result.description, "Transfer to DHARANI SIVAKUMAR");
    }

    #[test]
    fn lender_credit_is_loan_disbursed() {
        let result = categorize(
            TransactionType::Credit,
            "MUTHOOT FINANCE/GOLDEN GROWTH MAY 2025",
        );
        assert_eq!(result.description, "lender_transaction");
        assert_eq!(result.category, "Loan Disbursed");
        assert_eq!(result.merchant_category, "loans");
    }

    #[test]
    fn emi_by_nach_and_bounce_charge() {
        let emi = categorize(
            TransactionType::Debit,
            "ACH D- BAJAJ FINANCE LTD-ABCD12345678",
        );
        assert_eq!(emi.transaction_channel, "auto_debit_payment");
        assert_eq!(emi.category, "EMI Payment");
        let charge = categorize(TransactionType::Debit, "ACH RETURN CHARGES BAJAJ FINANCE");
        assert_eq!(charge.description, "ach_bounce_charge");
    }

    #[test]
    fn merchants_bills_cash_and_interest() {
        let food = categorize(
            TransactionType::Debit,
            "UPI/DR/412345678901/SWIGGY/YESB/swiggy@ybl/Order",
        );
        assert_eq!(food.merchant_category, "food");
        assert_eq!(food.category, "Food");
        let power = categorize(
            TransactionType::Debit,
            "BBPS/BESCOM/ELECTRICITY BILL/123456",
        );
        assert_eq!(power.description, "electric_bill");
        let atm = categorize(
            TransactionType::Debit,
            "ATW-416021XXXXXX1234-S1ANBG12-BANGALORE",
        );
        assert_eq!(atm.transaction_channel, "cash_withdrawl");
        let interest = categorize(TransactionType::Credit, "INT.PD:01-04-2024 TO 30-06-2024");
        assert_eq!(interest.transaction_channel, "bank_interest");
    }
}
