//! Closed vocabularies of the Insights contract (appendix.md).

/// Every `transaction_channel` value the contract allows.
pub const TRANSACTION_CHANNELS: &[&str] = &[
    "upi",
    "salary",
    "refund",
    "payment_gateway_purchase",
    "outward_cheque_bounce",
    "net_banking_transfer",
    "investment",
    "inward_cheque_bounce",
    "investment_cashin",
    "international_transaction_arbitrage",
    "debit_card",
    "chq",
    "cash_withdrawl",
    "cash_deposit",
    "bill_payment",
    "bank_interest",
    "bank_charge",
    "auto_debit_payment_bounce",
    "auto_debit_payment",
    "self_transfer",
    "demand_draft",
    "auto_credit",
    "Others",
];

/// Every `merchant_category` value the contract allows ("" when none applies).
pub const MERCHANT_CATEGORIES: &[&str] = &[
    "alcohol",
    "gambling",
    "shopping",
    "groceries",
    "entertainment",
    "medical",
    "travel",
    "food",
    "fuel",
    "investments",
    "trading",
    "bills",
    "ewallet",
    "loans",
    "insurance",
    "tax",
    "bnpl",
];

/// Every `expense_categories[].category` value: "a mix of merchant category and transaction
/// channel" (rest-api.md, Expense Categories), spelled as the samples spell them
/// ("Transfers", "Cash", "Groceries", "Bills", "Loans", "Ewallet", "Others").
pub const EXPENSE_CATEGORIES: &[&str] = &[
    "Transfers",
    "Cash",
    "Bills",
    "Loans",
    "Others",
    "Alcohol",
    "Gambling",
    "Shopping",
    "Groceries",
    "Entertainment",
    "Medical",
    "Travel",
    "Food",
    "Fuel",
    "Investments",
    "Trading",
    "Ewallet",
    "Insurance",
    "Tax",
    "Bnpl",
];

/// The expense bucket of a merchant category: the category capitalised as the samples do
/// ("ewallet" -> "Ewallet"); None when there is no merchant category.
pub fn merchant_expense_category(merchant_category: &str) -> Option<&'static str> {
    if merchant_category.is_empty() {
        return None;
    }
    EXPENSE_CATEGORIES
        .iter()
        .find(|bucket| bucket.eq_ignore_ascii_case(merchant_category))
        .copied()
}
