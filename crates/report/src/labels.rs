//! Human labels for the monthly-analysis keys (`amt_cash_deposit_credit` → "Cash deposit
//! credits: amount"). The key's words are spelled out by a small vocabulary, the common ones
//! have a written label, and the raw key stays on the keys sheet for anyone matching the API.

/// Labels written by hand for the keys an underwriter reads first.
const WRITTEN: &[(&str, &str)] = &[
    ("opening_balance", "Opening balance"),
    ("closing_balance", "Closing balance"),
    ("median_balance", "Median EOD balance"),
    ("mode_balance", "Most frequent EOD balance"),
    ("avg_bal", "Average EOD balance (ABB)"),
    ("cnt_transactions", "Transactions: count"),
    ("amt_debit", "Debits: amount"),
    ("cnt_debit", "Debits: count"),
    ("amt_credit", "Credits: amount"),
    ("cnt_credit", "Credits: count"),
    ("max_bal", "Highest balance after a transaction"),
    ("min_bal", "Lowest balance after a transaction"),
    ("max_eod_balance", "Highest EOD balance"),
    ("min_eod_balance", "Lowest EOD balance"),
    ("cnt_days_account_overdrawn", "Days overdrawn"),
    ("avg_bal_top_15_days", "Average EOD balance, days 1-15"),
];

/// How the words of a key read.
const WORDS: &[(&str, &str)] = &[
    ("amt", "amount"),
    ("cnt", "count"),
    ("no", "number"),
    ("perc", "%"),
    ("avg", "average"),
    ("bal", "balance"),
    ("eod", "EOD"),
    ("chq", "cheque"),
    ("emi", "EMI"),
    ("upi", "UPI"),
    ("ach", "ACH"),
    ("nach", "NACH"),
    ("neft", "NEFT"),
    ("imps", "IMPS"),
    ("rtgs", "RTGS"),
    ("atm", "ATM"),
    ("pos", "POS"),
    ("ccod", "CC/OD"),
    ("od", "OD"),
    ("insuff", "insufficient"),
    ("withdrawl", "withdrawal"),
    ("lt", "below"),
    ("gt", "above"),
    ("min", "minimum"),
    ("max", "maximum"),
    ("txn", "transaction"),
    ("txns", "transactions"),
    ("multipleof5", "(multiples of 5 days)"),
    ("int", "interest"),
];

/// Sort key of a metric on the labelled sheet: the written ones first, in their order.
pub fn rank(key: &str) -> usize {
    WRITTEN
        .iter()
        .position(|(k, _)| *k == key)
        .unwrap_or(WRITTEN.len())
}

/// A readable label for a monthly-analysis key.
pub fn metric_label(key: &str) -> String {
    if let Some((_, label)) = WRITTEN.iter().find(|(k, _)| *k == key) {
        return (*label).to_owned();
    }
    let mut words: Vec<&str> = key.split('_').filter(|w| !w.is_empty()).collect();
    // The measure word leads the key; it reads better after the subject ("Cash deposit: amount").
    let measure = match words.first() {
        Some(&"amt") => Some("amount"),
        Some(&"cnt") => Some("count"),
        Some(&"perc") => Some("%"),
        _ => None,
    };
    if measure.is_some() {
        words.remove(0);
    }
    let spelled: Vec<String> = words.iter().map(|w| spell(w)).collect();
    let mut label = capitalise(&spelled.join(" "));
    if let Some(measure) = measure {
        label = format!("{label}: {measure}");
    }
    if label.is_empty() {
        key.to_owned()
    } else {
        label
    }
}

fn spell(word: &str) -> String {
    WORDS
        .iter()
        .find(|(w, _)| *w == word)
        .map_or_else(|| word.to_owned(), |(_, s)| (*s).to_owned())
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_read_as_words() {
        assert_eq!(
            metric_label("amt_cash_deposit_credit"),
            "Cash deposit credit: amount"
        );
        assert_eq!(
            metric_label("cnt_outward_cheque_bounce_insuff_funds_debit"),
            "Outward cheque bounce insufficient funds debit: count"
        );
        assert_eq!(metric_label("avg_bal"), "Average EOD balance (ABB)");
        assert_eq!(
            metric_label("cnt_days_eod_bal_lt_25000"),
            "Days EOD balance below 25000: count"
        );
        assert_eq!(
            metric_label("perc_salary_spend_bill_payment"),
            "Salary spend bill payment: %"
        );
    }
}
