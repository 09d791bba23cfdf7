//! One session as an analyst reads it: identity, the reconciliation proof, key figures, charts,
//! evidence, and the transaction table. Everything comes from the stored results the API
//! serves ([`insights_data`]), so the console never disagrees with the JSON.

use super::charts::{self, Reference, Series};
use super::html::{decimal_of, esc, inr, inr_value, url_value};
use super::pages::{iso_day, Loaded, SessionQuery};
use super::transactions;
use crate::state::AppState;
use axum::http::HeaderMap;
use ledgerlens_analysis::AccountInput;
use ledgerlens_processing::accounts::{insights_data, AccountView};
use ledgerlens_store::console::SessionState;
use ledgerlens_store::now_ms;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use std::collections::{BTreeSet, HashMap};

fn text<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_default()
}

fn array<'a>(v: &'a Value, pointer: &str) -> &'a [Value] {
    v.pointer(pointer)
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice)
}

fn bank_label(id: &str) -> String {
    ledgerlens_statement::banks::bank_by_id(id)
        .map(|b| format!("{} ({id})", b.name))
        .unwrap_or_else(|| id.to_owned())
}

fn row_link(account: &str, hash: &str) -> String {
    if hash.is_empty() {
        return String::new();
    }
    format!(
        "<a class=\"row-link\" href=\"?account={}&amp;rows=all#t-{}\">row</a>",
        url_value(account),
        esc(hash)
    )
}

/// The page: header, statements, then the selected account (the first by default).
pub async fn render(
    state: &AppState,
    headers: &HeaderMap,
    loaded: &Loaded,
    q: &SessionQuery,
) -> String {
    let s = &loaded.session;
    let status = SessionState::of(s, now_ms());
    let mut out = format!(
        "<p class=\"crumbs\"><a href=\"/console/\">Sessions</a> ›</p><h1>{}</h1><dl class=\"facts\"><dt>Session</dt><dd><code>{}</code></dd><dt>Status</dt><dd><span class=\"badge {}\">{}</span></dd><dt>Period asked</dt><dd>{} – {}</dd><dt>Created</dt><dd>{}</dd></dl>",
        esc(s.link_id.as_deref().unwrap_or(&s.id)),
        esc(&s.id),
        status.as_str(),
        status.as_str(),
        esc(s.from_date.as_deref().unwrap_or("?")),
        esc(s.to_date.as_deref().unwrap_or("?")),
        esc(&iso_day(s.created_at)),
    );
    let base = crate::http_contract::public_base(&state.config, headers);
    out.push_str(&statements_section(state, &base, loaded));
    if status != SessionState::Completed {
        out.push_str("<p class=\"alert\">This session has not finished processing: its analysis appears here once it has.</p>");
        return out;
    }
    let Some(account) = loaded
        .accounts
        .iter()
        .find(|a| a.account_id == q.account)
        .or_else(|| loaded.accounts.first())
    else {
        out.push_str("<p class=\"alert\">No statement of this session could be read, so there is no account to show.</p>");
        return out;
    };
    out.push_str(&account_tabs(loaded, account));
    out.push_str(&downloads(state, headers, loaded, account));
    let data = insights_data(account, &s.id);
    let decided_by = decisions(loaded, account).await;
    out.push_str(&account_body(loaded, account, &data, q, &decided_by));
    out
}

fn statements_section(state: &AppState, base: &str, loaded: &Loaded) -> String {
    let rows: String = loaded
        .statements
        .iter()
        .map(|st| {
            let entry = crate::reports::pdf_entry(state, base, st);
            let pdf = Some(entry.pdf_url.as_str())
                .filter(|u| !u.is_empty())
                .map(|u| format!("<a href=\"{}\" download>PDF</a>", esc(u)))
                .unwrap_or_default();
            let outcome = match &st.error_code {
                Some(code) => format!("<span class=\"badge expired\">{}</span>", esc(code)),
                None => format!("<span class=\"badge\">{}</span>", esc(&st.status)),
            };
            format!(
                "<tr><td data-label=\"File\">{}</td><td data-label=\"Bank\">{}</td><td data-label=\"Period\">{} – {}</td><td data-label=\"Pages\" class=\"num\">{}</td><td data-label=\"Outcome\">{outcome}</td><td data-label=\"Original\">{pdf}</td></tr>",
                esc(st.file_name.as_deref().unwrap_or("statement.pdf")),
                esc(st.bank_name.as_deref().unwrap_or("")),
                esc(st.from_date.as_deref().unwrap_or("?")),
                esc(st.to_date.as_deref().unwrap_or("?")),
                st.page_count.map(|n| n.to_string()).unwrap_or_default(),
            )
        })
        .collect();
    format!("<section class=\"card\"><h2>Statements</h2><div class=\"scroll\"><table class=\"list\" id=\"statements\"><thead><tr><th>File</th><th>Bank</th><th>Period</th><th class=\"num\">Pages</th><th>Outcome</th><th>Original</th></tr></thead><tbody>{rows}</tbody></table></div></section>")
}

fn account_tabs(loaded: &Loaded, current: &AccountView) -> String {
    if loaded.accounts.len() < 2 {
        return String::new();
    }
    let tabs: String = loaded
        .accounts
        .iter()
        .map(|a| {
            let label = format!(
                "{} {}",
                a.bank_name.as_deref().unwrap_or(""),
                a.account_number
                    .as_deref()
                    .map(crate::upload::mask)
                    .unwrap_or_default()
            );
            let current_attr = if a.account_id == current.account_id {
                " aria-current=\"page\""
            } else {
                ""
            };
            format!(
                "<a href=\"?account={}\"{current_attr}>{}</a>",
                url_value(&a.account_id),
                esc(label.trim())
            )
        })
        .collect();
    format!("<nav class=\"tabs\" aria-label=\"Accounts\">{tabs}</nav>")
}

/// Report links signed exactly as the API hands them out (crate::reports).
fn downloads(state: &AppState, headers: &HeaderMap, loaded: &Loaded, a: &AccountView) -> String {
    let mut links = json!({"accounts": [{"account_id": a.account_id, "data": {}}]});
    crate::reports::add_report_urls(state, headers, &loaded.session, &mut links);
    let link = |pointer: &str, label: &str, id: &str| {
        links
            .pointer(pointer)
            .and_then(Value::as_str)
            .map(|u| {
                format!(
                    "<a class=\"button\" id=\"{id}\" href=\"{}\">{label}</a>",
                    esc(u)
                )
            })
            .unwrap_or_default()
    };
    format!(
        "<div class=\"downloads\">{}{}{}{}</div>",
        link(
            "/accounts/0/data/xlsx_report_url",
            "Account XLSX",
            "dl-xlsx"
        ),
        link("/accounts/0/data/xml_report_url", "Account XML", "dl-xml"),
        link(
            "/aggregate_xlsx_report_url",
            "Session XLSX",
            "dl-aggregate-xlsx"
        ),
        link(
            "/aggregate_xml_report_url",
            "Session XML",
            "dl-aggregate-xml"
        ),
    )
}

/// The rule that chose each row's category (`decided_by`), keyed by row hash. The stored
/// Insights rows do not carry it, so the account's stored inputs are categorised again.
async fn decisions(loaded: &Loaded, a: &AccountView) -> HashMap<String, String> {
    let inputs: Vec<_> = a
        .processed_ids()
        .iter()
        .filter_map(|id| {
            let result = loaded.results.iter().find(|r| &r.statement_id == id)?;
            ledgerlens_processing::enrichment::decode_input(id, result.enrichment.as_deref()?)
        })
        .collect();
    if inputs.is_empty() {
        return HashMap::new();
    }
    let holder = a
        .details
        .get("name")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let context =
        ledgerlens_processing::enrichment::context(&loaded.session.params, holder.as_deref());
    let account = AccountInput {
        account_id: a.account_id.clone(),
        account_number: a.account_number.clone(),
        bank: a.bank_name.clone(),
        holder_name: holder,
        statements: inputs,
        ..AccountInput::default()
    };
    tokio::task::spawn_blocking(move || {
        ledgerlens_analysis::enrich(&account, &context)
            .transactions
            .into_iter()
            .map(|t| (t.transaction.hash, t.decided_by))
            .collect()
    })
    .await
    .unwrap_or_default()
}

fn account_body(
    loaded: &Loaded,
    a: &AccountView,
    data: &Value,
    q: &SessionQuery,
    decided_by: &HashMap<String, String>,
) -> String {
    let transactions = array(data, "/transactions");
    let flagged: BTreeSet<String> = array(data, "/fraud")
        .iter()
        .chain(array(data, "/fraud_details/statement"))
        .map(|f| text(f, "/transaction_hash").to_owned())
        .filter(|h| !h.is_empty())
        .collect();
    let mut out = String::new();
    out.push_str(&identity(a, data));
    out.push_str(&key_figures(data));
    out.push_str(&reconciliation(loaded, a));
    out.push_str(&charts_section(data));
    out.push_str(&fraud_section(data, &a.account_id));
    out.push_str(&salary_section(data, &a.account_id));
    out.push_str(&flat_rows_section(
        "EMIs and lenders",
        "lenders",
        array(data, "/lender_transactions"),
        &a.account_id,
        "No payments to or from lenders were found.",
    ));
    out.push_str(&flat_rows_section(
        "Bounces and penal charges",
        "bounces",
        array(data, "/bounced_or_penal_transactions"),
        &a.account_id,
        "No bounced payments or penal charges were found.",
    ));
    out.push_str(&counterparties(transactions));
    out.push_str(&format!(
        "<section class=\"card\" id=\"transactions\"><h2>Transactions</h2>{}</section>",
        transactions::table(transactions, &q.filter, &a.account_id, decided_by, &flagged)
    ));
    out
}

fn identity(a: &AccountView, data: &Value) -> String {
    let d = &data["account_details"];
    let field = |label: &str, value: String| {
        if value.is_empty() {
            String::new()
        } else {
            format!("<dt>{label}</dt><dd>{}</dd>", esc(&value))
        }
    };
    let months: Vec<&str> = array(d, "/months")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let missing: Vec<String> = array(d, "/missing_data")
        .iter()
        .map(|m| format!("{} – {}", text(m, "/from_date"), text(m, "/to_date")))
        .collect();
    let validation = match &a.error {
        Some((code, message)) => format!("<p class=\"alert\">{}: {}</p>", esc(code), esc(message)),
        None => String::new(),
    };
    format!(
        "<section class=\"card\" id=\"identity\"><h2>Account</h2>{validation}<dl class=\"facts\">{}{}{}{}{}{}{}{}</dl></section>",
        field("Holder", text(d, "/name").to_owned()),
        field("Bank", bank_label(text(d, "/bank"))),
        field("Account number", text(d, "/account_number").to_owned()),
        field("IFSC", text(d, "/ifsc").to_owned()),
        field("Category", text(d, "/account_category").to_owned()),
        field("Address", text(d, "/address").to_owned()),
        field("Months", months.join(", ")),
        field("Missing", missing.join("; ")),
    )
}

/// Daily balances of the EOD section, labelled "DD-Mon-YY"; days before the first row are None.
fn eod_points(data: &Value) -> Vec<(String, Option<f64>)> {
    let eod = &data["eod_balances"];
    let mut points = Vec::new();
    for month in array(eod, "/Months_order").iter().filter_map(Value::as_str) {
        for (day, value) in eod
            .get(month)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            points.push((format!("{:02}-{month}", day + 1), value.as_f64()));
        }
    }
    // Days before the first known balance are not part of the account's period.
    let first = points.iter().position(|(_, v)| v.is_some()).unwrap_or(0);
    let last = points
        .iter()
        .rposition(|(_, v)| v.is_some())
        .map_or(0, |i| i + 1);
    points
        .get(first..last)
        .map(<[_]>::to_vec)
        .unwrap_or_default()
}

/// Average daily balance and the lowest day, over the days with a balance.
fn abb_and_minimum(points: &[(String, Option<f64>)]) -> Option<(f64, (String, f64))> {
    let known: Vec<(&String, f64)> = points
        .iter()
        .filter_map(|(d, v)| v.map(|v| (d, v)))
        .collect();
    let count = known.len();
    if count == 0 {
        return None;
    }
    let average = known.iter().map(|(_, v)| v).sum::<f64>() / count as f64;
    let (day, low) = known
        .iter()
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(d, v)| ((*d).clone(), *v))?;
    Some((average, (day, low)))
}

/// (month, value) of a monthly-analysis metric, in its (chronological) order.
fn monthly(data: &Value, metric: &str) -> Vec<(String, f64)> {
    data.pointer(&format!("/monthly_analysis/{metric}"))
        .and_then(Value::as_object)
        .map(|months| {
            months
                .iter()
                .map(|(m, v)| (m.clone(), v.as_f64().unwrap_or(0.0)))
                .collect()
        })
        .unwrap_or_default()
}

fn total(series: &[(String, f64)]) -> f64 {
    series.iter().map(|(_, v)| v).sum()
}

fn average(series: &[(String, f64)]) -> f64 {
    if series.is_empty() {
        0.0
    } else {
        total(series) / series.len() as f64
    }
}

fn money_f64(value: f64) -> String {
    Decimal::from_f64_retain(value).map(inr).unwrap_or_default()
}

fn percent(part: f64, whole: f64) -> String {
    if whole <= 0.0 {
        "–".into()
    } else {
        format!("{:.1}%", part / whole * 100.0)
    }
}

fn key_figures(data: &Value) -> String {
    let points = eod_points(data);
    let (abb, minimum) = match abb_and_minimum(&points) {
        Some((abb, (day, low))) => (money_f64(abb), format!("{} on {day}", money_f64(low))),
        None => ("–".into(), "–".into()),
    };
    let credits = monthly(data, "amt_credit");
    let debits = monthly(data, "amt_debit");
    let cash_in = total(&monthly(data, "amt_cash_deposit_credit"));
    let emi = total(&monthly(data, "amt_emi_debit"));
    let salaries = array(data, "/salary_transactions");
    let employer = salaries
        .iter()
        .map(|s| text(s, "/employer_name"))
        .find(|e| !e.is_empty())
        .unwrap_or("");
    let salary_avg = if salaries.is_empty() {
        "none found".to_owned()
    } else {
        let sum: f64 = salaries.iter().filter_map(|s| s["amount"].as_f64()).sum();
        money_f64(sum / salaries.len() as f64)
    };
    let frauds = array(data, "/fraud").len();
    let verdict = if frauds == 0 {
        "No fraud found".to_owned()
    } else {
        format!("{frauds} fraud flag(s)")
    };
    let score = data["score"]
        .as_f64()
        .map(|s| format!("{s:.0}"))
        .unwrap_or_else(|| "–".into());
    let card = |label: &str, value: &str, id: &str| {
        format!(
            "<div class=\"figure\" id=\"kf-{id}\"><span class=\"label\">{label}</span><span class=\"value\">{}</span></div>",
            esc(value)
        )
    };
    let employer_note = if employer.is_empty() {
        String::new()
    } else {
        format!(" ({employer})")
    };
    [
        card("Average balance (ABB)", &abb, "abb"),
        card("Lowest balance", &minimum, "min"),
        card(
            "Avg monthly credits",
            &money_f64(average(&credits)),
            "credits",
        ),
        card("Avg monthly debits", &money_f64(average(&debits)), "debits"),
        card(
            "Salary (avg)",
            &format!("{salary_avg}{employer_note}"),
            "salary",
        ),
        card("EMIs paid", &money_f64(emi), "emi"),
        card(
            "Bounces / penal",
            &array(data, "/bounced_or_penal_transactions")
                .len()
                .to_string(),
            "bounces",
        ),
        card(
            "Cash share of credits",
            &percent(cash_in, total(&credits)),
            "cash",
        ),
        card("Score", &score, "score"),
        card("Fraud", &verdict, "fraud"),
    ]
    .into_iter()
    .fold(
        "<section class=\"figures\" aria-label=\"Key figures\">".to_owned(),
        |acc, c| acc + &c,
    ) + "</section>"
}

/// Per statement: opening + credits − debits = closing, the printed figures against the
/// computed ones, and every break of the balance chain with its row.
fn reconciliation(loaded: &Loaded, a: &AccountView) -> String {
    let mut out =
        String::from("<section class=\"card\" id=\"reconciliation\"><h2>Reconciliation</h2>");
    for id in a.processed_ids() {
        let Some(result) = loaded.results.iter().find(|r| &r.statement_id == id) else {
            continue;
        };
        let doc: Value = serde_json::from_str(&result.insights).unwrap_or(Value::Null);
        let data = doc.pointer("/accounts/0/data").unwrap_or(&Value::Null);
        let file = loaded
            .statements
            .iter()
            .find(|s| &s.id == id)
            .and_then(|s| s.file_name.clone())
            .unwrap_or_else(|| id.clone());
        out.push_str(&statement_proof(&file, data, &a.account_id));
    }
    out.push_str("</section>");
    out
}

fn statement_proof(file: &str, data: &Value, account: &str) -> String {
    let rec = &data["reconciliation"];
    let rows = array(data, "/transactions");
    let (mut credits, mut debits) = (Decimal::ZERO, Decimal::ZERO);
    for t in rows {
        let amount = t.get("amount").and_then(decimal_of).unwrap_or_default();
        if t["transaction_type"] == "credit" {
            credits += amount;
        } else {
            debits += amount;
        }
    }
    let opening = rec.get("opening_balance").and_then(decimal_of);
    let closing = rec.get("closing_balance").and_then(decimal_of);
    let last_balance = rows
        .last()
        .and_then(|t| t.get("balance"))
        .and_then(decimal_of);
    let computed = opening.map(|o| o + credits - debits);
    let reconciled = rec["reconciled"].as_bool().unwrap_or(false);
    let verdict = if reconciled {
        "<span class=\"badge completed\">reconciled</span>"
    } else {
        "<span class=\"badge expired\">not reconciled</span>"
    };
    let show = |d: Option<Decimal>| d.map(inr).unwrap_or_else(|| "not printed".into());
    let difference = match (computed, closing.or(last_balance)) {
        (Some(c), Some(p)) => inr(p - c),
        _ => "–".into(),
    };
    let mut out = format!(
        "<div class=\"proof\"><h3>{} {verdict}</h3><table class=\"proof-table\"><tbody>\
<tr><th>Opening balance (printed)</th><td class=\"num\">{}</td></tr>\
<tr><th>+ Credits ({} rows)</th><td class=\"num\">{}</td></tr>\
<tr><th>− Debits ({} rows)</th><td class=\"num\">{}</td></tr>\
<tr class=\"sum\"><th>= Computed closing</th><td class=\"num computed-closing\">{}</td></tr>\
<tr><th>Closing balance (printed)</th><td class=\"num\">{}</td></tr>\
<tr><th>Last row's balance</th><td class=\"num\">{}</td></tr>\
<tr><th>Printed − computed</th><td class=\"num\">{difference}</td></tr></tbody></table>",
        esc(file),
        show(opening),
        rows.iter()
            .filter(|t| t["transaction_type"] == "credit")
            .count(),
        inr(credits),
        rows.iter()
            .filter(|t| t["transaction_type"] != "credit")
            .count(),
        inr(debits),
        show(computed),
        show(closing),
        show(last_balance),
    );
    let missing: Vec<String> = array(rec, "/missing_periods")
        .iter()
        .filter_map(|p| {
            Some(format!(
                "{} to {}",
                p["from_date"].as_str()?,
                p["to_date"].as_str()?
            ))
        })
        .collect();
    if !missing.is_empty() {
        out.push_str(
            "<p>Periods no statement in the file covers (their rows are missing):</p><ul>",
        );
        for period in missing {
            out.push_str(&format!("<li>{}</li>", esc(&period)));
        }
        out.push_str("</ul>");
    }
    let mismatches: Vec<&str> = array(rec, "/summary_mismatches")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    if !mismatches.is_empty() {
        out.push_str("<p>Printed totals that disagree with the rows:</p><ul>");
        for m in mismatches {
            out.push_str(&format!("<li>{}</li>", esc(m)));
        }
        out.push_str("</ul>");
    }
    let warnings: Vec<&str> = array(rec, "/warnings")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    if !warnings.is_empty() {
        out.push_str("<details><summary>Reading notes</summary><ul>");
        for w in warnings {
            out.push_str(&format!("<li>{}</li>", esc(w)));
        }
        out.push_str("</ul></details>");
    }
    let breaks = array(rec, "/breaks");
    if breaks.is_empty() {
        out.push_str("<p class=\"muted\">The balance chain holds on every row.</p>");
    } else {
        out.push_str(&format!("<p>{} break(s) in the balance chain:</p><div class=\"scroll\"><table class=\"list breaks\"><thead><tr><th>Row</th><th>Date</th><th>Narration</th><th class=\"num\">Amount</th><th class=\"num\">Expected balance</th><th class=\"num\">Printed balance</th><th></th></tr></thead><tbody>", breaks.len()));
        for b in breaks {
            let index = b["row"].as_u64().and_then(|r| usize::try_from(r).ok());
            let t = index.and_then(|i| rows.get(i)).unwrap_or(&Value::Null);
            out.push_str(&format!(
                "<tr><td class=\"num\">{}</td><td>{}</td><td class=\"note\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
                index.map(|i| (i + 1).to_string()).unwrap_or_default(),
                esc(text(t, "/date").get(0..10).unwrap_or_default()),
                esc(text(t, "/transaction_note")),
                inr_value(t.get("amount")),
                inr_value(b.get("expected_balance")),
                inr_value(b.get("printed_balance")),
                row_link(account, text(b, "/hash")),
            ));
        }
        out.push_str("</tbody></table></div>");
    }
    out.push_str("</div>");
    out
}

fn month_of_timestamp(date: &str) -> Option<String> {
    let day = chrono::NaiveDate::parse_from_str(date.get(0..10)?, "%Y-%m-%d").ok()?;
    Some(day.format("%b-%Y").to_string())
}

fn charts_section(data: &Value) -> String {
    let credits = monthly(data, "amt_credit");
    let debits = monthly(data, "amt_debit");
    let months: Vec<String> = credits.iter().map(|(m, _)| m.clone()).collect();
    let values_for = |series: &[(String, f64)]| -> Vec<f64> {
        months
            .iter()
            .map(|m| series.iter().find(|(k, _)| k == m).map_or(0.0, |(_, v)| *v))
            .collect()
    };
    let flows = charts::bars(
        "Monthly credits and debits",
        &months,
        &[
            Series {
                name: "Credits",
                class: "credit",
                values: values_for(&credits),
            },
            Series {
                name: "Debits",
                class: "debit",
                values: values_for(&debits),
            },
        ],
    );
    let points = eod_points(data);
    let references = abb_and_minimum(&points)
        .map(|(abb, (_, low))| {
            vec![
                Reference {
                    name: "ABB",
                    class: "ref-avg",
                    value: abb,
                },
                Reference {
                    name: "Minimum",
                    class: "ref-min",
                    value: low,
                },
            ]
        })
        .unwrap_or_default();
    let eod = charts::line("End-of-day balance", &points, &references);
    let mut salary_by_month: HashMap<String, f64> = HashMap::new();
    for s in array(data, "/salary_transactions") {
        if let Some(month) = month_of_timestamp(text(s, "/date")) {
            *salary_by_month.entry(month).or_default() += s["amount"].as_f64().unwrap_or(0.0);
        }
    }
    let salary = charts::bars(
        "Salary by month",
        &months,
        &[Series {
            name: "Salary",
            class: "salary",
            values: months
                .iter()
                .map(|m| salary_by_month.get(m).copied().unwrap_or(0.0))
                .collect(),
        }],
    );
    let cash = monthly(data, "amt_cash_deposit_credit");
    let cash_values = values_for(&cash);
    let other: Vec<f64> = values_for(&credits)
        .iter()
        .zip(&cash_values)
        .map(|(all, cash)| (all - cash).max(0.0))
        .collect();
    let cash_chart = charts::bars(
        "Cash deposits against other credits",
        &months,
        &[
            Series {
                name: "Cash deposits",
                class: "cash",
                values: cash_values,
            },
            Series {
                name: "Other credits",
                class: "credit",
                values: other,
            },
        ],
    );
    format!(
        "<section class=\"charts\"><div class=\"card\" id=\"chart-flows\"><h2>Credits and debits by month</h2>{flows}</div>\
<div class=\"card\" id=\"chart-eod\"><h2>End-of-day balance</h2>{eod}</div>\
<div class=\"card\" id=\"chart-salary\"><h2>Salary timeline</h2>{salary}</div>\
<div class=\"card\" id=\"chart-cash\"><h2>Cash share</h2>{cash_chart}</div></section>"
    )
}

fn fraud_section(data: &Value, account: &str) -> String {
    let entries: Vec<(&Value, &str)> = array(data, "/fraud")
        .iter()
        .map(|f| (f, "fraud"))
        .chain(
            array(data, "/fraud_details/statement")
                .iter()
                .map(|f| (f, "warning")),
        )
        .collect();
    let codes: Vec<&str> = array(data, "/fraud_details/account")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let mut out = String::from("<section class=\"card\" id=\"fraud\"><h2>Fraud checks</h2>");
    if entries.is_empty() && codes.is_empty() {
        out.push_str("<p class=\"muted\">No fraud flags or warnings.</p></section>");
        return out;
    }
    if !codes.is_empty() {
        out.push_str(&format!(
            "<p>Account checks: {}</p>",
            esc(&codes.join(", "))
        ));
    }
    if !entries.is_empty() {
        out.push_str("<div class=\"scroll\"><table class=\"list\"><thead><tr><th>Kind</th><th>Type</th><th>Category</th><th>Rule</th><th>Evidence</th><th>Row</th></tr></thead><tbody>");
        for (f, kind) in entries {
            let evidence = match f.get("evidence") {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Null) | None => String::new(),
                Some(other) => other.to_string(),
            };
            out.push_str(&format!(
                "<tr><td><span class=\"badge {}\">{kind}</span></td><td>{}</td><td>{}</td><td>{}</td><td class=\"note\">{}</td><td>{}</td></tr>",
                if kind == "fraud" { "expired" } else { "processing" },
                esc(text(f, "/fraud_type")),
                esc(text(f, "/fraud_category")),
                esc(text(f, "/rule")),
                esc(&evidence),
                row_link(account, text(f, "/transaction_hash")),
            ));
        }
        out.push_str("</tbody></table></div>");
    }
    out.push_str("</section>");
    out
}

fn salary_section(data: &Value, account: &str) -> String {
    let rows = array(data, "/salary_transactions");
    if rows.is_empty() {
        return "<section class=\"card\" id=\"salary\"><h2>Salary</h2><p class=\"muted\">No salary credits were found.</p></section>".into();
    }
    let body: String = rows
        .iter()
        .map(|s| {
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"rule\">{}</td><td>{}</td></tr>",
                esc(text(s, "/date").get(0..10).unwrap_or_default()),
                esc(text(s, "/salary_month")),
                esc(text(s, "/employer_name")),
                inr_value(s.get("amount")),
                esc(text(s, "/salary_rule")),
                row_link(account, text(s, "/hash")),
            )
        })
        .collect();
    format!("<section class=\"card\" id=\"salary\"><h2>Salary</h2><div class=\"scroll\"><table class=\"list\"><thead><tr><th>Date</th><th>Month</th><th>Employer</th><th class=\"num\">Amount</th><th>Rule</th><th>Row</th></tr></thead><tbody>{body}</tbody></table></div></section>")
}

fn flat_rows_section(title: &str, id: &str, rows: &[Value], account: &str, empty: &str) -> String {
    if rows.is_empty() {
        return format!("<section class=\"card\" id=\"{id}\"><h2>{title}</h2><p class=\"muted\">{empty}</p></section>");
    }
    let body: String = rows
        .iter()
        .map(|t| {
            format!(
                "<tr><td>{}</td><td class=\"note\">{}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td></tr>",
                esc(text(t, "/date").get(0..10).unwrap_or_default()),
                esc(text(t, "/transaction_note")),
                esc(text(t, "/transaction_type")),
                inr_value(t.get("amount")),
                esc(text(t, "/category")),
                row_link(account, text(t, "/hash")),
            )
        })
        .collect();
    format!("<section class=\"card\" id=\"{id}\"><h2>{title}</h2><div class=\"scroll\"><table class=\"list\"><thead><tr><th>Date</th><th>Narration</th><th>Type</th><th class=\"num\">Amount</th><th>Category</th><th>Row</th></tr></thead><tbody>{body}</tbody></table></div></section>")
}

/// Counterparty of a row: the merchant the categoriser read, else its description (whose
/// snake_case codes read better spaced: "credit card bill").
fn counterparty(t: &Value) -> Option<String> {
    [
        text(t, "/metadata/unclean_merchant"),
        text(t, "/metadata/description"),
    ]
    .into_iter()
    .map(str::trim)
    .find(|s| !s.is_empty())
    .map(|s| s.replace('_', " "))
}

fn counterparties(transactions: &[Value]) -> String {
    let mut sides: [HashMap<String, (Decimal, usize)>; 2] = [HashMap::new(), HashMap::new()];
    for t in transactions {
        let Some(name) = counterparty(t) else {
            continue;
        };
        let side = usize::from(t["transaction_type"] != "credit");
        let entry = sides[side].entry(name).or_default();
        entry.0 += t.get("amount").and_then(decimal_of).unwrap_or_default();
        entry.1 += 1;
    }
    let list = |map: &HashMap<String, (Decimal, usize)>| -> String {
        let mut top: Vec<(&String, &(Decimal, usize))> = map.iter().collect();
        top.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then_with(|| a.0.cmp(b.0)));
        if top.is_empty() {
            return "<p class=\"muted\">None found.</p>".into();
        }
        let rows: String = top
            .into_iter()
            .take(5)
            .map(|(name, (amount, count))| {
                format!(
                    "<tr><td>{}</td><td class=\"num\">{count}</td><td class=\"num\">{}</td></tr>",
                    esc(name),
                    inr(*amount)
                )
            })
            .collect();
        format!("<table class=\"list\"><thead><tr><th>Counterparty</th><th class=\"num\">Rows</th><th class=\"num\">Total</th></tr></thead><tbody>{rows}</tbody></table>")
    };
    format!(
        "<section class=\"card\" id=\"counterparties\"><h2>Top counterparties</h2><div class=\"two\"><div><h3>Paid in by</h3>{}</div><div><h3>Paid out to</h3>{}</div></div></section>",
        list(&sides[0]),
        list(&sides[1])
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eod_points_keep_the_period_and_abb_averages_known_days() {
        let data = json!({"eod_balances": {
            "Months_order": ["Jan-24"],
            "Jan-24": [null, 100.0, null, 300.0, null],
        }});
        let points = eod_points(&data);
        assert_eq!(points.len(), 3, "{points:?}");
        assert_eq!(points[0].0, "02-Jan-24");
        let (abb, (day, low)) = abb_and_minimum(&points).expect("balances");
        assert_eq!(abb, 200.0);
        assert_eq!((day.as_str(), low), ("02-Jan-24", 100.0));
    }

    #[test]
    fn a_proof_adds_up_and_lists_each_break_with_its_row() {
        let data = json!({
            "reconciliation": {"reconciled": false, "opening_balance": 1000.0, "closing_balance": 1600.0,
                "breaks": [{"row": 1, "hash": "h2", "expected_balance": 1300.0, "printed_balance": 1350.0}],
                "summary_mismatches": ["closing balance 1600.00 printed, 1550.00 computed"]},
            "transactions": [
                {"transaction_type": "credit", "amount": 500.0, "balance": 1500.0, "date": "2024-01-02 00:00:00", "transaction_note": "IN", "hash": "h1"},
                {"transaction_type": "debit", "amount": 200.0, "balance": 1350.0, "date": "2024-01-03 00:00:00", "transaction_note": "OUT", "hash": "h2"},
            ]
        });
        let html = statement_proof("a.pdf", &data, "acc");
        assert!(
            html.contains("class=\"num computed-closing\">1,300.00<"),
            "{html}"
        );
        assert!(html.contains("not reconciled"));
        assert!(html.contains("href=\"?account=acc&amp;rows=all#t-h2\""));
        assert!(html.contains("closing balance 1600.00 printed"));
        assert!(html.contains(">300.00<"), "printed − computed: {html}");
    }

    #[test]
    fn counterparties_rank_by_total() {
        let rows = vec![
            json!({"transaction_type": "debit", "amount": 10.0, "metadata": {"unclean_merchant": "swiggy"}}),
            json!({"transaction_type": "debit", "amount": 500.0, "metadata": {"unclean_merchant": "landlord"}}),
            json!({"transaction_type": "debit", "amount": 20.0, "metadata": {"unclean_merchant": "swiggy"}}),
        ];
        let html = counterparties(&rows);
        let landlord = html.find("landlord").expect("listed");
        let swiggy = html.find("swiggy").expect("listed");
        assert!(landlord < swiggy);
        assert!(html.contains("<td class=\"num\">2</td><td class=\"num\">30.00</td>"));
    }
}
