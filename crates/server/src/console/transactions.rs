//! The transaction table: filtered and sorted on the server (a GET form, so every view has its
//! own link and works without script), each row anchored by its hash so evidence can point at it.

use super::html::{decimal_of, esc, inr};
use rust_decimal::Decimal;
use serde_json::Value;
use std::collections::{BTreeSet, HashMap};

/// The table's filters; blank fields do not filter.
#[derive(Debug, Default, Clone)]
pub struct Filter {
    /// Words of the narration, any case.
    pub q: String,
    pub category: String,
    pub channel: String,
    /// "credit" or "debit".
    pub side: String,
    pub min: String,
    pub max: String,
    /// YYYY-MM-DD, inclusive.
    pub from: String,
    pub to: String,
    /// "date", "amount", "balance" or "category".
    pub sort: String,
    /// "asc" or "desc".
    pub dir: String,
    /// "all" lifts the page's row limit.
    pub rows: String,
}

/// Rows shown before "Show all": a year of a busy account is thousands of rows.
pub const ROW_LIMIT: usize = 500;

impl Filter {
    pub fn from_query(q: &HashMap<String, String>) -> Filter {
        let get = |key: &str| q.get(key).map(|v| v.trim().to_owned()).unwrap_or_default();
        Filter {
            q: get("q"),
            category: get("category"),
            channel: get("channel"),
            side: get("side"),
            min: get("min"),
            max: get("max"),
            from: get("from"),
            to: get("to"),
            sort: get("sort"),
            dir: get("dir"),
            rows: get("rows"),
        }
    }

    /// This view's query string with every row shown.
    fn show_all(&self, account: &str) -> String {
        let pairs = [
            ("account", account),
            ("q", &self.q),
            ("category", &self.category),
            ("channel", &self.channel),
            ("side", &self.side),
            ("min", &self.min),
            ("max", &self.max),
            ("from", &self.from),
            ("to", &self.to),
            ("sort", &self.sort),
            ("dir", &self.dir),
        ];
        let query: Vec<String> = pairs
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={}", super::html::url_value(v)))
            .collect();
        format!("?{}&rows=all#transactions", query.join("&"))
    }

    fn is_empty(&self) -> bool {
        [
            &self.q,
            &self.category,
            &self.channel,
            &self.side,
            &self.min,
            &self.max,
            &self.from,
            &self.to,
        ]
        .iter()
        .all(|v| v.is_empty())
    }
}

/// The fields of an Insights transaction the table shows.
pub struct Row<'a> {
    pub date: &'a str,
    pub note: &'a str,
    pub credit: bool,
    pub amount: Decimal,
    pub balance: Option<Decimal>,
    pub category: &'a str,
    pub channel: &'a str,
    pub hash: &'a str,
}

fn text(v: Option<&Value>) -> &str {
    v.and_then(Value::as_str).unwrap_or_default()
}

pub fn row(t: &Value) -> Row<'_> {
    Row {
        date: text(t.get("date")),
        note: text(t.get("transaction_note")),
        credit: t.get("transaction_type").and_then(Value::as_str) == Some("credit"),
        amount: t.get("amount").and_then(decimal_of).unwrap_or_default(),
        balance: t.get("balance").and_then(decimal_of),
        category: text(t.get("category")),
        channel: text(t.pointer("/metadata/transaction_channel")),
        hash: text(t.get("hash")),
    }
}

fn keeps(f: &Filter, r: &Row) -> bool {
    let day = r.date.get(0..10).unwrap_or(r.date);
    let min = f.min.parse::<Decimal>().ok();
    let max = f.max.parse::<Decimal>().ok();
    (f.q.is_empty() || r.note.to_lowercase().contains(&f.q.to_lowercase()))
        && (f.category.is_empty() || r.category == f.category)
        && (f.channel.is_empty() || r.channel == f.channel)
        && match f.side.as_str() {
            "credit" => r.credit,
            "debit" => !r.credit,
            _ => true,
        }
        && min.is_none_or(|m| r.amount >= m)
        && max.is_none_or(|m| r.amount <= m)
        && (f.from.is_empty() || day >= f.from.as_str())
        && (f.to.is_empty() || day <= f.to.as_str())
}

/// Indices of the rows the filter keeps, in the asked order (statement order by default).
pub fn select(rows: &[Row], f: &Filter) -> Vec<usize> {
    let mut kept: Vec<usize> = (0..rows.len()).filter(|&i| keeps(f, &rows[i])).collect();
    let key = |i: &usize| &rows[*i];
    match f.sort.as_str() {
        "amount" => kept.sort_by_key(|i| rows[*i].amount),
        "balance" => kept.sort_by_key(|i| rows[*i].balance),
        "category" => kept.sort_by(|a, b| key(a).category.cmp(key(b).category)),
        "date" => kept.sort_by(|a, b| key(a).date.cmp(key(b).date)),
        _ => {}
    }
    if f.dir == "desc" {
        kept.reverse();
    }
    kept
}

fn options(name: &str, label: &str, current: &str, values: &BTreeSet<&str>) -> String {
    let mut out = format!("<label for=\"f-{name}\">{label}</label><select id=\"f-{name}\" name=\"{name}\"><option value=\"\">Any</option>");
    for v in values {
        let selected = if *v == current { " selected" } else { "" };
        out.push_str(&format!(
            "<option value=\"{}\"{selected}>{}</option>",
            esc(v),
            esc(v)
        ));
    }
    out.push_str("</select>");
    out
}

fn field(name: &str, label: &str, kind: &str, value: &str, extra: &str) -> String {
    format!(
        "<label for=\"f-{name}\">{label}</label><input id=\"f-{name}\" name=\"{name}\" type=\"{kind}\" value=\"{}\"{extra}>",
        esc(value)
    )
}

fn filter_form(f: &Filter, account: &str, rows: &[Row]) -> String {
    let categories: BTreeSet<&str> = rows
        .iter()
        .map(|r| r.category)
        .filter(|c| !c.is_empty())
        .collect();
    let channels: BTreeSet<&str> = rows
        .iter()
        .map(|r| r.channel)
        .filter(|c| !c.is_empty())
        .collect();
    let sides: BTreeSet<&str> = ["credit", "debit"].into_iter().collect();
    let sorts = [
        ("", "Statement order"),
        ("date", "Date"),
        ("amount", "Amount"),
        ("balance", "Balance"),
        ("category", "Category"),
    ];
    let sort_options: String = sorts
        .iter()
        .map(|(v, t)| {
            let selected = if *v == f.sort { " selected" } else { "" };
            format!("<option value=\"{v}\"{selected}>{t}</option>")
        })
        .collect();
    let desc = if f.dir == "desc" { " selected" } else { "" };
    format!(
        "<form method=\"get\" class=\"filters\" id=\"txn-filters\" action=\"#transactions\">\
<input type=\"hidden\" name=\"account\" value=\"{}\">\
<div>{}</div><div>{}</div><div>{}</div><div>{}</div><div>{}</div><div>{}</div><div>{}</div><div>{}</div>\
<div><label for=\"f-sort\">Sort by</label><select id=\"f-sort\" name=\"sort\">{sort_options}</select></div>\
<div><label for=\"f-dir\">Order</label><select id=\"f-dir\" name=\"dir\"><option value=\"asc\">Ascending</option><option value=\"desc\"{desc}>Descending</option></select></div>\
<div class=\"actions\"><button type=\"submit\">Apply</button> <a href=\"?account={}#transactions\">Clear</a></div></form>",
        esc(account),
        field("q", "Narration contains", "search", &f.q, ""),
        options("category", "Category", &f.category, &categories),
        options("channel", "Channel", &f.channel, &channels),
        options("side", "Type", &f.side, &sides),
        field("min", "Amount from", "number", &f.min, " step=\"0.01\" inputmode=\"decimal\""),
        field("max", "Amount to", "number", &f.max, " step=\"0.01\" inputmode=\"decimal\""),
        field("from", "Date from", "date", &f.from, ""),
        field("to", "Date to", "date", &f.to, ""),
        esc(&super::html::url_value(account)),
    )
}

/// The filter form and the table; `decided_by` maps a row's hash to the rule that chose its
/// category; `flagged` holds hashes that fraud evidence points at.
pub fn table(
    transactions: &[Value],
    f: &Filter,
    account: &str,
    decided_by: &HashMap<String, String>,
    flagged: &BTreeSet<String>,
) -> String {
    let rows: Vec<Row> = transactions.iter().map(row).collect();
    let kept = select(&rows, f);
    let mut body = String::new();
    let limit = if f.rows == "all" {
        kept.len()
    } else {
        ROW_LIMIT
    };
    for &i in kept.iter().take(limit) {
        let r = &rows[i];
        let (credit, debit) = if r.credit {
            (inr(r.amount), String::new())
        } else {
            (String::new(), inr(r.amount))
        };
        let class = if flagged.contains(r.hash) {
            " class=\"flagged\""
        } else {
            ""
        };
        body.push_str(&format!(
            "<tr id=\"t-{}\"{class}><td data-label=\"Date\">{}</td><td data-label=\"Narration\" class=\"note\">{}</td><td data-label=\"Credit\" class=\"num credit-text\">{credit}</td><td data-label=\"Debit\" class=\"num debit-text\">{debit}</td><td data-label=\"Balance\" class=\"num\">{}</td><td data-label=\"Category\">{}</td><td data-label=\"Channel\">{}</td><td data-label=\"Rule\" class=\"rule\">{}</td></tr>",
            esc(r.hash),
            esc(r.date.get(0..10).unwrap_or(r.date)),
            esc(r.note),
            r.balance.map(inr).unwrap_or_default(),
            esc(r.category),
            esc(r.channel),
            esc(decided_by.get(r.hash).map(String::as_str).unwrap_or("")),
        ));
    }
    let summary = if f.is_empty() {
        format!("{} transactions", rows.len())
    } else {
        format!("{} of {} transactions match", kept.len(), rows.len())
    };
    let summary = if kept.len() > limit {
        format!(
            "{summary}; the first {limit} are shown. <a href=\"{}\" id=\"show-all\">Show all {}</a>",
            esc(&f.show_all(account)),
            kept.len()
        )
    } else {
        summary
    };
    format!(
        "{}<p class=\"muted\" id=\"txn-count\" role=\"status\">{summary}</p><div class=\"scroll\"><table class=\"list txns\" id=\"txn-table\"><thead><tr><th>Date</th><th>Narration</th><th class=\"num\">Credit</th><th class=\"num\">Debit</th><th class=\"num\">Balance</th><th>Category</th><th>Channel</th><th>Rule (decided by)</th></tr></thead><tbody>{body}</tbody></table></div>",
        filter_form(f, account, &rows)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn long_tables_stop_at_the_limit_and_link_to_all_rows() {
        let values: Vec<Value> = (0..ROW_LIMIT + 3)
            .map(|i| json!({"date": "2024-01-03 00:00:00", "transaction_note": "UPI", "transaction_type": "debit", "amount": 1.0, "hash": format!("h{i}")}))
            .collect();
        let none = HashMap::new();
        let flagged = BTreeSet::new();
        let html = table(
            &values,
            &filter(&[("side", "debit")]),
            "a b",
            &none,
            &flagged,
        );
        assert_eq!(html.matches("<tr id=\"t-").count(), ROW_LIMIT);
        assert!(
            html.contains("href=\"?account=a%20b&amp;side=debit&amp;rows=all#transactions\""),
            "{}",
            &html[..600]
        );
        let all = table(&values, &filter(&[("rows", "all")]), "a", &none, &flagged);
        assert_eq!(all.matches("<tr id=\"t-").count(), ROW_LIMIT + 3);
    }

    fn txns() -> Vec<Value> {
        vec![
            json!({"date": "2024-01-03 00:00:00", "transaction_note": "SALARY ACME", "transaction_type": "credit", "amount": 50000.0, "balance": 60000.0, "category": "Salary", "hash": "a", "metadata": {"transaction_channel": "salary"}}),
            json!({"date": "2024-01-05 00:00:00", "transaction_note": "UPI/SWIGGY", "transaction_type": "debit", "amount": 450.5, "balance": 59549.5, "category": "Food", "hash": "b", "metadata": {"transaction_channel": "upi"}}),
            json!({"date": "2024-02-01 00:00:00", "transaction_note": "ATM CASH", "transaction_type": "debit", "amount": 2000.0, "balance": 57549.5, "category": "Cash", "hash": "c", "metadata": {"transaction_channel": "cash_withdrawl"}}),
        ]
    }

    fn filter(pairs: &[(&str, &str)]) -> Filter {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Filter::from_query(&map)
    }

    #[test]
    fn filters_combine_and_sorting_orders() {
        let values = txns();
        let rows: Vec<Row> = values.iter().map(row).collect();
        assert_eq!(select(&rows, &filter(&[])), vec![0, 1, 2]);
        assert_eq!(select(&rows, &filter(&[("side", "debit")])), vec![1, 2]);
        assert_eq!(select(&rows, &filter(&[("q", "swig")])), vec![1]);
        assert_eq!(select(&rows, &filter(&[("channel", "upi")])), vec![1]);
        assert_eq!(
            select(&rows, &filter(&[("min", "500"), ("max", "2000")])),
            vec![2]
        );
        assert_eq!(
            select(
                &rows,
                &filter(&[("from", "2024-01-04"), ("to", "2024-01-31")])
            ),
            vec![1]
        );
        assert_eq!(
            select(&rows, &filter(&[("sort", "amount"), ("dir", "desc")])),
            vec![0, 2, 1]
        );
        assert_eq!(
            select(&rows, &filter(&[("min", "not a number")])),
            vec![0, 1, 2]
        );
    }

    #[test]
    fn the_table_names_each_rule_and_marks_flagged_rows() {
        let values = txns();
        let rules: HashMap<String, String> =
            [("b".to_owned(), "R290 merchants.tsv:57".to_owned())].into();
        let flagged: BTreeSet<String> = ["c".to_owned()].into();
        let html = table(
            &values,
            &filter(&[("category", "Food")]),
            "acc",
            &rules,
            &flagged,
        );
        assert!(html.contains("R290 merchants.tsv:57"));
        assert!(html.contains("1 of 3 transactions match"));
        assert!(!html.contains("id=\"t-a\""));
        let all = table(&values, &filter(&[]), "acc", &rules, &flagged);
        assert!(!all.contains("show-all"), "few rows: no limit");
        assert!(all.contains("<tr id=\"t-c\" class=\"flagged\">"));
        assert!(all.contains("59,549.50"));
    }
}
